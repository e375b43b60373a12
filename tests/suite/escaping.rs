//! What a note or a bibliography holds reaches HTML escaped: raw HTML
//! unless the project allows it, and script payloads in every field.

use crate::site::SiteTest;

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let files = |allow: &str| {
        SiteTest::new()
            .file(
                "book.toml",
                &format!("[site]\ntitle = \"T\"\n[build]\nallow-raw-html = {allow}\n"),
            )
            .file(
                "content/index.md",
                "---\ntitle: Home\n---\n<script>alert(1)</script>\n\nHi <b>there</b>\n",
            )
    };
    let test = files("false");
    test.build().succeeded();
    let html = test.page("index.html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Hi &lt;b&gt;there&lt;/b&gt;"));
    let test = files("true");
    test.build().succeeded();
    assert!(test.page("index.html").contains("Hi <b>there</b>"));
}

/// Script payloads in every field that reaches HTML (site
/// title, page title, summary, tags, `extra`, headings, link text,
/// citation prefix and suffix, quote text, metaphor, tension poles,
/// participant names, bibliography title, author and publisher, code-fence
/// info strings) come out escaped on every page, each where it belongs.
#[test]
fn payloads_in_every_field_come_out_escaped() {
    let test = SiteTest::fixture("payloads-escaped");
    test.build().succeeded();
    let pages: Vec<(String, String)> = test
        .snapshot()
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect();
    assert!(pages.len() >= 10);
    for (path, html) in &pages {
        for raw in [
            "<script>alert",
            "<img src=x",
            "<b>Evil",
            "\"onmouseover=\"",
            "\"><",
        ] {
            let bad = if raw == "\"><" {
                // A quote closing an attribute only to open a tag.
                html.contains("\"><script") || html.contains("\"><img")
            } else {
                html.contains(raw)
            };
            assert!(!bad, "{path} holds raw `{raw}`");
        }
    }
    let page = |p: &str| &pages.iter().find(|(path, _)| path == p).unwrap().1;
    let escaped = |n: u8| format!("&lt;script&gt;alert({n})&lt;/script&gt;");
    let home = page("index.html");
    assert!(home.contains(&format!(
        "<title>&quot;&gt;{} · Fixture &lt;/title&gt;{}</title>",
        escaped(1),
        escaped(0)
    )));
    assert!(
        home.contains(&format!("{} heading</h2>", escaped(6))),
        "heading"
    );
    assert!(home.contains(&escaped(7)), "citation prefix");
    assert!(
        home.contains("&lt;img src=x onerror=alert(7)&gt;"),
        "citation suffix"
    );
    assert!(
        home.contains(&format!("the {} tension", escaped(8))),
        "link text"
    );
    assert!(
        home.contains("data-lang=\"&quot;&gt;&lt;img\""),
        "info string"
    );
    assert!(home.contains("data-lang=\"rust&quot;onmouseover=&quot;alert(5)\""));
    assert!(
        page("tensions/ad/index.html").contains(&escaped(9)),
        "tension title and poles"
    );
    let quote = page("quotes/q/index.html");
    assert!(quote.contains(&format!(
        "It goes &lt;/blockquote&gt;{} like that.",
        escaped(2)
    )));
    assert!(
        quote.contains("&lt;img src=x onerror=alert(3)&gt;"),
        "speaker"
    );
    let reference = page("references/evil2010/index.html");
    assert!(
        reference.contains(&format!("Less &lt; more: {}", escaped(4))),
        "bib title"
    );
    assert!(reference.contains("&lt;b&gt;Evil"), "bib author");
    // The search index is a script: no `</script` can end it early, and
    // it still parses to the texts as written.
    for file in std::fs::read_dir(test.output().join("assets/search")).unwrap() {
        let js = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(!js.to_lowercase().contains("</script"));
    }
    let docs = crate::common::search_docs(&test.output());
    let titles: Vec<&str> = docs.iter().map(|d| d["t"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"Quote </blockquote><script>alert(2)</script>"),
        "{titles:?}"
    );
}
