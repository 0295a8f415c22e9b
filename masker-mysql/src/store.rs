//! Dumps in S3 (`s3://bucket/prefix`): finished files uploaded (multipart
//! for big ones, aborted on failure), and a dump fetched back to a local
//! directory for `load` and `verify`. Endpoint, region and credentials come
//! from the standard AWS environment (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`, `AWS_ALLOW_HTTP`),
//! so a local S3 server works. This module owns the async runtime and the
//! object store; the rest of the crate stays synchronous and file-based. It
//! never prints credentials.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};

use crate::error::{Error, Result};
use crate::manifest::{Manifest, MANIFEST};

/// Files up to this size go up in one request; bigger ones in parts of this size.
const PART_BYTES: usize = 8 << 20;

/// A bucket and prefix holding (or receiving) one dump.
pub struct S3Dump {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    url: String,
    rt: tokio::runtime::Runtime,
}

impl std::fmt::Debug for S3Dump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Dump")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// True when `location` names S3 (`s3://...`).
pub fn is_s3(location: &str) -> bool {
    location.starts_with("s3://")
}

impl S3Dump {
    /// Open `s3://bucket[/prefix]` with the AWS environment's settings.
    pub fn open(url: &str) -> Result<S3Dump> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| Error::Options(format!("{url}: not an s3:// URL")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(Error::Options(format!("{url}: no bucket name")));
        }
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| Error::Options(format!("{url}: {e}")))?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Options(format!("cannot start the S3 client: {e}")))?;
        Ok(S3Dump {
            store: Arc::new(store),
            prefix: ObjectPath::from(prefix.trim_matches('/')),
            url: url.trim_end_matches('/').to_owned(),
            rt,
        })
    }

    fn key(&self, name: &str) -> ObjectPath {
        self.prefix.child(name)
    }

    fn fail(&self, name: &str, what: &str, e: impl std::fmt::Display) -> Error {
        Error::Dump {
            path: format!("{}/{name}", self.url).into(),
            cause: format!("{what}: {e}"),
        }
    }

    /// Refuse a prefix that already holds a manifest: a new dump must never
    /// be mistaken for the old, complete one while it is being written.
    pub fn check_no_manifest(&self) -> Result<()> {
        match self.rt.block_on(self.store.head(&self.key(MANIFEST))) {
            Ok(_) => Err(self.fail(MANIFEST, "refusing to dump", "a dump is already there")),
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.fail(MANIFEST, "cannot check the destination", e)),
        }
    }

    /// Upload the local file `local` as `name`: one request when small,
    /// else a multipart upload that is aborted if any part fails.
    pub fn upload(&self, local: &Path, name: &str) -> Result<()> {
        let mut f = std::fs::File::open(local).map_err(|e| Error::io(local, e))?;
        let size = f.metadata().map_err(|e| Error::io(local, e))?.len();
        let key = self.key(name);
        if size as usize <= PART_BYTES {
            let mut buf = Vec::with_capacity(size as usize);
            f.read_to_end(&mut buf).map_err(|e| Error::io(local, e))?;
            self.rt
                .block_on(self.store.put(&key, PutPayload::from(buf)))
                .map_err(|e| self.fail(name, "upload failed", e))?;
            return Ok(());
        }
        self.rt.block_on(async {
            let mut up = self
                .store
                .put_multipart(&key)
                .await
                .map_err(|e| self.fail(name, "cannot start the upload", e))?;
            let sent: Result<()> = async {
                loop {
                    let mut part = vec![0u8; PART_BYTES];
                    let mut n = 0;
                    while n < PART_BYTES {
                        let k = f.read(&mut part[n..]).map_err(|e| Error::io(local, e))?;
                        if k == 0 {
                            break;
                        }
                        n += k;
                    }
                    if n == 0 {
                        break;
                    }
                    part.truncate(n);
                    up.put_part(PutPayload::from(part))
                        .await
                        .map_err(|e| self.fail(name, "upload of a part failed", e))?;
                }
                up.complete()
                    .await
                    .map_err(|e| self.fail(name, "cannot complete the upload", e))?;
                Ok(())
            }
            .await;
            if sent.is_err() {
                // Leave no incomplete multipart upload behind.
                let _ = up.abort().await;
            }
            sent
        })
    }

    /// Download `name` into the local file `local`.
    pub fn download(&self, name: &str, local: &Path) -> Result<()> {
        let mut out = std::fs::File::create(local).map_err(|e| Error::io(local, e))?;
        self.rt.block_on(async {
            let got = self
                .store
                .get(&self.key(name))
                .await
                .map_err(|e| self.fail(name, "download failed", e))?;
            let mut stream = got.into_stream();
            while let Some(bytes) = stream.next().await {
                let bytes = bytes.map_err(|e| self.fail(name, "download failed", e))?;
                out.write_all(&bytes).map_err(|e| Error::io(local, e))?;
            }
            Ok(())
        })
    }

    /// Fetch the whole dump (manifest first: without it there is no dump)
    /// into the local directory `dir`.
    pub fn fetch_all(&self, dir: &Path) -> Result<Manifest> {
        let manifest_path = dir.join(MANIFEST);
        match self.download(MANIFEST, &manifest_path) {
            Ok(()) => {}
            Err(_) if !self.exists(MANIFEST) => {
                let _ = std::fs::remove_file(&manifest_path);
                return Err(self.fail(
                    MANIFEST,
                    "missing",
                    "not a masker dump, or a dump that did not finish",
                ));
            }
            Err(e) => return Err(e),
        }
        let m = Manifest::read(dir)?;
        let mut names: Vec<&str> = Vec::new();
        for d in &m.databases {
            names.extend(d.objects.iter().map(|f| f.file.as_str()));
        }
        for t in &m.tables {
            names.push(&t.schema.file);
            names.extend(t.chunks.iter().map(|c| c.file.file.as_str()));
        }
        for name in names {
            self.download(name, &dir.join(name))?;
        }
        Ok(m)
    }

    /// Store `bytes` as `name` (small objects: plans, shard manifests).
    pub fn put(&self, name: &str, bytes: Vec<u8>) -> Result<()> {
        self.rt
            .block_on(self.store.put(&self.key(name), PutPayload::from(bytes)))
            .map_err(|e| self.fail(name, "upload failed", e))?;
        Ok(())
    }

    /// The whole object `name`, or `None` when there is none.
    pub fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        self.rt.block_on(async {
            match self.store.get(&self.key(name)).await {
                Ok(got) => Ok(Some(
                    got.bytes()
                        .await
                        .map_err(|e| self.fail(name, "download failed", e))?
                        .to_vec(),
                )),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(self.fail(name, "download failed", e)),
            }
        })
    }

    /// Delete the object `name` (a missing one counts as deleted).
    pub fn delete(&self, name: &str) -> Result<()> {
        match self.rt.block_on(self.store.delete(&self.key(name))) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.fail(name, "delete failed", e)),
        }
    }

    /// Delete every object under the prefix (a failed run's partial dump);
    /// returns how many. Refused for a whole bucket (no prefix).
    pub fn delete_all(&self) -> Result<usize> {
        if self.prefix.as_ref().is_empty() {
            return Err(self.fail("", "refusing to delete", "the URL names a whole bucket"));
        }
        self.rt.block_on(async {
            let names: Vec<ObjectPath> = self
                .store
                .list(Some(&self.prefix))
                .map(|m| m.map(|m| m.location))
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| self.fail("", "listing failed", e))?;
            for name in &names {
                match self.store.delete(name).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(self.fail(name.as_ref(), "delete failed", e)),
                }
            }
            Ok(names.len())
        })
    }

    fn exists(&self, name: &str) -> bool {
        self.rt.block_on(self.store.head(&self.key(name))).is_ok()
    }

    /// The dump's `s3://` URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl crate::dump::Publish for S3Dump {
    fn publish(&self, local: &Path, name: &str) -> Result<()> {
        self.upload(local, name)
    }
}
