//! `book.toml`: the site's settings, read strictly.
//!
//! Unknown keys are errors (a typo must not silently change a build). Every
//! problem is reported as `book.toml:line:col: error: …` and exits with 2.

use std::num::NonZeroUsize;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{LineIndex, Pos};
use crate::error::{Error, Result};

/// The file name of the configuration, at the project root.
pub(crate) const FILE_NAME: &str = "book.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub site: Site,
    #[serde(default)]
    pub build: Build,
    #[serde(default)]
    pub bibliography: Bibliography,
    /// The paper the companion accompanies.
    #[serde(default)]
    pub paper: Option<Paper>,
    #[serde(default)]
    pub ethics: Ethics,
    /// How `companion import qdpx` maps a coding project onto notes.
    #[serde(default)]
    pub import: Import,
}

/// `[import]`: the map from a REFI-QDA project's cases and codes to
/// participants and tensions (also the shape of an `--codes` file).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Import {
    /// Case or source name (or GUID) → participant id. Names that identify
    /// someone belong in an `--codes` file kept out of the repository, not
    /// here: the ethics guard reads `book.toml`.
    #[serde(default)]
    pub speakers: std::collections::BTreeMap<String, String>,
    /// Code name, path (`Parent.Child`) or GUID → `tension` or
    /// `tension/pole`.
    #[serde(default)]
    pub codes: std::collections::BTreeMap<String, String>,
    /// Only selections carrying this code (name, path or GUID) are imported.
    #[serde(default)]
    pub only: Option<String>,
}

/// What must never be published.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ethics {
    /// Real names, places, organisations: a build whose output would hold
    /// one of them (in any letter case) fails.
    #[serde(default)]
    pub never_publish: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Bibliography {
    /// Reference files relative to the project root: `.yaml` (CSL-YAML),
    /// `.json` (CSL-JSON) or `.bib` (BibTeX/BibLaTeX).
    #[serde(default)]
    pub files: Vec<String>,
    /// A bundled style name (`apa`, `harvard-cite-them-right`, …) or a
    /// `.csl` file relative to the project root. Default: the style of
    /// *Voluntary Sector Review*, built in.
    #[serde(default)]
    pub style: Option<String>,
    /// Locale for the style's terms, such as `en-GB`.
    #[serde(default)]
    pub locale: Option<String>,
    /// Entries listed although nothing cites them (keys, or `"*"` for
    /// every entry of the files). By default only cited works are listed,
    /// as with Pandoc and LaTeX.
    #[serde(default)]
    pub nocite: Vec<String>,
}

