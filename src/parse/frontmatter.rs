//! Front matter: split the YAML block off a note and validate it.
//!
//! Positions are file positions: a YAML error on the third line of the block
//! is reported on the fourth line of the file. Every key is checked against
//! the schema of the note's `kind`; unknown keys get a did-you-mean, and a
//! user's own data goes under `extra:`, which is passed on unchecked.

use std::collections::BTreeMap;

use serde_yaml::Value;

use crate::diagnostic::{closest, did_you_mean, Diagnostic, Pos};
use crate::model::{BadDate, FrontMatter, Kind, KindData, Level, PartialDate};

/// The YAML block and where the body starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line.
    pub yaml_line: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the `---` … `---` block at the top of `text`.
pub fn split(text: &str) -> Result<Option<Split<'_>>, String> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Some(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body_start: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err("front matter starts here but has no closing `---`".into())
}

/// The type a front-matter value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Str,
    StrList,
    /// `2015`, `2015-06` or `2015-06-30`.
    Date,
    Int,
    Map,
    /// A string or a number (page numbers such as `14` or `14-15`).
    StrOrInt,
    /// One of the listed strings.
    OneOf(&'static [&'static str]),
    /// A list of ids, each a string or `{ id, pole }`.
    TensionRefs,
}

/// One allowed key.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
}

const fn f(name: &'static str, ty: Type, required: bool) -> Field {
    Field { name, ty, required }
}

/// Keys every kind accepts.
pub const COMMON: &[Field] = &[
    f("title", Type::Str, true),
    f("kind", Type::OneOf(&Kind::NAMES), false),
    f("id", Type::Str, false),
    f("slug", Type::Str, false),
    f("summary", Type::Str, false),
    f("date", Type::Date, false),
    f("tags", Type::StrList, false),
    f("order", Type::Int, false),
    f("extra", Type::Map, false),
];

const TENSION: &[Field] = &[
    f("poles", Type::StrList, true),
    f("level", Type::OneOf(&Level::NAMES), true),
    f("related", Type::StrList, false),
];
const POLICY: &[Field] = &[
    f("end", Type::Date, false),
    f("actors", Type::StrList, false),
];
const QUOTE: &[Field] = &[
    f("speaker", Type::Str, true),
    f("tensions", Type::TensionRefs, true),
    f("pole", Type::Str, false),
    f("metaphor", Type::Str, false),
    f("stage", Type::Str, false),
    f("section", Type::Str, false),
    f("page", Type::StrOrInt, false),
];
const REFERENCE: &[Field] = &[f("key", Type::Str, false)];
const PARTICIPANT: &[Field] = &[
    f("pseudonym", Type::Str, false),
    f("role", Type::Str, false),
];

/// Keys specific to a kind.
pub fn kind_fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Note => &[],
        Kind::Tension => TENSION,
        Kind::Policy => POLICY,
        Kind::Quote => QUOTE,
        Kind::Participant => PARTICIPANT,
        Kind::Reference => REFERENCE,
    }
}

