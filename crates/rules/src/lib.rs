//! The governance rules of milepost: what CI enforces on every pull request.
//!
//! A portfolio that loads can still be a bad plan of record: a milestone nobody owns, a risk
//! nobody has looked at in two months, a launch whose gate is not done, a program declared
//! green with an overdue milestone. Each such check is a [`Rule`] — one module under
//! [`rules`], modelled on how ruff declares a rule in one file: a stable kebab-case id, a
//! default level, documentation in fixed sections with an example that fires, its thresholds
//! with their defaults, and a `check` function.
//!
//! [`check`] is the entry point: it resolves `rules:` from milepost.yaml ([`Config`]),
//! re-grades (or drops) the loader's findings with the configured levels, runs every rule
//! that is not `off`, and returns all findings sorted by file and position.
//!
//! Principles every rule follows:
//! - **Located, with a fix.** Each finding points at the entity (its `id`) or the offending
//!   field, and its hint says what to write.
//! - **One mistake, one message.** A rule stays silent when the loader already reported the
//!   field it would read (`ownr:` is an unknown key, so no `owner-missing` on top; an invalid
//!   `reviewed:` date is a schema error, so no `risk-stale`), and related rules defer to each
//!   other (an overdue milestone is not also reported as slipping).
//! - **Reproducible.** Dates come from [`Context::as_of`], never the clock.
//! - **Linear.** Every rule is one pass over the entities it reads.

#![warn(missing_docs)]

pub mod config;
pub mod docs;
mod facts;
pub mod registry;
pub mod rule;
pub mod rules;

use std::collections::HashMap;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Portfolio};
use milepost_model::RuleLevel;
use milepost_plan::PortfolioPlan;

pub use config::Config;
pub use registry::{ALL, find};
pub use rule::{Context, Example, Origin, Rule, Threshold, Unit, severity_of};

use crate::facts::Facts;

/// Checks a loaded portfolio: the loader's findings (with configured levels applied), the
/// findings about `rules:` settings, and every enabled rule's findings, sorted by file and
/// position.
///
/// `plan` should be [`PortfolioPlan::build`] of the same portfolio and `as_of`; without it,
/// `dependency-cycle`, `milestone-slip` and the slip part of `health-mismatch` have nothing
/// to read and stay silent.
pub fn check(
    portfolio: &Portfolio,
    as_of: NaiveDate,
    plan: Option<&PortfolioPlan>,
) -> Vec<Diagnostic> {
    check_with(portfolio, as_of, plan, &Extras::default())
}

/// Facts about a portfolio that do not come from its files, supplied by the caller. The
/// rules crate knows nothing about git: the CLI fills these in from history when the
/// portfolio is in a repository, and `check` works the same without them.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Per entity (`program/id`): the day of the last commit that changed it. `risk-stale`
    /// measures a risk without a `reviewed` date from here.
    pub last_changed: HashMap<String, NaiveDate>,
    /// A memo of the standard forecast shared between checks (the language server keeps
    /// one): a check whose plan inputs did not change reuses the last simulation.
    pub forecast_memo: Option<std::sync::Arc<milepost_plan::ForecastMemo>>,
}

/// [`check`] with [`Extras`] (facts from git history).
pub fn check_with(
    portfolio: &Portfolio,
    as_of: NaiveDate,
    plan: Option<&PortfolioPlan>,
    extras: &Extras,
) -> Vec<Diagnostic> {
    let config = Config::resolve(portfolio);
    let mut out: Vec<Diagnostic> = portfolio
        .diagnostics
        .iter()
        .chain(&config.diagnostics)
        .filter_map(|d| config.apply(d.clone()))
        .collect();
    out.extend(run_rules_with(portfolio, as_of, plan, &config, extras));
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// Runs the enabled engine rules only (no loader findings), each at its configured level.
pub fn run_rules(
    portfolio: &Portfolio,
    as_of: NaiveDate,
    plan: Option<&PortfolioPlan>,
    config: &Config,
) -> Vec<Diagnostic> {
    run_rules_with(portfolio, as_of, plan, config, &Extras::default())
}

/// [`run_rules`] with [`Extras`].
pub fn run_rules_with(
    portfolio: &Portfolio,
    as_of: NaiveDate,
    plan: Option<&PortfolioPlan>,
    config: &Config,
    extras: &Extras,
) -> Vec<Diagnostic> {
    let facts = Facts::new(portfolio, plan, extras.forecast_memo.as_deref());
    let mut out = Vec::new();
    for rule in ALL.iter().filter(|r| r.origin == Origin::Engine) {
        let level = config.level(rule);
        let Some(severity) = severity_of(level) else {
            continue;
        };
        let ctx = Context {
            portfolio,
            as_of,
            plan,
            settings: config,
            extras,
            rule,
            facts: &facts,
        };
        let start = out.len();
        (rule.check)(&ctx, &mut out);
        for d in &mut out[start..] {
            d.rule = rule.id;
            d.severity = severity;
        }
    }
    out
}

/// Every rule with its effective level in a portfolio (default when none is configured).
pub fn levels(config: &Config) -> Vec<(&'static Rule, RuleLevel)> {
    ALL.iter().map(|r| (*r, config.level(r))).collect()
}
