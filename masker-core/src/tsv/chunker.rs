//! The TSV chunker: reads the input, runs the TSV [`Tokenizer`] over every
//! byte (row ends only), and cuts [`Chunk`]s of about `chunk_size` bytes at
//! row ends. It also reads the optional header line and binds the rules, in
//! input order, before any row is cut. Memory: one chunk plus the unfinished
//! row (a single huge row is held whole).

use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::{text_schema, Target, TsvOptions};
use crate::error::{Error, ErrorKind, Position, Result};
use crate::rewrite::count_newlines;
use crate::rules::Rules;
use crate::schema::TableSchema;
use crate::tokenizer::tsv::{unescape_into, Event, Field, Tokenizer, TsvDialect, TsvError};

/// A run of whole rows.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub data: Bytes,
    /// Absolute offset of `data[0]`.
    pub offset: u64,
    pub target: Arc<Target>,
    /// The header line: written as it is.
    pub verbatim: bool,
}

/// An error of the chunker, before the line number base is known.
#[derive(Debug)]
pub(crate) struct ChunkerError {
    byte: u64,
    /// Newlines between the first byte not yet emitted and `byte`.
    lines_before: u64,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Eof(&'static str),
    Plan(Vec<String>),
    Io(std::io::Error),
}

impl ChunkerError {
    /// The final error, given the line number of the first byte not yet emitted.
    pub fn into_error(self, line: u64) -> Error {
        let pos = Position {
            byte: self.byte,
            line: line + self.lines_before,
        };
        match self.kind {
            Kind::Eof(inside) => Error::new(ErrorKind::UnexpectedEof { pos, inside }),
            Kind::Plan(problems) => Error::new(ErrorKind::Plan {
                pos: Some(pos),
                problems,
            }),
            Kind::Io(e) => Error::from(e),
        }
    }
}

pub(crate) struct Chunker<'a, R> {
    reader: R,
    rules: &'a Rules,
    schema: &'a TableSchema,
    dialect: &'a TsvDialect,
    tok: Tokenizer<'a>,
    buf: BytesMut,
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
    target: Option<Arc<Target>>,
    /// The header line's fields, while it is read.
    header: Option<Vec<Field>>,
}

impl<'a, R: Read> Chunker<'a, R> {
    pub fn new(
        reader: R,
        rules: &'a Rules,
        schema: &'a TableSchema,
        dialect: &'a TsvDialect,
        opts: &TsvOptions,
    ) -> Result<Self> {
        let mut tok = Tokenizer::new(dialect);
        let (target, header) = if opts.header {
            (None, Some(Vec::new()))
        } else {
            if schema.columns.is_empty() {
                return Err(Error::new(ErrorKind::Plan {
                    pos: None,
                    problems: vec![format!(
                        "{}: no columns known (give a schema, column names or a header line)",
                        schema.name
                    )],
                }));
            }
            tok.report_fields(false);
            (Some(Arc::new(Target::bind(rules, schema, None)?)), None)
        };
        let chunk_size = opts.chunk_size.max(1);
        let read_size = (chunk_size / 2).clamp(1, 1 << 20);
        Ok(Chunker {
            reader,
            rules,
            schema,
            dialect,
            tok,
            buf: BytesMut::with_capacity(chunk_size + read_size),
            base: 0,
            scanned: 0,
            row_end: 0,
            chunk_size,
            read_size,
            eof: false,
            done: false,
            target,
            header,
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
        if self.done {
            return Ok(None);
        }
        loop {
            let (event, used) = self
                .tok
                .feed(&self.buf[self.scanned..], self.eof)
                .map_err(|e| self.tsv_error(e))?;
            self.scanned += used;
            match event {
                Event::NeedMore => self.fill()?,
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
                            Kind::Plan(vec![format!(
                                "{}: the input has no header line to take the column names from",
                                self.schema.name
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

    fn fill(&mut self) -> Result<(), ChunkerError> {
        let len = self.buf.len();
        self.buf.resize(len + self.read_size, 0);
        loop {
            match self.reader.read(&mut self.buf[len..]) {
                Ok(n) => {
                    self.buf.truncate(len + n);
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(len);
                    let at = self.base + len as u64;
                    return Err(self.error(at, Kind::Io(e)));
                }
            }
        }
    }

    fn emit(&mut self, len: usize, verbatim: bool) -> Chunk {
        let data = self.buf.split_to(len).freeze();
        let offset = self.base;
        self.base += len as u64;
        self.scanned -= len;
        self.row_end -= len;
        Chunk {
            data,
            offset,
            target: self
                .target
                .clone()
                .expect("the target is bound before rows"),
            verbatim,
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
                unescape_into(self.dialect, &self.buf[r], f.enclosed, &mut raw);
            } else {
                raw.extend_from_slice(&self.buf[r]);
            }
            names.push(String::from_utf8_lossy(&raw).into_owned());
        }
        let at = self.base;
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
                Some(c) if order.contains(&c) => problems.push(format!(
                    "{}: header field {} names column `{name}` a second time",
                    schema.name,
                    i + 1
                )),
                Some(c) => order.push(c),
                None => problems.push(format!(
                    "{}: header field {} names `{name}`, which is not a column of the table",
                    schema.name,
                    i + 1
                )),
            }
        }
        if !problems.is_empty() {
            return Err(self.error(at, Kind::Plan(problems)));
        }
        let target = Target::bind(self.rules, schema, Some(&order)).map_err(|e| {
            let problems = match e.into_kind() {
                ErrorKind::Plan { problems, .. } => problems,
                other => vec![Error::new(other).to_string()],
            };
            self.error(at, Kind::Plan(problems))
        })?;
        self.target = Some(Arc::new(target));
        self.tok.report_fields(false);
        Ok(())
    }
}
