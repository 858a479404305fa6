//! The JSON format (a contract): `{"diagnostics": [...], "summary": {...}}`.

use std::io::Write;

use milepost_load::{Counts, Diagnostic};
use serde::Serialize;

use super::Tally;

/// The version of every JSON output's shape (`"version"` in `check`, `plan`, `forecast`,
/// `diff`, `log`, `audit`, `metrics` and `explain`; schemas in `schemas/output/`). A change
/// that removes or changes a field is a new version, recorded in the CHANGELOG; adding a
/// field is not.
pub const VERSION: u32 = 1;

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
    /// With `check --base`: `new`, `touched` or `unchanged` (see `BaseStatus`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<&'static str>,
    /// With `check --base`: the level the rules set, when the finding was capped at
    /// `warning` because it exists unchanged on the base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped_from: Option<&'static str>,
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
    /// The portfolio folder relative to the repository root (`.` at the root).
    portfolio: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<JsonBase>,
}

/// What `check --base` compared with.
#[derive(Debug, Serialize)]
struct JsonBase {
    /// The revision as given (`origin/main`).
    #[serde(rename = "ref")]
    spec: String,
    /// The merge base compared with.
    commit: String,
    /// Whether the base has the portfolio.
    had_portfolio: bool,
    /// Files (relative to the portfolio) the change adds, removes or edits.
    changed_files: Vec<String>,
    /// Entities the change adds, removes or edits.
    changed_entities: Vec<String>,
    new: usize,
    touched: usize,
    unchanged: usize,
    capped: usize,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    version: u32,
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
        base: d.base.map(milepost_load::BaseStatus::as_str),
        capped_from: d.capped_from.map(milepost_load::Severity::as_str),
    }
}

/// Renders the findings as one JSON object.
pub fn render(out: &mut dyn Write, report: &super::CheckReport<'_>) -> std::io::Result<()> {
    let prefix = report.prefix;
    let report_json = Report {
        version: VERSION,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let mut j = to_json(d);
                j.path = j.file.map(|f| format!("{prefix}{f}"));
                j
            })
            .collect(),
        summary: Summary {
            counts: report.counts,
            tally: Tally::of(report.diagnostics),
            as_of: report.as_of.to_string(),
            portfolio: if prefix.is_empty() {
                ".".to_owned()
            } else {
                prefix.trim_end_matches('/').to_owned()
            },
            base: report.base.map(|b| {
                let t = milepost_session::BaseTally::of(report.diagnostics);
                JsonBase {
                    spec: b.spec.clone(),
                    commit: b.commit.clone(),
                    had_portfolio: b.had_portfolio,
                    changed_files: b.changed_files.iter().cloned().collect(),
                    changed_entities: b.changed_entities.iter().cloned().collect(),
                    new: t.new,
                    touched: t.touched,
                    unchanged: t.unchanged,
                    capped: t.capped,
                }
            }),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report_json)?;
    writeln!(out)
}
