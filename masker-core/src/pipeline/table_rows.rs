//! Rows of one known table as SQL, without their `CREATE TABLE`: the data
//! files of a mydumper directory (`db.table.sql`, `db.table.00001.sql`),
//! whose schema is in another file (`db.table-schema.sql`).
//!
//! This module owns only the entry points: the SQL chunker is given the
//! table's schema before it reads a byte ([`TableRows`]), and the run is
//! the SQL path's own (chunker, workers, row masker, ordered writer), so
//! values are masked exactly as in a whole dump. It reads no file; the
//! caller (masker-cli's `mydumper_dir`) opens them.
//!
//! mydumper writes values under `SET NAMES binary`: each value is its
//! column's own bytes, so a latin1 or cp932 column holds latin1 or cp932
//! text. [`ValueBytes::ColumnCharsets`] converts such text to UTF-8 before
//! masking and the masked value back after (see
//! [`crate::schema::charset`]), so pseudonyms equal those of the same data
//! in a utf8mb4 dump, and a fake value lands in the column's charset (or is
//! refused, naming the column, when the charset cannot hold it).

use std::io::{Read, Write};

use super::chunker::{Chunker, ChunkerConfig};
use super::{run, visit, MaskOptions, Summary};
use crate::error::{Error, ErrorKind, Result};
use crate::rules::Rules;
use crate::schema::TableSchema;

/// How the text values of an input are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ValueBytes {
    /// UTF-8 whatever the column's charset (a dump made with a utf8mb4
    /// connection, mysqldump's default): used as they are.
    #[default]
    Utf8,
    /// Each column's own charset (`SET NAMES binary`: mydumper): text of a
    /// charset that is not UTF-8 is converted around masking.
    ColumnCharsets,
}

/// The table an input's rows belong to, and how its values are encoded.
#[derive(Debug, Clone, Copy)]
pub struct TableRows<'a> {
    /// The table's schema; its database (if any) is the current one while
    /// the input is read, so `INSERT INTO \`t\`` names it.
    pub schema: &'a TableSchema,
    /// How text values are encoded.
    pub values: ValueBytes,
}

fn chunker<'r, R: Read>(
    rules: &'r Rules,
    table: TableRows<'_>,
    input: R,
    opts: &MaskOptions,
) -> Result<Chunker<'r, R>> {
    Chunker::new(input, rules, ChunkerConfig::for_chunks(opts.chunk_size))
        .in_column_charsets(table.values == ValueBytes::ColumnCharsets)
        .with_table(table.schema.clone())
        .map_err(|problems| {
            Error::new(ErrorKind::Plan {
                pos: None,
                problems,
            })
        })
}

/// Mask SQL rows of `table` (INSERT statements, and any other statement,
/// copied) from `input` to `output`, as [`super::mask_reader`] masks a dump.
/// Rules for other tables never count as missing here (one input, one
/// table): the caller checks its tables as a whole.
///
/// ```
/// use masker_core::pipeline::{mask_table_rows, MaskOptions, TableRows, ValueBytes};
/// use masker_core::rules::RulesBuilder;
/// use masker_core::schema::parse_create_table;
///
/// let mut schema = parse_create_table(b"CREATE TABLE `t` (`id` int, `name` varchar(20)) DEFAULT CHARSET=latin1").unwrap();
/// schema.name.database = Some("shop".into());
/// let rules = RulesBuilder::new()
///     .toml("[tables.\"shop.t\"]\nname = { transform = \"partial\", keep_first = 2, keep_last = 0, mask_char = \"*\" }\n", "rules.toml")
///     .key(b"a secret")
///     .build()
///     .unwrap();
/// // mydumper's data file: latin1 bytes under SET NAMES binary.
/// let data = b"/*!40101 SET NAMES binary*/;\nINSERT INTO `t` VALUES\n(1,\"J\xfcrgen\");\n";
/// let table = TableRows { schema: &schema, values: ValueBytes::ColumnCharsets };
/// let opts = MaskOptions { threads: 1, ..MaskOptions::default() };
/// let mut out = Vec::new();
/// mask_table_rows(&rules, table, &data[..], &mut out, &opts).unwrap();
/// // Masked as the text "Jürgen" (2 characters kept), written back in latin1.
/// assert!(out.ends_with(b"(1,'J\xfc****');\n"));
/// ```
pub fn mask_table_rows<R: Read + Send, W: Write + Send>(
    rules: &Rules,
    table: TableRows<'_>,
    input: R,
    output: W,
    opts: &MaskOptions,
) -> Result<Summary> {
    rules.require_key()?;
    let chunker = chunker(rules, table, input, opts)?;
    let opts = MaskOptions {
        allow_missing: true,
        ..opts.clone()
    };
    run(chunker, output, &opts, None, visit::no_visit())
}

