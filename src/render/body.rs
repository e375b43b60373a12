//! The body of a page: Markdown events with links resolved, citations
//! formatted, code highlighted and raw HTML escaped (unless allowed).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::highlight;
use super::RenderContext;
use crate::html;
use crate::model::{Resolved, Site};
use crate::parse::citation_syntax::CiteForm;
use crate::parse::markdown::{self, Piece};
use crate::urls;

/// A page body rendered: its HTML, and its plain text (for search).
pub(crate) struct Body {
    pub(crate) html: String,
    pub(crate) text: String,
}

/// The body of page `i`, with links resolved, citations formatted, quotes
/// embedded and code highlighted.
pub(crate) fn body(input: &RenderContext<'_>, i: usize) -> Body {
    render(input, i, &input.site.pages[i].url, true)
}

/// The body of page `i` as shown inside the page at `from` (a quote's text
/// embedded in a note): its links lead where they do from `from`, its
/// citations carry no ids, and quotes it embeds stay links.
pub(crate) fn body_shown_at(input: &RenderContext<'_>, i: usize, from: &str) -> Body {
    render(input, i, from, false)
}

fn render(input: &RenderContext<'_>, i: usize, from: &str, expand: bool) -> Body {
    let site = input.site;
    let sp = &site.pages[i];
    let index_html = input.config.build.link_index_html;
    let allow_raw_html = input.config.build.allow_raw_html;
    let href = |n: usize| href_for(site, from, &sp.links[n], index_html);
    let mut pieces = markdown::pieces(&sp.page);
    let mut events: Vec<Event<'_>> = Vec::new();
    while let Some(piece) = pieces.next() {
        match piece {
            Piece::Event(Event::Html(raw) | Event::InlineHtml(raw)) if !allow_raw_html => {
                events.push(Event::Text(raw));
            }
            Piece::Event(Event::InlineMath(tex)) => events.push(math(&tex, false)),
            Piece::Event(Event::DisplayMath(tex)) => events.push(math(&tex, true)),
            Piece::Event(event) => events.push(event),
            Piece::Link {
                n,
                link_type,
                title,
                id,
            } => {
                // A preview without JavaScript: the target's title and summary.
                let title = match &sp.links[n] {
                    Resolved::Internal(t) if title.is_empty() && t.page != i => {
                        let front = &site.pages[t.page].page.front;
                        match &front.summary {
                            Some(s) => format!("{}: {s}", front.title),
                            None => front.title.clone(),
                        }
                        .into()
                    }
                    _ => title,
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: href(n).into(),
                    title,
                    id,
                }));
            }
            Piece::TargetLabel(n) => {
                let label = match &sp.links[n] {
                    Resolved::Internal(t) => {
                        let target = &site.pages[t.page].page;
                        let fragment = t.fragment.as_ref();
                        let heading =
                            fragment.and_then(|f| target.headings.iter().find(|h| &h.id == f));
                        let label =
                            fragment.and_then(|f| target.labels.iter().find(|l| &l.id == f));
                        match (heading, label) {
                            // A figure on this page is "Figure 2".
                            (_, Some(l)) if t.page == i => l.text(),
                            (_, Some(l)) => format!("{} › {}", target.front.title, l.text()),
                            (Some(h), None) => format!("{} › {}", target.front.title, h.text),
                            (None, None) => target.front.title.clone(),
                        }
                    }
                    _ => sp.page.links[n].target.clone(),
                };
                pieces.push_text(&label);
                events.push(Event::Text(label.into()));
            }
            Piece::Image {
                n,
                link_type,
                title,
                id,
            } => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: href(n).into(),
                title,
                id,
            })),
            Piece::Embed { n, alone } => {
                let Resolved::Internal(t) = &sp.links[n] else {
                    continue;
                };
                let title = &site.pages[t.page].page.front.title;
                // A lone embed stands as a block: words around it stay apart.
                let pad = if alone { " " } else { "" };
                pieces.push_text(&format!("{pad}“{title}”{pad}"));
                if alone && expand {
                    let block = super::qual::embed_block(input, from, t.page);
                    events.push(Event::Html(block.into()));
                    continue;
                }
                let link = format!(
                    "<a class=\"quote-link\" href=\"{}\">“{}”</a>",
                    html::escape(&href(n)),
                    html::escape(title)
                );
                if alone {
                    events.push(Event::Start(Tag::Paragraph));
                }
                events.push(Event::InlineHtml(link.into()));
                if alone {
                    events.push(Event::End(TagEnd::Paragraph));
                }
            }
            Piece::Citation(c) => {
                let citation = citation_html(input, i, from, c, expand);
                pieces.push_text(&html::text_of(&citation));
                events.push(Event::InlineHtml(citation.into()));
            }
            Piece::CodeBlock { lang, code } => {
                events.push(Event::Html(code_block(&lang, &code).into()));
            }
        }
    }
    let events = super::figures::number(events, &sp.page.labels);
    // A body shown inside another page keeps its notes' ids apart.
    let prefix = if expand { "" } else { sp.id.as_str() };
    let (events, notes) = super::footnotes::collect(events, prefix);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.push_str(&notes);
    Body {
        html,
        text: pieces.text(),
    }
}

