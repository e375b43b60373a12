//! The scholarly parts of a page: works cited, "cited by" lists, reference
//! pages, Highwire Press `citation_*` tags, "Cite this page", and the
//! BibTeX, RIS and CSL-JSON downloads.

use serde::Serialize;

use super::RenderContext;
use crate::bibliography::{export, Reference};
use crate::model::Files;
use crate::parse::citation_syntax::{Locator, LocatorKind};
use crate::urls;

/// One work in a list of references.
#[derive(Serialize)]
pub(super) struct WorkCtx {
    pub key: String,
    /// Its item's id in the list (`cited-<key>`).
    pub anchor: String,
    /// Its year, when it has one.
    pub year: Option<i32>,
    /// Formatted entry (escaped HTML).
    pub html: String,
    /// Link to the work's reference page.
    pub href: String,
}

/// The works cited on page `i`, in the style's order.
pub(super) fn works_cited(input: &RenderContext<'_>, i: usize) -> Vec<WorkCtx> {
    let sp = &input.site.pages[i];
    // In the list's order: each cited work by its rank in the style's
    // order (walking the whole bibliography for every page was quadratic).
    let mut cited: Vec<(usize, usize)> = sp
        .occurrences
        .iter()
        .flatten()
        .map(|&o| {
            let r = input.site.occurrences[o].reference;
            (input.cites.rank[r], r)
        })
        .filter(|&(rank, _)| rank != usize::MAX)
        .collect();
    cited.sort_unstable();
    cited.dedup();
    cited
        .into_iter()
        .map(|(_, r)| WorkCtx {
            key: input.bib.refs[r].key.clone(),
            anchor: format!("cited-{}", urls::slugify(&input.bib.refs[r].key)),
            year: input.bib.refs[r].year(),
            html: input.cites.entries[r].html.clone(),
            href: super::reference_href(input, &sp.url, r),
        })
        .collect()
}

/// One place that cites a work.
#[derive(Serialize)]
pub(super) struct CitedByCtx {
    pub title: String,
    pub href: String,
    /// The heading the citation sits under.
    pub section: Option<String>,
    /// `p. 414`.
    pub locator: Option<String>,
}

/// Links for the three download formats.
#[derive(Serialize)]
pub(super) struct DownloadsCtx {
    pub bib: String,
    pub ris: String,
    pub json: String,
}

/// A bibliography entry with everything its pages show.
#[derive(Serialize)]
pub(super) struct RefCtx {
    pub key: String,
    /// Element id in the citation index (`ref-huxham2005`).
    pub anchor: String,
    pub html: String,
    pub text: String,
    pub doi: Option<String>,
    pub doi_href: Option<String>,
    /// The URL, unless the formatted entry already shows it.
    pub url: Option<String>,
    /// The entry's own page.
    pub href: String,
    /// The `summary` of the researcher's note on this work, shown beside
    /// the entry in the citation index ("Not in the paper's reference
    /// list").
    pub summary: Option<String>,
    pub cited_by: Vec<CitedByCtx>,
    pub downloads: DownloadsCtx,
}

fn slug(r: &Reference) -> String {
    urls::slugify(&r.key)
}

/// Entry `r` as seen from the page at `from`.
pub(super) fn reference(input: &RenderContext<'_>, from: &str, r: usize) -> RefCtx {
    let entry = &input.bib.refs[r];
    let index_html = input.config.build.link_index_html;
    let page_url = format!("references/{}/", slug(entry));
    let file = |ext: &str| urls::relative_path(from, &format!("{page_url}{}.{ext}", slug(entry)));
    let cited_by = input.site.cited_by[r]
        .iter()
        .map(|&o| {
            let occ = &input.site.occurrences[o];
            let page = &input.site.pages[occ.page];
            let citation = &page.page.citations[occ.citation];
            CitedByCtx {
                title: page.page.front.title.clone(),
                href: urls::relative_href(from, &page.url, Some(&occ.id), index_html),
                section: citation.section.as_ref().map(|h| h.text.clone()),
                locator: citation.items[occ.item]
                    .item
                    .locator
                    .as_ref()
                    .map(locator_text),
            }
        })
        .collect();
    let doi = entry.field("DOI").map(str::to_string);
    RefCtx {
        key: entry.key.clone(),
        anchor: format!("ref-{}", slug(entry)),
        html: input.cites.entries[r].html.clone(),
        text: input.cites.entries[r].text.clone(),
        doi_href: doi.as_ref().map(|d| format!("https://doi.org/{d}")),
        doi,
        url: entry
            .field("URL")
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .filter(|u| !input.cites.entries[r].text.contains(*u))
            .map(str::to_string),
        href: urls::relative_href(from, &page_url, None, index_html),
        summary: input.site.reference_pages[r]
            .and_then(|p| input.site.pages[p].page.front.summary.clone()),
        cited_by,
        downloads: DownloadsCtx {
            bib: file("bib"),
            ris: file("ris"),
            json: file("json"),
        },
    }
}

/// Every entry, in the style's order, for the citation index.
/// The works on page `cards` of the citation index.
pub(super) fn all_references(
    input: &RenderContext<'_>,
    from: &str,
    cards: super::pager::Slice,
) -> Vec<RefCtx> {
    let order = &input.cites.order;
    order[cards.range(order.len())]
        .iter()
        .map(|&r| reference(input, from, r))
        .collect()
}

/// Links to the whole-bibliography downloads, from the page at `from`.
pub(super) fn all_downloads(from: &str) -> DownloadsCtx {
    let file = |ext: &str| urls::relative_path(from, &format!("references/references.{ext}"));
    DownloadsCtx {
        bib: file("bib"),
        ris: file("ris"),
        json: file("json"),
    }
}

