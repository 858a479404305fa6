//! Charts of numbers over time: a run chart (bars per week or a line per period, with an
//! optional target band) and a control chart (points by completion day against the mean
//! and three-sigma limits, points outside flagged).

use std::fmt::Write as _;

use super::{Svg, colour};
use crate::escape::{num, truncate};

/// One point of a run chart.
#[derive(Debug, Clone)]
pub struct RunPoint {
    /// The label on the x axis (`2026-W47`, `2026-11`).
    pub label: String,
    /// The value; `None` leaves a gap.
    pub value: Option<f64>,
}

/// How a run chart draws its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A bar per point (counts per week).
    Bars,
    /// A line through the points (a KPI per period).
    Line,
}

/// One point of a control chart.
#[derive(Debug, Clone)]
pub struct ControlPoint {
    /// The milestone (`program/id`).
    pub entity: String,
    /// When it was completed (`2026-11-10`).
    pub date: String,
    /// Its cycle time.
    pub value: f64,
    /// Outside the control limits.
    pub outside: bool,
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 96.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// A value on the y axis as people read it.
fn tick(v: f64, percent: bool) -> String {
    if percent {
        format!("{}%", num((v * 100.0).round()))
    } else if (v - v.round()).abs() < 1e-9 {
        num(v.round())
    } else {
        format!("{v:.1}")
    }
}

/// A "nice" top of the y axis at or above `max`.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

struct Frame {
    top: f64,
    percent: bool,
}

impl Frame {
    fn y(&self, v: f64) -> f64 {
        TOP + (H - TOP - BOTTOM) * (1.0 - (v / self.top).clamp(0.0, 1.0))
    }

