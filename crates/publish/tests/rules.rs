//! One test per validation rule that the defect fixture does not cover, on a small
//! valid tree changed in one place; and a check that no input makes `load` panic.

use std::path::Path;

use csec_publish::{LoadError, load};
use tempfile::TempDir;

const SOURCE: &str = "[[sources]]\ntitle = \"S\"\nurl = \"https://example.org/s\"\n";

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn guidance(number: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{number}\"\ndate = \"2016\"\nsummary = \"S.\"\nnumber = \"{number}\"\ntype = \"{}\"\nstatus = \"current\"\n{extra}{SOURCE}+++\n\nA summary, not the official text.\n",
        number.split(' ').next().unwrap()
    )
}

/// A valid tree: one timeline entry and one letter.
fn tree() -> TempDir {
    let tmp = TempDir::new().unwrap();
    write(
        tmp.path(),
        "guidance/acl-16-49.md",
        &guidance("ACL 16-49", ""),
    );
    write(
        tmp.path(),
        "timeline/entry.md",
        &format!(
            "+++\ntitle = \"T\"\ndate = \"2016-05\"\nsummary = \"S.\"\nevent_type = \"guidance\"\nrelated = [\"guidance/acl-16-49\"]\n{SOURCE}+++\n\nSee [it](guidance/acl-16-49#what-changed).\n"
        ),
    );
    tmp
}

fn problems(root: &Path) -> Vec<String> {
    match load(root) {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid(problems)) => problems.iter().map(|p| p.to_string()).collect(),
        Err(other) => panic!("{other}"),
    }
}

/// Changes one file of a valid tree and expects exactly one problem saying `says`.
fn expect_one(path: &str, text: &str, says: &str) {
    let tmp = tree();
    assert!(problems(tmp.path()).is_empty(), "the base tree is valid");
    expect_one_in(&tmp, path, text, says);
}

#[test]
fn the_base_tree_loads_with_every_field() {
    let tmp = tree();
    let content = load(tmp.path()).unwrap();
    assert_eq!(content.items.len(), 2);
    assert_eq!(content.items[1].id, "timeline/entry");
    assert_eq!(
        content.items[1].date.as_deref(),
        Some("2016-05"),
        "precision is kept"
    );
}

#[test]
fn guidance_rules() {
    expect_one(
        "guidance/acl-16-50.md",
        &guidance("ACL 16-49", ""),
        "must live in guidance/acl-16-49.md",
    );
    expect_one(
        "guidance/acl-16-49.md",
        &guidance("ACL 16-49", "status = \"x\"\n").replace("status = \"current\"\n", ""),
        "`status` is \"x\"",
    );
    expect_one(
        "guidance/acl-16-49.md",
        &guidance("ACL 16-49", "").replace("status = \"current\"", "status = \"superseded\""),
        "`superseded_by` is missing",
    );
    expect_one(
        "guidance/acl-16-49.md",
        &guidance("ACL 16-49", "superseded_by = \"guidance/acl-16-49\"\n"),
        "set status = \"superseded\"",
    );
    expect_one(
        "guidance/acl-16-49.md",
        &guidance("ACL 16-49", "").replace("type = \"ACL\"", "type = \"ACIN\""),
        "does not match `type`",
    );
    expect_one(
        "guidance/acl-1649.md",
        &guidance("ACL 1649", ""),
        "must look like \"ACL 16-49\"",
    );
    expect_one(
        "guidance/acl-16-50.md",
        &guidance(
            "ACL 16-50",
            "status = \"superseded\"\nsuperseded_by = \"timeline/entry\"\n",
        )
        .replace("status = \"current\"\n", ""),
        "is a timeline item, not guidance",
    );
}

