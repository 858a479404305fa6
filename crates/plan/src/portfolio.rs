//! From a loaded [`Portfolio`] to the plain scheduling inputs, and back.
//!
//! This is the only module of the crate that knows the milepost model. It turns every
//! milestone that is not cancelled into a [`Task`] (references resolved to task indices,
//! the program's `start` as `not_before`, the program as the group), builds the
//! [`Calendar`] from `milepost.yaml`, runs [`schedule`], and maps results and cycles back
//! to milestones so rules and commands can report them at `file:line:col`.
//!
//! Conventions chosen here (documented in docs/format.md):
//! - a `cancelled` milestone is left out of the plan, and dependencies on it are ignored;
//! - a `done` milestone without `completed` is taken as finished on its target when the
//!   target is already past, otherwise on the last work day before the as-of date;
//! - references that do not resolve (already reported by the loader) are ignored.

use std::collections::HashMap;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Location, Portfolio};
use milepost_model::MilestoneStatus;

use crate::calendar::Calendar;
use crate::cpm::{Schedule, Task, schedule};
use crate::error::ScheduleError;

/// The rule id of dependency cycle findings.
pub const DEPENDENCY_CYCLE_RULE: &str = "dependency-cycle";

/// A milestone, as indices into [`Portfolio::programs`] and that program's `milestones`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MilestoneKey {
    /// Index into `portfolio.programs`.
    pub program: usize,
    /// Index into that program's `milestones`.
    pub milestone: usize,
}

/// The plan of a whole portfolio.
#[derive(Debug, Clone)]
pub struct PortfolioPlan {
    /// The calendar from `milepost.yaml`.
    pub calendar: Calendar,
    /// The as-of date the plan was computed for.
    pub as_of: NaiveDate,
    /// Task index → milestone.
    pub keys: Vec<MilestoneKey>,
    /// The tasks given to the scheduler, same order as `keys`.
    pub tasks: Vec<Task>,
    /// The schedule, unless the graph has cycles or dates overflow.
    pub schedule: Option<Schedule>,
    /// Dependency cycles as task indices (each element depends on the next, the last on the first).
    pub cycles: Vec<Vec<usize>>,
    /// Why there is no schedule, when there is none.
    pub error: Option<ScheduleError>,
    index: HashMap<MilestoneKey, usize>,
}

/// Builds the calendar of a portfolio (Monday–Friday when `workdays` is empty or invalid).
pub fn calendar_of(portfolio: &Portfolio) -> Calendar {
    let settings = &portfolio.settings.calendar;
    let mut week = [false; 7];
    for d in &settings.workdays {
        week[d.index()] = true;
    }
    Calendar::new(
        week,
        settings.holidays.iter().map(milepost_model::Holiday::date),
    )
    .unwrap_or_else(|_| Calendar::default_week())
}

/// The finish of in-progress work anchored by its actual start or its ETA: the ETA when
/// given, else `started` plus `duration` work days (the start day counts as the first);
/// never before the as-of day — work that is not done cannot finish in the past (the
/// `progress-overdue` rule reports the passed date). `None` without an anchor: the work is
/// then planned from the as-of date, and its finish moves a day later every day.
pub fn anchored_finish(
    calendar: &Calendar,
    started: Option<NaiveDate>,
    eta: Option<NaiveDate>,
    duration: u32,
    as_of: NaiveDate,
) -> Option<NaiveDate> {
    let expected = expected_finish(calendar, started, eta, duration)?;
    Some(expected.max(calendar.roll_forward(as_of)))
}

/// When anchored in-progress work is expected to finish, before clamping to the as-of day:
/// the ETA, else `started` plus `duration` work days.
pub fn expected_finish(
    calendar: &Calendar,
    started: Option<NaiveDate>,
    eta: Option<NaiveDate>,
    duration: u32,
) -> Option<NaiveDate> {
    match (eta, started) {
        (Some(eta), _) => Some(eta),
        (None, Some(started)) => calendar.checked_add_workdays(
            calendar.roll_forward(started),
            i64::from(duration.max(1)) - 1,
        ),
        (None, None) => None,
    }
}