/// Parses and validates front matter. `display` names the file in
/// diagnostics; `default` is the kind when the note names none (notes in
/// `content/references/` are `reference` notes).
///
/// Always returns the front matter as far as it can be read, beside the
/// diagnostics: a note with a mistake in its front matter keeps its id,
/// kind and title (read line by line when the YAML itself is broken), so
/// that links, quotes and tensions naming it do not fail as well. Keys that
/// failed their check are listed in [`FrontMatter::invalid`], and checks
/// that would read them are skipped: one mistake, one error.
pub fn parse(display: &str, split: &Split<'_>, default: Kind) -> (FrontMatter, Vec<Diagnostic>) {
    let block = Block {
        display,
        split,
        keys: scan_keys(split.yaml),
    };
    let mut diags = Vec::new();
    let Some(map) = block.mapping(&mut diags) else {
        return (recover(split, &block.keys, default), diags);
    };
    let positions: BTreeMap<String, Pos> = block
        .keys
        .iter()
        .map(|k| (k.name.clone(), block.at(k.line, k.value_col)))
        .collect();
    let pos_of = |key: &str| positions.get(key).copied().unwrap_or(block.at(1, 1));

    let choice = block.kind(&map, pos_of("kind"), &mut diags);
    let kind = choice.kind.or((default != Kind::Note).then_some(default));
    let specific = kind_fields(kind.unwrap_or(Kind::Note));
    let allowed: Vec<&Field> = COMMON.iter().chain(specific).collect();

    let mut fm = FrontMatter {
        extra: Value::Mapping(Default::default()),
        ..Default::default()
    };
    // Kind-specific values that passed their checks.
    let mut fields: BTreeMap<&str, &Value> = BTreeMap::new();
    if choice.unknown {
        fm.invalid.insert("kind".to_string());
    }
    for (k, v) in &map {
        let Some(name) = k.as_str() else {
            let text = scalar_text(k);
            let pos = block.key_pos(&text).unwrap_or(block.at(1, 1));
            diags.push(Diagnostic::error(
                display,
                pos,
                format!("front-matter keys must be words, found `{text}`"),
            ));
            continue;
        };
        let pos = pos_of(name);
        let Some(field) = allowed.iter().find(|f| f.name == name) else {
            // With a kind nobody can guess, a key of some other kind is
            // not a second mistake.
            let of_some_kind = Kind::ALL
                .iter()
                .any(|(_, k)| kind_fields(*k).iter().any(|f| f.name == name));
            if !(choice.unknown && of_some_kind) {
                diags.push(block.unknown_key(name, pos, kind, &allowed));
            }
            continue;
        };
        if name == "kind" {
            continue; // checked above, with a did-you-mean
        }
        if let Err((msg, help)) = check_type(name, field.ty, v) {
            diags.push(Diagnostic::error(display, pos, msg).with_help_opt(help));
            fm.invalid.insert(name.to_string());
            continue;
        }
        match name {
            "title" => fm.title = scalar_text(v),
            "id" => fm.id = Some(scalar_text(v)),
            "slug" => fm.slug = Some((scalar_text(v), pos)),
            "summary" => fm.summary = Some(scalar_text(v)),
            "date" => fm.date = PartialDate::parse(&scalar_text(v)).ok(),
            "tags" => fm.tags = string_list(v),
            "order" => fm.order = v.as_i64(),
            "extra" => fm.extra = v.clone(),
            _ => {
                fields.insert(name, v);
            }
        }
    }
    block.check_required(&map, kind, choice.guessed, &allowed, &mut fm, &mut diags);
    fm.data = kind_data(kind.unwrap_or(Kind::Note), &fields);
    fm.values = scan_values(split.yaml, &block.keys, split.yaml_line);
    fm.positions = positions;
    (fm, diags)
}

/// The kind a note's `kind:` names: none when it names none; a misspelt
/// kind is taken as the kind it is closest to (`guessed`), so the note's
/// other keys are checked against the schema the writer meant.
struct KindChoice {
    kind: Option<Kind>,
    /// Named, but like no kind at all.
    unknown: bool,
    guessed: bool,
}

/// A front-matter block being read: where it is and its top-level keys.
struct Block<'a> {
    display: &'a str,
    split: &'a Split<'a>,
    keys: Vec<KeyLine>,
}

