//! Render: the resolved site into files in memory, pages in parallel.
//!
//! Page bodies come from `body`; the citation index, the reference pages,
//! per-page works cited, Highwire tags and downloads from `references`. Every
//! page goes through the theme's Tera templates. Pure: no disk.

mod body;
mod charts;
mod figures;
mod footnotes;
pub(crate) mod highlight;
mod indexes;
mod nav;
mod pager;
mod pictures;
mod print;
mod qual;
mod references;
mod search;
pub(crate) mod theme;

use rayon::prelude::*;
use serde::Serialize;

use crate::bibliography::{Bibliography, Reference};
use crate::config::Config;
use crate::csl::Formatted;
use crate::error::{Error, Result};
use crate::html;
use crate::model::{Files, Heading, Role, Site};
use crate::timings::Timings;
use crate::urls;
use crate::write::Sink;
use theme::Theme;

pub(crate) use body::{body, body_shown_at};
pub(crate) use nav::Tree;
pub(crate) use search::Builder as SearchIndex;

/// Where the theme's static files go in the output.
pub(crate) const ASSETS: &str = "assets";

/// Everything a render needs.
pub struct RenderContext<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub bib: &'a Bibliography,
    pub cites: &'a Formatted,
    /// The paper the companion accompanies, from `[paper]`.
    pub paper: Option<&'a Reference>,
    /// The citation style's opening bracket, delimiter and closing bracket.
    pub style_marks: (&'a str, &'a str, &'a str),
    /// The site's tree: folders, reading order, sidebars.
    pub tree: &'a Tree,
    /// Each quote's excerpt as listings show it, made once per build (a
    /// quote appears under each tension, its speaker, the quotes index).
    pub quote_excerpts: std::sync::OnceLock<Vec<String>>,
    /// The A–Z index's order, sorted once for all its pages.
    pub a_to_z: std::sync::OnceLock<Vec<(String, usize)>>,
    /// The metaphor index's order, sorted once for all its pages.
    pub metaphors: std::sync::OnceLock<Vec<usize>>,
    /// How the site's language writes dates for readers.
    pub dates: &'a crate::dates::DateFormat,
}

