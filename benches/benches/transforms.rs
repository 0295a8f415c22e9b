//! One bench per transform, in values per second (`Throughput::Elements`):
//! each iteration masks the same 1,000 realistic values into a reused buffer,
//! the way the engine's hot loop calls [`Transform::apply`].

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use masker_benches::{address, email, name, phone, samples, KEY};
use masker_core::schema::{Column, ColumnType};
use masker_core::transform::{
    FakeKind, FakeTransform, Folding, FpeTransform, HashFormat, HashTransform, Key, Locale,
    NullTransform, PartialTransform, Transform,
};

const N: usize = 1000;
const CHARSET: Option<&str> = Some("utf8mb4");

/// A named transform and the sample values it masks.
type Case<'a> = (&'static str, Box<dyn Transform>, &'a Vec<Vec<u8>>);

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn varchar(name: &str, n: u32) -> Column {
    Column {
        name: name.into(),
        ty: ColumnType::Char {
            max_chars: n,
            fixed: false,
        },
        not_null: false,
        generated: false,
        charset: None,
        collation: None,
    }
}

fn transforms(c: &mut Criterion) {
    let key = Key::new(KEY).unwrap();
    let names = samples(N, 1, |r, _| name(r));
    let emails = samples(N, 2, email);
    let phones = samples(N, 3, |r, _| phone(r));
    let addresses = samples(N, 4, |r, _| address(r));
    let name_col = varchar("name", 100);
    let email_col = varchar("email", 255);
    let phone_col = varchar("phone", 32);
    let address_col = varchar("address", 255);

    let cases: Vec<Case<'_>> = vec![
        (
            "hash",
            Box::new(HashTransform::new(&key, HashFormat::Auto, None, &name_col, CHARSET).unwrap()),
            &names,
        ),
        (
            "hash_email",
            Box::new(
                HashTransform::new(&key, HashFormat::Email, None, &email_col, CHARSET).unwrap(),
            ),
            &emails,
        ),
        (
            // Folded as a case-insensitive collation: mixed-case addresses.
            "hash_email_ci",
            Box::new(
                HashTransform::new(&key, HashFormat::Email, None, &email_col, CHARSET)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci")),
            ),
            &emails,
        ),
        (
            // Names: capitals, and Japanese text the fold walks through.
            "hash_name_ci",
            Box::new(
                HashTransform::new(&key, HashFormat::Auto, None, &name_col, CHARSET)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci")),
            ),
            &names,
        ),
        (
            "fake_name_en",
            Box::new(
                FakeTransform::new(&key, FakeKind::Name, Locale::En, &name_col, CHARSET).unwrap(),
            ),
            &names,
        ),
        (
            "fake_name_ja_JP",
            Box::new(
                FakeTransform::new(&key, FakeKind::Name, Locale::JaJp, &name_col, CHARSET).unwrap(),
            ),
            &names,
        ),
        (
            "fake_address_ja_JP",
            Box::new(
                FakeTransform::new(&key, FakeKind::Address, Locale::JaJp, &address_col, CHARSET)
                    .unwrap(),
            ),
            &addresses,
        ),
        (
            "fpe_phone",
            Box::new(FpeTransform::new(&key, &phone_col).unwrap()),
            &phones,
        ),
        (
            "fpe_name",
            Box::new(FpeTransform::new(&key, &name_col).unwrap()),
            &names,
        ),
        (
            "fpe_name_ci",
            Box::new(
                FpeTransform::new(&key, &name_col)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci")),
            ),
            &names,
        ),
        (
            "partial",
            Box::new(PartialTransform::new(2, 2, '*', &email_col, CHARSET).unwrap()),
            &emails,
        ),
        (
            "null",
            Box::new(NullTransform::new(&name_col).unwrap()),
            &names,
        ),
    ];

    let mut g = c.benchmark_group("transform");
    g.throughput(Throughput::Elements(N as u64));
    for (label, t, inputs) in &cases {
        g.bench_function(*label, |b| {
            let mut out = Vec::with_capacity(256);
            b.iter(|| {
                for v in inputs.iter() {
                    out.clear();
                    black_box(t.apply(Some(black_box(v)), &mut out).unwrap());
                }
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = transforms
}
criterion_main!(benches);
