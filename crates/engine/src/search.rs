//! Full-text search over the cache. Any string a person can type gives results or an
//! empty list, never an error: the query is rebuilt from its words, never passed to
//! FTS5 as syntax.

use std::collections::{HashMap, HashSet};

use csec_bundle::Kind;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::thesaurus::{SearchContext, Span, Thesaurus};
use crate::words::{fold, stem_en, stem_es};
use crate::{Cache, EngineError};

/// Words beyond this are ignored: nobody types twenty words into a search box, and a
/// pasted page must not turn into a slow query.
const MAX_TERMS: usize = 12;
const MAX_TERM_CHARS: usize = 40;
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';
/// When every term of a query is in more documents than this, ranking them all by
/// bm25 costs more than it tells (a word that is everywhere says little about
/// relevance), so the short tier lists them newest first instead.
const RANK_AT_MOST: i64 = 400;
/// The same for the all-but-one tier, whose matches are partial.
const RELAXED_RANK_AT_MOST: i64 = 300;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchRequest {
    pub query: String,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub year: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
    /// Only this county's page: `fresno` or `San Luis Obispo`.
    #[serde(default)]
    pub county: Option<String>,
    /// The reader's own county: when its page matches, it comes first ("hotline",
    /// "probation" and "CPS" are asked about one's own county).
    #[serde(default)]
    pub my_county: Option<String>,
    /// The reader's language (`en`, `es`): of an item and its translation, the one in
    /// this language comes first. Both languages are always searched.
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// HTML: the text is escaped, then matches are wrapped in `<mark>`.
    pub snippet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Both languages are searched; the reader sees which one a hit is in.
    pub lang: String,
}

/// The hits, and what the search did beyond the typed words, for the reader to see.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Synonyms searched too, as the publisher wrote them ("trafficking", "trata").
    pub also_searched: Vec<String>,
    /// Close spellings searched for typed words the content does not hold; their
    /// hits come after every exact one.
    pub close_spellings: Vec<String>,
    /// When nothing matched as typed: the query with its closest spellings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// Splits typed text into search terms: runs of letters and digits, lower-cased.
fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| {
            t.chars()
                .take(MAX_TERM_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// `acl16` → `["acl", "16"]`.
fn split_letters_digits(term: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut last_digit = None;
    for c in term.chars() {
        let digit = c.is_ascii_digit();
        if last_digit != Some(digit) {
            parts.push(String::new());
        }
        if let Some(part) = parts.last_mut() {
            part.push(c);
        }
        last_digit = Some(digit);
    }
    parts
}

/// One typed word as FTS5 syntax: quoted, a prefix when `prefix` and it has two
/// characters, and with its letters and digits apart as an alternative (a phrase in
/// the short index; in the whole index, which keeps no positions, each part).
fn raw_clause(term: &str, prefix: bool, short: bool) -> String {
    let star = if prefix && term.chars().count() >= 2 {
        "*"
    } else {
        ""
    };
    let parts = split_letters_digits(term);
    if parts.len() < 2 {
        format!("\"{term}\"{star}")
    } else if short {
        format!("(\"{term}\"{star} OR \"{}\"{star})", parts.join(" "))
    } else {
        let apart: Vec<String> = parts.iter().map(|p| format!("\"{p}\"")).collect();
        format!("(\"{term}\"{star} OR ({}{star}))", apart.join(" AND "))
    }
}

/// Letters and digits, lower case: `ACL 16-49` → `acl1649`.
pub(crate) fn number_key(number: &str) -> String {
    number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A number key without its leading letters (the letter type, and ACIN's `I`):
/// `acl1649` → `1649`, `acini2315` → `2315`, `acl2376e` → `2376e`.
pub(crate) fn number_tail(key: &str) -> &str {
    key.trim_start_matches(|c: char| c.is_ascii_alphabetic())
}

/// The typed text as a guidance-number key, or empty when it does not look like a
/// number: it must hold digits and nothing but letters, digits, spaces and dashes.
fn typed_number(text: &str) -> String {
    let text = text.trim();
    let plausible = text.chars().any(|c| c.is_ascii_digit())
        && text.len() <= 20
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if plausible {
        number_key(text)
    } else {
        String::new()
    }
}

/// Escapes the snippet text, then turns the match markers into `<mark>` tags.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::render::escape(&mut out, text);
    out.replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
}

/// Words that say nothing about what is wanted: left out of a query that has other
/// words, so "what do I do if a youth goes missing" searches "youth goes missing".
const STOPWORDS: &[&str] = &[
    // English
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has",
    "have", "how", "i", "if", "in", "is", "it", "make", "me", "must", "my", "need", "of", "on",
    "or", "should", "the", "their", "they", "this", "to", "was", "we", "what", "when", "where",
    "which", "who", "why", "will", "with", "you", "your", "am", "im", // Spanish
    "al", "como", "con", "cual", "cuando", "de", "del", "donde", "el", "en", "es", "esta", "este",
    "hacer", "hay", "la", "las", "lo", "los", "mi", "mis", "necesito", "o", "para", "por", "que",
    "quien", "se", "si", "su", "sus", "tengo", "un", "una", "uno", "y", "ya", "hago", "casa",
];
/// A query that starts with one of these asks what to do: practice guides first.
const QUESTION_WORDS: &[&str] = &[
    "what", "how", "who", "where", "when", "which", "why", "que", "como", "quien", "donde",
    "cuando", "cual",
];
/// How many bm25-ranked candidates the field's rules reorder.
const REORDER_WINDOW: usize = 60;
/// Fewer exact hits than this, and close spellings of unknown words are searched too.
const FUZZY_BELOW: usize = 5;
/// A prefix of the whole index that starts more words than this stays a prefix.
const SPELLED_OUT_AT_MOST: usize = 24;
/// bm25 weights of the short index's columns: title, number, summary, county words,
/// title stems, text stems. A word matched as typed also matches its stem, so stems
/// weigh less.
const SHORT_WEIGHTS: &str = "10.0, 10.0, 2.0, 4.0, 5.0, 1.0";
/// How much more a translation weighs in ranking for readers of its language.
const LANG_PRIOR: f64 = 1.5;
const STEM_COLUMNS: &str = "{title_stems text_stems}";

/// Practice guides and resources are what most searches are after; bm25 alone
/// favours the short timeline entries that mention a word once.
fn kind_prior(kind: &str) -> f64 {
    match kind {
        "guide" => 2.0,
        "resource" => 1.3,
        _ => 1.0,
    }
}

/// The typed text as search reads it.
struct Plan {
    /// Every typed word, folded, stop words included (county names have them).
    all_words: Vec<String>,
    /// The words searched: each position's alternatives (one, the typed word, unless
    /// these are close spellings).
    words: Vec<Vec<String>>,
    /// The last word is still being typed: it matches as a prefix.
    typing: bool,
    question: bool,
    spans: Vec<Span>,
    /// Prefixes of the whole index spelled out as the words it holds
    /// ([`Cache::spell_out_prefixes`]): FTS5 answers a prefix by merging the lists of
    /// every word it starts, all of them, before the first row, a few milliseconds
    /// for a common word at 10,000 items; a few whole words it reads lazily.
    whole_words: HashMap<String, Vec<String>>,
    /// Words of synonym terms that the short index does not hold
    /// ([`Cache::find_absent_synonyms`]): a term that cannot match is left out of the
    /// short expression, where bm25 would still walk every phrase for every row.
    short_absent: HashSet<String>,
}

impl Plan {
    fn new(typed: &str, thesaurus: &Thesaurus) -> Option<Plan> {
        let all_words: Vec<String> = terms(typed).iter().map(|t| fold(t)).collect();
        let typing = !typed.ends_with(char::is_whitespace);
        Plan::build(
            all_words,
            typing,
            typed.contains('?'),
            &HashMap::new(),
            thesaurus,
        )
    }

    /// The plan for folded words, with some replaced by close spellings.
    fn build(
        all_words: Vec<String>,
        typing: bool,
        question_mark: bool,
        corrections: &HashMap<String, Vec<String>>,
        thesaurus: &Thesaurus,
    ) -> Option<Plan> {
        let first = all_words.first()?;
        let question = question_mark || QUESTION_WORDS.contains(&first.as_str());
        let corrected: Vec<String> = all_words
            .iter()
            .map(|w| {
                corrections
                    .get(w)
                    .and_then(|c| c.first())
                    .unwrap_or(w)
                    .clone()
            })
            .collect();
        // Synonyms first, over every word: a term may hold stop words ("absent from
        // care", "se escapó"). Stop words outside them are left out, unless the
        // query is nothing but stop words ("que", "it").
        // Neighbours from one group are one unit: "runaway missing youth" asks for
        // a missing youth, not for two kinds of missing.
        let mut found: Vec<Span> = Vec::new();
        for span in thesaurus.spans(&corrected) {
            match found.last_mut() {
                Some(last) if last.group == span.group && last.start + last.len == span.start => {
                    last.len += span.len;
                }
                _ => found.push(span),
            }
        }
        let only_stop_words = all_words.iter().all(|w| STOPWORDS.contains(&w.as_str()));
        let mut words = Vec::new();
        let mut spans = Vec::new();
        let mut last_kept = false;
        let mut i = 0;
        while i < all_words.len() {
            let alternatives = |k: usize| {
                corrections
                    .get(&all_words[k])
                    .cloned()
                    .unwrap_or_else(|| vec![all_words[k].clone()])
            };
            if let Some(span) = found.iter().find(|s| s.start == i) {
                spans.push(Span {
                    start: words.len(),
                    ..*span
                });
                words.extend((i..i + span.len).map(alternatives));
                i += span.len;
                last_kept = i == all_words.len();
                continue;
            }
            last_kept = only_stop_words || !STOPWORDS.contains(&all_words[i].as_str());
            if last_kept {
                words.push(alternatives(i));
            }
            i += 1;
        }
        Some(Plan {
            typing: typing && last_kept && corrections.is_empty(),
            words,
            all_words,
            question,
            spans,
            whole_words: HashMap::new(),
            short_absent: HashSet::new(),
        })
    }

    /// The plan without these words, if anything that is not a stop word is left.
    fn without_words(self, dropped: &[&str], thesaurus: &Thesaurus) -> Plan {
        let kept: Vec<String> = self
            .all_words
            .iter()
            .filter(|w| !dropped.contains(&w.as_str()))
            .cloned()
            .collect();
        if kept.len() == self.all_words.len()
            || kept.iter().all(|w| STOPWORDS.contains(&w.as_str()))
        {
            return self;
        }
        let question = self.question;
        Plan::build(kept, self.typing, question, &HashMap::new(), thesaurus).unwrap_or(self)
    }

    /// The same words with close spellings for some.
    fn corrected(
        &self,
        corrections: &HashMap<String, Vec<String>>,
        thesaurus: &Thesaurus,
    ) -> Option<Plan> {
        Plan::build(
            self.all_words.clone(),
            false,
            self.question,
            corrections,
            thesaurus,
        )
    }

    /// The words searched, each by its first alternative: for "Did you mean".
    fn typed_words(&self) -> String {
        self.words
            .iter()
            .filter_map(|w| w.first().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn is_prefix(&self, i: usize) -> bool {
        self.typing && i + 1 == self.words.len()
    }

    /// Synonyms that widen the query, as written, without the typed words themselves.
    fn also_searched(&self, thesaurus: &Thesaurus) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for span in &self.spans {
            let typed: Vec<&str> = self.words[span.start..span.start + span.len]
                .iter()
                .filter_map(|w| w.first().map(String::as_str))
                .collect();
            for term in thesaurus.terms(span.group) {
                if term.words != typed && !found.contains(&term.written) {
                    found.push(term.written.clone());
                }
            }
        }
        found
    }

    /// The MATCH expression for the short index (raw and stem columns) or, with
    /// `stem_columns` false, for the whole index (raw words, stems as prefixes).
    fn expression(&self, thesaurus: &Thesaurus, short: bool) -> String {
        self.units(thesaurus, short).join(" AND ")
    }

    /// One clause per unit of meaning: a word, or a synonym span with its synonyms.
    fn units(&self, thesaurus: &Thesaurus, short: bool) -> Vec<String> {
        let mut clauses = Vec::new();
        let mut i = 0;
        while i < self.words.len() {
            match self.spans.iter().find(|s| s.start == i) {
                Some(span) => {
                    let typed: Vec<String> = (span.start..span.start + span.len)
                        .map(|k| self.word_clause(k, short))
                        .collect();
                    let typed = typed.join(" AND ");
                    // The typed words count twice in bm25: an item that holds what the
                    // reader typed ranks above one that holds only a synonym.
                    // (The whole index is not ranked: once is enough there.)
                    let mut options = vec![if short {
                        format!("({typed} AND {typed})")
                    } else {
                        format!("({typed})")
                    }];
                    let written: Vec<&String> = (span.start..span.start + span.len)
                        .filter_map(|k| self.words[k].first())
                        .collect();
                    // The typed term is in its own group: searched above already.
                    for term in thesaurus.terms(span.group) {
                        let absent = short && self.cannot_match(&term.words);
                        if term.words.iter().collect::<Vec<_>>() != written && !absent {
                            options.push(phrase_clause(&term.words, short));
                        }
                    }
                    clauses.push(format!("({})", options.join(" OR ")));
                    i += span.len;
                }
                None => {
                    clauses.push(self.word_clause(i, short));
                    i += 1;
                }
            }
        }
        clauses
    }

    /// Whether a synonym term cannot match in the short index: a word of a phrase is
    /// not there, or a single word is there neither as written nor by its stems.
    fn cannot_match(&self, words: &[String]) -> bool {
        match words {
            [word] => synonym_forms(word).all(|w| self.short_absent.contains(&w)),
            _ => words.iter().any(|w| self.short_absent.contains(w)),
        }
    }

    /// For a query of three units or more that matched little as a whole ("what do I
    /// do if a youth goes missing"): the short fields holding all but one of them,
    /// all but two from five on.
    fn relaxed(&self, thesaurus: &Thesaurus) -> Option<String> {
        // A number must match whole: "ACL 16-48" is not "ACL 16" and "48".
        let numbers = self
            .words
            .iter()
            .flatten()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()));
        let units = self.units(thesaurus, true);
        let n = units.len();
        if n < 3 || numbers {
            return None;
        }
        let keep = if n >= 5 { n - 2 } else { n - 1 };
        let mut options = Vec::new();
        // Every subset of `keep` units, as bit masks (n is at most MAX_TERMS).
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize == keep {
                let kept: Vec<&str> = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| units[i].as_str())
                    .collect();
                options.push(format!("({})", kept.join(" AND ")));
            }
        }
        Some(options.join(" OR "))
    }

    /// Any one unit, for the whole index.
    fn any_unit(&self, thesaurus: &Thesaurus) -> String {
        self.units(thesaurus, false).join(" OR ")
    }

    /// One position: any of its alternatives, as typed or by stem.
    fn word_clause(&self, i: usize, short: bool) -> String {
        let prefix = self.is_prefix(i);
        let options: Vec<String> = self.words[i]
            .iter()
            .flat_map(|word| {
                if short {
                    let mut options = vec![raw_clause(word, prefix, true)];
                    options.extend(stem_options(word));
                    return options;
                }
                let mut options = vec![match self.whole_words.get(word) {
                    Some(_) if prefix => self.whole_prefix(word),
                    _ => raw_clause(word, prefix, false),
                }];
                options.extend(body_stems(word).iter().map(|s| self.whole_prefix(s)));
                options
            })
            .collect();
        // A stem spelled out may be just the word: each option once.
        let mut seen = HashSet::new();
        let options: Vec<String> = options
            .into_iter()
            .filter(|o| seen.insert(o.trim_matches(['(', ')']).to_string()))
            .collect();
        format!("({})", options.join(" OR "))
    }

    /// The prefixes the whole-index clauses search: the word being typed, and the
    /// stems of every word.
    fn whole_prefixes(&self) -> Vec<String> {
        let mut prefixes = Vec::new();
        for (i, alternatives) in self.words.iter().enumerate() {
            for word in alternatives {
                if self.is_prefix(i) {
                    prefixes.push(word.clone());
                }
                prefixes.extend(body_stems(word));
            }
        }
        prefixes
    }

    /// A prefix in the whole index: the words it starts, when they were spelled out.
    fn whole_prefix(&self, prefix: &str) -> String {
        match self.whole_words.get(prefix) {
            Some(words) => {
                let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                format!("({})", quoted.join(" OR "))
            }
            None => format!("\"{prefix}\"*"),
        }
    }
}

