//! Pages of the qualitative side: tensions, quotes, participants,
//! metaphors, and quotes embedded in notes. (The timeline and the A–Z
//! index are in `indexes.rs`.)

use serde::Serialize;

use super::pager::{self, Slice};
use super::RenderContext;
use crate::html::escape;
use crate::model::QuoteInfo;
use crate::urls;

/// A link with its text.
#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub title: String,
    pub href: String,
}

/// A tension tag on a quote.
#[derive(Serialize)]
pub(super) struct Tag {
    pub title: String,
    pub href: String,
    pub pole: Option<String>,
}

/// A quote as listings and its own page show it.
#[derive(Serialize)]
pub(super) struct QuoteCard {
    pub id: String,
    pub title: String,
    pub href: String,
    /// The verbatim text, as HTML.
    pub html: String,
    pub speaker: Link,
    pub tags: Vec<Tag>,
    pub metaphor: Option<String>,
    pub stage: Option<String>,
    /// "Findings, p. 292".
    pub provenance: Option<String>,
}

/// A quote as a listing shows it: an excerpt of its text, its speaker,
/// its tensions and the link to its page.
#[derive(Serialize)]
pub(super) struct Brief {
    pub id: String,
    pub title: String,
    pub href: String,
    /// Plain text: the quote's first words, whole when it is short.
    pub excerpt: String,
    pub speaker: Link,
    pub tags: Vec<Tag>,
}

/// The longest excerpt a listing shows, in characters.
const EXCERPT: usize = 280;

/// `text` whole when it is short, else its words up to about
/// [`EXCERPT`] characters and an ellipsis.
pub(crate) fn excerpt_of(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT {
        return text;
    }
    let cut = text
        .char_indices()
        .nth(EXCERPT)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..cut];
    // Back to the last whole word, and off any punctuation it ends with.
    let head = head.rfind(' ').map_or(head, |at| &head[..at]);
    let head = head.trim_end_matches(|c: char| !c.is_alphanumeric());
    format!("{head}…")
}

pub(super) fn href(input: &RenderContext<'_>, from: &str, page: usize) -> String {
    urls::relative_href(
        from,
        &input.site.pages[page].url,
        None,
        input.config.build.link_index_html,
    )
}

pub(super) fn link(input: &RenderContext<'_>, from: &str, page: usize) -> Link {
    Link {
        title: input.site.pages[page].page.front.title.clone(),
        href: href(input, from, page),
    }
}

fn provenance(q: &QuoteInfo) -> Option<String> {
    match (&q.section, &q.page_no) {
        (Some(s), Some(p)) => Some(format!("{s}, p. {p}")),
        (Some(s), None) => Some(s.clone()),
        (None, Some(p)) => Some(format!("p. {p}")),
        (None, None) => None,
    }
}

/// Quote `q` as a listing on the page at `from` shows it.
pub(super) fn brief(input: &RenderContext<'_>, from: &str, q: usize) -> Brief {
    let quote = &input.site.qual.quotes[q];
    let sp = &input.site.pages[quote.page];
    Brief {
        id: sp.id.clone(),
        title: sp.page.front.title.clone(),
        href: href(input, from, quote.page),
        excerpt: match input.quote_excerpts.get() {
            Some(excerpts) => excerpts[q].clone(),
            None => excerpt_of(&super::body(input, quote.page).text),
        },
        speaker: speaker(input, from, quote),
        tags: tags(input, from, quote),
    }
}

/// The link to a quote's speaker.
fn speaker(input: &RenderContext<'_>, from: &str, quote: &QuoteInfo) -> Link {
    let speaker = &input.site.qual.participants[quote.speaker];
    Link {
        title: speaker.pseudonym.clone(),
        href: href(input, from, speaker.page),
    }
}

fn tags(input: &RenderContext<'_>, from: &str, quote: &QuoteInfo) -> Vec<Tag> {
    quote
        .tags
        .iter()
        .map(|(t, pole)| {
            let l = link(input, from, input.site.qual.tensions[*t].page);
            Tag {
                title: l.title,
                href: l.href,
                pole: pole.clone(),
            }
        })
        .collect()
}

