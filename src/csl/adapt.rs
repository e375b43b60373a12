//! What the site changes in a citation style before using it, and why.
//!
//! A style is written for a printed document read from first page to last;
//! a companion site is read one page at a time, in any order, from links.
//! Each change here keeps a style's output true on such a page:
//!
//! - `cs:names` without `cs:name` get a default one (hayagriva renders no
//!   names at all otherwise);
//! - no `subsequent-author-substitute`: every entry stands alone (on its
//!   reference's page, in a page's works cited, between back-links in the
//!   citation index), so `———` or an empty string in place of a repeated
//!   author would leave a reader with no name;
//! - every citation is a first citation: a site renders each distinct
//!   citation once for all its occurrences, and a reader arriving from a
//!   link has not read the citation before it, so `ibid.` (`ebd.`) and
//!   other position-dependent forms would point at nothing;
//! - the reference list sorts on plain values (`sort.rs`): a sort key's
//!   macro gets a copy that writes dates as digits of the parts it shows,
//!   leaving out a part the work's date lacks (hayagriva writes `00`, so a
//!   document dated 2013 sorted after a book of 2013 in APA), and texts
//!   without quotation marks or affixes;
//! - in an author-date style that makes no provision for undated works (no
//!   "no date" term, no test for a date anywhere), an undated work shows the
//!   locale's "no date" term where its date would be (`Smith (n.d.)`), so
//!   that two undated works by one author can be told apart (`n.d.-a`,
//!   `n.d.-b`) instead of both reading `Smith ()`. A style that does
//!   provide for them is left as it is: its guards may sit at a macro's
//!   call sites, and its sort keys depend on them.

use hayagriva::citationberg::taxonomy::{DateVariable, Variable};
use hayagriva::citationberg::{
    Choose, ChooseBranch, ChooseMatch, ChooseTest, ElseBranch, IndependentStyle,
    LayoutRenderingElement as El, Name, NamesChild, SortKey, TestPosition, TextTarget,
};

/// Adapts `style` for the site (see the module's documentation). Returns
/// the literal texts the style itself writes for an undated work (`[S.d.]`,
/// `n. d.`), to be suffixed like the locale's term.
pub(super) fn adapt(style: &mut IndependentStyle, author_date: bool) -> Vec<String> {
    if let Some(b) = &mut style.bibliography {
        b.subsequent_author_substitute = None;
    }
    let mut lists: Vec<&mut Vec<El>> = style.macros.iter_mut().map(|m| &mut m.children).collect();
    lists.push(&mut style.citation.layout.elements);
    if let Some(b) = &mut style.bibliography {
        lists.push(&mut b.layout.elements);
    }
    // A style that provides for undated works anywhere (a "no date" term,
    // a test for a date) is trusted to do so wherever it needs to.
    let mut provides = false;
    let mut literals = Vec::new();
    for list in &mut lists {
        walk(list, &mut |list| {
            for child in list.iter() {
                match child {
                    El::Text(text) if is_no_date(&text.target) => provides = true,
                    El::Choose(choose) if choose.branches().any(tests_issued) => {
                        provides = true;
                        if let Some(otherwise) = &choose.otherwise {
                            gather_literals(&otherwise.children, &mut literals);
                        }
                    }
                    _ => {}
                }
            }
        });
    }
    let no_date = (author_date && !provides).then(no_date_choice);
    for list in lists {
        name_the_names(list);
        every_citation_first(list);
        if let Some(choice) = &no_date {
            date_the_undated(list, choice);
        }
    }
    sort_on_plain_values(style);
    literals.sort();
    literals.dedup();
    literals
}

/// Calls `f` on `list` and on every element list inside it (groups and
/// choice branches), outermost first. Lists inside `cs:substitute` are left
/// alone: their names take their parent's `cs:name`.
fn walk(list: &mut Vec<El>, f: &mut impl FnMut(&mut Vec<El>)) {
    f(list);
    for child in list {
        match child {
            El::Group(group) => walk(&mut group.children, f),
            El::Choose(choose) => {
                walk(&mut choose.if_.children, f);
                for b in &mut choose.else_if {
                    walk(&mut b.children, f);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    walk(&mut otherwise.children, f);
                }
            }
            _ => {}
        }
    }
}

