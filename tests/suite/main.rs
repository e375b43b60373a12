//! The integration test suite: one binary, one module per feature.
//!
//! Where a new test goes: a test of what a page shows goes in the module of
//! that feature; a bad input with an exact expected message is a folder in
//! `tests/fixtures/` named by what it checks (see `fixtures.rs`). Build a
//! project with [`site::SiteTest`]: it builds through the library for
//! content tests and runs the binary for command-line and exit-code tests.

mod common;
mod site;

mod browser;
mod citations;
mod cli;
mod crash;
mod escaping;
mod ethics_property;
mod fixtures;
mod limits;
mod links;
mod links_property;
mod navigation;
mod new;
mod one_error;
mod output_safety;
pub(crate) mod pagination;
mod pandoc;
mod pictures;
mod qda;
mod qda_import;
mod quotes;
mod readme;
mod repo_paths;
mod search;
mod serve;
mod shipped;
mod shipped_content;
mod sources;
mod themes;
mod typography;
mod validate;
mod whole_library;
