//! The `milepost` command-line interface.
//!
//! This crate is glue: it parses arguments (clap), calls the library crates, renders their
//! data in the requested output format, and maps the outcome to an exit code:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | ran, no error-level finding |
//! | 1 | ran, error-level findings |
//! | 2 | could not run: bad arguments, unreadable path, not a portfolio |
//!
//! A closed pipe (`milepost check | head`) is treated as success. Only this crate prints,
//! reads the environment or exits.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary is the one place that prints"
)]

mod commands;
mod error;
mod output;
mod write;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::commands::Command;

/// mimalloc: parsing thousands of small YAML files is allocation-bound, and the system
/// allocator is markedly slower at it across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use crate::error::CliError;

/// Programs as code: validate, plan and report technical programs kept as YAML in git.
#[derive(Debug, Parser)]
#[command(name = "milepost", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What a command reports back to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Ran; nothing at error level.
    Clean,
    /// Ran; error-level findings (exit 1).
    Findings,
}

fn main() -> ExitCode {
    write::install_signal_cleanup();
    // A benchmarking switch (docs/adr/0001-yaml-parser.md): the general YAML parser only.
    if std::env::var_os("MILEPOST_YAML_FAST_PATH").is_some_and(|v| v == "0") {
        milepost_load::yaml::set_fast_path(false);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match commands::run(cli.command) {
        // A reader that closed the pipe early (`milepost check | head`) is not an error.
        Ok(Outcome::Clean) | Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            let mut err = anstream::stderr();
            let red = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            let bold = anstyle::Style::new().bold();
            let _ = writeln!(err, "{red}error{red:#}{bold}: {e}{bold:#}");
            if let Some(hint) = e.hint() {
                let cyan = anstyle::Style::new()
                    .bold()
                    .fg_color(Some(anstyle::AnsiColor::Cyan.into()));
                let _ = writeln!(err, "  {cyan}= help{cyan:#}: {hint}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