/// Renders every page and the site-wide files into `sink`, pages as they
/// are rendered (nothing holds the whole site in memory). Returns the
/// number of files, and with `keep_search` the search index (which `serve`
/// keeps to update; a build lets it go as soon as its files are written).
pub(crate) fn render(
    input: &RenderContext<'_>,
    sink: &dyn Sink,
    keep_search: bool,
) -> Result<(usize, Option<SearchIndex>)> {
    let site = input.site;
    let tera = templates(input.theme)?;
    let excerpts = site
        .qual
        .quotes
        .par_iter()
        .map(|q| qual::excerpt_of(&body(input, q.page).text))
        .collect();
    let _ = input.quote_excerpts.set(excerpts);
    // Every page of every page: a long listing is several.
    let jobs: Vec<(usize, usize)> = (0..site.pages.len())
        .flat_map(|i| (0..pages_of(input, i)).map(move |k| (i, k)))
        .collect();
    let search = input.config.build.search;
    // The search index is built on its own thread from the plain texts the
    // pages give as they render.
    let (texts, received) = std::sync::mpsc::channel::<(usize, String)>();
    let (pages, index) = std::thread::scope(|scope| {
        let indexer = search.then(|| {
            scope.spawn(move || {
                let mut clock = Timings::new();
                let mut builder = SearchIndex::new(input.site);
                for (i, text) in received {
                    builder.add(input, i, text);
                }
                let files = builder.files(input, keep_search);
                clock.lap("search index");
                (files, builder)
            })
        });
        let mut clock = Timings::new();
        let done = jobs.par_iter().try_for_each_with(texts, |texts, &(i, k)| {
            let (html, text) = render_page(input, &tera, i, k)?;
            if search && k == 0 {
                // The indexer only stops early if it panicked.
                let _ = texts.send((i, text));
            }
            let url = pager::url(&site.pages[i].url, k);
            sink.put(&urls::output_file(&url), html.as_bytes())
        });
        clock.lap("pages");
        let index = match done {
            Ok(()) => indexer.map(|h| h.join().expect("the search indexer does not panic")),
            Err(_) => None,
        };
        (done, index)
    });
    pages?;
    let mut search_files = 0;
    let index = match index {
        Some((files, builder)) => {
            search_files = files.len();
            for (path, text) in files {
                sink.put(&path, text.as_bytes())?;
            }
            keep_search.then_some(builder)
        }
        None => None,
    };
    let mut out = Files::new();
    for (path, bytes) in &site.assets {
        sink.put(path, bytes)?;
    }
    for (name, bytes) in &input.theme.static_files {
        sink.put(&format!("{ASSETS}/{name}"), bytes)?;
    }
    references::downloads(input, &mut out);
    let (light, dark) = highlight::stylesheets();
    out.insert(format!("{ASSETS}/syntax-light.css"), light.into_bytes());
    out.insert(format!("{ASSETS}/syntax-dark.css"), dark.into_bytes());
    out.insert(".nojekyll".into(), Vec::new());
    out.insert("404.html".into(), render_404(input, &tera)?.into_bytes());
    if let Some(base) = &input.config.site.base_url {
        let urls = jobs.iter().map(|&(i, k)| pager::url(&site.pages[i].url, k));
        out.extend(sitemaps(base, urls));
    }
    if let Some(cname) = &input.config.site.cname {
        out.insert("CNAME".into(), format!("{}\n", cname.trim()).into_bytes());
    }
    for (path, bytes) in &out {
        sink.put(path, bytes)?;
    }
    let files =
        jobs.len() + site.assets.len() + input.theme.static_files.len() + search_files + out.len();
    Ok((files, index))
}

/// Renders page `i` alone (the first page of a long listing, the only one
/// its note's text is on): its output path, HTML and plain text (`serve`
/// after an edit that changes nothing other pages show).
pub(crate) fn render_one(
    input: &RenderContext<'_>,
    tera: &tera::Tera,
    i: usize,
) -> Result<(String, String, String)> {
    let (html, text) = render_page(input, tera, i, 0)?;
    Ok((urls::output_file(&input.site.pages[i].url), html, text))
}

/// The theme's templates, compiled.
pub(crate) fn templates(theme: &Theme) -> Result<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str())),
    )
    .map_err(|e| Error::Template(e.to_string()))?;
    Ok(tera)
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    author: Option<&'a str>,
    language: &'a str,
    base_url: Option<&'a str>,
}

#[derive(Serialize)]
struct LinkCtx {
    title: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    summary: Option<&'a str>,
    date: Option<String>,
    /// The date as readers of the site's language write it.
    date_label: Option<String>,
    tags: &'a [String],
    /// The page's tags as links to their pages.
    tag_links: Vec<indexes::TagRow>,
    extra: &'a serde_yaml::Value,
    /// What only this kind of note has (`speaker`, `poles`…), by key.
    fields: serde_yaml::Value,
    /// Rendered body HTML.
    content: String,
    /// For a folder's `index.md`: the pages directly in that folder.
    children: Vec<ChildCtx<'a>>,
    toc: &'a [Heading],
    backlinks: Vec<LinkCtx>,
    /// The works this page cites, in the style's order.
    works_cited: Vec<references::WorkCtx>,
    /// Site-relative URL (`""` for the home page).
    url: &'a str,
    /// Source path, relative to the project root.
    source: &'a str,
}

#[derive(Serialize)]
struct ChildCtx<'a> {
    title: &'a str,
    href: String,
    summary: Option<&'a str>,
    kind: &'static str,
}

