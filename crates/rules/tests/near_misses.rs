//! The edges of each rule: thresholds exactly at the limit stay silent, one day past fires,
//! states a rule ignores stay silent, and related rules defer to each other so one mistake
//! gives one message.

mod common;

use common::{file, of, render, run};
use milepost_rules::Example;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The number of findings of `rule` for these files, after asserting no other rule fires
/// unless listed in `also`.
fn count(rule: &str, files: &[Example], also: &[&str]) -> usize {
    let (p, d) = run(files);
    for x in &d {
        assert!(
            x.rule == rule || also.contains(&x.rule),
            "unexpected `{}` while testing `{rule}`:\n{}",
            x.rule,
            render(&p, &d)
        );
    }
    of(&d, rule).len()
}

fn raid(yaml: String) -> Example {
    file("programs/alpha/raid.yaml", leak(yaml))
}

fn milestones(yaml: &str) -> Example {
    file(
        "programs/alpha/milestones.yaml",
        leak(format!(
            "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
{yaml}"
        )),
    )
}

fn risk(impact: &str, status: &str, extra: &str) -> Example {
    raid(format!(
        "risks:
  - id: R-1
    title: Something may go wrong
    owner: bob
    probability: medium
    impact: {impact}
    status: {status}
{extra}"
    ))
}

const MITIGATED: &str = "    mitigation: Do the thing.\n    due: 2026-12-18\n";

#[test]
fn risk_stale_boundaries() {
    let at = |impact: &str, reviewed: &str| {
        count(
            "risk-stale",
            &[risk(
                impact,
                "open",
                &format!("{MITIGATED}    raised: 2026-09-01\n    reviewed: {reviewed}\n"),
            )],
            &[],
        )
    };
    assert_eq!(at("medium", "2026-11-09"), 0, "14 days: on the limit");
    assert_eq!(at("medium", "2026-11-08"), 1, "15 days");
    assert_eq!(at("high", "2026-11-16"), 0, "7 days for high impact");
    assert_eq!(at("high", "2026-11-15"), 1, "8 days for high impact");
    assert_eq!(
        at("critical", "2026-11-15"),
        1,
        "critical is as strict as high"
    );
    assert_eq!(
        at("low", "2026-12-01"),
        0,
        "a review in the future is not stale"
    );
}

#[test]
fn risk_stale_falls_back_to_raised_and_skips_settled_risks() {
    let never = |raised: &str| {
        count(
            "risk-stale",
            &[risk(
                "medium",
                "mitigating",
                &format!("{MITIGATED}    raised: {raised}\n"),
            )],
            &[],
        )
    };
    assert_eq!(never("2026-11-09"), 0);
    assert_eq!(never("2026-11-01"), 1);
    assert_eq!(
        count("risk-stale", &[risk("medium", "open", MITIGATED)], &[]),
        1,
        "no dates and no history: never reviewed"
    );
    let old = format!("{MITIGATED}    raised: 2026-01-01\n    reviewed: 2026-01-01\n");
    assert_eq!(
        count("risk-stale", &[risk("medium", "closed", &old)], &[]),
        0
    );
    assert_eq!(
        count(
            "risk-stale",
            &[risk(
                "medium",
                "accepted",
                &format!("{old}    accepted_by: cy\n")
            )],
            &[]
        ),
        0
    );
}

#[test]
fn risk_unmitigated_edges() {
    let recent = "    raised: 2026-11-16\n    reviewed: 2026-11-20\n";
    let c = |impact: &str, status: &str, extra: &str| {
        count(
            "risk-unmitigated",
            &[risk(impact, status, &format!("{extra}{recent}"))],
            &[],
        )
    };
    assert_eq!(c("medium", "open", ""), 0, "medium impact needs no plan");
    assert_eq!(c("high", "closed", ""), 0);
    assert_eq!(
        c("high", "open", "    mitigation: Do the thing.\n"),
        1,
        "no due date"
    );
    assert_eq!(
        c("critical", "open", "    due: 2026-12-18\n"),
        1,
        "no mitigation"
    );
    assert_eq!(
        c(
            "critical",
            "open",
            "    mitigation: Do the thing.\n    due: 2026-11-23\n"
        ),
        0,
        "due today"
    );
    let (p, d) = run(&[risk(
        "critical",
        "mitigating",
        &format!("    mitigation: Do the thing.\n    due: 2026-11-20\n{recent}"),
    )]);
    let past = of(&d, "risk-unmitigated");
    assert_eq!(past.len(), 1, "{}", render(&p, &d));
    assert!(
        past[0]
            .message
            .contains("past its mitigation due date 2026-11-20")
    );
    assert_eq!(past[0].location.as_ref().unwrap().span.line, 9, "at `due`");
}

