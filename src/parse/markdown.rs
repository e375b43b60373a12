//! Parse: one note's text into a [`Page`]: validated front matter, Markdown
//! events with stable heading ids, and every link and code block with its
//! file position. Pure: no disk, no other pages.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::model::{
    Citation, CiteRef, CodeLang, Heading, Kind, LinkKind, LinkRef, Page, SourceFile,
};
use crate::parse::citation_syntax::{self, CiteGroup};
use crate::parse::frontmatter;
use crate::urls::slugify;

/// Element ids the theme's templates use; headings never take them.
pub const RESERVED_IDS: [&str; 11] = [
    "main",
    "timeline",
    "undated",
    "related-tensions",
    "quotes-here",
    "their-quotes",
    "linked-from",
    "in-this-section",
    "works-cited",
    "cited-by",
    "cite-this",
];

/// The Markdown extensions every note is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// Parses one source file. Content problems come back as diagnostics.
pub fn parse_page(file: &SourceFile) -> (Page, Vec<Diagnostic>) {
    let text = &file.text;
    let default = default_kind(&file.rel);
    let unplaced = |d: Diagnostic| (placeholder(&file.rel, &file.display), vec![d]);
    let split = match frontmatter::split(text) {
        Ok(Some(s)) => s,
        Ok(None) => {
            return unplaced(
                Diagnostic::error(&file.display, Pos::START, "note has no front matter").with_help(
                    format!(
                        "start the file with `---`, a line `title: …`, and `---`; or, if it is \
                         not a note, leave it out with `exclude = [\"{}\"]` under [build] in \
                         book.toml",
                        file.rel.rsplit('/').next().unwrap_or(&file.rel)
                    ),
                ),
            )
        }
        Err(msg) => return unplaced(Diagnostic::error(&file.display, Pos::START, msg)),
    };
    let (front, mut diags) = frontmatter::parse(&file.display, &split, default);
    let body = parse_body(text, split.body_start);
    diags.extend(body.hints.iter().map(|(pos, msg, help)| {
        Diagnostic::warning(&file.display, *pos, msg.clone()).with_help(help.clone())
    }));
    diags.extend(body.errors.iter().map(|(pos, msg, help)| {
        Diagnostic::error(&file.display, *pos, msg.clone()).with_help(help.clone())
    }));
    for (label, pos) in &body.references {
        if !body.labels.iter().any(|l| &l.id == label) {
            diags.push(
                Diagnostic::error(
                    &file.display,
                    *pos,
                    format!("no figure or table `{label}` on this page"),
                )
                .with_help_opt(
                    crate::diagnostic::did_you_mean(label, body.labels.iter().map(|l| l.id.as_str()))
                        .or_else(|| {
                            body.labels.is_empty().then(|| {
                                "label a figure `![alt](file \"Caption\"){#fig:name}` or a table's caption `Table: Caption {#tbl:name}`".to_string()
                            })
                        }),
                ),
            );
        }
    }
    let page = Page {
        rel: file.rel.clone(),
        display: file.display.clone(),
        front,
        source: file.text.clone(),
        body_start: split.body_start,
        headings: body.headings,
        links: body.links,
        code_langs: body.code_langs,
        citations: body.citations,
        labels: body.labels,
        raw_html: body.raw_html,
    };
    (page, diags)
}

/// The kind of a note that names none: `reference` in
/// `content/references/`, else `note`.
pub(crate) fn default_kind(rel: &str) -> Kind {
    if rel.starts_with("references/") && rel != "references/index.md" {
        Kind::Reference
    } else {
        Kind::Note
    }
}

/// A note that could not be read or has no front matter: it still takes
/// its place (its file name is its id), with no body, so nothing naming it
/// fails as well. Its own error is reported where it was found.
pub fn placeholder(rel: &str, display: &str) -> Page {
    let kind = default_kind(rel);
    let mut page = Page::synthetic(rel, display, "", None);
    page.front.data = crate::model::KindData::of(kind);
    page.front.unreadable = true;
    page
}

