//! Masking rules: the TOML contract, compiled once, then bound to each table's schema.
//!
//! This module owns the life of a rules file: [`RulesConfig`] (parsed and
//! checked text, in `config`), [`RulesBuilder`] (config + key source ->
//! [`Rules`], every problem at once as [`ErrorKind::Config`]), and
//! [`Rules::bind`] (rules + one `CREATE TABLE` -> [`TablePlan`] indexed by
//! column position, or every [`PlanProblem`], naming `table.column` and the
//! rule's path). It does not read
//! dumps or mask values; the transforms live in [`crate::transform`].
//!
//! Table keys: `users` matches a table `users` in any database; `"shop.orders"`
//! only the table `orders` of database `shop`. When both match, the dotted key
//! wins and the bare one is not used for that table. Table names compare
//! exactly, column names ignoring ASCII case (as MySQL does).
//!
//! Generated columns never appear in dump rows: only `keep` may name them, and
//! strict mode does not require them to be classified.

mod config;
pub mod expr;
pub mod template;
mod value_bind;
mod value_rules;

use std::ffi::OsString;
use std::fmt;
use std::sync::Arc;

pub use config::{
    toml_key, ExportRules, KeySource, RowPolicy, RulesConfig, Spec, TableRules, DEFAULT_KEY_ENV,
};
use expr::BoundCondition;
use template::BoundTemplate;

use crate::error::{
    ConfigProblem, ConfigProblemKind, Error, ErrorKind, PlanProblem, PlanProblemKind,
};
use crate::schema::{Column, ColumnType, TableName, TableSchema};
use crate::transform::{
    CollationMode, ConstantTransform, FakeTransform, Folding, FpeTransform, HashTransform, Key,
    NullTransform, PartialTransform, Prf, Transform,
};

/// Compiled masking rules: checked config plus the key. `Debug` never shows the key.
#[derive(Clone, Default)]
pub struct Rules {
    strict: bool,
    tables: Vec<TableRules>,
    export: ExportRules,
    key: Option<Key>,
    /// The keyed function (`[key] prf`), also when there is no key.
    prf: Prf,
    /// Built without a key for checking: keyed transforms refuse to mask.
    check_only: bool,
    /// Problems that do not stop a run (a short key), for the caller to print once.
    warnings: Vec<String>,
}

impl fmt::Debug for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rules")
            .field("strict", &self.strict)
            .field("tables", &self.tables)
            .field(
                "key",
                &if self.key.is_some() {
                    "<redacted>"
                } else {
                    "<none>"
                },
            )
            .field("prf", &self.prf)
            .field("check_only", &self.check_only)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Keys shorter than this many bytes get a warning ([`Rules::warnings`]).
pub const MIN_KEY_BYTES: usize = 16;

/// A function looking up an environment variable.
type EnvLookup = Box<dyn Fn(&str) -> Option<OsString>>;

/// Builds [`Rules`] from a rules file and a way to find the key.
///
/// ```
/// use masker_core::rules::RulesBuilder;
/// let rules = RulesBuilder::new()
///     .toml("[tables.users]\nemail = \"hash\"\n", "rules.toml")
///     .key_from_env_lookup(|name| (name == "MASKER_KEY").then(|| "s3cret-key".into()))
///     .build()
///     .unwrap();
/// assert_eq!(rules.table_rule_names(), vec!["users".to_string()]);
/// ```
#[derive(Default)]
pub struct RulesBuilder {
    text: Option<(String, String)>,
    env: Option<EnvLookup>,
    key: Option<Vec<u8>>,
    allow_missing_key: bool,
    strict: Option<bool>,
}

