//! Links between notes, to anchors, files and the web: every form resolves
//! to a relative URL that works under any path prefix, back-links are
//! listed, and the link checker the other tests rely on catches breaks.

use crate::site::SiteTest;

#[test]
fn every_link_form_resolves_to_a_relative_url_and_backlinks_are_listed() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n# Top\n\n[md](notes/a.md) [[b]] [[b|label]] [[b#part-two]] [up](#top) [ext](https://example.org/x)\n")
        .file("content/notes/a.md", "---\ntitle: Note A\n---\n[back](../index.md)\n")
        .file("content/notes/b.md", "---\ntitle: Note B\n---\n## Part two\n");
    test.build().succeeded();
    let home = test.page("index.html");
    for want in [
        // Internal links carry the target's title as a preview.
        "<a href=\"notes/a/index.html\" title=\"Note A\">md</a>",
        "<a href=\"notes/b/index.html\" title=\"Note B\">Note B</a>",
        "<a href=\"notes/b/index.html\" title=\"Note B\">label</a>",
        "<a href=\"notes/b/index.html#part-two\" title=\"Note B\">Note B › Part two</a>",
        "<a href=\"#top\">up</a>",
        "<a href=\"https://example.org/x\">ext</a>",
        "<h1 id=\"top\">Top</h1>",
    ] {
        assert!(home.contains(want), "{want} in {home}");
    }
    let b = test.page("notes/b/index.html");
    assert!(b.contains("<h2 id=\"part-two\">Part two</h2>"));
    assert!(
        b.contains("<li><a href=\"../../index.html\">Home</a></li>"),
        "backlink: {b}"
    );
    let a = test.page("notes/a/index.html");
    assert!(a.contains("<a href=\"../../index.html\" title=\"Home\">back</a>"));
    // Home is linked from A only (its back-links, not the sidebar).
    let home = &home[..home.find("</main>").unwrap()];
    assert!(home.contains("<li><a href=\"notes/a/index.html\">Note A</a></li>"));
    assert!(!home.contains("<li><a href=\"notes/b/index.html\">Note B</a></li>"));
}

