//! The list screens: home, a kind's list with filters, counties, one county's
//! contacts by role, and the statewide resources.

use std::collections::BTreeMap;

use csec_bundle::{Agency, Details, Item, Kind, Lang, Resource, Role};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{Cache, EngineError};

/// Content older than this is flagged as possibly out of date.
pub const STALE_AFTER_DAYS: i64 = 90;

/// One line of a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSummary {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub date: Option<String>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// The item's language: the reader sees "English only" where it is not theirs.
    pub lang: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Home {
    /// Items per kind, e.g. `{"guidance": 16, ...}`.
    pub counts: BTreeMap<String, usize>,
    pub recently_updated: Vec<ItemSummary>,
    pub content_version: u64,
    /// When the content was published (RFC 3339).
    pub published: String,
    /// When the publisher last reviewed the edition (`YYYY-MM-DD`), if it says.
    pub reviewed: Option<String>,
    pub expires: Option<String>,
    /// When the last sync finished, if one ever did.
    pub last_sync: Option<String>,
    /// Whole days since the publisher last reviewed the edition (or, if it does
    /// not say, since it was published).
    pub age_days: Option<i64>,
    /// True when the content has expired or is older than [`STALE_AFTER_DAYS`]: the
    /// app must say so, because an old letter shown as current can hurt a child.
    pub stale: bool,
    /// True while only the content compiled into the app has ever been loaded.
    pub built_in: bool,
    /// What the last update changed, until the reader dismisses it.
    pub whats_new: Option<crate::UpdateRecord>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Timeline oldest first; everything else newest first.
    #[default]
    Date,
    Number,
    Status,
    Title,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListRequest {
    pub kind: Option<Kind>,
    /// The reader's language: an item translated into it is listed in it, the
    /// others in English. Default English.
    #[serde(default)]
    pub lang: Lang,
    #[serde(default)]
    pub year: Option<i64>,
    /// Guidance: `current`, `superseded`, `rescinded`.
    #[serde(default)]
    pub status: Option<String>,
    /// Guidance: `ACL` or `ACIN`. Timeline: an event type.
    #[serde(default, rename = "type")]
    pub item_type: Option<String>,
    #[serde(default)]
    pub sort: Sort,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearGroup {
    pub year: Option<i64>,
    pub items: Vec<ItemSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemList {
    pub items: Vec<ItemSummary>,
    /// The same items grouped by year, in list order (the timeline shows these).
    pub years: Vec<YearGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountySummary {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub fips: String,
    pub csec_program: String,
    /// Agencies whose contact details are placeholders.
    pub unverified: usize,
    pub agencies: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleGroup {
    pub role: Role,
    /// Required by WIC 16524.8 for every county protocol.
    pub required: bool,
    pub agencies: Vec<Agency>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountyView {
    pub id: String,
    pub name: String,
    pub fips: String,
    pub csec_program: String,
    /// Required roles first, in statute order, then the optional ones.
    pub roles: Vec<RoleGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub lang: Lang,
    #[serde(flatten)]
    pub resource: Resource,
}

const SUMMARY_COLUMNS: &str = "id, kind, title, date, summary, number, status, event_type, lang";

/// Rows in the reader's language where a translation exists, else the English
/// original: one row per item whatever the number of translations. `?1` is the
/// reader's language.
const IN_READERS_LANGUAGE: &str = "(lang = ?1 OR (lang = 'en' AND id NOT IN
    (SELECT translation_of FROM items WHERE lang = ?1 AND translation_of IS NOT NULL)))";

fn summary_row(row: &rusqlite::Row) -> rusqlite::Result<ItemSummary> {
    Ok(ItemSummary {
        id: row.get(0)?,
        kind: row.get(1)?,
        title: row.get(2)?,
        date: row.get(3)?,
        summary: row.get(4)?,
        number: row.get(5)?,
        status: row.get(6)?,
        event_type: row.get(7)?,
        lang: row.get(8)?,
    })
}

fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

impl Cache {
    pub fn home(&self, now: OffsetDateTime, lang: Lang) -> Result<Home, EngineError> {
        let mut counts = BTreeMap::new();
        for kind in Kind::ALL.iter().filter(|k| **k != Kind::Synonyms) {
            counts.insert(kind.as_str().to_string(), 0);
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT kind, count(*) FROM items WHERE lang = 'en' AND kind <> 'synonyms' GROUP BY kind",
        )?;
        for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (kind, n) = row?;
            counts.insert(kind, usize::try_from(n).unwrap_or(0));
        }
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM items
             WHERE kind IN ('guidance', 'timeline', 'report') AND {IN_READERS_LANGUAGE}
             ORDER BY coalesce(updated, date) DESC, id LIMIT 5"
        ))?;
        let recently_updated = statement
            .query_map([lang.as_str()], summary_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let meta = self.meta()?.unwrap_or(crate::ContentMeta {
            version: 0,
            published: String::new(),
            expires: None,
            reviewed: None,
        });
        // The age a reader is shown is the age of the publisher's last review:
        // content reviewed today is not old because its newest letter is.
        let reviewed = meta
            .reviewed
            .as_deref()
            .and_then(|day| parse_time(&format!("{day}T00:00:00Z")));
        let since = reviewed.or_else(|| parse_time(&meta.published));
        let age_days = since.map(|p| (now - p).whole_days());
        let expired = meta
            .expires
            .as_deref()
            .and_then(parse_time)
            .is_some_and(|e| now >= e);
        Ok(Home {
            counts,
            recently_updated,
            content_version: meta.version,
            stale: expired || age_days.is_none_or(|d| d > STALE_AFTER_DAYS),
            built_in: meta.version == crate::SEED_VERSION,
            published: meta.published,
            reviewed: meta.reviewed,
            expires: meta.expires,
            last_sync: self.meta_value("last_sync")?,
            age_days,
            whats_new: self.whats_new(lang)?,
        })
    }

    pub fn list(&self, request: &ListRequest) -> Result<ItemList, EngineError> {
        // Synonyms are search's, not a document to list.
        let mut sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM items WHERE {IN_READERS_LANGUAGE} AND kind <> 'synonyms'"
        );
        let mut args: Vec<Value> = vec![Value::Text(request.lang.as_str().into())];
        let mut filter = |sql: &mut String, clause: &str, value: Value| {
            args.push(value);
            // `?N` in the clause stands for this value, however often it appears.
            *sql += &format!(" AND {}", clause.replace("?N", &format!("?{}", args.len())));
        };
        if let Some(kind) = request.kind {
            filter(&mut sql, "kind = ?N", Value::Text(kind.as_str().into()));
        }
        if let Some(year) = request.year {
            filter(&mut sql, "year = ?N", Value::Integer(year));
        }
        if let Some(status) = &request.status {
            filter(&mut sql, "status = ?N", Value::Text(status.clone()));
        }
        if let Some(item_type) = &request.item_type {
            // A guidance type is the first word of its number; a timeline type is its event type.
            filter(
                &mut sql,
                "(number LIKE ?N || ' %' OR event_type = ?N)",
                Value::Text(item_type.clone()),
            );
        }
        let oldest_first = request.kind == Some(Kind::Timeline);
        sql += match request.sort {
            Sort::Date if oldest_first => " ORDER BY date, id",
            // Guides come in the publisher's order: the most urgent first.
            Sort::Date if request.kind == Some(Kind::Guide) => {
                " ORDER BY coalesce(json_extract(json, '$.order'), 4294967296), title, id"
            }
            Sort::Date => " ORDER BY date DESC, id",
            // Sorted below: "ACL 18-109" comes after "ACL 18-9".
            Sort::Number => " ORDER BY id",
            Sort::Status => " ORDER BY status, date DESC, id",
            Sort::Title => " ORDER BY title COLLATE NOCASE, id",
        };
        let mut statement = self.conn.prepare(&sql)?;
        let mut items = statement
            .query_map(rusqlite::params_from_iter(args), summary_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if request.sort == Sort::Number {
            items.sort_by_key(|i| number_key(i.number.as_deref()));
        }
        Ok(ItemList {
            years: group_by_year(&items),
            items,
        })
    }

    fn items_of_kind(&self, kind: Kind, lang: Lang) -> Result<Vec<Item>, EngineError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT json FROM items WHERE kind = ?2 AND {IN_READERS_LANGUAGE} ORDER BY title, id"
        ))?;
        let rows =
            statement.query_map([lang.as_str(), kind.as_str()], |r| r.get::<_, String>(0))?;
        let mut items = Vec::new();
        for json in rows {
            let json = json?;
            // Rows were written from verified items; one that no longer parses is skipped
            // rather than breaking the whole list.
            if let Ok(item) = serde_json::from_str::<Item>(&json) {
                items.push(item);
            }
        }
        Ok(items)
    }

    /// All counties, by name.
    pub fn counties(&self) -> Result<Vec<CountySummary>, EngineError> {
        Ok(self
            .items_of_kind(Kind::County, Lang::En)?
            .into_iter()
            .filter_map(|item| match item.details {
                Details::County(c) => Some(CountySummary {
                    slug: item.id.trim_start_matches("counties/").to_string(),
                    id: item.id,
                    unverified: c.agencies.iter().filter(|a| !a.contact.verified).count(),
                    agencies: c.agencies.len(),
                    name: c.name,
                    fips: c.fips,
                    csec_program: c.csec_program.as_str().to_string(),
                }),
                _ => None,
            })
            .collect())
    }

    /// One county's agencies grouped by MDT role. `name` is the county's name or
    /// slug in any case or spacing: `Fresno`, `san-luis-obispo`, `San Luis Obispo
    /// County`, `counties/fresno`.
    pub fn county(&self, name: &str) -> Result<CountyView, EngineError> {
        let id = format!("counties/{}", county_slug(name));
        let json: Option<String> = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT json FROM items WHERE id = ?1 AND kind = 'county'",
            [&id],
            |r| r.get(0),
        ))?;
        let item = json
            .and_then(|j| serde_json::from_str::<Item>(&j).ok())
            .ok_or_else(|| EngineError::NotFound(id.clone()))?;
        let Details::County(county) = item.details else {
            return Err(EngineError::NotFound(id));
        };
        let mut roles: Vec<RoleGroup> = Vec::new();
        for role in Role::ALL {
            let agencies: Vec<Agency> = county
                .agencies
                .iter()
                .filter(|a| a.role == *role)
                .cloned()
                .collect();
            let required = Role::REQUIRED.contains(role);
            if required || !agencies.is_empty() {
                roles.push(RoleGroup {
                    role: *role,
                    required,
                    agencies,
                });
            }
        }
        Ok(CountyView {
            id,
            name: county.name,
            fips: county.fips,
            csec_program: county.csec_program.as_str().to_string(),
            roles,
        })
    }

    /// The statewide and national lines, in the reader's language where translated.
    pub fn resources(&self, lang: Lang) -> Result<Vec<ResourceView>, EngineError> {
        Ok(self
            .items_of_kind(Kind::Resource, lang)?
            .into_iter()
            .filter_map(|item| match item.details {
                Details::Resource(resource) => Some(ResourceView {
                    id: item.id,
                    title: item.title,
                    summary: item.summary,
                    lang: item.lang,
                    resource,
                }),
                _ => None,
            })
            .collect())
    }
}

