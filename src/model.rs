//! Plain data shared by the pipeline stages.
//!
//! `discover` produces [`SourceFile`]s, `parse` turns each into a [`Page`],
//! `resolve` links the pages into a [`Site`], and `render` turns the site into
//! [`Files`]. The stages meet here and never import one another.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Pos;

/// One file read from `content/`, with line endings normalised to `\n` and
/// any byte-order mark removed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content folder, `/`-separated (`tensions/a.md`).
    pub rel: String,
    /// Path relative to the project root, as shown in diagnostics.
    pub display: String,
    /// The text, BOM removed and line endings normalised; shared with the
    /// parsed [`Page`].
    pub text: std::sync::Arc<str>,
}

/// What a note is about. Kinds other than `Note` get their own pages and
/// indexes in later stages; here they are recognised and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Note,
    Tension,
    Policy,
    Quote,
    Participant,
    /// A note on one bibliography entry (`content/references/<key>.md`).
    Reference,
}

impl Kind {
    pub const ALL: [(&'static str, Kind); 6] = [
        ("note", Kind::Note),
        ("tension", Kind::Tension),
        ("policy", Kind::Policy),
        ("quote", Kind::Quote),
        ("participant", Kind::Participant),
        ("reference", Kind::Reference),
    ];

    /// The names, for the front-matter schema and its help.
    pub const NAMES: [&'static str; 6] = [
        Kind::ALL[0].0,
        Kind::ALL[1].0,
        Kind::ALL[2].0,
        Kind::ALL[3].0,
        Kind::ALL[4].0,
        Kind::ALL[5].0,
    ];

    pub fn name(self) -> &'static str {
        Kind::NAMES[self as usize]
    }

    /// The kind named `name` (`quote`), if there is one.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// A date as notes write it: `2015`, `2015-06` or `2015-06-30`. Orders
/// as time runs, a year before its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// Why a text is not a [`PartialDate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadDate {
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Malformed,
    /// A well-formed day that does not exist, and why not.
    NoSuchDay(String),
}

impl PartialDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: a four-digit year, a real
    /// month and a day that month has.
    pub fn parse(text: &str) -> Result<PartialDate, BadDate> {
        let num = |p: &str, len: usize| {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
                .ok_or(BadDate::Malformed)
        };
        let parts: Vec<&str> = text.split('-').collect();
        let (year, month, day) = match parts.as_slice() {
            [y] => (num(y, 4)?, None, None),
            [y, m] => (num(y, 4)?, Some(num(m, 2)?), None),
            [y, m, d] => (num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
            _ => return Err(BadDate::Malformed),
        };
        let year = year as i32;
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(BadDate::Malformed);
        }
        if let (Some(m), Some(d)) = (month, day) {
            let days = days_in_month(year, m);
            if !(1..=days).contains(&d) {
                const MONTHS: [&str; 12] = [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ];
                let month = MONTHS[m as usize - 1];
                return Err(BadDate::NoSuchDay(format!(
                    "a day that does not exist: {month} {year} has {days} days"
                )));
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// The date as a year with a fraction, for placing it on a timeline.
    pub fn as_fractional_year(&self) -> f64 {
        let m = f64::from(self.month.unwrap_or(1));
        let d = f64::from(self.day.unwrap_or(1));
        f64::from(self.year) + (m - 1.0) / 12.0 + (d - 1.0) / 365.0
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;

    fn try_from(text: String) -> Result<PartialDate, String> {
        PartialDate::parse(&text).map_err(|_| format!("not a date: {text}"))
    }
}

impl From<PartialDate> for String {
    fn from(date: PartialDate) -> String {
        date.to_string()
    }
}

/// Days in month `m` (1–12) of year `y`, by the Gregorian calendar.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// A tension's level of analysis, in the order the paper's argument runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Experienced,
    Inherent,
    Management,
}

impl Level {
    pub const ALL: [(&'static str, Level); 3] = [
        ("experienced", Level::Experienced),
        ("inherent", Level::Inherent),
        ("management", Level::Management),
    ];
    /// The names, for the front-matter schema.
    pub const NAMES: [&'static str; 3] = [Level::ALL[0].0, Level::ALL[1].0, Level::ALL[2].0];

    pub fn name(self) -> &'static str {
        Level::NAMES[self as usize]
    }

    /// The name as it begins a heading: `Experienced`.
    pub fn title(self) -> &'static str {
        match self {
            Level::Experienced => "Experienced",
            Level::Inherent => "Inherent",
            Level::Management => "Management",
        }
    }

    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
    }
}

/// A tension a quote is coded with (`power`, or `{ id: power, pole:
/// agency }`), and the pole its entry names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TensionRef {
    Id(String),
    WithPole {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pole: Option<String>,
    },
}

