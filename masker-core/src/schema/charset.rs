//! MySQL character sets by name: which ones are not UTF-8, and the
//! `encoding_rs` codec of those that are not.
//!
//! Masking works on UTF-8 text, as mysqldump writes every column (its
//! connection charset is utf8mb4). Values read as a column's own bytes (a
//! live server under `SET NAMES binary`) must be decoded with the
//! column's charset before masking and encoded back after; this module
//! only names the codec, the callers convert.

use encoding_rs::Encoding;

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

#[cfg(test)]
mod tests {
    use super::*;

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
