//! The statement splitter: a push state machine that finds statement and row-tuple
//! boundaries in mysqldump SQL.
//!
//! [`Splitter`] owns no I/O and no buffer. The caller pushes bytes with
//! [`Splitter::split`], in pieces of any size (one byte at a time works), and
//! the splitter reports [`Event`]s with how many bytes of the piece it consumed.
//! It keeps only a few integers of state, so it never allocates.
//!
//! What it understands (see `DESIGN.md` for the state diagram):
//! - `--`, `#` and `/* */` comments; conditional comments (`/*!40101 ...*/`,
//!   `/*M!100616 ...*/`) whose contents are code;
//! - `'...'`, `"..."` strings with backslash escapes and doubled quotes, and
//!   `` `...` `` identifiers with doubled backticks;
//! - the mysql client's `DELIMITER` command, so routine and trigger bodies
//!   written between `DELIMITER ;;` and `DELIMITER ;` are one statement each;
//! - `INSERT`/`REPLACE ... VALUES` statements: it reports where the tuple list
//!   starts and tracks the end of each top-level `( ... )` tuple, so the
//!   pipeline can cut a multi-gigabyte INSERT between tuples.
//!
//! It does not look inside values: the worker-side [`super::values`] tokenizer
//! checks every value of a tuple list that the splitter delimited.

use memchr::memchr;

use super::blocks::{self, Masks, BLOCK};

/// What the splitter found; returned with the number of input bytes consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// All of the input was consumed without reaching an event.
    NeedMore,
    /// The `VALUES` keyword of an `INSERT`/`REPLACE` ended: the tuple list
    /// starts at [`Splitter::offset`] (the byte after the keyword).
    ValuesStart,
    /// A top-level row tuple's closing `)` was consumed (only reported when
    /// enabled with [`Splitter::report_tuples`]; otherwise see
    /// [`StatementInfo::last_tuple_end`]).
    TupleEnd,
    /// A statement's terminating delimiter (or a `DELIMITER` command's line
    /// end) was consumed: the statement ends at [`Splitter::offset`].
    StatementEnd,
}

/// The kind of the statement being scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// Nothing but whitespace and comments so far.
    Empty,
    /// `INSERT` or `REPLACE`.
    Insert,
    /// The mysql client's `DELIMITER` command.
    Delimiter,
    /// Any other statement (`CREATE`, `SET`, `LOCK TABLES`, conditional comments, ...).
    Other,
}

/// What the splitter knows about the current (or just ended) statement.
/// All offsets are absolute: bytes since the splitter was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementInfo {
    /// The kind of statement.
    pub kind: StatementKind,
    /// Offset of the statement's first byte that is not whitespace or a comment.
    pub first_token: Option<u64>,
    /// For `INSERT`/`REPLACE`: offset just after the `VALUES` keyword.
    pub values_start: Option<u64>,
    /// Offset just after the `)` of the last complete top-level tuple.
    pub last_tuple_end: Option<u64>,
    /// For `INSERT`/`REPLACE`: where a clause after the tuples
    /// (`ON DUPLICATE KEY UPDATE ...`) starts.
    pub tail_start: Option<u64>,
}

impl StatementInfo {
    const EMPTY: StatementInfo = StatementInfo {
        kind: StatementKind::Empty,
        first_token: None,
        values_start: None,
        last_tuple_end: None,
        tail_start: None,
    };
}

/// A structural error found by the splitter. The caller adds the line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// Absolute byte offset of the offending byte (or of the end of input).
    pub offset: u64,
    /// What was wrong; never contains input bytes.
    pub message: &'static str,
    /// True when the input ended too early (a truncated dump).
    pub eof: bool,
}

/// Lexical state: where we are inside strings, identifiers and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    Code,
    Single,
    SingleEscape,
    SingleClose,
    Double,
    DoubleEscape,
    DoubleClose,
    Backtick,
    BacktickClose,
    LineComment,
    Block,
    BlockStar,
    Dash,
    DashDash,
    Slash,
    SlashStar,
    SlashStarM,
    CondStar,
    /// Matched this many bytes of a multi-byte delimiter.
    Delim(u8),
}

/// Statement-level phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between statements: whitespace and comments.
    Start,
    /// Reading the statement's first word.
    Word,
    /// Inside a `DELIMITER` command line.
    DelimiterCmd,
    /// `INSERT`/`REPLACE` before `VALUES`.
    Header,
    /// Inside the tuple list (`depth` > 0 means inside a tuple).
    Values,
    /// Any other statement, or an INSERT's tail clause.
    Body,
}

const MAX_DELIMITER: usize = 16;
const WORD_BUF: usize = 12;

/// Byte classes for the tuple-list hot loop.
const CLASS_PLAIN: u8 = 0;
const CLASS_SPECIAL: u8 = 1;

/// Where the tuple fast path is, carried from block to block.
#[derive(Debug)]
struct BlockState {
    depth: u32,
    /// The quote of the string the next block starts in, or 0.
    quote: u8,
    /// The next block's first byte is string content (escaped, or the
    /// second quote of a doubled pair).
    skip: bool,
    /// Between tuples: where the last one ended.
    gap: Option<usize>,
}

/// What the fast path does after a block.
#[derive(Debug)]
enum Step {
    /// Go on with the next block.
    Next,
    /// Hand back to the byte-wise code at this index, with this event.
    Exit(usize, Option<Event>),
}