#[test]
fn risk_accepted_unapproved_only_for_accepted() {
    let base = "    raised: 2026-11-16\n    reviewed: 2026-11-20\n";
    assert_eq!(
        count(
            "risk-accepted-unapproved",
            &[risk("low", "accepted", base)],
            &[]
        ),
        1
    );
    assert_eq!(
        count(
            "risk-accepted-unapproved",
            &[risk("low", "open", base)],
            &[]
        ),
        0
    );
    assert_eq!(
        count(
            "risk-accepted-unapproved",
            &[risk(
                "low",
                "accepted",
                &format!("{base}    acceptd_by: cy\n")
            )],
            &["schema"]
        ),
        0,
        "a misspelt accepted_by is the schema finding alone"
    );
}

fn dependency(status: &str, raised: &str, needed_by: &str) -> Example {
    raid(format!(
        "dependencies:
  - id: D-1
    title: Load-test environment
    provider: platform
    owner: ada
    needed_by: {needed_by}
    raised: {raised}
    status: {status}
"
    ))
}

#[test]
fn dependency_aging_boundaries() {
    assert_eq!(
        count(
            "dependency-aging",
            &[dependency("requested", "2026-10-24", "2027-01-15")],
            &[]
        ),
        0,
        "30 days"
    );
    assert_eq!(
        count(
            "dependency-aging",
            &[dependency("requested", "2026-10-23", "2027-01-15")],
            &[]
        ),
        1,
        "31 days"
    );
    assert_eq!(
        count(
            "dependency-aging",
            &[dependency("at_risk", "2026-08-01", "2027-01-15")],
            &[]
        ),
        0
    );
    // Late and unanswered: the lateness is the message.
    assert_eq!(
        count(
            "dependency-late",
            &[dependency("requested", "2026-08-01", "2026-11-20")],
            &[]
        ),
        1
    );
}

#[test]
fn dependency_late_boundaries() {
    assert_eq!(
        count(
            "dependency-late",
            &[dependency("committed", "2026-11-02", "2026-11-23")],
            &[]
        ),
        0,
        "needed today"
    );
    assert_eq!(
        count(
            "dependency-late",
            &[dependency("at_risk", "2026-11-02", "2026-11-20")],
            &[]
        ),
        1
    );
    assert_eq!(
        count(
            "dependency-late",
            &[dependency("cancelled", "2026-11-02", "2026-11-20")],
            &[]
        ),
        0
    );
}

#[test]
fn owner_missing_covers_every_kind() {
    let raid_without_owners = raid(
        "risks:
  - id: R-1
    title: Something may go wrong
    probability: low
    impact: low
    status: closed
issues:
  - id: I-1
    title: Something went wrong
    status: resolved
dependencies:
  - id: D-1
    title: Something we need
    provider: platform
    status: delivered
"
        .to_owned(),
    );
    assert_eq!(count("owner-missing", &[raid_without_owners], &[]), 3);
    let decisions = file(
        "programs/alpha/decisions.yaml",
        "decisions:
  - id: DEC-1
    title: Open question
    status: proposed
    raised: 2026-11-20
  - id: DEC-2
    title: Settled question
    status: decided
    raised: 2026-10-01
    decided: 2026-10-10
    decided_by: cy
",
    );
    assert_eq!(
        count("owner-missing", &[decisions], &[]),
        1,
        "only the open decision"
    );
    let program = file(
        "programs/alpha/program.yaml",
        "name: Alpha
status: active
sponsor: cy
objectives: [Ship]
success_metrics: [{metric: Partners live}]
scope: {in: [API]}
",
    );
    assert_eq!(count("owner-missing", &[program], &[]), 1);
}

