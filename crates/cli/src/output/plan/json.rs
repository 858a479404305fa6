//! `plan --format json` (a contract): `{"milestones": [...], "critical_path": [...], "finish"}`.

use std::io::Write;

use milepost_plan::PlanView as View;

/// Writes the view as one JSON object.
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, view)?;
    writeln!(out)
}
