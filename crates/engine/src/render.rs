//! Safe Markdown rendering of item bodies.
//!
//! Bodies come from a signed bundle, but the renderer does not rely on that: a body is
//! treated as hostile text. Three layers keep script out of the app, each enough on
//! its own for the common cases:
//!
//! 1. The parser's events are rewritten before pulldown-cmark's own HTML writer sees
//!    them. Raw HTML from the input (`Html` and `InlineHtml` events) is dropped, as
//!    `csec check` promises the publisher, so every `Html` event the writer receives
//!    was made here, from escaped text. Images are dropped (their alt text stays),
//!    heading classes and attributes (`{onclick=...}`) are dropped, and table
//!    alignment becomes a class instead of the writer's `style`.
//! 2. Every link destination is classified: an item id becomes an app route
//!    `#/item/<id>`, `https:`, `http:`, `mailto:` and `tel:` stay as they are,
//!    `#fragment` stays a fragment, and anything else loses its link and keeps only
//!    its text.
//! 3. The result goes through ammonia with an explicit allowlist of the tags,
//!    attributes, classes and URL schemes the renderer produces, so a bug in the first
//!    two layers still cannot let script through.
//!
//! What pulldown-cmark's writer cannot do is done by small passes over the events:
//! footnotes are collected and numbered in order of first reference, headings get
//! unique ids and make the table of contents.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use ammonia::{Builder, Url, UrlRelative};
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html,
};
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
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);

    let (mut body, mut notes) = split_footnotes(Parser::new_ext(markdown, options));

    // Heading ids first, for the whole body, so that footnote ids (allocated while
    // rewriting) can never take an id a later heading would want.
    let mut ids = Ids::default();
    let mut toc = Vec::new();
    assign_heading_ids(&mut body, &mut ids, Some(&mut toc));
    for note in &mut notes {
        assign_heading_ids(&mut note.events, &mut ids, None);
    }

    let mut rewriter = Rewriter::new(ids, &notes);
    rewriter.rewrite(body);
    rewriter.footnotes(notes);

    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut out, rewriter.events.into_iter());
    Rendered {
        html: SANITIZER.clean(&out).to_string(),
        toc,
        internal_links: rewriter.internal_links,
    }
}
// ---------------------------------------------------------------------------------
// Footnotes and headings: passes over the events before writing.

struct Note<'a> {
    /// The label as written, case-folded (labels match case-insensitively).
    key: String,
    events: Vec<Event<'a>>,
}

/// Separates footnote definitions from the body: they are written at the end, in the
/// order of their first reference. A label defined twice keeps its first definition.
fn split_footnotes<'a>(events: impl Iterator<Item = Event<'a>>) -> (Vec<Event<'a>>, Vec<Note<'a>>) {
    let mut body = Vec::new();
    let mut notes: Vec<Note<'a>> = Vec::new();
    let mut current: Option<Note<'a>> = None;
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) if current.is_none() => {
                current = Some(Note {
                    key: label.to_lowercase(),
                    events: Vec::new(),
                });
                depth = 0;
            }
            Event::End(TagEnd::FootnoteDefinition) if current.is_some() && depth == 0 => {
                if let Some(note) = current.take()
                    && !notes.iter().any(|n| n.key == note.key)
                {
                    notes.push(note);
                }
            }
            event => match current.as_mut() {
                Some(note) => {
                    match event {
                        Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                        Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    note.events.push(event);
                }
                None => body.push(event),
            },
        }
    }
    if let Some(note) = current
        && !notes.iter().any(|n| n.key == note.key)
    {
        notes.push(note);
    }
    (body, notes)
}

