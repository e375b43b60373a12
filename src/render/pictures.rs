//! The analysis as pictures: the site's tensions, quotes and participants
//! turned into the data `charts` draws (the tension map, the tension
//! co-occurrence heat map, the participant × tension matrix), and the
//! lists their cells link to (the quotes a tension shares with another,
//! a participant's quotes by tension).

use serde::Serialize;

use super::charts::{self, Cell, Grid, MapLevel, MapTension};
use super::qual::{href, link, Link};
use super::RenderContext;
use crate::urls;

/// The most quotes a list of shared quotes shows (the rest are on the
/// tension's pages).
const SHARED_SHOWN: usize = 50;

/// The anchor, on tension `t`'s page, of the quotes it shares with `u`.
fn with_anchor(input: &RenderContext<'_>, u: usize) -> String {
    let page = input.site.qual.tensions[u].page;
    format!("with-{}", urls::slugify(&input.site.pages[page].id))
}

/// The anchor, on a participant's page, of their quotes in tension `t`.
fn tension_anchor(input: &RenderContext<'_>, t: usize) -> String {
    let page = input.site.qual.tensions[t].page;
    format!("tension-{}", urls::slugify(&input.site.pages[page].id))
}

/// The anchor of a pole's quotes on its tension's page.
pub(super) fn pole_anchor(pole: Option<&str>) -> String {
    match pole {
        Some(p) => format!("pole-{}", urls::slugify(p)),
        None => "across".into(),
    }
}

fn link_at(input: &RenderContext<'_>, from: &str, page: usize, anchor: &str) -> String {
    let url = &input.site.pages[page].url;
    urls::relative_href(from, url, Some(anchor), input.config.build.link_index_html)
}

/// The tension map on the tensions index: each tension as its poles, by
/// level, with its quote count and lines to its related tensions.
pub(super) fn tension_map(input: &RenderContext<'_>, from: &str) -> String {
    let qual = &input.site.qual;
    let size = input.config.build.page_size.get();
    let mut levels: Vec<MapLevel> = Vec::new();
    for (t, info) in qual.tensions.iter().enumerate() {
        let name = info.level.map_or(String::new(), |l| l.title().to_string());
        if levels.last().is_none_or(|l| l.name != name) {
            levels.push(MapLevel {
                name: name.clone(),
                tensions: Vec::new(),
            });
        }
        let tension = link(input, from, info.page);
        // Each pole links to where its quotes start on the tension's pages.
        let poles = info
            .poles
            .iter()
            .map(|pole| {
                let first = info.quotes.iter().position(|&q| {
                    qual.quotes[q]
                        .tags
                        .iter()
                        .any(|(x, p)| *x == t && p.as_deref() == Some(pole))
                });
                let href = match first {
                    Some(at) => {
                        let url = super::pager::url(&input.site.pages[info.page].url, at / size);
                        urls::relative_href(
                            from,
                            &url,
                            Some(&pole_anchor(Some(pole))),
                            input.config.build.link_index_html,
                        )
                    }
                    None => tension.href.clone(),
                };
                charts::Link {
                    label: pole.clone(),
                    href,
                }
            })
            .collect();
        levels
            .last_mut()
            .expect("just pushed")
            .tensions
            .push(MapTension {
                title: tension.title,
                href: tension.href,
                poles,
                count: info.quotes.len(),
                related: info.related.clone(),
            });
    }
    charts::tension_map("tension-map-picture", &levels)
}

/// The co-occurrence heat map: how many quotes carry both tensions; a
/// cell links to those quotes on the first tension's page, the diagonal
/// to the tension.
pub(super) fn cooccurrence(input: &RenderContext<'_>, from: &str) -> String {
    let qual = &input.site.qual;
    let heads: Vec<charts::Link> = qual
        .tensions
        .iter()
        .map(|t| chart_link(link(input, from, t.page)))
        .collect();
    let cells = qual
        .cooccurrence
        .iter()
        .enumerate()
        .map(|(a, row)| {
            row.iter()
                .enumerate()
                .map(|(b, &count)| Cell {
                    count,
                    href: (count > 0).then(|| {
                        let page = qual.tensions[a].page;
                        if a == b {
                            href(input, from, page)
                        } else {
                            link_at(input, from, page, &with_anchor(input, b))
                        }
                    }),
                })
                .collect()
        })
        .collect();
    let grid = Grid {
        rows: heads.clone(),
        cols: heads,
        cells,
    };
    charts::heat_map(
        "cooccurrence-picture",
        "Quotes coded with both tensions",
        &grid,
    )
}

/// The numbers of a picture as a table (its text alternative).
#[derive(Serialize)]
pub(super) struct Table {
    pub cols: Vec<Link>,
    pub rows: Vec<TableRow>,
}

#[derive(Serialize)]
pub(super) struct TableRow {
    pub head: Link,
    pub cells: Vec<usize>,
}

