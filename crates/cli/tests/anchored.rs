//! Anchored progress: work in progress planned from its actual start (`started`) or the
//! owner's expected finish (`eta`) gives the same plan whatever day it is read, and `diff`
//! reports a moved ETA as the slip it is.

mod common;

use common::{milepost, portfolio};
use milepost_history::testing::TestRepo;
use serde_json::Value;

fn dates(dir: &std::path::Path, as_of: &str) -> Vec<(String, String, String)> {
    let out = milepost()
        .args(["plan", "--format", "json", "--as-of", as_of])
        .arg(dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_owned(),
                m["earliest_start"].as_str().unwrap().to_owned(),
                m["earliest_finish"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const MILESTONES: &str = "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 4w
    target: 2026-12-18
    status: in_progress
ANCHOR  - id: M2
    title: Launch
    owner: bob
    duration: 1w
    depends_on: [M1]
    target: 2027-01-29
";

#[test]
fn anchored_work_gives_the_same_plan_on_day_1_and_day_10() {
    let anchored = MILESTONES.replace("ANCHOR", "    started: 2026-11-02\n");
    let dir = portfolio(&[("programs/alpha/milestones.yaml", anchored.as_bytes())]);
    let day1 = dates(dir.path(), "2026-11-09");
    let day10 = dates(dir.path(), "2026-11-20");
    assert_eq!(day1, day10, "nothing was edited: the plan must not move");
    // 20 work days from Monday 2026-11-02 end on Friday 2026-11-27.
    assert_eq!(day1[0].2, "2026-11-27");
    assert_eq!(day1[1].1, "2026-11-30");

    // Without the anchor the plan drifts, and check says so.
    let drifting = MILESTONES.replace("ANCHOR", "");
    let dir = portfolio(&[("programs/alpha/milestones.yaml", drifting.as_bytes())]);
    assert_ne!(
        dates(dir.path(), "2026-11-09"),
        dates(dir.path(), "2026-11-20")
    );
    let out = milepost()
        .args(["check", "--as-of", "2026-11-09"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("info[progress-unanchored]"), "{text}");
}

#[test]
fn work_past_its_eta_is_overdue_and_cannot_finish_in_the_past() {
    let late = MILESTONES.replace("ANCHOR", "    started: 2026-11-02\n    eta: 2026-11-13\n");
    let dir = portfolio(&[("programs/alpha/milestones.yaml", late.as_bytes())]);
    let plan = dates(dir.path(), "2026-11-23");
    assert_eq!(
        plan[0].2, "2026-11-23",
        "finishes no earlier than the as-of day"
    );
    let out = milepost()
        .args(["check", "--as-of", "2026-11-23", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["progress-overdue"], "{v:#}");
}

#[test]
fn diff_reports_a_two_week_slip_of_anchored_work_as_a_slip() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    for (path, text) in common::BASE {
        repo.write(&format!("p/{path}"), text);
    }
    let base = MILESTONES.replace("ANCHOR", "    started: 2026-11-02\n    eta: 2026-11-27\n");
    repo.write("p/programs/alpha/milestones.yaml", &base);
    let first = repo.commit("Ada <ada@example.com>", "2026-11-02T10:00:00Z", "Plan");
    repo.branch("slip", first);
    repo.switch("slip");
    let slipped = base.replace("eta: 2026-11-27", "eta: 2026-12-11");
    repo.write("p/programs/alpha/milestones.yaml", &slipped);
    repo.commit(
        "Ada <ada@example.com>",
        "2026-11-20T10:00:00Z",
        "M1 slips two weeks",
    );
    // Read two weeks after the base was written: the base must not have drifted.
    let out = milepost()
        .current_dir(dir.path())
        .args([
            "diff",
            "main",
            "HEAD",
            "p",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let eta = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "eta")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(eta["work_days"], 10, "{eta:#}");
    let finish = &v["finish"];
    assert!(
        finish["after"].as_str() > finish["before"].as_str(),
        "a slip makes the finish later: {finish:#}"
    );
    assert_eq!(finish["work_days"], 10, "{finish:#}");
    assert_eq!(v["as_of"], "2026-11-23");
}
