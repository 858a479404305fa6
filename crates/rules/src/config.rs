//! From `rules:` in milepost.yaml to validated levels and thresholds, in one place.
//!
//! ```yaml
//! rules:
//!   risk-stale:
//!     level: warning          # off, info, warning or error
//!     max_age_days: 21        # one of the rule's thresholds
//! ```
//!
//! The JSON Schema already checks the shape (`level` is one of four words; the other keys
//! are numbers, text or booleans). This module checks what the schema cannot know: that the
//! rule exists, that each key is one of *that* rule's thresholds, and that the value is a
//! whole number in range. Each problem is a `schema` finding located at the offending key or
//! value in milepost.yaml, with a "did you mean". A bad value falls back to the default.

use std::collections::HashMap;
use std::sync::Arc;

use milepost_load::schema::SCHEMA_RULE;
use milepost_load::yaml::Node;
use milepost_load::{Diagnostic, Location, Portfolio, did_you_mean};
use milepost_model::RuleLevel;
use serde_json::Value;

use crate::registry;
use crate::rule::{MAX_THRESHOLD, Rule, Settings, Threshold};

/// The resolved `rules:` settings of a portfolio.
#[derive(Debug, Clone, Default)]
pub struct Config {
    levels: HashMap<&'static str, RuleLevel>,
    thresholds: HashMap<(&'static str, &'static str), u32>,
    /// Findings about the settings themselves (unknown rule, unknown or invalid option).
    pub diagnostics: Vec<Diagnostic>,
}

impl Config {
    /// Reads and validates `rules:` from the portfolio's settings.
    pub fn resolve(portfolio: &Portfolio) -> Config {
        let mut config = Config::default();
        let file = portfolio.settings_file;
        let tree = file.and_then(|f| portfolio.source(f).tree.as_ref());
        let path: Arc<str> = file.map_or_else(
            || Arc::from("milepost.yaml"),
            |f| Arc::clone(&portfolio.source(f).path),
        );
        let rules_node = tree.and_then(|t| t.pointer("/rules"));
        let at = |node: Option<&Node>, key: Option<&str>| -> Location {
            let span = match (node, key) {
                (Some(n), Some(k)) => n.entry(k).map_or(n.span, |e| e.key_span),
                (Some(n), None) => n.span,
                (None, _) => milepost_load::Span::start_of_file(),
            };
            Location {
                file: Arc::clone(&path),
                span,
            }
        };
        for (id, settings) in &portfolio.settings.rules {
            let Some(rule) = registry::find(id) else {
                let hint = match did_you_mean(id, registry::ALL.iter().map(|r| r.id)) {
                    Some(s) => format!("did you mean `{s}`? `milepost explain` lists every rule"),
                    None => "`milepost explain` lists every rule id".to_owned(),
                };
                config.diagnostics.push(
                    Diagnostic::error(SCHEMA_RULE, format!("unknown rule `{id}` under `rules:`"))
                        .at(at(rules_node, Some(id)))
                        .hint(hint),
                );
                continue;
            };
            if let Some(level) = settings.level {
                config.levels.insert(rule.id, level);
            }
            let rule_node = rules_node.and_then(|n| n.child(id));
            for (name, value) in &settings.options {
                match rule.option(name) {
                    None => config
                        .diagnostics
                        .push(unknown_option(rule, name).at(at(rule_node, Some(name)))),
                    Some(threshold) => match whole_days(value) {
                        Some(v) => {
                            config.thresholds.insert((rule.id, threshold.name), v);
                        }
                        None => config.diagnostics.push(
                            Diagnostic::error(
                                SCHEMA_RULE,
                                format!(
                                    "`{name}` of rule `{}` must be a whole number of {} from 0 to {MAX_THRESHOLD}, found `{}`",
                                    rule.id,
                                    threshold.unit.as_str(),
                                    shown(value)
                                ),
                            )
                            .at(at(rule_node.and_then(|n| n.child(name)), None))
                            .hint(format!(
                                "write a number such as `{name}: {}` (the default)",
                                threshold.default
                            )),
                        ),
                    },
                }
            }
        }
        config
    }

    /// The level configured in milepost.yaml for a rule id, if any.
    pub fn configured_level(&self, id: &str) -> Option<RuleLevel> {
        self.levels.get(id).copied()
    }

    /// The level a rule runs at: configured, or its default.
    pub fn level(&self, rule: &Rule) -> RuleLevel {
        self.configured_level(rule.id).unwrap_or(rule.default_level)
    }

    /// The value of a rule's threshold: configured, or its default.
    pub fn threshold(&self, rule: &Rule, threshold: &Threshold) -> u32 {
        self.thresholds
            .get(&(rule.id, threshold.name))
            .copied()
            .unwrap_or(threshold.default)
    }

    /// Applies the configured level to a finding: `None` when its rule is off, otherwise
    /// the finding with the configured severity (or its own when no level is configured).
    pub fn apply(&self, mut diagnostic: Diagnostic) -> Option<Diagnostic> {
        match self.configured_level(diagnostic.rule) {
            None => Some(diagnostic),
            Some(level) => {
                diagnostic.severity = crate::rule::severity_of(level)?;
                Some(diagnostic)
            }
        }
    }
}

fn unknown_option(rule: &Rule, name: &str) -> Diagnostic {
    let names: Vec<&str> = std::iter::once("level")
        .chain(rule.options.iter().map(|t| t.name))
        .collect();
    let hint = match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if rule.options.is_empty() => {
            format!(
                "rule `{}` has no thresholds; only `level` can be set",
                rule.id
            )
        }
        None => format!(
            "rule `{}` accepts: {}",
            rule.id,
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(
        SCHEMA_RULE,
        format!("unknown option `{name}` for rule `{}`", rule.id),
    )
    .hint(hint)
}

fn whole_days(value: &Value) -> Option<u32> {
    value
        .as_u64()
        .filter(|v| *v <= u64::from(MAX_THRESHOLD))
        .map(|v| v as u32)
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Settings for Config {
    fn threshold(&self, rule: &Rule, threshold: &Threshold) -> u32 {
        Config::threshold(self, rule, threshold)
    }

    fn enabled(&self, rule: &Rule) -> bool {
        self.level(rule) != RuleLevel::Off
    }
}
