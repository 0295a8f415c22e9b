//! RDS parameter formulas: parsing and evaluating values such as
//! `{DBInstanceClassMemory*3/4}` or `LEAST({DBInstanceClassMemory/9531392},5000)`
//! against a local [`Budget`].
//!
//! Owns the grammar and the integer arithmetic. It does not know parameter
//! names or engines (that is `params`/`render`), and never guesses: a
//! variable or function it does not know is an error naming it.
//!
//! Semantics follow the RDS user guide ("Specifying DB parameters"):
//! - a formula is enclosed in braces: `{Var}`, `{Var*Int}`, `{Var/Int}`,
//!   `{Var*Int/Int}`; `*` and `/` are integer operations evaluated left to
//!   right, and a quotient is truncated, never rounded;
//! - functions (names are case-sensitive) take integers or formulas as
//!   arguments, at least one, no empty members: `IF(a, b, c)` returns `b`
//!   when `a` is true (non-zero) and `c` otherwise; `GREATEST`, `LEAST` and
//!   `SUM` return the largest, smallest and sum of their arguments;
//! - variables (case-sensitive): `DBInstanceClassMemory`, `DBInstanceVCPU`,
//!   `AllocatedStorage`, `EndPointPort`, `TrueIfReplica`.
//!
//! RDS "log expressions" (`{log(...)}`, used by Aurora's default
//! `max_connections`) are not evaluated: their rounding is not documented,
//! so `log` is reported as an unknown function.

use thiserror::Error;

/// The local machine the rendered configuration is for: the values of the
/// RDS formula variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// `DBInstanceClassMemory`, in bytes. On RDS this is the class memory
    /// minus an undocumented reserve; locally it is the memory budget given.
    pub memory: u64,
    /// `DBInstanceVCPU`.
    pub vcpus: u64,
    /// `AllocatedStorage`, in bytes; `None` when not given (a formula that
    /// uses it is then an error).
    pub allocated_storage: Option<u64>,
    /// `EndPointPort`: the port the local server listens on.
    pub port: u16,
    /// `TrueIfReplica`: whether the local server is a replica.
    pub replica: bool,
}

impl Budget {
    /// A budget with `memory` bytes and `vcpus` CPUs, port 3306, no allocated
    /// storage, not a replica.
    pub fn new(memory: u64, vcpus: u64) -> Self {
        Budget {
            memory,
            vcpus,
            allocated_storage: None,
            port: 3306,
            replica: false,
        }
    }
}

/// Why a formula could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FormulaError {
    /// The text does not follow the formula grammar.
    #[error("syntax error at byte {offset}: expected {expected}")]
    Syntax {
        /// Byte offset into the value.
        offset: usize,
        /// What the parser expected there.
        expected: &'static str,
    },
    /// A variable RDS does not define (names are case-sensitive).
    #[error("unknown variable `{0}`")]
    UnknownVariable(String),
    /// A function this evaluator does not know (or cannot evaluate exactly).
    #[error("unknown function `{0}`")]
    UnknownFunction(String),
    /// A known variable with no local value.
    #[error("variable `{variable}` has no local value ({hint})")]
    Unset {
        /// The variable.
        variable: &'static str,
        /// How to give it a value.
        hint: &'static str,
    },
    /// A function called with the wrong number of arguments.
    #[error("function `{function}` takes {expected} argument(s), got {got}")]
    Arity {
        /// The function.
        function: &'static str,
        /// The expected count, in words.
        expected: &'static str,
        /// The count found.
        got: usize,
    },
    /// A division by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// A result outside the 64-bit signed range.
    #[error("integer overflow")]
    Overflow,
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// An integer literal.
    Int(i64),
    /// A variable (inside braces).
    Var(String),
    /// `a * b`.
    Mul(Box<Expr>, Box<Expr>),
    /// `a / b`, truncated.
    Div(Box<Expr>, Box<Expr>),
    /// A function call.
    Call(String, Vec<Expr>),
}

