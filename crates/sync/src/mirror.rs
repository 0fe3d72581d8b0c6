//! `csec mirror`: a verified, complete copy of a published bundle in a directory,
//! for a laptop to serve to the phones in a room (`csec serve --lan`).
//!
//! Every file is checked as a device checks it (the signature, the version against
//! the copy already there, expiry, each file's size and hash, each attachment against
//! its item's listing) before it is written. New files are added beside the old ones
//! and the signed manifest is replaced last, in one rename, so the directory is a
//! complete bundle at every moment, even while it is served; files the new edition
//! no longer lists are removed after that. A second run downloads only what changed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csec_bundle::{
    INDEXES_DIR, Item, MANIFEST_FILE, OBJECTS_DIR, ObjectEntry, Signed, verify_index, verify_object,
};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::attachments::AttachmentFile;
use crate::http::Fetched;
use crate::sources::Sources;
use crate::{Download, SyncError, SyncOptions, download, join};

/// What a mirror run did: the `csec mirror --json` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorReport {
    pub version: u64,
    /// Files downloaded (index files, objects, attachments).
    pub downloaded: usize,
    /// Files already in the copy, checked again and kept.
    pub kept: usize,
    /// Files of an older edition removed.
    pub removed: usize,
    /// Body bytes received.
    pub bytes: u64,
}

/// Copies the bundle at `options.source` into `dir` (created if missing).
pub async fn mirror(options: &SyncOptions, dir: &Path) -> Result<MirrorReport, SyncError> {
    let sources = Arc::new(Sources::from_options(options)?);
    let publisher = sources
        .iter()
        .last()
        .ok_or(SyncError::NoSource)?
        .base
        .clone();
    let http = &sources.iter().last().ok_or(SyncError::NoSource)?.http;
    let url = join(&publisher, MANIFEST_FILE)?;
    let manifest_bytes = match http
        .get(&url, MANIFEST_FILE, options.manifest_cap, None)
        .await?
    {
        Fetched::Body { bytes, .. } => bytes,
        Fetched::NotModified => {
            return Err(SyncError::Server {
                status: 304,
                what: MANIFEST_FILE.into(),
            });
        }
    };
    let mut report = MirrorReport {
        version: 0,
        downloaded: 0,
        kept: 0,
        removed: 0,
        bytes: manifest_bytes.len() as u64,
    };
    let signed = csec_bundle::open_signed(&manifest_bytes, &options.trusted)?;
    report.version = signed.version();
    if let Some(held) = held_version(dir, options)
        && signed.version() < held
    {
        return Err(SyncError::Rollback {
            cached: held,
            offered: signed.version(),
        });
    }
    if signed.is_expired(options.now) {
        return Err(SyncError::Expired {
            version: signed.version(),
            expires: signed.expires().format(&Rfc3339).unwrap_or_default(),
        });
    }
    let files = Files::new(dir)?;
    let mut keep: HashSet<PathBuf> = HashSet::new();
    let objects = match signed {
        Signed::Manifest(manifest) => manifest.objects,
        Signed::Root(root) => {
            let mut listed = Vec::new();
            let needed = files.missing(&root.indexes, &mut report, |r, bytes| {
                verify_index(r, bytes).map(|_| ()).map_err(SyncError::from)
            });
            report.bytes += download(&sources, options, &needed, &mut |r, bytes, ()| {
                files.write(&r.path(), bytes)
            })
            .await?;
            report.downloaded += needed.len();
            for reference in &root.indexes {
                let bytes = files.read(&reference.path())?;
                listed.push(verify_index(reference, &bytes)?);
                keep.insert(files.path(&reference.path()));
            }
            root.resolve(&listed).objects
        }
    };
    let mut items: Vec<Item> = Vec::new();
    let needed: Vec<ObjectEntry> = files.missing(&objects, &mut report, |entry, bytes| {
        items.push(verify_object(entry, bytes)?);
        Ok(())
    });
    let mut arrived = Vec::new();
    report.bytes += download(&sources, options, &needed, &mut |entry, bytes, item| {
        arrived.push(item);
        files.write(&entry.path(), bytes)
    })
    .await?;
    report.downloaded += needed.len();
    items.extend(arrived);
    keep.extend(objects.iter().map(|e| files.path(&e.path())));

    let mut seen = HashSet::new();
    let attachments: Vec<AttachmentFile> = items
        .iter()
        .flat_map(|item| {
            item.attachments.iter().map(|listing| AttachmentFile {
                item_id: item.id.clone(),
                listing: listing.clone(),
            })
        })
        .filter(|a| seen.insert(a.listing.sha256.clone()))
        .collect();
    let needed = files.missing(&attachments, &mut report, |a, bytes| a.verify(bytes));
    report.bytes += download(&sources, options, &needed, &mut |a, bytes, ()| {
        files.write(&a.path(), bytes)
    })
    .await?;
    report.downloaded += needed.len();
    keep.extend(attachments.iter().map(|a| files.path(&a.path())));

    // Last: until now the copy was the old edition, complete.
    files.write(MANIFEST_FILE, &manifest_bytes)?;
    report.removed = files.remove_unlisted(&keep)?;
    Ok(report)
}

