//! The objects a sharded run keeps under its plan prefix in S3 (`plan.json`,
//! whose chunk conditions hold original key values, `shards.json` and the
//! shards' manifests) and their removal when the run ends: `finish`,
//! `cleanup` and `sweep` call [`delete`]. A versioned bucket keeps a deleted
//! object's bytes as a non-current version, so every version and delete
//! marker is deleted by its version id, and every unfinished multipart
//! upload of those names is aborted first (a shard killed while uploading
//! its manifest leaves one).
//!
//! This module owns which keys under a prefix are a plan's
//! ([`super::shards::is_plan_object`]: nothing else there is touched, since
//! `--plan` may name any prefix) and the order of the deletes: `plan.json`
//! last, and the current version of each object after its older ones, so
//! that a deletion that stops half-way leaves the plan readable and
//! `cleanup` can be run again. It reads no object's contents and records
//! keys and version ids only.

use aws_sdk_rds::error::DisplayErrorContext;
use aws_sdk_s3::error::ProvideErrorMetadata;

use super::cloud::{fail, Aws, CloudError};
use super::shards::{self, PLAN};

/// One version (or delete marker) of a plan object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The object's name under the plan prefix (`plan.json`).
    pub name: String,
    /// Its version id (`null` in a bucket that never had versioning).
    pub version_id: String,
    /// A delete marker, not data.
    pub delete_marker: bool,
    /// The current version of the object.
    pub latest: bool,
}

/// An unfinished multipart upload of a plan object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The object's name under the plan prefix.
    pub name: String,
    /// The upload's id.
    pub upload_id: String,
}

/// What [`delete`] did, and why it stopped if it did not finish.
#[derive(Debug, Default)]
pub struct Removed {
    /// The plan prefix (`s3://bucket/prefix`).
    pub plan_url: String,
    /// Versions and delete markers deleted, in the order deleted.
    pub versions: Vec<Version>,
    /// Multipart uploads aborted.
    pub uploads: Vec<Upload>,
    /// The first failure; what had been deleted before it is listed above.
    pub error: Option<CloudError>,
}

impl Removed {
    /// `s3://bucket/prefix/name`.
    pub fn url(&self, name: &str) -> String {
        format!("{}/{name}", self.plan_url)
    }

