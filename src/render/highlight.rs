//! Code highlighting with syntect, through CSS classes (`hl-…`), never inline
//! styles, so one light and one dark stylesheet theme every code block.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::html::escape;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The known fence language closest to an unknown one, as a help line.
pub(crate) fn suggest(lang: &str) -> Option<String> {
    let set = syntaxes();
    let names: Vec<String> = set
        .syntaxes()
        .iter()
        .flat_map(|s| {
            s.file_extensions
                .iter()
                .cloned()
                .chain(std::iter::once(s.name.to_lowercase()))
        })
        .filter(|n| !n.contains(' '))
        .collect();
    crate::diagnostic::did_you_mean(lang, names.iter().map(String::as_str))
}

/// Whether a fence language (`rust`, `py`, `yaml`, …) is known.
pub(crate) fn knows(lang: &str) -> bool {
    syntaxes().find_syntax_by_token(lang).is_some()
}

/// Highlighted HTML for the inside of `<code>`; plain escaped text when the
/// language is unknown or empty.
pub(crate) fn highlight(lang: &str, code: &str) -> String {
    let set = syntaxes();
    let Some(syntax) = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten()
    else {
        return escape(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape(code);
        }
    }
    gen.finalize()
}

/// The light and the dark stylesheet for highlighted code.
pub(crate) fn stylesheets() -> (String, String) {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        css_for_theme_with_class_style(&themes.themes[name], STYLE)
            .expect("bundled syntect themes produce CSS")
    };
    (css(LIGHT_THEME), css(DARK_THEME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_uses_classes_not_styles() {
        let html = highlight("rust", "fn main() {}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        assert!(!knows("no-such-lang"));
        assert_eq!(highlight("no-such-lang", "<b>&"), "&lt;b&gt;&amp;");
    }

    #[test]
    fn fence_languages_of_r_markdown_and_plain_text() {
        let fence_lang = crate::parse::markdown::fence_lang;
        assert_eq!(fence_lang("{r}"), "r");
        assert_eq!(fence_lang("{r, echo=FALSE}"), "r");
        assert_eq!(fence_lang("{python}"), "python");
        assert_eq!(fence_lang("{.python}"), "python");
        assert_eq!(fence_lang("Rust ignore"), "rust");
        assert_eq!(fence_lang("text"), "");
        assert_eq!(fence_lang("plaintext"), "");
        assert!(knows(&fence_lang("{r}")));
        assert_eq!(suggest("pyhton").as_deref(), Some("did you mean `python`?"));
    }

    #[test]
    fn stylesheets_differ_and_use_the_prefix() {
        let (light, dark) = stylesheets();
        assert!(light.contains(".hl-"));
        assert!(dark.contains(".hl-"));
        assert_ne!(light, dark);
    }
}
