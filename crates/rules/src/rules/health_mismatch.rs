//! `health-mismatch`: a program's declared health is better than its own plan's evidence.

use milepost_load::Diagnostic;
use milepost_model::{Health, Impact, ProgramStatus, RuleLevel};
use milepost_plan::MilestoneKey;

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{
    entity_location, milestone_overdue, milestone_slip, plan_uncertain, program_late, reported,
    risk_unmitigated,
};

/// The `health-mismatch` rule.
pub const RULE: Rule = Rule {
    id: "health-mismatch",
    summary: "A program's declared health is better than its own plan's evidence",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A program that is not done or cancelled whose declared `health` is better than the \
evidence of its own files. **Red evidence**: a milestone is overdue (as `milestone-overdue` \
sees it), the plan finishes after the charter `target` (as `program-late` sees it), or a \
milestone is forecast more than `off_track_days` work days past its target. **Amber \
evidence**: a milestone forecast past its target within that threshold (beyond \
`milestone-slip`'s `tolerance_days`), or an unmitigated critical-impact risk (as \
`risk-unmitigated` sees it). `green` is contradicted by any evidence, `amber` by red evidence; \
`red` never is. One finding per program, at `health`, with each contradicting piece of \
evidence as a note. Silent when the loader already reported `health` or `status`. The plan is \
left out of the evidence when the loader dropped a value the plan reads in the program's \
milestones (one mistake, one message). The Monte Carlo forecast is not evidence here (that is \
`forecast-late`).",
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
health: red
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
    options: &[OFF_TRACK_DAYS],
    check,
};

/// Work days past its target from which a milestone's forecast is red evidence.
pub const OFF_TRACK_DAYS: Threshold = Threshold {
    name: "off_track_days",
    default: 10,
    unit: Unit::WorkDays,
    doc: "Work days a milestone may be forecast past its target and still be amber evidence; beyond it the slip is red evidence, which contradicts a declared `amber` too.",
};

/// How strong a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// At risk: enough to contradict `green`.
    Amber,
    /// Off track: enough to contradict `amber` too.
    Red,
}

/// A piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A milestone is overdue.
    Overdue,
    /// The plan finishes after the charter target.
    ProgramLate,
    /// A milestone is forecast more than `off_track_days` past its target.
    FarSlip,
    /// A milestone is forecast past its target, within `off_track_days`.
    Slip,
    /// A critical risk is unmitigated.
    Risk,
}

impl Kind {
    fn strength(self) -> Strength {
        match self {
            Kind::Overdue | Kind::ProgramLate | Kind::FarSlip => Strength::Red,
            Kind::Slip | Kind::Risk => Strength::Amber,
        }
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    let forecast = ctx.forecast();
    let tolerance = ctx.threshold_of(&milestone_slip::RULE, &milestone_slip::TOLERANCE_DAYS);
    let off_track = i64::from(ctx.threshold(&OFF_TRACK_DAYS));
    for (pi, program) in p.programs.iter().enumerate() {
        let charter = &program.charter;
        let declared = match charter.health {
            Some(Health::Green) => Strength::Amber,
            Some(Health::Amber) => Strength::Red,
            _ => continue,
        };
        if !program.charter_loaded
            || matches!(
                charter.status,
                ProgramStatus::Done | ProgramStatus::Cancelled
            )
            || reported(charter, &["health", "status"])
        {
            continue;
        }
        // (kind, location, note)
        let mut evidence: Vec<(Kind, milepost_load::Location, String)> = Vec::new();
        let plan = ctx.plan.filter(|_| !plan_uncertain(program, false));
        for (mi, m) in program.milestones.iter().enumerate() {
            let name = program.qualify(&m.id);
            if milestone_overdue::is_overdue(m, ctx.as_of, calendar) {
                let target = m.target.map_or_else(String::new, |t| t.to_string());
                evidence.push((
                    Kind::Overdue,
                    p.value_location(m, "/target"),
                    format!("{name} is overdue (target {target})"),
                ));
                continue;
            }
            let Some(plan) = plan else { continue };
            let key = MilestoneKey {
                program: pi,
                milestone: mi,
            };
            if let Some(s) = milestone_slip::slips(m, forecast.milestone(plan, key), tolerance) {
                let days = s.slip_days.unwrap_or(0);
                evidence.push((
                    if days > off_track {
                        Kind::FarSlip
                    } else {
                        Kind::Slip
                    },
                    p.value_location(m, "/target"),
                    format!(
                        "{name} is forecast to finish {}, {days} work day{} after its target",
                        s.earliest_finish,
                        if days == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        if let (Some(plan), Some(target), false) =
            (plan, charter.target, reported(charter, &["target"]))
        {
            let finish = program_late::program_finish(ctx, plan, pi).map(|(f, _)| f);
            if let Some(finish) = finish
                && calendar.deadline_days_between(target, finish) > 0
            {
                evidence.push((
                    Kind::ProgramLate,
                    p.value_location(charter, "/target"),
                    format!("the plan finishes {finish}, after the charter target {target}"),
                ));
            }
        }
        for r in &program.risks {
            if r.impact == Impact::Critical && risk_unmitigated::is_unmitigated(r, ctx.as_of) {
                evidence.push((
                    Kind::Risk,
                    entity_location(p, r),
                    format!("critical risk {} is unmitigated", program.qualify(&r.id)),
                ));
            }
        }
        let Some(worst) = evidence.iter().map(|e| e.0.strength()).max() else {
            continue;
        };
        if worst < declared {
            continue;
        }
        // Amber evidence does not contradict amber: keep only what contradicts the claim.
        evidence.retain(|e| e.0.strength() >= declared);
        let count = |k: Kind| evidence.iter().filter(|e| e.0 == k).count();
        let mut parts = Vec::new();
        if count(Kind::ProgramLate) > 0 {
            parts.push("the plan finishes after the charter target".to_owned());
        }
        let (overdue, far, slipping, risks) = (
            count(Kind::Overdue),
            count(Kind::FarSlip),
            count(Kind::Slip),
            count(Kind::Risk),
        );
        for (count, one, many) in [
            (overdue, "a milestone is overdue", "milestones are overdue"),
            (
                far,
                "a milestone is forecast more than the off-track threshold past its target",
                "milestones are forecast more than the off-track threshold past their targets",
            ),
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
        let (colour, evidence_word, advice) = match declared {
            Strength::Amber => (
                "green",
                if worst == Strength::Red { "red" } else { "amber" },
                "declare the health the plan supports (`amber` or `red`) and say why in the status report, or fix the plan so that it supports green",
            ),
            Strength::Red => (
                "amber",
                "red",
                "declare `red` and say what help the program needs, or fix the plan so that it supports amber",
            ),
        };
        let mut d = ctx
            .finding(format!(
                "program `{}` is declared {colour}, but the evidence is {evidence_word}: {}",
                program.id,
                parts.join(" and ")
            ))
            .at(p.value_location(charter, "/health"))
            .entity(&program.id)
            .hint(advice);
        for (_, location, message) in evidence {
            d = d.related(location, message);
        }
        out.push(d);
    }
}
