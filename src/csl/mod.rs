//! Formatting citations and entries with a CSL style, through hayagriva.
//!
//! One pass over the whole site: every citation occurrence, in page order,
//! goes through one `BibliographyDriver`, so year suffixes (2010a/2010b) and
//! name disambiguation are computed across the whole bibliography. hayagriva
//! assigns suffixes in first-citation order, so the driver is first primed
//! with a hidden citation of every entry in the style's bibliography order.
//! Output is walked element by element into escaped HTML.

mod adapt;
mod html;
mod item;
mod sort;
mod style;

pub use html::{html, plain, Entry};
use html::{remove_names, tidy};
use item::csl_locator;
pub use item::to_item;
pub(crate) use sort::Alphabet;
pub(crate) use style::locales_for;
pub use style::{bundled_style_xml, bundled_styles, CslStyle, StyleInfo, DEFAULT_STYLE};

use hayagriva::citationberg::json::{Item, Value};
use hayagriva::citationberg::IndependentStyle;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose,
    ElemChildren, LocatorPayload, SpecificLocator,
};

use crate::bibliography::{Bibliography, Name, Reference};
use crate::html::escape;
use crate::model::Site;
use crate::parse::citation_syntax::{CiteForm, LocatorKind};

/// Everything the renderer needs from the citation style.
#[derive(Debug, Clone, Default)]
pub struct Formatted {
    /// Per bibliography entry (by index).
    pub entries: Vec<Entry>,
    /// Bibliography indices in the style's order.
    pub order: Vec<usize>,
    /// Each entry's place in `order` (by bibliography index); `usize::MAX`
    /// for an entry not in it.
    pub rank: Vec<usize>,
    /// Per occurrence (by index in `Site::occurrences`): the item's HTML
    /// without brackets, such as `Huxham and Vangen, 2005, p. 414` or, in a
    /// narrative citation, `Bachmann et al. (2009)`.
    pub items: Vec<String>,
    /// The paper the companion accompanies, as a reference-list entry.
    pub paper: Option<Entry>,
}

/// One distinct citation: what makes two occurrences render alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Request<'a> {
    reference: usize,
    locator: Option<(LocatorKind, &'a str)>,
    narrative: bool,
    suppress_author: bool,
}

/// Formats every entry and every citation occurrence of the site.
pub fn format(
    bib: &Bibliography,
    site: &Site,
    style: &CslStyle,
    paper: Option<&Reference>,
) -> Formatted {
    let items: Vec<Item> = bib.refs.iter().map(to_item).collect();

    // Identical citations (same work, locator, form) render identically
    // once year suffixes are settled, so each is formatted once;
    // `request_of` maps every occurrence to its request.
    let mut index: std::collections::HashMap<Request<'_>, usize> = Default::default();
    let mut requests = Vec::new();
    let mut request_of = Vec::with_capacity(site.occurrences.len());
    for occ in &site.occurrences {
        let citation = &site.pages[occ.page].page.citations[occ.citation];
        let cref = &citation.items[occ.item].item;
        let request = Request {
            reference: occ.reference,
            locator: cref.locator.as_ref().map(|l| (l.kind, l.value.as_str())),
            narrative: citation.form == CiteForm::Narrative,
            suppress_author: cref.suppress_author,
        };
        let next = requests.len();
        let n = *index.entry(request.clone()).or_insert(next);
        if n == next {
            requests.push(request);
        }
        request_of.push(n);
    }

    let order = bibliography_order(&items, style);
    let (entries, unique) = if style.numeric {
        // Numbers follow first citation over the whole site: one driver.
        render_in_one(&items, &bib.refs, &requests, style)
    } else {
        let citation_only = citation_only(style);
        let groups = confusable_groups(&items, &bib.refs, &order, style, &citation_only);
        let mut entries = render_entries(&items, &groups, style);
        let (mut unique, finals) =
            render_by_group(&items, &bib.refs, &groups, &requests, style, &citation_only);
        suffix_undated(
            &groups,
            &finals,
            &requests,
            &mut unique,
            &mut entries,
            style,
        );
        name_the_subject(&bib.refs, &requests, &mut unique, style);
        suffix_remaining(
            &groups,
            &finals,
            &bib.refs,
            &requests,
            &mut unique,
            &mut entries,
        );
        (entries, unique)
    };
    let mut entries = entries;
    // Works the style leaves out of its bibliography still get an entry.
    for (i, e) in entries.iter_mut().enumerate() {
        if e.text.is_empty() {
            let text = fallback(&bib.refs[i]);
            *e = Entry {
                html: escape(&text),
                text,
            };
        }
        keep_small_words_small(e, &bib.refs[i]);
    }
    let mut rank = vec![usize::MAX; entries.len()];
    for (place, &r) in order.iter().enumerate() {
        rank[r] = place;
    }
    Formatted {
        entries,
        order,
        rank,
        items: request_of.iter().map(|&n| unique[n].clone()).collect(),
        paper: paper.map(|p| format_one(p, style)),
    }
}

