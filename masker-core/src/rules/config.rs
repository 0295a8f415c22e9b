//! The rules file: TOML parsed and checked into a [`RulesConfig`], every
//! problem reported at once with its config path.
//!
//! This module owns the file format (top-level `strict`, `collation`, `[key]`
//! (`env` or `file`, and `prf`), `[tables.*]`, shorthand and inline rules,
//! each transform's options, a rule's `when` condition, `template` rules,
//! and a table's `rows` policy: `rows = "none"` / `"all"` / `{ where = "..." }`;
//! a column named `rows` with a transform stays a column rule). Conditions
//! and templates are parsed here, once ([`super::expr`], [`super::template`]).
//! `collation = "column"` (the default; also spelled `"follow"`) makes keyed
//! rules (`hash`, `fake`, `fpe`) treat values equal under the column's
//! collation as one value; `collation = "exact"` (also `"bytes"`) masks the
//! exact bytes. Top-level it sets the default; as an option of a keyed rule
//! (`{ transform = "hash", collation = "exact" }`) it applies to that column. It is parsed by hand
//! from `toml::Value` rather than with serde derive so that *all* unknown keys
//! and bad options are listed in one run, each named by its path
//! (`tables.users.phone: unknown transform "fpee"`), not just the first one.
//! It resolves nothing outside the text: no key, no schema.

use std::collections::BTreeMap;

use toml::Value;

use super::expr::Condition;
use super::template::Template;
use super::value_rules;
use crate::error::{ConfigProblem, ConfigProblemKind as Kind};
use crate::transform::{
    CollationMode, FakeKind, HashFormat, JsonPath, Locale, NoiseAmount, Pattern, Prf,
};

/// The default environment variable holding the key.
pub const DEFAULT_KEY_ENV: &str = "MASKER_KEY";

/// Where the key comes from, as the rules file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// An environment variable's value.
    Env(String),
    /// A file's content (one trailing newline stripped).
    File(String),
}

/// One column rule, options checked but not yet bound to a column type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// Pass through.
    Keep,
    /// Always NULL.
    Null,
    /// Always this literal.
    Constant(String),
    /// Keep the ends, mask the middle.
    Partial {
        /// Characters kept at the start.
        keep_first: usize,
        /// Characters kept at the end.
        keep_last: usize,
        /// The replacement character.
        mask_char: char,
    },
    /// Keyed hash.
    Hash {
        /// Output format.
        format: HashFormat,
        /// Optional salt making the column independent.
        salt: Option<String>,
        /// Fold values as the column's collation compares them, or not.
        collation: CollationMode,
    },
    /// Keyed fake value.
    Fake {
        /// What to fake.
        kind: FakeKind,
        /// In which locale.
        locale: Locale,
        /// Fold values as the column's collation compares them, or not.
        collation: CollationMode,
    },
    /// Keyed format-preserving permutation.
    Fpe {
        /// Fold values as the column's collation compares them, or not.
        collation: CollationMode,
    },
    /// Built from other columns of the same row (`template = "user{id}@x"`).
    Template(Template),
    /// Values at paths inside a JSON document, each by its own rule.
    Json {
        /// The paths and their rules, in file order (as TOML sorts them).
        paths: Vec<(JsonPath, Spec)>,
    },
    /// The inner rule on each element of a list held in one value.
    Separated {
        /// What separates the elements.
        separator: String,
        /// The rule of each element.
        inner: Box<Spec>,
    },
    /// Each match of a pattern replaced by a rule's output.
    RegexReplace {
        /// The compiled pattern.
        pattern: Pattern,
        /// The rule of each match (`Constant` for `value = "..."`).
        with: Box<Spec>,
    },
    /// Listed values mapped; the others as `unlisted` says.
    Dictionary {
        /// `(from, to)` pairs.
        values: Vec<(String, String)>,
        /// The rule of values not listed; `None`: an error.
        unlisted: Option<Box<Spec>>,
    },
    /// Dates moved by a keyed number of days.
    DateShift {
        /// At most this many days, earlier or later.
        max_days: u32,
    },
    /// Numbers moved by a keyed amount.
    Noise {
        /// How far.
        amount: NoiseAmount,
    },
}

