//! Escaping user text for each output: HTML/SVG, Markdown and Mermaid.
//!
//! Everything a user writes in YAML (names, titles, mitigations…) is untrusted as far as a
//! report is concerned: a risk titled `<script>…` must show as text in every output. HTML
//! templates get minijinja's HTML autoescape; SVG is built in Rust and goes through
//! [`xml`]; Markdown templates get [`markdown`] as their autoescape (wired in
//! `templates.rs`), so no template has to remember a filter.

use std::fmt::Write as _;

/// Escapes text for XML/HTML content and attribute values (`<`, `>`, `&`, `"`, `'`).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A line break in a value is a character reference: the page renders the same,
            // and the raw output has no line that user text starts (printed to a CI log, a
            // line beginning with `::` would be a GitHub workflow command).
            '\n' => out.push_str("&#10;"),
            // Other control characters are not allowed in XML 1.0; drop them.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown that renders on GitHub and GitLab, safe in table cells:
/// `|` is backslash-escaped (it would end the cell), `<` and `>` become entities (no raw
/// HTML gets through: `<script>` shows as text), and line breaks become `<br>` (a newline
/// would end the table row or the list item).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            // Link and image syntax (`[text](url)`, `![alt](url)`, `[text][ref]`): with the
            // brackets escaped, user text never becomes a live link or a tracking image.
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Text that cannot break a Mermaid gantt line or the Markdown code block around it:
/// `:` and `;` separate fields, `#` starts an entity, a newline ends the task, a backtick
/// could close the fence, and `<`/`>` are kept out of the renderer's HTML.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ':' | ';' => out.push_str(" -"),
            '#' => out.push_str("no. "),
            '\n' | '\r' | '\t' => out.push(' '),
            '`' | '"' => out.push('\''),
            '<' => out.push('‹'),
            '>' => out.push('›'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Shortens text to at most `max` characters, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Formats a number with up to one decimal, as SVG coordinates are written.
pub(crate) fn num(value: f64) -> String {
    let mut s = String::new();
    if (value - value.round()).abs() < 0.05 {
        let _ = write!(s, "{}", value.round() as i64);
    } else {
        let _ = write!(s, "{value:.1}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_quotes() {
        assert_eq!(
            xml(r#"<script>alert("x&y")</script>'"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;"
        );
        assert_eq!(xml("a\u{1}b"), "ab");
    }

    #[test]
    fn markdown_is_table_safe() {
        assert_eq!(markdown("a | b\nc"), "a \\| b<br>c");
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("x\r\ny\rz"), "x<br>y<br>z");
        assert_eq!(
            markdown("![x](https://evil.example/t.png) [click](https://evil.example)"),
            "!\\[x\\](https://evil.example/t.png) \\[click\\](https://evil.example)"
        );
    }

    #[test]
    fn mermaid_text_cannot_break_the_line() {
        assert_eq!(mermaid("a: b; #1\n```"), "a - b - no. 1 '''");
        assert_eq!(mermaid("<b>"), "‹b›");
    }

    #[test]
    fn truncates_on_characters() {
        assert_eq!(truncate("héllo", 10), "héllo");
        assert_eq!(truncate("héllo world", 5), "héll…");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(3.26), "3.3");
    }
}
