//! The AWS calls of a job: caller identity (STS), the source snapshot and
//! its KMS key, copy, restore, instance, master password, waits with
//! backoff and timeouts, deletes (a missing resource counts as deleted) and
//! the search by tag that `sweep` uses. This module owns the SDK clients
//! (the S3 one serves [`super::s3_versions`]) and turns SDK errors into
//! [`CloudError`]s naming the action and the resource; it must never put
//! the master password into an error or a log.

use std::time::{Duration, Instant, SystemTime};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_kms::types::{KeyManagerType, KeyState};
use aws_sdk_rds::error::DisplayErrorContext;
use aws_sdk_rds::types::{DbClusterSnapshot, Tag};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

use super::config::{AwsSection, RestoreSection, SourceSection};
use super::key_policy::missing_share_actions;
use super::names::{
    parse_rfc3339, RunNames, Secret, TAG_EXPIRES, TAG_JOB, TAG_PLAN, TAG_RUN, TAG_STAGING,
};

/// An AWS call that failed, or a precondition the account does not meet.
#[derive(Debug, thiserror::Error)]
#[error("{action} {resource}: {cause}")]
pub struct CloudError {
    /// The API action (`rds:CopyDBClusterSnapshot`).
    pub action: String,
    /// The resource it was about.
    pub resource: String,
    /// Why.
    pub cause: String,
}

pub(crate) fn fail(action: &str, resource: &str, cause: impl std::fmt::Display) -> CloudError {
    CloudError {
        action: action.to_owned(),
        resource: resource.to_owned(),
        cause: cause.to_string(),
    }
}

/// The SDK clients of one job.
#[derive(Debug, Clone)]
pub struct Aws {
    /// RDS.
    pub rds: aws_sdk_rds::Client,
    sts: aws_sdk_sts::Client,
    kms: aws_sdk_kms::Client,
    secrets: aws_sdk_secretsmanager::Client,
    /// S3, at the endpoint the dump's client (object_store) uses: see
    /// [`s3_endpoint`].
    pub(crate) s3: aws_sdk_s3::Client,
}

/// The SDK configuration of every client: the standard AWS environment's
/// credentials, the section's region and endpoint, TLS through rustls.
pub async fn sdk_config(s: &AwsSection) -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    if let Some(r) = &s.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(url) = &s.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

impl Aws {
    /// Clients of [`sdk_config`].
    pub async fn new(s: &AwsSection) -> Aws {
        let config = sdk_config(s).await;
        let mut s3 = aws_sdk_s3::config::Builder::from(&config);
        if let Some(url) = s3_endpoint(|k| std::env::var(k).ok(), s) {
            // A local or private endpoint: path-style requests, as the
            // dump's client makes them.
            s3 = s3.endpoint_url(url).force_path_style(true);
        }
        Aws {
            rds: aws_sdk_rds::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            kms: aws_sdk_kms::Client::new(&config),
            secrets: aws_sdk_secretsmanager::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3.build()),
        }
    }

    /// The caller's account and ARN.
    pub async fn caller(&self) -> Result<(String, String), CloudError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| fail("sts:GetCallerIdentity", "-", DisplayErrorContext(e)))?;
        Ok((
            out.account().unwrap_or_default().to_owned(),
            out.arn().unwrap_or_default().to_owned(),
        ))
    }
}

/// The S3 endpoint of the job's S3 client: the one the dump's client
/// (object_store) reads from the environment (`AWS_ENDPOINT_URL` or
/// `AWS_ENDPOINT`), since the objects to delete are where it wrote them;
/// else `[aws] endpoint_url`; `None`: AWS's own. `env` reads a variable.
pub fn s3_endpoint(env: impl Fn(&str) -> Option<String>, s: &AwsSection) -> Option<String> {
    ["AWS_ENDPOINT_URL", "AWS_ENDPOINT"]
        .into_iter()
        .find_map(|k| env(k).filter(|v| !v.is_empty()))
        .or_else(|| s.endpoint_url.clone())
}

/// The source snapshot.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// Identifier.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// The cluster it was taken of.
    pub cluster: String,
    /// Its KMS key (ARN or id) when encrypted.
    pub kms_key_id: Option<String>,
    /// Engine version.
    pub engine_version: String,
}

