//! Engine benchmark: `cargo bench -p csec-engine --bench engine [-- --items N]`.
//!
//! Generates a deterministic corpus (guidance 5–50 kB, timeline 1–3 kB, reports
//! 20–200 kB, counties with contacts; English and Spanish words), imports it into a
//! real SQLite file, then measures search latency over a fixed query set (p50, p99),
//! the time from opening the cache to the home screen's data, and rendering a 50 kB
//! document. Timings are wall-clock on this machine; run it on an idle machine.

use std::time::{Duration, Instant};

use csec_bundle::ObjectEntry;
use csec_engine::{Cache, ContentMeta, ListRequest, SearchRequest, render::render_markdown};
use csec_tests::corpus::{Rng, Vocabulary, corpus, text};

const QUERIES: &[&str] = &[
    "trafficking",
    "county",
    "probation protocol",
    "safety plan",
    "ACL 16-49",
    "16-49",
    "acl12-1200",
    "policia",
    "policía",
    "víctima",
    "familia apoyo",
    "multidisciplinary team",
    "runaway missing",
    "co",
    "pro",
    "sur",
    "tra",
    "ex",
    "screening tools",
    "court dependency",
    "funding allocation",
    "niño",
    "escuela salud",
    "County 19",
    "section 42",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mut args = std::env::args().skip_while(|a| a != "--items");
    let items: usize = args.nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::TempDir::new().expect("temporary directory");
    let path = dir.path().join("bench.sqlite");

    let uniform = std::env::args().any(|a| a == "--uniform");
    let vocabulary = if uniform {
        Vocabulary::Uniform
    } else {
        Vocabulary::zipf()
    };
    let corpus = corpus(items, &vocabulary, 1.0);
    let bytes: usize = corpus.iter().map(|i| i.body.len()).sum();
    let started = Instant::now();
    {
        let mut cache = Cache::open(&path).expect("open cache");
        let entries: Vec<ObjectEntry> = corpus.iter().map(|i| ObjectEntry::for_item(i).0).collect();
        let meta = ContentMeta {
            version: 1,
            published: "2026-11-01T00:00:00Z".into(),
            expires: None,
            reviewed: None,
        };
        let mut bodies = corpus.clone().into_iter();
        cache
            .apply(&meta, &entries, |_| {
                Ok(bodies.next().expect("one body per entry"))
            })
            .expect("import");
    }
    let import = started.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(path.with_extension("sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "corpus: {items} items ({}), {:.1} MB of Markdown; import {:.2} s; cache {:.1} MB",
        if uniform {
            "50 words, uniform"
        } else {
            "8,050 words, Zipf"
        },
        bytes as f64 / 1e6,
        import.as_secs_f64(),
        size as f64 / 1e6
    );

    // Open to home: a new connection on the existing file, then what the home screen shows.
    let mut opens = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let cache = Cache::open(&path).expect("open cache");
        let home = cache
            .home(time::OffsetDateTime::now_utc(), csec_bundle::Lang::En)
            .expect("home");
        let list = cache
            .list(&ListRequest {
                kind: Some(csec_bundle::Kind::Guidance),
                ..Default::default()
            })
            .expect("list");
        std::hint::black_box((home, list.items.len()));
        opens.push(started.elapsed());
    }
    opens.sort();
    println!(
        "open to home (home + guidance list): p50 {} p99 {}",
        ms(percentile(&opens, 0.5)),
        ms(percentile(&opens, 0.99))
    );

    let cache = Cache::open(&path).expect("open cache");
    let mut times = Vec::new();
    let mut per_query: Vec<(Duration, &str)> = Vec::new();
    for query in QUERIES {
        let mut mine = Vec::new();
        for round in 0..20 {
            let started = Instant::now();
            let hits = cache
                .search(&SearchRequest {
                    query: (*query).into(),
                    ..Default::default()
                })
                .expect("search");
            let took = started.elapsed();
            std::hint::black_box(hits);
            if round > 0 {
                mine.push(took);
            }
        }
        mine.sort();
        per_query.push((percentile(&mine, 0.5), query));
        times.extend(mine);
    }
    times.sort();
    per_query.sort();
    let slowest: Vec<String> = per_query
        .iter()
        .rev()
        .take(5)
        .map(|(d, q)| format!("{q:?} {}", ms(*d)))
        .collect();
    println!(
        "search ({} queries x 19 rounds): p50 {} p99 {}; slowest medians: {}",
        QUERIES.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        slowest.join(", ")
    );

    let mut rng = Rng(7);
    let mut document = String::new();
    while document.len() < 50_000 {
        document.push_str(&format!("## Heading {}\n\n{}\n\n| a | b |\n|---|---|\n| [x](guidance/acl-16-49) | [y](https://example.org) |\n\n", rng.below(100), text(&mut rng, &vocabulary, 2_000)));
    }
    let mut renders = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        std::hint::black_box(render_markdown(&document));
        renders.push(started.elapsed());
    }
    renders.sort();
    println!(
        "render {:.0} kB Markdown: p50 {} p99 {}",
        document.len() as f64 / 1e3,
        ms(percentile(&renders, 0.5)),
        ms(percentile(&renders, 0.99))
    );
}
