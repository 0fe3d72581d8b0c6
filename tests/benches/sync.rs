//! Sync benchmark: `cargo build --release -p csec && cargo bench -p csec-tests --bench sync`
//! (`-- --items N` for another size).
//!
//! Builds a generated bundle (10,000 items, about 50 MB), serves it with nginx on
//! 127.0.0.1, and compares in the same run:
//! - `csec sync` into a new cache (the release binary), and
//! - the floor: `curl` fetching the same files (8 in parallel, gzip as ours), then
//!   the `sqlite3` tool inserting the same rows, into the same schema with the same
//!   search index, in one transaction.
//!
//! Reports wall time, bytes and peak memory (max RSS from /usr/bin/time) as medians
//! of three runs. Needs nginx, curl, sqlite3 and /usr/bin/time (Debian packages).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use csec_bundle::generate_secret_key;
use csec_publish::{BuildOptions, Content, build_bundle};
use csec_tests::corpus::{Vocabulary, corpus};
use csec_tests::csec_bin;
use csec_tests::servers::Nginx;
use time::macros::datetime;

const RUNS: usize = 3;

struct Measured {
    wall: Duration,
    max_rss_kb: u64,
}

/// Runs `command` under `/usr/bin/time`, which reports the peak memory.
fn measure(command: &mut Command, rss_file: &Path) -> Measured {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(rss_file)
        .arg(&program)
        .args(&args)
        .stdout(std::fs::File::create(rss_file.with_extension("out")).expect("output file"))
        .status()
        .expect("run /usr/bin/time");
    let wall = started.elapsed();
    assert!(status.success(), "{program:?} {args:?} failed");
    let max_rss_kb = std::fs::read_to_string(rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
        .expect("a peak memory figure");
    Measured { wall, max_rss_kb }
}

fn median(mut values: Vec<Measured>) -> Measured {
    values.sort_by_key(|m| m.wall);
    let wall = values[values.len() / 2].wall;
    let mut rss: Vec<u64> = values.iter().map(|m| m.max_rss_kb).collect();
    rss.sort_unstable();
    Measured {
        wall,
        max_rss_kb: rss[rss.len() / 2],
    }
}

fn sqlite3(db: &Path, sql_file: &Path) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("sqlite3 \"$0\" < \"$1\"")
        .arg(db)
        .arg(sql_file);
    command
}

