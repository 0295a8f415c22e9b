//! A job cut into shards for many machines: the plan (`plan.json` in S3)
//! that `masker-aws plan` writes and `run-shard`, `finish` and `cleanup`
//! read, the dealing of the tables' chunks to shards, the shard index
//! (`--shard I/N` or AWS Batch's `AWS_BATCH_JOB_ARRAY_INDEX`) and the names
//! of the objects under the plan's prefix. This module owns the plan's
//! format and its checks; it does no I/O. The plan holds identifiers,
//! ARNs, the endpoint, table names and each table's chunk conditions, which
//! name key values of the source at chunk boundaries (so `plan` writes it
//! encrypted under the platform's KMS key); never a password (only the
//! secret's ARN).

use std::collections::BTreeMap;

use masker_mysql::dump::TableChunks;
use serde::{Deserialize, Serialize};

use super::cloud::{Restored, Snapshot};
use super::config::JobKind;
use super::names::RunNames;

/// The plan's object name under the plan prefix.
pub const PLAN: &str = "plan.json";
/// The shard list for a Step Functions Distributed Map (`[{"shard": "0/4"}, ...]`).
pub const ITEMS: &str = "shards.json";
/// The format version written; readers refuse others. Version 1 dealt
/// whole tables; version 2 deals chunks and records each table's cut.
pub const PLAN_VERSION: u32 = 2;

/// The manifest a shard writes under the plan prefix (its done marker).
pub fn shard_manifest(index: usize) -> String {
    format!("shard-{index}.manifest.json")
}

