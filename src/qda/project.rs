//! `project.qde`, the XML of a REFI-QDA project: its cases and its text
//! sources with their coded selections. (Its codebook is read by
//! [`super::import::parse`].) Every item keeps the byte offset of its
//! element, so an error can name its line and column.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A case: usually one participant, with the sources that are theirs.
#[derive(Debug, Default)]
pub(crate) struct Case {
    pub guid: String,
    pub name: String,
    pub description: Option<String>,
    /// GUIDs of the sources (or selections) the case holds.
    pub refs: Vec<String>,
    pub at: usize,
}

/// A text source: a transcript.
#[derive(Debug, Default)]
pub(crate) struct Source {
    pub guid: String,
    pub name: String,
    /// `internal://name.txt` (in the archive's `sources/`) or another URL.
    pub path: Option<String>,
    /// The text written inside `project.qde` itself.
    pub content: Option<String>,
    pub selections: Vec<Selection>,
    pub at: usize,
}

/// A coded stretch of a source's text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Selection {
    pub guid: String,
    pub name: String,
    pub start: u64,
    pub end: u64,
    pub description: Option<String>,
    /// The GUID of each code applied, with its `<CodeRef>`'s offset.
    pub codes: Vec<(String, usize)>,
    pub at: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Project {
    pub cases: Vec<Case>,
    pub sources: Vec<Source>,
    /// Selections of sources other than text (PDF, pictures, audio,
    /// video), which are left out.
    pub other_selections: usize,
}

type Failure = (usize, String);

/// An element's attributes, unescaped.
fn attributes(e: &BytesStart<'_>, at: usize) -> Result<Vec<(Vec<u8>, String)>, Failure> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| (at, format!("XML: {err}")))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| (at, format!("XML: {err}")))?
            .into_owned();
        out.push((a.key.local_name().as_ref().to_vec(), value));
    }
    Ok(out)
}

