//! The TSV tokenizer: a push state machine over the text format of
//! `LOAD DATA INFILE`, `SELECT ... INTO OUTFILE` and `mysqldump --tab`.
//!
//! This module owns the format: [`TsvDialect`] (the `FIELDS` / `LINES`
//! options, checked by [`TsvDialectBuilder::build`]), [`Tokenizer`] (field and
//! row boundaries, resumable at any byte), [`unescape_into`] /
//! [`encode_field`] (a field's bytes to raw bytes and back), and
//! [`split_all`], a slow whole-input reference splitter for tests. It owns no
//! I/O and no threads, and never allocates per field; masking lives in
//! [`crate::tsv`].
//!
//! Reading follows MySQL's `LOAD DATA` (`sql_load.cc`):
//! - At each byte, in this order: the escape character takes the next byte
//!   whatever it is; the line terminator ends the row; the field terminator
//!   ends the field. Terminators may be several bytes (`\r\n`, `||`); a byte
//!   that starts one but is not followed by the rest is an ordinary byte.
//! - A field that *starts* with the enclosure character is enclosed: inside
//!   it, terminators are ordinary bytes; a doubled enclosure character is one
//!   such character; the enclosure character ends the field only when followed
//!   by a terminator or the end of input, and is an ordinary byte otherwise.
//!   `OPTIONALLY ENCLOSED BY` reads the same as `ENCLOSED BY`.
//! - Escapes: `\0 \b \n \r \t \Z` are NUL, backspace, newline, carriage
//!   return, tab and 0x1A; any other escaped byte is itself (so `\\`, an
//!   escaped terminator or enclosure byte, and a backslash followed by a real
//!   newline byte, which `mysqldump --tab` writes, are that byte).
//! - NULL: a field that is exactly `\N` (escape, `N`), enclosed or not; and,
//!   when an enclosure is configured, an unenclosed field that is exactly the
//!   word `NULL`. `\N` inside a longer field is just `N`.
//! - A final row without a line terminator is a row (MySQL accepts it); a row
//!   that ends right after a field terminator has a last, empty field. An
//!   input that ends inside an enclosed field or right after an escape
//!   character is an error (truncated file).
//!
//! Offsets are absolute: bytes since the tokenizer was created (plus the base
//! given to [`Tokenizer::with_offset`]). A byte that may start a terminator is
//! not consumed until enough bytes follow to decide (at most the terminator's
//! length): on [`Event::NeedMore`] the caller pushes the unconsumed rest again
//! with more input after it, or with `eof = true` when there is no more.

use std::ops::Range;

/// The `FIELDS` and `LINES` options of a TSV file. Build with [`TsvDialect::builder`].
#[derive(Clone, PartialEq, Eq)]
pub struct TsvDialect {
    field_term: Vec<u8>,
    line_term: Vec<u8>,
    enclosure: Option<u8>,
    optionally: bool,
    escape: Option<u8>,
    /// Per byte: [`ESC`], [`FT`], [`LT`], [`ENC`], [`OUT`] bits.
    class: [u8; 256],
}

/// The escape character.
const ESC: u8 = 1;
/// First byte of the field terminator.
const FT: u8 = 2;
/// First byte of the line terminator.
const LT: u8 = 4;
/// The enclosure character.
const ENC: u8 = 8;
/// Must be escaped when a value is written (with an escape character).
const OUT: u8 = 16;

impl std::fmt::Debug for TsvDialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TsvDialect")
            .field(
                "fields_terminated_by",
                &self.field_term.escape_ascii().to_string(),
            )
            .field(
                "lines_terminated_by",
                &self.line_term.escape_ascii().to_string(),
            )
            .field("enclosure", &self.enclosure.map(|b| b as char))
            .field("optionally", &self.optionally)
            .field("escape", &self.escape.map(|b| b as char))
            .finish()
    }
}

impl Default for TsvDialect {
    /// MySQL's defaults: fields end with a tab, lines with `\n`, escape `\`, no enclosure.
    fn default() -> Self {
        TsvDialect::builder()
            .build()
            .expect("the default dialect is valid")
    }
}

