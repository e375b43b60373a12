//! The ethics guard: strings a researcher must never publish (participants'
//! real names, places, organisations), listed in `book.toml` under
//! `[ethics] never-publish`. Every source is searched, case-insensitively,
//! and every hit is an error at its `path:line:col`; the rendered output is
//! searched too, so that nothing slips through a theme or a combination.

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::model::Output;

/// Byte offsets where `needle` occurs in `text`, ignoring case.
pub fn find_all(text: &str, needle: &str) -> Vec<usize> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for (i, _) in text.char_indices() {
        let mut rest = text[i..].chars().flat_map(char::to_lowercase);
        if needle.iter().all(|c| rest.next() == Some(*c)) {
            hits.push(i);
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
        for at in find_all(text, word.trim()) {
            if skip.as_ref().is_some_and(|r| r.contains(&at)) {
                continue;
            }
            let index = index.get_or_insert_with(|| LineIndex::new(text));
            diags.push(
                Diagnostic::error(
                    display,
                    index.pos(text, at),
                    format!(
                        "`{}` must never be published (listed in [ethics] never-publish)",
                        word.trim()
                    ),
                )
                .with_help("replace it with the pseudonym or a neutral description"),
            );
        }
    }
    diags
}

/// The byte range of the `[ethics]` table in `book.toml`, which names the
/// strings and must not count as publishing them.
pub fn ethics_table(book: &str) -> Option<std::ops::Range<usize>> {
    let start = book.find("[ethics]")?;
    let after = &book[start + 1..];
    let end = after
        .match_indices("\n[")
        .next()
        .map_or(book.len(), |(i, _)| start + 1 + i);
    Some(start..end)
}

/// Listed strings that still reach the output (from a theme, say).
pub fn check_output(output: &Output, never: &[String], shown_as: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (path, bytes) in output {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        for word in never.iter().filter(|w| !w.trim().is_empty()) {
            if !find_all(text, word.trim()).is_empty() {
                diags.push(Diagnostic::error(
                    format!("{shown_as}/{path}"),
                    Pos::START,
                    format!(
                        "the built page would contain `{}` (listed in [ethics] never-publish)",
                        word.trim()
                    ),
                ));
            }
        }
    }
    diags
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
    fn the_list_itself_is_not_a_hit() {
        let book = "[site]\ntitle = \"T\"\n\n[ethics]\nnever-publish = [\"Jane Doe\"]\n\n[build]\noutput = \"site\"\n";
        let range = ethics_table(book).unwrap();
        assert!(check_source("book.toml", book, &["Jane Doe".into()], Some(range)).is_empty());
        let leaked = book.replace("title = \"T\"", "title = \"Jane Doe's site\"");
        let range = ethics_table(&leaked).unwrap();
        assert_eq!(
            check_source("book.toml", &leaked, &["Jane Doe".into()], Some(range)).len(),
            1
        );
    }
}
