//! Safe Markdown rendering of item bodies.
//!
//! Bodies come from a signed bundle, but the renderer does not rely on that: a body is
//! treated as hostile text. pulldown-cmark's writer (`push_html`) writes the HTML from
//! events rewritten so that it has nothing unsafe to write, and ammonia checks the
//! result against an explicit allowlist, so a bug in the rewriting still cannot let
//! script through.
//!
//! The rewriting drops raw HTML (`csec check` refuses it in content), images (their alt
//! text stays), heading classes and attributes (`{onclick=...}`) and table alignment
//! (the writer would put it in a `style`). Every link destination is classified by
//! [`href`]; a destination it refuses loses its link and keeps its text. Headings get
//! unique ids and make the table of contents. Footnote definitions move to the end in
//! order of first reference, the order the writer numbers them in, with ids that
//! cannot collide with headings.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, hash_map::Entry};
use std::fmt::Write as _;
use std::sync::LazyLock;

use ammonia::{Builder, Url, UrlRelative};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// One heading of a body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` of the heading element, unique within the body.
    pub id: String,
    /// The heading as plain text.
    pub text: String,
}

/// A rendered body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// Sanitised HTML, safe to insert into the app's page.
    pub html: String,
    /// Every heading outside footnotes, in document order.
    pub toc: Vec<Heading>,
    /// The item ids the body links to, deduplicated, in order of appearance.
    pub internal_links: Vec<String>,
}

/// Renders an item's Markdown body to sanitised HTML.
///
/// Never panics, whatever the input.
pub fn render_markdown(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut pass = Pass::default();
    let mut body = pass.split_footnotes(Parser::new_ext(markdown, options));
    // Heading ids first, for the whole body, so that footnote ids (allocated while
    // rewriting) can never take an id a later heading would want.
    let mut toc = Vec::new();
    assign_heading_ids(&mut body, &mut pass.ids, Some(&mut toc));
    for note in pass.notes.iter_mut().flatten() {
        assign_heading_ids(note, &mut pass.ids, None);
    }
    pass.rewrite(body);
    pass.footnotes();

    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut out, pass.out.into_iter());
    Rendered {
        html: SANITIZER.clean(&out).to_string(),
        toc,
        internal_links: pass.internal_links,
    }
}

/// Gives every heading a unique id (the slug of its `{#id}` if it has one, else of its
/// text) and records it in the table of contents.
fn assign_heading_ids(events: &mut [Event<'_>], ids: &mut Ids, mut toc: Option<&mut Vec<Heading>>) {
    let mut start = None;
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { .. }) => start = Some(i),
            Event::End(TagEnd::Heading(_)) => {
                let Some(start) = start.take() else { continue };
                let text = plain_text(&events[start + 1..i]);
                if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[start] {
                    let base = id.as_deref().map(slugify).filter(|s| !s.is_empty());
                    let unique = ids.unique(&base.unwrap_or_else(|| slugify(&text)));
                    if let Some(toc) = toc.as_deref_mut() {
                        let (level, id) = (*level as u8, unique.clone());
                        toc.push(Heading { level, id, text });
                    }
                    *id = Some(unique.into());
                }
            }
            _ => {}
        }
    }
}

/// The text of a run of inline events, whitespace collapsed.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Longest slug kept, in bytes (slugs are ASCII).
const MAX_SLUG: usize = 80;

/// Lower-case ASCII letters and digits separated by single dashes. Accented Latin
/// letters become their base letters; apostrophes and combining marks vanish; other
/// characters separate words.
fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mut buf = [0; 4];
        let base = match transliterate(c) {
            _ if c.is_ascii_alphanumeric() => &*c.encode_utf8(&mut buf),
            Some(base) => base,
            None => {
                dash |= !matches!(c, '\'' | '\u{2019}' | '\u{0300}'..='\u{036f}');
                continue;
            }
        };
        if dash && !slug.is_empty() {
            slug.push('-');
        }
        dash = false;
        slug.push_str(base);
    }
    if slug.len() > MAX_SLUG {
        slug.truncate(MAX_SLUG);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// The base letter(s) of a lower-case Latin letter with a diacritic, if it has one.
pub(crate) fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// The ids used so far in one body.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    /// `base`, or `base-2`, `base-3`... whichever is free first.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        (1u64..)
            .map(|n| match n {
                1 => base.to_owned(),
                n => format!("{base}-{n}"),
            })
            .find(|id| self.0.insert(id.clone()))
            .unwrap_or_default()
    }
}

