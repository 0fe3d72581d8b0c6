//! The comparison benchmark behind `scripts/bench` (read it first: it builds what this
//! needs). By hand:
//!
//! ```sh
//! cargo build --release -p csec && npm ci --prefix bench
//! cargo bench -p csec-tests --bench compare -- --items 1000 [--items 10000]
//! ```
//!
//! For each size it writes a generated `content/` tree (tests/src/bin/gen-corpus.rs),
//! builds it with the real `csec build`, serves it with nginx on 127.0.0.1 and, in the
//! same run, measures csec beside a baseline, each as a ratio (ours / baseline: below 1
//! means csec needs less time, bytes or memory):
//! - full sync (time, bytes on the wire, peak memory) beside the floor: `curl` fetching
//!   the same files, then the `sqlite3` tool inserting the same rows into the same
//!   schema (FTS5 included) in one transaction;
//! - no-change sync (requests, bytes, time) beside one conditional `curl` request;
//! - 1 % of the items changed: bytes received beside the changed objects' bytes, bytes
//!   on the wire beside `curl` fetching only the changed objects, requests;
//! - search p50 / p99 over the 50 queries of bench/queries.json, in process
//!   (`Cache::search`), beside MiniSearch in Node (bench/minisearch.mjs) and beside a
//!   raw FTS5 query (`ORDER BY rank LIMIT 20`, a table of every text field with positions)
//!   in one long-running `sqlite3` process;
//! - cold open to the home list beside MiniSearch loading its index; first search after
//!   launch (process start to exit) beside a fresh Node process loading the index and
//!   searching;
//! - bundle size on the wire and cache size on disk beside the content's size.
//!
//! It prints one table and writes it as JSON (`--out`, default
//! `target/bench/results.json`). Whole processes are timed as medians of
//! [`common::RUNS`] runs (peak memory from `/usr/bin/time -f %M`), except that past
//! 2,000 items the full sync and its floor's insert, most of a minute each, run once.
//! Each query runs once to warm up, then `--rounds` times (default 5); percentiles are
//! over all timed runs.
//! Nothing here asserts a time: it is a benchmark, not a test.
//!
//! Other options: `--csec PATH` (default: `csec` beside this benchmark's target
//! directory), `--probe PATH` (the engine's `micro` benchmark binary, which times
//! `Cache::search` in process; default: `$CSEC_ENGINE_PROBE`, else found with `cargo
//! bench --no-run`), `--work DIR`, `--keep` (keep the work files), `--seed S`.

mod common;
#[path = "../src/bin/gen-corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{
    FloorSql, RUNS, bundle_files, curl_fetch, measure, measured_output, median, object_files,
    total_size,
};
use csec_tests::copy_dir;
use csec_tests::servers::Nginx;
use serde_json::{Value, json};

struct Args {
    items: Vec<usize>,
    csec: PathBuf,
    probe: Option<PathBuf>,
    out: PathBuf,
    work: PathBuf,
    rounds: usize,
    seed: u64,
    keep: bool,
    mode: String,
}

fn target_dir() -> PathBuf {
    // This benchmark runs as target/<profile>/deps/compare-<hash>.
    let exe = std::env::current_exe().expect("the benchmark knows its own path");
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .expect("benchmarks live in target/<profile>/deps")
}

fn parse_args() -> Args {
    let target = target_dir();
    let mut args = Args {
        items: Vec::new(),
        csec: target.join("release").join("csec"),
        probe: std::env::var_os("CSEC_ENGINE_PROBE").map(PathBuf::from),
        out: target.join("bench").join("results.json"),
        work: target.join("bench").join("work"),
        rounds: 5,
        seed: 1,
        keep: false,
        mode: "custom".into(),
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let mut value = || {
            given
                .next()
                .unwrap_or_else(|| panic!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--items" => args
                .items
                .push(value().parse().expect("--items takes a number")),
            "--csec" => args.csec = PathBuf::from(value()),
            "--probe" => args.probe = Some(PathBuf::from(value())),
            "--out" => args.out = PathBuf::from(value()),
            "--work" => args.work = PathBuf::from(value()),
            "--rounds" => args.rounds = value().parse().expect("--rounds takes a number"),
            "--seed" => args.seed = value().parse().expect("--seed takes a number"),
            "--mode" => args.mode = value(),
            "--keep" => args.keep = true,
            // cargo bench passes --bench to every benchmark binary.
            "--bench" => {}
            other => panic!("unknown argument {other:?}"),
        }
    }
    if args.items.is_empty() {
        args.items.push(1_000);
    }
    // cargo runs benchmarks in the package's folder: read relative paths from the
    // repository root, where scripts/bench runs.
    let root = csec_tests::repo_root();
    for path in [&mut args.csec, &mut args.out, &mut args.work]
        .into_iter()
        .chain(args.probe.as_mut())
    {
        if path.is_relative() {
            *path = root.join(&*path);
        }
    }
    args
}

/// The engine's `micro` benchmark binary, whose `--probe` mode times `Cache::search`.
fn find_probe() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "bench",
            "-p",
            "csec-engine",
            "--bench",
            "micro",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(csec_tests::repo_root())
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo bench --no-run");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["target"]["name"] == "micro")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo built the engine's micro benchmark")
}

