//! From reports to the three SVG charts of a page (and the Mermaid gantt of Markdown).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use milepost_model::MilestoneStatus;
use milepost_plan::PlanView;

use crate::analysis::Analysis;
use crate::mermaid;
use crate::report::{ProgramLine, ProgramReport, RiskView};
use crate::svg::gantt::{self, Bar, BarKind};
use crate::svg::graph::{self, Edge, Node, NodeKind};
use crate::svg::heatmap;

/// The charts of one page, as markup (SVG for HTML, Mermaid source for Markdown).
#[derive(Debug, Clone, Default)]
pub struct Charts {
    /// The gantt chart.
    pub gantt: String,
    /// The dependency graph (HTML only).
    pub graph: String,
    /// The risk heat map (HTML only).
    pub heatmap: String,
}

/// One colour means one thing: red is the critical path (planned work on it), in-progress
/// work keeps its own colour (with a red outline when it is on the path), done is grey. Zero
/// or negative slack off the path is not red: negative slack gets its own `!` mark.
fn bar_kind(status: MilestoneStatus, on_path: bool) -> (BarKind, bool) {
    match status {
        MilestoneStatus::Done | MilestoneStatus::Cancelled => (BarKind::Done, false),
        MilestoneStatus::InProgress => (BarKind::Active, on_path),
        MilestoneStatus::Planned if on_path => (BarKind::Critical, false),
        MilestoneStatus::Planned => (BarKind::Planned, false),
    }
}

fn heat_risks(risks: &[RiskView]) -> Vec<heatmap::Risk> {
    risks
        .iter()
        .filter(|r| r.live)
        .map(|r| heatmap::Risk {
            id: r.id.clone(),
            title: r.title.clone(),
            probability: match r.probability {
                "low" => 0,
                "medium" => 1,
                _ => 2,
            },
            impact: match r.impact {
                "low" => 0,
                "medium" => 1,
                "high" => 2,
                _ => 3,
            },
        })
        .collect()
}

/// The SVG charts of a program page.
pub(crate) fn program_svg(
    report: &ProgramReport,
    as_of: NaiveDate,
    baselines: Option<&HashMap<String, NaiveDate>>,
) -> Charts {
    let mut bars: Vec<Bar> = report
        .milestones
        .iter()
        .filter_map(|m| {
            let (kind, outline) = bar_kind(m.status, m.on_critical_path);
            Some(Bar {
                label: m.id.clone(),
                title: m.title.clone(),
                start: m.start?,
                finish: m.finish?,
                event: m.event,
                kind,
                target: m.target,
                outline,
                negative_slack: m
                    .slack_days
                    .filter(|s| *s < 0 && m.status != MilestoneStatus::Done),
                baseline: baselines.and_then(|b| b.get(&m.qid).copied()),
            })
        })
        .collect();
    // Other programs' milestones that drive this one's critical path, as ghost rows placed
    // by start among the program's own: one row per run of one program's milestones on the
    // chain (`data-platform M3 → M5`), so the chart stays one chart.
    let mut runs: Vec<(String, Vec<&crate::report::DriverView>)> = Vec::new();
    for d in &report.external_drivers {
        let program = d.id.split('/').next().unwrap_or_default().to_owned();
        match runs.last_mut() {
            Some((p, members)) if *p == program => members.push(d),
            _ => runs.push((program, vec![d])),
        }
    }
    for (program, members) in runs {
        let (Some(first), Some(last)) = (members.first(), members.last()) else {
            continue;
        };
        let local = |d: &crate::report::DriverView| {
            d.id.split_once('/')
                .map_or(d.id.clone(), |(_, m)| m.to_owned())
        };
        let (label, title) = if members.len() == 1 {
            (first.id.clone(), first.title.clone())
        } else {
            (
                format!("{program} {} → {}", local(first), local(last)),
                format!("({} milestones)", members.len()),
            )
        };
        let ghost = Bar {
            label,
            title,
            start: members.iter().map(|d| d.start).min().unwrap_or(first.start),
            finish: members
                .iter()
                .map(|d| d.finish)
                .max()
                .unwrap_or(last.finish),
            event: members.len() == 1 && first.event,
            kind: BarKind::Ghost,
            target: None,
            outline: false,
            negative_slack: None,
            baseline: None,
        };
        let at = bars
            .iter()
            .position(|b| b.start > ghost.start)
            .unwrap_or(bars.len());
        bars.insert(at, ghost);
    }
    let gantt = gantt::render(&format!("{} plan as of {as_of}", report.name), &bars, as_of);

    // The dependency graph: the program's planned milestones, plus the other programs'
    // milestones they wait for (dashed).
    let on_path: HashSet<&str> = report.critical_path.iter().map(String::as_str).collect();
    let mut nodes: Vec<Node> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for m in report.milestones.iter().filter(|m| m.start.is_some()) {
        index.insert(m.id.clone(), nodes.len());
        nodes.push(Node {
            id: m.id.clone(),
            title: m.title.clone(),
            kind: if m.status == MilestoneStatus::Done {
                NodeKind::Done
            } else if m.critical || m.on_critical_path {
                NodeKind::Critical
            } else {
                NodeKind::Planned
            },
        });
    }
    let mut edges = Vec::new();
    for m in report.milestones.iter().filter(|m| m.start.is_some()) {
        let to = index[&m.id];
        for dep in &m.depends_on {
            let key = dep
                .strip_prefix(&format!("{}/", report.id))
                .unwrap_or(dep)
                .to_owned();
            let from = if let Some(i) = index.get(&key) {
                *i
            } else {
                if !key.contains('/') {
                    continue; // an unknown or cancelled local milestone: reported by `check`
                }
                index.insert(key.clone(), nodes.len());
                nodes.push(Node {
                    id: key.clone(),
                    title: "other program".to_owned(),
                    kind: NodeKind::External,
                });
                nodes.len() - 1
            };
            edges.push(Edge {
                from,
                to,
                critical: on_path.contains(key.as_str()) && on_path.contains(m.id.as_str()),
            });
        }
    }
    let graph = graph::render(
        &format!("{} milestone dependencies", report.name),
        &nodes,
        &edges,
    );
    let heatmap = heatmap::render(
        &format!("{} risks by probability and impact", report.name),
        &heat_risks(&report.risks),
    );
    Charts {
        gantt,
        graph,
        heatmap,
    }
}

