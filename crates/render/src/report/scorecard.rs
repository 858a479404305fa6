//! The scorecard as the reports show it: the KPIs with their targets and status, their
//! trend by period, the throughput run chart and the cycle-time control chart. The caller
//! reads it from git (`milepost-render` does not); the HTML reports draw it as SVG, the
//! Markdown ones as tables.

use serde::Serialize;

use crate::svg::series::{self, RunPoint, Style};

/// The scorecard of a report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScorecardView {
    /// What it was computed at (`milepost metrics --as-of 2026-11-30 --rev 1a2b3c4`).
    pub basis: Option<String>,
    /// The KPIs at the as-of date.
    pub kpis: Vec<super::KpiRow>,
    /// The trend's periods, oldest first (`2026-06` … `2026-11`).
    pub periods: Vec<String>,
    /// The headline KPIs by period (those with a value in at least one period).
    pub trends: Vec<TrendView>,
    /// Milestones completed per week, the last 13 weeks.
    pub throughput: Vec<PointView>,
    /// The sum of live risk scores per week (from history), the last 13 weeks.
    pub exposure: Vec<PointView>,
    /// The cycle-time control chart.
    pub control: Option<ControlView>,
    /// Why there is no scorecard (`not a git repository`), shown in its place.
    pub unavailable: Option<String>,
}

/// A labelled number.
#[derive(Debug, Clone, Serialize)]
pub struct PointView {
    /// `2026-W47`, `2026-11`.
    pub label: String,
    /// The value.
    pub value: Option<f64>,
    /// The value as people read it (`83%`, `n/a`).
    pub shown: String,
}

/// One KPI by period.
#[derive(Debug, Clone, Serialize)]
pub struct TrendView {
    /// The KPI id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its unit (`share`, `days`…).
    pub unit: String,
    /// One value per period.
    pub points: Vec<PointView>,
    /// The target line to draw (a floor or a ceiling), in the KPI's unit.
    pub target: Option<f64>,
}

/// The control chart of cycle time.
#[derive(Debug, Clone, Serialize)]
pub struct ControlView {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation.
    pub sigma: f64,
    /// Lower control limit.
    pub lower: f64,
    /// Upper control limit.
    pub upper: f64,
    /// Each done milestone by completion.
    pub points: Vec<ControlPointView>,
}

/// One point of the control chart.
#[derive(Debug, Clone, Serialize)]
pub struct ControlPointView {
    /// `program/id`.
    pub entity: String,
    /// Completion day.
    pub date: String,
    /// Cycle time in work days.
    pub value: f64,
    /// Outside the limits.
    pub outside: bool,
}

/// The SVG charts of a scorecard (HTML reports).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ScorecardCharts {
    pub trends: Vec<String>,
    pub throughput: Option<String>,
    pub exposure: Option<String>,
    pub control: Option<String>,
}

fn run(points: &[PointView]) -> Vec<RunPoint> {
    points
        .iter()
        .map(|p| RunPoint {
            label: p.label.clone(),
            value: p.value,
        })
        .collect()
}

impl ScorecardView {
    /// Draws the charts.
    pub(crate) fn charts(&self) -> ScorecardCharts {
        ScorecardCharts {
            trends: self
                .trends
                .iter()
                .map(|t| {
                    series::run_chart(
                        &format!("{} by period", t.name),
                        &run(&t.points),
                        Style::Line,
                        &t.unit,
                        t.target,
                    )
                })
                .collect(),
            throughput: (!self.throughput.is_empty()).then(|| {
                series::run_chart(
                    "Milestones completed per week",
                    &run(&self.throughput),
                    Style::Bars,
                    "milestones",
                    None,
                )
            }),
            exposure: (!self.exposure.is_empty()).then(|| {
                series::run_chart(
                    "Risk exposure per week (sum of live risk scores)",
                    &run(&self.exposure),
                    Style::Line,
                    "score",
                    None,
                )
            }),
            control: self.control.as_ref().map(|c| {
                let points: Vec<series::ControlPoint> = c
                    .points
                    .iter()
                    .map(|p| series::ControlPoint {
                        entity: p.entity.clone(),
                        date: p.date.clone(),
                        value: p.value,
                        outside: p.outside,
                    })
                    .collect();
                series::control_chart(
                    "Milestone cycle time (work days) with 3σ control limits",
                    &points,
                    c.mean,
                    c.lower,
                    c.upper,
                    "work days",
                )
            }),
        }
    }
}