    fn axes(&self, svg: &mut Svg, unit: &str) {
        let muted = format!(
            r#"fill="{}" font-size="10" text-anchor="end""#,
            colour::MUTED
        );
        for i in 0..=4 {
            let v = self.top * f64::from(i) / 4.0;
            let y = self.y(v);
            svg.line(LEFT, y, W - RIGHT, y, colour::GRID, "");
            svg.text(LEFT - 6.0, y + 3.5, &tick(v, self.percent), &muted, None);
        }
        if !unit.is_empty() {
            svg.text(
                4.0,
                TOP - 6.0,
                unit,
                &format!(r#"fill="{}" font-size="10""#, colour::MUTED),
                None,
            );
        }
    }
}

/// A run chart of `points`, with an optional target drawn as a dashed line (`min` or `max`).
pub fn run_chart(
    title: &str,
    points: &[RunPoint],
    style: Style,
    unit: &str,
    target: Option<f64>,
) -> String {
    let percent = unit == "share" || unit == "ratio";
    let max = points
        .iter()
        .filter_map(|p| p.value)
        .chain(target)
        .fold(0.0_f64, f64::max);
    let frame = Frame {
        top: if percent {
            1.0_f64.max(max)
        } else if points
            .iter()
            .filter_map(|p| p.value)
            .all(|v| v.fract() == 0.0)
        {
            // Counts: whole-number ticks.
            (nice_max(max) / 4.0).ceil().max(1.0) * 4.0
        } else {
            nice_max(max)
        },
        percent,
    };
    let mut svg = Svg::new(W, H, title);
    frame.axes(&mut svg, if percent { "" } else { unit });
    let n = points.len().max(1) as f64;
    let step = (W - LEFT - RIGHT) / n;
    let x = |i: usize| LEFT + step * (i as f64 + 0.5);
    let every = points.len().div_ceil(6).max(1);
    let label = format!(
        r#"fill="{}" font-size="10" text-anchor="middle""#,
        colour::MUTED
    );
    for (i, p) in points.iter().enumerate() {
        if i % every == 0 {
            svg.text(
                x(i),
                H - BOTTOM + 14.0,
                &truncate(&p.label, 12),
                &label,
                None,
            );
        }
    }
    match style {
        Style::Bars => {
            for (i, p) in points.iter().enumerate() {
                let Some(v) = p.value else { continue };
                let y = frame.y(v);
                let tooltip = format!("{}: {}", p.label, tick(v, percent));
                svg.raw("<g>");
                svg.raw(&format!("<title>{}</title>", crate::escape::xml(&tooltip)));
                svg.rect(
                    x(i) - step * 0.35,
                    y,
                    step * 0.7,
                    (frame.y(0.0) - y).max(0.0),
                    colour::PLANNED,
                    "",
                );
                svg.raw("</g>");
            }
        }
        Style::Line => {
            let mut path = String::new();
            for (i, p) in points.iter().enumerate() {
                if let Some(v) = p.value {
                    let cmd = if path.is_empty() || points[i - 1].value.is_none() {
                        'M'
                    } else {
                        'L'
                    };
                    let _ = write!(path, "{cmd}{} {} ", num(x(i)), num(frame.y(v)));
                }
            }
            if !path.is_empty() {
                svg.raw(&format!(
                    r#"<path d="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
                    path.trim_end(),
                    colour::PLANNED
                ));
            }
            for (i, p) in points.iter().enumerate() {
                let Some(v) = p.value else { continue };
                let tooltip = format!("{}: {}", p.label, tick(v, percent));
                svg.raw(&format!(
                    r#"<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}</title></circle>"#,
                    num(x(i)),
                    num(frame.y(v)),
                    colour::PLANNED,
                    crate::escape::xml(&tooltip)
                ));
            }
        }
    }
    if let Some(t) = target {
        let y = frame.y(t);
        svg.line(
            LEFT,
            y,
            W - RIGHT,
            y,
            colour::GREEN,
            r#"stroke-dasharray="5 4""#,
        );
        svg.text(
            W - RIGHT + 6.0,
            y + 3.5,
            &format!("target {}", tick(t, percent)),
            &format!(r#"fill="{}" font-size="10""#, colour::GREEN),
            None,
        );
    }
    svg.finish()
}

/// A control chart: each point by completion, the mean, and the limits.
pub fn control_chart(
    title: &str,
    points: &[ControlPoint],
    mean: f64,
    lower: f64,
    upper: f64,
    unit: &str,
) -> String {
    let max = points.iter().map(|p| p.value).fold(upper, f64::max);
    let frame = Frame {
        top: nice_max(max),
        percent: false,
    };
    let mut svg = Svg::new(W, H, title);
    frame.axes(&mut svg, unit);
    let n = points.len().max(1) as f64;
    let step = (W - LEFT - RIGHT) / n;
    let x = |i: usize| LEFT + step * (i as f64 + 0.5);
    let small = |c: &str| format!(r#"fill="{c}" font-size="10""#);
    for (v, name, stroke, dash) in [
        (upper, "UCL", colour::RED, r#"stroke-dasharray="5 4""#),
        (mean, "mean", colour::TEXT, ""),
        (lower, "LCL", colour::RED, r#"stroke-dasharray="5 4""#),
    ] {
        let y = frame.y(v);
        svg.line(LEFT, y, W - RIGHT, y, stroke, dash);
        svg.text(
            W - RIGHT + 6.0,
            y + 3.5,
            &format!("{name} {v:.1}"),
            &small(stroke),
            None,
        );
    }
    let label = format!(
        r#"fill="{}" font-size="10" text-anchor="middle""#,
        colour::MUTED
    );
    let every = points.len().div_ceil(5).max(1);
    let mut path = String::new();
    for (i, p) in points.iter().enumerate() {
        let cmd = if i == 0 { 'M' } else { 'L' };
        let _ = write!(path, "{cmd}{} {} ", num(x(i)), num(frame.y(p.value)));
        if i % every == 0 {
            svg.text(x(i), H - BOTTOM + 14.0, &p.date, &label, None);
        }
    }
    if !path.is_empty() {
        svg.raw(&format!(
            r#"<path d="{}" fill="none" stroke="{}" stroke-width="1"/>"#,
            path.trim_end(),
            colour::GRID
        ));
    }
    for (i, p) in points.iter().enumerate() {
        let fill = if p.outside {
            colour::RED
        } else {
            colour::PLANNED
        };
        let tooltip = format!(
            "{}: {} work days, completed {}{}",
            p.entity,
            tick(p.value, false),
            p.date,
            if p.outside {
                " — outside the limits"
            } else {
                ""
            }
        );
        svg.raw(&format!(
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"><title>{}</title></circle>"#,
            num(x(i)),
            num(frame.y(p.value)),
            if p.outside { "5" } else { "3.5" },
            crate::escape::xml(&tooltip)
        ));
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_and_outliers_are_red() {
        let points = vec![
            ControlPoint {
                entity: "a/<script>".to_owned(),
                date: "2026-10-01".to_owned(),
                value: 3.0,
                outside: false,
            },
            ControlPoint {
                entity: "a/M2".to_owned(),
                date: "2026-10-02".to_owned(),
                value: 30.0,
                outside: true,
            },
        ];
        let svg = control_chart("Cycle time", &points, 10.0, 0.0, 25.0, "work days");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("a/&lt;script&gt;"));
        let red_points = format!(r#"fill="{}"><title>"#, colour::RED);
        assert_eq!(svg.matches(&red_points).count(), 1, "one point outside");
        let run = run_chart(
            "Throughput",
            &[
                RunPoint {
                    label: "W1".to_owned(),
                    value: Some(2.0),
                },
                RunPoint {
                    label: "W2".to_owned(),
                    value: None,
                },
            ],
            Style::Line,
            "count",
            Some(1.0),
        );
        assert!(run.starts_with("<svg") && run.ends_with("</svg>"));
        assert!(run.contains("target 1"));
    }
}
