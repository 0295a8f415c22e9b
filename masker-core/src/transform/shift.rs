//! Keyed shifts of dates and numbers: `date_shift` and `noise`.
//!
//! This module owns moving a value by a keyed, deterministic amount while it
//! stays a valid value of its column. The amount comes from the keyed hash of
//! the whole value (the one place this module touches the key:
//! [`keyed_word`]), so the same value always moves by the same amount, in
//! every table and on every thread, and equal values stay equal.
//!
//! - `date_shift`: a date moves by 1 to `max_days` days, earlier or later.
//!   The time of day and any text after the date (`T10:00:00Z`, fractional
//!   seconds) stay. The result stays in the column's range (DATE, DATETIME:
//!   1000-01-01 to 9999-12-31; TIMESTAMP: 1970-01-02 to 2038-01-18): a shift
//!   that would leave it goes the other way. The zero date `0000-00-00` stays
//!   (it holds no day); a date with a zero or impossible month or day is an
//!   error.
//! - `noise`: a number moves by a keyed uniform amount within
//!   `±relative × |value|` or `±absolute`. Integers stay integers in the
//!   type's range, DECIMAL keeps its scale and precision (clamped), FLOAT and
//!   DOUBLE get a float. In text (and inside JSON) a number written as an
//!   integer stays one (in the 64-bit range); any other number becomes a
//!   float.

use super::collation::Folding;
use super::fit::{self, TextFit};
use super::key::{Key, KeyedHash};
use super::{Cell, MaskError, Transform};
use crate::schema::{Column, ColumnType};

/// The keyed 64 bits that decide how far one value moves.
#[inline]
fn keyed_word(state: &KeyedHash, value: &[u8]) -> u64 {
    let d = state.mac_folded(&Folding::exact(), value);
    u64::from_le_bytes(d[0..8].try_into().expect("8 bytes"))
}

/// The most days `date_shift` may move a date (about 100 years).
pub const MAX_SHIFT_DAYS: u32 = 36_500;

/// The range a shifted date must stay in, in days since 1970-01-01.
#[derive(Debug, Clone, Copy)]
struct DayRange {
    min: i64,
    max: i64,
}

/// `date_shift` bound to one column.
#[derive(Debug, Clone)]
pub struct DateShiftTransform {
    state: KeyedHash,
    max_days: u32,
    range: DayRange,
    /// DATE columns hold nothing after the date.
    date_only: bool,
}

impl DateShiftTransform {
    /// Bind `date_shift` to `column`: DATE, DATETIME, TIMESTAMP, or text
    /// holding dates (`YYYY-MM-DD` first, anything after it kept).
    pub fn new(key: &Key, max_days: u32, column: &Column) -> Result<DateShiftTransform, String> {
        if max_days == 0 || max_days > MAX_SHIFT_DAYS {
            return Err(format!("max_days must be 1 to {MAX_SHIFT_DAYS}"));
        }
        let wide = DayRange {
            min: fit::days_from_civil(1000, 1, 1),
            max: fit::days_from_civil(9999, 12, 31),
        };
        let (range, date_only) = match &column.ty {
            ColumnType::Date => (wide, true),
            ColumnType::DateTime | ColumnType::Char { .. } | ColumnType::Text { .. } => {
                (wide, false)
            }
            ColumnType::Timestamp => (
                DayRange {
                    min: fit::days_from_civil(1970, 1, 2),
                    max: fit::days_from_civil(2038, 1, 18),
                },
                false,
            ),
            _ => {
                return Err(
                    "date_shift needs a DATE, DATETIME, TIMESTAMP or text column".to_owned(),
                )
            }
        };
        Ok(DateShiftTransform {
            state: key.derive(&[b"date_shift"]),
            max_days,
            range,
            date_only,
        })
    }
}

/// `YYYY-MM-DD` at the start of `v`: (year, month, day), unchecked.
fn leading_date(v: &[u8]) -> Option<(i64, u32, u32)> {
    let d = v.get(..10)?;
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        d[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
        })
    };
    if d[4] != b'-' || d[7] != b'-' {
        return None;
    }
    Some((num(0..4)? as i64, num(5..7)?, num(8..10)?))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Transform for DateShiftTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let bad = || MaskError("not a date (expected YYYY-MM-DD first)".to_owned());
        let (y, m, d) = leading_date(v).ok_or_else(bad)?;
        let rest = &v[10..];
        if self.date_only && !rest.is_empty() {
            return Err(bad());
        }
        if (y, m, d) == (0, 0, 0) {
            out.extend_from_slice(v);
            return Ok(Cell::Value);
        }
        if m == 0 || m > 12 || d == 0 || d > days_in_month(y, m) {
            return Err(MaskError(
                "not a valid date (a zero or impossible month or day)".to_owned(),
            ));
        }
        let w = keyed_word(&self.state, v);
        let by = 1 + (w % self.max_days as u64) as i64;
        let day = fit::days_from_civil(y, m, d);
        let later = w >> 63 == 1;
        let r = self.range;
        let moved = [
            if later { day + by } else { day - by },
            if later { day - by } else { day + by },
        ]
        .into_iter()
        .find(|x| (r.min..=r.max).contains(x))
        .unwrap_or(if day - by < r.min { r.min } else { r.max });
        let (y, m, d) = fit::civil_from_days(moved);
        fit::write_date(out, y, m, d);
        out.extend_from_slice(rest);
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        format!("date_shift by 1 to {} days, keyed per value", self.max_days)
    }
}

