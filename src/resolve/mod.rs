//! Resolve: one site-wide pass over all parsed pages, in parts.
//!
//! [`generated`] adds every page the site makes itself; [`place`] puts
//! each page at its URL with its id; [`links`] resolves every link and
//! anchor and collects back-links; [`citations`] checks and numbers every
//! citation; [`qual`] cross-references tensions, quotes and participants.
//! Every problem is a diagnostic. Works on [`Page`]s, never on files.

mod citations;
mod generated;
mod links;
mod place;
pub(crate) mod qual;

use crate::bibliography::Bibliography;
use crate::diagnostic::{Diagnostic, Pos};
use crate::model::{Asset, Page, Role, Site, SitePage};

#[cfg(test)]
use place::default_id;
pub(crate) use place::Placed;

/// The error for a site without `content/index.md`.
pub(crate) const NO_HOME_PAGE: &str = "the site has no home page";

/// Builds the site and every diagnostic about how its pages fit together.
/// `known_lang` tells whether the highlighter knows a code-fence language;
/// `search` whether the site has a search page.
pub(crate) fn resolve(
    pages: Vec<Page>,
    assets: Vec<Asset>,
    bib: &Bibliography,
    known_lang: &dyn Fn(&str) -> bool,
    search: bool,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut clock = crate::timings::Timings::new();
    let (pages, mut tags) = generated::generated_pages(pages, bib, search, &mut diags);
    clock.lap("resolve: generated pages");
    let mut placed = place::place(pages, &mut diags);
    placed.sort_by(|a, b| a.url.cmp(&b.url));
    clock.lap("resolve: place");
    if !placed.iter().any(|p| p.url.is_empty()) {
        diags.push(
            Diagnostic::error("content/index.md", Pos::START, NO_HOME_PAGE)
                .with_help("add content/index.md with a `title:` (and no `slug:`)"),
        );
    }
    let files = place::place_assets(&assets, &placed, &mut diags);
    let (links, backlinks) = links::resolve_links(&placed, &files, known_lang, &mut diags);
    clock.lap("resolve: links");
    let citations = citations::number(&placed, bib, &mut diags);
    clock.lap("resolve: citations");
    let qual = qual::build(&placed, &mut diags);
    clock.lap("resolve: qual");
    let assets = files
        .into_values()
        .map(|(out, a)| (out, a.bytes.clone()))
        .collect();
    let pages: Vec<SitePage> = placed
        .into_iter()
        .zip(links)
        .zip(backlinks)
        .zip(citations.per_page)
        .map(|(((mut p, links), backlinks), occurrences)| {
            p.page.forget_positions();
            SitePage {
                page: p.page,
                role: p.role,
                id: p.id,
                id_taken: p.id_taken,
                url: p.url,
                links,
                backlinks,
                occurrences,
            }
        })
        .collect();
    tag_pages(&pages, &mut tags);
    let tag_by_slug = tags
        .iter()
        .enumerate()
        .map(|(k, t)| (t.slug.clone(), k))
        .collect();
    let mut reference_pages = vec![None; citations.cited_by.len()];
    for (i, p) in pages.iter().enumerate() {
        if let Role::Reference(r) = p.role {
            reference_pages[r] = Some(i);
        }
    }
    (
        Site {
            pages,
            assets,
            occurrences: citations.occurrences,
            cited_by: citations.cited_by,
            reference_pages,
            qual,
            tags,
            tag_by_slug,
        },
        diags,
    )
}

/// Fills each tag's pages: by kind, then title, then URL.
fn tag_pages(pages: &[SitePage], tags: &mut [crate::model::TagInfo]) {
    let by_slug: std::collections::HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(k, t)| (t.slug.as_str(), k))
        .collect();
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); tags.len()];
    for (i, p) in pages.iter().enumerate() {
        for tag in &p.page.front.tags {
            if let Some(&k) = by_slug.get(crate::urls::slugify(tag).as_str()) {
                if lists[k].last() != Some(&i) {
                    lists[k].push(i);
                }
            }
        }
    }
    for (tag, mut list) in tags.iter_mut().zip(lists) {
        list.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            (a.page.front.kind(), &a.page.front.title, &a.url).cmp(&(
                b.page.front.kind(),
                &b.page.front.title,
                &b.url,
            ))
        });
        tag.pages = list;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Resolved, Role, SourceFile, Target};
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
        // (Six pages: the folders `x/` and `y/` have generated indexes.)
        assert_eq!(s.pages.iter().filter(|p| p.role == Role::Page).count(), 6);
        assert!(s.pages.iter().any(|p| p.url == "x/" && p.id == "x"));
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
