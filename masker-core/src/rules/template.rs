//! Row templates: `template = "user{id}@example.com"` builds a column's
//! value from other columns of the same row.
//!
//! This module owns the template syntax (`{column}` placeholders, `{{` and
//! `}}` for literal braces), binding to a table (placeholders to column
//! indexes, the output's fit to the target column) and rendering one row
//! without allocating.
//!
//! Placeholders read the row's values **as decoded from the input, before
//! masking**: the result never depends on the order in which columns are
//! masked. Because of that, a placeholder may only name a column the rules
//! keep (no rule, or `keep`): naming a masked column would copy its
//! original value into the output, so it is refused when the rules are bound.
//! A NULL in any placeholder makes the whole value NULL (as SQL's `CONCAT`).

use std::fmt;

use super::expr::{Field, RowValues};
use crate::error::{PlanProblem, PlanProblemKind};
use crate::schema::{Column, ColumnType, TableSchema};
use crate::transform::fit::{self, TextFit, Unit};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part<C> {
    /// Literal text: `bytes[a..b]` of the template.
    Text(usize, usize),
    /// A placeholder.
    Column(C),
}

/// A parsed template, its placeholders named (not yet bound to a table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    /// The literal text, braces unescaped.
    literal: Vec<u8>,
    parts: Vec<Part<String>>,
}

impl Template {
    /// Parse a template. The error says what is wrong and where (byte offset).
    pub fn parse(text: &str) -> Result<Template, String> {
        let s = text.as_bytes();
        let mut literal = Vec::new();
        let mut parts = Vec::new();
        let mut start = 0;
        let mut i = 0;
        let flush = |literal: &Vec<u8>, start: &mut usize, parts: &mut Vec<Part<String>>| {
            if literal.len() > *start {
                parts.push(Part::Text(*start, literal.len()));
            }
            *start = literal.len();
        };
        while i < s.len() {
            match s[i] {
                b'{' if s.get(i + 1) == Some(&b'{') => {
                    literal.push(b'{');
                    i += 2;
                }
                b'}' if s.get(i + 1) == Some(&b'}') => {
                    literal.push(b'}');
                    i += 2;
                }
                b'{' => {
                    let Some(len) = s[i + 1..].iter().position(|&b| b == b'}') else {
                        return Err(format!("at byte {i}: `{{` without its `}}`"));
                    };
                    let name = &text[i + 1..i + 1 + len];
                    if name.trim().is_empty() || name.contains('{') {
                        return Err(format!(
                            "at byte {i}: expected a column name inside `{{...}}` (`{{{{` for a literal brace)"
                        ));
                    }
                    flush(&literal, &mut start, &mut parts);
                    parts.push(Part::Column(name.trim().to_owned()));
                    i += len + 2;
                }
                b'}' => {
                    return Err(format!(
                        "at byte {i}: `}}` without `{{` (`}}}}` for a literal brace)"
                    ))
                }
                b => {
                    literal.push(b);
                    i += 1;
                }
            }
        }
        flush(&literal, &mut start, &mut parts);
        if !parts.iter().any(|p| matches!(p, Part::Column(_))) {
            return Err("names no {column}; for a fixed value use constant".to_owned());
        }
        Ok(Template {
            text: text.to_owned(),
            literal,
            parts,
        })
    }

