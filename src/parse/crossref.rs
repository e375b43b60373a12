//! Numbered figures and tables, and references to them, read from a
//! page's Markdown events (Quarto's and Pandoc's conventions):
//!
//! - a paragraph holding only an image with a title is a figure, numbered
//!   on its page; `{#fig:label}` right after the image labels it;
//! - a table followed by a paragraph starting `Table: ` (or `: `) is a
//!   numbered table with that caption; `{#tbl:label}` ending the caption
//!   labels it;
//! - `@fig:label` and `@tbl:label` in the text refer to them ("Figure 2").
//!
//! The parse records the labels (so links and references are checked) and
//! the render rewrites the events with the same [`scan`], so both number
//! alike.

use pulldown_cmark::{Event, Tag};

/// What is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbered {
    Figure,
    Table,
}

impl Numbered {
    /// "Figure", "Table".
    pub fn name(self) -> &'static str {
        match self {
            Numbered::Figure => "Figure",
            Numbered::Table => "Table",
        }
    }
}

/// A figure or table found in a page's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Numbered,
    /// 1, 2…, counted per kind on the page.
    pub number: usize,
    /// `fig:pathway`, from `{#fig:pathway}`.
    pub label: Option<String>,
    /// Figure: the paragraph (start and end event). Table: the table's
    /// start to the caption paragraph's end.
    pub first: usize,
    pub last: usize,
    /// Figure: the image's end. Table: the table's end.
    pub inner_end: usize,
}

impl Found {
    /// The id its element carries: its label, or `figure-2`.
    pub fn id(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| format!("{}-{}", self.kind.name().to_lowercase(), self.number))
    }
}

/// Whether a citation key is a cross-reference instead (`fig:…`, `tbl:…`).
pub fn is_reference_key(key: &str) -> bool {
    key.starts_with("fig:") || key.starts_with("tbl:")
}

/// Every figure and table of `events`, in order.
pub fn scan(events: &[Event<'_>]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut counts = [0usize; 2];
    let mut i = 0;
    while i < events.len() {
        let found = match &events[i] {
            Event::Start(Tag::Paragraph) => figure_at(events, i),
            Event::Start(Tag::Table(_)) => table_at(events, i),
            _ => None,
        };
        match found {
            Some(mut f) => {
                let slot = &mut counts[f.kind as usize];
                *slot += 1;
                f.number = *slot;
                i = f.last + 1;
                out.push(f);
            }
            None => i += 1,
        }
    }
    out
}

/// The event after the element whose start is at `start`.
fn end_of(events: &[Event<'_>], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The text of a run of `Text` and soft-break events, or `None` if
/// anything else is among them.
fn plain(events: &[Event<'_>]) -> Option<String> {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) => text.push_str(t),
            Event::SoftBreak => text.push(' '),
            _ => return None,
        }
    }
    Some(text)
}

/// `{#fig:x}` (with `prefix` `fig:`) ending `text`: the text before it and
/// the label.
pub fn trailing_label<'t>(text: &'t str, prefix: &str) -> Option<(&'t str, String)> {
    let t = text.trim_end();
    let inner = t.strip_suffix('}')?;
    let open = inner.rfind("{#")?;
    let label = &inner[open + 2..];
    let ok = label.starts_with(prefix)
        && label.len() > prefix.len()
        && !label.contains(char::is_whitespace);
    ok.then(|| (&t[..open], label.to_string()))
}

fn figure_at(events: &[Event<'_>], i: usize) -> Option<Found> {
    let Some(Event::Start(Tag::Image { title, .. })) = events.get(i + 1) else {
        return None;
    };
    if title.trim().is_empty() {
        return None;
    }
    let image_end = end_of(events, i + 1)?;
    let para_end = end_of(events, i)?;
    let rest = plain(&events[image_end + 1..para_end])?;
    let label = if rest.trim().is_empty() {
        None
    } else {
        let (before, label) = trailing_label(&rest, "fig:")?;
        if !before.trim().is_empty() {
            return None;
        }
        Some(label)
    };
    Some(Found {
        kind: Numbered::Figure,
        number: 0,
        label,
        first: i,
        last: para_end,
        inner_end: image_end,
    })
}

fn table_at(events: &[Event<'_>], i: usize) -> Option<Found> {
    let table_end = end_of(events, i)?;
    let Some(Event::Start(Tag::Paragraph)) = events.get(table_end + 1) else {
        return None;
    };
    let Some(Event::Text(first)) = events.get(table_end + 2) else {
        return None;
    };
    if !(first.starts_with("Table: ") || first.starts_with(": ")) {
        return None;
    }
    let para_end = end_of(events, table_end + 1)?;
    // The label ends the caption's last run of text.
    let tail_start = (table_end + 2..para_end)
        .rev()
        .take_while(|&k| matches!(events[k], Event::Text(_) | Event::SoftBreak))
        .last()
        .unwrap_or(para_end);
    let tail = plain(&events[tail_start..para_end]).unwrap_or_default();
    let label = trailing_label(&tail, "tbl:").map(|(_, l)| l);
    Some(Found {
        kind: Numbered::Table,
        number: 0,
        label,
        first: i,
        last: para_end,
        inner_end: table_end,
    })
}

/// Each `@fig:…` / `@tbl:…` in `text`: its byte range and label.
pub fn references_in(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find('@').map(|k| from + k) {
        from = at + 1;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'\\');
        let rest = &text[at + 1..];
        if !before_ok || !is_reference_key(rest) {
            continue;
        }
        // A label: letters, digits and `_ - . :`, not ending in punctuation.
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
            .map_or(rest.len(), |(k, _)| k);
        let label = rest[..len].trim_end_matches(['.', ':', '-']);
        if label.len() <= 4 {
            continue;
        }
        out.push((at..at + 1 + label.len(), label.to_string()));
        from = at + 1 + label.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn found(md: &str) -> Vec<(Numbered, usize, Option<String>)> {
        let events: Vec<Event<'_>> = Parser::new_ext(md, Options::ENABLE_TABLES).collect();
        scan(&events)
            .into_iter()
            .map(|f| (f.kind, f.number, f.label))
            .collect()
    }

    #[test]
    fn figures_need_a_title_and_a_paragraph_of_their_own() {
        assert_eq!(found("![a](x.png)\n"), []);
        assert_eq!(found("Text ![a](x.png \"T\")\n"), []);
        assert_eq!(
            found("![a](x.png \"T\")\n\n![b](y.png \"U\"){#fig:y}\n"),
            [
                (Numbered::Figure, 1, None),
                (Numbered::Figure, 2, Some("fig:y".into()))
            ]
        );
        assert_eq!(found("![b](y.png \"U\") and more {#fig:y}\n"), []);
    }

    #[test]
    fn tables_need_a_caption_paragraph() {
        let t = "| a |\n|---|\n| 1 |\n";
        assert_eq!(found(t), []);
        assert_eq!(
            found(&format!("{t}\nTable: Counts {{#tbl:c}}\n\n{t}\n: Other\n")),
            [
                (Numbered::Table, 1, Some("tbl:c".into())),
                (Numbered::Table, 2, None)
            ]
        );
    }

    #[test]
    fn references_are_found_in_text() {
        let r = references_in("As @fig:a-b. shows, mail x@fig:no, and (@tbl:t).");
        assert_eq!(
            r,
            [
                (3..11, "fig:a-b".to_string()),
                (40..46, "tbl:t".to_string())
            ]
        );
        assert!(references_in("an @fig: alone").is_empty());
    }
}
