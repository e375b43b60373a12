//! The whole pipeline on a one-page site whose note is the input: `check`
//! (parse, resolve, cite, render) never panics and ends in a report.
#![no_main]

use libfuzzer_sys::fuzz_target;

use companion::build::{run, Options};

fuzz_target!(|note: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), "[site]\ntitle = \"Fuzz\"\n").unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), note).unwrap();
    let opts = Options {
        root: dir.path().to_path_buf(),
        ..Options::default()
    };
    let report = run(&opts, false).expect("only the project's own files are read");
    assert!(!report.written);
});
