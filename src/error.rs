//! Failures that stop a run: usage, configuration, I/O, templates, and an
//! output folder the tool refuses to touch. Each maps to exit code 2; content
//! problems are [`crate::diagnostic::Diagnostic`]s and exit with 1.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `book.toml` is missing or wrong. The message already holds the position.
    Config(String),
    /// A theme template failed to parse or render.
    Template(String),
    /// The output folder is not safe to replace.
    RefusedOutput { path: PathBuf, reason: String },
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Config(msg) => write!(f, "{msg}"),
            Error::Template(msg) => write!(f, "error: template: {msg}"),
            Error::RefusedOutput { path, reason } => {
                write!(f, "error: refusing to replace {}: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for Error {}