impl TsvDialect {
    /// A builder starting from MySQL's defaults.
    pub fn builder() -> TsvDialectBuilder {
        TsvDialectBuilder::default()
    }

    /// `FIELDS TERMINATED BY`.
    pub fn field_terminator(&self) -> &[u8] {
        &self.field_term
    }

    /// `LINES TERMINATED BY`.
    pub fn line_terminator(&self) -> &[u8] {
        &self.line_term
    }

    /// `FIELDS [OPTIONALLY] ENCLOSED BY`, if any.
    pub fn enclosure(&self) -> Option<u8> {
        self.enclosure
    }

    /// True for `OPTIONALLY ENCLOSED BY` (only string values are enclosed on output).
    pub fn optionally_enclosed(&self) -> bool {
        self.optionally
    }

    /// `FIELDS ESCAPED BY`, if any.
    pub fn escape(&self) -> Option<u8> {
        self.escape
    }
}

/// Builds a [`TsvDialect`]; every option defaults to MySQL's default.
#[derive(Debug, Clone)]
pub struct TsvDialectBuilder {
    field_term: Vec<u8>,
    line_term: Vec<u8>,
    enclosure: Vec<u8>,
    optionally: bool,
    escape: Vec<u8>,
}

impl Default for TsvDialectBuilder {
    fn default() -> Self {
        TsvDialectBuilder {
            field_term: b"\t".to_vec(),
            line_term: b"\n".to_vec(),
            enclosure: Vec::new(),
            optionally: false,
            escape: b"\\".to_vec(),
        }
    }
}

/// Bytes that have a meaning after the escape character: a terminator or
/// enclosure starting with one could not be escaped unambiguously.
const ESCAPE_LETTERS: &[u8] = b"0bnrtZN";

impl TsvDialectBuilder {
    /// `FIELDS TERMINATED BY` (one or more bytes; default tab).
    pub fn fields_terminated_by(mut self, term: &[u8]) -> Self {
        self.field_term = term.to_vec();
        self
    }

    /// `FIELDS ENCLOSED BY` (one byte, or empty for none; the default).
    pub fn fields_enclosed_by(mut self, enclosure: &[u8]) -> Self {
        self.enclosure = enclosure.to_vec();
        self.optionally = false;
        self
    }

    /// `FIELDS OPTIONALLY ENCLOSED BY` (one byte, or empty for none).
    pub fn fields_optionally_enclosed_by(mut self, enclosure: &[u8]) -> Self {
        self.enclosure = enclosure.to_vec();
        self.optionally = true;
        self
    }

    /// `FIELDS ESCAPED BY` (one byte, or empty for no escaping; default `\`).
    pub fn fields_escaped_by(mut self, escape: &[u8]) -> Self {
        self.escape = escape.to_vec();
        self
    }

    /// `LINES TERMINATED BY` (one or more bytes; default `\n`).
    pub fn lines_terminated_by(mut self, term: &[u8]) -> Self {
        self.line_term = term.to_vec();
        self
    }

