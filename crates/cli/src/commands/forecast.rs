//! `milepost forecast`: Monte Carlo finish dates over three-point estimates.

use std::io::Write;

use milepost_plan::ForecastView;
use milepost_session::Scope;

use crate::Outcome;
use crate::commands::{PortfolioArgs, outcome, release, report_problems};
use crate::error::CliError;
use crate::output;

/// Forecast finish dates: a seeded Monte Carlo simulation that samples each milestone's
/// duration from its three-point `estimate` (triangular distribution; a milestone without an
/// estimate keeps its `duration`), propagates it through the same dependency graph and
/// calendar as `plan`, and reports P50/P80/P95 finish dates, the probability of meeting
/// each target and how often each milestone was on the critical path.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
    /// Number of simulated runs.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub runs: u32,
    /// Random seed: the same seed gives the same forecast, on any machine.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The output formats of `forecast`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per milestone and per program.
    Table,
    /// One JSON object.
    Json,
}

/// Runs `milepost forecast`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(args.format == Format::Json);
    let session = args.portfolio.open(Scope::Planning)?;
    let failed = report_problems(&session)?;
    let view = match session.forecast_with(args.runs, args.seed) {
        Ok(result) => session.forecast_view(&result, session.program()),
        // A cycle (already reported above) leaves nothing to simulate: an empty forecast,
        // so that machine formats still print their document.
        Err(_) if failed => ForecastView::empty(session.as_of(), args.runs, args.seed),
        Err(e) => {
            return Err(CliError::usage(
                format!("the forecast cannot be computed: {e}"),
                "run `milepost check` to find the problem",
            ));
        }
    };
    match args.format {
        Format::Table => {
            let mut out = output::stdout_human();
            output::forecast::render(&mut out, &view)?;
            out.flush()?;
        }
        Format::Json => {
            let mut out = output::stdout_plain();
            output::plan::json::render_with(&mut out, &view, &session.plan_problems())?;
            out.flush()?;
        }
    }
    release(session);
    Ok(outcome(failed))
}
