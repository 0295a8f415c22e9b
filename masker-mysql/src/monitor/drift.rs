//! Schema drift: the state file that keeps the last run's tables and
//! columns (name and type, never a value), and the differences between two
//! such snapshots. This module owns the state file's format and its atomic
//! replacement; it reads no server and sends no metric.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::TableFilter;
use crate::error::{Error, Result};

/// The state file's format version.
pub const STATE_VERSION: u32 = 1;

/// One column in the state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnState {
    /// Column name.
    pub name: String,
    /// `COLUMN_TYPE` (`int(10) unsigned`, ...).
    #[serde(rename = "type")]
    pub column_type: String,
}

/// The schema as one run saw it: database → table → columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// Tables and their columns, by database and table name.
    pub databases: BTreeMap<String, BTreeMap<String, Vec<ColumnState>>>,
}

impl State {
    /// An empty snapshot.
    pub fn new() -> Self {
        State {
            version: STATE_VERSION,
            databases: BTreeMap::new(),
        }
    }

    /// Record a table and its columns.
    pub fn insert(&mut self, database: &str, table: &str, columns: Vec<ColumnState>) {
        self.databases
            .entry(database.to_owned())
            .or_default()
            .insert(table.to_owned(), columns);
    }

    /// Read a state file; `Ok(None)` when it does not exist yet (the first run).
    pub fn load(path: &Path) -> Result<Option<State>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let state: State = serde_json::from_str(&text).map_err(|e| Error::Dump {
            path: path.to_owned(),
            cause: format!("not a masker monitor state file: {e}"),
        })?;
        if state.version != STATE_VERSION {
            return Err(Error::Dump {
                path: path.to_owned(),
                cause: format!(
                    "state file version {} (this masker reads version {STATE_VERSION})",
                    state.version
                ),
            });
        }
        Ok(Some(state))
    }

    /// Write the state file: a temporary file beside it, then a rename, so a
    /// crash never leaves half a file.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| Error::Dump {
            path: path.to_owned(),
            cause: format!("cannot encode the state: {e}"),
        })?;
        text.push('\n');
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = std::path::PathBuf::from(tmp);
        std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// Replace the tables `filter` selects by `now` (tables of other
    /// databases, watched by other runs, are kept).
    pub fn replace_selected(&mut self, now: State, filter: &TableFilter) {
        let dbs: Vec<String> = self.databases.keys().cloned().collect();
        for db in dbs {
            if let Some(tables) = self.databases.get_mut(&db) {
                tables.retain(|t, _| !filter.selects(&db, t));
                if tables.is_empty() {
                    self.databases.remove(&db);
                }
            }
        }
        for (db, tables) in now.databases {
            for (table, columns) in tables {
                self.insert(&db, &table, columns);
            }
        }
    }

    /// Only the tables `filter` selects (the earlier run may have watched more).
    pub fn selected(&self, filter: &TableFilter) -> State {
        let mut out = State::new();
        for (db, tables) in &self.databases {
            for (table, columns) in tables {
                if filter.selects(db, table) {
                    out.insert(db, table, columns.clone());
                }
            }
        }
        out
    }
}

/// How one table's columns changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableDrift {
    /// Database.
    pub database: String,
    /// Table.
    pub table: String,
    /// Columns that are new.
    pub added: Vec<String>,
    /// Columns that are gone.
    pub removed: Vec<String>,
    /// Columns whose type changed.
    pub changed: Vec<String>,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Every database in either snapshot (each gets its totals, zeros included).
    pub databases: BTreeSet<String>,
    /// New tables (database, table).
    pub tables_added: Vec<(String, String)>,
    /// Tables that are gone (database, table).
    pub tables_removed: Vec<(String, String)>,
    /// Tables in both snapshots whose columns changed.
    pub tables_changed: Vec<TableDrift>,
}

impl Drift {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.tables_added.is_empty()
            && self.tables_removed.is_empty()
            && self.tables_changed.is_empty()
    }

    /// Totals for one database: tables added, tables removed, columns added,
    /// removed and changed (in tables present in both runs).
    pub fn totals(&self, database: &str) -> [u64; 5] {
        let count = |v: &[(String, String)]| v.iter().filter(|(d, _)| d == database).count() as u64;
        let mut t = [
            count(&self.tables_added),
            count(&self.tables_removed),
            0,
            0,
            0,
        ];
        for c in self
            .tables_changed
            .iter()
            .filter(|c| c.database == database)
        {
            t[2] += c.added.len() as u64;
            t[3] += c.removed.len() as u64;
            t[4] += c.changed.len() as u64;
        }
        t
    }
}

