//! `companion new DIR` and the GitHub Pages workflows.

mod common;

use common::{check_links, run};

#[test]
fn a_new_companion_builds_with_no_error_and_no_warning() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("my-companion");
    let r = run(
        parent.path(),
        &[
            "new",
            dir.to_str().unwrap(),
            "--tool-git",
            "https://example.org/companion.git",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "book.toml",
        "content/index.md",
        "content/references.yaml",
        "content/tensions/autonomy-interdependence.md",
        "content/participants/alex.md",
        "content/quotes/alex-own-way.md",
        "content/quotes/alex-need-them.md",
        "content/notes/reading-notes.md",
        ".github/workflows/pages.yml",
        ".gitignore",
    ] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    let book = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    assert!(book.contains("[paper]"));
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    assert!(workflow
        .contains("COMPANION_INSTALL: \"--git https://example.org/companion.git companion\""));
    assert!(workflow.contains("actions/upload-pages-artifact@"));
    assert!(workflow.contains("actions/deploy-pages@"));

    let r = run(&dir, &["build"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, ""),
        "zero errors, zero warnings"
    );
    let site = dir.join("site");
    let (links, problems) = check_links(&site, "/");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(!links.is_empty());
    let note = std::fs::read_to_string(site.join("notes/reading-notes/index.html")).unwrap();
    assert!(note.contains("<a class=\"cite\""), "the note cites");
    assert!(site.join("quotes/alex-own-way/index.html").is_file());
    assert!(site
        .join("tensions/autonomy-interdependence/index.html")
        .is_file());
}

#[test]
fn new_never_writes_into_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
    let r = run(dir.path(), &["new", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("thesis.tex")).unwrap(),
        "precious"
    );
    assert!(!dir.path().join("book.toml").exists());
}

#[test]
fn this_repository_publishes_with_github_pages() {
    let workflow =
        std::fs::read_to_string(common::repo().join(".github/workflows/pages.yml")).unwrap();
    assert!(workflow.contains("cargo run --release -- build --base-url"));
    assert!(workflow.contains("actions/upload-pages-artifact@"));
    assert!(workflow.contains("path: site"));
    assert!(workflow.contains("actions/deploy-pages@"));
    assert!(workflow.contains("pages: write") && workflow.contains("id-token: write"));
}
