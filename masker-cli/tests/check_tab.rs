//! `masker check --tab DIR`: the gate of a `mysqldump --tab` directory runs
//! what `masker mask --tab DIR -o OUT` runs, with nothing written. Each
//! case below breaks the rules or the directory one way; `mask --tab`
//! refuses it with an exit code and a message, and `check --tab` (without
//! the key, so with the placeholder key) refuses it with the same code and
//! the same message (`check` names the rules file in front of a plan
//! problem), writing nothing. Good rules pass both. Also `check -q` and the
//! hint for a `--tab` directory given without `--tab`.
//!
//! The directory is `testdata/mariadb/tab_trigger` (made by `mariadb-dump
//! --tab`) plus `accounts`, a table with a generated column, in the same
//! layout.

mod util;

use std::path::{Path, PathBuf};
use std::process::Output;

use util::*;

const KEY: &str = "check-tab-test-key-0123";

const ACCOUNTS_SQL: &str = "-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `accounts`;\nCREATE TABLE `accounts` (\n  `id` int(11) NOT NULL,\n  `email` varchar(80) NOT NULL,\n  `email_lc` varchar(80) GENERATED ALWAYS AS (lcase(`email`)) VIRTUAL,\n  `plan` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n\n-- Dump completed on 2026-11-27 23:15:00\n";

const ACCOUNTS_TXT: &str =
    "1\tHanako@Example.JP\thanako@example.jp\tgold\n2\ttaro@example.jp\ttaro@example.jp\t\\N\n";

/// Rules that fit every table of the directory.
const GOOD: &str = "[tables.people]\nemail = { transform = \"hash\", format = \"email\" }\nname = \"null\"\n[tables.people_log]\nemail = { transform = \"hash\", format = \"email\" }\n[tables.accounts]\nemail = { transform = \"hash\", format = \"email\" }\n";

/// A fresh copy of the fixture directory in `at`.
fn tab_dir(at: &Path) -> PathBuf {
    std::fs::create_dir_all(at).unwrap();
    for f in [
        "people.sql",
        "people.txt",
        "people_log.sql",
        "people_log.txt",
    ] {
        std::fs::copy(testdata(&format!("mariadb/tab_trigger/{f}")), at.join(f)).unwrap();
    }
    std::fs::write(at.join("accounts.sql"), ACCOUNTS_SQL).unwrap();
    std::fs::write(at.join("accounts.txt"), ACCOUNTS_TXT).unwrap();
    at.to_path_buf()
}

/// `check --tab` without the key (the placeholder key).
fn check_tab(rules: &Path, dir: &Path, extra: &[&str]) -> Output {
    let mut c = masker();
    c.args(["check", "--rules"])
        .arg(rules)
        .arg("--tab")
        .arg(dir)
        .args(extra);
    run(&mut c, None)
}

/// The error a run printed (from `masker: error: ` on), with the rules
/// file's name that `check` puts in front of a plan problem taken off.
fn error_of(out: &Output, rules: &Path) -> String {
    let text = stderr(out);
    let at = text
        .find("masker: error: ")
        .unwrap_or_else(|| panic!("no error in {text}"));
    let error = &text[at + "masker: error: ".len()..];
    let prefix = format!("{}: ", rules.display());
    error.strip_prefix(&prefix).unwrap_or(error).to_owned()
}

/// Every file and directory under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            v.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    v.sort();
    v
}

/// One way to break the run.
struct Case {
    name: &'static str,
    rules: &'static str,
    /// Change the directory (the fixture's copy) before both runs.
    damage: fn(&Path),
    extra: &'static [&'static str],
    code: i32,
    /// What the message must say (file, table, column, cause).
    says: &'static [&'static str],
}

fn intact(_: &Path) {}

/// Cut `file` of `dir` to its first `keep` bytes.
fn cut(dir: &Path, file: &str, keep: usize) {
    let p = dir.join(file);
    let data = std::fs::read(&p).unwrap();
    std::fs::write(&p, &data[..keep]).unwrap();
}

