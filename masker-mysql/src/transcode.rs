//! Text columns whose charset is not UTF-8 (cp932, latin1, ujis, ...) on
//! the masking path of a live dump.
//!
//! The server sends every value as the column's own bytes (`SET NAMES
//! binary`, so unmasked values round-trip exactly), but masking works on
//! UTF-8 text, as it reads it from mysqldump's utf8mb4 output. For each
//! column that masking reads, this module decodes the value from the
//! column's charset before masking, and encodes the masked value back into
//! that charset after: pseudonyms equal those of `mariadb-dump | masker
//! mask` with the same key, and a Japanese fake name lands in a cp932
//! column as cp932, not as UTF-8 bytes the server would reject or mangle.
//! It owns per-worker buffers; no allocation per value once they have grown.

use encoding_rs::Encoding;
use masker_core::engine::BoundTable;
use masker_core::schema::charset::column_codecs;

/// Per column of a table (schema index): the codec to convert through, or
/// `None` when values are used as they are.
#[derive(Debug, Clone, Default)]
pub struct ColumnCharsets {
    codecs: Vec<Option<&'static Encoding>>,
}

impl ColumnCharsets {
    /// The codecs of `table`'s text columns that masking reads and whose
    /// charset (the column's, else the table's default) is not UTF-8.
    pub fn of(table: &BoundTable) -> Self {
        let codecs = column_codecs(table.schema())
            .into_iter()
            .enumerate()
            .map(|(i, codec)| codec.filter(|_| table.needs_input(i)))
            .collect();
        ColumnCharsets { codecs }
    }

    /// True when no column needs converting.
    pub fn is_empty(&self) -> bool {
        self.codecs.iter().all(Option::is_none)
    }

    /// The codec of column `col`, if it converts.
    pub fn codec(&self, col: usize) -> Option<&'static Encoding> {
        self.codecs.get(col).copied().flatten()
    }
}

// The conversions themselves are the core's, shared with the SQL and TSV
// codecs for input in the columns' own charsets (mydumper directories).
pub use masker_core::schema::charset::{decode_into, encode_into, EncodeError};
