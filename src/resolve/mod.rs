//! Resolve: one site-wide pass over all parsed pages.
//!
//! Places every page at its URL, checks ids and output paths for clashes,
//! resolves every link and anchor, collects back-links, and reports every
//! problem as a diagnostic. Pure: works on [`Page`]s, never on files.

use std::collections::{BTreeMap, BTreeSet};

use crate::bibliography::Bibliography;
use crate::diagnostic::{closest_path, did_you_mean, Diagnostic, Pos};
use crate::model::{
    Asset, Kind, LinkKind, LinkRef, Occurrence, Page, Resolved, Role, Site, SitePage, Target,
};
pub(crate) mod qual;
use crate::urls::{self, RESERVED_ROOT};

/// Link schemes that run code in the reader's browser; never emitted.
const UNSAFE_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The error for a site without `content/index.md`.
pub(crate) const NO_HOME_PAGE: &str = "the site has no home page";

/// Builds the site and every diagnostic about how its pages fit together.
/// `known_lang` tells whether the highlighter knows a code-fence language.
pub(crate) fn resolve(
    pages: Vec<Page>,
    assets: Vec<Asset>,
    bib: &Bibliography,
    known_lang: &dyn Fn(&str) -> bool,
    search: bool,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let pages = with_reference_pages(pages, bib, &mut diags);
    let mut pages = qual::with_index_pages(pages);
    // The A–Z index and the search page (unless `[build] search = false`);
    // a note at their path is their intro.
    for (rel, title, order, role) in [
        ("a-z/index.md", "A–Z index", 95, Role::AzIndex),
        ("search/index.md", "Search", 96, Role::Search),
    ] {
        if role == Role::Search && !search {
            continue;
        }
        match pages.iter_mut().find(|(p, _)| p.rel == rel) {
            Some(entry) => entry.1 = role,
            None => {
                let display = format!("content/{rel}");
                pages.push((Page::synthetic(rel, &display, title, Some(order)), role));
            }
        }
    }
    let mut placed = place(pages, &mut diags);
    placed.sort_by(|a, b| a.url.cmp(&b.url));
    if !placed.iter().any(|p| p.url.is_empty()) {
        diags.push(
            Diagnostic::error("content/index.md", Pos::START, NO_HOME_PAGE)
                .with_help("add content/index.md with a `title:` (and no `slug:`)"),
        );
    }
    let files = place_assets(&assets, &placed, &mut diags);

    let mut tables = Tables::new(&placed);
    tables.assets = files
        .iter()
        .map(|(rel, (out, _))| (*rel, out.as_str()))
        .collect();
    let mut backlinks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); placed.len()];
    let mut resolved = Vec::with_capacity(placed.len());
    for (i, sp) in placed.iter().enumerate() {
        let links: Vec<Resolved> = sp
            .page
            .links
            .iter()
            .map(|link| {
                tables.resolve(i, &sp.page, link).unwrap_or_else(|d| {
                    diags.push(d);
                    Resolved::External(String::new())
                })
            })
            .collect();
        for l in &links {
            if let Resolved::Internal(t) = l {
                if t.page != i {
                    backlinks[t.page].insert(i);
                }
            }
        }
        resolved.push(links);
        for code in &sp.page.code_langs {
            if !known_lang(&code.lang) {
                diags.push(
                    Diagnostic::warning(
                        &sp.page.display,
                        code.pos,
                        format!(
                            "unknown code language `{}`; shown without highlighting",
                            code.lang
                        ),
                    )
                    .with_help_opt(crate::render::highlight::suggest(&code.lang)),
                );
            }
        }
    }
    for (sp, links) in placed.iter_mut().zip(resolved) {
        sp.links = links;
    }
    for (sp, b) in placed.iter_mut().zip(backlinks) {
        sp.backlinks = b.into_iter().collect();
    }
    let (occurrences, cited_by) = cite(&mut placed, bib, &mut diags);
    let qual = qual::build(&placed, &mut diags);
    let assets = files
        .into_values()
        .map(|(out, a)| (out, a.bytes.clone()))
        .collect();
    (
        Site {
            pages: placed,
            assets,
            occurrences,
            cited_by,
            qual,
        },
        diags,
    )
}

