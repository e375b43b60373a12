//! `companion export qdpx|qdc`: the analysis for qualitative data analysis
//! software. Tensions are codes with their poles as sub-codes,
//! participants are cases, each participant's quotes are coded selections
//! of one text source; positions count code points; the same site gives
//! the same bytes; the project is valid against the REFI-QDA schema.

use std::collections::BTreeMap;
use std::io::Read;

use crate::common::{attr_values, read, run, shipped_project};

/// Every file of a zip, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for k in 0..zip.len() {
        let mut f = zip.by_index(k).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(f.name().to_string(), text);
    }
    out
}

/// The value of attribute `name` in the first tag of `tag`.
fn attr(tag: &str, name: &str) -> String {
    let at = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("{name} in {tag}"))
        + name.len()
        + 3;
    tag[at..at + tag[at..].find('"').unwrap()].to_string()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn the_shipped_analysis_exports_as_a_project_and_a_codebook() {
    let dir = shipped_project();
    let qdpx = dir.path().join("companion.qdpx");
    let r = run(dir.path(), &["export", "qdpx", qdpx.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "5 tensions as codes, 8 participants as cases, 12 quotes as coded selections"
        ),
        "{}",
        r.stdout
    );
    let bytes = std::fs::read(&qdpx).unwrap();
    let files = unzip(&bytes);
    let qde = &files["project.qde"];
    assert!(qde.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\""
    ));
    // Codes: each tension with its two poles.
    let codebook = &qde[qde.find("<CodeBook>").unwrap()..qde.find("</CodeBook>").unwrap()];
    for (tension, poles) in [
        ("Agency/Dependency", ["agency", "dependency"]),
        ("Values/Pragmatism", ["values", "pragmatism"]),
    ] {
        let at = codebook
            .find(&format!("name=\"{tension}\" isCodable=\"true\">"))
            .expect(tension);
        let code = &codebook[at..];
        let code = &code[..code.find("\n        </Code>").unwrap()];
        for pole in poles {
            assert!(
                code.contains(&format!("name=\"{pole}\" isCodable=\"true\"/>")),
                "{tension}: {pole}"
            );
        }
    }
    let code_guids: Vec<String> = attr_values(codebook, "guid");
    // Cases and sources: one per participant, each case pointing at its source.
    assert_eq!(qde.matches("<Case ").count(), 8);
    assert_eq!(qde.matches("<TextSource ").count(), 8);
    // Every selection is the quote's words, by code points, in its
    // participant's text, coded with codes of the codebook.
    let mut selections = 0;
    for source in qde.split("<TextSource ").skip(1) {
        let path = attr(source, "plainTextPath");
        let file = format!("sources/{}", path.strip_prefix("internal://").unwrap());
        let text: Vec<char> = files[&file].chars().collect();
        for sel in source.split("<PlainTextSelection ").skip(1) {
            selections += 1;
            let sel = &sel[..sel.find("</PlainTextSelection>").unwrap()];
            let start: usize = attr(sel, "startPosition").parse().unwrap();
            let end: usize = attr(sel, "endPosition").parse().unwrap();
            let words: String = text[start..end].iter().collect();
            let title = unescape(&attr(sel, "name"));
            let note = std::fs::read_dir(dir.path().join("content/quotes"))
                .unwrap()
                .map(|e| read(&e.unwrap().path()))
                .find(|n| {
                    n.contains(&format!("title: \"{title}\""))
                        || n.contains(&format!("title: {title}\n"))
                })
                .unwrap_or_else(|| panic!("a quote titled {title}"));
            assert!(
                note.trim_end().ends_with(words.trim_end()),
                "{title}: {words:?}"
            );
            for code in attr_values(sel, "targetGUID") {
                assert!(
                    code_guids.contains(&code),
                    "{title} coded with an unknown code"
                );
            }
        }
    }
    assert_eq!(selections, 12);
    // The same site, the same bytes.
    let again = dir.path().join("again.qdpx");
    assert_eq!(
        run(dir.path(), &["export", "qdpx", again.to_str().unwrap()]).code,
        0
    );
    assert_eq!(std::fs::read(&again).unwrap(), bytes, "byte-identical");

    let qdc = dir.path().join("companion.qdc");
    assert_eq!(
        run(dir.path(), &["export", "qdc", qdc.to_str().unwrap()]).code,
        0
    );
    let codebook = read(&qdc);
    assert!(codebook.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\""));
    assert_eq!(
        codebook.matches("<Code ").count(),
        18,
        "3 levels, 5 tensions and 10 poles"
    );
    assert!(codebook.contains("name=\"Experienced tensions\" isCodable=\"false\""));
}

