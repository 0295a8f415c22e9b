//! MySQL character sets by name: which ones are not UTF-8, and the
//! `encoding_rs` codec of those that are not.
//!
//! Masking works on UTF-8 text, as mysqldump writes every column (its
//! connection charset is utf8mb4). Values read as a column's own bytes (a
//! live server under `SET NAMES binary`) must be decoded with the
//! column's charset before masking and encoded back after. This module
//! names the codec ([`legacy_encoding`], [`column_codecs`]) and converts
//! one value ([`decode_into`], [`encode_into`]); the callers (the SQL and TSV
//! codecs for input in the columns' own charsets, a live dump) decide when.

use encoding_rs::{EncoderResult, Encoding};

use super::TableSchema;

/// The codec of a MySQL charset whose bytes are not UTF-8 text: `latin1`
/// (MySQL's is Windows-1252, with 0x81, 0x8D, 0x8F, 0x90 and 0x9D mapped to
/// the C1 controls, as the WHATWG codec does), `cp932` and `sjis`, `ujis`
/// and `eucjpms`, `gbk`, `gb18030`, `big5`, `euckr`, the ISO-8859 and
/// Windows code pages, `koi8r`/`koi8u`, `cp866`, `tis620`.
///
/// `None` for the UTF-8 charsets (`utf8mb4`, `utf8mb3`, `utf8`), `ascii`
/// (a subset of UTF-8), `binary`, and charsets without a codec here
/// (`ucs2`, `utf16`, `utf32`, `swe7`, ...): their bytes are used as they are.
pub fn legacy_encoding(charset: &str) -> Option<&'static Encoding> {
    use encoding_rs as e;
    Some(match charset {
        "latin1" => e::WINDOWS_1252,
        // WHATWG's Shift_JIS is Windows-31J, i.e. MySQL's cp932 (and a
        // superset of its sjis).
        "cp932" | "sjis" => e::SHIFT_JIS,
        "ujis" | "eucjpms" => e::EUC_JP,
        "gbk" | "gb2312" => e::GBK,
        "gb18030" => e::GB18030,
        "big5" => e::BIG5,
        "euckr" => e::EUC_KR,
        "latin2" => e::ISO_8859_2,
        "latin7" => e::ISO_8859_13,
        "greek" => e::ISO_8859_7,
        "hebrew" => e::ISO_8859_8,
        "cp1250" => e::WINDOWS_1250,
        "cp1251" => e::WINDOWS_1251,
        "cp1256" => e::WINDOWS_1256,
        "cp1257" => e::WINDOWS_1257,
        "cp866" => e::IBM866,
        "koi8r" => e::KOI8_R,
        "koi8u" => e::KOI8_U,
        "tis620" => e::WINDOWS_874,
        _ => return None,
    })
}

/// Per column of `schema` (schema index): the codec its values convert
/// through when they come as the column's own bytes, or `None` when they are
/// used as they are. Only text columns (CHAR, VARCHAR, TEXT, ENUM, SET)
/// convert, by the column's charset, else the table's default.
pub fn column_codecs(schema: &TableSchema) -> Vec<Option<&'static Encoding>> {
    schema
        .columns
        .iter()
        .map(|c| {
            let charset = c.charset.as_deref().or(schema.default_charset.as_deref())?;
            if c.ty.is_charset_text() && charset != "binary" {
                legacy_encoding(charset)
            } else {
                None
            }
        })
        .collect()
}

/// Per column of `schema` (schema index): `codec` for the text columns
/// (CHAR, VARCHAR, TEXT, ENUM, SET, but not those of charset `binary`),
/// `None` for the others. A dump written under `SET NAMES latin1` holds every
/// text column's values in latin1, whatever the column's own charset.
pub fn connection_codecs(
    schema: &TableSchema,
    codec: &'static Encoding,
) -> Vec<Option<&'static Encoding>> {
    schema
        .columns
        .iter()
        .map(|c| {
            let charset = c.charset.as_deref().or(schema.default_charset.as_deref());
            (c.ty.is_charset_text() && charset != Some("binary")).then_some(codec)
        })
        .collect()
}

/// What the values of a dump written under `SET NAMES name` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionCharset {
    /// UTF-8 text (`utf8mb4`, `utf8mb3`, `utf8`, `ascii`): used as they are.
    Utf8,
    /// Each column's own bytes (`binary`): text of a charset that is not
    /// UTF-8 converts through its column's codec.
    ColumnBytes,
    /// Every text column's values are in this charset (`latin1`, `ujis`, ...).
    Legacy(&'static Encoding),
}

