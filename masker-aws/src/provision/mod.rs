//! Provisioning: from RDS parameter groups to a local database that behaves
//! like production.
//!
//! - [`formula`]: RDS value formulas (`{DBInstanceClassMemory*3/4}`, `LEAST`, ...).
//!
//! This module renders files; it never starts servers or containers.

pub mod formula;
