//! Git history as the change-control record of a milepost portfolio.
//!
//! A portfolio lives in a git repository, so its history already says who changed which
//! commitment, when, in which pull request and with whose approval. This crate reads it:
//!
//! - [`History::open`] finds the repository that holds a portfolio folder;
//!   [`History::portfolio_at`] loads the portfolio as it was at any commit, straight from the
//!   git tree through the loader (nothing is checked out, `git` is never run; libgit2 is
//!   built without network transports).
//! - [`diff_portfolios`] is the **semantic diff** of two portfolios: entities added, removed
//!   and modified field by field, date moves in work days on the portfolio calendar, and the
//!   critical path before and after ([`entity`] explains how entities are compared).
//! - [`History::walk`] mines history: each commit's semantic changes, first-parent by
//!   default, each distinct blob parsed once ([`walk`] explains why it is fast).
//!   [`History::entity_log`], [`History::audit`], [`History::metrics`] and
//!   [`History::last_changed`] are built on it.
//! - [`codeowners()`] maps program folders to their owners' forge handles.
//!
//! Everything returns plain data (serde-serializable); the CLI renders it. Bad states of a
//! repository (not a repository, empty, shallow, an unknown ref) are [`HistoryError`]s with
//! a hint; a commit whose files do not parse is a [`Problem`] and the walk goes on.

#![warn(missing_docs)]

pub mod audit;
pub mod cache;
pub mod codeowners;
pub mod commit;
pub mod diff;
pub mod entity;
pub mod error;
pub mod log;
pub mod metrics;
pub mod repo;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod walk;

pub use audit::{Audit, AuditEntry, category};
pub use cache::Cache;
pub use codeowners::{Codeowners, codeowners};
pub use commit::{CommitInfo, parse_pr};
pub use diff::{Change, ChangeKind, PlanSummary, PortfolioDiff, diff_entities, diff_portfolios};
pub use entity::{Entities, Entity, EntityKind, entities_of, parse_date};
pub use error::HistoryError;
pub use log::{EntityLog, Event, EventKind, FieldChange};
pub use metrics::{Granularity, Kpi, KpiValue, Metrics, MetricsOptions};
pub use repo::{History, Provenance, Rev, web_url};
pub use walk::{CommitChanges, Problem, Walk, WalkOptions};
