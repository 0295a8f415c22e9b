//! Shared helpers of the live-server tests: the local MariaDB (fail with a
//! clear message when it is not reachable), databases with unique names
//! dropped afterwards, and a generated database with every column type.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use masker_mysql::{ConnectOptions, Connector};
use mysql::prelude::Queryable;
use mysql::{Conn, Row, Value};

/// The server the tests use: `MASKER_TEST_MYSQL_URL` or root@127.0.0.1:3306
/// (password, if any, from `MYSQL_PWD`).
pub fn connector() -> Connector {
    let url = std::env::var("MASKER_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/".into());
    let mut o = ConnectOptions::new();
    o.url = Some(url.clone());
    let c = o.resolve().expect("test connection options");
    if let Err(e) = c.connect(masker_mysql::connect::Names::Utf8mb4) {
        panic!("these tests need a MariaDB/MySQL server at {url} (set MASKER_TEST_MYSQL_URL): {e}");
    }
    c
}

/// A plain utf8mb4 connection for fixtures and oracles.
pub fn conn() -> Conn {
    connector()
        .connect(masker_mysql::connect::Names::Utf8mb4)
        .expect("connect")
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database with a unique name, dropped when this value is dropped.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    /// Reserve a unique name (`masker_t_<pid>_<n>_<tag>`) and drop any leftover.
    pub fn new(tag: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("masker_t_{}_{n}_{tag}", std::process::id());
        conn()
            .query_drop(format!("DROP DATABASE IF EXISTS `{name}`"))
            .unwrap();
        TestDb { name }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = connector().connect(masker_mysql::connect::Names::Utf8mb4) {
            let _ = c.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
        }
    }
}

/// Every statement of `sql` (separated by `;\n`), one at a time.
pub fn exec(c: &mut Conn, sql: &str) {
    for stmt in sql.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        c.query_drop(stmt)
            .unwrap_or_else(|e| panic!("fixture statement failed: {e}\n{stmt}"));
    }
}

/// Hex of bytes 0..=255.
fn every_byte_hex() -> String {
    (0..=255u8).map(|b| format!("{b:02X}")).collect()
}

