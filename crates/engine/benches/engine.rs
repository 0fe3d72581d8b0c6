//! Engine benchmark: `cargo bench -p csec-engine --bench engine [-- --items N]`.
//!
//! Generates a deterministic corpus (guidance 5–50 kB, timeline 1–3 kB, reports
//! 20–200 kB, counties with contacts; English and Spanish words), imports it into a
//! real SQLite file, then measures search latency over a fixed query set (p50, p99),
//! the time from opening the cache to the home screen's data, and rendering a 50 kB
//! document. Timings are wall-clock on this machine; run it on an idle machine.

use std::time::{Duration, Instant};

use csec_bundle::{
    Agency, Contact, County, Details, EventType, GuidanceStatus, GuidanceType, Item, ObjectEntry,
    Phone, PhoneType, Program, Role, Source,
};
use csec_engine::{Cache, ContentMeta, ListRequest, SearchRequest, render::render_markdown};

const WORDS: &[&str] = &[
    "county",
    "child",
    "welfare",
    "probation",
    "protocol",
    "youth",
    "placement",
    "safety",
    "plan",
    "screening",
    "trafficking",
    "exploitation",
    "services",
    "court",
    "dependency",
    "advocate",
    "survivor",
    "training",
    "data",
    "report",
    "missing",
    "runaway",
    "multidisciplinary",
    "team",
    "funding",
    "allocation",
    "guidance",
    "letter",
    "prevention",
    "response",
    "niño",
    "niña",
    "familia",
    "policía",
    "protección",
    "víctima",
    "servicios",
    "escuela",
    "salud",
    "mental",
    "tribunal",
    "juvenil",
    "acogida",
    "hogar",
    "trata",
    "explotación",
    "apoyo",
    "comunidad",
    "información",
    "condado",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

/// Which words the generated text uses.
enum Vocabulary {
    /// Only the 50 domain words, uniformly: every common word is in every document
    /// (the worst case for ranking).
    Uniform,
    /// The domain words as the most frequent of 8,050 words drawn with Zipf's law
    /// (s = 1), as natural language is.
    Zipf {
        words: Vec<String>,
        cumulative: Vec<f64>,
    },
}

impl Vocabulary {
    fn zipf() -> Vocabulary {
        const SYLLABLES: &[&str] = &["ra", "ti", "mo", "se", "lu", "ca", "ne", "do", "pi", "ve"];
        let mut words: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
        for n in 0..8_000usize {
            let mut word = String::new();
            let mut rest = n + 100;
            while rest > 0 {
                word.push_str(SYLLABLES[rest % SYLLABLES.len()]);
                rest /= SYLLABLES.len();
            }
            words.push(word);
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary::Zipf { words, cumulative }
    }

    fn word<'v>(&'v self, rng: &mut Rng) -> &'v str {
        match self {
            Vocabulary::Uniform => WORDS[rng.below(WORDS.len())],
            Vocabulary::Zipf { words, cumulative } => {
                let total = cumulative.last().copied().unwrap_or(1.0);
                let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * total;
                let index = cumulative.partition_point(|c| *c < u).min(words.len() - 1);
                &words[index]
            }
        }
    }
}

fn text(rng: &mut Rng, vocabulary: &Vocabulary, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 64);
    let mut sentence = 0;
    while out.len() < bytes {
        if sentence == 0 && rng.below(8) == 0 {
            out.push_str(&format!("\n\n## Section {}\n\n", rng.below(1000)));
        }
        out.push_str(vocabulary.word(rng));
        sentence += 1;
        if sentence > 12 && rng.below(4) == 0 {
            out.push_str(". ");
            sentence = 0;
        } else {
            out.push(' ');
        }
    }
    out
}

fn corpus(items: usize, vocabulary: &Vocabulary) -> Vec<Item> {
    let mut rng = Rng(0x00c5_ec00_2026);
    let source = || {
        vec![Source {
            title: "Generated".into(),
            url: "https://example.org/".into(),
        }]
    };
    (0..items)
        .map(|n| {
            let year = 2006 + (n % 19);
            let date = format!("{year}-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
            let (id, title, body, details) = match n % 10 {
                0..=3 => {
                    let number = format!("ACL {:02}-{}", year % 100, n);
                    (
                        format!("guidance/acl-{:02}-{n}", year % 100),
                        format!("{number}: {}", text(&mut rng, vocabulary, 40).trim()),
                        {
                            let size = rng.between(5_000, 50_000);
                            text(&mut rng, vocabulary, size)
                        },
                        Details::Guidance {
                            number,
                            guidance_type: GuidanceType::Acl,
                            status: GuidanceStatus::Current,
                            superseded_by: None,
                        },
                    )
                }
                4..=7 => (
                    format!("timeline/t-{n}"),
                    text(&mut rng, vocabulary, 50).trim().to_string(),
                    {
                        let size = rng.between(1_000, 3_000);
                        text(&mut rng, vocabulary, size)
                    },
                    Details::Timeline {
                        event_type: EventType::Program,
                    },
                ),
                8 => (
                    format!("reports/r-{n}"),
                    text(&mut rng, vocabulary, 60).trim().to_string(),
                    {
                        let size = rng.between(20_000, 200_000);
                        text(&mut rng, vocabulary, size)
                    },
                    Details::Report { publisher: None },
                ),
                _ => {
                    let agencies = Role::REQUIRED
                        .iter()
                        .map(|role| Agency {
                            role: *role,
                            contact: Contact {
                                name: format!("County {n} {role}"),
                                phones: vec![Phone {
                                    number: "(559) 555-0100".into(),
                                    phone_type: PhoneType::Voice,
                                    extension: None,
                                }],
                                email: Some("x@county.example.org".into()),
                                website: None,
                                address: None,
                                hours: None,
                                verified: false,
                                source: None,
                            },
                        })
                        .collect();
                    (
                        format!("counties/c-{n}"),
                        format!("County {n}"),
                        String::new(),
                        Details::County(County {
                            name: format!("County {n}"),
                            fips: "06019".into(),
                            csec_program: Program::Unknown,
                            agencies,
                        }),
                    )
                }
            };
            Item {
                id,
                title,
                date: Some(date),
                updated: None,
                summary: text(&mut rng, vocabulary, 200).trim().to_string(),
                sources: source(),
                related: Vec::new(),
                body,
                details,
            }
        })
        .collect()
}

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
    let corpus = corpus(items, &vocabulary);
    let bytes: usize = corpus.iter().map(|i| i.body.len()).sum();
    let started = Instant::now();
    {
        let mut cache = Cache::open(&path).expect("open cache");
        let entries: Vec<ObjectEntry> = corpus.iter().map(|i| ObjectEntry::for_item(i).0).collect();
        let meta = ContentMeta {
            version: 1,
            published: "2026-11-01T00:00:00Z".into(),
            expires: None,
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
        let home = cache.home(time::OffsetDateTime::now_utc()).expect("home");
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
