//! Every page the site makes itself, in one place: a page per
//! bibliography entry and the citation index, the indexes of tensions,
//! policy, quotes, participants and metaphors, the A–Z index and the search
//! page. A note at one of their paths is that page's introduction.

use std::collections::BTreeMap;

use super::place::{default_id, Placement};
use crate::bibliography::Bibliography;
use crate::diagnostic::{Diagnostic, Pos};
use crate::model::{Kind, KindData, Page, Role, TagInfo};
use crate::urls;

/// Pages with their roles and where they ask to be placed.
pub(super) type Pages = Vec<(Box<Page>, Role, Placement)>;

/// The notes with their roles and placements, and every generated page;
/// `search` is whether the site has a search page. Also every tag, in the
/// order of [`Role::Tag`]'s index.
pub(super) fn generated_pages(
    pages: Vec<Page>,
    bib: &Bibliography,
    search: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Pages, Vec<TagInfo>) {
    let pages = with_reference_pages(pages, bib, diags);
    let pages = with_index_pages(pages);
    let (pages, tags) = with_tag_pages(pages);
    let mut pages = with_folder_indexes(pages);
    // The A–Z index and the search page (unless `[build] search = false`).
    for (rel, title, order, role) in [
        ("a-z/index.md", "A–Z index", 95, Role::AzIndex),
        ("search/index.md", "Search", 96, Role::Search),
        ("print/index.md", "The whole companion", 97, Role::Print),
    ] {
        if role == Role::Search && !search {
            continue;
        }
        match pages.iter_mut().find(|(p, _, _)| p.rel == rel) {
            Some(entry) => entry.1 = role,
            None => {
                let display = format!("content/{rel}");
                let page = Page::synthetic(rel, &display, title, Some(order));
                pages.push((Box::new(page), role, Placement::default()));
            }
        }
    }
    (pages, tags)
}

/// Adds `tags/` and a page per tag (`tags/<slug>/`), when any page has
/// tags. Tags that make the same URL are one tag (`Power` and `power`),
/// named as most pages write it. A note at one of these paths is the
/// page's introduction.
fn with_tag_pages(mut pages: Pages) -> (Pages, Vec<TagInfo>) {
    // slug → spelling → how many pages write it so.
    let mut found: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for (page, _, _) in &pages {
        for tag in &page.front.tags {
            let slug = urls::slugify(tag);
            if !slug.is_empty() {
                *found
                    .entry(slug)
                    .or_default()
                    .entry(tag.as_str())
                    .or_default() += 1;
            }
        }
    }
    let mut tags: Vec<TagInfo> = found
        .into_iter()
        .map(|(slug, spellings)| {
            let name = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(name, _)| name.to_string())
                .unwrap_or_default();
            TagInfo {
                name,
                slug,
                pages: Vec::new(),
            }
        })
        .collect();
    if tags.is_empty() {
        return (pages, tags);
    }
    tags.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
    let mut wanted: Vec<(String, Role, String)> =
        vec![("tags/index.md".into(), Role::TagIndex, "Tags".into())];
    for (k, tag) in tags.iter().enumerate() {
        wanted.push((
            format!("tags/{}.md", tag.slug),
            Role::Tag(k),
            tag.name.clone(),
        ));
    }
    for (rel, role, title) in wanted {
        match pages.iter_mut().find(|(p, _, _)| p.rel == rel) {
            Some(entry) => entry.1 = role,
            None => {
                let display = format!("content/{rel}");
                let order = (role == Role::TagIndex).then_some(94);
                let title = match role {
                    Role::Tag(_) => format!("Tag: {title}"),
                    _ => title,
                };
                let page = Page::synthetic(&rel, &display, &title, order);
                // Placed under the tag's own id so no note's id is taken.
                let at = Placement {
                    id: Some(rel.trim_end_matches(".md").to_string()),
                    slug: None,
                };
                pages.push((Box::new(page), role, at));
            }
        }
    }
    (pages, tags)
}

/// The index pages, their roles and default titles, and which pages make
/// them needed.
const INDEXES: [(&str, Role, &str, i64); 5] = [
    ("tensions/index.md", Role::TensionIndex, "Tensions", 10),
    ("policy/index.md", Role::PolicyIndex, "Policy context", 15),
    ("quotes/index.md", Role::QuoteIndex, "Quotes", 20),
    (
        "participants/index.md",
        Role::ParticipantIndex,
        "Participants",
        30,
    ),
    ("metaphors/index.md", Role::MetaphorIndex, "Metaphors", 40),
];