/// Find the snapshot the `[source]` section names: an id or ARN; or the
/// latest available one of a cluster, of this account or (with
/// `from_account`) shared with it by that account.
pub async fn find_snapshot(aws: &Aws, s: &SourceSection) -> Result<Snapshot, CloudError> {
    let action = "rds:DescribeDBClusterSnapshots";
    let cluster = s.latest_for_cluster.clone().unwrap_or_default();
    let (what, base) = if let Some(id) = &s.snapshot {
        let req = aws
            .rds
            .describe_db_cluster_snapshots()
            .include_shared(true)
            .db_cluster_snapshot_identifier(id);
        (id.clone(), req)
    } else if let Some(account) = &s.from_account {
        // Shared snapshots carry the owner's cluster name; the API cannot
        // filter them by it, so every shared snapshot is read and filtered.
        let req = aws
            .rds
            .describe_db_cluster_snapshots()
            .include_shared(true)
            .snapshot_type("shared");
        (
            format!("latest snapshot of cluster {cluster} shared by account {account}"),
            req,
        )
    } else {
        let req = aws
            .rds
            .describe_db_cluster_snapshots()
            .include_shared(true)
            .db_cluster_identifier(&cluster);
        (format!("latest snapshot of cluster {cluster}"), req)
    };
    let all: Vec<DbClusterSnapshot> = base
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| fail(action, &what, DisplayErrorContext(e)))?;
    let (want_cluster, owner) = match (&s.snapshot, &s.from_account) {
        (Some(_), _) => (None, None),
        (None, account) => (Some(cluster.as_str()), account.as_deref()),
    };
    let best = latest(&all, want_cluster, owner)
        .ok_or_else(|| fail(action, &what, "no available snapshot found"))?;
    Ok(Snapshot {
        id: best
            .db_cluster_snapshot_identifier()
            .unwrap_or_default()
            .to_owned(),
        arn: best
            .db_cluster_snapshot_arn()
            .unwrap_or_default()
            .to_owned(),
        cluster: best.db_cluster_identifier().unwrap_or_default().to_owned(),
        kms_key_id: best
            .kms_key_id()
            .filter(|_| best.storage_encrypted().unwrap_or(false))
            .map(str::to_owned),
        engine_version: best.engine_version().unwrap_or_default().to_owned(),
    })
}

/// The newest available snapshot, of `cluster` when given, owned by
/// `account` (the account field of its ARN) when given.
fn latest<'a>(
    snapshots: &'a [DbClusterSnapshot],
    cluster: Option<&str>,
    account: Option<&str>,
) -> Option<&'a DbClusterSnapshot> {
    snapshots
        .iter()
        .filter(|x| x.status() == Some("available"))
        .filter(|x| cluster.is_none_or(|c| x.db_cluster_identifier() == Some(c)))
        .filter(|x| {
            account.is_none_or(|a| {
                x.db_cluster_snapshot_arn()
                    .and_then(|arn| arn.split(':').nth(4))
                    == Some(a)
            })
        })
        .max_by_key(|x| {
            x.snapshot_create_time()
                .map(|t| (t.secs(), t.subsec_nanos()))
        })
}

/// Whether a key can protect a snapshot shared with another account.
async fn customer_managed(aws: &Aws, key: &str) -> Result<bool, String> {
    match aws.kms.describe_key().key_id(key).send().await {
        Ok(out) => {
            let m = out.key_metadata();
            if m.and_then(|m| m.key_state()) != Some(&KeyState::Enabled) {
                return Err("the key is not enabled".into());
            }
            Ok(m.and_then(|m| m.key_manager()) == Some(&KeyManagerType::Customer))
        }
        Err(e) => Err(DisplayErrorContext(e).to_string()),
    }
}

/// Check the keys before any work: the copy's key must be an enabled
/// customer-managed key, and a source snapshot under the default `aws/rds`
/// key (or any AWS-managed key) is refused, since it cannot be shared.
pub async fn check_keys(aws: &Aws, snap: &Snapshot, r: &RestoreSection) -> Result<(), CloudError> {
    let action = "kms:DescribeKey";
    match customer_managed(aws, &r.kms_key_id).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(fail(
                action,
                &r.kms_key_id,
                "restore.kms_key_id is an AWS-managed key: snapshots under it cannot be shared; use a customer-managed key",
            ))
        }
        Err(e) => return Err(fail(action, &r.kms_key_id, format!("restore.kms_key_id: {e}"))),
    }
    if let Some(key) = &snap.kms_key_id {
        let aws_managed =
            key.contains("alias/aws/") || !matches!(customer_managed(aws, key).await, Ok(true));
        if aws_managed {
            return Err(fail(
                action,
                &snap.arn,
                format!(
                    "the snapshot is encrypted with the default aws/rds key (or another key that is not \
                     customer-managed: {key}), which cannot be shared across accounts; have the product \
                     account copy it under a customer-managed key and share that key with this account"
                ),
            ));
        }
    }
    Ok(())
}

