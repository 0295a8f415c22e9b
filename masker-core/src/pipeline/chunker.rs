//! The chunker: reads the input, runs the [`Splitter`] over it, and cuts it
//! into [`Chunk`]s at statement or row-tuple boundaries.
//!
//! It is the only sequential stage that looks at every byte, so it does the
//! least it can: the splitter's quote and paren tracking, plus the work that
//! must happen in input order: `USE` and `CREATE TABLE` (which bind the rules
//! to a table's schema before any of its rows are cut), and resolving each
//! INSERT header to its [`InsertTarget`]. A multi-gigabyte INSERT is cut
//! between tuples, so memory is bounded by the chunk size plus the largest
//! single row or non-INSERT statement, whatever the line length.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use super::read_buf::ReadBuf;
use super::ExportConfig;
use crate::engine::{Catalog, Rows};
use crate::error::{Error, ErrorKind, PlanProblem, PlanProblemKind, Position};
use crate::rewrite::{count_newlines, Chunk, ExportTarget, InsertTarget, Piece, RowFormat};
use crate::rules::Rules;
use crate::schema::charset::ConnectionCharset;
use crate::schema::{
    parse_create_table, parse_identifier, parse_insert_header, TableName, TableSchema,
};
use crate::tokenizer::sql::{Event, SplitError, Splitter, StatementKind};

/// An error found by the chunker, before line numbers are known.
#[derive(Debug)]
pub(crate) struct ChunkerError {
    pub byte: u64,
    /// Newlines between the start of the pending (not yet emitted) bytes and `byte`.
    pub lines_before: u64,
    pub kind: ChunkerErrorKind,
}

#[derive(Debug)]
pub(crate) enum ChunkerErrorKind {
    Syntax(String),
    Eof(&'static str),
    Plan(Vec<PlanProblem>),
    Io(std::io::Error),
    /// Internal: a plan problem was found; cut what came before it.
    PlanStop,
    /// Push mode: the reader has no more input for now (not an error).
    NeedInput,
}

impl ChunkerError {
    /// The final error, given the line number where the pending bytes start.
    pub fn into_error(self, first_line: u64) -> Error {
        let pos = Position {
            byte: self.byte,
            line: first_line + self.lines_before,
        };
        match self.kind {
            ChunkerErrorKind::Syntax(message) => Error::syntax(pos, message),
            ChunkerErrorKind::Eof(inside) => Error::new(ErrorKind::UnexpectedEof { pos, inside }),
            ChunkerErrorKind::Plan(problems) => Error::new(ErrorKind::Plan {
                pos: Some(pos),
                problems,
            }),
            ChunkerErrorKind::Io(e) => Error::from(e),
            ChunkerErrorKind::NeedInput => {
                Error::from(std::io::Error::from(std::io::ErrorKind::WouldBlock))
            }
            ChunkerErrorKind::PlanStop => Error::new(ErrorKind::Plan {
                pos: Some(pos),
                problems: Vec::new(),
            }),
        }
    }
}

/// Tunables of the chunker.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChunkerConfig {
    /// Preferred chunk size in bytes.
    pub chunk_size: usize,
    /// Bytes requested from the reader per read.
    pub read_size: usize,
}

impl ChunkerConfig {
    /// Bytes per arena of the input buffer: one chunk, one read past it,
    /// and room for the bytes a cut leaves pending.
    fn arena(&self) -> usize {
        self.chunk_size
            .saturating_add(self.read_size)
            .saturating_add(64 << 10)
    }

    /// Chunks of about `chunk_size` bytes, read half a chunk (at most 1 MiB) at a time.
    pub fn for_chunks(chunk_size: usize) -> Self {
        ChunkerConfig {
            chunk_size: chunk_size.max(1),
            read_size: (chunk_size / 2).clamp(1, 1 << 20),
        }
    }
}