const CASES: &[Case] = &[
    Case {
        name: "a rule for a table the directory lacks",
        rules: "[tables.people]\nemail = \"hash\"\n[tables.ghost]\nx = \"null\"\n",
        damage: intact,
        extra: &[],
        code: 3,
        says: &["ghost: no such table"],
    },
    Case {
        name: "a rule on a generated column",
        rules: "[tables.accounts]\nemail_lc = \"hash\"\n",
        damage: intact,
        extra: &[],
        code: 3,
        says: &["accounts.email_lc", "generated column cannot be masked"],
    },
    Case {
        name: "a template naming a generated column",
        rules: "[tables.accounts]\nemail = { template = \"x{email_lc}@example.com\" }\n",
        damage: intact,
        extra: &[],
        code: 3,
        says: &["accounts.email", "generated column"],
    },
    Case {
        name: "null on a NOT NULL column",
        rules: "[tables.people]\nemail = \"null\"\n",
        damage: intact,
        extra: &[],
        code: 3,
        says: &["people.email"],
    },
    Case {
        name: "a rule for a column the table lacks",
        rules: "[tables.people]\nphone = \"hash\"\n",
        damage: intact,
        extra: &[],
        code: 3,
        says: &["phone"],
    },
    Case {
        name: "strict rules leaving columns unclassified",
        rules: "strict = true\n[tables.people]\nid = \"keep\"\nemail = \"hash\"\n",
        damage: intact,
        extra: &[],
        code: 3,
        says: &["people.name", "people_log", "accounts"],
    },
    Case {
        name: "an unknown transform",
        rules: "[tables.people]\nemail = \"hsah\"\n",
        damage: intact,
        extra: &[],
        code: 2,
        says: &["hsah"],
    },
    Case {
        name: "a dictionary meeting an unlisted value",
        rules: "[tables.accounts]\nplan = { dictionary = { values = { silver = \"basic\" } } }\n",
        damage: intact,
        extra: &[],
        code: 1,
        says: &["accounts.txt", "accounts.plan"],
    },
    Case {
        name: "a schema file cut before its last line",
        rules: GOOD,
        damage: |d| {
            let text = std::fs::read(d.join("people.sql")).unwrap();
            let at = text
                .windows(17)
                .position(|w| w == b"-- Dump completed")
                .unwrap();
            cut(d, "people.sql", at);
        },
        extra: &[],
        code: 1,
        says: &["people.sql", "Dump completed"],
    },
    Case {
        name: "a data file cut inside a row",
        rules: GOOD,
        damage: |d| cut(d, "people.txt", 40),
        extra: &[],
        code: 1,
        says: &["people.txt", "line 2"],
    },
    Case {
        name: "a data file without its schema file",
        rules: GOOD,
        damage: |d| std::fs::write(d.join("orphan.txt"), "1\n").unwrap(),
        extra: &[],
        code: 3,
        says: &["orphan.txt has no orphan.sql"],
    },
    // Regression (QA): `mariadb-dump --tab --no-create-info` leaves each
    // `.sql` empty; the table was also called missing from the dump.
    Case {
        name: "a schema file without its CREATE TABLE",
        rules: GOOD,
        damage: |d| std::fs::write(d.join("people.sql"), "").unwrap(),
        extra: &[],
        code: 3,
        says: &["people.sql holds no CREATE TABLE (dumped with --no-create-info?)"],
    },
    Case {
        name: "another dialect than the files'",
        rules: GOOD,
        damage: intact,
        extra: &["--fields-terminated-by", ","],
        code: 1,
        says: &["accounts.txt", "has 1 fields"],
    },
    Case {
        name: "rules for db.table with another --database",
        rules: "[tables.\"qa_tabtrig.people\"]\nname = \"null\"\n",
        damage: intact,
        extra: &["--database", "shop"],
        code: 3,
        says: &["qa_tabtrig.people: no such table"],
    },
    Case {
        name: "zero threads",
        rules: GOOD,
        damage: intact,
        extra: &["--threads", "0"],
        code: 2,
        says: &["--threads must be at least 1"],
    },
];

