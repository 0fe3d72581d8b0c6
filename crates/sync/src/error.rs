use csec_bundle::BundleError;
use thiserror::Error;

use csec_engine::{AddressError, EngineError};

/// Why a sync did not finish. Every variant leaves the library as it was: the
/// messages say so, and say what the person can do about it.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error("no update address is set; add the publisher's address in Settings")]
    NoSource,
    #[error(
        "the update address {url} is not allowed: only https:// addresses, or http:// on this device itself, may be used"
    )]
    InsecureSource { url: String },
    #[error("the update address {url:?} is not a web address: {reason}")]
    BadSource { url: String, reason: String },
    #[error(
        "could not reach the update server for {what} ({detail}); check the connection and try again later. Your library is unchanged"
    )]
    Network { what: String, detail: String },
    #[error(
        "the update server stopped responding while sending {what}; try again on a better connection. Your library is unchanged, and what was already downloaded is kept"
    )]
    Timeout { what: String },
    #[error(
        "the update server answered {status} for {what}; try again later, and if it keeps happening tell the publisher. Your library is unchanged"
    )]
    Server { status: u16, what: String },
    #[error(
        "the update server tried to send {what} from another address ({target}); that is not allowed, so the update was stopped. Your library is unchanged"
    )]
    Redirect { what: String, target: String },
    #[error(
        "the update list is larger than {cap} bytes, which no real edition is; the update was stopped. Your library is unchanged"
    )]
    ManifestTooLarge { cap: u64 },
    #[error("the update list could not be read ({0}); your library is unchanged")]
    ManifestInvalid(BundleError),
    #[error(
        "the update is not signed by the publisher's key, so it was refused; it may have been tampered with. Your library is unchanged"
    )]
    Untrusted,
    #[error(
        "the update server offers edition {offered}, older than the edition {cached} on this device; it was refused (a rollback). Your library is unchanged; tell the publisher"
    )]
    Rollback { cached: u64, offered: u64 },
    #[error(
        "the nearby device at {mirror} has edition {offered}, older than the edition {cached} on this device, so it was not used. It cannot change your library; ask whoever runs it to update its copy"
    )]
    MirrorBehind {
        mirror: String,
        cached: u64,
        offered: u64,
    },
    #[error(
        "{url} is not a nearby device: http:// is allowed only for an address on a local network (such as 192.168.x.x or 10.x.x.x, as the laptop shows it); use https:// for anything else"
    )]
    MirrorNotLocal { url: String },
    #[error(
        "the update server's edition {version} expired on {expires}, so it was not installed; your library is unchanged. Tell the publisher that the update server is out of date"
    )]
    Expired { version: u64, expires: String },
    #[error(
        "{id} is larger than the signed update list says ({size} bytes); the download was stopped. Your library is unchanged"
    )]
    ObjectTooLarge { id: String, size: u64 },
    #[error(
        "{id} arrived damaged or altered (it does not match the signed update list), so the update was refused. Your library is unchanged"
    )]
    ObjectCorrupt { id: String },
    #[error("{0}; the update was refused and your library is unchanged. Tell the publisher")]
    ObjectInvalid(BundleError),
    #[error(
        "{0}, so it was not kept. Try again later; if it keeps happening, tell the publisher. Your library is unchanged"
    )]
    AttachmentCorrupt(BundleError),
    #[error(
        "could not write the copy at {path} ({detail}); check that the folder is writable and the disk has room. The copy that was there is still complete"
    )]
    MirrorFile { path: String, detail: String },
    #[error(transparent)]
    Cache(#[from] EngineError),
}

impl SyncError {
    /// A stable name for the kind of failure, for `--json` output, the app and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            SyncError::NoSource => "no-source",
            SyncError::InsecureSource { .. } => "insecure-source",
            SyncError::BadSource { .. } => "bad-source",
            SyncError::Network { .. } => "network",
            SyncError::Timeout { .. } => "timeout",
            SyncError::Server { .. } => "server-error",
            SyncError::Redirect { .. } => "redirect",
            SyncError::ManifestTooLarge { .. } => "manifest-too-large",
            SyncError::ManifestInvalid(_) => "manifest-invalid",
            SyncError::Untrusted => "untrusted",
            SyncError::Rollback { .. } => "rollback",
            SyncError::MirrorBehind { .. } => "mirror-behind",
            SyncError::MirrorNotLocal { .. } => "mirror-not-local",
            SyncError::Expired { .. } => "expired",
            SyncError::ObjectTooLarge { .. } => "object-too-large",
            SyncError::ObjectCorrupt { .. } => "object-corrupt",
            SyncError::ObjectInvalid(_) => "object-invalid",
            SyncError::AttachmentCorrupt(_) => "attachment-corrupt",
            SyncError::MirrorFile { .. } => "mirror-file",
            SyncError::Cache(_) => "cache",
        }
    }

    /// Worth another attempt after a pause: the network or the server may recover.
    /// Never true for anything that failed verification.
    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, SyncError::Network { .. } | SyncError::Timeout { .. })
            || matches!(self, SyncError::Server { status, .. } if *status >= 500 || *status == 408 || *status == 429)
    }
}

impl From<BundleError> for SyncError {
    fn from(error: BundleError) -> SyncError {
        match error {
            BundleError::UntrustedSignature | BundleError::WrongPayloadType(_) => {
                SyncError::Untrusted
            }
            BundleError::HashMismatch { id } | BundleError::SizeMismatch { id, .. } => {
                SyncError::ObjectCorrupt { id }
            }
            BundleError::MalformedItem { .. } => SyncError::ObjectInvalid(error),
            BundleError::AttachmentMismatch { .. } => SyncError::AttachmentCorrupt(error),
            other => SyncError::ManifestInvalid(other),
        }
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(error: rusqlite::Error) -> SyncError {
        SyncError::Cache(EngineError::Database(error))
    }
}

impl From<AddressError> for SyncError {
    fn from(error: AddressError) -> SyncError {
        match error {
            AddressError::Insecure { url } => SyncError::InsecureSource { url },
            AddressError::NotLocal { url } => SyncError::MirrorNotLocal { url },
            AddressError::Invalid { url, reason } => SyncError::BadSource { url, reason },
        }
    }
}
