//! `dependency-aging`: an external dependency requested long ago and still not committed.

use milepost_load::Diagnostic;
use milepost_model::{DependencyStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, days, dependency_late, reported};

/// Days after `raised` a dependency may stay `requested`.
pub const MAX_AGE_DAYS: Threshold = Threshold {
    name: "max_age_days",
    default: 30,
    unit: Unit::Days,
    doc: "Days since `raised` a dependency may stay `requested` (no commitment from the \
provider) before it is reported. About four weekly reviews.",
};

/// The `dependency-aging` rule.
pub const RULE: Rule = Rule {
    id: "dependency-aging",
    summary: "An external dependency has waited too long for a commitment",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A dependency still `requested` — asked for, with no commitment from the provider — \
more than `max_age_days` days after it was `raised`. Committed, at-risk, delivered and \
cancelled dependencies are resolved as far as this rule goes (lateness is `dependency-late`'s \
job, and a late dependency is not also reported as aging). Not checked without `raised`. \
Silent when the loader already reported `raised` or `status`.",
    why: "Cross-team asks that sit unanswered are the classic hidden schedule risk: nothing is \
late yet, so nothing is escalated, until the need date arrives with no commitment behind it. \
A month without an answer is the moment to escalate, not the need date.",
    example: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "dependencies:
  - id: D-1
    title: Dedicated load-test environment sized for 3x peak
    provider: platform
    owner: ada
    needed_by: 2027-01-15
    raised: 2026-10-12
    status: requested
",
    }],
    fix: "Get a commitment: agree a date with the provider and set `status: committed`. If the \
provider cannot commit, escalate (record an issue with `escalated_to`) or re-plan around the \
dependency.",
    fixed: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "dependencies:
  - id: D-1
    title: Dedicated load-test environment sized for 3x peak
    provider: platform
    owner: ada
    needed_by: 2027-01-15
    raised: 2026-10-12
    status: committed
",
    }],
    options: &[MAX_AGE_DAYS],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    let limit = i64::from(ctx.threshold(&MAX_AGE_DAYS));
    for program in &p.programs {
        for dep in &program.dependencies {
            if dep.status != DependencyStatus::Requested
                || reported(dep, &["raised", "status"])
                || dependency_late::is_late(dep, ctx.as_of, calendar)
            {
                continue;
            }
            let Some(raised) = dep.raised else { continue };
            let age = days(raised, ctx.as_of);
            if age <= limit {
                continue;
            }
            let entity = program.qualify(&dep.id);
            let from = dep
                .provider
                .as_ref()
                .map_or_else(String::new, |p| format!(" from `{p}`"));
            out.push(
                ctx.finding_at(&entity, p.value_location(dep, "/raised"), format!(
                    "dependency {entity} was requested {raised}, {} ago, and still has no commitment{from}",
                    day_count(age, "days")
                ))
                .hint("agree a date with the provider and set `status: committed`, or escalate (an issue with `escalated_to`) and re-plan around it"),
            );
        }
    }
}
