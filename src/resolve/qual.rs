//! The qualitative side of a companion: tensions, the quotes coded with
//! them, and the participants who said them.
//!
//! Runs inside resolve: checks every id a quote or tension names (speaker,
//! tensions, poles, related tensions) with did-you-mean help, and builds
//! the cross-references the pages list: quotes per tension grouped by pole
//! and speaker, quotes per participant, and tension co-occurrence.

use std::collections::BTreeMap;

use super::Placed;
use crate::diagnostic::{did_you_mean, Diagnostic, Pos};
use crate::model::{Kind, KindData, ParticipantInfo, Qual, QuoteInfo, Role, TensionInfo};

/// Builds the cross-references, reporting every id that does not resolve.
pub(crate) fn build(pages: &[Placed], diags: &mut Vec<Diagnostic>) -> Qual {
    let mut participants = participants(pages);
    let mut tensions = tensions(pages, diags);
    let ids = Ids::new(pages, &tensions, &participants);
    relate_tensions(pages, &mut tensions, &ids, diags);
    let mut quotes: Vec<QuoteInfo> = of_kind(pages, Kind::Quote)
        .filter_map(|(i, p)| quote(pages, i, p, &tensions, &ids, diags))
        .collect();
    check_policy_periods(pages, diags);
    list_quotes(pages, &mut quotes, &mut tensions, &mut participants);
    let cooccurrence = cooccurrence(&quotes, tensions.len());
    let mut qual = Qual {
        tensions,
        quotes,
        participants,
        cooccurrence,
        by_page: Default::default(),
    };
    qual.index_pages();
    qual
}

/// The notes of kind `k`, with their indices.
fn of_kind(pages: &[Placed], k: Kind) -> impl Iterator<Item = (usize, &Placed)> {
    pages
        .iter()
        .enumerate()
        .filter(move |(_, p)| p.role == Role::Page && p.page.front.kind() == k)
}

/// Where front-matter key `key` of `p` was written.
fn pos(p: &Placed, key: &str) -> Pos {
    p.page
        .front
        .positions
        .get(key)
        .copied()
        .unwrap_or(Pos::START)
}

/// Every participant, by pseudonym.
fn participants(pages: &[Placed]) -> Vec<ParticipantInfo> {
    let mut participants: Vec<ParticipantInfo> = of_kind(pages, Kind::Participant)
        .map(|(i, p)| {
            let (pseudonym, role) = match &p.page.front.data {
                KindData::Participant(d) => (d.pseudonym.clone(), d.role.clone()),
                _ => (None, None),
            };
            ParticipantInfo {
                page: i,
                pseudonym: pseudonym.unwrap_or_else(|| p.page.front.title.clone()),
                role,
                quotes: Vec::new(),
            }
        })
        .collect();
    participants.sort_by(|a, b| (&a.pseudonym, a.page).cmp(&(&b.pseudonym, b.page)));
    participants
}

/// Every tension, in the paper's order of levels, then by `order` and
/// title; a tension without two poles is an error.
fn tensions(pages: &[Placed], diags: &mut Vec<Diagnostic>) -> Vec<TensionInfo> {
    let mut tensions: Vec<TensionInfo> = Vec::new();
    for (i, p) in of_kind(pages, Kind::Tension) {
        let KindData::Tension(tension) = &p.page.front.data else {
            continue;
        };
        let poles = tension.poles.clone();
        if poles.len() != 2 && p.page.front.valid("poles") {
            diags.push(Diagnostic::error(
                &p.page.display,
                pos(p, "poles"),
                format!("a tension has two poles; found {}", poles.len()),
            ));
        }
        tensions.push(TensionInfo {
            page: i,
            poles,
            level: tension.level,
            related: Vec::new(),
            quotes: Vec::new(),
        });
    }
    tensions.sort_by(|a, b| {
        let key = |t: &TensionInfo| {
            let f = &pages[t.page].page.front;
            (
                // The paper's order; a tension without a level last.
                t.level.map_or(usize::MAX, |l| l as usize),
                f.order.unwrap_or(i64::MAX),
                f.title.clone(),
                t.page,
            )
        };
        key(a).cmp(&key(b))
    });
    tensions
}