impl Spec {
    /// True when the transform needs the key.
    pub fn is_keyed(&self) -> bool {
        match self {
            Spec::Hash { .. }
            | Spec::Fake { .. }
            | Spec::Fpe { .. }
            | Spec::DateShift { .. }
            | Spec::Noise { .. } => true,
            Spec::Json { paths } => paths.iter().any(|(_, s)| s.is_keyed()),
            Spec::Separated { inner, .. } => inner.is_keyed(),
            Spec::RegexReplace { with, .. } => with.is_keyed(),
            Spec::Dictionary { unlisted, .. } => unlisted.as_ref().is_some_and(|s| s.is_keyed()),
            Spec::Keep
            | Spec::Null
            | Spec::Constant(_)
            | Spec::Partial { .. }
            | Spec::Template(_) => false,
        }
    }

    /// The collation mode of a keyed rule (`None` for unkeyed ones).
    pub fn collation(&self) -> Option<CollationMode> {
        match self {
            Spec::Hash { collation, .. }
            | Spec::Fake { collation, .. }
            | Spec::Fpe { collation } => Some(*collation),
            Spec::Separated { inner, .. } => inner.collation(),
            _ => None,
        }
    }
}

/// The rules of one `[tables.X]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRules {
    /// The key as written (`users`, `shop.orders`).
    pub key: String,
    /// The database, when the key is dotted.
    pub database: Option<String>,
    /// The table name.
    pub table: String,
    /// Column rules, in file order (as TOML sorts them: by name).
    pub columns: Vec<(String, Spec)>,
    /// Conditions of column rules (`when = "..."`): the rule applies only to
    /// rows where it is true. Keyed by the column name as written.
    pub when: Vec<(String, Condition)>,
    /// Which rows are written (`rows = "none"`, `rows = { where = "..." }`).
    pub rows: RowPolicy,
}

/// Which rows of a table are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RowPolicy {
    /// Every row (the default; `rows = "all"`).
    #[default]
    All,
    /// None: the table's schema stays, its rows are dropped (`rows = "none"`).
    None,
    /// Only rows where the condition is true (`rows = { where = "..." }`).
    Where(Condition),
}

impl RowPolicy {
    /// `rows = "..."` in the rules file's syntax: a string that names no
    /// transform, or a table with `where` and no transform. A column named
    /// `rows` with a transform is a column rule.
    fn recognise(v: &Value) -> bool {
        match v {
            Value::String(s) => s == "none" || s == "all",
            Value::Table(t) => {
                t.contains_key("where")
                    && !t.contains_key("transform")
                    && !t.contains_key("template")
            }
            _ => false,
        }
    }

    fn parse(path: &str, v: &Value, errs: &mut Vec<ConfigProblem>) -> Option<RowPolicy> {
        match v {
            Value::String(s) if s == "none" => Some(RowPolicy::None),
            Value::String(_) => Some(RowPolicy::All),
            Value::Table(t) => {
                let mut policy = None;
                for (k, v) in t {
                    match (k.as_str(), v) {
                        ("where", Value::String(text)) => match Condition::parse(text) {
                            Ok(c) => policy = Some(RowPolicy::Where(c)),
                            Err(e) => errs.push(ConfigProblem::new(
                                format!("{path}.where"),
                                Kind::InvalidValue,
                                e.to_string(),
                            )),
                        },
                        ("where", _) => errs.push(ConfigProblem::new(
                            format!("{path}.where"),
                            Kind::WrongType,
                            "expected a string",
                        )),
                        (other, _) => errs.push(ConfigProblem::new(
                            format!("{path}.{}", toml_key(other)),
                            Kind::UnknownKey,
                            "unknown option (rows takes \"all\", \"none\" or { where = \"...\" })",
                        )),
                    }
                }
                policy
            }
            _ => None,
        }
    }
}

/// A checked rules file, before the key is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesConfig {
    /// `strict = true`.
    pub strict: bool,
    /// `collation = "column" | "exact"`: the default of keyed rules without
    /// their own `collation` option.
    pub collation: CollationMode,
    /// Where the key comes from (`MASKER_KEY` by default).
    pub key: KeySource,
    /// `[key] prf = "blake3" | "hmac-sha256"`: the keyed function every
    /// keyed transform uses (BLAKE3 by default).
    pub prf: Prf,
    /// The table sections.
    pub tables: Vec<TableRules>,
    /// The `[export]` section: how the TSV export for BigQuery encodes values.
    pub export: ExportRules,
}

/// The `[export]` section of a rules file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportRules {
    /// `binary = "base64" | "hex"`: how binary columns are written.
    pub binary: Option<String>,
    /// `null_marker = "..."`: what NULL is written as.
    pub null_marker: Option<String>,
}

