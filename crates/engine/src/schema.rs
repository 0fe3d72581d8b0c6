//! The cache's schema and its migrations. Migrations only ever add; user tables
//! (bookmarks, history, settings) are never dropped or rewritten by one.

use rusqlite::Connection;

use crate::EngineError;

/// Each entry moves the schema from version `index` to `index + 1` (`PRAGMA user_version`).
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Content: written only by bundle import, in one transaction.
CREATE TABLE items (
    -- Short columns first, body last: SQLite reads a row's columns in order, so a
    -- column after a 50 kB body would cost a walk through its overflow pages.
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,                 -- as authored: YYYY, YYYY-MM or YYYY-MM-DD
    year INTEGER,
    updated TEXT,
    number TEXT,               -- guidance number, e.g. ACL 16-49
    number_key TEXT,           -- the number's letters and digits, lower case: acl1649
    number_tail TEXT,          -- the same without the leading type: 1649, 2315 (I-23-15)
    status TEXT,               -- guidance status
    superseded_by TEXT,
    event_type TEXT,
    lang TEXT NOT NULL,        -- en, es
    translation_of TEXT,       -- for a translation: the id of the English item
    sha256 TEXT NOT NULL,
    summary TEXT NOT NULL,
    search_extra TEXT NOT NULL, -- county names, roles, agency names, numbers
    json TEXT NOT NULL,        -- the item as received, less its body
    body TEXT NOT NULL
) STRICT;
CREATE INDEX items_kind_date ON items(kind, date);
CREATE INDEX items_number_tail ON items(number_tail);
CREATE INDEX items_translation_of ON items(translation_of);

CREATE TABLE links (
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (source, target)
) STRICT, WITHOUT ROWID;
CREATE INDEX links_target ON links(target);

CREATE VIRTUAL TABLE items_fts USING fts5(
    title, number, summary, body, search_extra,
    content = 'items', content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
-- The short fields alone: small doclists, so ranking every match stays fast even
-- for words that occur in every document. Searched first.
CREATE VIRTUAL TABLE items_short_fts USING fts5(
    title, number, summary, search_extra,
    content = 'items', content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
-- How many documents hold each term of the short index: a query whose every term
-- is in most documents is not worth ranking (see search.rs).
CREATE VIRTUAL TABLE items_short_vocab USING fts5vocab(items_short_fts, 'row');
CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, number, summary, body, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.body, new.search_extra);
    INSERT INTO items_short_fts(rowid, title, number, summary, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.search_extra);
END;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, number, summary, body, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.body, old.search_extra);
    INSERT INTO items_short_fts(items_short_fts, rowid, title, number, summary, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.search_extra);
END;
CREATE TRIGGER items_au AFTER UPDATE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, number, summary, body, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.body, old.search_extra);
    INSERT INTO items_fts(rowid, title, number, summary, body, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.body, new.search_extra);
    INSERT INTO items_short_fts(items_short_fts, rowid, title, number, summary, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.search_extra);
    INSERT INTO items_short_fts(rowid, title, number, summary, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.search_extra);
END;

-- User data: never touched by import, reseeding or migrations.
CREATE TABLE bookmarks (
    item_id TEXT PRIMARY KEY,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE history (
    item_id TEXT PRIMARY KEY,
    viewed_at TEXT NOT NULL
) STRICT;
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
"#,
    r#"
-- Objects downloaded and verified by a sync that has not been applied yet: an
-- interrupted sync resumes from here instead of downloading them again. Emptied by
-- the transaction that applies them.
CREATE TABLE staged_objects (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
) STRICT;
"#,
];

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), EngineError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(EngineError::NewerCache {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
