//! Loading `content/`: walk the tree, parse each file by its kind, then check the
//! links between files. Every problem is collected; nothing stops at the first.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use csec_bundle::{
    ATTACHMENT_CAP, Agency, Attachment, Audience, Contact, County, Details, EventType,
    GuidanceStatus, GuidanceType, Item, Kind, Lang, Phone, PhoneType, Program, Resource, Role,
    Scope, Source, SynonymGroup, is_valid_id, sha256_hex,
};
use pulldown_cmark::{Event, Parser, Tag};
use thiserror::Error;
use toml::de::DeTable;

use crate::checks;
use crate::counties::county_by_name;
use crate::fields::{Fields, Lines, Need};
use crate::problem::{Diagnostics, Problem};

/// Valid content, ready to be built into a bundle.
#[derive(Debug)]
pub struct Content {
    /// Sorted by id.
    pub items: Vec<Item>,
    /// From `content/edition.toml`: when the publisher last reviewed the whole
    /// edition (`YYYY-MM-DD`), if the tree says.
    pub reviewed: Option<String>,
    /// Where each attachment's bytes are, by SHA-256: a file beside the item that
    /// lists it, read and checked when the tree was loaded.
    pub attachment_files: BTreeMap<String, PathBuf>,
}

/// The file at the top of `content/` that describes the edition as a whole.
pub const EDITION_FILE: &str = "edition.toml";

impl Content {
    pub fn count(&self, kind: Kind) -> usize {
        self.items.iter().filter(|i| i.kind() == kind).count()
    }

    /// `27 timeline, 16 guidance, 3 reports, 58 counties, 1 resources, 6 guides`,
    /// then how many of those are translations.
    pub fn summary(&self) -> String {
        let counts = Kind::ALL
            .iter()
            .map(|k| format!("{} {}", self.count(*k), k.dir()))
            .collect::<Vec<_>>()
            .join(", ");
        let translated = self.items.iter().filter(|i| i.lang != Lang::En).count();
        format!("{counts}; {translated} of these are translations")
    }

    /// Contacts that are placeholders, as `counties/fresno: probation`.
    pub fn unverified_contacts(&self) -> Vec<String> {
        let mut found = Vec::new();
        for item in &self.items {
            match &item.details {
                Details::County(c) => found.extend(
                    c.agencies
                        .iter()
                        .filter(|a| !a.contact.verified)
                        .map(|a| format!("{}: {}", item.id, a.role)),
                ),
                Details::Resource(r) if !r.contact.verified => found.push(item.id.clone()),
                _ => {}
            }
        }
        found
    }
}

#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{0} is not a directory; give the path of the content/ folder")]
    NotADirectory(String),
    #[error("could not read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The content has problems; each is a `path:line: message`.
    #[error("{} problem{} in the content", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Problem>),
}

/// A link to another item, resolved once every file has been read.
struct Reference {
    path: String,
    line: usize,
    target: String,
    what: &'static str,
    /// The kind the target must have, if any.
    must_be: Option<Kind>,
}

#[derive(Default)]
struct Loader {
    items: Vec<(String, Item)>,
    /// Every file with a well-formed id, valid or not: a link to a file that has its
    /// own problems is not also reported as a link to nothing.
    present: HashMap<String, Kind>,
    problems: Vec<Problem>,
    references: Vec<Reference>,
    reviewed: Option<String>,
    attachment_files: BTreeMap<String, PathBuf>,
    /// Files in a content folder that some item lists as an attachment.
    attached: std::collections::HashSet<PathBuf>,
}

