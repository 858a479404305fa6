//! `milepost-synth --programs N [--milestones M] [--risks R] [--seed S] --out DIR`:
//! writes a synthetic portfolio to disk (for benchmarks and scale tests).
//!
//! `milepost-synth acme-history --out DIR [--example examples/acme]`: writes a git
//! repository whose weekly commits replay how the example's plan of record came about (the
//! portfolio in `DIR/acme`), so the history-based KPIs of `milepost metrics` have something
//! to measure.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool prints"
)]

use std::path::PathBuf;
use std::process::ExitCode;

/// `acme-history --out DIR [--example PATH]`.
fn acme_history(args: &[String]) -> ExitCode {
    let mut out: Option<PathBuf> = None;
    let mut example = PathBuf::from("examples/acme");
    for pair in args.chunks(2) {
        match (pair[0].as_str(), pair.get(1)) {
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            ("--example", Some(v)) => example = PathBuf::from(v),
            (other, _) => {
                eprintln!(
                    "unknown argument `{other}`\nusage: milepost-synth acme-history --out DIR [--example PATH]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: milepost-synth acme-history --out DIR [--example PATH]");
        return ExitCode::from(2);
    };
    if out.exists() {
        eprintln!("{} exists; give a new folder", out.display());
        return ExitCode::from(2);
    }
    // The last commit is on the example's pinned as-of date.
    let last = std::fs::read_to_string(example.join("milepost.yaml"))
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("as_of:"))
                .and_then(|d| d.trim().get(..10)?.parse().ok())
        })
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default());
    match milepost_synth::history::write_history(&example, &out, last) {
        Ok(n) => {
            println!(
                "wrote {n} commits to {} (the portfolio is {})",
                out.display(),
                out.join("acme").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write the history: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("acme-history") {
        return acme_history(&all[1..]);
    }
    let mut options = milepost_synth::Options::default();
    let mut out: Option<PathBuf> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        let number = || value.parse::<usize>().ok();
        match args[i].as_str() {
            "--programs" => options.programs = number().unwrap_or(options.programs),
            "--milestones" => {
                options.milestones_per_program = number().unwrap_or(options.milestones_per_program);
            }
            "--risks" => options.risks_per_program = number().unwrap_or(options.risks_per_program),
            "--seed" => options.seed = value.parse().unwrap_or(options.seed),
            "--out" => out = Some(PathBuf::from(&value)),
            other => {
                eprintln!(
                    "unknown argument `{other}`\nusage: milepost-synth --programs N [--milestones M] [--risks R] [--seed S] --out DIR"
                );
                return ExitCode::from(2);
            }
        }
        i += 2;
    }
    let Some(out) = out else {
        eprintln!(
            "usage: milepost-synth --programs N [--milestones M] [--risks R] [--seed S] --out DIR"
        );
        return ExitCode::from(2);
    };
    let files = milepost_synth::generate(&options);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    if let Err(e) = milepost_synth::write_to_dir(&files, &out) {
        eprintln!("cannot write {}: {e}", out.display());
        return ExitCode::from(2);
    }
    println!(
        "wrote {} files ({:.1} MB) to {}",
        files.len(),
        bytes as f64 / 1e6,
        out.display()
    );
    ExitCode::SUCCESS
}
