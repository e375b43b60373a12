//! Tensions, quotes, participants and metaphors on the shipped companion:
//! every count and listing checked against the front matter, read here
//! independently of the build.

use std::collections::BTreeMap;

use crate::common::check_links;
use crate::site::SiteTest;

/// A quote as its front matter declares it.
struct Declared {
    speaker: String,
    tensions: Vec<String>,
    metaphor: Option<String>,
    body: String,
}

fn declared_quotes() -> BTreeMap<String, Declared> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(crate::common::repo().join("content/quotes")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "index" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, rest) = text.split_once("---\n").unwrap();
        let (yaml, body) = rest.split_once("\n---\n").unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        let tensions = v["tensions"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|t| {
                t.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| t["id"].as_str().unwrap().to_string())
            })
            .collect();
        out.insert(
            name,
            Declared {
                speaker: v["speaker"].as_str().unwrap().to_string(),
                tensions,
                metaphor: v
                    .get("metaphor")
                    .and_then(|m| m.as_str())
                    .map(str::to_string),
                body: body.trim().to_string(),
            },
        );
    }
    out
}

fn stems(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(crate::common::repo().join(dir))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|s| s != "index")
        .collect();
    out.sort();
    out
}

/// The quote pages a fragment of HTML lists as cards.
fn cards(html: &str) -> Vec<String> {
    html.split("<figure class=\"quote-card quote-brief\">")
        .skip(1)
        .map(|card| {
            let start = card.find("<p class=\"quote-page\"><a href=\"").unwrap() + 31;
            let href = &card[start..];
            let href = &href[..href.find('"').unwrap()];
            href.trim_end_matches("/index.html")
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn after<'a>(html: &'a str, marker: &str) -> &'a str {
    &html[html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} missing"))..]
}

#[test]
fn every_listing_matches_the_front_matter() {
    let quotes = declared_quotes();
    assert!(quotes.len() >= 4);
    let test = SiteTest::shipped();
    test.build().clean();
    let site = test.output();
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();

    let tensions = stems("content/tensions");
    assert!(tensions.len() >= 2);
    for t in &tensions {
        let mut want: Vec<String> = quotes
            .iter()
            .filter(|(_, q)| q.tensions.contains(t))
            .map(|(id, _)| id.clone())
            .collect();
        want.sort();
        let page = read(&format!("tensions/{t}/index.html"));
        let section = after(&page, "id=\"quotes-here\"");
        let mut got = cards(section);
        got.sort();
        assert_eq!(got, want, "quotes on tension {t}");
        assert!(section.contains(&format!("Quotes ({})", want.len())));
    }
    // The quotes index shows each quote once under each of its tensions.
    let index = read("quotes/index.html");
    let total: usize = quotes.values().map(|q| q.tensions.len()).sum();
    assert_eq!(cards(&index).len(), total);

    // Participants list exactly their quotes.
    for p in stems("content/participants") {
        let mut want: Vec<String> = quotes
            .iter()
            .filter(|(_, q)| q.speaker == p)
            .map(|(id, _)| id.clone())
            .collect();
        want.sort();
        let mut got = cards(&read(&format!("participants/{p}/index.html")));
        got.sort();
        assert_eq!(got, want, "quotes of {p}");
    }

    // The tensions index: counts and co-occurrence.
    let tindex = read("tensions/index.html");
    let table = after(&tindex, "<table class=\"cooccurrence\">");
    let header: Vec<String> = table[..table.find("</thead>").unwrap()]
        .split("<th scope=\"col\"><a href=\"")
        .skip(1)
        .map(|h| h[..h.find('/').unwrap()].to_string())
        .collect();
    let mut sorted = header.clone();
    sorted.sort();
    assert_eq!(sorted, tensions);
    for row in table.split("<tr><th scope=\"row\"><a href=\"").skip(1) {
        let a = &row[..row.find('/').unwrap()];
        let cells: Vec<usize> = row
            .split("<td>")
            .skip(1)
            .map(|c| c[..c.find("</td>").unwrap()].parse().unwrap())
            .collect();
        for (b, n) in header.iter().zip(cells) {
            let want = quotes
                .values()
                .filter(|q| q.tensions.contains(&a.to_string()) && q.tensions.contains(b))
                .count();
            assert_eq!(n, want, "co-occurrence {a} × {b}");
        }
    }

    // Metaphors: one section per quote with a metaphor.
    let metaphors = read("metaphors/index.html");
    let with: Vec<&Declared> = quotes.values().filter(|q| q.metaphor.is_some()).collect();
    assert_eq!(cards(&metaphors).len(), with.len());
    for q in with {
        assert!(metaphors.contains(q.metaphor.as_deref().unwrap()));
    }
    let (_, problems) = check_links(&site, "/companion/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_quote_page_shows_everything_about_the_quote() {
    let quotes = declared_quotes();
    let test = SiteTest::shipped();
    test.build().succeeded();
    let page = test.page("quotes/fiona-roller-coaster/index.html");
    let body = &quotes["fiona-roller-coaster"].body;
    assert!(
        page.contains(&format!("<blockquote>\n<p>{body}</p>\n</blockquote>")),
        "verbatim text"
    );
    assert!(page.contains("<a href=\"../../participants/fiona/index.html\">Fiona</a>"));
    assert!(page.contains("<span class=\"stage\">(Moves her arms up and down to denote &#39;roller coaster&#39; ride.)</span>"));
    assert!(page.contains("Metaphor: <em>roller coaster ride</em>"));
    assert!(page.contains("<a href=\"../../tensions/agency-dependency/index.html\">Agency/Dependency</a> (dependency)"));
    assert!(page.contains(
        "Cite this quote: Fiona, quoted in Jacklin-Jarvis (2015), Findings: Agency/Dependency"
    ));
    assert!(
        page.contains("rel=\"prev\""),
        "previous quote within the tension"
    );
}

#[test]
fn notes_embed_quotes_as_figures() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    let page = test.page("tensions/agency-dependency/index.html");
    assert!(page.contains("<figure class=\"quote-embed\">\n<blockquote>\n<p>I'm not a cog, a small cog in a big machine, I'm actually making things happen.</p>\n</blockquote>"), "{page}");
    assert!(page.contains("— <a href=\"../../participants/ian/index.html\">Ian</a> · <a href=\"../../quotes/ian-not-a-cog/index.html\">about this quote</a>"));
    assert!(
        !page.contains("<p><figure"),
        "a figure never sits inside a paragraph"
    );
}

#[test]
fn policy_timeline_is_generated_in_date_order() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    let page = test.page("policy/index.html");
    let timeline = after(&page, "<ol class=\"timeline\">");
    let dates: Vec<&str> = timeline
        .split("<time datetime=\"")
        .skip(1)
        .map(|t| &t[..t.find('"').unwrap()])
        .collect();
    let mut policy_notes = stems("content/policy");
    policy_notes.sort();
    assert_eq!(
        dates.len(),
        policy_notes.len(),
        "every dated policy note is on the timeline"
    );
    let years: Vec<i32> = dates.iter().map(|d| d[..4].parse().unwrap()).collect();
    assert!(
        years.windows(2).all(|w| w[0] <= w[1]),
        "in date order: {years:?}"
    );
    assert!(
        timeline.contains(">1997–2010</time>"),
        "a period shows as a span"
    );
    for note in policy_notes {
        assert!(
            timeline.contains(&format!("href=\"{note}/index.html\"")),
            "{note} linked"
        );
    }
}