/// One step of a note's body as the render stage reads it: a Markdown
/// event, or one of the things the parse found and gave a number to
/// (`n` is the index in [`Page::links`] or [`Page::citations`]).
///
/// The protocol: a [`Piece::Link`] or [`Piece::Image`] is followed by its
/// label's (or alt text's) pieces and then `Event(End(Link | Image))`; an
/// embed, a citation and a code block come whole. Every other event comes
/// as it is; raw HTML as `Event(Html | InlineHtml)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// A Markdown event that holds nothing the site resolves.
    Event(Event<'static>),
    /// The start of link `n`: a Markdown or wiki link or an address.
    Link {
        n: usize,
        link_type: LinkType,
        title: CowStr<'static>,
        id: CowStr<'static>,
    },
    /// The label of `[[target]]`, written without one: the renderer shows
    /// the target's title (or the target as written) and adds it to the
    /// plain text with [`Pieces::push_text`].
    TargetLabel(usize),
    /// The start of image `n`, `![alt](src)`.
    Image {
        n: usize,
        link_type: LinkType,
        title: CowStr<'static>,
        id: CowStr<'static>,
    },
    /// Link `n`, an embedded note `![[quote]]`, whole. `alone`: it was the
    /// only thing in its paragraph, whose start and end are left out so the
    /// embed can stand as a block.
    Embed { n: usize, alone: bool },
    /// Citation `n`.
    Citation(usize),
    /// A code block, whole: its language (empty for none) and its text.
    CodeBlock { lang: String, code: String },
}

/// The body of `page` as [`Piece`]s, read again from the page's text (the
/// site does not hold every page's events in memory). Each link and
/// citation is checked, as it is met, to be the one the parse recorded at
/// that place. After the last piece, [`Pieces::text`] is the body's plain
/// text.
pub fn pieces(page: &Page) -> Pieces<'_> {
    let events = if page.source.is_empty() {
        Vec::new()
    } else {
        parse_body(&page.source, page.body_start).events
    };
    Pieces {
        page,
        events,
        at: 0,
        next_link: 0,
        pending: Vec::new(),
        text: String::new(),
    }
}

/// The iterator [`pieces`] returns.
#[derive(Debug)]
pub struct Pieces<'p> {
    page: &'p Page,
    events: Vec<Event<'static>>,
    /// The next event to read.
    at: usize,
    /// The number of the next link.
    next_link: usize,
    /// Pieces already read, to give before reading on (last first).
    pending: Vec<Piece>,
    text: String,
}

impl Pieces<'_> {
    /// The plain text of every event read so far and of what the renderer
    /// added ([`Pieces::push_text`]), words separated by single spaces. A
    /// citation, the label of a `[[target]]` and an embed leave nothing of
    /// their own: the renderer adds what it shows for them.
    pub fn text(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Adds text the reader sees where no event of the body holds it (a
    /// formatted citation, a link's label made from its target's title).
    pub fn push_text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Takes the next event, adding its text to the plain text.
    fn take(&mut self) -> Option<Event<'static>> {
        self.take_as(true)
    }

    /// Takes the next event; `record`: adds its text to the plain text.
    fn take_as(&mut self, record: bool) -> Option<Event<'static>> {
        let event = std::mem::replace(self.events.get_mut(self.at)?, Event::Rule);
        self.at += 1;
        match &event {
            Event::Text(t) | Event::Code(t) if record => self.text.push_str(t),
            // The end of a block (not of emphasis or a link) ends a word.
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            Event::End(end) if !inline(end) => self.text.push(' '),
            _ => {}
        }
        Some(event)
    }

    /// Takes events up to and including the end of the element whose start
    /// was just taken; returns the text of the `Text` events among them.
    /// `record`: their text goes into the plain text too.
    fn take_element(&mut self, record: bool) -> String {
        let mut depth = 1usize;
        let mut text = String::new();
        while let Some(event) = self.take_as(record) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Event::Text(t) => text.push_str(&t),
                _ => {}
            }
        }
        text
    }

    /// The number of the link whose start event is at `at`, checked
    /// against what the parse recorded.
    fn link_at(&mut self, at: usize) -> usize {
        let n = self.next_link;
        self.next_link += 1;
        let found = self.page.links.get(n).map(|l| l.event);
        assert_eq!(
            found,
            Some(at),
            "{}: link {n} is not where the parse found it",
            self.page.display
        );
        n
    }

    /// Whether the paragraph that starts at `at` holds nothing but an
    /// embed.
    fn embed_alone(&self, at: usize) -> bool {
        let Some(link) = self.page.links.get(self.next_link) else {
            return false;
        };
        if link.event != at + 1 || link.kind != LinkKind::Embed {
            return false;
        }
        let end = self.events[at + 1..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Image)));
        end.and_then(|e| self.events.get(at + 1 + e + 1))
            .is_some_and(|e| matches!(e, Event::End(TagEnd::Paragraph)))
    }
}

