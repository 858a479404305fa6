//! `diff --format md`: the pull-request comment a reviewer reads instead of the YAML.
//!
//! Changes are grouped by what a reviewer asks about: dates that moved (in work days), the
//! critical path and finish date, risks, owners, scope lines, entities added and removed,
//! and everything else last.

use std::fmt::Write as _;
use std::io::Write;

use chrono::NaiveDate;
use milepost_history::{Change, ChangeKind, EntityKind, PortfolioDiff};
use serde_json::Value;

use super::{show, work_days};

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct Side {
    /// The commit id, or `working tree`.
    pub id: String,
    /// How it was named.
    pub label: String,
}

const OWNER_FIELDS: [&str; 6] = [
    "owner",
    "sponsor",
    "accountable",
    "responsible",
    "accepted_by",
    "decided_by",
];
const SCOPE_FIELDS: [&str; 5] = [
    "scope.in",
    "scope.out",
    "deliverables",
    "acceptance",
    "objectives",
];

fn rank(field: &str, value: &Value) -> Option<usize> {
    let scale: &[&str] = match field {
        "probability" => &["low", "medium", "high"],
        "impact" | "severity" => &["low", "medium", "high", "critical"],
        _ => return None,
    };
    scale.iter().position(|s| Some(*s) == value.as_str())
}

fn name(c: &Change) -> String {
    format!("**{}**", milepost_render::escape::markdown(&c.entity))
}

/// ` · Title`, after the change, so the line starts with what moved.
fn title(c: &Change) -> String {
    c.title
        .as_ref()
        .map(|t| format!(" · {}", milepost_render::escape::markdown(t)))
        .unwrap_or_default()
}

fn lines(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(show).collect(),
        Value::Null => Vec::new(),
        other => vec![show(other)],
    }
}

