//! `milepost schema`: write or verify the JSON Schemas.

use std::path::{Path, PathBuf};

use milepost_model::FileKind;
use milepost_model::schema::{schema_file_name, schema_text};

use crate::Outcome;
use crate::error::CliError;
use crate::write::write_file;

/// Write the JSON Schemas of every portfolio file kind (`--out DIR`), or verify that a
/// folder holds exactly the schemas this version generates (`--check DIR`, exit 1 on drift).
///
/// Point your editor at them for autocompletion: see docs/format.md.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["out", "check"])))]
pub struct Args {
    /// Write the schemas into this folder (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Compare the schemas in this folder with the generated ones.
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
}

/// Runs `milepost schema`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    if let Some(dir) = &args.out {
        for kind in FileKind::ALL {
            write_file(
                &dir.join(schema_file_name(kind)),
                schema_text(kind).as_bytes(),
            )?;
        }
        crate::output::info(&format!(
            "wrote {} schemas to {}",
            FileKind::ALL.len(),
            dir.display()
        ));
        return Ok(Outcome::Clean);
    }
    let dir = args.check.as_deref().unwrap_or(Path::new("schemas"));
    if !dir.is_dir() {
        return Err(CliError::usage(
            format!("`{}` is not a folder", dir.display()),
            "pass the folder holding the committed schemas, e.g. `--check schemas`",
        ));
    }
    let mut drift = Vec::new();
    for kind in FileKind::ALL {
        let path = dir.join(schema_file_name(kind));
        match std::fs::read_to_string(&path) {
            Ok(text) if text == schema_text(kind) => {}
            Ok(_) => drift.push(format!(
                "{} differs from the generated schema",
                path.display()
            )),
            Err(_) => drift.push(format!("{} is missing", path.display())),
        }
    }
    if drift.is_empty() {
        println!(
            "{} schemas in {} are up to date",
            FileKind::ALL.len(),
            dir.display()
        );
        Ok(Outcome::Clean)
    } else {
        for d in &drift {
            eprintln!("drift: {d}");
        }
        eprintln!(
            "regenerate them with `milepost schema --out {}`",
            dir.display()
        );
        Ok(Outcome::Findings)
    }
}
