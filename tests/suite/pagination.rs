//! Long listings split into pages: the quotes index, tension, participant
//! and metaphor pages, the citation index and the A–Z index. Page 1 keeps
//! the listing's URL, page n is at `<url>page/n/`, pages link each other by
//! number and with `rel="prev"` / `rel="next"`, and a listing shows each
//! quote as a compact card (excerpt, speaker, link).

use crate::site::SiteTest;

const BOOK: &str = "[site]\ntitle = \"Paged\"\nbase-url = \"https://example.org/paged/\"\n\n[build]\npage-size = 2\nreferences-page-size = 2\na-z-page-size = 4\n\n[bibliography]\nfiles = [\"refs.yaml\"]\n";

const REFS: &str = "- id: alpha2001\n  type: book\n  title: Alpha\n  author: [{family: Able, given: A.}]\n  issued: {date-parts: [[2001]]}\n- id: beta2002\n  type: book\n  title: Beta\n  author: [{family: Baker, given: B.}]\n  issued: {date-parts: [[2002]]}\n- id: gamma2003\n  type: book\n  title: Gamma\n  author: [{family: Cole, given: C.}]\n  issued: {date-parts: [[2003]]}\n";

/// A long quote: its card shows the first words and an ellipsis.
const LONG: &str = "We met every month and every month the same people came, and the same \
things were said about the same problems, and nobody who could change anything was ever \
in the room to hear it, so after two years of this we stopped going and started writing \
to the commissioners directly instead, which at least meant that somebody read what we \
had to say even if they never answered it";

