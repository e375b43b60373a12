//! Footnotes as Pandoc, Quarto and Jupyter Book set them: numbered in the
//! order they are first referenced, collected at the foot of the page, each
//! with a link back to every place that references it.
//!
//! pulldown-cmark gives a reference as `FootnoteReference(label)` and the
//! definition as the events between `Start(FootnoteDefinition(label))` and
//! its end, wherever the author wrote it. This takes the definitions out of
//! the flow and puts them, rendered, in a list after the text.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::html;
use crate::urls;

/// The events with their footnote references numbered and their
/// definitions taken out, and the notes' HTML (empty when there are none).
/// `prefix` keeps the ids of a body shown inside another page apart.
pub(super) fn collect<'a>(events: Vec<Event<'a>>, prefix: &str) -> (Vec<Event<'a>>, String) {
    let notes = |e: &Event<'_>| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    };
    if !events.iter().any(notes) {
        return (events, String::new()); // most pages: no notes
    }
    let mut defs: HashMap<CowStr<'a>, Vec<Event<'a>>> = HashMap::new();
    let mut flow = Vec::with_capacity(events.len());
    let mut inside: Option<(CowStr<'a>, Vec<Event<'a>>, usize)> = None;
    for event in events {
        match (&mut inside, event) {
            (None, Event::Start(Tag::FootnoteDefinition(label))) => {
                inside = Some((label, Vec::new(), 0));
            }
            (Some((_, body, depth)), Event::Start(Tag::FootnoteDefinition(l))) => {
                *depth += 1;
                body.push(Event::Start(Tag::FootnoteDefinition(l)));
            }
            (Some((_, body, depth)), Event::End(TagEnd::FootnoteDefinition)) if *depth > 0 => {
                *depth -= 1;
                body.push(Event::End(TagEnd::FootnoteDefinition));
            }
            (Some(_), Event::End(TagEnd::FootnoteDefinition)) => {
                let (label, body, _) = inside.take().expect("inside a definition");
                // The first definition of a label counts, as in pulldown-cmark.
                defs.entry(label).or_insert(body);
            }
            (Some((_, body, _)), event) => body.push(event),
            (None, event) => flow.push(event),
        }
    }
    if defs.is_empty() {
        return (flow, String::new());
    }
    let mut notes = Notes {
        prefix: slug_prefix(prefix),
        order: Vec::new(),
        refs: HashMap::new(),
        defs: &defs,
    };
    let flow = notes.number(flow);
    // Definitions may reference further notes: number those as they come.
    let mut rendered = Vec::new();
    let mut k = 0;
    while k < notes.order.len() {
        let label = notes.order[k].clone();
        let body = defs.get(&label).cloned().unwrap_or_default();
        let body = notes.number(body);
        rendered.push((label, body));
        k += 1;
    }
    let mut out = String::from(
        "<section class=\"footnotes\" aria-labelledby=\"footnotes-label\">\n<h2 id=\"footnotes-label\">Notes</h2>\n<ol>\n",
    );
    for (n, (label, body)) in rendered.into_iter().enumerate() {
        let id = notes.id(&label);
        let backs: String = (1..=notes.refs[&label])
            .map(|k| {
                let (mark, name) = if notes.refs[&label] == 1 {
                    ("↩".to_string(), format!("Back to reference {}", n + 1))
                } else {
                    (
                        format!("↩<sup>{k}</sup>"),
                        format!("Back to reference {} ({k})", n + 1),
                    )
                };
                format!(
                    " <a class=\"footnote-back\" href=\"#{}\" aria-label=\"{name}\">{mark}</a>",
                    html::escape(&ref_id(&id, k))
                )
            })
            .collect();
        out.push_str(&format!(
            "<li id=\"{}\">",
            html::escape(&format!("fn-{id}"))
        ));
        // The back-links end the note's last paragraph, or follow it.
        let mut body = body;
        match body
            .iter()
            .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        {
            Some(at) if at + 1 == body.len() => body.insert(at, Event::InlineHtml(backs.into())),
            _ => body.push(Event::Html(format!("<p>{backs}</p>").into())),
        }
        pulldown_cmark::html::push_html(&mut out, body.into_iter());
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
    (flow, out)
}

struct Notes<'d, 'a> {
    prefix: String,
    /// Labels in the order first referenced.
    order: Vec<CowStr<'a>>,
    /// How many times each label is referenced.
    refs: HashMap<CowStr<'a>, usize>,
    defs: &'d HashMap<CowStr<'a>, Vec<Event<'a>>>,
}

impl<'a> Notes<'_, 'a> {
    fn id(&self, label: &str) -> String {
        let slug = urls::slugify(label);
        let slug = if slug.is_empty() { "note".into() } else { slug };
        format!("{}{slug}", self.prefix)
    }

    /// `events` with each reference to a defined note as its number, a
    /// link to the note.
    fn number(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        events
            .into_iter()
            .map(|event| match event {
                Event::FootnoteReference(label) if self.defs.contains_key(&label) => {
                    let count = self.refs.entry(label.clone()).or_insert(0);
                    *count += 1;
                    let k = *count;
                    if k == 1 {
                        self.order.push(label.clone());
                    }
                    let n = self.order.iter().position(|l| *l == label).expect("pushed") + 1;
                    let id = self.id(&label);
                    Event::InlineHtml(
                        format!(
                            "<sup class=\"footnote-ref\"><a id=\"{}\" href=\"#{}\" aria-label=\"Note {n}\">{n}</a></sup>",
                            html::escape(&ref_id(&id, k)),
                            html::escape(&format!("fn-{id}"))
                        )
                        .into(),
                    )
                }
                // A reference to no definition stays as the author wrote it.
                Event::FootnoteReference(label) => Event::Text(format!("[^{label}]").into()),
                other => other,
            })
            .collect()
    }
}

