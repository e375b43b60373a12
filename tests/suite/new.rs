//! `companion new DIR` and the GitHub Pages workflows.

use crate::common::{check_links, run};

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
    assert!(workflow.contains("COMPANION_GIT: \"https://example.org/companion.git\""));
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

/// The value of `KEY: "…"` in the workflow's `env:`.
fn env_value<'a>(workflow: &'a str, key: &str) -> &'a str {
    let line = workflow
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("{key} in the workflow"));
    line.split_once(':').unwrap().1.trim().trim_matches('"')
}

/// The `repository` of companion's Cargo.toml.
fn cargo_repository() -> String {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(crate::common::repo().join("Cargo.toml")).unwrap())
            .unwrap();
    let url = manifest["package"]["repository"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.starts_with("https://"), "{url}");
    url
}

/// The generated workflow installs companion from the `repository` of
/// Cargo.toml at a pinned commit (this build's own, since the tests are
/// built from a Git checkout), keeps the binary in a cache keyed by that
/// commit, and installs Rust and compiles only on a cache miss.
#[test]
fn the_pages_workflow_installs_the_tool_at_a_pinned_revision() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("c");
    let r = run(parent.path(), &["new", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(env_value(&workflow, "COMPANION_GIT"), cargo_repository());
    let rev = env_value(&workflow, "COMPANION_REV");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(crate::common::repo())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    match head {
        // Built from this checkout: the commit it was built from (HEAD, as
        // cargo rebuilds when HEAD moves).
        Some(head) => assert_eq!(rev, head),
        None => assert_eq!(rev, format!("refs/tags/v{}", env!("CARGO_PKG_VERSION"))),
    }
    assert!(workflow.contains(
        "run: cargo install --locked --git \"$COMPANION_GIT\" --rev \"$COMPANION_REV\" companion"
    ));
    assert!(!workflow.contains("cargo install --locked companion"));
    // The binary is cached under a key naming the revision; a hit skips
    // both the toolchain and the compile.
    assert!(workflow.contains("path: ~/.cargo/bin/companion"));
    assert!(workflow
        .contains("key: companion-${{ runner.os }}-${{ runner.arch }}-${{ env.COMPANION_REV }}"));
    assert_eq!(
        workflow
            .matches("if: steps.companion-cache.outputs.cache-hit != 'true'")
            .count(),
        2
    );
    assert!(workflow.contains("run: ~/.cargo/bin/companion build --base-url"));
    assert!(r.stdout.contains(&format!(
        "the Pages workflow installs companion from {} at {rev}",
        cargo_repository()
    )));

    // --tool-git and --tool-rev override both; a value that would break
    // the YAML or the shell line is refused.
    let other = parent.path().join("d");
    let r = run(
        parent.path(),
        &[
            "new",
            other.to_str().unwrap(),
            "--tool-git",
            "file:///srv/companion",
            "--tool-rev",
            "v0.2.0",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let workflow = std::fs::read_to_string(other.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(
        env_value(&workflow, "COMPANION_GIT"),
        "file:///srv/companion"
    );
    assert_eq!(env_value(&workflow, "COMPANION_REV"), "v0.2.0");
    let bad = parent.path().join("e");
    let r = run(
        parent.path(),
        &[
            "new",
            bad.to_str().unwrap(),
            "--tool-rev",
            "main; curl evil",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is not a commit, tag or branch name"),
        "{}",
        r.stderr
    );
    assert!(!bad.exists());
}

/// The researcher's path of the README, without the network: a fresh
/// repository as GitHub creates it (`.git`, README, LICENSE, a
/// `.gitignore`), `companion new .` inside it, a clean build, and the
/// workflow in place. Nothing of theirs is overwritten.
#[test]
fn new_dot_in_a_fresh_repository_keeps_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(dir.path().join("README.md"), "# Our paper\n").unwrap();
    std::fs::write(dir.path().join("LICENSE"), "CC BY 4.0\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "*.aux\n").unwrap();

    let r = crate::common::run_in(dir.path(), &["new", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "wrote a new companion into . (",
        "  book.toml\n",
        "  content/index.md\n",
        "  .github/workflows/pages.yml\n",
        "added companion's lines to .gitignore\n",
        "left as they were: .git, LICENSE, README.md\n",
        "next: `companion serve` to preview at http://127.0.0.1:3000/",
    ] {
        assert!(r.stdout.contains(line), "{line:?} in:\n{}", r.stdout);
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        "# Our paper\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("LICENSE")).unwrap(),
        "CC BY 4.0\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "*.aux\n\n# companion's output folder\n/site\n"
    );
    assert!(dir.path().join(".github/workflows/pages.yml").is_file());

    let r = crate::common::run_in(dir.path(), &["build"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, ""),
        "zero errors, zero warnings"
    );
    // The output folder is ignored by Git: only the sources are committed.
    git(&["add", "-A"]);
    let out = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let status = String::from_utf8(out.stdout).unwrap();
    assert!(
        status.contains("A  .github/workflows/pages.yml"),
        "{status}"
    );
    assert!(!status.contains("site/"), "{status}");

    // A second `new .` finds the companion's files and refuses.
    let r = crate::common::run_in(dir.path(), &["new", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`book.toml`"), "{}", r.stderr);
}

/// A file the scaffold would write that already exists is never replaced:
/// the whole run refuses before writing anything.
#[test]
fn new_refuses_to_replace_an_existing_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(workflows.join("pages.yml"), "mine").unwrap();
    std::fs::write(dir.path().join("README.md"), "readme").unwrap();
    let r = run(dir.path(), &["new", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("it already holds `.github/workflows/pages.yml`"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(workflows.join("pages.yml")).unwrap(),
        "mine"
    );
    assert!(!dir.path().join("book.toml").exists());
    assert!(!dir.path().join("content").exists());
}

#[test]
fn new_never_writes_into_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
    let r = run(dir.path(), &["new", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not empty: it holds `thesis.tex`"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("thesis.tex")).unwrap(),
        "precious"
    );
    assert!(!dir.path().join("book.toml").exists());
}

#[test]
fn this_repository_publishes_with_github_pages() {
    let workflow =
        std::fs::read_to_string(crate::common::repo().join(".github/workflows/pages.yml")).unwrap();
    assert!(workflow.contains("cargo run --release -- build --base-url"));
    assert!(workflow.contains("actions/upload-pages-artifact@"));
    assert!(workflow.contains("path: site"));
    assert!(workflow.contains("actions/deploy-pages@"));
    assert!(workflow.contains("pages: write") && workflow.contains("id-token: write"));
}
