//! The site as a tree, for readers who move through it: each page's
//! folder, each folder's pages in `order`, the reading order (the tree
//! depth first, as a book reads), the sidebar a page shows and its
//! previous and next pages.
//!
//! Built once per build. A sidebar lists the top level; the folders on
//! the way to the current page are open, other folders list their pages
//! when they are short. A long folder (the quotes, the references) shows a
//! window of its pages around the current one and a link to all of them,
//! so every page's sidebar stays small however large the site.

use serde::Serialize;

use super::RenderContext;
use crate::model::{Role, Site, SitePage};
use crate::urls;

/// The most pages a folder lists in a sidebar.
const SIDEBAR_WINDOW: usize = 24;

/// The site's tree, by index in [`Site::pages`].
#[derive(Debug, Default)]
pub struct Tree {
    /// The top level (the home page's children), in order.
    pub top: Vec<usize>,
    /// Each page's folder page (`None` for the home page and for pages
    /// outside the tree: search, A–Z).
    parent: Vec<Option<usize>>,
    /// Each folder page's pages, in order (empty for the others).
    children: Vec<Vec<usize>>,
    /// Each page's place in the reading order.
    position: Vec<Option<usize>>,
    /// Each page's place among its folder's pages.
    rank: Vec<usize>,
    /// Every page in the tree, depth first.
    reading: Vec<usize>,
    /// Each page's URL as a link from the site root (`index.html` added
    /// when links name it).
    hrefs: Vec<String>,
    /// Each page's title, escaped for HTML.
    titles: Vec<String>,
}

/// Pages outside the tree: the masthead links search, every footer the
/// A–Z index and the printable whole.
fn in_tree(p: &SitePage) -> bool {
    !matches!(p.role, Role::Search | Role::AzIndex | Role::Print)
}

/// Sibling order: `order` (unset last), then title, then URL.
pub(super) fn sort_key(p: &SitePage) -> (i64, &str, &str) {
    (
        p.page.front.order.unwrap_or(i64::MAX),
        &p.page.front.title,
        &p.url,
    )
}

impl Tree {
    /// The tree of `site`, whose pages are sorted by URL.
    pub fn of(site: &Site, index_html: bool) -> Tree {
        let n = site.pages.len();
        let find = |url: &str| {
            site.pages
                .binary_search_by(|p| p.url.as_str().cmp(url))
                .ok()
        };
        let home = find("");
        let mut parent = vec![None; n];
        let mut children = vec![Vec::new(); n];
        for (i, p) in site.pages.iter().enumerate() {
            if p.url.is_empty() || !in_tree(p) {
                continue;
            }
            // The nearest folder above that is a page (every folder with
            // pages has one; the home page at worst).
            let mut up = p.url.trim_end_matches('/');
            let folder = loop {
                match up.rfind('/') {
                    Some(cut) => {
                        up = &up[..cut];
                        if let Some(f) = find(&format!("{up}/")) {
                            break Some(f);
                        }
                    }
                    None => break home,
                }
            };
            parent[i] = folder;
            if let Some(f) = folder {
                children[f].push(i);
            }
        }
        let mut rank = vec![0; n];
        for kids in &mut children {
            kids.sort_by(|&a, &b| sort_key(&site.pages[a]).cmp(&sort_key(&site.pages[b])));
            for (r, &k) in kids.iter().enumerate() {
                rank[k] = r;
            }
        }
        let top = home.map(|h| children[h].clone()).unwrap_or_default();
        let mut reading = Vec::with_capacity(n);
        let mut stack: Vec<usize> = home.into_iter().collect();
        while let Some(i) = stack.pop() {
            reading.push(i);
            stack.extend(children[i].iter().rev());
        }
        let mut position = vec![None; n];
        for (at, &i) in reading.iter().enumerate() {
            position[i] = Some(at);
        }
        let hrefs = site
            .pages
            .iter()
            .map(|p| {
                let mut href = urls::encode(&p.url, true);
                if index_html {
                    href.push_str("index.html");
                }
                href
            })
            .collect();
        let titles = site
            .pages
            .iter()
            .map(|p| crate::html::escape(&p.page.front.title))
            .collect();
        Tree {
            top,
            parent,
            children,
            position,
            rank,
            reading,
            hrefs,
            titles,
        }
    }

    /// The pages of folder page `i`, in order.
    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Every page in the tree, depth first, with its depth (1 for the top
    /// level; the home page is 0).
    pub fn reading_with_depth(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.reading.iter().map(|&i| (i, self.ancestors(i).count()))
    }

    /// Page `i`'s folders, nearest first.
    fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent[i], |&p| self.parent[p])
    }

    /// The link to page `i` from a page whose root prefix is `root`.
    fn href(&self, root: &str, i: usize) -> String {
        let href = format!("{root}{}", self.hrefs[i]);
        if href.is_empty() {
            "./".into()
        } else {
            href
        }
    }
}

