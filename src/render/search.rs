//! The search index, built at build time for a search that runs in the
//! reader's browser with no server: an elasticlunr index (the engine mdBook
//! uses) written as a script file, so it loads from `file://` and under any
//! path prefix, where a `fetch` of a JSON index would be refused.

use elasticlunr::{Index, IndexBuilder};
use pulldown_cmark::Event;
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

/// The plain text of a page body.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Longest word the index takes. The index stores words as a tree of
/// characters, one level per character: a 300 KB "word" (pathological
/// Markdown such as `[a](<b` repeated) would overflow the stack when the
/// index is written. Nobody searches for a word this long.
const MAX_WORD: usize = 48;

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

/// `search-index.js`: the index and the documents, as one script.
pub(super) fn index_script(input: &RenderContext<'_>) -> String {
    let site = input.site;
    let qual = &site.qual;
    // The default tokenizer and pipeline, so that queries in the browser
    // are split and stemmed the same way.
    let mut index = IndexBuilder::new()
        .save_docs(false)
        .add_field("title")
        .add_field("body")
        .add_field("people")
        .build();
    let mut docs = Vec::new();
    for (i, sp) in site.pages.iter().enumerate() {
        if matches!(sp.role, Role::AzIndex) {
            continue;
        }
        let front = &sp.page.front;
        let mut body = plain_text(&crate::parse::markdown::events(&sp.page));
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
        index.add_doc(
            &docs.len().to_string(),
            [
                searchable(&front.title).as_str(),
                searchable(&body).as_str(),
                searchable(&people).as_str(),
            ],
        );
        docs.push(Doc {
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
    let data = SearchData {
        index: &index,
        docs,
        tensions: qual
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
