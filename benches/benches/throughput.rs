//! Throughput benches in bytes per second, layered: the statement splitter
//! alone, the value tokenizer alone, and the whole pipeline (`mask_reader`
//! into `io::sink`) at 1 and 2 threads, with empty rules (the identity) and
//! with masking rules. Input: an ~8 MB generated mariadb-dump
//! (`masker_benches::dump`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use masker_core::rules::Rules;
use masker_core::tokenizer::sql::{Event, Splitter};
use masker_core::tokenizer::values::{Token, TupleReader};
use masker_core::{mask_reader, MaskOptions};

const DUMP_BYTES: usize = 8_000_000;

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

/// Push the whole dump through the splitter in `piece`-byte pieces; count statements.
fn split(dump: &[u8], piece: usize) -> u64 {
    let mut s = Splitter::new();
    let mut statements = 0;
    for mut rest in dump.chunks(piece) {
        loop {
            let (ev, used) = s.split(rest).unwrap();
            rest = &rest[used..];
            match ev {
                Event::NeedMore => break,
                Event::StatementEnd => statements += 1,
                _ => {}
            }
        }
    }
    s.finish().unwrap();
    statements
}

fn tokenizer(c: &mut Criterion) {
    let dump = masker_benches::dump(DUMP_BYTES);
    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    g.bench_function("splitter/whole", |b| {
        b.iter(|| split(black_box(&dump), usize::MAX))
    });
    g.bench_function("splitter/64KiB_pieces", |b| {
        b.iter(|| split(black_box(&dump), 64 << 10))
    });

    let lists = masker_benches::tuple_lists(&dump);
    let bytes: usize = lists.iter().map(|r| r.len()).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("tuple_reader", |b| {
        b.iter(|| {
            let mut values = 0u64;
            for r in &lists {
                let mut t = TupleReader::new(black_box(&dump[r.clone()]));
                loop {
                    match t.next_token().unwrap() {
                        Token::Value(_) => values += 1,
                        Token::TupleEnd(_) => {}
                        Token::End => break,
                    }
                }
            }
            values
        })
    });
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let dump = masker_benches::dump(DUMP_BYTES);
    let masking = masker_benches::rules();
    let empty = Rules::empty();
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    for (label, rules) in [("empty_rules", &empty), ("masking_rules", &masking)] {
        for threads in [1, 2] {
            let opts = MaskOptions {
                threads,
                chunk_size: 1 << 20,
                allow_missing: false,
                allow_incomplete: false,
            };
            g.bench_with_input(
                BenchmarkId::new(label, format!("{threads}_threads")),
                &opts,
                |b, opts| {
                    b.iter(|| {
                        mask_reader(rules, black_box(&dump[..]), std::io::sink(), opts).unwrap()
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = tokenizer, pipeline
}
criterion_main!(benches);
