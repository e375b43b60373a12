//! The body of a page: Markdown events with links resolved, citations
//! formatted, code highlighted and raw HTML escaped (unless allowed).

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::highlight;
use super::RenderContext;
use crate::html;
use crate::model::{LinkKind, Resolved, Site};
use crate::parse::citation_syntax::CiteForm;
use crate::urls;

/// The body of page `i` as HTML, with links resolved, citations formatted,
/// quotes embedded and code highlighted.
pub(crate) fn body_html(input: &RenderContext<'_>, i: usize) -> String {
    body(input, i, true)
}

/// Like [`body_html`], but embedded quotes stay links (for a quote's own
/// text, shown inside other pages).
pub(crate) fn body_html_shallow(input: &RenderContext<'_>, i: usize) -> String {
    body(input, i, false)
}

/// Paragraphs that hold nothing but one embedded quote: the quote replaces
/// the whole paragraph, since a figure cannot sit inside `<p>`.
fn solo_embeds(events: &[Event<'_>], embeds: &[usize]) -> Vec<usize> {
    embeds
        .iter()
        .filter(|&&at| {
            let before = at.checked_sub(1).map(|b| &events[b]);
            let end = events[at..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Image)));
            let after = end.and_then(|e| events.get(at + e + 1));
            matches!(before, Some(Event::Start(Tag::Paragraph)))
                && matches!(after, Some(Event::End(TagEnd::Paragraph)))
        })
        .copied()
        .collect()
}

fn body(input: &RenderContext<'_>, i: usize, expand: bool) -> String {
    let site = input.site;
    let sp = &site.pages[i];
    let index_html = input.config.build.link_index_html;
    let page_events = crate::parse::markdown::events(&sp.page);
    let mut events: Vec<Event<'_>> = Vec::with_capacity(page_events.len());
    let mut links = sp.page.links.iter().zip(&sp.links).peekable();
    let mut citations = sp.page.citations.iter().enumerate().peekable();
    let mut code: Option<(String, String)> = None;
    let mut skip_link_text = false;
    let mut skip_image_text = false;
    let embeds: Vec<usize> = sp
        .page
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Embed)
        .map(|l| l.event)
        .collect();
    let solo = if expand {
        solo_embeds(&page_events, &embeds)
    } else {
        Vec::new()
    };
    let mut skip_paragraph_end = false;

    for (at, event) in page_events.iter().enumerate() {
        if let Some((c, _)) = citations.next_if(|(_, c)| c.event == at) {
            events.push(Event::InlineHtml(citation_html(input, i, c, expand).into()));
            continue;
        }
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().expect("inside code");
                    events.push(Event::Html(code_block(&lang, &text).into()));
                }
                _ => {}
            }
            continue;
        }
        if skip_image_text {
            if let Event::End(TagEnd::Image) = event {
                skip_image_text = false;
            }
            continue;
        }
        if skip_paragraph_end {
            if let Event::End(TagEnd::Paragraph) = event {
                skip_paragraph_end = false;
                continue;
            }
        }
        if let Event::Start(Tag::Paragraph) = event {
            if solo.contains(&(at + 1)) {
                skip_paragraph_end = true;
                continue;
            }
        }
        if skip_link_text {
            if let Event::End(TagEnd::Link) = event {
                skip_link_text = false;
                events.push(event.clone());
            }
            continue;
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url: _,
                title,
                id,
            }) if links.peek().is_some_and(|(l, _)| l.event == at) => {
                let (_, resolved) = links.next().expect("peeked");
                let href = href_for(site, &sp.url, resolved, index_html);
                // A preview without JavaScript: the target's title and summary.
                let title = match resolved {
                    Resolved::Internal(t) if title.is_empty() && t.page != i => {
                        let front = &site.pages[t.page].page.front;
                        match &front.summary {
                            Some(s) => format!("{}: {s}", front.title),
                            None => front.title.clone(),
                        }
                        .into()
                    }
                    _ => title.clone(),
                };
                events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: href.into(),
                    title,
                    id: id.clone(),
                }));
                if let (LinkType::WikiLink { has_pothole: false }, Resolved::Internal(t)) =
                    (link_type, resolved)
                {
                    let target = &site.pages[t.page].page;
                    let mut label = target.front.title.clone();
                    if let Some(h) = t
                        .fragment
                        .as_ref()
                        .and_then(|f| target.headings.iter().find(|h| &h.id == f))
                    {
                        label = format!("{label} › {}", h.text);
                    }
                    events.push(Event::Text(label.into()));
                    skip_link_text = true;
                }
            }
            Event::Start(Tag::Image { .. })
                if links
                    .peek()
                    .is_some_and(|(l, _)| l.event == at && l.kind == LinkKind::Embed) =>
            {
                let (_, resolved) = links.next().expect("peeked");
                skip_image_text = true;
                let Resolved::Internal(t) = resolved else {
                    continue;
                };
                if solo.contains(&at) {
                    events.push(Event::Html(
                        super::qual::embed_block(input, &sp.url, t.page).into(),
                    ));
                } else {
                    let quote = &site.pages[t.page];
                    let href = href_for(site, &sp.url, resolved, index_html);
                    events.push(Event::InlineHtml(
                        format!(
                            "<a class=\"quote-link\" href=\"{}\">“{}”</a>",
                            html::escape(&href),
                            html::escape(&quote.page.front.title)
                        )
                        .into(),
                    ));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url: _,
                title,
                id,
            }) if links.peek().is_some_and(|(l, _)| l.event == at) => {
                let (_, resolved) = links.next().expect("peeked");
                events.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: href_for(site, &sp.url, resolved, index_html).into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => highlight::fence_lang(info),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Html(raw) | Event::InlineHtml(raw) if !input.config.build.allow_raw_html => {
                events.push(Event::Text(CowStr::Borrowed(raw)));
            }
            other => events.push(other.clone()),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// One citation as HTML: each cited work a link to its reference page with
/// the formatted entry as a tooltip and the occurrence's id.
/// `with_id`: the citation's own page carries the occurrence ids; copies of
/// a quote shown elsewhere do not, so ids stay unique.
fn citation_html(input: &RenderContext<'_>, page: usize, c: usize, with_id: bool) -> String {
    let sp = &input.site.pages[page];
    let citation = &sp.page.citations[c];
    let mut items = Vec::with_capacity(citation.items.len());
    for (k, cref) in citation.items.iter().enumerate() {
        let occ_index = sp.occurrences[c][k];
        let occ = &input.site.occurrences[occ_index];
        let entry = &input.cites.entries[occ.reference];
        let href = super::reference_href(input, &sp.url, occ.reference);
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

pub(super) fn code_block(lang: &str, code: &str) -> String {
    if lang.is_empty() {
        return format!(
            "<pre class=\"code\"><code>{}</code></pre>\n",
            html::escape(code)
        );
    }
    let lang_attr = html::escape(lang);
    format!(
        "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
        highlight::highlight(lang, code)
    )
}