impl Block<'_> {
    /// The file position of a position in the block.
    fn at(&self, line: usize, col: usize) -> Pos {
        Pos::new(self.split.yaml_line + line - 1, col)
    }

    /// The file position of a position the YAML parser reports. It counts
    /// line breaks YAML 1.1's way (`\u{2028}`, NEL): its positions are kept
    /// inside the block, on the closing `---` at most.
    fn yaml_at(&self, line: usize, col: usize) -> Pos {
        let last_line = self.split.yaml_line + self.split.yaml.lines().count();
        let pos = self.at(line.max(1), col.max(1));
        if pos.line > last_line {
            Pos::new(last_line, 1)
        } else {
            pos
        }
    }

    /// Where key `name` is written.
    fn key_pos(&self, name: &str) -> Option<Pos> {
        self.keys
            .iter()
            .find(|x| x.name == name)
            .map(|x| self.at(x.line, x.key_col))
    }

    /// The block's `key: value` mapping, or `None` and why not.
    fn mapping(&self, diags: &mut Vec<Diagnostic>) -> Option<serde_yaml::Mapping> {
        let display = self.display;
        let value: Value = match serde_yaml::from_str(self.split.yaml) {
            Ok(v) => v,
            Err(e) if e.to_string().starts_with("duplicate entry") => {
                // The parser names one place; the key scan names both.
                let mut first: BTreeMap<&str, usize> = BTreeMap::new();
                let before = diags.len();
                for k in &self.keys {
                    if let Some(line) = first.get(k.name.as_str()) {
                        diags.push(Diagnostic::error(
                            display,
                            self.at(k.line, k.key_col),
                            format!(
                                "duplicate key `{}`: set on line {} and again on line {}",
                                k.name,
                                self.at(*line, 1).line,
                                self.at(k.line, 1).line
                            ),
                        ));
                    } else {
                        first.insert(&k.name, k.line);
                    }
                }
                if diags.len() == before {
                    let pos = e
                        .location()
                        .map_or(self.at(1, 1), |l| self.yaml_at(l.line(), l.column()));
                    diags.push(Diagnostic::error(
                        display,
                        pos,
                        strip_locations(&e.to_string()),
                    ));
                }
                return None;
            }
            Err(e) => {
                let pos = e
                    .location()
                    .map(|l| self.yaml_at(l.line(), l.column()))
                    .unwrap_or(self.at(1, 1));
                let line = self.split.yaml.lines().nth(pos.line - self.split.yaml_line);
                let tab = line.is_some_and(|l| l.starts_with('\t'));
                let diag = Diagnostic::error(
                    display,
                    pos,
                    format!("invalid YAML: {}", strip_locations(&e.to_string())),
                );
                diags.push(if tab {
                    diag.with_help("YAML indentation must use spaces, not tabs")
                } else {
                    diag
                });
                return None;
            }
        };
        match value {
            Value::Mapping(m) => Some(m),
            Value::Null => Some(Default::default()),
            _ => {
                diags.push(Diagnostic::error(
                    display,
                    self.at(1, 1),
                    "front matter must be `key: value` lines",
                ));
                None
            }
        }
    }

    /// The kind `kind:` names (at `pos`), with a did-you-mean if it names
    /// none.
    fn kind(&self, map: &serde_yaml::Mapping, pos: Pos, diags: &mut Vec<Diagnostic>) -> KindChoice {
        let mut choice = KindChoice {
            kind: None,
            unknown: false,
            guessed: false,
        };
        let Some(v) = map.get("kind") else {
            return choice;
        };
        if let Some(k) = v.as_str().and_then(Kind::from_name) {
            choice.kind = Some(k);
            return choice;
        }
        let found = scalar_text(v);
        let guess = closest(&found, Kind::NAMES);
        choice.kind = guess.and_then(Kind::from_name);
        choice.unknown = choice.kind.is_none();
        choice.guessed = choice.kind.is_some();
        diags.push(
            Diagnostic::error(self.display, pos, format!("unknown kind `{found}`")).with_help(
                guess.map_or_else(
                    || format!("kind is one of: {}", Kind::NAMES.join(", ")),
                    |g| format!("did you mean `{g}`?"),
                ),
            ),
        );
        choice
    }

    /// The error for a key the note's kind does not take, with the key it
    /// was probably meant to be.
    fn unknown_key(
        &self,
        name: &str,
        pos: Pos,
        kind: Option<Kind>,
        allowed: &[&Field],
    ) -> Diagnostic {
        let names = allowed.iter().map(|f| f.name);
        let help = did_you_mean(name, names).unwrap_or_else(|| {
            "keep your own data under `extra:`; it is passed to templates unchecked".into()
        });
        Diagnostic::error(
            self.display,
            self.key_pos(name).unwrap_or(pos),
            format!(
                "unknown key `{name}` for a {}",
                kind.unwrap_or(Kind::Note).name()
            ),
        )
        .with_help(help)
    }

    /// Every required key the note lacks, marked invalid; reported unless
    /// a misspelt key or a guessed kind already explains it.
    fn check_required(
        &self,
        map: &serde_yaml::Mapping,
        kind: Option<Kind>,
        kind_guessed: bool,
        allowed: &[&Field],
        fm: &mut FrontMatter,
        diags: &mut Vec<Diagnostic>,
    ) {
        let specific = kind_fields(kind.unwrap_or(Kind::Note));
        // A reference note takes its title from the bibliography entry.
        let needs_title = kind != Some(Kind::Reference);
        for field in allowed
            .iter()
            .filter(|f| f.required && (needs_title || f.name != "title"))
        {
            if map.contains_key(field.name) {
                continue;
            }
            fm.invalid.insert(field.name.to_string());
            // A misspelt key already got a did-you-mean naming this one.
            let misspelt = map.keys().filter_map(Value::as_str).any(|k| {
                !allowed.iter().any(|f| f.name == k) && did_you_mean(k, [field.name]).is_some()
            });
            // Under a guessed kind, a key it would need is not a second mistake.
            let of_guessed_kind = kind_guessed && specific.iter().any(|f| f.name == field.name);
            if !misspelt && !of_guessed_kind {
                let what = match kind {
                    Some(k) if specific.iter().any(|f| f.name == field.name) => {
                        format!("a {} needs `{}`", k.name(), field.name)
                    }
                    _ => format!("missing required key `{}`", field.name),
                };
                diags.push(Diagnostic::error(self.display, Pos::START, what));
            }
        }
    }
}

