//! A gantt chart: one bar per milestone (or program) on a calendar axis, the critical path
//! in red, targets as ticks and the as-of date as a dashed "today" line.

use chrono::{Datelike, Duration, NaiveDate};

use super::{Svg, colour};
use crate::escape::{num, truncate};

/// How a bar is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// Planned work.
    Planned,
    /// Work in progress.
    Active,
    /// On the critical path (not done).
    Critical,
    /// Finished.
    Done,
    /// Another program's milestone that drives this one's critical path (a ghost row).
    Ghost,
    /// A program on track.
    OnTrack,
    /// A program at risk.
    AtRisk,
    /// A program off track.
    OffTrack,
}

/// Which legend is drawn under the bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Milestones: critical path, in progress, planned, done.
    Milestones,
    /// Programs: on track, at risk, off track, done.
    Status,
}

/// One row of the chart.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The short label (an id).
    pub label: String,
    /// The longer text after the label (a title).
    pub title: String,
    /// First day of work.
    pub start: NaiveDate,
    /// Last day of work (inclusive); equal to `start` for an event.
    pub finish: NaiveDate,
    /// A 0-day event, drawn as a diamond.
    pub event: bool,
    /// Colour.
    pub kind: BarKind,
    /// The committed date, drawn as a tick.
    pub target: Option<NaiveDate>,
    /// On the critical path though not drawn in its colour (work in progress): a red
    /// outline.
    pub outline: bool,
    /// Negative slack in work days (the plan cannot meet a bound downstream): a red `!`.
    pub negative_slack: Option<i64>,
    /// The baseline target (the first committed one, or at a baseline ref), drawn as a thin
    /// grey tick when it differs from `target`.
    pub baseline: Option<NaiveDate>,
}

const WIDTH: f64 = 960.0;
const LABEL_W: f64 = 300.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const ROW_H: f64 = 24.0;
const LEGEND_H: f64 = 34.0;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn fill(kind: BarKind) -> &'static str {
    match kind {
        BarKind::Planned => colour::PLANNED,
        BarKind::Active => colour::ACTIVE,
        BarKind::Critical => colour::CRITICAL,
        BarKind::Done => colour::DONE,
        BarKind::Ghost => "#ffffff",
        BarKind::OnTrack => colour::GREEN,
        BarKind::AtRisk => colour::AMBER,
        BarKind::OffTrack => colour::RED,
    }
}

/// Draws a milestone chart. `as_of` is drawn as the "today" line.
pub fn render(title: &str, bars: &[Bar], as_of: NaiveDate) -> String {
    render_with_legend(title, bars, as_of, Legend::Milestones)
}