    /// Check the options together; every problem is listed in the message.
    pub fn build(self) -> Result<TsvDialect, String> {
        let mut problems = Vec::new();
        if self.field_term.is_empty() {
            problems.push(
                "the field terminator must not be empty (fixed-width rows are not supported)"
                    .to_owned(),
            );
        }
        if self.line_term.is_empty() {
            problems.push("the line terminator must not be empty".to_owned());
        }
        if self.enclosure.len() > 1 {
            problems.push("the enclosure must be a single byte or empty".to_owned());
        }
        if self.escape.len() > 1 {
            problems.push("the escape character must be a single byte or empty".to_owned());
        }
        let enclosure = self.enclosure.first().copied();
        let escape = self.escape.first().copied();
        if !self.field_term.is_empty() && self.field_term == self.line_term {
            problems.push("the field and line terminators must differ".to_owned());
        }
        if !self.line_term.is_empty() && self.field_term.starts_with(&self.line_term) {
            problems.push(
                "the line terminator must not be a prefix of the field terminator".to_owned(),
            );
        }
        if let Some(e) = escape {
            if Some(e) == enclosure {
                problems.push(
                    "the escape character must differ from the enclosure (use an empty escape character to read doubled enclosures only)"
                        .to_owned(),
                );
            }
            for (what, first) in [
                ("field terminator", self.field_term.first()),
                ("line terminator", self.line_term.first()),
                ("enclosure", enclosure.as_ref()),
            ] {
                let Some(&b) = first else { continue };
                if b == e && what != "enclosure" {
                    problems.push(format!(
                        "the {what} must not start with the escape character"
                    ));
                }
                if ESCAPE_LETTERS.contains(&b) {
                    problems.push(format!(
                        "the {what} must not start with one of `0 b n r t Z N` (escaped, those bytes mean something else)"
                    ));
                }
            }
        }
        if let Some(q) = enclosure {
            for (what, term) in [
                ("field terminator", &self.field_term),
                ("line terminator", &self.line_term),
            ] {
                if term.first() == Some(&q) {
                    problems.push(format!("the {what} must not start with the enclosure"));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        let mut class = [0u8; 256];
        class[0] |= OUT;
        if let Some(e) = escape {
            class[e as usize] |= ESC | OUT;
        }
        if let Some(q) = enclosure {
            class[q as usize] |= ENC | OUT;
        }
        class[self.field_term[0] as usize] |= FT | OUT;
        class[self.line_term[0] as usize] |= LT | OUT;
        Ok(TsvDialect {
            field_term: self.field_term,
            line_term: self.line_term,
            enclosure,
            optionally: self.optionally,
            escape,
            class,
        })
    }
}

/// One field, as reported by [`Tokenizer::feed`] and [`split_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's bytes (absolute offsets), inside the enclosure when enclosed.
    pub span: Range<u64>,
    /// Offset just after the field's terminator (or the end of input).
    pub next: u64,
    /// The field ends its row (line terminator or end of input).
    pub row_end: bool,
    /// The field was enclosed (`span` excludes the enclosure characters).
    pub enclosed: bool,
    /// The bytes hold an escape sequence or a doubled enclosure: decode them
    /// with [`unescape_into`]. Otherwise they are the raw value.
    pub escaped: bool,
    /// The field is NULL (`\N`, or the bare word `NULL` with an enclosure configured).
    pub null: bool,
}

impl Field {
    /// The field's whole extent (absolute), enclosure characters included,
    /// terminator excluded: what a replacement value overwrites.
    pub fn extent(&self) -> Range<u64> {
        if self.enclosed {
            self.span.start - 1..self.span.end + 1
        } else {
            self.span.clone()
        }
    }
}

/// What [`Tokenizer::feed`] found; returned with the number of bytes consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Push more input (the unconsumed rest first), or push it with `eof = true`.
    NeedMore,
    /// A field ended (with [`Tokenizer::report_fields`] off, only row ends).
    Field(Field),
    /// The input ended after a complete row (only with `eof = true`).
    End,
}

/// A malformed (truncated) input. Never contains input bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsvError {
    /// Absolute offset where the problem was found (the end of input for truncation).
    pub offset: u64,
    /// What is wrong.
    pub message: &'static str,
    /// True when the input ended too early.
    pub eof: bool,
}

const EOF_ENCLOSED: &str = "an enclosed field";
const EOF_ESCAPE: &str = "an escape sequence (the input ends right after the escape character)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the first byte of a field.
    FieldStart,
    /// Inside an unenclosed field.
    Plain,
    /// Inside an enclosed field.
    Enclosed,
}

enum Term {
    Match,
    NoMatch,
    NeedMore,
}

#[inline]
fn match_term(term: &[u8], avail: &[u8], eof: bool) -> Term {
    if avail.len() >= term.len() {
        if avail.starts_with(term) {
            Term::Match
        } else {
            Term::NoMatch
        }
    } else if !eof && term.starts_with(avail) {
        Term::NeedMore
    } else {
        Term::NoMatch
    }
}