/// Reads and validates the whole content tree at `dir`.
pub fn load(dir: &Path) -> Result<Content, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NotADirectory(dir.display().to_string()));
    }
    let mut loader = Loader::default();
    for entry in sorted_entries(dir)? {
        let name = file_name(&entry);
        if name.starts_with('.') {
            continue;
        }
        match Kind::from_dir(&name) {
            Some(kind) if entry.is_dir() => loader.load_kind(kind, &entry)?,
            _ if name == "README.md" && entry.is_file() => {}
            _ if name == EDITION_FILE && entry.is_file() => loader.load_edition(&entry)?,
            _ => loader.problem(
                &entry,
                1,
                "not a content file: items belong in timeline/, guidance/, reports/, guides/, counties/ or resources/",
            ),
        }
    }
    loader.check_across_files();
    let Loader {
        mut items,
        mut problems,
        reviewed,
        attachment_files,
        ..
    } = loader;
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(LoadError::Invalid(problems));
    }
    items.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    Ok(Content {
        items: items.into_iter().map(|(_, item)| item).collect(),
        reviewed,
        attachment_files,
    })
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Loader {
    fn problem(&mut self, path: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.display().to_string(),
            line,
            message: message.into(),
        });
    }

    /// `edition.toml`: `reviewed = "YYYY-MM-DD"`, the day the publisher last went
    /// through the whole edition.
    fn load_edition(&mut self, path: &Path) -> Result<(), LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut out = Diagnostics::default();
        if let Some(table) = parse_toml(&text, 1, &mut out) {
            let mut fields = Fields::new(table.get_ref(), Lines::new(&text, 1), 1);
            self.reviewed = date_field(
                &mut fields,
                &mut out,
                "reviewed",
                Need::Required,
                checks::full_date,
            );
            fields.finish(&mut out);
        }
        self.problems
            .extend(out.into_problems(&path.display().to_string()));
        Ok(())
    }

    fn load_kind(&mut self, kind: Kind, dir: &Path) -> Result<(), LoadError> {
        let paths = sorted_entries(dir)?;
        let names: Vec<String> = paths.iter().map(|p| file_name(p)).collect();
        let mut loose = Vec::new();
        for path in paths {
            let name = file_name(&path);
            if name.starts_with('.') {
                continue;
            }
            // Two files whose names differ only in case cannot both exist on the
            // publisher's macOS or Windows machine, and would be one id to a reader.
            let lower = name.to_lowercase();
            if lower != name && names.contains(&lower) {
                self.problem(
                    &path,
                    1,
                    format!(
                        "duplicate id: {}/{lower} differs only in letter case; ids (and file names) must be unique and lower case",
                        dir.display()
                    ),
                );
                continue;
            }
            let expected = kind.extension();
            let Some(slug) = name
                .strip_suffix(&format!(".{expected}"))
                .filter(|_| path.is_file())
            else {
                // Perhaps an attachment: known once every item here has been read.
                loose.push(path);
                continue;
            };
            let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
                path: path.display().to_string(),
                source,
            })?;
            let shown = path.display().to_string();
            let mut out = Diagnostics::default();
            let id = format!("{}/{slug}", kind.dir());
            if !is_valid_id(&id) {
                out.push(
                    1,
                    format!(
                        "file name {name:?} must be lower-case letters, digits and single dashes, like {}",
                        example_name(kind)
                    ),
                );
            }
            if is_valid_id(&id) {
                self.present.insert(id.clone(), kind);
            }
            let item = match std::str::from_utf8(&bytes) {
                Err(e) => {
                    let line = 1 + bytes[..e.valid_up_to()]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count();
                    out.push(line, "the file is not UTF-8 text; save it as UTF-8");
                    None
                }
                Ok(text) => self.parse_item(kind, &id, &shown, text, &mut out),
            };
            let clean = out.is_empty();
            self.problems.extend(out.into_problems(&shown));
            if let (Some(item), true) = (item, clean) {
                self.items.push((shown, item));
            }
        }
        let expected = kind.extension();
        for path in loose {
            if !self.attached.contains(&path) {
                let also = if expected == "md" {
                    " and the files an item lists under [[attachments]]"
                } else {
                    ""
                };
                self.problem(
                    &path,
                    1,
                    format!(
                        "not a content file: {}/ holds only .{expected} files{also}",
                        kind.dir()
                    ),
                );
            }
        }
        Ok(())
    }

    fn parse_item(
        &mut self,
        kind: Kind,
        id: &str,
        path: &str,
        text: &str,
        out: &mut Diagnostics,
    ) -> Option<Item> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (toml_text, first_line, body, body_line) = match kind.extension() {
            "md" => split_front_matter(text, out)?,
            _ => (text, 1, "", 0),
        };
        let table = parse_toml(toml_text, first_line, out)?;
        let lines = Lines::new(toml_text, first_line);
        let mut fields = Fields::new(table.get_ref(), lines, first_line.saturating_sub(1).max(1));
        let mut refs = Vec::new();
        let mut item = match kind {
            Kind::County => read_county(id, &mut fields, out),
            Kind::Resource => read_resource(id, &mut fields, out, &mut refs),
            Kind::Synonyms => read_synonyms(id, &mut fields, out),
            _ => read_document(kind, id, &mut fields, body, out, &mut refs),
        };
        if kind.extension() == "md" {
            let dir = Path::new(path).parent().unwrap_or(Path::new("."));
            let attachments = self.read_attachments(&mut fields, out, dir);
            if let Some(item) = &mut item {
                item.attachments = attachments;
            }
        }
        fields.finish(out);
        if kind.extension() == "md" {
            check_body(body, body_line, out, &mut refs);
        }
        for (line, target, what, must_be) in refs {
            self.references.push(Reference {
                path: path.to_string(),
                line,
                target,
                what,
                must_be,
            });
        }
        item
    }

    /// `[[attachments]]`: each a `file` beside the item and the `title` a reader sees.
    /// Every file is read here, so that its hash and size are known and a missing,
    /// empty, oversized or mislabelled one is reported at its line.
    fn read_attachments(
        &mut self,
        fields: &mut Fields,
        out: &mut Diagnostics,
        dir: &Path,
    ) -> Vec<Attachment> {
        let mut found: Vec<Attachment> = Vec::new();
        for mut table in fields
            .tables(out, "attachments", Need::Optional)
            .unwrap_or_default()
        {
            let file = table.string(out, "file", Need::Required);
            let title = table.string(out, "title", Need::Required);
            let name = table.name("file");
            table.finish(out);
            let (Some((file, line)), Some((title, _))) = (file, title) else {
                continue;
            };
            if found.iter().any(|a| a.file_name == file) {
                out.push(line, format!("`{name}`: {file} is listed twice"));
                continue;
            }
            match attachment_file(dir, &file, title) {
                Ok((attachment, path)) => {
                    self.attached.insert(path.clone());
                    self.attachment_files
                        .insert(attachment.sha256.clone(), path);
                    found.push(attachment);
                }
                Err(why) => {
                    self.attached.insert(dir.join(&file));
                    out.push(line, format!("`{name}`: {why}"));
                }
            }
        }
        found
    }

    fn check_across_files(&mut self) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut extra = Vec::new();
        for (path, item) in &self.items {
            for (key, what) in unique_keys(item) {
                if let Some(first) = seen.get(&key) {
                    extra.push(Problem {
                        path: path.clone(),
                        line: 1,
                        message: format!("duplicate {what}: already used by {first}"),
                    });
                } else {
                    seen.insert(key, path.clone());
                }
            }
        }
        for r in &self.references {
            let target = r.target.split('#').next().unwrap_or_default();
            let message = match self.present.get(target) {
                _ if !is_valid_id(target) => Some(format!(
                    "{} {:?} is not an item id; write ids like guidance/acl-16-49 or timeline/2014-sb-855",
                    r.what, r.target
                )),
                None => Some(format!("{} {} does not exist", r.what, target)),
                Some(kind) => r
                    .must_be
                    .filter(|k| k != kind)
                    .map(|k| format!("{} {} is a {kind} item, not {k}", r.what, target)),
            };
            if let Some(message) = message {
                extra.push(Problem {
                    path: r.path.clone(),
                    line: r.line,
                    message,
                });
            }
        }
        extra.extend(self.translation_problems());
        self.problems.extend(extra);
    }

    /// Guides and resources must have a Spanish version; a resource's translation
    /// must list the same phones; a translation must translate an English item.
    fn translation_problems(&self) -> Vec<Problem> {
        let by_id: HashMap<&str, &Item> =
            self.items.iter().map(|(_, i)| (i.id.as_str(), i)).collect();
        let mut found = Vec::new();
        for (path, item) in &self.items {
            let mut problem = |message: String| {
                found.push(Problem {
                    path: path.clone(),
                    line: 1,
                    message,
                })
            };
            match (&item.translation_of, item.lang) {
                (None, Lang::En) if matches!(item.kind(), Kind::Guide | Kind::Resource) => {
                    let spanish = format!("{}-es", item.id);
                    if !self.present.contains_key(&spanish) {
                        problem(format!(
                            "{} has no Spanish version: every {} needs one, at {spanish}.{} with lang = \"es\" and translation_of = \"{}\"",
                            item.id,
                            item.kind(),
                            item.kind().extension(),
                            item.id
                        ));
                    }
                }
                (Some(original), _) => match by_id.get(original.as_str()) {
                    Some(o) if o.lang != Lang::En => problem(format!(
                        "translation_of {original} is itself a translation; name the English item"
                    )),
                    Some(o) => {
                        if let (Details::Resource(mine), Details::Resource(theirs)) =
                            (&item.details, &o.details)
                            && mine.contact.phones != theirs.contact.phones
                        {
                            problem(format!(
                                "the phones differ from {original}'s: a translation must list exactly the same numbers and types"
                            ));
                        }
                    }
                    None => {}
                },
                _ => {}
            }
        }
        found
    }
}

