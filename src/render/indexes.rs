//! Site-wide indexes: the policy timeline and the A–Z index of every page.

use serde::Serialize;

use super::pager::{self, Slice};
use super::qual::{href, link, Link};
use super::RenderContext;
use crate::model::{KindData, PartialDate, Role, Site};
use crate::urls;

/// One dated policy note on the timeline.
#[derive(Serialize)]
pub(super) struct Event {
    pub title: String,
    pub href: String,
    pub summary: Option<String>,
    /// As written: `2010`, `2010-05`.
    pub start: String,
    pub end: Option<String>,
    /// `2003–2004`, or the start alone.
    pub label: String,
    pub actors: Vec<String>,
    /// Where the span starts and how wide it is, in per cent of the
    /// timeline, for the bar drawn beside the entry.
    pub offset: String,
    pub width: String,
}

/// The timeline: every policy note with a date, earliest first.
#[derive(Serialize)]
pub(super) struct Timeline {
    pub events: Vec<Event>,
    pub first: String,
    pub last: String,
    /// Policy notes without a date, listed after the timeline.
    pub undated: Vec<Link>,
}

pub(super) fn timeline(input: &RenderContext<'_>, from: &str) -> Timeline {
    use crate::model::Kind;
    let mut dated = Vec::new();
    let mut undated = Vec::new();
    for (i, p) in input.site.pages.iter().enumerate() {
        let f = &p.page.front;
        if p.role != crate::model::Role::Page || f.kind() != Kind::Policy {
            continue;
        }
        match f.date {
            Some(d) => dated.push((d, i)),
            None => undated.push(link(input, from, i)),
        }
    }
    // Earliest first; on the same date, by `order`, then URL.
    let key = |(d, i): &(PartialDate, usize)| {
        let p = &input.site.pages[*i];
        (
            (d.as_fractional_year() * 10_000.0) as i64,
            p.page.front.order.unwrap_or(i64::MAX),
            p.url.clone(),
        )
    };
    dated.sort_by_key(key);
    let end_of = |i: usize| match &input.site.pages[i].page.front.data {
        KindData::Policy(policy) => policy.end,
        _ => None,
    };
    let first = dated
        .iter()
        .map(|(d, _)| d.as_fractional_year())
        .fold(f64::INFINITY, f64::min);
    let last = dated
        .iter()
        .map(|(d, i)| {
            let start = d.as_fractional_year() + 1.0;
            end_of(*i).map_or(start, |e| (e.as_fractional_year() + 1.0).max(start))
        })
        .fold(f64::NEG_INFINITY, f64::max);
    let range = (last - first).max(1.0);
    let events = dated
        .iter()
        .map(|(start, i)| {
            let f = &input.site.pages[*i].page.front;
            let end = end_of(*i);
            let from_year = start.as_fractional_year();
            let to_year = end.map_or(from_year + 1.0, |e| e.as_fractional_year() + 1.0);
            let (start, end) = (start.to_string(), end.map(|e| e.to_string()));
            let label = match &end {
                Some(e) => format!("{}–{}", input.dates.format(&start), input.dates.format(e)),
                None => input.dates.format(&start),
            };
            Event {
                title: f.title.clone(),
                href: href(input, from, *i),
                summary: f.summary.clone(),
                start,
                end,
                label,
                actors: match &f.data {
                    KindData::Policy(policy) => policy.actors.clone(),
                    _ => Vec::new(),
                },
                offset: format!("{:.1}", (from_year - first) / range * 100.0),
                width: format!("{:.1}", ((to_year - from_year) / range * 100.0).max(1.0)),
            }
        })
        .collect();
    let year = |y: f64| {
        if y.is_finite() {
            format!("{}", y.floor() as i64)
        } else {
            String::new()
        }
    };
    Timeline {
        events,
        first: year(first),
        last: year(last - 1.0),
        undated,
    }
}

/// Pages under one letter of the A–Z index, on one of its pages.
#[derive(Serialize)]
pub(super) struct Letter {
    pub letter: String,
    /// The letter's heading id, the same on every page.
    pub anchor: String,
    /// Whether the letter began on an earlier page.
    pub continued: bool,
    pub pages: Vec<AzEntry>,
}

#[derive(Serialize)]
pub(super) struct AzEntry {
    pub title: String,
    pub href: String,
    pub kind: String,
}

/// A letter in the A–Z index's contents: where its pages start.
#[derive(Serialize)]
pub(super) struct LetterLink {
    pub letter: String,
    pub href: String,
}

/// Every page but the A–Z index, by title as the site's language orders
/// it (`Éclair` among the Es in English, `Øberg` after `Z` in Danish):
/// each page's letter (`#` for a title that does not start with one) and
/// index. Sorted once per build, for all the index's pages.
pub(super) fn a_to_z_order<'a>(input: &'a RenderContext<'_>) -> &'a [(String, usize)] {
    input
        .a_to_z
        .get_or_init(|| sort_titles(input.site, &input.config.site.language))
}

fn sort_titles(site: &Site, language: &str) -> Vec<(String, usize)> {
    let alphabet = crate::csl::Alphabet::new(language);
    let title = |p: &crate::model::SitePage| {
        p.page
            .front
            .title
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_string()
    };
    let mut entries: Vec<(Vec<Vec<u8>>, String, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role != Role::AzIndex)
        .map(|(i, p)| {
            let t = title(p);
            (alphabet.key(&t), t, i)
        })
        .collect();
    entries.sort_unstable();
    let mut out: Vec<(String, usize)> = Vec::with_capacity(entries.len());
    for (_, t, i) in entries {
        let letter = match t.chars().next() {
            Some(c) if c.is_alphabetic() => {
                let upper: String = c.to_uppercase().collect();
                match out.last() {
                    // One letter of the alphabet is one group, whatever
                    // its accents.
                    Some((last, _)) if last != "#" && alphabet.same_letter(last, &upper) => {
                        last.clone()
                    }
                    _ => base_letter(&alphabet, &upper),
                }
            }
            _ => "#".to_string(),
        };
        out.push((letter, i));
    }
    out
}

