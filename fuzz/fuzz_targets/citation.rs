//! The Pandoc citation grammar on any text: never panics, and every
//! citation and key it reports lies inside the text, in order, on
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let escaped = |i: usize| text.as_bytes().get(i.wrapping_sub(1)) == Some(&b'\\');
    let groups = companion::parse::citation_syntax::scan(text, None, &escaped);
    let mut last_end = 0;
    for g in &groups {
        assert!(g.range.start >= last_end && g.range.end <= text.len());
        assert!(text.is_char_boundary(g.range.start) && text.is_char_boundary(g.range.end));
        assert!(!g.items.is_empty());
        for item in &g.items {
            let r = &item.key_range;
            assert!(
                r.start >= g.range.start && r.end <= g.range.end,
                "{r:?} in {:?}",
                g.range
            );
            assert!(text[r.clone()].contains(item.key.as_str()) || item.key.is_empty());
        }
        last_end = g.range.end;
    }
});