impl fmt::Debug for RulesBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RulesBuilder")
            .field("origin", &self.text.as_ref().map(|t| &t.1))
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl RulesBuilder {
    /// A builder with no rules (the identity) and no key source.
    pub fn new() -> Self {
        RulesBuilder::default()
    }

    /// The rules file's text; `origin` (a path) names it in syntax errors.
    pub fn toml(mut self, text: &str, origin: &str) -> Self {
        self.text = Some((text.to_owned(), origin.to_owned()));
        self
    }

    /// Look up `[key] env = "..."` (default `MASKER_KEY`) through `lookup`.
    pub fn key_from_env_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<OsString> + 'static,
    ) -> Self {
        self.env = Some(Box::new(lookup));
        self
    }

    /// Look up the key's environment variable in the process environment.
    pub fn key_from_env(self) -> Self {
        self.key_from_env_lookup(|name| std::env::var_os(name))
    }

    /// Use this secret, whatever the rules file's `[key]` says (library users, tests).
    pub fn key(mut self, secret: &[u8]) -> Self {
        self.key = Some(secret.to_vec());
        self
    }

    /// Build even when no key is available (for `masker check` / `explain`):
    /// keyed transforms are then bound to a fixed placeholder key, so that a
    /// dry run ([`crate::check_reader`]) masks every value exactly as a real
    /// run would; such rules are refused by every function that writes
    /// masked output ([`Rules::is_check_only`]).
    pub fn allow_missing_key(mut self, allow: bool) -> Self {
        self.allow_missing_key = allow;
        self
    }

    /// Override the file's `strict` setting (e.g. a `--strict` flag).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Check everything and build the rules. All problems (file and key) come
    /// back together as [`ErrorKind::Config`], each with its path.
    pub fn build(self) -> Result<Rules, Error> {
        let cfg = match &self.text {
            None => RulesConfig {
                strict: false,
                collation: CollationMode::Column,
                key: KeySource::Env(DEFAULT_KEY_ENV.into()),
                prf: Prf::default(),
                tables: Vec::new(),
                export: ExportRules::default(),
            },
            Some((text, origin)) => {
                RulesConfig::parse(text, origin).map_err(|e| Error::new(ErrorKind::Config(e)))?
            }
        };
        let keyed = cfg
            .tables
            .iter()
            .any(|t| t.columns.iter().any(|(_, s)| s.is_keyed()));
        let mut key = None;
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        if keyed || self.key.is_some() {
            match self.resolve_key(&cfg.key, cfg.prf) {
                Ok((k, len)) => {
                    if len < MIN_KEY_BYTES {
                        warnings.push(format!(
                            "key: the masking key is only {len} bytes long; use at least \
                             {MIN_KEY_BYTES} random bytes (e.g. `openssl rand -base64 32`)"
                        ));
                    }
                    key = Some(k)
                }
                Err(e) if keyed && !self.allow_missing_key => problems.push(e),
                Err(_) => {}
            }
        }
        if !problems.is_empty() {
            return Err(Error::new(ErrorKind::Config(problems)));
        }
        Ok(Rules {
            strict: self.strict.unwrap_or(cfg.strict),
            tables: cfg.tables,
            export: cfg.export,
            check_only: keyed && key.is_none(),
            key,
            prf: cfg.prf,
            warnings,
        })
    }

    /// The key and its length in bytes.
    fn resolve_key(&self, source: &KeySource, prf: Prf) -> Result<(Key, usize), ConfigProblem> {
        let problem =
            |path: &str, message: String| ConfigProblem::new(path, ConfigProblemKind::Key, message);
        let secret: Vec<u8> = if let Some(k) = &self.key {
            k.clone()
        } else {
            match source {
                KeySource::Env(name) => {
                    let Some(lookup) = &self.env else {
                        return Err(problem(
                            "key",
                            format!("no masking key: environment variable {name} is not available"),
                        ));
                    };
                    match lookup(name) {
                        None => {
                            return Err(problem(
                                "key",
                                format!("no masking key: environment variable {name} is not set"),
                            ))
                        }
                        Some(v) => match v.into_string() {
                            Ok(s) => s.into_bytes(),
                            Err(_) => {
                                return Err(problem(
                                    "key.env",
                                    format!("environment variable {name} is not valid UTF-8"),
                                ))
                            }
                        },
                    }
                }
                KeySource::File(path) => match std::fs::read(path) {
                    Ok(mut b) => {
                        if b.ends_with(b"\n") {
                            b.pop();
                            if b.ends_with(b"\r") {
                                b.pop();
                            }
                        }
                        b
                    }
                    Err(e) => {
                        return Err(problem(
                            "key.file",
                            format!("cannot read key file {path:?}: {}", e.kind()),
                        ))
                    }
                },
            }
        };
        let key = Key::with_prf(&secret, prf).map_err(|e| problem("key", e.to_string()))?;
        Ok((key, secret.len()))
    }
}

