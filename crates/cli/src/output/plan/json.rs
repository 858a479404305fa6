//! `plan --format json` (a contract): `{"milestones": [...], "critical_path": [...], "finish"}`,
//! plus `diagnostics` — the problems that skew or stop the plan (a dependency cycle, an
//! error in a file it reads), in the shape of `check --format json` — when there are any, so
//! a machine reading the output sees why it is empty or partial.

use std::io::Write;

use milepost_load::Diagnostic;
use milepost_plan::PlanView as View;
use serde::Serialize;

use crate::output::json::{JsonDiagnostic, to_json};

/// A view and the problems behind it.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    view: &'a T,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// Writes `view` as one JSON object, with the problems that skew it.
pub fn render_with<T: Serialize>(
    out: &mut dyn Write,
    view: &T,
    problems: &[Diagnostic],
) -> std::io::Result<()> {
    let doc = Document {
        version: crate::output::json::VERSION,
        view,
        diagnostics: problems.iter().map(to_json).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes the plan view as one JSON object, with the problems that skew it.
pub fn render(out: &mut dyn Write, view: &View, problems: &[Diagnostic]) -> std::io::Result<()> {
    render_with(out, view, problems)
}
