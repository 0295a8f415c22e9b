//! BigQuery's CSV dialect with a tab delimiter: one field, one header, the
//! type of a column and the `bq load` command line.

use super::{BinaryEncoding, ExportOptions, FieldOutcome};
use crate::schema::{Column, ColumnType, TableSchema};

/// Append one field (no delimiter) to `out` in BigQuery's tab-separated CSV
/// dialect and say whether it was written exactly.
///
/// `raw` is the value's raw bytes, already decoded from the SQL literal
/// (escapes undone, `0x..` and `b'..'` turned into bytes); `None` is NULL.
/// `table_charset` is the table's default charset, used when the column
/// declares none. Per type (see [`bigquery_type`] for the BigQuery types):
///
/// - **Numbers** (integers, DECIMAL, FLOAT/DOUBLE, YEAR) are written as they
///   are; an empty value becomes NULL ([`FieldOutcome::Nulled`]).
/// - **BIT(n)**: the raw bytes are read as a big-endian number (what
///   mysqldump's `b'..'` decodes to) and written in decimal; `BIT(1)` is
///   written `true` / `false`.
/// - **Binary** (BINARY, VARBINARY, BLOBs, spatial types): base64 or hex per
///   [`ExportOptions::binary`].
/// - **DATE, DATETIME, TIMESTAMP**: written as they are when the date is a
///   real calendar date in years 0001..9999. Zero dates (`0000-00-00`),
///   dates with a zero month or day and other invalid dates (MySQL's
///   `ALLOW_INVALID_DATES`) become NULL, since BigQuery rejects them. TIMESTAMP
///   values have no zone in a dump; BigQuery reads them as UTC, which is what
///   they are when the dump was made with mysqldump's default
///   `SET TIME_ZONE='+00:00'` (not with `--skip-tz-utc`).
/// - **TIME**: written as it is within `00:00:00..23:59:59.999999`; MySQL's
///   negative or 24-hour-and-more durations become NULL.
/// - **Text** (CHAR, VARCHAR, TEXT, ENUM, SET, JSON, other types): valid
///   UTF-8 is written as it is (mysqldump writes every column in the
///   connection charset, utf8mb4 by default, whatever the column's charset).
///   Bytes that are not UTF-8 in a `latin1` column are decoded as MySQL's
///   latin1 (cp1252) without loss; elsewhere (a dump made with another
///   `--default-character-set`) each invalid sequence becomes U+FFFD
///   ([`FieldOutcome::Replaced`]).
///
/// A field is quoted (quotes doubled) when it contains a tab, `\n`, `\r` or
/// `"`, when it is empty, or when it equals the NULL marker.
pub fn write_field(
    raw: Option<&[u8]>,
    column: &Column,
    table_charset: Option<&str>,
    opts: &ExportOptions,
    out: &mut Vec<u8>,
) -> FieldOutcome {
    let Some(v) = raw else {
        out.extend_from_slice(&opts.null_marker);
        return FieldOutcome::Exact;
    };
    match &column.ty {
        ColumnType::Integer { .. }
        | ColumnType::Decimal { .. }
        | ColumnType::Float
        | ColumnType::Year => {
            if v.is_empty() {
                return write_nulled(opts, out);
            }
            write_text(v, opts, out)
        }
        ColumnType::Bit { bits } => {
            let n = v.iter().fold(0u64, |n, &b| n << 8 | u64::from(b));
            if *bits == 1 {
                out.extend_from_slice(if n != 0 { b"true" } else { b"false" });
            } else {
                out.extend_from_slice(n.to_string().as_bytes());
            }
            FieldOutcome::Exact
        }
        ty if ty.is_binary() => {
            if v.is_empty() {
                out.extend_from_slice(b"\"\"");
            } else {
                match opts.binary {
                    BinaryEncoding::Base64 => base64_into(v, out),
                    BinaryEncoding::Hex => hex_into(v, out),
                }
            }
            FieldOutcome::Exact
        }
        ColumnType::Date => {
            if v.len() == 10 && valid_date(v) {
                write_text(v, opts, out)
            } else {
                write_nulled(opts, out)
            }
        }
        ColumnType::DateTime | ColumnType::Timestamp => {
            if v.len() >= 10
                && valid_date(&v[..10])
                && (v.len() == 10 || v[10] == b' ' || v[10] == b'T')
            {
                write_text(v, opts, out)
            } else {
                write_nulled(opts, out)
            }
        }
        ColumnType::Time => {
            if valid_time_of_day(v) {
                write_text(v, opts, out)
            } else {
                write_nulled(opts, out)
            }
        }
        _ => {
            let charset = column.charset.as_deref().or(table_charset);
            match std::str::from_utf8(v) {
                Ok(_) => write_text(v, opts, out),
                Err(_) if charset == Some("latin1") => {
                    let mut s = Vec::with_capacity(v.len() + v.len() / 2);
                    latin1_to_utf8(v, &mut s);
                    write_text(&s, opts, out)
                }
                Err(_) => {
                    let s = String::from_utf8_lossy(v);
                    match write_text(s.as_bytes(), opts, out) {
                        FieldOutcome::Exact => FieldOutcome::Replaced,
                        other => other,
                    }
                }
            }
        }
    }
}

