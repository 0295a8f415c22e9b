//! Binding the value-level rules (`json`, `separator`, `regex_replace`,
//! `dictionary`, `date_shift`, `noise`) to one column.
//!
//! This module owns what each of them accepts as a column and how their
//! nested rules are bound: a JSON path's rule to a JSON member (a LONGTEXT
//! utf8mb4 value compared exactly, as MySQL compares JSON strings), the
//! pieces of `separator` and `regex_replace` and `dictionary`'s unlisted
//! values to the column itself. Problems come back as one message per rule,
//! naming the JSON path when there is one.

use std::sync::Arc;

use super::{Rules, Spec};
use crate::schema::{Column, ColumnType, TableSchema};
use crate::transform::{
    ConstantTransform, DateShiftTransform, DictionaryTransform, JsonTransform, Key, NoiseTransform,
    PathRule, RegexReplaceTransform, SeparatedTransform, Transform, Unlisted,
};

/// What a rule nested in a `json` rule is bound to: a JSON member's value,
/// as text of any length, compared exactly as JSON compares strings (no
/// case folding, trailing spaces count).
fn json_member_column(column: &Column) -> Column {
    Column {
        name: column.name.clone(),
        ty: ColumnType::Text {
            max_bytes: u32::MAX as u64,
        },
        not_null: false,
        generated: false,
        charset: Some("utf8mb4".into()),
        collation: Some("utf8mb4_nopad_bin".into()),
    }
}

impl Rules {
    /// Bind a value-level `spec` to `column`; `key` is the masking key (or
    /// the check-only placeholder).
    pub(super) fn build_value_transform(
        &self,
        spec: &Spec,
        column: &Column,
        schema: &TableSchema,
        key: &Key,
    ) -> Result<Arc<dyn Transform>, String> {
        let charset = schema.default_charset.as_deref();
        // A nested rule never is `keep` where a transform must write (checked
        // by the config); `keep` elsewhere binds to `None`.
        let nested = |s: &Spec, col: &Column| -> Result<Arc<dyn Transform>, String> {
            self.build_transform(s, col, schema)?
                .ok_or_else(|| "keep cannot stand here".to_owned())
        };
        Ok(match spec {
            Spec::Json { paths } => {
                let member = json_member_column(column);
                let mut rules = Vec::new();
                let mut problems = Vec::new();
                for (path, s) in paths {
                    match self.build_transform(s, &member, schema) {
                        Ok(t) => rules.push(PathRule {
                            path: path.clone(),
                            transform: t,
                            replaces_containers: matches!(s, Spec::Null | Spec::Constant(_)),
                        }),
                        Err(e) => problems.push(format!("JSON path {path}: {e}")),
                    }
                }
                if !problems.is_empty() {
                    return Err(problems.join("; "));
                }
                Arc::new(JsonTransform::new(rules, column, charset)?)
            }
            Spec::Separated { separator, inner } => Arc::new(SeparatedTransform::new(
                separator,
                nested(inner, column)?,
                column,
                charset,
            )?),
            Spec::RegexReplace { pattern, with } => Arc::new(RegexReplaceTransform::new(
                pattern.clone(),
                nested(with, column)?,
                column,
                charset,
            )?),
            Spec::Dictionary { values, unlisted } => {
                let mut problems = Vec::new();
                for (from, to) in values {
                    if let Err(e) = ConstantTransform::new(to, column, charset) {
                        problems.push(format!(
                            "dictionary value for {}: {e}",
                            super::toml_key(from)
                        ));
                    }
                }
                if !problems.is_empty() {
                    return Err(problems.join("; "));
                }
                let unlisted = match unlisted {
                    None => Unlisted::Error,
                    Some(s) => match self.build_transform(s, column, schema)? {
                        None => Unlisted::Keep,
                        Some(t) => Unlisted::Mask(t),
                    },
                };
                Arc::new(DictionaryTransform::new(values, unlisted))
            }
            Spec::DateShift { max_days } => {
                Arc::new(DateShiftTransform::new(key, *max_days, column)?)
            }
            Spec::Noise { amount } => Arc::new(NoiseTransform::new(key, *amount, column, charset)?),
            _ => unreachable!("only value-level rules come here"),
        })
    }
}
