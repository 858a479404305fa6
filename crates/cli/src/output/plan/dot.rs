//! `plan --format dot`: the dependency graph for Graphviz, critical path in bold red.

use std::collections::HashSet;
use std::io::Write;

use milepost_plan::PlanView as View;

fn quote(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// Writes a `digraph` (render with `dot -Tsvg`).
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    writeln!(out, "digraph milepost {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"
    )?;
    let on_path: HashSet<&str> = view.critical_path.iter().map(String::as_str).collect();
    let shown: HashSet<&str> = view.milestones.iter().map(|r| r.id.as_str()).collect();
    let mut programs: Vec<&str> = Vec::new();
    for r in &view.milestones {
        if !programs.contains(&r.program.as_str()) {
            programs.push(&r.program);
        }
    }
    for (i, program) in programs.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{i} {{")?;
        writeln!(out, "    label={};", quote(program))?;
        for r in view.milestones.iter().filter(|r| r.program == *program) {
            let label = format!(
                "{}\n{}\n{} → {}  slack {}d",
                r.id, r.title, r.earliest_start, r.earliest_finish, r.slack_days
            );
            let style = if on_path.contains(r.id.as_str()) {
                ", penwidth=3, color=\"#c0392b\", fontcolor=\"#c0392b\""
            } else if r.status == milepost_model::MilestoneStatus::Done {
                ", color=\"#7f8c8d\", fontcolor=\"#7f8c8d\""
            } else {
                ""
            };
            let shape = if r.event { ", shape=diamond" } else { "" };
            writeln!(
                out,
                "    {} [label={}{style}{shape}];",
                quote(&r.id),
                quote(&label)
            )?;
        }
        writeln!(out, "  }}")?;
    }
    for r in &view.milestones {
        for d in &r.depends_on {
            if !shown.contains(d.as_str()) {
                writeln!(out, "  {} [label={}, style=dashed];", quote(d), quote(d))?;
            }
            let critical_edge = on_path.contains(d.as_str())
                && on_path.contains(r.id.as_str())
                && r.driving_dependency.as_deref() == Some(d);
            let style = if critical_edge {
                " [penwidth=3, color=\"#c0392b\"]"
            } else {
                ""
            };
            writeln!(out, "  {} -> {}{style};", quote(d), quote(&r.id))?;
        }
    }
    writeln!(out, "}}")
}