fn csl_request<'a>(
    items: Vec<CitationItem<'a, Item>>,
    style: &'a CslStyle,
    csl: &'a IndependentStyle,
) -> CitationRequest<'a, Item> {
    CitationRequest::new(items, csl, style.locale.clone(), &style.locales, None)
}

/// Whether priming citations take part in hayagriva's search for
/// ambiguous citations.
#[derive(Clone, Copy)]
enum Priming {
    /// Hidden: they set the order year suffixes follow, nothing else.
    Hidden,
    /// Visible to that search, so a group whose citations in the text are
    /// all narrative (or all have locators) still gets year suffixes; they
    /// are never shown to readers.
    Visible,
}

/// Primes `driver` with one citation of each of `works`, in that order:
/// year suffixes are then assigned in that order. One citation per work,
/// because hayagriva sorts a citation's items by looking each one up among
/// all cited works (quadratic in the size of one citation).
fn prime<'a>(
    driver: &mut BibliographyDriver<'a, Item>,
    works: impl Iterator<Item = &'a Item>,
    style: &'a CslStyle,
    csl: &'a IndependentStyle,
    priming: Priming,
) {
    for item in works {
        let hidden = matches!(priming, Priming::Hidden);
        let citation = CitationItem::new(item, None, None, hidden, None);
        driver.citation(csl_request(vec![citation], style, csl));
    }
}

/// A driver primed with `works` (see [`prime`]), then cited once more
/// each, without locator, for `purpose` (a narrative citation for
/// `Some(Prose)`): the citations whose text tells the works apart.
fn primed_then_cited<'a>(
    items: &'a [Item],
    works: &[usize],
    style: &'a CslStyle,
    csl: &'a IndependentStyle,
    priming: Priming,
    purpose: Option<CitePurpose>,
) -> BibliographyDriver<'a, Item> {
    let mut driver = BibliographyDriver::new();
    prime(
        &mut driver,
        works.iter().map(|&w| &items[w]),
        style,
        csl,
        priming,
    );
    for &w in works {
        let mut item = CitationItem::with_locator(&items[w], None);
        if let Some(p) = purpose {
            item = item.kind(p);
        }
        driver.citation(csl_request(vec![item], style, csl));
    }
    driver
}

fn finish<'a>(
    driver: BibliographyDriver<'a, Item>,
    style: &'a CslStyle,
    csl: &'a IndependentStyle,
) -> hayagriva::Rendered {
    driver.finish(BibliographyRequest::new(
        csl,
        style.locale.clone(),
        &style.locales,
    ))
}

/// Bibliography indices by key.
fn by_key(items: &[Item]) -> std::collections::HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it.0.get("id") {
            Some(Value::String(id)) => Some((id.as_str(), i)),
            _ => None,
        })
        .collect()
}

/// The style's order of the whole bibliography, as bibliography indices.
fn bibliography_order(items: &[Item], style: &CslStyle) -> Vec<usize> {
    if let Some(order) = sort::order(items, style) {
        return order;
    }
    let mut driver = BibliographyDriver::new();
    prime(
        &mut driver,
        items.iter(),
        style,
        &style.style,
        Priming::Hidden,
    );
    match finish(driver, style, &style.style).bibliography {
        Some(b) => {
            let keys = by_key(items);
            b.items
                .iter()
                .filter_map(|i| keys.get(i.key.as_str()).copied())
                .collect()
        }
        None => (0..items.len()).collect(),
    }
}

/// Which works render through one driver: every group of confusable works
/// on its own, works alone in a citation (groups of one) 64 to a driver.
///
/// hayagriva disambiguates all ambiguous sets of one driver in one loop
/// that stops trying year suffixes for every set as soon as names told
/// one set apart (its `rerender` map is shared by the sets), so with two
/// sets in one driver, "D. J. Haraway 1994 / D. Haraway 1994" took the
/// year suffixes from "Latour 1987a / 1987b". One set per driver keeps
/// each set's disambiguation its own.
/// Each chunk says whether it is one group of confusable works (`true`)
/// or works that each stand alone.
fn driver_chunks(groups: &[Vec<usize>]) -> Vec<(Vec<usize>, bool)> {
    let mut chunks: Vec<(Vec<usize>, bool)> = Vec::new();
    let mut singles: Vec<usize> = Vec::new();
    for g in groups {
        if g.len() == 1 {
            singles.push(g[0]);
            if singles.len() == 64 {
                chunks.push((std::mem::take(&mut singles), false));
            }
        } else {
            chunks.push((g.clone(), true));
        }
    }
    if !singles.is_empty() {
        chunks.push((singles, false));
    }
    chunks
}

