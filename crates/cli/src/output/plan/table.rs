//! `plan --format table`: what a TPM pastes into a review.
//!
//! Sorted by start; the critical path is marked `◆` (and bold on a terminal), slipping
//! milestones show their slip in red, and a footer names the driving chain and the finish.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use milepost_plan::PlanView as View;

use super::super::printable;

const MAX_TITLE: usize = 44;

use super::super::{cut, pad, width};

/// Open work planned past its target. Done work finished when it finished: it is history,
/// not a slip to act on (its lateness is in `metrics`).
fn slipping(r: &milepost_plan::PlanRow) -> bool {
    matches!(
        r.status,
        milepost_model::MilestoneStatus::Planned | milepost_model::MilestoneStatus::InProgress
    ) && r.slip_days.is_some_and(|s| s > 0)
}

/// Writes the table.
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    let header = [
        "",
        "milestone",
        "title",
        "owner",
        "status",
        "start",
        "finish",
        "target",
        "slack",
        "slip",
    ];
    let rows: Vec<[String; 10]> = view
        .milestones
        .iter()
        .map(|r| {
            [
                if r.on_critical_path {
                    "◆".to_owned()
                } else if r.critical {
                    "·".to_owned()
                } else {
                    String::new()
                },
                r.id.clone(),
                cut(&printable(&r.title), MAX_TITLE),
                r.owner
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), |o| printable(o).into_owned()),
                r.status.to_string().replace('_', " "),
                r.earliest_start.to_string(),
                r.earliest_finish.to_string(),
                r.target.map_or_else(String::new, |d| d.to_string()),
                format!("{}d", r.slack_days),
                r.slip_days.map_or_else(String::new, |s| {
                    if s > 0 {
                        format!("+{s}d")
                    } else {
                        format!("{s}d")
                    }
                }),
            ]
        })
        .collect();
    // Columns are padded by terminal width, so CJK and emoji titles line up.
    let mut widths = header.map(width);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let bold = Style::new().bold();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let dim = Style::new().dimmed();
    let title = match &view.program {
        Some(p) => format!("Plan of {p} as of {}", view.as_of),
        None => format!("Portfolio plan as of {}", view.as_of),
    };
    writeln!(out, "{bold}{title}{bold:#}\n")?;
    let line: Vec<String> = header.iter().zip(widths).map(|(h, w)| pad(h, w)).collect();
    writeln!(out, "{bold}{}{bold:#}", line.join("  ").trim_end())?;
    for (row, r) in rows.iter().zip(&view.milestones) {
        let cells: Vec<String> = row.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
        let text = cells.join("  ");
        let text = text.trim_end();
        if slipping(r) {
            writeln!(out, "{red}{text}{red:#}")?;
        } else if r.on_critical_path {
            writeln!(out, "{bold}{text}{bold:#}")?;
        } else if r.status == milepost_model::MilestoneStatus::Done {
            writeln!(out, "{dim}{text}{dim:#}")?;
        } else {
            writeln!(out, "{text}")?;
        }
    }
    writeln!(out)?;
    if view.milestones.is_empty() {
        writeln!(out, "no milestones to plan")?;
        return Ok(());
    }
    writeln!(out, "◆ critical path: {}", view.critical_path.join(" → "))?;
    if let Some(finish) = view.finish {
        writeln!(out, "finish: {finish}")?;
    }
    let late: Vec<&str> = view
        .milestones
        .iter()
        .filter(|r| slipping(r))
        .map(|r| r.id.as_str())
        .collect();
    if !late.is_empty() {
        writeln!(out, "{red}slipping past target: {}{red:#}", late.join(", "))?;
    }
    writeln!(
        out,
        "{dim}slack and slip are in work days; · = zero slack off the driving chain{dim:#}"
    )
}
