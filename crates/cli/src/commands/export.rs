//! `milepost export`: the plan in another tool's format.

use std::io::Write;
use std::path::PathBuf;

use milepost_exchange::export::{self, ExportError, Source};
use milepost_session::Scope;

use crate::Outcome;
use crate::commands::{PortfolioArgs, release, report_problems};
use crate::error::CliError;
use crate::{output, write};

/// Export the plan for another tool: MS Project XML (MSPDI), a TaskJuggler project, an
/// iCalendar feed or rows for Jira's CSV importer. Dates are those of `milepost plan` as of
/// the as-of date; `--program` exports some programs (dependencies on others are kept where
/// the format can say so). The output is the same bytes for the same plan, so it can be
/// committed, diffed or served (`--to ical` as a calendar subscription).
///
/// What survives the trip, per format: docs/exchange/.
///
/// Exit code 1 when the plan has no schedule (a dependency cycle), 2 when the portfolio
/// cannot be read.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
    /// The format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// MS Project XML: opens in Project, ProjectLibre and MPXJ-based tools.
    Mspdi,
    /// A TaskJuggler 3 project that schedules to the same dates (`tj3 plan.tjp`).
    Tjp,
    /// An iCalendar feed: one all-day event per milestone, stable UIDs.
    Ical,
    /// Rows for Jira's CSV importer: an epic per program, an issue per milestone.
    JiraCsv,
}

impl From<Format> for export::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Mspdi => export::Format::Mspdi,
            Format::Tjp => export::Format::Tjp,
            Format::Ical => export::Format::Ical,
            Format::JiraCsv => export::Format::JiraCsv,
        }
    }
}

/// Runs `milepost export`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let session = args.portfolio.open(Scope::Planning)?;
    let failed = report_problems(&session)?;
    let source = Source::new(session.portfolio(), session.plan(), session.programs());
    let text = match export::export(args.to.into(), &source) {
        Ok(t) => t,
        Err(e @ ExportError::NoSchedule) => {
            let mut err = anstream::stderr();
            let _ = writeln!(
                err,
                "error: {e}\n  = help: `milepost check` shows the cycle; break it and export again"
            );
            return Ok(Outcome::Findings);
        }
    };
    if let Some(path) = &args.out {
        write::write_file(path, text.as_bytes())?;
        output::info(&format!("wrote {}", path.display()));
    } else {
        let mut out = output::stdout_plain();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    release(session);
    Ok(crate::commands::outcome(failed))
}
