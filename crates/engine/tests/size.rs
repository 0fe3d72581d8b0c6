//! The cache file holds what it holds, not what it once held: removed and replaced
//! items give their pages back, and sync stages nowhere inside it.

use csec_engine::Cache;
use csec_tests::corpus::{Vocabulary, corpus};
use rusqlite::Connection;

mod common;
use common::import;

/// Pages in use and free pages, read on a second connection after a checkpoint.
fn pages(db: &std::path::Path) -> (i64, i64) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let count = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let free = conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    (count, free)
}

#[test]
fn removing_half_the_items_shrinks_the_file() {
    let tmp = tempfile::TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    let mut cache = Cache::open(&db).unwrap();
    let items = corpus(200, &Vocabulary::zipf(), 0.5);
    import(&mut cache, &items, 1);
    let (full, free) = pages(&db);
    assert_eq!(free, 0, "no free pages after an import");
    // The first half holds half of every kind (the corpus cycles through kinds).
    let half = &items[..items.len() / 2];
    import(&mut cache, half, 2);
    let (after, free) = pages(&db);
    assert_eq!(
        free, 0,
        "the removed items' pages went back to the file system"
    );
    println!("{full} pages with 200 items, {after} after removing half");
    assert!(
        (after as f64) < 0.7 * full as f64,
        "{after} pages after removing half of {full}"
    );
}
