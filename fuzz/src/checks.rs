//! The properties the fuzz targets check, one function per target.
//!
//! This file is the single source of truth for them: the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) call it through the `masker_fuzz` library, and the
//! stable tests in `masker-core/tests/` include it with `#[path]`, so CI without
//! a nightly toolchain still replays the committed corpus through exactly the
//! same checks. It depends on nothing but `masker_core` and `std`.
//!
//! Every function takes arbitrary bytes and panics when a property fails; an
//! `Err` from masker on garbage input is fine, a panic or a disagreement is not.

use std::sync::OnceLock;

use masker_core::rules::{Rules, RulesBuilder};
use masker_core::schema::parse_create_table;
use masker_core::tokenizer::reference;
use masker_core::tokenizer::sql::{Event, Splitter};
use masker_core::tokenizer::values::{Token, TupleReader};
use masker_core::{mask_reader, MaskOptions};

/// Events with their absolute offsets, or the offset of the first error:
/// the same shape as [`reference::split_all`].
pub type Events = Result<Vec<(Event, u64)>, u64>;

/// Drive the fast [`Splitter`] over `input` pushed in pieces whose sizes cycle
/// through `sizes` (a size of 0 counts as 1), the way the unit-test helper
/// `events()` in `tokenizer/sql.rs` does, and collect its events.
///
/// Also checks the driver contract: `NeedMore` consumes the whole piece, no
/// event is reported twice without consuming input, and an end-of-input error
/// is reported at the end of the input.
pub fn split_pieces(input: &[u8], sizes: &[usize], report_tuples: bool) -> Events {
    let mut s = Splitter::new().report_tuples(report_tuples);
    let mut out = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < input.len() {
        let size = sizes
            .get(k % sizes.len().max(1))
            .copied()
            .unwrap_or(usize::MAX)
            .max(1);
        k += 1;
        let end = pos.saturating_add(size).min(input.len());
        let mut rest = &input[pos..end];
        let mut idle = 0;
        loop {
            let (ev, used) = s.split(rest).map_err(|e| {
                assert!(!e.eof, "split() reported an end-of-input error: {e:?}");
                e.offset
            })?;
            assert!(used <= rest.len(), "consumed more than the piece");
            rest = &rest[used..];
            if ev == Event::NeedMore {
                assert!(
                    rest.is_empty(),
                    "NeedMore left {} bytes unconsumed",
                    rest.len()
                );
                break;
            }
            idle = if used == 0 { idle + 1 } else { 0 };
            assert!(idle < 4, "splitter reports events without consuming input");
            out.push((ev, s.offset()));
        }
        pos = end;
    }
    assert_eq!(
        s.offset(),
        input.len() as u64,
        "offset() is not the bytes consumed"
    );
    let eof = |e: masker_core::tokenizer::sql::SplitError| {
        assert!(
            e.offset <= input.len() as u64,
            "error beyond the input: {e:?}"
        );
        e.offset
    };
    s.finish_delimiter_command().map_err(eof)?;
    s.finish().map_err(|e| {
        if e.eof {
            assert_eq!(
                e.offset,
                input.len() as u64,
                "eof error not at the end: {e:?}"
            );
        } else {
            // Only a delimiter's first bytes can be left over at the end, and
            // between tuples they are garbage at their own offset.
            assert!(e.offset < input.len() as u64, "{e:?}");
        }
        e.offset
    })?;
    Ok(out)
}

/// The fast splitter's events on `input` whole.
pub fn split_whole(input: &[u8]) -> Events {
    split_pieces(input, &[usize::MAX], true)
}

