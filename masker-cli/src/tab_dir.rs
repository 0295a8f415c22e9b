//! A `mysqldump --tab` directory: one `X.sql` (schema) and one `X.txt`
//! (data) per table. This module owns the files of such a directory (listing
//! it, reading each schema, writing each masked file) on top of
//! masker-core's one-stream [`masker_core::tsv::mask_tsv`] and
//! [`masker_core::tsv::visit_tsv`]; the core does no file handling.
//!
//! Everything is checked before anything is written: every schema is read
//! and every table bound to the rules, and rules for tables the directory
//! does not have are an error (unless `allow_missing`). Then the data files
//! are masked as [`crate::file_jobs::run_files`] schedules them; results
//! and errors are reported in name order. `.sql` files without data (views)
//! are copied unchanged; other files are ignored. The output directory is
//! the caller's staging directory (committed whole on success), so files
//! are written in place. Without an output directory (`masker check
//! --tab`) the same code runs with every masked byte thrown away and
//! nothing written.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use masker_core::engine::{BoundTable, Catalog};
use masker_core::error::{Error, ErrorKind, PlanProblem, PlanProblemKind, Result};
use masker_core::pipeline::visit::RowVisitor;
use masker_core::pipeline::{read_schemas, Summary};
use masker_core::rules::Rules;
use masker_core::schema::{TableName, TableSchema};
use masker_core::tokenizer::tsv::TsvDialect;
use masker_core::tsv::{check_tsv, mask_tsv, visit_tsv, TsvOptions};

use crate::file_jobs::{copy_file, in_file, io_error, run_files, write_file, DirSummary};

/// What [`mask_tab_dir`] did.
pub type TabSummary = DirSummary;

/// Mask every table of a `--tab` directory `in_dir` into `out_dir` (an
/// existing, empty staging directory that the caller commits or removes),
/// or with `None` check it: every row masked and thrown away, nothing
/// written. `database` qualifies the table names (rules keyed `db.table`
/// need it). See the module docs.
pub fn mask_tab_dir(
    rules: &Rules,
    in_dir: &Path,
    out_dir: Option<&Path>,
    dialect: &TsvDialect,
    opts: &TsvOptions,
    database: Option<&str>,
) -> Result<TabSummary> {
    let (sql, txt) = list_dir(in_dir)?;
    let (tables, warnings) = compile(rules, in_dir, &sql, &txt, database, opts.allow_missing)?;

    let mut summary = TabSummary {
        warnings,
        ..TabSummary::default()
    };
    let table_opts = TsvOptions {
        allow_missing: true,
        ..opts.clone()
    };
    let sizes: Vec<u64> = tables
        .iter()
        .map(|(stem, _)| {
            std::fs::metadata(in_dir.join(format!("{stem}.txt"))).map_or(0, |m| m.len())
        })
        .collect();
    let results = run_files(&sizes, opts.threads, |i, threads| {
        let (stem, table) = &tables[i];
        let opts = TsvOptions {
            threads,
            ..table_opts.clone()
        };
        mask_table_file(rules, table.schema(), dialect, in_dir, out_dir, stem, &opts)
    })?;
    // Report in table order: the first failure, or every table's summary.
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some(Ok(s)) => summary.tables.push((tables[i].1.name().clone(), s)),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    for stem in sql.iter().filter(|s| !txt.contains(s)) {
        if let Some(out_dir) = out_dir {
            copy_file(&in_dir.join(format!("{stem}.sql")), out_dir)?;
        }
        summary.schema_only.push(format!("{stem}.sql"));
    }
    Ok(summary)
}

/// Mask `in_dir/stem.txt` into `out_dir/stem.txt` (atomically) and copy
/// `stem.sql`; without `out_dir`, mask it and throw the bytes away.
fn mask_table_file(
    rules: &Rules,
    schema: &TableSchema,
    dialect: &TsvDialect,
    in_dir: &Path,
    out_dir: Option<&Path>,
    stem: &str,
    opts: &TsvOptions,
) -> Result<Summary> {
    let input = in_dir.join(format!("{stem}.txt"));
    let open = || File::open(&input).map_err(|e| io_error("cannot open", &input, e));
    let Some(out_dir) = out_dir else {
        // Say which file a positioned error is in.
        return check_tsv(rules, schema, dialect, open()?, opts).map_err(|e| in_file(e, &input));
    };
    let output = out_dir.join(format!("{stem}.txt"));
    let s = write_file(&output, |w| {
        mask_tsv(rules, schema, dialect, open()?, w, opts).map_err(|e| in_file(e, &input))
    })?;
    copy_file(&in_dir.join(format!("{stem}.sql")), out_dir)?;
    Ok(s)
}

