//! The front-matter splitter and the schema check on any text: never
//! panic; a split lies inside the text; diagnostics point into it.
#![no_main]

use libfuzzer_sys::fuzz_target;

use companion::parse::frontmatter;
use companion::model::Kind;

fuzz_target!(|text: &str| {
    let Ok(Some(split)) = frontmatter::split(text) else {
        return;
    };
    assert!(split.body_start <= text.len());
    assert!(text.is_char_boundary(split.body_start));
    assert!(split.yaml_line >= 1);
    let lines = text.lines().count() + 1;
    for kind in [Kind::Note, Kind::Quote, Kind::Reference] {
        let (_, diags) = frontmatter::parse("content/n.md", &split, kind);
        for d in diags {
            assert!(
                d.pos.line >= 1 && d.pos.line <= lines,
                "{d:?} in {lines} lines"
            );
        }
    }
});