    /// The objects that had a version deleted or an upload aborted, each
    /// once, as `s3://` URLs (for an audit record's `resources`).
    pub fn objects(&self) -> Vec<String> {
        let mut names: Vec<&str> = self
            .versions
            .iter()
            .map(|v| v.name.as_str())
            .chain(self.uploads.iter().map(|u| u.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names.into_iter().map(|n| self.url(n)).collect()
    }

    /// The audit details: each version deleted and upload aborted, by key
    /// and id (never contents).
    pub fn details(&self) -> serde_json::Value {
        serde_json::json!({
            "versions_deleted": self.versions.iter().map(|v| serde_json::json!({
                "object": self.url(&v.name),
                "version_id": v.version_id,
                "delete_marker": v.delete_marker,
            })).collect::<Vec<_>>(),
            "uploads_aborted": self.uploads.iter().map(|u| serde_json::json!({
                "object": self.url(&u.name),
                "upload_id": u.upload_id,
            })).collect::<Vec<_>>(),
        })
    }
}

/// The bucket and the key prefix (ending in `/`) of a plan URL. A URL
/// without a prefix (a whole bucket) is refused.
pub fn split(plan_url: &str) -> Result<(String, String), String> {
    let rest = plan_url
        .strip_prefix("s3://")
        .ok_or_else(|| format!("{plan_url}: not an s3:// URL"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let prefix = prefix.trim_matches('/');
    if bucket.is_empty() {
        return Err(format!("{plan_url}: no bucket name"));
    }
    if prefix.is_empty() {
        return Err(format!(
            "{plan_url}: names a whole bucket, not a plan prefix"
        ));
    }
    Ok((bucket.to_owned(), format!("{prefix}/")))
}

/// The name under `prefix` of `key` when it is a plan object directly
/// under it.
fn plan_name<'a>(key: &'a str, prefix: &str) -> Option<&'a str> {
    key.strip_prefix(prefix)
        .filter(|n| shards::is_plan_object(n))
}

/// The order to delete `versions` in: every object but `plan.json` first,
/// `plan.json` last; each object's current version after its older ones.
/// Stable otherwise.
pub fn deletion_order(mut versions: Vec<Version>) -> Vec<Version> {
    versions.sort_by(|a, b| {
        (a.name == PLAN, &a.name, a.latest).cmp(&(b.name == PLAN, &b.name, b.latest))
    });
    versions
}

/// Every version and delete marker of the plan objects under `plan_url`,
/// and their unfinished multipart uploads. A bucket that does not exist
/// (any more) holds none.
pub async fn list(aws: &Aws, plan_url: &str) -> Result<(Vec<Version>, Vec<Upload>), CloudError> {
    let (bucket, prefix) =
        split(plan_url).map_err(|e| fail("s3:ListObjectVersions", plan_url, e))?;
    let mut versions = Vec::new();
    let (mut key_marker, mut version_marker) = (None, None);
    loop {
        let out = match aws
            .s3
            .list_object_versions()
            .bucket(&bucket)
            .prefix(&prefix)
            .set_key_marker(key_marker.take())
            .set_version_id_marker(version_marker.take())
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) if e.code() == Some("NoSuchBucket") => return Ok((Vec::new(), Vec::new())),
            Err(e) => {
                return Err(fail(
                    "s3:ListObjectVersions",
                    plan_url,
                    DisplayErrorContext(e),
                ))
            }
        };
        let data = out
            .versions()
            .iter()
            .map(|v| (v.key(), v.version_id(), v.is_latest(), false));
        let markers = out
            .delete_markers()
            .iter()
            .map(|m| (m.key(), m.version_id(), m.is_latest(), true));
        for (key, id, latest, delete_marker) in data.chain(markers) {
            if let Some(name) = key.and_then(|k| plan_name(k, &prefix)) {
                versions.push(Version {
                    name: name.to_owned(),
                    version_id: id.unwrap_or("null").to_owned(),
                    delete_marker,
                    latest: latest.unwrap_or(false),
                });
            }
        }
        if out.is_truncated() != Some(true) {
            break;
        }
        key_marker = out.next_key_marker().map(str::to_owned);
        version_marker = out.next_version_id_marker().map(str::to_owned);
        if key_marker.is_none() {
            break;
        }
    }
    let mut uploads = Vec::new();
    let (mut key_marker, mut upload_marker) = (None, None);
    loop {
        let out = aws
            .s3
            .list_multipart_uploads()
            .bucket(&bucket)
            .prefix(&prefix)
            .set_key_marker(key_marker.take())
            .set_upload_id_marker(upload_marker.take())
            .send()
            .await
            .map_err(|e| fail("s3:ListMultipartUploads", plan_url, DisplayErrorContext(e)))?;
        for u in out.uploads() {
            if let (Some(name), Some(id)) =
                (u.key().and_then(|k| plan_name(k, &prefix)), u.upload_id())
            {
                uploads.push(Upload {
                    name: name.to_owned(),
                    upload_id: id.to_owned(),
                });
            }
        }
        if out.is_truncated() != Some(true) {
            break;
        }
        key_marker = out.next_key_marker().map(str::to_owned);
        upload_marker = out.next_upload_id_marker().map(str::to_owned);
        if key_marker.is_none() {
            break;
        }
    }
    Ok((versions, uploads))
}

