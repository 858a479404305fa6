//! `duration-outside-estimate`: a milestone's `duration` lies outside its own `estimate`.

use milepost_load::Diagnostic;
use milepost_model::{MilestoneStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `duration-outside-estimate` rule.
pub const RULE: Rule = Rule {
    id: "duration-outside-estimate",
    summary: "A milestone's duration lies outside its own estimate's range",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A `planned` or `in_progress` milestone with both a `duration` and an `estimate` whose \
`duration` is shorter than the estimate's `optimistic` or longer than its `pessimistic` value. \
Silent when the loader already reported `duration` or `estimate`.",
    why: "`plan` schedules the `duration`; `forecast` samples the `estimate` and ignores the \
duration. When one lies outside the other, the two commands describe different plans: a \
20-day duration with a 2–4 day estimate makes the plan miss a target the forecast calls \
certain, or the other way round, and a reader cannot tell which one the owner meant.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Partner integration
    owner: ada
    duration: 4w
    estimate: {optimistic: 2d, likely: 3d, pessimistic: 4d}
",
    }],
    fix: "Make `duration` the estimate's `likely` value (what the plan should assume), or \
re-estimate so that the range contains the duration.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Partner integration
    owner: ada
    duration: 4w
    estimate: {optimistic: 15d, likely: 20d, pessimistic: 30d}
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for m in &program.milestones {
            let Some(e) = m.estimate else { continue };
            if !matches!(
                m.status,
                MilestoneStatus::Planned | MilestoneStatus::InProgress
            ) || reported(m, &["duration", "estimate", "status"])
            {
                continue;
            }
            let (d, lo, hi) = (
                m.duration.days(),
                e.optimistic.days(),
                e.pessimistic.days(),
            );
            if (lo..=hi).contains(&d) {
                continue;
            }
            let entity = program.qualify(&m.id);
            let side = if d < lo {
                "shorter than its optimistic"
            } else {
                "longer than its pessimistic"
            };
            out.push(
                ctx.finding_at(
                    &entity,
                    p.value_location(m, "/duration"),
                    format!(
                        "milestone {entity} has a duration of {d} work day{}, {side} estimate ({lo}–{hi} work days): `plan` and `forecast` describe different plans",
                        if d == 1 { "" } else { "s" }
                    ),
                )
                .hint(format!(
                    "make `duration` the estimate's likely value ({}d), or re-estimate so that the range contains it",
                    e.likely.days()
                )),
            );
        }
    }
}