    /// The template as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The column names of its placeholders, in order.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Column(c) => Some(c.as_str()),
            Part::Text(..) => None,
        })
    }

    /// Bind to column `target` of `schema`. `kept(i)`: the rules leave
    /// column `i` unmasked in every row. Every problem is returned, naming
    /// the table and the target column; the caller adds the rule path.
    pub fn bind(
        &self,
        schema: &TableSchema,
        target: usize,
        kept: impl Fn(usize) -> bool,
    ) -> Result<BoundTemplate, Vec<PlanProblem>> {
        let mut problems = Vec::new();
        let column = &schema.columns[target];
        let problem = |kind, message: String| {
            PlanProblem::new(schema.name.clone(), kind, message).with_column(&column.name)
        };
        let charset = schema.default_charset.as_deref();
        let Some(fit) = TextFit::for_column(column, charset) else {
            return Err(vec![problem(
                PlanProblemKind::DoesNotFit,
                "template needs a text or binary column (CHAR, VARCHAR, TEXT, BINARY, BLOB)"
                    .to_owned(),
            )]);
        };
        if fit.ascii_only && !self.literal.is_ascii() {
            problems.push(problem(
                PlanProblemKind::DoesNotFit,
                "template text is not ASCII but the column's charset cannot hold Unicode"
                    .to_owned(),
            ));
        }
        let mut parts = Vec::with_capacity(self.parts.len());
        let mut columns = Vec::new();
        for p in &self.parts {
            match p {
                Part::Text(a, b) => parts.push(Part::Text(*a, *b)),
                Part::Column(name) => {
                    let Some(i) = schema.column_index(name) else {
                        problems.push(problem(
                            PlanProblemKind::NoSuchColumn,
                            format!("template names no column `{name}` of table {}", schema.name),
                        ));
                        continue;
                    };
                    let c = &schema.columns[i];
                    if c.generated {
                        problems.push(problem(
                            PlanProblemKind::GeneratedColumn,
                            format!(
                                "template names `{}`, a generated column (dumps leave its value out)",
                                c.name
                            ),
                        ));
                    } else if i == target {
                        problems.push(problem(
                            PlanProblemKind::ReadsMasked,
                            "template names its own column".to_owned(),
                        ));
                    } else if !kept(i) {
                        problems.push(problem(
                            PlanProblemKind::ReadsMasked,
                            format!(
                                "template names `{}`, which the rules mask: placeholders read values before masking, so its original would be copied; name kept columns only",
                                c.name
                            ),
                        ));
                    }
                    if !columns.contains(&i) {
                        columns.push(i);
                    }
                    parts.push(Part::Column(i));
                }
            }
        }
        let literal_len = fit.measure(&self.literal);
        if literal_len > fit.max {
            problems.push(problem(
                PlanProblemKind::DoesNotFit,
                format!(
                    "template text alone is longer than the column ({} {})",
                    fit.max,
                    unit_name(fit.unit)
                ),
            ));
        }
        if problems.is_empty() && schema.is_unique(&column.name) {
            // Unique only when one placeholder names a single-column unique
            // key and the output can never be cut.
            let single_unique = |i: usize| {
                let name = &schema.columns[i].name;
                let one =
                    |cols: &Vec<String>| cols.len() == 1 && cols[0].eq_ignore_ascii_case(name);
                one(&schema.primary_key) || schema.unique_keys.iter().any(one)
            };
            let refs: Vec<usize> = parts
                .iter()
                .filter_map(|p| match p {
                    Part::Column(i) => Some(*i),
                    Part::Text(..) => None,
                })
                .collect();
            let longest = refs.iter().try_fold(literal_len, |n, &i| {
                Some(n + max_len(&schema.columns[i], fit.unit)?)
            });
            let unique =
                refs.len() == 1 && single_unique(refs[0]) && longest.is_some_and(|n| n <= fit.max);
            if !unique {
                problems.push(problem(
                    PlanProblemKind::NotUnique,
                    "the column is a unique key, and this template can give two rows the same value \
                     (it must have one placeholder, naming a single-column unique key, and always fit the column)"
                        .to_owned(),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(BoundTemplate {
            text: self.text.clone(),
            literal: self.literal.clone(),
            parts,
            columns,
            fit,
            not_null: column.not_null,
        })
    }
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Chars => "characters",
        Unit::Bytes => "bytes",
    }
}

/// The longest value `column` can hold, in `unit`s (`None`: unbounded for
/// this purpose).
fn max_len(column: &Column, unit: Unit) -> Option<usize> {
    let digits = |v: i128| {
        let mut b = Vec::new();
        fit::write_int(&mut b, v);
        b.len()
    };
    let per_char = |n: usize| match unit {
        Unit::Chars => n,
        Unit::Bytes => n * 4,
    };
    Some(match &column.ty {
        ColumnType::Integer { bytes, unsigned } => {
            let (lo, hi) = fit::int_range(*bytes, *unsigned);
            digits(lo).max(digits(hi))
        }
        ColumnType::Decimal { precision, .. } => *precision as usize + 2,
        ColumnType::Char { max_chars, .. } => per_char(*max_chars as usize),
        ColumnType::Binary { max_bytes, .. } => *max_bytes as usize,
        ColumnType::Year => 4,
        ColumnType::Date => 10,
        _ => return None,
    })
}

/// A template bound to one column of a table: what is rendered per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundTemplate {
    text: String,
    literal: Vec<u8>,
    parts: Vec<Part<usize>>,
    columns: Vec<usize>,
    fit: TextFit,
    not_null: bool,
}

/// What rendering a row gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendered {
    /// The value was appended to the output.
    Value,
    /// A placeholder's column is NULL: the value is NULL.
    Null,
}

/// Why a row cannot be rendered (never contains a value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The row has no value for this column (schema index).
    Missing(usize),
    /// A placeholder is NULL but the column is NOT NULL.
    NullInNotNull,
}

