//! Export: the companion's analysis for qualitative data analysis software.
//!
//! - tensions are codes, their poles sub-codes, grouped under a code for
//!   their level ("Experienced tensions"), which `import` reads back;
//! - participants are cases;
//! - each participant's quotes are the coded selections of one text source
//!   (their quotes one after the other, a blank line apart), coded with
//!   their tensions, or the pole they lean to.
//!
//! A `.qdc` is the codebook alone (`urn:QDA-XML:codebook:1.0`); a `.qdpx`
//! is a zip of `project.qde` (`urn:QDA-XML:project:1.0`) and the sources'
//! texts under `sources/`. Positions count Unicode code points, as the
//! standard says, or UTF-16 units, as NVivo reads them. GUIDs are UUIDs
//! derived from each item's id (version 5), and the zip's dates are fixed,
//! so an export of the same site is byte-identical.

use std::io::Write;

use super::Unit;
use crate::model::Site;

/// The namespace companion's GUIDs are derived in.
pub(super) const NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x5a1d_2c0e_8b7f_4e0a_9c3d_6f21_b4e8_0d17);

/// A stable GUID for the item `kind`/`id`.
pub(super) fn guid(kind: &str, id: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, format!("{kind}/{id}").as_bytes())
        .hyphenated()
        .to_string()
}

/// XML text and attribute values: HTML's escaping, less the control
/// characters XML 1.0 cannot carry.
fn esc(s: &str) -> String {
    let allowed = |c: &char| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r');
    crate::html::escape(&s.chars().filter(allowed).collect::<String>())
}

/// A code: a tension or one of its poles.
struct Code {
    guid: String,
    name: String,
    /// False for a level's group, which codes nothing itself.
    codable: bool,
    description: Option<String>,
    children: Vec<Code>,
}

/// One participant's text and the quotes in it.
struct Source {
    guid: String,
    case_guid: String,
    /// The participant's pseudonym.
    name: String,
    role: Option<String>,
    text: String,
    selections: Vec<Selection>,
}

struct Selection {
    guid: String,
    /// The quote's title.
    name: String,
    /// Code points from the start of the source's text.
    start: usize,
    end: usize,
    codes: Vec<String>,
    /// The quote's other front matter, for `import` to restore.
    description: String,
}

/// The analysis of `site`, ready to write.
struct Project {
    codes: Vec<Code>,
    sources: Vec<Source>,
}

impl Project {
    fn of(site: &Site, unit: Unit) -> Project {
        let qual = &site.qual;
        let id_of = |page: usize| site.pages[page].id.as_str();
        // Tensions come by level: each level is a group.
        let mut codes: Vec<Code> = Vec::new();
        for t in &qual.tensions {
            let front = &site.pages[t.page].page.front;
            let tension = Code {
                guid: guid("tension", id_of(t.page)),
                name: front.title.clone(),
                codable: true,
                description: front.summary.clone(),
                children: t
                    .poles
                    .iter()
                    .map(|pole| Code {
                        guid: guid("pole", &format!("{}/{pole}", id_of(t.page))),
                        name: pole.clone(),
                        codable: true,
                        description: None,
                        children: Vec::new(),
                    })
                    .collect(),
            };
            let group = match t.level {
                Some(level) => format!("{} tensions", level.title()),
                None => "Tensions".to_string(),
            };
            if codes.last().is_none_or(|c| c.name != group) {
                codes.push(Code {
                    guid: guid("level", &group),
                    name: group,
                    codable: false,
                    description: None,
                    children: Vec::new(),
                });
            }
            codes
                .last_mut()
                .expect("just pushed")
                .children
                .push(tension);
        }
        let sources = qual
            .participants
            .iter()
            .map(|p| {
                let id = id_of(p.page);
                let mut text = String::new();
                let mut at = 0usize;
                let mut selections = Vec::new();
                for &q in &p.quotes {
                    let quote = &qual.quotes[q];
                    let page = &site.pages[quote.page].page;
                    let plain = plain_text(&page.source[page.body_start..]);
                    let words = plain.as_str();
                    if !text.is_empty() {
                        text.push_str("\n\n");
                        at += 2;
                    }
                    let len = unit.count(words);
                    text.push_str(words);
                    let codes = quote
                        .tags
                        .iter()
                        .map(|(t, pole)| {
                            let tension = id_of(qual.tensions[*t].page);
                            match pole {
                                Some(pole) => guid("pole", &format!("{tension}/{pole}")),
                                None => guid("tension", tension),
                            }
                        })
                        .collect();
                    selections.push(Selection {
                        guid: guid("quote", id_of(quote.page)),
                        name: page.front.title.clone(),
                        start: at,
                        end: at + len,
                        codes,
                        description: carried(id_of(quote.page), &page.source),
                    });
                    at += len;
                }
                Source {
                    guid: guid("source", id),
                    case_guid: guid("case", id),
                    name: p.pseudonym.clone(),
                    role: p.role.clone(),
                    text,
                    selections,
                }
            })
            .collect();
        Project { codes, sources }
    }

    fn codes_xml(&self, out: &mut String, indent: &str) {
        fn code(out: &mut String, c: &Code, indent: &str) {
            out.push_str(&format!(
                "{indent}<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\"",
                c.guid,
                esc(&c.name),
                c.codable
            ));
            if c.description.is_none() && c.children.is_empty() {
                out.push_str("/>\n");
                return;
            }
            out.push_str(">\n");
            if let Some(d) = &c.description {
                out.push_str(&format!(
                    "{indent}  <Description>{}</Description>\n",
                    esc(d)
                ));
            }
            for child in &c.children {
                code(out, child, &format!("{indent}  "));
            }
            out.push_str(&format!("{indent}</Code>\n"));
        }
        out.push_str(&format!("{indent}<Codes>\n"));
        for c in &self.codes {
            code(out, c, &format!("{indent}  "));
        }
        out.push_str(&format!("{indent}</Codes>\n"));
    }

