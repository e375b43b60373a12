//! LaTeX math to MathML Core, for pulldown-cmark's `Event::InlineMath` / `Event::DisplayMath`.
//!
//! Backed by the `math-core` crate: pure Rust, emits MathML Core that Chromium, Firefox and
//! Safari render natively (no MathJax, no extra CSS or fonts), and reports errors with a byte
//! range into the TeX source instead of passing bad LaTeX through.

use std::fmt;
use std::sync::OnceLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// A LaTeX error: byte offset into the TeX source (0-based) and a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MathError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for MathError {}

/// One converter for the whole process: it holds only configuration, and every call uses
/// `convert_with_local_state`, so no state (equation numbers, labels) leaks between formulas
/// and the output depends on nothing but `(tex, display)`.
fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        let config = MathCoreConfig {
            // `<semantics>…<annotation encoding="application/x-tex">` with the escaped source.
            annotation: true,
            // Unknown commands must be errors, not red text in the page.
            ignore_unknown_commands: false,
            // HTML needs no namespace; leaving it out keeps the output minimal.
            xml_namespace: false,
            ..Default::default()
        };
        // Only custom macros can make `new` fail, and we define none.
        LatexToMathML::new(config).expect("math-core config without macros is always valid")
    })
}

/// `tex` to a `<math>` element (display="block" when `display`), with the TeX source kept as an
/// `<annotation encoding="application/x-tex">` inside `<semantics>` when the crate supports it (it helps screen readers and copy).
pub(crate) fn to_mathml(tex: &str, display: bool) -> Result<String, MathError> {
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    match converter().convert_with_local_state(tex, mode) {
        Ok(result) => {
            if result.warnings.has_undefined_references() {
                // Each formula is converted on its own, so `\ref`/`\eqref` can only point at a
                // `\label` in the same formula; anything else would be a dangling reference.
                let offset = find_first(tex, &[r"\eqref", r"\ref"]).unwrap_or(0);
                return Err(MathError {
                    offset,
                    message: "Undefined reference: \\ref/\\eqref must name a \\label in the same formula.".to_string(),
                });
            }
            Ok(nu_compatible(result.mathml))
        }
        Err(err) => Err(to_math_error(tex, &err)),
    }
}

/// MathML Core makes `displaystyle` and `scriptlevel` global attributes, and math-core puts them
/// on `<mtable>`, `<mrow>` and `<mfrac>`. The Nu Html Checker validates MathML against the
/// MathML 3 schema, which allows them only on `<mstyle>` (and `displaystyle` on `<mtable>`,
/// `<math>`), so it reports an error for each. Move them onto an `<mstyle>`: an `<mrow>` is
/// renamed (in MathML Core `<mstyle>` lays out exactly like `<mrow>`), other elements are wrapped
/// in one. Both attributes are inherited CSS (`math-style`, `math-depth`), so the rendering is the
/// same.
fn nu_compatible(mathml: String) -> String {
    if !mathml.contains("displaystyle=") && !mathml.contains("scriptlevel=") {
        return mathml;
    }
    enum Open {
        Plain,
        Renamed,
        Wrapped,
    }
    let mut out = String::with_capacity(mathml.len() + 64);
    let mut stack: Vec<Open> = Vec::new();
    let mut rest = mathml.as_str();
    // Text and attribute values from math-core never contain a raw `<` (they are escaped), so
    // every `<` starts a tag; quoted attribute values are skipped when looking for the `>`.
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let mut end = None;
        let mut quote = None;
        for (i, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let tag = &rest[..=end];
        rest = &rest[end + 1..];
        if tag.starts_with("</") {
            match stack.pop() {
                Some(Open::Renamed) => out.push_str("</mstyle>"),
                Some(Open::Wrapped) => {
                    out.push_str(tag);
                    out.push_str("</mstyle>");
                }
                _ => out.push_str(tag),
            }
            continue;
        }
        let self_closing = tag.ends_with("/>");
        let body = &tag[1..tag.len() - if self_closing { 2 } else { 1 }];
        let name_len = body
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(body.len());
        let (name, attrs) = body.split_at(name_len);
        let (style_attrs, other_attrs) = split_style_attrs(attrs);
        let kind = if style_attrs.is_empty() || matches!(name, "math" | "mstyle") {
            out.push_str(tag);
            Open::Plain
        } else if name == "mrow" {
            out.push_str("<mstyle");
            out.push_str(&style_attrs);
            out.push_str(&other_attrs);
            out.push_str(if self_closing { "/>" } else { ">" });
            Open::Renamed
        } else {
            out.push_str("<mstyle");
            out.push_str(&style_attrs);
            out.push('>');
            out.push('<');
            out.push_str(name);
            out.push_str(&other_attrs);
            if self_closing {
                out.push_str("/></mstyle>");
            } else {
                out.push('>');
            }
            Open::Wrapped
        };
        if !self_closing && !tag.starts_with("<!") && !tag.starts_with("<?") {
            stack.push(kind);
        }
    }
    out.push_str(rest);
    out
}