/// The media type the app gives a file, by its extension.
fn media_type_of(file: &str) -> Option<&'static str> {
    let extension = file.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => return None,
    })
}

/// One attachment's listing, read from `dir/file`, and the file's path.
fn attachment_file(dir: &Path, file: &str, title: String) -> Result<(Attachment, PathBuf), String> {
    if file.contains(['/', '\\']) || file.starts_with('.') {
        return Err(format!(
            "{file:?} must be the name of a file in the same folder as this one, like report-2019.pdf"
        ));
    }
    let media_type = media_type_of(file).ok_or_else(|| {
        format!("{file:?} is not a kind of file the app opens; attach a .pdf, .png, .jpg or .pptx")
    })?;
    let path = dir.join(file);
    let shown = path.display();
    let size = std::fs::metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .ok_or_else(|| format!("{shown} does not exist; put the file next to this one"))?;
    if size == 0 {
        return Err(format!("{shown} is empty"));
    }
    if size > ATTACHMENT_CAP {
        return Err(format!(
            "{shown} is {size} bytes; an attachment may have at most {ATTACHMENT_CAP} ({} MB): make it smaller or link to it as a source",
            ATTACHMENT_CAP / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("{shown} cannot be read: {e}"))?;
    if media_type == "application/pdf" && !bytes.starts_with(b"%PDF-") {
        return Err(format!(
            "{shown} is named .pdf but is not a PDF (it does not begin with %PDF-)"
        ));
    }
    let attachment = Attachment {
        title,
        file_name: file.to_string(),
        media_type: media_type.to_string(),
        sha256: sha256_hex(&bytes),
        size,
    };
    match attachment.problem() {
        Some(problem) => Err(problem),
        None => Ok((attachment, path)),
    }
}

/// What must be unique across the tree, besides file names: ids regardless of case
/// (publishers on macOS and Windows cannot have both), guidance numbers and FIPS codes.
fn unique_keys(item: &Item) -> Vec<(String, String)> {
    let mut keys = vec![(
        format!("id:{}", item.id.to_lowercase()),
        format!("id {}", item.id),
    )];
    match &item.details {
        Details::Guidance { number, .. } => keys.push((
            format!("number:{number}"),
            format!("guidance number {number}"),
        )),
        Details::County(c) => {
            keys.push((format!("fips:{}", c.fips), format!("FIPS code {}", c.fips)))
        }
        _ => {}
    }
    keys
}

fn example_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Timeline => "2014-sb-855.md",
        Kind::Guidance => "acl-16-49.md",
        Kind::Report => "2013-call-for-multi-system-collaboration.md",
        Kind::County => "san-luis-obispo.toml",
        Kind::Resource => "national-human-trafficking-hotline.toml",
        Kind::Guide => "youth-missing.md",
        Kind::Synonyms => "search-terms.toml",
    }
}

