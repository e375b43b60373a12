//! The ethics guard: strings a researcher must never publish (participants'
//! real names, places, organisations), listed in `book.toml` under
//! `[ethics] never-publish`.
//!
//! Every source is searched: notes, file names, data files copied to the
//! site (CSV, JSON, SVG, HTML, text…), bibliography files, a project theme
//! and `book.toml`; each hit is an error at the source's `path:line:col`.
//! Files the guard cannot read (PDF, images, archives) are named in one
//! warning. The rendered output is searched once more before anything is
//! written, for what markup or formatting put together.
//!
//! # What counts as the same name
//!
//! Text and name are both folded before they are compared, so no
//! typographic variant hides a name:
//!
//! - letter case, by full Unicode case folding (`ß` matches `SS`);
//! - compatibility forms (NFKC: ligatures such as `ﬁ`, full-width letters);
//! - accents, dropped (`Jose` matches `José`; `ø`, `ł`, `æ` and the like
//!   match `o`, `l`, `ae`);
//! - every apostrophe (`'` `’` `‘` `ʼ` `′` `＇`) is one character, every
//!   double quote mark another;
//! - white space of any kind (line breaks, no-break, thin and ideographic
//!   spaces), hyphens and dashes (`-` `‐` `‑` `‒` `–` `—` `−`) and `_` are
//!   all one separator, however many;
//! - soft hyphens and zero-width characters vanish;
//! - Markdown emphasis and link brackets (`*`, `[`, `]`, `` ` ``, `~`) and
//!   HTML tags vanish; HTML entities (`&nbsp;`, `&eacute;`, `&#233;`), JSON
//!   and YAML escapes (`\u00e9`) and LaTeX accents in BibTeX (`Jos\'{e}`)
//!   are read as the characters they stand for.
//!
//! A hit is a whole word or run of words: `Jose` inside `Joseph`, or `Ann`
//! inside `Annual`, is not a hit; `Jose's` is.

use caseless::Caseless;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use std::sync::Mutex;

use crate::error::Result;
use crate::write::Sink;

/// How a source writes characters it does not write as themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Markdown or plain text: HTML entities, Markdown markup.
    Text,
    /// HTML, SVG or XML: entities.
    Markup,
    /// JSON or YAML: backslash escapes.
    Escaped,
    /// BibTeX: LaTeX accent commands and braces.
    Latex,
}

impl Syntax {
    /// The syntax of a file, by its extension.
    pub(crate) fn of(path: &str) -> Syntax {
        let ext = path
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" | "svg" | "xml" | "qde" => Syntax::Markup,
            "json" | "yaml" | "yml" | "geojson" | "jsonld" => Syntax::Escaped,
            "bib" | "tex" => Syntax::Latex,
            _ => Syntax::Text,
        }
    }
}

/// Characters that are never seen: soft hyphen, zero-width characters,
/// direction marks, variation selectors and the other default-ignorable
/// code points.
fn ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5
        | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
        | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

fn separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | '\u{2010}'
                ..='\u{2015}'
                    | '\u{2212}'
                    | '\u{2E3A}'
                    | '\u{2E3B}'
                    | '\u{FE58}'
                    | '\u{FE63}'
                    | '\u{FF0D}'
                    | '\u{058A}'
                    | '\u{1400}'
                    | '\u{1806}'
        )
}

/// One folded character: `'` for every apostrophe, `"` for every double
/// quote, base letters for letters without a decomposition.
fn fold_char(c: char, out: &mut Vec<char>) {
    match c {
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{02B9}'
        | '\u{02BB}' | '\u{2032}' | '\u{2035}' | '\u{FF07}' | '\u{00B4}' | '`' => out.push('\''),
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{FF02}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
        'ø' => out.push('o'),
        'đ' | 'ð' => out.push('d'),
        'ł' | 'ŀ' => out.push('l'),
        'ħ' => out.push('h'),
        'ŧ' => out.push('t'),
        'ı' => out.push('i'),
        'ȷ' => out.push('j'),
        'ĸ' => out.push('k'),
        'ŋ' => out.push('n'),
        'æ' => out.extend(['a', 'e']),
        'œ' => out.extend(['o', 'e']),
        'þ' => out.extend(['t', 'h']),
        c => out.push(c),
    }
}

