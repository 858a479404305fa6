//! `milestone-overdue`: a milestone past its target date and not done.

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Located};
use milepost_model::{Milestone, MilestoneStatus, RuleLevel};
use milepost_plan::Calendar;

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{day_count, days, reported};

/// The `milestone-overdue` rule.
pub const RULE: Rule = Rule {
    id: "milestone-overdue",
    summary: "A milestone is past its target and not done",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A `planned` or `in_progress` milestone whose `target` has passed as of the as-of date \
(a target on a non-work day means the end of the work day before it, as the plan reads it): the \
commitment was not met, or it was met and the file does not say so. Silent when the loader \
already reported `target` or `status`. An overdue milestone is not also reported by \
`milestone-slip`.",
    why: "An overdue milestone that stays `in_progress` in the plan of record misleads every \
report built on it: the critical path, the forecast and the executive summary all assume a \
commitment that has already been missed.",
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
    title: Partner sandbox available
    owner: bob
    duration: 1w
    depends_on: [M1]
    target: 2026-11-20
    status: in_progress
    started: 2026-11-16
",
    }],
    fix: "If it is finished, set `status: done` and `completed:` to the actual date. If not, \
agree a new target with the sponsor and change `target` in a pull request: the history of \
that line is the re-plan's audit trail.",
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
    title: Partner sandbox available
    owner: bob
    duration: 1w
    depends_on: [M1]
    target: 2026-11-20
    status: done
    completed: 2026-11-20
",
    }],
    options: &[],
    check,
};

/// Whether the rule fires on this milestone (also used by `milestone-slip` and
/// `health-mismatch`).
pub(crate) fn is_overdue(m: &Located<Milestone>, as_of: NaiveDate, calendar: &Calendar) -> bool {
    matches!(
        m.status,
        MilestoneStatus::Planned | MilestoneStatus::InProgress
    ) && m.target.is_some_and(|t| calendar.deadline_passed(t, as_of))
        && !reported(m, &["target", "status"])
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = milepost_plan::calendar_of(p);
    for program in &p.programs {
        for m in &program.milestones {
            if !is_overdue(m, ctx.as_of, &calendar) {
                continue;
            }
            let Some(target) = m.target else { continue };
            let entity = program.qualify(&m.id);
            let status = if m.status == MilestoneStatus::Planned {
                "planned"
            } else {
                "in_progress"
            };
            out.push(
                ctx.finding_at(&entity, p.value_location(m, "/target"), format!(
                    "milestone {entity} was due {target} and is still `{status}` ({} overdue)",
                    day_count(days(target, ctx.as_of), "days")
                ))
                .hint("if it is finished, set `status: done` and `completed: <date>`; otherwise agree a new `target` with the sponsor"),
            );
        }
    }
}
