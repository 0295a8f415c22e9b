//! Transforms over pieces of a text value: `separator` (each element of a
//! list), `regex_replace` (each match of a pattern) and `dictionary` (listed
//! values mapped to chosen ones).
//!
//! This module owns how a value is cut into pieces and put back together; the
//! pieces are masked by other bound transforms (or constants), so it uses no
//! key itself. Outputs whose length depends on the value are checked against
//! the column's limit and refused (an error naming the column), never cut.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::fit::TextFit;
use super::{Cell, MaskError, Transform};
use crate::schema::Column;

fn text_fit(what: &str, column: &Column, table_charset: Option<&str>) -> Result<TextFit, String> {
    TextFit::for_column(column, table_charset)
        .ok_or_else(|| format!("{what} needs a text column (CHAR, VARCHAR, TEXT)"))
}

/// `separator = ","`: the inner transform masks each element of a list held
/// in one value; separators stay where they were, and so do the spaces
/// around each element (`a@x.com, b@y.com`). Empty elements stay empty.
#[derive(Debug, Clone)]
pub struct SeparatedTransform {
    separator: Vec<u8>,
    inner: Arc<dyn Transform>,
    fit: Option<TextFit>,
}

impl SeparatedTransform {
    /// Mask each `separator`-separated element of `column`'s values with
    /// `inner`; the whole output must fit the column (a text column).
    pub fn new(
        separator: &str,
        inner: Arc<dyn Transform>,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<Self, String> {
        Ok(Self::with_fit(
            separator,
            inner,
            Some(text_fit("separator", column, table_charset)?),
        ))
    }

    fn with_fit(separator: &str, inner: Arc<dyn Transform>, fit: Option<TextFit>) -> Self {
        SeparatedTransform {
            separator: separator.as_bytes().to_vec(),
            inner,
            fit,
        }
    }
}

impl Transform for SeparatedTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let start = out.len();
        let mut rest = v;
        loop {
            let (elem, next) = match memchr::memmem::find(rest, &self.separator) {
                Some(k) => (&rest[..k], Some(&rest[k + self.separator.len()..])),
                None => (rest, None),
            };
            let lead = elem.len() - elem.trim_ascii_start().len();
            let core = elem.trim_ascii();
            out.extend_from_slice(&elem[..lead]);
            if !core.is_empty() {
                match self.inner.apply(Some(core), out)? {
                    Cell::Value => {}
                    Cell::Null => {
                        return Err(MaskError(
                            "an element of the list was masked to NULL, which a list cannot hold"
                                .into(),
                        ))
                    }
                }
            }
            out.extend_from_slice(&elem[lead + core.len()..]);
            match next {
                Some(n) => {
                    out.extend_from_slice(&self.separator);
                    rest = n;
                }
                None => break,
            }
        }
        if let Some(fit) = &self.fit {
            fit.check(out, start)?;
        }
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        format!(
            "{} on each element separated by {:?}",
            self.inner.describe(),
            String::from_utf8_lossy(&self.separator)
        )
    }

    fn small_domain_values(&self) -> u64 {
        self.inner.small_domain_values()
    }
}

/// A compiled `regex_replace` pattern (the `regex` crate's syntax, over
/// bytes, so non-UTF-8 values are searched too). Two patterns are equal when
/// their text is.
#[derive(Clone)]
pub struct Pattern(regex::bytes::Regex);

impl Pattern {
    /// Compile `pattern`; the error is the regex crate's explanation.
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        regex::bytes::RegexBuilder::new(pattern)
            .size_limit(1 << 22)
            .build()
            .map(Pattern)
            .map_err(|e| e.to_string())
    }

    /// The pattern's text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Pattern {}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.as_str())
    }
}

/// `regex_replace`: every non-empty match of a pattern is replaced by the
/// inner transform's output for the matched text (a `constant` writes its
/// value as it is); the text between matches is kept.
#[derive(Debug, Clone)]
pub struct RegexReplaceTransform {
    pattern: Pattern,
    with: Arc<dyn Transform>,
    fit: Option<TextFit>,
}

