//! `masker-aws my-cnf` on the saved RDS fixtures: what is written, what is
//! left out, exit codes and messages.

mod common;

use std::fs;

use common::{cmd, fixture, mariadb_my_cnf};

#[test]
fn aurora_cluster_and_instance_groups_merge_for_mysql_8() {
    let out = tempfile::tempdir().unwrap();
    let assert = cmd()
        .args([
            "my-cnf",
            "--engine",
            "aurora-mysql",
            "--engine-version",
            "8.0.mysql_aurora.3.05.2",
        ])
        .arg("--cluster-parameters")
        .arg(fixture("aurora-mysql-3.05-cluster.json"))
        .args(["--cluster-parameter-group", "prod-cluster"])
        .arg("--instance-parameters")
        .arg(fixture("aurora-mysql-3.05-instance.json"))
        .args([
            "--instance-parameter-group",
            "prod-instance",
            "--memory",
            "2G",
            "--cpus",
            "2",
        ])
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("MySQL 8.0.32 (image mysql:8.0.32)"),
        "{stderr}"
    );
    let cnf = fs::read_to_string(out.path().join("my.cnf")).unwrap();
    for line in [
        "# Local server: MySQL 8.0.32 (image mysql:8.0.32)",
        "# cluster group `prod-cluster`, set in the group (RDS parameter `time_zone`)\ndefault_time_zone = Asia/Tokyo\n",
        // The cluster's explicit value beats the instance's log() default.
        "# cluster group `prod-cluster`, set in the group\nmax_connections = 2000\n",
        "# instance group `prod-instance`, engine default\ninnodb_buffer_pool_size = 1610612736\n",
        // LEAST({DBInstanceClassMemory/1179121},6000) for 2 GiB.
        "table_open_cache = 1821\n",
        "default_authentication_plugin = mysql_native_password\n",
        "transaction_isolation = READ-COMMITTED\n",
        "# aurora_enable_repl_bin_log_filtering (cluster group `prod-cluster`, engine default): Aurora-only",
        "# server_audit_logging (cluster group `prod-cluster`, set in the group): audit plugin",
    ] {
        assert!(cnf.contains(line), "missing {line:?} in\n{cnf}");
    }
    assert!(!cnf.contains("\nbinlog_format"), "{cnf}");
}

#[test]
fn mysql_8_options_are_left_out_for_mariadb() {
    let out = tempfile::tempdir().unwrap();
    cmd()
        .args([
            "my-cnf",
            "--engine",
            "mariadb",
            "--engine-version",
            "10.11.6",
        ])
        .arg("--instance-parameters")
        .arg(fixture("aurora-mysql-3.05-instance.json"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let cnf = fs::read_to_string(out.path().join("my.cnf")).unwrap();
    assert!(
        cnf.contains("# default_authentication_plugin (instance group `aurora-mysql-3.05-instance.json`, engine default): not an option of MariaDB 10.11.6: a MySQL-only option (MariaDB refuses it or ignores it)"),
        "{cnf}"
    );
    assert!(cnf.contains("# max_execution_time ("), "{cnf}");
    assert!(!cnf.contains("\nmax_execution_time ="), "{cnf}");
}

#[test]
fn an_engine_default_log_formula_is_left_out_with_a_warning() {
    let out = tempfile::tempdir().unwrap();
    let assert = cmd()
        .args([
            "my-cnf",
            "--engine",
            "aurora-mysql",
            "--engine-version",
            "8.0.mysql_aurora.3.05.2",
        ])
        .arg("--instance-parameters")
        .arg(fixture("aurora-mysql-3.05-instance.json"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("warning: max_connections (instance group `aurora-mysql-3.05-instance.json`, engine default): left out: formula `GREATEST({log("),
        "{stderr}"
    );
    assert!(stderr.contains("unknown function `log`"), "{stderr}");
}

#[test]
fn unevaluable_user_values_fail_with_every_name_listed() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    fs::write(
        &json,
        r#"{"Parameters":[
          {"ParameterName":"max_connections","ParameterValue":"{DBInstanceClassMemory/0}","Source":"user"},
          {"ParameterName":"innodb_buffer_pool_size","ParameterValue":"{DBInstanceRAM*3/4}","Source":"user"}
        ]}"#,
    )
    .unwrap();
    let assert = cmd()
        .args(["my-cnf", "--engine", "mysql", "--engine-version", "8.0.35"])
        .arg("--instance-parameters")
        .arg(&json)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("2 parameter(s) cannot be rendered"),
        "{stderr}"
    );
    assert!(stderr.contains("max_connections (instance group `g.json`, set in the group): formula `{DBInstanceClassMemory/0}`: division by zero"), "{stderr}");
    assert!(
        stderr.contains("unknown variable `DBInstanceRAM`"),
        "{stderr}"
    );
    assert!(!dir.path().join("out/my.cnf").exists());
}

#[test]
fn usage_errors_name_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let assert = cmd()
        .args([
            "my-cnf",
            "--engine",
            "mariadb",
            "--engine-version",
            "10.11.6",
        ])
        .arg("--instance-parameters")
        .arg(&missing)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(4);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("reading {}", missing.display())),
        "{stderr}"
    );

    cmd()
        .args([
            "my-cnf",
            "--engine",
            "mariadb",
            "--engine-version",
            "10.11.6",
        ])
        .arg("--cluster-parameters")
        .arg(fixture("aurora-mysql-3.05-cluster.json"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "mariadb has no cluster parameter groups",
        ));

    cmd()
        .args([
            "my-cnf",
            "--engine",
            "aurora-mysql",
            "--engine-version",
            "8.0.mysql_aurora.3.99.0",
        ])
        .arg("--instance-parameters")
        .arg(fixture("aurora-mysql-3.05-instance.json"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no known MySQL 8.0 version for this Aurora minor",
        ));
}

#[test]
fn instance_class_sizes_the_formulas_like_production() {
    let out = tempfile::tempdir().unwrap();
    mariadb_my_cnf()
        .args(["--instance-class", "db.r6g.large"])
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let cnf = fs::read_to_string(out.path().join("my.cnf")).unwrap();
    // 16 GiB: {DBInstanceClassMemory*3/4} and {DBInstanceClassMemory/12582880}.
    assert!(
        cnf.contains("\ninnodb_buffer_pool_size = 12884901888\n"),
        "{cnf}"
    );
    assert!(cnf.contains("\nmax_connections = 1365\n"), "{cnf}");
    assert!(
        cnf.contains("DBInstanceClassMemory=17179869184 DBInstanceVCPU=2 "),
        "{cnf}"
    );

    mariadb_my_cnf()
        .args(["--instance-class", "db.serverless"])
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`db.serverless` has no fixed size",
        ));
}
