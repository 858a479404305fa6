//! `rules:` in milepost.yaml: levels re-grade or drop findings (the loader's too),
//! thresholds change what fires, and every mistake in the settings is a located `schema`
//! finding with a "did you mean".

mod common;

use common::{file, of, render, run};
use milepost_load::Severity;
use milepost_rules::Example;
use milepost_rules::rules::{risk_stale, schema};

fn settings(rules: &'static str) -> Example {
    file("milepost.yaml", rules)
}

const GATES: &str = "name: Example portfolio
gates:
  launch-readiness:
    - id: security-review
      title: Security review signed off
    - id: runbook
      title: On-call runbook published
";

fn with_rules(rules: &str) -> &'static str {
    Box::leak(format!("{GATES}rules:\n{rules}").into_boxed_str())
}

#[test]
fn a_level_regrades_a_rule() {
    let mut files = risk_stale::RULE.example.to_vec();
    files.push(settings(with_rules("  risk-stale:\n    level: info\n")));
    let (_, d) = run(&files);
    let stale = of(&d, "risk-stale");
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].severity, Severity::Info);
}

#[test]
fn level_off_drops_a_rule() {
    let mut files = risk_stale::RULE.example.to_vec();
    files.push(settings(with_rules("  risk-stale:\n    level: off\n")));
    let (p, d) = run(&files);
    assert!(d.is_empty(), "{}", render(&p, &d));
}

#[test]
fn levels_apply_to_loader_findings() {
    let mut files = schema::RULE.example.to_vec();
    files.push(settings(with_rules("  schema:\n    level: warning\n")));
    let (_, d) = run(&files);
    assert_eq!(of(&d, "schema").len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);

    let mut files = schema::RULE.example.to_vec();
    files.push(settings(with_rules("  schema:\n    level: off\n")));
    let (p, d) = run(&files);
    assert!(d.is_empty(), "{}", render(&p, &d));
}

#[test]
fn a_threshold_changes_what_fires() {
    // Reviewed 17 days ago: stale at the default 14, fine at 21.
    let mut files = risk_stale::RULE.example.to_vec();
    files.push(settings(with_rules(
        "  risk-stale:\n    max_age_days: 21\n",
    )));
    let (p, d) = run(&files);
    assert!(d.is_empty(), "{}", render(&p, &d));

    let mut files = risk_stale::RULE.example.to_vec();
    files.push(settings(with_rules(
        "  risk-stale:\n    max_age_days: 16\n",
    )));
    let (_, d) = run(&files);
    assert_eq!(of(&d, "risk-stale").len(), 1);
}

#[test]
fn an_unknown_rule_is_located_with_a_suggestion() {
    let (p, d) = run(&[settings(with_rules("  risk-stael:\n    level: warning\n"))]);
    assert_eq!(d.len(), 1, "{}", render(&p, &d));
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!(
        (d[0].rule, &*loc.file, loc.span.line, loc.span.column),
        ("schema", "milepost.yaml", 9, 3)
    );
    assert_eq!(loc.span.len, "risk-stael".len() as u32);
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("did you mean `risk-stale`?")
    );
    insta::assert_snapshot!("unknown_rule", render(&p, &d));
}

#[test]
fn an_unknown_option_is_located_with_a_suggestion() {
    let (p, d) = run(&[settings(with_rules(
        "  risk-stale:\n    max_age_dayz: 10\n  charter-incomplete:\n    window_days: 3\n",
    ))]);
    assert_eq!(d.len(), 2, "{}", render(&p, &d));
    let lines: Vec<u32> = d
        .iter()
        .map(|x| x.location.as_ref().unwrap().span.line)
        .collect();
    assert_eq!(lines, [10, 12]);
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("did you mean `max_age_days`?")
    );
    assert!(d[1].hint.as_deref().unwrap().contains("has no thresholds"));
    insta::assert_snapshot!("unknown_option", render(&p, &d));
}

#[test]
fn an_ill_typed_threshold_is_located_and_falls_back_to_the_default() {
    for (value, col) in [
        ("two weeks", 19),
        ("-3", 19),
        ("14.5", 19),
        ("true", 19),
        ("99999", 19),
    ] {
        let rules = with_rules(&format!("  risk-stale:\n    max_age_days: {value}\n"));
        let mut files = risk_stale::RULE.example.to_vec();
        files.push(settings(rules));
        let (p, d) = run(&files);
        let bad = of(&d, "schema");
        assert_eq!(bad.len(), 1, "{value}: {}", render(&p, &d));
        let loc = bad[0].location.as_ref().unwrap();
        assert_eq!((loc.span.line, loc.span.column), (10, col), "{value}");
        assert!(
            bad[0].message.contains("whole number of days"),
            "{}",
            bad[0].message
        );
        // The default (14) still applies: reviewed 17 days ago is stale.
        assert_eq!(of(&d, "risk-stale").len(), 1, "{value}");
    }
}

#[test]
fn an_invalid_level_is_one_schema_finding() {
    let (p, d) = run(&[settings(with_rules("  risk-stale:\n    level: loud\n"))]);
    assert_eq!(d.len(), 1, "{}", render(&p, &d));
    assert_eq!(d[0].rule, "schema");
}
