//! Visiting: every row of a run handed to a [`RowVisitor`], decoded in full,
//! on the worker threads, through the one masking path.
//!
//! What reads values of a dump (the PII scan, the leak check, sampling for
//! the scaffold) never decodes rows itself: it runs the real pipeline
//! (chunker, workers, `rewrite` codecs, [`crate::engine::RowMasker`],
//! ordered writer) with a visitor. The codecs then decode every column of
//! every row of a bound table (not only the masked ones), mask the row as
//! usual, and hand it over as a [`VisitedRow`]: its [`BoundTable`], each
//! column's original and final raw value, and each value's byte offset in
//! the input. A visitor only looks: the masked output is byte-identical with
//! or without one.
//!
//! Threads and state: [`RowVisitor::row`] runs on the workers (the visitor is
//! `Sync`) and writes into a per-chunk [`RowVisitor::Part`]. Parts are handed
//! to the caller's `merge` on the writer thread in input order, so a
//! visitor's result never depends on the thread count or on scheduling, and
//! no lock is taken per row. Only rows of chunks before a failure are merged.
//!
//! Rows of tables whose `CREATE TABLE` was not read (no schema) are not
//! visited: their columns are unknown.
//!
//! This module owns the visiting API; it must not decode anything itself.

use std::io::{Read, Write};

use super::chunker::{Chunker, ChunkerConfig};
use super::{run, MaskOptions, Summary};
use crate::engine::{BoundTable, CellError, MaskedRow, RowMasker};
use crate::error::Result;
use crate::rules::Rules;
use crate::schema::TableSchema;

/// One row as a visitor sees it. Values are raw (unescaped, unquoted) bytes.
#[derive(Debug)]
pub struct VisitedRow<'a> {
    table: &'a BoundTable,
    row: &'a MaskedRow<'a>,
    offsets: &'a [u64],
}

impl<'a> VisitedRow<'a> {
    pub(crate) fn new(table: &'a BoundTable, row: &'a MaskedRow<'a>, offsets: &'a [u64]) -> Self {
        VisitedRow {
            table,
            row,
            offsets,
        }
    }

    /// The row's table, bound to the run's rules.
    pub fn table(&self) -> &'a BoundTable {
        self.table
    }

    /// The number of columns (the table's schema).
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// True for a table without columns.
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// Column `col`'s value as read (`None`: NULL, or not in the row).
    pub fn original(&self, col: usize) -> Option<&'a [u8]> {
        self.row.original(col)
    }

    /// Column `col`'s value as written by the run (`None`: NULL, not in the
    /// row, or a generated column left to the server).
    pub fn value(&self, col: usize) -> Option<&'a [u8]> {
        self.row.value(col)
    }

    /// True when the rules mask column `col` in this row (a transform other
    /// than keep, or a template, whose condition if any is true here).
    pub fn masked(&self, col: usize) -> bool {
        self.row.masked(col, self.table)
    }

    /// Absolute byte offset in the input of column `col`'s value (the
    /// literal or field as written), or `None` when the row has none.
    pub fn offset(&self, col: usize) -> Option<u64> {
        self.offsets.get(col).copied().filter(|&o| o != u64::MAX)
    }
}

/// Looks at every row of a run. See the module docs.
pub trait RowVisitor: Sync {
    /// `true` (the default): every column of every row of every bound table
    /// is decoded and handed over. `false`: the visitor only reads masked
    /// columns; only rows of tables with masked columns are handed over, and
    /// only the values the masking decodes anyway (the originals of masked
    /// columns) are known: the others read as `None`. A masking run then
    /// costs no more decoding than without a visitor.
    const ALL_COLUMNS: bool = true;

    /// With [`Self::ALL_COLUMNS`]: whether the visitor reads column `col`
    /// of `table` at all (default: every column). A column it does not read
    /// is not decoded and reads as `None`; a table none of whose columns it
    /// reads is not handed over. Called per value: keep it cheap.
    fn reads(&self, table: &BoundTable, col: usize) -> bool {
        let _ = (table, col);
        true
    }

    /// What the visitor gathers from one chunk's rows (merged in input order).
    type Part: Default + Send;

