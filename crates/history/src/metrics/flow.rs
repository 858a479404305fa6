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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    #[test]
    fn limits_are_three_sample_standard_deviations_and_outliers_are_flagged() {
        // Eleven cycle times of 5 and one of 30: mean 85/12, the sample variance
        // (11 × (5 − mean)² + (30 − mean)²) / 11.
        let mut points: Vec<(String, NaiveDate, f64)> =
            (1..=11).map(|i| (format!("p/M{i}"), day(i), 5.0)).collect();
        points.push(("p/M12".to_owned(), day(20), 30.0));
        let chart = control_chart(points).unwrap();
        let mean = 85.0 / 12.0;
        let variance = (11.0 * (5.0 - mean) * (5.0 - mean) + (30.0 - mean) * (30.0 - mean)) / 11.0;
        assert!((chart.mean - mean).abs() < 1e-12);
        assert!((chart.sigma - variance.sqrt()).abs() < 1e-12);
        assert!((chart.upper - (mean + 3.0 * variance.sqrt())).abs() < 1e-12);
        assert!(chart.lower.abs() < f64::EPSILON);
        let outside: Vec<&str> = chart
            .points
            .iter()
            .filter(|p| p.outside)
            .map(|p| p.entity.as_str())
            .collect();
        assert_eq!(outside, ["p/M12"]);
    }

    #[test]
    fn fewer_than_two_points_make_no_chart() {
        assert!(control_chart(Vec::new()).is_none());
        assert!(control_chart(vec![("p/M1".to_owned(), day(1), 3.0)]).is_none());
    }
}
