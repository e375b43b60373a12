//! The search index, built at build time for a search that runs in the
//! reader's browser with no server, in files a browser loads only as a
//! query needs them:
//!
//! - `assets/search-index.js`: what every search needs first (the number
//!   of documents, the first term of each term shard, the tensions);
//! - `assets/search/t<n>.js`: the postings of a run of terms in order,
//!   about [`SHARD_BYTES`] each, so a word loads one shard;
//! - `assets/search/d<n>.js`: what a result shows (title, URL, kind,
//!   excerpt) for [`DOCS_PER_SHARD`] documents, loaded for the results
//!   shown.
//!
//! Each file is a script (`window.companionSearch.load(name, data)`), so
//! search works from `file://` and under any path prefix, where a `fetch`
//! of JSON would be refused. Words are split, trimmed, stop-listed and
//! stemmed by elasticlunr's English pipeline, which the browser runs on
//! the query with the same rules (`elasticlunr.min.js`); accents are
//! folded on both sides. A quote's tensions are terms too (`~<n>`), so the
//! tension filter loads one shard like a word.

use std::collections::HashMap;

use elasticlunr::lang::{English, Language};
use elasticlunr::pipeline::Pipeline;
use serde::Serialize;

use super::RenderContext;
use crate::model::{Kind, Role};

/// What a result shows.
#[derive(Serialize)]
struct Doc {
    /// Title.
    t: String,
    /// Site-relative URL of the page (`""` for the home page).
    u: String,
    /// Kind.
    k: String,
    /// Excerpt.
    e: String,
}

/// `assets/search-index.js`.
#[derive(Serialize)]
struct Meta<'a> {
    /// Documents.
    n: usize,
    /// Documents per document shard.
    per: usize,
    /// The first term of each term shard, in order.
    first: Vec<&'a str>,
    /// Every tension title, for the filter; tension `i` is term `~i`.
    tensions: Vec<String>,
}

/// About how many bytes of postings a term shard holds.
pub(crate) const SHARD_BYTES: usize = 48 * 1024;
/// Documents per document shard.
pub(crate) const DOCS_PER_SHARD: usize = 100;
/// Characters of a page's text a result shows.
const EXCERPT: usize = 160;

/// How much a word counts in a title, in a name, and at most in the text
/// (where it counts more as it is more frequent, less as the text is
/// longer).
const TITLE: f64 = 5.0;
const PEOPLE: f64 = 3.0;
const BODY: f64 = 4.0;
/// Longest word the index takes, in characters: nobody searches for a
/// longer one, and a 300 KB "word" (pathological Markdown such as `[a](<b`
/// repeated) would only bloat a shard.
const MAX_WORD: usize = 48;

/// Letters that do not decompose into a base letter and a mark, written
/// as readers type them without the accent. `search.js` folds queries with
/// the same table.
const FOLDED: [(char, &str); 12] = [
    ('ø', "o"),
    ('Ø', "O"),
    ('æ', "ae"),
    ('Æ', "AE"),
    ('œ', "oe"),
    ('Œ', "OE"),
    ('ß', "ss"),
    ('ł', "l"),
    ('Ł', "L"),
    ('đ', "d"),
    ('Đ', "D"),
    ('ı', "i"),
];

/// `text` with its accents taken off (`Zoë` → `Zoe`, `Øberg` → `Oberg`):
/// compatibility decomposition without combining marks, then [`FOLDED`].
/// Indexed text and queries are both folded, so either spelling finds the
/// other.
fn fold(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        match FOLDED.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT).collect();
    if text.chars().count() > EXCERPT {
        out.push('…');
    }
    out
}

/// One word's place in one document.
#[derive(Clone, Copy, Default)]
struct Hit {
    title: bool,
    people: bool,
    /// How often it is in the text.
    body: u32,
}

