//! `milepost check`: load, validate and run the governance rules.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Portfolio, Severity};

use crate::Outcome;
use crate::commands::{effective_as_of, parse_date, portfolio_path};
use crate::error::CliError;
use crate::output::{self, plural};

/// Validate a portfolio: YAML syntax, JSON Schemas, references between files, and the
/// governance rules. Exit code 0 when there is no error-level finding, 1 when there is,
/// 2 when the portfolio cannot be read at all.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio folder (holding milepost.yaml and programs/).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Evaluate date-based rules as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets for people.
    Human,
    /// One JSON object: `{"diagnostics": [...], "summary": {...}}`.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`).
    Sarif,
    /// JUnit XML: one test case per rule and entity, a failure per error.
    Junit,
}

/// Loads the portfolio and collects every finding, sorted by file and position.
pub fn collect(
    path: &std::path::Path,
    as_of: Option<NaiveDate>,
) -> Result<(Portfolio, Vec<Diagnostic>, NaiveDate), CliError> {
    let portfolio = milepost_load::load_dir(path)?;
    let as_of = effective_as_of(as_of, &portfolio);
    let plan = milepost_plan::PortfolioPlan::build(&portfolio, as_of);
    // The loader's findings (re-graded by `rules:` levels) and every enabled rule's, sorted.
    let extras = history_extras(path, &portfolio);
    let diagnostics = milepost_rules::check_with(&portfolio, as_of, Some(&plan), &extras);
    Ok((portfolio, diagnostics, as_of))
}

/// Facts from git history for the rules, when the portfolio is in a repository: the day of
/// the last commit that changed each risk, read only when a live risk has no `reviewed`
/// date (`risk-stale` then measures from it). Outside git, or if history cannot be read,
/// there are none and `check` works from the files alone.
fn history_extras(path: &std::path::Path, portfolio: &Portfolio) -> milepost_rules::Extras {
    let needed = portfolio
        .programs
        .iter()
        .flat_map(|p| &p.risks)
        .any(|r| r.is_live() && r.reviewed.is_none());
    if !needed {
        return milepost_rules::Extras::default();
    }
    let last_changed = milepost_history::History::open(path)
        .and_then(|h| {
            let head = h.head()?;
            h.last_changed(head.id, &[milepost_history::EntityKind::Risk])
        })
        .unwrap_or_default();
    milepost_rules::Extras { last_changed }
}

/// Runs `milepost check`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let path = portfolio_path(args.path.as_ref());
    let (portfolio, diagnostics, as_of) = collect(&path, args.as_of)?;
    let counts = portfolio.counts();
    match args.format {
        Format::Human => {
            let mut out = output::stdout_human();
            let summary = format!(
                "checked {}, {}, {} in {} (as of {as_of}{})",
                plural(counts.programs, "program"),
                plural(counts.milestones, "milestone"),
                plural(counts.risks, "risk"),
                plural(counts.files, "file"),
                if args.as_of.is_none() && portfolio.settings.as_of.is_some() {
                    ", pinned in milepost.yaml"
                } else {
                    ""
                },
            );
            output::human::render(&mut out, &portfolio, &diagnostics, &summary)?;
            out.flush()?;
        }
        Format::Json => {
            let mut out = output::stdout_plain();
            output::json::render(&mut out, &diagnostics, counts, as_of)?;
            out.flush()?;
        }
        Format::Github => {
            let prefix = github_prefix(&path);
            let mut out = output::stdout_plain();
            output::github::render(&mut out, &diagnostics, &prefix)?;
            out.flush()?;
        }
        Format::Sarif => {
            let prefix = github_prefix(&path);
            let mut out = output::stdout_plain();
            output::sarif::render(&mut out, &diagnostics, &prefix)?;
            out.flush()?;
        }
        Format::Junit => {
            let config = milepost_rules::Config::resolve(&portfolio);
            let ran: Vec<&str> = milepost_rules::levels(&config)
                .into_iter()
                .filter(|(_, level)| *level != milepost_model::RuleLevel::Off)
                .map(|(rule, _)| rule.id)
                .collect();
            let prefix = github_prefix(&path);
            let mut out = output::stdout_plain();
            output::junit::render(&mut out, &diagnostics, &ran, &prefix)?;
            out.flush()?;
        }
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    // The process is about to exit: skip freeing the (possibly large) portfolio.
    std::mem::forget(portfolio);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The portfolio path as a prefix for repository-relative file names (`examples/acme/`).
fn github_prefix(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let trimmed = text.trim_start_matches("./").trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        String::new()
    } else {
        format!("{trimmed}/")
    }
}