#[test]
fn document_rules() {
    let entry = |front: &str, body: &str| {
        format!(
            "+++\ntitle = \"T\"\ndate = \"2016\"\nsummary = \"S.\"\nevent_type = \"event\"\n{front}{SOURCE}+++\n\n{body}\n"
        )
    };
    expect_one(
        "timeline/a.md",
        &entry("related = [\"timeline/a\"]\n", ""),
        "related to itself",
    );
    expect_one(
        "timeline/a.md",
        &entry("related = [\"timeline/nope\"]\n", ""),
        "related item timeline/nope does not exist",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "<script>alert(1)</script>"),
        "raw HTML",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "[x](http://cdss.ca.gov)"),
        "must be an https:// address",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "[x](javascript:alert(1))"),
        "must be an https:// address",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "[x](../guidance/acl-16-49.md)"),
        "is not an item id",
    );
    expect_one(
        "timeline/a.md",
        &entry("updated = \"2016\"\n", ""),
        "must be a full date",
    );
    expect_one(
        "timeline/a.md",
        &entry("sumary = \"x\"\n", ""),
        "did you mean `summary`?",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "").replace("date = \"2016\"", "date = 2016-05-23"),
        "must be a quoted string",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "").replace(SOURCE, ""),
        "missing required field `sources`",
    );
    expect_one(
        "timeline/a.md",
        &entry("", "").replace("https://example.org/s", "ftp://x"),
        "must be an https:// address",
    );
    expect_one(
        "timeline/a.md",
        "no front matter\n",
        "must start with a +++ line",
    );
    expect_one("timeline/a.md", "+++\ntitle = \"T\"\n", "never closed");
    expect_one(
        "timeline/A b.md",
        &entry("", ""),
        "file name \"A b.md\" must be lower-case",
    );
    expect_one("timeline/a.toml", "x = 1\n", "holds only .md files");
    expect_one(
        "reports/a.md",
        "+++\ntitle = \"T\"\ndate = \"2016\"\nsummary = \"S.\"\npublisher = 3\n[[sources]]\ntitle = \"S\"\nurl = \"https://example.org\"\n+++\n",
        "`publisher` must be a string, not a number",
    );
}

fn county(overrides: &[(&str, &str)]) -> String {
    let mut text = "name = \"Fresno\"\nfips = \"06019\"\ncsec_program = \"unknown\"\n".to_string();
    for role in [
        "child-welfare",
        "probation",
        "mental-health",
        "public-health",
        "juvenile-court",
        "county-office-of-education",
        "sheriff",
    ] {
        text += &format!(
            "\n[[agencies]]\nrole = \"{role}\"\nname = \"N\"\nemail = \"a@fresno.example.org\"\nwebsite = \"https://fresno.example.org/x\"\nverified = false\n\n[[agencies.phones]]\nnumber = \"(559) 555-0100\"\ntype = \"voice\"\n"
        );
    }
    for (from, to) in overrides {
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn county_rules() {
    let tmp = tree();
    write(tmp.path(), "counties/fresno.toml", &county(&[]));
    assert!(
        problems(tmp.path()).is_empty(),
        "{:#?}",
        problems(tmp.path())
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("06019", "06021")]),
        "FIPS code for Fresno County is 06019",
    );
    // A required role may have no agency: the app says what to do instead, which
    // beats a placeholder that looks like a contact.
    let tmp = tree();
    write(
        tmp.path(),
        "counties/fresno.toml",
        "name = \"Fresno\"\nfips = \"06019\"\ncsec_program = \"unknown\"\n",
    );
    assert!(
        problems(tmp.path()).is_empty(),
        "{:#?}",
        problems(tmp.path())
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[(
            "verified = false\n\n[[agencies.phones]]\nnumber = \"(559) 555-0100\"",
            "verified = true\nsource = { title = \"County site\", url = \"https://www.co.fresno.ca.us\" }\n\n[[agencies.phones]]\nnumber = \"(559) 600-3111\"",
        )])
        .replacen("a@fresno.example.org", "a@fresno.gov", 1)
        .replacen("https://fresno.example.org/x", "https://fresno.gov/x", 1),
        "missing required field `agencies[1].checked`",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("555-0100", "555-0200")]),
        "fiction range",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("a@fresno.example.org", "a@fresno.gov")]),
        "placeholders must use example.org",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("https://fresno.example.org/x", "https://fresno.gov/x")]),
        "placeholders must use example.org",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("csec_program = \"unknown\"", "csec_program = \"yes\"")]),
        "`csec_program` is \"yes\"",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("type = \"voice\"", "type = \"pager\"")]),
        "`agencies[1].phones[1].type` is \"pager\"",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[(
            "verified = false",
            "verified = true\nchecked = \"2026-12-01\"",
        )]),
        "`agencies[1].verified` is true but there is no `source`",
    );
    expect_one(
        "counties/fresno.toml",
        &county(&[("Fresno", "Gotham")]),
        "not the name of a California county",
    );
    expect_one(
        "counties/madera.toml",
        &county(&[]),
        "must live in counties/fresno.toml",
    );
}

