//! The rules-file syntax of the value-level transforms: `json`,
//! `regex_replace`, `dictionary`, `date_shift`, `noise`, and the `separator`
//! option of any transform that writes text.
//!
//! This module owns their options and checks, with every problem reported by
//! its config path like the rest of `config`; nested rules (a JSON path's
//! rule, `regex_replace`'s `with`, `dictionary`'s `unlisted`) are parsed by
//! `config::parse_rule`, so any transform can be nested with the same syntax
//! as a column's. It resolves nothing outside the text.
//!
//! Shorthand: a rule table without `transform` whose only key (besides
//! `separator`) is one of these transforms, holding a table, is that
//! transform with those options: `{ json = { "owner.email" = "hash" } }` is
//! `{ transform = "json", paths = { ... } }`, and
//! `{ date_shift = { max_days = 180 } }` is
//! `{ transform = "date_shift", max_days = 180 }`.

use toml::Value;

use super::config::{parse_rule, toml_key, type_or_value, Spec};
use crate::error::{ConfigProblem, ConfigProblemKind as Kind};
use crate::transform::{CollationMode, JsonPath, NoiseAmount, Pattern, MAX_SHIFT_DAYS};

/// The transforms of this module, as the rules file names them.
pub(super) const NAMES: &[&str] = &["json", "regex_replace", "dictionary", "date_shift", "noise"];

/// The options each transform of this module takes (`None`: not one of them).
pub(super) fn options(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        // `json` is the shorthand's spelling (`{ json = { ... } }`).
        "json" => &["paths", "json"],
        "regex_replace" => &["pattern", "with", "value"],
        "dictionary" => &["values", "unlisted"],
        "date_shift" => &["max_days"],
        "noise" => &["relative", "absolute"],
        _ => return None,
    })
}

/// The shorthand `{ json = { ... } }` as its transform's name and the long
/// form, or `None` when `t` is not a shorthand (`separator` is taken off
/// before). The long form of `json` keeps its paths under `json`, so errors
/// name them as written.
pub(super) fn expand_shorthand(t: &toml::Table) -> Option<(String, toml::Table)> {
    if t.contains_key("transform") || t.len() != 1 {
        return None;
    }
    let (name, inner) = t.iter().next()?;
    let Value::Table(inner) = inner else {
        return None;
    };
    if !NAMES.contains(&name.as_str()) {
        return None;
    }
    let mut long = if name == "json" {
        toml::Table::from_iter([("json".to_owned(), Value::Table(inner.clone()))])
    } else {
        inner.clone()
    };
    long.insert("transform".into(), Value::String(name.clone()));
    Some((name.clone(), long))
}

/// Parse the options of `name` (one of [`NAMES`]) at `path`; problems go
/// to `errs`, and `None` comes back when there was one.
pub(super) fn parse(
    name: &str,
    path: &str,
    opts: &toml::Table,
    collation: CollationMode,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Spec> {
    match name {
        "json" => json(path, opts, collation, errs),
        "regex_replace" => regex_replace(path, opts, collation, errs),
        "dictionary" => dictionary(path, opts, collation, errs),
        "date_shift" => match opts.get("max_days") {
            Some(Value::Integer(n)) if *n >= 1 && *n <= MAX_SHIFT_DAYS as i64 => {
                Some(Spec::DateShift {
                    max_days: *n as u32,
                })
            }
            Some(v) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.max_days"),
                    type_or_value(v.is_integer()),
                    format!("expected a whole number of days, 1 to {MAX_SHIFT_DAYS}"),
                ));
                None
            }
            None => {
                errs.push(ConfigProblem::new(
                    path,
                    Kind::Missing,
                    "date_shift needs max_days",
                ));
                None
            }
        },
        "noise" => noise(path, opts, errs),
        _ => unreachable!("only the names of NAMES come here"),
    }
}

