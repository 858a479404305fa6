//! The JSON format (a contract): `{"diagnostics": [...], "summary": {...}}`.

use std::io::Write;

use milepost_load::{Counts, Diagnostic};
use serde::Serialize;

use super::Tally;

/// One diagnostic as JSON: the contract fields (`rule`, `severity`, `message`, `file`,
/// `line`, `column`, `entity`) plus `hint` and `related`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Rule id.
    pub rule: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: &'a str,
    /// What is wrong.
    pub message: &'a str,
    /// Path relative to the portfolio root.
    pub file: Option<&'a str>,
    /// Path relative to the root of the git repository (outside one: the working
    /// directory), where forges and code-scanning tools look files up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
    /// `program/id` or `program`.
    pub entity: Option<&'a str>,
    /// How to fix it.
    pub hint: Option<&'a str>,
    /// Related places.
    pub related: Vec<JsonRelated<'a>>,
}

/// A related location.
#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    /// What is there.
    pub message: &'a str,
    /// Path relative to the portfolio root.
    pub file: &'a str,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

#[derive(Debug, Serialize)]
struct Summary {
    #[serde(flatten)]
    counts: Counts,
    #[serde(flatten)]
    tally: Tally,
    as_of: String,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

/// Converts a diagnostic to its JSON shape.
pub fn to_json(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        rule: d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        file: d.location.as_ref().map(|l| &*l.file),
        path: None,
        line: d.location.as_ref().map(|l| l.span.line),
        column: d.location.as_ref().map(|l| l.span.column),
        entity: d.entity.as_deref(),
        hint: d.hint.as_deref(),
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                message: &r.message,
                file: &r.location.file,
                line: r.location.span.line,
                column: r.location.span.column,
            })
            .collect(),
    }
}

/// Renders the findings as one JSON object.
pub fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    counts: Counts,
    as_of: chrono::NaiveDate,
    prefix: &str,
) -> std::io::Result<()> {
    let report = Report {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let mut j = to_json(d);
                j.path = j.file.map(|f| format!("{prefix}{f}"));
                j
            })
            .collect(),
        summary: Summary {
            counts,
            tally: Tally::of(diagnostics),
            as_of: as_of.to_string(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
