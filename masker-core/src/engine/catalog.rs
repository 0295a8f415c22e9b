//! The run's table catalog: what is known about each table, in input order.
//!
//! Every path asks the catalog: the SQL chunker (for `USE`, `CREATE TABLE`
//! and each INSERT), a `--tab` directory (one schema file per table), a TSV
//! stream (one table), a live dump (schemas from the server), and `check`,
//! `explain` and sampling, which run the same code. It binds the rules to each
//! schema once ([`BoundTable`]), decides which tables the rules need to know,
//! keeps the per-column counter names, and finds rules for tables that never
//! appeared. It reads no input itself and never sees a row.

use std::collections::HashMap;
use std::sync::Arc;

use super::system_tables::{credentials_warning, SystemTable};
use super::table::BoundTable;
use crate::error::{PlanProblem, PlanProblemKind};
use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};

/// What an INSERT's rows become ([`Catalog::rows_target`]).
#[derive(Debug)]
pub(crate) enum Rows {
    /// Masked with the table's bound rules.
    Bound(Arc<BoundTable>),
    /// Columns unknown and no rule needs them: checked for syntax, written
    /// as they are.
    Unknown,
    /// Never written (a system table holding values of the original data:
    /// [`SystemTable::ValueStatistics`]); the table counter its dropped rows
    /// are counted under.
    Dropped(usize),
}

#[derive(Debug)]
enum Entry {
    /// Bound (or passed through unmasked).
    Bound(Arc<BoundTable>),
    /// Its `CREATE TABLE` could not be read (and no rule needs it), or its
    /// binding failed (the run fails; its rows are only checked for syntax).
    Opaque,
}

/// The tables of one run. See the module docs.
#[derive(Debug)]
pub struct Catalog<'r> {
    rules: &'r Rules,
    database: Option<String>,
    tables: HashMap<TableName, Entry>,
    /// Tables in order of first appearance (created or given rows).
    seen: Vec<TableName>,
    /// `table.column` per counter index.
    counter_names: Vec<String>,
    /// `table` per table counter index (rows dropped).
    table_counter_names: Vec<String>,
    /// Every table bound in this run, redefinitions included, in order.
    history: Vec<Arc<BoundTable>>,
    /// System tables whose rows are dropped, in order of first appearance,
    /// with their table counters.
    dropped_system: Vec<(TableName, usize)>,
    /// Statements that give a database account its password or hash.
    credentials: u64,
    /// Tables of accounts and password hashes whose rows were read.
    account_tables: Vec<TableName>,
}

impl<'r> Catalog<'r> {
    /// An empty catalog for a run with `rules`.
    pub fn new(rules: &'r Rules) -> Self {
        Catalog {
            rules,
            database: None,
            tables: HashMap::new(),
            seen: Vec::new(),
            counter_names: Vec::new(),
            table_counter_names: Vec::new(),
            history: Vec::new(),
            dropped_system: Vec::new(),
            credentials: 0,
            account_tables: Vec::new(),
        }
    }