/// The push state machine. See the module docs.
#[derive(Debug, Clone)]
pub struct Splitter {
    lex: Lex,
    phase: Phase,
    /// Inside a conditional comment (`/*!...*/`), whose `*/` ends it.
    cond: bool,
    depth: u32,
    offset: u64,
    info: StatementInfo,
    word: [u8; WORD_BUF],
    word_len: usize,
    /// Length of the current word (may exceed the buffer; then it is no keyword).
    word_total: usize,
    delim: [u8; MAX_DELIMITER],
    delim_len: usize,
    /// The `DELIMITER` command's argument being read.
    new_delim: [u8; MAX_DELIMITER],
    new_delim_len: usize,
    new_delim_overflow: bool,
    /// The argument's first word has ended.
    new_delim_done: bool,
    /// Special bytes inside a tuple: quotes, parens, the delimiter's first byte.
    values_class: [u8; 256],
    report_tuples: bool,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

impl Splitter {
    /// A splitter at the start of a dump, with the default `;` delimiter.
    pub fn new() -> Self {
        let mut s = Splitter {
            lex: Lex::Code,
            phase: Phase::Start,
            cond: false,
            depth: 0,
            offset: 0,
            info: StatementInfo::EMPTY,
            word: [0; WORD_BUF],
            word_len: 0,
            word_total: 0,
            delim: [0; MAX_DELIMITER],
            delim_len: 1,
            new_delim: [0; MAX_DELIMITER],
            new_delim_len: 0,
            new_delim_overflow: false,
            new_delim_done: false,
            values_class: [CLASS_PLAIN; 256],
            report_tuples: false,
        };
        s.delim[0] = b';';
        s.rebuild_class();
        s
    }

    /// Also report [`Event::TupleEnd`] after every top-level tuple (used by tests
    /// and by tools that want every row boundary; the pipeline does not need it).
    pub fn report_tuples(mut self, yes: bool) -> Self {
        self.report_tuples = yes;
        self
    }

    /// Absolute offset: the number of bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The current (or just ended) statement.
    pub fn statement(&self) -> &StatementInfo {
        &self.info
    }

    /// The current statement delimiter (`;` unless a `DELIMITER` command changed it).
    pub fn delimiter(&self) -> &[u8] {
        &self.delim[..self.delim_len]
    }

    /// True when the splitter is inside a tuple list, between two tuples (or
    /// before the first one): the input may be cut here for parallel work.
    pub fn between_tuples(&self) -> bool {
        self.phase == Phase::Values && self.depth == 0 && self.lex == Code
    }

    fn rebuild_class(&mut self) {
        self.values_class = [CLASS_PLAIN; 256];
        for b in [b'\'', b'"', b'`', b'(', b')', self.delim[0]] {
            self.values_class[b as usize] = CLASS_SPECIAL;
        }
    }

    fn error(&self, at: usize, message: &'static str) -> SplitError {
        self.error_back(at, 0, message)
    }

    /// An error `back` bytes before `input[at]` (which may lie in an earlier push).
    fn error_back(&self, at: usize, back: usize, message: &'static str) -> SplitError {
        SplitError {
            offset: self.offset + at as u64 - back as u64,
            message,
            eof: false,
        }
    }

    fn end_statement(&mut self) {
        self.phase = Phase::Start;
        self.lex = Code;
        self.cond = false;
        self.depth = 0;
    }

    /// Push `input`; returns the event reached and how many bytes of `input`
    /// were consumed to reach it. Call again with the rest of the input after
    /// any event other than [`Event::NeedMore`].
    ///
    /// When an event is returned, [`Splitter::statement`] describes the
    /// statement; after [`Event::StatementEnd`] it still describes the ended
    /// statement until the next call.
    pub fn split(&mut self, input: &[u8]) -> Result<(Event, usize), SplitError> {
        if self.phase == Phase::Start && self.lex == Code && self.info.kind != StatementKind::Empty
        {
            self.info = StatementInfo::EMPTY;
        }
        let (event, used) = self.run(input)?;
        self.offset += used as u64;
        Ok((event, used))
    }

