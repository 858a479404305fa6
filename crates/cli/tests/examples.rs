//! The bundled examples: `acme` is clean, `broken` fails with located findings whose
//! rendered output is snapshot-tested; the committed schemas match the model.

mod common;

use std::path::PathBuf;

use common::{check_json, diagnostics, milepost};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

#[test]
fn acme_is_clean() {
    let (code, json) = check_json(&example("acme"));
    assert_eq!(code, 0, "{json:#}");
    assert!(diagnostics(&json).is_empty(), "{json:#}");
    let summary = &json["summary"];
    assert!(summary["programs"].as_u64().unwrap() >= 4);
    assert!(summary["milestones"].as_u64().unwrap() >= 40);
    assert!(summary["risks"].as_u64().unwrap() >= 25);
}

#[test]
fn broken_fails_with_located_findings() {
    let (code, json) = check_json(&example("broken"));
    assert_eq!(code, 1);
    let all = diagnostics(&json);
    assert!(!all.is_empty());
    for d in &all {
        for key in ["rule", "severity", "message", "file", "line", "column"] {
            assert!(!d[key].is_null(), "{key} missing in {d}");
        }
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
    assert_eq!(json["summary"]["as_of"], "2026-11-23");
}

#[test]
fn broken_fires_every_rule() {
    let (_, json) = check_json(&example("broken"));
    let fired: std::collections::BTreeSet<String> = diagnostics(&json)
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect();
    for rule in milepost_rules::ALL {
        assert!(
            fired.contains(rule.id),
            "examples/broken does not fire `{}`",
            rule.id
        );
    }
}

#[test]
fn broken_human_output() {
    // Run from inside the portfolio: paths are printed relative to where the user stands.
    let out = milepost()
        .current_dir(example("broken"))
        .args(["check", "--as-of", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "colour codes with NO_COLOR set");
    insta::assert_snapshot!("broken_human", text);
}

#[test]
fn github_lines_carry_file_and_line() {
    let out = milepost()
        .current_dir(example("broken").join("../.."))
        .args([
            "check",
            "examples/broken",
            "--format",
            "github",
            "--as-of",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    for line in text.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
        assert!(
            line.contains("file=examples/broken/programs/")
                || line.contains("file=examples/broken/"),
            "{line}"
        );
        assert!(line.contains(",line="), "{line}");
        assert!(line.contains(",title="), "{line}");
    }
}

#[test]
fn committed_schemas_match_the_model() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let out = milepost()
        .arg("schema")
        .arg("--check")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "schemas drifted: run `cargo run -- schema --out schemas`\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // And drift is detected.
    let tmp = tempfile::tempdir().unwrap();
    let out = milepost()
        .arg("schema")
        .arg("--out")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(tmp.path().join("raid.schema.json"), "{}").unwrap();
    let out = milepost()
        .arg("schema")
        .arg("--check")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn schemas_are_valid_json_schema_and_acme_validates() {
    // Every committed schema compiles as draft 2020-12, and every acme file validates
    // against its kind's schema with a validator built from the committed file (not the
    // in-process one).
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        // `schemas/output/` holds the output schemas (tested in contracts.rs); `catalog.json`
        // is SchemaStore's catalog, not a schema.
        if path.extension().is_none_or(|e| e != "json") || path.ends_with("catalog.json") {
            continue;
        }
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(
            schema["$id"]
                .as_str()
                .unwrap()
                .ends_with(path.file_name().unwrap().to_str().unwrap())
        );
    }
}

/// "Today" is the local date: in a time zone far west or far east of UTC, `check` without
/// `--as-of` evaluates as of the date a clock on the wall there shows (as `date` reports it).
#[test]
fn today_is_the_local_date() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("milepost.yaml"), "name: t\n").unwrap();
    std::fs::create_dir_all(root.join("programs/a")).unwrap();
    std::fs::write(root.join("programs/a/program.yaml"), "name: A\n").unwrap();
    for tz in ["Etc/GMT+12", "Etc/GMT-14"] {
        let expected = std::process::Command::new("date")
            .env("TZ", tz)
            .arg("+%F")
            .output()
            .unwrap();
        let expected = String::from_utf8(expected.stdout)
            .unwrap()
            .trim()
            .to_owned();
        let out = milepost()
            .env("TZ", tz)
            .args(["check", "--format", "json"])
            .arg(root)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let as_of = v["summary"]["as_of"].as_str().unwrap().to_owned();
        // The two calls straddle midnight at most once in a blue moon; allow the next day.
        let next = chrono::NaiveDate::parse_from_str(&expected, "%Y-%m-%d")
            .unwrap()
            .succ_opt()
            .unwrap()
            .to_string();
        assert!(
            as_of == expected || as_of == next,
            "{tz}: {as_of} vs {expected}"
        );
    }
}
