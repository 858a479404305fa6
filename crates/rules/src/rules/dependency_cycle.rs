//! `dependency-cycle`: milestones that wait for each other (found by the planner).

use milepost_load::Diagnostic;
use milepost_model::RuleLevel;

use crate::rule::{Context, Example, Origin, Rule};

/// The `dependency-cycle` rule.
pub const RULE: Rule = Rule {
    id: "dependency-cycle",
    summary: "Milestones depend on each other in a cycle",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "The `depends_on` links between milestones, within and across programs, must not form \
a cycle. One finding per cycle: the message shows the whole cycle, the finding points at the \
first link, and a note locates every link. Cancelled milestones and references that do not \
resolve are not part of the graph.",
    why: "A cycle has no schedule: no milestone in it can start, so there is no critical path, no \
slack and no forecast for anything downstream of it. It is almost always a link written the \
wrong way round or a stale dependency left after a re-plan.",
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
    depends_on: [M1, M3]
    target: 2027-01-29
  - id: M3
    title: Load test at 3x peak passed
    owner: bob
    duration: 1w
    depends_on: [M2]
    target: 2027-02-05
",
    }],
    fix: "Remove or reverse the link that is wrong (finish-to-start: `depends_on` lists what must \
finish *before* this milestone starts). If two milestones really need each other, split one \
of them.",
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
    target: 2027-01-29
  - id: M3
    title: Load test at 3x peak passed
    owner: bob
    duration: 1w
    depends_on: [M2]
    target: 2027-02-05
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(plan) = ctx.plan {
        out.extend(plan.cycle_diagnostics(ctx.portfolio));
    }
}