/// A word's stems as a clause of the short index's stem columns.
fn stem_options(word: &str) -> Vec<String> {
    if word.chars().count() < 3 || word.chars().any(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    let mut stems = vec![stem_en(word), stem_es(word)];
    stems.dedup();
    let quoted: Vec<String> = stems.iter().map(|s| format!("\"{s}\"")).collect();
    vec![format!("{STEM_COLUMNS} : ({})", quoted.join(" OR "))]
}

/// A word's stems as prefixes of the raw words of the whole index, which has no stem
/// columns (stemming every body would make a sync seconds slower).
fn body_stems(word: &str) -> Vec<String> {
    if word.chars().count() < 3 || word.chars().any(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    let mut stems = vec![stem_en(word), stem_es(word)];
    stems.dedup();
    stems
        .into_iter()
        .filter(|s| s.chars().count() >= 4 && s != word)
        .collect()
}

/// A one-word synonym as its phrase searches it in the short index: as written and
/// by its stems.
fn synonym_forms(word: &str) -> impl Iterator<Item = String> + '_ {
    [word.to_string(), stem_en(word), stem_es(word)].into_iter()
}

/// A synonym term as an FTS5 phrase; a one-word term in the short index also by its
/// stems.
fn phrase_clause(words: &[String], short: bool) -> String {
    if !short {
        // The whole index keeps no positions (detail=column): the words anywhere.
        let apart: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        return format!("({})", apart.join(" AND "));
    }
    let raw = format!("\"{}\"", words.join(" "));
    // A phrase of stems behind a column filter costs FTS5 a walk through the
    // positions of every common word in it (a few milliseconds at 10,000 items), and
    // the publisher can list the forms a phrase takes.
    if words.len() > 1 {
        return raw;
    }
    let mut stems = vec![
        words
            .iter()
            .map(|w| stem_en(w))
            .collect::<Vec<_>>()
            .join(" "),
        words
            .iter()
            .map(|w| stem_es(w))
            .collect::<Vec<_>>()
            .join(" "),
    ];
    stems.dedup();
    let quoted: Vec<String> = stems.iter().map(|s| format!("\"{s}\"")).collect();
    format!("({raw} OR {STEM_COLUMNS} : ({}))", quoted.join(" OR "))
}

/// What the field's rules need to know to reorder ranked hits, and the words to
/// mark in their snippets.
#[derive(Clone)]
struct Order {
    marks: Marks,
    question: bool,
    /// The county page the query names, if it names one.
    county: Option<String>,
    /// The reader's language (English unless the request says).
    lang: String,
}

/// The words a snippet marks: what was searched, as typed, by prefix and by stem.
#[derive(Clone, Default)]
struct Marks {
    words: HashSet<String>,
    prefixes: Vec<String>,
    stems: HashSet<String>,
    /// The first three letters of every stem: a word that starts otherwise cannot
    /// stem to one of them, so it is not stemmed (stemming every word of every
    /// snippet cost more than the rest of a simple search).
    stem_starts: HashSet<String>,
}

/// A summary longer than this many words is cut to a window around its first mark.
const SNIPPET_WORDS: usize = 24;

impl Marks {
    fn of(plan: &Plan, thesaurus: &Thesaurus) -> Marks {
        let mut marks = Marks::default();
        for (i, alternatives) in plan.words.iter().enumerate() {
            for word in alternatives {
                marks.add(word, plan.is_prefix(i));
            }
        }
        for span in &plan.spans {
            for term in thesaurus.terms(span.group) {
                for word in term
                    .words
                    .iter()
                    .filter(|w| !STOPWORDS.contains(&w.as_str()))
                {
                    marks.add(word, false);
                }
            }
        }
        marks
    }

    fn add(&mut self, word: &str, prefix: bool) {
        if prefix {
            self.prefixes.push(word.to_string());
        }
        if word.chars().count() >= 3 && !word.chars().any(|c| c.is_ascii_digit()) {
            for stem in [stem_en(word), stem_es(word)] {
                self.stem_starts.insert(stem.chars().take(3).collect());
                self.stems.insert(stem);
            }
        }
        self.words.insert(word.to_string());
    }

    fn matches(&self, word: &str) -> bool {
        let word = fold(word);
        self.words.contains(&word)
            || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
            || (word.chars().count() >= 3
                && self
                    .stem_starts
                    .contains(&word.chars().take(3).collect::<String>())
                && (self.stems.contains(&stem_en(&word)) || self.stems.contains(&stem_es(&word))))
    }

    /// The text, escaped, with the words searched for in `<mark>`, cut to a window
    /// of [`SNIPPET_WORDS`] words around the first mark when longer.
    fn snippet(&self, text: &str) -> String {
        // The markers must not come from the content.
        let text = &text.replace([MARK_START, MARK_END], " ");
        let words: Vec<(usize, usize)> = word_spans(text);
        let marked: Vec<bool> = words
            .iter()
            .map(|&(a, b)| self.matches(&text[a..b]))
            .collect();
        let first = marked.iter().position(|m| *m).unwrap_or(0);
        let (from, to) = if words.len() <= SNIPPET_WORDS {
            (0, words.len())
        } else {
            let from = first.saturating_sub(4).min(words.len() - SNIPPET_WORDS);
            (from, from + SNIPPET_WORDS)
        };
        let mut out = String::with_capacity(text.len() + 16);
        let start = if from == 0 { 0 } else { words[from].0 };
        if from > 0 {
            out.push('…');
        }
        let mut at = start;
        for k in from..to {
            let (a, b) = words[k];
            out.push_str(&text[at..a]);
            if marked[k] {
                out.push(MARK_START);
                out.push_str(&text[a..b]);
                out.push(MARK_END);
            } else {
                out.push_str(&text[a..b]);
            }
            at = b;
        }
        if to == words.len() {
            out.push_str(&text[at..]);
        } else {
            out.push('…');
        }
        escape_html(&out)
    }
}

/// Byte ranges of the runs of letters and digits in a text.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// A row of `id, kind, title, date, number, status, lang, translation_of, summary`
/// as a candidate, unscored, its snippet still the plain summary (made a snippet for
/// the rows shown only).
fn candidate_row(row: &rusqlite::Row) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        hit: SearchHit {
            id: row.get(0)?,
            kind: row.get(1)?,
            title: row.get(2)?,
            date: row.get(3)?,
            number: row.get(4)?,
            status: row.get(5)?,
            lang: row.get(6)?,
            snippet: row.get(8)?,
        },
        score: 0.0,
        translation_of: row.get(7)?,
    })
}