impl Rules {
    /// Rules that mask nothing: the engine is then the identity.
    pub fn empty() -> Self {
        Rules::default()
    }

    /// Compile a rules file, reading the key from the process environment
    /// (`[key] env`, default `MASKER_KEY`) or `[key] file`.
    pub fn from_toml(text: &str, origin: &str) -> Result<Rules, Error> {
        RulesBuilder::new()
            .toml(text, origin)
            .key_from_env()
            .build()
    }

    /// The rules file's `[export]` section (TSV export options).
    pub fn export(&self) -> &ExportRules {
        &self.export
    }

    /// `strict = true`: every stored column of every table must be classified.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// Problems that do not stop a run (today: a masking key shorter than
    /// 16 bytes), each a line to print once before masking. They never
    /// contain the key.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The keyed function every keyed transform uses (`[key] prf`; BLAKE3
    /// unless the rules file says `hmac-sha256`). Changing it changes every
    /// pseudonym.
    pub fn prf(&self) -> Prf {
        self.prf
    }

    /// True when built without a key (`allow_missing_key`): fit for checking only.
    pub fn is_check_only(&self) -> bool {
        self.check_only
    }

    /// The table keys of the rules file, as written (`users`, `shop.orders`).
    pub fn table_rule_names(&self) -> Vec<String> {
        self.tables.iter().map(|t| t.key.clone()).collect()
    }

    /// The rules section that applies to `table`, if any (a dotted key wins).
    fn rule_for(&self, table: &TableName) -> Option<&TableRules> {
        let db = table.database.as_deref();
        self.tables
            .iter()
            .find(|t| t.database.is_some() && t.database.as_deref() == db && t.table == table.table)
            .or_else(|| {
                self.tables
                    .iter()
                    .find(|t| t.database.is_none() && t.table == table.table)
            })
    }

    fn matches(rule: &TableRules, table: &TableName) -> bool {
        rule.table == table.table && (rule.database.is_none() || rule.database == table.database)
    }

