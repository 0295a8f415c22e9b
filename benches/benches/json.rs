//! JSON path masking: per document on the benchmark's `profile` documents
//! (`Throughput::Elements`; criterion's time per iteration / 1000 is ns per
//! document), beside `hash` of the whole value on the same column; and the
//! whole in-memory pipeline with and without one JSON rule, in the same run.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use masker_benches::{profile, samples, KEY};
use masker_core::rules::RulesBuilder;
use masker_core::schema::{Column, ColumnType};
use masker_core::transform::{
    HashFormat, HashTransform, JsonPath, JsonTransform, Key, NoiseAmount, NoiseTransform, PathRule,
    Transform,
};
use masker_core::{mask_reader, MaskOptions};

const N: usize = 1000;
const CHARSET: Option<&str> = Some("utf8mb4");

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn path(p: &str, t: Option<Arc<dyn Transform>>) -> PathRule {
    PathRule {
        path: JsonPath::parse(p).unwrap(),
        transform: t,
        replaces_containers: false,
    }
}

fn per_document(c: &mut Criterion) {
    let key = Key::new(KEY).unwrap();
    let docs = samples(N, 5, |r, _| profile(r));
    let json_col = Column::new("profile", ColumnType::Json);
    // What a rule nested in `json` is bound to: a JSON member, as text.
    let member = Column::new("profile", ColumnType::Text { max_bytes: 1 << 32 });
    let hash_member: Arc<dyn Transform> =
        Arc::new(HashTransform::new(&key, HashFormat::Auto, None, &member, CHARSET).unwrap());
    let noise: Arc<dyn Transform> =
        Arc::new(NoiseTransform::new(&key, NoiseAmount::Absolute(3.0), &member, CHARSET).unwrap());
    let json = |rules: Vec<PathRule>| -> Box<dyn Transform> {
        Box::new(JsonTransform::new(rules, &json_col, CHARSET).unwrap())
    };
    let cases: Vec<(&str, Box<dyn Transform>)> = vec![
        (
            "hash_whole_value",
            Box::new(HashTransform::new(&key, HashFormat::Auto, None, &json_col, CHARSET).unwrap()),
        ),
        ("json_keep", json(vec![path("nickname", None)])),
        (
            "json_one_path",
            json(vec![path("nickname", Some(hash_member.clone()))]),
        ),
        (
            "json_three_paths",
            json(vec![
                path("nickname", Some(hash_member.clone())),
                path("tags[]", Some(hash_member)),
                path("age", Some(noise)),
            ]),
        ),
    ];
    let mut g = c.benchmark_group("json_profile");
    g.throughput(Throughput::Elements(N as u64));
    for (label, t) in &cases {
        g.bench_function(*label, |b| {
            let mut out = Vec::with_capacity(512);
            b.iter(|| {
                for d in docs.iter() {
                    out.clear();
                    black_box(t.apply(Some(black_box(d)), &mut out).unwrap());
                }
            })
        });
    }
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let dump = masker_benches::dump(8 << 20);
    let rules = masker_benches::rules();
    // The bench rules plus one JSON rule on `users.prefs`.
    let with_json = RulesBuilder::new()
        .toml(
            &masker_benches::RULES_TOML.replace(
                "[tables.orders]",
                "prefs   = { json = { \"tags[]\" = \"hash\", \"lang\" = \"hash\" } }\n\n[tables.orders]",
            ),
            "bench-json.toml",
        )
        .key(KEY)
        .build()
        .expect("bench rules with a json rule build");
    let mut g = c.benchmark_group("pipeline_json");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    let opts = MaskOptions {
        threads: 1,
        chunk_size: 1 << 20,
        allow_missing: false,
        allow_incomplete: false,
    };
    for (label, r) in [
        ("bench_rules", &rules),
        ("bench_rules_plus_json", &with_json),
    ] {
        g.bench_with_input(BenchmarkId::new(label, "1_thread"), &opts, |b, opts| {
            b.iter(|| mask_reader(r, black_box(&dump[..]), std::io::sink(), opts).unwrap())
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = per_document, pipeline
}
criterion_main!(benches);
