//! `companion new DIR`: a small working companion to start from, with
//! `book.toml` (and its `[paper]`), a tension, a participant, two quotes,
//! references in CSL-YAML, a citing note and the GitHub Pages workflow.
//! It builds with no error and no warning (tested).
//!
//! It writes into a new or empty folder, or into a fresh repository whose
//! only content is a repository's usual files (`.git`, a README, a
//! licence…). It never overwrites a file: an existing `.gitignore` gets the
//! companion's lines appended, any other clash refuses before anything is
//! written.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::error::{Error, Result};

static SCAFFOLD: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold");

/// Where the generated workflow's `cargo install` gets companion: a Git
/// repository at a pinned revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    pub git: String,
    pub rev: String,
}

impl Install {
    /// `--tool-git` and `--tool-rev` when given; otherwise the `repository`
    /// of companion's `Cargo.toml` at the commit this binary was built
    /// from (or, for a build outside Git, the tag of its version).
    pub fn new(tool_git: Option<&str>, tool_rev: Option<&str>) -> Result<Install> {
        let git = tool_git
            .or(option_env!("CARGO_PKG_REPOSITORY"))
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .ok_or_else(|| usage("no repository to install companion from; give `--tool-git URL`"))?
            .to_string();
        let rev = match tool_rev {
            Some(rev) => rev.trim().to_string(),
            None => option_env!("COMPANION_GIT_COMMIT")
                .map(str::to_string)
                .unwrap_or_else(|| format!("refs/tags/v{}", env!("CARGO_PKG_VERSION"))),
        };
        // Both go into the workflow's YAML and a shell command line.
        let plain = |s: &str, extra: &[char]| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._/".contains(c) || extra.contains(&c))
        };
        if !plain(&git, &[':', '@', '~', '+', '%']) {
            return Err(usage(&format!(
                "`--tool-git {git}` is not a Git URL (such as https://github.com/owner/companion)"
            )));
        }
        if !plain(&rev, &[]) || rev.contains("..") {
            return Err(usage(&format!(
                "`--tool-rev {rev}` is not a commit, tag or branch name"
            )));
        }
        Ok(Install { git, rev })
    }
}

fn usage(msg: &str) -> Error {
    Error::Config(format!("error: {msg}"))
}

/// What [`scaffold`] did: the files it wrote and the files it left alone,
/// as paths relative to the folder.
#[derive(Debug, Default)]
pub struct Scaffolded {
    pub written: Vec<String>,
    /// Existing files the scaffold added lines to (`.gitignore`).
    pub appended: Vec<String>,
    /// Existing entries left as they were (README, LICENSE, `.git`…).
    pub kept: Vec<String>,
}

/// Whether a top-level entry is one a fresh repository holds: what GitHub,
/// GitLab or `git init` create, and the files a repository usually starts
/// with. Nothing here is ever overwritten.
fn usual_repository_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or("");
    matches!(
        lower.as_str(),
        ".git"
            | ".gitignore"
            | ".gitattributes"
            | ".github"
            | ".gitlab"
            | ".editorconfig"
            | ".ds_store"
            | "citation.cff"
            | ".zenodo.json"
    ) || matches!(
        stem,
        "readme"
            | "license"
            | "licence"
            | "copying"
            | "contributing"
            | "code_of_conduct"
            | "security"
            | "authors"
            | "notice"
    )
}

/// The scaffold's files: their path in the new companion and contents.
fn files(install: &Install) -> Vec<(String, Vec<u8>)> {
    let mut raw = Vec::new();
    collect(&SCAFFOLD, &mut raw);
    raw.into_iter()
        .map(|(rel, bytes)| match rel.as_str() {
            "gitignore" => (".gitignore".to_string(), bytes.to_vec()),
            "pages.yml" => (
                ".github/workflows/pages.yml".to_string(),
                String::from_utf8_lossy(bytes)
                    .replace("{{GIT}}", &install.git)
                    .replace("{{REV}}", &install.rev)
                    .into_bytes(),
            ),
            _ => (rel, bytes.to_vec()),
        })
        .collect()
}