/// As [`write_field`], for a value in its column's own character set
/// (rows read from a live server under `SET NAMES binary`), not in the
/// dump's connection charset: text of a column whose charset is not
/// UTF-8 (`cp932`, `ujis`, `gbk`, `latin2`, ...) is decoded from that
/// charset first (see [`crate::schema::charset`]), so it is never taken
/// for UTF-8 by accident. A byte sequence the charset cannot decode becomes
/// U+FFFD ([`FieldOutcome::Replaced`]); a charset without a codec is
/// treated as [`write_field`] treats it.
pub fn write_stored_field(
    raw: Option<&[u8]>,
    column: &Column,
    table_charset: Option<&str>,
    opts: &ExportOptions,
    out: &mut Vec<u8>,
) -> FieldOutcome {
    let charset = column.charset.as_deref().or(table_charset);
    let legacy = match (&column.ty, raw, charset) {
        (ty, Some(v), Some(cs)) if ty.is_charset_text() && !v.is_ascii() => {
            crate::schema::charset::legacy_encoding(cs)
        }
        _ => None,
    };
    match (legacy, raw) {
        (Some(enc), Some(v)) => {
            let (text, had_errors) = enc.decode_without_bom_handling(v);
            match write_text(text.as_bytes(), opts, out) {
                FieldOutcome::Exact if had_errors => FieldOutcome::Replaced,
                other => other,
            }
        }
        _ => write_field(raw, column, table_charset, opts, out),
    }
}

/// Append the header line: the column names (as in the schema JSON), tab
/// separated, then `\n`. Every column is listed, generated ones included.
pub fn write_header(schema: &TableSchema, out: &mut Vec<u8>) {
    for (i, name) in super::bigquery_column_names(schema).iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        // Sanitized names are ASCII letters, digits and `_`: never quoted.
        out.extend_from_slice(name.as_bytes());
    }
    write_row_end(out);
}

/// Append the end of a row (`\n`). Fields within a row are separated by `\t`,
/// which the caller writes between [`write_field`] calls.
pub fn write_row_end(out: &mut Vec<u8>) {
    out.push(b'\n');
}

/// The BigQuery type a column is loaded as, with binary columns as `BYTES`
/// (base64, the default). See [`bigquery_type_for`] for hex.
///
/// | MySQL | BigQuery |
/// |---|---|
/// | TINYINT..BIGINT, YEAR | INT64 |
/// | BIGINT UNSIGNED | NUMERIC (up to 2^64-1 does not fit INT64) |
/// | DECIMAL(p,s), s <= 9 and p-s <= 29 | NUMERIC |
/// | DECIMAL(p,s), s <= 38 and p-s <= 38 | BIGNUMERIC |
/// | wider DECIMAL (up to 65 digits) | STRING (lossless) |
/// | FLOAT, DOUBLE | FLOAT64 |
/// | BIT(1) | BOOL |
/// | BIT(2..63) | INT64 |
/// | BIT(64) | NUMERIC |
/// | CHAR, VARCHAR, TEXT, ENUM, SET | STRING |
/// | BINARY, VARBINARY, BLOB, spatial | BYTES (base64) / STRING (hex) |
/// | DATE, DATETIME, TIMESTAMP, TIME | DATE, DATETIME, TIMESTAMP, TIME |
/// | JSON (and MariaDB's `json_valid` longtext) | JSON |
/// | anything else (INET6, UUID, ...) | STRING |
///
/// `TINYINT(1)` stays INT64: the schema does not keep display widths, and
/// its values (0, 1, other small numbers) load into INT64 as they are.
/// Spatial values are MySQL's internal format (SRID + WKB), not GEOGRAPHY.
pub fn bigquery_type(column: &Column) -> &'static str {
    bigquery_type_for(column, BinaryEncoding::Base64)
}