/// A hit with what ranking needs and the reader does not see.
struct Candidate {
    hit: SearchHit,
    score: f64,
    translation_of: Option<String>,
}

/// The field's rules, over bm25 (see ARCHITECTURE.md, "Search ranking"): superseded
/// and rescinded letters after current ones; the county the query names first, other
/// county pages after everything else; for questions, practice guides, then
/// resources, then other documents, then timeline entries and reports; then bm25
/// weighted by kind and the reader's language.
fn reorder(candidates: &mut [Candidate], order: &Order) {
    let key = |c: &Candidate| {
        let replaced = matches!(c.hit.status.as_deref(), Some("superseded" | "rescinded"));
        let county = match &order.county {
            Some(id) => c.hit.id != *id,
            None => c.hit.kind == "county",
        };
        let question = if order.question {
            match c.hit.kind.as_str() {
                "guide" => 0,
                "resource" => 1,
                "timeline" | "report" => 3,
                _ => 2,
            }
        } else {
            0
        };
        (replaced, county, question)
    };
    candidates.sort_by(|a, b| key(a).cmp(&key(b)).then(a.score.total_cmp(&b.score)));
}

impl Cache {
    /// The hits alone: [`Cache::search_with_notes`] without the notes.
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<SearchHit>, EngineError> {
        Ok(self.search_with_notes(request)?.hits)
    }