/// Cuts a dump into chunks. See the module docs.
pub(crate) struct Chunker<'r, R> {
    reader: R,
    catalog: Catalog<'r>,
    cfg: ChunkerConfig,
    splitter: Splitter,
    /// The bytes read and not yet cut into chunks.
    buf: ReadBuf,
    /// Absolute offset of `buf[0]`.
    base: u64,
    /// `buf[..scanned]` has been pushed through the splitter.
    scanned: usize,
    /// Where the current statement (or its unemitted part) starts in `buf`.
    stmt_start: usize,
    /// Pieces covering `buf[..stmt_start]`.
    pieces: Vec<Piece>,
    /// The INSERT being scanned: its target and where its pending tuples start.
    insert: Option<PendingInsert>,
    eof: bool,
    done: bool,
    /// An error to report after the chunk emitted before it.
    failed: Option<ChunkerError>,
    /// The start of the input was checked for an XML dump.
    xml_checked: bool,
    /// The first bytes of the input (to see which tool made it).
    head: Vec<u8>,
    /// Accept a dump from mysqldump / mariadb-dump without its last line.
    allow_incomplete: bool,
    /// The `-- Dump completed` line came between two statements, and no
    /// INSERT or CREATE TABLE came after it: `mysqldump --tab` writes a
    /// table's triggers after that line in its `table.sql`.
    completed_line_seen: bool,
    /// Exported tables by name (the latest definition).
    exported: HashMap<TableName, Arc<ExportTarget>>,
    /// Problems of the rules with the dump found so far, at the position of
    /// the first: the chunker stops emitting chunks there and reads on to
    /// report them all at once.
    plan_error: Option<ChunkerError>,
    /// Where the statement that revealed the first plan problem starts in `buf`.
    plan_cut: Option<usize>,
    statements: u64,
    header_cache: Vec<u8>,
    header_target: Option<Arc<InsertTarget>>,
    export: Option<(ExportConfig, Arc<crate::export::ExportOptions>)>,
    /// Exported tables defined since the last emitted chunk.
    defines: Vec<Arc<ExportTarget>>,
    exported_tables: usize,
    /// What the values are, as the input's last `SET NAMES` says (UTF-8
    /// before any).
    connection: ConnectionCharset,
    /// Tables defined `WITH SYSTEM VERSIONING` (the latest definition): an
    /// INSERT of their history rows names the implicit `row_start` and
    /// `row_end` columns last ([`history_columns`]).
    versioned: Vec<TableName>,
}

#[derive(Debug)]
struct PendingInsert {
    target: Arc<InsertTarget>,
    /// Where the statement's first keyword is in `buf`.
    first: usize,
    /// The table's row policy may drop rows: the statement is never cut, so
    /// that a worker can remove it whole when it keeps no row.
    whole: bool,
    /// Start of the not yet emitted tuples in `buf`.
    rows_start: usize,
    continuation: bool,
}

impl<'r, R: Read> super::ChunkSource<'r> for Chunker<'r, R> {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, ChunkerError> {
        Chunker::next_chunk(self)
    }
    fn catalog(&self) -> &Catalog<'r> {
        &self.catalog
    }
    fn statements(&self) -> u64 {
        self.statements
    }
}

impl<'r, R: Read> Chunker<'r, R> {
    pub fn new(reader: R, rules: &'r Rules, cfg: ChunkerConfig) -> Self {
        Chunker {
            reader,
            catalog: Catalog::new(rules),
            cfg,
            splitter: Splitter::new(),
            buf: ReadBuf::new(cfg.arena()),
            base: 0,
            scanned: 0,
            stmt_start: 0,
            pieces: Vec::new(),
            insert: None,
            eof: false,
            done: false,
            failed: None,
            xml_checked: false,
            head: Vec::new(),
            allow_incomplete: false,
            completed_line_seen: false,
            exported: HashMap::new(),
            plan_error: None,
            plan_cut: None,
            statements: 0,
            header_cache: Vec::new(),
            header_target: None,
            export: None,
            defines: Vec::new(),
            exported_tables: 0,
            connection: ConnectionCharset::Utf8,
            versioned: Vec::new(),
        }
    }

    /// Values come as the columns' own bytes (`SET NAMES binary`): text of
    /// a charset that is not UTF-8 is converted around masking (see
    /// [`InsertTarget::in_column_charsets`]).
    pub fn in_column_charsets(mut self, on: bool) -> Self {
        self.connection = if on {
            ConnectionCharset::ColumnBytes
        } else {
            ConnectionCharset::Utf8
        };
        self
    }

    /// The input holds rows of `schema`'s table without its `CREATE TABLE`
    /// (a mydumper data file): the table is defined (bound to the rules)
    /// before any byte is read, and its database becomes the current one,
    /// so `INSERT INTO \`t\`` means it.
    pub fn with_table(mut self, schema: TableSchema) -> Result<Self, Vec<PlanProblem>> {
        if let Some(db) = &schema.name.database {
            self.catalog.use_database(db.clone());
        }
        self.catalog.define(schema, true)?;
        Ok(self)
    }

