//! A job cut into shards for many machines: the plan (`plan.json` in S3)
//! that `masker-aws plan` writes and `run-shard`, `finish` and `cleanup`
//! read, the assignment of tables to shards, the shard index (`--shard I/N`
//! or AWS Batch's `AWS_BATCH_JOB_ARRAY_INDEX`) and the names of the objects
//! under the plan's prefix. This module owns the plan's format; it does no
//! I/O. The plan holds identifiers, ARNs, the endpoint and table names:
//! never a password (only the secret's ARN) or a value from the data.

use serde::{Deserialize, Serialize};

use super::cloud::{Restored, Snapshot};
use super::config::JobKind;
use super::names::RunNames;

/// The plan's object name under the plan prefix.
pub const PLAN: &str = "plan.json";
/// The shard list for a Step Functions Distributed Map (`[{"shard": "0/4"}, ...]`).
pub const ITEMS: &str = "shards.json";
/// The format version written; readers refuse others.
pub const PLAN_VERSION: u32 = 1;

/// The manifest a shard writes under the plan prefix (its done marker).
pub fn shard_manifest(index: usize) -> String {
    format!("shard-{index}.manifest.json")
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
    /// The shard count asked for (`--shards N`); shards at or past
    /// `shards.len()` have nothing to do.
    pub requested: usize,
    /// Each shard's tables (names in `database`).
    pub shards: Vec<Vec<String>>,
    /// Every table, in the catalog's order (largest first): the merged
    /// manifest lists them in this order, as a one-process dump does.
    pub tables: Vec<String>,
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

    /// Parse and check a plan.
    pub fn from_json(bytes: &[u8]) -> Result<Plan, String> {
        let p: Plan =
            serde_json::from_slice(bytes).map_err(|e| format!("not a masker-aws plan: {e}"))?;
        if p.version != PLAN_VERSION {
            return Err(format!(
                "plan version {} is not supported (this masker-aws reads {PLAN_VERSION})",
                p.version
            ));
        }
        if p.shards.len() > p.requested {
            return Err("the plan has more shards than were requested".into());
        }
        Ok(p)
    }

    /// The shard list a Distributed Map iterates over.
    pub fn items(&self) -> serde_json::Value {
        serde_json::Value::Array(
            (0..self.shards.len())
                .map(|i| serde_json::json!({ "shard": format!("{i}/{}", self.requested) }))
                .collect(),
        )
    }
}

/// Deal `tables` (name, estimated bytes; in catalog order) to at most `n`
/// shards: largest first, each to the shard with the fewest bytes so far
/// (ties to the lowest index). Deterministic; no shard is empty, so there
/// are `min(n, tables)` shards.
pub fn assign(tables: &[(String, u64)], n: usize) -> Vec<Vec<String>> {
    let n = n.min(tables.len());
    if n == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..tables.len()).collect();
    // Stable: equal sizes keep catalog order.
    order.sort_by_key(|&i| std::cmp::Reverse(tables[i].1));
    let mut shards: Vec<(u64, Vec<String>)> = vec![(0, Vec::new()); n];
    for i in order {
        let target = (0..n).min_by_key(|&k| (shards[k].0, k)).unwrap_or(0);
        shards[target].0 += tables[i].1.max(1);
        shards[target].1.push(tables[i].0.clone());
    }
    shards.into_iter().map(|(_, t)| t).collect()
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

    fn t(name: &str, bytes: u64) -> (String, u64) {
        (name.to_owned(), bytes)
    }

    #[test]
    fn tables_are_dealt_largest_first_to_the_lightest_shard() {
        let tables = [t("a", 100), t("b", 60), t("c", 50), t("d", 10), t("e", 0)];
        let s = assign(&tables, 2);
        assert_eq!(s, [vec!["a", "d", "e"], vec!["b", "c"]]);
        // Every table exactly once, whatever N.
        for n in 1..8 {
            let s = assign(&tables, n);
            assert_eq!(s.len(), n.min(5));
            assert!(s.iter().all(|x| !x.is_empty()));
            let mut all: Vec<&String> = s.iter().flatten().collect();
            all.sort();
            assert_eq!(all, ["a", "b", "c", "d", "e"]);
        }
        assert!(assign(&[], 3).is_empty());
    }

    #[test]
    fn empty_tables_are_spread_too() {
        let tables = [t("a", 0), t("b", 0), t("c", 0)];
        assert_eq!(assign(&tables, 3), [vec!["a"], vec!["b"], vec!["c"]]);
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

    #[test]
    fn a_plan_round_trips_and_lists_its_shards() {
        let p = Plan {
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
            requested: 4,
            shards: vec![vec!["a".into()], vec!["b".into()]],
            tables: vec!["a".into(), "b".into()],
        };
        let text = serde_json::to_vec(&p).unwrap();
        let back = Plan::from_json(&text).unwrap();
        assert_eq!(back.kind().unwrap(), JobKind::Mask);
        assert_eq!(
            back.items().to_string(),
            r#"[{"shard":"0/4"},{"shard":"1/4"}]"#
        );
        assert_eq!(back.run_names().cluster_id(), "masker-r");
        let mut bad = p.clone();
        bad.version = 9;
        assert!(Plan::from_json(&serde_json::to_vec(&bad).unwrap()).is_err());
    }
}
