//! Provisioning: from RDS parameter groups to a local database that behaves
//! like production.
//!
//! - [`params`]: parameter groups read from `describe-db-parameters` JSON, merged;
//! - [`rds_api`]: the same groups read through the RDS API (the only async code);
//! - [`formula`]: RDS value formulas (`{DBInstanceClassMemory*3/4}`, `LEAST`, ...);
//! - [`engine`]: which local server and image stands in for an RDS engine version;
//! - [`instance_class`]: memory and vCPUs of RDS instance classes;
//! - [`knowledge`]: what each parameter means on that server (write, rename, leave out);
//! - [`render`]: the `my.cnf` text;
//! - [`users`]: users and grants (`init/users.sql`), generated passwords (`.env`);
//! - [`compose`]: the `docker-compose.yml`;
//! - [`output`]: the output files and writing them;
//! - [`git`]: committing the files when a parameter changed.
//!
//! Rendering is pure; only `output` and `git` touch the file system (and
//! `git` runs the `git` command), only `rds_api` the network. Nothing here
//! starts servers or containers.

pub mod compose;
pub mod engine;
pub mod formula;
pub mod git;
pub mod instance_class;
pub mod knowledge;
pub mod output;
pub mod params;
pub mod rds_api;
pub mod render;
pub mod users;
