//! `milestone-slip`: the plan forecasts a milestone to finish after its target.
//!
//! One slip often makes a chain of them: when M4 is late, M5 that waits for M4 is late too.
//! That is one problem, so it is one finding: at the first late milestone of the chain (the
//! one whose own driving predecessor is on time), with every milestone it delays listed as a
//! note. A chain that starts at an overdue milestone is `milestone-overdue`'s finding.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use milepost_load::{Diagnostic, Located};
use milepost_model::{Milestone, MilestoneKind, MilestoneStatus, RuleLevel};
use milepost_plan::{PortfolioPlan, TaskSchedule};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, entity_location, launch_late, milestone_overdue, reported};

/// Work days of slip that are tolerated.
pub const TOLERANCE_DAYS: Threshold = Threshold {
    name: "tolerance_days",
    default: 0,
    unit: Unit::WorkDays,
    doc: "Work days a forecast may run past the target before it is reported; 0 reports any \
slip.",
};

/// The `milestone-slip` rule.
pub const RULE: Rule = Rule {
    id: "milestone-slip",
    summary: "The plan forecasts a milestone to finish after its target",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A `planned` or `in_progress` milestone whose earliest finish in the critical-path \
schedule (durations, `depends_on`, the program's `start`, the as-of date and the calendar) is \
more than `tolerance_days` work days after its `target`. A chain of late milestones is one \
finding at its first late milestone, with the ones it delays as notes. Overdue milestones are \
left to `milestone-overdue` (with the chains they start), and a launch late on its own (it \
starts no chain) to `launch-late` unless that rule is off. When the plan has a dependency cycle, \
the milestones downstream of it have no forecast and are not checked; the others still are. \
Silent when the loader already reported `target` or `status`.",
    why: "A target the plan cannot meet is a commitment that is already broken, even if nothing \
is late yet. Finding it the day the plan changes — not the week the date passes — is the \
difference between re-planning and apologising.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
  - id: M2
    title: Payments API in production
    owner: ada
    duration: 3w
    depends_on: [M1]
    target: 2026-12-04
",
    }],
    fix: "Either bring the forecast in (shorten a `duration` on the chain, remove a `depends_on` \
that is not real, start earlier) or move the `target` to the forecast date with the sponsor's \
approval. `milepost plan` shows the chain that drives the date.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
  - id: M2
    title: Payments API in production
    owner: ada
    duration: 3w
    depends_on: [M1]
    target: 2026-12-11
",
    }],
    options: &[TOLERANCE_DAYS],
    check,
};

/// How late a planned task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Late {
    OnTime,
    Overdue,
    Slips,
}

/// The milestone of the plan's task `task`.
pub(crate) fn milestone<'p>(
    ctx: &Context<'p>,
    plan: &PortfolioPlan,
    task: usize,
) -> &'p Located<Milestone> {
    let key = plan.keys[task];
    &ctx.portfolio.programs[key.program].milestones[key.milestone]
}

/// Whether a milestone slips past its target by more than the tolerance, with its schedule.
pub(crate) fn slips<'f>(
    m: &Located<Milestone>,
    schedule: Option<&'f TaskSchedule>,
    tolerance: u32,
) -> Option<&'f TaskSchedule> {
    let open = matches!(
        m.status,
        MilestoneStatus::Planned | MilestoneStatus::InProgress
    );
    let s = schedule?;
    (open && !reported(m, &["target", "status"]) && s.slip_days? > i64::from(tolerance))
        .then_some(s)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(plan) = ctx.plan else { return };
    let portfolio = ctx.portfolio;
    let forecast = ctx.forecast();
    let tolerance = ctx.threshold(&TOLERANCE_DAYS);
    let n = plan.keys.len();
    let late: Vec<Late> = (0..n)
        .map(|t| {
            let candidate = milestone(ctx, plan, t);
            if milestone_overdue::is_overdue(candidate, ctx.as_of, &plan.calendar) {
                Late::Overdue
            } else if slips(candidate, forecast.task(t), tolerance).is_some() {
                Late::Slips
            } else {
                Late::OnTime
            }
        })
        .collect();
    let late_pred = |t: usize| {
        forecast
            .task(t)
            .and_then(|s| s.driving_pred)
            .filter(|&d| d < n && late[d] != Late::OnTime)
    };
    // The first late task of each late task's driving chain, memoized: linear overall.
    let mut root = vec![usize::MAX; n];
    let mut chains: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for t in (0..n).filter(|&t| late[t] == Late::Slips) {
        let mut path = vec![t];
        let mut current = t;
        let found = loop {
            if root[current] != usize::MAX {
                break root[current];
            }
            // Driving predecessors come from an acyclic schedule: the walk ends.
            match late_pred(current) {
                Some(d) => {
                    path.push(d);
                    current = d;
                }
                None => break current,
            }
        };
        for &x in &path {
            root[x] = found;
        }
        if late[found] == Late::Slips {
            chains.entry(found).or_default().push(t);
        }
    }
    for (head, members) in chains {
        let head_milestone = milestone(ctx, plan, head);
        let Some(schedule) = forecast.task(head) else {
            continue;
        };
        let (Some(target), Some(slip)) = (head_milestone.target, schedule.slip_days) else {
            continue;
        };
        let key = plan.keys[head];
        let entity = portfolio.programs[key.program].qualify(&head_milestone.id);
        let delayed: Vec<usize> = members.into_iter().filter(|&t| t != head).collect();
        // A launch late on its own (it delays nothing) is exactly `launch-late`'s finding.
        if delayed.is_empty()
            && head_milestone.kind == MilestoneKind::Launch
            && ctx.enabled(&launch_late::RULE)
            && slip > i64::from(ctx.threshold_of(&launch_late::RULE, &launch_late::TOLERANCE_DAYS))
        {
            continue;
        }
        let mut message = format!(
            "milestone {entity} is forecast to finish {}, {} after its target {target}",
            schedule.earliest_finish,
            day_count(slip, "work days")
        );
        match delayed.len() {
            0 => {}
            1 => message.push_str(", and delays 1 later milestone past its target"),
            more => {
                let _ = write!(
                    message,
                    ", and delays {more} later milestones past their targets"
                );
            }
        }

        let mut d = ctx
            .finding(message)
            .at(portfolio.value_location(head_milestone, "/target"))
            .entity(&entity);
        if let Some(driver) = schedule.driving_pred.filter(|&x| x < n) {
            let dm = milestone(ctx, plan, driver);
            let dk = plan.keys[driver];
            let finish = forecast.task(driver).map_or_else(String::new, |ds| {
                format!(", which finishes {}", ds.earliest_finish)
            });
            d = d.related(
                entity_location(portfolio, dm),
                format!(
                    "it waits for {}{finish}",
                    portfolio.programs[dk.program].qualify(&dm.id)
                ),
            );
        }
        for t in delayed {
            let dm = milestone(ctx, plan, t);
            let dk = plan.keys[t];
            if let (Some(ds), Some(dt)) = (forecast.task(t), dm.target) {
                d = d.related(
                    portfolio.value_location(dm, "/target"),
                    format!(
                        "so {} finishes {}, {} after its target {dt}",
                        portfolio.programs[dk.program].qualify(&dm.id),
                        ds.earliest_finish,
                        day_count(ds.slip_days.unwrap_or(0), "work days")
                    ),
                );
            }
        }
        out.push(d.hint(format!(
            "bring the forecast in (shorten a `duration` on the chain, drop a `depends_on` that is not real), or move `target` to {} or later with the sponsor's approval; `milepost plan` shows the chain",
            schedule.earliest_finish
        )));
    }
}
