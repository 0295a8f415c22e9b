//! The row rewriter: one row's decoded values in, the masked row out.
//!
//! A codec fills a [`RowMasker`] with the values of one row (only those the
//! table's actions need, or all of them when another output wants every
//! value), calls [`RowMasker::mask`], and encodes the [`MaskedRow`] it gets
//! back. Buffers live in the `RowMasker` and are reused from row to row: no
//! allocation per value. Counters count values that actually changed (a NULL
//! that stays NULL, or a value a transform returns unchanged, is not counted).

use super::table::{Action, BoundTable};
use crate::transform::Cell as TransformCell;

/// A column's input value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    /// Not in the row at all (a generated column MySQL's mysqldump leaves
    /// out, a column an INSERT's column list omits).
    Absent,
    /// In the row, but not decoded (no action needs its value).
    Given,
    Null,
    Bytes(usize, usize),
}

/// A column's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Same,
    Null,
    Bytes(usize, usize),
    Regenerated,
}

/// What became of one column of a masked row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'r> {
    /// Unchanged: write the input as it was (codecs copy its original bytes).
    Same,
    /// Now SQL `NULL`.
    Null,
    /// Now these raw bytes (to be encoded by the codec).
    Value(&'r [u8]),
    /// A generated column whose value is left to the server to recompute
    /// (see [`Action::Regenerate`]).
    Regenerated,
}

/// A value could not be masked: which column (schema index) and why. The
/// message names `table.column` and never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The column's index in the table's schema.
    pub column: usize,
    /// `cannot mask table.column: reason`.
    pub message: String,
}

/// Reusable state for masking rows, one per worker thread.
#[derive(Debug, Default)]
pub struct RowMasker {
    inputs: Vec<Input>,
    input_bytes: Vec<u8>,
    outputs: Vec<Output>,
    output_bytes: Vec<u8>,
    scratch: Vec<u8>,
    /// Changed values per counter index (see [`super::Catalog::counter_names`]).
    counts: Vec<u64>,
}

impl RowMasker {
    /// An empty row masker.
    pub fn new() -> Self {
        RowMasker::default()
    }

    /// Start a row of `table`: every column absent.
    pub fn begin(&mut self, table: &BoundTable) {
        let n = table.schema().columns.len();
        self.inputs.clear();
        self.inputs.resize(n, Input::Absent);
        self.input_bytes.clear();
    }

    /// Column `col` has a value in the row that no action needs decoded
    /// (codecs call this instead of decoding when
    /// [`BoundTable::needs_input`] is false and no other output wants it).
    pub fn set_present(&mut self, col: usize) {
        self.inputs[col] = Input::Given;
    }

    /// Column `col`'s value is SQL `NULL`.
    pub fn set_null(&mut self, col: usize) {
        self.inputs[col] = Input::Null;
    }

    /// Column `col`'s value is `raw`.
    pub fn set_value(&mut self, col: usize, raw: &[u8]) {
        let start = self.input_bytes.len();
        self.input_bytes.extend_from_slice(raw);
        self.inputs[col] = Input::Bytes(start, self.input_bytes.len());
    }

    /// Set column `col` by decoding in place: `decode` appends the raw
    /// bytes to the buffer it is given and returns `true`, or returns `false`
    /// for NULL (having appended nothing).
    pub fn decode(&mut self, col: usize, decode: impl FnOnce(&mut Vec<u8>) -> bool) {
        let start = self.input_bytes.len();
        self.inputs[col] = if decode(&mut self.input_bytes) {
            Input::Bytes(start, self.input_bytes.len())
        } else {
            self.input_bytes.truncate(start);
            Input::Null
        };
    }

