//! Row context through the one masking path, on every input: `when`
//! conditions, templates and table row policies (`rows = "none"`,
//! `rows = { where }`) on SQL dumps (MariaDB's multi-line and MySQL's
//! one-line extended INSERTs, with a tail clause) and one TSV stream (the
//! `--tab` directory's case is in masker-cli's `tab_dir`). The output is compared with the expected text at every
//! chunk size and thread count, so a statement cut between chunks cannot
//! leave an INSERT without rows or a dangling `,`.

use masker_core::rules::{Rules, RulesBuilder};
use masker_core::schema::parse_create_table;
use masker_core::tokenizer::tsv::TsvDialect;
use masker_core::tsv::{mask_tsv, TsvOptions};
use masker_core::{check_reader, mask_reader, MaskOptions, Summary};

fn rules(toml: &str) -> Rules {
    RulesBuilder::new()
        .toml(toml, "rules.toml")
        .key(b"row context test key 0123")
        .build()
        .unwrap()
}

fn mask(rules: &Rules, input: &[u8], threads: usize, chunk: usize) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let opts = MaskOptions {
        threads,
        chunk_size: chunk,
        ..MaskOptions::default()
    };
    let s = mask_reader(rules, input, &mut out, &opts).unwrap();
    (out, s)
}

/// Every chunk size from 1 byte up, and 1 and 3 threads: the same bytes.
fn mask_everywhere(rules: &Rules, input: &[u8]) -> (Vec<u8>, Summary) {
    let (first, summary) = mask(rules, input, 1, 1 << 20);
    for chunk in (1..input.len() + 2).step_by(7).chain([1, 2, 3, 5, 64]) {
        for threads in [1, 3] {
            let (out, s) = mask(rules, input, threads, chunk);
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&first),
                "chunk {chunk}, threads {threads}"
            );
            assert_eq!(s.dropped, summary.dropped);
            assert_eq!(s.masked, summary.masked);
        }
    }
    (first, summary)
}

const USERS: &str = "CREATE TABLE `users` (\n  `id` int NOT NULL,\n  `email` varchar(64) NOT NULL,\n  `is_test` tinyint NOT NULL,\n  `note` varchar(20) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\n";

const ORDERS: &str = "CREATE TABLE `orders` (\n  `id` int NOT NULL,\n  `user_id` int,\n  `amount` decimal(10,2),\n  CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)\n);\n";

#[test]
fn where_drops_rows_and_statements_left_without_rows() {
    let dump = format!(
        "{USERS}LOCK TABLES `users` WRITE;\n\
         INSERT INTO `users` VALUES (1,'a@x.com',0,NULL),\n(2,'b@x.com',1,'x'),\n(3,'c@x.com',1,'y');\n\
         INSERT INTO `users` VALUES (4,'d@x.com',1,NULL),(5,'e@x.com',1,NULL);\n\
         INSERT INTO `users` VALUES (6,'f@x.com',1,NULL), (7,'g@x.com',0,'z') ,(8,'h@x.com',1,NULL);\n\
         INSERT INTO `users` (`id`,`email`,`is_test`,`note`) VALUES (9,'i@x.com',0,NULL) ON DUPLICATE KEY UPDATE note=VALUES(note);\n\
         UNLOCK TABLES;\n"
    );
    let r = rules("[tables.users]\nrows = { where = \"is_test = 0\" }\n");
    let (out, s) = mask_everywhere(&r, dump.as_bytes());
    let want = format!(
        "{USERS}LOCK TABLES `users` WRITE;\n\
         INSERT INTO `users` VALUES (1,'a@x.com',0,NULL);\n\
         \n\
         INSERT INTO `users` VALUES (7,'g@x.com',0,'z');\n\
         INSERT INTO `users` (`id`,`email`,`is_test`,`note`) VALUES (9,'i@x.com',0,NULL) ON DUPLICATE KEY UPDATE note=VALUES(note);\n\
         UNLOCK TABLES;\n"
    );
    assert_eq!(String::from_utf8_lossy(&out), want);
    assert_eq!(s.rows, 9);
    assert_eq!(s.dropped.get("users"), Some(&6));
    // check is the same run with the output thrown away: same counts.
    let c = check_reader(&r, dump.as_bytes(), &MaskOptions::default()).unwrap();
    assert_eq!(c.dropped, s.dropped);
}