/// Whether `name` (relative to a plan prefix) is an object a sharded run
/// writes there: [`PLAN`], [`ITEMS`] or a [`shard_manifest`]. Nothing else
/// under a prefix is a plan's, so nothing else is deleted with it.
pub fn is_plan_object(name: &str) -> bool {
    if name == PLAN || name == ITEMS {
        return true;
    }
    name.strip_prefix("shard-")
        .and_then(|n| n.strip_suffix(".manifest.json"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Some chunks of one table: what a shard dumps of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// The table (in the plan's database).
    pub table: String,
    /// The numbers of its chunks, ascending (`<db>@<table>@<n>...`).
    pub chunks: Vec<usize>,
}

/// What every shard of a run needs to find the restored cluster and its
/// part of the work.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// [`PLAN_VERSION`].
    pub version: u32,
    /// The run id (resource names, tags, S3 path, audit records).
    pub run_id: String,
    /// `backup` or `mask`.
    pub job: String,
    /// The run's date directory (`2026-11-27`).
    pub date: String,
    /// When the run started (RFC 3339).
    pub started: String,
    /// When `sweep` may delete what the run created (RFC 3339).
    pub expires: String,
    /// The source snapshot.
    pub snapshot: Snapshot,
    /// The restored cluster.
    pub cluster: Restored,
    /// ARN of the secret holding the master password.
    pub password_secret: String,
    /// Where the merged dump goes (`s3://...`).
    pub dump_url: String,
    /// The database dumped.
    pub database: String,
    /// The chunk size the tables were cut for (`[dump] chunk_mb`, in
    /// bytes): the shards' manifests record it, as a one-process dump does.
    pub chunk_bytes: u64,
    /// The shard count asked for (`--shards N`); shards at or past
    /// `shards.len()` have nothing to do.
    pub requested: usize,
    /// Each shard's pieces, in the order of `tables`.
    pub shards: Vec<Vec<Piece>>,
    /// Every table with its cut, in the catalog's order (largest first):
    /// the merged manifest lists them in this order, as a one-process dump
    /// does, and every shard dumps the same chunks of a table.
    pub tables: Vec<TableChunks>,
}

impl Plan {
    /// The run's names, as `plan` made them.
    pub fn run_names(&self) -> RunNames {
        RunNames {
            run_id: self.run_id.clone(),
            date: self.date.clone(),
            started: self.started.clone(),
            expires: self.expires.clone(),
        }
    }

    /// The job kind recorded by `plan`.
    pub fn kind(&self) -> Result<JobKind, String> {
        JobKind::parse(&self.job)
            .ok_or_else(|| format!("the plan's job `{}` is not backup or mask", self.job))
    }

    /// Parse and check a plan: its version first (an older plan is refused
    /// by name, not as a malformed one), then that every chunk of every
    /// table is in exactly one shard.
    pub fn from_json(bytes: &[u8]) -> Result<Plan, String> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("not a masker-aws plan: {e}"))?;
        match v.get("version").and_then(serde_json::Value::as_u64) {
            Some(n) if n == u64::from(PLAN_VERSION) => {}
            Some(n) if n < u64::from(PLAN_VERSION) => {
                return Err(format!(
                    "plan version {n} was written by an older masker-aws (shards of whole \
                     tables); this masker-aws reads version {PLAN_VERSION} (shards of chunks): \
                     run, finish or clean up that run with the masker-aws that planned it, or \
                     plan the job again"
                ))
            }
            Some(n) => {
                return Err(format!(
                    "plan version {n} is newer than this masker-aws reads ({PLAN_VERSION}): \
                     use the masker-aws that planned it"
                ))
            }
            None => return Err("not a masker-aws plan: no version".into()),
        }
        let p: Plan =
            serde_json::from_value(v).map_err(|e| format!("not a masker-aws plan: {e}"))?;
        p.check()?;
        Ok(p)
    }

    /// Every table has chunks, each in exactly one shard; no shard is empty.
    fn check(&self) -> Result<(), String> {
        if self.shards.len() > self.requested {
            return Err("the plan has more shards than were requested".into());
        }
        let mut seen: Vec<Vec<u32>> = Vec::with_capacity(self.tables.len());
        for t in &self.tables {
            if t.conditions.is_empty() {
                return Err(format!("the plan's table {} has no chunks", t.name));
            }
            seen.push(vec![0; t.conditions.len()]);
        }
        for (i, shard) in self.shards.iter().enumerate() {
            if shard.is_empty() {
                return Err(format!("the plan's shard {i} has no work"));
            }
            for piece in shard {
                let t = self
                    .tables
                    .iter()
                    .position(|t| t.name == piece.table)
                    .ok_or_else(|| {
                        format!("shard {i}: table {} is not in the plan", piece.table)
                    })?;
                if piece.chunks.is_empty() || !piece.chunks.windows(2).all(|w| w[0] < w[1]) {
                    return Err(format!(
                        "shard {i}: the chunks of table {} are not ascending",
                        piece.table
                    ));
                }
                for &n in &piece.chunks {
                    let slot = seen[t].get_mut(n).ok_or_else(|| {
                        format!(
                            "shard {i}: table {} has no chunk {n} (it has {})",
                            piece.table,
                            self.tables[t].conditions.len()
                        )
                    })?;
                    *slot += 1;
                }
            }
        }
        for (t, counts) in self.tables.iter().zip(&seen) {
            if let Some(n) = counts.iter().position(|&c| c != 1) {
                return Err(format!(
                    "chunk {n} of table {} is in {} shards, not one",
                    t.name, counts[n]
                ));
            }
        }
        Ok(())
    }

    /// The shard list a Distributed Map iterates over.
    pub fn items(&self) -> serde_json::Value {
        serde_json::Value::Array(
            (0..self.shards.len())
                .map(|i| serde_json::json!({ "shard": format!("{i}/{}", self.requested) }))
                .collect(),
        )
    }

    /// Chunks in the plan.
    pub fn chunks(&self) -> usize {
        self.tables.iter().map(|t| t.conditions.len()).sum()
    }
}