/// Splits `+++\nTOML\n+++\nbody`: the TOML, its first line, the body and its first line.
fn split_front_matter<'t>(
    text: &'t str,
    out: &mut Diagnostics,
) -> Option<(&'t str, usize, &'t str, usize)> {
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        out.push(
            1,
            "the file must start with a +++ line, then TOML front matter, then another +++ line",
        );
        return None;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let toml_text = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 3 + toml_text.matches('\n').count();
            return Some((toml_text, 2, body, body_line));
        }
        offset += line.len();
    }
    out.push(
        1,
        "the front matter is never closed: add a +++ line after it",
    );
    None
}

fn parse_toml<'t>(
    text: &'t str,
    first_line: usize,
    out: &mut Diagnostics,
) -> Option<toml::Spanned<DeTable<'t>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(table);
    }
    let lines = Lines::new(text, first_line);
    for error in errors {
        let line = error.span().map_or(first_line, |s| lines.line_of(s.start));
        let message = error.message().trim().replace('\n', " ");
        out.push(line, format!("invalid TOML: {message}"));
    }
    None
}

type Refs = Vec<(usize, String, &'static str, Option<Kind>)>;

/// A value of one of the closed sets, e.g. `status`.
fn choice<T: Copy>(
    fields: &mut Fields,
    out: &mut Diagnostics,
    key: &'static str,
    parse: fn(&str) -> Option<T>,
    expected: String,
) -> Option<T> {
    let (text, line) = fields.string(out, key, Need::Required)?;
    let value = parse(&text);
    if value.is_none() {
        out.push(
            line,
            format!("`{}` is {text:?}; expected {expected}", fields.name(key)),
        );
    }
    value
}

fn date_field(
    fields: &mut Fields,
    out: &mut Diagnostics,
    key: &'static str,
    need: Need,
    check: fn(&str) -> Result<(), String>,
) -> Option<String> {
    let (text, line) = fields.string(out, key, need)?;
    match check(&text) {
        Ok(()) => Some(text),
        Err(why) => {
            out.push(line, format!("`{}`: {why}", fields.name(key)));
            None
        }
    }
}

fn read_source(mut f: Fields, out: &mut Diagnostics, allow_http: bool) -> Option<Source> {
    let title = f.string(out, "title", Need::Required);
    let url = f.string(out, "url", Need::Required);
    f.finish(out);
    let (url, line) = url?;
    let check = if allow_http {
        checks::web_url
    } else {
        checks::https_url
    };
    if let Err(why) = check(&url) {
        out.push(line, format!("source url: {why}"));
        return None;
    }
    Some(Source {
        title: title?.0,
        url,
    })
}

/// Timeline entries, guidance and reports: Markdown with front matter.
fn read_document(
    kind: Kind,
    id: &str,
    f: &mut Fields,
    body: &str,
    out: &mut Diagnostics,
    refs: &mut Refs,
) -> Option<Item> {
    let title = f.string(out, "title", Need::Required);
    // A report may be undated: some publications carry no date, and a guessed one
    // would be worse than none.
    let date_need = match kind {
        Kind::Report => Need::Optional,
        _ => Need::Required,
    };
    let date = date_field(f, out, "date", date_need, checks::partial_date);
    let undated = date.is_none() && !f.has("date");
    let (lang, translation_of) = read_lang(id, kind, f, out, refs);
    let updated = date_field(f, out, "updated", Need::Optional, checks::full_date);
    let summary = f.string(out, "summary", Need::Required);
    let source_tables = f.tables(out, "sources", Need::Required);
    if source_tables.as_ref().is_some_and(Vec::is_empty) {
        out.push(f.header_line(), "`sources` must list at least one source");
    }
    let sources: Vec<Option<Source>> = source_tables
        .unwrap_or_default()
        .into_iter()
        .map(|t| read_source(t, out, false))
        .collect();
    let mut related = Vec::new();
    for (target, line) in f.strings(out, "related", Need::Optional) {
        if target == id {
            out.push(line, "an item cannot be related to itself");
        } else {
            refs.push((line, target.clone(), "related item", None));
        }
        related.push(target);
    }
    let details = match kind {
        Kind::Timeline => choice(
            f,
            out,
            "event_type",
            EventType::parse,
            EventType::expected(),
        )
        .map(|event_type| Details::Timeline { event_type }),
        Kind::Guidance => read_guidance(id, f, out, refs),
        Kind::Guide => {
            let order = f.integer(out, "order", Need::Optional).map(|o| o.0);
            read_audience(f, out).map(|audience| Details::Guide { audience, order })
        }
        _ => f
            .string(out, "publisher", Need::Required)
            .map(|p| Details::Report {
                publisher: Some(p.0),
            }),
    };
    let date = match kind {
        Kind::Report if undated => None,
        _ => Some(date?),
    };
    Some(Item {
        id: id.to_string(),
        title: title?.0,
        date,
        updated,
        lang: lang?,
        translation_of,
        summary: summary?.0,
        sources: sources.into_iter().collect::<Option<Vec<_>>>()?,
        related,
        body: body.to_string(),
        attachments: Vec::new(),
        details: details?,
    })
}

/// `lang` (default English) and `translation_of`. A translation of `guides/x` into
/// Spanish lives at `guides/x-es`, so either id finds the other.
fn read_lang(
    id: &str,
    kind: Kind,
    f: &mut Fields,
    out: &mut Diagnostics,
    refs: &mut Refs,
) -> (Option<Lang>, Option<String>) {
    let lang_field = f.string(out, "lang", Need::Optional);
    let lang_line = lang_field.as_ref().map_or(f.header_line(), |l| l.1);
    let lang = match &lang_field {
        None => Some(Lang::En),
        Some((text, line)) => {
            let lang = Lang::parse(text);
            if lang.is_none() {
                out.push(
                    *line,
                    format!("`lang` is {text:?}; expected {}", Lang::expected()),
                );
            }
            lang
        }
    };
    let translation_of = f.string(out, "translation_of", Need::Optional);
    match (&translation_of, lang) {
        (_, None) | (None, Some(Lang::En)) => {}
        (None, Some(lang)) => out.push(
            lang_line,
            format!(
                "lang is \"{lang}\" but `translation_of` is missing: name the English item this translates"
            ),
        ),
        (Some((_, line)), Some(Lang::En)) => out.push(
            *line,
            "`translation_of` is set but lang is \"en\"; set lang = \"es\" for a Spanish translation",
        ),
        (Some((original, line)), Some(lang)) => {
            refs.push((*line, original.clone(), "translation_of", Some(kind)));
            let expected = format!("{original}-{lang}");
            if id != expected {
                out.push(
                    *line,
                    format!(
                        "a translation of {original} into \"{lang}\" must live at {expected}.{}",
                        kind.extension()
                    ),
                );
            }
        }
    }
    (lang, translation_of.map(|t| t.0))
}

/// Who a guide is for: at least one of the audiences.
fn read_audience(f: &mut Fields, out: &mut Diagnostics) -> Option<Vec<Audience>> {
    let mut audience = Vec::new();
    let mut ok = true;
    for (text, line) in f.strings(out, "audience", Need::Required) {
        match Audience::parse(&text) {
            Some(a) => audience.push(a),
            None => {
                ok = false;
                out.push(
                    line,
                    format!("audience {text:?} is not one of {}", Audience::expected()),
                );
            }
        }
    }
    if ok && audience.is_empty() {
        out.push(
            f.header_line(),
            format!(
                "`audience` must name at least one of {}",
                Audience::expected()
            ),
        );
        return None;
    }
    ok.then_some(audience)
}

fn read_guidance(
    id: &str,
    f: &mut Fields,
    out: &mut Diagnostics,
    refs: &mut Refs,
) -> Option<Details> {
    let number = f.string(out, "number", Need::Required);
    let guidance_type = choice(
        f,
        out,
        "type",
        GuidanceType::parse,
        GuidanceType::expected(),
    );
    let status = choice(
        f,
        out,
        "status",
        GuidanceStatus::parse,
        GuidanceStatus::expected(),
    );
    let superseded_by = f.string(out, "superseded_by", Need::Optional);
    let status_note = f.string(out, "status_note", Need::Optional);
    if status == Some(GuidanceStatus::PartlySuperseded) && status_note.is_none() {
        out.push(
            f.header_line(),
            "status is \"partly-superseded\" but `status_note` is missing: say in a sentence which part was replaced, and by what",
        );
    }
    let (number, number_line) = number?;
    match checks::guidance_number(&number) {
        Err(why) => out.push(number_line, why),
        Ok((prefix, slug)) => {
            if guidance_type.is_some_and(|t| t.as_str() != prefix) {
                out.push(
                    number_line,
                    format!("number {number:?} does not match `type`"),
                );
            }
            if id != format!("guidance/{slug}") {
                out.push(
                    number_line,
                    format!(
                        "{number} must live in guidance/{slug}.md, so its id reads guidance/{slug}"
                    ),
                );
            }
        }
    }
    match (&status, &superseded_by) {
        (Some(GuidanceStatus::Superseded), None) => out.push(
            f.header_line(),
            "status is \"superseded\" but `superseded_by` is missing: name the letter that replaces it",
        ),
        (Some(s), Some((_, line)))
            if !matches!(
                s,
                GuidanceStatus::Superseded | GuidanceStatus::PartlySuperseded
            ) =>
        {
            out.push(
                *line,
                format!(
                    "`superseded_by` is set but status is \"{s}\"; set status = \"superseded\" or \"partly-superseded\""
                ),
            )
        }
        _ => {}
    }
    if let Some((target, line)) = &superseded_by {
        refs.push((*line, target.clone(), "superseded_by", Some(Kind::Guidance)));
    }
    Some(Details::Guidance {
        number,
        guidance_type: guidance_type?,
        status: status?,
        superseded_by: superseded_by.map(|s| s.0),
        status_note: status_note.map(|s| s.0),
    })
}

/// Finds every link in a Markdown body: internal ones become references to check,
/// external ones must be https, mailto or tel. Raw HTML is refused: the app drops it.
fn check_body(body: &str, first_line: usize, out: &mut Diagnostics, refs: &mut Refs) {
    let lines = Lines::new(body, first_line);
    for (event, range) in Parser::new(body).into_offset_iter() {
        let line = lines.line_of(range.start);
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            Event::Html(_) | Event::InlineHtml(_) => {
                out.push(
                    line,
                    "raw HTML is not allowed in content (the app removes it); use Markdown",
                );
                continue;
            }
            _ => continue,
        };
        if dest.starts_with('#') || dest.starts_with("mailto:") || dest.starts_with("tel:") {
            continue;
        }
        if dest.contains(':') {
            if let Err(why) = checks::https_url(&dest) {
                out.push(line, format!("link: {why}"));
            }
        } else {
            refs.push((line, dest, "link to", None));
        }
    }
}

