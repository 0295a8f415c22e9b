//! `json`: masks values at paths inside a JSON document and leaves every
//! other byte of it as it was.
//!
//! This module owns the walk over one document: it reads the document once
//! with the strict lexer of `scan` (an explicit stack, no recursion, so depth
//! costs memory, never the thread's stack), matches each value's path against
//! the rule's `path::Trie`, and copies untouched spans of the input to the
//! output as they are: key order, whitespace and escapes stay byte for byte.
//! Only a matched value is replaced, by its rule's transform output, written
//! as valid JSON. A document that is not valid JSON (RFC 8259, UTF-8) is an
//! error naming the byte offset in the value, never passed through.
//!
//! What a matched value gives its transform, and what becomes of the output:
//!
//! - a string: its unescaped text; the output is written as a JSON string
//!   (escaped as needed);
//! - a number, `true` or `false`: its JSON text (`42`, `1.5e3`, `true`); the
//!   output stays bare when it is a JSON number (`fpe`, `noise`), else it is
//!   written as a string (`hash` of a number gives a string of hex);
//! - `null`: the transform sees SQL NULL (so `hash` keeps it `null`, and
//!   `constant` replaces it);
//! - an object or array: `null` and `constant` replace it whole; any other
//!   transform is an error naming the path (name its members with `.*` or
//!   `[]`). `keep` is no rule at all: rules below it still apply.
//!
//! A transform that returns NULL writes `null`. When several paths match one
//! value (`a.*` and `a.b`), the one with more named steps wins; between
//! equally specific ones (`a.*` and `*.b`), the first in the order the rules
//! give them (the rules file's TOML keys, sorted).

mod path;
mod scan;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use path::{JsonPath, Segment};
use path::{Trie, ROOT};

use super::fit::TextFit;
use super::{Cell, MaskError, Transform};
use crate::schema::{Column, ColumnType};

/// One path of a `json` rule, bound.
#[derive(Debug, Clone)]
pub struct PathRule {
    /// The path as written in the rules file.
    pub path: JsonPath,
    /// The transform of the values there; `None` for `keep`.
    pub transform: Option<Arc<dyn Transform>>,
    /// True when the transform may replace a whole object or array (`null`,
    /// `constant`): it is then given SQL NULL as input.
    pub replaces_containers: bool,
}

/// The `json` transform bound to one column.
#[derive(Debug, Clone)]
pub struct JsonTransform {
    trie: Trie,
    rules: Vec<PathRule>,
    fit: Option<TextFit>,
    usage: Arc<PathUsage>,
}

/// Which paths matched a value, over every document masked (on every
/// thread): one atomic OR per document, for the first 64 rules.
#[derive(Debug, Default)]
struct PathUsage {
    documents: AtomicU64,
    matched: AtomicU64,
}

impl JsonTransform {
    /// A `json` transform of `rules` (in rules-file order) for `column`: a
    /// JSON column, or text (whose length the masked document must fit).
    pub fn new(
        rules: Vec<PathRule>,
        column: &Column,
        table_charset: Option<&str>,
    ) -> Result<JsonTransform, String> {
        let fit = match &column.ty {
            ColumnType::Json => None,
            ColumnType::Char { .. } | ColumnType::Text { .. } | ColumnType::Blob { .. } => {
                TextFit::for_column(column, table_charset)
            }
            _ => return Err("json needs a JSON or text column".to_owned()),
        };
        Ok(Self::with_fit(rules, fit))
    }

    fn with_fit(rules: Vec<PathRule>, fit: Option<TextFit>) -> JsonTransform {
        JsonTransform {
            trie: Trie::new(rules.iter().map(|r| &r.path)),
            rules,
            fit,
            usage: Arc::new(PathUsage::default()),
        }
    }
}

