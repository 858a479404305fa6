//! `risk-stale`: a live risk not reviewed within the threshold.

use milepost_load::Diagnostic;
use milepost_model::{Impact, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, days, reported};

/// Days since the last review after which an open or mitigating risk is stale.
pub const MAX_AGE_DAYS: Threshold = Threshold {
    name: "max_age_days",
    default: 14,
    unit: Unit::Days,
    doc: "Days since the last review (or, if never reviewed, since `raised`) after which a \
low- or medium-impact risk is stale. Two weekly reviews.",
};

/// The stricter threshold for high- and critical-impact risks.
pub const MAX_AGE_DAYS_HIGH_IMPACT: Threshold = Threshold {
    name: "max_age_days_high_impact",
    default: 7,
    unit: Unit::Days,
    doc: "The same for high- and critical-impact risks: every weekly review.",
};

/// The `risk-stale` rule.
pub const RULE: Rule = Rule {
    id: "risk-stale",
    summary: "A live risk has not been reviewed recently",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "An `open` or `mitigating` risk whose `reviewed` date is more than `max_age_days` \
days before the as-of date (`max_age_days_high_impact` for high- and critical-impact risks). A \
risk never reviewed is measured from the later of `raised` and, when the portfolio is in a git \
repository, the day of the last commit that changed the risk (the message says which); one with \
no date at all is not checked. Accepted \
and closed risks are not checked. Silent when the loader already reported `reviewed`, `raised`, \
`impact` or `status`. A live risk that nothing dates (no `reviewed`, no `raised`, and, outside git, no \
commit) has never been reviewed, and fires too.",
    why: "A RAID log is only as good as its last review. A risk nobody has looked at for weeks \
has a probability, impact and mitigation that describe a world that no longer exists, and the \
portfolio report still shows it as handled.",
    example: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "risks:
  - id: R-1
    title: Card network certification slips past January
    owner: bob
    probability: medium
    impact: medium
    status: open
    mitigation: Book the certification slot now; prepare the test cards in parallel.
    due: 2026-12-18
    raised: 2026-10-01
    reviewed: 2026-11-06
",
    }],
    fix: "Review the risk with its owner: update probability, impact and mitigation, and set \
`reviewed:` to the review date. Close it (`status: closed`) if it no longer applies.",
    fixed: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "risks:
  - id: R-1
    title: Card network certification slips past January
    owner: bob
    probability: medium
    impact: medium
    status: open
    mitigation: Book the certification slot now; prepare the test cards in parallel.
    due: 2026-12-18
    raised: 2026-10-01
    reviewed: 2026-11-09
",
    }],
    options: &[MAX_AGE_DAYS, MAX_AGE_DAYS_HIGH_IMPACT],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let normal = i64::from(ctx.threshold(&MAX_AGE_DAYS));
    let high = i64::from(ctx.threshold(&MAX_AGE_DAYS_HIGH_IMPACT));
    for program in &p.programs {
        for risk in &program.risks {
            if !risk.is_live() || reported(risk, &["reviewed", "raised", "impact", "status"]) {
                continue;
            }
            let entity = program.qualify(&risk.id);
            let committed = ctx.extras.last_changed.get(&entity).copied();
            let (since, field) = match (risk.reviewed, risk.raised, committed) {
                (Some(d), _, _) => (d, "reviewed"),
                (None, Some(r), Some(c)) if c > r => (c, "committed"),
                (None, Some(d), _) => (d, "raised"),
                (None, None, Some(c)) => (c, "committed"),
                (None, None, None) => {
                    // Nothing dates it: not a review date, not the day it was raised, not
                    // (outside git) a commit. A risk nobody can say was ever reviewed is stale.
                    out.push(
                        ctx.finding_at(
                            &entity,
                            crate::rules::entity_location(p, risk),
                            format!(
                                "risk {entity} has never been reviewed: it has no `reviewed` or `raised` date, and no git history dates it"
                            ),
                        )
                        .hint(format!(
                            "review it with its owner and set `reviewed: {}` (and `raised:` with the day it was first logged)",
                            ctx.as_of
                        )),
                    );
                    continue;
                }
            };
            let high_impact = risk.impact >= Impact::High;
            let limit = if high_impact { high } else { normal };
            let age = days(since, ctx.as_of);
            if age <= limit {
                continue;
            }
            let what = match field {
                "reviewed" => format!("was last reviewed {since}, {} ago", day_count(age, "days")),
                "committed" => format!(
                    "has no `reviewed` date and was last changed {since}, {} ago (date of the last commit that changed it, from git history)",
                    day_count(age, "days")
                ),
                _ => format!(
                    "was raised {since}, {} ago, and never reviewed",
                    day_count(age, "days")
                ),
            };
            let location = if field == "committed" {
                crate::rules::entity_location(p, risk)
            } else {
                p.value_location(risk, &format!("/{field}"))
            };
            let policy = if high_impact {
                format!(
                    "high- and critical-impact risks are reviewed at least every {}",
                    day_count(limit, "days")
                )
            } else {
                format!(
                    "risks are reviewed at least every {}",
                    day_count(limit, "days")
                )
            };
            out.push(
                ctx.finding_at(&entity, location, format!("risk {entity} {what}; {policy}"))
                    .hint(format!(
                        "review it with its owner and set `reviewed: {}`; close it (`status: closed`) if it no longer applies",
                        ctx.as_of
                    )),
            );
        }
    }
}