/// Whether `end` closes an element inside a line of text.
fn inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        if let Some(piece) = self.pending.pop() {
            return Some(piece);
        }
        let at = self.at;
        let event = self.take()?;
        Some(match event {
            Event::InlineHtml(mark) if mark.starts_with(CITE_MARK) => {
                let n: usize = mark[CITE_MARK.len()..].parse().expect("our own mark");
                let found = self.page.citations.get(n).map(|c| c.event);
                assert_eq!(
                    found,
                    Some(at),
                    "{}: citation {n} is not where the parse found it",
                    self.page.display
                );
                Piece::Citation(n)
            }
            Event::Start(Tag::Paragraph) if self.embed_alone(at) => {
                let image = self.at;
                self.take();
                let n = self.link_at(image);
                self.take_element(false);
                self.take(); // the paragraph's end
                Piece::Embed { n, alone: true }
            }
            Event::Start(Tag::Image {
                link_type,
                title,
                id,
                ..
            }) => {
                let n = self.link_at(at);
                if self.page.links[n].kind == LinkKind::Embed {
                    self.take_element(false);
                    Piece::Embed { n, alone: false }
                } else {
                    Piece::Image {
                        n,
                        link_type,
                        title,
                        id,
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                title,
                id,
                ..
            }) => {
                let n = self.link_at(at);
                if link_type == (LinkType::WikiLink { has_pothole: false }) {
                    self.take_element(false);
                    self.pending.push(Piece::Event(Event::End(TagEnd::Link)));
                    self.pending.push(Piece::TargetLabel(n));
                }
                Piece::Link {
                    n,
                    link_type,
                    title,
                    id,
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => fence_lang(&info),
                    CodeBlockKind::Indented => String::new(),
                };
                let code = self.take_element(true);
                Piece::CodeBlock { lang, code }
            }
            other => Piece::Event(other),
        })
    }
}

/// The parsed Markdown body of a note.
#[derive(Debug, Default)]
pub struct Body {
    pub events: Vec<Event<'static>>,
    /// Where the first raw HTML is, if any (shown as text unless
    /// `build.allow-raw-html` is set).
    pub raw_html: Option<Pos>,
    /// Things that are probably not what the writer meant: position,
    /// message and help (warnings).
    pub hints: Vec<(Pos, String, String)>,
    /// Things that cannot be rendered (LaTeX that does not parse):
    /// position, message and help.
    pub errors: Vec<(Pos, String, String)>,
    /// Numbered figures and tables.
    pub labels: Vec<crate::model::Label>,
    /// `@fig:…` and `@tbl:…` references: label and position.
    pub references: Vec<(String, Pos)>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub code_langs: Vec<CodeLang>,
    pub citations: Vec<Citation>,
}

