//! Attachments: fetched when a person opens one, or after an update when the settings
//! (and the connection) allow. Each is capped at its listed size, checked against its
//! item's listing, and stored by the engine only then. They are not part of the
//! update's transaction: an edition is complete without them, and the item page says
//! which are on the device.

use csec_bundle::{Attachment, verify_attachment};
use csec_engine::Cache;
use reqwest::Url;
use serde::Serialize;

use crate::http::{Fetched, Http};
use crate::{Progress, SyncError, SyncOptions, join, source_url};

/// What the device says of its connection: the UI reads `navigator.connection`
/// where the platform has it (Android's WebView does; WebKit does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Connection {
    /// Wi-Fi or a wired network, not in data-saver mode.
    Unmetered,
    /// A mobile network, or data saver on.
    Metered,
    /// The platform does not say.
    #[default]
    Unknown,
}

/// Whether an update also downloads every attachment not yet on the device, from
/// the `attachments` setting: `with-updates` always, `when-opened` never, `auto` (the
/// default) only on a connection known not to be metered.
pub fn attachments_with_updates(setting: Option<&str>, connection: Connection) -> bool {
    match setting {
        Some("with-updates") => true,
        Some("when-opened") => false,
        _ => connection == Connection::Unmetered,
    }
}

/// The attachment `sha256` of `item_id`: from the device if it is there, else
/// downloaded from `options.source`, checked and stored. Returns its listing and bytes.
pub async fn fetch_attachment(
    cache: &mut Cache,
    options: &SyncOptions,
    item_id: &str,
    sha256: &str,
) -> Result<(Attachment, Vec<u8>), SyncError> {
    let listing = cache.attachment(item_id, sha256)?;
    if let Some(bytes) = cache.attachment_bytes(sha256)? {
        return Ok((listing, bytes));
    }
    // Only now is an address needed: a file on the device opens without one.
    if options.source.trim().is_empty() {
        return Err(SyncError::NoSource);
    }
    let base = source_url(&options.source)?;
    let http = Http::new(&base, options)?;
    let bytes = download(&http, &base, item_id, &listing).await?;
    cache.store_attachment(item_id, sha256, &bytes)?;
    Ok((listing, bytes))
}

/// [`fetch_attachment`] from the `sync_source` setting, for the app's "open an
/// attachment" command. No key is needed: the listing the bytes are checked against
/// came with a signed edition.
pub async fn fetch_attachment_from_settings(
    cache: &mut Cache,
    now: time::OffsetDateTime,
    item_id: &str,
    sha256: &str,
) -> Result<(Attachment, Vec<u8>), SyncError> {
    let source = cache.setting("sync_source")?.unwrap_or_default();
    let options = SyncOptions::new(source, Vec::new(), now);
    fetch_attachment(cache, &options, item_id, sha256).await
}

/// How the attachments after an update went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AttachmentsReport {
    /// Downloaded and stored.
    pub fetched: usize,
    /// Still not on the device (the host failed, or one arrived damaged): each is
    /// tried again when opened, or by the next update.
    pub missing: usize,
    /// Bytes received.
    pub bytes: u64,
}

/// Downloads every attachment the library lists and the device lacks, one at a time
/// (they can be large), storing each as soon as it is checked. Failures are counted,
/// not raised: the update they follow is already complete.
pub(crate) async fn fetch_missing(
    cache: &mut Cache,
    options: &SyncOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> AttachmentsReport {
    let mut report = AttachmentsReport::default();
    let Ok(missing) = cache.missing_attachments() else {
        return report;
    };
    if missing.is_empty() {
        return report;
    }
    let connected = source_url(&options.source)
        .and_then(|base| Http::new(&base, options).map(|http| (base, http)));
    let Ok((base, http)) = connected else {
        report.missing = missing.len();
        return report;
    };
    let mut done = Progress::Downloading {
        bytes_done: 0,
        bytes_total: missing.iter().map(|(_, a)| a.size).sum(),
        items_done: 0,
        items_total: missing.len(),
    };
    progress(done);
    for (item_id, listing) in &missing {
        let stored = match download(&http, &base, item_id, listing).await {
            Ok(bytes) => cache
                .store_attachment(item_id, &listing.sha256, &bytes)
                .map(|()| bytes.len() as u64)
                .map_err(SyncError::from),
            Err(error) => Err(error),
        };
        match stored {
            Ok(bytes) => {
                report.fetched += 1;
                report.bytes += bytes;
            }
            Err(SyncError::Network { .. } | SyncError::Timeout { .. }) => {
                // The host is gone: the rest would fail the same way.
                report.missing = missing.len() - report.fetched;
                return report;
            }
            Err(_) => report.missing += 1,
        }
        if let Progress::Downloading {
            bytes_done,
            items_done,
            ..
        } = &mut done
        {
            *bytes_done += listing.size;
            *items_done += 1;
        }
        progress(done);
    }
    report
}

async fn download(
    http: &Http,
    base: &Url,
    item_id: &str,
    listing: &Attachment,
) -> Result<Vec<u8>, SyncError> {
    let url = join(base, &listing.path())?;
    let what = format!("the attachment {} of {item_id}", listing.file_name);
    match http.get(&url, &what, listing.size, None).await? {
        Fetched::Body { bytes, .. } => {
            verify_attachment(item_id, listing, &bytes)?;
            Ok(bytes)
        }
        Fetched::NotModified => Err(SyncError::Server { status: 304, what }),
    }
}
