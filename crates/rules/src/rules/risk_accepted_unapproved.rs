//! `risk-accepted-unapproved`: an accepted risk that does not say who accepted it.

use milepost_load::Diagnostic;
use milepost_model::{RiskStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `risk-accepted-unapproved` rule.
pub const RULE: Rule = Rule {
    id: "risk-accepted-unapproved",
    summary: "A risk is accepted without saying who accepted it",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A risk with `status: accepted` must name who accepted it in `accepted_by` (a person \
id). Silent when the loader already reported `accepted_by` or `status`.",
    why: "Accepting a risk is a decision to live with its consequences, and only someone with the \
authority to bear them can take it — usually the sponsor. Without a name, \"accepted\" is \
indistinguishable from \"ignored\", and an auditor will ask who signed it off.",
    example: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "risks:
  - id: R-1
    title: Legacy API clients see a one-hour outage at cut-over
    owner: bob
    probability: low
    impact: medium
    status: accepted
    contingency: Cut over on a Sunday morning with the support rota briefed.
    raised: 2026-11-02
    reviewed: 2026-11-20
",
    }],
    fix: "Add `accepted_by: <person id>` with the person who took the decision, and record the \
reasoning (for example in a decision in decisions.yaml). If nobody with that authority has \
accepted it, it is still `open`.",
    fixed: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "risks:
  - id: R-1
    title: Legacy API clients see a one-hour outage at cut-over
    owner: bob
    probability: low
    impact: medium
    status: accepted
    contingency: Cut over on a Sunday morning with the support rota briefed.
    raised: 2026-11-02
    reviewed: 2026-11-20
    accepted_by: cy
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for risk in &program.risks {
            if risk.status != RiskStatus::Accepted
                || risk.accepted_by.is_some()
                || reported(risk, &["accepted_by", "status"])
            {
                continue;
            }
            let entity = program.qualify(&risk.id);
            out.push(
                ctx.finding_at(&entity, p.value_location(risk, "/status"), format!(
                    "risk {entity} is accepted, but `accepted_by` does not say who accepted it"
                ))
                .hint("add `accepted_by: <person id>`: the person with the authority to accept the risk (usually the sponsor); otherwise keep it `open`"),
            );
        }
    }
}
