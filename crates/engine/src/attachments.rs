//! Attachments: the files an item lists (a report's PDF, a convening's slides). The
//! listing is part of the item's JSON; the bytes, once fetched and checked against it,
//! are kept in `attachment_data` by hash, and dropped when no item lists them.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use csec_bundle::{Attachment, Item, verify_attachment};

use crate::{Cache, EngineError};

/// One attachment as an item page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentView {
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: u64,
    /// Whether its bytes are on this device, so opening it needs no network.
    pub on_device: bool,
}

/// Deletes the bytes of attachments that no item lists any more (run in each import's
/// transaction, so a removed report takes its PDF with it).
pub(crate) const DROP_ORPHANED: &str = "
DELETE FROM attachment_data WHERE sha256 NOT IN (
    SELECT a.value ->> 'sha256' FROM items, json_each(items.json, '$.attachments') a
);
";

impl Cache {
    /// Attachments an item lists, each saying whether it is on this device.
    pub(crate) fn attachment_views(
        &self,
        listed: &[Attachment],
    ) -> Result<Vec<AttachmentView>, EngineError> {
        listed
            .iter()
            .map(|a| {
                Ok(AttachmentView {
                    title: a.title.clone(),
                    file_name: a.file_name.clone(),
                    media_type: a.media_type.clone(),
                    sha256: a.sha256.clone(),
                    size: a.size,
                    on_device: self.has_attachment(&a.sha256)?,
                })
            })
            .collect()
    }

    fn has_attachment(&self, sha256: &str) -> Result<bool, EngineError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM attachment_data WHERE sha256 = ?1")?
            .exists([sha256])?)
    }

    /// The listing of the attachment `sha256` of the item `item_id`.
    pub fn attachment(&self, item_id: &str, sha256: &str) -> Result<Attachment, EngineError> {
        listing(&self.conn, item_id, sha256)?.ok_or_else(|| not_listed(item_id, sha256))
    }

    /// The attachment's bytes, if they are on this device.
    pub fn attachment_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>, EngineError> {
        Ok(self
            .conn
            .query_row(
                "SELECT data FROM attachment_data WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps an attachment's bytes after checking them against the listing of
    /// `item_id` as the library holds it now (an update may have removed it meanwhile:
    /// then nothing is stored).
    pub fn store_attachment(
        &mut self,
        item_id: &str,
        sha256: &str,
        bytes: &[u8],
    ) -> Result<(), EngineError> {
        let tx = self.conn.transaction()?;
        let listing = listing(&tx, item_id, sha256)?.ok_or_else(|| not_listed(item_id, sha256))?;
        verify_attachment(item_id, &listing, bytes)
            .map_err(|e| EngineError::BadAttachment(e.to_string()))?;
        tx.execute(
            "INSERT OR REPLACE INTO attachment_data(sha256, data) VALUES (?1, ?2)",
            params![sha256, bytes],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every attachment some item lists whose bytes are not on this device, once per
    /// hash, with the id of an item that lists it: what "download attachments with
    /// updates" fetches.
    pub fn missing_attachments(&self) -> Result<Vec<(String, Attachment)>, EngineError> {
        let mut statement = self.conn.prepare(
            "SELECT i.id, a.value FROM items i, json_each(i.json, '$.attachments') a
             WHERE a.value ->> 'sha256' NOT IN (SELECT sha256 FROM attachment_data)
             ORDER BY i.id",
        )?;
        let rows =
            statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut seen = std::collections::HashSet::new();
        let mut missing = Vec::new();
        for row in rows {
            let (id, json) = row?;
            if let Ok(attachment) = serde_json::from_str::<Attachment>(&json)
                && seen.insert(attachment.sha256.clone())
            {
                missing.push((id, attachment));
            }
        }
        Ok(missing)
    }
}

fn listing(
    conn: &rusqlite::Connection,
    item_id: &str,
    sha256: &str,
) -> Result<Option<Attachment>, EngineError> {
    let json: Option<String> = conn
        .query_row("SELECT json FROM items WHERE id = ?1", [item_id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str::<Item>(&j).ok())
        .and_then(|item| item.attachments.into_iter().find(|a| a.sha256 == sha256)))
}

fn not_listed(item_id: &str, sha256: &str) -> EngineError {
    EngineError::NotFound(format!("{item_id} (attachment {sha256})"))
}
