//! `milepost lsp`: the language server over stdio.

use chrono::NaiveDate;

use crate::Outcome;
use crate::commands::parse_date;
use crate::error::CliError;

/// Run the language server over standard input and output: diagnostics from the whole
/// governance check as you type, completion, go to definition, references, symbols, hover
/// with the plan and quick fixes. Editors start it; see docs/editors.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Evaluate as of this day instead of today (or milepost.yaml's `as_of`).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Accepted for editors that pass it (`--stdio`); stdio is the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// Runs `milepost lsp`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    milepost_lsp::serve_stdio(&milepost_lsp::Options {
        as_of: args.as_of,
        debounce: None,
    })
    .map_err(|e| CliError::Io(std::io::Error::other(e.to_string())))?;
    Ok(Outcome::Clean)
}