    /// Searches in tiers, best first: the reader's county page, a letter whose
    /// number was typed, ranked matches in the short fields (with synonyms and word
    /// forms), matches anywhere in the body; then, if few matched, close spellings.
    pub fn search_with_notes(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        // The markers must not come from the content or the user.
        let typed = request.query.replace([MARK_START, MARK_END], " ");
        let context = self.search_context()?;
        let thesaurus = &context.thesaurus;
        let Some(plan) = Plan::new(&typed, thesaurus) else {
            return Ok(SearchResults::default());
        };
        let limit = request.limit.unwrap_or(20).clamp(1, 200);
        let order = Order {
            marks: Marks::of(&plan, thesaurus),
            question: plan.question,
            county: named_county(&plan, &context),
            lang: request.lang.clone().unwrap_or_else(|| "en".into()),
        };
        // "Fresno County probation": once the county is known by its name, the word
        // "county" says nothing more, and every county page holds it.
        let plan = match order.county {
            Some(_) => plan.without_words(&["county", "condado"], thesaurus),
            None => plan,
        };
        let mut plan = plan;
        self.spell_out_prefixes(&mut plan)?;
        self.find_absent_synonyms(&mut plan, thesaurus)?;
        let short = plan.expression(thesaurus, true);
        let everywhere = plan.expression(thesaurus, false);
        let mut hits = Vec::new();
        if let Some(mine) = request
            .my_county
            .as_ref()
            .filter(|_| request.county.is_none() && request.kind.is_none_or(|k| k == Kind::County))
        {
            let own = SearchRequest {
                county: Some(mine.clone()),
                my_county: None,
                ..request.clone()
            };
            // Any of the words will do: the reader chose this page as theirs, and
            // "child abuse hotline" or "report abuse" are asked about it even where
            // its agencies are named otherwise.
            let any = plan.any_unit(thesaurus);
            self.add_hits(&mut hits, limit, &own, Tier::Everywhere(&any), &order)?;
        }
        // A letter whose number is what was typed ("16-49", "acl16-49") comes first.
        let key = typed_number(&typed);
        let (mut short, mut everywhere) = (short, everywhere);
        if !key.is_empty() {
            let before = hits.len();
            self.add_hits(&mut hits, limit, request, Tier::Number(&key), &order)?;
            // The letter was found by its number: "ACL" needs no "All County Letter"
            // beside it, and widening a number query only costs time.
            if hits.len() > before && !plan.spans.is_empty() {
                plan.spans.clear();
                short = plan.expression(thesaurus, true);
                everywhere = plan.expression(thesaurus, false);
            }
        }
        // Then matches in titles, numbers, summaries and county words, ranked; last,
        // matches anywhere, body included, unranked (newest import first): ranking
        // every document that contains a common word costs tens of milliseconds, and
        // these come after the better matches anyway.
        let counts = self.unit_documents(&plan, thesaurus)?;
        let (fewest, most) = (counts.iter().min(), counts.iter().max());
        // A rare word beside a common one ("Fresno probation") matches a handful,
        // which the field's rules order as well as bm25 would; bm25 would first count
        // the common word's documents, phrase by phrase (2 ms at 10,000 items).
        let handful = fewest.is_some_and(|n| *n <= REORDER_WINDOW as i64)
            && most.is_some_and(|n| *n > RANK_AT_MOST);
        let ranked = fewest.is_some_and(|n| *n <= RANK_AT_MOST) && !handful;
        // Any all-but-one of the units may match as many as the commonest unit, and
        // partial matches are worth ranking only when they are few.
        let relaxed_ranked = counts
            .iter()
            .max()
            .is_some_and(|n| *n <= RELAXED_RANK_AT_MOST);
        self.add_hits(
            &mut hits,
            limit,
            request,
            Tier::Short(&short, ranked),
            &order,
        )?;
        let exact_short = hits.len();
        let mut results = SearchResults {
            also_searched: plan.also_searched(thesaurus),
            ..SearchResults::default()
        };
        // Few matches in the short fields: a long query may match most of its words
        // there, and a misspelt word its close spellings. Both come before matches
        // anywhere in a body, which for a misspelt word are only its stem's accidents.
        let mut close = None;
        if exact_short < FUZZY_BELOW {
            if let Some(relaxed) = plan.relaxed(thesaurus) {
                self.add_hits(
                    &mut hits,
                    limit,
                    request,
                    Tier::Short(&relaxed, relaxed_ranked),
                    &order,
                )?;
            }
            let corrections = self.corrections(&plan)?;
            close = plan
                .corrected(&corrections, thesaurus)
                .filter(|_| !corrections.is_empty());
            if let Some(close) = close.as_mut() {
                self.spell_out_prefixes(close)?;
                self.find_absent_synonyms(close, thesaurus)?;
            }
            if let Some(close) = &close {
                let before = hits.len();
                let short = close.expression(thesaurus, true);
                let close_order = Order {
                    marks: Marks::of(close, thesaurus),
                    ..order.clone()
                };
                self.add_hits(
                    &mut hits,
                    limit,
                    request,
                    Tier::Short(&short, true),
                    &close_order,
                )?;
                if hits.len() > before {
                    results.close_spellings = corrections_found(&plan, close);
                    results.also_searched = close.also_searched(thesaurus);
                    if before == 0 {
                        results.did_you_mean = Some(close.typed_words());
                    }
                }
            }
        }
        let before = hits.len();
        self.add_hits(
            &mut hits,
            limit,
            request,
            Tier::Everywhere(&everywhere),
            &order,
        )?;
        if let Some(close) = &close {
            let everywhere = close.expression(thesaurus, false);
            self.add_hits(
                &mut hits,
                limit,
                request,
                Tier::Everywhere(&everywhere),
                &order,
            )?;
            let found_more = hits.len() > before;
            if found_more && results.close_spellings.is_empty() {
                results.close_spellings = corrections_found(&plan, close);
            }
            if before == 0 && results.did_you_mean.is_none() && found_more {
                results.did_you_mean = Some(close.typed_words());
            }
        }
        self.reader_language_first(&mut hits, &order.lang, limit)?;
        results.hits = hits.into_iter().map(|c| c.hit).collect();
        Ok(results)
    }

