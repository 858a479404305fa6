//! `plan --format csv`: one row per milestone.

use std::io::Write;

use milepost_plan::PlanView as View;

use crate::output::csv::{io, text, writer};

/// Writes the view as CSV with a header row (see [`crate::output::csv`] for the quoting
/// and the neutralising of formula-like text).
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    let mut w = writer(out);
    w.write_record([
        "id",
        "title",
        "owner",
        "status",
        "duration_days",
        "earliest_start",
        "earliest_finish",
        "latest_start",
        "latest_finish",
        "slack_days",
        "free_slack_days",
        "critical",
        "on_critical_path",
        "target",
        "slip_days",
    ])
    .map_err(io)?;
    for r in &view.milestones {
        w.write_record([
            text(&r.id).into_owned(),
            text(&r.title).into_owned(),
            text(r.owner.as_deref().unwrap_or("")).into_owned(),
            r.status.to_string(),
            r.duration_days.to_string(),
            r.earliest_start.to_string(),
            r.earliest_finish.to_string(),
            r.latest_start.to_string(),
            r.latest_finish.to_string(),
            r.slack_days.to_string(),
            r.free_slack_days.to_string(),
            r.critical.to_string(),
            r.on_critical_path.to_string(),
            r.target.map(|d| d.to_string()).unwrap_or_default(),
            r.slip_days.map(|d| d.to_string()).unwrap_or_default(),
        ])
        .map_err(io)?;
    }
    w.flush()
}
