//! Writing a signed bundle directory, and checking one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use csec_bundle::{
    FORMAT, MANIFEST_FILE, Manifest, OBJECTS_DIR, ObjectEntry, PublicKey, SecretKey, open_manifest,
    sign_manifest, verify_object,
};
use thiserror::Error;
use time::{Date, Duration, OffsetDateTime};

use crate::Content;

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

/// Writes `out/manifest.json` and `out/objects/<sha256>`. Objects are content-addressed,
/// so unchanged ones are left alone; objects of an older build that are no longer listed
/// are removed; the manifest is replaced last, atomically.
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
    let mut removed = 0;
    for stale in list_dir(&objects_dir)?.difference(&objects.keys().cloned().collect()) {
        let path = objects_dir.join(stale);
        std::fs::remove_file(&path).map_err(io(&path))?;
        removed += 1;
    }
    let manifest = Manifest {
        format: FORMAT.to_string(),
        version: options.version,
        published: options.published,
        expires: options.expires,
        reviewed: content.reviewed.clone(),
        objects: entries,
    };
    let signed = sign_manifest(&manifest, key);
    write_atomically(&out.join(MANIFEST_FILE), &signed)?;
    let bytes = signed.len() as u64 + objects.values().map(|b| b.len() as u64).sum::<u64>();
    Ok(BuildReport {
        manifest,
        bytes,
        written,
        removed,
    })
}

/// Refuses to write into a directory that holds anything but a bundle, so a typo in
/// `--out` never deletes someone's files.
fn check_out_dir(out: &Path) -> Result<(), BuildError> {
    if !out.exists() {
        return std::fs::create_dir_all(out).map_err(io(out));
    }
    let found = list_dir(out)?;
    if let Some(other) = found.iter().find(|name| {
        *name != MANIFEST_FILE && *name != OBJECTS_DIR && !name.starts_with(".csec-tmp")
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
/// exactly the listed objects, each intact.
pub fn verify_bundle(dir: &Path, trusted: &[PublicKey]) -> Result<Manifest, VerifyError> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&manifest_path).map_err(|e| {
        VerifyError(vec![format!(
            "{}: cannot be read: {e}",
            manifest_path.display()
        )])
    })?;
    let manifest = open_manifest(&bytes, trusted)
        .map_err(|e| VerifyError(vec![format!("{}: {e}", manifest_path.display())]))?;
    let mut problems = Vec::new();
    let listed: BTreeSet<String> = manifest.objects.iter().map(|o| o.sha256.clone()).collect();
    for entry in &manifest.objects {
        let path = dir.join(entry.path());
        match std::fs::read(&path) {
            Err(_) => problems.push(format!("{}: missing ({})", path.display(), entry.id)),
            Ok(bytes) => {
                if let Err(e) = verify_object(entry, &bytes) {
                    problems.push(format!("{}: {e}", path.display()));
                }
            }
        }
    }
    let unexpected = |path: PathBuf| {
        format!(
            "{}: unexpected file, not listed in the manifest",
            path.display()
        )
    };
    for name in list_dir(dir).map_err(|e| VerifyError(vec![e.to_string()]))? {
        if name != MANIFEST_FILE && name != OBJECTS_DIR {
            problems.push(unexpected(dir.join(&name)));
        }
    }
    let objects_dir = dir.join(OBJECTS_DIR);
    if objects_dir.is_dir() {
        for name in list_dir(&objects_dir).map_err(|e| VerifyError(vec![e.to_string()]))? {
            if !listed.contains(&name) {
                problems.push(unexpected(objects_dir.join(&name)));
            }
        }
    }
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(VerifyError(problems))
    }
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}