#[test]
fn a_top_level_pole_applies_to_the_quote_s_tension() {
    let test = SiteTest::new()
        .file("book.toml", crate::common::BOOK)
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file("content/tensions/ad.md", "---\ntitle: AD\nkind: tension\npoles: [agency, dependency]\nlevel: experienced\n---\n")
        .file("content/participants/fiona.md", "---\ntitle: Fiona\nkind: participant\n---\n")
        .file("content/quotes/q.md", "---\ntitle: Q\nkind: quote\nspeaker: fiona\ntensions: [ad]\npole: dependency\n---\nWords.\n");
    test.build().clean();
    let page = test.page("tensions/ad/index.html");
    assert!(
        page.contains("<h3 id=\"pole-dependency\">Leaning to dependency</h3>"),
        "{page}"
    );
}

#[test]
fn a_quote_embedded_in_a_note_links_from_that_note() {
    // The home page is at the root, the quote two folders down: the
    // quote's citation and link must lead where they do from the home page.
    let test = SiteTest::new().files(&[
        (
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.yaml\"]\n",
        ),
        (
            "refs.yaml",
            "- id: alpha2001\n  type: book\n  title: Alpha\n  author: [{family: Able, given: A.}]\n  issued: {date-parts: [[2001]]}\n",
        ),
        ("content/index.md", "---\ntitle: Home\n---\nBefore.\n\n![[quote:q1]]\n\nAfter.\n"),
        ("content/notes/other.md", "---\ntitle: Other\n---\nText.\n"),
        (
            "content/tensions/t.md",
            "---\ntitle: T\nkind: tension\npoles: [a, b]\nlevel: management\n---\n",
        ),
        ("content/participants/pat.md", "---\ntitle: Pat\nkind: participant\npseudonym: Pat\n---\n"),
        (
            "content/interviews/2020/q1.md",
            "---\ntitle: Q1\nkind: quote\nspeaker: pat\ntensions: [t]\n---\nAs [[other]] says [@alpha2001].\n",
        ),
    ]);
    test.build().clean();
    let home = test.page("index.html");
    assert!(home.contains("<figure class=\"quote-embed\">"), "{home}");
    assert!(
        home.contains("href=\"references/alpha2001/index.html\""),
        "{home}"
    );
    assert!(home.contains("href=\"notes/other/index.html\""), "{home}");
    // On the quote's own page the same links climb out of its folders.
    let own = test.page("interviews/2020/q1/index.html");
    assert!(own.contains("href=\"../../../references/alpha2001/index.html\""));
    let (_, problems) = test.check_links("/");
    assert!(problems.is_empty(), "{problems:#?}");
}
