//! CSL-JSON (what Zotero exports) and CSL-YAML (what Pandoc reads under
//! `references:`) into [`Reference`]s. Both go through `serde_json::Value`,
//! so the two formats share every rule.

use serde_json::Value;

use super::{
    clean_field, Date, Format, Name, Reference, CSL_TYPES, DATE_VARIABLES, NAME_VARIABLES,
};
use crate::diagnostic::{did_you_mean, Diagnostic, LineIndex, Pos};

/// Parses a CSL-JSON or CSL-YAML file. Returns the references with the
/// position of each key, and diagnostics.
pub fn parse(
    display: &str,
    text: &str,
    format: Format,
) -> (Vec<(Reference, Pos)>, Vec<Diagnostic>) {
    let value = match read_value(text, format) {
        Ok(v) => v,
        Err((pos, msg)) => return (vec![], vec![Diagnostic::error(display, pos, msg)]),
    };
    let whole = |msg: &str| (vec![], vec![Diagnostic::error(display, Pos::START, msg)]);
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) if map.contains_key("references") => {
            match map.remove("references") {
                Some(Value::Array(items)) => items,
                _ => return whole("`references` must be a list of entries"),
            }
        }
        Value::Null => Vec::new(),
        _ => return whole("a CSL bibliography is a list of entries (or a `references:` list)"),
    };
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let mut cursor = 0;
    let index = LineIndex::new(text);
    for (n, item) in items.into_iter().enumerate() {
        let Value::Object(map) = item else {
            diags.push(Diagnostic::error(
                display,
                Pos::START,
                format!("entry {} is not a mapping of fields", n + 1),
            ));
            continue;
        };
        let key = match map.get("id").or_else(|| map.get("citation-key")) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(num)) => num.to_string(),
            _ => {
                diags.push(Diagnostic::error(
                    display,
                    Pos::START,
                    format!("entry {} has no `id`", n + 1),
                ));
                continue;
            }
        };
        let at = find_id(text, &key, cursor).unwrap_or(cursor);
        let pos = index.pos(text, at);
        cursor = at + key.len();
        match item_to_reference(key, &map) {
            Ok(r) => out.push((r, pos)),
            Err((msg, help)) => {
                diags.push(Diagnostic::error(display, pos, msg).with_help_opt(help))
            }
        }
    }
    (out, diags)
}

/// The file as a JSON value, or the parser's message at its position
/// (without the parser's own "at line N column M").
fn read_value(text: &str, format: Format) -> Result<Value, (Pos, String)> {
    let strip = |msg: String| msg.split(" at line ").next().unwrap_or(&msg).to_string();
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let pos = Pos::new(e.line().max(1), e.column().max(1));
            (pos, format!("invalid JSON: {}", strip(e.to_string())))
        }),
        _ => {
            let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
                let pos = e
                    .location()
                    .map_or(Pos::START, |l| Pos::new(l.line(), l.column()));
                (pos, format!("invalid YAML: {}", strip(e.to_string())))
            })?;
            serde_json::to_value(yaml).map_err(|e| (Pos::START, format!("invalid YAML: {e}")))
        }
    }
}

/// Byte offset of `key` written as the value of an `id` (or
/// `citation-key`) field, at or after `from`.
fn find_id(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(key) {
        let at = start + i;
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let before = text[line_start..at].trim_end_matches(['"', '\'', ' ']);
        let after = text[at + key.len()..].chars().next();
        let whole = after.is_none_or(|c| matches!(c, '"' | '\'' | ',' | '\n' | ' ' | '}'));
        let field = before
            .strip_suffix(':')
            .map(|b| b.trim_end_matches(['"', ' ']))
            .is_some_and(|b| b.ends_with("id") || b.ends_with("citation-key"));
        if whole && field {
            return Some(at);
        }
        start = at + key.len();
    }
    None
}

type Problem = (String, Option<String>);

fn item_to_reference(
    key: String,
    map: &serde_json::Map<String, Value>,
) -> Result<Reference, Problem> {
    let kind = match map.get("type") {
        Some(Value::String(t)) => t.trim().to_string(),
        _ => {
            return Err((
                format!("reference `{key}` has no `type`"),
                Some("for example `type: book`".into()),
            ))
        }
    };
    if !CSL_TYPES.contains(&kind.as_str()) {
        return Err((
            format!("reference `{key}` has unknown type `{kind}`"),
            did_you_mean(&kind, CSL_TYPES.iter().copied()),
        ));
    }
    let mut r = Reference {
        key: key.clone(),
        kind,
        ..Reference::default()
    };
    for (field, value) in map {
        let field = field.as_str();
        if matches!(field, "id" | "type" | "citation-key") {
            continue;
        }
        if NAME_VARIABLES.contains(&field) {
            let names = names(value).ok_or_else(|| {
                (
                    format!("reference `{key}`: `{field}` must be a list of names"),
                    Some("each name is `{ family: …, given: … }` or `{ literal: … }`".into()),
                )
            })?;
            if !names.is_empty() {
                r.names.insert(field.to_string(), names);
            }
        } else if DATE_VARIABLES.contains(&field) {
            let date = date(value).ok_or_else(|| {
                (
                    format!("reference `{key}`: `{field}` is not a date"),
                    Some("write `{ date-parts: [[2010, 6]] }` or `2010-06`".into()),
                )
            })?;
            r.dates.insert(field.to_string(), date);
        } else {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue, // structured extras (custom, …) are not CSL variables
            };
            let text = clean_field(field, &text);
            if !text.is_empty() {
                r.fields.insert(field.to_string(), text);
            }
        }
    }
    Ok(r)
}

