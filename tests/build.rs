//! End-to-end tests of `companion build`, `check` and `clean` on the shipped
//! companion and on small projects made for one case each.

mod common;

use std::path::Path;

use common::{check_links, project, run, run_env, shipped_project, snapshot, BOOK};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn shipped_companion_builds_cleanly_and_every_link_resolves() {
    let dir = shipped_project();
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "no warnings on the shipped companion");
    let summary = r.stdout.trim();
    assert!(
        summary.starts_with("built ") && summary.contains(" pages (") && summary.ends_with(" s"),
        "one summary line: {summary}"
    );
    let site = dir.path().join("site");
    let (links, problems) = check_links(&site, "/companion/");
    assert!(problems.is_empty(), "broken links: {problems:#?}");
    assert!(links.len() > 40, "links were checked ({})", links.len());
    for f in [".nojekyll", "404.html", "sitemap.xml", ".companion-output"] {
        assert!(site.join(f).exists(), "{f} written");
    }
    // The content exercises every link form the issue names.
    let home = read(&site.join("index.html"));
    assert!(home.contains("href=\"tensions/agency-dependency/index.html\" title=\"Agency/Dependency: Feeling able to make things happen, where decisions and resources rest with public agencies.\">Agency/Dependency</a>"));
    assert!(home.contains("href=\"policy/childrens-trusts/index.html\""));
    assert!(home.contains("href=\"about/index.html#citing-the-paper\""));
    let tension = read(&site.join("tensions/agency-dependency/index.html"));
    assert!(
        tension.contains("href=\"../../index.html#the-argument-in-brief\" title=\"A companion to “Collaborating across sector boundaries”: Notes, tensions, policy context and the voices of participants, for readers of Jacklin-Jarvis (2015).\">argument in brief</a>")
    );
    assert!(tension.contains("<h2 id=\"linked-from\">Linked from</h2>"));
}

#[test]
fn absolute_urls_only_where_required() {
    let dir = shipped_project();
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    let base = "https://companion-sites.github.io/companion/";
    let sitemap = read(&site.join("sitemap.xml"));
    for (path, bytes) in snapshot(&site) {
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
        for href in common::attr_values(&html, "href") {
            assert!(!href.starts_with('/'), "{path}: {href} is root-absolute");
        }
    }
    let not_found = read(&site.join("404.html"));
    assert!(not_found.contains(&format!("<base href=\"{base}\">")));
}

