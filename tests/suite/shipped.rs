//! The shipped companion built whole: a clean build, links that resolve,
//! absolute URLs only where a full address is needed, and the theme's
//! promises (self-contained, printable, visible focus).

use crate::site::SiteTest;

#[test]
fn shipped_companion_builds_cleanly_and_every_link_resolves() {
    let test = SiteTest::shipped();
    let r = test.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "no warnings on the shipped companion");
    let summary = r.stdout.trim();
    assert!(
        summary.starts_with("built ") && summary.contains(" pages (") && summary.ends_with(" s"),
        "one summary line: {summary}"
    );
    let site = test.output();
    let (links, problems) = test.check_links("/companion/");
    assert!(problems.is_empty(), "broken links: {problems:#?}");
    assert!(links.len() > 40, "links were checked ({})", links.len());
    for f in [".nojekyll", "404.html", "sitemap.xml", ".companion-output"] {
        assert!(site.join(f).exists(), "{f} written");
    }
    // The content exercises every link form.
    let home = test.page("index.html");
    assert!(home.contains("href=\"tensions/agency-dependency/index.html\" title=\"Agency/Dependency: Feeling able to make things happen, where decisions and resources rest with public agencies.\">Agency/Dependency</a>"));
    assert!(home.contains("href=\"policy/childrens-trusts/index.html\""));
    assert!(home.contains("href=\"about/index.html#citing-the-paper\""));
    let tension = test.page("tensions/agency-dependency/index.html");
    assert!(
        tension.contains("href=\"../../index.html#the-argument-in-brief\" title=\"A companion to “Collaborating across sector boundaries”: Notes, tensions, policy context and the voices of participants, for readers of Jacklin-Jarvis (2015).\">argument in brief</a>")
    );
    assert!(tension.contains("<h2 id=\"linked-from\">Linked from</h2>"));
}

#[test]
fn absolute_urls_only_where_required() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    let base = "https://companion-sites.github.io/companion/";
    let sitemap = test.page("sitemap.xml");
    for (path, bytes) in test.snapshot() {
        if !path.ends_with("index.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let url = format!("{base}{}", path.trim_end_matches("index.html"));
        // The base URL stands only in the canonical link and in the
        // "Cite this page" box, which needs a full address.
        let cite_box = html
            .find("<aside class=\"cite-this\"")
            .map_or(0..0, |s| s..s + html[s..].find("</aside>").unwrap());
        let outside = format!("{}{}", &html[..cite_box.start], &html[cite_box.end..]);
        assert_eq!(
            outside.matches(base).count(),
            1,
            "{path}: the base URL appears once outside the citation box, in the canonical link"
        );
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{path}"
        );
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} in sitemap"
        );
        for href in crate::common::attr_values(&html, "href") {
            assert!(!href.starts_with('/'), "{path}: {href} is root-absolute");
        }
    }
    let not_found = test.page("404.html");
    assert!(not_found.contains(&format!("<base href=\"{base}\">")));
}

/// The theme loads nothing from elsewhere, prints cleanly, and shows focus.
#[test]
fn theme_is_self_contained_printable_and_focus_visible() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    for (path, bytes) in test.snapshot() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        // Scripts, stylesheets and icons; a canonical link is an address, not a load.
        let loads = |t: &&str| {
            t.starts_with("script") || (t.starts_with("link ") && !t.contains("rel=\"canonical\""))
        };
        for tag in html.split('<').filter(loads) {
            for attr in ["src", "href"] {
                for value in crate::common::attr_values(&format!("<{tag}"), attr) {
                    assert!(!value.contains("://"), "{path}: external resource {value}");
                }
            }
        }
    }
    let css = test.page("assets/style.css");
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    assert!(
        print.contains(".sidebar") && print.contains("display: none"),
        "navigation hidden in print"
    );
    assert!(
        print.contains("content: \" <\" attr(href) \">\""),
        "link targets shown in print"
    );
    assert!(css.contains(":focus-visible"), "visible focus");
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("[data-theme=\"dark\"]"));
}