fn json(
    path: &str,
    opts: &toml::Table,
    collation: CollationMode,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Spec> {
    let (key, paths) = match (opts.get("paths"), opts.get("json")) {
        (Some(p), None) => ("paths", p),
        (None, Some(p)) => ("json", p),
        (both, _) => {
            errs.push(ConfigProblem::new(
                path,
                if both.is_some() {
                    Kind::Conflict
                } else {
                    Kind::Missing
                },
                "json needs paths, a table of JSON path = rule (as in { json = { \"owner.email\" = \"hash\" } })",
            ));
            return None;
        }
    };
    let Value::Table(paths) = paths else {
        errs.push(ConfigProblem::new(
            format!("{path}.{key}"),
            Kind::WrongType,
            "expected a table of JSON path = rule",
        ));
        return None;
    };
    if paths.is_empty() {
        errs.push(ConfigProblem::new(
            path,
            Kind::Missing,
            "json needs at least one path",
        ));
        return None;
    }
    let before = errs.len();
    let mut out = Vec::new();
    for (p, rule) in paths {
        let ppath = format!("{path}.{key}.{}", toml_key(p));
        let jp = match JsonPath::parse(p) {
            Ok(jp) => Some(jp),
            Err(e) => {
                errs.push(ConfigProblem::new(
                    ppath.as_str(),
                    Kind::InvalidValue,
                    format!("invalid JSON path: {e}"),
                ));
                None
            }
        };
        let spec = parse_rule(&ppath, rule, collation, errs);
        if let Some(Spec::Json { .. }) = spec {
            errs.push(ConfigProblem::new(
                ppath,
                Kind::Conflict,
                "json cannot be nested in json",
            ));
            continue;
        }
        if let (Some(jp), Some(spec)) = (jp, spec) {
            out.push((jp, spec));
        }
    }
    (errs.len() == before).then_some(Spec::Json { paths: out })
}

/// A nested rule at `path` that must write text in place of a piece of a
/// value: not keep, null or json.
fn piece_rule(
    path: &str,
    v: &Value,
    collation: CollationMode,
    what: &str,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Spec> {
    let spec = parse_rule(path, v, collation, errs)?;
    match spec {
        Spec::Keep | Spec::Null | Spec::Json { .. } => {
            errs.push(ConfigProblem::new(
                path,
                Kind::Conflict,
                format!("{what} must write a value (not keep, null or json)"),
            ));
            None
        }
        s => Some(s),
    }
}

fn regex_replace(
    path: &str,
    opts: &toml::Table,
    collation: CollationMode,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Spec> {
    let before = errs.len();
    let pattern = match opts.get("pattern") {
        Some(Value::String(p)) if !p.is_empty() => match Pattern::new(p) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.push(ConfigProblem::new(
                    format!("{path}.pattern"),
                    Kind::InvalidValue,
                    format!("invalid regular expression: {e}"),
                ));
                None
            }
        },
        Some(v) => {
            errs.push(ConfigProblem::new(
                format!("{path}.pattern"),
                type_or_value(v.is_str()),
                "expected a non-empty string",
            ));
            None
        }
        None => {
            errs.push(ConfigProblem::new(
                path,
                Kind::Missing,
                "regex_replace needs pattern",
            ));
            None
        }
    };
    let with = match (opts.get("with"), opts.get("value")) {
        (Some(w), None) => piece_rule(&format!("{path}.with"), w, collation, "with", errs),
        (None, Some(Value::String(s))) => Some(Spec::Constant(s.clone())),
        (None, Some(_)) => {
            errs.push(ConfigProblem::new(
                format!("{path}.value"),
                Kind::WrongType,
                "expected a string",
            ));
            None
        }
        (Some(_), Some(_)) => {
            errs.push(ConfigProblem::new(
                path,
                Kind::Conflict,
                "give either with or value, not both",
            ));
            None
        }
        (None, None) => {
            errs.push(ConfigProblem::new(
                path,
                Kind::Missing,
                "regex_replace needs with (a rule for each match) or value (a constant)",
            ));
            None
        }
    };
    if errs.len() > before {
        return None;
    }
    Some(Spec::RegexReplace {
        pattern: pattern?,
        with: Box::new(with?),
    })
}

fn dictionary(
    path: &str,
    opts: &toml::Table,
    collation: CollationMode,
    errs: &mut Vec<ConfigProblem>,
) -> Option<Spec> {
    let before = errs.len();
    let mut values = Vec::new();
    match opts.get("values") {
        Some(Value::Table(t)) if !t.is_empty() => {
            for (k, v) in t {
                match v {
                    Value::String(s) => values.push((k.clone(), s.clone())),
                    _ => errs.push(ConfigProblem::new(
                        format!("{path}.values.{}", toml_key(k)),
                        Kind::WrongType,
                        "expected a string",
                    )),
                }
            }
        }
        other => errs.push(ConfigProblem::new(
            path,
            match other {
                None | Some(Value::Table(_)) => Kind::Missing,
                Some(_) => Kind::WrongType,
            },
            "dictionary needs values, a non-empty table of \"from\" = \"to\"",
        )),
    }
    let unlisted = match opts.get("unlisted") {
        None => None,
        Some(Value::String(s)) if s == "error" => None,
        Some(v) => parse_rule(&format!("{path}.unlisted"), v, collation, errs).map(Box::new),
    };
    if let Some(Spec::Json { .. }) = unlisted.as_deref() {
        errs.push(ConfigProblem::new(
            format!("{path}.unlisted"),
            Kind::Conflict,
            "json cannot mask unlisted values",
        ));
    }
    (errs.len() == before).then_some(Spec::Dictionary { values, unlisted })
}

fn noise(path: &str, opts: &toml::Table, errs: &mut Vec<ConfigProblem>) -> Option<Spec> {
    let number = |k: &str, errs: &mut Vec<ConfigProblem>| -> Option<f64> {
        let v = opts.get(k)?;
        let x = match v {
            Value::Integer(n) => *n as f64,
            Value::Float(x) => *x,
            _ => f64::NAN,
        };
        if !(x.is_finite() && x > 0.0) {
            errs.push(ConfigProblem::new(
                format!("{path}.{k}"),
                type_or_value(v.is_integer() || v.is_float()),
                "expected a positive number",
            ));
            return None;
        }
        Some(x)
    };
    let amount = match (opts.contains_key("relative"), opts.contains_key("absolute")) {
        (true, false) => NoiseAmount::Relative(number("relative", errs)?),
        (false, true) => NoiseAmount::Absolute(number("absolute", errs)?),
        (true, true) => {
            errs.push(ConfigProblem::new(
                path,
                Kind::Conflict,
                "give either relative or absolute, not both",
            ));
            return None;
        }
        (false, false) => {
            errs.push(ConfigProblem::new(
                path,
                Kind::Missing,
                "noise needs relative (a fraction of the value, 0.1 = ±10%) or absolute",
            ));
            return None;
        }
    };
    Some(Spec::Noise { amount })
}

/// `separator = "..."` at `path`: a non-empty string, allowed on rules that
/// write text (not keep, null or json).
pub(super) fn separator(
    path: &str,
    v: &Value,
    inner: &Spec,
    errs: &mut Vec<ConfigProblem>,
) -> Option<String> {
    let sep = match v {
        Value::String(s) if !s.is_empty() => s.clone(),
        _ => {
            errs.push(ConfigProblem::new(
                format!("{path}.separator"),
                type_or_value(v.is_str()),
                "expected a non-empty string",
            ));
            return None;
        }
    };
    match inner {
        Spec::Keep | Spec::Null | Spec::Json { .. } => {
            errs.push(ConfigProblem::new(
                format!("{path}.separator"),
                Kind::Conflict,
                "only for transforms that write each element (not keep, null or json)",
            ));
            None
        }
        _ => Some(sep),
    }
}
