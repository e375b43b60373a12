//! Formatting citations and entries with a CSL style, through hayagriva.
//!
//! One pass over the whole site: every citation occurrence, in page order,
//! goes through one `BibliographyDriver`, so year suffixes (2010a/2010b) and
//! name disambiguation are computed across the whole bibliography. hayagriva
//! assigns suffixes in first-citation order, so the driver is first primed
//! with a hidden citation of every entry in the style's bibliography order.
//! Output is walked element by element into escaped HTML.

use std::path::Path;

use hayagriva::citationberg::json::{
    DateValue, Item, LiteralName, NameItem, NameValue, Value, VecDate, VecDateRange,
};
use hayagriva::citationberg::taxonomy::Locator as CslLocator;
use hayagriva::citationberg::{
    CitationFormat, IndependentStyle, Locale, LocaleCode, Style, StyleCategory, StyleClass,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, ElemMeta, LocatorPayload, SpecificLocator,
};

use crate::bibliography::{Bibliography, Name, Reference};
use crate::citation::{CiteForm, LocatorKind};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::html::escape;
use crate::model::Site;

/// The built-in style: the author-date style of *Voluntary Sector Review*.
pub const DEFAULT_STYLE: &str = include_str!("voluntary-sector-review.csl");

/// What makes two citations render alike: the work, the locator, narrative
/// form, and author suppression.
type RequestKey<'a> = (usize, Option<(LocatorKind, &'a str)>, bool, bool);

/// A loaded CSL style with its locales.
pub struct CslStyle {
    style: IndependentStyle,
    locales: Vec<Locale>,
    locale: Option<LocaleCode>,
    /// The citation layout's delimiter between works (`; `).
    pub delimiter: String,
    /// The layout's own brackets, `(` and `)` for author-date styles.
    pub open: String,
    pub close: String,
    /// Numbered or labelled citations: numbers follow first citation, so
    /// the driver is not primed in bibliography order.
    numeric: bool,
}

impl CslStyle {
    /// The style named in `book.toml`: a bundled style name, a `.csl` file
    /// relative to the project root, or the built-in default.
    pub fn load(root: &Path, config: &Config) -> Result<CslStyle> {
        let bad = |msg: String| Error::Config(format!("error: [bibliography] style: {msg}"));
        let style = match config.bibliography.style.as_deref() {
            None | Some("voluntary-sector-review") => {
                IndependentStyle::from_xml(DEFAULT_STYLE).map_err(|e| bad(e.to_string()))?
            }
            Some(name) if name.ends_with(".csl") => {
                let path = root.join(name);
                let xml = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                match Style::from_xml(&xml).map_err(|e| bad(format!("{name}: {e}")))? {
                    Style::Independent(s) => s,
                    Style::Dependent(_) => {
                        return Err(bad(format!(
                            "{name} is a dependent style; name its parent style instead"
                        )))
                    }
                }
            }
            Some(name) => {
                let archived = hayagriva::archive::ArchivedStyle::by_name(name).ok_or_else(|| {
                    bad(format!("no bundled style `{name}`; give a .csl file, or a name such as `apa` or `harvard-cite-them-right`"))
                })?;
                match archived.get() {
                    Style::Independent(s) => s,
                    Style::Dependent(_) => {
                        return Err(bad(format!("`{name}` is a dependent style")))
                    }
                }
            }
        };
        if style.settings.class == StyleClass::Note {
            return Err(bad(format!(
                "`{}` puts citations in footnotes, which this site does not render; choose an author-date or numeric style",
                config.bibliography.style.as_deref().unwrap_or_default()
            )));
        }
        Ok(CslStyle::new(style, config.bibliography.locale.as_deref()))
    }

