//! The backup and mask jobs end to end against moto's server (STS, KMS,
//! RDS, S3, CloudWatch Logs; started by each test on a free loopback port)
//! with the local MariaDB (127.0.0.1:3306, root, no password) standing in
//! for the restored cluster: success, a failure injected after every step,
//! SIGTERM, the default `aws/rds` key refused, `sweep`, the audit chain and
//! its copies (S3, CloudWatch Logs), DogStatsD metrics, and the generated
//! password never leaking. Needs
//! `pip install 'moto[server]'` (boto3 sets up and inspects moto) and the
//! MariaDB server; fails with a clear message when either is missing.

use std::fs;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Std, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

struct Moto {
    child: Child,
    url: String,
    recording: PathBuf,
    _dir: tempfile::TempDir,
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
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("moto-recording.jsonl");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Std::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        // Every request is recorded: the test reads the generated password
        // from the ModifyDBCluster request to prove it leaks nowhere else.
        .env("MOTO_ENABLE_RECORDING", "true")
        .env("MOTO_RECORDER_FILEPATH", &recording)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
        recording,
        _dir: dir,
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

fn env(moto: &Moto) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONFIG_FILE", "/nonexistent/masker-test".into()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/masker-test".into(),
        ),
        // object_store (the dump's S3 client) reads these.
        ("AWS_ENDPOINT", moto.url.clone()),
        ("AWS_ALLOW_HTTP", "true".into()),
        ("MASKER_KEY", "test-key-0123456789abcdef0123456789".into()),
    ]
}

/// Runs a boto3 snippet against moto (`rds`, `kms`, `s3`, `logs` are clients).
fn boto3(moto: &Moto, code: &str) -> String {
    let script = format!(
        "import boto3, json, datetime\n\
         kw = dict(endpoint_url='{}')\n\
         rds = boto3.client('rds', **kw); kms = boto3.client('kms', **kw); s3 = boto3.client('s3', **kw)\n\
         logs = boto3.client('logs', **kw)\n\
         {code}\n",
        moto.url
    );
    let out = Std::new("python3")
        .args(["-c", &script])
        .envs(env(moto))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A customer-managed key, an encrypted production cluster `prod` with a
/// snapshot under that key, a `legacy` cluster whose snapshot is under the
/// default key, and the `backups` bucket. Prints the key ARN.
const SETUP: &str = r#"
key = kms.create_key(Description='platform')['KeyMetadata']['Arn']
rds.create_db_cluster(DBClusterIdentifier='prod', Engine='aurora-mysql', MasterUsername='admin',
    MasterUserPassword='prodpassword1', StorageEncrypted=True, KmsKeyId=key)
rds.create_db_cluster_snapshot(DBClusterIdentifier='prod', DBClusterSnapshotIdentifier='prod-snap')
rds.create_db_cluster(DBClusterIdentifier='legacy', Engine='aurora-mysql', MasterUsername='admin',
    MasterUserPassword='prodpassword1', StorageEncrypted=True)
rds.create_db_cluster_snapshot(DBClusterIdentifier='legacy', DBClusterSnapshotIdentifier='legacy-snap')
s3.create_bucket(Bucket='backups')
print(key)
"#;

/// What the runs may have left: clusters, instances and snapshots tagged by
/// masker, parameter groups it made, and incomplete multipart uploads.
const LEFTOVERS: &str = r#"
def tagged(arn):
    return any(t['Key'] == 'masker:run-id' for t in rds.list_tags_for_resource(ResourceName=arn)['TagList'])
left = [c['DBClusterIdentifier'] for c in rds.describe_db_clusters()['DBClusters'] if tagged(c['DBClusterArn'])]
left += [i['DBInstanceIdentifier'] for i in rds.describe_db_instances()['DBInstances']]
left += [s['DBClusterSnapshotIdentifier'] for s in rds.describe_db_cluster_snapshots()['DBClusterSnapshots'] if tagged(s['DBClusterSnapshotArn'])]
left += [g['DBClusterParameterGroupName'] for g in rds.describe_db_cluster_parameter_groups()['DBClusterParameterGroups'] if g['DBClusterParameterGroupName'].startswith('masker-')]
left += [u['Key'] for u in s3.list_multipart_uploads(Bucket='backups').get('Uploads', [])]
print(json.dumps(left))
"#;

fn leftovers(moto: &Moto) -> String {
    boto3(moto, LEFTOVERS).trim().to_owned()
}

/// Python that defines `records()`: moto's request recording, one dict per
/// request. moto appends each record and its newline in two writes from
/// several server threads, so under concurrent requests (the sharded run's
/// processes) two records can share a line: the file is read as a stream of
/// JSON values, not as lines. Bodies come back decoded.
const RECORDS: &str = r#"
import base64
def records():
    text = open(PATH).read()
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return
        r, i = dec.raw_decode(text, i)
        b = r.get('body') or ''
        r['body'] = base64.b64decode(b).decode('utf-8', 'replace') if r.get('body_encoded') else b
        yield r
"#;

/// Runs `code` with `records()` over moto's recording and returns what it
/// printed as JSON.
fn from_recording<T: serde::de::DeserializeOwned>(moto: &Moto, code: &str) -> T {
    let script = format!(
        "PATH = {:?}\n{RECORDS}\n{code}",
        moto.recording.display().to_string()
    );
    serde_json::from_str(boto3(moto, &script).trim()).unwrap()
}

/// The passwords sent with ModifyDBCluster, from moto's request recording.
fn recorded_passwords(moto: &Moto) -> Vec<String> {
    from_recording(
        moto,
        "import urllib.parse\n\
         out = []\n\
         for r in records():\n    q = urllib.parse.parse_qs(r['body'])\n    \
         if q.get('Action') == ['ModifyDBCluster']: out += q.get('MasterUserPassword', [])\n\
         print(json.dumps(out))",
    )
}

/// The parameters of every recorded request for `action` (query-protocol
/// APIs such as RDS, or JSON ones such as Secrets Manager).
fn recorded(moto: &Moto, action: &str) -> Vec<serde_json::Value> {
    let code = format!(
        "import urllib.parse\n\
         out = []\n\
         for r in records():\n    b = r['body']\n    \
         t = {{k.lower(): v for k, v in r.get('headers', {{}}).items()}}.get('x-amz-target', '')\n    \
         if t.endswith('.{action}'): out.append(json.loads(b)); continue\n    \
         q = urllib.parse.parse_qs(b)\n    \
         if q.get('Action') == ['{action}']: out.append({{k: v[0] for k, v in q.items()}})\n\
         print(json.dumps(out))"
    );
    from_recording(moto, &code)
}

fn mariadb(sql: &str) {
    let out = Std::new("mariadb")
        .args(["-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", sql])
        .output()
        .expect("the mariadb client is missing: install mariadb-client");
    assert!(
        out.status.success(),
        "MariaDB on 127.0.0.1:3306 (root, no password) is needed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// A fresh database with two small tables; dropped on drop.
struct Db(String);

impl Db {
    fn new() -> Db {
        let name = format!(
            "masker_aws_job_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        mariadb(&format!(
            "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`; USE `{name}`;
             CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, note TEXT);
             INSERT INTO users VALUES (1, 'alice@example.com', 'a'), (2, 'bob@example.com', NULL),
                                      (3, 'carol@example.com', 'tab\there');
             CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, total DECIMAL(10,2));
             INSERT INTO orders VALUES (10, 1, 9.99), (11, 2, 0.00), (12, 3, 123.45);"
        ));
        Db(name)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        mariadb(&format!("DROP DATABASE IF EXISTS `{}`", self.0));
    }
}

fn write_job(dir: &Path, moto: &Moto, key: &str, db: &str, source: &str, extra: &str) -> PathBuf {
    let path = dir.join("job.toml");
    fs::write(
        &path,
        format!(
            r#"
[aws]
region = "us-east-1"
endpoint_url = "{url}"
[source]
{source}
[restore]
kms_key_id = "{key}"
wait_seconds = 30
ttl_hours = 2
[database]
name = "{db}"
[output]
s3 = "s3://backups/daily"
[audit]
path = "{audit}"
[testing]
database_address = "127.0.0.1:3306"
database_user = "root"
{extra}
"#,
            url = moto.url,
            audit = dir.join("audit.jsonl").display(),
        ),
    )
    .unwrap();
    path
}

