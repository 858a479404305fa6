//! `milepost log`: the life of one entity, from git history.

use std::io::Write;

use milepost_history::EntityLog;

use crate::Outcome;
use crate::commands::git::{RepoArgs, tip, warn_problems};
use crate::error::CliError;
use crate::output;
use crate::output::history::{show, work_days};

/// Show every commit that changed an entity, oldest first: who, when, in which pull request,
/// and each field before and after. The first event is its creation.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity: `program` (its charter) or `program/id` (`ledger/M2`, `ledger/R-3`).
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Read history up to this branch, tag or commit (default: HEAD).
    #[arg(long, value_name = "REF")]
    pub rev: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The output formats of `log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One block per commit, one line per field.
    Table,
    /// One JSON object: `{"entity", "events": [...]}`.
    Json,
}

/// Runs `milepost log`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(args.format == Format::Json);
    let history = args.repo.open()?;
    let tip = tip(&history, args.rev.as_deref())?;
    let log = history.entity_log(tip.id, &args.entity, !args.repo.all_parents)?;
    warn_problems(&log.problems);
    let coverage = output::history::Coverage::new(
        &history,
        &tip,
        !args.repo.all_parents,
        log.commits_read,
        &log.problems,
    );
    let mut out = output::stdout_plain();
    match args.format {
        Format::Table => table(&mut out, &log, &coverage)?,
        Format::Json => {
            coverage.write_json(&mut out, &log)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

fn table(
    out: &mut dyn Write,
    log: &EntityLog,
    coverage: &output::history::Coverage,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} ({}): {}\n{}",
        log.entity,
        log.entity_kind.as_str(),
        output::plural(log.events.len(), "change"),
        coverage.sentence()
    )?;
    for e in &log.events {
        let pr = e.pr.map(|n| format!(" #{n}")).unwrap_or_default();
        writeln!(
            out,
            "\n{}  {}  {} <{}>{pr}  {}",
            e.date.get(..10).unwrap_or(&e.date),
            &e.commit[..e.commit.len().min(7)],
            e.author,
            e.email,
            e.summary
        )?;
        let verb = match e.kind {
            milepost_history::EventKind::Created => "created",
            milepost_history::EventKind::Modified => "changed",
            milepost_history::EventKind::Removed => "removed",
        };
        writeln!(out, "  {verb}:")?;
        for c in &e.changes {
            let line = match e.kind {
                milepost_history::EventKind::Created => show(&c.after),
                milepost_history::EventKind::Removed => show(&c.before),
                milepost_history::EventKind::Modified => {
                    let moved = c
                        .work_days
                        .map(|d| format!(" ({})", work_days(d)))
                        .unwrap_or_default();
                    format!("{} → {}{moved}", show(&c.before), show(&c.after))
                }
            };
            writeln!(out, "    {}: {line}", c.field)?;
        }
    }
    Ok(())
}
