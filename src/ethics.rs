//! The ethics guard: strings a researcher must never publish (participants'
//! real names, places, organisations), listed in `book.toml` under
//! `[ethics] never-publish`.
//!
//! Matching is forgiving on purpose: letter case, accents (NFC or NFD, with
//! or without the mark), runs of white space (line breaks, no-break spaces)
//! and Markdown emphasis marks between the words do not hide a name. Every
//! source is searched (notes, file names, bibliography files, `book.toml`),
//! each hit an error at its `path:line:col`; the rendered output's visible
//! text is searched once more before anything is written.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use std::sync::Mutex;

use crate::error::Result;
use crate::output::Sink;

/// `text` folded for matching, each folded character with the byte offset
/// of the source character it came from.
fn fold(text: &str) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if matches!(c, '*' | '_') {
            continue; // emphasis marks between the words of a name
        }
        if c.is_whitespace() {
            if out.last().is_some_and(|(l, _)| *l == ' ') {
                continue;
            }
            out.push((' ', i));
            continue;
        }
        for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
            for l in d.to_lowercase() {
                out.push((l, i));
            }
        }
    }
    out
}

/// Byte offsets where `needle` occurs in `text`, matched as described in
/// the module documentation.
pub fn find_all(text: &str, needle: &str) -> Vec<usize> {
    let needle: Vec<char> = fold(needle.trim()).into_iter().map(|(c, _)| c).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let hay = fold(text);
    let mut hits = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()]
            .iter()
            .map(|(c, _)| *c)
            .eq(needle.iter().copied())
        {
            hits.push(hay[i].1);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    hits
}

/// Every occurrence of a listed string in one source text. `skip` is a
/// byte range not to search (the list itself, in `book.toml`).
pub fn check_source(
    display: &str,
    text: &str,
    never: &[String],
    skip: Option<std::ops::Range<usize>>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut index = None;
    for word in never.iter().filter(|w| !w.trim().is_empty()) {
        for at in find_all(text, word) {
            if skip.as_ref().is_some_and(|r| r.contains(&at)) {
                continue;
            }
            let index = index.get_or_insert_with(|| LineIndex::new(text));
            diags.push(leak(display, index.pos(text, at), word));
        }
    }
    diags
}

fn leak(display: &str, pos: Pos, word: &str) -> Diagnostic {
    Diagnostic::error(
        display,
        pos,
        format!(
            "`{}` must never be published (listed in [ethics] never-publish)",
            word.trim()
        ),
    )
    .with_help("replace it with the pseudonym or a neutral description")
}

/// A listed string in a file or folder name, which becomes a URL.
pub fn check_path(display: &str, never: &[String]) -> Vec<Diagnostic> {
    let spaced = display.replace(['-', '_', '.', '/'], " ");
    never
        .iter()
        .filter(|w| !w.trim().is_empty() && !find_all(&spaced, w).is_empty())
        .map(|w| {
            leak(display, Pos::START, w)
                .with_help("the file name becomes part of a URL: rename the file")
        })
        .collect()
}

/// The byte range of the `[ethics]` table (or an `ethics.never-publish`
/// key) in `book.toml`, which names the strings and must not count as
/// publishing them. Found line by line: a header line, up to the next one.
pub fn ethics_table(book: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in book.split_inclusive('\n') {
        let t = line.trim();
        let header =
            t.starts_with('[') && !t.starts_with("[[") && t.ends_with(']') && !t.contains('"');
        match start {
            None if t == "[ethics]"
                || t.starts_with("ethics.")
                || t.starts_with("ethics ")
                || t.starts_with("ethics=") =>
            {
                start = Some(offset);
            }
            Some(s) if header => return Some(s..offset),
            _ => {}
        }
        offset += line.len();
    }
    start.map(|s| s..book.len())
}

