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
//! `scripts/bench` runs a wider comparison (tests/benches/compare.rs) with the same
//! helpers (tests/benches/common).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{FloorSql, Measured, RUNS, curl_fetch, measure, measured_output, median};
use csec_bundle::generate_secret_key;
use csec_publish::{BuildOptions, Content, build_bundle};
use csec_tests::corpus::{Vocabulary, corpus};
use csec_tests::csec_bin;
use csec_tests::servers::Nginx;
use time::macros::datetime;

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
    build_bundle(
        &Content {
            items: generated,
            reviewed: None,
            attachment_files: Default::default(),
        },
        &key,
        &BuildOptions {
            version: 1,
            published: datetime!(2026-11-01 0:00 UTC),
            expires: datetime!(2099-01-01 0:00 UTC),
            allow_unverified: true,
        },
        &bundle,
    )
    .expect("build the bundle");
    let files = common::bundle_files(&bundle);
    let bundle_bytes = common::total_size(&files);
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
    let ours_bytes = serde_json::from_str::<serde_json::Value>(&measured_output(&dir.join("rss")))
        .ok()
        .and_then(|v| v["bytes"].as_u64())
        .expect("csec sync --json reports bytes");

    // The floor, part 1: curl fetches the same files into a directory.
    let mut fetches = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(dir.join("fetched"));
        let mut command = curl_fetch(
            &files,
            &bundle,
            &nginx.url,
            &dir.join("fetched"),
            &dir.join("curl.cfg"),
        );
        fetches.push(measure(&mut command, &dir.join("rss")));
    }
    let fetch = median(fetches);

    // The floor, part 2: the same rows, from the cache csec made, inserted by sqlite3
    // into an empty copy of the same schema (its search indexes built from them).
    let floor_sql = FloorSql::from_cache(&synced_db, dir);
    let load = median(
        (0..RUNS)
            .map(|run| floor_sql.load(&dir.join(format!("floor-{run}.sqlite")), &dir.join("rss")))
            .collect(),
    );
    let floor_rows = common::count_rows(&dir.join("floor-0.sqlite"), "items");

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
