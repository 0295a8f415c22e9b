//! Issue 13's row-context test against MariaDB: a real `mariadb-dump` masked
//! with templates, `when` conditions and table row policies, loaded back,
//! and checked row by row against the source: templates built from the
//! row's own values, conditional masking only where the condition holds,
//! rows kept exactly where `where` is true, no rows for `rows = "none"`;
//! the same bytes at 1 and 4 threads; `check` accepts what `mask` accepts.

mod util;

use std::collections::BTreeMap;

use util::*;

const KEY: &str = "row-context-db-test-key-5b1c";

const RULES: &str = r#"
[tables.users]
email = { template = "user{id}@example.com", when = "is_test = 0" }
login = { transform = "hash", when = "is_test = 0 AND login IS NOT NULL" }
rows  = { where = "NOT (id > 250 AND is_test = 1) OR `note` = 'vip'" }

[tables.sessions]
rows = "none"

[tables.orders]
rows = { where = "amount >= 50.5 OR note IS NULL" }
"#;

const USERS: usize = 300;
const ORDERS: usize = 400;

fn populate(db: &str) {
    let mut s = String::from(
        "SET NAMES utf8mb4;
CREATE TABLE users (
  id int NOT NULL PRIMARY KEY,
  email varchar(64) NOT NULL,
  is_test tinyint NOT NULL,
  login varchar(40) DEFAULT NULL,
  note varchar(10) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE sessions (
  id int NOT NULL PRIMARY KEY,
  user_id int NOT NULL,
  token varchar(40) NOT NULL,
  CONSTRAINT fk_s FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;
CREATE TABLE orders (
  id int NOT NULL PRIMARY KEY,
  user_id int NOT NULL,
  amount decimal(10,2) NOT NULL,
  note varchar(20) DEFAULT NULL,
  CONSTRAINT fk_o FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;
INSERT INTO users VALUES\n",
    );
    for i in 1..=USERS {
        let login = if i % 4 == 0 {
            "NULL".to_owned()
        } else {
            format!("'login.{i}'")
        };
        let note = match i % 5 {
            0 => "'vip'",
            1 => "NULL",
            _ => "'std'",
        };
        s.push_str(&format!(
            "({i},'person{i}@mail.example',{},{login},{note}){}\n",
            u8::from(i % 3 == 0),
            if i == USERS { ";" } else { "," }
        ));
    }
    s.push_str("INSERT INTO sessions VALUES ");
    for i in 1..=50 {
        s.push_str(&format!(
            "({i},{},'tok{i}'){}",
            1 + i % USERS,
            if i == 50 { ";\n" } else { "," }
        ));
    }
    s.push_str("INSERT INTO orders VALUES\n");
    for j in 1..=ORDERS {
        let note = if j % 6 == 0 { "NULL" } else { "'n'" };
        s.push_str(&format!(
            "({j},{},{}.{:02},{note}){}\n",
            1 + j * 7 % USERS,
            j * 13 % 100,
            j % 100,
            if j == ORDERS { ";" } else { "," }
        ));
    }
    sql(Some(db), &s);
}

/// Rows by id: each column as `None` (NULL) or its text.
fn fetch(db: &str, table: &str, cols: &str) -> BTreeMap<u64, Vec<Option<String>>> {
    let out = sql(
        Some(db),
        &format!("SELECT id, {cols} FROM {table} ORDER BY id"),
    );
    out.lines()
        .map(|line| {
            let mut f = line.split('\t');
            let id = f.next().unwrap().parse().unwrap();
            (id, f.map(|v| (v != "NULL").then(|| v.to_owned())).collect())
        })
        .collect()
}

#[test]
fn templates_conditions_and_row_policies_load_and_check_row_by_row() {
    require_mariadb();
    let src_db = ScratchDb::create(&db_name("rowctx", "src"));
    let dst_db = ScratchDb::create(&db_name("rowctx", "dst"));
    let (src, dst) = (src_db.name(), dst_db.name());
    populate(src);
    let dir = std::env::temp_dir().join(format!("masker_rowctx_db_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dump_path = dir.join("src.sql");
    std::fs::write(&dump_path, dump(&["--skip-dump-date", src])).unwrap();
    let rules = dir.join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();

    let out1 = mask_file(&rules, &dump_path, &["--threads", "1"], Some(KEY));
    assert_eq!(code(&out1), 0, "{}", stderr(&out1));
    let out4 = mask_file(&rules, &dump_path, &["--threads", "4"], Some(KEY));
    assert_same_bytes("--threads 4", &out1.stdout, &out4.stdout);
    let log = stderr(&out1);
    assert!(
        log.contains("orders(user_id) references users(id)"),
        "no foreign key warning:\n{log}"
    );
    assert!(
        !log.contains("sessions(user_id)"),
        "sessions keeps no rows, so no warning:\n{log}"
    );
    let mut check = masker();
    check
        .arg("check")
        .arg("--rules")
        .arg(&rules)
        .arg(&dump_path);
    let c = run(&mut check, None);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
    // check warns and counts like mask.
    assert!(
        stderr(&c).contains("orders(user_id) references users(id)")
            && stderr(&c).contains("rows dropped"),
        "{}",
        stderr(&c)
    );

    let loaded = load_bytes(Some(dst), &out1.stdout, &["--show-warnings"]);
    assert!(loaded.status.success(), "load failed: {}", stderr(&loaded));
    assert!(
        !stdout_str(&loaded).contains("Warning") && !stderr(&loaded).contains("Warning"),
        "load warned: {}{}",
        stdout_str(&loaded),
        stderr(&loaded)
    );

    // users: row by row.
    let before = fetch(src, "users", "email, is_test, login, note");
    let after = fetch(dst, "users", "email, is_test, login, note");
    let mut kept = 0;
    for (id, row) in &before {
        let is_test = row[1].as_deref() == Some("1");
        let note_vip = row[3].as_deref() == Some("vip");
        let keep = !(*id > 250 && is_test) || note_vip;
        let Some(got) = after.get(id) else {
            assert!(!keep, "user {id} should be kept");
            continue;
        };
        assert!(keep, "user {id} should be dropped");
        kept += 1;
        let want_email = if is_test {
            row[0].clone()
        } else {
            Some(format!("user{id}@example.com"))
        };
        assert_eq!(got[0], want_email, "users.email of {id}");
        assert_eq!(got[1], row[1], "is_test of {id}");
        match (&row[2], is_test) {
            (Some(orig), false) => {
                let g = got[2].as_deref().expect("hash keeps NOT NULL");
                assert_ne!(g, orig, "login of {id} not masked");
                assert_eq!(g.len(), 40, "login of {id}: {g}");
            }
            _ => assert_eq!(got[2], row[2], "login of {id} must stay"),
        }
        assert_eq!(got[3], row[3]);
    }
    assert_eq!(kept, after.len());
    assert!(kept < USERS && kept > 200, "{kept}");

    // sessions: schema kept, no rows.
    assert_eq!(sql(Some(dst), "SELECT COUNT(*) FROM sessions").trim(), "0");
    // orders: exactly the rows where the condition holds.
    let before = fetch(src, "orders", "amount, note");
    let after = fetch(dst, "orders", "amount, note");
    let want: Vec<u64> = before
        .iter()
        .filter(|(_, r)| r[0].as_deref().unwrap().parse::<f64>().unwrap() >= 50.5 || r[1].is_none())
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(after.keys().copied().collect::<Vec<_>>(), want);
    for id in &want {
        assert_eq!(after[id], before[id]);
    }
    let dropped = (USERS - kept) as u64;
    let counted = log
        .lines()
        .skip_while(|l| !l.starts_with("rows dropped"))
        .find_map(|l| {
            let l = l.trim();
            // Qualified only when the dump says USE (this one does not).
            l.strip_prefix(&format!("{src}.users "))
                .or_else(|| l.strip_prefix("users "))
        })
        .map(|n| n.trim().to_owned());
    assert_eq!(counted, Some(dropped.to_string()), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_shows_templates_conditions_and_row_policies_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("d.sql");
    std::fs::write(
        &dump,
        "CREATE TABLE users (id int NOT NULL PRIMARY KEY, email varchar(64) NOT NULL, is_test tinyint NOT NULL, login varchar(40), note varchar(10));\n\
         CREATE TABLE sessions (id int, user_id int, token varchar(40), CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id));\n\
         CREATE TABLE orders (id int, user_id int, amount decimal(10,2), note varchar(20), FOREIGN KEY (user_id) REFERENCES users (id));\n",
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let out = run(
        masker()
            .arg("explain")
            .arg("--rules")
            .arg(&rules)
            .arg(&dump),
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout_str(&out);
    for want in [
        "email    template \"user{id}@example.com\"",
        "only in rows where is_test = 0 (others keep their value)",
        "rows: only rows where NOT (id > 250 AND is_test = 1) OR `note` = 'vip'",
        "rows: none: the table is created, its rows are dropped",
        "warning: orders(user_id) references users(id), and the rules filter the rows of users",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    assert!(!text.contains("sessions(user_id) references"), "{text}");
    // A condition naming a column the table lacks: the rule's path, exit 3,
    // and check refuses it the same way.
    std::fs::write(&rules, "[tables.users]\nrows = { where = \"nope = 1\" }\n").unwrap();
    let out = run(
        masker()
            .arg("explain")
            .arg("--rules")
            .arg(&rules)
            .arg(&dump),
        None,
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(tables.users.rows.where)"),
        "{}",
        stderr(&out)
    );
    let out = run(
        masker().arg("check").arg("--rules").arg(&rules).arg(&dump),
        None,
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no column `nope` in table users (tables.users.rows.where)"),
        "{}",
        stderr(&out)
    );
}
