//! `csec check`: the real content is valid, and every kind of defect is reported
//! once, as path:line: message, with exit 1.

use csec_tests::{csec, fixture};

#[test]
fn the_real_content_is_valid_and_complete() {
    let run = csec(&[&"check", &"content"]).ok();
    assert!(run.stdout.starts_with("content: "), "{}", run.stdout);
    let count = |kind: &str| -> usize {
        let at = run
            .stdout
            .find(&format!(" {kind}"))
            .expect("summary names every kind");
        let before = &run.stdout[..at];
        let digits = before
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap_or("");
        digits.parse().expect("a count before each kind")
    };
    assert!(count("timeline") >= 22, "{}", run.stdout);
    assert!(count("guidance") >= 16, "{}", run.stdout);
    assert!(count("reports") >= 3, "{}", run.stdout);
    assert_eq!(count("counties"), 58, "{}", run.stdout);
    assert!(count("resources") >= 1, "{}", run.stdout);
}

#[test]
fn every_defect_is_reported_once_with_its_line() {
    let dir = fixture("defects");
    let run = csec(&[&"check", &dir]).fails();
    let shown = dir.display().to_string();
    let lines: Vec<String> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with(&shown))
        .map(|l| l[shown.len() + 1..].to_string())
        .collect();
    // (file:line, what the message must say)
    let expected = [
        ("counties/alameda.toml:68", "is not an email address"),
        ("counties/fresno.toml:22", "phone number \"(559) 555-01OO\""),
        ("guidance/ACL-16-49.md:1", "duplicate id"),
        (
            "guidance/acl-16-15.md:8",
            "superseded_by guidance/acl-99-01 does not exist",
        ),
        ("notes.txt:1", "not a content file"),
        ("resources/hotline.toml:5", "there is no `source`"),
        ("timeline/bad-date.md:3", "\"2015-02-30\" is not a date"),
        (
            "timeline/bad-event-type.md:5",
            "`event_type` is \"law\"; expected",
        ),
        ("timeline/bad-toml.md:3", "invalid TOML"),
        (
            "timeline/broken-link.md:13",
            "link to guidance/acl-99-99 does not exist",
        ),
        ("timeline/latin1.md:4", "not UTF-8"),
        (
            "timeline/missing-summary.md:1",
            "missing required field `summary`",
        ),
        ("timeline/unknown-field.md:6", "unknown field `colour`"),
    ];
    assert_eq!(
        lines.len(),
        expected.len(),
        "one line per defect:\n{}",
        run.stderr
    );
    for ((location, says), line) in expected.iter().zip(&lines) {
        assert!(
            line.starts_with(&format!("{location}: ")) && line.contains(says),
            "expected {location}: ...{says}..., got {line}"
        );
    }
    assert!(
        run.stderr.ends_with("13 problems in 13 files\n"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn a_missing_directory_is_one_plain_sentence() {
    let run = csec(&[&"check", &"no-such-dir"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no-such-dir is not a directory"),
        "{}",
        run.stderr
    );
}
