//! The JSON outputs are versioned contracts: each carries `"version"`, and each validates
//! against its published schema in `schemas/output/`, on the example portfolio and on a
//! scripted git history.

mod common;

use std::path::{Path, PathBuf};

use common::milepost;
use milepost_history::testing::scripted;
use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas/output")
        .join(format!("{name}.schema.json"));
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn output(dir: &Path, args: &[&str]) -> Value {
    let out = milepost().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn valid(name: &str, value: &Value) {
    let v = schema(name);
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
    assert_eq!(value["version"], 1, "{name}");
}

#[test]
fn portfolio_outputs_match_their_schemas() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    for example in ["examples/acme", "examples/broken"] {
        let dir = root.join(example);
        valid("check", &output(&dir, &["check", "--format", "json"]));
        valid("plan", &output(&dir, &["plan", "--format", "json"]));
        valid(
            "forecast",
            &output(&dir, &["forecast", "--format", "json", "--runs", "200"]),
        );
    }
    valid("explain", &output(&root, &["explain", "--format", "json"]));
    valid(
        "explain",
        &output(&root, &["explain", "risk-stale", "--format", "json"]),
    );
    valid(
        "explain",
        &output(&root, &["explain", "forecast-accuracy", "--format", "json"]),
    );
}

#[test]
fn history_outputs_match_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let (_repo, commits) = scripted(dir.path());
    let at = dir.path();
    let start = commits.start.to_string();
    valid(
        "diff",
        &output(at, &["diff", &start, "--format", "json", "portfolio"]),
    );
    valid(
        "log",
        &output(at, &["log", "ledger/M2", "--format", "json", "portfolio"]),
    );
    valid(
        "audit",
        &output(at, &["audit", "--format", "json", "portfolio"]),
    );
    valid(
        "metrics",
        &output(
            at,
            &[
                "metrics",
                "--format",
                "json",
                "--as-of",
                "2026-11-23",
                "portfolio",
            ],
        ),
    );
    for by in ["program", "week", "month", "quarter"] {
        valid(
            "metrics",
            &output(
                at,
                &[
                    "metrics",
                    "--format",
                    "json",
                    "--as-of",
                    "2026-11-23",
                    "--by",
                    by,
                    "portfolio",
                ],
            ),
        );
    }
}

#[test]
fn a_schema_rejects_a_broken_contract() {
    // The validation can fail: a check report without its summary is refused.
    let v = schema("check");
    let broken = serde_json::json!({"version": 1, "diagnostics": []});
    assert!(!v.is_valid(&broken));
    let wrong_version = serde_json::json!({"version": 2, "diagnostics": [], "summary": {}});
    assert!(!v.is_valid(&wrong_version));
}