/// Quote `q` whole, as its own page or a note embedding it shows it.
pub(super) fn card(input: &RenderContext<'_>, from: &str, q: usize) -> QuoteCard {
    let quote = &input.site.qual.quotes[q];
    let sp = &input.site.pages[quote.page];
    QuoteCard {
        id: sp.id.clone(),
        title: sp.page.front.title.clone(),
        href: href(input, from, quote.page),
        // On the quote's own page its citations carry their ids; copies of
        // the quote on other pages do not.
        html: if sp.url == from {
            super::body(input, quote.page).html
        } else {
            super::body_shown_at(input, quote.page, from).html
        },
        speaker: speaker(input, from, quote),
        tags: tags(input, from, quote),
        metaphor: quote.metaphor.clone(),
        stage: quote.stage.clone(),
        provenance: provenance(quote),
    }
}

/// Quotes of one pole, by speaker.
#[derive(Serialize)]
pub(super) struct PoleGroup {
    pub pole: Option<String>,
    /// The group's heading id (the tension map's poles link to it).
    pub anchor: String,
    pub speakers: Vec<SpeakerGroup>,
}

#[derive(Serialize)]
pub(super) struct SpeakerGroup {
    pub speaker: Link,
    pub quotes: Vec<Brief>,
}

/// What a tension page shows beyond its note.
#[derive(Serialize)]
pub(super) struct TensionCtx {
    pub poles: Vec<String>,
    pub level: String,
    pub related: Vec<Link>,
    pub count: usize,
    pub groups: Vec<PoleGroup>,
}

/// Tension `t`'s page, showing the quotes of page `cards`.
pub(super) fn tension(input: &RenderContext<'_>, from: &str, t: usize, cards: Slice) -> TensionCtx {
    let qual = &input.site.qual;
    let info = &qual.tensions[t];
    let mut groups: Vec<PoleGroup> = Vec::new();
    for &q in &info.quotes[cards.range(info.quotes.len())] {
        let pole = qual.quotes[q]
            .tags
            .iter()
            .find(|(x, _)| *x == t)
            .and_then(|(_, p)| p.clone());
        if groups.last().is_none_or(|g| g.pole != pole) {
            groups.push(PoleGroup {
                anchor: super::pictures::pole_anchor(pole.as_deref()),
                pole: pole.clone(),
                speakers: Vec::new(),
            });
        }
        let group = groups.last_mut().expect("just pushed");
        let speaker = qual.quotes[q].speaker;
        let speaker_page = qual.participants[speaker].page;
        if group
            .speakers
            .last()
            .is_none_or(|s| s.speaker.href != href(input, from, speaker_page))
        {
            group.speakers.push(SpeakerGroup {
                speaker: Link {
                    title: qual.participants[speaker].pseudonym.clone(),
                    href: href(input, from, speaker_page),
                },
                quotes: Vec::new(),
            });
        }
        group
            .speakers
            .last_mut()
            .expect("just pushed")
            .quotes
            .push(brief(input, from, q));
    }
    TensionCtx {
        poles: info.poles.clone(),
        level: level_name(info),
        related: info
            .related
            .iter()
            .map(|&r| link(input, from, qual.tensions[r].page))
            .collect(),
        count: info.quotes.len(),
        groups,
    }
}

/// Previous and next quotes within one of a quote's tensions.
#[derive(Serialize)]
pub(super) struct Sequence {
    pub tension: Link,
    pub position: usize,
    pub count: usize,
    pub prev: Option<Link>,
    pub next: Option<Link>,
}

/// What a quote page shows.
#[derive(Serialize)]
pub(super) struct QuoteCtx {
    pub card: QuoteCard,
    pub sequences: Vec<Sequence>,
    /// "Fiona, quoted in Jacklin-Jarvis (2015), Findings, p. 292".
    pub cite_line: String,
}

pub(super) fn quote(input: &RenderContext<'_>, from: &str, q: usize) -> QuoteCtx {
    let qual = &input.site.qual;
    let info = &qual.quotes[q];
    let sequences = info
        .tags
        .iter()
        .zip(&info.places)
        .map(|((t, _), &at)| {
            let list = &qual.tensions[*t].quotes;
            debug_assert_eq!(list[at], q, "a quote is at its place in its tension's list");
            let other = |i: Option<usize>| {
                i.and_then(|i| list.get(i))
                    .map(|&x| link(input, from, qual.quotes[x].page))
            };
            Sequence {
                tension: link(input, from, qual.tensions[*t].page),
                position: at + 1,
                count: list.len(),
                prev: other(at.checked_sub(1)),
                next: other(Some(at + 1)),
            }
        })
        .collect();
    let source = match input.paper {
        Some(p) => {
            let names: Vec<&str> = p.creators().iter().map(|n| n.family_or_literal()).collect();
            let names = match names.len() {
                0 => String::new(),
                1 => names[0].to_string(),
                2 => format!("{} and {}", names[0], names[1]),
                _ => format!("{} et al.", names[0]),
            };
            match p.year() {
                Some(y) => format!("{names} ({y})"),
                None => names,
            }
        }
        None => input.config.site.title.clone(),
    };
    let mut cite_line = format!(
        "{}, quoted in {source}",
        qual.participants[info.speaker].pseudonym
    );
    if let Some(p) = provenance(info) {
        cite_line.push_str(&format!(", {p}"));
    }
    QuoteCtx {
        card: card(input, from, q),
        sequences,
        cite_line,
    }
}