/// The push tokenizer. See the module docs.
#[derive(Debug, Clone)]
pub struct Tokenizer<'d> {
    d: &'d TsvDialect,
    /// Absolute offset of the next byte to be pushed.
    pos: u64,
    state: State,
    field_start: u64,
    escaped: bool,
    /// The field starts with escape + `N`.
    esc_n: bool,
    /// Some field of the current row has started.
    row_open: bool,
    /// The first bytes of the current field seen in earlier pushes (for `NULL`).
    head: [u8; 4],
    head_len: u8,
    report_fields: bool,
    done: bool,
}

impl<'d> Tokenizer<'d> {
    /// A tokenizer at offset 0 that reports every field.
    pub fn new(dialect: &'d TsvDialect) -> Self {
        Tokenizer::with_offset(dialect, 0)
    }

    /// A tokenizer whose first byte is at absolute offset `base` (a chunk that
    /// starts at a row boundary).
    pub fn with_offset(dialect: &'d TsvDialect, base: u64) -> Self {
        Tokenizer {
            d: dialect,
            pos: base,
            state: State::FieldStart,
            field_start: base,
            escaped: false,
            esc_n: false,
            row_open: false,
            head: [0; 4],
            head_len: 0,
            report_fields: true,
            done: false,
        }
    }

    /// Report every field (the default), or only the last field of each row.
    pub fn report_fields(&mut self, yes: bool) {
        self.report_fields = yes;
    }

    /// Absolute offset of the next byte to push.
    pub fn offset(&self) -> u64 {
        self.pos
    }

    /// True between rows (at the start of the input or just after a line terminator).
    pub fn at_row_start(&self) -> bool {
        self.state == State::FieldStart && !self.row_open
    }