/// Gives every `cs:names` without a `cs:name` child a default one. CSL
/// lets a style leave `cs:name` out (the names then take the options the
/// style sets on `cs:style`, `cs:citation` or `cs:bibliography`), but
/// hayagriva then renders no names at all: the NLM/Vancouver style
/// (`vancouver`), whose author macro is written that way, lost every
/// author of its reference list.
fn name_the_names(list: &mut Vec<El>) {
    walk(list, &mut |list| {
        for child in list {
            if let El::Names(names) = child {
                if !names
                    .children
                    .iter()
                    .any(|c| matches!(c, NamesChild::Name(_)))
                {
                    names.children.insert(0, NamesChild::Name(Name::default()));
                }
            }
        }
    });
}

/// Whether a branch that tests the citation's position holds for a first
/// citation; `None` for a branch that tests something else.
fn holds_first(branch: &ChooseBranch) -> Option<bool> {
    let Some(ChooseTest::Position(positions)) = branch.test() else {
        return None;
    };
    let first = |p: &TestPosition| *p == TestPosition::First;
    Some(match branch.match_ {
        ChooseMatch::Any => positions.iter().any(first),
        ChooseMatch::All => positions.iter().all(first),
        ChooseMatch::None => !positions.iter().any(first),
    })
}

/// Resolves every position test as for a first citation: a branch that
/// cannot hold goes, one that holds becomes the choice's `else`, and a
/// choice left with no test is replaced by what it renders.
fn every_citation_first(list: &mut Vec<El>) {
    walk(list, &mut |list| {
        let mut i = 0;
        while i < list.len() {
            let El::Choose(choose) = &mut list[i] else {
                i += 1;
                continue;
            };
            let branches: Vec<ChooseBranch> = std::iter::once(choose.if_.clone())
                .chain(choose.else_if.drain(..))
                .collect();
            if branches.iter().all(|b| holds_first(b).is_none()) {
                choose.else_if = branches.into_iter().skip(1).collect();
                i += 1;
                continue;
            }
            let mut kept = Vec::new();
            let mut otherwise = choose.otherwise.take();
            for b in branches {
                match holds_first(&b) {
                    None => kept.push(b),
                    Some(false) => {}
                    Some(true) => {
                        otherwise = Some(ElseBranch {
                            children: b.children,
                        });
                        break;
                    }
                }
            }
            if kept.is_empty() {
                let children = otherwise.map(|o| o.children).unwrap_or_default();
                list.splice(i..=i, children);
                // The spliced elements are looked at in turn.
                continue;
            }
            let mut kept = kept.into_iter();
            choose.if_ = kept.next().expect("not empty");
            choose.else_if = kept.collect();
            choose.otherwise = otherwise;
            i += 1;
        }
    });
}

/// One element written in CSL, read as a style's own would be: what the
/// site adds to a style is built this way rather than field by field.
pub(super) fn csl_element(xml: &str) -> El {
    let style = format!(
        r#"<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>t</title><id>t</id><updated>2026-01-01T00:00:00+00:00</updated></info><macro name="m">{xml}</macro><citation><layout><text macro="m"/></layout></citation></style>"#
    );
    IndependentStyle::from_xml(&style)
        .ok()
        .and_then(|s| s.macros.into_iter().next())
        .and_then(|m| m.children.into_iter().next())
        .unwrap_or_else(|| panic!("not one CSL element: {xml}"))
}

/// `<choose><if variable="issued"/><else><text term="no date"
/// form="short"/></else></choose>`.
fn no_date_choice() -> Choose {
    match csl_element(
        r#"<choose><if variable="issued"></if><else><text term="no date" form="short"/></else></choose>"#,
    ) {
        El::Choose(choose) => choose,
        _ => unreachable!("a choice"),
    }
}

/// Whether a branch tests whether the work has a date.
fn tests_issued(branch: &ChooseBranch) -> bool {
    matches!(branch.test(), Some(ChooseTest::Variable(vars))
        if vars.contains(&Variable::Date(DateVariable::Issued)))
}

/// Whether a text renders the "no date" term.
fn is_no_date(target: &TextTarget) -> bool {
    use hayagriva::citationberg::taxonomy::{OtherTerm, Term};
    matches!(
        target,
        TextTarget::Term {
            term: Term::Other(OtherTerm::NoDate),
            ..
        }
    )
}

