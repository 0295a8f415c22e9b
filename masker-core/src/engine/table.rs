//! A table bound to the rules: its schema and what happens to each column.

use std::sync::Arc;

use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};
use crate::transform::Transform;

/// What the masking path does with one column's values.
#[derive(Debug, Clone)]
pub enum Action {
    /// Written as read.
    Pass,
    /// Replaced by the transform's output.
    Mask(Arc<dyn Transform>),
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
    masks: bool,
    /// Index of the first column's counter in the run's counters (see [`super::Catalog`]).
    counter_base: usize,
}

impl BoundTable {
    /// Bind `rules` to `schema`; `counter_base` is where the table's
    /// per-column counters start. Errors name `table.column` and the rule's
    /// config path, all of them at once.
    pub(crate) fn bind(
        rules: &Rules,
        schema: TableSchema,
        counter_base: usize,
    ) -> Result<BoundTable, Vec<String>> {
        let plan = rules.bind(&schema)?;
        let masks = plan.is_some();
        let actions = schema
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                match plan
                    .as_ref()
                    .and_then(|p| p.columns.get(i).cloned().flatten())
                {
                    Some(t) if !t.is_identity() => Action::Mask(t),
                    _ if masks && c.generated => Action::Regenerate,
                    _ => Action::Pass,
                }
            })
            .collect();
        Ok(BoundTable {
            schema: Arc::new(schema),
            actions,
            masks,
            counter_base,
        })
    }

    /// A table whose rows pass through unchanged (a view's stand-in table).
    pub(crate) fn unmasked(schema: TableSchema, counter_base: usize) -> BoundTable {
        BoundTable {
            actions: vec![Action::Pass; schema.columns.len()],
            schema: Arc::new(schema),
            masks: false,
            counter_base,
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

    /// True when some column is masked (rows must then be decoded).
    pub fn masks(&self) -> bool {
        self.masks
    }

    /// True when the masking path needs column `col`'s decoded input value.
    pub fn needs_input(&self, col: usize) -> bool {
        matches!(self.actions[col], Action::Mask(_))
    }

    /// The counter index of column `col`.
    pub(crate) fn counter(&self, col: usize) -> usize {
        self.counter_base + col
    }

    /// Words for `masker explain`: what happens to column `col`.
    pub fn describe(&self, col: usize) -> String {
        match &self.actions[col] {
            Action::Mask(t) => t.describe(),
            Action::Regenerate => "DEFAULT (generated from masked columns: recomputed on load, NULL in TSV and exports)".to_owned(),
            Action::Pass if self.schema.columns[col].generated => "keep (generated)".to_owned(),
            Action::Pass => "keep".to_owned(),
        }
    }
}