/// The paper a companion accompanies: Highwire `citation_*` tags on every
/// page and the "Cite this page" box.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Paper {
    pub title: String,
    /// Authors as `Family, Given`.
    pub authors: Vec<String>,
    #[serde(default)]
    pub journal: Option<String>,
    /// `2015` or `2015-10-01`.
    pub date: String,
    #[serde(default)]
    pub volume: Option<String>,
    #[serde(default)]
    pub issue: Option<String>,
    /// `285-302`.
    #[serde(default)]
    pub pages: Option<String>,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub issn: Option<String>,
    /// Licence name, such as `CC BY-NC-ND 4.0`.
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub licence_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Site {
    /// Shown in every page's `<title>` and header.
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The absolute URL the site is published at, ending in `/`. Only used
    /// where an absolute URL is required: canonical links, `sitemap.xml`,
    /// and the `404.html` page.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Custom domain written to `CNAME` for GitHub Pages.
    #[serde(default)]
    pub cname: Option<String>,
    /// Theme folder under `themes/`; files there override the built-in theme.
    #[serde(default = "default_theme")]
    pub theme: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Build {
    /// Output folder, relative to the project root.
    #[serde(default = "default_output")]
    pub output: String,
    /// Pass raw HTML in Markdown through instead of escaping it.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Link to `dir/index.html` rather than `dir/`, so the site also works
    /// when opened from `file://`.
    #[serde(default = "default_true")]
    pub link_index_html: bool,
    /// Write the search page and its index (`assets/search-index.js`).
    #[serde(default = "default_true")]
    pub search: bool,
    /// Files and folders of `content/` left out of the site, as
    /// gitignore-style globs (`README.md`, `drafts/`, `**/*.docx`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Quote cards per page of a long listing: the quotes index and the
    /// tension, participant and metaphor pages. Page 1 keeps the listing's
    /// URL; page 2 is at `<url>page/2/`.
    #[serde(default = "default_page_size")]
    pub page_size: NonZeroUsize,
    /// Works per page of the citation index.
    #[serde(default = "default_references_page_size")]
    pub references_page_size: NonZeroUsize,
    /// Lines per page of the A–Z index.
    #[serde(default = "default_a_z_page_size")]
    pub a_z_page_size: NonZeroUsize,
    /// The most pages the printable whole (`print/`) holds; a larger site
    /// gets a print page that says so, and a warning.
    #[serde(default = "default_print_limit")]
    pub print_limit: usize,
}

impl Default for Build {
    fn default() -> Self {
        Build {
            output: default_output(),
            allow_raw_html: false,
            link_index_html: true,
            search: true,
            exclude: Vec::new(),
            page_size: default_page_size(),
            references_page_size: default_references_page_size(),
            a_z_page_size: default_a_z_page_size(),
            print_limit: default_print_limit(),
        }
    }
}

fn default_print_limit() -> usize {
    500
}
fn default_page_size() -> NonZeroUsize {
    NonZeroUsize::new(50).expect("not zero")
}
fn default_references_page_size() -> NonZeroUsize {
    NonZeroUsize::new(200).expect("not zero")
}
fn default_a_z_page_size() -> NonZeroUsize {
    NonZeroUsize::new(500).expect("not zero")
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output() -> String {
    "site".into()
}
fn default_true() -> bool {
    true
}

impl Config {
    /// Reads `book.toml` from the project root.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Config(format!(
                    "error: no {FILE_NAME} in {}\n  = help: run inside a companion project, or pass --root DIR",
                    root.display()
                )))
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        let utf16 = crate::discover::utf16_bom(&bytes);
        match crate::discover::decode(bytes) {
            Ok(text) => Config::parse(&text),
            Err((pos, byte)) => Err(Error::Config(
                crate::discover::not_utf8(FILE_NAME, pos, byte, utf16).to_string(),
            )),
        }
    }

    /// Parses the text of `book.toml`.
    pub fn parse(text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let pos = e
                .span()
                .map(|s| LineIndex::new(text).pos(text, s.start))
                .unwrap_or(Pos::START);
            config_error(pos, &plain_toml_message(e.message()))
        })?;
        config.validate(text)?;
        Ok(config)
    }

    fn validate(&mut self, text: &str) -> Result<()> {
        if let Some(help) = language_problem(&self.site.language) {
            return Err(config_error(
                value_pos(text, "language"),
                &format!(
                    "`language` must be a BCP 47 language tag, found `{}`\n  = help: {help}",
                    self.site.language
                ),
            ));
        }
        if let Some(url) = &self.site.base_url {
            let url = checked_base_url(url).map_err(|msg| {
                config_error(key_pos(text, "base-url"), &format!("`base-url` {msg}"))
            })?;
            self.site.base_url = Some(url);
        }
        if let Some(paper) = &self.paper {
            if crate::bibliography::Date::parse_iso(&paper.date).is_none() {
                let msg = match crate::model::PartialDate::parse(paper.date.trim()) {
                    Err(crate::model::BadDate::NoSuchDay(why)) => {
                        format!("`paper.date` is {}, {why}", paper.date)
                    }
                    _ => format!(
                        "`paper.date` must be a date like 2015 or 2015-10-01, found `{}`",
                        paper.date
                    ),
                };
                return Err(config_error(key_pos(text, "date"), &msg));
            }
            if paper.authors.is_empty() {
                return Err(config_error(
                    key_pos(text, "authors"),
                    "`paper.authors` needs at least one `Family, Given` name",
                ));
            }
        }
        if let Err(msg) = crate::discover::Exclude::new(&self.build.exclude) {
            return Err(config_error(value_pos(text, "exclude"), &msg));
        }
        let out = &self.build.output;
        if out.trim().is_empty() {
            return Err(config_error(
                key_pos(text, "output"),
                "`output` must name a folder",
            ));
        }
        if self.site.theme.is_empty() || self.site.theme.contains(['/', '\\', '.']) {
            return Err(config_error(
                key_pos(text, "theme"),
                "`theme` must be a folder name under themes/",
            ));
        }
        Ok(())
    }

    /// Overrides `base-url` from the command line.
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        let url = checked_base_url(url)
            .map_err(|msg| Error::Config(format!("error: --base-url {msg}")))?;
        self.site.base_url = Some(url);
        Ok(())
    }
}

