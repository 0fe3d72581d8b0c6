//! `csec import-contacts`: the publisher keeps one CSV of agency contacts; this turns
//! it into `counties/<slug>.toml` files. Rows that name the same county, role and
//! agency are one agency with several phones.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use csec_bundle::{Agency, Contact, Phone, PhoneType, Program, Role, Source};
use serde::Deserialize;
use thiserror::Error;

use crate::checks;
use crate::counties::{CountyInfo, county_by_name};

/// The columns, in the order the README documents them.
pub const COLUMNS: &[&str] = &[
    "county",
    "role",
    "name",
    "phone",
    "phone_type",
    "extension",
    "email",
    "website",
    "address",
    "hours",
    "verified",
    "source_title",
    "source_url",
    "checked",
];
const REQUIRED_COLUMNS: &[&str] = &["county", "role", "name", "verified"];

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("could not read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    /// Every bad row, as `file:line: message`. Nothing was written.
    #[error("{}", .0.join("\n"))]
    Rows(Vec<String>),
}

#[derive(Debug)]
pub struct ImportReport {
    pub rows: usize,
    pub written: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
struct Existing {
    csec_program: Option<String>,
    #[serde(default)]
    agencies: Vec<Agency>,
}

struct Row {
    line: u64,
    county: &'static CountyInfo,
    role: Role,
    contact: Contact,
    phone: Option<Phone>,
}

pub fn import_contacts(csv_path: &Path, out_dir: &Path) -> Result<ImportReport, ImportError> {
    let shown = csv_path.display().to_string();
    let text = std::fs::read(csv_path).map_err(|source| ImportError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_slice());
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(str::to_ascii_lowercase).collect::<Vec<_>>(),
        Err(e) => return Err(ImportError::Rows(vec![format!("{shown}:1: {e}")])),
    };
    for header in &headers {
        if !COLUMNS.contains(&header.as_str()) {
            problems.push(format!(
                "{shown}:1: unknown column {header:?}; the columns are {}",
                COLUMNS.join(", ")
            ));
        }
    }
    for required in REQUIRED_COLUMNS {
        if !headers.iter().any(|h| h == required) {
            problems.push(format!("{shown}:1: missing column {required:?}"));
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Rows(problems));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{shown}:{line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cells: HashMap<&str, &str> = headers
            .iter()
            .map(String::as_str)
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if record.iter().all(str::is_empty) {
            continue;
        }
        match parse_row(&cells, line) {
            Ok(row) => rows.push(row),
            Err(why) => problems.extend(why.into_iter().map(|w| format!("{shown}:{line}: {w}"))),
        }
    }
    let counties = merge_rows(rows, &shown, &mut problems);
    if !problems.is_empty() {
        return Err(ImportError::Rows(problems));
    }
    let mut written = Vec::new();
    let total_rows = counties.values().map(|c| c.1).sum();
    for (slug, (county, _, agencies)) in counties {
        let path = out_dir.join(format!("{slug}.toml"));
        let existing = read_existing(&path).map_err(|why| ImportError::Rows(vec![why]))?;
        let program = existing
            .as_ref()
            .and_then(|e| e.csec_program.as_deref())
            .and_then(Program::parse)
            .unwrap_or(Program::Unknown);
        let mut merged: Vec<Agency> = existing
            .map(|e| e.agencies)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !agencies.iter().any(|n| n.role == a.role))
            .collect();
        merged.extend(agencies);
        merged.sort_by_key(|a| a.role);
        let write_err = |source| ImportError::Write {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(out_dir).map_err(write_err)?;
        std::fs::write(&path, county_toml(county, program, &merged)).map_err(|source| {
            ImportError::Write {
                path: path.display().to_string(),
                source,
            }
        })?;
        written.push(path);
    }
    Ok(ImportReport {
        rows: total_rows,
        written,
    })
}

fn parse_row(cells: &HashMap<&str, &str>, line: u64) -> Result<Row, Vec<String>> {
    let cell = |name: &str| cells.get(name).copied();
    let mut why = Vec::new();
    let county = match cell("county") {
        None => {
            why.push("county is empty".to_string());
            None
        }
        Some(c) => county_by_name(c).or_else(|| {
            why.push(format!("{c:?} is not a California county"));
            None
        }),
    };
    let role = match cell("role") {
        None => {
            why.push(format!("role is empty; expected {}", Role::expected()));
            None
        }
        Some(r) => Role::parse(r).or_else(|| {
            why.push(format!("role {r:?} is not one of {}", Role::expected()));
            None
        }),
    };
    let name = cell("name").map(str::to_string);
    if name.is_none() {
        why.push("name is empty".into());
    }
    let verified = match cell("verified").map(str::to_ascii_lowercase).as_deref() {
        Some("true" | "yes" | "y" | "1") => Some(true),
        Some("false" | "no" | "n" | "0") => Some(false),
        other => {
            why.push(format!(
                "verified is {:?}; write true or false",
                other.unwrap_or("")
            ));
            None
        }
    };
    let placeholder = verified == Some(false);
    let phone = cell("phone").map(|number| {
        let phone_type = match cell("phone_type") {
            None => PhoneType::Voice,
            Some(t) => PhoneType::parse(t).unwrap_or_else(|| {
                why.push(format!("phone_type {t:?} is not one of {}", PhoneType::expected()));
                PhoneType::Voice
            }),
        };
        match checks::phone_digits(number, phone_type == PhoneType::Text) {
            Err(e) => why.push(e),
            Ok(d) if placeholder && !checks::is_fictional_number(&d) => why.push(format!(
                "unverified contact has number {number:?}: use 555-0100 to 555-0199, or set verified = true with a source"
            )),
            Ok(_) => {}
        }
        let extension = cell("extension").map(str::to_string);
        if extension.as_ref().is_some_and(|e| !e.bytes().all(|b| b.is_ascii_digit())) {
            why.push("extension must be digits only".into());
        }
        // Hours belong to the line: one agency's daytime and after-hours numbers differ.
        Phone { number: number.to_string(), phone_type, extension, hours: cell("hours").map(str::to_string) }
    });
    if let Some(email) = cell("email") {
        match checks::email(email) {
            Err(e) => why.push(e),
            Ok(())
                if placeholder
                    && !checks::is_example_domain(email.rsplit('@').next().unwrap_or("")) =>
            {
                why.push(format!(
                    "unverified contact has email {email:?}: use example.org"
                ))
            }
            Ok(()) => {}
        }
    }
    if let Some(site) = cell("website") {
        match checks::https_url(site) {
            Err(e) => why.push(e),
            Ok(host) if placeholder && !checks::is_example_domain(&host) => why.push(format!(
                "unverified contact has website {site:?}: use example.org"
            )),
            Ok(_) => {}
        }
    }
    let checked = cell("checked").map(str::to_string);
    if let Some(date) = &checked
        && let Err(e) = checks::full_date(date)
    {
        why.push(format!("checked: {e}"));
    }
    if verified == Some(true) && checked.is_none() {
        why.push("verified is true but checked is empty: give the date the number was checked against its source (YYYY-MM-DD)".into());
    }
    let source = match (cell("source_title"), cell("source_url")) {
        (_, Some(url)) => {
            // Some county pages are recorded only at an http address; the app marks
            // those links as not secure.
            if let Err(e) = checks::web_url(url) {
                why.push(format!("source_url: {e}"));
            }
            Some(Source {
                title: cell("source_title").unwrap_or(url).to_string(),
                url: url.to_string(),
            })
        }
        (Some(_), None) => {
            why.push("source_title is set but source_url is empty".into());
            None
        }
        (None, None) => None,
    };
    if verified == Some(true) && source.is_none() {
        why.push(
            "verified is true but source_url is empty: say where the contact was confirmed".into(),
        );
    }
    match (county, role, name, verified) {
        (Some(county), Some(role), Some(name), Some(verified)) if why.is_empty() => Ok(Row {
            line,
            county,
            role,
            phone,
            contact: Contact {
                name,
                phones: Vec::new(),
                email: cell("email").map(str::to_string),
                website: cell("website").map(str::to_string),
                address: cell("address").map(str::to_string),
                hours: cell("hours")
                    .filter(|_| cell("phone").is_none())
                    .map(str::to_string),
                languages: None,
                verified,
                source,
                checked,
            },
        }),
        _ => Err(why),
    }
}

type Merged = BTreeMap<String, (&'static CountyInfo, usize, Vec<Agency>)>;

/// Groups rows into agencies per county; a repeated agency adds phones, and its other
/// fields must agree with the first row.
fn merge_rows(rows: Vec<Row>, shown: &str, problems: &mut Vec<String>) -> Merged {
    let mut counties: Merged = BTreeMap::new();
    for row in rows {
        let entry = counties
            .entry(row.county.slug.clone())
            .or_insert_with(|| (row.county, 0, Vec::new()));
        entry.1 += 1;
        let existing = entry
            .2
            .iter_mut()
            .find(|a| a.role == row.role && a.contact.name == row.contact.name);
        match existing {
            Some(agency) => {
                // A detail given on any of the agency's rows holds for all of them
                // (a fax row often leaves the hours blank); two different values
                // for one detail are an error.
                let this = row.contact.clone();
                let first = &mut agency.contact;
                let mut agree = this.name == first.name && this.verified == first.verified;
                for (mine, theirs) in [
                    (&mut first.email, &this.email),
                    (&mut first.website, &this.website),
                    (&mut first.address, &this.address),
                    (&mut first.hours, &this.hours),
                    (&mut first.checked, &this.checked),
                ] {
                    agree &= fill(mine, theirs);
                }
                agree &= fill(&mut first.source, &this.source);
                if !agree {
                    problems.push(format!(
                        "{shown}:{}: this row repeats {} ({}) with different details; rows for one agency must agree",
                        row.line, row.contact.name, row.role
                    ));
                }
                agency.contact.phones.extend(row.phone);
            }
            None => {
                let mut contact = row.contact;
                contact.phones.extend(row.phone);
                entry.2.push(Agency {
                    role: row.role,
                    contact,
                });
            }
        }
    }
    counties
}

/// Takes `theirs` where `mine` is empty; false if both are set and differ.
fn fill<T: Clone + PartialEq>(mine: &mut Option<T>, theirs: &Option<T>) -> bool {
    match (mine.as_ref(), theirs) {
        (Some(a), Some(b)) => a == b,
        (None, Some(b)) => {
            *mine = Some(b.clone());
            true
        }
        _ => true,
    }
}

fn read_existing(path: &Path) -> Result<Option<Existing>, String> {
    match std::fs::read_to_string(path) {
        Err(_) => Ok(None),
        Ok(text) => toml::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{}: the existing file is not valid ({}); fix it with `csec check` or remove it",
                path.display(),
                e.message()
            )
        }),
    }
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The county file, laid out the way a person would write it.
fn county_toml(county: &CountyInfo, program: Program, agencies: &[Agency]) -> String {
    let mut out = format!(
        "name = {}\nfips = {}\ncsec_program = {}\n",
        quote(county.name),
        quote(&county.fips),
        quote(program.as_str())
    );
    for agency in agencies {
        let c = &agency.contact;
        out.push_str(&format!(
            "\n[[agencies]]\nrole = {}\nname = {}\n",
            quote(agency.role.as_str()),
            quote(&c.name)
        ));
        for (key, value) in [
            ("email", &c.email),
            ("website", &c.website),
            ("address", &c.address),
            ("hours", &c.hours),
        ] {
            if let Some(v) = value {
                out.push_str(&format!("{key} = {}\n", quote(v)));
            }
        }
        out.push_str(&format!("verified = {}\n", c.verified));
        if let Some(s) = &c.source {
            out.push_str(&format!(
                "source = {{ title = {}, url = {} }}\n",
                quote(&s.title),
                quote(&s.url)
            ));
        }
        if let Some(checked) = &c.checked {
            out.push_str(&format!("checked = {}\n", quote(checked)));
        }
        for phone in &c.phones {
            out.push_str(&format!(
                "\n[[agencies.phones]]\nnumber = {}\ntype = {}\n",
                quote(&phone.number),
                quote(phone.phone_type.as_str())
            ));
            if let Some(ext) = &phone.extension {
                out.push_str(&format!("extension = {}\n", quote(ext)));
            }
            if let Some(hours) = &phone.hours {
                out.push_str(&format!("hours = {}\n", quote(hours)));
            }
        }
    }
    out
}
