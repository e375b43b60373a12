//! Reading the content folder: byte-order marks and line endings change
//! nothing, names that clash by case or normalization are errors, symlinks
//! are never followed, and many equal headings stay fast.

use crate::site::SiteTest;

/// A byte-order mark and CRLF or mixed line endings change nothing.
#[test]
fn bom_and_crlf_give_identical_output_and_positions() {
    let lf = "---\ntitle: Home\nsummary: s\n---\n# Head\n\nText [[b]].\n";
    let b_lf = "---\ntitle: B\n---\nBody\n\n```rust\nfn f() {}\n```\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let b_mixed = "---\r\ntitle: B\n---\rBody\r\n\n```rust\r\nfn f() {}\n```\r\n";
    let one = SiteTest::new()
        .file("content/index.md", lf)
        .file("content/b.md", b_lf);
    let two = SiteTest::new()
        .file("content/index.md", &crlf)
        .file("content/b.md", b_mixed);
    one.build().succeeded();
    two.build().succeeded();
    assert_eq!(one.snapshot(), two.snapshot());

    let bad = "\u{feff}---\r\ntitle: x\r\n---\r\n\r\nSee [[missing]].\r\n";
    let test = SiteTest::new().file("content/index.md", bad);
    let stderr = test.build().failed().stderr();
    assert!(
        stderr.starts_with("content/index.md:5:5: error: link to unknown note"),
        "{stderr}"
    );
}

/// Names that differ only in case or Unicode normalization.
#[test]
fn case_and_normalization_clashes_are_errors() {
    let test = SiteTest::new()
        .file("content/index.md", "---\ntitle: Home\n---\n")
        .file("content/Notes.md", "---\ntitle: N1\n---\n")
        .file("content/notes.md", "---\ntitle: N2\n---\n")
        .file("content/caf\u{e9}.md", "---\ntitle: C1\n---\n")
        .file("content/cafe\u{301}.md", "---\ntitle: C2\n---\n");
    let stderr = test.build().failed().stderr();
    assert!(stderr.contains(
        "content/notes.md:1:1: error: `content/notes.md` and `content/Notes.md` differ only in letter case or Unicode normalization"
    ), "{stderr}");
    assert!(stderr.contains("content/caf\u{e9}.md:1:1: error: `content/caf\u{e9}.md` and `content/cafe\u{301}.md` differ only"), "{stderr}");
}

/// Symlinks are never followed, and a loop does not hang.
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
    let test = SiteTest::new().file("content/index.md", "---\ntitle: Home\n---\n");
    symlink(
        outside.path().join("secret.md"),
        test.root().join("content/leak.md"),
    )
    .unwrap();
    symlink(outside.path(), test.root().join("content/outside")).unwrap();
    symlink(".", test.root().join("content/loop")).unwrap();

    let r = test.run_within(
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
    let all: Vec<u8> = test.snapshot().into_values().flatten().collect();
    assert!(!String::from_utf8_lossy(&all).contains("secret text"));
}

/// Thousands of equal headings get unique ids without slowing to a crawl.
#[test]
fn many_equal_headings_finish() {
    let body: String = "# a\n\n".repeat(20_000);
    let test = SiteTest::new().file(
        "content/index.md",
        &format!("---\ntitle: H\n---\n{body}[last](#a-19999)\n"),
    );
    let r = test.run_within(
        &["check"],
        std::time::Duration::from_secs(30),
        "check on repeated headings",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}