/// Every entry as the reference list shows it: each group of confusable
/// works through its own driver, primed in the list's order, so year
/// suffixes follow the list.
///
/// hayagriva renders an entry with the disambiguation state of its
/// citations, and a state that added given names to a citation drops the
/// given names from the entry ("Haraway. 1994."). So a group's entries are
/// rendered with name disambiguation switched off, which leaves year
/// suffixes as the only way to tell its works apart; a work whose citation
/// was told apart by names instead (its citation with names differs from
/// its citation without) takes the entry it has on its own, with no suffix.
fn render_entries(items: &[Item], groups: &[Vec<usize>], style: &CslStyle) -> Vec<Entry> {
    use rayon::prelude::*;
    let keys = by_key(items);
    let no_names = without_name_disambiguation(&style.style);
    let citation_only = citation_only(style);
    let entries_in = |works: &[usize], csl: &IndependentStyle| -> Vec<(usize, Entry, String)> {
        let driver = primed_then_cited(items, works, style, csl, Priming::Hidden, None);
        let rendered = finish(driver, style, csl);
        let bare: Vec<String> = rendered
            .citations
            .iter()
            .skip(works.len())
            .map(|c| plain(&c.citation))
            .collect();
        let mut out: Vec<(usize, Entry, String)> = works
            .iter()
            .zip(bare)
            .map(|(&w, b)| (w, Entry::default(), b))
            .collect();
        for item in rendered.bibliography.iter().flat_map(|b| &b.items) {
            if let Some(&i) = keys.get(item.key.as_str()) {
                if let Some(slot) = out.iter_mut().find(|(w, _, _)| *w == i) {
                    slot.1 = Entry::of(&item.content, style);
                }
            }
        }
        out
    };
    let rendered: Vec<Vec<(usize, Entry)>> = driver_chunks(groups)
        .par_iter()
        .map(|(works, confusable)| {
            if !confusable {
                // Works alone in their citations: nothing to tell apart.
                return entries_in(works, &without_disambiguation(&style.style))
                    .into_iter()
                    .map(|(w, e, _)| (w, e))
                    .collect();
            }
            let with_names = entries_in(works, &citation_only);
            entries_in(works, &no_names)
                .into_iter()
                .zip(with_names)
                .map(|((w, entry, bare), (_, _, bare_with_names))| {
                    if bare == bare_with_names {
                        (w, entry)
                    } else {
                        (w, format_one_item(&items[w], style))
                    }
                })
                .collect()
        })
        .collect();
    let mut entries = vec![Entry::default(); items.len()];
    for (i, e) in rendered.into_iter().flatten() {
        entries[i] = e;
    }
    entries
}

/// The style with citations that never add names or given names to tell
/// works apart (year suffixes still do).
fn without_name_disambiguation(csl: &IndependentStyle) -> IndependentStyle {
    let mut csl = csl.clone();
    csl.citation.disambiguate_add_givenname = false;
    csl.citation.disambiguate_add_names = false;
    csl
}

/// The style with nothing to tell apart: for works whose citations already
/// read differently from every other work's. hayagriva would otherwise
/// give year suffixes to works it takes for alike when they share a driver,
/// such as undated web pages cited by their titles (`n.d.-a` … `n.d.-ad`).
fn without_disambiguation(csl: &IndependentStyle) -> IndependentStyle {
    let mut csl = without_name_disambiguation(csl);
    csl.citation.disambiguate_add_year_suffix = false;
    csl
}

fn entries_of(
    bibliography: Option<hayagriva::RenderedBibliography>,
    items: &[Item],
    style: &CslStyle,
) -> Vec<Entry> {
    let mut entries = vec![Entry::default(); items.len()];
    let keys = by_key(items);
    for item in bibliography.iter().flat_map(|b| &b.items) {
        if let Some(&i) = keys.get(item.key.as_str()) {
            entries[i] = Entry::of(&item.content, style);
        }
    }
    entries
}

fn citation_item<'a>(items: &'a [Item], r: &Request<'a>) -> CitationItem<'a, Item> {
    let locator = r
        .locator
        .map(|(kind, value)| SpecificLocator(csl_locator(kind), LocatorPayload::Str(value)));
    let mut item = CitationItem::with_locator(&items[r.reference], locator);
    if r.narrative {
        item = item.kind(CitePurpose::Prose);
    }
    item
}

/// The rendered citations of a finished driver, after `skip` priming
/// citations, as HTML.
fn citations_html(
    rendered: hayagriva::Rendered,
    skip: usize,
    requests: &[&Request],
    style: &CslStyle,
) -> Vec<String> {
    let mut cites = rendered.citations.into_iter().skip(skip);
    requests
        .iter()
        .map(|r| {
            let mut c = cites
                .next()
                .map(|c| c.citation)
                .unwrap_or(ElemChildren(vec![]));
            if r.suppress_author {
                remove_names(&mut c.0);
            }
            html(&tidy(&c, &style.spaced))
        })
        .collect()
}