/// Before any work of a job that shares its staging snapshot: the key it
/// is encrypted with (`restore.kms_key_id`) must let every account in
/// `accounts` use it (its key policy, `kms:GetKeyPolicy`), or the shared
/// snapshot is useless to them.
pub async fn check_share_key(aws: &Aws, key: &str, accounts: &[String]) -> Result<(), CloudError> {
    let action = "kms:GetKeyPolicy";
    let out = aws
        .kms
        .get_key_policy()
        .key_id(key)
        .policy_name("default")
        .send()
        .await
        .map_err(|e| fail(action, key, DisplayErrorContext(e)))?;
    let policy = out.policy().unwrap_or_default();
    let mut problems = Vec::new();
    for a in accounts {
        let missing = missing_share_actions(policy, a).map_err(|e| fail(action, key, e))?;
        if !missing.is_empty() {
            problems.push(format!("account {a} lacks {}", missing.join(", ")));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(fail(
            action,
            key,
            format!(
                "the key policy of restore.kms_key_id does not let staging.share_with use the \
                 shared snapshot: {}; add them to the key policy",
                problems.join("; ")
            ),
        ))
    }
}

fn tags(run: &RunNames, job: &str) -> Vec<Tag> {
    [
        (TAG_RUN, &run.run_id),
        (TAG_EXPIRES, &run.expires),
        (TAG_JOB, &job.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| Tag::builder().key(k).value(v).build())
    .collect()
}

/// Copy the snapshot under the configured key, tagged; wait until available.
pub async fn copy_snapshot(
    aws: &Aws,
    snap: &Snapshot,
    r: &RestoreSection,
    run: &RunNames,
    job: &str,
) -> Result<String, CloudError> {
    let id = run.copy_id();
    let out = aws
        .rds
        .copy_db_cluster_snapshot()
        .source_db_cluster_snapshot_identifier(&snap.arn)
        .target_db_cluster_snapshot_identifier(&id)
        .kms_key_id(&r.kms_key_id)
        .set_tags(Some(tags(run, job)))
        .send()
        .await
        .map_err(|e| fail("rds:CopyDBClusterSnapshot", &id, DisplayErrorContext(e)))?;
    let arn = out
        .db_cluster_snapshot()
        .and_then(|s| s.db_cluster_snapshot_arn())
        .unwrap_or_default()
        .to_owned();
    wait(
        r.wait_seconds,
        "rds:DescribeDBClusterSnapshots",
        &id,
        || async {
            let out = aws
                .rds
                .describe_db_cluster_snapshots()
                .db_cluster_snapshot_identifier(&id)
                .send()
                .await
                .map_err(|e| DisplayErrorContext(e).to_string())?;
            Ok(out
                .db_cluster_snapshots()
                .first()
                .and_then(|s| s.status())
                .map(str::to_owned))
        },
    )
    .await?;
    Ok(arn)
}

/// The restored cluster.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Restored {
    /// ARN.
    pub arn: String,
    /// Writer endpoint host name.
    pub endpoint: String,
    /// Port.
    pub port: u16,
}

/// Restore the copy into a new cluster with `parameter_group` (database
/// auditing on) and its audit log exported to CloudWatch Logs, tagged (a
/// sharded run's cluster also with its `plan` prefix, for `sweep`); wait
/// until available.
pub async fn restore_cluster(
    aws: &Aws,
    r: &RestoreSection,
    run: &RunNames,
    job: &str,
    parameter_group: &str,
    plan: Option<&str>,
) -> Result<Restored, CloudError> {
    let id = run.cluster_id();
    let mut tags = tags(run, job);
    if let Some(p) = plan {
        tags.push(Tag::builder().key(TAG_PLAN).value(p).build());
    }
    aws.rds
        .restore_db_cluster_from_snapshot()
        .db_cluster_identifier(&id)
        .snapshot_identifier(run.copy_id())
        .engine(&r.engine)
        .db_cluster_parameter_group_name(parameter_group)
        .set_db_subnet_group_name(r.subnet_group.clone())
        .set_vpc_security_group_ids(Some(r.security_groups.clone()).filter(|v| !v.is_empty()))
        .kms_key_id(&r.kms_key_id)
        .enable_cloudwatch_logs_exports("audit")
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(|e| {
            fail(
                "rds:RestoreDBClusterFromSnapshot",
                &id,
                DisplayErrorContext(e),
            )
        })?;
    wait(r.wait_seconds, "rds:DescribeDBClusters", &id, || async {
        Ok(describe_cluster(aws, &id)
            .await?
            .and_then(|c| c.status().map(str::to_owned)))
    })
    .await?;
    let c = describe_cluster(aws, &id)
        .await
        .map_err(|e| fail("rds:DescribeDBClusters", &id, e))?
        .ok_or_else(|| fail("rds:DescribeDBClusters", &id, "the cluster vanished"))?;
    Ok(Restored {
        arn: c.db_cluster_arn().unwrap_or_default().to_owned(),
        endpoint: c.endpoint().unwrap_or_default().to_owned(),
        port: c.port().and_then(|p| u16::try_from(p).ok()).unwrap_or(3306),
    })
}

async fn describe_cluster(
    aws: &Aws,
    id: &str,
) -> Result<Option<aws_sdk_rds::types::DbCluster>, String> {
    match aws
        .rds
        .describe_db_clusters()
        .db_cluster_identifier(id)
        .send()
        .await
    {
        Ok(out) => Ok(out.db_clusters().first().cloned()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_db_cluster_not_found_fault()) =>
        {
            Ok(None)
        }
        Err(e) => Err(DisplayErrorContext(e).to_string()),
    }
}

/// Create the cluster's instance, tagged; wait until available.
pub async fn create_instance(
    aws: &Aws,
    r: &RestoreSection,
    run: &RunNames,
    job: &str,
) -> Result<String, CloudError> {
    let id = run.instance_id();
    let out = aws
        .rds
        .create_db_instance()
        .db_instance_identifier(&id)
        .db_cluster_identifier(run.cluster_id())
        .engine(&r.engine)
        .db_instance_class(&r.instance_class)
        .set_tags(Some(tags(run, job)))
        .send()
        .await
        .map_err(|e| fail("rds:CreateDBInstance", &id, DisplayErrorContext(e)))?;
    let arn = out
        .db_instance()
        .and_then(|i| i.db_instance_arn())
        .unwrap_or_default()
        .to_owned();
    wait(r.wait_seconds, "rds:DescribeDBInstances", &id, || async {
        let out = aws
            .rds
            .describe_db_instances()
            .db_instance_identifier(&id)
            .send()
            .await
            .map_err(|e| DisplayErrorContext(e).to_string())?;
        Ok(out
            .db_instances()
            .first()
            .and_then(|i| i.db_instance_status())
            .map(str::to_owned))
    })
    .await?;
    Ok(arn)
}

/// The cluster parameter group family of an engine version
/// (`aurora-mysql` `8.0.mysql_aurora.3.05.2` -> `aurora-mysql8.0`), or
/// `None` when it cannot be told.
pub fn parameter_family(engine: &str, engine_version: &str) -> Option<String> {
    let v = engine_version;
    let mysql = if v.starts_with("8.0") || v.starts_with("3.") {
        "8.0"
    } else if v.starts_with("5.7") || v.starts_with("2.") {
        "5.7"
    } else if v.starts_with("8.4") {
        "8.4"
    } else {
        return None;
    };
    match engine {
        "aurora-mysql" => Some(format!("aurora-mysql{mysql}")),
        "mysql" => Some(format!("mysql{}", &v[..3.min(v.len())])),
        _ => None,
    }
}

/// Create the run's cluster parameter group (`masker-<run id>-audit`,
/// tagged) with database auditing on from the first minute:
/// `server_audit_logging = 1` and `server_audit_events = events`. Returns
/// its ARN.
pub async fn create_audit_group(
    aws: &Aws,
    run: &RunNames,
    job: &str,
    family: &str,
    events: &str,
) -> Result<String, CloudError> {
    let name = run.audit_group_id();
    let out = aws
        .rds
        .create_db_cluster_parameter_group()
        .db_cluster_parameter_group_name(&name)
        .db_parameter_group_family(family)
        .description(format!("masker run {}: database auditing on", run.run_id))
        .set_tags(Some(tags(run, job)))
        .send()
        .await
        .map_err(|e| {
            fail(
                "rds:CreateDBClusterParameterGroup",
                &name,
                DisplayErrorContext(e),
            )
        })?;
    let params = [
        ("server_audit_logging", "1"),
        ("server_audit_events", events),
    ]
    .into_iter()
    .map(|(k, v)| {
        aws_sdk_rds::types::Parameter::builder()
            .parameter_name(k)
            .parameter_value(v)
            .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
            .build()
    })
    .collect();
    aws.rds
        .modify_db_cluster_parameter_group()
        .db_cluster_parameter_group_name(&name)
        .set_parameters(Some(params))
        .send()
        .await
        .map_err(|e| {
            fail(
                "rds:ModifyDBClusterParameterGroup",
                &name,
                DisplayErrorContext(e),
            )
        })?;
    Ok(out
        .db_cluster_parameter_group()
        .and_then(|g| g.db_cluster_parameter_group_arn())
        .unwrap_or(&name)
        .to_owned())
}

/// Delete a cluster parameter group (after the cluster using it is gone).
pub async fn delete_parameter_group(aws: &Aws, name: &str) -> Result<Deleted, CloudError> {
    match aws
        .rds
        .delete_db_cluster_parameter_group()
        .db_cluster_parameter_group_name(name)
        .send()
        .await
    {
        Ok(_) => Ok(Deleted::Yes),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_db_parameter_group_not_found_fault()) =>
        {
            Ok(Deleted::Missing)
        }
        Err(e) => Err(fail(
            "rds:DeleteDBClusterParameterGroup",
            name,
            DisplayErrorContext(e),
        )),
    }
}