/// The typed data of a kind from its checked values. The schema lets a
/// number stand for text (`page: 14`, `speaker: 12`): scalars are read as
/// text, as they are written.
fn kind_data(kind: Kind, fields: &BTreeMap<&str, &Value>) -> KindData {
    fn as_text(v: &Value) -> Value {
        match v {
            Value::Sequence(items) => Value::Sequence(items.iter().map(as_text).collect()),
            Value::Mapping(m) => {
                Value::Mapping(m.iter().map(|(k, v)| (k.clone(), as_text(v))).collect())
            }
            other => Value::String(scalar_text(other)),
        }
    }
    let values = Value::Mapping(
        fields
            .iter()
            .map(|(k, v)| (Value::String(k.to_string()), as_text(v)))
            .collect(),
    );
    KindData::read(kind, values).unwrap_or_else(|| KindData::of(kind))
}

/// What can be read of front matter whose YAML does not parse: the kind,
/// id, title and slug written as plain `key: value` lines. Every field
/// counts as invalid, so nothing else is checked against it.
fn recover(split: &Split<'_>, keys: &[KeyLine], default: Kind) -> FrontMatter {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let value = |name: &str| {
        let k = keys.iter().find(|k| k.name == name)?;
        let line = lines.get(k.line - 1)?;
        let raw = line.split_once(':')?.1;
        let raw = raw.split(" #").next().unwrap_or(raw).trim();
        let raw = raw.trim_matches(|c| c == '"' || c == '\'');
        (!raw.is_empty()).then(|| raw.to_string())
    };
    let kind = value("kind")
        .and_then(|k| Kind::from_name(&k))
        .or((default != Kind::Note).then_some(default));
    let slug_pos = keys
        .iter()
        .find(|k| k.name == "slug")
        .map_or(Pos::START, |k| {
            Pos::new(split.yaml_line + k.line - 1, k.value_col)
        });
    FrontMatter {
        data: KindData::of(kind.unwrap_or(Kind::Note)),
        title: value("title").unwrap_or_default(),
        id: value("id"),
        slug: value("slug").map(|s| (s, slug_pos)),
        extra: Value::Mapping(Default::default()),
        unreadable: true,
        ..Default::default()
    }
}

