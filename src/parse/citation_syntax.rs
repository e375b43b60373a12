//! Pandoc's citation syntax, recognised in the text of a note.
//!
//! `[@key]`, `[@a; @b]`, `[see @key, p. 414]`, `[@key, pp. 217-234]`,
//! `[-@key]` (author suppressed) and narrative `@key` or `@key [p. 33]`.
//! The scanner works on the text of Markdown `Text` events, so code spans,
//! code blocks and link destinations never reach it; an `@` that follows a
//! letter, digit or `/` (an e-mail address, a URL) does not start a key.

use std::ops::Range;

/// What kind of locator a citation gives (`p.`, `chap.`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LocatorKind {
    Page,
    Chapter,
    Section,
    Paragraph,
    Figure,
    Volume,
    Note,
    Line,
    Part,
    Book,
    Column,
    Table,
    Appendix,
}

/// Labels a locator may be written with, longest first within each kind.
const LABELS: &[(&str, LocatorKind)] = &[
    ("pages", LocatorKind::Page),
    ("page", LocatorKind::Page),
    ("pp.", LocatorKind::Page),
    ("p.", LocatorKind::Page),
    ("chapters", LocatorKind::Chapter),
    ("chapter", LocatorKind::Chapter),
    ("chaps.", LocatorKind::Chapter),
    ("chap.", LocatorKind::Chapter),
    ("ch.", LocatorKind::Chapter),
    ("sections", LocatorKind::Section),
    ("section", LocatorKind::Section),
    ("secs.", LocatorKind::Section),
    ("sec.", LocatorKind::Section),
    ("§§", LocatorKind::Section),
    ("§", LocatorKind::Section),
    ("paragraphs", LocatorKind::Paragraph),
    ("paragraph", LocatorKind::Paragraph),
    ("paras.", LocatorKind::Paragraph),
    ("para.", LocatorKind::Paragraph),
    ("¶", LocatorKind::Paragraph),
    ("figures", LocatorKind::Figure),
    ("figure", LocatorKind::Figure),
    ("figs.", LocatorKind::Figure),
    ("fig.", LocatorKind::Figure),
    ("volumes", LocatorKind::Volume),
    ("volume", LocatorKind::Volume),
    ("vols.", LocatorKind::Volume),
    ("vol.", LocatorKind::Volume),
    ("notes", LocatorKind::Note),
    ("note", LocatorKind::Note),
    ("nn.", LocatorKind::Note),
    ("n.", LocatorKind::Note),
    ("lines", LocatorKind::Line),
    ("line", LocatorKind::Line),
    ("ll.", LocatorKind::Line),
    ("l.", LocatorKind::Line),
    ("parts", LocatorKind::Part),
    ("part", LocatorKind::Part),
    ("pt.", LocatorKind::Part),
    ("books", LocatorKind::Book),
    ("book", LocatorKind::Book),
    ("bk.", LocatorKind::Book),
    ("columns", LocatorKind::Column),
    ("column", LocatorKind::Column),
    ("col.", LocatorKind::Column),
    ("tables", LocatorKind::Table),
    ("table", LocatorKind::Table),
    ("tab.", LocatorKind::Table),
    ("appendix", LocatorKind::Appendix),
    ("app.", LocatorKind::Appendix),
];

/// A locator: its kind and its value as written (`414`, `217-234`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locator {
    pub kind: LocatorKind,
    pub value: String,
}

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    /// Byte range of `@key` in the scanned text.
    pub key_range: Range<usize>,
    /// Text before the key, such as `see`.
    pub prefix: String,
    pub locator: Option<Locator>,
    /// Text after the locator, such as `emphasis added`.
    pub suffix: String,
    /// `[-@key]`: the year only.
    pub suppress_author: bool,
}

/// Parenthetical `[@key]` or narrative `@key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteForm {
    Parenthetical,
    Narrative,
}

/// A citation: one or more works cited together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteGroup {
    pub form: CiteForm,
    pub items: Vec<CiteItem>,
    /// Byte range of the whole citation in the scanned text.
    pub range: Range<usize>,
}

/// Characters allowed inside a key after its first character.
fn key_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '_' | ':' | '.' | '#' | '$' | '%' | '&' | '-' | '+' | '?' | '<' | '>' | '~' | '/'
        )
}

/// Reads a key starting at the `@` at `at`: `@key` or `@{key}`. Returns the
/// key and the byte offset after it.
fn read_key(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = text.get(at + 1..)?;
    if let Some(braced) = rest.strip_prefix('{') {
        let end = braced.find(['}', '[', ']', ';', '\n'])?;
        if !braced[end..].starts_with('}') {
            return None;
        }
        let key = &braced[..end];
        return (!key.is_empty()).then(|| (key.to_string(), at + 1 + end + 2));
    }
    let first = rest.chars().next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let mut end = rest.find(|c: char| !key_char(c)).unwrap_or(rest.len());
    // Internal punctuation only: a key never ends in punctuation.
    while end > 0 {
        let last = rest[..end].chars().next_back().unwrap();
        if last.is_alphanumeric() || last == '_' {
            break;
        }
        end -= last.len_utf8();
    }
    Some((rest[..end].to_string(), at + 1 + end))
}