/// The first table (by name) of `dir` that has both `X.sql` and `X.txt`,
/// as `mysqldump --tab` writes them: how a `--tab` directory given where
/// a mydumper directory was expected is recognised, to say so. `None` when
/// there is none or the directory cannot be listed.
pub fn tab_pair(dir: &Path) -> Option<String> {
    let (sql, txt) = list_dir(dir).ok()?;
    txt.into_iter().find(|t| sql.contains(t))
}

/// The `.sql` and `.txt` stems of a `--tab` directory, sorted; a `.txt`
/// without its `.sql` is an error.
fn list_dir(in_dir: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let mut sql = Vec::new();
    let mut txt = Vec::new();
    let entries = std::fs::read_dir(in_dir).map_err(|e| io_error("cannot list", in_dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error("cannot list", in_dir, e))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("sql") => sql.push(stem),
            Some("txt") => txt.push(stem),
            _ => {}
        }
    }
    sql.sort();
    txt.sort();
    if let Some(orphan) = txt.iter().find(|t| !sql.contains(t)) {
        return Err(Error::new(ErrorKind::Plan {
            pos: None,
            problems: vec![PlanProblem::new(
                TableName::new(None, orphan),
                PlanProblemKind::UnknownColumns,
                format!("{orphan}.txt has no {orphan}.sql beside it: its columns are unknown"),
            )],
        }));
    }
    Ok((sql, txt))
}

/// The tables of a `--tab` directory (file stem, table bound to the rules)
/// and the warnings about them as a whole.
type Compiled = (Vec<(String, Arc<BoundTable>)>, Vec<String>);

/// The tables of a `--tab` directory with data files, bound to the rules
/// as [`mask_tab_dir`] binds them before it reads a row (the same refusals),
/// in name order, and the warnings about them: what `masker explain --tab`
/// prints.
pub fn bound_tables(
    rules: &Rules,
    in_dir: &Path,
    database: Option<&str>,
    allow_missing: bool,
) -> Result<(Vec<Arc<BoundTable>>, Vec<String>)> {
    let (sql, txt) = list_dir(in_dir)?;
    let (tables, warnings) = compile(rules, in_dir, &sql, &txt, database, allow_missing)?;
    Ok((tables.into_iter().map(|(_, t)| t).collect(), warnings))
}

/// Read every schema of the tables with data and bind each to the rules;
/// every problem at once.
fn compile(
    rules: &Rules,
    in_dir: &Path,
    sql: &[String],
    txt: &[String],
    database: Option<&str>,
    allow_missing: bool,
) -> Result<Compiled> {
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    let mut catalog = Catalog::new(rules);
    for stem in sql.iter().filter(|s| txt.contains(s)) {
        let path = in_dir.join(format!("{stem}.sql"));
        let f = File::open(&path).map_err(|e| io_error("cannot open", &path, e))?;
        // Say which file a positioned error is in.
        let schemas = read_schemas(BufReader::new(f)).map_err(|e| in_file(e, &path))?;
        let schema = match schemas.iter().position(|s| s.name.table == *stem) {
            Some(i) => schemas[i].clone(),
            None if schemas.len() == 1 => schemas[0].clone(),
            None => {
                let message = if schemas.is_empty() {
                    format!("{stem}.sql holds no CREATE TABLE (dumped with --no-create-info?), so the columns of {stem}.txt are unknown")
                } else {
                    format!(
                        "no CREATE TABLE for this table in {stem}.sql (found {})",
                        schemas.len()
                    )
                };
                problems.push(PlanProblem::new(
                    TableName::new(database, stem),
                    PlanProblemKind::UnknownColumns,
                    message,
                ));
                unknown.push(stem.as_str());
                continue;
            }
        };
        let mut schema = schema;
        if let Some(db) = database {
            schema.name.database = Some(db.to_owned());
        }
        match catalog.define(schema, true) {
            Ok(table) => tables.push((stem.clone(), table)),
            Err(p) => problems.extend(p),
        }
    }
    if !allow_missing {
        // A table whose schema could not be read is there: its rules are
        // not "missing" as well.
        let there = |p: &PlanProblem| {
            p.table
                .as_ref()
                .is_some_and(|t| unknown.contains(&t.table.as_str()))
        };
        problems.extend(catalog.missing_tables().into_iter().filter(|p| !there(p)));
    }
    if !problems.is_empty() {
        return Err(Error::new(ErrorKind::Plan {
            pos: None,
            problems,
        }));
    }
    Ok((tables, catalog.row_policy_warnings()))
}