#[test]
fn check_tab_refuses_what_mask_tab_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, case) in CASES.iter().enumerate() {
        let root = tmp.path().join(format!("case{i}"));
        let dir = tab_dir(&root.join("tab"));
        (case.damage)(&dir);
        let rules = root.join("rules.toml");
        std::fs::write(&rules, case.rules).unwrap();
        let before = tree(&root);
        let out = root.join("out");
        let m = mask_tab(KEY, &rules, &dir, &out, case.extra);
        let c = check_tab(&rules, &dir, case.extra);
        for (cmd, r) in [("mask", &m), ("check", &c)] {
            assert_eq!(code(r), case.code, "{}: {cmd}: {}", case.name, stderr(r));
            for w in case.says {
                assert!(
                    stderr(r).contains(w),
                    "{}: {cmd}: {w:?} not in {}",
                    case.name,
                    stderr(r)
                );
            }
        }
        assert_eq!(
            error_of(&c, &rules),
            error_of(&m, &rules),
            "{}: check and mask say the same",
            case.name
        );
        assert!(!stderr(&c).contains(KEY), "{}", case.name);
        assert_eq!(tree(&root), before, "{}: nothing written", case.name);
    }
}

/// A run both commands accept: its name, rules, change to the directory
/// and flags.
type Accepted = (
    &'static str,
    &'static str,
    fn(&Path),
    &'static [&'static str],
);

/// The data files rewritten comma-separated.
fn comma(d: &Path) {
    for f in ["people.txt", "people_log.txt", "accounts.txt"] {
        let p = d.join(f);
        let text = std::fs::read_to_string(&p).unwrap().replace('\t', ",");
        std::fs::write(&p, text).unwrap();
    }
}

/// What `--allow-missing`, `--database` and the dialect flags let `mask
/// --tab` through, `check --tab` lets through: the good rules, and the
/// broken cases made whole by a flag.
#[test]
fn check_tab_accepts_what_mask_tab_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [Accepted; 4] = [
        ("good rules", GOOD, intact, &[]),
        (
            "a missing table with --allow-missing",
            "[tables.people]\nemail = \"hash\"\n[tables.ghost]\nx = \"null\"\n",
            intact,
            &["--allow-missing"],
        ),
        (
            "rules for db.table with its --database",
            "[tables.\"qa_tabtrig.people\"]\nname = \"null\"\n",
            intact,
            &["--database", "qa_tabtrig", "--threads", "1"],
        ),
        (
            "comma-separated files with their dialect",
            GOOD,
            comma,
            &["--fields-terminated-by", ","],
        ),
    ];
    for (i, (name, rules_text, damage, extra)) in cases.into_iter().enumerate() {
        let root = tmp.path().join(format!("case{i}"));
        let dir = tab_dir(&root.join("tab"));
        damage(&dir);
        let rules = root.join("rules.toml");
        std::fs::write(&rules, rules_text).unwrap();
        let before = tree(&root);
        let c = check_tab(&rules, &dir, extra);
        assert_eq!(code(&c), 0, "{name}: check: {}", stderr(&c));
        assert!(
            stderr(&c).contains("rules OK: 3 tables, 6 rows checked against"),
            "{name}: {}",
            stderr(&c)
        );
        assert_eq!(tree(&root), before, "{name}: check wrote nothing");
        let out = root.join("out");
        let m = mask_tab(KEY, &rules, &dir, &out, extra);
        assert_eq!(code(&m), 0, "{name}: mask: {}", stderr(&m));
        assert_eq!(files_in(&out, "").len(), 6, "{name}");
    }
}