/// Wait until a deleted instance or cluster is gone (RDS deletes them in
/// the background: a cluster cannot go while its instance is deleting, nor
/// its parameter group while the cluster is), with backoff up to
/// `timeout_s` seconds.
pub async fn wait_gone(aws: &Aws, kind: Kind, id: &str, timeout_s: u64) -> Result<(), CloudError> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(200);
    loop {
        let present = match kind {
            Kind::Instance => match aws
                .rds
                .describe_db_instances()
                .db_instance_identifier(id)
                .send()
                .await
            {
                Ok(out) => !out.db_instances().is_empty(),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_db_instance_not_found_fault()) =>
                {
                    false
                }
                Err(e) => return Err(fail("rds:DescribeDBInstances", id, DisplayErrorContext(e))),
            },
            Kind::Cluster => describe_cluster(aws, id)
                .await
                .map_err(|e| fail("rds:DescribeDBClusters", id, e))?
                .is_some(),
            _ => false,
        };
        if !present {
            return Ok(());
        }
        if started.elapsed() >= Duration::from_secs(timeout_s) {
            return Err(fail(
                "rds:Describe",
                id,
                format!("still being deleted after {timeout_s} s (restore.wait_seconds)"),
            ));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

/// Set the restored cluster's master password, applied at once.
pub async fn set_password(aws: &Aws, run: &RunNames, password: &Secret) -> Result<(), CloudError> {
    let id = run.cluster_id();
    aws.rds
        .modify_db_cluster()
        .db_cluster_identifier(&id)
        .master_user_password(password.expose())
        .apply_immediately(true)
        .send()
        .await
        // The error names the action and the cluster; the SDK's error does
        // not carry the request parameters.
        .map_err(|e| fail("rds:ModifyDBCluster", &id, DisplayErrorContext(e)))?;
    Ok(())
}

/// Keep the master password in Secrets Manager for the shards of a run
/// (`masker/<run id>/master-password`, encrypted with `kms_key_id`, tagged
/// with the run id and expiry so that cleanup and `sweep` delete it, and
/// with a sharded run's `plan` prefix). Returns the secret's ARN; the value
/// never leaves the request.
pub async fn store_password(
    aws: &Aws,
    run: &RunNames,
    job: &str,
    kms_key_id: &str,
    password: &Secret,
    plan: Option<&str>,
) -> Result<String, CloudError> {
    let name = secret_name(run);
    let tags = [
        (TAG_RUN, run.run_id.as_str()),
        (TAG_EXPIRES, run.expires.as_str()),
        (TAG_JOB, job),
    ]
    .into_iter()
    .chain(plan.map(|p| (TAG_PLAN, p)))
    .map(|(k, v)| {
        aws_sdk_secretsmanager::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
    })
    .collect();
    let out = aws
        .secrets
        .create_secret()
        .name(&name)
        .kms_key_id(kms_key_id)
        .secret_string(password.expose())
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(|e| fail("secretsmanager:CreateSecret", &name, DisplayErrorContext(e)))?;
    Ok(out.arn().unwrap_or(&name).to_owned())
}

/// The name of a run's password secret.
pub fn secret_name(run: &RunNames) -> String {
    format!("masker/{}/master-password", run.run_id)
}

/// Read the master password a plan stored.
pub async fn read_password(aws: &Aws, secret: &str) -> Result<Secret, CloudError> {
    let action = "secretsmanager:GetSecretValue";
    let out = aws
        .secrets
        .get_secret_value()
        .secret_id(secret)
        .send()
        .await
        .map_err(|e| fail(action, secret, DisplayErrorContext(e)))?;
    out.secret_string()
        .map(|s| Secret::from_stored(s.to_owned()))
        .ok_or_else(|| fail(action, secret, "the secret holds no string"))
}

/// Delete a secret at once (no recovery window).
pub async fn delete_secret(aws: &Aws, secret: &str) -> Result<Deleted, CloudError> {
    match aws
        .secrets
        .delete_secret()
        .secret_id(secret)
        .force_delete_without_recovery(true)
        .send()
        .await
    {
        Ok(_) => Ok(Deleted::Yes),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(Deleted::Missing)
        }
        Err(e) => Err(fail(
            "secretsmanager:DeleteSecret",
            secret,
            DisplayErrorContext(e),
        )),
    }
}

