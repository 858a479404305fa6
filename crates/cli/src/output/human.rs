//! The human format: rustc-style snippets grouped by file, then a summary line.
//!
//! ```text
//! error[schema]: unknown key `ownr` in milestone `M3`
//!   --> programs/ledger/milestones.yaml:14:5
//!    |
//! 14 |     ownr: ada
//!    |     ^^^^
//!    = help: did you mean `owner`?
//! ```
//! Colour is used on a terminal and dropped when piped or when `NO_COLOR` is set.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use milepost_load::{Diagnostic, Portfolio, Severity};

use super::{Tally, plural, printable};

const MAX_SHOWN_CHARS: usize = 160;

fn style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Blue,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// Renders findings for a person. `prefix` leads each file path (the portfolio folder
/// relative to the working directory), so a terminal user can open the file from there.
pub fn render(
    out: &mut dyn Write,
    portfolio: &Portfolio,
    diagnostics: &[Diagnostic],
    summary: &str,
    prefix: &str,
    base: Option<&str>,
) -> std::io::Result<()> {
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let cyan = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
    let bold = Style::new().bold();
    for d in diagnostics {
        let sev = style(d.severity);
        writeln!(
            out,
            "{sev}{}[{}]{sev:#}{bold}: {}{bold:#}",
            d.severity.as_str(),
            d.rule,
            printable(&d.message)
        )?;
        if let Some(loc) = &d.location {
            let line_no = loc.span.line.to_string();
            let pad = " ".repeat(line_no.len());
            writeln!(
                out,
                "{pad}{blue}-->{blue:#} {prefix}{}:{}:{}",
                printable(&loc.file),
                loc.span.line,
                loc.span.column
            )?;
            if let Some((text, caret_at, caret_len)) = snippet(
                portfolio,
                &loc.file,
                loc.span.line,
                loc.span.column,
                loc.span.len,
            ) {
                writeln!(out, "{pad} {blue}|{blue:#}")?;
                writeln!(out, "{blue}{line_no} |{blue:#} {text}")?;
                writeln!(
                    out,
                    "{pad} {blue}|{blue:#} {}{sev}{}{sev:#}",
                    " ".repeat(caret_at),
                    "^".repeat(caret_len.max(1))
                )?;
            }
            for r in &d.related {
                writeln!(
                    out,
                    "{pad} {blue}={blue:#} {bold}note{bold:#}: {} at {}:{}:{}",
                    printable(&r.message),
                    printable(&r.location.file),
                    r.location.span.line,
                    r.location.span.column
                )?;
            }
            if let Some(hint) = &d.hint {
                writeln!(out, "{pad} {cyan}= help{cyan:#}: {}", printable(hint))?;
            }
            if let Some(note) = base.and_then(|spec| super::base_note(d, spec)) {
                writeln!(
                    out,
                    "{pad} {blue}={blue:#} {bold}note{bold:#}: {}",
                    printable(&note)
                )?;
            }
        } else {
            for r in &d.related {
                writeln!(
                    out,
                    "  = note: {} at {}:{}:{}",
                    printable(&r.message),
                    printable(&r.location.file),
                    r.location.span.line,
                    r.location.span.column
                )?;
            }
            if let Some(hint) = &d.hint {
                writeln!(out, "  {cyan}= help{cyan:#}: {}", printable(hint))?;
            }
            if let Some(note) = base.and_then(|spec| super::base_note(d, spec)) {
                writeln!(out, "  = note: {}", printable(&note))?;
            }
        }
        writeln!(out)?;
    }
    let t = Tally::of(diagnostics);
    if super::quiet() && diagnostics.is_empty() {
        return Ok(());
    }
    let verdict = if t.errors > 0 {
        style(Severity::Error)
    } else {
        Style::new().bold().fg_color(Some(AnsiColor::Green.into()))
    };
    writeln!(
        out,
        "{verdict}{}{verdict:#}: {summary}; {}, {}, {}",
        if t.errors > 0 { "failed" } else { "ok" },
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.infos, "info"),
    )
}

/// The source line (tabs expanded, long lines cut around the column) and where the caret goes.
fn snippet(
    portfolio: &Portfolio,
    file: &str,
    line: u32,
    column: u32,
    len: u32,
) -> Option<(String, usize, usize)> {
    let source = portfolio.source_by_path(file)?;
    let text = source.text.lines().nth(line.checked_sub(1)? as usize)?;
    let chars: Vec<char> = text
        .chars()
        // One column per character, so the caret stays aligned: a tab is a space, any other
        // control character (ESC, a lone CR) a visible `?`.
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '?',
            c => c,
        })
        .collect();
    if chars.is_empty() {
        return None;
    }
    let col = (column as usize).saturating_sub(1).min(chars.len());
    let len = (len as usize)
        .min(chars.len().saturating_sub(col))
        .min(MAX_SHOWN_CHARS / 2);
    let start = col.saturating_sub(MAX_SHOWN_CHARS / 2);
    let end = (start + MAX_SHOWN_CHARS).min(chars.len());
    let mut shown: String = chars[start..end].iter().collect();
    let mut caret = col - start;
    if start > 0 {
        shown.insert_str(0, "...");
        caret += 3;
    }
    if end < chars.len() {
        shown.push_str("...");
    }
    Some((shown, caret, len))
}
