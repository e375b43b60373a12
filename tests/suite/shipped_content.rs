//! The shipped companion is complete: the paper's 68 references (and the
//! works its text cites without listing them), every tension, every
//! participant quote on its own page, verbatim.

use crate::site::SiteTest;

fn seed() -> String {
    let path = crate::common::repo().join("tests/data/seed/jacklin-jarvis-2015.txt");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the paper is expected at {}: {e}", path.display()))
}

/// The participant quotes of the paper's findings: a line in quote marks
/// followed by `(Name)`, with an optional stage direction in between.
fn paper_quotes() -> Vec<(String, String)> {
    let text = seed();
    let findings =
        &text[text.find("## **Findings**").unwrap()..text.find("## **Discussion**").unwrap()];
    let mut out = Vec::new();
    for line in findings.lines() {
        let line = line.trim();
        let Some(open) = line.chars().next().filter(|c| *c == '\'' || *c == '‘') else {
            continue;
        };
        let Some((rest, name)) = line.rsplit_once(" (") else {
            continue;
        };
        let name = name.trim_end_matches(')');
        if !name.chars().all(char::is_alphabetic) {
            continue;
        }
        let rest = rest.split(" (*").next().unwrap();
        let close = if open == '‘' { '’' } else { '\'' };
        let text = rest.trim_start_matches(open).trim_end_matches(close);
        out.push((text.to_string(), name.to_string()));
    }
    out
}

#[test]
fn shipped_content_is_complete() {
    let quotes = paper_quotes();
    assert_eq!(
        quotes.len(),
        9,
        "the paper's findings quote participants nine times"
    );
    let test = SiteTest::shipped();
    let r = test.run(&["check"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, ""),
        "check: zero errors, zero warnings"
    );
    test.build().succeeded();
    let site = test.output();

    // Every participant quote has its own page, verbatim and attributed.
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(site.join("quotes")).unwrap() {
        let p = entry.unwrap().path().join("index.html");
        if p.is_file() {
            pages.push(std::fs::read_to_string(p).unwrap());
        }
    }
    for (text, name) in &quotes {
        let found = pages.iter().find(|p| p.contains(&format!("<p>{text}</p>")));
        let page = found.unwrap_or_else(|| panic!("no quote page for {name}: {text}"));
        assert!(page.contains(&format!(">{name}</a>")), "{name} attributed");
    }

    // 68 listed references, plus the works cited but not listed.
    let listed =
        std::fs::read_to_string(crate::common::repo().join("content/references.yaml")).unwrap();
    assert_eq!(listed.matches("\n- id: ").count(), 68);
    let index = std::fs::read_to_string(site.join("references/index.html")).unwrap();
    for key in [
        "gray1985",
        "hardy2005",
        "osborne2008",
        "page2003",
        "rochester2013",
    ] {
        let page =
            std::fs::read_to_string(site.join(format!("references/{key}/index.html"))).unwrap();
        assert!(page.contains("Not in the paper's reference list."), "{key}");
        assert!(index.contains(&format!("<li id=\"ref-{key}\">")));
    }

    // The five tensions at their levels.
    for (id, level) in [
        ("agency-dependency", "experienced"),
        ("values-pragmatism", "experienced"),
        ("distinctiveness-incorporation", "experienced"),
        ("unity-diversity", "inherent"),
        ("power", "management"),
    ] {
        let page = std::fs::read_to_string(site.join(format!("tensions/{id}/index.html"))).unwrap();
        assert!(page.contains(&format!("Tension · {level}")), "{id}");
    }
    // The glossary is linked from the notes that use its terms.
    let theory =
        std::fs::read_to_string(site.join("paper/collaboration-theory/index.html")).unwrap();
    assert!(theory.contains("href=\"../../glossary/index.html#collaborative-inertia\""));
}

/// The five works the paper cites without listing say so beside their
/// entries in the citation index, as on their own pages.
#[test]
fn works_missing_from_the_papers_list_are_marked_in_the_index() {
    let (_dir, site) = crate::common::built_shipped_site();
    let index = std::fs::read_to_string(site.join("references/index.html")).unwrap();
    let marked: Vec<&str> = index
        .split("<li id=\"ref-")
        .skip(1)
        .filter(|entry| {
            let entry = &entry[..entry.find("</li>").unwrap_or(entry.len())];
            entry.contains("<p class=\"entry-note\">Not in the paper&#39;s reference list.</p>")
        })
        .map(|entry| &entry[..entry.find('"').unwrap()])
        .collect();
    assert_eq!(
        marked,
        [
            "gray1985",
            "hardy2005",
            "osborne2008",
            "page2003",
            "rochester2013"
        ]
    );
}

/// The shipped notes read naturally where a link takes its target's title
/// as its label: no word doubled across the join ("the The power tension
/// tension"), and no doubled word anywhere else in the text either.
#[test]
fn link_labels_join_the_sentence_around_them() {
    let (_dir, site) = crate::common::built_shipped_site();
    let mut problems = Vec::new();
    for (path, bytes) in crate::common::snapshot(&site) {
        if !path.ends_with(".html") || path.starts_with("print/") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let Some(start) = html.find("<div class=\"content\">") else {
            continue;
        };
        let content = &html[start..];
        let content = &content[..content.find("\n</div>").unwrap_or(content.len())];
        // Blocks end sentences: a term and its definition are not a join.
        let mut blocks = content.to_string();
        for end in [
            "</p>", "</li>", "</dt>", "</dd>", "</h2>", "</h3>", "</h4>", "</td>", "</th>",
        ] {
            blocks = blocks.replace(end, &format!("{end} ¶ "));
        }
        let text = crate::common::text_of(&blocks);
        // Two words with nothing but a space between them (a comma, a
        // colon or a bracket between them is a join the writer chose).
        let words: Vec<&str> = text.split_whitespace().collect();
        for pair in words.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let ends_word = a.ends_with(char::is_alphanumeric);
            let a_word = a.trim_start_matches(|c: char| !c.is_alphanumeric());
            let b_word = b.trim_end_matches(|c: char| !c.is_alphanumeric());
            if ends_word
                && b.starts_with(char::is_alphanumeric)
                && a_word.to_lowercase() == b_word.to_lowercase()
                && a.chars().any(char::is_alphabetic)
            {
                problems.push(format!("{path}: “{a} {b}”"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "doubled words:\n{}",
        problems.join("\n")
    );
}
