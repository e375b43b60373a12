//! Loading a CSL style: the built-in one, a bundled one by name (with a
//! did-you-mean and the list `companion styles` prints), or a `.csl` file;
//! its locales and terms in the site's language.

use std::path::Path;

use hayagriva::citationberg::{
    CitationFormat, IndependentStyle, Locale, LocaleCode, Style, StyleCategory, StyleClass,
};

use super::adapt;
use super::html::spaced_punctuation;
use crate::config::Config;
use crate::error::{Error, Result};

/// The built-in style: the author-date style of *Voluntary Sector Review*.
pub const DEFAULT_STYLE: &str = include_str!("voluntary-sector-review.csl");

/// A loaded CSL style with its locales.
pub struct CslStyle {
    pub(super) style: IndependentStyle,
    pub(super) locales: Vec<Locale>,
    pub(super) locale: Option<LocaleCode>,
    /// The citation layout's delimiter between works (`; `).
    pub delimiter: String,
    /// The layout's own brackets, `(` and `)` for author-date styles.
    pub open: String,
    pub close: String,
    /// Numbered or labelled citations: numbers follow first citation, so
    /// the driver is not primed in bibliography order.
    pub(super) numeric: bool,
    /// What the style itself writes for an undated work (`[S.d.]`), besides
    /// the locale's "no date" term.
    pub(super) no_date: Vec<String>,
    /// Punctuation the style writes a space before (see [`tidy`]).
    pub(super) spaced: Vec<char>,
    /// Where terms are looked up, in CSL's order: the style's own locales
    /// for the site's language, then the locale files.
    pub(super) terms: Vec<Locale>,
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
                let archived = hayagriva::archive::ArchivedStyle::by_name(name)
                    .ok_or_else(|| bad(unknown_style(name)))?;
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
        let class =
            |wanted: CitationFormat| {
                style.info.category.iter().any(
                    |c| matches!(c, StyleCategory::CitationFormat { format } if *format == wanted),
                )
            };
        let numeric = class(CitationFormat::Numeric) || class(CitationFormat::Label);
        let author_date = class(CitationFormat::AuthorDate);
        let spaced = spaced_punctuation(&style);
        let no_date = adapt::adapt(&mut style, author_date);
        let layout = &mut style.citation.layout;
        // Items are formatted one by one and joined here, so that prefixes
        // (`see`), suffixes and author suppression work in any style.
        let open = layout.prefix.take().unwrap_or_default();
        let close = layout.suffix.take().unwrap_or_default();
        let delimiter = layout.delimiter.clone().unwrap_or_else(|| "; ".into());
        let wanted = locale
            .map(str::to_string)
            .or_else(|| style.default_locale.as_ref().map(|l| l.0.clone()));
        let locales = locales_for(wanted.as_deref());
        // The exact dialect (`de-DE`), then the language (`de`), then any.
        let rank = |l: &Locale| match (&l.lang, &wanted) {
            (Some(lang), Some(w)) if lang.0.eq_ignore_ascii_case(w) => Some(0),
            (Some(lang), Some(w))
                if w.to_ascii_lowercase()
                    .starts_with(&format!("{}-", lang.0.to_ascii_lowercase())) =>
            {
                Some(1)
            }
            (None, _) => Some(2),
            _ => None,
        };
        let mut own: Vec<(usize, &Locale)> = style
            .locale
            .iter()
            .filter_map(|l| Some((rank(l)?, l)))
            .collect();
        own.sort_by_key(|(r, _)| *r);
        let terms = own
            .into_iter()
            .map(|(_, l)| l)
            .chain(&locales)
            .cloned()
            .collect();
        CslStyle {
            locales,
            terms,
            style,
            locale: locale.map(|l| LocaleCode(l.to_string())),
            delimiter,
            open,
            close,
            numeric,
            no_date,
            spaced,
        }
    }
}

impl CslStyle {
    /// A term of the style's language, as the style would write it.
    pub(super) fn term(
        &self,
        term: hayagriva::citationberg::taxonomy::OtherTerm,
        form: hayagriva::citationberg::TermForm,
    ) -> Option<String> {
        use hayagriva::citationberg::taxonomy::Term;
        self.terms.iter().find_map(|l| {
            l.term(Term::Other(term), form)?
                .single()
                .map(str::to_string)
        })
    }
}

