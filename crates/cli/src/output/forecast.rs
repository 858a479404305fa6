//! `forecast --format table`.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use milepost_plan::ForecastView as View;

fn pct(p: Option<f64>) -> String {
    p.map_or_else(String::new, milepost_plan::percent)
}

/// Writes the per-program and per-milestone forecast tables.
pub fn render(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    let bold = Style::new().bold();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    writeln!(
        out,
        "{bold}Forecast as of {} — {} runs, seed {}, triangular estimates{bold:#}\n",
        view.as_of, view.runs, view.seed
    )?;
    writeln!(
        out,
        "{bold}{:<20} {:<10}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}{bold:#}",
        "program", "target", "plan", "P50", "P80", "P95", "on time"
    )?;
    for p in &view.programs {
        let d = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_owned(), |d| d.to_string());
        let line = format!(
            "{:<20} {:<10}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}",
            p.id,
            d(p.target),
            d(p.planned_finish),
            d(p.p50),
            d(p.p80),
            d(p.p95),
            pct(p.on_time_probability),
        );
        if p.on_time_probability.is_some_and(|p| p < 0.5) {
            writeln!(out, "{red}{line}{red:#}")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)?;
    let width = view
        .milestones
        .iter()
        .map(|m| m.id.chars().count())
        .max()
        .unwrap_or(9)
        .max(9);
    writeln!(
        out,
        "{bold}{:<width$}  {:<10}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}  {:>8}{bold:#}",
        "milestone", "target", "plan", "P50", "P80", "P95", "on time", "critical"
    )?;
    for m in &view.milestones {
        let line = format!(
            "{:<width$}  {:<10}  {:<10}  {:<10}  {:<10}  {:<10}  {:>7}  {:>8}",
            m.id,
            m.target.map_or_else(String::new, |d| d.to_string()),
            m.planned_finish,
            m.p50,
            m.p80,
            m.p95,
            pct(m.on_time_probability),
            format!("{:.0}%", m.criticality * 100.0),
        );
        if m.on_time_probability.is_some_and(|p| p < 0.5) {
            writeln!(out, "{red}{line}{red:#}")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(f) = view.finish {
        writeln!(out, "\nfinish: P50 {}, P80 {}, P95 {}", f.p50, f.p80, f.p95)?;
    }
    Ok(())
}
