//! `csec import-contacts`: the publisher's CSV becomes county files that pass
//! `csec check`; bad rows are reported by row and nothing is written.

use std::path::PathBuf;

use csec_tests::{copy_dir, csec, repo_root};
use tempfile::TempDir;

const HEADER: &str = "county,role,name,phone,phone_type,extension,email,website,address,hours,verified,source_title,source_url\n";

/// A copy of the real content with `contacts.csv` holding the header and `rows`.
fn content_with_csv(rows: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    copy_dir(&repo_root().join("content"), &tmp.path().join("content"));
    let csv = tmp.path().join("contacts.csv");
    std::fs::write(&csv, format!("{HEADER}{rows}")).unwrap();
    (tmp, csv)
}

#[test]
fn rows_become_agencies_and_keep_the_other_roles() {
    let (tmp, csv) = content_with_csv(
        "fresno,probation,Fresno County Probation,(559) 555-0190,voice,12,csec@probation.fresno.example.org,,,Mon-Fri 8-5,false,,\n\
             Fresno,probation,Fresno County Probation,(559) 555-0191,after-hours,,,,,,false,,\n\
             San Luis Obispo,sheriff,SLO Sheriff,1-805-555-0199,voice,,,,,,no,,\n",
    );
    let counties = tmp.path().join("content/counties");
    let run = csec(&[&"import-contacts", &csv, &"--out", &counties]).ok();
    assert!(
        run.stdout.contains("3 rows into 2 county files"),
        "{}",
        run.stdout
    );
    let fresno = std::fs::read_to_string(counties.join("fresno.toml")).unwrap();
    assert!(
        fresno.contains("name = \"Fresno County Probation\""),
        "{fresno}"
    );
    assert!(
        fresno.contains("(559) 555-0190") && fresno.contains("(559) 555-0191"),
        "{fresno}"
    );
    assert!(fresno.contains("extension = \"12\""), "{fresno}");
    assert!(
        fresno.contains("role = \"sheriff\""),
        "roles absent from the CSV are kept: {fresno}"
    );
    assert!(
        !fresno.contains("Fresno County probation department"),
        "the probation row replaced the old agency"
    );
    csec(&[&"check", &tmp.path().join("content")]).ok();
}

#[test]
fn bad_rows_are_reported_by_line_and_nothing_is_written() {
    let (tmp, csv) = content_with_csv(
        "Gotham,probation,X,(559) 555-0190,voice,,,,,,false,,\n\
             Fresno,police,X,(559) 555-0190,voice,,,,,,false,,\n\
             Fresno,probation,X,(559) 555-1234,voice,,,,,,false,,\n\
             Fresno,probation,Y,(559) 555-0190,voice,,not-an-email,,,,false,,\n\
             Fresno,probation,Z,(559) 555-0190,voice,,,,,,true,,\n\
             Fresno,probation,W,(559) 555-0190,voice,,,,,,maybe,,\n",
    );
    let counties = tmp.path().join("content/counties");
    let before = std::fs::read(counties.join("fresno.toml")).unwrap();
    let run = csec(&[&"import-contacts", &csv, &"--out", &counties]).fails();
    let shown = csv.display().to_string();
    for (line, says) in [
        (2, "\"Gotham\" is not a California county"),
        (3, "role \"police\""),
        (4, "555-0100 to 555-0199"),
        (5, "\"not-an-email\" is not an email address"),
        (6, "verified is true but source_url is empty"),
        (7, "verified is \"maybe\""),
    ] {
        assert!(
            run.stderr.contains(&format!("{shown}:{line}: ")) && run.stderr.contains(says),
            "row {line}: {says}\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(std::fs::read(counties.join("fresno.toml")).unwrap(), before);
}

#[test]
fn a_verified_row_with_a_source_is_written_as_verified() {
    let (tmp, csv) = content_with_csv(
        "Yuba,sheriff,Yuba County Sheriff,(530) 555-0100,voice,,,,,,true,County website,https://example.org/yuba\n",
    );
    let counties = tmp.path().join("content/counties");
    csec(&[&"import-contacts", &csv, &"--out", &counties]).ok();
    let yuba = std::fs::read_to_string(counties.join("yuba.toml")).unwrap();
    assert!(yuba.contains("verified = true\nsource = { title = \"County website\", url = \"https://example.org/yuba\" }"), "{yuba}");
    csec(&[&"check", &tmp.path().join("content")]).ok();
}

#[test]
fn unknown_columns_are_refused() {
    let tmp = TempDir::new().unwrap();
    let csv = tmp.path().join("contacts.csv");
    std::fs::write(&csv, "county,role,name,verified,fax_number\n").unwrap();
    let run = csec(&[&"import-contacts", &csv, &"--out", &tmp.path()]).fails();
    assert!(
        run.stderr.contains(":1: unknown column \"fax_number\""),
        "{}",
        run.stderr
    );
}
