//! The outcome KPIs on a scripted repository, against hand-computed values: launch success
//! rate, change failure rate, benefits realisation and cost-of-delay visibility.

mod common;

use common::milepost;
use milepost_history::testing::TestRepo;
use serde_json::Value;

const WHO: &str = "Ada <ada@example.com>";

fn charter(name: &str, extra: &str) -> String {
    format!(
        "name: {name}\nstatus: active\nowner: ada\nsponsor: bob\nstart: 2026-09-01\nobjectives: [Ship]\nscope:\n  in: [API]\n{extra}"
    )
}

fn launch(id: &str, completed: &str, outcome: &str) -> String {
    format!(
        "  - id: {id}\n    title: Launch {id}\n    kind: launch\n    owner: ada\n    duration: 0d\n    status: done\n    completed: {completed}\n{outcome}"
    )
}

#[test]
fn outcome_kpis_match_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    for (path, text) in common::BASE {
        if !path.starts_with("programs/") {
            repo.write(&format!("p/{path}"), text);
        }
    }
    // alpha: strategic with a cost of delay; a launch with a sev2 incident 3 days in (not a
    // success, a failure) and one with only a sev3 incident (a success, a failure).
    repo.write(
        "p/programs/alpha/program.yaml",
        &charter(
            "Alpha",
            "strategic: true\ncost_of_delay:\n  per_week: 25000\n  currency: USD\nsuccess_metrics:\n  - metric: uptime\n    target: 99.9\nretrospectives:\n  - title: L1 retrospective\n    held: 2026-11-10\n    milestone: L1\n    actions:\n      - title: Canary the checkout path\n        owner: bob\n        due: 2026-11-20\n      - title: Write the incident review\n        owner: ada\n        due: 2026-11-13\n        status: done\n",
        ),
    );
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &format!(
            "milestones:\n{}{}",
            launch(
                "L1",
                "2026-11-02",
                "    outcome:\n      incidents:\n        - {date: 2026-11-05, severity: sev2, title: Checkout errors}\n"
            ),
            launch(
                "L2",
                "2026-11-09",
                "    outcome:\n      launched: 2026-11-09\n      incidents:\n        - {date: 2026-11-10, severity: sev3, title: Typo on the receipt}\n"
            ),
        ),
    );
    // beta: strategic without a cost of delay; a rollback after the 14-day window (a
    // success, a failure) and a launch without a recorded outcome (not counted).
    repo.write(
        "p/programs/beta/program.yaml",
        &charter("Beta", "strategic: true\n"),
    );
    repo.write(
        "p/programs/beta/milestones.yaml",
        &format!(
            "milestones:\n{}{}",
            launch(
                "L1",
                "2026-11-02",
                "    outcome:\n      rolled_back: 2026-11-30\n"
            ),
            launch("L2", "2026-11-16", ""),
        ),
    );
    // gamma: not strategic; a clean launch; its success metric validated.
    repo.write(
        "p/programs/gamma/program.yaml",
        &charter(
            "Gamma",
            "success_metrics:\n  - metric: partners live\n    target: 10\n    actual: 12\n    validated: 2026-11-25\n",
        ),
    );
    repo.write(
        "p/programs/gamma/milestones.yaml",
        &format!(
            "milestones:\n{}",
            launch("L1", "2026-11-02", "    outcome: {}\n")
        ),
    );
    repo.commit(WHO, "2026-11-01T10:00:00Z", "Plan");
    let check = milepost()
        .current_dir(dir.path())
        .args(["check", "p", "--as-of", "2026-12-01", "--format", "json"])
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert!(
        findings["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["rule"] != "schema"),
        "the outcome fields are part of the format: {findings:#}"
    );
    let out = milepost()
        .current_dir(dir.path())
        .args(["metrics", "p", "--as-of", "2026-12-01", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kpi = |id: &str| {
        json["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id}"))
    };
    // Launches with an outcome: alpha/L1, alpha/L2, beta/L1, gamma/L1 (beta/L2 has none).
    // Successful: alpha/L2 (sev3 only), beta/L1 (rollback on day 28), gamma/L1: 3 of 4.
    let success = kpi("launch-success-rate");
    assert_eq!(
        (
            success["numerator"].as_u64(),
            success["denominator"].as_u64()
        ),
        (Some(3), Some(4))
    );
    assert_eq!(success["value"], 0.75);
    assert!(
        success["detail"]
            .as_str()
            .unwrap()
            .contains("1 launch without an outcome")
    );
    // Failures: alpha/L1, alpha/L2, beta/L1: 3 of 4.
    let failure = kpi("change-failure-rate");
    assert_eq!(
        (
            failure["numerator"].as_u64(),
            failure["denominator"].as_u64()
        ),
        (Some(3), Some(4))
    );
    // Programs that launched: alpha, beta, gamma; realised: gamma only.
    let benefits = kpi("benefits-realisation");
    assert_eq!(
        (
            benefits["numerator"].as_u64(),
            benefits["denominator"].as_u64()
        ),
        (Some(1), Some(3))
    );
    // Strategic: alpha, beta; with a cost of delay: alpha.
    let cod = kpi("cost-of-delay-visibility");
    assert_eq!(
        (cod["numerator"].as_u64(), cod["denominator"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(cod["value"], 0.5);

    // The monthly review lists each launch with its outcome.
    let review = milepost()
        .current_dir(dir.path())
        .args(["render", "review", "p", "--as-of", "2026-12-01"])
        .output()
        .unwrap();
    let md = String::from_utf8(review.stdout).unwrap();
    for line in [
        "**alpha/L1** Launch L1 launched 2026-11-02, on time: 1 sev2 incident",
        "**alpha/L2** Launch L2 launched 2026-11-09, on time: 1 sev3 incident",
        "**beta/L1** Launch L1 launched 2026-11-02, on time: rolled back 2026-11-30",
        "**beta/L2** Launch L2 launched 2026-11-16, on time: no outcome recorded",
        "**gamma/L1** Launch L1 launched 2026-11-02, on time: no incident",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    assert!(md.contains("| Launch success rate | **75%** |"), "{md}");
    // And the retrospective actions still open (the overdue one flagged; the done one not).
    assert!(
        md.contains("- **overdue** · Canary the checkout path — alpha, \"L1 retrospective\", Bob Stone, due 2026-11-20"),
        "{md}"
    );
    assert!(!md.contains("Write the incident review"), "{md}");
    // `milepost check` flags it too.
    let check = milepost()
        .current_dir(dir.path())
        .args(["check", "p", "--as-of", "2026-12-01", "--format", "json"])
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&check.stdout).unwrap();
    let overdue: Vec<&Value> = findings["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "retro-action-overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "{findings:#}");
}
