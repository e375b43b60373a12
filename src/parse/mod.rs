//! Parse: each note's front matter (checked against its kind's schema,
//! then read into typed data) and its Markdown body (headings, links,
//! embeds, citations in Pandoc's syntax, code blocks, numbered figures and
//! tables), with file positions
//! for every diagnostic.

pub mod citation_syntax;
pub mod crossref;
pub mod frontmatter;
pub mod markdown;
