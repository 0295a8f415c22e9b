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

use bytes::BytesMut;

use super::ExportConfig;
use crate::error::{Error, ErrorKind, Position};
use crate::rewrite::{count_newlines, Chunk, ExportTarget, InsertTarget, Piece};
use crate::rules::{Rules, TablePlan};
use crate::schema::{
    parse_create_table, parse_identifier, parse_insert_header, TableName, TableSchema,
};
use crate::tokenizer::sql::{Event, SplitError, Splitter, StatementKind};

/// What the chunker knows about one table.
#[derive(Debug)]
struct TableEntry {
    schema: Option<Arc<TableSchema>>,
    plan: Option<Arc<TablePlan>>,
    /// Index of the table's first column in the masked-value counters.
    counter_base: usize,
    /// Set when the table's rows are exported.
    export: Option<Arc<ExportTarget>>,
}

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
    Plan(Vec<String>),
    Io(std::io::Error),
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

/// Cuts a dump into chunks. See the module docs.
pub(crate) struct Chunker<'r, R> {
    reader: R,
    rules: &'r Rules,
    cfg: ChunkerConfig,
    splitter: Splitter,
    buf: BytesMut,
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
    database: Option<String>,
    tables: HashMap<TableName, TableEntry>,
    /// `table.column` per counter index.
    counter_names: Vec<String>,
    /// Tables in order of first appearance.
    seen: Vec<TableName>,
    statements: u64,
    header_cache: Vec<u8>,
    header_target: Option<Arc<InsertTarget>>,
    export: Option<(ExportConfig, Arc<crate::export::ExportOptions>)>,
    /// Exported tables defined since the last emitted chunk.
    defines: Vec<Arc<ExportTarget>>,
    exported_tables: usize,
}

#[derive(Debug)]
struct PendingInsert {
    target: Arc<InsertTarget>,
    /// Start of the not yet emitted tuples in `buf`.
    rows_start: usize,
    continuation: bool,
}

impl<'r, R: Read> Chunker<'r, R> {
    pub fn new(reader: R, rules: &'r Rules, cfg: ChunkerConfig) -> Self {
        Chunker {
            reader,
            rules,
            cfg,
            splitter: Splitter::new(),
            buf: BytesMut::with_capacity(cfg.chunk_size + cfg.read_size),
            base: 0,
            scanned: 0,
            stmt_start: 0,
            pieces: Vec::new(),
            insert: None,
            eof: false,
            done: false,
            failed: None,
            xml_checked: false,
            database: None,
            tables: HashMap::new(),
            counter_names: Vec::new(),
            seen: Vec::new(),
            statements: 0,
            header_cache: Vec::new(),
            header_target: None,
            export: None,
            defines: Vec::new(),
            exported_tables: 0,
        }
    }

    /// Also export the rows of the tables `config` selects.
    pub fn with_export(mut self, config: Option<&ExportConfig>) -> Self {
        self.export = config.map(|c| (c.clone(), Arc::new(c.options.clone())));
        self
    }

    /// Statements seen so far.
    pub fn statements(&self) -> u64 {
        self.statements
    }

    /// Tables seen (created or inserted into), in order of appearance.
    pub fn tables_seen(&self) -> &[TableName] {
        &self.seen
    }

    /// Schemas of the tables whose `CREATE TABLE` was read, in order of appearance.
    pub fn schemas(&self) -> Vec<TableSchema> {
        self.seen
            .iter()
            .filter_map(|n| self.tables.get(n)?.schema.as_deref().cloned())
            .collect()
    }

