//! The reader's commands on a fresh cache, with no network: the content compiled
//! into the binary is there from the first run.

use csec_tests::csec;
use tempfile::TempDir;

#[test]
fn search_on_a_fresh_cache_finds_sb_855_first() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("new/cache.sqlite");
    let run = csec(&[&"search", &"SB 855", &"--db", &db, &"--json"]).ok();
    let hits = run.json();
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
    let json = run.json();
    let hits = json.as_array().expect("a list of hits");
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

/// The ids in an item view's `related` list.
fn related_ids(view: &serde_json::Value) -> Vec<String> {
    view["related"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|r| r["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn show_gives_sanitised_html_sources_and_related_items_both_ways() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    let run = csec(&[&"show", &"guidance/acl-16-49", &"--db", &db, &"--json"]).ok();
    let view = run.json();
    assert_eq!(
        view["title"].as_str().map(|t| t.starts_with("ACL 16-49")),
        Some(true)
    );
    assert_eq!(view["date"], "2016-05-23");
    let html = view["html"].as_str().unwrap();
    assert!(
        html.contains("href=\"#/item/guidance/acl-15-49\""),
        "internal links are app routes: {html}"
    );
    assert!(
        html.contains("href=\"https://cdss.ca.gov/")
            && html.contains("rel=\"noopener noreferrer\""),
        "external links keep their URL: {html}"
    );
    assert!(
        view["item"]["sources"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let related = related_ids(&view);
    assert!(
        related.iter().any(|id| id == "timeline/2016-acl-16-49"),
        "{related:?}"
    );
    // guidance/acl-18-109 does not list ACL 15-48, but ACL 15-48 lists it: the link
    // shows on both pages.
    let run = csec(&[&"show", &"guidance/acl-18-109", &"--db", &db, &"--json"]).ok();
    let view = run.json();
    let listed = view["item"]["related"].as_array().unwrap();
    assert!(
        !listed.iter().any(|r| r == "guidance/acl-15-48"),
        "the premise holds: {listed:?}"
    );
    let related = related_ids(&view);
    assert!(
        related.iter().any(|id| id == "guidance/acl-15-48"),
        "{related:?}"
    );
}

#[test]
fn show_of_an_unknown_id_is_one_plain_sentence() {
    let tmp = TempDir::new().unwrap();
    let run = csec(&[
        &"show",
        &"guidance/acl-99-99",
        &"--db",
        &tmp.path().join("c.sqlite"),
    ]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("no item guidance/acl-99-99"),
        "{}",
        run.stderr
    );
}

#[test]
fn contacts_accept_a_county_in_any_form_and_say_what_to_do_without_one() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    for name in ["Fresno", "fresno", "FRESNO"] {
        let run = csec(&[&"contacts", &name, &"--db", &db, &"--json"]).ok();
        let json = run.json();
        let agencies = json.as_array().expect("a list of agencies");
        assert_eq!(agencies.len(), 1, "{name}: {}", run.stdout);
        assert!(agencies.iter().all(|a| a["verified"] == true));
    }
    for name in ["san-luis-obispo", "San Luis Obispo"] {
        let run = csec(&[&"contacts", &name, &"--db", &db, &"--role", &"probation"]).ok();
        assert!(
            run.stdout
                .starts_with("San Luis Obispo County (FIPS 06079)"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains(
                "probation: no verified contact yet; call the county's child abuse hotline"
            ) && !run.stdout.contains("sheriff: "),
            "{}",
            run.stdout
        );
    }
    let run = csec(&[&"contacts", &"Fresno", &"--db", &db]).ok();
    assert!(
        run.stdout
            .contains("(559) 600-8320 (hotline, 24 hours, 7 days)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("checked 2026-12-01"), "{}", run.stdout);
    assert!(!run.stdout.contains("UNVERIFIED"), "{}", run.stdout);
    let run = csec(&[&"contacts", &"Gotham", &"--db", &db]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("not a California county"),
        "{}",
        run.stderr
    );
}
