//! Fuzz target `tokenize_tsv`: the push TSV tokenizer never panics and agrees
//! with the reference splitter when the input is pushed in two pieces (the
//! first byte chooses the dialect, the second the split point), and in
//! one-byte pieces; every decoded field re-encodes to something that reads
//! back as the same value.
#![no_main]

use masker_core::tokenizer::tsv::{
    encode_field, split_all, unescape_into, Event, Field, Tokenizer, TsvDialect, TsvError,
};

fn dialect(which: u8) -> TsvDialect {
    let b = TsvDialect::builder;
    match which % 5 {
        0 => b().build(),
        1 => b().lines_terminated_by(b"\r\n").build(),
        2 => b()
            .fields_terminated_by(b"||")
            .fields_enclosed_by(b"\"")
            .build(),
        3 => b()
            .fields_terminated_by(b",")
            .fields_optionally_enclosed_by(b"\"")
            .fields_escaped_by(b"")
            .build(),
        _ => b()
            .fields_terminated_by(b"ab")
            .lines_terminated_by(b"aab")
            .build(),
    }
    .expect("valid dialect")
}

fn push(d: &TsvDialect, input: &[u8], first: usize, step: usize) -> Result<Vec<Field>, TsvError> {
    let mut t = Tokenizer::new(d);
    let mut out = Vec::new();
    let (mut consumed, mut avail) = (0, first.min(input.len()));
    loop {
        let eof = avail == input.len();
        let (event, used) = t.feed(&input[consumed..avail], eof)?;
        consumed += used;
        match event {
            Event::NeedMore => avail = (avail + step).min(input.len()),
            Event::Field(f) => out.push(f),
            Event::End => return Ok(out),
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let d = dialect(data[0]);
    let split = data[1] as usize;
    let input = &data[2..];
    let want = split_all(&d, input);
    assert_eq!(push(&d, input, split, usize::MAX / 2), want);
    assert_eq!(push(&d, input, 0, 1), want);
    if let Ok(fields) = want {
        for f in fields {
            let body = &input[f.span.start as usize..f.span.end as usize];
            let mut raw = Vec::new();
            unescape_into(&d, body, f.enclosed, &mut raw);
            let value = (!f.null).then_some(&raw[..]);
            let mut line = Vec::new();
            if encode_field(&d, value, f.enclosed, &mut line).is_ok() {
                line.extend_from_slice(d.line_terminator());
                let back = split_all(&d, &line).expect("an encoded field reads back");
                assert_eq!(back.len(), 1);
                assert_eq!(back[0].null, f.null);
                let mut again = Vec::new();
                let b = &line[back[0].span.start as usize..back[0].span.end as usize];
                unescape_into(&d, b, back[0].enclosed, &mut again);
                if !f.null {
                    assert_eq!(again, raw);
                }
            }
        }
    }
});
