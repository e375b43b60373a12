//! BibTeX and BibLaTeX (what Zotero and JabRef export) into [`Reference`]s,
//! parsed with the `biblatex` crate, which also resolves LaTeX accents,
//! `@string` abbreviations and `crossref`s.

use biblatex::{Bibliography, ChunksExt, ParseErrorKind, Person, RawBibliography, Token};

use super::{clean_field, Date, Name, Reference};
use crate::diagnostic::{Diagnostic, LineIndex, Pos};

/// Parses a `.bib` file. Returns references with the position of each key.
pub fn parse(display: &str, text: &str) -> (Vec<(Reference, Pos)>, Vec<Diagnostic>) {
    let first = parse_text(display, text);
    // BibTeX counts every brace, escaped or not; the parser treats `\{` and
    // `\}` as escapes, so a file balanced BibTeX's way (Better BibTeX writes
    // `\vphantom{\{}\}`) can fail. Such a file is read again with the
    // escaped braces (and Better BibTeX's `\vphantom` balancers) left out:
    // they only balance braces, in fields this tool does not use. Only
    // columns on lines holding them move.
    let failed = first
        .1
        .iter()
        .any(|d| d.message.starts_with("invalid BibTeX"));
    if failed && text.contains("\\}") {
        let rewritten = text
            .replace("\\vphantom{\\{}", "")
            .replace("\\vphantom{\\}}", "")
            .replace("\\{", "")
            .replace("\\}", "");
        let second = parse_text(display, &rewritten);
        if second.1.is_empty() {
            return second;
        }
    }
    first
}

fn parse_text(display: &str, text: &str) -> (Vec<(Reference, Pos)>, Vec<Diagnostic>) {
    let index = LineIndex::new(text);
    let mut raw = match RawBibliography::parse(text) {
        Ok(raw) => raw,
        Err(e) => {
            let diag = Diagnostic::error(
                display,
                index.pos(text, e.span.start),
                format!("invalid BibTeX: {}", e.kind),
            );
            // A field's `{` that runs into the next field or entry is the
            // one never closed; the error is reported there.
            if let Some(at) = field_left_open(text) {
                let p = index.pos(text, at);
                let field = field_name_before(text, at);
                let diag = Diagnostic::error(
                    display,
                    p,
                    format!("invalid BibTeX: the `{{` of field `{field}` is never closed"),
                )
                .with_help("close the value with `}` before the next field");
                return (vec![], vec![diag]);
            }
            let help = match unclosed_brace(text) {
                Some(at) => {
                    let p = index.pos(text, at);
                    Some(format!("the `{{` at {}:{} is never closed", p.line, p.col))
                }
                None if matches!(e.kind, ParseErrorKind::Expected(Token::Comma)) => {
                    Some(missing_comma_help(text, e.span.start))
                }
                None => None,
            };
            return (vec![], vec![diag.with_help_opt(help)]);
        }
    };
    let mut diags = Vec::new();
    let mut seen: Vec<(String, Pos)> = Vec::new();
    raw.entries.retain(|entry| {
        let key = entry.v.key.v;
        let pos = index.pos(text, entry.v.key.span.start);
        if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
            diags.push(Diagnostic::error(
                display,
                pos,
                format!(
                    "duplicate reference key `{key}`: also defined at {display}:{}:{}",
                    first.line, first.col
                ),
            ));
            return false;
        }
        seen.push((key.to_string(), pos));
        true
    });
    let kinds: Vec<String> = raw
        .entries
        .iter()
        .map(|e| e.v.kind.v.to_ascii_lowercase())
        .collect();
    let bib = match Bibliography::from_raw(raw) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                display,
                index.pos(text, e.span.start),
                format!("invalid BibTeX: {}", e.kind),
            ));
            return (vec![], diags);
        }
    };
    let mut out = Vec::new();
    for ((entry, kind), (_, pos)) in bib.iter().zip(&kinds).zip(&seen) {
        if !ENTRY_TYPES.contains(&kind.as_str()) {
            let at = type_pos(text, &index, *pos);
            diags.push(
                Diagnostic::warning(
                    display,
                    at,
                    format!(
                        "unknown entry type `@{kind}`: read as a plain document, so fields such as \
                         journal, volume and issue are not shown"
                    ),
                )
                .with_help_opt(crate::diagnostic::did_you_mean(
                    kind,
                    ENTRY_TYPES.iter().copied(),
                )),
            );
        }
        out.push((to_reference(entry, kind), *pos));
    }
    (out, diags)
}

