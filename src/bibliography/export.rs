//! Writes references back out as BibTeX, RIS and CSL-JSON, for readers to
//! put into their own reference manager. Each writer reads back through the
//! matching importer to the same keys and fields (tested).

use serde_json::{json, Map, Value};

use super::{Date, Name, Reference};

/// The BibLaTeX entry type and sub-type for a CSL type.
fn bib_type(kind: &str) -> (&'static str, Option<&'static str>) {
    match kind {
        "article-journal" | "article" => ("article", None),
        "article-magazine" => ("article", Some("magazine")),
        "article-newspaper" => ("article", Some("newspaper")),
        "book" => ("book", None),
        "chapter" => ("incollection", None),
        "paper-conference" => ("inproceedings", None),
        "report" => ("report", None),
        "thesis" => ("thesis", None),
        "webpage" => ("online", None),
        "manuscript" => ("unpublished", None),
        "pamphlet" => ("booklet", None),
        "periodical" => ("periodical", None),
        "patent" => ("patent", None),
        "dataset" => ("dataset", None),
        "software" => ("software", None),
        "legislation" => ("legislation", None),
        "legal_case" => ("jurisdiction", None),
        "entry-encyclopedia" => ("inreference", None),
        "personal_communication" => ("letter", None),
        "motion_picture" => ("video", None),
        "song" => ("audio", None),
        "graphic" => ("image", None),
        "document" => ("misc", None),
        other => (
            "misc",
            super::CSL_TYPES.iter().find(|t| **t == other).copied(),
        ),
    }
}

/// Escapes BibTeX's special characters in a field value.
fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

fn bib_name(n: &Name) -> String {
    if let Some(l) = &n.literal {
        return format!("{{{}}}", bib_escape(l));
    }
    let family = bib_escape(n.family.as_deref().unwrap_or(""));
    let family = match &n.particle {
        Some(p) => format!("{} {family}", bib_escape(p)),
        None => family,
    };
    match (&n.suffix, &n.given) {
        (Some(s), Some(g)) => format!("{family}, {}, {}", bib_escape(s), bib_escape(g)),
        (None, Some(g)) => format!("{family}, {}", bib_escape(g)),
        (Some(s), None) => format!("{family}, {}, ", bib_escape(s)),
        (None, None) => family,
    }
}

fn iso_range(d: &Date) -> Option<String> {
    let start = d.iso()?;
    Some(match &d.end {
        Some(e) => {
            let end = Date {
                parts: e.clone(),
                ..Date::default()
            }
            .iso()?;
            format!("{start}/{end}")
        }
        None => start,
    })
}

/// One entry as BibLaTeX.
pub fn bibtex(r: &Reference) -> String {
    let (kind, subtype) = bib_type(&r.kind);
    let mut fields: Vec<(&str, String)> = Vec::new();
    for (var, field) in [
        ("author", "author"),
        ("editor", "editor"),
        ("translator", "translator"),
    ] {
        if let Some(names) = r.names.get(var) {
            fields.push((
                field,
                names.iter().map(bib_name).collect::<Vec<_>>().join(" and "),
            ));
        }
    }
    let container = if kind == "article" || kind == "periodical" {
        "journaltitle"
    } else {
        "booktitle"
    };
    let number_field = if kind == "article" { "number" } else { "issue" };
    for (var, field) in [
        ("title", "title"),
        ("container-title", container),
        ("collection-title", "series"),
        ("volume", "volume"),
        ("issue", number_field),
        ("number", "number"),
        ("page", "pages"),
        ("edition", "edition"),
        ("publisher", "publisher"),
        ("publisher-place", "location"),
        ("genre", "type"),
        ("DOI", "doi"),
        ("URL", "url"),
        ("ISBN", "isbn"),
        ("ISSN", "issn"),
        ("note", "note"),
        ("language", "langid"),
        ("abstract", "abstract"),
    ] {
        if let Some(v) = r.field(var) {
            let v = if var == "page" {
                v.replace('-', "--")
            } else {
                v.to_string()
            };
            let value = if var == "DOI" || var == "URL" {
                v
            } else {
                bib_escape(&v)
            };
            fields.push((field, value));
        }
    }
    if let Some(d) = r.dates.get("issued").and_then(iso_range) {
        fields.push(("date", d));
    }
    if let Some(d) = r.dates.get("accessed").and_then(iso_range) {
        fields.push(("urldate", d));
    }
    if let Some(s) = subtype {
        fields.push(("entrysubtype", s.to_string()));
    }
    let mut out = format!("@{kind}{{{},\n", r.key);
    for (name, value) in fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push_str("}\n");
    out
}