impl Transform for JsonTransform {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        let Some(doc) = input else {
            return Ok(Cell::Null);
        };
        let start = out.len();
        // The walk's buffers are kept per thread between documents (taken,
        // so a nested walk would simply start with fresh ones).
        let mut walk = Walk::new(self, doc, out, BUFFERS.take().unwrap_or_default());
        let result = walk.run();
        if result.is_ok() {
            self.usage.documents.fetch_add(1, Ordering::Relaxed);
            self.usage.matched.fetch_or(walk.matched, Ordering::Relaxed);
        }
        let buffers = walk.into_buffers();
        if buffers.is_small() {
            BUFFERS.set(Some(buffers));
        }
        result.map_err(|e| match e {
            WalkError::Syntax(e) => MaskError(format!(
                "invalid JSON at byte {} of the value: expected {}",
                e.at, e.what
            )),
            WalkError::Mask(e) => e,
        })?;
        if let Some(fit) = &self.fit {
            fit.check(out, start)?;
        }
        Ok(Cell::Value)
    }

    fn describe(&self) -> String {
        let mut s = String::from("json {");
        for (i, r) in self.rules.iter().enumerate() {
            s.push_str(if i == 0 { " " } else { "; " });
            s.push_str(&r.path.to_string());
            s.push_str(" -> ");
            match &r.transform {
                None => s.push_str("keep"),
                Some(t) => s.push_str(&t.describe()),
            }
        }
        s.push_str(" }");
        s
    }

    fn small_domain_values(&self) -> u64 {
        self.rules
            .iter()
            .filter_map(|r| r.transform.as_ref())
            .map(|t| t.small_domain_values())
            .sum()
    }

    /// The paths no document had a value at, once some were masked: a
    /// misspelt key or a wrong nesting masks nothing, silently otherwise.
    fn unmatched(&self) -> Vec<String> {
        let documents = self.usage.documents.load(Ordering::Relaxed);
        if documents == 0 {
            return Vec::new();
        }
        let matched = self.usage.matched.load(Ordering::Relaxed);
        self.rules
            .iter()
            .enumerate()
            .filter(|&(i, _)| i < 64 && matched & (1 << i) == 0)
            .map(|(_, r)| {
                format!(
                    "json path {} matched none of the {documents} documents masked",
                    r.path
                )
            })
            .collect()
    }
}

enum WalkError {
    Syntax(scan::SyntaxError),
    Mask(MaskError),
}

impl From<scan::SyntaxError> for WalkError {
    fn from(e: scan::SyntaxError) -> Self {
        WalkError::Syntax(e)
    }
}

/// The kind of a scalar value, for writing its replacement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Bare,
    Null,
}

/// A set of trie nodes: `arena[start..end]`.
type NodeSet = (usize, usize);

/// An open object or array.
struct Frame {
    array: bool,
    /// The trie nodes matching this container: `arena[set.0..set.1]`.
    set: NodeSet,
    /// Elements seen so far (arrays).
    index: u32,
    /// Replaced whole when it closes: (rule, offset of its first byte).
    replace: Option<(usize, usize)>,
}

/// The scratch space of a walk, reused between documents on one thread.
#[derive(Default)]
struct Buffers {
    arena: Vec<u32>,
    frames: Vec<Frame>,
    text: Vec<u8>,
    masked: Vec<u8>,
}

impl Buffers {
    /// Small enough to keep for the next document (a huge one's are freed).
    fn is_small(&self) -> bool {
        self.arena.capacity() + self.frames.capacity() < 4096
            && self.text.capacity() + self.masked.capacity() < 1 << 16
    }
}

thread_local! {
    static BUFFERS: std::cell::Cell<Option<Buffers>> = const { std::cell::Cell::new(None) };
}

/// One pass over one document.
struct Walk<'a> {
    t: &'a JsonTransform,
    s: &'a [u8],
    out: &'a mut Vec<u8>,
    /// Bit `r`: rule `r` (of the first 64) matched a value of this document.
    matched: u64,
    /// Input before this offset has been written to `out` (or replaced).
    copied: usize,
    /// Node sets of the open containers and of the value being read.
    arena: Vec<u32>,
    frames: Vec<Frame>,
    /// A matched string, unescaped; a member name, unescaped.
    text: Vec<u8>,
    /// A transform's output.
    masked: Vec<u8>,
}