/// Assert that the fast splitter, fed as described by `sizes`, agrees with
/// the reference splitter: same events at the same offsets, or an error at
/// the same offset. `what` names the feeding in the panic message.
pub fn assert_agrees(input: &[u8], sizes: &[usize], what: &str) {
    let want = reference::split_all(input);
    let got = split_pieces(input, sizes, true);
    assert_eq!(
        got,
        want,
        "fast ({what}) vs reference on {:?}",
        String::from_utf8_lossy(input)
    );
    // Without TupleEnd reporting (what the pipeline uses) the other events are the same.
    let quiet = split_pieces(input, sizes, false);
    let want_quiet = want.map(|v| {
        v.into_iter()
            .filter(|(e, _)| *e != Event::TupleEnd)
            .collect()
    });
    assert_eq!(
        quiet, want_quiet,
        "fast ({what}, no tuple events) vs reference"
    );
}

/// `tokenize_sql`: the first two bytes choose a cut point and a piece size;
/// the rest is the input. Fast and reference agree whole, cut in two at the
/// cut point, and in pieces of the chosen size.
pub fn tokenize_sql(data: &[u8]) {
    if data.len() < 2 {
        assert_agrees(data, &[usize::MAX], "whole");
        return;
    }
    let (cut, step) = (data[0] as usize, (data[1] % 16) as usize + 1);
    let input = &data[2..];
    assert_agrees(input, &[usize::MAX], "whole");
    let cut = if input.is_empty() {
        0
    } else {
        cut % (input.len() + 1)
    };
    assert_agrees(input, &[cut, usize::MAX], "cut in two");
    assert_agrees(input, &[step], "fixed pieces");
}

/// `tokenize_values`: [`TupleReader`] never panics and always makes progress,
/// as a tuple list and as a continuation chunk.
pub fn tokenize_values(data: &[u8]) {
    for continuation in [false, true] {
        let mut r = if continuation {
            TupleReader::continuation(data)
        } else {
            TupleReader::new(data)
        };
        let mut last = 0;
        let mut same = 0;
        loop {
            match r.next_token() {
                Ok(Token::End) | Err(_) => break,
                Ok(Token::Value(v)) => {
                    assert!(v.span.start <= v.span.end && v.span.end <= data.len());
                    assert!(v.body.start <= v.body.end && v.body.end <= data.len());
                    assert!(v.span.start <= v.body.start && v.body.end <= v.span.end);
                }
                Ok(Token::TupleEnd(_)) => {}
            }
            assert!(r.offset() <= data.len(), "offset beyond the input");
            if r.offset() == last {
                same += 1;
                assert!(same < 4, "TupleReader makes no progress at {last}");
            } else {
                same = 0;
                last = r.offset();
            }
        }
        tuples_agree_with_tokens(data, continuation);
    }
}

/// The whole-tuple reader the workers use ([`TupleReader::tuple`]) reads
/// the values, tuple ends and errors of the token reader.
fn tuples_agree_with_tokens(data: &[u8], continuation: bool) {
    let mut tokens = TupleReader::resume(data, continuation);
    let mut tuples = TupleReader::resume(data, continuation);
    let mut values = Vec::new();
    loop {
        let mut want = Vec::new();
        let want_end = loop {
            match tokens.next_token() {
                Ok(Token::Value(v)) => want.push(v),
                Ok(Token::TupleEnd(n)) => break Ok(Some(n)),
                Ok(Token::End) => break Ok(None),
                Err(e) => break Err(e),
            }
        };
        values.clear();
        match (tuples.tuple(&mut values, true), want_end) {
            (Ok(Some(t)), Ok(Some(n))) => {
                assert_eq!(t.values, n);
                assert!(values == want, "values differ");
                assert_eq!(tuples.offset(), tokens.offset());
            }
            (Ok(None), Ok(None)) => return,
            (Err(a), Err(b)) => {
                assert_eq!(a, b);
                return;
            }
            (got, want) => panic!("tuple() gave {got:?}, next_token {want:?}"),
        }
    }
}