    fn run(&mut self, input: &[u8]) -> Result<(Event, usize), SplitError> {
        let n = input.len();
        let mut i = 0;
        while i < n {
            let b = input[i];
            match self.lex {
                Code => match self.phase {
                    Phase::Values => {
                        if let Some(ev) = self.values_run(input, &mut i)? {
                            return Ok((ev, i));
                        }
                    }
                    Phase::Start => {
                        if b.is_ascii_whitespace() {
                            i += 1;
                        } else if b == self.delim[0] && self.delim_len == 1 {
                            // An empty statement (a lone delimiter).
                            self.begin(i, StatementKind::Other, Phase::Body);
                        } else if b == self.delim[0] {
                            // A multi-byte delimiter, or a comment or statement
                            // that starts like one: decided by the next bytes.
                            self.lex = Lex::Delim(1);
                            i += 1;
                        } else if b == b'-' {
                            self.lex = Lex::Dash;
                            i += 1;
                        } else if b == b'#' {
                            self.lex = Lex::LineComment;
                            i += 1;
                        } else if b == b'/' {
                            self.lex = Lex::Slash;
                            i += 1;
                        } else if b.is_ascii_alphabetic() || b == b'_' {
                            self.begin(i, StatementKind::Other, Phase::Word);
                            self.word_len = 0;
                            self.word_total = 0;
                        } else {
                            self.begin(i, StatementKind::Other, Phase::Body);
                        }
                    }
                    Phase::Word => {
                        if is_word_byte(b) && b != self.delim[0] {
                            if self.word_len < WORD_BUF {
                                self.word[self.word_len] = b.to_ascii_uppercase();
                                self.word_len += 1;
                            }
                            self.word_total += 1;
                            i += 1;
                        } else {
                            let word = &self.word[..self.word_len.min(self.word_total)];
                            let full = self.word_total == self.word_len;
                            if full && (word == b"INSERT" || word == b"REPLACE") {
                                self.info.kind = StatementKind::Insert;
                                self.phase = Phase::Header;
                            } else if full && word == b"DELIMITER" && (b == b' ' || b == b'\t') {
                                self.info.kind = StatementKind::Delimiter;
                                self.phase = Phase::DelimiterCmd;
                                self.new_delim_len = 0;
                                self.new_delim_overflow = false;
                                self.new_delim_done = false;
                            } else {
                                self.phase = Phase::Body;
                            }
                            self.word_len = 0;
                            self.word_total = 0;
                        }
                    }
                    Phase::DelimiterCmd => {
                        if b == b'\n' {
                            self.apply_new_delimiter(i)?;
                            i += 1;
                            self.end_statement();
                            return Ok((Event::StatementEnd, i));
                        }
                        // Like the mysql client: the delimiter is the first
                        // word after `DELIMITER`; the rest of the line is ignored.
                        if b.is_ascii_whitespace() {
                            self.new_delim_done |= self.new_delim_len > 0;
                        } else if !self.new_delim_done {
                            if self.new_delim_len < MAX_DELIMITER {
                                self.new_delim[self.new_delim_len] = b;
                                self.new_delim_len += 1;
                            } else {
                                self.new_delim_overflow = true;
                            }
                        }
                        i += 1;
                    }
                    Phase::Header => {
                        if is_word_byte(b) && b != self.delim[0] {
                            if self.word_len < WORD_BUF {
                                self.word[self.word_len] = b.to_ascii_uppercase();
                                self.word_len += 1;
                            }
                            self.word_total += 1;
                            i += 1;
                            continue;
                        }
                        if self.word_total > 0 {
                            let full = self.word_total == self.word_len;
                            let word = &self.word[..self.word_len];
                            let values = full && (word == b"VALUES" || word == b"VALUE");
                            let other = full && (word == b"SELECT" || word == b"SET");
                            self.word_len = 0;
                            self.word_total = 0;
                            if values {
                                self.phase = Phase::Values;
                                self.depth = 0;
                                self.info.values_start = Some(self.offset + i as u64);
                                return Ok((Event::ValuesStart, i));
                            }
                            if other {
                                self.phase = Phase::Body;
                                continue;
                            }
                        }
                        if let Some(ev) = self.code_byte(&mut i, b)? {
                            return Ok((ev, i));
                        }
                    }
                    Phase::Body => {
                        if let Some(ev) = self.code_byte(&mut i, b)? {
                            return Ok((ev, i));
                        }
                    }
                },
                Lex::Single | Lex::Double => {
                    let q = if self.lex == Lex::Single { b'\'' } else { b'"' };
                    match super::find_quote_end(&input[i..], q) {
                        None => i = n,
                        Some(k) => {
                            i += k + 1;
                            self.lex = match (input[i - 1] == b'\\', self.lex) {
                                (true, Lex::Single) => Lex::SingleEscape,
                                (true, _) => Lex::DoubleEscape,
                                (false, Lex::Single) => Lex::SingleClose,
                                (false, _) => Lex::DoubleClose,
                            };
                        }
                    }
                }
                Lex::SingleEscape => {
                    self.lex = Lex::Single;
                    i += 1;
                }
                Lex::DoubleEscape => {
                    self.lex = Lex::Double;
                    i += 1;
                }
                Lex::SingleClose => {
                    if b == b'\'' {
                        self.lex = Lex::Single;
                        i += 1;
                    } else {
                        self.lex = Code;
                    }
                }
                Lex::DoubleClose => {
                    if b == b'"' {
                        self.lex = Lex::Double;
                        i += 1;
                    } else {
                        self.lex = Code;
                    }
                }
                Lex::Backtick => match memchr(b'`', &input[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k + 1;
                        self.lex = Lex::BacktickClose;
                    }
                },
                Lex::BacktickClose => {
                    if b == b'`' {
                        self.lex = Lex::Backtick;
                        i += 1;
                    } else {
                        self.lex = Code;
                    }
                }
                Lex::LineComment => match memchr(b'\n', &input[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k + 1;
                        self.lex = Code;
                    }
                },
                Lex::Block => match memchr(b'*', &input[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k + 1;
                        self.lex = Lex::BlockStar;
                    }
                },
                Lex::BlockStar => {
                    if b == b'/' {
                        self.lex = Code;
                        i += 1;
                    } else if b == b'*' {
                        i += 1;
                    } else {
                        self.lex = Lex::Block;
                        i += 1;
                    }
                }
                Lex::Dash => {
                    if b == b'-' {
                        self.lex = Lex::DashDash;
                        i += 1;
                    } else {
                        // A lone '-': code. At statement start, the statement begins there.
                        self.lex = Code;
                        if self.phase == Phase::Start {
                            self.begin_at_prev(i, 1);
                        }
                    }
                }
                Lex::DashDash => {
                    if b <= b' ' {
                        self.lex = Lex::LineComment;
                    } else if b == b'-' {
                        // `---`: the first dash is code; the last two may
                        // still begin a `-- ` comment.
                        if self.phase == Phase::Start {
                            self.begin_at_prev(i, 2);
                        }
                        i += 1;
                    } else {
                        self.lex = Code;
                        if self.phase == Phase::Start {
                            self.begin_at_prev(i, 2);
                        }
                    }
                }
                Lex::Slash => {
                    if b == b'*' {
                        self.lex = Lex::SlashStar;
                        i += 1;
                    } else {
                        self.lex = Code;
                        if self.phase == Phase::Start {
                            self.begin_at_prev(i, 1);
                        }
                    }
                }
                Lex::SlashStar => {
                    if b == b'!' {
                        self.open_conditional(i, 2);
                        i += 1;
                    } else if b == b'M' {
                        self.lex = Lex::SlashStarM;
                        i += 1;
                    } else {
                        self.lex = Lex::Block;
                    }
                }
                Lex::SlashStarM => {
                    if b == b'!' {
                        self.open_conditional(i, 3);
                        i += 1;
                    } else {
                        // `/*M` followed by something else: a plain comment.
                        self.lex = Lex::Block;
                    }
                }
                Lex::CondStar => {
                    if b == b'/' {
                        self.cond = false;
                        self.lex = Code;
                        i += 1;
                    } else {
                        self.lex = Code;
                    }
                }
                Lex::Delim(k) => {
                    let k = k as usize;
                    if b == self.delim[k] {
                        i += 1;
                        if k + 1 == self.delim_len {
                            if self.phase == Phase::Start {
                                // An empty statement (a lone delimiter).
                                self.begin_at_prev(i, self.delim_len as u64);
                            }
                            return self.delimiter_found(i);
                        }
                        self.lex = Lex::Delim(k as u8 + 1);
                    } else if let Some(j) = self.rematch(k, b) {
                        // A later start of the delimiter overlaps what matched
                        // (`003` in `0003`): the bytes before it were code.
                        i += 1;
                        if self.phase == Phase::Start {
                            self.begin_at_prev(i, (k + 1) as u64);
                        }
                        if j == self.delim_len {
                            return self.delimiter_found(i);
                        }
                        self.lex = Lex::Delim(j as u8);
                    } else if self.phase == Phase::Values && self.depth == 0 {
                        // Between tuples, only a whole delimiter may follow.
                        return Err(self.error_back(
                            i,
                            k,
                            "expected `(` or `,` between row tuples",
                        ));
                    } else {
                        // Not the delimiter after all. Its first byte keeps
                        // its ordinary meaning (a delimiter such as `//`,
                        // `--` or `##` may have begun a comment); `b` is
                        // processed again in that state.
                        let first = self.delim[0];
                        let in_values = self.phase == Phase::Values;
                        let comment = k == 1 && !in_values && matches!(first, b'/' | b'-' | b'#');
                        if self.phase == Phase::Start && !comment {
                            // A statement began at the delimiter's first byte.
                            self.begin_at_prev(i, k as u64);
                        }
                        self.lex = match (k, first) {
                            (1, b'/') if !in_values => Lex::Slash,
                            (1, b'-') if !in_values => Lex::Dash,
                            (1, b'#') if !in_values => Lex::LineComment,
                            (1, b'*') if self.cond && !in_values => Lex::CondStar,
                            (1, b'\'') => Lex::Single,
                            (1, b'"') => Lex::Double,
                            (1, b'`') => Lex::Backtick,
                            _ => Code,
                        };
                    }
                }
            }
        }
        Ok((Event::NeedMore, n))
    }

