//! `--git-commit` on a temporary repository: the first run commits, an
//! unchanged second run commits nothing, a changed parameter commits a
//! message naming it (old -> new). `.env` is never committed.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use common::fixture;

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Std::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn run(repo: &Path, group: &Path) -> String {
    run_with(repo, group, &[])
}

fn run_with(repo: &Path, group: &Path, extra: &[&str]) -> String {
    let assert = Command::cargo_bin("masker-aws")
        .unwrap()
        .args([
            "my-cnf",
            "--engine",
            "mariadb",
            "--engine-version",
            "10.11.6",
        ])
        .args(extra)
        .arg("--instance-parameters")
        .arg(group)
        .args(["--instance-parameter-group", "prod-mariadb"])
        .arg("--git-commit")
        .arg(repo)
        .arg("--out")
        .arg(repo.join("local-db"))
        .assert()
        .success();
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn commits_only_when_a_parameter_changed() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["config", "user.name", "masker test"]);
    git(&repo, &["config", "user.email", "test@example.invalid"]);
    // Someone else's uncommitted work must stay out of our commits.
    fs::write(repo.join("notes.txt"), "wip").unwrap();
    git(&repo, &["add", "notes.txt"]);

    let group = dir.path().join("group.json");
    let original = fs::read_to_string(fixture("mariadb-10.11-instance.json")).unwrap();
    fs::write(&group, &original).unwrap();

    let stderr = run(&repo, &group);
    assert!(
        stderr.contains("committed: masker-aws my-cnf: first render of local-db"),
        "{stderr}"
    );
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "1");
    let files = git(&repo, &["ls-files"]);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        [
            "local-db/.gitignore",
            "local-db/docker-compose.yml",
            "local-db/my.cnf",
            "notes.txt"
        ]
    );
    assert!(!git(&repo, &["show", "--stat", "HEAD"]).contains("notes.txt"));
    assert!(repo.join("local-db/.env").exists());

    let stderr = run(&repo, &group);
    assert!(stderr.contains("nothing changed; no commit"), "{stderr}");
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "1");

    let changed = original
        .replace(
            "\"67108864\",\n            \"Description\": \"Max allowed packet.\"",
            "\"134217728\",\n            \"Description\": \"Max allowed packet.\"",
        )
        .replace("\"Asia/Tokyo\"", "\"UTC\"");
    assert_ne!(changed, original, "the fixture edit must apply");
    fs::write(&group, changed).unwrap();
    run(&repo, &group);
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "2");
    let message = git(&repo, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("masker-aws my-cnf: 2 parameter(s) changed"),
        "{message}"
    );
    assert!(
        message.contains("max_allowed_packet: 67108864 -> 134217728"),
        "{message}"
    );
    assert!(
        message.contains("default_time_zone: Asia/Tokyo -> UTC"),
        "{message}"
    );
    // The staged file of someone else is still staged, not committed.
    assert_eq!(
        git(&repo, &["diff", "--cached", "--name-only"]).trim(),
        "notes.txt"
    );

    // Files only some options write come and go with the option.
    let users = dir.path().join("users.toml");
    fs::write(&users, "[[user]]\nname = \"app\"\n").unwrap();
    let stderr = run_with(&repo, &group, &["--users", users.to_str().unwrap()]);
    assert!(
        stderr.contains(
            "committed: masker-aws my-cnf: local database files changed (no parameter changed)"
        ),
        "{stderr}"
    );
    assert!(git(&repo, &["ls-files"]).contains("local-db/init/users.sql"));
    let stderr = run(&repo, &group);
    assert!(stderr.contains("committed:"), "{stderr}");
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "4");
    let files = git(&repo, &["ls-files"]);
    assert!(!files.contains("local-db/init/"), "{files}");
    assert!(!repo.join("local-db/init/users.sql").exists());
    let stderr = run(&repo, &group);
    assert!(stderr.contains("nothing changed; no commit"), "{stderr}");
}