/// The differences from `before` to `now`. Column names compare without
/// case (as the server compares them); a renamed column is one removed and
/// one added.
pub fn diff(before: &State, now: &State) -> Drift {
    let mut drift = Drift {
        databases: before
            .databases
            .keys()
            .chain(now.databases.keys())
            .cloned()
            .collect(),
        ..Drift::default()
    };
    let empty = BTreeMap::new();
    for db in &drift.databases {
        let old = before.databases.get(db).unwrap_or(&empty);
        let new = now.databases.get(db).unwrap_or(&empty);
        for table in old.keys().filter(|t| !new.contains_key(*t)) {
            drift.tables_removed.push((db.clone(), table.clone()));
        }
        for (table, columns) in new {
            let Some(old_columns) = old.get(table) else {
                drift.tables_added.push((db.clone(), table.clone()));
                continue;
            };
            let find = |cols: &[ColumnState], name: &str| {
                cols.iter()
                    .find(|c| c.name.eq_ignore_ascii_case(name))
                    .cloned()
            };
            let mut t = TableDrift {
                database: db.clone(),
                table: table.clone(),
                ..TableDrift::default()
            };
            for c in columns {
                match find(old_columns, &c.name) {
                    None => t.added.push(c.name.clone()),
                    Some(o) if o.column_type != c.column_type => t.changed.push(c.name.clone()),
                    Some(_) => {}
                }
            }
            for o in old_columns {
                if find(columns, &o.name).is_none() {
                    t.removed.push(o.name.clone());
                }
            }
            if !(t.added.is_empty() && t.removed.is_empty() && t.changed.is_empty()) {
                drift.tables_changed.push(t);
            }
        }
    }
    drift
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ty: &str) -> ColumnState {
        ColumnState {
            name: name.into(),
            column_type: ty.into(),
        }
    }

    #[test]
    fn tables_and_columns_added_removed_and_changed() {
        let mut before = State::new();
        before.insert(
            "shop",
            "users",
            vec![
                col("id", "int(11)"),
                col("email", "varchar(100)"),
                col("old", "text"),
            ],
        );
        before.insert("shop", "gone", vec![col("id", "int(11)")]);
        before.insert("shop", "same", vec![col("id", "int(11)")]);
        let mut now = State::new();
        now.insert(
            "shop",
            "users",
            vec![
                col("ID", "int(11)"),
                col("email", "varchar(255)"),
                col("phone", "varchar(20)"),
            ],
        );
        now.insert("shop", "same", vec![col("id", "int(11)")]);
        now.insert("shop", "orders", vec![col("id", "bigint(20)")]);
        now.insert("blog", "posts", vec![col("id", "int(11)")]);
        let d = diff(&before, &now);
        assert_eq!(
            d.tables_added,
            [
                ("blog".into(), "posts".into()),
                ("shop".into(), "orders".into())
            ]
        );
        assert_eq!(d.tables_removed, [("shop".into(), "gone".into())]);
        assert_eq!(
            d.tables_changed,
            [TableDrift {
                database: "shop".into(),
                table: "users".into(),
                added: vec!["phone".into()],
                removed: vec!["old".into()],
                changed: vec!["email".into()],
            }]
        );
        assert_eq!(d.totals("shop"), [1, 1, 1, 1, 1]);
        assert_eq!(d.totals("blog"), [1, 0, 0, 0, 0]);
        assert!(diff(&now, &now).is_empty());
    }

    #[test]
    fn state_file_round_trips_and_a_missing_one_is_the_first_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert_eq!(State::load(&path).unwrap(), None);
        let mut s = State::new();
        s.insert("shop", "users", vec![col("id", "int(11)")]);
        s.save(&path).unwrap();
        assert_eq!(State::load(&path).unwrap(), Some(s));
        assert!(!dir.path().join("state.json.tmp").exists());
    }

    #[test]
    fn a_foreign_state_file_is_refused_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "{\"version\": 7, \"databases\": {}}").unwrap();
        let err = State::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("state.json") && err.contains("version 7"),
            "{err}"
        );
        std::fs::write(&path, "not json").unwrap();
        let err = State::load(&path).unwrap_err().to_string();
        assert!(err.contains("not a masker monitor state file"), "{err}");
    }

    #[test]
    fn selected_keeps_only_the_watched_tables() {
        let mut s = State::new();
        s.insert("a", "t", vec![]);
        s.insert("b", "t", vec![]);
        let f = TableFilter {
            databases: vec!["a".into()],
            ..TableFilter::default()
        };
        let only = s.selected(&f);
        assert_eq!(only.databases.keys().collect::<Vec<_>>(), ["a"]);
        let mut next = s.clone();
        let mut now = State::new();
        now.insert("a", "u", vec![]);
        next.replace_selected(now, &f);
        assert_eq!(next.databases["a"].keys().collect::<Vec<_>>(), ["u"]);
        assert_eq!(next.databases["b"].keys().collect::<Vec<_>>(), ["t"]);
    }
}
