//! `metrics --format table`: each KPI with its value, basis and definition.

use std::fmt::Write as _;
use std::io::Write;

use milepost_history::{Kpi, Metrics};

/// A KPI's value as people read it: `83%`, `12 days`, `n/a`.
pub fn value(k: &Kpi) -> String {
    match (k.value, k.unit) {
        (None, _) => "n/a".to_owned(),
        (Some(v), "share" | "ratio") => format!("{:.0}%", v * 100.0),
        (Some(v), _) => format!("{v} days"),
    }
}

/// The table, then the definitions.
pub fn table(out: &mut dyn Write, m: &Metrics, coverage: &super::Coverage) -> std::io::Result<()> {
    let mut text = format!(
        "Delivery KPIs as of {} (baseline: {}; variance tolerance ±{} work days)\n{}\n\n",
        m.as_of,
        m.baseline,
        m.tolerance_days,
        coverage.sentence()
    );
    let width = m
        .kpis
        .iter()
        .map(|k| crate::output::width(k.name))
        .max()
        .unwrap_or(0);
    for k in &m.kpis {
        let _ = writeln!(
            text,
            "{}  {:>9}  {}",
            crate::output::pad(k.name, width),
            value(k),
            k.detail
        );
    }
    text.push_str("\nDefinitions:\n");
    for k in &m.kpis {
        let _ = writeln!(text, "- {} (`{}`): {}", k.name, k.id, k.definition);
    }
    out.write_all(text.as_bytes())
}
