//! companion: a static-site generator for research companion sites.
//!
//! The pipeline, one module a stage:
//! [`discover`] (read files) → [`markdown`] and [`frontmatter`] (parse, with
//! positions) → [`resolve`] (one site-wide pass: URLs, links, back-links,
//! diagnostics) → [`render`] (Tera templates, in parallel, into memory) →
//! [`output`] (staging folder, then an atomic swap). The stages meet in
//! [`model`]; [`build`] runs them in order and [`cli`] is the command line.
//! [`bibliography`] reads reference files and [`citation`] recognises
//! Pandoc citations in notes.

pub mod bibliography;
pub mod build;
pub mod citation;
pub mod cite;
pub mod cli;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod ethics;
pub mod frontmatter;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod model;
pub mod new;
pub mod output;
pub mod qual;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod session;
pub mod theme;
mod timings;
pub mod urls;