/// Whether an RDS parameter value is a formula (braces or a function call)
/// rather than a literal.
pub fn is_formula(value: &str) -> bool {
    let v = value.trim_start();
    if v.starts_with('{') {
        return true;
    }
    let ident_len = v
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'_')
        .count();
    ident_len > 0 && v[ident_len..].trim_start().starts_with('(')
}

/// Parses and evaluates `value` for `budget`.
pub fn evaluate(value: &str, budget: &Budget) -> Result<i64, FormulaError> {
    parse(value)?.eval(budget)
}

/// Parses a formula value.
pub fn parse(value: &str) -> Result<Expr, FormulaError> {
    let mut p = Parser {
        src: value.as_bytes(),
        pos: 0,
    };
    let e = p.arg()?;
    p.ws();
    if p.pos != p.src.len() {
        return Err(p.syntax("end of value"));
    }
    Ok(e)
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn syntax(&self, expected: &'static str) -> FormulaError {
        FormulaError::Syntax {
            offset: self.pos,
            expected,
        }
    }

    fn ws(&mut self) {
        while self.src.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        (self.pos > start && !self.src[start].is_ascii_digit())
            .then(|| String::from_utf8_lossy(&self.src[start..self.pos]).into_owned())
    }

    fn int(&mut self) -> Result<Option<i64>, FormulaError> {
        let start = self.pos;
        let neg = self.peek() == Some(b'-');
        if neg {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            self.pos = start;
            return Ok(None);
        }
        let text = std::str::from_utf8(&self.src[start..self.pos])
            .map_err(|_| self.syntax("an integer"))?;
        text.parse::<i64>()
            .map(Some)
            .map_err(|_| FormulaError::Overflow)
    }

    /// A function argument or a whole value: `{product}`, an integer, or a call.
    fn arg(&mut self) -> Result<Expr, FormulaError> {
        self.ws();
        if self.eat(b'{') {
            let e = self.product()?;
            if !self.eat(b'}') {
                return Err(self.syntax("`*`, `/` or `}`"));
            }
            return Ok(e);
        }
        if let Some(n) = self.int()? {
            return Ok(Expr::Int(n));
        }
        let at = self.pos;
        match self.ident() {
            Some(name) if self.eat(b'(') => Ok(Expr::Call(name, self.args(Self::arg)?)),
            _ => {
                self.pos = at;
                Err(self.syntax("`{`, an integer or a function call"))
            }
        }
    }

    /// Comma-separated arguments after `(`, up to and including `)`.
    fn args(
        &mut self,
        item: fn(&mut Self) -> Result<Expr, FormulaError>,
    ) -> Result<Vec<Expr>, FormulaError> {
        let mut args = vec![item(self)?];
        loop {
            if self.eat(b')') {
                return Ok(args);
            }
            if !self.eat(b',') {
                return Err(self.syntax("`,` or `)`"));
            }
            args.push(item(self)?);
        }
    }

    /// Inside braces: factors joined by `*` and `/`, left to right.
    fn product(&mut self) -> Result<Expr, FormulaError> {
        let mut e = self.factor()?;
        loop {
            if self.eat(b'*') {
                e = Expr::Mul(Box::new(e), Box::new(self.factor()?));
            } else if self.eat(b'/') {
                e = Expr::Div(Box::new(e), Box::new(self.factor()?));
            } else {
                return Ok(e);
            }
        }
    }

    fn factor(&mut self) -> Result<Expr, FormulaError> {
        self.ws();
        if let Some(n) = self.int()? {
            return Ok(Expr::Int(n));
        }
        match self.ident() {
            Some(name) if self.eat(b'(') => Ok(Expr::Call(name, self.args(Self::product)?)),
            Some(name) => Ok(Expr::Var(name)),
            None => Err(self.syntax("a variable or an integer")),
        }
    }
}

