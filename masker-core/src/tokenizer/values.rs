//! The value tokenizer: walks a complete run of row tuples and yields each
//! value's kind and span, without copying or allocating.
//!
//! Input is what [`super::sql::Splitter`] delimits between `VALUES` and the end
//! of the tuple list (or one chunk of it): `(v, v, ...) , (v, ...) ...`. A chunk
//! that continues an INSERT cut by the pipeline starts with the `,` before its
//! first tuple ([`TupleReader::continuation`]).
//!
//! Values are literals as dump tools write them: `NULL`, numbers (`-1.5e-3`),
//! quoted strings with backslash escapes and doubled quotes, charset
//! introducers (`_binary '...'`, `_utf8mb4'...'`, `N'...'`), hex (`0x1F`,
//! `X'1F'`) and bit (`b'101'`, `0b101`) literals, and the words `TRUE`,
//! `FALSE`, `DEFAULT`. Anything else is an error naming the byte offset.
//!
//! [`TupleReader::next_token`] yields one token at a time;
//! [`TupleReader::tuple`] reads a whole tuple into a vector in one loop,
//! with the same checks and errors (the workers' fast path).

use std::ops::Range;

/// The kind of a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `NULL`.
    Null,
    /// A bare number.
    Number,
    /// A quoted string (possibly with an introducer).
    String,
    /// A hex literal: `0x..` or `X'..'`.
    Hex,
    /// A bit literal: `0b..` or `b'..'`.
    Bit,
    /// `TRUE`, `FALSE` or `DEFAULT`.
    Word,
}

/// One value: spans are offsets into the slice given to [`TupleReader::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The kind of literal.
    pub kind: ValueKind,
    /// The whole literal, introducer and quotes included.
    pub span: Range<usize>,
    /// The payload: inside the quotes for strings and quoted hex/bit literals,
    /// the digits after `0x`/`0b`, or the whole literal otherwise.
    pub body: Range<usize>,
    /// The quote byte for quoted literals (`'` or `"`), or 0.
    pub quote: u8,
    /// The charset introducer (`_binary`, `_utf8mb4`, `N`), if any.
    pub introducer: Option<Range<usize>>,
    /// The quoted body contains a backslash or a doubled quote and must be
    /// unescaped to get the raw bytes.
    pub escaped: bool,
}

/// What [`TupleReader::next_token`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A value of the current tuple.
    Value(Value),
    /// The current tuple's `)`; the tuple had this many values.
    TupleEnd(usize),
    /// The end of the input, between tuples.
    End,
}

/// What [`TupleReader::tuple`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TupleSpan {
    /// How many values the tuple had.
    pub values: usize,
    /// Where its first value starts (after its `)` if it had none).
    pub first: usize,
}

/// A syntax error inside a tuple list; `offset` is relative to the input slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesError {
    /// Offset of the offending byte in the input slice.
    pub offset: usize,
    /// What was expected; never contains input bytes.
    pub message: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a tuple; `need_comma` when a `,` must come first.
    BeforeTuple { need_comma: bool },
    /// Just after `(`.
    TupleOpen,
    /// After a value.
    AfterValue,
}

/// What follows a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// A `,`: another value.
    Comma,
    /// The tuple's `)`.
    Close,
}

/// Iterates over the values of a run of tuples. See the module docs.
#[derive(Debug, Clone)]
pub struct TupleReader<'a> {
    data: &'a [u8],
    pos: usize,
    state: State,
    count: usize,
    tuples: usize,
}

impl<'a> TupleReader<'a> {
    /// A reader over tuples that start right after `VALUES`.
    pub fn new(data: &'a [u8]) -> Self {
        TupleReader {
            data,
            pos: 0,
            state: State::BeforeTuple { need_comma: false },
            count: 0,
            tuples: 0,
        }
    }

    /// A reader over a continuation chunk, which starts with the `,` that
    /// separates it from the previous chunk's last tuple.
    pub fn continuation(data: &'a [u8]) -> Self {
        TupleReader {
            state: State::BeforeTuple { need_comma: true },
            ..TupleReader::new(data)
        }
    }

    /// [`TupleReader::continuation`] when `continuation`, else [`TupleReader::new`].
    pub fn resume(data: &'a [u8], continuation: bool) -> Self {
        if continuation {
            TupleReader::continuation(data)
        } else {
            TupleReader::new(data)
        }
    }

    /// Current offset in the input.
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.data.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn err<T>(&self, message: &'static str) -> Result<T, ValuesError> {
        Err(ValuesError {
            offset: self.pos,
            message,
        })
    }