impl TensionRef {
    pub fn id(&self) -> &str {
        match self {
            TensionRef::Id(id) | TensionRef::WithPole { id, .. } => id,
        }
    }

    /// The pole this entry names: its own if it is written `{ id, pole }`,
    /// else `default` (the quote's `pole`).
    pub fn pole<'a>(&'a self, default: Option<&'a str>) -> Option<&'a str> {
        match self {
            TensionRef::Id(_) => default,
            TensionRef::WithPole { pole, .. } => pole.as_deref(),
        }
    }
}

/// What only a tension has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Tension {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub poles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Ids of related tensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

/// What only a policy note has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// When the policy period ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
}

/// What only a quote has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Quote {
    /// The participant's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tensions: Vec<TensionRef>,
    /// The pole of every tension whose entry names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pole: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metaphor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Page number in the paper (`14`, `14-15`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

/// What only a participant has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Participant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// What only a reference note has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferenceNote {
    /// The bibliography key, if not the file's stem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// The kind of a note and what only that kind has in its front matter,
/// checked against the schema (`frontmatter.rs`) and read into its type. A
/// value that failed its check is absent (and named in
/// [`FrontMatter::invalid`]). Templates receive it as `page.fields`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum KindData {
    #[default]
    Note,
    Tension(Tension),
    Policy(Policy),
    Quote(Quote),
    Participant(Participant),
    Reference(ReferenceNote),
}

impl KindData {
    /// The empty data of a kind.
    pub fn of(kind: Kind) -> KindData {
        match kind {
            Kind::Note => KindData::Note,
            Kind::Tension => KindData::Tension(Default::default()),
            Kind::Policy => KindData::Policy(Default::default()),
            Kind::Quote => KindData::Quote(Default::default()),
            Kind::Participant => KindData::Participant(Default::default()),
            Kind::Reference => KindData::Reference(Default::default()),
        }
    }

    /// The data of `kind` read from its checked values (a YAML mapping);
    /// `None` if they do not fit the type.
    pub fn read(kind: Kind, values: serde_yaml::Value) -> Option<KindData> {
        use serde_yaml::from_value as read;
        Some(match kind {
            Kind::Note => KindData::Note,
            Kind::Tension => KindData::Tension(read(values).ok()?),
            Kind::Policy => KindData::Policy(read(values).ok()?),
            Kind::Quote => KindData::Quote(read(values).ok()?),
            Kind::Participant => KindData::Participant(read(values).ok()?),
            Kind::Reference => KindData::Reference(read(values).ok()?),
        })
    }

    pub fn kind(&self) -> Kind {
        match self {
            KindData::Note => Kind::Note,
            KindData::Tension(_) => Kind::Tension,
            KindData::Policy(_) => Kind::Policy,
            KindData::Quote(_) => Kind::Quote,
            KindData::Participant(_) => Kind::Participant,
            KindData::Reference(_) => Kind::Reference,
        }
    }