/// One document as the index holds it until it is written.
struct Entry {
    doc: Doc,
    /// Words in its text, for the length normalisation.
    length: u32,
    /// Its terms (by number in [`Builder::terms`]) and where each is.
    hits: Vec<(u32, Hit)>,
}

/// Builds the search files from the pages' plain texts, given in any order
/// as the pages render. Each page's document number is fixed by its place
/// in the site and every file is written in term or document order, so
/// the files are the same whatever order the pages came in. Kept after the
/// files are written, it updates them for one page's new text (`serve`).
pub(crate) struct Builder {
    /// Each page's document number: pages in site order, the A–Z index
    /// left out.
    numbers: Vec<Option<usize>>,
    entries: Vec<Option<Entry>>,
    /// Every term met, numbered as met.
    terms: HashMap<String, u32>,
    /// Every word met, lower-cased, and its term (`None`: a stop word).
    words: HashMap<String, Option<u32>>,
    /// Once the files are written: where each term shard starts, and the
    /// average text length the weights were computed with. An update
    /// keeps both, so only the shards it touches change.
    layout: Option<Layout>,
}

struct Layout {
    first: Vec<String>,
    average: f64,
}

thread_local! {
    /// elasticlunr's English pipeline: trimmer, stop words, Porter stemmer.
    static PIPELINE: Pipeline = English::new().make_pipeline();
}

/// `a` before `b` in the browser's string order (UTF-16 code units).
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

impl Builder {
    pub(crate) fn new(site: &crate::model::Site) -> Self {
        let mut count = 0;
        let numbers: Vec<Option<usize>> = site
            .pages
            .iter()
            .map(|sp| {
                // The A–Z index and the printable whole would match every
                // search: they hold every title, or every page.
                (!matches!(sp.role, Role::AzIndex | Role::Print)).then(|| {
                    count += 1;
                    count - 1
                })
            })
            .collect();
        Builder {
            numbers,
            entries: (0..count).map(|_| None).collect(),
            terms: HashMap::new(),
            words: HashMap::new(),
            layout: None,
        }
    }

    /// The terms of `text` by number, as the browser makes them of a query
    /// (elasticlunr's tokenizer and English pipeline, on folded text). A
    /// word is stemmed once per build: the words met are remembered.
    fn terms_of(&mut self, text: &str) -> Vec<u32> {
        let text = fold(text);
        let mut out = Vec::new();
        let mut lower = String::new();
        for word in text.split_whitespace() {
            if word.chars().count() > MAX_WORD {
                continue;
            }
            for token in word.split('-').filter(|t| !t.is_empty()) {
                if token.is_ascii() {
                    lower.clear();
                    lower.push_str(token);
                    lower.make_ascii_lowercase();
                } else {
                    lower = token.to_lowercase();
                }
                let id = match self.words.get(lower.as_str()) {
                    Some(&id) => id,
                    None => {
                        let term = PIPELINE.with(|p| p.run(vec![lower.clone()]).pop());
                        let id = term.map(|t| self.term(t));
                        self.words.insert(lower.clone(), id);
                        id
                    }
                };
                out.extend(id);
            }
        }
        out
    }

    fn term(&mut self, term: String) -> u32 {
        let next = self.terms.len() as u32;
        *self.terms.entry(term).or_insert(next)
    }