fn check_tools(args: &Args) {
    let mut missing = Vec::new();
    for tool in ["/usr/bin/time", "curl", "sqlite3", "node", "stdbuf"] {
        let found = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            missing.push(tool);
        }
    }
    if !Path::new("/usr/sbin/nginx").exists() && !Path::new("/usr/bin/nginx").exists() {
        missing.push("nginx");
    }
    assert!(
        missing.is_empty(),
        "missing {}: scripts/bench installs them",
        missing.join(", ")
    );
    assert!(
        args.csec.exists(),
        "{} does not exist: cargo build --release -p csec",
        args.csec.display()
    );
    assert!(
        bench_dir().join("node_modules/minisearch").exists(),
        "MiniSearch is not installed: npm ci --prefix bench"
    );
}

fn bench_dir() -> PathBuf {
    csec_tests::repo_root().join("bench")
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn rss_mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

/// Nearest-rank percentile of unsorted samples.
fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn median_of(samples: &[f64]) -> f64 {
    percentile(samples, 0.5)
}

/// What nginx served, from its access log lines (`combined` format).
#[derive(Debug, Default, Clone, Copy)]
struct Traffic {
    requests: usize,
    /// Body bytes sent (gzip-compressed where the client asked).
    bytes: u64,
    not_modified: usize,
}

fn traffic(lines: &[String]) -> Traffic {
    let mut total = Traffic::default();
    for line in lines {
        let mut fields = line
            .split('"')
            .nth(2)
            .unwrap_or_default()
            .split_whitespace();
        let status = fields.next().unwrap_or_default();
        let bytes: u64 = fields.next().and_then(|b| b.parse().ok()).unwrap_or(0);
        total.requests += 1;
        total.bytes += bytes;
        if status == "304" {
            total.not_modified += 1;
        }
    }
    total
}

/// A server and where its log is.
struct Host {
    nginx: Nginx,
    work: PathBuf,
}

impl Host {
    fn start(bundle: &Path, work: PathBuf) -> Host {
        Host {
            nginx: Nginx::start(bundle, &work),
            work,
        }
    }

    fn url(&self) -> &str {
        &self.nginx.url
    }

    fn log_len(&self) -> usize {
        self.nginx.access_log(&self.work).len()
    }

    /// What was served since the log had `from` lines.
    fn since(&self, from: usize) -> Traffic {
        traffic(&self.nginx.access_log(&self.work)[from..])
    }
}

/// One line of the table: csec beside a baseline.
struct Row {
    what: String,
    unit: &'static str,
    ours: f64,
    baseline: f64,
    baseline_name: String,
}

impl Row {
    fn new(what: &str, unit: &'static str, ours: f64, baseline: f64, baseline_name: &str) -> Row {
        Row {
            what: what.into(),
            unit,
            ours,
            baseline,
            baseline_name: baseline_name.into(),
        }
    }

    /// ours / baseline; 1 when both are zero; none when only the baseline is.
    fn ratio(&self) -> Option<f64> {
        if self.baseline == 0.0 {
            (self.ours == 0.0).then_some(1.0)
        } else {
            Some(self.ours / self.baseline)
        }
    }

    fn json(&self) -> Value {
        json!({
            "name": self.what,
            "unit": self.unit,
            "ours": self.ours,
            "baseline": self.baseline,
            "baseline_name": self.baseline_name,
            "ratio": self.ratio(),
        })
    }
}

fn format_value(value: f64, unit: &str) -> String {
    let number = match unit {
        "requests" | "req/s" | "bytes" => format!("{value:.0}"),
        "ms" if value < 10.0 => format!("{value:.2}"),
        "ms" => format!("{value:.1}"),
        "kB" | "MB" if value < 10.0 => format!("{value:.2}"),
        "kB" | "MB" => format!("{value:.1}"),
        _ => format!("{value:.2}"),
    };
    format!("{number} {unit}")
}

fn format_ratio(ratio: f64) -> String {
    match ratio {
        r if r >= 10.0 => format!("{r:.0}"),
        r if r >= 0.1 => format!("{r:.2}"),
        r => format!("{r:.3}"),
    }
}

/// Everything measured for one corpus size.
struct SizeReport {
    items: usize,
    rows: Vec<Row>,
    details: Value,
}

fn csec(args: &Args) -> Command {
    let mut command = Command::new(&args.csec);
    command.env_remove("SOURCE_DATE_EPOCH");
    command
}

fn run_ok(command: &mut Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Devices the scale row is written for.
const HOURLY_DEVICES: f64 = 100_000.0;

struct Checks {
    per_second: f64,
    /// Response bytes per check (headers of a 304), from wrk's transfer rate.
    bytes_each: f64,
}

/// `wrk` for 5 seconds, 2 threads and 64 connections, asking for the root with its
/// current ETag and gzip, as an up-to-date device does.
fn no_change_checks(url: &str) -> Checks {
    let manifest = format!("{url}manifest.json");
    let headers = run_ok(
        Command::new("curl").args([
            "-s",
            "-o",
            "/dev/null",
            "-D",
            "-",
            "-H",
            "Accept-Encoding: gzip",
            &manifest,
        ]),
        "curl (the root's ETag)",
    );
    let etag = headers
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(name, _)| name.eq_ignore_ascii_case("etag"))
        })
        .map(|(_, value)| value.trim().to_string())
        .expect("nginx sends an ETag for the root");
    let output = run_ok(
        Command::new("wrk").args([
            "-t2",
            "-c64",
            "-d5s",
            "-H",
            &format!("If-None-Match: {etag}"),
            "-H",
            "Accept-Encoding: gzip",
            &manifest,
        ]),
        "wrk",
    );
    let field = |name: &str| -> f64 {
        output
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(|v| v.trim().to_string())
            .and_then(|v| {
                let (number, scale) = match v.char_indices().find(|(_, c)| c.is_ascii_alphabetic())
                {
                    Some((at, _)) => (&v[..at], &v[at..]),
                    None => (v.as_str(), ""),
                };
                let factor = match scale {
                    "KB" => 1024.0,
                    "MB" => 1024.0 * 1024.0,
                    "GB" => 1024.0 * 1024.0 * 1024.0,
                    _ => 1.0,
                };
                number.parse::<f64>().ok().map(|n| n * factor)
            })
            .unwrap_or_else(|| panic!("wrk printed no {name}: {output}"))
    };
    let per_second = field("Requests/sec:");
    assert!(
        !output.contains("Non-2xx or 3xx"),
        "every check must be a 304: {output}"
    );
    Checks {
        per_second,
        bytes_each: field("Transfer/sec:") / per_second,
    }
}