/// `mask_identity`: with empty rules, whenever masking succeeds the output is
/// the input byte for byte.
pub fn mask_identity(data: &[u8]) {
    let mut out = Vec::new();
    let opts = MaskOptions {
        threads: 1,
        ..MaskOptions::default()
    };
    if let Ok(summary) = mask_reader(&Rules::empty(), data, &mut out, &opts) {
        // Empty rules drop no row but those of a system table that holds
        // original values (`mysql.column_stats`), which are never written.
        if summary.dropped.is_empty() {
            assert!(out == data, "empty rules changed the dump");
        }
    }
}

/// A small dump that the fuzzed rules of [`rules_config`] are applied to.
const RULES_DUMP: &[u8] = b"CREATE TABLE `users` (`id` int NOT NULL, `name` varchar(50), \
`email` varchar(255), `phone` varchar(20), `born` date, `memo` text, PRIMARY KEY (`id`));\n\
INSERT INTO `users` VALUES (1,'Ann','ann@example.com','090-1234-5678','1990-01-02','x\\'y'),\
(2,NULL,'b@example.com',NULL,NULL,NULL);\n";

/// `rules_config`: arbitrary UTF-8 text as a rules file never panics the
/// builder; rules that build never panic when masking a small dump.
pub fn rules_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = RulesBuilder::new().toml(text, "fuzz.toml").build();
    if let Ok(rules) = RulesBuilder::new()
        .toml(text, "fuzz.toml")
        .key(b"fuzz-key")
        .build()
    {
        let opts = MaskOptions {
            threads: 1,
            chunk_size: 1 << 16,
            allow_missing: true,
            allow_incomplete: true,
        };
        let _ = mask_reader(&rules, RULES_DUMP, std::io::sink(), &opts);
    }
}

/// `create_table`: [`parse_create_table`] never panics; what it accepts has
/// at least one column with a name.
pub fn create_table(data: &[u8]) {
    if let Ok(schema) = parse_create_table(data) {
        let _ = schema.stored_column_count();
        for c in &schema.columns {
            let _ = schema.column_index(&c.name);
        }
    }
}

/// Rules with keyed transforms for the tables of the fixtures, used by
/// [`split_invariance`] (tables that do not appear are allowed).
pub fn hash_rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        RulesBuilder::new()
            .toml(
                "[key]\nenv = \"MASKER_KEY\"\n\n[tables.users]\nemail = { transform = \"hash\", format = \"email\" }\n\
                 name = \"hash\"\n\n[tables.t]\nb = \"hash\"\n",
                "split_invariance.toml",
            )
            .key(b"k")
            .build()
            .expect("the split_invariance rules build")
    })
}

/// Mask `data` and return the output, or the error's position (bytes, line)
/// and kind name. Output written before an error is part of the result.
pub fn run(
    rules: &Rules,
    data: &[u8],
    threads: usize,
    chunk_size: usize,
) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::new();
    let opts = MaskOptions {
        threads,
        chunk_size,
        allow_missing: true,
        allow_incomplete: true,
    };
    match mask_reader(rules, data, &mut out, &opts) {
        Ok(_) => (out, None),
        Err(e) => (out, Some(error_tag(&e))),
    }
}

/// An error's position, and ` eof` for an end-of-input error: what
/// [`split_invariance`] compares.
pub fn error_tag(e: &masker_core::Error) -> String {
    let eof = matches!(e.kind(), masker_core::ErrorKind::UnexpectedEof { .. });
    format!("{:?}{}", e.position(), if eof { " eof" } else { "" })
}

/// `split_invariance`: the first byte chooses a chunk size (1..=64) and a
/// thread count (1..=4); the rest is the dump. The output, and the position of
/// the error if any, are the same as with one thread and 1 MiB chunks, with
/// empty rules and with hashing rules.
pub fn split_invariance(data: &[u8]) {
    let Some((&b, input)) = data.split_first() else {
        return;
    };
    let chunk = (b & 63) as usize + 1;
    let threads = (b >> 6) as usize + 1;
    for rules in [&Rules::empty(), hash_rules()] {
        let (want, want_err) = run(rules, input, 1, 1 << 20);
        let (got, got_err) = run(rules, input, threads, chunk);
        assert_eq!(
            got_err.is_some(),
            want_err.is_some(),
            "success differs (threads {threads}, chunk {chunk})"
        );
        assert_eq!(
            got_err, want_err,
            "error differs (threads {threads}, chunk {chunk})"
        );
        if want_err.is_none() {
            assert!(
                got == want,
                "output differs (threads {threads}, chunk {chunk})"
            );
        }
    }
}

