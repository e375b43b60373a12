//! Discover: read the Markdown files under `content/`.
//!
//! The only stage besides `output` that touches the disk. Symlinks are never
//! followed (so a link out of the project is never read and a link loop never
//! hangs), text is checked for UTF-8, byte-order marks are dropped and line
//! endings become `\n`, so positions and output do not depend on the editor.

use std::collections::BTreeMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::error::{Error, Result};
use crate::model::{Asset, SourceFile};

/// Notes larger than this are refused rather than parsed.
pub(crate) const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// What discovery found: the readable notes, and problems with the rest.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub files: Vec<SourceFile>,
    /// Other files (figures, PDFs), copied to the output as they are.
    pub assets: Vec<Asset>,
    /// Notes that could not be read (too large, not UTF-8), as (path in
    /// the content folder, path shown): they keep their place in the site
    /// so that links to them are not reported as well.
    pub unreadable: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Files and folders of the content folder left out of the site:
/// `[build] exclude` in `book.toml`, gitignore-style globs relative to the
/// content folder. A pattern without `/` matches a name at any depth
/// (`README.md`, `*.docx`); one with `/` matches from the content folder
/// (`drafts/**`, `data/raw/*.csv`); a trailing `/` matches a folder and
/// everything in it (`drafts/`).
#[derive(Debug, Default)]
pub(crate) struct Exclude {
    set: globset::GlobSet,
    empty: bool,
}

impl Exclude {
    pub(crate) fn new(patterns: &[String]) -> std::result::Result<Exclude, String> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in patterns {
            let p = pattern.trim().trim_start_matches("./");
            let (p, folder) = match p.strip_suffix('/') {
                Some(stem) => (stem, true),
                None => (p, false),
            };
            let anchored = p.starts_with('/') || p.contains('/');
            let p = p.trim_start_matches('/');
            let base = if anchored {
                p.to_string()
            } else {
                format!("**/{p}")
            };
            let mut add = |glob: String| {
                globset::GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .map(|g| {
                        builder.add(g);
                    })
                    .map_err(|e| format!("`{pattern}` is not a valid pattern: {}", e.kind()))
            };
            add(base.clone())?;
            if folder {
                add(format!("{base}/**"))?;
            }
        }
        let set = builder
            .build()
            .map_err(|e| format!("invalid exclude pattern: {e}"))?;
        Ok(Exclude {
            empty: patterns.is_empty(),
            set,
        })
    }

    /// Whether `rel` (relative to the content folder, `/`-separated) is
    /// left out.
    pub(crate) fn excludes(&self, rel: &str) -> bool {
        !self.empty && self.set.is_match(rel)
    }
}

/// Reads every file under `root/content_dir`, sorted by path: notes
/// (`.md`) are decoded, other files are kept as assets, except the ones in
/// `skip` (paths relative to the root, such as the bibliography files).
/// Hidden files and folders (names starting with `.`) are left out.
pub(crate) fn discover(
    root: &Path,
    content_dir: &str,
    skip: &[String],
    exclude: &Exclude,
) -> Result<Discovered> {
    let base = root.join(content_dir);
    let mut found = Discovered::default();
    if !base.is_dir() {
        return Err(Error::Config(format!(
            "error: no {content_dir}/ folder in {}\n  = help: notes live in {content_dir}/*.md",
            root.display()
        )));
    }
    // Entries by case- and normalization-folded path, to find clashes.
    let mut folded: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let walker = WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            let rel = e.path().strip_prefix(&base).map_or_else(
                |_| String::new(),
                |p| p.to_string_lossy().replace('\\', "/"),
            );
            !exclude.excludes(&rel)
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&base).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if entry.depth() == 0 {
            continue;
        }
        let rel_path = entry
            .path()
            .strip_prefix(&base)
            .expect("walk stays under base");
        let parts: Option<Vec<&str>> = rel_path
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect();
        let Some(rel) = parts.map(|p| p.join("/")) else {
            found.diagnostics.push(Diagnostic::error(
                format!("{content_dir}/{}", rel_path.to_string_lossy()),
                Pos::START,
                "file name is not valid UTF-8",
            ));
            continue;
        };
        let display = format!("{content_dir}/{rel}");
        let fold: String = rel.nfc().flat_map(char::to_lowercase).collect();
        folded.entry(fold).or_default().push(display.clone());

        if entry.path_is_symlink() {
            found.diagnostics.push(
                Diagnostic::warning(&display, Pos::START, "symlink not followed").with_help(
                    "symlinks in the content folder are never read; move the file here instead",
                ),
            );
            continue;
        }
        if !entry.file_type().is_file() || skip.contains(&display) {
            continue;
        }
        if rel.ends_with(".md") {
            match read_note(entry.path(), rel.clone(), display.clone())? {
                Ok(file) => found.files.push(file),
                Err(d) => {
                    found.diagnostics.push(d);
                    found.unreadable.push((rel, display));
                }
            }
            continue;
        }
        let size = entry
            .metadata()
            .map_err(|e| Error::io(entry.path(), e.into()))?
            .len();
        if let Some(d) = too_large(&display, size) {
            found.diagnostics.push(d);
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        found.assets.push(Asset {
            rel,
            display,
            bytes,
        });
    }
    for paths in folded.values().filter(|p| p.len() > 1) {
        for other in &paths[1..] {
            found.diagnostics.push(
                Diagnostic::error(
                    other,
                    Pos::START,
                    format!(
                        "`{other}` and `{}` differ only in letter case or Unicode normalization",
                        paths[0]
                    ),
                )
                .with_help("such names clash on macOS and Windows clones; rename one of them"),
            );
        }
    }
    Ok(found)
}