    /// Mask a whole row given as one value per column, in schema order
    /// (`None` is NULL): the entry point for rows that do not come from text,
    /// such as a live server's.
    pub fn mask_row(
        &mut self,
        table: &BoundTable,
        values: &[Option<&[u8]>],
    ) -> Result<MaskedRow<'_>, CellError> {
        self.begin(table);
        for (col, v) in values.iter().enumerate().take(self.inputs.len()) {
            match v {
                Some(raw) => self.set_value(col, raw),
                None => self.set_null(col),
            }
        }
        self.mask(table)
    }

    /// Apply `table`'s actions to the values set since [`RowMasker::begin`].
    pub fn mask(&mut self, table: &BoundTable) -> Result<MaskedRow<'_>, CellError> {
        self.outputs.clear();
        self.output_bytes.clear();
        for (col, action) in table.actions().iter().enumerate() {
            let input = self.inputs[col];
            let out = match (action, input) {
                (Action::Pass, _) | (_, Input::Absent) => Output::Same,
                (Action::Regenerate, _) => Output::Regenerated,
                (Action::Mask(t), _) => {
                    let raw = match input {
                        Input::Bytes(a, b) => Some(&self.input_bytes[a..b]),
                        Input::Null => None,
                        // A codec that does not decode a value a transform
                        // needs must fail loudly, never pass it through.
                        Input::Given | Input::Absent => {
                            return Err(CellError {
                                column: col,
                                message: format!(
                                    "cannot mask {}.{}: its value was not decoded (a bug in the input's codec)",
                                    table.name(),
                                    table.schema().columns[col].name
                                ),
                            })
                        }
                    };
                    self.scratch.clear();
                    let cell = t.apply(raw, &mut self.scratch).map_err(|e| CellError {
                        column: col,
                        message: format!(
                            "cannot mask {}.{}: {e}",
                            table.name(),
                            table.schema().columns[col].name
                        ),
                    })?;
                    match (cell, raw) {
                        (TransformCell::Null, None) => Output::Same,
                        (TransformCell::Null, Some(_)) => Output::Null,
                        (TransformCell::Value, Some(r)) if r == self.scratch.as_slice() => {
                            Output::Same
                        }
                        (TransformCell::Value, _) => {
                            let start = self.output_bytes.len();
                            self.output_bytes.extend_from_slice(&self.scratch);
                            Output::Bytes(start, self.output_bytes.len())
                        }
                    }
                }
            };
            if out != Output::Same {
                let counter = table.counter(col);
                if self.counts.len() <= counter {
                    self.counts.resize(counter + 1, 0);
                }
                self.counts[counter] += 1;
            }
            self.outputs.push(out);
        }
        Ok(MaskedRow { masker: self })
    }

    /// The changed-value counts gathered so far, as `(counter, count)` pairs
    /// with a non-zero count; resets them.
    pub fn take_counts(&mut self) -> Vec<(usize, u64)> {
        let out = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (i, n))
            .collect();
        self.counts.iter_mut().for_each(|n| *n = 0);
        out
    }
}

/// A masked row: per column, what to write. Borrowed from its [`RowMasker`].
#[derive(Debug)]
pub struct MaskedRow<'r> {
    masker: &'r RowMasker,
}

impl<'r> MaskedRow<'r> {
    /// The number of columns.
    pub fn len(&self) -> usize {
        self.masker.outputs.len()
    }

