//! The job file (`job.toml`): what a backup or mask job restores, where it
//! writes, and how it is audited and measured. This module owns parsing and
//! checking it; every problem (unknown key, wrong type, bad value) is
//! reported at once, each with its path (`restore.kms_key_id`). It must not
//! touch AWS or the database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A problem in the job file, named by its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Dotted path of the key (`restore.kms_key_id`), or `(file)`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every problem of a job file.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {} problem(s):\n{}", problems.len(), list(problems))]
pub struct ConfigError {
    /// The file as the user named it.
    pub file: String,
    /// All problems found.
    pub problems: Vec<ConfigProblem>,
}

fn list(p: &[ConfigProblem]) -> String {
    p.iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole job file.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JobConfig {
    /// `[aws]`
    pub aws: AwsSection,
    /// `[source]`
    pub source: SourceSection,
    /// `[restore]`
    pub restore: RestoreSection,
    /// `[database]`
    pub database: DatabaseSection,
    /// `[dump]`
    pub dump: DumpSection,
    /// `[output]`
    pub output: OutputSection,
    /// `[audit]`
    pub audit: AuditSection,
    /// `[metrics]` (optional: no metrics without it)
    pub metrics: Option<MetricsSection>,
    /// `[testing]` (optional): hooks for tests against moto and a local server.
    pub testing: Option<TestingSection>,
    /// `[staging]` (optional, mask job): the masked staging snapshot.
    pub staging: Option<StagingSection>,
}

/// `[staging]`: load the masked dump back over the restored cluster,
/// snapshot it and share the snapshot.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StagingSection {
    /// Account ids the snapshot is shared with.
    pub share_with: Vec<String>,
}
const STAGING_KEYS: &[&str] = &["share_with"];

/// `[aws]`: where the AWS APIs are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsSection {
    /// Region (default: from the AWS environment).
    pub region: Option<String>,
    /// Endpoint of every AWS API (moto, VPC endpoints); default: AWS's.
    pub endpoint_url: Option<String>,
}
const AWS_KEYS: &[&str] = &["region", "endpoint_url"];

/// `[source]`: the production snapshot.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSection {
    /// Snapshot identifier or ARN.
    pub snapshot: Option<String>,
    /// Or: the latest available snapshot of this cluster.
    pub latest_for_cluster: Option<String>,
    /// With `latest_for_cluster`: the snapshot is one this account (a
    /// product account) shares with the platform account.
    pub from_account: Option<String>,
}
const SOURCE_KEYS: &[&str] = &["snapshot", "latest_for_cluster", "from_account"];

/// `[restore]`: the copy and the restored cluster.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreSection {
    /// Full ARN of the customer-managed KMS key the copy is encrypted with.
    pub kms_key_id: String,
    /// Engine of the restored cluster.
    #[serde(default = "default_engine")]
    pub engine: String,
    /// Instance class of the restored cluster's instance.
    #[serde(default = "default_class")]
    pub instance_class: String,
    /// DB subnet group.
    pub subnet_group: Option<String>,
    /// VPC security group ids.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Master user of the restored cluster.
    #[serde(default = "default_master")]
    pub master_user: String,
    /// Hours after which `sweep` may delete what this run created.
    #[serde(default = "default_ttl")]
    pub ttl_hours: u32,
    /// Seconds to wait for each resource to become available.
    #[serde(default = "default_wait")]
    pub wait_seconds: u64,
    /// An existing cluster parameter group for the restored cluster (with
    /// database auditing on). Without it, the run creates one
    /// (`masker-<run id>-audit`) with `server_audit_logging = 1` and
    /// `audit_events`, and deletes it at cleanup.
    pub parameter_group: Option<String>,
    /// `server_audit_events` of the created group.
    #[serde(default = "default_audit_events")]
    pub audit_events: String,
    /// The created group's family (default: from the engine and the
    /// snapshot's engine version, e.g. `aurora-mysql8.0`).
    pub parameter_family: Option<String>,
    /// Also keep the generated master password in Secrets Manager for the
    /// run's duration (`masker/<run id>/master-password`, deleted at
    /// cleanup); sharded runs always do.
    #[serde(default)]
    pub password_secret: bool,
}
const RESTORE_KEYS: &[&str] = &[
    "kms_key_id",
    "engine",
    "instance_class",
    "subnet_group",
    "security_groups",
    "master_user",
    "ttl_hours",
    "wait_seconds",
    "parameter_group",
    "audit_events",
    "parameter_family",
    "password_secret",
];
fn default_audit_events() -> String {
    "CONNECT,QUERY".into()
}
fn default_engine() -> String {
    "aurora-mysql".into()
}
fn default_class() -> String {
    "db.r6g.large".into()
}
fn default_master() -> String {
    "admin".into()
}
fn default_ttl() -> u32 {
    24
}
fn default_wait() -> u64 {
    3600
}

