//! `masker scan`, `masker verify-leaks` and `masker mask --leak-check` on
//! generated dumps with known personal data, including columns with
//! innocent names (`note` holding emails, `extra` JSON with phones), a
//! generated column derived from a masked one, and a value copied into a
//! second table: rules that miss any of them are caught by the scan or the
//! leak check, and complete rules give a clean report. Both as SQL dumps and
//! as `--tab` directories.

mod util;

use std::path::Path;

use util::*;

const KEY: &str = "scan-leaks-test-key";

const ROWS: usize = 40;

/// Names no fake generator would produce, so that a clean report is meaningful.
const NOMBRES: &[&str] = &["Xochiquetzal", "Itzpapalotl", "Tlazohtzin", "Cuauhtli"];
const APELLIDOS: &[&str] = &["Quetzalcoatl-Ruiz", "Mixcoatl Ybarra", "Tezcatl Oyarzun"];

/// Per row of `clientes`: (id, email, nombre, apellido1, phone as integer,
/// note with the email inside, extra JSON with a phone).
fn cliente(i: usize) -> [String; 7] {
    let email = format!("cliente.{i}.zq@correo-example.mx");
    [
        i.to_string(),
        email.clone(),
        NOMBRES[i % NOMBRES.len()].to_owned(),
        APELLIDOS[i % APELLIDOS.len()].to_owned(),
        format!("90{:08}", 12_340_000 + i),
        format!("pidió factura, escribir a {email} por favor"),
        format!(
            "{{\"tel\": \"080-{:04}-{:04}\", \"vip\": true}}",
            1000 + i,
            2000 + i
        ),
    ]
}

const MENU: &[&str] = &[
    "Tacos al pastor",
    "Pozole rojo",
    "Mole poblano",
    "Agua de jamaica",
];

const CREATE_CLIENTES: &str = "CREATE TABLE `clientes` (\n  `id` int NOT NULL,\n  `email` varchar(120) NOT NULL,\n  `nombre` varchar(60) DEFAULT NULL,\n  `apellido1` varchar(60) DEFAULT NULL,\n  `telefono` bigint DEFAULT NULL,\n  `password` varchar(64) DEFAULT NULL,\n  `email_accept` varchar(2) DEFAULT NULL,\n  `email_confirm_token` varchar(64) DEFAULT NULL,\n  `created_ms` bigint DEFAULT NULL,\n  `note` text,\n  `extra` longtext,\n  `email_lc` varchar(120) GENERATED ALWAYS AS (lcase(`email`)) STORED,\n  PRIMARY KEY (`email`)\n);\n";
const CREATE_MENUS: &str = "CREATE TABLE `menus` (\n  `id` int NOT NULL,\n  `name` varchar(60) NOT NULL,\n  `price` int NOT NULL,\n  PRIMARY KEY (`id`)\n);\n";
const CREATE_PEDIDOS: &str = "CREATE TABLE `pedidos` (\n  `id` int NOT NULL,\n  `cliente_id` int NOT NULL,\n  `contacto` varchar(120) DEFAULT NULL,\n  `created_at` datetime NOT NULL,\n  PRIMARY KEY (`id`)\n);\n";

/// A table's rows: per row, per column, the raw value (`None` is NULL).
type Rows = Vec<Vec<Option<String>>>;

/// (name, CREATE TABLE, rows) of each table, generated columns included.
fn tables() -> Vec<(&'static str, &'static str, Rows)> {
    let clientes = (0..ROWS)
        .map(|i| {
            let c = cliente(i);
            vec![
                Some(c[0].clone()),
                Some(c[1].clone()),
                Some(c[2].clone()),
                Some(c[3].clone()),
                Some(c[4].clone()),
                Some(format!("plain-{i}-secret")),
                Some(if i % 2 == 0 { "Y" } else { "N" }.to_owned()),
                Some(format!("{:032x}", i * 7919 + 13)),
                Some((1_700_000_000_000u64 + i as u64 * 1000).to_string()),
                Some(c[5].clone()),
                Some(c[6].clone()),
                Some(c[1].to_lowercase()),
            ]
        })
        .collect();
    let menus = (0..ROWS)
        .map(|i| {
            vec![
                Some(i.to_string()),
                Some(format!("{} {}", MENU[i % MENU.len()], i)),
                Some((100 + i).to_string()),
            ]
        })
        .collect();
    // Every fifth order copies the client's email into `contacto`.
    let pedidos = (0..ROWS)
        .map(|i| {
            vec![
                Some(i.to_string()),
                Some((i % ROWS).to_string()),
                (i % 5 == 0).then(|| cliente(i % ROWS)[1].clone()),
                Some(format!("2024-0{}-1{} 10:00:00", 1 + i % 9, i % 10)),
            ]
        })
        .collect();
    vec![
        ("clientes", CREATE_CLIENTES, clientes),
        ("menus", CREATE_MENUS, menus),
        ("pedidos", CREATE_PEDIDOS, pedidos),
    ]
}