#[test]
fn raci_accountable_edges() {
    let raci = |accountable: &str| {
        file(
            "programs/alpha/raci.yaml",
            leak(format!(
                "raci:\n  - activity: Go / no-go\n    responsible: [ada]\n{accountable}"
            )),
        )
    };
    assert_eq!(
        count("raci-accountable", &[raci("    accountable: [cy]\n")], &[]),
        0,
        "a list of one is fine"
    );
    assert_eq!(
        count("raci-accountable", &[raci("    accountable: []\n")], &[]),
        1
    );
    assert_eq!(count("raci-accountable", &[raci("")], &[]), 1);
    let (p, d) = run(&[raci("")]);
    assert_eq!(
        d[0].entity.as_deref(),
        Some("alpha RACI row 1 (`Go / no-go`)"),
        "{}",
        render(&p, &d)
    );
}

#[test]
fn raci_responsible_edges() {
    let raci = |responsible: &str| {
        file(
            "programs/alpha/raci.yaml",
            leak(format!(
                "raci:\n  - id: RACI-1\n    activity: Load test\n    accountable: ada\n{responsible}"
            )),
        )
    };
    assert_eq!(
        count("raci-responsible", &[raci("    responsible: []\n")], &[]),
        1
    );
    assert_eq!(
        count(
            "raci-responsible",
            &[raci("    responsible: [core]\n")],
            &["owner-unknown"]
        ),
        0,
        "an unknown id is owner-unknown's"
    );
}

fn launch(status: &str, target: &str, readiness: &str) -> Example {
    milestones(&format!(
        "  - id: M2
    title: Launch
    owner: ada
    kind: launch
    launch_plan: {{rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}}
    duration: 0d
    depends_on: [M1]
    target: {target}
    status: {status}
{completed}    gate: launch-readiness
{readiness}",
        completed = if status == "done" {
            "    completed: 2026-11-20\n"
        } else {
            ""
        }
    ))
}

const PENDING: &str = "    readiness:
      security-review: {status: pending, owner: bob}
      runbook: {status: done, owner: ada}
";

#[test]
fn gate_incomplete_window() {
    // 2026-12-07 is 10 work days after Monday 2026-11-23; 2026-12-08 is 11.
    assert_eq!(
        count(
            "gate-incomplete",
            &[launch("planned", "2026-12-07", PENDING)],
            &[]
        ),
        1
    );
    assert_eq!(
        count(
            "gate-incomplete",
            &[launch("planned", "2026-12-08", PENDING)],
            &[]
        ),
        0
    );
    assert_eq!(
        count(
            "gate-incomplete",
            &[launch("done", "2027-06-01", PENDING)],
            &[]
        ),
        1,
        "done: always checked"
    );
    assert_eq!(
        count(
            "gate-incomplete",
            &[launch("cancelled", "2026-12-01", PENDING)],
            &[]
        ),
        0
    );
}

#[test]
fn gate_incomplete_items() {
    let waived_no_approver = "    readiness:
      security-review: {status: waived, owner: bob}
      runbook: {status: done, owner: ada}
";
    assert_eq!(
        count(
            "gate-incomplete",
            &[launch("planned", "2026-12-01", waived_no_approver)],
            &[]
        ),
        1
    );
    let (p, d) = run(&[launch(
        "planned",
        "2026-12-01",
        "    readiness:\n      runbook: {status: blocked, owner: ada}\n",
    )]);
    let gate = of(&d, "gate-incomplete");
    assert_eq!(gate.len(), 2, "{}", render(&p, &d));
    assert!(gate.iter().any(|g| {
        g.message
            .contains("no readiness entry for `security-review` (an item of gate")
    }));
    assert!(gate.iter().any(|g| {
        g.message
            .contains("`runbook` of launch alpha/M2 is still `blocked`")
    }));
    let (p, d) = run(&[launch("planned", "2026-12-01", "")]);
    let gate = of(&d, "gate-incomplete");
    assert_eq!(
        gate.len(),
        1,
        "one finding for all missing items: {}",
        render(&p, &d)
    );
    assert!(gate[0].message.contains("`security-review`, `runbook`"));
}