/// What a link destination becomes, with the item id if it names one: an item id the
/// app route `#/item/<id>` (a heading `?h=`), `#fragment` a fragment of the body, and
/// `https:`, `http:`, `mailto:` and `tel:` URLs stay as written. Anything else is
/// refused (`None`).
fn href(dest: &str) -> Option<(String, Option<&str>)> {
    // Browsers drop tabs and newlines inside URLs and strip leading controls, which
    // turns `java\tscript:` into `javascript:`; no legitimate destination has them.
    if dest.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    if let Some(fragment) = dest.strip_prefix('#').filter(|f| !f.is_empty()) {
        return Some((format!("#{}", percent_encode(fragment)), None));
    }
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    for (prefix, scheme) in [
        ("https://", "https"),
        ("http://", "http"),
        ("mailto:", "mailto"),
        ("tel:", "tel"),
    ] {
        if lower.starts_with(prefix) {
            // The same parser ammonia uses must agree on the scheme.
            let agreed = Url::parse(dest).is_ok_and(|url| url.scheme() == scheme);
            return agreed.then(|| (dest.to_owned(), None));
        }
    }
    let (id, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    if !csec_bundle::is_valid_id(id) {
        return None;
    }
    let heading = match fragment {
        "" => String::new(),
        fragment => format!("?h={}", percent_encode(fragment)),
    };
    Some((format!("#/item/{id}{heading}"), Some(id)))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so that a fragment
/// can neither become a route (`#/item/...`) nor add query parameters.
fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html(out, s);
}

/// Whether a fenced code block's language is a plain word (the writer makes it a class).
fn is_language(lang: &str) -> bool {
    (1..=32).contains(&lang.len())
        && (lang.bytes())
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+#_.-".contains(&b))
}

/// The rewriting pass: the parser's events in, the writer's events out.
#[derive(Default)]
struct Pass<'a> {
    out: Vec<Event<'a>>,
    ids: Ids,
    internal_links: Vec<String>,
    /// For each open tag: whether it was kept (its end is written).
    open: Vec<bool>,
    /// Case-folded footnote label to note index.
    labels: HashMap<String, usize>,
    /// Each footnote definition's contents, until written.
    notes: Vec<Option<Vec<Event<'a>>>>,
    /// Each note's id, once it has a number.
    note_ids: Vec<Option<String>>,
    /// The notes in the order of their numbers.
    order: Vec<usize>,
}