/// Adds a page for every bibliography entry (the entry's own note from
/// `content/references/<key>.md` when there is one) and the citation index
/// at `references/`.
fn with_reference_pages(
    pages: Vec<Page>,
    bib: &Bibliography,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Page, Role)> {
    let mut out = Vec::with_capacity(pages.len() + bib.len() + 1);
    let mut notes: BTreeMap<usize, Page> = BTreeMap::new();
    let mut index = None;
    for mut page in pages {
        if page.rel == "references/index.md" {
            index = Some(page);
            continue;
        }
        if page.front.kind() != Kind::Reference {
            out.push((page, Role::Page));
            continue;
        }
        let key = match &page.front.data {
            crate::model::KindData::Reference(crate::model::ReferenceNote { key: Some(key) }) => {
                key.clone()
            }
            _ => default_id(&page.rel),
        };
        let pos = page
            .front
            .positions
            .get("key")
            .copied()
            .unwrap_or(Pos::START);
        let Some(r) = bib.get(&key) else {
            if bib.incomplete {
                // The bibliography's own error explains the missing entry;
                // the note keeps its place so links to it still resolve.
                out.push((page, Role::Page));
                continue;
            }
            diags.push(
                Diagnostic::error(
                    &page.display,
                    pos,
                    format!("no bibliography entry `{key}` for this reference note"),
                )
                .with_help_opt(bib.suggest(&key)),
            );
            continue;
        };
        if let Some(other) = notes.get(&r) {
            diags.push(Diagnostic::error(
                &page.display,
                pos,
                format!("`{key}` already has a reference note: {}", other.display),
            ));
            continue;
        }
        page.front.id = Some(key.clone());
        notes.insert(r, page);
    }
    if bib.is_empty() && index.is_none() {
        return out;
    }
    for (i, entry) in bib.refs.iter().enumerate() {
        let mut page = notes.remove(&i).unwrap_or_else(|| {
            let mut page = Page::synthetic(
                &format!("references/{}.md", entry.key),
                &bib.origins[i].path,
                "",
                None,
            );
            page.front.data = crate::model::KindData::of(Kind::Reference);
            page.front.id = Some(entry.key.clone());
            page
        });
        if page.front.title.is_empty() {
            page.front.title = entry.field("title").map_or_else(
                || {
                    // No title: "Rochester (2013)", from what the entry has.
                    let names: Vec<&str> = entry
                        .creators()
                        .iter()
                        .map(|n| n.family_or_literal())
                        .collect();
                    match (names.is_empty(), entry.year()) {
                        (false, Some(y)) => format!("{} ({y})", names.join(" and ")),
                        (false, None) => names.join(" and "),
                        (true, _) => entry.key.clone(),
                    }
                },
                str::to_string,
            );
        }
        page.front.slug = Some((urls::slugify(&entry.key), bib.origins[i].pos));
        out.push((page, Role::Reference(i)));
    }
    let index = index.unwrap_or_else(|| {
        Page::synthetic(
            "references/index.md",
            "content/references/index.md",
            "References",
            Some(80),
        )
    });
    out.push((index, Role::ReferenceIndex));
    out
}

/// Checks every citation key and numbers every occurrence. Returns the
/// occurrences and, for each entry, the occurrences that cite it.
fn cite(
    pages: &mut [SitePage],
    bib: &Bibliography,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Occurrence>, Vec<Vec<usize>>) {
    let mut occurrences = Vec::new();
    let mut cited_by = vec![Vec::new(); bib.len()];
    for (p, sp) in pages.iter_mut().enumerate() {
        let mut per_key: BTreeMap<String, usize> = BTreeMap::new();
        let mut ids = Vec::with_capacity(sp.page.citations.len());
        for (c, citation) in sp.page.citations.iter().enumerate() {
            let mut item_ids = Vec::with_capacity(citation.items.len());
            for (k, cref) in citation.items.iter().enumerate() {
                let key = &cref.item.key;
                let Some(r) = bib.get(key) else {
                    if bib.incomplete {
                        continue; // the bibliography's own error explains it
                    }
                    let help = bib.suggest(key).or_else(|| {
                        bib.is_empty().then(|| {
                            "no bibliography is configured: list files under [bibliography] in book.toml".to_string()
                        })
                    });
                    diags.push(
                        Diagnostic::error(
                            &sp.page.display,
                            cref.pos,
                            format!("unknown citation key `@{key}`"),
                        )
                        .with_help_opt(help),
                    );
                    continue;
                };
                let n = per_key.entry(key.clone()).or_insert(0);
                *n += 1;
                cited_by[r].push(occurrences.len());
                item_ids.push(occurrences.len());
                occurrences.push(Occurrence {
                    page: p,
                    citation: c,
                    item: k,
                    reference: r,
                    id: format!("cite-{}-{n}", urls::slugify(key)),
                });
            }
            ids.push(item_ids);
        }
        sp.occurrences = ids;
    }
    (occurrences, cited_by)
}

