//! One date semantics: a target, completion or ETA on a non-work day means the end of the
//! work day before it, in `plan`, `diff`, `audit`, `metrics` and `check` alike; and
//! `--all-parents` reads the same commits in `log` and `metrics`.

mod common;

use common::milepost;
use milepost_history::testing::{TestRepo, scripted};
use serde_json::Value;

const WHO: &str = "Ada <ada@example.com>";

fn milestones(m1_target: &str, done: &str) -> String {
    format!(
        "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 5d
    target: {m1_target}
{done}  - id: M2
    title: Ship
    owner: bob
    duration: 0d
    depends_on: [M1]
    target: 2026-11-27
"
    )
}

fn run(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = milepost().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn repository() -> (tempfile::TempDir, TestRepo) {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    for (path, text) in common::BASE {
        repo.write(&format!("p/{path}"), text);
    }
    // M1 due Friday 2026-11-20.
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &milestones("2026-11-20", ""),
    );
    repo.commit(WHO, "2026-11-02T10:00:00Z", "Plan");
    (dir, repo)
}

#[test]
fn friday_to_saturday_is_no_move_anywhere() {
    let (dir, mut repo) = repository();
    let plan_before = run(
        dir.path(),
        &["plan", "p", "--format", "json", "--as-of", "2026-11-09"],
    );
    // Move the target to Saturday: the plan reads it as the end of Friday.
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &milestones("2026-11-21", ""),
    );
    repo.commit(WHO, "2026-11-05T10:00:00Z", "M1 target to Saturday");
    let plan_after = run(
        dir.path(),
        &["plan", "p", "--format", "json", "--as-of", "2026-11-09"],
    );
    let slip = |v: &Value| v["milestones"][0]["slip_days"].clone();
    assert_eq!(
        slip(&plan_before),
        slip(&plan_after),
        "the plan does not move"
    );

    let diff = run(
        dir.path(),
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "p",
            "--format",
            "json",
            "--as-of",
            "2026-11-09",
        ],
    );
    let target = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "target")
        .unwrap();
    assert_eq!(target["work_days"], 0, "diff: {target:#}");

    let audit = run(dir.path(), &["audit", "p", "--format", "json"]);
    let moved = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "target")
        .unwrap();
    assert_eq!(moved["work_days"], 0, "audit: {moved:#}");

    // A Saturday target is overdue as of that Saturday, as the plan (Friday) says.
    let check = run(
        dir.path(),
        &["check", "p", "--format", "json", "--as-of", "2026-11-21"],
    );
    assert!(
        check["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "milestone-overdue"),
        "{check:#}"
    );
}

#[test]
fn weekend_completions_against_a_friday_target_are_on_time_everywhere() {
    let (dir, mut repo) = repository();
    // Done on Saturday, against the Friday baseline target.
    let done = "    status: done\n    completed: 2026-11-21\n";
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &milestones("2026-11-20", done),
    );
    repo.commit(WHO, "2026-11-23T10:00:00Z", "M1 done");
    let plan = run(
        dir.path(),
        &["plan", "p", "--format", "json", "--as-of", "2026-11-23"],
    );
    assert_eq!(plan["milestones"][0]["slip_days"], 0, "{plan:#}");
    let metrics = run(
        dir.path(),
        &["metrics", "p", "--format", "json", "--as-of", "2026-11-23"],
    );
    let kpi = |id: &str| {
        metrics["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .unwrap()
            .clone()
    };
    let on_time = kpi("milestone-on-time");
    assert_eq!(
        (
            on_time["numerator"].as_u64(),
            on_time["denominator"].as_u64()
        ),
        (Some(1), Some(1)),
        "{on_time:#}"
    );
    // M1, completed on Saturday against its Friday baseline: 0 work days of variance.
    let variance = kpi("milestone-variance");
    let m1 = variance["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == "alpha/M1")
        .unwrap();
    assert_eq!(
        (m1["value"].as_f64(), m1["met"].as_bool()),
        (Some(0.0), Some(true)),
        "{variance:#}"
    );
}

#[test]
fn all_parents_reads_the_same_commits_in_log_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let (_repo, _c) = scripted(dir.path());
    let log = run(
        dir.path(),
        &[
            "log",
            "ledger",
            "portfolio",
            "--all-parents",
            "--format",
            "json",
        ],
    );
    let metrics = run(
        dir.path(),
        &[
            "metrics",
            "portfolio",
            "--all-parents",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(log["coverage"]["first_parent"], false);
    assert_eq!(metrics["coverage"]["first_parent"], false);
    assert_eq!(
        log["coverage"]["commits_read"],
        metrics["coverage"]["commits_read"]
    );
    let first = run(
        dir.path(),
        &[
            "metrics",
            "portfolio",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert!(
        metrics["coverage"]["commits_read"].as_u64() > first["coverage"]["commits_read"].as_u64(),
        "all parents include the pull request's own commit"
    );
}
