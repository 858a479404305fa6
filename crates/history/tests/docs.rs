//! `docs/metrics.md` is generated from the KPI definitions; this test fails when the
//! committed copy drifts. Regenerate it with:
//!
//! ```sh
//! MILEPOST_BLESS=1 cargo test -p milepost-history --test docs
//! ```

use std::path::PathBuf;

use milepost_history::metrics::{FRAMEWORK, catalogue, docs::reference};

#[test]
fn docs_metrics_md_is_up_to_date() {
    let expected = reference();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/metrics.md");
    if std::env::var_os("MILEPOST_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/metrics.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/metrics.md is out of date with the KPI definitions; regenerate it with\n\n    MILEPOST_BLESS=1 cargo test -p milepost-history --test docs\n"
    );
}

/// Every row of the framework is a KPI milepost computes, with the framework's default
/// target, and the definition says what the framework measures.
#[test]
fn every_framework_kpi_is_computed_with_its_definition_and_target() {
    let kpis = catalogue(&milepost_model::MetricsSettings::default());
    for (id, _, _, _) in FRAMEWORK {
        let k = kpis
            .iter()
            .find(|k| k.id == *id)
            .unwrap_or_else(|| panic!("{id}"));
        assert!(k.target.is_some(), "{id} has the framework's target");
        assert!(!k.definition.is_empty());
    }
    let find = |id: &str| kpis.iter().find(|k| k.id == id).unwrap();
    // Where milepost's words must carry the framework's: the table wins.
    for (id, words) in [
        (
            "milestone-variance",
            ["completed", "forecast", "±10 business days", "strategic"].as_slice(),
        ),
        (
            "on-time-delivery",
            &["committed date", "Approved-by", "pull request"],
        ),
        (
            "dependency-aging",
            &["resolved within 28 days", "median age of the unresolved"],
        ),
        (
            "escalation-cycle-time",
            &["business days", "escalated_on", "resolved"],
        ),
        ("throughput", &["13 weeks", "normalised by size"]),
        (
            "launch-success-rate",
            &["sev1", "sev2", "rolled_back", "14 days"],
        ),
        ("readiness-compliance", &["strategic"]),
        ("cost-of-delay-visibility", &["strategic", "cost_of_delay"]),
    ] {
        let definition = &find(id).definition;
        for w in words {
            assert!(definition.contains(w), "{id}: {w:?} not in {definition:?}");
        }
    }
    let target = |id: &str| find(id).target.clone().unwrap();
    assert_eq!(target("milestone-variance").min, Some(0.8));
    assert_eq!(target("on-time-delivery").min, Some(0.7));
    assert_eq!(target("scope-change-rate").max, Some(0.2));
    assert_eq!(target("dependency-aging").min, Some(0.9));
    assert_eq!(target("risk-burn-down").min, Some(1.0));
    assert_eq!(target("escalation-cycle-time").max, Some(5.0));
    assert_eq!(target("benefits-realisation").min, Some(0.7));
    assert_eq!(target("readiness-compliance").min, Some(0.9));
    assert_eq!(target("cost-of-delay-visibility").min, Some(0.6));
    assert_eq!(target("change-failure-rate").trend, Some("down"));
}

/// milepost.yaml's `metrics:` settings change the definitions and the targets.
#[test]
fn settings_change_the_definitions_and_targets() {
    let settings: milepost_model::MetricsSettings = serde_json::from_value(serde_json::json!({
        "tolerance_days": 5,
        "launch_window_days": 7,
        "dependency_window_days": 14,
        "targets": {"milestone-variance": {"min": 0.9}}
    }))
    .unwrap();
    let kpis = catalogue(&settings);
    let find = |id: &str| kpis.iter().find(|k| k.id == id).unwrap();
    assert!(
        find("milestone-variance")
            .definition
            .contains("±5 business days")
    );
    assert!(find("launch-success-rate").definition.contains("7 days"));
    assert!(find("dependency-aging").definition.contains("14 days"));
    let t = find("milestone-variance").target.clone().unwrap();
    assert_eq!((t.min, t.source), (Some(0.9), "milepost.yaml"));
}
