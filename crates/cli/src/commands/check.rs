//! `milepost check`: load, validate and run the governance rules.

use std::io::Write;

use milepost_load::Severity;
use milepost_session::{AsOf, Scope};

use crate::Outcome;
use crate::commands::{PortfolioArgs, outcome, release};
use crate::error::CliError;
use crate::output::{self, plural};

/// Validate a portfolio: YAML syntax, JSON Schemas, references between files, and the
/// governance rules. Exit code 0 when there is no error-level finding, 1 when there is,
/// 2 when the portfolio cannot be read at all.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub portfolio: PortfolioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest severity that fails the check (exit 1): `error` (the default), `warning`
    /// (warnings fail too), or `never` (report only; exit 0 whatever is found).
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Scope the gate to a change: compare with the merge base of REF (for example
    /// `origin/main`) and HEAD. Findings the change introduces, or that sit in entities and
    /// files it touches, keep their level; findings that exist unchanged on the base are
    /// still listed but capped at `warning`, so a risk that fell due in another program
    /// never fails this pull request. Needs the base's history (`fetch-depth: 0`).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
}

/// What fails `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Error-level findings fail the check.
    Error,
    /// Warnings and errors fail the check.
    Warning,
    /// Nothing fails the check: report only.
    Never,
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets for people.
    Human,
    /// One JSON object: `{"diagnostics": [...], "summary": {...}}`.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`).
    Sarif,
    /// JUnit XML: one test case per rule and entity, a failure per error.
    Junit,
    /// GitLab Code Quality JSON (`artifacts:reports:codequality`), with stable fingerprints.
    Gitlab,
    /// A Markdown summary for `$GITHUB_STEP_SUMMARY` or a merge-request note.
    Markdown,
}

/// The portfolio-relative path of PATH when PATH is a file of the portfolio.
fn one_file(session: &milepost_session::Session, path: Option<&std::path::Path>) -> Option<String> {
    let path = path.filter(|p| p.is_file())?;
    let root = std::fs::canonicalize(session.root()?).ok()?;
    let file = std::fs::canonicalize(path).ok()?;
    let rel = file.strip_prefix(&root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Runs `milepost check`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let session = args.portfolio.open(Scope::Everything)?;
    let portfolio = session.portfolio();
    let as_of = session.as_of();
    let (base, diagnostics) = match &args.base {
        Some(spec) => {
            let (base, findings) = session.against_base(spec)?;
            (Some(base), std::borrow::Cow::Owned(findings))
        }
        None => (None, session.findings_in_scope()),
    };
    // `milepost check programs/x/raid.yaml` (an editor, a pre-commit hook passing file
    // names): the whole portfolio is loaded and checked, only that file's findings are shown.
    let only = one_file(&session, args.portfolio.path.as_deref());
    let diagnostics = match &only {
        Some(file) => std::borrow::Cow::Owned(
            diagnostics
                .iter()
                .filter(|d| {
                    d.location
                        .as_ref()
                        .is_some_and(|l| &*l.file == file.as_str())
                })
                .cloned()
                .collect(),
        ),
        None => diagnostics,
    };
    let base_spec = base.as_ref().map(|b| b.spec.as_str());
    let counts = portfolio.counts();
    let failed = diagnostics.iter().any(|d| match args.fail_on {
        FailOn::Error => d.severity == Severity::Error,
        FailOn::Warning => matches!(d.severity, Severity::Error | Severity::Warning),
        FailOn::Never => false,
    });
    let as_of_note = if session.as_of_source() == AsOf::Pinned {
        ", pinned in milepost.yaml"
    } else {
        ""
    };
    let prefix = session.repo_prefix();
    let report = output::CheckReport {
        diagnostics: &diagnostics,
        counts,
        prefix: &prefix,
        as_of,
        as_of_note,
        base: base.as_ref(),
        failed,
    };
    match args.format {
        Format::Human => {
            let mut out = output::stdout_human();
            let mut summary = format!(
                "checked {}, {}, {} in {} (as of {as_of}{as_of_note})",
                plural(counts.programs, "program"),
                plural(counts.milestones, "milestone"),
                plural(counts.risks, "risk"),
                plural(counts.files, "file"),
            );
            if let Some(file) = &only {
                summary.push_str("; showing the findings in ");
                summary.push_str(file);
                summary.push_str(" only");
            }
            output::human::render(
                &mut out,
                portfolio,
                &diagnostics,
                &summary,
                &session.cwd_prefix(),
                base_spec,
            )?;
            if let Some(base) = &base {
                writeln!(
                    out,
                    "{}",
                    output::printable(&output::base_sentence(base, &diagnostics))
                )?;
            }
            out.flush()?;
        }
        Format::Json => {
            let mut out = output::stdout_plain();
            output::json::render(&mut out, &report)?;
            out.flush()?;
        }
        Format::Github => {
            let mut out = output::stdout_plain();
            output::github::render(&mut out, &diagnostics, &prefix, base_spec)?;
            out.flush()?;
        }
        Format::Sarif => {
            let provenance = session
                .root()
                .and_then(|root| milepost_history::History::open(root).ok())
                .and_then(|h| h.provenance());
            let mut out = output::stdout_plain();
            output::sarif::render(
                &mut out,
                &diagnostics,
                &prefix,
                base_spec,
                provenance.as_ref(),
                Some(portfolio),
            )?;
            out.flush()?;
        }
        Format::Junit => {
            let config = milepost_rules::Config::resolve(portfolio);
            let ran: Vec<&str> = milepost_rules::levels(&config)
                .into_iter()
                .filter(|(_, level)| *level != milepost_model::RuleLevel::Off)
                .map(|(rule, _)| rule.id)
                .collect();
            let mut out = output::stdout_plain();
            output::junit::render(&mut out, &diagnostics, &ran, &prefix)?;
            out.flush()?;
        }
        Format::Gitlab => {
            let settings = if portfolio.source_by_path("milepost.yml").is_some() {
                "milepost.yml"
            } else {
                "milepost.yaml"
            };
            let mut out = output::stdout_plain();
            output::gitlab::render(&mut out, &diagnostics, &prefix, settings)?;
            out.flush()?;
        }
        Format::Markdown => {
            let mut out = output::stdout_plain();
            output::markdown::render(&mut out, &report)?;
            out.flush()?;
        }
    }
    drop(diagnostics);
    release(session);
    Ok(outcome(failed))
}