#[derive(Serialize)]
struct Assets {
    style: String,
    syntax_light: String,
    syntax_dark: String,
    /// Enhancements: the dark-mode toggle and citation previews.
    script: String,
    favicon: String,
    search_index: String,
    search_engine: String,
    search_script: String,
}

fn base_context(input: &RenderContext<'_>, from: &str, current: Option<usize>) -> tera::Context {
    let config = input.config;
    let mut ctx = tera::Context::new();
    let s = &config.site;
    ctx.insert(
        "site",
        &SiteCtx {
            title: &s.title,
            description: s.description.as_deref(),
            author: s.author.as_deref(),
            language: &s.language,
            base_url: s.base_url.as_deref(),
        },
    );
    let index_html = config.build.link_index_html;
    let asset = |name: &str| urls::relative_path(from, &format!("{ASSETS}/{name}"));
    ctx.insert(
        "assets",
        &Assets {
            style: asset("style.css"),
            syntax_light: asset("syntax-light.css"),
            syntax_dark: asset("syntax-dark.css"),
            script: asset("companion.js"),
            favicon: asset("favicon.svg"),
            search_index: asset("search-index.js"),
            search_engine: asset("vendor/elasticlunr.min.js"),
            search_script: asset("search.js"),
        },
    );
    ctx.insert("root", &urls::root_prefix(from));
    ctx.insert("home", &urls::relative_href(from, "", None, index_html));
    ctx.insert("nav", &nav(input, from, current, index_html));
    let root = urls::root_prefix(from);
    ctx.insert("sidebar_html", &nav::sidebar(input, &root, current));
    ctx.insert(
        "prev_next",
        &current.and_then(|i| nav::prev_next(input, &root, i)),
    );
    ctx.insert("pager", &pager::pager(from, 0, 1, index_html));
    ctx.insert("canonical", &None::<String>);
    ctx.insert("highwire", &Vec::<references::Meta>::new());
    ctx.insert("cite_this", &None::<references::CiteThisCtx>);
    let references =
        (!input.bib.is_empty()).then(|| urls::relative_href(from, "references/", None, index_html));
    ctx.insert("references_href", &references);
    ctx.insert(
        "az_href",
        &urls::relative_href(from, "a-z/", None, index_html),
    );
    ctx.insert(
        "print_href",
        &urls::relative_href(from, "print/", None, index_html),
    );
    let search = config
        .build
        .search
        .then(|| urls::relative_href(from, "search/", None, index_html));
    ctx.insert("search_href", &search);
    ctx.insert("index_html", &index_html);
    ctx
}

/// The navigation as seen from the page at `from`.
fn nav(
    input: &RenderContext<'_>,
    from: &str,
    current: Option<usize>,
    index_html: bool,
) -> Vec<LinkCtx> {
    input
        .tree
        .top
        .iter()
        .map(|&i| {
            let p = &input.site.pages[i];
            LinkCtx {
                title: p.page.front.title.clone(),
                href: urls::relative_href(from, &p.url, None, index_html),
                current: Some(i) == current,
            }
        })
        .collect()
}

/// The link from the page at `from` to the page of bibliography entry `r`.
pub(crate) fn reference_href(input: &RenderContext<'_>, from: &str, r: usize) -> String {
    let url = format!("references/{}/", urls::slugify(&input.bib.refs[r].key));
    urls::relative_href(from, &url, None, input.config.build.link_index_html)
}

/// An error for each note whose URL is that of a later page of a long
/// listing (`tensions/power/page/2.md` beside a tension whose quotes fill
/// two pages): the listing's page would overwrite it.
pub(crate) fn listing_clashes(input: &RenderContext<'_>) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Pos};
    let site = input.site;
    let mut out = Vec::new();
    for (i, listing) in site.pages.iter().enumerate() {
        for k in 1..pages_of(input, i) {
            let url = pager::url(&listing.url, k);
            if let Ok(n) = site.pages.binary_search_by(|p| p.url.as_str().cmp(&url)) {
                let note = &site.pages[n].page;
                out.push(
                    Diagnostic::error(
                        &note.display,
                        Pos::START,
                        format!(
                            "output path collision: /{url} is page {} of the listing at /{}",
                            k + 1,
                            listing.url
                        ),
                    )
                    .with_help("rename the file or give it another `slug:`"),
                );
            }
        }
    }
    out
}

