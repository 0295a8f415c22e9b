//! The one masking path: every input and output masks rows here.
//!
//! Whatever the input (SQL literals of a dump, `LOAD DATA` text, rows read
//! from a live server) and whatever the output (masked SQL, masked TSV, the
//! BigQuery export, chunk files of a live dump), a row is masked by the same
//! three steps:
//!
//! 1. A [`Catalog`] turns `USE` / `CREATE TABLE` (or a schema from anywhere)
//!    into a [`BoundTable`]: the schema with one [`Action`] per column,
//!    compiled once from the rules, including the generated-column policy.
//! 2. A codec decodes one row's values into a [`RowMasker`] (only the
//!    columns it needs), which applies the table's actions and counts the
//!    values it actually changed.
//! 3. The codec encodes the [`MaskedRow`] back ([`Cell::Same`] cells are
//!    copied from the input untouched), and any table output (the export)
//!    receives the final values.
//!
//! This module owns no I/O, no threads and no syntax: codecs live with their
//! formats ([`crate::tokenizer`], `rewrite`), threads in [`crate::pipeline`].

mod catalog;
mod encode;
pub(crate) use encode::sql_style;
mod row;
mod system_tables;
mod table;

pub use catalog::Catalog;
pub(crate) use catalog::Rows;
pub use encode::{write_sql_value, write_tsv_value};
pub use row::{Cell, CellError, MaskedRow, RowMasker};
pub use table::{Action, BoundTable};