    /// After `delim[..k]` matched and `b` did not continue it: the length of
    /// the longest suffix of `delim[..k] + b` that starts the delimiter, if
    /// that suffix is shorter than `k + 1` bytes but not empty and begins
    /// after the first byte (so the first byte was not part of a match).
    fn rematch(&self, k: usize, b: u8) -> Option<usize> {
        if k < 2 {
            return None;
        }
        let delim = &self.delim[..self.delim_len];
        (1..k).find_map(|s| {
            let tail = &delim[s..k];
            let len = tail.len() + 1;
            (len <= delim.len() && delim.starts_with(tail) && delim[len - 1] == b).then_some(len)
        })
    }

    /// Start a statement at `input[i]`.
    fn begin(&mut self, i: usize, kind: StatementKind, phase: Phase) {
        self.info = StatementInfo {
            kind,
            first_token: Some(self.offset + i as u64),
            ..StatementInfo::EMPTY
        };
        self.phase = phase;
    }

    /// Start a statement `back` bytes before `input[i]` (the bytes may lie in a
    /// previous push; offsets are absolute so that is fine).
    fn begin_at_prev(&mut self, i: usize, back: u64) {
        self.info = StatementInfo {
            kind: StatementKind::Other,
            first_token: Some(self.offset + i as u64 - back),
            ..StatementInfo::EMPTY
        };
        self.phase = Phase::Body;
    }

    /// `/*!` or `/*M!` seen with the `!` at `input[i]`; `back` bytes before it.
    fn open_conditional(&mut self, i: usize, back: u64) {
        self.cond = true;
        self.lex = Code;
        if self.phase == Phase::Start {
            self.begin_at_prev(i, back);
        }
    }

    fn apply_new_delimiter(&mut self, at: usize) -> Result<(), SplitError> {
        let len = self.new_delim_len;
        if len == 0 {
            return Err(self.error(at, "DELIMITER command without a delimiter"));
        }
        if self.new_delim_overflow {
            return Err(self.error(at, "DELIMITER longer than 16 bytes"));
        }
        if self.new_delim[..len].contains(&b'\\') {
            return Err(self.error(at, "DELIMITER cannot contain a backslash"));
        }
        if !super::delimiter_supported(&self.new_delim[..len]) {
            return Err(self.error(
                at,
                "DELIMITER with quotes, parentheses, `#` or `-` (or `/`, `*` after its first byte) is not supported",
            ));
        }
        self.delim = self.new_delim;
        self.delim_len = len;
        self.rebuild_class();
        Ok(())
    }

    fn delimiter_found(&mut self, i: usize) -> Result<(Event, usize), SplitError> {
        if self.cond {
            return Err(self.error_back(
                i,
                self.delim_len,
                "statement ends inside a /*! conditional comment (missing `*/`)",
            ));
        }
        if self.phase == Phase::Values && self.depth > 0 {
            return Err(self.error_back(i, self.delim_len, "statement ends inside a row tuple"));
        }
        self.end_statement();
        Ok((Event::StatementEnd, i))
    }

