//! `plan --format mermaid`: a gantt chart that renders on GitHub and GitLab.
//!
//! Dates are milepost's own: a task driven by its dependencies is written
//! `after <deps>` (Mermaid then starts it where milepost does, since the chart excludes
//! the same non-working days); any other task gets its explicit start date. Durations are
//! work days (`excludes` skips weekends and holidays). Critical milestones are `crit`,
//! done ones `done`, 0-day events `milestone`.

use std::collections::HashMap;
use std::io::Write;

use crate::commands::plan::View;

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A Mermaid-safe task id.
pub fn mermaid_id(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert(0, 't');
    }
    s
}

/// Text that cannot break the gantt syntax (`:` and `;` separate fields, `#` starts an entity).
pub fn mermaid_text(s: &str) -> String {
    s.replace([':', ';'], " -")
        .replace('#', "no. ")
        .replace(['\n', '\r'], " ")
}

/// Writes the gantt chart.
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    writeln!(out, "gantt")?;
    let title = match &view.program {
        Some(p) => format!("{p} plan as of {}", view.as_of),
        None => format!("Portfolio plan as of {}", view.as_of),
    };
    writeln!(out, "    title {}", mermaid_text(&title))?;
    writeln!(out, "    dateFormat YYYY-MM-DD")?;
    writeln!(out, "    axisFormat %b %d")?;
    let mut excludes: Vec<String> = if view.non_workdays == [5, 6] {
        vec!["weekends".to_owned()]
    } else {
        view.non_workdays
            .iter()
            .map(|d| WEEKDAYS[*d].to_owned())
            .collect()
    };
    let (from, to) = view.milestones.iter().fold(
        (None, None),
        |(lo, hi): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), r| {
            (
                Some(lo.map_or(r.earliest_start, |l| l.min(r.earliest_start))),
                Some(hi.map_or(r.earliest_finish, |h| h.max(r.earliest_finish))),
            )
        },
    );
    excludes.extend(
        view.holidays
            .iter()
            .filter(|h| from.is_some_and(|f| **h >= f) && to.is_some_and(|t| **h <= t))
            .map(ToString::to_string),
    );
    if !excludes.is_empty() {
        writeln!(out, "    excludes {}", excludes.join(", "))?;
    }
    let finish_of: HashMap<&str, &crate::commands::plan::Row> =
        view.milestones.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut programs: Vec<&str> = Vec::new();
    for r in &view.milestones {
        if !programs.contains(&r.program.as_str()) {
            programs.push(&r.program);
        }
    }
    for program in programs {
        writeln!(out, "    section {}", mermaid_text(program))?;
        for r in view.milestones.iter().filter(|r| r.program == program) {
            let mut tags: Vec<String> = Vec::new();
            if r.event {
                tags.push("milestone".to_owned());
            }
            if r.status == "done" {
                tags.push("done".to_owned());
            } else if r.status == "in_progress" {
                tags.push("active".to_owned());
            }
            if r.critical {
                tags.push("crit".to_owned());
            }
            tags.push(mermaid_id(&r.id));
            // Dependency-driven: every dependency shown, and the driving one ends right before.
            let driven = r
                .driving_dependency
                .as_deref()
                .and_then(|d| finish_of.get(d))
                .is_some()
                && r.status != "done"
                && r.depends_on
                    .iter()
                    .all(|d| finish_of.contains_key(d.as_str()));
            if driven {
                let deps: Vec<String> = r.depends_on.iter().map(|d| mermaid_id(d)).collect();
                tags.push(format!("after {}", deps.join(" ")));
            } else {
                tags.push(r.earliest_start.to_string());
            }
            tags.push(format!("{}d", r.duration_days));
            writeln!(
                out,
                "    {} :{}",
                mermaid_text(&format!("{} {}", r.id, r.title)),
                tags.join(", ")
            )?;
        }
    }
    Ok(())
}
