//! The reference list's order, from the style's sort keys.
//!
//! hayagriva sorts by rendering each key anew for every comparison (a fresh
//! collator each time) and writes a date part the work lacks as `00`, so a
//! document dated 2013 sorted after a book of 2013 in APA, whose keys show
//! a document's month and day. Here each key is rendered once per work, from
//! the plain copy of its macro that `adapt` makes (dates as digits of the
//! parts they show and have, texts without quotes or affixes), and compared
//! with the Unicode collation of the site's language, punctuation ignored,
//! as Pandoc sorts. Works with empty keys go last, in either direction;
//! ties keep the bibliography file's order.

use std::cmp::Ordering;

use hayagriva::citationberg::json::{DateValue, Item, NameValue, Value};
use hayagriva::citationberg::taxonomy::{NumberVariable, Variable};
use hayagriva::citationberg::{
    IndependentStyle, LayoutRenderingElement as El, SortDirection, SortKey,
};
use hayagriva::CitationItem;
use icu_collator::options::{AlternateHandling, CollatorOptions};
use icu_collator::CollatorBorrowed;

use super::adapt::{csl_element, plain_name};
use super::{csl_request, plain, CslStyle};

/// One work's value for one sort key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// A number (`volume`), compared as a number.
    Number(i64),
    /// Text as its words' collation bytes.
    Text(Vec<Vec<u8>>),
}

/// The reference list's order as indices into `items`, or `None` where the
/// style numbers its list by citation (hayagriva's order is then right).
pub(super) fn order(items: &[Item], style: &CslStyle) -> Option<Vec<usize>> {
    use rayon::prelude::*;
    let Some(sort) = style
        .style
        .bibliography
        .as_ref()
        .and_then(|b| b.sort.as_ref())
    else {
        return Some((0..items.len()).collect());
    };
    let by_number = sort.keys.iter().any(|k| {
        matches!(
            k,
            SortKey::Variable {
                variable: Variable::Number(NumberVariable::CitationNumber),
                ..
            }
        )
    });
    if by_number {
        return None;
    }
    let collator = collator(style);
    // One style per macro key, whose citation is that macro's plain copy.
    let renderers: Vec<Option<IndependentStyle>> = sort
        .keys
        .iter()
        .map(|k| match k {
            SortKey::MacroName {
                name,
                names_min,
                names_use_first,
                names_use_last,
                ..
            } => Some(key_style(
                style,
                name,
                *names_min,
                *names_use_first,
                *names_use_last,
            )),
            SortKey::Variable { .. } => None,
        })
        .collect();
    let keys: Vec<Vec<Option<Key>>> = items
        .par_iter()
        .map(|item| {
            sort.keys
                .iter()
                .zip(&renderers)
                .map(|(k, csl)| match (k, csl) {
                    (_, Some(csl)) => {
                        let text = plain(&hayagriva::standalone_citation(csl_request(
                            vec![CitationItem::with_locator(item, None)],
                            style,
                            csl,
                        )));
                        text_key(&collator, &text)
                    }
                    (SortKey::Variable { variable, .. }, None) => {
                        variable_key(&collator, item, *variable)
                    }
                    _ => None,
                })
                .collect()
        })
        .collect();
    let directions: Vec<SortDirection> = sort.keys.iter().map(SortKey::sort_direction).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        for ((ka, kb), dir) in keys[a].iter().zip(&keys[b]).zip(&directions) {
            let o = match (ka, kb) {
                (Some(x), Some(y)) if *dir == SortDirection::Descending => y.cmp(x),
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
    Some(order)
}

/// The collator of the site's language (else the root collation), blind to
/// punctuation: keys are compared word by word (see [`text_key`]).
fn collator(style: &CslStyle) -> CollatorBorrowed<'static> {
    let code = style
        .locale
        .as_ref()
        .map(|l| l.0.clone())
        .or_else(|| style.style.default_locale.as_ref().map(|l| l.0.clone()))
        .unwrap_or_else(|| "en-US".to_string());
    collator_for(&code)
}

/// The collator of language `code` (a BCP 47 tag), else the root
/// collation, blind to punctuation.
fn collator_for(code: &str) -> CollatorBorrowed<'static> {
    let mut options = CollatorOptions::default();
    options.alternate_handling = Some(AlternateHandling::Shifted);
    let locale: icu_locale::Locale = code.parse().unwrap_or(icu_locale::Locale::UNKNOWN);
    CollatorBorrowed::try_new((&locale).into(), options)
        .or_else(|_| CollatorBorrowed::try_new(Default::default(), options))
        .expect("the root collation is compiled in")
}

