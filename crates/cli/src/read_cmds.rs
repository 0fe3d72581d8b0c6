//! The reader's commands: search (and, next, show and contacts) on the local cache.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use csec_bundle::{Kind, Role};
use csec_engine::{Cache, EngineError, SearchRequest};

/// The cache file: `--db`, else `$XDG_DATA_HOME/csec-field-guide/cache.sqlite`, else
/// `~/.local/share/csec-field-guide/cache.sqlite`.
pub fn default_db() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("csec-field-guide").join("cache.sqlite")
}

fn open(db: Option<PathBuf>) -> Result<Cache> {
    Ok(Cache::open(&db.unwrap_or_else(default_db))?)
}

fn parse_kind(kind: Option<&str>) -> Result<Option<Kind>> {
    match kind {
        None => Ok(None),
        Some(text) => match Kind::parse(text).or_else(|| Kind::from_dir(text)) {
            Some(kind) => Ok(Some(kind)),
            None => bail!("--kind {text:?} is not one of {}", Kind::expected()),
        },
    }
}

pub fn search(
    query: &str,
    db: Option<PathBuf>,
    kind: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<ExitCode> {
    let cache = open(db)?;
    let request = SearchRequest {
        query: query.to_string(),
        kind: parse_kind(kind)?,
        limit: Some(limit),
        ..Default::default()
    };
    let hits = cache.search(&request)?;
    if json {
        println!("{}", serde_json::to_string(&hits)?);
    } else if hits.is_empty() {
        println!("No results for {query:?}.");
    } else {
        for hit in &hits {
            let date = hit
                .date
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            println!("{}  {}{date}", hit.id, hit.title);
            let plain = hit.snippet.replace("<mark>", "").replace("</mark>", "");
            println!("    {}", unescape(&plain));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn show(id: &str, db: Option<PathBuf>, json: bool) -> Result<ExitCode> {
    let cache = open(db)?;
    let view = cache.item(id)?;
    if json {
        println!("{}", serde_json::to_string(&view)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", view.title);
    if let Some(date) = &view.date {
        println!("Date: {date}");
    }
    if let Some(newer) = &view.superseded_by {
        println!("SUPERSEDED by {} ({})", newer.title, newer.id);
    }
    println!("\n{}\n", view.summary);
    if let Some(sources) = view.item.get("sources").and_then(|s| s.as_array()) {
        for source in sources {
            let field = |k: &str| source.get(k).and_then(|v| v.as_str()).unwrap_or("");
            println!("Source: {} <{}>", field("title"), field("url"));
        }
    }
    for related in &view.related {
        println!("Related: {} ({})", related.title, related.id);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn contacts(
    county: &str,
    db: Option<PathBuf>,
    role: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let role = match role {
        None => None,
        Some(text) => match Role::parse(&text.to_ascii_lowercase()) {
            Some(role) => Some(role),
            None => bail!("--role {text:?} is not one of {}", Role::expected()),
        },
    };
    let cache = open(db)?;
    let view = match cache.county(county) {
        Ok(view) => view,
        Err(EngineError::NotFound(_)) => {
            bail!(
                "{county:?} is not a California county; try a name like Fresno or San Luis Obispo"
            )
        }
        Err(other) => return Err(other.into()),
    };
    let groups: Vec<_> = view
        .roles
        .iter()
        .filter(|g| role.is_none_or(|r| g.role == r))
        .collect();
    if json {
        let agencies: Vec<_> = groups.iter().flat_map(|g| &g.agencies).collect();
        println!("{}", serde_json::to_string(&agencies)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} County (FIPS {})", view.name, view.fips);
    for group in groups {
        if group.agencies.is_empty() {
            println!(
                "\n{}: no verified contact yet; call the county's child abuse hotline or ask its CSEC coordinator",
                group.role
            );
        }
        for agency in &group.agencies {
            let c = &agency.contact;
            let flag = if c.verified {
                ""
            } else {
                "  [UNVERIFIED placeholder: do not call]"
            };
            println!("\n{}: {}{flag}", agency.role, c.name);
            for phone in &c.phones {
                let ext = phone
                    .extension
                    .as_deref()
                    .map(|e| format!(" ext. {e}"))
                    .unwrap_or_default();
                let hours = phone
                    .hours
                    .as_deref()
                    .map(|h| format!(", {h}"))
                    .unwrap_or_default();
                println!("    {} ({}{hours}){ext}", phone.number, phone.phone_type);
            }
            if let Some(email) = &c.email {
                println!("    {email}");
            }
            if let Some(source) = &c.source {
                let checked = c
                    .checked
                    .as_deref()
                    .map(|d| format!(", checked {d}"))
                    .unwrap_or_default();
                println!("    source: {} <{}>{checked}", source.title, source.url);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `csec changes`: what the last updates added, changed and removed.
pub fn changes(db: Option<PathBuf>, json: bool) -> Result<ExitCode> {
    let cache = Cache::open(&db.unwrap_or_else(default_db))?;
    let updates = cache.updates()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&updates)?);
        return Ok(ExitCode::SUCCESS);
    }
    if updates.is_empty() {
        println!("no updates recorded yet");
    }
    for update in &updates {
        println!(
            "version {} (from {}), {}, from {}: {} added, {} changed, {} removed",
            update.version,
            update.previous_version,
            update.applied_at,
            if update.source.is_empty() {
                "an unknown source"
            } else {
                &update.source
            },
            update.added,
            update.changed,
            update.removed
        );
        for item in &update.items {
            let change = match item.change {
                csec_engine::Change::Added => "new",
                csec_engine::Change::Changed => "changed",
                csec_engine::Change::Removed => "removed",
            };
            let date = item.date.as_deref().unwrap_or("");
            println!("  {change:8} {date:10}  {}  ({})", item.title, item.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}