/// Numeric styles: every request through one driver (numbers by first
/// citation), which also renders the entries. A narrative citation is the
/// authors followed by the number (`Berg and Mol [2]`), as Pandoc writes
/// it: a bare number cannot stand as the subject of a sentence.
fn render_in_one(
    items: &[Item],
    refs: &[Reference],
    requests: &[Request],
    style: &CslStyle,
) -> (Vec<Entry>, Vec<String>) {
    let mut driver = BibliographyDriver::new();
    for r in requests {
        let number = Request {
            narrative: false,
            ..r.clone()
        };
        driver.citation(csl_request(
            vec![citation_item(items, &number)],
            style,
            &style.style,
        ));
    }
    // Listed works nothing cites (`nocite`) are numbered after the cited
    // ones, and formatted by the style like them.
    let mut cited = vec![false; items.len()];
    for r in requests {
        cited[r.reference] = true;
    }
    prime(
        &mut driver,
        items
            .iter()
            .zip(&cited)
            .filter(|(_, c)| !**c)
            .map(|(it, _)| it),
        style,
        &style.style,
        Priming::Hidden,
    );
    let mut rendered = finish(driver, style, &style.style);
    let entries = entries_of(rendered.bibliography.take(), items, style);
    let all: Vec<&Request> = requests.iter().collect();
    let mut html = citations_html(rendered, 0, &all, style);
    for (h, r) in html.iter_mut().zip(requests) {
        if !r.narrative || r.suppress_author {
            continue;
        }
        if let Some(names) = narrative_names(&refs[r.reference], style) {
            *h = format!("{} {}{h}{}", escape(&names), style.open, style.close);
        }
    }
    (entries, html)
}

/// A narrative citation that came out as a bare date, `(2011)`: hayagriva
/// drops the names or title that stand in for the author in the prose
/// form when they come from a substitute (a collaborator, a title). The
/// work's names, else its short title, go before it, as Pandoc writes it.
fn name_the_subject(
    refs: &[Reference],
    requests: &[Request],
    html: &mut [String],
    style: &CslStyle,
) {
    for (h, r) in html.iter_mut().zip(requests) {
        if !r.narrative || r.suppress_author || !h.starts_with('(') {
            continue;
        }
        if let Some(subject) = subject_of(&refs[r.reference], style) {
            let subject = match subject.strip_prefix('\u{1}') {
                Some(title) => format!("<i>{}</i>", escape(title)),
                None => escape(&subject),
            };
            *h = format!("{subject} {h}");
        }
    }
}

/// Who or what a narrative citation of a work names: its authors (else
/// editors), else its short title (marked with a leading U+0001, to be set
/// in italics).
fn subject_of(work: &Reference, style: &CslStyle) -> Option<String> {
    narrative_names(work, style).or_else(|| {
        work.field("title-short")
            .or_else(|| work.field("title"))
            .map(|t| format!("\u{1}{t}"))
    })
}

/// The authors (else editors) of a work as a narrative citation names
/// them: `Mol`, `Berg and Mol`, `Berg et al.`, with the locale's terms.
fn narrative_names(r: &Reference, style: &CslStyle) -> Option<String> {
    use hayagriva::citationberg::taxonomy::OtherTerm;
    use hayagriva::citationberg::TermForm;
    let term = |t: OtherTerm, fallback: &str| {
        style
            .term(t, TermForm::Long)
            .unwrap_or_else(|| fallback.to_string())
    };
    let names: Vec<&str> = r.creators().iter().map(Name::family_or_literal).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        [a, b] => Some(format!("{a} {} {b}", term(OtherTerm::And, "and"))),
        [a, ..] => Some(format!("{a} {}", term(OtherTerm::EtAl, "et al."))),
    }
}

/// The style without its reference list: what citations need.
fn citation_only(style: &CslStyle) -> IndependentStyle {
    let mut csl = style.style.clone();
    csl.bibliography = None;
    csl
}

/// Undated works by the same authors ("Realdania, n.d." seven times):
/// hayagriva gives year suffixes only to dated works, so they are added
/// here the way CSL writes them, after the "no date" term (`n.d.-a`,
/// `n.d.-b`), in the list's order, in citations and entries alike.
fn suffix_undated(
    groups: &[Vec<usize>],
    finals: &[Option<[String; 2]>],
    requests: &[Request],
    citations: &mut [String],
    entries: &mut [Entry],
    style: &CslStyle,
) {
    use hayagriva::citationberg::taxonomy::OtherTerm;
    use hayagriva::citationberg::TermForm;
    // The style writes the short ("n.d.") or the long ("no date") form, or
    // a text of its own ("[S.d.]").
    let forms: Vec<String> = [TermForm::Short, TermForm::Long]
        .into_iter()
        .filter_map(|form| style.term(OtherTerm::NoDate, form))
        .chain(style.no_date.iter().cloned())
        .collect();
    let mut letter_of: std::collections::HashMap<usize, (char, &str)> = Default::default();
    for group in groups.iter().filter(|g| g.len() > 1) {
        // Undated works whose citations read alike in some form: the ones
        // already told apart (by a title) keep their plain "n.d.".
        let undated = |w: usize, nd: &str| {
            finals[w].as_ref().is_some_and(|f| {
                f.iter()
                    .all(|t| find_term(t, nd).is_some() && !has_suffix(t, nd))
            })
        };
        for nd in &forms {
            let mut alike = std::collections::BTreeSet::new();
            for form in 0..2 {
                let mut by_text: std::collections::HashMap<&str, Vec<usize>> = Default::default();
                for &w in group.iter().filter(|&&w| undated(w, nd)) {
                    if let Some(f) = &finals[w] {
                        by_text.entry(f[form].as_str()).or_default().push(w);
                    }
                }
                for ws in by_text.values().filter(|ws| ws.len() > 1) {
                    alike.extend(ws.iter().copied());
                }
            }
            let in_order = group.iter().filter(|w| alike.contains(w)).take(26);
            for (k, &w) in in_order.enumerate() {
                letter_of
                    .entry(w)
                    .or_insert(((b'a' + k as u8) as char, nd.as_str()));
            }
        }
    }
    for (html, r) in citations.iter_mut().zip(requests) {
        if let Some((letter, nd)) = letter_of.get(&r.reference) {
            let escaped = escape(nd);
            *html = with_suffix(html, &escaped, *letter);
        }
    }
    for (&w, (letter, nd)) in &letter_of {
        let escaped = escape(nd);
        let e = &mut entries[w];
        e.text = with_suffix(&e.text, nd, *letter);
        e.html = with_suffix(&e.html, &escaped, *letter);
    }
}