/// The version of the copy already in `dir`, if it is one signed by a trusted key.
fn held_version(dir: &Path, options: &SyncOptions) -> Option<u64> {
    let bytes = std::fs::read(dir.join(MANIFEST_FILE)).ok()?;
    csec_bundle::open_signed(&bytes, &options.trusted)
        .ok()
        .map(|s| s.version())
}

/// The mirror directory.
struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(dir: &Path) -> Result<Files, SyncError> {
        for sub in [OBJECTS_DIR, INDEXES_DIR] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).map_err(|e| file_error(&path, &e))?;
        }
        Ok(Files {
            dir: dir.to_path_buf(),
        })
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, SyncError> {
        let path = self.path(relative);
        std::fs::read(&path).map_err(|e| file_error(&path, &e))
    }

    /// Writes through a temporary file and a rename: a reader (the server) never
    /// sees half a file.
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), SyncError> {
        let path = self.path(relative);
        let partial = path.with_extension("partial");
        std::fs::write(&partial, bytes)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| file_error(&path, &e))
    }

    /// The files of `wanted` that the copy lacks or holds damaged. Those it holds
    /// intact are counted as kept and handed to `intact`.
    fn missing<T: Download>(
        &self,
        wanted: &[T],
        report: &mut MirrorReport,
        mut intact: impl FnMut(&T, &[u8]) -> Result<(), SyncError>,
    ) -> Vec<T> {
        let mut seen = HashSet::new();
        wanted
            .iter()
            .filter(|file| seen.insert(file.path()))
            .filter(|file| {
                let held = std::fs::read(self.path(&file.path()));
                match held.map(|bytes| intact(file, &bytes)) {
                    Ok(Ok(())) => {
                        report.kept += 1;
                        false
                    }
                    _ => true,
                }
            })
            .cloned()
            .collect()
    }

    /// Removes files under objects/ and indexes/ that are not in `keep`, and any
    /// `.partial` left by an interrupted run.
    fn remove_unlisted(&self, keep: &HashSet<PathBuf>) -> Result<usize, SyncError> {
        let mut removed = 0;
        for sub in [OBJECTS_DIR, INDEXES_DIR] {
            let dir = self.dir.join(sub);
            let entries = std::fs::read_dir(&dir).map_err(|e| file_error(&dir, &e))?;
            for entry in entries.flatten() {
                let path = entry.path();
                if !keep.contains(&path) {
                    std::fs::remove_file(&path).map_err(|e| file_error(&path, &e))?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

fn file_error(path: &Path, error: &std::io::Error) -> SyncError {
    SyncError::MirrorFile {
        path: path.display().to_string(),
        detail: error.to_string(),
    }
}