/// The BibTeX and BibLaTeX entry types this reader maps to CSL types.
const ENTRY_TYPES: &[&str] = &[
    "article",
    "book",
    "mvbook",
    "collection",
    "mvcollection",
    "proceedings",
    "mvproceedings",
    "manual",
    "inbook",
    "incollection",
    "suppbook",
    "suppcollection",
    "bookinbook",
    "inproceedings",
    "conference",
    "report",
    "techreport",
    "thesis",
    "phdthesis",
    "mastersthesis",
    "online",
    "www",
    "electronic",
    "unpublished",
    "booklet",
    "periodical",
    "patent",
    "dataset",
    "software",
    "legislation",
    "law",
    "legal",
    "jurisdiction",
    "inreference",
    "reference",
    "mvreference",
    "letter",
    "video",
    "movie",
    "audio",
    "music",
    "image",
    "artwork",
    "misc",
    "suppperiodical",
    "review",
    "set",
    "xdata",
    "standard",
];

/// The position of the `@type` that opens the entry whose key is at `key`.
fn type_pos(text: &str, index: &LineIndex, key: Pos) -> Pos {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(key.line - 1)
        .map(str::len)
        .sum();
    let line = &text[line_start.min(text.len())..];
    let in_line: usize = line
        .chars()
        .take(key.col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let at = text[..line_start + in_line]
        .rfind('@')
        .unwrap_or(line_start);
    index.pos(text, at)
}

/// Maps one BibLaTeX entry to CSL variables.
fn to_reference(entry: &biblatex::Entry, kind: &str) -> Reference {
    let get = |name: &str| {
        entry
            .get(name)
            .map(|c| c.format_verbatim())
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    let subtype = get("entrysubtype");
    let csl_type = csl_type(kind, subtype.as_deref(), get("url").is_some());
    let mut r = Reference {
        key: entry.key.clone(),
        kind: csl_type.to_string(),
        ..Reference::default()
    };
    for (field, var) in [
        ("author", "author"),
        ("editor", "editor"),
        ("translator", "translator"),
    ] {
        if let Some(people) = entry.get(field).and_then(|c| c.parse::<Vec<Person>>().ok()) {
            let names: Vec<Name> = people.iter().map(person).collect();
            if !names.is_empty() {
                r.names.insert(var.to_string(), names);
            }
        }
    }
    let mut set = |var: &str, value: Option<String>| {
        if let Some(v) = value {
            let v = clean_field(var, &v);
            if !v.is_empty() {
                r.fields.entry(var.to_string()).or_insert(v);
            }
        }
    };
    let title = match (get("title"), get("subtitle")) {
        (Some(t), Some(s)) => Some(format!("{t}: {s}")),
        (t, _) => t,
    };
    set("title", title);
    set(
        "container-title",
        get("journaltitle")
            .or_else(|| get("journal"))
            .or_else(|| get("booktitle")),
    );
    set("collection-title", get("series"));
    set("volume", get("volume"));
    let number = get("number");
    if csl_type.starts_with("article") {
        set("issue", get("issue").or(number));
    } else {
        set("issue", get("issue"));
        set("number", number);
    }
    set("page", get("pages"));
    set("edition", get("edition"));
    set(
        "publisher",
        get("publisher")
            .or_else(|| get("institution"))
            .or_else(|| get("school"))
            .or_else(|| get("organization")),
    );
    set(
        "publisher-place",
        get("location").or_else(|| get("address")),
    );
    set("DOI", get("doi"));
    set("URL", get("url"));
    set("ISBN", get("isbn"));
    set("ISSN", get("issn"));
    set("note", get("note"));
    set("genre", get("type"));
    set("abstract", get("abstract"));
    set("language", get("langid").or_else(|| get("language")));

    if let Some(d) = get("date").and_then(|d| Date::parse_iso(&d)) {
        r.dates.insert("issued".into(), d);
    } else if let Some(year) = get("year").and_then(|y| y.trim().parse::<i32>().ok()) {
        let mut parts = vec![year];
        if let Some(m) = get("month").and_then(|m| month(&m)) {
            parts.push(m);
        }
        r.dates.insert(
            "issued".into(),
            Date {
                parts,
                ..Date::default()
            },
        );
    }
    if let Some(d) = get("urldate").and_then(|d| Date::parse_iso(&d)) {
        r.dates.insert("accessed".into(), d);
    }
    r
}

/// The byte offset of the first `{` that is never closed, counting braces
/// as BibTeX does (a backslash escapes the next character).
/// Where a comma is missing, for an "expected comma" at `at`: after the
/// entry's key (`@book{key` then a field), or between two fields.
fn missing_comma_help(text: &str, at: usize) -> String {
    let entry_start = text[..at].rfind('@').unwrap_or(0);
    let before = &text[entry_start..at];
    if before.contains('=') {
        let field = text[at..]
            .split(|c: char| c == '=' || c.is_whitespace())
            .find(|w| !w.is_empty())
            .unwrap_or("the next field");
        format!("a comma is missing between two fields: end the field before `{field}` with `,`")
    } else {
        "each entry starts with its key and a comma, as in `@book{huxham2005,`".into()
    }
}

/// The offset of a field value's `{` whose value runs into the next field
/// (a line `name = …`) or the next entry (a line starting with `@`): the
/// brace a writer forgot to close.
fn field_left_open(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(eq) = text[i..].find('=') {
        let eq = i + eq;
        let after = text[eq + 1..].trim_start();
        i = eq + 1;
        if !after.starts_with('{') {
            continue;
        }
        let open = text.len() - after.len();
        let mut depth = 0usize;
        let mut j = open;
        let mut close = None;
        while j < bytes.len() {
            match bytes[j] {
                b'\\' => j += 1,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let value = &text[open + 1..close.unwrap_or(text.len())];
        let runs_on = value.lines().skip(1).any(|line| {
            let t = line.trim_start();
            t.starts_with('@')
                || t.split_once('=').is_some_and(|(name, _)| {
                    let name = name.trim();
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
                })
        });
        if runs_on || close.is_none() {
            return Some(open);
        }
        i = close.map_or(text.len(), |c| c + 1);
    }
    None
}

/// The field name written before the `=` that precedes offset `at`.
fn field_name_before(text: &str, at: usize) -> &str {
    let before = text[..at].trim_end().trim_end_matches('=').trim_end();
    let start = before
        .rfind(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .map_or(0, |s| s + 1);
    &before[start..]
}

fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().copied()
}

fn person(p: &Person) -> Name {
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Name {
        family: opt(&p.name),
        given: opt(&p.given_name),
        literal: None,
        particle: opt(&p.prefix),
        suffix: opt(&p.suffix),
    }
    .normalised()
}

fn month(m: &str) -> Option<i32> {
    let m = m.trim().to_ascii_lowercase();
    if let Ok(n) = m.parse::<i32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|n| m.starts_with(n))
        .map(|i| i as i32 + 1)
}

/// The CSL type for a BibLaTeX entry type.
pub fn csl_type(kind: &str, subtype: Option<&str>, has_url: bool) -> &'static str {
    match kind {
        "article" => match subtype {
            Some("magazine") => "article-magazine",
            Some("newspaper") => "article-newspaper",
            _ => "article-journal",
        },
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "manual" => "book",
        "inbook" | "incollection" | "suppbook" | "suppcollection" | "bookinbook" => "chapter",
        "inproceedings" | "conference" => "paper-conference",
        "report" | "techreport" => "report",
        "thesis" | "phdthesis" | "mastersthesis" => "thesis",
        "online" | "www" | "electronic" => "webpage",
        "unpublished" => "manuscript",
        "booklet" => "pamphlet",
        "periodical" => "periodical",
        "patent" => "patent",
        "dataset" => "dataset",
        "software" => "software",
        "legislation" | "law" | "legal" => "legislation",
        "jurisdiction" => "legal_case",
        "inreference" | "reference" | "mvreference" => "entry-encyclopedia",
        "letter" => "personal_communication",
        "video" | "movie" => "motion_picture",
        "audio" | "music" => "song",
        "image" | "artwork" => "graphic",
        "misc" => match subtype.and_then(|s| super::CSL_TYPES.iter().find(|t| **t == s)) {
            Some(t) => t,
            None if has_url => "webpage",
            None => "document",
        },
        _ => "document",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_with_accents_and_ranges() {
        let (refs, d) = parse(
            "r.bib",
            "@article{brukner2014,\n  author = {Brukner, {\\v C}aslav and Ara{\\'u}jo, Mateus},\n  title = {{Quantum} causal \\& stuff},\n  journal = {Phys. Rev.},\n  year = {2014}, month = dec,\n  volume = {1}, number = {3}, pages = {379--389}\n}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let (r, pos) = &refs[0];
        assert_eq!(*pos, Pos::new(1, 10));
        assert_eq!(r.kind, "article-journal");
        assert_eq!(r.names["author"][0].given.as_deref(), Some("Časlav"));
        assert_eq!(r.names["author"][1].family.as_deref(), Some("Araújo"));
        assert_eq!(r.field("title"), Some("Quantum causal & stuff"));
        assert_eq!(r.field("issue"), Some("3"));
        assert_eq!(r.field("page"), Some("379-389"));
        assert_eq!(r.dates["issued"].parts, [2014, 12]);
    }

    #[test]
    fn corporate_names_are_literal() {
        let (refs, _) = parse(
            "r.bib",
            "@book{oecd, author = {{OECD} and {UNDP}}, title = {T}, year = 2012}",
        );
        let names = &refs[0].0.names["author"];
        assert_eq!(names, &[Name::literal("OECD"), Name::literal("UNDP")]);
    }

    #[test]
    fn malformed_and_duplicate_entries() {
        let (_, d) = parse("r.bib", "@book{a,\n  title = {Open brace,\n}\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.starts_with("invalid BibTeX"), "{}", d[0]);
        let (refs, d) = parse("r.bib", "@book{a, title={A}}\n\n@book{a, title={B}}\n");
        assert_eq!(refs.len(), 1);
        assert_eq!(
            d[0].to_string(),
            "r.bib:3:7: error: duplicate reference key `a`: also defined at r.bib:1:7"
        );
    }
}
