//! A TaskJuggler 3 project (`.tjp`) that schedules to the dates of `milepost plan`.
//!
//! The mapping follows `docs/semantics.md` (finish-to-start links without resources, which is
//! what TaskJuggler and milepost agree on):
//!
//! - the calendar: `workinghours` 9:00–17:00 on the work days, `leaves holiday` per holiday;
//! - one container task per program, one task per planned milestone: `length Nd`, or
//!   `milestone` for an event; `depends` for each dependency (across programs by absolute id);
//! - the bounds of open work are milestones at the start of a day: `asof` (the as-of date) and
//!   one `start` per program with a charter start; every open milestone depends on them;
//! - facts (done work, and in-progress work anchored by `started` or `eta`) are fixed: `start`
//!   and `end` on the dates the plan gives them, `complete 100` when done;
//! - with some programs only, a dependency on a milestone outside them becomes a fixed
//!   milestone at the end of its planned finish, in an `external` container.
//!
//! Owners become resources named in `responsible` (which does not change the schedule);
//! targets, owners and status are kept in each task's `note`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{Days, NaiveDate};

use super::{ExportError, Item, Source, status_word};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A TaskJuggler identifier from any text: `[A-Za-z_][A-Za-z0-9_]*`.
fn ident(text: &str) -> String {
    let mut id: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    id
}

/// Makes `base` unique among `taken`.
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}_{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// A TaskJuggler string literal.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Renders the project.
pub fn render(source: &Source<'_>) -> Result<String, ExportError> {
    let items = source.items()?;
    let plan = source.plan;
    let calendar = &plan.calendar;
    let portfolio = source.portfolio;
    let as_of = calendar.roll_forward(plan.as_of);

    // Identifiers: programs, then milestones within each program, resources.
    let mut top: HashSet<String> = HashSet::from(["asof".to_owned(), "external".to_owned()]);
    let mut program_ids: HashMap<usize, String> = HashMap::new();
    for (pi, program) in source.scoped_programs() {
        program_ids.insert(pi, unique(ident(&program.id), &mut top));
    }
    let mut task_ids: HashMap<usize, String> = HashMap::new();
    let mut taken_in: HashMap<usize, HashSet<String>> = HashMap::new();
    for item in &items {
        let Some(task) = item.task else { continue };
        let taken = taken_in
            .entry(item.program_index)
            .or_insert_with(|| HashSet::from(["start".to_owned()]));
        let local = unique(ident(&item.milestone.id), taken);
        task_ids.insert(
            task,
            format!("{}.{local}", program_ids[&item.program_index]),
        );
    }
    // Dependencies on milestones outside the scope.
    let mut external: BTreeSet<usize> = BTreeSet::new();
    for item in &items {
        let Some(task) = item.task else { continue };
        if item.schedule.is_some() && plan.tasks[task].done.is_none() {
            external.extend(
                plan.tasks[task]
                    .deps
                    .iter()
                    .filter(|d| !task_ids.contains_key(d)),
            );
        }
    }
    let mut external_ids = HashSet::new();
    for &t in &external {
        let id = unique(ident(&plan.name(portfolio, t)), &mut external_ids);
        task_ids.insert(t, format!("external.{id}"));
    }

    // The project's span: from the earliest date anything starts to well after the finish.
    let schedule = plan.schedule.as_ref().ok_or(ExportError::NoSchedule)?;
    let mut first = as_of;
    let mut last = as_of;
    for (_, program) in source.scoped_programs() {
        if let Some(s) = program.charter.start {
            first = first.min(s);
        }
    }
    for t in task_ids.keys() {
        first = first.min(schedule.tasks[*t].earliest_start);
        last = last.max(schedule.tasks[*t].earliest_finish);
    }
    let first = first.checked_sub_days(Days::new(7)).unwrap_or(first);
    let end = last.checked_add_days(Days::new(3 * 366)).unwrap_or(last);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "/* Exported by milepost {} as of {}. Schedule with: tj3 {{file}} */",
        env!("CARGO_PKG_VERSION"),
        plan.as_of
    );
    let _ = writeln!(
        out,
        "project {} {} {first} - {end} {{",
        ident(&source.title().to_lowercase()),
        string(&source.title())
    );
    let _ = writeln!(out, "  timezone \"UTC\"");
    let _ = writeln!(out, "  now {}", plan.as_of);
    let _ = writeln!(out, "  timeformat \"%Y-%m-%d\"");
    let _ = writeln!(out, "  dailyworkinghours 8");
    let week = calendar.workdays();
    let on: Vec<&str> = (0..7).filter(|&i| week[i]).map(|i| DAYS[i]).collect();
    let off: Vec<&str> = (0..7).filter(|&i| !week[i]).map(|i| DAYS[i]).collect();
    let _ = writeln!(out, "  workinghours {} 9:00 - 17:00", on.join(", "));
    if !off.is_empty() {
        let _ = writeln!(out, "  workinghours {} off", off.join(", "));
    }
    let _ = writeln!(out, "}}\n");

    let names: HashMap<NaiveDate, &str> = portfolio
        .settings
        .calendar
        .holidays
        .iter()
        .filter_map(|h| match h {
            milepost_model::Holiday::Named(n) => Some((n.date, n.name.as_str())),
            milepost_model::Holiday::Date(_) => None,
        })
        .collect();
    for h in calendar.holidays() {
        let _ = writeln!(
            out,
            "leaves holiday {} {h}",
            string(names.get(h).copied().unwrap_or("Holiday"))
        );
    }
    if !calendar.holidays().is_empty() {
        out.push('\n');
    }

    // Owners as resources (named by `responsible`; they do not change the schedule).
    let mut owners: BTreeSet<String> = BTreeSet::new();
    for item in &items {
        if item.task.is_some()
            && let Some(owner) = &item.milestone.owner
        {
            owners.insert(owner.to_string());
        }
    }
    let mut resource_ids: HashMap<String, String> = HashMap::new();
    let mut taken_resources = HashSet::new();
    for owner in &owners {
        let id = unique(ident(owner), &mut taken_resources);
        let _ = writeln!(
            out,
            "resource {id} {}",
            string(source.person_name(owner).unwrap_or(owner))
        );
        resource_ids.insert(owner.clone(), id);
    }
    if !owners.is_empty() {
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "task asof {} {{\n  start {as_of}\n  milestone\n}}\n",
        string(&format!("As of {}", plan.as_of))
    );
    for (pi, program) in source.scoped_programs() {
        let pid = &program_ids[&pi];
        let _ = writeln!(out, "task {pid} {} {{", string(&program.charter.name));
        let start = program.charter.start.map(|s| calendar.roll_forward(s));
        if let Some(s) = start {
            let _ = writeln!(
                out,
                "  task start {} {{\n    start {s}\n    milestone\n  }}",
                string("Program start")
            );
        }
        for item in items.iter().filter(|i| i.program_index == pi) {
            let Some(task) = item.task else { continue };
            task_block(
                &mut out,
                source,
                item,
                task,
                &task_ids,
                &resource_ids,
                start,
            );
        }
        out.push_str("}\n\n");
    }
    if !external.is_empty() {
        let _ = writeln!(
            out,
            "task external {} {{",
            string("Milestones of other programs")
        );
        for &t in &external {
            let s = &schedule.tasks[t];
            let local = task_ids[&t].trim_start_matches("external.").to_owned();
            let _ = writeln!(
                out,
                "  task {local} {} {{\n    {}\n    milestone\n  }}",
                string(&plan.name(portfolio, t)),
                end_of_day(s.earliest_finish)
            );
        }
        out.push_str("}\n");
    }
    Ok(out)
}