impl Expr {
    /// Evaluates the formula for `budget`. Every argument of a function is
    /// evaluated (also the branch `IF` does not take), so an unknown name is
    /// reported wherever it is.
    pub fn eval(&self, budget: &Budget) -> Result<i64, FormulaError> {
        match self {
            Expr::Int(n) => Ok(*n),
            Expr::Var(name) => variable(name, budget),
            Expr::Mul(a, b) => a
                .eval(budget)?
                .checked_mul(b.eval(budget)?)
                .ok_or(FormulaError::Overflow),
            Expr::Div(a, b) => {
                let (a, b) = (a.eval(budget)?, b.eval(budget)?);
                if b == 0 {
                    return Err(FormulaError::DivisionByZero);
                }
                // Rust's integer division truncates toward zero, as RDS does.
                a.checked_div(b).ok_or(FormulaError::Overflow)
            }
            Expr::Call(name, args) => {
                let values = args
                    .iter()
                    .map(|a| a.eval(budget))
                    .collect::<Result<Vec<_>, _>>()?;
                call(name, &values)
            }
        }
    }
}

fn variable(name: &str, b: &Budget) -> Result<i64, FormulaError> {
    let v = match name {
        "DBInstanceClassMemory" => b.memory,
        "DBInstanceVCPU" => b.vcpus,
        "AllocatedStorage" => b.allocated_storage.ok_or(FormulaError::Unset {
            variable: "AllocatedStorage",
            hint: "give --allocated-storage",
        })?,
        "EndPointPort" => u64::from(b.port),
        "TrueIfReplica" => u64::from(b.replica),
        _ => return Err(FormulaError::UnknownVariable(name.to_owned())),
    };
    i64::try_from(v).map_err(|_| FormulaError::Overflow)
}

fn call(name: &str, args: &[i64]) -> Result<i64, FormulaError> {
    // `args` is never empty: the parser requires at least one argument.
    match name {
        "IF" => match args {
            [cond, then, otherwise] => Ok(if *cond != 0 { *then } else { *otherwise }),
            _ => Err(FormulaError::Arity {
                function: "IF",
                expected: "3",
                got: args.len(),
            }),
        },
        "GREATEST" => Ok(args.iter().copied().max().unwrap_or_default()),
        "LEAST" => Ok(args.iter().copied().min().unwrap_or_default()),
        "SUM" => args
            .iter()
            .try_fold(0i64, |acc, v| acc.checked_add(*v))
            .ok_or(FormulaError::Overflow),
        _ => Err(FormulaError::UnknownFunction(name.to_owned())),
    }
}

