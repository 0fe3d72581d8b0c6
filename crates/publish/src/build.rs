//! Writing a signed bundle directory, and checking one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::Path;

use csec_bundle::{
    FORMAT_2, INDEX_CAP, INDEXES_DIR, IndexFile, MANIFEST_FILE, Manifest, OBJECTS_DIR, ObjectEntry,
    PublicKey, Root, SecretKey, Signed, open_signed, sign_root, verify_attachment, verify_index,
    verify_object,
};
use thiserror::Error;
use time::{Date, Duration, OffsetDateTime};

use crate::{Content, layers};

pub struct BuildOptions {
    pub version: u64,
    pub published: OffsetDateTime,
    pub expires: OffsetDateTime,
    /// Build even if some contacts are placeholders: for drafts and tests only. A
    /// published bundle never carries a contact that nobody checked.
    pub allow_unverified: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub manifest: Manifest,
    /// Bytes of all files in the bundle.
    pub bytes: u64,
    /// Objects written this time (the others were already there, unchanged).
    pub written: usize,
    /// Objects of an older build that were removed.
    pub removed: usize,
}

#[derive(Debug, Error)]
pub enum BuildError {
    #[error("there are no content items to publish; an empty bundle would wipe every device")]
    NoItems,
    #[error(
        "{} unverified placeholder contact{} would be published ({}); replace {} with verified contacts or remove {}, or pass --allow-unverified-contacts to build a draft",
        .0.len(),
        if .0.len() == 1 { "" } else { "s" },
        list_some(.0),
        if .0.len() == 1 { "it" } else { "them" },
        if .0.len() == 1 { "it" } else { "them" }
    )]
    UnverifiedContacts(Vec<String>),
    #[error("the expiry {expires} is not after the publication time {published}")]
    ExpiresTooEarly { published: String, expires: String },
    #[error(
        "{path} is not a bundle directory (it holds {found:?}); choose a new or empty directory"
    )]
    NotABundleDir { path: String, found: String },
    #[error("{path} changed while the bundle was being built; build again")]
    AttachmentChanged { path: String },
    #[error("could not write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The first few of a long list, for a one-line message.
fn list_some(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The publication time when none is given, taken from the inputs and never from the
/// clock, so that a build can be repeated byte for byte: `SOURCE_DATE_EPOCH` if set;
/// else the version read as seconds since 1970 when it is one (the default version
/// is); else the newest date in the content.
pub fn default_published(
    content: &Content,
    version: u64,
    source_date_epoch: Option<i64>,
) -> OffsetDateTime {
    let from_secs = |s: i64| OffsetDateTime::from_unix_timestamp(s).ok();
    source_date_epoch
        .and_then(from_secs)
        .or_else(|| {
            (version >= 1_000_000_000)
                .then(|| i64::try_from(version).ok().and_then(from_secs))
                .flatten()
        })
        .or_else(|| newest_date(content))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn newest_date(content: &Content) -> Option<OffsetDateTime> {
    content
        .items
        .iter()
        .flat_map(|i| [i.date.as_deref(), i.updated.as_deref()])
        .flatten()
        .filter_map(|d| {
            let mut parts = d.split('-').map(|p| p.parse::<i32>().ok());
            let year = parts.next().flatten()?;
            let month = parts.next().flatten().unwrap_or(1);
            let day = parts.next().flatten().unwrap_or(1);
            let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
            Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
        })
        .max()
        .map(|d| d.midnight().assume_utc())
}

/// 90 days after publication.
pub fn default_expires(published: OffsetDateTime) -> OffsetDateTime {
    published + Duration::days(90)
}

/// Writes `out/manifest.json` (the signed root), `out/indexes/<sha256>` and
/// `out/objects/<sha256>`. Files are content-addressed, so unchanged ones are left
/// alone, and the index files of the edition already in `out` are kept where they
/// still serve (`layers.rs`); the root is replaced atomically, and only then are the
/// files no longer listed removed. The same content, options, key and previous
/// edition give byte-identical files.
pub fn build_bundle(
    content: &Content,
    key: &SecretKey,
    options: &BuildOptions,
    out: &Path,
) -> Result<BuildReport, BuildError> {
    if content.items.is_empty() {
        return Err(BuildError::NoItems);
    }
    let unverified = content.unverified_contacts();
    if !unverified.is_empty() && !options.allow_unverified {
        return Err(BuildError::UnverifiedContacts(unverified));
    }
    if options.expires <= options.published {
        return Err(BuildError::ExpiresTooEarly {
            published: rfc3339(options.published),
            expires: rfc3339(options.expires),
        });
    }
    check_out_dir(out)?;
    let objects_dir = out.join(OBJECTS_DIR);
    std::fs::create_dir_all(&objects_dir).map_err(io(&objects_dir))?;

    let mut objects = BTreeMap::new();
    let mut entries = Vec::new();
    for item in &content.items {
        let (entry, bytes) = ObjectEntry::for_item(item);
        objects.insert(entry.sha256.clone(), bytes);
        entries.push(entry);
    }
    let mut written = 0;
    for (hash, bytes) in &objects {
        let path = objects_dir.join(hash);
        if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            write_atomically(&path, bytes)?;
            written += 1;
        }
    }
    let (attachments, attachment_bytes, attachments_written) =
        write_attachments(content, &objects_dir)?;
    written += attachments_written;
    // Removed only after the new root is written, so that at every instant the
    // directory holds a complete edition: the old one, then the new one.
    let mut kept: BTreeSet<String> = objects.keys().cloned().collect();
    kept.extend(attachments);
    let stale_objects: Vec<String> = list_dir(&objects_dir)?.difference(&kept).cloned().collect();

    let indexes_dir = out.join(INDEXES_DIR);
    std::fs::create_dir_all(&indexes_dir).map_err(io(&indexes_dir))?;
    let files = layers::plan(previous_index_files(out, key), &entries);
    let mut index_refs = Vec::new();
    let mut index_bytes = 0;
    for file in &files {
        let (reference, bytes) = file.to_bytes();
        let path = out.join(reference.path());
        if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            write_atomically(&path, &bytes)?;
        }
        index_bytes += bytes.len() as u64;
        index_refs.push(reference);
    }
    let root = Root {
        format: FORMAT_2.to_string(),
        version: options.version,
        published: options.published,
        expires: options.expires,
        reviewed: content.reviewed.clone(),
        indexes: index_refs,
    };
    let signed = sign_root(&root, key);
    write_atomically(&out.join(MANIFEST_FILE), &signed)?;
    let listed: BTreeSet<String> = root.indexes.iter().map(|r| r.sha256.clone()).collect();
    for stale in list_dir(&indexes_dir)?.difference(&listed) {
        let path = indexes_dir.join(stale);
        std::fs::remove_file(&path).map_err(io(&path))?;
    }
    for stale in &stale_objects {
        let path = objects_dir.join(stale);
        std::fs::remove_file(&path).map_err(io(&path))?;
    }
    let removed = stale_objects.len();
    let manifest = root.resolve(&files);
    let bytes = signed.len() as u64
        + index_bytes
        + attachment_bytes
        + objects.values().map(|b| b.len() as u64).sum::<u64>();
    Ok(BuildReport {
        manifest,
        bytes,
        written,
        removed,
    })
}

