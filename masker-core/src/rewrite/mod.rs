//! The chunk rewriter: masks the rows of one chunk. This is what each worker
//! thread runs, for every input format.
//!
//! A [`Chunk`] is a run of whole statements and/or whole rows, cut by a
//! chunker, with [`Piece`]s saying which byte ranges are verbatim and which
//! hold rows of which table in which format. Each row is decoded by its
//! format's codec (`sql`: tuples of SQL literals; `tsv`: `LOAD DATA` text)
//! into the one [`RowMasker`], masked there, and encoded back in place: a
//! cell the masking left unchanged keeps its original bytes. When nothing in
//! a chunk changed, its output is its input, shared, not copied. Exported
//! tables also get every row's final values encoded for the export.
//!
//! It owns no I/O and no threads; it never allocates per value (buffers live
//! in [`Scratch`] and are reused).
//!
//! The visitor hook: [`process`] takes an optional row hook (see
//! [`crate::pipeline::visit`]). With a hook, every row of a bound table is
//! decoded in full (or, for a hook that only wants masked columns, the rows
//! the masking decodes anyway), masked as usual, and handed to the hook as a
//! [`VisitedRow`] (its table, each column's original and final value, each
//! value's byte offset in the input) right after it is encoded. The hook
//! sees values, never changes them: the chunk's output is the same with or
//! without it.

mod sql;
mod tsv;

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;

use crate::engine::{BoundTable, Cell, MaskedRow, RowMasker};
use crate::export::{self, ExportOptions};
use crate::pipeline::visit::VisitedRow;
use crate::schema::{Column, TableName, TableSchema};
use crate::tokenizer::tsv::TsvDialect;

/// How the values of a row map to the table's columns.
#[derive(Debug)]
pub(crate) struct InsertTarget {
    /// The table, for messages.
    pub name: TableName,
    /// The bound table; `None` when its columns are unknown (no `CREATE
    /// TABLE` seen and no rule for it): values are checked for syntax only.
    pub table: Option<Arc<BoundTable>>,
    /// Column index per value position, when every column has a value
    /// (MariaDB, `--tab`, or a column list).
    pub full: Vec<usize>,
    /// Column index per value position when generated columns are left out
    /// (MySQL's mysqldump); `None` when that layout is not possible.
    pub stored: Option<Vec<usize>>,
    /// Rows of this table are also exported.
    pub export: Option<Arc<ExportTarget>>,
    /// Per column (schema index), the charset its values are written in
    /// when they come as the columns' own bytes (`SET NAMES binary`) and
    /// are not UTF-8: decoded before masking, masked values encoded back.
    /// Empty when values are used as they are.
    pub codecs: Vec<Option<&'static encoding_rs::Encoding>>,
    /// The rows are fields of a BigQuery export written with these options
    /// (read back by [`crate::tsv::visit_export`]): an unenclosed field equal
    /// to the NULL marker is NULL, and binary columns' fields are base64 or
    /// hex text, decoded to their bytes.
    pub read_export: Option<Arc<ExportOptions>>,
    /// Values after the mapped ones that are written as they are: the
    /// `row_start` and `row_end` of a system-versioned table's history rows
    /// (`mariadb-dump --dump-history`), which its `CREATE TABLE` does not
    /// declare. 0 otherwise.
    pub kept_after: usize,
    /// Every row is dropped whatever the rules (a system table holding
    /// values of the original data), counted under this table counter: the
    /// chunker keeps the statement whole, and the worker removes it after
    /// checking its syntax.
    pub drop_rows: Option<usize>,
}

impl InsertTarget {
    /// A target whose values are checked for syntax only.
    pub fn unknown(name: TableName) -> Self {
        InsertTarget {
            name,
            table: None,
            full: Vec::new(),
            stored: None,
            export: None,
            codecs: Vec::new(),
            read_export: None,
            kept_after: 0,
            drop_rows: None,
        }
    }

    /// A target for `table`, with the columns the input lists (`None`: every
    /// column in schema order, or every stored column).
    pub fn new(table: Arc<BoundTable>, listed: Option<Vec<usize>>) -> Self {
        let schema = table.schema();
        let (full, stored) = match listed {
            Some(cols) => (cols, None),
            None => {
                let full: Vec<usize> = (0..schema.columns.len()).collect();
                let stored = schema.columns.iter().any(|c| c.generated).then(|| {
                    (0..schema.columns.len())
                        .filter(|&c| !schema.columns[c].generated)
                        .collect()
                });
                (full, stored)
            }
        };
        InsertTarget {
            name: table.name().clone(),
            table: Some(table),
            full,
            stored,
            export: None,
            codecs: Vec::new(),
            read_export: None,
            kept_after: 0,
            drop_rows: None,
        }
    }

