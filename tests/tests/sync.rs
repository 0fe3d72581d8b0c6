//! `csec sync` against real servers on 127.0.0.1: `csec serve`, nginx, and a server
//! that fails in every way the issue lists. A failed sync must leave the cache
//! exactly as it was and readable, and the next sync against a good server must work.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use csec_tests::editions::{
    CacheState, Keys, LATER, bookmark, build, edited_content, edition, keygen, markdown_items,
};
use csec_tests::servers::{CsecServe, Fault, FaultServer, Nginx};
use csec_tests::{Run, csec, repo_root};
use tempfile::TempDir;

struct World {
    tmp: TempDir,
    keys: Keys,
    db: PathBuf,
}

impl World {
    fn new() -> World {
        let tmp = TempDir::new().unwrap();
        let keys = keygen(&tmp.path().join("keys"));
        let db = tmp.path().join("cache.sqlite");
        World { tmp, keys, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The real content with every Markdown item edited, built as `version`.
    fn edited_bundle(&self, name: &str, version: u64, expires: &str) -> PathBuf {
        let content = edited_content(&self.path(&format!("{name}-content")), name);
        let bundle = self.path(name);
        build(&content, &self.keys, &bundle, version, expires);
        bundle
    }

    fn sync(&self, url: &str, extra: &[&str]) -> Run {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
            &"sync",
            &url,
            &"--db",
            &self.db,
            &"--trust",
            &self.keys.public,
            &"--json",
        ];
        for arg in extra {
            args.push(arg);
        }
        csec(&args)
    }

    /// A cache at the built-in content (version 0) with two bookmarks.
    fn seeded_cache_with_bookmarks(&self) -> CacheState {
        csec(&[&"search", &"ACL", &"--db", &self.db]).ok();
        bookmark(&self.db, "guidance/acl-16-49", "for court on Monday");
        bookmark(&self.db, "counties/fresno", "");
        CacheState::read(&self.db)
    }
}

fn bytes_of(bundle: &Path, hash: &str) -> u64 {
    std::fs::metadata(bundle.join("objects").join(hash))
        .unwrap()
        .len()
}

fn manifest_size(bundle: &Path) -> u64 {
    std::fs::metadata(bundle.join("manifest.json"))
        .unwrap()
        .len()
}

/// The bundle's index files (format 2), as `indexes/<sha256>` paths.
fn index_files(bundle: &Path) -> BTreeSet<String> {
    std::fs::read_dir(bundle.join("indexes"))
        .unwrap()
        .map(|e| format!("indexes/{}", e.unwrap().file_name().to_string_lossy()))
        .collect()
}

fn size_of(bundle: &Path, paths: &BTreeSet<String>) -> u64 {
    paths
        .iter()
        .map(|p| std::fs::metadata(bundle.join(p)).unwrap().len())
        .sum()
}

#[test]
fn full_sync_then_up_to_date_then_only_the_changed_object() {
    let world = World::new();
    let bundle = world.path("bundle");
    build(&repo_root().join("content"), &world.keys, &bundle, 1, LATER);
    let server = CsecServe::start(&bundle, &world.path("serve.log"));

    let first = world.sync(&server.url, &[]).ok().json();
    assert_eq!(first["status"], "updated");
    assert_eq!(first["version"], 1);
    let (_, items) = edition(&bundle, &world.keys);
    assert_eq!(CacheState::read(&world.db).items, items);

    let before = server.requests().len();
    let second = world.sync(&server.url, &[]).ok().json();
    assert_eq!(second["status"], "up-to-date");
    assert_eq!(second["bytes"], 0);
    let requests = &server.requests()[before..];
    // One conditional request, answered 304 with an empty body.
    assert_eq!(requests, ["GET /manifest.json 304 0"], "{requests:?}");

    // The publisher edits one letter and publishes again.
    let content = world.path("content");
    csec_tests::copy_dir(&repo_root().join("content"), &content);
    let letter = content.join("guidance/acl-16-49.md");
    let text = std::fs::read_to_string(&letter).unwrap();
    std::fs::write(&letter, format!("{text}\nCorrected on review.\n")).unwrap();
    let old_indexes = index_files(&bundle);
    build(&content, &world.keys, &bundle, 2, LATER);
    let (_, new_items) = edition(&bundle, &world.keys);
    // The edition keeps the index files that still serve and adds one for the change.
    let new_indexes: BTreeSet<String> = index_files(&bundle)
        .difference(&old_indexes)
        .cloned()
        .collect();
    assert_eq!(new_indexes.len(), 1, "{new_indexes:?}");
    assert!(old_indexes.is_subset(&index_files(&bundle)));
    let changed_hash = &new_items["guidance/acl-16-49"];

    let before = server.requests().len();
    let third = world.sync(&server.url, &[]).ok().json();
    assert_eq!(third["status"], "updated");
    assert_eq!(third["version"], 2);
    assert_eq!(
        (
            third["added"].as_u64(),
            third["changed"].as_u64(),
            third["removed"].as_u64()
        ),
        (Some(0), Some(1), Some(0))
    );
    assert_eq!(
        third["bytes"].as_u64(),
        Some(
            manifest_size(&bundle)
                + size_of(&bundle, &new_indexes)
                + bytes_of(&bundle, changed_hash)
        )
    );
    let paths: Vec<String> = server.requests()[before..]
        .iter()
        .map(|line| line.split(' ').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/manifest.json".to_string(),
            format!("/{}", new_indexes.first().unwrap()),
            format!("/objects/{changed_hash}")
        ]
    );
    assert_eq!(CacheState::read(&world.db).items, new_items);
}