/// Delete the plan objects under `plan_url`: abort their unfinished
/// uploads, then delete every version and delete marker in
/// [`deletion_order`]. Idempotent (nothing there: nothing done). Stops at
/// the first failure, which [`Removed::error`] holds.
pub async fn delete(aws: &Aws, plan_url: &str) -> Removed {
    let plan_url = plan_url.trim_end_matches('/').to_owned();
    let mut removed = Removed {
        plan_url: plan_url.clone(),
        ..Removed::default()
    };
    let (versions, uploads) = match list(aws, &plan_url).await {
        Ok(found) => found,
        Err(e) => {
            removed.error = Some(e);
            return removed;
        }
    };
    // `list` succeeded, so the URL splits.
    let Ok((bucket, prefix)) = split(&plan_url) else {
        return removed;
    };
    for u in uploads {
        let key = format!("{prefix}{}", u.name);
        match aws
            .s3
            .abort_multipart_upload()
            .bucket(&bucket)
            .key(&key)
            .upload_id(&u.upload_id)
            .send()
            .await
        {
            Ok(_) => removed.uploads.push(u),
            // Completed or aborted meanwhile: its object is listed below or
            // by the next run of this.
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_upload()) => {}
            Err(e) => {
                removed.error = Some(fail(
                    "s3:AbortMultipartUpload",
                    &removed.url(&u.name),
                    DisplayErrorContext(e),
                ));
                return removed;
            }
        }
    }
    for v in deletion_order(versions) {
        let key = format!("{prefix}{}", v.name);
        match aws
            .s3
            .delete_object()
            .bucket(&bucket)
            .key(&key)
            .version_id(&v.version_id)
            .send()
            .await
        {
            Ok(_) => removed.versions.push(v),
            Err(e) => {
                removed.error = Some(fail(
                    "s3:DeleteObjectVersion",
                    &format!("{} version {}", removed.url(&v.name), v.version_id),
                    DisplayErrorContext(e),
                ));
                return removed;
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str, id: &str, latest: bool) -> Version {
        Version {
            name: name.to_owned(),
            version_id: id.to_owned(),
            delete_marker: false,
            latest,
        }
    }

    #[test]
    fn a_plan_url_splits_into_bucket_and_prefix_and_a_bucket_alone_is_refused() {
        assert_eq!(
            split("s3://backups/daily/_plans/r1").unwrap(),
            ("backups".to_owned(), "daily/_plans/r1/".to_owned())
        );
        assert_eq!(
            split("s3://backups/daily/_plans/r1/").unwrap().1,
            "daily/_plans/r1/"
        );
        for bad in ["s3://backups", "s3://backups/", "s3:///p", "https://b/p"] {
            assert!(split(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_plan_objects_directly_under_the_prefix_are_taken() {
        let p = "daily/_plans/r1/";
        assert_eq!(plan_name("daily/_plans/r1/plan.json", p), Some("plan.json"));
        assert_eq!(
            plan_name("daily/_plans/r1/shard-3.manifest.json", p),
            Some("shard-3.manifest.json")
        );
        // Another run whose id starts alike, a nested object, another file.
        assert_eq!(plan_name("daily/_plans/r10/plan.json", p), None);
        assert_eq!(plan_name("daily/_plans/r1/x/plan.json", p), None);
        assert_eq!(plan_name("daily/_plans/r1/notes.txt", p), None);
    }

    #[test]
    fn plan_json_goes_last_and_each_current_version_after_its_older_ones() {
        let order = deletion_order(vec![
            v("plan.json", "p2", true),
            v("plan.json", "p1", false),
            v("shard-0.manifest.json", "s2", true),
            v("shards.json", "i1", true),
            v("shard-0.manifest.json", "s1", false),
        ]);
        let ids: Vec<&str> = order.iter().map(|v| v.version_id.as_str()).collect();
        assert_eq!(ids, ["s1", "s2", "i1", "p1", "p2"]);
    }

    #[test]
    fn the_audit_details_name_keys_and_version_ids() {
        let r = Removed {
            plan_url: "s3://b/_plans/r1".into(),
            versions: vec![v("shards.json", "a", false), v("plan.json", "b", true)],
            uploads: vec![Upload {
                name: "shard-1.manifest.json".into(),
                upload_id: "u1".into(),
            }],
            error: None,
        };
        assert_eq!(
            r.objects(),
            [
                "s3://b/_plans/r1/plan.json",
                "s3://b/_plans/r1/shard-1.manifest.json",
                "s3://b/_plans/r1/shards.json"
            ]
        );
        let d = r.details();
        assert_eq!(
            d["versions_deleted"][1]["object"],
            "s3://b/_plans/r1/plan.json"
        );
        assert_eq!(d["versions_deleted"][1]["version_id"], "b");
        assert_eq!(d["uploads_aborted"][0]["upload_id"], "u1");
    }
}