    /// Values come as the columns' own bytes: text columns of a charset
    /// that is not UTF-8 convert (see [`crate::schema::charset::column_codecs`]).
    pub fn in_column_charsets(mut self) -> Self {
        if let Some(t) = &self.table {
            let codecs = crate::schema::charset::column_codecs(t.schema());
            if codecs.iter().any(Option::is_some) {
                self.codecs = codecs;
            }
        }
        self
    }

    /// Every text value is in `codec` (a dump written under `SET NAMES
    /// latin1`): decoded before masking, masked values encoded back.
    pub fn in_connection_charset(mut self, codec: &'static encoding_rs::Encoding) -> Self {
        if let Some(t) = &self.table {
            self.codecs = crate::schema::charset::connection_codecs(t.schema(), codec);
        }
        self
    }

    /// The rows are fields of a BigQuery export written with `options`
    /// (see [`InsertTarget::read_export`]).
    pub fn reading_export(mut self, options: Arc<ExportOptions>) -> Self {
        self.read_export = Some(options);
        self
    }

    /// The encoding of column `col`'s fields when they are a binary
    /// column's text in an export.
    fn binary_text(&self, col: usize) -> Option<export::BinaryEncoding> {
        let x = self.read_export.as_ref()?;
        let t = self.table.as_ref()?;
        export::written_as_binary(&t.schema().columns[col].ty).then_some(x.binary)
    }

    /// The codec of column `col`, if its values convert.
    fn codec(&self, col: usize) -> Option<&'static encoding_rs::Encoding> {
        self.codecs.get(col).copied().flatten()
    }

    /// True when rows must be decoded: something is masked or exported, or
    /// a visitor wants them.
    fn rewrites(&self, visiting: bool) -> bool {
        self.table.is_some()
            && (visiting || self.export.is_some() || self.table.as_ref().is_some_and(|t| t.masks()))
    }

    /// The value-to-column mapping for a row of `n` values.
    /// `unit` names the values in messages (`values`, `fields`).
    pub(crate) fn layout(&self, n: usize, unit: &str) -> Result<&[usize], String> {
        if n == self.full.len() + self.kept_after {
            return Ok(&self.full);
        }
        self.layout_problem(n, unit)
            .map_err(|e| e + &self.bit_hint(unit))
    }

    /// `mysqldump --tab` writes BIT values as raw bytes, unescaped (the
    /// server's `SELECT ... INTO OUTFILE` does): a BIT value holding a tab
    /// or newline byte cuts its row, and no reader can tell. Said when a
    /// TSV row of a table with a BIT column has the wrong field count.
    fn bit_hint(&self, unit: &str) -> String {
        let bits = self.table.as_ref().is_some_and(|t| {
            t.schema()
                .columns
                .iter()
                .any(|c| matches!(c.ty, crate::schema::ColumnType::Bit { .. }))
        });
        if unit == "fields" && bits {
            format!(
                " (`{}` has BIT columns, which `mysqldump --tab` writes as raw bytes without escaping, so a BIT value holding a tab or newline byte breaks its row and the file cannot be read reliably: dump this table as SQL instead, without --tab)",
                self.name
            )
        } else {
            String::new()
        }
    }

    /// Why a row of `n` values does not fit the table.
    fn layout_problem(&self, n: usize, unit: &str) -> Result<&[usize], String> {
        match &self.stored {
            Some(stored) if n == stored.len() => Ok(stored),
            Some(stored) => Err(format!(
                "a row of `{}` has {n} {unit} but the table has {} columns ({} not generated)",
                self.name,
                self.full.len(),
                stored.len()
            )),
            None => Err(format!(
                "a row of `{}` has {n} {unit} but {} were expected",
                self.name,
                self.full.len() + self.kept_after
            )),
        }
    }
}

/// A table whose rows are exported (see [`crate::export`]).
#[derive(Debug)]
pub(crate) struct ExportTarget {
    /// The export's table id (order of `begin_table` calls).
    pub id: usize,
    /// The table's columns, for typing each field.
    pub schema: Arc<TableSchema>,
    /// How fields are written.
    pub options: Arc<ExportOptions>,
}

