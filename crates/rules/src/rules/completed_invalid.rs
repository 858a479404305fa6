//! `completed-invalid`: a completion date in the future, or on work that is not done.

use milepost_load::Diagnostic;
use milepost_model::{MilestoneStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `completed-invalid` rule.
pub const RULE: Rule = Rule {
    id: "completed-invalid",
    summary: "A milestone's completion date is in the future, or it is set on work that is not done",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A milestone whose `completed` date is after the as-of date (nothing can have \
finished tomorrow), or that has a `completed` date while its `status` is not `done`.",
    why: "`completed` is a fact the plan and the delivery KPIs build on (on-time delivery, \
milestone variance). A date in the future is usually a target written in the wrong field; a \
completion on open work contradicts itself, and each reader picks a different half.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 1w
    status: done
    completed: 2026-11-30
",
    }],
    fix: "Write the day the work actually finished, or, if it has not finished, remove \
`completed` and set `status` to `in_progress` (with `eta:` for the expected finish).",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 1w
    status: in_progress
    started: 2026-11-16
    eta: 2026-11-30
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for m in &program.milestones {
            let Some(completed) = m.completed else { continue };
            if reported(m, &["completed", "status"]) {
                continue;
            }
            let entity = program.qualify(&m.id);
            let message = if m.status != MilestoneStatus::Done {
                format!(
                    "milestone {entity} has `completed: {completed}` but its status is `{}`",
                    m.status
                )
            } else if completed > ctx.as_of {
                format!(
                    "milestone {entity} is recorded as completed on {completed}, after the as-of date {}",
                    ctx.as_of
                )
            } else {
                continue;
            };
            out.push(
                ctx.finding_at(&entity, p.value_location(m, "/completed"), message)
                    .hint("write the day the work actually finished; if it has not, remove `completed` and keep the status open (with `eta:`)"),
            );
        }
    }
}
