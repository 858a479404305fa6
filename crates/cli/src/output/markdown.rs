//! The Markdown format of `check`: a job summary (`>> "$GITHUB_STEP_SUMMARY"`) or a
//! merge-request note.
//!
//! A verdict line, what was checked (the portfolio folder, the as-of date, the base of the
//! change), then one table of the findings that decide the verdict and, folded away, the
//! rest: the findings that exist unchanged on the base (with `--base`) and the infos.
//! Every value from the portfolio is escaped, so a title cannot open a link, an image or
//! raw HTML. Tables stop at [`MAX_ROWS`] rows; the log has the full list.

use std::fmt::Write as _;
use std::io::Write;

use milepost_load::{BaseStatus, Diagnostic, Severity};
use milepost_render::escape::markdown as md;

use super::{CheckReport, Tally, plural};

/// Rows per table, so a summary stays within GitHub's 1 MiB per step.
pub const MAX_ROWS: usize = 200;

fn level(d: &Diagnostic) -> String {
    let icon = match d.severity {
        Severity::Error => "🔴",
        Severity::Warning => "🟡",
        Severity::Info => "🔵",
    };
    match d.capped_from {
        Some(from) => format!("{icon} {} (was {})", d.severity.as_str(), from.as_str()),
        None => format!("{icon} {}", d.severity.as_str()),
    }
}

/// A code span, or escaped text when the value holds a backtick.
fn code(text: &str) -> String {
    if text.contains('`') || text.contains('\n') || text.contains('|') {
        md(text)
    } else {
        format!("`{text}`")
    }
}

fn table(out: &mut String, rows: &[&Diagnostic], prefix: &str, docs: &str) {
    out.push_str("| Level | Rule | Where | Finding |\n|:--|:--|:--|:--|\n");
    for d in rows.iter().take(MAX_ROWS) {
        let place = match &d.location {
            Some(l) => code(&format!("{prefix}{}:{}", l.file, l.span.line)),
            None => d.entity.as_deref().map(code).unwrap_or_default(),
        };
        let mut finding = md(&d.message);
        if let Some(hint) = &d.hint {
            let _ = write!(finding, "<br>help: {}", md(hint));
        }
        let _ = writeln!(
            out,
            "| {} | [{}]({docs}#{}) | {place} | {finding} |",
            level(d),
            d.rule,
            d.rule
        );
    }
    if rows.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more: the job log has them all (`milepost check`).",
            rows.len() - MAX_ROWS
        );
    }
}

/// Renders the Markdown summary.
pub fn render(out: &mut dyn Write, report: &CheckReport<'_>) -> std::io::Result<()> {
    let docs = format!("{}/blob/main/docs/rules.md", env!("CARGO_PKG_REPOSITORY"));
    let t = Tally::of(report.diagnostics);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "### {} milepost check {}: {}, {}, {}\n",
        if report.failed { "❌" } else { "✅" },
        if report.failed { "failed" } else { "passed" },
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.infos, "info"),
    );
    let folder = if report.prefix.is_empty() {
        ".".to_owned()
    } else {
        report.prefix.trim_end_matches('/').to_owned()
    };
    let c = report.counts;
    let _ = writeln!(
        text,
        "Portfolio {} as of **{}**{}: {}, {}, {} in {}.",
        code(&folder),
        report.as_of,
        report.as_of_note,
        plural(c.programs, "program"),
        plural(c.milestones, "milestone"),
        plural(c.risks, "risk"),
        plural(c.files, "file"),
    );
    if let Some(base) = report.base {
        let _ = writeln!(
            text,
            "\n{}",
            md(&super::base_sentence(base, report.diagnostics))
        );
    }
    text.push('\n');

    let decides =
        |d: &&Diagnostic| d.base != Some(BaseStatus::Unchanged) && d.severity != Severity::Info;
    let mut main: Vec<&Diagnostic> = report.diagnostics.iter().filter(decides).collect();
    // Errors first (what fails the job), then warnings; file order within each.
    main.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let unchanged: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.base == Some(BaseStatus::Unchanged))
        .collect();
    let infos: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.base != Some(BaseStatus::Unchanged) && d.severity == Severity::Info)
        .collect();
    if main.is_empty() {
        text.push_str(if report.base.is_some() {
            "No finding in what this change introduces or touches.\n"
        } else {
            "No error or warning.\n"
        });
    } else {
        table(&mut text, &main, report.prefix, &docs);
    }
    if let Some(base) = report.base.filter(|_| !unchanged.is_empty()) {
        let _ = writeln!(
            text,
            "\n<details><summary>{} unchanged since {} (not introduced by this change)</summary>\n",
            plural(unchanged.len(), "finding"),
            md(&base.spec),
        );
        table(&mut text, &unchanged, report.prefix, &docs);
        text.push_str("\n</details>\n");
    }
    if !infos.is_empty() {
        let _ = writeln!(
            text,
            "\n<details><summary>{}</summary>\n",
            plural(infos.len(), "info")
        );
        table(&mut text, &infos, report.prefix, &docs);
        text.push_str("\n</details>\n");
    }
    out.write_all(text.as_bytes())
}
