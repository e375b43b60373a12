//! Parse: one note's text into a [`Page`]: validated front matter, Markdown
//! events with stable heading ids, and every link and code block with its
//! file position. Pure: no disk, no other pages.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::frontmatter;
use crate::model::{CodeLang, Heading, LinkKind, LinkRef, Page, SourceFile};
use crate::urls::slugify;

/// Element ids the theme's templates use; headings never take them.
pub const RESERVED_IDS: [&str; 3] = ["main", "linked-from", "in-this-section"];

/// The Markdown extensions every note is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Parses one source file. Content problems come back as diagnostics.
pub fn parse_page(file: &SourceFile) -> Result<Page, Vec<Diagnostic>> {
    let text = &file.text;
    let split = match frontmatter::split(text) {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Err(vec![Diagnostic::error(
                &file.display,
                Pos::START,
                "note has no front matter",
            )
            .with_help("start the file with `---`, a line `title: …`, and `---`")])
        }
        Err(msg) => return Err(vec![Diagnostic::error(&file.display, Pos::START, msg)]),
    };
    let front = frontmatter::parse(&file.display, &split)?;
    let body = parse_body(text, split.body_start);
    Ok(Page {
        rel: file.rel.clone(),
        display: file.display.clone(),
        front,
        events: body.events,
        headings: body.headings,
        links: body.links,
        code_langs: body.code_langs,
    })
}

/// The parsed Markdown body of a note.
#[derive(Debug, Default)]
pub struct Body {
    pub events: Vec<Event<'static>>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub code_langs: Vec<CodeLang>,
}

/// Parses the Markdown that starts at byte `start` of `text`; positions are
/// positions in `text`.
pub fn parse_body(text: &str, start: usize) -> Body {
    let index = LineIndex::new(text);
    let pos = |offset: usize| index.pos(text, start + offset);
    let mut body = Body::default();
    let mut used_ids: BTreeSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut next_suffix = BTreeMap::new();
    // Open heading: event index, level, explicit id, text so far, position.
    let mut heading: Option<(usize, u8, Option<String>, String, Pos)> = None;

    for (event, range) in Parser::new_ext(&text[start..], options()).into_offset_iter() {
        let at = body.events.len();
        match &event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    at,
                    *level as u8,
                    id.as_ref().map(|s| s.to_string()),
                    String::new(),
                    pos(range.start),
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start_at, level, explicit, text, hpos)) = heading.take() {
                    let base = explicit.unwrap_or_else(|| slugify(&text));
                    let id = unique_id(base, &mut used_ids, &mut next_suffix);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut body.events[start_at]
                    {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    body.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                        pos: hpos,
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                let kind = match (&event, link_type) {
                    (Event::Start(Tag::Image { .. }), _) => LinkKind::Image,
                    (_, LinkType::WikiLink { .. }) => LinkKind::Wiki,
                    (_, LinkType::Email) => LinkKind::Email,
                    _ => LinkKind::Markdown,
                };
                body.links.push(LinkRef {
                    event: at,
                    kind,
                    target: dest_url.to_string(),
                    pos: pos(range.start),
                });
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split_whitespace().next().unwrap_or("");
                if !lang.is_empty() {
                    body.code_langs.push(CodeLang {
                        lang: lang.to_string(),
                        pos: pos(range.start),
                    });
                }
            }
            _ => {}
        }
        body.events.push(event.into_static());
    }
    body
}

/// `id`, or `id-1`, `id-2`, … if already taken on this page. `next`
/// remembers the next suffix to try for each base, so a page with many
/// equal headings stays linear.
fn unique_id(
    base: String,
    used: &mut BTreeSet<String>,
    next: &mut BTreeMap<String, usize>,
) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    if used.insert(base.clone()) {
        return base;
    }
    let n = next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if used.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_stable_ids() {
        let b = parse_body(
            "# Intro\n\n## Intro\n\n## Custom {#mine}\n\n## `code` and *em*\n",
            0,
        );
        let ids: Vec<_> = b.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "mine", "code-and-em"]);
        assert_eq!(b.headings[1].pos, Pos::new(3, 1));
        let b = parse_body("## Linked from\n", 0);
        assert_eq!(
            b.headings[0].id, "linked-from-1",
            "template ids stay unique"
        );
    }

    #[test]
    fn links_are_found_with_positions() {
        let text = "---\ntitle: x\n---\nSee [a](a.md) and\n  [[b|B]] and [[c#h]].\n";
        let b = parse_body(text, 16);
        let found: Vec<_> = b
            .links
            .iter()
            .map(|l| (l.kind, l.target.as_str(), l.pos))
            .collect();
        assert_eq!(
            found,
            [
                (LinkKind::Markdown, "a.md", Pos::new(4, 5)),
                (LinkKind::Wiki, "b", Pos::new(5, 3)),
                (LinkKind::Wiki, "c#h", Pos::new(5, 15)),
            ]
        );
    }

    #[test]
    fn code_is_not_a_link_and_fence_languages_are_recorded() {
        let b = parse_body("`[[x]]` and\n\n```rust\n[y](z.md)\n```\n", 0);
        assert!(b.links.is_empty());
        assert_eq!(b.code_langs.len(), 1);
        assert_eq!(b.code_langs[0].lang, "rust");
        assert_eq!(b.code_langs[0].pos, Pos::new(3, 1));
    }
}
