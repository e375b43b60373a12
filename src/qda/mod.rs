//! REFI-QDA, the exchange format of qualitative data analysis software
//! (NVivo, ATLAS.ti, MAXQDA, QualCoder; Taguette's codebooks): `export`
//! writes a companion's analysis as a project or a codebook; `import`
//! reads a codebook's codes into tension notes, and a whole project's
//! coded selections into quote notes.

mod archive;
mod export;
mod import;
mod project;
mod qdpx;

pub(crate) use export::{codebook, qdpx};
pub(crate) use import::{import_codebook, Plan};
#[doc(hidden)]
pub use qdpx::fuzz_plan;
pub(crate) use qdpx::{import_project, Request, Unit};
