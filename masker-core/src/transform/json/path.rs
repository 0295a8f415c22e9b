//! JSON paths of the rules file (`owner.email`, `tags[]`, `contacts[].phone`)
//! and the trie that matches them while a document is read.
//!
//! This module owns the path syntax and its checks (a bad path is a config
//! error with its rules-file path) and the match structure; it reads no JSON.
//!
//! Syntax: an optional `$` then segments. A segment is a member name
//! (`owner`; any characters but `.`, `[`, `]`, `"` and whitespace), `*` (any
//! member), `[]` (any array element), `[N]` (element N, from 0) or `["name"]`
//! (a member whose name needs quoting: `["e.mail"]`, `["*"]`; `\"` and `\\`
//! escape). Names are separated by `.`; brackets follow directly
//! (`contacts[].phone`, `a[0][1]`).

use std::fmt;

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// The member with this (unescaped) name.
    Key(Vec<u8>),
    /// Any member of an object (`*`).
    AnyKey,
    /// Array element N (`[N]`).
    Index(u32),
    /// Any array element (`[]`).
    AnyIndex,
}

/// A parsed JSON path, with its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    text: String,
    segments: Vec<Segment>,
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl JsonPath {
    /// Parse `text`; the error says what is wrong (never more than the path).
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let b = text.as_bytes();
        let mut i = 0;
        let mut segments = Vec::new();
        if b.first() == Some(&b'$') {
            i = 1;
            match b.get(1) {
                None => {
                    return Err(
                        "`$` is the whole document: put the transform on the column instead".into(),
                    )
                }
                Some(b'.') => i = 2,
                Some(b'[') => {}
                Some(_) => return Err("`$` must be followed by `.` or `[`".into()),
            }
        }
        let mut expect_name = true; // at the start or right after a `.`
        while i < b.len() {
            match b[i] {
                b'[' => {
                    if expect_name && !segments.is_empty() {
                        return Err(format!("empty member name before `[` at byte {i}"));
                    }
                    let (seg, next) = bracket(b, i)?;
                    segments.push(seg);
                    i = next;
                    expect_name = false;
                }
                b'.' => {
                    if expect_name {
                        return Err(format!("empty member name at byte {i}"));
                    }
                    expect_name = true;
                    i += 1;
                }
                _ if expect_name => {
                    let start = i;
                    while i < b.len() && !matches!(b[i], b'.' | b'[') {
                        let c = b[i];
                        if c == b']' || c == b'"' || c.is_ascii_whitespace() || c < 0x20 {
                            return Err(format!(
                                "unexpected {} in a member name at byte {i} (quote the name: [\"...\"])",
                                describe_byte(c)
                            ));
                        }
                        i += 1;
                    }
                    let name = &b[start..i];
                    segments.push(if name == b"*" {
                        Segment::AnyKey
                    } else {
                        Segment::Key(name.to_vec())
                    });
                    expect_name = false;
                }
                c => {
                    return Err(format!(
                        "expected `.` or `[` at byte {i}, found {}",
                        describe_byte(c)
                    ))
                }
            }
        }
        if expect_name {
            return Err(if segments.is_empty() {
                "empty path".into()
            } else {
                "the path ends with `.`".into()
            });
        }
        Ok(JsonPath {
            text: text.to_owned(),
            segments,
        })
    }

    /// The steps, from the document's root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// How many steps name one member or element (not a wildcard): the more,
    /// the more specific, and the more specific rule wins when several match.
    fn specificity(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Key(_) | Segment::Index(_)))
            .count()
    }
}

fn describe_byte(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("`{}`", c as char)
    } else {
        format!("byte 0x{c:02x}")
    }
}

