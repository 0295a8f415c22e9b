//! The docker-compose.yml, users and .env that `masker-aws my-cnf` writes:
//! valid YAML with the expected image, volumes and health check; passwords
//! only in the git-ignored .env.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{fixture, mariadb_my_cnf};
use serde_yaml::Value;

const USERS: &str = r#"
[[user]]
name = "admin"
[[user.grant]]
privileges = ["ALL PRIVILEGES"]
on = "*.*"
with_grant_option = true

[[user]]
name = "app"
[[user.grant]]
privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]
on = "app.*"
"#;

fn render(dir: &Path, engine: &str, version: &str, group: &str) {
    fs::write(dir.join("users.toml"), USERS).unwrap();
    Command::cargo_bin("masker-aws")
        .unwrap()
        .args(["my-cnf", "--engine", engine, "--engine-version", version])
        .arg("--instance-parameters")
        .arg(fixture(group))
        .arg("--users")
        .arg(dir.join("users.toml"))
        .args(["--seed", "../masked/app.sql.gz", "--host-port", "13306"])
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .success();
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .unwrap_or_else(|| panic!("expected a list, got {v:?}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn compose_file_names_image_volumes_and_healthcheck() {
    let dir = tempfile::tempdir().unwrap();
    render(
        dir.path(),
        "aurora-mysql",
        "8.0.mysql_aurora.3.05.2",
        "aurora-mysql-3.05-instance.json",
    );
    let text = fs::read_to_string(dir.path().join("out/docker-compose.yml")).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let db = &doc["services"]["db"];
    assert_eq!(db["image"].as_str(), Some("mysql:8.0.32"), "{text}");
    assert_eq!(strings(&db["env_file"]), [".env"]);
    assert_eq!(strings(&db["ports"]), ["127.0.0.1:13306:3306"]);
    assert_eq!(
        strings(&db["volumes"]),
        [
            "./my.cnf:/etc/mysql/conf.d/zz-masker.cnf:ro",
            "./init/00-users.sh:/docker-entrypoint-initdb.d/00-users.sh:ro",
            "./init/users.sql:/masker/users.sql:ro",
            "../masked/app.sql.gz:/docker-entrypoint-initdb.d/50-seed.sql.gz:ro",
            "db-data:/var/lib/mysql",
        ]
    );
    assert_eq!(
        strings(&db["healthcheck"]["test"]),
        ["CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent"]
    );
    assert!(db["healthcheck"]["interval"].is_string());
    assert!(doc["volumes"]["db-data"].is_mapping());
}

#[test]
fn image_per_engine() {
    for (engine, version, group, image, health) in [
        (
            "mariadb",
            "10.11.6",
            "mariadb-10.11-instance.json",
            "mariadb:10.11.6",
            "mariadb-admin",
        ),
        (
            "mysql",
            "8.0.35",
            "aurora-mysql-3.05-instance.json",
            "mysql:8.0.35",
            "mysqladmin",
        ),
        (
            "aurora-mysql",
            "5.7.mysql_aurora.2.11.2",
            "aurora-mysql-3.05-instance.json",
            "mysql:5.7",
            "mysqladmin",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        render(dir.path(), engine, version, group);
        let text = fs::read_to_string(dir.path().join("out/docker-compose.yml")).unwrap();
        let doc: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(
            doc["services"]["db"]["image"].as_str(),
            Some(image),
            "{engine} {version}"
        );
        assert_eq!(
            strings(&doc["services"]["db"]["healthcheck"]["test"])[1],
            health
        );
    }
}

#[test]
fn passwords_live_only_in_the_ignored_env_file() {
    let dir = tempfile::tempdir().unwrap();
    render(
        dir.path(),
        "mariadb",
        "10.11.6",
        "mariadb-10.11-instance.json",
    );
    let out = dir.path().join("out");
    let env = fs::read_to_string(out.join(".env")).unwrap();
    let vars: Vec<(&str, &str)> = env.lines().filter_map(|l| l.split_once('=')).collect();
    let names: Vec<&str> = vars.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "MARIADB_ROOT_PASSWORD",
            "MASKER_PASSWORD_ADMIN",
            "MASKER_PASSWORD_APP"
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(out.join(".env")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(fs::read_to_string(out.join(".gitignore"))
        .unwrap()
        .lines()
        .any(|l| l == ".env"));
    let sql = fs::read_to_string(out.join("init/users.sql")).unwrap();
    let script = fs::read_to_string(out.join("init/00-users.sh")).unwrap();
    for (_, password) in &vars {
        assert_eq!(password.len(), 24);
        for f in [&sql, &script] {
            assert!(
                !f.contains(password),
                "a password leaked into a tracked file"
            );
        }
    }
    assert!(
        sql.contains("GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.* TO 'app'@'%';"),
        "{sql}"
    );

    // A second run keeps the passwords (the local database was created with them).
    render(
        dir.path(),
        "mariadb",
        "10.11.6",
        "mariadb-10.11-instance.json",
    );
    assert_eq!(fs::read_to_string(out.join(".env")).unwrap(), env);
}

#[test]
fn bad_users_config_lists_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.toml");
    fs::write(
        &users,
        "[[user]]\nname = \"a b\"\n[[user.grant]]\nprivileges = [\"SELEKT\"]\non = \"app.*\"\n",
    )
    .unwrap();
    let assert = mariadb_my_cnf()
        .arg("--users")
        .arg(&users)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("user[0].name"), "{stderr}");
    assert!(
        stderr.contains("user[0].grant[0].privileges[0]: unknown privilege \"SELEKT\""),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_seed_directory_is_loaded_by_an_init_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    mariadb_my_cnf()
        .args(["--seed", "../masked/run-1/"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(out.join("docker-compose.yml")).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(
        strings(&doc["services"]["db"]["volumes"]),
        [
            "./my.cnf:/etc/mysql/conf.d/zz-masker.cnf:ro",
            "./init/50-seed.sh:/docker-entrypoint-initdb.d/50-seed.sh:ro",
            "../masked/run-1:/masker/seed:ro",
            "db-data:/var/lib/mysql",
        ]
    );
    let script = fs::read_to_string(out.join("init/50-seed.sh")).unwrap();
    assert!(
        script.ends_with("\ndocker_process_init_files /masker/seed/*\n"),
        "{script}"
    );

    // A file that is not a dump is refused.
    fs::write(dir.path().join("notes.txt"), "x").unwrap();
    mariadb_my_cnf()
        .args(["--seed", "../notes.txt"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--seed ../notes.txt: a file, but not a dump",
        ));
}
