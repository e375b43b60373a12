//! The output folder: a failed build leaves the previous site untouched,
//! the tool never replaces or cleans a folder it did not make, and the
//! same input gives the same bytes.

use crate::common::read;
use crate::site::SiteTest;

#[test]
fn clean_removes_only_what_companion_built() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    let r = test.run(&["clean"]);
    assert_eq!(r.code, 0);
    assert!(!test.output().exists());
    // A folder without the marker is refused and kept.
    let foreign = test.root().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "precious").unwrap();
    let r = test.run(&["clean", "--output", foreign.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing to replace"), "{}", r.stderr);
    assert_eq!(read(&foreign.join("keep.txt")), "precious");
}

/// Output folders that are not ours are refused before any work.
#[test]
fn dangerous_output_folders_are_refused() {
    let test = SiteTest::shipped();
    let root = test.root();
    let foreign = root.join("docs");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("canary.txt"), "alive").unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("canary.txt"), "alive").unwrap();
    let before = crate::common::snapshot(root);
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
        let r = test.run_env(
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
    assert_eq!(
        before,
        crate::common::snapshot(root),
        "nothing in the project changed"
    );
    assert_eq!(read(&home.path().join("canary.txt")), "alive");
}

/// An output folder holding `.git` is refused with a hint.
#[test]
fn output_with_git_folder_is_refused() {
    let test = SiteTest::shipped();
    let out = test.output();
    test.build().succeeded();
    std::fs::create_dir(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    let before = crate::common::snapshot(&out);
    let r = test.run(&["build"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(".git"), "{}", r.stderr);
    assert_eq!(before, crate::common::snapshot(&out));
}

#[test]
fn output_folders_with_foreign_dotfiles_symlinks_or_inside_themes_are_refused() {
    let test = SiteTest::shipped();
    let root = test.root();
    test.build().succeeded();
    let site = test.output();
    // A `.well-known` folder would be lost in the swap: build and clean refuse.
    std::fs::create_dir(site.join(".well-known")).unwrap();
    std::fs::write(site.join(".well-known/security.txt"), "x").unwrap();
    for args in [&["build"][..], &["clean"][..], &["check"][..]] {
        let r = test.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(".well-known"), "{args:?}: {}", r.stderr);
    }
    assert!(site.join(".well-known/security.txt").exists());
    std::fs::remove_dir_all(site.join(".well-known")).unwrap();
    // A .git folder: `clean` refuses too.
    std::fs::create_dir(site.join(".git")).unwrap();
    let r = test.run(&["clean"]);
    assert_eq!(r.code, 2);
    assert!(site.join(".git").exists());
    std::fs::remove_dir_all(site.join(".git")).unwrap();

    let theme_out = root.join("themes/default/static/out");
    let r = test.run(&["build", "--output", theme_out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("themes folder"));

    #[cfg(unix)]
    {
        let elsewhere = tempfile::tempdir().unwrap();
        let link = root.join("linked");
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        let r = test.run(&["build", "--output", link.to_str().unwrap()]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    // `site/x/..` is the same folder as `site`, and works.
    let r = test.run(&[
        "build",
        "--output",
        root.join("site/x/..").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.join(".companion-output").exists());
    assert!(
        crate::common::leftovers(root).is_empty() && crate::common::leftovers(&site).is_empty()
    );
}

/// An error in the last note leaves the previous site as it was.
#[test]
fn late_error_leaves_the_previous_site_byte_identical() {
    let test = SiteTest::shipped();
    test.build().succeeded();
    let before = test.snapshot();
    test.change_file(
        "content/zz/zz-last.md",
        "---\ntitle: Last\n---\n[[agency-dependency#no-such-part]]\n",
    );
    let r = test.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(
        "content/zz/zz-last.md:4:1: error: no heading `#no-such-part` on content/tensions/agency-dependency.md"
    ), "{}", r.stderr);
    assert_eq!(before, test.snapshot());
    assert!(crate::common::leftovers(test.root()).is_empty());
}

/// The same input gives the same bytes whatever the thread count,
/// the checkout path, the time zone or the locale.
#[test]
fn builds_are_byte_identical() {
    let one = SiteTest::shipped();
    let two = SiteTest::shipped();
    let r1 = one.run_env(
        &["build"],
        &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC"), ("LC_ALL", "C")],
    );
    let r2 = two.run_env(
        &["build"],
        &[
            ("RAYON_NUM_THREADS", "4"),
            ("TZ", "Pacific/Auckland"),
            ("LC_ALL", "de_DE.UTF-8"),
        ],
    );
    assert_eq!((r1.code, r2.code), (0, 0));
    let a = one.snapshot();
    let b = two.snapshot();
    assert!(a.len() > 5);
    assert_eq!(a, b);
    // And a rebuild in place changes nothing.
    assert_eq!(one.run(&["build"]).code, 0);
    assert_eq!(a, one.snapshot());
}