    /// One code byte outside tuples (header, body, tail). Advances `i`.
    fn code_byte(&mut self, i: &mut usize, b: u8) -> Result<Option<Event>, SplitError> {
        *i += 1;
        if b == self.delim[0] {
            if self.delim_len == 1 {
                return self.delimiter_found(*i).map(|(ev, _)| Some(ev));
            }
            self.lex = Lex::Delim(1);
            return Ok(None);
        }
        match b {
            b'\'' => self.lex = Lex::Single,
            b'"' => self.lex = Lex::Double,
            b'`' => self.lex = Lex::Backtick,
            b'-' => self.lex = Lex::Dash,
            b'#' => self.lex = Lex::LineComment,
            b'/' => self.lex = Lex::Slash,
            b'*' if self.cond => self.lex = Lex::CondStar,
            _ => {}
        }
        Ok(None)
    }

    /// The hot loop: tuple lists, with strings scanned inline so the lexical
    /// state stays in registers. Returns at an event, at the end of `input`,
    /// or when the state leaves (a string cut by the end of input, a tail).
    #[inline]
    fn values_run(&mut self, input: &[u8], i: &mut usize) -> Result<Option<Event>, SplitError> {
        let n = input.len();
        while *i < n && self.lex == Code && self.phase == Phase::Values {
            if self.depth > 0 && n - *i >= BLOCK {
                if let Some(ev) = self.tuple_blocks(input, i) {
                    return Ok(Some(ev));
                }
                if self.lex != Code {
                    // Inside a string near the end of input: the lexical
                    // states take it from here.
                    break;
                }
                // At a tuple's end, or at a byte the fast path leaves to
                // the code below (a backtick, the delimiter), or near the
                // end of input.
            }
            if self.depth > 0 {
                let class = &self.values_class;
                let mut k = *i;
                while k < n && class[input[k] as usize] == CLASS_PLAIN {
                    k += 1;
                }
                *i = k;
                if k == n {
                    break;
                }
                let q = input[k];
                if q == b'\'' || q == b'"' {
                    // A string: find its end here, resuming through the
                    // lexical states only when the input ends inside it.
                    let mut j = k + 1;
                    loop {
                        match super::find_quote_end(&input[j..], q) {
                            None => {
                                self.lex = if q == b'\'' { Lex::Single } else { Lex::Double };
                                *i = n;
                                return Ok(None);
                            }
                            Some(off) => {
                                j += off;
                                if input[j] == b'\\' {
                                    if j + 1 == n {
                                        self.lex = if q == b'\'' {
                                            Lex::SingleEscape
                                        } else {
                                            Lex::DoubleEscape
                                        };
                                        *i = n;
                                        return Ok(None);
                                    }
                                    j += 2;
                                } else if j + 1 == n {
                                    self.lex = if q == b'\'' {
                                        Lex::SingleClose
                                    } else {
                                        Lex::DoubleClose
                                    };
                                    *i = n;
                                    return Ok(None);
                                } else if input[j + 1] == q {
                                    j += 2;
                                } else {
                                    *i = j + 1;
                                    break;
                                }
                            }
                        }
                    }
                    continue;
                }
            }
            if self.depth == 0 {
                // Between tuples (`),\n(` in most dumps): skip separators here.
                let mut k = *i;
                while k < n && is_separator(input[k]) {
                    k += 1;
                }
                *i = k;
                if k == n {
                    break;
                }
                if input[k] == b'(' {
                    self.depth = 1;
                    *i += 1;
                    continue;
                }
            }
            let b = input[*i];
            if let Some(ev) = self.values_byte(i, b)? {
                return Ok(Some(ev));
            }
        }
        Ok(None)
    }

    /// The fast path of [`Splitter::values_run`] inside a tuple (depth > 0,
    /// outside strings), 64 bytes at a time with the special bytes as
    /// bitmasks ([`blocks::masks`]). A block whose strings are all of one
    /// quote kind is taken whole ([`Splitter::block_strings`]): escapes and
    /// strings become masks, and only the parentheses outside strings are
    /// visited. Any other block is walked special byte by special byte
    /// ([`Splitter::block_bits`]). The separators between tuples (`),\n(`)
    /// are stepped over without leaving the fast path.
    ///
    /// It makes exactly the transitions of the byte-wise code and hands back
    /// to it (with `*i` at the byte) whatever else it meets: a backtick, the
    /// delimiter's first byte, anything but `,` and whitespace between
    /// tuples, or fewer than 64 bytes left (then possibly inside a string,
    /// which [`Splitter::lex`] says). Returns an event only for a tuple end
    /// with [`Splitter::report_tuples`].
    fn tuple_blocks(&mut self, input: &[u8], i: &mut usize) -> Option<Event> {
        let n = input.len();
        let delim0 = self.delim[0];
        let mut st = BlockState {
            depth: self.depth,
            quote: 0,
            skip: false,
            gap: None,
        };
        let mut pos = *i;
        while pos + BLOCK <= n {
            let block: &[u8; BLOCK] = input[pos..pos + BLOCK].try_into().expect("64 bytes");
            let m = blocks::masks(block, delim0);
            let step = match self.block_strings(input, pos, &m, &mut st) {
                Some(step) => step,
                None => self.block_bits(input, pos, &m, &mut st),
            };
            match step {
                Step::Next => pos += BLOCK,
                Step::Exit(at, event) => {
                    self.leave(i, at, &st);
                    return event;
                }
            }
        }
        let at = st.gap.unwrap_or(pos);
        self.leave(i, at, &st);
        None
    }

    /// Hand the state of the fast path back to the byte-wise code at `at`.
    fn leave(&mut self, i: &mut usize, at: usize, st: &BlockState) {
        *i = at;
        if st.gap.is_some() {
            // Back to the end of the last tuple: the byte-wise code reads
            // the separators itself.
            self.depth = 0;
            self.lex = Code;
            return;
        }
        self.depth = st.depth;
        self.lex = match (st.quote, st.skip) {
            (b'\'', false) => Lex::Single,
            (b'\'', true) => Lex::SingleEscape,
            (b'"', false) => Lex::Double,
            (b'"', true) => Lex::DoubleEscape,
            _ => Code,
        };
    }

