//! Bookmarks, history and settings survive everything that rewrites content.

use csec_bundle::{Details, EventType, Item, Kind, ObjectEntry, sha256_hex};
use csec_engine::{Cache, ContentMeta};
use tempfile::TempDir;

fn item(id: &str, text: &str) -> Item {
    Item {
        id: id.into(),
        title: format!("Title {text}"),
        date: Some("2020".into()),
        updated: None,
        summary: format!("Summary {text}"),
        sources: vec![],
        related: vec![],
        body: format!("Body {text}"),
        lang: Default::default(),
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    }
}

fn apply(cache: &mut Cache, version: u64, items: &[Item]) -> csec_engine::ImportReport {
    let entries: Vec<ObjectEntry> = items
        .iter()
        .map(|i| {
            let bytes = i.to_bytes();
            ObjectEntry {
                id: i.id.clone(),
                kind: Kind::Timeline,
                sha256: sha256_hex(&bytes),
                size: bytes.len() as u64,
            }
        })
        .collect();
    let meta = ContentMeta {
        version,
        published: "2026-01-01T00:00:00Z".into(),
        expires: Some("2027-01-01T00:00:00Z".into()),
        reviewed: None,
    };
    cache
        .apply(&meta, &entries, |e| {
            Ok(items.iter().find(|i| i.id == e.id).cloned().unwrap())
        })
        .unwrap()
}

#[test]
fn bookmarks_survive_ten_imports_that_add_change_and_remove() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("cache.sqlite");
    let mut cache = Cache::open(&path).unwrap();
    cache
        .add_bookmark("guidance/acl-16-49", "check with supervisor")
        .unwrap();
    cache.add_bookmark("timeline/t-0", "").unwrap();
    cache.set_setting("language", "es").unwrap();
    cache.record_view("guidance/acl-16-49").unwrap();
    let before = cache.bookmarks().unwrap();
    for round in 1..=10u64 {
        // Round r: items t-r..t-(r+5), the middle one's text changed every round.
        let items: Vec<Item> = (round..round + 5)
            .map(|n| {
                item(
                    &format!("timeline/t-{n}"),
                    &format!("{n} {}", if n == round + 2 { round } else { 0 }),
                )
            })
            .collect();
        let report = apply(&mut cache, round, &items);
        if round == 1 {
            assert_eq!(report.added, 5);
            assert!(report.removed > 100, "the built-in content was replaced");
        } else {
            assert_eq!((report.added, report.removed), (1, 1), "round {round}");
            assert!(report.changed >= 1, "round {round}");
        }
        let now: Vec<(String, String)> = cache
            .bookmarks()
            .unwrap()
            .into_iter()
            .map(|b| (b.item_id, b.note))
            .collect();
        let was: Vec<(String, String)> = before
            .iter()
            .map(|b| (b.item_id.clone(), b.note.clone()))
            .collect();
        assert_eq!(now, was, "round {round}");
    }
    drop(cache);
    let mut cache = Cache::open(&path).unwrap();
    assert_eq!(cache.meta().unwrap().unwrap().version, 10);
    cache.reseed().unwrap();
    assert_eq!(cache.bookmarks().unwrap().len(), 2);
    assert_eq!(cache.setting("language").unwrap().as_deref(), Some("es"));
    assert_eq!(
        cache.recently_viewed(10).unwrap(),
        vec!["guidance/acl-16-49".to_string()]
    );
    let marks = cache.bookmarks().unwrap();
    assert!(
        marks
            .iter()
            .any(|b| b.item_id == "guidance/acl-16-49" && b.title.is_some()),
        "{marks:?}"
    );
}

#[test]
fn history_can_be_turned_off_and_cleared() {
    let tmp = TempDir::new().unwrap();
    let cache = Cache::open(&tmp.path().join("c.sqlite")).unwrap();
    cache.record_view("counties/fresno").unwrap();
    cache.record_view("guidance/acl-16-49").unwrap();
    assert_eq!(cache.recently_viewed(10).unwrap().len(), 2);
    cache.clear_history().unwrap();
    assert!(cache.recently_viewed(10).unwrap().is_empty());
    cache.set_setting("history", "off").unwrap();
    cache.record_view("counties/fresno").unwrap();
    assert!(cache.recently_viewed(10).unwrap().is_empty());
}