/// How the site's language orders titles and letters (the A–Z index).
pub(crate) struct Alphabet {
    collator: CollatorBorrowed<'static>,
    /// Letters alike but for accents and case (at primary strength).
    letters: CollatorBorrowed<'static>,
}

impl Alphabet {
    /// The alphabet of language `code` (a BCP 47 tag), else the root one.
    pub(crate) fn new(code: &str) -> Self {
        let locale: icu_locale::Locale = code.parse().unwrap_or(icu_locale::Locale::UNKNOWN);
        let mut options = CollatorOptions::default();
        options.strength = Some(icu_collator::options::Strength::Primary);
        let letters = CollatorBorrowed::try_new((&locale).into(), options)
            .or_else(|_| CollatorBorrowed::try_new(Default::default(), options))
            .expect("the root collation is compiled in");
        Alphabet {
            collator: collator_for(code),
            letters,
        }
    }

    /// `text`'s sort key: word by word, case folded, punctuation ignored.
    pub(crate) fn key(&self, text: &str) -> Vec<Vec<u8>> {
        match text_key(&self.collator, text) {
            Some(Key::Text(words)) => words,
            _ => Vec::new(),
        }
    }

    /// Whether two letters are one letter of the alphabet (`E` and `É` in
    /// English; not `O` and `Ø` in Danish).
    pub(crate) fn same_letter(&self, a: &str, b: &str) -> bool {
        self.letters.compare(a, b) == Ordering::Equal
    }
}

/// Text as a sort key, word by word as Pandoc's citeproc compares it:
/// case folded, words split at spaces, apostrophes and commas, each
/// compared with punctuation ignored. So `Tegn og` sorts before `Tegnets`, `part I:`
/// before `part II:`, and a title in quotation marks by its first word.
fn text_key(collator: &CollatorBorrowed, text: &str) -> Option<Key> {
    let separator = |c: char| c.is_whitespace() || matches!(c, '\'' | '’' | ',' | 'ʻ' | 'ʾ');
    // Case is folded first: word by word, a capital would otherwise count
    // before the next word's letters (`What Is an` after `What is en`).
    let text = text.to_lowercase();
    let words: Vec<Vec<u8>> = text
        .split(separator)
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut bytes = Vec::new();
            let Ok(()) = collator.write_sort_key_to(w, &mut bytes);
            bytes
        })
        .collect();
    (!words.is_empty()).then_some(Key::Text(words))
}