/// Marks the placeholder event that stands for citation `n` of a page.
/// Markdown text can never hold a NUL (the parser replaces it), so the
/// placeholder cannot be forged.
const CITE_MARK: &str = "\u{0}cite:";

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
    let source = &text[start..];
    let raw: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(source, options())
        .into_offset_iter()
        .collect();
    let (events, groups, hints) = split_citations(source, raw);
    body.hints = hints
        .into_iter()
        .map(|(offset, msg, help)| (pos(offset), msg, help))
        .collect();

    let mut ranges = Vec::with_capacity(events.len());
    let mut notes = FootnoteUse::default();
    for (event, range) in events {
        let at = body.events.len();
        ranges.push(range.clone());
        if let Event::InlineHtml(mark) = &event {
            if let Some(n) = mark.strip_prefix(CITE_MARK) {
                let found = &groups[n.parse::<usize>().expect("our own mark")];
                body.citations.push(Citation {
                    event: at,
                    form: found.group.form,
                    items: found
                        .group
                        .items
                        .iter()
                        .zip(&found.keys)
                        .map(|(item, &key)| CiteRef {
                            pos: pos(key),
                            item: item.clone(),
                        })
                        .collect(),
                    pos: pos(found.offset),
                    section: body.headings.last().cloned(),
                });
                body.events.push(event.into_static());
                continue;
            }
        }
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) && body.raw_html.is_none() {
            body.raw_html = Some(pos(range.start));
        }
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
                if matches!(event, Event::Text(_)) && t.contains('@') {
                    for (r, label) in crate::parse::crossref::references_in(t) {
                        body.references.push((label, pos(range.start + r.start)));
                    }
                }
                // `[^label]` with no definition comes as the texts `[`,
                // `^label`, `]`.
                if let (Event::Text(_), Some(label)) = (&event, t.strip_prefix('^')) {
                    let bracketed = range.start > 0
                        && source.as_bytes()[range.start - 1] == b'['
                        && source[range.end..].starts_with(']');
                    if bracketed && !label.is_empty() && !label.contains(char::is_whitespace) {
                        notes.undefined.push((label.to_string(), range.start - 1));
                    }
                }
            }
            Event::FootnoteReference(label) => {
                notes.referenced.insert(label.to_string());
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                notes.defined.push((label.to_string(), range.start));
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
                    (Event::Start(Tag::Image { .. }), LinkType::WikiLink { .. }) => LinkKind::Embed,
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
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = matches!(event, Event::DisplayMath(_));
                if let Err(e) = crate::math::to_mathml(tex, display) {
                    // The TeX's place in the source, past the dollars.
                    let span = &source[range.clone()];
                    let at = range.start + span.find(tex.as_ref()).unwrap_or(0);
                    body.errors.push((
                        pos(at + e.offset),
                        format!("LaTeX: {}", e.message),
                        "math between `$…$` or `$$…$$` is LaTeX (write `\\$` for a dollar sign)"
                            .into(),
                    ));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = fence_lang(info);
                if !lang.is_empty() {
                    body.code_langs.push(CodeLang {
                        lang,
                        pos: pos(range.start),
                    });
                }
            }
            _ => {}
        }
        body.events.push(event.into_static());
    }
    for (offset, msg, help) in notes.problems() {
        body.hints.push((pos(offset), msg, help));
    }
    for f in crate::parse::crossref::scan(&body.events) {
        let id = f.id();
        if f.label.is_some() && body.labels.iter().any(|l| l.id == id) {
            body.errors.push((
                pos(ranges[f.first].start),
                format!("label `{id}` is used twice on this page"),
                "give each figure and table its own label".into(),
            ));
            continue;
        }
        body.labels.push(crate::model::Label {
            id,
            kind: f.kind,
            number: f.number,
        });
    }
    body
}

/// A citation found in the text, with the body offsets of the citation and
/// of each of its keys.
struct Found {
    group: CiteGroup,
    offset: usize,
    keys: Vec<usize>,
}

/// An event with its byte range in the body.
type Spanned<'a> = (Event<'a>, std::ops::Range<usize>);

/// A hint about the source: byte offset, message and help.
type Hint = (usize, String, String);

/// Replaces citations in runs of text with placeholder events. Returns the
/// new events, each citation with its byte offset in `source`, and hints
/// about text that was probably meant as a citation. Text in code, links,
/// images and headings is left alone.
fn split_citations<'a>(
    source: &'a str,
    raw: Vec<Spanned<'a>>,
) -> (Vec<Spanned<'a>>, Vec<Found>, Vec<Hint>) {
    let mut out = Vec::with_capacity(raw.len());
    let mut groups = Vec::new();
    let mut hints: Vec<Hint> = Vec::new();
    let mut skip_depth = 0usize;
    // Inside a heading (and not inside code or a link within it).
    let mut heading_depth = 0usize;
    let mut run: Run<'a> = Vec::new();

    for (event, range) in raw {
        match &event {
            Event::Text(t) if skip_depth == 0 => {
                run.push((t.clone(), range));
                continue;
            }
            Event::SoftBreak if skip_depth == 0 => {
                run.push(("\n".into(), range));
                continue;
            }
            // A citation in a heading's own text is left as written: say so.
            Event::Text(t) if skip_depth == heading_depth && heading_depth > 0 => {
                if t.contains('@') {
                    if let Some(group) = citation_syntax::scan(t, None, &|_| false).first() {
                        hints.push((
                            range.start + group.range.start.min(range.len()),
                            format!(
                                "`{}` in a heading stays as written, not a citation",
                                &t[group.range.clone()]
                            ),
                            "cite the work in the text under the heading".into(),
                        ));
                    }
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(source, &mut run, &mut out, &mut groups, &mut hints);
                skip_depth += 1;
                heading_depth = skip_depth;
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(source, &mut run, &mut out, &mut groups, &mut hints);
                skip_depth = skip_depth.saturating_sub(1);
                heading_depth = 0;
            }
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => {
                flush(source, &mut run, &mut out, &mut groups, &mut hints);
                skip_depth += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                flush(source, &mut run, &mut out, &mut groups, &mut hints);
                skip_depth = skip_depth.saturating_sub(1);
            }
            _ => flush(source, &mut run, &mut out, &mut groups, &mut hints),
        }
        out.push((event, range));
    }
    flush(source, &mut run, &mut out, &mut groups, &mut hints);
    (out, groups, hints)
}

/// A run of text and soft line breaks (as `\n`) between other events, so
/// a citation may wrap lines; each piece with its byte range.
type Run<'a> = Vec<(CowStr<'a>, std::ops::Range<usize>)>;

