//! `masker dump --out s3://...`, `masker load s3://...` and `masker verify
//! s3://...` against moto's S3 server (started on a free loopback port by the
//! test, stopped when it ends) and the local MariaDB.

mod util;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use util::*;

/// moto's server, killed on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto() -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("python3")
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 is needed to run moto");
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "moto's S3 server did not start: these tests need `pip install 'moto[server]'`"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

fn aws_env(cmd: &mut Command, moto: &Moto) {
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT", &moto.endpoint)
        .env("AWS_ALLOW_HTTP", "true");
}

fn create_bucket(moto: &Moto, bucket: &str) {
    let script = format!(
        "import boto3\nboto3.client('s3', endpoint_url='{}', region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing-secret').create_bucket(Bucket='{bucket}')",
        moto.endpoint
    );
    let out = run(Command::new("python3").args(["-c", &script]), None);
    assert!(out.status.success(), "create bucket: {}", stderr(&out));
}

fn url() -> String {
    "mysql://root@127.0.0.1:3306/".into()
}

#[test]
fn dump_to_s3_load_and_verify_from_s3() {
    require_mariadb();
    let moto = start_moto();
    create_bucket(&moto, "dumps");
    let src = ScratchDb::create(&db_name("live_s3", "src"));
    // ~10 MB uncompressed in one chunk: uploaded in several parts.
    sql(
        Some(src.name()),
        "CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(255));
         INSERT INTO t SELECT seq, CONCAT(seq, REPEAT('x', 240)) FROM seq_1_to_40000;
         CREATE TABLE small (id INT PRIMARY KEY, s VARCHAR(10));
         INSERT INTO small VALUES (1, 'a'), (2, NULL);
         ANALYZE TABLE t, small;",
    );
    let dst = db_name("live_s3", "dst");
    let _dst = ScratchDb::adopt(&[&dst]);
    let target = "s3://dumps/nightly/run-1";
    let mut dump = masker();
    aws_env(&mut dump, &moto);
    dump.args(["dump", "--url", &url(), "--databases", src.name()])
        .args(["--compress", "none", "--bigquery", "--out", target]);
    let out = run(&mut dump, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // The big chunk went up in parts, and no multipart upload was left open.
    let script = format!(
        "import boto3\nc = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing-secret')\n\
         objs = c.list_objects_v2(Bucket='dumps', Prefix='nightly/run-1/')['Contents']\n\
         print(max(o['Size'] for o in objs))\n\
         print(len(c.list_multipart_uploads(Bucket='dumps').get('Uploads', [])))",
        moto.endpoint
    );
    let out = run(Command::new("python3").args(["-c", &script]), None);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<u64> = stdout_str(&out)
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert!(lines[0] > 8 << 20, "largest object {} bytes", lines[0]);
    assert_eq!(lines[1], 0, "incomplete multipart uploads left");

    // A second dump to the same place is refused: the first is complete.
    let out = run(&mut dump, None);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("already there"), "{}", stderr(&out));

    // Loaded straight from S3: nothing is staged on local disk.
    let tmp = tempfile::tempdir().unwrap();
    let mut load = masker();
    aws_env(&mut load, &moto);
    load.env("TMPDIR", tmp.path())
        .args(["load", "--url", &url(), "--into-database", &dst, target]);
    let out = run(&mut load, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    assert_eq!(sql(Some(&dst), "SELECT COUNT(*) FROM t").trim(), "40000");

    let mut verify = masker();
    aws_env(&mut verify, &moto);
    verify.args(["verify", "--url", &url(), "--into-database", &dst, target]);
    let out = run(&mut verify, None);
    assert_eq!(code(&out), 0, "{}{}", stdout_str(&out), stderr(&out));

    // An object changed in S3 after the dump: verify names it.
    let script = format!(
        "import boto3\nc = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing-secret')\n\
         k = [o['Key'] for o in c.list_objects_v2(Bucket='dumps', Prefix='nightly/run-1/')['Contents'] if '@small@' in o['Key']][0]\n\
         c.put_object(Bucket='dumps', Key=k, Body=b'changed')\nprint(k.split('/')[-1])",
        moto.endpoint
    );
    let out = run(Command::new("python3").args(["-c", &script]), None);
    assert!(out.status.success(), "{}", stderr(&out));
    let changed = stdout_str(&out).trim().to_owned();
    let out = run(&mut verify, None);
    assert_eq!(code(&out), 5, "{}{}", stdout_str(&out), stderr(&out));
    assert!(stdout_str(&out).contains(&changed), "{}", stdout_str(&out));

    // A prefix without a manifest is not a dump.
    let mut load = masker();
    aws_env(&mut load, &moto);
    load.args(["load", "--url", &url(), "s3://dumps/nothing-here"]);
    let out = run(&mut load, None);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("did not finish"), "{}", stderr(&out));
}

