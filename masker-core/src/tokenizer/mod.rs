//! Tokenizers: byte-level state machines over caller buffers. They own no I/O.
//!
//! - [`sql::Splitter`] finds statement and row-tuple boundaries in a stream
//!   pushed in pieces of any size (the pipeline's chunker runs it).
//! - [`values::TupleReader`] walks a complete run of row tuples and yields
//!   every value's span and kind (the workers run it).
//! - [`literal`] decodes and encodes SQL literals (escapes, hex, bit).
//! - [`reference`] is a slow, obviously correct splitter used as a test oracle.

pub mod literal;
pub mod reference;
pub mod sql;
pub mod values;
