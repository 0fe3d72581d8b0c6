//! `csec keygen`, `csec build` and `csec verify`: keys are private, builds are
//! reproducible, and any change to a bundle is caught and named.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use csec_tests::{csec, files_under, fixture};
use tempfile::TempDir;

const EXPIRES: &str = "2099-01-01T00:00:00Z";

fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    let run = csec(&[&"keygen", &"--out", &dir]).ok();
    let secret = std::fs::read_to_string(dir.join("signing.key")).unwrap();
    let encoded = secret.lines().last().unwrap().split(':').nth(1).unwrap();
    assert!(
        !run.stdout.contains(encoded) && !run.stderr.contains(encoded),
        "secret printed"
    );
    (dir.join("signing.key"), dir.join("signing.pub"))
}

fn build(key: &Path, out: &Path, version: &str) {
    build_from(Path::new("content"), key, out, version);
}

/// `csec build CONTENT --key KEY --out OUT --version V` with a far expiry.
fn build_from(content: &Path, key: &Path, out: &Path, version: &str) {
    csec(&[
        &"build",
        &content,
        &"--key",
        &key,
        &"--out",
        &out,
        &"--version",
        &version,
        &"--expires",
        &EXPIRES,
    ])
    .ok();
}

fn verify(bundle: &Path, public: &Path) -> csec_tests::Run {
    csec(&[&"verify", &bundle, &"--trust", &public])
}

struct Fixture {
    _tmp: TempDir,
    public: PathBuf,
    bundle: PathBuf,
}

fn built() -> Fixture {
    let tmp = TempDir::new().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let bundle = tmp.path().join("bundle");
    build(&key, &bundle, "42");
    Fixture {
        _tmp: tmp,
        public,
        bundle,
    }
}

#[test]
fn the_secret_key_is_mode_0600_and_never_overwritten() {
    let tmp = TempDir::new().unwrap();
    let (key, public) = keygen(tmp.path());
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let before = std::fs::read(&key).unwrap();
    let run = csec(&[&"keygen", &"--out", &tmp.path()]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&key).unwrap(), before);
    assert!(
        std::fs::read_to_string(public)
            .unwrap()
            .starts_with("csec-ed25519:")
    );
}

#[test]
fn two_builds_of_the_same_inputs_are_byte_identical() {
    let tmp = TempDir::new().unwrap();
    let (key, _) = keygen(&tmp.path().join("keys"));
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&key, &a, "7");
    build(&key, &b, "7");
    let files = files_under(&a);
    assert_eq!(files, files_under(&b));
    assert!(files.len() > 100, "one object per item plus the manifest");
    for file in &files {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{}",
            file.display()
        );
    }
    // A new version changes only the manifest.
    build(&key, &b, "8");
    assert_eq!(files_under(&b), files);
    assert_ne!(
        std::fs::read(a.join("manifest.json")).unwrap(),
        std::fs::read(b.join("manifest.json")).unwrap()
    );
}

