//! The row rewriter: one row's decoded values in, the masked row out.
//!
//! A codec fills a [`RowMasker`] with the values of one row (only those the
//! table's actions need, or all of them when another output wants every
//! value), calls [`RowMasker::mask`], and encodes the [`MaskedRow`] it gets
//! back. Buffers live in the `RowMasker` and are reused from row to row: no
//! allocation per value. Counters count values that actually changed (a NULL
//! that stays NULL, or a value a transform returns unchanged, is not counted).

use super::table::{Action, BoundTable};
use crate::rules::expr::{Field, RowValues, Truth};
use crate::rules::template::{RenderError, Rendered};
use crate::rules::BoundRowPolicy;
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
    /// A masked column whose condition (`when`) is not true in this row:
    /// written as read.
    Unmasked,
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
    /// Dropped rows per table counter index.
    dropped: Vec<u64>,
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

    /// [`RowMasker::decode`] for a value written in `codec`'s charset (the
    /// column's own bytes): `decode` appends the raw bytes as there, and the
    /// row masker keeps them converted to UTF-8 (see
    /// [`crate::schema::charset::decode_into`]), as masking reads text.
    pub fn decode_from_charset(
        &mut self,
        col: usize,
        codec: &'static encoding_rs::Encoding,
        decode: impl FnOnce(&mut Vec<u8>) -> bool,
    ) {
        self.decode_converted(col, decode, |raw, buf| {
            crate::schema::charset::decode_into(codec, raw, buf)
        });
    }

    /// [`RowMasker::decode`] for a value written in another form than its
    /// raw bytes: `decode` appends the bytes as written, and `convert`
    /// appends the raw value they stand for (NULL stays NULL).
    pub fn decode_converted(
        &mut self,
        col: usize,
        decode: impl FnOnce(&mut Vec<u8>) -> bool,
        convert: impl FnOnce(&[u8], &mut Vec<u8>),
    ) {
        // `scratch` is free between `begin` and `mask`.
        let mut raw = std::mem::take(&mut self.scratch);
        raw.clear();
        let present = decode(&mut raw);
        self.decode(col, |buf| {
            if present {
                convert(&raw, buf);
            }
            present
        });
        self.scratch = raw;
    }

    /// Mask a whole row given as one value per column, in schema order
    /// (`None` is NULL): the entry point for rows that do not come from text,
    /// such as a live server's. `Ok(None)`: the table's row policy drops the
    /// row (write nothing).
    pub fn mask_row(
        &mut self,
        table: &BoundTable,
        values: &[Option<&[u8]>],
    ) -> Result<Option<MaskedRow<'_>>, CellError> {
        self.begin(table);
        for (col, v) in values.iter().enumerate().take(self.inputs.len()) {
            match v {
                Some(raw) => self.set_value(col, raw),
                None => self.set_null(col),
            }
        }
        self.mask(table)
    }

    /// Apply `table`'s row policy and actions to the values set since
    /// [`RowMasker::begin`]. `Ok(None)`: the row policy drops the row
    /// (`rows = "none"`, or its `where` is not true); it is counted and the
    /// codec writes nothing for it. Conditions and templates read the
    /// values as set (decoded input, before masking).
    pub fn mask(&mut self, table: &BoundTable) -> Result<Option<MaskedRow<'_>>, CellError> {
        let RowMasker {
            inputs,
            input_bytes,
            outputs,
            output_bytes,
            scratch,
            counts,
            dropped,
        } = self;
        outputs.clear();
        output_bytes.clear();
        let row = Inputs {
            inputs,
            bytes: input_bytes,
        };
        let keep = match table.row_policy() {
            BoundRowPolicy::All => true,
            BoundRowPolicy::None => false,
            BoundRowPolicy::Where(c) => {
                c.eval(&row)
                    .map_err(|missing| CellError {
                        column: missing,
                        message: format!(
                            "cannot filter the rows of {}: rows.where reads `{}`, which has no value in this row (the INSERT's column list leaves it out)",
                            table.name(),
                            table.schema().columns[missing].name
                        ),
                    })?
                    == Truth::True
            }
        };
        if !keep {
            let t = table.table_counter();
            if dropped.len() <= t {
                dropped.resize(t + 1, 0);
            }
            dropped[t] += 1;
            return Ok(None);
        }
        let cell_error = |col: usize, why: &dyn std::fmt::Display| CellError {
            column: col,
            message: format!(
                "cannot mask {}.{}: {why}",
                table.name(),
                table.schema().columns[col].name
            ),
        };
        for (col, action) in table.actions().iter().enumerate() {
            let input = inputs[col];
            // Written as read: no action, or no value in the row.
            if matches!(action, Action::Pass) || input == Input::Absent {
                outputs.push(Output::Same);
                continue;
            }
            if let Some(c) = table.condition(col) {
                let holds = c.eval(&row).map_err(|missing| {
                    cell_error(
                        col,
                        &format_args!(
                            "its condition reads `{}`, which has no value in this row (the INSERT's column list leaves it out)",
                            table.schema().columns[missing].name
                        ),
                    )
                })? == Truth::True;
                if !holds {
                    outputs.push(Output::Unmasked);
                    continue;
                }
            }
            let raw = match input {
                Input::Bytes(a, b) => Some(&input_bytes[a..b]),
                _ => None,
            };
            let cell = match (action, input) {
                (Action::Pass, _) | (_, Input::Absent) => None,
                (Action::Regenerate, _) => {
                    outputs.push(Output::Regenerated);
                    count(counts, table.counter(col));
                    continue;
                }
                // A codec that does not decode a value a transform needs
                // must fail loudly, never pass it through.
                (Action::Mask(_) | Action::Template(_), Input::Given) => {
                    return Err(cell_error(
                        col,
                        &"its value was not decoded (a bug in the input's codec)",
                    ))
                }
                (Action::Mask(t), _) => {
                    scratch.clear();
                    Some(t.apply(raw, scratch).map_err(|e| cell_error(col, &e))?)
                }
                (Action::Template(t), _) => {
                    scratch.clear();
                    Some(match t.render(&row, scratch) {
                        Ok(Rendered::Value) => TransformCell::Value,
                        Ok(Rendered::Null) => TransformCell::Null,
                        Err(RenderError::NullInNotNull) => {
                            return Err(cell_error(
                                col,
                                &"a column its template reads is NULL, and the column is NOT NULL",
                            ))
                        }
                        Err(RenderError::Missing(m)) => {
                            return Err(cell_error(
                                col,
                                &format_args!(
                                    "its template reads `{}`, which has no value in this row (the INSERT's column list leaves it out)",
                                    table.schema().columns[m].name
                                ),
                            ))
                        }
                    })
                }
            };
            let out = match (cell, raw) {
                (None, _) | (Some(TransformCell::Null), None) => Output::Same,
                (Some(TransformCell::Null), Some(_)) => Output::Null,
                (Some(TransformCell::Value), Some(r)) if r == scratch.as_slice() => Output::Same,
                (Some(TransformCell::Value), _) => {
                    let start = output_bytes.len();
                    output_bytes.extend_from_slice(scratch);
                    Output::Bytes(start, output_bytes.len())
                }
            };
            if out != Output::Same {
                count(counts, table.counter(col));
            }
            outputs.push(out);
        }
        Ok(Some(MaskedRow { masker: self }))
    }

    /// The changed-value counts gathered so far, as `(counter, count)` pairs
    /// with a non-zero count; resets them.
    pub fn take_counts(&mut self) -> Vec<(usize, u64)> {
        take(&mut self.counts)
    }

    /// Count `n` rows of the table with counter `table` as dropped (rows
    /// no codec hands over: a system table's, [`crate::engine::Rows::Dropped`]).
    pub(crate) fn count_dropped(&mut self, table: usize, n: u64) {
        if self.dropped.len() <= table {
            self.dropped.resize(table + 1, 0);
        }
        self.dropped[table] += n;
    }

    /// The rows dropped by row policies so far, as `(table counter, count)`
    /// pairs (see [`super::Catalog::table_counter_names`]); resets them.
    pub fn take_dropped(&mut self) -> Vec<(usize, u64)> {
        take(&mut self.dropped)
    }
}