/// How many pages page `i` takes: one, or more for a long listing.
fn pages_of(input: &RenderContext<'_>, i: usize) -> usize {
    let build = &input.config.build;
    let (len, size) = match listing_len(input, i) {
        Listing::Cards(len) => (len, build.page_size.get()),
        Listing::Works(len) => (len, build.references_page_size.get()),
        Listing::Lines(len) => (len, build.a_z_page_size.get()),
        Listing::None => return 1,
    };
    pager::count(len, size)
}

/// The entries of a page that lists many.
enum Listing {
    /// Quote cards: `[build] page-size` to a page.
    Cards(usize),
    /// Works of the citation index: `[build] references-page-size`.
    Works(usize),
    /// Lines of the A–Z index: `[build] a-z-page-size` to a page.
    Lines(usize),
    None,
}

fn listing_len(input: &RenderContext<'_>, i: usize) -> Listing {
    let site = input.site;
    let q = &site.qual;
    match site.pages[i].role {
        Role::QuoteIndex => Listing::Cards(q.tensions.iter().map(|t| t.quotes.len()).sum()),
        Role::MetaphorIndex => Listing::Cards(qual::metaphor_order(input).len()),
        Role::ReferenceIndex => Listing::Works(input.cites.order.len()),
        Role::AzIndex => Listing::Lines(indexes::a_to_z_order(input).len()),
        Role::Tag(k) => Listing::Lines(site.tags[k].pages.len()),
        Role::Page => match (q.tension_of(i), q.participant_of(i)) {
            (Some(t), _) => Listing::Cards(q.tensions[t].quotes.len()),
            (None, Some(n)) => Listing::Cards(q.participants[n].quotes.len()),
            (None, None) => Listing::None,
        },
        _ => Listing::None,
    }
}