    /// The data as templates receive it (`page.fields`): each key the note
    /// set, under its front-matter name.
    pub fn fields(&self) -> serde_yaml::Value {
        let value = match self {
            KindData::Note => Ok(serde_yaml::Value::Null),
            KindData::Tension(d) => serde_yaml::to_value(d),
            KindData::Policy(d) => serde_yaml::to_value(d),
            KindData::Quote(d) => serde_yaml::to_value(d),
            KindData::Participant(d) => serde_yaml::to_value(d),
            KindData::Reference(d) => serde_yaml::to_value(d),
        };
        match value {
            Ok(v @ serde_yaml::Value::Mapping(_)) => v,
            _ => serde_yaml::Value::Mapping(Default::default()),
        }
    }
}

/// Validated front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    /// The kind, and what only that kind has.
    pub data: KindData,
    /// Explicit id; defaults to the file stem.
    pub id: Option<String>,
    /// Explicit last URL segment, with the position of its value.
    pub slug: Option<(String, Pos)>,
    pub summary: Option<String>,
    pub date: Option<PartialDate>,
    pub tags: Vec<String>,
    /// Sort key among siblings (lower first), then title.
    pub order: Option<i64>,
    /// The user's own data, passed to templates unchecked.
    pub extra: serde_yaml::Value,
    /// Where each top-level key sits (position of its value).
    pub positions: BTreeMap<String, Pos>,
    /// Every scalar written under a top-level key (list items, `id:` and
    /// `pole:` entries), with its position: errors about one item point
    /// at that item.
    pub values: BTreeMap<String, Vec<(String, Pos)>>,
    /// Keys whose value failed its check (or is missing though required);
    /// their error is reported, so nothing that reads them is checked.
    pub invalid: std::collections::BTreeSet<String>,
    /// The YAML itself did not parse: only `kind`, `id`, `title` and
    /// `slug` were read, line by line.
    pub unreadable: bool,
}

impl FrontMatter {
    pub fn kind(&self) -> Kind {
        self.data.kind()
    }

    /// Whether `key` was read and passed its check, so that checks which
    /// read it report their own errors.
    pub fn valid(&self, key: &str) -> bool {
        !self.unreadable && !self.invalid.contains(key)
    }

    /// Whether any part of the front matter had an error.
    pub fn has_errors(&self) -> bool {
        self.unreadable || !self.invalid.is_empty()
    }

    /// The position of `value` written under `key`, the first at or after
    /// `after`; else the position of the key's value.
    pub fn value_pos(&self, key: &str, value: &str, after: Option<Pos>) -> Pos {
        self.values
            .get(key)
            .and_then(|vs| {
                vs.iter().find(|(v, p)| {
                    v == value && after.is_none_or(|a| (p.line, p.col) >= (a.line, a.col))
                })
            })
            .map(|(_, p)| *p)
            .or_else(|| self.positions.get(key).copied())
            .unwrap_or(Pos::START)
    }
}

/// A heading with its stable anchor id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    #[serde(skip)]
    pub pos: Pos,
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`, reference links and autolinks.
    Markdown,
    /// `[[id]]`, `[[id|label]]`, `[[id#heading]]`.
    Wiki,
    /// `![alt](src)`: must name a file in the content folder or an URL.
    Image,
    /// `<name@example.org>`: always external.
    Email,
    /// `![[quote:id]]`: a quote shown in place.
    Embed,
}

/// A link found in a page body, to be resolved site-wide.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Index of the `Start(Tag::Link)` event in the page body's events
    /// ([`crate::parse::markdown::pieces`] checks it).
    pub event: usize,
    pub kind: LinkKind,
    /// The destination as written.
    pub target: String,
    pub pos: Pos,
}

/// A fenced code block's language, checked against the highlighter.
#[derive(Debug, Clone)]
pub struct CodeLang {
    pub lang: String,
    pub pos: Pos,
}

/// A file in the content folder that is not a note (a figure, a PDF),
/// copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the content folder, `/`-separated.
    pub rel: String,
    pub display: String,
    pub bytes: Vec<u8>,
}

/// One cited work inside a citation, with the position of its `@key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteRef {
    pub item: crate::parse::citation_syntax::CiteItem,
    pub pos: Pos,
}