/// Whether an `@` preceded by `prev` may start a narrative citation.
fn may_start(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            !(c.is_alphanumeric()
                || matches!(c, '/' | '.' | ':' | '-' | '_' | '@' | '\\' | '=' | '+'))
        }
    }
}

/// Splits the text after a key into locator and suffix.
fn locator_and_suffix(rest: &str) -> (Option<Locator>, String) {
    let rest = rest.trim();
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim();
    if rest.is_empty() {
        return (None, String::new());
    }
    let (kind, after) = match LABELS.iter().find(|(label, _)| {
        // Compare bytes, ignoring ASCII case: slicing stays on boundaries.
        rest.get(..label.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(label))
            && rest[label.len()..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c.is_ascii_digit() || c == '\u{a0}')
    }) {
        Some((label, kind)) => (Some(*kind), rest[label.len()..].trim_start()),
        None if rest.starts_with(|c: char| c.is_ascii_digit()) => (Some(LocatorKind::Page), rest),
        None => (None, rest),
    };
    let Some(kind) = kind else {
        return (None, rest.to_string());
    };
    let end = value_end(after);
    if end == 0 {
        return (None, rest.to_string());
    }
    let value = after[..end].trim().replace(['–', '—'], "-");
    let suffix = after[end..]
        .trim()
        .trim_start_matches(',')
        .trim()
        .to_string();
    (Some(Locator { kind, value }), suffix)
}

/// Where a locator value ends: numbers, roman numerals and ranges or lists
/// of them (`414`, `217-234`, `15, 17–19`, `iv`), up to a word or a comma
/// that does not lead to another number. One pass over the text.
fn value_end(after: &str) -> usize {
    let roman = |w: &str| w.chars().all(|c| "ivxlcdmIVXLCDM".contains(c));
    let is_value =
        |w: &str| w.starts_with(|c: char| c.is_ascii_digit()) || (!w.is_empty() && roman(w));
    let word_at = |i: usize| {
        let len = after[i..]
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(after.len() - i);
        &after[i..i + len]
    };
    let skip_spaces = |i: usize| i + (after[i..].len() - after[i..].trim_start_matches(' ').len());
    let mut end = 0;
    let mut i = 0;
    loop {
        let j = skip_spaces(i);
        let w = word_at(j);
        if !is_value(w) {
            break;
        }
        end = j + w.len();
        // A joiner and another value may follow.
        let k = skip_spaces(end);
        let Some(joiner) = after[k..]
            .chars()
            .next()
            .filter(|c| matches!(c, '-' | '–' | '—' | ',' | '&'))
        else {
            break;
        };
        let next = skip_spaces(k + joiner.len_utf8());
        if !is_value(word_at(next)) {
            break;
        }
        i = next;
    }
    end
}

/// Parses the inside of `[…]` as a list of citation items, or `None` if it
/// is not a citation (every `;`-separated part must hold one key).
fn bracket_items(text: &str, start: usize, inner: Range<usize>) -> Option<Vec<CiteItem>> {
    let body = &text[inner.clone()];
    let mut items = Vec::new();
    let mut offset = inner.start;
    for part in body.split(';') {
        let at_rel = part
            .char_indices()
            .find(|&(i, c)| {
                c == '@' && may_start(part[..i].chars().next_back().filter(|p| *p != '-'))
            })?
            .0;
        let at = offset + at_rel;
        // A braced key may not run past its own part of the brackets.
        let (key, after) = read_key(&text[..offset + part.len()], at)?;
        let before = &part[..at_rel];
        let suppress_author = before.ends_with('-');
        let prefix = before.trim_end_matches('-').trim().to_string();
        let rest = &text[after..offset + part.len()];
        let (locator, suffix) = locator_and_suffix(rest);
        items.push(CiteItem {
            key,
            key_range: at..after,
            prefix,
            locator,
            suffix,
            suppress_author,
        });
        offset += part.len() + 1;
    }
    let _ = start;
    (!items.is_empty()).then_some(items)
}