/// The BigQuery type a column is loaded as when binary values are written
/// with `binary`: like [`bigquery_type`], except that hex-encoded binary
/// columns are `STRING` (BigQuery reads BYTES from CSV as base64 only).
pub fn bigquery_type_for(column: &Column, binary: BinaryEncoding) -> &'static str {
    match &column.ty {
        ColumnType::Integer {
            bytes: 8,
            unsigned: true,
        } => "NUMERIC",
        ColumnType::Integer { .. } | ColumnType::Year => "INT64",
        ColumnType::Decimal { precision, scale } => {
            let int_digits = precision.saturating_sub(*scale);
            if *scale <= 9 && int_digits <= 29 {
                "NUMERIC"
            } else if *scale <= 38 && int_digits <= 38 {
                "BIGNUMERIC"
            } else {
                "STRING"
            }
        }
        ColumnType::Float => "FLOAT64",
        ColumnType::Bit { bits: 0..=1 } => "BOOL",
        ColumnType::Bit { bits: 2..=63 } => "INT64",
        ColumnType::Bit { .. } => "NUMERIC",
        ty if ty.is_binary() => match binary {
            BinaryEncoding::Base64 => "BYTES",
            BinaryEncoding::Hex => "STRING",
        },
        ColumnType::Date => "DATE",
        ColumnType::DateTime => "DATETIME",
        ColumnType::Timestamp => "TIMESTAMP",
        ColumnType::Time => "TIME",
        ColumnType::Json => "JSON",
        _ => "STRING",
    }
}

fn write_nulled(opts: &ExportOptions, out: &mut Vec<u8>) -> FieldOutcome {
    out.extend_from_slice(&opts.null_marker);
    FieldOutcome::Nulled
}

/// Append `v` (UTF-8 text), quoted when it must be.
fn write_text(v: &[u8], opts: &ExportOptions, out: &mut Vec<u8>) -> FieldOutcome {
    let special =
        memchr::memchr3(b'\t', b'\n', b'"', v).is_some() || memchr::memchr(b'\r', v).is_some();
    let collision = v == opts.null_marker.as_slice();
    if !special && !v.is_empty() && !collision {
        out.extend_from_slice(v);
        return FieldOutcome::Exact;
    }
    out.reserve(v.len() + 2);
    out.push(b'"');
    let mut rest = v;
    while let Some(k) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=k]);
        out.push(b'"');
        rest = &rest[k + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
    if collision {
        FieldOutcome::NullMarkerCollision
    } else {
        FieldOutcome::Exact
    }
}

/// Standard base64 with `=` padding.
fn base64_into(v: &[u8], out: &mut Vec<u8>) {
    use base64::Engine as _;
    let start = out.len();
    out.resize(start + base64::encoded_len(v.len(), true).unwrap_or(0), 0);
    let n = base64::engine::general_purpose::STANDARD
        .encode_slice(v, &mut out[start..])
        .expect("the buffer was sized by encoded_len");
    out.truncate(start + n);
}

/// Lowercase hex, two digits per byte.
fn hex_into(v: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(v.len() * 2);
    for &b in v {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
    }
}

/// True for the columns whose values [`write_field`] writes as base64 or
/// hex (binary types, BIT excepted: it is written as a number).
pub(crate) fn written_as_binary(ty: &ColumnType) -> bool {
    !matches!(ty, ColumnType::Bit { .. }) && ty.is_binary()
}

/// Append the bytes a binary column's field of the export stands for: the
/// field's text decoded from base64 or hex per `binary` (the inverse of
/// [`write_field`] for binary columns). Text that is not valid in that
/// encoding (the NULL marker, a file written with other options) is
/// appended as it is: a reader then looks at what is there, never at
/// nothing.
pub fn read_binary_field(text: &[u8], binary: BinaryEncoding, out: &mut Vec<u8>) {
    let start = out.len();
    let ok = match binary {
        BinaryEncoding::Base64 => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode_vec(text, out)
                .is_ok()
        }
        BinaryEncoding::Hex => hex_decode_into(text, out),
    };
    if !ok {
        out.truncate(start);
        out.extend_from_slice(text);
    }
}

/// Two hex digits (either case) per byte; `false` on anything else.
fn hex_decode_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    fn digit(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    if text.len() % 2 != 0 {
        return false;
    }
    out.reserve(text.len() / 2);
    for pair in text.chunks_exact(2) {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            _ => return false,
        }
    }
    true
}