/// A base URL is an absolute http(s) URL without query or fragment; it
/// gets a trailing `/`.
fn checked_base_url(url: &str) -> std::result::Result<String, String> {
    let ok_scheme = url.starts_with("https://") || url.starts_with("http://");
    let host = url.split("://").nth(1).unwrap_or("");
    if !ok_scheme || host.is_empty() || host.starts_with('/') {
        return Err(format!("must be an absolute http(s) URL, found `{url}`"));
    }
    if url.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
        return Err(format!("must not hold spaces, `?` or `#`, found `{url}`"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn config_error(pos: Pos, message: &str) -> Error {
    Error::Config(format!(
        "{FILE_NAME}:{}:{}: error: {}",
        pos.line,
        pos.col,
        message.trim_end()
    ))
}

/// The TOML parser's message in a researcher's words.
fn plain_toml_message(msg: &str) -> String {
    msg.replace("expected a sequence", "expected a list, e.g. [\"…\"]")
        .replace("expected a boolean", "expected true or false")
}

/// What is wrong with a `language` that is not a BCP 47 tag (`en`,
/// `en-GB`, `pt-BR`, `zh-Hant`), as a help line; `None` if it is one.
fn language_problem(lang: &str) -> Option<String> {
    let parts: Vec<&str> = lang.split('-').collect();
    let well_formed = parts[0].len() >= 2
        && parts[0].len() <= 3
        && parts[0].bytes().all(|b| b.is_ascii_alphabetic())
        && parts[1..]
            .iter()
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if well_formed {
        return None;
    }
    const NAMES: [(&str, &str); 20] = [
        ("english", "en"),
        ("british english", "en-GB"),
        ("american english", "en-US"),
        ("french", "fr"),
        ("german", "de"),
        ("spanish", "es"),
        ("italian", "it"),
        ("portuguese", "pt"),
        ("dutch", "nl"),
        ("danish", "da"),
        ("swedish", "sv"),
        ("norwegian", "nb"),
        ("finnish", "fi"),
        ("polish", "pl"),
        ("welsh", "cy"),
        ("irish", "ga"),
        ("greek", "el"),
        ("chinese", "zh"),
        ("japanese", "ja"),
        ("arabic", "ar"),
    ];
    let lower = lang.trim().to_lowercase();
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
        return Some(format!("write the language's code: `{code}`"));
    }
    if lang.contains('_') {
        let fixed = lang.replace('_', "-");
        if language_problem(&fixed).is_none() {
            return Some(format!("parts are joined by `-`: `{fixed}`"));
        }
    }
    Some("for example `en`, `en-GB`, `de` or `pt-BR`".into())
}

/// Best-effort position of the value of `key = …`.
fn value_pos(text: &str, key: &str) -> Pos {
    let at = key_pos(text, key);
    text.lines()
        .nth(at.line.saturating_sub(1))
        .and_then(|l| l.find('=').map(|eq| (l, eq)))
        .map_or(at, |(l, eq)| {
            let rest = &l[eq + 1..];
            let skip = rest.len() - rest.trim_start().len();
            Pos::new(at.line, l[..eq + 1 + skip].chars().count() + 1)
        })
}

/// Best-effort position of `key = …` for errors found after parsing.
fn key_pos(text: &str, key: &str) -> Pos {
    text.lines()
        .enumerate()
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(i, l)| Pos::new(i + 1, l.len() - l.trim_start().len() + 1))
        .unwrap_or(Pos::START)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_in() {
        let c = Config::parse("[site]\ntitle = \"T\"\n").unwrap();
        assert_eq!(c.build.output, "site");
        assert_eq!(c.site.theme, "default");
        assert_eq!(c.site.language, "en");
        assert!(c.build.link_index_html);
        assert!(c.site.base_url.is_none());
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let c = Config::parse("[site]\ntitle = \"T\"\nbase-url = \"https://u.github.io/repo\"\n")
            .unwrap();
        assert_eq!(
            c.site.base_url.as_deref(),
            Some("https://u.github.io/repo/")
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let err = Config::parse("[site]\ntitle = \"T\"\ntitel = \"x\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("book.toml:3:1: error: unknown field `titel`"),
            "{msg}"
        );
    }

    #[test]
    fn language_must_be_a_bcp47_tag() {
        for good in ["en", "en-GB", "pt-BR", "zh-Hant", "de"] {
            assert_eq!(language_problem(good), None, "{good}");
        }
        let err = |lang: &str| {
            Config::parse(&format!("[site]\ntitle = \"T\"\nlanguage = \"{lang}\"\n"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("English"),
            "book.toml:3:12: error: `language` must be a BCP 47 language tag, found `English`\n  = help: write the language's code: `en`"
        );
        assert_eq!(
            err("en_GB"),
            "book.toml:3:12: error: `language` must be a BCP 47 language tag, found `en_GB`\n  = help: parts are joined by `-`: `en-GB`"
        );
    }

    #[test]
    fn a_list_is_asked_for_as_a_list() {
        let err = Config::parse("[site]\ntitle = \"T\"\n[bibliography]\nfiles = \"refs.bib\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("book.toml:4:9: error: invalid type: string \"refs.bib\", expected a list, e.g. [\"…\"]"),
            "{err}"
        );
    }

    #[test]
    fn relative_base_url_is_refused() {
        let err = Config::parse("[site]\ntitle = \"T\"\nbase-url = \"/repo/\"\n").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("book.toml:3:1: error: `base-url` must be"));
    }
}