/// Copies every attachment an item lists into `objects/`, one file at a time (they
/// can be large), each checked again against its listing: the file may have changed
/// since the tree was loaded. Returns their hashes, their bytes and how many were new.
fn write_attachments(
    content: &Content,
    objects_dir: &Path,
) -> Result<(BTreeSet<String>, u64, usize), BuildError> {
    let mut hashes = BTreeSet::new();
    let mut bytes_total = 0;
    let mut written = 0;
    for item in &content.items {
        for attachment in &item.attachments {
            if !hashes.insert(attachment.sha256.clone()) {
                continue;
            }
            bytes_total += attachment.size;
            let path = objects_dir.join(&attachment.sha256);
            if std::fs::read(&path)
                .is_ok_and(|b| verify_attachment(&item.id, attachment, &b).is_ok())
            {
                continue;
            }
            let changed = || BuildError::AttachmentChanged {
                path: content
                    .attachment_files
                    .get(&attachment.sha256)
                    .map_or_else(|| attachment.file_name.clone(), |p| p.display().to_string()),
            };
            let source = content
                .attachment_files
                .get(&attachment.sha256)
                .ok_or_else(changed)?;
            let bytes = std::fs::read(source).map_err(io(source))?;
            verify_attachment(&item.id, attachment, &bytes).map_err(|_| changed())?;
            write_atomically(&path, &bytes)?;
            written += 1;
        }
    }
    Ok((hashes, bytes_total, written))
}