fn masker_aws(moto: &Moto, args: &[&str]) -> Output {
    Std::new(env!("CARGO_BIN_EXE_masker-aws"))
        .args(args)
        .envs(env(moto))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn audit_records(dir: &Path) -> Vec<serde_json::Value> {
    audit_records_of(&dir.join("audit.jsonl"))
}

fn audit_records_of(file: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const STEPS: &[&str] = &[
    "preflight",
    "copy-snapshot",
    "restore-cluster",
    "create-instance",
    "set-password",
    "dump",
    "restore-test",
];

#[test]
fn backup_job_dumps_restore_tests_audits_measures_and_leaves_nothing() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let statsd = UdpSocket::bind("127.0.0.1:0").unwrap();
    statsd
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let metrics = format!("[metrics]\nstatsd = \"{}\"\n", statsd.local_addr().unwrap());
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "latest_for_cluster = \"prod\"",
        "",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(&job, format!("{metrics}{body}")).unwrap();

    let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("2 tables, 6 rows"), "{shown}");

    // Every step, chained, with the caller.
    let recs = audit_records(dir.path());
    let steps: Vec<&str> = recs.iter().map(|r| r["step"].as_str().unwrap()).collect();
    let mut want = STEPS.to_vec();
    want.push("cleanup");
    assert_eq!(steps, want);
    assert!(recs.iter().all(|r| r["outcome"] == "ok"), "{recs:?}");
    assert!(recs[1]["caller"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:sts::"));
    let verified = masker_aws(
        &moto,
        &[
            "audit",
            "verify",
            dir.path().join("audit.jsonl").to_str().unwrap(),
        ],
    );
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(text(&verified).contains("8 records, chain intact"));

    // The dump is in S3 under <prefix>/<cluster>/<date>/<run id>/.
    let run_id = recs[0]["run_id"].as_str().unwrap();
    let keys = boto3(
        &moto,
        "print('\\n'.join(o['Key'] for o in s3.list_objects_v2(Bucket='backups')['Contents']))",
    );
    let manifest = keys
        .lines()
        .find(|k| k.ends_with("/manifest.json"))
        .unwrap_or_else(|| panic!("no manifest in {keys}"));
    assert!(manifest.starts_with("daily/prod/20"), "{manifest}");
    assert!(manifest.contains(run_id), "{manifest}");

    // Database auditing from the first minute: a parameter group with
    // server_audit_logging on, the audit log exported to CloudWatch Logs.
    let restore = recorded(&moto, "RestoreDBClusterFromSnapshot");
    assert_eq!(restore.len(), 1, "{restore:?}");
    let group = format!("masker-{run_id}-audit");
    assert_eq!(restore[0]["DBClusterParameterGroupName"], group.as_str());
    assert_eq!(restore[0]["EnableCloudwatchLogsExports.member.1"], "audit");
    let modified = recorded(&moto, "ModifyDBClusterParameterGroup");
    let params: Vec<(&str, &str)> = (1..=2)
        .map(|i| {
            let p = |k: &str| {
                modified[0][format!("Parameters.Parameter.{i}.{k}")]
                    .as_str()
                    .unwrap()
            };
            (p("ParameterName"), p("ParameterValue"))
        })
        .collect();
    assert_eq!(
        params,
        [
            ("server_audit_logging", "1"),
            ("server_audit_events", "CONNECT,QUERY")
        ]
    );
    let restored = recs
        .iter()
        .find(|r| r["step"] == "restore-cluster")
        .unwrap();
    assert!(restored["resources"][0]
        .as_str()
        .unwrap()
        .ends_with(&format!(":cluster-pg:{group}")));

    // Nothing left: no cluster, instance, snapshot, parameter group or
    // multipart upload.
    assert_eq!(leftovers(&moto), "[]");

    // The password was set through the API and appears nowhere else.
    let passwords = recorded_passwords(&moto);
    assert_eq!(passwords.len(), 1, "{passwords:?}");
    let pw = &passwords[0];
    assert_eq!(pw.len(), 32);
    let audit = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(!audit.contains(pw.as_str()) && !shown.contains(pw.as_str()));

    // DogStatsD: names and low-cardinality tags.
    let mut got = String::new();
    let mut buf = [0u8; 65536];
    while let Ok(n) = statsd.recv(&mut buf) {
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
        got.push('\n');
    }
    for want in [
        "masker.aws.step.duration:",
        "|#job:backup,cluster:prod,step:dump,outcome:ok",
        "|#job:backup,cluster:prod,step:cleanup,outcome:ok",
        &format!(
            "masker.aws.table.rows:3|c|#job:backup,cluster:prod,table:{}.users",
            db.0
        ),
        "masker.aws.table.bytes:",
        "masker.aws.restore_test.ok:1|g",
        "masker.aws.cleanup.resources_left:0|g",
        "masker.aws.job.ok:1|g",
    ] {
        assert!(got.contains(want), "{want} not in:\n{got}");
    }
    assert!(!got.contains(run_id) && !got.contains(pw.as_str()));
}

#[test]
fn a_failure_after_any_step_fails_the_job_and_cleans_up() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    for step in STEPS {
        let dir = tempfile::tempdir().unwrap();
        let job = write_job(
            dir.path(),
            &moto,
            &key,
            &db.0,
            "snapshot = \"prod-snap\"",
            &format!("fail_after = \"{step}\""),
        );
        let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(1), "{step}: {shown}");
        assert!(
            shown.contains(&format!("step {step}: injected failure")),
            "{step}: {shown}"
        );
        assert_eq!(leftovers(&moto), "[]", "after a failure in {step}");
        let recs = audit_records(dir.path());
        let last_two: Vec<(&str, &str)> = recs[recs.len() - 2..]
            .iter()
            .map(|r| (r["step"].as_str().unwrap(), r["outcome"].as_str().unwrap()))
            .collect();
        assert_eq!(last_two, [(*step, "failed"), ("cleanup", "ok")], "{step}");
        let verified = masker_aws(
            &moto,
            &[
                "audit",
                "verify",
                dir.path().join("audit.jsonl").to_str().unwrap(),
            ],
        );
        assert!(verified.status.success(), "{step}: {}", text(&verified));
    }
    let passwords = recorded_passwords(&moto);
    assert_eq!(passwords.len(), 3, "set-password ran in three of the runs");
}

#[test]
fn sigterm_during_a_step_cleans_up_and_is_audited() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "pause_step = \"create-instance\"\npause_seconds = 60",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        body.replace(
            "[audit]\n",
            "[audit]\ncloudwatch_log_group = \"/masker/audit\"\n",
        ),
    )
    .unwrap();
    let child = Std::new(env!("CARGO_BIN_EXE_masker-aws"))
        .args(["backup", "--config", job.to_str().unwrap()])
        .envs(env(&moto))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let log = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap_or_default();
        if log.contains("\"step\":\"create-instance\"") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{log}");
        sleep(Duration::from_millis(100));
    }
    let pid = child.id().to_string();
    assert!(Std::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("interrupted"), "{shown}");
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "the pause was not cut short"
    );
    assert_eq!(leftovers(&moto), "[]");
    let recs = audit_records(dir.path());
    let tail: Vec<&str> = recs[recs.len() - 2..]
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(tail, ["interrupted", "ok"]);
    // The CloudWatch Logs copy was written after the signal, whole.
    let stream = format!("{}/backup", recs[0]["run_id"].as_str().unwrap());
    let messages = stream_messages(&moto, "/masker/audit", &stream);
    let file = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert_eq!(messages, file.lines().collect::<Vec<_>>());
    let verified = verify_stream(&moto, "/masker/audit", &stream);
    assert!(verified.status.success(), "{}", text(&verified));
}

/// The messages of a CloudWatch Logs stream, oldest first.
fn stream_messages(moto: &Moto, group: &str, stream: &str) -> Vec<String> {
    let code = format!(
        "out = []\n\
         kw2 = dict(logGroupName='{group}', logStreamName='{stream}', startFromHead=True)\n\
         while True:\n    r = logs.get_log_events(**kw2)\n    out += [e['message'] for e in r['events']]\n    \
         if r['nextForwardToken'] == kw2.get('nextToken'): break\n    kw2['nextToken'] = r['nextForwardToken']\n\
         print(json.dumps(out))"
    );
    serde_json::from_str(boto3(moto, &code).trim()).unwrap()
}

/// Write `messages` to a new stream of `group` (one event each, in order).
fn put_stream(moto: &Moto, group: &str, stream: &str, messages: &[String]) {
    let code = format!(
        "logs.create_log_stream(logGroupName='{group}', logStreamName='{stream}')\n\
         msgs = json.loads({json:?})\n\
         logs.put_log_events(logGroupName='{group}', logStreamName='{stream}', \
         logEvents=[{{'timestamp': int(datetime.datetime.now().timestamp() * 1000) + i, 'message': m}} \
         for i, m in enumerate(msgs)])",
        json = serde_json::to_string(messages).unwrap()
    );
    boto3(moto, &code);
}

fn verify_stream(moto: &Moto, group: &str, stream: &str) -> Output {
    masker_aws(
        moto,
        &[
            "audit",
            "verify",
            "--log-group",
            group,
            "--log-stream",
            stream,
            "--endpoint-url",
            &moto.url,
        ],
    )
}

#[test]
fn the_audit_log_is_copied_to_cloudwatch_logs_and_verified_there() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let group = "/masker/audit";
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        body.replace(
            "[audit]\n",
            &format!("[audit]\ncloudwatch_log_group = \"{group}\"\n"),
        ),
    )
    .unwrap();
    let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    let file = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let recs = audit_records(dir.path());
    let run_id = recs[0]["run_id"].as_str().unwrap();
    let stream = format!("{run_id}/backup");
    assert!(
        shown.contains(&format!(
            "audit log copied to CloudWatch Logs log group {group} stream {stream} (8 records)"
        )),
        "{shown}"
    );

    // Every record, in chain order, one event each; the chain verifies there.
    let messages = stream_messages(&moto, group, &stream);
    assert_eq!(messages, file.lines().collect::<Vec<_>>());
    let verified = verify_stream(&moto, group, &stream);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(
        text(&verified).contains(&format!(
            "CloudWatch Logs log group {group} stream {stream}: 8 records, chain intact, head {}",
            recs[7]["hash"].as_str().unwrap()
        )),
        "{}",
        text(&verified)
    );

    // The password went to the API only, never to CloudWatch Logs.
    let passwords = recorded_passwords(&moto);
    assert_eq!(passwords.len(), 1);
    let puts = serde_json::to_string(&recorded(&moto, "PutLogEvents")).unwrap();
    assert!(puts.contains("set-password"), "{puts}");
    assert!(!puts.contains(passwords[0].as_str()));

    // An edited event, a removed one, an inserted one: verify fails and
    // names the event.
    let mut edited = messages.clone();
    edited[2] = edited[2].replacen("\"outcome\":\"ok\"", "\"outcome\":\"no\"", 1);
    let mut removed = messages.clone();
    removed.remove(1);
    let mut inserted = messages.clone();
    inserted.insert(4, messages[3].clone());
    for (name, msgs, want) in [
        ("edited", &edited, "event 3: edited"),
        (
            "removed",
            &removed,
            "event 2: a record before it was removed or inserted",
        ),
        (
            "inserted",
            &inserted,
            "event 5: a record before it was removed or inserted",
        ),
    ] {
        put_stream(&moto, group, name, msgs);
        let out = verify_stream(&moto, group, name);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out));
        assert!(text(&out).contains(want), "{name}: {}", text(&out));
    }
    let missing = verify_stream(&moto, group, "no-such-stream");
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    assert!(
        text(&missing).contains("logs:GetLogEvents log group /masker/audit stream no-such-stream"),
        "{}",
        text(&missing)
    );

    // A failed job's copy is written too (the group exists already), and
    // holds the whole log: the first run's records, then the second's.
    let body = fs::read_to_string(&job).unwrap();
    fs::write(&job, format!("{body}fail_after = \"set-password\"\n")).unwrap();
    let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let recs = audit_records(dir.path());
    let second = recs.last().unwrap()["run_id"].as_str().unwrap().to_owned();
    assert_ne!(second, run_id);
    let stream = format!("{second}/backup");
    let messages = stream_messages(&moto, group, &stream);
    let file = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert_eq!(messages, file.lines().collect::<Vec<_>>());
    let verified = verify_stream(&moto, group, &stream);
    assert!(
        text(&verified).contains(&format!("{} records, chain intact", recs.len())),
        "{}",
        text(&verified)
    );
    assert_eq!(leftovers(&moto), "[]");
}

#[test]
fn a_snapshot_under_the_default_key_is_refused_before_any_work() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        "unused",
        "snapshot = \"legacy-snap\"",
        "",
    );
    let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("step preflight") && shown.contains("default aws/rds key"),
        "{shown}"
    );
    let recs = audit_records(dir.path());
    assert_eq!(recs.len(), 2, "preflight and cleanup only: {recs:?}");
    assert_eq!(recs[0]["outcome"], "failed");
    assert!(recs[0]["action"]
        .as_str()
        .unwrap()
        .contains("kms:DescribeKey"));
    assert!(recs[0]["error"].as_str().unwrap().contains("legacy-snap"));
    assert_eq!(leftovers(&moto), "[]");
    let copies = boto3(
        &moto,
        "print(len(rds.describe_db_cluster_snapshots()['DBClusterSnapshots']))",
    );
    // prod-snap, legacy-snap and the two automated snapshots: no copy made.
    assert_eq!(copies.trim(), "4");
}

