//! The commands: the command line itself, `new` (a fresh companion from
//! the scaffold), and `serve` with its in-memory rebuild session. `build`
//! is the library's [`crate::build`].

pub mod cli;
pub mod new;
pub mod serve;
mod session;
