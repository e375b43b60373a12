//! The citations of a whole real Zotero library compared with Pandoc's
//! citeproc, the reference for CSL: every entry cited once, the year and
//! its suffix of each in-text citation set side by side. The goal is no
//! difference; the numbers below are what remains (README, "Citations"),
//! and a change may only lower them.

use std::collections::BTreeMap;

/// Styles compared, with the differences that remain out of 1,241.
const STYLES: [(&str, usize); 3] = [
    ("chicago-author-date", 56),
    ("apa", 32),
    ("harvard-cite-them-right", 27),
];

/// The last year (with its suffix) or "n.d." of a citation.
fn date_of(citation: &str) -> Option<String> {
    let bytes: Vec<char> = citation.chars().collect();
    let mut last = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(&['n', '.', 'd', '.']) {
            let mut t: String = "n.d.".into();
            if bytes.get(i + 4) == Some(&'-')
                && bytes.get(i + 5).is_some_and(char::is_ascii_lowercase)
            {
                t.push('-');
                t.push(bytes[i + 5]);
            }
            last = Some(t);
            i += 4;
            continue;
        }
        let four = i + 4 <= bytes.len() && bytes[i..i + 4].iter().all(char::is_ascii_digit);
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && !bytes.get(i + 4).is_some_and(char::is_ascii_digit);
        if four && alone {
            let mut t: String = bytes[i..i + 4].iter().collect();
            if let Some(c) = bytes.get(i + 4).filter(|c| c.is_ascii_lowercase()) {
                if !bytes.get(i + 5).is_some_and(|c| c.is_alphabetic()) {
                    t.push(*c);
                }
            }
            last = Some(t);
            i += 4;
            continue;
        }
        i += 1;
    }
    last
}

#[test]
fn date_of_reads_years_suffixes_and_no_date() {
    assert_eq!(date_of("(Latour 1987a)").as_deref(), Some("1987a"));
    assert_eq!(date_of("(Latour, 1987)").as_deref(), Some("1987"));
    assert_eq!(date_of("(Jensen, n.d.-b)").as_deref(), Some("n.d.-b"));
    assert_eq!(date_of("(“Title,” n.d.)").as_deref(), Some("n.d."));
    assert_eq!(date_of("(Latour [2005] 2008)").as_deref(), Some("2008"));
    assert_eq!(date_of("(Kommune 2011and)").as_deref(), Some("2011"));
}

#[test]
#[ignore = "needs pandoc (pip install pypandoc_binary); COMPANION_PANDOC names it"]
fn citations_match_pandoc_citeproc_on_a_whole_library() {
    let pandoc = std::env::var_os("COMPANION_PANDOC")
        .map(std::path::PathBuf::from)
        .filter(|p| p.exists())
        .expect("COMPANION_PANDOC must name pandoc (.ci/run installs it)");
    let bib = std::fs::read_to_string(
        crate::common::repo().join("tests/data/realworld/zotero-big-library.biblatex.bib"),
    )
    .unwrap();
    let (parsed, _) = companion::bibliography::parse(&[companion::bibliography::Source {
        display: "refs.bib".into(),
        text: bib.clone(),
    }]);
    let keys: Vec<String> = parsed.refs.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys.len(), 1241);
    let body: String = keys.iter().map(|k| format!("{k}: [@{k}]\n\n")).collect();
    let mut report = Vec::new();
    for (style, budget) in STYLES {
        let csl = companion::csl::bundled_style_xml(style).unwrap();
        let dir = crate::common::project(&[
            (
                "book.toml",
                &format!("[site]\ntitle = \"T\"\n\n[bibliography]\nfiles = [\"refs.bib\"]\nstyle = \"{style}\"\n\n[build]\nsearch = false\n"),
            ),
            ("refs.bib", &bib),
            ("content/index.md", &format!("---\ntitle: Home\n---\n{body}")),
            ("pandoc.md", &body),
            ("style.csl", &csl),
        ]);
        let r = crate::common::run(dir.path(), &["build"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let home = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
        let mut ours: BTreeMap<String, String> = BTreeMap::new();
        for para in home.split("<p>").skip(1) {
            let para = &para[..para.find("</p>").unwrap_or(para.len())];
            if let Some((key, cite)) = para.split_once(": <span class=\"citation\">") {
                ours.insert(key.to_string(), crate::common::text_of(cite));
            }
        }
        let out = std::process::Command::new(&pandoc)
            .current_dir(dir.path())
            .args([
                "pandoc.md",
                "--citeproc",
                "--bibliography=refs.bib",
                "--csl=style.csl",
            ])
            .args(["-t", "plain", "--wrap=none"])
            .output()
            .expect("pandoc runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: BTreeMap<String, String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(": ("))
            .filter(|(k, _)| keys.contains(&k.to_string()))
            .map(|(k, c)| (k.to_string(), format!("({c}")))
            .collect();
        assert_eq!(ours.len(), keys.len(), "{style}: our citations");
        assert_eq!(theirs.len(), keys.len(), "{style}: Pandoc's citations");
        let differ: Vec<String> = keys
            .iter()
            .filter(|k| date_of(&ours[*k]) != date_of(&theirs[*k]))
            .map(|k| format!("{k}: ours {} / Pandoc {}", ours[k], theirs[k]))
            .collect();
        eprintln!(
            "{style}: {} of {} differ from Pandoc",
            differ.len(),
            keys.len()
        );
        // Every difference, for reading: COMPANION_PANDOC_DIFF=dir.
        if let Some(out) = std::env::var_os("COMPANION_PANDOC_DIFF") {
            let path = std::path::Path::new(&out).join(format!("{style}.txt"));
            std::fs::write(path, differ.join("\n") + "\n").unwrap();
        }
        report.push((style, budget, differ));
    }
    for (style, budget, differ) in &report {
        assert!(
            differ.len() <= *budget,
            "{style}: {} differ from Pandoc (at most {budget} known):\n{}",
            differ.len(),
            differ
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