/// Checks one value against its type; the error names the key.
/// Checks one value against its type: the error names the key, and the
/// help, if any, the value that was probably meant.
fn check_type(name: &str, ty: Type, v: &Value) -> Result<(), (String, Option<String>)> {
    let ok = match ty {
        Type::Str => is_scalar_text(v),
        Type::StrList => v
            .as_sequence()
            .is_some_and(|s| s.iter().all(is_scalar_text)),
        Type::Int => v.as_i64().is_some(),
        Type::Map => v.is_mapping() || v.is_null(),
        Type::StrOrInt => is_scalar_text(v),
        Type::Date => {
            let text = scalar_text(v);
            let scalar = matches!(v, Value::String(_) | Value::Number(_));
            return match PartialDate::parse(&text) {
                Ok(_) if scalar => Ok(()),
                Err(BadDate::NoSuchDay(why)) => Err((format!("`{name}` is {text}, {why}"), None)),
                _ => Err((
                    format!(
                        "`{name}` must be a date like 2015-06-30, 2015-06 or 2015; found `{text}`"
                    ),
                    None,
                )),
            };
        }
        Type::OneOf(options) => {
            return match v.as_str() {
                Some(s) if options.contains(&s) => Ok(()),
                _ => {
                    let found = scalar_text(v);
                    Err((
                        format!(
                            "`{name}` must be one of {}; found `{found}`",
                            options.join(", ")
                        ),
                        did_you_mean(&found, options.iter().copied()),
                    ))
                }
            }
        }
        Type::TensionRefs => v.as_sequence().is_some_and(|s| {
            !s.is_empty()
                && s.iter().all(|item| {
                    item.is_string()
                        || item.as_mapping().is_some_and(|m| {
                            m.get("id").is_some_and(Value::is_string)
                                && m.keys().all(|k| matches!(k.as_str(), Some("id" | "pole")))
                        })
                })
        }),
    };
    if ok {
        return Ok(());
    }
    let expected = match ty {
        Type::Str | Type::StrOrInt => "a string",
        Type::StrList => "a list of strings",
        Type::Int => "a whole number",
        Type::Map => "a mapping of `key: value` lines",
        Type::TensionRefs => "a non-empty list of tension ids (or `{ id: …, pole: … }` entries)",
        Type::Date | Type::OneOf(_) => unreachable!("handled above"),
    };
    Err((format!("`{name}` must be {expected}"), None))
}

fn is_scalar_text(v: &Value) -> bool {
    matches!(v, Value::String(s) if !s.trim().is_empty()) || v.is_number()
}

/// The text of a scalar, or a short YAML rendering of anything else.
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .replace('\n', " "),
    }
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| s.iter().map(scalar_text).collect())
        .unwrap_or_default()
}

