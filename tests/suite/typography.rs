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
