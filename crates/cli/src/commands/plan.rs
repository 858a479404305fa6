//! `milepost plan`: the critical-path schedule of a portfolio or one program.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use milepost_load::{FileSet, Portfolio, Severity};
use milepost_model::FileKind;
use milepost_plan::PortfolioPlan;

use crate::Outcome;
use crate::commands::{effective_as_of, parse_date, portfolio_path};
use crate::error::CliError;
use crate::output;

/// Compute the critical-path schedule: earliest and latest dates, slack and slip of every
/// milestone, and the chain of milestones that determines the finish date. Planning uses
/// work days on the portfolio calendar and finish-to-start dependencies, across programs.
///
/// Exit code 1 when the plan cannot be trusted (a dependency cycle or an error in the files
/// it reads), 2 when the portfolio cannot be read.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio folder.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Show one program (the plan is still computed across the portfolio).
    #[arg(long, value_name = "ID")]
    pub program: Option<String>,
    /// Plan as of this day (YYYY-MM-DD) instead of today: open work starts no earlier.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The output formats of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table to paste into a review, sorted by start, critical path marked.
    Table,
    /// One JSON object: `milestones`, `critical_path`, `finish`.
    Json,
    /// Comma-separated values, one row per milestone.
    Csv,
    /// A Mermaid gantt chart (renders on GitHub and GitLab).
    Mermaid,
    /// A Graphviz dependency graph with the critical path in bold.
    Dot,
}

/// The schedule rows and the whole view live in `milepost-plan`, shared with the reports.
pub use milepost_plan::view::{PlanView as View, view};

/// Loads only what planning needs: settings, people, charters and milestones.
pub fn load_for_planning(path: &Path) -> Result<Portfolio, CliError> {
    let set = FileSet::from_dir(path)?.only(&[
        FileKind::Settings,
        FileKind::People,
        FileKind::Program,
        FileKind::Milestones,
    ]);
    Ok(milepost_load::load(set))
}

/// Checks `--program` against the portfolio.
pub fn program_index(
    portfolio: &Portfolio,
    program: Option<&str>,
) -> Result<Option<usize>, CliError> {
    let Some(id) = program else { return Ok(None) };
    if let Some(i) = portfolio.programs.iter().position(|p| p.id == id) {
        Ok(Some(i))
    } else {
        let ids: Vec<&str> = portfolio.programs.iter().map(|p| p.id.as_str()).collect();
        let hint = match milepost_load::did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("programs: {}", ids.join(", ")),
        };
        Err(CliError::usage(
            format!("no program `{id}` in the portfolio"),
            hint,
        ))
    }
}

/// Prints the loader's error-level findings (and cycles) on stderr; returns whether any.
pub fn report_problems(portfolio: &Portfolio, plan: &PortfolioPlan) -> Result<bool, CliError> {
    let mut problems: Vec<milepost_load::Diagnostic> = portfolio
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    problems.extend(plan.cycle_diagnostics(portfolio));
    if let Some(e) = &plan.error
        && plan.cycles.is_empty()
    {
        problems.push(milepost_load::Diagnostic::error(
            "plan",
            format!("the plan cannot be computed: {e}"),
        ));
    }
    if problems.is_empty() {
        return Ok(false);
    }
    let mut err = anstream::AutoStream::auto(std::io::stderr().lock());
    let summary = "the plan below ignores or may be skewed by these problems; run `milepost check` for all findings".to_owned();
    output::human::render(&mut err, portfolio, &problems, &summary)?;
    Ok(true)
}

/// Runs `milepost plan`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let path = portfolio_path(args.path.as_ref());
    let portfolio = load_for_planning(&path)?;
    let as_of = effective_as_of(args.as_of, &portfolio);
    let program = program_index(&portfolio, args.program.as_deref())?;
    let plan = PortfolioPlan::build(&portfolio, as_of);
    let failed = report_problems(&portfolio, &plan)?;
    let view = view(&portfolio, &plan, program);
    if args.format == Format::Table {
        let mut out = output::stdout_human();
        output::plan::table::render(&mut out, &view)?;
        out.flush()?;
    } else {
        let mut out = output::stdout_plain();
        match args.format {
            Format::Json => output::plan::json::render(&mut out, &view)?,
            Format::Csv => output::plan::csv::render(&mut out, &view)?,
            Format::Mermaid => output::plan::mermaid::render(&mut out, &view)?,
            Format::Dot | Format::Table => output::plan::dot::render(&mut out, &view)?,
        }
        out.flush()?;
    }
    std::mem::forget(portfolio);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