/// A `[...]` segment starting at `b[i] == b'['`; returns it and the index after `]`.
fn bracket(b: &[u8], i: usize) -> Result<(Segment, usize), String> {
    let mut j = i + 1;
    match b.get(j) {
        Some(b']') => Ok((Segment::AnyIndex, j + 1)),
        Some(b'"') => {
            j += 1;
            let mut name = Vec::new();
            loop {
                match b.get(j) {
                    None => return Err(format!("unterminated quoted name from byte {i}")),
                    Some(b'"') => break,
                    Some(b'\\') => match b.get(j + 1) {
                        Some(&c @ (b'"' | b'\\')) => {
                            name.push(c);
                            j += 2;
                        }
                        _ => {
                            return Err(format!(
                                "only \\\" and \\\\ escape in a quoted name (byte {j})"
                            ))
                        }
                    },
                    Some(&c) => {
                        name.push(c);
                        j += 1;
                    }
                }
            }
            if b.get(j + 1) != Some(&b']') {
                return Err(format!(
                    "expected `]` after the quoted name at byte {}",
                    j + 1
                ));
            }
            Ok((Segment::Key(name), j + 2))
        }
        Some(c) if c.is_ascii_digit() => {
            let start = j;
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            if b.get(j) != Some(&b']') {
                return Err(format!("expected `]` after the index at byte {j}"));
            }
            let n = std::str::from_utf8(&b[start..j])
                .expect("digits")
                .parse::<u32>()
                .map_err(|_| format!("array index too large at byte {start}"))?;
            Ok((Segment::Index(n), j + 1))
        }
        _ => Err(format!(
            "expected `]`, an index or a quoted name after `[` at byte {i}"
        )),
    }
}

/// A node of the [`Trie`]: where one prefix of some paths leads.
#[derive(Debug, Default, Clone)]
struct Node {
    keys: Vec<(Vec<u8>, u32)>,
    any_key: Option<u32>,
    indexes: Vec<(u32, u32)>,
    any_index: Option<u32>,
    /// The rule of the path ending here, and its specificity.
    rule: Option<(usize, usize)>,
}

/// The paths of one JSON rule, merged into a trie. While a document is read,
/// each value is matched by the *set* of nodes its path reaches (a name and
/// `*` may both match), kept on a stack by the reader.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    nodes: Vec<Node>,
}

/// The root node's id.
pub(crate) const ROOT: u32 = 0;

