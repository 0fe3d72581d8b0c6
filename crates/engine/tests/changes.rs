//! "New since your last update": each update records what it added, changed and
//! removed, in its own transaction, as user data that content imports never touch.
//! And the nearby devices a user adds as update sources.

use csec_bundle::{Details, EventType, GuidanceStatus, GuidanceType, Item, Lang, ObjectEntry};
use csec_engine::{Cache, Change, ContentMeta, EngineError};
use tempfile::TempDir;

fn timeline(id: &str, title: &str, date: &str) -> Item {
    Item {
        id: format!("timeline/{id}"),
        title: title.into(),
        date: Some(date.into()),
        updated: None,
        summary: "What happened.".into(),
        sources: vec![],
        related: vec![],
        body: "Body.".into(),
        lang: Lang::En,
        translation_of: None,
        attachments: vec![],
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    }
}

fn letter(id: &str, title: &str, date: &str) -> Item {
    Item {
        id: format!("guidance/{id}"),
        details: Details::Guidance {
            number: "ACL 26-01".into(),
            guidance_type: GuidanceType::Acl,
            status: GuidanceStatus::Current,
            superseded_by: None,
            status_note: None,
        },
        ..timeline(id, title, date)
    }
}

fn spanish(of: &Item, title: &str) -> Item {
    Item {
        id: format!("{}-es", of.id),
        title: title.into(),
        lang: Lang::Es,
        translation_of: Some(of.id.clone()),
        ..of.clone()
    }
}

/// Imports `items` as an update from `source`, the way sync does.
fn update(cache: &mut Cache, items: &[Item], version: u64, source: &str) {
    let entries: Vec<ObjectEntry> = items.iter().map(|i| ObjectEntry::for_item(i).0).collect();
    let meta = ContentMeta {
        version,
        published: "2026-01-01T00:00:00Z".into(),
        expires: None,
        reviewed: None,
    };
    cache
        .apply_in_transaction(&meta, &entries, &[("source", source)], None, |e| {
            Ok::<_, EngineError>(items.iter().find(|i| i.id == e.id).unwrap().clone())
        })
        .unwrap();
}

fn edited(item: &Item) -> Item {
    Item {
        body: format!("{} Edited.", item.body),
        ..item.clone()
    }
}

#[test]
fn an_update_records_what_it_added_changed_and_removed() {
    let tmp = TempDir::new().unwrap();
    let mut cache = Cache::open_unseeded(&tmp.path().join("cache.sqlite")).unwrap();
    let (a, b, c) = (
        timeline("a", "Event A", "2019"),
        timeline("b", "Event B", "2020"),
        timeline("c", "Event C", "2021"),
    );
    update(
        &mut cache,
        &[a.clone(), b.clone(), c.clone()],
        1,
        "https://pub.example/",
    );
    assert!(
        cache.updates().unwrap().is_empty(),
        "a first import is nothing new"
    );

    cache.add_bookmark("timeline/c", "for court").unwrap();
    let acl = letter("acl-26-01", "A new letter", "2026-11-30");
    let a2 = edited(&a);
    update(
        &mut cache,
        &[a2, b.clone(), acl.clone()],
        2,
        "http://192.168.1.20:8787/",
    );
    let updates = cache.updates().unwrap();
    assert_eq!(updates.len(), 1);
    let last = &updates[0];
    assert_eq!(
        (last.version, last.previous_version, last.source.as_str()),
        (2, 1, "http://192.168.1.20:8787/")
    );
    assert_eq!((last.added, last.changed, last.removed), (1, 1, 1));
    let listed: Vec<(&str, Change)> = last
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.change))
        .collect();
    assert_eq!(
        listed,
        [
            ("guidance/acl-26-01", Change::Added),
            ("timeline/c", Change::Removed),
            ("timeline/a", Change::Changed),
        ],
        "letters first, then newest first"
    );
    assert_eq!(
        last.items[1].title, "Event C",
        "a removed item keeps its title"
    );

    let changed = cache.item("timeline/a").unwrap().last_change.unwrap();
    assert_eq!((changed.change, changed.version), (Change::Changed, 2));
    assert!(cache.item("timeline/b").unwrap().last_change.is_none());
    assert_eq!(cache.bookmarks().unwrap().len(), 1, "bookmarks are kept");

    let now = time::OffsetDateTime::now_utc();
    assert!(cache.home(now, Lang::En).unwrap().whats_new.is_some());
    cache.dismiss_whats_new().unwrap();
    assert!(cache.home(now, Lang::En).unwrap().whats_new.is_none());
    assert!(
        cache.item("timeline/a").unwrap().last_change.is_some(),
        "the page still says so"
    );

    // An update with no change records nothing; reseeding (not an update) neither.
    update(
        &mut cache,
        &[edited(&a), b.clone(), acl.clone()],
        3,
        "https://pub.example/",
    );
    assert_eq!(cache.updates().unwrap().len(), 1);
    cache.reseed().unwrap();
    assert_eq!(cache.updates().unwrap().len(), 1);

    cache.clear_history().unwrap();
    assert!(cache.updates().unwrap().is_empty(), "cleared with history");
}

