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

#[test]
fn gitlab_code_quality_validates_against_gitlabs_schema_and_documented_format() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/gitlab-codequality-report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .expect("GitLab's schema compiles");
    let report: Value = serde_json::from_str(&check_broken("gitlab")).unwrap();
    // The documented format (the schema covers one issue, loosely): a top-level array of
    // issues with a check name, a repository-relative path, a line and one of five levels.
    let issues = report.as_array().expect("a JSON array");
    assert!(issues.len() >= 5, "{report}");
    let mut fingerprints = BTreeSet::new();
    for issue in issues {
        let errors: Vec<String> = validator
            .iter_errors(issue)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?} in {issue}");
        assert!(issue["check_name"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(repo_root().join(path).is_file(), "{path}");
        assert!(path.starts_with("examples/broken/"), "{path}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        let fp = issue["fingerprint"].as_str().unwrap();
        assert!(
            fingerprints.insert(fp.to_owned()),
            "duplicate fingerprint {fp}"
        );
    }
}

#[test]
fn gitlab_fingerprints_survive_lines_moving_and_days_passing() {
    let run = |dir: &std::path::Path, as_of: &str| -> Vec<(String, String)> {
        let out = milepost()
            .args(["check", "--format", "gitlab", "--as-of", as_of])
            .arg(dir)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut rows: Vec<(String, String)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["check_name"].as_str().unwrap().to_owned(),
                    i["fingerprint"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let milestones =
        "milestones:\n  - {id: M1, title: a, owner: ghost, duration: 5d, target: 2026-11-02}\n";
    let dir = common::portfolio(&[("programs/alpha/milestones.yaml", milestones.as_bytes())]);
    let before = run(dir.path(), "2026-11-23");
    assert!(
        before.iter().any(|(rule, _)| rule == "milestone-overdue"),
        "{before:?}"
    );
    // Two lines above it and two days later: the same findings, the same fingerprints.
    let moved = format!("# a comment\n# another\n{milestones}");
    common::write(
        dir.path(),
        "programs/alpha/milestones.yaml",
        moved.as_bytes(),
    );
    assert_eq!(run(dir.path(), "2026-11-25"), before);
}

#[test]
fn markdown_summary() {
    let text = check_broken("markdown");
    insta::assert_snapshot!(text);
}