    /// A closing `)` at `at` brought the depth to 0.
    fn tuple_end(&mut self, at: usize, st: &mut BlockState) -> Option<Step> {
        self.info.last_tuple_end = Some(self.offset + at as u64 + 1);
        if self.report_tuples {
            return Some(Step::Exit(at + 1, Some(Event::TupleEnd)));
        }
        st.gap = Some(at + 1);
        None
    }

    /// A `(` at `at` between tuples: the next tuple, if only `,` and
    /// whitespace came since the last one; else back to the byte-wise code.
    fn next_tuple(input: &[u8], at: usize, st: &mut BlockState) -> Option<Step> {
        let end = st.gap.take().expect("between tuples");
        if !input[end..at].iter().all(|&c| is_separator(c)) {
            st.gap = Some(end);
            return Some(Step::Exit(end, None));
        }
        st.depth = 1;
        None
    }

    /// The whole block at `pos` with mask arithmetic, when its strings are
    /// all of one quote kind and every backslash is inside one (always, in a
    /// dump's tuples); `None` (and `st` untouched) otherwise.
    ///
    /// Escaped bytes come from the backslash runs (odd runs escape the next
    /// byte; simdjson's `find_escaped`), string interiors from a prefix XOR
    /// of the unescaped quotes (a doubled quote closes and reopens), and the
    /// bytes left to visit are the parentheses, backticks and delimiter
    /// bytes outside strings.
    fn block_strings(
        &mut self,
        input: &[u8],
        pos: usize,
        m: &Masks,
        st: &mut BlockState,
    ) -> Option<Step> {
        let mut carry = st.skip;
        let escaped = blocks::escaped(m.backslash, &mut carry);
        let single = m.single & !escaped;
        let double = m.double & !escaped;
        let quote = match (st.quote, single != 0, double != 0) {
            (_, true, true) | (b'\'', _, true) | (b'"', true, _) => return None,
            (0, false, false) => 0,
            (0, true, false) => b'\'',
            (0, false, true) => b'"',
            (q, _, _) => q,
        };
        let quotes = if quote == b'\'' { single } else { double };
        let inside = blocks::prefix_xor(quotes) ^ if st.quote != 0 { !0 } else { 0 };
        // A backslash outside strings is no escape there: the byte-wise
        // code reads such a block.
        if m.backslash & !escaped & !inside != 0 {
            return None;
        }
        let mut structure = m.code & !(m.single | m.double) & !inside;
        if structure != 0 {
            // Every byte visited is outside strings: an exit there is too.
            st.quote = 0;
            st.skip = false;
        }
        while structure != 0 {
            let off = structure.trailing_zeros() as usize;
            structure &= structure - 1;
            let at = pos + off;
            match input[at] {
                b'(' if st.gap.is_some() => {
                    if let Some(step) = Self::next_tuple(input, at, st) {
                        return Some(step);
                    }
                }
                b'(' => st.depth += 1,
                b')' if st.gap.is_none() => {
                    st.depth -= 1;
                    if st.depth == 0 {
                        if let Some(step) = self.tuple_end(at, st) {
                            return Some(step);
                        }
                    }
                }
                // A backtick, the delimiter, or `)` between tuples.
                _ => {
                    let at = st.gap.unwrap_or(at);
                    return Some(Step::Exit(at, None));
                }
            }
        }
        st.quote = if inside >> 63 != 0 { quote } else { 0 };
        st.skip = carry;
        Some(Self::block_end(input, pos, st))
    }

    /// The end of the block at `pos`: on to the next one, unless the bytes
    /// since the last tuple are more than separators.
    fn block_end(input: &[u8], pos: usize, st: &BlockState) -> Step {
        match st.gap {
            Some(end) if !input[end..pos + BLOCK].iter().all(|&c| is_separator(c)) => {
                Step::Exit(end, None)
            }
            _ => Step::Next,
        }
    }

    /// The block at `pos` one special byte at a time: exact for any content
    /// (both quote kinds, backslashes outside strings).
    fn block_bits(&mut self, input: &[u8], pos: usize, m: &Masks, st: &mut BlockState) -> Step {
        let n = input.len();
        let mut from = usize::from(st.skip);
        loop {
            let live = if from >= BLOCK { 0 } else { !0u64 << from };
            let cands = live
                & match st.quote {
                    0 => m.code,
                    b'\'' => m.single | m.backslash,
                    _ => m.double | m.backslash,
                };
            if cands == 0 {
                break;
            }
            let off = cands.trailing_zeros() as usize;
            let at = pos + off;
            let b = input[at];
            if st.quote != 0 {
                // A backslash escapes the next byte; a quote ends the
                // string unless doubled. Either needs the next byte.
                if at + 1 >= n {
                    st.skip = false;
                    return Step::Exit(at, None);
                }
                if b == b'\\' || input[at + 1] == st.quote {
                    from = off + 2;
                } else {
                    st.quote = 0;
                    from = off + 1;
                }
                continue;
            }
            from = off + 1;
            if st.gap.is_some() {
                if b != b'(' {
                    return Step::Exit(st.gap.expect("between tuples"), None);
                }
                if let Some(step) = Self::next_tuple(input, at, st) {
                    return step;
                }
                continue;
            }
            match b {
                b'\'' | b'"' => st.quote = b,
                b'(' => st.depth += 1,
                b')' => {
                    st.depth -= 1;
                    if st.depth == 0 {
                        if let Some(step) = self.tuple_end(at, st) {
                            return step;
                        }
                    }
                }
                // A backtick or the delimiter: the byte-wise code decides.
                _ => return Step::Exit(at, None),
            }
        }
        st.skip = from > BLOCK;
        Self::block_end(input, pos, st)
    }