/// Tensions and participants by id.
struct Ids<'a> {
    tensions: BTreeMap<&'a str, usize>,
    participants: BTreeMap<&'a str, usize>,
}

impl<'a> Ids<'a> {
    fn new(
        pages: &'a [Placed],
        tensions: &[TensionInfo],
        participants: &[ParticipantInfo],
    ) -> Ids<'a> {
        Ids {
            tensions: tensions
                .iter()
                .enumerate()
                .map(|(t, info)| (pages[info.page].id.as_str(), t))
                .collect(),
            participants: participants
                .iter()
                .enumerate()
                .map(|(n, info)| (pages[info.page].id.as_str(), n))
                .collect(),
        }
    }

    /// Help for a tension id that names none.
    fn unknown_tension(&self, id: &str) -> Option<String> {
        did_you_mean(id, self.tensions.keys().copied()).or_else(|| {
            self.tensions
                .is_empty()
                .then(|| "declare tensions as notes with `kind: tension`".to_string())
        })
    }
}

/// Each tension's `related` tensions, by index.
fn relate_tensions(
    pages: &[Placed],
    tensions: &mut [TensionInfo],
    ids: &Ids<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    for info in tensions.iter_mut() {
        let p = &pages[info.page];
        let KindData::Tension(tension) = &p.page.front.data else {
            continue;
        };
        for id in &tension.related {
            match ids.tensions.get(id.as_str()) {
                Some(&r) => info.related.push(r),
                None => diags.push(
                    Diagnostic::error(
                        &p.page.display,
                        p.page.front.value_pos("related", id, None),
                        format!("unknown tension `{id}` in `related`"),
                    )
                    .with_help_opt(ids.unknown_tension(id)),
                ),
            }
        }
    }
}

