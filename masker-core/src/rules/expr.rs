//! The condition language of `when = "..."` and `rows = { where = "..." }`.
//!
//! This module owns the grammar, its parser, binding to a table's columns
//! and per-row evaluation. It is a small, closed language that is evaluated
//! here, on decoded values: nothing is ever sent to a server.
//!
//! ```text
//! expr       := or
//! or         := and ( OR and )*
//! and        := not ( AND not )*
//! not        := NOT not | '(' expr ')' | comparison
//! comparison := column ( op literal | IS [NOT] NULL )
//! op         := = | != | <> | < | <= | > | >=
//! column     := name | `quoted name`          (ASCII letters, digits, _ and $)
//! literal    := number | 'string' | TRUE | FALSE
//! ```
//!
//! Keywords ignore case. A string is in single quotes, a quote inside doubled
//! (`'it''s'`); a number is `-12`, `3.5`, `1e6`. `TRUE` is 1 and `FALSE` 0.
//!
//! Semantics (SQL's three-valued logic): a comparison with a NULL value is
//! *unknown*, `NOT unknown` is unknown, `unknown AND false` is false,
//! `unknown OR true` is true. A rule applies (a value is masked, a row is
//! kept) only when its condition is *true*.
//!
//! - Against a number, the value is read as a decimal number and compared
//!   exactly (`0.10 = 0.1`; exponents compare as floating point). A value
//!   that is not a number makes the comparison unknown. A `BIT` column's
//!   bytes are its unsigned integer (`is_test = 1` on `BIT(1)`).
//! - Against a string, the value's bytes are compared with the string's
//!   bytes (byte order, case-sensitive: no collation). ISO dates and times
//!   (`created_at < '2024-01-01'`) compare correctly this way.
//!
//! Parsing happens once, when the rules file is compiled ([`Condition::parse`]);
//! binding ([`Condition::bind`]) resolves column names to column indexes when
//! the table's schema is known; [`BoundCondition::eval`] runs per row over a
//! [`RowValues`] and never allocates.

use std::cmp::Ordering;
use std::fmt;

use crate::error::{PlanProblem, PlanProblemKind};
use crate::schema::{ColumnType, TableSchema};

/// Nesting deeper than this is refused (parser and evaluator recurse).
pub const MAX_DEPTH: usize = 64;

/// One column's value in the row being masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// SQL `NULL`.
    Null,
    /// The decoded (raw) bytes.
    Bytes(&'a [u8]),
    /// The row has no value for the column (an INSERT column list leaves it
    /// out), or it was not decoded.
    Missing,
}

/// Column values of one row, by column index (schema order): what
/// conditions and templates read.
pub trait RowValues {
    /// Column `col`'s value.
    fn field(&self, col: usize) -> Field<'_>;
}

impl RowValues for [Option<&[u8]>] {
    fn field(&self, col: usize) -> Field<'_> {
        match self.get(col) {
            Some(Some(v)) => Field::Bytes(v),
            Some(None) => Field::Null,
            None => Field::Missing,
        }
    }
}

/// The result of a condition: SQL's three truth values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// True: the rule applies.
    True,
    /// False.
    False,
    /// A NULL (or a non-number compared with a number) was involved.
    Unknown,
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=` or `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    fn holds(self, o: Ordering) -> bool {
        match self {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
        }
    }
}

/// A literal of the language.
#[derive(Debug, Clone, PartialEq)]
enum Literal {
    /// A number, kept as written (normalised for exact comparison).
    Number(Number),
    /// A string's bytes.
    Str(Vec<u8>),
}

/// A decimal number: sign, integer digits (no leading zeros), fraction
/// digits (no trailing zeros); or, with an exponent, only its `f64`.
#[derive(Debug, Clone, PartialEq)]
struct Number {
    exact: Option<(bool, Vec<u8>, Vec<u8>)>,
    float: f64,
    /// The integer value, when it is one and fits.
    int: Option<i128>,
}

impl Number {
    fn parse(text: &[u8]) -> Option<Number> {
        let d = Decimal::parse(text)?;
        let float = std::str::from_utf8(text).ok()?.parse::<f64>().ok()?;
        let int = if d.exact && d.frac.is_empty() && d.int.len() <= 38 {
            let mut v: i128 = 0;
            for &b in d.int {
                v = v * 10 + i128::from(b - b'0');
            }
            Some(if d.neg { -v } else { v })
        } else {
            None
        };
        Some(Number {
            exact: d.exact.then(|| (d.neg, d.int.to_vec(), d.frac.to_vec())),
            float,
            int,
        })
    }
}

