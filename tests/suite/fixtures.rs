//! One test per folder in `tests/fixtures/`: each is a small project whose
//! `expected.txt` holds the exit code (`exit: N`) and then the exact standard
//! error of `companion build`. Every fixture starts with a previous output in
//! `site/`; a failing build must leave it byte-identical and leave no staging
//! folder behind, and a passing one must replace it.

use crate::common::{copy_dir, leftovers, previous_output, run, snapshot};

fn check_fixture(name: &str) {
    let source = crate::common::repo().join("tests/fixtures").join(name);
    let expected = std::fs::read_to_string(source.join("expected.txt")).unwrap();
    let (first, want_stderr) = expected.split_once('\n').unwrap();
    let want_code: i32 = first.strip_prefix("exit: ").unwrap().parse().unwrap();

    let dir = tempfile::tempdir().unwrap();
    copy_dir(&source, dir.path());
    let out = dir.path().join("site");
    let before = previous_output(&out);

    let r = run(dir.path(), &["build"]);
    assert_eq!(
        r.stderr.trim_end(),
        want_stderr.trim_end(),
        "stderr of {name}"
    );
    assert_eq!(r.code, want_code, "exit code of {name}");
    let after = snapshot(&out);
    if want_code == 0 {
        assert!(after.contains_key(".nojekyll"), "{name}: site was written");
        assert!(
            !after.contains_key("old/index.html"),
            "{name}: old output replaced"
        );
    } else {
        assert_eq!(before, after, "{name}: previous output must be untouched");
        assert!(r.stdout.is_empty(), "{name}: no summary on failure");
    }
    assert!(
        leftovers(dir.path()).is_empty(),
        "{name}: no staging folders left"
    );
}

macro_rules! fixtures {
    ($($test:ident => $dir:literal,)*) => {
        $(#[test] fn $test() { check_fixture($dir); })*

        #[test]
        fn every_fixture_folder_has_a_test() {
            let listed = [$($dir),*];
            for entry in std::fs::read_dir(crate::common::repo().join("tests/fixtures")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test");
            }
        }
    };
}

fixtures! {
    unclosed_front_matter => "unclosed-front-matter",
    yaml_syntax_error => "yaml-syntax-error",
    yaml_tab_indent => "yaml-tab-indent",
    wrong_value_types => "wrong-value-types",
    unknown_front_matter_key => "unknown-front-matter-key",
    missing_title => "missing-title",
    quote_without_speaker => "quote-without-speaker",
    duplicate_front_matter_key => "duplicate-front-matter-key",
    invalid_utf8 => "invalid-utf8",
    link_to_missing_note => "link-to-missing-note",
    link_to_missing_heading => "link-to-missing-heading",
    duplicate_note_id => "duplicate-note-id",
    two_notes_one_url => "two-notes-one-url",
    unsafe_slug => "unsafe-slug",
    dangerous_link_schemes => "dangerous-link-schemes",
    payloads_escaped => "payloads-escaped",
    root_absolute_link_missing => "root-absolute-link-missing",
    many_errors_are_all_reported_sorted => "many-errors-sorted",
    unknown_code_language_is_a_warning => "unknown-code-language",
    impossible_dates_are_errors => "impossible-dates",
    a_readme_without_front_matter_names_exclude => "readme-beside-data",
    excluded_files_are_left_out => "readme-excluded",
    a_bibtex_field_left_open_is_reported_at_its_brace => "bibtex-field-left-open",
    a_missing_comma_between_bibtex_fields => "bibtex-missing-comma-between-fields",
    a_bibliography_exported_twice_is_one_error => "bibliography-exported-twice",
    an_unknown_bibtex_entry_type_is_a_warning => "bibtex-unknown-entry-type",
    what_was_probably_meant_is_a_warning => "probably-meant",
    a_utf16_note_is_one_error_with_what_to_do => "utf16-note",
    a_utf16_book_toml_says_to_save_as_utf8 => "utf16-book-toml",
    language_must_be_a_bcp47_tag => "language-not-bcp47",
    a_missing_bibliography_file_is_reported_at_its_line => "missing-bibliography-file",
    an_impossible_paper_date_is_an_error => "impossible-paper-date",
    ethics_guard_sees_through_typography_and_data_files => "ethics-typography-and-data-files",
    ethics_guard_reports_a_name_split_by_links_at_its_note => "ethics-split-by-links",
    unknown_kind => "unknown-kind",
    link_to_missing_file => "link-to-missing-file",
    empty_url_segment => "empty-url-segment",
    reference_keys_with_one_url => "reference-keys-one-url",
    no_home_page => "no-home-page",
    unknown_citation_key => "unknown-citation-key",
    at_signs_that_are_not_citations => "at-signs-that-are-not-citations",
    malformed_bibtex => "malformed-bibtex",
    bib_entry_without_key => "bib-entry-without-key",
    duplicate_bib_key_across_files => "duplicate-bib-key-across-files",
    malformed_csl_yaml => "malformed-csl-yaml",
    malformed_csl_json => "malformed-csl-json",
    uncited_references_are_a_warning => "uncited-references-warning",
    reference_note_for_unknown_key => "unknown-reference-note",
    duplicate_quote_id => "duplicate-quote-id",
    unknown_tension => "unknown-tension",
    unknown_participant => "unknown-participant",
    pole_not_of_the_tension => "wrong-pole",
    unknown_quote_embed => "unknown-quote-embed",
    tension_with_three_poles => "tension-three-poles",
    ethics_guard_names_every_leak => "ethics-guard",
    quote_tension_twice_and_policy_end_before_start => "quote-tension-twice-and-policy-end",
}