fn read_phones(f: &mut Fields, out: &mut Diagnostics, verified: Option<bool>) -> Vec<Phone> {
    let mut phones = Vec::new();
    for mut p in f.tables(out, "phones", Need::Optional).unwrap_or_default() {
        let number = p.string(out, "number", Need::Required);
        let phone_type = choice(&mut p, out, "type", PhoneType::parse, PhoneType::expected());
        let extension = p.string(out, "extension", Need::Optional);
        let hours = p.string(out, "hours", Need::Optional);
        if let Some((ext, line)) = &extension
            && !ext.bytes().all(|b| b.is_ascii_digit())
        {
            out.push(*line, format!("extension {ext:?} must be digits only"));
        }
        p.finish(out);
        let (Some((number, line)), Some(phone_type)) = (number, phone_type) else {
            continue;
        };
        match checks::phone_digits(&number, phone_type == PhoneType::Text) {
            Err(why) => out.push(line, why),
            Ok(digits) if verified == Some(false) && !checks::is_fictional_number(&digits) => out.push(
                line,
                format!(
                    "unverified contact has number {number:?}: placeholders must use the fiction range 555-0100 to 555-0199, so an invented number never reaches a real line; set verified = true with a source if it is real"
                ),
            ),
            Ok(_) => phones.push(Phone {
                number,
                phone_type,
                extension: extension.map(|e| e.0),
                hours: hours.map(|h| h.0),
            }),
        }
    }
    phones
}

