//! Writes a generated `content/` tree that `csec check` accepts, for benchmarks:
//!
//! ```sh
//! cargo run --release -p csec-tests --bin gen-corpus -- --items 1000 --seed 1 --out /tmp/content
//! csec check /tmp/content
//! ```
//!
//! - Counties: the real 58 (fewer when `--items` is under 580: a tenth of the items),
//!   each with an agency for all 7 required MDT roles and some optional ones; every
//!   contact is an unverified placeholder (555-0100..0199 numbers, example.org).
//! - The other items, in the proportions of `csec_tests::corpus`: 4 guidance letters
//!   (5–50 kB of Markdown) to 4 timeline entries (1–3 kB) to 1 report (20–200 kB),
//!   times `--scale` (default 1.0). Guidance numbers are valid (`ACL 06-10`,
//!   `ACIN I-10-14`) and each file is named after its number.
//! - Text: Zipfian English or (3 items in 10) Spanish, with real function words, the
//!   domain words of `csec_tests::corpus` and its 8,000 rarer words; internal links and
//!   `related` ids always point at items that exist.
//! - Synonyms: the real `content/synonyms/search-terms.toml`, so searches widen as in
//!   the app.
//! - `--change P`: the same tree with P % of the Markdown items revised (a paragraph
//!   appended), as a publisher's next edition: for delta-sync benchmarks.
//!
//! The same arguments always give byte-identical files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use csec_publish::CALIFORNIA_COUNTIES;

/// The publisher's synonyms file, as shipped.
const SYNONYMS: &str = include_str!("../../../content/synonyms/search-terms.toml");
use csec_tests::corpus::{Rng, Vocabulary, text};

const USAGE: &str =
    "usage: gen-corpus --items N --out DIR [--seed S] [--scale F] [--change PERCENT]";

const REQUIRED_ROLES: [(&str, &str); 7] = [
    ("child-welfare", "child welfare agency (CSEC lead)"),
    ("probation", "probation department"),
    ("mental-health", "behavioral health services"),
    ("public-health", "public health department"),
    ("juvenile-court", "juvenile court"),
    ("county-office-of-education", "office of education"),
    ("sheriff", "sheriff's office"),
];
const OPTIONAL_ROLES: [(&str, &str); 4] = [
    ("survivor-advocate", "survivor advocacy program"),
    ("community-provider", "community services provider"),
    ("law-enforcement", "police department"),
    ("local-education-agency", "unified school district"),
];
const AREA_CODES: [&str; 16] = [
    "209", "213", "310", "408", "415", "510", "530", "559", "619", "707", "714", "760", "805",
    "831", "916", "951",
];
const EVENT_TYPES: [&str; 6] = [
    "legislation",
    "federal-law",
    "guidance",
    "report",
    "program",
    "event",
];
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "for", "is", "that", "with", "on", "by", "as", "are",
    "be", "or", "this", "from", "their", "at", "who", "should", "may", "when", "each",
];
const SPANISH_FUNCTION_WORDS: &[&str] = &[
    "de", "la", "que", "el", "en", "y", "los", "del", "se", "las", "por", "un", "para", "con",
    "una", "su", "al", "es", "lo", "como", "más", "pero", "sus", "también", "según",
];
/// Accented words that Spanish titles and text use, so accent-folding is exercised.
const SPANISH_ACCENTED: &[&str] = &[
    "protección",
    "víctima",
    "explotación",
    "información",
    "policía",
    "niño",
    "niña",
    "jóvenes",
    "atención",
    "orientación",
];

/// What was written.
#[derive(Debug, Default, Clone)]
pub struct Generated {
    pub guidance: usize,
    pub timeline: usize,
    pub reports: usize,
    pub counties: usize,
    /// Ids of the items `--change` revised.
    pub changed: Vec<String>,
    /// Bytes of all files written.
    pub bytes: u64,
}

impl Generated {
    pub fn items(&self) -> usize {
        self.guidance + self.timeline + self.reports + self.counties
    }
}

/// The settings of one generated tree.
#[derive(Debug, Clone)]
pub struct Options {
    pub items: usize,
    pub seed: u64,
    /// Multiplies body sizes (1.0: guidance 5–50 kB, timeline 1–3 kB, reports 20–200 kB).
    pub scale: f64,
    /// Percent of the Markdown items to revise (0: none).
    pub change_percent: f64,
}

