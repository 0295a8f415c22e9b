//! masker-mysql: live MySQL/MariaDB servers for masker.
//!
//! - [`connect`]: connection options; the password comes from `MYSQL_PWD`,
//!   a password file or an option file, never the command line, and is never
//!   printed.
//! - [`catalog`]: the tables (largest first), their parsed `CREATE TABLE`,
//!   and views, triggers, routines and events.
//! - [`snapshot`]: N connections that see one consistent snapshot.
//! - [`chunk`]: tables cut along a key so that one table keeps every
//!   connection busy.
//! - [`dump`]: rows streamed into chunk files (SQL or `LOAD DATA` text,
//!   zstd), then [`manifest`] written last.
//! - [`load`]: a dump loaded back on N connections.
//! - [`verify`]: the restore test: file hashes, row counts and
//!   order-independent row digests ([`digest`]) recomputed from the server.
//!
//! - [`scan`]: the PII scan of a live server, on bounded samples of each
//!   table ([`sample`]).
//!
//! - [`monitor`]: sizes, headroom, status, schema drift and rules
//!   staleness as DogStatsD metrics (`masker monitor`).
//!
//! - [`store`] (feature `s3`): dumps written to and read from S3.
//!
//! Network I/O lives here; masker-core stays free of it.
#![deny(missing_docs)]

pub mod catalog;
pub mod chunk;
pub mod connect;
pub mod digest;
pub mod dump;
pub mod encode;
pub mod error;
pub mod files;
pub mod leaks;
pub mod load;
pub mod manifest;
pub mod monitor;
pub mod resume;
pub mod sample;
pub mod scan;
pub mod snapshot;
pub mod source;
pub mod sql;
#[cfg(feature = "s3")]
pub mod store;
pub mod transcode;
pub mod verify;

pub use connect::{ConnectOptions, Connector, TlsMode};
pub use error::{Error, Result};
