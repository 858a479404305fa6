//! A dependency graph: milestones (or programs) in layers by topological depth, top to
//! bottom, arrows from each dependency to what waits for it, the critical chain in red.
//!
//! The layout is deliberately simple: a node's layer is the length of the longest
//! dependency chain before it; within a layer nodes are ordered by the mean position of
//! their dependencies (one barycentre pass), which removes most crossings in real plans.

use std::fmt::Write as _;

use super::{Svg, colour};
use crate::escape::{num, truncate, xml};

/// How a node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// Planned.
    Planned,
    /// On the critical path.
    Critical,
    /// Done.
    Done,
    /// Outside the chart's scope (another program's milestone): dashed.
    External,
    /// Coloured by a status: on track.
    Green,
    /// At risk.
    Amber,
    /// Off track.
    Red,
}

/// One node.
#[derive(Debug, Clone)]
pub struct Node {
    /// The id, drawn in bold.
    pub id: String,
    /// The title, drawn under the id (cut to fit).
    pub title: String,
    /// How it is drawn.
    pub kind: NodeKind,
}

/// One edge: `from` must finish before `to` (indices into the nodes).
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    /// The dependency.
    pub from: usize,
    /// What waits for it.
    pub to: usize,
    /// Drawn in red (both ends on the critical path).
    pub critical: bool,
}

const NODE_W: f64 = 168.0;
const NODE_H: f64 = 44.0;
const GAP_X: f64 = 24.0;
const GAP_Y: f64 = 40.0;
const MARGIN: f64 = 16.0;
const MIN_WIDTH: f64 = 480.0;

/// The layer of each node: the longest chain of dependencies before it (0 for none). Nodes
/// on a cycle (which a valid plan does not have) are put in layer 0.
pub fn layers(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        if e.from < n && e.to < n && e.from != e.to {
            indegree[e.to] += 1;
            out[e.from].push(e.to);
        }
    }
    let mut layer = vec![0usize; n];
    let sources: Vec<usize> = (0..n).filter(|i| indegree[*i] == 0).collect();
    let mut queue = sources.clone();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push(w);
            }
        }
    }
    // A node nothing depends on before it sits right above its first successor, so that a
    // late cross-program input does not draw a long edge under the whole graph.
    for v in sources {
        if let Some(first) = out[v].iter().map(|w| layer[*w]).min() {
            layer[v] = first.saturating_sub(1);
        }
    }
    layer
}

fn stroke(kind: NodeKind) -> (&'static str, &'static str) {
    // (border, fill)
    match kind {
        NodeKind::Planned => (colour::PLANNED, "#eef3f9"),
        NodeKind::Critical => (colour::CRITICAL, "#fbeceb"),
        NodeKind::Done => (colour::DONE, "#f2f4f6"),
        NodeKind::External => (colour::MUTED, "#ffffff"),
        NodeKind::Green => (colour::GREEN, "#edf7f1"),
        NodeKind::Amber => (colour::AMBER, "#fdf6e7"),
        NodeKind::Red => (colour::RED, "#fbeceb"),
    }
}

