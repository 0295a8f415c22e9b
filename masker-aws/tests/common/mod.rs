//! Helpers shared by the `masker-aws my-cnf` behaviour tests: the saved RDS
//! fixtures and the command line most tests start from.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A saved parameter-group fixture under `testdata/rds/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/rds")
        .join(name)
}

/// The `masker-aws` binary.
pub fn cmd() -> Command {
    Command::cargo_bin("masker-aws").unwrap()
}

/// `masker-aws my-cnf` for MariaDB 10.11.6 from the saved instance group;
/// tests add `--out` and their own options.
pub fn mariadb_my_cnf() -> Command {
    let mut c = cmd();
    c.args([
        "my-cnf",
        "--engine",
        "mariadb",
        "--engine-version",
        "10.11.6",
    ])
    .arg("--instance-parameters")
    .arg(fixture("mariadb-10.11-instance.json"));
    c
}
