//! The bibliography: references read from CSL-YAML, CSL-JSON and
//! BibTeX/BibLaTeX files into one model with CSL variable names.
//!
//! Every format lands in the same [`Reference`], so the same works given in
//! any of the three formats build byte-identical pages. Parsing is pure;
//! [`load`] is the only function that reads files.

pub mod bibtex;
pub mod csl;
pub mod export;

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic, Pos};
use crate::discover;
use crate::error::{Error, Result};

/// A personal or corporate name.
#[derive(Debug, Clone, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Name {
    pub family: Option<String>,
    pub given: Option<String>,
    /// A name kept whole, such as an organisation.
    pub literal: Option<String>,
    /// `von`, `de la` … kept with the family name when sorting.
    pub particle: Option<String>,
    pub suffix: Option<String>,
}

impl Name {
    /// A corporate or single-part name.
    pub fn literal(text: impl Into<String>) -> Self {
        Name {
            literal: Some(text.into()),
            ..Name::default()
        }
    }

    /// A family name with no other part is kept whole, whichever format it
    /// came from, so that formats agree.
    pub fn normalised(mut self) -> Self {
        let empty = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        self.given = self.given.filter(|g| !g.trim().is_empty());
        self.particle = self.particle.filter(|g| !g.trim().is_empty());
        self.suffix = self.suffix.filter(|g| !g.trim().is_empty());
        if self.literal.is_none()
            && empty(&self.given)
            && empty(&self.particle)
            && empty(&self.suffix)
        {
            if let Some(f) = self.family.take() {
                self.literal = Some(f);
            }
        }
        self
    }

    /// "Family, Given" (or the literal name), for exports and meta tags.
    pub fn inverted(&self) -> String {
        if let Some(l) = &self.literal {
            return l.clone();
        }
        let family = match (&self.particle, &self.family) {
            (Some(p), Some(f)) => format!("{p} {f}"),
            (None, Some(f)) => f.clone(),
            (Some(p), None) => p.clone(),
            (None, None) => String::new(),
        };
        match (&self.suffix, &self.given) {
            (Some(s), Some(g)) => format!("{family}, {s}, {g}"),
            (None, Some(g)) => format!("{family}, {g}"),
            _ => family,
        }
    }

    /// The family name or literal, for sorting and short forms.
    pub fn family_or_literal(&self) -> &str {
        self.literal
            .as_deref()
            .or(self.family.as_deref())
            .unwrap_or("")
    }
}

/// A date as CSL has it: year, optional month and day, and an optional end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Date {
    /// `[year]`, `[year, month]` or `[year, month, day]`; empty when only
    /// `literal` is known.
    pub parts: Vec<i32>,
    /// The end of a range.
    pub end: Option<Vec<i32>>,
    pub literal: Option<String>,
    pub circa: bool,
}

impl Date {
    pub fn year(&self) -> Option<i32> {
        self.parts.first().copied()
    }

    /// `2010`, `2010-06` or `2010-06-01` (the start of a range).
    pub fn iso(&self) -> Option<String> {
        let p = &self.parts;
        match p.len() {
            1 => Some(format!("{:04}", p[0])),
            2 => Some(format!("{:04}-{:02}", p[0], p[1])),
            3 => Some(format!("{:04}-{:02}-{:02}", p[0], p[1], p[2])),
            _ => None,
        }
    }

    /// Parses `2010`, `2010-06`, `2010-06-01` and `2010/2012`-style ranges.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let text = text.trim();
        let (start, end) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (text, None),
        };
        let parts = parse_parts(start)?;
        let end = match end {
            Some(e) if !e.trim().is_empty() && e.trim() != ".." => Some(parse_parts(e)?),
            _ => None,
        };
        Some(Date {
            parts,
            end,
            ..Date::default()
        })
    }
}

fn parse_parts(s: &str) -> Option<Vec<i32>> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut parts = Vec::new();
    for (i, p) in s.split('-').enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || i > 2 {
            return None;
        }
        parts.push(p.parse::<i32>().ok()?);
    }
    if neg {
        parts[0] = -parts[0];
    }
    let ok = match parts.as_slice() {
        [_] => true,
        [_, m] => (1..=12).contains(m),
        [y, m, d] => {
            (1..=12).contains(m)
                && (1..=crate::model::days_in_month(*y, *m as u32) as i32).contains(d)
        }
        _ => false,
    };
    ok.then_some(parts)
}

/// One work in the bibliography.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reference {
    pub key: String,
    /// The CSL item type (`article-journal`, `book`, `chapter`, …).
    pub kind: String,
    /// Name variables (`author`, `editor`, …).
    pub names: BTreeMap<String, Vec<Name>>,
    /// Date variables (`issued`, `accessed`, …).
    pub dates: BTreeMap<String, Date>,
    /// Every other variable (`title`, `container-title`, `page`, `DOI`, …).
    pub fields: BTreeMap<String, String>,
}