/// Deal the chunks of `tables` (in catalog order) to at most `n` shards,
/// balanced by bytes: each table's estimated bytes are split evenly over
/// its chunks (at least 1 byte each, so empty tables are spread too), then
/// chunks go largest first, each to the shard with the fewest bytes so far
/// (ties: catalog order, chunk order, the lowest shard). A big table's
/// chunks are thus spread over the shards, and small tables fill the gaps.
/// Deterministic: the same tables give the same shards. No shard is empty,
/// so there are `min(n, chunks)` shards; each lists its pieces in table
/// order, their chunks ascending.
pub fn deal(tables: &[TableChunks], n: usize) -> Vec<Vec<Piece>> {
    // (table, chunk, bytes)
    let mut units: Vec<(usize, usize, u64)> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        let c = table.conditions.len() as u128;
        let b = u128::from(table.bytes);
        for k in 0..table.conditions.len() {
            let k = k as u128;
            // Exact shares: they add up to the table's bytes.
            let share = (b * (k + 1) / c - b * k / c) as u64;
            units.push((t, k as usize, share.max(1)));
        }
    }
    let n = n.min(units.len());
    if n == 0 {
        return Vec::new();
    }
    // Stable: equal sizes keep catalog and chunk order.
    units.sort_by_key(|u| std::cmp::Reverse(u.2));
    let mut load = vec![0u64; n];
    let mut dealt: Vec<BTreeMap<usize, Vec<usize>>> = vec![BTreeMap::new(); n];
    for (t, k, bytes) in units {
        let target = (0..n).min_by_key(|&s| (load[s], s)).unwrap_or(0);
        load[target] = load[target].saturating_add(bytes);
        dealt[target].entry(t).or_default().push(k);
    }
    dealt
        .into_iter()
        .map(|m| {
            m.into_iter()
                .map(|(t, mut chunks)| {
                    chunks.sort_unstable();
                    Piece {
                        table: tables[t].name.clone(),
                        chunks,
                    }
                })
                .collect()
        })
        .collect()
}