    /// The next value, tuple end, or the end of input.
    #[inline]
    pub fn next_token(&mut self) -> Result<Token, ValuesError> {
        loop {
            match self.state {
                State::BeforeTuple { need_comma } => {
                    if !self.open_tuple(need_comma)? {
                        return Ok(Token::End);
                    }
                    self.state = State::TupleOpen;
                }
                State::TupleOpen => {
                    self.skip_ws();
                    if self.data.get(self.pos) == Some(&b')') {
                        self.pos += 1;
                        return Ok(Token::TupleEnd(self.close_tuple()));
                    }
                    return self.value_token();
                }
                State::AfterValue => {
                    return match self.after_value()? {
                        After::Comma => self.value_token(),
                        After::Close => Ok(Token::TupleEnd(self.close_tuple())),
                    };
                }
            }
        }
    }

    /// Reads the next whole tuple, appending its values to `values` when
    /// `keep`; `None` at the end of the input. The same checks and errors
    /// as [`TupleReader::next_token`] (which it must not be mixed with
    /// inside a tuple), in one loop: the workers' fast path.
    #[inline]
    pub fn tuple(
        &mut self,
        values: &mut Vec<Value>,
        keep: bool,
    ) -> Result<Option<TupleSpan>, ValuesError> {
        let State::BeforeTuple { need_comma } = self.state else {
            return self.err("a tuple is half read");
        };
        if !self.open_tuple(need_comma)? {
            return Ok(None);
        }
        self.skip_ws();
        let first = self.pos;
        if self.data.get(self.pos) == Some(&b')') {
            self.pos += 1;
        } else {
            loop {
                // Each kind of value is pushed where it is read: a value
                // returned through memory by `other_value` and one built in
                // registers, merged into one stack slot and then copied
                // out, stalled every copy (see `common_value`).
                if self.is_common_value() {
                    let v = self.common_value()?;
                    if keep {
                        values.push(v);
                    }
                } else {
                    let v = self.other_value()?;
                    if keep {
                        values.push(v);
                    }
                }
                self.count += 1;
                if self.after_value()? == After::Close {
                    break;
                }
            }
        }
        let n = self.close_tuple();
        Ok(Some(TupleSpan {
            values: n,
            first: if n == 0 { self.pos } else { first },
        }))
    }

    /// Before a tuple: past the `,` before it (when `need_comma`) and its
    /// `(`, with the value count reset; false at the end of the input
    /// between tuples.
    #[inline(always)]
    fn open_tuple(&mut self, need_comma: bool) -> Result<bool, ValuesError> {
        self.skip_ws();
        let Some(&b) = self.data.get(self.pos) else {
            // A tuple list (or a chunk of one) holds at least one tuple.
            return if self.tuples > 0 {
                Ok(false)
            } else {
                self.err("expected `(` to start a row tuple")
            };
        };
        if need_comma {
            if b != b',' {
                return self.err("expected `,` between row tuples");
            }
            self.pos += 1;
            self.skip_ws();
        }
        if self.data.get(self.pos) != Some(&b'(') {
            return self.err("expected `(` to start a row tuple");
        }
        self.pos += 1;
        self.count = 0;
        Ok(true)
    }