/// A citation in a page body: one or more works cited together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Index of its placeholder event in the page body's events
    /// ([`crate::parse::markdown::pieces`] checks it).
    pub event: usize,
    pub form: crate::parse::citation_syntax::CiteForm,
    pub items: Vec<CiteRef>,
    pub pos: Pos,
    /// The heading the citation sits under, if any.
    pub section: Option<Heading>,
}

/// One parsed note.
#[derive(Debug, Clone)]
pub struct Page {
    pub rel: String,
    pub display: String,
    pub front: FrontMatter,
    /// The whole file's text; the body starts at byte `body_start`. Render
    /// reads the body's Markdown again (`markdown::pieces`) instead of the
    /// site holding every page's events in memory.
    pub source: std::sync::Arc<str>,
    pub body_start: usize,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub code_langs: Vec<CodeLang>,
    pub citations: Vec<Citation>,
    /// Its numbered figures and tables, in order.
    pub labels: Vec<Label>,
    /// Where the body's first raw HTML is, if it has any.
    pub raw_html: Option<Pos>,
}

impl Page {
    /// Leaves the page as the site keeps it once every check that reads it
    /// is done: without the positions of its front matter's keys and values,
    /// which only errors point at (a tenth of a 10,000-note site's memory
    /// through render).
    pub fn forget_positions(&mut self) {
        self.front.positions = BTreeMap::new();
        self.front.values = BTreeMap::new();
    }

    /// A page the build adds itself (an index, a reference page), with no
    /// body unless the content folder supplies one.
    pub fn synthetic(rel: &str, display: &str, title: &str, order: Option<i64>) -> Page {
        Page {
            rel: rel.to_string(),
            display: display.to_string(),
            front: FrontMatter {
                title: title.to_string(),
                order,
                ..FrontMatter::default()
            },
            source: "".into(),
            body_start: 0,
            headings: Vec::new(),
            links: Vec::new(),
            code_langs: Vec::new(),
            citations: Vec::new(),
            labels: Vec::new(),
            raw_html: None,
        }
    }
}

/// A numbered figure or table of a page: what `@fig:…` and
/// `[[page#fig:…]]` name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The element's id: `fig:pathway`, or `figure-2` without a label.
    pub id: String,
    pub kind: crate::parse::crossref::Numbered,
    pub number: usize,
}

impl Label {
    /// "Figure 2".
    pub fn text(&self) -> String {
        format!("{} {}", self.kind.name(), self.number)
    }
}

/// A link from one page to another page or anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Index of the target page in [`Site::pages`].
    pub page: usize,
    pub fragment: Option<String>,
}

/// How each link of a page resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Internal(Target),
    /// A file copied from the content folder, by output path.
    Asset(String),
    /// Left as written (external URL, mailto:, …).
    External(String),
}

/// What a page is for, beyond its note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A note.
    Page,
    /// The page of one bibliography entry, by index in the bibliography.
    Reference(usize),
    /// The citation index at `references/`.
    ReferenceIndex,
    /// `tensions/`: every tension, how they relate, and co-occurrence.
    TensionIndex,
    /// `quotes/`: every quote, grouped by tension.
    QuoteIndex,
    /// `participants/`: every participant.
    ParticipantIndex,
    /// `metaphors/`: every metaphor with its quote.
    MetaphorIndex,
    /// `policy/`: the timeline of dated policy notes.
    PolicyIndex,
    /// `a-z/`: every page by title, the way in without JavaScript.
    AzIndex,
    /// `search/`: the search page.
    Search,
    /// `print/`: the whole companion on one page, to print.
    Print,
    /// `tags/`: every tag with its count.
    TagIndex,
    /// `tags/<tag>/`: the pages with one tag, by index in [`Site::tags`].
    Tag(usize),
}

