//! Parameter groups created and modified in moto's RDS server (started by
//! the test on 127.0.0.1) are read through the RDS API; the same groups
//! saved as JSON render the same `my.cnf`. Needs moto:
//! `pip install 'moto[server]'` (boto3, a moto dependency, sets up the groups).

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command as Std, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use assert_cmd::Command;

struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto() -> Moto {
    let installed = Std::new("moto_server")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        installed,
        "moto_server is not installed: pip install 'moto[server]'"
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Std::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "moto_server did not listen within 30 s"
        );
        sleep(Duration::from_millis(100));
    }
    moto
}

const ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_DEFAULT_REGION", "us-east-1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("AWS_CONFIG_FILE", "/nonexistent/masker-test"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/masker-test"),
];

/// Runs a boto3 snippet against moto; `rds` is the client.
fn boto3(moto: &Moto, code: &str) -> String {
    let script = format!(
        "import boto3, json\nrds = boto3.client('rds', endpoint_url='{}')\n{code}\n",
        moto.url
    );
    let out = Std::new("python3")
        .args(["-c", &script])
        .envs(ENV.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const SETUP: &str = r#"
rds.create_db_cluster_parameter_group(DBClusterParameterGroupName='prod-cluster',
    DBParameterGroupFamily='aurora-mysql8.0', Description='prod cluster')
rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName='prod-cluster', Parameters=[
    {'ParameterName': 'character_set_server', 'ParameterValue': 'utf8mb4', 'ApplyMethod': 'immediate'},
    {'ParameterName': 'time_zone', 'ParameterValue': 'Asia/Tokyo', 'ApplyMethod': 'immediate'},
    {'ParameterName': 'aurora_parallel_query', 'ParameterValue': '1', 'ApplyMethod': 'pending-reboot'},
])
rds.create_db_parameter_group(DBParameterGroupName='prod-instance',
    DBParameterGroupFamily='aurora-mysql8.0', Description='prod instance')
rds.modify_db_parameter_group(DBParameterGroupName='prod-instance', Parameters=[
    {'ParameterName': 'innodb_buffer_pool_size', 'ParameterValue': '{DBInstanceClassMemory*3/4}', 'ApplyMethod': 'pending-reboot'},
    {'ParameterName': 'table_open_cache', 'ParameterValue': 'LEAST({DBInstanceClassMemory/1179121},6000)', 'ApplyMethod': 'immediate'},
    {'ParameterName': 'time_zone', 'ParameterValue': 'UTC', 'ApplyMethod': 'immediate'},
])
"#;

fn my_cnf(moto: &Moto, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("masker-aws")
        .unwrap()
        .envs(ENV.iter().copied())
        .args([
            "my-cnf",
            "--engine",
            "aurora-mysql",
            "--engine-version",
            "8.0.mysql_aurora.3.05.2",
        ])
        .args(["--endpoint-url", &moto.url, "--memory", "2G"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
}

#[test]
fn groups_are_read_through_the_api_like_from_saved_json() {
    let moto = start_moto();
    boto3(&moto, SETUP);
    let dir = tempfile::tempdir().unwrap();

    let api_out = dir.path().join("api");
    my_cnf(
        &moto,
        &api_out,
        &[
            "--cluster-parameter-group",
            "prod-cluster",
            "--instance-parameter-group",
            "prod-instance",
        ],
    )
    .success();
    let cnf = fs::read_to_string(api_out.join("my.cnf")).unwrap();
    for line in [
        "character_set_server = utf8mb4\n",
        "innodb_buffer_pool_size = 1610612736\n",
        "table_open_cache = 1821\n",
        // The instance group's value wins over the cluster's.
        "# instance group `prod-instance`, source not reported (RDS parameter `time_zone`)\ndefault_time_zone = UTC\n",
        "# aurora_parallel_query (cluster group `prod-cluster`, source not reported): Aurora-only",
    ] {
        assert!(cnf.contains(line), "missing {line:?} in\n{cnf}");
    }

    // A change made in the group shows up on the next read.
    boto3(
        &moto,
        "rds.modify_db_parameter_group(DBParameterGroupName='prod-instance', Parameters=[\
         {'ParameterName': 'max_connections', 'ParameterValue': '300', 'ApplyMethod': 'immediate'}])",
    );
    my_cnf(
        &moto,
        &api_out,
        &[
            "--cluster-parameter-group",
            "prod-cluster",
            "--instance-parameter-group",
            "prod-instance",
        ],
    )
    .success();
    let cnf = fs::read_to_string(api_out.join("my.cnf")).unwrap();
    assert!(cnf.contains("\nmax_connections = 300\n"), "{cnf}");

    // The same groups saved as JSON (what `aws rds describe-db-...` prints).
    let cluster_json = dir.path().join("cluster.json");
    let instance_json = dir.path().join("instance.json");
    fs::write(
        &cluster_json,
        boto3(
            &moto,
            "print(json.dumps({'Parameters': rds.describe_db_cluster_parameters(DBClusterParameterGroupName='prod-cluster')['Parameters']}))",
        ),
    )
    .unwrap();
    fs::write(
        &instance_json,
        boto3(
            &moto,
            "print(json.dumps({'Parameters': rds.describe_db_parameters(DBParameterGroupName='prod-instance')['Parameters']}))",
        ),
    )
    .unwrap();
    let file_out = dir.path().join("file");
    my_cnf(
        &moto,
        &file_out,
        &[
            "--cluster-parameter-group",
            "prod-cluster",
            "--cluster-parameters",
            cluster_json.to_str().unwrap(),
            "--instance-parameter-group",
            "prod-instance",
            "--instance-parameters",
            instance_json.to_str().unwrap(),
        ],
    )
    .success();
    assert_eq!(fs::read_to_string(file_out.join("my.cnf")).unwrap(), cnf);
}

#[test]
fn a_missing_group_is_named_in_the_error() {
    let moto = start_moto();
    let dir = tempfile::tempdir().unwrap();
    let assert = my_cnf(
        &moto,
        &dir.path().join("out"),
        &["--instance-parameter-group", "no-such-group"],
    )
    .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("DescribeDBParameters no-such-group: "),
        "{stderr}"
    );
    assert!(stderr.contains("DBParameterGroupNotFound"), "{stderr}");
    assert!(!dir.path().join("out/my.cnf").exists());
}
