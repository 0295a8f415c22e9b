//! The objects a sharded run keeps under its plan prefix in S3 (`plan.json`,
//! whose chunk conditions hold original key values, `shards.json` and the
//! shards' manifests) and their removal when the run ends: `finish`,
//! `cleanup` and `sweep` call [`delete`], which deletes every version and
//! delete marker and aborts every unfinished multipart upload of those
//! names (a shard killed while uploading its manifest leaves one) through
//! [`super::s3_versions`].
//!
//! This module owns which keys under a prefix are a plan's
//! ([`super::shards::is_plan_object`]: nothing else there is touched, since
//! `--plan` may name any prefix) and that `plan.json` goes last, so that a
//! deletion that stops half-way leaves the plan readable and `cleanup` can
//! be run again.

use super::cloud::Aws;
use super::s3_versions::{self, Removed, Selection};
use super::shards::{self, PLAN};

/// `plan.json` after every other plan object.
fn plan_last(name: &str) -> u8 {
    u8::from(name == PLAN)
}

/// The plan's objects: the names [`shards::is_plan_object`] takes,
/// directly under the plan prefix, `plan.json` last.
pub const PLAN_OBJECTS: Selection = Selection {
    takes: shards::is_plan_object,
    rank: plan_last,
};

/// The bucket and the key prefix (ending in `/`) of a plan URL. A URL
/// without a prefix (a whole bucket) is refused.
pub fn split(plan_url: &str) -> Result<(String, String), String> {
    s3_versions::split(plan_url)
}

/// Delete the plan objects under `plan_url` (every version, uploads
/// aborted, `plan.json` last) and list them again: see
/// [`s3_versions::delete`].
pub async fn delete(aws: &Aws, plan_url: &str) -> Removed {
    s3_versions::delete(aws, plan_url, &PLAN_OBJECTS).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::s3_versions::Version;

    fn v(name: &str, id: &str, latest: bool) -> Version {
        Version::stored(name, id, latest)
    }

    #[test]
    fn a_plan_url_naming_a_whole_bucket_is_refused() {
        assert_eq!(
            split("s3://backups/daily/_plans/r1").unwrap(),
            ("backups".to_owned(), "daily/_plans/r1/".to_owned())
        );
        assert!(split("s3://backups").is_err());
    }

    #[test]
    fn only_plan_objects_are_taken() {
        for (name, taken) in [
            ("plan.json", true),
            ("shards.json", true),
            ("shard-3.manifest.json", true),
            ("x/plan.json", false),
            ("notes.txt", false),
        ] {
            assert_eq!((PLAN_OBJECTS.takes)(name), taken, "{name}");
        }
    }

    #[test]
    fn plan_json_goes_last_and_each_current_version_after_its_older_ones() {
        let order = s3_versions::deletion_order(
            vec![
                v("plan.json", "p2", true),
                v("plan.json", "p1", false),
                v("shard-0.manifest.json", "s2", true),
                v("shards.json", "i1", true),
                v("shard-0.manifest.json", "s1", false),
            ],
            &PLAN_OBJECTS,
        );
        let ids: Vec<&str> = order.iter().map(|v| v.version_id.as_str()).collect();
        assert_eq!(ids, ["s1", "s2", "i1", "p1", "p2"]);
    }
}
