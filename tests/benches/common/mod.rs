//! What the benchmarks share (`mod common;` in each): running a command under
//! `/usr/bin/time` for its wall time and peak memory, medians, and the floor that
//! `csec sync` is compared with: `curl` fetching the bundle's files, then the `sqlite3`
//! tool inserting the same rows into the same schema and building the same search
//! indexes from them, in one transaction.
//!
//! Needs nginx, curl, sqlite3 and /usr/bin/time (Debian packages).
#![allow(dead_code)] // each benchmark uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How often each whole-process measurement is repeated (the median is reported).
pub const RUNS: usize = 3;

#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    pub max_rss_kb: u64,
}

/// Runs `command` under `/usr/bin/time`, which reports the peak memory. Its standard
/// output is kept in `rss_file` with the extension `out`.
pub fn measure(command: &mut Command, rss_file: &Path) -> Measured {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(rss_file)
        .arg(&program)
        .args(&args)
        .stdout(std::fs::File::create(rss_file.with_extension("out")).expect("output file"));
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    let started = Instant::now();
    let status = timed.status().expect("run /usr/bin/time");
    let wall = started.elapsed();
    assert!(status.success(), "{program:?} {args:?} failed");
    let max_rss_kb = std::fs::read_to_string(rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
        .expect("a peak memory figure");
    Measured { wall, max_rss_kb }
}

/// What the last [`measure`] with this `rss_file` printed.
pub fn measured_output(rss_file: &Path) -> String {
    std::fs::read_to_string(rss_file.with_extension("out")).unwrap_or_default()
}

/// The median wall time and the median peak memory.
pub fn median(mut values: Vec<Measured>) -> Measured {
    values.sort_by_key(|m| m.wall);
    let wall = values[values.len() / 2].wall;
    let mut rss: Vec<u64> = values.iter().map(|m| m.max_rss_kb).collect();
    rss.sort_unstable();
    Measured {
        wall,
        max_rss_kb: rss[rss.len() / 2],
    }
}

/// `sqlite3 DB < SQL_FILE`.
pub fn sqlite3(db: &Path, sql_file: &Path) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("sqlite3 \"$0\" < \"$1\"")
        .arg(db)
        .arg(sql_file);
    command
}

/// Every file of a bundle directory: `manifest.json`, then the index files (format 2),
/// then the objects.
pub fn bundle_files(bundle: &Path) -> Vec<PathBuf> {
    std::iter::once(bundle.join("manifest.json"))
        .chain(files_in(&bundle.join("indexes")))
        .chain(object_files(bundle))
        .collect()
}

/// The object files of a bundle directory, sorted.
pub fn object_files(bundle: &Path) -> Vec<PathBuf> {
    files_in(&bundle.join("objects"))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("directory entry").path())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