#[test]
fn pretty_links_without_index_html_when_configured() {
    let test = SiteTest::new()
        .file(
            "book.toml",
            "[site]\ntitle = \"T\"\n[build]\nlink-index-html = false\n",
        )
        .file("content/index.md", "---\ntitle: Home\n---\n[[b]]\n")
        .file("content/b.md", "---\ntitle: B\n---\n[home](index.md)\n");
    test.build().succeeded();
    assert!(test
        .page("index.html")
        .contains("<a href=\"b/\" title=\"B\">B</a>"));
    assert!(test
        .page("b/index.html")
        .contains("<a href=\"../\" title=\"Home\">home</a>"));
    let (_, problems) = test.check_links("/");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A root-absolute link (`/notes/x/`, `/notes/x.md`, with an
/// anchor) in a site deployed under `/repo-name/` becomes a relative link
/// to the page, so it works at any prefix; a missing target is an error
/// (fixture root-absolute-link-missing).
#[test]
fn root_absolute_links_become_relative() {
    let book = "[site]\ntitle = \"F\"\nbase-url = \"https://example.org/repo-name/\"\n";
    let test = SiteTest::new()
        .file("book.toml", book)
        .file("content/index.md", "---\ntitle: Home\n---\n[dir](/notes/x/), [md](/notes/x.md), [anchor](/notes/x/#part)\n")
        .file("content/notes/x.md", "---\ntitle: X\n---\n# Part\n[back](/)\n");
    test.build().succeeded();
    let home = test.page("index.html");
    assert!(home.contains("<a href=\"notes/x/index.html\" title=\"X\">dir</a>"));
    assert!(home.contains("<a href=\"notes/x/index.html\" title=\"X\">md</a>"));
    assert!(home.contains("<a href=\"notes/x/index.html#part\""));
    let x = test.page("notes/x/index.html");
    assert!(
        x.contains("<a href=\"../../index.html\" title=\"Home\">back</a>"),
        "root itself"
    );
    let (_, broken) = test.check_links("");
    assert!(broken.is_empty(), "{broken:?}");
    let (_, broken) = test.check_links("repo-name/");
    assert!(broken.is_empty(), "under a prefix: {broken:?}");
}

/// File names with spaces, `#`, `?`, `%` and non-ASCII letters.
#[test]
fn odd_file_names_get_working_encoded_urls() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n[a](notes/a%20b.md) [b](notes/c%23d.md) [c](notes/why%3F.md) [d](notes/100%25.md) [e](notes/café.md) [[a b]]\n")
        .file("content/notes/a b.md", "---\ntitle: Space\n---\n[home](../index.md)\n")
        .file("content/notes/c#d.md", "---\ntitle: Hash\n---\n")
        .file("content/notes/why?.md", "---\ntitle: Question\n---\n")
        .file("content/notes/100%.md", "---\ntitle: Percent\n---\n")
        .file("content/notes/café.md", "---\ntitle: Café\n---\n");
    test.build().succeeded();
    let home = test.page("index.html");
    for href in [
        "notes/a-b/index.html",
        "notes/c-d/index.html",
        "notes/why/index.html",
        "notes/100/index.html",
        "notes/caf%C3%A9/index.html",
    ] {
        assert!(home.contains(&format!("href=\"{href}\"")), "{href}");
    }
    let (links, problems) = test.check_links("/");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(links.iter().any(|l| l.href.contains("%C3%A9")));
}

#[test]
fn figures_and_files_beside_notes_are_copied_and_linked() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n[[x]] and mail <someone@example.org>.\n")
        .file("content/Field Notes/x.md", "---\ntitle: X\n---\n![A chart](figures/chart%201.svg)\n\n[the data](../data/interviews.csv) and [root](/data/interviews.csv)\n")
        .file("content/Field Notes/figures/chart 1.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
        .file("content/data/interviews.csv", "id,speaker\n1,Fiona\n");
    test.build().clean();
    let site = test.output();
    let x = test.page("field-notes/x/index.html");
    assert!(
        x.contains("<img src=\"../figures/chart%201.svg\" alt=\"A chart\""),
        "{x}"
    );
    assert!(x.contains("<a href=\"../../data/interviews.csv\">the data</a>"));
    assert!(x.contains("<a href=\"../../data/interviews.csv\">root</a>"));
    assert_eq!(test.page("data/interviews.csv"), "id,speaker\n1,Fiona\n");
    assert!(site.join("field-notes/figures/chart 1.svg").is_file());
    let home = test.page("index.html");
    assert!(
        home.contains("<a href=\"mailto:someone@example.org\">someone@example.org</a>"),
        "{home}"
    );
    let (_, problems) = test.check_links("/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn base_url_flag_overrides_book_toml_and_cname_is_written() {
    let test = SiteTest::new()
        .file(
            "book.toml",
            "[site]\ntitle = \"T\"\ncname = \"companion.example.org\"\n",
        )
        .file("content/index.md", "---\ntitle: Home\n---\n[[deep]]\n")
        .file(
            "content/a/b/deep.md",
            "---\ntitle: Deep\n---\n[home](../../index.md)\n",
        );
    // Without a base URL there is no sitemap and the 404 page uses `/`.
    test.build().succeeded();
    let site = test.output();
    assert!(!site.join("sitemap.xml").exists());
    assert!(test.page("404.html").contains("<base href=\"/\">"));
    assert_eq!(test.page("CNAME"), "companion.example.org\n");

    let r = test.run(&["build", "--base-url", "https://example.org/repo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sitemap = test.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/repo/a/b/deep/</loc>"),
        "{sitemap}"
    );
    assert!(test
        .page("404.html")
        .contains("<base href=\"https://example.org/repo/\">"));
    let (_, problems) = test.check_links("/repo/");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The link checker the tests above rely on does catch broken links.
#[test]
fn link_checker_finds_broken_links_and_anchors() {
    let test = SiteTest::empty()
        .file("index.html", "<a href=\"a/index.html#x\">ok</a><a href=\"a/index.html#nope\">bad anchor</a>")
        .file("a/index.html", "<h1 id=\"x\">X</h1><a href=\"../missing/index.html\">gone</a><a href=\"/abs/\">abs</a>");
    let (links, problems) = crate::common::check_links(test.root(), "/");
    assert_eq!(links.len(), 1);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("no id \"nope\"")));
    assert!(problems
        .iter()
        .any(|p| p.contains("missing/index.html does not exist")));
    assert!(problems.iter().any(|p| p.contains("root-absolute")));
}
