//! Full-text search over the cache. Any string a person can type gives results or an
//! empty list, never an error: the query is rebuilt from its words, never passed to
//! FTS5 as syntax.

use csec_bundle::Kind;
use rusqlite::params;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

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
const RANK_AT_MOST: i64 = 1_000;

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

/// Splits typed text into search terms: runs of letters and digits, lower-cased, with
/// a letter-digit boundary noted so "acl16" can also match "ACL 16".
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

/// The FTS5 MATCH expression for typed text, or `None` when it has no words.
/// Every term is a quoted string, so no FTS5 operator can be smuggled in; the last
/// term is a prefix (as-you-type) once it has two characters.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let terms = terms(text);
    let typing = !text.ends_with(char::is_whitespace);
    let count = terms.len();
    let clauses: Vec<String> = terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let star = if typing && i + 1 == count && term.chars().count() >= 2 {
                "*"
            } else {
                ""
            };
            let parts = split_letters_digits(term);
            if parts.len() > 1 {
                format!("(\"{term}\"{star} OR \"{}\"{star})", parts.join(" "))
            } else {
                format!("\"{term}\"{star}")
            }
        })
        .collect();
    (!clauses.is_empty()).then(|| clauses.join(" AND "))
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

impl Cache {
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<SearchHit>, EngineError> {
        // The markers must not come from the content or the user.
        let Some(query) = fts_query(&request.query.replace([MARK_START, MARK_END], " ")) else {
            return Ok(Vec::new());
        };
        let limit = request.limit.unwrap_or(20).clamp(1, 200);
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
            self.add_hits(&mut hits, limit, &own, Tier::Everywhere(&query))?;
        }
        // A letter whose number is what was typed ("16-49", "acl16-49") comes first.
        let key = typed_number(&request.query);
        if !key.is_empty() {
            self.add_hits(&mut hits, limit, request, Tier::Number(&key))?;
        }
        // Then matches in titles, numbers, summaries and county words, ranked; then
        // matches anywhere, body included, unranked (newest import first): ranking
        // every document that contains a common word costs tens of milliseconds, and
        // these come after the better matches anyway.
        let typed = request.query.replace([MARK_START, MARK_END], " ");
        let ranked = self.rarest_term_documents(&typed)? <= RANK_AT_MOST;
        for tier in [Tier::Short(&query, ranked), Tier::Everywhere(&query)] {
            if hits.len() < limit {
                self.add_hits(&mut hits, limit, request, tier)?;
            }
        }
        Ok(hits)
    }

    /// How many documents hold the query's rarest term, as the short index counts
    /// them (a prefix counts every term it starts). Terms the index spells
    /// differently (accents) count as rare: the answer only chooses a strategy.
    fn rarest_term_documents(&self, typed: &str) -> Result<i64, EngineError> {
        // The index holds terms without diacritics ("policía" is "policia").
        let terms: Vec<String> = terms(typed)
            .iter()
            .map(|t| {
                t.chars()
                    .map(|c| match crate::render::transliterate(c) {
                        Some(base) if base.len() == 1 => base.chars().next().unwrap_or(c),
                        _ => c,
                    })
                    .collect()
            })
            .collect();
        let typing = !typed.ends_with(char::is_whitespace);
        let mut rarest = i64::MAX;
        for (i, term) in terms.iter().enumerate() {
            let prefix = typing && i + 1 == terms.len() && term.chars().count() >= 2;
            let count: i64 = if prefix {
                let mut end = term.clone();
                end.push(char::MAX);
                self.conn
                    .prepare_cached(
                        "SELECT ifnull(sum(doc), 0) FROM items_short_vocab WHERE term >= ?1 AND term < ?2",
                    )?
                    .query_row(params![term, end], |r| r.get(0))?
            } else {
                self.conn
                    .prepare_cached(
                        "SELECT ifnull(sum(doc), 0) FROM items_short_vocab WHERE term = ?1",
                    )?
                    .query_row([term], |r| r.get(0))?
            };
            rarest = rarest.min(count);
        }
        Ok(rarest)
    }

    /// Appends one tier's hits that are not already there, up to `limit` in all.
    fn add_hits(
        &self,
        hits: &mut Vec<SearchHit>,
        limit: usize,
        request: &SearchRequest,
        tier: Tier,
    ) -> Result<(), EngineError> {
        let filtered = request.kind.is_some()
            || request.year.is_some()
            || request.status.is_some()
            || request.county.is_some();
        let columns = "i.id, i.kind, i.title, i.date, i.number, i.status, i.lang";
        let short_snippet =
            format!("snippet(items_short_fts, 2, '{MARK_START}', '{MARK_END}', '…', 16)");
        let (mut sql, first) = match tier {
            Tier::Number(key) => (
                // The same tail through the index; the exact full number ranks first.
                format!("SELECT {columns}, i.summary FROM items i WHERE i.number_tail = ?1"),
                key,
            ),
            // Unfiltered (as you type): FTS5 sorts by rank itself and computes snippets
            // only for the rows returned, which keeps common words fast.
            Tier::Short(query, true) if !filtered => (
                format!(
                    "SELECT {columns}, s.snippet FROM
                       (SELECT rowid, rank AS score, {short_snippet} AS snippet FROM items_short_fts
                        WHERE items_short_fts MATCH ?1 AND rank MATCH 'bm25(10.0, 10.0, 2.0, 4.0)'
                        ORDER BY rank LIMIT ?2) s
                     JOIN items i ON i.rowid = s.rowid WHERE 1 = 1"
                ),
                query,
            ),
            Tier::Short(query, _) => (
                format!(
                    "SELECT {columns}, {short_snippet} FROM items_short_fts
                     JOIN items i ON i.rowid = items_short_fts.rowid
                     WHERE items_short_fts MATCH ?1"
                ),
                query,
            ),
            Tier::Everywhere(query) => (
                format!(
                    "SELECT {columns}, i.summary FROM items_fts
                     JOIN items i ON i.rowid = items_fts.rowid
                     WHERE items_fts MATCH ?1"
                ),
                query,
            ),
        };
        // Fetch enough to fill up after dropping what earlier tiers found.
        let wanted = (limit + hits.len()) as i64;
        let first = match tier {
            Tier::Number(key) => number_tail(key),
            _ => first,
        };
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
            Tier::Short(_, true) => " ORDER BY bm25(items_short_fts, 10.0, 10.0, 2.0, 4.0)",
            Tier::Short(_, false) => " ORDER BY items_short_fts.rowid DESC",
            Tier::Everywhere(_) => " ORDER BY items_fts.rowid DESC",
        };
        sql += " LIMIT ?2";
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(args), |row| {
            Ok(SearchHit {
                id: row.get(0)?,
                kind: row.get(1)?,
                title: row.get(2)?,
                date: row.get(3)?,
                number: row.get(4)?,
                status: row.get(5)?,
                lang: row.get(6)?,
                snippet: escape_html(&row.get::<_, String>(7)?),
            })
        })?;
        for hit in rows {
            let hit = hit?;
            if hits.len() == limit {
                break;
            }
            if !hits.iter().any(|h| h.id == hit.id) {
                hits.push(hit);
            }
        }
        Ok(())
    }
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

    #[test]
    fn typed_text_becomes_quoted_terms() {
        assert_eq!(fts_query("SB 855").as_deref(), Some("\"sb\" AND \"855\"*"));
        assert_eq!(fts_query("policía ").as_deref(), Some("\"policía\""));
        assert_eq!(
            fts_query("acl16-49").as_deref(),
            Some("(\"acl16\" OR \"acl 16\") AND \"49\"*")
        );
        assert_eq!(fts_query("c").as_deref(), Some("\"c\""));
        // Operators become plain quoted words; punctuation disappears.
        assert_eq!(fts_query("\" NEAR( * - ) ^").as_deref(), Some("\"near\"*"));
        assert_eq!(fts_query("\" ( * - ) ^ :"), None);
        assert_eq!(fts_query("").as_deref(), None);
    }

    #[test]
    fn snippets_escape_before_marking() {
        assert_eq!(
            escape_html("<b>\u{E000}x\u{E001}</b> & 'y'"),
            "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &#39;y&#39;"
        );
    }
}
