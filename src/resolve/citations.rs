//! Citations: every key checked against the bibliography (with a
//! did-you-mean), every occurrence numbered with a stable id
//! (`cite-huxham2005-2`), and the back-links of each work.

use std::collections::BTreeMap;

use super::place::Placed;
use crate::bibliography::Bibliography;
use crate::diagnostic::Diagnostic;
use crate::model::Occurrence;
use crate::urls;

/// Every citation of the site, numbered.
pub(super) struct Citations {
    /// For each page, for each of its citations, for each of its items,
    /// the index of its occurrence.
    pub(super) per_page: Vec<Vec<Vec<usize>>>,
    /// Every citation of every cited work, pages in URL order.
    pub(super) occurrences: Vec<Occurrence>,
    /// For each bibliography entry, the occurrences that cite it.
    pub(super) cited_by: Vec<Vec<usize>>,
}

/// Checks every citation key and numbers every occurrence.
pub(super) fn number(
    pages: &[Placed],
    bib: &Bibliography,
    diags: &mut Vec<Diagnostic>,
) -> Citations {
    let mut occurrences = Vec::new();
    let mut cited_by = vec![Vec::new(); bib.len()];
    let mut per_page = Vec::with_capacity(pages.len());
    for (p, sp) in pages.iter().enumerate() {
        let mut per_key: BTreeMap<String, usize> = BTreeMap::new();
        let mut ids = Vec::with_capacity(sp.page.citations.len());
        for (c, citation) in sp.page.citations.iter().enumerate() {
            let mut item_ids = Vec::with_capacity(citation.items.len());
            for (k, cref) in citation.items.iter().enumerate() {
                let key = &cref.item.key;
                let Some(r) = bib.get(key) else {
                    if bib.incomplete {
                        continue; // the bibliography's own error explains it
                    }
                    let help = bib.suggest(key).or_else(|| {
                        bib.is_empty().then(|| {
                            "no bibliography is configured: list files under [bibliography] in book.toml".to_string()
                        })
                    });
                    diags.push(
                        Diagnostic::error(
                            &sp.page.display,
                            cref.pos,
                            format!("unknown citation key `@{key}`"),
                        )
                        .with_help_opt(help),
                    );
                    continue;
                };
                let n = per_key.entry(key.clone()).or_insert(0);
                *n += 1;
                cited_by[r].push(occurrences.len());
                item_ids.push(occurrences.len());
                occurrences.push(Occurrence {
                    page: p,
                    citation: c,
                    item: k,
                    reference: r,
                    id: format!("cite-{}-{n}", urls::slugify(key)),
                });
            }
            ids.push(item_ids);
        }
        per_page.push(ids);
    }
    Citations {
        per_page,
        occurrences,
        cited_by,
    }
}