    /// True for a table without columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What became of column `col`.
    pub fn cell(&self, col: usize) -> Cell<'r> {
        let m = self.masker;
        match m.outputs[col] {
            Output::Same => Cell::Same,
            Output::Null => Cell::Null,
            Output::Bytes(a, b) => Cell::Value(&m.output_bytes[a..b]),
            Output::Regenerated => Cell::Regenerated,
        }
    }

    /// Column `col`'s final raw value (`None`: NULL, regenerated, or absent
    /// from the input). For an unchanged column this is its input, so it is
    /// only known when the codec decoded it.
    pub fn value(&self, col: usize) -> Option<&'r [u8]> {
        let m = self.masker;
        match m.outputs[col] {
            Output::Same => match m.inputs[col] {
                Input::Bytes(a, b) => Some(&m.input_bytes[a..b]),
                Input::Null | Input::Absent | Input::Given => None,
            },
            Output::Bytes(a, b) => Some(&m.output_bytes[a..b]),
            Output::Null | Output::Regenerated => None,
        }
    }

    /// Column `col`'s input value as the codec decoded it (`None`: NULL,
    /// absent from the input, or present but not decoded). A visitor
    /// ([`crate::pipeline::visit`]) sees every column decoded.
    pub fn original(&self, col: usize) -> Option<&'r [u8]> {
        let m = self.masker;
        match m.inputs[col] {
            Input::Bytes(a, b) => Some(&m.input_bytes[a..b]),
            Input::Null | Input::Absent | Input::Given => None,
        }
    }

    /// True when some column changed.
    pub fn changed(&self) -> bool {
        self.masker.outputs.iter().any(|o| *o != Output::Same)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Catalog;
    use crate::rules::RulesBuilder;
    use crate::schema::parse_create_table;

    fn table(rules: &str, ddl: &str) -> std::sync::Arc<BoundTable> {
        let rules = RulesBuilder::new()
            .toml(rules, "rules.toml")
            .key(b"row masker test key")
            .build()
            .unwrap();
        let mut catalog = Catalog::new(&rules);
        catalog
            .define(parse_create_table(ddl.as_bytes()).unwrap(), true)
            .unwrap()
    }

    #[test]
    fn masks_only_ruled_columns_and_regenerates_generated_ones() {
        let t = table(
            "[tables.p]\nemail = \"hash\"\nnote = \"null\"\n",
            "CREATE TABLE p (id int, email varchar(64), note text, lc varchar(64) AS (lower(email)) STORED)",
        );
        let mut m = RowMasker::new();
        let row = m
            .mask_row(&t, &[Some(b"1"), Some(b"a@x.com"), None, Some(b"a@x.com")])
            .unwrap();
        assert_eq!(row.cell(0), Cell::Same);
        assert!(matches!(row.cell(1), Cell::Value(v) if v != b"a@x.com"));
        // NULL stays NULL: unchanged, not counted.
        assert_eq!(row.cell(2), Cell::Same);
        assert_eq!(row.cell(3), Cell::Regenerated);
        assert_eq!(row.value(0), Some(&b"1"[..]));
        assert_eq!(row.value(3), None);
        let counts = m.take_counts();
        assert_eq!(counts, vec![(t.counter(1), 1), (t.counter(3), 1)]);
        assert!(m.take_counts().is_empty());
    }

    /// A generated column whose value is in the row but not decoded (no
    /// transform needs it) must still be regenerated: it was derived from
    /// columns that are now masked.
    #[test]
    fn generated_column_present_but_not_decoded_is_regenerated() {
        let t = table(
            "[tables.g]\nemail = \"hash\"\n",
            "CREATE TABLE g (email varchar(64), lc varchar(64) AS (lower(email)) STORED, n int)",
        );
        let mut m = RowMasker::new();
        m.begin(&t);
        m.set_value(0, b"A@x.com");
        m.set_present(1);
        m.set_present(2);
        let row = m.mask(&t).unwrap();
        assert!(matches!(row.cell(0), Cell::Value(_)));
        assert_eq!(row.cell(1), Cell::Regenerated);
        assert_eq!(row.cell(2), Cell::Same);
        // A value a transform needs but the codec did not decode is an error.
        m.begin(&t);
        m.set_present(0);
        assert!(m.mask(&t).is_err());
    }

    #[test]
    fn errors_name_the_column_never_the_value() {
        let t = table(
            "[tables.p]\nid = \"null\"\n",
            "CREATE TABLE p (id int, v varchar(3))",
        );
        let mut m = RowMasker::new();
        // `null` on a nullable column always works; a too-long constant would not bind.
        assert!(m.mask_row(&t, &[Some(b"secret-42"), None]).is_ok());
        let t = table(
            "[tables.p]\nv = \"fpe\"\n",
            "CREATE TABLE p (id int, v int)",
        );
        let err = m
            .mask_row(&t, &[Some(b"1"), Some(b"not-a-number-secret")])
            .unwrap_err();
        assert_eq!(err.column, 1);
        assert!(err.message.contains("p.v"), "{}", err.message);
        assert!(!err.message.contains("secret"), "{}", err.message);
    }
}