/// The fields every contact has, county agency or statewide resource.
fn read_contact(f: &mut Fields, out: &mut Diagnostics) -> Option<Contact> {
    let name = f.string(out, "name", Need::Required);
    let verified = f.boolean(out, "verified", Need::Required);
    let is_verified = verified.map(|v| v.0);
    let phones = read_phones(f, out, is_verified);
    let email = f.string(out, "email", Need::Optional);
    let website = f.string(out, "website", Need::Optional);
    let address = f.string(out, "address", Need::Optional);
    let hours = f.string(out, "hours", Need::Optional);
    let languages = f.string(out, "languages", Need::Optional);
    let need_checked = if is_verified == Some(true) {
        Need::Required
    } else {
        Need::Optional
    };
    let checked = date_field(f, out, "checked", need_checked, checks::full_date);
    let has_source = f.has("source");
    let source = f
        .table(out, "source", Need::Optional)
        .and_then(|t| read_source(t, out, true));
    let placeholder = is_verified == Some(false);
    if let Some((email, line)) = &email {
        let domain = email.rsplit('@').next().unwrap_or_default();
        match checks::email(email) {
            Err(why) => out.push(*line, why),
            Ok(()) if placeholder && !checks::is_example_domain(domain) => out.push(
                *line,
                format!(
                    "unverified contact has email {email:?}: placeholders must use example.org"
                ),
            ),
            Ok(()) => {}
        }
    }
    if let Some((url, line)) = &website {
        match checks::https_url(url) {
            Err(why) => out.push(*line, format!("website: {why}")),
            Ok(host) if placeholder && !checks::is_example_domain(&host) => out.push(
                *line,
                format!(
                    "unverified contact has website {url:?}: placeholders must use example.org"
                ),
            ),
            Ok(_) => {}
        }
    }
    // A `source` that is present but invalid has been reported already.
    if let Some((true, line)) = verified
        && !has_source
    {
        out.push(
            line,
            format!(
                "`{}` is true but there is no `source`: say where the contact was confirmed",
                f.name("verified")
            ),
        );
    }
    Some(Contact {
        name: name?.0,
        phones,
        email: email.map(|e| e.0),
        website: website.map(|w| w.0),
        address: address.map(|a| a.0),
        hours: hours.map(|h| h.0),
        languages: languages.map(|l| l.0),
        verified: verified?.0,
        source,
        checked,
    })
}