/// The error for a file of `size` bytes, if it is over the limit.
fn too_large(display: &str, size: u64) -> Option<Diagnostic> {
    (size > MAX_FILE_BYTES).then(|| {
        Diagnostic::error(
            display,
            Pos::START,
            format!(
                "file is {} MB, over the {} MB limit for one file",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
    })
}

/// Reads one note (`rel` in the content folder, shown as `display`): its
/// normalised text, or the error that stops it being read (too large, not
/// UTF-8). I/O failures are hard errors.
pub(crate) fn read_note(
    path: &Path,
    rel: String,
    display: String,
) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if let Some(d) = too_large(&display, size) {
        return Ok(Err(d));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let utf16 = utf16_bom(&bytes);
    Ok(match decode(bytes) {
        Ok(text) => Ok(SourceFile {
            rel,
            display,
            text: text.into(),
        }),
        Err((pos, byte)) => Err(not_utf8(&display, pos, byte, utf16)),
    })
}

/// Whether bytes start with a UTF-16 byte-order mark (as Notepad and
/// spreadsheet programs save "Unicode" text).
pub(crate) fn utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// The error for a file that is not UTF-8, with what to do about it.
pub(crate) fn not_utf8(display: &str, pos: Pos, byte: u8, utf16: bool) -> Diagnostic {
    if utf16 {
        Diagnostic::error(
            display,
            Pos::START,
            "the file is saved as UTF-16, not UTF-8",
        )
        .with_help("save it as UTF-8 (in Notepad: Save as… → Encoding: UTF-8)")
    } else {
        Diagnostic::error(display, pos, format!("invalid UTF-8 (0x{byte:02X})"))
            .with_help("save the file as UTF-8")
    }
}

/// Turns raw bytes into normalised text, or the position of the first byte
/// that is not UTF-8.
pub(crate) fn decode(bytes: Vec<u8>) -> std::result::Result<String, (Pos, u8)> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = std::str::from_utf8(&bytes[..at]).expect("prefix is valid");
            let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
            let norm = normalize_newlines(valid);
            return Err((LineIndex::new(&norm).pos(&norm, norm.len()), bytes[at]));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(normalize_newlines(text))
}

/// `\r\n` and lone `\r` become `\n`.
pub(crate) fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_patterns_follow_gitignore() {
        let ex = Exclude::new(&[
            "README.md".into(),
            "drafts/".into(),
            "data/raw/*.csv".into(),
            "*.docx".into(),
        ])
        .unwrap();
        for yes in [
            "README.md",
            "data/README.md",
            "drafts",
            "drafts/a.md",
            "data/raw/x.csv",
            "notes/interview.docx",
        ] {
            assert!(ex.excludes(yes), "{yes}");
        }
        for no in [
            "readme-notes.md",
            "data/raw/deep/x.csv",
            "data/x.csv",
            "notes/drafts.md",
        ] {
            assert!(!ex.excludes(no), "{no}");
        }
        assert!(!Exclude::new(&[]).unwrap().excludes("README.md"));
        assert!(Exclude::new(&["a[".into()]).is_err());
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let t = decode(b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\rbody\n".to_vec()).unwrap();
        assert_eq!(t, "---\ntitle: x\n---\nbody\n");
    }

    #[test]
    fn invalid_utf8_names_line_column_and_byte() {
        let err = decode(b"---\ntitle: caf\xE9\n".to_vec()).unwrap_err();
        assert_eq!(err, (Pos::new(2, 11), 0xE9));
        let err = decode(b"\r\n\r\nab\xFF".to_vec()).unwrap_err();
        assert_eq!(err, (Pos::new(3, 3), 0xFF));
    }
}