    /// `table.column` names of the masked-value counters.
    pub fn counter_names(&self) -> &[String] {
        &self.counter_names
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
        if self.done {
            return Ok(None);
        }
        match self.scan() {
            Ok(chunk) => Ok(chunk),
            Err(e) => {
                // Emit what is complete before the error first, so that its
                // rows are checked too: the first error in input order is
                // reported, whatever the chunk size.
                self.done = true;
                // The splitter may have passed tuple ends in the push that
                // failed; those bytes were scanned.
                if let Some(end) = self.splitter.statement().last_tuple_end {
                    let end = (end.saturating_sub(self.base) as usize).min(self.buf.len());
                    self.scanned = self.scanned.max(end);
                }
                match self.cut() {
                    Some(chunk) => {
                        // The error's line is now counted from after this chunk.
                        let mut e = e;
                        e.lines_before -= count_newlines(&chunk.data).min(e.lines_before);
                        self.failed = Some(e);
                        Ok(Some(chunk))
                    }
                    None => Err(e),
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
            match event {
                Event::NeedMore => {}
                Event::ValuesStart => self.values_start()?,
                Event::TupleEnd => {}
                Event::StatementEnd => self.statement_end()?,
            }
        }
    }

    fn fill(&mut self) -> Result<(), ChunkerError> {
        let len = self.buf.len();
        self.buf.resize(len + self.cfg.read_size, 0);
        loop {
            match self.reader.read(&mut self.buf[len..]) {
                Ok(0) => {
                    self.eof = true;
                    self.buf.truncate(len);
                    return self.check_not_xml();
                }
                Ok(n) => {
                    self.buf.truncate(len + n);
                    return self.check_not_xml();
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(len);
                    let at = self.base + len as u64;
                    return Err(self.error_at(at, ChunkerErrorKind::Io(e)));
                }
            }
        }
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

    /// Cut the pending bytes where the state allows, if anywhere.
    fn cut(&mut self) -> Option<Chunk> {
        // Cut as late as the state allows, so that little is left to move to
        // the front of the buffer: after the last complete tuple of the
        // INSERT being scanned, else after the last complete statement.
        if let Some(insert) = self.insert.as_mut() {
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
                    continuation: insert.continuation,
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
        let data = self.buf.split_to(len).freeze();
        let offset = self.base;
        self.base += len as u64;
        self.scanned -= len;
        self.stmt_start -= len;
        if let Some(insert) = &mut self.insert {
            insert.rows_start -= len;
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
        let values = self.local(info.values_start.expect("ValuesStart sets values_start"));
        let target = self.insert_target(first, values)?;
        self.insert = Some(PendingInsert {
            target,
            rows_start: values,
            continuation: false,
        });
        Ok(())
    }

    fn statement_end(&mut self) -> Result<(), ChunkerError> {
        self.statements += 1;
        let info = *self.splitter.statement();
        let end = self.scanned;
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
                    continuation: insert.continuation,
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
        if w1.eq_ignore_ascii_case(b"USE") {
            let rest = &text[3..];
            if let Some((db, _)) = parse_identifier(rest) {
                self.database = Some(db);
            }
            return Ok(());
        }
        if !w1.eq_ignore_ascii_case(b"CREATE") {
            return Ok(());
        }
        let mut w2 = words.next().unwrap_or_default();
        if w2.eq_ignore_ascii_case(b"TEMPORARY") || w2.eq_ignore_ascii_case(b"OR") {
            return Ok(());
        }
        if !w2.eq_ignore_ascii_case(b"TABLE") {
            // `CREATE /*!... */ TABLE` does not occur; views, routines and
            // databases carry no rows.
            w2 = b"";
        }
        if w2.is_empty() {
            return Ok(());
        }
        let at = self.base + first as u64;
        let stmt = self.buf[first..end].to_vec();
        let parsed = parse_create_table(strip_conditional_prefix(&stmt));
        match parsed {
            Ok(mut schema) => {
                if schema.name.database.is_none() {
                    schema.name.database = self.database.clone();
                }
                // `/*!50001 CREATE TABLE ...*/` is mysqldump's stand-in for a
                // view (MySQL 5.x): it never holds rows, so no rule applies.
                let view_stand_in = self.buf[first..end].trim_ascii_start().starts_with(b"/*!");
                self.define_table(schema, at, !view_stand_in)
            }
            Err(reason) => {
                // We could not read the columns. That is only acceptable when
                // no rule can apply to the table.
                let name = create_table_name(text).map(|t| TableName {
                    database: self.database.clone(),
                    table: t,
                });
                let must_know =
                    self.rules.strict() || name.as_ref().is_none_or(|n| self.rules.names_table(n));
                if must_know {
                    return Err(self.error_at(
                        at,
                        ChunkerErrorKind::Plan(vec![format!(
                            "cannot read CREATE TABLE {}: {reason}",
                            name.map_or_else(|| "(unnamed)".to_owned(), |n| n.to_string())
                        )]),
                    ));
                }
                if let Some(name) = name {
                    self.note_table(&name);
                    self.tables.insert(
                        name,
                        TableEntry {
                            schema: None,
                            plan: None,
                            counter_base: 0,
                            export: None,
                        },
                    );
                }
                Ok(())
            }
        }
    }

    /// The table an INSERT names. When one side is qualified and the other
    /// is not (`CREATE TABLE db.t` without `USE`, then `INSERT INTO t`, as
    /// some tools write), the only known table of that name is meant.
    fn resolve_table(&self, name: TableName) -> TableName {
        if self.tables.contains_key(&name) {
            return name;
        }
        let mut same = self
            .tables
            .keys()
            .filter(|k| k.table == name.table && (k.database.is_none() || name.database.is_none()));
        match (same.next(), same.next()) {
            (Some(only), None) => only.clone(),
            _ => name,
        }
    }

    fn note_table(&mut self, name: &TableName) {
        if !self.seen.contains(name) {
            self.seen.push(name.clone());
        }
    }

    fn define_table(
        &mut self,
        schema: TableSchema,
        at: u64,
        bind: bool,
    ) -> Result<(), ChunkerError> {
        let plan = if bind {
            self.rules
                .bind(&schema)
                .map_err(|problems| self.error_at(at, ChunkerErrorKind::Plan(problems)))?
        } else {
            None
        };
        let counter_base = self.counter_names.len();
        for c in &schema.columns {
            self.counter_names
                .push(format!("{}.{}", schema.name, c.name));
        }
        let name = schema.name.clone();
        self.note_table(&name);
        let schema = Arc::new(schema);
        let export = match &self.export {
            Some((config, options)) if config.selects(&name) => {
                let x = Arc::new(ExportTarget {
                    id: self.exported_tables,
                    schema: schema.clone(),
                    options: options.clone(),
                });
                self.exported_tables += 1;
                self.defines.push(x.clone());
                Some(x)
            }
            _ => None,
        };
        self.tables.insert(
            name,
            TableEntry {
                schema: Some(schema),
                plan: plan.map(Arc::new),
                counter_base,
                export,
            },
        );
        self.header_target = None;
        Ok(())
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
            database: parsed.database.clone().or_else(|| self.database.clone()),
            table: parsed.table.clone(),
        };
        let name = self.resolve_table(name);
        self.note_table(&name);
        let target = match self.tables.get(&name).filter(|e| e.schema.is_some()) {
            None => {
                if self.rules.strict() || self.rules.names_table(&name) {
                    return Err(self.error_at(
                        at,
                        ChunkerErrorKind::Plan(vec![format!(
                            "rows for table {name} come before (or without) its CREATE TABLE, so its columns are unknown"
                        )]),
                    ));
                }
                InsertTarget::passthrough(name)
            }
            Some(entry) => {
                let schema = entry.schema.as_ref().expect("filtered");
                let columns: Vec<_> = schema
                    .columns
                    .iter()
                    .map(|c| (Arc::<str>::from(c.name.as_str()), c.ty.clone(), c.generated))
                    .collect();
                let listed = match &parsed.columns {
                    None => None,
                    Some(cols) => {
                        let mut idx = Vec::with_capacity(cols.len());
                        for c in cols {
                            match schema.column_index(c) {
                                Some(i) => idx.push(i),
                                None => {
                                    return Err(self.error_at(
                                        at,
                                        ChunkerErrorKind::Plan(vec![format!(
                                            "INSERT into {name} names column `{c}`, which its CREATE TABLE does not have"
                                        )]),
                                    ))
                                }
                            }
                        }
                        Some(idx)
                    }
                };
                let mut target = InsertTarget::new(
                    name,
                    &columns,
                    listed.as_deref(),
                    entry.plan.as_deref(),
                    entry.counter_base,
                );
                target.export = entry.export.clone();
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
