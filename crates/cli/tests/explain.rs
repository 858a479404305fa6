//! `milepost explain`: the rule list, one rule's documentation, effective levels from a
//! portfolio, and a did-you-mean for an unknown rule (exit 2).

mod common;

use std::path::PathBuf;

use common::{milepost, portfolio};

#[test]
fn lists_every_rule_with_its_default_level() {
    let out = milepost().arg("explain").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "yaml",
        "schema",
        "portfolio-layout",
        "ref-unknown",
        "id-duplicate",
        "owner-unknown",
        "owner-missing",
        "raci-accountable",
        "raci-responsible",
        "risk-stale",
        "risk-unmitigated",
        "risk-accepted-unapproved",
        "dependency-cycle",
        "dependency-aging",
        "dependency-late",
        "milestone-overdue",
        "milestone-slip",
        "gate-incomplete",
        "decision-stale",
        "health-mismatch",
        "charter-incomplete",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{id} "))),
            "{id} missing:\n{text}"
        );
    }
    assert!(text.contains("risk-stale                 error    A live risk has not been reviewed recently (max_age_days=14 max_age_days_high_impact=7)"), "{text}");
}

#[test]
fn explains_one_rule() {
    let out = milepost()
        .args(["explain", "gate-incomplete"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "# `gate-incomplete`",
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## How to fix",
        "## Options",
        "`window_days` | 10 work days",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
}

#[test]
fn an_unknown_rule_exits_2_with_a_suggestion() {
    let out = milepost().args(["explain", "risk-stael"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown rule or KPI `risk-stael`")
            && err.contains("did you mean `risk-stale`?"),
        "{err}"
    );
}

#[test]
fn shows_effective_levels_and_thresholds_of_a_portfolio() {
    let dir = portfolio(&[(
        "milepost.yaml",
        b"name: Test\nrules:\n  risk-stale:\n    level: warning\n    max_age_days: 21\n  decision-stale:\n    level: off\n",
    )]);
    let out = milepost()
        .arg("explain")
        .arg("--path")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("RULE") && text.lines().next().unwrap().contains("EFFECTIVE"),
        "{text}"
    );
    assert!(text.contains("risk-stale                 error    warning    A live risk has not been reviewed recently (max_age_days=21 max_age_days_high_impact=7)"), "{text}");
    assert!(
        text.contains("decision-stale             warning  off"),
        "{text}"
    );

    let out = milepost()
        .args(["explain", "risk-stale", "--path"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "In this portfolio: level **warning**, max_age_days=21, max_age_days_high_impact=7"
        ),
        "{text}"
    );
}

#[test]
fn a_missing_portfolio_exits_2() {
    let out = milepost()
        .args(["explain", "--path"])
        .arg(PathBuf::from("/nonexistent/portfolio"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