/// The id of the `k`th reference to note `id`.
fn ref_id(id: &str, k: usize) -> String {
    if k == 1 {
        format!("fnref-{id}")
    } else {
        format!("fnref-{id}-{k}")
    }
}

fn slug_prefix(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{}-", urls::slugify(prefix))
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    fn render(md: &str) -> String {
        let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_FOOTNOTES).collect();
        let (flow, notes) = super::collect(events, "");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, flow.into_iter());
        html + &notes
    }

    #[test]
    fn notes_are_numbered_in_reference_order_with_links_back() {
        let html =
            render("[^b]: Bee note.\n\nFirst[^a], second[^b], again[^a].\n\n[^a]: Ay note.\n");
        let text = html.find("First").unwrap();
        let notes = html.find("<section class=\"footnotes\"").unwrap();
        assert!(text < notes, "notes after the text: {html}");
        assert!(html.contains("First<sup class=\"footnote-ref\"><a id=\"fnref-a\" href=\"#fn-a\" aria-label=\"Note 1\">1</a></sup>"), "{html}");
        assert!(html.contains("second<sup class=\"footnote-ref\"><a id=\"fnref-b\" href=\"#fn-b\" aria-label=\"Note 2\">2</a></sup>"));
        assert!(html.contains("<a id=\"fnref-a-2\" href=\"#fn-a\" aria-label=\"Note 1\">1</a>"));
        let a = html
            .find("<li id=\"fn-a\"><p>Ay note. <a class=\"footnote-back\" href=\"#fnref-a\"")
            .expect(&html);
        let b = html.find("<li id=\"fn-b\"><p>Bee note.").unwrap();
        assert!(a < b, "in reference order, not definition order");
        assert!(html.contains(
            "href=\"#fnref-a-2\" aria-label=\"Back to reference 1 (2)\">↩<sup>2</sup></a></p>"
        ));
        assert_eq!(
            html.matches("Bee note").count(),
            1,
            "defined once, shown once"
        );
    }

    #[test]
    fn a_body_shown_inside_another_page_keeps_its_ids_apart() {
        let events: Vec<_> = Parser::new_ext(
            "X[^1].\n\n[^1]: N.\n",
            pulldown_cmark::Options::ENABLE_FOOTNOTES,
        )
        .collect();
        let (_, notes) = super::collect(events, "quote one");
        assert!(notes.contains("<li id=\"fn-quote-one-1\">"), "{notes}");
    }

    #[test]
    fn no_notes_no_section() {
        assert!(!render("Plain [^x] text.\n").contains("footnotes"));
        assert!(render("Plain [^x] text.\n").contains("[^x]"));
    }
}