/// A source decoded into the characters it shows, each with the byte
/// offset where it is written. With `tags` false, HTML tags are skipped
/// (their attributes are searched in the other pass).
fn decode(text: &str, syntax: Syntax, tags: bool) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().expect("i is a char boundary");
        let rest = &text[i..];
        // HTML entities, in Markdown and markup.
        if c == '&' && matches!(syntax, Syntax::Text | Syntax::Markup) {
            if let Some(end) = rest[1..].find(';').filter(|e| *e > 0 && *e <= 32) {
                let entity = &rest[..end + 2];
                let decoded = html_escape::decode_html_entities(entity);
                if decoded != entity {
                    out.extend(decoded.chars().map(|d| (d, i)));
                    i += entity.len();
                    continue;
                }
            }
        }
        // HTML tags: `<` then a letter, `/` or `!`, up to `>`.
        if c == '<' && !tags && matches!(syntax, Syntax::Text | Syntax::Markup) {
            let starts_tag = rest[1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!');
            if let (true, Some(end)) = (starts_tag, rest.find('>')) {
                out.push((' ', i));
                i += end + 1;
                continue;
            }
        }
        if c == '\\' {
            let next = rest[1..].chars().next();
            match (syntax, next) {
                (Syntax::Escaped, Some('u' | 'x' | 'U')) => {
                    let width = match next {
                        Some('u') => 4,
                        Some('x') => 2,
                        _ => 8,
                    };
                    let hex = rest.get(2..2 + width).unwrap_or("");
                    if let Ok(mut code) = u32::from_str_radix(hex, 16) {
                        let mut len = 2 + width;
                        // A UTF-16 surrogate pair, as JSON writes astral characters.
                        if (0xD800..0xDC00).contains(&code) && rest[len..].starts_with("\\u") {
                            if let Some(low) = rest
                                .get(len + 2..len + 6)
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .filter(|l| (0xDC00..0xE000).contains(l))
                            {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                len += 6;
                            }
                        }
                        if let Some(d) = char::from_u32(code) {
                            out.push((d, i));
                        }
                        i += len;
                        continue;
                    }
                }
                (Syntax::Escaped, Some(e)) => {
                    let d = match e {
                        'n' | 't' | 'r' | '_' | 'N' | 'L' | 'P' | '0' | 'a' | 'b' | 'e' | 'f'
                        | 'v' => ' ',
                        e => e,
                    };
                    out.push((d, i));
                    i += 1 + e.len_utf8();
                    continue;
                }
                (Syntax::Latex, Some(e)) if "'\"^`~=.".contains(e) => {
                    i += 2; // an accent on the next letter, which stays
                    continue;
                }
                (Syntax::Latex, Some(e)) if e.is_ascii_alphabetic() => {
                    let word: String = rest[1..]
                        .chars()
                        .take_while(char::is_ascii_alphabetic)
                        .collect();
                    let letters = match word.as_str() {
                        "ss" => "ss",
                        "o" | "O" => "o",
                        "ae" | "AE" => "ae",
                        "oe" | "OE" => "oe",
                        "aa" | "AA" => "a",
                        "l" | "L" => "l",
                        "i" | "j" => &word,
                        _ => "", // \v, \c, \emph…: the command, not its argument
                    };
                    out.extend(letters.chars().map(|l| (l, i)));
                    i += 1 + word.len();
                    continue;
                }
                (Syntax::Text, _) => {
                    i += 1; // a Markdown escape shows the next character
                    continue;
                }
                _ => {}
            }
        }
        match (syntax, c) {
            (Syntax::Latex, '{' | '}') => {}
            (Syntax::Latex, '~') => out.push((' ', i)),
            (Syntax::Text, '*' | '[' | ']' | '`' | '~') => {}
            _ => out.push((c, i)),
        }
        i += c.len_utf8();
    }
    out
}

/// Decoded characters folded for matching (see the module documentation),
/// each with the byte offset of the source character it came from.
fn fold(decoded: &[(char, usize)]) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(decoded.len());
    let mut buf = Vec::new();
    for &(c, i) in decoded {
        if ignorable(c) {
            continue;
        }
        for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
            for e in std::iter::once(d)
                .default_case_fold()
                .nfkd()
                .filter(|e| !is_combining_mark(*e) && !ignorable(*e))
            {
                if separator(e) {
                    if out.last().is_none_or(|(l, _)| *l != ' ') {
                        out.push((' ', i));
                    }
                    continue;
                }
                buf.clear();
                fold_char(e, &mut buf);
                out.extend(buf.iter().map(|f| (*f, i)));
            }
        }
    }
    out
}