/// Create the every-type database `db` (tables sized so that `big`,
/// `composite` and `strpk` are cut into many chunks at 16 KiB chunks).
pub fn create_every_type(db: &str) {
    let mut c = conn();
    exec(
        &mut c,
        &format!(
            "CREATE DATABASE `{db}` CHARACTER SET utf8mb4;\nUSE `{db}`;\nSET SESSION sql_mode = ''"
        ),
    );
    exec(
        &mut c,
        "CREATE TABLE ints (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
            t TINYINT, tu TINYINT UNSIGNED, s SMALLINT, su SMALLINT UNSIGNED,
            m MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
            b BIGINT, bu BIGINT UNSIGNED, bo BOOL);
        INSERT INTO ints VALUES
            (0, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0),
            (NULL, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 1),
            (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        CREATE TABLE nums (id INT PRIMARY KEY, d DECIMAL(20,6), dw DECIMAL(65,30), du DECIMAL(10,2) UNSIGNED,
            f FLOAT, fd DOUBLE);
        INSERT INTO nums VALUES (1, -12345678901234.123456, 1.000000000000000000000000000001, 0.00, 3.14159, 0.1),
            (2, 0, -99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99, 1e-30, 1.7976931348623157e308),
            (3, NULL, NULL, NULL, -0.5, -2.2250738585072014e-308),
            (4, 1, 2, 3, NULL, NULL);
        CREATE TABLE dates (id INT PRIMARY KEY, d DATE, dt DATETIME, dt6 DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL,
            ts6 TIMESTAMP(6) NULL DEFAULT NULL, tm TIME, tm3 TIME(3), y YEAR);
        INSERT INTO dates VALUES
            (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00', NULL, '00:00:00', '-838:59:59.000', 0000),
            (2, '1000-01-01', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01', '2038-01-19 03:14:07.999999', '838:59:59', '12:34:56.789', 1901),
            (3, '2024-02-29', '2024-02-29 12:00:00', '2024-02-29 12:00:00.5', '2024-02-29 12:00:00', '2024-02-29 12:00:00.000001', '-00:00:01', NULL, 2155),
            (4, '2024-00-15', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        CREATE TABLE misc (id INT PRIMARY KEY, b1 BIT(1), b10 BIT(10), b64 BIT(64),
            e ENUM('a','b','c d','é'), st SET('x','y','z'), j JSON, txt TEXT, c CHAR(5), vc VARCHAR(100),
            v INT AS (id * 2) VIRTUAL, s INT AS (id * 3) PERSISTENT);
        INSERT INTO misc (id, b1, b10, b64, e, st, j, txt, c, vc) VALUES
            (1, b'1', b'1010101010', b'1111111111111111111111111111111111111111111111111111111111111111', 'c d', 'x,z',
             '{\"k\": [1, 2.5, \"s\", null, true], \"n\": {\"é\": \"\\\\u0000\"}}', 'line\\nnext\\ttab\\\\back ''quote'' \"dq\" \\Z', 'ab', 'emoji 😀 ok'),
            (2, b'0', b'0', b'0', 'é', '', '[]', '', '', ''),
            (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (4, b'1', b'1111111111', b'1000000000000000000000000000000000000000000000000000000000000001', '', 'x,y,z', 'null', 'NULL', 'N', '\\\\N')",
    );
    exec(
        &mut c,
        &format!(
            "CREATE TABLE bytes (id INT PRIMARY KEY, bl LONGBLOB, vb VARBINARY(300), bn BINARY(4), tb TINYBLOB);
            INSERT INTO bytes VALUES (1, 0x{all}, 0x{all}, 0x00000000, 0x00),
                (2, '', '', '', ''), (3, NULL, NULL, NULL, NULL),
                (4, 0x5C4E, 0x5C, 0x0A0D1A09, 0x27225C)",
            all = every_byte_hex()
        ),
    );
    let mut single = String::from("INSERT INTO bytes VALUES ");
    for b in 0..=255u32 {
        if b > 0 {
            single.push(',');
        }
        single.push_str(&format!(
            "({}, 0x{b:02X}, 0x{b:02X}{b:02X}, 0x{b:02X}, 0x{b:02X})",
            100 + b
        ));
    }
    exec(&mut c, &single);
    exec(
        &mut c,
        "CREATE TABLE latin1_t (id INT PRIMARY KEY, name VARCHAR(50), note TEXT) CHARACTER SET latin1;
        INSERT INTO latin1_t VALUES (1, 'héllo wörld', 'Ünïcödé ÿ'), (2, 'back\\\\slash ''q''', 'tab\\there'),
            (3, '', NULL), (4, 'ß©®±µ', 'plain');
        CREATE TABLE cp932_t (id INT PRIMARY KEY, name VARCHAR(50), note TEXT) CHARACTER SET cp932;
        INSERT INTO cp932_t VALUES (1, '表ソ能予', '日本語テキスト'), (2, '＼～①', 'ｱｲｳ半角'), (3, '', NULL);
        CREATE TABLE nopk (a INT, b VARCHAR(10));
        INSERT INTO nopk VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, ''), (NULL, '')",
    );
    // Tables big enough to be cut into chunks.
    exec(
        &mut c,
        "CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(250), n INT);
        CREATE TABLE composite (a INT NOT NULL, b VARCHAR(40) NOT NULL, pad VARCHAR(200), PRIMARY KEY (a, b));
        CREATE TABLE strpk (k VARCHAR(60) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, pad VARCHAR(200));
        CREATE TABLE ukey (id INT, code VARCHAR(30) CHARACTER SET latin1 NOT NULL, pad VARCHAR(200), UNIQUE KEY (code))",
    );
    let pad = "p".repeat(200);
    for start in (0..3000).step_by(500) {
        let rows: Vec<String> = (start..start + 500)
            .map(|i| format!("({}, '{pad}', {})", i * 3 - 1000, i % 7))
            .collect();
        exec(
            &mut c,
            &format!("INSERT INTO big VALUES {}", rows.join(",")),
        );
    }
    for start in (0..1500).step_by(500) {
        let comp: Vec<String> = (start..start + 500)
            .map(|i| format!("({}, 'k{}é', '{pad}')", i % 37, i))
            .collect();
        exec(
            &mut c,
            &format!("INSERT INTO composite VALUES {}", comp.join(",")),
        );
        let strs: Vec<String> = (start..start + 500)
            .map(|i| {
                let k = match i % 4 {
                    0 => format!("Key{i}"),
                    1 => format!("key_{i}_ü"),
                    2 => format!("ÄKEY {i}"),
                    _ => format!("z''{i}\\\\"),
                };
                format!("('{k}', '{pad}')")
            })
            .collect();
        exec(
            &mut c,
            &format!("INSERT INTO strpk VALUES {}", strs.join(",")),
        );
        let uk: Vec<String> = (start..start + 500)
            .map(|i| format!("({i}, 'côde{i}', '{pad}')"))
            .collect();
        exec(&mut c, &format!("INSERT INTO ukey VALUES {}", uk.join(",")));
    }
    exec(
        &mut c,
        "CREATE VIEW v_big AS SELECT id, n FROM big WHERE n = 3;
        CREATE VIEW v_v AS SELECT COUNT(*) AS c FROM v_big;
        CREATE TRIGGER trg_nopk BEFORE INSERT ON nopk FOR EACH ROW SET NEW.b = COALESCE(NEW.b, 'trg');
        CREATE PROCEDURE p_count(OUT c INT) SELECT COUNT(*) INTO c FROM big;
        CREATE FUNCTION f_one() RETURNS INT DETERMINISTIC BEGIN DECLARE x INT; SET x = 1; RETURN x; END;
        ANALYZE TABLE ints, nums, dates, misc, bytes, latin1_t, cp932_t, nopk, big, composite, strpk, ukey",
    );
}

/// Every row of `db`.`table` (all columns, as raw bytes), sorted: an oracle
/// independent of masker's digest.
pub fn sorted_rows(db: &str, table: &str) -> Vec<Vec<Option<Vec<u8>>>> {
    let mut c = connector()
        .connect(masker_mysql::connect::Names::Binary)
        .unwrap();
    let rows: Vec<Row> = c.query(format!("SELECT * FROM `{db}`.`{table}`")).unwrap();
    let mut out: Vec<Vec<Option<Vec<u8>>>> = rows
        .into_iter()
        .map(|r| {
            r.unwrap()
                .into_iter()
                .map(|v| match v {
                    Value::Bytes(b) => Some(b),
                    _ => None,
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// The base tables of the every-type database.
pub const TABLES: [&str; 12] = [
    "ints",
    "nums",
    "dates",
    "misc",
    "bytes",
    "latin1_t",
    "cp932_t",
    "nopk",
    "big",
    "composite",
    "strpk",
    "ukey",
];