/// A formula as MathML. The parse stage reported any LaTeX error and
/// stopped the build, so the fallback (the TeX as code) is never shown.
fn math(tex: &str, display: bool) -> Event<'static> {
    match crate::math::to_mathml(tex, display) {
        Ok(mathml) => Event::InlineHtml(mathml.into()),
        Err(_) => Event::InlineHtml(format!("<code>{}</code>", html::escape(tex)).into()),
    }
}

/// One citation as HTML: each cited work a link to its reference page with
/// the formatted entry as a tooltip and the occurrence's id.
/// `with_id`: the citation's own page carries the occurrence ids; copies of
/// a quote shown elsewhere do not, so ids stay unique.
fn citation_html(
    input: &RenderContext<'_>,
    page: usize,
    from: &str,
    c: usize,
    with_id: bool,
) -> String {
    let sp = &input.site.pages[page];
    let citation = &sp.page.citations[c];
    let mut items = Vec::with_capacity(citation.items.len());
    for (k, cref) in citation.items.iter().enumerate() {
        let occ_index = sp.occurrences[c][k];
        let occ = &input.site.occurrences[occ_index];
        let entry = &input.cites.entries[occ.reference];
        let href = super::reference_href(input, from, occ.reference);
        let mut html = String::new();
        if !cref.item.prefix.is_empty() {
            html.push_str(&html::escape(&cref.item.prefix));
            html.push(' ');
        }
        let id = if with_id {
            format!(" id=\"{}\"", html::escape(&occ.id))
        } else {
            String::new()
        };
        html.push_str(&format!(
            "<a class=\"cite\"{id} href=\"{}\" title=\"{}\">{}</a>",
            html::escape(&href),
            html::escape(&entry.text),
            input.cites.items[occ_index]
        ));
        if !cref.item.suffix.is_empty() {
            html.push(' ');
            html.push_str(&html::escape(&cref.item.suffix));
        }
        items.push(html);
    }
    let style = input.style_marks;
    match citation.form {
        CiteForm::Narrative => format!("<span class=\"citation\">{}</span>", items.join(" ")),
        CiteForm::Parenthetical => format!(
            "<span class=\"citation\">{}{}{}</span>",
            html::escape(style.0),
            items.join(&html::escape(style.1)),
            html::escape(style.2)
        ),
    }
}

/// The `href` of a resolved link, relative to the page at `from`.
fn href_for(site: &Site, from: &str, resolved: &Resolved, index_html: bool) -> String {
    match resolved {
        Resolved::External(url) => url.clone(),
        Resolved::Asset(path) => urls::relative_path(from, path),
        Resolved::Internal(t) => urls::relative_href(
            from,
            &site.pages[t.page].url,
            t.fragment.as_deref(),
            index_html,
        ),
    }
}

/// A code block; it scrolls sideways, so it takes keyboard focus.
pub(super) fn code_block(lang: &str, code: &str) -> String {
    if lang.is_empty() {
        return format!(
            "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
            html::escape(code)
        );
    }
    let lang_attr = html::escape(lang);
    format!(
        "<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
        highlight::highlight(lang, code)
    )
}
