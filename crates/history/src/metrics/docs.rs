//! The KPI reference: `milepost explain KPI` and docs/metrics.md, generated from the same
//! definitions `milepost metrics` prints.

use std::fmt::Write as _;

use super::{FRAMEWORK, Kpi, catalogue};

/// Where a KPI's number comes from, in words.
fn source(k: &Kpi) -> &'static str {
    match k.source {
        "history" => "the plan and its git history",
        "scorecard" => "scorecard.yaml",
        _ => "the plan at the measured commit",
    }
}

/// One KPI's documentation, as Markdown.
pub fn explain(k: &Kpi) -> String {
    let mut out = format!("# {} (`{}`)\n\n{}\n\n", k.name, k.id, k.definition);
    let _ = writeln!(out, "- Unit: {}", k.unit);
    let _ = writeln!(out, "- Computed from {}", source(k));
    let _ = writeln!(
        out,
        "- Target: {}",
        k.target.as_ref().map_or_else(
            || "none by default (set one under `metrics: targets:` in milepost.yaml)".to_owned(),
            |t| format!("{} ({})", t.text, t.source)
        )
    );
    if let Some((_, name, definition, example)) = FRAMEWORK.iter().find(|f| f.0 == k.id) {
        let _ = writeln!(
            out,
            "- The TPM KPI framework's *{name}*: {definition}; example target {example}"
        );
    }
    out
}

/// docs/metrics.md.
pub fn reference() -> String {
    let kpis = catalogue(&milepost_model::MetricsSettings::default());
    let mut out = String::from(
        "# Delivery KPIs\n\n\
<!-- Generated from crates/history/src/metrics by `MILEPOST_BLESS=1 cargo test -p milepost-history --test docs`; do not edit. -->\n\n\
`milepost metrics` computes the balanced scorecard of a TPM organisation from the plan of record and its git history, each KPI with the definition below, a target and a status; `milepost explain KPI` prints one. Tolerances, windows and targets are set under `metrics:` in milepost.yaml (see [format.md](format.md#metrics)); the KPIs measured outside the plan (surveys, people data) are recorded in `scorecard.yaml` and shown beside these.\n\n\
## The framework, row by row\n\n\
| Framework KPI | Its definition | Example target | milepost | Default target |\n|---|---|---|---|---|\n",
    );
    for (id, name, definition, example) in FRAMEWORK {
        let target = kpis
            .iter()
            .find(|k| k.id == *id)
            .and_then(|k| k.target.as_ref())
            .map_or("—", |t| t.text.as_str());
        let _ = writeln!(
            out,
            "| {name} | {definition} | {example} | [`{id}`](#{id}) | {target} |"
        );
    }
    out.push_str(
        "| Stakeholder satisfaction, executive reporting quality, team engagement, hiring velocity, planning accuracy | surveys and people data | per org | `scorecard.yaml` | its own `target` |\n\n\
## Every KPI\n\n",
    );
    for k in &kpis {
        let _ = writeln!(out, "<a id=\"{}\"></a>\n", k.id);
        out.push_str(&explain(k).replacen("# ", "### ", 1));
        out.push('\n');
    }
    out.push_str(
        "## Targets and trends\n\n\
Each KPI's status is `met`, `missed`, `no-target` or `no-data`. A floor (`min`) or ceiling (`max`) is checked on the value; a trend (`trend: down` or `up`) compares the mean of the later half of the KPI's series with the earlier half and must improve (flat counts only at zero for a KPI that should fall). `milepost metrics --by week|month|quarter` measures every KPI at the last commit of each period, as of its last day; `--by program` gives each program on its own; `--format json` lists the entities behind every number (`entities`, each with its own value and whether it met the bar).\n",
    );
    out
}