#[test]
fn gate_incomplete_defers_to_ref_unknown() {
    let unknown_gate = milestones(
        "  - id: M2
    title: Launch
    owner: ada
    kind: launch
    launch_plan: {rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}
    depends_on: [M1]
    target: 2026-12-01
    gate: launch-readyness
",
    );
    assert_eq!(
        count("gate-incomplete", &[unknown_gate], &["ref-unknown"]),
        0
    );
    let bad_status = "    readiness:
      security-review: {status: finished, owner: bob}
      runbook: {status: done, owner: ada}
";
    assert_eq!(
        count(
            "gate-incomplete",
            &[launch("planned", "2026-12-01", bad_status)],
            &["schema"]
        ),
        0
    );
}

fn two_chained(m2_target: &str, m3_target: &str) -> Example {
    milestones(&format!(
        "  - id: M2
    title: Build
    owner: ada
    duration: 3w
    depends_on: [M1]
    target: {m2_target}
  - id: M3
    title: Roll out
    owner: bob
    duration: 1w
    depends_on: [M2]
    target: {m3_target}
"
    ))
}

#[test]
fn milestone_slip_reports_a_late_chain_once() {
    // M2 finishes 2026-12-11 and M3 2026-12-18.
    assert_eq!(
        count(
            "milestone-slip",
            &[two_chained("2026-12-11", "2026-12-18")],
            &[]
        ),
        0,
        "on the targets"
    );
    let (p, d) = run(&[two_chained("2026-12-04", "2026-12-11")]);
    let slips = of(&d, "milestone-slip");
    assert_eq!(slips.len(), 1, "{}", render(&p, &d));
    assert!(
        slips[0].message.contains("alpha/M2")
            && slips[0].message.contains("delays 1 later milestone")
    );
    assert!(
        slips[0]
            .related
            .iter()
            .any(|r| r.message.contains("alpha/M3 finishes 2026-12-18"))
    );
    insta::assert_snapshot!("slip_chain", render(&p, &d));
    // M3 late on its own account: its own finding.
    assert_eq!(
        count(
            "milestone-slip",
            &[two_chained("2026-12-11", "2026-12-17")],
            &[]
        ),
        1
    );
}

#[test]
fn milestone_slip_tolerance_and_overdue() {
    let tolerant = file(
        "milepost.yaml",
        "name: Example portfolio\nrules:\n  milestone-slip:\n    tolerance_days: 5\n",
    );
    assert_eq!(
        count(
            "milestone-slip",
            &[two_chained("2026-12-04", "2026-12-11"), tolerant],
            &[]
        ),
        0
    );
    // An overdue milestone is milestone-overdue's, and so is the chain it delays.
    let overdue = two_chained("2026-11-20", "2026-12-11");
    assert_eq!(count("milestone-overdue", &[overdue], &[]), 1);
}

#[test]
fn milestone_slip_still_runs_outside_a_cycle() {
    let files = milestones(
        "  - id: M2
    title: Late, not in the cycle
    owner: ada
    duration: 3w
    depends_on: [M1]
    target: 2026-12-04
  - id: M3
    title: In a cycle
    owner: bob
    duration: 1w
    depends_on: [M4]
    target: 2026-11-30
  - id: M4
    title: In a cycle too
    owner: bob
    duration: 1w
    depends_on: [M3]
    target: 2026-11-30
",
    );
    let (p, d) = run(&[files]);
    let rules: Vec<&str> = d.iter().map(|x| x.rule).collect();
    assert_eq!(
        rules,
        ["milestone-slip", "dependency-cycle"],
        "{}",
        render(&p, &d)
    );
}

