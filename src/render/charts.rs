//! Build-time inline SVG pictures of a qualitative analysis.
//!
//! Every function here is pure: plain data in, a `String` of SVG markup out.
//! The output is deterministic (same input → byte-identical string), needs no
//! JavaScript and references nothing external, so it can be pasted straight
//! into a page.
//!
//! Conventions shared by all charts:
//!
//! * The root element is
//!   `<svg class="chart chart-<kind>" viewBox="0 0 W H" role="group"
//!   aria-labelledby="<id>-title" aria-describedby="<id>-desc" xmlns="http://www.w3.org/2000/svg">`
//!   followed by `<title id="<id>-title">` and a one-sentence
//!   `<desc id="<id>-desc">` that states the key numbers. There are no
//!   `width`/`height` attributes: CSS sizes the picture (`width: 100%`).
//! * Colours come only from CSS classes (`chart-node`, `chart-line`,
//!   `chart-cell`, `chart-heat-0` … `chart-heat-4`, `chart-bar`,
//!   `chart-label`, `chart-count`, …; see `charts.css`), text uses
//!   `currentColor` by default, and the font family is set by CSS. Font sizes
//!   are attributes in user units, never below [`MIN_FONT`].
//! * The viewBox is [`WIDTH`] (640) units wide, except heat maps with many
//!   columns, which grow wider and are meant to sit in a horizontally
//!   scrollable container.
//! * All text and every attribute value is XML-escaped; characters XML 1.0
//!   cannot carry (C0 controls other than tab/newline/CR) are dropped.
//! * Every link is an SVG 2 `<a href="…">` whose first child is a `<title>`
//!   holding the full (untruncated) name, so it has an accessible name and a
//!   tooltip even when the visible label was shortened with "…".
//! * Empty input (no tensions, no rows or columns, no bars) yields an empty
//!   `String`, so the caller can skip the surrounding `<figure>`.
//!
//! Numbers are printed with one decimal and a trailing `.0` dropped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A labelled link target.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Link {
    /// Visible text (truncated in the picture when too long).
    pub label: String,
    /// Target URL, relative or absolute; escaped on output.
    pub href: String,
}

/// One tension in a [`tension_map`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct MapTension {
    /// Tension title, drawn above its poles and linked to `href`.
    pub title: String,
    /// The tension's page.
    pub href: String,
    /// Poles; a pole with an empty `href` links to the tension's `href`.
    pub poles: Vec<Link>,
    /// Number of quotes coded with this tension.
    pub count: usize,
    /// Related tensions, as indices into the flat list of all tensions in
    /// reading order (level 0's tensions first). Out-of-range indices and
    /// self-references are ignored; each unordered pair is drawn once.
    pub related: Vec<usize>,
}

/// A band of tensions in a [`tension_map`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct MapLevel {
    /// Band heading.
    pub name: String,
    /// Tensions in this band, in display order.
    pub tensions: Vec<MapTension>,
}

/// A row × column table of counts for [`heat_map`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Grid {
    /// Row headers (linked).
    pub rows: Vec<Link>,
    /// Column headers (linked).
    pub cols: Vec<Link>,
    /// `cells[r][c]`; missing cells in ragged rows count as 0, extra cells
    /// beyond `rows`/`cols` are ignored.
    pub cells: Vec<Vec<Cell>>,
}

/// One heat-map cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Cell {
    /// The count printed in the cell.
    pub count: usize,
    /// Link target; used only when `count > 0`.
    pub href: Option<String>,
}

/// One bar of a [`histogram`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Bar {
    /// Year on the x axis.
    pub year: i32,
    /// Number of works in that year; 0 is drawn as a gap (no link).
    pub count: usize,
    /// Link target for the bar.
    pub href: String,
}

/// Width of the viewBox in user units.
pub(super) const WIDTH: f64 = 640.0;
/// Smallest font size used, in user units.
#[cfg(test)]
pub(super) const MIN_FONT: f64 = 13.0;

