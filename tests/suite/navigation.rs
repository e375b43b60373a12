//! Navigation without JavaScript: folder index pages list their pages,
//! the site navigation follows `order`, the A–Z index reaches every page,
//! and dates read as the site's language writes them.

use crate::site::SiteTest;

#[test]
fn folder_index_pages_list_their_pages_and_appear_in_the_navigation() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file("content/about.md", "---\ntitle: About\norder: 9\n---\n")
        .file(
            "content/tensions/index.md",
            "---\ntitle: Tensions\norder: 1\n---\n",
        )
        .file(
            "content/tensions/b.md",
            "---\ntitle: Beta\nsummary: second\n---\n",
        )
        .file("content/tensions/a.md", "---\ntitle: Alpha\n---\n")
        .file("content/tensions/deep/c.md", "---\ntitle: Deeper\n---\n");
    test.build().succeeded();
    let index = test.page("tensions/index.html");
    let section = &index[index.find("In this section").expect("listing")..];
    let alpha = section
        .find("<a href=\"a/index.html\">Alpha</a>")
        .expect("Alpha listed");
    let beta = section
        .find("<a href=\"b/index.html\">Beta</a>: second")
        .expect("Beta listed");
    assert!(alpha < beta, "sorted by title");
    assert!(!section.contains("Deeper"), "only direct children");
    let home = test.page("index.html");
    let nav = &home[home.find("<nav class=\"sidebar\"").unwrap()..];
    let t = nav.find(">Tensions<").expect("Tensions in nav");
    let a = nav.find(">About<").expect("About in nav");
    assert!(t < a, "nav follows `order`");
}

/// Without JavaScript, every page is reachable from the A–Z index, which
/// every page links to.
#[test]
fn a_to_z_index_reaches_every_page() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    let az = test.page("a-z/index.html");
    let hrefs: std::collections::BTreeSet<String> = crate::common::attr_values(&az, "href")
        .into_iter()
        .collect();
    for (path, bytes) in test.snapshot() {
        if !path.ends_with("index.html") || path == "a-z/index.html" {
            continue;
        }
        let rel = format!("../{path}");
        assert!(hrefs.contains(&rel), "{path} missing from the A–Z index");
        let html = String::from_utf8(bytes).unwrap();
        assert!(html.contains("A–Z index</a>"), "{path} links the A–Z index");
    }
}

/// Dates are shown as the site's language writes them, with the ISO date
/// kept for machines; the policy timeline too.
#[test]
fn dates_read_in_the_sites_language() {
    for (language, shown, period) in [
        ("en-GB", "8 April 2003", "8 April 2003–June 2004"),
        ("en-US", "April 8, 2003", "April 8, 2003–June 2004"),
    ] {
        let test = SiteTest::new()
        .file("book.toml", &format!("[site]\ntitle = \"T\"\nlanguage = \"{language}\"\n"))
        .file("content/index.md", "---\ntitle: Home\ndate: 2003-04-08\n---\nHi.\n")
        .file("content/policy/act.md", "---\ntitle: The act\nkind: policy\ndate: 2003-04-08\nend: 2004-06\n---\nA period.\n");
        test.build().clean();
        let home = test.page("index.html");
        assert!(
            home.contains(&format!("<time datetime=\"2003-04-08\">{shown}</time>")),
            "{language}"
        );
        let timeline = test.page("policy/index.html");
        assert!(
            timeline.contains(&format!(">{period}</time>")),
            "{language}: {timeline}"
        );
    }
}