#[test]
fn milestone_overdue_edges() {
    let m2 = |status: &str, target: &str| {
        milestones(&format!(
            "  - id: M2\n    title: Sandbox\n    owner: bob\n    duration: 0d\n    depends_on: [M1]\n    target: {target}\n    status: {status}\n"
        ))
    };
    assert_eq!(
        count(
            "milestone-overdue",
            &[m2("in_progress", "2026-11-23")],
            &["progress-unanchored"]
        ),
        0,
        "due today"
    );
    assert_eq!(
        count("milestone-overdue", &[m2("planned", "2026-11-22")], &[]),
        1
    );
    assert_eq!(
        count("milestone-overdue", &[m2("cancelled", "2026-11-01")], &[]),
        0
    );
}

#[test]
fn decision_stale_boundaries() {
    let d = |status: &str, raised: &str| {
        file(
            "programs/alpha/decisions.yaml",
            leak(format!(
                "decisions:\n  - id: DEC-1\n    title: Which?\n    owner: ada\n    status: {status}\n    raised: {raised}\n"
            )),
        )
    };
    assert_eq!(
        count("decision-stale", &[d("proposed", "2026-11-02")], &[]),
        0,
        "21 days"
    );
    assert_eq!(
        count("decision-stale", &[d("proposed", "2026-11-01")], &[]),
        1,
        "22 days"
    );
    assert_eq!(
        count("decision-stale", &[d("superseded", "2026-01-01")], &[]),
        0
    );
}

fn program(health: &str, status: &str) -> Example {
    file(
        "programs/alpha/program.yaml",
        leak(format!(
            "name: Alpha\nstatus: {status}\nhealth: {health}\nsponsor: cy\nowner: ada\nobjectives: [Ship]\nsuccess_metrics: [{{metric: Partners live}}]\nscope: {{in: [API]}}\n"
        )),
    )
}

#[test]
fn health_mismatch_evidence() {
    let critical = risk(
        "critical",
        "open",
        "    raised: 2026-11-16\n    reviewed: 2026-11-20\n",
    );
    assert_eq!(
        count(
            "health-mismatch",
            &[program("green", "active"), critical],
            &["risk-unmitigated"]
        ),
        1
    );
    let high = risk(
        "high",
        "open",
        "    raised: 2026-11-16\n    reviewed: 2026-11-20\n",
    );
    assert_eq!(
        count(
            "health-mismatch",
            &[program("green", "active"), high],
            &["risk-unmitigated"]
        ),
        0,
        "only critical risks"
    );
    let slipping = two_chained("2026-12-04", "2026-12-18");
    assert_eq!(
        count(
            "health-mismatch",
            &[program("green", "active"), slipping],
            &["milestone-slip"]
        ),
        1
    );
    let overdue = two_chained("2026-11-20", "2026-12-18");
    assert_eq!(
        count(
            "health-mismatch",
            &[program("red", "active"), overdue],
            &["milestone-overdue"]
        ),
        0
    );
    assert_eq!(
        count(
            "health-mismatch",
            &[program("green", "done"), overdue],
            &["milestone-overdue"]
        ),
        0
    );
}

#[test]
fn charter_incomplete_edges() {
    let charter = |status: &str, rest: &str| {
        file(
            "programs/alpha/program.yaml",
            leak(format!(
                "name: Alpha\nstatus: {status}\nsponsor: cy\nowner: ada\n{rest}"
            )),
        )
    };
    assert_eq!(
        count("charter-incomplete", &[charter("proposed", "")], &[]),
        0
    );
    assert_eq!(
        count(
            "charter-incomplete",
            &[charter(
                "active",
                "objectives: [Ship]\nsuccess_metrics: [{metric: Partners live}]\nscope: {out: [Mobile]}\n"
            )],
            &[]
        ),
        1,
        "scope with nothing in"
    );
    let (p, d) = run(&[charter(
        "active",
        "objectives: [Ship]\nsuccess_metrics: [{metric: Partners live}]\n",
    )]);
    assert!(
        of(&d, "charter-incomplete")[0]
            .message
            .ends_with("has no scope"),
        "{}",
        render(&p, &d)
    );
}