/// The visible text of an HTML page: tags removed, common entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let name = &tail[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Listed strings that still reach one output file, in its text (an HTML
/// page by its visible text) or in its path.
pub fn check_file(path: &str, bytes: &[u8], never: &[String], shown_as: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let raw = String::from_utf8_lossy(bytes);
    let text = if path.ends_with(".html") {
        format!("{raw}\n{}", visible_text(&raw))
    } else {
        raw.into_owned()
    };
    let spaced = path.replace(['-', '_', '.', '/'], " ");
    for word in never.iter().filter(|w| !w.trim().is_empty()) {
        if !find_all(&text, word).is_empty() || !find_all(&spaced, word).is_empty() {
            diags.push(Diagnostic::error(
                format!("{shown_as}/{path}"),
                Pos::START,
                format!(
                    "the built site would contain `{}` (listed in [ethics] never-publish)",
                    word.trim()
                ),
            ));
        }
    }
    diags
}

/// A [`Sink`] in front of another that reads every file for listed strings
/// before passing it on. With nothing listed it only passes files on.
pub struct Guard<'a> {
    inner: &'a dyn Sink,
    never: &'a [String],
    shown_as: &'a str,
    found: Mutex<Vec<Diagnostic>>,
}

impl<'a> Guard<'a> {
    pub fn new(inner: &'a dyn Sink, never: &'a [String], shown_as: &'a str) -> Guard<'a> {
        Guard {
            inner,
            never,
            shown_as,
            found: Mutex::new(Vec::new()),
        }
    }

    /// Every hit, one error per file and listed string.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.found.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Guard<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if !self.never.is_empty() {
            let hits = check_file(path, bytes, self.never, self.shown_as);
            if !hits.is_empty() {
                self.found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(hits);
            }
        }
        self.inner.put(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitively_with_positions() {
        assert_eq!(find_all("Jane met JANE and jAnE", "jane"), [0, 9, 18]);
        assert_eq!(find_all("Café CAFÉ", "café"), [0, 6]);
        let d = check_source(
            "q.md",
            "---\ntitle: x\n---\nSaid by Jane Doe.\n",
            &["jane doe".into()],
            None,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pos, Pos::new(4, 9));
    }

    #[test]
    fn spacing_accents_and_emphasis_do_not_hide_a_name() {
        let never = ["Jane Smith".to_string(), "Zoë Ray".to_string()];
        for text in [
            "Jane\nSmith",
            "Jane  Smith",
            "Jane\u{a0}Smith",
            "Jane *Smith*",
            "Zoe\u{308} Ray",
            "ZOË RAY",
        ] {
            assert_eq!(
                check_source("n.md", text, &never, None).len(),
                1,
                "{text:?}"
            );
        }
        assert_eq!(check_path("content/notes/Jane Smith.md", &never).len(), 1);
        assert_eq!(check_path("content/notes/jane-smith.md", &never).len(), 1);
        let page = b"<p>J&#97;ne <em>Smith</em></p>";
        assert_eq!(check_file("a/index.html", page, &never, "site").len(), 1);
    }

    #[test]
    fn the_list_itself_is_not_a_hit() {
        let book = "# names go in [ethics] below\n[site]\ntitle = \"T\"\n\n[ethics]\nnever-publish = [\n  \"Jane Doe\",\n]\n\n[build]\noutput = \"site\"\n";
        let range = ethics_table(book).unwrap();
        assert!(check_source("book.toml", book, &["Jane Doe".into()], Some(range)).is_empty());
        let leaked = book.replace("title = \"T\"", "title = \"Jane Doe's site\"");
        let range = ethics_table(&leaked).unwrap();
        assert_eq!(
            check_source("book.toml", &leaked, &["Jane Doe".into()], Some(range)).len(),
            1
        );
        let dotted = "ethics.never-publish = [\"Jane Doe\"]\n[site]\ntitle = \"T\"\n";
        let range = ethics_table(dotted).unwrap();
        assert!(check_source("book.toml", dotted, &["Jane Doe".into()], Some(range)).is_empty());
    }
}