#[test]
fn config_problems_are_all_listed_with_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("job.toml");
    fs::write(
        &job,
        "[source]\nsnapshot = 1\n[restore]\nkms_key_id = \"alias/x\"\ncolour = 1\n[output]\ns3 = \"x\"\n",
    )
    .unwrap();
    let out = Std::new(env!("CARGO_BIN_EXE_masker-aws"))
        .args(["mask", "--config", job.to_str().unwrap()])
        .output()
        .unwrap();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    for want in [
        "source:",
        "restore.colour: unknown key",
        "database: missing section",
        "audit: missing section",
        "output.s3:",
        "dump.rules:",
    ] {
        assert!(shown.contains(want), "{want} not in {shown}");
    }
}

#[test]
fn sweep_deletes_only_expired_tagged_resources_and_is_idempotent() {
    let moto = start_moto();
    boto3(
        &moto,
        r#"
def tags(run, exp):
    return [{'Key': 'masker:run-id', 'Value': run}, {'Key': 'masker:expires', 'Value': exp}]
rds.create_db_cluster(DBClusterIdentifier='old', Engine='aurora-mysql', MasterUsername='admin',
    MasterUserPassword='password123', Tags=tags('r1', '2020-01-01T00:00:00Z'))
rds.create_db_instance(DBInstanceIdentifier='old-1', DBClusterIdentifier='old', Engine='aurora-mysql',
    DBInstanceClass='db.r6g.large', Tags=tags('r1', '2020-01-01T00:00:00Z'))
rds.create_db_cluster_snapshot(DBClusterIdentifier='old', DBClusterSnapshotIdentifier='old-copy',
    Tags=tags('r1', '2020-01-01T00:00:00Z'))
rds.create_db_cluster(DBClusterIdentifier='fresh', Engine='aurora-mysql', MasterUsername='admin',
    MasterUserPassword='password123', Tags=tags('r2', '2999-01-01T00:00:00Z'))
rds.create_db_cluster(DBClusterIdentifier='untagged', Engine='aurora-mysql', MasterUsername='admin',
    MasterUserPassword='password123')
"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let sweep = || {
        masker_aws(
            &moto,
            &[
                "sweep",
                "--endpoint-url",
                &moto.url,
                "--audit",
                audit.to_str().unwrap(),
            ],
        )
    };
    let out = sweep();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("deleted 3 expired"), "{}", text(&out));
    let clusters = boto3(
        &moto,
        "print(sorted(c['DBClusterIdentifier'] for c in rds.describe_db_clusters()['DBClusters']))",
    );
    assert_eq!(clusters.trim(), "['fresh', 'untagged']");
    let out = sweep();
    assert!(text(&out).contains("deleted 0 expired"), "{}", text(&out));
    assert!(
        text(&out).contains("nothing expired is left"),
        "{}",
        text(&out)
    );
    let recs = audit_records(dir.path());
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["resources"].as_array().unwrap().len(), 3);
}

#[test]
fn mask_job_masks_with_the_rules_and_restore_tests_the_masked_dump() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let rules = email_rules(dir.path());
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        format!(
            "[dump]\nrules = \"{}\"\nformat = \"tsv\"\nbigquery = true\n{body}",
            rules.display()
        ),
    )
    .unwrap();
    let out = masker_aws(&moto, &["mask", "--config", job.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let recs = audit_records(dir.path());
    let dump = recs.iter().find(|r| r["step"] == "dump").unwrap();
    assert_eq!(dump["job"], "mask");
    assert!(dump["details"]["rules_sha256"].as_str().unwrap().len() == 64);
    let masked = dump["details"]["masked_columns"].as_array().unwrap();
    assert!(
        masked
            .iter()
            .any(|m| m["column"].as_str().unwrap().ends_with("users.email") && m["values"] == 3),
        "{masked:?}"
    );
    assert!(recs.iter().all(|r| r["outcome"] == "ok"), "{recs:?}");
    // The restore test proved no original of a masked column survives.
    let restore = recs.iter().find(|r| r["step"] == "restore-test").unwrap();
    let proof = &restore["details"]["leak_proof"];
    assert!(proof["originals"].as_u64().unwrap() >= 3, "{proof}");
    assert_eq!(proof["survivor_columns"], 0, "{proof}");
    // The uploaded chunks hold no original e-mail address.
    let hex = boto3(
        &moto,
        "print(b''.join(s3.get_object(Bucket='backups', Key=o['Key'])['Body'].read() \
         for o in s3.list_objects_v2(Bucket='backups')['Contents'] if o['Key'].endswith('.tsv.zst')).hex())",
    );
    let hex = hex.trim();
    let compressed: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let tsv = String::from_utf8_lossy(&zstd::decode_all(&compressed[..]).unwrap()).into_owned();
    for original in ["alice@", "bob@", "carol@"] {
        assert!(!tsv.contains(original), "{original} survived:\n{tsv}");
    }
    assert_eq!(tsv.matches('@').count(), 3, "{tsv}");
    // `[dump] bigquery = true`: the BigQuery export of the same masked rows.
    let bq = boto3(
        &moto,
        "print(b''.join(s3.get_object(Bucket='backups', Key=o['Key'])['Body'].read() \
         for o in s3.list_objects_v2(Bucket='backups')['Contents'] if o['Key'].endswith('.bq.tsv')).decode())",
    );
    assert!(bq.contains("email"), "no BigQuery export: {bq}");
    for original in ["alice@", "bob@", "carol@"] {
        assert!(
            !bq.contains(original),
            "{original} survived in the export:\n{bq}"
        );
    }
    assert_eq!(leftovers(&moto), "[]");
}

/// The mask job's leak proof: an original email copied into the unmasked
/// `note` column fails the restore test, naming the column (never the
/// value), and the run still cleans up everything.
#[test]
fn mask_job_fails_when_an_original_survives_in_an_unmasked_column() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    mariadb(&format!(
        "UPDATE `{}`.users SET note = CONCAT('reach me at ', email) WHERE id = 1",
        db.0
    ));
    let dir = tempfile::tempdir().unwrap();
    let rules = email_rules(dir.path());
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        format!("[dump]\nrules = \"{}\"\n{body}", rules.display()),
    )
    .unwrap();
    let out = masker_aws(&moto, &["mask", "--config", job.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains(".users.note: 1 value(s) hold an original value"),
        "{all}"
    );
    assert!(all.contains("the uploaded dump was deleted"), "{all}");
    let left = boto3(
        &moto,
        "print(len(s3.list_objects_v2(Bucket='backups').get('Contents', [])))",
    );
    assert_eq!(left.trim(), "0", "the leaking dump was left in S3");
    assert!(!all.contains("alice@example.com"), "{all}");
    let recs = audit_records(dir.path());
    let restore = recs.iter().find(|r| r["step"] == "restore-test").unwrap();
    assert_ne!(restore["outcome"], "ok");
    assert!(!serde_json::to_string(&recs).unwrap().contains("alice@"));
    assert_eq!(leftovers(&moto), "[]");
}

/// Regression (a leaking dump kept as non-current versions): in a
/// versioned bucket, the dump the leak proof finds an original value in is
/// deleted version by version, with the unfinished uploads under the run's
/// prefix: nothing of it is left, not even a delete marker; the failed
/// restore test's audit record names each version deleted (key and id);
/// the objects beside the run's prefix (a parent's, another run's whose id
/// starts alike) are untouched.
#[test]
fn a_leaking_dump_in_a_versioned_bucket_is_deleted_every_version() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    boto3(&moto, VERSIONED);
    let db = Db::new();
    // The rules miss `note`, which holds an original e-mail address.
    mariadb(&format!(
        "UPDATE `{}`.users SET note = CONCAT('reach me at ', email) WHERE id = 1",
        db.0
    ));
    let dir = tempfile::tempdir().unwrap();
    let rules = email_rules(dir.path());
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "pause_step = \"dump\"\npause_seconds = 8",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        format!("[dump]\nrules = \"{}\"\n{body}", rules.display()),
    )
    .unwrap();
    let child = Std::new(env!("CARGO_BIN_EXE_masker-aws"))
        .args(["mask", "--config", job.to_str().unwrap()])
        .envs(env(&moto))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // While the job pauses after its dump: a second version of one chunk
    // (the same bytes, as a retried upload writes) and an unfinished
    // multipart upload under the run's prefix; an object in the date's
    // directory and one under another run's prefix that starts alike.
    let started = Instant::now();
    let dump = loop {
        let log = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap_or_default();
        if let Some(line) = log.lines().find(|l| l.contains("\"step\":\"dump\"")) {
            let rec: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(rec["outcome"], "ok", "{rec}");
            break rec["resources"][0].as_str().unwrap().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{log}");
        sleep(Duration::from_millis(100));
    };
    let prefix = dump.strip_prefix("s3://backups/").unwrap().to_owned();
    let (date_dir, run_id) = prefix.rsplit_once('/').unwrap();
    boto3(
        &moto,
        &format!(
            "k = [o['Key'] for o in s3.list_objects_v2(Bucket='backups', Prefix='{prefix}/')['Contents'] \
             if o['Key'].endswith('.sql.zst')][0]\n\
             s3.put_object(Bucket='backups', Key=k, Body=s3.get_object(Bucket='backups', Key=k)['Body'].read())\n\
             s3.create_multipart_upload(Bucket='backups', Key='{prefix}/killed.sql.zst')\n\
             s3.put_object(Bucket='backups', Key='{date_dir}/keep.txt', Body=b'x')\n\
             s3.put_object(Bucket='backups', Key='{date_dir}/{run_id}0/keep.txt', Body=b'x')"
        ),
    );
    let before = versions_under(&moto, &format!("{prefix}/"));
    let out = child.wait_with_output().unwrap();
    let shown = text(&out);
    assert!(
        started.elapsed() < Duration::from_secs(8 + 120),
        "the job took too long"
    );
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains(".users.note: 1 value(s) hold an original value"),
        "{shown}"
    );
    let stored: Vec<&String> = before.iter().filter(|o| !o.ends_with(" upload")).collect();
    let mut keys: Vec<&str> = stored
        .iter()
        .map(|o| o.split(' ').next().unwrap())
        .collect();
    keys.dedup();
    assert!(
        keys.len() < stored.len(),
        "no object had two versions: {before:?}"
    );
    assert_eq!(before.len(), stored.len() + 1, "{before:?}");
    assert!(
        shown.contains(&format!(
            "the uploaded dump was deleted ({} version(s) and 1 unfinished upload(s)",
            stored.len()
        )),
        "{shown}"
    );
    assert!(!shown.contains("alice@example.com"), "{shown}");

    // Nothing of the dump is left: no version, no delete marker, no upload.
    assert_eq!(
        versions_under(&moto, &format!("{prefix}/")),
        Vec::<String>::new()
    );
    // Beside it, untouched.
    let beside = versions_under(&moto, &format!("{date_dir}/"));
    assert_eq!(beside.len(), 2, "{beside:?}");
    // Sorted: the other run's object, then the date directory's.
    assert!(
        beside[0].starts_with(&format!("{date_dir}/{run_id}0/keep.txt ")),
        "{beside:?}"
    );
    assert!(
        beside[1].starts_with(&format!("{date_dir}/keep.txt ")),
        "{beside:?}"
    );

    // The failed restore test names each version deleted and the upload
    // aborted, by key and id.
    let recs = audit_records(dir.path());
    let restore = recs.iter().find(|r| r["step"] == "restore-test").unwrap();
    assert_eq!(restore["outcome"], "failed", "{restore}");
    let removed = &restore["details"]["dump_objects"];
    let mut named: Vec<String> = removed["versions_deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            assert_eq!(v["delete_marker"], false, "{v}");
            format!(
                "{} {}",
                v["object"]
                    .as_str()
                    .unwrap()
                    .strip_prefix("s3://backups/")
                    .unwrap(),
                v["version_id"].as_str().unwrap()
            )
        })
        .collect();
    // The manifest first: what a half-way deletion leaves loads as nothing.
    assert!(
        named[0].starts_with(&format!("{prefix}/manifest.json ")),
        "{named:?}"
    );
    named.sort();
    let stored: Vec<String> = stored.into_iter().cloned().collect();
    assert_eq!(named, stored);
    let aborted = removed["uploads_aborted"].as_array().unwrap();
    assert_eq!(aborted.len(), 1, "{removed}");
    assert_eq!(
        aborted[0]["object"],
        format!("{dump}/killed.sql.zst").as_str()
    );
    assert_eq!(removed["left"], serde_json::json!([]));
    assert_eq!(restore["details"]["leak_proof"]["survivor_columns"], 1);
    assert_eq!(
        restore["resources"].as_array().unwrap().len(),
        keys.len() + 1
    );
    let cleanup = recs.last().unwrap();
    assert_eq!(cleanup["step"], "cleanup");
    assert_eq!(cleanup["outcome"], "ok", "{cleanup}");
    let audit = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(!audit.contains("alice@"));
    let verified = masker_aws(
        &moto,
        &[
            "audit",
            "verify",
            dir.path().join("audit.jsonl").to_str().unwrap(),
        ],
    );
    assert!(verified.status.success(), "{}", text(&verified));
    assert_eq!(leftovers(&moto), "[]");
}

