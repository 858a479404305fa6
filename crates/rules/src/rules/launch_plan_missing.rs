//! `launch-plan-missing`: a launch inside its readiness window without a complete launch plan.

use milepost_load::Diagnostic;
use milepost_model::{LaunchPlan, MilestoneKind, MilestoneStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, entity_location, reported};

/// How many work days before its target a launch must have its launch plan.
pub const WINDOW_DAYS: Threshold = Threshold {
    name: "window_days",
    default: 10,
    unit: Unit::WorkDays,
    doc: "Work days before a launch's `target` from which its launch plan must be written: the \
same two weeks as the readiness gate (`gate-incomplete`), so the go / no-go review reads both.",
};

/// The `launch-plan-missing` rule.
pub const RULE: Rule = Rule {
    id: "launch-plan-missing",
    summary: "A launch inside its readiness window has no complete launch plan",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A milestone of `kind: launch` that is not done or cancelled, whose `target` is at most \
`window_days` work days after the as-of date (or already past), must have a `launch_plan` with \
all four parts written: `rollout`, `rollback`, `comms` and `enablement`. One finding per launch, \
at `launch_plan` (or at the milestone's `id` when there is none), naming the missing parts. \
Silent when the loader already reported `launch_plan`, `status` or `target`.",
    why: "A readiness gate says the launch is safe; the launch plan says how it goes out: who \
gets it first, how it is rolled back and who decides, who is told, and whether support and \
sales are ready. A launch two weeks out without one is planned by whoever is on call that day.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Payments API launch
    owner: ada
    kind: launch
    duration: 1w
    target: 2026-12-04
    launch_plan:
      rollout: 10% of merchants for a week, then everyone
",
    }],
    fix: "Write each part under `launch_plan:` — a sentence, or a link to the document that \
holds it.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: Payments API launch
    owner: ada
    kind: launch
    duration: 1w
    target: 2026-12-04
    launch_plan:
      rollout: 10% of merchants for a week, then everyone
      rollback: Feature flag off; the on-call engineer decides
      comms: Merchant e-mail a week before; status page on the day
      enablement: Support runbook and FAQ, https://wiki.example/payments-api
",
    }],
    options: &[WINDOW_DAYS],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let window = i64::from(ctx.threshold(&WINDOW_DAYS));
    let calendar = ctx.calendar();
    for program in &p.programs {
        for m in &program.milestones {
            if m.kind != MilestoneKind::Launch
                || matches!(m.status, MilestoneStatus::Done | MilestoneStatus::Cancelled)
                || reported(m, &["launch_plan", "status", "target"])
            {
                continue;
            }
            let Some(target) = m.target else { continue };
            let ahead = calendar.workdays_between(ctx.as_of, target);
            if ahead > window {
                continue;
            }
            let missing = m
                .launch_plan
                .as_ref()
                .map_or_else(|| LaunchPlan::PARTS.to_vec(), LaunchPlan::missing);
            if missing.is_empty() {
                continue;
            }
            let entity = program.qualify(&m.id);
            let when = if target < ctx.as_of {
                format!("its target {target} has passed")
            } else {
                format!(
                    "its target {target} is {} away",
                    day_count(ahead, "work days")
                )
            };
            let names: Vec<String> = missing.iter().map(|p| format!("`{p}`")).collect();
            let listed = |word: &str| match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} {word} {last}", rest.join(", "))
                }
                _ => names.concat(),
            };
            let (location, message) = if m.launch_plan.is_none() {
                (
                    entity_location(p, m),
                    format!("launch {entity} has no `launch_plan`, and {when}"),
                )
            } else {
                (
                    p.field_location(m, "launch_plan"),
                    format!(
                        "the launch plan of {entity} does not say {}, and {when}",
                        listed("or")
                    ),
                )
            };
            out.push(ctx.finding_at(&entity, location, message).hint(format!(
                "write {} under `launch_plan:`, a sentence or a link each: how it rolls out, how it rolls back and who decides, who is told, how support and sales are made ready",
                listed("and")
            )));
        }
    }
}
