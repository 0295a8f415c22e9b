//! Dumps in S3 (`s3://bucket/prefix`): chunk files streamed up as they are
//! written ([`ObjectWriter`]: multipart parts uploaded as they fill, the
//! upload aborted on failure, on drop and on [`abort_open_uploads`]), small
//! files uploaded whole, and a dump fetched back to a local directory for
//! `load` and `verify`. Endpoint, region and credentials come
//! from the standard AWS environment (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`, `AWS_ALLOW_HTTP`),
//! so a local S3 server works. This module owns the async runtime and the
//! object store; the rest of the crate stays synchronous and file-based. It
//! never prints credentials.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{MultipartUpload, ObjectStore, PutPayload};
use tokio::runtime::Handle;

use crate::error::{Error, Result};
use crate::files::StreamedObject;
use crate::manifest::{Manifest, MANIFEST};
use crate::source::DumpSource;

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
        S3Dump::open_with(url, None)
    }

    /// Open `s3://bucket[/prefix]` like [`S3Dump::open`], every object this
    /// writes encrypted under the KMS key `kms_key_id` (SSE-KMS): reading it
    /// then takes `kms:Decrypt` on that key as well as `s3:GetObject`.
    pub fn open_encrypted(url: &str, kms_key_id: &str) -> Result<S3Dump> {
        S3Dump::open_with(url, Some(kms_key_id))
    }

    fn open_with(url: &str, kms_key_id: Option<&str>) -> Result<S3Dump> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| Error::Options(format!("{url}: not an s3:// URL")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(Error::Options(format!("{url}: no bucket name")));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(key) = kms_key_id {
            builder = builder.with_sse_kms_encryption(key);
        }
        let store = builder
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
            names.extend(d.files().map(|f| f.file.as_str()));
        }
        for t in &m.tables {
            names.push(&t.schema.file);
            names.extend(t.chunks.iter().map(|c| c.file.file.as_str()));
            names.extend(t.bigquery_schema.iter().map(|f| f.file.as_str()));
            names.extend(
                t.chunks
                    .iter()
                    .filter_map(|c| c.bigquery.as_ref().map(|f| f.file.as_str())),
            );
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

    fn exists(&self, name: &str) -> bool {
        self.rt.block_on(self.store.head(&self.key(name))).is_ok()
    }

    /// The dump's `s3://` URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// An object written as it is produced (see [`ObjectWriter`]).
    pub fn writer(&self, name: &str) -> ObjectWriter {
        ObjectWriter {
            store: self.store.clone(),
            key: self.key(name),
            location: format!("{}/{name}", self.url),
            handle: self.rt.handle().clone(),
            buf: Vec::new(),
            upload: None,
        }
    }
}

impl crate::dump::Publish for S3Dump {
    fn publish(&self, local: &Path, name: &str) -> Result<()> {
        self.upload(local, name)
    }

    fn stream(&self, name: &str) -> Result<Option<Box<dyn StreamedObject>>> {
        Ok(Some(Box::new(self.writer(name))))
    }
}

impl DumpSource for S3Dump {
    fn location(&self, name: &str) -> std::path::PathBuf {
        if name.is_empty() {
            self.url.clone().into()
        } else {
            format!("{}/{name}", self.url).into()
        }
    }

    /// A streaming GET: bytes are read as they arrive, never stored locally.
    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>> {
        let location = self.location(name);
        let got = match self.rt.block_on(self.store.get(&self.key(name))) {
            Ok(g) => g,
            Err(object_store::Error::NotFound { .. }) => {
                return Err(Error::io(
                    location,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such object"),
                ))
            }
            Err(e) => return Err(self.fail(name, "download failed", e)),
        };
        Ok(Box::new(ObjectReader {
            stream: got.into_stream(),
            current: bytes::Bytes::new(),
            handle: self.rt.handle().clone(),
        }))
    }
}

/// An object's bytes as they arrive (blocking reads over the async stream).
struct ObjectReader {
    stream: futures::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>,
    current: bytes::Bytes,
    handle: Handle,
}

impl Read for ObjectReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.handle.block_on(self.stream.next()) {
                None => return Ok(0),
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(std::io::Error::other(format!("download failed: {e}"))),
            }
        }
        let n = out.len().min(self.current.len());
        out[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        Ok(n)
    }
}

/// A multipart upload in progress, shared with the registry so that an
/// interrupt can abort it ([`abort_open_uploads`]). `None` once completed
/// or aborted.
type SharedUpload = Arc<Mutex<Option<Box<dyn MultipartUpload>>>>;

/// Open multipart uploads, by registration number.
static OPEN_UPLOADS: Mutex<Vec<(u64, SharedUpload, Handle)>> = Mutex::new(Vec::new());
static NEXT_UPLOAD: AtomicU64 = AtomicU64::new(0);
/// Set by [`abort_open_uploads`]: no upload starts afterwards.
static CLOSED: AtomicBool = AtomicBool::new(false);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Abort every multipart upload this process has open, so that an
/// interrupted run leaves no incomplete upload behind (S3 keeps, and bills,
/// the parts of an upload nobody completes or aborts). For signal handlers:
/// called from a thread that is not inside the async runtime. Returns how
/// many were aborted. Writers whose upload was aborted fail their next
/// write, and no [`ObjectWriter`] of this process starts an upload
/// afterwards (a worker still running cannot open a new one behind it).
pub fn abort_open_uploads() -> usize {
    CLOSED.store(true, Ordering::SeqCst);
    let open: Vec<(u64, SharedUpload, Handle)> = std::mem::take(&mut *lock(&OPEN_UPLOADS));
    let mut aborted = 0;
    for (_, shared, handle) in open {
        if let Some(mut up) = lock(&shared).take() {
            let _ = handle.block_on(up.abort());
            aborted += 1;
        }
    }
    aborted
}

