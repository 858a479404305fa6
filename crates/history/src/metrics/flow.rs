//! Flow metrics: the control chart of milestone cycle time.

use chrono::NaiveDate;
use serde::Serialize;

/// One point of a control chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlPoint {
    /// The milestone (`program/id`).
    pub entity: String,
    /// The day it was completed.
    pub date: NaiveDate,
    /// Its cycle time, in work days.
    pub value: f64,
    /// Outside the control limits.
    pub outside: bool,
}

/// A control chart for individual values: the mean and limits three standard deviations
/// either side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlChart {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation (n − 1).
    pub sigma: f64,
    /// The upper control limit: mean + 3σ.
    pub upper: f64,
    /// The lower control limit: mean − 3σ, not below 0 (a cycle time cannot be negative).
    pub lower: f64,
    /// The points, by completion day (then entity).
    pub points: Vec<ControlPoint>,
}

/// The control chart of `(entity, day, value)` points; `None` with fewer than two.
pub fn control_chart(mut points: Vec<(String, NaiveDate, f64)>) -> Option<ControlChart> {
    if points.len() < 2 {
        return None;
    }
    points.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let n = points.len() as f64;
    let mean = points.iter().map(|p| p.2).sum::<f64>() / n;
    let variance = points.iter().map(|p| (p.2 - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let sigma = variance.sqrt();
    let upper = mean + 3.0 * sigma;
    let lower = (mean - 3.0 * sigma).max(0.0);
    Some(ControlChart {
        mean,
        sigma,
        upper,
        lower,
        points: points
            .into_iter()
            .map(|(entity, date, value)| ControlPoint {
                outside: value > upper + 1e-9 || value < lower - 1e-9,
                entity,
                date,
                value,
            })
            .collect(),
    })
}