    /// After a value: past a `,` and the whitespace after it, or past the
    /// tuple's `)`.
    #[inline(always)]
    fn after_value(&mut self) -> Result<After, ValuesError> {
        self.skip_ws();
        match self.data.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.skip_ws();
                Ok(After::Comma)
            }
            Some(b')') => {
                self.pos += 1;
                Ok(After::Close)
            }
            Some(_) => self.err("expected `,` or `)` after a value"),
            None => self.err("row tuple is not closed"),
        }
    }

    /// The tuple's `)` was read: the next one needs a `,` first. Returns
    /// how many values the tuple had.
    #[inline(always)]
    fn close_tuple(&mut self) -> usize {
        self.tuples += 1;
        self.state = State::BeforeTuple { need_comma: true };
        self.count
    }

    /// The value at `self.pos`; the caller counts it and sets the state.
    /// The literals that fill dumps (a quoted string, a decimal number) are
    /// read by [`TupleReader::common_value`], inlined into the callers so
    /// their spans stay in registers; every other literal by
    /// [`TupleReader::other_value`].
    #[inline(always)]
    fn value(&mut self) -> Result<Value, ValuesError> {
        if self.is_common_value() {
            self.common_value()
        } else {
            self.other_value()
        }
    }

    /// A quoted string or a decimal number starts at `self.pos`.
    #[inline(always)]
    fn is_common_value(&self) -> bool {
        matches!(self.data.get(self.pos), Some(b'\'' | b'1'..=b'9' | b'-'))
    }

    /// The quoted string or number at `self.pos` ([`TupleReader::is_common_value`]).
    /// The [`Value`] is built in one expression from locals, never filled
    /// in field by field through a reference: its byte-sized fields stored
    /// one by one and then copied out as a whole made the processor wait on
    /// every value (a store-forwarding stall).
    #[inline(always)]
    fn common_value(&mut self) -> Result<Value, ValuesError> {
        let start = self.pos;
        let (kind, body, quote, escaped) = if self.data[start] == b'\'' {
            let (end, escaped) = self.quoted()?;
            (ValueKind::String, start + 1..end, b'\'', escaped)
        } else {
            (ValueKind::Number, start..self.number()?, 0, false)
        };
        Ok(Value {
            kind,
            span: start..self.pos,
            body,
            quote,
            introducer: None,
            escaped,
        })
    }

    /// [`TupleReader::value`] as the token [`TupleReader::next_token`] returns.
    #[inline(always)]
    fn value_token(&mut self) -> Result<Token, ValuesError> {
        let v = self.value()?;
        self.count += 1;
        self.state = State::AfterValue;
        Ok(Token::Value(v))
    }

    #[inline(never)]
    fn other_value(&mut self) -> Result<Value, ValuesError> {
        let start = self.pos;
        let Some(&b) = self.data.get(start) else {
            return self.err("expected a value");
        };
        let mut v = Value {
            kind: ValueKind::String,
            span: start..start,
            body: start..start,
            quote: 0,
            introducer: None,
            escaped: false,
        };
        match b {
            b'\'' | b'"' => self.quoted_into(&mut v)?,
            b'0' if matches!(self.data.get(start + 1), Some(b'x' | b'X' | b'b' | b'B')) => {
                let hex = matches!(self.data[start + 1], b'x' | b'X');
                let body_start = start + 2;
                let mut end = body_start;
                while end < self.data.len() && self.data[end].is_ascii_hexdigit() {
                    end += 1;
                }
                if end == body_start
                    || end < self.data.len() && is_word(self.data[end])
                    || !hex
                        && !self.data[body_start..end]
                            .iter()
                            .all(|&d| d == b'0' || d == b'1')
                {
                    self.pos = start;
                    return self.err("malformed hex or bit literal");
                }
                v.kind = if hex { ValueKind::Hex } else { ValueKind::Bit };
                v.body = body_start..end;
                self.pos = end;
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => {
                v.kind = ValueKind::Number;
                v.body = start..self.number()?;
            }
            b'x' | b'X' | b'b' | b'B' if self.data.get(start + 1) == Some(&b'\'') => {
                let hex = matches!(b, b'x' | b'X');
                self.pos = start + 1;
                self.quoted_into(&mut v)?;
                let body = &self.data[v.body.clone()];
                let ok = if hex {
                    body.iter().all(u8::is_ascii_hexdigit) && body.len() % 2 == 0
                } else {
                    body.iter().all(|&d| d == b'0' || d == b'1')
                };
                if !ok || v.escaped {
                    self.pos = start;
                    return self.err("malformed hex or bit literal");
                }
                v.kind = if hex { ValueKind::Hex } else { ValueKind::Bit };
            }
            b'n' | b'N' if self.data.get(start + 1) == Some(&b'\'') => {
                v.introducer = Some(start..start + 1);
                self.pos = start + 1;
                self.quoted_into(&mut v)?;
            }
            b'_' => {
                let mut end = start + 1;
                while end < self.data.len() && is_word(self.data[end]) {
                    end += 1;
                }
                if end == start + 1 {
                    return self.err("expected a charset name after `_`");
                }
                self.pos = end;
                self.skip_ws();
                match self.data.get(self.pos) {
                    Some(b'\'' | b'"') => self.quoted_into(&mut v)?,
                    Some(b'0' | b'x' | b'X' | b'b' | b'B') => {
                        // `_binary 0x..` / `_binary X'..'`: reuse the literal parser.
                        let inner = self.other_value()?;
                        if !matches!(inner.kind, ValueKind::Hex | ValueKind::Bit) {
                            self.pos = inner.span.start;
                            return self.err(
                                "expected a string or hex literal after a charset introducer",
                            );
                        }
                        v = inner;
                    }
                    _ => return self.err("expected a string after a charset introducer"),
                }
                v.introducer = Some(start..end);
            }
            b if b.is_ascii_alphabetic() => {
                let mut end = start;
                while end < self.data.len() && is_word(self.data[end]) {
                    end += 1;
                }
                let word = &self.data[start..end];
                v.kind = if word.eq_ignore_ascii_case(b"NULL") {
                    ValueKind::Null
                } else if word.eq_ignore_ascii_case(b"TRUE")
                    || word.eq_ignore_ascii_case(b"FALSE")
                    || word.eq_ignore_ascii_case(b"DEFAULT")
                {
                    ValueKind::Word
                } else {
                    return self.err("unexpected word where a value should be");
                };
                v.body = start..end;
                self.pos = end;
            }
            _ => {
                return self
                    .err("expected a value (a number, a quoted string, NULL, hex or bit literal)")
            }
        }
        v.span = start..self.pos;
        Ok(v)
    }

    /// [`TupleReader::quoted`] into `v`: a string (for `other_value`'s
    /// rarer literals).
    fn quoted_into(&mut self, v: &mut Value) -> Result<(), ValuesError> {
        let q = self.data[self.pos];
        let body_start = self.pos + 1;
        let (end, escaped) = self.quoted()?;
        v.kind = ValueKind::String;
        v.quote = q;
        v.body = body_start..end;
        v.escaped = escaped;
        Ok(())
    }

    /// A quoted literal whose opening quote is at `self.pos`: where its
    /// body ends (at the closing quote), and whether the body holds an
    /// escape or a doubled quote. `self.pos` moves past the closing quote.
    #[inline(always)]
    fn quoted(&mut self) -> Result<(usize, bool), ValuesError> {
        let q = self.data[self.pos];
        let mut escaped = false;
        let body_start = self.pos + 1;
        let mut i = body_start;
        loop {
            match super::find_quote_end(&self.data[i..], q) {
                None => {
                    self.pos = self.data.len();
                    return self.err("quoted string is not closed");
                }
                Some(k) => {
                    i += k;
                    if self.data[i] == b'\\' {
                        escaped = true;
                        i += 2;
                        if i > self.data.len() {
                            self.pos = self.data.len();
                            return self.err("quoted string is not closed");
                        }
                    } else if self.data.get(i + 1) == Some(&q) {
                        escaped = true;
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
        }
        self.pos = i + 1;
        Ok((i, escaped))
    }

    #[inline(always)]
    /// A number at `self.pos`: where it ends (`self.pos` moves there).
    fn number(&mut self) -> Result<usize, ValuesError> {
        let d = self.data;
        let start = self.pos;
        let mut i = start;
        if matches!(d.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let int_start = i;
        while i < d.len() && d[i].is_ascii_digit() {
            i += 1;
        }
        let mut digits = i - int_start;
        if d.get(i) == Some(&b'.') {
            i += 1;
            let frac = i;
            while i < d.len() && d[i].is_ascii_digit() {
                i += 1;
            }
            digits += i - frac;
        }
        if digits == 0 {
            return self.err("malformed number");
        }
        if matches!(d.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(d.get(i), Some(b'-' | b'+')) {
                i += 1;
            }
            let exp = i;
            while i < d.len() && d[i].is_ascii_digit() {
                i += 1;
            }
            if i == exp {
                self.pos = i;
                return self.err("malformed number exponent");
            }
        }
        if i < d.len() && (is_word(d[i]) || d[i] == b'.') {
            self.pos = i;
            return self.err("malformed number");
        }
        self.pos = i;
        Ok(i)
    }
}

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(data: &[u8]) -> Result<Vec<String>, ValuesError> {
        let mut r = TupleReader::new(data);
        let mut out = Vec::new();
        loop {
            match r.next_token()? {
                Token::Value(v) => out.push(format!(
                    "{:?}:{}",
                    v.kind,
                    String::from_utf8_lossy(&data[v.body.clone()])
                )),
                Token::TupleEnd(n) => out.push(format!("end{n}")),
                Token::End => return Ok(out),
            }
        }
    }

    #[test]
    fn all_literal_kinds() {
        let data = b" (1,-2.5e-3,'a\\'b','',NULL,0xFF,X'0A',b'101',_binary 'x',_utf8mb4'y',N'z',TRUE,.5)\n,()";
        assert_eq!(
            kinds(data).unwrap(),
            vec![
                "Number:1",
                "Number:-2.5e-3",
                "String:a\\'b",
                "String:",
                "Null:NULL",
                "Hex:FF",
                "Hex:0A",
                "Bit:101",
                "String:x",
                "String:y",
                "String:z",
                "Word:TRUE",
                "Number:.5",
                "end13",
                "end0"
            ]
        );
    }

    #[test]
    fn doubled_quotes_and_double_quoted() {
        assert_eq!(
            kinds(b"('it''s',\"say \"\"hi\"\"\")").unwrap(),
            vec!["String:it''s", "String:say \"\"hi\"\"", "end2"]
        );
    }

    #[test]
    fn garbage_is_an_error_with_offset() {
        let err = kinds(b"(1,@@@)").unwrap_err();
        assert_eq!(err.offset, 3);
        assert!(kinds(b"(1 2)").is_err());
        assert!(kinds(b"(1,'abc)").is_err());
        assert!(kinds(b"(1),").is_err());
        assert!(kinds(b"(12abc)").is_err());
        assert!(kinds(b"(0xZZ)").is_err());
        assert!(kinds(b"(CURRENT_USER)").is_err());
        assert!(kinds(b"").is_err());
    }

    /// Per tuple: its values and its first value's start; or the error.
    type Tuples = Result<Vec<(Vec<Value>, usize)>, ValuesError>;

    fn by_tokens(data: &[u8], continuation: bool) -> Tuples {
        let mut r = TupleReader::resume(data, continuation);
        let (mut out, mut cur) = (Vec::new(), Vec::new());
        loop {
            match r.next_token()? {
                Token::Value(v) => cur.push(v),
                Token::TupleEnd(n) => {
                    assert_eq!(n, cur.len());
                    let first = cur.first().map_or(r.offset(), |v: &Value| v.span.start);
                    out.push((std::mem::take(&mut cur), first));
                }
                Token::End => return Ok(out),
            }
        }
    }

    fn by_tuples(data: &[u8], continuation: bool, keep: bool) -> Tuples {
        let mut r = TupleReader::resume(data, continuation);
        let mut out = Vec::new();
        let mut values = Vec::new();
        while let Some(t) = r.tuple(&mut values, keep)? {
            if keep {
                assert_eq!(t.values, values.len());
            }
            out.push((std::mem::take(&mut values), t.first));
        }
        Ok(out)
    }

    /// The workers' whole-tuple reader gives the values, spans and errors
    /// (offset and message) of the token reader, over random tuple lists
    /// built from every kind of literal, separators and garbage.
    #[test]
    fn tuple_reader_agrees_with_next_token() {
        let pieces: [&[u8]; 24] = [
            b"(",
            b")",
            b",",
            b" ",
            b"\n",
            b"1",
            b"-2.5e3",
            b"'a'",
            b"'it''s'",
            b"'x\\'y'",
            b"\"q\"",
            b"NULL",
            b"0x1F",
            b"b'10'",
            b"_binary 'z'",
            b"_utf8mb4 0xAB",
            b"N'n'",
            b"TRUE",
            b"DEFAULT",
            b"@",
            b"'open",
            b"12ab",
            b".5",
            b"+7",
        ];
        let mut state = 0x2545_f491u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        let mut parsed = 0;
        for round in 0..30_000 {
            // Tuples of valid literals, with now and then any piece at all
            // (garbage, a stray separator) in place of a value or separator.
            let mut data = Vec::new();
            let lead = round % 2 == 1;
            for t in 0..1 + next() % 3 {
                if t > 0 || lead {
                    data.extend_from_slice(b",");
                }
                data.extend_from_slice(b"(");
                for v in 0..next() % 5 {
                    if v > 0 {
                        data.extend_from_slice(b",");
                    }
                    let r = next();
                    let p = if r % 16 == 0 {
                        pieces[(r >> 8) % pieces.len()]
                    } else {
                        pieces[5 + (r >> 8) % 13]
                    };
                    data.extend_from_slice(p);
                }
                data.extend_from_slice(if next() % 40 == 0 { b"" } else { b")" });
            }
            parsed += usize::from(by_tokens(&data, lead).is_ok());
            for continuation in [false, true] {
                let want = by_tokens(&data, continuation);
                assert_eq!(by_tuples(&data, continuation, true), want, "{data:?}");
                let spans =
                    |t: Tuples| t.map(|v| v.into_iter().map(|(_, f)| f).collect::<Vec<_>>());
                assert_eq!(spans(by_tuples(&data, continuation, false)), spans(want));
            }
        }
        // Both outcomes are well covered.
        assert!(
            (5_000..29_000).contains(&parsed),
            "{parsed} of 30000 parsed"
        );
    }

    #[test]
    fn continuation_needs_leading_comma() {
        let mut r = TupleReader::continuation(b",(1)");
        assert!(matches!(r.next_token(), Ok(Token::Value(_))));
        assert!(TupleReader::continuation(b"(1)").next_token().is_err());
    }
}
