//! The README stays true: its module map names every file in `src/` (and
//! nothing that is gone), and the numbers it quotes for the shipped
//! companion are what a build prints.

use std::collections::BTreeSet;

fn readme() -> String {
    std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap()
}

/// The `src/…` paths named in the README's Architecture table.
fn mapped(readme: &str) -> BTreeSet<String> {
    let start = readme
        .find("## Architecture")
        .expect("an Architecture section");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |e| e + 3);
    let mut out = BTreeSet::new();
    for line in section[..end].lines().filter(|l| l.starts_with("| `src/")) {
        let first_cell = line.split('|').nth(1).unwrap();
        for part in first_cell.split('`').skip(1).step_by(2) {
            out.insert(part.to_string());
        }
    }
    out
}

/// Every Rust file under `src/`, as `src/…` paths.
fn modules() -> BTreeSet<String> {
    let root = crate::common::repo();
    walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn the_module_map_names_every_source_file() {
    let named = mapped(&readme());
    let files = modules();
    assert!(files.len() > 25, "{files:?}");
    let missing: Vec<_> = files.difference(&named).collect();
    let stale: Vec<_> = named.difference(&files).collect();
    assert!(missing.is_empty(), "not in the README's table: {missing:?}");
    assert!(
        stale.is_empty(),
        "in the README's table but not in src/: {stale:?}"
    );
}

#[test]
fn the_module_map_reader_sees_the_table() {
    let text = "## Architecture\n\n| module | job |\n|---|---|\n| `src/a.rs`, `src/b/mod.rs` | x |\n| `src/c.rs` | y `src/not-a-module` |\n\n## Next\n| `src/d.rs` | z |\n";
    let named: Vec<_> = mapped(text).into_iter().collect();
    assert_eq!(named, ["src/a.rs", "src/b/mod.rs", "src/c.rs"]);
}

/// The summary line the README shows for the shipped companion is the one
/// a build prints, page and file counts included.
#[test]
fn the_quoted_build_summary_matches_a_build() {
    let readme = readme();
    let quoted = readme
        .lines()
        .find(|l| l.starts_with("built ") && l.contains(" pages ("))
        .expect("the README quotes a build's summary line");
    let dir = crate::common::shipped_project();
    let r = crate::common::run(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed = r.stdout.trim();
    let counts = |line: &str| line.split(" into ").next().unwrap().to_string();
    assert_eq!(
        counts(quoted),
        counts(printed),
        "README: {quoted}\nbuild: {printed}"
    );
}