/// The RIS type tag for a CSL type.
fn ris_type(kind: &str) -> &'static str {
    match kind {
        "article-journal" | "article" => "JOUR",
        "article-magazine" => "MGZN",
        "article-newspaper" => "NEWS",
        "book" => "BOOK",
        "chapter" => "CHAP",
        "paper-conference" => "CPAPER",
        "report" => "RPRT",
        "thesis" => "THES",
        "webpage" => "ELEC",
        "manuscript" => "UNPB",
        "pamphlet" => "PAMP",
        "legislation" => "STAT",
        "legal_case" => "CASE",
        "dataset" => "DATA",
        "software" => "COMP",
        "motion_picture" => "VIDEO",
        _ => "GEN",
    }
}

/// One entry as RIS.
pub fn ris(r: &Reference) -> String {
    let mut lines: Vec<(&str, String)> =
        vec![("TY", ris_type(&r.kind).to_string()), ("ID", r.key.clone())];
    for (var, tag) in [("author", "AU"), ("editor", "A2"), ("translator", "A4")] {
        for n in r.names.get(var).into_iter().flatten() {
            lines.push((tag, n.inverted()));
        }
    }
    if let Some(d) = r.dates.get("issued") {
        if let Some(y) = d.year() {
            lines.push(("PY", y.to_string()));
        }
        if d.parts.len() > 1 {
            let p = &d.parts;
            let day = p.get(2).map_or(String::new(), |d| format!("{d:02}"));
            lines.push(("DA", format!("{:04}/{:02}/{day}", p[0], p[1])));
        }
    }
    let container_tag = if r.kind.starts_with("article") {
        "JO"
    } else {
        "T2"
    };
    for (var, tag) in [
        ("title", "TI"),
        ("container-title", container_tag),
        ("collection-title", "T3"),
        ("volume", "VL"),
        ("issue", "IS"),
        ("number", "M1"),
        ("edition", "ET"),
        ("publisher", "PB"),
        ("publisher-place", "CY"),
        ("DOI", "DO"),
        ("URL", "UR"),
        ("ISBN", "SN"),
        ("ISSN", "SN"),
        ("note", "N1"),
        ("abstract", "AB"),
        ("language", "LA"),
    ] {
        if let Some(v) = r.field(var) {
            lines.push((tag, v.replace('\n', " ")));
        }
    }
    if let Some(p) = r.field("page") {
        match p.split_once('-') {
            Some((sp, ep)) => {
                lines.push(("SP", sp.trim().to_string()));
                lines.push(("EP", ep.trim().to_string()));
            }
            None => lines.push(("SP", p.to_string())),
        }
    }
    if let Some(d) = r.dates.get("accessed").and_then(Date::iso) {
        lines.push(("Y2", d.replace('-', "/")));
    }
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {value}\n"));
    }
    out.push_str("ER  - \n");
    out
}

fn json_name(n: &Name) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.to_string(), Value::String(v.clone()));
        }
    };
    put("family", &n.family);
    put("given", &n.given);
    put("literal", &n.literal);
    put("non-dropping-particle", &n.particle);
    put("suffix", &n.suffix);
    Value::Object(m)
}