fn sql_literal(v: &Option<String>) -> String {
    match v {
        None => "NULL".into(),
        Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
        Some(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
    }
}

fn sql_dump() -> String {
    let mut d = String::new();
    for (name, create, rows) in tables() {
        d.push_str(create);
        let tuples: Vec<String> = rows
            .iter()
            .map(|r| {
                let vals: Vec<String> = r.iter().map(sql_literal).collect();
                format!("({})", vals.join(","))
            })
            .collect();
        d.push_str(&format!(
            "INSERT INTO `{name}` VALUES {};\n",
            tuples.join(",")
        ));
    }
    d
}

/// A `mysqldump --tab` directory of the same tables.
fn tab_dir(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, create, rows) in tables() {
        std::fs::write(dir.join(format!("{name}.sql")), create).unwrap();
        let mut txt = String::new();
        for r in rows {
            let f: Vec<String> = r
                .iter()
                .map(|v| match v {
                    None => "\\N".to_owned(),
                    Some(s) => s
                        .replace('\\', "\\\\")
                        .replace('\t', "\\t")
                        .replace('\n', "\\n"),
                })
                .collect();
            txt.push_str(&f.join("\t"));
            txt.push('\n');
        }
        std::fs::write(dir.join(format!("{name}.txt")), txt).unwrap();
    }
}

/// Masks only the obvious columns: misses the innocently named ones, the
/// names in Spanish, the password, the token and the copy in `pedidos`.
const INCOMPLETE: &str =
    "[tables.clientes]\nemail = { transform = \"hash\", format = \"email\" }\ntelefono = \"fpe\"\n";

const COMPLETE: &str = "[tables.clientes]\n\
email = { transform = \"hash\", format = \"email\" }\n\
nombre = { transform = \"fake\", kind = \"first_name\" }\n\
apellido1 = { transform = \"fake\", kind = \"last_name\" }\n\
telefono = \"fpe\"\n\
password = \"hash\"\n\
email_accept = \"keep\"\n\
email_confirm_token = \"hash\"\n\
note = \"null\"\n\
extra = \"null\"\n\
[tables.pedidos]\n\
contacto = { transform = \"hash\", format = \"email\" }\n";

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("dump.sql"), sql_dump()).unwrap();
        tab_dir(&dir.path().join("tab"));
        std::fs::write(dir.path().join("incomplete.toml"), INCOMPLETE).unwrap();
        std::fs::write(dir.path().join("complete.toml"), COMPLETE).unwrap();
        Fixture { dir }
    }
    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }
}

fn scan(args: &[&str], target: &Path) -> std::process::Output {
    let mut c = masker();
    c.arg("scan").args(args).arg(target);
    run(&mut c, None)
}

