//! Sync: brings the cache up to the content host's signed edition, following the
//! client rules in the design (a small profile of The Update Framework):
//!
//! 1. fetch `manifest.json` with a size cap and `If-None-Match`;
//! 2. check its signature against the pinned keys, refuse rollbacks and expired
//!    editions;
//! 3. in format 2, read the index files the root names: those the cache kept from the
//!    last sync, those staged, and the rest downloaded, each capped at its declared
//!    size and checked against its SHA-256 (the root's signature covers both);
//! 4. download, a few at a time, only the objects whose hash the cache lacks, each
//!    capped at its declared size and checked against its SHA-256, and stage each one
//!    beside the cache as soon as it is verified (`staging.rs`), so an interrupted
//!    sync resumes;
//! 5. apply everything in one transaction with the new version and the index files,
//!    then delete the staging file.
//!
//! Any failure before step 5 commits leaves the content exactly as it was.

mod attachments;
mod error;
mod http;
mod staging;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use csec_bundle::{
    IndexFile, IndexRef, Manifest, ObjectEntry, PublicKey, Root, Signed, verify_index,
    verify_object,
};
use reqwest::Url;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::task::JoinSet;

pub use attachments::{
    AttachmentsReport, Connection, attachments_with_updates, fetch_attachment,
    fetch_attachment_from_settings,
};
pub use error::SyncError;
pub use http::source_url;

use csec_engine::{Cache, ContentMeta};
use http::{Fetched, Http};
use staging::Staging;

/// The publisher keys compiled into the app (`keys/publisher.pub`, or the file named by
/// `CSEC_PUBLISHER_KEYS` at build time).
pub fn pinned_keys() -> Vec<PublicKey> {
    csec_bundle::parse_public_keys(include_str!(concat!(env!("OUT_DIR"), "/publisher.pub")))
        .unwrap_or_default()
}

/// No real manifest comes near this: 10,000 items make about 3 MB.
pub const MANIFEST_CAP: u64 = 32 * 1024 * 1024;

/// Where and how to sync. [`SyncOptions::new`] gives the defaults the app uses.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The bundle's directory URL: `https://…`, or `http://` on this device.
    pub source: String,
    /// The publisher's pinned keys; a manifest signed by any of them is accepted.
    pub trusted: Vec<PublicKey>,
    /// The clock, for expiry and the sync record.
    pub now: OffsetDateTime,
    pub connect_timeout: Duration,
    /// How long a response may send nothing before it counts as stalled.
    pub stall_timeout: Duration,
    /// Downloads in flight at once.
    pub parallel: usize,
    /// Tries per file for transient failures (connection lost, 5xx, stalled).
    pub attempts: u32,
    /// Pause before the first retry; each later one waits four times longer.
    pub retry_delay: Duration,
    pub manifest_cap: u64,
    /// Also download, after the update, every attachment not yet on the device.
    pub attachments: bool,
}

impl SyncOptions {
    pub fn new(source: impl Into<String>, trusted: Vec<PublicKey>, now: OffsetDateTime) -> Self {
        SyncOptions {
            source: source.into(),
            trusted,
            now,
            connect_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(20),
            parallel: 8,
            attempts: 3,
            retry_delay: Duration::from_millis(250),
            manifest_cap: MANIFEST_CAP,
            attachments: false,
        }
    }
}

/// Where a sync is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Progress {
    Checking,
    Downloading {
        bytes_done: u64,
        bytes_total: u64,
        items_done: usize,
        items_total: usize,
    },
    Applying {
        items_done: usize,
        items_total: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyncStatus {
    Updated,
    UpToDate,
}

/// What a finished sync did: the `csec sync --json` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub status: SyncStatus,
    pub version: u64,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Body bytes received (after decompression), manifest and attachments included.
    pub bytes: u64,
    /// When the options asked for attachments: how fetching them went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<AttachmentsReport>,
}

