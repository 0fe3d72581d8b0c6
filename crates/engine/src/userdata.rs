//! The user's own data: bookmarks with notes, recently viewed, settings. Stored in
//! tables that import, reseeding and migrations never touch.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::{Cache, EngineError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bookmark {
    pub item_id: String,
    pub note: String,
    pub created_at: String,
    /// The item's title, or `None` if an update removed the item (the bookmark stays,
    /// so the user can see what was lost).
    pub title: Option<String>,
    /// The item's language, when the item is still there.
    pub lang: Option<String>,
}

pub(crate) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Cache {
    /// Adds a bookmark, or updates its note if it exists.
    pub fn add_bookmark(&self, item_id: &str, note: &str) -> Result<(), EngineError> {
        self.conn.execute(
            "INSERT INTO bookmarks(item_id, note, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(item_id) DO UPDATE SET note = excluded.note",
            params![item_id, note, now()],
        )?;
        Ok(())
    }

    pub fn remove_bookmark(&self, item_id: &str) -> Result<bool, EngineError> {
        Ok(self
            .conn
            .execute("DELETE FROM bookmarks WHERE item_id = ?1", [item_id])?
            > 0)
    }

    /// Newest first.
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>, EngineError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT b.item_id, b.note, b.created_at, i.title, i.lang
             FROM bookmarks b LEFT JOIN items i ON i.id = b.item_id
             ORDER BY b.created_at DESC, b.item_id",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(Bookmark {
                item_id: r.get(0)?,
                note: r.get(1)?,
                created_at: r.get(2)?,
                title: r.get(3)?,
                lang: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Remembers that an item was opened, unless the user turned history off.
    pub fn record_view(&self, item_id: &str) -> Result<(), EngineError> {
        if self.setting("history")?.as_deref() == Some("off") {
            return Ok(());
        }
        self.conn.execute(
            "INSERT INTO history(item_id, viewed_at) VALUES (?1, ?2)
             ON CONFLICT(item_id) DO UPDATE SET viewed_at = excluded.viewed_at",
            params![item_id, now()],
        )?;
        Ok(())
    }

    /// Most recent first.
    pub fn recently_viewed(&self, limit: usize) -> Result<Vec<String>, EngineError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT item_id FROM history ORDER BY viewed_at DESC, item_id LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets every view, and the record of recent updates, in one call (quick exit
    /// uses this).
    pub fn clear_history(&self) -> Result<(), EngineError> {
        self.conn.execute("DELETE FROM history", [])?;
        // What the last updates changed says when the device was used, as history does.
        self.conn.execute("DELETE FROM updates", [])?;
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, EngineError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), EngineError> {
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
