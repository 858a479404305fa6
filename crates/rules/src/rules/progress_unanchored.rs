//! `progress-unanchored`: work in progress whose plan moves a day later every day.

use milepost_load::Diagnostic;
use milepost_model::{MilestoneStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `progress-unanchored` rule.
pub const RULE: Rule = Rule {
    id: "progress-unanchored",
    summary: "Work in progress has no actual start or ETA, so its planned finish drifts",
    default_level: RuleLevel::Info,
    origin: Origin::Engine,
    what: "An `in_progress` milestone with neither `started` (the actual start) nor `eta` (the \
owner's expected finish). Without an anchor its `duration` is counted from the as-of date, so \
an unchanged file finishes one work day later every work day, and an old version compared \
with `milepost diff` is re-planned as of today.",
    why: "A plan that moves when nobody changed it cannot be trusted over time: the \
finish date a VP saw last week is not the one the same file gives today, and a pull request \
that slipped the work looks like an improvement when compared with a base that drifted.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Partner sandbox available
    owner: ada
    duration: 2w
    target: 2026-12-18
    status: in_progress
",
    }],
    fix: "Add `started:` with the day work began (the plan then finishes `duration` work days \
after it), and `eta:` when the owner's expected finish differs; update `eta` when their word \
changes.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Partner sandbox available
    owner: ada
    duration: 2w
    target: 2026-12-18
    status: in_progress
    started: 2026-11-16
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for m in &program.milestones {
            if m.status != MilestoneStatus::InProgress
                || m.started.is_some()
                || m.eta.is_some()
                || reported(m, &["status", "started", "eta"])
            {
                continue;
            }
            let entity = program.qualify(&m.id);
            out.push(
                ctx.finding_at(
                    &entity,
                    p.value_location(m, "/status"),
                    format!(
                        "milestone {entity} is in progress without `started` or `eta`: its {} of work is counted from the as-of date, so its planned finish moves a day later every day",
                        m.duration
                    ),
                )
                .hint("add `started: <the day work began>`, and `eta: <date>` for the owner's expected finish"),
            );
        }
    }
}
