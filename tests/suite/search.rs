//! The search index: a script that lists every page safely, and a site
//! without search when it is switched off.

use crate::site::SiteTest;

/// The search index is a script (so it loads from `file://`) that lists
/// every page but the A–Z index, with quotes' tensions for the filter, and
/// it cannot close a script element early.
#[test]
fn search_index_lists_every_page_safely() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home </script><b>\n---\nText about </script> tags.\n")
        .file("content/tensions/ad.md", "---\ntitle: Agency/Dependency\nkind: tension\npoles: [a, d]\nlevel: experienced\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/roller.md", "---\ntitle: Roller coaster\nkind: quote\nspeaker: fiona\ntensions: [ad]\n---\nThen it goes like that again.\n");
    test.build().succeeded();
    let js = test.page("assets/search-index.js");
    assert!(js.starts_with("window.companionSearch = {"));
    assert!(!js.contains("</script"), "no closing tag in the script");
    let data = crate::common::search_data(&js);
    let docs = data["docs"].as_array().unwrap();
    let urls: Vec<&str> = docs.iter().map(|d| d["url"].as_str().unwrap()).collect();
    for url in [
        "",
        "tensions/ad/",
        "quotes/roller/",
        "participants/fiona/",
        "tensions/",
    ] {
        assert!(urls.contains(&url), "{url} in the index: {urls:?}");
    }
    let quote = docs.iter().find(|d| d["url"] == "quotes/roller/").unwrap();
    assert_eq!(quote["tensions"], serde_json::json!(["Agency/Dependency"]));
    assert_eq!(data["tensions"], serde_json::json!(["Agency/Dependency"]));
    let page = test.page("search/index.html");
    assert!(page.contains("<script src=\"../assets/search-index.js\"></script>"));
    assert!(page.contains("<noscript>"));
}

/// `[build] search = false`: no search page, no index, no link to either,
/// and every remaining link still resolves.
#[test]
fn search_can_be_switched_off() {
    let book = format!("{}[build]\nsearch = false\n", crate::common::BOOK);
    let test = SiteTest::new()
        .file("book.toml", &book)
        .file(
            "content/index.md",
            "---\ntitle: Home\n---\nSee [about](about.md).\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\nText.\n");
    test.build().succeeded();
    let site = test.output();
    assert!(!site.join("assets/search-index.js").exists());
    assert!(!site.join("search").exists());
    let home = test.page("index.html");
    assert!(!home.contains("search-link"), "no masthead search link");
    assert!(home.contains("a-z/index.html"), "the A–Z index stays");
    let (links, broken) = test.check_links("");
    assert!(links.len() > 20);
    assert!(broken.is_empty(), "{broken:?}");
}

/// A result's excerpt reads as the page does: citations as the style
/// formats them, a `[[link]]` by its target's title, an embedded quote by
/// its title; never a citation key or a note id.
#[test]
fn excerpts_read_as_the_page_does() {
    let test = SiteTest::new()
        .file(
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\n",
        )
        .file(
            "refs.yaml",
            "- id: smith2010\n  type: book\n  author: [{family: Smith, given: Ann}]\n  issued: 2010\n  title: Working together\n",
        )
        .file(
            "content/index.md",
            "---\ntitle: Home\n---\nAs [@smith2010, p. 4] shows, see [[power]].\n\n![[roller]]\n",
        )
        .file("content/power.md", "---\ntitle: The power tension\n---\nText.\n")
        .file("content/tensions/ad.md", "---\ntitle: Agency/Dependency\nkind: tension\npoles: [a, d]\nlevel: experienced\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/roller.md", "---\ntitle: Roller coaster\nkind: quote\nspeaker: fiona\ntensions: [ad]\n---\nUp and down.\n");
    test.build().clean();
    let data = crate::common::search_data(&test.page("assets/search-index.js"));
    let home = data["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["url"] == "")
        .expect("the home page is indexed");
    assert_eq!(
        home["excerpt"],
        "As (Smith, 2010, p. 4) shows, see The power tension. “Roller coaster”"
    );
}