    /// The rules of the run.
    pub fn rules(&self) -> &'r Rules {
        self.rules
    }

    /// `USE db`: unqualified names now belong to `db`.
    pub fn use_database(&mut self, database: String) {
        self.database = Some(database);
    }

    /// The current database, if a `USE` (or the caller) set one.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// A table is defined (its `CREATE TABLE` was read). An unqualified name
    /// is qualified with the current database. `bind: false` passes the
    /// table's rows through unmasked and needs no rule (a view's stand-in).
    /// A table defined again replaces the earlier definition.
    pub fn define(
        &mut self,
        mut schema: TableSchema,
        bind: bool,
    ) -> Result<Arc<BoundTable>, Vec<PlanProblem>> {
        if schema.name.database.is_none() {
            schema.name.database = self.database.clone();
        }
        let name = schema.name.clone();
        self.note(&name);
        let base = self.counter_names.len();
        let table_counter = self.table_counter_names.len();
        let bound = if bind {
            BoundTable::bind(self.rules, schema, base, table_counter)
        } else {
            Ok(BoundTable::unmasked(schema, base, table_counter))
        };
        match bound {
            Ok(table) => {
                for c in &table.schema().columns {
                    self.counter_names.push(format!("{name}.{}", c.name));
                }
                self.table_counter_names.push(name.to_string());
                let table = Arc::new(table);
                self.history.push(table.clone());
                self.tables.insert(name, Entry::Bound(table.clone()));
                Ok(table)
            }
            Err(problems) => {
                self.tables.insert(name, Entry::Opaque);
                Err(problems)
            }
        }
    }

    /// A `CREATE TABLE` whose columns could not be read (`reason`). That is
    /// only acceptable when no rule can apply to the table (not strict, no
    /// rule names it); its rows then pass through after a syntax check.
    pub fn define_unreadable(
        &mut self,
        table: Option<String>,
        reason: &str,
    ) -> Result<(), Vec<PlanProblem>> {
        let name = table.map(|t| TableName {
            database: self.database.clone(),
            table: t,
        });
        let must_know =
            self.rules.strict() || name.as_ref().is_none_or(|n| self.rules.names_table(n));
        if let Some(name) = &name {
            self.note(name);
            self.tables.insert(name.clone(), Entry::Opaque);
        }
        if must_know {
            let kind = PlanProblemKind::UnknownColumns;
            return Err(vec![match name {
                Some(name) => PlanProblem::new(
                    name,
                    kind,
                    format!("cannot read its CREATE TABLE: {reason}"),
                ),
                None => PlanProblem {
                    table: None,
                    column: None,
                    rule_path: None,
                    kind,
                    message: format!("cannot read CREATE TABLE (unnamed): {reason}"),
                },
            }]);
        }
        Ok(())
    }

    /// A statement that gives a database account its password or password
    /// hash passed through (`CREATE USER ... IDENTIFIED BY PASSWORD '*...'`).
    pub(crate) fn note_credentials(&mut self) {
        self.credentials += 1;
    }

    /// The table rows are given for, by the name the input uses (an
    /// unqualified name belongs to the current database). `Ok(None)`: its
    /// columns are unknown and no rule needs them (rows pass through after a
    /// syntax check), or its rows are not written at all
    /// ([`SystemTable::ValueStatistics`]). An error when the rules need the
    /// table but its `CREATE TABLE` did not come first.
    pub fn rows_for(
        &mut self,
        name: TableName,
    ) -> Result<(TableName, Option<Arc<BoundTable>>), Vec<PlanProblem>> {
        let (name, rows) = self.rows_target(name)?;
        Ok(match rows {
            Rows::Bound(t) => (name, Some(t)),
            Rows::Unknown | Rows::Dropped(_) => (name, None),
        })
    }

    /// [`Catalog::rows_for`], telling rows that pass through unread from
    /// rows that are never written. A known system table needs no `CREATE
    /// TABLE` in strict mode ([`SystemTable`]); one the rules name does.
    pub(crate) fn rows_target(
        &mut self,
        name: TableName,
    ) -> Result<(TableName, Rows), Vec<PlanProblem>> {
        let name = TableName {
            database: name.database.or_else(|| self.database.clone()),
            table: name.table,
        };
        let name = self.resolve(name);
        self.note(&name);
        let system = SystemTable::of(&name);
        if system == Some(SystemTable::ValueStatistics) {
            let counter = match self.dropped_system.iter().find(|(n, _)| *n == name) {
                Some((_, c)) => *c,
                None => {
                    let c = self.table_counter_names.len();
                    self.table_counter_names.push(name.to_string());
                    self.dropped_system.push((name.clone(), c));
                    c
                }
            };
            return Ok((name, Rows::Dropped(counter)));
        }
        if system == Some(SystemTable::Accounts) && !self.account_tables.contains(&name) {
            self.account_tables.push(name.clone());
        }
        let passes_unread = system == Some(SystemTable::NoValues);
        match self.tables.get(&name) {
            Some(Entry::Bound(t)) => Ok((name, Rows::Bound(t.clone()))),
            Some(Entry::Opaque) => Ok((name, Rows::Unknown)),
            None if self.rules.has_section_for(&name)
                || (self.rules.strict() && !passes_unread) =>
            {
                Err(vec![PlanProblem::new(
                    name,
                    PlanProblemKind::UnknownColumns,
                    "rows come before (or without) its CREATE TABLE, so its columns are unknown",
                )])
            }
            None => Ok((name, Rows::Unknown)),
        }
    }

    /// When one side is qualified and the other is not (`CREATE TABLE db.t`
    /// without `USE`, then `INSERT INTO t`, as some tools write), the only
    /// known table of that name is meant.
    fn resolve(&self, name: TableName) -> TableName {
        if self.tables.contains_key(&name) {
            return name;
        }
        let mut same = self
            .tables
            .keys()
            .filter(|k| k.table == name.table && (k.database.is_none() || name.database.is_none()));
        match (same.next(), same.next()) {
            (Some(only), None) => only.clone(),
            _ => name,
        }
    }

    fn note(&mut self, name: &TableName) {
        if !self.seen.contains(name) {
            self.seen.push(name.clone());
        }
    }

    /// Tables seen (created or given rows), in order of first appearance.
    pub fn seen(&self) -> &[TableName] {
        &self.seen
    }

    /// The schemas read, in order of first appearance (latest definition).
    pub fn schemas(&self) -> Vec<TableSchema> {
        self.seen
            .iter()
            .filter_map(|n| match self.tables.get(n)? {
                Entry::Bound(t) => Some(t.schema().clone()),
                Entry::Opaque => None,
            })
            .collect()
    }

    /// The bound tables, in order of first appearance (latest definition).
    pub fn tables(&self) -> Vec<Arc<BoundTable>> {
        self.seen
            .iter()
            .filter_map(|n| match self.tables.get(n)? {
                Entry::Bound(t) => Some(t.clone()),
                Entry::Opaque => None,
            })
            .collect()
    }

    /// Per `table.column`, the parts of its rule that matched nothing
    /// (see [`crate::transform::Transform::unmatched`]), as warnings.
    pub fn unmatched_rules(&self) -> Vec<String> {
        let mut out = Vec::new();
        for table in &self.history {
            for (col, action) in table.actions().iter().enumerate() {
                if let super::Action::Mask(t) = action {
                    for what in t.unmatched() {
                        let w = format!(
                            "{}.{}: {what}; check the path (keys are case-sensitive)",
                            table.name(),
                            table.schema().columns[col].name
                        );
                        if !out.contains(&w) {
                            out.push(w);
                        }
                    }
                }
            }
        }
        out
    }

    /// Per `table.column` masked with `fpe`, the values whose own domain was
    /// below [`crate::transform::MIN_FPE_DOMAIN`] (added up over every
    /// definition of the table); only columns with some.
    pub fn small_domain_values(&self) -> std::collections::BTreeMap<String, u64> {
        let mut out = std::collections::BTreeMap::new();
        for table in &self.history {
            for (col, action) in table.actions().iter().enumerate() {
                if let super::Action::Mask(t) = action {
                    let n = t.small_domain_values();
                    if n > 0 {
                        *out.entry(format!(
                            "{}.{}",
                            table.name(),
                            table.schema().columns[col].name
                        ))
                        .or_default() += n;
                    }
                }
            }
        }
        out
    }

    /// `table.column` per counter index (a table defined twice has two
    /// sets of counters under the same names: add them up by name).
    pub fn counter_names(&self) -> &[String] {
        &self.counter_names
    }

    /// `table` per table counter index (a table defined twice has two
    /// counters under the same name: add them up by name).
    pub fn table_counter_names(&self) -> &[String] {
        &self.table_counter_names
    }

    /// Warnings about row policies: each foreign key (as its `CREATE TABLE`
    /// declares it) of a table whose rows are written that points at a table
    /// whose rows are dropped or filtered, so the copy may hold rows that
    /// point at nothing. One line per foreign key, in input order; then one
    /// per system table whose rows were not written or hold password
    /// hashes ([`SystemTable`]), and one for statements that give accounts
    /// their passwords.
    pub fn row_policy_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let tables = self.tables();
        for t in &tables {
            if t.drops_all_rows() {
                continue;
            }
            for fk in &t.schema().foreign_keys {
                let target = TableName {
                    database: fk
                        .table
                        .database
                        .clone()
                        .or_else(|| t.name().database.clone()),
                    table: fk.table.table.clone(),
                };
                let Some(parent) = tables.iter().find(|p| *p.name() == target) else {
                    continue;
                };
                let what = match parent.row_policy() {
                    crate::rules::BoundRowPolicy::All => continue,
                    crate::rules::BoundRowPolicy::None => "drop every row of",
                    crate::rules::BoundRowPolicy::Where(_) => "filter the rows of",
                };
                out.push(format!(
                    "{}({}) references {}({}), and the rules {what} {}: rows of {} may point at rows that are not in the output (loading needs FOREIGN_KEY_CHECKS=0, as dumps set it)",
                    t.name(),
                    fk.columns.join(", "),
                    target,
                    fk.ref_columns.join(", "),
                    target,
                    t.name()
                ));
            }
        }
        out.extend(
            self.dropped_system
                .iter()
                .map(|(name, _)| SystemTable::dropped_warning(name)),
        );
        out.extend(
            self.account_tables
                .iter()
                .map(SystemTable::accounts_warning),
        );
        if self.credentials > 0 {
            out.push(credentials_warning(self.credentials));
        }
        out
    }

    /// Problems for rule sections that named no table seen in this run.
    pub fn missing_tables(&self) -> Vec<PlanProblem> {
        self.rules.missing_tables(&self.seen)
    }
}
