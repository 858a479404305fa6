//! `metrics --format table`: each KPI with its value, target, status and basis, the trend
//! or per-program rows when asked, then the definitions.

use std::fmt::Write as _;
use std::io::Write;

use milepost_history::{Kpi, KpiValue, Metrics};

/// A number in a KPI's unit as people read it: `83%`, `12 days`, `3.5`, `n/a`.
pub fn show(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(
        || "n/a".to_owned(),
        |v| milepost_history::metrics::show(v, unit),
    )
}

/// A KPI's value as people read it: `83%`, `12 days`, `n/a`.
pub fn value(k: &Kpi) -> String {
    show(k.value, k.unit)
}

/// A KPI's status in words: `met`, `missed`, `no target`, `no data`.
pub fn status(status: &str) -> &'static str {
    match status {
        "met" => "met",
        "missed" => "MISSED",
        "no-target" => "no target",
        _ => "no data",
    }
}

/// The table, then the definitions.
pub fn table(out: &mut dyn Write, m: &Metrics, coverage: &super::Coverage) -> std::io::Result<()> {
    let mut text = format!(
        "Delivery KPIs as of {} (baseline: {}; tolerance ±{} business days; launch window {} days; dependency window {} days)\n{}\n\n",
        m.as_of,
        m.baseline,
        m.tolerance_days,
        m.launch_window_days,
        m.dependency_window_days,
        coverage.sentence()
    );
    let width = m
        .kpis
        .iter()
        .map(|k| crate::output::width(&k.name))
        .max()
        .unwrap_or(0);
    let targets: Vec<String> = m
        .kpis
        .iter()
        .map(|k| {
            k.target
                .as_ref()
                .map_or_else(|| "—".to_owned(), |t| t.text.clone())
        })
        .collect();
    let target_width = targets
        .iter()
        .map(|t| crate::output::width(t))
        .max()
        .unwrap_or(0);
    let values: Vec<String> = m.kpis.iter().map(value).collect();
    let value_width = values
        .iter()
        .map(|v| crate::output::width(v))
        .chain([5])
        .max()
        .unwrap_or(5);
    let _ = writeln!(
        text,
        "{}  {:>value_width$}  {}  {:<9}  basis",
        crate::output::pad("KPI", width),
        "value",
        crate::output::pad("target", target_width),
        "status"
    );
    for ((k, target), shown) in m.kpis.iter().zip(&targets).zip(&values) {
        let _ = writeln!(
            text,
            "{}  {:>value_width$}  {}  {:<9}  {}",
            crate::output::pad(&k.name, width),
            shown,
            crate::output::pad(target, target_width),
            status(k.status),
            k.detail
        );
    }
    if let Some(chart) = m.kpis.iter().find_map(|k| k.control.as_ref()) {
        let outside: Vec<String> = chart
            .points
            .iter()
            .filter(|p| p.outside)
            .map(|p| format!("{} ({} work days)", p.entity, p.value))
            .collect();
        let _ = writeln!(
            text,
            "\nCycle time control chart: mean {:.1}, σ {:.1}, limits {:.1}–{:.1} work days over {} milestones; outside the limits: {}",
            chart.mean,
            chart.sigma,
            chart.lower,
            chart.upper,
            chart.points.len(),
            if outside.is_empty() {
                "none".to_owned()
            } else {
                outside.join(", ")
            }
        );
    }
    if !m.trend.is_empty() {
        let columns: Vec<(String, &[KpiValue])> = m
            .trend
            .iter()
            .map(|r| (r.period.clone(), r.kpis.as_slice()))
            .collect();
        text.push_str("\nTrend (each period measured at its last commit, as of its last day):\n");
        grid(&mut text, m, &columns);
    }
    if !m.programs.is_empty() {
        let columns: Vec<(String, &[KpiValue])> = m
            .programs
            .iter()
            .map(|r| (r.program.clone(), r.kpis.as_slice()))
            .collect();
        text.push_str("\nBy program:\n");
        grid(&mut text, m, &columns);
    }
    text.push_str("\nDefinitions:\n");
    for k in &m.kpis {
        let _ = writeln!(text, "- {} (`{}`): {}", k.name, k.id, k.definition);
    }
    out.write_all(text.as_bytes())
}

/// One row per KPI, one column per period or program.
fn grid(text: &mut String, m: &Metrics, columns: &[(String, &[KpiValue])]) {
    let ids: Vec<&Kpi> = m
        .kpis
        .iter()
        .filter(|k| {
            columns
                .iter()
                .any(|(_, vs)| vs.iter().any(|v| v.id == k.id))
        })
        .collect();
    let width = ids
        .iter()
        .map(|k| crate::output::width(&k.id))
        .max()
        .unwrap_or(0);
    let cells: Vec<Vec<String>> = columns
        .iter()
        .map(|(_, values)| {
            ids.iter()
                .map(|k| {
                    values
                        .iter()
                        .find(|v| v.id == k.id)
                        .map_or_else(|| "—".to_owned(), |v| show(v.value, k.unit))
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .zip(&cells)
        .map(|((h, _), c)| {
            c.iter()
                .map(|s| crate::output::width(s))
                .chain([crate::output::width(h)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let _ = write!(text, "{}", crate::output::pad("", width));
    for ((h, _), w) in columns.iter().zip(&widths) {
        let _ = write!(text, "  {h:>w$}");
    }
    text.push('\n');
    for (i, k) in ids.iter().enumerate() {
        let _ = write!(text, "{}", crate::output::pad(&k.id, width));
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(text, "  {:>w$}", c[i]);
        }
        text.push('\n');
    }
}
