//! The GitLab Code Quality format (`artifacts:reports:codequality`): a JSON array of
//! issues, shown in the merge request's Code Quality widget and in the diff.
//!
//! ```json
//! [{"description": "milestone ledger/M8 has no owner", "check_name": "owner-missing",
//!   "fingerprint": "7c1e…", "severity": "major",
//!   "location": {"path": "portfolio/programs/ledger/milestones.yaml", "lines": {"begin": 114}}}]
//! ```
//!
//! GitLab compares the fingerprints of the merge request's report with the target branch's
//! to say which findings are new and which are resolved, so a fingerprint must not change
//! when lines move or when a day passes: it hashes the rule, the entity (or, without one,
//! the file) and the message with its numbers taken out ("overdue by 3 days" and "by 4
//! days" are the same finding), plus an occurrence count for findings that would otherwise
//! collide. Paths are relative to the repository root, where GitLab looks files up.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use milepost_load::{Diagnostic, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Debug, Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Debug, Serialize)]
struct Lines {
    begin: u32,
}

/// GitLab's five levels: an error blocks the merge request (`major`), a warning is
/// `minor`, an info is `info`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// The message without its digits, so a finding whose numbers move day by day keeps its
/// fingerprint.
fn without_numbers(message: &str) -> String {
    message
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// The stable identity of a finding, as 64 hex digits.
fn fingerprint(d: &Diagnostic, occurrence: usize) -> String {
    let mut hash = Sha256::new();
    hash.update(b"milepost/v1\0");
    hash.update(d.rule.as_bytes());
    hash.update(b"\0");
    match (&d.entity, &d.location) {
        (Some(entity), _) => hash.update(entity.as_bytes()),
        (None, Some(location)) => hash.update(location.file.as_bytes()),
        (None, None) => {}
    }
    hash.update(b"\0");
    hash.update(without_numbers(&d.message).as_bytes());
    hash.update(b"\0");
    hash.update(occurrence.to_string().as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in hash.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Renders the findings as a Code Quality report. `prefix` makes paths relative to the
/// repository root. A finding without a file (a portfolio-wide one) is placed on line 1 of
/// `milepost.yaml`, since GitLab needs a path.
pub fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    prefix: &str,
    settings_file: &str,
) -> std::io::Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue<'_>> = diagnostics
        .iter()
        .map(|d| {
            let base = fingerprint(d, 0);
            let n = seen.entry(base.clone()).or_default();
            let fingerprint = if *n == 0 { base } else { fingerprint(d, *n) };
            *n += 1;
            let mut description = d.message.clone();
            if let Some(hint) = &d.hint {
                description.push_str(" (help: ");
                description.push_str(hint);
                description.push(')');
            }
            let (path, line) = match &d.location {
                Some(l) => (format!("{prefix}{}", l.file), l.span.line.max(1)),
                None => (format!("{prefix}{settings_file}"), 1),
            };
            Issue {
                description,
                check_name: d.rule,
                fingerprint,
                severity: severity(d.severity),
                location: Location {
                    path,
                    lines: Lines { begin: line },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_numbers_and_lines_but_not_entities() {
        let mut a = Diagnostic::error("milestone-overdue", "overdue by 3 work days").at(
            milepost_load::Location {
                file: "programs/a/milestones.yaml".into(),
                span: milepost_load::Span {
                    line: 3,
                    column: 1,
                    len: 0,
                },
            },
        );
        a.entity = Some("a/M1".to_owned());
        let mut b = a.clone();
        b.message = "overdue by 4 work days".to_owned();
        b.location.as_mut().unwrap().span.line = 30;
        assert_eq!(fingerprint(&a, 0), fingerprint(&b, 0));
        b.entity = Some("a/M2".to_owned());
        assert_ne!(fingerprint(&a, 0), fingerprint(&b, 0));
        assert_ne!(fingerprint(&a, 0), fingerprint(&a, 1));
        assert_eq!(fingerprint(&a, 0).len(), 64);
    }
}