#[test]
fn a_project_with_errors_exports_nothing() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n[[missing]]\n"),
    ]);
    let out = dir.path().join("x.qdpx");
    let r = run(dir.path(), &["export", "qdpx", out.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/index.md:4:1: error: link to unknown note `[[missing]]`"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

/// The project is valid against the REFI-QDA schema (QDA-XML 1.0).
#[test]
#[ignore = "needs xmllint (apt-get install libxml2-utils)"]
fn the_exported_project_is_valid_against_the_refi_qda_schema() {
    let dir = shipped_project();
    let qdpx = dir.path().join("companion.qdpx");
    assert_eq!(
        run(dir.path(), &["export", "qdpx", qdpx.to_str().unwrap()]).code,
        0
    );
    let files = unzip(&std::fs::read(&qdpx).unwrap());
    let qde = dir.path().join("project.qde");
    std::fs::write(&qde, &files["project.qde"]).unwrap();
    let schema = crate::common::repo().join("tests/data/refi-qda/Project-mrt2019.xsd");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&qde)
        .output()
        .expect("xmllint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("validates"), "{stderr}");
}

/// A codebook exported from one companion imports into another as its
/// tension notes (titles, poles, levels, summaries), and the import writes
/// nothing that exists and lists what it did not map.
#[test]
fn a_codebook_imports_as_tension_notes() {
    let shipped = shipped_project();
    let qdc = shipped.path().join("companion.qdc");
    assert_eq!(
        run(shipped.path(), &["export", "qdc", qdc.to_str().unwrap()]).code,
        0
    );
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
        (
            "content/tensions/power.md",
            "---\ntitle: Mine\nkind: tension\npoles: [a, b]\nlevel: inherent\n---\nMy own words.\n",
        ),
    ]);
    let dry = run(
        dir.path(),
        &["import", "qdc", qdc.to_str().unwrap(), "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .contains("would write content/tensions/agency-dependency.md"),
        "{}",
        dry.stdout
    );
    assert!(
        !dir.path()
            .join("content/tensions/agency-dependency.md")
            .exists(),
        "a dry run writes nothing"
    );
    let r = run(dir.path(), &["import", "qdc", qdc.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("skipped content/tensions/the-power-tension.md")
            || r.stdout
                .contains("wrote content/tensions/the-power-tension.md"),
        "{}",
        r.stdout
    );
    assert_eq!(
        read(&dir.path().join("content/tensions/power.md")),
        "---\ntitle: Mine\nkind: tension\npoles: [a, b]\nlevel: inherent\n---\nMy own words.\n",
        "untouched"
    );
    let ad = read(&dir.path().join("content/tensions/agency-dependency.md"));
    assert!(ad.starts_with("---\ntitle: \"Agency/Dependency\"\nkind: tension\npoles: [\"agency\", \"dependency\"]\nlevel: experienced\n"), "{ad}");
    let ud = read(&dir.path().join("content/tensions/unity-diversity.md"));
    assert!(
        ud.contains("level: inherent"),
        "the level from its group: {ud}"
    );
    // The imported notes build.
    let build = run(dir.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // A second import writes nothing new.
    let again = run(dir.path(), &["import", "qdc", qdc.to_str().unwrap()]);
    assert!(!again.stdout.contains("wrote "), "{}", again.stdout);
    assert!(again
        .stdout
        .contains("skipped content/tensions/agency-dependency.md"));
}

#[test]
fn a_broken_codebook_is_an_error_at_its_place() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
        (
            "bad.qdc",
            "<CodeBook>\n<Codes>\n<Code name=\"x\">\n</Codes>\n</CodeBook>\n",
        ),
    ]);
    let r = run(
        dir.path(),
        &[
            "import",
            "qdc",
            dir.path().join("bad.qdc").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.qdc:4:"), "{}", r.stderr);
    assert!(
        !dir.path().join("content/tensions").exists(),
        "nothing written"
    );
}

/// A real Taguette (PyPI taguette 1.5.2), driven over HTTP on 127.0.0.1 by
/// `tests/tools/taguette_codebook.py`, exports its tags as a codebook; the
/// import reads Taguette's dotted tag paths as the tree they stand for.
#[test]
#[ignore = "needs taguette (pip install taguette==1.5.2) and python3"]
fn a_codebook_from_a_running_taguette_imports_as_tensions() {
    let dir = crate::common::project(&[
        ("book.toml", crate::common::BOOK),
        ("content/index.md", "---\ntitle: Home\n---\n"),
    ]);
    let qdc = dir.path().join("taguette.qdc");
    let script = crate::common::repo().join("tests/tools/taguette_codebook.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(&qdc)
        .args([
            "Agency/Dependency.agency",
            "Agency/Dependency.dependency",
            "Funding",
            "Management.Power.within",
            "Management.Power.challenging",
        ])
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the Taguette driver failed");
    let codebook = read(&qdc);
    assert!(codebook.contains("origin=\"Taguette 1.5.2\""), "{codebook}");
    let r = run(dir.path(), &["import", "qdc", qdc.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ad = read(&dir.path().join("content/tensions/agency-dependency.md"));
    assert!(
        ad.contains("poles: [\"agency\", \"dependency\"]\nlevel: experienced"),
        "{ad}"
    );
    let power = read(&dir.path().join("content/tensions/power.md"));
    assert!(
        power.contains("poles: [\"within\", \"challenging\"]\nlevel: management"),
        "{power}"
    );
    assert!(r.stdout.contains("not imported: `Funding`"), "{}", r.stdout);
    assert!(
        r.stdout.contains("not imported: `interesting`"),
        "Taguette's default tag: {}",
        r.stdout
    );
    assert_eq!(run(dir.path(), &["build"]).code, 0);
}
