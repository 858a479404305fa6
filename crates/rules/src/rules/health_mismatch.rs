//! `health-mismatch`: a program declared green that its own plan contradicts.

use milepost_load::Diagnostic;
use milepost_model::{Health, Impact, ProgramStatus, RuleLevel};
use milepost_plan::MilestoneKey;

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{
    entity_location, milestone_overdue, milestone_slip, reported, risk_unmitigated,
};

/// The `health-mismatch` rule.
pub const RULE: Rule = Rule {
    id: "health-mismatch",
    summary: "A program is declared green while its plan says otherwise",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A program that is not done or cancelled and declares `health: green` while any of its \
milestones is overdue (as `milestone-overdue` sees it) or forecast past its target (as \
`milestone-slip` sees it, with that rule's `tolerance_days`), or any of its critical-impact \
risks is unmitigated (as `risk-unmitigated` sees it). One finding per program, at `health`, \
with each piece of evidence as a note. Silent when the loader already reported `health` or \
`status`. The forecast is left out of the evidence when the loader dropped a value the plan \
reads in the program's milestones (one mistake, one message).",
    why: "\"Green until it's red\" is the most expensive status-reporting habit: the program \
reports green up to the week it turns red, and leadership learns about the slip when it is too \
late to help. A declared status that the plan contradicts should be caught by CI, not by the \
steering committee.",
    example: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: active
health: green
sponsor: cy
owner: ada
start: 2026-11-02
objectives: [Launch the payments API to partners]
success_metrics:
  - metric: API availability
    target: 99.9%
scope:
  in: [Payments API]
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: in_progress
",
        },
    ],
    fix: "Declare the health the evidence supports (`amber`: at risk, recoverable; `red`: off \
track, needs help) and say why in the status report — or fix the plan so that it supports \
green (finish or re-plan the late milestone, mitigate the risk).",
    fixed: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: active
health: amber
sponsor: cy
owner: ada
start: 2026-11-02
objectives: [Launch the payments API to partners]
success_metrics:
  - metric: API availability
    target: 99.9%
scope:
  in: [Payments API]
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: in_progress
",
        },
    ],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    let forecast = ctx.forecast();
    let tolerance = ctx.threshold_of(&milestone_slip::RULE, &milestone_slip::TOLERANCE_DAYS);
    for (pi, program) in p.programs.iter().enumerate() {
        let charter = &program.charter;
        if !program.charter_loaded
            || charter.health != Some(Health::Green)
            || matches!(
                charter.status,
                ProgramStatus::Done | ProgramStatus::Cancelled
            )
            || reported(charter, &["health", "status"])
        {
            continue;
        }
        let mut evidence: Vec<(milepost_load::Location, String)> = Vec::new();
        let (mut overdue, mut slipping, mut risks) = (0, 0, 0);
        // When the loader dropped a value the plan reads (a status, a duration…), the
        // forecast is not evidence: one mistake gives one message, the loader's.
        let plan_uncertain = program.milestones.iter().any(|m| {
            reported(
                m,
                &["status", "completed", "duration", "depends_on", "started", "eta"],
            )
        });
        for (mi, m) in program.milestones.iter().enumerate() {
            let name = program.qualify(&m.id);
            if milestone_overdue::is_overdue(m, ctx.as_of, calendar) {
                overdue += 1;
                let target = m.target.map_or_else(String::new, |t| t.to_string());
                evidence.push((
                    p.value_location(m, "/target"),
                    format!("{name} is overdue (target {target})"),
                ));
                continue;
            }
            let Some(plan) = ctx.plan.filter(|_| !plan_uncertain) else {
                continue;
            };
            let key = MilestoneKey {
                program: pi,
                milestone: mi,
            };
            if let Some(s) = milestone_slip::slips(m, forecast.milestone(plan, key), tolerance) {
                slipping += 1;
                evidence.push((
                    p.value_location(m, "/target"),
                    format!(
                        "{name} is forecast to finish {}, after its target",
                        s.earliest_finish
                    ),
                ));
            }
        }
        for r in &program.risks {
            if r.impact == Impact::Critical && risk_unmitigated::is_unmitigated(r, ctx.as_of) {
                risks += 1;
                evidence.push((
                    entity_location(p, r),
                    format!("critical risk {} is unmitigated", program.qualify(&r.id)),
                ));
            }
        }
        if evidence.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        for (count, one, many) in [
            (overdue, "a milestone is overdue", "milestones are overdue"),
            (
                slipping,
                "a milestone is forecast past its target",
                "milestones are forecast past their targets",
            ),
            (
                risks,
                "a critical risk is unmitigated",
                "critical risks are unmitigated",
            ),
        ] {
            match count {
                0 => {}
                1 => parts.push(one.to_owned()),
                n => parts.push(format!("{n} {many}")),
            }
        }
        let mut d = ctx
            .finding(format!(
                "program `{}` is declared green, but {}",
                program.id,
                parts.join(" and ")
            ))
            .at(p.value_location(charter, "/health"))
            .entity(&program.id)
            .hint("declare the health the plan supports (`amber` or `red`) and say why in the status report, or fix the plan so that it supports green");
        for (location, message) in evidence {
            d = d.related(location, message);
        }
        out.push(d);
    }
}
