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
mod progress;
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

/// The long `--version`: the version, the commit it was built from and the build date.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("MILEPOST_COMMIT"),
    " ",
    env!("MILEPOST_BUILD_DATE"),
    ")"
);

/// Programs as code: validate, plan and report technical programs kept as YAML in git.
#[derive(Debug, Parser)]
#[command(
    name = "milepost",
    version,
    long_version = LONG_VERSION,
    about,
    long_about = None,
    propagate_version = true
)]
struct Cli {
    /// When to colour the output: `auto` (a terminal, and `NO_COLOR` unset), `always`,
    /// `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Print only the result and errors: no notes, no "wrote …" lines, no summary line when
    /// `check` finds nothing.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorArg {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always colour (even when piped).
    Always,
    /// Never colour.
    Never,
}

/// What a command reports back to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Ran; nothing at error level.
    Clean,
    /// Ran; error-level findings (exit 1).
    Findings,
}

/// `milepost completions SHELL`: the completion script on standard output.
fn completions(args: &commands::CompletionsArgs) -> Result<Outcome, CliError> {
    use clap::CommandFactory;
    let mut out = output::stdout_plain();
    clap_complete::generate(args.shell, &mut Cli::command(), "milepost", &mut out);
    out.flush()?;
    Ok(Outcome::Clean)
}

/// `milepost man`: the manual page, or one page per command into `--out DIR`.
fn man(args: &commands::ManArgs) -> Result<Outcome, CliError> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let Some(dir) = &args.out else {
        let mut out = output::stdout_plain();
        clap_mangen::Man::new(cmd).render(&mut out)?;
        out.flush()?;
        return Ok(Outcome::Clean);
    };
    let mut pages = vec![("milepost.1".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        // A page's name is `milepost-check`; clap takes a static name (one-shot command).
        let name: &'static str = Box::leak(format!("milepost-{}", sub.get_name()).into_boxed_str());
        pages.push((format!("{name}.1"), sub.clone().name(name)));
    }
    for (file, page) in pages {
        let mut text = Vec::new();
        clap_mangen::Man::new(page).render(&mut text)?;
        write::write_file(&dir.join(&file), &text)?;
    }
    output::info(&format!(
        "wrote {} manual pages to {}",
        cmd.get_subcommands().count() + 1,
        dir.display()
    ));
    Ok(Outcome::Clean)
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
    anstream::ColorChoice::write_global(match cli.color {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    });
    output::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Completions(args) => completions(&args),
        Command::Man(args) => man(&args),
        command => commands::run(command),
    };
    match result {
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
