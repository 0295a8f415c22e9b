//! One bench per transform and keyed function (`blake3/hash_email`,
//! `hmac-sha256/hash_email`, ...): each iteration masks ONE value (the next
//! of 1,000 realistic ones) into a reused buffer, the way the engine's hot
//! loop calls [`Transform::apply`], so criterion's time is the cost in ns per
//! value (`Throughput::Elements(1)` adds values per second).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use masker_benches::{address, email, name, phone, samples, KEY};
use masker_core::schema::{Column, ColumnType};
use masker_core::transform::{
    FakeKind, FakeTransform, Folding, FpeTransform, HashFormat, HashTransform, Key, Locale,
    NullTransform, PartialTransform, Prf, Transform,
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
    for &(prf_name, prf) in Prf::ALL {
        transforms_with(c, prf_name, &Key::with_prf(KEY, prf).unwrap());
    }
}

/// The keyed transforms under `key` (and the unkeyed ones once, under blake3).
fn transforms_with(c: &mut Criterion, prf_name: &str, key: &Key) {
    let key = key.clone();
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
            // Seeded from the folded input, as on the benchmark dump's
            // utf8mb4_general_ci columns: Japanese needs no fold, capitals do.
            "fake_name_ja_JP_ci",
            Box::new(
                FakeTransform::new(&key, FakeKind::Name, Locale::JaJp, &name_col, CHARSET)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci")),
            ),
            &names,
        ),
        (
            "fake_address_ja_JP_ci",
            Box::new(
                FakeTransform::new(&key, FakeKind::Address, Locale::JaJp, &address_col, CHARSET)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci")),
            ),
            &addresses,
        ),
        (
            "fpe_phone",
            Box::new(FpeTransform::new(&key, &phone_col).unwrap()),
            &phones,
        ),
        (
            // As on the benchmark dump: a case-insensitive column.
            "fpe_phone_ci",
            Box::new(
                FpeTransform::new(&key, &phone_col)
                    .unwrap()
                    .with_folding(Folding::for_collation("utf8mb4_general_ci")),
            ),
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

    let mut g = c.benchmark_group(prf_name);
    g.throughput(Throughput::Elements(1));
    for (label, t, inputs) in &cases {
        if !keyed(label) && prf_name != "blake3" {
            continue;
        }
        g.bench_function(*label, |b| {
            let mut out = Vec::with_capacity(256);
            let mut i = 0;
            b.iter(|| {
                i = if i + 1 == inputs.len() { 0 } else { i + 1 };
                out.clear();
                black_box(t.apply(Some(black_box(&inputs[i])), &mut out).unwrap());
            })
        });
    }
    g.finish();
}

/// True for the transforms that use the key (measured under both PRFs).
fn keyed(label: &str) -> bool {
    ["hash", "fake", "fpe"].iter().any(|k| label.starts_with(k))
}

criterion_group! {
    name = benches;
    config = config();
    targets = transforms
}
criterion_main!(benches);