/// Wraps every `issued` date in `choice`, with the date's affixes and
/// formatting on the "no date" term.
fn date_the_undated(list: &mut [El], choice: &Choose) {
    for child in list.iter_mut() {
        match child {
            El::Date(date) if date.variable == Some(DateVariable::Issued) => {
                let mut wrapped = choice.clone();
                if let Some(El::Text(text)) = wrapped
                    .otherwise
                    .as_mut()
                    .and_then(|o| o.children.first_mut())
                {
                    text.affixes = date.affixes.clone();
                    text.formatting = date.formatting;
                }
                wrapped.if_.children.push(El::Date(date.clone()));
                *child = El::Choose(wrapped);
            }
            El::Group(group) => date_the_undated(&mut group.children, choice),
            El::Choose(choose) => {
                for b in std::iter::once(&mut choose.if_).chain(choose.else_if.iter_mut()) {
                    date_the_undated(&mut b.children, choice);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    date_the_undated(&mut otherwise.children, choice);
                }
            }
            _ => {}
        }
    }
}

/// The literal texts (`<text value="…"/>`) in `list` that are words
/// (`[S.d.]`), not sort keys (`0`, `1`).
fn gather_literals(list: &[El], literals: &mut Vec<String>) {
    for child in list {
        match child {
            El::Text(text) => {
                if let TextTarget::Value { val } = &text.target {
                    if val.chars().any(char::is_alphabetic) {
                        literals.push(val.trim().to_string());
                    }
                }
            }
            El::Group(group) => gather_literals(&group.children, literals),
            _ => {}
        }
    }
}

/// Makes, for every macro sort key, a copy of its macro (and of the macros
/// it calls) that renders plain values, named by [`plain_name`]: the
/// site's own sort renders it (see the module's documentation and
/// `sort.rs`).
fn sort_on_plain_values(style: &mut IndependentStyle) {
    let mut made: Vec<String> = Vec::new();
    let mut keys: Vec<&SortKey> = Vec::new();
    if let Some(sort) = style.bibliography.as_ref().and_then(|b| b.sort.as_ref()) {
        keys.extend(sort.keys.iter());
    }
    let mut wanted: Vec<String> = Vec::new();
    for key in keys {
        if let SortKey::MacroName { name, .. } = key {
            wanted.push(name.clone());
        }
    }
    let digits = numeric_date_parts();
    while let Some(name) = wanted.pop() {
        if made.contains(&name) {
            continue;
        }
        made.push(name.clone());
        let Some(original) = style.macros.iter().find(|m| m.name == name) else {
            continue;
        };
        let mut copy = original.clone();
        copy.name = plain_name(&name);
        plain_values(&mut copy.children, &digits, &mut wanted);
        style.macros.push(copy);
    }
}

/// The name of a macro's plain copy.
pub(super) fn plain_name(name: &str) -> String {
    format!("{name} (plain, for sorting)")
}

/// Year, month and day as digits (`2013`, `03`, `04`), to be written
/// together (`20130304`) so that text order is date order.
fn numeric_date_parts() -> Vec<hayagriva::citationberg::DatePart> {
    match csl_element(
        r#"<date variable="issued"><date-part name="year"/><date-part name="month" form="numeric-leading-zeros"/><date-part name="day" form="numeric-leading-zeros"/></date>"#,
    ) {
        El::Date(date) => date.date_part,
        _ => unreachable!("a date"),
    }
}