/// Average glyph advance of a system sans-serif, in em. Deliberately a bit
/// generous so truncated labels do not overrun their slot.
const CHAR_EM: f64 = 0.58;
/// ARIA role of the root element: a group, not an image, so that the
/// links inside stay in the accessibility tree (an image's children are
/// presentational).
const SVG_ROLE: &str = "group";

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// Escapes `& < > " '` and drops characters XML 1.0 cannot represent.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Formats a coordinate with one decimal, without a trailing `.0` or `-0`.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Collapses whitespace and shortens `s` to at most `max` characters,
/// ending in "…" when something was cut.
fn truncate(s: &str, max: usize) -> String {
    let clean = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.chars().count() <= max {
        return clean;
    }
    let mut out: String = clean.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// How many characters of `font` size fit in `width` user units.
fn budget(width: f64, font: f64) -> usize {
    let n = (width / (font * CHAR_EM)).floor();
    if n.is_finite() && n >= 1.0 {
        n as usize
    } else {
        1
    }
}

/// Approximate rendered width of `chars` characters at `font` size.
fn text_width(chars: usize, font: f64) -> f64 {
    chars as f64 * font * CHAR_EM
}

/// "1 quote", "12 quotes".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Horizontal text alignment.
#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// Writes a `<text>` element; `content` is escaped here.
#[allow(clippy::too_many_arguments)]
fn text(
    out: &mut String,
    class: &str,
    x: f64,
    y: f64,
    size: f64,
    anchor: Anchor,
    transform: Option<&str>,
    content: &str,
) {
    let _ = write!(
        out,
        r#"<text class="{class}" x="{}" y="{}" font-size="{}""#,
        num(x),
        num(y),
        num(size)
    );
    match anchor {
        Anchor::Start => {}
        Anchor::Middle => out.push_str(r#" text-anchor="middle""#),
        Anchor::End => out.push_str(r#" text-anchor="end""#),
    }
    if let Some(t) = transform {
        let _ = write!(out, r#" transform="{t}""#);
    }
    let _ = writeln!(out, ">{}</text>", escape(content));
}

/// Writes a `<rect>` element.
fn rect(out: &mut String, class: &str, x: f64, y: f64, w: f64, h: f64, radius: f64) {
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}""#,
        num(x),
        num(y),
        num(w.max(0.0)),
        num(h.max(0.0))
    );
    if radius > 0.0 {
        let _ = write!(out, r#" rx="{}""#, num(radius));
    }
    out.push_str("/>\n");
}

/// Writes a straight `<line>`.
fn line(out: &mut String, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
    let _ = writeln!(
        out,
        r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    );
}

/// Opens `<a href>` with its `<title>` (the accessible name). A blank name
/// falls back to the href, then to "Link", so no link is ever nameless.
fn open_link(out: &mut String, href: &str, name: &str) {
    let name = [name, href, "Link"]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .unwrap_or("Link");
    let _ = writeln!(
        out,
        r#"<a href="{}"><title>{}</title>"#,
        escape(href),
        escape(name)
    );
}

/// Opens a non-linked group with a tooltip `<title>`.
fn open_group(out: &mut String, name: &str) {
    let _ = writeln!(out, "<g><title>{}</title>", escape(name));
}

/// Wraps `body` in the root `<svg>` with title and description. `kind` is
/// the class suffix (`chart-<kind>`), optionally followed by more classes.
fn wrap_svg(kind: &str, id: &str, w: f64, h: f64, title: &str, desc: &str, body: &str) -> String {
    let id = escape(id);
    let mut out = String::with_capacity(body.len() + 512);
    let _ = writeln!(
        out,
        r#"<svg class="chart chart-{kind}" viewBox="0 0 {} {}" role="{SVG_ROLE}" aria-labelledby="{id}-title" aria-describedby="{id}-desc" xmlns="http://www.w3.org/2000/svg">"#,
        num(w),
        num(h)
    );
    let _ = writeln!(out, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = writeln!(out, r#"<desc id="{id}-desc">{}</desc>"#, escape(desc));
    out.push_str(body);
    out.push_str("</svg>\n");
    out
}

// ---------------------------------------------------------------------------
// 1. Tension map
// ---------------------------------------------------------------------------

/// Left edge of tension content.
const TM_LEFT: f64 = 20.0;
/// Right edge of tension content (counts are right-aligned here).
const TM_RIGHT: f64 = 556.0;
/// Width reserved for the "12 quotes" link on a title line.
const TM_COUNT_W: f64 = 100.0;
/// x where related-tension arcs leave the content area.
const TM_GUTTER: f64 = 572.0;
/// Widest bulge of a related arc (its rightmost point is at 3/4 of this).
const TM_MAX_BULGE: f64 = 80.0;
const TM_BAND_FONT: f64 = 15.0;
const TM_TITLE_FONT: f64 = 16.0;
const TM_FONT: f64 = 14.0;
const TM_NODE_H: f64 = 30.0;
const TM_ROW_GAP: f64 = 8.0;
const TM_TENSION_GAP: f64 = 16.0;
/// Width of each node of a two-pole pair; the joining line takes the rest.
const TM_PAIR_W: f64 = 220.0;
/// Poles per row when a tension has one or more than two poles.
const TM_PER_ROW: usize = 3;
const TM_ROW_NODE_GAP: f64 = 12.0;

/// Draws tensions as pole pairs grouped in bands by level.
///
/// Layout: one band per level (heading, then its tensions stacked
/// vertically). A tension is a title line (title link on the left, "N quotes"
/// link on the right) above its poles: two poles are two nodes joined by a
/// line; one or three-plus poles are nodes in rows of three; with no poles
/// the title itself is drawn as a node. Related tensions are joined by arcs
/// in a right-hand gutter, clear of all text.
///
/// Label budgets (characters, longer ones end in "…" and keep the full text
/// in the link's `<title>`): tension title 47, pole of a pair 25, pole in a
/// row of three 19, band heading 62.
///
/// Returns an empty `String` when there are no tensions at all.
pub(super) fn tension_map(id: &str, levels: &[MapLevel]) -> String {
    let total: usize = levels.iter().map(|l| l.tensions.len()).sum();
    if total == 0 {
        return String::new();
    }

    let mut bands = String::new();
    let mut body = String::new();
    // Per tension, in reading order: (y of its arc anchor, title).
    let mut anchors: Vec<(f64, &str)> = Vec::with_capacity(total);
    let mut quotes = 0usize;

    let mut y = 8.0;
    for level in levels {
        let top = y;
        let heading = truncate(&level.name, budget(TM_RIGHT - TM_LEFT, TM_BAND_FONT));
        text(
            &mut body,
            "chart-band-label",
            TM_LEFT,
            top + 24.0,
            TM_BAND_FONT,
            Anchor::Start,
            None,
            &heading,
        );
        y += 38.0;
        for t in &level.tensions {
            quotes = quotes.saturating_add(t.count);
            let (next, anchor_y) = draw_tension(&mut body, t, y);
            anchors.push((anchor_y, &t.title));
            y = next;
        }
        if level.tensions.is_empty() {
            y += 4.0;
        }
        // Band from x = 8 to TM_RIGHT + 8, leaving the arc gutter outside.
        rect(&mut bands, "chart-band", 8.0, top, TM_RIGHT, y - top, 6.0);
        y += 12.0;
    }
    let height = y - 4.0;

    // Related pairs, each unordered pair once, in a stable order. Indices are
    // checked against `total`, which equals `anchors.len()`.
    let mut pairs = BTreeSet::new();
    let flat = levels.iter().flat_map(|l| l.tensions.iter());
    for (i, t) in flat.enumerate() {
        for &j in &t.related {
            if j != i && j < total {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
    }
    let mut arcs = String::new();
    let mut linked = BTreeSet::new();
    for &(i, j) in &pairs {
        let (y1, a) = anchors[i];
        let (y2, b) = anchors[j];
        let bulge = (10.0 + 0.3 * (y2 - y1).abs()).min(TM_MAX_BULGE);
        let x = TM_GUTTER;
        let _ = writeln!(
            arcs,
            r#"<path class="chart-arc" d="M{x} {y1} C{c} {y1} {c} {y2} {x} {y2}"><title>{t}</title></path>"#,
            x = num(x),
            c = num(x + bulge),
            y1 = num(y1),
            y2 = num(y2),
            t = escape(&format!("Related: {} ↔ {}", a.trim(), b.trim())),
        );
        linked.insert(i);
        linked.insert(j);
    }
    for &i in &linked {
        let _ = writeln!(
            arcs,
            r#"<circle class="chart-anchor" cx="{}" cy="{}" r="3"/>"#,
            num(TM_GUTTER),
            num(anchors[i].0)
        );
    }

    let desc = format!(
        "{} in {}; {}; {}.",
        plural(total, "tension", "tensions"),
        plural(levels.len(), "level", "levels"),
        plural(quotes, "quote", "quotes"),
        plural(pairs.len(), "related pair", "related pairs"),
    );
    let mut all = bands;
    all.push_str(&arcs);
    all.push_str(&body);
    wrap_svg("tension-map", id, WIDTH, height, "Tension map", &desc, &all)
}

/// Draws one tension with its top edge at `y`; returns the y below it and the
/// y of its arc anchor.
fn draw_tension(out: &mut String, t: &MapTension, y: f64) -> (f64, f64) {
    let count_label = plural(t.count, "quote", "quotes");
    let count_name = format!("{}: {count_label}", t.title.trim());
    let title_w = TM_RIGHT - TM_LEFT - TM_COUNT_W;

    if t.poles.is_empty() {
        // The title is the node.
        let label = truncate(&t.title, budget(title_w - 20.0, TM_TITLE_FONT));
        open_link(out, &t.href, &t.title);
        rect(
            out,
            "chart-node chart-node-title",
            TM_LEFT,
            y,
            title_w,
            TM_NODE_H + 2.0,
            4.0,
        );
        text(
            out,
            "chart-title",
            TM_LEFT + 10.0,
            y + 21.0,
            TM_TITLE_FONT,
            Anchor::Start,
            None,
            &label,
        );
        out.push_str("</a>\n");
        open_link(out, &t.href, &count_name);
        text(
            out,
            "chart-count",
            TM_RIGHT,
            y + 21.0,
            TM_FONT,
            Anchor::End,
            None,
            &count_label,
        );
        out.push_str("</a>\n");
        return (y + TM_NODE_H + 2.0 + TM_TENSION_GAP, y + 16.0);
    }

    let label = truncate(&t.title, budget(title_w, TM_TITLE_FONT));
    open_link(out, &t.href, &t.title);
    text(
        out,
        "chart-title",
        TM_LEFT,
        y + 17.0,
        TM_TITLE_FONT,
        Anchor::Start,
        None,
        &label,
    );
    out.push_str("</a>\n");
    open_link(out, &t.href, &count_name);
    text(
        out,
        "chart-count",
        TM_RIGHT,
        y + 17.0,
        TM_FONT,
        Anchor::End,
        None,
        &count_label,
    );
    out.push_str("</a>\n");

    let top = y + 26.0;
    let pole = |out: &mut String, p: &Link, x: f64, y: f64, w: f64| {
        let href = if p.href.trim().is_empty() {
            &t.href
        } else {
            &p.href
        };
        let name = if p.label.trim().is_empty() {
            &t.title
        } else {
            &p.label
        };
        open_link(out, href, name);
        rect(out, "chart-node", x, y, w, TM_NODE_H, 15.0);
        text(
            out,
            "chart-node-label",
            x + w / 2.0,
            y + 20.0,
            TM_FONT,
            Anchor::Middle,
            None,
            &truncate(&p.label, budget(w - 16.0, TM_FONT)),
        );
        out.push_str("</a>\n");
    };

    let rows = if t.poles.len() == 2 {
        let mid = top + TM_NODE_H / 2.0;
        line(
            out,
            "chart-line",
            TM_LEFT + TM_PAIR_W,
            mid,
            TM_RIGHT - TM_PAIR_W,
            mid,
        );
        pole(out, &t.poles[0], TM_LEFT, top, TM_PAIR_W);
        pole(out, &t.poles[1], TM_RIGHT - TM_PAIR_W, top, TM_PAIR_W);
        1
    } else if t.poles.len() == 1 {
        pole(out, &t.poles[0], TM_LEFT, top, TM_PAIR_W);
        1
    } else {
        let n = TM_PER_ROW as f64;
        let w = (TM_RIGHT - TM_LEFT - (n - 1.0) * TM_ROW_NODE_GAP) / n;
        for (k, p) in t.poles.iter().enumerate() {
            let col = (k % TM_PER_ROW) as f64;
            let row = (k / TM_PER_ROW) as f64;
            pole(
                out,
                p,
                TM_LEFT + col * (w + TM_ROW_NODE_GAP),
                top + row * (TM_NODE_H + TM_ROW_GAP),
                w,
            );
        }
        t.poles.len().div_ceil(TM_PER_ROW)
    };
    let rows = rows as f64;
    let bottom = top + rows * TM_NODE_H + (rows - 1.0) * TM_ROW_GAP;
    (bottom + TM_TENSION_GAP, y + 12.0)
}

// ---------------------------------------------------------------------------
// 2. Heat map
// ---------------------------------------------------------------------------

const HM_CELL: f64 = 34.0;
const HM_CAPTION_FONT: f64 = 16.0;
const HM_ROW_FONT: f64 = 14.0;
const HM_COL_FONT: f64 = 13.0;
const HM_COUNT_FONT: f64 = 13.0;
/// Row labels longer than this many characters are truncated.
const HM_ROW_CHARS: usize = 18;
/// Column labels longer than this many characters are truncated.
const HM_COL_CHARS: usize = 16;
const SQRT_HALF: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// Heat class step for `n` in a grid whose largest count is `max`:
/// 0 → 0, otherwise `ceil(4·n/max)` clamped to 1..=4.
fn heat_step(n: usize, max: usize) -> usize {
    if n == 0 || max == 0 {
        0
    } else {
        let n = n.min(max) as u128;
        let max = max as u128;
        ((4 * n).div_ceil(max)).clamp(1, 4) as usize
    }
}

/// Draws a grid heat map: row labels on the left (left-aligned), column
/// labels above rotated −45°, one square cell per count.
///
/// Each cell prints its count and carries `chart-cell chart-heat-N` (rect)
/// and `chart-count chart-heat-N` (text), N = 0 for a zero count, otherwise
/// `ceil(4·n/max)`. A cell with `count > 0` and an `href` is a link whose
/// `<title>` reads "row × column: n"; a zero cell shows a literal "0", is not
/// a link, and keeps the same `<title>` as a tooltip.
///
/// Row labels are truncated at 18 characters and column labels at 16. The
/// viewBox stays 640 wide up to about 12 columns (with long labels) and grows
/// by 34 units per extra column; a wider map also gets a class
/// `chart-w-<N>` (N = width rounded down to a multiple of 160, from 800) so `charts.css`
/// can give it a min-width inside a `.chart-scroll` wrapper.
///
/// Returns an empty `String` when there are no rows or no columns.
pub(super) fn heat_map(id: &str, caption: &str, grid: &Grid) -> String {
    let (nr, nc) = (grid.rows.len(), grid.cols.len());
    if nr == 0 || nc == 0 {
        return String::new();
    }
    let cell = |r: usize, c: usize| grid.cells.get(r).and_then(|row| row.get(c));
    let count = |r: usize, c: usize| cell(r, c).map_or(0, |x| x.count);

    let mut max = 0usize;
    let mut nonzero = 0usize;
    for r in 0..nr {
        for c in 0..nc {
            let n = count(r, c);
            max = max.max(n);
            nonzero += usize::from(n > 0);
        }
    }

    let row_labels: Vec<String> = grid
        .rows
        .iter()
        .map(|l| truncate(&l.label, HM_ROW_CHARS))
        .collect();
    let col_labels: Vec<String> = grid
        .cols
        .iter()
        .map(|l| truncate(&l.label, HM_COL_CHARS))
        .collect();
    let longest = |v: &[String]| v.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let row_w = text_width(longest(&row_labels), HM_ROW_FONT);
    let proj = text_width(longest(&col_labels), HM_COL_FONT) * SQRT_HALF;

    let gx = (8.0 + row_w + 10.0).max(40.0);
    let gy = 34.0 + proj + 14.0;
    let nc_f = nc as f64;
    let width = WIDTH
        .max(gx + nc_f * HM_CELL + 8.0)
        .max(gx + (nc_f - 0.5) * HM_CELL + 3.0 + proj + 8.0);
    let height = gy + nr as f64 * HM_CELL + 12.0;

    let mut body = String::new();
    let cap = truncate(caption, budget(width - 16.0, HM_CAPTION_FONT));
    text(
        &mut body,
        "chart-caption",
        8.0,
        22.0,
        HM_CAPTION_FONT,
        Anchor::Start,
        None,
        &cap,
    );

    // Column labels: baseline runs up and to the right from above the cell.
    for (c, (l, shown)) in grid.cols.iter().zip(&col_labels).enumerate() {
        let x = gx + (c as f64 + 0.5) * HM_CELL + 3.0;
        let y = gy - 6.0;
        open_link(&mut body, &l.href, &l.label);
        let rot = format!("rotate(-45 {} {})", num(x), num(y));
        text(
            &mut body,
            "chart-label",
            x,
            y,
            HM_COL_FONT,
            Anchor::Start,
            Some(&rot),
            shown,
        );
        body.push_str("</a>\n");
    }

    for (r, (l, shown)) in grid.rows.iter().zip(&row_labels).enumerate() {
        let y = gy + r as f64 * HM_CELL;
        open_link(&mut body, &l.href, &l.label);
        text(
            &mut body,
            "chart-label",
            8.0,
            y + HM_CELL / 2.0 + 5.0,
            HM_ROW_FONT,
            Anchor::Start,
            None,
            shown,
        );
        body.push_str("</a>\n");

        for (c, col) in grid.cols.iter().enumerate() {
            let n = count(r, c);
            let step = heat_step(n, max);
            let name = format!("{} × {}: {n}", l.label.trim(), col.label.trim());
            let href = cell(r, c).and_then(|x| x.href.as_deref()).filter(|_| n > 0);
            match href {
                Some(h) => open_link(&mut body, h, &name),
                None => open_group(&mut body, &name),
            }
            let x = gx + c as f64 * HM_CELL;
            rect(
                &mut body,
                &format!("chart-cell chart-heat-{step}"),
                x,
                y,
                HM_CELL,
                HM_CELL,
                0.0,
            );
            text(
                &mut body,
                &format!("chart-count chart-heat-{step}"),
                x + HM_CELL / 2.0,
                y + HM_CELL / 2.0 + 4.5,
                HM_COUNT_FONT,
                Anchor::Middle,
                None,
                &n.to_string(),
            );
            body.push_str(if href.is_some() { "</a>\n" } else { "</g>\n" });
        }
    }

    let desc = format!(
        "{} × {}; {nonzero} of {} cells non-zero; highest count {max}.",
        plural(nr, "row", "rows"),
        plural(nc, "column", "columns"),
        nr.saturating_mul(nc),
    );
    // Notably wider than usual: add a width bucket class (`chart-w-960`; the
    // width rounded down to a multiple of 160) so CSS can give the picture a
    // min-width inside a scroll container without over-enlarging it.
    let bucket = ((width / 160.0).floor() as u64).saturating_mul(160);
    let kind = if bucket > WIDTH as u64 {
        format!("heat-map chart-w-{bucket}")
    } else {
        "heat-map".to_owned()
    };
    wrap_svg(&kind, id, width, height, caption, &desc, &body)
}

// ---------------------------------------------------------------------------
// 3. Histogram
// ---------------------------------------------------------------------------

const HI_LEFT: f64 = 48.0;
const HI_RIGHT: f64 = 628.0;
const HI_TOP: f64 = 48.0;
const HI_BOTTOM: f64 = 228.0;
const HI_FONT: f64 = 13.0;
const HI_CAPTION_FONT: f64 = 16.0;
/// Minimum distance between year labels, in user units.
const HI_LABEL_SPACING: f64 = 44.0;
const HI_MAX_BAR: f64 = 48.0;

/// Smallest of 1, 2, 5, 10, 20, 50, … that is ≥ `x`.
fn nice_at_least(x: u64) -> u64 {
    let mut m: u64 = 1;
    loop {
        for k in [1, 2, 5] {
            let v = k * m;
            if v >= x {
                return v;
            }
        }
        match m.checked_mul(10) {
            Some(next) if next <= u64::MAX / 5 => m = next,
            _ => return u64::MAX,
        }
    }
}

/// Draws works per year as bars on a continuous year axis.
///
/// Years inside the range with no works (absent, or `count == 0`) are gaps.
/// Year labels are placed every 1, 2, 5, 10, 20, 50 … years — the smallest
/// step that keeps labels 44 units apart — on years divisible by the step.
/// Each bar with `count > 0` is a link whose `<title>` reads "1998: 3 works";
/// when bars are at least 26 units apart the count is also printed above the
/// bar. `bars` should be sorted with unique years; the range is taken from
/// the smallest and largest year, and duplicates would overlap.
///
/// Returns an empty `String` when `bars` is empty.
pub(super) fn histogram(id: &str, caption: &str, bars: &[Bar]) -> String {
    let (Some(first), Some(last)) = (
        bars.iter().map(|b| b.year).min(),
        bars.iter().map(|b| b.year).max(),
    ) else {
        return String::new();
    };
    let span = i64::from(last) - i64::from(first) + 1;
    let slot = (HI_RIGHT - HI_LEFT) / span as f64;
    let bar_w = (slot * 0.8).clamp(1.0, HI_MAX_BAR);
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let total = bars.iter().fold(0usize, |a, b| a.saturating_add(b.count));
    let with_works = bars.iter().filter(|b| b.count > 0).count();

    let step = nice_at_least((max as u64).div_ceil(4).max(1));
    let top = ((max as u64).div_ceil(step).max(1)).saturating_mul(step);
    let plot_h = HI_BOTTOM - HI_TOP;
    let y_of = |n: u64| HI_BOTTOM - n as f64 / top as f64 * plot_h;

    let mut body = String::new();
    let cap = truncate(caption, budget(WIDTH - 16.0, HI_CAPTION_FONT));
    text(
        &mut body,
        "chart-caption",
        8.0,
        22.0,
        HI_CAPTION_FONT,
        Anchor::Start,
        None,
        &cap,
    );

    // Horizontal grid lines with count labels.
    let mut tick = 0u64;
    while tick <= top {
        let y = y_of(tick);
        if tick > 0 {
            line(&mut body, "chart-grid", HI_LEFT, y, HI_RIGHT, y);
        }
        text(
            &mut body,
            "chart-label",
            HI_LEFT - 8.0,
            y + 4.5,
            HI_FONT,
            Anchor::End,
            None,
            &tick.to_string(),
        );
        tick = match tick.checked_add(step) {
            Some(t) => t,
            None => break,
        };
    }

    // Year axis: baseline spanning the whole range, labels every `every`.
    line(
        &mut body,
        "chart-axis",
        HI_LEFT,
        HI_BOTTOM,
        HI_RIGHT,
        HI_BOTTOM,
    );
    let every = nice_at_least((HI_LABEL_SPACING / slot).ceil().max(1.0) as u64);
    let every = i64::try_from(every).unwrap_or(i64::MAX);
    let mut year = i64::from(first) + (every - i64::from(first).rem_euclid(every)) % every;
    while year <= i64::from(last) {
        let cx = HI_LEFT + ((year - i64::from(first)) as f64 + 0.5) * slot;
        line(&mut body, "chart-axis", cx, HI_BOTTOM, cx, HI_BOTTOM + 4.0);
        text(
            &mut body,
            "chart-label",
            cx,
            HI_BOTTOM + 19.0,
            HI_FONT,
            Anchor::Middle,
            None,
            &year.to_string(),
        );
        year = match year.checked_add(every) {
            Some(y) => y,
            None => break,
        };
    }

    let show_counts = slot >= 26.0;
    for b in bars.iter().filter(|b| b.count > 0) {
        let cx = HI_LEFT + ((i64::from(b.year) - i64::from(first)) as f64 + 0.5) * slot;
        let y = y_of(b.count as u64).min(HI_BOTTOM - 1.5);
        open_link(
            &mut body,
            &b.href,
            &format!("{}: {}", b.year, plural(b.count, "work", "works")),
        );
        rect(
            &mut body,
            "chart-bar",
            cx - bar_w / 2.0,
            y,
            bar_w,
            HI_BOTTOM - y,
            0.0,
        );
        if show_counts {
            text(
                &mut body,
                "chart-count",
                cx,
                y - 4.0,
                HI_FONT,
                Anchor::Middle,
                None,
                &b.count.to_string(),
            );
        }
        body.push_str("</a>\n");
    }

    let peak = bars
        .iter()
        .filter(|b| b.count == max && max > 0)
        .map(|b| b.year)
        .min();
    let mut desc = format!(
        "{} from {first} to {last}, in {}",
        plural(total, "work", "works"),
        plural(with_works, "year", "years"),
    );
    match peak {
        Some(p) => {
            let _ = write!(desc, "; most in {p} ({max}).");
        }
        None => desc.push('.'),
    }
    wrap_svg(
        "histogram",
        id,
        WIDTH,
        HI_BOTTOM + 32.0,
        caption,
        &desc,
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // -- A minimal, strict XML reader: enough to prove well-formedness and to
    //    query the tree. Rejects comments/PIs/CDATA (we never emit them),
    //    unquoted or duplicate attributes, `<` in attribute values, unknown
    //    entities and a bare `&`.

    #[derive(Debug)]
    enum Node {
        El(El),
        Text(String),
    }

    #[derive(Debug)]
    struct El {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    }

    impl El {
        fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        fn has_class(&self, class: &str) -> bool {
            self.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|x| x == class))
        }

        /// All descendant elements (depth first, document order).
        fn all(&self) -> Vec<&El> {
            let mut out = Vec::new();
            for c in &self.children {
                if let Node::El(e) = c {
                    out.push(e);
                    out.extend(e.all());
                }
            }
            out
        }

        fn find(&self, name: &str) -> Vec<&El> {
            self.all().into_iter().filter(|e| e.name == name).collect()
        }

        fn text(&self) -> String {
            let mut s = String::new();
            for c in &self.children {
                match c {
                    Node::Text(t) => s.push_str(t),
                    Node::El(e) => s.push_str(&e.text()),
                }
            }
            s
        }

        /// Text of the first direct `<title>` child.
        fn title(&self) -> Option<String> {
            self.children.iter().find_map(|c| match c {
                Node::El(e) if e.name == "title" => Some(e.text()),
                _ => None,
            })
        }

        /// Visible text: descendant text outside `<title>`/`<desc>`.
        fn visible_text(&self) -> String {
            let mut s = String::new();
            for c in &self.children {
                match c {
                    Node::Text(t) => s.push_str(t),
                    Node::El(e) if e.name != "title" && e.name != "desc" => {
                        s.push_str(&e.visible_text())
                    }
                    Node::El(_) => {}
                }
            }
            s
        }
    }

    struct Parser<'a> {
        s: &'a str,
        i: usize,
    }

    impl Parser<'_> {
        fn rest(&self) -> &str {
            &self.s[self.i..]
        }

        fn err<T>(&self, msg: &str) -> Result<T, String> {
            let end = (self.i + 40).min(self.s.len());
            let ctx = self.s.get(self.i..end).unwrap_or("");
            Err(format!("{msg} at byte {}: {ctx:?}", self.i))
        }

        fn skip_ws(&mut self) {
            let n = self.rest().len() - self.rest().trim_start().len();
            self.i += n;
        }

        fn name(&mut self) -> Result<String, String> {
            let n = self
                .rest()
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:.".contains(c)))
                .unwrap_or(self.rest().len());
            if n == 0 || !self.rest().starts_with(|c: char| c.is_ascii_alphabetic()) {
                return self.err("bad name");
            }
            let name = self.rest()[..n].to_owned();
            self.i += n;
            Ok(name)
        }

        fn decode(&self, raw: &str) -> Result<String, String> {
            let mut out = String::new();
            let mut rest = raw;
            while let Some(p) = rest.find('&') {
                out.push_str(&rest[..p]);
                rest = &rest[p..];
                let Some(end) = rest.find(';') else {
                    return self.err("bare &");
                };
                let ent = &rest[1..end];
                let ch = match ent {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => {
                        let code = if let Some(h) = ent.strip_prefix("#x") {
                            u32::from_str_radix(h, 16).ok()
                        } else if let Some(d) = ent.strip_prefix('#') {
                            d.parse().ok()
                        } else {
                            None
                        };
                        match code.and_then(char::from_u32) {
                            Some(c) => c,
                            None => return self.err("unknown entity"),
                        }
                    }
                };
                out.push(ch);
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            if out
                .chars()
                .any(|c| (c as u32) < 0x20 && !"\t\n\r".contains(c))
            {
                return self.err("control character");
            }
            Ok(out)
        }

        fn element(&mut self) -> Result<El, String> {
            if !self.rest().starts_with('<') {
                return self.err("expected <");
            }
            self.i += 1;
            if self.rest().starts_with(['!', '?', '/']) {
                return self.err("unexpected markup");
            }
            let name = self.name()?;
            let mut attrs: Vec<(String, String)> = Vec::new();
            loop {
                let before = self.i;
                self.skip_ws();
                if self.rest().starts_with("/>") {
                    self.i += 2;
                    return Ok(El {
                        name,
                        attrs,
                        children: Vec::new(),
                    });
                }
                if self.rest().starts_with('>') {
                    self.i += 1;
                    break;
                }
                if self.i == before {
                    return self.err("attributes must be separated by whitespace");
                }
                let key = self.name()?;
                if !self.rest().starts_with('=') {
                    return self.err("attribute without =");
                }
                self.i += 1;
                let Some(q) = self
                    .rest()
                    .chars()
                    .next()
                    .filter(|c| *c == '"' || *c == '\'')
                else {
                    return self.err("unquoted attribute");
                };
                self.i += 1;
                let Some(end) = self.rest().find(q) else {
                    return self.err("unterminated attribute");
                };
                let raw = &self.rest()[..end];
                if raw.contains('<') {
                    return self.err("< in attribute");
                }
                let value = self.decode(raw)?;
                self.i += end + 1;
                if attrs.iter().any(|(k, _)| *k == key) {
                    return self.err("duplicate attribute");
                }
                attrs.push((key, value));
            }
            let mut children = Vec::new();
            loop {
                if self.rest().is_empty() {
                    return self.err("unclosed element");
                }
                if let Some(r) = self.rest().strip_prefix("</") {
                    let close = r.split('>').next().unwrap_or("");
                    if close.trim_end() != name {
                        return self.err(&format!("</{close}> closes <{name}>"));
                    }
                    self.i += 2 + close.len() + 1;
                    return Ok(El {
                        name,
                        attrs,
                        children,
                    });
                }
                if self.rest().starts_with('<') {
                    children.push(Node::El(self.element()?));
                } else {
                    let n = self.rest().find('<').unwrap_or(self.rest().len());
                    let raw = &self.rest()[..n];
                    if raw.contains('>') {
                        return self.err("raw > in text");
                    }
                    let t = self.decode(raw)?;
                    self.i += n;
                    children.push(Node::Text(t));
                }
            }
        }
    }

    /// Parses one root element with nothing but whitespace around it.
    fn parse(s: &str) -> Result<El, String> {
        let mut p = Parser { s, i: 0 };
        p.skip_ws();
        let root = p.element()?;
        p.skip_ws();
        if !p.rest().is_empty() {
            return p.err("content after root");
        }
        Ok(root)
    }

    /// Parses and checks everything every chart must satisfy.
    fn check_svg(svg: &str, kind: &str, id: &str) -> El {
        let root = parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert_eq!(root.name, "svg");
        assert!(root.has_class("chart"));
        assert!(root.has_class(&format!("chart-{kind}")));
        assert_eq!(root.attr("role"), Some("group"));
        assert_eq!(
            root.attr("aria-labelledby"),
            Some(format!("{id}-title").as_str())
        );
        assert_eq!(
            root.attr("aria-describedby"),
            Some(format!("{id}-desc").as_str())
        );
        assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
        assert_eq!(root.attr("width"), None);
        assert_eq!(root.attr("height"), None);
        let vb: Vec<f64> = root
            .attr("viewBox")
            .expect("viewBox")
            .split(' ')
            .map(|v| v.parse().expect("viewBox number"))
            .collect();
        assert_eq!(vb.len(), 4);
        assert!(vb[2] >= WIDTH && vb[3] > 0.0, "viewBox {vb:?}");
        // title and desc come first and carry the ids.
        let first: Vec<&El> = root
            .children
            .iter()
            .filter_map(|c| match c {
                Node::El(e) => Some(e),
                Node::Text(_) => None,
            })
            .take(2)
            .collect();
        assert_eq!(first[0].name, "title");
        assert_eq!(first[0].attr("id"), Some(format!("{id}-title").as_str()));
        assert_eq!(first[1].name, "desc");
        assert_eq!(first[1].attr("id"), Some(format!("{id}-desc").as_str()));
        assert!(!first[1].text().is_empty());
        for e in root.all() {
            // Colours only through classes; SVG 2 links only.
            for (k, v) in &e.attrs {
                assert!(!k.starts_with("xlink"), "xlink attribute");
                assert!(
                    !matches!(k.as_str(), "fill" | "stroke" | "style" | "color"),
                    "presentation attribute {k}={v}"
                );
                assert!(!v.contains("NaN") && !v.contains("inf"), "{k}={v}");
            }
            if e.name == "text" {
                let size: f64 = e.attr("font-size").expect("font-size").parse().unwrap();
                assert!(size >= MIN_FONT, "font-size {size}");
                assert!(e.attr("x").is_some() && e.attr("y").is_some());
            }
            if e.name == "a" {
                assert!(e.attr("href").is_some());
                let named = e.title().is_some_and(|t| !t.trim().is_empty())
                    || !e.visible_text().trim().is_empty();
                assert!(named, "link without a name");
            }
            assert_ne!(e.name, "foreignObject");
        }
        // Byte-level: every `<a` is an `<a href=`.
        assert_eq!(
            svg.matches("<a ").count(),
            svg.matches("<a href=\"").count()
        );
        root
    }

    fn link(label: &str, href: &str) -> Link {
        Link {
            label: label.into(),
            href: href.into(),
        }
    }

    fn tension(
        title: &str,
        href: &str,
        poles: &[Link],
        count: usize,
        related: &[usize],
    ) -> MapTension {
        MapTension {
            title: title.into(),
            href: href.into(),
            poles: poles.to_vec(),
            count,
            related: related.to_vec(),
        }
    }

    /// 5 tensions in 3 levels, 12 quotes, pairs {0,2} {1,4} {3,4}.
    fn sample_levels() -> Vec<MapLevel> {
        vec![
            MapLevel {
                name: "Individual".into(),
                tensions: vec![
                    tension(
                        "Autonomy",
                        "/t/a/",
                        &[link("Self", "/p/self/"), link("Others", "")],
                        5,
                        &[2],
                    ),
                    tension("Hope", "/t/h/", &[link("Hope", "/p/hope/")], 1, &[4, 4]),
                ],
            },
            MapLevel {
                name: "Relational".into(),
                tensions: vec![
                    tension(
                        "Care",
                        "/t/c/",
                        &[link("A", "/p/a/"), link("B", "/p/b/"), link("C", "/p/c/")],
                        4,
                        &[0, 2, 99],
                    ),
                    tension("Lonely", "/t/l/", &[], 2, &[4]),
                ],
            },
            MapLevel {
                name: "Institutional".into(),
                tensions: vec![tension("Rules", "/t/r/", &[link("X", "")], 0, &[3, 1])],
            },
        ]
    }

    fn hrefs(root: &El) -> Vec<String> {
        let mut v: Vec<String> = root
            .find("a")
            .iter()
            .map(|a| a.attr("href").unwrap_or("").to_owned())
            .collect();
        v.sort();
        v
    }

    fn sorted(v: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    // ---------------------------------------------------------------- helpers

    #[test]
    fn escape_handles_markup_quotes_and_controls() {
        assert_eq!(
            escape(r#"a<b>&"c"'d'"#),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
        assert_eq!(escape("x\u{0}\u{1b}y\tz"), "xy\tz");
        assert_eq!(escape("…×↔"), "…×↔");
    }

    #[test]
    fn num_is_compact_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.2");
        assert_eq!(num(0.96), "1");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-45.0), "-45");
    }

    #[test]
    fn truncate_counts_chars_and_adds_ellipsis() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("  two\n words ", 10), "two words");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("ab cdefghij", 4), "ab…");
        assert_eq!(truncate("ééééééé", 3).chars().count(), 3);
        assert_eq!(truncate("x", 0), "…");
    }

    #[test]
    fn heat_steps_follow_ceil_rule() {
        let steps: Vec<usize> = (0..=8).map(|n| heat_step(n, 8)).collect();
        assert_eq!(steps, [0, 1, 1, 2, 2, 3, 3, 4, 4]);
        assert_eq!(heat_step(1, 1), 4);
        assert_eq!(heat_step(1, 100), 1);
        assert_eq!(heat_step(0, 0), 0);
        assert_eq!(heat_step(usize::MAX, usize::MAX), 4);
    }

    #[test]
    fn nice_steps() {
        let v: Vec<u64> = [0, 1, 2, 3, 6, 11, 49, 51].map(nice_at_least).to_vec();
        assert_eq!(v, [1, 1, 2, 5, 10, 20, 50, 100]);
        assert_eq!(nice_at_least(u64::MAX), u64::MAX);
    }

    // ------------------------------------------------------------ tension map

    #[test]
    fn tension_map_structure_links_and_desc() {
        let levels = sample_levels();
        let svg = tension_map("tm", &levels);
        let root = check_svg(&svg, "tension-map", "tm");

        // Links: per tension title + count + one per pole.
        let expected = sorted(&[
            "/t/a/", "/t/a/", "/p/self/", "/t/a/", // Other pole falls back
            "/t/h/", "/t/h/", "/p/hope/", //
            "/t/c/", "/t/c/", "/p/a/", "/p/b/", "/p/c/", //
            "/t/l/", "/t/l/", //
            "/t/r/", "/t/r/", "/t/r/",
        ]);
        assert_eq!(hrefs(&root), expected);
        assert_eq!(svg.matches("<a href=").count(), expected.len());

        let desc = root.find("desc")[0].text();
        assert_eq!(desc, "5 tensions in 3 levels; 12 quotes; 3 related pairs.");

        // Band headings in the given order.
        let bands: Vec<String> = root
            .all()
            .into_iter()
            .filter(|e| e.has_class("chart-band-label"))
            .map(El::text)
            .collect();
        assert_eq!(bands, ["Individual", "Relational", "Institutional"]);
        assert_eq!(
            root.all()
                .iter()
                .filter(|e| e.has_class("chart-band"))
                .count(),
            3
        );

        // Counts: "5 quotes", "1 quote", "0 quotes", each a link titled.
        let counts: Vec<String> = root
            .all()
            .into_iter()
            .filter(|e| e.has_class("chart-count"))
            .map(El::text)
            .collect();
        assert_eq!(
            counts,
            ["5 quotes", "1 quote", "4 quotes", "2 quotes", "0 quotes"]
        );
        assert!(root
            .find("a")
            .iter()
            .any(|a| a.title().as_deref() == Some("Hope: 1 quote")));
    }

    #[test]
    fn tension_map_poles_layout_by_count() {
        let svg = tension_map("tm", &sample_levels());
        let root = parse(&svg).unwrap();
        let nodes = root.find("rect");
        // 2 + 1 + 3 + 0 + 1 pole nodes, plus one title node for "Lonely".
        let pole_nodes = nodes
            .iter()
            .filter(|e| e.has_class("chart-node") && !e.has_class("chart-node-title"))
            .count();
        assert_eq!(pole_nodes, 7);
        assert_eq!(
            nodes
                .iter()
                .filter(|e| e.has_class("chart-node-title"))
                .count(),
            1
        );
        // Only the two-pole tension gets the joining line.
        assert_eq!(
            root.find("line")
                .iter()
                .filter(|e| e.has_class("chart-line"))
                .count(),
            1
        );
        // Pole labels are the visible text inside the pole links.
        let labels: Vec<String> = root
            .all()
            .into_iter()
            .filter(|e| e.has_class("chart-node-label"))
            .map(El::text)
            .collect();
        assert_eq!(labels, ["Self", "Others", "Hope", "A", "B", "C", "X"]);
    }

    #[test]
    fn tension_map_related_pairs_drawn_once_in_gutter() {
        let svg = tension_map("tm", &sample_levels());
        let root = parse(&svg).unwrap();
        let arcs = root.find("path");
        assert_eq!(arcs.len(), 3, "{{0,2}}, {{1,4}}, {{3,4}}; 99 ignored");
        let titles: Vec<String> = arcs.iter().filter_map(|a| a.title()).collect();
        assert_eq!(
            titles,
            [
                "Related: Autonomy ↔ Care",
                "Related: Hope ↔ Rules",
                "Related: Lonely ↔ Rules"
            ]
        );
        // Arcs stay right of every piece of text (x ≥ gutter, ≤ width).
        for a in &arcs {
            let d = a.attr("d").unwrap();
            let xs: Vec<f64> = d
                .split(|c: char| c == ' ' || c.is_ascii_alphabetic())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<f64>().unwrap())
                .step_by(2)
                .collect();
            // M x0 C c c x0: the curve's rightmost point is x0 + 3/4 (c - x0).
            assert_eq!(xs.len(), 4, "{d}");
            assert!(xs[0] == TM_GUTTER && xs[3] == TM_GUTTER, "{d}");
            let extent = xs[0] + 0.75 * (xs[1] - xs[0]);
            assert!(extent > TM_GUTTER && extent <= WIDTH - 8.0, "{d}");
        }
        assert_eq!(root.find("circle").len(), 5);
        // A tension related only to itself draws nothing.
        let lone = vec![MapLevel {
            name: "L".into(),
            tensions: vec![tension("T", "/t/", &[], 1, &[0, 0, usize::MAX])],
        }];
        let svg = tension_map("x", &lone);
        assert!(!svg.contains("<path"));
        assert!(svg.contains("1 tension in 1 level; 1 quote; 0 related pairs."));
    }

    #[test]
    fn tension_map_escapes_and_truncates() {
        let long = "A very long tension title that certainly does not fit on a single line";
        let levels = vec![MapLevel {
            name: "Level <1> & \"2\"".into(),
            tensions: vec![tension(
                "Say \"no\" <b>& 'yes'</b>",
                "/t?a=1&b=<2>\"",
                &[link(long, "/p?x=\"1\"&y='2'"), link("Q", "")],
                3,
                &[],
            )],
        }];
        let svg = tension_map("t&m", &levels);
        let root = check_svg(&svg, "tension-map", "t&m");
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("Level &lt;1&gt; &amp; &quot;2&quot;"));
        assert!(svg.contains(r#"href="/t?a=1&amp;b=&lt;2&gt;&quot;""#));
        assert!(svg.contains(r#"href="/p?x=&quot;1&quot;&amp;y=&apos;2&apos;""#));
        assert!(svg.contains(r#"aria-labelledby="t&amp;m-title" aria-describedby="t&amp;m-desc""#));
        let links = root.find("a");
        let hs: Vec<&str> = links.iter().filter_map(|a| a.attr("href")).collect();
        assert!(hs.contains(&"/t?a=1&b=<2>\""));
        assert!(hs.contains(&"/p?x=\"1\"&y='2'"));
        // The long pole is cut with "…" but its link title keeps it whole.
        let pole = links
            .iter()
            .find(|a| a.title().as_deref() == Some(long))
            .expect("pole link");
        let shown = pole.visible_text();
        let shown = shown.trim();
        assert!(shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= budget(TM_PAIR_W - 16.0, TM_FONT));
        assert!(long.starts_with(shown.trim_end_matches('…')));
    }

    #[test]
    fn tension_map_deterministic_and_empty() {
        let levels = sample_levels();
        assert_eq!(tension_map("a", &levels), tension_map("a", &levels));
        assert_eq!(tension_map("a", &[]), "");
        let empty = vec![MapLevel {
            name: "Nothing".into(),
            tensions: vec![],
        }];
        assert_eq!(tension_map("a", &empty), "");
        // An empty level among others still gets its band.
        let mut mixed = sample_levels();
        mixed.insert(1, empty[0].clone());
        let root = check_svg(&tension_map("a", &mixed), "tension-map", "a");
        assert_eq!(
            root.all()
                .iter()
                .filter(|e| e.has_class("chart-band"))
                .count(),
            4
        );
    }

    #[test]
    fn tension_map_text_does_not_overlap_vertically() {
        let svg = tension_map("tm", &sample_levels());
        let root = parse(&svg).unwrap();
        // Text baselines on the left edge strictly increase down the page.
        let ys: Vec<f64> = root
            .find("text")
            .iter()
            .filter(|t| t.attr("text-anchor").is_none())
            .map(|t| t.attr("y").unwrap().parse().unwrap())
            .collect();
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 14.0), "{ys:?}");
        let vb = root.attr("viewBox").unwrap();
        let h: f64 = vb.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(ys.iter().all(|&y| y < h));
    }

    // --------------------------------------------------------------- heat map

    fn co_grid() -> Grid {
        let names = ["Alpha", "Beta", "Gamma"];
        let counts = [[8, 3, 0], [3, 5, 1], [0, 1, 2]];
        Grid {
            rows: names.iter().map(|n| link(n, &format!("/t/{n}/"))).collect(),
            cols: names.iter().map(|n| link(n, &format!("/t/{n}/"))).collect(),
            cells: counts
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    row.iter()
                        .enumerate()
                        .map(|(c, &count)| Cell {
                            count,
                            href: Some(format!("/co/{r}-{c}/")),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    fn cell_groups(root: &El) -> Vec<&El> {
        root.all()
            .into_iter()
            .filter(|e| {
                (e.name == "a" || e.name == "g")
                    && e.find("rect").iter().any(|r| r.has_class("chart-cell"))
            })
            .collect()
    }

    #[test]
    fn heat_map_classes_counts_and_links() {
        let grid = co_grid();
        let svg = heat_map("co", "Co-occurrence", &grid);
        let root = check_svg(&svg, "heat-map", "co");
        // 3 row + 3 column labels + 7 non-zero cells.
        assert_eq!(svg.matches("<a href=").count(), 3 + 3 + 7);
        let cells = cell_groups(&root);
        assert_eq!(cells.len(), 9);
        for (k, g) in cells.iter().enumerate() {
            let (r, c) = (k / 3, k % 3);
            let n = grid.cells[r][c].count;
            let step = heat_step(n, 8);
            let rect = g.find("rect")[0];
            let txt = g.find("text")[0];
            assert!(rect.has_class(&format!("chart-heat-{step}")));
            assert!(txt.has_class(&format!("chart-heat-{step}")));
            assert!(txt.has_class("chart-count"));
            assert_eq!(txt.text(), n.to_string(), "number printed in cell");
            let expected_title = format!("{} × {}: {n}", grid.rows[r].label, grid.cols[c].label);
            assert_eq!(g.title().as_deref(), Some(expected_title.as_str()));
            if n == 0 {
                assert_eq!(g.name, "g", "zero cell must not be a link");
                assert_eq!(step, 0);
            } else {
                assert_eq!(g.name, "a");
                assert_eq!(g.attr("href"), Some(format!("/co/{r}-{c}/").as_str()));
            }
        }
        // The max cell is heat-4.
        assert!(cells[0].find("rect")[0].has_class("chart-heat-4"));
        let desc = root.find("desc")[0].text();
        assert_eq!(
            desc,
            "3 rows × 3 columns; 7 of 9 cells non-zero; highest count 8."
        );
        // Column labels rotated −45°, row labels left-aligned at one x.
        let labels: Vec<&El> = root
            .all()
            .into_iter()
            .filter(|e| e.has_class("chart-label"))
            .collect();
        assert_eq!(labels.len(), 6);
        let rotated = labels
            .iter()
            .filter(|e| {
                e.attr("transform")
                    .is_some_and(|t| t.starts_with("rotate(-45 "))
            })
            .count();
        assert_eq!(rotated, 3);
        let row_x: Vec<&str> = labels
            .iter()
            .filter(|e| e.attr("transform").is_none())
            .map(|e| e.attr("x").unwrap())
            .collect();
        assert_eq!(row_x, ["8", "8", "8"]);
        assert!(labels.iter().all(|e| e.attr("text-anchor").is_none()));
    }

    #[test]
    fn heat_map_participants_ragged_and_missing_hrefs() {
        let grid = Grid {
            rows: vec![link("P01", "/p/1/"), link("P02", "/p/2/")],
            cols: vec![
                link("T1", "/t/1/"),
                link("T2", "/t/2/"),
                link("T3", "/t/3/"),
            ],
            cells: vec![
                vec![
                    Cell {
                        count: 2,
                        href: Some("/q?p=1&t=1".into()),
                    },
                    Cell {
                        count: 4,
                        href: None,
                    },
                ],
                // Row 2 missing entirely.
            ],
        };
        let svg = heat_map("pt", "Participants <&> tensions", &grid);
        let root = check_svg(&svg, "heat-map", "pt");
        assert!(svg.contains(r#"href="/q?p=1&amp;t=1""#));
        assert!(svg.contains("Participants &lt;&amp;&gt; tensions"));
        // 2 rows + 3 cols + the one non-zero cell with an href.
        assert_eq!(svg.matches("<a href=").count(), 6);
        let cells = cell_groups(&root);
        assert_eq!(cells.len(), 6);
        assert!(cells[1].find("rect")[0].has_class("chart-heat-4"));
        assert!(cells[0].find("rect")[0].has_class("chart-heat-2"));
        assert_eq!(
            cells
                .iter()
                .filter(|g| g.find("rect")[0].has_class("chart-heat-0"))
                .count(),
            4
        );
    }

    #[test]
    fn heat_map_width_grows_with_columns() {
        let make = |n: usize, label: &str| Grid {
            rows: vec![link("A very long participant pseudonym", "/r/")],
            cols: (0..n)
                .map(|i| link(&format!("{label} {i}"), "/c/"))
                .collect(),
            cells: vec![vec![
                Cell {
                    count: 1,
                    href: Some("/x/".into())
                };
                n
            ]],
        };
        let width = |svg: &str| -> f64 {
            let root = parse(svg).unwrap();
            let vb = root.attr("viewBox").unwrap().to_owned();
            vb.split(' ').nth(2).unwrap().parse().unwrap()
        };
        let long = "A rather long tension title";
        let w12 = width(&heat_map("h", "c", &make(12, long)));
        assert!(w12 <= 660.0, "12 columns should stay about 640 wide: {w12}");
        let w3 = width(&heat_map("h", "c", &make(3, long)));
        assert_eq!(w3, WIDTH);
        let wide = heat_map("h", "c", &make(30, long));
        let w30 = width(&wide);
        assert!(w30 > 1200.0, "{w30}");
        let root = check_svg(&wide, "heat-map", "h");
        // Bucket class: width rounded down to a multiple of 160.
        let bucket = (w30 / 160.0).floor() as u64 * 160;
        assert!(root.has_class(&format!("chart-w-{bucket}")));
        assert!(!parse(&heat_map("h", "c", &make(12, long)))
            .unwrap()
            .attr("class")
            .unwrap()
            .contains("chart-w-"));
        // Truncated labels keep their full text in the link title.
        let col = root
            .find("a")
            .into_iter()
            .find(|a| a.title().as_deref() == Some("A rather long tension title 7"))
            .expect("column link");
        assert_eq!(col.visible_text().trim(), "A rather long t…");
    }

    #[test]
    fn heat_map_empty_and_all_zero() {
        assert_eq!(heat_map("h", "c", &Grid::default()), "");
        let no_cols = Grid {
            rows: vec![link("r", "/r/")],
            ..Grid::default()
        };
        assert_eq!(heat_map("h", "c", &no_cols), "");
        let zeros = Grid {
            rows: vec![link("r", "/r/")],
            cols: vec![link("c", "/c/")],
            cells: vec![vec![Cell {
                count: 0,
                href: Some("/never/".into()),
            }]],
        };
        let svg = heat_map("h", "c", &zeros);
        check_svg(&svg, "heat-map", "h");
        assert!(!svg.contains("/never/"));
        assert!(svg.contains("chart-cell chart-heat-0"));
        assert!(svg.contains("highest count 0."));
        assert_eq!(
            heat_map("h", "c", &co_grid()),
            heat_map("h", "c", &co_grid())
        );
    }

    // -------------------------------------------------------------- histogram

    fn bars(v: &[(i32, usize)]) -> Vec<Bar> {
        v.iter()
            .map(|&(year, count)| Bar {
                year,
                count,
                href: format!("/refs/?y={year}&s=1"),
            })
            .collect()
    }

    fn axis_years(root: &El) -> Vec<String> {
        root.find("text")
            .iter()
            .filter(|t| t.has_class("chart-label") && t.attr("text-anchor") == Some("middle"))
            .map(|t| t.text())
            .collect()
    }

    #[test]
    fn histogram_gaps_titles_and_axis() {
        let svg = histogram("hi", "References by year", &bars(&[(2000, 3), (2003, 1)]));
        let root = check_svg(&svg, "histogram", "hi");
        let links = root.find("a");
        assert_eq!(links.len(), 2);
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains(r#"href="/refs/?y=2000&amp;s=1""#));
        let titles: Vec<String> = links.iter().filter_map(|a| a.title()).collect();
        assert_eq!(titles, ["2000: 3 works", "2003: 1 work"]);
        assert!(!svg.contains("2001: "));
        assert!(!svg.contains("2002: "));
        // The axis covers the gap years.
        assert_eq!(axis_years(&root), ["2000", "2001", "2002", "2003"]);
        // Bars sit in their own year slots: 2003 is three slots right of 2000.
        let xs: Vec<f64> = root
            .find("rect")
            .iter()
            .filter(|r| r.has_class("chart-bar"))
            .map(|r| r.attr("x").unwrap().parse().unwrap())
            .collect();
        let slot = (HI_RIGHT - HI_LEFT) / 4.0;
        assert!((xs[1] - xs[0] - 3.0 * slot).abs() < 0.2, "{xs:?}");
        // Taller bar for the bigger count.
        let hs: Vec<f64> = root
            .find("rect")
            .iter()
            .map(|r| r.attr("height").unwrap().parse().unwrap())
            .collect();
        assert!(hs[0] > hs[1] * 2.5);
        let desc = root.find("desc")[0].text();
        assert_eq!(
            desc,
            "4 works from 2000 to 2003, in 2 years; most in 2000 (3)."
        );
        // Wide slots: the count is printed above each bar, inside its link.
        let printed: Vec<String> = links
            .iter()
            .flat_map(|a| a.find("text"))
            .filter(|t| t.has_class("chart-count"))
            .map(|t| t.text())
            .collect();
        assert_eq!(printed, ["3", "1"]);
    }

    #[test]
    fn histogram_labels_do_not_collide_on_long_ranges() {
        let data: Vec<(i32, usize)> = (1903..=2024).step_by(3).map(|y| (y, 2)).collect();
        let svg = histogram("h", "c", &bars(&data));
        let root = check_svg(&svg, "histogram", "h");
        let xs: Vec<f64> = root
            .find("text")
            .iter()
            .filter(|t| t.has_class("chart-label") && t.attr("text-anchor") == Some("middle"))
            .map(|t| t.attr("x").unwrap().parse().unwrap())
            .collect();
        assert!(xs.len() >= 5, "{xs:?}");
        assert!(xs.windows(2).all(|w| w[1] - w[0] >= HI_LABEL_SPACING));
        let years = axis_years(&root);
        assert!(
            years.iter().all(|y| y.parse::<i32>().unwrap() % 10 == 0),
            "{years:?}"
        );
        assert_eq!(root.find("a").len(), data.len());
        // Bars 4.6 units apart: no printed counts (they would collide).
        assert!(!svg.contains("chart-count"));
    }

    #[test]
    fn histogram_edge_cases() {
        assert_eq!(histogram("h", "c", &[]), "");
        // Zero-count bar: no link, no bar, but still widens the range.
        let svg = histogram("h", "c", &bars(&[(1999, 0), (2001, 2)]));
        let root = check_svg(&svg, "histogram", "h");
        assert_eq!(root.find("a").len(), 1);
        assert_eq!(axis_years(&root), ["1999", "2000", "2001"]);
        // All zero, single year, negative years and extreme ranges.
        check_svg(&histogram("h", "c", &bars(&[(1990, 0)])), "histogram", "h");
        check_svg(
            &histogram("h", "c", &bars(&[(-5, 1), (3, 1)])),
            "histogram",
            "h",
        );
        let extreme = bars(&[(i32::MIN, 1), (i32::MAX, usize::MAX)]);
        let svg = histogram("h", "c", &extreme);
        check_svg(&svg, "histogram", "h");
        assert_eq!(svg, histogram("h", "c", &extreme));
        let one = histogram("h", "c", &bars(&[(2020, 1)]));
        let root = check_svg(&one, "histogram", "h");
        let w: f64 = root.find("rect")[0].attr("width").unwrap().parse().unwrap();
        assert_eq!(w, HI_MAX_BAR);
    }

    #[test]
    fn hostile_input_stays_well_formed() {
        let nasty = "]]><!-- \u{0}\u{7}&amp;&#x1; <svg onload=\"x\"> '\"";
        let levels = vec![MapLevel {
            name: nasty.into(),
            tensions: vec![tension(
                nasty,
                nasty,
                &[link(nasty, nasty), link("", "")],
                usize::MAX,
                &[usize::MAX, 0],
            )],
        }];
        // The id loses only the characters XML cannot carry.
        let id: String = nasty.chars().filter(|c| *c >= ' ').collect();
        let svg = tension_map(nasty, &levels);
        let root = check_svg(&svg, "tension-map", &id);
        // The unnamed second pole is named after its tension.
        assert!(root.find("a").iter().all(|a| a.title().is_some()));
        let grid = Grid {
            rows: vec![link(nasty, nasty)],
            cols: vec![link(nasty, nasty)],
            cells: vec![vec![Cell {
                count: usize::MAX,
                href: Some(nasty.into()),
            }]],
        };
        let svg = heat_map("h", nasty, &grid);
        let root = check_svg(&svg, "heat-map", "h");
        assert!(svg.contains("chart-heat-4"));
        assert_eq!(root.find("a").len(), 3);
        let b = vec![Bar {
            year: 2000,
            count: 1,
            href: nasty.into(),
        }];
        check_svg(&histogram("h", nasty, &b), "histogram", "h");
    }
}
