//! Escaping text for HTML, the one place every stage that writes markup
//! goes through.

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of HTML the site wrote itself (escaped with [`escape`]): tags
/// dropped, the five escapes read back.
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = rest[open..]
            .find('>')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    out.push_str(rest);
    if !out.contains('&') {
        return out;
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_drops_tags_and_reads_escapes_back() {
        let text = "Tom & Jerry's <b>\"pie\"</b> <3";
        assert_eq!(text_of(&escape(text)), text);
        assert_eq!(
            text_of("<span class=\"citation\">(<a class=\"cite\" title=\"A &amp; B\">Smith, <i>2010</i></a>)</span>"),
            "(Smith, 2010)"
        );
        assert_eq!(text_of("&amp;lt;"), "&lt;", "read back once");
    }

    #[test]
    fn escapes_text_and_attribute_specials() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }
}