/// Where the "no date" term stands in `text`, in any letter case (a style
/// may capitalise it: "N.d.").
fn find_term(text: &str, term: &str) -> Option<usize> {
    text.char_indices().map(|(i, _)| i).find(|&i| {
        text.get(i..i + term.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(term))
    })
}

/// Whether "n.d." is already followed by a suffix (`n.d.-a`).
fn has_suffix(text: &str, nd: &str) -> bool {
    find_term(text, nd).is_some_and(|at| text[at + nd.len()..].starts_with('-'))
}

/// `text` with `-letter` after its first "no date" term.
fn with_suffix(text: &str, nd: &str, letter: char) -> String {
    match find_term(text, nd) {
        Some(at) => format!(
            "{}-{letter}{}",
            &text[..at + nd.len()],
            &text[at + nd.len()..]
        ),
        None => text.to_string(),
    }
}

/// Works that could be confused with one another in a citation: those whose
/// citation without locator reads the same ("Smith, 2010" for two works;
/// year suffixes or added names then tell them apart). Each group lists its
/// works in bibliography order; groups come in the order of their first work.
fn confusable_groups(
    items: &[Item],
    refs: &[Reference],
    order: &[usize],
    style: &CslStyle,
    csl: &IndependentStyle,
) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    // Two works are confusable when their plain citations read alike, or
    // their narrative ones do ("Appadurai (1986)" for a chapter and for the
    // book he edited, whose plain citations differ).
    let keys: Vec<[String; 2]> = items
        .par_iter()
        .zip(refs.par_iter())
        .map(|(it, work)| {
            let bare = |purpose: Option<CitePurpose>| {
                let mut item = CitationItem::with_locator(it, None);
                if let Some(p) = purpose {
                    item = item.kind(p);
                }
                plain(&hayagriva::standalone_citation(csl_request(
                    vec![item],
                    style,
                    csl,
                )))
            };
            let mut prose = bare(Some(CitePurpose::Prose));
            if prose.starts_with('(') {
                if let Some(subject) = subject_of(work, style) {
                    prose = format!("{subject} {prose}");
                }
            }
            [bare(None), prose]
        })
        .collect();
    // Union of works sharing either key.
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first: [std::collections::HashMap<&str, usize>; 2] = Default::default();
    for &i in order {
        for (seen, key) in first.iter_mut().zip(&keys[i]) {
            match seen.get(key.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    seen.insert(key.as_str(), i);
                }
            }
        }
    }
    let mut group_of: std::collections::HashMap<usize, usize> = Default::default();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in order {
        let r = root(&mut parent, i);
        let next = groups.len();
        let g = *group_of.entry(r).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        groups[g].push(i);
    }
    groups
}