/// The scalars written under each top-level key, with their file
/// positions: list items (`[a, b]` or `- a`), and the values of nested
/// `id:` and `pole:` entries. A plain scan of the text, good enough for
/// pointing at the item an error is about.
fn scan_values(
    yaml: &str,
    keys: &[KeyLine],
    yaml_line: usize,
) -> BTreeMap<String, Vec<(String, Pos)>> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut out: BTreeMap<String, Vec<(String, Pos)>> = BTreeMap::new();
    for (k, key) in keys.iter().enumerate() {
        let end = keys.get(k + 1).map_or(lines.len(), |next| next.line - 1);
        let mut found = Vec::new();
        for n in key.line..=end {
            let Some(line) = lines.get(n - 1) else { break };
            // On the key's own line, only what follows `key:`.
            let start = if n == key.line {
                line.find(':').map_or(line.len(), |c| c + 1)
            } else {
                0
            };
            let mut token = String::new();
            let mut token_col = 0;
            let mut quote: Option<char> = None;
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            let flush = |token: &mut String, col: usize, found: &mut Vec<(String, Pos)>| {
                let t = token.trim();
                if !t.is_empty() && t != "-" {
                    found.push((t.to_string(), Pos::new(yaml_line + n - 1, col)));
                }
                token.clear();
            };
            for (ci, &(bi, c)) in chars.iter().enumerate() {
                if bi < start {
                    continue;
                }
                let col = ci + 1;
                if let Some(q) = quote {
                    if c == q {
                        quote = None;
                        flush(&mut token, token_col, &mut found);
                    } else {
                        token.push(c);
                    }
                    continue;
                }
                let next = chars.get(ci + 1).map(|(_, c)| *c);
                let mapping_colon = c == ':' && next.is_none_or(char::is_whitespace);
                if c == '#' && (token.is_empty() || ci == 0) {
                    break; // a comment
                }
                if (c == '"' || c == '\'') && token.is_empty() {
                    quote = Some(c);
                    token_col = col + 1;
                    continue;
                }
                if c.is_whitespace() || matches!(c, '[' | ']' | '{' | '}' | ',') || mapping_colon {
                    flush(&mut token, token_col, &mut found);
                    continue;
                }
                if token.is_empty() {
                    token_col = col;
                }
                token.push(c);
            }
            flush(&mut token, token_col, &mut found);
        }
        out.insert(key.name.clone(), found);
    }
    out
}

/// A top-level key as it stands in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyLine {
    name: String,
    /// 1-based line within the YAML block.
    line: usize,
    key_col: usize,
    /// Column of the value (or of the key when the value is on later lines).
    value_col: usize,
}

/// Finds top-level `key:` lines. YAML keys at column 1 are the only ones a
/// note's front matter uses; nested ones belong to their parent's position.
fn scan_keys(yaml: &str) -> Vec<KeyLine> {
    let mut keys = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '.') {
            continue;
        }
        let Some(colon) = line
            .find(": ")
            .or_else(|| line.ends_with(':').then(|| line.len() - 1))
        else {
            continue;
        };
        let name = line[..colon].trim().trim_matches(['"', '\'']).to_string();
        let rest = &line[colon + 1..];
        let value_col = if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
            1
        } else {
            let skip = rest.len() - rest.trim_start().len();
            line[..colon + 1 + skip].chars().count() + 1
        };
        keys.push(KeyLine {
            name,
            line: i + 1,
            key_col: 1,
            value_col,
        });
    }
    keys
}

