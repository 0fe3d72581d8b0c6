//! Convening mode with real servers: the publisher on 127.0.0.1, the laptop in the
//! room on 127.0.0.2 (`csec mirror`, then `csec serve --lan`), and `csec sync` on the
//! phone's side trying the laptop first. The signature protects the content, so a
//! mirror can be slow, old or broken, but never change what a device installs.

use std::path::{Path, PathBuf};

use csec_tests::editions::{
    CacheState, Keys, LATER, build, edited_content, edition, generated_pdf, keygen,
};
use csec_tests::servers::{CsecServe, free_port};
use csec_tests::{Run, csec};
use tempfile::TempDir;

struct Room {
    tmp: TempDir,
    keys: Keys,
    db: PathBuf,
}

impl Room {
    fn new() -> Room {
        let tmp = TempDir::new().unwrap();
        let keys = keygen(&tmp.path().join("keys"));
        let db = tmp.path().join("phone.sqlite");
        Room { tmp, keys, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The real content, every Markdown item edited with `note`, built as `version`.
    fn bundle(&self, name: &str, version: u64) -> PathBuf {
        let content = edited_content(&self.path(&format!("{name}-content")), name);
        let bundle = self.path(name);
        build(&content, &self.keys, &bundle, version, LATER);
        bundle
    }

    fn mirror(&self, url: &str, out: &Path) -> Run {
        csec(&[
            &"mirror",
            &url,
            &"--out",
            &out,
            &"--trust",
            &self.keys.public,
            &"--json",
        ])
    }

    fn sync(&self, publisher: &str, mirrors: &[&str]) -> Run {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
            &"sync",
            &publisher,
            &"--db",
            &self.db,
            &"--trust",
            &self.keys.public,
            &"--json",
        ];
        for mirror in mirrors {
            args.push(&"--mirror");
            args.push(mirror);
        }
        csec(&args)
    }

    /// Copies `published` to `copy` with `csec mirror` from a publisher that then
    /// stops answering (the convening has no internet); returns its address.
    fn mirror_then_lose_the_publisher(&self, published: &Path, copy: &Path) -> String {
        let publisher = CsecServe::start(published, &self.path("publisher.log"));
        self.mirror(&publisher.url, copy).ok();
        publisher.url.clone()
    }

    fn verify(&self, bundle: &Path) -> Run {
        csec(&[&"verify", &bundle, &"--trust", &self.keys.public])
    }
}

/// The laptop's address as a phone in the room types it: 127.0.0.2 stands for it.
fn laptop_url(server: &CsecServe) -> String {
    format!("http://127.0.0.2:{}/", server.port())
}

fn object_requests(server: &CsecServe) -> usize {
    server
        .requests()
        .iter()
        .filter(|line| line.starts_with("GET /objects/"))
        .count()
}

/// What the phone holds must be exactly the signed edition.
fn assert_holds(room: &Room, bundle: &Path) {
    let (version, items) = edition(bundle, &room.keys);
    let state = CacheState::read(&room.db);
    assert_eq!((state.version, state.items), (version, items));
}

#[test]
fn a_phone_updates_from_the_laptop_and_the_publisher_is_never_asked_for_objects() {
    let room = Room::new();
    let published = room.bundle("v2", 2);
    let publisher = CsecServe::start(&published, &room.path("publisher.log"));
    let copy = room.path("copy");
    let made = room.mirror(&publisher.url, &copy).ok().json();
    assert_eq!(made["version"], 2);
    assert!(made["downloaded"].as_u64().unwrap() > 100, "{made}");
    room.verify(&copy).ok();

    let laptop = CsecServe::start_lan(&copy, &room.path("laptop.log"));
    let report = room
        .sync(&publisher.url, &[&laptop_url(&laptop)])
        .ok()
        .json();
    assert_eq!(report["status"], "updated");
    assert_eq!(report["source"], laptop_url(&laptop));
    assert_eq!(report["refused"], serde_json::json!([]));
    assert_holds(&room, &published);
    assert!(object_requests(&laptop) > 100);
    assert_eq!(
        publisher
            .requests()
            .iter()
            .filter(|l| !l.starts_with("GET /manifest.json"))
            .count(),
        made["downloaded"].as_u64().unwrap() as usize,
        "the publisher served the mirror, and nothing to the phone but a check: {:?}",
        publisher.requests()
    );
}

#[test]
fn with_the_publisher_unreachable_the_mirror_serves_the_whole_update() {
    let room = Room::new();
    let published = room.bundle("v2", 2);
    let copy = room.path("copy");
    let publisher_url = room.mirror_then_lose_the_publisher(&published, &copy);
    let laptop = CsecServe::start_lan(&copy, &room.path("laptop.log"));
    let report = room
        .sync(&publisher_url, &[&laptop_url(&laptop)])
        .ok()
        .json();
    assert_eq!(
        (&report["status"], &report["source"]),
        (&"updated".into(), &laptop_url(&laptop).into())
    );
    assert_holds(&room, &published);
}

#[test]
fn with_the_mirror_unreachable_the_publisher_serves_and_the_mirror_is_reported() {
    let room = Room::new();
    let published = room.bundle("v2", 2);
    let publisher = CsecServe::start(&published, &room.path("publisher.log"));
    let gone = format!("http://127.0.0.2:{}/", free_port());
    let report = room.sync(&publisher.url, &[&gone]).ok().json();
    assert_eq!(report["source"], publisher.url);
    assert_eq!(report["refused"][0]["source"], gone);
    assert_eq!(report["refused"][0]["kind"], "network");
    assert_holds(&room, &published);
}

#[test]
fn a_tampered_object_on_the_mirror_is_refused_and_fetched_from_the_publisher() {
    let room = Room::new();
    let published = room.bundle("v2", 2);
    let publisher = CsecServe::start(&published, &room.path("publisher.log"));
    let copy = room.path("copy");
    room.mirror(&publisher.url, &copy).ok();
    // One changed byte in one object, same length: only its hash can tell.
    let (_, items) = edition(&published, &room.keys);
    let victim = items
        .get("guidance/acl-16-49")
        .expect("the ACL is published");
    let object = copy.join("objects").join(victim);
    let mut bytes = std::fs::read(&object).unwrap();
    let at = bytes.iter().position(|b| *b == b'a').unwrap();
    bytes[at] = b'b';
    std::fs::write(&object, bytes).unwrap();
    assert!(
        !room.verify(&copy).success(),
        "the copy is no longer intact"
    );

    let laptop = CsecServe::start_lan(&copy, &room.path("laptop.log"));
    let report = room
        .sync(&publisher.url, &[&laptop_url(&laptop)])
        .ok()
        .json();
    assert_eq!(report["source"], laptop_url(&laptop));
    let refused = report["refused"].as_array().unwrap();
    assert!(
        refused
            .iter()
            .any(|r| r["source"] == laptop_url(&laptop) && r["kind"] == "object-corrupt"),
        "{report}"
    );
    assert_holds(&room, &published);
    assert!(
        publisher
            .requests()
            .iter()
            .any(|l| l.starts_with(&format!("GET /objects/{victim} 200"))),
        "the damaged object came from the publisher instead"
    );
}

#[test]
fn a_mirror_with_an_older_edition_is_refused_with_its_own_error_and_the_publisher_used() {
    let room = Room::new();
    let old = room.bundle("v1", 1);
    let old_publisher = CsecServe::start(&old, &room.path("old.log"));
    let copy = room.path("copy");
    room.mirror(&old_publisher.url, &copy).ok();
    drop(old_publisher);
    // The phone already has edition 2; the publisher now has 3.
    let two = room.bundle("v2", 2);
    let publisher_two = CsecServe::start(&two, &room.path("two.log"));
    room.sync(&publisher_two.url, &[]).ok();
    drop(publisher_two);
    let three = room.bundle("v3", 3);
    let publisher = CsecServe::start(&three, &room.path("publisher.log"));

    let laptop = CsecServe::start_lan(&copy, &room.path("laptop.log"));
    let report = room
        .sync(&publisher.url, &[&laptop_url(&laptop)])
        .ok()
        .json();
    assert_eq!(report["source"], publisher.url);
    assert_eq!(report["version"], 3);
    assert_eq!(report["refused"][0]["kind"], "mirror-behind", "{report}");
    let message = report["refused"][0]["message"].as_str().unwrap();
    assert!(message.contains("edition 1") && message.contains("cannot change your library"));
    assert_holds(&room, &three);
    assert_eq!(object_requests(&laptop), 0);
}

#[test]
fn plain_http_to_a_public_address_is_never_used() {
    let room = Room::new();
    let published = room.bundle("v2", 2);
    let publisher = CsecServe::start(&published, &room.path("publisher.log"));
    let public = "http://93.184.215.14:8787/";
    let report = room.sync(&publisher.url, &[public]).ok().json();
    assert_eq!(report["refused"][0]["kind"], "mirror-not-local");
    assert_eq!(report["source"], publisher.url);
    assert_holds(&room, &published);
}

#[test]
fn running_mirror_again_downloads_only_what_changed_and_refuses_what_does_not_verify() {
    let room = Room::new();
    let v1 = room.bundle("v1", 1);
    let copy = room.path("copy");
    {
        let publisher = CsecServe::start(&v1, &room.path("v1.log"));
        room.mirror(&publisher.url, &copy).ok();
    }
    // One item changed in the next edition.
    let content = edited_content(&room.path("v2-content"), "v1");
    let guide = content.join("guidance/acl-16-49.md");
    let mut text = std::fs::read_to_string(&guide).unwrap();
    text.push_str("\nOne more line.\n");
    std::fs::write(&guide, text).unwrap();
    let v2 = room.path("v2");
    build(&content, &room.keys, &v2, 2, LATER);
    let publisher = CsecServe::start(&v2, &room.path("v2.log"));
    let again = room.mirror(&publisher.url, &copy).ok().json();
    assert_eq!(again["version"], 2);
    assert!(
        (1..=3).contains(&again["downloaded"].as_u64().unwrap()),
        "one object and its index file: {again}"
    );
    assert!(again["removed"].as_u64().unwrap() >= 1, "{again}");
    room.verify(&copy).ok();

    // An older edition, or one that does not verify, leaves the copy as it was.
    let before = std::fs::read(copy.join("manifest.json")).unwrap();
    {
        let old = CsecServe::start(&v1, &room.path("old.log"));
        let refused = room.mirror(&old.url, &copy).fails().json();
        assert_eq!(refused["error"], "rollback");
    }
    let stranger = keygen(&room.path("stranger"));
    let forged = room.path("forged");
    build(&content, &stranger, &forged, 3, LATER);
    let forger = CsecServe::start(&forged, &room.path("forged.log"));
    let refused = room.mirror(&forger.url, &copy).fails().json();
    assert_eq!(refused["error"], "untrusted");
    assert_eq!(std::fs::read(copy.join("manifest.json")).unwrap(), before);
    room.verify(&copy).ok();
}

#[test]
fn the_mirror_carries_attachments_and_serve_lan_says_where_and_who_signed() {
    let room = Room::new();
    let content = edited_content(&room.path("content"), "v2");
    csec_tests::editions::attach(
        &content,
        "call.pdf",
        "Full report (PDF)",
        &generated_pdf("mirror"),
    );
    let published = room.path("published");
    build(&content, &room.keys, &published, 2, LATER);
    let publisher = CsecServe::start(&published, &room.path("publisher.log"));
    let copy = room.path("copy");
    room.mirror(&publisher.url, &copy).ok();
    room.verify(&copy).ok();
    let attachment = csec_bundle::sha256_hex(&generated_pdf("mirror"));
    assert!(copy.join("objects").join(&attachment).is_file());

    let laptop = CsecServe::start_lan(&copy, &room.path("laptop.log"));
    let printed = laptop.printed.join("\n");
    let fingerprint =
        csec_bundle::parse_public_keys(&std::fs::read_to_string(&room.keys.public).unwrap())
            .unwrap()[0]
            .fingerprint();
    assert!(printed.contains(&fingerprint), "{printed}");
    assert!(printed.contains(&laptop.url), "{printed}");
}

/// Decodes a QR code from a greyscale image with rqrr, a decoder of its own (not the
/// encoder's inverse).
fn decode_qr(width: usize, height: usize, dark: impl Fn(usize, usize) -> bool) -> String {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if dark(x, y) { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_, text) = grids[0].decode().expect("the QR code decodes");
    text
}

#[test]
fn the_qr_code_decodes_to_the_printed_address() {
    let room = Room::new();
    let published = room.bundle("v2", 2);
    let laptop = CsecServe::start_lan(&published, &room.path("laptop.log"));
    let saved = laptop
        .printed
        .iter()
        .find_map(|l| l.split("also saved as ").nth(1))
        .map(|rest| PathBuf::from(rest.trim_end_matches("):")))
        .expect("it says where the PNG is");
    assert_eq!(saved, room.path("v2-address.png"), "next to the bundle");

    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&saved).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let (w, h) = (frame.width as usize, frame.height as usize);
    assert_eq!(decode_qr(w, h, |x, y| pixels[y * w + x] < 128), laptop.url);

