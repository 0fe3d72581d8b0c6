//! Reads fields out of a parsed TOML table while remembering where each one is, so
//! that every problem in a file can be reported at once with the line of its key.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::problem::Diagnostics;

/// Maps byte offsets in a TOML text to 1-based line numbers in the whole file.
#[derive(Clone, Copy)]
pub(crate) struct Lines<'t> {
    text: &'t str,
    /// Line number of the first line of `text` in the file.
    first_line: usize,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str, first_line: usize) -> Self {
        Lines { text, first_line }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        let before = self.text.get(..end).unwrap_or(self.text);
        self.first_line + before.matches('\n').count()
    }
}

/// A table being read. Every key that is asked for is remembered; [`Fields::finish`]
/// reports the keys nobody asked for as unknown.
pub(crate) struct Fields<'a, 'i> {
    table: &'a DeTable<'i>,
    lines: Lines<'a>,
    /// Line to blame for a missing field: the table's header.
    header_line: usize,
    /// `agencies[2].` for nested tables, so messages say which one.
    prefix: String,
    asked: Vec<&'static str>,
}

pub(crate) enum Need {
    Required,
    Optional,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, lines: Lines<'a>, header_line: usize) -> Self {
        Fields {
            table,
            lines,
            header_line,
            prefix: String::new(),
            asked: Vec::new(),
        }
    }

    pub fn header_line(&self) -> usize {
        self.header_line
    }

    pub fn line(&self, span: Range<usize>) -> usize {
        self.lines.line_of(span.start)
    }

    /// The name of a key as the publisher should look for it.
    pub fn name(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    /// Whether the key is present at all, whatever its value.
    pub fn has(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| k.get_ref().as_ref() == key)
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.asked.push(key);
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn missing(&self, out: &mut Diagnostics, key: &str, need: Need) {
        if let Need::Required = need {
            out.push(
                self.header_line,
                format!("missing required field `{}`", self.name(key)),
            );
        }
    }

    fn wrong_type(&self, out: &mut Diagnostics, key: &str, want: &str, value: &Spanned<DeValue>) {
        out.push(
            self.line(value.span()),
            format!(
                "`{}` must be {want}, not {}",
                self.name(key),
                describe(value.get_ref())
            ),
        );
    }

    /// A string value and its line. Empty strings count as missing when required.
    pub fn string(
        &mut self,
        out: &mut Diagnostics,
        key: &'static str,
        need: Need,
    ) -> Option<(String, usize)> {
        let Some(value) = self.get(key) else {
            self.missing(out, key, need);
            return None;
        };
        let line = self.line(value.span());
        match value.get_ref() {
            DeValue::String(s) if s.trim().is_empty() && matches!(need, Need::Required) => {
                out.push(line, format!("`{}` must not be empty", self.name(key)));
                None
            }
            DeValue::String(s) => Some((s.to_string(), line)),
            DeValue::Datetime(_) => {
                out.push(
                    line,
                    format!(
                        "`{}` must be a quoted string like \"2016-05-23\", \"2016-05\" or \"2016\" (TOML dates cannot say \"year only\")",
                        self.name(key)
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(out, key, "a string", value);
                None
            }
        }
    }

    pub fn boolean(
        &mut self,
        out: &mut Diagnostics,
        key: &'static str,
        need: Need,
    ) -> Option<(bool, usize)> {
        let Some(value) = self.get(key) else {
            self.missing(out, key, need);
            return None;
        };
        match value.get_ref() {
            DeValue::Boolean(b) => Some((*b, self.line(value.span()))),
            _ => {
                self.wrong_type(out, key, "true or false", value);
                None
            }
        }
    }

    /// A whole number from 0 to 2^32 - 1.
    pub fn integer(
        &mut self,
        out: &mut Diagnostics,
        key: &'static str,
        need: Need,
    ) -> Option<(u32, usize)> {
        let Some(value) = self.get(key) else {
            self.missing(out, key, need);
            return None;
        };
        let number = match value.get_ref() {
            DeValue::Integer(i) => u32::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        if number.is_none() {
            self.wrong_type(out, key, "a whole number such as 1", value);
        }
        number.map(|n| (n, self.line(value.span())))
    }

    /// An array of strings, each with its line.
    pub fn strings(
        &mut self,
        out: &mut Diagnostics,
        key: &'static str,
        need: Need,
    ) -> Vec<(String, usize)> {
        let Some(value) = self.get(key) else {
            self.missing(out, key, need);
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            self.wrong_type(out, key, "an array of strings", value);
            return Vec::new();
        };
        let mut found = Vec::new();
        for element in array.iter() {
            match element.get_ref() {
                DeValue::String(s) => found.push((s.to_string(), self.line(element.span()))),
                _ => self.wrong_type(out, key, "an array of strings", element),
            }
        }
        found
    }

    /// One inline or standard table.
    pub fn table(
        &mut self,
        out: &mut Diagnostics,
        key: &'static str,
        need: Need,
    ) -> Option<Fields<'a, 'i>> {
        let Some(value) = self.get(key) else {
            self.missing(out, key, need);
            return None;
        };
        match value.get_ref() {
            DeValue::Table(t) => Some(self.child(t, value.span(), format!("{}.", self.name(key)))),
            _ => {
                self.wrong_type(
                    out,
                    key,
                    "a table like { title = \"...\", url = \"...\" }",
                    value,
                );
                None
            }
        }
    }

    /// An array of tables (`[[key]]` or `key = [{...}]`); `None` when the key is
    /// missing or not an array (already reported).
    pub fn tables(
        &mut self,
        out: &mut Diagnostics,
        key: &'static str,
        need: Need,
    ) -> Option<Vec<Fields<'a, 'i>>> {
        let Some(value) = self.get(key) else {
            self.missing(out, key, need);
            return None;
        };
        let Some(array) = value.get_ref().as_array() else {
            self.wrong_type(out, key, "an array of tables", value);
            return None;
        };
        let mut found = Vec::new();
        for (i, element) in array.iter().enumerate() {
            match element.get_ref() {
                DeValue::Table(t) => found.push(self.child(
                    t,
                    element.span(),
                    format!("{}[{}].", self.name(key), i + 1),
                )),
                _ => self.wrong_type(out, key, "an array of tables", element),
            }
        }
        Some(found)
    }

    fn child(&self, table: &'a DeTable<'i>, span: Range<usize>, prefix: String) -> Fields<'a, 'i> {
        Fields {
            table,
            lines: self.lines,
            header_line: self.line(span),
            prefix,
            asked: Vec::new(),
        }
    }

    /// Reports every key that was never asked for.
    pub fn finish(self, out: &mut Diagnostics) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if !self.asked.contains(&name) {
                let hint = closest(name, &self.asked)
                    .map(|k| format!(" (did you mean `{}`?)", self.name(k)))
                    .unwrap_or_default();
                out.push(
                    self.line(key.span()),
                    format!("unknown field `{}`{hint}", self.name(name)),
                );
            }
        }
    }
}

fn describe(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The known key within two edits of a misspelt one.
fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_the_first_line_of_the_text() {
        let lines = Lines::new("a\nb\nc", 2);
        assert_eq!(lines.line_of(0), 2);
        assert_eq!(lines.line_of(2), 3);
        assert_eq!(lines.line_of(4), 4);
        assert_eq!(lines.line_of(999), 4);
    }

    #[test]
    fn misspelt_keys_get_a_hint() {
        assert_eq!(closest("sumary", &["title", "summary"]), Some("summary"));
        assert_eq!(closest("colour", &["title", "summary"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