/// Draws the chart with the given legend.
pub fn render_with_legend(title: &str, bars: &[Bar], as_of: NaiveDate, legend: Legend) -> String {
    let height = TOP + ROW_H * bars.len().max(1) as f64 + LEGEND_H;
    let mut svg = Svg::new(WIDTH, height, title);
    // The date range: every bar, target and the as-of date, with a little margin.
    let mut lo = as_of;
    let mut hi = as_of;
    for b in bars {
        lo = lo.min(b.start);
        hi = hi.max(b.finish);
        if let Some(t) = b.target {
            lo = lo.min(t);
            hi = hi.max(t);
        }
    }
    let lo = lo - Duration::days(3);
    let hi = hi + Duration::days(4);
    let span = ((hi - lo).num_days().max(1)) as f64;
    let chart_w = WIDTH - LABEL_W - RIGHT;
    let x = |d: NaiveDate| LABEL_W + (d - lo).num_days() as f64 / span * chart_w;
    let rows_bottom = TOP + ROW_H * bars.len().max(1) as f64;

    // Zebra rows, then month grid lines with labels.
    for i in (0..bars.len()).step_by(2) {
        svg.rect(0.0, TOP + ROW_H * i as f64, WIDTH, ROW_H, "#f7f9fb", "");
    }
    let mut month = NaiveDate::from_ymd_opt(lo.year(), lo.month(), 1).unwrap_or(lo);
    let months_total = (span / 30.0).ceil() as usize;
    let step = months_total.div_ceil(12).max(1); // at most ~12 labels
    // The year goes on January's label, and on the first one when months are wide enough.
    let month_w = chart_w / (span / 30.4);
    let mut i = 0usize;
    while month <= hi {
        if month >= lo {
            let mx = x(month);
            svg.line(mx, TOP - 6.0, mx, rows_bottom, colour::GRID, "");
            if i.is_multiple_of(step) {
                let label = if month.month() == 1 || (i == 0 && month_w >= 72.0) {
                    format!("{} {}", MONTHS[month.month0() as usize], month.year())
                } else {
                    MONTHS[month.month0() as usize].to_owned()
                };
                svg.text(
                    mx + 3.0,
                    TOP - 10.0,
                    &label,
                    &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
                    None,
                );
            }
            i += 1;
        }
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(hi + Duration::days(1));
    }

    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let mid = y + ROW_H / 2.0;
        let full = if b.title.is_empty() {
            b.label.clone()
        } else {
            format!("{} {}", b.label, b.title)
        };
        let tooltip = format!("{full}: {} → {}", b.start, b.finish);
        svg.raw("<g>");
        let ghost = b.kind == BarKind::Ghost;
        let tooltip = if ghost {
            format!("{tooltip} (another program's milestone on this program's critical path)")
        } else {
            tooltip
        };
        svg.text(
            8.0,
            mid + 4.0,
            &truncate(&full, 44),
            &if ghost {
                format!(r#"fill="{}" font-style="italic""#, colour::MUTED)
            } else {
                format!(r#"fill="{}""#, colour::TEXT)
            },
            Some(&tooltip),
        );
        let colour = fill(b.kind);
        let stroke = if ghost {
            format!(
                r#" stroke="{}" stroke-width="1.5" stroke-dasharray="4 2""#,
                colour::MUTED
            )
        } else if b.outline {
            format!(r#" stroke="{}" stroke-width="2.5""#, colour::CRITICAL)
        } else {
            String::new()
        };
        let end_x = if b.event {
            let cx = x(b.start);
            svg.raw(&format!(
                r#"<path d="M{} {}l7 7l-7 7l-7 -7z" fill="{colour}"{stroke}><title>{}</title></path>"#,
                num(cx),
                num(mid - 7.0),
                crate::escape::xml(&tooltip)
            ));
            cx + 8.0
        } else {
            let x0 = x(b.start);
            let x1 = x(b.finish + Duration::days(1)).max(x0 + 2.0);
            svg.raw(&format!(
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{colour}"{stroke}><title>{}</title></rect>"#,
                num(x0),
                num(y + 5.0),
                num(x1 - x0),
                num(ROW_H - 10.0),
                crate::escape::xml(&tooltip)
            ));
            x1
        };
        if let Some(n) = b.negative_slack.filter(|n| *n < 0) {
            svg.text(
                end_x + 3.0,
                mid + 4.0,
                "!",
                &format!(
                    r#"fill="{}" font-weight="700" font-size="13""#,
                    colour::CRITICAL
                ),
                Some(&format!(
                    "negative slack: {n} work days (the plan misses a target downstream)"
                )),
            );
        }
        if let Some(base) = b.baseline.filter(|base| Some(*base) != b.target) {
            let bx = x(base + Duration::days(1));
            svg.line(
                bx,
                y + 3.0,
                bx,
                y + ROW_H - 3.0,
                colour::MUTED,
                r#"stroke-width="1" stroke-dasharray="2 1""#,
            );
            svg.raw(&format!(
                r#"<path d="M{} {}l-3 -4h6z" fill="none" stroke="{}"><title>baseline {base}</title></path>"#,
                num(bx),
                num(y + ROW_H - 3.0),
                colour::MUTED
            ));
        }
        if let Some(t) = b.target {
            let tx = x(t + Duration::days(1));
            // A finish is a work day, so comparing days reads a weekend target as the plan does.
            let late = b.finish > t;
            svg.raw(&format!(
                r#"<path d="M{} {}l-4 -6h8z" fill="{}"><title>target {t}</title></path>"#,
                num(tx),
                num(y + 6.0),
                if late { colour::CRITICAL } else { colour::TEXT },
            ));
            svg.line(
                tx,
                y + 5.0,
                tx,
                y + ROW_H - 4.0,
                if late { colour::CRITICAL } else { colour::TEXT },
                r#"stroke-width="1.5""#,
            );
        }
        svg.raw("</g>");
    }

    // Today.
    let tx = x(as_of);
    svg.line(
        tx,
        TOP - 22.0,
        tx,
        rows_bottom,
        colour::TODAY,
        r#"stroke-width="2" stroke-dasharray="5 3""#,
    );
    svg.text(
        tx,
        TOP - 26.0,
        &format!("as of {as_of}"),
        &format!(
            r#"fill="{}" font-size="11" font-weight="600" text-anchor="{}""#,
            colour::TODAY,
            if tx > WIDTH - 120.0 { "end" } else { "middle" }
        ),
        None,
    );

    // Legend.
    let ly = rows_bottom + 22.0;
    let mut lx = LABEL_W;
    let entries: [(&str, &str); 4] = match legend {
        Legend::Milestones => [
            ("critical path", colour::CRITICAL),
            ("in progress", colour::ACTIVE),
            ("planned", colour::PLANNED),
            ("done", colour::DONE),
        ],
        Legend::Status => [
            ("on track", colour::GREEN),
            ("at risk", colour::AMBER),
            ("off track", colour::RED),
            ("done", colour::DONE),
        ],
    };
    for (label, c) in entries {
        svg.rect(lx, ly - 9.0, 14.0, 10.0, c, r#"rx="2""#);
        svg.text(
            lx + 19.0,
            ly,
            label,
            &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
            None,
        );
        lx += 100.0;
    }
    if legend == Legend::Milestones && bars.iter().any(|b| b.kind == BarKind::Ghost) {
        svg.rect(
            lx,
            ly - 9.0,
            14.0,
            10.0,
            "#ffffff",
            &format!(
                r#"rx="2" stroke="{}" stroke-dasharray="3 2""#,
                colour::MUTED
            ),
        );
        svg.text(
            lx + 19.0,
            ly,
            "other program",
            &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
            None,
        );
        lx += 110.0;
    }
    if legend == Legend::Milestones
        && bars
            .iter()
            .any(|b| b.baseline.is_some_and(|base| Some(base) != b.target))
    {
        svg.line(
            lx + 6.0,
            ly - 10.0,
            lx + 6.0,
            ly + 1.0,
            colour::MUTED,
            r#"stroke-dasharray="2 1""#,
        );
        svg.text(
            lx + 14.0,
            ly,
            "baseline",
            &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
            None,
        );
        lx += 90.0;
    }
    if legend == Legend::Milestones && bars.iter().any(|b| b.negative_slack.is_some_and(|n| n < 0))
    {
        svg.text(
            lx + 4.0,
            ly,
            "!",
            &format!(
                r#"fill="{}" font-weight="700" font-size="12""#,
                colour::CRITICAL
            ),
            None,
        );
        svg.text(
            lx + 14.0,
            ly,
            "negative slack",
            &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
            None,
        );
        lx += 110.0;
    }
    svg.raw(&format!(
        r#"<path d="M{} {}l-4 -6h8z" fill="{}"/>"#,
        num(lx + 6.0),
        num(ly - 2.0),
        colour::TEXT
    ));
    svg.text(
        lx + 16.0,
        ly,
        "target",
        &format!(r#"fill="{}" font-size="11""#, colour::MUTED),
        None,
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn draws_bars_events_targets_and_today() {
        let svg = render(
            "plan",
            &[
                Bar {
                    label: "M1".into(),
                    title: "Design".into(),
                    start: d("2026-11-02"),
                    finish: d("2026-11-13"),
                    event: false,
                    kind: BarKind::Critical,
                    target: Some(d("2026-11-10")),
                    outline: false,
                    negative_slack: Some(-3),
                    baseline: Some(d("2026-11-06")),
                },
                Bar {
                    label: "M2".into(),
                    title: "Launch".into(),
                    start: d("2026-11-16"),
                    finish: d("2026-11-16"),
                    event: true,
                    kind: BarKind::Planned,
                    target: None,
                    outline: false,
                    negative_slack: None,
                    baseline: None,
                },
            ],
            d("2026-11-05"),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(colour::CRITICAL));
        assert!(svg.contains("as of 2026-11-05"));
        assert!(svg.contains("<path d=\"M"), "event diamond");
        assert!(svg.contains("target 2026-11-10"));
    }

    #[test]
    fn an_empty_chart_is_still_valid() {
        let svg = render("empty", &[], d("2026-11-05"));
        assert!(svg.ends_with("</svg>"));
    }
}
