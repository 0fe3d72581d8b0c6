//! Search on a real SQLite file seeded from the compiled-in content.

use csec_bundle::{Details, EventType, Item, Kind, ObjectEntry, sha256_hex};
use csec_engine::{Cache, ContentMeta, SearchRequest};
use tempfile::TempDir;

mod common;
use common::import;

fn fresh() -> (TempDir, Cache) {
    let tmp = TempDir::new().unwrap();
    let cache = Cache::open(&tmp.path().join("cache.sqlite")).unwrap();
    (tmp, cache)
}

fn search(cache: &Cache, query: &str) -> Vec<String> {
    cache
        .search(&SearchRequest {
            query: query.into(),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn a_fresh_cache_holds_the_built_in_content() {
    let (_tmp, cache) = fresh();
    let meta = cache.meta().unwrap().unwrap();
    assert_eq!(meta.version, csec_engine::SEED_VERSION);
    assert_eq!(
        search(&cache, "Fresno").first().map(String::as_str),
        Some("counties/fresno")
    );
}

#[test]
fn sb_855_comes_first() {
    let (_tmp, cache) = fresh();
    assert_eq!(
        search(&cache, "SB 855").first().map(String::as_str),
        Some("timeline/2014-sb-855")
    );
}

#[test]
fn guidance_numbers_are_found_however_they_are_typed() {
    let (_tmp, cache) = fresh();
    for typed in ["ACL 16-49", "acl 16-49", "16-49", "acl16-49", "ACL16-49"] {
        let hits = search(&cache, typed);
        assert_eq!(
            hits.first().map(String::as_str),
            Some("guidance/acl-16-49"),
            "{typed}: {hits:?}"
        );
    }
    let hits = search(&cache, "ACIN I-23-15");
    assert_eq!(
        hits.first().map(String::as_str),
        Some("guidance/acin-i-23-15"),
        "{hits:?}"
    );
}

#[test]
fn prefixes_find_words_as_they_are_typed() {
    let (_tmp, cache) = fresh();
    assert!(search(&cache, "Fres").contains(&"counties/fresno".to_string()));
    assert!(search(&cache, "san luis ob").contains(&"counties/san-luis-obispo".to_string()));
}

#[test]
fn accents_and_case_do_not_matter() {
    let (_tmp, mut cache) = fresh();
    let item = Item {
        id: "timeline/policia".into(),
        title: "Protocolo con la policía".into(),
        date: Some("2020".into()),
        updated: None,
        summary: "Resumen en español.".into(),
        sources: vec![],
        related: vec![],
        body: "Cuerpo".into(),
        lang: Default::default(),
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    };
    let bytes = item.to_bytes();
    let entries = vec![ObjectEntry {
        id: item.id.clone(),
        kind: Kind::Timeline,
        sha256: sha256_hex(&bytes),
        size: bytes.len() as u64,
    }];
    let meta = ContentMeta {
        version: 1,
        published: "2026-01-01T00:00:00Z".into(),
        expires: None,
        reviewed: None,
    };
    cache.apply(&meta, &entries, |_| Ok(item.clone())).unwrap();
    for typed in ["policia", "POLICÍA", "Policía", "polic"] {
        assert_eq!(
            search(&cache, typed),
            vec!["timeline/policia".to_string()],
            "{typed}"
        );
    }
}

#[test]
fn snippets_are_escaped_html_with_marks() {
    let (_tmp, cache) = fresh();
    let hits = cache
        .search(&SearchRequest {
            query: "trafficking".into(),
            ..Default::default()
        })
        .unwrap();
    let hit = hits
        .iter()
        .find(|h| h.id == "resources/national-human-trafficking-hotline")
        .unwrap();
    assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);
    assert!(
        !hit.snippet
            .replace("<mark>", "")
            .replace("</mark>", "")
            .contains('<')
    );
}

#[test]
fn filters_narrow_the_results() {
    let (_tmp, cache) = fresh();
    let req = |kind, year| SearchRequest {
        query: "CSEC".into(),
        kind,
        year,
        limit: Some(200),
        ..Default::default()
    };
    let guidance = cache.search(&req(Some(Kind::Guidance), None)).unwrap();
    assert!(!guidance.is_empty() && guidance.iter().all(|h| h.kind == "guidance"));
    let in_2016 = cache.search(&req(None, Some(2016))).unwrap();
    assert!(
        !in_2016.is_empty()
            && in_2016
                .iter()
                .all(|h| h.date.as_deref().unwrap_or("").starts_with("2016"))
    );
}

#[test]
fn no_typed_string_is_an_error() {
    let (_tmp, cache) = fresh();
    let long = "ACL ".repeat(2500);
    let hostile = [
        "",
        " ",
        "\"",
        "\"\"",
        "'",
        "*",
        "**",
        "-",
        "--",
        "+",
        "^",
        ":",
        "(",
        ")",
        "((",
        "))",
        "[",
        "]",
        "{",
        "}",
        "NEAR",
        "NEAR(",
        "NEAR(a b, 2)",
        // A letter Rust counts as alphanumeric and FTS5's tokenizer does not (a
        // Devanagari vowel sign): one word to us, a phrase to FTS5.
        "ka\u{0903}b",
        "ka\u{0903}b runaway",
        "a OR",
        "OR",
        "AND",
        "NOT",
        "a NOT b",
        "a AND OR b",
        "col:term",
        "title:x",
        "{title number}: x",
        "\"unbalanced",
        "a\"b\"c",
        "x*",
        "*x",
        "a - b",
        "-a",
        "🙂",
        "👩‍👧‍👦 trafficking",
        "\u{0}",
        "\u{E000}mark\u{E001}",
        "\\",
        "%",
        "_",
        ";DROP TABLE items;--",
        "' OR 1=1 --",
        "\t\n\r",
        "ACL 16-49)",
        &long,
        "ß",
        "İstanbul",
        "ﬁ",
        "Ⅻ",
        "١٢٣",
        "日本語",
        "a\u{301}",
        "\u{202e}reversed",
    ];
    assert!(hostile.len() >= 40);
    for input in hostile {
        let result = cache.search(&SearchRequest {
            query: input.to_string(),
            ..Default::default()
        });
        assert!(result.is_ok(), "{input:?}: {result:?}");
    }
}

#[test]
fn the_county_filter_searches_one_county() {
    let (_tmp, cache) = fresh();
    let request = |county: &str| SearchRequest {
        query: "hotline".into(),
        county: Some(county.into()),
        ..Default::default()
    };
    for county in ["fresno", "Fresno", "FRESNO County"] {
        let hits = cache.search(&request(county)).unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["counties/fresno"], "{county}");
    }
    assert!(cache.search(&request("gotham")).unwrap().is_empty());
}

#[test]
fn words_only_in_the_body_are_found_after_better_matches() {
    let (_tmp, mut cache) = fresh();
    let item = |id: &str, title: &str, body: &str| Item {
        id: id.into(),
        title: title.into(),
        date: Some("2020".into()),
        updated: None,
        summary: "Summary.".into(),
        sources: vec![],
        related: vec![],
        body: body.into(),
        lang: Default::default(),
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    };
    let items = [
        item(
            "timeline/in-body",
            "Unrelated title",
            "The word zanzibarite appears only here.",
        ),
        item("timeline/in-title", "Zanzibarite in the title", "Nothing."),
    ];
    import(&mut cache, &items, 1);
    assert_eq!(
        search(&cache, "zanzibarite"),
        vec!["timeline/in-title", "timeline/in-body"]
    );
    assert_eq!(
        search(&cache, "zanzib"),
        vec!["timeline/in-title", "timeline/in-body"]
    );
}

#[test]
fn body_matches_list_the_newest_import_first() {
    let (_tmp, mut cache) = fresh();
    let item = |id: &str| Item {
        id: id.into(),
        title: "Unrelated title".into(),
        date: Some("2020".into()),
        updated: None,
        summary: "Summary.".into(),
        sources: vec![],
        related: vec![],
        body: "The word zanzibarite appears in the body.".into(),
        lang: Default::default(),
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    };
    import(&mut cache, &[item("timeline/older")], 1);
    import(
        &mut cache,
        &[item("timeline/older"), item("timeline/newer")],
        2,
    );
    import(
        &mut cache,
        &[
            item("timeline/older"),
            item("timeline/newer"),
            item("timeline/newest"),
        ],
        3,
    );
    assert_eq!(
        search(&cache, "zanzibarite"),
        vec!["timeline/newest", "timeline/newer", "timeline/older"]
    );
}

#[test]
fn a_word_in_over_a_thousand_documents_is_listed_without_ranking() {
    let (_tmp, mut cache) = fresh();
    let items: Vec<Item> = (0..1_100)
        .map(|n| Item {
            id: format!("timeline/t-{n}"),
            title: format!("Everywhere word {n}"),
            date: Some("2020".into()),
            updated: None,
            summary: if n == 7 {
                "Rare quokka.".into()
            } else {
                "Common.".into()
            },
            sources: vec![],
            related: vec![],
            body: String::new(),
            lang: Default::default(),
            translation_of: None,
            attachments: Vec::new(),
            details: Details::Timeline {
                event_type: EventType::Event,
            },
        })
        .collect();
    let entries: Vec<ObjectEntry> = items.iter().map(|i| ObjectEntry::for_item(i).0).collect();
    let meta = ContentMeta {
        version: 1,
        published: "2026-01-01T00:00:00Z".into(),
        expires: None,
        reviewed: None,
    };
    let mut bodies = items.clone().into_iter();
    cache
        .apply(&meta, &entries, |_| Ok(bodies.next().unwrap()))
        .unwrap();
    // Unranked (every document has it): still a full page of real matches, with marks.
    let hits = cache
        .search(&SearchRequest {
            query: "everywhere".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 20);
    assert!(hits.iter().all(|h| h.title.starts_with("Everywhere")));
    // A rare word with a common one is ranked, and found.
    assert_eq!(
        search(&cache, "everywhere quokka"),
        vec!["timeline/t-7".to_string()]
    );
    assert_eq!(
        search(&cache, "ev").len(),
        20,
        "a short prefix over everything"
    );
}

#[test]
fn the_readers_own_county_comes_first_when_it_matches() {
    let (_tmp, cache) = fresh();
    let search = |query: &str, mine: Option<&str>| -> Vec<String> {
        cache
            .search(&SearchRequest {
                query: query.into(),
                my_county: mine.map(String::from),
                limit: Some(20),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    let anyone = search("child abuse hotline", None);
    assert_ne!(
        anyone.first().map(String::as_str),
        Some("counties/kern"),
        "{anyone:?}"
    );
    let mine = search("child abuse hotline", Some("kern"));
    assert_eq!(mine[0], "counties/kern", "{mine:?}");
    assert_eq!(mine.iter().filter(|id| *id == "counties/kern").count(), 1);
    // A query the county page does not match is left alone.
    assert_eq!(search("SB 855", Some("kern")), search("SB 855", None));
}

fn search_as(cache: &Cache, query: &str, lang: &str) -> csec_engine::SearchResults {
    cache
        .search_with_notes(&SearchRequest {
            query: query.into(),
            lang: Some(lang.into()),
            ..Default::default()
        })
        .unwrap()
}

fn first(cache: &Cache, query: &str, lang: &str) -> String {
    let found = search_as(cache, query, lang);
    found.hits.first().map(|h| h.id.clone()).unwrap_or_default()
}

#[test]
fn the_five_queries_of_issue_12_put_the_right_item_first() {
    let (_tmp, cache) = fresh();
    let trafficing = first(&cache, "trafficing", "en");
    assert!(
        [
            "resources/national-human-trafficking-hotline",
            "resources/trafficking-and-crime-victims-assistance-program"
        ]
        .contains(&trafficing.as_str()),
        "trafficing: {trafficing}"
    );
    // Spanish readers: the Spanish guide on exploitation's warning signs or reporting.
    let explotacion = first(&cache, "explotacion", "es");
    assert!(
        ["guides/warning-signs-es", "guides/how-to-report-es"].contains(&explotacion.as_str()),
        "explotacion: {explotacion}"
    );
    assert_eq!(first(&cache, "runaway youth", "en"), "guides/youth-missing");
    let guias = first(&cache, "guias", "es");
    assert!(
        guias.starts_with("guides/") && guias.ends_with("-es"),
        "guias: {guias}"
    );
    assert_eq!(first(&cache, "sb855", "en"), "timeline/2014-sb-855");
}

#[test]
fn a_misspelling_is_searched_by_its_close_spelling_with_did_you_mean() {
    let (_tmp, cache) = fresh();
    let found = search_as(&cache, "trafficing", "en");
    assert_eq!(found.did_you_mean.as_deref(), Some("trafficking"));
    assert_eq!(found.close_spellings, vec!["trafficking"]);
    let top3: Vec<&str> = found.hits.iter().take(3).map(|h| h.id.as_str()).collect();
    assert!(
        top3.contains(&"resources/national-human-trafficking-hotline"),
        "{top3:?}"
    );
    // Spelt right: no suggestion, no close spellings.
    let right = search_as(&cache, "trafficking", "en");
    assert_eq!(right.did_you_mean, None);
    assert!(right.close_spellings.is_empty());
    assert!(
        right.also_searched.iter().any(|t| t == "trata"),
        "{:?}",
        right.also_searched
    );
}

#[test]
fn letter_numbers_are_never_corrected() {
    let (_tmp, cache) = fresh();
    // ACL 16-48 does not exist; 16-49 does, one digit away. It must not be offered.
    for typed in ["ACL 16-48", "16-48", "acl1648"] {
        let found = search_as(&cache, typed, "en");
        assert!(
            found
                .hits
                .iter()
                .all(|h| h.number.as_deref() != Some("ACL 16-49")),
            "{typed}: {:?}",
            found.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
        );
        assert_eq!(found.did_you_mean, None, "{typed}");
        assert!(found.close_spellings.is_empty(), "{typed}");
    }
}

#[test]
fn exact_matches_come_before_close_spellings() {
    let (_tmp, cache) = fresh();
    let found = search_as(&cache, "warnng signs", "en");
    assert_eq!(
        found.hits.first().map(|h| h.id.as_str()),
        Some("guides/warning-signs")
    );
    assert_eq!(found.did_you_mean.as_deref(), Some("warning signs"));
}

#[test]
fn a_current_letter_comes_before_a_superseded_one_for_the_same_words() {
    let (_tmp, mut cache) = fresh();
    let letter = |id: &str, number: &str, status: csec_bundle::GuidanceStatus| Item {
        id: id.into(),
        // The superseded one has the words twice, so bm25 alone would put it first.
        title: format!("{number}: quokkaline placement quokkaline"),
        date: Some("2020-01-01".into()),
        updated: None,
        summary: "Quokkaline.".into(),
        sources: vec![],
        related: vec![],
        body: String::new(),
        lang: Default::default(),
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Guidance {
            number: number.into(),
            guidance_type: csec_bundle::GuidanceType::Acl,
            status,
            superseded_by: None,
            status_note: None,
        },
    };
    let mut current = letter(
        "guidance/acl-99-02",
        "ACL 99-02",
        csec_bundle::GuidanceStatus::Current,
    );
    current.title = "ACL 99-02: quokkaline".into();
    let items = [
        letter(
            "guidance/acl-99-01",
            "ACL 99-01",
            csec_bundle::GuidanceStatus::Superseded,
        ),
        current,
    ];
    import(&mut cache, &items, 1);
    assert_eq!(
        search(&cache, "quokkaline"),
        vec!["guidance/acl-99-02", "guidance/acl-99-01"]
    );
}

#[test]
fn questions_put_practice_guides_first() {
    let (_tmp, cache) = fresh();
    assert_eq!(
        first(&cache, "what do I do if a youth goes missing", "en"),
        "guides/youth-missing"
    );
    assert_eq!(
        first(&cache, "how do I report trafficking", "en"),
        "guides/how-to-report"
    );
}

#[test]
fn synonyms_take_effect_with_the_import_that_brings_them() {
    let (_tmp, mut cache) = fresh();
    let entry = Item {
        id: "timeline/wallaby".into(),
        title: "The wallaby programme".into(),
        date: Some("2020".into()),
        updated: None,
        summary: "Summary.".into(),
        sources: vec![],
        related: vec![],
        body: String::new(),
        lang: Default::default(),
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    };
    let synonyms = Item {
        id: "synonyms/terms".into(),
        title: "Synonyms".into(),
        summary: "S.".into(),
        date: None,
        details: Details::Synonyms {
            groups: vec![csec_bundle::SynonymGroup {
                terms: vec!["quokka".into(), "wallaby".into()],
            }],
        },
        ..entry.clone()
    };
    import(&mut cache, &[entry.clone(), synonyms], 1);
    let found = cache
        .search_with_notes(&SearchRequest {
            query: "quokka".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        found.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec!["timeline/wallaby"]
    );
    assert_eq!(found.also_searched, vec!["wallaby"]);
    // The synonyms item itself is never a result.
    assert!(
        search(&cache, "synonyms")
            .iter()
            .all(|id| !id.starts_with("synonyms/"))
    );
    import(&mut cache, &[entry], 2);
    assert!(
        search(&cache, "quokka").is_empty(),
        "the synonyms are gone with their item"
    );
}