/// Ends a run of text: its citations become placeholder events (each
/// recorded in `groups`), the rest text again, soft breaks soft breaks.
fn flush<'a>(
    source: &'a str,
    run: &mut Run<'a>,
    out: &mut Vec<Spanned<'a>>,
    groups: &mut Vec<Found>,
    hints: &mut Vec<Hint>,
) {
    if run.is_empty() {
        return;
    }
    // The merged text, and where each piece of it came from.
    let mut merged = String::new();
    let mut map: Vec<(usize, usize)> = Vec::new();
    for (t, r) in run.iter() {
        map.push((merged.len(), r.start));
        merged.push_str(t);
    }
    let src_of = |i: usize| {
        let k = map.partition_point(|(m, _)| *m <= i) - 1;
        map[k].1 + (i - map[k].0)
    };
    let first_src = run[0].1.start;
    let before = source[..first_src].chars().next_back();
    // `\@` and `\[` reach us as text whose source is (or follows) a backslash.
    let escaped = |i: usize| {
        let at = src_of(i);
        source.get(at..).is_some_and(|s| s.starts_with('\\'))
            || source[..at.min(source.len())].ends_with('\\')
    };
    let mut found = if merged.contains('@') {
        citation_syntax::scan(&merged, before, &escaped)
    } else {
        Vec::new()
    };
    // `@fig:…` and `@tbl:…` name a figure or table, not a work.
    found.retain(|g| {
        !g.items
            .iter()
            .all(|i| super::crossref::is_reference_key(&i.key))
    });
    if found.is_empty() {
        out.extend(run.drain(..).map(|(t, r)| {
            let soft = &*t == "\n" && source.get(r.clone()).is_some_and(|s| s.trim().is_empty());
            (
                if soft {
                    Event::SoftBreak
                } else {
                    Event::Text(t)
                },
                r,
            )
        }));
        return;
    }
    let end_src = run.last().map_or(first_src, |(_, r)| r.end);
    let mut last = 0;
    for group in found {
        if group.range.start > last {
            let r = src_of(last)..src_of(group.range.start);
            out.push((
                Event::Text(merged[last..group.range.start].to_string().into()),
                r,
            ));
        }
        let src = src_of(group.range.start);
        if group.form == citation_syntax::CiteForm::Narrative
            && merged[group.range.end..].starts_with('[')
        {
            let written = &merged[group.range.clone()];
            let rest = &merged[group.range.end..];
            let bracket = rest.find(']').map_or(rest, |e| &rest[..=e]);
            hints.push((
                src,
                format!(
                    "`{written}{bracket}` reads as the citation {written} followed by the text `{bracket}`"
                ),
                format!("for a locator, put a space before the bracket: `{written} {bracket}`"),
            ));
        }
        let mark = format!("{CITE_MARK}{}", groups.len());
        out.push((
            Event::InlineHtml(mark.into()),
            src..src_of(group.range.end - 1) + 1,
        ));
        last = group.range.end;
        let keys = group
            .items
            .iter()
            .map(|i| src_of(i.key_range.start))
            .collect();
        groups.push(Found {
            group,
            offset: src,
            keys,
        });
    }
    if last < merged.len() {
        out.push((
            Event::Text(merged[last..].to_string().into()),
            src_of(last)..end_src,
        ));
    }
    run.clear();
}