/// The format of a run of rows.
#[derive(Debug, Clone)]
pub(crate) enum RowFormat {
    /// SQL row tuples; `continuation`: the range starts with the `,` after a
    /// previous chunk's last tuple. `statement`: the rows are all the rows
    /// of one INSERT statement, which spans this range (from its first
    /// keyword to its delimiter): set for tables whose row policy may drop
    /// rows, whose INSERTs are never cut, so that a statement left without
    /// rows can be removed whole.
    Sql {
        continuation: bool,
        statement: Option<Range<usize>>,
    },
    /// `LOAD DATA` text in this dialect, whole rows.
    Tsv(Arc<TsvDialect>),
}

/// A byte range of a chunk and what it holds.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    /// Bytes written as they are.
    Verbatim(Range<usize>),
    /// Rows (or a part of an INSERT's tuple list) of `target`.
    Rows {
        range: Range<usize>,
        target: Arc<InsertTarget>,
        format: RowFormat,
    },
}

/// A unit of parallel work.
#[derive(Debug)]
pub(crate) struct Chunk {
    /// The bytes, shared with nobody else.
    pub data: Bytes,
    /// Absolute offset of `data[0]` in the input.
    pub offset: u64,
    /// What the bytes hold, in order, covering all of `data`.
    pub pieces: Vec<Piece>,
    /// Exported tables whose definition is in this chunk (or before it).
    pub defines: Vec<Arc<ExportTarget>>,
}

/// The output of one chunk.
#[derive(Debug)]
pub(crate) struct ChunkOutput {
    /// The bytes to write (the input itself when nothing was masked).
    pub data: Bytes,
    /// Input bytes.
    pub bytes_in: u64,
    /// Newlines in the input chunk (for line numbers in later errors).
    pub newlines: u64,
    /// Rows seen.
    pub rows: u64,
    /// Changed values: (counter, count).
    pub masked: Vec<(usize, u64)>,
    /// Rows dropped by row policies: (table counter, count).
    pub dropped: Vec<(usize, u64)>,
    /// Exported tables defined in this chunk, to begin before any rows.
    pub defines: Vec<Arc<ExportTarget>>,
    /// Exported rows: (export table id, encoded rows), in input order.
    pub exports: Vec<(usize, Vec<u8>)>,
}

/// An error inside a chunk, before the writer knows the line number base.
#[derive(Debug)]
pub(crate) struct ChunkError {
    /// Absolute byte offset.
    pub byte: u64,
    /// Newlines in the chunk before `byte`.
    pub lines_before: u64,
    /// `true`: a syntax error; `false`: a masking error.
    pub syntax: bool,
    /// The message (never cell data).
    pub message: String,
}

/// Reusable buffers for one worker.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    rows: RowMasker,
    sql: sql::Scratch,
    tsv: tsv::Scratch,
    exports: Vec<(usize, Vec<u8>)>,
    /// Per column, the absolute input offset of the current row's value (for a visitor).
    offsets: Vec<u64>,
    /// A masked value encoded back into its column's charset.
    encoded: Vec<u8>,
}

/// The row hook of a visiting run.
pub(crate) struct RowHook<'h> {
    /// Called with every row handed over.
    pub visit: &'h mut dyn FnMut(&VisitedRow<'_>),
    /// Every column of every row of every bound table is decoded and
    /// handed over; `false`: only rows of tables with masked columns, with
    /// the values the masking decodes anyway (see
    /// [`crate::pipeline::visit::RowVisitor::ALL_COLUMNS`]).
    pub all: bool,
    /// With `all`: the columns it reads (see
    /// [`crate::pipeline::visit::RowVisitor::reads`]); the others are not decoded.
    pub reads: &'h dyn Fn(&BoundTable, usize) -> bool,
}

/// True when the hook wants every column (it reads) of `target`'s rows
/// decoded: `false` when it reads none of the table's columns.
fn wants_all(hook: &Option<RowHook<'_>>, target: &InsertTarget) -> bool {
    hook.as_ref().is_some_and(|h| {
        h.all
            && target
                .table
                .as_deref()
                .is_some_and(|t| (0..t.schema().columns.len()).any(|c| (h.reads)(t, c)))
    })
}