/// The error for a style name that is not bundled: the closest names,
/// and where the list is.
fn unknown_style(name: &str) -> String {
    use hayagriva::archive::ArchivedStyle;
    let names: Vec<&str> = ArchivedStyle::all()
        .iter()
        .flat_map(|s| s.names().iter().copied())
        .collect();
    let lower = name.trim().to_lowercase();
    let mut close: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.eq_ignore_ascii_case(&lower) || n.starts_with(&format!("{lower}-")))
        .collect();
    if close.is_empty() {
        close.extend(crate::diagnostic::closest(&lower, names.iter().copied()));
    }
    if close.is_empty() {
        // A word of the name (`sage-harvard` → `harvard`) in a style's name.
        let words: Vec<&str> = lower
            .split(['-', ' ', '_'])
            .filter(|w| w.len() >= 4)
            .collect();
        close.extend(
            names
                .iter()
                .copied()
                .filter(|n| n.split('-').any(|part| words.contains(&part)))
                .take(4),
        );
    }
    let help = match close.as_slice() {
        [] => "give a .csl file, or a bundled style's name".to_string(),
        [one] => format!("did you mean `{one}`?"),
        many => format!(
            "did you mean one of {}?",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("no bundled style `{name}`\n  = help: {help} (`companion styles` lists them all)")
}

/// A bundled style as `companion styles` lists it.
pub struct StyleInfo {
    pub names: Vec<&'static str>,
    pub title: &'static str,
    /// `author-date`, `numeric`, `label`, `author` or `note`.
    pub class: &'static str,
    /// Whether a site can use it (note styles put citations in footnotes).
    pub accepted: bool,
}

/// The CSL XML of a bundled style, for tools that read CSL files (Pandoc).
pub fn bundled_style_xml(name: &str) -> Option<String> {
    hayagriva::archive::ArchivedStyle::by_name(name)?
        .get()
        .to_xml()
        .ok()
}

/// Every style bundled with the tool, by name.
pub fn bundled_styles() -> Vec<StyleInfo> {
    use hayagriva::archive::ArchivedStyle;
    let mut out: Vec<StyleInfo> = ArchivedStyle::all()
        .iter()
        .filter_map(|archived| {
            let Style::Independent(style) = archived.get() else {
                return None;
            };
            let format = style.info.category.iter().find_map(|c| match c {
                StyleCategory::CitationFormat { format } => Some(*format),
                _ => None,
            });
            let class = match format {
                Some(CitationFormat::AuthorDate) => "author-date",
                Some(CitationFormat::Numeric) => "numeric",
                Some(CitationFormat::Label) => "label",
                Some(CitationFormat::Author) => "author",
                Some(CitationFormat::Note) => "note",
                None if style.settings.class == StyleClass::Note => "note",
                None => "author-date",
            };
            Some(StyleInfo {
                names: archived.names().to_vec(),
                title: archived.display_name(),
                class,
                accepted: style.settings.class != StyleClass::Note,
            })
        })
        .collect();
    out.sort_by_key(|s| s.names[0]);
    out
}

/// The bundled CSL locales a style in locale `wanted` can fall back on:
/// the dialects of its language and `en-US`. hayagriva bundles 64 locales
/// and decoding them all took most of a small site's build (~50 ms); a
/// locale file names its own language near its start, so the others are
/// not decoded.
pub(crate) fn locales_for(wanted: Option<&str>) -> Vec<Locale> {
    let language = wanted
        .and_then(|w| w.split('-').next())
        .unwrap_or("en")
        .to_ascii_lowercase();
    let chosen: Vec<Locale> = hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| may_hold(bytes, &language))
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .filter(|l| l.lang.as_ref().is_some_and(|c| fits(&c.0, &language)))
        .collect();
    if chosen
        .iter()
        .any(|l| l.lang.as_ref().is_some_and(|c| c.0 == "en-US"))
    {
        chosen
    } else {
        hayagriva::archive::locales()
    }
}

/// Whether locale `code` serves `language`: one of its dialects, or the
/// last fallback, `en-US`.
fn fits(code: &str, language: &str) -> bool {
    let code = code.to_ascii_lowercase();
    code == "en-us"
        || code == language
        || code
            .strip_prefix(language)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// A cheap first pass on an encoded locale file: whether the value of its
/// `@xml:lang` key (a CBOR text string: a header byte, 0x60 + length, then
/// the code) [`fits`] `language`. Decoding decides.
pub(super) fn may_hold(bytes: &[u8], language: &str) -> bool {
    const KEY: &[u8] = b"@xml:lang";
    memchr::memmem::find_iter(bytes, KEY).any(|at| {
        let value = at + KEY.len();
        bytes
            .get(value)
            .filter(|h| (0x61..=0x77).contains(*h))
            .and_then(|h| bytes.get(value + 1..value + 1 + usize::from(h - 0x60)))
            .and_then(|code| std::str::from_utf8(code).ok())
            .is_some_and(|code| fits(code, language))
    })
}
