//! The search index, built at build time for a search that runs in the
//! reader's browser with no server: an elasticlunr index (the engine mdBook
//! uses) written as a script file, so it loads from `file://` and under any
//! path prefix, where a `fetch` of a JSON index would be refused.

use elasticlunr::{Index, IndexBuilder};
use serde::Serialize;

use super::RenderContext;
use crate::model::{Kind, Role};

/// What a result shows; the index itself holds the searchable text.
#[derive(Serialize)]
struct Doc {
    title: String,
    /// Site-relative URL of the page (`""` for the home page).
    url: String,
    kind: String,
    excerpt: String,
    /// For quotes: the titles of their tensions, to filter by.
    tensions: Vec<String>,
}

#[derive(Serialize)]
struct SearchData<'a> {
    index: &'a Index,
    docs: Vec<Doc>,
    /// Every tension title, for the filter.
    tensions: Vec<String>,
}

/// Longest word the index takes. The index stores words as a tree of
/// characters, one level per character: a 300 KB "word" (pathological
/// Markdown such as `[a](<b` repeated) would overflow the stack when the
/// index is written. Nobody searches for a word this long.
const MAX_WORD: usize = 48;

/// Letters that do not decompose into a base letter and a mark, written
/// as readers type them without the accent. `search.js` folds queries with
/// the same table.
const FOLDED: [(char, &str); 12] = [
    ('ø', "o"),
    ('Ø', "O"),
    ('æ', "ae"),
    ('Æ', "AE"),
    ('œ', "oe"),
    ('Œ', "OE"),
    ('ß', "ss"),
    ('ł', "l"),
    ('Ł', "L"),
    ('đ', "d"),
    ('Đ', "D"),
    ('ı', "i"),
];