/// Output paths of the content folder's other files: folders are slugged
/// like page URLs, the file name is kept (and percent-encoded in links).
fn place_assets<'a>(
    assets: &'a [Asset],
    pages: &[SitePage],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<&'a str, (String, &'a Asset)> {
    let taken: BTreeSet<String> = pages
        .iter()
        .flat_map(|p| {
            [
                p.url.trim_end_matches('/').to_string(),
                urls::output_file(&p.url),
            ]
        })
        .collect();
    let mut out = BTreeMap::new();
    for a in assets {
        let name = a.rel.rsplit_once('/').map_or(a.rel.as_str(), |(_, n)| n);
        let path = urls::asset_path(&a.rel);
        let first = path.split('/').next().unwrap_or("");
        if taken.contains(&path) || RESERVED_ROOT.contains(&first) || name.starts_with('.') {
            diags.push(
                Diagnostic::error(
                    &a.display,
                    Pos::START,
                    format!(
                        "output path collision: /{path} is also a page or a file the site writes"
                    ),
                )
                .with_help("rename the file"),
            );
            continue;
        }
        out.insert(a.rel.as_str(), (path, a));
    }
    out
}

/// Gives each page its id and URL; drops pages whose URL clashes. A page
/// whose id is taken is still placed (links by path and the quotes naming
/// it work), but `[[id]]` goes to the page that had the id first: the one
/// whose id is its file name, if the other set `id:` itself.
fn place(mut pages: Vec<(Page, Role)>, diags: &mut Vec<Diagnostic>) -> Vec<SitePage> {
    pages.sort_by_key(|(p, _)| p.front.id.is_some());
    let mut by_url: BTreeMap<String, (String, Pos)> = BTreeMap::new();
    let mut by_id: BTreeMap<String, (String, Pos)> = BTreeMap::new();
    let mut placed = Vec::new();
    for (page, role) in pages {
        let slug = match &page.front.slug {
            Some((slug, pos)) => match urls::check_slug(slug) {
                Some(msg) => {
                    diags.push(Diagnostic::error(&page.display, *pos, msg));
                    continue;
                }
                None => Some(slug.as_str()),
            },
            None => None,
        };
        let stem = page.rel.strip_suffix(".md").unwrap_or(&page.rel);
        if let Some(seg) = stem.split('/').find(|s| urls::slugify(s).is_empty()) {
            diags.push(
                Diagnostic::error(
                    &page.display,
                    Pos::START,
                    format!("`{seg}` has no letters or digits to make a URL from"),
                )
                .with_help("rename the file or folder"),
            );
            continue;
        }
        let url = urls::page_url(&page.rel, slug);
        let first = url.split('/').next().unwrap_or("");
        if !url.is_empty() && RESERVED_ROOT.contains(&first) {
            let pos = page.front.slug.as_ref().map_or(Pos::START, |s| s.1);
            diags.push(
                Diagnostic::error(
                    &page.display,
                    pos,
                    format!("output path `/{url}` is reserved for the site's own files"),
                )
                .with_help("rename the file or set another `slug:`"),
            );
            continue;
        }
        // A bibliography entry's page is placed by its key, at the entry.
        let here = match role {
            Role::Reference(_) => page.front.slug.as_ref().map_or(Pos::START, |s| s.1),
            _ => Pos::START,
        };
        if let Some((other, other_pos)) = by_url.get(&url) {
            let help = match role {
                Role::Reference(_) => "these bibliography keys make the same URL; rename one key",
                _ => "rename one of the files or give one a `slug:`",
            };
            diags.push(
                Diagnostic::error(
                    &page.display,
                    here,
                    format!(
                        "output path collision: /{url} from {other}:{} and {}:{}",
                        other_pos.line, page.display, here.line
                    ),
                )
                .with_help(help),
            );
            continue;
        }
        let id = page
            .front
            .id
            .clone()
            .unwrap_or_else(|| default_id(&page.rel));
        let id_pos = page
            .front
            .positions
            .get("id")
            .copied()
            .unwrap_or(Pos::START);
        let id_taken = by_id.contains_key(&id);
        if let Some((other, other_pos)) = by_id.get(&id) {
            diags.push(
                Diagnostic::error(
                    &page.display,
                    id_pos,
                    format!(
                        "duplicate id `{id}`: also the id of {other}:{}",
                        other_pos.line
                    ),
                )
                .with_help("ids default to the file name; set `id:` in one of them"),
            );
        }
        by_url.insert(url.clone(), (page.display.clone(), here));
        by_id
            .entry(id.clone())
            .or_insert((page.display.clone(), id_pos));
        placed.push(SitePage {
            page,
            role,
            id,
            id_taken,
            url,
            links: Vec::new(),
            backlinks: Vec::new(),
            occurrences: Vec::new(),
        });
    }
    placed
}

