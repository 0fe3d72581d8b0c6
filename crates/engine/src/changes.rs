//! What each update changed ("New since your last update"), and the nearby devices
//! the user added as update sources. Both are user data: an import writes the record
//! of itself, in its own transaction, and never touches older records or the mirrors.

use csec_bundle::Lang;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::{Cache, EngineError};

/// How many updates are remembered: "the last few".
const UPDATES_KEPT: i64 = 5;

/// How an update touched one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Changed,
    Removed,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
        }
    }

    fn parse(text: &str) -> Change {
        match text {
            "added" => Change::Added,
            "removed" => Change::Removed,
            _ => Change::Changed,
        }
    }
}

/// One item an update added, changed or removed, as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub id: String,
    pub change: Change,
    pub kind: String,
    pub title: String,
    pub date: Option<String>,
    pub lang: String,
    /// For a translation: the original's id.
    #[serde(skip)]
    pub translation_of: Option<String>,
}

/// One applied update and what it changed, most important first: guidance (the
/// letters), then guides, then everything else; newest first within each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateRecord {
    pub id: i64,
    pub version: u64,
    pub previous_version: u64,
    /// RFC 3339.
    pub applied_at: String,
    /// The address the edition came from (the publisher or a nearby device).
    pub source: String,
    pub dismissed: bool,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub items: Vec<ItemChange>,
}

/// What the item page says about an item the last update added or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastChange {
    pub change: Change,
    pub applied_at: String,
    pub version: u64,
}

/// A nearby device the user added as an update source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mirror {
    pub url: String,
    pub added_at: String,
}

