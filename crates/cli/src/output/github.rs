//! The GitHub Actions format: one workflow command per finding, so findings show up as
//! annotations on the pull-request diff.
//!
//! `::error file=programs/a/milestones.yaml,line=3,col=5,title=owner-missing::message`

use std::io::Write;

use milepost_load::{Diagnostic, Severity};

/// Escapes data per the workflow-command rules (`%`, CR, LF); any other control character
/// (an escape sequence in a YAML value) is shown escaped, as in the human output.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => {
                let text = c.to_string();
                out.push_str(&super::printable(&text));
            }
        }
    }
    out
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders the findings as GitHub workflow commands. `prefix` is prepended to file paths
/// so they are relative to the repository root (the portfolio may live in a subfolder).
pub fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    prefix: &str,
    base: Option<&str>,
) -> std::io::Result<()> {
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = &d.location {
            props.push(format!(
                "file={}",
                escape_property(&format!("{prefix}{}", loc.file))
            ));
            props.push(format!("line={}", loc.span.line));
            props.push(format!("col={}", loc.span.column));
            if loc.span.len > 0 {
                // The span is on one line: GitHub underlines exactly the offending value.
                props.push(format!("endLine={}", loc.span.line));
                props.push(format!("endColumn={}", loc.span.column + loc.span.len - 1));
            }
        }
        props.push(format!("title={}", escape_property(d.rule)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        if let Some(note) = base.and_then(|spec| super::base_note(d, spec)) {
            message.push_str("\nnote: ");
            message.push_str(&note);
        }
        writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_properties_and_data() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
        assert_eq!(escape_data("a\u{1b}[31m"), "a\\u{1b}[31m");
    }
}
