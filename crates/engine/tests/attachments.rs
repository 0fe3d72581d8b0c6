//! Attachments in the library: listed on the item page, stored only when their bytes
//! match the listing, and dropped when no item lists them any more.

mod common;

use csec_bundle::{Attachment, Details, EventType, Item, sha256_hex};
use csec_engine::{Cache, EngineError};
use tempfile::TempDir;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

fn listing(bytes: &[u8]) -> Attachment {
    Attachment {
        title: "Full report (PDF)".into(),
        file_name: "full-report.pdf".into(),
        media_type: "application/pdf".into(),
        sha256: sha256_hex(bytes),
        size: bytes.len() as u64,
    }
}

fn report(attachments: Vec<Attachment>) -> Item {
    Item {
        id: "timeline/with-a-file".into(),
        title: "An item with a file".into(),
        date: Some("2020".into()),
        updated: None,
        summary: "It lists a PDF.".into(),
        sources: vec![],
        related: vec![],
        body: "Body.".into(),
        lang: Default::default(),
        translation_of: None,
        attachments,
        details: Details::Timeline {
            event_type: EventType::Event,
        },
    }
}

#[test]
fn an_attachment_is_listed_stored_when_verified_and_dropped_with_its_listing() {
    let tmp = TempDir::new().unwrap();
    let mut cache = Cache::open(&tmp.path().join("cache.sqlite")).unwrap();
    let listed = listing(PDF);
    common::import(&mut cache, &[report(vec![listed.clone()])], 1);
    let id = "timeline/with-a-file";

    let view = cache.item(id).unwrap();
    assert_eq!(view.attachments.len(), 1);
    assert_eq!(view.attachments[0].size, PDF.len() as u64);
    assert!(!view.attachments[0].on_device, "not fetched yet");
    assert_eq!(
        cache.missing_attachments().unwrap(),
        vec![(id.to_string(), listed.clone())]
    );

    // Bytes that are not the listed file are refused, and nothing is kept.
    let mut altered = PDF.to_vec();
    altered[10] ^= 1;
    let refused = cache
        .store_attachment(id, &listed.sha256, &altered)
        .unwrap_err();
    assert!(
        matches!(refused, EngineError::BadAttachment(_)),
        "{refused}"
    );
    assert!(refused.to_string().contains("full-report.pdf"), "{refused}");
    assert_eq!(cache.attachment_bytes(&listed.sha256).unwrap(), None);
    // Nor for an item that does not list it.
    assert!(matches!(
        cache.store_attachment("timeline/other", &listed.sha256, PDF),
        Err(EngineError::NotFound(_))
    ));

    cache.store_attachment(id, &listed.sha256, PDF).unwrap();
    assert_eq!(
        cache.attachment_bytes(&listed.sha256).unwrap().as_deref(),
        Some(PDF)
    );
    assert!(cache.item(id).unwrap().attachments[0].on_device);
    assert!(cache.missing_attachments().unwrap().is_empty());
    assert_eq!(cache.attachment(id, &listed.sha256).unwrap(), listed);

    // An update that changes the item but keeps the file keeps its bytes.
    let mut changed = report(vec![listed.clone()]);
    changed.summary = "Still lists the PDF.".into();
    common::import(&mut cache, &[changed], 2);
    assert!(cache.item(id).unwrap().attachments[0].on_device);

    // An update that no longer lists it drops the bytes in the same import.
    common::import(&mut cache, &[report(Vec::new())], 3);
    assert!(cache.item(id).unwrap().attachments.is_empty());
    assert_eq!(cache.attachment_bytes(&listed.sha256).unwrap(), None);
    assert!(matches!(
        cache.attachment(id, &listed.sha256),
        Err(EngineError::NotFound(_))
    ));
}