    /// Push `input` (its first byte is at [`Tokenizer::offset`]); `eof`: no
    /// byte follows it. Returns the event and how many bytes were consumed.
    pub fn feed(&mut self, input: &[u8], eof: bool) -> Result<(Event, usize), TsvError> {
        let d = self.d;
        let class = &d.class;
        let mut i = 0usize;
        loop {
            match self.state {
                State::FieldStart => {
                    if i == input.len() {
                        if !eof {
                            return Ok(self.consumed(Event::NeedMore, input, i));
                        }
                        if self.row_open {
                            // The row ended with a field terminator: a last, empty field.
                            let at = self.pos + i as u64;
                            self.field_start = at;
                            self.escaped = false;
                            self.esc_n = false;
                            self.head_len = 0;
                            return Ok(self.end_field(input, i, at, at, true));
                        }
                        self.done = true;
                        return Ok(self.consumed(Event::End, input, i));
                    }
                    self.row_open = true;
                    self.escaped = false;
                    self.esc_n = false;
                    self.head_len = 0;
                    if class[input[i] as usize] & ENC != 0 {
                        i += 1;
                        self.field_start = self.pos + i as u64;
                        self.state = State::Enclosed;
                    } else {
                        self.field_start = self.pos + i as u64;
                        self.state = State::Plain;
                    }
                }
                State::Plain => {
                    if !self.report_fields && d.enclosure.is_none() {
                        // Rows only and no enclosure (the chunker on `--tab`
                        // data): field terminators change nothing, so jump
                        // to the next escape or line terminator at memchr
                        // speed instead of stopping at every field.
                        let rest = &input[i..];
                        let lt = d.line_term[0];
                        let hit = match d.escape {
                            Some(e) => memchr::memchr2(e, lt, rest),
                            None => memchr::memchr(lt, rest),
                        };
                        i = hit.map_or(input.len(), |k| i + k);
                    }
                    while i < input.len() && class[input[i] as usize] & (ESC | FT | LT) == 0 {
                        i += 1;
                    }
                    if i == input.len() {
                        if !eof {
                            return Ok(self.consumed(Event::NeedMore, input, i));
                        }
                        let at = self.pos + i as u64;
                        return Ok(self.end_field(input, i, at, at, true));
                    }
                    let b = input[i];
                    let c = class[b as usize];
                    if c & ESC != 0 {
                        if i + 1 == input.len() {
                            if eof {
                                return Err(self.eof_error(input.len(), EOF_ESCAPE));
                            }
                            return Ok(self.consumed(Event::NeedMore, input, i));
                        }
                        if self.pos + i as u64 == self.field_start && input[i + 1] == b'N' {
                            self.esc_n = true;
                        }
                        self.escaped = true;
                        i += 2;
                        continue;
                    }
                    if c & LT != 0 {
                        match match_term(&d.line_term, &input[i..], eof) {
                            Term::Match => {
                                let at = self.pos + i as u64;
                                let next = at + d.line_term.len() as u64;
                                return Ok(self.end_field(
                                    input,
                                    i + d.line_term.len(),
                                    at,
                                    next,
                                    true,
                                ));
                            }
                            Term::NeedMore => {
                                return Ok(self.consumed(Event::NeedMore, input, i));
                            }
                            Term::NoMatch => {}
                        }
                    }
                    if c & FT != 0 {
                        match match_term(&d.field_term, &input[i..], eof) {
                            Term::Match => {
                                let at = self.pos + i as u64;
                                let next = at + d.field_term.len() as u64;
                                i += d.field_term.len();
                                if self.report_fields {
                                    return Ok(self.end_field(input, i, at, next, false));
                                }
                                self.state = State::FieldStart;
                                continue;
                            }
                            Term::NeedMore => {
                                return Ok(self.consumed(Event::NeedMore, input, i));
                            }
                            Term::NoMatch => {}
                        }
                    }
                    i += 1;
                }
                State::Enclosed => {
                    while i < input.len() && class[input[i] as usize] & (ESC | ENC) == 0 {
                        i += 1;
                    }
                    if i == input.len() {
                        if eof {
                            return Err(self.eof_error(input.len(), EOF_ENCLOSED));
                        }
                        return Ok(self.consumed(Event::NeedMore, input, i));
                    }
                    if class[input[i] as usize] & ESC != 0 {
                        if i + 1 == input.len() {
                            if eof {
                                return Err(self.eof_error(input.len(), EOF_ESCAPE));
                            }
                            return Ok(self.consumed(Event::NeedMore, input, i));
                        }
                        if self.pos + i as u64 == self.field_start && input[i + 1] == b'N' {
                            self.esc_n = true;
                        }
                        self.escaped = true;
                        i += 2;
                        continue;
                    }
                    // The enclosure character: doubled, closing, or an ordinary byte.
                    let at = self.pos + i as u64;
                    let rest = &input[i + 1..];
                    let Some(&after) = rest.first() else {
                        if eof {
                            return Ok(self.end_field(input, i + 1, at, at + 1, true));
                        }
                        return Ok(self.consumed(Event::NeedMore, input, i));
                    };
                    if class[after as usize] & ENC != 0 {
                        self.escaped = true;
                        i += 2;
                        continue;
                    }
                    if class[after as usize] & LT != 0 {
                        match match_term(&d.line_term, rest, eof) {
                            Term::Match => {
                                let n = 1 + d.line_term.len();
                                return Ok(self.end_field(input, i + n, at, at + n as u64, true));
                            }
                            Term::NeedMore => {
                                return Ok(self.consumed(Event::NeedMore, input, i));
                            }
                            Term::NoMatch => {}
                        }
                    }
                    if class[after as usize] & FT != 0 {
                        match match_term(&d.field_term, rest, eof) {
                            Term::Match => {
                                let n = 1 + d.field_term.len();
                                if self.report_fields {
                                    return Ok(self.end_field(
                                        input,
                                        i + n,
                                        at,
                                        at + n as u64,
                                        false,
                                    ));
                                }
                                i += n;
                                self.state = State::FieldStart;
                                continue;
                            }
                            Term::NeedMore => {
                                return Ok(self.consumed(Event::NeedMore, input, i));
                            }
                            Term::NoMatch => {}
                        }
                    }
                    i += 1;
                }
            }
        }
    }

    /// Consume `input[..used]` and return `event`. Keeps the first bytes of
    /// an unfinished field for the `NULL` word check.
    fn consumed(&mut self, event: Event, input: &[u8], used: usize) -> (Event, usize) {
        if self.state == State::Plain && self.d.enclosure.is_some() && self.head_len < 4 {
            let start = self.field_start.saturating_sub(self.pos) as usize;
            for &b in input[start.min(used)..used].iter() {
                if self.head_len == 4 {
                    break;
                }
                self.head[self.head_len as usize] = b;
                self.head_len += 1;
            }
        }
        self.pos += used as u64;
        (event, used)
    }

