//! A run's dump in S3 (`<output>/<cluster>/<date>/<run id>/`: the chunks,
//! the BigQuery export, the manifest) removed for good, when it must not
//! stay: the restore test's leak proof found an original value in it, or
//! the run failed and left it without a manifest (nothing can load it).
//! [`delete`] deletes every version and delete marker and aborts every
//! unfinished multipart upload under the run's prefix through
//! [`super::s3_versions`], and lists it again.
//!
//! This module owns which prefix that is: only the run's own `<run id>/`,
//! never a parent (the cluster's or the date's directory holds other runs'
//! dumps), and the order: `manifest.json` first, so that a deletion that
//! stops half-way leaves a dump that no loader takes as complete and that a
//! failed run's cleanup deletes again.

use masker_mysql::manifest::MANIFEST;

use super::cloud::{fail, Aws};
use super::s3_versions::{self, Removed, Selection};

fn everything(_name: &str) -> bool {
    true
}

/// `manifest.json` before every other object.
fn manifest_first(name: &str) -> u8 {
    u8::from(name != MANIFEST)
}

/// Everything under the run's prefix (it is the run's alone), the manifest
/// first.
pub const DUMP_OBJECTS: Selection = Selection {
    takes: everything,
    rank: manifest_first,
};

/// `Ok` when `url` is `s3://bucket/<path>/<run id>`: the run's own prefix.
pub fn check_run_prefix(url: &str, run_id: &str) -> Result<(), String> {
    let (_, prefix) = s3_versions::split(url)?;
    let last = prefix.trim_end_matches('/').rsplit('/').next();
    if run_id.is_empty() || run_id.contains('/') || last != Some(run_id) {
        return Err(format!(
            "{url}: not the prefix of run {run_id} (its last part must be the run id); \
             refusing to delete under it"
        ));
    }
    Ok(())
}

/// Delete every version and upload under the dump prefix `url` of run
/// `run_id`, then list it again (see [`s3_versions::delete`]). A URL that
/// is not the run's own prefix is refused before any call.
pub async fn delete(aws: &Aws, url: &str, run_id: &str) -> Removed {
    let url = url.trim_end_matches('/');
    if let Err(e) = check_run_prefix(url, run_id) {
        return Removed {
            url: url.to_owned(),
            left: vec![url.to_owned()],
            error: Some(fail("s3:DeleteObjectVersion", url, e)),
            ..Removed::default()
        };
    }
    s3_versions::delete(aws, url, &DUMP_OBJECTS).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::s3_versions::Version;

    #[test]
    fn only_the_runs_own_prefix_is_accepted() {
        let run = "20261127t150000z-a1b2c3d4";
        assert!(check_run_prefix(&format!("s3://b/daily/prod/2026-11-27/{run}"), run).is_ok());
        assert!(check_run_prefix(&format!("s3://b/daily/prod/2026-11-27/{run}/"), run).is_ok());
        assert!(check_run_prefix(&format!("s3://b/{run}"), run).is_ok());
        for bad in [
            // A parent: the date's directory, the cluster's, the bucket.
            "s3://b/daily/prod/2026-11-27".to_owned(),
            "s3://b/daily/prod/2026-11-27/".to_owned(),
            "s3://b/daily/prod".to_owned(),
            "s3://b".to_owned(),
            format!("s3://{run}"),
            // Another run whose id starts alike.
            format!("s3://b/daily/prod/2026-11-27/{run}0"),
            format!("s3://b/daily/prod/2026-11-27/{run}/x"),
        ] {
            assert!(check_run_prefix(&bad, run).is_err(), "{bad}");
        }
        assert!(check_run_prefix("s3://b/daily/x", "").is_err());
        assert!(check_run_prefix("s3://b/a/b", "a/b").is_err());
    }

    #[test]
    fn the_manifest_goes_first_and_every_name_is_taken() {
        let v = |name: &str, id: &str, latest| Version {
            name: name.to_owned(),
            version_id: id.to_owned(),
            delete_marker: false,
            latest,
        };
        let order = s3_versions::deletion_order(
            vec![
                v("db@users@00000.sql.zst", "u1", true),
                v(MANIFEST, "m2", true),
                v("db@orders@00000.sql.zst", "o1", false),
                v(MANIFEST, "m1", false),
                v("db@orders@00000.sql.zst", "o2", true),
            ],
            &DUMP_OBJECTS,
        );
        let ids: Vec<&str> = order.iter().map(|v| v.version_id.as_str()).collect();
        assert_eq!(ids, ["m1", "m2", "o1", "o2", "u1"]);
        for name in ["manifest.json", "db@t@00000.tsv.zst", "db@t.bq.tsv", "x/y"] {
            assert!((DUMP_OBJECTS.takes)(name), "{name}");
        }
    }
}