pub(crate) fn county_slug(name: &str) -> String {
    let name = name.trim().trim_start_matches("counties/");
    let slug = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    slug.strip_suffix("-county")
        .map(str::to_string)
        .unwrap_or(slug)
}

/// `ACL 18-109` → (`ACL`, 18, 109, ``): years and sequence numbers compare as numbers.
/// Items without a number sort last.
fn number_key(number: Option<&str>) -> (bool, String, u32, u32, String) {
    let Some(number) = number else {
        return (true, String::new(), 0, 0, String::new());
    };
    let (kind, rest) = number.split_once(' ').unwrap_or((number, ""));
    let rest = rest.trim_start_matches("I-");
    let (year, seq) = rest.split_once('-').unwrap_or((rest, ""));
    // A County Fiscal Letter's year is a fiscal year, `14/15`: its first year counts.
    let year = year.split('/').next().unwrap_or(year);
    let digits: String = seq.chars().take_while(char::is_ascii_digit).collect();
    let suffix = seq[digits.len()..].to_string();
    (
        false,
        kind.to_string(),
        year.parse().unwrap_or(0),
        digits.parse().unwrap_or(0),
        suffix,
    )
}

fn group_by_year(items: &[ItemSummary]) -> Vec<YearGroup> {
    let mut groups: Vec<YearGroup> = Vec::new();
    for item in items {
        let year = item
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        match groups.last_mut() {
            Some(group) if group.year == year => group.items.push(item.clone()),
            _ => groups.push(YearGroup {
                year,
                items: vec![item.clone()],
            }),
        }
    }
    groups
}
