//! `gate-incomplete`: a launch that is done or imminent with readiness items not satisfied.

use std::sync::Arc;

use milepost_load::{Diagnostic, Location};
use milepost_model::{MilestoneKind, MilestoneStatus, ReadinessStatus, RuleLevel};
use milepost_model::Named;

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, pointer_token, reported};

/// How many work days before its target a launch's gate is checked.
pub const WINDOW_DAYS: Threshold = Threshold {
    name: "window_days",
    default: 10,
    unit: Unit::WorkDays,
    doc: "Work days before a launch's `target` from which its gate must be complete: two weeks, \
so a weekly review sees an unready gate twice before launch day.",
};

/// The `gate-incomplete` rule.
pub const RULE: Rule = Rule {
    id: "gate-incomplete",
    summary: "A launch is done or imminent and its readiness gate is not satisfied",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A milestone of `kind: launch` with a `gate` (a template from milepost.yaml) that is \
`done`, or whose `target` is at most `window_days` work days after the as-of date (or already \
past), must satisfy every item of the gate: each item's `readiness` entry is `done`, or \
`waived` with an `approver`. One finding per unsatisfied item, at its key in `readiness`; one \
finding listing the gate items that have no `readiness` entry at all. Cancelled launches are not \
checked. Silent when the gate is unknown (that is `ref-unknown`) or the loader already reported \
`gate`, `readiness`, `status` or `target`.",
    why: "A launch gate exists so that nobody ships without a security review, a runbook or a \
rollback plan. An item still pending two weeks before launch is a go / no-go surprise waiting \
to happen; one pending on a launch marked done means the launch skipped its own gate. A waiver \
without an approver is a waiver nobody is accountable for.",
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
    title: Payments API launch
    owner: ada
    kind: launch
    launch_plan: {rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}
    duration: 1w
    depends_on: [M1]
    target: 2026-12-04
    gate: launch-readiness
    readiness:
      security-review:
        status: in_progress
        owner: bob
      runbook:
        status: done
        owner: ada
        evidence: https://wiki.example/runbooks/payments-api
",
    }],
    fix: "Finish the item and set `status: done` with its `evidence`, or — if the launch can \
safely go without it — set `status: waived` with the `approver` who accepts that (and a `note` \
saying why). Add a `readiness` entry for every item of the gate.",
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
    title: Payments API launch
    owner: ada
    kind: launch
    launch_plan: {rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}
    duration: 1w
    depends_on: [M1]
    target: 2026-12-04
    gate: launch-readiness
    readiness:
      security-review:
        status: waived
        owner: bob
        approver: cy
        note: Internal API only; covered by the platform security review.
      runbook:
        status: done
        owner: ada
        evidence: https://wiki.example/runbooks/payments-api
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
                || m.status == MilestoneStatus::Cancelled
                || reported(m, &["gate", "readiness", "status", "target"])
            {
                continue;
            }
            let Some(gate_name) = &m.gate else { continue };
            let Some(gate) = p.settings.gates.get(gate_name.as_str()) else {
                continue;
            };
            let entity = program.qualify(&m.id);
            let when = if m.status == MilestoneStatus::Done {
                "the launch is done".to_owned()
            } else {
                let Some(target) = m.target else { continue };
                let ahead = calendar.workdays_between(ctx.as_of, target);
                if ahead > window {
                    continue;
                }
                if target < ctx.as_of {
                    format!("the launch target {target} has passed")
                } else {
                    format!(
                        "the launch target {target} is {} away",
                        day_count(ahead, "work days")
                    )
                }
            };
            let tree = p
                .source(m.file)
                .tree
                .as_ref()
                .and_then(|t| t.pointer(&format!("{}/readiness", m.pointer)));
            let mut missing: Vec<&str> = Vec::new();
            for item in gate.items() {
                let id = item.id.as_str();
                let Some(r) = m.readiness.get(id) else {
                    missing.push(id);
                    continue;
                };
                let problem = match r.status {
                    ReadinessStatus::Done => continue,
                    ReadinessStatus::Waived if r.approver.is_some() => continue,
                    ReadinessStatus::Waived => "is waived without an `approver`".to_owned(),
                    other => format!("is still `{}`", other.as_str()),
                };
                let location = tree.and_then(|n| n.entry(id)).map_or_else(
                    || p.value_location(m, &format!("/readiness/{}", pointer_token(id))),
                    |e| Location {
                        file: Arc::clone(&p.source(m.file).path),
                        span: e.key_span,
                    },
                );
                let hint = if r.status == ReadinessStatus::Waived {
                    "add `approver: <person id>`: who accepted launching without this item (and a `note` saying why)"
                } else {
                    "finish it and set `status: done` with `evidence:`, or set `status: waived` with the `approver:` who accepts launching without it"
                };
                out.push(
                    ctx.finding_at(&entity, location, format!(
                        "readiness item `{id}` of launch {entity} {problem}, and {when}"
                    ))
                    .hint(hint),
                );
            }
            if !missing.is_empty() {
                let names: Vec<String> = missing.iter().map(|i| format!("`{i}`")).collect();
                let location = if m.readiness.is_empty() {
                    p.field_location(m, "gate")
                } else {
                    p.field_location(m, "readiness")
                };
                out.push(
                    ctx.finding_at(&entity, location, format!(
                        "launch {entity} has no readiness entry for {} ({} of gate `{gate_name}`), and {when}",
                        names.join(", "),
                        if missing.len() == 1 { "an item" } else { "items" },
                    ))
                    .hint(format!(
                        "add each item under `readiness:` with its status, owner and evidence, for example `{}: {{status: pending, owner: <id>}}`",
                        missing[0]
                    )),
                );
            }
        }
    }
}
