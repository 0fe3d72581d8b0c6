//! The list screens' queries on a cache seeded from the built-in content.

use csec_bundle::{Kind, Role};
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

#[test]
fn home_counts_every_kind_and_flags_old_built_in_content() {
    let (_tmp, cache) = fresh();
    let home = cache.home(datetime!(2026-11-28 12:00 UTC)).unwrap();
    assert_eq!(home.counts["county"], 58);
    assert!(home.counts["guidance"] >= 16 && home.counts["timeline"] >= 22);
    assert_eq!(home.recently_updated.len(), 5);
    assert_eq!(home.recently_updated[0].date.as_deref(), Some("2024-05-13"));
    assert!(home.built_in);
    assert!(home.stale, "content last dated 2024 is stale in 2026");
    assert!(home.age_days.unwrap() > 900);
    assert!(home.last_sync.is_none());
    let then = cache.home(datetime!(2024-06-01 00:00 UTC)).unwrap();
    assert!(!then.stale, "fresh content is not flagged");
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
        vec!["timeline/2014-pl-113-183", "timeline/2015-pl-114-22"]
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
            "guidance/acin-i-16-24",
            "guidance/acin-i-21-16",
            "guidance/acin-i-23-15"
        ]
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
    assert_eq!(newest_first[0], "guidance/acin-i-16-24");
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
        counties.iter().all(|c| c.unverified == c.agencies),
        "every contact is a placeholder today"
    );
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
    assert!(
        fresno
            .roles
            .iter()
            .all(|g| g.required && !g.agencies.is_empty())
    );
    assert!(cache.county("counties/fresno").is_ok());
    assert!(cache.county("gotham").is_err());
}

#[test]
fn the_hotline_is_a_verified_resource() {
    let (_tmp, cache) = fresh();
    let resources = cache.resources().unwrap();
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
