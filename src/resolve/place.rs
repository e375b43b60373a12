//! Placement: every page at its URL with its id, every other file at its
//! output path; clashes and reserved paths are errors.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostic::{Diagnostic, Pos};
use crate::model::{Asset, Page, Role};
use crate::urls::{self, RESERVED_ROOT};

/// Where a page asks to go: its id and last URL segment when it sets them
/// (a bibliography entry's page asks for its key, at the entry's line).
#[derive(Debug, Clone, Default)]
pub(super) struct Placement {
    pub(super) id: Option<String>,
    /// The slug, with the position errors about it point at.
    pub(super) slug: Option<(String, Pos)>,
}

impl Placement {
    /// What a note's front matter asks for.
    pub(super) fn of(page: &Page) -> Placement {
        Placement {
            id: page.front.id.clone(),
            slug: page.front.slug.clone(),
        }
    }
}

/// A page at its URL, with its id: what links, citations and the
/// qualitative cross-references are resolved against.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub(crate) page: Box<Page>,
    pub(crate) role: Role,
    pub(crate) id: String,
    /// Another page has the same id (an error): `[[id]]` goes to that one.
    pub(crate) id_taken: bool,
    pub(crate) url: String,
}

/// Output paths of the content folder's other files: folders are slugged
/// like page URLs, the file name is kept (and percent-encoded in links).
pub(super) fn place_assets<'a>(
    assets: &'a [Asset],
    pages: &[Placed],
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
pub(super) fn place(
    mut pages: Vec<(Box<Page>, Role, Placement)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Placed> {
    pages.sort_by_key(|(_, _, at)| at.id.is_some());
    // Looked up, never walked: hash maps keep this step linear.
    let mut by_url: HashMap<String, (String, Pos)> = HashMap::with_capacity(pages.len());
    let mut by_id: HashMap<String, (String, Pos)> = HashMap::with_capacity(pages.len());
    let mut placed = Vec::with_capacity(pages.len());
    for (page, role, at) in pages {
        let slug = match &at.slug {
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
            let pos = at.slug.as_ref().map_or(Pos::START, |s| s.1);
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
            Role::Reference(_) => at.slug.as_ref().map_or(Pos::START, |s| s.1),
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
        let id = at.id.unwrap_or_else(|| default_id(&page.rel));
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
        placed.push(Placed {
            page,
            role,
            id,
            id_taken,
            url,
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