fn sync_command(args: &Args, url: &str, trust: &Path, db: &Path) -> Command {
    let mut command = csec(args);
    command
        .args(["sync", url, "--json", "--trust"])
        .arg(trust)
        .arg("--db")
        .arg(db);
    command
}

/// A cache file and its write-ahead log, if any, copied next to it.
fn copy_cache(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let source = PathBuf::from(format!("{}{suffix}", from.display()));
        let target = PathBuf::from(format!("{}{suffix}", to.display()));
        let _ = std::fs::remove_file(&target);
        if source.exists() {
            std::fs::copy(&source, &target).expect("copy the cache");
        }
    }
}

fn cache_size(db: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|s| {
            std::fs::metadata(format!("{}{s}", db.display()))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum()
}

/// csec's FTS5 expression for typed text (crates/engine/src/search.rs `fts_query`): the
/// words as quoted strings joined by AND, the last one a prefix once it has two
/// characters, and "acl16" also as "acl 16".
fn fts_expression(typed: &str) -> String {
    let terms: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect();
    let typing = !typed.ends_with(char::is_whitespace);
    let count = terms.len();
    terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let star = if typing && i + 1 == count && term.chars().count() >= 2 {
                "*"
            } else {
                ""
            };
            let mut parts: Vec<String> = Vec::new();
            let mut last_digit = None;
            for c in term.chars() {
                if last_digit != Some(c.is_ascii_digit()) {
                    parts.push(String::new());
                }
                parts.last_mut().expect("a part").push(c);
                last_digit = Some(c.is_ascii_digit());
            }
            if parts.len() > 1 {
                format!("(\"{term}\"{star} OR \"{}\"{star})", parts.join(" "))
            } else {
                format!("\"{term}\"{star}")
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The table a plain FTS5 search would use: every text field, with positions, built
/// once over the synced rows. (csec's own whole index keeps no positions, and ranking
/// it takes seconds: it is not meant to be ranked.)
const RAW_FTS: &str = "
CREATE VIRTUAL TABLE raw_fts USING fts5(
    title, number, summary, body, search_extra,
    content = 'items_searchable', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
INSERT INTO raw_fts(raw_fts) VALUES ('rebuild');
INSERT INTO raw_fts(raw_fts) VALUES ('optimize');
";

/// Per-query latencies (ms) of a raw FTS5 query in one long-running `sqlite3` process:
/// each statement is written to its standard input and timed until a marker row
/// after its results comes back (line-buffered with `stdbuf`), so the resolution is
/// the clock's, not the `.timer` command's millisecond.
fn sqlite3_search(db: &Path, queries: &[String], rounds: usize) -> Vec<(usize, Vec<f64>)> {
    let mut child = Command::new("stdbuf")
        .args(["-oL", "sqlite3", "-batch", "-readonly"])
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start sqlite3");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    let mut run = |sql: &str| -> (usize, f64) {
        let started = Instant::now();
        writeln!(input, "{sql}\nSELECT '@@done';").expect("write to sqlite3");
        input.flush().expect("flush");
        let mut rows = 0;
        loop {
            let mut line = String::new();
            let read = output.read_line(&mut line).expect("read from sqlite3");
            assert!(read > 0, "sqlite3 stopped on {sql}");
            if line.trim_end() == "@@done" {
                break;
            }
            rows += 1;
        }
        (rows, started.elapsed().as_secs_f64() * 1000.0)
    };
    let results = queries
        .iter()
        .map(|query| {
            let expression = fts_expression(query).replace('\'', "''");
            let sql = format!(
                "SELECT rowid FROM raw_fts WHERE raw_fts MATCH '{expression}' ORDER BY rank LIMIT 20;"
            );
            let (hits, _) = run(&sql);
            let ms = (0..rounds).map(|_| run(&sql).1).collect();
            (hits, ms)
        })
        .collect();
    drop(input);
    let _ = child.wait();
    results
}

fn node(script_args: &[&dyn AsRef<std::ffi::OsStr>]) -> Command {
    let mut command = Command::new("node");
    command
        .arg("--max-old-space-size=16384")
        .arg(bench_dir().join("minisearch.mjs"))
        .args(script_args)
        .current_dir(bench_dir());
    command
}

fn parse_json(text: &str, what: &str) -> Value {
    serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{what} printed no JSON ({e}): {text}"))
}

fn run_size(args: &Args, items: usize, queries: &[String], first_query: &str) -> SizeReport {
    let work = args.work.join(format!("n{items}"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create the work directory");
    let rss = work.join("rss");
    let mut rows = Vec::new();
    // Progress on stderr, and how long each step took (in the JSON details).
    let mut steps: Vec<(String, Instant)> = Vec::new();
    let mut step = |what: &str| {
        eprintln!("[{items} items] {what}");
        steps.push((what.to_string(), Instant::now()));
    };

    // The content, and the next edition with 1 % of the items revised.
    step("generating the content");
    let options = gen_corpus::Options {
        items,
        seed: args.seed,
        scale: 1.0,
        change_percent: 0.0,
    };
    let generated = gen_corpus::generate(&options, &work.join("content"));
    let revised = gen_corpus::generate(
        &gen_corpus::Options {
            change_percent: 1.0,
            ..options
        },
        &work.join("content-next"),
    );

    step("building the bundles with csec build");
    run_ok(
        csec(args).arg("keygen").arg("--out").arg(work.join("keys")),
        "csec keygen",
    );
    let trust = work.join("keys").join("signing.pub");
    let build = |content: &str, bundle: &str, version: &str| {
        let mut command = csec(args);
        command
            .arg("build")
            .arg(work.join(content))
            .arg("--key")
            .arg(work.join("keys").join("signing.key"))
            .arg("--out")
            .arg(work.join(bundle))
            .args(["--version", version, "--expires", "2099-01-01T00:00:00Z"])
            // The generated counties' contacts are placeholders.
            .arg("--allow-unverified-contacts");
        measure(&mut command, &rss)
    };
    let built = build("content", "bundle", "1");
    // As a publisher does: the next edition is built over the published one, so it
    // keeps the index files that still serve.
    copy_dir(&work.join("bundle"), &work.join("bundle-next"));
    build("content-next", "bundle-next", "2");
    let bundle = work.join("bundle");
    let files = bundle_files(&bundle);
    let bundle_bytes = total_size(&files);
    let objects_bytes = total_size(&object_files(&bundle));
    let next_files = bundle_files(&work.join("bundle-next"));
    let old_files: std::collections::HashSet<_> =
        files.iter().filter_map(|f| f.file_name()).collect();
    let new_files = |files: Vec<PathBuf>| -> Vec<PathBuf> {
        files
            .into_iter()
            .filter(|f| f.file_name().is_some_and(|n| !old_files.contains(n)))
            .collect()
    };
    let changed_objects = new_files(object_files(&work.join("bundle-next")));
    let changed_bytes = total_size(&changed_objects);
    // What lists the next edition that a device of this one lacks: the root and any
    // new index files.
    let next_manifest_bytes =
        total_size(&next_files[..1]) + total_size(&new_files(next_files.clone())) - changed_bytes;

    let host = Host::start(&bundle, work.join("nginx"));
    let next_host = Host::start(&work.join("bundle-next"), work.join("nginx-next"));

    // Full sync into a new cache. Past 2,000 items it and its floor's insert take
    // most of a minute each, so they run once.
    let heavy_runs = if items > 2_000 { 1 } else { RUNS };
    step("full sync: csec sync");
    let mut full = Vec::new();
    let mut full_traffic = Traffic::default();
    let mut full_report = Value::Null;
    for run in 0..heavy_runs {
        let db = work.join(format!("full-{run}.sqlite"));
        let from = host.log_len();
        full.push(measure(
            &mut sync_command(args, host.url(), &trust, &db),
            &rss,
        ));
        full_traffic = host.since(from);
        full_report = parse_json(&measured_output(&rss), "csec sync");
    }
    let full = median(full);
    let cache = work.join("full-0.sqlite");
    let cache_bytes = cache_size(&cache);

    step("full sync floor: curl, then sqlite3");
    let mut fetches = Vec::new();
    let mut fetch_traffic = Traffic::default();
    for _ in 0..RUNS {
        let into = work.join("fetched");
        let _ = std::fs::remove_dir_all(&into);
        let from = host.log_len();
        let mut command = curl_fetch(&files, &bundle, host.url(), &into, &work.join("curl.cfg"));
        fetches.push(measure(&mut command, &rss));
        fetch_traffic = host.since(from);
    }
    let fetch = median(fetches);
    let floor_sql = FloorSql::from_cache(&cache, &work);
    let load = median(
        (0..heavy_runs)
            .map(|run| floor_sql.load(&work.join(format!("floor-{run}.sqlite")), &rss))
            .collect(),
    );
    let floor_rows = common::count_rows(&work.join("floor-0.sqlite"), "items");
    let floor_name = "curl fetch + sqlite3 insert (the floor)";
    rows.push(Row::new(
        "full sync: time",
        "s",
        secs(full.wall),
        secs(fetch.wall + load.wall),
        floor_name,
    ));
    rows.push(Row::new(
        "full sync: bytes on the wire",
        "MB",
        mb(full_traffic.bytes),
        mb(fetch_traffic.bytes),
        "curl --compressed, same files",
    ));
    rows.push(Row::new(
        "full sync: peak RSS",
        "MB",
        rss_mb(full.max_rss_kb),
        rss_mb(fetch.max_rss_kb.max(load.max_rss_kb)),
        "larger of curl and sqlite3",
    ));

    // No change: one conditional request.
    step("no-change sync");
    let mut unchanged = Vec::new();
    let mut unchanged_traffic = Traffic::default();
    let mut unchanged_report = Value::Null;
    for _ in 0..RUNS {
        let from = host.log_len();
        unchanged.push(measure(
            &mut sync_command(args, host.url(), &trust, &cache),
            &rss,
        ));
        unchanged_traffic = host.since(from);
        unchanged_report = parse_json(&measured_output(&rss), "csec sync");
    }
    let unchanged = median(unchanged);
    let headers = run_ok(
        Command::new("curl")
            .args(["--silent", "--compressed", "--head"])
            .arg(format!("{}manifest.json", host.url())),
        "curl --head",
    );
    let etag = headers
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(name, _)| name.eq_ignore_ascii_case("etag"))
                .map(|(_, v)| v.trim().to_string())
        })
        .expect("nginx sends an ETag");
    let mut conditional = Vec::new();
    let mut conditional_traffic = Traffic::default();
    for _ in 0..RUNS {
        let from = host.log_len();
        let mut command = Command::new("curl");
        command
            .args([
                "--silent",
                "--compressed",
                "--output",
                "/dev/null",
                "--header",
            ])
            .arg(format!("If-None-Match: {etag}"))
            .arg(format!("{}manifest.json", host.url()));
        conditional.push(measure(&mut command, &rss));
        conditional_traffic = host.since(from);
    }
    let conditional = median(conditional);
    let conditional_name = "curl, one conditional GET of the manifest";
    rows.push(Row::new(
        "no-change sync: requests",
        "requests",
        unchanged_traffic.requests as f64,
        conditional_traffic.requests as f64,
        conditional_name,
    ));
    rows.push(Row::new(
        "no-change sync: bytes",
        "kB",
        unchanged_traffic.bytes as f64 / 1e3,
        conditional_traffic.bytes as f64 / 1e3,
        conditional_name,
    ));
    rows.push(Row::new(
        "no-change sync: time",
        "ms",
        secs(unchanged.wall) * 1000.0,
        secs(conditional.wall) * 1000.0,
        conditional_name,
    ));

    // Scale: how many no-change checks nginx answers, on a host of its own so its log
    // does not swell the others'. Beside it, what 100,000 devices checking every hour
    // ask for.
    step("no-change checks per second: wrk against nginx");
    let scale_host = Host::start(&bundle, work.join("nginx-wrk"));
    let checks = no_change_checks(scale_host.url());
    drop(scale_host);
    rows.push(Row::new(
        "no-change checks per second (nginx, wrk, 5 s)",
        "req/s",
        checks.per_second,
        HOURLY_DEVICES / 3600.0,
        "100,000 devices checking every hour",
    ));
    rows.push(Row::new(
        "no-change check: bytes on the wire",
        "bytes",
        checks.bytes_each,
        total_size(&files[..1]) as f64,
        "the root, sent when it changed",
    ));

    // 1 % changed: the next edition, into copies of the caches.
    step("1 % changed sync");
    let mut delta = Vec::new();
    let mut delta_traffic = Traffic::default();
    let mut delta_report = Value::Null;
    for run in 0..RUNS {
        let db = work.join(format!("delta-{run}.sqlite"));
        copy_cache(&work.join(format!("full-{}.sqlite", run % heavy_runs)), &db);
        let from = next_host.log_len();
        delta.push(measure(
            &mut sync_command(args, next_host.url(), &trust, &db),
            &rss,
        ));
        delta_traffic = next_host.since(from);
        delta_report = parse_json(&measured_output(&rss), "csec sync");
    }
    let delta = median(delta);
    let received = delta_report["bytes"].as_u64().unwrap_or(0);
    rows.push(Row::new(
        &format!(
            "1 % changed ({} items): bytes received",
            revised.changed.len()
        ),
        "kB",
        received as f64 / 1e3,
        changed_bytes as f64 / 1e3,
        "the changed objects' bytes",
    ));
    // The least a client can download: only the changed objects, gzip as ours.
    let from = next_host.log_len();
    let into = work.join("fetched-changed");
    let mut command = curl_fetch(
        &changed_objects,
        &work.join("bundle-next"),
        next_host.url(),
        &into,
        &work.join("curl-changed.cfg"),
    );
    run_ok(&mut command, "curl (changed objects)");
    let changed_traffic = next_host.since(from);
    rows.push(Row::new(
        "1 % changed: bytes on the wire",
        "kB",
        delta_traffic.bytes as f64 / 1e3,
        changed_traffic.bytes as f64 / 1e3,
        "curl --compressed, changed objects only",
    ));
    rows.push(Row::new(
        "1 % changed: requests",
        "requests",
        delta_traffic.requests as f64,
        (changed_objects.len() + 1) as f64,
        "manifest + changed objects",
    ));

    // Search: csec in process, MiniSearch in Node, FTS5 in the sqlite3 tool.
    step("search: csec in process");
    let probe = args.probe.as_ref().expect("the probe was found in main");
    let mut command = Command::new(probe);
    command
        .arg("--probe")
        .arg("--db")
        .arg(&cache)
        .arg("--queries")
        .arg(bench_dir().join("queries.json"))
        .arg("--rounds")
        .arg(args.rounds.to_string());
    let ours = parse_json(
        &run_ok(&mut command, "the engine probe"),
        "the engine probe",
    );
    let samples = |report: &Value| -> Vec<f64> {
        report["queries"]
            .as_array()
            .map(|qs| {
                qs.iter()
                    .flat_map(|q| q["ms"].as_array().cloned().unwrap_or_default())
                    .filter_map(|v| v.as_f64())
                    .collect()
            })
            .unwrap_or_default()
    };
    let ours_ms = samples(&ours);

    step("search: MiniSearch build, load and queries");
    let index = work.join("minisearch-index.json");
    let mut command = node(&[&"build", &bundle.join("objects"), &index]);
    let minisearch_build = measure(&mut command, &rss);
    let minisearch_built = parse_json(&measured_output(&rss), "minisearch build");
    let mut command = node(&[
        &"query",
        &index,
        &bench_dir().join("queries.json"),
        &args.rounds.to_string(),
    ]);
    let minisearch_query = measure(&mut command, &rss);
    let minisearch = parse_json(&measured_output(&rss), "minisearch query");
    let minisearch_ms = samples(&minisearch);

    step("search: FTS5 in the sqlite3 tool");
    let raw_db = work.join("raw-fts.sqlite");
    copy_cache(&cache, &raw_db);
    run_ok(
        Command::new("sqlite3").arg(&raw_db).arg(RAW_FTS),
        "sqlite3 (the raw FTS5 table)",
    );
    let raw = sqlite3_search(&raw_db, queries, args.rounds);
    let raw_ms: Vec<f64> = raw.iter().flat_map(|(_, ms)| ms.iter().copied()).collect();

    for (label, p) in [("p50", 0.5), ("p99", 0.99)] {
        rows.push(Row::new(
            &format!("search {label} (50 queries)"),
            "ms",
            percentile(&ours_ms, p),
            percentile(&minisearch_ms, p),
            "MiniSearch 7.2 in Node",
        ));
    }
    for (label, p) in [("p50", 0.5), ("p99", 0.99)] {
        rows.push(Row::new(
            &format!("search {label} (50 queries)"),
            "ms",
            percentile(&ours_ms, p),
            percentile(&raw_ms, p),
            "raw FTS5 ORDER BY rank in sqlite3",
        ));
    }

    // Launch: open to the home list; process start to the first result.
    step("cold start: csec search and MiniSearch");
    let mut firsts = Vec::new();
    let mut first_out = String::new();
    for _ in 0..RUNS {
        let mut command = csec(args);
        command
            .args(["search", first_query, "--json", "--db"])
            .arg(&cache);
        firsts.push(measure(&mut command, &rss));
        first_out = measured_output(&rss);
    }
    let first = median(firsts);
    let mut minisearch_firsts = Vec::new();
    let mut minisearch_loads = vec![minisearch["load_ms"].as_f64().unwrap_or(f64::NAN)];
    let mut minisearch_first_out = Value::Null;
    for _ in 0..RUNS {
        let mut command = node(&[&"first", &index, &first_query]);
        minisearch_firsts.push(measure(&mut command, &rss));
        minisearch_first_out = parse_json(&measured_output(&rss), "minisearch first");
        minisearch_loads.push(minisearch_first_out["load_ms"].as_f64().unwrap_or(f64::NAN));
    }
    let minisearch_first = median(minisearch_firsts);
    let opens: Vec<f64> = ours["open_to_home_ms"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    rows.push(Row::new(
        "cold open to home list (in process)",
        "ms",
        median_of(&opens),
        median_of(&minisearch_loads),
        "MiniSearch: read + loadJSON of its index",
    ));
    rows.push(Row::new(
        "first search after launch: time",
        "ms",
        secs(first.wall) * 1000.0,
        secs(minisearch_first.wall) * 1000.0,
        "node: start, load index, search, exit",
    ));
    rows.push(Row::new(
        "first search after launch: peak RSS",
        "MB",
        rss_mb(first.max_rss_kb),
        rss_mb(minisearch_first.max_rss_kb),
        "node: start, load index, search, exit",
    ));

    // Sizes.
    let index_bytes = minisearch_built["index_bytes"].as_u64().unwrap_or(0);
    rows.push(Row::new(
        "bundle on the wire (full sync)",
        "MB",
        mb(full_traffic.bytes),
        mb(generated.bytes),
        "content/ as written (Markdown + TOML)",
    ));
    rows.push(Row::new(
        "cache on disk",
        "MB",
        mb(cache_bytes),
        mb(generated.bytes),
        "content/ as written (Markdown + TOML)",
    ));
    rows.push(Row::new(
        "cache on disk",
        "MB",
        mb(cache_bytes),
        mb(objects_bytes + index_bytes),
        "MiniSearch: items + serialised index",
    ));

    // Half the items removed: the next edition is the corpus of half the size (the
    // same first items, the rest gone), built over the published bundle; a copy of
    // the full cache syncs it. The file must shrink, to about what a new cache of
    // that edition takes.
    step("half the items removed");
    let half = gen_corpus::generate(
        &gen_corpus::Options {
            items: items / 2,
            ..options
        },
        &work.join("content-half"),
    );
    copy_dir(&bundle, &work.join("bundle-half"));
    build("content-half", "bundle-half", "3");
    let half_host = Host::start(&work.join("bundle-half"), work.join("nginx-half"));
    let halved = work.join("halved.sqlite");
    copy_cache(&cache, &halved);
    run_ok(
        &mut sync_command(args, half_host.url(), &trust, &halved),
        "csec sync (half the items removed)",
    );
    let fresh_half = work.join("fresh-half.sqlite");
    run_ok(
        &mut sync_command(args, half_host.url(), &trust, &fresh_half),
        "csec sync (a new cache of the halved edition)",
    );
    drop(half_host);
    let halved_bytes = cache_size(&halved);
    rows.push(Row::new(
        &format!(
            "half the items removed ({} left): cache after",
            half.items()
        ),
        "MB",
        mb(halved_bytes),
        mb(cache_bytes),
        "the cache before",
    ));
    rows.push(Row::new(
        "half the items removed: cache after",
        "MB",
        mb(halved_bytes),
        mb(cache_size(&fresh_half)),
        "a new cache of the same edition",
    ));

    let per_query: Vec<Value> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let of = |report: &Value, field: &str| report["queries"][i][field].clone();
            json!({
                "q": q,
                "ours": { "hits": of(&ours, "hits"), "p50_ms": median_of(&values(&of(&ours, "ms"))) },
                "minisearch": { "hits": of(&minisearch, "hits"), "p50_ms": median_of(&values(&of(&minisearch, "ms"))) },
                "sqlite3_fts5": { "hits": raw[i].0, "p50_ms": median_of(&raw[i].1) },
            })
        })
        .collect();
    step("done");
    let step_seconds: Vec<Value> = steps
        .windows(2)
        .map(|w| json!({ "step": w[0].0, "s": secs(w[1].1 - w[0].1) }))
        .collect();
    let details = json!({
        "steps": step_seconds,
        "content": {
            "items": generated.items(),
            "guidance": generated.guidance,
            "timeline": generated.timeline,
            "reports": generated.reports,
            "counties": generated.counties,
            "bytes": generated.bytes,
        },
        "bundle": {
            "files": files.len(),
            "bytes_on_disk": bundle_bytes,
            "build_s": secs(built.wall),
            "build_peak_rss_mb": rss_mb(built.max_rss_kb),
        },
        "full_sync": {
            "runs": heavy_runs,
            "csec": { "report": full_report, "requests": full_traffic.requests, "wire_bytes": full_traffic.bytes },
            "curl": { "s": secs(fetch.wall), "peak_rss_mb": rss_mb(fetch.max_rss_kb), "requests": fetch_traffic.requests },
            "sqlite3_insert": { "s": secs(load.wall), "peak_rss_mb": rss_mb(load.max_rss_kb), "rows": floor_rows },
        },
        "no_change_sync": {
            "report": unchanged_report,
            "not_modified": unchanged_traffic.not_modified,
            "peak_rss_mb": rss_mb(unchanged.max_rss_kb),
        },
        "changed_sync": {
            "report": delta_report,
            "changed_items": revised.changed,
            "changed_objects": changed_objects.len(),
            "changed_object_bytes": changed_bytes,
            "manifest_bytes": next_manifest_bytes,
            "wire_bytes": delta_traffic.bytes,
            "s": secs(delta.wall),
            "peak_rss_mb": rss_mb(delta.max_rss_kb),
        },
        "minisearch": {
            "build": minisearch_built,
            "build_peak_rss_mb": rss_mb(minisearch_build.max_rss_kb),
            "query_process_peak_rss_mb": rss_mb(minisearch_query.max_rss_kb),
            "load_ms": minisearch_loads,
            "first_search": minisearch_first_out,
        },
        "ours_first_search_top": serde_json::from_str::<Value>(&first_out)
            .ok()
            .and_then(|v| v.get(0).and_then(|h| h.get("id")).cloned()),
        "queries": per_query,
    });

    drop(host);
    drop(next_host);
    if !args.keep {
        let _ = std::fs::remove_dir_all(&work);
    }
    SizeReport {
        items,
        rows,
        details,
    }
}

fn values(array: &Value) -> Vec<f64> {
    array
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

fn print_table(reports: &[SizeReport], rounds: usize) {
    println!();
    println!(
        "CSEC Field Guide benchmark: csec beside baselines, measured in the same run on this machine ({} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "ratio = ours / baseline (below 1: csec takes less). Processes: median of {RUNS} runs (full sync and its floor: once past 2,000 items);\nsearch: 50 queries x {rounds} rounds after a warm-up, percentiles over all of them."
    );
    let header = format!(
        "{:>6}  {:<38} {:>12} {:>12}  {:<40} {:>7}",
        "items", "measure", "csec", "baseline", "baseline is", "ratio"
    );
    println!("{header}");
    println!("{}", "-".repeat(header.len()));
    for report in reports {
        for row in &report.rows {
            println!(
                "{:>6}  {:<38} {:>12} {:>12}  {:<40} {:>7}",
                report.items,
                row.what,
                format_value(row.ours, row.unit),
                format_value(row.baseline, row.unit),
                row.baseline_name,
                row.ratio().map_or("-".to_string(), format_ratio),
            );
        }
        let minisearch = &report.details["minisearch"];
        println!(
            "{:>6}  notes: content {:.1} MB in {} items; csec build {:.1} s; MiniSearch index build {:.1} s, {:.0} MB peak, {:.1} MB serialised",
            report.items,
            report.details["content"]["bytes"].as_f64().unwrap_or(0.0) / 1e6,
            report.details["content"]["items"],
            report.details["bundle"]["build_s"].as_f64().unwrap_or(0.0),
            minisearch["build"]["build_ms"].as_f64().unwrap_or(0.0) / 1000.0,
            minisearch["build_peak_rss_mb"].as_f64().unwrap_or(0.0),
            minisearch["build"]["index_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        );
    }
}

fn main() {
    let mut args = parse_args();
    check_tools(&args);
    if args.probe.is_none() {
        args.probe = Some(find_probe());
    }
    let file: Value = serde_json::from_slice(
        &std::fs::read(bench_dir().join("queries.json")).expect("read bench/queries.json"),
    )
    .expect("bench/queries.json is JSON");
    let queries: Vec<String> = file["queries"]
        .as_array()
        .expect("a queries array")
        .iter()
        .map(|q| q["q"].as_str().expect("each query has q").to_string())
        .collect();
    let first_query = file["first_search"]
        .as_str()
        .expect("first_search")
        .to_string();

    let started = Instant::now();
    let reports: Vec<SizeReport> = args
        .items
        .iter()
        .map(|&items| run_size(&args, items, &queries, &first_query))
        .collect();
    print_table(&reports, args.rounds);

    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let results = json!({
        "generated": now,
        "mode": args.mode,
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "ratio": "ours / baseline: below 1 means csec takes less time, bytes or memory",
        "runs": RUNS,
        "rounds": args.rounds,
        "seconds": started.elapsed().as_secs_f64(),
        "sizes": reports.iter().map(|r| json!({
            "items": r.items,
            "comparisons": r.rows.iter().map(Row::json).collect::<Vec<_>>(),
            "details": r.details,
        })).collect::<Vec<_>>(),
    });
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir).expect("create the results directory");
    }
    std::fs::write(
        &args.out,
        serde_json::to_string_pretty(&results).expect("serialise the results"),
    )
    .expect("write the results");
    println!(
        "\nwrote {} ({:.0} s in all)",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
}