/// The A–Z index orders titles as the site's language does: in English
/// `Éclair` is an E and `Øberg` an O; in Danish `Ø` is a letter of its
/// own after `Z`. Case and leading punctuation do not count.
#[test]
fn a_to_z_index_sorts_by_the_sites_language() {
    for (language, want) in [
        (
            "en-GB",
            "E: eagle, Éclair, Edge | O: Oakes, Øberg | P: “Peters” | Z: Zola",
        ),
        (
            "da",
            "E: eagle, Éclair, Edge | O: Oakes | P: “Peters” | Z: Zola | Ø: Øberg",
        ),
    ] {
        let mut test = SiteTest::new()
            .file(
                "book.toml",
                &format!("[site]\ntitle = \"Zz\"\nlanguage = \"{language}\"\n\n[build]\nsearch = false\n"),
            )
            .file("content/index.md", "---\ntitle: Zz home\n---\nHi.\n");
        for (n, title) in [
            "Zola",
            "Øberg",
            "Edge",
            "Éclair",
            "Oakes",
            "eagle",
            "“Peters”",
        ]
        .iter()
        .enumerate()
        {
            test = test.file(
                &format!("content/n{n}.md"),
                &format!(
                    "---\ntitle: \"{}\"\n---\nText.\n",
                    title.replace('"', "\\\"")
                ),
            );
        }
        test.build().clean();
        let az = test.page("a-z/index.html");
        let mut groups = Vec::new();
        let main = &az[..az.find("</main>").unwrap()];
        for section in main.split("<section aria-labelledby=\"").skip(1) {
            let letter = &section[section.find('>').unwrap() + 1..];
            let letter = &letter[letter.find('>').unwrap() + 1..letter.find("</h2>").unwrap()];
            let titles: Vec<&str> = section
                .split("<li><a href=\"")
                .skip(1)
                .map(|li| &li[li.find('>').unwrap() + 1..li.find("</a>").unwrap()])
                .filter(|t| !t.starts_with("Zz") && *t != "The whole companion")
                .collect();
            if !titles.is_empty() {
                groups.push(format!("{letter}: {}", titles.join(", ")));
            }
        }
        assert_eq!(groups.join(" | "), want, "{language}");
    }
}

/// The sidebar lists the tree (folders in `order`, the current page
/// marked, its folder open), a folder without `index.md` gets an index
/// page listing its pages, and previous/next follow the reading order:
/// the tree depth first.
#[test]
fn sidebar_tree_folder_indexes_and_reading_order() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file("content/about.md", "---\ntitle: About\norder: 9\n---\n")
        .file(
            "content/tensions/index.md",
            "---\ntitle: Tensions\norder: 1\n---\n",
        )
        .file("content/tensions/b.md", "---\ntitle: Beta\norder: 2\n---\n")
        .file(
            "content/tensions/a.md",
            "---\ntitle: Alpha\norder: 1\n---\n",
        )
        .file(
            "content/tensions/case-notes/c.md",
            "---\ntitle: Deeper\n---\n",
        );
    test.build().clean();
    // The folder without an index has one, listing its page.
    let folder = test.page("tensions/case-notes/index.html");
    assert!(folder.contains("<h1>Case notes</h1>"), "{folder}");
    let listing = &folder[folder.find("In this section").expect("listing")..];
    assert!(listing.contains("<a href=\"c/index.html\">Deeper</a>"));

    let alpha = test.page("tensions/a/index.html");
    let side = &alpha[alpha.find("<nav class=\"sidebar\"").expect("sidebar")..];
    let side = &side[..side.find("</nav>").unwrap()];
    let at = |needle: &str| {
        side.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in sidebar:\n{side}"))
    };
    // Folders in order, the open one on the way to the current page.
    assert!(at(">Tensions</a>") < at("<details open>"));
    assert!(at(">Tensions</a>") < at(">About</a>"));
    assert!(
        at("href=\"../../tensions/a/index.html\" aria-current=\"page\">Alpha</a>")
            < at(">Beta</a>")
    );
    assert!(at(">Beta</a>") < at(">Case notes</a>"));
    // Previous and next in reading order: Home, Tensions, Alpha, Beta,
    // Case notes, Deeper, About.
    let order = [
        "index.html",
        "tensions/index.html",
        "tensions/a/index.html",
        "tensions/b/index.html",
        "tensions/case-notes/index.html",
        "tensions/case-notes/c/index.html",
        "about/index.html",
    ];
    for (n, path) in order.iter().enumerate() {
        let html = test.page(path);
        let root = "../".repeat(path.matches('/').count());
        let prev_next = html
            .find("<nav class=\"prev-next\"")
            .map(|s| &html[s..s + html[s..].find("</nav>").unwrap()]);
        let prev_next = prev_next.unwrap_or_else(|| panic!("{path} has no previous/next"));
        match n.checked_sub(1).map(|p| order[p]) {
            Some(prev) => assert!(
                prev_next.contains(&format!("href=\"{root}{prev}\" data-step=\"prev\"")),
                "{path}: {prev_next}"
            ),
            None => assert!(!prev_next.contains("data-step=\"prev\""), "{path}"),
        }
        match order.get(n + 1) {
            Some(next) => assert!(
                prev_next.contains(&format!("href=\"{root}{next}\" data-step=\"next\"")),
                "{path}: {prev_next}"
            ),
            None => assert!(!prev_next.contains("data-step=\"next\""), "{path}"),
        }
    }
}

