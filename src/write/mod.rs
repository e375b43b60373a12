//! Write: the rendered site onto disk, all or nothing.
//!
//! Files go to a staging folder beside the output, which is then swapped in
//! with two renames; a failed build never touches the previous output. The
//! tool only ever replaces or deletes a folder that carries its marker file,
//! and refuses, before any work, folders that could hold someone's files.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Files;

/// Marks a folder as written by companion; only such folders are replaced.
pub(crate) const MARKER: &str = ".companion-output";

/// Files companion itself writes at the top of the output folder that
/// start with a dot.
const OUR_DOTFILES: [&str; 2] = [MARKER, ".nojekyll"];

/// Checks that `out` may be replaced, and returns it as an absolute path
/// with `.` and `..` resolved. Called before any other work.
pub(crate) fn check_target(root: &Path, content: &Path, out: &Path) -> Result<PathBuf> {
    let refuse = |reason: &str| {
        Err(Error::RefusedOutput {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return refuse("it is a symbolic link; name the real folder instead");
    }
    let root = real(root)?;
    let content = real(content)?;
    let target = real(out)?;
    if target.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        if let Ok(home) = real(Path::new(&home)) {
            if target == home {
                return refuse("it is your home folder");
            }
        }
    }
    if root.starts_with(&target) {
        return refuse("it is the project folder or holds it");
    }
    if target.starts_with(&content) || content.starts_with(&target) {
        return refuse("it holds or is inside the content folder");
    }
    if target.starts_with(root.join("themes")) {
        return refuse("it is inside the themes folder");
    }
    if target.exists() {
        if !target.is_dir() {
            return refuse("it is a file, not a folder");
        }
        if let Some(reason) = not_ours(&target)? {
            return refuse(&reason);
        }
    }
    Ok(target)
}

/// Why an existing folder may not be replaced, if it may not: it has no
/// marker (and is not empty), or it holds dot-files companion did not write
/// (a `.git` of a `gh-pages` worktree, a `.well-known`), which a swap would
/// delete.
fn not_ours(dir: &Path) -> Result<Option<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    if names.is_empty() {
        return Ok(None);
    }
    if !names.iter().any(|n| n == MARKER) {
        return Ok(Some(format!(
            "not created by companion (no {MARKER} marker); choose an empty or new folder"
        )));
    }
    if names.iter().any(|n| n == ".git") {
        return Ok(Some(
            "it holds a .git folder (a gh-pages worktree?); build into another folder and copy, or publish with the GitHub Actions workflow".into(),
        ));
    }
    if let Some(other) = names
        .iter()
        .find(|n| n.starts_with('.') && !OUR_DOTFILES.contains(&n.as_str()))
    {
        return Ok(Some(format!(
            "it holds {other}, which companion did not write and a build would delete; move it out first"
        )));
    }
    Ok(None)
}

/// Where rendered files go, as they are rendered (pages in parallel).
pub trait Sink: Sync {
    /// Stores one file at `path`, relative to the output folder.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;
}

/// Keeps every file in memory (`serve`, tests).
#[derive(Default)]
pub(crate) struct Memory(std::sync::Mutex<Files>);

impl Memory {
    pub(crate) fn into_files(self) -> Files {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Drops every file (`check`).
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> Result<()> {
        Ok(())
    }
}

/// A staging folder beside the output: files are written there as they are
/// rendered, and [`Staging::commit`] swaps it in with two renames. Dropped
/// without a commit, it is deleted and the previous output stays as it was.
pub(crate) struct Staging {
    out: PathBuf,
    parent: PathBuf,
    dir: tempfile::TempDir,
}

impl Staging {
    /// Creates the staging folder for the output folder `out` (already
    /// checked by [`check_target`]), after removing any a killed build left.
    pub(crate) fn new(out: &Path) -> Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = out_name(out);
        remove_stale(&parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        write_file(
            &dir.path().join(MARKER),
            b"This folder is written by companion; it is replaced on every build.\n",
        )?;
        Ok(Staging {
            out: out.to_path_buf(),
            parent,
            dir,
        })
    }

    /// Swaps the staging folder in for the output folder: one atomic
    /// exchange where the system has it (Linux), so a build killed at any
    /// moment leaves either the previous output or the new one in place.
    pub(crate) fn commit(self) -> Result<()> {
        let Staging { out, parent, dir } = self;
        set_public(dir.path())?;
        let stage = dir.keep();
        if out.exists() {
            if exchange(&stage, &out).is_ok() {
                // The previous output now sits at the staging path.
                return remove_ours(&stage);
            }
            // Two renames; a build killed between them leaves the previous
            // output at `.old-…`, which the next build puts back first.
            let old = parent.join(format!(".{}.old-{}", out_name(&out), std::process::id()));
            if let Err(e) = std::fs::rename(&out, &old) {
                let _ = remove_ours(&stage);
                return Err(Error::io(&out, e));
            }
            if let Err(e) = std::fs::rename(&stage, &out) {
                let _ = std::fs::rename(&old, &out);
                let _ = remove_ours(&stage);
                return Err(Error::io(&out, e));
            }
            remove_ours(&old)?;
        } else if let Err(e) = std::fs::rename(&stage, &out) {
            let _ = remove_ours(&stage);
            return Err(Error::io(&out, e));
        }
        Ok(())
    }
}

/// Swaps two paths atomically (`renameat2` with `RENAME_EXCHANGE`): the
/// crate's one unsafe call.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = safe_join(self.dir.path(), rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        write_file(&path, bytes)
    }
}

