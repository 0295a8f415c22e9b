//! The PII scan of a live server (`masker scan --url`): each selected
//! table's schema from `SHOW CREATE TABLE`, a bounded sample of its rows
//! ([`crate::sample`]) handed through the one row masker to masker-core's
//! [`Scanner`], and the same findings a dump scan gives. This module only
//! connects the two; it never keeps or prints a value.

use masker_core::engine::Catalog;
use masker_core::pipeline::visit::RowFeed;
use masker_core::rules::Rules;
use masker_core::scan::{Finding, ScanResult, Scanner};
use masker_core::schema::TableSchema;

use crate::catalog::{self, TableFilter};
use crate::connect::{Connector, Names};
use crate::error::{Error, Result};
use crate::sample::{self, Sampled};

/// What a live scan read and found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LiveScan {
    /// Every selected table's schema, largest table first.
    pub schemas: Vec<TableSchema>,
    /// How each table was sampled.
    pub sampled: Vec<Sampled>,
    /// The findings, in schema order.
    pub findings: Vec<Finding>,
}

/// Scan the tables `filter` selects, sampling at most `rows` rows of each.
pub fn scan(connector: &Connector, filter: &TableFilter, rows: u64) -> Result<LiveScan> {
    let mut conn = connector.connect(Names::Binary)?;
    let rules = Rules::empty();
    let mut catalog = Catalog::new(&rules);
    let scanner = Scanner::new(rows as usize);
    let mut result = ScanResult::new(rows as usize);
    let mut feed = RowFeed::new();
    let mut schemas = Vec::new();
    let mut sampled = Vec::new();
    for info in catalog::list_tables(&mut conn, filter)? {
        let ddl = catalog::table_ddl(&mut conn, &info)?;
        let table = catalog
            .define(ddl.schema.clone(), true)
            .map_err(Error::Rules)?;
        let schema = table.schema();
        let stored: Vec<usize> = (0..schema.columns.len())
            .filter(|&i| !schema.columns[i].generated)
            .collect();
        let mut part = Default::default();
        let mut failed = None;
        let s = sample::sample_table(&mut conn, &info, schema, &stored, rows, |cells| {
            let mut values: Vec<Option<&[u8]>> = vec![None; schema.columns.len()];
            for (&col, v) in stored.iter().zip(cells) {
                values[col] = *v;
            }
            if let Err(e) = feed.visit(&scanner, &mut part, &table, &values) {
                failed.get_or_insert(e.message);
            }
        })?;
        if let Some(cause) = failed {
            return Err(Error::Table {
                table: info.display_name(),
                cause,
            });
        }
        result.merge(part);
        sampled.push(s);
        schemas.push(ddl.schema);
    }
    let findings = result.findings(&schemas);
    Ok(LiveScan {
        schemas,
        sampled,
        findings,
    })
}
