//! `dependency-late`: an external dependency past its `needed_by` date and not delivered.

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Located};
use milepost_model::{Dependency, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{day_count, days, reported};

/// The `dependency-late` rule.
pub const RULE: Rule = Rule {
    id: "dependency-late",
    summary: "An external dependency is past its need date",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A dependency that is neither `delivered` nor `cancelled` whose `needed_by` date is \
before the as-of date. Silent when the loader already reported `needed_by` or `status`.",
    why: "The milestone that needed it is now waiting, or is about to be: the plan still assumes \
the dependency arrives on time. Either it did arrive and the log is out of date, or a slip is \
already happening that the schedule does not show.",
    example: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "dependencies:
  - id: D-1
    title: Vault tokenization endpoint for wallet payments
    provider: platform
    owner: ada
    needed_by: 2026-11-16
    raised: 2026-10-26
    status: committed
",
    }],
    fix: "If it arrived, set `status: delivered` and `delivered:` to the date. Otherwise agree a \
new date with the provider, update `needed_by`, and re-check the milestone that needs it (and \
its target).",
    fixed: &[Example {
        file: "programs/alpha/raid.yaml",
        yaml: "dependencies:
  - id: D-1
    title: Vault tokenization endpoint for wallet payments
    provider: platform
    owner: ada
    needed_by: 2026-11-16
    raised: 2026-10-26
    status: delivered
    delivered: 2026-11-13
",
    }],
    options: &[],
    check,
};

/// Whether the rule fires on this dependency.
pub(crate) fn is_late(
    dep: &Located<Dependency>,
    as_of: NaiveDate,
    calendar: &milepost_plan::Calendar,
) -> bool {
    dep.is_open()
        && dep.needed_by.is_some_and(|d| calendar.deadline_passed(d, as_of))
        && !reported(dep, &["needed_by", "status"])
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    for program in &p.programs {
        for dep in &program.dependencies {
            if !is_late(dep, ctx.as_of, calendar) {
                continue;
            }
            let Some(needed) = dep.needed_by else {
                continue;
            };
            let entity = program.qualify(&dep.id);
            let status = match dep.status {
                milepost_model::DependencyStatus::Requested => "requested",
                milepost_model::DependencyStatus::Committed => "committed",
                milepost_model::DependencyStatus::AtRisk => "at_risk",
                milepost_model::DependencyStatus::Delivered
                | milepost_model::DependencyStatus::Cancelled => "resolved",
            };
            let feeds = dep
                .milestone
                .as_ref()
                .map_or_else(String::new, |m| format!(" (it feeds `{m}`)"));
            out.push(
                ctx.finding_at(&entity, p.value_location(dep, "/needed_by"), format!(
                    "dependency {entity} was needed by {needed}, {} ago, and is still `{status}`{feeds}",
                    day_count(days(needed, ctx.as_of), "days")
                ))
                .hint("if it arrived, set `status: delivered` and `delivered: <date>`; otherwise agree a new date with the provider, update `needed_by` and re-check the milestone that needs it"),
            );
        }
    }
}