#[test]
fn progress_overdue_and_unanchored_edges() {
    let m2 = |anchor: &str| {
        milestones(&format!(
            "  - id: M2\n    title: Sandbox\n    owner: bob\n    duration: 1w\n    depends_on: [M1]\n    target: 2026-12-18\n    status: in_progress\n{anchor}"
        ))
    };
    // An ETA today is not overdue; yesterday is.
    assert_eq!(
        count("progress-overdue", &[m2("    eta: 2026-11-23\n")], &[]),
        0
    );
    assert_eq!(
        count("progress-overdue", &[m2("    eta: 2026-11-20\n")], &[]),
        1
    );
    // started + duration: 2026-11-17 + 5 work days ends 2026-11-23 (today); a day earlier
    // ends on Friday 2026-11-20, before the as-of Monday.
    assert_eq!(
        count("progress-overdue", &[m2("    started: 2026-11-17\n")], &[]),
        0
    );
    assert_eq!(
        count("progress-overdue", &[m2("    started: 2026-11-16\n")], &[]),
        1
    );
    // An ETA wins over started + duration.
    assert_eq!(
        count(
            "progress-overdue",
            &[m2("    started: 2026-11-02\n    eta: 2026-12-01\n")],
            &[]
        ),
        0
    );
    // Either anchor silences progress-unanchored; neither fires it.
    assert_eq!(
        count("progress-unanchored", &[m2("    eta: 2026-12-01\n")], &[]),
        0
    );
    assert_eq!(
        count(
            "progress-unanchored",
            &[m2("    started: 2026-11-20\n")],
            &[]
        ),
        0
    );
    assert_eq!(count("progress-unanchored", &[m2("")], &[]), 1);
}

#[test]
fn milestone_overdue_names_the_milestones_its_delay_pushes_past_their_targets() {
    // M2 is overdue (due Friday 2026-11-20, still planned); M3 waits for it and, planned from
    // today, finishes 2026-12-04, past its target 2026-11-27. M4 also waits but has room.
    let files = [milestones(
        "  - id: M2
    title: Sandbox
    owner: bob
    duration: 1w
    depends_on: [M1]
    target: 2026-11-20
  - id: M3
    title: Pilot
    owner: ada
    duration: 1w
    depends_on: [M2]
    target: 2026-11-27
  - id: M4
    title: Docs
    owner: ada
    duration: 1d
    depends_on: [M2]
    target: 2026-12-18
",
    )];
    assert_eq!(
        count("milestone-overdue", &files, &[]),
        1,
        "M3 is not also a slip"
    );
    let (_, d) = run(&files);
    let overdue = &of(&d, "milestone-overdue")[0];
    assert!(
        overdue
            .message
            .ends_with("; its delay pushes alpha/M3 past its target"),
        "{}",
        overdue.message
    );
    assert_eq!(overdue.related.len(), 1);
    assert_eq!(
        overdue.related[0].message,
        "alpha/M3 is pushed past this target"
    );
    assert_eq!(overdue.related[0].location.span.line, 20);
}

#[test]
fn risk_stale_fires_on_a_risk_nothing_dates() {
    // Outside git, a live risk with neither `reviewed` nor `raised` was never reviewed.
    assert_eq!(count("risk-stale", &[risk("low", "open", "")], &[]), 1);
    let (_, d) = run(&[risk("low", "open", "")]);
    assert!(
        of(&d, "risk-stale")[0]
            .message
            .contains("has never been reviewed")
    );
    // Either date, recent enough, keeps it quiet; a closed risk is not live.
    assert_eq!(
        count(
            "risk-stale",
            &[risk("low", "open", "    raised: 2026-11-20\n")],
            &[]
        ),
        0
    );
    assert_eq!(
        count(
            "risk-stale",
            &[risk("low", "open", "    reviewed: 2026-11-20\n")],
            &[]
        ),
        0
    );
    assert_eq!(count("risk-stale", &[risk("low", "closed", "")], &[]), 0);
}

fn charter(health: &str, target: &str) -> Example {
    file(
        "programs/alpha/program.yaml",
        leak(format!(
            "name: Alpha\nstatus: active\nhealth: {health}\nsponsor: cy\nowner: ada\nstart: 2026-11-02\ntarget: {target}\nobjectives: [Ship]\nsuccess_metrics: [{{metric: Partners live}}]\nscope: {{in: [API]}}\n"
        )),
    )
}