fn main() {
    let mut args = std::env::args().skip_while(|a| a != "--items");
    let items: usize = args.nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::TempDir::new().expect("temporary directory");
    let dir = tmp.path();

    // The bundle, written by the publisher's own build code.
    let mut generated = corpus(items, &Vocabulary::zipf(), 0.22);
    generated.sort_by(|a, b| a.id.cmp(&b.id));
    let key = generate_secret_key([7; 32]);
    std::fs::write(dir.join("signing.pub"), key.public().to_file_text()).expect("write key");
    let bundle = dir.join("bundle");
    let report = build_bundle(
        &Content { items: generated },
        &key,
        &BuildOptions {
            version: 1,
            published: datetime!(2026-11-01 0:00 UTC),
            expires: datetime!(2099-01-01 0:00 UTC),
        },
        &bundle,
    )
    .expect("build the bundle");
    let files: Vec<PathBuf> = std::iter::once(bundle.join("manifest.json"))
        .chain(
            report
                .manifest
                .objects
                .iter()
                .map(|e| bundle.join(e.path())),
        )
        .collect();
    let bundle_bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "bundle: {items} items, {} files, {:.1} MB",
        files.len(),
        bundle_bytes as f64 / 1e6
    );
    let nginx = Nginx::start(&bundle, &dir.join("nginx"));

    // csec sync into a new cache, three times.
    let csec = csec_bin();
    let mut ours = Vec::new();
    let mut synced_db = PathBuf::new();
    for run in 0..RUNS {
        synced_db = dir.join(format!("ours-{run}.sqlite"));
        let mut command = Command::new(&csec);
        command
            .args(["sync", &nginx.url, "--trust"])
            .arg(dir.join("signing.pub"))
            .arg("--json")
            .arg("--db")
            .arg(&synced_db);
        ours.push(measure(&mut command, &dir.join("rss")));
    }
    let ours = median(ours);
    let report = std::fs::read_to_string(dir.join("rss.out")).unwrap_or_default();
    let ours_bytes = serde_json::from_str::<serde_json::Value>(&report)
        .ok()
        .and_then(|v| v["bytes"].as_u64())
        .expect("csec sync --json reports bytes");

    // The floor, part 1: curl fetches the same files into a directory.
    let mut config = String::new();
    for file in &files {
        let relative = file.strip_prefix(&bundle).expect("in the bundle");
        config.push_str(&format!(
            "url = \"{}{}\"\noutput = \"{}\"\n",
            nginx.url,
            relative.display(),
            dir.join("fetched").join(relative).display()
        ));
    }
    std::fs::write(dir.join("curl.cfg"), config).expect("write curl config");
    let mut fetches = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(dir.join("fetched"));
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
        command.arg(dir.join("curl.cfg"));
        fetches.push(measure(&mut command, &dir.join("rss")));
    }
    let fetch = median(fetches);

    // The floor, part 2: the same rows, from the cache csec made, inserted by sqlite3
    // into an empty copy of the same schema (search index and triggers included).
    let schema = Command::new("sqlite3")
        .arg(&synced_db)
        .arg(
            "SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL
             AND name NOT GLOB 'items_*fts_*' AND name NOT GLOB 'sqlite_*'
             ORDER BY type = 'trigger', rowid",
        )
        .output()
        .expect("read the schema");
    let schema = String::from_utf8_lossy(&schema.stdout).into_owned();
    let rows = Command::new("sqlite3")
        .arg(&synced_db)
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
    sql.extend_from_slice(b"COMMIT;\n");
    std::fs::write(&inserts, sql).expect("write inserts");
    std::fs::write(dir.join("schema.sql"), &schema).expect("write schema");
    let mut loads = Vec::new();
    for run in 0..RUNS {
        let db = dir.join(format!("floor-{run}.sqlite"));
        let status = sqlite3(&db, &dir.join("schema.sql"))
            .status()
            .expect("create the schema");
        assert!(status.success(), "schema: {schema}");
        loads.push(measure(&mut sqlite3(&db, &inserts), &dir.join("rss")));
    }
    let load = median(loads);
    let count = Command::new("sqlite3")
        .arg(dir.join("floor-0.sqlite"))
        .arg("SELECT count(*) FROM items")
        .output()
        .expect("count rows");
    let floor_rows = String::from_utf8_lossy(&count.stdout).trim().to_string();

    let floor = fetch.wall + load.wall;
    let line = |name: &str, m: &Measured, bytes: Option<u64>| {
        println!(
            "{name:<34} {:>7.2} s {:>7.1} MB peak {}",
            m.wall.as_secs_f64(),
            m.max_rss_kb as f64 / 1024.0,
            bytes.map_or(String::new(), |b| format!(
                "{:>8.1} MB received",
                b as f64 / 1e6
            ))
        )
    };
    println!(
        "median of {RUNS} runs, {:.1} MB over loopback from nginx",
        bundle_bytes as f64 / 1e6
    );
    line("csec sync (new cache)", &ours, Some(ours_bytes));
    line("floor: curl fetch", &fetch, Some(bundle_bytes));
    line(
        &format!("floor: sqlite3 insert ({floor_rows} rows)"),
        &load,
        None,
    );
    println!(
        "floor total                        {:>7.2} s; csec sync / floor = {:.2}x",
        floor.as_secs_f64(),
        ours.wall.as_secs_f64() / floor.as_secs_f64()
    );
}