fn read_county(id: &str, f: &mut Fields, out: &mut Diagnostics) -> Option<Item> {
    let name = f.string(out, "name", Need::Required);
    let fips = f.string(out, "fips", Need::Required);
    let program = choice(f, out, "csec_program", Program::parse, Program::expected());
    let mut agencies = Vec::new();
    for mut a in f
        .tables(out, "agencies", Need::Optional)
        .unwrap_or_default()
    {
        let header = a.header_line();
        let role = choice(&mut a, out, "role", Role::parse, Role::expected());
        let contact = read_contact(&mut a, out);
        a.finish(out);
        if let (Some(role), Some(contact)) = (role, contact) {
            agencies.push((header, Agency { role, contact }));
        }
    }
    let (name, name_line) = name?;
    let Some(info) = county_by_name(&name).filter(|c| c.name == name) else {
        out.push(
            name_line,
            format!("{name:?} is not the name of a California county"),
        );
        return None;
    };
    if id != format!("counties/{}", info.slug) {
        out.push(
            name_line,
            format!("{name} County must live in counties/{}.toml", info.slug),
        );
    }
    if let Some((fips, line)) = &fips
        && *fips != info.fips
    {
        out.push(
            *line,
            format!("FIPS code for {name} County is {}, not {fips:?}", info.fips),
        );
    }
    // A required MDT role without an agency is allowed: the app lists every
    // required role and says what to do where no verified contact is known, which
    // is better than a placeholder that looks like a contact.
    let agencies: Vec<Agency> = agencies.into_iter().map(|(_, a)| a).collect();
    let sources = agencies
        .iter()
        .filter_map(|a| a.contact.source.clone())
        .collect();
    Some(Item {
        id: id.to_string(),
        title: format!("{name} County"),
        date: None,
        updated: None,
        summary: format!("CSEC contacts in {name} County by multidisciplinary-team role."),
        sources,
        related: Vec::new(),
        body: String::new(),
        lang: Lang::En,
        translation_of: None,
        attachments: Vec::new(),
        details: Details::County(County {
            name,
            fips: fips?.0,
            csec_program: program?,
            agencies,
        }),
    })
}

