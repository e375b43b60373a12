//! Import: a REFI-QDA codebook (`.qdc`, as Taguette and the other programs
//! export it) into tension notes.
//!
//! A code with exactly two sub-codes (and none below them) is a tension
//! whose poles are the sub-codes. Its level comes from a parent code named
//! after one (`Experienced tensions`), else from `--level`. Every other code
//! is listed for the researcher to map by hand. A note that exists is never
//! overwritten: it is listed as skipped.
//!
//! Taguette (1.5) writes its codebook flat, each tag a code named by its
//! path (`Agency/Dependency.agency`: hierarchy by full stops) and without
//! descriptions; a flat codebook whose names hold full stops is read as
//! that tree.

use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::{Error, Result};
use crate::model::Level;
use crate::urls;

/// A code as the codebook has it.
#[derive(Debug, Default)]
pub(super) struct Code {
    pub guid: String,
    pub name: String,
    pub description: Option<String>,
    pub children: Vec<Code>,
    /// Byte offset of its `<Code>` element.
    pub at: usize,
}

/// What an import does, or would do with `--dry-run`.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// What the import found out (such as how positions are counted).
    pub notes: Vec<String>,
    /// New notes: path (relative to the project) and text.
    pub write: Vec<(PathBuf, String)>,
    /// Notes the import wrote earlier, unedited since, whose selection
    /// changed: rewritten.
    pub update: Vec<(PathBuf, String)>,
    /// Notes the import wrote earlier that would not change.
    pub unchanged: Vec<PathBuf>,
    /// Notes that exist already, left as they are, with why.
    pub skip: Vec<(PathBuf, String)>,
    /// What was not imported (codes that are no tension, selections
    /// without one), with why.
    pub unmapped: Vec<String>,
}

impl Plan {
    /// The plan, a line each, as `verb` (`wrote`, `would write`) says.
    pub(crate) fn report(&self, verb: &str) -> String {
        let mut out = String::new();
        for note in &self.notes {
            out.push_str(&format!("{note}\n"));
        }
        for (path, _) in &self.write {
            out.push_str(&format!("{verb} {}\n", path.display()));
        }
        let updated = if verb == "wrote" {
            "updated"
        } else {
            "would update"
        };
        for (path, _) in &self.update {
            out.push_str(&format!(
                "{updated} {} (written by an earlier import, its selection changed)\n",
                path.display()
            ));
        }
        if !self.unchanged.is_empty() {
            out.push_str(&format!(
                "unchanged: {} note{} from an earlier import\n",
                self.unchanged.len(),
                if self.unchanged.len() == 1 { "" } else { "s" }
            ));
        }
        for (path, why) in &self.skip {
            out.push_str(&format!("skipped {} ({why})\n", path.display()));
        }
        for why in &self.unmapped {
            out.push_str(&format!("not imported: {why}\n"));
        }
        out
    }
}

/// Reads the codebook at `file` and plans the tension notes for the
/// project at `root`; `level` for tensions whose parent names none.
pub(crate) fn import_codebook(root: &Path, file: &Path, level: Level) -> Result<Plan> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::Config(format!(
            "{}: error: not UTF-8 at byte {}",
            file.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let codes = parse(&text).map_err(|(at, msg)| {
        let pos = crate::diagnostic::LineIndex::new(&text).pos(&text, at.min(text.len()));
        Error::Config(format!(
            "{}:{}:{}: error: {msg}",
            file.display(),
            pos.line,
            pos.col
        ))
    })?;
    let codes = as_tree(codes, &["::", "."]);
    let mut plan = Plan::default();
    for code in &codes {
        plan_code(root, code, None, level, &mut plan);
    }
    Ok(plan)
}

/// A flat codebook whose names carry the hierarchy as a tree: the first
/// of `separators` that some name contains splits them all (ATLAS.ti
/// writes `parent::child`, Taguette `parent.child`). A nested codebook,
/// or one without such names, as it is.
pub(super) fn as_tree(codes: Vec<Code>, separators: &[&str]) -> Vec<Code> {
    if codes.iter().any(|c| !c.children.is_empty()) {
        return codes;
    }
    match separators
        .iter()
        .find(|sep| codes.iter().any(|c| c.name.contains(**sep)))
    {
        Some(sep) => tree_of_paths(codes, sep),
        None => codes,
    }
}

/// A flat list of codes named by path (`a.b.c` with `.` as `separator`)
/// as a tree; a path's missing parents become codes of their own (without
/// a GUID, at the place of the first code under them).
fn tree_of_paths(codes: Vec<Code>, separator: &str) -> Vec<Code> {
    let mut top: Vec<Code> = Vec::new();
    for code in codes {
        let parts: Vec<String> = code
            .name
            .split(separator)
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let Some((leaf, parents)) = parts.split_last() else {
            continue;
        };
        let mut level = &mut top;
        for part in parents {
            let at = match level.iter().position(|c| &c.name == part) {
                Some(at) => at,
                None => {
                    level.push(Code {
                        name: part.clone(),
                        at: code.at,
                        ..Code::default()
                    });
                    level.len() - 1
                }
            };
            level = &mut level[at].children;
        }
        match level.iter_mut().find(|c| &c.name == leaf) {
            // A parent met first as a path's prefix, now with its own code.
            Some(existing) => {
                existing.guid = code.guid;
                existing.description = code.description;
                existing.at = code.at;
            }
            None => level.push(Code {
                name: leaf.clone(),
                ..code
            }),
        }
    }
    top
}

/// The level a code's name stands for (`Experienced tensions`).
pub(super) fn level_named(name: &str) -> Option<Level> {
    let lower = name.to_lowercase();
    Level::ALL
        .iter()
        .find(|(n, _)| lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *n))
        .map(|&(_, l)| l)
}