impl Reference {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    pub fn year(&self) -> Option<i32> {
        self.dates.get("issued").and_then(Date::year)
    }

    /// The authors, or the editors when there are none.
    pub fn creators(&self) -> &[Name] {
        self.names
            .get("author")
            .filter(|a| !a.is_empty())
            .or_else(|| self.names.get("editor"))
            .map_or(&[], Vec::as_slice)
    }
}

/// Where a reference was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: String,
    pub pos: Pos,
}

/// All references, in the order of the files and of the entries in them.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    pub refs: Vec<Reference>,
    pub origins: Vec<Origin>,
    index: BTreeMap<String, usize>,
    /// Some file or entry could not be read, so a missing key may be a
    /// consequence of that error rather than a typo.
    pub incomplete: bool,
    /// Keys of the files' entries that are not listed (never cited, not in
    /// `nocite`): still offered when a cited key is misspelt.
    unlisted: Vec<String>,
}

impl Bibliography {
    pub fn get(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.refs.iter().map(|r| r.key.as_str())
    }

    /// The help line for an unknown key: the closest key of any entry of
    /// the files, listed or not.
    pub fn suggest(&self, key: &str) -> Option<String> {
        did_you_mean(
            key,
            self.keys().chain(self.unlisted.iter().map(String::as_str)),
        )
    }

    /// Keeps the entries `keep` says to list, in their order; the others
    /// are dropped (their keys still serve [`Bibliography::suggest`]).
    pub fn retain(&mut self, keep: impl Fn(usize, &Reference) -> bool) {
        let mut refs = Vec::new();
        let mut origins = Vec::new();
        for (i, (r, o)) in std::mem::take(&mut self.refs)
            .into_iter()
            .zip(std::mem::take(&mut self.origins))
            .enumerate()
        {
            if keep(i, &r) {
                refs.push(r);
                origins.push(o);
            } else {
                self.unlisted.push(r.key);
            }
        }
        self.index = refs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        self.refs = refs;
        self.origins = origins;
    }

    pub fn len(&self) -> usize {
        self.refs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }
}

/// The text of one bibliography file.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown in diagnostics (relative to the project root).
    pub display: String,
    pub text: String,
}

/// The formats a bibliography file can be in, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Bibtex,
}

impl Format {
    pub fn of(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "bib" | "bibtex" | "biblatex" => Some(Format::Bibtex),
            _ => None,
        }
    }
}

