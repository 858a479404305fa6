//! `milepost codeowners`: a CODEOWNERS file from the portfolio's owners and sponsors.

use std::io::Write;
use std::path::PathBuf;

use crate::Outcome;
use crate::commands::locate;
use crate::error::CliError;
use crate::output;

/// Write a CODEOWNERS file that maps each program folder to its owner's and sponsor's forge
/// handles (`handle` in people.yaml, of a person or a team), so that a pull request changing
/// a commitment needs the accountable people's review. Paths are relative to the root of the
/// git repository that holds the portfolio. Prints to stdout without --out.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio folder.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Write the file here (atomically), for example `.github/CODEOWNERS`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `milepost codeowners`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let path = locate(args.path.as_deref())?;
    let portfolio = milepost_load::load_dir(&path)?;
    let mut err = anstream::stderr();
    let prefix = match milepost_history::History::open(&path) {
        Ok(h) => h.prefix().to_owned(),
        Err(milepost_history::HistoryError::NotARepository(_)) => {
            let _ = writeln!(
                err,
                "note: `{}` is not in a git repository; paths are written relative to the portfolio folder",
                path.display()
            );
            String::new()
        }
        Err(e) => return Err(e.into()),
    };
    let owners = milepost_history::codeowners(&portfolio, &prefix);
    for w in &owners.warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    if let Some(file) = &args.out {
        crate::write::write_file(file, owners.text.as_bytes())?;
    } else {
        let mut out = output::stdout_plain();
        out.write_all(owners.text.as_bytes())?;
        out.flush()?;
    }
    Ok(Outcome::Clean)
}
