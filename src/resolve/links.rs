//! Links: every link and anchor of every page resolved (with did-you-mean
//! help for the broken ones), back-links collected, and code-fence
//! languages the highlighter does not know reported.

use std::collections::{BTreeMap, BTreeSet};

use super::place::Placed;
use crate::diagnostic::{closest_path, did_you_mean, Diagnostic};
use crate::model::{Asset, Kind, LinkKind, LinkRef, Page, Resolved, Target};
use crate::urls;

/// Link schemes that run code in the reader's browser; never emitted.
const UNSAFE_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// Every page's links resolved (one per [`Page::links`] item), and every
/// page's back-links (sorted, without repeats). `files` are the content
/// folder's other files by content path, with their output paths.
pub(super) fn resolve_links(
    pages: &[Placed],
    files: &BTreeMap<&str, (String, &Asset)>,
    known_lang: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Vec<Resolved>>, Vec<Vec<usize>>) {
    let mut tables = Tables::new(pages);
    tables.assets = files
        .iter()
        .map(|(rel, (out, _))| (*rel, out.as_str()))
        .collect();
    let mut backlinks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
    let mut resolved = Vec::with_capacity(pages.len());
    for (i, sp) in pages.iter().enumerate() {
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
    let backlinks = backlinks
        .into_iter()
        .map(|b| b.into_iter().collect())
        .collect();
    (resolved, backlinks)
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
    pages: &'a [Placed],
    /// Heading ids and figure and table labels of each page.
    anchors: Vec<BTreeSet<&'a str>>,
    /// Other files: content path → output path.
    assets: BTreeMap<&'a str, &'a str>,
    by_rel: BTreeMap<&'a str, usize>,
    by_id: BTreeMap<&'a str, usize>,
    by_url: BTreeMap<&'a str, usize>,
}

impl<'a> Tables<'a> {
    fn new(pages: &'a [Placed]) -> Self {
        let mut t = Tables {
            pages,
            anchors: pages
                .iter()
                .map(|p| {
                    let headings = p.page.headings.iter().map(|h| h.id.as_str());
                    headings
                        .chain(p.page.labels.iter().map(|l| l.id.as_str()))
                        .collect()
                })
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
