//! Verified objects of a sync that has not been applied yet, in a file of their own
//! beside the cache (`<cache>-staging`). An interrupted sync resumes from it instead of
//! downloading them again; the sync that applies them deletes the file.
//!
//! Why a separate file: staged in the cache itself, a sync's objects left their pages
//! free in it once applied (a third of a 10,000-item cache was such free pages).
//! Deleting a file gives the space back at once. The crash guarantee is unchanged:
//! the cache's one apply transaction is still all that changes content, and a
//! staging file left behind by a crash holds only verified objects that the next
//! sync checks again and then deletes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use csec_engine::EngineError;

pub(crate) struct Staging {
    path: PathBuf,
    conn: Option<Connection>,
}

impl Staging {
    /// The staging file for the cache at `cache`; nothing is created until an object
    /// is staged.
    pub(crate) fn beside(cache: &Path) -> Staging {
        let mut name = cache.file_name().unwrap_or_default().to_os_string();
        name.push("-staging");
        Staging {
            path: cache.with_file_name(name),
            conn: None,
        }
    }

    /// The open connection, creating the file if `create` (else `None` when there
    /// is no file).
    fn connection(&mut self, create: bool) -> Result<Option<&Connection>, EngineError> {
        if self.conn.is_none() && (create || self.path.exists()) {
            let conn = Connection::open(&self.path)?;
            // A staged object is verified again when applied, so losing the last
            // few to a power cut costs a download, not correctness.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // Objects are appended once and read back at most once: a page cache
            // (2 MB by default) would only add to the sync's memory.
            conn.pragma_update(None, "cache_size", -256)?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS objects (
                     sha256 TEXT PRIMARY KEY,
                     data BLOB NOT NULL
                 ) STRICT",
            )?;
            self.conn = Some(conn);
        }
        Ok(self.conn.as_ref())
    }

    /// The hashes already staged.
    pub(crate) fn hashes(&mut self) -> Result<HashSet<String>, EngineError> {
        let Some(conn) = self.connection(false)? else {
            return Ok(HashSet::new());
        };
        let mut statement = conn.prepare("SELECT sha256 FROM objects")?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(crate) fn put(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), EngineError> {
        if let Some(conn) = self.connection(true)? {
            conn.execute(
                "INSERT OR IGNORE INTO objects(sha256, data) VALUES (?1, ?2)",
                params![sha256, bytes],
            )?;
        }
        Ok(())
    }

    pub(crate) fn get(&mut self, sha256: &str) -> Result<Option<Vec<u8>>, EngineError> {
        let Some(conn) = self.connection(false)? else {
            return Ok(None);
        };
        Ok(conn
            .query_row(
                "SELECT data FROM objects WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Deletes the staging file, once what it held is applied. A file that cannot be
    /// deleted is only wasted space: the next sync reuses it and tries again.
    pub(crate) fn remove(mut self) {
        self.conn = None;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
}