impl PortfolioPlan {
    /// Plans every milestone of the portfolio as of `as_of`.
    pub fn build(portfolio: &Portfolio, as_of: NaiveDate) -> PortfolioPlan {
        let calendar = calendar_of(portfolio);
        let mut keys = Vec::new();
        let mut index: HashMap<MilestoneKey, usize> = HashMap::new();
        let mut by_id: HashMap<(&str, &str), usize> = HashMap::new();
        for (pi, program) in portfolio.programs.iter().enumerate() {
            for (mi, m) in program.milestones.iter().enumerate() {
                if m.status == MilestoneStatus::Cancelled {
                    continue;
                }
                if by_id.contains_key(&(program.id.as_str(), m.id.as_str())) {
                    continue; // duplicate id: reported by the loader, first one wins
                }
                let key = MilestoneKey {
                    program: pi,
                    milestone: mi,
                };
                by_id.insert((program.id.as_str(), m.id.as_str()), keys.len());
                index.insert(key, keys.len());
                keys.push(key);
            }
        }
        let last_workday_before = calendar
            .checked_add_workdays(calendar.roll_forward(as_of), -1)
            .unwrap_or(as_of);
        let tasks: Vec<Task> = keys
            .iter()
            .map(|key| {
                let program = &portfolio.programs[key.program];
                let m = &program.milestones[key.milestone];
                let deps = m
                    .depends_on
                    .iter()
                    .filter_map(milepost_model::Ref::parts)
                    .filter_map(|r| {
                        by_id
                            .get(&(r.program.unwrap_or(&program.id), r.id))
                            .copied()
                    })
                    .collect();
                let done = match m.status {
                    MilestoneStatus::Done => Some(
                        m.completed
                            .or(m.target.filter(|t| *t < as_of))
                            .unwrap_or(last_workday_before),
                    ),
                    MilestoneStatus::InProgress => {
                        anchored_finish(&calendar, m.started, m.eta, m.duration.days(), as_of)
                    }
                    _ => None,
                };
                Task {
                    duration: m.duration.days(),
                    deps,
                    target: m.target,
                    done,
                    not_before: program.charter.start,
                    group: key.program,
                }
            })
            .collect();
        let (schedule, cycles, error) = match schedule(&tasks, &calendar, as_of) {
            Ok(s) => (Some(s), Vec::new(), None),
            Err(ScheduleError::Cycle(cycles)) => {
                (None, cycles.clone(), Some(ScheduleError::Cycle(cycles)))
            }
            Err(e) => (None, Vec::new(), Some(e)),
        };
        PortfolioPlan {
            calendar,
            as_of,
            keys,
            tasks,
            schedule,
            cycles,
            error,
            index,
        }
    }

    /// The task index of a milestone, if it is planned (not cancelled, not a duplicate).
    pub fn task_of(&self, key: MilestoneKey) -> Option<usize> {
        self.index.get(&key).copied()
    }

    /// `program/id` of a task.
    pub fn name(&self, portfolio: &Portfolio, task: usize) -> String {
        let key = self.keys[task];
        let program = &portfolio.programs[key.program];
        program.qualify(&program.milestones[key.milestone].id)
    }

    /// The scheduled dates of a milestone, when there is a schedule.
    pub fn milestone(&self, key: MilestoneKey) -> Option<&crate::cpm::TaskSchedule> {
        let task = self.task_of(key)?;
        self.schedule.as_ref().map(|s| &s.tasks[task])
    }

    /// One `dependency-cycle` finding per cycle: the whole cycle in the message, located at
    /// the first hop's `depends_on` entry, with every hop as a related location.
    pub fn cycle_diagnostics(&self, portfolio: &Portfolio) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for cycle in &self.cycles {
            let names: Vec<String> = cycle.iter().map(|t| self.name(portfolio, *t)).collect();
            let mut chain = names.clone();
            chain.push(names[0].clone());
            let hop_location = |from: usize, to: usize| -> Location {
                let key = self.keys[from];
                let program = &portfolio.programs[key.program];
                let m = &program.milestones[key.milestone];
                let target = self.keys[to];
                let target_program = &portfolio.programs[target.program];
                let target_id = target_program.milestones[target.milestone].id.as_str();
                let position = m.depends_on.iter().position(|r| {
                    r.parts().is_some_and(|p| {
                        p.id == target_id && p.program.unwrap_or(&program.id) == target_program.id
                    })
                });
                match position {
                    Some(i) => portfolio.value_location(m, &format!("/depends_on/{i}")),
                    None => portfolio.field_location(m, "depends_on"),
                }
            };
            let first = hop_location(cycle[0], cycle[1 % cycle.len()]);
            let mut d = Diagnostic::error(
                DEPENDENCY_CYCLE_RULE,
                format!("dependency cycle: {}", chain.join(" → ")),
            )
            .at(first)
            .entity(names[0].clone())
            .hint("a milestone cannot wait for itself; remove or redirect one `depends_on` link in the cycle");
            for (i, task) in cycle.iter().enumerate() {
                let next = cycle[(i + 1) % cycle.len()];
                d = d.related(
                    hop_location(*task, next),
                    format!("{} depends on {}", names[i], self.name(portfolio, next)),
                );
            }
            out.push(d);
        }
        out
    }
}
