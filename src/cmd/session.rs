//! A compiled site kept in memory between edits (`serve`).
//!
//! Most edits change one note's prose and nothing another page shows: not
//! its front matter (title, summary, tags, fields), headings, links,
//! citations or code languages. Such an edit re-renders that one page; any
//! other change (a new, renamed or removed file, a quote, the bibliography,
//! `book.toml`, a template) goes through a full build.

use std::path::Path;

use crate::build::{Prepared, CONTENT_DIR};
use crate::config::Config;
use crate::error::Result;
use crate::model::{Page, Role};
use crate::parse::markdown;
use crate::render::theme::Theme;
use crate::{discover, ethics, render};

/// The last good build of a project.
pub(super) struct Session {
    pub config: Config,
    pub theme: Theme,
    pub prepared: Prepared,
    tera: tera::Tera,
    /// The search index of the last build, kept up to date with edits.
    search: Option<render::SearchIndex>,
    /// The page last re-rendered and its plain text, for the search index.
    edited: Option<(usize, String)>,
}

/// What other pages can show of a page: if an edit leaves this unchanged,
/// only the page itself (and the search index) changes.
fn shape(page: &Page) -> impl PartialEq + '_ {
    // Where the front matter's keys are is for errors, and the site keeps
    // no positions (`Page::resolved`): compare what they hold.
    let mut front = page.front.clone();
    front.positions.clear();
    front.values.clear();
    (
        front,
        page.headings
            .iter()
            .map(|h| (h.level, &h.text, &h.id))
            .collect::<Vec<_>>(),
        page.links
            .iter()
            .map(|l| (l.kind, &l.target))
            .collect::<Vec<_>>(),
        page.citations
            .iter()
            .map(|c| {
                (
                    c.form,
                    c.items
                        .iter()
                        .map(|i| {
                            let i = &i.item;
                            (&i.key, &i.prefix, &i.locator, &i.suffix, i.suppress_author)
                        })
                        .collect::<Vec<_>>(),
                    c.section.as_ref().map(|h| (&h.id, &h.text)),
                )
            })
            .collect::<Vec<_>>(),
        page.code_langs.iter().map(|c| &c.lang).collect::<Vec<_>>(),
    )
}

/// `path` relative to the content folder of the project at `root`, with
/// `/` separators, if it is inside it.
fn content_rel(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root.join(CONTENT_DIR)).ok()?.to_str()?;
    Some(rel.replace(std::path::MAIN_SEPARATOR, "/"))
}

/// Whether an edit from `a` to `b` leaves every other page as it was.
fn same_shape<'a>(a: &'a Page, b: &'a Page) -> bool {
    shape(a) == shape(b)
}

impl Session {
    pub(super) fn new(
        config: Config,
        theme: Theme,
        prepared: Prepared,
        search: Option<render::SearchIndex>,
    ) -> Result<Session> {
        let tera = render::templates(&theme)?;
        Ok(Session {
            config,
            theme,
            prepared,
            tera,
            search,
            edited: None,
        })
    }

    /// Re-renders the page of the note at `path` (under `root`) if the
    /// edit changed only what that page shows. Returns its output path and
    /// HTML, or `None` when a full build is needed.
    pub(super) fn update(&mut self, root: &Path, path: &Path) -> Option<(String, String)> {
        let rel = content_rel(root, path)?;
        let site = &self.prepared.site;
        let i = site.pages.iter().position(|p| p.page.rel == rel)?;
        let sp = &site.pages[i];
        // A quote's text is shown on its tensions' and speaker's pages too.
        if sp.role != Role::Page || site.qual.quote_of(i).is_some() {
            return None;
        }
        let file = discover::read_note(path, rel, sp.page.display.clone())
            .ok()?
            .ok()?;
        let names = ethics::Names::new(&self.config.ethics.never_publish);
        if !ethics::check_source(
            &file.display,
            &file.text,
            &names,
            ethics::Syntax::Text,
            None,
        )
        .is_empty()
        {
            return None;
        }
        let (page, problems) = markdown::parse_page(&file);
        if !problems.is_empty() {
            return None;
        }
        if !same_shape(&page, &sp.page) {
            return None;
        }
        let mut page = page;
        page.forget_positions();
        *self.prepared.site.pages[i].page = page;
        let input = self.prepared.input(&self.config, &self.theme);
        let (out, html, text) = render::render_one(&input, &self.tera, i).ok()?;
        if !ethics::check_file(
            &out,
            html.as_bytes(),
            &names,
            &self.config.build.output,
            None,
        )
        .is_empty()
        {
            return None;
        }
        self.edited = Some((i, text));
        Some((out, html))
    }

    /// Whether a changed path can change the site: not a folder (its files
    /// report their own changes), and not a file that is gone and was never
    /// part of the site (an editor's temporary file, renamed over a note).
    pub(super) fn affects(&self, root: &Path, path: &Path) -> bool {
        if path.is_dir() {
            return false;
        }
        if path.exists() {
            return true;
        }
        content_rel(root, path).is_none_or(|rel| self.prepared.sources.contains(&rel))
    }

    /// The search files the last one-page update changed: the shards its
    /// text touches. `None` without search (the build kept no index).
    pub(super) fn search_index(&mut self) -> Option<Vec<(String, String)>> {
        let (i, text) = self.edited.take()?;
        let input = self.prepared.input(&self.config, &self.theme);
        Some(self.search.as_mut()?.update(&input, i, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::tests::page_of as page;

    #[test]
    fn prose_edits_keep_the_shape_and_others_do_not() {
        let before = page(
            "---\ntitle: A\n---\n# One\n\nWords [@smith2010, p. 3] and [[b]].\n\n```rust\nx\n```\n",
        );
        // More prose before everything: positions move, the shape does not.
        let prose = page("---\ntitle: A\n---\nA new opening paragraph.\n\n# One\n\nOther words, [@smith2010, p. 3] and [[b]].\n\n```rust\nx\n```\n");
        assert!(same_shape(&before, &prose));
        for changed in [
            "---\ntitle: B\n---\n# One\n\nWords [@smith2010, p. 3] and [[b]].\n\n```rust\nx\n```\n",
            "---\ntitle: A\n---\n# Two\n\nWords [@smith2010, p. 3] and [[b]].\n\n```rust\nx\n```\n",
            "---\ntitle: A\n---\n# One\n\nWords [@smith2010, p. 4] and [[b]].\n\n```rust\nx\n```\n",
            "---\ntitle: A\n---\n# One\n\nWords [see @smith2010, p. 3] and [[b]].\n\n```rust\nx\n```\n",
            "---\ntitle: A\n---\n# One\n\nWords [@smith2010, p. 3] and [[c]].\n\n```rust\nx\n```\n",
            "---\ntitle: A\n---\n# One\n\nWords [@smith2010, p. 3] and [[b]].\n\n```python\nx\n```\n",
            "---\ntitle: A\n---\nWords [@smith2010, p. 3] and [[b]].\n\n# One\n\n```rust\nx\n```\n",
        ] {
            assert!(!same_shape(&before, &page(changed)), "{changed}");
        }
    }
}
