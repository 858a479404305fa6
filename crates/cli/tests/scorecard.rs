//! The scorecard on a scripted repository, every KPI against a value computed by hand:
//! launches with and without sev1/sev2 incidents, an approved and an unapproved target
//! move, dependencies resolved early and late, success metrics validated or not, cycle
//! times, the plan of record 28 days before each completion, and the trend and
//! per-program rows.
//!
//! The calendar is Monday to Friday without holidays; the as-of date is Monday 2026-11-30.

mod common;

use common::milepost;
use milepost_history::testing::TestRepo;
use serde_json::Value;

const WHO: &str = "Ada <ada@example.com>";

fn charter(name: &str, status: &str, target: &str, extra: &str) -> String {
    format!(
        "name: {name}\nstatus: {status}\nowner: ada\nsponsor: bob\nstart: 2026-09-01\ntarget: {target}\nobjectives: [Ship]\nscope:\n  in: [API]\n{extra}"
    )
}

fn ms(id: &str, extra: &str) -> String {
    format!("  - id: {id}\n    title: {id}\n    owner: ada\n{extra}")
}

struct State {
    alpha: String,
    gamma: String,
    beta: String,
    a: [String; 3],
    g: [String; 2],
    b: [String; 2],
    alpha_raid: String,
    beta_raid: String,
}

fn write(repo: &mut TestRepo, s: &State) {
    repo.write("p/programs/alpha/program.yaml", &s.alpha);
    repo.write("p/programs/gamma/program.yaml", &s.gamma);
    repo.write("p/programs/beta/program.yaml", &s.beta);
    repo.write(
        "p/programs/alpha/milestones.yaml",
        &format!("milestones:\n{}", s.a.concat()),
    );
    repo.write(
        "p/programs/gamma/milestones.yaml",
        &format!("milestones:\n{}", s.g.concat()),
    );
    repo.write(
        "p/programs/beta/milestones.yaml",
        &format!("milestones:\n{}", s.b.concat()),
    );
    repo.write("p/programs/alpha/raid.yaml", &s.alpha_raid);
    repo.write("p/programs/beta/raid.yaml", &s.beta_raid);
}

const ALPHA_EXTRA: &str = "strategic: true\ncost_of_delay: {per_week: 10000, currency: USD}\n";
const ALPHA_METRIC: &str = "success_metrics:\n  - metric: uptime\n    target: 99.9\n";
const R1: &str = "  - {id: R-1, title: Vendor slips, owner: ada, probability: high, impact: high, status: open, mitigation: Second vendor, due: 2026-12-01, raised: 2026-09-01, reviewed: 2026-11-20}\n";
const R1_CLOSED: &str = "  - {id: R-1, title: Vendor slips, owner: ada, probability: high, impact: high, status: closed, mitigation: Second vendor, due: 2026-12-01, raised: 2026-09-01, reviewed: 2026-11-20}\n";