/// Rules that mask columns `b` (hash) and `c` (null) of the TSV table `t`.
fn tsv_rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        RulesBuilder::new()
            .toml("[tables.t]\nb = \"hash\"\nc = \"null\"\n", "fuzz.toml")
            .key(b"fuzz-key")
            .build()
            .expect("the mask_tsv rules build")
    })
}

/// Mask `data` as one TSV stream of table `t(a, b, c)` in `dialect`.
fn run_tsv(
    rules: &Rules,
    dialect: &masker_core::tokenizer::tsv::TsvDialect,
    data: &[u8],
    threads: usize,
    chunk_size: usize,
) -> (Vec<u8>, Option<String>) {
    use masker_core::schema::TableName;
    use masker_core::tsv::{mask_tsv, text_schema, TsvOptions};
    let schema = text_schema(
        TableName::new(None, "t"),
        &["a".to_owned(), "b".to_owned(), "c".to_owned()],
    );
    let opts = TsvOptions {
        threads,
        chunk_size,
        ..TsvOptions::default()
    };
    let mut out = Vec::new();
    match mask_tsv(rules, &schema, dialect, data, &mut out, &opts) {
        Ok(_) => (out, None),
        Err(e) => (out, Some(error_tag(&e))),
    }
}

/// `mask_tsv`: the first byte chooses the dialect, a chunk size (1..=32) and
/// a thread count; the rest is `LOAD DATA` text of a 3-column table. Empty
/// rules give the input back (or an error); masking rules give the same
/// output and the same error position at any chunk size and thread count.
pub fn mask_tsv(data: &[u8]) {
    use masker_core::tokenizer::tsv::TsvDialect;
    let Some((&b, input)) = data.split_first() else {
        return;
    };
    let d = match b % 3 {
        0 => TsvDialect::default(),
        1 => TsvDialect::builder()
            .fields_terminated_by(b",")
            .fields_optionally_enclosed_by(b"\"")
            .lines_terminated_by(b"\r\n")
            .build()
            .expect("dialect"),
        _ => TsvDialect::builder()
            .fields_enclosed_by(b"'")
            .fields_escaped_by(b"")
            .build()
            .expect("dialect"),
    };
    let chunk = ((b >> 2) & 31) as usize + 1;
    let threads = (b >> 7) as usize + 1;
    let (same, err) = run_tsv(&Rules::empty(), &d, input, threads, chunk);
    if err.is_none() {
        assert!(same == input, "empty rules changed a TSV stream");
    }
    let (want, want_err) = run_tsv(tsv_rules(), &d, input, 1, 1 << 20);
    let (got, got_err) = run_tsv(tsv_rules(), &d, input, threads, chunk);
    assert_eq!(
        got_err, want_err,
        "error differs (threads {threads}, chunk {chunk})"
    );
    if want_err.is_none() {
        assert!(
            got == want,
            "output differs (threads {threads}, chunk {chunk})"
        );
    }
}

/// An export sink that keeps each table's rows in memory, by table name.
#[derive(Default)]
struct MemoryExport {
    names: Vec<String>,
    ended: Vec<bool>,
    rows: std::collections::BTreeMap<String, Vec<u8>>,
}

