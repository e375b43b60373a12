//! Themes: the built-in default (embedded in the binary) with a project's
//! `themes/<name>/` laid over it file by file, so a user can replace one
//! template or stylesheet and keep the rest. Every built-in template is
//! also reachable as `builtin/<name>`, so a theme's template can extend the
//! built-in one and change a block instead of copying the whole file:
//! `{% extends "builtin/page.html" %}`. Components (`components/*.html`)
//! are global in Tera, so they have no `builtin/` copy: a theme replaces
//! one by writing the file.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::error::{Error, Result};

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The namespace of the built-in templates.
const BUILTIN: &str = "builtin/";

/// Templates by name (`page.html`) and static files by path (`style.css`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in theme, then the project's `themes/<name>/` over it.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut theme = Theme::default();
        add_embedded(&DEFAULT, &mut theme)?;
        let builtin: Vec<(String, String)> = theme
            .templates
            .iter()
            .filter(|(name, _)| !name.starts_with("components/"))
            .map(|(name, text)| (format!("{BUILTIN}{name}"), text.clone()))
            .collect();
        theme.templates.extend(builtin);
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            theme.overlay(&dir)?;
        } else if name != "default" {
            return Err(Error::Config(format!(
                "error: theme `{name}` not found: no folder {}",
                dir.display()
            )));
        }
        Ok(theme)
    }

    fn overlay(&mut self, dir: &Path) -> Result<()> {
        for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("walk stays under dir")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            self.add(&rel, bytes, &entry.path().display().to_string())?;
        }
        Ok(())
    }

    fn add(&mut self, rel: &str, bytes: Vec<u8>, shown: &str) -> Result<()> {
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::Template(format!("{shown} is not valid UTF-8")))?;
            self.templates.insert(name.to_string(), text);
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.static_files.insert(name.to_string(), bytes);
        }
        Ok(())
    }
}

fn add_embedded(dir: &Dir<'static>, theme: &mut Theme) -> Result<()> {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        theme.add(&rel, file.contents().to_vec(), &rel)?;
    }
    for sub in dir.dirs() {
        add_embedded(sub, theme)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_has_the_page_templates() {
        let t = Theme::load(Path::new("/nonexistent"), "default").unwrap();
        for name in ["base.html", "page.html", "404.html"] {
            assert!(t.templates.contains_key(name), "{name} missing");
        }
        assert!(t.static_files.contains_key("style.css"));
    }

    /// The theme of a project whose `page.html` reads `mine`.
    fn with_own_page() -> Theme {
        let dir = tempfile::tempdir().unwrap();
        let tpl = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&tpl).unwrap();
        std::fs::write(tpl.join("page.html"), "mine").unwrap();
        Theme::load(dir.path(), "default").unwrap()
    }

    #[test]
    fn project_files_override_one_by_one() {
        let t = with_own_page();
        assert_eq!(t.templates["page.html"], "mine");
        assert!(t.templates["base.html"].contains("<html"));
    }

    #[test]
    fn built_in_templates_stay_reachable_under_their_namespace() {
        let t = with_own_page();
        assert_eq!(t.templates["page.html"], "mine");
        assert!(t.templates["builtin/page.html"].contains("{% extends"));
        assert_eq!(
            t.templates["builtin/base.html"], t.templates["base.html"],
            "not overridden: the same text"
        );
    }

    #[test]
    fn missing_named_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Theme::load(dir.path(), "fancy").is_err());
    }
}