pub(super) fn is_tension(code: &Code) -> bool {
    code.children.len() == 2 && code.children.iter().all(|c| c.children.is_empty())
}

fn plan_code(root: &Path, code: &Code, parent: Option<Level>, level: Level, plan: &mut Plan) {
    if is_tension(code) {
        let slug = urls::slugify(&code.name);
        let rel = PathBuf::from("content/tensions").join(format!("{slug}.md"));
        if slug.is_empty() {
            plan.unmapped
                .push(format!("`{}` (its name makes no file name)", code.name));
        } else if root.join(&rel).exists() || plan.write.iter().any(|(p, _)| *p == rel) {
            plan.skip
                .push((rel, "it exists; nothing overwritten".into()));
        } else {
            plan.write.push((rel, note(code, parent.unwrap_or(level))));
        }
        return;
    }
    if code.children.is_empty() {
        plan.unmapped.push(format!(
            "`{}` (no sub-codes; a tension needs its two poles as sub-codes)",
            code.name
        ));
        return;
    }
    // A grouping code: its own name may give its tensions' level.
    let here = level_named(&code.name).or(parent);
    for child in &code.children {
        plan_code(root, child, here, level, plan);
    }
}

/// A YAML string, double-quoted.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The tension note for `code`.
pub(super) fn note(code: &Code, level: Level) -> String {
    let poles: Vec<String> = code.children.iter().map(|c| quoted(&c.name)).collect();
    let mut out = format!(
        "---\ntitle: {}\nkind: tension\npoles: [{}]\nlevel: {}\nextra:\n  refi-qda-guid: {}\n---\n",
        quoted(&code.name),
        poles.join(", "),
        level.name(),
        quoted(&code.guid)
    );
    if let Some(d) = &code.description {
        out.push('\n');
        out.push_str(d.trim());
        out.push('\n');
    }
    out
}

