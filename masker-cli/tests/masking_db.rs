//! Issue 3's database test: mask a real mariadb-dump with keyed rules, load
//! the result in STRICT_ALL_TABLES mode with --show-warnings (no warning, no
//! error), and compare the tables by primary key.

mod util;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use util::*;

const KEY: &str = "masking-db-test-key-7f3a";

const RULES: &str = r#"
[key]
env = "MASKER_KEY"

[tables.users]
id    = "keep"
email = { transform = "hash", format = "email" }
name  = { transform = "fake", kind = "name", locale = "ja_JP" }
phone = "fpe"
memo  = "null"

[tables.orders]
contact_email = { transform = "hash", format = "email" }
"#;

const USERS: usize = 240;
const ORDERS: usize = 500;

fn email(i: usize) -> String {
    match i % 4 {
        0 => format!("user{i}@example.jp"),
        1 => format!("o'neil.{i}@mail.example.com"),
        2 => format!("First.Last+{i}@sub.example.org"),
        _ => format!("x{i}@y.example"),
    }
}

fn name(i: usize) -> String {
    match i % 4 {
        0 => format!("Pat O'Brien {i}"),
        1 => format!("Zed \\ Back {i}"),
        2 => format!("Émile Zola {i}"),
        _ => format!("Nobody {i}"),
    }
}

