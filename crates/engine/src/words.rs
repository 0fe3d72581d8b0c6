//! Words as search compares them: folded the way the FTS5 tokenizer folds them
//! (lower case, diacritics off), and stemmed with the Snowball stemmer of a language
//! so that "guide" finds "guides" and "señal" finds "señales". The same functions run
//! at index time (`cache.rs`, and the SQL function `csec_stems` in migrations) and at
//! query time, which is
//! what keeps the two in step.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static SPANISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Spanish));

/// Lower case without diacritics, as `unicode61 remove_diacritics 2` indexes it:
/// `Señales` → `senales`. Letters whose base is two letters (`æ`, `ß`) stay, as the
/// tokenizer keeps them.
pub(crate) fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match crate::render::transliterate(c) {
            Some(base) if base.len() == 1 => base.chars().next().unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The words of a text: runs of letters and digits.
pub(crate) fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The English stem of one word, folded.
pub(crate) fn stem_en(word: &str) -> String {
    fold(&ENGLISH.stem(&word.to_lowercase()))
}

/// The Spanish stem of one word, folded. The stemmer's suffixes carry accents
/// ("-ción", "-logía"), so an unaccented word gets its accent back first: someone
/// typing "explotacion" means "explotación", and both must stem alike.
pub(crate) fn stem_es(word: &str) -> String {
    let lower = word.to_lowercase();
    let accented = reaccent_spanish(&lower);
    fold(&SPANISH.stem(accented.as_deref().unwrap_or(&lower)))
}

/// `explotacion` → `explotación`, `psicologia` → `psicología`; `None` when the word
/// has no such ending.
fn reaccent_spanish(word: &str) -> Option<String> {
    const ENDINGS: &[(&str, &str)] = &[
        ("cion", "ción"),
        ("sion", "sión"),
        ("logia", "logía"),
        ("logias", "logías"),
    ];
    ENDINGS.iter().find_map(|(plain, accented)| {
        word.strip_suffix(plain)
            .map(|stem| format!("{stem}{accented}"))
    })
}

/// The stem of a word in a language (`en` or `es`; anything else is English).
pub(crate) fn stem(word: &str, lang: &str) -> String {
    match lang {
        "es" => stem_es(word),
        _ => stem_en(word),
    }
}

/// Every word of a text stemmed in its language, space-separated: what the stem
/// columns of the search index hold. Words with digits are left as they are.
pub(crate) fn stems(text: &str, lang: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in split(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.chars().any(|c| c.is_ascii_digit()) {
            out.push_str(&fold(word));
        } else {
            out.push_str(&stem(word, lang));
        }
    }
    out
}

/// Registers `csec_stems(text, lang)` on a connection. It must be there before the
/// schema is migrated: the migrations that rebuild the index call it (an import fills
/// the stem columns from [`stems`] directly).
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "csec_stems",
        2,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let text: String = ctx.get::<Option<String>>(0)?.unwrap_or_default();
            let lang: String = ctx.get::<Option<String>>(1)?.unwrap_or_default();
            Ok(stems(&text, &lang))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_the_tokenizer() {
        assert_eq!(fold("Señales"), "senales");
        assert_eq!(fold("GUÍAS"), "guias");
        assert_eq!(fold("straße"), "straße");
    }

    #[test]
    fn plurals_and_accents_stem_alike() {
        assert_eq!(stem_en("guides"), stem_en("guide"));
        assert_eq!(stem_en("letters"), stem_en("letter"));
        assert_eq!(stem_es("guías"), stem_es("guias"));
        assert_eq!(stem_es("guías"), stem_es("guía"));
        assert_eq!(stem_es("señales"), stem_es("senal"));
        assert_eq!(stem_es("explotacion"), stem_es("explotación"));
        assert_eq!(stem_es("explotaciones"), stem_es("explotación"));
    }

    #[test]
    fn numbers_are_not_stemmed() {
        assert_eq!(stems("ACL 16-49 letters", "en"), "acl 16 49 letter");
        assert_eq!(stems("", "es"), "");
    }
}