    pub fn new(mut style: IndependentStyle, locale: Option<&str>) -> CslStyle {
        let numeric = style.info.category.iter().any(|c| {
            matches!(
                c,
                StyleCategory::CitationFormat {
                    format: CitationFormat::Numeric | CitationFormat::Label
                }
            )
        });
        let layout = &mut style.citation.layout;
        // Items are formatted one by one and joined here, so that prefixes
        // (`see`), suffixes and author suppression work in any style.
        let open = layout.prefix.take().unwrap_or_default();
        let close = layout.suffix.take().unwrap_or_default();
        let delimiter = layout.delimiter.clone().unwrap_or_else(|| "; ".into());
        CslStyle {
            style,
            locales: hayagriva::archive::locales(),
            locale: locale.map(|l| LocaleCode(l.to_string())),
            delimiter,
            open,
            close,
            numeric,
        }
    }
}

/// A formatted bibliography entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// HTML, with DOIs and URLs as links.
    pub html: String,
    /// Plain text, for tooltips.
    pub text: String,
}

/// Everything the renderer needs from the citation style.
#[derive(Debug, Clone, Default)]
pub struct Formatted {
    /// Per bibliography entry (by index).
    pub entries: Vec<Entry>,
    /// Bibliography indices in the style's order.
    pub order: Vec<usize>,
    /// Per occurrence (by index in `Site::occurrences`): the item's HTML
    /// without brackets, such as `Huxham and Vangen, 2005, p. 414` or, in a
    /// narrative citation, `Bachmann et al. (2009)`.
    pub items: Vec<String>,
    /// The paper the companion accompanies, as a reference-list entry.
    pub paper: Option<Entry>,
}

/// Formats every entry and every citation occurrence of the site.
pub fn format(
    bib: &Bibliography,
    site: &Site,
    style: &CslStyle,
    paper: Option<&Reference>,
) -> Formatted {
    let items: Vec<Item> = bib.refs.iter().map(to_item).collect();
    fn request<'a>(
        items: Vec<CitationItem<'a, Item>>,
        style: &'a CslStyle,
    ) -> CitationRequest<'a, Item> {
        CitationRequest::new(
            items,
            &style.style,
            style.locale.clone(),
            &style.locales,
            None,
        )
    }
    fn hidden(item: &Item) -> CitationItem<'_, Item> {
        CitationItem::new(item, None, None, true, None)
    }
    let finish = |driver: BibliographyDriver<'_, Item>| {
        driver.finish(BibliographyRequest::new(
            &style.style,
            style.locale.clone(),
            &style.locales,
        ))
    };

    // Pass 1: the style's order of the whole bibliography.
    let mut driver = BibliographyDriver::new();
    driver.citation(request(items.iter().map(hidden).collect(), style));
    let first = finish(driver);
    let order: Vec<usize> = first
        .bibliography
        .map(|b| b.items.iter().filter_map(|i| bib.get(&i.key)).collect())
        .unwrap_or_else(|| (0..items.len()).collect());

    // Pass 2: primed in that order (author-date styles: year suffixes follow
    // the bibliography), then every occurrence.
    let mut driver = BibliographyDriver::new();
    if !style.numeric {
        driver.citation(request(
            order.iter().map(|&i| hidden(&items[i])).collect(),
            style,
        ));
    }
    // Identical citations (same work, locator, form) render identically in
    // author-date and numeric styles once suffixes are primed, so each is
    // formatted once; `request_of` maps every occurrence to its request.
    let mut requests: std::collections::HashMap<RequestKey<'_>, usize> =
        std::collections::HashMap::new();
    let mut request_of = Vec::with_capacity(site.occurrences.len());
    let mut suppress = Vec::new();
    for occ in &site.occurrences {
        let citation = &site.pages[occ.page].page.citations[occ.citation];
        let cref = &citation.items[occ.item].item;
        let narrative = citation.form == CiteForm::Narrative;
        let key = (
            occ.reference,
            cref.locator.as_ref().map(|l| (l.kind, l.value.as_str())),
            narrative,
            cref.suppress_author,
        );
        let next = requests.len();
        let n = *requests.entry(key).or_insert(next);
        request_of.push(n);
        if n < next {
            continue;
        }
        let locator = cref
            .locator
            .as_ref()
            .map(|l| SpecificLocator(csl_locator(l.kind), LocatorPayload::Str(&l.value)));
        let mut item = CitationItem::with_locator(&items[occ.reference], locator);
        if narrative {
            item = item.kind(CitePurpose::Prose);
        }
        suppress.push(cref.suppress_author);
        driver.citation(request(vec![item], style));
    }
    let rendered = finish(driver);

    let mut entries = vec![Entry::default(); items.len()];
    if let Some(b) = &rendered.bibliography {
        for item in &b.items {
            if let Some(i) = bib.get(&item.key) {
                entries[i] = Entry {
                    html: html(&item.content),
                    text: plain(&item.content),
                };
            }
        }
    }
    // Works the style leaves out of its bibliography still get an entry.
    for (i, e) in entries.iter_mut().enumerate() {
        if e.text.is_empty() {
            let text = fallback(&bib.refs[i]);
            *e = Entry {
                html: escape(&text),
                text,
            };
        }
    }
    let mut cites = rendered
        .citations
        .into_iter()
        .skip(usize::from(!style.numeric));
    let unique: Vec<String> = suppress
        .iter()
        .map(|&suppress| {
            let mut c = cites
                .next()
                .map(|c| c.citation)
                .unwrap_or(ElemChildren(vec![]));
            if suppress {
                remove_names(&mut c.0);
            }
            html(&c)
        })
        .collect();
    let items_html = request_of.iter().map(|&n| unique[n].clone()).collect();
    Formatted {
        entries,
        order,
        items: items_html,
        paper: paper.map(|p| format_one(p, style)),
    }
}