impl RegexReplaceTransform {
    /// Replace matches of `pattern` in `column`'s values by `with`'s
    /// output; the whole output must fit the column (a text column).
    pub fn new(
        pattern: Pattern,
        with: Arc<dyn Transform>,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<Self, String> {
        let fit = Some(text_fit("regex_replace", column, table_charset)?);
        Ok(Self::with_fit(pattern, with, fit))
    }

    fn with_fit(pattern: Pattern, with: Arc<dyn Transform>, fit: Option<TextFit>) -> Self {
        RegexReplaceTransform { pattern, with, fit }
    }
}

impl Transform for RegexReplaceTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        let start = out.len();
        let mut last = 0;
        for m in self.pattern.0.find_iter(v) {
            if m.is_empty() {
                continue;
            }
            out.extend_from_slice(&v[last..m.start()]);
            match self.with.apply(Some(m.as_bytes()), out)? {
                Cell::Value => {}
                Cell::Null => {
                    return Err(MaskError(
                        "a match was masked to NULL, which cannot stand inside a value".into(),
                    ))
                }
            }
            last = m.end();
        }
        out.extend_from_slice(&v[last..]);
        if let Some(fit) = &self.fit {
            fit.check(out, start)?;
        }
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        format!(
            "regex_replace /{}/ -> {}",
            self.pattern.as_str(),
            self.with.describe()
        )
    }

    fn small_domain_values(&self) -> u64 {
        self.with.small_domain_values()
    }
}

/// What `dictionary` does with a value that is not listed.
#[derive(Debug, Clone)]
pub enum Unlisted {
    /// Stop the run with an error naming the column (the default: a value
    /// nobody listed is never passed through unnoticed).
    Error,
    /// Pass it through unchanged (`unlisted = "keep"`).
    Keep,
    /// Mask it with this transform (`unlisted = "hash"`, `"null"`, ...).
    Mask(Arc<dyn Transform>),
}

/// `dictionary`: listed values become their mapped value (exact bytes);
/// others go as [`Unlisted`] says.
#[derive(Debug, Clone)]
pub struct DictionaryTransform {
    map: HashMap<Vec<u8>, Vec<u8>>,
    unlisted: Unlisted,
}

impl DictionaryTransform {
    /// A dictionary of `(from, to)` pairs (each `to` already checked to fit
    /// the column).
    pub fn new(pairs: &[(String, String)], unlisted: Unlisted) -> DictionaryTransform {
        DictionaryTransform {
            map: pairs
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
                .collect(),
            unlisted,
        }
    }
}