/// One cited work at one place: the target of a "cited by" link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The citing page, by index in [`Site::pages`].
    pub page: usize,
    /// Which citation of that page, and which item of it.
    pub citation: usize,
    pub item: usize,
    /// The cited entry, by index in the bibliography.
    pub reference: usize,
    /// The element id on the citing page (`cite-huxham2005-2`).
    pub id: String,
}

/// A page placed in the site.
#[derive(Debug, Clone)]
pub struct SitePage {
    pub page: Box<Page>,
    pub role: Role,
    pub id: String,
    /// Another page has the same id (an error): `[[id]]` goes to that one.
    pub id_taken: bool,
    /// URL path relative to the site root: `""` for the home page,
    /// otherwise `dir/…/name/`.
    pub url: String,
    /// One entry per [`Page::links`] item, in the same order.
    pub links: Vec<Resolved>,
    /// Pages that link here, by index, sorted and without repeats.
    pub backlinks: Vec<usize>,
    /// For each citation of the page, for each of its items, the index of
    /// its [`Occurrence`].
    pub occurrences: Vec<Vec<usize>>,
}

/// The whole resolved site, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Sorted by URL.
    pub pages: Vec<SitePage>,
    /// Files copied as they are, by output path.
    pub assets: std::collections::BTreeMap<String, Vec<u8>>,
    /// Every citation of every cited work, pages in URL order.
    pub occurrences: Vec<Occurrence>,
    /// For each bibliography entry, the occurrences that cite it.
    pub cited_by: Vec<Vec<usize>>,
    /// For each bibliography entry, its page (index in `pages`), if it has
    /// one.
    pub reference_pages: Vec<Option<usize>>,
    /// Tensions, quotes and participants, cross-referenced.
    pub qual: Qual,
    /// Every tag, by name (case aside).
    pub tags: Vec<TagInfo>,
    /// Each tag's index in `tags`, by slug.
    pub tag_by_slug: std::collections::HashMap<String, usize>,
}

/// A tag and the pages that carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagInfo {
    /// As most pages write it.
    pub name: String,
    /// Its URL segment: `tags/<slug>/`.
    pub slug: String,
    /// The pages with the tag (index in [`Site::pages`]), by kind, then
    /// title.
    pub pages: Vec<usize>,
}

/// A tension note, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensionInfo {
    /// Index in [`Site::pages`].
    pub page: usize,
    pub poles: Vec<String>,
    /// `None` where the note's level had an error.
    pub level: Option<Level>,
    /// Related tensions, by index in [`Qual::tensions`].
    pub related: Vec<usize>,
    /// Its quotes, by index in [`Qual::quotes`], grouped by pole (in the
    /// order of `poles`, then quotes with no pole), then by speaker.
    pub quotes: Vec<usize>,
}

/// A quote, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteInfo {
    pub page: usize,
    /// Index in [`Qual::participants`].
    pub speaker: usize,
    /// Tensions (index in [`Qual::tensions`]) and the pole it leans to.
    pub tags: Vec<(usize, Option<String>)>,
    /// For each tag, the quote's place in that tension's list of quotes
    /// ([`TensionInfo::quotes`]).
    pub places: Vec<usize>,
    pub metaphor: Option<String>,
    pub stage: Option<String>,
    pub section: Option<String>,
    pub page_no: Option<String>,
}

/// A participant, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantInfo {
    pub page: usize,
    pub pseudonym: String,
    pub role: Option<String>,
    /// Their quotes, by index in [`Qual::quotes`].
    pub quotes: Vec<usize>,
}

/// The qualitative side of a site: tensions, quotes and participants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qual {
    /// By level (experienced, inherent, management), then `order`, then title.
    pub tensions: Vec<TensionInfo>,
    /// By page URL.
    pub quotes: Vec<QuoteInfo>,
    /// By pseudonym.
    pub participants: Vec<ParticipantInfo>,
    /// `[a][b]`: how many quotes carry both tension `a` and tension `b`
    /// (`[a][a]`: how many carry `a`).
    pub cooccurrence: Vec<Vec<usize>>,
    /// Page index → index in `tensions`, `quotes` or `participants`.
    pub by_page: std::collections::BTreeMap<usize, usize>,
}

