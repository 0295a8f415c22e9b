//! Against the local MariaDB: create the tricky databases
//! (testdata/mariadb/create_tricky.sh), dump them under every option variant
//! (testdata/mariadb/dump_variants.sh), and for each dump: `masker mask` with
//! empty rules gives the input byte for byte (1 and 4 threads), and the output
//! loads back into a fresh database with the same table contents.

mod util;

use std::process::Command;

use util::*;

#[test]
fn tricky_dumps_pass_through_and_load_back() {
    require_mariadb();
    let src1 = db_name("rt", "src1");
    let src2 = db_name("rt", "src2");
    let _src = ScratchDb::adopt(&[&src1, &src2]);
    let out = run(
        Command::new(testdata("mariadb/create_tricky.sh")).args([&src1, &src2]),
        None,
    );
    assert!(out.status.success(), "create_tricky.sh: {}", stderr(&out));

    let dir = tempfile::tempdir().unwrap();
    let out = run(
        Command::new(testdata("mariadb/dump_variants.sh"))
            .arg(dir.path())
            .args([&src1, &src2]),
        None,
    );
    assert!(out.status.success(), "dump_variants.sh: {}", stderr(&out));
    let variants: Vec<String> = stdout_str(&out).lines().map(str::to_owned).collect();
    for required in [
        "default",
        "complete-insert",
        "insert-ignore",
        "replace",
        "skip-extended-insert",
        "hex-blob",
        "compact",
        "no-create-info",
        "databases",
        "routines",
    ] {
        assert!(
            variants.iter().any(|v| v == required),
            "variant {required} missing: {variants:?}"
        );
    }

    let src_tables = base_tables(&src1);
    assert!(src_tables.len() >= 10, "tricky tables: {src_tables:?}");
    let mut failures = Vec::new();
    for v in &variants {
        let path = dir.path().join(format!("{v}.sql"));
        let input = std::fs::read(&path).unwrap();
        assert!(input.len() > 1000, "{v}: dump is {} bytes", input.len());

        // 1. Identity, byte for byte.
        let mut output = None;
        for t in ["1", "4"] {
            let out = mask_file(&empty_rules(), &path, &["-q", "--threads", t], None);
            if code(&out) != 0 {
                failures.push(format!(
                    "{v} --threads {t}: exit {}: {}",
                    code(&out),
                    stderr(&out)
                ));
                continue;
            }
            if let Some(at) = first_diff(&input, &out.stdout) {
                failures.push(format!(
                    "{v} --threads {t}: output differs from the input at byte {at}"
                ));
                continue;
            }
            output = Some(out.stdout);
        }
        let Some(output) = output else { continue };

        // 2. The output loads back into fresh databases.
        let dst1 = db_name("rt", "dst1");
        let dst2 = db_name("rt", "dst2");
        let dst = ScratchDb::create(&dst1);
        let _dst2 = ScratchDb::adopt(&[&dst2]);
        let mut extra: Vec<&str> = Vec::new();
        // A --compact dump has no SET SQL_MODE of its own; generated-column
        // values only load in a non-strict mode (the server default is strict).
        let init;
        if v == "compact" {
            init = "--init-command=SET sql_mode='NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'"
                .to_owned();
            extra.push(&init);
        }
        let (load_db, data): (Option<&str>, Vec<u8>) = if v == "databases" {
            // CREATE DATABASE / USE name the source databases: load under new names.
            let text = replace_bytes(
                &replace_bytes(&output, src1.as_bytes(), dst1.as_bytes()),
                src2.as_bytes(),
                dst2.as_bytes(),
            );
            assert!(!contains(&text, src1.as_bytes()));
            (None, text)
        } else {
            if v == "no-create-info" {
                // Tables first (without triggers, which the data dump brings).
                let schema = dump(&["--no-data", "--skip-triggers", &src1]);
                let out = load_bytes(Some(&dst1), &schema, &[]);
                assert!(out.status.success(), "schema load: {}", stderr(&out));
            }
            (Some(dst.name()), output.clone())
        };
        let out = load_bytes(load_db, &data, &extra);
        if !out.status.success() {
            failures.push(format!(
                "{v}: the masked output does not load: {}",
                truncate(&stderr(&out), 600)
            ));
            continue;
        }

        // 3. Same table contents (except the lossy latin1 connection variant).
        let tables = base_tables(&dst1);
        if v != "latin1" {
            if tables != src_tables {
                failures.push(format!(
                    "{v}: tables after load {tables:?}, source {src_tables:?}"
                ));
            }
        } else if tables.is_empty() {
            failures.push(format!("{v}: no tables after load"));
        }
        if v != "latin1" {
            for t in &tables {
                let (a, b) = (checksum(&src1, t), checksum(&dst1, t));
                if a != b {
                    failures.push(format!(
                        "{v}: table {t} differs after the round trip ({a} vs {b})"
                    ));
                }
            }
        }
        if v == "databases" {
            for t in base_tables(&src2) {
                let (a, b) = (checksum(&src2, &t), checksum(&dst2, &t));
                if a != b {
                    failures.push(format!("{v}: second database's {t} differs ({a} vs {b})"));
                }
            }
        }
        if v == "routines" {
            for (what, table, col) in [
                ("routines", "ROUTINES", "ROUTINE_SCHEMA"),
                ("events", "EVENTS", "EVENT_SCHEMA"),
                ("triggers", "TRIGGERS", "TRIGGER_SCHEMA"),
            ] {
                let count = |db: &str| {
                    sql(
                        None,
                        &format!(
                            "SELECT count(*) FROM information_schema.{table} WHERE {col} = '{db}'"
                        ),
                    )
                    .trim()
                    .to_owned()
                };
                let (a, b) = (count(&src1), count(&dst1));
                if a != b || a == "0" {
                    failures.push(format!("{v}: {b} {what} after load, {a} in the source"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}