/// Gives every heading a unique id (the slug of its `{#id}` if it has one, else of its
/// text) and records it in the table of contents. Its classes and attributes are
/// dropped later, by the rewriter.
fn assign_heading_ids(events: &mut [Event<'_>], ids: &mut Ids, mut toc: Option<&mut Vec<Heading>>) {
    let mut i = 0;
    while i < events.len() {
        if !matches!(events[i], Event::Start(Tag::Heading { .. })) {
            i += 1;
            continue;
        }
        let end = events[i + 1..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + 1 + p);
        let text = plain_text(&events[i + 1..end]);
        if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[i] {
            let base = id
                .as_deref()
                .map(slugify)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| slugify(&text));
            let unique = ids.unique(&base);
            if let Some(toc) = toc.as_deref_mut() {
                toc.push(Heading {
                    level: *level as u8,
                    id: unique.clone(),
                    text,
                });
            }
            *id = Some(CowStr::from(unique));
        }
        i = end;
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
    let mut pending_dash = false;
    let push = |slug: &mut String, c: char, pending_dash: &mut bool| {
        if *pending_dash && !slug.is_empty() {
            slug.push('-');
        }
        *pending_dash = false;
        slug.push(c);
    };
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            push(&mut slug, c, &mut pending_dash);
        } else if let Some(base) = transliterate(c) {
            for b in base.chars() {
                push(&mut slug, b, &mut pending_dash);
            }
        } else if !matches!(c, '\'' | '\u{2019}' | '\u{0300}'..='\u{036f}') {
            pending_dash = true;
        }
    }
    if slug.len() > MAX_SLUG {
        slug.truncate(MAX_SLUG);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// Base letters for the accented lower-case Latin letters in common use.
/// The base letter(s) of a Latin letter with a diacritic, if it has one.
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
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    /// `base`, or `base-2`, `base-3`... whichever is free first.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }
}

// ---------------------------------------------------------------------------------
// Links.

/// What a link destination becomes.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// An item of the bundle, with an optional heading.
    Internal { id: &'a str, fragment: &'a str },
    /// A web page, an email address or a phone number, kept as written.
    External(&'a str),
    /// A heading or footnote of the same body.
    Fragment(&'a str),
    /// Anything else: the link is dropped and its text kept.
    Text,
}

fn classify(dest: &str) -> Target<'_> {
    // Browsers drop tabs and newlines inside URLs and strip leading controls, which
    // turns `java\tscript:` into `javascript:`; no legitimate destination has them.
    if dest.is_empty() || dest.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Target::Text;
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return if fragment.is_empty() {
            Target::Text
        } else {
            Target::Fragment(fragment)
        };
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
            return match Url::parse(dest) {
                Ok(url) if url.scheme() == scheme => Target::External(dest),
                _ => Target::Text,
            };
        }
    }
    let (id, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    if csec_bundle::is_valid_id(id) {
        Target::Internal { id, fragment }
    } else {
        Target::Text
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so that a fragment
/// can neither become a route (`#/item/...`) nor add query parameters.
fn percent_encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

// ---------------------------------------------------------------------------------
// The rewriting pass: turns the parser's events into the events pulldown-cmark's
// writer is given.

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The language of a fenced code block, if it is a plain word.
fn language(info: &str) -> Option<String> {
    let lang = info.split_whitespace().next()?.to_ascii_lowercase();
    is_language(&lang).then_some(lang)
}

fn is_language(lang: &str) -> bool {
    !lang.is_empty()
        && lang.len() <= 32
        && lang.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || matches!(b, b'+' | b'#' | b'_' | b'.' | b'-')
        })
}

/// An `Html` event holding markup made here (never text from the input unescaped).
fn markup<'a>(html: impl Into<CowStr<'a>>) -> Event<'a> {
    Event::Html(html.into())
}

/// Where the rewriter is in a table: pulldown-cmark's writer would put alignment in a
/// `style`, so cells are written here, with a class.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

/// One numbered footnote.
struct Slot {
    /// Index into the notes.
    note: usize,
    /// The `id` of its list item.
    id: String,
    /// The `id` of its first reference, if it has one.
    ref_id: Option<String>,
}

struct Rewriter<'a> {
    /// What pulldown-cmark's writer is given.
    events: Vec<Event<'a>>,
    ids: Ids,
    internal_links: Vec<String>,
    /// For each open link: whether an `<a>` was written for it.
    links: Vec<bool>,
    table: TableState,
    /// Case-folded label to note index.
    labels: HashMap<String, usize>,
    /// Note index to slot index (footnote number - 1).
    slot_of: Vec<Option<usize>>,
    slots: Vec<Slot>,
}