    /// Accept a dump that says it comes from mysqldump or mariadb-dump but
    /// lacks their `-- Dump completed` last line.
    pub fn allow_incomplete(mut self, allow: bool) -> Self {
        self.allow_incomplete = allow;
        self
    }

    /// Also export the rows of the tables `config` selects.
    pub fn with_export(mut self, config: Option<&ExportConfig>) -> Self {
        self.export = config.map(|c| (c.clone(), Arc::new(c.options.clone())));
        self
    }

    /// The run's tables.
    pub fn catalog(&self) -> &Catalog<'r> {
        &self.catalog
    }

    fn error_at(&self, byte: u64, kind: ChunkerErrorKind) -> ChunkerError {
        let upto = (byte.saturating_sub(self.base) as usize).min(self.buf.len());
        ChunkerError {
            byte,
            lines_before: count_newlines(&self.buf[..upto]),
            kind,
        }
    }

    fn split_error(&self, e: SplitError) -> ChunkerError {
        let kind = if e.eof {
            ChunkerErrorKind::Eof(e.message)
        } else {
            ChunkerErrorKind::Syntax(e.message.to_owned())
        };
        self.error_at(e.offset, kind)
    }

    /// The next chunk, or `None` at the end of a well-formed input.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, ChunkerError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        loop {
            if self.done {
                return match self.plan_error.take() {
                    Some(e) => Err(e),
                    None => Ok(None),
                };
            }
            let draining = self.plan_error.is_some();
            match self.scan() {
                Err(e) if matches!(e.kind, ChunkerErrorKind::NeedInput) => return Err(e),
                // The rules and the dump disagree: the run fails, so nothing
                // more is emitted, but reading on finds every problem.
                Ok(Some(_)) if draining => continue,
                Ok(chunk) => {
                    if chunk.is_none() {
                        self.done = true;
                        continue;
                    }
                    return Ok(chunk);
                }
                Err(_) if draining => self.done = true,
                Err(e) => {
                    // Emit what is complete before the error (or the first
                    // plan problem) first, so that its rows are checked too:
                    // the first error in input order is reported, whatever
                    // the chunk size.
                    let plan_stop = matches!(e.kind, ChunkerErrorKind::PlanStop);
                    if !plan_stop {
                        self.done = true;
                        // The splitter may have passed tuple ends in the push
                        // that failed; those bytes were scanned.
                        if let Some(end) = self.splitter.statement().last_tuple_end {
                            let end = (end.saturating_sub(self.base) as usize).min(self.buf.len());
                            self.scanned = self.scanned.max(end);
                        }
                    }
                    let chunk = if plan_stop {
                        self.cut_before_plan_problem()
                    } else {
                        self.cut()
                    };
                    let lines = chunk.as_ref().map_or(0, |c| count_newlines(&c.data));
                    if plan_stop {
                        if let Some(p) = self.plan_error.as_mut() {
                            p.lines_before -= lines.min(p.lines_before);
                        }
                        if chunk.is_some() {
                            return Ok(chunk);
                        }
                        continue;
                    }
                    // The error's line is now counted from after the chunk.
                    let mut e = e;
                    e.lines_before -= lines.min(e.lines_before);
                    return match chunk {
                        Some(chunk) => {
                            self.failed = Some(e);
                            Ok(Some(chunk))
                        }
                        None => Err(e),
                    };
                }
            }
        }
    }

    fn scan(&mut self) -> Result<Option<Chunk>, ChunkerError> {
        loop {
            if self.scanned == self.buf.len() {
                if let Some(chunk) = self.cut_if_full() {
                    return Ok(Some(chunk));
                }
                if self.eof {
                    return self.finish();
                }
                self.fill()?;
                continue;
            }
            let (event, used) = self
                .splitter
                .split(&self.buf[self.scanned..])
                .map_err(|e| self.split_error(e))?;
            self.scanned += used;
            let failed = self.plan_error.is_some();
            match event {
                Event::NeedMore => {}
                Event::ValuesStart => self.values_start()?,
                Event::TupleEnd => {}
                Event::StatementEnd => self.statement_end()?,
            }
            if !failed && self.plan_error.is_some() {
                return Err(ChunkerError {
                    byte: 0,
                    lines_before: 0,
                    kind: ChunkerErrorKind::PlanStop,
                });
            }
        }
    }

    /// Read until the `read_size` bytes appended to the buffer are full, or
    /// the input ends, has nothing more for now (push mode) or fails. A
    /// reader that returns less than asked (a pipe: 64 KiB) is read again
    /// into the same space; nothing is zeroed ([`ReadBuf`]).
    fn fill(&mut self) -> Result<(), ChunkerError> {
        let len = self.buf.len();
        let want = self.cfg.read_size;
        let space = self.buf.space(want);
        let mut got = 0;
        let mut io_error = None;
        let result = loop {
            if got == want {
                break Ok(());
            }
            match self.reader.read(&mut space[got..]) {
                Ok(0) => {
                    self.eof = true;
                    break Ok(());
                }
                Ok(n) => {
                    if self.head.len() < HEAD_BYTES {
                        let take = n.min(HEAD_BYTES - self.head.len());
                        self.head.extend_from_slice(&space[got..got + take]);
                    }
                    got += n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // Push mode: no more input for now; scan what came.
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && got > 0 => break Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    // Nothing came: resume from here later.
                    break Err(ChunkerError {
                        byte: self.base + len as u64,
                        lines_before: 0,
                        kind: ChunkerErrorKind::NeedInput,
                    });
                }
                Err(e) => {
                    io_error = Some(e);
                    break Ok(());
                }
            }
        };
        self.buf.commit(got);
        if let Some(e) = io_error {
            // The bytes read before the error stay: they are input before
            // it, and are cut and checked like any other.
            let at = self.base + (len + got) as u64;
            return Err(self.error_at(at, ChunkerErrorKind::Io(e)));
        }
        result?;
        self.check_not_xml()
    }

    /// The reader (push mode feeds it).
    pub fn reader_mut(&mut self) -> &mut R {
        &mut self.reader
    }

    /// Once the first bytes are in (however small the reads), refuse
    /// `mysqldump --xml` output with a clear message.
    fn check_not_xml(&mut self) -> Result<(), ChunkerError> {
        if self.xml_checked {
            return Ok(());
        }
        let head = self.buf.trim_ascii_start();
        if head.len() < 5 && !self.eof {
            return Ok(());
        }
        self.xml_checked = true;
        if self.base == 0 && head.starts_with(b"<?xml") {
            return Err(self.error_at(
                0,
                ChunkerErrorKind::Syntax(
                    "this is an XML dump (mysqldump --xml); masker reads SQL dumps and TSV (--tab)"
                        .into(),
                ),
            ));
        }
        Ok(())
    }

    /// When the pending bytes are large, cut them where the state allows.
    fn cut_if_full(&mut self) -> Option<Chunk> {
        if self.scanned < self.cfg.chunk_size {
            return None;
        }
        self.cut()
    }

    /// Emit what comes before the statement that revealed the first plan
    /// problem (its rows are checked, and their errors come first); nothing
    /// of that statement or after it is emitted.
    fn cut_before_plan_problem(&mut self) -> Option<Chunk> {
        let cut = self.plan_cut.take()?.min(self.stmt_start);
        while let Some(last) = self.pieces.last_mut() {
            let range = match last {
                Piece::Verbatim(r) => r,
                Piece::Rows { range, .. } => range,
            };
            if range.start >= cut {
                self.pieces.pop();
            } else {
                range.end = range.end.min(cut);
                break;
            }
        }
        self.insert = None;
        self.stmt_start = cut;
        (cut > 0).then(|| self.emit(cut))
    }

    /// Cut the pending bytes where the state allows, if anywhere.
    fn cut(&mut self) -> Option<Chunk> {
        // Cut as late as the state allows, so that little is left to move to
        // the front of the buffer: after the last complete tuple of the
        // INSERT being scanned, else after the last complete statement.
        if let Some(insert) = self.insert.as_mut().filter(|i| !i.whole) {
            let last = self.splitter.statement().last_tuple_end;
            let end = last.map_or(0, |e| (e - self.base) as usize);
            if end > insert.rows_start {
                if self.stmt_start < insert.rows_start {
                    self.pieces
                        .push(Piece::Verbatim(self.stmt_start..insert.rows_start));
                }
                self.pieces.push(Piece::Rows {
                    range: insert.rows_start..end,
                    target: insert.target.clone(),
                    format: RowFormat::Sql {
                        continuation: insert.continuation,
                        statement: None,
                    },
                });
                insert.rows_start = end;
                insert.continuation = true;
                self.stmt_start = end;
                return Some(self.emit(end));
            }
        }
        (self.stmt_start > 0).then(|| self.emit(self.stmt_start))
    }

    /// Emit `buf[..len]` (covered by `self.pieces`) as a chunk.
    fn emit(&mut self, len: usize) -> Chunk {
        let data = self.buf.split_to(len);
        let offset = self.base;
        self.base += len as u64;
        self.scanned -= len;
        self.stmt_start -= len;
        if let Some(insert) = &mut self.insert {
            insert.rows_start -= len;
            // Only meaningful for a whole statement, never cut before `first`.
            insert.first = insert.first.saturating_sub(len);
        }
        Chunk {
            data,
            offset,
            pieces: std::mem::take(&mut self.pieces),
            defines: std::mem::take(&mut self.defines),
        }
    }

    fn push_verbatim(&mut self, end: usize) {
        let start = self.stmt_start;
        if start == end {
            return;
        }
        if let Some(Piece::Verbatim(r)) = self.pieces.last_mut() {
            if r.end == start {
                r.end = end;
                return;
            }
        }
        self.pieces.push(Piece::Verbatim(start..end));
    }

    fn finish(&mut self) -> Result<Option<Chunk>, ChunkerError> {
        let ended = self
            .splitter
            .finish_delimiter_command()
            .map_err(|e| self.split_error(e))?;
        if ended {
            self.statements += 1;
        }
        self.splitter.finish().map_err(|e| self.split_error(e))?;
        if !self.allow_incomplete
            && !self.completed_line_seen
            && made_by_dump_tool(&self.head)
            && memchr::memmem::find(&self.buf[self.stmt_start..], DUMP_COMPLETED).is_none()
        {
            let at = self.base + self.buf.len() as u64;
            return Err(self.error_at(
                at,
                ChunkerErrorKind::Eof(
                    "a dump whose header names mysqldump or mariadb-dump, before its last line `-- Dump completed` (cut between two statements? accept it with --allow-incomplete)",
                ),
            ));
        }
        // Trailing whitespace and comments.
        self.push_verbatim(self.buf.len());
        self.stmt_start = self.buf.len();
        self.done = true;
        if self.buf.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.emit(self.buf.len())))
    }

    fn local(&self, abs: u64) -> usize {
        (abs - self.base) as usize
    }

    fn values_start(&mut self) -> Result<(), ChunkerError> {
        let info = *self.splitter.statement();
        let first = info.first_token.map_or(self.stmt_start, |o| self.local(o));
        // Rows after the last line: that line ended an earlier dump.
        self.completed_line_seen = false;
        let values = self.local(info.values_start.expect("ValuesStart sets values_start"));
        let target = self.insert_target(first, values)?;
        let whole =
            target.drop_rows.is_some() || target.table.as_ref().is_some_and(|t| t.filters_rows());
        self.insert = Some(PendingInsert {
            target,
            first,
            whole,
            rows_start: values,
            continuation: false,
        });
        Ok(())
    }

    fn statement_end(&mut self) -> Result<(), ChunkerError> {
        self.statements += 1;
        let info = *self.splitter.statement();
        let end = self.scanned;
        if self.insert.is_none() {
            if let Some(first) = info.first_token {
                let gap = self.buf.get(self.stmt_start..self.local(first));
                if gap.is_some_and(|g| memchr::memmem::find(g, DUMP_COMPLETED).is_some()) {
                    self.completed_line_seen = true;
                }
            }
        }
        // Checked before anything is taken, so the rows before it stay
        // pending (and are emitted before the error is reported).
        if let Some(tail) = info.tail_start {
            let t = self.local(tail);
            let word = &self.buf[t..(t + 3).min(end)];
            if !(word.len() == 3
                && word[..2].eq_ignore_ascii_case(b"ON")
                && word[2].is_ascii_whitespace())
            {
                return Err(self.error_at(
                    tail,
                    ChunkerErrorKind::Syntax(
                        "unexpected text after the row tuples (expected `ON DUPLICATE KEY UPDATE` or the delimiter)".into(),
                    ),
                ));
            }
        }
        if let Some(insert) = self.insert.take() {
            let Some(last) = info.last_tuple_end else {
                let at = self.base + end as u64;
                return Err(self.error_at(
                    at,
                    ChunkerErrorKind::Syntax("INSERT ... VALUES without a row tuple".into()),
                ));
            };
            let last = self.local(last);
            if self.stmt_start < insert.rows_start {
                self.push_verbatim(insert.rows_start);
            }
            if last > insert.rows_start {
                self.pieces.push(Piece::Rows {
                    range: insert.rows_start..last,
                    target: insert.target,
                    format: RowFormat::Sql {
                        continuation: insert.continuation,
                        statement: insert.whole.then_some(insert.first..end),
                    },
                });
                self.stmt_start = last;
            } else {
                self.stmt_start = insert.rows_start;
            }
            self.push_verbatim(end);
            self.stmt_start = end;
            return Ok(());
        }
        if let Some(first) = info.first_token {
            if info.kind == StatementKind::Other {
                let first = self.local(first);
                self.other_statement(first, end)?;
            }
        }
        self.push_verbatim(end);
        self.stmt_start = end;
        Ok(())
    }

    /// `USE db`, `CREATE TABLE`: update what we know, in input order.
    fn other_statement(&mut self, first: usize, end: usize) -> Result<(), ChunkerError> {
        let text = strip_conditional_prefix(&self.buf[first..end]);
        let mut words = text
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let w1 = words.next().unwrap_or_default();
        if holds_credentials(text) {
            self.catalog.note_credentials();
        }
        if w1.eq_ignore_ascii_case(b"SET") {
            let w2 = words.next().unwrap_or_default();
            if w2.eq_ignore_ascii_case(b"NAMES") {
                let name = words.next().unwrap_or_default().to_vec();
                return self.set_names(&name, first);
            }
            return Ok(());
        }
        if w1.eq_ignore_ascii_case(b"USE") {
            let rest = &text[3..];
            if let Some((db, _)) = parse_identifier(rest) {
                self.catalog.use_database(db);
            }
            return Ok(());
        }
        if !w1.eq_ignore_ascii_case(b"CREATE") {
            return Ok(());
        }
        // `CREATE TEMPORARY TABLE`, `CREATE OR REPLACE VIEW`, views, routines
        // and databases carry no rows of a dumped table.
        let w2 = words.next().unwrap_or_default();
        if !w2.eq_ignore_ascii_case(b"TABLE") {
            return Ok(());
        }
        let at = self.base + first as u64;
        let stmt = self.buf[first..end].to_vec();
        // A table after the last line: that line ended an earlier dump.
        self.completed_line_seen = false;
        // `/*!50001 CREATE TABLE ...*/` is mysqldump's stand-in for a view
        // (MySQL 5.x): it never holds rows, so no rule applies.
        let view_stand_in = stmt.trim_ascii_start().starts_with(b"/*!");
        let versioned = is_system_versioned(&stmt);
        let result = match parse_create_table(strip_conditional_prefix(&stmt)) {
            Ok(schema) => self.catalog.define(schema, !view_stand_in).map(|table| {
                let name = table.name();
                self.versioned.retain(|n| n != name);
                if versioned {
                    self.versioned.push(name.clone());
                }
                self.define_export(table.schema_arc());
            }),
            Err(reason) => self
                .catalog
                .define_unreadable(create_table_name(strip_conditional_prefix(&stmt)), &reason),
        };
        self.header_target = None;
        if let Err(problems) = result {
            self.plan_problem(at, problems);
        }
        Ok(())
    }

    /// `SET NAMES name`: the values of the INSERTs after it are in that
    /// charset (mysqldump's `--default-character-set`). A charset whose
    /// strings cannot be read safely is an error at the statement.
    fn set_names(&mut self, word: &[u8], first: usize) -> Result<(), ChunkerError> {
        let name: String = word
            .iter()
            .skip_while(|&&b| matches!(b, b'\'' | b'"' | b'`'))
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .map(|&b| char::from(b))
            .collect();
        if name.eq_ignore_ascii_case("DEFAULT") || name.is_empty() {
            return Ok(());
        }
        match ConnectionCharset::of(&name) {
            Ok(c) => {
                self.connection = c;
                // A cached INSERT target was made for the previous charset.
                self.header_target = None;
                Ok(())
            }
            Err(m) => Err(self.error_at(self.base + first as u64, ChunkerErrorKind::Syntax(m))),
        }
    }

    /// Record problems of the rules with the dump. Nothing is emitted from
    /// here on (the run has failed), but the input is read to its end so that
    /// every problem is reported at once.
    fn plan_problem(&mut self, at: u64, problems: Vec<PlanProblem>) {
        if self.plan_error.is_none() {
            self.plan_cut = Some(self.stmt_start);
            self.plan_error = Some(self.error_at(at, ChunkerErrorKind::Plan(Vec::new())));
        }
        if let Some(ChunkerError {
            kind: ChunkerErrorKind::Plan(all),
            ..
        }) = &mut self.plan_error
        {
            // Every INSERT of a table repeats its problems: each is told once.
            for p in problems {
                if !all.contains(&p) {
                    all.push(p);
                }
            }
        }
    }

    /// A table's (new) definition: begin its export when it is selected.
    fn define_export(&mut self, schema: &Arc<crate::schema::TableSchema>) {
        let name = schema.name.clone();
        match &self.export {
            Some((config, options)) if config.selects(&name) => {
                let x = Arc::new(ExportTarget {
                    id: self.exported_tables,
                    schema: schema.clone(),
                    options: options.clone(),
                });
                self.exported_tables += 1;
                self.defines.push(x.clone());
                self.exported.insert(name, x);
            }
            _ => {
                self.exported.remove(&name);
            }
        }
    }

    fn insert_target(
        &mut self,
        first: usize,
        values: usize,
    ) -> Result<Arc<InsertTarget>, ChunkerError> {
        let header = &self.buf[first..values];
        if let Some(t) = &self.header_target {
            if self.header_cache == header {
                return Ok(t.clone());
            }
        }
        let at = self.base + first as u64;
        let parsed = parse_insert_header(header).map_err(|m| {
            self.error_at(
                at,
                ChunkerErrorKind::Syntax(format!("cannot read INSERT header: {m}")),
            )
        })?;
        let name = TableName {
            database: parsed.database.clone(),
            table: parsed.table.clone(),
        };
        let target = match self.catalog.rows_target(name) {
            Err(problems) => {
                self.plan_problem(at, problems);
                return Ok(Arc::new(InsertTarget::unknown(TableName::new(
                    None,
                    &parsed.table,
                ))));
            }
            Ok((name, Rows::Unknown)) => InsertTarget::unknown(name),
            Ok((name, Rows::Dropped(counter))) => InsertTarget {
                drop_rows: Some(counter),
                ..InsertTarget::unknown(name)
            },
            Ok((name, Rows::Bound(table))) => {
                let mut kept_after = 0;
                let listed = match &parsed.columns {
                    None => None,
                    Some(cols) => {
                        let mut idx = Vec::with_capacity(cols.len());
                        let mut missing = Vec::new();
                        if self.versioned.contains(&name) {
                            kept_after = history_columns(cols, table.schema());
                        }
                        for c in &cols[..cols.len() - kept_after] {
                            match table.schema().column_index(c) {
                                Some(i) => idx.push(i),
                                None => missing.push(
                                    PlanProblem::new(
                                        name.clone(),
                                        PlanProblemKind::NoSuchColumn,
                                        missing_column_message(c),
                                    )
                                    .with_column(c),
                                ),
                            }
                        }
                        if !missing.is_empty() {
                            self.plan_problem(at, missing);
                            return Ok(Arc::new(InsertTarget::unknown(name)));
                        }
                        Some(idx)
                    }
                };
                let mut target = InsertTarget::new(table, listed);
                target.kept_after = kept_after;
                match self.connection {
                    ConnectionCharset::Utf8 => {}
                    ConnectionCharset::ColumnBytes => target = target.in_column_charsets(),
                    ConnectionCharset::Legacy(codec) => {
                        target = target.in_connection_charset(codec)
                    }
                }
                target.export = self.exported.get(&name).cloned();
                target
            }
        };
        let target = Arc::new(target);
        self.header_cache.clear();
        self.header_cache
            .extend_from_slice(&self.buf[first..values]);
        self.header_target = Some(target.clone());
        Ok(target)
    }
}