/// `check -q` prints nothing on success, with the placeholder key too, for
/// a `--tab` directory, a SQL dump and a mydumper directory; its errors
/// are still printed.
#[test]
fn check_quiet_prints_nothing_on_success() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tab_dir(&tmp.path().join("tab"));
    let rules = tmp.path().join("rules.toml");
    std::fs::write(&rules, GOOD).unwrap();
    let runs: [(&str, Vec<std::ffi::OsString>, PathBuf); 3] = [
        (
            "--tab",
            vec!["--tab".into(), dir.clone().into()],
            rules.clone(),
        ),
        (
            "SQL",
            vec![testdata("example/shop.sql").into()],
            testdata("example/rules.toml"),
        ),
        (
            "mydumper",
            vec![testdata("mydumper/plain").into()],
            testdata("mydumper/rules.toml"),
        ),
    ];
    for (what, input, rules) in runs {
        for quiet in [false, true] {
            let mut c = masker();
            c.args(["check", "--rules"]).arg(&rules).args(&input);
            if quiet {
                c.arg("-q");
            }
            let o = run(&mut c, None);
            assert_eq!(code(&o), 0, "{what}: {}", stderr(&o));
            assert_eq!(stdout_str(&o), "", "{what}");
            if quiet {
                assert_eq!(stderr(&o), "", "{what}: -q prints nothing");
            } else {
                assert!(stderr(&o).contains("rules OK"), "{what}: {}", stderr(&o));
            }
        }
    }
    // Errors are printed all the same.
    cut(&dir, "people.txt", 40);
    let o = check_tab(&rules, &dir, &["--quiet"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("people.txt"), "{}", stderr(&o));
}

/// A `--tab` directory given to `check` as DUMP (no `--tab`) is named as
/// one, with the command that checks it, rather than refused as a broken
/// mydumper directory; flags that do nothing with `--tab` are refused as
/// `mask` refuses them.
#[test]
fn check_names_a_tab_directory_and_refuses_idle_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tab_dir(&tmp.path().join("tab"));
    let rules = tmp.path().join("rules.toml");
    std::fs::write(&rules, GOOD).unwrap();
    let mut c = masker();
    c.args(["check", "--rules"]).arg(&rules).arg(&dir);
    let o = run(&mut c, None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let want = format!(
        "is a `mysqldump --tab` directory (accounts.sql + accounts.txt), not a mydumper directory: give it with --tab: `masker check --rules RULES --tab {}`",
        dir.display()
    );
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    // `mask DIR` says the same, with its own command.
    let mut c = masker();
    c.env("MASKER_KEY", KEY)
        .args(["mask", "--rules"])
        .arg(&rules)
        .arg(&dir)
        .arg("-o")
        .arg(tmp.path().join("out"));
    let o = run(&mut c, None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("-o OUT_DIR`") && stderr(&o).contains("--tab"),
        "{}",
        stderr(&o)
    );

    let out = tmp.path().join("out");
    for (extra, says) in [
        (
            &["--allow-incomplete"][..],
            "--allow-incomplete does nothing with a --tab directory",
        ),
        (&["extra.sql"], "do not give an INPUT as well"),
    ] {
        let m = mask_tab(KEY, &rules, &dir, &out, extra);
        let c = check_tab(&rules, &dir, extra);
        for (cmd, r) in [("mask", &m), ("check", &c)] {
            assert_eq!(code(r), 2, "{cmd} {extra:?}: {}", stderr(r));
            assert!(stderr(r).contains(says), "{cmd}: {}", stderr(r));
        }
    }
    for (extra, says) in [
        (
            &["--schema", "x.sql"][..],
            "--schema does nothing with a --tab directory",
        ),
        (
            &["--scaffold"],
            "--scaffold reads a SQL dump, not a --tab directory",
        ),
    ] {
        let c = check_tab(&rules, &dir, extra);
        assert_eq!(code(&c), 2, "{extra:?}: {}", stderr(&c));
        assert!(stderr(&c).contains(says), "{}", stderr(&c));
    }
    // The dialect flags without --tab do nothing: refused.
    let mut c = masker();
    c.args(["check", "--rules"])
        .arg(testdata("example/rules.toml"))
        .arg(testdata("example/shop.sql"))
        .args(["--fields-terminated-by", ","]);
    let o = run(&mut c, None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("give it with --tab DIR"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}
