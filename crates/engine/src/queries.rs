//! Read queries the UI needs. (More arrive with the command table.)

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use csec_bundle::Lang;

use crate::render::{Heading, render_markdown};
use crate::{Cache, EngineError};

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub id: String,
    pub kind: String,
    pub title: String,
}

/// One item ready to show: metadata, sanitised HTML, table of contents, and related
/// items in both directions.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// As authored, at its precision: `2013`, `2015-05`, `2016-05-23`.
    pub date: Option<String>,
    pub summary: String,
    pub html: String,
    pub toc: Vec<Heading>,
    pub related: Vec<Related>,
    /// The newer letter, when this one is superseded.
    pub superseded_by: Option<Related>,
    /// The language this version is written in.
    pub lang: String,
    /// Every other language version of the same item, the English original included.
    pub translations: Vec<Translation>,
    /// The files it lists, each saying whether it is on this device.
    pub attachments: Vec<crate::AttachmentView>,
    /// Set when the last update added or changed this item.
    pub last_change: Option<crate::LastChange>,
    /// The whole item as published: sources, number, status, contacts.
    pub item: serde_json::Value,
}

/// Another language version of an item.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    pub id: String,
    pub lang: String,
    pub title: String,
}

impl Cache {
    /// The item `id` in the reader's language `lang` when a translation exists (a
    /// link to the English guide opens the Spanish one for a Spanish reader), else
    /// `id` itself. `None` means exactly `id`.
    pub fn item_for_reader(&self, id: &str, lang: Option<Lang>) -> Result<ItemView, EngineError> {
        let Some(lang) = lang else {
            return self.item(id);
        };
        let preferred: Option<String> = self
            .conn
            .query_row(
                "SELECT t.id FROM items t JOIN items o
                   ON o.id = coalesce((SELECT translation_of FROM items WHERE id = ?1), ?1)
                 WHERE t.lang = ?2 AND (t.id = o.id OR t.translation_of = o.id)",
                params![id, lang.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        self.item(preferred.as_deref().unwrap_or(id))
    }

    pub fn item(&self, id: &str) -> Result<ItemView, EngineError> {
        let row = self
            .conn
            .query_row(
                "SELECT kind, title, date, summary, body, superseded_by, json, lang, translation_of
                 FROM items WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((kind, title, date, summary, body, superseded_by, json, lang, translation_of)) =
            row
        else {
            return Err(EngineError::NotFound(id.to_string()));
        };
        let rendered = render_markdown(&body);
        let mut statement = self.conn.prepare_cached(
            "SELECT DISTINCT i.id, i.kind, i.title FROM links l
             JOIN items i ON i.id = CASE WHEN l.source = ?1 THEN l.target ELSE l.source END
             WHERE (l.source = ?1 OR l.target = ?1) AND i.id <> ?1
             ORDER BY i.kind, i.date, i.id",
        )?;
        let related = statement
            .query_map(params![id], |r| {
                Ok(Related {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let superseded_by = match superseded_by {
            None => None,
            Some(newer) => self
                .conn
                .query_row(
                    "SELECT id, kind, title FROM items WHERE id = ?1",
                    [&newer],
                    |r| {
                        Ok(Related {
                            id: r.get(0)?,
                            kind: r.get(1)?,
                            title: r.get(2)?,
                        })
                    },
                )
                .optional()?,
        };
        let original = translation_of.as_deref().unwrap_or(id);
        let mut statement = self.conn.prepare_cached(
            "SELECT id, lang, title FROM items
             WHERE (id = ?1 OR translation_of = ?1) AND id <> ?2 ORDER BY lang",
        )?;
        let translations = statement
            .query_map(params![original, id], |r| {
                Ok(Translation {
                    id: r.get(0)?,
                    lang: r.get(1)?,
                    title: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let item: serde_json::Value =
            serde_json::from_str(&json).unwrap_or(serde_json::Value::Null);
        let listed: Vec<csec_bundle::Attachment> = item
            .get("attachments")
            .and_then(|a| serde_json::from_value(a.clone()).ok())
            .unwrap_or_default();
        let attachments = self.attachment_views(&listed)?;
        Ok(ItemView {
            attachments,
            last_change: self.last_change(id)?,
            lang,
            translations,
            id: id.to_string(),
            kind,
            title,
            date,
            summary,
            html: rendered.html,
            toc: rendered.toc,
            related,
            superseded_by,
            item,
        })
    }
}