/// The footnotes of a body: references to no definition (shown as typed)
/// and definitions nothing references (not shown).
#[derive(Default)]
struct FootnoteUse {
    referenced: BTreeSet<String>,
    /// Label and offset of each definition.
    defined: Vec<(String, usize)>,
    /// Label and offset of each `[^label]` with no definition.
    undefined: Vec<(String, usize)>,
}

impl FootnoteUse {
    /// Offset, message and help of each problem, in the order of the text.
    fn problems(&self) -> Vec<(usize, String, String)> {
        let unused: Vec<&(String, usize)> = self
            .defined
            .iter()
            .filter(|(label, _)| !self.referenced.contains(label))
            .collect();
        let mut out = Vec::new();
        for (label, at) in &self.undefined {
            let hint =
                crate::diagnostic::did_you_mean(label, unused.iter().map(|(l, _)| l.as_str()));
            out.push((
                *at,
                format!("footnote `[^{label}]` has no definition on this page, so it shows as typed"),
                hint.unwrap_or_else(|| {
                    format!("define it on a line of its own: `[^{label}]: The note's text.` (or write `\\[^{label}]` for the brackets as text)")
                }),
            ));
        }
        for (label, at) in unused {
            out.push((
                *at,
                format!("footnote `[^{label}]` is defined but nothing on this page refers to it, so it is not shown"),
                format!("refer to it where it belongs with `[^{label}]`, or delete the definition"),
            ));
        }
        out.sort_by_key(|(at, _, _)| *at);
        out
    }
}