fn attribute(attrs: &[(Vec<u8>, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(k, _)| k == name.as_bytes())
        .map(|(_, v)| v.clone())
}

fn required(
    attrs: &[(Vec<u8>, String)],
    name: &str,
    element: &str,
    at: usize,
) -> Result<String, Failure> {
    attribute(attrs, name)
        .ok_or_else(|| (at, format!("<{element}> without its `{name}` attribute")))
}

fn position(attrs: &[(Vec<u8>, String)], name: &str, at: usize) -> Result<u64, Failure> {
    let raw = required(attrs, name, "PlainTextSelection", at)?;
    raw.trim().parse().map_err(|_| {
        (
            at,
            format!("`{name}=\"{raw}\"` is not a position (a whole number of characters)"),
        )
    })
}

/// Appends the text of a text, CDATA or reference event to `out`.
pub(crate) fn push_text(event: &Event<'_>, out: &mut String, at: usize) -> Result<(), Failure> {
    let xml = |err: &dyn std::fmt::Display| (at, format!("XML: {err}"));
    match event {
        Event::Text(t) => out.push_str(&t.xml10_content().map_err(|e| xml(&e))?),
        Event::CData(t) => out.push_str(&t.decode().map_err(|e| xml(&e))?),
        Event::GeneralRef(r) => {
            if let Some(c) = r.resolve_char_ref().map_err(|e| xml(&e))? {
                out.push(c);
            } else {
                let name = r.decode().map_err(|e| xml(&e))?;
                let entity = quick_xml::escape::resolve_predefined_entity(&name)
                    .ok_or_else(|| (at, format!("XML: unknown entity `&{name};`")))?;
                out.push_str(entity);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Reads the cases and text sources of `project.qde`.
pub(crate) fn parse(text: &str) -> Result<Project, Failure> {
    let mut reader = Reader::from_str(text);
    let mut project = Project::default();
    // Local names of the open elements.
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut case: Option<Case> = None;
    let mut source: Option<Source> = None;
    let mut selection: Option<Selection> = None;
    // Where text goes: a description or the source's content.
    let mut sink: Option<String> = None;
    let mut seen_project = false;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| (reader.error_position() as usize, format!("XML: {e}")))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name().as_ref().to_vec();
                let empty = matches!(event, Event::Empty(_));
                let parent = open.last().map(Vec::as_slice);
                match name.as_slice() {
                    b"Project" if open.is_empty() => seen_project = true,
                    b"Case" if parent == Some(b"Cases") => {
                        let attrs = attributes(e, at)?;
                        case = Some(Case {
                            guid: required(&attrs, "guid", "Case", at)?,
                            name: attribute(&attrs, "name").unwrap_or_default(),
                            at,
                            ..Case::default()
                        });
                    }
                    b"SourceRef" if parent == Some(b"Case") => {
                        let attrs = attributes(e, at)?;
                        if let Some(c) = case.as_mut() {
                            c.refs
                                .push(required(&attrs, "targetGUID", "SourceRef", at)?);
                        }
                    }
                    b"TextSource" if parent == Some(b"Sources") => {
                        let attrs = attributes(e, at)?;
                        source = Some(Source {
                            guid: required(&attrs, "guid", "TextSource", at)?,
                            name: attribute(&attrs, "name").unwrap_or_default(),
                            path: attribute(&attrs, "plainTextPath"),
                            at,
                            ..Source::default()
                        });
                    }
                    b"PlainTextSelection" if source.is_some() => {
                        let attrs = attributes(e, at)?;
                        selection = Some(Selection {
                            guid: required(&attrs, "guid", "PlainTextSelection", at)?,
                            name: attribute(&attrs, "name").unwrap_or_default(),
                            start: position(&attrs, "startPosition", at)?,
                            end: position(&attrs, "endPosition", at)?,
                            at,
                            ..Selection::default()
                        });
                    }
                    b"CodeRef" if parent == Some(b"Coding") => {
                        let attrs = attributes(e, at)?;
                        if let Some(s) = selection.as_mut() {
                            s.codes
                                .push((required(&attrs, "targetGUID", "CodeRef", at)?, at));
                        }
                    }
                    b"PDFSelection"
                    | b"PictureSelection"
                    | b"AudioSelection"
                    | b"VideoSelection"
                    | b"TranscriptSelection" => project.other_selections += 1,
                    b"Description" | b"PlainTextContent" => sink = Some(String::new()),
                    _ => {}
                }
                if empty {
                    close(
                        &name,
                        &mut project,
                        &mut case,
                        &mut source,
                        &mut selection,
                        &mut sink,
                        &open,
                    );
                } else {
                    open.push(name);
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_vec();
                if open.last() != Some(&name) {
                    return Err((at, "XML: a closing tag that does not match".into()));
                }
                open.pop();
                close(
                    &name,
                    &mut project,
                    &mut case,
                    &mut source,
                    &mut selection,
                    &mut sink,
                    &open,
                );
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                if let Some(s) = sink.as_mut() {
                    push_text(&event, s, at)?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_project {
        return Err((
            0,
            "no <Project> here: not a REFI-QDA project (project.qde)".into(),
        ));
    }
    if !open.is_empty() {
        return Err((text.len(), "the project ends inside an element".into()));
    }
    Ok(project)
}

/// Files what an element closed on: a description with its owner, a
/// selection with its source, a case or a source with the project.
fn close(
    name: &[u8],
    project: &mut Project,
    case: &mut Option<Case>,
    source: &mut Option<Source>,
    selection: &mut Option<Selection>,
    sink: &mut Option<String>,
    open: &[Vec<u8>],
) {
    match name {
        b"Description" => {
            let text = sink.take();
            match open.last().map(Vec::as_slice) {
                Some(b"PlainTextSelection") => {
                    if let Some(s) = selection.as_mut() {
                        s.description = text;
                    }
                }
                Some(b"Case") => {
                    if let Some(c) = case.as_mut() {
                        c.description = text;
                    }
                }
                _ => {}
            }
        }
        b"PlainTextContent" => {
            if let Some(s) = source.as_mut() {
                s.content = sink.take();
            }
        }
        b"PlainTextSelection" => {
            if let (Some(sel), Some(src)) = (selection.take(), source.as_mut()) {
                src.selections.push(sel);
            }
        }
        b"TextSource" => project.sources.extend(source.take()),
        b"Case" => project.cases.extend(case.take()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QDE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Cases>
    <Case guid="c1" name="Interview 1"><Description>Manager &amp; founder</Description><SourceRef targetGUID="s1"/></Case>
  </Cases>
  <Sources>
    <TextSource guid="s1" name="Interview 1" plainTextPath="internal://s1.txt">
      <Description>not a selection's</Description>
      <PlainTextSelection guid="x1" name="first" startPosition="0" endPosition="5">
        <Description>a memo</Description>
        <Coding guid="k1"><CodeRef targetGUID="code-a"/></Coding>
        <Coding guid="k2"><CodeRef targetGUID="code-b"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="s2" name="inline"><PlainTextContent>caf&#233; &lt;3
line</PlainTextContent><PlainTextSelection guid="x2" startPosition="1" endPosition="2"/></TextSource>
    <PDFSource guid="p"><PDFSelection guid="q" page="1" firstX="0" firstY="0" secondX="1" secondY="1"/></PDFSource>
  </Sources>
</Project>"#;

    #[test]
    fn cases_sources_and_selections_are_read() {
        let p = parse(QDE).unwrap();
        assert_eq!(p.cases.len(), 1);
        assert_eq!(p.cases[0].description.as_deref(), Some("Manager & founder"));
        assert_eq!(p.cases[0].refs, ["s1"]);
        assert_eq!(p.sources.len(), 2);
        let s = &p.sources[0];
        assert_eq!(s.path.as_deref(), Some("internal://s1.txt"));
        assert_eq!(s.selections.len(), 1);
        let sel = &s.selections[0];
        assert_eq!((sel.start, sel.end), (0, 5));
        assert_eq!(sel.description.as_deref(), Some("a memo"));
        let codes: Vec<&str> = sel.codes.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(codes, ["code-a", "code-b"]);
        assert_eq!(p.sources[1].content.as_deref(), Some("café <3\nline"));
        assert_eq!(p.sources[1].selections[0].name, "");
        assert_eq!(p.other_selections, 1);
    }

    #[test]
    fn bad_positions_and_bad_xml_are_errors_with_an_offset() {
        let bad = QDE.replace("endPosition=\"5\"", "endPosition=\"five\"");
        let (at, msg) = parse(&bad).unwrap_err();
        assert!(
            msg.contains("`endPosition=\"five\"` is not a position"),
            "{msg}"
        );
        assert_eq!(&bad[at..at + 19], "<PlainTextSelection");
        let (_, msg) = parse(&QDE.replace("</Case>", "")).unwrap_err();
        assert!(msg.starts_with("XML"), "{msg}");
        let (_, msg) = parse("<CodeBook/>").unwrap_err();
        assert!(msg.contains("not a REFI-QDA project"), "{msg}");
    }
}