    /// One special byte inside the tuple list. Advances `i` past what it consumed.
    fn values_byte(&mut self, i: &mut usize, b: u8) -> Result<Option<Event>, SplitError> {
        if self.depth == 0 {
            // Between tuples: whitespace, commas, the next tuple, the delimiter,
            // or a tail clause (`ON DUPLICATE KEY UPDATE`).
            match b {
                b'(' => {
                    self.depth = 1;
                    *i += 1;
                }
                _ if is_separator(b) => *i += 1,
                _ if b == self.delim[0] => {
                    *i += 1;
                    if self.delim_len == 1 {
                        return self.delimiter_found(*i).map(|(ev, _)| Some(ev));
                    }
                    self.lex = Lex::Delim(1);
                }
                _ if b.is_ascii_alphabetic() && self.info.last_tuple_end.is_some() => {
                    self.info.tail_start = Some(self.offset + *i as u64);
                    self.phase = Phase::Body;
                }
                _ => {
                    return Err(self.error(*i, "expected `(` or `,` between row tuples"));
                }
            }
            return Ok(None);
        }
        *i += 1;
        match b {
            b'\'' => self.lex = Lex::Single,
            b'"' => self.lex = Lex::Double,
            b'`' => self.lex = Lex::Backtick,
            b'(' => self.depth += 1,
            b')' => {
                self.depth -= 1;
                if self.depth == 0 {
                    self.info.last_tuple_end = Some(self.offset + *i as u64);
                    if self.report_tuples {
                        return Ok(Some(Event::TupleEnd));
                    }
                }
            }
            _ => {
                // The delimiter's first byte inside a tuple.
                if self.delim_len == 1 {
                    return Err(self.error(*i - 1, "statement ends inside a row tuple"));
                }
                self.lex = Lex::Delim(1);
            }
        }
        Ok(None)
    }

    /// Check the state at the end of input. `Ok` when the input ended between
    /// statements (only whitespace and comments after the last one).
    pub fn finish(&self) -> Result<(), SplitError> {
        let eof = |message| {
            Err(SplitError {
                offset: self.offset,
                message,
                eof: true,
            })
        };
        match self.lex {
            Lex::Single | Lex::SingleEscape | Lex::Double | Lex::DoubleEscape => {
                return eof("a quoted string")
            }
            Lex::Backtick => return eof("a quoted identifier"),
            Lex::Block | Lex::BlockStar | Lex::SlashStar | Lex::SlashStarM => {
                return eof("a /* comment */")
            }
            _ => {}
        }
        if let Lex::Delim(k) = self.lex {
            if self.phase == Phase::Values && self.depth == 0 {
                // Part of a multi-byte delimiter between tuples: not the delimiter.
                return Err(SplitError {
                    offset: self.offset - k as u64,
                    message: "expected `(` or `,` between row tuples",
                    eof: false,
                });
            }
        }
        match self.phase {
            Phase::Start => match self.lex {
                Lex::Dash | Lex::Slash | Lex::Delim(_) => {
                    eof("a statement (no terminating delimiter)")
                }
                _ => Ok(()),
            },
            Phase::Values if self.depth > 0 => eof("a row tuple"),
            Phase::DelimiterCmd => Ok(()),
            _ if self.cond => eof("a /*! conditional comment */"),
            _ => eof("a statement (no terminating delimiter)"),
        }
    }

    /// At end of input, a trailing `DELIMITER` command without a newline is
    /// complete; apply it. Returns true when a statement ended this way.
    pub fn finish_delimiter_command(&mut self) -> Result<bool, SplitError> {
        if self.phase == Phase::DelimiterCmd {
            self.apply_new_delimiter(0)?;
            self.end_statement();
            return Ok(true);
        }
        Ok(false)
    }
}

use Lex::Code;

/// What may stand between two row tuples besides their `,`.
#[inline]
fn is_separator(b: u8) -> bool {
    matches!(b, b',' | b' ' | b'\n' | b'\r' | b'\t')
}

#[inline]
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Split `input` pushed in pieces of `step` bytes; return (event, absolute offset) pairs.
    fn events(input: &[u8], step: usize) -> Result<Vec<(Event, u64)>, SplitError> {
        let mut s = Splitter::new().report_tuples(true);
        let mut out = Vec::new();
        for piece in input.chunks(step.max(1)) {
            let mut rest = piece;
            loop {
                let (ev, used) = s.split(rest)?;
                rest = &rest[used..];
                if ev == Event::NeedMore {
                    break;
                }
                out.push((ev, s.offset()));
            }
        }
        s.finish_delimiter_command()?;
        s.finish()?;
        Ok(out)
    }

    fn ends(input: &[u8]) -> Vec<u64> {
        events(input, usize::MAX)
            .unwrap()
            .into_iter()
            .filter(|(e, _)| *e == Event::StatementEnd)
            .map(|(_, o)| o)
            .collect()
    }

    #[test]
    fn simple_statements_and_comments() {
        let sql = b"-- c;\n/* x; */ SET a=1;\n# y;\nSELECT ';' ;\n";
        assert_eq!(ends(sql), vec![23, 41]);
    }

    #[test]
    fn conditional_comment_is_code() {
        let sql = b"/*!40101 SET NAMES 'a;b' */;\n/*M!100616 SET x=1 */;";
        assert_eq!(ends(sql), vec![28, 51]);
    }