impl masker_core::ExportSink for MemoryExport {
    fn begin_table(&mut self, schema: &masker_core::schema::TableSchema) -> std::io::Result<usize> {
        // A table defined again starts afresh, under its name plus its number.
        let name = format!("{}#{}", schema.name, self.names.len());
        self.names.push(name.clone());
        self.ended.push(false);
        self.rows.insert(name, Vec::new());
        Ok(self.names.len() - 1)
    }
    fn write_rows(&mut self, table: usize, rows: &[u8]) -> std::io::Result<()> {
        assert!(!self.ended[table], "rows after end_table");
        self.rows
            .get_mut(&self.names[table])
            .expect("begun")
            .extend_from_slice(rows);
        Ok(())
    }
    fn end_table(&mut self, table: usize) -> std::io::Result<()> {
        assert!(!self.ended[table], "end_table twice");
        self.ended[table] = true;
        Ok(())
    }
}

/// `export`: the first byte chooses a chunk size (1..=64) and a thread count;
/// the rest is a dump exported whole (every table) with hashing rules. The
/// export (per table) and the verdict are the same as with one thread and
/// 1 MiB chunks, whatever the order of the tables' rows; every table begun
/// is ended on success.
pub fn export(data: &[u8]) {
    use masker_core::{mask_reader_with_export, ExportConfig};
    let Some((&b, input)) = data.split_first() else {
        return;
    };
    let chunk = (b & 63) as usize + 1;
    let threads = (b >> 6) as usize + 1;
    let go = |threads: usize, chunk_size: usize| {
        let mut sink = MemoryExport::default();
        let opts = MaskOptions {
            threads,
            chunk_size,
            allow_missing: true,
            allow_incomplete: true,
        };
        let config = ExportConfig::default();
        let r = mask_reader_with_export(
            hash_rules(),
            input,
            std::io::sink(),
            &opts,
            Some((&config, &mut sink)),
        );
        if r.is_ok() {
            assert!(sink.ended.iter().all(|&e| e), "a table was not ended");
        }
        (sink.rows, r.err().map(|e| error_tag(&e)))
    };
    let (want, want_err) = go(1, 1 << 20);
    let (got, got_err) = go(threads, chunk);
    assert_eq!(
        got_err, want_err,
        "error differs (threads {threads}, chunk {chunk})"
    );
    if want_err.is_none() {
        assert!(
            got == want,
            "export differs (threads {threads}, chunk {chunk})"
        );
    }
}

/// `condition`: the `when` / `rows.where` language. The first line of the
/// input is a condition, the rest a row (values separated by `\t`, `\N` for
/// NULL). Parsing never panics; a parsed condition binds to a fixed table
/// (or names what it lacks), and evaluates without panicking, with SQL's
/// three-valued logic: `NOT (c)` is the negation of `c`, and `(c) AND (c)`
/// and `(c) OR (c)` are `c`.
pub fn condition(data: &[u8]) {
    use masker_core::rules::expr::{Condition, Truth};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (cond, row) = text.split_once('\n').unwrap_or((text, ""));
    let Ok(c) = Condition::parse(cond) else {
        return;
    };
    static TABLE: OnceLock<masker_core::schema::TableSchema> = OnceLock::new();
    let schema = TABLE.get_or_init(|| {
        parse_create_table(
            b"CREATE TABLE t (a int, b varchar(10), c decimal(10,2), d bit(8), e date, `odd name` text)",
        )
        .expect("valid")
    });
    let Ok(bound) = c.bind(schema) else {
        return;
    };
    let values: Vec<Option<&[u8]>> = row
        .split('\t')
        .map(|v| (v != "\\N").then_some(v.as_bytes()))
        .collect();
    let got = bound.eval(values.as_slice());
    let not = match got {
        Ok(Truth::True) => Ok(Truth::False),
        Ok(Truth::False) => Ok(Truth::True),
        other => other,
    };
    // Wrapping adds depth: a wrapped condition may be refused as too deep.
    if let Ok(n) = Condition::parse(&format!("NOT ({cond})")) {
        let v = n
            .bind(schema)
            .expect("same columns")
            .eval(values.as_slice());
        assert_eq!(v, not, "NOT ({cond})");
    }
    for op in ["AND", "OR"] {
        if let Ok(t) = Condition::parse(&format!("({cond}) {op} ({cond})")) {
            let v = t
                .bind(schema)
                .expect("same columns")
                .eval(values.as_slice());
            assert_eq!(v, got, "({cond}) {op} ({cond})");
        }
    }
}

