//! Mermaid gantt charts: they render in Markdown on GitHub and GitLab.
//!
//! Dates are milepost's own: every task gets its explicit planned start and its duration in
//! work days (`excludes` skips the same weekends and holidays, so Mermaid ends it where
//! milepost does). `after <deps>` is not used: Mermaid ignores an `after` that names a task
//! defined later in the file, which drew bars months early in a portfolio chart. Milestones on the critical path
//! (slack ≤ 0 or on the driving chain) are `crit`, done ones `done`, in-progress ones
//! `active`, 0-day events `milestone`. All user text goes through [`escape::mermaid`].

use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_model::MilestoneStatus;
use milepost_plan::PlanView;

use crate::escape;

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

fn header(out: &mut String, title: &str, non_workdays: &[usize], holidays: &[NaiveDate]) {
    let _ = writeln!(out, "gantt");
    let _ = writeln!(out, "    title {}", escape::mermaid(title));
    let _ = writeln!(out, "    dateFormat YYYY-MM-DD");
    let _ = writeln!(out, "    axisFormat %b %d");
    let mut excludes: Vec<String> = if non_workdays == [5, 6] {
        vec!["weekends".to_owned()]
    } else {
        non_workdays
            .iter()
            .filter_map(|d| WEEKDAYS.get(*d))
            .map(|d| (*d).to_owned())
            .collect()
    };
    excludes.extend(holidays.iter().map(ToString::to_string));
    if !excludes.is_empty() {
        let _ = writeln!(out, "    excludes {}", excludes.join(", "));
    }
}

/// The gantt chart of a schedule view (a program's or the portfolio's), one section per
/// program, as Mermaid source (without the Markdown fence).
pub fn gantt(view: &PlanView) -> String {
    let mut out = String::new();
    let title = match &view.program {
        Some(p) => format!("{p} plan as of {}", view.as_of),
        None => format!("Portfolio plan as of {}", view.as_of),
    };
    let (from, to) = view.milestones.iter().fold(
        (None, None),
        |(lo, hi): (Option<NaiveDate>, Option<NaiveDate>), r| {
            (
                Some(lo.map_or(r.earliest_start, |l| l.min(r.earliest_start))),
                Some(hi.map_or(r.earliest_finish, |h| h.max(r.earliest_finish))),
            )
        },
    );
    let holidays: Vec<NaiveDate> = view
        .holidays
        .iter()
        .copied()
        .filter(|h| from.is_some_and(|f| *h >= f) && to.is_some_and(|t| *h <= t))
        .collect();
    header(&mut out, &title, &view.non_workdays, &holidays);
    let mut programs: Vec<&str> = Vec::new();
    for r in &view.milestones {
        if !programs.contains(&r.program.as_str()) {
            programs.push(&r.program);
        }
    }
    for program in programs {
        let _ = writeln!(out, "    section {}", escape::mermaid(program));
        for r in view.milestones.iter().filter(|r| r.program == program) {
            let mut tags: Vec<String> = Vec::new();
            if r.event {
                tags.push("milestone".to_owned());
            }
            if r.status == MilestoneStatus::Done {
                tags.push("done".to_owned());
            } else if r.status == MilestoneStatus::InProgress {
                tags.push("active".to_owned());
            }
            // One meaning for red: the critical path (negative slack is not drawn here).
            if r.on_critical_path && r.status != MilestoneStatus::Done {
                tags.push("crit".to_owned());
            }
            tags.push(mermaid_id(&r.id));
            tags.push(r.earliest_start.to_string());
            tags.push(format!("{}d", r.duration_days));
            let _ = writeln!(
                out,
                "    {} :{}",
                escape::mermaid(&format!("{} {}", r.id, r.title)),
                tags.join(", ")
            );
        }
    }
    out
}

/// One bar of a portfolio gantt: a program from its first start to its planned finish.
#[derive(Debug, Clone)]
pub struct ProgramBar {
    /// The program id (used as the task id).
    pub id: String,
    /// The label shown.
    pub label: String,
    /// First day of work.
    pub start: NaiveDate,
    /// Last day of work (inclusive).
    pub finish: NaiveDate,
    /// Drawn as `crit` (the program is off track or at risk).
    pub crit: bool,
    /// Drawn as `done`.
    pub done: bool,
}

/// A gantt chart with one calendar-day bar per program (start to planned finish).
pub fn programs(title: &str, bars: &[ProgramBar]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "gantt");
    let _ = writeln!(out, "    title {}", escape::mermaid(title));
    let _ = writeln!(out, "    dateFormat YYYY-MM-DD");
    let _ = writeln!(out, "    axisFormat %b %Y");
    let _ = writeln!(out, "    section Programs");
    for b in bars {
        let mut tags = Vec::new();
        if b.done {
            tags.push("done".to_owned());
        }
        if b.crit {
            tags.push("crit".to_owned());
        }
        tags.push(mermaid_id(&b.id));
        tags.push(b.start.to_string());
        // Mermaid's end date is exclusive.
        tags.push(b.finish.succ_opt().unwrap_or(b.finish).to_string());
        let _ = writeln!(
            out,
            "    {} :{}",
            escape::mermaid(&b.label),
            tags.join(", ")
        );
    }
    out
}
