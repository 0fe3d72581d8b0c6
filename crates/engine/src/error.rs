use thiserror::Error;

/// What can go wrong reading or updating the cache, in words a person can act on.
#[derive(Debug, Error)]
pub enum EngineError {
    #[error(
        "the offline library could not be opened or updated ({0}); restart the app, and if this keeps happening reinstall it (bookmarks are kept in the same file)"
    )]
    Database(#[from] rusqlite::Error),
    #[error(
        "the offline library was written by a newer version of the app (schema {found}, this version knows {known}); update the app"
    )]
    NewerCache { found: usize, known: usize },
    #[error("could not create the folder for the offline library at {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("the built-in content is damaged ({0}); reinstall the app")]
    Seed(String),
    #[error("the app asked for {0:?}, which this version does not know; update the app")]
    UnknownCommand(String),
    #[error("the app sent {command} something it cannot use: {reason}")]
    BadArguments { command: String, reason: String },
    /// Downloaded bytes that are not the file the item lists.
    #[error("{0}")]
    BadAttachment(String),
    #[error("no item {0} in the offline library; it may have been removed in an update")]
    NotFound(String),
    /// An update or nearby-device address that may not be used.
    #[error("{0}")]
    Address(crate::AddressError),
}