    /// Page `i`, with its body's plain text.
    pub(crate) fn add(&mut self, input: &RenderContext<'_>, i: usize, mut body: String) {
        let Some(number) = self.numbers[i] else {
            return;
        };
        let site = input.site;
        let qual = &site.qual;
        let sp = &site.pages[i];
        let front = &sp.page.front;
        let mut people = String::new();
        let mut tensions = Vec::new();
        let kind = match sp.role {
            Role::Reference(r) => {
                let entry = &input.bib.refs[r];
                people = entry
                    .creators()
                    .iter()
                    .map(|n| n.inverted())
                    .collect::<Vec<_>>()
                    .join("; ");
                body = format!(
                    "{} {} {body}",
                    input.cites.entries[r].text,
                    entry.year().map(|y| y.to_string()).unwrap_or_default()
                );
                "reference".to_string()
            }
            Role::Page => front.kind().name().to_string(),
            _ => "index".to_string(),
        };
        if let Some(q) = qual.quote_of(i) {
            let quote = &qual.quotes[q];
            people = qual.participants[quote.speaker].pseudonym.clone();
            tensions = quote.tags.iter().map(|(t, _)| *t).collect();
            if let Some(m) = &quote.metaphor {
                body.push(' ');
                body.push_str(m);
            }
        }
        if front.kind() == Kind::Note || front.kind() == Kind::Policy {
            if let Some(s) = &front.summary {
                body = format!("{s} {body}");
            }
        }
        let mut hits: HashMap<u32, Hit> = HashMap::new();
        for term in self.terms_of(&front.title) {
            hits.entry(term).or_default().title = true;
        }
        for term in self.terms_of(&people) {
            hits.entry(term).or_default().people = true;
        }
        let words = self.terms_of(&body);
        let length = words.len() as u32;
        for term in words {
            hits.entry(term).or_default().body += 1;
        }
        for t in tensions {
            let title = Hit {
                title: true,
                ..Hit::default()
            };
            hits.insert(self.term(format!("~{t}")), title);
        }
        let mut hits: Vec<(u32, Hit)> = hits.into_iter().collect();
        hits.sort_unstable_by_key(|(t, _)| *t);
        self.entries[number] = Some(Entry {
            doc: Doc {
                t: front.title.clone(),
                u: sp.url.clone(),
                k: kind,
                e: excerpt(if body.is_empty() {
                    front.summary.as_deref().unwrap_or("")
                } else {
                    &body
                }),
            },
            length,
            hits,
        });
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .map(|e| e.as_ref().expect("every page was added"))
    }

