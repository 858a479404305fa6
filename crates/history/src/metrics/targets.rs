//! Each KPI's target (milepost.yaml `metrics.targets`, else the example targets of the TPM
//! KPI framework) and its status against it.

use milepost_model::{KpiTarget, MetricsSettings, TrendDirection};
use serde::Serialize;

use super::Point;

/// A KPI's target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// The value must be at least this.
    pub min: Option<f64>,
    /// The value must be at most this.
    pub max: Option<f64>,
    /// The value should move this way (`down`, `up`).
    pub trend: Option<&'static str>,
    /// The target in words (`≥ 80%`, `≤ 5 work days`, `trending down`).
    pub text: String,
    /// `default` or `milepost.yaml` (or `scorecard.yaml` for an external KPI).
    pub source: &'static str,
}

/// The TPM KPI framework milepost implements, row by row: `(KPI id, the framework's name,
/// its definition, its example target)`. KPIs the plan and its history cannot compute
/// (satisfaction, reporting quality, engagement, hiring, planning accuracy) live in
/// scorecard.yaml.
pub const FRAMEWORK: &[(&str, &str, &str, &str)] = &[
    (
        "milestone-variance",
        "Portfolio delivery predictability (milestone variance)",
        "planned vs actual milestone dates across strategic programs",
        "≥ 80 % of key milestones within ±10 business days",
    ),
    (
        "on-time-delivery",
        "On-time delivery rate (program level)",
        "% of programs delivered by the committed date, or a revised committed date with formal change control",
        "70–85 %",
    ),
    (
        "scope-change-rate",
        "Scope change rate (unplanned)",
        "scope changes after commitment",
        "< 10–20 % changed post-commit, trending down",
    ),
    (
        "dependency-aging",
        "Dependency aging",
        "time dependencies stay unresolved after identification",
        "90 % resolved within 2–4 weeks",
    ),
    (
        "risk-burn-down",
        "Risk burn-down effectiveness",
        "% of high/critical risks with active mitigation, owner and due date",
        "100 %",
    ),
    (
        "escalation-cycle-time",
        "Escalation cycle time",
        "escalation raised → decision/resolution",
        "median < 5 business days",
    ),
    (
        "throughput",
        "Cross-team throughput",
        "cross-team deliverables completed per quarter, normalised by size",
        "baseline + improvement",
    ),
    (
        "benefits-realisation",
        "Program benefits realisation (proxy)",
        "programs with defined success metrics and post-launch validation",
        "≥ 70 %",
    ),
    (
        "launch-success-rate",
        "Launch success rate",
        "% of launches without Sev1/Sev2 incidents or emergency rollback within X days",
        "≥ 95 % no Sev1; ≥ 90 % no Sev2 within 7–14 days",
    ),
    (
        "change-failure-rate",
        "Change failure rate (program-related)",
        "releases tied to programs that caused an incident or rollback",
        "trending down",
    ),
    (
        "readiness-compliance",
        "Production readiness compliance",
        "% of strategic launches that passed the readiness checklist",
        "≥ 90–100 %",
    ),
    (
        "cost-of-delay-visibility",
        "Cost of delay visibility",
        "% of strategic initiatives with a cost-of-delay estimate",
        "≥ 60–80 %",
    ),
];

/// The default target of a KPI, when the framework gives one.
pub fn default_target(id: &str) -> Option<KpiTarget> {
    let (min, max, trend) = match id {
        "milestone-variance" | "forecast-accuracy" => (Some(0.8), None, None),
        "on-time-delivery" | "benefits-realisation" => (Some(0.7), None, None),
        "scope-change-rate" => (None, Some(0.2), Some(TrendDirection::Down)),
        "dependency-aging" | "launch-success-rate" | "readiness-compliance" => {
            (Some(0.9), None, None)
        }
        "risk-burn-down" => (Some(1.0), None, None),
        "risk-exposure" | "change-failure-rate" => (None, None, Some(TrendDirection::Down)),
        "escalation-cycle-time" => (None, Some(5.0), None),
        "throughput" => (None, None, Some(TrendDirection::Up)),
        "cost-of-delay-visibility" => (Some(0.6), None, None),
        _ => return None,
    };
    Some(KpiTarget { min, max, trend })
}

/// The target of a KPI: milepost.yaml's, else `own` (scorecard.yaml's), else the default.
pub(super) fn resolve(
    id: &str,
    unit: &str,
    settings: &MetricsSettings,
    own: Option<KpiTarget>,
) -> Option<Target> {
    let (target, source) = match (settings.targets.get(id), own) {
        (Some(t), _) => (*t, "milepost.yaml"),
        (None, Some(t)) => (t, "scorecard.yaml"),
        (None, None) => (default_target(id)?, "default"),
    };
    if target.min.is_none() && target.max.is_none() && target.trend.is_none() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(m) = target.min {
        parts.push(format!("≥ {}", show(m, unit)));
    }
    if let Some(m) = target.max {
        parts.push(format!("≤ {}", show(m, unit)));
    }
    if let Some(t) = target.trend {
        parts.push(format!("trending {}", t.as_str()));
    }
    Some(Target {
        min: target.min,
        max: target.max,
        trend: target.trend.map(TrendDirection::as_str),
        text: parts.join(", "),
        source,
    })
}

/// A KPI value in its unit as people read it (`80%`, `5 work days`, `3.9`): the one
/// formatter of KPI numbers (targets, details, tables, reports).
pub fn show(v: f64, unit: &str) -> String {
    match unit {
        "share" | "ratio" => format!("{:.0}%", v * 100.0),
        "days" | "work days" => format!("{} {unit}", trim(v)),
        _ => trim(v),
    }
}

/// A number with at most one decimal, without a trailing `.0`.
fn trim(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{}", r.round() as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `met`, `missed`, `no-target` or `no-data`. A floor or ceiling is checked on the value; a
/// trend compares the mean of the later half of the series with the earlier half (it must
/// improve; flat counts only at zero for a KPI that should fall), and needs two points.
pub(super) fn status(
    target: Option<&Target>,
    value: Option<f64>,
    series: &[Point],
) -> &'static str {
    let Some(target) = target else {
        return if value.is_some() {
            "no-target"
        } else {
            "no-data"
        };
    };
    let Some(value) = value else { return "no-data" };
    let bounds = KpiTarget {
        min: target.min,
        max: target.max,
        trend: None,
    };
    if !bounds.met_by(value) {
        return "missed";
    }
    if let Some(direction) = target.trend {
        if series.len() < 2 {
            return if target.min.is_some() || target.max.is_some() {
                "met"
            } else {
                "no-data"
            };
        }
        let half = series.len() / 2;
        let mean = |s: &[Point]| s.iter().map(|p| p.value).sum::<f64>() / s.len() as f64;
        let (earlier, later) = (mean(&series[..half]), mean(&series[series.len() - half..]));
        // Improving; flat counts only at zero for a KPI that should fall.
        let ok = match direction {
            "down" => later < earlier - 1e-9 || later.abs() < 1e-9,
            _ => later > earlier + 1e-9,
        };
        if !ok {
            return "missed";
        }
    }
    "met"
}