const TRANSFORMS: &str = "hash, fake, fpe, null, constant, partial, template, keep, json, \
                          regex_replace, dictionary, date_shift, noise";

impl RulesConfig {
    /// Parse and check a rules file. `origin` names it in syntax errors.
    pub fn parse(text: &str, origin: &str) -> Result<RulesConfig, Vec<ConfigProblem>> {
        let root: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                return Err(vec![ConfigProblem::new(
                    origin,
                    Kind::Syntax,
                    e.to_string().trim_end(),
                )])
            }
        };
        let mut errs = Vec::new();
        let mut cfg = RulesConfig {
            strict: false,
            collation: CollationMode::Column,
            key: KeySource::Env(DEFAULT_KEY_ENV.to_owned()),
            prf: Prf::default(),
            tables: Vec::new(),
            export: ExportRules::default(),
        };
        // The default collation mode first: every table's rules use it.
        if let Some(v) = root.get("collation") {
            match collation_mode("collation", v) {
                Ok(m) => cfg.collation = m,
                Err(e) => errs.push(e),
            }
        }
        for (k, v) in &root {
            match k.as_str() {
                "collation" => {}
                "strict" => match v {
                    Value::Boolean(b) => cfg.strict = *b,
                    _ => errs.push(ConfigProblem::new(
                        "strict",
                        Kind::WrongType,
                        "expected true or false",
                    )),
                },
                "key" => parse_key(v, &mut cfg.key, &mut cfg.prf, &mut errs),
                "tables" => match v {
                    Value::Table(t) => {
                        for (name, rules) in t {
                            if let Some(tr) = parse_table(name, rules, cfg.collation, &mut errs) {
                                cfg.tables.push(tr);
                            }
                        }
                    }
                    _ => errs.push(ConfigProblem::new(
                        "tables",
                        Kind::WrongType,
                        "expected a table of tables",
                    )),
                },
                "export" => parse_export(v, &mut cfg.export, &mut errs),
                other => errs.push(ConfigProblem::new(
                    other,
                    Kind::UnknownKey,
                    "unknown key (expected strict, collation, key, tables or export)",
                )),
            }
        }
        if errs.is_empty() {
            Ok(cfg)
        } else {
            Err(errs)
        }
    }
}

fn parse_export(v: &Value, out: &mut ExportRules, errs: &mut Vec<ConfigProblem>) {
    let Value::Table(t) = v else {
        errs.push(ConfigProblem::new(
            "export",
            Kind::WrongType,
            "expected a table with binary and/or null_marker",
        ));
        return;
    };
    for (k, v) in t {
        match (k.as_str(), v) {
            ("binary", Value::String(s)) if s == "base64" || s == "hex" => {
                out.binary = Some(s.clone())
            }
            ("binary", v) => errs.push(ConfigProblem::new(
                "export.binary",
                type_or_value(v.is_str()),
                "expected \"base64\" or \"hex\"",
            )),
            ("null_marker", Value::String(s)) if !s.contains(['\t', '\n', '\r', '"']) => {
                out.null_marker = Some(s.clone())
            }
            ("null_marker", v) => errs.push(ConfigProblem::new(
                "export.null_marker",
                type_or_value(v.is_str()),
                "expected a string without tabs, newlines or quotes",
            )),
            (other, _) => errs.push(ConfigProblem::new(
                format!("export.{other}"),
                Kind::UnknownKey,
                "unknown option (expected binary or null_marker)",
            )),
        }
    }
}