#[test]
fn a_real_number_is_allowed_once_verified_with_a_source() {
    let tmp = tree();
    let text = county(&[(
        "verified = false\n\n[[agencies.phones]]\nnumber = \"(559) 555-0100\"",
        // Some county pages are recorded only at an http address.
        "verified = true\nchecked = \"2026-12-01\"\nsource = { title = \"County site\", url = \"http://www.co.fresno.ca.us\" }\n\n[[agencies.phones]]\nnumber = \"(559) 600-3111\"\nhours = \"24 hours\"",
    )])
    .replacen("a@fresno.example.org", "a@fresno.gov", 1)
    .replacen("https://fresno.example.org/x", "https://fresno.gov/x", 1);
    write(tmp.path(), "counties/fresno.toml", &text);
    assert!(
        problems(tmp.path()).is_empty(),
        "{:#?}",
        problems(tmp.path())
    );
}

fn guide(slug_lang: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"G\"\ndate = \"2026-12-02\"\nsummary = \"S.\"\naudience = [\"foster-parents\"]\n{extra}{SOURCE}+++\n\nStep one ({slug_lang}).\n"
    )
}

fn resource(extra: &str, phone: &str) -> String {
    format!(
        "{extra}title = \"Line\"\nsummary = \"S.\"\nscope = \"national\"\nname = \"Line\"\nverified = true\nchecked = \"2026-12-01\"\nsource = {{ title = \"S\", url = \"https://example.org/s\" }}\n\n[[phones]]\nnumber = \"{phone}\"\ntype = \"hotline\"\n"
    )
}

/// A tree with a guide and a resource, each with its Spanish version.
fn bilingual_tree() -> TempDir {
    let tmp = tree();
    write(tmp.path(), "guides/missing.md", &guide("en", ""));
    let es = "lang = \"es\"\ntranslation_of = \"guides/missing\"\n";
    write(tmp.path(), "guides/missing-es.md", &guide("es", es));
    write(
        tmp.path(),
        "resources/line.toml",
        &resource("", "1-800-843-5678"),
    );
    let es = "lang = \"es\"\ntranslation_of = \"resources/line\"\n";
    write(
        tmp.path(),
        "resources/line-es.toml",
        &resource(es, "1-800-843-5678"),
    );
    tmp
}

/// Changes one file of the tree `tmp` and expects exactly one problem saying `says`.
fn expect_one_in(tmp: &TempDir, path: &str, text: &str, says: &str) {
    write(tmp.path(), path, text);
    let found = problems(tmp.path());
    assert_eq!(found.len(), 1, "{path}, expecting {says:?}: {found:#?}");
    assert!(
        found[0].contains(says),
        "{path}: expected {says:?} in {}",
        found[0]
    );
}