/// The Mermaid gantt of a program page (Markdown).
pub fn program_mermaid(view: &PlanView) -> Charts {
    Charts {
        gantt: mermaid::gantt(view),
        ..Charts::default()
    }
}

fn status_kind(code: &str) -> (BarKind, NodeKind) {
    match code {
        "off_track" => (BarKind::OffTrack, NodeKind::Red),
        "at_risk" => (BarKind::AtRisk, NodeKind::Amber),
        "done" | "cancelled" => (BarKind::Done, NodeKind::Done),
        _ => (BarKind::OnTrack, NodeKind::Green),
    }
}

/// Each program's first planned start (from the portfolio-wide schedule).
fn starts<'a>(analysis: &'a Analysis<'_>) -> HashMap<&'a str, NaiveDate> {
    let mut out: HashMap<&str, NaiveDate> = HashMap::new();
    for r in &analysis.all.milestones {
        out.entry(r.program.as_str())
            .and_modify(|d| *d = (*d).min(r.earliest_start))
            .or_insert(r.earliest_start);
    }
    out
}

/// The SVG charts of the portfolio page.
pub fn portfolio_svg(
    analysis: &Analysis<'_>,
    lines: &[ProgramLine],
    reports: &[ProgramReport],
) -> Charts {
    let as_of = analysis.as_of;
    let first = starts(analysis);
    let bars: Vec<Bar> = lines
        .iter()
        .filter_map(|l| {
            let finish = l.finish?;
            let start = first
                .get(l.id.as_str())
                .copied()
                .or(l.start)
                .unwrap_or(finish)
                .min(finish);
            Some(Bar {
                label: l.name.clone(),
                title: String::new(),
                start,
                finish,
                event: false,
                kind: status_kind(l.status.code).0,
                target: l.target,
                outline: false,
                negative_slack: None,
                baseline: None,
            })
        })
        .collect();
    let gantt = gantt::render_with_legend(
        &format!("Programs as of {as_of}"),
        &bars,
        as_of,
        gantt::Legend::Status,
    );

    // Programs, and an arrow where one program's milestone waits for another's.
    let index: HashMap<&str, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let nodes: Vec<Node> = lines
        .iter()
        .map(|l| Node {
            id: l.id.clone(),
            title: l.status.label.to_owned(),
            kind: status_kind(l.status.code).1,
        })
        .collect();
    // Consecutive programs on the portfolio's critical path.
    let path_programs: Vec<&str> = analysis
        .all
        .critical_path
        .iter()
        .filter_map(|q| q.split('/').next())
        .collect();
    let critical_pairs: HashSet<(&str, &str)> = path_programs
        .windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| (w[0], w[1]))
        .collect();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut edges = Vec::new();
    for r in reports {
        let Some(&to) = index.get(r.id.as_str()) else {
            continue;
        };
        for m in &r.milestones {
            for dep in &m.depends_on {
                let Some((program, _)) = dep.split_once('/') else {
                    continue;
                };
                let Some(&from) = index.get(program) else {
                    continue;
                };
                if from != to && seen.insert((from, to)) {
                    edges.push(Edge {
                        from,
                        to,
                        critical: critical_pairs.contains(&(program, r.id.as_str())),
                    });
                }
            }
        }
    }
    let graph = graph::render("Dependencies between programs", &nodes, &edges);
    let risks: Vec<RiskView> = reports
        .iter()
        .flat_map(|r| {
            r.risks.iter().filter(|x| x.live).map(|x| RiskView {
                id: format!("{}/{}", r.id, x.id),
                ..x.clone()
            })
        })
        .collect();
    let heatmap = heatmap::render("Live risks by probability and impact", &heat_risks(&risks));
    Charts {
        gantt,
        graph,
        heatmap,
    }
}

/// The Mermaid gantt of the portfolio page (Markdown): one bar per program.
pub fn portfolio_mermaid(analysis: &Analysis<'_>, lines: &[ProgramLine]) -> Charts {
    let first = starts(analysis);
    let bars: Vec<mermaid::ProgramBar> = lines
        .iter()
        .filter_map(|l| {
            let finish = l.finish?;
            Some(mermaid::ProgramBar {
                id: l.id.clone(),
                label: format!("{} ({})", l.name, l.status.label),
                start: first
                    .get(l.id.as_str())
                    .copied()
                    .or(l.start)
                    .unwrap_or(finish)
                    .min(finish),
                finish,
                crit: matches!(l.status.code, "off_track" | "at_risk"),
                done: l.status.code == "done",
            })
        })
        .collect();
    Charts {
        gantt: mermaid::programs(&format!("Programs as of {}", analysis.as_of), &bars),
        ..Charts::default()
    }
}