/// Author-date styles: citations are rendered in groups of works that
/// could be confused with one another (the same citation without
/// locator, such as "Smith, 2010" for two works: year suffixes and added
/// names tell them apart), each group through its own driver primed in
/// bibliography order, groups in parallel. A work's citation depends only
/// on the works of its group, so this renders what one driver for the whole
/// site would, without hayagriva's per-citation search of every cited work
/// (quadratic in the bibliography's size).
fn render_by_group(
    items: &[Item],
    refs: &[Reference],
    groups: &[Vec<usize>],
    requests: &[Request],
    style: &CslStyle,
    citation_only: &IndependentStyle,
) -> (Vec<String>, Vec<Option<[String; 2]>>) {
    use rayon::prelude::*;
    let (chunks, confusable): (Vec<Vec<usize>>, Vec<bool>) =
        driver_chunks(groups).into_iter().unzip();
    let mut chunk_of_work = vec![0usize; items.len()];
    for (n, chunk) in chunks.iter().enumerate() {
        for &w in chunk {
            chunk_of_work[w] = n;
        }
    }
    let mut requests_of_chunk: Vec<Vec<usize>> = vec![Vec::new(); chunks.len()];
    for (n, r) in requests.iter().enumerate() {
        requests_of_chunk[chunk_of_work[r.reference]].push(n);
    }
    let no_names = without_name_disambiguation(citation_only);
    let alone = without_disambiguation(citation_only);
    // One driver: each work primed with a plain and a narrative citation
    // (shown to hayagriva, not to readers), then the requests. Returns the
    // requests' HTML, and whether the primed citations all read
    // differently, work from work.
    let render = |works: &[usize], mine: &[usize], csl: &IndependentStyle| {
        let mut driver = primed_then_cited(
            items,
            works,
            style,
            csl,
            Priming::Visible,
            Some(CitePurpose::Prose),
        );
        let reqs: Vec<&Request> = mine.iter().map(|&n| &requests[n]).collect();
        for r in &reqs {
            driver.citation(csl_request(vec![citation_item(items, r)], style, csl));
        }
        let rendered = finish(driver, style, csl);
        let mut primed: Vec<String> = rendered
            .citations
            .iter()
            .take(2 * works.len())
            .map(|c| plain(&c.citation))
            .collect();
        // Narratives as they will read once their subject is named.
        for (k, &w) in works.iter().enumerate() {
            let prose = &mut primed[works.len() + k];
            if prose.starts_with('(') {
                if let Some(subject) = subject_of(&refs[w], style) {
                    *prose = format!("{subject} {prose}");
                }
            }
        }
        let distinct = primed.chunks(works.len()).all(|set| {
            let mut seen = std::collections::HashSet::new();
            set.iter().all(|t| seen.insert(t))
        });
        (
            citations_html(rendered, 2 * works.len(), &reqs, style),
            distinct,
            primed,
        )
    };
    type Chunk = (Vec<(usize, String)>, Vec<(usize, [String; 2])>);
    let rendered: Vec<Chunk> = chunks
        .par_iter()
        .zip(requests_of_chunk.par_iter())
        .zip(confusable.par_iter())
        .map(|((works, mine), &confusable)| {
            if mine.is_empty() {
                return (Vec::new(), Vec::new());
            }
            let csl = if confusable { citation_only } else { &alone };
            let (mut html, distinct, mut primed) = render(works, mine, csl);
            // Names did not tell the works apart in every form (hayagriva
            // stops before year suffixes when it tried names): year
            // suffixes alone, as the entries then carry them too.
            if !distinct {
                (html, _, primed) = render(works, mine, &no_names);
            }
            let n = works.len();
            let finals = works
                .iter()
                .enumerate()
                .map(|(k, &w)| (w, [primed[k].clone(), primed[n + k].clone()]))
                .collect();
            (mine.iter().copied().zip(html).collect(), finals)
        })
        .collect();
    let mut out = vec![String::new(); requests.len()];
    let mut finals = vec![None; items.len()];
    for (html, fin) in rendered {
        for (n, h) in html {
            out[n] = h;
        }
        for (w, f) in fin {
            finals[w] = Some(f);
        }
    }
    (out, finals)
}

/// Works of one group whose citations still read alike once hayagriva is
/// done (a chapter and the volume its author edited: "Appadurai (1986)"
/// twice, as the narrative form drops the editor): year suffixes in the
/// list's order, after the year, in their citations and entries alike.
fn suffix_remaining(
    groups: &[Vec<usize>],
    finals: &[Option<[String; 2]>],
    refs: &[Reference],
    requests: &[Request],
    citations: &mut [String],
    entries: &mut [Entry],
) {
    let mut letter_of: std::collections::HashMap<usize, char> = Default::default();
    for group in groups.iter().filter(|g| g.len() > 1 && g.len() <= 26) {
        let mut alike = std::collections::BTreeSet::new();
        for form in 0..2 {
            let mut by_text: std::collections::HashMap<&str, Vec<usize>> = Default::default();
            for &w in group {
                if let Some(f) = &finals[w] {
                    by_text.entry(f[form].as_str()).or_default().push(w);
                }
            }
            for works in by_text.values().filter(|ws| ws.len() > 1) {
                alike.extend(works.iter().copied());
            }
        }
        let in_order = group.iter().filter(|w| alike.contains(w));
        for (k, &w) in in_order.enumerate() {
            letter_of.insert(w, (b'a' + k as u8) as char);
        }
    }
    let with_letter = |text: &str, year: &str, letter: char| -> String {
        // The first year not already followed by a suffix letter.
        let mut from = 0;
        while let Some(at) = text[from..].find(year).map(|i| i + from) {
            let after = text[at + year.len()..].chars().next();
            let before = text[..at].chars().next_back();
            let digit_before = before.is_some_and(|c| c.is_ascii_digit());
            if !after.is_some_and(|c| c.is_ascii_alphanumeric()) && !digit_before {
                return format!("{}{year}{letter}{}", &text[..at], &text[at + year.len()..]);
            }
            from = at + year.len();
        }
        text.to_string()
    };
    for (html, r) in citations.iter_mut().zip(requests) {
        if let (Some(&letter), Some(year)) = (letter_of.get(&r.reference), refs[r.reference].year())
        {
            *html = with_letter(html, &year.to_string(), letter);
        }
    }
    for (&w, &letter) in &letter_of {
        if let Some(year) = refs[w].year() {
            let year = year.to_string();
            entries[w].text = with_letter(&entries[w].text, &year, letter);
            entries[w].html = with_letter(&entries[w].html, &year, letter);
        }
    }
}

/// One entry on its own, as it would stand in a reference list.
pub fn format_one(r: &Reference, style: &CslStyle) -> Entry {
    format_one_item(&to_item(r), style)
}

