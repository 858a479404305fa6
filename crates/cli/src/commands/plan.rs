//! `milepost plan`: the critical-path schedule of a portfolio or one program.

use std::io::Write;

use milepost_plan::PlanView;
use milepost_session::{Scope, Session};

use crate::Outcome;
use crate::commands::{PortfolioArgs, outcome, release, report_problems};
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
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
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

/// Runs `milepost plan`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let session = args.portfolio.open(Scope::Planning)?;
    let failed = report_problems(&session)?;
    let view = scoped_view(&session);
    if args.format == Format::Table {
        let mut out = output::stdout_human();
        output::plan::table::render(&mut out, &view)?;
        out.flush()?;
    } else {
        let mut out = output::stdout_plain();
        match args.format {
            Format::Json => output::plan::json::render(&mut out, &view, &session.plan_problems())?,
            Format::Csv => output::plan::csv::render(&mut out, &view)?,
            Format::Mermaid => output::plan::mermaid::render(&mut out, &view)?,
            Format::Dot | Format::Table => output::plan::dot::render(&mut out, &view)?,
        }
        out.flush()?;
    }
    release((session, view));
    Ok(outcome(failed))
}

/// The plan view of the programs in scope: one program, or the portfolio (several
/// `--program`s: the portfolio's rows of those programs).
fn scoped_view(session: &Session) -> PlanView {
    if let Some(one) = session.program() {
        return session.plan_view(Some(one));
    }
    let mut view = session.plan_view(None);
    if let Some(selected) = session.programs() {
        let ids: Vec<&str> = selected
            .iter()
            .map(|&p| session.portfolio().programs[p].id.as_str())
            .collect();
        view.milestones
            .retain(|r| ids.contains(&r.program.as_str()));
    }
    view
}
