//! `plan --format mermaid`: a gantt chart that renders on GitHub and GitLab.
//!
//! The chart itself is drawn by `milepost_render::mermaid` (the executive summary embeds
//! the same chart); see there for how dates, `after` links and tags are written.

use std::io::Write;

use milepost_plan::PlanView as View;

/// Writes the gantt chart.
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    out.write_all(milepost_render::mermaid::gantt(view).as_bytes())
}
