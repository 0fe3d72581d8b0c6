//! The command table: every command answers JSON, and bad calls get errors a person
//! can act on instead of panics.

use csec_engine::commands::{COMMANDS, SYNC_COMMAND, dispatch};
use csec_engine::{Cache, EngineError};
use serde_json::{Value, json};
use tempfile::TempDir;
use time::macros::datetime;

fn fresh() -> (TempDir, Cache) {
    let tmp = TempDir::new().unwrap();
    let cache = Cache::open(&tmp.path().join("cache.sqlite")).unwrap();
    (tmp, cache)
}

fn call(cache: &Cache, command: &str, args: Value) -> Result<Value, EngineError> {
    dispatch(cache, command, args, datetime!(2026-11-28 12:00 UTC))
}

/// A valid call for each command.
fn sample(command: &str) -> Value {
    match command {
        "search" => json!({ "query": "SB 855" }),
        "list" => json!({ "kind": "guidance", "sort": "number" }),
        "item" | "bookmark_remove" => json!({ "id": "guidance/acl-16-49" }),
        "county" => json!({ "name": "Fresno" }),
        "bookmark_add" => json!({ "id": "guidance/acl-16-49", "note": "for court" }),
        "recent" => json!({ "limit": 5 }),
        "settings_set" => json!({ "key": "language", "value": "es" }),
        "mirror_add" | "mirror_remove" => json!({ "url": "http://192.168.1.20:8787/" }),
        _ => json!({}),
    }
}

#[test]
fn every_command_answers_its_sample_call() {
    let (_tmp, cache) = fresh();
    for command in COMMANDS.iter().filter(|c| **c != SYNC_COMMAND) {
        let answer = call(&cache, command, sample(command));
        assert!(answer.is_ok(), "{command}: {answer:?}");
    }
    // Sync needs the network and a runtime: the shells run it, never dispatch.
    assert!(matches!(
        call(&cache, SYNC_COMMAND, json!({})),
        Err(EngineError::BadArguments { .. })
    ));
    let status = call(&cache, "sync_status", json!({})).unwrap();
    assert_eq!(
        (status["version"].as_u64(), status["built_in"].as_bool()),
        (Some(0), Some(true))
    );
}

#[test]
fn commands_answer_what_the_screens_need() {
    let (_tmp, cache) = fresh();
    let home = call(&cache, "home", Value::Null).unwrap();
    assert_eq!(home["counts"]["county"], 58);
    assert_eq!(
        home["stale"], false,
        "the built-in content was reviewed recently"
    );
    let found = call(&cache, "search", sample("search")).unwrap();
    assert_eq!(found["hits"][0]["id"], "timeline/2014-sb-855");
    assert!(found["also_searched"].is_array() && found["close_spellings"].is_array());
    let item = call(&cache, "item", sample("item")).unwrap();
    assert!(item["html"].as_str().unwrap().contains("<p>"));
    let recent = call(&cache, "recent", json!({})).unwrap();
    assert_eq!(
        recent[0]["id"], "guidance/acl-16-49",
        "opening an item records it"
    );
    let marks = call(&cache, "bookmark_add", sample("bookmark_add")).unwrap();
    assert_eq!(marks[0]["note"], "for court");
    let settings = call(
        &cache,
        "settings_set",
        json!({ "key": "theme", "value": "dark" }),
    )
    .unwrap();
    assert_eq!(settings["theme"], "dark");
    assert_eq!(settings["history"], "on");
    call(&cache, "quick_exit", json!({})).unwrap();
    assert_eq!(call(&cache, "recent", json!({})).unwrap(), json!([]));
    assert_eq!(
        call(&cache, "bookmarks", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1,
        "quick exit keeps bookmarks"
    );
    let county = call(&cache, "county", json!({ "name": "san luis obispo" })).unwrap();
    assert_eq!(county["fips"], "06079");
}

#[test]
fn bad_calls_are_errors_not_panics() {
    let (_tmp, cache) = fresh();
    assert!(matches!(
        call(&cache, "format_disk", json!({})),
        Err(EngineError::UnknownCommand(_))
    ));
    for (command, args) in [
        ("item", json!({})),
        ("item", json!({ "id": 7 })),
        ("home", json!({ "extra": true })),
        ("search", json!({ "query": "x", "kind": "memo" })),
        ("list", json!({ "sort": "random" })),
        ("settings_set", json!({ "key": "theme", "value": "purple" })),
        (
            "settings_set",
            json!({ "key": "sync_source", "value": "http://example.org" }),
        ),
        ("settings_set", json!({ "key": "password", "value": "x" })),
        ("search", json!("just a string")),
    ] {
        let answer = call(&cache, command, args.clone());
        assert!(
            matches!(answer, Err(EngineError::BadArguments { .. })),
            "{command} {args}: {answer:?}"
        );
    }
    let missing = call(&cache, "item", json!({ "id": "guidance/acl-99-99" })).unwrap_err();
    assert!(
        missing.to_string().contains("guidance/acl-99-99"),
        "{missing}"
    );
}