/// One CSL item on its own, as it would stand in a reference list.
fn format_one_item(item: &Item, style: &CslStyle) -> Entry {
    let mut driver = BibliographyDriver::new();
    prime(
        &mut driver,
        std::iter::once(item),
        style,
        &style.style,
        Priming::Hidden,
    );
    finish(driver, style, &style.style)
        .bibliography
        .and_then(|b| b.items.into_iter().next())
        .map(|i| Entry::of(&i.content, style))
        .unwrap_or_default()
}

/// Words a title case leaves small.
const SMALL_WORDS: [&str; 17] = [
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "nor", "of", "on", "or", "the",
    "to", "with",
];

/// hayagriva's title case capitalises a small word after a comma
/// ("Practices, Techniques, And Bodies"), which CSL's title case does not:
/// a small word written in lower case after a comma or semicolon in the
/// work's title or container title is put back in lower case in its entry.
fn keep_small_words_small(entry: &mut Entry, r: &Reference) {
    for field in ["title", "container-title", "collection-title"] {
        let Some(title) = r.field(field) else {
            continue;
        };
        for sep in [", ", "; "] {
            for word in SMALL_WORDS {
                let small = format!("{sep}{word} ");
                if !title.contains(&small) {
                    continue;
                }
                let mut chars = word.chars();
                let first = chars.next().expect("a word").to_uppercase();
                let capital = format!("{sep}{first}{} ", chars.as_str());
                entry.text = entry.text.replace(&capital, &small);
                entry.html = entry.html.replace(&capital, &small);
            }
        }
    }
}

