//! What several engine test files share.

use csec_bundle::{Item, ObjectEntry};
use csec_engine::{Cache, ContentMeta};

/// Imports exactly `items` as content version `version`, as a bundle would.
pub fn import(cache: &mut Cache, items: &[Item], version: u64) {
    let entries: Vec<ObjectEntry> = items.iter().map(|i| ObjectEntry::for_item(i).0).collect();
    let meta = ContentMeta {
        version,
        published: "2026-01-01T00:00:00Z".into(),
        expires: None,
        reviewed: None,
    };
    cache
        .apply(&meta, &entries, |e| {
            Ok(items.iter().find(|i| i.id == e.id).unwrap().clone())
        })
        .unwrap();
}
