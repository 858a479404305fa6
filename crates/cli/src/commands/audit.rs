//! `milepost audit`: the change-control evidence pack.

use std::io::Write;

use chrono::NaiveDate;

use crate::Outcome;
use crate::commands::git::{RepoArgs, tip, warn_problems};
use crate::commands::parse_date;
use crate::error::CliError;
use crate::output;
use crate::output::history::Coverage;

/// List every change to a commitment (target dates, scope, owners, risk status and
/// acceptance, gate items, decisions) committed in a window: commit, author, committer,
/// date, pull request, `Reviewed-by:` / `Approved-by:` trailers and whether the commit is
/// signed. Dates are commit dates, in the committer's time zone.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first day of the window (default: the first commit).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub since: Option<NaiveDate>,
    /// The last day of the window, included (default: the last commit).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub until: Option<NaiveDate>,
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Only these programs (repeatable).
    #[arg(long = "program", value_name = "ID")]
    pub programs: Vec<String>,
    /// Read history up to this branch, tag or commit (default: HEAD).
    #[arg(long, value_name = "REF")]
    pub rev: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
}

/// The output formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Markdown report: one table row per change.
    Md,
    /// Comma-separated values, one row per change (for a spreadsheet or an evidence store).
    Csv,
    /// One JSON object: `{"entries": [...]}`.
    Json,
}

/// Runs `milepost audit`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(matches!(args.format, Format::Csv | Format::Json));
    if let (Some(s), Some(u)) = (args.since, args.until)
        && s > u
    {
        return Err(CliError::usage(
            format!("--since {s} is after --until {u}"),
            "give the first day of the window with --since and the last with --until",
        ));
    }
    let history = args.repo.open()?;
    let tip = tip(&history, args.rev.as_deref())?;
    crate::commands::git::check_programs(&history, &tip, &args.programs)?;
    let mut audit = history.audit(tip.id, args.since, args.until, !args.repo.all_parents)?;
    audit
        .entries
        .retain(|e| crate::commands::git::in_programs(&e.entity, &args.programs));
    warn_problems(&audit.problems);
    let mut coverage = Coverage::new(
        &history,
        &tip,
        !args.repo.all_parents,
        audit.commits_read,
        &audit.problems,
    );
    coverage.programs.clone_from(&args.programs);
    let mut out = output::stdout_plain();
    match args.format {
        Format::Md => output::history::audit::markdown(&mut out, &audit, &coverage)?,
        Format::Csv => {
            // A CSV file holds rows only: what it covers goes to stderr.
            crate::commands::git::note(&format!(
                "audit: {} rows. {}",
                audit.entries.len(),
                coverage.sentence()
            ));
            output::history::audit::csv(&mut out, &audit)?;
        }
        Format::Json => {
            coverage.write_json(&mut out, &audit)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
