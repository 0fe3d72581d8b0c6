//! The reader side of CSEC Field Guide: everything the app does with no network.
//!
//! [`Cache`] is one SQLite file holding the content (written only by bundle import,
//! in one transaction), its FTS5 search index, and the user's own data. This crate
//! has no network code (sync is `csec-sync`, which drives [`Cache::apply_in_transaction`])
//! and knows nothing of Tauri or HTTP servers.

mod address;
mod attachments;
mod cache;
mod changes;
pub mod commands;
mod error;
mod fuzzy;
mod lists;
mod queries;
pub mod render;
mod schema;
mod search;
mod thesaurus;
mod userdata;
mod words;

pub use address::{AddressError, Url, mirror_address, update_address};
pub use attachments::AttachmentView;
pub use cache::{Cache, ContentMeta, ImportReport, SEED_VERSION};
pub use changes::{Change, ItemChange, LastChange, Mirror, UpdateRecord};
pub use error::EngineError;
pub use lists::{
    CountySummary, CountyView, Home, ItemList, ItemSummary, ListRequest, ResourceView, RoleGroup,
    STALE_AFTER_DAYS, Sort, YearGroup,
};
pub use queries::{ItemView, Related};
pub use search::{SearchHit, SearchRequest, SearchResults};
pub use userdata::Bookmark;