/// Snapshot the restored cluster (holding the masked data) as
/// `masker-<run id>-staging`, share it with `accounts`, wait until
/// available. It is the job's product: tagged `masker:staging-of-run`, not
/// with the run id or an expiry, so neither cleanup nor `sweep` deletes it.
pub async fn staging_snapshot(
    aws: &Aws,
    run: &RunNames,
    job: &str,
    accounts: &[String],
    wait_seconds: u64,
) -> Result<String, CloudError> {
    let id = run.staging_id();
    let tags = vec![
        Tag::builder().key(TAG_STAGING).value(&run.run_id).build(),
        Tag::builder().key(TAG_JOB).value(job).build(),
    ];
    let out = aws
        .rds
        .create_db_cluster_snapshot()
        .db_cluster_identifier(run.cluster_id())
        .db_cluster_snapshot_identifier(&id)
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(|e| fail("rds:CreateDBClusterSnapshot", &id, DisplayErrorContext(e)))?;
    let arn = out
        .db_cluster_snapshot()
        .and_then(|s| s.db_cluster_snapshot_arn())
        .unwrap_or_default()
        .to_owned();
    wait(
        wait_seconds,
        "rds:DescribeDBClusterSnapshots",
        &id,
        || async {
            let out = aws
                .rds
                .describe_db_cluster_snapshots()
                .db_cluster_snapshot_identifier(&id)
                .send()
                .await
                .map_err(|e| DisplayErrorContext(e).to_string())?;
            Ok(out
                .db_cluster_snapshots()
                .first()
                .and_then(|s| s.status())
                .map(str::to_owned))
        },
    )
    .await?;
    if !accounts.is_empty() {
        aws.rds
            .modify_db_cluster_snapshot_attribute()
            .db_cluster_snapshot_identifier(&id)
            .attribute_name("restore")
            .set_values_to_add(Some(accounts.to_vec()))
            .send()
            .await
            .map_err(|e| {
                fail(
                    "rds:ModifyDBClusterSnapshotAttribute",
                    &id,
                    DisplayErrorContext(e),
                )
            })?;
    }
    Ok(arn)
}