#[test]
fn a_default_build_expires_90_days_after_publication() {
    let tmp = TempDir::new().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let out = tmp.path().join("bundle");
    let run = csec(&[
        &"build",
        &"content",
        &"--key",
        &key,
        &"--out",
        &out,
        &"--version",
        &"1900000000",
    ])
    .ok();
    assert!(
        run.stdout.contains("published 2030-03-17T17:46:40Z"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("expires 2030-06-15T17:46:40Z"),
        "{}",
        run.stdout
    );
    verify(&out, &public).ok();
}

#[test]
fn an_intact_bundle_verifies() {
    let f = built();
    let run = verify(&f.bundle, &f.public).ok();
    assert!(run.stdout.contains("version 42"), "{}", run.stdout);
}

#[test]
fn flipping_a_byte_in_any_file_fails_and_names_the_file() {
    let f = built();
    for file in files_under(&f.bundle) {
        let path = f.bundle.join(&file);
        let original = std::fs::read(&path).unwrap();
        for at in [0, original.len() / 2, original.len() - 1] {
            let mut changed = original.clone();
            changed[at] ^= 0x01;
            std::fs::write(&path, &changed).unwrap();
            let run = verify(&f.bundle, &f.public).fails();
            assert!(
                run.stderr.contains(&path.display().to_string()),
                "{} at {at}: {}",
                file.display(),
                run.stderr
            );
        }
        std::fs::write(&path, &original).unwrap();
    }
    verify(&f.bundle, &f.public).ok();
}

#[test]
fn every_single_byte_of_the_manifest_is_protected() {
    // In-process: one verify per byte of the manifest would take minutes as processes.
    let f = built();
    let keys =
        csec_bundle::parse_public_keys(&std::fs::read_to_string(&f.public).unwrap()).unwrap();
    let path = f.bundle.join("manifest.json");
    let original = std::fs::read(&path).unwrap();
    for at in 0..original.len() {
        for flip in [0x01, 0x80] {
            let mut changed = original.clone();
            changed[at] ^= flip;
            assert!(
                csec_bundle::open_manifest(&changed, &keys).is_err(),
                "flipping bit {flip:#x} of byte {at} went unnoticed"
            );
        }
    }
}

/// The first file in `dir`.
fn first_file(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

/// `csec verify` fails and its message holds every one of `needles`.
fn verify_fails_saying(bundle: &Path, public: &Path, needles: &[&str]) {
    let run = verify(bundle, public).fails();
    for needle in needles {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
}

#[test]
fn a_missing_or_unexpected_file_fails_and_is_named() {
    let f = built();
    let objects = f.bundle.join("objects");
    let indexes = f.bundle.join("indexes");
    // A missing object, and (format 2) a missing index file.
    for victim in [first_file(&objects), first_file(&indexes)] {
        let saved = std::fs::read(&victim).unwrap();
        std::fs::remove_file(&victim).unwrap();
        verify_fails_saying(
            &f.bundle,
            &f.public,
            &[&format!("{}: missing", victim.display())],
        );
        std::fs::write(&victim, saved).unwrap();
    }
    for extra in [
        objects.join("0000"),
        f.bundle.join("notes.txt"),
        indexes.join("0".repeat(64)),
    ] {
        std::fs::write(&extra, "hello").unwrap();
        verify_fails_saying(
            &f.bundle,
            &f.public,
            &[&format!("{}: unexpected file", extra.display())],
        );
        std::fs::remove_file(&extra).unwrap();
    }
    // An index file larger than any may be is refused before it is read.
    let index = first_file(&indexes);
    let saved = std::fs::read(&index).unwrap();
    let mut huge = saved.clone();
    huge.resize(csec_bundle::INDEX_CAP as usize + 1, b' ');
    std::fs::write(&index, &huge).unwrap();
    verify_fails_saying(
        &f.bundle,
        &f.public,
        &[&index.display().to_string(), "more than"],
    );
    std::fs::write(&index, saved).unwrap();
    verify(&f.bundle, &f.public).ok();

    std::fs::remove_file(f.bundle.join("manifest.json")).unwrap();
    verify_fails_saying(&f.bundle, &f.public, &["manifest.json"]);
}

#[test]
fn a_bundle_signed_by_another_key_fails() {
    let f = built();
    let other = TempDir::new().unwrap();
    let (_, other_public) = keygen(other.path());
    let run = verify(&f.bundle, &other_public).fails();
    assert!(
        run.stderr.contains("not signed by a trusted key"),
        "{}",
        run.stderr
    );
    // A trust file listing both keys (rotation) accepts it.
    let both = other.path().join("both.pub");
    let text = std::fs::read_to_string(&other_public).unwrap()
        + &std::fs::read_to_string(&f.public).unwrap();
    std::fs::write(&both, text).unwrap();
    verify(&f.bundle, &both).ok();
}

#[test]
fn invalid_content_is_never_built() {
    let tmp = TempDir::new().unwrap();
    let (key, _) = keygen(&tmp.path().join("keys"));
    let out = tmp.path().join("bundle");
    let run = csec(&[
        &"build",
        &fixture("defects"),
        &"--key",
        &key,
        &"--out",
        &out,
    ])
    .fails();
    assert!(run.stderr.contains("13 problems"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was built"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn build_refuses_to_write_over_a_folder_that_is_not_a_bundle() {
    let tmp = TempDir::new().unwrap();
    let (key, _) = keygen(&tmp.path().join("keys"));
    let out = tmp.path().join("documents");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("letter.docx"), "precious").unwrap();
    let run = csec(&[
        &"build",
        &"content",
        &"--key",
        &key,
        &"--out",
        &out,
        &"--version",
        &"1",
        &"--expires",
        &EXPIRES,
    ]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("not a bundle directory"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(out.join("letter.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn signing_with_the_public_key_is_explained() {
    let f = built();
    let run = csec(&[
        &"build", &"content", &"--key", &f.public, &"--out", &f.bundle,
    ]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("signing.key"), "{}", run.stderr);
}

#[test]
fn a_placeholder_contact_is_never_published_without_the_draft_flag() {
    let tmp = TempDir::new().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let content = tmp.path().join("content");
    csec_tests::copy_dir(&csec_tests::repo_root().join("content"), &content);
    let fresno = content.join("counties/fresno.toml");
    let mut text = std::fs::read_to_string(&fresno).unwrap();
    text.push_str(
        "\n[[agencies]]\nrole = \"probation\"\nname = \"Fresno County Probation (draft)\"\nverified = false\n\n[[agencies.phones]]\nnumber = \"(559) 555-0110\"\ntype = \"voice\"\n",
    );
    std::fs::write(&fresno, text).unwrap();
    // A draft with a placeholder is valid content...
    csec(&[&"check", &content]).ok();
    // ...but building it for publication is refused, and nothing is written.
    let out = tmp.path().join("bundle");
    let run = csec(&[&"build", &content, &"--key", &key, &"--out", &out]).fails();
    assert!(
        run.stderr.contains(
            "1 unverified placeholder contact would be published (counties/fresno: probation)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--allow-unverified-contacts"),
        "{}",
        run.stderr
    );
    assert!(!out.join("manifest.json").exists());
    // The publisher can still build a draft on purpose.
    csec(&[
        &"build",
        &content,
        &"--key",
        &key,
        &"--out",
        &out,
        &"--allow-unverified-contacts",
    ])
    .ok();
    csec(&[&"verify", &out, &"--trust", &public]).ok();
}

#[test]
fn the_manifest_carries_the_editions_review_date() {
    let tmp = TempDir::new().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let out = tmp.path().join("bundle");
    csec(&[
        &"build",
        &csec_tests::repo_root().join("content"),
        &"--key",
        &key,
        &"--out",
        &out,
    ])
    .ok();
    let trusted =
        csec_bundle::parse_public_keys(&std::fs::read_to_string(public).unwrap()).unwrap();
    let manifest = csec_publish::verify_bundle(&out, &trusted).unwrap();
    let edition =
        std::fs::read_to_string(csec_tests::repo_root().join("content/edition.toml")).unwrap();
    let reviewed = manifest
        .reviewed
        .expect("the manifest says when the edition was reviewed");
    assert!(
        edition.contains(&format!("reviewed = \"{reviewed}\"")),
        "{reviewed} vs {edition}"
    );
}

#[test]
fn an_attachment_is_built_as_an_object_and_verified_like_one() {
    use csec_tests::editions::{ATTACHED_REPORT, attach, generated_pdf};
    let tmp = TempDir::new().unwrap();
    let (key, public) = keygen(&tmp.path().join("keys"));
    let content = tmp.path().join("content");
    csec_tests::copy_dir(&csec_tests::repo_root().join("content"), &content);
    let pdf = generated_pdf("the full report");
    attach(&content, "full-report.pdf", "Full report (PDF)", &pdf);
    let bundle = tmp.path().join("bundle");
    build_from(&content, &key, &bundle, "7");
    let stored = bundle.join("objects").join(csec_bundle::sha256_hex(&pdf));
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        pdf,
        "the bytes, as an object"
    );
    verify(&bundle, &public).ok();

    // Any changed byte is caught and the file named, as for every object.
    let mut tampered = pdf.clone();
    tampered[20] ^= 1;
    std::fs::write(&stored, &tampered).unwrap();
    verify_fails_saying(
        &bundle,
        &public,
        &[
            &stored.display().to_string(),
            &format!("the attachment full-report.pdf of {ATTACHED_REPORT}"),
            "SHA-256",
        ],
    );
    std::fs::write(&stored, [pdf.as_slice(), b"more"].concat()).unwrap();
    verify_fails_saying(
        &bundle,
        &public,
        &["more than the", "this attachment's listing"],
    );
    std::fs::remove_file(&stored).unwrap();
    verify_fails_saying(
        &bundle,
        &public,
        &[
            &format!("{}: missing", stored.display()),
            "attachment full-report.pdf",
        ],
    );

    // Built again without the listing, the object goes with it.
    csec_tests::copy_dir(&csec_tests::repo_root().join("content"), &content);
    std::fs::remove_file(content.join("reports/full-report.pdf")).unwrap();
    std::fs::write(&stored, &pdf).unwrap();
    build_from(&content, &key, &bundle, "8");
    assert!(!stored.exists(), "an attachment no item lists is removed");
    verify(&bundle, &public).ok();
}
