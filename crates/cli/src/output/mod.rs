//! Output formats, one file each.

pub mod csv;
pub mod forecast;
pub mod github;
pub mod gitlab;
pub mod history;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod plan;
pub mod sarif;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: print the result and errors only (no notes, no "wrote …", no summary line of a
/// clean check).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// The width of `text` in terminal columns: a CJK character or an emoji takes two, a
/// combining mark none (Unicode's East Asian Width, as terminals render it).
pub fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` padded with spaces to `columns` terminal columns.
pub fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// `text` cut to at most `columns` terminal columns, with `…` when cut.
pub fn cut(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Prints an informational line on standard output (`wrote public/index.html`), unless
/// `--quiet`.
pub fn info(text: &str) {
    milepost_model::progress::finish();
    if !quiet() {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }
}

/// Buffered standard output for machine formats (JSON, CSV…): one write per 64 KiB instead
/// of one per line.
pub fn stdout_plain() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    // The result is about to be printed: clear any progress bar first.
    milepost_model::progress::finish();
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Buffered standard output for human formats: colour on a terminal, plain when piped or
/// when `NO_COLOR` is set.
pub fn stdout_human() -> anstream::AutoStream<Box<dyn Write>> {
    let choice = anstream::AutoStream::choice(&std::io::stdout());
    let raw: Box<dyn Write> = Box::new(stdout_plain());
    anstream::AutoStream::new(raw, choice)
}

/// What `check` found and what it covered, for the formats that say so (Markdown, JSON).
#[derive(Debug)]
pub struct CheckReport<'a> {
    /// The findings, in order.
    pub diagnostics: &'a [milepost_load::Diagnostic],
    /// What was read.
    pub counts: milepost_load::Counts,
    /// The portfolio folder relative to the repository root (`portfolio/`, or empty).
    pub prefix: &'a str,
    /// The as-of date.
    pub as_of: chrono::NaiveDate,
    /// `, pinned in milepost.yaml` when the date is pinned, else empty.
    pub as_of_note: &'a str,
    /// The base of the change, with `--base`.
    pub base: Option<&'a milepost_session::Base>,
    /// Whether the check fails (per `--fail-on`).
    pub failed: bool,
}

/// One sentence on what a change was compared with and how its findings compare.
pub fn base_sentence(
    base: &milepost_session::Base,
    diagnostics: &[milepost_load::Diagnostic],
) -> String {
    if !base.had_portfolio {
        return format!(
            "Against {} (merge base {}), which has no portfolio here: the change adds it, so every finding is new.",
            base.spec,
            base.short()
        );
    }
    let t = milepost_session::BaseTally::of(diagnostics);
    format!(
        "Against {} (merge base {}): the change touches {} and {}; findings: {} new, {} in what it touches, {} unchanged elsewhere{}.",
        base.spec,
        base.short(),
        plural(base.changed_files.len(), "file"),
        plural(base.changed_entities.len(), "entity"),
        t.new,
        t.touched,
        t.unchanged,
        if t.capped > 0 {
            format!(" ({} capped at warning)", plural(t.capped, "error"))
        } else {
            String::new()
        }
    )
}

/// The note a finding carries when `check --base` found it unchanged on the base.
pub fn base_note(d: &milepost_load::Diagnostic, spec: &str) -> Option<String> {
    if d.base != Some(milepost_load::BaseStatus::Unchanged) {
        return None;
    }
    Some(match d.capped_from {
        Some(from) => format!(
            "unchanged since {spec}, in something this change does not touch: reported as a warning (its level is {})",
            from.as_str()
        ),
        None => format!("unchanged since {spec}, in something this change does not touch"),
    })
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

/// Text from the portfolio (or git) made safe to print on a terminal or a CI log: control
/// characters are shown escaped (`\n`, `\r`, `\u{1b}`), so a value can neither start a new
/// line — a line that begins with `::` is a GitHub workflow command (a fake annotation,
/// `::add-mask::`, `::stop-commands::`) — nor move the cursor or recolour the terminal, and
/// the Unicode bidirectional controls of "Trojan Source" are shown as escapes too.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if unsafe_char(c) => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(printable("plain text"), "plain text");
        assert_eq!(
            printable("x\n::error file=a::pwned"),
            "x\\n::error file=a::pwned"
        );
        assert_eq!(printable("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(printable("tab\tkept"), "tab\tkept");
        assert_eq!(printable("\u{202e}evil"), "\\u{202e}evil");
    }
}