/// The dry run of [`mask_table_rows`] (as [`super::check_reader`] is of
/// [`super::mask_reader`]): every row masked, nothing written; rules built
/// without a key are accepted.
pub fn check_table_rows<R: Read + Send>(
    rules: &Rules,
    table: TableRows<'_>,
    input: R,
    opts: &MaskOptions,
) -> Result<Summary> {
    let chunker = chunker(rules, table, input, opts)?;
    let opts = MaskOptions {
        allow_missing: true,
        ..opts.clone()
    };
    run(chunker, std::io::sink(), &opts, None, visit::no_visit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulesBuilder;
    use crate::schema::parse_create_table;

    fn rules(toml: &str) -> Rules {
        RulesBuilder::new()
            .toml(toml, "test.toml")
            .key(b"test key, not secret")
            .build()
            .unwrap()
    }

    fn schema(sql: &str, db: &str) -> TableSchema {
        let mut s = parse_create_table(sql.as_bytes()).unwrap();
        s.name.database = Some(db.into());
        s
    }

    fn mask(
        rules: &Rules,
        schema: &TableSchema,
        values: ValueBytes,
        data: &[u8],
        threads: usize,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let opts = MaskOptions {
            threads,
            chunk_size: 16,
            ..MaskOptions::default()
        };
        mask_table_rows(rules, TableRows { schema, values }, data, &mut out, &opts)?;
        Ok(out)
    }

    /// The same names in a utf8mb4 dump and as latin1 bytes under `SET
    /// NAMES binary` get the same pseudonyms, written back in latin1.
    #[test]
    fn latin1_bytes_mask_like_their_utf8_text() {
        let r = rules(
            "[tables.c]\nname = \"hash\"\ncity = { transform = \"fake\", kind = \"city\" }\n",
        );
        let create = "CREATE TABLE `c` (`id` int, `name` varchar(60), `city` varchar(60)) DEFAULT CHARSET=latin1";
        let latin1 = schema(create, "shop");
        let binary = b"INSERT INTO `c` VALUES (1,'J\xfcrgen M\xfcller','Z\xfcrich'),(2,'Fran\xe7ois',NULL);\n";
        let utf8 = "INSERT INTO `c` VALUES (1,'Jürgen Müller','Zürich'),(2,'François',NULL);\n";
        for threads in [1, 3] {
            let a = mask(&r, &latin1, ValueBytes::ColumnCharsets, binary, threads).unwrap();
            let b = mask(&r, &latin1, ValueBytes::Utf8, utf8.as_bytes(), threads).unwrap();
            let decoded = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&a).0;
            assert_eq!(decoded, String::from_utf8(b).unwrap(), "threads {threads}");
            assert!(!a.windows(6).any(|w| w == b"J\xfcrgen"));
        }
    }

    /// A masked value the column's charset cannot hold (a template copying
    /// a utf8mb4 column into a latin1 one) is an error naming the column,
    /// never written as UTF-8 bytes; latin1 text copied the same way is
    /// written in latin1.
    #[test]
    fn a_masked_value_latin1_cannot_hold_is_refused() {
        let r = rules("[tables.c]\nname = { template = \"{jp}\" }\n");
        let s = schema(
            "CREATE TABLE `c` (`id` int, `jp` varchar(20) CHARACTER SET utf8mb4, `name` varchar(60)) DEFAULT CHARSET=latin1",
            "shop",
        );
        let e = mask(
            &r,
            &s,
            ValueBytes::ColumnCharsets,
            "INSERT INTO `c` VALUES (1,'山田','x');\n".as_bytes(),
            1,
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("shop.c.name") && m.contains("cannot hold"),
            "{m}"
        );
        assert!(!m.contains("山田"), "{m}");
        let out = mask(
            &r,
            &s,
            ValueBytes::ColumnCharsets,
            "INSERT INTO `c` VALUES (1,'Zoë','x');\n".as_bytes(),
            1,
        )
        .unwrap();
        assert_eq!(out, b"INSERT INTO `c` VALUES (1,'Zo\xc3\xab','Zo\xeb');\n");
    }

    /// Rows are bound to the given schema without a CREATE TABLE, under its
    /// database, and strict rules still see every column.
    #[test]
    fn rows_bind_to_the_given_schema_and_database() {
        let s = schema("CREATE TABLE `t` (`id` int, `email` varchar(60))", "shop");
        let r = rules("[tables.\"shop.t\"]\nemail = \"null\"\n");
        let out = mask(
            &r,
            &s,
            ValueBytes::ColumnCharsets,
            b"INSERT INTO `t` VALUES (1,\"a@b.c\");\n",
            1,
        )
        .unwrap();
        assert_eq!(out, b"INSERT INTO `t` VALUES (1,NULL);\n");
        let strict = rules("strict = true\n[tables.t]\nid = \"keep\"\n");
        let e = check_table_rows(
            &strict,
            TableRows {
                schema: &s,
                values: ValueBytes::Utf8,
            },
            &b""[..],
            &MaskOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("email"), "{e}");
    }
}