    /// Of an item and its translation, the one in the reader's language comes first,
    /// fetched when only the other one matched: an English reader who finds the
    /// Spanish guide is shown the English one just before it.
    fn reader_language_first(
        &self,
        hits: &mut Vec<Candidate>,
        lang: &str,
        limit: usize,
    ) -> Result<(), EngineError> {
        let pair = |c: &Candidate| c.translation_of.clone().unwrap_or_else(|| c.hit.id.clone());
        let mut i = 0;
        while i < hits.len() {
            if hits[i].hit.lang != lang {
                let key = pair(&hits[i]);
                let twin = match (i + 1..hits.len())
                    .find(|&j| hits[j].hit.lang == lang && pair(&hits[j]) == key)
                {
                    Some(j) => Some(hits.remove(j)),
                    None if !hits[..i].iter().any(|h| pair(h) == key) => self.twin(&key, lang)?,
                    None => None,
                };
                if let Some(twin) = twin {
                    hits.insert(i, twin);
                    i += 1;
                }
            }
            i += 1;
        }
        hits.truncate(limit);
        Ok(())
    }

    /// The item of a translation pair in a language, as a hit.
    fn twin(&self, original: &str, lang: &str) -> Result<Option<Candidate>, EngineError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, kind, title, date, number, status, lang, translation_of, summary
             FROM items WHERE (id = ?1 OR translation_of = ?1) AND lang = ?2 LIMIT 1",
        )?;
        let twin = statement
            .query_row(params![original, lang], candidate_row)
            .optional()?;
        Ok(twin.map(|mut c| {
            c.hit.snippet = escape_html(&c.hit.snippet.replace([MARK_START, MARK_END], " "));
            c
        }))
    }

    /// Notes which words of the plan's synonym terms the short index lacks.
    fn find_absent_synonyms(
        &self,
        plan: &mut Plan,
        thesaurus: &Thesaurus,
    ) -> Result<(), EngineError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM short_terms WHERE term = ?1)")?;
        let mut words = Vec::new();
        for span in &plan.spans {
            for term in thesaurus.terms(span.group) {
                match term.words.as_slice() {
                    [word] => words.extend(synonym_forms(word)),
                    many => words.extend(many.iter().cloned()),
                }
            }
        }
        for word in words {
            if !plan.short_absent.contains(&word)
                && !statement.query_row([&word], |r| r.get::<_, bool>(0))?
            {
                plan.short_absent.insert(word);
            }
        }
        Ok(())
    }

    /// Spells out the whole index's prefixes of four plain letters or more as the
    /// words of `words` they start, when there are few (`SPELLED_OUT_AT_MOST`). A prefix
    /// with more, or with other characters, stays a prefix. (`words` leaves out terms
    /// with digits: "placement2" is not found by "placem".)
    fn spell_out_prefixes(&self, plan: &mut Plan) -> Result<(), EngineError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT term FROM words WHERE term >= ?1 AND term < ?1 || char(1114111) LIMIT ?2",
        )?;
        for prefix in plan.whole_prefixes() {
            let plain =
                prefix.chars().count() >= 4 && prefix.bytes().all(|b| b.is_ascii_lowercase());
            if !plain || plan.whole_words.contains_key(&prefix) {
                continue;
            }
            let words = statement
                .query_map(params![prefix, SPELLED_OUT_AT_MOST as i64 + 1], |r| {
                    r.get::<_, String>(0)
                })?
                .collect::<Result<Vec<_>, _>>()?;
            if !words.is_empty() && words.len() <= SPELLED_OUT_AT_MOST {
                plan.whole_words.insert(prefix, words);
            }
        }
        Ok(())
    }

    /// Close spellings for the words the index does not hold.
    fn corrections(&self, plan: &Plan) -> Result<HashMap<String, Vec<String>>, EngineError> {
        let mut found = HashMap::new();
        for (i, alternatives) in plan.words.iter().enumerate() {
            let Some(word) = alternatives.first() else {
                continue;
            };
            if crate::fuzzy::allowed_edits(word) == 0 || self.knows_word(word, plan.is_prefix(i))? {
                continue;
            }
            let close = self.close_spellings(word)?;
            if !close.is_empty() {
                found.insert(word.clone(), close);
            }
        }
        Ok(found)
    }

    /// How many documents of the short index each unit of the query may match: a
    /// word's count (a prefix counts every term it starts), a synonym span's the sum
    /// over its terms (each counted by its rarest word). An upper bound that only
    /// chooses a strategy: ranking tens of thousands of matches costs more than it
    /// tells.
    fn unit_documents(&self, plan: &Plan, thesaurus: &Thesaurus) -> Result<Vec<i64>, EngineError> {
        let mut counts = Vec::new();
        let mut i = 0;
        while i < plan.words.len() {
            if let Some(span) = plan.spans.iter().find(|s| s.start == i) {
                let typed: Vec<String> = (span.start..span.start + span.len)
                    .filter_map(|k| plan.words[k].first().cloned())
                    .collect();
                let mut sum = self.phrase_documents(&typed, false)?;
                for term in thesaurus.terms(span.group) {
                    sum += self.phrase_documents(&term.words, false)?;
                }
                counts.push(sum);
                i += span.len;
            } else {
                let mut sum = 0;
                for word in &plan.words[i] {
                    sum += self.phrase_documents(std::slice::from_ref(word), plan.is_prefix(i))?;
                }
                counts.push(sum);
                i += 1;
            }
        }
        Ok(counts)
    }

    /// Documents holding the rarest word of a phrase, by the short index's vocabulary
    /// (`short_terms`).
    fn phrase_documents(&self, words: &[String], prefix: bool) -> Result<i64, EngineError> {
        let mut rarest = i64::MAX;
        for word in words {
            let count: i64 = if prefix && word.chars().count() >= 2 {
                self.conn
                    .prepare_cached(
                        "SELECT ifnull(sum(docs), 0) FROM short_terms
                         WHERE term >= ?1 AND term < ?1 || char(1114111)",
                    )?
                    .query_row([word], |r| r.get(0))?
            } else {
                self.conn
                    .prepare_cached("SELECT ifnull(sum(docs), 0) FROM short_terms WHERE term = ?1")?
                    .query_row([word], |r| r.get(0))?
            };
            rarest = rarest.min(count);
        }
        Ok(if rarest == i64::MAX { 0 } else { rarest })
    }

    /// Appends one tier's hits that are not already there, up to `limit` in all.
    fn add_hits(
        &self,
        hits: &mut Vec<Candidate>,
        limit: usize,
        request: &SearchRequest,
        tier: Tier,
        order: &Order,
    ) -> Result<(), EngineError> {
        if hits.len() >= limit {
            return Ok(());
        }
        let filtered = request.kind.is_some()
            || request.year.is_some()
            || request.status.is_some()
            || request.county.is_some();
        let columns = "i.id, i.kind, i.title, i.date, i.number, i.status, i.lang, i.translation_of";
        let (mut sql, first) = match tier {
            Tier::Number(key) => (
                // The same tail through the index; the exact full number ranks first.
                format!("SELECT {columns}, i.summary, 0.0 FROM items i WHERE i.number_tail = ?1"),
                number_tail(key),
            ),
            // Unfiltered (as you type): FTS5 sorts by rank itself. Snippets are made
            // here, not by FTS5's snippet(), and only for the rows shown: snippet()
            // re-reads every ranked row's phrases, half the cost of a widened query.
            Tier::Short(query, true) if !filtered => (
                format!(
                    "SELECT {columns}, i.summary, s.score FROM
                       (SELECT rowid, rank AS score FROM items_short_fts
                        WHERE items_short_fts MATCH ?1 AND rank MATCH 'bm25({SHORT_WEIGHTS})'
                        ORDER BY rank LIMIT ?2) s
                     JOIN items i ON i.rowid = s.rowid WHERE 1 = 1"
                ),
                query,
            ),
            Tier::Short(query, ranked) => (
                format!(
                    "SELECT {columns}, i.summary, {} FROM items_short_fts
                     JOIN items i ON i.rowid = items_short_fts.rowid
                     WHERE items_short_fts MATCH ?1",
                    if ranked {
                        format!("bm25(items_short_fts, {SHORT_WEIGHTS})")
                    } else {
                        "0.0".into()
                    }
                ),
                query,
            ),
            Tier::Everywhere(query) => (
                format!(
                    "SELECT {columns}, i.summary, 0.0 FROM items_fts
                     JOIN items i ON i.rowid = items_fts.rowid
                     WHERE items_fts MATCH ?1"
                ),
                query,
            ),
        };
        // Fetch enough to fill up after dropping what earlier tiers found, and, for
        // ranked hits, enough for the field's rules to reorder.
        let wanted = match tier {
            Tier::Short(..) => (limit + hits.len()).max(REORDER_WINDOW),
            _ => limit + hits.len(),
        } as i64;
        let mut args: Vec<Value> = vec![Value::Text(first.to_string()), Value::Integer(wanted)];
        let mut filter = |sql: &mut String, column: &str, value: Value| {
            args.push(value);
            *sql += &format!(" AND i.{column} = ?{}", args.len());
        };
        if let Some(kind) = request.kind {
            filter(&mut sql, "kind", Value::Text(kind.as_str().into()));
        }
        if let Some(year) = request.year {
            filter(&mut sql, "year", Value::Integer(year));
        }
        if let Some(status) = &request.status {
            filter(&mut sql, "status", Value::Text(status.clone()));
        }
        if let Some(county) = &request.county {
            let id = format!("counties/{}", crate::lists::county_slug(county));
            filter(&mut sql, "id", Value::Text(id));
        }
        if let Tier::Number(key) = tier {
            args.push(Value::Text(key.to_string()));
            sql += &format!(" ORDER BY i.number_key <> ?{}, i.id", args.len());
        }
        sql += match tier {
            Tier::Number(_) => "",
            Tier::Short(_, true) if !filtered => " ORDER BY s.score",
            Tier::Short(_, true) => " ORDER BY 10",
            // Newest import first: the lowest rowid (see schema.rs, migration 7).
            Tier::Short(_, false) => " ORDER BY items_short_fts.rowid",
            Tier::Everywhere(_) => " ORDER BY items_fts.rowid",
        };
        sql += " LIMIT ?2";
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(args), |row| {
            let mut candidate = candidate_row(row)?;
            // A translation weighs more for its own readers: a Spanish reader's
            // "libertad condicional" wants the Spanish guide before English timeline
            // entries. (Everything exists in English, and an English reader's
            // translations are replaced by their originals anyway.)
            let hit = &candidate.hit;
            let translated = hit.lang != "en" && hit.lang == order.lang;
            let lang_prior = if translated { LANG_PRIOR } else { 1.0 };
            candidate.score = row.get::<_, f64>(9)? * kind_prior(&hit.kind) * lang_prior;
            Ok(candidate)
        });
        let mut candidates = match rows.and_then(|rows| rows.collect::<Result<Vec<_>, _>>()) {
            // A typed word that FTS5's tokenizer splits where ours does not would be a
            // phrase, which the whole index cannot answer: it matches nothing there.
            Err(rusqlite::Error::SqliteFailure(_, Some(message)))
                if matches!(tier, Tier::Everywhere(_)) && message.contains("detail!=full") =>
            {
                return Ok(());
            }
            fetched => fetched?,
        };
        if let Tier::Short(..) = tier {
            reorder(&mut candidates, order);
        }
        for mut candidate in candidates {
            if hits.len() == limit {
                break;
            }
            if !hits.iter().any(|h| h.hit.id == candidate.hit.id) {
                candidate.hit.snippet = match tier {
                    Tier::Short(..) => order.marks.snippet(&candidate.hit.snippet),
                    _ => escape_html(&candidate.hit.snippet.replace([MARK_START, MARK_END], " ")),
                };
                hits.push(candidate);
            }
        }
        Ok(())
    }
}