#[test]
fn rows_none_keeps_the_schema_and_warns_about_foreign_keys() {
    let dump = format!(
        "{USERS}INSERT INTO `users` VALUES (1,'a@x.com',0,NULL),(2,'b@x.com',1,NULL);\n\
         {ORDERS}INSERT INTO `orders` VALUES (1,1,5.00),(2,2,0.50);\n-- end\n"
    );
    let r = rules("[tables.users]\nrows = \"none\"\n");
    let (out, s) = mask_everywhere(&r, dump.as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&out),
        format!("{USERS}\n{ORDERS}INSERT INTO `orders` VALUES (1,1,5.00),(2,2,0.50);\n-- end\n")
    );
    assert_eq!(s.dropped.get("users"), Some(&2));
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].starts_with("orders(user_id) references users(id)"));
    // Filtering the referencing table only: no warning.
    let r = rules("[tables.orders]\nrows = { where = \"amount >= 1\" }\n");
    let (out, s) = mask_everywhere(&r, dump.as_bytes());
    assert!(String::from_utf8_lossy(&out).contains("VALUES (1,1,5.00);\n"));
    assert!(s.warnings.is_empty());
    assert_eq!(s.dropped.get("orders"), Some(&1));
}

#[test]
fn templates_and_conditions_on_sql_rows() {
    let dump = format!(
        "{USERS}INSERT INTO `users` VALUES (1,'a@x.com',0,NULL),(2,'b@x.com',1,'keep me'),(3,'c@x.com',0,'n');\n"
    );
    let r = rules(
        "[tables.users]\n\
         email = { template = \"user{id}@example.com\", when = \"is_test = 0\" }\n\
         note = { transform = \"constant\", value = \"masked\", when = \"is_test = 0 AND note IS NOT NULL\" }\n",
    );
    let (out, s) = mask_everywhere(&r, dump.as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&out),
        format!(
            "{USERS}INSERT INTO `users` VALUES (1,'user1@example.com',0,NULL),(2,'b@x.com',1,'keep me'),(3,'user3@example.com',0,'masked');\n"
        )
    );
    assert_eq!(s.masked.get("users.email"), Some(&2));
    assert_eq!(s.masked.get("users.note"), Some(&1));
}

#[test]
fn a_template_naming_a_masked_column_is_refused_by_check_and_mask() {
    let dump = format!("{USERS}INSERT INTO `users` VALUES (1,'a@x.com',0,NULL);\n");
    let r = rules("[tables.users]\nemail = \"hash\"\nnote = { template = \"{email}\" }\n");
    let c = check_reader(&r, dump.as_bytes(), &MaskOptions::default()).unwrap_err();
    let mut out = Vec::new();
    let m = mask_reader(&r, dump.as_bytes(), &mut out, &MaskOptions::default()).unwrap_err();
    assert_eq!(c.to_string(), m.to_string());
    assert!(m.to_string().contains("tables.users.note.template"), "{m}");
}

#[test]
fn tsv_stream_and_tab_directory_drop_rows() {
    let schema = parse_create_table(USERS.as_bytes()).unwrap();
    let d = TsvDialect::default();
    let input = b"1\ta@x.com\t0\t\\N\n2\tb@x.com\t1\tx\n3\tc@x.com\t0\ty\n";
    let r = rules(
        "[tables.users]\nrows = { where = \"is_test = 0\" }\nemail = { template = \"u{id}@example.com\" }\n",
    );
    let mut first = None;
    for threads in [1, 2] {
        for chunk in [1, 5, 17, 1000] {
            let mut out = Vec::new();
            let opts = TsvOptions {
                threads,
                chunk_size: chunk,
                ..TsvOptions::default()
            };
            let s = mask_tsv(&r, &schema, &d, &input[..], &mut out, &opts).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out),
                "1\tu1@example.com\t0\t\\N\n3\tu3@example.com\t0\ty\n"
            );
            assert_eq!(s.dropped.get("users"), Some(&1));
            assert_eq!(*first.get_or_insert(out.clone()), out);
        }
    }
}

/// Collects exported rows per table, in memory.
#[derive(Default)]
struct Rows(Vec<(String, Vec<u8>)>);