/// How many of an INSERT's listed columns, at its end, are the implicit
/// `row_start` and `row_end` of a system-versioned table (`mariadb-dump
/// --dump-history` names them last; its `CREATE TABLE` does not declare
/// them): 2, or 0 when the list does not end so or the table declares them.
fn history_columns(cols: &[String], schema: &crate::schema::TableSchema) -> usize {
    match cols {
        [.., start, end]
            if start.eq_ignore_ascii_case("row_start")
                && end.eq_ignore_ascii_case("row_end")
                && schema.column_index(start).is_none()
                && schema.column_index(end).is_none() =>
        {
            2
        }
        _ => 0,
    }
}

/// True when a `CREATE TABLE` statement says `WITH SYSTEM VERSIONING`
/// (MariaDB; before its `PARTITION BY SYSTEM_TIME`, if any). Read in a
/// comment, it only lets an INSERT name `row_start` and `row_end` last,
/// whose values are then written as they are.
fn is_system_versioned(stmt: &[u8]) -> bool {
    const WORDS: &[u8] = b"WITH SYSTEM VERSIONING";
    stmt.windows(WORDS.len())
        .any(|w| w.eq_ignore_ascii_case(WORDS))
}

/// Why an INSERT's column list names a column its table lacks. MariaDB's
/// `--dump-history` names the implicit `row_start` and `row_end` columns of
/// a system-versioned table last ([`history_columns`]); anywhere else, or
/// for a table whose `CREATE TABLE` does not say `WITH SYSTEM VERSIONING`,
/// they are columns it lacks.
fn missing_column_message(column: &str) -> &'static str {
    if column.eq_ignore_ascii_case("row_start") || column.eq_ignore_ascii_case("row_end") {
        "the INSERT names this column, which its CREATE TABLE does not have (the history columns of `mariadb-dump --dump-history` are read last in the list of a table created WITH SYSTEM VERSIONING)"
    } else {
        "the INSERT names this column, which its CREATE TABLE does not have"
    }
}

