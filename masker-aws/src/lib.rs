//! masker-aws: the platform jobs that run around the masking engine on AWS.
//!
//! - [`jobs`]: the Backup and Masking platforms: a production snapshot
//!   restored into a tagged, short-lived cluster, dumped (masked) to S3,
//!   restore-tested and cleaned up, every step in a hash-chained audit log
//!   and measured in DogStatsD (`masker-aws backup|mask|sweep|audit verify`).
//! - [`provision`]: a local database that matches production. RDS parameter
//!   groups (read through the RDS API, or offline from the JSON that
//!   `aws rds describe-db-parameters` prints) are rendered into a `my.cnf`, a `docker-compose.yml` and the
//!   users' init script, optionally committed to git when they change.
//!
//! ```
//! use masker_aws::provision::engine::{local_server, Engine};
//! use masker_aws::provision::formula::Budget;
//! use masker_aws::provision::params::{Level, ParameterGroup};
//! use masker_aws::provision::render::{render_my_cnf, RenderInput};
//!
//! let json = r#"{"Parameters": [
//!   {"ParameterName": "innodb_buffer_pool_size", "ParameterValue": "{DBInstanceClassMemory*3/4}",
//!    "Source": "engine-default"},
//!   {"ParameterName": "time_zone", "ParameterValue": "Asia/Tokyo", "Source": "user"},
//!   {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "Source": "user"}
//! ]}"#;
//! let group = ParameterGroup::from_json("prod", Level::Instance, json)?;
//! let server = local_server(Engine::Mariadb, "10.11.6")?;
//! let cnf = render_my_cnf(&RenderInput {
//!     server: &server,
//!     engine_label: "mariadb 10.11.6",
//!     cluster: None,
//!     instance: Some(&group),
//!     budget: Budget::new(2 << 30, 2), // --memory 2G --cpus 2
//!     overrides: &[],
//! })?;
//! assert!(cnf.text.contains("\ninnodb_buffer_pool_size = 1610612736\n"));
//! assert!(cnf.text.contains("\ndefault_time_zone = Asia/Tokyo\n"));
//! assert!(cnf.text.contains("# rds.force_ssl (instance group `prod`, set in the group): RDS-only"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The provisioning code is synchronous and pure except the file and `git`
//! edges and the RDS API reader, which keeps its async runtime to itself;
//! the jobs are async (the AWS SDK) and run masker-mysql's synchronous
//! dump, load and verify on blocking threads.

#![deny(missing_docs)]

pub mod jobs;
pub mod provision;