/// Five quotes by one speaker: q1–q3 on tension `one`, q4–q5 on `two`,
/// two cards to a page (the validators check its pages too).
pub(crate) fn site() -> SiteTest {
    let mut files = vec![
        ("book.toml".to_string(), BOOK.to_string()),
        ("refs.yaml".into(), REFS.into()),
        (
            "content/index.md".into(),
            "---\ntitle: Home\n---\nSee [@alpha2001; @beta2002; @gamma2003].\n".into(),
        ),
        (
            "content/tensions/one.md".into(),
            "---\ntitle: First tension\nkind: tension\npoles: [left, right]\nlevel: management\n---\nThe introduction of the first tension.\n".into(),
        ),
        (
            "content/tensions/two.md".into(),
            "---\ntitle: Second tension\nkind: tension\npoles: [up, down]\nlevel: management\n---\nAbout the second.\n".into(),
        ),
        (
            "content/participants/pat.md".into(),
            "---\ntitle: Pat\nkind: participant\npseudonym: Pat\n---\nWho Pat is.\n".into(),
        ),
    ];
    for n in 1..=5 {
        let (tension, pole) = if n <= 3 {
            ("one", "left")
        } else {
            ("two", "up")
        };
        let text = match n {
            1 => LONG.to_string(),
            2 => "It was *very* hard [@alpha2001].".to_string(),
            _ => format!("Quote number {n}."),
        };
        files.push((
            format!("content/quotes/q{n}.md"),
            format!("---\ntitle: Quote {n}\nkind: quote\nspeaker: pat\nmetaphor: image {n}\ntensions:\n  - id: {tension}\n    pole: {pole}\n---\n{text}\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    SiteTest::new().files(&files)
}

/// The quotes a listing page shows as cards (by file name), in order.
fn cards(html: &str) -> Vec<String> {
    html.split("<p class=\"quote-page\"><a href=\"")
        .skip(1)
        .map(|s| {
            let href = &s[..s.find('"').unwrap()];
            let dir = href.trim_end_matches("/index.html");
            dir.rsplit('/').next().unwrap().to_string()
        })
        .collect()
}

fn rel(html: &str, which: &str) -> Option<String> {
    let tag = format!("<link rel=\"{which}\" href=\"");
    html.find(&tag).map(|at| {
        let rest = &html[at + tag.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    })
}

#[test]
fn a_tension_lists_its_quotes_over_numbered_pages() {
    let test = site();
    test.build().clean();
    let first = test.page("tensions/one/index.html");
    let second = test.page("tensions/one/page/2/index.html");
    assert!(!test.output().join("tensions/one/page/3").exists());
    assert!(!test.output().join("tensions/one/page/1").exists());
    // Two cards to a page, in the tension's order, each quote once.
    assert_eq!(cards(&first), ["q1", "q2"]);
    assert_eq!(cards(&second), ["q3"]);
    assert!(first.contains("Quotes (3)") && second.contains("Quotes (3)"));
    // The note's own text is on the first page only.
    assert!(first.contains("The introduction of the first tension."));
    assert!(!second.contains("The introduction of the first tension."));
    assert!(second.contains("<title>First tension, page 2 of 2 · Paged</title>"));
    assert!(second.contains("<p class=\"page-of\">Page 2 of 2</p>"));
    // Neighbours, in the head and in the pager.
    assert_eq!(rel(&first, "prev"), None);
    assert_eq!(rel(&first, "next").as_deref(), Some("page/2/index.html"));
    assert_eq!(rel(&second, "prev").as_deref(), Some("../../index.html"));
    assert_eq!(rel(&second, "next"), None);
    assert!(second.contains("<a href=\"../../index.html\" rel=\"prev\">Previous</a>"));
    assert!(
        second.contains("<a href=\"index.html\" aria-current=\"page\" aria-label=\"Page 2\">2</a>")
    );
    assert!(first.contains("<a href=\"page/2/index.html\" aria-label=\"Page 2\">2</a>"));
    // A tension with two quotes fits on one page and has no pager.
    let two = test.page("tensions/two/index.html");
    assert_eq!(cards(&two), ["q4", "q5"]);
    assert!(!two.contains("class=\"pager\"") && rel(&two, "next").is_none());
}

#[test]
fn cards_are_compact_excerpts_with_speaker_and_link() {
    let test = site();
    test.build().clean();
    let page = test.page("participants/pat/index.html");
    // The long quote is cut at a word with an ellipsis, as plain text.
    let cut = "We met every month and every month the same people came, and the same things were said about the same problems, and nobody who could change anything was ever in the room to hear it, so after two years of this we stopped going and started writing to the commissioners directly…";
    assert!(
        page.contains(&format!("<blockquote><p>{cut}</p></blockquote>")),
        "{page}"
    );
    // A short quote is whole, its markup and citation as text.
    assert!(page.contains("<blockquote><p>It was very hard (Able, 2001).</p></blockquote>"));
    assert!(
        page.contains("— <a href=\"index.html\">Pat</a>")
            || page.contains("— <a href=\"./\">Pat</a>")
    );
    assert!(page.contains("<a href=\"../../quotes/q1/index.html\">Quote page: Quote 1</a>"));
    // The full quote is on its own page.
    let own = test.page("quotes/q1/index.html");
    assert!(own.contains(LONG));
    // Five quotes, two to a page: three pages.
    assert_eq!(cards(&page).len(), 2);
    assert_eq!(
        cards(&test.page("participants/pat/page/3/index.html")).len(),
        1
    );
    assert!(!test.output().join("participants/pat/page/4").exists());
}

#[test]
fn the_quotes_index_contents_lead_to_the_page_each_tension_starts_on() {
    let test = site();
    test.build().clean();
    let first = test.page("quotes/index.html");
    let second = test.page("quotes/page/2/index.html");
    let third = test.page("quotes/page/3/index.html");
    assert_eq!(cards(&first), ["q1", "q2"]);
    assert_eq!(cards(&second), ["q3", "q4"]);
    assert_eq!(cards(&third), ["q5"]);
    // The second tension's quotes start on page 2.
    assert!(first.contains("<a href=\"#tension-1\">First tension</a> (3)"));
    assert!(first.contains("<a href=\"page/2/index.html#tension-2\">Second tension</a> (2)"));
    assert!(third.contains("<a href=\"../2/index.html#tension-2\">Second tension</a> (2)"));
    // A group carried on from the page before says so, under the same id.
    assert!(second.contains("id=\"tension-1\"><a href=\"../../../tensions/one/index.html\">First tension</a> (continued)</h2>"));
    assert!(second.contains(
        "id=\"tension-2\"><a href=\"../../../tensions/two/index.html\">Second tension</a></h2>"
    ));
    assert!(third.contains("Second tension</a> (continued)</h2>"));
}

#[test]
fn metaphors_the_citation_index_and_a_to_z_paginate_too() {
    let test = site();
    test.build().clean();
    let metaphors: Vec<String> = [
        "metaphors/index.html",
        "metaphors/page/2/index.html",
        "metaphors/page/3/index.html",
    ]
    .iter()
    .flat_map(|p| cards(&test.page(p)))
    .collect();
    assert_eq!(metaphors, ["q1", "q2", "q3", "q4", "q5"]);
    assert!(test
        .page("metaphors/page/3/index.html")
        .contains("<h2 id=\"metaphor-5\">image 5</h2>"));
    // Three works, two to a page.
    let entries = |p: &str| test.page(p).matches("<li id=\"ref-").count();
    assert_eq!(entries("references/index.html"), 2);
    assert_eq!(entries("references/page/2/index.html"), 1);
    assert!(test
        .page("references/page/2/index.html")
        .contains("<li id=\"ref-gamma2003\">"));
    // Every page but the A–Z index itself, four to a page, each once.
    let mut titles = Vec::new();
    let mut k = 1;
    loop {
        let path = if k == 1 {
            "a-z/index.html".to_string()
        } else {
            format!("a-z/page/{k}/index.html")
        };
        if !test.output().join(&path).exists() {
            break;
        }
        let page = test.page(&path);
        let lines = page.matches("<span class=\"kind\">").count();
        assert!(lines <= 4 && lines > 0, "{path}: {lines} lines");
        titles.push(lines);
        k += 1;
    }
    let sitemap = test.page("sitemap.xml");
    let pages = sitemap.matches("<loc>").count() - sitemap.matches("/page/").count();
    let a_z: usize = titles.iter().sum();
    assert_eq!(a_z, pages - 1, "the A–Z index lists every other page");
}

#[test]
fn every_page_of_every_listing_is_in_the_sitemap_and_every_link_resolves() {
    let test = site();
    test.build().clean();
    let sitemap = test.page("sitemap.xml");
    for url in [
        "tensions/one/page/2/",
        "quotes/page/3/",
        "participants/pat/page/3/",
        "metaphors/page/3/",
        "references/page/2/",
        "a-z/page/2/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/paged/{url}</loc>")),
            "{url} missing from the sitemap"
        );
    }
    let (links, problems) = test.check_links("/paged/");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(links
        .iter()
        .any(|l| l.href.contains("page/2/index.html#tension-2")));
}

#[test]
fn a_page_size_of_zero_is_a_config_error_at_its_line() {
    let test = SiteTest::new().files(&[
        (
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[build]\npage-size = 0\n",
        ),
        ("content/index.md", "---\ntitle: Home\n---\n"),
    ]);
    let run = test.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("book.toml:5:"), "{}", run.stderr);
    assert!(run.stderr.contains("nonzero"), "{}", run.stderr);
}

#[test]
fn a_note_at_the_url_of_a_listings_later_page_is_an_error() {
    let test = site().file(
        "content/tensions/one/page/2.md",
        "---\ntitle: In the way\n---\nText.\n",
    );
    let built = test.build().failed();
    assert_eq!(
        built.diagnostics,
        ["content/tensions/one/page/2.md:1:1: error: output path collision: /tensions/one/page/2/ is page 2 of the listing at /tensions/one/\n  = help: rename the file or give it another `slug:`"]
    );
    // At page 3, where the listing does not reach, the note is welcome.
    let test = site().file(
        "content/tensions/one/page/3.md",
        "---\ntitle: Out of the way\n---\nText.\n",
    );
    test.build().clean();
    assert!(test
        .page("tensions/one/page/3/index.html")
        .contains("Out of the way"));
}