/// `[database]`: what is dumped.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// The database (schema) dumped and restore-tested.
    pub name: String,
}
const DATABASE_KEYS: &[&str] = &["name"];

/// `[dump]`: how it is dumped.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DumpSection {
    /// Connections.
    pub threads: Option<usize>,
    /// Target chunk size in MB.
    pub chunk_mb: Option<f64>,
    /// `sql` or `tsv`.
    pub format: Option<String>,
    /// Masking rules (required by the mask job, refused by the backup job).
    pub rules: Option<PathBuf>,
    /// Also write the BigQuery export of the same rows beside the chunks
    /// (`masker dump --bigquery`; the rules' `[export]` section applies).
    #[serde(default)]
    pub bigquery: bool,
}
const DUMP_KEYS: &[&str] = &["threads", "chunk_mb", "format", "rules", "bigquery"];

/// `[output]`: where the dump goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// `s3://bucket/prefix`; the dump goes under `<prefix>/<cluster>/<date>/<run id>/`.
    pub s3: String,
}
const OUTPUT_KEYS: &[&str] = &["s3"];

/// `[audit]`: the hash-chained audit log.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// JSON-lines file (appended to).
    pub path: PathBuf,
    /// `s3://bucket/prefix`: when set, the whole log is copied to
    /// `<prefix>/<run id>/<command>.jsonl` when each command ends.
    pub s3: Option<String>,
    /// A CloudWatch Logs log group (created when missing): when set, the
    /// whole log is copied to its stream `<run id>/<command>` (`-2`, `-3`,
    /// ... when that stream exists: a retried command) when each command
    /// ends, one event per record; `audit verify --log-group G --log-stream
    /// S` checks it there.
    pub cloudwatch_log_group: Option<String>,
    /// Also print each record to stdout as it is written (in AWS Batch or
    /// ECS with the `awslogs` driver, stdout is CloudWatch Logs).
    #[serde(default)]
    pub stdout: bool,
}
const AUDIT_KEYS: &[&str] = &["path", "s3", "cloudwatch_log_group", "stdout"];

/// `[metrics]`: DogStatsD.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSection {
    /// The agent's `host:port` (UDP).
    pub statsd: String,
    /// Metric name prefix.
    #[serde(default = "default_prefix")]
    pub prefix: String,
}
const METRICS_KEYS: &[&str] = &["statsd", "prefix"];
fn default_prefix() -> String {
    "masker.aws".into()
}

/// `[testing]`: hooks for tests (moto's endpoints are fake host names).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestingSection {
    /// Connect here instead of the restored cluster's endpoint, as `user`
    /// with no password (the generated password is still set through the API).
    pub database_address: Option<String>,
    /// The user for `database_address` (default `root`).
    pub database_user: Option<String>,
    /// Fail right after this step (to test the cleanup).
    pub fail_after: Option<String>,
    /// Sleep this many seconds after `pause_step` (to test signals).
    pub pause_seconds: Option<u64>,
    /// The step after which to pause.
    pub pause_step: Option<String>,
}
const TESTING_KEYS: &[&str] = &[
    "database_address",
    "database_user",
    "fail_after",
    "pause_seconds",
    "pause_step",
];

