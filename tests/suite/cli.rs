//! The command line: help on every command, `check` reporting like
//! `build` without writing, and configuration problems as usage errors
//! (exit 2) with their position.

use crate::site::SiteTest;

#[test]
fn help_is_available_on_every_command() {
    let test = SiteTest::empty();
    for (args, want) in [
        (vec!["--help"], "check"),
        (vec!["build", "--help"], "--base-url"),
        (vec!["check", "--help"], "--base-url"),
        (vec!["clean", "--help"], "--output"),
    ] {
        let r = test.run(&args);
        assert_eq!(r.code, 0, "{args:?}");
        assert!(r.stdout.contains(want), "{args:?}: {}", r.stdout);
        assert!(r.stdout.contains("--root"), "{args:?}");
    }
    let r = test.run(&["build", "--no-such-flag"]);
    assert_eq!(r.code, 2, "usage errors exit 2");
}

#[test]
fn check_reports_like_build_but_writes_nothing() {
    let test = SiteTest::shipped();
    let r = test.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("checked "), "{}", r.stdout);
    assert!(!test.output().exists());

    test.change_file("content/bad.md", "---\ntitle: Bad\n---\n[[nope]]\n");
    let check = test.run(&["check"]);
    let build = test.run(&["build"]);
    assert_eq!((check.code, build.code), (1, 1));
    assert!(check
        .stderr
        .starts_with("content/bad.md:4:1: error: link to unknown note `[[nope]]`"));
    assert_eq!(
        check.stderr.lines().next(),
        build.stderr.lines().next(),
        "same diagnostics"
    );
    assert!(!test.output().exists());
}

#[test]
fn configuration_problems_exit_2_with_position() {
    let test = SiteTest::new()
        .file(
            "book.toml",
            "[site]\ntitle = \"T\"\n\n[build]\noutptu = \"x\"\n",
        )
        .file("content/index.md", "---\ntitle: Home\n---\n");
    let r = test.run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("book.toml:5:1: error: unknown field `outptu`"),
        "{}",
        r.stderr
    );
    let r = SiteTest::empty().run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no book.toml"), "{}", r.stderr);
}