/// Who speaks to which tension: a cell counts a participant's quotes in a
/// tension and links to them on the participant's page. The picture and
/// the same numbers as a table.
pub(super) fn matrix(input: &RenderContext<'_>, from: &str) -> (String, Table) {
    let qual = &input.site.qual;
    let cols: Vec<charts::Link> = qual
        .tensions
        .iter()
        .map(|t| chart_link(link(input, from, t.page)))
        .collect();
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut table = Table {
        cols: qual
            .tensions
            .iter()
            .map(|t| link(input, from, t.page))
            .collect(),
        rows: Vec::new(),
    };
    for p in &qual.participants {
        let head = link(input, from, p.page);
        rows.push(chart_link(head.clone()));
        let mut counts = vec![0usize; qual.tensions.len()];
        for &q in &p.quotes {
            for (t, _) in &qual.quotes[q].tags {
                counts[*t] += 1;
            }
        }
        table.rows.push(TableRow {
            head,
            cells: counts.clone(),
        });
        cells.push(
            counts
                .iter()
                .enumerate()
                .map(|(t, &count)| Cell {
                    count,
                    href: (count > 0)
                        .then(|| link_at(input, from, p.page, &tension_anchor(input, t))),
                })
                .collect(),
        );
    }
    let svg = charts::heat_map(
        "matrix-picture",
        "Quotes by participant and tension",
        &Grid { rows, cols, cells },
    );
    (svg, table)
}

fn chart_link(l: Link) -> charts::Link {
    charts::Link {
        label: l.title,
        href: l.href,
    }
}

/// Quotes listed under another tension (on a tension's page) or under a
/// tension (on a participant's page): the targets of the pictures' cells.
#[derive(Serialize)]
pub(super) struct QuoteList {
    pub anchor: String,
    pub tension: Link,
    pub quotes: Vec<Link>,
    /// How many more there are than shown.
    pub more: usize,
}

/// The quotes tension `t` shares with each other tension, by tension.
pub(super) fn shared(input: &RenderContext<'_>, from: &str, t: usize) -> Vec<QuoteList> {
    let qual = &input.site.qual;
    let mut by: Vec<Vec<usize>> = vec![Vec::new(); qual.tensions.len()];
    for &q in &qual.tensions[t].quotes {
        for (u, _) in &qual.quotes[q].tags {
            if *u != t {
                by[*u].push(q);
            }
        }
    }
    lists(input, from, by, |u| with_anchor(input, u))
}

/// Participant `n`'s quotes by tension.
pub(super) fn by_tension(input: &RenderContext<'_>, from: &str, n: usize) -> Vec<QuoteList> {
    let qual = &input.site.qual;
    let mut by: Vec<Vec<usize>> = vec![Vec::new(); qual.tensions.len()];
    for &q in &qual.participants[n].quotes {
        for (t, _) in &qual.quotes[q].tags {
            by[*t].push(q);
        }
    }
    lists(input, from, by, |t| tension_anchor(input, t))
}

fn lists(
    input: &RenderContext<'_>,
    from: &str,
    by: Vec<Vec<usize>>,
    anchor: impl Fn(usize) -> String,
) -> Vec<QuoteList> {
    let qual = &input.site.qual;
    by.into_iter()
        .enumerate()
        .filter(|(_, quotes)| !quotes.is_empty())
        .map(|(t, quotes)| QuoteList {
            anchor: anchor(t),
            tension: link(input, from, qual.tensions[t].page),
            more: quotes.len().saturating_sub(SHARED_SHOWN),
            quotes: quotes
                .iter()
                .take(SHARED_SHOWN)
                .map(|&q| link(input, from, qual.quotes[q].page))
                .collect(),
        })
        .collect()
}

/// Works of one year on the citation index: the target of a bar.
#[derive(Serialize)]
pub(super) struct Year {
    pub year: i32,
    pub anchor: String,
    pub works: Vec<Link>,
    pub more: usize,
}

/// The references by year: a histogram whose bars link to that year's
/// works, listed below it (each year's first [`SHARED_SHOWN`], in the
/// style's order). Works without a year are left out.
pub(super) fn by_year(input: &RenderContext<'_>, from: &str) -> (String, Vec<Year>) {
    let mut years: std::collections::BTreeMap<i32, Vec<usize>> = Default::default();
    for &r in &input.cites.order {
        if let Some(y) = input.bib.refs[r].year() {
            years.entry(y).or_default().push(r);
        }
    }
    let list: Vec<Year> = years
        .into_iter()
        .map(|(year, refs)| Year {
            year,
            anchor: format!("year-{year}"),
            more: refs.len().saturating_sub(SHARED_SHOWN),
            works: refs
                .iter()
                .take(SHARED_SHOWN)
                .map(|&r| Link {
                    title: title_of(input, r),
                    href: super::reference_href(input, from, r),
                })
                .collect(),
        })
        .collect();
    let bars: Vec<charts::Bar> = list
        .iter()
        .map(|y| charts::Bar {
            year: y.year,
            count: y.works.len() + y.more,
            href: format!("#{}", y.anchor),
        })
        .collect();
    let svg = charts::histogram("years-picture", "Works by year of publication", &bars);
    (svg, list)
}

/// A work as the year list names it: its title (or its key).
fn title_of(input: &RenderContext<'_>, r: usize) -> String {
    let entry = &input.bib.refs[r];
    entry
        .field("title")
        .map_or_else(|| entry.key.clone(), str::to_string)
}

/// The years of the works a page cites, as a histogram whose bars lead to
/// the first work of that year in the page's works cited.
pub(super) fn cited_years(works: &[super::references::WorkCtx]) -> String {
    let mut years: std::collections::BTreeMap<i32, (usize, &str)> = Default::default();
    for w in works {
        if let Some(y) = w.year {
            let entry = years.entry(y).or_insert((0, w.anchor.as_str()));
            entry.0 += 1;
        }
    }
    let bars: Vec<charts::Bar> = years
        .into_iter()
        .map(|(year, (count, anchor))| charts::Bar {
            year,
            count,
            href: format!("#{anchor}"),
        })
        .collect();
    charts::histogram("cited-years-picture", "Works cited here, by year", &bars)
}
