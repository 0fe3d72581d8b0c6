//! Criterion micro-benchmarks: `cargo bench -p csec-engine --bench micro` (a couple of
//! minutes; `-- search` for one group).
//!
//! - `search/*`: a few typed queries (a common word, a prefix, two words, a guidance
//!   number, an accented Spanish word) over a 1,000-item generated cache (the Zipfian
//!   corpus of `csec_tests::corpus`, about 23 MB of Markdown);
//! - `render/markdown_50kB`: a 50 kB document with headings, tables and links;
//! - `import/100_items`: one bundle import of 100 generated items into a new cache.
//!
//! `micro --probe --db FILE --queries FILE --rounds N` is not a Criterion run: it prints
//! the in-process timings of an existing cache as JSON (opening it to the home screen's
//! data, and every query of the file, once to warm up and N times timed). The
//! comparison benchmark (`scripts/bench`, tests/benches/compare.rs) calls it, since the
//! tests crate does not link the engine.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use csec_bundle::{Item, Kind, ObjectEntry};
use csec_engine::{Cache, ContentMeta, ListRequest, SearchRequest, render::render_markdown};
use csec_tests::corpus::{Rng, Vocabulary, corpus, text};
use std::hint::black_box;

const SEARCHES: &[(&str, &str)] = &[
    ("common_word", "trafficking"),
    ("prefix", "pro"),
    ("two_words", "safety plan"),
    ("guidance_number", "ACL 16-49"),
    ("accented", "policía"),
];

fn meta() -> ContentMeta {
    ContentMeta {
        version: 1,
        published: "2026-11-01T00:00:00Z".into(),
        expires: None,
        reviewed: None,
    }
}

/// Imports `items` into the cache at `path` (created and seeded first if need be).
fn import(cache: &mut Cache, items: &[Item]) {
    let entries: Vec<ObjectEntry> = items.iter().map(|i| ObjectEntry::for_item(i).0).collect();
    let mut bodies = items.iter().cloned();
    cache
        .apply(&meta(), &entries, |_| {
            Ok(bodies.next().expect("one item per entry"))
        })
        .expect("import");
}

fn search(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("temporary directory");
    let path = dir.path().join("search.sqlite");
    let mut cache = Cache::open(&path).expect("open cache");
    import(&mut cache, &corpus(1_000, &Vocabulary::zipf(), 1.0));
    let mut group = c.benchmark_group("search");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    for (name, query) in SEARCHES {
        let request = SearchRequest {
            query: (*query).into(),
            ..Default::default()
        };
        group.bench_function(*name, |b| {
            b.iter(|| black_box(cache.search(black_box(&request)).expect("search")))
        });
    }
    group.finish();
}

fn render(c: &mut Criterion) {
    let vocabulary = Vocabulary::zipf();
    let mut rng = Rng(7);
    let mut document = String::new();
    while document.len() < 50_000 {
        document.push_str(&format!(
            "## Heading {}\n\n{}\n\n| a | b |\n|---|---|\n| [x](guidance/acl-16-49) | [y](https://example.org) |\n\n",
            rng.below(100),
            text(&mut rng, &vocabulary, 2_000)
        ));
    }
    let mut group = c.benchmark_group("render");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    group.bench_function("markdown_50kB", |b| {
        b.iter(|| black_box(render_markdown(black_box(&document))))
    });
    group.finish();
}

fn import_bench(c: &mut Criterion) {
    let items = corpus(100, &Vocabulary::zipf(), 1.0);
    let dir = tempfile::TempDir::new().expect("temporary directory");
    let mut group = c.benchmark_group("import");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10);
    let mut run = 0;
    group.bench_function("100_items", |b| {
        b.iter_batched(
            || {
                // A new seeded cache for every import: only the import is timed.
                run += 1;
                let path = dir.path().join(format!("import-{run}.sqlite"));
                Cache::open(&path).expect("open cache")
            },
            |mut cache| import(&mut cache, &items),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `--probe`: the comparison benchmark's in-process measurements, as JSON on stdout.
fn probe(args: &[String]) {
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .unwrap_or_else(|| panic!("--probe needs {name}"))
            .clone()
    };
    let db = PathBuf::from(value("--db"));
    let queries_file = PathBuf::from(value("--queries"));
    let rounds: usize = value("--rounds").parse().expect("--rounds takes a number");
    assert!(Path::new(&db).exists(), "{} does not exist", db.display());

    // Open to home: a new connection, then what the home screen and its guidance list show.
    let mut opens = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let cache = Cache::open(&db).expect("open cache");
        let home = cache
            .home(time::OffsetDateTime::now_utc(), csec_bundle::Lang::En)
            .expect("home");
        let list = cache
            .list(&ListRequest {
                kind: Some(Kind::Guidance),
                ..Default::default()
            })
            .expect("list");
        black_box((home, list.items.len()));
        opens.push(millis(started.elapsed()));
    }

    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&queries_file).expect("read the queries file"))
            .expect("the queries file is JSON");
    let cache = Cache::open(&db).expect("open cache");
    let mut results = Vec::new();
    for entry in file["queries"].as_array().expect("a queries array") {
        let query = entry["q"].as_str().expect("each query has q").to_string();
        let request = SearchRequest {
            query: query.clone(),
            ..Default::default()
        };
        let hits = cache.search(&request).expect("search").len();
        let mut ms = Vec::new();
        for _ in 0..rounds {
            let started = Instant::now();
            black_box(cache.search(&request).expect("search"));
            ms.push(millis(started.elapsed()));
        }
        results.push(serde_json::json!({ "q": query, "hits": hits, "ms": ms }));
    }
    println!(
        "{}",
        serde_json::json!({ "open_to_home_ms": opens, "queries": results })
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--probe") {
        probe(&args);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    search(&mut c);
    render(&mut c);
    import_bench(&mut c);
    c.final_summary();
}