/// The id a page has without `id:`: its file stem, or its folder's name for
/// an `index.md`.
pub(crate) fn default_id(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let mut parts = stem.rsplit('/');
    let last = parts.next().unwrap_or(stem);
    if last == "index" {
        parts.next().unwrap_or("index").to_string()
    } else {
        last.to_string()
    }
}

/// A suggested content path (`a/two.md`) as the link to write from the
/// note at `from_rel`: `two.md` beside it, `../b/x.md` elsewhere.
fn relative_hint(target: &str, from_rel: &str) -> String {
    let depth = from_rel.matches('/').count();
    let dir = from_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let rel = match target.strip_prefix(&format!("{dir}/")) {
        Some(inside) if depth > 0 => inside.to_string(),
        _ => format!("{}{target}", "../".repeat(depth)),
    };
    format!("did you mean `{rel}`?")
}

/// Whether a link path names a note (or a page URL) rather than a file.
fn is_note(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    path.ends_with(".md")
        || path.ends_with('/')
        || last.ends_with("index.html")
        || !last.contains('.')
}

/// Look-up tables over the placed pages.
struct Tables<'a> {
    pages: &'a [SitePage],
    /// Heading ids of each page.
    anchors: Vec<BTreeSet<&'a str>>,
    /// Other files: content path → output path.
    assets: BTreeMap<&'a str, &'a str>,
    by_rel: BTreeMap<&'a str, usize>,
    by_id: BTreeMap<&'a str, usize>,
    by_url: BTreeMap<&'a str, usize>,
}

impl<'a> Tables<'a> {
    fn new(pages: &'a [SitePage]) -> Self {
        let mut t = Tables {
            pages,
            anchors: pages
                .iter()
                .map(|p| p.page.headings.iter().map(|h| h.id.as_str()).collect())
                .collect(),
            assets: BTreeMap::new(),
            by_rel: BTreeMap::new(),
            by_id: BTreeMap::new(),
            by_url: BTreeMap::new(),
        };
        for (i, p) in pages.iter().enumerate() {
            t.by_rel.insert(&p.page.rel, i);
            if !p.id_taken {
                t.by_id.insert(&p.id, i);
            }
            t.by_url.insert(&p.url, i);
        }
        t
    }