/// Hand a masked row to the hook: `offsets` gets each column's input offset
/// (`u64::MAX` when the row has no value for it) from `at(position)`.
fn visit_row(
    hook: &mut Option<RowHook<'_>>,
    table: &BoundTable,
    row: &MaskedRow<'_>,
    layout: &[usize],
    offsets: &mut Vec<u64>,
    at: impl Fn(usize) -> u64,
) {
    let Some(hook) = hook else { return };
    offsets.clear();
    offsets.resize(table.schema().columns.len(), u64::MAX);
    for (i, &col) in layout.iter().enumerate() {
        offsets[col] = at(i);
    }
    (hook.visit)(&VisitedRow::new(table, row, offsets));
}

/// Lazily built output: stays `None` until the first changed value.
pub(crate) struct Out<'a> {
    input: &'a [u8],
    buf: Option<Vec<u8>>,
    copied: usize,
}

impl Out<'_> {
    /// Replace `input[span]` with what `write` appends (copying the input
    /// not yet copied before it first).
    fn replace(&mut self, span: Range<usize>, write: impl FnOnce(&mut Vec<u8>)) {
        let input = self.input;
        let buf = self
            .buf
            .get_or_insert_with(|| Vec::with_capacity(input.len() + input.len() / 8 + 64));
        buf.extend_from_slice(&input[self.copied..span.start]);
        write(buf);
        self.copied = span.end;
    }
}

/// An error of a codec: (offset in the chunk, syntax?, message).
type PieceError = (usize, bool, String);

/// Mask one chunk; with a `hook`, hand it every row (see the module docs).
pub(crate) fn process(
    chunk: Chunk,
    scratch: &mut Scratch,
    mut hook: Option<RowHook<'_>>,
) -> Result<ChunkOutput, ChunkError> {
    let data = &chunk.data[..];
    scratch.exports.clear();
    let mut out = Out {
        input: data,
        buf: None,
        copied: 0,
    };
    let mut rows = 0u64;
    for piece in &chunk.pieces {
        let Piece::Rows {
            range,
            target,
            format,
        } = piece
        else {
            continue;
        };
        let result = match format {
            RowFormat::Sql {
                continuation,
                statement,
            } => sql::rows(
                chunk.offset,
                data,
                range.clone(),
                target,
                *continuation,
                statement.clone(),
                &mut out,
                scratch,
                &mut hook,
            ),
            RowFormat::Tsv(d) => tsv::rows(
                d,
                chunk.offset,
                data,
                range.clone(),
                target,
                &mut out,
                scratch,
                &mut hook,
            ),
        };
        rows += result.map_err(|(at, syntax, message)| ChunkError {
            byte: chunk.offset + at as u64,
            lines_before: count_newlines(&data[..at]),
            syntax,
            message,
        })?;
    }
    let newlines = count_newlines(data);
    let bytes_in = data.len() as u64;
    let data = match out.buf {
        None => chunk.data,
        Some(mut buf) => {
            buf.extend_from_slice(&data[out.copied..]);
            Bytes::from(buf)
        }
    };
    Ok(ChunkOutput {
        data,
        bytes_in,
        newlines,
        rows,
        masked: scratch.rows.take_counts(),
        dropped: scratch.rows.take_dropped(),
        defines: chunk.defines,
        exports: std::mem::take(&mut scratch.exports),
    })
}

/// Count newlines (SIMD via `bytecount`; needed for line numbers in errors).
pub(crate) fn count_newlines(data: &[u8]) -> u64 {
    bytecount::count(data, b'\n') as u64
}

/// One row of a codec: how each value (in input order) decodes, where it
/// starts, and how a changed cell is written back. The decode -> mask ->
/// encode step itself is [`rewrite_row`], shared by every codec.
pub(super) trait RowCells {
    /// The number of values in the row.
    fn len(&self) -> usize;
    /// Append value `i`'s raw bytes to `buf` and return `true`, or return
    /// `false` for NULL.
    fn decode(&self, i: usize, buf: &mut Vec<u8>) -> bool;
    /// Where value `i` starts in the chunk (for errors).
    fn start(&self, i: usize) -> usize;
    /// Where value `i` starts in the input (for a visitor).
    fn absolute(&self, i: usize) -> u64;
    /// True when value `i` is a value a visitor sees (not a bare word).
    fn visitable(&self, i: usize) -> bool;
    /// Write `cell` (never [`Cell::Same`]) in place of value `i`, a value of
    /// `column`; an error says why the format cannot express it.
    fn rewrite(
        &self,
        i: usize,
        cell: Cell<'_>,
        column: &Column,
        out: &mut Out<'_>,
    ) -> Result<(), String>;
}

