use thiserror::Error;

/// Everything that can be wrong with bytes that claim to be part of a bundle.
///
/// Messages are written for the person who has to act: a publisher, or a field
/// worker whose update was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("the manifest is not a valid signed envelope: {0}")]
    MalformedEnvelope(String),
    #[error("the manifest has payload type {0:?}, not a CSEC Field Guide manifest")]
    WrongPayloadType(String),
    #[error(
        "the manifest is not signed by a trusted key; it may have been tampered with or signed by someone else"
    )]
    UntrustedSignature,
    #[error("the signed manifest content is invalid: {0}")]
    MalformedPayload(String),
    #[error(
        "the manifest uses format {0:?}, which this version does not understand; update the app"
    )]
    UnsupportedFormat(String),
    #[error("object {id}: {size} bytes, but the manifest says {expected}")]
    SizeMismatch {
        id: String,
        size: u64,
        expected: u64,
    },
    #[error(
        "object {id}: its SHA-256 does not match the manifest; the file was changed or damaged"
    )]
    HashMismatch { id: String },
    #[error("{path} is not a valid index file: {reason}")]
    MalformedIndex { path: String, reason: String },
    #[error("object {id} is not a valid item: {reason}")]
    MalformedItem { id: String, reason: String },
    /// An attachment's bytes differ from what its item lists: `what` says how.
    #[error("the attachment {file} of {item} {what}; the file was changed or damaged")]
    AttachmentMismatch {
        item: String,
        file: String,
        what: String,
    },
    #[error("the key file is not valid: {0}")]
    MalformedKey(String),
}