fn read_resource(id: &str, f: &mut Fields, out: &mut Diagnostics, refs: &mut Refs) -> Option<Item> {
    let title = f.string(out, "title", Need::Required);
    let summary = f.string(out, "summary", Need::Required);
    let scope = choice(f, out, "scope", Scope::parse, Scope::expected());
    let (lang, translation_of) = read_lang(id, Kind::Resource, f, out, refs);
    let contact = read_contact(f, out)?;
    if !contact.verified {
        out.push(
            f.header_line(),
            "statewide resources are shown one tap from home, so they must be verified with a source",
        );
    }
    Some(Item {
        id: id.to_string(),
        title: title?.0,
        date: None,
        updated: None,
        summary: summary?.0,
        sources: contact.source.clone().into_iter().collect(),
        related: Vec::new(),
        body: String::new(),
        lang: lang?,
        translation_of,
        attachments: Vec::new(),
        details: Details::Resource(Resource {
            scope: scope?,
            contact,
        }),
    })
}

/// Longest accepted synonym term, and most words in one: a term is what someone types
/// into a search box, not a sentence.
const SYNONYM_MAX_CHARS: usize = 60;
const SYNONYM_MAX_WORDS: usize = 4;
/// More groups than this would make every query a long one.
const SYNONYM_MAX_GROUPS: usize = 500;

/// A synonyms file: `[[group]]` tables, each with `terms = [...]` that a search for
/// any one of them also searches.
fn read_synonyms(id: &str, f: &mut Fields, out: &mut Diagnostics) -> Option<Item> {
    let title = f.string(out, "title", Need::Required);
    let summary = f.string(out, "summary", Need::Required);
    let tables = f.tables(out, "group", Need::Required).unwrap_or_default();
    if tables.len() > SYNONYM_MAX_GROUPS {
        out.push(
            f.header_line(),
            format!(
                "{} groups is too many: at most {SYNONYM_MAX_GROUPS}, or every search gets slow",
                tables.len()
            ),
        );
    }
    // A term in two groups would make the groups one; say so rather than guess.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut groups = Vec::new();
    for mut table in tables {
        let header = table.header_line();
        let terms = table.strings(out, "terms", Need::Required);
        table.finish(out);
        if terms.len() < 2 {
            out.push(
                header,
                "a group needs at least two `terms`: the words that mean the same thing",
            );
        }
        for (term, line) in &terms {
            if let Some(problem) = synonym_term_problem(term) {
                out.push(*line, format!("synonym {term:?} {problem}"));
            }
            match seen.get(&fold_term(term)) {
                Some(first) => out.push(
                    *line,
                    format!(
                        "synonym {term:?} is already in the group on line {first}; a term belongs to one group"
                    ),
                ),
                None => {
                    seen.insert(fold_term(term), header);
                }
            }
        }
        groups.push(SynonymGroup {
            terms: terms
                .into_iter()
                .map(|(t, _)| t.trim().to_string())
                .collect(),
        });
    }
    Some(Item {
        id: id.to_string(),
        title: title?.0,
        date: None,
        updated: None,
        summary: summary?.0,
        sources: Vec::new(),
        related: Vec::new(),
        body: String::new(),
        lang: Lang::En,
        translation_of: None,
        attachments: Vec::new(),
        details: Details::Synonyms { groups },
    })
}

/// What is wrong with a synonym term, if anything.
fn synonym_term_problem(term: &str) -> Option<String> {
    let term = term.trim();
    if term.is_empty() {
        return Some("is empty".into());
    }
    if term.chars().count() > SYNONYM_MAX_CHARS {
        return Some(format!("is longer than {SYNONYM_MAX_CHARS} characters"));
    }
    if term.split_whitespace().count() > SYNONYM_MAX_WORDS {
        return Some(format!("has more than {SYNONYM_MAX_WORDS} words"));
    }
    if let Some(c) = term
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | '/')))
    {
        return Some(format!(
            "contains {c:?}: use letters, digits, spaces, dashes, apostrophes, dots and slashes"
        ));
    }
    None
}

/// A term as search compares it: lower case, Spanish accents off, spaces single.
fn fold_term(term: &str) -> String {
    term.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            _ => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
