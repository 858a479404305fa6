//! MS Project XML (MSPDI): the plan as Microsoft Project, ProjectLibre or any MPXJ-based tool
//! opens it.
//!
//! - One calendar, `Standard`: the portfolio's work week (8:00–12:00 and 13:00–17:00 on work
//!   days) and one non-working exception per holiday.
//! - One summary task per program (outline level 1) and one task per planned milestone (level
//!   2) with its planned `Start`/`Finish`, `Duration` in hours (8 per work day),
//!   `Milestone` for events, `Deadline` from the target, `PercentComplete` and actual dates for
//!   done work, and a "start no earlier than" constraint where the as-of date or the program's
//!   start holds it (so that Project re-schedules to the same dates).
//! - Dependencies are finish-to-start `PredecessorLink`s without lag; a dependency on a
//!   milestone outside the export is named in the task's notes.
//! - Owners are resources (their names from people.yaml) assigned to their milestones.
//! - The milepost id is the task's `WBS` (`program/M1`), so an import finds it again.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_model::MilestoneStatus;

use super::{ExportError, Source};
use crate::xml::escape;

fn start(d: NaiveDate) -> String {
    format!("{d}T08:00:00")
}

fn finish(d: NaiveDate) -> String {
    format!("{d}T17:00:00")
}

fn hours(days: u32) -> String {
    format!("PT{}H0M0S", u64::from(days) * 8)
}

fn element(out: &mut String, indent: usize, name: &str, value: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{name}>{}</{name}>",
        "",
        escape(value),
        indent = indent
    );
}