#[test]
fn a_new_edition_downloads_exactly_the_objects_the_cache_lacks() {
    let world = World::new();
    let before = world.seeded_cache_with_bookmarks();
    let bundle = world.edited_bundle("edited", 7, LATER);
    let (_, items) = edition(&bundle, &world.keys);
    let changed: Vec<&String> = items
        .iter()
        .filter(|(id, hash)| before.items.get(*id) != Some(hash))
        .map(|(_, hash)| hash)
        .collect();
    assert_eq!(
        changed.len(),
        markdown_items(),
        "every Markdown item was edited"
    );
    let server = CsecServe::start(&bundle, &world.path("serve.log"));

    let report = world.sync(&server.url, &[]).ok().json();
    assert_eq!(report["changed"], markdown_items());
    // The built-in content carries no index files: all of them are downloaded.
    let expected: u64 = manifest_size(&bundle)
        + size_of(&bundle, &index_files(&bundle))
        + changed.iter().map(|h| bytes_of(&bundle, h)).sum::<u64>();
    assert_eq!(report["bytes"].as_u64(), Some(expected));
    let after = CacheState::read(&world.db);
    assert_eq!((after.version, &after.items), (7, &items));
    assert_eq!(after.bookmarks, before.bookmarks);
    // The synced content is what the reader shows.
    let shown = csec(&[
        &"show",
        &"guidance/acl-16-49",
        &"--db",
        &world.db,
        &"--json",
    ])
    .ok();
    assert!(shown.stdout.contains("edited"), "{}", shown.stdout);
}

#[test]
fn a_sync_into_a_new_cache_installs_the_edition_without_the_built_in_content_first() {
    let world = World::new();
    let bundle = world.path("bundle");
    build(&repo_root().join("content"), &world.keys, &bundle, 1, LATER);
    let server = CsecServe::start(&bundle, &world.path("serve.log"));
    let report = world.sync(&server.url, &[]).ok().json();
    let (_, items) = edition(&bundle, &world.keys);
    assert_eq!(report["added"], items.len(), "{report}");
    assert_eq!(
        (report["changed"].clone(), report["removed"].clone()),
        (0.into(), 0.into())
    );
    assert_eq!(CacheState::read(&world.db).items, items);
}

/// A sync that fails into a new cache leaves it without content, and the next open
/// installs the built-in content: the library is never empty to a reader.
#[test]
fn a_failed_sync_into_a_new_cache_leaves_the_built_in_content_for_the_next_open() {
    let world = World::new();
    let run = world.sync("http://127.0.0.1:9/", &["--timeout", "1"]);
    let run = run.fails();
    assert!(run.stdout.contains("network"), "{}", run.stdout);
    let found = csec(&[&"search", &"SB 855", &"--db", &world.db, &"--json"])
        .ok()
        .json();
    assert!(
        found.as_array().is_some_and(|hits| !hits.is_empty()),
        "built-in content: {found}"
    );
}

