//! Format 2 (`csec-bundle/2`): a small signed root that names immutable index files by
//! hash; the index files, read oldest first, list the objects.
//!
//! The root is the only file that changes at one address. An index file is named by its
//! SHA-256 and never changes, so a device downloads only the index files it has not
//! seen, and a new edition adds a small one holding what changed (`docs/bundle-format.md`
//! says why the split is by edition, not by id). The root's signature covers every
//! index file's hash and size, so an index file needs no signature of its own.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::manifest::{check_reviewed, is_sha256_hex, sha256_hex};
use crate::{BundleError, Manifest, ObjectEntry, is_valid_id};

pub const FORMAT_2: &str = "csec-bundle/2";
pub const INDEX_FORMAT: &str = "csec-bundle/2-index";
pub const INDEXES_DIR: &str = "indexes";
/// Entries plus removals one index file may hold.
pub const INDEX_ENTRIES_MAX: usize = 1024;
/// The most bytes an index file may have: 1,024 entries with ids of 200 characters
/// fit in it.
pub const INDEX_CAP: u64 = 512 * 1024;
/// The most index files a root may name.
pub const ROOT_INDEXES_MAX: usize = 256;

/// The signed root of a format 2 bundle: the edition and the index files that list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    pub format: String,
    /// Strictly increasing from one publication to the next; a lower one is a rollback.
    pub version: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub published: OffsetDateTime,
    /// After this instant devices refuse to apply the edition.
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    /// `YYYY-MM-DD`: when the publisher last reviewed the whole edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
    /// Oldest first: an entry in a later file replaces one for the same id in an
    /// earlier file, and a later file's `removed` drops it.
    pub indexes: Vec<IndexRef>,
}

/// An index file as the root names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexRef {
    pub sha256: String,
    pub size: u64,
}

impl IndexRef {
    /// Path of the index file inside the bundle directory, `/`-separated.
    pub fn path(&self) -> String {
        format!("{INDEXES_DIR}/{}", self.sha256)
    }
}

/// One index file: entries for new or changed objects, and ids removed since the
/// files before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexFile {
    pub format: String,
    pub entries: Vec<ObjectEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

impl IndexFile {
    /// Entries and removals are sorted by id, so the same set gives the same bytes.
    pub fn new(mut entries: Vec<ObjectEntry>, mut removed: Vec<String>) -> IndexFile {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        removed.sort();
        IndexFile {
            format: INDEX_FORMAT.to_string(),
            entries,
            removed,
        }
    }

    /// How much of [`INDEX_ENTRIES_MAX`] the file uses.
    pub fn len(&self) -> usize {
        self.entries.len() + self.removed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's bytes and the reference the root carries for it.
    pub fn to_bytes(&self) -> (IndexRef, Vec<u8>) {
        // Serialising plain structs cannot fail.
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        bytes.push(b'\n');
        let reference = IndexRef {
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64,
        };
        (reference, bytes)
    }

    fn validate(&self) -> Result<(), String> {
        if self.format != INDEX_FORMAT {
            return Err(format!(
                "it has format {:?}, not {INDEX_FORMAT}",
                self.format
            ));
        }
        if self.len() > INDEX_ENTRIES_MAX {
            return Err(format!(
                "it lists {} entries and removals; at most {INDEX_ENTRIES_MAX} are allowed",
                self.len()
            ));
        }
        let mut ids = HashSet::new();
        for entry in &self.entries {
            entry.validate()?;
            if !ids.insert(entry.id.as_str()) {
                return Err(format!("{} is listed twice", entry.id));
            }
        }
        for id in &self.removed {
            if !is_valid_id(id) {
                return Err(format!("{id:?} is not a valid item id"));
            }
            if !ids.insert(id.as_str()) {
                return Err(format!("{id} is both listed and removed"));
            }
        }
        Ok(())
    }
}

impl Root {
    pub(crate) fn validate(&self) -> Result<(), BundleError> {
        if self.format != FORMAT_2 {
            return Err(BundleError::UnsupportedFormat(self.format.clone()));
        }
        check_reviewed(self.reviewed.as_deref())?;
        let bad = |why: String| Err(BundleError::MalformedPayload(why));
        if self.indexes.len() > ROOT_INDEXES_MAX {
            return bad(format!(
                "it names {} index files; at most {ROOT_INDEXES_MAX} are allowed",
                self.indexes.len()
            ));
        }
        let mut seen = HashSet::new();
        for index in &self.indexes {
            if !is_sha256_hex(&index.sha256) {
                return bad(format!("{:?} is not a SHA-256", index.sha256));
            }
            if index.size > INDEX_CAP {
                return bad(format!(
                    "index file {} is {} bytes; at most {INDEX_CAP} are allowed",
                    index.sha256, index.size
                ));
            }
            if !seen.insert(&index.sha256) {
                return bad(format!("index file {} is named twice", index.sha256));
            }
        }
        Ok(())
    }