impl<'a> Pass<'a> {
    /// Takes the footnote definitions out of the body, to be written at the end. A
    /// label defined twice keeps its first definition; a definition inside another
    /// stays part of it (its tags are dropped when rewriting).
    fn split_footnotes(&mut self, events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
        let mut body = Vec::new();
        let mut current: Option<(String, Vec<Event<'a>>)> = None;
        let mut depth = 0usize;
        for event in events {
            match (&event, current.as_mut()) {
                (Event::Start(Tag::FootnoteDefinition(label)), None) => {
                    current = Some((label.to_lowercase(), Vec::new()));
                }
                (Event::End(TagEnd::FootnoteDefinition), Some(_)) if depth == 0 => {
                    self.add_note(current.take());
                }
                (_, Some((_, note))) => {
                    match event {
                        Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                        Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
                        _ => {}
                    }
                    note.push(event);
                }
                (_, None) => body.push(event),
            }
        }
        self.add_note(current);
        body
    }

    fn add_note(&mut self, note: Option<(String, Vec<Event<'a>>)>) {
        if let Some((label, events)) = note
            && let Entry::Vacant(entry) = self.labels.entry(label)
        {
            entry.insert(self.notes.len());
            self.notes.push(Some(events));
            self.note_ids.push(None);
        }
    }

    /// Writes the definitions in order of first reference (references inside
    /// definitions included), then those never referenced.
    fn footnotes(&mut self) {
        let mut unreferenced = 0;
        for next in 0..self.notes.len() {
            if next == self.order.len() {
                while self.note_ids.get(unreferenced).is_some_and(Option::is_some) {
                    unreferenced += 1;
                }
                self.note_id(unreferenced);
            }
            let Some(&note) = self.order.get(next) else {
                break;
            };
            let id = self.note_id(note);
            let events = self.notes.get_mut(note).and_then(Option::take);
            self.out
                .push(Event::Start(Tag::FootnoteDefinition(id.into())));
            self.rewrite(events.unwrap_or_default());
            self.out.push(Event::End(TagEnd::FootnoteDefinition));
        }
    }

    fn rewrite(&mut self, events: Vec<Event<'a>>) {
        for event in events {
            let event = match event {
                Event::Start(tag) => {
                    let tag = self.start(tag);
                    self.open.push(tag.is_some());
                    let Some(tag) = tag else { continue };
                    Event::Start(tag)
                }
                Event::End(tag) => {
                    if self.open.pop() != Some(true) {
                        continue;
                    }
                    Event::End(tag)
                }
                // Math is not enabled; should it appear, it is text, not a <span>.
                Event::InlineMath(t) | Event::DisplayMath(t) => Event::Text(t),
                // Raw HTML never reaches the output. Task lists are not enabled.
                Event::Html(_) | Event::InlineHtml(_) | Event::TaskListMarker(_) => continue,
                Event::FootnoteReference(label) => {
                    let Some(&note) = self.labels.get(&label.to_lowercase()) else {
                        self.out.push(Event::Text(format!("[^{label}]").into()));
                        continue;
                    };
                    Event::FootnoteReference(self.note_id(note).into())
                }
                event @ (Event::Text(_)
                | Event::Code(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::Rule) => event,
            };
            self.out.push(event);
        }
    }

    /// The tag the writer is given, or `None` to drop the tag and keep its content.
    /// Every variant is listed, so that a new one cannot reach the writer unchecked.
    fn start(&mut self, tag: Tag<'a>) -> Option<Tag<'a>> {
        Some(match tag {
            // Only the id given by `assign_heading_ids`: no classes or attributes.
            Tag::Heading { level, id, .. } => Tag::Heading {
                level,
                id,
                classes: Vec::new(),
                attrs: Vec::new(),
            },
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                let lang = info.split_whitespace().next().unwrap_or("");
                let lang = Some(lang.to_ascii_lowercase()).filter(|l| is_language(l));
                Tag::CodeBlock(CodeBlockKind::Fenced(lang.unwrap_or_default().into()))
            }
            // GitHub alerts are not enabled; never a class on the quote.
            Tag::BlockQuote(_) => Tag::BlockQuote(None),
            // Without alignments the writer writes no `style`.
            Tag::Table(_) => Tag::Table(Vec::new()),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let dest = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}").into(),
                    _ => dest_url,
                };
                // The parser never nests links (a footnote reference counts as one).
                let (href, item) = href(&dest)?;
                if let Some(id) = item.filter(|id| !self.internal_links.iter().any(|l| l == id)) {
                    self.internal_links.push(id.to_owned());
                }
                Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: href.into(),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }
            }
            // Images are not shown: their alt text follows as ordinary text. The rest
            // are moved (footnote definitions) or not enabled; their content stays.
            Tag::Image { .. }
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => return None,
            tag @ (Tag::Paragraph
            | Tag::CodeBlock(CodeBlockKind::Indented)
            | Tag::List(_)
            | Tag::Item
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough) => tag,
        })
    }

    /// A note's id, numbering it if this is its first appearance.
    fn note_id(&mut self, note: usize) -> String {
        if let Some(Some(id)) = self.note_ids.get(note) {
            return id.clone();
        }
        let id = self.ids.unique(&format!("fn-{}", self.order.len() + 1));
        self.order.push(note);
        if let Some(slot) = self.note_ids.get_mut(note) {
            *slot = Some(id.clone());
        }
        id
    }
}