pub fn total_size(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// The floor's download: a `curl` config (written to `config`) that fetches `files` of
/// `bundle` from `url` into `into`, and the command that runs it, 8 transfers in
/// parallel and gzip as ours. Remove `into` before each run.
pub fn curl_fetch(
    files: &[PathBuf],
    bundle: &Path,
    url: &str,
    into: &Path,
    config: &Path,
) -> Command {
    let mut text = String::new();
    for file in files {
        let relative = file.strip_prefix(bundle).expect("in the bundle");
        text.push_str(&format!(
            "url = \"{url}{}\"\noutput = \"{}\"\n",
            relative.display(),
            into.join(relative).display()
        ));
    }
    std::fs::write(config, text).expect("write curl config");
    let mut command = Command::new("curl");
    command.args([
        "--silent",
        "--show-error",
        "--no-progress-meter",
        "--fail",
        "--compressed",
        "--create-dirs",
        "--parallel",
        "--parallel-max",
        "8",
        "--config",
    ]);
    command.arg(config);
    command
}

/// The floor's insert, from a cache that `csec sync` made: `dir/schema.sql` (its
/// schema, search indexes included) and `dir/inserts.sql` (its rows, then both search
/// indexes built from them the quickest way SQLite offers, `rebuild`, all in one
/// transaction).
pub struct FloorSql {
    pub schema: PathBuf,
    pub inserts: PathBuf,
}

impl FloorSql {
    pub fn from_cache(synced_db: &Path, dir: &Path) -> FloorSql {
        let schema = Command::new("sqlite3")
            .arg(synced_db)
            .arg(
                "SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL
                 AND name NOT GLOB 'items_*fts_*' AND name NOT GLOB 'sqlite_*'
                 ORDER BY type = 'trigger', rowid",
            )
            .output()
            .expect("read the schema");
        let rows = Command::new("sqlite3")
            .arg(synced_db)
            .args([
                ".mode insert items",
                "SELECT * FROM items;",
                ".mode insert links",
                "SELECT * FROM links;",
            ])
            .output()
            .expect("dump the rows");
        let inserts = dir.join("inserts.sql");
        let mut sql = b"PRAGMA journal_mode=WAL;\nBEGIN;\n".to_vec();
        sql.extend_from_slice(&rows.stdout);
        sql.extend_from_slice(FLOOR_INDEXING.as_bytes());
        sql.extend_from_slice(b"COMMIT;\n");
        std::fs::write(&inserts, sql).expect("write inserts");
        let schema_file = dir.join("schema.sql");
        let schema = without_stemmer(&String::from_utf8_lossy(&schema.stdout));
        std::fs::write(&schema_file, schema).expect("write schema");
        FloorSql {
            schema: schema_file,
            inserts,
        }
    }

    /// Creates `db` with the schema (not timed), then times the insert.
    pub fn load(&self, db: &Path, rss_file: &Path) -> Measured {
        let _ = std::fs::remove_file(db);
        let status = sqlite3(db, &self.schema)
            .status()
            .expect("create the schema");
        assert!(
            status.success(),
            "the schema in {} fails",
            self.schema.display()
        );
        measure(&mut sqlite3(db, &self.inserts), rss_file)
    }
}

/// What csec's import writes besides the rows (cache.rs, `index_item`), as plain SQL:
/// the stem columns (`lower` for the stemmer, as in [`without_stemmer`]) and both
/// search indexes, each built in one pass.
const FLOOR_INDEXING: &str = "
INSERT INTO item_stems(rowid, title_stems, text_stems)
SELECT rowid, lower(title), lower(summary || ' ' || search_extra) FROM items WHERE kind <> 'synonyms';
INSERT INTO items_fts(items_fts) VALUES ('rebuild');
INSERT INTO items_short_fts(items_short_fts) VALUES ('rebuild');
";

/// The schema with `csec_stems(text, lang)`, the engine's own SQL function that the
/// `sqlite3` tool lacks, replaced by `lower(text)`: the floor still fills the same
/// index columns with text of the same size, only without stemming it (which makes
/// the floor a little cheaper than csec, never dearer).
fn without_stemmer(schema: &str) -> String {
    let mut out = String::with_capacity(schema.len());
    let mut rest = schema;
    while let Some(start) = rest.find("csec_stems(") {
        out.push_str(&rest[..start]);
        let call = &rest[start + "csec_stems(".len()..];
        let end = call.find(')').expect("csec_stems(...) is closed");
        let text = call[..end]
            .rsplit_once(',')
            .map_or(&call[..end], |(text, _lang)| text);
        out.push_str(&format!("lower({text})"));
        rest = &call[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Rows in a table, by the `sqlite3` tool.
pub fn count_rows(db: &Path, table: &str) -> String {
    let count = Command::new("sqlite3")
        .arg(db)
        .arg(format!("SELECT count(*) FROM {table}"))
        .output()
        .expect("count rows");
    String::from_utf8_lossy(&count.stdout).trim().to_string()
}