#[test]
fn guides_and_resources_need_their_spanish_versions() {
    let tmp = bilingual_tree();
    let content = load(tmp.path()).unwrap();
    let spanish = content
        .items
        .iter()
        .find(|i| i.id == "guides/missing-es")
        .unwrap();
    assert_eq!(spanish.lang, csec_bundle::Lang::Es);
    assert_eq!(spanish.translation_of.as_deref(), Some("guides/missing"));
    std::fs::remove_file(tmp.path().join("guides/missing-es.md")).unwrap();
    let found = problems(tmp.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("guides/missing has no Spanish version"),
        "{}",
        found[0]
    );

    let tmp = bilingual_tree();
    std::fs::remove_file(tmp.path().join("resources/line-es.toml")).unwrap();
    assert!(problems(tmp.path())[0].contains("resources/line has no Spanish version"));
}

#[test]
fn a_translation_must_name_an_english_original_at_the_matching_id() {
    let es = |of: &str| format!("lang = \"es\"\ntranslation_of = \"{of}\"\n");
    expect_one_in(
        &bilingual_tree(),
        "guides/gone-es.md",
        &guide("es", &es("guides/gone")),
        "translation_of guides/gone does not exist",
    );
    expect_one_in(
        &bilingual_tree(),
        "guides/missing-es.md",
        &guide("es", "lang = \"es\"\n"),
        "`translation_of` is missing",
    );
    expect_one_in(
        &bilingual_tree(),
        "guides/missing-es.md",
        &guide("es", "lang = \"fr\"\ntranslation_of = \"guides/missing\"\n"),
        "`lang` is \"fr\"",
    );
    let tmp = bilingual_tree();
    write(tmp.path(), "guides/other.md", &guide("en", ""));
    write(
        tmp.path(),
        "guides/other-es.md",
        &guide("es", &es("guides/other")),
    );
    expect_one_in(
        &tmp,
        "guides/other-es.md",
        &guide("es", &es("guides/missing")),
        "must live at guides/missing-es.md",
    );
    expect_one_in(
        &bilingual_tree(),
        "resources/line-es.toml",
        &resource(&es("resources/line"), "1-888-373-7888"),
        "a translation must list exactly the same numbers",
    );
}

#[test]
fn guide_guidance_and_report_fields_of_the_second_content_model() {
    expect_one_in(
        &bilingual_tree(),
        "guides/missing.md",
        &guide("en", "").replace(
            "audience = [\"foster-parents\"]\n",
            "audience = [\"judges\"]\n",
        ),
        "audience \"judges\" is not one of",
    );
    let tmp = tree();
    write(
        tmp.path(),
        "guidance/cfl-14-15-32.md",
        &guidance("CFL 14/15-32", ""),
    );
    write(
        tmp.path(),
        "guidance/acl-15-49.md",
        &guidance(
            "ACL 15-49",
            "status_note = \"Its codes were replaced by the CSEC Grid.\"\n",
        )
        .replace("\"current\"", "\"partly-superseded\""),
    );
    write(
        tmp.path(),
        "reports/undated.md",
        &format!(
            "+++\ntitle = \"R\"\npublisher = \"NCYL\"\nsummary = \"S.\"\n{SOURCE}+++\n\nBody.\n"
        ),
    );
    let content = load(tmp.path()).unwrap();
    let report = content
        .items
        .iter()
        .find(|i| i.id == "reports/undated")
        .unwrap();
    assert_eq!(report.date, None, "an undated report stays undated");
    expect_one_in(
        &tmp,
        "guidance/acl-15-49.md",
        &guidance("ACL 15-49", "").replace("\"current\"", "\"partly-superseded\""),
        "`status_note` is missing",
    );
    let tmp = tree();
    expect_one_in(
        &tmp,
        "reports/r.md",
        &format!("+++\ntitle = \"R\"\ndate = \"2015\"\nsummary = \"S.\"\n{SOURCE}+++\n\nBody.\n"),
        "missing required field `publisher`",
    );
    expect_one_in(
        &tree(),
        "reports/r.md",
        &format!(
            "+++\ntitle = \"R\"\ndate = \"2015-13\"\npublisher = \"P\"\nsummary = \"S.\"\n{SOURCE}+++\n\nBody.\n"
        ),
        "reports/r.md:3: `date`: \"2015-13\" is not a date",
    );
    expect_one_in(
        &tree(),
        "edition.toml",
        "reviewed = \"2026-12\"\n",
        "must be a full date",
    );
}