impl Qual {
    /// Fills [`Qual::by_page`] once the lists are final.
    pub fn index_pages(&mut self) {
        let tensions = self.tensions.iter().enumerate().map(|(i, t)| (t.page, i));
        let quotes = self.quotes.iter().enumerate().map(|(i, q)| (q.page, i));
        let participants = self
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| (p.page, i));
        self.by_page = tensions.chain(quotes).chain(participants).collect();
    }
    fn at(&self, page: usize, is: impl Fn(usize) -> bool) -> Option<usize> {
        self.by_page.get(&page).copied().filter(|&i| is(i))
    }
    pub fn tension_of(&self, page: usize) -> Option<usize> {
        self.at(page, |i| {
            self.tensions.get(i).is_some_and(|t| t.page == page)
        })
    }
    pub fn quote_of(&self, page: usize) -> Option<usize> {
        self.at(page, |i| self.quotes.get(i).is_some_and(|q| q.page == page))
    }
    pub fn participant_of(&self, page: usize) -> Option<usize> {
        self.at(page, |i| {
            self.participants.get(i).is_some_and(|p| p.page == page)
        })
    }
}

/// Rendered files, keyed by `/`-separated path relative to the output root.
pub type Files = BTreeMap<String, Vec<u8>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_declaration_order() {
        for (n, (name, kind)) in Kind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, n);
            assert_eq!(kind.name(), *name);
            assert_eq!(Kind::from_name(name), Some(*kind));
            assert_eq!(KindData::of(*kind).kind(), *kind);
        }
        for (n, (name, level)) in Level::ALL.iter().enumerate() {
            assert_eq!(*level as usize, n);
            assert_eq!(level.name(), *name);
            assert_eq!(Level::from_name(name), Some(*level));
        }
    }

    #[test]
    fn partial_dates_read_order_and_print_as_written() {
        let d = |s: &str| PartialDate::parse(s);
        assert_eq!(d("2015").unwrap().to_string(), "2015");
        assert_eq!(d("2015-06").unwrap().to_string(), "2015-06");
        assert_eq!(d("2016-02-29").unwrap().to_string(), "2016-02-29");
        assert!(d("2015").unwrap() < d("2015-01").unwrap());
        assert!(d("2015-01-31").unwrap() < d("2015-02").unwrap());
        assert_eq!(d("2015-13"), Err(BadDate::Malformed));
        assert_eq!(d("15"), Err(BadDate::Malformed));
        assert_eq!(d("2015-6"), Err(BadDate::Malformed));
        assert_eq!(
            d("2015-02-29"),
            Err(BadDate::NoSuchDay(
                "a day that does not exist: February 2015 has 28 days".into()
            ))
        );
        assert_eq!(d("2015-07").unwrap().as_fractional_year(), 2015.5);
    }

    #[test]
    fn templates_get_the_keys_a_note_set() {
        let values: serde_yaml::Value = serde_yaml::from_str(
            "speaker: p1\ntensions: [power, {id: trust, pole: agency}]\npage: '14'\n",
        )
        .unwrap();
        let quote = KindData::read(Kind::Quote, values).unwrap();
        let KindData::Quote(q) = &quote else {
            panic!("{quote:?}")
        };
        assert_eq!(q.speaker.as_deref(), Some("p1"));
        assert_eq!(q.tensions[1].id(), "trust");
        assert_eq!(q.tensions[1].pole(Some("other")), Some("agency"));
        assert_eq!(q.tensions[0].pole(Some("other")), Some("other"));
        assert_eq!(
            serde_yaml::to_string(&quote.fields()).unwrap(),
            "speaker: p1\ntensions:\n- power\n- id: trust\n  pole: agency\npage: '14'\n"
        );
        assert_eq!(
            KindData::Note.fields(),
            serde_yaml::Value::Mapping(Default::default())
        );
    }
}