impl<'a> Rewriter<'a> {
    fn new(ids: Ids, notes: &[Note<'_>]) -> Self {
        Rewriter {
            events: Vec::new(),
            ids,
            internal_links: Vec::new(),
            links: Vec::new(),
            table: TableState::default(),
            labels: notes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.key.clone(), i))
                .collect(),
            slot_of: vec![None; notes.len()],
            slots: Vec::new(),
        }
    }

    fn rewrite(&mut self, events: Vec<Event<'a>>) {
        for event in events {
            self.event(event);
        }
    }

    // The matches below list every variant, so that a new kind of event in a later
    // pulldown-cmark cannot reach the writer without a decision here.
    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            // Math is not enabled; should it appear, it is text, not the writer's <span>.
            Event::InlineMath(t) | Event::DisplayMath(t) => self.events.push(Event::Text(t)),
            // Raw HTML never reaches the output; `csec check` refuses it in content.
            // This is also what makes every `Html` event the writer sees our own.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(label) => self.footnote_ref(&label),
            // Task lists are not enabled; a checkbox would be an <input>.
            Event::TaskListMarker(_) => {}
            event @ (Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Rule) => self.events.push(event),
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        let tag = match tag {
            // Only the id given by `assign_heading_ids`: no classes or attributes.
            Tag::Heading { level, id, .. } => Tag::Heading {
                level,
                id,
                classes: Vec::new(),
                attrs: Vec::new(),
            },
            // The writer uses the first word of the info string as the class; give it
            // only a checked language, or nothing.
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Tag::CodeBlock(CodeBlockKind::Fenced(
                language(&info).map_or(CowStr::Borrowed(""), CowStr::from),
            )),
            // GitHub alerts are not enabled; never a class on the quote.
            Tag::BlockQuote(_) => Tag::BlockQuote(None),
            Tag::Table(alignments) => {
                self.table = TableState {
                    alignments,
                    ..TableState::default()
                };
                Tag::Table(Vec::new())
            }
            Tag::TableHead => {
                self.table.in_head = true;
                self.table.cell = 0;
                Tag::TableHead
            }
            Tag::TableRow => {
                self.table.cell = 0;
                Tag::TableRow
            }
            Tag::TableCell => {
                let class = match self.table.alignments.get(self.table.cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    Some(Alignment::None) | None => "",
                };
                let cell = if self.table.in_head { "th" } else { "td" };
                self.events.push(markup(format!("<{cell}{class}>")));
                return;
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                self.start_link(link_type, &dest_url);
                return;
            }
            // Images are not shown: their alt text follows as ordinary text.
            Tag::Image { .. }
            // Extracted before rewriting, or not enabled; their content stays.
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => return,
            tag @ (Tag::Paragraph
            | Tag::CodeBlock(CodeBlockKind::Indented)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough) => tag,
        };
        self.events.push(Event::Start(tag));
    }

    fn end(&mut self, tag: TagEnd) {
        let tag = match tag {
            TagEnd::BlockQuote(_) => TagEnd::BlockQuote(None),
            TagEnd::TableHead => {
                self.table.in_head = false;
                TagEnd::TableHead
            }
            TagEnd::Table => {
                self.table = TableState::default();
                TagEnd::Table
            }
            TagEnd::TableCell => {
                let cell = if self.table.in_head { "th" } else { "td" };
                self.events.push(markup(format!("</{cell}>")));
                self.table.cell += 1;
                return;
            }
            TagEnd::Link => {
                if self.links.pop() == Some(true) {
                    self.events.push(markup("</a>"));
                }
                return;
            }
            TagEnd::Image
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => return,
            tag @ (TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::TableRow
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough) => tag,
        };
        self.events.push(Event::End(tag));
    }

    fn in_link(&self) -> bool {
        self.links.contains(&true)
    }

    /// The writer's `<a>` can carry neither a class nor `rel`/`target`, and would
    /// percent-encode the destination differently, so links are written here.
    fn start_link(&mut self, link_type: LinkType, dest: &str) {
        let mailto;
        let dest = if link_type == LinkType::Email {
            mailto = format!("mailto:{dest}");
            mailto.as_str()
        } else {
            dest
        };
        // A link inside a link would be split by the browser's parser: keep the outer.
        let target = if self.in_link() {
            Target::Text
        } else {
            classify(dest)
        };
        let mut out = String::new();
        match target {
            Target::Internal { id, fragment } => {
                out.push_str("<a href=\"#/item/");
                out.push_str(id);
                if !fragment.is_empty() {
                    out.push_str("?h=");
                    percent_encode(&mut out, fragment);
                }
                out.push_str("\" class=\"internal\">");
                if !self.internal_links.iter().any(|l| l == id) {
                    self.internal_links.push(id.to_owned());
                }
            }
            Target::External(url) => {
                out.push_str("<a href=\"");
                escape(&mut out, url);
                out.push_str(
                    "\" class=\"external\" rel=\"noopener noreferrer\" target=\"_blank\">",
                );
            }
            Target::Fragment(fragment) => {
                out.push_str("<a href=\"#");
                percent_encode(&mut out, fragment);
                out.push_str("\" class=\"fragment\">");
            }
            Target::Text => {
                self.links.push(false);
                return;
            }
        }
        self.events.push(markup(out));
        self.links.push(true);
    }

    /// The slot of a note, numbering it if this is its first appearance.
    fn slot_for(&mut self, note: usize) -> usize {
        if let Some(Some(slot)) = self.slot_of.get(note) {
            return *slot;
        }
        let slot = self.slots.len();
        let id = self.ids.unique(&format!("fn-{}", slot + 1));
        self.slots.push(Slot {
            note,
            id,
            ref_id: None,
        });
        if let Some(entry) = self.slot_of.get_mut(note) {
            *entry = Some(slot);
        }
        slot
    }

    /// The writer numbers footnotes in order of appearance of either a reference or a
    /// definition, and links to the label; ours are numbered by first reference and
    /// link to ids that cannot collide with headings.
    fn footnote_ref(&mut self, label: &str) {
        let Some(&note) = self.labels.get(&label.to_lowercase()) else {
            self.events.push(Event::Text(format!("[^{label}]").into()));
            return;
        };
        let slot = self.slot_for(note);
        let number = slot + 1;
        if self.in_link() {
            self.events.push(markup(format!("<sup>{number}</sup>")));
            return;
        }
        let Some(entry) = self.slots.get_mut(slot) else {
            return;
        };
        let note_id = entry.id.clone();
        let mut out = String::from("<sup");
        if entry.ref_id.is_none() {
            let ref_id = self.ids.unique(&format!("fnref-{number}"));
            let _ = write!(out, " id=\"{ref_id}\"");
            if let Some(entry) = self.slots.get_mut(slot) {
                entry.ref_id = Some(ref_id);
            }
        }
        let _ = write!(
            out,
            "><a href=\"#{note_id}\" class=\"footnote-ref\">{number}</a></sup>"
        );
        self.events.push(markup(out));
    }

    /// Appends the footnotes, in the order of their first reference (references inside
    /// footnotes included), then any that are never referenced.
    fn footnotes(&mut self, notes: Vec<Note<'a>>) {
        let count = notes.len();
        let mut notes: Vec<Option<Vec<Event<'a>>>> =
            notes.into_iter().map(|n| Some(n.events)).collect();
        let mut next = 0;
        let mut unreferenced = 0;
        let mut opened = false;
        loop {
            while let Some(slot) = self.slots.get(next) {
                let (note, id, ref_id) = (slot.note, slot.id.clone(), slot.ref_id.clone());
                if !opened {
                    opened = true;
                    self.events
                        .push(markup("<section class=\"footnotes\">\n<ol>\n"));
                }
                self.events.push(markup(format!("<li id=\"{id}\">")));
                // Each note has one slot, so its events are taken exactly once.
                let mut events = notes
                    .get_mut(note)
                    .and_then(Option::take)
                    .unwrap_or_default();
                // The back link goes inside the last paragraph, as on GitHub.
                let close_paragraph = matches!(events.last(), Some(Event::End(TagEnd::Paragraph)));
                if close_paragraph {
                    events.pop();
                }
                self.rewrite(events);
                if let Some(ref_id) = ref_id {
                    self.events.push(markup(format!(
                        " <a href=\"#{ref_id}\" class=\"footnote-backref\">\u{21a9}</a>"
                    )));
                }
                if close_paragraph {
                    self.events.push(Event::End(TagEnd::Paragraph));
                }
                self.events.push(markup("</li>\n"));
                next += 1;
            }
            while self.slot_of.get(unreferenced).is_some_and(Option::is_some) {
                unreferenced += 1;
            }
            if unreferenced >= count {
                break;
            }
            self.slot_for(unreferenced);
        }
        if opened {
            self.events.push(markup("</ol>\n</section>\n"));
        }
    }
}

