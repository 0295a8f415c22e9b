//! The TSV chunker: reads the input, runs the TSV [`Tokenizer`] over every
//! byte (row ends only), and cuts [`Chunk`]s of about `chunk_size` bytes at
//! row ends, for the same workers and writer as SQL input
//! ([`crate::pipeline`]). It also reads the optional header line and binds
//! the rules through the run's [`Catalog`], in input order, before any row is
//! cut. A file of a BigQuery export is read with its own header (the
//! export's column names) and its NULL marker and binary encoding.
//! Memory: one chunk plus the unfinished row (a single huge row is held
//! whole).

use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

use super::{text_schema, TsvOptions};
use crate::engine::Catalog;
use crate::error::{Error, ErrorKind, PlanProblem, PlanProblemKind, Result};
use crate::export::{bigquery_column_names, ExportOptions};
use crate::pipeline::read_buf::ReadBuf;
use crate::pipeline::{ChunkSource, ChunkerError, ChunkerErrorKind as Kind};
use crate::rewrite::{count_newlines, Chunk, InsertTarget, Piece, RowFormat};
use crate::rules::Rules;
use crate::schema::TableSchema;
use crate::tokenizer::tsv::{unescape_into, Event, Field, Tokenizer, TsvDialect, TsvError};

pub(crate) struct Chunker<'a, R> {
    reader: R,
    catalog: Catalog<'a>,
    schema: &'a TableSchema,
    dialect: Arc<TsvDialect>,
    tok: Tokenizer<'a>,
    /// The bytes read and not yet cut into chunks.
    buf: ReadBuf,
    /// Absolute offset of `buf[0]`.
    base: u64,
    /// `buf[..scanned]` was pushed through the tokenizer.
    scanned: usize,
    /// End of the last complete row in `buf`.
    row_end: usize,
    chunk_size: usize,
    read_size: usize,
    eof: bool,
    done: bool,
    /// An error to report after the chunk of rows emitted before it.
    failed: Option<ChunkerError>,
    target: Option<Arc<InsertTarget>>,
    /// The header line's fields, while it is read.
    header: Option<Vec<Field>>,
    /// The input is a file of a BigQuery export written with these options.
    export: Option<Arc<ExportOptions>>,
}

impl<'a, R: Read> ChunkSource<'a> for Chunker<'a, R> {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, ChunkerError> {
        Chunker::next_chunk(self)
    }
    fn catalog(&self) -> &Catalog<'a> {
        &self.catalog
    }
    fn statements(&self) -> u64 {
        0
    }
}

impl<'a, R: Read> Chunker<'a, R> {
    pub fn new(
        reader: R,
        rules: &'a Rules,
        schema: &'a TableSchema,
        dialect: &'a TsvDialect,
        opts: &TsvOptions,
        export: Option<&ExportOptions>,
    ) -> Result<Self> {
        let mut catalog = Catalog::new(rules);
        let mut tok = Tokenizer::new(dialect);
        let export = export.map(|x| Arc::new(x.clone()));
        // An export's header is its own (see `read_header`), never TsvOptions'.
        let header = match &export {
            Some(x) => x.header,
            None => opts.header,
        };
        let (target, header) = if header {
            (None, Some(Vec::new()))
        } else {
            if schema.columns.is_empty() {
                return Err(Error::new(ErrorKind::Plan {
                    pos: None,
                    problems: vec![PlanProblem::new(
                        schema.name.clone(),
                        PlanProblemKind::UnknownColumns,
                        "no columns known (give a schema, column names or a header line)",
                    )],
                }));
            }
            tok.report_fields(false);
            let table = catalog.define(schema.clone(), true).map_err(|problems| {
                Error::new(ErrorKind::Plan {
                    pos: None,
                    problems,
                })
            })?;
            let target = InsertTarget::new(table, None);
            let target = match &export {
                Some(x) => target.reading_export(x.clone()),
                None => target,
            };
            (Some(Arc::new(target)), None)
        };
        let chunk_size = opts.chunk_size.max(1);
        let read_size = (chunk_size / 2).clamp(1, 1 << 20);
        Ok(Chunker {
            reader,
            catalog,
            schema,
            dialect: Arc::new(dialect.clone()),
            tok,
            buf: ReadBuf::new(chunk_size + read_size + (64 << 10)),
            base: 0,
            scanned: 0,
            row_end: 0,
            chunk_size,
            read_size,
            eof: false,
            done: false,
            failed: None,
            target,
            header,
            export,
        })
    }

