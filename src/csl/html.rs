//! Formatted CSL output as HTML and plain text: formatting, links (http
//! and https only), display blocks, and the delimiters hayagriva leaves
//! dangling.

use hayagriva::citationberg::IndependentStyle;
use hayagriva::citationberg::Style;
use hayagriva::{ElemChild, ElemChildren, ElemMeta};

use super::CslStyle;
use crate::html::escape;

/// A formatted bibliography entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// HTML, with DOIs and URLs as links.
    pub html: String,
    /// Plain text, for tooltips.
    pub text: String,
}

impl Entry {
    pub(super) fn of(content: &ElemChildren, style: &CslStyle) -> Entry {
        let content = tidy(content, &style.spaced);
        Entry {
            html: html(&content),
            text: plain(&content),
        }
    }
}

/// Punctuation that a style itself writes a space before, in any prefix,
/// suffix, delimiter or literal (ISO 690's `London : Routledge`).
pub(super) fn spaced_punctuation(style: &IndependentStyle) -> Vec<char> {
    let xml = Style::Independent(style.clone())
        .to_xml()
        .unwrap_or_default();
    let values: Vec<&str> = xml
        .split("=\"")
        .skip(1)
        .filter_map(|v| v.split('"').next())
        .collect();
    [':', ';', ',', '.']
        .into_iter()
        .filter(|p| values.iter().any(|v| v.contains(&format!(" {p}"))))
        .collect()
}

/// Formatted output without the delimiters hayagriva leaves dangling: it
/// writes a group's delimiter before a child it expects to print and keeps
/// it when the child prints nothing. So Chicago's `Past and Present 6 :
/// 1–40` for an article without an issue becomes `6: 1–40` (a space before
/// punctuation the style never spaces goes), and APA's `(2013a,)` for a
/// document dated by its year alone becomes `(2013a)` (a delimiter before a
/// closing bracket goes), as Pandoc writes them. Only the style's own text
/// (affixes, delimiters) is touched, never a title or any other value.
pub(super) fn tidy(content: &ElemChildren, spaced: &[char]) -> ElemChildren {
    fn walk(children: &mut [ElemChild], spaced: &[char], own: bool) {
        for child in children {
            match child {
                ElemChild::Text(t) if own => {
                    for p in [':', ';', ',', '.'] {
                        if !spaced.contains(&p) {
                            t.text = t.text.replace(&format!(" {p}"), &p.to_string());
                        }
                    }
                    for p in [",", ";", ":"] {
                        for close in [")", "]"] {
                            for gap in ["", " "] {
                                let dangling = format!("{p}{gap}{close}");
                                t.text = t.text.replace(&dangling, close);
                            }
                        }
                    }
                }
                ElemChild::Elem(e) => walk(&mut e.children.0, spaced, own && e.meta.is_none()),
                _ => {}
            }
        }
    }
    let mut content = content.clone();
    walk(&mut content.0, spaced, true);
    content
}

/// Removes the first rendered name list (and the delimiter after it), for
/// author-suppressed citations: `Alcock, 2010a` → `2010a`.
pub(super) fn remove_names(children: &mut Vec<ElemChild>) -> bool {
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
            ElemChild::Elem(e) => match e.display.map(display_class) {
                Some(class) => {
                    out.push_str(&format!("<span class=\"{class}\">"));
                    write_html(&e.children, out);
                    out.push_str("</span>");
                }
                None => write_html(&e.children, out),
            },
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

/// The class (as citeproc-js names them) for an element the style
/// displays as a block or in a margin column; the stylesheet lays them out.
fn display_class(display: hayagriva::citationberg::Display) -> &'static str {
    use hayagriva::citationberg::Display;
    match display {
        Display::Block => "csl-block",
        Display::LeftMargin => "csl-left-margin",
        Display::RightInline => "csl-right-inline",
        Display::Indent => "csl-indent",
    }
}

/// Plain text of formatted CSL output.
pub fn plain(children: &ElemChildren) -> String {
    let mut out = String::new();
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => out.push_str(&t.text),
            ElemChild::Elem(e) => {
                // A block or a margin column reads as its own phrase.
                let gap = e.display.is_some() && !out.is_empty() && !out.ends_with(' ');
                if gap {
                    out.push(' ');
                }
                out.push_str(&plain(&e.children));
            }
            ElemChild::Markup(m) => out.push_str(m),
            ElemChild::Link { text, .. } => out.push_str(&text.text),
            ElemChild::Transparent { .. } => {}
        }
    }
    out
}
