//! MS Project XML (`--from mspdi`), as Project, ProjectLibre and MPXJ write it.
//!
//! - Tasks become milestones; summary tasks (and the project summary, UID 0) are left out:
//!   milepost programs are flat, and a summary's dates are its children's.
//! - The id is the task's `WBS` when it is a milepost id of this program (`program/M1`, as
//!   `milepost export --to mspdi` writes it), else `T<UID>` (the UID is stable across edits in
//!   Project, unlike the row `ID`).
//! - `Duration` (hours, 8 a work day, rounded up) is the duration; `Milestone` or a zero
//!   duration an event; `Deadline` the target; `PercentComplete` 100 is done (completed on
//!   `ActualFinish`, else `Finish`), above 0 in progress (`started` on `ActualStart`, else
//!   `Start`).
//! - `PredecessorLink`s of type finish-to-start become `depends_on`. A lag cannot be said in
//!   milepost: it is dropped with a warning at the link. Other link types (start-to-start,
//!   finish-to-finish, start-to-finish) are imported as finish-to-start, with a warning.
//! - The assigned resource (the first, by assignment order) is the owner.
//! - The project calendar's work week and its non-working exceptions become the work days and
//!   holidays.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use roxmltree::{Document, Node};
use serde_json::Value;

use super::{Imported, ImportedMilestone, People, days, valid_id};
use crate::SourceProblem;

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == name)
}