/// Splits ` a="1" displaystyle="true" b="2"` into (` displaystyle="true"`, ` a="1" b="2"`).
fn split_style_attrs(attrs: &str) -> (String, String) {
    let mut style = String::new();
    let mut other = String::new();
    let mut rest = attrs;
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            break;
        }
        // name="value" (math-core always quotes with `"`), or a bare name.
        let eq = trimmed.find(['=', ' ']).unwrap_or(trimmed.len());
        let attr_end = if trimmed[eq..].starts_with("=\"") {
            let value_start = eq + 2;
            trimmed[value_start..]
                .find('"')
                .map_or(trimmed.len(), |q| value_start + q + 1)
        } else {
            eq
        };
        let attr = &trimmed[..attr_end];
        let target = if attr.starts_with("displaystyle=") || attr.starts_with("scriptlevel=") {
            &mut style
        } else {
            &mut other
        };
        target.push(' ');
        target.push_str(attr);
        rest = &trimmed[attr_end..];
    }
    (style, other)
}

fn to_math_error(tex: &str, err: &math_core::LatexError) -> MathError {
    let mut offset = err.0.start.min(tex.len());
    let mut message = err.error_message();

    // math-core reports an unclosed group at the end of the input, where the closing token was
    // expected. The opening token that was never closed is what the author has to fix, so point
    // there instead (and say where the input ended).
    if offset == tex.len() && message.starts_with("Expected closing token") {
        if let Some((open_at, opener)) = innermost_unclosed(tex) {
            offset = open_at;
            message = format!("{message} The {opener} at byte {open_at} is never closed.");
        }
    }

    // math-core's range for an unknown environment covers the `{name}` argument; point at the
    // name itself.
    if message.starts_with("Unknown environment") && tex[offset..].starts_with('{') {
        offset += 1;
    }

    // `&` is an alignment tab in TeX, also inside `\text{}`; say how to get a literal one.
    if message.starts_with("Not valid in text mode") && tex[offset..].starts_with('&') {
        message.push_str(r" Write \& for a literal ampersand.");
    }

    MathError { offset, message }
}

/// Byte offset of the first occurrence of any of `needles` (as a whole control word).
fn find_first(tex: &str, needles: &[&str]) -> Option<usize> {
    needles
        .iter()
        .filter_map(|needle| {
            tex.match_indices(needle)
                .find(|(i, _)| {
                    let after = tex[i + needle.len()..].chars().next();
                    !after.is_some_and(|c| c.is_ascii_alphabetic())
                })
                .map(|(i, _)| i)
        })
        .min()
}