fn out_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into())
}

/// Deletes the output folder, if it is one of ours.
pub(crate) fn clean(out: &Path) -> Result<bool> {
    if !out.exists() {
        return Ok(false);
    }
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::RefusedOutput {
            path: out.to_path_buf(),
            reason: "it is a symbolic link".into(),
        });
    }
    if let Some(reason) = not_ours(out)? {
        return Err(Error::RefusedOutput {
            path: out.to_path_buf(),
            reason,
        });
    }
    remove_ours(out)?;
    Ok(true)
}

/// What a killed build left beside the output: a previous output moved
/// aside between two renames is put back (if the output is missing), then
/// staging and old folders are deleted if they carry the marker, or if
/// they are empty (killed before the marker was written).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            file_name.starts_with(&format!(".{name}.staging-"))
                || file_name.starts_with(&format!(".{name}.old-"))
        })
        .map(|e| e.path())
        .collect();
    stale.sort();
    let out = parent.join(name);
    for path in stale {
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let marked = path.join(MARKER).is_file();
        if marked
            && file_name.starts_with(&format!(".{name}.old-"))
            && !out.exists()
            && std::fs::rename(&path, &out).is_ok()
        {
            continue;
        }
        if marked {
            let _ = remove_ours(&path);
        } else {
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// Deletes a folder that carries the marker, the marker last: a deletion
/// cut short leaves a folder still known to be ours, which the next build
/// finishes deleting.
fn remove_ours(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let gone = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        gone.map_err(|e| Error::io(&path, e))?;
    }
    let marker = dir.join(MARKER);
    if marker.exists() {
        std::fs::remove_file(&marker).map_err(|e| Error::io(&marker, e))?;
    }
    std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Joins a rendered path under `base`, refusing anything that could leave it.
fn safe_join(base: &Path, rel: &str) -> Result<PathBuf> {
    let p = Path::new(rel);
    if p.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(base.join(p))
    } else {
        Err(Error::RefusedOutput {
            path: base.join(rel),
            reason: "the path would leave the output folder".into(),
        })
    }
}

#[cfg(unix)]
fn set_public(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io(dir, e))
}

#[cfg(not(unix))]
fn set_public(_: &Path) -> Result<()> {
    Ok(())
}

/// An absolute path with symlinks resolved as far as the path exists.
fn real(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(path)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return Ok(out);
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` into a staging folder beside `out` and swaps it in.
    fn write(out: &Path, files: &Files) -> Result<()> {
        let staging = Staging::new(out)?;
        for (rel, bytes) in files {
            staging.put(rel, bytes)?;
        }
        staging.commit()
    }

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn write_swaps_and_replaces_only_our_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write(
            &out,
            &files(&[("index.html", "one"), ("a/index.html", "a")]),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a"
        );
        assert!(out.join(MARKER).is_file());
        write(&out, &files(&[("index.html", "two")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "old files are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folders remain");
    }

    #[test]
    fn targets_that_are_not_ours_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let foreign = dir.path().join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "x").unwrap();
        for bad in [
            root.clone(),
            content.clone(),
            content.join("out"),
            dir.path().to_path_buf(),
            foreign.clone(),
            PathBuf::from("/"),
        ] {
            assert!(
                check_target(&root, &content, &bad).is_err(),
                "{bad:?} must be refused"
            );
        }
        assert_eq!(
            check_target(&root, &content, &root.join("site/x/..")).unwrap(),
            root.canonicalize().unwrap().join("site")
        );
        assert!(check_target(&root, &content, &root.join("themes/default/static/site")).is_err());
        assert!(check_target(&root, &content, &root.join("../proj/site")).is_ok());
        assert!(check_target(&root, &content, &root.join("site/../content")).is_err());
        assert!(clean(&foreign).is_err());
        assert!(foreign.join("keep.txt").exists());
    }

    /// What a killed build can leave: the previous output moved aside
    /// between two renames (put back), a marked staging folder (deleted),
    /// an empty one killed before its marker (deleted); a folder that only
    /// looks like ours is left alone.
    #[test]
    fn leftovers_of_a_killed_build_are_put_back_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path();
        let old = parent.join(".site.old-42");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(MARKER), "").unwrap();
        std::fs::write(old.join("index.html"), "previous").unwrap();
        let staged = parent.join(".site.staging-abc");
        std::fs::create_dir_all(staged.join("a")).unwrap();
        std::fs::write(staged.join(MARKER), "").unwrap();
        let empty = parent.join(".site.staging-def");
        std::fs::create_dir_all(&empty).unwrap();
        let foreign = parent.join(".site.staging-xyz");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();

        remove_stale(parent, "site");
        assert_eq!(
            std::fs::read_to_string(parent.join("site/index.html")).unwrap(),
            "previous"
        );
        assert!(!old.exists() && !staged.exists() && !empty.exists());
        assert!(foreign.join("keep.txt").exists());
    }

    #[test]
    fn paths_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        assert!(safe_join(dir.path(), "../x").is_err());
        assert!(safe_join(dir.path(), "/etc/x").is_err());
        assert!(safe_join(dir.path(), "a/b.html").is_ok());
    }
}
