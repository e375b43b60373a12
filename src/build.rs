//! The pipeline: discover → parse → resolve → render → write.
//!
//! `check` is the same pipeline without `write`. Only discover, theme loading
//! and write touch the disk; the stages in between work on plain data.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::bibliography::{self, Bibliography, Date, Name, Reference};
use crate::config::{Config, Paper};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Result;
use crate::model::{Page, Site};
use crate::parse::markdown;
use crate::render::highlight;
use crate::render::theme::Theme;
use crate::timings::Timings;
use crate::write::Sink;
use crate::{csl, discover, ethics, render, resolve, write};

/// The folder notes are read from, relative to the project root.
pub const CONTENT_DIR: &str = "content";

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
}

/// What a run produced.
#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    pub files: usize,
    /// The output folder, as given (relative to the working folder or absolute).
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Whether the site was written.
    pub written: bool,
}

impl Report {
    pub fn failed(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }
}

/// Loads `book.toml` and applies command-line overrides.
pub fn load_config(opts: &Options) -> Result<Config> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url)?;
    }
    Ok(config)
}

/// The output folder: `--output`, else `build.output` under the root.
pub fn output_dir(opts: &Options, config: &Config) -> PathBuf {
    opts.output
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.build.output))
}

/// Builds the site; writes it unless `write` is false (`check`).
pub fn run(opts: &Options, write: bool) -> Result<Report> {
    let start = Instant::now();
    let config = load_config(opts)?;
    let out = output_dir(opts, &config);
    let content = opts.root.join(CONTENT_DIR);
    // `check` refuses the same folders `build` would, before any work.
    let target = write::check_target(&opts.root, &content, &out)?;
    // Pages are written into a staging folder as they are rendered; it
    // replaces the output only if the whole build succeeds.
    let staging = if write {
        Some(write::Staging::new(&target)?)
    } else {
        None
    };
    let sink: &dyn Sink = match &staging {
        Some(s) => s,
        None => &write::Discard,
    };
    let compiled = compile(opts, &config, sink, false)?;
    let mut report = Report {
        pages: compiled.pages,
        files: compiled.rendered.as_ref().map_or(0, |r| r.files),
        diagnostics: compiled.diagnostics,
        output: out.clone(),
        elapsed: Duration::ZERO,
        written: false,
    };
    if let (Some(staging), Some(_)) = (staging, compiled.rendered) {
        if !report.failed() {
            staging.commit()?;
            report.written = true;
        }
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// A project compiled into a `Sink`.
pub struct Compiled {
    /// Pages placed in the site.
    pub pages: usize,
    /// The rendered site, unless errors stopped the build.
    pub rendered: Option<Rendered>,
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// A site rendered into a sink: how many files, and what they were
/// rendered from (`serve` re-renders single pages from it).
pub struct Rendered {
    pub files: usize,
    pub prepared: Prepared,
    pub theme: Theme,
    /// The search index, which `serve` updates after an edit.
    pub(crate) search: Option<render::SearchIndex>,
}

/// Loads the theme, compiles the project into `sink` and sorts the
/// diagnostics: what `build`, `check` and `serve` share.
/// `keep_search`: keep the search index in [`Rendered`] (`serve` updates
/// it after an edit).
pub fn compile(
    opts: &Options,
    config: &Config,
    sink: &dyn Sink,
    keep_search: bool,
) -> Result<Compiled> {
    let theme = Theme::load(&opts.root, &config.site.theme)?;
    let (pages, prepared, mut diagnostics) = prepare(&opts.root, config)?;
    // A note at the URL of a later page of a long listing would be
    // overwritten by it.
    let clashes = prepared
        .as_ref()
        .map(|p| render::listing_clashes(&p.input(config, &theme)))
        .unwrap_or_default();
    let prepared = prepared.filter(|_| clashes.is_empty());
    diagnostics.extend(clashes);
    let rendered = match prepared {
        Some(prepared) => {
            let mut clock = Timings::new();
            // The ethics guard reads every file on its way to the sink.
            let never = &config.ethics.never_publish;
            let guarded =
                ethics::Guard::new(sink, never, &config.build.output, prepared.made_from());
            let (files, search) =
                render::render(&prepared.input(config, &theme), &guarded, keep_search)?;
            clock.lap("render");
            let found = guarded.into_diagnostics();
            let clean = found.is_empty();
            diagnostics.extend(found);
            clean.then_some(Rendered {
                files,
                prepared,
                theme,
                search,
            })
        }
        None => None,
    };
    diagnostic::sort(&mut diagnostics);
    Ok(Compiled {
        pages,
        rendered,
        diagnostics,
    })
}

/// A site ready to render: everything the render stage reads besides the
/// configuration and the theme.
pub struct Prepared {
    pub site: Site,
    pub bib: Bibliography,
    pub cites: csl::Formatted,
    pub paper: Option<Reference>,
    /// The citation style's opening bracket, delimiter and closing bracket.
    pub marks: [String; 3],
    /// The site's tree: folders, reading order, sidebars.
    pub tree: render::Tree,
    /// Every file read from the content folder (notes and others), by path
    /// relative to it.
    pub sources: std::collections::BTreeSet<String>,
    /// How the site's language writes dates.
    pub dates: crate::dates::DateFormat,
}

impl Prepared {
    /// The source file each output file is made from, by output path:
    /// every page's note and every copied file.
    pub fn made_from(&self) -> std::collections::HashMap<String, String> {
        // Generated pages (indexes) are made from many sources: they keep
        // their output path. A reference page comes from its entry's file.
        let pages = self
            .site
            .pages
            .iter()
            .filter(|p| {
                matches!(p.role, crate::model::Role::Reference(_))
                    || p.page
                        .display
                        .strip_prefix(&format!("{CONTENT_DIR}/"))
                        .is_some_and(|rel| self.sources.contains(rel))
            })
            .map(|p| (crate::urls::output_file(&p.url), p.page.display.clone()));
        let assets = self
            .sources
            .iter()
            .map(|rel| (crate::urls::asset_path(rel), format!("{CONTENT_DIR}/{rel}")));
        assets.chain(pages).collect()
    }

    /// What the render stage needs, borrowed from `self`.
    pub fn input<'a>(&'a self, config: &'a Config, theme: &'a Theme) -> render::RenderContext<'a> {
        render::RenderContext {
            config,
            site: &self.site,
            theme,
            bib: &self.bib,
            cites: &self.cites,
            paper: self.paper.as_ref(),
            style_marks: (&self.marks[0], &self.marks[1], &self.marks[2]),
            tree: &self.tree,
            quote_excerpts: Default::default(),
            a_to_z: Default::default(),
            metaphors: Default::default(),
            dates: &self.dates,
        }
    }
}

/// Reads, parses, resolves and checks the project and formats its
/// citations: the number of pages, the site ready to render unless content
/// errors were found, and every diagnostic.
pub fn prepare(root: &Path, config: &Config) -> Result<(usize, Option<Prepared>, Vec<Diagnostic>)> {
    let mut clock = Timings::new();
    let (sources, mut diagnostics) = bibliography::load(root, &config.bibliography.files)?;
    let (mut bib, bib_diags) = bibliography::parse(&sources);
    bib.incomplete |= !diagnostics.is_empty();
    diagnostics.extend(bib_diags);
    clock.lap("bibliography");
    let exclude =
        discover::Exclude::new(&config.build.exclude).map_err(crate::error::Error::Config)?;
    let found = discover::discover(root, CONTENT_DIR, &config.bibliography.files, &exclude)?;
    clock.lap("discover");
    diagnostics.extend(guard_sources(root, config, &found, &sources));
    diagnostics.extend(found.diagnostics);
    let content_files: std::collections::BTreeSet<String> = found
        .files
        .iter()
        .map(|f| f.rel.clone())
        .chain(found.assets.iter().map(|a| a.rel.clone()))
        .collect();
    // A note with an error in its front matter is still placed, as far
    // as it could be read, so that nothing naming it fails as well.
    let parsed: Vec<(Page, Vec<Diagnostic>)> =
        found.files.par_iter().map(markdown::parse_page).collect();
    let mut pages = Vec::with_capacity(parsed.len());
    for (page, d) in parsed {
        pages.push(page);
        diagnostics.extend(d);
    }
    if !config.build.allow_raw_html {
        diagnostics.extend(pages.iter().filter_map(|p| {
            let pos = p.raw_html?;
            Some(
                Diagnostic::warning(
                    &p.display,
                    pos,
                    "raw HTML in this note is shown as text, tags and all",
                )
                .with_help("write it in Markdown, or set `allow-raw-html = true` under [build] in book.toml"),
            )
        }));
    }
    pages.extend(
        found
            .unreadable
            .iter()
            .map(|(rel, display)| markdown::placeholder(rel, display)),
    );
    clock.lap("parse");
    diagnostics.extend(select_listed(root, config, &mut bib, &pages));
    let (site, resolve_diags) = resolve::resolve(
        pages,
        found.assets,
        &bib,
        &highlight::knows,
        config.build.search,
    );
    clock.lap("resolve");
    // A home page that could not be read or parsed is reported as such,
    // not once more as missing.
    let home = format!("{CONTENT_DIR}/index.md");
    let home_failed = diagnostics
        .iter()
        .any(|d| d.path == home && d.severity == diagnostic::Severity::Error);
    diagnostics.extend(
        resolve_diags
            .into_iter()
            .filter(|d| !(home_failed && d.path == home && d.message == resolve::NO_HOME_PAGE)),
    );
    let pages = site.pages.len();
    if diagnostic::has_errors(&diagnostics) {
        return Ok((pages, None, diagnostics));
    }
    let style = csl::CslStyle::load(root, config)?;
    let paper = config.paper.as_ref().map(paper_reference);
    let cites = csl::format(&bib, &site, &style, paper.as_ref());
    clock.lap("cite");
    let tree = render::Tree::of(&site, config.build.link_index_html);
    let prepared = Prepared {
        site,
        bib,
        cites,
        paper,
        marks: [style.open, style.delimiter, style.close],
        tree,
        sources: content_files,
        dates: crate::dates::DateFormat::for_language(&config.site.language),
    };
    Ok((pages, Some(prepared), diagnostics))
}

/// Keeps the bibliography entries the site lists: the cited ones, those
/// with a reference note, and those `[bibliography] nocite` names (`"*"`:
/// all). Year suffixes and numbers are then computed over what is listed.
/// An unknown `nocite` key is an error at its `book.toml` line; entries
/// listed only by `"*"` and never cited are named in one warning.
fn select_listed(
    root: &Path,
    config: &Config,
    bib: &mut Bibliography,
    pages: &[Page],
) -> Vec<Diagnostic> {
    use std::collections::BTreeSet;
    let nocite = &config.bibliography.nocite;
    let everything = nocite.iter().any(|k| k.trim() == "*");
    let mut cited: BTreeSet<&str> = pages
        .iter()
        .flat_map(|p| &p.citations)
        .flat_map(|c| &c.items)
        .map(|i| i.item.key.as_str())
        .collect();
    // A reference note says the work belongs on the site.
    let stems: Vec<String> = pages
        .iter()
        .filter(|p| p.front.kind() == crate::model::Kind::Reference)
        .map(|p| match &p.front.data {
            crate::model::KindData::Reference(crate::model::ReferenceNote { key: Some(key) }) => {
                key.clone()
            }
            _ => {
                let stem = p.rel.rsplit('/').next().unwrap_or(&p.rel);
                stem.strip_suffix(".md").unwrap_or(stem).to_string()
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let book = std::fs::read_to_string(root.join(crate::config::FILE_NAME)).unwrap_or_default();
    for key in nocite.iter().filter(|k| k.trim() != "*") {
        if bib.get(key).is_none() && !bib.incomplete {
            let pos = book
                .find(&format!("\"{key}\""))
                .map_or(crate::diagnostic::Pos::START, |at| {
                    crate::diagnostic::LineIndex::new(&book).pos(&book, at + 1)
                });
            diagnostics.push(
                Diagnostic::error(
                    crate::config::FILE_NAME,
                    pos,
                    format!("`nocite` names `{key}`, which no bibliography file holds"),
                )
                .with_help_opt(bib.suggest(key)),
            );
        }
    }
    let named: BTreeSet<&str> = nocite.iter().map(|k| k.trim()).collect();
    cited.extend(stems.iter().map(String::as_str));
    let mut star_only = Vec::new();
    for (i, r) in bib.refs.iter().enumerate() {
        if everything && !cited.contains(r.key.as_str()) && !named.contains(r.key.as_str()) {
            star_only.push(i);
        }
    }
    if let Some(&first) = star_only.first() {
        let keys: Vec<&str> = star_only
            .iter()
            .take(5)
            .map(|&i| bib.refs[i].key.as_str())
            .collect();
        let more = match star_only.len() {
            n if n > 5 => format!(" and {} more", n - 5),
            _ => String::new(),
        };
        let origin = &bib.origins[first];
        diagnostics.push(
            Diagnostic::warning(
                &origin.path,
                origin.pos,
                format!(
                    "{} reference{} listed by `nocite = [\"*\"]` but never cited: {}{more}",
                    star_only.len(),
                    if star_only.len() == 1 { " is" } else { "s are" },
                    keys.join(", ")
                ),
            )
            .with_help(
                "name the works to list in `nocite`, or leave it out to list only cited works",
            ),
        );
    }
    if !everything {
        bib.retain(|_, r| cited.contains(r.key.as_str()) || named.contains(r.key.as_str()));
    }
    diagnostics
}

/// The ethics guard over every source: notes, file names, the files
/// copied to the site, bibliography files, the project's theme and
/// `book.toml` (outside its `[ethics]` table).
fn guard_sources(
    root: &Path,
    config: &Config,
    found: &discover::Discovered,
    bib_sources: &[bibliography::Source],
) -> Vec<Diagnostic> {
    let names = ethics::Names::new(&config.ethics.never_publish);
    if names.is_empty() {
        return Vec::new();
    }
    let mut diagnostics: Vec<Diagnostic> = found
        .files
        .par_iter()
        .flat_map_iter(|f| {
            let mut d =
                ethics::check_source(&f.display, &f.text, &names, ethics::Syntax::Text, None);
            d.extend(ethics::check_path(&f.display, &names));
            d
        })
        .collect();
    let mut unreadable = Vec::new();
    for a in &found.assets {
        match ethics::check_asset(&a.display, &a.bytes, &names) {
            Ok(d) => diagnostics.extend(d),
            Err(d) => {
                diagnostics.extend(d);
                unreadable.push(a.display.clone());
            }
        }
    }
    for s in bib_sources {
        let syntax = ethics::Syntax::of(&s.display);
        diagnostics.extend(ethics::check_source(
            &s.display, &s.text, &names, syntax, None,
        ));
    }
    // A project theme's templates and files are published too.
    let theme = Path::new("themes").join(&config.site.theme);
    for entry in walkdir::WalkDir::new(root.join(&theme))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let display = rel.to_string_lossy().replace('\\', "/");
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        match ethics::check_asset(&display, &bytes, &names) {
            Ok(d) => diagnostics.extend(d),
            Err(d) => {
                diagnostics.extend(d);
                unreadable.push(display);
            }
        }
    }
    diagnostics.extend(ethics::unreadable_warning(&unreadable));
    if let Ok(book) = std::fs::read_to_string(root.join(crate::config::FILE_NAME)) {
        let skip = ethics::ethics_table(&book);
        diagnostics.extend(ethics::check_source(
            crate::config::FILE_NAME,
            &book,
            &names,
            ethics::Syntax::Text,
            skip,
        ));
    }
    diagnostics
}

/// The `[paper]` of `book.toml` as a bibliography entry.
pub fn paper_reference(p: &Paper) -> Reference {
    let mut r = Reference {
        key: "paper".into(),
        kind: "article-journal".into(),
        ..Reference::default()
    };
    let names = p
        .authors
        .iter()
        .map(|a| match a.split_once(',') {
            Some((family, given)) => Name {
                family: Some(family.trim().to_string()),
                given: Some(given.trim().to_string()),
                ..Name::default()
            },
            None => Name::literal(a.trim()),
        })
        .collect();
    r.names.insert("author".into(), names);
    if let Some(d) = Date::parse_iso(&p.date) {
        r.dates.insert("issued".into(), d);
    }
    let mut put = |var: &str, v: &Option<String>| {
        if let Some(v) = v {
            r.fields
                .insert(var.into(), bibliography::clean_field(var, v));
        }
    };
    put("title", &Some(p.title.clone()));
    put("container-title", &p.journal);
    put("volume", &p.volume);
    put("issue", &p.issue);
    put("page", &p.pages);
    put("DOI", &p.doi);
    put("URL", &p.url);
    put("publisher", &p.publisher);
    put("ISSN", &p.issn);
    r
}
