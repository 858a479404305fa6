//! `audit --format md|csv`: the evidence pack as a report or a spreadsheet.

use std::fmt::Write as _;
use std::io::Write;

use milepost_history::{Audit, AuditEntry};

use super::{show, work_days};

/// What an audit entry changed, in one line (`target: 2027-03-12 → 2027-03-26 (+10 wd)`).
pub fn change(e: &AuditEntry) -> String {
    match e.kind {
        milepost_history::ChangeKind::Added => format!("added {}", e.entity_kind.as_str()),
        milepost_history::ChangeKind::Removed => format!("removed {}", e.entity_kind.as_str()),
        milepost_history::ChangeKind::Modified => {
            let moved = e
                .work_days
                .map(|d| format!(" ({})", work_days(d)))
                .unwrap_or_default();
            format!(
                "{}: {} → {}{moved}",
                e.field.as_deref().unwrap_or_default(),
                show(&e.before),
                show(&e.after)
            )
        }
    }
}

/// A table cell: Markdown-escaped (no raw HTML, no link or image, no `|`), on one line.
fn md_cell(s: &str) -> String {
    milepost_render::escape::markdown(s)
}

/// The Markdown report: one row per change.
pub fn markdown(
    out: &mut dyn Write,
    audit: &Audit,
    coverage: &super::Coverage,
) -> std::io::Result<()> {
    let window = match (audit.since, audit.until) {
        (Some(s), Some(u)) => format!("{s} to {u}"),
        (Some(s), None) => format!("since {s}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "the whole history".to_owned(),
    };
    let mut commits: Vec<&str> = audit.entries.iter().map(|e| e.commit.as_str()).collect();
    commits.dedup();
    let mut text = format!(
        "# Change-control audit: {window}\n\n{}\n\n{} to commitments in {}.\n\n",
        md_cell(&coverage.sentence()),
        crate::output::plural(audit.entries.len(), "change"),
        crate::output::plural(commits.len(), "commit")
    );
    if !audit.entries.is_empty() {
        text.push_str("| date | commit | PR | author | committer | entity | category | change | reviewed by | approved by | signed |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    }
    for e in &audit.entries {
        let _ = writeln!(
            text,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            e.date.get(..10).unwrap_or(&e.date),
            &e.commit[..e.commit.len().min(7)],
            e.pr.map(|n| format!("#{n}")).unwrap_or_default(),
            md_cell(&e.author),
            md_cell(&e.committer),
            e.entity,
            e.category,
            md_cell(&change(e)),
            md_cell(&e.reviewed_by.join(", ")),
            md_cell(&e.approved_by.join(", ")),
            if e.signed { "yes" } else { "no" },
        );
    }
    if !audit.problems.is_empty() {
        let _ = writeln!(text, "\nFile versions that did not parse (skipped):\n");
        for p in &audit.problems {
            let _ = writeln!(
                text,
                "- `{}` {}: {}",
                &p.commit[..p.commit.len().min(7)],
                p.path,
                md_cell(&p.messages.join("; "))
            );
        }
    }
    out.write_all(text.as_bytes())
}

/// CSV with a header row, one row per change (see [`crate::output::csv`] for the quoting
/// and the neutralising of formula-like text: an author or a title is attacker-controlled).
pub fn csv(out: &mut dyn Write, audit: &Audit) -> std::io::Result<()> {
    use crate::output::csv::{io, text, writer};
    let mut w = writer(out);
    w.write_record([
        "date",
        "commit",
        "pr",
        "author",
        "email",
        "committer",
        "committer_email",
        "reviewed_by",
        "approved_by",
        "signed",
        "entity",
        "entity_kind",
        "category",
        "kind",
        "field",
        "before",
        "after",
        "work_days",
        "summary",
    ])
    .map_err(io)?;
    let json = |v: &serde_json::Value| if v.is_null() { String::new() } else { show(v) };
    for e in &audit.entries {
        w.write_record([
            e.date.clone(),
            e.commit.clone(),
            e.pr.map(|n| n.to_string()).unwrap_or_default(),
            text(&e.author).into_owned(),
            text(&e.email).into_owned(),
            text(&e.committer).into_owned(),
            text(&e.committer_email).into_owned(),
            text(&e.reviewed_by.join("; ")).into_owned(),
            text(&e.approved_by.join("; ")).into_owned(),
            e.signed.to_string(),
            text(&e.entity).into_owned(),
            e.entity_kind.as_str().to_owned(),
            e.category.to_owned(),
            e.kind.as_str().to_owned(),
            text(e.field.as_deref().unwrap_or_default()).into_owned(),
            text(&json(&e.before)).into_owned(),
            text(&json(&e.after)).into_owned(),
            e.work_days.map(|d| d.to_string()).unwrap_or_default(),
            text(&e.summary).into_owned(),
        ])
        .map_err(io)?;
    }
    w.flush()
}