/// A variable's value as CSL sorts it: names by family then given name,
/// dates whole (`YYYYMMDD`, missing parts as zeros), numbers as numbers.
fn variable_key(collator: &CollatorBorrowed, item: &Item, variable: Variable) -> Option<Key> {
    let value = item.0.get(&variable.to_string())?;
    match value {
        Value::Number(n) => Some(Key::Number(*n)),
        Value::String(s) => match (variable, s.trim().parse::<i64>()) {
            (Variable::Number(_), Ok(n)) => Some(Key::Number(n)),
            _ => text_key(collator, s),
        },
        Value::Names(names) => {
            let text: Vec<String> = names
                .iter()
                .map(|n| match n {
                    NameValue::Literal(l) => l.literal.clone(),
                    NameValue::Item(n) => [
                        n.non_dropping_particle.as_deref(),
                        Some(n.family.as_str()),
                        n.given.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                })
                .collect();
            text_key(collator, &text.join(" \u{2}"))
        }
        Value::Date(DateValue::DateParts { date_parts, .. }) => {
            let start = date_parts.0.first()?;
            let part = |i: usize| start.0.get(i).copied().unwrap_or(0);
            // Years as 5 digits after an offset, so that BCE sorts first.
            let text = format!(
                "{:05}{:02}{:02}",
                i32::from(part(0)) + 50_000,
                part(1),
                part(2)
            );
            text_key(collator, &text)
        }
        Value::Date(DateValue::Raw { raw, .. }) => {
            let text = format!(
                "{:05}{:02}{:02}",
                i32::from(raw.start.year) + 50_000,
                raw.start.month.map_or(0, |m| m + 1),
                raw.start.day.map_or(0, |d| d + 1)
            );
            text_key(collator, &text)
        }
    }
}

/// The style whose citation is the plain copy of macro `name`, with the
/// key's name options.
fn key_style(
    style: &CslStyle,
    name: &str,
    names_min: Option<u32>,
    names_use_first: Option<u32>,
    names_use_last: Option<bool>,
) -> IndependentStyle {
    let mut csl = style.style.clone();
    csl.bibliography = None;
    let citation = &mut csl.citation;
    citation.sort = None;
    citation.disambiguate_add_givenname = false;
    citation.disambiguate_add_names = false;
    citation.disambiguate_add_year_suffix = false;
    let options = &mut citation.name_options;
    if names_min.is_some() {
        options.et_al_min = names_min;
        options.et_al_subsequent_min = names_min;
    }
    if names_use_first.is_some() {
        options.et_al_use_first = names_use_first;
        options.et_al_subsequent_use_first = names_use_first;
    }
    if names_use_last.is_some() {
        options.et_al_use_last = names_use_last;
    }
    let layout = &mut citation.layout;
    layout.prefix = None;
    layout.suffix = None;
    layout.delimiter = None;
    layout.elements = vec![macro_text(&plain_name(name))];
    csl
}

/// `<text macro="name"/>`.
fn macro_text(name: &str) -> El {
    csl_element(&format!(r#"<text macro="{}"/>"#, crate::html::escape(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn before(a: &str, b: &str) -> bool {
        let collator = {
            let mut options = CollatorOptions::default();
            options.alternate_handling = Some(AlternateHandling::Shifted);
            CollatorBorrowed::try_new(Default::default(), options).unwrap()
        };
        text_key(&collator, a) < text_key(&collator, b)
    }

    /// Names are ordered as the site's language orders letters: in English
    /// `Éclair` sorts among the Es and `Øberg` among the Os (not after `Z`,
    /// as byte order puts them); in Danish `Ø` is a letter after `Z`.
    #[test]
    fn letters_sort_as_the_sites_language_orders_them() {
        let order = |code: &str, names: &[&'static str]| {
            let collator = collator_for(code);
            let mut sorted: Vec<&'static str> = names.to_vec();
            sorted.sort_by_key(|n| text_key(&collator, n));
            sorted
        };
        let names = ["Zola", "Øberg", "Fry", "Éclair", "Oakes", "Eagle", "Peters"];
        assert_eq!(
            order("en-GB", &names),
            ["Eagle", "Éclair", "Fry", "Oakes", "Øberg", "Peters", "Zola"]
        );
        assert_eq!(
            order("da", &names),
            ["Eagle", "Éclair", "Fry", "Oakes", "Peters", "Zola", "Øberg"]
        );
    }

    #[test]
    fn text_compares_word_by_word_case_folded_without_punctuation() {
        assert!(before("Tegn og iagttagelse", "Tegnets udfordring"));
        assert!(before("part I: The art", "part II: The art"));
        assert!(before(
            "Accelerating modernity",
            "\"Tomorrow was yesterday\""
        ));
        assert!(before("What Is an Author?", "What is enlightenment?"));
        assert!(
            before("Ørsted", "Zed"),
            "Ø sorts with O in the root collation"
        );
        assert!(before("Émile", "Fabre"), "accents sort with their letter");
        assert!(!before("same", "same"));
    }
}