/// How big the noise is.
#[derive(Debug, Clone, Copy)]
pub enum NoiseAmount {
    /// Within `±fraction × |value|` (`relative = 0.1`: ±10 %).
    Relative(f64),
    /// Within `±amount` in the value's unit (`absolute = 5`).
    Absolute(f64),
}

impl PartialEq for NoiseAmount {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (NoiseAmount::Relative(a), NoiseAmount::Relative(b))
            | (NoiseAmount::Absolute(a), NoiseAmount::Absolute(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        }
    }
}

impl Eq for NoiseAmount {}

#[derive(Debug, Clone, Copy)]
enum Num {
    Int {
        min: i128,
        max: i128,
    },
    /// Exact, as an integer of `scale` decimals: `|v| < 10^precision`.
    Decimal {
        precision: u32,
        scale: u32,
    },
    Float,
    /// Text: integers stay integers (i64), anything else is a float.
    Auto,
}

/// `noise` bound to one column.
#[derive(Debug, Clone)]
pub struct NoiseTransform {
    state: KeyedHash,
    amount: NoiseAmount,
    num: Num,
    fit: Option<TextFit>,
}

impl NoiseTransform {
    /// Bind `noise` to `column`: integer, DECIMAL (up to 38 digits), FLOAT,
    /// DOUBLE, or text holding numbers (the output must fit it).
    pub fn new(
        key: &Key,
        amount: NoiseAmount,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<NoiseTransform, String> {
        let num = match &column.ty {
            ColumnType::Integer { bytes, unsigned } => {
                let (min, max) = fit::int_range(*bytes, *unsigned);
                Num::Int { min, max }
            }
            ColumnType::Decimal { precision, scale } => {
                if *precision > 38 || *precision == 0 || scale > precision {
                    return Err("noise handles DECIMAL of 1 to 38 digits".to_owned());
                }
                Num::Decimal {
                    precision: *precision,
                    scale: *scale,
                }
            }
            ColumnType::Float => Num::Float,
            ColumnType::Char { .. } | ColumnType::Text { .. } => Num::Auto,
            _ => return Err("noise needs a numeric or text column".to_owned()),
        };
        Ok(NoiseTransform {
            state: key.derive(&[b"noise"]),
            amount,
            num,
            fit: TextFit::for_column(column, table_charset),
        })
    }

    /// The signed amount to add to `v`, in `v`'s unit.
    fn delta(&self, value: f64, w: u64) -> f64 {
        // 53 random bits, uniform in [-1, 1).
        let u = (w >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        match self.amount {
            NoiseAmount::Relative(r) => value.abs() * r * u,
            NoiseAmount::Absolute(a) => a * u,
        }
    }
}

/// A decimal number's text as an integer of `scale` decimals; `None` when
/// it is not a plain decimal or does not fit.
fn parse_scaled(v: &[u8], scale: u32) -> Option<i128> {
    let (neg, body) = match v.first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(k) => (&body[..k], &body[k + 1..]),
        None => (body, &[][..]),
    };
    if int.is_empty() && frac.is_empty() || frac.len() > scale as usize {
        return None;
    }
    let mut n: i128 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((c - b'0') as i128)?;
    }
    for _ in frac.len()..scale as usize {
        n = n.checked_mul(10)?;
    }
    Some(if neg { -n } else { n })
}

fn write_scaled(out: &mut Vec<u8>, n: i128, scale: u32) {
    if n < 0 {
        out.push(b'-');
    }
    let p = 10u128.pow(scale);
    let a = n.unsigned_abs();
    fit::write_uint(out, a / p);
    if scale > 0 {
        out.push(b'.');
        let start = out.len();
        fit::write_uint(out, a % p + p);
        // `a % p + p` has a leading 1 before `scale` digits: drop it.
        out.remove(start);
    }
}

fn write_float(out: &mut Vec<u8>, x: f64) {
    use std::io::Write;
    write!(out, "{x}").expect("writing to a Vec cannot fail");
}

