//! The cache: one SQLite file with the content, its search index and the user's own
//! data. A cache that does not exist yet is created from the content compiled into
//! the binary, so the first launch works offline.

use std::collections::HashMap;
use std::path::Path;

use csec_bundle::{Details, Item, ObjectEntry};
use rusqlite::{Connection, OptionalExtension, params};

use crate::changes::{self, Change};
use crate::{EngineError, schema};

/// The content in `content/` at build time, as JSON items.
const SEED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/seed.json"));
/// When the publisher last reviewed that content (`content/edition.toml`), or empty.
const SEED_REVIEWED: &str = include_str!(concat!(env!("OUT_DIR"), "/reviewed.txt"));

/// The compiled-in content's version: any published bundle is newer.
pub const SEED_VERSION: u64 = 0;

pub struct Cache {
    pub(crate) conn: Connection,
    /// The cache file: sync stages its downloads in a file beside it.
    pub(crate) path: std::path::PathBuf,
    /// What search reads of the content on every query; cleared by each import.
    pub(crate) search_context:
        std::sync::Mutex<Option<std::sync::Arc<crate::thesaurus::SearchContext>>>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// The bundle-level facts stored with the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentMeta {
    pub version: u64,
    /// RFC 3339.
    pub published: String,
    /// RFC 3339; `None` for the compiled-in content, which never expires.
    pub expires: Option<String>,
    /// `YYYY-MM-DD`: when the publisher last reviewed the edition, if it says.
    pub reviewed: Option<String>,
}

/// How much of the file searches read through a memory map rather than `pread` into
/// SQLite's page cache (2 MB by default): at 10,000 items a search touches a few
/// MB of index and rows, and copying them in a page at a time was a fifth of its time.
/// Mapped pages are the system's file cache, which it can take back, not our heap.
const READ_MMAP_BYTES: i64 = 1 << 30;

impl Cache {
    /// Opens (or creates and seeds) the cache at `path`.
    pub fn open(path: &Path) -> Result<Cache, EngineError> {
        let mut cache = Cache::open_unseeded(path)?;
        if cache.meta()?.is_none() {
            cache.reseed()?;
        }
        Ok(cache)
    }