/// (column, kind) pairs of `masker scan --json`.
fn findings(out: &std::process::Output) -> Vec<(String, String, Option<String>)> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout_str(out)));
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                finding_column(f),
                f["kind"].as_str().unwrap().to_owned(),
                f["rules"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn expected_findings() -> Vec<(&'static str, &'static str)> {
    vec![
        ("clientes.email", "email"),
        ("clientes.nombre", "person_name"),
        ("clientes.apellido1", "person_name"),
        ("clientes.telefono", "phone"),
        ("clientes.password", "secret"),
        ("clientes.email_confirm_token", "secret"),
        ("clientes.note", "email"),
        ("clientes.extra", "phone"),
        ("pedidos.contacto", "email"),
    ]
}

#[test]
fn scan_finds_known_pii_and_nothing_else_in_sql_and_tab() {
    let fx = Fixture::new();
    for target in [fx.path("dump.sql"), fx.path("tab")] {
        let out = scan(&["--json"], &target);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let got: Vec<(String, String)> =
            findings(&out).into_iter().map(|(c, k, _)| (c, k)).collect();
        let want: Vec<(String, String)> = expected_findings()
            .into_iter()
            .map(|(c, k)| (c.to_owned(), k.to_owned()))
            .collect();
        assert_eq!(got, want, "{}", target.display());
        // No value is ever printed.
        let text = stdout_str(&out);
        for v in ["correo-example", "Xochiquetzal", "080-", "plain-"] {
            assert!(!text.contains(v), "{v} in the scan report");
        }
    }
    // The table form.
    let out = scan(&[], &fx.path("dump.sql"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout_str(&out).contains("clientes.note"),
        "{}",
        stdout_str(&out)
    );
}

#[test]
fn scan_with_rules_exits_5_on_kept_or_unclassified_findings() {
    let fx = Fixture::new();
    let mut c = masker();
    c.args(["scan", "--json", "--rules"])
        .arg(fx.path("incomplete.toml"))
        .arg(fx.path("dump.sql"));
    let out = run(&mut c, None);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let f = findings(&out);
    let rules_of = |col: &str| f.iter().find(|x| x.0 == col).and_then(|x| x.2.clone());
    assert_eq!(rules_of("clientes.email").as_deref(), Some("masked"));
    assert_eq!(rules_of("clientes.note").as_deref(), Some("unclassified"));
    assert_eq!(
        rules_of("pedidos.contacto").as_deref(),
        Some("unclassified")
    );
    // Complete rules: every finding is masked.
    let mut c = masker();
    c.args(["scan", "--rules"])
        .arg(fx.path("complete.toml"))
        .arg(fx.path("dump.sql"));
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}\n{}", stdout_str(&out), stderr(&out));
}

fn verify(fx: &Fixture, rules: &str, original: &Path, masked: &Path) -> std::process::Output {
    let mut c = masker();
    c.env("MASKER_KEY", KEY)
        .args(["verify-leaks", "--json", "--rules"])
        .arg(fx.path(rules))
        .arg(original)
        .arg(masked);
    run(&mut c, None)
}

fn survivors(out: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout_str(out)));
    v["survivors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["column"].as_str().unwrap().to_owned())
        .collect()
}

/// A `verify-leaks --json` run found exactly the survivors `want` (`table.column`),
/// with the exit code that goes with them (5 when any, else 0).
fn assert_survivors(out: &std::process::Output, want: &[&str], what: &str) {
    assert_eq!(
        code(out),
        if want.is_empty() { 0 } else { 5 },
        "{what}: {}",
        stderr(out)
    );
    assert_eq!(survivors(out), want, "{what}");
}

#[test]
fn leak_check_catches_copies_and_passes_complete_rules_sql() {
    let fx = Fixture::new();
    let dump = fx.path("dump.sql");
    for (rules, want) in [
        ("incomplete.toml", vec!["clientes.note", "pedidos.contacto"]),
        ("complete.toml", vec![]),
    ] {
        let masked = fx.path(&format!("{rules}.masked.sql"));
        let mut c = masker();
        c.env("MASKER_KEY", KEY)
            .args(["mask", "-q", "--leak-check", "--rules"])
            .arg(fx.path(rules))
            .arg(&dump)
            .arg("-o")
            .arg(&masked);
        let out = run(&mut c, None);
        let expect_code = if want.is_empty() { 0 } else { 5 };
        assert_eq!(
            code(&out),
            expect_code,
            "{rules}: {}\n{}",
            stdout_str(&out),
            stderr(&out)
        );
        for col in &want {
            assert!(
                stdout_str(&out).contains(col),
                "{rules}: {col} not reported:\n{}",
                stdout_str(&out)
            );
        }
        // The same verdict from verify-leaks on the saved copy.
        let out = verify(&fx, rules, &dump, &masked);
        assert_eq!(code(&out), expect_code, "{rules}: {}", stderr(&out));
        assert_eq!(survivors(&out), want, "{rules}");
        assert!(!stdout_str(&out).contains("correo-example"));
        // Offsets point at the values holding a survivor.
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let bytes = std::fs::read(&masked).unwrap();
        for s in v["survivors"].as_array().unwrap() {
            for o in s["offsets"].as_array().unwrap() {
                let at = o.as_u64().unwrap() as usize;
                assert!(
                    bytes[at..].starts_with(b"'"),
                    "offset {at} is not the start of a literal"
                );
            }
        }
    }
}