/// `dir/rules.toml`: hash `users.email` (email form) with the key in `MASKER_KEY`.
fn email_rules(dir: &Path) -> PathBuf {
    let rules = dir.join("rules.toml");
    fs::write(
        &rules,
        "[key]\nenv = \"MASKER_KEY\"\n\n[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\n",
    )
    .unwrap();
    rules
}

/// A mask job file with `[staging]` for database `db`; `testing_extra`
/// goes into `[testing]`.
fn staging_job(dir: &Path, moto: &Moto, key: &str, db: &str, testing_extra: &str) -> PathBuf {
    let rules = email_rules(dir);
    let job = write_job(
        dir,
        moto,
        key,
        db,
        "snapshot = \"prod-snap\"",
        testing_extra,
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        format!(
            "[dump]\nrules = \"{}\"\n[staging]\nshare_with = [\"210987654321\"]\n{body}",
            rules.display()
        ),
    )
    .unwrap();
    job
}

/// Let account 210987654321 use `key` (what sharing the staging snapshot needs).
fn grant_share(moto: &Moto, key: &str) {
    boto3(
        moto,
        &format!(
            "kms.put_key_policy(KeyId='{key}', PolicyName='default', Policy=json.dumps({{'Statement': [\
             {{'Effect': 'Allow', 'Principal': {{'AWS': 'arn:aws:iam::123456789012:root'}}, 'Action': 'kms:*', 'Resource': '*'}},\
             {{'Effect': 'Allow', 'Principal': {{'AWS': 'arn:aws:iam::210987654321:root'}}, \
               'Action': ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], 'Resource': '*'}}]}}))"
        ),
    );
}

#[test]
fn a_staging_share_the_key_policy_does_not_allow_is_refused_before_any_work() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let job = staging_job(dir.path(), &moto, &key, &db.0, "");
    let out = masker_aws(&moto, &["mask", "--config", job.to_str().unwrap()]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("step preflight")
            && shown.contains(
                "account 210987654321 lacks kms:CreateGrant, kms:Decrypt, kms:DescribeKey"
            ),
        "{shown}"
    );
    let recs = audit_records(dir.path());
    assert_eq!(recs.len(), 2, "preflight and cleanup only: {recs:?}");
    assert_eq!(leftovers(&moto), "[]");
}

const MASKER_SNAPSHOTS: &str = "print(sorted(s['DBClusterSnapshotIdentifier'] for s in \
    rds.describe_db_cluster_snapshots()['DBClusterSnapshots'] \
    if s['DBClusterSnapshotIdentifier'].startswith('masker-')))";

#[test]
fn a_failure_after_the_staging_snapshot_deletes_it_too() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    grant_share(&moto, &key);
    let job = staging_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "fail_after = \"staging-snapshot\"",
    );
    let out = masker_aws(&moto, &["mask", "--config", job.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("step staging-snapshot: injected failure"));
    assert_eq!(boto3(&moto, MASKER_SNAPSHOTS).trim(), "[]");
    assert_eq!(leftovers(&moto), "[]");
}

#[test]
fn mask_job_with_staging_loads_the_masked_data_back_snapshots_and_shares_it() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    grant_share(&moto, &key);
    let job = staging_job(dir.path(), &moto, &key, &db.0, "");
    let out = masker_aws(&moto, &["mask", "--config", job.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let recs = audit_records(dir.path());
    let staging = recs
        .iter()
        .find(|r| r["step"] == "staging-snapshot")
        .unwrap_or_else(|| panic!("{recs:?}"));
    assert_eq!(staging["outcome"], "ok");
    let arn = staging["resources"][0].as_str().unwrap();
    assert!(arn.contains(":cluster-snapshot:masker-"), "{arn}");
    // The restored server (here the local MariaDB) now holds masked data.
    let left = Std::new("mariadb")
        .args(["-h", "127.0.0.1", "-u", "root", "-N", "-e"])
        .arg(format!(
            "SELECT COUNT(*) FROM `{}`.users WHERE email IN ('alice@example.com','bob@example.com','carol@example.com')",
            db.0
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&left.stdout).trim(), "0");
    // The snapshot is kept and shared; everything else is gone.
    let id = arn.rsplit(':').next().unwrap();
    let shared = boto3(
        &moto,
        &format!(
            "a = rds.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier='{id}')\n\
             print([x['AttributeValues'] for x in a['DBClusterSnapshotAttributesResult']['DBClusterSnapshotAttributes'] if x['AttributeName'] == 'restore'])"
        ),
    );
    assert_eq!(shared.trim(), "[['210987654321']]");
    assert_eq!(boto3(&moto, MASKER_SNAPSHOTS).trim(), format!("['{id}']"));
    assert_eq!(leftovers(&moto), "[]");
}

/// Per table `db.table` -> (rows, digest) of the manifest of run `run_id`
/// in the backups bucket.
fn manifest_digests(moto: &Moto, run_id: &str) -> serde_json::Value {
    let out = boto3(
        moto,
        &format!(
            "k = [o['Key'] for o in s3.list_objects_v2(Bucket='backups')['Contents'] \
             if o['Key'].endswith('{run_id}/manifest.json')]\n\
             assert len(k) == 1, k\n\
             m = json.loads(s3.get_object(Bucket='backups', Key=k[0])['Body'].read())\n\
             print(json.dumps({{t['database'] + '.' + t['name']: [t['rows'], t['digest']] for t in m['tables']}}))"
        ),
    );
    serde_json::from_str(out.trim()).unwrap()
}

/// Secrets left in moto (the sharded run keeps its password in one).
const SECRETS: &str = "print(json.dumps([s['Name'] for s in \
    boto3.client('secretsmanager', **kw).list_secrets()['SecretList']]))";

/// Everything under `prefix` in `backups`, sorted: each version and delete
/// marker (`key version-id`) and each unfinished multipart upload
/// (`key upload`).
fn versions_under(moto: &Moto, prefix: &str) -> Vec<String> {
    let code = format!(
        "v = s3.list_object_versions(Bucket='backups', Prefix='{prefix}')\n\
         u = s3.list_multipart_uploads(Bucket='backups', Prefix='{prefix}')\n\
         print(json.dumps(sorted([x['Key'] + ' ' + x['VersionId'] \
         for x in v.get('Versions', []) + v.get('DeleteMarkers', [])] \
         + [x['Key'] + ' upload' for x in u.get('Uploads', [])])))"
    );
    serde_json::from_str(boto3(moto, &code).trim()).unwrap()
}

/// The `backups` bucket keeps every version of what is overwritten or
/// deleted (as a backup bucket often does).
const VERSIONED: &str =
    "s3.put_bucket_versioning(Bucket='backups', VersioningConfiguration={'Status': 'Enabled'})";

/// Everything under the plans prefix ([`versions_under`]).
fn plan_objects(moto: &Moto) -> Vec<String> {
    versions_under(moto, "daily/_plans/")
}

fn mask_job(dir: &Path, moto: &Moto, key: &str, db: &str, testing_extra: &str) -> PathBuf {
    let rules = dir.join("rules.toml");
    fs::write(
        &rules,
        "[key]\nenv = \"MASKER_KEY\"\n\n[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\n\
         [tables.items]\nname = { transform = \"hash\" }\n",
    )
    .unwrap();
    let job = write_job(
        dir,
        moto,
        key,
        db,
        "snapshot = \"prod-snap\"",
        testing_extra,
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        format!("[dump]\nrules = \"{}\"\n{body}", rules.display()),
    )
    .unwrap();
    job
}

#[test]
fn a_sharded_run_merges_to_the_one_process_manifest_and_leaves_nothing() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    boto3(&moto, VERSIONED);
    let db = Db::new();
    mariadb(&format!(
        "USE `{}`;
         CREATE TABLE items (sku VARCHAR(20) PRIMARY KEY, name TEXT);
         INSERT INTO items VALUES ('a-1', 'lamp'), ('b-2', 'desk'), ('c-3', NULL);
         CREATE TABLE empty_t (id INT PRIMARY KEY);",
        db.0
    ));
    let dir = tempfile::tempdir().unwrap();
    let job = mask_job(dir.path(), &moto, &key, &db.0, "");
    // The audit log is copied to S3 after each command.
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        body.replace("[audit]\n", "[audit]\ns3 = \"s3://backups/audit\"\n"),
    )
    .unwrap();
    let job = job.to_str().unwrap();

    // The one-process run.
    let out = masker_aws(&moto, &["mask", "--config", job]);
    assert!(out.status.success(), "{}", text(&out));
    let single = audit_records(dir.path())[0]["run_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // plan: 4 tables, 5 shards asked: 4 with work.
    let out = masker_aws(&moto, &["plan", "--config", job, "--shards", "5"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("4 tables (4 chunks) in 4 shard(s)"),
        "{shown}"
    );
    let plan = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(plan.starts_with("s3://backups/daily/_plans/"), "{plan}");
    // The cluster stays up for the shards; the password is in a secret.
    assert_ne!(leftovers(&moto), "[]");
    assert_eq!(boto3(&moto, SECRETS).matches("master-password").count(), 1);

    // One process per shard, all at once, the index from AWS Batch's
    // variable; they share the audit log file.
    let mut outputs = shown.clone();
    for (i, out) in run_shards_at_once(&moto, job, &plan, 5)
        .into_iter()
        .enumerate()
    {
        let shown = text(&out);
        assert!(out.status.success(), "shard {i}: {shown}");
        if i == 4 {
            assert!(shown.contains("nothing to do"), "{shown}");
        } else {
            assert!(
                shown.contains(&format!("shard {i} done: 1 tables (1 chunks)")),
                "{shown}"
            );
        }
        outputs.push_str(&shown);
    }
    // Under the plan: the plan, the shard list and 4 shard manifests (one
    // version each).
    let before = plan_objects(&moto);
    let names: Vec<&str> = before
        .iter()
        .map(|o| o.split(' ').next().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "plan.json",
            "shard-0.manifest.json",
            "shard-1.manifest.json",
            "shard-2.manifest.json",
            "shard-3.manifest.json",
            "shards.json"
        ],
        "{before:?}"
    );
    let out = masker_aws(&moto, &["finish", "--config", job, "--plan", &plan]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("4 tables, 9 rows"), "{shown}");
    outputs.push_str(&shown);

    // The merged manifest's digests equal the one-process run's.
    let recs = audit_records(dir.path());
    let sharded = recs.last().unwrap()["run_id"].as_str().unwrap().to_owned();
    assert_ne!(single, sharded);
    let a = manifest_digests(&moto, &single);
    let b = manifest_digests(&moto, &sharded);
    assert_eq!(a.as_object().unwrap().len(), 4, "{a}");
    assert_eq!(a, b);

    // The audit log has every step of every process, chained.
    let steps: Vec<&str> = recs
        .iter()
        .filter(|r| r["run_id"] == sharded.as_str())
        .map(|r| r["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "preflight",
            "copy-snapshot",
            "restore-cluster",
            "create-instance",
            "set-password",
            "plan",
            "dump",
            "dump",
            "dump",
            "dump",
            "merge",
            "restore-test",
            "cleanup"
        ]
    );
    assert!(recs.iter().all(|r| r["outcome"] == "ok"), "{recs:?}");
    let verified = masker_aws(
        &moto,
        &[
            "audit",
            "verify",
            dir.path().join("audit.jsonl").to_str().unwrap(),
        ],
    );
    assert!(verified.status.success(), "{}", text(&verified));

    // Each command's copy of the audit log is in S3; the last one holds
    // every record and its chain verifies.
    let shipped = boto3(
        &moto,
        "print(json.dumps(sorted(o['Key'] for o in s3.list_objects_v2(Bucket='backups', \
         Prefix='audit/')['Contents'])))",
    );
    let shipped: Vec<String> = serde_json::from_str(shipped.trim()).unwrap();
    let mut want = vec![format!("audit/{single}/mask.jsonl")];
    for c in [
        "finish", "plan", "shard-0", "shard-1", "shard-2", "shard-3", "shard-4",
    ] {
        want.push(format!("audit/{sharded}/{c}.jsonl"));
    }
    want.sort();
    assert_eq!(shipped, want);
    // Every copy verifies (the shards' were taken while others appended).
    for key in &shipped {
        let copy = dir.path().join("shipped.jsonl");
        let hex = boto3(
            &moto,
            &format!("print(s3.get_object(Bucket='backups', Key='{key}')['Body'].read().hex())"),
        );
        let hex = hex.trim();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        fs::write(&copy, bytes).unwrap();
        let verified = masker_aws(&moto, &["audit", "verify", copy.to_str().unwrap()]);
        assert!(verified.status.success(), "{key}: {}", text(&verified));
        // `audit verify` reads the copy where it is stored, with the same answer.
        let url = format!("s3://backups/{key}");
        let in_place = masker_aws(&moto, &["audit", "verify", &url]);
        assert!(in_place.status.success(), "{url}: {}", text(&in_place));
        assert_eq!(
            text(&in_place).replace(&url, "X"),
            text(&verified).replace(copy.to_str().unwrap(), "X")
        );
        if key.ends_with("/finish.jsonl") {
            assert!(
                text(&verified).contains(&format!("{} records, chain intact", recs.len())),
                "{}",
                text(&verified)
            );
        }
    }

    // Nothing left: resources, the secret, the plan's objects (no version,
    // no delete marker).
    assert_eq!(leftovers(&moto), "[]");
    assert_eq!(boto3(&moto, SECRETS).trim(), "[]");
    assert_eq!(plan_objects(&moto), Vec::<String>::new());
    // The cleanup's audit record names each version it deleted (key and
    // version id, the plan last).
    let cleanup = recs.last().unwrap();
    let deleted = cleanup["details"]["plan_objects"]["versions_deleted"]
        .as_array()
        .unwrap();
    let named: Vec<String> = deleted
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["object"].as_str().unwrap(),
                d["version_id"].as_str().unwrap()
            )
        })
        .collect();
    let mut listed: Vec<String> = before.iter().map(|o| format!("s3://backups/{o}")).collect();
    let mut sorted = named.clone();
    sorted.sort();
    listed.sort();
    assert_eq!(sorted, listed);
    assert!(named.last().unwrap().contains("/plan.json "), "{named:?}");
    assert!(cleanup["resources"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(format!("{plan}/plan.json"))));
    // The passwords went to the API (and the secret) only.
    let audit = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let passwords = recorded_passwords(&moto);
    assert_eq!(passwords.len(), 2, "{passwords:?}");
    for pw in &passwords {
        assert!(!audit.contains(pw.as_str()) && !outputs.contains(pw.as_str()));
    }
}