/// Quote note `i` with its speaker and tensions resolved, or `None` (and
/// the errors) if its speaker does not resolve. A tension or pole that
/// does not resolve is left out of its tags.
fn quote(
    pages: &[Placed],
    i: usize,
    p: &Placed,
    tensions: &[TensionInfo],
    ids: &Ids<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<QuoteInfo> {
    let front = &p.page.front;
    // A quote whose speaker or tensions already have an error is left
    // out of the cross-references rather than reported again.
    if !front.valid("speaker") || !front.valid("tensions") || !front.valid("pole") {
        return None;
    }
    let KindData::Quote(quote) = &front.data else {
        return None;
    };
    let speaker_id = quote.speaker.clone().unwrap_or_default();
    let Some(&speaker) = ids.participants.get(speaker_id.as_str()) else {
        let help = did_you_mean(&speaker_id, ids.participants.keys().copied()).or_else(|| {
            Some(
                "declare each speaker in content/participants/<id>.md with `kind: participant`"
                    .into(),
            )
        });
        diags.push(
            Diagnostic::error(
                &p.page.display,
                pos(p, "speaker"),
                format!("unknown participant `{speaker_id}`"),
            )
            .with_help_opt(help),
        );
        return None;
    };
    let mut tags = Vec::new();
    for tension in &quote.tensions {
        let id = tension.id();
        let pole = tension.pole(quote.pole.as_deref());
        let id_pos = front.value_pos("tensions", id, None);
        let Some(&t) = ids.tensions.get(id) else {
            diags.push(
                Diagnostic::error(&p.page.display, id_pos, format!("unknown tension `{id}`"))
                    .with_help_opt(ids.unknown_tension(id)),
            );
            continue;
        };
        let poles_known = pages[tensions[t].page].page.front.valid("poles");
        if let (Some(pole), true) = (pole, poles_known) {
            let poles = &tensions[t].poles;
            if !poles.iter().any(|p| p == pole) {
                let at = if front.positions.contains_key("pole") {
                    pos(p, "pole")
                } else {
                    front.value_pos("tensions", pole, Some(id_pos))
                };
                diags.push(
                    Diagnostic::error(
                        &p.page.display,
                        at,
                        format!(
                            "`{pole}` is not a pole of tension `{id}`; its poles are {}",
                            poles.join(" and ")
                        ),
                    )
                    .with_help_opt(did_you_mean(pole, poles.iter().map(String::as_str))),
                );
                continue;
            }
        }
        if tags.iter().any(|(x, _)| *x == t) {
            let again = Pos::new(id_pos.line, id_pos.col + 1);
            diags.push(Diagnostic::error(
                &p.page.display,
                front.value_pos("tensions", id, Some(again)),
                format!("tension `{id}` is listed twice"),
            ));
            continue;
        }
        tags.push((t, pole.map(str::to_string)));
    }
    Some(QuoteInfo {
        page: i,
        speaker,
        tags,
        places: Vec::new(),
        metaphor: quote.metaphor.clone(),
        stage: quote.stage.clone(),
        section: quote.section.clone(),
        page_no: quote.page.clone(),
    })
}

/// A policy period ends after it starts.
fn check_policy_periods(pages: &[Placed], diags: &mut Vec<Diagnostic>) {
    for (_, p) in of_kind(pages, Kind::Policy) {
        let (Some(start), KindData::Policy(policy)) = (&p.page.front.date, &p.page.front.data)
        else {
            continue;
        };
        let Some(end) = &policy.end else {
            continue;
        };
        if !p.page.front.valid("date") || !p.page.front.valid("end") {
            continue;
        }
        if end < start {
            diags.push(Diagnostic::error(
                &p.page.display,
                pos(p, "end"),
                format!("`end` ({end}) is before `date` ({start})"),
            ));
        }
    }
}

/// The quotes of each tension (by pole, then speaker, then order and
/// title) and of each participant (by order and title), and each quote's
/// place in its tensions' lists.
fn list_quotes(
    pages: &[Placed],
    quotes: &mut [QuoteInfo],
    tensions: &mut [TensionInfo],
    participants: &mut [ParticipantInfo],
) {
    for (q, quote) in quotes.iter().enumerate() {
        participants[quote.speaker].quotes.push(q);
        for (t, _) in &quote.tags {
            tensions[*t].quotes.push(q);
        }
    }
    let quote_key = |q: usize| {
        let f = &pages[quotes[q].page].page.front;
        (f.order.unwrap_or(i64::MAX), f.title.clone(), quotes[q].page)
    };
    for (t, tension) in tensions.iter_mut().enumerate() {
        let poles = &tension.poles;
        let pole_rank = |q: usize| {
            let pole = quotes[q]
                .tags
                .iter()
                .find(|(x, _)| *x == t)
                .and_then(|(_, p)| p.clone());
            pole.and_then(|p| poles.iter().position(|x| *x == p))
                .unwrap_or(poles.len())
        };
        let mut list = std::mem::take(&mut tension.quotes);
        // Each key made once (a stable sort, like `sort_by`).
        list.sort_by_cached_key(|&q| {
            (
                pole_rank(q),
                participants[quotes[q].speaker].pseudonym.clone(),
                quote_key(q),
            )
        });
        list.dedup();
        tension.quotes = list;
    }
    for p in participants.iter_mut() {
        p.quotes.sort_by_cached_key(|&q| quote_key(q));
    }
    for quote in quotes.iter_mut() {
        quote.places = vec![0; quote.tags.len()];
    }
    for (t, tension) in tensions.iter().enumerate() {
        for (place, &q) in tension.quotes.iter().enumerate() {
            if let Some(k) = quotes[q].tags.iter().position(|(x, _)| *x == t) {
                quotes[q].places[k] = place;
            }
        }
    }
}

/// How many quotes each pair of tensions share (`[a][a]`: the quotes of
/// tension `a`).
fn cooccurrence(quotes: &[QuoteInfo], n: usize) -> Vec<Vec<usize>> {
    let mut cooccurrence = vec![vec![0; n]; n];
    for quote in quotes {
        let mut ts: Vec<usize> = quote.tags.iter().map(|(t, _)| *t).collect();
        ts.sort();
        ts.dedup();
        for &a in &ts {
            for &b in &ts {
                cooccurrence[a][b] += 1;
            }
        }
    }
    cooccurrence
}
