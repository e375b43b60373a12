//! Numbered figures and tables in a rendered body: a lone titled image as
//! `<figure>` with "Figure n. Title", a captioned table as `<figure
//! class="table">` with "Table n. Caption", and each `@fig:…` / `@tbl:…`
//! as a link reading "Figure n". What counts as a figure or a table is
//! [`crossref::scan`]'s, the same the parse numbered and checked.

use pulldown_cmark::{CowStr, Event, Tag};

use crate::html;
use crate::model::Label;
use crate::parse::crossref::{self, Numbered};

/// `events` with figures, tables and references to them rewritten.
/// `labels` are the page's, from the parse.
pub(super) fn number<'a>(events: Vec<Event<'a>>, labels: &[Label]) -> Vec<Event<'a>> {
    let found = crossref::scan(&events);
    let refers =
        |e: &Event<'_>| matches!(e, Event::Text(t) if t.contains("@fig:") || t.contains("@tbl:"));
    if found.is_empty() && !events.iter().any(refers) {
        return events; // most pages: nothing to number
    }
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter().enumerate().peekable();
    let mut next = found.into_iter().peekable();
    while let Some((k, event)) = events.next() {
        if let Some(f) = next.next_if(|f| f.first == k) {
            // The element's events, then its caption's.
            // A table starts at its first event; a figure's paragraph and a
            // caption's paragraph are left out.
            let mut inner = Vec::new();
            if f.kind == Numbered::Table {
                inner.push(event);
            }
            let mut rest = Vec::new();
            for (j, e) in events.by_ref() {
                if j <= f.inner_end {
                    inner.push(e);
                } else if j > f.inner_end + 1 && j < f.last {
                    rest.push(e);
                }
                if j == f.last {
                    break;
                }
            }
            let id = html::escape(&f.id());
            let name = format!("{} {}", f.kind.name(), f.number);
            match f.kind {
                Numbered::Figure => {
                    // The image keeps its alt text; its title is the caption.
                    let caption = match inner.first_mut() {
                        Some(Event::Start(Tag::Image { title, .. })) => {
                            std::mem::replace(title, CowStr::from(""))
                        }
                        _ => CowStr::from(""),
                    };
                    out.push(Event::Html(
                        format!("<figure class=\"figure\" id=\"{id}\">").into(),
                    ));
                    out.extend(inner);
                    out.push(Event::Html(
                        format!(
                            "\n<figcaption>{name}. {}</figcaption></figure>\n",
                            html::escape(caption.trim())
                        )
                        .into(),
                    ));
                }
                Numbered::Table => {
                    let caption = table_caption(rest);
                    out.push(Event::Html(
                        format!("<figure class=\"table\" id=\"{id}\"><figcaption>{name}. {caption}</figcaption>\n").into(),
                    ));
                    out.extend(inner);
                    out.push(Event::Html("</figure>\n".into()));
                }
            }
            continue;
        }
        match event {
            Event::Text(t) if t.contains('@') => references(&t, labels, &mut out),
            other => out.push(other),
        }
    }
    out
}

/// The caption paragraph's inline events (without the paragraph) as HTML,
/// `Table: ` and the `{#tbl:…}` label taken off.
fn table_caption(mut events: Vec<Event<'_>>) -> String {
    if let Some(Event::Text(first)) = events.first_mut() {
        let rest = first
            .strip_prefix("Table: ")
            .or_else(|| first.strip_prefix(": "))
            .unwrap_or(first)
            .to_string();
        *first = rest.into();
    }
    // The label ends the last run of text: gather that run, cut it off.
    let tail_start = events
        .iter()
        .rposition(|e| !matches!(e, Event::Text(_) | Event::SoftBreak))
        .map_or(0, |k| k + 1);
    let tail: String = events[tail_start..]
        .iter()
        .map(|e| match e {
            Event::Text(t) => t.to_string(),
            _ => " ".into(),
        })
        .collect();
    if let Some((before, _)) = crossref::trailing_label(&tail, "tbl:") {
        let before = before.trim_end().to_string();
        events.truncate(tail_start);
        events.push(Event::Text(before.into()));
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out.trim().to_string()
}

/// `text` with each reference to a figure or table of the page as a link.
fn references<'a>(text: &CowStr<'a>, labels: &[Label], out: &mut Vec<Event<'a>>) {
    let mut last = 0;
    for (range, label) in crossref::references_in(text) {
        let Some(l) = labels.iter().find(|l| l.id == label) else {
            continue; // the parse reported it
        };
        if range.start > last {
            out.push(Event::Text(text[last..range.start].to_string().into()));
        }
        out.push(Event::InlineHtml(
            format!(
                "<a class=\"xref\" href=\"#{}\">{}</a>",
                html::escape(&l.id),
                l.text()
            )
            .into(),
        ));
        last = range.end;
    }
    match last {
        0 => out.push(Event::Text(text.clone())),
        _ if last < text.len() => out.push(Event::Text(text[last..].to_string().into())),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reference_to_an_unknown_label_stays_text() {
        let mut out = Vec::new();
        super::references(&"See @fig:none here.".into(), &[], &mut out);
        assert_eq!(
            out,
            [pulldown_cmark::Event::Text("See @fig:none here.".into())]
        );
    }
}