/// The manifest of run `run_id` in the backups bucket.
fn manifest_of(moto: &Moto, run_id: &str) -> serde_json::Value {
    let out = boto3(
        moto,
        &format!(
            "k = [o['Key'] for o in s3.list_objects_v2(Bucket='backups')['Contents'] \
             if o['Key'].endswith('{run_id}/manifest.json')]\n\
             assert len(k) == 1, k\n\
             print(s3.get_object(Bucket='backups', Key=k[0])['Body'].read().decode())"
        ),
    );
    serde_json::from_str(out.trim()).unwrap()
}

/// Every object of run `run_id`'s dump but its manifest: name in the dump
/// -> SHA-256 of its bytes.
fn dump_objects(moto: &Moto, run_id: &str) -> serde_json::Value {
    let out = boto3(
        moto,
        &format!(
            "import hashlib\n\
             out = {{}}\n\
             for page in s3.get_paginator('list_objects_v2').paginate(Bucket='backups', Prefix='daily/prod/'):\n    \
             for o in page.get('Contents', []):\n        \
             d, _, name = o['Key'].partition('/{run_id}/')\n        \
             if name and name != 'manifest.json':\n            \
             out[name] = hashlib.sha256(s3.get_object(Bucket='backups', Key=o['Key'])['Body'].read()).hexdigest()\n\
             print(json.dumps(out, sort_keys=True))"
        ),
    );
    serde_json::from_str(out.trim()).unwrap()
}