/// A listed string, folded; empty if it holds no letter or digit.
fn fold_name(name: &str) -> Vec<char> {
    let folded: Vec<char> = fold(&decode(name, Syntax::Markup, true))
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let trimmed: &[char] = {
        let start = folded
            .iter()
            .position(|c| *c != ' ')
            .unwrap_or(folded.len());
        let end = folded
            .iter()
            .rposition(|c| *c != ' ')
            .map_or(start, |e| e + 1);
        &folded[start..end]
    };
    if trimmed.iter().any(|c| c.is_alphanumeric()) {
        trimmed.to_vec()
    } else {
        Vec::new()
    }
}

/// Where the folded `needle` occurs in the folded `hay` as whole words:
/// the source byte offsets of the hits.
fn find_folded(hay: &[(char, usize)], needle: &[char]) -> Vec<usize> {
    let mut hits = Vec::new();
    if needle.is_empty() || needle.len() > hay.len() {
        return hits;
    }
    let word = |k: usize| hay.get(k).is_some_and(|(c, _)| c.is_alphanumeric());
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let matches = hay[i..i + needle.len()]
            .iter()
            .map(|(c, _)| *c)
            .eq(needle.iter().copied());
        let joined_before = i > 0 && word(i - 1) && needle[0].is_alphanumeric();
        let joined_after = word(i + needle.len()) && needle[needle.len() - 1].is_alphanumeric();
        let whole = !joined_before && !joined_after;
        if matches && whole {
            hits.push(hay[i].1);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    hits
}

/// The listed strings, folded once.
pub(crate) struct Names<'a> {
    names: Vec<(&'a str, Vec<char>)>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(list: &'a [String]) -> Names<'a> {
        Names {
            names: list
                .iter()
                .map(|n| (n.trim(), fold_name(n)))
                .filter(|(_, f)| !f.is_empty())
                .collect(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every hit in `text`: byte offset and the name as listed, sorted by
    /// offset. Text with HTML tags is searched with the tags and without.
    pub(crate) fn find(&self, text: &str, syntax: Syntax) -> Vec<(usize, &'a str)> {
        let mut hits = Vec::new();
        if self.names.is_empty() {
            return hits;
        }
        let mut passes = vec![fold(&decode(text, syntax, true))];
        if text.contains('<') && matches!(syntax, Syntax::Text | Syntax::Markup) {
            passes.push(fold(&decode(text, syntax, false)));
        }
        for hay in &passes {
            for (name, folded) in &self.names {
                hits.extend(find_folded(hay, folded).into_iter().map(|at| (at, *name)));
            }
        }
        hits.sort();
        hits.dedup();
        hits
    }
}

/// Every occurrence of a listed string in one source text. `skip` is a
/// byte range not to search (the list itself, in `book.toml`).
pub(crate) fn check_source(
    display: &str,
    text: &str,
    names: &Names<'_>,
    syntax: Syntax,
    skip: Option<std::ops::Range<usize>>,
) -> Vec<Diagnostic> {
    let hits = names.find(text, syntax);
    if hits.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    hits.into_iter()
        .filter(|(at, _)| !skip.as_ref().is_some_and(|r| r.contains(at)))
        .map(|(at, name)| leak(display, index.pos(text, at), name))
        .collect()
}

fn leak(display: &str, pos: Pos, word: &str) -> Diagnostic {
    Diagnostic::error(
        display,
        pos,
        format!("`{word}` must never be published (listed in [ethics] never-publish)"),
    )
    .with_help("replace it with the pseudonym or a neutral description")
}

/// A listed string in a file or folder name, which becomes a URL.
pub(crate) fn check_path(display: &str, names: &Names<'_>) -> Vec<Diagnostic> {
    let spaced = display.replace(['.', '/'], " ");
    let mut found: Vec<&str> = names
        .find(&spaced, Syntax::Text)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    found.dedup();
    found
        .into_iter()
        .map(|w| {
            leak(display, Pos::START, w)
                .with_help("the file name becomes part of a URL: rename the file")
        })
        .collect()
}

/// The text of a data file, if the guard can read it: UTF-8, or UTF-16
/// with a byte-order mark (as spreadsheet programs save CSV).
pub(crate) fn readable_text(bytes: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| {
                if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok().map(std::borrow::Cow::Owned)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let text = std::str::from_utf8(bytes).ok()?;
            // Text, not a binary format that happens to be valid UTF-8.
            if text.contains('\0') {
                return None;
            }
            Some(std::borrow::Cow::Borrowed(
                text.strip_prefix('\u{feff}').unwrap_or(text),
            ))
        }
    }
}

/// A data file copied to the site: its name and, when the guard can read
/// it, its text. `Err` carries the name check alone for a file it cannot
/// read (PDF, image, archive), which the caller names in one warning.
pub(crate) fn check_asset(
    display: &str,
    bytes: &[u8],
    names: &Names<'_>,
) -> std::result::Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut diags = check_path(display, names);
    match readable_text(bytes) {
        Some(text) => {
            diags.extend(check_source(
                display,
                &text,
                names,
                Syntax::of(display),
                None,
            ));
            Ok(diags)
        }
        None => Err(diags),
    }
}