/// One entry on its own, as it would stand in a reference list.
pub fn format_one(r: &Reference, style: &CslStyle) -> Entry {
    let item = to_item(r);
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::new(
        vec![CitationItem::new(&item, None, None, true, None)],
        &style.style,
        style.locale.clone(),
        &style.locales,
        None,
    ));
    let done = driver.finish(BibliographyRequest::new(
        &style.style,
        style.locale.clone(),
        &style.locales,
    ));
    done.bibliography
        .and_then(|b| b.items.into_iter().next())
        .map(|i| Entry {
            html: html(&i.content),
            text: plain(&i.content),
        })
        .unwrap_or_default()
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

fn csl_locator(kind: LocatorKind) -> CslLocator {
    match kind {
        LocatorKind::Page => CslLocator::Page,
        LocatorKind::Chapter => CslLocator::Chapter,
        LocatorKind::Section => CslLocator::Section,
        LocatorKind::Paragraph => CslLocator::Paragraph,
        LocatorKind::Figure => CslLocator::Figure,
        LocatorKind::Volume => CslLocator::Volume,
        LocatorKind::Note => CslLocator::Note,
        LocatorKind::Line => CslLocator::Line,
        LocatorKind::Part => CslLocator::Part,
        LocatorKind::Book => CslLocator::Book,
        LocatorKind::Column => CslLocator::Column,
        LocatorKind::Table => CslLocator::Table,
        LocatorKind::Appendix => CslLocator::Appendix,
    }
}

/// Removes the first rendered name list (and the delimiter after it), for
/// author-suppressed citations: `Alcock, 2010a` → `2010a`.
fn remove_names(children: &mut Vec<ElemChild>) -> bool {
    for i in 0..children.len() {
        let is_names = matches!(&children[i], ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Names(..))));
        if is_names {
            children.remove(i);
            if let Some(ElemChild::Text(t)) = children.get(i) {
                if t.text.trim().is_empty() || t.text.trim() == "," {
                    children.remove(i);
                }
            }
            return true;
        }
        if let ElemChild::Elem(e) = &mut children[i] {
            if remove_names(&mut e.children.0) {
                // A group whose names went may now start with its delimiter.
                if let Some(ElemChild::Text(t)) = e.children.0.first() {
                    if t.text.trim() == "," || t.text.trim().is_empty() {
                        e.children.0.remove(0);
                    }
                }
                return true;
            }
        }
    }
    false
}

