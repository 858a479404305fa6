//! `milepost-synth --programs N [--milestones M] [--risks R] [--seed S] --out DIR`:
//! writes a synthetic portfolio to disk (for benchmarks and scale tests).

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool prints"
)]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
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
