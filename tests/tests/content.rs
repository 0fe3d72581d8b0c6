//! The shipped content meets the bar a field worker needs: enough of each kind, letters
//! with substance, every guide and statewide line in Spanish too, and not one
//! placeholder or made-up number.

use std::collections::BTreeMap;

use csec_bundle::{Details, Item, Kind, Lang};
use csec_tests::repo_root;

fn content() -> Vec<Item> {
    csec_publish::load(&repo_root().join("content"))
        .expect("content/ is valid")
        .items
}

fn words(markdown: &str) -> usize {
    // Link targets are not words a reader reads.
    let mut text = String::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("](") {
        text.push_str(&rest[..start]);
        rest = rest[start..].split_once(')').map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    text.split_whitespace().count()
}

#[test]
fn there_is_enough_of_each_kind_in_each_language() {
    let items = content();
    let mut counts: BTreeMap<(Kind, Lang), usize> = BTreeMap::new();
    for item in &items {
        *counts.entry((item.kind(), item.lang)).or_default() += 1;
    }
    let count = |kind, lang| counts.get(&(kind, lang)).copied().unwrap_or(0);
    assert!(count(Kind::Guidance, Lang::En) >= 22, "{counts:?}");
    assert!(count(Kind::Report, Lang::En) >= 13, "{counts:?}");
    assert!(count(Kind::Guide, Lang::En) >= 6, "{counts:?}");
    assert_eq!(count(Kind::County, Lang::En), 58);
    assert_eq!(
        count(Kind::Guide, Lang::Es),
        count(Kind::Guide, Lang::En),
        "every guide in Spanish"
    );
    assert_eq!(
        count(Kind::Resource, Lang::Es),
        count(Kind::Resource, Lang::En),
        "every line in Spanish"
    );
    assert!(count(Kind::Resource, Lang::En) >= 3, "resource: {counts:?}");
}

#[test]
fn letters_say_what_they_require() {
    let letters: Vec<Item> = content()
        .into_iter()
        .filter(|i| i.kind() == Kind::Guidance)
        .collect();
    let total: usize = letters.iter().map(|l| words(&l.body)).sum();
    let average = total / letters.len();
    assert!(average >= 150, "guidance bodies average {average} words");
    for letter in &letters {
        let body = letter.body.to_lowercase();
        // The stubs this replaced said "the sources we used do not say" what a letter
        // requires; a reader needs what it requires, or where to read it.
        for evasion in [
            "sources do not say",
            "sources we used do not say",
            "does not say what",
            "do not say what",
        ] {
            assert!(!body.contains(evasion), "{} says {evasion:?}", letter.id);
        }
        assert!(
            body.contains("summary"),
            "{} says it is a summary",
            letter.id
        );
    }
}

#[test]
fn the_statewide_and_national_lines_a_guide_relies_on_are_there() {
    let items = content();
    let phones: Vec<(String, String)> = items
        .iter()
        .filter_map(|i| match &i.details {
            Details::Resource(r) if i.lang == Lang::En => Some((
                i.id.clone(),
                r.contact
                    .phones
                    .iter()
                    .map(|p| p.number.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
            _ => None,
        })
        .collect();
    for (what, number) in [
        ("the National Human Trafficking Hotline", "1-888-373-7888"),
        ("NCMEC, for a missing child", "1-800-843-5678"),
        ("the California Foster Care Ombudsperson", "1-877-846-1602"),
    ] {
        assert!(
            phones.iter().any(|(_, n)| n.contains(number)),
            "{what} ({number}): {phones:?}"
        );
    }
}

#[test]
fn no_placeholder_or_fiction_number_ships() {
    for item in content() {
        let json = String::from_utf8(item.to_bytes()).unwrap();
        assert!(
            !json.contains("555-01"),
            "{} has a fiction-range number",
            item.id
        );
        assert!(
            !json.contains("example.org"),
            "{} has a placeholder address",
            item.id
        );
    }
}
