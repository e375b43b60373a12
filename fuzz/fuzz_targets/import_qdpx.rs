//! `import qdpx` on any bytes as the archive: never panics, never reads
//! past its limits; an archive either plans notes or is refused with
//! errors, and nothing is written (the plan is only made).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let names = vec!["Ruth Ellis".to_string()];
    match companion::qda::fuzz_plan(dir.path(), bytes, &names) {
        Ok(_) => {}
        Err(errors) => assert!(errors > 0, "a refusal names its errors"),
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "planning writes nothing"
    );
});