#[test]
fn nginx_serves_a_bundle_that_syncs_and_then_revalidates() {
    let world = World::new();
    let bundle = world.edited_bundle("edited", 3, LATER);
    let work = world.path("nginx");
    let nginx = Nginx::start(&bundle, &work);
    // An installed library (the built-in content), which the edition edits.
    csec(&[&"search", &"ACL", &"--db", &world.db]).ok();

    let first = world.sync(&nginx.url, &[]).ok().json();
    assert_eq!(
        (first["status"].as_str(), first["version"].as_u64()),
        (Some("updated"), Some(3))
    );
    assert_eq!(first["changed"], markdown_items());
    let (_, items) = edition(&bundle, &world.keys);
    assert_eq!(CacheState::read(&world.db).items, items);

    let second = world.sync(&nginx.url, &[]).ok().json();
    assert_eq!(second["status"], "up-to-date");
    assert_eq!(
        second["bytes"], 0,
        "nginx answered the conditional request with 304"
    );
    let log = nginx.access_log(&work);
    assert!(
        log.last()
            .is_some_and(|l| l.contains("GET /manifest.json") && l.contains(" 304 ")),
        "{log:?}"
    );
}

/// Runs a sync against a faulty server and checks the failure, the untouched cache,
/// and that a good server then works.
fn fails_cleanly(fault: Fault, kind: &str, extra: &[&str]) -> (World, PathBuf) {
    let world = World::new();
    let before = world.seeded_cache_with_bookmarks();
    let bundle = world.edited_bundle("edited", 9, LATER);
    let server = FaultServer::start(&bundle, fault.clone());
    let run = world.sync(&server.url, extra).fails();
    assert_eq!(run.json()["error"], kind, "{fault:?}: {run:#?}");
    assert!(
        run.stderr.contains("unchanged"),
        "the message says nothing was lost: {}",
        run.stderr
    );
    assert_eq!(
        CacheState::read(&world.db),
        before,
        "{fault:?} changed the cache"
    );
    // The reader still works on the old content.
    csec(&[&"search", &"ACL 16-49", &"--db", &world.db]).ok();
    drop(server);

    let good = CsecServe::start(&bundle, &world.path("good.log"));
    let report = world.sync(&good.url, &[]).ok().json();
    assert_eq!(
        (report["status"].as_str(), report["version"].as_u64()),
        (Some("updated"), Some(9))
    );
    let after = CacheState::read(&world.db);
    assert_eq!(after.items, edition(&bundle, &world.keys).1);
    assert_eq!(after.bookmarks, before.bookmarks);
    (world, bundle)
}

#[test]
fn connection_dropped_mid_body() {
    fails_cleanly(Fault::DropMidBody, "network", &[]);
}

#[test]
fn body_stalls() {
    fails_cleanly(Fault::StallMidBody, "timeout", &["--timeout", "1"]);
}

#[test]
fn missing_object_then_resume_downloads_only_it() {
    let world = World::new();
    world.seeded_cache_with_bookmarks();
    let bundle = world.edited_bundle("edited", 4, LATER);
    let (_, items) = edition(&bundle, &world.keys);
    let missing = items["guidance/acl-16-49"].clone();
    let faulty = FaultServer::start(&bundle, Fault::MissingObject(missing.clone()));
    let run = world.sync(&faulty.url, &[]).fails();
    assert_eq!(run.json()["error"], "server-error");
    assert!(run.stderr.contains("404"), "{}", run.stderr);
    assert_eq!(CacheState::read(&world.db).version, 0);
    // The verified objects wait beside the cache, not in it.
    let staging = world.db.with_file_name("cache.sqlite-staging");
    assert!(
        staging.exists(),
        "{} holds the objects to resume with",
        staging.display()
    );

    let good = CsecServe::start(&bundle, &world.path("good.log"));
    let report = world.sync(&good.url, &[]).ok().json();
    assert_eq!(report["changed"], markdown_items());
    assert!(
        !staging.exists(),
        "the applied sync deletes its staging file"
    );
    // Objects verified before the failure were kept: only the missing one is fetched.
    assert_eq!(
        report["bytes"].as_u64(),
        Some(manifest_size(&bundle) + bytes_of(&bundle, &missing))
    );
    assert_eq!(CacheState::read(&world.db).items, items);
}