    /// Finish the current field: its bytes end at `end`; the input is consumed
    /// up to `used`, which is absolute offset `next`.
    fn end_field(
        &mut self,
        input: &[u8],
        used: usize,
        end: u64,
        next: u64,
        row_end: bool,
    ) -> (Event, usize) {
        let enclosed = self.state == State::Enclosed;
        let len = end - self.field_start;
        let mut null = self.esc_n && len == 2;
        if !null && !enclosed && len == 4 && self.d.enclosure.is_some() {
            // The bare word NULL: its first bytes may have come in earlier pushes.
            let mut word = [0u8; 4];
            let k = self.head_len as usize;
            word[..k].copy_from_slice(&self.head[..k]);
            if k < 4 {
                let from = (self.field_start + k as u64 - self.pos) as usize;
                word[k..].copy_from_slice(&input[from..from + 4 - k]);
            }
            null = &word == b"NULL";
        }
        let field = Field {
            span: self.field_start..end,
            next,
            row_end,
            enclosed,
            escaped: self.escaped,
            null,
        };
        self.state = State::FieldStart;
        if row_end {
            self.row_open = false;
        }
        self.head_len = 0;
        self.pos += used as u64;
        (Event::Field(field), used)
    }

    fn eof_error(&self, len: usize, inside: &'static str) -> TsvError {
        TsvError {
            offset: self.pos + len as u64,
            message: inside,
            eof: true,
        }
    }
}

/// Decode a field's bytes (`span` of a [`Field`] with `escaped`) to raw bytes, appended to `out`.
pub fn unescape_into(d: &TsvDialect, body: &[u8], enclosed: bool, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if Some(b) == d.escape && i + 1 < body.len() {
            out.push(match body[i + 1] {
                b'0' => 0,
                b'b' => 8,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'Z' => 0x1A,
                other => other,
            });
            i += 2;
        } else if enclosed && Some(b) == d.enclosure && body.get(i + 1) == Some(&b) {
            out.push(b);
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
}

/// Append a whole field (enclosure included, terminator excluded) holding
/// `raw` (`None`: NULL) to `out`, written so that it reads back as `raw`.
///
/// With an escape character: the escape character, the enclosure, the first
/// byte of each terminator and NUL (as `\0`) are escaped, NULL is `\N`.
/// `enclose` asks for enclosure characters (when the dialect has them); a
/// value that would read back as NULL (`NULL` unenclosed) is enclosed anyway.
/// Without an escape character, a value holding the first byte of a
/// terminator must be enclosed, and NULL is the bare word `NULL`; when the dialect cannot
/// express the value the error says why (never the value).
pub fn encode_field(
    d: &TsvDialect,
    raw: Option<&[u8]>,
    enclose: bool,
    out: &mut Vec<u8>,
) -> Result<(), &'static str> {
    let Some(raw) = raw else {
        match (d.escape, d.enclosure) {
            (Some(e), _) => out.extend_from_slice(&[e, b'N']),
            (None, Some(_)) => out.extend_from_slice(b"NULL"),
            (None, None) => return Err(
                "NULL cannot be written in a dialect without an escape character or an enclosure",
            ),
        }
        return Ok(());
    };
    let mut enclose = enclose && d.enclosure.is_some();
    if !enclose && d.enclosure.is_some() && raw == b"NULL" {
        enclose = true;
    }
    let Some(e) = d.escape else {
        // Conservative: a terminator's first byte anywhere (it could combine
        // with the next bytes, or the terminator after the value, into one).
        let ambiguous = raw.iter().any(|&b| d.class[b as usize] & (FT | LT) != 0)
            || (d.enclosure.is_some() && raw.first().copied() == d.enclosure);
        if ambiguous && !enclose {
            if d.enclosure.is_none() {
                return Err("a masked value holds a terminator, which this dialect (no escape character, no enclosure) cannot express");
            }
            enclose = true;
        }
        if enclose {
            let q = d.enclosure.expect("checked above");
            out.push(q);
            for &b in raw {
                out.push(b);
                if b == q {
                    out.push(q);
                }
            }
            out.push(q);
        } else {
            out.extend_from_slice(raw);
        }
        return Ok(());
    };
    if enclose {
        out.push(d.enclosure.expect("checked above"));
    }
    out.reserve(raw.len() + 2);
    let mut start = 0;
    for (i, &b) in raw.iter().enumerate() {
        if d.class[b as usize] & OUT == 0 {
            continue;
        }
        out.extend_from_slice(&raw[start..i]);
        out.push(e);
        out.push(if b == 0 { b'0' } else { b });
        start = i + 1;
    }
    out.extend_from_slice(&raw[start..]);
    if enclose {
        out.push(d.enclosure.expect("checked above"));
    }
    Ok(())
}

