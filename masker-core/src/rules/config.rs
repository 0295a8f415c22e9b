//! The rules file: TOML parsed and checked into a [`RulesConfig`], every
//! problem reported at once with its config path.
//!
//! This module owns the file format (top-level `strict`, `collation`, `[key]`
//! (`env` or `file`, and `prf`), `[tables.*]`, shorthand and inline rules, each transform's options).
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

use crate::transform::{CollationMode, FakeKind, HashFormat, Locale, Prf};

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
}

impl Spec {
    /// True when the transform needs the key.
    pub fn is_keyed(&self) -> bool {
        matches!(
            self,
            Spec::Hash { .. } | Spec::Fake { .. } | Spec::Fpe { .. }
        )
    }

    /// The collation mode of a keyed rule (`None` for unkeyed ones).
    pub fn collation(&self) -> Option<CollationMode> {
        match self {
            Spec::Hash { collation, .. }
            | Spec::Fake { collation, .. }
            | Spec::Fpe { collation } => Some(*collation),
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

const TRANSFORMS: &str = "hash, fake, fpe, null, constant, partial, keep";

impl RulesConfig {
    /// Parse and check a rules file. `origin` names it in syntax errors.
    pub fn parse(text: &str, origin: &str) -> Result<RulesConfig, Vec<String>> {
        let root: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => return Err(vec![format!("{origin}: {}", e.to_string().trim_end())]),
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
                    _ => errs.push("strict: expected true or false".to_owned()),
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
                    _ => errs.push("tables: expected a table of tables".to_owned()),
                },
                "export" => parse_export(v, &mut cfg.export, &mut errs),
                other => errs.push(format!(
                    "{other}: unknown key (expected strict, collation, key, tables or export)"
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

fn parse_export(v: &Value, out: &mut ExportRules, errs: &mut Vec<String>) {
    let Value::Table(t) = v else {
        errs.push("export: expected a table with binary and/or null_marker".to_owned());
        return;
    };
    for (k, v) in t {
        match (k.as_str(), v) {
            ("binary", Value::String(s)) if s == "base64" || s == "hex" => {
                out.binary = Some(s.clone())
            }
            ("binary", _) => errs.push("export.binary: expected \"base64\" or \"hex\"".to_owned()),
            ("null_marker", Value::String(s)) if !s.contains(['\t', '\n', '\r', '"']) => {
                out.null_marker = Some(s.clone())
            }
            ("null_marker", _) => errs.push(
                "export.null_marker: expected a string without tabs, newlines or quotes".to_owned(),
            ),
            (other, _) => errs.push(format!(
                "export.{other}: unknown option (expected binary or null_marker)"
            )),
        }
    }
}

fn parse_key(v: &Value, out: &mut KeySource, prf: &mut Prf, errs: &mut Vec<String>) {
    let Value::Table(t) = v else {
        errs.push("key: expected a table with env, file and/or prf".to_owned());
        return;
    };
    let mut found = Vec::new();
    for (k, v) in t {
        match (k.as_str(), v) {
            ("env", Value::String(s)) if !s.is_empty() => found.push(KeySource::Env(s.clone())),
            ("file", Value::String(s)) if !s.is_empty() => found.push(KeySource::File(s.clone())),
            ("env" | "file", _) => errs.push(format!("key.{k}: expected a non-empty string")),
            ("prf", Value::String(s)) if Prf::from_name(s).is_some() => {
                *prf = Prf::from_name(s).expect("checked")
            }
            ("prf", Value::String(s)) => errs.push(format!(
                "key.prf: unknown PRF {s:?} (expected {})",
                prf_names()
            )),
            ("prf", _) => errs.push(format!("key.prf: expected {}", prf_names())),
            _ => errs.push(format!("key.{k}: unknown key (expected env, file or prf)")),
        }
    }
    match found.len() {
        0 => {}
        1 => *out = found.pop().expect("one"),
        _ => errs.push("key: give either env or file, not both".to_owned()),
    }
}

/// `"blake3" or "hmac-sha256"`, for messages.
fn prf_names() -> String {
    let names: Vec<String> = Prf::ALL.iter().map(|(n, _)| format!("{n:?}")).collect();
    names.join(" or ")
}

/// A `collation` option's value at `path`.
fn collation_mode(path: &str, v: &Value) -> Result<CollationMode, String> {
    match v {
        Value::String(s) => CollationMode::from_name(s).ok_or_else(|| {
            format!("{path}: unknown collation mode {s:?} (expected \"column\" or \"exact\")")
        }),
        _ => Err(format!("{path}: expected \"column\" or \"exact\"")),
    }
}

fn parse_table(
    name: &str,
    v: &Value,
    collation: CollationMode,
    errs: &mut Vec<String>,
) -> Option<TableRules> {
    let path = format!("tables.{}", toml_key(name));
    let Value::Table(cols) = v else {
        errs.push(format!("{path}: expected a table of column rules"));
        return None;
    };
    let (database, table) = match name.split_once('.') {
        None => (None, name.to_owned()),
        Some((db, t)) if !db.is_empty() && !t.is_empty() && !t.contains('.') => {
            (Some(db.to_owned()), t.to_owned())
        }
        Some(_) => {
            errs.push(format!(
                "{path}: a table key is \"table\" or \"database.table\""
            ));
            return None;
        }
    };
    if table.is_empty() {
        errs.push(format!("{path}: empty table name"));
        return None;
    }
    let mut columns: Vec<(String, Spec)> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (col, rule) in cols {
        let cpath = format!("{path}.{}", toml_key(col));
        if let Some(prev) = seen.insert(col.to_lowercase(), col.clone()) {
            errs.push(format!(
                "{cpath}: same column as {path}.{} (column names ignore case)",
                toml_key(&prev)
            ));
            continue;
        }
        if let Some(spec) = parse_rule(&cpath, rule, collation, errs) {
            columns.push((col.clone(), spec));
        }
    }
    Some(TableRules {
        key: name.to_owned(),
        database,
        table,
        columns,
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

fn parse_rule(
    path: &str,
    v: &Value,
    default_collation: CollationMode,
    errs: &mut Vec<String>,
) -> Option<Spec> {
    let empty = toml::Table::new();
    let (name, opts) = match v {
        Value::String(s) => (s.as_str(), &empty),
        Value::Table(t) => match t.get("transform") {
            Some(Value::String(s)) => (s.as_str(), t),
            Some(_) => {
                errs.push(format!("{path}.transform: expected a string"));
                return None;
            }
            None => {
                errs.push(format!("{path}: missing transform (one of {TRANSFORMS})"));
                return None;
            }
        },
        _ => {
            errs.push(format!(
                "{path}: expected a transform name or a table like {{ transform = \"hash\" }}"
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
        "null" | "keep" => &[],
        _ => {
            errs.push(format!(
                "{path}: unknown transform {name:?} (expected one of {TRANSFORMS})"
            ));
            return None;
        }
    };
    let before = errs.len();
    for k in opts.keys() {
        if k != "transform" && !allowed.contains(&k.as_str()) {
            let expected = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed.join(", ")
            };
            errs.push(format!(
                "{path}.{}: unknown option for {name} (options: {expected})",
                toml_key(k)
            ));
        }
    }
    let string = |k: &str, errs: &mut Vec<String>| -> Option<String> {
        match opts.get(k) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errs.push(format!("{path}.{k}: expected a string"));
                None
            }
        }
    };
    let count = |k: &str, default: usize, errs: &mut Vec<String>| -> usize {
        match opts.get(k) {
            None => default,
            Some(Value::Integer(n)) if *n >= 0 && *n <= 1_000_000 => *n as usize,
            Some(_) => {
                errs.push(format!("{path}.{k}: expected a non-negative integer"));
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
                    errs.push(format!(
                        "{path}.format: unknown format {other:?} (expected email or hex)"
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
                        errs.push(format!(
                            "{path}: fake needs kind (one of {})",
                            kinds.join(", ")
                        ));
                    }
                    None
                }
                Some(k) => match FakeKind::from_name(&k) {
                    Some(kind) => Some(kind),
                    None => {
                        let kinds: Vec<&str> = FakeKind::ALL.iter().map(|(n, _)| *n).collect();
                        errs.push(format!(
                            "{path}.kind: unknown kind {k:?} (expected one of {})",
                            kinds.join(", ")
                        ));
                        None
                    }
                },
            };
            let locale = match string("locale", errs) {
                None => Locale::En,
                Some(l) => Locale::from_name(&l).unwrap_or_else(|| {
                    errs.push(format!(
                        "{path}.locale: unknown locale {l:?} (expected en or ja_JP)"
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
                errs.push(format!("{path}.value: expected a string or a number"));
                return None;
            }
            None => {
                errs.push(format!("{path}: constant needs value"));
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
                            errs.push(format!("{path}.mask_char: expected one printable character other than a quote or backslash"));
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
        _ => unreachable!("checked above"),
    };
    if errs.len() > before {
        return None;
    }
    Some(spec)
}