#[test]
fn server_errors_are_retried() {
    let world = World::new();
    let bundle = world.edited_bundle("edited", 5, LATER);
    let server = FaultServer::start(&bundle, Fault::FailFirst(2));
    let report = world.sync(&server.url, &[]).ok().json();
    assert_eq!(report["version"], 5);
    let manifest_requests = server
        .requests()
        .iter()
        .filter(|p| *p == "/manifest.json")
        .count();
    assert_eq!(manifest_requests, 3, "two 500s, then success");
}

#[test]
fn object_bytes_that_do_not_match_the_hash() {
    fails_cleanly(Fault::WrongBytes, "object-corrupt", &[]);
}

#[test]
fn endless_object() {
    fails_cleanly(Fault::EndlessObject, "object-too-large", &[]);
}

#[test]
fn manifest_larger_than_the_cap() {
    fails_cleanly(Fault::EndlessManifest, "manifest-too-large", &[]);
}

#[test]
fn truncated_manifest() {
    fails_cleanly(Fault::TruncatedManifest, "manifest-invalid", &[]);
}

#[test]
fn manifest_that_is_not_json() {
    fails_cleanly(Fault::NotJsonManifest, "manifest-invalid", &[]);
}

#[test]
fn redirect_to_another_host() {
    let world = World::new();
    let elsewhere = FaultServer::start(&world.path("none"), Fault::None);
    // localhost and 127.0.0.1 are different origins.
    let target = elsewhere.url.replace("127.0.0.1", "localhost");
    fails_cleanly(Fault::RedirectTo(target), "redirect", &[]);
    assert!(
        elsewhere.requests().is_empty(),
        "the other host was never contacted"
    );
}

/// A good edition on a faulty server: the fault is in the bundle itself.
fn refused_edition(bundle: &Path, world: &World, kind: &str) {
    let before = CacheState::read(&world.db);
    let server = FaultServer::start(bundle, Fault::None);
    let run = world.sync(&server.url, &[]).fails();
    assert_eq!(run.json()["error"], kind, "{run:#?}");
    assert_eq!(CacheState::read(&world.db), before);
    let objects = server
        .requests()
        .iter()
        .filter(|p| p.starts_with("/objects/"))
        .count();
    assert_eq!(objects, 0, "nothing is downloaded for a refused manifest");
}

#[test]
fn manifest_signed_by_another_key() {
    let world = World::new();
    world.seeded_cache_with_bookmarks();
    let other = keygen(&world.path("other-keys"));
    let content = edited_content(&world.path("content"), "other");
    let bundle = world.path("other");
    build(&content, &other, &bundle, 8, LATER);
    refused_edition(&bundle, &world, "untrusted");
}

#[test]
fn older_edition_is_a_rollback() {
    let world = World::new();
    world.seeded_cache_with_bookmarks();
    let current = world.edited_bundle("current", 20, LATER);
    let good = CsecServe::start(&current, &world.path("good.log"));
    world.sync(&good.url, &[]).ok();
    let older = world.edited_bundle("older", 19, LATER);
    refused_edition(&older, &world, "rollback");
    let run = world
        .sync(&FaultServer::start(&older, Fault::None).url, &[])
        .fails();
    assert!(
        run.stderr.contains("19") && run.stderr.contains("20"),
        "{}",
        run.stderr
    );
    // A newer edition is accepted again.
    let newer = world.edited_bundle("newer", 21, LATER);
    let report = world
        .sync(&CsecServe::start(&newer, &world.path("n.log")).url, &[])
        .ok()
        .json();
    assert_eq!(report["version"], 21);
}

#[test]
fn expired_edition() {
    let world = World::new();
    world.seeded_cache_with_bookmarks();
    // Version 1,700,000,000 reads as November 2023, the publication time.
    let bundle = world.edited_bundle("expired", 1_700_000_000, "2025-01-01T00:00:00Z");
    refused_edition(&bundle, &world, "expired");
}

#[test]
fn plain_http_to_another_machine_is_refused_before_any_request() {
    let world = World::new();
    world.seeded_cache_with_bookmarks();
    let run = world.sync("http://example.org/csec/", &[]).fails();
    assert_eq!(run.json()["error"], "insecure-source");
}

