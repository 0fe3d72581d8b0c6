//! The list screens' queries on a cache seeded from the built-in content.

use csec_bundle::{Kind, Lang, Role};
use csec_engine::{Cache, ListRequest, Sort};
use tempfile::TempDir;
use time::macros::datetime;

fn fresh() -> (TempDir, Cache) {
    let tmp = TempDir::new().unwrap();
    let cache = Cache::open(&tmp.path().join("cache.sqlite")).unwrap();
    (tmp, cache)
}

fn list(cache: &Cache, request: ListRequest) -> Vec<String> {
    cache
        .list(&request)
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.id)
        .collect()
}

/// The day `content/edition.toml` says the built-in content was last reviewed.
fn reviewed() -> time::Date {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../content/edition.toml"
    ))
    .unwrap();
    let day = text.split('"').nth(1).unwrap();
    time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap()
}

#[test]
fn home_counts_every_kind_once_whatever_the_translations() {
    let (_tmp, cache) = fresh();
    let home = cache
        .home(datetime!(2026-11-28 12:00 UTC), Lang::En)
        .unwrap();
    assert_eq!(home.counts["county"], 58);
    assert!(home.counts["guidance"] >= 16 && home.counts["timeline"] >= 22);
    assert_eq!(home.recently_updated.len(), 5);
    let dates: Vec<_> = home
        .recently_updated
        .iter()
        .map(|i| i.date.clone())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let spanish = cache
        .home(datetime!(2026-11-28 12:00 UTC), Lang::Es)
        .unwrap();
    assert_eq!(
        spanish.counts, home.counts,
        "a translation is not a second item"
    );
    assert!(home.built_in);
    assert!(home.last_sync.is_none());
}

#[test]
fn age_and_staleness_come_from_the_publishers_review_not_the_newest_letter() {
    let (_tmp, cache) = fresh();
    let day = reviewed();
    let same_day = cache
        .home(day.with_hms(12, 0, 0).unwrap().assume_utc(), Lang::En)
        .unwrap();
    assert_eq!(same_day.reviewed.as_deref(), Some(day.to_string().as_str()));
    assert_eq!(same_day.age_days, Some(0));
    assert!(!same_day.stale, "content reviewed today is not out of date");
    let later = (day + time::Duration::days(91)).midnight().assume_utc();
    let home = cache.home(later, Lang::En).unwrap();
    assert_eq!(home.age_days, Some(91));
    assert!(home.stale, "91 days after the last review the app warns");
}

