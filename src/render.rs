//! Render: the resolved site into files in memory, pages in parallel.
//!
//! Markdown events are rewritten (resolved links become relative hrefs,
//! code blocks are highlighted, raw HTML is escaped unless allowed) and the
//! result goes through the theme's Tera templates. Pure: no disk.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::highlight;
use crate::model::{Heading, Output, Resolved, Site, SitePage};
use crate::theme::Theme;
use crate::urls;

/// Where the theme's static files go in the output.
pub const ASSETS: &str = "assets";

/// Renders every page and the site-wide files.
pub fn render(config: &Config, site: &Site, theme: &Theme) -> Result<Output> {
    let tera = templates(theme)?;
    let pages: Vec<(String, Vec<u8>)> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, _)| {
            let html = render_page(config, site, &tera, i)?;
            Ok((urls::output_file(&site.pages[i].url), html.into_bytes()))
        })
        .collect::<Result<_>>()?;
    let mut out: Output = pages.into_iter().collect();

    for (path, bytes) in &site.assets {
        out.insert(path.clone(), bytes.clone());
    }
    for (name, bytes) in &theme.static_files {
        out.insert(format!("{ASSETS}/{name}"), bytes.clone());
    }
    let (light, dark) = highlight::stylesheets();
    out.insert(format!("{ASSETS}/syntax-light.css"), light.into_bytes());
    out.insert(format!("{ASSETS}/syntax-dark.css"), dark.into_bytes());
    out.insert(".nojekyll".into(), Vec::new());
    out.insert(
        "404.html".into(),
        render_404(config, site, &tera)?.into_bytes(),
    );
    if let Some(base) = &config.site.base_url {
        out.insert("sitemap.xml".into(), sitemap(base, site).into_bytes());
    }
    if let Some(cname) = &config.site.cname {
        out.insert("CNAME".into(), format!("{}\n", cname.trim()).into_bytes());
    }
    Ok(out)
}

fn templates(theme: &Theme) -> Result<tera::Tera> {
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
    date: Option<&'a str>,
    tags: &'a [String],
    extra: &'a serde_yaml::Value,
    fields: &'a std::collections::BTreeMap<String, serde_yaml::Value>,
    /// Rendered body HTML.
    content: String,
    /// For a folder's `index.md`: the pages directly in that folder.
    children: Vec<ChildCtx<'a>>,
    toc: &'a [Heading],
    backlinks: Vec<LinkCtx>,
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
}

fn base_context(config: &Config, site: &Site, from: &str, current: Option<usize>) -> tera::Context {
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
        },
    );
    ctx.insert("root", &urls::root_prefix(from));
    ctx.insert("home", &urls::relative_href(from, "", None, index_html));
    ctx.insert("nav", &nav(site, from, current, index_html));
    ctx
}

/// Top-level pages, by `order` then title.
fn nav(site: &Site, from: &str, current: Option<usize>, index_html: bool) -> Vec<LinkCtx> {
    let mut top: Vec<(usize, &SitePage)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.url.matches('/').count() == 1)
        .collect();
    top.sort_by(|(_, a), (_, b)| sort_key(a).cmp(&sort_key(b)));
    top.into_iter()
        .map(|(i, p)| LinkCtx {
            title: p.page.front.title.clone(),
            href: urls::relative_href(from, &p.url, None, index_html),
            current: Some(i) == current,
        })
        .collect()
}

fn render_page(config: &Config, site: &Site, tera: &tera::Tera, i: usize) -> Result<String> {
    let sp = &site.pages[i];
    let fm = &sp.page.front;
    let index_html = config.build.link_index_html;
    let mut ctx = base_context(config, site, &sp.url, Some(i));
    let backlinks = sp
        .backlinks
        .iter()
        .map(|&b| LinkCtx {
            title: site.pages[b].page.front.title.clone(),
            href: urls::relative_href(&sp.url, &site.pages[b].url, None, index_html),
            current: false,
        })
        .collect();
    ctx.insert(
        "page",
        &PageCtx {
            id: &sp.id,
            title: &fm.title,
            kind: fm.kind().name(),
            summary: fm.summary.as_deref(),
            date: fm.date.as_deref(),
            tags: &fm.tags,
            extra: &fm.extra,
            fields: &fm.fields,
            content: body_html(config, site, i),
            children: children(site, i, index_html),
            toc: &sp.page.headings,
            backlinks,
            url: &sp.url,
            source: &sp.page.display,
        },
    );
    let canonical = config
        .site
        .base_url
        .as_ref()
        .map(|b| format!("{b}{}", urls::encode(&sp.url, true)));
    ctx.insert("canonical", &canonical);
    let kind_template = format!("{}.html", fm.kind().name());
    let name = if tera.get_template_names().any(|n| n == kind_template) {
        kind_template.as_str()
    } else {
        "page.html"
    };
    tera.render(name, &ctx)
        .map_err(|e| Error::Template(format!("{name} for {}: {e}", sp.page.display)))
}