fn text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name)
        .and_then(|c| c.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn date_of(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
}

/// Hours in an ISO 8601 duration such as `PT40H0M0S` (MSPDI also writes `P2DT4H…`).
fn hours(value: &str) -> Option<f64> {
    let rest = value.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0.0;
    let mut number = String::new();
    for c in date.chars() {
        match c {
            'D' => total += number.parse::<f64>().ok()? * 8.0,
            'W' => total += number.parse::<f64>().ok()? * 40.0,
            c if c.is_ascii_digit() || c == '.' => {
                number.push(c);
                continue;
            }
            _ => return None,
        }
        number.clear();
    }
    for c in time.chars() {
        match c {
            'H' => total += number.parse::<f64>().ok()?,
            'M' => total += number.parse::<f64>().ok()? / 60.0,
            'S' => total += number.parse::<f64>().ok()? / 3600.0,
            c if c.is_ascii_digit() || c == '.' => {
                number.push(c);
                continue;
            }
            _ => return None,
        }
        number.clear();
    }
    Some(total)
}

/// Reads an MSPDI document into `program`.
pub fn read(xml: &str, program: &str, people: &People) -> Imported {
    let mut out = Imported::default();
    let doc = match Document::parse(xml) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            out.problems.push(SourceProblem::error(
                pos.row,
                pos.col,
                format!("this is not XML: {e}"),
                Some("save from Project as XML (File → Save As → XML Format)".to_owned()),
            ));
            return out;
        }
    };
    let place = |node: Node<'_, '_>| {
        let p = doc.text_pos_at(node.range().start);
        (p.row, p.col)
    };
    let root = doc.root_element();
    if root.tag_name().name() != "Project" {
        let (l, c) = place(root);
        out.problems.push(SourceProblem::error(
            l,
            c,
            format!(
                "the document is `<{}>`, not an MS Project `<Project>`",
                root.tag_name().name()
            ),
            Some("save from Project as XML (MSPDI)".to_owned()),
        ));
        return out;
    }
    out.program.name = text(root, "Title")
        .or_else(|| text(root, "Name").map(|n| n.trim_end_matches(".xml")))
        .map(str::to_owned);
    out.program.start = text(root, "StartDate").and_then(date_of);
    if let Some(manager) = text(root, "Manager") {
        out.program.owner = people.resolve(manager);
    }

    // The project calendar.
    let calendar_uid = text(root, "CalendarUID").unwrap_or("1");
    if let Some(calendar) = child(root, "Calendars").and_then(|cs| {
        cs.children()
            .find(|c| c.tag_name().name() == "Calendar" && text(*c, "UID") == Some(calendar_uid))
    }) {
        read_calendar(calendar, &mut out);
    }

    // Resources and assignments.
    let resources: HashMap<&str, &str> = child(root, "Resources")
        .map(|rs| {
            rs.children()
                .filter(|r| r.tag_name().name() == "Resource")
                .filter_map(|r| Some((text(r, "UID")?, text(r, "Name")?)))
                .collect()
        })
        .unwrap_or_default();
    let mut owner_of: HashMap<&str, (&str, Node<'_, '_>)> = HashMap::new();
    if let Some(assignments) = child(root, "Assignments") {
        for a in assignments
            .children()
            .filter(|a| a.tag_name().name() == "Assignment")
        {
            if let (Some(task), Some(resource)) = (text(a, "TaskUID"), text(a, "ResourceUID"))
                && let Some(name) = resources.get(resource)
            {
                owner_of.entry(task).or_insert((name, a));
            }
        }
    }

    // Every owned field but `kind`: MS Project has no launches.
    out.carried
        .extend(super::OWNED_FIELDS.iter().filter(|f| **f != "kind"));
    let prefix = format!("{program}/");
    let tasks: Vec<Node<'_, '_>> = child(root, "Tasks")
        .map(|ts| {
            ts.children()
                .filter(|t| t.tag_name().name() == "Task")
                .collect()
        })
        .unwrap_or_default();
    let mut id_of_uid: HashMap<&str, String> = HashMap::new();
    let mut kept: Vec<(Node<'_, '_>, String)> = Vec::new();
    let mut summaries: HashSet<&str> = HashSet::new();
    for t in &tasks {
        let Some(uid) = text(*t, "UID") else { continue };
        let summary = text(*t, "Summary") == Some("1") || uid == "0";
        if summary || text(*t, "IsNull") == Some("1") {
            summaries.insert(uid);
            continue;
        }
        let id = text(*t, "WBS")
            .and_then(|w| w.strip_prefix(&prefix))
            .filter(|w| valid_id(w))
            .map_or_else(|| format!("T{uid}"), str::to_owned);
        if !valid_id(&id) {
            let (l, c) = place(*t);
            out.problems.push(SourceProblem::error(
                l,
                c,
                format!("the task UID `{uid}` cannot be an id"),
                None,
            ));
            continue;
        }
        if id_of_uid.values().any(|v| *v == id) {
            let (l, c) = place(*t);
            out.problems.push(SourceProblem::error(
                l,
                c,
                format!("two tasks would both be `{id}`"),
                Some("give each task its own WBS code".to_owned()),
            ));
            continue;
        }
        id_of_uid.insert(uid, id.clone());
        kept.push((*t, id));
    }
    for (t, id) in kept {
        let (line, _) = place(t);
        let mut fields = BTreeMap::new();
        fields.insert(
            "title",
            Value::String(text(t, "Name").unwrap_or(id.as_str()).to_owned()),
        );
        let event = text(t, "Milestone") == Some("1");
        let duration_days = match text(t, "Duration") {
            Some(d) => {
                if let Some(h) = hours(d) {
                    (h / 8.0).ceil().clamp(0.0, 2500.0) as u32
                } else {
                    let (l, c) = place(child(t, "Duration").unwrap_or(t));
                    out.problems.push(SourceProblem::error(
                        l,
                        c,
                        format!("`{d}` is not a duration"),
                        Some("MSPDI writes durations as PT40H0M0S".to_owned()),
                    ));
                    0
                }
            }
            None => 0,
        };
        if !event && duration_days > 0 {
            fields.insert("duration", days(duration_days));
        }
        if let Some(d) = text(t, "Deadline").and_then(date_of) {
            fields.insert("target", Value::String(d.to_string()));
        }
        let percent: f64 = text(t, "PercentComplete")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0.0);
        if percent >= 100.0 {
            fields.insert("status", Value::String("done".to_owned()));
            if let Some(d) = text(t, "ActualFinish")
                .or_else(|| text(t, "Finish"))
                .and_then(date_of)
            {
                fields.insert("completed", Value::String(d.to_string()));
            }
        } else if percent > 0.0 {
            fields.insert("status", Value::String("in_progress".to_owned()));
            if let Some(d) = text(t, "ActualStart")
                .or_else(|| text(t, "Start"))
                .and_then(date_of)
            {
                fields.insert("started", Value::String(d.to_string()));
            }
        }
        let mut deps = Vec::new();
        for link in t
            .children()
            .filter(|c| c.tag_name().name() == "PredecessorLink")
        {
            let (l, c) = place(link);
            let Some(pred) = text(link, "PredecessorUID") else {
                continue;
            };
            let Some(pred_id) = id_of_uid.get(pred) else {
                if summaries.contains(pred) {
                    out.problems.push(SourceProblem::warning(
                        l,
                        c,
                        format!("`{id}` follows a summary task (UID {pred}); the link is dropped"),
                        Some("link the summary's last task instead".to_owned()),
                    ));
                } else {
                    out.problems.push(SourceProblem::error(
                        l,
                        c,
                        format!("`{id}` follows the task UID {pred}, which is not in the file"),
                        None,
                    ));
                }
                continue;
            };
            let kind = text(link, "Type").unwrap_or("1");
            if kind != "1" {
                let name = match kind {
                    "0" => "finish-to-finish",
                    "2" => "start-to-finish",
                    "3" => "start-to-start",
                    _ => "unknown",
                };
                out.problems.push(SourceProblem::warning(l, c, format!("`{id}` has a {name} link to `{pred_id}`; milepost links are finish-to-start, and it is imported as one"), Some("check the dates: a finish-to-start link can make the plan later".to_owned())));
            }
            let lag: f64 = text(link, "LinkLag")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0);
            if lag != 0.0 {
                // Tenths of a minute.
                let lag_days = lag / 10.0 / 60.0 / 8.0;
                out.problems.push(SourceProblem::warning(l, c, format!("the link from `{pred_id}` to `{id}` has a lag of {lag_days:.1} work days, which milepost cannot say; it is dropped"), Some("add a milestone of that duration between them if the wait matters".to_owned())));
            }
            if !deps.contains(pred_id) {
                deps.push(pred_id.clone());
            }
        }
        if !deps.is_empty() {
            fields.insert(
                "depends_on",
                Value::Array(deps.into_iter().map(Value::String).collect()),
            );
        }
        if let Some(uid) = text(t, "UID")
            && let Some((name, a)) = owner_of.get(uid)
        {
            match people.resolve(name) {
                Some(p) => {
                    fields.insert("owner", Value::String(p));
                }
                None => {
                    out.unknown_people
                        .entry((*name).to_owned())
                        .or_insert_with(|| place(*a));
                }
            }
        }
        out.milestones.push(ImportedMilestone { id, line, fields });
    }
    out
}

