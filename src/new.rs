//! `companion new DIR`: a small working companion to start from, with
//! `book.toml` (and its `[paper]`), a tension, a participant, two quotes,
//! references in CSL-YAML, a citing note and the GitHub Pages workflow.
//! It builds with no error and no warning (tested). It only ever writes into
//! a folder that is new or empty.

use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::error::{Error, Result};

static SCAFFOLD: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold");

/// Where the workflow's `cargo install` gets companion: a git repository
/// when one is known, otherwise the crate by name.
pub fn install_source(tool_git: Option<&str>) -> String {
    let repo = tool_git
        .map(str::to_string)
        .or_else(|| option_env!("CARGO_PKG_REPOSITORY").map(str::to_string))
        .filter(|r| !r.trim().is_empty());
    match repo {
        Some(url) => format!("--git {url} companion"),
        None => "companion".to_string(),
    }
}

/// Writes the scaffold into `dir`; returns the number of files written.
pub fn scaffold(dir: &Path, install: &str) -> Result<usize> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::RefusedOutput {
                path: dir.to_path_buf(),
                reason: "it is not empty; `companion new` writes only into a new or empty folder"
                    .into(),
            });
        }
    }
    let mut written = 0;
    let mut files = Vec::new();
    collect(&SCAFFOLD, &mut files);
    for (rel, bytes) in files {
        let target = match rel.as_str() {
            "gitignore" => ".gitignore".to_string(),
            "pages.yml" => ".github/workflows/pages.yml".to_string(),
            other => other.to_string(),
        };
        let bytes = if rel == "pages.yml" {
            String::from_utf8_lossy(bytes)
                .replace("{{INSTALL}}", install)
                .into_bytes()
        } else {
            bytes.to_vec()
        };
        let path = dir.join(&target);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        written += 1;
    }
    Ok(written)
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        out.push((
            file.path().to_string_lossy().replace('\\', "/"),
            file.contents(),
        ));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
