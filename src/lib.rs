//! companion: a static-site generator for research companion sites.
//!
//! The pipeline, one folder a stage:
//! `discover` (read `content/`) → [`parse`] (front matter and Markdown,
//! with positions) → `resolve` (one site-wide pass: URLs, links,
//! back-links, tensions and quotes, diagnostics) → `render` (Tera
//! templates, in parallel, into memory) → `write` (a staging folder, then
//! an atomic swap). [`bibliography`] reads reference files and [`csl`]
//! formats citations with a CSL style. The stages meet in [`model`];
//! [`build`] runs them in order and [`cmd`] holds the commands.

pub mod bibliography;
pub mod build;
pub mod cmd;
mod config;
pub mod csl;
mod dates;
mod diagnostic;
mod discover;
mod error;
mod ethics;
mod html;
mod math;
pub mod model;
pub mod parse;
pub mod qda;
mod render;
mod resolve;
mod timings;
pub mod urls;
mod write;
