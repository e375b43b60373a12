//! Property: for generated sites of nested folders and odd file names
//! (spaces, accents, punctuation, non-Latin scripts), every link the
//! renderer emits is relative (so it works under any prefix) and reaches
//! its page and anchor, the pages of a paginated A–Z index included; and
//! every link a note holds is emitted.

use proptest::prelude::*;

/// Odd pieces of names; each name also starts with a unique number, so no
/// two slug alike.
const ODD: [&str; 10] = [
    "plain",
    "two words",
    "Ça va",
    "(brackets) & more",
    "it's",
    "日本語",
    "a+b=c",
    "UPPER lower",
    "dots.in.name",
    "ümlaut ß",
];

#[derive(Debug, Clone)]
struct Note {
    /// Folder names from the content root.
    dirs: Vec<usize>,
    name: usize,
    /// Other notes this one links to, with or without the heading anchor.
    links: Vec<(usize, bool)>,
}

fn notes() -> impl Strategy<Value = Vec<Note>> {
    prop::collection::vec(
        (
            prop::collection::vec(0..ODD.len(), 0..3),
            0..ODD.len(),
            prop::collection::vec((0..12usize, any::<bool>()), 0..4),
        ),
        2..12,
    )
    .prop_map(|raw| {
        let n = raw.len();
        raw.into_iter()
            .map(|(dirs, name, links)| Note {
                dirs,
                name,
                links: links.into_iter().map(|(t, a)| (t % n, a)).collect(),
            })
            .collect()
    })
}

/// The note's path relative to the content folder.
fn path_of(i: usize, note: &Note) -> Vec<String> {
    let mut parts: Vec<String> = note
        .dirs
        .iter()
        .enumerate()
        .map(|(depth, d)| format!("d{depth}{d} {}", ODD[*d]))
        .collect();
    parts.push(format!("{i} {}.md", ODD[note.name]));
    parts
}

/// A relative path from the folder holding `from` to `to`.
fn relative(from: &[String], to: &[String]) -> String {
    let from_dirs = &from[..from.len() - 1];
    let common = from_dirs.iter().zip(to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from_dirs.len() - common];
    parts.extend(to[common..].iter().cloned());
    parts.join("/")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_emitted_link_resolves(notes in notes()) {
        // Three lines to an A–Z page: its pages and their letter links
        // are crawled too.
        let test = crate::site::SiteTest::new()
            .file("book.toml", "[site]\ntitle = \"Fixture\"\n\n[build]\na-z-page-size = 3\n")
            .file("content/index.md", "---\ntitle: Home\n---\nHome.\n");
        let paths: Vec<Vec<String>> = notes.iter().enumerate().map(|(i, n)| path_of(i, n)).collect();
        let mut written = 0;
        for (i, note) in notes.iter().enumerate() {
            let mut body = format!("---\ntitle: Note {i}\n---\n# Part {i}\n\nText.\n\n");
            for (t, anchor) in &note.links {
                let target = relative(&paths[i], &paths[*t]);
                let frag = if *anchor { format!("#part-{t}") } else { String::new() };
                body.push_str(&format!("- [to {t}](<{target}{frag}>)\n"));
                written += 1;
            }
            test.change_file(&format!("content/{}", paths[i].join("/")), &body);
        }
        let built = test.build();
        prop_assert!(!built.has_errors(), "{}", built.stderr());
        let (links, broken) = test.check_links("");
        prop_assert!(broken.is_empty(), "{:?}", broken);
        let to_notes = links.iter().filter(|l| l.href.contains("index.html") && !l.from.starts_with("a-z") && !l.from.starts_with("search")).count();
        prop_assert!(to_notes >= written, "{} links written, {} emitted", written, to_notes);
    }
}