/// One warning naming the files the guard could not read.
pub(crate) fn unreadable_warning(files: &[String]) -> Option<Diagnostic> {
    let first = files.first()?;
    let shown: Vec<&str> = files.iter().take(10).map(String::as_str).collect();
    let more = match files.len() {
        n if n > 10 => format!(" and {} more", n - 10),
        _ => String::new(),
    };
    Some(
        Diagnostic::warning(
            first,
            Pos::START,
            format!(
                "the ethics guard cannot read {} file{} (PDF, images, archives…), so they \
                 are published unchecked: {}{more}",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                shown.join(", ")
            ),
        )
        .with_help("check them yourself for the names in [ethics] never-publish"),
    )
}

/// The byte range of the `[ethics]` table (or an `ethics.never-publish`
/// key) in `book.toml`, which names the strings and must not count as
/// publishing them. Found line by line: a header line, up to the next one.
pub(crate) fn ethics_table(book: &str) -> Option<std::ops::Range<usize>> {
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

/// Listed strings that still reach one output file, in its text or its
/// path: one error per listed string, at the source the file was made
/// from when it is known (`source`), else at the output path. Each comes
/// with the listed string it is about.
pub(crate) fn check_file<'n>(
    path: &str,
    bytes: &[u8],
    names: &Names<'n>,
    shown_as: &str,
    source: Option<&str>,
) -> Vec<(&'n str, Diagnostic)> {
    let text = String::from_utf8_lossy(bytes);
    let syntax = if path.ends_with(".html") {
        Syntax::Markup
    } else {
        Syntax::of(path)
    };
    let spaced = path.replace(['.', '/'], " ");
    let mut found: Vec<&str> = names
        .find(&text, syntax)
        .into_iter()
        .chain(names.find(&spaced, Syntax::Text))
        .map(|(_, n)| n)
        .collect();
    found.sort();
    found.dedup();
    let output = format!("{shown_as}/{path}");
    found
        .into_iter()
        .map(|word| {
            let d = match source {
                Some(src) => Diagnostic::error(
                    src,
                    Pos::START,
                    format!(
                        "`{word}` would be published in {output} (listed in [ethics] never-publish)"
                    ),
                )
                .with_help(
                    "it is not written out in this file: look for it split by markup or a \
                     link, or made from a bibliography entry",
                ),
                None => Diagnostic::error(
                    &output,
                    Pos::START,
                    format!(
                        "the built site would contain `{word}` (listed in [ethics] never-publish)"
                    ),
                ),
            };
            (word, d)
        })
        .collect()
}

/// A [`Sink`] in front of another that reads every file for listed strings
/// before passing it on. With nothing listed it only passes files on.
pub(crate) struct Guard<'a> {
    inner: &'a dyn Sink,
    names: Names<'a>,
    shown_as: &'a str,
    /// The source each output file was made from, by output path.
    sources: std::collections::HashMap<String, String>,
    found: Mutex<Vec<(&'a str, bool, Diagnostic)>>,
}

