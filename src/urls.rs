//! Slugs, page URLs and relative links.
//!
//! Every internal link the site emits is relative, so one output works at a
//! domain root, under a path prefix such as `/repo/`, and from `file://`.
//! URLs here are paths relative to the site root: `""` is the home page and
//! every other page URL ends in `/` (`tensions/agency-dependency/`).

use unicode_normalization::UnicodeNormalization;

/// Folder names the site itself writes at its root; no page may take them.
pub const RESERVED_ROOT: [&str; 4] = ["assets", "404", "sitemap", "index"];

/// Lower-case slug: letters and digits kept (any script, NFC), everything
/// else folded to single `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Why an explicit `slug:` is not usable, if it is not.
pub fn check_slug(slug: &str) -> Option<String> {
    if slug.is_empty() {
        return Some("`slug` is empty".into());
    }
    if slug.contains(['/', '\\', '%', '\0']) || slug.contains("..") {
        return Some(format!(
            "`slug` must be a single path segment without `/`, `\\`, `%` or `..`, found `{}`",
            printable(slug)
        ));
    }
    if slugify(slug) != slug {
        return Some(format!(
            "`slug` may hold only lower-case letters, digits, `-` and `_`; found `{slug}` (try `{}`)",
            slugify(slug)
        ));
    }
    None
}

/// `text` with control characters shown as escapes.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The URL of a page from its content-relative path and optional slug.
///
/// `index.md` → `""`, `a/index.md` → `a/`, `a/B c.md` → `a/b-c/`.
pub fn page_url(rel: &str, slug: Option<&str>) -> String {
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    let mut segments: Vec<String> = rel.split('/').map(slugify).collect();
    let is_index = segments.last().is_some_and(|s| s == "index");
    if let Some(slug) = slug {
        if is_index {
            segments.pop();
            if segments.is_empty() {
                segments.push(slug.to_string());
            } else {
                *segments.last_mut().unwrap() = slug.to_string();
            }
        } else {
            *segments.last_mut().unwrap() = slug.to_string();
        }
    } else if is_index {
        segments.pop();
    }
    let mut url = segments.join("/");
    if !url.is_empty() {
        url.push('/');
    }
    url
}

/// The URL of a content folder, slugged like page URLs: `Field Notes/a`
/// → `field-notes/a/`, `""` → `""`.
pub fn folder_url(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", slugify(s)))
        .collect()
}

/// The output file of a page URL: `""` → `index.html`, `a/` → `a/index.html`.
pub fn output_file(url: &str) -> String {
    format!("{url}index.html")
}

/// The output path of a file of the content folder that is not a note:
/// its folders slugged like page URLs, its file name kept.
pub fn asset_path(rel: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    format!("{}{name}", folder_url(dir))
}

/// The relative path from the page at `from` to the site root (`../../`).
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A relative link from the page at `from` to the page at `to`, with an
/// optional fragment. With `index_html`, page links end in `index.html` so
/// that they also work from `file://`.
pub fn relative_href(from: &str, to: &str, fragment: Option<&str>, index_html: bool) -> String {
    // A fragment may keep `:` (a figure's `fig:pathway`).
    let frag = fragment
        .map(|f| format!("#{}", encode(f, false).replace("%3A", ":")))
        .unwrap_or_default();
    if from == to && !frag.is_empty() {
        return frag;
    }
    let mut href = relative_path(from, to);
    if index_html {
        href.push_str("index.html");
    } else if href.is_empty() {
        href.push_str("./");
    }
    href + &frag
}

/// A relative path from the folder of page `from` to a file or folder
/// `to` given relative to the site root, percent-encoded.
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Only whole folders count as shared; the last `to` part may be a file.
    let common = common.min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&encode(&to_parts[common..].join("/"), true));
    out
}

/// Percent-encodes everything but unreserved characters (and `/` in paths).
pub fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Splits `target#fragment`.
pub fn split_fragment(target: &str) -> (&str, Option<&str>) {
    match target.split_once('#') {
        Some((path, frag)) => (path, Some(frag)),
        None => (target, None),
    }
}

/// Whether a link destination leaves the site (has a scheme, or is
/// protocol-relative).
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.chars().next().unwrap().is_ascii_alphabetic()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins a relative link path onto the folder of `base` (a content path
/// such as `a/b.md`), resolving `.` and `..`. `None` if it climbs out.
pub fn join_relative(base: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes in a link written by hand. Invalid escapes are kept.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_and_dashed() {
        assert_eq!(slugify("Agency / Dependency"), "agency-dependency");
        assert_eq!(slugify("  What's new?  "), "what-s-new");
        assert_eq!(slugify("a b"), "a-b");
        assert_eq!(slugify("a-b"), "a-b");
        assert_eq!(slugify("Café"), "café");
        // NFD input gives the same slug as NFC.
        assert_eq!(slugify("Cafe\u{301}"), "café");
        assert_eq!(slugify("#?%"), "");
    }

    #[test]
    fn page_urls_follow_the_content_tree() {
        assert_eq!(page_url("index.md", None), "");
        assert_eq!(page_url("about.md", None), "about/");
        assert_eq!(page_url("tensions/index.md", None), "tensions/");
        assert_eq!(
            page_url("tensions/Agency Dep.md", None),
            "tensions/agency-dep/"
        );
        assert_eq!(page_url("tensions/a.md", Some("b")), "tensions/b/");
        assert_eq!(page_url("tensions/index.md", Some("t")), "t/");
        assert_eq!(folder_url("Field Notes/figures"), "field-notes/figures/");
        assert_eq!(folder_url(""), "");
    }

    #[test]
    fn relative_hrefs_work_from_any_depth() {
        assert_eq!(relative_href("", "a/", None, false), "a/");
        assert_eq!(relative_href("a/b/", "c/", None, false), "../../c/");
        assert_eq!(relative_href("a/b/", "", None, true), "../../index.html");
        assert_eq!(relative_href("a/", "a/b/", None, true), "b/index.html");
        assert_eq!(relative_href("a/", "a/", Some("x"), true), "#x");
        assert_eq!(relative_href("a/", "a/", None, false), "./");
        assert_eq!(relative_href("a/", "b/", Some("h 1"), false), "../b/#h%201");
        assert_eq!(relative_href("", "café/", None, false), "caf%C3%A9/");
    }

    #[test]
    fn relative_paths_to_files() {
        assert_eq!(
            relative_path("a/b/", "assets/style.css"),
            "../../assets/style.css"
        );
        assert_eq!(relative_path("", "assets/style.css"), "assets/style.css");
        assert_eq!(root_prefix("a/b/"), "../../");
        assert_eq!(root_prefix(""), "");
    }

    #[test]
    fn slugs_that_escape_are_refused() {
        assert!(check_slug("ok-slug").is_none());
        for bad in ["..", "a/b", "a\\b", "%2e%2e", "a\0b", "", "Big"] {
            assert!(check_slug(bad).is_some(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn externals_and_relative_joins() {
        assert!(is_external("https://x.org/@inbo"));
        assert!(is_external("mailto:a@b.org"));
        assert!(is_external("//cdn"));
        assert!(!is_external("notes/a.md"));
        assert!(!is_external("a.md#x:y"));
        assert_eq!(join_relative("a/b.md", "../c.md").as_deref(), Some("c.md"));
        assert_eq!(
            join_relative("a/b.md", "./d/e.md").as_deref(),
            Some("a/d/e.md")
        );
        assert_eq!(join_relative("b.md", "../../c.md"), None);
        assert_eq!(decode("a%20b%C3%A9"), "a bé");
        assert_eq!(decode("100%"), "100%");
    }
}
