//! `risk-unmitigated`: a high- or critical-impact live risk without a mitigation plan, or
//! past its due date.

use chrono::NaiveDate;
use milepost_load::Diagnostic;
use milepost_model::{Impact, Risk, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{blank, day_count, days, entity_location, reported};

/// The `risk-unmitigated` rule.
pub const RULE: Rule = Rule {
    id: "risk-unmitigated",
    summary: "A high-impact risk has no mitigation plan, or its mitigation is overdue",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "An `open` or `mitigating` risk of `high` or `critical` impact must have a \
`mitigation` and a `due` date (when the mitigation must be in place), and the due date must not \
have passed. Silent when the loader already reported `mitigation`, `due`, `impact` or `status`.",
    why: "A high-impact risk without a mitigation is a known problem with no plan; one without a \
due date has a plan nobody will check; one past its due date is a plan that did not happen. All \
three look fine on a status slide until the risk lands.",
    example: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "risks:
  - id: R-1
    title: The acquirer rejects our 3-D Secure flow, so EU cards fail at launch
    owner: bob
    probability: medium
    impact: high
    status: open
    raised: 2026-11-16
    reviewed: 2026-11-20
",
    }],
    fix: "Write the `mitigation` (what is being done to reduce the risk) and its `due` date. \
When the due date passes, either the mitigation is done (lower the probability or impact, or \
close the risk), or agree a new date. A risk you decide to live with is `status: accepted` \
with `accepted_by`.",
    fixed: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "risks:
  - id: R-1
    title: The acquirer rejects our 3-D Secure flow, so EU cards fail at launch
    owner: bob
    probability: medium
    impact: high
    status: open
    mitigation: Certify the flow in the acquirer's sandbox before the beta.
    due: 2026-12-18
    raised: 2026-11-16
    reviewed: 2026-11-20
",
    }],
    options: &[],
    check,
};

/// What is wrong with a risk's mitigation, if anything: missing parts, or a past due date.
pub(crate) fn problems(risk: &Risk, as_of: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if !risk.is_live() || risk.impact < Impact::High {
        return out;
    }
    match (blank(risk.mitigation.as_ref()), risk.due) {
        (true, None) => out.push("has no mitigation and no due date".to_owned()),
        (true, Some(_)) => out.push("has no mitigation".to_owned()),
        (false, None) => out.push("has no due date for its mitigation".to_owned()),
        (false, Some(_)) => {}
    }
    if let Some(due) = risk.due.filter(|d| *d < as_of) {
        out.push(format!(
            "is past its mitigation due date {due} ({} ago)",
            day_count(days(due, as_of), "days")
        ));
    }
    out
}

/// Whether the rule would fire on this risk (used by `health-mismatch`).
pub(crate) fn is_unmitigated(item: &milepost_load::Located<Risk>, as_of: NaiveDate) -> bool {
    !reported(item, &["mitigation", "due", "impact", "status"]) && !problems(item, as_of).is_empty()
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for risk in &program.risks {
            if reported(risk, &["mitigation", "due", "impact", "status"]) {
                continue;
            }
            let problems = problems(risk, ctx.as_of);
            if problems.is_empty() {
                continue;
            }
            let entity = program.qualify(&risk.id);
            let impact = if risk.impact == Impact::Critical {
                "critical"
            } else {
                "high"
            };
            let past_due = risk.due.is_some_and(|d| d < ctx.as_of);
            let (location, hint) = if past_due && !blank(risk.mitigation.as_ref()) {
                (
                    p.value_location(risk, "/due"),
                    "if the mitigation is in place, lower `probability` or `impact` (or close the risk); otherwise agree a new `due` date with the owner".to_owned(),
                )
            } else {
                (
                    entity_location(p, risk),
                    "add `mitigation:` (what reduces the risk) and `due:` (when it must be in place), or accept the risk with `status: accepted` and `accepted_by:`".to_owned(),
                )
            };
            out.push(
                ctx.finding_at(&entity, location, format!(
                    "{impact}-impact risk {entity} {}",
                    problems.join(" and ")
                ))
                .hint(hint),
            );
        }
    }
}