    /// The rule the rules file gives `table.column` (`None`: unclassified).
    /// Column names compare ignoring ASCII case.
    pub fn spec_for(&self, table: &TableName, column: &str) -> Option<&Spec> {
        self.rule_for(table)?
            .columns
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(column))
            .map(|(_, s)| s)
    }

    /// True when a rules section names this table.
    pub(crate) fn has_section_for(&self, table: &TableName) -> bool {
        self.rule_for(table).is_some()
    }

    /// True when some rule names this table, or the rules are strict (then
    /// every table must be bound to be checked).
    pub fn names_table(&self, table: &TableName) -> bool {
        self.strict || self.rule_for(table).is_some()
    }

    /// The stored columns of `schema` that no rule names (not even `keep`),
    /// in schema order: what strict mode would refuse. Generated columns are
    /// left out (they are never masked). Monitoring counts these to tell
    /// when the rules have gone stale.
    pub fn unclassified_columns<'s>(&self, schema: &'s TableSchema) -> Vec<&'s str> {
        let named = |c: &str| {
            self.rule_for(&schema.name)
                .is_some_and(|r| r.columns.iter().any(|(n, _)| n.eq_ignore_ascii_case(c)))
        };
        schema
            .columns
            .iter()
            .filter(|c| !c.generated && !named(&c.name))
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Problems for rule sections that named no table in `seen` (call at the end of a dump).
    pub fn missing_tables(&self, seen: &[TableName]) -> Vec<PlanProblem> {
        self.tables
            .iter()
            .filter(|r| !seen.iter().any(|t| Rules::matches(r, t)))
            .map(|r| {
                PlanProblem::new(
                    TableName::new(r.database.as_deref(), &r.table),
                    PlanProblemKind::NoSuchTable,
                    "no such table in the dump",
                )
                .with_rule_path(format!("tables.{}", toml_key(&r.key)))
            })
            .collect()
    }

    /// Bind the rules to one table. `Ok(None)` when nothing of the table is
    /// masked or filtered (no rule names it and not strict, or every rule
    /// is `keep` and every row is written). Errors name `table.column` and
    /// the rule's path.
    pub fn bind(&self, schema: &TableSchema) -> Result<Option<TablePlan>, Vec<PlanProblem>> {
        let rule = self.rule_for(&schema.name);
        if rule.is_none() && !self.strict {
            return Ok(None);
        }
        let n = schema.columns.len();
        let mut columns: Vec<Option<Arc<dyn Transform>>> = vec![None; n];
        let mut templates: Vec<Option<Arc<BoundTemplate>>> = vec![None; n];
        let mut when: Vec<Option<Arc<BoundCondition>>> = vec![None; n];
        let mut rows = BoundRowPolicy::All;
        let mut classified = vec![false; n];
        let mut problems = Vec::new();
        let tname = &schema.name;
        let problem = |kind, column: &str, message: String| {
            PlanProblem::new(tname.clone(), kind, message).with_column(column)
        };
        if let Some(r) = rule {
            let mut pending_templates = Vec::new();
            for (col, spec) in &r.columns {
                let path = format!("tables.{}.{}", toml_key(&r.key), toml_key(col));
                let Some(i) = schema.column_index(col) else {
                    problems.push(
                        problem(PlanProblemKind::NoSuchColumn, col, "no such column".into())
                            .with_rule_path(path),
                    );
                    continue;
                };
                classified[i] = true;
                let column = &schema.columns[i];
                if column.generated && *spec != Spec::Keep {
                    problems.push(
                        problem(
                            PlanProblemKind::GeneratedColumn,
                            &column.name,
                            "generated column cannot be masked; mask its inputs".into(),
                        )
                        .with_rule_path(path),
                    );
                    continue;
                }
                if let Spec::Template(t) = spec {
                    pending_templates.push((i, t, path));
                    continue;
                }
                match self.build_transform(spec, column, schema) {
                    Ok(t) => {
                        if let Some(why) = breaks_uniqueness(spec, column, schema) {
                            problems.push(
                                problem(PlanProblemKind::NotUnique, &column.name, why)
                                    .with_rule_path(path),
                            );
                        }
                        columns[i] = t;
                    }
                    Err(e) => problems.push(
                        problem(PlanProblemKind::DoesNotFit, &column.name, e).with_rule_path(path),
                    ),
                }
            }
            // Templates last: they may only read columns that stay unmasked.
            let templated: Vec<usize> = pending_templates.iter().map(|(i, ..)| *i).collect();
            for (i, t, path) in pending_templates {
                let kept = |c: usize| columns[c].is_none() && !templated.contains(&c);
                match t.bind(schema, i, kept) {
                    Ok(b) => templates[i] = Some(Arc::new(b)),
                    Err(ps) => problems.extend(
                        ps.into_iter()
                            .map(|p| p.with_rule_path(format!("{path}.template"))),
                    ),
                }
            }
            for (col, cond) in &r.when {
                let path = format!("tables.{}.{}.when", toml_key(&r.key), toml_key(col));
                // An unknown column was reported with its rule.
                let Some(i) = schema.column_index(col) else {
                    continue;
                };
                let column = &schema.columns[i];
                match cond.bind(schema) {
                    Ok(b) => when[i] = Some(Arc::new(b)),
                    Err(ps) => problems.extend(
                        ps.into_iter()
                            .map(|p| p.with_column(&column.name).with_rule_path(&path)),
                    ),
                }
                let spec = r.columns.iter().find(|(c, _)| c == col).map(|(_, s)| s);
                if matches!(spec, Some(Spec::Fpe { .. })) && schema.is_unique(&column.name) {
                    problems.push(
                        problem(
                            PlanProblemKind::NotUnique,
                            &column.name,
                            "fpe with a condition on a unique key: a masked value can equal the kept value of another row; drop the condition or use hash".into(),
                        )
                        .with_rule_path(path),
                    );
                }
            }
            if let RowPolicy::Where(cond) = &r.rows {
                match cond.bind(schema) {
                    Ok(b) => rows = BoundRowPolicy::Where(Arc::new(b)),
                    Err(ps) => problems.extend(ps.into_iter().map(|p| {
                        p.with_rule_path(format!("tables.{}.rows.where", toml_key(&r.key)))
                    })),
                }
            } else if r.rows == RowPolicy::None {
                rows = BoundRowPolicy::None;
            }
        }
        if self.strict {
            for (c, done) in schema.columns.iter().zip(&classified) {
                if !done && !c.generated {
                    problems.push(problem(
                        PlanProblemKind::Unclassified,
                        &c.name,
                        "not classified by any rule (strict mode)".into(),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // A condition on a column that is not masked does nothing.
        for (w, (c, t)) in when.iter_mut().zip(columns.iter().zip(&templates)) {
            if c.is_none() && t.is_none() {
                *w = None;
            }
        }
        if columns.iter().all(Option::is_none)
            && templates.iter().all(Option::is_none)
            && matches!(rows, BoundRowPolicy::All)
        {
            return Ok(None);
        }
        Ok(Some(TablePlan {
            table: tname.clone(),
            columns,
            templates,
            when,
            rows,
        }))
    }

    /// 32 bytes derived from the masking key for `purpose` (domain
    /// separated from every transform), or `None` without a key.
    pub(crate) fn derived_key(&self, purpose: &[u8]) -> Option<[u8; 32]> {
        self.key
            .as_ref()
            .map(|k| k.derive_bytes(&[b"masker derived key", purpose]))
    }

    /// A fingerprint of the masking key and its PRF, safe to record
    /// (manifests, audit logs): the PRF's name (`blake3:` or `hmac-sha256:`)
    /// and 16 hex digits of that PRF keyed with the key over a fixed label.
    /// The same key and PRF always give the same fingerprint, so two runs
    /// whose pseudonyms must join can be compared (a different PRF gives
    /// different pseudonyms, and says so in the prefix); it reveals nothing
    /// of the key. `None` without a key (or with check-only rules).
    pub fn key_fingerprint(&self) -> Option<String> {
        if self.check_only {
            return None;
        }
        let bytes = self.derived_key(b"key fingerprint")?;
        let hex: String = bytes[..8].iter().map(|b| format!("{b:02x}")).collect();
        Some(format!("{}:{hex}", self.prf.name()))
    }

    /// Refuse check-only rules where masked output would be written.
    pub(crate) fn require_key(&self) -> Result<(), Error> {
        if self.check_only {
            return Err(Error::new(ErrorKind::Config(vec![ConfigProblem::new(
                "key",
                ConfigProblemKind::Key,
                "rules were built without a masking key (check only); they cannot write masked output",
            )])));
        }
        Ok(())
    }

    fn build_transform(
        &self,
        spec: &Spec,
        column: &Column,
        schema: &TableSchema,
    ) -> Result<Option<Arc<dyn Transform>>, String> {
        let charset = schema.default_charset.as_deref();
        let folding = || {
            let collation = schema.column_collation(column);
            let mode = spec.collation().unwrap_or(CollationMode::Exact);
            Folding::for_column(column, collation.as_deref(), mode)
        };
        // Without a key (check only), bind with a throwaway key so the column
        // checks still run, and refuse to mask.
        let placeholder;
        let key = match &self.key {
            Some(k) => k,
            None => {
                placeholder =
                    Key::with_prf(b"check-only placeholder", self.prf).expect("non-empty");
                &placeholder
            }
        };
        let t: Arc<dyn Transform> = match spec {
            Spec::Keep => return Ok(None),
            Spec::Null => Arc::new(NullTransform::new(column)?),
            Spec::Constant(v) => Arc::new(ConstantTransform::new(v, column, charset)?),
            Spec::Partial {
                keep_first,
                keep_last,
                mask_char,
            } => Arc::new(PartialTransform::new(
                *keep_first,
                *keep_last,
                *mask_char,
                column,
                charset,
            )?),
            Spec::Hash { format, salt, .. } => Arc::new(
                HashTransform::new(key, *format, salt.as_deref(), column, charset)?
                    .with_folding(folding()),
            ),
            Spec::Fake { kind, locale, .. } => Arc::new(
                FakeTransform::new(key, *kind, *locale, column, charset)?.with_folding(folding()),
            ),
            Spec::Fpe { .. } => Arc::new(FpeTransform::new(key, column)?.with_folding(folding())),
            Spec::Template(_) => return Ok(None),
            Spec::Json { .. }
            | Spec::Separated { .. }
            | Spec::RegexReplace { .. }
            | Spec::Dictionary { .. }
            | Spec::DateShift { .. }
            | Spec::Noise { .. } => self.build_value_transform(spec, column, schema, key)?,
        };
        Ok(Some(t))
    }
}

/// The plan for one table: a transform (or none) per column position.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// The table this plan is for.
    pub table: TableName,
    /// Per column, in schema order: the transform, or `None` to pass the value through.
    pub columns: Vec<Option<Arc<dyn Transform>>>,
    /// Per column: the template that builds its value from the row, if any.
    pub templates: Vec<Option<Arc<BoundTemplate>>>,
    /// Per column: the condition its transform or template applies under.
    pub when: Vec<Option<Arc<BoundCondition>>>,
    /// Which rows are written.
    pub rows: BoundRowPolicy,
}

/// Which rows of a table are written, bound to its columns.
#[derive(Debug, Clone)]
pub enum BoundRowPolicy {
    /// Every row.
    All,
    /// No row (the schema stays).
    None,
    /// Rows where the condition is true.
    Where(Arc<BoundCondition>),
}

/// Why `spec` would give two rows of a unique column the same value, if it
/// would: the masked dump would then fail to load (duplicate key). Only
/// single-column keys are checked; NULL is always allowed in a unique key.
fn breaks_uniqueness(spec: &Spec, column: &Column, schema: &TableSchema) -> Option<String> {
    let single = |cols: &Vec<String>| cols.len() == 1 && cols[0].eq_ignore_ascii_case(&column.name);
    let unique = single(&schema.primary_key) || schema.unique_keys.iter().any(single);
    if !unique {
        return None;
    }
    let name = match spec {
        Spec::Constant(_) => "constant",
        Spec::Partial { .. } => "partial",
        Spec::Fake { .. } => "fake",
        Spec::Hash { .. } => {
            // A hash is collision-free in practice only with enough output bits.
            let small = match &column.ty {
                ColumnType::Integer { bytes, .. } => *bytes < 8,
                ColumnType::Char { max_chars, .. } => *max_chars < 16,
                ColumnType::Binary { max_bytes, .. } => *max_bytes < 8,
                _ => false,
            };
            if !small {
                return None;
            }
            return Some(format!(
                "the column is a unique key and too narrow for a collision-free hash; {}",
                unique_hint(column)
            ));
        }
        Spec::Dictionary { .. } => "dictionary",
        Spec::RegexReplace { .. } => "regex_replace",
        Spec::DateShift { .. } => "date_shift",
        Spec::Noise { .. } => "noise",
        Spec::Separated { inner, .. } => return breaks_uniqueness(inner, column, schema),
        // Templates check their own uniqueness when bound.
        Spec::Keep | Spec::Null | Spec::Fpe { .. } | Spec::Json { .. } | Spec::Template(_) => {
            return None
        }
    };
    Some(format!(
        "`{name}` can give two rows the same value, but the column is a unique key; {}",
        unique_hint(column)
    ))
}

/// What keeps a unique column unique: fpe (a bijection) where its domain is
/// large enough, else nothing keyed does.
fn unique_hint(column: &Column) -> &'static str {
    let probe = Key::new(b"unique-hint probe").expect("non-empty");
    if FpeTransform::new(&probe, column).is_ok() {
        "use fpe (a bijection) or, on a wide enough column, hash"
    } else {
        "the column is too narrow for any keyed transform to keep it unique: keep it, or widen it"
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod value_tests;