    fn resolve(&self, from: usize, page: &Page, link: &LinkRef) -> Result<Resolved, Diagnostic> {
        let err = |msg: String| Diagnostic::error(&page.display, link.pos, msg);
        let target = link.target.trim();
        if link.kind == LinkKind::Email {
            return Ok(Resolved::External(target.to_string()));
        }
        if link.kind == LinkKind::Embed {
            let id = target.strip_prefix("quote:").unwrap_or(target).trim();
            let quotes = || {
                self.pages
                    .iter()
                    .filter(|p| p.page.front.kind() == Kind::Quote)
                    .map(|p| p.id.as_str())
            };
            return match self.by_id.get(id) {
                Some(&i) if self.pages[i].page.front.kind() == Kind::Quote => {
                    if page.front.kind() == Kind::Quote {
                        return Err(err("a quote cannot embed another quote".into()));
                    }
                    Ok(Resolved::Internal(Target {
                        page: i,
                        fragment: None,
                    }))
                }
                _ => Err(err(format!("unknown quote `{id}` in `![[quote:{id}]]`"))
                    .with_help_opt(did_you_mean(id, quotes()))),
            };
        }
        if link.kind != LinkKind::Wiki && urls::is_external(target) {
            let scheme = target.split(':').next().unwrap_or("").to_ascii_lowercase();
            if UNSAFE_SCHEMES.contains(&scheme.as_str()) {
                return Err(err(format!("`{scheme}:` links are not allowed"))
                    .with_help("link to a page or an http(s) address"));
            }
            return Ok(Resolved::External(target.to_string()));
        }
        let (path, fragment) = urls::split_fragment(target);
        let path = urls::decode(path);
        let fragment = fragment.map(urls::decode);
        let to = if path.is_empty() {
            from
        } else {
            match link.kind {
                LinkKind::Wiki => self.wiki(&path).ok_or_else(|| {
                    err(format!("link to unknown note `[[{path}]]`"))
                        .with_help_opt(did_you_mean(&path, self.by_id.keys().copied()))
                })?,
                LinkKind::Markdown | LinkKind::Image | LinkKind::Email if !is_note(&path) => {
                    return self.asset(&page.rel, &path).ok_or_else(|| {
                        let wanted = urls::join_relative(&page.rel, &path).unwrap_or(path.clone());
                        err(format!("link to missing file `{path}`")).with_help_opt(
                            closest_path(&wanted, self.assets.keys().copied())
                                .map(|c| relative_hint(c, &page.rel)),
                        )
                    });
                }
                LinkKind::Markdown | LinkKind::Image | LinkKind::Email | LinkKind::Embed => {
                    self.markdown(&page.rel, &path).ok_or_else(|| {
                        let wanted = urls::join_relative(&page.rel, &path).unwrap_or(path.clone());
                        err(format!("link to missing note `{path}`")).with_help_opt(
                            closest_path(&wanted, self.by_rel.keys().copied())
                                .map(|c| relative_hint(c, &page.rel)),
                        )
                    })?
                }
            }
        };
        if let Some(frag) = &fragment {
            let target = &self.pages[to].page;
            if !self.anchors[to].contains(frag.as_str()) {
                let anchors: Vec<String> = target
                    .headings
                    .iter()
                    .map(|h| format!("#{}", h.id))
                    .collect();
                let place = if to == from {
                    "this page".to_string()
                } else {
                    target.display.clone()
                };
                let help = match (
                    did_you_mean(frag, target.headings.iter().map(|h| h.id.as_str())),
                    anchors.is_empty(),
                ) {
                    (Some(d), _) => format!("{d} anchors there: {}", anchors.join(", ")),
                    (None, false) => format!("anchors there: {}", anchors.join(", ")),
                    (None, true) => "that page has no headings".to_string(),
                };
                return Err(err(format!("no heading `#{frag}` on {place}")).with_help(help));
            }
        }
        Ok(Resolved::Internal(Target { page: to, fragment }))
    }