impl BoundTemplate {
    /// The template as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The columns its placeholders read (schema indexes, each once).
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// Append the row's value to `out` (cut at a character boundary to fit
    /// the column when it is too long).
    pub fn render(
        &self,
        row: &(impl RowValues + ?Sized),
        out: &mut Vec<u8>,
    ) -> Result<Rendered, RenderError> {
        let start = out.len();
        for p in &self.parts {
            match p {
                Part::Text(a, b) => out.extend_from_slice(&self.literal[*a..*b]),
                Part::Column(i) => match row.field(*i) {
                    Field::Bytes(v) => out.extend_from_slice(v),
                    Field::Missing => return Err(RenderError::Missing(*i)),
                    Field::Null => {
                        out.truncate(start);
                        return if self.not_null {
                            Err(RenderError::NullInNotNull)
                        } else {
                            Ok(Rendered::Null)
                        };
                    }
                },
            }
        }
        self.fit.truncate(out, start);
        Ok(Rendered::Value)
    }
}

impl fmt::Display for BoundTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_create_table;

    fn schema() -> TableSchema {
        parse_create_table(
            b"CREATE TABLE u (id int NOT NULL PRIMARY KEY, name varchar(10), email varchar(40) NOT NULL, \
              short varchar(8), login varchar(30) UNIQUE, n int, g int AS (id) VIRTUAL)",
        )
        .unwrap()
    }

    fn bind(t: &str, target: usize) -> Result<BoundTemplate, Vec<PlanProblem>> {
        Template::parse(t)
            .unwrap()
            .bind(&schema(), target, |i| i != 1)
    }

    #[test]
    fn renders_placeholders_and_escaped_braces() {
        let t = bind("user{id}+{{x}}@example.com", 2).unwrap();
        let mut out = b"prefix".to_vec();
        let row: &[Option<&[u8]>] = &[Some(b"42")];
        assert_eq!(t.render(row, &mut out), Ok(Rendered::Value));
        assert_eq!(out, b"prefixuser42+{x}@example.com");
        assert_eq!(t.columns(), &[0]);
    }

    #[test]
    fn null_makes_null_and_not_null_columns_refuse_it() {
        let t = bind("{n}-{id}", 3).unwrap();
        let mut out = Vec::new();
        let row: &[Option<&[u8]>] = &[Some(b"1"), None, None, None, None, None];
        assert_eq!(t.render(row, &mut out), Ok(Rendered::Null));
        assert!(out.is_empty());
        let t = bind("u{n}", 2).unwrap();
        assert_eq!(t.render(row, &mut out), Err(RenderError::NullInNotNull));
        let short: &[Option<&[u8]>] = &[Some(b"1")];
        assert_eq!(t.render(short, &mut out), Err(RenderError::Missing(5)));
    }

    #[test]
    fn long_values_are_cut_to_the_column() {
        let t = bind("user-{id}", 3).unwrap();
        let mut out = Vec::new();
        let row: &[Option<&[u8]>] = &[Some(b"123456789")];
        t.render(row, &mut out).unwrap();
        assert_eq!(out, b"user-123");
    }

    #[test]
    fn parse_errors() {
        for t in ["no placeholder", "{", "a}b", "{}", "{ }", "x{a{b}"] {
            assert!(Template::parse(t).is_err(), "{t}");
        }
        assert!(Template::parse("{{literal}} {id}").is_ok());
    }

    #[test]
    fn bind_refuses_masked_generated_unknown_and_own_columns() {
        let e = bind("{name}{g}{nope}{email}", 2).unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].message.contains("mask"));
        assert_eq!(e[0].kind, PlanProblemKind::ReadsMasked);
        assert!(e[1].message.contains("generated"));
        assert_eq!(e[1].kind, PlanProblemKind::GeneratedColumn);
        assert!(e[2].message.contains("`nope`"));
        assert_eq!(e[2].kind, PlanProblemKind::NoSuchColumn);
        assert!(e[3].message.contains("own column"));
        assert_eq!(e[3].kind, PlanProblemKind::ReadsMasked);
        assert!(e.iter().all(|p| p.column.as_deref() == Some("email")));
        // Not a text column.
        assert!(bind("{id}", 5).is_err());
        // Literal text alone too long.
        assert!(bind("much-too-long-{id}", 3).is_err());
    }

    #[test]
    fn unique_columns_need_a_unique_placeholder_that_always_fits() {
        // login varchar(30) UNIQUE: `user{id}` is at most 4 + 11 characters.
        assert!(bind("user{id}", 4).is_ok());
        assert!(bind("user{n}", 4).is_err());
        assert!(bind("{id}{n}", 4).is_err());
        assert!(bind("{id}-a-very-long-suffix-here!", 4).is_err());
    }
}