fn parse_key(v: &Value, out: &mut KeySource, prf: &mut Prf, errs: &mut Vec<ConfigProblem>) {
    let Value::Table(t) = v else {
        errs.push(ConfigProblem::new(
            "key",
            Kind::WrongType,
            "expected a table with env, file and/or prf",
        ));
        return;
    };
    let mut found = Vec::new();
    for (k, v) in t {
        match (k.as_str(), v) {
            ("env", Value::String(s)) if !s.is_empty() => found.push(KeySource::Env(s.clone())),
            ("file", Value::String(s)) if !s.is_empty() => found.push(KeySource::File(s.clone())),
            ("env" | "file", v) => errs.push(ConfigProblem::new(
                format!("key.{k}"),
                type_or_value(v.is_str()),
                "expected a non-empty string",
            )),
            ("prf", Value::String(s)) if Prf::from_name(s).is_some() => {
                *prf = Prf::from_name(s).expect("checked")
            }
            ("prf", Value::String(s)) => errs.push(ConfigProblem::new(
                "key.prf",
                Kind::InvalidValue,
                format!("unknown PRF {s:?} (expected {})", prf_names()),
            )),
            ("prf", _) => errs.push(ConfigProblem::new(
                "key.prf",
                Kind::WrongType,
                format!("expected {}", prf_names()),
            )),
            _ => errs.push(ConfigProblem::new(
                format!("key.{k}"),
                Kind::UnknownKey,
                "unknown key (expected env, file or prf)",
            )),
        }
    }
    match found.len() {
        0 => {}
        1 => *out = found.pop().expect("one"),
        _ => errs.push(ConfigProblem::new(
            "key",
            Kind::Conflict,
            "give either env or file, not both",
        )),
    }
}

/// `"blake3" or "hmac-sha256"`, for messages.
fn prf_names() -> String {
    let names: Vec<String> = Prf::ALL.iter().map(|(n, _)| format!("{n:?}")).collect();
    names.join(" or ")
}

/// A `collation` option's value at `path`.
fn collation_mode(path: &str, v: &Value) -> Result<CollationMode, ConfigProblem> {
    match v {
        Value::String(s) => CollationMode::from_name(s).ok_or_else(|| {
            ConfigProblem::new(
                path,
                Kind::InvalidValue,
                format!("unknown collation mode {s:?} (expected \"column\" or \"exact\")"),
            )
        }),
        _ => Err(ConfigProblem::new(
            path,
            Kind::WrongType,
            "expected \"column\" or \"exact\"",
        )),
    }
}

/// The kind of a problem with a value that must have some TOML type and
/// more: `WrongType` when it has another type, else `InvalidValue`.
pub(super) fn type_or_value(right_type: bool) -> Kind {
    if right_type {
        Kind::InvalidValue
    } else {
        Kind::WrongType
    }
}

fn parse_table(
    name: &str,
    v: &Value,
    collation: CollationMode,
    errs: &mut Vec<ConfigProblem>,
) -> Option<TableRules> {
    let path = format!("tables.{}", toml_key(name));
    let Value::Table(cols) = v else {
        errs.push(ConfigProblem::new(
            path,
            Kind::WrongType,
            "expected a table of column rules",
        ));
        return None;
    };
    let (database, table) = match name.split_once('.') {
        None => (None, name.to_owned()),
        Some((db, t)) if !db.is_empty() && !t.is_empty() && !t.contains('.') => {
            (Some(db.to_owned()), t.to_owned())
        }
        Some(_) => {
            errs.push(ConfigProblem::new(
                path,
                Kind::InvalidValue,
                "a table key is \"table\" or \"database.table\"",
            ));
            return None;
        }
    };
    if table.is_empty() {
        errs.push(ConfigProblem::new(
            path,
            Kind::InvalidValue,
            "empty table name",
        ));
        return None;
    }
    let mut columns: Vec<(String, Spec)> = Vec::new();
    let mut when = Vec::new();
    let mut rows = RowPolicy::All;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (col, rule) in cols {
        let cpath = format!("{path}.{}", toml_key(col));
        if col == "rows" && RowPolicy::recognise(rule) {
            if let Some(p) = RowPolicy::parse(&cpath, rule, errs) {
                rows = p;
            }
            continue;
        }
        if let Some(prev) = seen.insert(col.to_lowercase(), col.clone()) {
            errs.push(ConfigProblem::new(
                cpath,
                Kind::Conflict,
                format!(
                    "same column as {path}.{} (column names ignore case)",
                    toml_key(&prev)
                ),
            ));
            continue;
        }
        if let Some(spec) = parse_rule(&cpath, rule, collation, errs) {
            if let Some(c) = parse_when(&cpath, rule, &spec, errs) {
                when.push((col.clone(), c));
            }
            columns.push((col.clone(), spec));
        }
    }
    Some(TableRules {
        key: name.to_owned(),
        database,
        table,
        columns,
        when,
        rows,
    })
}

/// `name` as a TOML key: bare when it can be, else a quoted basic string.
/// Config paths in messages and `masker check --scaffold` both use it, so a
/// path names a key exactly as it would be written in the file.
pub fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return name.to_owned();
    }
    let mut s = String::from("\"");
    for ch in name.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A column rule's `when = "..."` condition, parsed (any transform but `keep`).
