//! Dates shown to readers, in the site's language: `8 April 2003` on an
//! `en-GB` site, `April 8, 2003` on an `en-US` one, `8 avril 2003` on a
//! French one. The order, the month names and the punctuation come from the
//! CSL locale of the language (the text date form every CSL locale
//! defines), so every language the citation styles know is covered.
//! Front matter keeps ISO dates (`2003-04-08`); pages show both, the ISO
//! date in `<time datetime>`.

use hayagriva::citationberg::taxonomy::{OtherTerm, Term};
use hayagriva::citationberg::{
    DateDayForm, DateForm, DateMonthForm, DatePartName, DateStrongAnyForm, LongShortForm, TermForm,
};

/// One part of the written date, with what goes before and after it.
#[derive(Debug, Clone)]
struct Part {
    name: DatePartName,
    form: DateStrongAnyForm,
    prefix: String,
    suffix: String,
}

/// How one language writes a date.
#[derive(Debug, Clone)]
pub struct DateFormat {
    parts: Vec<Part>,
    /// Long and short month names, January first.
    long: Vec<String>,
    short: Vec<String>,
    /// Ordinal suffixes by number (`ordinal-01` … `ordinal-99`) and the
    /// general one (`ordinal`), for days written as ordinals (German `8.`).
    ordinals: Vec<(u8, String)>,
    ordinal: String,
    /// Only the first day of a month is an ordinal (French `1er`).
    ordinal_day_1_only: bool,
}

impl DateFormat {
    /// The text date form of the CSL locale for `language` (its exact
    /// dialect, else another dialect of the language, else `en-US`).
    pub fn for_language(language: &str) -> DateFormat {
        let locales = crate::csl::locales_for(Some(language));
        let code = |l: &hayagriva::citationberg::Locale| {
            l.lang
                .as_ref()
                .map(|c| c.0.to_ascii_lowercase())
                .unwrap_or_default()
        };
        let wanted = language.to_ascii_lowercase();
        let base = wanted.split('-').next().unwrap_or("en").to_string();
        let rank = |l: &hayagriva::citationberg::Locale| {
            let c = code(l);
            if c == wanted {
                0
            } else if c.split('-').next() == Some(base.as_str()) {
                1
            } else {
                2
            }
        };
        let mut ranked: Vec<&hayagriva::citationberg::Locale> = locales.iter().collect();
        ranked.sort_by_key(|l| (rank(l), code(l)));
        let text_form = ranked.iter().find_map(|l| {
            l.date
                .iter()
                .find(|d| d.form == Some(DateForm::Text) && !d.date_part.is_empty())
        });
        let parts = text_form.map_or_else(Vec::new, |d| {
            d.date_part
                .iter()
                .map(|p| Part {
                    name: p.name,
                    form: p.form(),
                    prefix: p.affixes.prefix.clone().unwrap_or_default(),
                    suffix: p.affixes.suffix.clone().unwrap_or_default(),
                })
                .collect()
        });
        let month = |i: u8, form: TermForm| {
            let term = Term::Other(OtherTerm::month(i).expect("12 months"));
            ranked
                .iter()
                .find_map(|l| {
                    l.term(term, form)
                        .and_then(|t| t.single())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| format!("{:02}", i + 1))
        };
        let term = |t: OtherTerm| {
            ranked.iter().find_map(|l| {
                l.term(Term::Other(t), TermForm::Long)
                    .and_then(|t| t.single())
                    .map(str::to_string)
            })
        };
        DateFormat {
            parts,
            long: (0..12).map(|i| month(i, TermForm::Long)).collect(),
            short: (0..12).map(|i| month(i, TermForm::Short)).collect(),
            ordinals: (0..100u8)
                .filter_map(|n| term(OtherTerm::OrdinalN(n)).map(|t| (n, t)))
                .collect(),
            ordinal: term(OtherTerm::Ordinal).unwrap_or_default(),
            ordinal_day_1_only: ranked
                .iter()
                .find_map(|l| l.style_options.as_ref()?.limit_day_ordinals_to_day_1)
                .unwrap_or(false),
        }
    }

    /// The ordinal suffix of `n`: its own term (`ordinal-11`), else that
    /// of its last digit (`ordinal-01` for 21), else the general one.
    fn ordinal_suffix(&self, n: u8) -> &str {
        let find = |k: u8| {
            self.ordinals
                .iter()
                .find(|(m, _)| *m == k)
                .map(|(_, t)| t.as_str())
        };
        find(n).or_else(|| find(n % 10)).unwrap_or(&self.ordinal)
    }

    /// An ISO date (`2003`, `2003-04`, `2003-04-08`) as readers of the
    /// language write it; anything else as it is.
    pub fn format(&self, iso: &str) -> String {
        let Ok(date) = crate::model::PartialDate::parse(iso) else {
            return iso.to_string();
        };
        if self.parts.is_empty() {
            return iso.to_string();
        }
        let (year, month, day) = (date.year, date.month, date.day);
        let mut out = String::new();
        let present: Vec<&Part> = self
            .parts
            .iter()
            .filter(|p| match p.name {
                DatePartName::Day => day.is_some(),
                DatePartName::Month => month.is_some(),
                DatePartName::Year => true,
            })
            .collect();
        for (k, part) in present.iter().enumerate() {
            let text = match part.form {
                DateStrongAnyForm::Day(DateDayForm::NumericLeadingZeros) => {
                    format!("{:02}", day.unwrap_or(1))
                }
                DateStrongAnyForm::Day(DateDayForm::Ordinal) => {
                    let d = day.unwrap_or(1);
                    if self.ordinal_day_1_only && d != 1 {
                        d.to_string()
                    } else {
                        format!("{d}{}", self.ordinal_suffix(d as u8))
                    }
                }
                DateStrongAnyForm::Day(_) => day.unwrap_or(1).to_string(),
                DateStrongAnyForm::Month(form) => {
                    let m = (month.unwrap_or(1) - 1).clamp(0, 11) as usize;
                    match form {
                        DateMonthForm::Long => self.long[m].clone(),
                        DateMonthForm::Short => self.short[m].clone(),
                        DateMonthForm::Numeric => (m + 1).to_string(),
                        DateMonthForm::NumericLeadingZeros => format!("{:02}", m + 1),
                    }
                }
                DateStrongAnyForm::Year(LongShortForm::Short) => format!("{:02}", year % 100),
                DateStrongAnyForm::Year(_) => year.to_string(),
            };
            out.push_str(&part.prefix);
            out.push_str(&text);
            // The last part's suffix closes the date; between parts, only
            // a suffix that separates (`, ` before the year of a US date
            // whose day is gone becomes a space).
            if k + 1 < present.len() {
                out.push_str(&part.suffix);
            }
        }
        let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
        out.trim_end_matches([',', ' ']).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_the_language_writes_them() {
        let gb = DateFormat::for_language("en-GB");
        assert_eq!(gb.format("2003-04-08"), "8 April 2003");
        assert_eq!(gb.format("2003-04"), "April 2003");
        assert_eq!(gb.format("2003"), "2003");
        let us = DateFormat::for_language("en-US");
        assert_eq!(us.format("2003-04-08"), "April 8, 2003");
        assert_eq!(us.format("2003-04"), "April 2003");
        let fr = DateFormat::for_language("fr");
        assert_eq!(fr.format("2003-04-08"), "8 avril 2003");
        let de = DateFormat::for_language("de-DE");
        assert_eq!(de.format("2003-04-08"), "8. April 2003");
        assert_eq!(fr.format("2003-04-01"), "1 avril 2003");
        assert_eq!(gb.format("not a date"), "not a date");
    }
}
