//! Close spellings: the words of the index within one or two edits of a typed word
//! that the index does not hold ("trafficing" → "trafficking").

use rusqlite::params;

use crate::{Cache, EngineError};

/// Words shorter than this are never corrected: "acl" and "sb" are one edit from too
/// many others.
const MIN_LETTERS: usize = 5;
/// From this length on, two edits are allowed.
const TWO_EDITS_FROM: usize = 9;
/// At most this many corrections of one word are searched.
const MAX_CANDIDATES: usize = 3;

/// Edits allowed for a word of this many letters; 0 when it is not corrected.
pub(crate) fn allowed_edits(word: &str) -> usize {
    // Only plain words: a number or a code ("16-49", "wic300") has no close
    // spelling that means the same thing.
    if !word.chars().all(|c| c.is_ascii_lowercase()) {
        return 0;
    }
    match word.len() {
        n if n >= TWO_EDITS_FROM => 2,
        n if n >= MIN_LETTERS => 1,
        _ => 0,
    }
}

/// Optimal string alignment distance (insertions, deletions, substitutions and
/// swaps of neighbours), or `None` once it exceeds `bound`.
pub(crate) fn distance(a: &str, b: &str, bound: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![vec![0usize; width]; a.len() + 1];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i][0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
            row_min = row_min.min(d);
        }
        if row_min > bound {
            return None;
        }
    }
    Some(rows[a.len()][b.len()]).filter(|d| *d <= bound)
}

impl Cache {
    /// Whether the index holds this folded word (or, for a word still being typed,
    /// a word that starts with it).
    pub(crate) fn knows_word(&self, word: &str, as_prefix: bool) -> Result<bool, EngineError> {
        // `words` holds every plain word of four letters or more, the only words
        // that are ever corrected.
        let sql = if as_prefix {
            "SELECT EXISTS (SELECT 1 FROM words WHERE term >= ?1 AND term < ?1 || char(1114111))"
        } else {
            "SELECT EXISTS (SELECT 1 FROM words WHERE term = ?1)"
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row([word], |r| r.get(0))?)
    }

    /// The closest words of the index to a folded word the index does not hold: all
    /// at the smallest distance found, most common first, at most three.
    pub(crate) fn close_spellings(&self, word: &str) -> Result<Vec<String>, EngineError> {
        let bound = allowed_edits(word);
        if bound == 0 {
            return Ok(Vec::new());
        }
        let length = word.chars().count();
        let mut statement = self
            .conn
            .prepare_cached("SELECT term, docs FROM words WHERE length BETWEEN ?1 AND ?2")?;
        let rows = statement.query_map(
            params![length.saturating_sub(bound) as i64, (length + bound) as i64],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )?;
        let mut found: Vec<(usize, i64, String)> = Vec::new();
        for row in rows {
            let (term, docs) = row?;
            if let Some(d) = distance(word, &term, bound) {
                found.push((d, -docs, term));
            }
        }
        found.sort();
        let closest = found.first().map(|(d, _, _)| *d);
        Ok(found
            .into_iter()
            .filter(|(d, _, _)| Some(*d) == closest)
            .take(MAX_CANDIDATES)
            .map(|(_, _, term)| term)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_counted_with_swaps() {
        assert_eq!(distance("trafficing", "trafficking", 2), Some(1));
        assert_eq!(distance("exploitaion", "exploitation", 2), Some(1));
        assert_eq!(distance("warnign", "warning", 1), Some(1));
        assert_eq!(distance("abc", "abc", 0), Some(0));
        assert_eq!(distance("abcdef", "uvwxyz", 2), None);
    }

    #[test]
    fn short_words_and_numbers_are_never_corrected() {
        assert_eq!(allowed_edits("acl"), 0);
        assert_eq!(allowed_edits("1649"), 0);
        assert_eq!(allowed_edits("wic300"), 0);
        assert_eq!(allowed_edits("signs"), 1);
        assert_eq!(allowed_edits("trafficing"), 2);
    }
}