fn repository(dir: &std::path::Path) -> TestRepo {
    let mut repo = TestRepo::init(dir);
    repo.write(
        "p/milepost.yaml",
        "name: Test portfolio\ngates:\n  launch-readiness:\n    - id: security-review\n      title: Security review\n",
    );
    repo.write(
        "p/people.yaml",
        "people:\n  - id: ada\n    name: Ada Lovelace\n  - id: bob\n    name: Bob Stone\nteams:\n  - id: core\n    name: Core\n    lead: ada\n",
    );
    repo.write(
        "p/programs/gamma/raid.yaml",
        "risks:\n  - {id: R-1, title: Partner churn, owner: bob, probability: low, impact: high, status: open, due: 2026-12-15, raised: 2026-09-01, reviewed: 2026-11-20}\n",
    );
    let beta_risks = "risks:\n  - {id: R-1, title: Hiring, owner: bob, probability: medium, impact: medium, status: open, mitigation: Contractors, due: 2026-12-15, raised: 2026-09-01, reviewed: 2026-11-20}\n  - {id: R-2, title: Outage, owner: bob, probability: medium, impact: critical, status: open, mitigation: Failover, due: 2026-12-15, raised: 2026-09-01, reviewed: 2026-11-20}\n";
    let mut s = State {
        alpha: charter(
            "Alpha",
            "active",
            "2026-10-30",
            &format!("{ALPHA_EXTRA}{ALPHA_METRIC}"),
        ),
        gamma: charter("Gamma", "active", "2026-10-16", "strategic: true\n"),
        beta: charter("Beta", "active", "2026-12-31", ""),
        a: [
            ms("A1", "    duration: 10d\n    target: 2026-09-18\n"),
            ms(
                "A2",
                "    duration: 10d\n    depends_on: [A1]\n    target: 2026-10-02\n",
            ),
            ms(
                "A3",
                "    kind: launch\n    duration: 5d\n    depends_on: [A2]\n    target: 2026-10-16\n",
            ),
        ],
        g: [
            ms("G1", "    duration: 5d\n    target: 2026-10-09\n"),
            ms(
                "G2",
                "    kind: launch\n    duration: 5d\n    depends_on: [G1]\n    target: 2026-10-16\n    gate: launch-readiness\n    readiness:\n      security-review: {status: done, evidence: https://example.com/sec}\n",
            ),
        ],
        b: [
            ms("B1", "    duration: 10d\n    target: 2026-11-13\n"),
            ms(
                "B2",
                "    duration: 10d\n    depends_on: [B1]\n    target: 2026-11-27\n",
            ),
        ],
        alpha_raid: format!(
            "risks:\n{R1}dependencies:\n  - {{id: D-1, title: Keys, provider: core, owner: ada, needed_by: 2026-09-30, raised: 2026-09-01, status: committed}}\n"
        ),
        beta_raid: beta_risks.to_owned(),
    };
    write(&mut repo, &s);
    repo.commit(WHO, "2026-09-01T10:00:00Z", "Plan of record");

    s.a[0] = ms(
        "A1",
        "    duration: 10d\n    target: 2026-09-18\n    status: done\n    started: 2026-09-01\n    completed: 2026-09-14\n",
    );
    s.alpha_raid = format!(
        "risks:\n{R1}dependencies:\n  - {{id: D-1, title: Keys, provider: core, owner: ada, needed_by: 2026-09-30, raised: 2026-09-01, status: delivered, delivered: 2026-09-10}}\n"
    );
    write(&mut repo, &s);
    repo.write(
        "p/programs/alpha/decisions.yaml",
        "decisions:\n  - {id: DEC-1, title: Vendor, status: decided, owner: ada, raised: 2026-09-01, decided: 2026-09-11, decided_by: bob, outcome: Vendor A}\n",
    );
    repo.commit(WHO, "2026-09-14T10:00:00Z", "A1 done; D-1 delivered");

    // An approved move of alpha's charter target: a pull request with an approval.
    s.alpha = charter(
        "Alpha",
        "active",
        "2026-11-13",
        &format!("{ALPHA_EXTRA}{ALPHA_METRIC}"),
    );
    s.g[0] = ms(
        "G1",
        "    duration: 5d\n    target: 2026-10-09\n    status: in_progress\n    started: 2026-10-01\n",
    );
    s.beta_raid = format!(
        "{beta_risks}dependencies:\n  - {{id: D-1, title: Data feed, provider: core, owner: bob, needed_by: 2026-11-30, raised: 2026-10-01, status: committed}}\n"
    );
    write(&mut repo, &s);
    repo.commit(
        WHO,
        "2026-10-01T10:00:00Z",
        "Move alpha's target (#7)\n\nApproved-by: Bob Stone <bob@example.com>\n",
    );

    s.g[0] = ms(
        "G1",
        "    duration: 5d\n    target: 2026-10-09\n    status: done\n    started: 2026-10-01\n    completed: 2026-10-07\n",
    );
    s.g[1] = s.g[1].replace(
        "    gate:",
        "    status: in_progress\n    started: 2026-10-08\n    gate:",
    );
    s.a[1] = ms(
        "A2",
        "    duration: 10d\n    depends_on: [A1]\n    target: 2026-10-02\n    status: done\n    started: 2026-09-15\n    completed: 2026-10-08\n",
    );
    write(&mut repo, &s);
    repo.commit(WHO, "2026-10-08T10:00:00Z", "G1 and A2 done");

    // An unapproved move of gamma's charter target: no pull request.
    s.gamma = charter("Gamma", "active", "2026-11-06", "strategic: true\n");
    s.a[2] = ms(
        "A3",
        "    kind: launch\n    duration: 5d\n    depends_on: [A2]\n    target: 2026-10-16\n    status: in_progress\n    started: 2026-10-12\n",
    );
    write(&mut repo, &s);
    repo.commit(WHO, "2026-10-12T10:00:00Z", "Gamma needs three more weeks");

    s.b[0] = ms(
        "B1",
        "    duration: 10d\n    target: 2026-11-13\n    status: in_progress\n    started: 2026-10-19\n",
    );
    s.alpha_raid = s.alpha_raid.replace(R1, R1_CLOSED);
    s.alpha_raid.push_str("issues:\n  - {id: I-1, title: Vendor contract, owner: ada, status: resolved, raised: 2026-10-05, escalated_to: bob, escalated_on: 2026-10-05, resolved: 2026-10-09}\n");
    write(&mut repo, &s);
    repo.commit(
        WHO,
        "2026-10-19T10:00:00Z",
        "Beta starts; vendor risk closed",
    );

    s.gamma = charter("Gamma", "done", "2026-11-06", "strategic: true\n");
    s.g[1] = s.g[1]
        .replace("status: in_progress", "status: done")
        .replace(
            "    gate:",
            "    completed: 2026-11-05\n    outcome: {launched: 2026-11-05}\n    gate:",
        );
    write(&mut repo, &s);
    repo.commit(WHO, "2026-11-05T10:00:00Z", "Gamma launched");

    s.b[0] = ms(
        "B1",
        "    duration: 10d\n    target: 2026-11-13\n    status: done\n    started: 2026-10-19\n    completed: 2026-11-06\n",
    );
    write(&mut repo, &s);
    repo.commit(WHO, "2026-11-06T10:00:00Z", "B1 done");

    s.a[2] = ms(
        "A3",
        "    kind: launch\n    duration: 5d\n    depends_on: [A2]\n    target: 2026-10-16\n    status: done\n    started: 2026-10-12\n    completed: 2026-11-10\n",
    );
    write(&mut repo, &s);
    repo.commit(WHO, "2026-11-10T10:00:00Z", "Alpha launched");

    s.alpha = charter(
        "Alpha",
        "done",
        "2026-11-13",
        &format!(
            "{ALPHA_EXTRA}success_metrics:\n  - metric: uptime\n    target: 99.9\n    actual: 99.95\n    validated: 2026-11-20\n"
        ),
    );
    s.a[2].push_str("    outcome:\n      incidents:\n        - {date: 2026-11-12, severity: sev2, title: Errors}\n");
    s.beta_raid = s.beta_raid.replace(
        "raised: 2026-10-01, status: committed",
        "raised: 2026-10-01, status: delivered, delivered: 2026-11-16",
    );
    write(&mut repo, &s);
    repo.commit(
        WHO,
        "2026-11-20T10:00:00Z",
        "Alpha done; outcome; beta's feed delivered",
    );
    repo
}

