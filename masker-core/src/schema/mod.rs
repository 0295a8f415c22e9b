//! Table schemas: what a `CREATE TABLE` statement says about each column.
//!
//! This module owns the *types* describing tables and columns, and the parser
//! ([`parse_create_table`]) that builds them from the text of one complete
//! `CREATE TABLE` statement. It does no I/O and knows nothing about rules or
//! transforms; [`crate::rules`] binds rules to a [`TableSchema`].

pub mod charset;
mod create_table;
mod ident;
mod insert;

pub use create_table::parse_create_table;
pub use ident::{parse_identifier, unquote_identifier};
pub use insert::{parse_insert_header, InsertHeader};

/// A table name, optionally qualified by its database (`db`.`table`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableName {
    /// The database (schema) the table belongs to, when known.
    pub database: Option<String>,
    /// The table's own name, unquoted.
    pub table: String,
}

impl TableName {
    /// A table name with an optional database.
    pub fn new(database: Option<&str>, table: &str) -> Self {
        TableName {
            database: database.map(str::to_owned),
            table: table.to_owned(),
        }
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.database {
            Some(db) => write!(f, "{db}.{}", self.table),
            None => f.write_str(&self.table),
        }
    }
}

/// The columns of one table, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    /// The table's name as written in `CREATE TABLE` (qualified with the
    /// current database by the caller when one is known).
    pub name: TableName,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// Names of the columns that make up the primary key, if any.
    pub primary_key: Vec<String>,
    /// Unique keys, each as its list of column names.
    pub unique_keys: Vec<Vec<String>>,
    /// The table's default character set (`DEFAULT CHARSET=...`), lower-cased.
    pub default_charset: Option<String>,
    /// The table's default collation (`COLLATE=...`) when declared, lower-cased.
    pub default_collation: Option<String>,
    /// Foreign keys (`[CONSTRAINT x] FOREIGN KEY (..) REFERENCES t (..)`).
    pub foreign_keys: Vec<ForeignKey>,
}

/// A foreign key of a table, as its `CREATE TABLE` declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The referencing columns.
    pub columns: Vec<String>,
    /// The referenced table (its database only when the statement names one).
    pub table: TableName,
    /// The referenced columns.
    pub ref_columns: Vec<String>,
}

impl TableSchema {
    /// Index of the column with this name (case-insensitive, as MySQL compares column names).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The number of columns that are not generated (`... AS (expr)`).
    pub fn stored_column_count(&self) -> usize {
        self.columns.iter().filter(|c| !c.generated).count()
    }

    /// The collation that compares `column`'s values (lower-cased), derived
    /// as the server does: the column's `COLLATE`, else the default collation
    /// of the column's `CHARACTER SET`, else the table's `COLLATE=`, else the
    /// default collation of the table's `DEFAULT CHARSET=`. `None` when the
    /// statement says nothing about either (then the server's default
    /// applied, which the dump does not record).
    pub fn column_collation(&self, column: &Column) -> Option<String> {
        if let Some(c) = &column.collation {
            return Some(c.clone());
        }
        if let Some(cs) = &column.charset {
            return default_collation(cs);
        }
        if let Some(c) = &self.default_collation {
            return Some(c.clone());
        }
        self.default_charset.as_deref().and_then(default_collation)
    }

    /// True when `column` is part of the primary key or of a unique key.
    pub fn is_unique(&self, column: &str) -> bool {
        let hit = |cols: &Vec<String>| cols.iter().any(|c| c.eq_ignore_ascii_case(column));
        hit(&self.primary_key) || self.unique_keys.iter().any(hit)
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column name, unquoted (embedded backticks undoubled).
    pub name: String,
    /// The column's type.
    pub ty: ColumnType,
    /// `NOT NULL` was given (or implied by `PRIMARY KEY` in the column definition).
    pub not_null: bool,
    /// The column is generated (`GENERATED ALWAYS AS (...)` or `AS (...)`, virtual or stored).
    pub generated: bool,
    /// The column's character set when declared (`CHARACTER SET x`), lower-cased;
    /// otherwise `None` (the table default applies).
    pub charset: Option<String>,
    /// The column's collation when declared (`COLLATE x`, or `<charset>_bin`
    /// for the `BINARY` attribute), lower-cased; otherwise `None`. See
    /// [`TableSchema::column_collation`] for the collation that applies.
    pub collation: Option<String>,
}

impl Column {
    /// A nullable, stored column with no declared charset.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            not_null: false,
            generated: false,
            charset: None,
            collation: None,
        }
    }
}

