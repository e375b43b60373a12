//! Themes: a project's templates over the built-in ones, `builtin/`
//! templates to extend, a broken template as a usage error, and code
//! highlighting through classes and two stylesheets.

use crate::site::SiteTest;

#[test]
fn project_theme_overrides_one_template_and_sees_extra() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\nextra:\n  colour: teal\n  tags: [x, y]\n  note: '\"><script>alert(1)</script>'\n---\nBody\n")
        .file("themes/default/templates/page.html", "{% extends \"base.html\" %}{% block main %}<p class=\"mine\" title=\"{{ page.extra.note }}\">{{ page.extra.colour }} {{ page.extra.tags | length }} {{ page.extra.note }}</p>{{ page.content | safe }}{% endblock main %}")
        .file("themes/default/static/extra.css", "p { color: teal }");
    test.build().succeeded();
    let site = test.output();
    let html = test.page("index.html");
    // `extra:` values are the researcher's own, and escaped like the rest,
    // in text and in attributes.
    let payload = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;";
    assert!(
        html.contains(&format!(
            "<p class=\"mine\" title=\"{payload}\">teal 2 {payload}</p><p>Body</p>"
        )),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"skip-link\""),
        "base.html still the built-in one"
    );
    assert_eq!(test.page("assets/extra.css"), "p { color: teal }");
    assert!(site.join("assets/style.css").exists());
}

/// A theme's template extends the built-in one (`builtin/<name>`) and
/// changes one block; the rest of the page is the built-in one's.
#[test]
fn a_theme_template_extends_the_built_in_one() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\nBody text\n")
        .file("themes/default/templates/page.html", "{% extends \"builtin/page.html\" %}{% block title %}Mine: {{ page.title }}{% endblock title %}");
    let html = test.build().succeeded().page("index.html");
    assert!(html.contains("<title>Mine: Home</title>"), "{html}");
    assert!(
        html.contains("<p>Body text</p>"),
        "the built-in main block: {html}"
    );
}

#[test]
fn broken_template_is_a_usage_error_and_writes_nothing() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file("themes/default/templates/page.html", "{% if %}");
    let r = test.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("page.html"), "{}", r.stderr);
    assert!(!test.output().exists());
}

#[test]
fn code_is_highlighted_with_classes_and_two_stylesheets() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n```rust\nfn main() { let x = \"<b>\"; }\n```\n\n```\nplain <text>\n```\n");
    test.build().clean();
    let html = test.page("index.html");
    assert!(html
        .contains("<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"rust\"><code class=\"language-rust\">"));
    assert!(html.contains("<span class=\"hl-"), "classed spans");
    assert!(html.contains("&lt;b&gt;"), "code text escaped");
    assert!(
        html.contains("<pre class=\"code\" tabindex=\"0\"><code>plain &lt;text&gt;\n</code></pre>")
    );
    let body = &html[html.find("<main").unwrap()..];
    assert!(!body.contains("style="), "no inline styles");
    let light = test.page("assets/syntax-light.css");
    let dark = test.page("assets/syntax-dark.css");
    assert!(light.contains(".hl-") && dark.contains(".hl-") && light != dark);
    assert!(html.contains("href=\"assets/syntax-dark.css\" media=\"(prefers-color-scheme: dark)\""));
}
