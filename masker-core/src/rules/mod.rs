//! Masking rules: the TOML contract, compiled once, then bound to each table's schema.
//!
//! (Placeholder while the rules issue is in progress: only empty rules exist.)

use std::sync::Arc;

use crate::schema::{TableName, TableSchema};
use crate::transform::Transform;

/// Compiled masking rules.
#[derive(Debug, Default, Clone)]
pub struct Rules {}

impl Rules {
    /// Rules that mask nothing: the engine is then the identity.
    pub fn empty() -> Self {
        Rules {}
    }

    /// Bind the rules to one table: `Ok(None)` when no rule names this table.
    pub fn bind(&self, _schema: &TableSchema) -> Result<Option<TablePlan>, Vec<String>> {
        Ok(None)
    }

    /// True when some rule names this table (so its rows need a schema).
    pub fn names_table(&self, _table: &TableName) -> bool {
        false
    }
}

/// The plan for one table: a transform (or none) per column position.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// The table this plan is for.
    pub table: TableName,
    /// Per column, in schema order: the transform, or `None` to pass the value through.
    pub columns: Vec<Option<Arc<dyn Transform>>>,
}
