//! One module per rule, each holding its `RULE` const (id, default level, documentation,
//! thresholds) and its `check`. The file name is the rule id in snake case.
//!
//! The first six rules are produced by the loader while it reads the files (`yaml`,
//! `schema`, `portfolio-layout`, `ref-unknown`, `id-duplicate`, `owner-unknown`); their
//! modules only document them, and the engine applies their levels.

/// Declares every rule module and lists its `RULE` in [`ALL`], in one place: the order here
/// is the order rules are documented (`docs/rules.md`, `milepost explain`) and run.
macro_rules! register {
    ($($module:ident),+ $(,)?) => {
        $(pub mod $module;)+

        /// All rules: first those the loader reports, then the engine's.
        pub static ALL: &[&crate::rule::Rule] = &[$(&$module::RULE),+];
    };
}

register! {
    yaml,
    schema,
    portfolio_layout,
    ref_unknown,
    id_duplicate,
    owner_unknown,
    owner_missing,
    raci_accountable,
    raci_responsible,
    risk_stale,
    risk_unmitigated,
    risk_accepted_unapproved,
    dependency_cycle,
    dependency_aging,
    dependency_late,
    milestone_overdue,
    milestone_slip,
    progress_unanchored,
    progress_overdue,
    program_late,
    launch_late,
    forecast_late,
    duration_outside_estimate,
    completed_invalid,
    target_outside_program,
    gate_incomplete,
    launch_plan_missing,
    decision_stale,
    retro_action_overdue,
    health_mismatch,
    status_update_stale,
    charter_incomplete,
}

use chrono::NaiveDate;
use milepost_load::{Located, Location, Portfolio, Program};

/// Where an entity is: its `id` value (the line a reader looks for), or the entity itself.
pub(crate) fn entity_location<T>(portfolio: &Portfolio, item: &Located<T>) -> Location {
    portfolio.value_location(item, "/id")
}

/// Whether an optional text is missing or only whitespace.
pub(crate) fn blank(text: Option<&String>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

/// Whether any of `fields` was written but dropped by a schema finding: the loader has
/// already reported it, so a rule reading that field stays silent (one mistake, one message).
pub(crate) fn reported<T>(item: &Located<T>, fields: &[&str]) -> bool {
    fields.iter().any(|f| item.dropped_like(f))
}

/// The milestone fields the plan reads.
const PLAN_FIELDS: [&str; 6] = [
    "status",
    "completed",
    "duration",
    "depends_on",
    "started",
    "eta",
];

/// Whether the loader dropped a value the plan reads (with `forecast`, also the `estimate`
/// the forecast samples) in one of `program`'s milestones: its plan is then not evidence for
/// a rule (one mistake, one message: the loader's).
pub(crate) fn plan_uncertain(program: &Program, forecast: bool) -> bool {
    program
        .milestones
        .iter()
        .any(|m| reported(m, &PLAN_FIELDS) || (forecast && reported(m, &["estimate"])))
}

/// Calendar days from `from` to `to` (positive when `to` is later).
pub(crate) fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// `1 day`, `12 days`.
pub(crate) fn day_count(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {}", unit.trim_end_matches('s'))
    } else {
        format!("{n} {unit}")
    }
}

/// The entity name of a RACI row: `program/id`, or its position and activity.
pub(crate) fn raci_entity(
    program: &Program,
    index: usize,
    row: &milepost_model::RaciActivity,
) -> String {
    match &row.id {
        Some(id) => program.qualify(id),
        None => format!("{} RACI row {} (`{}`)", program.id, index + 1, row.activity),
    }
}

/// Where a RACI row's `field` is: its key when written, else the row's `id` (or `activity`).
pub(crate) fn raci_field_location(
    portfolio: &Portfolio,
    row: &Located<milepost_model::RaciActivity>,
    field: &str,
) -> Location {
    let written = portfolio
        .source(row.file)
        .tree
        .as_ref()
        .and_then(|t| t.pointer(&row.pointer))
        .and_then(|n| n.entry(field))
        .is_some();
    if written {
        portfolio.field_location(row, field)
    } else if row.id.is_some() {
        portfolio.value_location(row, "/id")
    } else {
        portfolio.value_location(row, "/activity")
    }
}

/// A JSON Pointer token for a mapping key.
pub(crate) fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