    // The terminal's code, as the room sees it: light modules are the filled ones.
    let start = laptop
        .printed
        .iter()
        .position(|l| l.starts_with("QR code of"))
        .unwrap()
        + 1;
    let rows: Vec<Vec<char>> = laptop.printed[start..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.chars().collect())
        .collect();
    let scale = 4;
    let (w, h) = (rows[0].len() * scale, rows.len() * 2 * scale);
    let terminal = decode_qr(w, h, |x, y| {
        let cell = rows[y / (2 * scale)][x / scale];
        let top = (y / scale) % 2 == 0;
        match cell {
            '█' => false,
            '▀' => !top,
            '▄' => top,
            _ => true,
        }
    });
    assert_eq!(terminal, laptop.url);
    assert!(laptop.printed[1..].iter().any(|l| l.trim() == laptop.url));
}

#[test]
fn an_attachment_opened_in_the_room_comes_from_the_laptop() {
    let room = Room::new();
    let content = edited_content(&room.path("content"), "v2");
    let pdf = generated_pdf("in the room");
    csec_tests::editions::attach(&content, "call.pdf", "Full report (PDF)", &pdf);
    let published = room.path("published");
    build(&content, &room.keys, &published, 2, LATER);
    let copy = room.path("copy");
    let publisher_url = room.mirror_then_lose_the_publisher(&published, &copy);
    let laptop = CsecServe::start_lan(&copy, &room.path("laptop.log"));
    room.sync(&publisher_url, &[&laptop_url(&laptop)]).ok();
    // What the app's Settings store: the publisher's address and the nearby device.
    let conn = rusqlite::Connection::open(&room.db).unwrap();
    conn.execute(
        "INSERT INTO settings(key, value) VALUES ('sync_source', ?1)",
        [&publisher_url],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO mirrors(url, added_at) VALUES (?1, '2026-12-03T00:00:00Z')",
        [&laptop_url(&laptop)],
    )
    .unwrap();
    drop(conn);

    let out = room.path("opened.pdf");
    csec(&[
        &"attachment",
        &csec_tests::editions::ATTACHED_REPORT,
        &"call.pdf",
        &"--out",
        &out,
        &"--db",
        &room.db,
    ])
    .ok();
    assert_eq!(std::fs::read(&out).unwrap(), pdf);
    let sha = csec_bundle::sha256_hex(&pdf);
    assert!(
        laptop
            .requests()
            .iter()
            .any(|l| l.starts_with(&format!("GET /objects/{sha} 200"))),
        "{:?}",
        laptop.requests()
    );
}
