//! The schedule of a portfolio or one program, as plain rows ready to render.
//!
//! [`PortfolioPlan`] speaks in task indices; every renderer (the `plan` table, JSON, CSV,
//! Mermaid and Graphviz outputs of the CLI, and the reports of `milepost-render`) wants the
//! same thing instead: one row per milestone with its `program/id`, title, owner, dates,
//! slack and slip, sorted by start, plus the driving chain to the finish. [`view`] builds
//! that once, here, so the CLI and the report generator cannot disagree about it.

use std::collections::HashSet;

use chrono::NaiveDate;
use milepost_load::Portfolio;
use milepost_model::MilestoneStatus;
use rayon::prelude::*;

use crate::portfolio::{MilestoneKey, PortfolioPlan};

/// One planned milestone, ready to render.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanRow {
    /// `program/id`.
    pub id: String,
    /// The program id.
    pub program: String,
    /// The title.
    pub title: String,
    /// The owner id, if any.
    pub owner: Option<String>,
    /// `planned`, `in_progress` or `done`.
    pub status: MilestoneStatus,
    /// Whether it is a 0-day event.
    pub event: bool,
    /// Duration in work days.
    pub duration_days: u32,
    /// Earliest start.
    pub earliest_start: NaiveDate,
    /// Earliest finish.
    pub earliest_finish: NaiveDate,
    /// Latest start.
    pub latest_start: NaiveDate,
    /// Latest finish.
    pub latest_finish: NaiveDate,
    /// Total float in work days.
    pub slack_days: i64,
    /// Free float in work days.
    pub free_slack_days: i64,
    /// Slack ≤ 0.
    pub critical: bool,
    /// On the driving chain to the finish.
    pub on_critical_path: bool,
    /// The committed date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<NaiveDate>,
    /// Earliest finish − target in work days (positive = late).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slip_days: Option<i64>,
    /// `program/id` of each dependency (planned ones only).
    pub depends_on: Vec<String>,
    /// The dependency that determined the earliest start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driving_dependency: Option<String>,
}

/// The schedule in scope, ready to render.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanView {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The program shown, or `None` for the whole portfolio.
    pub program: Option<String>,
    /// Milestones, sorted by earliest start, then finish, then id.
    pub milestones: Vec<PlanRow>,
    /// The driving chain to the finish, first milestone first.
    pub critical_path: Vec<String>,
    /// The latest earliest finish in scope.
    pub finish: Option<NaiveDate>,
    /// Work days excluded from the calendar, for charts: weekdays (0 = Monday) that are not work days.
    #[serde(skip)]
    pub non_workdays: Vec<usize>,
    /// Holidays, for charts.
    #[serde(skip)]
    pub holidays: Vec<NaiveDate>,
}

/// Builds the view of a computed plan for the whole portfolio (`program: None`) or one
/// program (an index into `portfolio.programs`). Without a schedule (a cycle), the view has
/// no rows.
pub fn view(portfolio: &Portfolio, plan: &PortfolioPlan, program: Option<usize>) -> PlanView {
    let Some(schedule) = &plan.schedule else {
        return PlanView {
            as_of: plan.as_of,
            program: program.map(|p| portfolio.programs[p].id.clone()),
            milestones: Vec::new(),
            critical_path: Vec::new(),
            finish: None,
            non_workdays: Vec::new(),
            holidays: Vec::new(),
        };
    };
    let in_scope = |key: MilestoneKey| program.is_none_or(|p| key.program == p);
    // Tasks are numbered program by program (`PortfolioPlan::build`), so one program's
    // tasks are a range: found by bisection, not by a scan of the whole portfolio (a site
    // builds this view once per program).
    let tasks = match program {
        None => 0..plan.keys.len(),
        Some(p) => {
            plan.keys.partition_point(|k| k.program < p)
                ..plan.keys.partition_point(|k| k.program <= p)
        }
    };
    // The driving chain: from the latest-finishing task in scope, back through driving
    // predecessors (which may lie in other programs: that is what drives the date).
    let last = tasks
        .clone()
        .filter(|t| in_scope(plan.keys[*t]))
        .max_by(|a, b| {
            let (ta, tb) = (&schedule.tasks[*a], &schedule.tasks[*b]);
            ta.earliest_finish
                .cmp(&tb.earliest_finish)
                .then(tb.slack_days.cmp(&ta.slack_days))
                .then(b.cmp(a))
        });
    let chain: Vec<usize> = match (program, last) {
        (None, _) => schedule.critical_path.clone(),
        (Some(_), Some(last)) => {
            let mut chain = vec![last];
            let mut seen = HashSet::from([last]);
            while let Some(prev) = schedule.tasks[*chain.last().unwrap_or(&last)].driving_pred {
                if !seen.insert(prev) {
                    break;
                }
                chain.push(prev);
            }
            chain.reverse();
            chain
        }
        (Some(_), None) => Vec::new(),
    };
    let on_path: HashSet<usize> = chain.iter().copied().collect();
    // Rows are built and sorted in parallel: at 100,000 milestones this is a million small
    // strings.
    let mut rows: Vec<PlanRow> = tasks
        .into_par_iter()
        .filter(|t| in_scope(plan.keys[*t]))
        .map(|t| {
            let key = plan.keys[t];
            let p = &portfolio.programs[key.program];
            let m = &p.milestones[key.milestone];
            let s = &schedule.tasks[t];
            PlanRow {
                id: p.qualify(&m.id),
                program: p.id.clone(),
                title: m.title.clone(),
                owner: m.owner.as_ref().map(ToString::to_string),
                status: m.status,
                event: m.duration.is_event(),
                duration_days: m.duration.days(),
                earliest_start: s.earliest_start,
                earliest_finish: s.earliest_finish,
                latest_start: s.latest_start,
                latest_finish: s.latest_finish,
                slack_days: s.slack_days,
                free_slack_days: s.free_slack_days,
                critical: s.critical,
                on_critical_path: on_path.contains(&t),
                target: m.target,
                slip_days: s.slip_days,
                depends_on: plan.tasks[t]
                    .deps
                    .iter()
                    .map(|d| plan.name(portfolio, *d))
                    .collect(),
                driving_dependency: s.driving_pred.map(|d| plan.name(portfolio, d)),
            }
        })
        .collect();
    rows.par_sort_by(|a, b| {
        a.earliest_start
            .cmp(&b.earliest_start)
            .then(a.earliest_finish.cmp(&b.earliest_finish))
            .then(a.id.cmp(&b.id))
    });
    let finish = match program {
        None => schedule.finish,
        Some(p) => schedule.group_finish.get(p).copied().flatten(),
    };
    let week = plan.calendar.workdays();
    PlanView {
        as_of: plan.as_of,
        program: program.map(|p| portfolio.programs[p].id.clone()),
        milestones: rows,
        critical_path: chain.iter().map(|t| plan.name(portfolio, *t)).collect(),
        finish,
        non_workdays: (0..7).filter(|d| !week[*d]).collect(),
        holidays: plan.calendar.holidays().to_vec(),
    }
}
