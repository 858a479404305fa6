//! One module per command: an `Args` struct (its doc comment is the help text) and a
//! `run` function.

pub mod audit;
pub mod check;
pub mod codeowners;
pub mod diff;
pub mod explain;
pub mod forecast;
pub mod git;
pub mod init;
pub mod log;
pub mod metrics;
pub mod plan;
pub mod render;
pub mod schema;
pub mod site;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;

use crate::Outcome;
use crate::error::CliError;

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a portfolio: YAML, schemas, references and governance rules.
    Check(check::Args),
    /// Compute the critical-path schedule: dates, slack, slip and the driving chain.
    Plan(plan::Args),
    /// Forecast finish dates with a Monte Carlo simulation over three-point estimates.
    Forecast(forecast::Args),
    /// Render a charter, executive summary, RAID log or portfolio report (Markdown or HTML).
    Render(render::Args),
    /// Render the portfolio and every program's reports as a linked static HTML site.
    Site(site::Args),
    /// Create a new portfolio scaffold that passes `milepost check`.
    Init(init::Args),
    /// Write or verify the JSON Schemas of the portfolio files.
    Schema(schema::Args),
    /// Show a rule's documentation, or list every rule with its level.
    Explain(explain::Args),
    /// Show what a change does to the plan (from git): for a pull-request comment.
    Diff(diff::Args),
    /// Show every commit that changed an entity (from git history).
    Log(log::Args),
    /// List every change to a commitment in a time window: the change-control evidence.
    Audit(audit::Args),
    /// Compute delivery KPIs from the plan and its git history.
    Metrics(metrics::Args),
    /// Write a CODEOWNERS file from the programs' owners and sponsors.
    Codeowners(codeowners::Args),
}

/// Runs a command.
pub fn run(command: Command) -> Result<Outcome, CliError> {
    match command {
        Command::Check(args) => check::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Forecast(args) => forecast::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Site(args) => site::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Log(args) => log::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Metrics(args) => metrics::run(&args),
        Command::Codeowners(args) => codeowners::run(&args),
    }
}

/// The portfolio path argument shared by most commands.
pub fn portfolio_path(path: Option<&PathBuf>) -> PathBuf {
    path.cloned().unwrap_or_else(|| PathBuf::from("."))
}

/// Parses `--as-of YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD (for example 2026-11-23)"))
}

/// The as-of date of a command: `--as-of` when given, else the portfolio's pinned `as_of`
/// (milepost.yaml), else today.
pub fn effective_as_of(flag: Option<NaiveDate>, portfolio: &milepost_load::Portfolio) -> NaiveDate {
    as_of_or_today(flag.or(portfolio.settings.as_of))
}

/// The as-of date: the given one, or today's date (UTC) from the system clock.
pub fn as_of_or_today(as_of: Option<NaiveDate>) -> NaiveDate {
    as_of.unwrap_or_else(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        epoch + chrono::Days::new(secs / 86_400)
    })
}