/// True for a statement that gives a database account its password or
/// password hash (`CREATE [OR REPLACE] USER`, `ALTER USER` or `GRANT` with
/// `IDENTIFIED ... '...'`, `SET PASSWORD ... '...'`), as `mariadb-dump
/// --system=users` writes them: they pass through, and the summary says so.
fn holds_credentials(text: &[u8]) -> bool {
    let mut words = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let is = |w: Option<&[u8]>, k: &[u8]| w.is_some_and(|w| w.eq_ignore_ascii_case(k));
    let w1 = words.next();
    let mut w2 = words.next();
    if is(w1, b"CREATE") && is(w2, b"OR") && is(words.next(), b"REPLACE") {
        w2 = words.next();
    }
    let account = ((is(w1, b"CREATE") || is(w1, b"ALTER")) && is(w2, b"USER")) || is(w1, b"GRANT");
    let contains = |k: &[u8]| text.windows(k.len()).any(|w| w.eq_ignore_ascii_case(k));
    ((account && contains(b"IDENTIFIED")) || (is(w1, b"SET") && is(w2, b"PASSWORD")))
        && memchr::memchr(b'\'', text).is_some()
}

/// How much of the input's start is kept to see which tool made it.
const HEAD_BYTES: usize = 512;

/// The last line mysqldump and mariadb-dump write (unless `--skip-comments`,
/// which also drops their header).
const DUMP_COMPLETED: &[u8] = b"-- Dump completed";

