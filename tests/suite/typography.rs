//! Scholarly typography over the built HTML: footnotes collected at the
//! foot of the page in reference order with links back, and the shipped
//! companion's use of them.

use crate::common::attr_values;
use crate::site::SiteTest;

#[test]
fn footnotes_are_collected_in_order_with_links_back() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file(
            "content/essay.md",
            "---\ntitle: Essay\n---\n[^later]: Defined first, cited second.\n\nOne[^first] and two[^later], then one again[^first].\n\n## A heading\n\nMore text.\n\n[^first]: The first note, with a [[index|link home]].\n",
        );
    test.build().clean();
    let html = test.page("essay/index.html");
    let notes_at = html.find("<section class=\"footnotes\"").expect("notes");
    assert!(
        html.find("More text.").unwrap() < notes_at,
        "notes after the text"
    );
    assert!(
        notes_at < html.find("</article>").unwrap(),
        "inside the article"
    );
    let notes = &html[notes_at..];
    let first = notes.find("<li id=\"fn-first\">").expect("first note");
    let later = notes.find("<li id=\"fn-later\">").expect("second note");
    assert!(first < later, "numbered by first reference");
    assert_eq!(html.matches("Defined first, cited second").count(), 1);
    // Each reference has an id its note links back to; links inside a
    // note resolve like any other.
    let ids = attr_values(&html, "id");
    for back in attr_values(notes, "href")
        .iter()
        .filter(|h| h.starts_with("#fnref"))
    {
        assert!(ids.contains(&back[1..].to_string()), "{back}");
    }
    assert!(notes.contains("href=\"#fnref-first\""));
    assert!(notes.contains("href=\"#fnref-first-2\""));
    assert!(
        notes.contains("<a href=\"../index.html\" title=\"Home\">link home</a>"),
        "{notes}"
    );
    for (text, n) in [("One", 1), ("two", 2), ("again", 1)] {
        let at = html
            .find(&format!("{text}<sup class=\"footnote-ref\">"))
            .expect(text);
        assert!(
            html[at..].starts_with(&format!("{text}<sup class=\"footnote-ref\"><a id=\"fnref-"))
        );
        assert!(
            html[at..at + 200].contains(&format!(">{n}</a></sup>")),
            "{text} → {n}"
        );
    }
}

#[test]
fn the_shipped_introduction_carries_the_papers_endnote() {
    let test = SiteTest::shipped();
    test.build().clean();
    let html = test.page("paper/introduction/index.html");
    assert!(html.contains("<a id=\"fnref-terms\" href=\"#fn-terms\""));
    let note = &html[html.find("<li id=\"fn-terms\">").expect("the note")..];
    assert!(note.contains("managed by volunteer trustees"));
    assert!(note.contains("href=\"#fnref-terms\""));
}

/// `$…$` and `$$…$$` become MathML at build time (no script, no CDN), the
/// TeX kept as an annotation; bad LaTeX is an error at its line and column.
/// A footnote reference with no definition shows as typed, and a
/// definition nothing refers to is not shown: each is a warning at its
/// place, with the likely typo named. A reference in code is no reference.
#[test]
fn a_footnote_without_its_other_half_is_a_warning_where_it_is() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file(
            "content/essay.md",
            "---\ntitle: Essay\n---\nOne[^fisrt] and two[^ok] and `[^code]`.\n\n[^ok]: Fine.\n\n[^first]: The note meant.\n\n[^stray]: Nobody's.\n",
        );
    let built = test.build().succeeded();
    let diagnostics = built.diagnostics.clone();
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
    assert!(
        diagnostics[0].starts_with("content/essay.md:4:4: warning: footnote `[^fisrt]` has no definition on this page, so it shows as typed"),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0].contains("did you mean `first`?"),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[1].starts_with("content/essay.md:8:1: warning: footnote `[^first]` is defined but nothing on this page refers to it, so it is not shown"),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[2]
            .starts_with("content/essay.md:10:1: warning: footnote `[^stray]` is defined"),
        "{diagnostics:#?}"
    );
    let html = built.page("essay/index.html");
    assert!(
        html.contains("One[^fisrt] and two"),
        "shown as typed: {html}"
    );
    assert!(html.contains("<li id=\"fn-ok\">"), "{html}");
}

#[test]
fn math_is_mathml_and_bad_latex_is_an_error_where_it_is() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file(
            "content/model.md",
            "---\ntitle: Model\n---\nThe share $p = \\frac{a}{a+b}$ of quotes, and\n\n$$\\sum_{i=1}^{n} x_i^2$$\n\nPrices of $5 and $10 stay text.\n",
        );
    test.build().clean();
    let html = test.page("model/index.html");
    assert!(html.contains("<math"), "{html}");
    assert!(html.contains("<mfrac>"), "a fraction");
    assert!(html.contains("display=\"block\""), "display math");
    assert!(
        html.contains("<annotation encoding=\"application/x-tex\">p = \\frac{a}{a+b}</annotation>")
    );
    assert!(html.contains("Prices of $5 and $10 stay text."), "{html}");
    assert!(!html.contains("<script src=\"http"), "nothing fetched");

    let bad = SiteTest::new().file(
        "content/index.md",
        "---\ntitle: Home\n---\nFine.\n\nThen $x + \\frca{1}{2}$ here.\n",
    );
    let run = bad.build().failed();
    assert!(
        run.stderr()
            .contains("content/index.md:6:11: error: LaTeX: Unknown command \"\\frca\"."),
        "{}",
        run.stderr()
    );
}