/// A decimal number borrowed from its text (see [`Number`]).
#[derive(Debug, Clone, Copy)]
struct Decimal<'a> {
    neg: bool,
    int: &'a [u8],
    frac: &'a [u8],
    /// No exponent: `int` and `frac` are the whole value.
    exact: bool,
}

impl<'a> Decimal<'a> {
    /// `[+-]digits[.digits][(e|E)[+-]digits]`, or `.digits`; nothing else.
    fn parse(s: &'a [u8]) -> Option<Decimal<'a>> {
        let (neg, rest) = match s.first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let mut int = &rest[..int_len];
        let mut rest = &rest[int_len..];
        let mut frac: &[u8] = &[];
        if rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            frac = &rest[1..1 + n];
            rest = &rest[1 + n..];
        }
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut exact = true;
        if let Some(b'e' | b'E') = rest.first() {
            let e = &rest[1..];
            let e = e.strip_prefix(b"-").or(e.strip_prefix(b"+")).unwrap_or(e);
            if e.is_empty() || !e.iter().all(u8::is_ascii_digit) {
                return None;
            }
            exact = false;
            rest = &[];
        }
        if !rest.is_empty() {
            return None;
        }
        while int.first() == Some(&b'0') {
            int = &int[1..];
        }
        while frac.last() == Some(&b'0') {
            frac = &frac[..frac.len() - 1];
        }
        // -0 is 0.
        let neg = neg && !(int.is_empty() && frac.is_empty());
        Some(Decimal {
            neg,
            int,
            frac,
            exact,
        })
    }

