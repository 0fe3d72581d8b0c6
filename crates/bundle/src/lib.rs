//! The CSEC Field Guide wire format.
//!
//! A bundle is a directory of static files: `manifest.json` (a DSSE envelope whose
//! payload lists every object) and `objects/<sha256>` (one immutable JSON [`Item`] per
//! content item). This crate holds the types and the pure functions on them: hashing,
//! signing, verifying. It does no IO, so the publisher, the reader engine and the tests
//! all agree on the format byte for byte.

mod error;
mod item;
mod keys;
mod manifest;

pub use error::BundleError;
pub use item::{
    Agency, Audience, Contact, County, Details, EventType, GuidanceStatus, GuidanceType, Item,
    Kind, Lang, Phone, PhoneType, Program, Resource, Role, Scope, Source, SynonymGroup,
    is_valid_id, is_valid_slug,
};
pub use keys::{PublicKey, SecretKey, generate_secret_key, parse_public_keys, parse_secret_key};
pub use manifest::{
    FORMAT, MANIFEST_FILE, Manifest, OBJECTS_DIR, ObjectEntry, PAYLOAD_TYPE, Signature,
    is_iso_date, open_manifest, pae, sha256_hex, sign_manifest, verify_object,
};