impl Trie {
    /// A trie of `paths`; the rule of `paths[i]` is `i`.
    pub(crate) fn new<'p>(paths: impl IntoIterator<Item = &'p JsonPath>) -> Trie {
        let mut t = Trie {
            nodes: vec![Node::default()],
        };
        for (rule, p) in paths.into_iter().enumerate() {
            let mut n = ROOT;
            for seg in &p.segments {
                n = t.child_or_insert(n, seg);
            }
            // Two equal paths cannot come from one TOML table; keep the first.
            t.nodes[n as usize]
                .rule
                .get_or_insert((rule, p.specificity()));
        }
        t
    }

    fn child_or_insert(&mut self, n: u32, seg: &Segment) -> u32 {
        let next = self.nodes.len() as u32;
        let node = &mut self.nodes[n as usize];
        let slot = match seg {
            Segment::Key(k) => match node.keys.iter().find(|(kk, _)| kk == k) {
                Some((_, c)) => return *c,
                None => {
                    node.keys.push((k.clone(), next));
                    next
                }
            },
            Segment::Index(i) => match node.indexes.iter().find(|(ii, _)| ii == i) {
                Some((_, c)) => return *c,
                None => {
                    node.indexes.push((*i, next));
                    next
                }
            },
            Segment::AnyKey => *node.any_key.get_or_insert(next),
            Segment::AnyIndex => *node.any_index.get_or_insert(next),
        };
        if slot == next {
            self.nodes.push(Node::default());
        }
        slot
    }

    /// Push onto `out` the children of `n` that a member named `key` reaches.
    #[inline]
    pub(crate) fn member(&self, n: u32, key: &[u8], out: &mut Vec<u32>) {
        let node = &self.nodes[n as usize];
        if let Some((_, c)) = node.keys.iter().find(|(k, _)| k == key) {
            out.push(*c);
        }
        if let Some(c) = node.any_key {
            out.push(c);
        }
    }

    /// True when some child of `n` is reached by a member name (not only `*`).
    #[inline]
    pub(crate) fn has_named_members(&self, n: u32) -> bool {
        !self.nodes[n as usize].keys.is_empty()
    }

    /// Push onto `out` the children of `n` that array element `index` reaches.
    #[inline]
    pub(crate) fn element(&self, n: u32, index: u32, out: &mut Vec<u32>) {
        let node = &self.nodes[n as usize];
        if let Some((_, c)) = node.indexes.iter().find(|(i, _)| *i == index) {
            out.push(*c);
        }
        if let Some(c) = node.any_index {
            out.push(c);
        }
    }

    /// The rule that applies to a value matched by `set`: the most specific
    /// one (ties: the lowest rule index, the first of the paths given).
    #[inline]
    pub(crate) fn rule(&self, set: &[u32]) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for &n in set {
            if let Some((rule, spec)) = self.nodes[n as usize].rule {
                best = match best {
                    Some((r, s)) if s > spec || (s == spec && r < rule) => Some((r, s)),
                    _ => Some((rule, spec)),
                };
            }
        }
        best.map(|(r, _)| r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<Segment> {
        JsonPath::parse(p).unwrap().segments
    }

    #[test]
    fn parses_the_documented_forms() {
        let k = |s: &str| Segment::Key(s.as_bytes().to_vec());
        assert_eq!(segs("owner.email"), vec![k("owner"), k("email")]);
        assert_eq!(segs("$.owner.email"), segs("owner.email"));
        assert_eq!(segs("tags[]"), vec![k("tags"), Segment::AnyIndex]);
        assert_eq!(
            segs("contacts[].phone"),
            vec![k("contacts"), Segment::AnyIndex, k("phone")]
        );
        assert_eq!(
            segs("a[0][12].*"),
            vec![
                k("a"),
                Segment::Index(0),
                Segment::Index(12),
                Segment::AnyKey
            ]
        );
        assert_eq!(segs(r#"["e.mail"]"#), vec![k("e.mail")]);
        assert_eq!(segs(r#"a["*"]"#), vec![k("a"), k("*")]);
        assert_eq!(segs(r#"a["q\"b\\"]"#), vec![k("a"), k("q\"b\\")]);
        assert_eq!(segs("$[0]"), vec![Segment::Index(0)]);
        assert_eq!(segs("[]"), vec![Segment::AnyIndex]);
        assert_eq!(segs("名前.姓"), vec![k("名前"), k("姓")]);
    }

    #[test]
    fn refuses_bad_paths() {
        for bad in [
            "",
            "$",
            "a..b",
            ".a",
            "a.",
            "a[",
            "a[x]",
            "a[1",
            "a]",
            "a b",
            r#"a["x"#,
            r#"a["x"b]"#,
            "a[99999999999]",
            "$x",
            "a.[0]",
        ] {
            assert!(JsonPath::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn trie_matches_sets_and_prefers_specific_rules() {
        let paths: Vec<JsonPath> = ["a.*", "a.b", "c[]", "c[1]"]
            .iter()
            .map(|p| JsonPath::parse(p).unwrap())
            .collect();
        let t = Trie::new(&paths);
        let mut a = Vec::new();
        t.member(ROOT, b"a", &mut a);
        assert_eq!(a.len(), 1);
        let mut ab = Vec::new();
        t.member(a[0], b"b", &mut ab);
        assert_eq!(ab.len(), 2);
        assert_eq!(t.rule(&ab), Some(1));
        let mut ax = Vec::new();
        t.member(a[0], b"x", &mut ax);
        assert_eq!(t.rule(&ax), Some(0));
        let mut c = Vec::new();
        t.member(ROOT, b"c", &mut c);
        let mut c1 = Vec::new();
        t.element(c[0], 1, &mut c1);
        assert_eq!(t.rule(&c1), Some(3));
        let mut c0 = Vec::new();
        t.element(c[0], 0, &mut c0);
        assert_eq!(t.rule(&c0), Some(2));
        let mut none = Vec::new();
        t.member(ROOT, b"zzz", &mut none);
        assert!(none.is_empty());
    }
}
