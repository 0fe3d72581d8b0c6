//! Sync: brings the cache up to the content host's signed edition, following the
//! client rules in the design (a small profile of The Update Framework):
//!
//! 1. fetch `manifest.json` with a size cap and `If-None-Match`;
//! 2. check its signature against the pinned keys, refuse rollbacks and expired
//!    editions;
//! 3. in format 2, read the index files the root names: those the cache kept from the
//!    last sync, those staged, and the rest downloaded, each capped at its declared
//!    size and checked against its SHA-256 (the root's signature covers both);
//! 4. download, a few at a time on a thread of their own, only the objects whose hash
//!    the cache lacks, each capped at its declared size and checked against its
//!    SHA-256, and stage each one beside the cache as soon as it is verified
//!    (`staging.rs`), so an interrupted sync resumes;
//! 5. meanwhile, install each verified item as it arrives, all in one transaction with
//!    the new version and the index files, committed only once every item is in; then
//!    delete the staging file.
//!
//! Any failure before step 5 commits leaves the content exactly as it was.

mod attachments;
mod error;
mod http;
mod mirror;
mod sources;
mod staging;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use csec_bundle::{
    IndexFile, IndexRef, Item, Manifest, ObjectEntry, PublicKey, Root, Signed, verify_index,
    verify_object,
};
use reqwest::Url;
use serde::Serialize;
use std::sync::mpsc::{Receiver, SyncSender};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::task::JoinSet;

pub use attachments::{
    AttachmentsReport, Connection, attachments_with_updates, fetch_attachment,
    fetch_attachment_from_settings,
};
pub use error::SyncError;
pub use http::source_url;
pub use mirror::{MirrorReport, mirror};
pub use sources::Refusal;

use csec_engine::{Cache, ContentMeta};
use http::Fetched;
use sources::{Source, Sources};
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
    /// The publisher's bundle directory URL: `https://…`, or `http://` on this device.
    pub source: String,
    /// Nearby devices serving a copy of the bundle (`csec serve --lan`), tried first
    /// in this order; `http://` is allowed for them on a local network
    /// ([`csec_engine::mirror_address`]).
    pub mirrors: Vec<String>,
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
            mirrors: Vec::new(),
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub status: SyncStatus,
    pub version: u64,
    /// The address the edition (or the answer "up to date") came from.
    pub source: String,
    /// Sources that could not be used, or not for every file, and why.
    pub refused: Vec<Refusal>,
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
    let mut refused = Vec::new();
    let mut result = run(cache, options, &mut refused, progress).await;
    if let Ok(report) = &mut result {
        report.refused = refused.clone();
    }
    record_outcome(cache, options.now, &result, &refused);
    if let Ok(report) = &mut result
        && options.attachments
    {
        let fetched = attachments::fetch_missing(cache, options, progress).await;
        report.bytes += fetched.bytes;
        report.attachments = Some(fetched);
    }
    result
}

fn record_outcome(
    cache: &mut Cache,
    now: OffsetDateTime,
    result: &Result<SyncReport, SyncError>,
    refused: &[Refusal],
) {
    let now = now.format(&Rfc3339).unwrap_or_default();
    let outcome = match result {
        Ok(report) => match report.status {
            SyncStatus::Updated => "updated",
            SyncStatus::UpToDate => "up-to-date",
        },
        Err(error) => error.kind(),
    };
    let refused = serde_json::to_string(refused).unwrap_or_else(|_| "[]".into());
    let mut record = vec![
        ("last_sync_attempt", now.as_str()),
        ("last_sync_outcome", outcome),
        ("last_sync_refused", refused.as_str()),
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
        record_outcome(cache, now, &result, &[]);
        return result;
    }
    let mut options = SyncOptions::new(source, trusted, now);
    options.mirrors = cache.mirrors()?.into_iter().map(|m| m.url).collect();
    options.attachments =
        attachments_with_updates(cache.setting("attachments")?.as_deref(), connection);
    sync(cache, &options, progress).await
}