/// True when one of the first lines is mysqldump's or mariadb-dump's header
/// (`-- MySQL dump 10.13 ...`, `-- MariaDB dump 10.19 ...`; newer MariaDB
/// writes a sandbox-mode comment line first).
fn made_by_dump_tool(head: &[u8]) -> bool {
    head.split(|&b| b == b'\n')
        .take(3)
        .any(|line| line.starts_with(b"-- MySQL dump ") || line.starts_with(b"-- MariaDB dump "))
}

/// `/*!50001 CREATE ...*/` -> `CREATE ...*/` (the parser ignores what follows `)`).
fn strip_conditional_prefix(text: &[u8]) -> &[u8] {
    let t = text.trim_ascii_start();
    let rest = t.strip_prefix(b"/*!").or_else(|| t.strip_prefix(b"/*M!"));
    match rest {
        Some(r) => {
            let digits = r.iter().take_while(|b| b.is_ascii_digit()).count();
            r[digits..].trim_ascii_start()
        }
        None => t,
    }
}

/// The table name of a `CREATE TABLE [IF NOT EXISTS] name` statement.
fn create_table_name(text: &[u8]) -> Option<String> {
    let mut rest = text.trim_ascii_start();
    for kw in [&b"CREATE"[..], b"TABLE"] {
        if rest.len() < kw.len() || !rest[..kw.len()].eq_ignore_ascii_case(kw) {
            return None;
        }
        rest = rest[kw.len()..].trim_ascii_start();
    }
    if rest.len() >= 13 && rest[..13].eq_ignore_ascii_case(b"IF NOT EXISTS") {
        rest = &rest[13..];
    }
    let (name, used) = parse_identifier(rest)?;
    if rest.get(used) == Some(&b'.') {
        return parse_identifier(&rest[used + 1..]).map(|(t, _)| t);
    }
    Some(name)
}