/// Page `k` (0-based) of page `i` as HTML, and its body's plain text. The
/// note's own text, contents and links are on the first page only; later
/// pages carry the listing on.
fn render_page(
    input: &RenderContext<'_>,
    tera: &tera::Tera,
    i: usize,
    k: usize,
) -> Result<(String, String)> {
    let site = input.site;
    let config = input.config;
    let sp = &site.pages[i];
    let fm = &sp.page.front;
    let index_html = config.build.link_index_html;
    let from = pager::url(&sp.url, k);
    let mut ctx = base_context(input, &from, Some(i));
    let total = pages_of(input, i);
    ctx.insert("pager", &pager::pager(&sp.url, k, total, index_html));
    let first = k == 0;
    let body = if first {
        body(input, i)
    } else {
        body::Body {
            html: String::new(),
            text: String::new(),
        }
    };
    let backlinks = sp
        .backlinks
        .iter()
        .filter(|_| first)
        .map(|&b| LinkCtx {
            title: site.pages[b].page.front.title.clone(),
            href: urls::relative_href(&from, &site.pages[b].url, None, index_html),
            current: false,
        })
        .collect();
    let works_cited = if first {
        references::works_cited(input, i)
    } else {
        Vec::new()
    };
    // A tension shows the years of the works it cites.
    let cited_years = match site.qual.tension_of(i) {
        Some(_) if sp.role == Role::Page => pictures::cited_years(&works_cited),
        _ => String::new(),
    };
    ctx.insert("cited_years_svg", &cited_years);
    ctx.insert(
        "page",
        &PageCtx {
            id: &sp.id,
            title: &fm.title,
            kind: fm.kind().name(),
            summary: fm.summary.as_deref(),
            date: fm.date.map(|d| d.to_string()),
            date_label: fm.date.map(|d| input.dates.format(&d.to_string())),
            tags: &fm.tags,
            tag_links: indexes::tag_links(input, &from, &fm.tags),
            extra: &fm.extra,
            fields: fm.data.fields(),
            content: body.html,
            children: if first {
                children(input, i, index_html)
            } else {
                Vec::new()
            },
            toc: if first { &sp.page.headings } else { &[] },
            backlinks,
            works_cited,
            url: &from,
            source: &sp.page.display,
        },
    );
    let canonical = config
        .site
        .base_url
        .as_ref()
        .map(|b| format!("{b}{}", urls::encode(&from, true)));
    ctx.insert("canonical", &canonical);
    if first {
        ctx.insert(
            "cite_this",
            &references::cite_this(input, i, canonical.as_deref()),
        );
    }
    let highwire = match sp.role {
        Role::Reference(r) => references::highwire(&input.bib.refs[r]),
        _ => input.paper.map(references::highwire).unwrap_or_default(),
    };
    ctx.insert("highwire", &highwire);
    let cards = pager::Slice {
        k,
        size: config.build.page_size.get(),
    };
    let from = from.as_str();
    let name = match sp.role {
        Role::Reference(r) => {
            ctx.insert("reference", &references::reference(input, from, r));
            "reference.html".to_string()
        }
        Role::ReferenceIndex => {
            let works = pager::Slice {
                k,
                size: config.build.references_page_size.get(),
            };
            ctx.insert(
                "references",
                &references::all_references(input, from, works),
            );
            ctx.insert("downloads", &references::all_downloads(from));
            let (svg, years) = if first {
                pictures::by_year(input, from)
            } else {
                (String::new(), Vec::new())
            };
            ctx.insert("years_svg", &svg);
            ctx.insert("years", &years);
            "references.html".to_string()
        }
        Role::TensionIndex => {
            ctx.insert("tensions", &qual::tensions(input, from));
            ctx.insert("tension_map_svg", &pictures::tension_map(input, from));
            ctx.insert("cooccurrence_svg", &pictures::cooccurrence(input, from));
            "tensions.html".to_string()
        }
        Role::QuoteIndex => {
            let (toc, groups) = qual::quotes_by_tension(input, &sp.url, cards);
            ctx.insert("toc", &toc);
            ctx.insert("groups", &groups);
            "quotes.html".to_string()
        }
        Role::ParticipantIndex => {
            ctx.insert("participants", &qual::participants(input, from));
            let (svg, table) = pictures::matrix(input, from);
            ctx.insert("matrix_svg", &svg);
            ctx.insert("matrix_table", &table);
            "participants.html".to_string()
        }
        Role::MetaphorIndex => {
            ctx.insert("metaphors", &qual::metaphors(input, from, cards));
            "metaphors.html".to_string()
        }
        Role::AzIndex => {
            let lines = pager::Slice {
                k,
                size: config.build.a_z_page_size.get(),
            };
            let (toc, letters) = indexes::a_to_z(input, &sp.url, lines);
            ctx.insert("toc", &toc);
            ctx.insert("letters", &letters);
            "a-z.html".to_string()
        }
        Role::Search => "search.html".to_string(),
        Role::Print => {
            match print::whole(input) {
                print::Whole::Sections(sections, works) => {
                    ctx.insert("sections", &sections);
                    ctx.insert("works", &works);
                    ctx.insert("too_many", &0);
                }
                print::Whole::TooLarge(n) => {
                    ctx.insert("sections", &Vec::<print::Section>::new());
                    ctx.insert("works", &Vec::<print::Work>::new());
                    ctx.insert("too_many", &n);
                }
            }
            ctx.insert(
                "print_style",
                &urls::relative_path(from, &format!("{ASSETS}/print.css")),
            );
            "print.html".to_string()
        }
        Role::TagIndex => {
            ctx.insert("tags", &indexes::tags(input, from));
            "tags.html".to_string()
        }
        Role::Tag(t) => {
            let lines = pager::Slice {
                k,
                size: config.build.a_z_page_size.get(),
            };
            ctx.insert("groups", &indexes::tag(input, &sp.url, t, lines));
            "tag.html".to_string()
        }
        Role::PolicyIndex => {
            ctx.insert("timeline", &indexes::timeline(input, from));
            "timeline.html".to_string()
        }
        Role::Page => {
            let q = &site.qual;
            if let Some(t) = q.tension_of(i) {
                ctx.insert("tension", &qual::tension(input, from, t, cards));
                let shared = if first {
                    pictures::shared(input, from, t)
                } else {
                    Vec::new()
                };
                ctx.insert("shared", &shared);
            } else if let Some(n) = q.quote_of(i) {
                ctx.insert("quote", &qual::quote(input, from, n));
            } else if let Some(n) = q.participant_of(i) {
                ctx.insert("participant", &qual::participant(input, from, n, cards));
                let by_tension = if first {
                    pictures::by_tension(input, from, n)
                } else {
                    Vec::new()
                };
                ctx.insert("by_tension", &by_tension);
            }
            let kind_template = format!("{}.html", fm.kind().name());
            if tera.get_template_names().any(|n| n == kind_template) {
                kind_template
            } else {
                "page.html".to_string()
            }
        }
    };
    let html = tera
        .render(&name, &ctx)
        .map_err(|e| Error::Template(format!("{name} for {}: {e}", sp.page.display)))?;
    Ok((html, body.text))
}