/// Parses a size such as `2G`, `512M`, `1073741824` (binary multiples:
/// K = 1024) into bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("size `{t}`: unknown unit `{c}` (use K, M, G or T)")),
            };
            (&t[..i], 1u64 << shift)
        }
        _ => (t, 1),
    };
    let n: u64 = digits.parse().map_err(|_| {
        format!("size `{t}`: expected a whole number with an optional K, M, G or T")
    })?;
    n.checked_mul(mult)
        .ok_or_else(|| format!("size `{t}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: i64 = 1 << 30;

    fn budget() -> Budget {
        Budget {
            memory: 2 << 30,
            vcpus: 2,
            allocated_storage: Some(100 << 30),
            port: 3307,
            replica: false,
        }
    }

    #[test]
    fn table_of_cases() {
        let cases: &[(&str, i64)] = &[
            ("{DBInstanceClassMemory}", 2 * GIB),
            ("{DBInstanceClassMemory*3/4}", 3 * GIB / 2),
            ("{DBInstanceClassMemory/12582880}", 170), // 2147483648/12582880 = 170.67
            ("{DBInstanceVCPU}", 2),
            ("{DBInstanceVCPU*3/4}", 1), // 6/4 = 1.5, truncated
            ("{DBInstanceVCPU/4}", 0),   // 0.5, truncated
            ("{DBInstanceVCPU*2}", 4),
            ("{ DBInstanceClassMemory * 3 / 4 }", 3 * GIB / 2),
            ("{EndPointPort}", 3307),
            ("{TrueIfReplica}", 0),
            ("{AllocatedStorage/1073741824}", 100),
            ("{1024}", 1024),
            ("12", 12),
            ("LEAST({DBInstanceClassMemory/9531392},5000)", 225),
            ("LEAST({DBInstanceClassMemory/94371840}, 5000)", 22),
            ("GREATEST({DBInstanceVCPU/2},4)", 4),
            ("GREATEST({DBInstanceVCPU*4},4)", 8),
            ("GREATEST(7)", 7),
            ("SUM({DBInstanceVCPU},-1)", 1),
            ("SUM(1,2,3)", 6),
            ("IF({TrueIfReplica},1,0)", 0),
            ("IF({DBInstanceVCPU},10,20)", 10),
            (
                "LEAST(GREATEST({DBInstanceClassMemory/9531392},100),SUM({DBInstanceVCPU*100},5))",
                205,
            ),
            ("IF({TrueIfReplica}, LEAST(1,2), GREATEST(SUM(1,1),3))", 3),
        ];
        for (src, want) in cases {
            assert_eq!(evaluate(src, &budget()), Ok(*want), "{src}");
        }
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let cases: &[(&str, FormulaError)] = &[
            (
                "{DBInstanceClassMemroy*3/4}",
                FormulaError::UnknownVariable("DBInstanceClassMemroy".into()),
            ),
            (
                "{dbinstanceclassmemory}",
                FormulaError::UnknownVariable("dbinstanceclassmemory".into()),
            ),
            ("greatest(1,2)", FormulaError::UnknownFunction("greatest".into())),
            (
                "GREATEST({log(DBInstanceClassMemory/805306368)*45},{log(DBInstanceClassMemory/8187281408)*1000})",
                FormulaError::UnknownFunction("log".into()),
            ),
            ("{DBInstanceVCPU/0}", FormulaError::DivisionByZero),
            ("{DBInstanceClassMemory*9223372036854775807}", FormulaError::Overflow),
            ("IF(1,2)", FormulaError::Arity { function: "IF", expected: "3", got: 2 }),
            ("{DBInstanceVCPU", FormulaError::Syntax { offset: 15, expected: "`*`, `/` or `}`" }),
            ("GREATEST(1,,2)", FormulaError::Syntax { offset: 11, expected: "`{`, an integer or a function call" }),
            ("GREATEST()", FormulaError::Syntax { offset: 9, expected: "`{`, an integer or a function call" }),
            ("{DBInstanceVCPU} x", FormulaError::Syntax { offset: 17, expected: "end of value" }),
            // Unset variables are not invented.
            (
                "{AllocatedStorage}",
                FormulaError::Unset { variable: "AllocatedStorage", hint: "give --allocated-storage" },
            ),
        ];
        let mut b = budget();
        for (src, want) in cases {
            if src.contains("AllocatedStorage") {
                b.allocated_storage = None;
            }
            assert_eq!(evaluate(src, &b).as_ref(), Err(want), "{src}");
        }
    }

    #[test]
    fn unknown_name_in_untaken_if_branch_is_still_reported() {
        assert_eq!(
            evaluate("IF(0,{Nope},1)", &budget()),
            Err(FormulaError::UnknownVariable("Nope".into()))
        );
    }

    #[test]
    fn formula_detection() {
        for f in ["{DBInstanceVCPU}", " GREATEST(1,2)", "log (2)"] {
            assert!(is_formula(f), "{f}");
        }
        for lit in [
            "utf8mb4",
            "134217728",
            "STRICT_TRANS_TABLES,NO_ZERO_DATE",
            "SET NAMES utf8mb4",
            "/rdsdbdata/log/mysql-{EndPointPort}.pid",
            "",
        ] {
            assert!(!is_formula(lit), "{lit}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert!(parse_size("2X").unwrap_err().contains("unknown unit"));
        assert!(parse_size("G").is_err());
        assert!(parse_size("99999999999T")
            .unwrap_err()
            .contains("too large"));
    }
}