/// The index files of the edition already in `out`, when it is a format 2 edition this
/// key signed and every file it names is there and intact; otherwise none, and the new
/// edition is listed afresh.
fn previous_index_files(out: &Path, key: &SecretKey) -> Vec<IndexFile> {
    let Ok(bytes) = std::fs::read(out.join(MANIFEST_FILE)) else {
        return Vec::new();
    };
    let Ok(Signed::Root(root)) = open_signed(&bytes, &[key.public()]) else {
        return Vec::new();
    };
    root.indexes
        .iter()
        .map(|reference| {
            let bytes = std::fs::read(out.join(reference.path())).ok()?;
            verify_index(reference, &bytes).ok()
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// Refuses to write into a directory that holds anything but a bundle, so a typo in
/// `--out` never deletes someone's files.
fn check_out_dir(out: &Path) -> Result<(), BuildError> {
    if !out.exists() {
        return std::fs::create_dir_all(out).map_err(io(out));
    }
    let found = list_dir(out)?;
    if let Some(other) = found.iter().find(|name| {
        *name != MANIFEST_FILE
            && *name != OBJECTS_DIR
            && *name != INDEXES_DIR
            && !name.starts_with(".csec-tmp")
    }) {
        return Err(BuildError::NotABundleDir {
            path: out.display().to_string(),
            found: other.clone(),
        });
    }
    Ok(())
}

fn list_dir(dir: &Path) -> Result<BTreeSet<String>, BuildError> {
    std::fs::read_dir(dir)
        .and_then(|entries| {
            entries
                .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .map_err(io(dir))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".csec-tmp-{}", std::process::id()));
    let mut file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    file.write_all(bytes).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// What `csec verify` found wrong, one sentence per file.
#[derive(Debug, Error)]
#[error("{}", .0.join("\n"))]
pub struct VerifyError(pub Vec<String>);

/// Checks that the manifest is signed by a trusted key and that the directory holds
/// exactly the files it lists (in format 2, through its index files), each intact.
/// Reports every problem, each naming its file.
pub fn verify_bundle(dir: &Path, trusted: &[PublicKey]) -> Result<Manifest, VerifyError> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&manifest_path).map_err(|e| {
        VerifyError(vec![format!(
            "{}: cannot be read: {e}",
            manifest_path.display()
        )])
    })?;
    let signed = open_signed(&bytes, trusted)
        .map_err(|e| VerifyError(vec![format!("{}: {e}", manifest_path.display())]))?;
    let mut problems = Vec::new();
    let mut expected_dirs = vec![OBJECTS_DIR];
    let manifest = match signed {
        Signed::Manifest(manifest) => manifest,
        Signed::Root(root) => {
            expected_dirs.push(INDEXES_DIR);
            let mut files = Vec::new();
            for reference in &root.indexes {
                let path = dir.join(reference.path());
                match read_capped(&path, INDEX_CAP, "an index file") {
                    Err(why) => problems.push(format!("{}: {why}", path.display())),
                    Ok(bytes) => match verify_index(reference, &bytes) {
                        Ok(file) => files.push(file),
                        Err(e) => problems.push(format!("{}: {e}", path.display())),
                    },
                }
            }
            let listed: BTreeSet<String> = root.indexes.iter().map(|r| r.sha256.clone()).collect();
            unexpected_files(&dir.join(INDEXES_DIR), &listed, &mut problems)?;
            if !problems.is_empty() {
                // Without every index file the objects cannot be listed.
                return Err(VerifyError(problems));
            }
            root.resolve(&files)
        }
    };
    let mut listed: BTreeSet<String> = manifest.objects.iter().map(|o| o.sha256.clone()).collect();
    for entry in &manifest.objects {
        let path = dir.join(entry.path());
        match std::fs::read(&path) {
            Err(_) => problems.push(format!("{}: missing ({})", path.display(), entry.id)),
            Ok(bytes) => match verify_object(entry, &bytes) {
                Err(e) => problems.push(format!("{}: {e}", path.display())),
                Ok(item) => {
                    for attachment in &item.attachments {
                        listed.insert(attachment.sha256.clone());
                        let path = dir.join(attachment.path());
                        let what = format!("{}, attachment {}", item.id, attachment.file_name);
                        match read_capped(&path, attachment.size, "this attachment's listing") {
                            Err(why) => {
                                problems.push(format!("{}: {why} ({what})", path.display()))
                            }
                            Ok(bytes) => {
                                if let Err(e) = verify_attachment(&item.id, attachment, &bytes) {
                                    problems.push(format!("{}: {e}", path.display()));
                                }
                            }
                        }
                    }
                }
            },
        }
    }
    for name in list_dir(dir).map_err(|e| VerifyError(vec![e.to_string()]))? {
        if name != MANIFEST_FILE && !expected_dirs.contains(&name.as_str()) {
            problems.push(unexpected(&dir.join(&name)));
        }
    }
    unexpected_files(&dir.join(OBJECTS_DIR), &listed, &mut problems)?;
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(VerifyError(problems))
    }
}

fn unexpected(path: &Path) -> String {
    format!(
        "{}: unexpected file, not listed in the manifest",
        path.display()
    )
}

/// A problem for every file in `dir` (when it exists) whose name is not `listed`.
fn unexpected_files(
    dir: &Path,
    listed: &BTreeSet<String>,
    problems: &mut Vec<String>,
) -> Result<(), VerifyError> {
    if dir.is_dir() {
        for name in list_dir(dir).map_err(|e| VerifyError(vec![e.to_string()]))? {
            if !listed.contains(&name) {
                problems.push(unexpected(&dir.join(&name)));
            }
        }
    }
    Ok(())
}

/// A file's bytes, refusing one larger than `cap` (what `limit` allows) without
/// reading it all.
fn read_capped(path: &Path, cap: u64, limit: &str) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|_| "missing (listed in the manifest)".to_string())?
        .len();
    if size > cap {
        return Err(format!("{size} bytes, more than the {cap} {limit} allows"));
    }
    std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}