/// Pages one level below a folder's `index.md`, by `order` then title.
/// The home page has none: the navigation lists the top level.
fn children<'a>(input: &RenderContext<'a>, i: usize, index_html: bool) -> Vec<ChildCtx<'a>> {
    let site = input.site;
    let sp = &site.pages[i];
    let is_index = sp.page.rel == "index.md" || sp.page.rel.ends_with("/index.md");
    if sp.url.is_empty() || !is_index || sp.role != Role::Page {
        return Vec::new();
    }
    input
        .tree
        .children(i)
        .iter()
        .map(|&k| {
            let p = &site.pages[k];
            ChildCtx {
                title: &p.page.front.title,
                href: urls::relative_href(&sp.url, &p.url, None, index_html),
                summary: p.page.front.summary.as_deref(),
                kind: p.page.front.kind().name(),
            }
        })
        .collect()
}

fn render_404(input: &RenderContext<'_>, tera: &tera::Tera) -> Result<String> {
    // GitHub Pages serves 404.html at whatever depth was asked for, so its
    // links are relative to a `<base href>`: the site's base URL, or `/`.
    let mut ctx = base_context(input, "", None);
    let base = input
        .config
        .site
        .base_url
        .clone()
        .unwrap_or_else(|| "/".into());
    ctx.insert("base_href", &base);
    tera.render("404.html", &ctx)
        .map_err(|e| Error::Template(format!("404.html: {e}")))
}

/// The most URLs one sitemap file may list (sitemaps.org).
const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml` listing every page's URL, or, for a site with more pages
/// than one sitemap may list, `sitemap.xml` as an index of `sitemap-1.xml`,
/// `sitemap-2.xml`… of up to [`SITEMAP_URLS`] each.
fn sitemaps(base: &str, urls: impl Iterator<Item = String>) -> Vec<(String, Vec<u8>)> {
    let urls: Vec<String> = urls.collect();
    let urlset = |chunk: &[String]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for url in chunk {
            xml.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                html::escape(&format!("{base}{}", urls::encode(url, true)))
            ));
        }
        xml.push_str("</urlset>\n");
        xml.into_bytes()
    };
    if urls.len() <= SITEMAP_URLS {
        return vec![("sitemap.xml".into(), urlset(&urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in urls.chunks(SITEMAP_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            html::escape(&format!("{base}{name}"))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index.into_bytes()));
    files
}
