//! Errors: what went wrong and where, never which data.
//!
//! Every error that comes from input carries a [`Position`] (byte offset,
//! line, and the statement's starting line when known). Messages describe what
//! was expected and what kind of byte was found, but never print cell values:
//! masked data is personal data, and error text ends up in logs.

use std::fmt;

/// A place in the input stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 0-based byte offset from the start of the (decompressed) input.
    pub byte: u64,
    /// 1-based line number.
    pub line: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, byte offset {}", self.line, self.byte)
    }
}

/// The error type of masker-core.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What kind of error happened.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input does not follow the dump syntax at `pos`.
    Syntax {
        /// Where the problem was found.
        pos: Position,
        /// What the tokenizer expected or found; never contains data from the input.
        message: String,
    },
    /// The input ended in the middle of something.
    UnexpectedEof {
        /// Where the input ended.
        pos: Position,
        /// What was still open (`a quoted string`, `a row tuple`, ...).
        inside: &'static str,
    },
    /// A rules file is invalid; every problem is listed with its config path.
    Config(Vec<String>),
    /// The rules and the dump disagree (unknown column, unclassified column in strict mode, ...).
    Plan {
        /// Where the statement that revealed the problem starts, if any.
        pos: Option<Position>,
        /// The problems, each naming `table.column`.
        problems: Vec<String>,
    },
    /// A value could not be masked to fit its column.
    Mask {
        /// Where the row is.
        pos: Position,
        /// `table.column` and the reason; never the value.
        message: String,
    },
    /// Reading or writing failed.
    Io(std::io::Error),
}

impl Error {
    /// Build an error from its kind.
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The kind of error, to amend (more problems found later).
    pub(crate) fn kind_mut(&mut self) -> &mut ErrorKind {
        &mut self.0
    }

    /// Consume the error and return its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// A syntax error at `pos`.
    pub fn syntax(pos: Position, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Syntax {
            pos,
            message: message.into(),
        })
    }

    /// The position of the error in the input, when it has one.
    pub fn position(&self) -> Option<Position> {
        match &*self.0 {
            ErrorKind::Syntax { pos, .. }
            | ErrorKind::UnexpectedEof { pos, .. }
            | ErrorKind::Mask { pos, .. } => Some(*pos),
            ErrorKind::Plan { pos, .. } => *pos,
            ErrorKind::Config(_) | ErrorKind::Io(_) => None,
        }
    }

    /// True when the error is a broken pipe on the output (the reader went away).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&*self.0, ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Syntax { pos, message } => write!(f, "{pos}: {message}"),
            ErrorKind::UnexpectedEof { pos, inside } => {
                write!(f, "{pos}: input ends inside {inside} (truncated dump?)")
            }
            ErrorKind::Config(problems) => {
                write!(f, "invalid rules ({} problem", problems.len())?;
                if problems.len() != 1 {
                    f.write_str("s")?;
                }
                f.write_str("):")?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            ErrorKind::Plan { pos, problems } => {
                match pos {
                    Some(pos) => write!(f, "{pos}: rules do not match the dump:")?,
                    None => f.write_str("rules do not match the dump:")?,
                }
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            ErrorKind::Mask { pos, message } => write!(f, "{pos}: {message}"),
            ErrorKind::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e))
    }
}

/// Result alias for masker-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