    #[test]
    fn insert_values_and_tuples() {
        let sql = b"INSERT INTO `t` VALUES (1,'a)b'),(2,'c\\'d');";
        let ev = events(sql, usize::MAX).unwrap();
        assert_eq!(
            ev,
            vec![
                (Event::ValuesStart, 22),
                (Event::TupleEnd, 32),
                (Event::TupleEnd, 43),
                (Event::StatementEnd, 44)
            ]
        );
    }

    #[test]
    fn delimiter_changes() {
        let sql =
            b"DELIMITER ;;\nCREATE TRIGGER x BEGIN SET a=1; SET b=2; END ;;\nDELIMITER ;\nSET c=3;";
        assert_eq!(ends(sql), vec![13, 60, 73, 81]);
    }

    #[test]
    fn every_split_gives_the_same_events() {
        let sql: &[u8] = b"/*!40101 SET @x=1 */;\nINSERT INTO `a``b` (`c`) VALUES ('x''y\\\\'),(\"q\\\"\")\n,(NULL);\nDELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n-- end\n";
        let whole = events(sql, usize::MAX).unwrap();
        for step in 1..sql.len() {
            assert_eq!(events(sql, step).unwrap(), whole, "step {step}");
        }
    }

    #[test]
    fn truncated_inputs_are_errors() {
        for bad in [
            &b"INSERT INTO t VALUES (1,'abc"[..],
            b"INSERT INTO t VALUES (1,2",
            b"INSERT INTO t VALUES (1,2)",
            b"/* open comment",
            b"SET a=1",
        ] {
            let err = events(bad, usize::MAX).unwrap_err();
            assert!(err.eof, "{err:?}");
            assert_eq!(err.offset, bad.len() as u64);
        }
    }

    #[test]
    fn delimiter_inside_tuple_is_an_error() {
        let err = events(b"INSERT INTO t VALUES (1;", 3).unwrap_err();
        assert_eq!(err.offset, 23);
        assert!(!err.eof);
    }

    #[test]
    fn delimiter_inside_conditional_comment_is_an_error() {
        // Regression: testdata/bad/unterminated_conditional_comment.sql passed silently.
        let err = events(b"/*!40000 ALTER TABLE t DISABLE KEYS ;\nSET a=1;", 4).unwrap_err();
        assert_eq!(err.offset, 36);
    }

    #[test]
    fn garbage_between_tuples_is_an_error() {
        assert!(events(b"INSERT INTO t VALUES (1) @ (2);", 2).is_err());
    }

    #[test]
    fn on_duplicate_key_tail() {
        let sql = b"INSERT INTO t VALUES (1),(2) ON DUPLICATE KEY UPDATE a=VALUES(a);";
        let mut s = Splitter::new();
        let mut rest = &sql[..];
        loop {
            let (ev, used) = s.split(rest).unwrap();
            rest = &rest[used..];
            if ev == Event::StatementEnd {
                break;
            }
        }
        assert_eq!(s.statement().last_tuple_end, Some(28));
        assert_eq!(s.statement().tail_start, Some(29));
    }

    /// Random tuple lists long enough for the 64-byte fast path, with every
    /// byte it must hand back (backticks, delimiters, tail clauses, garbage
    /// between tuples, strings cut at block ends), split whole and in pieces
    /// of every awkward size: the same events, or the same error, each time.
    /// Pushed one byte at a time, the fast path never runs (it needs 64
    /// bytes), so that is the byte-wise oracle.
    #[test]
    fn tuple_fast_path_agrees_with_the_bytewise_path() {
        let atoms: &[&[u8]] = &[
            b"1",
            b"-2.5e3",
            b"NULL",
            b"'abc'",
            b"'it''s'",
            b"'a\\'b'",
            b"'\\\\'",
            b"\"dq\"",
            b"\"a\"\"b\\\"\"",
            b"'x(y)z'",
            b"'semi;colon'",
            b"'`tick`'",
            b"0x1F",
            b"_binary 'q'",
            b"'\xe6\x97\xa5\xe6\x9c\xac'",
            b"'\n\t'",
            b"f(1,(2))",
            b"'long string long string long string long string long string'",
            b"'\\\\\\\\'",
            b"'\\\\\\''",
            b"'\\\\\\\\\\\\\\''",
            b"'mixed \"dq\" in sq'",
            b"\"mixed 'sq' in dq\"",
            b"'ab\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\'c'",
        ];
        let extras: &[&[u8]] = &[
            b"`c`",
            b";",
            b" ON DUPLICATE KEY UPDATE a=VALUES(a)",
            b"x",
            b"''",
            b"\\",
            b"\\'",
            b"\"",
        ];
        let mut state = 0x2545_f491u32;
        let mut rnd = |m: usize| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize % m
        };
        for round in 0..1500 {
            let mut sql = b"INSERT INTO `t` VALUES ".to_vec();
            let tuples = 1 + rnd(12);
            for t in 0..tuples {
                if t > 0 {
                    sql.extend_from_slice([&b","[..], b",\n", b" , "][rnd(3)]);
                }
                sql.push(b'(');
                for v in 0..1 + rnd(8) {
                    if v > 0 {
                        sql.push(b',');
                    }
                    sql.extend_from_slice(atoms[rnd(atoms.len())]);
                }
                if round % 5 == 0 && rnd(6) == 0 {
                    sql.extend_from_slice(extras[rnd(extras.len())]);
                }
                sql.push(b')');
            }
            if round % 7 == 0 {
                sql.extend_from_slice(extras[rnd(extras.len())]);
            }
            sql.extend_from_slice(b";\nSET x=1;\n");
            let oracle = events(&sql, 1);
            for step in [usize::MAX, 63, 64, 65, 100, 127, 129, 1 + rnd(200)] {
                assert_eq!(
                    events(&sql, step),
                    oracle,
                    "step {step}: {}",
                    String::from_utf8_lossy(&sql)
                );
            }
        }
    }
}
