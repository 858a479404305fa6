//! `progress-overdue`: work in progress whose ETA (or started + duration) has passed.

use milepost_load::Diagnostic;
use milepost_model::{MilestoneStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::milestone_overdue::is_overdue;
use crate::rules::{day_count, days, reported};

/// The `progress-overdue` rule.
pub const RULE: Rule = Rule {
    id: "progress-overdue",
    summary: "Work in progress was expected to finish before the as-of date",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "An `in_progress` milestone whose expected finish has passed: its `eta`, or, \
without one, `started` plus `duration` work days. The plan cannot finish work in the past, so \
it assumes the work finishes on the as-of day, which is optimistic. Silent when \
`milestone-overdue` already reports the milestone (its target has passed too).",
    why: "An ETA that has passed is the owner's word gone stale: every date after it in the \
plan rests on a guess nobody has made.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Partner sandbox available
    owner: ada
    duration: 2w
    target: 2026-12-18
    status: in_progress
    started: 2026-11-02
    eta: 2026-11-13
",
    }],
    fix: "Ask the owner for a new expected finish and set `eta:`, or, if the work is finished, \
set `status: done` and `completed:`.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Partner sandbox available
    owner: ada
    duration: 2w
    target: 2026-12-18
    status: in_progress
    started: 2026-11-02
    eta: 2026-12-02
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    for program in &p.programs {
        for m in &program.milestones {
            if m.status != MilestoneStatus::InProgress
                || is_overdue(m, ctx.as_of, calendar)
                || reported(m, &["status", "started", "eta", "duration"])
            {
                continue;
            }
            let Some(expected) =
                milepost_plan::expected_finish(calendar, m.started, m.eta, m.duration.days())
            else {
                continue;
            };
            if !calendar.deadline_passed(expected, ctx.as_of) {
                continue;
            }
            let entity = program.qualify(&m.id);
            let (field, basis) = if m.eta.is_some() {
                ("/eta", "its `eta`".to_owned())
            } else {
                ("/started", format!("`started` + {}", m.duration))
            };
            out.push(
                ctx.finding_at(
                    &entity,
                    p.value_location(m, field),
                    format!(
                        "milestone {entity} was expected to finish {expected} ({basis}), {} ago, and is still in progress; the plan assumes it finishes on {}",
                        day_count(days(expected, ctx.as_of), "days"),
                        ctx.as_of
                    ),
                )
                .hint("ask the owner for a new `eta:`; if the work is finished, set `status: done` and `completed: <date>`"),
            );
        }
    }
}