/// Poll `status` with backoff (1 s doubling to 30 s) until it says
/// `available`, failing after `timeout_s` seconds or on a failed state.
async fn wait<F, Fut>(timeout_s: u64, action: &str, id: &str, status: F) -> Result<(), CloudError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, String>>,
{
    let started = Instant::now();
    let mut delay = Duration::from_millis(200);
    loop {
        match status().await.map_err(|e| fail(action, id, e))? {
            Some(s) if s == "available" => return Ok(()),
            Some(s) if s.contains("fail") || s == "incompatible-restore" => {
                return Err(fail(action, id, format!("status `{s}`")))
            }
            _ => {}
        }
        if started.elapsed() >= Duration::from_secs(timeout_s) {
            return Err(fail(
                action,
                id,
                format!("not available after {timeout_s} s (restore.wait_seconds)"),
            ));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

/// What a delete did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted (or deletion started).
    Yes,
    /// It did not exist.
    Missing,
}

/// Delete an instance (no final snapshot).
pub async fn delete_instance(aws: &Aws, id: &str) -> Result<Deleted, CloudError> {
    match aws
        .rds
        .delete_db_instance()
        .db_instance_identifier(id)
        .skip_final_snapshot(true)
        .send()
        .await
    {
        Ok(_) => Ok(Deleted::Yes),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_db_instance_not_found_fault()) =>
        {
            Ok(Deleted::Missing)
        }
        Err(e) => Err(fail("rds:DeleteDBInstance", id, DisplayErrorContext(e))),
    }
}

/// Delete a cluster (no final snapshot).
pub async fn delete_cluster(aws: &Aws, id: &str) -> Result<Deleted, CloudError> {
    match aws
        .rds
        .delete_db_cluster()
        .db_cluster_identifier(id)
        .skip_final_snapshot(true)
        .send()
        .await
    {
        Ok(_) => Ok(Deleted::Yes),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_db_cluster_not_found_fault()) =>
        {
            Ok(Deleted::Missing)
        }
        Err(e) => Err(fail("rds:DeleteDBCluster", id, DisplayErrorContext(e))),
    }
}

