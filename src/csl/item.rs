//! A bibliography entry as the CSL processor's item, and locators as CSL
//! names them.

use hayagriva::citationberg::json::{
    DateValue, Item, LiteralName, NameItem, NameValue, Value, VecDate, VecDateRange,
};
use hayagriva::citationberg::taxonomy::Locator as CslLocator;

use crate::bibliography::{Name, Reference};
use crate::parse::citation_syntax::LocatorKind;

pub(super) fn csl_locator(kind: LocatorKind) -> CslLocator {
    match kind {
        LocatorKind::Page => CslLocator::Page,
        LocatorKind::Chapter => CslLocator::Chapter,
        LocatorKind::Section => CslLocator::Section,
        LocatorKind::Paragraph => CslLocator::Paragraph,
        LocatorKind::Figure => CslLocator::Figure,
        LocatorKind::Volume => CslLocator::Volume,
        LocatorKind::Note => CslLocator::Note,
        LocatorKind::Line => CslLocator::Line,
        LocatorKind::Part => CslLocator::Part,
        LocatorKind::Book => CslLocator::Book,
        LocatorKind::Column => CslLocator::Column,
        LocatorKind::Table => CslLocator::Table,
        LocatorKind::Appendix => CslLocator::Appendix,
    }
}

/// A reference as a CSL-JSON item for the CSL processor. Only the start of
/// a date range is passed on: the processor's CSL-JSON path cannot format
/// ranges.
pub fn to_item(r: &Reference) -> Item {
    let mut map = std::collections::BTreeMap::new();
    map.insert("id".to_string(), Value::String(r.key.clone()));
    map.insert("type".to_string(), Value::String(r.kind.clone()));
    for (var, names) in &r.names {
        map.insert(
            var.clone(),
            Value::Names(names.iter().map(name_value).collect()),
        );
    }
    for (var, d) in &r.dates {
        let parts: Vec<i16> = d
            .parts
            .iter()
            .map(|&p| p.clamp(i16::MIN as i32, i16::MAX as i32) as i16)
            .collect();
        let value = if parts.is_empty() {
            match &d.literal {
                Some(l) => DateValue::DateParts {
                    date_parts: VecDateRange(vec![]),
                    literal: Some(l.clone()),
                    season: None,
                    circa: d.circa,
                },
                None => continue,
            }
        } else {
            DateValue::DateParts {
                date_parts: VecDateRange(vec![VecDate(parts)]),
                literal: None,
                season: None,
                circa: d.circa,
            }
        };
        map.insert(var.clone(), Value::Date(value));
    }
    for (var, v) in &r.fields {
        map.insert(var.clone(), Value::String(v.clone()));
    }
    Item(map)
}

/// Initials written run together (`TM`, `LB`, as the paper's list and many
/// exports write them) as separate initials (`T. M.`), so that a style
/// that initialises given names keeps them all rather than reading `TM`
/// as one name. Anything else is left as it is.
pub(super) fn spaced_initials(given: &str) -> String {
    let g = given.trim();
    let run_together = (2..=4).contains(&g.chars().count()) && g.chars().all(|c| c.is_uppercase());
    if run_together {
        g.chars()
            .map(|c| format!("{c}."))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        given.to_string()
    }
}

fn name_value(n: &Name) -> NameValue {
    match &n.literal {
        Some(l) => NameValue::Literal(LiteralName { literal: l.clone() }),
        None => NameValue::Item(NameItem {
            family: n.family.clone().unwrap_or_default(),
            given: n.given.as_deref().map(spaced_initials),
            non_dropping_particle: n.particle.clone(),
            dropping_particle: None,
            suffix: n.suffix.clone(),
            comma_suffix: None,
        }),
    }
}