#[test]
fn a_big_tables_chunks_are_spread_over_shards_and_merge_to_the_one_process_dump() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    // `orders` much bigger than the rest (integer ranges), `items` a few
    // chunks of a latin1 text key (keyset), `users` and `empty_t` small.
    mariadb(&format!(
        "USE `{}`;
         DROP TABLE orders;
         CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, total DECIMAL(10,2), note VARCHAR(200));
         INSERT INTO orders SELECT seq, seq % 3 + 1, seq / 100, REPEAT(CHAR(97 + seq % 26), 100)
             FROM seq_1_to_8000;
         CREATE TABLE items (sku VARCHAR(20) PRIMARY KEY, name TEXT) CHARACTER SET latin1;
         INSERT INTO items SELECT CONCAT('sk\u{e9}-', LPAD(seq, 5, '0')), CONCAT('lamp ', seq)
             FROM seq_1_to_2000;
         CREATE TABLE empty_t (id INT PRIMARY KEY);
         ANALYZE TABLE orders, items, users, empty_t;",
        db.0
    ));
    let dir = tempfile::tempdir().unwrap();
    let job = mask_job(dir.path(), &moto, &key, &db.0, "");
    let body = fs::read_to_string(&job).unwrap();
    fs::write(&job, body.replace("[dump]\n", "[dump]\nchunk_mb = 0.1\n")).unwrap();
    let job = job.to_str().unwrap();

    // The one-process run.
    let out = masker_aws(&moto, &["mask", "--config", job]);
    assert!(out.status.success(), "{}", text(&out));
    let single = audit_records(dir.path())[0]["run_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = manifest_of(&moto, &single);
    let chunks_of = |m: &serde_json::Value, table: &str| {
        m["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == table)
            .map(|t| t["chunks"].as_array().unwrap().len())
            .unwrap()
    };
    let orders_chunks = chunks_of(&one, "orders");
    assert!(orders_chunks >= 6, "orders: {orders_chunks} chunks");
    assert!(chunks_of(&one, "items") >= 2, "{one}");

    // plan: the tables cut as the one-process run cut them, the chunks
    // dealt to 3 shards.
    let out = masker_aws(&moto, &["plan", "--config", job, "--shards", "3"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    let total: usize = ["orders", "items", "users", "empty_t"]
        .iter()
        .map(|t| chunks_of(&one, t))
        .sum();
    assert!(
        shown.contains(&format!("4 tables ({total} chunks) in 3 shard(s)")),
        "{shown}"
    );
    let plan_url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let plan_key = format!(
        "{}/plan.json",
        plan_url.strip_prefix("s3://backups/").unwrap()
    );
    // The plan (it names key values at chunk boundaries) is encrypted
    // under the platform's key.
    let sse = boto3(
        &moto,
        &format!(
            "h = s3.head_object(Bucket='backups', Key='{plan_key}')\n\
             print(h.get('ServerSideEncryption'), h.get('SSEKMSKeyId'))"
        ),
    );
    assert_eq!(sse.split_whitespace().next(), Some("aws:kms"), "{sse}");
    assert!(sse.contains(key.rsplit('/').next().unwrap()), "{sse} {key}");
    let plan: serde_json::Value = serde_json::from_str(
        boto3(
            &moto,
            &format!(
                "print(s3.get_object(Bucket='backups', Key='{plan_key}')['Body'].read().decode())"
            ),
        )
        .trim(),
    )
    .unwrap();
    assert_eq!(plan["version"], 2);
    // orders's chunks are spread over every shard.
    let holding = |table: &str| {
        plan["shards"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s.as_array().unwrap().iter().any(|p| p["table"] == table))
            .count()
    };
    assert_eq!(holding("orders"), 3, "{}", plan["shards"]);

    // One process per shard, all at once, the index from AWS Batch.
    let mut dumped = 0;
    for (i, out) in run_shards_at_once(&moto, job, &plan_url, 3)
        .into_iter()
        .enumerate()
    {
        let shown = text(&out);
        assert!(out.status.success(), "shard {i}: {shown}");
        let (_, after) = shown
            .split_once(&format!("shard {i} done: "))
            .unwrap_or_else(|| panic!("{shown}"));
        let chunks: usize = after
            .split_once(" tables (")
            .and_then(|(_, c)| c.split_once(' '))
            .map(|(c, _)| c.parse().unwrap())
            .unwrap();
        // Balanced: every shard has a fair share.
        assert!(chunks + 2 >= total / 3, "shard {i}: {chunks} of {total}");
        dumped += chunks;
    }
    assert_eq!(dumped, total);
    // A shard's manifest holds only its part of orders.
    let part = boto3(
        &moto,
        &format!(
            "m = json.loads(s3.get_object(Bucket='backups', Key='{}')['Body'].read())\n\
             print(json.dumps([t.get('part') for t in m['tables'] if t['name'] == 'orders']))",
            plan_key.replace("plan.json", "shard-0.manifest.json")
        ),
    );
    let part: serde_json::Value = serde_json::from_str(part.trim()).unwrap();
    assert_eq!(part[0]["of"], orders_chunks, "{part}");
    assert!(part[0]["chunks"].as_array().unwrap().len() < orders_chunks);

    let out = masker_aws(&moto, &["finish", "--config", job, "--plan", &plan_url]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    let recs = audit_records(dir.path());
    let sharded = recs.last().unwrap()["run_id"].as_str().unwrap().to_owned();
    assert_ne!(single, sharded);

    // The merged manifest's digests, and every table entry (files, sizes,
    // SHA-256, chunk digests), equal the one-process run's; so do the
    // objects, byte for byte.
    assert_eq!(
        manifest_digests(&moto, &single),
        manifest_digests(&moto, &sharded)
    );
    let merged = manifest_of(&moto, &sharded);
    assert_eq!(merged["tables"], one["tables"]);
    assert_eq!(merged["options"], one["options"]);
    let objects = dump_objects(&moto, &single);
    assert!(objects.as_object().unwrap().len() > total, "{objects}");
    assert_eq!(dump_objects(&moto, &sharded), objects);
    assert!(recs.iter().all(|r| r["outcome"] == "ok"), "{recs:?}");
    assert_eq!(leftovers(&moto), "[]");
    assert_eq!(plan_objects(&moto), Vec::<String>::new());
}

#[test]
fn a_missing_shard_fails_finish_which_cleans_up_and_a_failed_plan_leaves_nothing() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let job = job.to_str().unwrap();
    let out = masker_aws(&moto, &["plan", "--config", job, "--shards", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    let plan = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let out = run_shard(&moto, job, &plan, "0/3");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("the plan has 2 shards"),
        "{}",
        text(&out)
    );
    // A shard whose job file cuts chunks of another size than the plan's
    // is refused before it dumps anything.
    let body = fs::read_to_string(job).unwrap();
    fs::write(job, format!("[dump]\nchunk_mb = 1\n{body}")).unwrap();
    let out = run_shard(&moto, job, &plan, "1/2");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("the plan cut the tables for 67108864"),
        "{}",
        text(&out)
    );
    fs::write(job, body).unwrap();
    let out = run_shard(&moto, job, &plan, "0/2");
    assert!(out.status.success(), "{}", text(&out));
    // Shard 1 never ran: finish fails, and cleans up anyway.
    let out = masker_aws(&moto, &["finish", "--config", job, "--plan", &plan]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("shard 1/2 has not finished"), "{shown}");
    assert_eq!(leftovers(&moto), "[]");
    // Shard 0's files, a dump without a manifest, are gone too.
    let dumped = boto3(
        &moto,
        "print(json.dumps([o['Key'] for o in \
         s3.list_objects_v2(Bucket='backups', Prefix='daily/prod/').get('Contents', [])]))",
    );
    assert_eq!(dumped.trim(), "[]");
    let recs = audit_records(dir.path());
    let cleanup = recs.last().unwrap();
    assert_eq!(cleanup["step"], "cleanup");
    assert!(
        cleanup["details"]["dump_objects"]["versions_deleted"]
            .as_array()
            .unwrap()
            .len()
            >= 2,
        "{cleanup}"
    );
    assert_eq!(boto3(&moto, SECRETS).trim(), "[]");
    assert_eq!(plan_objects(&moto), Vec::<String>::new());
    // cleanup (the state machine's catch-all) after that has nothing to do.
    let out = masker_aws(&moto, &["cleanup", "--config", job, "--plan", &plan]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("nothing to clean up"), "{}", text(&out));

    // A plan that fails after its last step removes all it made.
    let body = fs::read_to_string(job).unwrap();
    fs::write(job, format!("{body}fail_after = \"plan\"\n")).unwrap();
    let out = masker_aws(&moto, &["plan", "--config", job, "--shards", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("step plan: injected failure"));
    assert_eq!(leftovers(&moto), "[]");
    assert_eq!(boto3(&moto, SECRETS).trim(), "[]");
    assert_eq!(plan_objects(&moto), Vec::<String>::new());
    let verified = masker_aws(
        &moto,
        &[
            "audit",
            "verify",
            dir.path().join("audit.jsonl").to_str().unwrap(),
        ],
    );
    assert!(verified.status.success(), "{}", text(&verified));
}

/// `plan --shards 2` with `job`; returns the plan URL and the run id.
fn plan_run(moto: &Moto, job: &str) -> (String, String) {
    let out = masker_aws(moto, &["plan", "--config", job, "--shards", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    let plan = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let run_id = plan.rsplit('/').next().unwrap().to_owned();
    (plan, run_id)
}

/// `run-shard --shard I/2`.
/// `n` processes of `run-shard`, all at once, each taking its index from
/// AWS Batch's `AWS_BATCH_JOB_ARRAY_INDEX`: their outputs in index order.
fn run_shards_at_once(moto: &Moto, job: &str, plan: &str, n: usize) -> Vec<Output> {
    let children: Vec<Child> = (0..n)
        .map(|i| {
            Std::new(env!("CARGO_BIN_EXE_masker-aws"))
                .args(["run-shard", "--config", job, "--plan", plan])
                .envs(env(moto))
                .env("AWS_BATCH_JOB_ARRAY_INDEX", i.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

fn run_shard(moto: &Moto, job: &str, plan: &str, shard: &str) -> Output {
    masker_aws(
        moto,
        &[
            "run-shard",
            "--config",
            job,
            "--plan",
            plan,
            "--shard",
            shard,
        ],
    )
}

/// Regression (plan objects outliving the run; a failed run's partial dump
/// kept as non-current versions): a sharded run abandoned after a failed
/// shard, in a versioned bucket, with a shard retried (two versions of its
/// manifest and of its chunks) and shards killed while uploading their
/// manifest and a chunk (unfinished multipart uploads): `cleanup` deletes
/// every version of every plan object and of the partial dump (no
/// manifest), aborts the uploads and audits each by key and version id;
/// the objects beside the run's dump prefix are untouched.
#[test]
fn cleanup_of_an_abandoned_sharded_run_deletes_every_version_of_its_plan_objects() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    boto3(&moto, VERSIONED);
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let job = job.to_str().unwrap();

    // A plan URL that cannot be recorded in the cluster's tag, or that
    // names a whole bucket, is refused before anything is created.
    for (bad, says) in [
        (
            "s3://backups/plans~1",
            "cannot be the value of the tag masker:plan",
        ),
        ("s3://backups", "names a whole bucket"),
    ] {
        let out = masker_aws(
            &moto,
            &["plan", "--config", job, "--shards", "2", "--plan", bad],
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains(says), "{}", text(&out));
    }
    assert_eq!(leftovers(&moto), "[]");

    let (plan, run_id) = plan_run(&moto, job);
    // The restored cluster and the secret carry the plan URL for sweep.
    let tagged = boto3(
        &moto,
        &format!(
            "c = rds.describe_db_clusters(DBClusterIdentifier='masker-{run_id}')['DBClusters'][0]\n\
             t = rds.list_tags_for_resource(ResourceName=c['DBClusterArn'])['TagList']\n\
             s = boto3.client('secretsmanager', **kw).list_secrets()['SecretList'][0]['Tags']\n\
             print(json.dumps([[x['Value'] for x in t if x['Key'] == 'masker:plan'], \
             [x['Value'] for x in s if x['Key'] == 'masker:plan']]))"
        ),
    );
    assert_eq!(tagged.trim(), format!("[[\"{plan}\"], [\"{plan}\"]]"));

    // Shard 0 twice (a retry), shard 1 fails after its dump.
    for _ in 0..2 {
        let out = run_shard(&moto, job, &plan, "0/2");
        assert!(out.status.success(), "{}", text(&out));
    }
    let body = fs::read_to_string(job).unwrap();
    fs::write(job, format!("{body}fail_after = \"dump\"\n")).unwrap();
    let out = run_shard(&moto, job, &plan, "1/2");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    fs::write(job, &body).unwrap();
    // A later attempt of shard 1 killed while uploading its manifest.
    let prefix = format!("daily/_plans/{run_id}");
    boto3(
        &moto,
        &format!(
            "s3.create_multipart_upload(Bucket='backups', Key='{prefix}/shard-1.manifest.json')"
        ),
    );
    let before = plan_objects(&moto);
    let count = |name: &str| {
        before
            .iter()
            .filter(|o| o.starts_with(&format!("{prefix}/{name} ")))
            .count()
    };
    assert_eq!(count("plan.json"), 1, "{before:?}");
    assert_eq!(count("shards.json"), 1, "{before:?}");
    assert_eq!(count("shard-0.manifest.json"), 2, "{before:?}");
    assert_eq!(count("shard-1.manifest.json"), 2, "{before:?}");
    assert_eq!(before.len(), 6, "{before:?}");
    assert!(before.iter().all(|o| !o.ends_with(" null")), "{before:?}");
    // The run's dump: the shards' chunks (shard 0's twice), no manifest; a
    // shard killed while uploading a chunk; beside it, an object in the
    // date's directory and one of another run whose id starts alike.
    let dump = boto3(
        &moto,
        &format!(
            "print([o['Key'] for o in s3.list_objects_v2(Bucket='backups', Prefix='daily/prod/')['Contents'] \
             if '/{run_id}/' in o['Key']][0].rsplit('/', 1)[0])"
        ),
    )
    .trim()
    .to_owned();
    let date_dir = dump.strip_suffix(&format!("/{run_id}")).unwrap().to_owned();
    boto3(
        &moto,
        &format!(
            "s3.create_multipart_upload(Bucket='backups', Key='{dump}/killed.sql.zst')\n\
             s3.put_object(Bucket='backups', Key='{date_dir}/keep.txt', Body=b'x')\n\
             s3.put_object(Bucket='backups', Key='{date_dir}/{run_id}0/keep.txt', Body=b'x')"
        ),
    );
    let dumped = versions_under(&moto, &format!("{dump}/"));
    let dump_stored: Vec<String> = dumped
        .iter()
        .filter(|o| !o.ends_with(" upload"))
        .cloned()
        .collect();
    let mut dump_keys: Vec<&str> = dump_stored
        .iter()
        .map(|o| o.split(' ').next().unwrap())
        .collect();
    dump_keys.dedup();
    assert!(
        dump_keys.len() < dump_stored.len(),
        "no chunk had two versions: {dumped:?}"
    );
    assert!(
        !dump_keys.contains(&format!("{dump}/manifest.json").as_str()),
        "{dumped:?}"
    );
    assert_eq!(dumped.len(), dump_stored.len() + 1, "{dumped:?}");

    let out = masker_aws(&moto, &["cleanup", "--config", job, "--plan", &plan]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(plan_objects(&moto), Vec::<String>::new());
    assert_eq!(
        versions_under(&moto, &format!("{dump}/")),
        Vec::<String>::new()
    );
    let beside = versions_under(&moto, &format!("{date_dir}/"));
    assert_eq!(beside.len(), 2, "{beside:?}");
    // Sorted: the other run's object, then the date directory's.
    assert!(
        beside[0].starts_with(&format!("{date_dir}/{run_id}0/keep.txt ")),
        "{beside:?}"
    );
    assert!(
        beside[1].starts_with(&format!("{date_dir}/keep.txt ")),
        "{beside:?}"
    );
    assert_eq!(leftovers(&moto), "[]");
    assert_eq!(boto3(&moto, SECRETS).trim(), "[]");

    let recs = audit_records(dir.path());
    let cleanup = recs.last().unwrap();
    assert_eq!(cleanup["step"], "cleanup");
    assert_eq!(cleanup["outcome"], "ok", "{cleanup}");
    let removed = &cleanup["details"]["plan_objects"];
    let versions = removed["versions_deleted"].as_array().unwrap();
    assert_eq!(versions.len(), 5, "{removed}");
    let mut named: Vec<String> = versions
        .iter()
        .map(|v| {
            let object = v["object"].as_str().unwrap();
            format!(
                "{} {}",
                object.strip_prefix("s3://backups/").unwrap(),
                v["version_id"].as_str().unwrap()
            )
        })
        .collect();
    // The plan goes last (a cleanup that stops half-way can be run again).
    assert!(named
        .last()
        .unwrap()
        .starts_with(&format!("{prefix}/plan.json ")));
    named.sort();
    let mut stored: Vec<String> = before
        .iter()
        .filter(|o| !o.ends_with(" upload"))
        .cloned()
        .collect();
    stored.sort();
    assert_eq!(named, stored);
    let aborted = removed["uploads_aborted"].as_array().unwrap();
    assert_eq!(aborted.len(), 1, "{removed}");
    assert_eq!(
        aborted[0]["object"],
        format!("{plan}/shard-1.manifest.json").as_str()
    );
    // The partial dump's versions and upload, by key and id.
    let removed = &cleanup["details"]["dump_objects"];
    let mut named: Vec<String> = removed["versions_deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v["object"]
                    .as_str()
                    .unwrap()
                    .strip_prefix("s3://backups/")
                    .unwrap(),
                v["version_id"].as_str().unwrap()
            )
        })
        .collect();
    named.sort();
    assert_eq!(named, dump_stored);
    let aborted = removed["uploads_aborted"].as_array().unwrap();
    assert_eq!(aborted.len(), 1, "{removed}");
    assert_eq!(
        aborted[0]["object"],
        format!("s3://backups/{dump}/killed.sql.zst").as_str()
    );
    assert_eq!(removed["left"], serde_json::json!([]));
    assert!(cleanup["resources"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(format!(
            "s3://backups/{dump}/killed.sql.zst"
        ))));
    // Keys and ids only: the audit log holds no row of the database.
    let audit = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(!audit.contains("alice@example.com"));

    // Again: the plan is gone, nothing to do.
    let out = masker_aws(&moto, &["cleanup", "--config", job, "--plan", &plan]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("nothing to clean up"), "{}", text(&out));
}

/// Expire every resource of run `run_id` (its tags say it expired in 2020),
/// as if its scheduler had died after `plan`.
fn expire_run(moto: &Moto, run_id: &str) {
    boto3(
        moto,
        &format!(
            "old = [{{'Key': 'masker:expires', 'Value': '2020-01-01T00:00:00Z'}}]\n\
             def mine(arn):\n    \
             return any(t['Key'] == 'masker:run-id' and t['Value'] == '{run_id}' \
             for t in rds.list_tags_for_resource(ResourceName=arn)['TagList'])\n\
             arns = [c['DBClusterArn'] for c in rds.describe_db_clusters()['DBClusters']]\n\
             arns += [i['DBInstanceArn'] for i in rds.describe_db_instances()['DBInstances']]\n\
             arns += [s['DBClusterSnapshotArn'] for s in rds.describe_db_cluster_snapshots()['DBClusterSnapshots']]\n\
             arns += [g['DBClusterParameterGroupArn'] for g in rds.describe_db_cluster_parameter_groups()['DBClusterParameterGroups'] \
             if g['DBClusterParameterGroupName'].startswith('masker-')]\n\
             for arn in arns:\n    \
             if mine(arn): rds.add_tags_to_resource(ResourceName=arn, Tags=old)\n\
             sm = boto3.client('secretsmanager', **kw)\n\
             for s in sm.list_secrets()['SecretList']:\n    \
             if {{'Key': 'masker:run-id', 'Value': '{run_id}'}} in s.get('Tags', []): sm.tag_resource(SecretId=s['ARN'], Tags=old)"
        ),
    );
}

/// Regression (plan objects outliving a crashed run): `sweep` deletes the
/// plan objects (every version) of an expired sharded run, which it finds
/// through the plan tag of the run's cluster and secret, and names them in
/// the audit log; a run that has not expired keeps its plan; a second
/// sweep finds nothing.
#[test]
fn sweep_deletes_the_plan_objects_of_an_expired_sharded_run() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    boto3(&moto, VERSIONED);
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let job = job.to_str().unwrap();
    let (crashed, crashed_id) = plan_run(&moto, job);
    let out = run_shard(&moto, job, &crashed, "0/2");
    assert!(out.status.success(), "{}", text(&out));
    let (fresh, fresh_id) = plan_run(&moto, job);
    expire_run(&moto, &crashed_id);

    let audit = dir.path().join("sweep.jsonl");
    let sweep = || {
        masker_aws(
            &moto,
            &[
                "sweep",
                "--endpoint-url",
                &moto.url,
                "--audit",
                audit.to_str().unwrap(),
            ],
        )
    };
    let out = sweep();
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    // Instance, cluster, copied snapshot, secret, parameter group; the plan,
    // the shard list and shard 0's manifest.
    assert!(
        shown.contains("deleted 5 expired resource(s) and 3 plan object version(s)"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("{crashed}/plan.json version ")),
        "{shown}"
    );
    let left = plan_objects(&moto);
    assert!(
        left.iter()
            .all(|o| o.starts_with(&format!("daily/_plans/{fresh_id}/"))),
        "{left:?}"
    );
    assert_eq!(left.len(), 2, "{left:?}");
    let clusters = boto3(
        &moto,
        "print(sorted(c['DBClusterIdentifier'] for c in rds.describe_db_clusters()['DBClusters']))",
    );
    assert!(
        !clusters.contains(&crashed_id) && clusters.contains(&fresh_id),
        "{clusters}"
    );

    let recs = audit_records_of(&audit);
    assert_eq!(recs.len(), 1);
    let resources: Vec<&str> = recs[0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for name in ["plan.json", "shards.json", "shard-0.manifest.json"] {
        assert!(
            resources.contains(&format!("{crashed}/{name}").as_str()),
            "{resources:?}"
        );
    }
    let plans = recs[0]["details"]["plan_objects"].as_array().unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0]["run_id"], crashed_id.as_str());
    assert_eq!(plans[0]["plan"], crashed.as_str());
    let versions = plans[0]["versions_deleted"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert!(versions
        .iter()
        .all(|v| v["version_id"].as_str().is_some_and(|id| id != "null")));

    // Idempotent: nothing expired is left.
    let out = sweep();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("nothing expired is left"),
        "{}",
        text(&out)
    );
    assert_eq!(audit_records_of(&audit).len(), 2);

    // Two expired secrets of crashed runs: r8's plan was in a bucket since
    // deleted (nothing to delete: the secret goes); r9's plan tag names a
    // whole bucket, so its plan objects cannot be deleted: the sweep fails
    // and says why, and r9's secret is kept for the next sweep.
    boto3(
        &moto,
        "sm = boto3.client('secretsmanager', **kw)\n\
         for run, plan in [('r8', 's3://gone-bucket/_plans/r8'), ('r9', 's3://backups')]:\n    \
         sm.create_secret(Name=f'masker/{run}/master-password', SecretString='x', Tags=[\
         {'Key': 'masker:run-id', 'Value': run}, \
         {'Key': 'masker:expires', 'Value': '2020-01-01T00:00:00Z'}, \
         {'Key': 'masker:plan', 'Value': plan}])",
    );
    let out = sweep();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("run r9: s3:ListObjectVersions s3://backups")
            && shown.contains("names a whole bucket")
            && shown.contains("its secret is kept"),
        "{shown}"
    );
    assert_eq!(
        boto3(&moto, SECRETS).trim(),
        format!("[\"masker/{fresh_id}/master-password\", \"masker/r9/master-password\"]")
    );
    let recs = audit_records_of(&audit);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[2]["outcome"], "failed");
    assert_eq!(
        recs[2]["resources"].as_array().unwrap().len(),
        1,
        "{}",
        recs[2]
    );
    boto3(
        &moto,
        "boto3.client('secretsmanager', **kw).delete_secret(\
         SecretId='masker/r9/master-password', ForceDeleteWithoutRecovery=True)",
    );

    // The run that has not expired is cleaned up by its own cleanup.
    let out = masker_aws(&moto, &["cleanup", "--config", job, "--plan", &fresh]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(plan_objects(&moto), Vec::<String>::new());
    assert_eq!(leftovers(&moto), "[]");
    assert_eq!(boto3(&moto, SECRETS).trim(), "[]");
}

#[test]
fn state_machine_runs_plan_shards_finish_and_cleans_up_on_any_failure() {
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("job.toml");
    fs::write(
        &job,
        "[source]\nsnapshot = \"s\"\n[restore]\nkms_key_id = \"arn:aws:kms:us-east-1:111122223333:key/k\"\n\
         [database]\nname = \"shop\"\n[output]\ns3 = \"s3://backups/daily\"\n[audit]\npath = \"a.jsonl\"\n\
         [dump]\nrules = \"rules.toml\"\n",
    )
    .unwrap();
    let out = Std::new(env!("CARGO_BIN_EXE_masker-aws"))
        .args(["state-machine", "--config", job.to_str().unwrap()])
        .args([
            "--shards",
            "8",
            "--job-queue",
            "q",
            "--job-definition",
            "masker:3",
        ])
        .args(["--config-in-image", "/etc/masker/job.toml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let sm: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states = sm["States"].as_object().unwrap();
    assert_eq!(sm["StartAt"], "Init");
    // Every transition names an existing state; the path is
    // Init -> Plan -> Shards -> Finish -> Done.
    let next = |s: &serde_json::Value| {
        for t in [&s["Next"]].into_iter().chain(
            s["Catch"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| &c["Next"]),
        ) {
            if let Some(t) = t.as_str() {
                assert!(states.contains_key(t), "{t} is not a state");
            }
        }
    };
    for s in states.values() {
        next(s);
    }
    assert_eq!(states["Init"]["Next"], "Plan");
    assert_eq!(states["Plan"]["Next"], "Shards");
    assert_eq!(states["Shards"]["Next"], "Finish");
    assert_eq!(states["Finish"]["Next"], "Done");
    assert_eq!(states["Done"]["Type"], "Succeed");
    // Any failure runs cleanup, then fails the execution.
    for s in ["Plan", "Shards", "Finish"] {
        assert_eq!(states[s]["Catch"][0]["ErrorEquals"][0], "States.ALL", "{s}");
        assert_eq!(states[s]["Catch"][0]["Next"], "Cleanup", "{s}");
    }
    assert_eq!(states["Cleanup"]["Next"], "Failed");
    assert_eq!(states["Failed"]["Type"], "Fail");
    // The Distributed Map reads the plan's shard list from S3.
    let map = &states["Shards"];
    assert_eq!(map["Type"], "Map");
    assert_eq!(
        map["ItemProcessor"]["ProcessorConfig"]["Mode"],
        "DISTRIBUTED"
    );
    assert_eq!(map["ItemReader"]["Parameters"]["Bucket"], "backups");
    assert_eq!(map["ToleratedFailurePercentage"], 0);
    let command = |s: &serde_json::Value| {
        s["Parameters"]["ContainerOverrides"]["Command.$"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let shard = &map["ItemProcessor"]["States"]["RunShard"];
    assert_eq!(shard["Resource"], "arn:aws:states:::batch:submitJob.sync");
    assert_eq!(shard["Parameters"]["JobQueue"], "q");
    assert_eq!(
        command(shard),
        "States.Array('masker-aws', 'run-shard', '--config', '/etc/masker/job.toml', '--plan', $.plan, '--shard', $.shard)"
    );
    assert!(command(&states["Plan"])
        .contains("'plan', '--config', '/etc/masker/job.toml', '--job', 'mask', '--shards', '8'"));
    assert!(command(&states["Finish"]).contains("'finish'"));
    assert!(command(&states["Cleanup"]).contains("'cleanup'"));
    assert_eq!(
        states["Init"]["Parameters"]["plan.$"],
        "States.Format('s3://backups/daily/_plans/{}', $$.Execution.Name)"
    );
    assert_eq!(
        states["Init"]["Parameters"]["items_key.$"],
        "States.Format('daily/_plans/{}/shards.json', $$.Execution.Name)"
    );
}

/// Regression (CI, 2026-11-28): moto writes a record and its newline in two
/// writes, so concurrent requests left two records on one line and the
/// sharded test failed reading the recording.
#[test]
fn moto_records_that_share_a_line_are_all_read() {
    let moto = start_moto();
    let modify = |password: &str| {
        serde_json::json!({
            "headers": {}, "method": "POST", "url": "/",
            "body": format!("Action=ModifyDBCluster&MasterUserPassword={password}"),
            "body_encoded": false,
        })
        .to_string()
    };
    let text = format!(
        "{}{}\n\n{}\n",
        modify("first"),
        modify("second"),
        modify("third")
    );
    std::fs::write(&moto.recording, text).unwrap();
    assert_eq!(recorded_passwords(&moto), ["first", "second", "third"]);
    assert_eq!(recorded(&moto, "ModifyDBCluster").len(), 3);
}

#[test]
fn the_latest_snapshot_a_product_account_shares_is_found() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    // Two product accounts share snapshots of a cluster named `shop`; the
    // newest of account 111111111111 must be chosen, not 222222222222's.
    let arn = boto3(
        &moto,
        r#"
import time
sts = boto3.client('sts', **kw)
def client(account):
    c = sts.assume_role(RoleArn=f'arn:aws:iam::{account}:role/product', RoleSessionName='product')['Credentials']
    return boto3.client('rds', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'],
                        aws_session_token=c['SessionToken'], **kw)
def share(rds, ids):
    rds.create_db_cluster(DBClusterIdentifier='shop', Engine='aurora-mysql', MasterUsername='admin',
                          MasterUserPassword='prodpassword1')
    for i in ids:
        rds.create_db_cluster_snapshot(DBClusterIdentifier='shop', DBClusterSnapshotIdentifier=i)
        rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier=i, AttributeName='restore',
                                                 ValuesToAdd=['123456789012'])
        time.sleep(1.1)
a = client('111111111111')
share(a, ['shop-old', 'shop-new'])
share(client('222222222222'), ['shop-other-owner'])
print(a.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier='shop-new')['DBClusterSnapshots'][0]['DBClusterSnapshotArn'])
"#,
    );
    let arn = arn.trim();
    assert!(
        arn.contains(":111111111111:cluster-snapshot:shop-new"),
        "{arn}"
    );
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        "unused",
        "latest_for_cluster = \"shop\"\nfrom_account = \"111111111111\"",
        // moto cannot copy another account's snapshot: stop there anyway.
        "fail_after = \"copy-snapshot\"",
    );
    let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
    let shown = text(&out);
    assert!(shown.contains("step copy-snapshot"), "{shown}");
    let recs = audit_records(dir.path());
    assert_eq!(recs[0]["step"], "preflight");
    assert_eq!(recs[0]["outcome"], "ok");
    assert_eq!(recs[0]["resources"][0], arn, "{recs:?}");
    assert_eq!(leftovers(&moto), "[]");
}

#[test]
fn the_password_can_be_kept_in_secrets_manager_for_the_run() {
    let moto = start_moto();
    let key = boto3(&moto, SETUP).trim().to_owned();
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let job = write_job(
        dir.path(),
        &moto,
        &key,
        &db.0,
        "snapshot = \"prod-snap\"",
        "",
    );
    let body = fs::read_to_string(&job).unwrap();
    fs::write(
        &job,
        body.replace("[restore]\n", "[restore]\npassword_secret = true\n")
            .replace("[audit]\n", "[audit]\nstdout = true\n"),
    )
    .unwrap();
    let out = masker_aws(&moto, &["backup", "--config", job.to_str().unwrap()]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    // [audit] stdout: every record on stdout as written, then the summary.
    let file = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let echoed: Vec<&str> = stdout.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(echoed, file.lines().collect::<Vec<_>>());
    assert!(
        stdout.lines().last().unwrap().contains("backup job"),
        "{stdout}"
    );
    let recs = audit_records(dir.path());
    let set = recs.iter().find(|r| r["step"] == "set-password").unwrap();
    assert_eq!(
        set["action"],
        "rds:ModifyDBCluster,secretsmanager:CreateSecret"
    );
    assert!(set["resources"][1]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:secretsmanager:"));
    // The secret held the password set through the API, and is gone.
    let created = recorded(&moto, "CreateSecret");
    let passwords = recorded_passwords(&moto);
    assert_eq!(passwords.len(), 1);
    let stored = created
        .first()
        .and_then(|c| c["SecretString"].as_str())
        .map(str::to_owned);
    assert_eq!(
        stored.as_deref(),
        Some(passwords[0].as_str()),
        "{created:?}"
    );
    assert_eq!(boto3(&moto, SECRETS).trim(), "[]");
    assert_eq!(leftovers(&moto), "[]");
    let audit = fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(!audit.contains(passwords[0].as_str()) && !shown.contains(passwords[0].as_str()));
}

#[test]
fn a_long_log_goes_in_several_batches_huge_records_in_parts_and_is_read_back_in_pages() {
    use masker_aws::jobs::audit::{AuditLog, Entry};
    use masker_aws::jobs::audit_cloudwatch;
    let moto = start_moto();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let mut log = AuditLog::open(&path, "r-long", "backup").unwrap();
    let now = masker_aws::jobs::names::rfc3339(std::time::SystemTime::now());
    let entry = |i: usize, pad: usize| {
        let mut details = serde_json::Map::new();
        details.insert("i".into(), serde_json::json!(i));
        if pad > 0 {
            // Over one event's 256 KiB: it goes in parts.
            details.insert("tables".into(), serde_json::json!("t\u{e9}".repeat(pad)));
        }
        Entry {
            step: "dump".into(),
            action: "masker-mysql:dump".into(),
            resources: vec![],
            outcome: "ok".into(),
            error: None,
            started: now.clone(),
            duration_ms: i as u64,
            details,
        }
    };
    // More events than one PutLogEvents call (10,000) and one GetLogEvents
    // page (10,000) take, and two records over 256 KiB (more than 1 MiB).
    for i in 0..10_050 {
        log.append(&entry(
            i,
            if i == 10_010 || i == 10_020 {
                200_000
            } else {
                0
            },
        ))
        .unwrap();
    }
    let text = fs::read_to_string(&path).unwrap();
    let http = aws_smithy_http_client::Builder::new().build_http();
    let conf = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_sdk_cloudwatchlogs::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .endpoint_url(&moto.url)
        .http_client(http)
        .retry_config(audit_cloudwatch::retry_config())
        .build();
    let client = aws_sdk_cloudwatchlogs::Client::from_conf(conf);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let group = "/masker/audit";
    let shipped = rt
        .block_on(audit_cloudwatch::ship(
            &client,
            group,
            "r-long",
            "backup",
            &text,
            std::time::SystemTime::now(),
        ))
        .unwrap();
    assert_eq!(shipped.records, 10_050);
    // Each 600 KB record in 3 parts; every call within 10,000 events and
    // 1 MiB (26 bytes counted per event), in timestamp order.
    assert_eq!(shipped.events, 10_054);
    let puts = recorded(&moto, "PutLogEvents");
    assert_eq!(puts.len(), shipped.batches);
    assert!(shipped.batches > 4, "{shipped:?}");
    let mut total = 0;
    for p in &puts {
        let events = p["logEvents"].as_array().unwrap();
        let bytes: usize = events
            .iter()
            .map(|e| e["message"].as_str().unwrap().len() + 26)
            .sum();
        assert!(events.len() <= 10_000 && bytes <= 1_048_576, "{bytes}");
        let times: Vec<i64> = events
            .iter()
            .map(|e| e["timestamp"].as_i64().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        total += events.len();
    }
    assert_eq!(total, 10_054);
    // The same stream name again: a retried command gets its own stream.
    let again = rt
        .block_on(audit_cloudwatch::ship(
            &client,
            group,
            "r-long",
            "backup",
            &text,
            std::time::SystemTime::now(),
        ))
        .unwrap();
    assert_eq!(again.stream, "r-long/backup-2");
    for stream in ["r-long/backup", "r-long/backup-2"] {
        let (n, head) = rt
            .block_on(audit_cloudwatch::verify(&client, group, stream))
            .unwrap();
        assert_eq!((n, head.as_str()), (10_050, log.head()), "{stream}");
    }
}