/// The work week and the non-working exceptions of a calendar.
fn read_calendar(calendar: Node<'_, '_>, out: &mut Imported) {
    let Some(week_days) = child(calendar, "WeekDays") else {
        return;
    };
    let mut week = [true, true, true, true, true, false, false];
    let mut seen_week = false;
    for day in week_days
        .children()
        .filter(|d| d.tag_name().name() == "WeekDay")
    {
        let working = text(day, "DayWorking") == Some("1");
        match text(day, "DayType").and_then(|t| t.parse::<usize>().ok()) {
            Some(t @ 1..=7) => {
                week[(t + 5) % 7] = working;
                seen_week = true;
            }
            Some(0) if !working => {
                if let Some(period) = child(day, "TimePeriod") {
                    expand(period, out);
                }
            }
            _ => {}
        }
    }
    if seen_week {
        out.workdays = Some(week);
    }
    if let Some(exceptions) = child(calendar, "Exceptions") {
        for e in exceptions
            .children()
            .filter(|e| e.tag_name().name() == "Exception")
        {
            if text(e, "DayWorking") != Some("1")
                && let Some(period) = child(e, "TimePeriod")
            {
                expand(period, out);
            }
        }
    }
    out.holidays.sort_unstable();
    out.holidays.dedup();
}

/// Every date of a non-working period (at most a year of them).
fn expand(period: Node<'_, '_>, out: &mut Imported) {
    let (Some(from), Some(to)) = (
        text(period, "FromDate").and_then(date_of),
        text(period, "ToDate").and_then(date_of),
    ) else {
        return;
    };
    let mut d = from;
    while d <= to && (d - from).num_days() <= 366 {
        out.holidays.push(d);
        d = match d.checked_add_days(Days::new(1)) {
            Some(n) => n,
            None => break,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_in_hours() {
        assert_eq!(hours("PT40H0M0S"), Some(40.0));
        assert_eq!(hours("PT0H0M0S"), Some(0.0));
        assert_eq!(hours("P2DT4H30M0S"), Some(20.5));
        assert_eq!(hours("40h"), None);
    }
}