#[test]
fn leak_check_on_tab_directories() {
    let fx = Fixture::new();
    for (rules, want) in [
        ("incomplete.toml", vec!["clientes.note", "pedidos.contacto"]),
        ("complete.toml", vec![]),
    ] {
        let masked = fx.path(&format!("{rules}.tab"));
        let mut c = masker();
        c.env("MASKER_KEY", KEY)
            .args(["mask", "-q", "--rules"])
            .arg(fx.path(rules))
            .arg("--tab")
            .arg(fx.path("tab"))
            .arg("-o")
            .arg(&masked);
        let out = run(&mut c, None);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let out = verify(&fx, rules, &fx.path("tab"), &masked);
        assert_survivors(&out, &want, rules);
    }
    // Mixing a directory and a file is a usage error.
    let out = verify(&fx, "complete.toml", &fx.path("tab"), &fx.path("dump.sql"));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

/// `masker mask --to tsv` of the fixture's dump into `out` (extra flags:
/// compression, split, no header).
fn export(fx: &Fixture, rules: &str, dump: &Path, out: &Path, extra: &[&str]) {
    let mut c = masker();
    c.env("MASKER_KEY", KEY)
        .args(["mask", "-q", "--rules"])
        .arg(fx.path(rules))
        .arg(dump)
        .args(["--to", "tsv", "--out-dir"])
        .arg(out)
        .args(extra);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// Regression: the README told users to check the BigQuery export (`mask
/// --to tsv --out-dir DIR`, what goes to the marketing team) with
/// `verify-leaks`, which refused an export directory beside a SQL dump
/// (exit 2: both SQL dumps or both --tab directories). It now reads the
/// export, whole or in gzip/zstd parts, with or without header lines:
/// complete rules verify clean, rules that miss the columns holding emails
/// are reported by `table.column` (exit 5), never with a value, at the
/// offset of the value in its data file.
#[test]
fn verify_leaks_checks_an_export_directory() {
    let fx = Fixture::new();
    let dump = fx.path("dump.sql");
    // Parts are cut between the core's 1 MiB chunks: a dump of some MB,
    // with copies of emails far into `pedidos`.
    let mut big = sql_dump();
    for s in 0..60 {
        let rows: Vec<String> = (0..1000)
            .map(|k| {
                let i = ROWS + s * 1000 + k;
                let contacto = match k {
                    500 => format!("'{}'", cliente(i % ROWS)[1]),
                    _ => "NULL".to_owned(),
                };
                format!("({i},{},{contacto},'2024-01-11 10:00:00')", i % ROWS)
            })
            .collect();
        big += &format!("INSERT INTO `pedidos` VALUES {};\n", rows.join(","));
    }
    std::fs::write(fx.path("big.sql"), big).unwrap();
    let variants: [(&str, &[&str]); 3] = [
        ("dump.sql", &[]),
        (
            "big.sql",
            &["--export-compress", "gzip", "--split-mb", "0.5"],
        ),
        ("dump.sql", &["--no-header", "--export-compress", "zstd"]),
    ];
    for (rules, want) in [
        ("incomplete.toml", vec!["clientes.note", "pedidos.contacto"]),
        ("complete.toml", vec![]),
    ] {
        for (n, (input, extra)) in variants.iter().enumerate() {
            let input = fx.path(input);
            let dir = fx.path(&format!("{rules}.export{n}"));
            export(&fx, rules, &input, &dir, extra);
            if n == 1 {
                let parts = files_in(&dir, "pedidos-00001.tsv.gz");
                assert!(!parts.is_empty(), "not split: {:?}", files_in(&dir, ""));
            }
            let out = verify(&fx, rules, &input, &dir);
            let what = format!("{rules} {extra:?}");
            assert_survivors(&out, &want, &what);
            for v in ["correo-example", "Xochiquetzal", "080-"] {
                assert!(!stdout_str(&out).contains(v), "{what}: {v} in the report");
                assert!(!stderr(&out).contains(v), "{what}: {v} in stderr");
            }
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                report["lookups"].as_u64().unwrap() > 0,
                "{what}: nothing was looked up"
            );
            // Every copy is counted, in every part.
            let copies = if n == 1 { ROWS / 5 + 60 } else { ROWS / 5 };
            for s in report["survivors"].as_array().unwrap() {
                let want = match s["column"].as_str().unwrap() {
                    "clientes.note" => ROWS,
                    _ => copies,
                };
                assert_eq!(s["values"].as_u64(), Some(want as u64), "{what}: {s}");
            }
            if n != 0 {
                continue;
            }
            // Offsets are in the table's data file, past its header line.
            for s in report["survivors"].as_array().unwrap() {
                let column = s["column"].as_str().unwrap();
                let (table, start) = match column {
                    "clientes.note" => ("clientes", "pidi"),
                    _ => ("pedidos", "cliente."),
                };
                let bytes = std::fs::read(dir.join(format!("{table}.tsv"))).unwrap();
                for o in s["offsets"].as_array().unwrap() {
                    let at = o.as_u64().unwrap() as usize;
                    assert!(
                        bytes[at..].starts_with(start.as_bytes()),
                        "{column}: offset {at} is not the start of a value"
                    );
                }
            }
        }
    }
    // The same pair the other way round, and an export that was not made
    // from ORIGINAL, are refused.
    let dir = fx.path("complete.toml.export0");
    let out = verify(&fx, "complete.toml", &dir, &dump);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is an export directory"),
        "{}",
        stderr(&out)
    );
    // An export's dialect is its own: the --tab flags are refused.
    let mut c = masker();
    c.args(["verify-leaks", "--fields-terminated-by", ",", "--rules"])
        .arg(fx.path("complete.toml"))
        .arg(&dump)
        .arg(&dir);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "--fields-terminated-by does nothing with a SQL dump and an export directory"
        ),
        "{}",
        stderr(&out)
    );
    std::fs::write(dir.join("ventas.schema.json"), "[]").unwrap();
    std::fs::write(dir.join("ventas.tsv"), "").unwrap();
    let out = verify(&fx, "complete.toml", &dump, &dir);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ventas.schema.json: no table of")
            && stderr(&out).contains("was the export made from"),
        "{}",
        stderr(&out)
    );
}