/// The default collation of a character set (lower-cased name), as MariaDB
/// 10.x/11.x and MySQL 5.7 define it: `utf8mb4` -> `utf8mb4_general_ci`,
/// `latin1` -> `latin1_swedish_ci`, `binary` -> `binary`, ... `None` for a
/// charset this table does not know.
///
/// MySQL 8 defaults `utf8mb4` to `utf8mb4_0900_ai_ci`, but its dumps always
/// write `COLLATE=` next to the table's charset, so a charset given alone
/// comes from MariaDB or MySQL 5.7.
pub fn default_collation(charset: &str) -> Option<String> {
    let suffix = match charset {
        "binary" => return Some("binary".to_owned()),
        "utf8" => return Some("utf8mb3_general_ci".to_owned()),
        "armscii8" | "ascii" | "cp1250" | "cp1251" | "cp1256" | "cp1257" | "cp850" | "cp852"
        | "cp866" | "geostd8" | "greek" | "hebrew" | "keybcs2" | "koi8r" | "koi8u" | "latin2"
        | "latin7" | "macce" | "macroman" | "ucs2" | "utf16" | "utf16le" | "utf32" | "utf8mb3"
        | "utf8mb4" => "general_ci",
        "big5" | "gb18030" | "gb2312" | "gbk" => "chinese_ci",
        "cp932" | "eucjpms" | "sjis" | "ujis" => "japanese_ci",
        "dec8" | "latin1" | "swe7" => "swedish_ci",
        "euckr" => "korean_ci",
        "hp8" => "english_ci",
        "latin5" => "turkish_ci",
        "tis620" => "thai_ci",
        _ => return None,
    };
    Some(format!("{charset}_{suffix}"))
}

/// A column's type, as much of it as masking needs to produce values that fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// `TINYINT`, `SMALLINT`, `MEDIUMINT`, `INT`, `BIGINT` (and `BOOL`, which is `TINYINT(1)`).
    Integer {
        /// Storage size in bytes: 1, 2, 3, 4 or 8.
        bytes: u8,
        /// `UNSIGNED` was given.
        unsigned: bool,
    },
    /// `DECIMAL(p, s)` / `NUMERIC`.
    Decimal {
        /// Total digits.
        precision: u32,
        /// Digits after the point.
        scale: u32,
    },
    /// `FLOAT`, `DOUBLE`, `REAL`.
    Float,
    /// `BIT(n)`.
    Bit {
        /// Number of bits.
        bits: u32,
    },
    /// `CHAR(n)` / `VARCHAR(n)`: `n` characters of the column's charset.
    Char {
        /// Maximum length in characters.
        max_chars: u32,
        /// `CHAR` (fixed) rather than `VARCHAR`.
        fixed: bool,
    },
    /// `BINARY(n)` / `VARBINARY(n)`: `n` bytes.
    Binary {
        /// Maximum length in bytes.
        max_bytes: u32,
        /// `BINARY` (fixed) rather than `VARBINARY`.
        fixed: bool,
    },
    /// `TINYTEXT`, `TEXT`, `MEDIUMTEXT`, `LONGTEXT`: limited in bytes.
    Text {
        /// Maximum length in bytes.
        max_bytes: u64,
    },
    /// `TINYBLOB`, `BLOB`, `MEDIUMBLOB`, `LONGBLOB`: limited in bytes.
    Blob {
        /// Maximum length in bytes.
        max_bytes: u64,
    },
    /// `ENUM('a', 'b', ...)`: the members, unescaped.
    Enum {
        /// The allowed members.
        members: Vec<Vec<u8>>,
    },
    /// `SET('a', 'b', ...)`: the members, unescaped.
    Set {
        /// The allowed members.
        members: Vec<Vec<u8>>,
    },
    /// `DATE`.
    Date,
    /// `DATETIME[(fsp)]`.
    DateTime,
    /// `TIMESTAMP[(fsp)]`.
    Timestamp,
    /// `TIME[(fsp)]`.
    Time,
    /// `YEAR`.
    Year,
    /// `JSON` (MySQL) — MariaDB writes `longtext` with a `json_valid` check.
    Json,
    /// Spatial and other types masking treats as opaque bytes.
    Other {
        /// The type name as written, lower-cased.
        name: String,
    },
}

impl ColumnType {
    /// True for types whose dump literals are bare numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            ColumnType::Integer { .. } | ColumnType::Decimal { .. } | ColumnType::Float
        )
    }

    /// True for types whose values are text in the column's character set
    /// (CHAR, VARCHAR, TEXT, ENUM, SET).
    pub fn is_charset_text(&self) -> bool {
        matches!(
            self,
            ColumnType::Char { .. }
                | ColumnType::Text { .. }
                | ColumnType::Enum { .. }
                | ColumnType::Set { .. }
        )
    }

    /// True for types that hold raw bytes rather than text in a character set.
    pub fn is_binary(&self) -> bool {
        matches!(
            self,
            ColumnType::Binary { .. } | ColumnType::Blob { .. } | ColumnType::Bit { .. }
        ) || matches!(self, ColumnType::Other { name } if is_spatial(name))
    }
}

fn is_spatial(name: &str) -> bool {
    matches!(
        name,
        "geometry"
            | "point"
            | "linestring"
            | "polygon"
            | "multipoint"
            | "multilinestring"
            | "multipolygon"
            | "geometrycollection"
    )
}