impl<'a> Walk<'a> {
    fn new(t: &'a JsonTransform, s: &'a [u8], out: &'a mut Vec<u8>, b: Buffers) -> Walk<'a> {
        let Buffers {
            mut arena,
            mut frames,
            text,
            masked,
        } = b;
        arena.clear();
        arena.push(ROOT);
        frames.clear();
        Walk {
            t,
            s,
            out,
            matched: 0,
            copied: 0,
            arena,
            frames,
            text,
            masked,
        }
    }

    /// The walk's buffers, to keep for the next document.
    fn into_buffers(self) -> Buffers {
        Buffers {
            arena: self.arena,
            frames: self.frames,
            text: self.text,
            masked: self.masked,
        }
    }

    fn run(&mut self) -> Result<(), WalkError> {
        let s = self.s;
        let mut i = scan::skip_ws(s, 0);
        // The value about to be read is matched by arena[set.0..set.1].
        let mut set: NodeSet = (0, 1);
        loop {
            // Read one value (a scalar, or the opening of a container).
            if i >= s.len() {
                return Err(scan::SyntaxError {
                    at: i,
                    what: "a JSON value (the document ends early)",
                }
                .into());
            }
            let rule = self.t.trie.rule(&self.arena[set.0..set.1]);
            if let Some(r) = rule.filter(|&r| r < 64) {
                self.matched |= 1 << r;
            }
            let rule = rule.filter(|&r| self.t.rules[r].transform.is_some());
            let c = s[i];
            if c == b'{' || c == b'[' {
                let replace = match rule {
                    Some(r) if self.t.rules[r].replaces_containers => Some((r, i)),
                    Some(r) => return Err(self.container_error(r, c == b'[')),
                    None => None,
                };
                // Inside a replaced container nothing is matched.
                let fset = if replace.is_some() {
                    (set.1, set.1)
                } else {
                    set
                };
                self.frames.push(Frame {
                    array: c == b'[',
                    set: fset,
                    index: 0,
                    replace,
                });
                i = scan::skip_ws(s, i + 1);
                let close = if c == b'[' { b']' } else { b'}' };
                if s.get(i) == Some(&close) {
                    i = self.close(i)?;
                } else {
                    (i, set) = self.next_item(i)?;
                    continue;
                }
            } else {
                let (end, kind, tok) = match c {
                    b'"' => {
                        let (tok, end) = scan::string(s, i)?;
                        (end, Kind::String, Some(tok))
                    }
                    b'-' | b'0'..=b'9' => (scan::number(s, i)?, Kind::Bare, None),
                    b'n' => (scan::literal(s, i)?, Kind::Null, None),
                    _ => (scan::literal(s, i)?, Kind::Bare, None),
                };
                if let Some(r) = rule {
                    self.replace_scalar(r, i, end, kind, tok)?;
                }
                i = end;
            }
            // After a value: a separator, a closing bracket, or the end.
            loop {
                i = scan::skip_ws(s, i);
                let Some(&Frame {
                    array,
                    set: (_, set_end),
                    ..
                }) = self.frames.last()
                else {
                    if i != s.len() {
                        return Err(scan::SyntaxError {
                            at: i,
                            what: "the end of the document after its value",
                        }
                        .into());
                    }
                    self.out.extend_from_slice(&s[self.copied..]);
                    return Ok(());
                };
                self.arena.truncate(set_end);
                let close = if array { b']' } else { b'}' };
                match s.get(i) {
                    Some(b',') => {
                        let after = scan::skip_ws(s, i + 1);
                        (i, set) = self.next_item(after)?;
                        break;
                    }
                    Some(&b) if b == close => i = self.close(i)?,
                    _ => {
                        return Err(scan::SyntaxError {
                            at: i,
                            what: if array {
                                "`,` or `]` in an array"
                            } else {
                                "`,` or `}` in an object"
                            },
                        }
                        .into())
                    }
                }
            }
        }
    }

    /// At the start of an array element or object member (`i` at its first
    /// byte): read a member's name and colon, push the node set of the value
    /// that follows, and return where the value starts and its set.
    fn next_item(&mut self, i: usize) -> Result<(usize, NodeSet), WalkError> {
        let s = self.s;
        let top = self.frames.last_mut().expect("a frame is open");
        let (a, b) = top.set;
        let child = self.arena.len();
        if top.array {
            let index = top.index;
            top.index = top.index.saturating_add(1);
            for k in a..b {
                let n = self.arena[k];
                self.t.trie.element(n, index, &mut self.arena);
            }
            return Ok((i, (child, self.arena.len())));
        }
        if s.get(i) != Some(&b'"') {
            return Err(scan::SyntaxError {
                at: i,
                what: "a member name (a string) in an object",
            }
            .into());
        }
        let (name, after) = scan::string(s, i)?;
        if a < b {
            let key: &[u8] =
                if name.escaped && (a..b).any(|k| self.t.trie.has_named_members(self.arena[k])) {
                    self.text.clear();
                    scan::unescape(s, name, &mut self.text);
                    &self.text
                } else {
                    &s[name.start..name.end]
                };
            for k in a..b {
                let n = self.arena[k];
                self.t.trie.member(n, key, &mut self.arena);
            }
        }
        let j = scan::skip_ws(s, after);
        if s.get(j) != Some(&b':') {
            return Err(scan::SyntaxError {
                at: j,
                what: "`:` after a member name",
            }
            .into());
        }
        Ok((scan::skip_ws(s, j + 1), (child, self.arena.len())))
    }

    /// Close the top container at `s[i]` (its closing bracket); returns the
    /// index after it.
    fn close(&mut self, i: usize) -> Result<usize, WalkError> {
        let f = self.frames.pop().expect("a frame is open");
        self.arena.truncate(f.set.1);
        if let Some((rule, start)) = f.replace {
            self.write_replacement(rule, start, i + 1, Kind::Null, None)?;
        }
        Ok(i + 1)
    }

    fn container_error(&self, rule: usize, array: bool) -> WalkError {
        let r = &self.t.rules[rule];
        let what = if array { "an array" } else { "an object" };
        let how = if array { "[]" } else { ".*" };
        WalkError::Mask(MaskError(format!(
            "JSON path {} matched {what}; {} masks only strings, numbers and booleans \
             (name its members, as in {}{how}, or use null or constant)",
            r.path,
            r.transform
                .as_ref()
                .map(|t| t.describe())
                .unwrap_or_default(),
            r.path
        )))
    }

    /// Replace the scalar `s[start..end]` (a string when `tok` is given)
    /// by rule `rule`'s output.
    fn replace_scalar(
        &mut self,
        rule: usize,
        start: usize,
        end: usize,
        kind: Kind,
        tok: Option<scan::Str>,
    ) -> Result<(), WalkError> {
        let s = self.s;
        match (kind, tok) {
            (_, Some(tok)) if tok.escaped => {
                let mut text = std::mem::take(&mut self.text);
                text.clear();
                scan::unescape(s, tok, &mut text);
                let r = self.write_replacement(rule, start, end, kind, Some(&text));
                self.text = text;
                r
            }
            (_, Some(tok)) => {
                self.write_replacement(rule, start, end, kind, Some(&s[tok.start..tok.end]))
            }
            (Kind::Null, None) => self.write_replacement(rule, start, end, kind, None),
            (_, None) => self.write_replacement(rule, start, end, kind, Some(&s[start..end])),
        }
    }

    /// Write the input up to `start`, then rule `rule`'s output for `input`
    /// in place of `s[start..end]`.
    fn write_replacement(
        &mut self,
        rule: usize,
        start: usize,
        end: usize,
        kind: Kind,
        input: Option<&[u8]>,
    ) -> Result<(), WalkError> {
        let r = &self.t.rules[rule];
        let t = r.transform.as_ref().expect("keep is no rule");
        self.masked.clear();
        let cell = t
            .apply(input, &mut self.masked)
            .map_err(|e| WalkError::Mask(MaskError(format!("JSON path {}: {e}", r.path))))?;
        self.out.extend_from_slice(&self.s[self.copied..start]);
        self.copied = end;
        match cell {
            Cell::Null => self.out.extend_from_slice(b"null"),
            Cell::Value if kind != Kind::String && scan::is_number(&self.masked) => {
                self.out.extend_from_slice(&self.masked)
            }
            Cell::Value => scan::write_string(&self.masked, self.out).map_err(|()| {
                WalkError::Mask(MaskError(format!(
                    "JSON path {}: the masked value is not UTF-8, which a JSON string cannot hold",
                    r.path
                )))
            })?,
        }
        Ok(())
    }
}

/// Check that `doc` is one valid JSON document (the same strict reader the
/// transform uses); `Err` says where and what was expected. For tests and
/// fuzzing.
#[doc(hidden)]
pub fn validate(doc: &[u8]) -> Result<(), String> {
    let t = JsonTransform::with_fit(Vec::new(), None);
    let mut out = Vec::new();
    t.apply(Some(doc), &mut out).map(|_| ()).map_err(|e| e.0)
}

#[cfg(test)]
mod tests;
