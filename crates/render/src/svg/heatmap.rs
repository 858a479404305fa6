//! A risk heat map: probability (rows, high at the top) × impact (columns, critical on the
//! right), each cell coloured by its score and showing how many live risks sit there and
//! which.

use super::{Svg, colour};
use crate::escape::truncate;

/// One risk to place.
#[derive(Debug, Clone)]
pub struct Risk {
    /// Its id (as shown).
    pub id: String,
    /// Its title (tooltip).
    pub title: String,
    /// 0 = low, 1 = medium, 2 = high.
    pub probability: usize,
    /// 0 = low … 3 = critical.
    pub impact: usize,
}

const CELL_W: f64 = 150.0;
const CELL_H: f64 = 78.0;
const LEFT: f64 = 96.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 52.0;
const PROBABILITY: [&str; 3] = ["low", "medium", "high"];
const IMPACT: [&str; 4] = ["low", "medium", "high", "critical"];
/// Lines of ids in a cell.
const LINES: usize = 3;

fn cell_fill(score: usize) -> &'static str {
    match score {
        0..=2 => "#e3f1e8",
        3..=4 => "#fbf0c9",
        5..=8 => "#f8d0a0",
        _ => "#f2a9a0",
    }
}

/// Draws the heat map of `risks` (only live ones should be passed).
pub fn render(title: &str, risks: &[Risk]) -> String {
    let width = LEFT + CELL_W * 4.0 + 8.0;
    let height = TOP + CELL_H * 3.0 + BOTTOM;
    let mut svg = Svg::new(width, height, title);
    let muted = format!(r#"fill="{}" font-size="11""#, colour::MUTED);
    for (row, p) in (0..3).rev().enumerate() {
        let y = TOP + CELL_H * row as f64;
        svg.text(
            LEFT - 10.0,
            y + CELL_H / 2.0 + 4.0,
            PROBABILITY[p],
            &format!(r#"{muted} text-anchor="end""#),
            None,
        );
        for (i, impact) in IMPACT.iter().enumerate() {
            let x = LEFT + CELL_W * i as f64;
            let score = (p + 1) * (i + 1);
            let here: Vec<&Risk> = risks
                .iter()
                .filter(|r| r.probability == p && r.impact == i)
                .collect();
            let tooltip = if here.is_empty() {
                format!("probability {} × impact {impact}: no risks", PROBABILITY[p])
            } else {
                let lines: Vec<String> = here
                    .iter()
                    .map(|r| format!("{}: {}", r.id, r.title))
                    .collect();
                format!(
                    "probability {} × impact {impact}:\n{}",
                    PROBABILITY[p],
                    lines.join("\n")
                )
            };
            svg.raw("<g>");
            svg.raw(&format!("<title>{}</title>", crate::escape::xml(&tooltip)));
            svg.rect(
                x + 1.0,
                y + 1.0,
                CELL_W - 2.0,
                CELL_H - 2.0,
                cell_fill(score),
                r#"rx="4""#,
            );
            if here.is_empty() {
                svg.text(
                    x + CELL_W / 2.0,
                    y + CELL_H / 2.0 + 4.0,
                    "·",
                    &format!(r#"fill="{}" text-anchor="middle""#, colour::MUTED),
                    None,
                );
            } else {
                svg.text(
                    x + 10.0,
                    y + 24.0,
                    &here.len().to_string(),
                    &format!(
                        r#"fill="{}" font-size="18" font-weight="700""#,
                        colour::TEXT
                    ),
                    None,
                );
                // Two short ids per line or one long one, three lines; "+N more" for the rest.
                let per_line = if here.iter().all(|r| r.id.chars().count() <= 9) {
                    2
                } else {
                    1
                };
                let room = LINES * per_line;
                let shown = if here.len() > room {
                    room - 1
                } else {
                    here.len()
                };
                let mut ids: Vec<String> = here
                    .iter()
                    .take(shown)
                    .map(|r| truncate(&r.id, 22))
                    .collect();
                if here.len() > shown {
                    ids.push(format!("+{} more", here.len() - shown));
                }
                for (line, chunk) in ids.chunks(per_line).enumerate() {
                    svg.text(
                        x + 10.0,
                        y + 42.0 + 13.0 * line as f64,
                        &chunk.join(", "),
                        &format!(r#"fill="{}" font-size="11""#, colour::TEXT),
                        None,
                    );
                }
            }
            svg.raw("</g>");
        }
    }
    let axis_y = TOP + CELL_H * 3.0;
    for (i, impact) in IMPACT.iter().enumerate() {
        svg.text(
            LEFT + CELL_W * i as f64 + CELL_W / 2.0,
            axis_y + 16.0,
            impact,
            &format!(r#"{muted} text-anchor="middle""#),
            None,
        );
    }
    svg.text(
        LEFT + CELL_W * 2.0,
        axis_y + 38.0,
        "impact →",
        &format!(
            r#"fill="{}" font-size="12" font-weight="600" text-anchor="middle""#,
            colour::TEXT
        ),
        None,
    );
    svg.text(
        14.0,
        TOP + CELL_H * 1.5,
        "probability →",
        &format!(
            r#"fill="{}" font-size="12" font-weight="600" text-anchor="middle" transform="rotate(-90 14 {})""#,
            colour::TEXT,
            crate::escape::num(TOP + CELL_H * 1.5)
        ),
        None,
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_risks_per_cell() {
        let r = |id: &str, p, i| Risk {
            id: id.into(),
            title: format!("risk {id}"),
            probability: p,
            impact: i,
        };
        let svg = render("risks", &[r("R-1", 2, 3), r("R-2", 2, 3), r("R-3", 0, 0)]);
        assert!(svg.contains(">2</text>"));
        assert!(svg.contains("R-1, R-2"));
        assert!(svg.contains("R-3"));
        // Long ids: one per line, the fourth and later summed up.
        let many: Vec<Risk> = (1..=5)
            .map(|i| r(&format!("program-{i}/R-1"), 1, 1))
            .collect();
        let svg = render("risks", &many);
        assert!(svg.contains(">program-2/R-1</text>"));
        assert!(svg.contains(">+3 more</text>"));
        assert!(!svg.contains("program-3/R-1</text>"));
    }
}
