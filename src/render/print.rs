//! The printable whole (`print/`), after mdBook's print page: every page
//! of the site in reading order on one page, quotes and references once,
//! so a reader can print it or save it as PDF from the browser.
//!
//! Each page's body is rendered as shown from `print/`, then its ids are
//! prefixed with its section's anchor (two pages may both have a heading
//! "Findings") and its links to other pages become links to their
//! sections; a citation leads to the work in the references at the end.

use std::collections::HashMap;

use serde::Serialize;

use super::RenderContext;
use crate::model::Role;
use crate::urls;

/// Where the print page is.
const URL: &str = "print/";

/// One page of the site on the print page.
#[derive(Serialize)]
pub(super) struct Section {
    pub anchor: String,
    pub title: String,
    /// 1 for the top level, 2 below it…
    pub depth: usize,
    pub summary: Option<String>,
    pub html: String,
}

/// One work in the references at the end.
#[derive(Serialize)]
pub(super) struct Work {
    pub anchor: String,
    pub html: String,
}

/// What the print page shows, or `None` when the site has more pages than
/// `[build] print-limit` (then the count, for the page to say so).
pub(super) enum Whole {
    Sections(Vec<Section>, Vec<Work>),
    TooLarge(usize),
}

/// The pages the print page holds, in reading order, with their depth.
pub(super) fn pages(input: &RenderContext<'_>) -> Vec<(usize, usize)> {
    input
        .tree
        .reading_with_depth()
        .filter(|&(i, _)| {
            !matches!(
                input.site.pages[i].role,
                Role::Reference(_) | Role::ReferenceIndex | Role::TagIndex | Role::Tag(_)
            )
        })
        .collect()
}

/// The anchor of page `i`'s section.
fn anchor_of(url: &str) -> String {
    if url.is_empty() {
        "p-home".into()
    } else {
        format!("p-{}", urls::slugify(url))
    }
}

pub(super) fn whole(input: &RenderContext<'_>) -> Whole {
    let site = input.site;
    let pages = pages(input);
    if pages.len() > input.config.build.print_limit {
        return Whole::TooLarge(pages.len());
    }
    // Where a link to a page goes on the print page.
    let mut targets: HashMap<&str, String> = pages
        .iter()
        .map(|&(i, _)| (site.pages[i].url.as_str(), anchor_of(&site.pages[i].url)))
        .collect();
    let works: Vec<Work> = input
        .cites
        .order
        .iter()
        .map(|&r| Work {
            anchor: format!("ref-{}", urls::slugify(&input.bib.refs[r].key)),
            html: input.cites.entries[r].html.clone(),
        })
        .collect();
    let mut ref_urls = Vec::new();
    for (&r, work) in input.cites.order.iter().zip(&works) {
        if let Some(page) = site.reference_pages[r] {
            ref_urls.push((site.pages[page].url.as_str(), work.anchor.clone()));
        }
    }
    targets.extend(ref_urls);
    // The citation index is the references at the end.
    if let Some(index) = site.pages.iter().find(|p| p.role == Role::ReferenceIndex) {
        targets.insert(index.url.as_str(), "print-references".into());
    }
    let sections = pages
        .iter()
        .map(|&(i, depth)| {
            let sp = &site.pages[i];
            let anchor = anchor_of(&sp.url);
            let html = super::body_shown_at(input, i, URL).html;
            let mut html = relink(&html, &anchor, &targets);
            if let Some(q) = site.qual.quote_of(i) {
                let quote = &site.qual.quotes[q];
                let speaker = &site.qual.participants[quote.speaker];
                html = format!(
                    "<blockquote>\n{html}</blockquote>\n<p class=\"speaker\">— <a href=\"#{}\">{}</a></p>\n",
                    anchor_of(&site.pages[speaker.page].url),
                    crate::html::escape(&speaker.pseudonym)
                );
            }
            Section {
                html,
                anchor,
                title: sp.page.front.title.clone(),
                depth,
                summary: sp.page.front.summary.clone(),
            }
        })
        .collect();
    Whole::Sections(sections, works)
}

/// `html` of the section `anchor` with its ids prefixed, its in-page
/// links to match, links to pages on the print page made links to their
/// sections, and headings one level down (the page title is an `h2`).
fn relink(html: &str, anchor: &str, targets: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = next_attr(rest) {
        let (name_len, is_id) = if rest[at..].starts_with(" id=\"") {
            (5, true)
        } else {
            (7, false)
        };
        out.push_str(&rest[..at + name_len]);
        rest = &rest[at + name_len..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        if is_id {
            out.push_str(&format!("{anchor}--{value}"));
        } else if let Some(frag) = value.strip_prefix('#') {
            out.push_str(&format!("#{anchor}--{frag}"));
        } else {
            out.push_str(&retarget(value, targets).unwrap_or_else(|| value.to_string()));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    // Headings one level down, from the deepest.
    for level in (1..=5).rev() {
        out = out
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}

/// Where the next ` id="` or ` href="` attribute starts.
fn next_attr(s: &str) -> Option<usize> {
    match (s.find(" id=\""), s.find(" href=\"")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A link from `print/` to a page on the print page, as a link to its
/// section (and the anchor there).
fn retarget(href: &str, targets: &HashMap<&str, String>) -> Option<String> {
    if href.contains("://") || href.starts_with("mailto:") {
        return None;
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    // From `print/`, a site page is `../<url>` (or `../<url>index.html`).
    let site_path = path.strip_prefix("../")?;
    let url = site_path.strip_suffix("index.html").unwrap_or(site_path);
    let url = urls::decode(url);
    let section = targets.get(url.as_str())?;
    Some(match frag {
        Some(f) if !section.starts_with("ref-") => format!("#{section}--{f}"),
        _ => format!("#{section}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_and_links_go_to_sections() {
        let targets: HashMap<&str, String> = [
            ("paper/intro/", "p-paper-intro".to_string()),
            ("references/hardy2005/", "ref-hardy2005".to_string()),
        ]
        .into_iter()
        .collect();
        let html = "<h2 id=\"findings\">F</h2><p><a href=\"#findings\">up</a> \
            <a href=\"../paper/intro/index.html#why\">intro</a> \
            <a class=\"cite\" href=\"../references/hardy2005/index.html\">Hardy</a> \
            <a href=\"../assets/x.pdf\">file</a> <a href=\"https://e.org/a/\">out</a></p>";
        assert_eq!(
            relink(html, "p-a", &targets),
            "<h3 id=\"p-a--findings\">F</h3><p><a href=\"#p-a--findings\">up</a> \
             <a href=\"#p-paper-intro--why\">intro</a> \
             <a class=\"cite\" href=\"#ref-hardy2005\">Hardy</a> \
             <a href=\"../assets/x.pdf\">file</a> <a href=\"https://e.org/a/\">out</a></p>"
        );
    }

    #[test]
    fn encoded_urls_are_found() {
        let targets: HashMap<&str, String> =
            [("café/", "p-cafe".to_string())].into_iter().collect();
        assert_eq!(
            retarget("../caf%C3%A9/index.html", &targets).as_deref(),
            Some("#p-cafe")
        );
    }
}