/// Removes the parser's block-relative "at line N column M" phrases.
fn strip_locations(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let tail = tail.trim_start_matches(|c: char| c.is_ascii_digit());
        rest = match tail.strip_prefix(" column ") {
            Some(t) => t.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => tail,
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Vec<String>> {
        let s = split(text).unwrap().unwrap();
        let (front, diags) = parse("n.md", &s, Kind::Note);
        if diags.is_empty() {
            Ok(front)
        } else {
            Err(diags.iter().map(|d| d.to_string()).collect())
        }
    }

    /// Found by fuzzing (`fuzz/`, target `front_matter`): the YAML parser
    /// counts `\r` and `\u{2028}` as line breaks, so its line numbers ran
    /// past the end of the file. They stay inside the block now.
    #[test]
    fn yaml_error_positions_stay_inside_the_block() {
        for text in [
            format!(
                "---\ntitle: x\nkind{}: policy\nbad line\n---\nBody\n",
                "\r".repeat(100)
            ),
            "---\ntitle: a\u{2028}b\u{2028}c\u{2028}d\u{2028}e\nbad line\n---\n".to_string(),
        ] {
            let s = split(&text).unwrap().unwrap();
            let lines = text.lines().count();
            let (_, diags) = parse("n.md", &s, Kind::Note);
            assert!(!diags.is_empty());
            for d in diags {
                assert!(
                    d.pos.line >= 2 && d.pos.line <= lines,
                    "{d:?} in {lines} lines"
                );
            }
        }
    }

    #[test]
    fn split_finds_the_block_and_the_body() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap().unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body_start, 17);
        assert_eq!(&"---\ntitle: A\n---\nBody\n"[17..], "Body\n");
        assert_eq!(split("No front matter\n").unwrap(), None);
        assert!(split("---\ntitle: A\n").is_err());
        // A thematic break later in the body is not front matter.
        assert_eq!(split("Text\n---\n").unwrap(), None);
    }

    #[test]
    fn yaml_errors_point_at_file_lines() {
        let err = fm("---\nkind: note\ntitle: a: b\n---\n").unwrap_err();
        assert_eq!(
            err,
            ["n.md:3:9: error: invalid YAML: mapping values are not allowed in this context"]
        );
    }

    #[test]
    fn wrong_types_and_unknown_keys() {
        let err = fm("---\ntitle: T\ntags: 5\ndate: yesterday\ntitel: x\n---\n").unwrap_err();
        assert_eq!(
            err,
            [
                "n.md:3:7: error: `tags` must be a list of strings",
                "n.md:4:7: error: `date` must be a date like 2015-06-30, 2015-06 or 2015; found `yesterday`",
                "n.md:5:1: error: unknown key `titel` for a note\n  = help: did you mean `title`?",
            ]
        );
    }

    #[test]
    fn missing_and_duplicate_keys() {
        assert_eq!(
            fm("---\nkind: quote\ntitle: Q\ntensions: [a]\n---\n").unwrap_err(),
            ["n.md:1:1: error: a quote needs `speaker`"]
        );
        assert_eq!(
            fm("---\ntitle: A\nsummary: s\ntitle: B\n---\n").unwrap_err(),
            ["n.md:4:1: error: duplicate key `title`: set on line 2 and again on line 4"]
        );
    }

    #[test]
    fn multi_line_values_are_not_duplicate_keys() {
        let ok = fm("---\nsummary: \"a\ntitle: b\"\ntitle: T\n---\n").unwrap();
        assert_eq!(ok.title, "T");
        assert_eq!(
            fm("---\ntitle: T\nsummary: s\n2015: x\n---\n").unwrap_err(),
            ["n.md:4:1: error: front-matter keys must be words, found `2015`"]
        );
    }

    #[test]
    fn an_unguessable_kind_gets_the_list_of_kinds() {
        let err = fm("---\ntitle: T\nkind: zzzzzz\n---\n").unwrap_err();
        assert_eq!(
            err,
            ["n.md:3:7: error: unknown kind `zzzzzz`\n  = help: kind is one of: note, tension, policy, quote, participant, reference"]
        );
    }

    #[test]
    fn kinds_and_extra() {
        let ok = fm("---\ntitle: T\nkind: tension\npoles: [a, b]\nlevel: inherent\nextra:\n  anything: [1, 2]\n---\n").unwrap();
        assert_eq!(ok.kind(), Kind::Tension);
        assert!(matches!(&ok.data, KindData::Tension(t) if t.level == Some(Level::Inherent)));
        assert!(ok.extra.get("anything").is_some());
        let err = fm("---\ntitle: T\nkind: tensoin\n---\n").unwrap_err();
        assert_eq!(
            err,
            ["n.md:3:7: error: unknown kind `tensoin`\n  = help: did you mean `tension`?"]
        );
    }

    #[test]
    fn dates() {
        for good in ["2015", "2010-05", "2012-04-01"] {
            assert!(PartialDate::parse(good).is_ok(), "{good}");
        }
        assert!(PartialDate::parse("2020-02-29").is_ok(), "a leap day");
        assert!(
            PartialDate::parse("2000-02-29").is_ok(),
            "2000 was a leap year"
        );
        for bad in [
            "yesterday",
            "2015-13",
            "2015-1-01",
            "15",
            "2015-02-40",
            "2021-02-31",
            "2020-04-31",
            "2021-02-29",
            "1900-02-29",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
    }
}