/// Exactly the tags the rewritten events make pulldown-cmark's writer produce.
const TAGS: &str = "p h1 h2 h3 h4 h5 h6 ul ol li a em strong del code pre blockquote hr br \
    table thead tbody tr th td sup div";

/// Tags removed with their content, should one ever reach the sanitiser.
const CLEAN_CONTENT_TAGS: &str = "script style iframe noscript noembed noframes template xmp \
    svg math object embed textarea title select";

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let set = |items: &'static str| items.split_whitespace().collect::<HashSet<_>>();
    let mut tag_attributes = HashMap::from([
        ("div", set("id")),
        ("a", set("href")),
        ("ol", set("start")),
        ("code", set("class")),
    ]);
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        tag_attributes.insert(heading, set("id"));
    }
    let allowed_classes = HashMap::from([
        ("sup", set("footnote-reference footnote-definition-label")),
        ("div", set("footnote-definition")),
    ]);
    let mut builder = Builder::default();
    builder
        .tags(set(TAGS))
        .clean_content_tags(set(CLEAN_CONTENT_TAGS))
        .generic_attributes(HashSet::new())
        .tag_attributes(tag_attributes)
        .allowed_classes(allowed_classes)
        .url_schemes(set("https http mailto tel"))
        .url_relative(UrlRelative::Custom(Box::new(keep_fragment)))
        // No link tells the site it leads to where it came from, nor gets a handle on it.
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(filter_attribute);
    builder
});

/// Relative URLs: only `#...` (app routes and fragments) survive.
fn keep_fragment(url: &str) -> Option<Cow<'_, str>> {
    url.starts_with('#').then_some(Cow::Borrowed(url))
}

