//! A researcher's whole Zotero library (the real 1,241-entry BibLaTeX
//! export in `tests/data/realworld/`), every entry cited once in the
//! narrative form, in author-date and numeric styles: no two distinct
//! works share an in-text citation; in author-date styles every entry whose
//! source has authors or editors shows them; in numeric styles a narrative
//! citation names the authors before the number. (A style may cite a kind
//! of work by its title and leave its author out of the entry as well, as
//! Copernicus does for web pages; numeric styles may leave
//! an edited volume's editors out of its entry, as `nature` does by design,
//! and as Pandoc's citeproc renders it too.)

use std::collections::BTreeMap;

use companion::bibliography::{self, Format, Reference};

/// The styles swept: the default (the paper's own), every bundled
/// author-date style a site accepts, and three
/// numeric styles.
fn styles() -> Vec<(&'static str, bool)> {
    let mut out = vec![("voluntary-sector-review", false)];
    out.extend(
        companion::csl::bundled_styles()
            .into_iter()
            .filter(|s| s.accepted && s.class == "author-date")
            .map(|s| (s.names[0], false)),
    );
    out.extend([("vancouver", true), ("nature", true), ("ieee", true)]);
    out
}

fn library() -> (String, BTreeMap<String, Reference>) {
    let text = std::fs::read_to_string(
        crate::common::repo().join("tests/data/realworld/zotero-big-library.biblatex.bib"),
    )
    .unwrap();
    let (bib, diags) = bibliography::parse(&[bibliography::Source {
        display: "refs.bib".into(),
        text: text.clone(),
    }]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(Format::of("refs.bib"), Some(Format::Bibtex));
    let refs = bib.refs.into_iter().map(|r| (r.key.clone(), r)).collect();
    (text, refs)
}

fn unescape(s: &str) -> String {
    crate::common::text_of(s)
}

fn sweep(style: &str, numeric: bool, bib: &str, refs: &BTreeMap<String, Reference>) -> Vec<String> {
    let note: String = refs.keys().map(|k| format!("As @{k} shows.\n\n")).collect();
    let dir = crate::common::project(&[
        (
            "book.toml",
            &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.bib\"]\nstyle = \"{style}\"\n\n[build]\nsearch = false\n"),
        ),
        ("refs.bib", bib),
        ("content/index.md", &format!("---\ntitle: Home\n---\n{note}")),
    ]);
    let r = crate::common::run(dir.path(), &["build"]);
    let mut problems = Vec::new();
    if r.code != 0 {
        return vec![format!("{style}: build failed: {}", r.stderr)];
    }
    let site = dir.path().join("site");
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    // Each citation: its key (from its id) and its text.
    let mut by_text: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for chunk in home.split("<a class=\"cite\" id=\"cite-").skip(1) {
        let slug = &chunk[..chunk.find("-1\"").unwrap()];
        let text = unescape(&chunk[chunk.find('>').unwrap() + 1..chunk.find("</a>").unwrap()]);
        by_text.entry(text).or_default().push(slug.to_string());
    }
    let cited: usize = by_text.values().map(Vec::len).sum();
    if cited != refs.len() {
        problems.push(format!(
            "{style}: {cited} citations for {} works",
            refs.len()
        ));
    }
    for (text, slugs) in &by_text {
        if slugs.len() > 1 {
            problems.push(format!("{style}: `{text}` stands for {slugs:?}"));
        }
    }
    let index = crate::common::listing(&site, "references/");
    let narrative: BTreeMap<&str, &str> = by_text
        .iter()
        .flat_map(|(t, slugs)| slugs.iter().map(move |s| (s.as_str(), t.as_str())))
        .collect();
    for (key, r) in refs {
        let slug = companion::urls::slugify(key);
        let Some(at) = index.find(&format!("<li id=\"ref-{slug}\"")) else {
            problems.push(format!("{style}: {key} not listed"));
            continue;
        };
        let li = &index[at..];
        let entry = unescape(&li[..li.find("</li>").unwrap()]);
        let Some(first) = r.creators().first() else {
            continue;
        };
        let family = first.family_or_literal();
        // The first word of the name is enough: some styles abbreviate
        // corporate names' later words or drop particles.
        let word = family.split_whitespace().next().unwrap_or(family);
        // Some styles set family names in capitals (ISO 690, ABNT).
        // A style may cite a kind of work by its title and leave its author
        // out of the entry too (Copernicus does so for web pages): the
        // reader matches citation and entry by the title then.
        let by_title = narrative.get(slug.as_str()).is_some_and(|cite| {
            let title = r.field("title").unwrap_or_default();
            let head = title.split_whitespace().next().unwrap_or_default();
            !head.is_empty() && cite.contains(head) && entry.contains(head)
        });
        if !numeric && !by_title && !entry.to_lowercase().contains(&word.to_lowercase()) {
            problems.push(format!(
                "{style}: {key}: `{word}` missing from `{}`",
                entry.chars().take(120).collect::<String>()
            ));
        }
        if numeric {
            if let Some(cite) = narrative.get(slug.as_str()) {
                if !cite.starts_with(word) {
                    problems.push(format!(
                        "{style}: {key}: narrative `{cite}` does not name `{word}`"
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn a_whole_zotero_library_cites_right_in_every_author_date_style() {
    let (bib, refs) = library();
    assert_eq!(refs.len(), 1241);
    let styles = styles();
    assert!(styles.len() >= 20, "{styles:?}");
    // Two at a time: each build already uses both cores part of the time.
    let problems: Vec<String> = styles
        .chunks(2)
        .flat_map(|pair| {
            std::thread::scope(|s| {
                let handles: Vec<_> = pair
                    .iter()
                    .map(|&(style, numeric)| {
                        let (bib, refs) = (&bib, &refs);
                        s.spawn(move || sweep(style, numeric, bib, refs))
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut per_style: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &problems {
        *per_style
            .entry(p.split(':').next().unwrap_or(""))
            .or_default() += 1;
    }
    assert!(
        problems.is_empty(),
        "{} problems ({per_style:?}):\n{}",
        problems.len(),
        problems
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
