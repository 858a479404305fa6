//! Output formats, one file each.

pub mod forecast;
pub mod github;
pub mod history;
pub mod human;
pub mod json;
pub mod junit;
pub mod plan;
pub mod sarif;

use std::io::Write;

/// Buffered standard output for machine formats (JSON, CSV…): one write per 64 KiB instead
/// of one per line.
pub fn stdout_plain() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Buffered standard output for human formats: colour on a terminal, plain when piped or
/// when `NO_COLOR` is set.
pub fn stdout_human() -> anstream::AutoStream<Box<dyn Write>> {
    let choice = anstream::AutoStream::choice(&std::io::stdout());
    let raw: Box<dyn Write> = Box::new(stdout_plain());
    anstream::AutoStream::new(raw, choice)
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Tally {
    /// Error-level findings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Informational findings.
    pub infos: usize,
}

impl Tally {
    /// Counts the findings.
    pub fn of(diagnostics: &[milepost_load::Diagnostic]) -> Self {
        let mut t = Tally::default();
        for d in diagnostics {
            match d.severity {
                milepost_load::Severity::Error => t.errors += 1,
                milepost_load::Severity::Warning => t.warnings += 1,
                milepost_load::Severity::Info => t.infos += 1,
            }
        }
        t
    }
}

/// Pluralizes a count: `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {word}s")
    }
}
