//! Transforms: pure, keyed, deterministic functions from one cell value to its masked value.
//!
//! This module owns the masking functions and nothing else: no parsing of dumps,
//! no I/O, no quoting for SQL or TSV (the caller re-encodes the raw output bytes
//! as a literal of the dump's format). A transform is bound to one column
//! ([`crate::schema::ColumnType`]) when the rules are bound to a table, so the
//! hot loop only calls [`Transform::apply`].
//!
//! Submodules: `key` (the secret, redacted in `Debug`; the keyed PRF,
//! BLAKE3 or HMAC-SHA256, and SipHash for fpe's rounds), `collation` (what a column's collation ignores: case,
//! trailing spaces), `fit` (column limits, numbers and dates without `format!`),
//! `hash`, `fake` (with `ja` word lists), `fpe`, `basic` (`null`,
//! `constant`, `partial`, `keep`), and the value-level ones that reach inside
//! a value: `json` (paths inside a JSON document), `text` (`separator`,
//! `regex_replace`, `dictionary`) and `shift` (`date_shift`, `noise`).

use std::fmt;

mod basic;
mod collation;
mod fake;
pub(crate) mod fit;
mod fpe;
mod hash;
mod ja;
pub mod json;
mod key;
mod shift;
mod text;

pub use basic::{ConstantTransform, KeepTransform, NullTransform, PartialTransform};
pub use collation::{CollationMode, Folding};
pub use fake::{FakeKind, FakeTransform, Locale};
pub use fpe::{FpeTransform, MIN_FPE_DOMAIN};
pub use hash::{HashFormat, HashTransform, EMAIL_DOMAIN};
pub use json::{JsonPath, JsonTransform, PathRule};
pub(crate) use key::SipKey;
pub use key::{Key, Prf};
pub use shift::{DateShiftTransform, NoiseAmount, NoiseTransform, MAX_SHIFT_DAYS};
pub use text::{DictionaryTransform, Pattern, RegexReplaceTransform, SeparatedTransform, Unlisted};

/// The result of masking one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The masked cell is SQL `NULL`; the output buffer is ignored.
    Null,
    /// The masked cell's raw (unescaped) bytes were written to the output buffer.
    Value,
}

/// Why a value could not be masked. Never contains the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskError(pub String);

impl fmt::Display for MaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// True when `v` holds a letter or digit outside ASCII (kanji, kana, an
/// accented or a full-width character) in its valid UTF-8: what `fpe`,
/// which changes ASCII letters and digits only, would keep as it is. The
/// scan counts such values so that the scaffold never suggests `fpe` for
/// them. Quick on ASCII values.
pub fn holds_other_script(v: &[u8]) -> bool {
    !v.is_ascii()
        && v.utf8_chunks()
            .flat_map(|c| c.valid().chars())
            .any(|c| !c.is_ascii() && c.is_alphanumeric())
}

/// A masking function bound to one column.
///
/// Implementations are `Send + Sync` and deterministic: the same key and the
/// same input give the same output on every thread, in every run.
pub trait Transform: Send + Sync + fmt::Debug {
    /// Mask one cell. `input` is the cell's raw (unescaped) bytes, or `None`
    /// for SQL `NULL`. `out` is cleared by the caller; the transform appends the
    /// masked value's raw bytes to it and returns [`Cell::Value`], or returns
    /// [`Cell::Null`].
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError>;

    /// A short human description for `masker explain` (`hash`, `fake name ja_JP`, ...).
    fn describe(&self) -> String;

    /// True when this transform returns its input unchanged (`keep`); the
    /// engine then skips it entirely.
    fn is_identity(&self) -> bool {
        false
    }

    /// How many values masked so far (by this bound transform, on every
    /// thread) had a domain too small to hide them: fewer than
    /// [`MIN_FPE_DOMAIN`] possible values. Only `fpe` counts; the others
    /// return 0. A summary warns per column when it is not 0.
    fn small_domain_values(&self) -> u64 {
        0
    }

    /// Parts of this rule that matched nothing in the values masked so far
    /// (a `json` path no document had), in words, once some value was
    /// masked; empty for whole-value transforms. A summary warns per
    /// column, so `check` on a sample catches a path that can never match.
    fn unmatched(&self) -> Vec<String> {
        Vec::new()
    }
}
