//! Long listings split into pages a reader can open: page 1 keeps the
//! listing's URL, page `n` is at `<url>page/<n>/`. Each page links the
//! others by number (a window around the current one, the first and the
//! last), and its neighbours with `rel="prev"` / `rel="next"`.

use std::ops::Range;

use serde::Serialize;

use crate::urls;

/// The site-relative URL of page `k` (0-based) of the listing at `base`.
pub(crate) fn url(base: &str, k: usize) -> String {
    if k == 0 {
        base.to_string()
    } else {
        format!("{base}page/{}/", k + 1)
    }
}

/// How many pages `len` entries take, `size` to a page (at least one, so
/// an empty listing still has its page).
pub(crate) fn count(len: usize, size: usize) -> usize {
    len.div_ceil(size).max(1)
}

/// Page `k` (0-based) of a listing, `size` entries to a page.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slice {
    pub k: usize,
    pub size: usize,
}

impl Slice {
    /// The entries on this page, of `len`.
    pub(crate) fn range(self, len: usize) -> Range<usize> {
        (self.k * self.size).min(len)..((self.k + 1) * self.size).min(len)
    }

    /// Which page entry `n` is on.
    pub(crate) fn page_of(self, n: usize) -> usize {
        n / self.size
    }
}

/// What a template needs to show where a page stands among its listing's
/// pages. A page that is not split has `total` 1 and no links.
#[derive(Serialize, Debug, PartialEq)]
pub(crate) struct Pager {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The numbered links, with `None` for a gap (`…`).
    pub links: Vec<Option<PageLink>>,
}

#[derive(Serialize, Debug, PartialEq)]
pub(crate) struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

/// The pager of page `k` (0-based) of `total` pages of the listing at
/// `base`, its links relative to that page.
pub(crate) fn pager(base: &str, k: usize, total: usize, index_html: bool) -> Pager {
    let from = url(base, k);
    let href = |n: usize| urls::relative_href(&from, &url(base, n), None, index_html);
    let mut links = Vec::new();
    if total > 1 {
        let mut last = None;
        for n in 0..total {
            // The first, the last, and two either side of the current one.
            if n == 0 || n + 1 == total || n.abs_diff(k) <= 2 {
                if last.is_some_and(|l| l + 1 != n) {
                    links.push(None);
                }
                links.push(Some(PageLink {
                    number: n + 1,
                    href: href(n),
                    current: n == k,
                }));
                last = Some(n);
            }
        }
    }
    Pager {
        current: k + 1,
        total,
        prev: k.checked_sub(1).map(href),
        next: (k + 1 < total).then(|| href(k + 1)),
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_keeps_the_listing_url() {
        assert_eq!(url("quotes/", 0), "quotes/");
        assert_eq!(url("quotes/", 1), "quotes/page/2/");
        assert_eq!(url("", 2), "page/3/");
    }

    #[test]
    fn entries_fill_pages_in_order() {
        assert_eq!(count(0, 50), 1);
        assert_eq!(count(50, 50), 1);
        assert_eq!(count(51, 50), 2);
        let page = |k| Slice { k, size: 50 };
        assert_eq!(page(0).range(51), 0..50);
        assert_eq!(page(1).range(51), 50..51);
        assert_eq!(page(2).range(51), 51..51);
        assert_eq!(page(0).page_of(49), 0);
        assert_eq!(page(0).page_of(50), 1);
    }

    #[test]
    fn links_are_relative_to_each_page() {
        let p = pager("quotes/", 1, 3, true);
        assert_eq!(p.prev.as_deref(), Some("../../index.html"));
        assert_eq!(p.next.as_deref(), Some("../3/index.html"));
        let first = pager("quotes/", 0, 3, false);
        assert_eq!(first.prev, None);
        assert_eq!(first.next.as_deref(), Some("page/2/"));
        let last = pager("quotes/", 2, 3, false);
        assert_eq!(last.next, None);
        assert_eq!(last.prev.as_deref(), Some("../2/"));
    }

    #[test]
    fn long_runs_of_pages_are_elided_around_the_current_one() {
        let numbers = |k: usize, total: usize| -> Vec<String> {
            pager("a-z/", k, total, false)
                .links
                .iter()
                .map(|l| match l {
                    Some(l) if l.current => format!("[{}]", l.number),
                    Some(l) => l.number.to_string(),
                    None => "…".into(),
                })
                .collect()
        };
        assert_eq!(numbers(0, 1), Vec::<String>::new());
        assert_eq!(numbers(0, 3), ["[1]", "2", "3"]);
        assert_eq!(numbers(0, 20), ["[1]", "2", "3", "…", "20"]);
        assert_eq!(
            numbers(9, 20),
            ["1", "…", "8", "9", "[10]", "11", "12", "…", "20"]
        );
        assert_eq!(numbers(19, 20), ["1", "…", "18", "19", "[20]"]);
        // No gap where the window meets the ends.
        assert_eq!(numbers(3, 20), ["1", "2", "3", "[4]", "5", "6", "…", "20"]);
    }
}
