//! The reader's commands on a fresh cache, with no network: the content compiled
//! into the binary is there from the first run.

use csec_tests::csec;
use tempfile::TempDir;

#[test]
fn search_on_a_fresh_cache_finds_sb_855_first() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("new/cache.sqlite");
    let run = csec(&[&"search", &"SB 855", &"--db", &db, &"--json"]).ok();
    let hits: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(hits[0]["id"], "timeline/2014-sb-855", "{}", run.stdout);
    for field in ["id", "kind", "title", "snippet"] {
        assert!(hits[0][field].is_string(), "{field}: {}", run.stdout);
    }
    assert!(db.exists(), "the cache was created");
}

#[test]
fn search_filters_by_kind_and_explains_a_bad_one() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    let run = csec(&[
        &"search",
        &"CSEC",
        &"--db",
        &db,
        &"--kind",
        &"guidance",
        &"--json",
    ])
    .ok();
    let hits: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        !hits.is_empty() && hits.iter().all(|h| h["kind"] == "guidance"),
        "{}",
        run.stdout
    );
    let run = csec(&[&"search", &"CSEC", &"--db", &db, &"--kind", &"memo"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("--kind \"memo\" is not one of"),
        "{}",
        run.stderr
    );
}
