//! A run's objects under one S3 prefix, removed for good: every version
//! and delete marker deleted by its version id (a versioned bucket keeps a
//! deleted object's bytes as a non-current version), every unfinished
//! multipart upload aborted first (a process killed while uploading leaves
//! one), then the prefix listed again so that whatever is still there is
//! named, never assumed gone.
//!
//! This module owns the listing, the deletes and their order, and the
//! check afterwards, for any [`Selection`] of names under a prefix; which
//! names a caller's objects are, and which go last, belong to the caller
//! ([`super::plan_objects`]: a sharded run's plan; [`super::dump_objects`]:
//! a run's dump). It refuses a URL that names a whole bucket, reads no
//! object's contents and reports keys, version ids and upload ids only.

use aws_sdk_rds::error::DisplayErrorContext;
use aws_sdk_s3::error::ProvideErrorMetadata;

use super::cloud::{fail, Aws, CloudError};

/// Which objects under a prefix are the caller's, and the order to delete
/// them in.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Whether a name (the key after the prefix and its `/`) is one of the
    /// caller's objects; nothing else under the prefix is touched.
    pub takes: fn(&str) -> bool,
    /// Lower ranks are deleted first.
    pub rank: fn(&str) -> u8,
}

/// One version (or delete marker) of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The object's name under the prefix (`plan.json`).
    pub name: String,
    /// Its version id (`null` in a bucket that never had versioning).
    pub version_id: String,
    /// A delete marker, not data.
    pub delete_marker: bool,
    /// The current version of the object.
    pub latest: bool,
}

/// An unfinished multipart upload of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The object's name under the prefix.
    pub name: String,
    /// The upload's id.
    pub upload_id: String,
}

/// What [`delete`] did, what it left, and why it stopped if it did not
/// finish.
#[derive(Debug, Default)]
pub struct Removed {
    /// The prefix (`s3://bucket/prefix`, no trailing `/`).
    pub url: String,
    /// Versions and delete markers deleted, in the order deleted.
    pub versions: Vec<Version>,
    /// Multipart uploads aborted.
    pub uploads: Vec<Upload>,
    /// What the listing after the deletes still found, as
    /// `s3://bucket/key version <id>` and `s3://bucket/key upload <id>`;
    /// the prefix itself when it could not be listed.
    pub left: Vec<String>,
    /// The first failure; what had been deleted before it is listed above.
    pub error: Option<CloudError>,
}

impl Removed {
    /// `s3://bucket/prefix/name`.
    pub fn url(&self, name: &str) -> String {
        format!("{}/{name}", self.url)
    }

    /// Every version and upload is gone, and the listing after the deletes
    /// showed it.
    pub fn complete(&self) -> bool {
        self.error.is_none() && self.left.is_empty()
    }