fn names(value: &Value) -> Option<Vec<Name>> {
    let list = value.as_array()?;
    let mut out = Vec::new();
    for v in list {
        let name = match v {
            Value::String(s) => Name::literal(s.trim()),
            Value::Object(m) => {
                let get = |k: &str| m.get(k).and_then(text_of);
                let particle = match (get("dropping-particle"), get("non-dropping-particle")) {
                    (Some(a), Some(b)) => Some(format!("{a} {b}")),
                    (a, b) => a.or(b),
                };
                Name {
                    family: get("family"),
                    given: get("given"),
                    literal: get("literal"),
                    particle,
                    suffix: get("suffix"),
                }
            }
            _ => return None,
        };
        out.push(name.normalised());
    }
    Some(out)
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => {
            Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn date(value: &Value) -> Option<Date> {
    match value {
        Value::String(s) => Date::parse_iso(s).or_else(|| {
            Some(Date {
                literal: Some(s.trim().to_string()),
                ..Date::default()
            })
        }),
        Value::Number(n) => Date::parse_iso(&n.to_string()),
        Value::Object(m) => {
            let mut d = Date::default();
            if let Some(Value::Array(ranges)) = m.get("date-parts") {
                let mut parts = ranges.iter().map(|p| {
                    p.as_array()
                        .map(|a| a.iter().map(number).collect::<Option<Vec<i32>>>())
                        .unwrap_or(None)
                });
                d.parts = parts.next().flatten()?;
                d.end = parts
                    .next()
                    .flatten()
                    .filter(|e| e.first().is_some_and(|y| *y != 0));
                d.parts.truncate(3);
            } else if let Some(raw) = m.get("raw").and_then(Value::as_str) {
                let parsed = Date::parse_iso(raw)?;
                d.parts = parsed.parts;
                d.end = parsed.end;
            }
            d.literal = m.get("literal").and_then(text_of);
            d.circa = match m.get("circa") {
                Some(Value::Bool(b)) => *b,
                Some(Value::Number(n)) => n.as_i64() != Some(0),
                Some(Value::String(s)) => !s.is_empty() && s != "0" && s != "false",
                _ => false,
            };
            (!d.parts.is_empty() || d.literal.is_some()).then_some(d)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, format: Format) -> Reference {
        let (refs, diags) = parse("refs", text, format);
        assert!(diags.is_empty(), "{diags:?}");
        refs.into_iter().next().unwrap().0
    }

    #[test]
    fn json_and_yaml_agree() {
        let json = r#"[{"id": "alcock2010a", "type": "article-journal",
            "author": [{"family": "Alcock", "given": "P"}],
            "issued": {"date-parts": [["2010"]]}, "title": "Building the Big Society",
            "container-title": "Voluntary Sector Review", "volume": 1, "issue": "3",
            "page": "379\u2013389"}]"#;
        let yaml = "references:\n- id: alcock2010a\n  type: article-journal\n  author:\n  - family: Alcock\n    given: P\n  issued: 2010\n  title: Building the Big Society\n  container-title: Voluntary Sector Review\n  volume: 1\n  issue: 3\n  page: 379-389\n";
        let a = one(json, Format::Json);
        let b = one(yaml, Format::Yaml);
        assert_eq!(a, b);
        assert_eq!(a.field("page"), Some("379-389"));
        assert_eq!(a.year(), Some(2010));
    }

    #[test]
    fn errors_have_positions() {
        let (_, d) = parse("r.json", "[{\"id\": \"a\",\n \"type\": }]", Format::Json);
        assert_eq!(d[0].pos, Pos::new(2, 10));
        let (_, d) = parse("r.yaml", "- id: x\n  type: boook\n", Format::Yaml);
        assert_eq!(d[0].to_string(), "r.yaml:1:7: error: reference `x` has unknown type `boook`\n  = help: did you mean `book`?");
        let (_, d) = parse("r.yaml", "- id: x\n  type: book\n  issued: someday soon\n- id: y\n  type: book\n  author: Smith\n", Format::Yaml);
        assert_eq!(d.len(), 1, "a literal date is allowed: {d:?}");
        assert_eq!(d[0].pos, Pos::new(4, 7));
    }

    #[test]
    fn zotero_date_edge_cases() {
        let r = one(
            r#"[{"id":"a","type":"book","issued":{"date-parts":[["2011",5,25],["2012",6,26]]},"accessed":{"date-parts":[["2014",12,31],[0]]},"original-date":{"literal":"13th cent"}}]"#,
            Format::Json,
        );
        assert_eq!(r.dates["issued"].end, Some(vec![2012, 6, 26]));
        assert_eq!(r.dates["accessed"].end, None);
        assert_eq!(
            r.dates["original-date"].literal.as_deref(),
            Some("13th cent")
        );
    }
}
