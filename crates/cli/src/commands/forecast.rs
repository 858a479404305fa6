//! `milepost forecast`: Monte Carlo finish dates over three-point estimates.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use milepost_plan::{Estimate, ForecastInput, PortfolioPlan, forecast};

use crate::Outcome;
use crate::commands::plan::{load_for_planning, program_index, report_problems};
use crate::commands::{effective_as_of, parse_date, portfolio_path};
use crate::error::CliError;
use crate::output;

/// Forecast finish dates: a seeded Monte Carlo simulation that samples each milestone's
/// duration from its three-point `estimate` (triangular distribution; a milestone without an
/// estimate keeps its `duration`), propagates it through the same dependency graph and
/// calendar as `plan`, and reports P50/P80/P95 finish dates, the probability of meeting
/// each target and how often each milestone was on the critical path.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio folder.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Show one program (the simulation still covers the portfolio).
    #[arg(long, value_name = "ID")]
    pub program: Option<String>,
    /// Number of simulated runs.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub runs: u32,
    /// Random seed: the same seed gives the same forecast, on any machine.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Forecast as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
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

/// One milestone's forecast.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MilestoneRow {
    /// `program/id`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Committed date.
    pub target: Option<NaiveDate>,
    /// The deterministic plan's earliest finish.
    pub planned_finish: NaiveDate,
    /// Median finish.
    pub p50: NaiveDate,
    /// 80th percentile finish.
    pub p80: NaiveDate,
    /// 95th percentile finish.
    pub p95: NaiveDate,
    /// Share of runs meeting the target.
    pub on_time_probability: Option<f64>,
    /// Share of runs on the critical path.
    pub criticality: f64,
}

/// One program's forecast.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgramRow {
    /// Program id.
    pub id: String,
    /// The charter's target.
    pub target: Option<NaiveDate>,
    /// The deterministic plan's finish.
    pub planned_finish: Option<NaiveDate>,
    /// Percentiles of the program's finish.
    pub p50: Option<NaiveDate>,
    /// 80th percentile.
    pub p80: Option<NaiveDate>,
    /// 95th percentile.
    pub p95: Option<NaiveDate>,
}

/// The forecast in scope.
#[derive(Debug, Clone, serde::Serialize)]
pub struct View {
    /// As-of date.
    pub as_of: NaiveDate,
    /// Runs simulated.
    pub runs: u32,
    /// Seed used.
    pub seed: u64,
    /// The sampling distribution.
    pub distribution: &'static str,
    /// Per milestone, sorted by P50 then id.
    pub milestones: Vec<MilestoneRow>,
    /// Per program in scope.
    pub programs: Vec<ProgramRow>,
    /// Percentiles of the finish in scope.
    pub finish: Option<milepost_plan::Percentiles>,
}

/// Runs `milepost forecast`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let path = portfolio_path(args.path.as_ref());
    let portfolio = load_for_planning(&path)?;
    let as_of = effective_as_of(args.as_of, &portfolio);
    let program = program_index(&portfolio, args.program.as_deref())?;
    let plan = PortfolioPlan::build(&portfolio, as_of);
    let failed = report_problems(&portfolio, &plan)?;
    let Some(schedule) = &plan.schedule else {
        return Ok(Outcome::Findings);
    };
    let estimates: Vec<Option<Estimate>> = plan
        .keys
        .iter()
        .map(|k| {
            portfolio.programs[k.program].milestones[k.milestone]
                .estimate
                .map(|e| Estimate {
                    optimistic: f64::from(e.optimistic.days()),
                    likely: f64::from(e.likely.days()),
                    pessimistic: f64::from(e.pessimistic.days()),
                })
        })
        .collect();
    let result = forecast(
        &ForecastInput {
            tasks: &plan.tasks,
            estimates: &estimates,
            runs: args.runs,
            seed: args.seed,
        },
        &plan.calendar,
        as_of,
    )
    .map_err(|e| {
        CliError::usage(
            format!("the forecast cannot be computed: {e}"),
            "run `milepost check` to find the problem",
        )
    })?;
    let mut milestones: Vec<MilestoneRow> = (0..plan.keys.len())
        .filter(|t| program.is_none_or(|p| plan.keys[*t].program == p))
        .map(|t| {
            let key = plan.keys[t];
            let p = &portfolio.programs[key.program];
            let m = &p.milestones[key.milestone];
            let f = &result.tasks[t];
            MilestoneRow {
                id: p.qualify(&m.id),
                title: m.title.clone(),
                target: m.target,
                planned_finish: schedule.tasks[t].earliest_finish,
                p50: f.p50,
                p80: f.p80,
                p95: f.p95,
                on_time_probability: f.on_time_probability,
                criticality: f.criticality,
            }
        })
        .collect();
    milestones.sort_by(|a, b| a.p50.cmp(&b.p50).then(a.id.cmp(&b.id)));
    let programs: Vec<ProgramRow> = portfolio
        .programs
        .iter()
        .enumerate()
        .filter(|(i, _)| program.is_none_or(|p| p == *i))
        .map(|(i, p)| {
            let f = result.groups.get(i).and_then(|g| g.finish);
            ProgramRow {
                id: p.id.clone(),
                target: p.charter.target,
                planned_finish: schedule.group_finish.get(i).copied().flatten(),
                p50: f.map(|f| f.p50),
                p80: f.map(|f| f.p80),
                p95: f.map(|f| f.p95),
            }
        })
        .collect();
    let finish = match program {
        None => result.finish,
        Some(p) => result.groups.get(p).and_then(|g| g.finish),
    };
    let view = View {
        as_of,
        runs: args.runs,
        seed: args.seed,
        distribution: "triangular",
        milestones,
        programs,
        finish,
    };
    match args.format {
        Format::Table => {
            let mut out = output::stdout_human();
            output::forecast::render(&mut out, &view)?;
            out.flush()?;
        }
        Format::Json => {
            let mut out = output::stdout_plain();
            serde_json::to_writer_pretty(&mut out, &view).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
    }
    std::mem::forget(portfolio);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