impl ConnectionCharset {
    /// The charset `SET NAMES name` sets, or why a dump written in it cannot
    /// be read: Shift_JIS, Big5 and the GB charsets have two-byte characters
    /// whose second byte can be the byte of `\`, which mysqldump leaves
    /// unescaped, so the end of a string cannot be found without decoding.
    pub fn of(name: &str) -> Result<ConnectionCharset, String> {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "utf8mb4" | "utf8mb3" | "utf8" | "ascii" => Ok(ConnectionCharset::Utf8),
            "binary" => Ok(ConnectionCharset::ColumnBytes),
            "cp932" | "sjis" | "big5" | "gbk" | "gb2312" | "gb18030" => Err(format!(
                "the dump was written under SET NAMES {name} (mysqldump --default-character-set={name}), whose two-byte characters can end in the byte of a backslash that mysqldump leaves unescaped, so its strings cannot be read safely; dump with --default-character-set=utf8mb4 (the default) or binary"
            )),
            _ => legacy_encoding(&name).map(ConnectionCharset::Legacy).ok_or_else(|| {
                format!("the dump was written under SET NAMES {name}, a charset masker cannot decode; dump with --default-character-set=utf8mb4 (the default) or binary")
            }),
        }
    }
}

/// Why a masked value cannot be written back in its column's charset.
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

/// Append UTF-8 `text` to `out` in `codec`'s charset. On error nothing is
/// appended.
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

    /// QA: the charset a dump's `SET NAMES` gives its values.
    #[test]
    fn connection_charsets_of_set_names() {
        assert_eq!(
            ConnectionCharset::of("utf8mb4"),
            Ok(ConnectionCharset::Utf8)
        );
        assert_eq!(ConnectionCharset::of("UTF8"), Ok(ConnectionCharset::Utf8));
        assert_eq!(
            ConnectionCharset::of("binary"),
            Ok(ConnectionCharset::ColumnBytes)
        );
        assert_eq!(
            ConnectionCharset::of("latin1"),
            Ok(ConnectionCharset::Legacy(encoding_rs::WINDOWS_1252))
        );
        for refused in ["cp932", "sjis", "big5", "gbk", "gb18030"] {
            let m = ConnectionCharset::of(refused).unwrap_err();
            assert!(m.contains(&format!("SET NAMES {refused}")), "{m}");
            assert!(m.contains("backslash"), "{m}");
        }
        assert!(ConnectionCharset::of("swe7").is_err());
    }

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

    #[test]
    fn latin1_round_trips_every_byte() {
        let latin1 = legacy_encoding("latin1").unwrap();
        let all: Vec<u8> = (0..=255u8).collect();
        let mut utf8 = Vec::new();
        decode_into(latin1, &all, &mut utf8);
        let mut back = Vec::new();
        encode_into(latin1, &utf8, &mut back).unwrap();
        assert_eq!(back, all);
    }

    #[test]
    fn only_text_columns_of_legacy_charsets_convert() {
        let schema = crate::schema::parse_create_table(
            b"CREATE TABLE t (a varchar(10), b varchar(10) CHARACTER SET utf8mb4, c blob, d int, e enum('x')) DEFAULT CHARSET=latin1",
        )
        .unwrap();
        let codecs = column_codecs(&schema);
        assert_eq!(codecs.len(), 5);
        assert!(codecs[0].is_some());
        assert!(codecs[1].is_none());
        assert!(codecs[2].is_none());
        assert!(codecs[3].is_none());
        assert!(codecs[4].is_some());
    }

    #[test]
    fn utf8_ascii_and_binary_have_no_codec() {
        for cs in ["utf8mb4", "utf8mb3", "utf8", "ascii", "binary", "ucs2"] {
            assert!(legacy_encoding(cs).is_none(), "{cs}");
        }
    }

    #[test]
    fn cp932_round_trips_kanji_and_its_backslash_bytes() {
        let enc = legacy_encoding("cp932").unwrap();
        let (bytes, _, unmappable) = enc.encode("表ソ能予");
        assert!(!unmappable);
        assert_eq!(&bytes[..2], b"\x95\x5c");
        assert_eq!(enc.decode_without_bom_handling(&bytes).0, "表ソ能予");
    }

    #[test]
    fn latin1_is_mysqls_cp1252() {
        let enc = legacy_encoding("latin1").unwrap();
        assert_eq!(
            enc.decode_without_bom_handling(b"\x80\x81\xe9").0,
            "\u{20ac}\u{81}é"
        );
    }
}
