//! [`SiteTest`]: a project in a temporary folder, built through the library
//! for tests of what pages show, or by running the binary for tests of the
//! command line (arguments, messages, exit codes). mdBook's `BookTest` is
//! the model.
//!
//! ```ignore
//! let built = SiteTest::new()
//!     .file("content/index.md", "---\ntitle: Home\n---\n[[b]]\n")
//!     .file("content/b.md", "---\ntitle: B\n---\n")
//!     .build()
//!     .succeeded();
//! assert!(built.page("index.html").contains("title=\"B\">B</a>"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{self, Run};

/// A project being set up for one test; the folder goes when it drops.
pub(crate) struct SiteTest {
    dir: tempfile::TempDir,
}

impl SiteTest {
    /// An empty project: a `book.toml` with a site title and nothing else.
    pub(crate) fn new() -> SiteTest {
        SiteTest::empty().file("book.toml", common::BOOK)
    }

    /// A project with no files at all.
    pub(crate) fn empty() -> SiteTest {
        SiteTest {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of the shipped companion (`book.toml`, `content/`, `themes/`).
    pub(crate) fn shipped() -> SiteTest {
        SiteTest {
            dir: common::shipped_project(),
        }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> SiteTest {
        let test = SiteTest::empty();
        common::copy_dir(
            &common::repo().join("tests/fixtures").join(name),
            test.root(),
        );
        test
    }

    /// Writes `text` to `path` (relative to the project), making folders
    /// and replacing what was there.
    pub(crate) fn file(self, path: &str, text: &str) -> SiteTest {
        common::write_files(self.root(), &[(path, text)]);
        self
    }

    /// Writes each `(path, text)` like [`SiteTest::file`].
    pub(crate) fn files(self, files: &[(&str, &str)]) -> SiteTest {
        common::write_files(self.root(), files);
        self
    }

    /// Like [`SiteTest::file`], after the project was built.
    pub(crate) fn change_file(&self, path: &str, text: &str) {
        common::write_files(self.root(), &[(path, text)]);
    }

    /// Like [`SiteTest::files`], after the project was built.
    pub(crate) fn change_files(&self, files: &[(&str, &str)]) {
        common::write_files(self.root(), files);
    }

    /// The project folder.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The default output folder, `site/`.
    pub(crate) fn output(&self) -> PathBuf {
        self.root().join("site")
    }

    /// Builds through the library, as `companion build` does: the site is
    /// written to `site/` only if there were no errors.
    pub(crate) fn build(&self) -> Built<'_> {
        let opts = companion::build::Options {
            root: self.root().to_path_buf(),
            ..Default::default()
        };
        let report = companion::build::run(&opts, true)
            .unwrap_or_else(|e| panic!("the build could not start: {e}"));
        Built {
            test: self,
            diagnostics: report.diagnostics.iter().map(|d| d.to_string()).collect(),
            failed: report.failed(),
        }
    }

    /// Runs `companion --root <project> ARGS`.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        common::run(self.root(), args)
    }

    /// Like [`SiteTest::run`], with environment variables set.
    pub(crate) fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        common::run_env(self.root(), args, env)
    }

    /// Like [`SiteTest::run`], but fails the test if the run has not
    /// finished within `limit` (`what` says what would hang).
    pub(crate) fn run_within(&self, args: &[&str], limit: std::time::Duration, what: &str) -> Run {
        common::run_within(self.root(), args, limit, what)
    }

    /// Every file of the output folder with its bytes.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        common::snapshot(&self.output())
    }

    /// The text of output file `path` (relative to `site/`).
    pub(crate) fn page(&self, path: &str) -> String {
        let full = self.output().join(path);
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    /// Every link in the output, checked: the links and the problems.
    pub(crate) fn check_links(&self, base_path: &str) -> (Vec<common::Link>, Vec<String>) {
        common::check_links(&self.output(), base_path)
    }
}

/// A build through the library: its diagnostics as `companion build`
/// prints them (`path:line:col: error: …`), and its output.
pub(crate) struct Built<'a> {
    test: &'a SiteTest,
    pub(crate) diagnostics: Vec<String>,
    failed: bool,
}

impl<'a> Built<'a> {
    /// Fails the test unless the build found no errors and no warnings.
    pub(crate) fn clean(self) -> Built<'a> {
        assert!(
            self.diagnostics.is_empty(),
            "expected a clean build:\n{}",
            self.diagnostics.join("\n")
        );
        self
    }

    /// Fails the test if the build found errors (warnings are allowed).
    pub(crate) fn succeeded(self) -> Built<'a> {
        assert!(
            !self.failed,
            "the build failed:\n{}",
            self.diagnostics.join("\n")
        );
        self
    }

    /// Fails the test unless the build found errors.
    pub(crate) fn failed(self) -> Built<'a> {
        assert!(
            self.failed,
            "expected errors, got:\n{}",
            self.diagnostics.join("\n")
        );
        self
    }

    /// Whether the build found errors (for tests that report with
    /// `prop_assert!` rather than failing at once).
    pub(crate) fn has_errors(&self) -> bool {
        self.failed
    }

    /// The diagnostics, one per line, as the command line prints them.
    pub(crate) fn stderr(&self) -> String {
        self.diagnostics.join("\n")
    }

    /// The text of output file `path` (relative to `site/`).
    pub(crate) fn page(&self, path: &str) -> String {
        self.test.page(path)
    }
}
