use std::fmt;

/// One thing wrong with one content file, printed as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The path as the publisher named it (`content/guidance/acl-16-49.md`).
    pub path: String,
    /// 1-based; the line of the offending key where it is known, else the first line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Problems found in one file before its path is attached.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    pub found: Vec<(usize, String)>,
}

impl Diagnostics {
    pub fn push(&mut self, line: usize, message: impl Into<String>) {
        self.found.push((line, message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    pub fn into_problems(self, path: &str) -> impl Iterator<Item = Problem> + '_ {
        self.found.into_iter().map(move |(line, message)| Problem {
            path: path.to_string(),
            line,
            message,
        })
    }
}