/// A bibliography file named in `book.toml` that does not exist: an error
/// at the line that names it, with the closest bibliography file there is.
fn missing_file(root: &Path, file: &str) -> Error {
    let book = std::fs::read_to_string(root.join(crate::config::FILE_NAME)).unwrap_or_default();
    let pos = ["\"", "'"]
        .iter()
        .find_map(|q| book.find(&format!("{q}{file}{q}")).map(|at| at + 1))
        .map_or(Pos::START, |at| {
            crate::diagnostic::LineIndex::new(&book).pos(&book, at)
        });
    let found: Vec<String> = walkdir::WalkDir::new(root)
        .max_depth(3)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "target" || name == "node_modules")
        })
        .flatten()
        .filter(|e| {
            e.file_type().is_file() && Format::of(&e.file_name().to_string_lossy()).is_some()
        })
        .filter_map(|e| {
            e.path()
                .strip_prefix(root)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    let help = crate::diagnostic::closest_path(file, found.iter().map(String::as_str))
        .map(|c| format!("did you mean `{c}`?"))
        .unwrap_or_else(|| {
            "paths in `files` are relative to the folder that holds book.toml".to_string()
        });
    Error::Config(format!(
        "{}:{}:{}: error: bibliography file `{file}` not found\n  = help: {help}",
        crate::config::FILE_NAME,
        pos.line,
        pos.col
    ))
}

/// Reads the bibliography files named in `book.toml`.
pub fn load(root: &Path, files: &[String]) -> Result<(Vec<Source>, Vec<Diagnostic>)> {
    let mut sources = Vec::new();
    let mut diags = Vec::new();
    for file in files {
        if Format::of(file).is_none() {
            return Err(Error::Config(format!(
                "error: bibliography file `{file}`: use .yaml, .json or .bib"
            )));
        }
        let path = root.join(file);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(missing_file(root, file));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let utf16 = discover::utf16_bom(&bytes);
        match discover::decode(bytes) {
            Ok(text) => sources.push(Source {
                display: file.clone(),
                text,
            }),
            Err((pos, byte)) => diags.push(discover::not_utf8(file, pos, byte, utf16)),
        }
    }
    Ok((sources, diags))
}

/// Parses every source into one bibliography. Duplicate keys, within a
/// file or across files, are errors naming both places.
pub fn parse(sources: &[Source]) -> (Bibliography, Vec<Diagnostic>) {
    let mut bib = Bibliography::default();
    let mut diags = Vec::new();
    for source in sources {
        let parsed = match Format::of(&source.display) {
            Some(Format::Bibtex) => bibtex::parse(&source.display, &source.text),
            Some(format) => csl::parse(&source.display, &source.text, format),
            None => continue,
        };
        let (entries, d) = parsed;
        bib.incomplete |= !d.is_empty();
        diags.extend(d);
        // Keys this file defines again, by the earlier file that has them.
        let mut again: BTreeMap<String, Vec<(String, Pos, Pos)>> = BTreeMap::new();
        for (reference, pos) in entries {
            if let Some(&first) = bib.index.get(&reference.key) {
                let other = &bib.origins[first];
                again.entry(other.path.clone()).or_default().push((
                    reference.key.clone(),
                    pos,
                    other.pos,
                ));
                continue;
            }
            bib.index.insert(reference.key.clone(), bib.refs.len());
            bib.origins.push(Origin {
                path: source.display.clone(),
                pos,
            });
            bib.refs.push(reference);
        }
        for (other, keys) in again {
            diags.push(repeated_keys(&source.display, &other, &keys));
        }
    }
    (bib, diags)
}

/// The error for keys a bibliography file defines again: one error per
/// pair of files, naming how many and the first few, so that the same
/// export listed twice is one mistake, one error.
fn repeated_keys(file: &str, other: &str, keys: &[(String, Pos, Pos)]) -> Diagnostic {
    let (key, pos, other_pos) = &keys[0];
    if keys.len() == 1 {
        return Diagnostic::error(
            file,
            *pos,
            format!(
                "duplicate reference key `{key}`: also defined at {other}:{}:{}",
                other_pos.line, other_pos.col
            ),
        );
    }
    let shown: Vec<String> = keys
        .iter()
        .take(3)
        .map(|(k, _, _)| format!("`{k}`"))
        .collect();
    let listed = match (keys.len(), shown.split_last()) {
        (n, _) if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        (_, Some((last, rest))) => format!("{} and {last}", rest.join(", ")),
        _ => String::new(),
    };
    let help = if file == other {
        "each key may be defined once: remove or rename the repeated entries".to_string()
    } else {
        format!("list each export once under [bibliography] files, or remove the repeated entries from {file}")
    };
    Diagnostic::error(
        file,
        *pos,
        format!(
            "{} reference keys are defined again, already in {other}: {listed}",
            keys.len()
        ),
    )
    .with_help(help)
}

/// The CSL item types a reference may have.
pub const CSL_TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

/// CSL name variables.
pub const NAME_VARIABLES: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editor-translator",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// CSL date variables.
pub const DATE_VARIABLES: &[&str] = &[
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
];

/// Cleans a field value the same way for every format: page ranges use a
/// plain hyphen, and white space is folded.
pub fn clean_field(name: &str, value: &str) -> String {
    let folded = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if name == "page" || name == "number-of-pages" {
        folded
            .replace("--", "-")
            .replace(['\u{2013}', '\u{2014}'], "-")
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(Date::parse_iso("2010").unwrap().parts, [2010]);
        assert_eq!(Date::parse_iso("2014-10").unwrap().parts, [2014, 10]);
        let r = Date::parse_iso("2011-05-25/2012-06-26").unwrap();
        assert_eq!(
            (r.parts, r.end),
            (vec![2011, 5, 25], Some(vec![2012, 6, 26]))
        );
        assert!(Date::parse_iso("2014-13").is_none());
        assert!(Date::parse_iso("yesterday").is_none());
        assert_eq!(Date::parse_iso("-334").unwrap().parts, [-334]);
    }

    #[test]
    fn names_normalise_and_invert() {
        let corp = Name {
            family: Some("Department for Education".into()),
            ..Name::default()
        }
        .normalised();
        assert_eq!(corp, Name::literal("Department for Education"));
        let n = Name {
            family: Some("Humboldt".into()),
            given: Some("Alexander".into()),
            particle: Some("von".into()),
            ..Name::default()
        };
        assert_eq!(n.inverted(), "von Humboldt, Alexander");
    }

    #[test]
    fn page_ranges_use_a_hyphen() {
        assert_eq!(clean_field("page", "379--389"), "379-389");
        assert_eq!(clean_field("page", "429\u{2013}452"), "429-452");
        assert_eq!(clean_field("title", "A  title\n split"), "A title split");
    }
}
