//! The bundled scorecard: `examples/acme` with the history `milepost-synth acme-history`
//! replays for it shows every KPI with a value, from the repository root, from inside the
//! portfolio and with an absolute path, and the portfolio report charts it.

mod common;

use std::path::{Path, PathBuf};

use common::milepost;
use serde_json::Value;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme")
}

fn history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("repo");
    let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let commits = milepost_synth::history::write_history(&example(), &out, last).unwrap();
    assert!(commits > 20, "{commits} weekly commits");
    dir
}

fn metrics(cwd: &Path, path: &Path, extra: &[&str]) -> Value {
    let out = milepost()
        .current_dir(cwd)
        .arg("metrics")
        .arg(path)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_kpi_of_the_bundled_scorecard_has_a_value() {
    let dir = history();
    let repo = dir.path().join("repo");
    // The last commit is the example, file for file: it checks clean.
    let check = milepost()
        .current_dir(&repo)
        .args(["check", "acme"])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let root = metrics(&repo, Path::new("acme"), &[]);
    assert_eq!(
        root["problems"],
        serde_json::json!([]),
        "every version parses"
    );
    let kpis = root["kpis"].as_array().unwrap();
    let missing: Vec<&str> = kpis
        .iter()
        .filter(|k| k["value"].is_null())
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert!(missing.is_empty(), "KPIs without a value: {missing:?}");
    for id in [
        "milestone-variance",
        "on-time-delivery",
        "forecast-accuracy",
        "risk-exposure",
        "throughput",
        "cycle-time",
        "launch-success-rate",
        "stakeholder-satisfaction",
        "hiring-velocity",
    ] {
        assert!(kpis.iter().any(|k| k["id"] == id), "{id}");
    }
    // Every KPI has its definition, and a target or says it has none.
    for k in kpis {
        assert!(!k["definition"].as_str().unwrap().is_empty(), "{k:#}");
        assert!(
            !k["target"].is_null() || k["status"] == "no-target",
            "{k:#}"
        );
    }
    // pci-dss moved its target with an approved pull request and delivered inside it.
    let on_time = kpis.iter().find(|k| k["id"] == "on-time-delivery").unwrap();
    let note = on_time["entities"][0]["note"].as_str().unwrap();
    assert!(note.contains("(approved)"), "{note}");

    // The same numbers from inside the portfolio and with an absolute path.
    let inside = metrics(&repo.join("acme"), Path::new("."), &[]);
    let absolute = metrics(Path::new("/"), &repo.join("acme"), &[]);
    assert_eq!(inside["kpis"], root["kpis"]);
    assert_eq!(absolute["kpis"], root["kpis"]);

    // The trend by month has history behind it.
    let trend = metrics(&repo, Path::new("acme"), &["--by", "month"]);
    let rows = trend["trend"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let throughput: Vec<f64> = rows
        .iter()
        .map(|r| {
            r["kpis"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["id"] == "throughput")
                .unwrap()["value"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert!(
        throughput.windows(2).all(|w| w[0] <= w[1]),
        "{throughput:?}"
    );
    assert!(throughput[5] > throughput[0], "{throughput:?}");
}

#[test]
fn the_portfolio_report_charts_the_scorecard() {
    let dir = history();
    let repo = dir.path().join("repo");
    let out = milepost()
        .current_dir(&repo)
        .args(["render", "portfolio", "acme", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    let section = &html[html
        .find("<h2>Delivery scorecard</h2>")
        .expect("the section")..];
    assert!(section.contains("Forecast accuracy"));
    assert!(section.contains("Stakeholder satisfaction"));
    assert!(section.contains("<h3>Trend by month</h3>"));
    assert!(section.contains("Milestones completed per week"));
    assert!(section.contains("3σ control limits"));
    assert!(section.contains("Outside the limits: ledger/M2"));
    let md = milepost()
        .current_dir(&repo)
        .args(["render", "portfolio", "acme", "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("## Delivery scorecard"), "{md}");
    assert!(
        md.contains("| KPI | 2026-06 | 2026-07 | 2026-08 | 2026-09 | 2026-10 | 2026-11 |"),
        "{md}"
    );
}

/// Each trend row (measured from the one walk of `--by month`) equals `metrics --rev COMMIT
/// --as-of END` run on its own.
#[test]
fn trend_rows_equal_separate_runs_at_each_period_end() {
    let dir = history();
    let repo = dir.path().join("repo");
    let trend = metrics(&repo, Path::new("acme"), &["--by", "month"]);
    for row in trend["trend"].as_array().unwrap() {
        let (Some(commit), Some(end)) = (row["commit"].as_str(), row["end"].as_str()) else {
            continue;
        };
        let alone = metrics(&repo, Path::new("acme"), &["--rev", commit, "--as-of", end]);
        let values = |kpis: &Value| -> Vec<(String, Value)> {
            kpis.as_array()
                .unwrap()
                .iter()
                .map(|k| (k["id"].as_str().unwrap().to_owned(), k["value"].clone()))
                .collect()
        };
        assert_eq!(
            values(&row["kpis"]),
            values(&alone["kpis"]),
            "{} ({commit})",
            row["period"]
        );
    }
}
