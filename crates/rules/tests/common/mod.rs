//! Shared helpers for the rule tests: in-memory portfolios, running the engine, and a plain
//! rendering of findings for snapshots.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the shared helpers"
)]

use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, FileSet, Portfolio};
use milepost_plan::PortfolioPlan;
use milepost_rules::Example;
use milepost_rules::docs::{EXAMPLE_AS_OF, example_portfolio};

/// Loads the example base portfolio with `files` laid over it.
pub fn load(files: &[Example]) -> Portfolio {
    milepost_load::load(FileSet::from_memory(example_portfolio(files)))
}

/// Loads `(path, text)` pairs as a portfolio.
pub fn load_texts(files: &[(String, String)]) -> Portfolio {
    milepost_load::load(FileSet::from_memory(
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
    ))
}

/// Every finding (loader and rules) as of `as_of`.
pub fn check_at(portfolio: &Portfolio, as_of: NaiveDate) -> Vec<Diagnostic> {
    let plan = PortfolioPlan::build(portfolio, as_of);
    milepost_rules::check(portfolio, as_of, Some(&plan))
}

/// Every finding as of the examples' date.
pub fn check(portfolio: &Portfolio) -> Vec<Diagnostic> {
    check_at(portfolio, EXAMPLE_AS_OF)
}

/// The example base with `files` over it, checked as of the examples' date.
pub fn run(files: &[Example]) -> (Portfolio, Vec<Diagnostic>) {
    let p = load(files);
    let d = check(&p);
    (p, d)
}

/// The findings of one rule.
pub fn of<'d>(diagnostics: &'d [Diagnostic], rule: &str) -> Vec<&'d Diagnostic> {
    diagnostics.iter().filter(|d| d.rule == rule).collect()
}

/// One file of an example portfolio.
pub fn file(path: &'static str, yaml: &'static str) -> Example {
    Example { file: path, yaml }
}

/// A compact, rustc-like rendering of findings with their source line, for snapshots.
pub fn render(portfolio: &Portfolio, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.rule, d.message);
        if let Some(loc) = &d.location {
            let _ = writeln!(
                out,
                "  --> {}:{}:{}",
                loc.file, loc.span.line, loc.span.column
            );
            let line = portfolio.source_by_path(&loc.file).and_then(|s| {
                s.text
                    .lines()
                    .nth(loc.span.line as usize - 1)
                    .map(str::to_owned)
            });
            if let Some(line) = line {
                let _ = writeln!(out, "   | {line}");
                let _ = writeln!(
                    out,
                    "   | {}{}",
                    " ".repeat(loc.span.column as usize - 1),
                    "^".repeat((loc.span.len as usize).max(1))
                );
            }
        }
        if let Some(entity) = &d.entity {
            let _ = writeln!(out, "  = entity: {entity}");
        }
        for r in &d.related {
            let _ = writeln!(
                out,
                "  = note: {} at {}:{}:{}",
                r.message, r.location.file, r.location.span.line, r.location.span.column
            );
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = help: {hint}");
        }
    }
    out
}