/// "Smith, J, 2010, Title": for works a style does not list.
fn fallback(r: &Reference) -> String {
    let names: Vec<String> = r.creators().iter().map(Name::inverted).collect();
    let mut parts = Vec::new();
    if !names.is_empty() {
        parts.push(names.join(", "));
    }
    if let Some(y) = r.year() {
        parts.push(y.to_string());
    }
    parts.push(r.field("title").unwrap_or(&r.key).to_string());
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::html::spaced_punctuation;
    use super::item::spaced_initials;
    use super::style::may_hold;
    use super::*;
    use crate::bibliography::Date;
    use hayagriva::{ElemChild, ElemMeta};

    fn work(key: &str, family: &str, given: &str, year: &str, title: &str) -> Reference {
        let mut r = Reference {
            key: key.into(),
            kind: "book".into(),
            ..Reference::default()
        };
        let name = Name {
            family: Some(family.into()),
            given: Some(given.into()),
            ..Name::default()
        };
        r.names.insert("author".into(), vec![name]);
        r.dates
            .insert("issued".into(), Date::parse_iso(year).expect("a year"));
        r.fields.insert("title".into(), title.into());
        r
    }

    /// What one driver for the whole site renders: primed in bibliography
    /// order, then every request. The grouped, parallel rendering must
    /// match it exactly.
    fn one_driver(
        items: &[Item],
        order: &[usize],
        requests: &[Request],
        style: &CslStyle,
    ) -> Vec<String> {
        let mut driver = BibliographyDriver::new();
        prime(
            &mut driver,
            order.iter().map(|&i| &items[i]),
            style,
            &style.style,
            Priming::Hidden,
        );
        for r in requests {
            driver.citation(csl_request(
                vec![citation_item(items, r)],
                style,
                &style.style,
            ));
        }
        let refs: Vec<&Request> = requests.iter().collect();
        citations_html(
            finish(driver, style, &style.style),
            order.len(),
            &refs,
            style,
        )
    }

    fn langs(wanted: Option<&str>) -> Vec<String> {
        let mut l: Vec<String> = locales_for(wanted)
            .iter()
            .filter_map(|l| l.lang.as_ref().map(|c| c.0.clone()))
            .collect();
        l.sort();
        l
    }

    /// The locales decoded are those of the wanted language and `en-US`,
    /// each found by its code in the encoded file.
    #[test]
    fn only_the_wanted_language_and_en_us_are_decoded() {
        assert_eq!(langs(Some("en-GB")), ["en-GB", "en-US"]);
        assert_eq!(langs(Some("de-AT")), ["de-AT", "de-CH", "de-DE", "en-US"]);
        assert_eq!(langs(Some("fr")), ["en-US", "fr-CA", "fr-FR"]);
        assert_eq!(langs(Some("xx-YY")), ["en-US"]);
        assert_eq!(langs(None), ["en-GB", "en-US"]);
        // Only those are decoded.
        let decoded = |language: &str| {
            hayagriva::archive::LOCALES
                .iter()
                .filter(|b| may_hold(b, language))
                .count()
        };
        assert_eq!(decoded("en"), 2);
        assert_eq!(decoded("de"), 4);
    }

    /// The default style initialises given names as the paper's list does
    /// (`Berg, M, Mol, A`; `Hay, TM`), keeping run-together initials.
    #[test]
    fn a_space_the_style_writes_before_punctuation_is_kept() {
        let xml = |affix: &str| {
            format!(
                r#"<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>t</title><id>t</id><updated>2026-01-01T00:00:00+00:00</updated></info><citation><layout><text variable="publisher-place"/><text variable="publisher" prefix="{affix}"/></layout></citation></style>"#
            )
        };
        let spaced =
            |affix: &str| spaced_punctuation(&IndependentStyle::from_xml(&xml(affix)).unwrap());
        assert_eq!(spaced(" : "), [':']);
        assert!(spaced(": ").is_empty());
        let text = |t: &str| {
            ElemChild::Text(hayagriva::Formatted {
                text: t.into(),
                formatting: Default::default(),
            })
        };
        let content = ElemChildren(vec![
            ElemChild::Elem(hayagriva::Elem {
                children: ElemChildren(vec![text("Le monde : essai")]),
                display: None,
                meta: Some(ElemMeta::Text),
            }),
            text(" : "),
            text("Paris"),
        ]);
        assert_eq!(plain(&tidy(&content, &[])), "Le monde : essai: Paris");
        assert_eq!(plain(&tidy(&content, &[':'])), "Le monde : essai : Paris");
    }

    #[test]
    fn the_default_style_initialises_given_names() {
        let style = CslStyle::new(IndependentStyle::from_xml(DEFAULT_STYLE).unwrap(), None);
        let mut r = work(
            "berg1997",
            "Berg",
            "Marc",
            "1997",
            "Differences in medicine",
        );
        r.names.get_mut("author").unwrap().push(Name {
            family: Some("Hay".into()),
            given: Some("TM".into()),
            ..Name::default()
        });
        assert_eq!(
            format_one(&r, &style).text,
            "Berg, M, Hay, TM, 1997, Differences in medicine"
        );
        assert_eq!(spaced_initials("TM"), "T. M.");
        assert_eq!(spaced_initials("Marc"), "Marc");
        assert_eq!(spaced_initials("R."), "R.");
    }

    #[test]
    fn grouped_citations_match_one_driver_for_the_whole_site() {
        // Listed out of alphabetical order, with works confusable by year
        // (Smith 2010 ×3) and by name (two Browns of 2005), across more
        // works than one group driver takes.
        let mut refs = vec![
            work("smith-c", "Smith", "Jane", "2010", "Zebra crossings"),
            work("brown-k", "Brown", "Kate", "2005", "Kinship"),
            work("smith-a", "Smith", "Jane", "2010", "Alpha"),
            work("brown-a", "Brown", "Alan", "2005", "Agency"),
            work("smith-b", "Smith", "Jane", "2010", "Middle ways"),
        ];
        for n in 0..150 {
            refs.push(work(
                &format!("w{n}"),
                &format!("Author{n:03}"),
                "A",
                &format!("{}", 1950 + n % 60),
                &format!("Title {n}"),
            ));
        }
        let items: Vec<Item> = refs.iter().map(to_item).collect();
        let style = CslStyle::new(IndependentStyle::from_xml(DEFAULT_STYLE).unwrap(), None);
        let order = bibliography_order(&items, &style);
        let csl = citation_only(&style);
        let groups = confusable_groups(&items, &refs, &order, &style, &csl);
        let smiths: Vec<&Vec<usize>> = groups.iter().filter(|g| g.len() == 3).collect();
        assert_eq!(
            smiths,
            [&vec![0, 2, 4]],
            "the Smith 2010 works are one group"
        );
        assert!(
            groups.contains(&vec![3, 1]),
            "the Browns are a group, listed out of the file's order: {groups:?}"
        );
        let requests: Vec<Request> = (0..items.len())
            .flat_map(|reference| {
                [
                    Request {
                        reference,
                        locator: None,
                        narrative: false,
                        suppress_author: false,
                    },
                    Request {
                        reference,
                        locator: Some((LocatorKind::Page, "12")),
                        narrative: false,
                        suppress_author: false,
                    },
                    Request {
                        reference,
                        locator: None,
                        narrative: true,
                        suppress_author: false,
                    },
                    Request {
                        reference,
                        locator: None,
                        narrative: false,
                        suppress_author: true,
                    },
                ]
            })
            .collect();
        let (grouped, _) = render_by_group(&items, &refs, &groups, &requests, &style, &csl);
        assert_eq!(grouped, one_driver(&items, &order, &requests, &style));
        let text = |key: &str| grouped[4 * refs.iter().position(|r| r.key == key).unwrap()].clone();
        // The list sorts by author (family, then given name), then year,
        // keeping the file's order among equals; suffixes follow the list.
        assert_eq!(
            ["smith-c", "smith-a", "smith-b", "brown-a", "brown-k"].map(text),
            [
                "Smith, 2010a",
                "Smith, 2010b",
                "Smith, 2010c",
                "Brown, 2005a",
                "Brown, 2005b"
            ]
        );
        assert_eq!(grouped[4 * 3 + 2], "Brown (2005a)", "narrative");
        assert_eq!(grouped[4 * 3 + 1], "Brown, 2005a, p. 12", "locator");
        // Entries carry the same suffixes, following the list's order
        // (Alan before Kate), not the file's.
        let entries = render_entries(&items, &groups, &style);
        assert_eq!(entries[3].text, "Brown, A, 2005a, Agency");
        assert_eq!(entries[1].text, "Brown, K, 2005b, Kinship");
    }
}