/// Makes `list` render plain values: dates as digits of the parts the
/// style shows (a missing part is left out, not written `00`), texts
/// without quotes or affixes, names without their labels (`(eds)`), called
/// macros replaced by their plain copies (to be made).
fn plain_values(
    list: &mut Vec<El>,
    digits: &[hayagriva::citationberg::DatePart],
    wanted: &mut Vec<String>,
) {
    use hayagriva::citationberg::{DatePartName, DateParts};
    // Labels (`p.`, `(eds)`) are not values.
    list.retain(|child| !matches!(child, El::Label(_)));
    for child in list {
        match child {
            El::Names(names) => names
                .children
                .retain(|c| !matches!(c, NamesChild::Label(_))),
            El::Date(date) => {
                let shown: Vec<DatePartName> = if date.form.is_some() {
                    match date.parts.unwrap_or(DateParts::YearMonthDay) {
                        DateParts::Year => vec![DatePartName::Year],
                        DateParts::YearMonth => vec![DatePartName::Year, DatePartName::Month],
                        DateParts::YearMonthDay => {
                            vec![DatePartName::Year, DatePartName::Month, DatePartName::Day]
                        }
                    }
                } else {
                    date.date_part.iter().map(|p| p.name).collect()
                };
                date.form = None;
                date.parts = None;
                date.date_part = digits
                    .iter()
                    .filter(|p| shown.contains(&p.name))
                    .cloned()
                    .collect();
                date.affixes = Default::default();
                date.delimiter = None;
            }
            El::Text(text) => {
                text.quotes = false;
                text.affixes = Default::default();
                if let TextTarget::Macro { name } = &mut text.target {
                    wanted.push(name.clone());
                    *name = plain_name(name);
                }
            }
            El::Group(group) => plain_values(&mut group.children, digits, wanted),
            El::Choose(choose) => {
                for b in std::iter::once(&mut choose.if_).chain(choose.else_if.iter_mut()) {
                    plain_values(&mut b.children, digits, wanted);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    plain_values(&mut otherwise.children, digits, wanted);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(citation: &str, macros: &str) -> IndependentStyle {
        let xml = format!(
            r#"<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>t</title><id>t</id><updated>2026-01-01T00:00:00+00:00</updated></info>{macros}<citation><layout>{citation}</layout></citation><bibliography subsequent-author-substitute="———"><layout><text variable="title"/></layout></bibliography></style>"#
        );
        IndependentStyle::from_xml(&xml).unwrap()
    }

    fn xml(style: &IndependentStyle) -> String {
        hayagriva::citationberg::Style::Independent(style.clone())
            .to_xml()
            .unwrap()
    }

    #[test]
    fn ibid_branches_go_and_the_first_citation_form_stays() {
        let mut s = style(
            r#"<choose><if position="ibid"><text term="ibid"/></if><else-if type="book"><text variable="title"/></else-if><else><text variable="author"/></else></choose>"#,
            "",
        );
        adapt(&mut s, false);
        let out = xml(&s);
        assert!(!out.contains("ibid"), "{out}");
        assert!(out.contains(r#"<if type="book""#), "{out}");
        assert!(out.contains(r#"<else><text variable="author""#), "{out}");
        assert!(!out.contains("subsequent-author-substitute=\""), "{out}");
    }

    #[test]
    fn a_first_position_branch_becomes_what_renders() {
        let mut s = style(
            r#"<choose><if position="first"><text variable="title"/></if><else><text variable="author"/></else></choose>"#,
            "",
        );
        adapt(&mut s, false);
        let out = xml(&s);
        assert!(!out.contains("<choose"), "{out}");
        assert!(!out.contains(r#"variable="author""#), "{out}");
        assert!(out.contains(r#"<layout><text variable="title""#), "{out}");
    }

    #[test]
    fn a_style_without_provision_for_undated_works_gets_the_no_date_term() {
        let bare = r#"<macro name="bare"><date variable="issued" prefix="(" suffix=")"><date-part name="year"/></date></macro>"#;
        let mut s = style(r#"<text macro="bare"/>"#, bare);
        assert!(adapt(&mut s, true).is_empty());
        let out = xml(&s);
        assert!(
            out.contains(
                r#"<else><text term="no date" form="short" plural="false" prefix="(" suffix=")""#
            ),
            "{out}"
        );
        // Numeric and note styles are left as they are.
        let mut s = style(r#"<text macro="bare"/>"#, bare);
        adapt(&mut s, false);
        assert!(!xml(&s).contains("no date"));
    }

    #[test]
    fn a_style_that_provides_for_undated_works_keeps_its_own_text() {
        let mut s = style(
            r#"<text macro="bare"/><text macro="own"/>"#,
            r#"<macro name="bare"><date variable="issued"><date-part name="year"/></date></macro><macro name="own"><choose><if variable="issued"><text macro="bare"/></if><else><text value="[S.d.]"/></else></choose></macro><macro name="sort"><choose><if variable="issued"><text value="0"/></if><else><text value="1"/></else></choose></macro>"#,
        );
        assert_eq!(adapt(&mut s, true), ["[S.d.]"]);
        assert!(!xml(&s).contains("no date"));
    }
}
