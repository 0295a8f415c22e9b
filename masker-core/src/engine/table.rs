//! A table bound to the rules: its schema and what happens to each column.

use std::sync::Arc;

use crate::error::PlanProblem;
use crate::rules::expr::BoundCondition;
use crate::rules::template::BoundTemplate;
use crate::rules::{BoundRowPolicy, Rules};
use crate::schema::{TableName, TableSchema};
use crate::transform::Transform;

/// What the masking path does with one column's values.
#[derive(Debug, Clone)]
pub enum Action {
    /// Written as read.
    Pass,
    /// Replaced by the transform's output.
    Mask(Arc<dyn Transform>),
    /// Built from other columns of the same row (their values as read).
    Template(Arc<BoundTemplate>),
    /// A generated column of a table with masked columns: its value was
    /// computed from original data, so it is never written as read. SQL
    /// writes `DEFAULT` (the server recomputes it on load), TSV writes NULL
    /// (which MariaDB's `LOAD DATA` ignores for generated columns), the export
    /// writes NULL.
    Regenerate,
}

/// A table's schema bound to the rules: one [`Action`] per column, in schema order.
#[derive(Debug)]
pub struct BoundTable {
    schema: Arc<TableSchema>,
    actions: Vec<Action>,
    /// Per column: the condition under which its action applies (`when`).
    when: Vec<Option<Arc<BoundCondition>>>,
    /// Per column: the masking path needs its decoded value (a transform's
    /// input, or read by a template or a condition).
    needs: Vec<bool>,
    rows: BoundRowPolicy,
    masks: bool,
    /// Index of the first column's counter in the run's counters (see [`super::Catalog`]).
    counter_base: usize,
    /// This table's index in the run's per-table counters (rows dropped).
    table_counter: usize,
}

impl BoundTable {
    /// Bind `rules` to `schema`; `counter_base` is where the table's
    /// per-column counters start. Errors name `table.column` and the rule's
    /// config path, all of them at once.
    pub(crate) fn bind(
        rules: &Rules,
        schema: TableSchema,
        counter_base: usize,
        table_counter: usize,
    ) -> Result<BoundTable, Vec<PlanProblem>> {
        let plan = rules.bind(&schema)?;
        let n = schema.columns.len();
        let changes_values = plan.as_ref().is_some_and(|p| {
            p.columns.iter().flatten().any(|t| !t.is_identity())
                || p.templates.iter().any(Option::is_some)
        });
        let actions: Vec<Action> = schema
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let template = plan.as_ref().and_then(|p| p.templates[i].clone());
                match plan
                    .as_ref()
                    .and_then(|p| p.columns.get(i).cloned().flatten())
                {
                    Some(t) if !t.is_identity() => Action::Mask(t),
                    _ if template.is_some() => Action::Template(template.expect("some")),
                    _ if changes_values && c.generated => Action::Regenerate,
                    _ => Action::Pass,
                }
            })
            .collect();
        let (when, rows) = match plan {
            Some(p) => (p.when, p.rows),
            None => (vec![None; n], BoundRowPolicy::All),
        };
        let mut needs: Vec<bool> = actions
            .iter()
            .map(|a| matches!(a, Action::Mask(_) | Action::Template(_)))
            .collect();
        let mut reads = |cols: &[usize]| cols.iter().for_each(|&c| needs[c] = true);
        for a in &actions {
            if let Action::Template(t) = a {
                reads(t.columns());
            }
        }
        for c in when.iter().flatten() {
            reads(c.columns());
        }
        if let BoundRowPolicy::Where(c) = &rows {
            reads(c.columns());
        }
        let masks = changes_values || !matches!(rows, BoundRowPolicy::All);
        Ok(BoundTable {
            schema: Arc::new(schema),
            actions,
            when,
            needs,
            rows,
            masks,
            counter_base,
            table_counter,
        })
    }

    /// A table whose rows pass through unchanged (a view's stand-in table).
    pub(crate) fn unmasked(
        schema: TableSchema,
        counter_base: usize,
        table_counter: usize,
    ) -> BoundTable {
        let n = schema.columns.len();
        BoundTable {
            actions: vec![Action::Pass; n],
            when: vec![None; n],
            needs: vec![false; n],
            rows: BoundRowPolicy::All,
            schema: Arc::new(schema),
            masks: false,
            counter_base,
            table_counter,
        }
    }

    /// The table's schema.
    pub fn schema(&self) -> &TableSchema {
        &self.schema
    }

    /// The schema, shared.
    pub fn schema_arc(&self) -> &Arc<TableSchema> {
        &self.schema
    }

    /// The table's name.
    pub fn name(&self) -> &TableName {
        &self.schema.name
    }

    /// The action for column `col` (schema order).
    pub fn action(&self, col: usize) -> &Action {
        &self.actions[col]
    }

    /// Every column's action, in schema order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// True when rows must go through the [`super::RowMasker`]: some
    /// column is masked, or some rows are dropped.
    pub fn masks(&self) -> bool {
        self.masks
    }

    /// True when the masking path needs column `col`'s decoded input value:
    /// a transform's input, or a column a template or a condition reads.
    pub fn needs_input(&self, col: usize) -> bool {
        self.needs[col]
    }

    /// True when the rules replace column `col`'s values (a transform other
    /// than keep, or a template), in every row or under a condition.
    pub fn is_masked(&self, col: usize) -> bool {
        matches!(self.actions[col], Action::Mask(_) | Action::Template(_))
    }

    /// The condition under which column `col`'s action applies, if any.
    pub fn condition(&self, col: usize) -> Option<&BoundCondition> {
        self.when[col].as_deref()
    }

    /// Which rows are written.
    pub fn row_policy(&self) -> &BoundRowPolicy {
        &self.rows
    }

    /// True when some rows may be dropped (`rows = "none"` or a `where`).
    pub fn filters_rows(&self) -> bool {
        !matches!(self.rows, BoundRowPolicy::All)
    }

    /// True when every row is dropped (`rows = "none"`).
    pub fn drops_all_rows(&self) -> bool {
        matches!(self.rows, BoundRowPolicy::None)
    }

    /// The counter index of column `col`.
    pub(crate) fn counter(&self, col: usize) -> usize {
        self.counter_base + col
    }

    /// This table's index among the run's per-table counters.
    pub(crate) fn table_counter(&self) -> usize {
        self.table_counter
    }

    /// Words for `masker explain`: what happens to column `col`.
    pub fn describe(&self, col: usize) -> String {
        let what = match &self.actions[col] {
            Action::Mask(t) => t.describe(),
            Action::Template(t) => format!(
                "template {:?} (from the row's values as read; NULL if one is NULL; cut to fit)",
                t.text()
            ),
            Action::Regenerate => "DEFAULT (generated from masked columns: recomputed on load, NULL in TSV and exports)".to_owned(),
            Action::Pass if self.schema.columns[col].generated => "keep (generated)".to_owned(),
            Action::Pass => "keep".to_owned(),
        };
        match self.condition(col) {
            Some(c) => format!("{what}, only in rows where {c} (others keep their value)"),
            None => what,
        }
    }

    /// Words for `masker explain`: which rows are written.
    pub fn describe_rows(&self) -> String {
        match &self.rows {
            BoundRowPolicy::All => "every row".to_owned(),
            BoundRowPolicy::None => {
                "none: the table is created, its rows are dropped (rows = \"none\")".to_owned()
            }
            BoundRowPolicy::Where(c) => {
                format!("only rows where {c} (rows where it is false or unknown are dropped)")
            }
        }
    }
}
