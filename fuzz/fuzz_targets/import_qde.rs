//! `import qdpx` on any `project.qde` and source texts: mutations reach the
//! XML reader, the codebook, the selections and the position detection
//! (in `import_qdpx` most of them end at the archive's checksums). The
//! input is the project XML, then each source's text, separated by NUL
//! bytes; source K is the archive's `sources/K.txt` (`internal://K.txt` in
//! the XML). Never a panic; a refusal names its errors; nothing is written.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut parts = bytes.split(|&b| b == 0);
    let qde = parts.next().unwrap_or_default();
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    archive.start_file("project.qde", stored).unwrap();
    archive.write_all(qde).unwrap();
    for (k, text) in parts.enumerate() {
        archive.start_file(format!("sources/{k}.txt"), stored).unwrap();
        archive.write_all(text).unwrap();
    }
    let archive = archive.finish().unwrap().into_inner();

    let dir = tempfile::tempdir().unwrap();
    let names = vec!["Ruth Ellis".to_string()];
    if let Err(errors) = companion::qda::fuzz_plan(dir.path(), &archive, &names) {
        assert!(errors > 0, "a refusal names its errors");
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "planning writes nothing"
    );
});