fn metrics(dir: &std::path::Path, extra: &[&str]) -> Value {
    let out = milepost()
        .current_dir(dir)
        .args(["metrics", "p", "--as-of", "2026-11-30", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["problems"],
        serde_json::json!([]),
        "every version parses"
    );
    json
}

fn kpi<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("no KPI {id}"))
}

/// `(numerator, denominator, value)`.
fn share(k: &Value) -> (Option<u64>, Option<u64>, Option<f64>) {
    (
        k["numerator"].as_u64(),
        k["denominator"].as_u64(),
        k["value"].as_f64(),
    )
}

/// The entity ids behind a KPI with `met` as given.
fn met(k: &Value, value: bool) -> Vec<String> {
    k["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["met"] == value)
        .map(|e| e["entity"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_kpi_matches_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let check = milepost()
        .current_dir(dir.path())
        .args(["check", "p", "--as-of", "2026-11-30", "--format", "json"])
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert!(
        findings["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|aging| aging["rule"] != "schema" && aging["rule"] != "yaml"),
        "{findings:#}"
    );
    let m = metrics(dir.path(), &[]);
    assert_eq!(m["tolerance_days"], 10);

    // Strategic programs: alpha and gamma. Done by `completed` against the first committed
    // target: A1 09-14 vs 09-18 (−4), A2 10-08 vs 10-02 (+4), A3 11-10 vs 10-16 (+17),
    // G1 10-07 vs 10-09 (−2), G2 11-05 vs 10-16 (+14): 3 of 5 within ±10.
    let variance = kpi(&m, "milestone-variance");
    assert_eq!(share(variance), (Some(3), Some(5), Some(0.6)));
    assert_eq!(met(variance, false), ["alpha/A3", "gamma/G2"]);
    assert_eq!(variance["status"], "missed");
    assert_eq!(variance["target"]["min"], 0.8);

    // alpha delivered 11-10: late against 10-30, on time against 11-13, moved in #7 with an
    // approval. gamma delivered 11-05 against 10-16; its move to 11-06 had no approval.
    let on_time = kpi(&m, "on-time-delivery");
    assert_eq!(share(on_time), (Some(1), Some(2), Some(0.5)));
    assert_eq!(met(on_time, true), ["alpha"]);
    assert_eq!(met(on_time, false), ["gamma"]);

    // One scope line per charter, none changed.
    assert_eq!(
        share(kpi(&m, "scope-change-rate")),
        (Some(0), Some(3), Some(0.0))
    );

    // alpha/D-1 raised 09-01, delivered 09-10 (9 days); beta/D-1 raised 10-01, delivered
    // 11-16 (46 days > 28).
    let aging = kpi(&m, "dependency-aging");
    assert_eq!(share(aging), (Some(1), Some(2), Some(0.5)));
    assert_eq!(met(aging, false), ["beta/D-1"]);

    // Live high/critical: beta/R-2 (covered), gamma/R-1 (no mitigation).
    let burn = kpi(&m, "risk-burn-down");
    assert_eq!(share(burn), (Some(1), Some(2), Some(0.5)));

    // Exposure: beta R-1 2×2 + R-2 2×4 + gamma R-1 1×3 = 15 now; with alpha R-1 (3×3) it
    // was 24 from 09-01 until the risk closed on 10-19. Weekly points 09-07 … 11-30.
    let exposure = kpi(&m, "risk-exposure");
    assert_eq!(exposure["value"], 15.0);
    let series: Vec<f64> = exposure["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(
        series,
        [
            24.0, 24.0, 24.0, 24.0, 24.0, 24.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0
        ]
    );
    assert_eq!(exposure["series"][0]["date"], "2026-09-07");
    assert_eq!(exposure["status"], "met", "trending down");

    // I-1 escalated Monday 10-05, resolved Friday 10-09: 4 business days.
    assert_eq!(kpi(&m, "escalation-cycle-time")["value"], 4.0);

    // Completed in the 13 weeks to 11-30: A1, A2, A3, G1, G2, B1 (10+10+5+5+5+10 = 45
    // work days); per week: A1 in the week to 09-14, A2 and G1 to 10-12, G2 and B1 to 11-09,
    // A3 to 11-16.
    let throughput = kpi(&m, "throughput");
    assert_eq!(throughput["value"], 6.0);
    assert!(
        throughput["detail"]
            .as_str()
            .unwrap()
            .contains("45 work days"),
        "{throughput:#}"
    );
    let weekly: Vec<f64> = throughput["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(
        weekly,
        [
            0.0, 1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0
        ]
    );

    // Cycle times (started → completed, both days counted): A1 10, A2 18, A3 22, G1 5,
    // G2 21, B1 15. Median 16.5; mean 91/6; sample variance 218.8333/5 = 43.7667.
    let cycle = kpi(&m, "cycle-time");
    assert_eq!(cycle["value"], 16.5);
    let chart = &cycle["control"];
    let mean = 91.0 / 6.0;
    let sigma = (218.833_333_333_333_3_f64 / 5.0).sqrt();
    assert!(
        (chart["mean"].as_f64().unwrap() - mean).abs() < 1e-9,
        "{chart:#}"
    );
    assert!(
        (chart["sigma"].as_f64().unwrap() - sigma).abs() < 1e-9,
        "{chart:#}"
    );
    assert!((chart["upper"].as_f64().unwrap() - (mean + 3.0 * sigma)).abs() < 1e-9);
    assert_eq!(chart["lower"], 0.0, "mean − 3σ is negative");
    let points: Vec<(&str, f64)> = chart["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["entity"].as_str().unwrap(), p["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        points,
        [
            ("alpha/A1", 10.0),
            ("gamma/G1", 5.0),
            ("alpha/A2", 18.0),
            ("gamma/G2", 21.0),
            ("beta/B1", 15.0),
            ("alpha/A3", 22.0)
        ]
    );

    // alpha (done) validated its one metric; gamma (done) has none.
    assert_eq!(
        share(kpi(&m, "benefits-realisation")),
        (Some(1), Some(2), Some(0.5))
    );
    // A3: sev2 two days after going live; G2: no incident.
    let launch = kpi(&m, "launch-success-rate");
    assert_eq!(share(launch), (Some(1), Some(2), Some(0.5)));
    assert_eq!(met(launch, true), ["gamma/G2"]);
    let failure = kpi(&m, "change-failure-rate");
    assert_eq!(share(failure), (Some(1), Some(2), Some(0.5)));
    assert_eq!(failure["series"][0]["label"], "2026-Q4");
    // A3 has no gate; G2 passed its gate.
    assert_eq!(
        share(kpi(&m, "readiness-compliance")),
        (Some(1), Some(2), Some(0.5))
    );
    // alpha has accuracy cost of delay, gamma none.
    assert_eq!(
        share(kpi(&m, "cost-of-delay-visibility")),
        (Some(1), Some(2), Some(0.5))
    );

    // The plan 28 days before each completion: A2 (plan of 09-01: 09-28, +8), A3 (10-12:
    // 10-16, +17), G1 (09-01: 09-07, +22), G2 (10-08: 10-14, +16), B1 (10-08: 10-21, +12);
    // A1 (09-14) has no commit 28 days before.
    let accuracy = kpi(&m, "forecast-accuracy");
    assert_eq!(share(accuracy), (Some(1), Some(5), Some(0.2)));
    assert_eq!(met(accuracy, true), ["alpha/A2"]);
    assert!(
        accuracy["detail"]
            .as_str()
            .unwrap()
            .contains("median error 16 work days"),
        "{accuracy:#}"
    );

    assert_eq!(kpi(&m, "decision-latency")["value"], 10.0);
    // Targets now (open by target): B1 −5, B2 0 with the others as above: 5 of 7.
    assert_eq!(
        share(kpi(&m, "target-drift")),
        (Some(5), Some(7), Some(5.0 / 7.0))
    );
    // Done by their baseline: A1, G1, B1 of the six done.
    assert_eq!(
        share(kpi(&m, "milestone-on-time")),
        (Some(3), Some(6), Some(0.5))
    );
    assert!(kpi(&m, "dependency-age-open")["value"].is_null());
}

#[test]
fn per_program_and_trend_rows_match_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let m = metrics(dir.path(), &["--by", "program"]);
    let row = |program: &str, id: &str| -> Value {
        m["programs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["program"] == program)
            .unwrap()["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .unwrap()
            .clone()
    };
    // beta alone (not strategic, so all of it): B1 done −5; B2 planned from Monday 11-30,
    // 10 work days, to 12-11: +10 against 11-27 — on the tolerance.
    assert_eq!(
        share(&row("beta", "milestone-variance")),
        (Some(2), Some(2), Some(1.0))
    );
    assert_eq!(
        share(&row("alpha", "on-time-delivery")),
        (Some(1), Some(1), Some(1.0))
    );
    assert_eq!(
        share(&row("gamma", "on-time-delivery")),
        (Some(0), Some(1), Some(0.0))
    );
    assert_eq!(row("gamma", "on-time-delivery")["status"], "missed");

    let m = metrics(dir.path(), &["--by", "month", "--periods", "3"]);
    let trend = m["trend"].as_array().unwrap();
    let periods: Vec<&str> = trend
        .iter()
        .map(|r| r["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2026-09", "2026-10", "2026-11"]);
    let at = |i: usize, id: &str| -> Option<f64> {
        trend[i]["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .unwrap()["value"]
            .as_f64()
    };
    // Done by 09-30: A1; by 10-31: A1, A2, G1; by 11-30: six.
    assert_eq!(
        [
            at(0, "throughput"),
            at(1, "throughput"),
            at(2, "throughput")
        ],
        [Some(1.0), Some(3.0), Some(6.0)]
    );
    assert_eq!(
        [
            at(0, "risk-exposure"),
            at(1, "risk-exposure"),
            at(2, "risk-exposure")
        ],
        [Some(24.0), Some(15.0), Some(15.0)]
    );
    // No program was done in September or October.
    assert_eq!(
        [
            at(0, "on-time-delivery"),
            at(1, "on-time-delivery"),
            at(2, "on-time-delivery")
        ],
        [None, None, Some(0.5)]
    );
    assert_eq!(trend[0]["end"], "2026-09-30");
    assert_eq!(trend[2]["end"], "2026-11-30");

    // The table prints both.
    let out = milepost()
        .current_dir(dir.path())
        .args([
            "metrics",
            "p",
            "--as-of",
            "2026-11-30",
            "--by",
            "month",
            "--periods",
            "3",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Trend"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["throughput", "1", "3", "6"]),
        "{table}"
    );
}

/// A hostile scorecard.yaml: every bad value is one located error with a hint, the good
/// KPIs still load, and nothing panics.
#[test]
fn a_broken_scorecard_is_reported_value_by_value() {
    let dir = common::portfolio(&[(
        "scorecard.yaml",
        b"kpis:\n  - id: a\n    name: A\n    values:\n      - {date: 2026-13-01, value: 3}\n      - {date: 2026-10-01, value: high}\n      - {date: 2026-10-02, value: 4}\n  - id: a\n    name: A again\n  - id: b\n    name: B\n    unit: percent\n  - name: no id\n  - id: c\n    name: C\n    target: {min: 0.5, above: 1}\n",
    )]);
    let (code, json) = common::check_json(dir.path());
    assert_eq!(code, 1, "{json:#}");
    let found: Vec<(String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "scorecard.yaml")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["hint"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let lines: Vec<(&str, u64)> = found.iter().map(|(r, l, _)| (r.as_str(), *l)).collect();
    assert_eq!(
        lines,
        [
            ("schema", 5),
            ("schema", 6),
            ("id-duplicate", 8),
            ("schema", 12),
            ("schema", 13),
            ("schema", 16)
        ],
        "{json:#}"
    );
    assert!(
        found.iter().all(|(_, _, hint)| !hint.is_empty()),
        "{found:?}"
    );
}
