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
    let nav = &home[home.find("<nav class=\"site-nav\"").unwrap()..home.find("</nav>").unwrap()];
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
        for section in az.split("<section aria-labelledby=\"").skip(1) {
            let letter = &section[section.find('>').unwrap() + 1..];
            let letter = &letter[letter.find('>').unwrap() + 1..letter.find("</h2>").unwrap()];
            let titles: Vec<&str> = section
                .split("<li><a href=\"")
                .skip(1)
                .map(|li| &li[li.find('>').unwrap() + 1..li.find("</a>").unwrap()])
                .filter(|t| !t.starts_with("Zz"))
                .collect();
            if !titles.is_empty() {
                groups.push(format!("{letter}: {}", titles.join(", ")));
            }
        }
        assert_eq!(groups.join(" | "), want, "{language}");
    }
}