/// The `start` of a milestone fixed at the end of a work day.
fn end_of_day(date: NaiveDate) -> String {
    format!("start {date}-17:00")
}

/// One milestone's task.
fn task_block(
    out: &mut String,
    source: &Source<'_>,
    item: &Item<'_>,
    task: usize,
    task_ids: &HashMap<usize, String>,
    resource_ids: &HashMap<String, String>,
    program_start: Option<NaiveDate>,
) {
    let plan = source.plan;
    let m = item.milestone;
    let local = task_ids[&task].rsplit('.').next().unwrap_or("m").to_owned();
    let _ = writeln!(out, "  task {local} {} {{", string(&m.title));
    let t = &plan.tasks[task];
    if let Some(s) = item.schedule
        && t.done.is_some()
    {
        // A fact: fixed where the plan puts it.
        if t.duration == 0 {
            let _ = writeln!(out, "    start {}-17:00\n    milestone", s.earliest_finish);
        } else {
            let _ = writeln!(
                out,
                "    start {}-09:00\n    end {}-17:00",
                s.earliest_start, s.earliest_finish
            );
        }
    } else {
        let mut deps = vec!["asof".to_owned()];
        if program_start.is_some() {
            deps.push(format!(
                "{}.start",
                task_ids[&task].rsplit_once('.').map_or("", |(p, _)| p)
            ));
        }
        deps.extend(t.deps.iter().filter_map(|d| task_ids.get(d).cloned()));
        let _ = writeln!(out, "    depends {}", deps.join(", "));
        if t.duration == 0 {
            let _ = writeln!(out, "    milestone");
        } else {
            let _ = writeln!(out, "    length {}d", t.duration);
        }
    }
    if m.status == milepost_model::MilestoneStatus::Done {
        let _ = writeln!(out, "    complete 100");
    }
    if let Some(owner) = &m.owner
        && let Some(id) = resource_ids.get(&owner.to_string())
    {
        let _ = writeln!(out, "    responsible {id}");
    }
    let mut note = format!("{} ({})", item.qualified(), status_word(m.status));
    if let Some(target) = m.target {
        let _ = write!(note, "; target {target}");
    }
    if let Some(owner) = &m.owner {
        let _ = write!(note, "; owner {owner}");
    }
    let _ = writeln!(out, "    note {}", string(&note));
    let _ = writeln!(out, "  }}");
}