/// What a participant page shows.
#[derive(Serialize)]
pub(super) struct ParticipantCtx {
    pub pseudonym: String,
    pub role: Option<String>,
    /// How many quotes they have, on all pages.
    pub count: usize,
    /// Those on this page.
    pub quotes: Vec<Brief>,
}

pub(super) fn participant(
    input: &RenderContext<'_>,
    from: &str,
    n: usize,
    cards: Slice,
) -> ParticipantCtx {
    let p = &input.site.qual.participants[n];
    ParticipantCtx {
        pseudonym: p.pseudonym.clone(),
        role: p.role.clone(),
        count: p.quotes.len(),
        quotes: p.quotes[cards.range(p.quotes.len())]
            .iter()
            .map(|&q| brief(input, from, q))
            .collect(),
    }
}

/// One row of the tensions index.
#[derive(Serialize)]
pub(super) struct TensionRow {
    pub title: String,
    pub href: String,
    pub summary: Option<String>,
    pub poles: Vec<String>,
    pub level: String,
    pub count: usize,
    pub related: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct Level {
    pub level: String,
    pub tensions: Vec<TensionRow>,
}

#[derive(Serialize)]
pub(super) struct Row {
    pub tension: Link,
    pub cells: Vec<usize>,
}

/// The tensions index: tensions by level (the map), and co-occurrence.
#[derive(Serialize)]
pub(super) struct TensionsCtx {
    pub levels: Vec<Level>,
    pub header: Vec<Link>,
    pub rows: Vec<Row>,
}

/// A tension's level as templates show it (empty where it had an error).
fn level_name(info: &crate::model::TensionInfo) -> String {
    info.level.map_or("", crate::model::Level::name).to_string()
}

pub(super) fn tensions(input: &RenderContext<'_>, from: &str) -> TensionsCtx {
    let qual = &input.site.qual;
    let mut levels: Vec<Level> = Vec::new();
    for info in &qual.tensions {
        let sp = &input.site.pages[info.page];
        let row = TensionRow {
            title: sp.page.front.title.clone(),
            href: href(input, from, info.page),
            summary: sp.page.front.summary.clone(),
            poles: info.poles.clone(),
            level: level_name(info),
            count: info.quotes.len(),
            related: info
                .related
                .iter()
                .map(|&r| link(input, from, qual.tensions[r].page))
                .collect(),
        };
        if levels.last().is_none_or(|l| l.level != level_name(info)) {
            levels.push(Level {
                level: level_name(info),
                tensions: Vec::new(),
            });
        }
        levels.last_mut().expect("just pushed").tensions.push(row);
    }
    let header: Vec<Link> = qual
        .tensions
        .iter()
        .map(|t| link(input, from, t.page))
        .collect();
    let rows = header
        .iter()
        .cloned()
        .zip(&qual.cooccurrence)
        .map(|(tension, cells)| Row {
            tension,
            cells: cells.clone(),
        })
        .collect();
    TensionsCtx {
        levels,
        header,
        rows,
    }
}

/// Quotes of one tension on one page of the quotes index.
#[derive(Serialize)]
pub(super) struct QuoteGroup {
    pub tension: Link,
    /// The group's heading id, the same on every page.
    pub anchor: String,
    /// Whether the group began on an earlier page.
    pub continued: bool,
    pub quotes: Vec<Brief>,
}

/// One tension in the quotes index's contents: where its quotes start.
#[derive(Serialize)]
pub(super) struct TocEntry {
    pub title: String,
    pub href: String,
    pub count: usize,
}

/// Page `cards` of the quotes index at `base`: every quote under each of
/// its tensions, tension by tension. Returns the contents (every tension,
/// linked to the page its quotes start on) and this page's groups.
pub(super) fn quotes_by_tension(
    input: &RenderContext<'_>,
    base: &str,
    cards: Slice,
) -> (Vec<TocEntry>, Vec<QuoteGroup>) {
    let qual = &input.site.qual;
    let from = pager::url(base, cards.k);
    let index_html = input.config.build.link_index_html;
    let mut toc = Vec::new();
    let mut groups = Vec::new();
    let mut start = 0;
    let total: usize = qual.tensions.iter().map(|t| t.quotes.len()).sum();
    let here = cards.range(total);
    for (n, t) in qual.tensions.iter().enumerate() {
        if t.quotes.is_empty() {
            continue;
        }
        let anchor = format!("tension-{}", n + 1);
        let at = pager::url(base, cards.page_of(start));
        toc.push(TocEntry {
            title: input.site.pages[t.page].page.front.title.clone(),
            href: urls::relative_href(&from, &at, Some(&anchor), index_html),
            count: t.quotes.len(),
        });
        let end = start + t.quotes.len();
        let (lo, hi) = (start.max(here.start), end.min(here.end));
        if lo < hi {
            groups.push(QuoteGroup {
                tension: link(input, &from, t.page),
                anchor,
                continued: lo > start,
                quotes: t.quotes[lo - start..hi - start]
                    .iter()
                    .map(|&q| brief(input, &from, q))
                    .collect(),
            });
        }
        start = end;
    }
    (toc, groups)
}

#[derive(Serialize)]
pub(super) struct ParticipantRow {
    pub name: String,
    pub href: String,
    pub role: Option<String>,
    pub count: usize,
}

pub(super) fn participants(input: &RenderContext<'_>, from: &str) -> Vec<ParticipantRow> {
    input
        .site
        .qual
        .participants
        .iter()
        .map(|p| ParticipantRow {
            name: p.pseudonym.clone(),
            href: href(input, from, p.page),
            role: p.role.clone(),
            count: p.quotes.len(),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct MetaphorRow {
    pub metaphor: String,
    /// The row's heading id, the same whichever page it is on.
    pub anchor: String,
    pub quote: Brief,
}

/// Page `cards` of every metaphor with its quote, alphabetically.
pub(super) fn metaphors(input: &RenderContext<'_>, from: &str, cards: Slice) -> Vec<MetaphorRow> {
    let order = metaphor_order(input);
    let here = cards.range(order.len());
    order[here.clone()]
        .iter()
        .zip(here)
        .map(|(&q, n)| MetaphorRow {
            metaphor: input.site.qual.quotes[q]
                .metaphor
                .clone()
                .unwrap_or_default(),
            anchor: format!("metaphor-{}", n + 1),
            quote: brief(input, from, q),
        })
        .collect()
}

/// The quotes with a metaphor, by metaphor (case aside) then quote URL:
/// sorted once per build for all the metaphor index's pages.
pub(super) fn metaphor_order<'a>(input: &'a RenderContext<'_>) -> &'a [usize] {
    input.metaphors.get_or_init(|| {
        let site = input.site;
        let mut rows: Vec<(String, &str, usize)> = site
            .qual
            .quotes
            .iter()
            .enumerate()
            .filter_map(|(q, info)| {
                let m = info.metaphor.as_ref()?;
                Some((m.to_lowercase(), site.pages[info.page].url.as_str(), q))
            })
            .collect();
        rows.sort_unstable();
        rows.into_iter().map(|(_, _, q)| q).collect()
    })
}

/// A quote shown inside a note: a figure with the text, the speaker and a
/// link to the quote's page.
pub(super) fn embed_block(input: &RenderContext<'_>, from: &str, page: usize) -> String {
    let Some(q) = input.site.qual.quote_of(page) else {
        return String::new();
    };
    let c = card(input, from, q);
    let mut caption = format!(
        "— <a href=\"{}\">{}</a>",
        escape(&c.speaker.href),
        escape(&c.speaker.title)
    );
    if let Some(stage) = &c.stage {
        caption.push_str(&format!(
            " <span class=\"stage\">({})</span>",
            escape(stage)
        ));
    }
    caption.push_str(&format!(
        " · <a href=\"{}\">about this quote</a>",
        escape(&c.href)
    ));
    format!(
        "<figure class=\"quote-embed\">\n<blockquote>\n{}</blockquote>\n<figcaption>{caption}</figcaption>\n</figure>\n",
        c.html
    )
}