#[test]
fn the_timeline_runs_oldest_first_in_year_groups() {
    let (_tmp, cache) = fresh();
    let timeline = cache
        .list(&ListRequest {
            kind: Some(Kind::Timeline),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        timeline.items[0].id,
        "timeline/2006-ab-2216-child-welfare-council"
    );
    let years: Vec<i64> = timeline.years.iter().filter_map(|g| g.year).collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "{years:?}");
    assert_eq!(
        timeline.years.iter().map(|g| g.items.len()).sum::<usize>(),
        timeline.items.len()
    );
    let laws = list(
        &cache,
        ListRequest {
            kind: Some(Kind::Timeline),
            item_type: Some("federal-law".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        laws,
        vec![
            "timeline/2014-pl-113-183",
            "timeline/2015-pl-114-22",
            "timeline/2024-pl-118-65"
        ]
    );
}

#[test]
fn guidance_filters_by_type_year_and_status_and_sorts_by_number() {
    let (_tmp, cache) = fresh();
    let req = |item_type: Option<&str>, year, sort| ListRequest {
        kind: Some(Kind::Guidance),
        item_type: item_type.map(String::from),
        year,
        sort,
        ..Default::default()
    };
    let acins = list(&cache, req(Some("ACIN"), None, Sort::Number));
    assert_eq!(
        acins,
        vec![
            "guidance/acin-i-07-15",
            "guidance/acin-i-16-24",
            "guidance/acin-i-17-21",
            "guidance/acin-i-17-21e",
            "guidance/acin-i-21-16",
            "guidance/acin-i-23-15"
        ]
    );
    let fiscal = list(&cache, req(Some("CFL"), None, Sort::Number));
    assert_eq!(
        fiscal,
        vec!["guidance/cfl-14-15-32", "guidance/cfl-16-17-73"]
    );
    let by_number = list(&cache, req(Some("ACL"), None, Sort::Number));
    let pos = |id: &str| by_number.iter().position(|i| i == id).unwrap();
    assert!(pos("guidance/acl-18-109") > pos("guidance/acl-17-71"));
    assert!(pos("guidance/acl-23-76e") == pos("guidance/acl-23-76") + 1);
    let in_2016 = list(&cache, req(None, Some(2016), Sort::Date));
    assert!(
        in_2016.contains(&"guidance/acl-16-49".to_string()) && in_2016.len() >= 6,
        "{in_2016:?}"
    );
    let newest_first = list(&cache, req(None, None, Sort::Date));
    assert_eq!(newest_first[0], "guidance/acl-25-67");
    let partly = list(
        &cache,
        ListRequest {
            kind: Some(Kind::Guidance),
            status: Some("partly-superseded".into()),
            ..Default::default()
        },
    );
    assert_eq!(partly, vec!["guidance/acl-15-49"]);
    let superseded = list(
        &cache,
        ListRequest {
            kind: Some(Kind::Guidance),
            status: Some("superseded".into()),
            ..Default::default()
        },
    );
    assert!(superseded.is_empty());
}

#[test]
fn counties_list_all_58_and_group_contacts_by_role() {
    let (_tmp, cache) = fresh();
    let counties = cache.counties().unwrap();
    assert_eq!(counties.len(), 58);
    assert_eq!(counties[0].name, "Alameda");
    assert!(
        counties.iter().all(|c| c.unverified == 0),
        "the built-in content carries no placeholder contact"
    );
    assert!(counties.iter().filter(|c| c.agencies > 0).count() >= 40);
    let fresno = cache.county("fresno").unwrap();
    assert_eq!(
        (fresno.name.as_str(), fresno.fips.as_str()),
        ("Fresno", "06019")
    );
    let roles: Vec<Role> = fresno.roles.iter().map(|g| g.role).collect();
    assert_eq!(
        roles,
        Role::REQUIRED.to_vec(),
        "required roles in statute order"
    );
    assert!(fresno.roles.iter().all(|g| g.required));
    let with_contacts: Vec<Role> = fresno
        .roles
        .iter()
        .filter(|g| !g.agencies.is_empty())
        .map(|g| g.role)
        .collect();
    assert_eq!(
        with_contacts,
        vec![Role::ChildWelfare],
        "a role with no verified contact is listed, empty"
    );
    assert!(cache.county("counties/fresno").is_ok());
    assert!(cache.county("gotham").is_err());
}

#[test]
fn the_hotline_is_a_verified_resource() {
    let (_tmp, cache) = fresh();
    let resources = cache.resources(Lang::En).unwrap();
    let hotline = resources
        .iter()
        .find(|r| r.id == "resources/national-human-trafficking-hotline")
        .unwrap();
    assert!(hotline.resource.contact.verified);
    assert!(
        hotline
            .resource
            .contact
            .phones
            .iter()
            .any(|p| p.number == "1-888-373-7888")
    );
}

#[test]
fn the_reader_gets_the_version_in_their_language_and_search_finds_both() {
    let (_tmp, cache) = fresh();
    let guides = |lang| {
        list(
            &cache,
            ListRequest {
                kind: Some(Kind::Guide),
                lang,
                ..Default::default()
            },
        )
    };
    let english = guides(Lang::En);
    let spanish = guides(Lang::Es);
    assert_eq!(english.len(), spanish.len(), "one row per guide");
    assert_eq!(
        english[0], "guides/youth-missing",
        "the most urgent guide first"
    );
    assert!(spanish.iter().all(|id| id.ends_with("-es")), "{spanish:?}");
    // Letters have no Spanish version: a Spanish reader gets the English ones.
    let letters = cache
        .list(&ListRequest {
            kind: Some(Kind::Guidance),
            lang: Lang::Es,
            ..Default::default()
        })
        .unwrap();
    assert!(letters.items.iter().all(|i| i.lang == "en"));

    let view = cache
        .item_for_reader("guides/youth-missing", Some(Lang::Es))
        .unwrap();
    assert_eq!(view.id, "guides/youth-missing-es");
    assert_eq!(view.lang, "es");
    let others: Vec<(&str, &str)> = view
        .translations
        .iter()
        .map(|t| (t.id.as_str(), t.lang.as_str()))
        .collect();
    assert_eq!(others, vec![("guides/youth-missing", "en")]);
    let back = cache
        .item_for_reader("guides/youth-missing-es", Some(Lang::En))
        .unwrap();
    assert_eq!(back.id, "guides/youth-missing");
    let letter = cache
        .item_for_reader("guidance/acl-25-67", Some(Lang::Es))
        .unwrap();
    assert_eq!(
        (letter.id.as_str(), letter.lang.as_str()),
        ("guidance/acl-25-67", "en")
    );
    assert!(letter.translations.is_empty());

    let search = |query: &str| {
        cache
            .search(&csec_engine::SearchRequest {
                query: query.into(),
                limit: Some(50),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|h| (h.id, h.lang))
            .collect::<Vec<_>>()
    };
    let hits = search("desaparecido");
    assert!(
        hits.contains(&("guides/youth-missing-es".into(), "es".into())),
        "{hits:?}"
    );
    let hits = search("missing");
    assert!(
        hits.iter().any(|(id, _)| id == "guides/youth-missing"),
        "{hits:?}"
    );
}
