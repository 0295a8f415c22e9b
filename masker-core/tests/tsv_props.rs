//! Property tests for the TSV tokenizer: the push [`Tokenizer`] agrees with
//! the slow reference [`split_all`] however the input is cut (whole, one byte
//! at a time, random piece sizes), in every supported dialect, on inputs
//! built from fragments that put escapes, enclosures, `\N`, `NULL` and
//! (multi-byte) terminators on every piece boundary. And every raw value,
//! encoded with [`encode_field`], reads back as itself.
//!
//! "Agrees" means the same fields (spans, ends, flags) when both succeed, and
//! the same error (offset and message) when either fails.

use masker_core::tokenizer::tsv::{
    encode_field, split_all, unescape_into, Event, Field, Tokenizer, TsvDialect, TsvError,
};
use proptest::prelude::*;

fn dialects() -> Vec<TsvDialect> {
    let b = TsvDialect::builder;
    vec![
        TsvDialect::default(),
        b().lines_terminated_by(b"\r\n").build().unwrap(),
        b().fields_terminated_by(b"||")
            .fields_enclosed_by(b"\"")
            .build()
            .unwrap(),
        b().fields_terminated_by(b",")
            .fields_optionally_enclosed_by(b"\"")
            .lines_terminated_by(b"\r\n")
            .build()
            .unwrap(),
        b().fields_terminated_by(b",")
            .fields_optionally_enclosed_by(b"\"")
            .fields_escaped_by(b"")
            .build()
            .unwrap(),
        b().fields_terminated_by(b"\t")
            .fields_enclosed_by(b"'")
            .lines_terminated_by(b"\n\n")
            .build()
            .unwrap(),
        b().fields_terminated_by(b"ab")
            .fields_escaped_by(b"")
            .lines_terminated_by(b"aab")
            .build()
            .unwrap(),
    ]
}

fn fragment() -> impl Strategy<Value = Vec<u8>> {
    let fixed = prop::sample::select(vec![
        "a", "xyz", "\\", "\\\\", "\\N", "N", "NULL", "\\\t", "\\\n", "\\0", "\t", "\n", "\r",
        "\r\n", "\n\n", "\"", "\"\"", "'", "''", "|", "||", ",", "a,b", "ab", "aab", "aaab",
        "日本", "\\Z", "\0",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    prop_oneof![
        8 => fixed,
        1 => prop::collection::vec(any::<u8>(), 0..4),
    ]
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(fragment(), 0..24).prop_map(|f| f.concat())
}

/// Run the push tokenizer, revealing the input up to each of `cuts` in turn
/// (then the rest), pushing the unconsumed bytes again each time.
fn push(
    d: &TsvDialect,
    input: &[u8],
    mut sizes: impl FnMut() -> usize,
    fields: bool,
) -> Result<Vec<Field>, TsvError> {
    let mut t = Tokenizer::new(d);
    t.report_fields(fields);
    let mut out = Vec::new();
    let mut consumed = 0;
    let mut avail = 0;
    loop {
        let eof = avail == input.len();
        let (event, used) = t.feed(&input[consumed..avail], eof)?;
        consumed += used;
        assert_eq!(t.offset(), consumed as u64);
        match event {
            Event::NeedMore => {
                assert!(!eof, "NeedMore at the end of input");
                avail = (avail + sizes().max(1)).min(input.len());
            }
            Event::Field(f) => out.push(f),
            Event::End => {
                assert_eq!(consumed, input.len());
                return Ok(out);
            }
        }
    }
}

fn check(d: &TsvDialect, input: &[u8], seed: u64) {
    let want = split_all(d, input);
    let whole = push(d, input, || usize::MAX / 2, true);
    assert_eq!(
        whole,
        want,
        "whole, {d:?}, {:?}",
        input.escape_ascii().to_string()
    );
    let bytes = push(d, input, || 1, true);
    assert_eq!(
        bytes,
        want,
        "1-byte pushes, {d:?}, {:?}",
        input.escape_ascii().to_string()
    );
    let mut s = seed | 1;
    let mut random = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % 7) as usize
    };
    let got = push(d, input, &mut random, true);
    assert_eq!(
        got,
        want,
        "random pushes, {d:?}, {:?}",
        input.escape_ascii().to_string()
    );
    // Rows only: the same row ends.
    let rows = push(d, input, &mut random, false);
    let want_rows = want.map(|f| f.into_iter().filter(|f| f.row_end).collect::<Vec<_>>());
    match (&rows, &want_rows) {
        (Ok(r), Ok(w)) => {
            let ends = |v: &Vec<Field>| v.iter().map(|f| f.next).collect::<Vec<_>>();
            assert_eq!(ends(r), ends(w), "row ends, {d:?}");
        }
        _ => assert_eq!(rows.err(), want_rows.err(), "rows only, {d:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn push_agrees_with_reference(input in input(), which in 0usize..7, seed in any::<u64>()) {
        let d = &dialects()[which];
        check(d, &input, seed);
    }

    #[test]
    fn encoded_values_read_back(
        values in prop::collection::vec(
            prop::option::weighted(0.8, prop::collection::vec(
                prop::sample::select(b"aN\\\t\n\r\"',|b\0LU".to_vec()), 0..8)),
            1..5),
        enclose in any::<bool>(),
        which in 0usize..7,
    ) {
        let d = &dialects()[which];
        let mut line = Vec::new();
        let mut ok = true;
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                line.extend_from_slice(d.field_terminator());
            }
            if encode_field(d, v.as_deref(), enclose, &mut line).is_err() {
                ok = false;
            }
        }
        line.extend_from_slice(d.line_terminator());
        if ok {
            let fields = split_all(d, &line).unwrap();
            let got: Vec<Option<Vec<u8>>> = fields
                .iter()
                .map(|f| {
                    (!f.null).then(|| {
                        let body = &line[f.span.start as usize..f.span.end as usize];
                        let mut v = Vec::new();
                        unescape_into(d, body, f.enclosed, &mut v);
                        v
                    })
                })
                .collect();
            prop_assert_eq!(&got, &values, "{:?} {:?}", d, line.escape_ascii().to_string());
            prop_assert!(fields.last().unwrap().row_end);
            check(d, &line, 7);
        }
    }
}

#[test]
fn every_split_point_of_a_tricky_file() {
    let d = TsvDialect::default();
    let input = b"1\ta\\\tb\\\nc\\\\\t\\N\tNULL\n2\t\\0\t\t\\Z\n3\t\xe6\x97\xa5\t\\N\t";
    for cut in 0..=input.len() {
        let mut first = true;
        let got = push(
            &d,
            input,
            || {
                if std::mem::take(&mut first) {
                    cut
                } else {
                    usize::MAX / 2
                }
            },
            true,
        );
        assert_eq!(got, split_all(&d, input), "cut at {cut}");
    }
}

#[test]
fn truncated_inputs_fail_at_their_end() {
    let d = TsvDialect::builder()
        .fields_enclosed_by(b"\"")
        .build()
        .unwrap();
    for bad in [&b"1\t\"open"[..], b"1\tx\\", b"\"a\"\"", b"\"\\"] {
        let e = push(&d, bad, || 1, true).unwrap_err();
        assert!(e.eof);
        assert_eq!(e.offset, bad.len() as u64);
    }
}