#[test]
fn health_mismatch_for_any_declared_colour() {
    // M2 finishes 2026-12-11, M3 2026-12-18 (see two_chained).
    let small = two_chained("2026-12-04", "2026-12-18"); // 5 work days late: amber evidence
    let far = two_chained("2026-11-24", "2026-12-18"); // 13 work days late: red evidence
    let overdue = two_chained("2026-11-20", "2026-12-18");
    let on_time = two_chained("2026-12-11", "2026-12-18");
    let within = charter("amber", "2027-01-29");
    assert_eq!(
        count("health-mismatch", &[within, small], &["milestone-slip"]),
        0,
        "amber evidence does not contradict amber"
    );
    let (p, d) = run(&[charter("amber", "2027-01-29"), far]);
    let found = of(&d, "health-mismatch");
    assert_eq!(found.len(), 1, "{}", render(&p, &d));
    assert!(
        found[0]
            .message
            .contains("declared amber, but the evidence is red"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].related.len(), 1);
    assert_eq!(
        count(
            "health-mismatch",
            &[charter("amber", "2027-01-29"), overdue],
            &["milestone-overdue"]
        ),
        1
    );
    // The plan finishing after the charter's target is red evidence, for green and amber.
    for health in ["green", "amber"] {
        assert_eq!(
            count(
                "health-mismatch",
                &[charter(health, "2026-12-17"), on_time],
                &["program-late", "target-outside-program"]
            ),
            1,
            "{health}"
        );
    }
    assert_eq!(
        count(
            "health-mismatch",
            &[charter("red", "2026-12-17"), on_time],
            &["program-late", "target-outside-program"]
        ),
        0,
        "red is never contradicted"
    );
    // The threshold between amber and red evidence is configurable.
    let relaxed = file(
        "milepost.yaml",
        "name: Example portfolio\nrules:\n  health-mismatch:\n    off_track_days: 15\n",
    );
    assert_eq!(
        count(
            "health-mismatch",
            &[charter("amber", "2027-01-29"), far, relaxed],
            &["milestone-slip"]
        ),
        0
    );
    // An unmitigated critical risk is amber evidence only.
    let critical = risk(
        "critical",
        "open",
        "    raised: 2026-11-16\n    reviewed: 2026-11-20\n",
    );
    assert_eq!(
        count(
            "health-mismatch",
            &[charter("amber", "2027-01-29"), critical],
            &["risk-unmitigated"]
        ),
        0
    );
}

fn launch_after(pred_target: &str, launch_target: &str) -> Example {
    milestones(&format!(
        "  - id: M2
    title: Build
    owner: ada
    duration: 3w
    depends_on: [M1]
    target: {pred_target}
  - id: M3
    title: Partner launch
    kind: launch
    launch_plan: {{rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}}
    owner: bob
    duration: 1w
    depends_on: [M2]
    target: {launch_target}
"
    ))
}

#[test]
fn launch_late_edges() {
    // M2 finishes 2026-12-11, the launch M3 2026-12-18.
    assert_eq!(
        count(
            "launch-late",
            &[launch_after("2026-12-11", "2026-12-18")],
            &[]
        ),
        0,
        "on the target"
    );
    // A Saturday target means the end of Friday, as the plan reads it.
    assert_eq!(
        count(
            "launch-late",
            &[launch_after("2026-12-11", "2026-12-19")],
            &[]
        ),
        0,
        "on a weekend target"
    );
    // Late on its own: launch-late alone (milestone-slip leaves it).
    let (p, d) = run(&[launch_after("2026-12-11", "2026-12-17")]);
    assert_eq!(of(&d, "launch-late").len(), 1, "{}", render(&p, &d));
    assert!(of(&d, "milestone-slip").is_empty(), "{}", render(&p, &d));
    assert!(
        of(&d, "launch-late")[0]
            .message
            .contains("1 work day after")
    );
    // Late because M2 is: launch-late names M2 as the root cause; milestone-slip reports the
    // chain at M2.
    let (p, d) = run(&[launch_after("2026-12-04", "2026-12-11")]);
    let late = of(&d, "launch-late");
    assert_eq!(late.len(), 1, "{}", render(&p, &d));
    assert!(
        late[0]
            .related
            .iter()
            .any(|r| r.message.starts_with("alpha/M2 starts the delay")),
        "{}",
        render(&p, &d)
    );
    assert_eq!(of(&d, "milestone-slip").len(), 1);
    insta::assert_snapshot!("launch_late_chain", render(&p, &d));
    // An overdue launch is milestone-overdue's.
    assert_eq!(
        count(
            "launch-late",
            &[launch_after("2026-11-13", "2026-11-20")],
            &["milestone-overdue"]
        ),
        0
    );
    // With launch-late off, milestone-slip reports the launch again.
    let off = file(
        "milepost.yaml",
        "name: Example portfolio\nrules:\n  launch-late:\n    level: off\n",
    );
    assert_eq!(
        count(
            "milestone-slip",
            &[launch_after("2026-12-11", "2026-12-17"), off],
            &[]
        ),
        1
    );
    // Tolerance.
    let tolerant = file(
        "milepost.yaml",
        "name: Example portfolio\nrules:\n  launch-late:\n    tolerance_days: 1\n  milestone-slip:\n    tolerance_days: 1\n",
    );
    assert_eq!(
        count(
            "launch-late",
            &[launch_after("2026-12-11", "2026-12-17"), tolerant],
            &[]
        ),
        0
    );
}

