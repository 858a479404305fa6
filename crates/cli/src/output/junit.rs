//! The JUnit XML format, for CI systems that show test reports (GitLab, Jenkins, Azure).
//!
//! One `<testsuite>` per enabled rule and one `<testcase>` per rule × entity (`program/id`,
//! or the file when a finding has no entity). Error-level findings are `<failure>`s;
//! warnings and infos pass, with their text in `<system-out>`. A rule without findings has a
//! single passing case, so a clean run still shows what was checked.
//!
//! ```xml
//! <testsuite name="owner-missing" tests="1" failures="1" errors="0" skipped="0">
//!   <testcase name="ledger/M8" classname="owner-missing" file="programs/ledger/milestones.yaml" line="114">
//!     <failure type="owner-missing" message="milestone ledger/M8 has no owner">…</failure>
//!   </testcase>
//! </testsuite>
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use milepost_load::{Diagnostic, Severity};

/// Escapes text for XML content and attribute values. Characters XML 1.0 cannot carry
/// (most control characters) become U+FFFD; line breaks in attributes are kept as
/// character references.
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One finding as text, its path in the same convention as the `file` attributes
/// (`prefix`: the portfolio folder relative to the repository root).
fn describe(d: &Diagnostic, prefix: &str) -> String {
    let mut text = String::new();
    if let Some(loc) = &d.location {
        let _ = write!(
            text,
            "{prefix}{}:{}:{}: ",
            loc.file, loc.span.line, loc.span.column
        );
    }
    let _ = write!(text, "{}[{}]: {}", d.severity.as_str(), d.rule, d.message);
    for r in &d.related {
        let _ = write!(
            text,
            "\nnote: {} at {prefix}{}:{}:{}",
            r.message, r.location.file, r.location.span.line, r.location.span.column
        );
    }
    if let Some(hint) = &d.hint {
        let _ = write!(text, "\nhelp: {hint}");
    }
    if d.capped_from.is_some() {
        let _ = write!(
            text,
            "\nnote: unchanged on the base of this change, in something it does not touch: reported as a warning"
        );
    }
    text
}

struct Case<'a> {
    name: String,
    findings: Vec<&'a Diagnostic>,
}

/// Renders a JUnit report. `rules` are the rule ids that ran (in order); findings of other
/// ids get their own suites after them. `prefix` is prepended to file paths so they are
/// relative to the repository root.
pub fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    rules: &[&str],
    prefix: &str,
) -> std::io::Result<()> {
    let mut ids: Vec<&str> = rules.to_vec();
    let mut by_rule: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics {
        if !by_rule.contains_key(d.rule) && !ids.contains(&d.rule) {
            ids.push(d.rule);
        }
        by_rule.entry(d.rule).or_default().push(d);
    }
    let mut suites = String::new();
    let (mut total, mut total_failures) = (0usize, 0usize);
    for id in ids {
        let mut cases: Vec<Case<'_>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for d in by_rule.get(id).into_iter().flatten() {
            let name = d
                .entity
                .clone()
                .or_else(|| d.location.as_ref().map(|l| l.file.to_string()))
                .unwrap_or_else(|| "portfolio".to_owned());
            if let Some(&i) = index.get(&name) {
                cases[i].findings.push(d);
            } else {
                index.insert(name.clone(), cases.len());
                cases.push(Case {
                    name,
                    findings: vec![d],
                });
            }
        }
        let failures = cases
            .iter()
            .filter(|c| c.findings.iter().any(|d| d.severity == Severity::Error))
            .count();
        let tests = cases.len().max(1);
        total += tests;
        total_failures += failures;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            escape(id, true)
        );
        let classname = escape(id, true);
        if cases.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase name=\"portfolio\" classname=\"{classname}\" time=\"0\"/>"
            );
        }
        for case in &cases {
            let mut attrs = format!(
                "name=\"{}\" classname=\"{classname}\" time=\"0\"",
                escape(&case.name, true)
            );
            if let Some(loc) = case.findings[0].location.as_ref() {
                let _ = write!(
                    attrs,
                    " file=\"{}\" line=\"{}\"",
                    escape(&format!("{prefix}{}", loc.file), true),
                    loc.span.line
                );
            }
            let _ = writeln!(suites, "    <testcase {attrs}>");
            let body: Vec<String> = case.findings.iter().map(|d| describe(d, prefix)).collect();
            // Line breaks as character references: XML readers see the same text, and the
            // raw stream has no line that user text starts (a log line beginning with `::`
            // would be a GitHub workflow command).
            let body = escape(&body.join("\n\n"), true);
            match case.findings.iter().find(|d| d.severity == Severity::Error) {
                Some(first) => {
                    let _ = writeln!(
                        suites,
                        "      <failure type=\"{}\" message=\"{}\">{body}</failure>",
                        escape(id, true),
                        escape(&first.message, true)
                    );
                }
                None => {
                    let _ = writeln!(suites, "      <system-out>{body}</system-out>");
                }
            }
            let _ = writeln!(suites, "    </testcase>");
        }
        let _ = writeln!(suites, "  </testsuite>");
    }
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"milepost check\" tests=\"{total}\" failures=\"{total_failures}\" errors=\"0\" time=\"0\">"
    )?;
    out.write_all(suites.as_bytes())?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>", true),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(escape("x\ny\u{1}", true), "x&#10;y\u{FFFD}");
        assert_eq!(escape("x\ny\u{1}", false), "x\ny\u{FFFD}");
    }
}
