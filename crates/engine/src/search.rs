//! Full-text search over the cache. Any string a person can type gives results or an
//! empty list, never an error: the query is rebuilt from its words, never passed to
//! FTS5 as syntax.

use csec_bundle::Kind;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::{Cache, EngineError};

/// Words beyond this are ignored: nobody types twenty words into a search box, and a
/// pasted page must not turn into a slow query.
const MAX_TERMS: usize = 12;
const MAX_TERM_CHARS: usize = 40;
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

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

/// The typed text as a guidance-number key (`acl1649`), or empty when it does not look
/// like a number: it must hold digits and nothing but letters, digits, spaces and dashes.
fn number_key(text: &str) -> String {
    let text = text.trim();
    let plausible = text.chars().any(|c| c.is_ascii_digit())
        && text.len() <= 20
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if !plausible {
        return String::new();
    }
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
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
        let limit = request.limit.unwrap_or(20).clamp(1, 200) as i64;
        let mut sql = format!(
            "SELECT i.id, i.kind, i.title,
                    snippet(items_fts, 2, '{MARK_START}', '{MARK_END}', '…', 16),
                    i.date, i.number, i.status
             FROM items_fts JOIN items i ON i.rowid = items_fts.rowid
             WHERE items_fts MATCH ?1"
        );
        let mut args: Vec<Value> = vec![Value::Text(query)];
        if let Some(kind) = request.kind {
            args.push(Value::Text(kind.as_str().into()));
            sql += &format!(" AND i.kind = ?{}", args.len());
        }
        if let Some(year) = request.year {
            args.push(Value::Integer(year));
            sql += &format!(" AND i.year = ?{}", args.len());
        }
        if let Some(status) = &request.status {
            args.push(Value::Text(status.clone()));
            sql += &format!(" AND i.status = ?{}", args.len());
        }
        // A letter whose number is what was typed ("16-49", "acl16-49") comes first;
        // then title and number count most, then county words, summary, body.
        args.push(Value::Text(number_key(&request.query)));
        let key = args.len();
        if let Some(county) = &request.county {
            args.push(Value::Text(format!(
                "counties/{}",
                crate::lists::county_slug(county)
            )));
            sql += &format!(" AND i.id = ?{}", args.len());
        }
        args.push(Value::Integer(limit));
        sql += &format!(
            " ORDER BY (?{key} <> '' AND ifnull(i.number_key LIKE '%' || ?{key}, 0)) DESC,
                       bm25(items_fts, 10.0, 10.0, 2.0, 1.0, 4.0)
              LIMIT ?{}",
            args.len()
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let hits = statement
            .query_map(rusqlite::params_from_iter(args), |row| {
                Ok(SearchHit {
                    id: row.get(0)?,
                    kind: row.get(1)?,
                    title: row.get(2)?,
                    snippet: escape_html(&row.get::<_, String>(3)?),
                    date: row.get(4)?,
                    number: row.get(5)?,
                    status: row.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(hits)
    }
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