/// `letter` without its accents when the alphabet counts them as the same
/// letter (`É` → `E` in English; `Ø` stays in Danish, `Å` too).
fn base_letter(alphabet: &crate::csl::Alphabet, letter: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let base: String = letter.nfd().filter(|c| !is_combining_mark(*c)).collect();
    if !base.is_empty() && alphabet.same_letter(&base, letter) {
        base
    } else {
        letter.to_string()
    }
}

/// Page `lines` of the A–Z index at `base`: the letters (each linked to
/// the page it starts on) and this page's entries, grouped by letter.
pub(super) fn a_to_z(
    input: &RenderContext<'_>,
    base: &str,
    lines: Slice,
) -> (Vec<LetterLink>, Vec<Letter>) {
    let site = input.site;
    let order = a_to_z_order(input);
    let from = pager::url(base, lines.k);
    let index_html = input.config.build.link_index_html;
    let here = lines.range(order.len());
    let mut toc: Vec<LetterLink> = Vec::new();
    let mut letters: Vec<Letter> = Vec::new();
    for (n, (letter, i)) in order.iter().enumerate() {
        let first_of_letter = n == 0 || order[n - 1].0 != *letter;
        let anchor = format!("letter-{}", toc.len() + usize::from(first_of_letter));
        if first_of_letter {
            let at = pager::url(base, lines.page_of(n));
            toc.push(LetterLink {
                letter: letter.clone(),
                href: urls::relative_href(&from, &at, Some(&anchor), index_html),
            });
        }
        if !here.contains(&n) {
            continue;
        }
        if letters.last().is_none_or(|l| l.letter != *letter) {
            letters.push(Letter {
                letter: letter.clone(),
                anchor,
                continued: !first_of_letter,
                pages: Vec::new(),
            });
        }
        let p = &site.pages[*i];
        let kind = match p.role {
            Role::Reference(_) => "reference".to_string(),
            Role::Page => p.page.front.kind().name().to_string(),
            _ => "index".to_string(),
        };
        letters
            .last_mut()
            .expect("just pushed")
            .pages
            .push(AzEntry {
                title: p.page.front.title.clone(),
                href: href(input, &from, *i),
                kind,
            });
    }
    (toc, letters)
}

/// One tag on the tags index.
#[derive(Serialize)]
pub(super) struct TagRow {
    pub name: String,
    pub href: String,
    pub count: usize,
}

/// Every tag, by name, with its number of pages.
pub(super) fn tags(input: &RenderContext<'_>, from: &str) -> Vec<TagRow> {
    let index_html = input.config.build.link_index_html;
    input
        .site
        .tags
        .iter()
        .map(|t| TagRow {
            name: t.name.clone(),
            href: urls::relative_href(from, &format!("tags/{}/", t.slug), None, index_html),
            count: t.pages.len(),
        })
        .collect()
}

/// The links from the page at `from` to the pages of `names` (a page's
/// tags).
pub(super) fn tag_links(input: &RenderContext<'_>, from: &str, names: &[String]) -> Vec<TagRow> {
    let index_html = input.config.build.link_index_html;
    names
        .iter()
        .filter_map(|name| {
            let slug = urls::slugify(name);
            let tag = &input.site.tags[*input.site.tag_by_slug.get(&slug)?];
            Some(TagRow {
                name: name.clone(),
                href: urls::relative_href(from, &format!("tags/{slug}/"), None, index_html),
                count: tag.pages.len(),
            })
        })
        .collect()
}

/// The pages of one kind on a tag's page.
#[derive(Serialize)]
pub(super) struct KindGroup {
    pub label: &'static str,
    pub anchor: String,
    /// Whether the group began on an earlier page.
    pub continued: bool,
    pub pages: Vec<TagEntry>,
}

#[derive(Serialize)]
pub(super) struct TagEntry {
    pub title: String,
    pub href: String,
    pub summary: Option<String>,
}

/// Page `lines` of the pages with tag `k`, grouped by kind.
pub(super) fn tag(input: &RenderContext<'_>, base: &str, k: usize, lines: Slice) -> Vec<KindGroup> {
    let site = input.site;
    let list = &site.tags[k].pages;
    let from = pager::url(base, lines.k);
    let here = lines.range(list.len());
    let mut groups: Vec<KindGroup> = Vec::new();
    for n in here {
        let p = &site.pages[list[n]];
        let kind = p.page.front.kind();
        let first_of_kind = n == 0 || site.pages[list[n - 1]].page.front.kind() != kind;
        if groups.is_empty() || first_of_kind {
            groups.push(KindGroup {
                label: kind_label(kind),
                anchor: format!("kind-{}", kind.name()),
                continued: !first_of_kind,
                pages: Vec::new(),
            });
        }
        groups
            .last_mut()
            .expect("just pushed")
            .pages
            .push(TagEntry {
                title: p.page.front.title.clone(),
                href: href(input, &from, list[n]),
                summary: p.page.front.summary.clone(),
            });
    }
    groups
}

/// A kind of page as a heading names a group of them.
fn kind_label(kind: crate::model::Kind) -> &'static str {
    use crate::model::Kind;
    match kind {
        Kind::Note => "Notes",
        Kind::Tension => "Tensions",
        Kind::Policy => "Policy",
        Kind::Quote => "Quotes",
        Kind::Participant => "Participants",
        Kind::Reference => "References",
    }
}