/// The close spellings a corrected plan searched, sorted: the words that differ from
/// what was typed.
fn corrections_found(typed: &Plan, close: &Plan) -> Vec<String> {
    let mut found: Vec<String> = close
        .words
        .iter()
        .flatten()
        .filter(|w| !typed.words.iter().any(|t| t.first() == Some(*w)))
        .cloned()
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The county page whose name is among the typed words ("hotline San Diego",
/// "condado de Los Angeles") or their synonyms ("SLO county"), if any.
fn named_county(plan: &Plan, context: &SearchContext) -> Option<String> {
    let mut readings = vec![plan.all_words.clone()];
    for span in &plan.spans {
        readings.extend(
            context
                .thesaurus
                .terms(span.group)
                .iter()
                .map(|t| t.words.clone()),
        );
    }
    // The longest name wins: "San Luis Obispo" is a better reading than "San" anything.
    context
        .counties
        .iter()
        .filter(|(name, _)| {
            !name.is_empty()
                && readings
                    .iter()
                    .any(|words| words.windows(name.len()).any(|w| w == name.as_slice()))
        })
        .max_by_key(|(name, _)| name.len())
        .map(|(_, id)| id.clone())
}

/// Where a search looks, best matches first.
#[derive(Clone, Copy)]
enum Tier<'q> {
    /// Guidance whose normalised number ends with the typed number.
    Number(&'q str),
    /// The FTS5 query over the short columns, ranked when `true`.
    Short(&'q str, bool),
    /// The FTS5 query over everything, body included, unranked.
    Everywhere(&'q str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(typed: &str) -> Option<String> {
        Plan::new(typed, &Thesaurus::default()).map(|p| p.expression(&Thesaurus::default(), false))
    }

    #[test]
    fn typed_text_becomes_quoted_terms() {
        assert_eq!(raw_clause("sb", false, true), "\"sb\"");
        assert_eq!(raw_clause("855", true, true), "\"855\"*");
        assert_eq!(
            raw_clause("acl16", true, true),
            "(\"acl16\"* OR \"acl 16\"*)"
        );
        // The whole index has no positions, so no phrases: the parts anywhere.
        assert_eq!(
            raw_clause("acl16", true, false),
            "(\"acl16\"* OR (\"acl\" AND \"16\"*))"
        );
        assert_eq!(raw_clause("c", true, true), "\"c\"");
        assert_eq!(
            expression("SB 855").as_deref(),
            Some("(\"sb\") AND (\"855\"*)")
        );
        // Operators become plain quoted words; punctuation disappears.
        assert_eq!(
            expression("\" NEAR( * - ) ^").as_deref(),
            Some("(\"near\"*)")
        );
        assert_eq!(expression("\" ( * - ) ^ :"), None);
        assert_eq!(expression(""), None);
    }

    #[test]
    fn stop_words_are_dropped_unless_alone() {
        let plan = Plan::new(
            "what do I do if a youth goes missing",
            &Thesaurus::default(),
        );
        let plan = plan.expect("words");
        assert!(plan.question);
        assert_eq!(
            plan.words,
            vec![
                vec!["youth".to_string()],
                vec!["goes".into()],
                vec!["missing".into()]
            ]
        );
        let plan = Plan::new("que ", &Thesaurus::default()).expect("words");
        assert_eq!(plan.words, vec![vec!["que".to_string()]]);
    }

    #[test]
    fn snippets_mark_what_was_searched_and_cut_long_text() {
        let plan = Plan::new("guide", &Thesaurus::default()).expect("words");
        let marks = Marks::of(&plan, &Thesaurus::default());
        assert_eq!(
            marks.snippet("Two <guides> & a Guide's note"),
            "Two &lt;<mark>guides</mark>&gt; &amp; a <mark>Guide</mark>&#39;s note"
        );
        let long = format!("{} guide {}", "word ".repeat(40), "tail ".repeat(40));
        let cut = marks.snippet(&long);
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert_eq!(cut.matches("<mark>").count(), 1);
        assert!(!marks.snippet("\u{E000}x\u{E001}").contains("<mark>"));
    }

    #[test]
    fn snippets_escape_before_marking() {
        assert_eq!(
            escape_html("<b>\u{E000}x\u{E001}</b> & 'y'"),
            "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &#39;y&#39;"
        );
    }
}
