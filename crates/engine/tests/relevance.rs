//! The search relevance suite (`tests/search-relevance.toml`): queries people type,
//! each with the items that must be in the top three, run on the real content.
//! Fails below 95 % and prints the score per category.

use std::collections::BTreeMap;
use std::path::PathBuf;

use csec_engine::Cache;
use csec_engine::commands::dispatch;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

const PASS_AT_LEAST: f64 = 0.95;
const TOP: usize = 3;
const CATEGORIES: &[&str] = &[
    "number",
    "law",
    "county",
    "topic",
    "misspelling",
    "unaccented",
    "plural",
    "synonym",
    "spanish",
    "question",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Suite {
    query: Vec<Query>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    q: String,
    category: String,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    expect_any: Vec<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    my_county: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

fn suite() -> Suite {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/search-relevance.toml");
    let text = std::fs::read_to_string(&path).expect("the suite file");
    toml::from_str(&text).expect("the suite parses")
}

/// The top ids for a query, through the command the UI calls.
fn top(cache: &Cache, query: &Query) -> Vec<String> {
    let mut arguments = json!({ "query": query.q });
    if let Some(lang) = &query.lang {
        arguments["lang"] = json!(lang);
    }
    if let Some(county) = &query.my_county {
        arguments["my_county"] = json!(county);
    }
    let answer = dispatch(cache, "search", arguments, OffsetDateTime::now_utc()).expect("search");
    // Before issue 12 the command answered with the hits alone.
    let hits = match &answer {
        Value::Array(hits) => hits.clone(),
        other => other["hits"].as_array().cloned().unwrap_or_default(),
    };
    hits.iter()
        .take(TOP)
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect()
}

fn passes(query: &Query, top: &[String]) -> bool {
    query.expect.iter().all(|id| top.contains(id))
        && (query.expect_any.is_empty() || query.expect_any.iter().any(|id| top.contains(id)))
}

#[test]
fn every_query_is_well_formed() {
    let suite = suite();
    assert!(suite.query.len() >= 60, "at least 60 queries");
    let content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../content");
    for query in &suite.query {
        assert!(
            CATEGORIES.contains(&query.category.as_str()),
            "{}: category {}",
            query.q,
            query.category
        );
        assert!(
            !query.expect.is_empty() || !query.expect_any.is_empty(),
            "{}: expects nothing",
            query.q
        );
        for id in query.expect.iter().chain(&query.expect_any) {
            let exists = ["md", "toml"]
                .iter()
                .any(|ext| content.join(format!("{id}.{ext}")).exists());
            assert!(exists, "{}: {id} is not in content/", query.q);
        }
    }
    for category in CATEGORIES {
        assert!(
            suite.query.iter().any(|q| q.category == *category),
            "no {category} query"
        );
    }
}

#[test]
fn the_suite_passes_on_the_real_content() {
    let tmp = tempfile::TempDir::new().unwrap();
    let cache = Cache::open(&tmp.path().join("cache.sqlite")).unwrap();
    let suite = suite();
    let mut by_category: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for query in &suite.query {
        let top = top(&cache, query);
        let ok = passes(query, &top);
        let entry = by_category.entry(query.category.as_str()).or_default();
        entry.1 += 1;
        if ok {
            entry.0 += 1;
        } else {
            misses.push(format!("  {:?} ({}): got {top:?}", query.q, query.category));
        }
    }
    let passed: usize = by_category.values().map(|(p, _)| p).sum();
    let score = passed as f64 / suite.query.len() as f64;
    println!(
        "relevance: {passed}/{} = {:.1} %",
        suite.query.len(),
        score * 100.0
    );
    for category in CATEGORIES {
        let (p, n) = by_category.get(category).copied().unwrap_or_default();
        println!(
            "  {category:<12} {p:>3}/{n:<3} {:5.1} %",
            p as f64 * 100.0 / n.max(1) as f64
        );
    }
    println!("misses:\n{}", misses.join("\n"));
    assert!(
        score >= PASS_AT_LEAST,
        "relevance {:.1} % is below {:.0} %",
        score * 100.0,
        PASS_AT_LEAST * 100.0
    );
}