#[test]
fn the_outcome_is_recorded() {
    let world = World::new();
    let bundle = world.edited_bundle("edited", 2, LATER);
    let bad = FaultServer::start(&bundle, Fault::NotJsonManifest);
    world.sync(&bad.url, &[]).fails();
    let meta = |key: &str| -> Option<String> {
        let conn = rusqlite_open(&world.db);
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .ok()
    };
    assert_eq!(
        meta("last_sync_outcome").as_deref(),
        Some("manifest-invalid")
    );
    assert_eq!(meta("last_sync"), None);
    let good = CsecServe::start(&bundle, &world.path("good.log"));
    world.sync(&good.url, &[]).ok();
    assert_eq!(meta("last_sync_outcome").as_deref(), Some("updated"));
    assert!(meta("last_sync").is_some());
}

fn rusqlite_open(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

/// `curl` against `csec serve`: response headers as (status line, lower-case headers).
fn curl_head(url: &str, extra: &[&str]) -> (String, String) {
    let output = std::process::Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--output",
            "/dev/null",
            "--dump-header",
            "-",
        ])
        .args(extra)
        .arg(url)
        .output()
        .expect("curl is installed (.ci/run installs it)");
    let head = String::from_utf8_lossy(&output.stdout).to_lowercase();
    let status = head.lines().next().unwrap_or_default().trim().to_string();
    (status, head)
}

#[test]
fn csec_serve_sends_strong_etags_gzip_and_immutable_objects() {
    let world = World::new();
    let bundle = world.path("bundle");
    build(&repo_root().join("content"), &world.keys, &bundle, 1, LATER);
    let server = CsecServe::start(&bundle, &world.path("serve.log"));
    let manifest = format!("{}manifest.json", server.url);

    let (status, head) = curl_head(&manifest, &["-H", "Accept-Encoding: gzip"]);
    assert_eq!(status, "http/1.1 200 ok");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("cache-control: no-cache"), "{head}");
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .map(|e| e.trim().to_string())
        .expect("an ETag");
    assert!(etag.starts_with('"'), "strong, not W/: {etag}");
    let (status, _) = curl_head(
        &manifest,
        &[
            "-H",
            "Accept-Encoding: gzip",
            "-H",
            &format!("If-None-Match: {etag}"),
        ],
    );
    assert_eq!(status, "http/1.1 304 not modified");
    let (status, head) = curl_head(&manifest, &["-H", &format!("If-None-Match: {etag}")]);
    assert_eq!(
        status, "http/1.1 200 ok",
        "the plain representation has its own ETag"
    );
    assert!(!head.contains("content-encoding"), "{head}");

    let (_, items) = edition(&bundle, &world.keys);
    let object = format!("{}objects/{}", server.url, items["guidance/acl-16-49"]);
    let (status, head) = curl_head(&object, &[]);
    assert_eq!(status, "http/1.1 200 ok");
    assert!(
        head.contains("cache-control: public, max-age=31536000, immutable"),
        "{head}"
    );
    let (status, _) = curl_head(
        &object,
        &[
            "-H",
            &format!("If-None-Match: \"{}\"", items["guidance/acl-16-49"]),
        ],
    );
    assert_eq!(status, "http/1.1 304 not modified");
    for path in ["objects/../manifest.json", "objects/abc", "signing.key", ""] {
        let (status, _) = curl_head(&format!("{}{path}", server.url), &["--path-as-is"]);
        assert_eq!(status, "http/1.1 404 not found", "{path}");
    }
}