fn phone(i: usize) -> Option<String> {
    match i % 7 {
        0 => None,
        1 => Some(format!("090-{:04}-{:04}", i, 9999 - i)),
        2 => Some(format!("+81 3-{:04}-{:04}", i, i * 3 % 10000)),
        3 => Some(format!("(555) 010-{i:04}")),
        4 => Some(format!("ext.{i}A-b{i}")),
        // Full-width digits are refused by fpe (it would keep them): see
        // cli.rs `fpe_refuses_values_with_letters_or_digits_outside_ascii`.
        5 => Some(format!("03.{i:04}.{i:04}")),
        _ => Some(format!("{:011}", 40_000_000_000u64 + i as u64 * 7919)),
    }
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn q_opt(s: Option<String>) -> String {
    s.map(|s| q(&s)).unwrap_or_else(|| "NULL".into())
}

fn populate(db: &str) {
    let mut s = String::from(
        "SET NAMES utf8mb4;
CREATE TABLE users (
  id int unsigned NOT NULL PRIMARY KEY,
  email varchar(100) NOT NULL,
  name varchar(16) NOT NULL,
  phone varchar(32) DEFAULT NULL,
  memo text DEFAULT NULL,
  status varchar(10) NOT NULL,
  joined date NOT NULL,
  score int DEFAULT NULL,
  UNIQUE KEY uq_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE orders (
  id int unsigned NOT NULL PRIMARY KEY,
  user_id int unsigned DEFAULT NULL,
  contact_email varchar(100) NOT NULL,
  amount decimal(10,2) NOT NULL,
  note varchar(50) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO users VALUES\n",
    );
    for i in 1..=USERS {
        let memo = match i % 3 {
            0 => None,
            1 => Some(format!("memo {i}: it's \"quoted\"\nsecond line\t\\ end")),
            _ => Some(format!("メモ {i} 🍣")),
        };
        s.push_str(&format!(
            "({i},{},{},{},{},{},'2020-{:02}-{:02}',{}){}\n",
            q(&email(i)),
            q(&name(i)),
            q_opt(phone(i)),
            q_opt(memo),
            q(["active", "closed", "x"][i % 3]),
            1 + i % 12,
            1 + i % 28,
            if i % 5 == 0 {
                "NULL".to_owned()
            } else {
                (i as i64 * 37 - 500).to_string()
            },
            if i == USERS { ";" } else { "," }
        ));
    }
    s.push_str("INSERT INTO orders VALUES\n");
    for j in 1..=ORDERS {
        let (uid, mail) = if j % 10 == 0 {
            ("NULL".to_owned(), format!("guest{}@shop.example", j % 37))
        } else {
            let u = 1 + (j * 7) % USERS;
            (u.to_string(), email(u))
        };
        s.push_str(&format!(
            "({j},{uid},{},{}.{:02},{}){}\n",
            q(&mail),
            j * 13 % 1000,
            j % 100,
            if j % 4 == 0 {
                "NULL".to_owned()
            } else {
                q(&format!("note {j}; ok"))
            },
            if j == ORDERS { ";" } else { "," }
        ));
    }
    sql(Some(db), &s);
}

/// Rows of a table by primary key: each column as None (NULL) or its bytes.
type Rows = BTreeMap<u64, Vec<Option<Vec<u8>>>>;

fn fetch(db: &str, table: &str, cols: &[&str]) -> Rows {
    let exprs: Vec<String> = cols
        .iter()
        .map(|c| format!("IF(`{c}` IS NULL, 'N', CONCAT('V', HEX(CONCAT(`{c}`))))"))
        .collect();
    let out = sql(
        Some(db),
        &format!("SELECT id, {} FROM `{table}` ORDER BY id", exprs.join(", ")),
    );
    let mut rows = Rows::new();
    for line in out.lines() {
        let mut f = line.split('\t');
        let id: u64 = f.next().unwrap().parse().unwrap();
        let vals = f
            .map(|v| match v.strip_prefix('V') {
                Some(h) => Some(unhex(h)),
                None => {
                    assert_eq!(v, "N");
                    None
                }
            })
            .collect::<Vec<_>>();
        assert_eq!(vals.len(), cols.len());
        rows.insert(id, vals);
    }
    rows
}

fn s(v: &Option<Vec<u8>>) -> String {
    String::from_utf8(v.clone().expect("not NULL")).expect("utf8 value")
}

/// Load a dump the strict way: STRICT_ALL_TABLES also after the dump's own
/// `SET SQL_MODE`, and --show-warnings. Returns (success, all output).
fn load_strict(db: &str, dump: &[u8]) -> (bool, String) {
    const DUMP_MODE: &[u8] = b"SQL_MODE='NO_AUTO_VALUE_ON_ZERO'";
    const STRICT_MODE: &[u8] = b"SQL_MODE='NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES'";
    assert!(
        contains(dump, DUMP_MODE),
        "the dump no longer sets its SQL_MODE as expected"
    );
    let mut data = b"SET sql_mode='STRICT_ALL_TABLES';\n".to_vec();
    let mut i = 0;
    while i < dump.len() {
        if dump[i..].starts_with(DUMP_MODE) {
            data.extend_from_slice(STRICT_MODE);
            i += DUMP_MODE.len();
        } else {
            data.push(dump[i]);
            i += 1;
        }
    }
    data.extend_from_slice(b"SELECT CONCAT('mode:', @@SESSION.sql_mode) AS m;\n");
    let out = load_bytes(Some(db), &data, &["--show-warnings", "-N", "-B"]);
    let all = stdout_str(&out) + &stderr(&out);
    (out.status.success(), all)
}

fn mask_bytes(rules: &Path, dump: &Path, key: &str) -> Vec<u8> {
    mask_ok(rules, dump, &["-q"], Some(key))
}

struct Fixture {
    _dir: tempfile::TempDir,
    rules: std::path::PathBuf,
    dump_path: std::path::PathBuf,
    dump: Vec<u8>,
}

fn fixture(src: &str) -> Fixture {
    populate(src);
    let dir = tempfile::tempdir().unwrap();
    let dump_bytes = dump(&["--default-character-set=utf8mb4", "--skip-dump-date", src]);
    let dump_path = dir.path().join("dump.sql");
    std::fs::write(&dump_path, &dump_bytes).unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    Fixture {
        _dir: dir,
        rules,
        dump_path,
        dump: dump_bytes,
    }
}

#[test]
fn masked_dump_loads_strictly_and_matches_by_primary_key() {
    require_mariadb();
    let src_db = ScratchDb::create(&db_name("mdb", "src"));
    let dst_db = ScratchDb::create(&db_name("mdb", "dst"));
    let src = src_db.name();
    let dst = dst_db.name();
    let fx = fixture(src);

    let masked = mask_bytes(&fx.rules, &fx.dump_path, KEY);
    assert_ne!(masked, fx.dump);

    let (ok, log) = load_strict(dst, &masked);
    assert!(
        ok,
        "the masked dump does not load in strict mode:\n{}",
        truncate(&log, 3000)
    );
    assert!(
        log.contains("STRICT_ALL_TABLES"),
        "strict mode was not in effect: {log}"
    );
    for word in ["Warning", "Error", "ERROR"] {
        assert!(
            !log.contains(word),
            "load printed a {word}:\n{}",
            truncate(&log, 3000)
        );
    }

    // No original personal value survives anywhere in the masked dump.
    for i in 1..=USERS {
        let e = q(&email(i));
        let e = e.trim_matches('\'');
        assert!(
            !contains(&masked, e.as_bytes()),
            "email of user {i} leaked: {e}"
        );
        let n = q(&name(i));
        assert!(
            !contains(&masked, n.trim_matches('\'').as_bytes()),
            "name of user {i} leaked"
        );
        if let Some(p) = phone(i) {
            assert!(
                !contains(&masked, p.as_bytes()),
                "phone of user {i} leaked: {p}"
            );
        }
    }

    let ucols = [
        "email", "name", "phone", "memo", "status", "joined", "score",
    ];
    let before = fetch(src, "users", &ucols);
    let after = fetch(dst, "users", &ucols);
    assert_eq!(before.len(), USERS);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "primary keys differ"
    );
    let mut masked_email: HashMap<String, String> = HashMap::new();
    let mut fpe_map: HashMap<String, String> = HashMap::new();
    let mut problems = Vec::new();
    for (id, b) in &before {
        let a = &after[id];
        // Unmasked columns: identical.
        for (k, c) in ucols.iter().enumerate().skip(4) {
            if a[k] != b[k] {
                problems.push(format!("users {id}: unmasked column {c} changed"));
            }
        }
        // memo: null.
        if a[3].is_some() {
            problems.push(format!("users {id}: memo is not NULL"));
        }
        // email: changed, still local@domain.
        let (be, ae) = (s(&b[0]), s(&a[0]));
        if be == ae {
            problems.push(format!("users {id}: email unchanged"));
        }
        let parts: Vec<&str> = ae.split('@').collect();
        if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
            problems.push(format!(
                "users {id}: masked email {ae:?} is not local@domain"
            ));
        }
        masked_email.insert(be.to_lowercase(), ae);
        // name: changed, Japanese, fits varchar(16) (checked by the strict load too).
        let (bn, an) = (s(&b[1]), s(&a[1]));
        if bn == an {
            problems.push(format!("users {id}: name unchanged"));
        }
        if an.is_ascii() {
            problems.push(format!(
                "users {id}: ja_JP fake name {an:?} has no Japanese"
            ));
        }
        if an.chars().count() > 16 {
            problems.push(format!("users {id}: name {an:?} longer than varchar(16)"));
        }
        // phone: fpe shape.
        match (&b[2], &a[2]) {
            (None, None) => {}
            (Some(_), Some(_)) => {
                let (bp, ap) = (s(&b[2]), s(&a[2]));
                let (bc, ac): (Vec<char>, Vec<char>) = (bp.chars().collect(), ap.chars().collect());
                if bc.len() != ac.len() {
                    problems.push(format!(
                        "users {id}: fpe changed the length: {bp:?} -> {ap:?}"
                    ));
                } else {
                    for (x, y) in bc.iter().zip(&ac) {
                        let same_class = if x.is_ascii_digit() {
                            y.is_ascii_digit()
                        } else if x.is_ascii_lowercase() {
                            y.is_ascii_lowercase()
                        } else if x.is_ascii_uppercase() {
                            y.is_ascii_uppercase()
                        } else {
                            x == y
                        };
                        if !same_class {
                            problems
                                .push(format!("users {id}: fpe shape not kept: {bp:?} -> {ap:?}"));
                            break;
                        }
                    }
                }
                let digits = bc.iter().filter(|c| c.is_ascii_digit()).count();
                if digits >= 6 && bp == ap {
                    problems.push(format!("users {id}: phone {bp:?} unchanged"));
                }
                if let Some(prev) = fpe_map.insert(ap.clone(), bp.clone()) {
                    problems.push(format!("fpe collision: {prev:?} and {bp:?} both -> {ap:?}"));
                }
            }
            (b2, a2) => problems.push(format!(
                "users {id}: phone NULL-ness changed: {b2:?} -> {a2:?}"
            )),
        }
    }
    // Unique email column still unique (the UNIQUE key accepted the load; check anyway).
    let distinct: BTreeSet<_> = after.values().map(|r| s(&r[0]).to_lowercase()).collect();
    if distinct.len() != after.len() {
        problems.push(format!(
            "masked emails are not unique: {} distinct of {}",
            distinct.len(),
            after.len()
        ));
    }

    // orders: contact_email hashed like users.email; everything else identical.
    let ocols = ["user_id", "contact_email", "amount", "note"];
    let ob = fetch(src, "orders", &ocols);
    let oa = fetch(dst, "orders", &ocols);
    assert_eq!(ob.len(), ORDERS);
    assert_eq!(ob.keys().collect::<Vec<_>>(), oa.keys().collect::<Vec<_>>());
    let mut guest: HashMap<String, String> = HashMap::new();
    let mut joined = 0;
    for (id, b) in &ob {
        let a = &oa[id];
        for k in [0, 2, 3] {
            if a[k] != b[k] {
                problems.push(format!("orders {id}: unmasked column {} changed", ocols[k]));
            }
        }
        let (be, ae) = (s(&b[1]), s(&a[1]));
        if be == ae {
            problems.push(format!("orders {id}: contact_email unchanged"));
        }
        match masked_email.get(&be.to_lowercase()) {
            Some(m) => {
                joined += 1;
                if *m != ae {
                    problems.push(format!(
                        "orders {id}: {be:?} hashed to {ae:?} here but {m:?} in users"
                    ));
                }
            }
            None => {
                if let Some(prev) = guest.insert(be.clone(), ae.clone()) {
                    if prev != ae {
                        problems.push(format!(
                            "orders {id}: {be:?} hashed two ways: {prev:?}, {ae:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        joined > ORDERS / 2 && !guest.is_empty(),
        "fixture: {joined} joined orders"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn masking_is_deterministic_and_keyed() {
    require_mariadb();
    let src_db = ScratchDb::create(&db_name("mdbkey", "src"));
    let fx = fixture(src_db.name());
    let a = mask_bytes(&fx.rules, &fx.dump_path, KEY);
    let b = mask_bytes(&fx.rules, &fx.dump_path, KEY);
    assert_same_bytes("two runs with the same key", &a, &b);
    let a4 = mask_ok(
        &fx.rules,
        &fx.dump_path,
        &["-q", "--threads", "4"],
        Some(KEY),
    );
    assert_same_bytes("--threads 4", &a, &a4);
    let c = mask_bytes(&fx.rules, &fx.dump_path, "a-completely-different-key");
    assert_ne!(a, c, "a different key gives the same output");
    // Line by line: rows differ under another key (not just one value).
    let rows = |d: &[u8]| -> Vec<Vec<u8>> {
        d.split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b"("))
            .map(|l| l.to_vec())
            .collect()
    };
    let (ra, rc) = (rows(&a), rows(&c));
    assert_eq!(ra.len(), rc.len());
    assert_eq!(ra.len(), USERS + ORDERS);
    let same = ra.iter().zip(&rc).filter(|(x, y)| x == y).count();
    assert_eq!(
        same, 0,
        "{same} rows are identical under two different keys"
    );
    assert!(!contains(&a, KEY.as_bytes()));
}

/// Harness self-check: the strict load really rejects a value that does not
/// fit (so a passing load above means something).
#[test]
fn strict_load_rejects_a_value_that_does_not_fit() {
    require_mariadb();
    let src_db = ScratchDb::create(&db_name("mdbself", "src"));
    let dst_db = ScratchDb::create(&db_name("mdbself", "dst"));
    let fx = fixture(src_db.name());
    let name = q(&name(4));
    let long = q(&"長".repeat(40));
    let text = String::from_utf8(fx.dump.clone()).unwrap();
    assert!(text.contains(&name), "fixture dump lacks {name}");
    let broken = text.replacen(&name, &long, 1);
    let (ok, log) = load_strict(dst_db.name(), broken.as_bytes());
    assert!(
        !ok && log.contains("ERROR"),
        "an over-long name loaded in strict mode: {log}"
    );
    // And the unmasked dump itself loads cleanly the same way.
    let dst2 = ScratchDb::create(&db_name("mdbself", "dst2"));
    let (ok, log) = load_strict(dst2.name(), &fx.dump);
    assert!(ok && !log.contains("Warning"), "{log}");
}

/// MariaDB dumps a value for every generated column, including STORED ones
/// computed from a masked column. Masking `email` must not leave the original
/// address in plain text in a generated column of the same row.
#[test]
fn generated_column_does_not_leak_the_masked_source() {
    require_mariadb();
    let src_db = ScratchDb::create(&db_name("mdbgen", "src"));
    sql(
        Some(src_db.name()),
        "CREATE TABLE gen (
           id int NOT NULL PRIMARY KEY,
           email varchar(100) DEFAULT NULL,
           email_lc varchar(100) AS (lower(email)) STORED,
           domain varchar(100) AS (substring_index(email, '@', -1)) VIRTUAL
         );
         INSERT INTO gen (id, email) VALUES (1, 'Secret.Person@Example.COM'), (2, NULL);",
    );
    let dir = tempfile::tempdir().unwrap();
    let dump_path = dir.path().join("gen.sql");
    std::fs::write(&dump_path, dump(&["--skip-dump-date", src_db.name()])).unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[key]\nenv = \"MASKER_KEY\"\n[tables.gen]\nemail = { transform = \"hash\", format = \"email\" }\n",
    )
    .unwrap();
    let masked = mask_bytes(&rules, &dump_path, KEY);
    assert!(
        !contains(&masked, b"Secret.Person@Example.COM"),
        "email not masked"
    );
    assert!(
        !contains(&masked, b"secret.person@example.com"),
        "the STORED generated column still holds the original email in the masked dump:\n{}",
        String::from_utf8_lossy(&masked)
            .lines()
            .filter(|l| l.starts_with('('))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// QA: a dump made with `--default-character-set=binary` or `=latin1` holds
/// latin1 and cp932 text as those bytes, not UTF-8. masker masked those
/// bytes as if they were UTF-8: pseudonyms differed from every other path
/// (a utf8mb4 dump, mydumper, `masker dump`), and a Japanese fake name was
/// written as UTF-8 bytes into the cp932 column (mojibake after loading).
/// Under `SET NAMES cp932` a two-byte character ending in 0x5C (`ソ`, `表`)
/// was read as a backslash escape ("input ends inside a quoted string").
#[test]
fn dump_charset_binary_and_latin1_get_the_utf8mb4_pseudonyms_and_cp932_is_refused() {
    require_mariadb();
    let src = ScratchDb::create(&db_name("cs", "src"));
    sql(
        Some(src.name()),
        "CREATE TABLE people_l1 (id INT PRIMARY KEY, name VARCHAR(60), email VARCHAR(100), city VARCHAR(60)) DEFAULT CHARSET=latin1;
         CREATE TABLE people_cp (id INT PRIMARY KEY, name VARCHAR(60), email VARCHAR(100)) DEFAULT CHARSET=cp932;
         INSERT INTO people_l1 VALUES (1,'Jürgen Müller','jürgen@example.de','Zürich'),(2,'François Légère','fr@example.fr','Besançon'),(3,'Åsa Øre',NULL,'');
         INSERT INTO people_cp VALUES (1,'山田ソ','yamada@example.jp'),(2,'佐藤表','sato@example.jp'),(3,'能','nou@example.jp');",
    );
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules.toml");
    std::fs::write(
        &rules,
        r#"[key]
env = "MASKER_KEY"
[tables.people_l1]
name = { transform = "fake", kind = "name" }
email = { transform = "hash", format = "email" }
city = { transform = "partial", keep_first = 1, keep_last = 1 }
[tables.people_cp]
name = { transform = "fake", kind = "name", locale = "ja_JP" }
email = { transform = "hash", format = "email" }
"#,
    )
    .unwrap();
    let originals: [&str; 7] = [
        "Jürgen Müller",
        "jürgen@example.de",
        "François Légère",
        "Besançon",
        "山田ソ",
        "佐藤表",
        "yamada@example.jp",
    ];
    // Mask a dump made with `charset` and load it; the tables' rows as hex.
    let masked_rows = |charset: &str, tables: &[&str]| -> Vec<String> {
        let cs = format!("--default-character-set={charset}");
        let mut args = vec![cs.as_str(), src.name()];
        args.extend_from_slice(tables);
        let path = tmp.path().join(format!("{charset}.sql"));
        std::fs::write(&path, dump(&args)).unwrap();
        let out = mask_ok(&rules, &path, &["-q", "--allow-missing"], Some(KEY));
        for o in originals {
            for enc in [
                o.as_bytes().to_vec(),
                encode(o, "latin1"),
                encode(o, "cp932"),
            ] {
                assert!(
                    enc.is_empty() || !contains(&out, &enc),
                    "{charset}: {o} survives"
                );
            }
        }
        let dst = ScratchDb::create(&db_name("cs", charset));
        let loaded = load_bytes(Some(dst.name()), &out, &[]);
        assert!(loaded.status.success(), "{charset}: {}", stderr(&loaded));
        tables
            .iter()
            .map(|t| {
                sql(
                    Some(dst.name()),
                    &format!("SELECT id, HEX(name), HEX(email) FROM {t} ORDER BY id"),
                )
            })
            .collect()
    };
    let both = ["people_l1", "people_cp"];
    let utf8 = masked_rows("utf8mb4", &both);
    for (t, rows) in both.iter().zip(&utf8) {
        let source = sql(
            Some(src.name()),
            &format!("SELECT id, HEX(name), HEX(email) FROM {t} ORDER BY id"),
        );
        assert_eq!(rows.lines().count(), 3, "{t}: {rows}");
        for (a, b) in source.lines().zip(rows.lines()) {
            assert_ne!(a, b, "{t}: a row kept its values");
        }
    }
    assert_eq!(masked_rows("binary", &both), utf8, "binary");
    assert_eq!(masked_rows("latin1", &["people_l1"])[0], utf8[0], "latin1");

    // cp932: refused, naming the charset; nothing written.
    let path = tmp.path().join("cp932.sql");
    std::fs::write(
        &path,
        dump(&["--default-character-set=cp932", src.name(), "people_cp"]),
    )
    .unwrap();
    let out_path = tmp.path().join("cp932-masked.sql");
    let o = mask_file(
        &rules,
        &path,
        &["-q", "--allow-missing", "-o", out_path.to_str().unwrap()],
        Some(KEY),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("SET NAMES cp932"), "{}", stderr(&o));
    assert!(!out_path.exists());
}

/// `s` in a MySQL charset (`latin1` is Windows-1252); empty if it cannot be.
fn encode(s: &str, charset: &str) -> Vec<u8> {
    let out = run(
        std::process::Command::new("iconv").args([
            "-f",
            "UTF-8",
            "-t",
            match charset {
                "latin1" => "WINDOWS-1252",
                _ => "CP932",
            },
        ]),
        Some(s.as_bytes()),
    );
    if out.status.success() {
        out.stdout
    } else {
        Vec::new()
    }
}