/// The slow reference splitter (for tests): every field of a whole input,
/// found by looking ahead in the slice, without states.
pub fn split_all(d: &TsvDialect, input: &[u8]) -> Result<Vec<Field>, TsvError> {
    let n = input.len();
    let at = |i: usize, t: &[u8]| input[i..].starts_with(t);
    let trunc = |message| TsvError {
        offset: n as u64,
        message,
        eof: true,
    };
    let null_of = |s: usize, e: usize, enclosed: bool| {
        let body = &input[s..e];
        (d.escape.is_some() && body.len() == 2 && body[0] == d.escape.unwrap() && body[1] == b'N')
            || (d.enclosure.is_some() && !enclosed && body == b"NULL")
    };
    let mut fields = Vec::new();
    let mut i = 0;
    if n == 0 {
        return Ok(fields);
    }
    loop {
        let mut escaped = false;
        // (content start, content end, next, row_end)
        let (s, e, next, row_end, enclosed);
        if d.enclosure.is_some() && i < n && Some(input[i]) == d.enclosure {
            enclosed = true;
            let q = input[i];
            s = i + 1;
            let mut j = s;
            loop {
                if j >= n {
                    return Err(trunc(EOF_ENCLOSED));
                }
                if Some(input[j]) == d.escape {
                    if j + 1 >= n {
                        return Err(trunc(EOF_ESCAPE));
                    }
                    escaped = true;
                    j += 2;
                } else if input[j] == q {
                    if j + 1 == n {
                        (e, next, row_end) = (j, n, true);
                        break;
                    } else if input[j + 1] == q {
                        escaped = true;
                        j += 2;
                    } else if at(j + 1, &d.line_term) {
                        (e, next, row_end) = (j, j + 1 + d.line_term.len(), true);
                        break;
                    } else if at(j + 1, &d.field_term) {
                        (e, next, row_end) = (j, j + 1 + d.field_term.len(), false);
                        break;
                    } else {
                        j += 1;
                    }
                } else {
                    j += 1;
                }
            }
        } else {
            enclosed = false;
            s = i;
            let mut j = s;
            loop {
                if j >= n {
                    (e, next, row_end) = (n, n, true);
                    break;
                }
                if Some(input[j]) == d.escape {
                    if j + 1 >= n {
                        return Err(trunc(EOF_ESCAPE));
                    }
                    escaped = true;
                    j += 2;
                } else if at(j, &d.line_term) {
                    (e, next, row_end) = (j, j + d.line_term.len(), true);
                    break;
                } else if at(j, &d.field_term) {
                    (e, next, row_end) = (j, j + d.field_term.len(), false);
                    break;
                } else {
                    j += 1;
                }
            }
        }
        fields.push(Field {
            span: s as u64..e as u64,
            next: next as u64,
            row_end,
            enclosed,
            escaped,
            null: null_of(s, e, enclosed),
        });
        i = next;
        if i == n {
            if !row_end {
                fields.push(Field {
                    span: n as u64..n as u64,
                    next: n as u64,
                    row_end: true,
                    enclosed: false,
                    escaped: false,
                    null: false,
                });
            }
            return Ok(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(d: &TsvDialect, input: &[u8]) -> Result<Vec<Field>, TsvError> {
        let mut t = Tokenizer::new(d);
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let (ev, used) = t.feed(&input[at..], true)?;
            at += used;
            match ev {
                Event::Field(f) => out.push(f),
                Event::End => return Ok(out),
                Event::NeedMore => unreachable!("eof never needs more"),
            }
        }
    }

    fn values(d: &TsvDialect, input: &[u8]) -> Vec<Option<Vec<u8>>> {
        fast(d, input)
            .unwrap()
            .into_iter()
            .map(|f| {
                (!f.null).then(|| {
                    let body = &input[f.span.start as usize..f.span.end as usize];
                    let mut v = Vec::new();
                    unescape_into(d, body, f.enclosed, &mut v);
                    v
                })
            })
            .collect()
    }

    #[test]
    fn default_dialect() {
        let d = TsvDialect::default();
        let input = b"1\ta\\tb\\\nc\t\\N\n2\t\\0\\\\\t\n";
        let v = values(&d, input);
        assert_eq!(
            v,
            vec![
                Some(b"1".to_vec()),
                Some(b"a\tb\nc".to_vec()),
                None,
                Some(b"2".to_vec()),
                Some(b"\0\\".to_vec()),
                Some(b"".to_vec()),
            ]
        );
        assert_eq!(fast(&d, input).unwrap(), split_all(&d, input).unwrap());
    }

    #[test]
    fn enclosed_csv() {
        let d = TsvDialect::builder()
            .fields_terminated_by(b",")
            .fields_optionally_enclosed_by(b"\"")
            .lines_terminated_by(b"\r\n")
            .build()
            .unwrap();
        let input = b"\"a,\"\"b\",NULL,\"NULL\",x\"y\r\n\"\\N\",\"p\"q\"";
        let v = values(&d, input);
        assert_eq!(
            v,
            vec![
                Some(b"a,\"b".to_vec()),
                None,
                Some(b"NULL".to_vec()),
                Some(b"x\"y".to_vec()),
                None,
                Some(b"p\"q".to_vec()),
            ]
        );
    }

    #[test]
    fn truncation_is_an_error() {
        let d = TsvDialect::builder()
            .fields_enclosed_by(b"\"")
            .build()
            .unwrap();
        for bad in [&b"a\t\"bc"[..], b"a\\", b"\"a\\"] {
            let e = fast(&d, bad).unwrap_err();
            assert!(e.eof);
            assert_eq!(e.offset, bad.len() as u64);
            assert_eq!(split_all(&d, bad).unwrap_err(), e);
        }
    }

    #[test]
    fn builder_rejects_ambiguous_dialects() {
        assert!(TsvDialect::builder()
            .fields_terminated_by(b"")
            .build()
            .is_err());
        assert!(TsvDialect::builder()
            .fields_enclosed_by(b"\\")
            .build()
            .is_err());
        assert!(TsvDialect::builder()
            .fields_terminated_by(b"n")
            .build()
            .is_err());
        assert!(TsvDialect::builder()
            .fields_terminated_by(b"\n\t")
            .build()
            .is_err());
        assert!(TsvDialect::builder()
            .fields_enclosed_by(b"ab")
            .build()
            .is_err());
    }

    #[test]
    fn encode_round_trips_every_byte() {
        let raw: Vec<u8> = (0..=255u8).chain(*b"NULL\r\n\t").collect();
        for d in [
            TsvDialect::default(),
            TsvDialect::builder()
                .fields_terminated_by(b"||")
                .lines_terminated_by(b"\r\n")
                .fields_enclosed_by(b"'")
                .build()
                .unwrap(),
            TsvDialect::builder()
                .fields_escaped_by(b"")
                .fields_optionally_enclosed_by(b"\"")
                .build()
                .unwrap(),
        ] {
            for value in [&raw[..], b"NULL", b"", b"\"x"] {
                for enclose in [false, true] {
                    let mut line = Vec::new();
                    encode_field(&d, Some(value), enclose, &mut line).unwrap();
                    line.extend_from_slice(d.field_terminator());
                    encode_field(&d, None, enclose, &mut line).unwrap();
                    line.extend_from_slice(d.line_terminator());
                    let v = values(&d, &line);
                    assert_eq!(v, vec![Some(value.to_vec()), None], "{d:?} {enclose}");
                }
            }
        }
    }
}