/// The innermost group opener (`{`, `\left`, `\begin{…}`) that has no matching closer, with
/// its byte offset. Only used after math-core has already rejected the input, so this scanner
/// just needs to find openers; it skips escaped characters (`\{`, `\}`, `\\`) and `%` comments.
fn innermost_unclosed(tex: &str) -> Option<(usize, &'static str)> {
    let bytes = tex.as_bytes();
    let mut stack: Vec<(usize, &'static str)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'{' => stack.push((i, "\"{\"")),
            b'}' => {
                stack.pop();
            }
            b'\\' => {
                let start = i;
                let word_len = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                let word = &tex[i + 1..i + 1 + word_len];
                match word {
                    "left" => stack.push((start, r#""\left""#)),
                    "begin" => stack.push((start, r#""\begin""#)),
                    // `\right` / `\end` close their opener; the `{` of `\begin{x}` / `\end{x}`
                    // is pushed and popped as an ordinary brace group.
                    "right" | "end" => {
                        stack.pop();
                    }
                    _ => {}
                }
                // Skip the control word, or the single escaped character (`\{`, `\\`, ...).
                i += 1 + word_len.max(1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(tex: &str) -> MathError {
        match to_mathml(tex, false) {
            Ok(html) => panic!("expected an error for {tex:?}, got {html}"),
            Err(e) => e,
        }
    }

    #[test]
    fn fraction_gives_mfrac() {
        let html = to_mathml(r"\frac{a}{b}", false).unwrap();
        assert!(
            html.contains("<mfrac><mi>a</mi><mi>b</mi></mfrac>"),
            "{html}"
        );
    }

    #[test]
    fn display_mode_sets_display_block() {
        let block = to_mathml("x", true).unwrap();
        assert!(block.starts_with(r#"<math display="block">"#), "{block}");
        let inline = to_mathml("x", false).unwrap();
        assert!(inline.starts_with("<math><semantics>"), "{inline}");
        assert!(!inline.contains("display="), "{inline}");
    }

    #[test]
    fn superscript_gives_msup() {
        let html = to_mathml("x^2", false).unwrap();
        assert!(html.contains("<msup><mi>x</mi><mn>2</mn></msup>"), "{html}");
    }

    #[test]
    fn source_is_kept_as_tex_annotation() {
        let html = to_mathml("x^2", false).unwrap();
        assert_eq!(
            html,
            "<math><semantics><msup><mi>x</mi><mn>2</mn></msup>\
             <annotation encoding=\"application/x-tex\">x^2</annotation></semantics></math>"
        );
    }

    #[test]
    fn no_xml_declaration_or_namespace() {
        let html = to_mathml(r"\sum_{i=0}^n i", true).unwrap();
        assert!(!html.contains("<?xml"), "{html}");
        assert!(!html.contains("xmlns"), "{html}");
        assert!(html.ends_with("</math>"), "{html}");
    }

    #[test]
    fn unknown_command_points_at_the_command() {
        let e = err(r"\frca{a}{b}");
        assert_eq!(e.offset, 0);
        assert_eq!(e.message, r#"Unknown command "\frca"."#);
        let e = err(r"x + \foo");
        assert_eq!(e.offset, 4);
        assert_eq!(e.message, r#"Unknown command "\foo"."#);
    }

    #[test]
    fn offsets_are_bytes_not_chars() {
        // "α" is two bytes in UTF-8, so `\frca` starts at byte 5, char 4.
        let e = err(r"α + \frca{a}");
        assert_eq!(e.offset, 5);
    }

    #[test]
    fn unclosed_brace_points_at_the_open_brace() {
        let e = err(r"\frac{a}{b");
        assert_eq!(e.offset, 8);
        assert_eq!(
            e.message,
            r#"Expected closing token "}", but reached end of input. The "{" at byte 8 is never closed."#
        );
        // Escaped braces and comments are not groups.
        let e = err("\\{ {x % }\n + \\} ");
        assert_eq!(e.offset, 3);
    }

    #[test]
    fn unmatched_close_brace_points_at_it() {
        let e = err("a}b");
        assert_eq!(e.offset, 1);
        assert_eq!(e.message, r#"Unmatched closing token: "}"."#);
    }

    #[test]
    fn unclosed_left_points_at_left() {
        let e = err(r"y = \left( x");
        assert_eq!(e.offset, 4);
        assert!(
            e.message.starts_with(r#"Expected closing token "\right""#),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_environment_points_at_its_name() {
        let e = err(r"\begin{foo} x \end{foo}");
        assert_eq!(e.offset, 7);
        assert_eq!(e.message, r#"Unknown environment "foo"."#);
    }

    #[test]
    fn mismatched_end_points_at_the_end() {
        let e = err(r"\begin{pmatrix} a \end{bmatrix}");
        assert_eq!(e.offset, 18);
        assert_eq!(
            e.message,
            r#"Expected "\end{pmatrix}", but found "\end{bmatrix}"."#
        );
    }

    #[test]
    fn text_escapes_lt_and_amp() {
        let tex = r"\text{a < b \& c}";
        let html = to_mathml(tex, false).unwrap();
        // Spaces in \text become U+00A0 so HTML does not collapse them. (math-core 0.7 drops
        // the space right after `\&`, unlike TeX; cosmetic.)
        assert!(
            html.contains("<mtext>a\u{a0}&lt;\u{a0}b\u{a0}&amp;c</mtext>"),
            "{html}"
        );
        // The annotation carries the escaped source too.
        assert!(
            html.contains(
                r#"<annotation encoding="application/x-tex">\text{a &lt; b \&amp; c}</annotation>"#
            ),
            "{html}"
        );
        assert!(!html.contains("a < b"), "{html}");
    }

    #[test]
    fn bare_ampersand_in_text_is_an_error() {
        // As in real LaTeX, `&` is an alignment tab even inside \text{}: an error, pointing at it.
        let e = err(r"\text{a < b & c}");
        assert_eq!(e.offset, 12);
        assert_eq!(
            e.message,
            r"Not valid in text mode. Write \& for a literal ampersand."
        );
    }

    #[test]
    fn math_mode_lt_is_escaped() {
        let html = to_mathml("a<b", false).unwrap();
        assert!(html.contains("<mo>&lt;</mo>"), "{html}");
        assert!(html.contains(">a&lt;b</annotation>"), "{html}");
    }

    #[test]
    fn reference_to_missing_label_is_an_error() {
        let e = err(r"x = 1 \eqref{nope}");
        assert_eq!(e.offset, 6);
    }

    #[test]
    fn output_is_deterministic() {
        let tex = r"\begin{align} \sum_{i=1}^n i &= \frac{n(n+1)}{2} \\ \mathbb{R} &\ni \hat{x} \end{align}";
        let first = to_mathml(tex, true).unwrap();
        // Equation numbers do not carry over from one call to the next.
        assert!(first.contains("(1)") && first.contains("(2)"), "{first}");
        for _ in 0..20 {
            assert_eq!(to_mathml(tex, true).unwrap(), first);
        }
        let from_thread = std::thread::spawn(move || to_mathml(tex, true).unwrap())
            .join()
            .unwrap();
        assert_eq!(from_thread, first);
    }

    #[test]
    fn unclosed_environment_points_at_begin() {
        let e = err(r"x = \begin{pmatrix} a & b");
        assert_eq!(e.offset, 4);
        assert!(
            e.message
                .ends_with(r#"The "\begin" at byte 4 is never closed."#),
            "{}",
            e.message
        );
    }

    #[test]
    fn missing_argument_points_at_end_of_input() {
        let e = err(r"\frac{a}");
        assert_eq!(e.offset, 8);
        assert_eq!(e.message, "Expected argument but reached end of input.");
    }

    /// Every tag that carries `displaystyle`/`scriptlevel` must be an `<mstyle>` (or `<math>`),
    /// or the Nu Html Checker rejects the page.
    fn assert_nu_attrs_only_on_mstyle(html: &str) {
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            if tag.contains("displaystyle=") || tag.contains("scriptlevel=") {
                assert!(
                    tag.starts_with("mstyle ") || tag.starts_with("math "),
                    "<{tag}> in {html}"
                );
            }
        }
        assert_eq!(
            html.matches("<mstyle").count(),
            html.matches("</mstyle>").count(),
            "{html}"
        );
    }

    #[test]
    fn matrix_style_attributes_move_to_mstyle() {
        let html = to_mathml(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", true).unwrap();
        assert!(
            html.contains(
                r#"<mrow><mo>(</mo><mstyle displaystyle="false" scriptlevel="0"><mtable><mtr>"#
            ),
            "{html}"
        );
        assert!(
            html.contains("</mtable></mstyle><mo>)</mo></mrow>"),
            "{html}"
        );
        assert_nu_attrs_only_on_mstyle(&html);
    }

    #[test]
    fn styled_mrow_and_fractions_move_to_mstyle() {
        for tex in [
            r"\displaystyle \sum_i x_i",
            r"\cfrac{1}{1 + \cfrac{1}{x}}",
            r"\dfrac{a}{b} + \tfrac{c}{d}",
            r"x^{\begin{matrix} a \\ b \end{matrix}} \begin{align} a &= b \end{align}",
            r"\begin{pmatrix} \begin{pmatrix} a \end{pmatrix} & \text{x<y} \end{pmatrix}",
        ] {
            let html = to_mathml(tex, false).unwrap_or_else(|e| panic!("{tex}: {e}"));
            assert_nu_attrs_only_on_mstyle(&html);
        }
        let html = to_mathml(r"\displaystyle x", false).unwrap();
        assert!(
            html.contains(r#"<mstyle displaystyle="true" scriptlevel="0"><mi>x</mi></mstyle>"#),
            "{html}"
        );
    }

    #[test]
    fn test_set_converts() {
        let cases = [
            (r"\alpha + \Gamma", "<mi>α</mi>"),
            (r"\sum_{i=0}^{n} i", "<munderover>"),
            (r"\sqrt{2}", "<msqrt>"),
            (r"\mathbb{R}", "<mi>ℝ</mi>"),
            (r"\left( x \right)", "<mrow><mo>(</mo>"),
            (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "<mtable"),
            (r"\operatorname{tr} A", ">tr</mo>"),
            (r"\hat{x}", r#"<mover accent="true">"#),
            (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", "<mtr>"),
            (r"\text{if } x", "<mtext>if\u{a0}</mtext>"),
        ];
        for (tex, needle) in cases {
            let html = to_mathml(tex, true).unwrap_or_else(|e| panic!("{tex}: {e}"));
            assert!(html.contains(needle), "{tex}: {html}");
        }
    }
}