    /// The postings of the terms `wanted` says (by term number): documents
    /// in order, each with its weight. With `release`, each document's
    /// words are let go once read (the index cannot be updated after).
    fn postings(
        &mut self,
        average: f64,
        release: bool,
        wanted: impl Fn(u32) -> bool,
    ) -> Vec<Vec<(u32, u8)>> {
        let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); self.terms.len()];
        for (d, entry) in self.entries.iter_mut().enumerate() {
            let entry = entry.as_mut().expect("every page was added");
            let norm = 1.0 - 0.75 + 0.75 * f64::from(entry.length) / average;
            for &(term, hit) in &entry.hits {
                if wanted(term) {
                    postings[term as usize].push((d as u32, weight(hit, norm)));
                }
            }
            if release {
                entry.hits = Vec::new();
            }
        }
        postings
    }

    /// Every term's name, by number.
    fn names(&self) -> Vec<&str> {
        let mut names = vec![""; self.terms.len()];
        for (name, &id) in &self.terms {
            names[id as usize] = name;
        }
        names
    }

    /// Document shard `n`.
    fn doc_shard(&self, n: usize) -> (String, String) {
        let chunk: Vec<&Doc> = self
            .entries()
            .skip(n * DOCS_PER_SHARD)
            .take(DOCS_PER_SHARD)
            .map(|e| &e.doc)
            .collect();
        let json = serde_json::to_string(&chunk).expect("documents serialise");
        (
            format!("{}/search/d{n}.js", super::ASSETS),
            format!("window.companionSearch.load(\"d{n}\", {});\n", safe(&json)),
        )
    }

    /// Every search file: its path under the output and its text. With
    /// `keep`, the index stays able to [`Builder::update`]; without, it
    /// lets each document's words go as it writes them.
    pub(crate) fn files(&mut self, input: &RenderContext<'_>, keep: bool) -> Vec<(String, String)> {
        let count = self.entries.len();
        let average = (self.entries().map(|e| f64::from(e.length)).sum::<f64>()
            / count.max(1) as f64)
            .max(1.0);
        let postings = self.postings(average, !keep, |_| true);
        let names = self.names();
        let mut order: Vec<u32> = (0..names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| js_order(names[a as usize], names[b as usize]));
        let mut files = Vec::new();
        let mut first: Vec<String> = Vec::new();
        let mut shard = String::new();
        for id in order {
            let list = &postings[id as usize];
            if list.is_empty() {
                continue;
            }
            if shard.is_empty() {
                first.push(names[id as usize].to_string());
            }
            push_term(&mut shard, names[id as usize], list);
            if shard.len() >= SHARD_BYTES {
                files.push(term_shard(files.len(), &shard));
                shard.clear();
            }
        }
        if !shard.is_empty() || first.is_empty() {
            if first.is_empty() {
                first.push(String::new());
            }
            files.push(term_shard(files.len(), &shard));
        }
        for n in 0..count.div_ceil(DOCS_PER_SHARD) {
            files.push(self.doc_shard(n));
        }
        let site = input.site;
        let meta = Meta {
            n: count,
            per: DOCS_PER_SHARD,
            first: first.iter().map(String::as_str).collect(),
            tensions: site
                .qual
                .tensions
                .iter()
                .map(|t| site.pages[t.page].page.front.title.clone())
                .collect(),
        };
        let json = serde_json::to_string(&meta).expect("the index serialises");
        files.push((
            format!("{}/search-index.js", super::ASSETS),
            format!("window.companionSearch = {};\n", safe(&json)),
        ));
        self.layout = Some(Layout { first, average });
        files
    }

    /// Page `i` has a new text: the search files that change (its
    /// document shard and the term shards of the words it lost or gained).
    /// The shards keep where they start and the weights their average
    /// length, so nothing else changes; a full build recomputes both.
    pub(crate) fn update(
        &mut self,
        input: &RenderContext<'_>,
        i: usize,
        body: String,
    ) -> Vec<(String, String)> {
        let Some(d) = self.numbers[i] else {
            return Vec::new();
        };
        let layout = self
            .layout
            .take()
            .expect("an index is updated after its files are written");
        let before: Vec<u32> = self.entries[d]
            .as_ref()
            .map(|e| e.hits.iter().map(|(t, _)| *t).collect())
            .unwrap_or_default();
        self.add(input, i, body);
        let names: Vec<String> = self.names().into_iter().map(str::to_string).collect();
        let shard_of = |id: u32| {
            layout
                .first
                .partition_point(|f| js_order(f, &names[id as usize]).is_le())
                .saturating_sub(1)
        };
        let after = self.entries[d].as_ref().expect("just added").hits.iter();
        let touched: std::collections::BTreeSet<usize> = before
            .iter()
            .copied()
            .chain(after.map(|(t, _)| *t))
            .map(shard_of)
            .collect();
        let postings = self.postings(layout.average, false, |id| touched.contains(&shard_of(id)));
        let mut files = Vec::new();
        for &n in &touched {
            let mut ids: Vec<u32> = (0..names.len() as u32)
                .filter(|&id| shard_of(id) == n && !postings[id as usize].is_empty())
                .collect();
            ids.sort_unstable_by(|&a, &b| js_order(&names[a as usize], &names[b as usize]));
            let mut shard = String::new();
            for id in ids {
                push_term(&mut shard, &names[id as usize], &postings[id as usize]);
            }
            files.push(term_shard(n, &shard));
        }
        files.push(self.doc_shard(d / DOCS_PER_SHARD));
        self.layout = Some(layout);
        files
    }
}

/// Appends `"name":"postings"` to a shard's JSON object body.
fn push_term(shard: &mut String, name: &str, list: &[(u32, u8)]) {
    if !shard.is_empty() {
        shard.push(',');
    }
    shard.push_str(&script_json(name));
    shard.push_str(":\"");
    shard.push_str(&encode(list));
    shard.push('"');
}

