//! Attachments: fetched when a person opens one, or after an update when the settings
//! (and the connection) allow. Each is capped at its listed size, checked against its
//! item's listing, and stored by the engine only then. They are not part of the
//! update's transaction: an edition is complete without them, and the item page says
//! which are on the device.

use csec_bundle::{Attachment, verify_attachment};
use csec_engine::Cache;
use serde::Serialize;

use crate::sources::Sources;
use crate::{Download, Progress, SyncError, SyncOptions};

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
    let sources = Sources::from_options(options)?;
    let bytes = download(&sources, item_id, &listing).await?;
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
    let mut options = SyncOptions::new(source, Vec::new(), now);
    // At a convening the laptop in the room has the files too.
    options.mirrors = cache.mirrors()?.into_iter().map(|m| m.url).collect();
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
    let Ok(sources) = Sources::from_options(options) else {
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
        let stored = match download(&sources, item_id, listing).await {
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

/// The attachment from the first source that has it intact (the nearby devices the
/// user added, then the publisher).
async fn download(
    sources: &Sources,
    item_id: &str,
    listing: &Attachment,
) -> Result<Vec<u8>, SyncError> {
    let file = AttachmentFile {
        item_id: item_id.to_string(),
        listing: listing.clone(),
    };
    let (bytes, ()) = sources.fetch(&file).await?;
    Ok(bytes)
}

/// An attachment as a file to fetch: its listing and the item that lists it.
#[derive(Debug, Clone)]
pub(crate) struct AttachmentFile {
    pub(crate) item_id: String,
    pub(crate) listing: Attachment,
}

impl Download for AttachmentFile {
    type Verified = ();
    fn path(&self) -> String {
        self.listing.path()
    }
    fn what(&self) -> String {
        format!(
            "the attachment {} of {}",
            self.listing.file_name, self.item_id
        )
    }
    fn size(&self) -> u64 {
        self.listing.size
    }
    fn verify(&self, bytes: &[u8]) -> Result<(), SyncError> {
        Ok(verify_attachment(&self.item_id, &self.listing, bytes)?)
    }
}
