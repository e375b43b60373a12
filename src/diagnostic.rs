//! Content problems, reported all at once.
//!
//! A build collects every [`Diagnostic`] it finds instead of stopping at the
//! first one, sorts them by position and prints them in the familiar
//! `path:line:col: error: message` form, with an optional `= help:` line.
//! Hard failures (I/O, configuration, templates) use [`crate::error::Error`].

use std::fmt;

/// How bad a diagnostic is. Errors fail the build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };

    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }
}

/// One content problem at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    pub pos: Pos,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            pos,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(path: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, pos, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help line only when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    fn sort_key(&self) -> (&str, Pos, Severity, &str) {
        (&self.path, self.pos, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.pos.line, self.pos.col, label, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by path, position and message, and drops exact repeats.
pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// The last line of a failed run: `error: build found 2 errors and 1
/// warning; nothing was written`.
pub(crate) fn failure_summary(diags: &[Diagnostic], verb: &str) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "error: {verb} found {errors} error{} and {warnings} warning{}; nothing was written",
        s(errors),
        s(warnings)
    )
}

pub(crate) fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Maps byte offsets of one text to line and column.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Position of byte `offset` in `text` (the text this index was built from).
    pub(crate) fn pos(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos::new(line + 1, col + 1)
    }
}

/// The closest candidate to `word` as a help line, if one is close enough
/// to be a likely typo.
pub(crate) fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub(crate) fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<((usize, u64), &str)> = None;
    for cand in candidates {
        let lower = cand.to_lowercase();
        let distance = strsim::damerau_levenshtein(&word, &lower);
        let similarity = strsim::jaro_winkler(&word, &lower);
        if distance > limit && similarity < 0.85 {
            continue;
        }
        // Fewer edits first, then higher similarity, then name order.
        let rank = (distance, ((1.0 - similarity) * 1e6) as u64);
        if best.is_none_or(|(r, c)| rank < r || (rank == r && cand < c)) {
            best = Some((rank, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// The path among `candidates` closest to `path`, if it is a likely typo:
/// a shared folder does not make two different file names look alike.
pub(crate) fn closest_path<'a, I>(path: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let split = |p: &'a str| p.rsplit_once('/').unwrap_or(("", p));
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            let (cdir, cname) = split(c);
            let d = strsim::damerau_levenshtein(&name.to_lowercase(), &cname.to_lowercase())
                + strsim::damerau_levenshtein(dir, cdir);
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let text = "ab\ncé d\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(text, 0), Pos::new(1, 1));
        assert_eq!(idx.pos(text, 3), Pos::new(2, 1));
        // 'd' sits after the two-byte 'é': byte 7, character column 4.
        assert_eq!(idx.pos(text, 7), Pos::new(2, 4));
        assert_eq!(idx.pos(text, 9), Pos::new(3, 1));
        assert_eq!(idx.pos(text, 10), Pos::new(4, 1));
        assert_eq!(idx.pos(text, 99), Pos::new(4, 2));
    }

    #[test]
    fn did_you_mean_finds_typos_and_ignores_strangers() {
        let keys = ["title", "kind", "summary"];
        assert_eq!(
            did_you_mean("titel", keys).as_deref(),
            Some("did you mean `title`?")
        );
        assert_eq!(did_you_mean("zzzzzz", keys), None);
    }

    #[test]
    fn path_suggestions_compare_file_names() {
        let files = ["figures/chart.svg", "notes/agendas.md"];
        assert_eq!(closest_path("figures/data.csv", files), None);
        assert_eq!(
            closest_path("notes/agenda.md", files),
            Some("notes/agendas.md")
        );
        assert_eq!(
            closest_path("figures/chart.png", files),
            Some("figures/chart.svg")
        );
    }

    #[test]
    fn sorting_orders_by_path_then_position() {
        let mut d = vec![
            Diagnostic::error("b.md", Pos::new(1, 1), "x"),
            Diagnostic::error("a.md", Pos::new(3, 1), "y"),
            Diagnostic::error("a.md", Pos::new(2, 5), "z"),
            Diagnostic::error("a.md", Pos::new(2, 5), "z"),
        ];
        sort(&mut d);
        let order: Vec<_> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            order,
            [
                "a.md:2:5: error: z",
                "a.md:3:1: error: y",
                "b.md:1:1: error: x"
            ]
        );
    }

    #[test]
    fn display_includes_help_line() {
        let d = Diagnostic::error("content/a.md", Pos::new(4, 2), "unknown key `titel`")
            .with_help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:2: error: unknown key `titel`\n  = help: did you mean `title`?"
        );
    }
}