impl Transform for NoiseTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let not_number = || MaskError("not a number".to_owned());
        let w = keyed_word(&self.state, v);
        let text = std::str::from_utf8(v).map_err(|_| not_number())?.trim();
        let start = out.len();
        let int = |min: i128, max: i128, out: &mut Vec<u8>| -> Result<(), MaskError> {
            let n: i128 = text.parse().map_err(|_| not_number())?;
            let d = self.delta(n as f64, w).round() as i128;
            fit::write_int(out, n.saturating_add(d).clamp(min, max));
            Ok(())
        };
        let float = |out: &mut Vec<u8>| -> Result<(), MaskError> {
            let x: f64 = text.parse().map_err(|_| not_number())?;
            if !x.is_finite()
                || text
                    .bytes()
                    .any(|c| c.is_ascii_alphabetic() && c != b'e' && c != b'E')
            {
                return Err(not_number());
            }
            let y = x + self.delta(x, w);
            write_float(out, if y.is_finite() { y } else { x });
            Ok(())
        };
        match self.num {
            Num::Int { min, max } => int(min, max, out)?,
            Num::Decimal { precision, scale } => {
                let n = parse_scaled(text.as_bytes(), scale).ok_or_else(not_number)?;
                let limit = 10i128.pow(precision) - 1;
                let value = n as f64 / 10f64.powi(scale as i32);
                let d = (self.delta(value, w) * 10f64.powi(scale as i32)).round() as i128;
                write_scaled(out, n.saturating_add(d).clamp(-limit, limit), scale);
            }
            Num::Float => float(out)?,
            Num::Auto => {
                let integer = !text.is_empty()
                    && text
                        .bytes()
                        .enumerate()
                        .all(|(i, c)| c.is_ascii_digit() || (i == 0 && c == b'-'));
                if integer && text.parse::<i64>().is_ok() {
                    int(i64::MIN as i128, i64::MAX as i128, out)?;
                } else {
                    float(out)?;
                }
            }
        }
        if let Some(fit) = &self.fit {
            fit.check(out, start)?;
        }
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        match self.amount {
            NoiseAmount::Relative(r) => {
                // 0.07 * 100 is 7.000000000000001 in binary: show what was meant.
                let pct = (r * 100.0 * 1e9).round() / 1e9;
                format!("noise within ±{pct}% of the value, keyed")
            }
            NoiseAmount::Absolute(a) => format!("noise within ±{a}, keyed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &dyn Transform, v: &str) -> Result<String, MaskError> {
        let mut out = Vec::new();
        t.apply(Some(v.as_bytes()), &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    fn key() -> Key {
        Key::new(b"shift-test-key").unwrap()
    }

    fn days(s: &str) -> i64 {
        let (y, m, d) = leading_date(s.as_bytes()).unwrap();
        assert!(
            (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m),
            "{s}"
        );
        fit::days_from_civil(y, m, d)
    }

    #[test]
    fn date_shift_moves_within_the_window_and_keeps_the_rest() {
        let k = key();
        let col = |ty| Column::new("d", ty);
        let t = DateShiftTransform::new(&k, 30, &col(ColumnType::DateTime)).unwrap();
        let mut moved_both_ways = (false, false);
        for day in 0..400 {
            let (y, m, d) = fit::civil_from_days(fit::days_from_civil(1990, 1, 1) + day);
            let mut v = Vec::new();
            fit::write_date(&mut v, y, m, d);
            v.extend_from_slice(b" 12:34:56.789");
            let s = String::from_utf8(v).unwrap();
            let o = run(&t, &s).unwrap();
            assert!(o.ends_with(" 12:34:56.789"), "{o}");
            let by = days(&o) - days(&s);
            assert!(by != 0 && by.abs() <= 30, "{s} -> {o}");
            if by > 0 {
                moved_both_ways.0 = true;
            } else {
                moved_both_ways.1 = true;
            }
            assert_eq!(o, run(&t, &s).unwrap(), "deterministic");
        }
        assert!(moved_both_ways.0 && moved_both_ways.1);
        // Another key moves differently.
        let t2 =
            DateShiftTransform::new(&Key::new(b"other").unwrap(), 30, &col(ColumnType::DateTime))
                .unwrap();
        assert_ne!(
            (0..20)
                .map(|i| run(&t, &format!("2000-01-{:02}", i + 1)).unwrap())
                .collect::<Vec<_>>(),
            (0..20)
                .map(|i| run(&t2, &format!("2000-01-{:02}", i + 1)).unwrap())
                .collect::<Vec<_>>()
        );
        let date = DateShiftTransform::new(&k, 180, &col(ColumnType::Date)).unwrap();
        assert_eq!(run(&date, "2024-02-29").unwrap().len(), 10);
        assert_eq!(run(&date, "0000-00-00").unwrap(), "0000-00-00");
        assert!(run(&date, "2024-02-30").is_err());
        assert!(run(&date, "2024-00-10").is_err());
        assert!(run(&date, "2024-01-01 10:00:00").is_err());
        assert!(run(&date, "hello").is_err());
        // Range edges: the shift turns around.
        let o = run(&date, "9999-12-31").unwrap();
        assert!(days(&o) < days("9999-12-31"));
        let ts = DateShiftTransform::new(&k, 3650, &col(ColumnType::Timestamp)).unwrap();
        for s in [
            "1970-01-02 00:00:00",
            "2038-01-18 00:00:00",
            "1975-06-01 00:00:00",
        ] {
            let o = run(&ts, s).unwrap();
            assert!(
                days(&o) >= days("1970-01-02") && days(&o) <= days("2038-01-18"),
                "{o}"
            );
        }
        let text =
            DateShiftTransform::new(&k, 10, &col(ColumnType::Text { max_bytes: 100 })).unwrap();
        assert!(run(&text, "2020-05-05T10:00:00Z")
            .unwrap()
            .ends_with("T10:00:00Z"));
        assert!(DateShiftTransform::new(&k, 10, &col(ColumnType::Time)).is_err());
        assert!(DateShiftTransform::new(&k, 0, &col(ColumnType::Date)).is_err());
    }

    #[test]
    fn noise_respects_type_and_range() {
        let k = key();
        let int = Column::new(
            "n",
            ColumnType::Integer {
                bytes: 1,
                unsigned: true,
            },
        );
        let t = NoiseTransform::new(&k, NoiseAmount::Relative(0.5), &int, None).unwrap();
        let mut changed = 0;
        for v in 0..=255 {
            let o: i64 = run(&t, &v.to_string()).unwrap().parse().unwrap();
            assert!((0..=255).contains(&o));
            assert!((o - v).abs() as f64 <= v as f64 * 0.5 + 1.0, "{v} -> {o}");
            changed += (o != v) as u32;
        }
        assert!(changed > 150, "{changed}");
        let dec = Column::new(
            "d",
            ColumnType::Decimal {
                precision: 6,
                scale: 2,
            },
        );
        let t = NoiseTransform::new(&k, NoiseAmount::Absolute(10.0), &dec, None).unwrap();
        for v in ["0.00", "1234.56", "-9999.99", "9999.99", "5", "12.3"] {
            let o = run(&t, v).unwrap();
            let (i, f) = o.trim_start_matches('-').split_once('.').unwrap();
            assert!(i.len() <= 4 && f.len() == 2, "{v} -> {o}");
            let (a, b): (f64, f64) = (v.parse().unwrap(), o.parse().unwrap());
            assert!((a - b).abs() <= 10.01, "{v} -> {o}");
        }
        assert!(run(&t, "1.234").is_err(), "more decimals than the scale");
        assert!(run(&t, "abc").is_err());
        let text = Column::new("t", ColumnType::Text { max_bytes: 100 });
        let t = NoiseTransform::new(&k, NoiseAmount::Relative(0.1), &text, None).unwrap();
        let o = run(&t, "1000").unwrap();
        assert!(o.parse::<i64>().is_ok(), "an integer stays an integer: {o}");
        let o = run(&t, "1.5e3").unwrap();
        let x: f64 = o.parse().unwrap();
        assert!((1350.0..=1650.0).contains(&x), "{o}");
        assert!(run(&t, "inf").is_err() && run(&t, "NaN").is_err());
        let fl = Column::new("f", ColumnType::Float);
        let t = NoiseTransform::new(&k, NoiseAmount::Relative(0.1), &fl, None).unwrap();
        let x: f64 = run(&t, "-2.5").unwrap().parse().unwrap();
        assert!((-2.75..=-2.25).contains(&x));
        let t = NoiseTransform::new(&k, NoiseAmount::Relative(0.07), &fl, None).unwrap();
        assert_eq!(t.describe(), "noise within ±7% of the value, keyed");
        assert!(NoiseTransform::new(
            &k,
            NoiseAmount::Relative(0.1),
            &Column::new("x", ColumnType::Date),
            None
        )
        .is_err());
    }

    #[test]
    fn scaled_decimals_round_trip() {
        for (s, scale, n) in [
            ("1.5", 2, 150i128),
            ("-0.05", 2, -5),
            ("7", 0, 7),
            (".5", 1, 5),
        ] {
            assert_eq!(parse_scaled(s.as_bytes(), scale), Some(n), "{s}");
        }
        let mut out = Vec::new();
        write_scaled(&mut out, -5, 2);
        assert_eq!(out, b"-0.05");
        out.clear();
        write_scaled(&mut out, 150, 0);
        assert_eq!(out, b"150");
    }
}
