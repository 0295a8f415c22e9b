//! `CREATE TABLE` parsing (placeholder until the schema parser lands).

use super::TableSchema;

/// Parse one complete `CREATE TABLE` statement.
pub fn parse_create_table(_stmt: &[u8]) -> Result<TableSchema, String> {
    Err("CREATE TABLE parsing is not implemented yet".to_owned())
}
