//! The typed milepost model.
//!
//! A milepost portfolio is a folder of YAML files (see `docs/format.md`). This crate holds
//! one Rust type per file kind and per entity, with serde derives for reading them and
//! schemars derives for generating the JSON Schemas that editors and the loader use. It
//! does no I/O: finding, parsing and locating files is the job of `milepost-load`.
//!
//! Design notes:
//! - Every struct rejects unknown keys (`deny_unknown_fields` → `additionalProperties:
//!   false`), so a typo such as `ownr:` is an error, not a silently ignored field.
//! - Fields that governance rules check (owners, mitigations, RACI roles…) are optional in
//!   the schema on purpose: a missing owner is a rule finding (`owner-missing`) with a
//!   precise message, not a generic schema error.
//! - Dates are [`chrono::NaiveDate`] (ISO 8601, `format: date` in the schema, so
//!   `2026-02-30` is rejected) and durations are [`Duration`] (`10d`, `2w`).
//! - The rustdoc on each field becomes its schema `description`, which editors show on
//!   hover: write it for a TPM, not for a Rust programmer.

mod duration;
mod entities;
mod files;
mod ids;
pub mod names;
pub mod progress;
pub mod schema;

pub use chrono::NaiveDate as Date;
pub use duration::{Duration, DurationError, MAX_DURATION_DAYS};
pub use entities::*;
pub use files::*;
pub use ids::{EntityRef, Id, PersonRef, Ref, parse_ref};
pub use names::Named;

names::named!(
    ProgramStatus,
    Health,
    MilestoneKind,
    MilestoneStatus,
    ReadinessStatus,
    Probability,
    Impact,
    RiskStatus,
    AssumptionStatus,
    IssueStatus,
    DependencyStatus,
    DecisionStatus,
    Weekday,
    RuleLevel,
    IncidentSeverity,
);
