//! `status-update-stale`: the program lead's written status is older than the plan it
//! describes, or than a reporting cycle.

use chrono::NaiveDate;
use milepost_load::Diagnostic;
use milepost_model::{ProgramStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::{day_count, days, reported};

/// Days a status update may age.
pub const MAX_AGE_DAYS: Threshold = Threshold {
    name: "max_age_days",
    default: 14,
    unit: Unit::Days,
    doc: "Days since `status_update.updated` before the update is stale: two weekly reports.",
};

/// The `status-update-stale` rule.
pub const RULE: Rule = Rule {
    id: "status-update-stale",
    summary: "A program's written status update is out of date",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A program that is not done or cancelled whose `status_update.updated` is more than \
`max_age_days` days before the as-of date, or (in a git repository) before the last commit \
(on or before the as-of date) that changed one of the program's milestones: the words at the top of the executive summary \
no longer describe the plan below them. Silent without a `status_update`, and when the loader \
already reported it.",
    why: "The executive summary leads with the lead's own sentence. When the plan has moved \
since, a VP reads \"on track for March\" above a gantt that ends in May, and trusts neither.",
    example: &[Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: proposed
sponsor: cy
owner: ada
status_update:
  updated: 2026-10-30
  summary: Design approved; build starts next week.
  asks: [Two more backend engineers from Platform]
",
    }],
    fix: "Rewrite `status_update` for this week's report (its `summary`, `highlights` and \
`asks`) and set `updated` to today.",
    fixed: &[Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: proposed
sponsor: cy
owner: ada
status_update:
  updated: 2026-11-20
  summary: Design approved; build started on 2026-11-16 and is on plan.
  asks: [Two more backend engineers from Platform]
",
    }],
    options: &[MAX_AGE_DAYS],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let max_age = i64::from(ctx.threshold(&MAX_AGE_DAYS));
    for program in &p.programs {
        let charter = &program.charter;
        let Some(update) = &charter.status_update else {
            continue;
        };
        if !program.charter_loaded
            || matches!(
                charter.status,
                ProgramStatus::Done | ProgramStatus::Cancelled
            )
            || reported(charter, &["status_update", "status"])
        {
            continue;
        }
        let age = days(update.updated, ctx.as_of);
        // The last commit that changed one of the program's milestones.
        let moved: Option<(NaiveDate, String)> = program
            .milestones
            .iter()
            .filter_map(|m| {
                let q = program.qualify(&m.id);
                // A change after the as-of date is not in the report being written.
                ctx.extras
                    .last_changed
                    .get(&q)
                    .filter(|d| **d <= ctx.as_of)
                    .map(|d| (*d, q))
            })
            .max();
        let message = match moved {
            Some((day, entity)) if day > update.updated => format!(
                "the status update of program `{}` was written {}, before the plan changed ({entity} on {day})",
                program.id, update.updated
            ),
            _ if age > max_age => format!(
                "the status update of program `{}` is {} old (updated {}); updates are refreshed at least every {max_age} days",
                program.id,
                day_count(age, "days"),
                update.updated
            ),
            _ => continue,
        };
        out.push(
            ctx.finding_at(
                &program.id,
                p.value_location(charter, "/status_update/updated"),
                message,
            )
            .hint("rewrite `status_update` (summary, highlights, asks) for this report and set `updated` to today"),
        );
    }
}