impl Transform for DictionaryTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(v) = input else {
            return Ok(Cell::Null);
        };
        if let Some(to) = self.map.get(v) {
            out.extend_from_slice(to);
            return Ok(Cell::Value);
        }
        match &self.unlisted {
            Unlisted::Error => Err(MaskError(
                "a value is not in the dictionary (set unlisted = \"keep\", \"null\" or a transform)"
                    .into(),
            )),
            Unlisted::Keep => {
                out.extend_from_slice(v);
                Ok(Cell::Value)
            }
            Unlisted::Mask(t) => t.apply(input, out),
        }
    }

    fn describe(&self) -> String {
        let other = match &self.unlisted {
            Unlisted::Error => "an error".to_owned(),
            Unlisted::Keep => "kept".to_owned(),
            Unlisted::Mask(t) => t.describe(),
        };
        format!("dictionary of {} values; others: {other}", self.map.len())
    }

    fn small_domain_values(&self) -> u64 {
        match &self.unlisted {
            Unlisted::Mask(t) => t.small_domain_values(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ColumnType;
    use crate::transform::fit::Unit;
    use crate::transform::{ConstantTransform, KeepTransform};

    /// Upper-cases ASCII: a visible stand-in for a masking transform.
    #[derive(Debug)]
    struct Upper;
    impl Transform for Upper {
        fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
            out.extend(input.unwrap().to_ascii_uppercase());
            Ok(Cell::Value)
        }
        fn describe(&self) -> String {
            "upper".into()
        }
    }

    fn run(t: &dyn Transform, v: &str) -> Result<String, MaskError> {
        let mut out = b"prefix".to_vec();
        t.apply(Some(v.as_bytes()), &mut out)?;
        Ok(String::from_utf8(out[6..].to_vec()).unwrap())
    }

    #[test]
    fn separated_masks_each_element_and_keeps_the_rest() {
        let t = SeparatedTransform::with_fit(",", Arc::new(Upper), None);
        assert_eq!(run(&t, "a@x.com, b@y.com").unwrap(), "A@X.COM, B@Y.COM");
        assert_eq!(run(&t, "a,,b,").unwrap(), "A,,B,");
        assert_eq!(run(&t, " a ").unwrap(), " A ");
        assert_eq!(run(&t, "").unwrap(), "");
        let t = SeparatedTransform::with_fit(" | ", Arc::new(Upper), None);
        assert_eq!(run(&t, "x | y|z").unwrap(), "X | Y|Z");
        let fit = TextFit {
            max: 5,
            unit: Unit::Chars,
            ascii_only: false,
        };
        let t = SeparatedTransform::with_fit(",", Arc::new(Upper), Some(fit));
        assert_eq!(run(&t, "ab,c").unwrap(), "AB,C");
        let e = run(&t, "ab,cd,e").unwrap_err();
        assert!(e.0.contains("does not fit"), "{e}");
        let mut out = Vec::new();
        assert_eq!(t.apply(None, &mut out).unwrap(), Cell::Null);
    }

    #[test]
    fn regex_replace_masks_matches_only() {
        let p = Pattern::new(r"[\w.+-]+@[\w-]+\.[\w.]+").unwrap();
        let t = RegexReplaceTransform::with_fit(p.clone(), Arc::new(Upper), None);
        assert_eq!(
            run(&t, "mail a.b@x.com or c@d.org now").unwrap(),
            "mail A.B@X.COM or C@D.ORG now"
        );
        assert_eq!(run(&t, "nothing here").unwrap(), "nothing here");
        let col = Column::new("c", ColumnType::Text { max_bytes: 100 });
        let c = ConstantTransform::new("[email]", &col, None).unwrap();
        let t = RegexReplaceTransform::with_fit(p, Arc::new(c), None);
        assert_eq!(run(&t, "to x@y.jp, 山田").unwrap(), "to [email], 山田");
        assert!(Pattern::new("(").is_err());
        assert_eq!(Pattern::new("a+").unwrap(), Pattern::new("a+").unwrap());
        // Empty matches are not replaced.
        let t = RegexReplaceTransform::with_fit(Pattern::new("x*").unwrap(), Arc::new(Upper), None);
        assert_eq!(run(&t, "axxb").unwrap(), "aXXb");
    }

    #[test]
    fn dictionary_maps_listed_values_and_says_what_others_do() {
        let pairs = vec![("tokyo".to_owned(), "osaka".to_owned())];
        let t = DictionaryTransform::new(&pairs, Unlisted::Error);
        assert_eq!(run(&t, "tokyo").unwrap(), "osaka");
        let e = run(&t, "kyoto").unwrap_err();
        assert!(!e.0.contains("kyoto"), "never the value: {e}");
        let t = DictionaryTransform::new(&pairs, Unlisted::Keep);
        assert_eq!(run(&t, "kyoto").unwrap(), "kyoto");
        let t = DictionaryTransform::new(&pairs, Unlisted::Mask(Arc::new(Upper)));
        assert_eq!(run(&t, "kyoto").unwrap(), "KYOTO");
        assert_eq!(run(&t, "Tokyo").unwrap(), "TOKYO", "exact bytes only");
        let t = DictionaryTransform::new(&pairs, Unlisted::Mask(Arc::new(KeepTransform)));
        assert_eq!(t.describe(), "dictionary of 1 values; others: keep");
    }
}