/// Pages one level below a folder's `index.md`, by `order` then title.
/// The home page has none: the navigation lists the top level.
fn children(site: &Site, i: usize, index_html: bool) -> Vec<ChildCtx<'_>> {
    let sp = &site.pages[i];
    let is_index = sp.page.rel == "index.md" || sp.page.rel.ends_with("/index.md");
    if sp.url.is_empty() || !is_index {
        return Vec::new();
    }
    let mut kids: Vec<&SitePage> = site
        .pages
        .iter()
        .filter(|p| {
            p.url
                .strip_prefix(sp.url.as_str())
                .is_some_and(|rest| !rest.is_empty() && rest.matches('/').count() == 1)
        })
        .collect();
    kids.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    kids.into_iter()
        .map(|p| ChildCtx {
            title: &p.page.front.title,
            href: urls::relative_href(&sp.url, &p.url, None, index_html),
            summary: p.page.front.summary.as_deref(),
            kind: p.page.front.kind().name(),
        })
        .collect()
}

/// Sibling order: `order` (unset last), then title, then URL.
fn sort_key(p: &SitePage) -> (i64, &str, &str) {
    (
        p.page.front.order.unwrap_or(i64::MAX),
        &p.page.front.title,
        &p.url,
    )
}

fn render_404(config: &Config, site: &Site, tera: &tera::Tera) -> Result<String> {
    // GitHub Pages serves 404.html at whatever depth was asked for, so its
    // links are relative to a `<base href>`: the site's base URL, or `/`.
    let mut ctx = base_context(config, site, "", None);
    let base = config.site.base_url.clone().unwrap_or_else(|| "/".into());
    ctx.insert("base_href", &base);
    tera.render("404.html", &ctx)
        .map_err(|e| Error::Template(format!("404.html: {e}")))
}

fn sitemap(base: &str, site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in &site.pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            highlight::escape(&format!("{base}{}", urls::encode(&p.url, true)))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The body of page `i` as HTML, with links resolved and code highlighted.
pub fn body_html(config: &Config, site: &Site, i: usize) -> String {
    let sp = &site.pages[i];
    let index_html = config.build.link_index_html;
    let mut events: Vec<Event<'_>> = Vec::with_capacity(sp.page.events.len());
    let mut links = sp.page.links.iter().zip(&sp.links).peekable();
    let mut code: Option<(String, String)> = None;
    let mut skip_link_text = false;

    for (at, event) in sp.page.events.iter().enumerate() {
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().expect("inside code");
                    events.push(Event::Html(code_block(&lang, &text).into()));
                }
                _ => {}
            }
            continue;
        }
        if skip_link_text {
            if let Event::End(TagEnd::Link) = event {
                skip_link_text = false;
                events.push(event.clone());
            }
            continue;
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url: _,
                title,
                id,
            }) if links.peek().is_some_and(|(l, _)| l.event == at) => {
                let (_, resolved) = links.next().expect("peeked");
                let href = href_for(site, &sp.url, resolved, index_html);
                events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: href.into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
                if let (LinkType::WikiLink { has_pothole: false }, Resolved::Internal(t)) =
                    (link_type, resolved)
                {
                    let target = &site.pages[t.page].page;
                    let mut label = target.front.title.clone();
                    if let Some(h) = t
                        .fragment
                        .as_ref()
                        .and_then(|f| target.headings.iter().find(|h| &h.id == f))
                    {
                        label = format!("{label} › {}", h.text);
                    }
                    events.push(Event::Text(label.into()));
                    skip_link_text = true;
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url: _,
                title,
                id,
            }) if links.peek().is_some_and(|(l, _)| l.event == at) => {
                let (_, resolved) = links.next().expect("peeked");
                events.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: href_for(site, &sp.url, resolved, index_html).into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Html(raw) | Event::InlineHtml(raw) if !config.build.allow_raw_html => {
                events.push(Event::Text(CowStr::Borrowed(raw)));
            }
            other => events.push(other.clone()),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The `href` of a resolved link, relative to the page at `from`.
fn href_for(site: &Site, from: &str, resolved: &Resolved, index_html: bool) -> String {
    match resolved {
        Resolved::External(url) => url.clone(),
        Resolved::Asset(path) => urls::relative_path(from, path),
        Resolved::Internal(t) => urls::relative_href(
            from,
            &site.pages[t.page].url,
            t.fragment.as_deref(),
            index_html,
        ),
    }
}

fn code_block(lang: &str, code: &str) -> String {
    if lang.is_empty() {
        return format!(
            "<pre class=\"code\"><code>{}</code></pre>\n",
            highlight::escape(code)
        );
    }
    let lang_attr = highlight::escape(lang);
    format!(
        "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
        highlight::highlight(lang, code)
    )
}