/// The export writes binary columns as base64 (or hex): a BLOB holding a
/// copy of a masked email is found all the same, as in the masked SQL.
#[test]
fn verify_leaks_decodes_binary_columns_of_an_export() {
    let fx = Fixture::new();
    let mut dump = String::from(
        "CREATE TABLE `sesiones` (\n  `id` int NOT NULL,\n  `email` varchar(120) NOT NULL,\n  `datos` blob,\n  `firma` varbinary(64) DEFAULT NULL\n);\nINSERT INTO `sesiones` VALUES ",
    );
    let rows: Vec<String> = (0..ROWS)
        .map(|i| {
            let email = cliente(i)[1].clone();
            format!(
                "({i},'{email}','a:1:{{s:5:\"email\";s:{}:\"{email}\";}}',NULL)",
                email.len()
            )
        })
        .collect();
    dump += &rows.join(",");
    dump += ";\n";
    std::fs::write(fx.path("sesiones.sql"), dump).unwrap();
    let base = "[tables.sesiones]\nemail = { transform = \"hash\", format = \"email\" }\n";
    for (name, extra) in [
        ("base64.toml", ""),
        (
            "hex.toml",
            "[export]\nbinary = \"hex\"\nnull_marker = \"<NULL>\"\n",
        ),
    ] {
        std::fs::write(fx.path(name), format!("{extra}{base}")).unwrap();
        let dir = fx.path(&format!("{name}.export"));
        export(&fx, name, &fx.path("sesiones.sql"), &dir, &[]);
        let out = verify(&fx, name, &fx.path("sesiones.sql"), &dir);
        assert_eq!(code(&out), 5, "{name}: {}", stderr(&out));
        assert_eq!(survivors(&out), ["sesiones.datos"], "{name}");
        // Masking `datos` too: clean.
        let full = format!("{extra}{base}datos = \"null\"\n");
        std::fs::write(fx.path(name), full).unwrap();
        let dir = fx.path(&format!("{name}.export.full"));
        export(&fx, name, &fx.path("sesiones.sql"), &dir, &[]);
        let out = verify(&fx, name, &fx.path("sesiones.sql"), &dir);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
    }
}