    /// Opens (or creates) the cache at `path` without seeding a new one: for a caller
    /// about to import a whole edition into it (`csec sync`), which would otherwise
    /// install the compiled-in content only to replace all of it. A file left without
    /// content (the import failed) is seeded by the next [`Cache::open`].
    pub fn open_unseeded(path: &Path) -> Result<Cache, EngineError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| EngineError::Folder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        // Free pages go back to the file system after each import (see
        // `apply_in_transaction`); only a file with no tables yet can be set so here,
        // an older cache is converted once by `schema::migrate`.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "mmap_size", READ_MMAP_BYTES)?;
        // Before migrating: the index triggers call it.
        crate::words::register(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Cache {
            conn,
            path: path.to_path_buf(),
            search_context: std::sync::Mutex::new(None),
        })
    }

    /// Replaces the content with the compiled-in content. User data is untouched.
    pub fn reseed(&mut self) -> Result<ImportReport, EngineError> {
        let items: Vec<Item> =
            serde_json::from_slice(SEED).map_err(|e| EngineError::Seed(e.to_string()))?;
        let reviewed = Some(SEED_REVIEWED.trim().to_string()).filter(|r| !r.is_empty());
        let published = match &reviewed {
            Some(day) => format!("{day}T00:00:00Z"),
            None => seed_published(&items),
        };
        let mut bodies: HashMap<String, Item> = HashMap::new();
        let entries: Vec<ObjectEntry> = items
            .into_iter()
            .map(|item| {
                let (entry, _) = ObjectEntry::for_item(&item);
                bodies.insert(item.id.clone(), item);
                entry
            })
            .collect();
        let meta = ContentMeta {
            version: SEED_VERSION,
            published,
            expires: None,
            reviewed,
        };
        self.apply(&meta, &entries, |entry| {
            bodies
                .remove(&entry.id)
                .ok_or_else(|| EngineError::Seed(format!("{} is missing", entry.id)))
        })
    }

    /// The stored content's version and dates, if any content was ever imported.
    pub fn meta(&self) -> Result<Option<ContentMeta>, EngineError> {
        let Some(version) = self.meta_value("version")?.and_then(|v| v.parse().ok()) else {
            return Ok(None);
        };
        Ok(Some(ContentMeta {
            version,
            published: self.meta_value("published")?.unwrap_or_default(),
            expires: self.meta_value("expires")?,
            reviewed: self.meta_value("reviewed")?,
        }))
    }

    /// One meta key (sync keeps its bookkeeping there: `source`, `manifest_etag`).
    pub fn meta_value(&self, key: &str) -> Result<Option<String>, EngineError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Applies a complete list of entries in one transaction: items whose hash is
    /// unchanged are kept, new and changed ones are read with `fetch`, and items no
    /// longer listed are removed, together with the new version. User tables are not
    /// touched. If `fetch` fails, nothing changes.
    pub fn apply<F>(
        &mut self,
        meta: &ContentMeta,
        entries: &[ObjectEntry],
        mut fetch: F,
    ) -> Result<ImportReport, EngineError>
    where
        F: FnMut(&ObjectEntry) -> Result<Item, EngineError>,
    {
        self.import(meta, entries, &[], None, false, |entry| fetch(entry))
    }

    /// An update: [`Cache::apply`], with `extra_meta` written in the same transaction
    /// (`source` is where the edition came from), the stored index files replaced by
    /// `index_files` when given, and `fetch`'s own error type. What it added, changed
    /// and removed is recorded for "New since your last update" (changes.rs), unless
    /// the cache held no content before.
    pub fn apply_in_transaction<F, E>(
        &mut self,
        meta: &ContentMeta,
        entries: &[ObjectEntry],
        extra_meta: &[(&str, &str)],
        index_files: Option<&[(String, Vec<u8>)]>,
        fetch: F,
    ) -> Result<ImportReport, E>
    where
        F: FnMut(&ObjectEntry) -> Result<Item, E>,
        E: From<EngineError>,
    {
        self.import(meta, entries, extra_meta, index_files, true, fetch)
    }

    fn import<F, E>(
        &mut self,
        meta: &ContentMeta,
        entries: &[ObjectEntry],
        extra_meta: &[(&str, &str)],
        index_files: Option<&[(String, Vec<u8>)]>,
        record: bool,
        fetch: F,
    ) -> Result<ImportReport, E>
    where
        F: FnMut(&ObjectEntry) -> Result<Item, E>,
        E: From<EngineError>,
    {
        // An import reads most of the file (merging the indexes): through the memory
        // map every page it touched would stay resident in this process.
        self.conn
            .pragma_update(None, "mmap_size", 0)
            .map_err(|e| E::from(EngineError::from(e)))?;
        let applied = self.apply_unmapped(meta, entries, extra_meta, index_files, record, fetch);
        // Searches still work without the map, only slower: nothing to report.
        let _ = self.conn.pragma_update(None, "mmap_size", READ_MMAP_BYTES);
        applied
    }

    fn apply_unmapped<F, E>(
        &mut self,
        meta: &ContentMeta,
        entries: &[ObjectEntry],
        extra_meta: &[(&str, &str)],
        index_files: Option<&[(String, Vec<u8>)]>,
        record: bool,
        mut fetch: F,
    ) -> Result<ImportReport, E>
    where
        F: FnMut(&ObjectEntry) -> Result<Item, E>,
        E: From<EngineError>,
    {
        let db = |e: rusqlite::Error| E::from(EngineError::from(e));
        let tx = self.conn.transaction().map_err(db)?;
        // id -> (hash, rowid).
        let stored: HashMap<String, (String, i64)> = {
            let mut statement = tx
                .prepare("SELECT id, sha256, rowid FROM items")
                .map_err(db)?;
            statement
                .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
                .map_err(db)?
                .collect::<Result<_, _>>()
                .map_err(db)?
        };
        let listed: HashMap<&str, &str> = entries
            .iter()
            .map(|e| (e.id.as_str(), e.sha256.as_str()))
            .collect();
        let mut report = ImportReport::default();
        // FTS5 keeps pending terms in memory only while rowids go up: one written below
        // the last makes it write them all out as a segment. So the changed and removed
        // items go first, in rowid order, then the new rows, in rowid order too, in a
        // block below every row there is (the newest import is read first).
        let mut leaving: Vec<(i64, &str)> = stored
            .iter()
            .filter(|(id, (sha256, _))| listed.get(id.as_str()) != Some(&sha256.as_str()))
            .map(|(id, (_, rowid))| (*rowid, id.as_str()))
            .collect();
        leaving.sort_unstable();
        // Nothing is "new since the last update" when there was none.
        let record = record && !stored.is_empty();
        let mut removed = Vec::new();
        let mut arrived = Vec::new();
        for (_, id) in &leaving {
            if listed.contains_key(id) {
                report.changed += 1;
                arrived.push((*id, Change::Changed));
            } else {
                report.removed += 1;
                if record {
                    removed.extend(changes::as_stored(&tx, id).map_err(db)?);
                }
            }
            delete_item(&tx, id).map_err(db)?;
        }
        let arriving = entries
            .iter()
            .filter(|e| stored.get(&e.id).map(|(sha256, _)| sha256) != Some(&e.sha256))
            .count();
        let lowest = stored
            .values()
            .map(|(_, rowid)| *rowid)
            .min()
            .unwrap_or(0)
            .min(0);
        let mut rowid = lowest - i64::try_from(arriving).unwrap_or(i64::MAX / 2);
        for entry in entries {
            if stored.get(&entry.id).map(|(sha256, _)| sha256) == Some(&entry.sha256) {
                continue;
            }
            let item = fetch(entry)?;
            if !stored.contains_key(&entry.id) {
                report.added += 1;
                arrived.push((entry.id.as_str(), Change::Added));
            }
            insert_item(&tx, &item, &entry.sha256, rowid)?;
            rowid += 1;
        }
        if record && report != ImportReport::default() {
            let previous: u64 = tx
                .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
                    r.get::<_, String>(0)
                })
                .optional()
                .map_err(db)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(SEED_VERSION);
            let source = extra_meta
                .iter()
                .find(|(key, _)| *key == "source")
                .map_or("", |(_, value)| *value);
            changes::record(&tx, (previous, meta.version), source, &removed, &arrived)
                .map_err(db)?;
        }
        let version = meta.version.to_string();
        let mut pairs = vec![
            ("version", version.as_str()),
            ("published", &meta.published),
        ];
        for (key, value) in [("expires", &meta.expires), ("reviewed", &meta.reviewed)] {
            match value {
                Some(value) => pairs.push((key, value)),
                None => {
                    tx.execute("DELETE FROM meta WHERE key = ?1", [key])
                        .map_err(db)?;
                }
            }
        }
        pairs.extend_from_slice(extra_meta);
        for (key, value) in pairs {
            set_meta(&tx, key, value).map_err(db)?;
        }
        if let Some(files) = index_files {
            tx.execute("DELETE FROM bundle_indexes", []).map_err(db)?;
            let mut insert = tx
                .prepare("INSERT OR REPLACE INTO bundle_indexes(sha256, data) VALUES (?1, ?2)")
                .map_err(db)?;
            for (sha256, data) in files {
                insert
                    .execute(rusqlite::params![sha256, data])
                    .map_err(db)?;
            }
        }
        if report != ImportReport::default() {
            tx.execute_batch(crate::attachments::DROP_ORPHANED)
                .map_err(db)?;
            tx.execute_batch(schema::OPTIMIZE_SHORT_INDEX).map_err(db)?;
            tx.execute_batch(schema::REFRESH_VOCABULARY).map_err(db)?;
        }
        // FTS5 forgets a removed document by writing a tombstone, not by freeing its
        // pages; when much was removed, merging the index lets the file shrink.
        let kept = stored.len() - report.removed + report.added;
        if report.removed > 0 && report.removed * 5 >= stored.len().max(kept) {
            tx.execute_batch(schema::OPTIMIZE_WHOLE_INDEX).map_err(db)?;
        }
        tx.commit().map_err(db)?;
        // Removed and replaced items leave free pages: give them back, so the file
        // is the size of what it holds. Failing here loses nothing but space.
        let _ = self.release_free_pages();
        *self
            .search_context
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        Ok(report)
    }

    /// `PRAGMA incremental_vacuum` frees one page per row it returns: every row must
    /// be stepped through, or only the first page goes.
    fn release_free_pages(&self) -> rusqlite::Result<()> {
        let mut statement = self.conn.prepare("PRAGMA incremental_vacuum")?;
        let mut rows = statement.query([])?;
        while rows.next()?.is_some() {}
        Ok(())
    }

    /// The cache file (sync stages its downloads in a file beside it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Each item's id and the hash of the object it was imported from.
    pub fn item_hashes(&self) -> Result<HashMap<String, String>, EngineError> {
        let mut statement = self.conn.prepare("SELECT id, sha256 FROM items")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A format 2 index file the last sync kept, by its hash.
    pub fn stored_index_file(&self, sha256: &str) -> Result<Option<Vec<u8>>, EngineError> {
        Ok(self
            .conn
            .query_row(
                "SELECT data FROM bundle_indexes WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Writes meta keys outside any import (sync bookkeeping).
    pub fn set_meta_values(&mut self, pairs: &[(&str, &str)]) -> Result<(), EngineError> {
        let tx = self.conn.transaction()?;
        for (key, value) in pairs {
            set_meta(&tx, key, value)?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(drop)
}

/// Removes an item, its links and its entries in both search indexes (which keep no
/// copy of the text: each is told exactly what it indexed, read from the row).
fn delete_item(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    type Indexed = (i64, String, String, Option<String>, String, String, String);
    let row: Option<Indexed> = conn
        .prepare_cached(
            "SELECT rowid, kind, title, number, summary, body, search_extra FROM items WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .optional()?;
    if let Some((rowid, kind, title, number, summary, body, search_extra)) = row
        && kind != "synonyms"
    {
        conn.prepare_cached(
            "INSERT INTO items_fts(items_fts, rowid, title, number, summary, body, search_extra)
             VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![rowid, title, number, summary, body, search_extra])?;
        let stems: Option<(String, String)> = conn
            .prepare_cached("SELECT title_stems, text_stems FROM item_stems WHERE rowid = ?1")?
            .query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((title_stems, text_stems)) = stems {
            conn.prepare_cached(
                "INSERT INTO items_short_fts(items_short_fts, rowid, title, number, summary,
                                             search_extra, title_stems, text_stems)
                 VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                rowid,
                title,
                number,
                summary,
                search_extra,
                title_stems,
                text_stems
            ])?;
        }
        conn.prepare_cached("DELETE FROM item_stems WHERE rowid = ?1")?
            .execute([rowid])?;
    }
    conn.prepare_cached("DELETE FROM items WHERE id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM links WHERE source = ?1")?
        .execute([id])?;
    Ok(())
}

/// Inserts an item at `rowid` and indexes it.
fn insert_item(
    tx: &rusqlite::Transaction,
    item: &Item,
    sha256: &str,
    rowid: i64,
) -> Result<(), EngineError> {
    let (number, status, superseded_by, event_type) = match &item.details {
        Details::Guidance {
            number,
            status,
            superseded_by,
            ..
        } => (
            Some(number.as_str()),
            Some(status.as_str()),
            superseded_by.as_deref(),
            None,
        ),
        Details::Timeline { event_type } => (None, None, None, Some(event_type.as_str())),
        _ => (None, None, None, None),
    };
    let year: Option<i64> = item
        .date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok());
    let number_key = number.map(crate::search::number_key);
    let number_tail = number_key.as_deref().map(crate::search::number_tail);
    // The body is stored once, in its own column; the JSON keeps everything else.
    let without_body = Item {
        body: String::new(),
        ..item.clone()
    };
    let search_extra = search_extra(item);
    tx.prepare_cached(
        "INSERT INTO items (rowid, id, kind, title, date, year, updated, number, number_key,
                            number_tail, status, superseded_by, event_type, lang, translation_of,
                            sha256, summary, search_extra, json, body)
         VALUES (?20, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19)",
    )?
    .execute(params![
        item.id,
        item.kind().as_str(),
        item.title,
        item.date,
        year,
        item.updated,
        number,
        number_key,
        number_tail,
        status,
        superseded_by,
        event_type,
        item.lang.as_str(),
        item.translation_of,
        sha256,
        item.summary,
        search_extra,
        String::from_utf8_lossy(&without_body.to_bytes()),
        item.body,
        rowid,
    ])?;
    if item.kind() != csec_bundle::Kind::Synonyms {
        index_item(tx, rowid, item, number, &search_extra)?;
    }
    let mut targets: Vec<&str> = item.related.iter().map(String::as_str).collect();
    targets.extend(superseded_by);
    for target in targets {
        tx.execute(
            "INSERT OR IGNORE INTO links(source, target) VALUES (?1, ?2)",
            params![item.id, target],
        )?;
    }
    Ok(())
}

/// Adds an item's row to both search indexes and its stems to `item_stems`. Done here
/// rather than by triggers: a trigger makes every insert a statement with its own
/// savepoint, and FTS5 writes its pending terms to disk at each savepoint, so an
/// import of 1,000 items wrote 1,000 tiny segments and spent half its time merging
/// them. One statement per index per row lets FTS5 batch them in memory.
fn index_item(
    tx: &rusqlite::Transaction,
    rowid: i64,
    item: &Item,
    number: Option<&str>,
    search_extra: &str,
) -> rusqlite::Result<()> {
    let lang = item.lang.as_str();
    let title_stems = crate::words::stems(&item.title, lang);
    let text_stems = crate::words::stems(&format!("{} {search_extra}", item.summary), lang);
    tx.prepare_cached(
        "INSERT INTO items_fts(rowid, title, number, summary, body, search_extra)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        rowid,
        item.title,
        number,
        item.summary,
        item.body,
        search_extra
    ])?;
    tx.prepare_cached(
        "INSERT INTO item_stems(rowid, title_stems, text_stems) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![rowid, title_stems, text_stems])?;
    tx.prepare_cached(
        "INSERT INTO items_short_fts(rowid, title, number, summary, search_extra, title_stems,
                                     text_stems)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        rowid,
        item.title,
        number,
        item.summary,
        search_extra,
        title_stems,
        text_stems
    ])?;
    Ok(())
}

