//! The publisher's synonyms (items of kind `synonyms`), as search uses them: typed
//! words that are a term of a group also search the group's other terms.

use std::sync::Arc;

use csec_bundle::{Details, Item};

use crate::words::{fold, split, stem_en, stem_es};
use crate::{Cache, EngineError};

/// One term of a group, as written (shown to the reader) and as compared.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub written: String,
    /// Folded words: `["explotacion", "sexual"]`.
    pub words: Vec<String>,
    /// The words' English and Spanish stems, for matching phrases by word form.
    en: Vec<String>,
    es: Vec<String>,
}

impl Term {
    fn new(written: &str) -> Term {
        let words: Vec<String> = split(written).map(fold).collect();
        Term {
            written: written.trim().to_string(),
            en: words.iter().map(|w| stem_en(w)).collect(),
            es: words.iter().map(|w| stem_es(w)).collect(),
            words,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Thesaurus {
    groups: Vec<Vec<Term>>,
}

/// Typed words `start..start + len` are a term of `group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub len: usize,
    pub group: usize,
}

impl Thesaurus {
    pub(crate) fn from_items(items: &[Item]) -> Thesaurus {
        let mut groups = Vec::new();
        for item in items {
            let Details::Synonyms { groups: authored } = &item.details else {
                continue;
            };
            for group in authored {
                let terms: Vec<Term> = group
                    .terms
                    .iter()
                    .map(|t| Term::new(t))
                    .filter(|t| !t.words.is_empty())
                    .collect();
                if terms.len() >= 2 {
                    groups.push(terms);
                }
            }
        }
        Thesaurus { groups }
    }

    pub(crate) fn terms(&self, group: usize) -> &[Term] {
        self.groups.get(group).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The spans of `words` (folded) that are terms, longest first from left to right,
    /// never overlapping. A one-word term matches only as written ("signs" is not
    /// "sign": single words are where stems go wrong); a phrase also matches by word
    /// form ("warning sign" is "warning signs").
    pub(crate) fn spans(&self, words: &[String]) -> Vec<Span> {
        let en: Vec<String> = words.iter().map(|w| stem_en(w)).collect();
        let es: Vec<String> = words.iter().map(|w| stem_es(w)).collect();
        let mut spans = Vec::new();
        let mut start = 0;
        while start < words.len() {
            match self.longest_at(words, &en, &es, start) {
                Some(span) => {
                    start += span.len;
                    spans.push(span);
                }
                None => start += 1,
            }
        }
        spans
    }

    fn longest_at(
        &self,
        words: &[String],
        en: &[String],
        es: &[String],
        start: usize,
    ) -> Option<Span> {
        let mut best: Option<Span> = None;
        for (group, terms) in self.groups.iter().enumerate() {
            for term in terms {
                let len = term.words.len();
                if start + len > words.len() || best.is_some_and(|b| b.len >= len) {
                    continue;
                }
                let matches = if len == 1 {
                    words[start] == term.words[0]
                } else {
                    (0..len).all(|k| {
                        let i = start + k;
                        words[i] == term.words[k] || en[i] == term.en[k] || es[i] == term.es[k]
                    })
                };
                if matches {
                    best = Some(Span { start, len, group });
                }
            }
        }
        best
    }
}

/// What search reads of the content on every query, read once per content version:
/// the synonyms, and the county names a query may hold.
pub(crate) struct SearchContext {
    /// `PRAGMA data_version` when this was read: it changes when another connection
    /// (a `csec sync` beside the app) commits. This connection's own imports clear
    /// the context instead.
    data_version: i64,
    pub thesaurus: Thesaurus,
    /// Each county's name as folded words, with its page's id.
    pub counties: Vec<(Vec<String>, String)>,
}

impl Cache {
    pub(crate) fn search_context(&self) -> Result<Arc<SearchContext>, EngineError> {
        let data_version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let mut cached = self
            .search_context
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(context) = cached.as_ref()
            && context.data_version == data_version
        {
            return Ok(context.clone());
        }
        let mut statement = self
            .conn
            .prepare_cached("SELECT json FROM items WHERE kind = 'synonyms' ORDER BY id")?;
        let items: Vec<Item> = statement
            .query_map([], |r| r.get::<_, String>(0))?
            .filter_map(|json| json.ok().and_then(|j| serde_json::from_str(&j).ok()))
            .collect();
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, title FROM items WHERE kind = 'county'")?;
        let counties = statement
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|(id, title)| {
                let name = split(title.trim_end_matches(" County")).map(fold).collect();
                (name, id)
            })
            .collect();
        let context = Arc::new(SearchContext {
            data_version,
            thesaurus: Thesaurus::from_items(&items),
            counties,
        });
        *cached = Some(context.clone());
        Ok(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use csec_bundle::{Lang, SynonymGroup};

    fn thesaurus(groups: &[&[&str]]) -> Thesaurus {
        let item = Item {
            id: "synonyms/search-terms".into(),
            title: "t".into(),
            date: None,
            updated: None,
            summary: "s".into(),
            sources: vec![],
            related: vec![],
            body: String::new(),
            lang: Lang::En,
            translation_of: None,
            attachments: Vec::new(),
            details: Details::Synonyms {
                groups: groups
                    .iter()
                    .map(|g| SynonymGroup {
                        terms: g.iter().map(|t| t.to_string()).collect(),
                    })
                    .collect(),
            },
        };
        Thesaurus::from_items(&[item])
    }

    fn words(text: &str) -> Vec<String> {
        split(text).map(fold).collect()
    }

    #[test]
    fn longest_term_wins_and_phrases_match_by_stem() {
        let t = thesaurus(&[
            &["trafficking", "trata"],
            &["labor trafficking", "trata laboral"],
            &["warning signs", "señales de alerta"],
        ]);
        let spans = t.spans(&words("labor trafficking warning sign"));
        assert_eq!(
            spans,
            vec![
                Span {
                    start: 0,
                    len: 2,
                    group: 1
                },
                Span {
                    start: 2,
                    len: 2,
                    group: 2
                }
            ]
        );
        assert_eq!(
            t.spans(&words("Trata")),
            vec![Span {
                start: 0,
                len: 1,
                group: 0
            }]
        );
        assert!(t.spans(&words("traffic")).is_empty());
        assert_eq!(t.terms(2)[1].words, vec!["senales", "de", "alerta"]);
    }
}
