//! `milepost diff`: what a change does to the plan, for a pull-request comment.

use std::io::Write;

use chrono::NaiveDate;
use milepost_history::{History, PortfolioDiff, Rev, diff_portfolios};
use milepost_load::Portfolio;

use crate::Outcome;
use crate::commands::git::RepoArgs;
use crate::commands::parse_date;
use crate::error::CliError;
use crate::output;
use crate::output::history::diff::Side;

/// Show what changes in the plan between two versions of the portfolio: entities added,
/// removed and modified field by field, date moves in work days, the critical path before
/// and after. Without BASE, compares the merge base of HEAD and the default branch
/// (origin/HEAD, main or master) with the working tree; with BASE only, BASE with the
/// working tree.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The version before: a branch, tag or commit.
    #[arg(value_name = "BASE")]
    pub base: Option<String>,
    /// The version after: a branch, tag or commit (default: the working tree).
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Only these programs (repeatable).
    #[arg(long = "program", value_name = "ID")]
    pub programs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Plan both versions as of this day (YYYY-MM-DD) for the critical path.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// The output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown for a pull-request comment.
    Md,
    /// One JSON object: `{"base", "head", "changes": [...]}`.
    Json,
}

/// The portfolio at a revision. A revision without it is an error (exit 2), not an empty
/// portfolio: diffing against nothing would report everything as added — or, the other way
/// round, "no change" — about a folder that was not there.
fn load_at(history: &History, rev: &Rev) -> Result<Portfolio, CliError> {
    history.portfolio_at(rev.id)?.ok_or_else(|| {
        let folder = if history.prefix().is_empty() {
            "the repository root".to_owned()
        } else {
            format!("`{}/`", history.prefix())
        };
        let id = rev.id.to_string();
        CliError::usage(
            format!(
                "{} ({}) has no portfolio at {folder}: it predates the portfolio, or the folder was moved",
                rev.name,
                &id[..id.len().min(7)]
            ),
            format!(
                "compare from a revision that has it, such as the commit that added it (`git log --diff-filter=A --format=%h -- {}milepost.yaml`)",
                if history.prefix().is_empty() {
                    String::new()
                } else {
                    format!("{}/", history.prefix())
                }
            ),
        )
    })
}

/// The files of one side that did not parse (their entities are missing from it), as
/// `side: file:line:col: message`.
fn unreadable(portfolio: &Portfolio, side: &str) -> Vec<String> {
    portfolio
        .diagnostics
        .iter()
        .filter(|d| d.rule == "yaml" && d.severity == milepost_load::Severity::Error)
        .map(|d| match &d.location {
            Some(l) => format!(
                "{side}: {}:{}:{}: {}",
                l.file, l.span.line, l.span.column, d.message
            ),
            None => format!("{side}: {}", d.message),
        })
        .collect()
}

/// Runs `milepost diff`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    crate::progress::enable(args.format == Format::Json);
    // `milepost diff main portfolio` and `milepost diff portfolio`: the last positional is
    // the portfolio when it names a folder or file on disk and PATH was not given.
    let mut args_owned;
    let args = if args.repo.path.is_none() && args.repo.path_flag.is_none() {
        let is_path = |s: &Option<String>| {
            s.as_deref()
                .is_some_and(|s| std::path::Path::new(s).exists())
        };
        if args.head.is_some() && is_path(&args.head) {
            args_owned = Args { ..args.clone() };
            args_owned.repo.path = args_owned.head.take().map(Into::into);
            &args_owned
        } else if args.head.is_none() && is_path(&args.base) {
            args_owned = Args { ..args.clone() };
            args_owned.repo.path = args_owned.base.take().map(Into::into);
            &args_owned
        } else {
            args
        }
    } else {
        args
    };
    let history = args.repo.open()?;
    let base = if let Some(b) = &args.base {
        history.resolve(b)?
    } else {
        let head = history.head()?;
        let default = history.default_branch()?;
        let mut base = history.merge_base(&head, &default)?;
        base.name = format!("merge base with {}", default.name);
        base
    };
    let before = load_at(&history, &base)?;
    let (after, head) = match &args.head {
        Some(h) => {
            let rev = history.resolve(h)?;
            (
                load_at(&history, &rev)?,
                Side {
                    id: rev.id.to_string(),
                    label: rev.name,
                },
            )
        }
        None => (
            history.working_tree_portfolio()?,
            Side {
                id: "working tree".to_owned(),
                label: "working tree".to_owned(),
            },
        ),
    };
    let as_of = args
        .as_of
        .or(after.settings.as_of)
        .unwrap_or_else(milepost_session::today);
    let mut diff = diff_portfolios(&before, &after, as_of);
    if !args.programs.is_empty() {
        let known: Vec<&str> = before
            .programs
            .iter()
            .chain(&after.programs)
            .map(|p| p.id.as_str())
            .collect();
        for id in &args.programs {
            if !known.contains(&id.as_str()) {
                let hint = milepost_load::did_you_mean(id, known.iter().copied()).map_or_else(
                    || format!("programs: {}", known.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                return Err(CliError::usage(
                    format!("no program `{id}` on either side"),
                    hint,
                ));
            }
        }
        diff.changes
            .retain(|c| crate::commands::git::in_programs(&c.entity, &args.programs));
    }
    let unreadable = unreadable(&before, "base")
        .into_iter()
        .chain(unreadable(&after, "head"))
        .collect::<Vec<_>>();
    let portfolio = if history.prefix().is_empty() {
        ".".to_owned()
    } else {
        history.prefix().to_owned()
    };
    let base = Side {
        id: base.id.to_string(),
        label: base.name,
    };
    match args.format {
        Format::Md => {
            let mut out = output::stdout_plain();
            output::history::diff::markdown(
                &mut out,
                &base,
                &head,
                &diff,
                as_of,
                &portfolio,
                &unreadable,
            )?;
            out.flush()?;
        }
        Format::Json => {
            let mut out = output::stdout_plain();
            json(
                &mut out,
                &base,
                &head,
                &diff,
                as_of,
                &portfolio,
                &unreadable,
            )?;
            out.flush()?;
        }
    }
    Ok(Outcome::Clean)
}

fn json(
    out: &mut dyn Write,
    base: &Side,
    head: &Side,
    diff: &PortfolioDiff,
    as_of: NaiveDate,
    portfolio: &str,
    unreadable: &[String],
) -> Result<(), CliError> {
    let value = serde_json::json!({
        "version": output::json::VERSION,
        "portfolio": portfolio,
        "unreadable": unreadable,
        "base": base.id,
        "head": head.id,
        "base_ref": base.label,
        "head_ref": head.label,
        "as_of": as_of,
        "changes": diff.changes,
        "critical_path": {
            "before": diff.plan_before.critical_path,
            "after": diff.plan_after.critical_path,
        },
        "finish": {
            "before": diff.plan_before.finish,
            "after": diff.plan_after.finish,
            "work_days": diff.finish_work_days,
        },
        "renames": diff.renames.iter().map(|(from, to)| serde_json::json!({"from": from, "to": to})).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}
