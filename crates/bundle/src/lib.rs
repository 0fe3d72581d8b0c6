//! The CSEC Field Guide wire format.
//!
//! A bundle is a directory of static files: `manifest.json` (a DSSE envelope whose
//! payload is, in format 2, a [`Root`] naming immutable `indexes/<sha256>` files that
//! list the objects, or in format 1 the list itself) and `objects/<sha256>` (one
//! immutable JSON [`Item`] per content item). This crate holds the types and the pure functions on them: hashing,
//! signing, verifying. It does no IO, so the publisher, the reader engine and the tests
//! all agree on the format byte for byte.

mod error;
mod item;
mod keys;
mod manifest;
mod root;

pub use error::BundleError;
pub use item::{
    ATTACHMENT_CAP, ATTACHMENT_MEDIA_TYPES, Agency, Attachment, Audience, Contact, County, Details,
    EventType, GuidanceStatus, GuidanceType, Item, Kind, Lang, Phone, PhoneType, Program, Resource,
    Role, Scope, Source, SynonymGroup, is_valid_id, is_valid_slug, verify_attachment,
};
pub use keys::{
    PublicKey, SecretKey, fingerprint, generate_secret_key, parse_public_keys, parse_secret_key,
};
pub use manifest::{
    FORMAT, MANIFEST_FILE, Manifest, OBJECTS_DIR, ObjectEntry, PAYLOAD_TYPE, Signature, Signed,
    is_iso_date, open_manifest, open_signed, pae, sha256_hex, sign_manifest, sign_root,
    verify_object,
};
pub use root::{
    FORMAT_2, INDEX_CAP, INDEX_ENTRIES_MAX, INDEX_FORMAT, INDEXES_DIR, IndexFile, IndexRef,
    ROOT_INDEXES_MAX, Root, resolve_entries, verify_index,
};
