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

use encoding_rs::{EncoderResult, Encoding};
use masker_core::engine::BoundTable;
use masker_core::schema::{charset::legacy_encoding, ColumnType};

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
        let schema = table.schema();
        let codecs = schema
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let text = matches!(
                    c.ty,
                    ColumnType::Char { .. }
                        | ColumnType::Text { .. }
                        | ColumnType::Enum { .. }
                        | ColumnType::Set { .. }
                );
                let charset = c.charset.as_deref().or(schema.default_charset.as_deref())?;
                if text && table.needs_input(i) {
                    legacy_encoding(charset)
                } else {
                    None
                }
            })
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

/// Why a masked value cannot be written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeError {
    /// The transform's output is not UTF-8 text.
    NotText,
    /// It holds a character the column's charset cannot hold.
    Unmappable,
}

impl EncodeError {
    /// The reason, for an error that names the table and column (never the value).
    pub fn reason(self, charset: &'static Encoding) -> String {
        match self {
            EncodeError::NotText => "the masked value is not UTF-8 text".into(),
            EncodeError::Unmappable => format!(
                "the masked value has a character that the column's charset ({}) cannot hold; \
                 use a transform whose output fits (hash, or fake with another locale)",
                charset.name()
            ),
        }
    }
}

/// Append `raw` (bytes in `codec`'s charset) to `out` as UTF-8. Invalid
/// sequences become U+FFFD, as mysqldump's conversion would make them `?`.
pub fn decode_into(codec: &'static Encoding, raw: &[u8], out: &mut Vec<u8>) {
    if raw.is_ascii() && codec.is_ascii_compatible() {
        out.extend_from_slice(raw);
        return;
    }
    let mut decoder = codec.new_decoder_without_bom_handling();
    let start = out.len();
    let room = decoder
        .max_utf8_buffer_length(raw.len())
        .unwrap_or(raw.len() * 3 + 16);
    out.resize(start + room, 0);
    let (_, _, written, _) = decoder.decode_to_utf8(raw, &mut out[start..], true);
    out.truncate(start + written);
}

/// Append UTF-8 `text` to `out` in `codec`'s charset.
pub fn encode_into(
    codec: &'static Encoding,
    text: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let s = std::str::from_utf8(text).map_err(|_| EncodeError::NotText)?;
    if s.is_ascii() && codec.is_ascii_compatible() {
        out.extend_from_slice(text);
        return Ok(());
    }
    let mut encoder = codec.new_encoder();
    let start = out.len();
    let room = encoder
        .max_buffer_length_from_utf8_without_replacement(s.len())
        .unwrap_or(s.len() * 4 + 16);
    out.resize(start + room, 0);
    let (result, _, written) =
        encoder.encode_from_utf8_without_replacement(s, &mut out[start..], true);
    out.truncate(start + written);
    match result {
        EncoderResult::InputEmpty => Ok(()),
        EncoderResult::Unmappable(_) => {
            out.truncate(start);
            Err(EncodeError::Unmappable)
        }
        EncoderResult::OutputFull => unreachable!("the buffer holds the worst case"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_round_trip_and_unmappable() {
        let cp932 = legacy_encoding("cp932").unwrap();
        let mut utf8 = Vec::new();
        decode_into(cp932, b"\x95\x5c\x83\x5c", &mut utf8);
        assert_eq!(utf8, "表ソ".as_bytes());
        let mut back = Vec::new();
        encode_into(cp932, "佐藤 花子".as_bytes(), &mut back).unwrap();
        assert_eq!(cp932.decode_without_bom_handling(&back).0, "佐藤 花子");
        let latin1 = legacy_encoding("latin1").unwrap();
        let mut out = b"keep".to_vec();
        assert_eq!(
            encode_into(latin1, "佐藤".as_bytes(), &mut out),
            Err(EncodeError::Unmappable)
        );
        assert_eq!(out, b"keep", "nothing of a refused value is left");
        assert_eq!(
            encode_into(latin1, b"\xff", &mut out),
            Err(EncodeError::NotText)
        );
    }

    #[test]
    fn invalid_bytes_decode_to_replacement_characters() {
        let cp932 = legacy_encoding("cp932").unwrap();
        let mut out = Vec::new();
        decode_into(cp932, b"ok\x81", &mut out);
        assert_eq!(out, "ok\u{fffd}".as_bytes());
    }
}