impl masker_core::ExportSink for Rows {
    fn begin_table(&mut self, schema: &masker_core::schema::TableSchema) -> std::io::Result<usize> {
        self.0.push((schema.name.table.clone(), Vec::new()));
        Ok(self.0.len() - 1)
    }
    fn write_rows(&mut self, table: usize, rows: &[u8]) -> std::io::Result<()> {
        self.0[table].1.extend_from_slice(rows);
        Ok(())
    }
    fn end_table(&mut self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_export_gets_only_the_kept_rows_with_their_final_values() {
    let dump = format!(
        "{USERS}INSERT INTO `users` VALUES (1,'a@x.com',0,NULL),(2,'b@x.com',1,NULL),(3,'c@x.com',0,'n');\n{ORDERS}INSERT INTO `orders` VALUES (1,1,5.00);\n"
    );
    let r = rules(
        "[tables.users]\nrows = { where = \"is_test = 0\" }\nemail = { template = \"u{id}@example.com\" }\n[tables.orders]\nrows = \"none\"\n",
    );
    let config = masker_core::ExportConfig::default();
    let mut sink = Rows::default();
    let mut sql = Vec::new();
    let opts = MaskOptions {
        threads: 2,
        chunk_size: 16,
        ..MaskOptions::default()
    };
    masker_core::mask_reader_with_export(
        &r,
        dump.as_bytes(),
        &mut sql,
        &opts,
        Some((&config, &mut sink)),
    )
    .unwrap();
    assert_eq!(sink.0.len(), 2);
    assert_eq!(
        String::from_utf8_lossy(&sink.0[0].1),
        "1\tu1@example.com\t0\t\\N\n3\tu3@example.com\t0\tn\n"
    );
    assert_eq!(sink.0[1].1, b"");
    assert!(String::from_utf8_lossy(&sql)
        .contains("VALUES (1,'u1@example.com',0,NULL),(3,'u3@example.com',0,'n');"));
}

/// Logs the sink calls, and whether rows came for a table already ended.
#[derive(Default)]
struct Calls {
    log: Vec<String>,
    ended: Vec<bool>,
    rows_after_end: bool,
}

impl masker_core::ExportSink for Calls {
    fn begin_table(&mut self, schema: &masker_core::schema::TableSchema) -> std::io::Result<usize> {
        self.log.push(format!("begin {}", schema.name.table));
        self.ended.push(false);
        Ok(self.ended.len() - 1)
    }
    fn write_rows(&mut self, table: usize, rows: &[u8]) -> std::io::Result<()> {
        self.rows_after_end |= self.ended[table];
        self.log.push(format!("rows {table} {}", rows.len()));
        Ok(())
    }
    fn end_table(&mut self, table: usize) -> std::io::Result<()> {
        self.ended[table] = true;
        self.log.push(format!("end {table}"));
        Ok(())
    }
}

/// Regression (fuzz, `export`): a table defined twice in one chunk, with
/// rows between the definitions. The first definition was ended before the
/// chunk's rows were written, so its rows came after its end.
#[test]
fn a_table_defined_again_gets_its_rows_before_its_end() {
    let dump = format!(
        "{USERS}INSERT INTO `users` VALUES (1,'a@x.com',0,NULL);\n{USERS}INSERT INTO `users` VALUES (2,'b@x.com',0,NULL),(3,'c@x.com',0,NULL);\n"
    );
    let r = rules("[tables.users]\nemail = \"hash\"\n");
    let config = masker_core::ExportConfig::default();
    for (threads, chunk) in [(1, 1 << 20), (2, 1 << 20), (1, 16), (2, 40)] {
        let mut sink = Calls::default();
        let opts = MaskOptions {
            threads,
            chunk_size: chunk,
            ..MaskOptions::default()
        };
        masker_core::mask_reader_with_export(
            &r,
            dump.as_bytes(),
            Vec::new(),
            &opts,
            Some((&config, &mut sink)),
        )
        .unwrap();
        assert!(!sink.rows_after_end, "{:?}", sink.log);
        assert_eq!(sink.ended, [true, true], "{:?}", sink.log);
        let at = |s: &str| sink.log.iter().position(|l| l.starts_with(s)).unwrap();
        assert!(
            at("rows 0") < at("end 0") && at("end 0") < at("rows 1"),
            "{:?}",
            sink.log
        );
    }
}