/// Words a person may type to find a county or resource that are not in its title.
fn search_extra(item: &Item) -> String {
    let contact_words = |c: &csec_bundle::Contact| {
        let phones: Vec<&str> = c.phones.iter().map(|p| p.number.as_str()).collect();
        format!("{} {}", c.name, phones.join(" "))
    };
    match &item.details {
        Details::County(county) => {
            // Spanish readers type "condado de Fresno"; everyone types "hotline".
            let mut words = vec![format!(
                "{} county condado fips {} contacts",
                county.name, county.fips
            )];
            for agency in &county.agencies {
                let types: Vec<String> = agency
                    .contact
                    .phones
                    .iter()
                    .map(|p| p.phone_type.as_str().replace('-', " "))
                    .collect();
                words.push(format!(
                    "{} {} {}",
                    agency.role.as_str().replace('-', " "),
                    types.join(" "),
                    contact_words(&agency.contact)
                ));
            }
            words.join(" ")
        }
        Details::Resource(resource) => contact_words(&resource.contact),
        // The kind's own name, which the titles do not say: "guides", "all county
        // letters", "guías".
        Details::Guide { .. } => "practice guide guía".into(),
        Details::Guidance { guidance_type, .. } => match guidance_type {
            csec_bundle::GuidanceType::Acl => "all county letter carta",
            csec_bundle::GuidanceType::Acin => "all county information notice aviso",
            csec_bundle::GuidanceType::Cfl => "county fiscal letter carta",
        }
        .into(),
        _ => String::new(),
    }
}

fn seed_published(items: &[Item]) -> String {
    let newest = items
        .iter()
        .filter_map(|i| i.updated.as_deref().or(i.date.as_deref()))
        .max()
        .unwrap_or("1970");
    // Pad for storage only; the UI shows the content version's date, not this.
    let padded = match newest.len() {
        4 => format!("{newest}-01-01"),
        7 => format!("{newest}-01"),
        _ => newest.to_string(),
    };
    format!("{padded}T00:00:00Z")
}