fn estimated(duration: &str, estimate: &str, status: &str) -> Example {
    milestones(&format!(
        "  - id: M2
    title: Build
    owner: ada
    duration: {duration}
    estimate: {estimate}
    depends_on: [M1]
    status: {status}
"
    ))
}

#[test]
fn forecast_late_edges() {
    let proposed = |target: &str| {
        file(
            "programs/alpha/program.yaml",
            leak(format!(
                "name: Alpha\nstatus: proposed\nsponsor: cy\nowner: ada\nstart: 2026-11-02\ntarget: {target}\n"
            )),
        )
    };
    let wide = "{optimistic: 18d, likely: 20d, pessimistic: 40d}";
    // The plan finishes 2026-12-18 (20 work days from 2026-11-23).
    assert_eq!(
        count(
            "forecast-late",
            &[proposed("2026-12-18"), estimated("4w", wide, "planned")],
            &[]
        ),
        1
    );
    // Without estimates every run is the plan: silent.
    assert_eq!(
        count(
            "forecast-late",
            &[
                proposed("2026-12-18"),
                milestones("  - id: M2\n    title: Build\n    owner: ada\n    duration: 4w\n")
            ],
            &[]
        ),
        0
    );
    // The plan itself misses: program-late's, not this rule's.
    assert_eq!(
        count(
            "forecast-late",
            &[proposed("2026-12-17"), estimated("4w", wide, "planned")],
            &["program-late"]
        ),
        0
    );
    // A target the P95 meets.
    assert_eq!(
        count(
            "forecast-late",
            &[proposed("2027-01-15"), estimated("4w", wide, "planned")],
            &[]
        ),
        0
    );
    // A launch: its own target against its own P80.
    let launch = milestones(
        "  - id: M2
    title: Partner launch
    kind: launch
    launch_plan: {rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}
    owner: ada
    duration: 4w
    estimate: {optimistic: 18d, likely: 20d, pessimistic: 40d}
    target: 2026-12-18
",
    );
    let (p, d) = run(&[launch]);
    let found = of(&d, "forecast-late");
    assert_eq!(found.len(), 1, "{}", render(&p, &d));
    assert!(found[0].message.starts_with("launch alpha/M2 has a "));
}

#[test]
fn duration_outside_estimate_edges() {
    let range = "{optimistic: 10d, likely: 15d, pessimistic: 20d}";
    for (duration, fires) in [("9d", 1), ("2w", 0), ("4w", 0), ("21d", 1)] {
        assert_eq!(
            count(
                "duration-outside-estimate",
                &[estimated(duration, range, "planned")],
                &[]
            ),
            fires,
            "{duration}"
        );
    }
    assert_eq!(
        count(
            "duration-outside-estimate",
            &[estimated("1d", range, "cancelled")],
            &[]
        ),
        0,
        "closed work is not planned"
    );
}