/// The codes of a codebook (`<CodeBook><Codes>…`) or of a project's
/// codebook (`<Project><CodeBook><Codes>…`). Errors carry a byte offset.
pub(super) fn parse(text: &str) -> std::result::Result<Vec<Code>, (usize, String)> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Code> = Vec::new();
    let mut top: Vec<Code> = Vec::new();
    let mut in_description = false;
    let mut seen_codes = false;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| (reader.error_position() as usize, format!("XML: {e}")))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Codes" => {
                seen_codes = true;
            }
            ref ev @ (Event::Start(ref e) | Event::Empty(ref e))
                if e.local_name().as_ref() == b"Code" =>
            {
                let mut code = Code {
                    at,
                    ..Code::default()
                };
                for a in e.attributes() {
                    let a = a.map_err(|err| (at, format!("XML: {err}")))?;
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| (at, format!("XML: {err}")))?
                        .into_owned();
                    match a.key.local_name().as_ref() {
                        b"name" => code.name = value,
                        b"guid" => code.guid = value,
                        _ => {}
                    }
                }
                if code.name.trim().is_empty() {
                    return Err((at, "a <Code> without a name".into()));
                }
                if matches!(ev, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(code),
                        None => top.push(code),
                    }
                } else {
                    stack.push(code);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"Code" => {
                let code = stack
                    .pop()
                    .ok_or((at, "</Code> without <Code>".to_string()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(code),
                    None => top.push(code),
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"Description" => in_description = true,
            Event::End(e) if e.local_name().as_ref() == b"Description" => in_description = false,
            ref ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                if in_description =>
            {
                if let Some(code) = stack.last_mut() {
                    super::project::push_text(
                        ev,
                        code.description.get_or_insert_with(String::new),
                        at,
                    )?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err((text.len(), "the codebook ends inside a <Code>".into()));
    }
    if !seen_codes {
        return Err((
            0,
            "no <Codes> here: not a REFI-QDA codebook (.qdc) or project (.qde)".into(),
        ));
    }
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.5.2">
  <Codes>
    <Code guid="a" name="Management tensions" isCodable="false">
      <Code guid="b" name="Power &amp; trust" isCodable="true">
        <Description>Who &amp; how decides.</Description>
        <Code guid="c" name="within" isCodable="true"/>
        <Code guid="d" name="challenging" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="e" name="Funding" isCodable="true"/>
    <Code guid="f" name="Voice" isCodable="true"><Code guid="g" name="loud" isCodable="true"/><Code guid="h" name="quiet" isCodable="true"/></Code>
  </Codes>
</CodeBook>"#;

    #[test]
    fn two_sub_codes_make_a_tension_and_a_parent_its_level() {
        let codes = parse(BOOK).unwrap();
        let mut plan = Plan::default();
        for c in &codes {
            plan_code(
                Path::new("/nonexistent"),
                c,
                None,
                Level::Experienced,
                &mut plan,
            );
        }
        let paths: Vec<String> = plan
            .write
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "content/tensions/power-trust.md",
                "content/tensions/voice.md"
            ]
        );
        assert_eq!(
            plan.write[0].1,
            "---\ntitle: \"Power & trust\"\nkind: tension\npoles: [\"within\", \"challenging\"]\nlevel: management\nextra:\n  refi-qda-guid: \"b\"\n---\n\nWho & how decides.\n"
        );
        assert!(
            plan.write[1].1.contains("level: experienced"),
            "the default"
        );
        assert_eq!(plan.unmapped.len(), 1);
        assert!(plan.unmapped[0].starts_with("`Funding` (no sub-codes"));
    }

    #[test]
    fn taguette_paths_are_a_tree() {
        let flat = parse(r#"<CodeBook><Codes><Code guid="1" name="interesting" isCodable="true"/><Code guid="2" name="Agency/Dependency.agency" isCodable="true"/><Code guid="3" name="Agency/Dependency.dependency" isCodable="true"/><Code guid="4" name="Management.Power.within" isCodable="true"/><Code guid="5" name="Management.Power.challenging" isCodable="true"/></Codes></CodeBook>"#).unwrap();
        let tree = as_tree(flat, &["::", "."]);
        let names: Vec<&str> = tree.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["interesting", "Agency/Dependency", "Management"]);
        assert!(is_tension(&tree[1]));
        assert_eq!(tree[1].children[1].name, "dependency");
        assert_eq!(tree[1].children[1].guid, "3");
        assert!(is_tension(&tree[2].children[0]));
        assert_eq!(level_named(&tree[2].name), Some(Level::Management));
    }

    #[test]
    fn atlas_ti_paths_are_a_tree_and_keep_their_dots() {
        // The parent's own code comes after its children, as ATLAS.ti 8
        // writes them; a dot inside a name is no separator here.
        let flat = parse(r#"<CodeBook><Codes><Code guid="a" name="Trust::within" isCodable="true"/><Code guid="b" name="Trust::across" isCodable="true"/><Code guid="t" name="Trust" isCodable="true"><Description>Reliance.</Description></Code><Code guid="d" name="Dr. Who" isCodable="true"/></Codes></CodeBook>"#).unwrap();
        let tree = as_tree(flat, &["::", "."]);
        let names: Vec<&str> = tree.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Trust", "Dr. Who"]);
        assert!(is_tension(&tree[0]));
        assert_eq!(tree[0].guid, "t");
        assert_eq!(tree[0].description.as_deref(), Some("Reliance."));
        assert_eq!(tree[0].children[0].name, "within");
        // A nested codebook stays as it is.
        let nested = parse(r#"<CodeBook><Codes><Code guid="p" name="a::b" isCodable="true"><Code guid="c" name="c" isCodable="true"/></Code></Codes></CodeBook>"#).unwrap();
        assert_eq!(as_tree(nested, &["::"])[0].name, "a::b");
    }

    #[test]
    fn broken_codebooks_are_errors_with_their_place() {
        let (at, msg) = parse("<CodeBook><Codes><Code name=\"x\"></Codes></CodeBook>").unwrap_err();
        assert!(msg.starts_with("XML"), "{msg}");
        assert!(at > 0);
        let (_, msg) = parse("<Other/>").unwrap_err();
        assert!(msg.contains("not a REFI-QDA codebook"));
    }
}