/// Draws the graph.
pub fn render(title: &str, nodes: &[Node], edges: &[Edge]) -> String {
    let layer = layers(nodes.len(), edges);
    let depth = layer.iter().copied().max().map_or(0, |d| d + 1);
    // Order within layers: input order first, then by the mean position of dependencies.
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (i, l) in layer.iter().enumerate() {
        rows[*l].push(i);
    }
    let mut pos = vec![0.0f64; nodes.len()];
    for row in &mut rows {
        let key = |i: usize| -> f64 {
            let preds: Vec<f64> = edges
                .iter()
                .filter(|e| e.to == i && e.from < nodes.len())
                .map(|e| pos[e.from])
                .collect();
            if preds.is_empty() {
                f64::MAX
            } else {
                preds.iter().sum::<f64>() / preds.len() as f64
            }
        };
        let mut keyed: Vec<(f64, usize, usize)> = row
            .iter()
            .enumerate()
            .map(|(order, &i)| (key(i), order, i))
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *row = keyed.into_iter().map(|(_, _, i)| i).collect();
        let len = row.len() as f64;
        for (k, &i) in row.iter().enumerate() {
            pos[i] = k as f64 - (len - 1.0) / 2.0;
        }
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let width = (MARGIN * 2.0 + widest * NODE_W + (widest - 1.0) * GAP_X).max(MIN_WIDTH);
    let height = MARGIN * 2.0 + depth.max(1) as f64 * (NODE_H + GAP_Y) - GAP_Y;
    let centre = width / 2.0;
    let mut at = vec![(0.0f64, 0.0f64); nodes.len()];
    for (l, row) in rows.iter().enumerate() {
        let y = MARGIN + l as f64 * (NODE_H + GAP_Y);
        let row_w = row.len() as f64 * NODE_W + (row.len() as f64 - 1.0).max(0.0) * GAP_X;
        let x0 = centre - row_w / 2.0;
        for (k, &i) in row.iter().enumerate() {
            at[i] = (x0 + k as f64 * (NODE_W + GAP_X), y);
        }
    }

    let mut svg = Svg::new(width, height, title);
    svg.raw(&format!(
        r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{}"/></marker><marker id="arrow-crit" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{}"/></marker></defs>"#,
        colour::MUTED,
        colour::CRITICAL
    ));
    // Edges first, under the nodes; critical ones last so they are on top.
    let mut sorted: Vec<&Edge> = edges
        .iter()
        .filter(|e| e.from < nodes.len() && e.to < nodes.len() && e.from != e.to)
        .collect();
    sorted.sort_by_key(|e| e.critical);
    for e in sorted {
        let (fx, fy) = at[e.from];
        let (tx, ty) = at[e.to];
        let (x1, y1) = (fx + NODE_W / 2.0, fy + NODE_H);
        let (x2, y2) = (tx + NODE_W / 2.0, ty - 2.0);
        let bend = ((y2 - y1).abs() / 2.0).max(20.0);
        let mut d = String::new();
        let _ = write!(
            d,
            "M{} {}C{} {} {} {} {} {}",
            num(x1),
            num(y1),
            num(x1),
            num(y1 + bend),
            num(x2),
            num(y2 - bend),
            num(x2),
            num(y2)
        );
        let (c, w, m) = if e.critical {
            (colour::CRITICAL, "2", "arrow-crit")
        } else {
            (colour::MUTED, "1.2", "arrow")
        };
        svg.raw(&format!(
            r#"<path d="{d}" fill="none" stroke="{c}" stroke-width="{w}" marker-end="url(#{m})"/>"#
        ));
    }
    for (i, n) in nodes.iter().enumerate() {
        let (x, y) = at[i];
        let (border, fill) = stroke(n.kind);
        let dash = if n.kind == NodeKind::External {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let full = if n.title.is_empty() {
            n.id.clone()
        } else {
            format!("{}: {}", n.id, n.title)
        };
        svg.raw(&format!(
            r#"<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{border}" stroke-width="{}"{dash}/>"#,
            xml(&full),
            num(x),
            num(y),
            num(NODE_W),
            num(NODE_H),
            if n.kind == NodeKind::Critical { "2" } else { "1.2" },
        ));
        svg.text(
            x + 8.0,
            y + 17.0,
            &truncate(&n.id, 24),
            &format!(r#"fill="{}" font-weight="600""#, colour::TEXT),
            None,
        );
        svg.text(
            x + 8.0,
            y + 34.0,
            &truncate(&n.title, 26),
            &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
            None,
        );
        svg.raw("</g>");
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_follow_the_longest_chain() {
        // 0 → 1 → 3, 0 → 2, 2 → 3: node 3 is on layer 2; source 4 → 3 sits just above 3.
        let e = |from, to| Edge {
            from,
            to,
            critical: false,
        };
        let edges = [e(0, 1), e(1, 3), e(0, 2), e(2, 3), e(4, 3)];
        assert_eq!(layers(5, &edges), vec![0, 1, 1, 2, 1]);
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let e = |from, to| Edge {
            from,
            to,
            critical: false,
        };
        assert_eq!(layers(2, &[e(0, 1), e(1, 0)]), vec![0, 0]);
        let svg = render(
            "g",
            &[
                Node {
                    id: "a".into(),
                    title: String::new(),
                    kind: NodeKind::Planned,
                },
                Node {
                    id: "b".into(),
                    title: String::new(),
                    kind: NodeKind::External,
                },
            ],
            &[e(0, 1), e(1, 0)],
        );
        assert!(svg.ends_with("</svg>"));
    }
}