const SECTIONS: &[(&str, &[&str], bool)] = &[
    ("aws", AWS_KEYS, false),
    ("source", SOURCE_KEYS, true),
    ("restore", RESTORE_KEYS, true),
    ("database", DATABASE_KEYS, true),
    ("dump", DUMP_KEYS, false),
    ("output", OUTPUT_KEYS, true),
    ("audit", AUDIT_KEYS, true),
    ("metrics", METRICS_KEYS, false),
    ("testing", TESTING_KEYS, false),
    ("staging", STAGING_KEYS, false),
];

/// The step names `testing.fail_after` and `testing.pause_step` accept.
pub const STEP_NAMES: &[&str] = &[
    "preflight",
    "copy-snapshot",
    "restore-cluster",
    "create-instance",
    "set-password",
    "dump",
    "restore-test",
    "staging-snapshot",
    "plan",
    "merge",
];

/// Which job the file is run as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// A plain restore-tested dump.
    Backup,
    /// A masked, restore-tested dump.
    Mask,
}

impl JobKind {
    /// `mask` when the job file's `[dump]` names `rules`, else `backup`.
    pub fn inferred(text: &str) -> JobKind {
        let rules = toml::from_str::<toml::Table>(text).ok().is_some_and(|t| {
            t.get("dump")
                .and_then(|d| d.as_table())
                .is_some_and(|d| d.contains_key("rules"))
        });
        if rules {
            JobKind::Mask
        } else {
            JobKind::Backup
        }
    }

    /// Parse `backup` or `mask`.
    pub fn parse(s: &str) -> Option<JobKind> {
        match s {
            "backup" => Some(JobKind::Backup),
            "mask" => Some(JobKind::Mask),
            _ => None,
        }
    }

    /// `backup` or `mask`.
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Backup => "backup",
            JobKind::Mask => "mask",
        }
    }
}