/// Finds every citation in `text`. `before` is the character just before
/// the text (if any), and `escaped(i)` tells whether the character at byte
/// `i` was written with a backslash escape in the source.
pub fn scan(text: &str, before: Option<char>, escaped: &dyn Fn(usize) -> bool) -> Vec<CiteGroup> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        if c == '[' && !escaped(i) {
            if let Some(close) = text[i + 1..].find(']').map(|j| i + 1 + j) {
                let inner = i + 1..close;
                let nested = text[inner.clone()].contains('[');
                if !nested && text[inner.clone()].contains('@') {
                    if let Some(items) = bracket_items(text, i, inner) {
                        groups.push(CiteGroup {
                            form: CiteForm::Parenthetical,
                            items,
                            range: i..close + 1,
                        });
                        i = close + 1;
                        continue;
                    }
                }
            }
        }
        if c == '@' && !escaped(i) {
            let prev = if i == 0 {
                before
            } else {
                text[..i].chars().next_back()
            };
            if may_start(prev) {
                if let Some((key, after)) = read_key(text, i) {
                    let mut end = after;
                    let mut locator = None;
                    let mut suffix = String::new();
                    // `@key [p. 33]`: a locator in brackets right after.
                    if let Some(rest) = text[after..].strip_prefix(" [") {
                        if let Some(close) = rest.find(']') {
                            let inside = &rest[..close];
                            if !inside.contains(['@', '[']) {
                                let (l, s) = locator_and_suffix(inside);
                                if l.is_some() {
                                    locator = l;
                                    suffix = s;
                                    end = after + 2 + close + 1;
                                }
                            }
                        }
                    }
                    groups.push(CiteGroup {
                        form: CiteForm::Narrative,
                        items: vec![CiteItem {
                            key,
                            key_range: i..after,
                            prefix: String::new(),
                            locator,
                            suffix,
                            suppress_author: false,
                        }],
                        range: i..end,
                    });
                    i = end;
                    continue;
                }
            }
        }
        i += c.len_utf8();
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(text: &str) -> Vec<CiteGroup> {
        scan(text, None, &|_| false)
    }

    fn keys(text: &str) -> Vec<Vec<String>> {
        scan_all(text)
            .into_iter()
            .map(|g| g.items.into_iter().map(|i| i.key).collect())
            .collect()
    }

    #[test]
    fn every_pandoc_form() {
        let g = scan_all("As [@huxham2005] and [@alcock2010a; @hogg2011] say.");
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].form, CiteForm::Parenthetical);
        assert_eq!(g[0].range, 3..16);
        assert_eq!(g[1].items[1].key, "hogg2011");

        let g = scan_all("[see @ospina2010, p. 414]");
        let item = &g[0].items[0];
        assert_eq!(item.prefix, "see");
        assert_eq!(
            item.locator,
            Some(Locator {
                kind: LocatorKind::Page,
                value: "414".into()
            })
        );

        let g = scan_all("[@huxham2005, pp. 217-234]");
        assert_eq!(g[0].items[0].locator.as_ref().unwrap().value, "217-234");

        let g = scan_all("[-@huxham2005]");
        assert!(g[0].items[0].suppress_author);

        let g = scan_all("@bachmann2009 found that");
        assert_eq!(g[0].form, CiteForm::Narrative);
        assert_eq!(g[0].range, 0..13);

        let g = scan_all("@bachmann2009 [p. 33] found");
        assert_eq!(g[0].items[0].locator.as_ref().unwrap().value, "33");
        assert_eq!(g[0].range, 0..21);
    }

    #[test]
    fn locators_and_suffixes() {
        let (l, s) = locator_and_suffix(", p. 33 and passim");
        assert_eq!(l.unwrap().value, "33");
        assert_eq!(s, "and passim");
        let (l, _) = locator_and_suffix(", chap. 3");
        assert_eq!(l.unwrap().kind, LocatorKind::Chapter);
        let (l, _) = locator_and_suffix(", pp.15-16");
        assert_eq!(l.unwrap().value, "15-16");
        let (l, _) = locator_and_suffix(" 45");
        assert_eq!(l.unwrap().kind, LocatorKind::Page);
        let (l, s) = locator_and_suffix(", emphasis added");
        assert_eq!((l, s.as_str()), (None, "emphasis added"));
        let (l, _) = locator_and_suffix(", pp. 15, 17–19");
        assert_eq!(l.unwrap().value, "15, 17-19");
        let (l, _) = locator_and_suffix(", pp. iv-vi");
        assert_eq!(l.unwrap().value, "iv-vi");
        // Non-ASCII look-alikes of label letters are not labels (and no panic).
        let (l, s) = locator_and_suffix(", b\u{212a}. 3");
        assert_eq!((l, s.as_str()), (None, "b\u{212a}. 3"));
        // Long runs stay linear: this would take minutes if quadratic.
        let long = format!(", p. {}", "i".repeat(200_000));
        assert_eq!(locator_and_suffix(&long).0.unwrap().value.len(), 200_000);
    }

    #[test]
    fn not_citations() {
        assert!(scan_all("mail a@b.org or see https://x.org/@inbo").is_empty());
        assert!(scan_all("[a link] and [@ nothing] and @ alone").is_empty());
        assert!(scan_all("a trailing @").is_empty());
        // An escaped `\@` is text.
        assert!(scan("@key", None, &|i| i == 0).is_empty());
        // The character before the text counts too.
        assert!(scan("@key", Some('x'), &|_| false).is_empty());
    }

    #[test]
    fn keys_keep_internal_punctuation_only() {
        assert_eq!(keys("(@smith:2004.)"), [["smith:2004"]]);
        assert_eq!(keys("@{weird key!}"), [["weird key!"]]);
        assert_eq!(keys("[@a, p. 1; see @b]"), [["a", "b"]]);
        // A brace that runs past the brackets is not a key (and no panic).
        assert!(keys("See [@{abel2011] and the set {x}.").is_empty());
        assert!(keys("[@{smith2010;x}]").is_empty());
    }
}