    /// The edition's objects, from its index files in the root's order.
    pub fn resolve(&self, files: &[IndexFile]) -> Manifest {
        Manifest {
            format: FORMAT_2.to_string(),
            version: self.version,
            published: self.published,
            expires: self.expires,
            reviewed: self.reviewed.clone(),
            objects: resolve_entries(files).into_values().collect(),
        }
    }
}

/// The live entry for each id after reading `files` oldest first.
pub fn resolve_entries(files: &[IndexFile]) -> BTreeMap<String, ObjectEntry> {
    let mut live = BTreeMap::new();
    for file in files {
        for id in &file.removed {
            live.remove(id);
        }
        for entry in &file.entries {
            live.insert(entry.id.clone(), entry.clone());
        }
    }
    live
}

/// Checks an index file's bytes against the root's reference and parses it.
pub fn verify_index(reference: &IndexRef, bytes: &[u8]) -> Result<IndexFile, BundleError> {
    let path = reference.path();
    let size = bytes.len() as u64;
    if size != reference.size {
        return Err(BundleError::SizeMismatch {
            id: format!("index file {path}"),
            size,
            expected: reference.size,
        });
    }
    if sha256_hex(bytes) != reference.sha256 {
        return Err(BundleError::HashMismatch {
            id: format!("index file {path}"),
        });
    }
    let file: IndexFile =
        serde_json::from_slice(bytes).map_err(|e| BundleError::MalformedIndex {
            path: path.clone(),
            reason: e.to_string(),
        })?;
    file.validate()
        .map_err(|reason| BundleError::MalformedIndex { path, reason })?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn entry(id: &str, byte: u8) -> ObjectEntry {
        ObjectEntry {
            id: id.into(),
            kind: Kind::Report,
            sha256: sha256_hex(&[byte]),
            size: 1,
        }
    }

    #[test]
    fn later_files_replace_and_remove_entries() {
        let base = IndexFile::new(vec![entry("reports/a", 1), entry("reports/b", 2)], vec![]);
        let next = IndexFile::new(vec![entry("reports/a", 3)], vec!["reports/b".into()]);
        let live = resolve_entries(&[base, next]);
        assert_eq!(live.len(), 1);
        assert_eq!(live["reports/a"], entry("reports/a", 3));
    }

    #[test]
    fn index_files_are_checked_for_size_hash_and_shape() {
        let file = IndexFile::new(vec![entry("reports/a", 1)], vec![]);
        let (reference, bytes) = file.to_bytes();
        assert_eq!(verify_index(&reference, &bytes).unwrap(), file);
        let mut flipped = bytes.clone();
        flipped[5] ^= 1;
        assert!(matches!(
            verify_index(&reference, &flipped),
            Err(BundleError::HashMismatch { .. })
        ));
        assert!(matches!(
            verify_index(&reference, &bytes[1..]),
            Err(BundleError::SizeMismatch { .. })
        ));
        let twice = IndexFile::new(vec![entry("reports/a", 1)], vec!["reports/a".into()]);
        let (reference, bytes) = twice.to_bytes();
        assert!(matches!(
            verify_index(&reference, &bytes),
            Err(BundleError::MalformedIndex { .. })
        ));
        let too_many = IndexFile::new(
            (0..=INDEX_ENTRIES_MAX)
                .map(|n| entry(&format!("reports/r{n}"), 1))
                .collect(),
            vec![],
        );
        let (reference, bytes) = too_many.to_bytes();
        assert!(matches!(
            verify_index(&reference, &bytes),
            Err(BundleError::MalformedIndex { .. })
        ));
    }

    #[test]
    fn garbage_index_files_never_panic() {
        for input in [
            &b""[..],
            b"{",
            b"null",
            b"[]",
            b"{\"entries\":1}",
            &[0xff; 10],
        ] {
            let reference = IndexRef {
                sha256: sha256_hex(input),
                size: input.len() as u64,
            };
            assert!(verify_index(&reference, input).is_err());
        }
    }
}
