//! What a rule is: its id, default level, documentation, thresholds and check.
//!
//! A rule is a `const` [`Rule`] in its own module under `rules/`, the way ruff declares one
//! rule per file. Its documentation is not free text but fixed fields (what it checks, why it
//! matters, an example that fires, how to fix it, the fixed example), so every rule documents
//! the same things and `milepost explain`, `docs/rules.md` and the SARIF rule descriptors are
//! all rendered from the same data. The examples are real YAML: a test loads each one into a
//! small portfolio and checks that it fires and that the fixed version does not.

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Location, Portfolio, Severity};
use milepost_model::RuleLevel;
use milepost_plan::{Calendar, PortfolioPlan};

use crate::facts::{Facts, Forecast};

/// Who produces a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The loader (`milepost-load`) while reading the files; the engine only applies levels.
    Loader,
    /// The rule's own check, run by the engine over the loaded portfolio.
    Engine,
}

/// One file of a documentation example: its path in the example portfolio and its YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The path relative to the portfolio root (`programs/alpha/raid.yaml`).
    pub file: &'static str,
    /// The whole file.
    pub yaml: &'static str,
}

/// What a threshold counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Calendar days.
    Days,
    /// Work days of the portfolio calendar.
    WorkDays,
}

impl Unit {
    /// `days` or `work days`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::WorkDays => "work days",
        }
    }
}

/// The largest value a threshold accepts (ten years of days).
pub const MAX_THRESHOLD: u32 = 3650;

/// A numeric threshold a rule reads from `rules: <id>: <name>:` in milepost.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// The option key (`max_age_days`).
    pub name: &'static str,
    /// The value when milepost.yaml does not set it.
    pub default: u32,
    /// What it counts.
    pub unit: Unit,
    /// What it means, in one sentence.
    pub doc: &'static str,
}

/// The signature of a rule's check: read the context, push findings.
pub type Check = fn(&Context<'_>, &mut Vec<Diagnostic>);

/// A governance rule: identity, documentation, thresholds and check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable kebab-case id (**contract**: never renamed or reused).
    pub id: &'static str,
    /// One line: what a finding means (`An open risk has not been reviewed recently`).
    pub summary: &'static str,
    /// The level when milepost.yaml does not set one. For loader rules, the level of most of
    /// their findings (the loader grades each finding; a configured level overrides it).
    pub default_level: RuleLevel,
    /// Who produces the findings.
    pub origin: Origin,
    /// Documentation: what the rule checks, precisely (Markdown).
    pub what: &'static str,
    /// Documentation: why it matters to a program (Markdown).
    pub why: &'static str,
    /// Documentation: files that make the rule fire (as of [`crate::docs::EXAMPLE_AS_OF`]).
    pub example: &'static [Example],
    /// Documentation: how to fix a finding (Markdown).
    pub fix: &'static str,
    /// Documentation: the example, fixed (a near miss that must not fire).
    pub fixed: &'static [Example],
    /// The rule's thresholds, with their defaults.
    pub options: &'static [Threshold],
    /// The check (a no-op for loader rules).
    pub check: Check,
}

impl Rule {
    /// The threshold called `name`, if the rule has one.
    pub fn option(&self, name: &str) -> Option<&'static Threshold> {
        self.options.iter().find(|t| t.name == name)
    }
}

/// The check of a loader rule: its findings are already in [`Portfolio::diagnostics`].
pub(crate) fn reported_by_loader(_: &Context<'_>, _: &mut Vec<Diagnostic>) {}

/// The severity of findings at `level`, or `None` for `off`.
pub fn severity_of(level: RuleLevel) -> Option<Severity> {
    match level {
        RuleLevel::Off => None,
        RuleLevel::Info => Some(Severity::Info),
        RuleLevel::Warning => Some(Severity::Warning),
        RuleLevel::Error => Some(Severity::Error),
    }
}

/// The configured thresholds a rule reads. Implemented by the engine's resolved settings
/// (`Config`): the rule definitions know the question, not where the answer comes from.
pub trait Settings: std::fmt::Debug + Sync {
    /// The value of `rule`'s `threshold`: configured in milepost.yaml, or its default.
    fn threshold(&self, rule: &Rule, threshold: &Threshold) -> u32;

    /// Whether `rule` runs (its level is not `off`): a rule that leaves a case to another
    /// reports it itself when the other is switched off.
    fn enabled(&self, rule: &Rule) -> bool;
}

/// What a rule's check sees: the portfolio, the as-of date, the plan, the resolved settings.
///
/// Rules read dates only through [`Context::as_of`], never the clock, so a check is
/// reproducible (`--as-of` in CI and tests).
#[derive(Debug)]
pub struct Context<'a> {
    /// The loaded portfolio.
    pub portfolio: &'a Portfolio,
    /// "Today" for date-based rules.
    pub as_of: NaiveDate,
    /// The portfolio's plan, when the caller built one (needed by `dependency-cycle`,
    /// `milestone-slip` and the slip part of `health-mismatch`).
    pub plan: Option<&'a PortfolioPlan>,
    /// The thresholds of every rule, resolved from milepost.yaml (the engine passes its
    /// `Config`).
    pub settings: &'a dyn Settings,
    /// Facts from outside the files (git history), when the caller has them.
    pub extras: &'a crate::Extras,
    pub(crate) rule: &'static Rule,
    pub(crate) facts: &'a Facts<'a>,
}

impl Context<'_> {
    /// The rule being run.
    pub fn rule(&self) -> &'static Rule {
        self.rule
    }

    /// The value of one of the running rule's thresholds (configured or default).
    pub fn threshold(&self, threshold: &Threshold) -> u32 {
        self.settings.threshold(self.rule, threshold)
    }

    /// Whether another rule runs (a rule that leaves a case to it reports the case itself
    /// when it does not).
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.settings.enabled(rule)
    }

    /// The value of another rule's threshold (a rule that defers to another's tolerance).
    pub fn threshold_of(&self, rule: &Rule, threshold: &Threshold) -> u32 {
        self.settings.threshold(rule, threshold)
    }

    /// A finding of the running rule about `entity` (`program/id`), at `location`: the
    /// locate-and-report step every rule ends with. Chain `.hint(…)` and `.related(…)`.
    pub fn finding_at(
        &self,
        entity: &str,
        location: Location,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.finding(message).at(location).entity(entity)
    }

    /// A new finding of the running rule. Its severity is set from the rule's level when
    /// the engine collects it.
    pub fn finding(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.rule.id, Severity::Error, message)
    }

    /// The portfolio's work calendar.
    pub fn calendar(&self) -> &Calendar {
        self.facts.calendar()
    }

    /// Earliest finishes and slips, where the plan has them.
    pub(crate) fn forecast(&self) -> &Forecast<'_> {
        self.facts.forecast()
    }

    /// The standard Monte Carlo forecast, when there is one that can differ from the plan.
    pub(crate) fn simulation(&self) -> Option<&crate::facts::Simulation> {
        self.facts.simulation()
    }
}