/// An S3 object written as it is produced: bytes are buffered into parts of
/// 8 MiB, each uploaded as soon as it is full (the multipart upload starts
/// with the first full part); an object smaller than one part goes up in
/// one request at [`StreamedObject::complete`]. Nothing is visible under
/// the name until then. Dropped without completing, or after a failed part,
/// the multipart upload is aborted. Local disk is never used; memory is one
/// part per writer.
pub struct ObjectWriter {
    store: Arc<dyn ObjectStore>,
    key: ObjectPath,
    location: String,
    handle: Handle,
    buf: Vec<u8>,
    /// The registration number and the upload, once started.
    upload: Option<(u64, SharedUpload)>,
}

impl ObjectWriter {
    fn io_error(&self, what: &str, e: impl std::fmt::Display) -> std::io::Error {
        std::io::Error::other(format!("{what}: {e}"))
    }

    /// Upload the buffer as the next part (starting the upload if needed).
    fn send_part(&mut self) -> std::io::Result<()> {
        if CLOSED.load(Ordering::SeqCst) {
            self.abort();
            return Err(self.io_error("upload refused", "the run was interrupted"));
        }
        if self.upload.is_none() {
            let up = self
                .handle
                .block_on(self.store.put_multipart(&self.key))
                .map_err(|e| self.io_error("cannot start the upload", e))?;
            let id = NEXT_UPLOAD.fetch_add(1, Ordering::Relaxed);
            let shared: SharedUpload = Arc::new(Mutex::new(Some(up)));
            {
                // Registered under the registry's lock, after checking for
                // an interrupt under it: an abort either sees this upload
                // or happened before, and then it is aborted here.
                let mut open = lock(&OPEN_UPLOADS);
                if CLOSED.load(Ordering::SeqCst) {
                    drop(open);
                    if let Some(mut up) = lock(&shared).take() {
                        let _ = self.handle.block_on(up.abort());
                    }
                    return Err(self.io_error("upload refused", "the run was interrupted"));
                }
                open.push((id, shared.clone(), self.handle.clone()));
            }
            self.upload = Some((id, shared));
        }
        let part = PutPayload::from(std::mem::take(&mut self.buf));
        let (_, shared) = self.upload.as_ref().expect("started above");
        // Queue the part under the lock, upload it outside: an interrupt
        // can take the upload and abort it meanwhile.
        let pending = match lock(shared).as_mut() {
            Some(up) => up.put_part(part),
            None => return Err(self.io_error("upload aborted", "the run was interrupted")),
        };
        let sent = self.handle.block_on(pending);
        sent.map_err(|e| {
            self.abort();
            self.io_error("upload of a part failed", e)
        })
    }

    /// Abort the multipart upload, if one is open.
    fn abort(&mut self) {
        if let Some((id, shared)) = self.upload.take() {
            lock(&OPEN_UPLOADS).retain(|(i, _, _)| *i != id);
            if let Some(mut up) = lock(&shared).take() {
                let _ = self.handle.block_on(up.abort());
            }
        }
    }
}

impl Write for ObjectWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = PART_BYTES - self.buf.len();
        let n = data.len().min(room);
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(PART_BYTES);
        }
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == PART_BYTES {
            self.send_part()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl StreamedObject for ObjectWriter {
    fn complete(mut self: Box<Self>) -> Result<()> {
        let location = self.location.clone();
        let fail = |what: &str, e: &dyn std::fmt::Display| Error::Dump {
            path: location.clone().into(),
            cause: format!("{what}: {e}"),
        };
        if CLOSED.load(Ordering::SeqCst) {
            return Err(fail("upload refused", &"the run was interrupted"));
        }
        if self.upload.is_none() {
            let body = PutPayload::from(std::mem::take(&mut self.buf));
            return self
                .handle
                .block_on(self.store.put(&self.key, body))
                .map(|_| ())
                .map_err(|e| fail("upload failed", &e));
        }
        if !self.buf.is_empty() {
            self.send_part()
                .map_err(|e| fail("upload of the last part failed", &e))?;
        }
        let (id, shared) = self.upload.take().expect("started");
        lock(&OPEN_UPLOADS).retain(|(i, _, _)| *i != id);
        let taken = lock(&shared).take();
        let Some(mut up) = taken else {
            return Err(fail("upload aborted", &"the run was interrupted"));
        };
        match self.handle.block_on(up.complete()) {
            Ok(_) => Ok(()),
            Err(e) => {
                let _ = self.handle.block_on(up.abort());
                Err(fail("cannot complete the upload", &e))
            }
        }
    }

    fn location(&self) -> String {
        self.location.clone()
    }
}

impl Drop for ObjectWriter {
    fn drop(&mut self) {
        self.abort();
    }
}
