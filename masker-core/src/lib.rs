//! masker-core: a streaming, zero-copy masking engine for `mysqldump` output.
//!
//! The main types, from the outside in:
//! - [`mask_reader`] / [`mask_slice`]: mask a dump with compiled [`rules::Rules`]
//!   on worker threads; [`Masker`]: the same path in push mode (no threads,
//!   no I/O: push bytes in, get masked bytes out); [`check_reader`]: a dry run;
//!   [`MaskOptions`] sets the thread count; a [`Summary`] says what was done.
//! - [`pipeline`]: reader -> chunker -> workers -> ordered writer.
//! - [`tokenizer`]: byte-level state machines that own no I/O:
//!   [`tokenizer::sql::Splitter`] (statements and row tuples, resumable at any
//!   byte) and [`tokenizer::values::TupleReader`] (values of a tuple list).
//! - [`schema`]: `CREATE TABLE` and `INSERT` headers parsed into column types.
//! - [`rules`]: the TOML rules file, compiled once and bound to each table.
//! - [`engine`]: the one masking path every input and output goes through:
//!   [`engine::Catalog`] -> [`engine::BoundTable`] -> [`engine::RowMasker`].
//! - [`transform`]: keyed, deterministic masking functions.
//! - [`tsv`]: the same masking for `LOAD DATA` text (`mysqldump --tab`).
//! - [`export`]: masked rows as TSV for BigQuery ([`mask_reader_with_export`]).
//! - [`read_schemas`] / [`sample_rows`]: what `masker check` reads.
//! - [`pipeline::visit`]: every row of a run handed to a visitor, decoded;
//!   [`scan`] (which columns look like personal data) and [`leak`] (did any
//!   original value survive masking) are visitors.
//!
//! ```
//! use masker_core::{mask_slice, rules::{Rules, RulesBuilder}};
//!
//! let dump = b"CREATE TABLE `t` (`id` int NOT NULL, `name` varchar(10));\n\
//!              INSERT INTO `t` VALUES (1,'Ann'),(2,NULL);\n";
//! // Empty rules are the identity, byte for byte.
//! assert_eq!(mask_slice(&Rules::empty(), dump).unwrap(), dump);
//!
//! // Rules are compiled and checked once, before any byte is read.
//! let rules = RulesBuilder::new()
//!     .toml("[tables.t]\nname = \"null\"\n", "rules.toml")
//!     .key(b"a secret")
//!     .build()
//!     .unwrap();
//! let masked = mask_slice(&rules, dump).unwrap();
//! assert!(masked.ends_with(b"VALUES (1,NULL),(2,NULL);\n"));
//! ```
#![deny(missing_docs)]

pub mod engine;
pub mod error;
pub mod export;
pub mod leak;
pub mod pipeline;
mod rewrite;
pub mod rules;
pub mod scan;
pub mod schema;
pub mod tokenizer;
pub mod transform;
pub mod tsv;

pub use error::{
    ConfigProblem, ConfigProblemKind, Error, ErrorKind, PlanProblem, PlanProblemKind, Position,
    Result,
};
pub use pipeline::{
    check_reader, mask_reader, mask_reader_with_export, mask_slice, read_schemas, sample_rows,
    ExportConfig, ExportSink, MaskOptions, Masker, Summary, TableSample,
};