/// Values the allowlist alone cannot check.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match (element, attribute) {
        ("code", "class") => value.strip_prefix("language-").is_some_and(is_language),
        ("ol", "start") => {
            (1..=19).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
        }
        (_, "id") => {
            (1..=128).contains(&value.len())
                && (value.bytes())
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REL: &str = " rel=\"noopener noreferrer\"";

    /// The HTML of `markdown` without the `rel` that every link has (checked here).
    fn html(markdown: &str) -> String {
        let html = render_markdown(markdown).html;
        let (links, rels) = (html.matches("<a ").count(), html.matches(REL).count());
        assert_eq!(links, rels, "{html}");
        html.replace(REL, "")
    }

    fn heading(level: u8, id: &str, text: &str) -> Heading {
        let (id, text) = (id.to_owned(), text.to_owned());
        Heading { level, id, text }
    }

    #[test]
    fn headings_get_unique_slug_ids() {
        let r = render_markdown("## Intro\n\n## Intro\n\n### Intro\n\n## Intro 2\n");
        let expected = [
            heading(2, "intro", "Intro"),
            heading(2, "intro-2", "Intro"),
            heading(3, "intro-3", "Intro"),
            heading(2, "intro-2-2", "Intro 2"),
        ];
        assert_eq!(r.toc, expected);
        let h2 = "<h2 id=\"intro\">Intro</h2>";
        let h3 = "<h3 id=\"intro-3\">Intro</h3>";
        assert!(r.html.contains(h2) && r.html.contains(h3), "{}", r.html);
    }

    #[test]
    fn heading_slugs_fold_accents_and_drop_other_scripts() {
        let r = render_markdown(
            "# Año señal\n\n## Café crème: ¿qué?\n\n## Children's law (WIC § 300)\n\n## 日本語\n\n## 日本語\n\n## ÉLAN — Über\n",
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        let expected = "ano-senal cafe-creme-que childrens-law-wic-300 section section-2 elan-uber";
        assert_eq!(ids.join(" "), expected);
        assert_eq!(r.toc[0], heading(1, "ano-senal", "Año señal"));
        assert_eq!(r.toc[1].text, "Café crème: ¿qué?");
    }

    #[test]
    fn heading_text_is_plain_and_attributes_are_dropped() {
        let r = render_markdown(
            "## The `csec` *tool* and [a link](https://example.org)\n\n## Custom {#My-Id .big onclick=alert(1) style=color:red}\n",
        );
        let plain = heading(2, "the-csec-tool-and-a-link", "The csec tool and a link");
        assert_eq!(r.toc, [plain, heading(2, "my-id", "Custom")]);
        assert!(
            r.html.contains("<h2 id=\"my-id\">Custom</h2>"),
            "{}",
            r.html
        );
        assert!(
            !r.html.contains("onclick") && !r.html.contains("style") && !r.html.contains("big")
        );
    }

    #[test]
    fn long_headings_are_cut() {
        let r = render_markdown(&format!("## {}\n", "word ".repeat(40)));
        assert!(r.toc[0].id.len() <= MAX_SLUG);
        assert!(!r.toc[0].id.ends_with('-'));
    }

    #[test]
    fn internal_links_become_routes() {
        let markdown = "See [ACL 16-49](guidance/acl-16-49), [SB 855](timeline/2014-sb-855#what-changed) \
             and [again](guidance/acl-16-49#top).";
        assert_eq!(
            html(markdown),
            "<p>See <a href=\"#/item/guidance/acl-16-49\">ACL 16-49</a>, \
             <a href=\"#/item/timeline/2014-sb-855?h=what-changed\">SB 855</a> \
             and <a href=\"#/item/guidance/acl-16-49?h=top\">again</a>.</p>\n"
        );
        let links = render_markdown(markdown).internal_links;
        assert_eq!(links, ["guidance/acl-16-49", "timeline/2014-sb-855"]);
    }

    #[test]
    fn internal_fragments_cannot_add_parameters_or_routes() {
        assert_eq!(
            html("[x](reports/a#b&c=d/../e) [y](#/item/x) [z](#notes)"),
            "<p><a href=\"#/item/reports/a?h=b%26c%3Dd%2F..%2Fe\">x</a> \
             <a href=\"#%2Fitem%2Fx\">y</a> <a href=\"#notes\">z</a></p>\n"
        );
    }

    #[test]
    fn relative_paths_that_are_not_ids_lose_their_link() {
        let dests = "guidance/ACL-16-49 ./guidance/acl-16-49 /guidance/acl-16-49 guide/acl-16-49 \
             guidance/a/b guidance/ ../etc/passwd //evil.example/x # ftp://example.org/x \
             https:example.org file:///etc/passwd";
        for dest in dests.split_whitespace() {
            let r = render_markdown(&format!("[text]({dest})"));
            assert_eq!(r.html, "<p>text</p>\n", "{dest}");
            assert!(r.internal_links.is_empty());
        }
    }

    #[test]
    fn external_links_keep_their_url_and_get_rel() {
        let r = render_markdown(
            "[CDSS](https://www.cdss.ca.gov/a?b=1&c=2) [mail](mailto:csec@example.org) \
             [call](tel:+1-916-555-0100) <https://example.org> <help@example.org> [old](HTTP://example.org)",
        );
        let hrefs = "https://www.cdss.ca.gov/a?b=1&amp;c=2 mailto:csec@example.org tel:+1-916-555-0100 \
            https://example.org mailto:help@example.org HTTP://example.org";
        for href in hrefs.split(' ') {
            let link = format!("<a href=\"{href}\"{REL}>");
            assert!(r.html.contains(&link), "{link}: {}", r.html);
        }
        assert!(r.internal_links.is_empty());
    }

    #[test]
    fn tables_have_no_alignment_style() {
        assert_eq!(
            html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n"),
            "<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead><tbody>\n\
             <tr><td>1</td><td>2</td><td>3</td></tr>\n</tbody></table>\n"
        );
        // pulldown-cmark's writer always opens a body, even an empty one.
        let head_only = "<table><thead><tr><th>a</th></tr></thead><tbody>\n</tbody></table>\n";
        assert_eq!(html("| a |\n|---|\n"), head_only);
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference() {
        let markdown = "Second[^b] and first[^a] and again[^B].\n\n\
            [^a]: Note A.\n[^b]: Note B, see [^a].\n[^c]: Never used.\n";
        let reference =
            |n| format!("<sup class=\"footnote-reference\"><a href=\"#fn-{n}\">{n}</a></sup>");
        let (r1, r2) = (reference(1), reference(2));
        let definition = "<div class=\"footnote-definition\" id=\"fn-{n}\">\
            <sup class=\"footnote-definition-label\">{n}</sup>\n";
        let [d1, d2, d3] = [1, 2, 3].map(|n| definition.replace("{n}", &n.to_string()));
        assert_eq!(
            html(markdown),
            format!(
                "<p>Second{r1} and first{r2} and again{r1}.</p>\n\
                 {d1}<p>Note B, see {r2}.</p>\n</div>\n\
                 {d2}<p>Note A.</p>\n</div>\n\
                 {d3}<p>Never used.</p>\n</div>\n"
            )
        );
    }

    #[test]
    fn footnote_ids_never_collide_with_headings() {
        let r = render_markdown("## Fn 1\n\nText[^x].\n\n## Fn 1 2\n\n[^x]: Note.\n");
        assert_eq!((&*r.toc[0].id, &*r.toc[1].id), ("fn-1", "fn-1-2"));
        let definition = "<div class=\"footnote-definition\" id=\"fn-1-3\">";
        assert!(r.html.contains("<a href=\"#fn-1-3\"") && r.html.contains(definition));
    }

    #[test]
    fn undefined_footnotes_stay_text() {
        assert_eq!(html("See [^nope]."), "<p>See [^nope].</p>\n");
    }

    #[test]
    fn strikethrough_emphasis_lists_quotes_and_code() {
        for (markdown, expected) in [
            (
                "~~old~~ *new* **bold** `x<y`",
                "<p><del>old</del> <em>new</em> <strong>bold</strong> <code>x&lt;y</code></p>\n",
            ),
            (
                "3. a\n4. b\n",
                "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n",
            ),
            ("> quote\n", "<blockquote>\n<p>quote</p>\n</blockquote>\n"),
            (
                "```rust extra\nfn main() {}\n```\n",
                "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n",
            ),
            (
                "```\"><script>alert(1)</script>\nx\n```\n",
                "<pre><code>x\n</code></pre>\n",
            ),
            ("a  \nb\n\n---\n", "<p>a<br>\nb</p>\n<hr>\n"),
        ] {
            assert_eq!(html(markdown), expected, "{markdown:?}");
        }
    }

    #[test]
    fn raw_html_and_images_are_dropped() {
        for (markdown, expected) in [
            ("a <b>bold</b> c", "<p>a bold c</p>\n"),
            (
                "<div onclick=\"x()\">\nblock\n</div>\n\nafter",
                "<p>after</p>\n",
            ),
            ("![a chart](https://example.org/c.png)", "<p>a chart</p>\n"),
            (
                "[![logo](x.png)](https://example.org)",
                "<p><a href=\"https://example.org\">logo</a></p>\n",
            ),
        ] {
            assert_eq!(html(markdown), expected, "{markdown:?}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for input in [
            "",
            "[^a]:",
            "[^a]: [^a]\n\n[^a]",
            "[^x]: a\n\n  [^y]: b\n\n[^y] [^x]",
            "> [^x]: in quote\n\n[^x]",
            "# {#}",
            "#",
            "## \u{301}\u{301}",
            "| |\n|-|\n| | | |",
            "[x]([y](z))",
            "[a](<guidance/acl-16-49>)",
            "\u{0}\u{1}\u{7f}",
            "- [ ] task",
        ] {
            let _ = render_markdown(input);
        }
    }

    #[test]
    fn destinations_are_an_allowlist() {
        let web = "https://example.org";
        assert_eq!(href(web), Some((web.to_owned(), None)));
        let route = "#/item/guidance/acl-16-49?h=x".to_owned();
        assert_eq!(
            href("guidance/acl-16-49#x"),
            Some((route, Some("guidance/acl-16-49")))
        );
        for bad in [
            "",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            " https://example.org",
            "data:text/html,x",
            "vbscript:x",
            "https://exa mple.org",
            "https://",
        ] {
            assert_eq!(href(bad), None, "{bad:?}");
        }
    }
}