    /// Compare magnitudes and signs exactly.
    fn cmp_exact(&self, neg: bool, int: &[u8], frac: &[u8]) -> Ordering {
        if self.neg != neg {
            return if self.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let magnitude = self
            .int
            .len()
            .cmp(&int.len())
            .then_with(|| self.int.cmp(int))
            .then_with(|| self.frac.cmp(frac));
        if self.neg {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// How a column's bytes are read for a comparison with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    /// Decimal text (every type but BIT).
    Text,
    /// Raw big-endian bytes of a `BIT(n)` column.
    Bits,
}

#[derive(Debug, Clone, PartialEq)]
enum Node<C> {
    Or(u32, u32),
    And(u32, u32),
    Not(u32),
    Compare { column: C, op: Op, literal: Literal },
    IsNull { column: C, negated: bool },
}

/// A parsed condition, its columns named (not yet bound to a table).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    text: String,
    nodes: Vec<Node<String>>,
    root: u32,
}

// Number literals are always finite (the parser refuses others), so
// equality is reflexive.
impl Eq for Condition {}

/// A condition bound to one table's columns: what is evaluated per row.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundCondition {
    text: String,
    nodes: Vec<Node<(usize, ColumnKind)>>,
    root: u32,
    columns: Vec<usize>,
}

/// Why a condition cannot be parsed: the byte offset in its text and what
/// was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Offset in the condition's text.
    pub offset: usize,
    /// What was expected.
    pub message: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl Condition {
    /// Parse a condition (see the module docs for the grammar).
    pub fn parse(text: &str) -> Result<Condition, ParseError> {
        let mut p = Parser {
            s: text.as_bytes(),
            pos: 0,
            nodes: Vec::new(),
            depth: 0,
        };
        let root = p.or()?;
        p.ws();
        if p.pos < p.s.len() {
            return p.err("expected AND, OR or the end of the condition");
        }
        Ok(Condition {
            text: text.to_owned(),
            nodes: p.nodes,
            root,
        })
    }

    /// The condition as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The column names the condition reads, in order of appearance.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Compare { column, .. } | Node::IsNull { column, .. } => Some(column.as_str()),
            _ => None,
        })
    }

    /// Resolve column names (ignoring ASCII case) against `schema`. Every
    /// problem is returned: an unknown column, a generated column (not in
    /// every dump's rows). Each problem names the table; the caller adds
    /// the column and the rule path.
    pub fn bind(&self, schema: &TableSchema) -> Result<BoundCondition, Vec<PlanProblem>> {
        let mut problems = Vec::new();
        let mut columns = Vec::new();
        let mut resolve = |name: &String| -> (usize, ColumnKind) {
            let Some(i) = schema.column_index(name) else {
                problems.push(PlanProblem::new(
                    schema.name.clone(),
                    PlanProblemKind::NoSuchColumn,
                    format!("no column `{name}` in table {}", schema.name),
                ));
                return (0, ColumnKind::Text);
            };
            let c = &schema.columns[i];
            if c.generated {
                problems.push(PlanProblem::new(
                    schema.name.clone(),
                    PlanProblemKind::GeneratedColumn,
                    format!(
                        "`{}` is a generated column (dumps leave its value out); use the columns it is computed from",
                        c.name
                    ),
                ));
            }
            if !columns.contains(&i) {
                columns.push(i);
            }
            let kind = match c.ty {
                ColumnType::Bit { .. } => ColumnKind::Bits,
                _ => ColumnKind::Text,
            };
            (i, kind)
        };
        let nodes = self
            .nodes
            .iter()
            .map(|n| match n {
                Node::Or(a, b) => Node::Or(*a, *b),
                Node::And(a, b) => Node::And(*a, *b),
                Node::Not(a) => Node::Not(*a),
                Node::Compare {
                    column,
                    op,
                    literal,
                } => Node::Compare {
                    column: resolve(column),
                    op: *op,
                    literal: literal.clone(),
                },
                Node::IsNull { column, negated } => Node::IsNull {
                    column: resolve(column),
                    negated: *negated,
                },
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(BoundCondition {
            text: self.text.clone(),
            nodes,
            root: self.root,
            columns,
        })
    }
}

impl BoundCondition {
    /// The condition as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The columns it reads (schema indexes, each once).
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// Evaluate over one row. `Err(col)`: column `col` has no value in the
    /// row ([`Field::Missing`]), so the condition cannot be decided.
    pub fn eval(&self, row: &(impl RowValues + ?Sized)) -> Result<Truth, usize> {
        self.node(self.root, row)
    }

    fn node(&self, i: u32, row: &(impl RowValues + ?Sized)) -> Result<Truth, usize> {
        Ok(match &self.nodes[i as usize] {
            Node::Or(a, b) => match self.node(*a, row)? {
                Truth::True => Truth::True,
                l => match (l, self.node(*b, row)?) {
                    (_, Truth::True) => Truth::True,
                    (Truth::False, Truth::False) => Truth::False,
                    _ => Truth::Unknown,
                },
            },
            Node::And(a, b) => match self.node(*a, row)? {
                Truth::False => Truth::False,
                l => match (l, self.node(*b, row)?) {
                    (_, Truth::False) => Truth::False,
                    (Truth::True, Truth::True) => Truth::True,
                    _ => Truth::Unknown,
                },
            },
            Node::Not(a) => self.node(*a, row)?.not(),
            Node::IsNull {
                column: (col, _),
                negated,
            } => match row.field(*col) {
                Field::Missing => return Err(*col),
                Field::Null => truth(!negated),
                Field::Bytes(_) => truth(*negated),
            },
            Node::Compare {
                column: (col, kind),
                op,
                literal,
            } => match row.field(*col) {
                Field::Missing => return Err(*col),
                Field::Null => Truth::Unknown,
                Field::Bytes(v) => match compare(v, *kind, literal) {
                    Some(o) => truth(op.holds(o)),
                    None => Truth::Unknown,
                },
            },
        })
    }
}

fn truth(b: bool) -> Truth {
    if b {
        Truth::True
    } else {
        Truth::False
    }
}

/// `value` compared with `literal`; `None` when a number is expected and
/// the value is not one.
fn compare(value: &[u8], kind: ColumnKind, literal: &Literal) -> Option<Ordering> {
    match literal {
        Literal::Str(s) => Some(value.cmp(s.as_slice())),
        Literal::Number(n) => match kind {
            ColumnKind::Bits => {
                if value.len() > 16 {
                    return None;
                }
                let v = value
                    .iter()
                    .fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
                match n.int {
                    Some(i) if i < 0 => Some(Ordering::Greater),
                    Some(i) => Some(v.cmp(&(i as u128))),
                    None => (v as f64).partial_cmp(&n.float),
                }
            }
            ColumnKind::Text => {
                let d = Decimal::parse(value)?;
                match &n.exact {
                    Some((neg, int, frac)) if d.exact => Some(d.cmp_exact(*neg, int, frac)),
                    _ => {
                        let v = std::str::from_utf8(value).ok()?.parse::<f64>().ok()?;
                        v.partial_cmp(&n.float)
                    }
                }
            }
        },
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for BoundCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A recursive-descent parser over the condition's bytes.
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    nodes: Vec<Node<String>>,
    depth: usize,
}

impl Parser<'_> {
    fn err<T>(&self, message: &'static str) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.pos,
            message,
        })
    }

    fn ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn push(&mut self, n: Node<String>) -> u32 {
        self.nodes.push(n);
        (self.nodes.len() - 1) as u32
    }

    /// The keyword `kw` (letters, any case) as a whole word at the cursor.
    fn keyword(&mut self, kw: &str) -> bool {
        self.ws();
        let end = self.pos + kw.len();
        let hit = self
            .s
            .get(self.pos..end)
            .is_some_and(|w| w.eq_ignore_ascii_case(kw.as_bytes()))
            && !self.s.get(end).is_some_and(|&b| is_word_byte(b));
        if hit {
            self.pos = end;
        }
        hit
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("the condition nests too deeply");
        }
        Ok(())
    }

    fn or(&mut self) -> Result<u32, ParseError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.keyword("OR") {
            let right = self.and()?;
            left = self.push(Node::Or(left, right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<u32, ParseError> {
        let mut left = self.not()?;
        while self.keyword("AND") {
            let right = self.not()?;
            left = self.push(Node::And(left, right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<u32, ParseError> {
        self.enter()?;
        let n = if self.keyword("NOT") {
            let inner = self.not()?;
            self.push(Node::Not(inner))
        } else {
            self.ws();
            if self.s.get(self.pos) == Some(&b'(') {
                self.pos += 1;
                let inner = self.or()?;
                self.ws();
                if self.s.get(self.pos) != Some(&b')') {
                    return self.err("expected `)`");
                }
                self.pos += 1;
                inner
            } else {
                self.comparison()?
            }
        };
        self.depth -= 1;
        Ok(n)
    }

    fn comparison(&mut self) -> Result<u32, ParseError> {
        self.ws();
        let column = self.column()?;
        if self.keyword("IS") {
            let negated = self.keyword("NOT");
            if !self.keyword("NULL") {
                return self.err("expected NULL after IS / IS NOT");
            }
            return Ok(self.push(Node::IsNull { column, negated }));
        }
        self.ws();
        let rest = &self.s[self.pos..];
        let (op, len) = match rest {
            [b'!', b'=', ..] => (Op::Ne, 2),
            [b'<', b'>', ..] => (Op::Ne, 2),
            [b'<', b'=', ..] => (Op::Le, 2),
            [b'>', b'=', ..] => (Op::Ge, 2),
            [b'=', ..] => (Op::Eq, 1),
            [b'<', ..] => (Op::Lt, 1),
            [b'>', ..] => (Op::Gt, 1),
            _ => {
                return self.err("expected a comparison (=, !=, <>, <, <=, >, >=) or IS [NOT] NULL")
            }
        };
        self.pos += len;
        let literal = self.literal()?;
        Ok(self.push(Node::Compare {
            column,
            op,
            literal,
        }))
    }

    fn column(&mut self) -> Result<String, ParseError> {
        match self.s.get(self.pos) {
            Some(b'`') => {
                let mut name = Vec::new();
                let mut i = self.pos + 1;
                loop {
                    match self.s.get(i) {
                        None => return self.err("unclosed `quoted` column name"),
                        Some(b'`') if self.s.get(i + 1) == Some(&b'`') => {
                            name.push(b'`');
                            i += 2;
                        }
                        Some(b'`') => break,
                        Some(&b) => {
                            name.push(b);
                            i += 1;
                        }
                    }
                }
                if name.is_empty() {
                    return self.err("empty column name");
                }
                self.pos = i + 1;
                // The condition's text is a Rust string, so any run of it is UTF-8.
                Ok(String::from_utf8(name).expect("slice of a str at backticks"))
            }
            Some(&b) if is_word_byte(b) && !b.is_ascii_digit() => {
                let start = self.pos;
                while self.s.get(self.pos).is_some_and(|&b| is_word_byte(b)) {
                    self.pos += 1;
                }
                let word = &self.s[start..self.pos];
                if ["AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE"]
                    .iter()
                    .any(|k| word.eq_ignore_ascii_case(k.as_bytes()))
                {
                    self.pos = start;
                    return self
                        .err("expected a column name, found a keyword (quote it with backticks)");
                }
                Ok(String::from_utf8(word.to_vec()).expect("ASCII"))
            }
            _ => self.err("expected a column name"),
        }
    }

    fn literal(&mut self) -> Result<Literal, ParseError> {
        self.ws();
        if self.keyword("TRUE") {
            return Ok(Literal::Number(Number::parse(b"1").expect("number")));
        }
        if self.keyword("FALSE") {
            return Ok(Literal::Number(Number::parse(b"0").expect("number")));
        }
        let at = self.pos;
        if self.keyword("NULL") {
            self.pos = at;
            return self.err("a comparison with NULL is never true: use IS NULL or IS NOT NULL");
        }
        match self.s.get(self.pos) {
            Some(b'\'') => {
                let mut out = Vec::new();
                let mut i = self.pos + 1;
                loop {
                    match self.s.get(i) {
                        None => {
                            return self.err(
                                "unclosed string (strings are in single quotes, '' for a quote)",
                            )
                        }
                        Some(b'\'') if self.s.get(i + 1) == Some(&b'\'') => {
                            out.push(b'\'');
                            i += 2;
                        }
                        Some(b'\'') => break,
                        Some(&b) => {
                            out.push(b);
                            i += 1;
                        }
                    }
                }
                self.pos = i + 1;
                Ok(Literal::Str(out))
            }
            Some(&b) if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.') => {
                let start = self.pos;
                let mut i = start + 1;
                while let Some(&c) = self.s.get(i) {
                    let exp_sign =
                        matches!(c, b'-' | b'+') && matches!(self.s.get(i - 1), Some(b'e' | b'E'));
                    if c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E') || exp_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                match Number::parse(&self.s[start..i]) {
                    Some(n) if n.float.is_finite() => {
                        self.pos = i;
                        Ok(Literal::Number(n))
                    }
                    _ => self.err("not a number"),
                }
            }
            _ => self.err("expected a number, a 'string', TRUE or FALSE"),
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_create_table;

    fn schema() -> TableSchema {
        parse_create_table(
            b"CREATE TABLE t (id int, is_test tinyint, name varchar(20), flag bit(1), \
              amount decimal(10,2), created date, `odd name` int, g int AS (id + 1) VIRTUAL)",
        )
        .unwrap()
    }

    fn eval(cond: &str, row: &[Option<&[u8]>]) -> Truth {
        Condition::parse(cond)
            .unwrap()
            .bind(&schema())
            .unwrap()
            .eval(row)
            .unwrap()
    }

    const ROW: &[Option<&[u8]>] = &[
        Some(b"7"),
        Some(b"0"),
        Some(b"O'Hara"),
        Some(b"\x01"),
        Some(b"12.50"),
        Some(b"2024-03-01"),
        None,
        Some(b"8"),
    ];

    #[test]
    fn comparisons_with_numbers_are_exact_decimals() {
        assert_eq!(eval("is_test = 0", ROW), Truth::True);
        assert_eq!(eval("is_test != 0", ROW), Truth::False);
        assert_eq!(eval("is_test <> 1", ROW), Truth::True);
        assert_eq!(eval("amount = 12.5", ROW), Truth::True);
        assert_eq!(eval("amount > 12.49", ROW), Truth::True);
        assert_eq!(eval("amount >= 12.500", ROW), Truth::True);
        assert_eq!(eval("amount < -3", ROW), Truth::False);
        assert_eq!(eval("id <= 7 AND id >= 7", ROW), Truth::True);
        assert_eq!(eval("id > 1e0", ROW), Truth::True);
        assert_eq!(eval("id = 7.0", ROW), Truth::True);
        // Not a number: unknown, so the rule does not apply.
        assert_eq!(eval("name = 0", ROW), Truth::Unknown);
    }

    #[test]
    fn negative_and_zero_compare_right() {
        let row: &[Option<&[u8]>] = &[Some(b"-0"), Some(b"-12"), None, None, Some(b"-0.5")];
        assert_eq!(eval("id = 0", row), Truth::True);
        assert_eq!(eval("is_test < -11", row), Truth::True);
        assert_eq!(eval("is_test > -100", row), Truth::True);
        assert_eq!(eval("amount > -1 AND amount < 0", row), Truth::True);
        assert_eq!(eval("amount < -0.4", row), Truth::True);
    }

    #[test]
    fn strings_compare_as_bytes_and_dates_in_order() {
        assert_eq!(eval("name = 'O''Hara'", ROW), Truth::True);
        assert_eq!(eval("name = 'o''hara'", ROW), Truth::False);
        assert_eq!(eval("created < '2024-06-01'", ROW), Truth::True);
        assert_eq!(eval("created >= '2024-03-01'", ROW), Truth::True);
    }

    #[test]
    fn bit_columns_read_as_integers() {
        assert_eq!(eval("flag = 1", ROW), Truth::True);
        assert_eq!(eval("flag = TRUE", ROW), Truth::True);
        assert_eq!(eval("flag = FALSE", ROW), Truth::False);
    }

    #[test]
    fn null_logic_is_sql_three_valued() {
        assert_eq!(eval("`odd name` IS NULL", ROW), Truth::True);
        assert_eq!(eval("`odd name` is not null", ROW), Truth::False);
        assert_eq!(eval("`odd name` = 1", ROW), Truth::Unknown);
        assert_eq!(eval("NOT `odd name` = 1", ROW), Truth::Unknown);
        assert_eq!(eval("`odd name` = 1 OR id = 7", ROW), Truth::True);
        assert_eq!(eval("`odd name` = 1 AND id = 8", ROW), Truth::False);
        assert_eq!(eval("`odd name` = 1 AND id = 7", ROW), Truth::Unknown);
        assert_eq!(eval("`odd name` = 1 OR id = 8", ROW), Truth::Unknown);
    }

    #[test]
    fn precedence_and_parentheses() {
        // AND binds tighter than OR.
        assert_eq!(eval("id = 1 AND id = 2 OR id = 7", ROW), Truth::True);
        assert_eq!(eval("id = 1 AND (id = 2 OR id = 7)", ROW), Truth::False);
        assert_eq!(eval("NOT (id = 1 OR id = 2)", ROW), Truth::True);
        assert_eq!(eval("not not id = 7", ROW), Truth::True);
    }

    #[test]
    fn a_missing_column_is_an_error_naming_it() {
        let c = Condition::parse("id = 1 OR name = 'x'")
            .unwrap()
            .bind(&schema())
            .unwrap();
        let row: &[Option<&[u8]>] = &[Some(b"2")];
        assert_eq!(c.eval(row), Err(2));
        assert_eq!(c.columns(), &[0, 2]);
    }

    #[test]
    fn parse_errors_name_the_offset() {
        for (text, at) in [
            ("", 0),
            ("id", 2),
            ("id = ", 5),
            ("id = 'x", 5),
            ("id == 1", 4),
            ("(id = 1", 7),
            ("id = 1 id = 2", 7),
            ("id = NULL", 5),
            ("AND = 1", 0),
            ("id = 1.2.3", 5),
            ("id IS 1", 6),
            ("`` = 1", 0),
            ("id = abc", 5),
        ] {
            let e = Condition::parse(text).unwrap_err();
            assert_eq!(e.offset, at, "{text:?}: {e}");
        }
        let deep = format!("{}id = 1{}", "(".repeat(100), ")".repeat(100));
        assert!(Condition::parse(&deep)
            .unwrap_err()
            .message
            .contains("deeply"));
        let nots = format!("{}id = 1", "NOT ".repeat(100));
        assert!(Condition::parse(&nots).is_err());
    }

    #[test]
    fn binding_reports_every_unknown_or_generated_column() {
        let e = Condition::parse("nope = 1 OR g = 2 OR ID = 3 OR Other IS NULL")
            .unwrap()
            .bind(&schema())
            .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].message.contains("`nope`"));
        assert_eq!(e[0].kind, PlanProblemKind::NoSuchColumn);
        assert!(e[1].message.contains("generated"));
        assert_eq!(e[1].kind, PlanProblemKind::GeneratedColumn);
        assert!(e[2].message.contains("`Other`"));
    }

    /// A slow oracle: the same comparison through f64 on plain decimals.
    #[test]
    fn decimal_comparison_agrees_with_f64_on_simple_values() {
        let vals = [
            "0", "1", "-1", "10", "9.99", "10.01", "-10.5", "0.001", "123456",
        ];
        for a in vals {
            for b in vals {
                let la = Number::parse(b.as_bytes()).unwrap();
                let got = compare(a.as_bytes(), ColumnKind::Text, &Literal::Number(la));
                let want = a
                    .parse::<f64>()
                    .unwrap()
                    .partial_cmp(&b.parse::<f64>().unwrap());
                assert_eq!(got, want, "{a} vs {b}");
            }
        }
    }
}