/// A lone image with a title is a numbered figure, a table followed by a
/// `Table: …` paragraph a numbered table; `{#fig:…}` / `{#tbl:…}` label
/// them and `@fig:…`, `[[#fig:…]]` refer to them as "Figure n" with a
/// link. An unknown label is an error with did-you-mean.
#[test]
fn figures_and_tables_are_numbered_and_cross_referenced() {
    let test = SiteTest::new()
        .file(
            "content/index.md",
            "---\ntitle: Home\n---\nSee [[essay#fig:pathway]].\n",
        )
        .file("content/a.png", "png")
        .file("content/b.png", "png")
        .file(
            "content/essay.md",
            "---\ntitle: Essay\n---\nAs @fig:pathway shows, and @tbl:counts counts.\n\n\
             ![An untitled picture](a.png)\n\n\
             ![A map of sites](a.png \"Where the study took place\")\n\n\
             ![Stages from start to end](b.png \"The pathway\"){#fig:pathway}\n\n\
             | Sector | Quotes |\n|---|---|\n| Voluntary | 12 |\n\n\
             Table: Quotes by *sector* {#tbl:counts}\n\n\
             Back to [[#fig:pathway]].\n",
        );
    test.build().clean();
    let html = test.page("essay/index.html");
    assert!(
        html.contains("<p><img src=\"../a.png\" alt=\"An untitled picture\" /></p>"),
        "an image without a title stays as it is: {html}"
    );
    let first = html
        .find("<figure class=\"figure\" id=\"figure-1\"><img src=\"../a.png\" alt=\"A map of sites\" />\n<figcaption>Figure 1. Where the study took place</figcaption></figure>")
        .expect("figure 1");
    let second = html
        .find("<figure class=\"figure\" id=\"fig:pathway\"><img src=\"../b.png\" alt=\"Stages from start to end\" />\n<figcaption>Figure 2. The pathway</figcaption></figure>")
        .expect("figure 2, labelled");
    assert!(first < second);
    assert!(html.contains("<figure class=\"table\" id=\"tbl:counts\"><figcaption>Table 1. Quotes by <em>sector</em></figcaption>\n<table>"), "{html}");
    assert!(!html.contains("{#tbl:counts}") && !html.contains("{#fig:pathway}"));
    assert!(html.contains("As <a class=\"xref\" href=\"#fig:pathway\">Figure 2</a> shows, and <a class=\"xref\" href=\"#tbl:counts\">Table 1</a> counts."));
    assert!(
        html.contains("Back to <a href=\"#fig:pathway\">Figure 2</a>."),
        "{html}"
    );
    let home = test.page("index.html");
    assert!(
        home.contains(
            "<a href=\"essay/index.html#fig:pathway\" title=\"Essay\">Essay › Figure 2</a>"
        ),
        "{home}"
    );

    let bad = SiteTest::new()
        .file(
            "content/index.md",
            "---\ntitle: Home\n---\n![P](p.png \"Path\"){#fig:pathway}\n\nAs @fig:pathwy shows.\n",
        )
        .file("content/p.png", "png");
    let run = bad.build().failed();
    assert!(
        run.stderr().contains("content/index.md:6:4: error: no figure or table `fig:pathwy` on this page\n  = help: did you mean `fig:pathway`?"),
        "{}",
        run.stderr()
    );
}

/// `print/` holds every page in reading order, each once, with links
/// between pages turned into links to their sections, ids kept unique,
/// quotes once and the references once at the end.
#[test]
fn the_printable_whole_is_every_page_once_in_reading_order() {
    let (_dir, site) = crate::common::built_shipped_site();
    let html = crate::common::read(&site.join("print/index.html"));
    assert!(
        html.contains("href=\"../assets/print.css\""),
        "its own print stylesheet"
    );
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    // Reading order: the paper's sections as the paper reads.
    let order: Vec<usize> = [
        "id=\"p-home\"",
        "id=\"p-paper\"",
        "id=\"p-paper-introduction\"",
        "id=\"p-paper-context\"",
        "id=\"p-paper-conclusions\"",
        "id=\"p-tensions\"",
        "id=\"p-tensions-agency-dependency\"",
        "id=\"print-references\"",
    ]
    .iter()
    .map(|id| main.find(id).unwrap_or_else(|| panic!("{id}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Every id once; every in-page link lands on one.
    let ids = attr_values(&html, "id");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for href in attr_values(main, "href") {
        if let Some(frag) = href.strip_prefix('#') {
            assert!(unique.contains(&frag.to_string()), "#{frag} has no target");
        } else {
            assert!(
                href.contains("://")
                    || href.starts_with("../assets/")
                    || href.starts_with("../references/references.")
                    || href.ends_with(".bib")
                    || href.ends_with(".ris")
                    || href.ends_with(".json")
                    || href.starts_with("mailto:"),
                "a link leaves the print page: {href}"
            );
        }
    }
    // A citation leads to the work in the references at the end.
    assert!(main.contains("class=\"cite\" href=\"#ref-vangen2003\""));
    assert!(main.contains("<li id=\"ref-vangen2003\">"));
    // Each quote once: Fiona's words are in her quote's section, and the
    // tension note that embeds the quote links to that section instead.
    let words = "You think you're making progress";
    assert_eq!(main.matches(words).count(), 1, "the quote once");
    let section = &main[main.find("id=\"p-quotes-fiona-roller-coaster\"").unwrap()..];
    assert!(section[..section.find("</section>").unwrap()].contains(words));
    let tension = &main[main.find("id=\"p-tensions-agency-dependency\"").unwrap()..];
    assert!(tension[..tension.find("</section>").unwrap()]
        .contains("href=\"#p-quotes-fiona-roller-coaster\""));
}