/// The language of a fenced code block from its info string: the first
/// word, with R Markdown's and Quarto's braces and chunk options taken off
/// (```` ```{r, echo=FALSE} ```` is `r`), lower-cased. Plain-text names
/// (`text`, `txt`, `plain`, `output`…) give `""`: shown as they are, with no
/// warning.
pub fn fence_lang(info: &str) -> String {
    let info = info.trim();
    let info = info
        .strip_prefix('{')
        .map_or(info, |rest| rest.trim_start_matches('.'));
    let word = info
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | '{'))
        .next()
        .unwrap_or("")
        .to_lowercase();
    match word.as_str() {
        "text" | "txt" | "plain" | "plaintext" | "none" | "output" | "nohighlight" => String::new(),
        _ => word,
    }
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
    // Citation and reference anchors (`cite-…`, `ref-…`) are the build's own.
    let base = if base.starts_with("cite-") || base.starts_with("ref-") {
        format!("section-{base}")
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
pub(crate) mod tests {
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
    fn citations_become_placeholders_with_positions_and_sections() {
        let text =
            "Intro [@a; @b, p. 4] and\n@c said.\n\n## Part\n\n`[@code]` \\@esc a@b.org [see -@d]\n";
        let b = parse_body(text, 0);
        let found: Vec<_> = b
            .citations
            .iter()
            .map(|c| {
                (
                    c.items
                        .iter()
                        .map(|i| i.item.key.as_str())
                        .collect::<Vec<_>>(),
                    c.pos,
                    c.section.as_ref().map(|h| h.id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (vec!["a", "b"], Pos::new(1, 7), None),
                (vec!["c"], Pos::new(2, 1), None),
                (vec!["d"], Pos::new(6, 25), Some("part")),
            ]
        );
        assert_eq!(b.citations[0].items[1].pos, Pos::new(1, 12));
        assert!(b.citations[2].items[0].item.suppress_author);
        // Each placeholder sits where its citation was.
        for c in &b.citations {
            assert!(matches!(&b.events[c.event], Event::InlineHtml(m) if m.starts_with(CITE_MARK)));
        }
    }

    #[test]
    fn citations_may_wrap_lines_and_report_their_own_position() {
        let b = parse_body("As shown [see @smith, p. 4;\n@jones] here.\n\n[&amp;&amp; @nokey]\n\n## Cite smith 1\n", 0);
        assert_eq!(b.citations.len(), 2);
        let keys: Vec<_> = b.citations[0]
            .items
            .iter()
            .map(|i| i.item.key.as_str())
            .collect();
        assert_eq!(keys, ["smith", "jones"]);
        assert_eq!(b.citations[0].items[1].pos, Pos::new(2, 1));
        assert_eq!(b.citations[1].items[0].pos, Pos::new(4, 13));
        assert_eq!(b.headings[0].id, "section-cite-smith-1");
        // Without citations, line breaks stay soft breaks.
        let plain = parse_body("a\nb\n", 0);
        assert!(plain.events.iter().any(|e| matches!(e, Event::SoftBreak)));
    }

    #[test]
    fn code_is_not_a_link_and_fence_languages_are_recorded() {
        let b = parse_body("`[[x]]` and\n\n```rust\n[y](z.md)\n```\n", 0);
        assert!(b.links.is_empty());
        assert_eq!(b.code_langs.len(), 1);
        assert_eq!(b.code_langs[0].lang, "rust");
        assert_eq!(b.code_langs[0].pos, Pos::new(3, 1));
    }

    /// A note `content/a.md` with `text`, parsed; fails the test if the
    /// parse found problems.
    pub(crate) fn page_of(text: &str) -> Page {
        let (page, problems) = parse_page(&SourceFile {
            rel: "a.md".into(),
            display: "content/a.md".into(),
            text: text.into(),
        });
        assert!(problems.is_empty(), "{problems:?}");
        page
    }

    #[test]
    fn pieces_number_links_and_citations_and_give_blocks_whole() {
        let page = page_of(
            "---\ntitle: A\n---\nSee [[b]], [c](c.md) and [[d|D]] [@k, p. 2].\n\n\
             ![[quote:q]]\n\nText ![[quote:r]] inline ![i](i.png)\n\n```rust\nfn x() {}\n```\n",
        );
        let pieces: Vec<Piece> = pieces(&page)
            .filter(|p| !matches!(p, Piece::Event(_)))
            .collect();
        let starts: Vec<_> = pieces
            .iter()
            .map(|p| match p {
                Piece::Link { n, .. } => format!("link {n}"),
                Piece::TargetLabel(n) => format!("label {n}"),
                Piece::Image { n, .. } => format!("image {n}"),
                Piece::Embed { n, alone } => format!("embed {n} {alone}"),
                Piece::Citation(n) => format!("cite {n}"),
                Piece::CodeBlock { lang, code } => format!("code {lang} {code:?}"),
                Piece::Event(_) => unreachable!(),
            })
            .collect();
        assert_eq!(
            starts,
            [
                "link 0",
                "label 0",
                "link 1",
                "link 2",
                "cite 0",
                "embed 3 true",
                "embed 4 false",
                "image 5",
                "code rust \"fn x() {}\\n\"",
            ]
        );
    }

    #[test]
    fn a_lone_embed_takes_its_paragraph_and_a_label_stands_alone() {
        let page = page_of("---\ntitle: A\n---\n![[quote:q]]\n\nSee [[b]] now.\n");
        let all: Vec<Piece> = pieces(&page).collect();
        // No paragraph around the lone embed; the wiki link's written label
        // is replaced by one TargetLabel, then the link's end.
        assert_eq!(all[0], Piece::Embed { n: 0, alone: true });
        assert_eq!(all[1], Piece::Event(Event::Start(Tag::Paragraph)));
        assert!(matches!(all[3], Piece::Link { n: 1, .. }));
        assert_eq!(all[4], Piece::TargetLabel(1));
        assert_eq!(all[5], Piece::Event(Event::End(TagEnd::Link)));
    }

    /// The iterator's own text: what the events hold. A citation and a
    /// wiki link's label are the renderer's to add.
    #[test]
    fn plain_text_keeps_the_words_the_events_hold() {
        let page = page_of(
            "---\ntitle: A\n---\n# Head\n\nSome *words* [@k] and [[b]],\nthen `code`.\n\n```\nx y\n```\n",
        );
        let mut p = pieces(&page);
        assert_eq!(p.text(), "");
        p.by_ref().for_each(drop);
        assert_eq!(p.text(), "Head Some words and , then code. x y");
        p.push_text(" (Smith, 2010)");
        assert!(p.text().ends_with("x y (Smith, 2010)"));
    }

    #[test]
    #[should_panic(expected = "link 0 is not where the parse found it")]
    fn a_link_out_of_place_is_caught_where_it_is_met() {
        let mut page = page_of("---\ntitle: A\n---\nSee [[b]].\n");
        page.links[0].event += 1;
        pieces(&page).for_each(drop);
    }
}
