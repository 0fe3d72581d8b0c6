//! Attachments end to end, against `csec serve` on 127.0.0.1: an update lists them,
//! opening one downloads it once (checked against its item's listing), an update may
//! bring them along, and a damaged, oversized or missing file is never kept.

use std::path::PathBuf;

use csec_tests::editions::{
    ATTACHED_REPORT, CacheState, Keys, LATER, attach, build, generated_pdf, keygen,
};
use csec_tests::servers::CsecServe;
use csec_tests::{Run, csec, repo_root};
use tempfile::TempDir;

const FILE: &str = "full-report.pdf";

struct World {
    tmp: TempDir,
    keys: Keys,
    db: PathBuf,
    bundle: PathBuf,
    pdf: Vec<u8>,
    server: CsecServe,
}

impl World {
    /// The real content with a generated PDF attached to one report, built and served.
    fn new() -> World {
        let tmp = TempDir::new().unwrap();
        let keys = keygen(&tmp.path().join("keys"));
        let content = tmp.path().join("content");
        csec_tests::copy_dir(&repo_root().join("content"), &content);
        let pdf = generated_pdf("attachment test");
        attach(&content, FILE, "Full report (PDF)", &pdf);
        let bundle = tmp.path().join("bundle");
        build(&content, &keys, &bundle, 1, LATER);
        let server = CsecServe::start(&bundle, &tmp.path().join("serve.log"));
        let db = tmp.path().join("cache.sqlite");
        World {
            tmp,
            keys,
            db,
            bundle,
            pdf,
            server,
        }
    }

    fn sync(&self, extra: &[&str]) -> serde_json::Value {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
            &"sync",
            &self.server.url,
            &"--db",
            &self.db,
            &"--trust",
            &self.keys.public,
            &"--json",
        ];
        for arg in extra {
            args.push(arg);
        }
        csec(&args).ok().json()
    }

    /// `csec attachment` for the report's PDF, into `out`.
    fn open(&self, out: &str) -> Run {
        let out = self.tmp.path().join(out);
        csec(&[
            &"attachment",
            &ATTACHED_REPORT,
            &FILE,
            &"--out",
            &out,
            &"--db",
            &self.db,
            &"--url",
            &self.server.url,
        ])
    }

    /// The report's attachment as the item page gets it.
    fn listed(&self) -> serde_json::Value {
        let shown = csec(&[&"show", &ATTACHED_REPORT, &"--db", &self.db, &"--json"])
            .ok()
            .json();
        let attachments = shown["attachments"].as_array().expect("a list").clone();
        assert_eq!(attachments.len(), 1, "{shown}");
        attachments[0].clone()
    }

    fn object(&self) -> PathBuf {
        self.bundle
            .join("objects")
            .join(csec_bundle::sha256_hex(&self.pdf))
    }

    fn pdf_requests(&self) -> usize {
        let sha = csec_bundle::sha256_hex(&self.pdf);
        self.server
            .requests()
            .iter()
            .filter(|r| r.contains(&sha))
            .count()
    }
}

#[test]
fn an_update_lists_attachments_and_opening_one_downloads_it_once() {
    let world = World::new();
    world.sync(&[]);
    let listed = world.listed();
    assert_eq!(listed["file_name"], FILE);
    assert_eq!(listed["title"], "Full report (PDF)");
    assert_eq!(listed["size"], world.pdf.len() as u64);
    assert_eq!(listed["on_device"], false);
    assert_eq!(world.pdf_requests(), 0, "the update did not fetch it");

    let run = world.open("first.pdf").ok();
    assert!(run.stdout.contains("downloaded"), "{}", run.stdout);
    assert_eq!(
        std::fs::read(world.tmp.path().join("first.pdf")).unwrap(),
        world.pdf
    );
    assert_eq!(world.listed()["on_device"], true);
    assert_eq!(world.pdf_requests(), 1);

    // Opened again: from the library, with no request.
    let run = world.open("second.pdf").ok();
    assert!(run.stdout.contains("from the cache"), "{}", run.stdout);
    assert_eq!(
        std::fs::read(world.tmp.path().join("second.pdf")).unwrap(),
        world.pdf
    );
    assert_eq!(world.pdf_requests(), 1);
}

#[test]
fn an_update_may_bring_the_attachments_along() {
    let world = World::new();
    let report = world.sync(&["--attachments"]);
    assert_eq!(report["status"], "updated");
    assert_eq!(report["attachments"]["fetched"], 1, "{report}");
    assert_eq!(report["attachments"]["missing"], 0, "{report}");
    assert_eq!(world.listed()["on_device"], true);
    // The next check brings nothing: it is already here.
    let again = world.sync(&["--attachments"]);
    assert_eq!(again["status"], "up-to-date");
    assert_eq!(again["attachments"]["fetched"], 0, "{again}");
    assert_eq!(world.pdf_requests(), 1);
}

#[test]
fn a_damaged_oversized_or_missing_attachment_is_never_kept() {
    let world = World::new();
    world.sync(&[]);
    let before = CacheState::read(&world.db);
    let object = world.object();
    let mut flipped = world.pdf.clone();
    flipped[12] ^= 1;
    let longer = [world.pdf.as_slice(), b"% and more\n"].concat();
    let cases: [(&str, Option<&[u8]>, &str); 3] = [
        (
            "tampered",
            Some(&flipped),
            "does not match the SHA-256 its item lists",
        ),
        ("oversized", Some(&longer), "larger than"),
        ("missing", None, "answered 404"),
    ];
    for (case, bytes, says) in cases {
        match bytes {
            Some(bytes) => std::fs::write(&object, bytes).unwrap(),
            None => std::fs::remove_file(&object).unwrap(),
        }
        let run = world.open(&format!("{case}.pdf")).fails();
        assert!(run.stderr.contains(says), "{case}: {}", run.stderr);
        assert!(
            run.stderr.contains(FILE),
            "{case} names the file: {}",
            run.stderr
        );
        assert!(
            !world.tmp.path().join(format!("{case}.pdf")).exists(),
            "{case}: nothing written"
        );
        assert_eq!(world.listed()["on_device"], false, "{case}");
        assert_eq!(
            CacheState::read(&world.db),
            before,
            "{case}: the library as it was"
        );

        // An update that would bring it along still installs, and says it is missing.
        let report = world.sync(&["--attachments"]);
        assert_eq!(report["attachments"]["missing"], 1, "{case}: {report}");
        assert_eq!(world.listed()["on_device"], false, "{case}");
    }
    // Put right on the host, it opens.
    std::fs::write(&object, &world.pdf).unwrap();
    world.open("repaired.pdf").ok();
    assert_eq!(world.listed()["on_device"], true);
}