/// A tiny deterministic generator, so failures can be replayed.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn no_input_makes_loading_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let samples = [
        "guidance/acl-16-49.md",
        "timeline/2014-sb-855.md",
        "counties/fresno.toml",
        "resources/national-human-trafficking-hotline.toml",
    ];
    let mut rng = XorShift(0x5eed);
    for sample in samples {
        let original = std::fs::read(root.join(sample)).unwrap();
        let dir = Path::new(sample).parent().unwrap().to_str().unwrap();
        let name = Path::new(sample).file_name().unwrap().to_str().unwrap();
        for round in 0..150 {
            let mut bytes = original.clone();
            match round % 3 {
                0 => bytes.truncate((rng.next() as usize) % bytes.len()),
                1 => {
                    for _ in 0..1 + rng.next() % 4 {
                        let at = (rng.next() as usize) % bytes.len();
                        bytes[at] = rng.next() as u8;
                    }
                }
                _ => {
                    let at = (rng.next() as usize) % bytes.len();
                    let junk = [
                        b"+++\n".as_slice(),
                        b"[[",
                        b"\"",
                        b"]",
                        b"\n[agencies]\n",
                        b"\xff\xfe",
                        b"= =",
                        b"\0",
                    ];
                    let piece = junk[(rng.next() as usize) % junk.len()];
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            let tmp = TempDir::new().unwrap();
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
            std::fs::write(tmp.path().join(dir).join(name), &bytes).unwrap();
            // Ok or a list of problems; a panic fails the test.
            if let Err(LoadError::Invalid(found)) = load(tmp.path()) {
                assert!(found.iter().all(|p| p.line >= 1 && !p.message.is_empty()));
            }
        }
    }
}

#[test]
fn an_empty_or_mistyped_sources_list_is_one_problem() {
    let entry = |sources: &str| {
        format!(
            "+++\ntitle = \"T\"\ndate = \"2016\"\nsummary = \"S.\"\nevent_type = \"event\"\n{sources}+++\n"
        )
    };
    expect_one(
        "timeline/a.md",
        &entry("sources = []\n"),
        "must list at least one source",
    );
    expect_one(
        "timeline/a.md",
        &entry("sources = \"x\"\n"),
        "`sources` must be an array of tables",
    );
}

#[test]
fn synonyms_rules_report_every_problem_with_its_line() {
    let tmp = tree();
    write(
        tmp.path(),
        "synonyms/search-terms.toml",
        "title = \"Synonyms\"\nsummary = \"S.\"\n\n[[group]]\nterms = [\"missing\", \"runaway\"]\n\n[[group]]\nterms = [\"Runaway\", \"AWOL\"]\n\n[[group]]\nterms = [\"alone\"]\n\n[[group]]\nterms = [\"a very long search phrase here\", \"<b>\"]\n",
    );
    let found = problems(tmp.path());
    let file = "synonyms/search-terms.toml";
    let expect = [
        format!("{file}:8: synonym \"Runaway\" is already in the group on line 4"),
        format!("{file}:10: a group needs at least two `terms`"),
        format!("{file}:14: synonym \"a very long search phrase here\" has more than 4 words"),
        format!("{file}:14: synonym \"<b>\" contains '<'"),
    ];
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for wanted in expect {
        assert!(
            found.iter().any(|p| p.contains(&wanted)),
            "{wanted}\nin {found:#?}"
        );
    }
    // A valid file loads, as an item of kind synonyms.
    write(
        tmp.path(),
        "synonyms/search-terms.toml",
        "title = \"Synonyms\"\nsummary = \"S.\"\n\n[[group]]\nterms = [\"missing\", \"runaway\"]\n",
    );
    let content = load(tmp.path()).unwrap();
    assert_eq!(content.count(csec_bundle::Kind::Synonyms), 1);
}

/// The base tree's letter with `listing` in its front matter and `files` beside it.
fn tree_with_attachment(listing: &str, files: Files) -> TempDir {
    let tmp = tree();
    write(
        tmp.path(),
        "guidance/acl-16-49.md",
        &guidance("ACL 16-49", "").replacen("[[sources]]", &format!("{listing}[[sources]]"), 1),
    );
    for (name, bytes) in files {
        std::fs::write(tmp.path().join("guidance").join(name), bytes).unwrap();
    }
    tmp
}

/// Files to write beside the item: name and bytes.
type Files<'a> = &'a [(&'a str, &'a [u8])];

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

#[test]
fn an_attachment_is_read_from_beside_its_item() {
    let listing = "[[attachments]]\nfile = \"acl-16-49.pdf\"\ntitle = \"The letter (PDF)\"\n";
    let tmp = tree_with_attachment(listing, &[("acl-16-49.pdf", PDF)]);
    let content = load(tmp.path()).unwrap();
    let letter = &content.items[0];
    assert_eq!(letter.attachments.len(), 1);
    let attachment = &letter.attachments[0];
    assert_eq!(attachment.title, "The letter (PDF)");
    assert_eq!(attachment.media_type, "application/pdf");
    assert_eq!(attachment.size, PDF.len() as u64);
    assert_eq!(attachment.sha256, csec_bundle::sha256_hex(PDF));
    assert_eq!(
        content.attachment_files.get(&attachment.sha256),
        Some(&tmp.path().join("guidance/acl-16-49.pdf"))
    );
}

#[test]
fn attachment_problems_are_reported_at_their_line() {
    let listing = |file: &str| format!("[[attachments]]\nfile = \"{file}\"\ntitle = \"T\"\n");
    // The listing's `file` is on line 9 of the letter.
    let cases: &[(&str, Files, &str)] = &[
        ("gone.pdf", &[], "9: `attachments[1].file`: "),
        (
            "notes.txt",
            &[("notes.txt", b"x")],
            "is not a kind of file the app opens",
        ),
        (
            "fake.pdf",
            &[("fake.pdf", b"<html>")],
            "is named .pdf but is not a PDF",
        ),
        ("empty.png", &[("empty.png", b"")], "is empty"),
        (
            "../acl-16-49.md",
            &[],
            "must be the name of a file in the same folder",
        ),
    ];
    for (file, files, says) in cases {
        let tmp = tree_with_attachment(&listing(file), files);
        let found = problems(tmp.path());
        assert_eq!(found.len(), 1, "{file}: {found:?}");
        assert!(found[0].contains("guidance/acl-16-49.md:9:"), "{found:?}");
        assert!(found[0].contains(says), "{file}: {found:?}");
    }
    // Over the cap, without writing 64 MB: a sparse file.
    let tmp = tree_with_attachment(&listing("big.pdf"), &[]);
    let big = std::fs::File::create(tmp.path().join("guidance/big.pdf")).unwrap();
    big.set_len(csec_bundle::ATTACHMENT_CAP + 1).unwrap();
    let found = problems(tmp.path());
    assert!(
        found.len() == 1 && found[0].contains("an attachment may have at most"),
        "{found:?}"
    );
    // A title is required, and unknown keys are named.
    let tmp = tree_with_attachment(
        "[[attachments]]\nfile = \"a.pdf\"\ncaption = \"T\"\n",
        &[("a.pdf", PDF)],
    );
    let found = problems(tmp.path()).join("\n");
    assert!(
        found.contains("missing required field `attachments[1].title`"),
        "{found}"
    );
    assert!(
        found.contains("unknown field `attachments[1].caption`"),
        "{found}"
    );
}

#[test]
fn a_file_no_item_lists_is_not_content() {
    let tmp = tree_with_attachment("", &[("stray.pdf", PDF)]);
    let found = problems(tmp.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("guidance/stray.pdf:1: not a content file")
            && found[0].contains("[[attachments]]"),
        "{found:?}"
    );
}