/// Term shard `n`, from its JSON object's body.
fn term_shard(n: usize, body: &str) -> (String, String) {
    (
        format!("{}/search/t{n}.js", super::ASSETS),
        format!("window.companionSearch.load(\"t{n}\", {{{body}}});\n"),
    )
}

/// How much a word counts in a document, 1 to 9: a title or a name counts
/// most; in the text, more as it is more frequent there, less as the text
/// is longer (BM25's saturation and length normalisation, `norm` being
/// `1 - b + b · length / average length`).
fn weight(hit: Hit, norm: f64) -> u8 {
    const K1: f64 = 1.2;
    let tf = f64::from(hit.body);
    // Below BODY however often the word is there.
    let body = BODY * tf / (tf + K1 * norm);
    let score =
        TITLE * f64::from(u8::from(hit.title)) + PEOPLE * f64::from(u8::from(hit.people)) + body;
    score.round().clamp(1.0, 9.0) as u8
}

/// A posting list as the browser reads it: for each document, the gap
/// from the one before times ten plus its weight, in base 36, joined by
/// commas (`"a,1b"`).
fn encode(list: &[(u32, u8)]) -> String {
    let mut out = String::new();
    let mut last = 0u32;
    for (n, &(doc, w)) in list.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        let gap = u64::from(doc - last) * 10 + u64::from(w);
        last = doc;
        push_base36(&mut out, gap);
    }
    out
}

fn push_base36(out: &mut String, mut n: u64) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 16];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[at..]).expect("ASCII"));
}

/// `s` as a JSON string, safe inside a script.
fn script_json(s: &str) -> String {
    safe(&serde_json::to_string(s).expect("a string serialises"))
}

/// JSON that cannot close a script element early, even inlined in HTML.
fn safe(json: &str) -> String {
    json.replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_are_folded_for_the_index() {
        assert_eq!(
            fold("Zoë Øberg, Ærø, straße, Łódź, café"),
            "Zoe Oberg, AEro, strasse, Lodz, cafe"
        );
        assert_eq!(fold("ﬁnal ①"), "final 1", "compatibility forms too");
        assert_eq!(fold("plain ASCII"), "plain ASCII");
    }

    /// `search.js` folds queries with the same table as the index.
    #[test]
    fn the_browser_folds_queries_with_the_same_table() {
        let js = include_str!("../../themes/default/static/search.js");
        for (from, to) in FOLDED {
            assert!(
                js.contains(&format!("\"{from}\": \"{to}\"")),
                "search.js folds {from} to {to}"
            );
        }
    }

    #[test]
    fn postings_are_gaps_and_weights_in_base_36() {
        assert_eq!(encode(&[(0, 3)]), "3");
        // Documents 2, 3 and 40: gaps 2, 1, 37, each times ten plus the
        // weight: 21, 19, 375 in base 36.
        assert_eq!(encode(&[(2, 1), (3, 9), (40, 5)]), "l,j,af");
        let mut s = String::new();
        push_base36(&mut s, 36 * 36);
        assert_eq!(s, "100");
    }

    #[test]
    fn titles_count_most_and_long_texts_less() {
        let title = Hit {
            title: true,
            ..Hit::default()
        };
        let once = Hit {
            body: 1,
            ..Hit::default()
        };
        let often = Hit {
            body: 8,
            ..Hit::default()
        };
        assert!(weight(title, 1.0) > weight(once, 1.0));
        assert!(weight(often, 1.0) > weight(once, 1.0));
        assert!(
            weight(once, 0.5) > weight(once, 3.0),
            "a short text counts more"
        );
        for hit in [title, once, often] {
            for norm in [0.25, 1.0, 10.0] {
                assert!((1..=9).contains(&weight(hit, norm)));
            }
        }
    }
}