fn summary_of(c: &Change, fields: &Value) -> String {
    let Value::Object(map) = fields else {
        return String::new();
    };
    let wanted: &[&str] = match c.entity_kind {
        EntityKind::Milestone => &["kind", "owner", "duration", "target", "depends_on"],
        EntityKind::Risk => &["probability", "impact", "status", "owner"],
        EntityKind::Decision => &["status", "owner", "needed_by"],
        EntityKind::Dependency => &["provider", "owner", "needed_by", "status"],
        _ => &["status", "owner", "target"],
    };
    let parts: Vec<String> = wanted
        .iter()
        .filter_map(|f| map.get(*f).map(|v| format!("{f} {}", show(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Writes the Markdown comment.
pub fn markdown(
    out: &mut dyn Write,
    base: &Side,
    head: &Side,
    diff: &PortfolioDiff,
    as_of: NaiveDate,
    portfolio: &str,
    unreadable: &[String],
) -> std::io::Result<()> {
    let short = |s: &Side| {
        if s.id.len() == 40 {
            format!("`{}` ({})", &s.id[..7], s.label)
        } else {
            s.label.clone()
        }
    };
    let mut text = String::from("### milepost: what this change does to the plan\n\n");
    let mut entities: Vec<&str> = diff.changes.iter().map(|c| c.entity.as_str()).collect();
    entities.dedup();
    let _ = writeln!(
        text,
        "{} → {} in `{}` · {} to {} (plan as of {as_of})\n",
        short(base),
        short(head),
        milepost_render::escape::markdown(portfolio),
        crate::output::plural(diff.changes.len(), "change"),
        crate::output::plural(entities.len(), "entity"),
    );
    if !unreadable.is_empty() {
        let _ = writeln!(
            text,
            "> **Warning:** {} did not parse, so {} entities are missing from that side (they may show as added or removed):\n>",
            crate::output::plural(unreadable.len(), "file"),
            if unreadable.len() == 1 {
                "its"
            } else {
                "their"
            }
        );
        for u in unreadable {
            let _ = writeln!(text, "> - {}", milepost_render::escape::markdown(u));
        }
        text.push('\n');
    }
    if diff.changes.is_empty() && diff.plan_before == diff.plan_after {
        text.push_str("No change to the plan.\n");
        return out.write_all(text.as_bytes());
    }
    let (mut dates, mut risks, mut owners, mut scope) = (vec![], vec![], vec![], vec![]);
    let (mut added, mut removed, mut other) = (vec![], vec![], vec![]);
    for c in &diff.changes {
        let field = c.field.as_deref().unwrap_or_default();
        match c.kind {
            ChangeKind::Added if c.entity_kind == EntityKind::Risk => risks.push(format!(
                "- added {}{}{}",
                name(c),
                summary_of(c, &c.after),
                title(c)
            )),
            ChangeKind::Removed if c.entity_kind == EntityKind::Risk => {
                risks.push(format!("- removed {}{}", name(c), title(c)));
            }
            ChangeKind::Added => added.push(format!(
                "- {} {}{}{}",
                c.entity_kind.as_str(),
                name(c),
                summary_of(c, &c.after),
                title(c)
            )),
            ChangeKind::Removed => {
                removed.push(format!(
                    "- {} {}{}",
                    c.entity_kind.as_str(),
                    name(c),
                    title(c)
                ));
            }
            ChangeKind::Modified => {
                let arrow = format!("{} → {}", show(&c.before), show(&c.after));
                if let Some(d) = c.work_days {
                    dates.push(format!(
                        "- {} {field} {arrow} ({}){}",
                        name(c),
                        work_days(d),
                        title(c)
                    ));
                } else if c.entity_kind == EntityKind::Risk
                    && matches!(field, "probability" | "impact" | "status")
                {
                    let how = match (rank(field, &c.before), rank(field, &c.after)) {
                        (Some(b), Some(a)) if a < b => " (downgraded)",
                        (Some(b), Some(a)) if a > b => " (raised)",
                        _ => "",
                    };
                    risks.push(format!("- {} {field} {arrow}{how}{}", name(c), title(c)));
                } else if OWNER_FIELDS.contains(&field) {
                    owners.push(format!("- {} {field} {arrow}{}", name(c), title(c)));
                } else if SCOPE_FIELDS.contains(&field) {
                    let (b, a) = (lines(&c.before), lines(&c.after));
                    for l in a.iter().filter(|l| !b.contains(l)) {
                        scope.push(format!("- {} {field} + {l}{}", name(c), title(c)));
                    }
                    for l in b.iter().filter(|l| !a.contains(l)) {
                        scope.push(format!("- {} {field} − {l}{}", name(c), title(c)));
                    }
                } else {
                    other.push(format!("- {} {field} {arrow}{}", name(c), title(c)));
                }
            }
        }
    }
    let mut section = |title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(text, "**{title}**\n");
            for i in items {
                let _ = writeln!(text, "{i}");
            }
            text.push('\n');
        }
    };
    section("Dates", &dates);
    let (pb, pa) = (&diff.plan_before, &diff.plan_after);
    if pb.critical_path != pa.critical_path || pb.finish != pa.finish {
        let path = |p: &[String]| {
            if p.is_empty() {
                "(no plan: see `milepost check`)".to_owned()
            } else {
                p.join(" → ")
            }
        };
        let finish = |d: Option<NaiveDate>| d.map_or_else(|| "none".to_owned(), |d| d.to_string());
        let moved = diff
            .finish_work_days
            .filter(|d| *d != 0)
            .map(|d| format!(", {}", work_days(d)))
            .unwrap_or_default();
        section(
            "Critical path",
            &[
                format!(
                    "- before: {} (finish {})",
                    path(&pb.critical_path),
                    finish(pb.finish)
                ),
                format!(
                    "- after: {} (finish {}{moved})",
                    path(&pa.critical_path),
                    finish(pa.finish)
                ),
            ],
        );
    }
    let late: Vec<String> = pa
        .slips
        .iter()
        .filter(|(m, s)| **s > 0 && pb.slips.get(*m).is_none_or(|b| b != *s))
        .map(|(m, s)| {
            let before = pb
                .slips
                .get(m)
                .map_or_else(|| "new".to_owned(), |b| work_days(*b));
            format!(
                "- **{m}** forecast {} past its target (was {before})",
                work_days(*s)
            )
        })
        .collect();
    section("Forecast late", &late);
    section("Risks", &risks);
    section("Owners", &owners);
    section("Scope", &scope);
    section("Added", &added);
    section("Removed", &removed);
    section("Other changes", &other);
    let _ = writeln!(
        text,
        "<sub>Dates are counted in work days on the portfolio calendar. Generated by `milepost diff`.</sub>"
    );
    out.write_all(text.as_bytes())
}
