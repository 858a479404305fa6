//! One module per command: an `Args` struct (its doc comment is the help text) and a
//! `run` function.

pub mod audit;
pub mod check;
pub mod codeowners;
pub mod diff;
pub mod explain;
pub mod export;
pub mod forecast;
pub mod git;
pub mod import;
pub mod init;
pub mod log;
pub mod lsp;
pub mod metrics;
pub mod plan;
pub mod render;
pub mod schema;
pub mod scorecard;
pub mod setup;
pub mod site;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;

use milepost_session::{Options, Scope, Session};

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
    /// Export the plan to MS Project (MSPDI), TaskJuggler, iCalendar or Jira CSV.
    Export(export::Args),
    /// Import a plan from Jira CSV, MS Project (MSPDI) or a simple CSV into a program.
    Import(import::Args),
    /// Write a CODEOWNERS file from the programs' owners and sponsors.
    Codeowners(codeowners::Args),
    /// Run the language server (stdio): the check, the plan and the references in the editor.
    Lsp(lsp::Args),
    /// Print the shell completion script (`milepost completions bash > ~/.local/share/bash-completion/completions/milepost`).
    Completions(CompletionsArgs),
    /// Print the manual page, or write one page per command (`--out DIR`).
    Man(ManArgs),
}

/// `milepost completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `milepost man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write `milepost.1` and `milepost-<command>.1` into this folder instead of printing
    /// the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
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
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        // Handled by `main`, which owns the command-line definition they print.
        Command::Completions(_) | Command::Man(_) => Ok(Outcome::Clean),
    }
}

/// The arguments every portfolio command shares, flattened into its own `Args`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PortfolioArgs {
    /// The portfolio folder, or any file or folder inside one. Without it, the portfolio is
    /// found upwards from the working directory (the folder holding milepost.yaml),
    /// stopping at the repository root.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Evaluate as of this day (YYYY-MM-DD) instead of today (or the `as_of:` pinned in
    /// milepost.yaml).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Limit the output to this program (repeatable). Plans are still computed across the
    /// portfolio: a dependency on another program counts.
    #[arg(long = "program", value_name = "ID")]
    pub programs: Vec<String>,
}

impl PortfolioArgs {
    /// Resolves the arguments into a session: finds, loads and plans the portfolio.
    pub fn open(&self, scope: Scope) -> Result<Session, CliError> {
        Ok(Session::open(&Options {
            path: self.path.clone(),
            as_of: self.as_of,
            programs: self.programs.clone(),
            scope,
        })?)
    }
}

/// The portfolio folder for an optional path argument: the folder given, or the one found
/// upwards from it (or from the working directory), stopping at the repository root.
pub fn locate(path: Option<&std::path::Path>) -> Result<PathBuf, CliError> {
    let start = path.unwrap_or(std::path::Path::new("."));
    Ok(milepost_session::locate(start)?)
}

/// Parses `--as-of YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD (for example 2026-11-23)"))
}

/// The outcome of a command from whether it found error-level problems.
pub fn outcome(failed: bool) -> Outcome {
    if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Ends a command without freeing its session (and whatever else it built from it, such as
/// a plan view): the process is about to exit, and freeing a large portfolio entity by
/// entity costs measurable time (tens of milliseconds at a thousand programs) for nothing.
/// The one place this is done.
pub fn release<T>(session: T) {
    std::mem::forget(session);
}

/// Prints the problems that make a plan untrustworthy on stderr, as `plan`, `forecast` and
/// the reports do beside their output; returns whether there were any.
pub fn report_problems(session: &Session) -> Result<bool, CliError> {
    let problems = session.plan_problems();
    if problems.is_empty() {
        return Ok(false);
    }
    let mut err = anstream::AutoStream::auto(std::io::stderr().lock());
    let summary = "the output below ignores or may be skewed by these problems; run `milepost check` for all findings".to_owned();
    crate::output::human::render(
        &mut err,
        session.portfolio(),
        &problems,
        &summary,
        &session.cwd_prefix(),
        None,
    )?;
    Ok(true)
}