impl JobConfig {
    /// Read and check `path` for a job of `kind`.
    pub fn read(path: &Path, kind: JobKind) -> Result<JobConfig, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            problems: vec![ConfigProblem {
                path: "(file)".into(),
                message: format!("cannot read it: {e}"),
            }],
        })?;
        Self::parse(&text, kind).map_err(|problems| ConfigError { file, problems })
    }

    /// Read and check `path`, the job being `mask` when `[dump] rules` is
    /// set and `backup` otherwise (`plan`, `state-machine`).
    pub fn read_inferring_kind(path: &Path) -> Result<(JobConfig, JobKind), ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            problems: vec![ConfigProblem {
                path: "(file)".into(),
                message: format!("cannot read it: {e}"),
            }],
        })?;
        let kind = JobKind::inferred(&text);
        Self::parse(&text, kind)
            .map(|c| (c, kind))
            .map_err(|problems| ConfigError { file, problems })
    }

    /// Parse and check the text of a job file; all problems at once.
    pub fn parse(text: &str, kind: JobKind) -> Result<JobConfig, Vec<ConfigProblem>> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            vec![ConfigProblem {
                path: "(file)".into(),
                message: format!("not valid TOML: {}", e.message()),
            }]
        })?;
        let mut problems = Vec::new();
        for key in table.keys() {
            if !SECTIONS.iter().any(|(s, _, _)| s == key) {
                problems.push(problem(key, "unknown section"));
            }
        }
        let mut sections: BTreeMap<&str, toml::Value> = BTreeMap::new();
        for (name, keys, required) in SECTIONS {
            match table.get(*name) {
                None if *required => problems.push(problem(name, "missing section")),
                None => {}
                Some(toml::Value::Table(t)) => {
                    let mut clean = true;
                    for k in t.keys() {
                        if !keys.contains(&k.as_str()) {
                            problems.push(problem(&format!("{name}.{k}"), "unknown key"));
                            clean = false;
                        }
                    }
                    if clean {
                        sections.insert(name, toml::Value::Table(t.clone()));
                    }
                }
                Some(_) => problems.push(problem(name, "must be a table ([section])")),
            }
        }
        let aws = section::<AwsSection>(&sections, "aws", &mut problems).unwrap_or_default();
        let source = section::<SourceSection>(&sections, "source", &mut problems);
        let restore = section::<RestoreSection>(&sections, "restore", &mut problems);
        let database = section::<DatabaseSection>(&sections, "database", &mut problems);
        let dump = section::<DumpSection>(&sections, "dump", &mut problems).unwrap_or_default();
        let output = section::<OutputSection>(&sections, "output", &mut problems);
        let audit = section::<AuditSection>(&sections, "audit", &mut problems);
        let metrics = section::<MetricsSection>(&sections, "metrics", &mut problems);
        let testing = section::<TestingSection>(&sections, "testing", &mut problems);
        let staging = section::<StagingSection>(&sections, "staging", &mut problems);
        if let Some(st) = &staging {
            if kind == JobKind::Backup {
                problems.push(problem(
                    "staging",
                    "a staging snapshot holds masked data: only the mask job makes one",
                ));
            }
            for (i, a) in st.share_with.iter().enumerate() {
                if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                    problems.push(problem(
                        &format!("staging.share_with[{i}]"),
                        "must be a 12-digit AWS account id",
                    ));
                }
            }
        }

        if let Some(s) = &source {
            match (&s.snapshot, &s.latest_for_cluster) {
                (Some(_), Some(_)) => problems.push(problem(
                    "source",
                    "give either `snapshot` or `latest_for_cluster`, not both",
                )),
                (None, None) => problems.push(problem(
                    "source",
                    "give `snapshot` (id or ARN) or `latest_for_cluster`",
                )),
                _ => {}
            }
            if let Some(a) = &s.from_account {
                if s.latest_for_cluster.is_none() {
                    problems.push(problem(
                        "source.from_account",
                        "goes with `latest_for_cluster` (a snapshot id or ARN names its owner already)",
                    ));
                }
                if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                    problems.push(problem(
                        "source.from_account",
                        "must be a 12-digit AWS account id",
                    ));
                }
            }
        }
        if let Some(r) = &restore {
            if !r.kms_key_id.starts_with("arn:") || !r.kms_key_id.contains(":key/") {
                problems.push(problem(
                    "restore.kms_key_id",
                    "must be the full ARN of a customer-managed key (arn:aws:kms:REGION:ACCOUNT:key/ID): \
                     aliases and key ids do not work across accounts",
                ));
            }
            const EVENTS: &[&str] = &[
                "CONNECT",
                "QUERY",
                "QUERY_DCL",
                "QUERY_DDL",
                "QUERY_DML",
                "QUERY_DML_NO_SELECT",
                "TABLE",
            ];
            if r.audit_events.is_empty()
                || r.audit_events
                    .split(',')
                    .any(|e| !EVENTS.contains(&e.trim()))
            {
                problems.push(problem(
                    "restore.audit_events",
                    &format!("a comma-separated list of {}", EVENTS.join(", ")),
                ));
            }
            if r.parameter_group.is_some() && r.parameter_family.is_some() {
                problems.push(problem(
                    "restore.parameter_family",
                    "only for the group the run creates; `parameter_group` names an existing one",
                ));
            }
            if r.ttl_hours == 0 {
                problems.push(problem("restore.ttl_hours", "must be at least 1"));
            }
        }
        if let Some(d) = &database {
            if d.name.is_empty() || d.name.contains('`') {
                problems.push(problem("database.name", "must be a plain database name"));
            }
        }
        if dump.threads == Some(0) {
            problems.push(problem("dump.threads", "must be at least 1"));
        }
        if let Some(mb) = dump.chunk_mb {
            if !(mb > 0.0 && mb.is_finite()) {
                problems.push(problem("dump.chunk_mb", "must be a positive number"));
            }
        }
        if let Some(f) = &dump.format {
            if f != "sql" && f != "tsv" {
                problems.push(problem("dump.format", "must be `sql` or `tsv`"));
            }
        }
        match (kind, &dump.rules) {
            (JobKind::Mask, None) => problems.push(problem(
                "dump.rules",
                "the mask job needs the masking rules file",
            )),
            (JobKind::Backup, Some(_)) => problems.push(problem(
                "dump.rules",
                "the backup job dumps unmasked; run `masker-aws mask` to mask",
            )),
            _ => {}
        }
        if let Some(o) = &output {
            let ok =
                o.s3.strip_prefix("s3://")
                    .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
            if !ok {
                problems.push(problem("output.s3", "must be s3://BUCKET[/PREFIX]"));
            }
        }
        if let Some(a) = &audit {
            let bad = a.s3.as_deref().is_some_and(|u| {
                u.strip_prefix("s3://")
                    .is_none_or(|rest| rest.is_empty() || rest.starts_with('/'))
            });
            if bad {
                problems.push(problem("audit.s3", "must be s3://BUCKET[/PREFIX]"));
            }
            if let Some(g) = &a.cloudwatch_log_group {
                if !super::audit_cloudwatch::valid_group_name(g) {
                    problems.push(problem(
                        "audit.cloudwatch_log_group",
                        "must be a log group name: 1 to 512 of A-Z a-z 0-9 _ - / . #",
                    ));
                }
            }
        }
        if let Some(m) = &metrics {
            if m.statsd
                .rsplit_once(':')
                .is_none_or(|(_, p)| p.parse::<u16>().is_err())
            {
                problems.push(problem("metrics.statsd", "must be HOST:PORT"));
            }
        }
        if let Some(t) = &testing {
            for (key, value) in [("fail_after", &t.fail_after), ("pause_step", &t.pause_step)] {
                if let Some(v) = value {
                    if !STEP_NAMES.contains(&v.as_str()) {
                        problems.push(problem(
                            &format!("testing.{key}"),
                            &format!("unknown step; one of {}", STEP_NAMES.join(", ")),
                        ));
                    }
                }
            }
        }
        match (source, restore, database, output, audit) {
            (Some(source), Some(restore), Some(database), Some(output), Some(audit))
                if problems.is_empty() =>
            {
                Ok(JobConfig {
                    aws,
                    source,
                    restore,
                    database,
                    dump,
                    output,
                    audit,
                    metrics,
                    testing,
                    staging,
                })
            }
            _ => Err(problems),
        }
    }
}