/// The `json` rules of [`mask_json`], bound to a JSON column: one with
/// `keep` at many paths, one with masking transforms.
fn json_transforms() -> &'static [std::sync::Arc<dyn masker_core::transform::Transform>; 2] {
    static T: OnceLock<[std::sync::Arc<dyn masker_core::transform::Transform>; 2]> =
        OnceLock::new();
    T.get_or_init(|| {
        let schema = parse_create_table(b"CREATE TABLE `t` (`k` json, `m` json)")
            .expect("the mask_json table parses");
        let rules = RulesBuilder::new()
            .toml(
                r##"[tables.t]
k = { json = { "a" = "keep", "*" = "keep", "[]" = "keep", "a.b[0]" = "keep", "*.*" = "keep" } }
m = { json = { "a" = "hash", "b[]" = "fpe", "c" = "null", "*.email" = { transform = "hash", format = "email" }, "d" = { transform = "constant", value = "x" }, "n" = { noise = { relative = 0.5 } }, "t" = { date_shift = { max_days = 10 } }, "r" = { transform = "regex_replace", pattern = "[0-9]+", value = "#" }, "[]" = { transform = "partial", keep_first = 1, keep_last = 1 } } }
"##,
                "mask_json.toml",
            )
            .key(b"fuzz-key")
            .build()
            .expect("the mask_json rules build");
        let plan = rules
            .bind(&schema)
            .expect("the mask_json rules bind")
            .expect("a plan");
        [0, 1].map(|i| plan.columns[i].clone().expect("a json transform"))
    })
}

/// `mask_json`: the JSON path masker on arbitrary bytes as a document.
/// With `keep` rules it is the identity on exactly the documents the strict
/// reader accepts (and refuses the others); with masking rules, what it
/// writes is valid JSON, it never accepts an invalid document, and it is
/// deterministic.
pub fn mask_json(data: &[u8]) {
    use masker_core::transform::json::validate;
    let [keep, masking] = json_transforms();
    let valid = validate(data).is_ok();
    let mut out = Vec::new();
    match keep.apply(Some(data), &mut out) {
        Ok(_) => {
            assert!(valid, "keep rules accepted an invalid document");
            assert!(out == data, "keep rules changed the document");
        }
        Err(_) => assert!(!valid, "keep rules refused a valid document"),
    }
    let mut a = Vec::new();
    if masking.apply(Some(data), &mut a).is_ok() {
        assert!(valid, "masking accepted an invalid document");
        if let Err(e) = validate(&a) {
            panic!("masked output is not valid JSON: {e}");
        }
        let mut b = Vec::new();
        masking
            .apply(Some(data), &mut b)
            .expect("the same input masks again");
        assert!(a == b, "masking is not deterministic");
    }
}

/// `leak_tokens`: the leak check's probing token scan
/// ([`masker_core::leak::tokens`]) finds exactly the tokens of its slow
/// reference, for every word length and every kind mask (the first two
/// bytes choose them).
pub fn leak_tokens(data: &[u8]) {
    use masker_core::leak::{tokens, tokens_reference, Kinds, LeakOptions};
    let (Some(&a), Some(&b)) = (data.first(), data.get(1)) else {
        return;
    };
    let v = &data[2..];
    let opts = LeakOptions {
        min_word: 1 + usize::from(a % 12),
        min_value: 1 + usize::from(a / 12 % 6),
        ..LeakOptions::default()
    };
    let kinds = [Kinds::ALL, Kinds::EMAILS, Kinds::PHONES, Kinds::WORDS][usize::from(b % 4)];
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    tokens(v, &opts, kinds, |r| fast.push(r));
    tokens_reference(v, &opts, kinds, |r| slow.push(r));
    assert_eq!(fast, slow);
}