fn json_date(d: &Date) -> Value {
    let mut m = Map::new();
    if !d.parts.is_empty() {
        let mut ranges = vec![json!(d.parts)];
        if let Some(e) = &d.end {
            ranges.push(json!(e));
        }
        m.insert("date-parts".into(), Value::Array(ranges));
    }
    if let Some(l) = &d.literal {
        m.insert("literal".into(), Value::String(l.clone()));
    }
    if d.circa {
        m.insert("circa".into(), Value::Bool(true));
    }
    Value::Object(m)
}

/// One entry as a CSL-JSON object.
pub fn csl_value(r: &Reference) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(r.key.clone()));
    m.insert("type".into(), Value::String(r.kind.clone()));
    for (var, names) in &r.names {
        m.insert(
            var.clone(),
            Value::Array(names.iter().map(json_name).collect()),
        );
    }
    for (var, d) in &r.dates {
        m.insert(var.clone(), json_date(d));
    }
    for (var, v) in &r.fields {
        m.insert(var.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

/// Entries as a CSL-JSON array, pretty-printed with sorted keys.
pub fn csl_json<'a>(refs: impl IntoIterator<Item = &'a Reference>) -> String {
    let items: Vec<Value> = refs.into_iter().map(csl_value).collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(items)).expect("JSON values serialise");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bibliography::{bibtex, csl, Format};

    fn sample() -> Vec<Reference> {
        let yaml = r#"
- id: alcock2010a
  type: article-journal
  author: [{family: Alcock, given: P}]
  issued: 2010
  title: "Building the Big Society: a new policy environment for the third sector in England"
  container-title: Voluntary Sector Review
  volume: 1
  issue: 3
  page: 379-389
- id: connelly2008
  type: chapter
  author: [{family: Connelly, given: DR}, {family: Zhang, given: J}]
  editor: [{family: O'Leary, given: R}, {family: Bingham, given: LB}]
  issued: 2008
  title: The paradoxical nature of collaboration
  container-title: Big ideas in collaborative public management
  publisher: M.E. Sharpe
  publisher-place: New York
- id: dfe2012
  type: webpage
  author: [{literal: Department for Education}]
  issued: 2012-03
  title: A new approach for Children's Trust Boards & 100% more_{braces}
  URL: http://www.education.gov.uk/a00202982/anewapproach
  accessed: 2015-01-10
- id: humboldt
  type: book
  author: [{family: Humboldt, given: Alexander, non-dropping-particle: von}, {family: Gooding, given: Cuba, suffix: Jr.}]
  issued: 1845
  title: Kosmos
"#;
        let (refs, d) = csl::parse("r.yaml", yaml, Format::Yaml);
        assert!(d.is_empty(), "{d:?}");
        refs.into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn bibtex_round_trips() {
        let refs = sample();
        let text: String = refs.iter().map(bibtex).collect::<Vec<_>>().join("\n");
        let (back, d) = bibtex::parse("out.bib", &text);
        assert!(d.is_empty(), "{d:?}\n{text}");
        let back: Vec<Reference> = back.into_iter().map(|(r, _)| r).collect();
        assert_eq!(refs, back, "{text}");
    }

    #[test]
    fn csl_json_round_trips() {
        let refs = sample();
        let text = csl_json(&refs);
        let (back, d) = csl::parse("out.json", &text, Format::Json);
        assert!(d.is_empty());
        let back: Vec<Reference> = back.into_iter().map(|(r, _)| r).collect();
        assert_eq!(refs, back);
    }

    #[test]
    fn ris_has_one_tag_per_line() {
        let refs = sample();
        let text = ris(&refs[0]);
        assert_eq!(
            text,
            "TY  - JOUR\nID  - alcock2010a\nAU  - Alcock, P\nPY  - 2010\nTI  - Building the Big Society: a new policy environment for the third sector in England\nJO  - Voluntary Sector Review\nVL  - 1\nIS  - 3\nSP  - 379\nEP  - 389\nER  - \n"
        );
    }
}