/// MySQL's `latin1` is Windows-1252, except that the five bytes cp1252 leaves
/// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are the C1 controls of the same
/// number. This table gives 0x80..=0x9F; every other byte is its own code point.
const CP1252_80: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

/// Decode MySQL latin1 bytes to UTF-8.
fn latin1_to_utf8(v: &[u8], out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    for &b in v {
        if b < 0x80 {
            out.push(b);
            continue;
        }
        let cp = if (0x80..0xA0).contains(&b) {
            u32::from(CP1252_80[usize::from(b - 0x80)])
        } else {
            u32::from(b)
        };
        let c = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

fn digits(v: &[u8]) -> Option<u32> {
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(v.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD` naming a real day in years 1..=9999 (BigQuery's DATE range).
fn valid_date(v: &[u8]) -> bool {
    if v.len() != 10 || v[4] != b'-' || v[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(&v[..4]), digits(&v[5..7]), digits(&v[8..10])) else {
        return false;
    };
    if y == 0 || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d <= days
}

/// `HH:MM:SS[.ffffff]` within a day (BigQuery's TIME range); MySQL TIME values
/// are durations from `-838:59:59` to `838:59:59`.
fn valid_time_of_day(v: &[u8]) -> bool {
    if v.len() < 8 || v[2] != b':' || v[5] != b':' {
        return false;
    }
    let (Some(h), Some(m), Some(s)) = (digits(&v[..2]), digits(&v[3..5]), digits(&v[6..8])) else {
        return false;
    };
    if h > 23 || m > 59 || s > 59 {
        return false;
    }
    match &v[8..] {
        [] => true,
        [b'.', frac @ ..] => !frac.is_empty() && frac.len() <= 6 && digits(frac).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ty: ColumnType) -> Column {
        Column::new("c", ty)
    }

    fn field(raw: Option<&[u8]>, ty: ColumnType) -> (String, FieldOutcome) {
        let mut out = Vec::new();
        let o = write_field(raw, &col(ty), None, &ExportOptions::default(), &mut out);
        (String::from_utf8(out).unwrap(), o)
    }

    fn text() -> ColumnType {
        ColumnType::Char {
            max_chars: 100,
            fixed: false,
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(field(Some(b"plain"), text()).0, "plain");
        assert_eq!(field(Some(b""), text()).0, "\"\"");
        assert_eq!(field(None, text()).0, "\\N");
        assert_eq!(field(Some(b"a\tb"), text()).0, "\"a\tb\"");
        assert_eq!(field(Some(b"a\r\nb"), text()).0, "\"a\r\nb\"");
        assert_eq!(field(Some(b"say \"hi\""), text()).0, "\"say \"\"hi\"\"\"");
        assert_eq!(field(Some(b"\""), text()).0, "\"\"\"\"");
        assert_eq!(
            field(Some(b"\\N"), text()),
            ("\"\\N\"".into(), FieldOutcome::NullMarkerCollision)
        );
        // A backslash alone is nothing special in this dialect.
        assert_eq!(field(Some(b"C:\\dir"), text()).0, "C:\\dir");
    }

    fn stored(raw: &[u8], charset: &str) -> (String, FieldOutcome) {
        let mut c = col(text());
        c.charset = Some(charset.into());
        let mut out = Vec::new();
        let o = write_stored_field(Some(raw), &c, None, &ExportOptions::default(), &mut out);
        (String::from_utf8(out).unwrap(), o)
    }

    #[test]
    fn stored_values_are_decoded_from_their_column_charset() {
        // 表ソ in cp932: 0x955C 0x835C (second bytes are backslashes).
        assert_eq!(
            stored(b"\x95\x5c\x83\x5c", "cp932"),
            ("表ソ".into(), FieldOutcome::Exact)
        );
        // 日本 in EUC-JP.
        assert_eq!(
            stored(b"\xc6\xfc\xcb\xdc", "ujis"),
            ("日本".into(), FieldOutcome::Exact)
        );
        // Bytes that happen to be valid UTF-8 are still cp1251 text.
        assert_eq!(stored("é".as_bytes(), "cp1251").0, "Г©");
        // An undecodable sequence is replaced and reported.
        assert_eq!(stored(b"\x81", "cp932").1, FieldOutcome::Replaced);
        // ASCII, UTF-8 columns and latin1 go through write_field.
        assert_eq!(
            stored(b"plain", "cp932"),
            ("plain".into(), FieldOutcome::Exact)
        );
        assert_eq!(stored("é".as_bytes(), "utf8mb4").0, "é");
        assert_eq!(stored(b"\xe9", "latin1").0, "é");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = Vec::new();
            base64_into(i.as_bytes(), &mut out);
            assert_eq!(out, o.as_bytes());
        }
        let blob = ColumnType::Blob { max_bytes: 65535 };
        assert_eq!(field(Some(&[0xff, 0x00, 0x10]), blob.clone()).0, "/wAQ");
        assert_eq!(field(Some(b""), blob).0, "\"\"");
    }

    #[test]
    fn hex_binary() {
        let mut out = Vec::new();
        let opts = ExportOptions {
            binary: BinaryEncoding::Hex,
            ..ExportOptions::default()
        };
        let c = col(ColumnType::Binary {
            max_bytes: 4,
            fixed: true,
        });
        write_field(Some(&[0xde, 0xad, 0x00, 0x0f]), &c, None, &opts, &mut out);
        assert_eq!(out, b"dead000f");
        assert_eq!(bigquery_type_for(&c, BinaryEncoding::Hex), "STRING");
        assert_eq!(bigquery_type(&c), "BYTES");
    }

    /// What a binary field is read back as: the bytes written, for every
    /// length and both encodings; text in neither encoding as it is.
    #[test]
    fn binary_fields_read_back_as_their_bytes() {
        let blob = col(ColumnType::Blob { max_bytes: 65535 });
        for binary in [BinaryEncoding::Base64, BinaryEncoding::Hex] {
            let opts = ExportOptions {
                binary,
                ..ExportOptions::default()
            };
            for n in 0..40usize {
                let v: Vec<u8> = (0..n).map(|i| (i * 37 + 200) as u8).collect();
                let mut text = Vec::new();
                write_field(Some(&v), &blob, None, &opts, &mut text);
                // An empty value is written `""`, read as an empty field.
                let text = if v.is_empty() { Vec::new() } else { text };
                let mut back = b"kept".to_vec();
                read_binary_field(&text, binary, &mut back);
                assert_eq!(&back[..4], b"kept");
                assert_eq!(back[4..], v, "{binary} {n}");
            }
            for bad in [&b"\\N"[..], b"not base64!", b"abc", b"zz"] {
                let mut back = Vec::new();
                read_binary_field(bad, binary, &mut back);
                assert_eq!(back, bad, "{binary}");
            }
        }
        let mut back = Vec::new();
        read_binary_field(b"DEAD000f", BinaryEncoding::Hex, &mut back);
        assert_eq!(back, [0xde, 0xad, 0x00, 0x0f]);
    }

    #[test]
    fn dates() {
        let ok = FieldOutcome::Exact;
        let nulled = ("\\N".to_string(), FieldOutcome::Nulled);
        assert_eq!(
            field(Some(b"2024-02-29"), ColumnType::Date),
            ("2024-02-29".into(), ok)
        );
        assert_eq!(field(Some(b"2023-02-29"), ColumnType::Date), nulled);
        assert_eq!(field(Some(b"0000-00-00"), ColumnType::Date), nulled);
        assert_eq!(field(Some(b"2020-00-10"), ColumnType::Date), nulled);
        assert_eq!(field(Some(b"2020-04-31"), ColumnType::Date), nulled);
        assert_eq!(field(Some(b"0000-01-01"), ColumnType::Date), nulled);
        assert_eq!(field(Some(b""), ColumnType::Date), nulled);
        assert_eq!(
            field(Some(b"2000-01-01 12:34:56.123456"), ColumnType::DateTime),
            ("2000-01-01 12:34:56.123456".into(), ok)
        );
        assert_eq!(
            field(Some(b"0000-00-00 00:00:00"), ColumnType::DateTime),
            nulled
        );
        assert_eq!(
            field(Some(b"0000-00-00 00:00:00"), ColumnType::Timestamp),
            nulled
        );
        assert_eq!(
            field(Some(b"1970-01-01 00:00:01"), ColumnType::Timestamp),
            ("1970-01-01 00:00:01".into(), ok)
        );
        assert_eq!(
            field(Some(b"23:59:59.5"), ColumnType::Time),
            ("23:59:59.5".into(), ok)
        );
        assert_eq!(
            field(Some(b"00:00:00"), ColumnType::Time),
            ("00:00:00".into(), ok)
        );
        assert_eq!(field(Some(b"24:00:00"), ColumnType::Time), nulled);
        assert_eq!(field(Some(b"-01:00:00"), ColumnType::Time), nulled);
        assert_eq!(field(Some(b"838:59:59"), ColumnType::Time), nulled);
    }

    #[test]
    fn bits_and_numbers() {
        assert_eq!(field(Some(&[1]), ColumnType::Bit { bits: 1 }).0, "true");
        assert_eq!(field(Some(&[0]), ColumnType::Bit { bits: 1 }).0, "false");
        assert_eq!(field(Some(&[1, 0]), ColumnType::Bit { bits: 10 }).0, "256");
        assert_eq!(
            field(Some(&[0xff; 8]), ColumnType::Bit { bits: 64 }).0,
            "18446744073709551615"
        );
        let int = ColumnType::Integer {
            bytes: 4,
            unsigned: false,
        };
        assert_eq!(field(Some(b"-42"), int.clone()).0, "-42");
        assert_eq!(field(Some(b""), int), ("\\N".into(), FieldOutcome::Nulled));
        let dec = ColumnType::Decimal {
            precision: 10,
            scale: 2,
        };
        assert_eq!(field(Some(b"-12345678.90"), dec).0, "-12345678.90");
    }

    #[test]
    fn charsets() {
        // Valid UTF-8 passes through, in any column.
        let (s, o) = field(Some("日本語".as_bytes()), text());
        assert_eq!((s.as_str(), o), ("日本語", FieldOutcome::Exact));
        // latin1 (cp1252) bytes in a latin1 column: decoded without loss.
        let mut c = col(text());
        c.charset = Some("latin1".into());
        let mut out = Vec::new();
        let o = write_field(
            Some(b"caf\xe9 \x80 \x81"),
            &c,
            None,
            &ExportOptions::default(),
            &mut out,
        );
        assert_eq!(
            (String::from_utf8(out).unwrap().as_str(), o),
            ("café € \u{81}", FieldOutcome::Exact)
        );
        // The table's default charset applies when the column has none.
        let mut out = Vec::new();
        let o = write_field(
            Some(b"\xe9"),
            &col(text()),
            Some("latin1"),
            &ExportOptions::default(),
            &mut out,
        );
        assert_eq!((out.as_slice(), o), ("é".as_bytes(), FieldOutcome::Exact));
        // Elsewhere: U+FFFD, reported.
        let (s, o) = field(Some(b"a\x82\xa0b"), text());
        assert_eq!(o, FieldOutcome::Replaced);
        assert!(s.starts_with('a') && s.ends_with('b') && s.contains('\u{FFFD}'));
    }

    #[test]
    fn types() {
        let t = |ty| bigquery_type(&col(ty));
        assert_eq!(
            t(ColumnType::Integer {
                bytes: 8,
                unsigned: true
            }),
            "NUMERIC"
        );
        assert_eq!(
            t(ColumnType::Integer {
                bytes: 8,
                unsigned: false
            }),
            "INT64"
        );
        assert_eq!(
            t(ColumnType::Integer {
                bytes: 4,
                unsigned: true
            }),
            "INT64"
        );
        assert_eq!(
            t(ColumnType::Decimal {
                precision: 38,
                scale: 9
            }),
            "NUMERIC"
        );
        assert_eq!(
            t(ColumnType::Decimal {
                precision: 39,
                scale: 9
            }),
            "BIGNUMERIC"
        );
        assert_eq!(
            t(ColumnType::Decimal {
                precision: 20,
                scale: 10
            }),
            "BIGNUMERIC"
        );
        assert_eq!(
            t(ColumnType::Decimal {
                precision: 65,
                scale: 30
            }),
            "BIGNUMERIC"
        );
        assert_eq!(
            t(ColumnType::Decimal {
                precision: 65,
                scale: 20
            }),
            "STRING"
        );
        assert_eq!(
            t(ColumnType::Decimal {
                precision: 65,
                scale: 0
            }),
            "STRING"
        );
        assert_eq!(t(ColumnType::Bit { bits: 1 }), "BOOL");
        assert_eq!(t(ColumnType::Bit { bits: 8 }), "INT64");
        assert_eq!(t(ColumnType::Bit { bits: 64 }), "NUMERIC");
        assert_eq!(
            t(ColumnType::Other {
                name: "point".into()
            }),
            "BYTES"
        );
        assert_eq!(
            t(ColumnType::Other {
                name: "inet6".into()
            }),
            "STRING"
        );
        assert_eq!(t(ColumnType::Json), "JSON");
        assert_eq!(t(ColumnType::Year), "INT64");
    }
}