/// Renders the XML.
pub fn render(source: &Source<'_>) -> Result<String, ExportError> {
    let items = source.items()?;
    let plan = source.plan;
    let calendar = &plan.calendar;
    let schedule = plan.schedule.as_ref().ok_or(ExportError::NoSchedule)?;
    let as_of = calendar.roll_forward(plan.as_of);

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    out.push_str("<Project xmlns=\"http://schemas.microsoft.com/project\">\n");
    element(&mut out, 2, "SaveVersion", "14");
    let title = source.title();
    element(&mut out, 2, "Name", &format!("{title}.xml"));
    element(&mut out, 2, "Title", &title);
    element(&mut out, 2, "ScheduleFromStart", "1");
    let planned: Vec<_> = items.iter().filter_map(|i| i.schedule).collect();
    let first = planned
        .iter()
        .map(|s| s.earliest_start)
        .min()
        .unwrap_or(as_of);
    let last = planned
        .iter()
        .map(|s| s.earliest_finish)
        .max()
        .unwrap_or(as_of);
    element(&mut out, 2, "StartDate", &start(first));
    element(&mut out, 2, "FinishDate", &finish(last));
    element(&mut out, 2, "CurrentDate", &start(plan.as_of));
    element(&mut out, 2, "StatusDate", &start(plan.as_of));
    element(&mut out, 2, "CalendarUID", "1");
    element(&mut out, 2, "DefaultStartTime", "08:00:00");
    element(&mut out, 2, "DefaultFinishTime", "17:00:00");
    element(&mut out, 2, "MinutesPerDay", "480");
    element(&mut out, 2, "MinutesPerWeek", "2400");
    element(&mut out, 2, "DaysPerMonth", "20");
    element(&mut out, 2, "DurationFormat", "7");

    // The calendar.
    out.push_str("  <Calendars>\n    <Calendar>\n");
    element(&mut out, 6, "UID", "1");
    element(&mut out, 6, "Name", "Standard");
    element(&mut out, 6, "IsBaseCalendar", "1");
    out.push_str("      <WeekDays>\n");
    let week = calendar.workdays();
    for day_type in 1..=7 {
        // MSPDI day types: 1 = Sunday … 7 = Saturday; milepost: 0 = Monday … 6 = Sunday.
        let working = week[(day_type + 5) % 7];
        out.push_str("        <WeekDay>\n");
        element(&mut out, 10, "DayType", &day_type.to_string());
        element(&mut out, 10, "DayWorking", if working { "1" } else { "0" });
        if working {
            out.push_str("          <WorkingTimes>\n");
            for (from, to) in [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")] {
                let _ = writeln!(
                    out,
                    "            <WorkingTime><FromTime>{from}</FromTime><ToTime>{to}</ToTime></WorkingTime>"
                );
            }
            out.push_str("          </WorkingTimes>\n");
        }
        out.push_str("        </WeekDay>\n");
    }
    for h in calendar.holidays() {
        out.push_str("        <WeekDay>\n");
        element(&mut out, 10, "DayType", "0");
        element(&mut out, 10, "DayWorking", "0");
        let _ = writeln!(
            out,
            "          <TimePeriod><FromDate>{h}T00:00:00</FromDate><ToDate>{h}T23:59:00</ToDate></TimePeriod>"
        );
        out.push_str("        </WeekDay>\n");
    }
    out.push_str("      </WeekDays>\n    </Calendar>\n  </Calendars>\n");

    // Tasks: UIDs 1… in order; programs are summary tasks.
    let mut uid_of_task: HashMap<usize, usize> = HashMap::new();
    let mut next = 1;
    let mut rows: Vec<(usize, Option<usize>, usize)> = Vec::new(); // (uid, task, program)
    for (pi, _) in source.scoped_programs() {
        rows.push((next, None, pi));
        next += 1;
        for item in items.iter().filter(|i| i.program_index == pi) {
            if let Some(t) = item.task {
                uid_of_task.insert(t, next);
                rows.push((next, Some(t), pi));
                next += 1;
            }
        }
    }
    let by_task: HashMap<usize, &super::Item<'_>> = items
        .iter()
        .filter_map(|i| i.task.map(|t| (t, i)))
        .collect();
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    for item in &items {
        if item.task.is_some()
            && let Some(o) = &item.milestone.owner
        {
            let n = owners.len() + 1;
            owners.entry(o.to_string()).or_insert(n);
        }
    }
    out.push_str("  <Tasks>\n");
    let mut outline = (0, 0);
    for (id, (uid, task, pi)) in rows.iter().enumerate() {
        out.push_str("    <Task>\n");
        element(&mut out, 6, "UID", &uid.to_string());
        element(&mut out, 6, "ID", &(id + 1).to_string());
        let program = &source.portfolio.programs[*pi];
        let Some(t) = task else {
            // A program: a summary task over its milestones.
            outline = (outline.0 + 1, 0);
            element(&mut out, 6, "Name", &program.charter.name);
            element(&mut out, 6, "WBS", &program.id);
            element(&mut out, 6, "OutlineNumber", &outline.0.to_string());
            element(&mut out, 6, "OutlineLevel", "1");
            let spans: Vec<_> = rows
                .iter()
                .filter(|(_, t, p)| p == pi && t.is_some())
                .filter_map(|(_, t, _)| t.map(|t| &schedule.tasks[t]))
                .collect();
            let s = spans.iter().map(|s| s.earliest_start).min();
            let f = spans.iter().map(|s| s.earliest_finish).max();
            if let (Some(s), Some(f)) = (s, f) {
                element(&mut out, 6, "Start", &start(s));
                element(&mut out, 6, "Finish", &finish(f));
                let days = calendar.workdays_between(s, f) + 1;
                element(&mut out, 6, "Duration", &hours(days.max(0) as u32));
                element(&mut out, 6, "DurationFormat", "7");
            }
            element(&mut out, 6, "Milestone", "0");
            element(&mut out, 6, "Summary", "1");
            if let Some(target) = program.charter.target {
                element(&mut out, 6, "Deadline", &finish(target));
            }
            out.push_str("    </Task>\n");
            continue;
        };
        outline.1 += 1;
        let item = by_task[t];
        let m = item.milestone;
        let s = &schedule.tasks[*t];
        let fact = plan.tasks[*t].done.is_some();
        let event = plan.tasks[*t].duration == 0;
        element(&mut out, 6, "Name", &m.title);
        element(&mut out, 6, "WBS", &item.qualified());
        element(
            &mut out,
            6,
            "OutlineNumber",
            &format!("{}.{}", outline.0, outline.1),
        );
        element(&mut out, 6, "OutlineLevel", "2");
        // An event reached by finishing work is at the end of its day.
        let (st, fi) = if event {
            let at = if fact || s.driving_pred.is_some() {
                finish(s.earliest_finish)
            } else {
                start(s.earliest_start)
            };
            (at.clone(), at)
        } else {
            (start(s.earliest_start), finish(s.earliest_finish))
        };
        element(&mut out, 6, "Start", &st);
        element(&mut out, 6, "Finish", &fi);
        element(&mut out, 6, "Duration", &hours(plan.tasks[*t].duration));
        element(&mut out, 6, "DurationFormat", "7");
        element(&mut out, 6, "Milestone", if event { "1" } else { "0" });
        element(&mut out, 6, "Summary", "0");
        element(&mut out, 6, "Critical", if s.critical { "1" } else { "0" });
        // Work in progress: the share of its work days already behind the as-of date (1–99,
        // so that it reads as started), which is what an import reads back as in progress.
        let percent = match m.status {
            MilestoneStatus::Done => 100,
            MilestoneStatus::InProgress => {
                let days = i64::from(plan.tasks[*t].duration.max(1));
                let elapsed = calendar.workdays_between(s.earliest_start, plan.as_of);
                (elapsed * 100 / days).clamp(1, 99)
            }
            _ => 0,
        };
        element(&mut out, 6, "PercentComplete", &percent.to_string());
        if m.status == MilestoneStatus::Done {
            element(&mut out, 6, "ActualStart", &st);
            element(&mut out, 6, "ActualFinish", &fi);
        } else if m.status == MilestoneStatus::InProgress {
            element(&mut out, 6, "ActualStart", &start(s.earliest_start));
        }
        // Start no earlier than: where the as-of date or the program's start holds it.
        if !fact && s.driving_pred.is_none() {
            element(&mut out, 6, "ConstraintType", "4");
            element(&mut out, 6, "ConstraintDate", &start(s.earliest_start));
        } else if fact {
            // Must start on: a fact does not move.
            element(&mut out, 6, "ConstraintType", "2");
            element(&mut out, 6, "ConstraintDate", &st);
        } else {
            element(&mut out, 6, "ConstraintType", "0");
        }
        if let Some(target) = m.target {
            element(&mut out, 6, "Deadline", &finish(target));
        }
        let outside: Vec<String> = plan.tasks[*t]
            .deps
            .iter()
            .filter(|d| !uid_of_task.contains_key(d))
            .map(|d| plan.name(source.portfolio, *d))
            .collect();
        let mut notes = format!("{} ({})", item.qualified(), super::status_word(m.status));
        if let Some(owner) = &m.owner {
            let _ = write!(notes, "; owner {owner}");
        }
        if !outside.is_empty() {
            let _ = write!(
                notes,
                "; depends on milestones outside this export: {}",
                outside.join(", ")
            );
        }
        element(&mut out, 6, "Notes", &notes);
        for d in &plan.tasks[*t].deps {
            if let Some(p) = uid_of_task.get(d) {
                out.push_str("      <PredecessorLink>\n");
                element(&mut out, 8, "PredecessorUID", &p.to_string());
                element(&mut out, 8, "Type", "1");
                element(&mut out, 8, "CrossProject", "0");
                element(&mut out, 8, "LinkLag", "0");
                element(&mut out, 8, "LagFormat", "7");
                out.push_str("      </PredecessorLink>\n");
            }
        }
        out.push_str("    </Task>\n");
    }
    out.push_str("  </Tasks>\n");

    out.push_str("  <Resources>\n");
    for (person, uid) in &owners {
        out.push_str("    <Resource>\n");
        element(&mut out, 6, "UID", &uid.to_string());
        element(&mut out, 6, "ID", &uid.to_string());
        element(
            &mut out,
            6,
            "Name",
            source.person_name(person).unwrap_or(person),
        );
        element(&mut out, 6, "Type", "1");
        element(&mut out, 6, "Initials", person);
        if let Some(email) = source.person_email(person) {
            element(&mut out, 6, "EmailAddress", email);
        }
        out.push_str("    </Resource>\n");
    }
    out.push_str("  </Resources>\n");

    out.push_str("  <Assignments>\n");
    let mut assignment = 0;
    for (uid, task, _) in &rows {
        let Some(t) = task else { continue };
        let Some(owner) = &by_task[t].milestone.owner else {
            continue;
        };
        let Some(resource) = owners.get(&owner.to_string()) else {
            continue;
        };
        assignment += 1;
        out.push_str("    <Assignment>\n");
        element(&mut out, 6, "UID", &assignment.to_string());
        element(&mut out, 6, "TaskUID", &uid.to_string());
        element(&mut out, 6, "ResourceUID", &resource.to_string());
        element(&mut out, 6, "Units", "1");
        out.push_str("    </Assignment>\n");
    }
    out.push_str("  </Assignments>\n");
    out.push_str("</Project>\n");
    Ok(out)
}