/// Writes the scaffold into `dir`: a new or empty folder, or a fresh
/// repository (see `usual_repository_file`). Refuses, having written
/// nothing, when the folder holds anything else or a file would be replaced.
pub fn scaffold(dir: &Path, install: &Install) -> Result<Scaffolded> {
    let mut done = Scaffolded::default();
    if dir.exists() {
        let mut other = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let name = entry
                .map_err(|e| Error::io(dir, e))?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if usual_repository_file(&name) {
                done.kept.push(name);
            } else {
                other.push(name);
            }
        }
        if !other.is_empty() {
            other.sort();
            return Err(refuse(
                dir,
                format!(
                    "it is not empty: it holds {}\n  = help: `companion new` writes only into a \
                     new or empty folder, or a fresh repository holding only files such as \
                     README, LICENSE and .git",
                    quoted(&other)
                ),
            ));
        }
        done.kept.sort();
    }
    let files = files(install);
    let clashes: Vec<String> = files
        .iter()
        .map(|(rel, _)| rel)
        .filter(|rel| *rel != ".gitignore" && std::fs::symlink_metadata(dir.join(rel)).is_ok())
        .cloned()
        .collect();
    if !clashes.is_empty() {
        return Err(refuse(
            dir,
            format!(
                "it already holds {}, which `companion new` would replace\n  = help: move it \
                 aside first",
                quoted(&clashes)
            ),
        ));
    }
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if rel == ".gitignore" && path.exists() {
            if append_missing_lines(&path, &bytes)? {
                done.appended.push(rel);
            }
            continue;
        }
        write_new(&path, &bytes)?;
        done.written.push(rel);
    }
    done.kept.retain(|k| !done.appended.contains(k));
    Ok(done)
}

/// What `companion new` prints: every file written, every file left
/// alone, where the workflow installs companion from, and what to do next.
pub fn report(dir: &Path, install: &Install, done: &Scaffolded) -> String {
    let mut out = format!(
        "wrote a new companion into {} ({} files):\n",
        dir.display(),
        done.written.len()
    );
    for f in &done.written {
        out.push_str(&format!("  {f}\n"));
    }
    for f in &done.appended {
        out.push_str(&format!("added companion's lines to {f}\n"));
    }
    if !done.kept.is_empty() {
        out.push_str(&format!("left as they were: {}\n", done.kept.join(", ")));
    }
    let root = if dir == Path::new(".") {
        String::new()
    } else {
        format!("--root {} ", dir.display())
    };
    out.push_str(&format!(
        "the Pages workflow installs companion from {} at {}\n\
         next: `companion {root}serve` to preview at http://127.0.0.1:3000/; then commit, \
         push, and set the repository's Settings → Pages → Source to \"GitHub Actions\"\n",
        install.git, install.rev
    ));
    out
}

fn refuse(dir: &Path, reason: String) -> Error {
    Error::Config(format!(
        "error: not starting a companion in {}: {reason}",
        dir.display()
    ))
}

fn quoted(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    match (names.len(), shown.split_last()) {
        (n, _) if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        (_, Some((last, rest))) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => shown.join(", "),
    }
}

/// Creates `path` (and its folders); fails rather than replace a file that
/// appeared since the check.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))
}

/// Appends the lines of `ours` that `path` lacks; true if it added any.
fn append_missing_lines(path: &PathBuf, ours: &[u8]) -> Result<bool> {
    let theirs = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let have: Vec<&str> = theirs.lines().map(str::trim).collect();
    let ours = String::from_utf8_lossy(ours);
    let missing: Vec<&str> = ours
        .lines()
        .filter(|l| !l.trim().is_empty() && !have.contains(&l.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = theirs;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("\n# companion's output folder\n");
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    Ok(true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_repository_holds_only_usual_files() {
        for ok in [
            ".git",
            "README.md",
            "LICENSE",
            "LICENCE.txt",
            "COPYING",
            ".gitignore",
            "CITATION.cff",
            ".github",
        ] {
            assert!(usual_repository_file(ok), "{ok}");
        }
        for no in [
            "thesis.tex",
            "content",
            "book.toml",
            "notes.md",
            "site",
            "readme-draft-2",
        ] {
            assert!(!usual_repository_file(no), "{no}");
        }
    }

    #[test]
    fn install_defaults_to_the_repository_at_a_pinned_revision() {
        let i = Install::new(None, None).unwrap();
        assert_eq!(i.git, env!("CARGO_PKG_REPOSITORY"));
        assert!(
            i.rev.len() == 40 && i.rev.bytes().all(|b| b.is_ascii_hexdigit())
                || i.rev == format!("refs/tags/v{}", env!("CARGO_PKG_VERSION")),
            "{}",
            i.rev
        );
        let i = Install::new(Some("file:///tmp/c"), Some("v1.2.0")).unwrap();
        assert_eq!(
            (i.git.as_str(), i.rev.as_str()),
            ("file:///tmp/c", "v1.2.0")
        );
        assert!(Install::new(Some("x\"; rm -rf ~"), None).is_err());
        assert!(Install::new(None, Some("$(id)")).is_err());
        assert!(Install::new(None, Some("")).is_err());
    }
}
