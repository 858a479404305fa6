//! The loader on a corpus of small portfolios, valid and invalid, one folder each (the way
//! ruff tests its parser): `tests/fixtures/valid/<case>/` must load with no finding, and
//! every `tests/fixtures/invalid/<case>/` must give the findings written in its
//! `expected.txt` — each located, with what survived (counts of programs, milestones and
//! risks) so that a finding that silently drops neighbours shows. `CASE` says what the case
//! is about.
//!
//! After an intended change: `MILEPOST_BLESS=1 cargo test -p milepost-load --test fixtures`
//! rewrites the `expected.txt` files; read the diff.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures folder exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// What the loader reports about a folder, as stable text.
fn report(dir: &Path) -> String {
    let portfolio = milepost_load::load_dir(dir).expect("the fixture is a portfolio");
    let counts = portfolio.counts();
    let mut out = format!(
        "loaded: {} programs, {} milestones, {} risks, {} files\n",
        counts.programs, counts.milestones, counts.risks, counts.files
    );
    for d in &portfolio.diagnostics {
        let at = d.location.as_ref().map_or_else(String::new, |l| {
            format!(" {}:{}:{}", l.file, l.span.line, l.span.column)
        });
        let _ = writeln!(
            out,
            "{}[{}]{at}: {}",
            d.severity.as_str(),
            d.rule,
            d.message
        );
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  help: {hint}");
        }
        for r in &d.related {
            let _ = writeln!(
                out,
                "  related {}:{}:{}: {}",
                r.location.file, r.location.span.line, r.location.span.column, r.message
            );
        }
    }
    out
}

#[test]
fn valid_fixtures_load_without_findings() {
    let cases = cases("valid");
    assert!(cases.len() >= 2);
    for case in cases {
        let portfolio = milepost_load::load_dir(&case).expect("a portfolio");
        assert!(
            portfolio.diagnostics.is_empty(),
            "{}: {:#?}",
            case.display(),
            portfolio.diagnostics
        );
        assert_eq!(portfolio.programs.len(), 1, "{}", case.display());
    }
}

#[test]
fn invalid_fixtures_give_their_expected_findings() {
    let bless = std::env::var_os("MILEPOST_BLESS").is_some();
    let cases = cases("invalid");
    assert!(cases.len() >= 20);
    let mut failed = Vec::new();
    for case in cases {
        let actual = report(&case);
        assert!(
            actual.lines().count() > 1,
            "{}: an invalid fixture gave no finding",
            case.display()
        );
        assert!(
            !actual.contains("error[")
                || actual.lines().skip(1).all(|l| {
                    l.starts_with("  ")
                        || l.contains(" programs/")
                        || l.contains(" milepost.yaml")
                        || l.contains(" people.yaml")
                }),
            "{}: a finding without a location:\n{actual}",
            case.display()
        );
        let file = case.join("expected.txt");
        if bless {
            std::fs::write(&file, &actual).expect("writable");
            continue;
        }
        let expected = std::fs::read_to_string(&file).unwrap_or_default();
        if expected != actual {
            failed.push(format!(
                "{}\n--- expected\n{expected}--- actual\n{actual}",
                case.display()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{}\n\nregenerate with MILEPOST_BLESS=1 cargo test -p milepost-load --test fixtures",
        failed.join("\n")
    );
}
