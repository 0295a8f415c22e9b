//! The Backup and Masking platform jobs on RDS/Aurora: a production
//! snapshot copied, restored, dumped (masked for the mask job) to S3,
//! restore-tested, and everything cleaned up, each step audited and
//! measured.
//!
//! - [`config`][]: the job file.
//! - [`names`][]: run id, resource identifiers, tags, the master password.
//! - [`cloud`][]: the AWS calls.
//! - [`key_policy`][]: whether a KMS key policy lets the share accounts use
//!   the staging snapshot.
//! - [`run`][]: the steps, their state and the cleanup; `sweep`; the
//!   sharded run's `plan`, `run-shard`, `finish` and `cleanup`.
//! - [`shards`][]: the plan of a sharded run, tables dealt to shards.
//! - [`s3_versions`][]: a run's objects under an S3 prefix deleted for
//!   good (every version, unfinished uploads) and checked gone.
//! - [`plan_objects`][]: a sharded run's objects under its plan prefix,
//!   deleted (every version) when the run ends.
//! - [`dump_objects`][]: a run's dump, deleted (every version) when it
//!   leaks or the run fails before its manifest.
//! - [`state_machine`][]: the Step Functions definition of a sharded run.
//! - [`audit`][]: the hash-chained audit log.
//! - [`audit_cloudwatch`][]: its copy in CloudWatch Logs, and reading it back.
//! - [`metrics`][]: DogStatsD.

pub mod audit;
pub mod audit_cloudwatch;
pub mod cloud;
pub mod config;
pub mod dump_objects;
pub mod key_policy;
pub mod metrics;
pub mod names;
pub mod plan_objects;
pub mod run;
pub mod s3_versions;
pub mod shards;
pub mod state_machine;