fn parse_when(
    path: &str,
    v: &Value,
    spec: &Spec,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Condition> {
    let Value::Table(t) = v else { return None };
    match t.get("when")? {
        Value::String(_) if *spec == Spec::Keep => {
            errs.push(ConfigProblem::new(
                format!("{path}.when"),
                Kind::Conflict,
                "keep with a condition does nothing",
            ));
            None
        }
        Value::String(text) => Condition::parse(text)
            .map_err(|e| {
                errs.push(ConfigProblem::new(
                    format!("{path}.when"),
                    Kind::InvalidValue,
                    e.to_string(),
                ))
            })
            .ok(),
        _ => {
            errs.push(ConfigProblem::new(
                format!("{path}.when"),
                Kind::WrongType,
                "expected a string (a condition)",
            ));
            None
        }
    }
}

/// Parse one rule (a column's, or a nested one) at `path`.
pub(super) fn parse_rule(
    path: &str,
    v: &Value,
    default_collation: CollationMode,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Spec> {
    if let Value::Table(t) = v {
        if let Some(sep) = t.get("separator") {
            let mut rest = t.clone();
            rest.remove("separator");
            let inner = parse_rule(path, &Value::Table(rest), default_collation, errs)?;
            let separator = value_rules::separator(path, sep, &inner, errs)?;
            return Some(Spec::Separated {
                separator,
                inner: Box::new(inner),
            });
        }
        if let Some((name, long)) = value_rules::expand_shorthand(t) {
            // Errors name the options where the file has them: under
            // `date_shift.`, or (json) the paths right under `json.`.
            let at = if name == "json" {
                path.to_owned()
            } else {
                format!("{path}.{name}")
            };
            return parse_rule(&at, &Value::Table(long), default_collation, errs);
        }
    }
    let empty = toml::Table::new();
    let (name, opts) = match v {
        Value::String(s) => (s.as_str(), &empty),
        Value::Table(t) => match t.get("transform") {
            Some(Value::String(s)) => (s.as_str(), t),
            Some(_) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.transform"),
                    Kind::WrongType,
                    "expected a string",
                ));
                return None;
            }
            // `{ template = "..." }` names its transform by its option.
            None if t.contains_key("template") => ("template", t),
            None => {
                errs.push(ConfigProblem::new(
                    path,
                    Kind::Missing,
                    format!("missing transform (one of {TRANSFORMS})"),
                ));
                return None;
            }
        },
        _ => {
            errs.push(ConfigProblem::new(
                path,
                Kind::WrongType,
                "expected a transform name or a table like { transform = \"hash\" }",
            ));
            return None;
        }
    };
    let allowed: &[&str] = match name {
        "hash" => &["format", "salt", "collation"],
        "fake" => &["kind", "locale", "collation"],
        "fpe" => &["collation"],
        "constant" => &["value"],
        "partial" => &["keep_first", "keep_last", "mask_char"],
        "template" => &["template"],
        "null" | "keep" => &[],
        other if value_rules::options(other).is_some() => {
            value_rules::options(other).expect("checked")
        }
        _ => {
            errs.push(ConfigProblem::new(
                path,
                Kind::InvalidValue,
                format!("unknown transform {name:?} (expected one of {TRANSFORMS})"),
            ));
            return None;
        }
    };
    let before = errs.len();
    for k in opts.keys() {
        // `when` applies to every transform (see `parse_when`).
        if k != "transform" && k != "when" && !allowed.contains(&k.as_str()) {
            let expected = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed.join(", ")
            };
            errs.push(ConfigProblem::new(
                format!("{path}.{}", toml_key(k)),
                Kind::UnknownKey,
                format!("unknown option for {name} (options: {expected})"),
            ));
        }
    }
    let string = |k: &str, errs: &mut Vec<ConfigProblem>| -> Option<String> {
        match opts.get(k) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.{k}"),
                    Kind::WrongType,
                    "expected a string",
                ));
                None
            }
        }
    };
    let count = |k: &str, default: usize, errs: &mut Vec<ConfigProblem>| -> usize {
        match opts.get(k) {
            None => default,
            Some(Value::Integer(n)) if *n >= 0 && *n <= 1_000_000 => *n as usize,
            Some(v) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.{k}"),
                    type_or_value(v.is_integer()),
                    "expected a non-negative integer",
                ));
                default
            }
        }
    };
    let collation = match opts.get("collation") {
        None => default_collation,
        Some(v) => collation_mode(&format!("{path}.collation"), v).unwrap_or_else(|e| {
            errs.push(e);
            default_collation
        }),
    };
    let spec = match name {
        "keep" => Spec::Keep,
        "null" => Spec::Null,
        "fpe" => Spec::Fpe { collation },
        "hash" => {
            let format = match string("format", errs).as_deref() {
                None | Some("hex") | Some("auto") => HashFormat::Auto,
                Some("email") => HashFormat::Email,
                Some(other) => {
                    errs.push(ConfigProblem::new(
                        format!("{path}.format"),
                        Kind::InvalidValue,
                        format!("unknown format {other:?} (expected email or hex)"),
                    ));
                    HashFormat::Auto
                }
            };
            Spec::Hash {
                format,
                salt: string("salt", errs),
                collation,
            }
        }
        "fake" => {
            let kind = match string("kind", errs) {
                None => {
                    if !opts.contains_key("kind") {
                        let kinds: Vec<&str> = FakeKind::ALL.iter().map(|(n, _)| *n).collect();
                        errs.push(ConfigProblem::new(
                            path,
                            Kind::Missing,
                            format!("fake needs kind (one of {})", kinds.join(", ")),
                        ));
                    }
                    None
                }
                Some(k) => match FakeKind::from_name(&k) {
                    Some(kind) => Some(kind),
                    None => {
                        let kinds: Vec<&str> = FakeKind::ALL.iter().map(|(n, _)| *n).collect();
                        errs.push(ConfigProblem::new(
                            format!("{path}.kind"),
                            Kind::InvalidValue,
                            format!("unknown kind {k:?} (expected one of {})", kinds.join(", ")),
                        ));
                        None
                    }
                },
            };
            let locale = match string("locale", errs) {
                None => Locale::En,
                Some(l) => Locale::from_name(&l).unwrap_or_else(|| {
                    errs.push(ConfigProblem::new(
                        format!("{path}.locale"),
                        Kind::InvalidValue,
                        format!("unknown locale {l:?} (expected en or ja_JP)"),
                    ));
                    Locale::En
                }),
            };
            Spec::Fake {
                kind: kind?,
                locale,
                collation,
            }
        }
        "constant" => match opts.get("value") {
            Some(Value::String(s)) => Spec::Constant(s.clone()),
            Some(Value::Integer(n)) => Spec::Constant(n.to_string()),
            Some(Value::Float(x)) => Spec::Constant(x.to_string()),
            Some(_) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.value"),
                    Kind::WrongType,
                    "expected a string or a number",
                ));
                return None;
            }
            None => {
                errs.push(ConfigProblem::new(
                    path,
                    Kind::Missing,
                    "constant needs value",
                ));
                return None;
            }
        },
        "template" => match opts.get("template") {
            Some(Value::String(t)) => match Template::parse(t) {
                Ok(t) => Spec::Template(t),
                Err(e) => {
                    errs.push(ConfigProblem::new(
                        format!("{path}.template"),
                        Kind::InvalidValue,
                        e.to_string(),
                    ));
                    return None;
                }
            },
            Some(_) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.template"),
                    Kind::WrongType,
                    "expected a string",
                ));
                return None;
            }
            None => {
                errs.push(ConfigProblem::new(
                    path,
                    Kind::Missing,
                    "template needs template = \"...{column}...\"",
                ));
                return None;
            }
        },
        "partial" => {
            let keep_first = count("keep_first", 0, errs);
            let keep_last = count("keep_last", 4, errs);
            let mask_char = match string("mask_char", errs) {
                None => '*',
                Some(m) => {
                    let mut it = m.chars();
                    match (it.next(), it.next()) {
                        (Some(c), None) if !matches!(c, '\'' | '"' | '\\') && !c.is_control() => c,
                        _ => {
                            errs.push(ConfigProblem::new(
                                format!("{path}.mask_char"),
                                Kind::InvalidValue,
                                "expected one printable character other than a quote or backslash",
                            ));
                            '*'
                        }
                    }
                }
            };
            Spec::Partial {
                keep_first,
                keep_last,
                mask_char,
            }
        }
        other => value_rules::parse(other, path, opts, default_collation, errs)?,
    };
    if errs.len() > before {
        return None;
    }
    Some(spec)
}