/// Syncs `cache` from `options.source` and records the attempt and its outcome in
/// the cache (`last_sync_attempt`, `last_sync_outcome`, and `last_sync` on success).
pub async fn sync(
    cache: &mut Cache,
    options: &SyncOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<SyncReport, SyncError> {
    let mut result = run(cache, options, progress).await;
    record_outcome(cache, options.now, &result);
    if let Ok(report) = &mut result
        && options.attachments
    {
        let fetched = attachments::fetch_missing(cache, options, progress).await;
        report.bytes += fetched.bytes;
        report.attachments = Some(fetched);
    }
    result
}

fn record_outcome(cache: &mut Cache, now: OffsetDateTime, result: &Result<SyncReport, SyncError>) {
    let now = now.format(&Rfc3339).unwrap_or_default();
    let outcome = match result {
        Ok(report) => match report.status {
            SyncStatus::Updated => "updated",
            SyncStatus::UpToDate => "up-to-date",
        },
        Err(error) => error.kind(),
    };
    let mut record = vec![
        ("last_sync_attempt", now.as_str()),
        ("last_sync_outcome", outcome),
    ];
    if result.is_ok() {
        record.push(("last_sync", now.as_str()));
    }
    // Bookkeeping only: failing to write it must not turn a sync that was applied
    // into a reported failure, and a broken database shows up on the next read.
    let _ = cache.set_meta_values(&record);
}

/// The app's "sync" command: syncs from the `sync_source` setting, trusting `trusted`
/// (the shells pass [`pinned_keys`]), with attachments when the `attachments` setting
/// and the `connection` the UI reported allow.
pub async fn sync_from_settings(
    cache: &mut Cache,
    trusted: Vec<PublicKey>,
    now: OffsetDateTime,
    connection: Connection,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<SyncReport, SyncError> {
    let source = cache.setting("sync_source")?.unwrap_or_default();
    if source.trim().is_empty() {
        let result = Err(SyncError::NoSource);
        record_outcome(cache, now, &result);
        return result;
    }
    let mut options = SyncOptions::new(source, trusted, now);
    options.attachments =
        attachments_with_updates(cache.setting("attachments")?.as_deref(), connection);
    sync(cache, &options, progress).await
}

async fn run(
    cache: &mut Cache,
    options: &SyncOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<SyncReport, SyncError> {
    let base = source_url(&options.source)?;
    let http = Http::new(&base, options)?;
    progress(Progress::Checking);
    let cached_version = cache.meta()?.map_or(0, |m| m.version);
    let known_etag = match cache.meta_value("source")? {
        Some(source) if source == base.as_str() => cache.meta_value("manifest_etag")?,
        _ => None,
    };
    let manifest_url = join(&base, csec_bundle::MANIFEST_FILE)?;
    let up_to_date = |bytes| SyncReport {
        status: SyncStatus::UpToDate,
        version: cached_version,
        added: 0,
        changed: 0,
        removed: 0,
        bytes,
        attachments: None,
    };
    let (bytes, etag) = match http
        .get(
            &manifest_url,
            csec_bundle::MANIFEST_FILE,
            options.manifest_cap,
            known_etag.as_deref(),
        )
        .await?
    {
        Fetched::NotModified => return Ok(up_to_date(0)),
        Fetched::Body { bytes, etag } => (bytes, etag),
    };
    let mut received = bytes.len() as u64;
    let signed = csec_bundle::open_signed(&bytes, &options.trusted)?;
    drop(bytes);
    let version = signed.version();
    if version < cached_version {
        return Err(SyncError::Rollback {
            cached: cached_version,
            offered: version,
        });
    }
    if signed.is_expired(options.now) {
        return Err(SyncError::Expired {
            version,
            expires: signed.expires().format(&Rfc3339).unwrap_or_default(),
        });
    }
    let mut staging = Staging::beside(cache.path());
    if version == cached_version {
        remember_source(cache, &base, etag.as_deref())?;
        // Left by a sync whose edition is the one applied (a crash just after it).
        staging.remove();
        return Ok(up_to_date(received));
    }

    let (manifest, index_files) = match signed {
        Signed::Manifest(manifest) => (manifest, Vec::new()),
        Signed::Root(root) => {
            let stored = stored_index_files(cache, &root)?;
            let (files, bytes) =
                read_index_files(stored, &mut staging, &http, &base, options, &root).await?;
            received += bytes;
            let (listed, stored): (Vec<IndexFile>, Vec<_>) = files
                .into_iter()
                .map(|(reference, file, bytes)| (file, (reference.sha256, bytes)))
                .unzip();
            (root.resolve(&listed), stored)
        }
    };
    let needed = missing_objects(cache, &mut staging, &manifest)?;
    received += download(&mut staging, &http, &base, options, &needed, progress).await?;
    let report = apply(
        cache,
        &mut staging,
        &base,
        etag.as_deref(),
        (&manifest, &index_files),
        progress,
    )?;
    staging.remove();
    Ok(SyncReport {
        status: SyncStatus::Updated,
        version: manifest.version,
        added: report.added,
        changed: report.changed,
        removed: report.removed,
        bytes: received,
        attachments: None,
    })
}

pub(crate) fn join(base: &Url, path: &str) -> Result<Url, SyncError> {
    base.join(path).map_err(|e| SyncError::BadSource {
        url: base.to_string(),
        reason: e.to_string(),
    })
}

/// Records where the current content came from and the manifest's ETag, so the next
/// check is a conditional request.
fn remember_source(cache: &mut Cache, base: &Url, etag: Option<&str>) -> Result<(), SyncError> {
    cache.set_meta_values(&[
        ("source", base.as_str()),
        ("manifest_etag", etag.unwrap_or("")),
    ])?;
    Ok(())
}

/// The root's index files that the cache kept from the last sync, by hash.
fn stored_index_files(cache: &Cache, root: &Root) -> Result<HashMap<String, Vec<u8>>, SyncError> {
    let mut stored = HashMap::new();
    for reference in &root.indexes {
        if let Some(bytes) = cache.stored_index_file(&reference.sha256)? {
            stored.insert(reference.sha256.clone(), bytes);
        }
    }
    Ok(stored)
}

/// The root's index files in its order, each with its bytes: from the cache (kept by
/// the last sync), the staging file, or the host. Returns them and the bytes received.
async fn read_index_files(
    mut known: HashMap<String, Vec<u8>>,
    staging: &mut Staging,
    http: &Http,
    base: &Url,
    options: &SyncOptions,
    root: &Root,
) -> Result<(Vec<(IndexRef, IndexFile, Vec<u8>)>, u64), SyncError> {
    let mut needed = Vec::new();
    for reference in &root.indexes {
        if !known.contains_key(&reference.sha256) {
            match staging.get(&reference.sha256)? {
                Some(bytes) => {
                    known.insert(reference.sha256.clone(), bytes);
                }
                None => needed.push(reference.clone()),
            }
        }
    }
    let received = download(staging, http, base, options, &needed, &mut |_| {}).await?;
    let mut files = Vec::new();
    for reference in &root.indexes {
        let bytes = match known.remove(&reference.sha256) {
            Some(bytes) => bytes,
            None => staging.get(&reference.sha256)?.unwrap_or_default(),
        };
        // Checked again: the cache and the staging file are on disk.
        let file = verify_index(reference, &bytes)?;
        files.push((reference.clone(), file, bytes));
    }
    Ok((files, received))
}

/// Entries whose object is neither in the content nor staged, one per hash.
fn missing_objects(
    cache: &Cache,
    staging: &mut Staging,
    manifest: &Manifest,
) -> Result<Vec<ObjectEntry>, SyncError> {
    let mut known: HashSet<String> = cache.item_hashes()?.into_values().collect();
    known.extend(staging.hashes()?);
    Ok(manifest
        .objects
        .iter()
        .filter(|entry| known.insert(entry.sha256.clone()))
        .cloned()
        .collect())
}

/// Downloads `needed`, `options.parallel` at a time, staging each object as soon as it
/// is verified. Returns the bytes received. On failure, what was staged stays staged.
async fn download<T: Download>(
    staging: &mut Staging,
    http: &Http,
    base: &Url,
    options: &SyncOptions,
    needed: &[T],
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<u64, SyncError> {
    let bytes_total = needed.iter().map(|e| e.size()).sum();
    let mut done = Progress::Downloading {
        bytes_done: 0,
        bytes_total,
        items_done: 0,
        items_total: needed.len(),
    };
    progress(done);
    let mut queue = needed.iter();
    let mut in_flight = JoinSet::new();
    let mut received = 0;
    let mut failure = None;
    loop {
        // One bad object does not stop the others: every verified one is kept, so
        // the next sync fetches only what is still missing. An unreachable host
        // does stop it (below): waiting on every remaining download is pointless.
        while in_flight.len() < options.parallel.max(1) {
            let Some(entry) = queue.next() else { break };
            let url = join(base, &entry.path())?;
            let http = http.clone();
            let entry = entry.clone();
            in_flight.spawn(async move {
                let fetched = http.get(&url, &entry.what(), entry.size(), None).await;
                (entry, fetched)
            });
        }
        let Some(joined) = in_flight.join_next().await else {
            break;
        };
        let (entry, fetched) = joined.map_err(|e| SyncError::Network {
            what: "a download".into(),
            detail: e.to_string(),
        })?;
        match fetched.and_then(|fetched| verified_body(&entry, fetched)) {
            Ok(bytes) => {
                received += bytes.len() as u64;
                staging.put(entry.sha256(), &bytes)?;
                if let Progress::Downloading {
                    bytes_done,
                    items_done,
                    ..
                } = &mut done
                {
                    *bytes_done += entry.size();
                    *items_done += 1;
                }
                progress(done);
            }
            Err(error @ (SyncError::Network { .. } | SyncError::Timeout { .. })) => {
                return Err(error);
            }
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
    }
    if let Some(error) = failure {
        return Err(error);
    }
    Ok(received)
}

/// A file named by its hash in the signed edition: an object or an index file.
trait Download: Clone + Send + 'static {
    /// Its path in the bundle.
    fn path(&self) -> String;
    /// What it is, for messages.
    fn what(&self) -> String;
    fn size(&self) -> u64;
    fn sha256(&self) -> &str;
    fn verify(&self, bytes: &[u8]) -> Result<(), SyncError>;
}

impl Download for ObjectEntry {
    fn path(&self) -> String {
        ObjectEntry::path(self)
    }
    fn what(&self) -> String {
        self.id.clone()
    }
    fn size(&self) -> u64 {
        self.size
    }
    fn sha256(&self) -> &str {
        &self.sha256
    }
    fn verify(&self, bytes: &[u8]) -> Result<(), SyncError> {
        verify_object(self, bytes)?;
        Ok(())
    }
}

impl Download for IndexRef {
    fn path(&self) -> String {
        IndexRef::path(self)
    }
    fn what(&self) -> String {
        format!("the index file {}", IndexRef::path(self))
    }
    fn size(&self) -> u64 {
        self.size
    }
    fn sha256(&self) -> &str {
        &self.sha256
    }
    fn verify(&self, bytes: &[u8]) -> Result<(), SyncError> {
        verify_index(self, bytes)?;
        Ok(())
    }
}

fn verified_body<T: Download>(entry: &T, fetched: Fetched) -> Result<Vec<u8>, SyncError> {
    match fetched {
        Fetched::Body { bytes, .. } => {
            entry.verify(&bytes)?;
            Ok(bytes)
        }
        // Only a server that ignores HTTP would answer a plain GET with 304.
        Fetched::NotModified => Err(SyncError::Server {
            status: 304,
            what: entry.what(),
        }),
    }
}

/// One transaction: every new or changed item from the staged objects, removals,
/// the new version, the index files that list it and where it came from.
fn apply(
    cache: &mut Cache,
    staging: &mut Staging,
    base: &Url,
    etag: Option<&str>,
    (manifest, index_files): (&Manifest, &[(String, Vec<u8>)]),
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<csec_engine::ImportReport, SyncError> {
    let meta = ContentMeta {
        version: manifest.version,
        published: manifest.published.format(&Rfc3339).unwrap_or_default(),
        expires: Some(manifest.expires.format(&Rfc3339).unwrap_or_default()),
        reviewed: manifest.reviewed.clone(),
    };
    let held = cache.item_hashes()?;
    let items_total = manifest
        .objects
        .iter()
        .filter(|e| held.get(&e.id) != Some(&e.sha256))
        .count();
    let mut items_done = 0;
    progress(Progress::Applying {
        items_done,
        items_total,
    });
    let extra = [
        ("source", base.as_str()),
        ("manifest_etag", etag.unwrap_or("")),
    ];
    let index_files = Some(index_files);
    cache.apply_in_transaction(&meta, &manifest.objects, &extra, index_files, |entry| {
        let bytes = staging.get(&entry.sha256)?;
        // Staged only after verification; checked again because the file is on disk.
        let item = verify_object(entry, bytes.as_deref().unwrap_or_default())?;
        items_done += 1;
        progress(Progress::Applying {
            items_done,
            items_total,
        });
        Ok(item)
    })
}
