//! The leak proof of a masked copy on a live server: every original value
//! (and its emails, phone numbers and words) of a column the rules mask,
//! read from the original database, is looked for in every column of every
//! table of the masked copy (the loaded restore-test database, which
//! `verify` has shown equal to the uploaded dump). masker-core's leak check
//! does the work ([`masker_core::leak`]): keyed hashes, never the values;
//! the report names `table.column` and counts. This module owns reading both
//! databases through the one masking path ([`RowFeed`]).

use masker_core::engine::{BoundTable, Catalog};
use masker_core::leak::{Checker, Collector, LeakKey, LeakOptions, LeakReport, OriginalSet};
use masker_core::pipeline::visit::{RowFeed, RowVisitor};
use masker_core::rules::Rules;
use mysql::prelude::Queryable;
use mysql::Conn;

use crate::catalog::{self, TableFilter};
use crate::connect::{Connector, Names};
use crate::error::{Error, Result};
use crate::sql::{self, ident, qualified};

/// Prove that no original value of a column `rules` mask in database
/// `original` survives anywhere in database `copy` (the same tables,
/// masked). Tables of the copy are named as the original's in the report.
pub fn prove(
    connector: &Connector,
    rules: &Rules,
    original: &str,
    copy: &str,
    opts: LeakOptions,
) -> Result<(LeakReport, usize)> {
    let mut conn = connector.connect(Names::Binary)?;
    let key = LeakKey::for_rules(rules);

    // The originals of masked columns.
    let mut catalog = Catalog::new(rules);
    let collector = Collector::new(key.clone(), opts);
    let mut collected = Default::default();
    for (schema, db) in schemas(&mut conn, original, original)? {
        let bound = catalog.define(schema, true).map_err(Error::Rules)?;
        if bound.masks() {
            feed(&mut conn, &db, &bound, &collector, &mut collected)?;
        }
    }
    let set = OriginalSet::build(collected, opts.bits_per_value);

    // Every value of the copy, named as the original's tables.
    let empty = Rules::empty();
    let mut copy_catalog = Catalog::new(&empty);
    let checker = Checker::new(&set, key, opts);
    let mut report = LeakReport::default();
    for (schema, db) in schemas(&mut conn, copy, original)? {
        let bound = copy_catalog.define(schema, false).map_err(Error::Rules)?;
        let mut part = Default::default();
        feed(&mut conn, &db, &bound, &checker, &mut part)?;
        report.merge(part);
    }
    Ok((report, set.len()))
}

/// The tables of database `db` with their schemas named as database `name`.
fn schemas(
    conn: &mut Conn,
    db: &str,
    name: &str,
) -> Result<Vec<(masker_core::schema::TableSchema, String)>> {
    let mut filter = TableFilter::new();
    filter.databases = vec![db.to_owned()];
    let mut out = Vec::new();
    for info in catalog::list_tables(conn, &filter)? {
        let mut schema = catalog::table_ddl(conn, &info)?.schema;
        schema.name.database = Some(name.to_owned());
        out.push((schema, info.database));
    }
    Ok(out)
}

/// Every row of `db`.`table` (stored columns) through `visitor`.
fn feed<V: RowVisitor>(
    conn: &mut Conn,
    db: &str,
    table: &BoundTable,
    visitor: &V,
    part: &mut V::Part,
) -> Result<()> {
    let schema = table.schema();
    let stored: Vec<usize> = (0..schema.columns.len())
        .filter(|&i| !schema.columns[i].generated)
        .collect();
    if stored.is_empty() {
        return Ok(());
    }
    let cols: Vec<String> = stored
        .iter()
        .map(|&i| ident(&schema.columns[i].name))
        .collect();
    let place = format!("leak check of {db}.{}", schema.name.table);
    let q = format!(
        "SELECT {} FROM {}",
        cols.join(", "),
        qualified(db, &schema.name.table)
    );
    let mut feed = RowFeed::new();
    let mut result = conn.query_iter(q).map_err(|e| Error::data(&place, e))?;
    for row in result.by_ref() {
        let row = row.map_err(|e| Error::data(&place, e))?;
        let mut values: Vec<Option<&[u8]>> = vec![None; schema.columns.len()];
        for (k, &col) in stored.iter().enumerate() {
            values[col] = sql::cell(&row, k);
        }
        feed.visit(visitor, part, table, &values)
            .map_err(|e| Error::Table {
                table: format!("{db}.{}", schema.name.table),
                cause: e.message,
            })?;
    }
    Ok(())
}