/// `(objects under prefix, incomplete multipart uploads)` in `bucket`.
fn s3_state(moto: &Moto, bucket: &str, prefix: &str) -> (Vec<String>, usize) {
    let script = format!(
        "import boto3\nc = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing-secret')\n\
         print(len(c.list_multipart_uploads(Bucket='{bucket}').get('Uploads', [])))\n\
         for o in c.list_objects_v2(Bucket='{bucket}', Prefix='{prefix}').get('Contents', []): print(o['Key'])",
        moto.endpoint
    );
    let out = run(Command::new("python3").args(["-c", &script]), None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout_str(&out);
    let mut lines = text.lines();
    let uploads = lines.next().unwrap().trim().parse().unwrap();
    (lines.map(str::to_owned).collect(), uploads)
}

/// A table whose one chunk is ~30 MB uncompressed (several 8 MiB parts).
fn big_source(tag: &str) -> ScratchDb {
    let src = ScratchDb::create(&db_name("live_s3", tag));
    sql(
        Some(src.name()),
        "CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(255));
         INSERT INTO t SELECT seq, CONCAT(seq, REPEAT('x', 240)) FROM seq_1_to_120000;
         ANALYZE TABLE t;",
    );
    src
}

#[test]
fn sigterm_mid_upload_leaves_no_multipart_upload_and_no_manifest() {
    require_mariadb();
    let moto = start_moto();
    create_bucket(&moto, "dumps");
    let src = big_source("term");
    let mut watcher = watch_for_upload(&moto);
    let mut dump = masker();
    aws_env(&mut dump, &moto);
    dump.args(["dump", "--url", &url(), "--databases", src.name()])
        .args(["--compress", "none", "--chunk-mb", "1000", "--threads", "1"])
        .args(["--out", "s3://dumps/term"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = dump.spawn().unwrap();
    assert!(watcher.wait().unwrap().success());
    assert!(
        child.try_wait().unwrap().is_none(),
        "the dump finished before it could be interrupted; make the table bigger"
    );
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    let (objects, uploads) = s3_state(&moto, "dumps", "term/");
    assert_eq!(
        uploads, 0,
        "incomplete multipart uploads left after SIGTERM"
    );
    assert!(
        !objects.iter().any(|k| k.ends_with("manifest.json")),
        "{objects:?}"
    );
}

/// A watcher that exits as soon as a multipart upload is open in `dumps`
/// (with a failure status after 60 s without one).
fn watch_for_upload(moto: &Moto) -> Child {
    let watch = format!(
        "import boto3, time\nc = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing-secret')\n\
         t = time.time()\n\
         while not c.list_multipart_uploads(Bucket='dumps').get('Uploads'):\n\
         \x20   if time.time() - t > 60: raise SystemExit('no multipart upload was opened within 60 s')\n\
         \x20   time.sleep(0.02)\n",
        moto.endpoint
    );
    Command::new("python3")
        .args(["-c", &watch])
        .spawn()
        .unwrap()
}

/// Regression (CI, stop 20): the failure used to be a `KILL` of the dump's
/// query once a multipart upload was seen, which raced the query's end (the
/// server had sent every row and the `KILL` found nothing). The failure is
/// now in the data: the last row holds a value `fpe` refuses, so the dump
/// fails after more than three 8 MiB parts of its one chunk went up.
#[test]
fn a_dump_that_fails_mid_upload_aborts_it() {
    require_mariadb();
    let moto = start_moto();
    create_bucket(&moto, "dumps");
    let src = big_source("fail");
    sql(
        Some(src.name()),
        "UPDATE t SET pad = CONCAT(pad, '\u{e9}') WHERE id = 120000;",
    );
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[key]\nenv = \"MASKER_KEY\"\n[tables.t]\nid = \"keep\"\npad = \"fpe\"\n",
    )
    .unwrap();
    let mut dump = masker();
    aws_env(&mut dump, &moto);
    dump.env("MASKER_KEY", "live-s3-test-key-0123456789abcdef")
        .args(["dump", "--url", &url(), "--databases", src.name()])
        .arg("--rules")
        .arg(&rules)
        .args(["--compress", "none", "--chunk-mb", "1000", "--threads", "1"])
        .args(["--out", "s3://dumps/fail"]);
    let out = run(&mut dump, None);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("t.pad") && err.contains("outside ASCII"),
        "{err}"
    );
    let (objects, uploads) = s3_state(&moto, "dumps", "fail/");
    assert_eq!(
        uploads, 0,
        "the failed chunk's multipart upload was left open"
    );
    assert!(
        !objects.iter().any(|k| k.contains("@t@")),
        "a failed chunk became visible: {objects:?}"
    );
    assert!(!objects.iter().any(|k| k.ends_with("manifest.json")));
}