/// A format 2 edition whose first index file on the host is damaged by `damage`
/// (given that file's path in a copy of the bundle): the sync fails with `kind`, names
/// the index file, and leaves the library exactly as it was; the intact bundle then
/// syncs.
fn index_file_fault(damage: impl Fn(&Path, &Path), kind: &str) {
    let world = World::new();
    let before = world.seeded_cache_with_bookmarks();
    let bundle = world.edited_bundle("edited", 9, LATER);
    let served = world.path("served");
    csec_tests::copy_dir(&bundle, &served);
    let index = index_files(&served).into_iter().next().unwrap();
    damage(&served.join(&index), &served);
    let server = CsecServe::start(&served, &world.path("bad.log"));
    let run = world.sync(&server.url, &[]).fails();
    assert_eq!(run.json()["error"], kind, "{run:#?}");
    assert!(run.stderr.contains("unchanged"), "{}", run.stderr);
    assert!(
        run.stderr.contains("index file") || run.stderr.contains("404"),
        "the message says what failed: {}",
        run.stderr
    );
    assert_eq!(CacheState::read(&world.db), before);
    csec(&[&"search", &"ACL 16-49", &"--db", &world.db]).ok();

    let good = CsecServe::start(&bundle, &world.path("good.log"));
    world.sync(&good.url, &[]).ok();
    let after = CacheState::read(&world.db);
    assert_eq!(after.items, edition(&bundle, &world.keys).1);
    assert_eq!(after.bookmarks, before.bookmarks);
}

#[test]
fn a_tampered_index_file_is_refused() {
    index_file_fault(
        |index, _| {
            let mut bytes = std::fs::read(index).unwrap();
            let at = bytes.len() / 2;
            bytes[at] ^= 0x01;
            std::fs::write(index, bytes).unwrap();
        },
        "object-corrupt",
    );
}

#[test]
fn an_index_file_larger_than_the_root_says_is_cut_off() {
    index_file_fault(
        |index, _| {
            let mut bytes = std::fs::read(index).unwrap();
            bytes.extend(std::iter::repeat_n(b' ', 1 << 20));
            std::fs::write(index, bytes).unwrap();
        },
        "object-too-large",
    );
}

#[test]
fn an_index_file_missing_on_the_host_stops_the_sync() {
    index_file_fault(
        |index, _| std::fs::remove_file(index).unwrap(),
        "server-error",
    );
}

#[test]
fn an_index_file_of_another_edition_is_refused() {
    // The host serves, under the name this root gives, an index file of the edition
    // before (a stale CDN, or a mix-up): its hash is not the one signed.
    let other = TempDir::new().unwrap();
    let keys = keygen(&other.path().join("keys"));
    let older = other.path().join("older");
    build(&repo_root().join("content"), &keys, &older, 1, LATER);
    let stale = index_files(&older).into_iter().next().unwrap();
    index_file_fault(
        |index, _| {
            std::fs::copy(older.join(&stale), index)
                .map(|_| ())
                .unwrap()
        },
        "object-corrupt",
    );
}

#[test]
fn a_format_1_bundle_still_syncs_and_a_format_2_edition_follows_it() {
    // A host still serving the first format (every entry in the signed manifest), then
    // the same host moving to format 2: a device goes through both.
    let world = World::new();
    let before = world.seeded_cache_with_bookmarks();
    let edited = world.edited_bundle("edited", 3, LATER);
    let trusted =
        csec_bundle::parse_public_keys(&std::fs::read_to_string(&world.keys.public).unwrap())
            .unwrap();
    let key = csec_bundle::parse_secret_key(&std::fs::read_to_string(&world.keys.secret).unwrap())
        .unwrap();
    let mut manifest = csec_publish::verify_bundle(&edited, &trusted).unwrap();
    manifest.format = csec_bundle::FORMAT.to_string();
    let old = world.path("format-1");
    csec_tests::copy_dir(&edited, &old);
    std::fs::remove_dir_all(old.join("indexes")).unwrap();
    std::fs::write(
        old.join("manifest.json"),
        csec_bundle::sign_manifest(&manifest, &key),
    )
    .unwrap();
    csec(&[&"verify", &old, &"--trust", &world.keys.public]).ok();
    let server = CsecServe::start(&old, &world.path("old.log"));
    let report = world.sync(&server.url, &[]).ok().json();
    assert_eq!(
        (report["version"].as_u64(), report["changed"].as_u64()),
        (Some(3), Some(markdown_items() as u64))
    );
    drop(server);

    let next = world.edited_bundle("next", 4, LATER);
    let server = CsecServe::start(&next, &world.path("next.log"));
    let report = world.sync(&server.url, &[]).ok().json();
    assert_eq!(report["version"], 4);
    let after = CacheState::read(&world.db);
    assert_eq!(after.items, edition(&next, &world.keys).1);
    assert_eq!(after.bookmarks, before.bookmarks);
}
