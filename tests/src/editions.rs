//! Bundles and caches for the sync tests: keys, editions of the content built with
//! the real `csec build`, and what a cache file holds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{copy_dir, csec, repo_root};

/// A far-future expiry, so editions built by the tests stay valid.
pub const LATER: &str = "2099-01-01T00:00:00Z";

pub struct Keys {
    pub secret: PathBuf,
    pub public: PathBuf,
}

pub fn keygen(dir: &Path) -> Keys {
    csec(&[&"keygen", &"--out", &dir]).ok();
    Keys {
        secret: dir.join("signing.key"),
        public: dir.join("signing.pub"),
    }
}

/// `csec build CONTENT --key K --out OUT --version V --expires E`.
pub fn build(content: &Path, keys: &Keys, out: &Path, version: u64, expires: &str) {
    csec(&[
        &"build",
        &content,
        &"--key",
        &keys.secret,
        &"--out",
        &out,
        &"--version",
        &version.to_string(),
        &"--expires",
        &expires,
    ])
    .ok();
}

/// How many Markdown items (timeline, guidance, reports, guides) the real content has.
pub fn markdown_items() -> usize {
    crate::files_under(&repo_root().join("content"))
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .count()
}

/// A copy of the real content in which every Markdown item (timeline, guidance,
/// reports, guides: [`markdown_items`]) has one more line, so its object differs from
/// the built-in one.
pub fn edited_content(dir: &Path, note: &str) -> PathBuf {
    copy_dir(&repo_root().join("content"), dir);
    for relative in crate::files_under(dir) {
        if relative.extension().is_some_and(|e| e == "md") {
            let path = dir.join(relative);
            let mut text = std::fs::read_to_string(&path).expect("read content");
            text.push_str(&format!("\n{note}\n"));
            std::fs::write(&path, text).expect("write content");
        }
    }
    dir.to_path_buf()
}

/// The signed edition's version and its items (id to object hash).
pub fn edition(bundle: &Path, keys: &Keys) -> (u64, BTreeMap<String, String>) {
    let trusted = csec_bundle::parse_public_keys(
        &std::fs::read_to_string(&keys.public).expect("read public key"),
    )
    .expect("valid public key");
    let manifest = csec_publish::verify_bundle(bundle, &trusted).expect("a valid bundle");
    let items = manifest
        .objects
        .into_iter()
        .map(|e| (e.id, e.sha256))
        .collect();
    (manifest.version, items)
}

/// What a cache file holds, read with SQLite directly.
#[derive(Debug, PartialEq, Eq)]
pub struct CacheState {
    pub version: u64,
    pub items: BTreeMap<String, String>,
    pub bookmarks: Vec<(String, String)>,
}

impl CacheState {
    /// Reads the cache after checking `PRAGMA integrity_check` and that the search
    /// index agrees with the items.
    pub fn read(db: &Path) -> CacheState {
        let conn = rusqlite::Connection::open(db).expect("open the cache");
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check runs");
        assert_eq!(integrity, "ok", "{} is damaged", db.display());
        conn.execute(
            "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .expect("the search index matches the items");
        let version: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
                r.get(0)
            })
            .expect("a version");
        let mut items = conn.prepare("SELECT id, sha256 FROM items").expect("items");
        let items = items
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("items")
            .collect::<Result<_, _>>()
            .expect("items");
        let mut bookmarks = conn
            .prepare("SELECT item_id, note FROM bookmarks ORDER BY item_id")
            .expect("bookmarks");
        let bookmarks = bookmarks
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("bookmarks")
            .collect::<Result<_, _>>()
            .expect("bookmarks");
        CacheState {
            version: version.parse().expect("a numeric version"),
            items,
            bookmarks,
        }
    }
}

/// Adds a bookmark the way the app stores one.
pub fn bookmark(db: &Path, item: &str, note: &str) {
    let conn = rusqlite::Connection::open(db).expect("open the cache");
    conn.execute(
        "INSERT INTO bookmarks(item_id, note, created_at) VALUES (?1, ?2, '2026-11-28T00:00:00Z')",
        [item, note],
    )
    .expect("add a bookmark");
}

/// The report the attachment tests attach a file to.
pub const ATTACHED_REPORT: &str = "reports/2013-call-for-multi-system-collaboration";

/// A small but real PDF (one empty page), generated; `marker` makes each one differ.
/// Nothing a source provides is shipped, so tests make their own.
pub fn generated_pdf(marker: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Title ({marker}) >>"),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Lists `bytes` as `file` (titled `title`) on [`ATTACHED_REPORT`] in the content at
/// `dir`, writing the file beside the report.
pub fn attach(dir: &Path, file: &str, title: &str, bytes: &[u8]) {
    let report = dir.join(format!("{ATTACHED_REPORT}.md"));
    let text = std::fs::read_to_string(&report).expect("read the report");
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let listing = format!("[[attachments]]\nfile = \"{file}\"\ntitle = \"{title}\"\n");
    // Tables of arrays go last in TOML: put it just before the closing +++.
    let end = rest.find("\n+++\n").expect("closed front matter") + 1;
    let text = format!("+++\n{}{listing}{}", &rest[..end], &rest[end..]);
    std::fs::write(&report, text).expect("write the report");
    let parent = report.parent().expect("reports/");
    std::fs::write(parent.join(file), bytes).expect("write the attachment");
}