/// Escaped HTML for formatted CSL output.
pub fn html(children: &ElemChildren) -> String {
    let mut out = String::new();
    write_html(children, &mut out);
    out
}

fn write_html(children: &ElemChildren, out: &mut String) {
    use hayagriva::citationberg::{
        FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign,
    };
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => {
                let f = &t.formatting;
                let mut open = String::new();
                let mut close = String::new();
                let mut wrap = |o: &str, c: &str| {
                    open.push_str(o);
                    close.insert_str(0, c);
                };
                if f.font_style == FontStyle::Italic {
                    wrap("<i>", "</i>");
                }
                if f.font_weight == FontWeight::Bold {
                    wrap("<b>", "</b>");
                }
                if f.font_variant == FontVariant::SmallCaps {
                    wrap("<span class=\"small-caps\">", "</span>");
                }
                if f.text_decoration == TextDecoration::Underline {
                    wrap("<u>", "</u>");
                }
                match f.vertical_align {
                    VerticalAlign::Sup => wrap("<sup>", "</sup>"),
                    VerticalAlign::Sub => wrap("<sub>", "</sub>"),
                    _ => {}
                }
                out.push_str(&open);
                out.push_str(&escape(&t.text));
                out.push_str(&close);
            }
            ElemChild::Elem(e) => write_html(&e.children, out),
            ElemChild::Markup(m) => out.push_str(&escape(m)),
            ElemChild::Link { text, url } => {
                let safe = url.starts_with("https://") || url.starts_with("http://");
                if safe {
                    out.push_str(&format!(
                        "<a href=\"{}\">{}</a>",
                        escape(url),
                        escape(&text.text)
                    ));
                } else {
                    out.push_str(&escape(&text.text));
                }
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// Plain text of formatted CSL output.
pub fn plain(children: &ElemChildren) -> String {
    let mut out = String::new();
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => out.push_str(&t.text),
            ElemChild::Elem(e) => out.push_str(&plain(&e.children)),
            ElemChild::Markup(m) => out.push_str(m),
            ElemChild::Link { text, .. } => out.push_str(&text.text),
            ElemChild::Transparent { .. } => {}
        }
    }
    out
}

/// A reference as a CSL-JSON item for the CSL processor. Only the start of
/// a date range is passed on: the processor's CSL-JSON path cannot format
/// ranges.
pub fn to_item(r: &Reference) -> Item {
    let mut map = std::collections::BTreeMap::new();
    map.insert("id".to_string(), Value::String(r.key.clone()));
    map.insert("type".to_string(), Value::String(r.kind.clone()));
    for (var, names) in &r.names {
        map.insert(
            var.clone(),
            Value::Names(names.iter().map(name_value).collect()),
        );
    }
    for (var, d) in &r.dates {
        let parts: Vec<i16> = d
            .parts
            .iter()
            .map(|&p| p.clamp(i16::MIN as i32, i16::MAX as i32) as i16)
            .collect();
        let value = if parts.is_empty() {
            match &d.literal {
                Some(l) => DateValue::DateParts {
                    date_parts: VecDateRange(vec![]),
                    literal: Some(l.clone()),
                    season: None,
                    circa: d.circa,
                },
                None => continue,
            }
        } else {
            DateValue::DateParts {
                date_parts: VecDateRange(vec![VecDate(parts)]),
                literal: None,
                season: None,
                circa: d.circa,
            }
        };
        map.insert(var.clone(), Value::Date(value));
    }
    for (var, v) in &r.fields {
        map.insert(var.clone(), Value::String(v.clone()));
    }
    Item(map)
}

fn name_value(n: &Name) -> NameValue {
    match &n.literal {
        Some(l) => NameValue::Literal(LiteralName { literal: l.clone() }),
        None => NameValue::Item(NameItem {
            family: n.family.clone().unwrap_or_default(),
            given: n.given.clone(),
            non_dropping_particle: n.particle.clone(),
            dropping_particle: None,
            suffix: n.suffix.clone(),
            comma_suffix: None,
        }),
    }
}
