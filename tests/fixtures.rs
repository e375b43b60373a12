//! One test per folder in `tests/fixtures/`: each is a small project whose
//! `expected.txt` holds the exit code (`exit: N`) and then the exact standard
//! error of `companion build`. Every fixture starts with a previous output in
//! `site/`; a failing build must leave it byte-identical and leave no staging
//! folder behind, and a passing one must replace it.

mod common;

use common::{copy_dir, leftovers, previous_output, run, snapshot};

fn check_fixture(name: &str) {
    let source = common::repo().join("tests/fixtures").join(name);
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
            for entry in std::fs::read_dir(common::repo().join("tests/fixtures")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test");
            }
        }
    };
}

fixtures! {
    row01_unclosed_front_matter => "01-unclosed-front-matter",
    row02_yaml_syntax => "02-yaml-syntax",
    row02_yaml_tab => "02-yaml-tab",
    row03_wrong_types => "03-wrong-types",
    row04_unknown_key => "04-unknown-key",
    row05_missing_title => "05-missing-title",
    row05_quote_without_speaker => "05-quote-without-speaker",
    row06_duplicate_key => "06-duplicate-key",
    row07_invalid_utf8 => "07-invalid-utf8",
    row09_missing_note => "09-missing-note",
    row10_missing_heading => "10-missing-heading",
    row14_duplicate_id => "14-duplicate-id",
    row16_output_collision => "16-output-collision",
    row18_unsafe_slug => "18-unsafe-slug",
    row22_dangerous_link_schemes => "22-dangerous-link-schemes",
    row23_24_payloads_escaped => "23-24-payloads-escaped",
    row30_root_absolute_missing => "30-root-absolute-missing",
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
    row09_missing_file => "09-missing-file",
    row16_empty_url_segment => "16-empty-url-segment",
    row16_reference_keys_with_one_url => "16-reference-key-collision",
    no_home_page => "no-home-page",
    row11_unknown_citation_key => "11-unknown-citation-key",
    row12_at_signs_are_not_citations => "12-at-signs-are-not-citations",
    row13_malformed_bib => "13-malformed-bib",
    row13_bib_entry_without_key => "13-bib-entry-without-key",
    row13_duplicate_key_across_files => "13-duplicate-key-across-files",
    row13_malformed_yaml => "13-malformed-yaml",
    row13_malformed_json => "13-malformed-json",
    uncited_references_are_a_warning => "uncited-references-warning",
    reference_note_for_unknown_key => "unknown-reference-note",
    row14_duplicate_quote_id => "14-duplicate-quote-id",
    row15_unknown_tension => "15-unknown-tension",
    unknown_participant => "unknown-participant",
    pole_not_of_the_tension => "wrong-pole",
    unknown_quote_embed => "unknown-quote-embed",
    tension_with_three_poles => "tension-three-poles",
    ethics_guard_names_every_leak => "ethics-guard",
    quote_tension_twice_and_policy_end_before_start => "quote-tension-twice-and-policy-end",
}