/// Tags: `tags/` lists every tag with its count, `tags/<tag>/` the notes,
/// quotes and references that carry it, by kind; a page's tags link there.
#[test]
fn tag_pages_list_pages_by_tag() {
    let test = SiteTest::new()
        .file("book.toml", crate::common::BOOK)
        .file("content/index.md", "---\ntitle: Home\ntags: [Method, power]\n---\n")
        .file("content/essay.md", "---\ntitle: Essay\ntags: [power]\n---\n")
        .file("content/tensions/ad.md", "---\ntitle: AD\nkind: tension\npoles: [agency, dependency]\nlevel: experienced\ntags: [power]\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/q.md", "---\ntitle: A quote\nkind: quote\nspeaker: fiona\ntensions: [ad]\ntags: [Power]\n---\nWords.\n");
    test.build().clean();
    let index = test.page("tags/index.html");
    let main = &index[..index.find("</main>").unwrap()];
    let method = main
        .find("<a href=\"method/index.html\">Method</a> (1)")
        .expect(main);
    let power = main
        .find("<a href=\"power/index.html\">power</a> (4)")
        .expect("power, any case");
    assert!(method < power, "alphabetical");
    let tag = test.page("tags/power/index.html");
    let main = &tag[..tag.find("</main>").unwrap()];
    assert!(main.contains("<h1>Tag: power</h1>"), "{main}");
    let notes = main
        .find("<h2 id=\"kind-note\">Notes</h2>")
        .expect("notes group");
    let tensions = main
        .find("<h2 id=\"kind-tension\">Tensions</h2>")
        .expect("tensions group");
    let quotes = main
        .find("<h2 id=\"kind-quote\">Quotes</h2>")
        .expect("quotes group");
    assert!(notes < tensions && tensions < quotes);
    let essay = main
        .find("<a href=\"../../essay/index.html\">Essay</a>")
        .unwrap();
    let home = main.find("<a href=\"../../index.html\">Home</a>").unwrap();
    assert!(
        notes < essay && essay < home && home < tensions,
        "by title within a kind"
    );
    assert!(main.contains("<a href=\"../../quotes/q/index.html\">A quote</a>"));
    assert!(!main.contains("Fiona"), "untagged pages are not listed");
    // A page's tags are links to their pages.
    let essay = test.page("essay/index.html");
    assert!(
        essay.contains("<li><a href=\"../tags/power/index.html\">power</a></li>"),
        "{essay}"
    );
}

/// A generated page (Metaphors, References, Tags…) takes its place in the
/// navigation by `order` like any note: a note at its path sets it.
#[test]
fn a_generated_page_takes_the_order_its_note_gives() {
    let test = SiteTest::new()
        .file("book.toml", crate::common::BOOK)
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file("content/about.md", "---\ntitle: About\norder: 90\n---\n")
        .file("content/metaphors/index.md", "---\ntitle: Metaphors\norder: 99\n---\nThe images participants used.\n")
        .file("content/tensions/ad.md", "---\ntitle: AD\nkind: tension\npoles: [agency, dependency]\nlevel: experienced\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/q.md", "---\ntitle: Q\nkind: quote\nspeaker: fiona\ntensions: [ad]\nmetaphor: roller coaster\n---\nWords.\n");
    test.build().clean();
    let home = test.page("index.html");
    let side = &home[home.find("<nav class=\"sidebar\"").unwrap()..];
    let about = side.find(">About</a>").unwrap();
    let metaphors = side.find(">Metaphors</a>").unwrap();
    let tensions = side.find(">Tensions</a>").unwrap();
    assert!(tensions < about && about < metaphors, "{side}");
    let page = test.page("metaphors/index.html");
    assert!(page.contains("The images participants used.") && page.contains("roller coaster"));
}