#[test]
fn base_url_flag_overrides_book_toml_and_cname_is_written() {
    let dir = project(&[
        (
            "book.toml",
            "[site]\ntitle = \"T\"\ncname = \"companion.example.org\"\n",
        ),
        ("content/index.md", "---\ntitle: Home\n---\n[[deep]]\n"),
        (
            "content/a/b/deep.md",
            "---\ntitle: Deep\n---\n[home](../../index.md)\n",
        ),
    ]);
    // Without a base URL there is no sitemap and the 404 page uses `/`.
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    assert!(!site.join("sitemap.xml").exists());
    assert!(read(&site.join("404.html")).contains("<base href=\"/\">"));
    assert_eq!(read(&site.join("CNAME")), "companion.example.org\n");

    let r = run(
        dir.path(),
        &["build", "--base-url", "https://example.org/repo"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sitemap = read(&site.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://example.org/repo/a/b/deep/</loc>"),
        "{sitemap}"
    );
    assert!(read(&site.join("404.html")).contains("<base href=\"https://example.org/repo/\">"));
    let (_, problems) = check_links(&site, "/repo/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_link_form_resolves_to_a_relative_url_and_backlinks_are_listed() {
    let dir = project(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\n---\n# Top\n\n[md](notes/a.md) [[b]] [[b|label]] [[b#part-two]] [up](#top) [ext](https://example.org/x)\n",
        ),
        ("content/notes/a.md", "---\ntitle: Note A\n---\n[back](../index.md)\n"),
        ("content/notes/b.md", "---\ntitle: Note B\n---\n## Part two\n"),
    ]);
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    let home = read(&site.join("index.html"));
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
    let b = read(&site.join("notes/b/index.html"));
    assert!(b.contains("<h2 id=\"part-two\">Part two</h2>"));
    assert!(
        b.contains("<li><a href=\"../../index.html\">Home</a></li>"),
        "backlink: {b}"
    );
    let a = read(&site.join("notes/a/index.html"));
    assert!(a.contains("<a href=\"../../index.html\" title=\"Home\">back</a>"));
    // Home is linked from A only.
    assert!(home.contains("<li><a href=\"notes/a/index.html\">Note A</a></li>"));
    assert!(!home.contains("<li><a href=\"notes/b/index.html\">Note B</a></li>"));
}

#[test]
fn pretty_links_without_index_html_when_configured() {
    let dir = project(&[
        (
            "book.toml",
            "[site]\ntitle = \"T\"\n[build]\nlink-index-html = false\n",
        ),
        ("content/index.md", "---\ntitle: Home\n---\n[[b]]\n"),
        ("content/b.md", "---\ntitle: B\n---\n[home](index.md)\n"),
    ]);
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    assert!(read(&site.join("index.html")).contains("<a href=\"b/\" title=\"B\">B</a>"));
    assert!(read(&site.join("b/index.html")).contains("<a href=\"../\" title=\"Home\">home</a>"));
    let (_, problems) = check_links(&site, "/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn code_is_highlighted_with_classes_and_two_stylesheets() {
    let dir = project(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\n---\n```rust\nfn main() { let x = \"<b>\"; }\n```\n\n```\nplain <text>\n```\n",
        ),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let site = dir.path().join("site");
    let html = read(&site.join("index.html"));
    assert!(html
        .contains("<pre class=\"code hl-code\" data-lang=\"rust\"><code class=\"language-rust\">"));
    assert!(html.contains("<span class=\"hl-"), "classed spans");
    assert!(html.contains("&lt;b&gt;"), "code text escaped");
    assert!(html.contains("<pre class=\"code\"><code>plain &lt;text&gt;\n</code></pre>"));
    let body = &html[html.find("<main").unwrap()..];
    assert!(!body.contains("style="), "no inline styles");
    let light = read(&site.join("assets/syntax-light.css"));
    let dark = read(&site.join("assets/syntax-dark.css"));
    assert!(light.contains(".hl-") && dark.contains(".hl-") && light != dark);
    assert!(html.contains("href=\"assets/syntax-dark.css\" media=\"(prefers-color-scheme: dark)\""));
}

#[test]
fn project_theme_overrides_one_template_and_sees_extra() {
    let dir = project(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\nextra:\n  colour: teal\n  tags: [x, y]\n  note: '\"><script>alert(1)</script>'\n---\nBody\n",
        ),
        (
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"mine\" title=\"{{ page.extra.note }}\">{{ page.extra.colour }} {{ page.extra.tags | length }} {{ page.extra.note }}</p>{{ page.content | safe }}{% endblock main %}",
        ),
        ("themes/default/static/extra.css", "p { color: teal }"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    let html = read(&site.join("index.html"));
    // `extra:` values are the researcher's own, and escaped like the rest
    // (row 23), in text and in attributes.
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
    assert_eq!(read(&site.join("assets/extra.css")), "p { color: teal }");
    assert!(site.join("assets/style.css").exists());
}

/// A theme's template extends the built-in one (`builtin/<name>`) and
/// changes one block; the rest of the page is the built-in one's.
#[test]
fn a_theme_template_extends_the_built_in_one() {
    let dir = project(&[
        ("book.toml", BOOK),
        ("content/index.md", "---\ntitle: Home\n---\nBody text\n"),
        (
            "themes/default/templates/page.html",
            "{% extends \"builtin/page.html\" %}{% block title %}Mine: {{ page.title }}{% endblock title %}",
        ),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = read(&dir.path().join("site/index.html"));
    assert!(html.contains("<title>Mine: Home</title>"), "{html}");
    assert!(
        html.contains("<p>Body text</p>"),
        "the built-in main block: {html}"
    );
}

#[test]
fn broken_template_is_a_usage_error_and_writes_nothing() {
    let dir = project(&[
        ("book.toml", BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
        ("themes/default/templates/page.html", "{% if %}"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("page.html"), "{}", r.stderr);
    assert!(!dir.path().join("site").exists());
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let files = |allow: &str| {
        project(&[
            (
                "book.toml",
                &format!("[site]\ntitle = \"T\"\n[build]\nallow-raw-html = {allow}\n"),
            ),
            (
                "content/index.md",
                "---\ntitle: Home\n---\n<script>alert(1)</script>\n\nHi <b>there</b>\n",
            ),
        ])
    };
    let dir = files("false");
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let html = read(&dir.path().join("site/index.html"));
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Hi &lt;b&gt;there&lt;/b&gt;"));
    let dir = files("true");
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    assert!(read(&dir.path().join("site/index.html")).contains("Hi <b>there</b>"));
}

#[test]
fn check_reports_like_build_but_writes_nothing() {
    let dir = shipped_project();
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("checked "), "{}", r.stdout);
    assert!(!dir.path().join("site").exists());

    common::write_files(
        dir.path(),
        &[("content/bad.md", "---\ntitle: Bad\n---\n[[nope]]\n")],
    );
    let check = run(dir.path(), &["check"]);
    let build = run(dir.path(), &["build"]);
    assert_eq!((check.code, build.code), (1, 1));
    assert!(check
        .stderr
        .starts_with("content/bad.md:4:1: error: link to unknown note `[[nope]]`"));
    assert_eq!(
        check.stderr.lines().next(),
        build.stderr.lines().next(),
        "same diagnostics"
    );
    assert!(!dir.path().join("site").exists());
}

#[test]
fn clean_removes_only_what_companion_built() {
    let dir = shipped_project();
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let r = run(dir.path(), &["clean"]);
    assert_eq!(r.code, 0);
    assert!(!dir.path().join("site").exists());
    // A folder without the marker is refused and kept.
    let foreign = dir.path().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "precious").unwrap();
    let r = run(
        dir.path(),
        &["clean", "--output", foreign.to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing to replace"), "{}", r.stderr);
    assert_eq!(read(&foreign.join("keep.txt")), "precious");
}

#[test]
fn help_is_available_on_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for (args, want) in [
        (vec!["--help"], "check"),
        (vec!["build", "--help"], "--base-url"),
        (vec!["check", "--help"], "--base-url"),
        (vec!["clean", "--help"], "--output"),
    ] {
        let r = run(dir.path(), &args);
        assert_eq!(r.code, 0, "{args:?}");
        assert!(r.stdout.contains(want), "{args:?}: {}", r.stdout);
        assert!(r.stdout.contains("--root"), "{args:?}");
    }
    let r = run(dir.path(), &["build", "--no-such-flag"]);
    assert_eq!(r.code, 2, "usage errors exit 2");
}

#[test]
fn configuration_problems_exit_2_with_position() {
    let dir = project(&[
        (
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[build]\noutptu = \"x\"\n",
        ),
        ("content/index.md", "---\ntitle: Home\n---\n"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("book.toml:5:1: error: unknown field `outptu`"),
        "{}",
        r.stderr
    );
    let empty = tempfile::tempdir().unwrap();
    let r = run(empty.path(), &["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no book.toml"), "{}", r.stderr);
}

/// Row 8: a byte-order mark and CRLF or mixed line endings change nothing.
#[test]
fn bom_and_crlf_give_identical_output_and_positions() {
    let lf = "---\ntitle: Home\nsummary: s\n---\n# Head\n\nText [[b]].\n";
    let b_lf = "---\ntitle: B\n---\nBody\n\n```rust\nfn f() {}\n```\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let b_mixed = "---\r\ntitle: B\n---\rBody\r\n\n```rust\r\nfn f() {}\n```\r\n";
    let one = project(&[
        ("book.toml", BOOK),
        ("content/index.md", lf),
        ("content/b.md", b_lf),
    ]);
    let two = project(&[
        ("book.toml", BOOK),
        ("content/index.md", &crlf),
        ("content/b.md", b_mixed),
    ]);
    assert_eq!(run(one.path(), &["build"]).code, 0);
    assert_eq!(run(two.path(), &["build"]).code, 0);
    assert_eq!(
        snapshot(&one.path().join("site")),
        snapshot(&two.path().join("site"))
    );

    let bad = "\u{feff}---\r\ntitle: x\r\n---\r\n\r\nSee [[missing]].\r\n";
    let dir = project(&[("book.toml", BOOK), ("content/index.md", bad)]);
    let r = run(dir.path(), &["build"]);
    assert!(
        r.stderr
            .starts_with("content/index.md:5:5: error: link to unknown note"),
        "{}",
        r.stderr
    );
}

/// Row 17: names that differ only in case or Unicode normalization.
#[test]
fn case_and_normalization_clashes_are_errors() {
    let dir = project(&[
        ("book.toml", BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
        ("content/Notes.md", "---\ntitle: N1\n---\n"),
        ("content/notes.md", "---\ntitle: N2\n---\n"),
        ("content/caf\u{e9}.md", "---\ntitle: C1\n---\n"),
        ("content/cafe\u{301}.md", "---\ntitle: C2\n---\n"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(
        "content/notes.md:1:1: error: `content/notes.md` and `content/Notes.md` differ only in letter case or Unicode normalization"
    ), "{}", r.stderr);
    assert!(r.stderr.contains("content/caf\u{e9}.md:1:1: error: `content/caf\u{e9}.md` and `content/cafe\u{301}.md` differ only"), "{}", r.stderr);
}

/// Rows 19 and 20: symlinks are never followed, and a loop does not hang.
#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    // If this were read, the build would fail on its front matter.
    std::fs::write(
        outside.path().join("secret.md"),
        "no front matter, secret text\n",
    )
    .unwrap();
    let dir = project(&[
        ("book.toml", BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
    ]);
    symlink(
        outside.path().join("secret.md"),
        dir.path().join("content/leak.md"),
    )
    .unwrap();
    symlink(outside.path(), dir.path().join("content/outside")).unwrap();
    symlink(".", dir.path().join("content/loop")).unwrap();

    let r = common::run_within(
        dir.path(),
        &["build"],
        std::time::Duration::from_secs(10),
        "build on a symlink loop",
    );
    let stderr = r.stderr;
    assert_eq!(r.code, 0, "{stderr}");
    for name in ["leak.md", "loop", "outside"] {
        assert!(
            stderr.contains(&format!(
                "content/{name}:1:1: warning: symlink not followed"
            )),
            "{name}: {stderr}"
        );
    }
    let all: Vec<u8> = snapshot(&dir.path().join("site"))
        .into_values()
        .flatten()
        .collect();
    assert!(!String::from_utf8_lossy(&all).contains("secret text"));
}

/// Row 25: output folders that are not ours are refused before any work.
#[test]
fn dangerous_output_folders_are_refused() {
    let dir = shipped_project();
    let root = dir.path();
    let foreign = root.join("docs");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("canary.txt"), "alive").unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("canary.txt"), "alive").unwrap();
    let before = snapshot(root);
    let cases = [
        (".".to_string(), "project folder"),
        ("..".to_string(), "project folder"),
        ("content".to_string(), "content folder"),
        ("content/out".to_string(), "content folder"),
        ("/".to_string(), "file-system root"),
        (
            foreign.to_string_lossy().into_owned(),
            "no .companion-output marker",
        ),
        (home.path().to_string_lossy().into_owned(), "home folder"),
    ];
    for (out, why) in &cases {
        let out_path = if out.starts_with('/') {
            out.clone()
        } else {
            root.join(out).to_string_lossy().into_owned()
        };
        let r = run_env(
            root,
            &["build", "--output", &out_path],
            &[("HOME", home.path().to_str().unwrap())],
        );
        assert_eq!(r.code, 2, "{out}: {}", r.stderr);
        assert!(
            r.stderr.contains("refusing to replace"),
            "{out}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(why), "{out}: {}", r.stderr);
    }
    assert_eq!(before, snapshot(root), "nothing in the project changed");
    assert_eq!(read(&home.path().join("canary.txt")), "alive");
}

/// Row 26: an output folder holding `.git` is refused with a hint.
#[test]
fn output_with_git_folder_is_refused() {
    let dir = shipped_project();
    let out = dir.path().join("site");
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    std::fs::create_dir(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    let before = snapshot(&out);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".git"), "{}", r.stderr);
    assert_eq!(before, snapshot(&out));
}

/// Row 28: the same input gives the same bytes whatever the thread count,
/// the checkout path, the time zone or the locale.
#[test]
fn builds_are_byte_identical() {
    let one = shipped_project();
    let two = shipped_project();
    let r1 = run_env(
        one.path(),
        &["build"],
        &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC"), ("LC_ALL", "C")],
    );
    let r2 = run_env(
        two.path(),
        &["build"],
        &[
            ("RAYON_NUM_THREADS", "4"),
            ("TZ", "Pacific/Auckland"),
            ("LC_ALL", "de_DE.UTF-8"),
        ],
    );
    assert_eq!((r1.code, r2.code), (0, 0));
    let a = snapshot(&one.path().join("site"));
    let b = snapshot(&two.path().join("site"));
    assert!(a.len() > 5);
    assert_eq!(a, b);
    // And a rebuild in place changes nothing.
    assert_eq!(run(one.path(), &["build"]).code, 0);
    assert_eq!(a, snapshot(&one.path().join("site")));
}

/// Row 29: file names with spaces, `#`, `?`, `%` and non-ASCII letters.
#[test]
fn odd_file_names_get_working_encoded_urls() {
    let dir = project(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\n---\n[a](notes/a%20b.md) [b](notes/c%23d.md) [c](notes/why%3F.md) [d](notes/100%25.md) [e](notes/café.md) [[a b]]\n",
        ),
        ("content/notes/a b.md", "---\ntitle: Space\n---\n[home](../index.md)\n"),
        ("content/notes/c#d.md", "---\ntitle: Hash\n---\n"),
        ("content/notes/why?.md", "---\ntitle: Question\n---\n"),
        ("content/notes/100%.md", "---\ntitle: Percent\n---\n"),
        ("content/notes/café.md", "---\ntitle: Café\n---\n"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    let home = read(&site.join("index.html"));
    for href in [
        "notes/a-b/index.html",
        "notes/c-d/index.html",
        "notes/why/index.html",
        "notes/100/index.html",
        "notes/caf%C3%A9/index.html",
    ] {
        assert!(home.contains(&format!("href=\"{href}\"")), "{href}");
    }
    let (links, problems) = check_links(&site, "/");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(links.iter().any(|l| l.href.contains("%C3%A9")));
}

/// The link checker the tests above rely on does catch broken links.
#[test]
fn link_checker_finds_broken_links_and_anchors() {
    let dir = project(&[
        ("index.html", "<a href=\"a/index.html#x\">ok</a><a href=\"a/index.html#nope\">bad anchor</a>"),
        ("a/index.html", "<h1 id=\"x\">X</h1><a href=\"../missing/index.html\">gone</a><a href=\"/abs/\">abs</a>"),
    ]);
    let (links, problems) = check_links(dir.path(), "/");
    assert_eq!(links.len(), 1);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("no id \"nope\"")));
    assert!(problems
        .iter()
        .any(|p| p.contains("missing/index.html does not exist")));
    assert!(problems.iter().any(|p| p.contains("root-absolute")));
}

#[test]
fn folder_index_pages_list_their_pages_and_appear_in_the_navigation() {
    let dir = project(&[
        ("book.toml", BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
        ("content/about.md", "---\ntitle: About\norder: 9\n---\n"),
        (
            "content/tensions/index.md",
            "---\ntitle: Tensions\norder: 1\n---\n",
        ),
        (
            "content/tensions/b.md",
            "---\ntitle: Beta\nsummary: second\n---\n",
        ),
        ("content/tensions/a.md", "---\ntitle: Alpha\n---\n"),
        ("content/tensions/deep/c.md", "---\ntitle: Deeper\n---\n"),
    ]);
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    let index = read(&site.join("tensions/index.html"));
    let section = &index[index.find("In this section").expect("listing")..];
    let alpha = section
        .find("<a href=\"a/index.html\">Alpha</a>")
        .expect("Alpha listed");
    let beta = section
        .find("<a href=\"b/index.html\">Beta</a>: second")
        .expect("Beta listed");
    assert!(alpha < beta, "sorted by title");
    assert!(!section.contains("Deeper"), "only direct children");
    let home = read(&site.join("index.html"));
    let nav = &home[home.find("<nav class=\"site-nav\"").unwrap()..home.find("</nav>").unwrap()];
    let t = nav.find(">Tensions<").expect("Tensions in nav");
    let a = nav.find(">About<").expect("About in nav");
    assert!(t < a, "nav follows `order`");
}

/// Row 27: an error in the last note leaves the previous site as it was.
#[test]
fn late_error_leaves_the_previous_site_byte_identical() {
    let dir = shipped_project();
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let before = snapshot(&dir.path().join("site"));
    common::write_files(
        dir.path(),
        &[(
            "content/zz/zz-last.md",
            "---\ntitle: Last\n---\n[[agency-dependency#no-such-part]]\n",
        )],
    );
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(
        "content/zz/zz-last.md:4:1: error: no heading `#no-such-part` on content/tensions/agency-dependency.md"
    ), "{}", r.stderr);
    assert_eq!(before, snapshot(&dir.path().join("site")));
    assert!(common::leftovers(dir.path()).is_empty());
}

#[test]
fn figures_and_files_beside_notes_are_copied_and_linked() {
    let dir = project(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            "---\ntitle: Home\n---\n[[x]] and mail <someone@example.org>.\n",
        ),
        (
            "content/Field Notes/x.md",
            "---\ntitle: X\n---\n![A chart](figures/chart%201.svg)\n\n[the data](../data/interviews.csv) and [root](/data/interviews.csv)\n",
        ),
        ("content/Field Notes/figures/chart 1.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
        ("content/data/interviews.csv", "id,speaker\n1,Fiona\n"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let site = dir.path().join("site");
    let x = read(&site.join("field-notes/x/index.html"));
    assert!(
        x.contains("<img src=\"../figures/chart%201.svg\" alt=\"A chart\""),
        "{x}"
    );
    assert!(x.contains("<a href=\"../../data/interviews.csv\">the data</a>"));
    assert!(x.contains("<a href=\"../../data/interviews.csv\">root</a>"));
    assert_eq!(
        read(&site.join("data/interviews.csv")),
        "id,speaker\n1,Fiona\n"
    );
    assert!(site.join("field-notes/figures/chart 1.svg").is_file());
    let home = read(&site.join("index.html"));
    assert!(
        home.contains("<a href=\"mailto:someone@example.org\">someone@example.org</a>"),
        "{home}"
    );
    let (_, problems) = check_links(&site, "/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn output_folders_with_foreign_dotfiles_symlinks_or_inside_themes_are_refused() {
    let dir = shipped_project();
    let root = dir.path();
    assert_eq!(run(root, &["build"]).code, 0);
    let site = root.join("site");
    // A `.well-known` folder would be lost in the swap: build and clean refuse.
    std::fs::create_dir(site.join(".well-known")).unwrap();
    std::fs::write(site.join(".well-known/security.txt"), "x").unwrap();
    for args in [&["build"][..], &["clean"][..], &["check"][..]] {
        let r = run(root, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(".well-known"), "{args:?}: {}", r.stderr);
    }
    assert!(site.join(".well-known/security.txt").exists());
    std::fs::remove_dir_all(site.join(".well-known")).unwrap();
    // A .git folder: `clean` refuses too.
    std::fs::create_dir(site.join(".git")).unwrap();
    let r = run(root, &["clean"]);
    assert_eq!(r.code, 2);
    assert!(site.join(".git").exists());
    std::fs::remove_dir_all(site.join(".git")).unwrap();

    let theme_out = root.join("themes/default/static/out");
    let r = run(root, &["build", "--output", theme_out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("themes folder"));

    #[cfg(unix)]
    {
        let elsewhere = tempfile::tempdir().unwrap();
        let link = root.join("linked");
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        let r = run(root, &["build", "--output", link.to_str().unwrap()]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    // `site/x/..` is the same folder as `site`, and works.
    let r = run(
        root,
        &[
            "build",
            "--output",
            root.join("site/x/..").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.join(".companion-output").exists());
    assert!(common::leftovers(root).is_empty() && common::leftovers(&site).is_empty());
}

/// Thousands of equal headings get unique ids without slowing to a crawl.
#[test]
fn many_equal_headings_finish() {
    let body: String = "# a\n\n".repeat(20_000);
    let dir = project(&[
        ("book.toml", BOOK),
        (
            "content/index.md",
            &format!("---\ntitle: H\n---\n{body}[last](#a-19999)\n"),
        ),
    ]);
    let r = common::run_within(
        dir.path(),
        &["check"],
        std::time::Duration::from_secs(30),
        "check on repeated headings",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Without JavaScript, every page is reachable from the A–Z index, which
/// every page links to.
#[test]
fn a_to_z_index_reaches_every_page() {
    let dir = shipped_project();
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    let az = read(&site.join("a-z/index.html"));
    let hrefs: std::collections::BTreeSet<String> =
        common::attr_values(&az, "href").into_iter().collect();
    for (path, bytes) in snapshot(&site) {
        if !path.ends_with("index.html") || path == "a-z/index.html" {
            continue;
        }
        let rel = format!("../{path}");
        assert!(hrefs.contains(&rel), "{path} missing from the A–Z index");
        let html = String::from_utf8(bytes).unwrap();
        assert!(html.contains("A–Z index</a>"), "{path} links the A–Z index");
    }
}

/// The search index is a script (so it loads from `file://`) that lists
/// every page but the A–Z index, with quotes' tensions for the filter, and
/// it cannot close a script element early.
#[test]
fn search_index_lists_every_page_safely() {
    let dir = project(&[
        ("book.toml", BOOK),
        ("content/index.md", "---\ntitle: Home </script><b>\n---\nText about </script> tags.\n"),
        ("content/tensions/ad.md", "---\ntitle: Agency/Dependency\nkind: tension\npoles: [a, d]\nlevel: experienced\n---\n"),
        ("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n"),
        ("content/quotes/roller.md", "---\ntitle: Roller coaster\nkind: quote\nspeaker: fiona\ntensions: [ad]\n---\nThen it goes like that again.\n"),
    ]);
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    let js = read(&site.join("assets/search-index.js"));
    assert!(js.starts_with("window.companionSearch = {"));
    assert!(!js.contains("</script"), "no closing tag in the script");
    let json = js
        .trim_start_matches("window.companionSearch = ")
        .trim_end()
        .trim_end_matches(';')
        .replace("<\\/", "</");
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
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
    let page = read(&site.join("search/index.html"));
    assert!(page.contains("<script src=\"../assets/search-index.js\"></script>"));
    assert!(page.contains("<noscript>"));
}

/// `[build] search = false`: no search page, no index, no link to either,
/// and every remaining link still resolves.
#[test]
fn search_can_be_switched_off() {
    let book = format!("{BOOK}[build]\nsearch = false\n");
    let dir = project(&[
        ("book.toml", &book),
        (
            "content/index.md",
            "---\ntitle: Home\n---\nSee [about](about.md).\n",
        ),
        ("content/about.md", "---\ntitle: About\n---\nText.\n"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    assert!(!site.join("assets/search-index.js").exists());
    assert!(!site.join("search").exists());
    let home = read(&site.join("index.html"));
    assert!(!home.contains("search-link"), "no masthead search link");
    assert!(home.contains("a-z/index.html"), "the A–Z index stays");
    let (links, broken) = common::check_links(&site, "");
    assert!(links.len() > 20);
    assert!(broken.is_empty(), "{broken:?}");
}

/// The theme loads nothing from elsewhere, prints cleanly, and shows focus.
#[test]
fn theme_is_self_contained_printable_and_focus_visible() {
    let dir = shipped_project();
    assert_eq!(run(dir.path(), &["build"]).code, 0);
    let site = dir.path().join("site");
    for (path, bytes) in snapshot(&site) {
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
                for value in common::attr_values(&format!("<{tag}"), attr) {
                    assert!(!value.contains("://"), "{path}: external resource {value}");
                }
            }
        }
    }
    let css = read(&site.join("assets/style.css"));
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    assert!(
        print.contains(".site-nav") && print.contains("display: none"),
        "navigation hidden in print"
    );
    assert!(
        print.contains("content: \" <\" attr(href) \">\""),
        "link targets shown in print"
    );
    assert!(css.contains(":focus-visible"), "visible focus");
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("[data-theme=\"dark\"]"));
}

/// Rows 23 and 24: script payloads in every field that reaches HTML (site
/// title, page title, summary, tags, `extra`, headings, link text,
/// citation prefix and suffix, quote text, metaphor, tension poles,
/// participant names, bibliography title, author and publisher, code-fence
/// info strings) come out escaped on every page, each where it belongs.
#[test]
fn payloads_in_every_field_come_out_escaped() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::repo().join("tests/fixtures/23-24-payloads-escaped"),
        dir.path(),
    );
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    let pages: Vec<(String, String)> = snapshot(&site)
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
    let js = std::fs::read_to_string(site.join("assets/search-index.js")).unwrap();
    assert!(!js.to_lowercase().contains("</script"));
    let json = js
        .trim_start_matches("window.companionSearch = ")
        .trim_end()
        .trim_end_matches(';')
        .replace("<\\/", "</");
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    let titles: Vec<&str> = data["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Quote </blockquote><script>alert(2)</script>"),
        "{titles:?}"
    );
}

/// Row 30: a root-absolute link (`/notes/x/`, `/notes/x.md`, with an
/// anchor) in a site deployed under `/repo-name/` becomes a relative link
/// to the page, so it works at any prefix; a missing target is an error
/// (fixture 30-root-absolute-missing).
#[test]
fn root_absolute_links_become_relative() {
    let book = "[site]\ntitle = \"F\"\nbase-url = \"https://example.org/repo-name/\"\n";
    let dir = project(&[
        ("book.toml", book),
        (
            "content/index.md",
            "---\ntitle: Home\n---\n[dir](/notes/x/), [md](/notes/x.md), [anchor](/notes/x/#part)\n",
        ),
        ("content/notes/x.md", "---\ntitle: X\n---\n# Part\n[back](/)\n"),
    ]);
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    let home = read(&site.join("index.html"));
    assert!(home.contains("<a href=\"notes/x/index.html\" title=\"X\">dir</a>"));
    assert!(home.contains("<a href=\"notes/x/index.html\" title=\"X\">md</a>"));
    assert!(home.contains("<a href=\"notes/x/index.html#part\""));
    let x = read(&site.join("notes/x/index.html"));
    assert!(
        x.contains("<a href=\"../../index.html\" title=\"Home\">back</a>"),
        "root itself"
    );
    let (_, broken) = check_links(&site, "");
    assert!(broken.is_empty(), "{broken:?}");
    let (_, broken) = check_links(&site, "repo-name/");
    assert!(broken.is_empty(), "under a prefix: {broken:?}");
}

/// Dates are shown as the site's language writes them, with the ISO date
/// kept for machines; the policy timeline too.
#[test]
fn dates_read_in_the_sites_language() {
    for (language, shown, period) in [
        ("en-GB", "8 April 2003", "8 April 2003–June 2004"),
        ("en-US", "April 8, 2003", "April 8, 2003–June 2004"),
    ] {
        let dir = common::project(&[
            (
                "book.toml",
                &format!("[site]\ntitle = \"T\"\nlanguage = \"{language}\"\n"),
            ),
            ("content/index.md", "---\ntitle: Home\ndate: 2003-04-08\n---\nHi.\n"),
            (
                "content/policy/act.md",
                "---\ntitle: The act\nkind: policy\ndate: 2003-04-08\nend: 2004-06\n---\nA period.\n",
            ),
        ]);
        let r = run(dir.path(), &["build"]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""));
        let home = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
        assert!(
            home.contains(&format!("<time datetime=\"2003-04-08\">{shown}</time>")),
            "{language}"
        );
        let timeline = std::fs::read_to_string(dir.path().join("site/policy/index.html")).unwrap();
        assert!(
            timeline.contains(&format!(">{period}</time>")),
            "{language}: {timeline}"
        );
    }
}