async fn run(
    cache: &mut Cache,
    options: &SyncOptions,
    refused: &mut Vec<Refusal>,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<SyncReport, SyncError> {
    let sources = Sources::from_options(options)?;
    refused.extend(sources.take_refused());
    progress(Progress::Checking);
    let cached_version = cache.meta()?.map_or(0, |m| m.version);
    // The ETag is that of the source the content came from.
    let known = (
        cache.meta_value("source")?,
        cache.meta_value("manifest_etag")?,
    );
    let mut offer = None;
    // A mirror with this device's own edition: the answer if nothing later has newer.
    let mut same = None;
    for (i, source) in sources.iter().enumerate() {
        let etag = match &known {
            (Some(known), etag) if known == source.base.as_str() => etag.as_deref(),
            _ => None,
        };
        let last = i + 1 == sources.len();
        match check(source, options, cached_version, etag).await {
            Ok(found @ Offer::Newer { .. }) => {
                offer = Some((source, found));
                break;
            }
            // The publisher may have published since the copy was made: ask on.
            Ok(found) if !last => {
                same.get_or_insert((source, found));
            }
            Ok(found) => {
                offer = Some((source, found));
                break;
            }
            Err(error @ SyncError::Cache(_)) => return Err(error),
            // The next source may well have it: a mirror can be off, old or wrong.
            Err(error) if !last => refused.push(Refusal::new(source.base.as_str(), &error)),
            Err(error) => match same.take() {
                Some(found) => {
                    refused.push(Refusal::new(source.base.as_str(), &error));
                    offer = Some(found);
                    break;
                }
                None => return Err(error),
            },
        }
    }
    let Some((source, offer)) = offer else {
        return Err(SyncError::NoSource);
    };
    let base = source.base.clone();
    let up_to_date = |bytes| SyncReport {
        status: SyncStatus::UpToDate,
        version: cached_version,
        source: base.to_string(),
        refused: Vec::new(),
        added: 0,
        changed: 0,
        removed: 0,
        bytes,
        attachments: None,
    };
    let mut staging = Staging::beside(cache.path());
    let (signed, etag, mut received) = match offer {
        Offer::NotModified => return Ok(up_to_date(0)),
        Offer::Applied { etag, received } => {
            remember_source(cache, &base, etag.as_deref())?;
            // Left by a sync whose edition is the one applied (a crash just after it).
            staging.remove();
            return Ok(up_to_date(received));
        }
        Offer::Newer {
            signed,
            etag,
            received,
        } => (signed, etag, received),
    };
    let sources = Arc::new(sources.reordered(&base, options)?);

    let (manifest, index_files) = match signed {
        Signed::Manifest(manifest) => (manifest, Vec::new()),
        Signed::Root(root) => {
            let stored = stored_index_files(cache, &root)?;
            let read = read_index_files(stored, &mut staging, &sources, options, &root).await;
            refused.extend(sources.take_refused());
            let (files, bytes) = read?;
            received += bytes;
            let (listed, stored): (Vec<IndexFile>, Vec<_>) = files
                .into_iter()
                .map(|(reference, file, bytes)| (file, (reference.sha256, bytes)))
                .unzip();
            (root.resolve(&listed), stored)
        }
    };
    let (needed, staged) = missing_objects(cache, &mut staging, &manifest)?;
    // Downloads run on a thread of their own while this one installs what arrives,
    // in the one transaction: the two overlap instead of adding up.
    let (sender, arrivals) = std::sync::mpsc::sync_channel(ARRIVALS_IN_FLIGHT);
    let mut incoming = Incoming::new(arrivals, staged, &needed);
    let downloads = spawn_downloads(cache.path(), sources, options, needed, sender);
    progress(incoming.done);
    let applied = apply(
        cache,
        &mut staging,
        &mut incoming,
        &base,
        etag.as_deref(),
        (&manifest, &index_files),
        progress,
    );
    // Unblocks the downloads if the apply stopped first; they still stage what they
    // verify, so the next sync resumes.
    drop(incoming);
    let (downloaded, refusals) = downloads
        .join()
        .unwrap_or_else(|_| (Err(download_stopped()), Vec::new()));
    refused.extend(refusals);
    let report = match (applied, downloaded) {
        (Ok(report), Ok(bytes)) => {
            received += bytes;
            report
        }
        // The downloads' own error says what went wrong; the apply only saw them stop.
        (_, Err(error)) | (Err(error), Ok(_)) => return Err(error),
    };
    staging.remove();
    Ok(SyncReport {
        status: SyncStatus::Updated,
        version: manifest.version,
        source: base.to_string(),
        refused: Vec::new(),
        added: report.added,
        changed: report.changed,
        removed: report.removed,
        bytes: received,
        attachments: None,
    })
}

/// What a source offers.
enum Offer {
    /// The edition this device has, by its ETag: nothing was sent.
    NotModified,
    /// The edition this device has.
    Applied { etag: Option<String>, received: u64 },
    /// A newer edition, signed by a trusted key and not expired.
    Newer {
        signed: Signed,
        etag: Option<String>,
        received: u64,
    },
}

/// Asks `source` for its signed edition and checks it against the keys, the cache's
/// version (no rollback) and the clock (no expired edition). A mirror answers once:
/// when it does not, the next source is asked instead of waiting for retries.
async fn check(
    source: &Source,
    options: &SyncOptions,
    cached_version: u64,
    known_etag: Option<&str>,
) -> Result<Offer, SyncError> {
    let manifest_url = join(&source.base, csec_bundle::MANIFEST_FILE)?;
    let http = if source.mirror {
        source.http.single_attempt()
    } else {
        source.http.clone()
    };
    let fetched = http
        .get(
            &manifest_url,
            csec_bundle::MANIFEST_FILE,
            options.manifest_cap,
            known_etag,
        )
        .await?;
    let (bytes, etag) = match fetched {
        Fetched::NotModified => return Ok(Offer::NotModified),
        Fetched::Body { bytes, etag } => (bytes, etag),
    };
    let received = bytes.len() as u64;
    let signed = csec_bundle::open_signed(&bytes, &options.trusted)?;
    let version = signed.version();
    if version < cached_version {
        return Err(if source.mirror {
            SyncError::MirrorBehind {
                mirror: source.base.to_string(),
                cached: cached_version,
                offered: version,
            }
        } else {
            SyncError::Rollback {
                cached: cached_version,
                offered: version,
            }
        });
    }
    if signed.is_expired(options.now) {
        return Err(SyncError::Expired {
            version,
            expires: signed.expires().format(&Rfc3339).unwrap_or_default(),
        });
    }
    if version == cached_version {
        return Ok(Offer::Applied { etag, received });
    }
    Ok(Offer::Newer {
        signed,
        etag,
        received,
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
    sources: &Arc<Sources>,
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
    let mut verified = |reference: &IndexRef, bytes: &[u8], ()| -> Result<(), SyncError> {
        Ok(staging.put(&reference.sha256, bytes)?)
    };
    let received = download(sources, options, &needed, &mut verified).await?;
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

/// Entries whose object is neither in the content nor staged, one per hash, and the
/// hashes staged by an earlier, interrupted sync.
fn missing_objects(
    cache: &Cache,
    staging: &mut Staging,
    manifest: &Manifest,
) -> Result<(Vec<ObjectEntry>, HashSet<String>), SyncError> {
    let mut known: HashSet<String> = cache.item_hashes()?.into_values().collect();
    let staged = staging.hashes()?;
    known.extend(staged.iter().cloned());
    let needed = manifest
        .objects
        .iter()
        .filter(|entry| known.insert(entry.sha256.clone()))
        .cloned()
        .collect();
    Ok((needed, staged))
}

/// Verified items the download thread may hold ready before the apply takes them.
const ARRIVALS_IN_FLIGHT: usize = 4;

/// What the download thread sends: a verified item (already staged), or that it
/// stopped before sending them all (its result says why).
enum Arrival {
    Item {
        sha256: String,
        item: Box<Item>,
        size: u64,
    },
    Stopped,
}

/// The error the apply sees when the downloads stop; replaced by theirs.
fn download_stopped() -> SyncError {
    SyncError::Network {
        what: "a download".into(),
        detail: "the download stopped".into(),
    }
}

/// Downloads `needed` on a thread with its own runtime (this thread will be busy
/// installing), staging each verified object and sending its item. Returns the bytes
/// received.
fn spawn_downloads(
    cache_path: &std::path::Path,
    sources: Arc<Sources>,
    options: &SyncOptions,
    needed: Vec<ObjectEntry>,
    sender: SyncSender<Arrival>,
) -> std::thread::JoinHandle<(Result<u64, SyncError>, Vec<Refusal>)> {
    let cache_path = cache_path.to_path_buf();
    let options = options.clone();
    std::thread::spawn(move || {
        let result = download_thread(&cache_path, &sources, &options, &needed, &sender);
        let _ = sender.send(Arrival::Stopped);
        (result, sources.take_refused())
    })
}

fn download_thread(
    cache_path: &std::path::Path,
    sources: &Arc<Sources>,
    options: &SyncOptions,
    needed: &[ObjectEntry],
    sender: &SyncSender<Arrival>,
) -> Result<u64, SyncError> {
    if needed.is_empty() {
        return Ok(0);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SyncError::Network {
            what: "a download".into(),
            detail: e.to_string(),
        })?;
    runtime.block_on(async {
        let mut staging = Staging::beside(cache_path);
        let mut verified = |entry: &ObjectEntry, bytes: &[u8], item: Item| {
            staging.put(&entry.sha256, bytes)?;
            // The apply may have stopped (and dropped its end): the object is staged.
            let _ = sender.send(Arrival::Item {
                sha256: entry.sha256.clone(),
                item: Box::new(item),
                size: entry.size,
            });
            Ok(())
        };
        download(sources, options, needed, &mut verified).await
    })
}

/// The apply's side of the downloads: items as they arrive, those staged earlier, and
/// progress.
struct Incoming {
    arrivals: Receiver<Arrival>,
    /// Arrived before the apply asked for them.
    waiting: HashMap<String, Item>,
    staged: HashSet<String>,
    done: Progress,
}

impl Incoming {
    fn new(arrivals: Receiver<Arrival>, staged: HashSet<String>, needed: &[ObjectEntry]) -> Self {
        Incoming {
            arrivals,
            waiting: HashMap::new(),
            staged,
            done: Progress::Downloading {
                bytes_done: 0,
                bytes_total: needed.iter().map(|e| e.size).sum(),
                items_done: 0,
                items_total: needed.len(),
            },
        }
    }

    /// The item of `entry`: staged by an earlier sync, arrived, or waited for.
    fn item(
        &mut self,
        entry: &ObjectEntry,
        staging: &mut Staging,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Item, SyncError> {
        if self.staged.contains(&entry.sha256) {
            let bytes = staging.get(&entry.sha256)?;
            // Checked again: the staging file is on disk.
            return Ok(verify_object(entry, bytes.as_deref().unwrap_or_default())?);
        }
        if let Some(item) = self.waiting.remove(&entry.sha256) {
            return Ok(item);
        }
        loop {
            match self.arrivals.recv() {
                Ok(Arrival::Item { sha256, item, size }) => {
                    if let Progress::Downloading {
                        bytes_done,
                        items_done,
                        ..
                    } = &mut self.done
                    {
                        *bytes_done += size;
                        *items_done += 1;
                    }
                    progress(self.done);
                    if sha256 == entry.sha256 {
                        return Ok(*item);
                    }
                    self.waiting.insert(sha256, *item);
                }
                Ok(Arrival::Stopped) | Err(_) => return Err(download_stopped()),
            }
        }
    }
}

/// What [`download`] hands each file to once it is checked: the file, its bytes and
/// what checking them gave.
type Verified<'a, T> =
    dyn FnMut(&T, &[u8], <T as Download>::Verified) -> Result<(), SyncError> + Send + 'a;

/// Downloads `needed`, `options.parallel` at a time, handing each to `verified` as
/// soon as it is checked. Returns the bytes received. One bad file does not stop the
/// others (every verified one is handed on, so the next sync fetches only what is
/// still missing); an unreachable host does.
async fn download<T: Download>(
    sources: &Arc<Sources>,
    options: &SyncOptions,
    needed: &[T],
    verified: &mut Verified<'_, T>,
) -> Result<u64, SyncError> {
    let mut queue = needed.iter();
    let mut in_flight = JoinSet::new();
    let mut received = 0;
    let mut failure = None;
    loop {
        while in_flight.len() < options.parallel.max(1) {
            let Some(entry) = queue.next() else { break };
            let sources = Arc::clone(sources);
            let entry = entry.clone();
            in_flight.spawn(async move {
                let fetched = sources.fetch(&entry).await;
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
        match fetched {
            Ok((bytes, checked)) => {
                received += bytes.len() as u64;
                verified(&entry, &bytes, checked)?;
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
trait Download: Clone + Send + Sync + 'static {
    /// What checking its bytes gives (an object's item).
    type Verified: Send + 'static;
    /// Its path in the bundle.
    fn path(&self) -> String;
    /// What it is, for messages.
    fn what(&self) -> String;
    fn size(&self) -> u64;
    fn verify(&self, bytes: &[u8]) -> Result<Self::Verified, SyncError>;
}

impl Download for ObjectEntry {
    type Verified = Item;
    fn path(&self) -> String {
        ObjectEntry::path(self)
    }
    fn what(&self) -> String {
        self.id.clone()
    }
    fn size(&self) -> u64 {
        self.size
    }
    fn verify(&self, bytes: &[u8]) -> Result<Item, SyncError> {
        Ok(verify_object(self, bytes)?)
    }
}

impl Download for IndexRef {
    type Verified = ();
    fn path(&self) -> String {
        IndexRef::path(self)
    }
    fn what(&self) -> String {
        format!("the index file {}", IndexRef::path(self))
    }
    fn size(&self) -> u64 {
        self.size
    }
    fn verify(&self, bytes: &[u8]) -> Result<(), SyncError> {
        verify_index(self, bytes)?;
        Ok(())
    }
}

fn verified_body<T: Download>(
    entry: &T,
    fetched: Fetched,
) -> Result<(Vec<u8>, T::Verified), SyncError> {
    match fetched {
        Fetched::Body { bytes, .. } => {
            let checked = entry.verify(&bytes)?;
            Ok((bytes, checked))
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
    incoming: &mut Incoming,
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
        let item = incoming.item(entry, staging, progress)?;
        items_done += 1;
        progress(Progress::Applying {
            items_done,
            items_total,
        });
        Ok(item)
    })
}