impl<'a> Guard<'a> {
    pub(crate) fn new(
        inner: &'a dyn Sink,
        never: &'a [String],
        shown_as: &'a str,
        sources: std::collections::HashMap<String, String>,
    ) -> Guard<'a> {
        Guard {
            inner,
            names: Names::new(never),
            shown_as,
            sources,
            found: Mutex::new(Vec::new()),
        }
    }

    /// Every hit, one error per source and listed string. A string found
    /// in a file made from a known source is not reported once more for the
    /// files that gather many pages (the search index, the indexes).
    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        let found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let attributed: std::collections::BTreeSet<&str> = found
            .iter()
            .filter(|(_, from_source, _)| *from_source)
            .map(|(word, _, _)| *word)
            .collect();
        found
            .into_iter()
            .filter(|(word, from_source, _)| *from_source || !attributed.contains(word))
            .map(|(_, _, d)| d)
            .collect()
    }
}

impl Sink for Guard<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if !self.names.is_empty() {
            let source = self.sources.get(path).map(String::as_str);
            let hits = check_file(path, bytes, &self.names, self.shown_as, source);
            if !hits.is_empty() {
                self.found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(hits.into_iter().map(|(w, d)| (w, source.is_some(), d)));
            }
        }
        self.inner.put(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, name: &str, syntax: Syntax) -> usize {
        let list = [name.to_string()];
        Names::new(&list).find(text, syntax).len()
    }

    /// Byte offsets where `needle` occurs in `text`, matched as described
    /// in the module documentation.
    fn find_all(text: &str, needle: &str) -> Vec<usize> {
        let list = [needle.to_string()];
        let names = Names::new(&list);
        names
            .find(text, Syntax::Text)
            .into_iter()
            .map(|(at, _)| at)
            .collect()
    }

    #[test]
    fn finds_case_insensitively_with_positions() {
        assert_eq!(find_all("Jane met JANE and jAnE", "jane"), [0, 9, 18]);
        assert_eq!(find_all("Café CAFÉ", "café"), [0, 6]);
        let list = ["jane doe".to_string()];
        let d = check_source(
            "q.md",
            "---\ntitle: x\n---\nSaid by Jane Doe.\n",
            &Names::new(&list),
            Syntax::Text,
            None,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pos, Pos::new(4, 9));
    }

    #[test]
    fn spacing_accents_and_emphasis_do_not_hide_a_name() {
        let list = ["Jane Smith".to_string(), "Zoë Ray".to_string()];
        let names = Names::new(&list);
        for text in [
            "Jane\nSmith",
            "Jane  Smith",
            "Jane\u{a0}Smith",
            "Jane *Smith*",
            "Zoe\u{308} Ray",
            "ZOË RAY",
        ] {
            assert_eq!(
                check_source("n.md", text, &names, Syntax::Text, None).len(),
                1,
                "{text:?}"
            );
        }
        assert_eq!(check_path("content/notes/Jane Smith.md", &names).len(), 1);
        assert_eq!(check_path("content/notes/jane-smith.md", &names).len(), 1);
        let page = b"<p>J&#97;ne <em>Smith</em></p>";
        assert_eq!(
            check_file("a/index.html", page, &names, "site", None).len(),
            1
        );
    }

    /// Every class of typographic variant the module documentation lists.
    #[test]
    fn no_typographic_variant_hides_a_name() {
        for (name, text) in [
            ("St Aldhelm's Hospital", "at St Aldhelm’s Hospital."),
            ("St Aldhelm’s Hospital", "at St Aldhelm's Hospital."),
            ("St Aldhelm's Hospital", "St Aldhelmʼs Hospital"),
            ("St Aldhelm's Hospital", "St Aldhelm′s Hospital"),
            ("St Aldhelm's Hospital", "St Aldhelm＇s Hospital"),
            ("Mary-Jane Hill", "Mary–Jane Hill"),
            ("Mary-Jane Hill", "Mary—Jane Hill"),
            ("Mary-Jane Hill", "Mary\u{2011}Jane Hill"),
            ("Mary-Jane Hill", "Mary − Jane Hill"),
            ("Mary-Jane Hill", "Mary Jane Hill"),
            ("Jane Smith", "Jane\u{2009}Smith"),
            ("Jane Smith", "Jane\u{202f}Smith"),
            ("Jane Smith", "Jane\u{3000}Smith"),
            ("Jane Smith", "Ja\u{ad}ne Smith"),
            ("Jane Smith", "Ja\u{200b}ne Sm\u{200d}ith"),
            ("Jane Smith", "\u{feff}Jane Smi\u{2060}th"),
            ("Fiona Fisher", "Fiona Fisher"),
            ("Fiona Fisher", "Fiona Fisher"),
            ("Jane Smith", "ＪＡＮＥ ＳＭＩＴＨ"),
            ("Straße Klinik", "STRASSE KLINIK"),
            ("José Núñez", "Jose Nunez"),
            ("Søren Łukasz", "Soren Lukasz"),
            ("Jane Smith", "Jane&nbsp;Smith"),
            ("José", "Jos&eacute;"),
            ("José", "Jos&#233;"),
            ("Jane Smith", "Jane <span>Smith</span>"),
            ("Jane Smith", "[Jane] Smith"),
        ] {
            assert_eq!(hits(text, name, Syntax::Text), 1, "{name:?} in {text:?}");
        }
        assert_eq!(
            hits(
                r#""Jos\u00e9 N\u00fa\u00f1ez""#,
                "José Núñez",
                Syntax::Escaped
            ),
            1
        );
        assert_eq!(hits(r#""\ud83d\ude00 Jane""#, "Jane", Syntax::Escaped), 1);
        assert_eq!(
            hits(
                r"author = {Jos\'{e} N{\'u}{\~n}ez}",
                "José Núñez",
                Syntax::Latex
            ),
            1
        );
        assert_eq!(
            hits(r"author = {Gro{\ss}e, {\O}ystein}", "Große", Syntax::Latex),
            1
        );
        assert_eq!(hits(r"{\v{C}}aslav", "Časlav", Syntax::Latex), 1);
        assert_eq!(
            hits(
                "<svg><text>Jane</text><text>Smith</text></svg>",
                "Jane Smith",
                Syntax::Markup
            ),
            1
        );
        assert_eq!(
            hits("<img alt=\"Jane Smith\">", "Jane Smith", Syntax::Markup),
            1
        );
    }

    /// The documented rule: whole words only.
    #[test]
    fn a_word_that_merely_contains_a_name_is_not_a_hit() {
        assert_eq!(hits("Joseph and Josephine", "José", Syntax::Text), 0);
        assert_eq!(hits("the Annual report", "Ann", Syntax::Text), 0);
        assert_eq!(hits("Jose's notes", "José", Syntax::Text), 1);
        assert_eq!(hits("(Jose)", "José", Syntax::Text), 1);
        assert_eq!(hits("Jose.", "José", Syntax::Text), 1);
        assert_eq!(hits("Jose", "José", Syntax::Text), 1);
        assert_eq!(hits("xJose", "José", Syntax::Text), 0);
    }

    #[test]
    fn data_files_are_read_in_utf8_or_utf16() {
        assert_eq!(
            readable_text(b"a,b\nJane,1\n").as_deref(),
            Some("a,b\nJane,1\n")
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Jane".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(readable_text(&utf16).as_deref(), Some("Jane"));
        assert!(readable_text(b"%PDF-1.4\n\x00\xff\xfe binary").is_none());
        assert!(readable_text(&[0x89, b'P', b'N', b'G', 0, 0]).is_none());
    }

    #[test]
    fn the_list_itself_is_not_a_hit() {
        let list = ["Jane Doe".to_string()];
        let names = Names::new(&list);
        let book = "# names go in [ethics] below\n[site]\ntitle = \"T\"\n\n[ethics]\nnever-publish = [\n  \"Jane Doe\",\n]\n\n[build]\noutput = \"site\"\n";
        let range = ethics_table(book).unwrap();
        assert!(check_source("book.toml", book, &names, Syntax::Text, Some(range)).is_empty());
        let leaked = book.replace("title = \"T\"", "title = \"Jane Doe's site\"");
        let range = ethics_table(&leaked).unwrap();
        assert_eq!(
            check_source("book.toml", &leaked, &names, Syntax::Text, Some(range)).len(),
            1
        );
        let dotted = "ethics.never-publish = [\"Jane Doe\"]\n[site]\ntitle = \"T\"\n";
        let range = ethics_table(dotted).unwrap();
        assert!(check_source("book.toml", dotted, &names, Syntax::Text, Some(range)).is_empty());
    }
}
