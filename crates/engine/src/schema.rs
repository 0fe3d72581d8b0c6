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
    r#"
-- Search that knows word forms (issue 12). The short index gains two columns of
-- Snowball stems (title; summary and county words), kept in their own table so that
-- queries read them without calling the stemmer; synonyms items are left out of both
-- indexes (search reads them to widen queries, nobody searches for them).
DROP TRIGGER items_ai;
DROP TRIGGER items_ad;
DROP TRIGGER items_au;
DROP TABLE items_short_vocab;
DROP TABLE items_short_fts;
DROP TABLE items_fts;

-- The whole index reads its content through a view without synonyms, so FTS5's own
-- integrity check agrees with it.
CREATE VIEW items_searchable AS
SELECT rowid, title, number, summary, body, search_extra FROM items WHERE kind <> 'synonyms';
CREATE VIRTUAL TABLE items_fts USING fts5(
    title, number, summary, body, search_extra,
    content = 'items_searchable', content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
INSERT INTO items_fts(items_fts) VALUES ('rebuild');

CREATE TABLE item_stems (
    rowid INTEGER PRIMARY KEY,
    title_stems TEXT NOT NULL,
    text_stems TEXT NOT NULL
) STRICT;
INSERT INTO item_stems(rowid, title_stems, text_stems)
SELECT rowid, csec_stems(title, lang), csec_stems(summary || ' ' || search_extra, lang)
FROM items WHERE kind <> 'synonyms';

CREATE VIEW items_short_source AS
SELECT i.rowid AS rowid, i.title AS title, i.number AS number, i.summary AS summary,
       i.search_extra AS search_extra, s.title_stems AS title_stems, s.text_stems AS text_stems
FROM items i JOIN item_stems s ON s.rowid = i.rowid;

CREATE VIRTUAL TABLE items_short_fts USING fts5(
    title, number, summary, search_extra, title_stems, text_stems,
    content = 'items_short_source', content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
INSERT INTO items_short_fts(items_short_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE items_short_vocab USING fts5vocab(items_short_fts, 'row');
-- Every term of the whole index: where close spellings come from.
CREATE VIRTUAL TABLE items_vocab USING fts5vocab(items_fts, 'row');

-- The vocabulary's plain words, by length, refreshed after each import that
-- changed content (REFRESH_VOCABULARY): a close-spelling lookup reads a few hundred rows
-- of one length range instead of walking the FTS5 vocabulary.
CREATE TABLE words (
    term TEXT PRIMARY KEY,
    length INTEGER NOT NULL,
    docs INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX words_length ON words(length, term);

CREATE TRIGGER items_ai AFTER INSERT ON items WHEN new.kind <> 'synonyms' BEGIN
    INSERT INTO items_fts(rowid, title, number, summary, body, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.body, new.search_extra);
    INSERT INTO item_stems(rowid, title_stems, text_stems)
    VALUES (new.rowid, csec_stems(new.title, new.lang),
            csec_stems(new.summary || ' ' || new.search_extra, new.lang));
    INSERT INTO items_short_fts(rowid, title, number, summary, search_extra, title_stems, text_stems)
    SELECT new.rowid, new.title, new.number, new.summary, new.search_extra, s.title_stems, s.text_stems
    FROM item_stems s WHERE s.rowid = new.rowid;
END;
CREATE TRIGGER items_ad AFTER DELETE ON items WHEN old.kind <> 'synonyms' BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, number, summary, body, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.body, old.search_extra);
    INSERT INTO items_short_fts(items_short_fts, rowid, title, number, summary, search_extra,
                                title_stems, text_stems)
    SELECT 'delete', old.rowid, old.title, old.number, old.summary, old.search_extra,
           s.title_stems, s.text_stems
    FROM item_stems s WHERE s.rowid = old.rowid;
    DELETE FROM item_stems WHERE rowid = old.rowid;
END;
-- Import never updates an item in place (it deletes and inserts), but a row
-- changed by hand must not leave the index behind.
CREATE TRIGGER items_au AFTER UPDATE ON items WHEN old.kind <> 'synonyms' BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, number, summary, body, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.body, old.search_extra);
    INSERT INTO items_fts(rowid, title, number, summary, body, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.body, new.search_extra);
    INSERT INTO items_short_fts(items_short_fts, rowid, title, number, summary, search_extra,
                                title_stems, text_stems)
    SELECT 'delete', old.rowid, old.title, old.number, old.summary, old.search_extra,
           s.title_stems, s.text_stems
    FROM item_stems s WHERE s.rowid = old.rowid;
    UPDATE item_stems SET title_stems = csec_stems(new.title, new.lang),
                          text_stems = csec_stems(new.summary || ' ' || new.search_extra, new.lang)
    WHERE rowid = old.rowid;
    INSERT INTO items_short_fts(rowid, title, number, summary, search_extra, title_stems, text_stems)
    SELECT new.rowid, new.title, new.number, new.summary, new.search_extra, s.title_stems, s.text_stems
    FROM item_stems s WHERE s.rowid = new.rowid;
END;
"#,
    r#"
-- Sync stages its downloads in a file beside the cache (sync/staging.rs): staged
-- here, applied objects left their pages free in the cache.
DROP TABLE staged_objects;
"#,
    r#"
-- How many documents of the short index hold each term, copied from its fts5vocab
-- table after each import (REFRESH_VOCABULARY): fts5vocab counts a term by walking its
-- postings, a tenth of a millisecond for a common word, and search asks for a dozen.
CREATE TABLE short_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
"#,
    r#"
-- The index files of the edition applied by the last format 2 sync, by hash, so the
-- next sync downloads only the index files it has not seen (csec-sync). Replaced in
-- the apply transaction, with the items they list.
CREATE TABLE bundle_indexes (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
) STRICT;
"#,
    r#"
-- The whole index keeps which columns hold a word, not where in them (detail=column):
-- its positions were four fifths of it, 170 MB at 10,000 items, and no query of the
-- body tier needs them (search.rs searches it word by word, never by phrase; it is
-- listed newest first, not ranked).
DROP TABLE items_vocab;
DROP TABLE items_fts;
-- Newest first is lowest rowid first: each item is inserted below the lowest rowid
-- (cache.rs), since FTS5 reads a word's list backwards only by loading all of it
-- (3 ms for a word in every document at 10,000 items, 0.07 ms forwards).
DROP TRIGGER items_au;
UPDATE item_stems SET rowid = -rowid;
UPDATE items SET rowid = -rowid;
CREATE TRIGGER items_au AFTER UPDATE ON items WHEN old.kind <> 'synonyms' BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, number, summary, body, search_extra)
    VALUES ('delete', old.rowid, old.title, old.number, old.summary, old.body, old.search_extra);
    INSERT INTO items_fts(rowid, title, number, summary, body, search_extra)
    VALUES (new.rowid, new.title, new.number, new.summary, new.body, new.search_extra);
    INSERT INTO items_short_fts(items_short_fts, rowid, title, number, summary, search_extra,
                                title_stems, text_stems)
    SELECT 'delete', old.rowid, old.title, old.number, old.summary, old.search_extra,
           s.title_stems, s.text_stems
    FROM item_stems s WHERE s.rowid = old.rowid;
    UPDATE item_stems SET title_stems = csec_stems(new.title, new.lang),
                          text_stems = csec_stems(new.summary || ' ' || new.search_extra, new.lang)
    WHERE rowid = old.rowid;
    INSERT INTO items_short_fts(rowid, title, number, summary, search_extra, title_stems, text_stems)
    SELECT new.rowid, new.title, new.number, new.summary, new.search_extra, s.title_stems, s.text_stems
    FROM item_stems s WHERE s.rowid = new.rowid;
END;
INSERT INTO items_short_fts(items_short_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE items_fts USING fts5(
    title, number, summary, body, search_extra,
    content = 'items_searchable', content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3',
    detail = column
);
INSERT INTO items_fts(items_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE items_vocab USING fts5vocab(items_fts, 'row');
-- And the short index in one segment, as every import now leaves it (OPTIMIZE_SHORT_INDEX).
INSERT INTO items_short_fts(items_short_fts) VALUES ('optimize');
"#,
    r#"
-- The bytes of attachments (attachments.rs), fetched when opened or with updates and
-- checked against the listing in the item's JSON; content, not user data: an import
-- drops what no item lists.
CREATE TABLE attachment_data (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
) STRICT;
"#,
    r#"
-- The search indexes are kept in step by cache.rs (index_item, delete_item), not by
-- triggers: with a trigger every insert was a statement with its own savepoint, at
-- which FTS5 wrote out its pending terms, one tiny segment per item, and an import
-- spent half its time merging them.
DROP TRIGGER items_ai;
DROP TRIGGER items_ad;
DROP TRIGGER items_au;
"#,
    r#"
-- FTS5 keeps an import's terms in memory and writes them out as a segment each time
-- they pass 'hashsize' (1 MB by default), to be merged later. At 2 MB a 1,000-item
-- sync took 6 % less time for 1.4 MB more peak memory (5,000 items: 2.2 MB more);
-- 8 MB saved 12 % at 1,000 items but nothing measurable at 5,000, for 12 MB more.
-- Only the whole index: the short one never holds that much.
INSERT INTO items_fts(items_fts, rank) VALUES ('hashsize', 2097152);
"#,
    r#"
-- User data (never touched by import): the nearby devices ("mirrors") the user
-- added, tried before the publisher (csec-sync).
CREATE TABLE mirrors (
    url TEXT PRIMARY KEY,
    added_at TEXT NOT NULL
) STRICT;
-- User data written by the import it describes, in the same transaction
-- (changes.rs): what each of the last few updates added, changed and removed, for
-- "New since your last update". Cleared with history.
CREATE TABLE updates (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    previous_version INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    source TEXT NOT NULL,
    dismissed INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE update_changes (
    update_id INTEGER NOT NULL REFERENCES updates(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
    -- As the item was (removed) or became: a removed item is no longer in items.
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    lang TEXT NOT NULL,
    translation_of TEXT,
    PRIMARY KEY (update_id, item_id)
) STRICT;
"#,
];

/// Merges the whole index into one segment, dropping what removed items left.
pub(crate) const OPTIMIZE_WHOLE_INDEX: &str = "
INSERT INTO items_fts(items_fts) VALUES ('optimize');
";

/// Merges the short index into one segment. A search looks each of its terms up in
/// every segment (and SQLite re-prepares FTS5's segment lookup each time the segment
/// id moves between 1 and another number), so after a full sync, which leaves a dozen
/// segments, searches were two to four times slower. Merging it costs a fiftieth of
/// the sync (0.6 s at 10,000 items).
pub(crate) const OPTIMIZE_SHORT_INDEX: &str = "
INSERT INTO items_short_fts(items_short_fts) VALUES ('optimize');
";

/// The schema version that added the last table `REFRESH_VOCABULARY` fills (`words` came
/// with 3, `short_terms` with 5).
const SHORT_TERMS_ADDED: usize = 5;

/// Rebuilds the tables copied from the indexes' vocabularies: `words` (plain words
/// of four letters or more in the whole index, for close spellings) and
/// `short_terms` (every term of the short index, for choosing a search strategy),
/// each with how many documents hold it.
pub(crate) const REFRESH_VOCABULARY: &str = "
DELETE FROM words;
INSERT INTO words(term, length, docs)
SELECT term, length(term), doc FROM items_vocab
WHERE length(term) BETWEEN 4 AND 40 AND term NOT GLOB '*[^a-z]*';
DELETE FROM short_terms;
INSERT INTO short_terms(term, docs) SELECT term, doc FROM items_short_vocab;
";

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), EngineError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(EngineError::NewerCache {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    let migrating = current < MIGRATIONS.len();
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    // Tables derived from the index, for content already there; after the last
    // migration, since each refresh fills all of them.
    if current < SHORT_TERMS_ADDED && MIGRATIONS.len() >= SHORT_TERMS_ADDED {
        let tx = conn.transaction()?;
        tx.execute_batch(REFRESH_VOCABULARY)?;
        tx.commit()?;
    }
    // A cache made before incremental vacuum was on keeps its free pages until it is
    // rebuilt once; a new file already has it (`Cache::open`).
    let auto_vacuum: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0))?;
    if migrating && auto_vacuum != INCREMENTAL {
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.execute_batch("VACUUM")?;
    } else if migrating {
        // A migration that rebuilt an index gives the old one's pages back.
        let mut statement = conn.prepare("PRAGMA incremental_vacuum")?;
        let mut rows = statement.query([])?;
        while rows.next()?.is_some() {}
    }
    Ok(())
}

/// `PRAGMA auto_vacuum`'s value for incremental.
const INCREMENTAL: i64 = 2;
