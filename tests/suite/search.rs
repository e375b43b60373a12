//! The search index: a script that lists every page safely, and a site
//! without search when it is switched off.

use crate::site::SiteTest;

/// The search index is a set of scripts (so it loads from `file://`)
/// that lists every page but the A–Z index, with quotes' tensions as
/// terms for the filter, and none can close a script element early.
#[test]
fn search_index_lists_every_page_safely() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home </script><b>\n---\nText about </script> tags.\n")
        .file("content/tensions/ad.md", "---\ntitle: Agency/Dependency\nkind: tension\npoles: [a, d]\nlevel: experienced\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/roller.md", "---\ntitle: Roller coaster\nkind: quote\nspeaker: fiona\ntensions: [ad]\n---\nThen it goes like that again.\n");
    test.build().succeeded();
    let site = test.output();
    let js = test.page("assets/search-index.js");
    assert!(js.starts_with("window.companionSearch = {"));
    for file in std::fs::read_dir(site.join("assets/search")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(!text.contains("</script"), "no closing tag in a script");
        assert!(text.starts_with("window.companionSearch.load(\""));
    }
    let meta = crate::common::search_data(&js);
    let docs = crate::common::search_docs(&site);
    assert_eq!(meta["n"], docs.len());
    let urls: Vec<&str> = docs.iter().map(|d| d["u"].as_str().unwrap()).collect();
    for url in [
        "",
        "tensions/ad/",
        "quotes/roller/",
        "participants/fiona/",
        "tensions/",
    ] {
        assert!(urls.contains(&url), "{url} in the index: {urls:?}");
    }
    assert!(!urls.contains(&"a-z/"), "the A–Z index is not a result");
    let home = urls.iter().position(|u| u.is_empty()).unwrap();
    assert_eq!(docs[home]["t"], "Home </script><b>");
    // The filter: tension 0 is the term `~0`, which the quote has.
    assert_eq!(meta["tensions"], serde_json::json!(["Agency/Dependency"]));
    let terms = crate::common::search_terms(&site);
    let quote = urls.iter().position(|u| *u == "quotes/roller/").unwrap();
    assert_eq!(terms["~0"], [quote]);
    // Words are stemmed as the browser stems the query; stop words are out.
    assert!(terms["roller"].contains(&quote));
    assert!(terms.contains_key("goe"), "goes → goe (Porter)");
    assert!(!terms.contains_key("that"), "a stop word");
    let page = test.page("search/index.html");
    assert!(page.contains("<script src=\"../assets/search-index.js\"></script>"));
    assert!(page.contains("<noscript>"));
}

/// A 10,000-note index is shards a query loads a few of: each term shard
/// and each document shard stays small, and every term is in the shard the
/// browser looks in (the last whose first term is not after it, in
/// JavaScript's string order).
#[test]
fn a_large_index_is_split_into_small_shards() {
    let mut test = SiteTest::new().file("content/index.md", "---\ntitle: Home\n---\nHome.\n");
    // 3,000 notes of 30 distinct made-up words each: 90,000 terms.
    let mut files = Vec::new();
    for n in 0..3000 {
        let words: Vec<String> = (0..30).map(|w| format!("w{n}x{w}q")).collect();
        files.push((
            format!("content/n/note{n}.md"),
            format!(
                "---\ntitle: Note {n}\n---\nZoë {} shared.\n",
                words.join(" ")
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    test = test.files(&files);
    test.build().clean();
    let site = test.output();
    let meta = crate::common::search_data(&test.page("assets/search-index.js"));
    let first: Vec<String> = meta["first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    assert!(first.len() > 20, "{} term shards", first.len());
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    for (n, f) in first.iter().enumerate() {
        let js = std::fs::read_to_string(site.join(format!("assets/search/t{n}.js"))).unwrap();
        assert!(js.len() < 80 * 1024, "t{n}.js is {} bytes", js.len());
        for term in crate::common::search_data(&js).as_object().unwrap().keys() {
            let at = first.iter().rposition(|x| utf16(x) <= utf16(term)).unwrap();
            assert_eq!(at, n, "{term} is in t{n} but the browser looks in t{at}");
            assert!(utf16(f) <= utf16(term));
        }
    }
    let docs = crate::common::search_docs(&site);
    assert_eq!(
        docs.len(),
        3003,
        "notes, home, the search page and the notes folder's index"
    );
    for n in 0..docs.len().div_ceil(100) {
        let js = std::fs::read_to_string(site.join(format!("assets/search/d{n}.js"))).unwrap();
        assert!(js.len() < 40 * 1024, "d{n}.js is {} bytes", js.len());
    }
    // Every note has `shared`, and `zoe` (folded) in every note too.
    let terms = crate::common::search_terms(&site);
    assert_eq!(terms["share"].len(), 3000);
    assert_eq!(terms["zoe"].len(), 3000);
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
    let docs = crate::common::search_docs(&test.output());
    let home = docs
        .iter()
        .find(|d| d["u"] == "")
        .expect("the home page is indexed");
    assert_eq!(
        home["e"],
        "As (Smith, 2010, p. 4) shows, see The power tension. “Roller coaster”"
    );
}