    /// Nothing was deleted, nothing is left and nothing failed.
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty() && self.uploads.is_empty() && self.complete()
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
    /// and id (never contents), and what is left.
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
            "left": self.left,
        })
    }

    /// Why the removal is not complete (the failure, what is left), for an
    /// error message; `None` when it is.
    pub fn problem(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(e) = &self.error {
            parts.push(e.to_string());
        }
        if !self.left.is_empty() {
            parts.push(format!(
                "still there after the deletion: {}",
                self.left.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// The bucket and the key prefix (ending in `/`) of an `s3://` URL. A URL
/// without a prefix (a whole bucket) is refused.
pub fn split(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| format!("{url}: not an s3:// URL"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let prefix = prefix.trim_matches('/');
    if bucket.is_empty() {
        return Err(format!("{url}: no bucket name"));
    }
    if prefix.is_empty() {
        return Err(format!("{url}: names a whole bucket, not a prefix"));
    }
    Ok((bucket.to_owned(), format!("{prefix}/")))
}

/// The name under `prefix` of `key` when the selection takes it.
fn name_in<'a>(key: &'a str, prefix: &str, sel: &Selection) -> Option<&'a str> {
    key.strip_prefix(prefix).filter(|n| (sel.takes)(n))
}

/// The order to delete `versions` in: by the selection's rank, then by
/// name, each object's current version after its older ones (so that an
/// object stays readable until its last version goes). Stable otherwise.
pub fn deletion_order(mut versions: Vec<Version>, sel: &Selection) -> Vec<Version> {
    versions.sort_by(|a, b| {
        ((sel.rank)(&a.name), &a.name, a.latest).cmp(&((sel.rank)(&b.name), &b.name, b.latest))
    });
    versions
}

/// Every version and delete marker of the selected objects under `url`,
/// and their unfinished multipart uploads. A bucket that does not exist
/// (any more) holds none.
pub async fn list(
    aws: &Aws,
    url: &str,
    sel: &Selection,
) -> Result<(Vec<Version>, Vec<Upload>), CloudError> {
    let (bucket, prefix) = split(url).map_err(|e| fail("s3:ListObjectVersions", url, e))?;
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
            Err(e) => return Err(fail("s3:ListObjectVersions", url, DisplayErrorContext(e))),
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
            if let Some(name) = key.and_then(|k| name_in(k, &prefix, sel)) {
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
            .map_err(|e| fail("s3:ListMultipartUploads", url, DisplayErrorContext(e)))?;
        for u in out.uploads() {
            if let (Some(name), Some(id)) = (
                u.key().and_then(|k| name_in(k, &prefix, sel)),
                u.upload_id(),
            ) {
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

/// What [`list`] finds under `url`, one line per version and upload
/// (`s3://bucket/key version <id>`, `s3://bucket/key upload <id>`).
pub async fn remaining(aws: &Aws, url: &str, sel: &Selection) -> Result<Vec<String>, CloudError> {
    let url = url.trim_end_matches('/');
    let (versions, uploads) = list(aws, url, sel).await?;
    Ok(versions
        .iter()
        .map(|v| format!("{url}/{} version {}", v.name, v.version_id))
        .chain(
            uploads
                .iter()
                .map(|u| format!("{url}/{} upload {}", u.name, u.upload_id)),
        )
        .collect())
}

/// Delete the selected objects under `url`: abort their unfinished
/// uploads, then delete every version and delete marker in
/// [`deletion_order`], stopping at the first failure ([`Removed::error`]);
/// then list again ([`Removed::left`]). Idempotent (nothing there: nothing
/// done).
pub async fn delete(aws: &Aws, url: &str, sel: &Selection) -> Removed {
    let url = url.trim_end_matches('/').to_owned();
    let mut removed = Removed {
        url: url.clone(),
        ..Removed::default()
    };
    removed.error = delete_listed(aws, sel, &mut removed).await.err();
    match remaining(aws, &url, sel).await {
        Ok(left) => removed.left = left,
        Err(e) => {
            removed.left = vec![url];
            removed.error.get_or_insert(e);
        }
    }
    removed
}

/// The deletes of [`delete`], each recorded in `removed` once done.
async fn delete_listed(
    aws: &Aws,
    sel: &Selection,
    removed: &mut Removed,
) -> Result<(), CloudError> {
    let (versions, uploads) = list(aws, &removed.url, sel).await?;
    // `list` succeeded, so the URL splits.
    let (bucket, prefix) =
        split(&removed.url).map_err(|e| fail("s3:ListObjectVersions", &removed.url, e))?;
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
            // Completed or aborted meanwhile: its object is listed below
            // (or by the listing afterwards).
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_upload()) => {}
            Err(e) => {
                return Err(fail(
                    "s3:AbortMultipartUpload",
                    &format!("{} upload {}", removed.url(&u.name), u.upload_id),
                    DisplayErrorContext(e),
                ))
            }
        }
    }
    for v in deletion_order(versions, sel) {
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
                return Err(fail(
                    "s3:DeleteObjectVersion",
                    &format!("{} version {}", removed.url(&v.name), v.version_id),
                    DisplayErrorContext(e),
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
impl Version {
    /// A stored version (no delete marker), for tests.
    pub(crate) fn stored(name: &str, id: &str, latest: bool) -> Version {
        Version {
            name: name.to_owned(),
            version_id: id.to_owned(),
            delete_marker: false,
            latest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str, id: &str, latest: bool) -> Version {
        Version::stored(name, id, latest)
    }

    fn last_goes_last(name: &str) -> u8 {
        u8::from(name == "last")
    }

    fn no_slash(name: &str) -> bool {
        !name.contains('/')
    }

    const SEL: Selection = Selection {
        takes: no_slash,
        rank: last_goes_last,
    };

    #[test]
    fn a_url_splits_into_bucket_and_prefix_and_a_bucket_alone_is_refused() {
        assert_eq!(
            split("s3://backups/daily/_plans/r1").unwrap(),
            ("backups".to_owned(), "daily/_plans/r1/".to_owned())
        );
        assert_eq!(
            split("s3://backups/daily/_plans/r1/").unwrap().1,
            "daily/_plans/r1/"
        );
        for bad in [
            "s3://backups",
            "s3://backups/",
            "s3://backups//",
            "s3:///p",
            "https://b/p",
        ] {
            assert!(split(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_names_the_selection_takes_directly_under_the_prefix_are_taken() {
        let p = "daily/r1/";
        assert_eq!(name_in("daily/r1/a.sql", p, &SEL), Some("a.sql"));
        // Another run whose id starts alike, a parent's object, a name the
        // selection does not take.
        assert_eq!(name_in("daily/r10/a.sql", p, &SEL), None);
        assert_eq!(name_in("daily/a.sql", p, &SEL), None);
        assert_eq!(name_in("daily/r1/x/a.sql", p, &SEL), None);
    }

    #[test]
    fn the_rank_orders_objects_and_each_current_version_goes_after_its_older_ones() {
        let order = deletion_order(
            vec![
                v("last", "l2", true),
                v("last", "l1", false),
                v("b", "b2", true),
                v("a", "a1", true),
                v("b", "b1", false),
            ],
            &SEL,
        );
        let ids: Vec<&str> = order.iter().map(|v| v.version_id.as_str()).collect();
        assert_eq!(ids, ["a1", "b1", "b2", "l1", "l2"]);
    }

    #[test]
    fn the_audit_details_name_keys_and_ids_and_what_is_left() {
        let r = Removed {
            url: "s3://b/_plans/r1".into(),
            versions: vec![v("shards.json", "a", false), v("plan.json", "b", true)],
            uploads: vec![Upload {
                name: "shard-1.manifest.json".into(),
                upload_id: "u1".into(),
            }],
            left: vec!["s3://b/_plans/r1/plan.json version c".into()],
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
        assert_eq!(d["left"][0], "s3://b/_plans/r1/plan.json version c");
        assert!(!r.complete() && !r.is_empty());
        assert_eq!(
            r.problem().unwrap(),
            "still there after the deletion: s3://b/_plans/r1/plan.json version c"
        );
        let done = Removed {
            left: Vec::new(),
            ..r
        };
        assert!(done.complete() && !done.is_empty() && done.problem().is_none());
        assert!(Removed::default().is_empty());
    }
}
