//! `milepost metrics`: delivery KPIs from the plan and its history.

use std::io::Write;

use chrono::NaiveDate;
use milepost_history::Granularity;
use milepost_history::MetricsOptions;

use crate::Outcome;
use crate::commands::git::{RepoArgs, tip, warn_problems};
use crate::commands::parse_date;
use crate::error::CliError;
use crate::output;

/// Compute the delivery KPIs of the portfolio at HEAD from the plan and its git history —
/// the balanced scorecard of a TPM organisation — each with its definition, target and
/// status, the entities behind it, and on request its trend or per-program rows.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Measure variance against the targets at this branch, tag or commit (default: each
    /// milestone's first committed target).
    #[arg(long, value_name = "REF")]
    pub baseline: Option<String>,
    /// Milestone variance and forecast accuracy tolerance, in business days (default:
    /// milepost.yaml `metrics.tolerance_days`, else 10).
    #[arg(long, value_name = "DAYS")]
    pub tolerance: Option<u32>,
    /// Also give each KPI per period (the trend) or per program.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub by: Option<By>,
    /// How many periods the trend covers (default: 13 weeks, 6 months or 4 quarters).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=520))]
    pub periods: Option<u16>,
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Only these programs (repeatable).
    #[arg(long = "program", value_name = "ID")]
    pub programs: Vec<String>,
    /// Measure the portfolio at this branch, tag or commit (default: HEAD).
    #[arg(long, value_name = "REF")]
    pub rev: Option<String>,
    /// Ages as of this day (YYYY-MM-DD) instead of today (or milepost.yaml's `as_of`).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// What `--by` breaks the KPIs down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// ISO weeks (the current one up to the as-of date).
    Week,
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
    /// Each program on its own.
    Program,
}

/// The output formats of `metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table with each KPI's value, basis and definition.
    Table,
    /// One JSON object: `{"as_of", "baseline", "kpis": [...]}`.
    Json,
}

/// Runs `milepost metrics`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(args.format == Format::Json);
    let history = args.repo.open()?;
    let tip = tip(&history, args.rev.as_deref())?;
    crate::commands::git::check_programs(&history, &tip, &args.programs)?;
    let baseline = match &args.baseline {
        Some(b) => {
            let rev = history.resolve(b)?;
            Some((rev.name, rev.id))
        }
        None => None,
    };
    let pinned = history.portfolio_at(tip.id)?.and_then(|p| p.settings.as_of);
    let metrics = history.metrics(&MetricsOptions {
        tip: tip.id,
        baseline,
        as_of: args
            .as_of
            .or(pinned)
            .unwrap_or_else(milepost_session::today),
        tolerance_days: args.tolerance.map(i64::from),
        programs: args.programs.clone(),
        first_parent: !args.repo.all_parents,
        by_program: args.by == Some(By::Program),
        trend: match args.by {
            Some(By::Week) => Some((Granularity::Week, 13)),
            Some(By::Month) => Some((Granularity::Month, 6)),
            Some(By::Quarter) => Some((Granularity::Quarter, 4)),
            Some(By::Program) | None => None,
        }
        .map(|(g, n)| (g, args.periods.map_or(n, usize::from))),
    })?;
    warn_problems(&metrics.problems);
    let mut coverage = output::history::Coverage::new(
        &history,
        &tip,
        !args.repo.all_parents,
        metrics.commits_read,
        &metrics.problems,
    );
    coverage.as_of = Some(metrics.as_of);
    coverage.programs.clone_from(&args.programs);
    let mut out = output::stdout_plain();
    match args.format {
        Format::Table => output::history::metrics::table(&mut out, &metrics, &coverage)?,
        Format::Json => {
            coverage.write_json(&mut out, &metrics)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
