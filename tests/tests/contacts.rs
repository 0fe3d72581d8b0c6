//! `csec import-contacts`: the publisher's CSV becomes county files that pass
//! `csec check`; bad rows are reported by row and nothing is written.

use std::path::PathBuf;

use csec_tests::{copy_dir, csec, repo_root};
use tempfile::TempDir;

const HEADER: &str = "county,role,name,phone,phone_type,extension,email,website,address,hours,verified,source_title,source_url,checked\n";

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
        "fresno,probation,Fresno County Probation,(559) 555-0190,voice,12,csec@probation.fresno.example.org,,,Mon-Fri 8-5,false,,,\n\
             Fresno,probation,Fresno County Probation,(559) 555-0191,after-hours,,,,,,false,,,\n\
             San Luis Obispo,sheriff,SLO Sheriff,1-805-555-0199,voice,,,,,,no,,,\n",
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
        fresno.contains("role = \"child-welfare\"") && fresno.contains("(559) 600-8320"),
        "roles absent from the CSV are kept: {fresno}"
    );
    assert!(
        fresno.contains("hours = \"Mon-Fri 8-5\""),
        "hours belong to the line: {fresno}"
    );
    csec(&[&"check", &tmp.path().join("content")]).ok();
}

#[test]
fn bad_rows_are_reported_by_line_and_nothing_is_written() {
    let (tmp, csv) = content_with_csv(
        "Gotham,probation,X,(559) 555-0190,voice,,,,,,false,,,\n\
             Fresno,police,X,(559) 555-0190,voice,,,,,,false,,,\n\
             Fresno,probation,X,(559) 555-1234,voice,,,,,,false,,,\n\
             Fresno,probation,Y,(559) 555-0190,voice,,not-an-email,,,,false,,,\n\
             Fresno,probation,Z,(559) 555-0190,voice,,,,,,true,,,\n\
             Fresno,probation,W,(559) 555-0190,voice,,,,,,maybe,,,\n\
             Fresno,probation,V,(559) 600-3111,voice,,,,,,true,Site,https://example.org/v,\n",
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
        (8, "verified is true but checked is empty"),
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
        "Yuba,sheriff,Yuba County Sheriff,(530) 555-0100,voice,,,,,,true,County website,https://example.org/yuba,2026-12-01\n",
    );
    let counties = tmp.path().join("content/counties");
    csec(&[&"import-contacts", &csv, &"--out", &counties]).ok();
    let yuba = std::fs::read_to_string(counties.join("yuba.toml")).unwrap();
    assert!(yuba.contains("verified = true\nsource = { title = \"County website\", url = \"https://example.org/yuba\" }\nchecked = \"2026-12-01\""), "{yuba}");
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

/// `data/county-hotlines.csv`: the county hotline numbers, each with its source page
/// and the date it was checked.
fn hotlines_csv() -> PathBuf {
    repo_root().join("data/county-hotlines.csv")
}

#[test]
fn the_shipped_counties_are_exactly_the_sourced_hotlines() {
    // Importing the CSV into the content changes nothing: every county file is what
    // the importer writes from the sourced rows, and nothing else.
    let tmp = TempDir::new().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&repo_root().join("content"), &content);
    let counties = content.join("counties");
    for file in std::fs::read_dir(&counties).unwrap() {
        let path = file.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let head = text
            .split("\n[[agencies]]")
            .next()
            .unwrap()
            .trim_end()
            .to_string();
        std::fs::write(&path, head + "\n").unwrap();
    }
    let run = csec(&[&"import-contacts", &hotlines_csv(), &"--out", &counties]).ok();
    assert!(
        run.stdout.contains("71 rows into 40 county files"),
        "{}",
        run.stdout
    );
    for file in std::fs::read_dir(repo_root().join("content/counties")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            std::fs::read_to_string(counties.join(name)).unwrap(),
            "{name:?} differs from what the hotline CSV gives"
        );
    }
}

#[test]
fn every_sourced_number_is_shown_exactly_as_its_source_prints_it() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("cache.sqlite");
    let csv = std::fs::read_to_string(hotlines_csv()).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut counties = std::collections::BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        let (county, number, source) = (&row[0], &row[3], &row[9]);
        counties.insert(county.to_string());
        let run = csec(&[&"contacts", &county, &"--db", &db, &"--json"]).ok();
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let agencies = json.as_array().unwrap();
        let agency = agencies
            .iter()
            .find(|a| {
                a["phones"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["number"] == number)
            })
            .unwrap_or_else(|| panic!("{county}: {number} is not shown: {}", run.stdout));
        assert_eq!(agency["verified"], true, "{county} {number}");
        assert_eq!(agency["source"]["url"], source, "{county} {number}");
        assert_eq!(agency["checked"], &row[10], "{county} {number}");
    }
    assert!(counties.len() >= 40, "{} counties", counties.len());
}
