//! One mistake, one error. `tests/one-error/base/` is a small companion that
//! builds cleanly (two tensions, two participants, six quotes, a glossary, a
//! reference note, a BibTeX file); every other folder there holds the files
//! of one realistic mistake, laid over the base. Each must give exactly the
//! one error that names the cause: a note whose front matter has an error
//! keeps its place, id and kind, so nothing that names it fails as well.

use std::path::Path;

fn check(case: &str, expected: &str) {
    let cases = crate::common::repo().join("tests/one-error");
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&cases.join("base"), dir.path());
    crate::common::copy_dir(&cases.join(case), dir.path());
    let out = dir.path().join("site");
    let before = crate::common::previous_output(&out);
    let r = crate::common::run(dir.path(), &["build"]);
    assert_eq!(r.stderr.trim_end(), expected.trim_end(), "stderr of {case}");
    assert_eq!(r.code, 1, "{case}");
    assert!(
        r.stderr
            .ends_with("error: build found 1 error and 0 warnings; nothing was written\n"),
        "{case}: exactly one error"
    );
    assert_eq!(
        before,
        crate::common::snapshot(&out),
        "{case}: previous output kept"
    );
}

#[test]
fn the_base_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(
        &crate::common::repo().join("tests/one-error/base"),
        dir.path(),
    );
    let r = crate::common::run(dir.path(), &["build"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

#[test]
fn every_case_folder_has_a_test() {
    let source =
        std::fs::read_to_string(crate::common::repo().join("tests/suite/one_error.rs")).unwrap();
    for entry in std::fs::read_dir(crate::common::repo().join("tests/one-error")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == "base" || source.contains(&format!("check(\n        \"{name}\"")),
            "case {name} has no test"
        );
        assert!(Path::new(&name).extension().is_none());
    }
}

/// `tag:` for `tags:` in a tension: the quotes naming it are not reported.
#[test]
fn a_misspelt_key_in_a_tension() {
    check(
        "tag-typo",
        "content/tensions/flow-care.md:6:1: error: unknown key `tag` for a tension
  = help: did you mean `tags`?
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// A note that sets an id a tension has by its file name: the error is on
/// the note that set it, and the quotes still find the tension.
#[test]
fn a_duplicate_id() {
    check(
        "duplicate-id",
        "content/notes/power-notes.md:3:5: error: duplicate id `power`: also the id of content/tensions/power.md:1
  = help: ids default to the file name; set `id:` in one of them
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// `kind: qoute`: read as the quote it was meant to be, so its `speaker`
/// and `tensions` are not unknown keys of a note.
#[test]
fn a_misspelt_kind() {
    check(
        "unknown-kind",
        "content/quotes/ann-0.md:3:7: error: unknown kind `qoute`
  = help: did you mean `quote`?
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// `level: inherant`: the tension keeps its place for its quotes and for
/// the tension that names it in `related`.
#[test]
fn an_invalid_level() {
    check(
        "invalid-level",
        "content/tensions/flow-care.md:4:8: error: `level` must be one of experienced, inherent, management; found `inherant`
  = help: did you mean `inherent`?
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// A glossary without a title: the home page's link to it still resolves.
#[test]
fn a_missing_title() {
    check(
        "missing-title",
        "content/glossary.md:1:1: error: missing required key `title`
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// A tab in the YAML: the note is placed by its file name and title, read
/// line by line, so links to it resolve.
#[test]
fn a_tab_in_yaml() {
    check(
        "yaml-tab",
        "content/glossary.md:4:1: error: invalid YAML: found character that cannot start any token, while scanning for the next token
  = help: YAML indentation must use spaces, not tabs
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// A BibTeX entry that does not parse: its citation and its reference
/// note are not reported as unknown.
#[test]
fn a_broken_bibtex_entry() {
    check(
        "broken-bibtex",
        "refs.bib:4:10: error: invalid BibTeX: the `{` of field `year` is never closed
  = help: close the value with `}` before the next field
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// A misspelt pole inside a `tensions:` list is reported at the pole.
#[test]
fn a_misspelt_pole_is_reported_where_it_is_written() {
    check(
        "pole-position",
        "content/quotes/ann-2.md:8:11: error: `kare` is not a pole of tension `flow-care`; its poles are flow and care
  = help: did you mean `care`?
error: build found 1 error and 0 warnings; nothing was written",
    );
}

/// A misspelt tension inside a flow list is reported at the item.
#[test]
fn a_misspelt_tension_is_reported_where_it_is_written() {
    check(
        "tension-position",
        "content/quotes/ben-3.md:5:19: error: unknown tension `flow-kare`
  = help: did you mean `flow-care`?
error: build found 1 error and 0 warnings; nothing was written",
    );
}