/// Rules keyed `db.table` on `--tab` directories: `verify-leaks --database`
/// names the directories' database, as `mask --tab --database` does. Without
/// it the rules name no table of ORIGINAL: accepted, as on SQL dumps, and
/// noted. `--database` with SQL dumps does nothing and is refused.
#[test]
fn verify_leaks_database_names_the_tables_of_tab_directories() {
    let fx = Fixture::new();
    let dotted = |rules: &str| {
        rules
            .replace("[tables.clientes]", "[tables.\"tienda.clientes\"]")
            .replace("[tables.pedidos]", "[tables.\"tienda.pedidos\"]")
    };
    for (name, rules, want) in [
        (
            "incomplete-db.toml",
            INCOMPLETE,
            vec!["tienda.clientes.note", "tienda.pedidos.contacto"],
        ),
        ("complete-db.toml", COMPLETE, vec![]),
    ] {
        std::fs::write(fx.path(name), dotted(rules)).unwrap();
        let masked = fx.path(&format!("{name}.tab"));
        let mut c = masker();
        c.env("MASKER_KEY", KEY)
            .args(["mask", "-q", "--database", "tienda", "--rules"])
            .arg(fx.path(name))
            .arg("--tab")
            .arg(fx.path("tab"))
            .arg("-o")
            .arg(&masked);
        let out = run(&mut c, None);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let mut c = masker();
        c.env("MASKER_KEY", KEY)
            .args(["verify-leaks", "--json", "--database", "tienda", "--rules"])
            .arg(fx.path(name))
            .arg(fx.path("tab"))
            .arg(&masked);
        let out = run(&mut c, None);
        assert_survivors(&out, &want, name);
        assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
        // Without --database: accepted as on a SQL dump, and noted.
        let out = verify(&fx, name, &fx.path("tab"), &masked);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("no table `tienda.clientes` in")
                && stderr(&out).contains("--database"),
            "{}",
            stderr(&out)
        );
    }
    let mut c = masker();
    c.env("MASKER_KEY", KEY)
        .args(["verify-leaks", "--database", "tienda", "--rules"])
        .arg(fx.path("complete.toml"))
        .arg(fx.path("dump.sql"))
        .arg(fx.path("dump.sql"));
    let out = run(&mut c, None);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--database does nothing with"),
        "{}",
        stderr(&out)
    );
}