fn problem(path: &str, message: &str) -> ConfigProblem {
    ConfigProblem {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

fn section<T: DeserializeOwned>(
    sections: &BTreeMap<&str, toml::Value>,
    name: &str,
    problems: &mut Vec<ConfigProblem>,
) -> Option<T> {
    let value = sections.get(name)?.clone();
    match T::deserialize(value) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(problem(name, e.message().trim()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
[aws]
region = "us-east-1"
endpoint_url = "http://127.0.0.1:5000"
[source]
latest_for_cluster = "prod"
[restore]
kms_key_id = "arn:aws:kms:us-east-1:123456789012:key/abc"
engine = "aurora-mysql"
instance_class = "db.r6g.large"
subnet_group = "platform"
security_groups = ["sg-1"]
master_user = "admin"
ttl_hours = 6
wait_seconds = 60
audit_events = "CONNECT,QUERY_DDL"
parameter_family = "aurora-mysql8.0"
password_secret = true
[database]
name = "shop"
[dump]
threads = 2
chunk_mb = 1.5
format = "tsv"
[output]
s3 = "s3://bucket/backups"
[audit]
path = "audit.jsonl"
s3 = "s3://audit-bucket/logs"
cloudwatch_log_group = "/masker/audit"
stdout = true
[metrics]
statsd = "127.0.0.1:8125"
prefix = "m"
[testing]
database_address = "127.0.0.1:3306"
database_user = "root"
fail_after = "dump"
pause_seconds = 1
pause_step = "preflight"
"#;

    #[test]
    fn every_documented_key_is_accepted() {
        let c = JobConfig::parse(FULL, JobKind::Backup).unwrap();
        assert_eq!(c.restore.ttl_hours, 6);
        assert_eq!(c.dump.format.as_deref(), Some("tsv"));
        assert_eq!(
            c.audit.cloudwatch_log_group.as_deref(),
            Some("/masker/audit")
        );
        assert_eq!(c.testing.unwrap().fail_after.as_deref(), Some("dump"));
    }

    #[test]
    fn all_problems_are_reported_at_once_with_their_paths() {
        let text = FULL
            .replace("ttl_hours = 6", "ttl_hours = 6\nttl = 3")
            .replace("threads = 2", "threads = \"two\"")
            .replace("arn:aws:kms:us-east-1:123456789012:key/abc", "alias/x")
            .replace("[audit]", "[extra]\n[audit]")
            .replace("s3://bucket/backups", "bucket")
            .replace("s3://audit-bucket/logs", "audit-bucket")
            .replace("/masker/audit", "masker:audit");
        let problems = JobConfig::parse(&text, JobKind::Mask).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        for want in [
            "extra",
            "restore.ttl",
            "dump",
            "output.s3",
            "dump.rules",
            "audit.s3",
            "audit.cloudwatch_log_group",
        ] {
            assert!(paths.contains(&want), "{want} missing in {problems:?}");
        }
    }

    #[test]
    fn audit_events_are_aurora_event_names() {
        let text = FULL.replace("CONNECT,QUERY_DDL", "CONNECT,SELECTS");
        let problems = JobConfig::parse(&text, JobKind::Backup).unwrap_err();
        assert_eq!(problems[0].path, "restore.audit_events");
        let text = FULL.replace(
            "wait_seconds = 60",
            "wait_seconds = 60\nparameter_group = \"g\"",
        );
        let problems = JobConfig::parse(&text, JobKind::Backup).unwrap_err();
        assert_eq!(problems[0].path, "restore.parameter_family");
    }

    #[test]
    fn kms_key_must_be_a_full_arn() {
        let text = FULL.replace("arn:aws:kms:us-east-1:123456789012:key/abc", "alias/x");
        let problems = JobConfig::parse(&text, JobKind::Backup).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "restore.kms_key_id");
    }

    #[test]
    fn missing_sections_and_source_choice_are_named() {
        let problems = JobConfig::parse(
            "[source]\nsnapshot = \"a\"\nlatest_for_cluster = \"b\"\n",
            JobKind::Backup,
        )
        .unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        for want in ["source", "restore", "database", "output", "audit"] {
            assert!(paths.contains(&want), "{want} missing in {problems:?}");
        }
    }

    #[test]
    fn staging_is_for_the_mask_job_and_needs_account_ids() {
        let text = format!("{FULL}[staging]\nshare_with = [\"210987654321\", \"12ab\"]\n");
        let problems = JobConfig::parse(&text, JobKind::Backup).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["staging", "staging.share_with[1]"], "{problems:?}");
        let text = text.replace(", \"12ab\"", "");
        let with_rules = text.replace("[dump]\n", "[dump]\nrules = \"r.toml\"\n");
        let c = JobConfig::parse(&with_rules, JobKind::Mask).unwrap();
        assert_eq!(c.staging.unwrap().share_with, ["210987654321"]);
    }

    #[test]
    fn from_account_needs_a_cluster_and_an_account_id() {
        let text = FULL.replace(
            "latest_for_cluster = \"prod\"",
            "latest_for_cluster = \"prod\"\nfrom_account = \"111111111111\"",
        );
        let c = JobConfig::parse(&text, JobKind::Backup).unwrap();
        assert_eq!(c.source.from_account.as_deref(), Some("111111111111"));
        let text = FULL.replace(
            "latest_for_cluster = \"prod\"",
            "snapshot = \"s\"\nfrom_account = \"1111\"",
        );
        let problems = JobConfig::parse(&text, JobKind::Backup).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["source.from_account", "source.from_account"]);
    }

    #[test]
    fn the_job_is_mask_when_rules_are_named() {
        assert_eq!(JobKind::inferred(FULL), JobKind::Backup);
        let with_rules = FULL.replace("[dump]\n", "[dump]\nrules = \"r.toml\"\n");
        assert_eq!(JobKind::inferred(&with_rules), JobKind::Mask);
        assert_eq!(JobKind::parse("mask"), Some(JobKind::Mask));
        assert_eq!(JobKind::parse("x"), None);
    }

    #[test]
    fn unknown_step_in_testing_hooks_is_refused() {
        let text = FULL.replace("fail_after = \"dump\"", "fail_after = \"dumping\"");
        let problems = JobConfig::parse(&text, JobKind::Backup).unwrap_err();
        assert_eq!(problems[0].path, "testing.fail_after");
    }
}