/// Records, inside the import's transaction, that it moved the content from
/// `previous_version` to `version` with these changes (`removed` as they were before
/// the import; `arrived` are in `items` by now). Keeps the last few records.
pub(crate) fn record(
    tx: &Transaction,
    (previous_version, version): (u64, u64),
    source: &str,
    removed: &[ItemChange],
    arrived: &[(&str, Change)],
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO updates(version, previous_version, applied_at, source) VALUES (?1, ?2, ?3, ?4)",
        params![
            version as i64,
            previous_version as i64,
            crate::userdata::now(),
            source
        ],
    )?;
    let update = tx.last_insert_rowid();
    let mut insert = tx.prepare(
        "INSERT OR REPLACE INTO update_changes
             (update_id, item_id, change, kind, title, date, lang, translation_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for item in removed {
        insert.execute(params![
            update,
            item.id,
            Change::Removed.as_str(),
            item.kind,
            item.title,
            item.date,
            item.lang,
            item.translation_of
        ])?;
    }
    let mut copy = tx.prepare(
        "INSERT OR REPLACE INTO update_changes
             (update_id, item_id, change, kind, title, date, lang, translation_of)
         SELECT ?1, id, ?2, kind, title, date, lang, translation_of FROM items
         WHERE id = ?3 AND kind <> 'synonyms'",
    )?;
    for (id, change) in arrived {
        copy.execute(params![update, change.as_str(), id])?;
    }
    tx.execute(
        "DELETE FROM updates WHERE id <= ?1",
        [update - UPDATES_KEPT],
    )?;
    Ok(())
}

/// An item as it is stored, before an import removes it.
pub(crate) fn as_stored(tx: &Transaction, id: &str) -> rusqlite::Result<Option<ItemChange>> {
    tx.query_row(
        "SELECT kind, title, date, lang, translation_of FROM items
         WHERE id = ?1 AND kind <> 'synonyms'",
        [id],
        |r| {
            Ok(ItemChange {
                id: id.to_string(),
                change: Change::Removed,
                kind: r.get(0)?,
                title: r.get(1)?,
                date: r.get(2)?,
                lang: r.get(3)?,
                translation_of: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Order of importance on "New since your last update".
const KIND_ORDER: &str = "CASE kind WHEN 'guidance' THEN 0 WHEN 'guide' THEN 1 \
     WHEN 'report' THEN 2 WHEN 'timeline' THEN 3 WHEN 'county' THEN 4 ELSE 5 END";

impl Cache {
    /// The last few updates, newest first, each with every item it touched.
    pub fn updates(&self) -> Result<Vec<UpdateRecord>, EngineError> {
        let mut statement = self.conn.prepare(
            "SELECT id, version, previous_version, applied_at, source, dismissed
             FROM updates ORDER BY id DESC",
        )?;
        let records: Vec<UpdateRecord> = statement
            .query_map([], |r| {
                Ok(UpdateRecord {
                    id: r.get(0)?,
                    version: r.get::<_, i64>(1)? as u64,
                    previous_version: r.get::<_, i64>(2)? as u64,
                    applied_at: r.get(3)?,
                    source: r.get(4)?,
                    dismissed: r.get::<_, i64>(5)? != 0,
                    added: 0,
                    changed: 0,
                    removed: 0,
                    items: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        records
            .into_iter()
            .map(|record| self.with_items(record, None))
            .collect()
    }

    /// The last update, unless the user dismissed it, with the items a reader of
    /// `lang` would look at: their language's version where an item has one.
    pub fn whats_new(&self, lang: Lang) -> Result<Option<UpdateRecord>, EngineError> {
        let Some(record) = self.updates()?.into_iter().next() else {
            return Ok(None);
        };
        if record.dismissed {
            return Ok(None);
        }
        self.with_items(record, Some(lang)).map(Some)
    }

    /// Hides "New since your last update" until the next update.
    pub fn dismiss_whats_new(&self) -> Result<(), EngineError> {
        self.conn.execute(
            "UPDATE updates SET dismissed = 1 WHERE id = (SELECT max(id) FROM updates)",
            [],
        )?;
        Ok(())
    }

    /// How the last update touched `id`, if it added or changed it.
    pub fn last_change(&self, id: &str) -> Result<Option<LastChange>, EngineError> {
        Ok(self
            .conn
            .query_row(
                "SELECT c.change, u.applied_at, u.version FROM update_changes c
                 JOIN updates u ON u.id = c.update_id
                 WHERE c.update_id = (SELECT max(id) FROM updates) AND c.item_id = ?1
                   AND c.change <> 'removed'",
                [id],
                |r| {
                    Ok(LastChange {
                        change: Change::parse(&r.get::<_, String>(0)?),
                        applied_at: r.get(1)?,
                        version: r.get::<_, i64>(2)? as u64,
                    })
                },
            )
            .optional()?)
    }

    /// `record` with its items (for a reader of `lang`: one version of each item,
    /// theirs when the update touched it) and counts.
    fn with_items(
        &self,
        mut record: UpdateRecord,
        lang: Option<Lang>,
    ) -> Result<UpdateRecord, EngineError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT c.item_id, c.change, c.kind, c.title, c.date, c.lang, c.translation_of
             FROM update_changes c
             WHERE c.update_id = ?1
             ORDER BY {KIND_ORDER}, c.date IS NULL, c.date DESC, c.title"
        ))?;
        let rows: Vec<ItemChange> = statement
            .query_map([record.id], |r| {
                Ok(ItemChange {
                    id: r.get(0)?,
                    change: Change::parse(&r.get::<_, String>(1)?),
                    kind: r.get(2)?,
                    title: r.get(3)?,
                    date: r.get(4)?,
                    lang: r.get(5)?,
                    translation_of: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        for item in &rows {
            match item.change {
                Change::Added => record.added += 1,
                Change::Changed => record.changed += 1,
                Change::Removed => record.removed += 1,
            }
        }
        record.items = match lang {
            None => rows,
            Some(lang) => for_reader(rows, lang.as_str()),
        };
        Ok(record)
    }

    /// The nearby devices the user added, in the order they were added.
    pub fn mirrors(&self) -> Result<Vec<Mirror>, EngineError> {
        let mut statement = self
            .conn
            .prepare("SELECT url, added_at FROM mirrors ORDER BY added_at, url")?;
        let rows = statement.query_map([], |r| {
            Ok(Mirror {
                url: r.get(0)?,
                added_at: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a nearby device as an update source; the address must pass
    /// [`crate::mirror_address`], and is stored as it normalises.
    pub fn add_mirror(&self, text: &str) -> Result<Mirror, EngineError> {
        let url = crate::mirror_address(text).map_err(EngineError::Address)?;
        self.conn.execute(
            "INSERT INTO mirrors(url, added_at) VALUES (?1, ?2) ON CONFLICT(url) DO NOTHING",
            params![url.as_str(), crate::userdata::now()],
        )?;
        Ok(self.conn.query_row(
            "SELECT url, added_at FROM mirrors WHERE url = ?1",
            [url.as_str()],
            |r| {
                Ok(Mirror {
                    url: r.get(0)?,
                    added_at: r.get(1)?,
                })
            },
        )?)
    }

    /// Forgets a nearby device; true if it was there.
    pub fn remove_mirror(&self, text: &str) -> Result<bool, EngineError> {
        let url = crate::mirror_address(text)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| text.to_string());
        Ok(self
            .conn
            .execute("DELETE FROM mirrors WHERE url = ?1", [url])?
            > 0)
    }
}

/// One version of each item: the reader's language where the update touched it,
/// else the one it touched.
fn for_reader(rows: Vec<ItemChange>, lang: &str) -> Vec<ItemChange> {
    let original = |item: &ItemChange| item.translation_of.clone().unwrap_or(item.id.clone());
    let in_lang: std::collections::HashSet<String> = rows
        .iter()
        .filter(|item| item.lang == lang)
        .map(original)
        .collect();
    rows.into_iter()
        .filter(|item| item.lang == lang || !in_lang.contains(&original(item)))
        .collect()
}