    /// The codebook alone, a `.qdc`.
    fn codebook(&self, origin: &str) -> String {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"{}\">\n",
            esc(origin)
        );
        self.codes_xml(&mut out, "  ");
        out.push_str("</CodeBook>\n");
        out
    }

    /// `project.qde`, its selections and codings made by `user`.
    fn project(&self, name: &str, origin: &str, user: &str) -> String {
        let user_guid = guid("user", user);
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{}\">\n  <Users>\n    <User guid=\"{user_guid}\" name=\"{}\"/>\n  </Users>\n",
            esc(name),
            esc(origin),
            esc(user)
        );
        if !self.codes.is_empty() {
            out.push_str("  <CodeBook>\n");
            self.codes_xml(&mut out, "    ");
            out.push_str("  </CodeBook>\n");
        }
        if !self.sources.is_empty() {
            out.push_str("  <Cases>\n");
            for s in &self.sources {
                out.push_str(&format!(
                    "    <Case guid=\"{}\" name=\"{}\">\n",
                    s.case_guid,
                    esc(&s.name)
                ));
                if let Some(role) = &s.role {
                    out.push_str(&format!("      <Description>{}</Description>\n", esc(role)));
                }
                out.push_str(&format!("      <SourceRef targetGUID=\"{}\"/>\n", s.guid));
                out.push_str("    </Case>\n");
            }
            out.push_str("  </Cases>\n  <Sources>\n");
            for s in &self.sources {
                out.push_str(&format!(
                    "    <TextSource guid=\"{}\" name=\"{}\" plainTextPath=\"internal://{}.txt\">\n",
                    s.guid,
                    esc(&s.name),
                    s.guid
                ));
                for sel in &s.selections {
                    out.push_str(&format!(
                        "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\" creatingUser=\"{user_guid}\">\n",
                        sel.guid,
                        esc(&sel.name),
                        sel.start,
                        sel.end
                    ));
                    out.push_str(&format!(
                        "        <Description>{}</Description>\n",
                        esc(&sel.description)
                    ));
                    for code in &sel.codes {
                        out.push_str(&format!(
                            "        <Coding guid=\"{}\" creatingUser=\"{user_guid}\">\n          <CodeRef targetGUID=\"{code}\"/>\n        </Coding>\n",
                            guid("coding", &format!("{}/{code}", sel.guid))
                        ));
                    }
                    out.push_str("      </PlainTextSelection>\n");
                }
                out.push_str("    </TextSource>\n");
            }
            out.push_str("  </Sources>\n");
        }
        out.push_str("</Project>\n");
        out
    }
}

/// A quote's words as plain text: what its Markdown shows, paragraphs a
/// blank line apart, without the markup.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The front matter of a quote that its codes and name do not carry (its
/// id, section, metaphor…), as YAML under `companion:`, so that `import`
/// restores the same note. Co-authors see it as the selection's memo.
fn carried(id: &str, source: &str) -> String {
    let mut m = serde_yaml::Mapping::new();
    m.insert("id".into(), id.into());
    if let Ok(Some(split)) = crate::parse::frontmatter::split(source) {
        if let Ok(serde_yaml::Value::Mapping(front)) = serde_yaml::from_str(split.yaml) {
            for (k, v) in front {
                let skip = k.as_str().is_some_and(|k| {
                    ["id", "title", "kind", "speaker", "tensions", "pole"].contains(&k)
                });
                if !skip {
                    m.insert(k, v);
                }
            }
        }
    }
    let mut top = serde_yaml::Mapping::new();
    top.insert("companion".into(), serde_yaml::Value::Mapping(m));
    serde_yaml::to_string(&top).unwrap_or_default()
}

/// What `companion` says it is, in `origin`.
fn origin() -> String {
    format!("companion {}", env!("CARGO_PKG_VERSION"))
}

/// The codebook of `site` as a `.qdc` file.
pub(crate) fn codebook(site: &Site) -> Vec<u8> {
    Project::of(site, Unit::CodePoints)
        .codebook(&origin())
        .into_bytes()
}

/// The analysis of `site` as a `.qdpx` file (a zip), the project named
/// `name`, its codings made by the user `user` (the site's author), its
/// positions counted in `unit`.
pub(crate) fn qdpx(site: &Site, name: &str, user: &str, unit: Unit) -> std::io::Result<Vec<u8>> {
    let project = Project::of(site, unit);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Fixed dates and permissions: the same site, the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let to_io = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
    zip.start_file("project.qde", options).map_err(to_io)?;
    zip.write_all(project.project(name, &origin(), user).as_bytes())?;
    for s in &project.sources {
        zip.start_file(format!("sources/{}.txt", s.guid), options)
            .map_err(to_io)?;
        zip.write_all(s.text.as_bytes())?;
    }
    Ok(zip.finish().map_err(to_io)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_uuids() {
        let g = guid("tension", "power");
        assert_eq!(g, guid("tension", "power"));
        assert_ne!(g, guid("pole", "power"));
        assert_eq!(g.len(), 36);
        assert_eq!(g.matches('-').count(), 4);
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            esc("a < b & \"c\" 'd'\u{1}"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39;"
        );
    }
}