/// Gives `content/tensions/index.md` and its siblings their index roles,
/// and adds the index pages a site needs but does not write itself.
fn with_index_pages(mut pages: Pages) -> Pages {
    let has = |pages: &[(Box<Page>, Role, Placement)], role: Role| {
        pages.iter().any(|(p, _, _)| match role {
            Role::TensionIndex => p.front.kind() == Kind::Tension,
            Role::QuoteIndex => p.front.kind() == Kind::Quote,
            Role::ParticipantIndex => p.front.kind() == Kind::Participant,
            Role::PolicyIndex => p.front.kind() == Kind::Policy,
            Role::MetaphorIndex => {
                matches!(&p.front.data, KindData::Quote(q) if q.metaphor.is_some())
            }
            _ => false,
        })
    };
    for (rel, role, title, order) in INDEXES {
        if !has(&pages, role) {
            continue; // `tensions/index.md` of a site without tensions is a folder index
        }
        if let Some(entry) = pages.iter_mut().find(|(p, _, _)| p.rel == rel) {
            entry.1 = role;
        } else {
            let display = format!("content/{rel}");
            let page = Page::synthetic(rel, &display, title, Some(order));
            pages.push((Box::new(page), role, Placement::default()));
        }
    }
    pages
}

/// Adds an index page for each folder of notes that has none (neither
/// `dir/index.md` nor `dir.md`), titled after the folder, so that its URL
/// is a page listing its notes and the folder has a place in the
/// navigation.
fn with_folder_indexes(mut pages: Pages) -> Pages {
    let rels: std::collections::HashSet<&str> =
        pages.iter().map(|(p, _, _)| p.rel.as_str()).collect();
    let mut missing = std::collections::BTreeSet::new();
    for (page, _, _) in &pages {
        let mut dir = page.rel.as_str();
        while let Some(cut) = dir.rfind('/') {
            dir = &dir[..cut];
            let (index, flat) = (format!("{dir}/index.md"), format!("{dir}.md"));
            if !rels.contains(index.as_str()) && !rels.contains(flat.as_str()) {
                missing.insert(dir.to_string());
            }
        }
    }
    // A folder whose name makes no URL is its notes' error already.
    missing.retain(|dir| dir.split('/').all(|seg| !urls::slugify(seg).is_empty()));
    for dir in missing {
        let name = dir.rsplit('/').next().unwrap_or(&dir);
        let title = folder_title(name);
        let page = Page::synthetic(
            &format!("{dir}/index.md"),
            &format!("content/{dir}/"),
            &title,
            None,
        );
        // Its id is its path: no note's id (a file name) can take it.
        let at = Placement {
            id: Some(dir.clone()),
            slug: None,
        };
        pages.push((Box::new(page), Role::Page, at));
    }
    pages
}

/// A folder's name as a title: `case-notes` → "Case notes".
fn folder_title(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// Adds a page for every bibliography entry (the entry's own note from
/// `content/references/<key>.md` when there is one) and the citation index
/// at `references/`.
fn with_reference_pages(
    pages: Vec<Page>,
    bib: &Bibliography,
    diags: &mut Vec<Diagnostic>,
) -> Pages {
    // Room for every page the site adds, so the vector of large pages is
    // allocated once: the reference pages, the citation index, the other
    // indexes, the A–Z index and the search page.
    let mut out = Vec::with_capacity(pages.len() + bib.len() + 1 + INDEXES.len() + 2);
    let mut notes: BTreeMap<usize, Box<Page>> = BTreeMap::new();
    let mut index = None;
    for page in pages {
        // Boxed: the pages move through the next steps as pointers.
        let page = Box::new(page);
        if page.rel == "references/index.md" {
            index = Some(page);
            continue;
        }
        if page.front.kind() != Kind::Reference {
            let at = Placement::of(&page);
            out.push((page, Role::Page, at));
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
                let at = Placement::of(&page);
                out.push((page, Role::Page, at));
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
            Box::new(page)
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
        // Placed by its key, at the entry.
        let at = Placement {
            id: Some(entry.key.clone()),
            slug: Some((urls::slugify(&entry.key), bib.origins[i].pos)),
        };
        out.push((page, Role::Reference(i), at));
    }
    let index = index.unwrap_or_else(|| {
        Box::new(Page::synthetic(
            "references/index.md",
            "content/references/index.md",
            "References",
            Some(80),
        ))
    });
    let at = Placement::of(&index);
    out.push((index, Role::ReferenceIndex, at));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn folder_names_read_as_titles() {
        assert_eq!(super::folder_title("case-notes"), "Case notes");
        assert_eq!(
            super::folder_title("interview_round_2"),
            "Interview round 2"
        );
        assert_eq!(super::folder_title("études"), "Études");
    }
}