/// Delete a cluster snapshot.
pub async fn delete_snapshot(aws: &Aws, id: &str) -> Result<Deleted, CloudError> {
    match aws
        .rds
        .delete_db_cluster_snapshot()
        .db_cluster_snapshot_identifier(id)
        .send()
        .await
    {
        Ok(_) => Ok(Deleted::Yes),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_db_cluster_snapshot_not_found_fault()) =>
        {
            Ok(Deleted::Missing)
        }
        Err(e) => Err(fail(
            "rds:DeleteDBClusterSnapshot",
            id,
            DisplayErrorContext(e),
        )),
    }
}

/// Kinds of resources a run creates, in deletion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A DB instance.
    Instance,
    /// A DB cluster.
    Cluster,
    /// A DB cluster snapshot.
    Snapshot,
    /// A Secrets Manager secret (the master password of a sharded run).
    Secret,
    /// A DB cluster parameter group (database auditing on).
    ParameterGroup,
}

/// A resource tagged by a run.
#[derive(Debug, Clone)]
pub struct Tagged {
    /// Kind.
    pub kind: Kind,
    /// Identifier.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Its run id tag.
    pub run_id: String,
    /// Its expiry tag, parsed (`None`: missing or unreadable).
    pub expires: Option<SystemTime>,
    /// Its plan tag: the `s3://` prefix of a sharded run's plan.
    pub plan_url: Option<String>,
}

/// Every instance, cluster, cluster snapshot, cluster parameter group
/// (named `masker-*`) and secret carrying a run id tag.
pub async fn tagged_resources(aws: &Aws) -> Result<Vec<Tagged>, CloudError> {
    let mut found: Vec<(Kind, String, String)> = Vec::new();
    let instances = aws
        .rds
        .describe_db_instances()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| fail("rds:DescribeDBInstances", "-", DisplayErrorContext(e)))?;
    for i in instances {
        found.push((
            Kind::Instance,
            i.db_instance_identifier().unwrap_or_default().into(),
            i.db_instance_arn().unwrap_or_default().into(),
        ));
    }
    let clusters = aws
        .rds
        .describe_db_clusters()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| fail("rds:DescribeDBClusters", "-", DisplayErrorContext(e)))?;
    for c in clusters {
        found.push((
            Kind::Cluster,
            c.db_cluster_identifier().unwrap_or_default().into(),
            c.db_cluster_arn().unwrap_or_default().into(),
        ));
    }
    let snapshots = aws
        .rds
        .describe_db_cluster_snapshots()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| {
            fail(
                "rds:DescribeDBClusterSnapshots",
                "-",
                DisplayErrorContext(e),
            )
        })?;
    for s in snapshots {
        found.push((
            Kind::Snapshot,
            s.db_cluster_snapshot_identifier()
                .unwrap_or_default()
                .into(),
            s.db_cluster_snapshot_arn().unwrap_or_default().into(),
        ));
    }
    let groups = aws
        .rds
        .describe_db_cluster_parameter_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| {
            fail(
                "rds:DescribeDBClusterParameterGroups",
                "-",
                DisplayErrorContext(e),
            )
        })?;
    for g in groups {
        let name = g.db_cluster_parameter_group_name().unwrap_or_default();
        // Only groups a run may have made (the default groups have no tags).
        if name.starts_with("masker-") {
            found.push((
                Kind::ParameterGroup,
                name.into(),
                g.db_cluster_parameter_group_arn()
                    .unwrap_or_default()
                    .into(),
            ));
        }
    }
    let mut tagged = Vec::new();
    let pages = aws
        .secrets
        .list_secrets()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| fail("secretsmanager:ListSecrets", "-", DisplayErrorContext(e)))?;
    for s in pages.iter().flat_map(|p| p.secret_list()) {
        let tag = |k: &str| {
            s.tags()
                .iter()
                .find(|t| t.key() == Some(k))
                .and_then(|t| t.value())
                .map(str::to_owned)
        };
        if let Some(run_id) = tag(TAG_RUN) {
            tagged.push(Tagged {
                kind: Kind::Secret,
                id: s.arn().unwrap_or_default().to_owned(),
                arn: s.arn().unwrap_or_default().to_owned(),
                run_id,
                expires: tag(TAG_EXPIRES).as_deref().and_then(parse_rfc3339),
                plan_url: tag(TAG_PLAN),
            });
        }
    }
    for (kind, id, arn) in found {
        let out = aws
            .rds
            .list_tags_for_resource()
            .resource_name(&arn)
            .send()
            .await
            .map_err(|e| fail("rds:ListTagsForResource", &arn, DisplayErrorContext(e)))?;
        let tag = |k: &str| {
            out.tag_list()
                .iter()
                .find(|t| t.key() == Some(k))
                .and_then(|t| t.value())
                .map(str::to_owned)
        };
        if let Some(run_id) = tag(TAG_RUN) {
            tagged.push(Tagged {
                kind,
                id,
                arn,
                run_id,
                expires: tag(TAG_EXPIRES).as_deref().and_then(parse_rfc3339),
                plan_url: tag(TAG_PLAN),
            });
        }
    }
    Ok(tagged)
}