// ---------------------------------------------------------------------------------
// The sanitiser.

/// Exactly the tags the rewritten events make pulldown-cmark's writer produce.
const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "section",
];

/// Tags removed with their content, should one ever reach the sanitiser.
const CLEAN_CONTENT_TAGS: &[&str] = &[
    "script", "style", "iframe", "noscript", "noembed", "noframes", "template", "xmp", "svg",
    "math", "object", "embed", "textarea", "title", "select",
];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let set = |items: &[&'static str]| items.iter().copied().collect::<HashSet<_>>();
    let mut tag_attributes = HashMap::new();
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        tag_attributes.insert(heading, set(&["id"]));
    }
    tag_attributes.insert("a", set(&["href", "rel", "target"]));
    tag_attributes.insert("sup", set(&["id"]));
    tag_attributes.insert("li", set(&["id"]));
    tag_attributes.insert("ol", set(&["start"]));
    tag_attributes.insert("code", set(&["class"]));

    let mut allowed_classes = HashMap::new();
    allowed_classes.insert(
        "a",
        set(&[
            "internal",
            "external",
            "fragment",
            "footnote-ref",
            "footnote-backref",
        ]),
    );
    for cell in ["th", "td"] {
        allowed_classes.insert(cell, set(&["align-left", "align-center", "align-right"]));
    }
    allowed_classes.insert("section", set(&["footnotes"]));

    let mut builder = Builder::default();
    builder
        .tags(set(TAGS))
        .clean_content_tags(set(CLEAN_CONTENT_TAGS))
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .tag_attributes(tag_attributes)
        .tag_attribute_values(HashMap::new())
        .set_tag_attribute_values(HashMap::new())
        .allowed_classes(allowed_classes)
        .url_schemes(set(&["https", "http", "mailto", "tel"]))
        .url_relative(UrlRelative::Custom(Box::new(keep_fragment)))
        .link_rel(None)
        .id_prefix(None)
        .strip_comments(true)
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
        ("a", "rel") => value == "noopener noreferrer",
        ("a", "target") => value == "_blank",
        ("code", "class") => value.strip_prefix("language-").is_some_and(is_language),
        ("ol", "start") => {
            !value.is_empty() && value.len() <= 19 && value.bytes().all(|b| b.is_ascii_digit())
        }
        (_, "id") => {
            !value.is_empty()
                && value.len() <= 128
                && value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        render_markdown(markdown).html
    }

    fn heading(level: u8, id: &str, text: &str) -> Heading {
        Heading {
            level,
            id: id.to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn headings_get_unique_slug_ids() {
        let r = render_markdown("## Intro\n\n## Intro\n\n### Intro\n\n## Intro 2\n");
        assert_eq!(
            r.toc,
            vec![
                heading(2, "intro", "Intro"),
                heading(2, "intro-2", "Intro"),
                heading(3, "intro-3", "Intro"),
                heading(2, "intro-2-2", "Intro 2"),
            ]
        );
        assert!(r.html.contains("<h2 id=\"intro\">Intro</h2>"), "{}", r.html);
        assert!(
            r.html.contains("<h3 id=\"intro-3\">Intro</h3>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_slugs_fold_accents_and_drop_other_scripts() {
        let r = render_markdown(
            "# Año señal\n\n## Café crème: ¿qué?\n\n## Children's law (WIC § 300)\n\n## 日本語\n\n## 日本語\n\n## ÉLAN — Über\n",
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ano-senal",
                "cafe-creme-que",
                "childrens-law-wic-300",
                "section",
                "section-2",
                "elan-uber"
            ]
        );
        assert_eq!(r.toc[0].level, 1);
        assert_eq!(r.toc[0].text, "Año señal");
        assert_eq!(r.toc[1].text, "Café crème: ¿qué?");
    }

    #[test]
    fn heading_text_is_plain_and_attributes_are_dropped() {
        let r = render_markdown(
            "## The `csec` *tool* and [a link](https://example.org)\n\n## Custom {#My-Id .big onclick=alert(1) style=color:red}\n",
        );
        assert_eq!(
            r.toc[0],
            heading(2, "the-csec-tool-and-a-link", "The csec tool and a link")
        );
        assert_eq!(r.toc[1], heading(2, "my-id", "Custom"));
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
        let r = render_markdown(
            "See [ACL 16-49](guidance/acl-16-49), [SB 855](timeline/2014-sb-855#what-changed) \
             and [again](guidance/acl-16-49#top).",
        );
        assert_eq!(
            r.html,
            "<p>See <a href=\"#/item/guidance/acl-16-49\" class=\"internal\">ACL 16-49</a>, \
             <a href=\"#/item/timeline/2014-sb-855?h=what-changed\" class=\"internal\">SB 855</a> \
             and <a href=\"#/item/guidance/acl-16-49?h=top\" class=\"internal\">again</a>.</p>\n"
        );
        assert_eq!(
            r.internal_links,
            ["guidance/acl-16-49", "timeline/2014-sb-855"]
        );
    }

    #[test]
    fn internal_fragments_cannot_add_parameters_or_routes() {
        let r = render_markdown("[x](reports/a#b&c=d/../e) [y](#/item/x) [z](#notes)");
        assert!(
            r.html
                .contains("href=\"#/item/reports/a?h=b%26c%3Dd%2F..%2Fe\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<a href=\"#%2Fitem%2Fx\" class=\"fragment\">y</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<a href=\"#notes\" class=\"fragment\">z</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn relative_paths_that_are_not_ids_lose_their_link() {
        for dest in [
            "guidance/ACL-16-49",
            "./guidance/acl-16-49",
            "/guidance/acl-16-49",
            "guide/acl-16-49",
            "guidance/a/b",
            "guidance/",
            "../etc/passwd",
            "//evil.example/x",
            "#",
            "ftp://example.org/x",
            "https:example.org",
            "file:///etc/passwd",
        ] {
            let r = render_markdown(&format!("[text]({dest})"));
            assert_eq!(r.html, "<p>text</p>\n", "{dest}");
            assert!(r.internal_links.is_empty());
        }
    }

    #[test]
    fn external_links_open_outside() {
        let r = render_markdown(
            "[CDSS](https://www.cdss.ca.gov/a?b=1&c=2) [mail](mailto:csec@example.org) \
             [call](tel:+1-916-555-0100) <https://example.org> <help@example.org> [old](HTTP://example.org)",
        );
        let attrs = "class=\"external\" rel=\"noopener noreferrer\" target=\"_blank\"";
        for href in [
            "https://www.cdss.ca.gov/a?b=1&amp;c=2",
            "mailto:csec@example.org",
            "tel:+1-916-555-0100",
            "https://example.org",
            "mailto:help@example.org",
            "HTTP://example.org",
        ] {
            assert!(
                r.html.contains(&format!("<a href=\"{href}\" {attrs}>")),
                "{href}: {}",
                r.html
            );
        }
        assert!(r.internal_links.is_empty());
    }

    #[test]
    fn tables_use_classes_for_alignment() {
        let r = html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
        assert_eq!(
            r,
            "<table><thead><tr><th class=\"align-left\">a</th><th class=\"align-center\">b</th>\
             <th class=\"align-right\">c</th></tr></thead><tbody>\n<tr><td class=\"align-left\">1</td>\
             <td class=\"align-center\">2</td><td class=\"align-right\">3</td></tr>\n</tbody></table>\n"
        );
        let head_only = html("| a |\n|---|\n");
        assert_eq!(
            head_only,
            // pulldown-cmark's writer always opens a body, even an empty one.
            "<table><thead><tr><th>a</th></tr></thead><tbody>\n</tbody></table>\n"
        );
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference() {
        let r = render_markdown(
            "Second[^b] and first[^a] and again[^b].\n\n[^a]: Note A.\n[^b]: Note B, see [^a].\n[^c]: Never used.\n",
        );
        assert_eq!(
            r.html,
            "<p>Second<sup id=\"fnref-1\"><a href=\"#fn-1\" class=\"footnote-ref\">1</a></sup> \
             and first<sup id=\"fnref-2\"><a href=\"#fn-2\" class=\"footnote-ref\">2</a></sup> \
             and again<sup><a href=\"#fn-1\" class=\"footnote-ref\">1</a></sup>.</p>\n\
             <section class=\"footnotes\">\n<ol>\n\
             <li id=\"fn-1\">\n<p>Note B, see <sup><a href=\"#fn-2\" class=\"footnote-ref\">2</a></sup>. \
             <a href=\"#fnref-1\" class=\"footnote-backref\">\u{21a9}</a></p>\n</li>\n\
             <li id=\"fn-2\">\n<p>Note A. <a href=\"#fnref-2\" class=\"footnote-backref\">\u{21a9}</a></p>\n</li>\n\
             <li id=\"fn-3\">\n<p>Never used.</p>\n</li>\n\
             </ol>\n</section>\n"
        );
    }

    #[test]
    fn footnote_ids_never_collide_with_headings() {
        let r = render_markdown("## Fn 1\n\nText[^x].\n\n## Fnref 1\n\n[^x]: Note.\n");
        assert_eq!(r.toc[0].id, "fn-1");
        assert_eq!(r.toc[1].id, "fnref-1");
        assert!(
            r.html.contains("<sup id=\"fnref-1-2\"><a href=\"#fn-1-2\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<li id=\"fn-1-2\">"), "{}", r.html);
    }

    #[test]
    fn undefined_footnotes_stay_text() {
        assert_eq!(html("See [^nope]."), "<p>See [^nope].</p>\n");
    }

    #[test]
    fn strikethrough_emphasis_lists_quotes_and_code() {
        assert_eq!(
            html("~~old~~ *new* **bold** `x<y`"),
            "<p><del>old</del> <em>new</em> <strong>bold</strong> <code>x&lt;y</code></p>\n"
        );
        assert_eq!(
            html("3. a\n4. b\n"),
            "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n"
        );
        assert_eq!(
            html("> quote\n"),
            "<blockquote>\n<p>quote</p>\n</blockquote>\n"
        );
        assert_eq!(
            html("```rust extra\nfn main() {}\n```\n"),
            "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
        );
        assert_eq!(
            html("```\"><script>alert(1)</script>\nx\n```\n"),
            "<pre><code>x\n</code></pre>\n"
        );
        assert_eq!(html("a  \nb\n\n---\n"), "<p>a<br>\nb</p>\n<hr>\n");
    }

    #[test]
    fn raw_html_and_images_are_dropped() {
        assert_eq!(html("a <b>bold</b> c"), "<p>a bold c</p>\n");
        assert_eq!(
            html("<div onclick=\"x()\">\nblock\n</div>\n\nafter"),
            "<p>after</p>\n"
        );
        assert_eq!(
            html("![a chart](https://example.org/c.png)"),
            "<p>a chart</p>\n"
        );
        assert_eq!(
            html("[![logo](x.png)](https://example.org)"),
            "<p><a href=\"https://example.org\" class=\"external\" rel=\"noopener noreferrer\" \
             target=\"_blank\">logo</a></p>\n"
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for input in [
            "",
            "[^a]:",
            "[^a]: [^a]\n\n[^a]",
            "# {#}",
            "#",
            "| |\n|-|\n| | | |",
            "[x]([y](z))",
            "[a](<guidance/acl-16-49>)",
            "\u{0}\u{1}\u{7f}",
            "- [ ] task",
            "> [^x]: in quote\n\n[^x]",
            "## \u{301}\u{301}",
        ] {
            let _ = render_markdown(input);
        }
    }

    #[test]
    fn classify_is_an_allowlist() {
        assert_eq!(
            classify("https://example.org"),
            Target::External("https://example.org")
        );
        assert_eq!(
            classify("guidance/acl-16-49#x"),
            Target::Internal {
                id: "guidance/acl-16-49",
                fragment: "x"
            }
        );
        for bad in [
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
            assert_eq!(classify(bad), Target::Text, "{bad:?}");
        }
    }
}