    /// Called on a worker thread for each row of the chunk `part` belongs to.
    fn row(&self, part: &mut Self::Part, row: &VisitedRow<'_>);
}

/// The visitor of a run that visits nothing.
#[derive(Debug)]
pub(crate) struct NoVisit;

impl RowVisitor for NoVisit {
    type Part = ();
    fn row(&self, _: &mut (), _: &VisitedRow<'_>) {}
}

/// No visitor, typed for [`super::run`].
pub(crate) fn no_visit() -> Option<Visit<'static, NoVisit>> {
    None
}

/// A visitor and the merge of its parts, as [`super::run`] takes them.
pub(crate) type Visit<'v, V> = (&'v V, &'v mut (dyn FnMut(<V as RowVisitor>::Part) + Send));

/// What a visiting run read: its summary and the schemas of its tables
/// (every `CREATE TABLE` read, in order of first appearance, rows or not).
#[derive(Debug, Clone, Default)]
pub struct Visited {
    /// The run's summary.
    pub summary: Summary,
    /// The tables' schemas.
    pub schemas: Vec<TableSchema>,
}

/// Visit every row of a SQL dump, writing nothing: the dry run of
/// [`crate::check_reader`] with a visitor. `merge` receives each chunk's
/// part in input order. Rules without a key are accepted (nothing is written).
///
/// ```
/// use masker_core::pipeline::visit::{visit_reader, RowVisitor, VisitedRow};
/// use masker_core::{rules::Rules, MaskOptions};
///
/// struct Lengths;
/// impl RowVisitor for Lengths {
///     type Part = usize;
///     fn row(&self, part: &mut usize, row: &VisitedRow<'_>) {
///         *part += (0..row.len()).filter_map(|c| row.original(c)).map(<[u8]>::len).sum::<usize>();
///     }
/// }
/// let dump = b"CREATE TABLE `t` (`id` int, `s` text);\nINSERT INTO `t` VALUES (1,'ab\\'c'),(22,NULL);\n";
/// let mut total = 0;
/// let visited = visit_reader(&Rules::empty(), &dump[..], &MaskOptions::default(), &Lengths, |n| total += n).unwrap();
/// assert_eq!(visited.schemas.len(), 1);
/// assert_eq!(total, 1 + 4 + 2);
/// ```
pub fn visit_reader<R: Read + Send, V: RowVisitor>(
    rules: &Rules,
    input: R,
    opts: &MaskOptions,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<Visited> {
    let mut chunker = Chunker::new(input, rules, ChunkerConfig::for_chunks(opts.chunk_size))
        .allow_incomplete(opts.allow_incomplete);
    let summary = run(
        &mut chunker,
        std::io::sink(),
        opts,
        None,
        Some((visitor, &mut merge)),
    )?;
    Ok(Visited {
        summary,
        schemas: chunker.catalog().schemas(),
    })
}

/// [`crate::mask_reader`] that also hands every row to `visitor` (for
/// example to collect the originals of masked columns while masking).
pub fn mask_reader_visiting<R: Read + Send, W: Write + Send, V: RowVisitor>(
    rules: &Rules,
    input: R,
    output: W,
    opts: &MaskOptions,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<Summary> {
    rules.require_key()?;
    let chunker = Chunker::new(input, rules, ChunkerConfig::for_chunks(opts.chunk_size))
        .allow_incomplete(opts.allow_incomplete);
    run(chunker, output, opts, None, Some((visitor, &mut merge)))
}

/// Rows that come as raw values rather than text (a live server's) handed
/// to a visitor through the same row masker as every other input: the
/// value decoding the codecs do for dumps is done by the caller. Values
/// have no byte offset ([`VisitedRow::offset`] is `None`).
#[derive(Debug, Default)]
pub struct RowFeed {
    masker: RowMasker,
    offsets: Vec<u64>,
}

impl RowFeed {
    /// A feed with empty buffers (reused from row to row).
    pub fn new() -> Self {
        RowFeed::default()
    }

    /// Mask one row of `table` (`values`: one per column in schema order,
    /// `None` for NULL; generated columns may be `None`) and hand it to
    /// `visitor`, which writes into `part`.
    pub fn visit<V: RowVisitor>(
        &mut self,
        visitor: &V,
        part: &mut V::Part,
        table: &BoundTable,
        values: &[Option<&[u8]>],
    ) -> std::result::Result<(), CellError> {
        let n = table.schema().columns.len();
        self.offsets.clear();
        self.offsets.resize(n, u64::MAX);
        // A row the table's row policy drops is not in the output: nothing to visit.
        if let Some(row) = self.masker.mask_row(table, values)? {
            visitor.row(part, &VisitedRow::new(table, &row, &self.offsets));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulesBuilder;

    /// Collects (table.column, original, final, offset) of every value.
    struct All;
    impl RowVisitor for All {
        type Part = Vec<(String, Option<Vec<u8>>, Option<Vec<u8>>, Option<u64>, bool)>;
        fn row(&self, part: &mut Self::Part, row: &VisitedRow<'_>) {
            for c in 0..row.len() {
                part.push((
                    format!(
                        "{}.{}",
                        row.table().name(),
                        row.table().schema().columns[c].name
                    ),
                    row.original(c).map(<[u8]>::to_vec),
                    row.value(c).map(<[u8]>::to_vec),
                    row.offset(c),
                    row.masked(c),
                ));
            }
        }
    }

    const DUMP: &[u8] = b"CREATE TABLE `u` (`id` int, `email` varchar(64), `lc` varchar(64) AS (lower(`email`)) STORED);\n\
INSERT INTO `u` VALUES (1,'A@x.com','a@x.com'),(2,'it\\'s@y.org',DEFAULT);\n";

    fn collect(rules: &Rules, threads: usize, chunk_size: usize) -> Vec<<All as RowVisitor>::Part> {
        let opts = MaskOptions {
            threads,
            chunk_size,
            ..MaskOptions::default()
        };
        let mut parts = Vec::new();
        let mut out = Vec::new();
        mask_reader_visiting(rules, DUMP, &mut out, &opts, &All, |p| parts.push(p)).unwrap();
        assert_eq!(
            out,
            crate::mask_slice(rules, DUMP).unwrap(),
            "visiting changes nothing"
        );
        parts
    }

    #[test]
    fn visitor_sees_originals_finals_and_offsets_in_order() {
        let rules = RulesBuilder::new()
            .toml("[tables.u]\nemail = \"null\"\n", "r.toml")
            .key(b"k")
            .build()
            .unwrap();
        let all: Vec<_> = collect(&rules, 1, 1 << 20).into_iter().flatten().collect();
        assert_eq!(all.len(), 6);
        let (name, orig, fin, off, masked) = &all[1];
        assert_eq!(name, "u.email");
        assert_eq!(orig.as_deref(), Some(&b"A@x.com"[..]));
        assert_eq!(fin, &None);
        assert!(masked);
        let at = *off.as_ref().unwrap() as usize;
        assert_eq!(&DUMP[at..at + 9], b"'A@x.com'");
        // The escaped value is decoded; DEFAULT is no value.
        assert_eq!(all[4].1.as_deref(), Some(&b"it's@y.org"[..]));
        assert_eq!(all[5].1, None);
        // Generated columns of a masked table are regenerated: no final value.
        assert_eq!(all[2].2, None);
        // Same rows, same order on any thread count and chunk size.
        for (threads, chunk) in [(2, 8), (3, 1), (1, 16)] {
            let got: Vec<_> = collect(&rules, threads, chunk)
                .into_iter()
                .flatten()
                .collect();
            assert_eq!(got, all, "threads {threads}, chunk {chunk}");
        }
    }

    /// Like [`All`], reading masked columns only.
    struct MaskedOnly;
    impl RowVisitor for MaskedOnly {
        type Part = <All as RowVisitor>::Part;
        const ALL_COLUMNS: bool = false;
        fn row(&self, part: &mut Self::Part, row: &VisitedRow<'_>) {
            All.row(part, row)
        }
    }

    #[test]
    fn a_masked_only_visitor_gets_what_the_masking_decodes() {
        let dump = b"CREATE TABLE `u` (`id` int, `email` varchar(64));\nINSERT INTO `u` VALUES (1,'a@x.com');\n\
CREATE TABLE `o` (`n` int);\nINSERT INTO `o` VALUES (7);\n";
        let rules = RulesBuilder::new()
            .toml("[tables.u]\nemail = \"null\"\n", "r.toml")
            .build()
            .unwrap();
        let mut parts = Vec::new();
        let mut out = Vec::new();
        mask_reader_visiting(
            &rules,
            &dump[..],
            &mut out,
            &MaskOptions::default(),
            &MaskedOnly,
            |p| parts.push(p),
        )
        .unwrap();
        let all: Vec<_> = parts.into_iter().flatten().collect();
        // Only `u` (it has a masked column); `id` was not decoded.
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].0.as_str(), &all[0].1), ("u.id", &None));
        assert_eq!(all[1].1.as_deref(), Some(&b"a@x.com"[..]));
        assert!(all[1].4);
    }

    #[test]
    fn fed_rows_are_masked_and_visited_like_dump_rows() {
        let rules = RulesBuilder::new()
            .toml("[tables.u]\nemail = \"null\"\n", "r.toml")
            .key(b"k")
            .build()
            .unwrap();
        let schema =
            crate::schema::parse_create_table(b"CREATE TABLE `u` (`id` int, `email` varchar(64))")
                .unwrap();
        let mut catalog = crate::engine::Catalog::new(&rules);
        let table = catalog.define(schema, true).unwrap();
        let mut feed = RowFeed::new();
        let mut part = Vec::new();
        feed.visit(&All, &mut part, &table, &[Some(b"7"), Some(b"a@x.com")])
            .unwrap();
        assert_eq!(part.len(), 2);
        assert_eq!(part[1].1.as_deref(), Some(&b"a@x.com"[..]));
        assert_eq!(
            (part[1].2.clone(), part[1].3, part[1].4),
            (None, None, true)
        );
        assert_eq!(part[0].2.as_deref(), Some(&b"7"[..]));
    }

    #[test]
    fn empty_rules_visit_every_value_unchanged() {
        let all: Vec<_> = collect(&Rules::empty(), 2, 16)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(all.len(), 6);
        assert!(all.iter().all(|(_, o, f, _, m)| o == f && !m));
    }
}
