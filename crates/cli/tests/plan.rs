//! `milepost plan` and `milepost forecast` end to end: the JSON contract, the formats,
//! cycles, and hand-worked schedules checked against the semantics of `docs/semantics.md`.

mod common;

use std::path::PathBuf;

use common::{milepost, portfolio};
use serde_json::Value;

fn acme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme")
}

fn plan_json(path: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let out = milepost()
        .args(["plan", "--format", "json", "--as-of", "2026-11-23"])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, json)
}

#[test]
fn json_follows_the_contract() {
    let (code, json) = plan_json(&acme(), &[]);
    assert_eq!(code, 0);
    let milestones = json["milestones"].as_array().unwrap();
    assert!(milestones.len() >= 40);
    for m in milestones {
        for key in [
            "id",
            "duration_days",
            "earliest_start",
            "earliest_finish",
            "latest_start",
            "latest_finish",
            "slack_days",
            "critical",
        ] {
            assert!(!m[key].is_null(), "{key} missing in {m}");
        }
        assert!(m["id"].as_str().unwrap().contains('/'));
        if !m["target"].is_null() {
            assert!(m["slip_days"].is_i64());
        }
    }
    let path: Vec<&str> = json["critical_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(path.len() >= 2);
    // The portfolio's critical path crosses programs.
    let programs: std::collections::BTreeSet<&str> = path
        .iter()
        .map(|id| id.split('/').next().unwrap())
        .collect();
    assert!(programs.len() >= 2, "{path:?}");
    // finish = the latest earliest finish; the path ends there, with zero slack all along.
    let max_finish = milestones
        .iter()
        .map(|m| m["earliest_finish"].as_str().unwrap())
        .max()
        .unwrap();
    assert_eq!(json["finish"], max_finish);
    for id in &path {
        let m = milestones.iter().find(|m| m["id"] == *id).unwrap();
        assert!(m["slack_days"].as_i64().unwrap() <= 0, "{m}");
    }
    let last = milestones
        .iter()
        .find(|m| m["id"] == *path.last().unwrap())
        .unwrap();
    assert_eq!(last["earliest_finish"], json["finish"]);
}

#[test]
fn one_program_and_its_driving_chain() {
    let (code, json) = plan_json(&acme(), &["--program", "checkout-v2"]);
    assert_eq!(code, 0);
    let milestones = json["milestones"].as_array().unwrap();
    assert!(
        milestones
            .iter()
            .all(|m| m["id"].as_str().unwrap().starts_with("checkout-v2/"))
    );
    let out = milepost()
        .args(["plan", "--program", "checkout-v3"])
        .arg(acme())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checkout-v2"));
}

#[test]
fn hand_worked_schedule_with_holidays_events_and_targets() {
    // Calendar: Mon–Fri, holiday Thu 2026-12-24 and Fri 2026-12-25. As of Mon 2026-12-14.
    // A: 5d from program start Mon 2026-12-14 → Mon 14 … Fri 18.
    // B: 0d event after A → dated Fri 12-18 (reached by finishing work).
    // C: 4d after B → Mon 21, Tue 22, Wed 23, (24, 25 holidays) Mon 28 → finishes 12-28.
    //    Target 12-23 → slip = 1 work day (12-28 is the next work day after 12-23).
    // D: 3d with no deps → starts at as-of Mon 12-14, finishes Wed 12-16; the program ends
    //    12-28 so its latest finish is 12-28 and slack = 12-28 − 12-16 = 6 work days
    //    (17, 18, 21, 22, 23, 28).
    let dir = portfolio(&[
        ("milepost.yaml", b"name: t\ncalendar:\n  holidays: [2026-12-24, {date: 2026-12-25, name: Christmas}]\n"),
        ("programs/alpha/program.yaml", b"name: Alpha\nowner: ada\nstart: 2026-12-14\n"),
        (
            "programs/alpha/milestones.yaml",
            b"milestones:\n  - {id: A, title: a, owner: ada, duration: 5d}\n  - {id: B, title: b, owner: ada, duration: 0d, depends_on: [A]}\n  - {id: C, title: c, owner: ada, duration: 4d, depends_on: [B], target: 2026-12-23}\n  - {id: D, title: d, owner: ada, duration: 3d}\n",
        ),
    ]);
    let out = milepost()
        .args(["plan", "--format", "json", "--as-of", "2026-12-14"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let get = |id: &str| {
        json["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    let a = get("alpha/A");
    assert_eq!(
        (a["earliest_start"].as_str(), a["earliest_finish"].as_str()),
        (Some("2026-12-14"), Some("2026-12-18"))
    );
    let b = get("alpha/B");
    assert_eq!(b["earliest_finish"], "2026-12-18");
    let c = get("alpha/C");
    assert_eq!(
        (c["earliest_start"].as_str(), c["earliest_finish"].as_str()),
        (Some("2026-12-21"), Some("2026-12-28"))
    );
    assert_eq!(c["slip_days"], 1);
    assert_eq!(c["slack_days"], -1);
    assert_eq!(c["critical"], true);
    let d = get("alpha/D");
    assert_eq!(d["earliest_finish"], "2026-12-16");
    assert_eq!(d["slack_days"], 6);
    assert_eq!(json["finish"], "2026-12-28");
    assert_eq!(
        json["critical_path"],
        serde_json::json!(["alpha/A", "alpha/B", "alpha/C"])
    );
}

#[test]
fn cycles_fail_plan_with_the_located_cycle() {
    let dir = portfolio(&[(
        "programs/alpha/milestones.yaml",
        b"milestones:\n  - {id: M1, title: a, depends_on: [M2]}\n  - {id: M2, title: b, depends_on: [M1]}\n",
    )]);
    let out = milepost()
        .args(["plan", "--as-of", "2026-11-23"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dependency-cycle"), "{err}");
    assert!(
        err.contains("alpha/M1 → alpha/M2 → alpha/M1")
            || err.contains("alpha/M2 → alpha/M1 → alpha/M2"),
        "{err}"
    );
    assert!(err.contains("programs/alpha/milestones.yaml:2:"), "{err}");
}

#[test]
fn mermaid_is_a_gantt_with_crit_done_and_explicit_dates() {
    let out = milepost()
        .args(["plan", "--format", "mermaid", "--as-of", "2026-11-23"])
        .arg(acme())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("gantt\n"));
    assert!(text.contains("dateFormat YYYY-MM-DD"));
    assert!(text.contains("excludes weekends"));
    assert!(text.contains(":done, "));
    assert!(text.contains("crit, "));
    // Explicit dates only: Mermaid ignores an `after` naming a task defined later.
    assert!(!text.contains(", after "));
    for line in text
        .lines()
        .filter(|l| l.starts_with("    ") && l.contains(" :"))
    {
        // One `:` separates the title from the fields.
        assert_eq!(line.matches(':').count(), 1, "{line}");
    }
}

#[test]
fn csv_and_dot_render() {
    let out = milepost()
        .args(["plan", "--format", "csv", "--as-of", "2026-11-23"])
        .arg(acme())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("id,title,owner,status,duration_days"));
    assert!(lines.count() >= 40);
    let out = milepost()
        .args(["plan", "--format", "dot", "--as-of", "2026-11-23"])
        .arg(acme())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("digraph milepost {"));
    assert!(text.contains("penwidth=3"));
    assert!(text.trim_end().ends_with('}'));
}

#[test]
fn table_is_readable() {
    let out = milepost()
        .args(["plan", "--as-of", "2026-11-23"])
        .arg(acme())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("critical path:"));
    assert!(text.contains("finish: "));
    assert!(text.lines().any(|l| l.starts_with('◆')));
}

#[test]
fn forecast_is_reproducible_and_not_earlier_than_the_plan() {
    let run = |seed: &str| {
        let out = milepost()
            .args([
                "forecast",
                "--format",
                "json",
                "--as-of",
                "2026-11-23",
                "--runs",
                "2000",
                "--seed",
                seed,
            ])
            .arg(acme())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let a = run("7");
    let b = run("7");
    assert_eq!(a, b);
    let (_, plan) = plan_json(&acme(), &[]);
    // acme's estimates are right-skewed, so the median finish is not earlier than the plan.
    assert!(a["finish"]["p50"].as_str().unwrap() >= plan["finish"].as_str().unwrap());
    assert!(a["finish"]["p50"].as_str() <= a["finish"]["p80"].as_str());
    assert!(a["finish"]["p80"].as_str() <= a["finish"]["p95"].as_str());
    for m in a["milestones"].as_array().unwrap() {
        let c = m["criticality"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        if let Some(p) = m["on_time_probability"].as_f64() {
            assert!((0.0..=1.0).contains(&p));
        }
    }
    let c = run("8");
    assert_ne!(a["milestones"], c["milestones"]);
}

#[test]
fn init_creates_a_clean_portfolio_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("portfolio");
    let out = milepost().arg("init").arg(&target).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Checked as of today (no --as-of): the scaffold is dated around its creation day.
    let out = milepost()
        .args(["check", "--format", "json"])
        .arg(&target)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{json:#}");
    assert!(
        json["diagnostics"].as_array().unwrap().is_empty(),
        "{json:#}"
    );
    assert_eq!(json["summary"]["programs"], 1);
    let out = milepost().arg("init").arg(&target).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = milepost().arg("plan").arg(&target).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// The Mermaid gantt puts every task where the plan does: each bar starts on the
/// milestone's `earliest_start` and, counting its duration on the chart's own calendar
/// (`excludes`), ends on its `earliest_finish` — checked by parsing the Mermaid text of the
/// whole example portfolio against `plan --format json`.
#[test]
fn mermaid_bars_are_where_the_plan_puts_them() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let json_out = milepost()
        .args(["plan", "--format", "json"])
        .arg(&acme)
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    let mermaid_out = milepost()
        .args(["plan", "--format", "mermaid"])
        .arg(&acme)
        .output()
        .unwrap();
    let text = String::from_utf8(mermaid_out.stdout).unwrap();
    // The chart's calendar.
    let excludes: Vec<String> = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("excludes "))
        .map(|e| e.split(", ").map(str::to_owned).collect())
        .unwrap_or_default();
    let excluded = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        (excludes.iter().any(|e| e == "weekends")
            && matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
            || excludes.contains(&d.to_string())
    };
    let mut checked = 0;
    for m in plan["milestones"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let mermaid_id: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let line = text
            .lines()
            .find(|l| {
                l.contains(&format!(", {mermaid_id}, ")) || l.contains(&format!(":{mermaid_id}, "))
            })
            .unwrap_or_else(|| panic!("{id} is not in the chart"));
        let fields: Vec<&str> = line.rsplit(':').next().unwrap().split(", ").collect();
        let start: chrono::NaiveDate = fields[fields.len() - 2].parse().unwrap();
        let days: u32 = fields[fields.len() - 1]
            .trim_end_matches('d')
            .parse()
            .unwrap();
        assert_eq!(
            start.to_string(),
            m["earliest_start"],
            "{id} starts: {line}"
        );
        let mut end = start;
        let mut left = days;
        while left > 1 {
            end = end.succ_opt().unwrap();
            if !excluded(end) {
                left -= 1;
            }
        }
        assert_eq!(end.to_string(), m["earliest_finish"], "{id} ends: {line}");
        checked += 1;
    }
    assert!(checked >= 50, "{checked}");
}

/// Table columns are padded by terminal width: a CJK or emoji title takes two columns per
/// character, and the columns after it still line up.
#[test]
fn table_columns_line_up_with_wide_characters() {
    let milestones = "milestones:\n  - id: M1\n    title: 決済APIの設計レビュー\n    owner: ada\n    duration: 5d\n  - id: M2\n    title: Launch 🚀 day\n    owner: bob\n    duration: 1w\n    depends_on: [M1]\n  - id: M3\n    title: Plain title\n    owner: ada\n    duration: 1w\n    depends_on: [M2]\n";
    let dir = portfolio(&[("programs/alpha/milestones.yaml", milestones.as_bytes())]);
    let out = milepost()
        .args(["plan", "--as-of", "2026-11-23", "--program", "alpha"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let columns: Vec<usize> = text
        .lines()
        .filter(|l| l.contains("alpha/M") && l.contains("  2026-"))
        .map(|l| {
            let at = l.find("  2026-").expect("a date");
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert_eq!(columns.len(), 3, "{text}");
    assert!(
        columns.iter().all(|c| *c == columns[0]),
        "{columns:?}\n{text}"
    );
}