/// Delete one tagged resource.
pub async fn delete(aws: &Aws, kind: Kind, id: &str) -> Result<Deleted, CloudError> {
    match kind {
        Kind::Instance => delete_instance(aws, id).await,
        Kind::Cluster => delete_cluster(aws, id).await,
        Kind::Snapshot => delete_snapshot(aws, id).await,
        Kind::Secret => delete_secret(aws, id).await,
        Kind::ParameterGroup => delete_parameter_group(aws, id).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_rds::primitives::DateTime;

    fn snap(id: &str, account: &str, cluster: &str, status: &str, t: i64) -> DbClusterSnapshot {
        DbClusterSnapshot::builder()
            .db_cluster_snapshot_identifier(id)
            .db_cluster_snapshot_arn(format!(
                "arn:aws:rds:us-east-1:{account}:cluster-snapshot:{id}"
            ))
            .db_cluster_identifier(cluster)
            .status(status)
            .snapshot_create_time(DateTime::from_secs(t))
            .build()
    }

    #[test]
    fn the_s3_endpoint_is_the_dump_clients_then_the_job_files() {
        let section = |url: Option<&str>| AwsSection {
            region: None,
            endpoint_url: url.map(str::to_owned),
        };
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let with_both = env(&[("AWS_ENDPOINT", "http://s3.local:9000")]);
        assert_eq!(
            s3_endpoint(with_both, &section(Some("http://api.local"))).as_deref(),
            Some("http://s3.local:9000")
        );
        let url_first = env(&[
            ("AWS_ENDPOINT_URL", "http://a:1"),
            ("AWS_ENDPOINT", "http://b:2"),
        ]);
        assert_eq!(
            s3_endpoint(url_first, &section(None)).as_deref(),
            Some("http://a:1")
        );
        let empty = env(&[("AWS_ENDPOINT", "")]);
        assert_eq!(
            s3_endpoint(empty, &section(Some("http://api.local"))).as_deref(),
            Some("http://api.local")
        );
        assert_eq!(s3_endpoint(env(&[]), &section(None)), None);
    }

    #[test]
    fn parameter_families_follow_the_engine_version() {
        let f = |e, v| parameter_family(e, v);
        assert_eq!(
            f("aurora-mysql", "8.0.mysql_aurora.3.05.2").as_deref(),
            Some("aurora-mysql8.0")
        );
        assert_eq!(
            f("aurora-mysql", "5.7.mysql_aurora.2.11.2").as_deref(),
            Some("aurora-mysql5.7")
        );
        assert_eq!(
            f("aurora-mysql", "3.04.0").as_deref(),
            Some("aurora-mysql8.0")
        );
        assert_eq!(f("mysql", "8.0.35").as_deref(), Some("mysql8.0"));
        assert_eq!(f("aurora-postgresql", "15.4"), None);
        assert_eq!(f("aurora-mysql", ""), None);
    }

    #[test]
    fn the_latest_available_snapshot_of_the_cluster_and_owner_is_chosen() {
        let all = [
            snap("old", "111111111111", "prod", "available", 10),
            snap("new", "111111111111", "prod", "available", 30),
            snap("creating", "111111111111", "prod", "creating", 40),
            snap("other-cluster", "111111111111", "stage", "available", 50),
            snap("other-owner", "222222222222", "prod", "available", 60),
        ];
        let id = |s: Option<&DbClusterSnapshot>| {
            s.and_then(|s| s.db_cluster_snapshot_identifier())
                .map(str::to_owned)
        };
        assert_eq!(
            id(latest(&all, Some("prod"), Some("111111111111"))).as_deref(),
            Some("new")
        );
        assert_eq!(
            id(latest(&all, Some("prod"), None)).as_deref(),
            Some("other-owner")
        );
        assert_eq!(id(latest(&all, Some("prod"), Some("333333333333"))), None);
        assert_eq!(id(latest(&all, None, None)).as_deref(), Some("other-owner"));
    }
}