/// `text` with its accents taken off (`Zoë` → `Zoe`, `Øberg` → `Oberg`):
/// compatibility decomposition without combining marks, then [`FOLDED`].
/// Indexed text and queries are both folded, so either spelling finds the
/// other.
fn fold(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        match FOLDED.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

/// `text` without the words the index does not take.
fn searchable(text: &str) -> String {
    if text.split_whitespace().all(|w| w.len() <= MAX_WORD) {
        return text.to_string();
    }
    text.split_whitespace()
        .filter(|w| w.chars().count() <= MAX_WORD)
        .collect::<Vec<_>>()
        .join(" ")
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(180).collect();
    if text.chars().count() > 180 {
        out.push('…');
    }
    out
}

/// Builds `search-index.js` from the pages' plain texts, given in any
/// order as the pages render. Each page's document number is fixed by its
/// place in the site, and the index keeps everything in ordered maps, so
/// the script is the same whatever order the pages came in.
pub(super) struct Builder<'a> {
    input: &'a RenderContext<'a>,
    index: Index,
    /// Each page's document number: pages in site order, the A–Z index
    /// left out.
    numbers: Vec<Option<usize>>,
    docs: Vec<Option<Doc>>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(input: &'a RenderContext<'a>) -> Self {
        let mut count = 0;
        let numbers: Vec<Option<usize>> = input
            .site
            .pages
            .iter()
            .map(|sp| {
                (!matches!(sp.role, Role::AzIndex)).then(|| {
                    count += 1;
                    count - 1
                })
            })
            .collect();
        Builder {
            input,
            // The default tokenizer and pipeline, so that queries in the
            // browser are split and stemmed the same way.
            index: IndexBuilder::new()
                .save_docs(false)
                .add_field("title")
                .add_field("body")
                .add_field("people")
                .build(),
            numbers,
            docs: (0..count).map(|_| None).collect(),
        }
    }

    /// Page `i`, with its body's plain text.
    pub(super) fn add(&mut self, i: usize, mut body: String) {
        let Some(number) = self.numbers[i] else {
            return;
        };
        let input = self.input;
        let site = input.site;
        let qual = &site.qual;
        let sp = &site.pages[i];
        let front = &sp.page.front;
        let mut people = String::new();
        let mut tensions = Vec::new();
        let kind = match sp.role {
            Role::Reference(r) => {
                let entry = &input.bib.refs[r];
                people = entry
                    .creators()
                    .iter()
                    .map(|n| n.inverted())
                    .collect::<Vec<_>>()
                    .join("; ");
                body = format!(
                    "{} {} {body}",
                    input.cites.entries[r].text,
                    entry.year().map(|y| y.to_string()).unwrap_or_default()
                );
                "reference".to_string()
            }
            Role::Page => front.kind().name().to_string(),
            _ => "index".to_string(),
        };
        if let Some(q) = qual.quote_of(i) {
            let quote = &qual.quotes[q];
            people = qual.participants[quote.speaker].pseudonym.clone();
            tensions = quote
                .tags
                .iter()
                .map(|(t, _)| site.pages[qual.tensions[*t].page].page.front.title.clone())
                .collect();
            if let Some(m) = &quote.metaphor {
                body.push(' ');
                body.push_str(m);
            }
        }
        if front.kind() == Kind::Note || front.kind() == Kind::Policy {
            if let Some(s) = &front.summary {
                body = format!("{s} {body}");
            }
        }
        self.index.add_doc(
            &number.to_string(),
            [
                searchable(&fold(&front.title)).as_str(),
                searchable(&fold(&body)).as_str(),
                searchable(&fold(&people)).as_str(),
            ],
        );
        self.docs[number] = Some(Doc {
            title: front.title.clone(),
            url: sp.url.clone(),
            kind,
            excerpt: excerpt(if body.is_empty() {
                front.summary.as_deref().unwrap_or("")
            } else {
                &body
            }),
            tensions,
        });
    }

    /// `search-index.js`: the index and the documents, as one script.
    pub(super) fn script(self) -> String {
        let site = self.input.site;
        let data = SearchData {
            index: &self.index,
            docs: self
                .docs
                .into_iter()
                .map(|d| d.expect("every page was added"))
                .collect(),
            tensions: site
                .qual
                .tensions
                .iter()
                .map(|t| site.pages[t.page].page.front.title.clone())
                .collect(),
        };
        let json = serde_json::to_string(&data).expect("the index serialises");
        // Safe inside a script file, and inside HTML should anyone inline it.
        let json = json.replace("</", "<\\/");
        format!("window.companionSearch = {json};\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_are_folded_for_the_index() {
        assert_eq!(
            fold("Zoë Øberg, Ærø, straße, Łódź, café"),
            "Zoe Oberg, AEro, strasse, Lodz, cafe"
        );
        assert_eq!(fold("ﬁnal ①"), "final 1", "compatibility forms too");
        assert_eq!(fold("plain ASCII"), "plain ASCII");
    }

    /// `search.js` folds queries with the same table as the index.
    #[test]
    fn the_browser_folds_queries_with_the_same_table() {
        let js = include_str!("../../themes/default/static/search.js");
        for (from, to) in FOLDED {
            assert!(
                js.contains(&format!("\"{from}\": \"{to}\"")),
                "search.js folds {from} to {to}"
            );
        }
    }

    /// The builder adds pages as they render, in any order: the index it
    /// writes must not depend on that order.
    #[test]
    fn the_index_does_not_depend_on_the_order_documents_are_added() {
        let docs = [
            ("0", ["Trust", "trust and power meet", "Zoë"]),
            ("1", ["Power", "power over resources", ""]),
            ("2", ["Quotes", "trust me, said the officer", "Ann"]),
        ];
        let build = |order: &[usize]| {
            let mut index = IndexBuilder::new()
                .save_docs(false)
                .add_field("title")
                .add_field("body")
                .add_field("people")
                .build();
            for &k in order {
                index.add_doc(docs[k].0, docs[k].1);
            }
            serde_json::to_string(&index).unwrap()
        };
        let forward = build(&[0, 1, 2]);
        assert!(forward.contains(r#""docs":{"2":{"tf":1.0}}"#), "{forward}");
        assert_eq!(forward, build(&[2, 0, 1]));
        assert_eq!(forward, build(&[1, 2, 0]));
    }
}
