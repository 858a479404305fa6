//! The CI-native formats of `milepost check` on `examples/broken`: SARIF validates against
//! the official SARIF 2.1.0 schema, JUnit parses as XML with consistent counts, and every
//! result carries a repository-relative file and a line.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::milepost;
use serde_json::Value;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check_broken(format: &str) -> String {
    let out = milepost()
        .current_dir(repo_root())
        .args([
            "check",
            "examples/broken",
            "--format",
            format,
            "--as-of",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let log: Value = serde_json::from_str(&check_broken("sarif")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    // The validator is not vacuous: a wrong level is caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), milepost_rules_count());
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key} of {rule}"
            );
        }
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], id);
        let physical = &r["locations"][0]["physicalLocation"];
        assert!(
            physical["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("examples/broken/"),
            "{r}"
        );
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(physical["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

fn milepost_rules_count() -> usize {
    milepost_rules::ALL.len()
}

#[test]
fn junit_parses_with_consistent_counts() {
    let xml = check_broken("junit");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut total = 0;
    let mut failures = 0;
    let mut suites = BTreeSet::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let name = suite.attribute("name").unwrap();
        assert!(suites.insert(name), "one suite per rule: {name}");
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let failed = cases
            .iter()
            .filter(|c| c.children().any(|x| x.has_tag_name("failure")))
            .count();
        assert_eq!(
            suite.attribute("tests").unwrap().parse::<usize>().unwrap(),
            cases.len()
        );
        assert_eq!(
            suite
                .attribute("failures")
                .unwrap()
                .parse::<usize>()
                .unwrap(),
            failed
        );
        for case in &cases {
            assert!(case.attribute("name").is_some_and(|n| !n.is_empty()));
            assert_eq!(case.attribute("classname"), Some(name));
            if let Some(failure) = case.children().find(|x| x.has_tag_name("failure")) {
                assert_eq!(failure.attribute("type"), Some(name));
                assert!(
                    case.attribute("file")
                        .unwrap()
                        .starts_with("examples/broken/")
                );
                assert!(failure.text().unwrap().contains("help: "));
            }
        }
        total += cases.len();
        failures += failed;
    }
    assert_eq!(
        root.attribute("tests").unwrap().parse::<usize>().unwrap(),
        total
    );
    assert_eq!(
        root.attribute("failures")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        failures
    );
    assert_eq!(
        suites.len(),
        milepost_rules_count(),
        "every enabled rule has a suite"
    );
    // A rule that found nothing still shows as a passing case, and a failure names its entity.
    assert!(
        xml.contains("<testcase name=\"ledger/M8\" classname=\"owner-missing\""),
        "{xml}"
    );
}

#[test]
fn junit_of_a_clean_portfolio_is_all_passing() {
    let out = milepost()
        .current_dir(repo_root())
        .args([
            "check",
            "examples/acme",
            "--format",
            "junit",
            "--as-of",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count()
            >= 20
    );
}