/// Writes each entry's downloads beside its page, and the whole
/// bibliography under `references/`.
pub(super) fn downloads(input: &RenderContext<'_>, out: &mut Files) {
    if input.bib.is_empty() {
        return;
    }
    let ordered: Vec<&Reference> = input
        .cites
        .order
        .iter()
        .map(|&r| &input.bib.refs[r])
        .collect();
    for r in &ordered {
        let base = format!("references/{0}/{0}", slug(r));
        out.insert(format!("{base}.bib"), export::bibtex(r).into_bytes());
        out.insert(format!("{base}.ris"), export::ris(r).into_bytes());
        out.insert(format!("{base}.json"), export::csl_json([*r]).into_bytes());
    }
    let bib: Vec<String> = ordered.iter().map(|r| export::bibtex(r)).collect();
    out.insert(
        "references/references.bib".into(),
        bib.join("\n").into_bytes(),
    );
    let ris: String = ordered.iter().map(|r| export::ris(r)).collect();
    out.insert("references/references.ris".into(), ris.into_bytes());
    out.insert(
        "references/references.json".into(),
        export::csl_json(ordered.iter().copied()).into_bytes(),
    );
}

/// `p. 414`, `pp. 217-234`, `chap. 3`.
pub(super) fn locator_text(l: &Locator) -> String {
    let plural = l.value.contains(['-', ',', '&']);
    let label = match (l.kind, plural) {
        (LocatorKind::Page, false) => "p.",
        (LocatorKind::Page, true) => "pp.",
        (LocatorKind::Chapter, false) => "chap.",
        (LocatorKind::Chapter, true) => "chaps.",
        (LocatorKind::Section, false) => "sec.",
        (LocatorKind::Section, true) => "secs.",
        (LocatorKind::Paragraph, false) => "para.",
        (LocatorKind::Paragraph, true) => "paras.",
        (LocatorKind::Figure, false) => "fig.",
        (LocatorKind::Figure, true) => "figs.",
        (LocatorKind::Volume, false) => "vol.",
        (LocatorKind::Volume, true) => "vols.",
        (LocatorKind::Note, false) => "n.",
        (LocatorKind::Note, true) => "nn.",
        (LocatorKind::Line, false) => "l.",
        (LocatorKind::Line, true) => "ll.",
        (LocatorKind::Part, _) => "pt.",
        (LocatorKind::Book, _) => "bk.",
        (LocatorKind::Column, _) => "col.",
        (LocatorKind::Table, _) => "tab.",
        (LocatorKind::Appendix, _) => "app.",
    };
    format!("{label} {}", l.value)
}

/// One `<meta name=… content=…>` tag.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub(super) struct Meta {
    pub name: String,
    pub content: String,
}

/// Highwire Press tags, as Google Scholar and Zotero read them.
pub(super) fn highwire(r: &Reference) -> Vec<Meta> {
    let mut tags: Vec<Meta> = Vec::new();
    let mut put = |name: &str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            tags.push(Meta {
                name: format!("citation_{name}"),
                content: v.to_string(),
            });
        }
    };
    put("title", r.field("title"));
    for n in r.creators() {
        put("author", Some(&n.inverted()));
    }
    let date = r.dates.get("issued").map(|d| {
        d.parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if i == 0 {
                    format!("{p:04}")
                } else {
                    format!("{p:02}")
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    });
    put("publication_date", date.as_deref());
    let container = r.field("container-title");
    match r.kind.as_str() {
        k if k.starts_with("article") => put("journal_title", container),
        "chapter" => put("inbook_title", container),
        "paper-conference" => put("conference_title", container),
        _ => {}
    }
    put("volume", r.field("volume"));
    put("issue", r.field("issue"));
    if let Some(p) = r.field("page") {
        match p.split_once('-') {
            Some((first, last)) => {
                put("firstpage", Some(first.trim()));
                put("lastpage", Some(last.trim()));
            }
            None => put("firstpage", Some(p)),
        }
    }
    match r.kind.as_str() {
        "report" => put("technical_report_institution", r.field("publisher")),
        "thesis" => put("dissertation_institution", r.field("publisher")),
        _ => put("publisher", r.field("publisher")),
    }
    put("doi", r.field("DOI"));
    put("isbn", r.field("ISBN"));
    put("issn", r.field("ISSN"));
    put("language", r.field("language"));
    tags
}

/// What the "Cite this page" box shows.
#[derive(Serialize)]
pub(super) struct CiteThisCtx {
    /// The page as HTML: ‘Title’, in <i>Site</i>, and its URL as a link.
    pub page_html: String,
    /// The paper, as a reference-list entry.
    pub paper_html: Option<String>,
}

/// The "Cite this page" box of page `i`.
pub(super) fn cite_this(
    input: &RenderContext<'_>,
    i: usize,
    canonical: Option<&str>,
) -> CiteThisCtx {
    use crate::html::escape;
    let page = &input.site.pages[i].page.front;
    let site = &input.config.site;
    let mut html = String::new();
    if let Some(author) = &site.author {
        html.push_str(&format!("{}, ", escape(author)));
    }
    html.push_str(&format!(
        "‘{}’, in <i>{}</i>",
        escape(&page.title),
        escape(&site.title)
    ));
    if let Some(url) = canonical {
        html.push_str(&format!(", <a href=\"{0}\">{0}</a>", escape(url)));
    }
    CiteThisCtx {
        page_html: html,
        paper_html: input.cites.paper.as_ref().map(|p| p.html.clone()),
    }
}
