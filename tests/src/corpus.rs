//! A deterministic generated corpus for the benchmarks: English and Spanish domain
//! words, and either a uniform or a Zipfian vocabulary.

use csec_bundle::{
    Agency, Contact, County, Details, EventType, GuidanceStatus, GuidanceType, Item, Phone,
    PhoneType, Program, Role, Source,
};

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

/// xorshift64: deterministic and dependency-free; the seed must not be 0.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

/// Which words the generated text uses.
pub enum Vocabulary {
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
    pub fn zipf() -> Vocabulary {
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
        Vocabulary::zipf_over(words)
    }

    /// `words`, most frequent first, drawn with Zipf's law (s = 1).
    pub fn zipf_over(words: Vec<String>) -> Vocabulary {
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
                let u = (rng.next_u64() % 1_000_000) as f64 / 1_000_000.0 * total;
                let index = cumulative.partition_point(|c| *c < u).min(words.len() - 1);
                &words[index]
            }
        }
    }
}

pub fn text(rng: &mut Rng, vocabulary: &Vocabulary, bytes: usize) -> String {
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

/// `items` generated items, the same for the same arguments: 40% guidance letters
/// (5–50 kB of Markdown), 40% timeline entries (1–3 kB), 10% reports (20–200 kB) and
/// 10% counties with contacts. `scale` multiplies the body sizes: 1.0 makes about
/// 23 kB per item on average, 0.22 about 5 kB.
pub fn corpus(items: usize, vocabulary: &Vocabulary, scale: f64) -> Vec<Item> {
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
                            let size = scaled(scale, rng.between(5_000, 50_000));
                            text(&mut rng, vocabulary, size)
                        },
                        Details::Guidance {
                            number,
                            guidance_type: GuidanceType::Acl,
                            status: GuidanceStatus::Current,
                            superseded_by: None,
                            status_note: None,
                        },
                    )
                }
                4..=7 => (
                    format!("timeline/t-{n}"),
                    text(&mut rng, vocabulary, 50).trim().to_string(),
                    {
                        let size = scaled(scale, rng.between(1_000, 3_000));
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
                        let size = scaled(scale, rng.between(20_000, 200_000));
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
                                    hours: None,
                                }],
                                email: Some("x@county.example.org".into()),
                                website: None,
                                address: None,
                                hours: None,
                                languages: None,
                                verified: false,
                                source: None,
                                checked: None,
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
                lang: Default::default(),
                translation_of: None,
                attachments: Vec::new(),
                details,
            }
        })
        .collect()
}

fn scaled(scale: f64, bytes: usize) -> usize {
    (bytes as f64 * scale) as usize
}