/// The sidebar seen from page `current` (none for the 404 page), whose
/// links start from the site root at `root`: the top level, and under each
/// folder a disclosure of its pages, as HTML (`<ul>…</ul>`). Written
/// directly rather than through a template: every page has one, and this is
/// several times faster.
pub(super) fn sidebar(input: &RenderContext<'_>, root: &str, current: Option<usize>) -> String {
    let tree = input.tree;
    if tree.top.is_empty() {
        return String::new();
    }
    let path: Vec<usize> = match current {
        Some(c) => std::iter::once(c).chain(tree.ancestors(c)).collect(),
        None => Vec::new(),
    };
    let mut out = String::with_capacity(4096);
    out.push_str("<ul>\n");
    for &i in &tree.top {
        item(&mut out, tree, root, current, &path, i, true);
    }
    out.push_str("</ul>\n");
    out
}

/// Writes page `i`'s entry: its link, and for a folder its pages. An open
/// folder (on the way to the current page) lists its pages; a closed one
/// when they are few; a folder inside a closed one is a link.
fn item(
    out: &mut String,
    tree: &Tree,
    root: &str,
    current: Option<usize>,
    path: &[usize],
    i: usize,
    expand: bool,
) {
    let href = |k: usize| {
        let h = tree.href(root, k);
        crate::html::escape(&h)
    };
    out.push_str("<li><a href=\"");
    out.push_str(&href(i));
    out.push('"');
    if Some(i) == current {
        out.push_str(" aria-current=\"page\"");
    }
    out.push('>');
    out.push_str(&tree.titles[i]);
    out.push_str("</a>");
    let kids = tree.children(i);
    let open = path.contains(&i) && !kids.is_empty();
    if !kids.is_empty() && (open || (expand && kids.len() <= SIDEBAR_WINDOW)) {
        // The folder's page on the way to the current one, if any.
        let on_path = path
            .iter()
            .position(|&p| p == i)
            .and_then(|at| at.checked_sub(1))
            .map(|at| tree.rank[path[at]]);
        let shown = window(kids, on_path);
        let n = kids.len();
        out.push_str(if open {
            "\n<details open>"
        } else {
            "\n<details>"
        });
        out.push_str(&format!(
            "<summary>{n} page{}</summary>\n<ul>\n",
            if n == 1 { "" } else { "s" }
        ));
        for &k in shown {
            item(out, tree, root, current, path, k, false);
        }
        out.push_str("</ul>\n");
        if shown.len() < n {
            out.push_str(&format!(
                "<p class=\"more\"><a href=\"{}\">All {n} in {}</a></p>\n",
                href(i),
                tree.titles[i]
            ));
        }
        out.push_str("</details>");
    }
    out.push_str("</li>\n");
}

/// The pages of a folder a sidebar shows: all of a short folder; of a long
/// one, a window around its page at `at` (or its first pages).
fn window(kids: &[usize], at: Option<usize>) -> &[usize] {
    if kids.len() <= SIDEBAR_WINDOW {
        return kids;
    }
    let at = at.unwrap_or(0);
    let start = at
        .saturating_sub(SIDEBAR_WINDOW / 2)
        .min(kids.len() - SIDEBAR_WINDOW);
    &kids[start..start + SIDEBAR_WINDOW]
}

/// The pages before and after page `i` in reading order.
#[derive(Serialize)]
pub(super) struct PrevNext {
    prev: Option<Step>,
    next: Option<Step>,
}

#[derive(Serialize)]
struct Step {
    title: String,
    href: String,
}

pub(super) fn prev_next(input: &RenderContext<'_>, root: &str, i: usize) -> Option<PrevNext> {
    let tree = input.tree;
    let at = tree.position[i]?;
    let step = |j: usize| Step {
        title: input.site.pages[j].page.front.title.clone(),
        href: tree.href(root, j),
    };
    let prev = at.checked_sub(1).map(|a| step(tree.reading[a]));
    let next = tree.reading.get(at + 1).map(|&j| step(j));
    Some(PrevNext { prev, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_folder_shows_a_window_around_the_current_page() {
        let kids: Vec<usize> = (100..200).collect();
        assert_eq!(window(&kids, None), &kids[..SIDEBAR_WINDOW]);
        let w = window(&kids, Some(50));
        assert_eq!(w.len(), SIDEBAR_WINDOW);
        assert!(w.contains(&150) && w[0] == 150 - SIDEBAR_WINDOW / 2);
        let end = window(&kids, Some(99));
        assert_eq!(end.last(), Some(&199));
        assert_eq!(window(&kids[..3], Some(1)), &kids[..3]);
    }
}