fn count(counts: &mut Vec<u64>, counter: usize) {
    if counts.len() <= counter {
        counts.resize(counter + 1, 0);
    }
    counts[counter] += 1;
}

fn take(counts: &mut [u64]) -> Vec<(usize, u64)> {
    let out = counts
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| (i, n))
        .collect();
    counts.iter_mut().for_each(|n| *n = 0);
    out
}

/// The row's input values, as conditions and templates read them.
struct Inputs<'a> {
    inputs: &'a [Input],
    bytes: &'a [u8],
}

impl RowValues for Inputs<'_> {
    fn field(&self, col: usize) -> Field<'_> {
        match self.inputs.get(col) {
            Some(Input::Bytes(a, b)) => Field::Bytes(&self.bytes[*a..*b]),
            Some(Input::Null) => Field::Null,
            Some(Input::Absent | Input::Given) | None => Field::Missing,
        }
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
            Output::Same | Output::Unmasked => Cell::Same,
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
            Output::Same | Output::Unmasked => match m.inputs[col] {
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
        self.masker
            .outputs
            .iter()
            .any(|o| !matches!(o, Output::Same | Output::Unmasked))
    }

    /// True when the rules masked column `col` in this row: it has a
    /// transform or template, and its condition (if any) is true here.
    pub fn masked(&self, col: usize, table: &BoundTable) -> bool {
        table.is_masked(col) && self.masker.outputs[col] != Output::Unmasked
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
            .unwrap()
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
        let row = m.mask(&t).unwrap().unwrap();
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
            .err()
            .unwrap();
        assert_eq!(err.column, 1);
        assert!(err.message.contains("p.v"), "{}", err.message);
        assert!(!err.message.contains("secret"), "{}", err.message);
    }

    const USERS: &str = "CREATE TABLE u (id int NOT NULL PRIMARY KEY, email varchar(64) NOT NULL, \
        is_test tinyint, login varchar(40), note text, lc varchar(64) AS (lower(email)) STORED)";

    fn values<'a>(row: &MaskedRow<'a>, n: usize) -> Vec<Option<&'a [u8]>> {
        (0..n).map(|c| row.value(c)).collect()
    }

    #[test]
    fn when_masks_only_rows_where_the_condition_is_true() {
        let t = table(
            "[tables.u]\nemail = { transform = \"hash\", format = \"email\", when = \"is_test = 0\" }\n",
            USERS,
        );
        // is_test is read though nothing masks it.
        assert!(t.needs_input(2) && t.needs_input(1) && !t.needs_input(0));
        let mut m = RowMasker::new();
        let row = m
            .mask_row(
                &t,
                &[Some(b"1"), Some(b"a@x.com"), Some(b"0"), None, None, None],
            )
            .unwrap()
            .unwrap();
        assert!(matches!(row.cell(1), Cell::Value(v) if v != b"a@x.com"));
        assert!(row.masked(1, &t));
        // Generated columns of a table with masked columns are regenerated in every row.
        assert_eq!(row.cell(5), Cell::Regenerated);
        let row = m
            .mask_row(
                &t,
                &[Some(b"2"), Some(b"b@x.com"), Some(b"1"), None, None, None],
            )
            .unwrap()
            .unwrap();
        assert_eq!(row.cell(1), Cell::Same);
        assert_eq!(row.value(1), Some(&b"b@x.com"[..]));
        assert!(!row.masked(1, &t));
        // NULL is unknown: not masked.
        let row = m
            .mask_row(&t, &[Some(b"3"), Some(b"c@x.com"), None, None, None, None])
            .unwrap()
            .unwrap();
        assert_eq!(row.cell(1), Cell::Same);
        assert_eq!(m.take_counts(), vec![(t.counter(1), 1), (t.counter(5), 3)]);
    }

    #[test]
    fn templates_read_the_row_as_decoded() {
        let t = table(
            "[tables.u]\nemail = { template = \"user{id}@example.com\" }\nlogin = { template = \"{id}-{is_test}\", when = \"id > 1\" }\n",
            USERS,
        );
        let mut m = RowMasker::new();
        let row = m
            .mask_row(
                &t,
                &[
                    Some(b"7"),
                    Some(b"real@x.com"),
                    Some(b"0"),
                    Some(b"old"),
                    None,
                    None,
                ],
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            values(&row, 4),
            vec![
                Some(&b"7"[..]),
                Some(&b"user7@example.com"[..]),
                Some(&b"0"[..]),
                Some(&b"7-0"[..])
            ]
        );
        let row = m
            .mask_row(
                &t,
                &[Some(b"1"), Some(b"r@x.com"), None, Some(b"old"), None, None],
            )
            .unwrap()
            .unwrap();
        // id > 1 is false: login kept; email's template still applies.
        assert_eq!(row.value(3), Some(&b"old"[..]));
        assert_eq!(row.value(1), Some(&b"user1@example.com"[..]));
        // A NULL placeholder on a NOT NULL column is an error naming the column.
        let err = m
            .mask_row(&t, &[None, Some(b"secret@x.com"), None, None, None, None])
            .err()
            .unwrap();
        assert!(
            err.message.contains("u.email") && !err.message.contains("secret"),
            "{}",
            err.message
        );
    }

    #[test]
    fn row_policies_drop_rows_and_count_them() {
        let t = table(
            "[tables.u]\nrows = { where = \"is_test = 0 OR id < 3\" }\n",
            USERS,
        );
        assert!(t.masks() && t.filters_rows() && !t.drops_all_rows());
        assert!(t.needs_input(0) && t.needs_input(2) && !t.needs_input(1));
        let mut m = RowMasker::new();
        let rows: [&[Option<&[u8]>]; 4] = [
            &[Some(b"1"), Some(b"a"), Some(b"1"), None, None, None],
            &[Some(b"5"), Some(b"b"), Some(b"1"), None, None, None],
            &[Some(b"6"), Some(b"c"), Some(b"0"), None, None, None],
            &[Some(b"7"), Some(b"d"), None, None, None, None],
        ];
        let kept: Vec<bool> = rows
            .iter()
            .map(|r| m.mask_row(&t, r).unwrap().is_some())
            .collect();
        assert_eq!(kept, vec![true, false, true, false]);
        assert_eq!(m.take_dropped(), vec![(t.table_counter(), 2)]);
        assert!(m.take_dropped().is_empty());
        let none = table("[tables.u]\nrows = \"none\"\n", USERS);
        assert!(none.drops_all_rows() && !none.needs_input(2));
        assert!(m.mask_row(&none, rows[0]).unwrap().is_none());
    }

    #[test]
    fn a_condition_on_a_column_missing_from_the_row_is_an_error() {
        let t = table("[tables.u]\nrows = { where = \"is_test = 0\" }\n", USERS);
        let mut m = RowMasker::new();
        m.begin(&t);
        m.set_value(0, b"1");
        let err = m.mask(&t).err().unwrap();
        assert_eq!(err.column, 2);
        assert!(err.message.contains("is_test"), "{}", err.message);
    }
}
