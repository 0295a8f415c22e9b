//! Provisioning: from RDS parameter groups to a local database that behaves
//! like production.
//!
//! - [`params`]: parameter groups read from `describe-db-parameters` JSON, merged;
//! - [`formula`]: RDS value formulas (`{DBInstanceClassMemory*3/4}`, `LEAST`, ...);
//! - [`engine`]: which local server and image stands in for an RDS engine version;
//! - [`knowledge`]: what each parameter means on that server (write, rename, leave out);
//! - [`render`]: the `my.cnf` text.
//!
//! This module renders files; it never starts servers or containers.

pub mod engine;
pub mod formula;
pub mod knowledge;
pub mod params;
pub mod render;
