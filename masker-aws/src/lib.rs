//! masker-aws: the platform jobs that run around the masking engine on AWS.
//!
//! Today one capability:
//! - [`provision`]: a local database that matches production. RDS parameter
//!   groups (read through the RDS API, or offline from the JSON that
//!   `aws rds describe-db-parameters` prints) are rendered into a `my.cnf`, a `docker-compose.yml` and the
//!   users' init script, optionally committed to git when they change.
//!
//! Everything here is synchronous and pure except the file and `git` edges
//! and the RDS API reader, which keeps its async runtime to itself.

#![deny(missing_docs)]

pub mod provision;