/// Regression: `scan` and `verify-leaks` read any directory as a `--tab`
/// directory, so a mydumper directory, or a directory of SQL dumps, gave
/// no table and a clean report (`no column looks like personal data`,
/// `no original value survived`, exit 0) having read nothing. A mydumper
/// directory is now named as one (exit 2), and a directory that gives no
/// table with data is refused (exit 1).
#[test]
fn scan_and_verify_leaks_refuse_a_directory_they_read_nothing_from() {
    let fx = Fixture::new();
    let mydumper = testdata("mydumper/plain");
    let sql_dir = fx.path("sql-dumps");
    std::fs::create_dir(&sql_dir).unwrap();
    std::fs::copy(fx.path("dump.sql"), sql_dir.join("dump.sql")).unwrap();
    std::fs::copy(empty_rules(), fx.path("empty.toml")).unwrap();
    for (dir, exit, says) in [
        (&mydumper, 2, "is a mydumper directory: `masker {cmd}` reads SQL dumps and `mysqldump --tab` directories (X.sql + X.txt per table), not mydumper directories"),
        (&sql_dir, 1, "has no table with data (an X.txt beside its X.sql, as `mysqldump --tab` writes them): nothing was read"),
    ] {
        let out = scan(&["--json"], dir);
        // Rules that name no table: nothing of ORIGINAL is refused before.
        let verified = verify(&fx, "empty.toml", dir, dir);
        for (cmd, out) in [("scan", &out), ("verify-leaks", &verified)] {
            assert_eq!(code(out), exit, "{cmd} {}: {}", dir.display(), stderr(out));
            let want = format!("{} {}", dir.display(), says.replace("{cmd}", cmd));
            assert!(stderr(out).contains(&want), "{cmd}: {}", stderr(out));
            assert_eq!(stdout_str(out), "", "{cmd}: no report");
        }
    }
    // Only MASKED reads nothing: refused all the same.
    let out = verify(&fx, "complete.toml", &fx.path("tab"), &sql_dir);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("sql-dumps has no table with data"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn leak_check_refuses_stdout_and_tsv_modes() {
    let fx = Fixture::new();
    let out = mask_file(
        &fx.path("complete.toml"),
        &fx.path("dump.sql"),
        &["--leak-check"],
        Some(KEY),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("stdout"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let out = mask_file(
        &fx.path("complete.toml"),
        Path::new("-"),
        &[
            "--leak-check",
            "--tab",
            fx.path("tab").to_str().unwrap(),
            "-o",
            fx.path("o").to_str().unwrap(),
        ],
        Some(KEY),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("verify-leaks"), "{}", stderr(&out));
}

/// The scaffold builds on the scan: the issue's list of what it got wrong.
#[test]
fn scaffold_gets_the_issue_cases_right_and_mask_accepts_it() {
    let fx = Fixture::new();
    let mut c = masker();
    c.args(["check", "--scaffold"]).arg(fx.path("dump.sql"));
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout_str(&out);
    let rule = |col: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{col} = ")))
            .unwrap_or_else(|| panic!("no {col}:\n{text}"))
            .split("  #")
            .next()
            .unwrap()
            .split_once(" = ")
            .unwrap()
            .1
            .to_owned()
    };
    for masked in [
        "password",
        "email_confirm_token",
        "nombre",
        "apellido1",
        "telefono",
        "email",
        "note",
        "extra",
        "contacto",
    ] {
        assert!(
            !rule(masked).ends_with("\"keep\""),
            "{masked}: {}",
            rule(masked)
        );
    }
    assert!(
        !rule("email_confirm_token").contains("email"),
        "{}",
        rule("email_confirm_token")
    );
    for kept in ["email_accept", "created_ms", "name", "created_at", "price"] {
        assert!(rule(kept).ends_with("\"keep\""), "{kept}: {}", rule(kept));
    }
    let path = fx.path("scaffold.toml");
    std::fs::write(&path, &text).unwrap();
    let out = mask_file(
        &path,
        &fx.path("dump.sql"),
        &["-q", "-o", fx.path("s.sql").to_str().unwrap()],
        Some(KEY),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// Every fixture's scaffold binds and masks (a scaffold `mask` refuses must never happen).
#[test]
fn scaffold_of_every_fixture_is_accepted_by_mask() {
    let mut dumps = files_in(&testdata("scaffold"), ".sql");
    dumps.extend(files_in(&testdata("formats"), ".sql"));
    assert!(dumps.len() >= 5);
    for dump in dumps {
        let mut c = masker();
        c.args(["check", "--scaffold"]).arg(&dump);
        let out = run(&mut c, None);
        assert_eq!(code(&out), 0, "{}: {}", dump.display(), stderr(&out));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.toml");
        std::fs::write(&path, &out.stdout).unwrap();
        let out = mask_file(
            &path,
            &dump,
            &[
                "-q",
                "--allow-incomplete",
                "-o",
                dir.path().join("m.sql").to_str().unwrap(),
            ],
            Some(KEY),
        );
        assert_eq!(
            code(&out),
            0,
            "mask refuses the scaffold of {}: {}\n{}",
            dump.display(),
            stderr(&out),
            std::fs::read_to_string(&path).unwrap()
        );
    }
}

/// The scaffold's mistakes listed in issue 8, on a phpMyAdmin-style dump
/// (primary keys added by `ALTER TABLE` after the data): secrets, names in
/// other languages and phones stored as integers are masked; a `varchar(2)`
/// `email_accept` flag, millisecond timestamps and product and menu names
/// are kept; and `mask` accepts the scaffold as written.
#[test]
fn scaffold_regressions_issue_8_phpmyadmin() {
    let dump = testdata("scaffold/issue8_scaffold_mistakes.sql");
    let mut c = masker();
    c.args(["check", "--scaffold"]).arg(&dump);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout_str(&out);
    let rule = |table: &str, col: &str| {
        let section = text
            .split(&format!("[tables.{table}]\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no [tables.{table}]:\n{text}"));
        section
            .lines()
            .take_while(|l| !l.starts_with('['))
            .find(|l| l.starts_with(&format!("{col} = ")))
            .unwrap_or_else(|| panic!("no {table}.{col}:\n{text}"))
            .split("  #")
            .next()
            .unwrap()
            .split_once(" = ")
            .unwrap()
            .1
            .to_owned()
    };
    let masked = [
        ("usuarios", "email"),
        ("usuarios", "nombre"),
        ("usuarios", "apellido1"),
        ("usuarios", "apellido2"),
        ("usuarios", "password"),
        ("usuarios", "password_hash"),
        ("usuarios", "salt"),
        ("usuarios", "remember_token"),
        ("usuarios", "api_token"),
        ("usuarios", "movil"),
        ("usuarios", "tel"),
        ("usuarios", "email_confirm_token"),
        ("alunos", "Nome"),
        ("alunos", "Email"),
        ("pelanggan", "nama"),
    ];
    for (t, c) in masked {
        assert!(!rule(t, c).ends_with("\"keep\""), "{t}.{c}: {}", rule(t, c));
    }
    // A token is a secret, not an email.
    assert!(
        !rule("usuarios", "email_confirm_token").contains("email"),
        "{}",
        rule("usuarios", "email_confirm_token")
    );
    let kept = [
        ("usuarios", "email_accept"),
        ("usuarios", "created_ms"),
        ("usuarios", "updated_ms"),
        ("pelanggan", "kota"),
        ("productos", "name"),
        ("productos", "precio"),
        ("menu_items", "name"),
        ("menu_items", "menu_name"),
    ];
    for (t, c) in kept {
        assert_eq!(rule(t, c), "\"keep\"", "{t}.{c}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scaffold.toml");
    std::fs::write(&path, &text).unwrap();
    let out = mask_file(
        &path,
        &dump,
        &["-q", "-o", dir.path().join("m.sql").to_str().unwrap()],
        Some(KEY),
    );
    assert_eq!(
        code(&out),
        0,
        "mask refuses the scaffold: {}\n{text}",
        stderr(&out)
    );
    // Nothing of the originals the scaffold masks is left.
    let masked_sql = std::fs::read_to_string(dir.path().join("m.sql")).unwrap();
    for v in [
        "correo.example.es",
        "Secreto000!",
        "Lucía",
        "João Silva",
        "Budi Santoso",
    ] {
        assert!(!masked_sql.contains(v), "{v} survived the scaffold");
    }
}

/// Issue 13: `check --scaffold` suggests JSON paths when sampled documents
/// hold emails or phone numbers; `mask` accepts the scaffold, the rest of
/// each document stays as it was, and no original survives.
#[test]
fn scaffold_suggests_json_paths_and_mask_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<String> = (0..8)
        .map(|i| {
            format!(
                "({i},'{{\\\"owner\\\": {{\\\"email\\\": \\\"person{i}@corp.example\\\"}}, \\\"contacts\\\": [{{\\\"tel\\\": \\\"090-5555-{i:04}\\\"}}], \\\"theme\\\": \\\"dark\\\"}}')"
            )
        })
        .collect();
    let dump = dir.path().join("dump.sql");
    std::fs::write(
        &dump,
        format!(
            "CREATE TABLE `p` (\n  `id` int NOT NULL,\n  `profile` json DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\nINSERT INTO `p` VALUES {};\n",
            rows.join(",")
        ),
    )
    .unwrap();
    let out = run(masker().args(["check", "--scaffold"]).arg(&dump), None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let scaffold = stdout_str(&out);
    assert!(
        scaffold.contains(
            "profile = { json = { \"contacts[].tel\" = \"hash\", \"owner.email\" = { transform = \"hash\", format = \"email\" } } }"
        ),
        "{scaffold}"
    );
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, &scaffold).unwrap();
    let masked = mask_ok(&rules, &dump, &[], Some("scaffold json key 0123"));
    let text = String::from_utf8(masked).unwrap();
    assert!(
        !text.contains("person") && !text.contains("090-5555"),
        "{text}"
    );
    assert_eq!(
        text.matches("\\\"theme\\\": \\\"dark\\\"").count(),
        8,
        "{text}"
    );
}
