//! Everything a test, benchmark or CI script reads lives inside the
//! repository: a fresh clone has nothing beside it. This scans the sources
//! for paths that leave the repository and for repository paths that are
//! not in it.

use std::path::{Component, Path, PathBuf};

/// Folders and files whose text is scanned.
const SCANNED: &[&str] = &[
    "src",
    "tests",
    "benches",
    "examples",
    "fuzz/fuzz_targets",
    ".ci",
];

/// The folder beside a checkout that a clone does not have (spelt in two
/// pieces so this file does not name it itself).
fn beside() -> String {
    ["..", "/shared"].concat()
}

/// Problems in one file's text: `line: message` for every path that leaves
/// the repository, and for every `repo().join("…")` whose path does not
/// exist in it.
fn problems(text: &str, root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        for needle in [beside().as_str(), "/work/", "CARGO_MANIFEST_DIR\"), \"/.."] {
            if line.contains(needle) {
                out.push(format!("{n}: `{needle}` reaches outside the repository"));
            }
        }
        let mut rest = line;
        while let Some(at) = rest.find("repo().join(\"") {
            rest = &rest[at + "repo().join(\"".len()..];
            let Some(end) = rest.find('"') else { break };
            let rel = &rest[..end];
            if leaves(rel) {
                out.push(format!("{n}: `{rel}` leaves the repository"));
            } else if !root.join(rel).exists() {
                out.push(format!("{n}: `{rel}` is not in the repository"));
            }
        }
    }
    out
}

/// Whether a relative path climbs above its starting folder.
fn leaves(rel: &str) -> bool {
    if Path::new(rel).is_absolute() {
        return true;
    }
    let mut depth = 0i32;
    for c in Path::new(rel).components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for top in SCANNED {
        for entry in walkdir::WalkDir::new(root.join(top)).sort_by_file_name() {
            let entry = entry.unwrap();
            let p = entry.path();
            let scanned = p.file_name().is_some_and(|n| n == "run")
                || p.extension().is_some_and(|e| e == "rs" || e == "sh");
            if entry.file_type().is_file() && scanned {
                out.push(p.to_path_buf());
            }
        }
    }
    out
}

#[test]
fn no_test_path_leaves_the_repository() {
    let root = crate::common::repo();
    let scanned = files(&root);
    assert!(scanned.len() > 20, "{} files scanned", scanned.len());
    let mut found = Vec::new();
    for path in &scanned {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // This file spells out what it looks for.
        if path.ends_with("tests/suite/repo_paths.rs") {
            continue;
        }
        for p in problems(&text, &root) {
            found.push(format!(
                "{}:{p}",
                path.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_scan_finds_paths_that_leave() {
    let root = crate::common::repo();
    let bad = "let a = repo().join(\"BESIDE/seed/x.txt\");\n\
               let b = repo().join(\"tests/data/../../../x\");\n\
               let c = repo().join(\"tests/data/no-such-file\");\n\
               let d = repo().join(\"tests/data/seed/jacklin-jarvis-2015.txt\");\n"
        .replace("BESIDE", &beside());
    let found = problems(&bad, &root);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with(&format!("1: `{}`", beside())),
        "{found:#?}"
    );
    assert!(found[1].starts_with(&format!("1: `{}/seed/x.txt` leaves", beside())));
    assert!(found[2].starts_with("2: `tests/data/../../../x` leaves"));
    assert!(found[3].starts_with("3: `tests/data/no-such-file` is not"));
}