/// Decode the values of a row that the table's actions (or the export, or
/// a visitor) need, mask the row, write every changed cell back, export the
/// row and hand it to the visitor. `layout`: the column index of each value.
/// `Ok(false)`: the table's row policy drops the row; nothing was written
/// and the codec removes it. `Ok(true)`: the row is kept; `before_write`
/// ran first (a codec removes dropped rows before it there). Values of
/// columns with a codec ([`InsertTarget::codecs`]) are decoded to UTF-8
/// before masking, and masked values encoded back (in `encoded`) before
/// the codec writes them.
#[allow(clippy::too_many_arguments)]
pub(super) fn rewrite_row(
    target: &InsertTarget,
    layout: &[usize],
    cells: &impl RowCells,
    masker: &mut RowMasker,
    out: &mut Out<'_>,
    exports: &mut Vec<(usize, Vec<u8>)>,
    offsets: &mut Vec<u64>,
    encoded: &mut Vec<u8>,
    hook: &mut Option<RowHook<'_>>,
    before_write: impl FnOnce(&mut Out<'_>),
) -> Result<bool, (usize, String)> {
    let table = target
        .table
        .as_deref()
        .expect("rows are rewritten for bound tables");
    // A table whose rows are all dropped needs no value decoded.
    let dropping = table.drops_all_rows();
    let export = target.export.is_some() && !dropping;
    let reads = hook
        .as_ref()
        .filter(|h| h.all && !dropping)
        .map(|h| h.reads);
    let n = cells.len().min(layout.len());
    masker.begin(table);
    for (i, &col) in layout.iter().enumerate().take(n) {
        let visit = reads.is_some_and(|r| cells.visitable(i) && r(table, col));
        if export || visit || table.needs_input(col) {
            match (target.codec(col), target.binary_text(col)) {
                (Some(codec), _) => {
                    masker.decode_from_charset(col, codec, |buf| cells.decode(i, buf))
                }
                (None, Some(binary)) => masker.decode_converted(
                    col,
                    |buf| cells.decode(i, buf),
                    |text, out| export::read_binary_field(text, binary, out),
                ),
                (None, None) => masker.decode(col, |buf| cells.decode(i, buf)),
            }
        } else {
            masker.set_present(col);
        }
    }
    let row = masker.mask(table).map_err(|e| {
        let i = layout.iter().position(|&c| c == e.column).unwrap_or(0);
        (cells.start(i), e.message)
    })?;
    let Some(row) = row else {
        return Ok(false);
    };
    before_write(out);
    for (i, &col) in layout.iter().enumerate().take(n) {
        let cell = row.cell(col);
        if cell == Cell::Same {
            continue;
        }
        let column = &table.schema().columns[col];
        let cell = match (cell, target.codec(col)) {
            (Cell::Value(v), Some(codec)) => {
                encoded.clear();
                crate::schema::charset::encode_into(codec, v, encoded).map_err(|e| {
                    (
                        cells.start(i),
                        format!(
                            "cannot write {}.{}: {}",
                            table.name(),
                            column.name,
                            e.reason(codec)
                        ),
                    )
                })?;
                Cell::Value(encoded)
            }
            (cell, _) => cell,
        };
        cells.rewrite(i, cell, column, out).map_err(|m| {
            (
                cells.start(i),
                format!("cannot write {}.{}: {m}", table.name(), column.name),
            )
        })?;
    }
    if let Some(x) = &target.export {
        export_row(x, &row, exports);
    }
    visit_row(hook, table, &row, &layout[..n], offsets, |i| {
        cells.absolute(i)
    });
    Ok(true)
}

/// Encode a masked row's final values for the export.
fn export_row(x: &ExportTarget, row: &MaskedRow<'_>, exports: &mut Vec<(usize, Vec<u8>)>) {
    let buf = match exports.last_mut() {
        Some(e) if e.0 == x.id => &mut e.1,
        _ => {
            exports.push((x.id, Vec::new()));
            &mut exports.last_mut().expect("pushed").1
        }
    };
    let charset = x.schema.default_charset.as_deref();
    for (i, column) in x.schema.columns.iter().enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        export::write_field(row.value(i), column, charset, &x.options, buf);
    }
    export::write_row_end(buf);
}
