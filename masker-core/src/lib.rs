//! masker-core: a streaming, zero-copy masking engine for `mysqldump` output.
#![deny(missing_docs)]

pub mod error;
pub mod rules;
pub mod schema;
pub mod transform;

pub use error::{Error, ErrorKind, Position, Result};
