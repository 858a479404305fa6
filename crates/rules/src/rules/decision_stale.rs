//! `decision-stale`: a decision proposed long ago and still not taken.

use milepost_load::Diagnostic;
use milepost_model::{DecisionStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, days, reported};

/// Days a decision may stay `proposed` after `raised`.
pub const MAX_AGE_DAYS: Threshold = Threshold {
    name: "max_age_days",
    default: 21,
    unit: Unit::Days,
    doc: "Days since `raised` a decision may stay `proposed`: three weekly reviews.",
};

/// The `decision-stale` rule.
pub const RULE: Rule = Rule {
    id: "decision-stale",
    summary: "A decision has been waiting too long",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A decision still `proposed` more than `max_age_days` days after it was `raised`. Not \
checked without `raised`. Silent when the loader already reported `raised` or `status`.",
    why: "A proposed decision is an open ask, usually of the sponsor. Asks that linger block the \
work that depends on them without showing up as late anywhere, and the team quietly builds on \
whichever option it guessed.",
    example: &[Example {
        file: "programs/alpha/decisions.yaml",
        yaml: "decisions:
  - id: DEC-1
    title: Build or buy the 3-D Secure server?
    owner: ada
    status: proposed
    raised: 2026-10-19
    options:
      - Build on the open-source server
      - Buy a certified vendor server
",
    }],
    fix: "Take the decision: set `status: decided` with `decided`, `decided_by`, `outcome` and \
`rationale`. If it cannot be taken yet, escalate it and record what it is waiting for; if it \
is no longer needed, mark it `superseded`.",
    fixed: &[Example {
        file: "programs/alpha/decisions.yaml",
        yaml: "decisions:
  - id: DEC-1
    title: Build or buy the 3-D Secure server?
    owner: ada
    status: decided
    raised: 2026-10-19
    decided: 2026-11-05
    decided_by: cy
    options:
      - Build on the open-source server
      - Buy a certified vendor server
    outcome: Buy a certified vendor server.
    rationale: Certification alone would take longer than the launch window.
",
    }],
    options: &[MAX_AGE_DAYS],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let limit = i64::from(ctx.threshold(&MAX_AGE_DAYS));
    for program in &p.programs {
        for d in &program.decisions {
            if d.status != DecisionStatus::Proposed || reported(d, &["raised", "status"]) {
                continue;
            }
            let Some(raised) = d.raised else { continue };
            let age = days(raised, ctx.as_of);
            if age <= limit {
                continue;
            }
            let entity = program.qualify(&d.id);
            let needed = match d.needed_by {
                Some(n) if n < ctx.as_of => format!(" (it was needed by {n})"),
                _ => String::new(),
            };
            out.push(
                ctx.finding_at(&entity, p.value_location(d, "/raised"), format!(
                    "decision {entity} has been proposed since {raised}, {} ago, without a decision{needed}",
                    day_count(age, "days")
                ))
                .hint("decide it (`status: decided` with `decided`, `decided_by` and `outcome`), escalate it to the sponsor, or mark it `superseded` if it is no longer needed"),
            );
        }
    }
}
