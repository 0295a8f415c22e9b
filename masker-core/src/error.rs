//! Errors: what went wrong and where, never which data.
//!
//! Every error that comes from input carries a [`Position`] (byte offset,
//! line, and the statement's starting line when known). Messages describe what
//! was expected and what kind of byte was found, but never print cell values:
//! masked data is personal data, and error text ends up in logs.

use std::fmt;

use crate::schema::TableName;

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
    Config(Vec<ConfigProblem>),
    /// The rules and the dump disagree (unknown column, unclassified column in strict mode, ...).
    Plan {
        /// Where the statement that revealed the problem starts, if any.
        pos: Option<Position>,
        /// The problems, each naming its table (and column, and rule path, when it has them).
        problems: Vec<PlanProblem>,
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

/// One problem of a rules file: where it is (its config path), what kind of
/// problem it is, and what is wrong. `Display` gives the line `masker check`
/// prints: `tables.users.email: unknown transform "hsah" (expected one of ...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigProblem {
    /// The config path of the setting, with keys written as in the file
    /// (`strict`, `key.prf`, `tables.users.email`,
    /// `tables."shop.orders".email.when`). For [`ConfigProblemKind::Syntax`],
    /// the name the file was given (its origin), as the TOML error belongs to
    /// no key.
    pub path: String,
    /// What kind of problem it is.
    pub kind: ConfigProblemKind,
    /// What is wrong and what was expected, without the path; never the key.
    pub message: String,
}

impl ConfigProblem {
    /// A problem of the setting at `path`.
    pub fn new(
        path: impl Into<String>,
        kind: ConfigProblemKind,
        message: impl Into<String>,
    ) -> Self {
        ConfigProblem {
            path: path.into(),
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What kind of problem a [`ConfigProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigProblemKind {
    /// The file is not valid TOML.
    Syntax,
    /// A key or option the rules file does not know here (a typo, or an
    /// option of another transform).
    UnknownKey,
    /// A value of the wrong TOML type (a number where a string belongs, a
    /// string where a table of rules belongs, ...).
    WrongType,
    /// A value of the right type that is not allowed: an unknown transform,
    /// fake kind, locale, format, collation mode or PRF; a condition,
    /// template, JSON path or regular expression that does not parse; a
    /// number out of range, an empty string, a malformed table key.
    InvalidValue,
    /// A required setting is absent (a rule's transform, `fake`'s kind,
    /// `constant`'s value, ...).
    Missing,
    /// Settings that cannot go together: `[key]` env and file, two rules for
    /// one column, `keep` with `when`, both `with` and `value`, a nested rule
    /// or `separator` on a transform that does not allow it.
    Conflict,
    /// The masking key cannot be found, read or used (its variable is not
    /// set, its file cannot be read, it is empty), or the rules were built
    /// without it (check only) where masked output would be written.
    Key,
}

/// One problem of the rules with the input: a rule that does not fit its
/// table, a column strict mode finds unclassified, a table whose columns are
/// unknown, a rules section that names a table the input never had.
/// `Display` gives the line `masker check` prints: `table.column: message
/// (rule path)`, e.g. `users.emial: no such column (tables.users.emial)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlanProblem {
    /// The table: as the input names it (qualified with its database when
    /// known), or, for [`PlanProblemKind::NoSuchTable`], as the rules section
    /// or the table filter names it. `None` only for a `CREATE TABLE` whose
    /// name cannot be read.
    pub table: Option<TableName>,
    /// The column, when the problem is one column's: the column whose rule
    /// does not fit (as the rule names it when the table lacks it), the
    /// unclassified column, the column an `INSERT` or a TSV header names that
    /// its table lacks.
    pub column: Option<String>,
    /// The config path of the rule at fault (`tables.users.email`,
    /// `tables.users.email.when`, `tables.users.rows.where`), when a rule is.
    pub rule_path: Option<String>,
    /// What kind of problem it is.
    pub kind: PlanProblemKind,
    /// What is wrong, without the table, column or rule path; never a cell value.
    pub message: String,
}

impl PlanProblem {
    /// A problem of `table`; add the column and the rule with
    /// [`PlanProblem::with_column`] and [`PlanProblem::with_rule_path`].
    pub fn new(table: TableName, kind: PlanProblemKind, message: impl Into<String>) -> Self {
        PlanProblem {
            table: Some(table),
            column: None,
            rule_path: None,
            kind,
            message: message.into(),
        }
    }

    /// The same problem, of column `column`.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The same problem, caused by the rule at config path `path`.
    pub fn with_rule_path(mut self, path: impl Into<String>) -> Self {
        self.rule_path = Some(path.into());
        self
    }
}

impl fmt::Display for PlanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.table, &self.column) {
            (Some(t), Some(c)) => write!(f, "{t}.{c}: ")?,
            (Some(t), None) => write!(f, "{t}: ")?,
            (None, _) => {}
        }
        f.write_str(&self.message)?;
        if let Some(path) = &self.rule_path {
            write!(f, " ({path})")?;
        }
        Ok(())
    }
}

/// What kind of problem a [`PlanProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlanProblemKind {
    /// A rule, a condition, a template, an `INSERT`'s column list or a TSV
    /// header line names a column the table does not have.
    NoSuchColumn,
    /// A rules section, or a table filter, names a table that never appeared
    /// in the input.
    NoSuchTable,
    /// A TSV header line names a column twice.
    DuplicateColumn,
    /// Strict mode: no rule names this column (not even `keep`).
    Unclassified,
    /// The transform or template cannot write values that fit the column
    /// (its type, length, charset or NOT NULL).
    DoesNotFit,
    /// A rule masks a generated column, or a condition or template reads
    /// one (dumps leave its values out).
    GeneratedColumn,
    /// The column is a unique key and the rule can give two rows the same value.
    NotUnique,
    /// A template reads its own column or a column the rules mask (the
    /// original value would be copied into the output).
    ReadsMasked,
    /// The table's columns are unknown where a rule (or strict mode) needs
    /// them: its `CREATE TABLE` cannot be read, comes after its rows or is
    /// missing; a TSV stream has neither a schema nor a header line.
    UnknownColumns,
}

/// Result alias for masker-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