    /// A file that is not a note, relative or from the content root.
    fn asset(&self, from_rel: &str, path: &str) -> Option<Resolved> {
        let rel = match path.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => urls::join_relative(from_rel, path)?,
        };
        self.assets
            .get(rel.as_str())
            .map(|out| Resolved::Asset(out.to_string()))
    }

    /// `[[id]]` or `[[path/to/note]]`.
    fn wiki(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        let name = name.strip_prefix("quote:").unwrap_or(name);
        self.by_id
            .get(name)
            .or_else(|| {
                self.by_rel
                    .get(format!("{}.md", name.trim_start_matches('/')).as_str())
            })
            .copied()
    }

    /// A relative `.md` path, or a root-absolute one (`/notes/a.md`, or a
    /// page URL such as `/notes/a/`), which is rewritten to a relative link.
    fn markdown(&self, from_rel: &str, path: &str) -> Option<usize> {
        if let Some(abs) = path.strip_prefix('/') {
            if let Some(i) = self.by_rel.get(abs) {
                return Some(*i);
            }
            let url = if abs.is_empty() || abs.ends_with('/') {
                abs.to_string()
            } else {
                format!("{abs}/")
            };
            let url = url.strip_suffix("index.html/").unwrap_or(&url);
            return self.by_url.get(url).copied();
        }
        let joined = urls::join_relative(from_rel, path)?;
        self.by_rel.get(joined.as_str()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFile;
    use crate::parse::markdown::parse_page;

    fn site(files: &[(&str, &str)]) -> (Site, Vec<String>) {
        let pages = files
            .iter()
            .map(|(rel, text)| {
                let (page, problems) = parse_page(&SourceFile {
                    rel: rel.to_string(),
                    display: format!("content/{rel}"),
                    text: (*text).into(),
                });
                assert!(problems.is_empty(), "{problems:?}");
                page
            })
            .collect();
        let (site, mut d) = resolve(
            pages,
            vec![],
            &Bibliography::default(),
            &|l| l == "rust",
            true,
        );
        crate::diagnostic::sort(&mut d);
        (site, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn links_resolve_and_backlinks_are_collected() {
        let (s, d) = site(&[
            (
                "index.md",
                "---\ntitle: Home\n---\n[A](a/x.md) [[y#part]]\n",
            ),
            (
                "a/x.md",
                "---\ntitle: X\n---\n[home](../index.md) [self](#top)\n# Top\n",
            ),
            ("y.md", "---\ntitle: Y\n---\n## Part\n"),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let home = s.pages.iter().position(|p| p.url.is_empty()).unwrap();
        let x = s.pages.iter().position(|p| p.url == "a/x/").unwrap();
        let y = s.pages.iter().position(|p| p.url == "y/").unwrap();
        assert_eq!(
            s.pages[home].links,
            [
                Resolved::Internal(Target {
                    page: x,
                    fragment: None
                }),
                Resolved::Internal(Target {
                    page: y,
                    fragment: Some("part".into())
                }),
            ]
        );
        assert_eq!(s.pages[x].backlinks, [home]);
        assert_eq!(s.pages[home].backlinks, [x]);
        assert_eq!(s.pages[y].backlinks, [home]);
    }

    #[test]
    fn broken_links_and_anchors_are_errors_with_help() {
        let (_, d) = site(&[
            ("index.md", "---\ntitle: Home\n---\n"),
            (
                "a/one.md",
                "---\ntitle: One\n---\n[x](tow.md) [[oen]] [y](two.md#nope)\n",
            ),
            (
                "a/two.md",
                "---\ntitle: Two\n---\n## Real heading\n```rustt\n```\n",
            ),
        ]);
        assert_eq!(
            d,
            [
                "content/a/one.md:4:1: error: link to missing note `tow.md`\n  = help: did you mean `two.md`?",
                "content/a/one.md:4:13: error: link to unknown note `[[oen]]`\n  = help: did you mean `one`?",
                "content/a/one.md:4:21: error: no heading `#nope` on content/a/two.md\n  = help: anchors there: #real-heading",
                "content/a/two.md:5:1: warning: unknown code language `rustt`; shown without highlighting\n  = help: did you mean `rust`?",
            ]
        );
    }

    #[test]
    fn collisions_and_duplicate_ids() {
        let (s, d) = site(&[
            ("index.md", "---\ntitle: Home\n---\n"),
            ("a b.md", "---\ntitle: A\n---\n"),
            ("a-b.md", "---\ntitle: B\n---\n"),
            ("x/n.md", "---\ntitle: N\n---\n"),
            ("y/n.md", "---\ntitle: N2\n---\n"),
        ]);
        // The page with a taken id is still placed; `[[n]]` finds the first.
        assert_eq!(s.pages.iter().filter(|p| p.role == Role::Page).count(), 4);
        let taken: Vec<&str> = s
            .pages
            .iter()
            .filter(|p| p.id_taken)
            .map(|p| p.page.rel.as_str())
            .collect();
        assert_eq!(taken, ["y/n.md"]);
        assert_eq!(
            d,
            [
                "content/a-b.md:1:1: error: output path collision: /a-b/ from content/a b.md:1 and content/a-b.md:1\n  = help: rename one of the files or give one a `slug:`",
                "content/y/n.md:1:1: error: duplicate id `n`: also the id of content/x/n.md:1\n  = help: ids default to the file name; set `id:` in one of them",
            ]
        );
    }

    #[test]
    fn unsafe_schemes_are_refused_and_root_links_rewritten() {
        let (s, d) = site(&[
            ("index.md", "---\ntitle: Home\n---\n"),
            (
                "a.md",
                "---\ntitle: A\n---\n[x](javascript:alert(1)) [y](/b/) [z](/b.md)\n",
            ),
            ("b.md", "---\ntitle: B\n---\n"),
        ]);
        assert_eq!(
            d,
            ["content/a.md:4:1: error: `javascript:` links are not allowed\n  = help: link to a page or an http(s) address"]
        );
        let b = s.pages.iter().position(|p| p.url == "b/").unwrap();
        let a = s.pages.iter().position(|p| p.url == "a/").unwrap();
        assert_eq!(
            s.pages[a].links[1],
            Resolved::Internal(Target {
                page: b,
                fragment: None
            })
        );
        assert_eq!(
            s.pages[a].links[2],
            Resolved::Internal(Target {
                page: b,
                fragment: None
            })
        );
    }

    #[test]
    fn default_ids() {
        assert_eq!(default_id("tensions/agency.md"), "agency");
        assert_eq!(default_id("tensions/index.md"), "tensions");
        assert_eq!(default_id("index.md"), "index");
    }
}