/// Which shard this process runs: `--shard I/N`, else
/// `AWS_BATCH_JOB_ARRAY_INDEX` (with N from the plan). Returns (I, N given).
pub fn shard_index(
    flag: Option<&str>,
    batch_env: Option<&str>,
) -> Result<(usize, Option<usize>), String> {
    if let Some(f) = flag {
        let (i, n) = f
            .split_once('/')
            .ok_or_else(|| format!("--shard {f}: expected I/N, e.g. 0/4"))?;
        let i: usize = i
            .parse()
            .map_err(|_| format!("--shard {f}: I is not a number"))?;
        let n: usize = n
            .parse()
            .map_err(|_| format!("--shard {f}: N is not a number"))?;
        if i >= n {
            return Err(format!("--shard {f}: I must be less than N"));
        }
        return Ok((i, Some(n)));
    }
    match batch_env {
        Some(v) => v
            .trim()
            .parse()
            .map(|i| (i, None))
            .map_err(|_| "AWS_BATCH_JOB_ARRAY_INDEX is not a number".to_owned()),
        None => Err("give --shard I/N or run as an AWS Batch array job \
                     (AWS_BATCH_JOB_ARRAY_INDEX)"
            .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use masker_mysql::chunk::Strategy;

    /// Table `name` of `bytes` cut into `chunks` chunks.
    fn t(name: &str, bytes: u64, chunks: usize) -> TableChunks {
        TableChunks {
            database: "shop".into(),
            name: name.to_owned(),
            bytes,
            chunking: if chunks == 1 {
                Strategy::Single
            } else {
                Strategy::IntegerRange {
                    column: "id".into(),
                }
            },
            conditions: (0..chunks).map(|k| Some(format!("`id` >= {k}"))).collect(),
        }
    }

    fn p(table: &str, chunks: &[usize]) -> Piece {
        Piece {
            table: table.to_owned(),
            chunks: chunks.to_vec(),
        }
    }

    /// Each table's chunks, with the shard that has each (panics on a
    /// chunk dealt twice).
    fn owners(tables: &[TableChunks], shards: &[Vec<Piece>]) -> Vec<Vec<Option<usize>>> {
        let mut o: Vec<Vec<Option<usize>>> = tables
            .iter()
            .map(|t| vec![None; t.conditions.len()])
            .collect();
        for (s, pieces) in shards.iter().enumerate() {
            for piece in pieces {
                let i = tables.iter().position(|t| t.name == piece.table).unwrap();
                for &k in &piece.chunks {
                    assert_eq!(o[i][k], None, "{} chunk {k} dealt twice", piece.table);
                    o[i][k] = Some(s);
                }
            }
        }
        o
    }

    /// Estimated bytes per shard.
    fn loads(tables: &[TableChunks], shards: &[Vec<Piece>]) -> Vec<u64> {
        shards
            .iter()
            .map(|pieces| {
                pieces
                    .iter()
                    .map(|piece| {
                        let t = tables.iter().find(|t| t.name == piece.table).unwrap();
                        let c = t.conditions.len() as u64;
                        piece.chunks.len() as u64 * t.bytes / c
                    })
                    .sum()
            })
            .collect()
    }

    #[test]
    fn whole_tables_are_dealt_largest_first_to_the_lightest_shard() {
        let tables = [
            t("a", 100, 1),
            t("b", 60, 1),
            t("c", 50, 1),
            t("d", 10, 1),
            t("e", 0, 1),
        ];
        let s = deal(&tables, 2);
        assert_eq!(
            s,
            [
                vec![p("a", &[0]), p("d", &[0]), p("e", &[0])],
                vec![p("b", &[0]), p("c", &[0])]
            ]
        );
        // Every table exactly once, whatever N.
        for n in 1..8 {
            let s = deal(&tables, n);
            assert_eq!(s.len(), n.min(5));
            assert!(s.iter().all(|x| !x.is_empty()));
            assert!(owners(&tables, &s).iter().flatten().all(Option::is_some));
        }
        assert!(deal(&[], 3).is_empty());
    }

    #[test]
    fn empty_tables_are_spread_too() {
        let tables = [t("a", 0, 1), t("b", 0, 1), t("c", 0, 1)];
        assert_eq!(
            deal(&tables, 3),
            [vec![p("a", &[0])], vec![p("b", &[0])], vec![p("c", &[0])]]
        );
    }

    #[test]
    fn a_big_tables_chunks_are_spread_over_the_shards_balanced_by_bytes() {
        // The issue's case: a 3.45 GB `orders` cut into 54 chunks beside
        // small tables.
        let tables = [
            t("orders", 3_450_000_000, 54),
            t("customers", 200_000_000, 4),
            t("items", 10_000_000, 1),
            t("empty", 0, 1),
        ];
        for n in [2, 3, 4, 7, 16] {
            let s = deal(&tables, n);
            assert_eq!(s.len(), n);
            let o = owners(&tables, &s);
            assert!(
                o.iter().flatten().all(Option::is_some),
                "n={n}: a chunk not dealt"
            );
            // Every shard has some of orders.
            let mut with_orders: Vec<usize> = o[0].iter().flatten().copied().collect();
            with_orders.sort_unstable();
            with_orders.dedup();
            assert_eq!(with_orders.len(), n, "n={n}");
            // Balanced: no two shards differ by more than the biggest chunk.
            let l = loads(&tables, &s);
            let (min, max) = (l.iter().min().unwrap(), l.iter().max().unwrap());
            assert!(max - min <= 3_450_000_000 / 54 + 100, "n={n}: {l:?}");
            // Pieces in table order, chunks ascending.
            for pieces in &s {
                let ranks: Vec<usize> = pieces
                    .iter()
                    .map(|x| tables.iter().position(|t| t.name == x.table).unwrap())
                    .collect();
                assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{pieces:?}");
                assert!(pieces
                    .iter()
                    .all(|x| x.chunks.windows(2).all(|w| w[0] < w[1])));
            }
            // Deterministic.
            assert_eq!(deal(&tables, n), s);
        }
        // By whole tables, one shard would hold 3.45 of 3.66 GB; by chunks
        // three shards hold about a third each.
        let l = loads(&tables, &deal(&tables, 3));
        assert!(
            l.iter().all(|&b| b > 1_150_000_000 && b < 1_300_000_000),
            "{l:?}"
        );
        // More shards than chunks: one chunk each.
        let small = [t("a", 10, 2), t("b", 5, 1)];
        let s = deal(&small, 9);
        assert_eq!(
            s,
            [vec![p("a", &[0])], vec![p("a", &[1])], vec![p("b", &[0])]]
        );
    }

    #[test]
    fn only_the_names_a_run_writes_are_plan_objects() {
        for name in [
            PLAN,
            ITEMS,
            "shard-0.manifest.json",
            "shard-9999.manifest.json",
        ] {
            assert!(is_plan_object(name), "{name}");
        }
        assert_eq!(shard_manifest(12), "shard-12.manifest.json");
        assert!(is_plan_object(&shard_manifest(12)));
        for name in [
            "manifest.json",
            "shard-.manifest.json",
            "shard-x.manifest.json",
            "shard-1.manifest.json.tmp",
            "x/plan.json",
            "plan.json/",
            "shop@users@0.sql.zst",
            "",
        ] {
            assert!(!is_plan_object(name), "{name}");
        }
    }

    #[test]
    fn the_shard_comes_from_the_flag_or_aws_batch() {
        assert_eq!(shard_index(Some("2/4"), Some("0")), Ok((2, Some(4))));
        assert_eq!(shard_index(None, Some("3")), Ok((3, None)));
        for bad in ["4/4", "x/4", "1", "1/y"] {
            assert!(shard_index(Some(bad), None).is_err(), "{bad}");
        }
        assert!(shard_index(None, Some("-1")).is_err());
        let e = shard_index(None, None).unwrap_err();
        assert!(e.contains("AWS_BATCH_JOB_ARRAY_INDEX"), "{e}");
    }

    fn plan() -> Plan {
        let tables = vec![t("a", 100, 3), t("b", 10, 1)];
        Plan {
            version: PLAN_VERSION,
            run_id: "r".into(),
            job: "mask".into(),
            date: "2026-11-27".into(),
            started: "2026-11-27T00:00:00Z".into(),
            expires: "2026-11-28T00:00:00Z".into(),
            snapshot: Snapshot {
                id: "s".into(),
                arn: "arn:s".into(),
                cluster: "prod".into(),
                kms_key_id: None,
                engine_version: "8.0".into(),
            },
            cluster: Restored {
                arn: "arn:c".into(),
                endpoint: "h".into(),
                port: 3306,
            },
            password_secret: "arn:secret".into(),
            dump_url: "s3://b/p".into(),
            database: "shop".into(),
            chunk_bytes: 1 << 20,
            requested: 4,
            shards: deal(&tables, 2),
            tables,
        }
    }

    #[test]
    fn a_plan_round_trips_and_lists_its_shards() {
        let p = plan();
        assert_eq!(p.shards.len(), 2);
        assert_eq!(p.chunks(), 4);
        let text = serde_json::to_vec(&p).unwrap();
        let back = Plan::from_json(&text).unwrap();
        assert_eq!(back.kind().unwrap(), JobKind::Mask);
        assert_eq!(back.shards, p.shards);
        assert_eq!(back.tables, p.tables);
        assert_eq!(
            back.items().to_string(),
            r#"[{"shard":"0/4"},{"shard":"1/4"}]"#
        );
        assert_eq!(back.run_names().cluster_id(), "masker-r");
        let mut bad = p.clone();
        bad.version = 9;
        let e = Plan::from_json(&serde_json::to_vec(&bad).unwrap()).unwrap_err();
        assert!(e.contains("newer"), "{e}");
    }

    #[test]
    fn a_plan_of_an_older_masker_aws_is_refused_by_its_version() {
        // Version 1: each shard a list of whole tables.
        let mut v = serde_json::to_value(plan()).unwrap();
        v["version"] = 1.into();
        v["shards"] = serde_json::json!([["a"], ["b"]]);
        v["tables"] = serde_json::json!(["a", "b"]);
        let e = Plan::from_json(v.to_string().as_bytes()).unwrap_err();
        assert!(
            e.contains("plan version 1 was written by an older masker-aws")
                && e.contains("reads version 2"),
            "{e}"
        );
        let e = Plan::from_json(b"{\"run_id\": \"r\"}").unwrap_err();
        assert!(e.contains("no version"), "{e}");
    }

    #[test]
    fn a_plan_that_misses_a_chunk_or_deals_one_twice_is_refused() {
        let check = |edit: &dyn Fn(&mut Plan)| {
            let mut p = plan();
            edit(&mut p);
            Plan::from_json(&serde_json::to_vec(&p).unwrap()).unwrap_err()
        };
        let e = check(&|p| p.shards[0].retain(|x| x.table != "b"));
        assert!(e.contains("chunk 0 of table b is in 0 shards"), "{e}");
        let e = check(&|p| {
            let dup = p.shards[0][0].clone();
            p.shards[1].push(dup)
        });
        assert!(e.contains("in 2 shards"), "{e}");
        let e = check(&|p| p.shards[0][0].chunks.push(7));
        assert!(e.contains("has no chunk 7"), "{e}");
        let e = check(&|p| p.shards[0][0].table = "z".into());
        assert!(e.contains("table z is not in the plan"), "{e}");
        let e = check(&|p| p.shards.push(Vec::new()));
        assert!(e.contains("shard 2 has no work"), "{e}");
        let e = check(&|p| p.requested = 1);
        assert!(e.contains("more shards than were requested"), "{e}");
    }
}
