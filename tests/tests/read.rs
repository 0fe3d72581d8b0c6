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

#[test]
fn show_gives_sanitised_html_sources_and_related_items_both_ways() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    let run = csec(&[&"show", &"guidance/acl-16-49", &"--db", &db, &"--json"]).ok();
    let view: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
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
    assert!(html.contains("class=\"external\""), "{html}");
    assert!(
        view["item"]["sources"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let related: Vec<&str> = view["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(related.contains(&"timeline/2016-acl-16-49"), "{related:?}");
    // guidance/acl-18-109 does not list ACL 16-69, but ACL 16-69 lists it: the link
    // shows on both pages.
    let run = csec(&[&"show", &"guidance/acl-18-109", &"--db", &db, &"--json"]).ok();
    let view: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let listed = view["item"]["related"].as_array().unwrap();
    assert!(
        !listed.iter().any(|r| r == "guidance/acl-16-69"),
        "the premise holds: {listed:?}"
    );
    let related: Vec<&str> = view["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(related.contains(&"guidance/acl-16-69"), "{related:?}");
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
fn contacts_accept_a_county_in_any_form_and_mark_placeholders() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    for name in ["Fresno", "fresno", "FRESNO"] {
        let run = csec(&[&"contacts", &name, &"--db", &db, &"--json"]).ok();
        let agencies: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(agencies.len(), 7, "{name}: {}", run.stdout);
        assert!(agencies.iter().all(|a| a["verified"] == false));
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
            run.stdout.contains("probation: ") && !run.stdout.contains("sheriff: "),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("UNVERIFIED"), "{}", run.stdout);
    }
    let run = csec(&[&"contacts", &"Gotham", &"--db", &db]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("not a California county"),
        "{}",
        run.stderr
    );
}