#[test]
fn the_last_five_updates_are_kept() {
    let tmp = TempDir::new().unwrap();
    let mut cache = Cache::open_unseeded(&tmp.path().join("cache.sqlite")).unwrap();
    let mut item = timeline("a", "Event A", "2019");
    update(&mut cache, &[item.clone()], 1, "");
    for version in 2..=8 {
        item = edited(&item);
        update(&mut cache, &[item.clone()], version, "");
    }
    let versions: Vec<u64> = cache.updates().unwrap().iter().map(|u| u.version).collect();
    assert_eq!(versions, [8, 7, 6, 5, 4]);
}

#[test]
fn a_spanish_reader_sees_the_spanish_version_of_what_changed() {
    let tmp = TempDir::new().unwrap();
    let mut cache = Cache::open_unseeded(&tmp.path().join("cache.sqlite")).unwrap();
    let guide = timeline("guide", "What to do", "2024");
    let guia = spanish(&guide, "Qué hacer");
    let only_english = timeline("other", "Only in English", "2023");
    update(
        &mut cache,
        &[guide.clone(), guia.clone(), only_english.clone()],
        1,
        "",
    );
    update(
        &mut cache,
        &[edited(&guide), edited(&guia), edited(&only_english)],
        2,
        "",
    );
    let titles = |lang| -> Vec<String> {
        cache
            .whats_new(lang)
            .unwrap()
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.title)
            .collect()
    };
    assert_eq!(titles(Lang::Es), ["Qué hacer", "Only in English"]);
    assert_eq!(titles(Lang::En), ["What to do", "Only in English"]);
}

#[test]
fn a_mirror_is_a_nearby_device_and_plain_http_only_on_a_local_network() {
    let tmp = TempDir::new().unwrap();
    let cache = Cache::open_unseeded(&tmp.path().join("cache.sqlite")).unwrap();
    for ok in [
        "http://192.168.1.20:8787",
        "http://10.0.0.5:8787/",
        "http://172.20.1.1/",
        "http://169.254.10.10:8787/",
        "http://[fe80::1]:8787/",
        "http://[fd12::1]/",
        "https://convening.example.org/csec/",
        "http://127.0.0.2:8787/",
    ] {
        assert!(cache.add_mirror(ok).is_ok(), "{ok}");
    }
    assert_eq!(cache.mirrors().unwrap()[0].url, "http://192.168.1.20:8787/");
    for public in [
        "http://8.8.8.8/",
        "http://192.0.2.2:8787/",
        "http://laptop.local:8787/",
    ] {
        let refused = cache.add_mirror(public).unwrap_err().to_string();
        assert!(refused.contains("local network"), "{public}: {refused}");
    }
    assert!(cache.add_mirror("ftp://192.168.1.20/").is_err());
    assert!(cache.remove_mirror("http://192.168.1.20:8787").unwrap());
    assert_eq!(cache.mirrors().unwrap().len(), 7);
}
