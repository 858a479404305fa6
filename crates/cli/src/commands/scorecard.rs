//! The scorecard as the reports show it, read from git exactly as `milepost metrics` reads
//! it: the KPIs at a day, their trend by month, the throughput run chart and the
//! cycle-time control chart.

use chrono::NaiveDate;
use milepost_history::{Granularity, History, Kpi, MetricsOptions};
use milepost_render::{ControlPointView, ControlView, KpiRow, PointView, ScorecardView, TrendView};

use crate::output::history::metrics::{show, value};

/// The KPIs charted by period in the reports (when they have a value in some period).
const CHARTED: [&str; 6] = [
    "milestone-variance",
    "on-time-delivery",
    "forecast-accuracy",
    "dependency-aging",
    "launch-success-rate",
    "scope-change-rate",
];

/// How many months the reports' trend covers.
pub const TREND_MONTHS: usize = 6;

/// The metrics at the end of `day` (the last commit on or before it, as of `day`), with
/// the monthly trend when `months` > 0: `(short commit, metrics)`; `None` when the history
/// starts later or cannot be read.
pub fn metrics_at(
    history: &History,
    tip: &milepost_history::Rev,
    day: NaiveDate,
    months: usize,
) -> Option<(String, milepost_history::Metrics)> {
    let rev = history.at_end_of(tip.id, day).ok()??;
    let metrics = history
        .metrics(&MetricsOptions {
            tip: rev.id,
            baseline: None,
            as_of: day,
            tolerance_days: None,
            programs: Vec::new(),
            first_parent: true,
            by_program: false,
            trend: (months > 0).then_some((Granularity::Month, months)),
        })
        .ok()?;
    let short = rev.id.to_string();
    Some((short[..7].to_owned(), metrics))
}

/// One report row per KPI, with the value at the end of the previous period beside it.
pub fn rows(kpis: &[Kpi], previous: &[Kpi]) -> Vec<KpiRow> {
    kpis.iter()
        .map(|k| {
            let prev = previous.iter().find(|p| p.id == k.id);
            let trend = match (k.value, prev.and_then(|p| p.value)) {
                (Some(a), Some(b)) if (a - b).abs() < 1e-9 => "flat",
                (Some(a), Some(b)) if a > b => "up",
                (Some(_), Some(_)) => "down",
                _ => "",
            };
            KpiRow {
                id: k.id.clone(),
                name: k.name.clone(),
                value: value(k),
                previous: prev.map(value),
                trend,
                detail: k.detail.clone(),
                definition: k.definition.clone(),
                target: k.target.as_ref().map(|t| t.text.clone()),
                status: k.status.to_owned(),
            }
        })
        .collect()
}

fn points(series: &[milepost_history::metrics::Point], unit: &str) -> Vec<PointView> {
    series
        .iter()
        .map(|p| PointView {
            label: p.label.clone(),
            value: Some(p.value),
            shown: show(Some(p.value), unit),
        })
        .collect()
}

/// The reports' view of `metrics` (computed with a trend), named by `basis`.
pub fn view(metrics: &milepost_history::Metrics, basis: String) -> ScorecardView {
    let find = |id: &str| metrics.kpis.iter().find(|k| k.id == id);
    let periods: Vec<String> = metrics.trend.iter().map(|r| r.period.clone()).collect();
    let trends = CHARTED
        .iter()
        .filter_map(|id| find(id))
        .filter_map(|k| {
            let values: Vec<Option<f64>> = metrics
                .trend
                .iter()
                .map(|row| row.kpis.iter().find(|v| v.id == k.id).and_then(|v| v.value))
                .collect();
            values.iter().any(Option::is_some).then(|| TrendView {
                id: k.id.clone(),
                name: k.name.clone(),
                unit: k.unit.to_owned(),
                points: periods
                    .iter()
                    .zip(&values)
                    .map(|(label, v)| PointView {
                        label: label.clone(),
                        value: *v,
                        shown: show(*v, k.unit),
                    })
                    .collect(),
                target: k.target.as_ref().and_then(|t| t.min.or(t.max)),
            })
        })
        .collect();
    let control = find("cycle-time")
        .and_then(|k| k.control.as_ref())
        .map(|c| ControlView {
            mean: c.mean,
            sigma: c.sigma,
            lower: c.lower,
            upper: c.upper,
            points: c
                .points
                .iter()
                .map(|p| ControlPointView {
                    entity: p.entity.clone(),
                    date: p.date.to_string(),
                    value: p.value,
                    outside: p.outside,
                })
                .collect(),
        });
    ScorecardView {
        basis: Some(basis),
        kpis: rows(&metrics.kpis, &[]),
        periods,
        trends,
        throughput: find("throughput").map_or_else(Vec::new, |k| points(&k.series, k.unit)),
        exposure: find("risk-exposure").map_or_else(Vec::new, |k| points(&k.series, k.unit)),
        control,
        unavailable: None,
    }
}

/// The scorecard of the portfolio report or the site, as of `day`; outside git or before
/// the history starts, a scorecard that says why it is missing.
pub fn for_report(session: &milepost_session::Session, day: NaiveDate) -> ScorecardView {
    let missing = |why: String| ScorecardView {
        unavailable: Some(why),
        ..ScorecardView::default()
    };
    let Some(root) = session.root() else {
        return missing("the portfolio was not read from disk".to_owned());
    };
    let history = match History::open(root) {
        Ok(h) => h,
        Err(e) => return missing(format!("its history cannot be read ({e})")),
    };
    let Ok(head) = history.head() else {
        return missing("the repository has no commits yet".to_owned());
    };
    match metrics_at(&history, &head, day, TREND_MONTHS) {
        Some((commit, metrics)) => view(
            &metrics,
            format!("milepost metrics --as-of {day} --rev {commit} --by month"),
        ),
        None => missing(format!(
            "the repository has no commit on or before the as-of date {day}"
        )),
    }
}