    fn error(&self, byte: u64, kind: Kind) -> ChunkerError {
        let upto = (byte.saturating_sub(self.base) as usize).min(self.buf.len());
        ChunkerError {
            byte,
            lines_before: count_newlines(&self.buf[..upto]),
            kind,
        }
    }

    fn tsv_error(&self, e: TsvError) -> ChunkerError {
        self.error(e.offset, Kind::Eof(e.message))
    }

    /// The next chunk, or `None` at the end of a well-formed input.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, ChunkerError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.done {
            return Ok(None);
        }
        loop {
            let (event, used) = match self.tok.feed(&self.buf[self.scanned..], self.eof) {
                Ok(step) => step,
                Err(e) => {
                    let e = self.tsv_error(e);
                    return self.fail_after_rows(e);
                }
            };
            self.scanned += used;
            match event {
                Event::NeedMore => {
                    if let Err(e) = self.fill() {
                        return self.fail_after_rows(e);
                    }
                }
                Event::Field(f) => {
                    let next = (f.next - self.base) as usize;
                    if let Some(fields) = &mut self.header {
                        let row_end = f.row_end;
                        fields.push(f);
                        if row_end {
                            self.row_end = next;
                            self.read_header()?;
                            return Ok(Some(self.emit(next, true)));
                        }
                        continue;
                    }
                    debug_assert!(f.row_end);
                    self.row_end = next;
                    if next >= self.chunk_size {
                        return Ok(Some(self.emit(next, false)));
                    }
                }
                Event::End => {
                    self.done = true;
                    if self.header.is_some() && self.schema.columns.is_empty() {
                        let at = self.base + self.buf.len() as u64;
                        return Err(self.error(
                            at,
                            Kind::Plan(vec![PlanProblem::new(
                                self.schema.name.clone(),
                                PlanProblemKind::UnknownColumns,
                                "the input has no header line to take the column names from",
                            )]),
                        ));
                    }
                    if self.buf.is_empty() {
                        return Ok(None);
                    }
                    return Ok(Some(self.emit(self.buf.len(), false)));
                }
            }
        }
    }

    /// Fail with `e` after emitting the complete rows before it, if any:
    /// the workers check those rows first, so the first error in input
    /// order is reported whatever the chunk size (as the SQL chunker does).
    fn fail_after_rows(&mut self, mut e: ChunkerError) -> Result<Option<Chunk>, ChunkerError> {
        self.done = true;
        if self.row_end == 0 || self.header.is_some() || self.target.is_none() {
            return Err(e);
        }
        // The error's line is now counted from after the chunk.
        let lines = count_newlines(&self.buf[..self.row_end]);
        e.lines_before -= lines.min(e.lines_before);
        self.failed = Some(e);
        Ok(Some(self.emit(self.row_end, false)))
    }

    /// Read once into the buffer (nothing is zeroed: [`ReadBuf`]).
    fn fill(&mut self) -> Result<(), ChunkerError> {
        let len = self.buf.len();
        let space = self.buf.space(self.read_size);
        let read = loop {
            match self.reader.read(space) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        match read {
            Ok(n) => {
                self.buf.commit(n);
                self.eof = n == 0;
                Ok(())
            }
            Err(e) => {
                let at = self.base + len as u64;
                Err(self.error(at, Kind::Io(e)))
            }
        }
    }

    fn emit(&mut self, len: usize, verbatim: bool) -> Chunk {
        let data = self.buf.split_to(len);
        let offset = self.base;
        self.base += len as u64;
        self.scanned -= len;
        self.row_end -= len;
        let piece = if verbatim {
            Piece::Verbatim(0..len)
        } else {
            Piece::Rows {
                range: 0..len,
                target: self
                    .target
                    .clone()
                    .expect("the target is bound before rows"),
                format: RowFormat::Tsv(self.dialect.clone()),
            }
        };
        Chunk {
            data,
            offset,
            pieces: vec![piece],
            defines: Vec::new(),
        }
    }

    /// The header line is complete: map its names to columns and bind the rules.
    fn read_header(&mut self) -> Result<(), ChunkerError> {
        let fields = self.header.take().expect("reading the header");
        let mut names = Vec::with_capacity(fields.len());
        let mut raw = Vec::new();
        for f in &fields {
            let r: Range<usize> =
                (f.span.start - self.base) as usize..(f.span.end - self.base) as usize;
            raw.clear();
            if f.escaped {
                unescape_into(&self.dialect, &self.buf[r], f.enclosed, &mut raw);
            } else {
                raw.extend_from_slice(&self.buf[r]);
            }
            names.push(String::from_utf8_lossy(&raw).into_owned());
        }
        let at = self.base;
        if let Some(x) = self.export.clone() {
            return self.read_export_header(&names, x, at);
        }
        let owned;
        let schema = if self.schema.columns.is_empty() {
            owned = text_schema(self.schema.name.clone(), &names);
            &owned
        } else {
            self.schema
        };
        let mut order = Vec::with_capacity(names.len());
        let mut problems = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match schema.column_index(name) {
                Some(c) if order.contains(&c) => problems.push(
                    PlanProblem::new(
                        schema.name.clone(),
                        PlanProblemKind::DuplicateColumn,
                        format!("header field {} names this column a second time", i + 1),
                    )
                    .with_column(name),
                ),
                Some(c) => order.push(c),
                None => problems.push(
                    PlanProblem::new(
                        schema.name.clone(),
                        PlanProblemKind::NoSuchColumn,
                        format!(
                            "header field {} names this column, which the table does not have",
                            i + 1
                        ),
                    )
                    .with_column(name),
                ),
            }
        }
        if !problems.is_empty() {
            return Err(self.error(at, Kind::Plan(problems)));
        }
        let table = self
            .catalog
            .define(schema.clone(), true)
            .map_err(|problems| self.error(at, Kind::Plan(problems)))?;
        self.target = Some(Arc::new(InsertTarget::new(table, Some(order))));
        self.tok.report_fields(false);
        Ok(())
    }

    /// An export's header line is complete: it must name every column, in
    /// order, as the export names them ([`bigquery_column_names`]; fields
    /// map to columns by position, as the export writes them). Problems
    /// name the columns, never what the line holds (it may be a row).
    fn read_export_header(
        &mut self,
        names: &[String],
        export: Arc<ExportOptions>,
        at: u64,
    ) -> Result<(), ChunkerError> {
        let schema = self.schema;
        let want = bigquery_column_names(schema);
        let problem = |message: String| {
            vec![PlanProblem::new(
                schema.name.clone(),
                PlanProblemKind::UnknownColumns,
                message,
            )]
        };
        if names.len() != want.len() {
            return Err(self.error(
                at,
                Kind::Plan(problem(format!(
                    "the header line has {} fields, but the export of this table has {} columns",
                    names.len(),
                    want.len()
                ))),
            ));
        }
        if let Some(i) = (0..want.len()).find(|&i| names[i] != want[i]) {
            return Err(self.error(
                at,
                Kind::Plan(problem(format!(
                    "header field {} is not `{}`, the export's name of column `{}`",
                    i + 1,
                    want[i],
                    schema.columns[i].name
                ))),
            ));
        }
        let table = self
            .catalog
            .define(schema.clone(), true)
            .map_err(|problems| self.error(at, Kind::Plan(problems)))?;
        let target = InsertTarget::new(table, None).reading_export(export);
        self.target = Some(Arc::new(target));
        self.tok.report_fields(false);
        Ok(())
    }
}