/// The two vocabularies: Zipf's law (s = 1) over function words, then the domain words
/// and rarer words of [`Vocabulary::zipf`] (Spanish domain words first for Spanish).
fn vocabularies() -> (Vocabulary, Vocabulary) {
    let Vocabulary::Zipf { words: base, .. } = Vocabulary::zipf() else {
        unreachable!("zipf() is a Zipf vocabulary")
    };
    // The base list is 30 English domain words, 20 Spanish ones, then invented words.
    let zipf = Vocabulary::zipf_over;
    let mut english: Vec<String> = ENGLISH_FUNCTION_WORDS
        .iter()
        .map(|w| w.to_string())
        .collect();
    english.extend(base.iter().cloned());
    let mut spanish: Vec<String> = SPANISH_FUNCTION_WORDS
        .iter()
        .map(|w| w.to_string())
        .collect();
    spanish.extend(base[30..50].iter().cloned());
    spanish.extend(SPANISH_ACCENTED.iter().map(|w| w.to_string()));
    spanish.extend(base[..30].iter().cloned());
    spanish.extend(base[50..].iter().cloned());
    (zipf(english), zipf(spanish))
}

/// Plain words (no Markdown), about `bytes` long, as one sentence.
fn plain(rng: &mut Rng, vocabulary: &Vocabulary, bytes: usize) -> String {
    let raw = text(rng, vocabulary, bytes);
    let words: Vec<&str> = raw
        .split_whitespace()
        .filter(|w| *w != "##" && *w != "Section" && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut sentence = words.join(" ");
    if let Some(first) = sentence.chars().next() {
        let upper: String = first.to_uppercase().collect();
        sentence.replace_range(..first.len_utf8(), &upper);
    }
    sentence
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A guidance letter's number and file slug: `("ACL 06-10", "acl-06-10")`. Every index
/// below 18,810 has its own (year, sequence) pair, so numbers never repeat.
fn guidance_number(g: usize) -> (String, String, u32) {
    let year = 6 + (g % 19) as u32;
    let sequence = 10 + g / 19;
    assert!(
        sequence <= 999,
        "too many guidance letters for three-digit numbers"
    );
    let number = if (g / 19) % 5 == 4 {
        format!("ACIN I-{year:02}-{sequence:02}")
    } else {
        format!("ACL {year:02}-{sequence:02}")
    };
    let slug = number.to_ascii_lowercase().replace(' ', "-");
    (number, slug, 2000 + year)
}

struct Plan {
    counties: usize,
    guidance: usize,
    timeline: usize,
    reports: usize,
}

impl Plan {
    fn new(items: usize) -> Plan {
        let counties = (items / 10).min(CALIFORNIA_COUNTIES.len());
        let rest = items - counties;
        // Markdown item j is guidance for j % 9 in 0..=3, timeline in 4..=7, report at 8.
        let count = |range: std::ops::RangeInclusive<usize>| {
            (0..rest).filter(|j| range.contains(&(j % 9))).count()
        };
        Plan {
            counties,
            guidance: count(0..=3),
            timeline: count(4..=7),
            reports: count(8..=8),
        }
    }

    fn guidance_id(&self, g: usize) -> String {
        format!("guidance/{}", guidance_number(g % self.guidance.max(1)).1)
    }

    fn timeline_id(&self, t: usize) -> String {
        let t = t % self.timeline.max(1);
        format!("timeline/{}-entry-{t}", 2006 + t % 19)
    }

    fn report_id(&self, r: usize) -> String {
        let r = r % self.reports.max(1);
        format!("reports/{}-report-{r}", 2013 + r % 12)
    }
}

fn write(out: &Path, relative: &str, contents: &str, generated: &mut Generated) {
    let path = out.join(relative);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(&path, contents)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    generated.bytes += contents.len() as u64;
}

/// A Markdown body of about `size` bytes with a few links to items that exist.
fn body(
    rng: &mut Rng,
    vocabulary: &Vocabulary,
    size: usize,
    intro: &str,
    links: &[(String, String)],
) -> String {
    let mut body = String::with_capacity(size + 512);
    body.push_str(intro);
    body.push_str("\n\n");
    // The text in as many parts as there are links, each part followed by one.
    let parts = links.len() + 1;
    for part in 0..parts {
        body.push_str(text(rng, vocabulary, size / parts).trim());
        body.push_str("\n\n");
        if let Some((label, id)) = links.get(part) {
            let _ = write!(body, "See [{label}]({id}).\n\n");
        }
    }
    body
}

/// Writes the tree under `out` (which may exist; files are overwritten).
pub fn generate(options: &Options, out: &Path) -> Generated {
    assert!(
        options.items >= 20,
        "gen-corpus writes at least 20 items, so every kind exists and every link has a target"
    );
    let plan = Plan::new(options.items);
    let (english, spanish) = vocabularies();
    let mut rng = Rng(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x00c5_ec00_2026 | 1);
    let mut generated = Generated::default();
    let scaled = |bytes: usize| ((bytes as f64) * options.scale).max(200.0) as usize;
    let source = "[[sources]]\ntitle = \"Generated for benchmarks\"\nurl = \"https://example.org/csec-benchmark\"\n";
    // The real synonyms, so that benchmarks search with them on, as the app does.
    write(out, "synonyms/search-terms.toml", SYNONYMS, &mut generated);

    // The Markdown items revised by --change: spread evenly, the same for a seed.
    let markdown = plan.guidance + plan.timeline + plan.reports;
    let wanted = ((options.items as f64) * options.change_percent / 100.0).round() as usize;
    let wanted = wanted.min(markdown);
    let step = markdown
        .checked_div(wanted)
        .map_or(usize::MAX, |s| s.max(1));
    let revised = |j: usize| step != usize::MAX && j % step == step / 2 && j / step < wanted;

    // The names, slugs and FIPS codes `csec check` knows.
    for (c, county) in CALIFORNIA_COUNTIES.iter().take(plan.counties).enumerate() {
        let (name, slug) = (county.name, county.slug.clone());
        let area = AREA_CODES[c % AREA_CODES.len()];
        let mut toml = format!(
            "name = {}\nfips = \"{}\"\ncsec_program = {}\n",
            toml_str(name),
            county.fips,
            toml_str(["participating", "not-participating", "unknown"][c % 3]),
        );
        let optional = &OPTIONAL_ROLES[..rng.below(OPTIONAL_ROLES.len() + 1)];
        for (r, (role, agency)) in REQUIRED_ROLES.iter().chain(optional).enumerate() {
            let _ = write!(
                toml,
                "\n[[agencies]]\nrole = \"{role}\"\nname = {}\nemail = \"{role}@{slug}.example.org\"\nwebsite = \"https://{slug}.example.org/{role}\"\naddress = {}\nhours = \"Mon-Fri 8:00-17:00\"\nverified = false\n",
                toml_str(&format!("{name} County {agency}")),
                toml_str(&format!(
                    "{} Main Street, {name}, CA 9{:04}",
                    100 + rng.below(9_800),
                    c * 37 % 10_000
                )),
            );
            let phones = 1 + rng.below(3);
            for p in 0..phones {
                let kind = ["voice", "after-hours", "hotline", "text", "fax"]
                    [if p == 0 { 0 } else { rng.below(5) }];
                let _ = write!(
                    toml,
                    "\n[[agencies.phones]]\nnumber = \"({area}) 555-01{:02}\"\ntype = \"{kind}\"\n",
                    (r * 10 + p * 3) % 100
                );
                if p == 0 && rng.below(4) == 0 {
                    let _ = writeln!(toml, "extension = \"{}\"", 10 + rng.below(90));
                }
            }
        }
        write(out, &format!("counties/{slug}.toml"), &toml, &mut generated);
        generated.counties += 1;
    }

    let (mut g, mut t, mut r) = (0usize, 0usize, 0usize);
    for j in 0..markdown {
        let spanish_item = rng.below(10) < 3;
        let vocabulary = if spanish_item { &spanish } else { &english };
        let (id, front, body_text) = match j % 9 {
            0..=3 => {
                let (number, slug, year) = guidance_number(g);
                let title = format!("{number}: {}", plain(&mut rng, vocabulary, 50));
                let date = format!("{year}-{:02}-{:02}", 1 + g % 12, 1 + g % 28);
                let status = if g % 23 == 0 && g + 1 < plan.guidance {
                    format!(
                        "status = \"superseded\"\nsuperseded_by = \"{}\"\n",
                        plan.guidance_id(g + 1)
                    )
                } else if g % 31 == 7 {
                    "status = \"rescinded\"\n".to_string()
                } else {
                    "status = \"current\"\n".to_string()
                };
                let kind = if number.starts_with("ACIN") {
                    "ACIN"
                } else {
                    "ACL"
                };
                let mut related = vec![plan.timeline_id(g)];
                if g > 0 {
                    related.push(plan.guidance_id(g - 1));
                }
                let front = format!(
                    "title = {}\ndate = \"{date}\"\nsummary = {}\nnumber = \"{number}\"\ntype = \"{kind}\"\n{status}related = [{}]\n",
                    toml_str(&title),
                    toml_str(&format!("{}.", plain(&mut rng, vocabulary, 220))),
                    related
                        .iter()
                        .map(|r| toml_str(r))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                let links = [
                    (
                        guidance_number((g + 7) % plan.guidance.max(1)).0,
                        plan.guidance_id(g + 7),
                    ),
                    ("the timeline".to_string(), plan.timeline_id(g * 3 + 1)),
                ];
                let intro = if spanish_item {
                    "Este es un resumen en lenguaje sencillo, no el texto oficial. La carta original está en la [página del CDSS](https://www.cdss.ca.gov/inforesources/letters-regulations)."
                } else {
                    "This is a plain-language summary, not the official text. The original letter is listed on the [CDSS letters page](https://www.cdss.ca.gov/inforesources/letters-regulations)."
                };
                let size = scaled(rng.between(5_000, 50_000));
                let text = body(&mut rng, vocabulary, size, intro, &links);
                g += 1;
                (format!("guidance/{slug}"), front, text)
            }
            4..=7 => {
                let year = 2006 + t % 19;
                let date = match t % 5 {
                    0 => format!("{year}"),
                    1 => format!("{year}-{:02}", 1 + t % 12),
                    _ => format!("{year}-{:02}-{:02}", 1 + t % 12, 1 + t % 28),
                };
                let front = format!(
                    "title = {}\ndate = \"{date}\"\nsummary = {}\nevent_type = \"{}\"\nrelated = [{}]\n",
                    toml_str(&plain(&mut rng, vocabulary, 60)),
                    toml_str(&format!("{}.", plain(&mut rng, vocabulary, 200))),
                    EVENT_TYPES[t % EVENT_TYPES.len()],
                    toml_str(&plan.guidance_id(t)),
                );
                let links = [(
                    guidance_number(t / 2 % plan.guidance.max(1)).0,
                    plan.guidance_id(t / 2),
                )];
                let size = scaled(rng.between(1_000, 3_000));
                let text = body(&mut rng, vocabulary, size, "", &links);
                let id = plan.timeline_id(t);
                t += 1;
                (id, front, text)
            }
            _ => {
                let year = 2013 + r % 12;
                let front = format!(
                    "title = {}\ndate = \"{year}-{:02}\"\nsummary = {}\npublisher = \"California Child Welfare Council\"\nrelated = [{}]\n",
                    toml_str(&plain(&mut rng, vocabulary, 70)),
                    1 + r % 12,
                    toml_str(&format!("{}.", plain(&mut rng, vocabulary, 240))),
                    toml_str(&plan.timeline_id(r * 4)),
                );
                let links = [
                    (
                        guidance_number(r * 4 % plan.guidance.max(1)).0,
                        plan.guidance_id(r * 4),
                    ),
                    ("a related entry".to_string(), plan.timeline_id(r * 4 + 2)),
                    ("an earlier report".to_string(), plan.report_id(r + 1)),
                ];
                let size = scaled(rng.between(20_000, 200_000));
                let text = body(&mut rng, vocabulary, size, "", &links);
                let id = plan.report_id(r);
                r += 1;
                (id, front, text)
            }
        };
        let mut text = body_text;
        if revised(j) {
            // Its own generator, so the items after it are the same as without --change.
            let mut revision_rng = Rng(options.seed.wrapping_add(j as u64) | 1);
            let _ = write!(
                text,
                "## Revised\n\n{}.\n",
                plain(&mut revision_rng, vocabulary, 300)
            );
            generated.changed.push(id.clone());
        }
        let document = format!("+++\n{front}\n{source}+++\n\n{text}");
        write(out, &format!("{id}.md"), &document, &mut generated);
    }
    generated.guidance = g;
    generated.timeline = t;
    generated.reports = r;
    generated
}

#[allow(dead_code)] // also compiled into the comparison benchmark, which has its own main
fn main() {
    let mut items = None;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1u64;
    let mut scale = 1.0f64;
    let mut change_percent = 0.0f64;
    let mut args = std::env::args().skip(1);
    let fail = |message: &str| -> ! {
        eprintln!("gen-corpus: {message}\n{USAGE}");
        std::process::exit(2)
    };
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| fail(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--items" => {
                items = Some(
                    value()
                        .parse()
                        .unwrap_or_else(|_| fail("--items takes a number")),
                )
            }
            "--out" => out = Some(PathBuf::from(value())),
            "--seed" => {
                seed = value()
                    .parse()
                    .unwrap_or_else(|_| fail("--seed takes a number"))
            }
            "--scale" => {
                scale = value()
                    .parse()
                    .unwrap_or_else(|_| fail("--scale takes a number"))
            }
            "--change" => {
                change_percent = value()
                    .parse()
                    .unwrap_or_else(|_| fail("--change takes a percentage"))
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other:?}")),
        }
    }
    let (Some(items), Some(out)) = (items, out) else {
        fail("--items and --out are required")
    };
    let options = Options {
        items,
        seed,
        scale,
        change_percent,
    };
    let generated = generate(&options, &out);
    println!(
        "{}: {} items ({} guidance, {} timeline, {} reports, {} counties), {:.1} MB{}",
        out.display(),
        generated.items(),
        generated.guidance,
        generated.timeline,
        generated.reports,
        generated.counties,
        generated.bytes as f64 / 1e6,
        if generated.changed.is_empty() {
            String::new()
        } else {
            format!(", {} revised", generated.changed.len())
        }
    );
}