/// Visit every row of every table of a `--tab` directory, writing nothing
/// (see [`masker_core::pipeline::visit`]): tables one after the other in name
/// order, each with `opts.threads` workers. `merge` receives each chunk's
/// part. Returns each table's schema and summary.
pub fn visit_tab_dir<V: RowVisitor>(
    rules: &Rules,
    in_dir: &Path,
    dialect: &TsvDialect,
    opts: &TsvOptions,
    database: Option<&str>,
    visitor: &V,
    mut merge: impl FnMut(V::Part) + Send,
) -> Result<Vec<(TableSchema, Summary)>> {
    let (sql, txt) = list_dir(in_dir)?;
    let (tables, _) = compile(rules, in_dir, &sql, &txt, database, opts.allow_missing)?;
    let mut out = Vec::with_capacity(tables.len());
    for (stem, table) in &tables {
        let schema = table.schema();
        let input = in_dir.join(format!("{stem}.txt"));
        let f = File::open(&input).map_err(|e| io_error("cannot open", &input, e))?;
        let table_opts = TsvOptions {
            allow_missing: true,
            ..opts.clone()
        };
        let s = visit_tsv(
            rules,
            schema,
            dialect,
            BufReader::with_capacity(1 << 20, f),
            &table_opts,
            visitor,
            &mut merge,
        )
        .map_err(|e| in_file(e, &input))?;
        out.push((schema.clone(), s));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use masker_core::rules::RulesBuilder;
    use masker_core::schema::TableName;

    const CREATE: &str = "CREATE TABLE `users` (\n  `id` int NOT NULL,\n  `email` varchar(255) DEFAULT NULL,\n  `memo` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;";

    fn rules(toml: &str) -> Rules {
        RulesBuilder::new()
            .toml(toml, "test.toml")
            .key(b"test key, not secret")
            .build()
            .unwrap()
    }

    fn data(n: usize) -> String {
        (0..n)
            .map(|i| format!("{i}\tuser{i}@example.com\tmemo {i}\n"))
            .collect()
    }

    /// A `--tab` directory in `inp` and an empty output directory.
    fn fixture() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (inp, outp) = (dir.path().join("in"), dir.path().join("out"));
        std::fs::create_dir_all(&inp).unwrap();
        std::fs::create_dir_all(&outp).unwrap();
        let header = "-- MariaDB dump\n/*!40101 SET NAMES utf8mb4 */;\n";
        std::fs::write(inp.join("users.sql"), format!("{header}{CREATE}\n")).unwrap();
        std::fs::write(inp.join("users.txt"), data(10)).unwrap();
        std::fs::write(inp.join("v.sql"), "CREATE VIEW v AS SELECT 1;\n").unwrap();
        (dir, inp, outp)
    }

    fn opts() -> TsvOptions {
        TsvOptions {
            threads: 2,
            chunk_size: 100,
            ..TsvOptions::default()
        }
    }

    #[test]
    fn empty_rules_copy_every_file_and_views_are_schema_only() {
        let (_dir, inp, outp) = fixture();
        let d = TsvDialect::default();
        let s = mask_tab_dir(
            &Rules::empty(),
            &inp,
            Some(&outp),
            &d,
            &opts(),
            Some("shop"),
        )
        .unwrap();
        assert_eq!(s.tables.len(), 1);
        assert_eq!(s.tables[0].0, TableName::new(Some("shop"), "users"));
        assert_eq!(s.schema_only, vec!["v.sql".to_string()]);
        for f in ["users.sql", "users.txt", "v.sql"] {
            assert_eq!(
                std::fs::read(inp.join(f)).unwrap(),
                std::fs::read(outp.join(f)).unwrap(),
                "{f}"
            );
        }
    }

    #[test]
    fn dotted_rules_need_the_database_and_missing_tables_are_named() {
        let (_dir, inp, outp) = fixture();
        let d = TsvDialect::default();
        let r = rules("[tables.\"shop.users\"]\nmemo = \"null\"\n");
        let s = mask_tab_dir(&r, &inp, Some(&outp), &d, &opts(), Some("shop")).unwrap();
        assert_eq!(s.total().masked.get("shop.users.memo"), Some(&10));
        let text = std::fs::read_to_string(outp.join("users.txt")).unwrap();
        assert!(!text.contains("memo "), "{text}");
        let r = rules("[tables.orders]\nnote = \"null\"\n");
        let e = mask_tab_dir(&r, &inp, Some(&outp), &d, &opts(), None).unwrap_err();
        assert!(e.to_string().contains("orders"), "{e}");
    }

    /// Without an output directory the same run masks every row and
    /// throws the bytes away: the same summary, the same refusals, and
    /// nothing written anywhere.
    #[test]
    fn checking_runs_the_masking_and_writes_nothing() {
        let (dir, inp, outp) = fixture();
        let d = TsvDialect::default();
        let r = rules("[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\nmemo = \"null\"\n");
        let checked = mask_tab_dir(&r, &inp, None, &d, &opts(), None).unwrap();
        assert_eq!(std::fs::read_dir(&outp).unwrap().count(), 0);
        let masked = mask_tab_dir(&r, &inp, Some(&outp), &d, &opts(), None).unwrap();
        assert_eq!(checked, masked);
        assert_eq!(checked.total().masked.get("users.email"), Some(&10));
        assert_eq!(checked.schema_only, vec!["v.sql".to_string()]);
        // A data file that `mask` refuses, `check` refuses with the same error.
        std::fs::write(inp.join("users.txt"), b"1\tonly two\n").unwrap();
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        let m = mask_tab_dir(&r, &inp, Some(&other), &d, &opts(), None).unwrap_err();
        let c = mask_tab_dir(&r, &inp, None, &d, &opts(), None).unwrap_err();
        assert_eq!(c.to_string(), m.to_string());
    }

    #[test]
    fn a_bad_data_file_is_named_and_removed() {
        let (_dir, inp, outp) = fixture();
        std::fs::write(inp.join("users.txt"), b"1\tonly two\n").unwrap();
        let d = TsvDialect::default();
        let e = mask_tab_dir(&Rules::empty(), &inp, Some(&outp), &d, &opts(), None).unwrap_err();
        assert!(e.to_string().contains("users.txt"), "{e}");
        assert!(!outp.join("users.txt").exists());
    }

    #[test]
    fn a_data_file_without_its_schema_is_refused() {
        let (_dir, inp, outp) = fixture();
        std::fs::write(inp.join("orphan.txt"), b"1\n").unwrap();
        let d = TsvDialect::default();
        let e = mask_tab_dir(&Rules::empty(), &inp, Some(&outp), &d, &opts(), None).unwrap_err();
        assert!(
            e.to_string().contains("orphan.txt has no orphan.sql"),
            "{e}"
        );
    }

    /// Row policies on a `--tab` directory: `rows = "none"` writes an empty
    /// data file, `where` keeps matching rows, and the foreign key from a
    /// filtered table is warned about.
    #[test]
    fn row_policies_write_empty_and_filtered_files() {
        let users = "CREATE TABLE `users` (\n  `id` int NOT NULL,\n  `email` varchar(64) NOT NULL,\n  PRIMARY KEY (`id`)\n);\n";
        let orders = "CREATE TABLE `orders` (\n  `id` int NOT NULL,\n  `user_id` int,\n  `amount` decimal(10,2),\n  CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)\n);\n";
        let dir = tempfile::tempdir().unwrap();
        let (inp, outp) = (dir.path().join("in"), dir.path().join("out"));
        std::fs::create_dir_all(&inp).unwrap();
        std::fs::create_dir_all(&outp).unwrap();
        std::fs::write(inp.join("users.sql"), users).unwrap();
        std::fs::write(
            inp.join("users.txt"),
            "1\ta@x.com\n2\tb@x.com\n3\tc@x.com\n",
        )
        .unwrap();
        std::fs::write(inp.join("orders.sql"), orders).unwrap();
        std::fs::write(inp.join("orders.txt"), "1\t1\t5.00\n2\t3\t0.50\n").unwrap();
        let r = rules(
            "[tables.users]\nrows = \"none\"\n[tables.orders]\nrows = { where = \"amount > 1\" }\n",
        );
        let opts = TsvOptions {
            threads: 2,
            chunk_size: 8,
            ..TsvOptions::default()
        };
        let d = TsvDialect::default();
        let s = mask_tab_dir(&r, &inp, Some(&outp), &d, &opts, None).unwrap();
        assert_eq!(std::fs::read(outp.join("users.txt")).unwrap(), b"");
        assert_eq!(
            std::fs::read(outp.join("orders.txt")).unwrap(),
            b"1\t1\t5.00\n"
        );
        assert_eq!(
            std::fs::read_to_string(outp.join("users.sql")).unwrap(),
            users
        );
        let total = s.total();
        assert_eq!(total.dropped.get("users"), Some(&3));
        assert_eq!(total.dropped.get("orders"), Some(&1));
        assert_eq!(total.warnings.len(), 1, "{:?}", total.warnings);
    }
}
