//! `check --base REF`: a gate scoped to a pull request, on scripted git repositories.
//!
//! A shared portfolio where program `beacon` has a risk whose review is long overdue (an
//! error on any day after it fell due). Another team's typo fix must pass; a change that
//! deletes an owner must fail; a change to the stale risk itself must fail; a finding
//! that exists on the base but sits in an entity the change touches keeps its level.

mod common;

use common::milepost;
use milepost_history::testing::TestRepo;
use serde_json::Value;

const WHO: &str = "Ada <ada@example.com>";

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("portfolio/milepost.yaml", "name: Shared\n"),
        (
            "portfolio/people.yaml",
            "people:\n  - id: ada\n    name: Ada\n  - id: bob\n    name: Bob\n",
        ),
        (
            "portfolio/programs/alpha/program.yaml",
            "name: Alpha\nstatus: active\nowner: ada\nsponsor: bob\nobjectives: [Ship]\nsuccess_metrics:\n  - {metric: m, target: t}\nscope: {in: [x]}\n",
        ),
        (
            "portfolio/programs/alpha/milestones.yaml",
            "milestones:\n  - id: M1\n    title: Desing done\n    owner: ada\n    duration: 5d\n  - id: M2\n    title: Build\n    owner: bob\n    duration: 5d\n    depends_on: [M1]\n",
        ),
        (
            "portfolio/programs/beacon/program.yaml",
            "name: Beacon\nstatus: active\nowner: bob\nsponsor: ada\nobjectives: [Notify]\nsuccess_metrics:\n  - {metric: m, target: t}\nscope: {in: [y]}\n",
        ),
        (
            "portfolio/programs/beacon/milestones.yaml",
            "milestones:\n  - id: B1\n    title: Service\n    owner: bob\n    duration: 5d\n",
        ),
        (
            "portfolio/programs/beacon/raid.yaml",
            "risks:\n  - id: R-1\n    title: Push quota\n    owner: bob\n    probability: medium\n    impact: high\n    status: open\n    mitigation: Ask for more\n    due: 2027-03-01\n    raised: 2026-08-02\n    reviewed: 2026-08-03\n",
        ),
    ]
}

/// The shared repository on `main`, then a `change` branch with `edit` applied (committed
/// when `commit`, else left in the working tree).
fn repository(edit: impl FnOnce(&mut TestRepo), commit: bool) -> (tempfile::TempDir, TestRepo) {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    repo.write_all(&files());
    let base = repo.commit(WHO, "2026-11-02T10:00:00Z", "Add the shared portfolio");
    repo.branch("change", base);
    repo.switch("change");
    edit(&mut repo);
    if commit {
        repo.commit(WHO, "2026-11-20T10:00:00Z", "The change");
    }
    (dir, repo)
}

fn check(dir: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let out = milepost()
        .current_dir(dir)
        .args([
            "check",
            "portfolio",
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn finding<'a>(v: &'a Value, rule: &str) -> &'a Value {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {v:#}"))
}

fn typo_fix(repo: &mut TestRepo) {
    let text = files()[3].1.replace("Desing", "Design");
    repo.write("portfolio/programs/alpha/milestones.yaml", &text);
}

#[test]
fn a_typo_fix_passes_while_an_untouched_program_has_a_stale_risk() {
    let (dir, _repo) = repository(typo_fix, true);
    // The whole-portfolio check fails on the stale risk…
    let (code, v) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(finding(&v, "risk-stale")["severity"], "error");
    // …the pull-request gate lists it, capped at warning, and passes.
    let (code, v) = check(dir.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{v:#}");
    let stale = finding(&v, "risk-stale");
    assert_eq!(stale["severity"], "warning");
    assert_eq!(stale["capped_from"], "error");
    assert_eq!(stale["base"], "unchanged");
    let base = &v["summary"]["base"];
    assert_eq!(base["ref"], "main");
    assert_eq!(
        base["changed_files"],
        serde_json::json!(["programs/alpha/milestones.yaml"])
    );
    assert_eq!(base["changed_entities"], serde_json::json!(["alpha/M1"]));
    assert_eq!(
        (base["new"].as_u64(), base["capped"].as_u64()),
        (Some(0), Some(1))
    );
    // `--fail-on warning` still fails on it: the scheduled full check's choice.
    let (code, _) = check(dir.path(), &["--base", "main", "--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn a_change_that_deletes_an_owner_fails() {
    let (dir, _repo) = repository(
        |repo| {
            let text = files()[3].1.replace("    owner: bob\n", "");
            repo.write("portfolio/programs/alpha/milestones.yaml", &text);
        },
        true,
    );
    let (code, v) = check(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{v:#}");
    let missing = finding(&v, "owner-missing");
    assert_eq!(missing["severity"], "error");
    assert_eq!(missing["base"], "new");
    assert!(missing.get("capped_from").is_none());
    // The stale risk elsewhere is still only a warning.
    assert_eq!(finding(&v, "risk-stale")["severity"], "warning");
}

#[test]
fn a_change_to_the_stale_risk_itself_keeps_its_level() {
    let (dir, _repo) = repository(
        |repo| {
            let text = files()[6].1.replace("Push quota", "Push provider quota");
            repo.write("portfolio/programs/beacon/raid.yaml", &text);
        },
        true,
    );
    let (code, v) = check(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1, "{v:#}");
    let stale = finding(&v, "risk-stale");
    assert_eq!(stale["severity"], "error");
    assert_eq!(stale["base"], "touched");
}

#[test]
fn uncommitted_edits_count_as_part_of_the_change() {
    let (dir, _repo) = repository(
        |repo| {
            let text = files()[3].1.replace("    owner: bob\n", "");
            repo.write("portfolio/programs/alpha/milestones.yaml", &text);
        },
        false,
    );
    let (code, v) = check(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1);
    assert_eq!(finding(&v, "owner-missing")["base"], "new");
}

#[test]
fn a_base_without_the_portfolio_makes_every_finding_new() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    repo.write("README.md", "hello\n");
    let first = repo.commit(WHO, "2026-11-01T10:00:00Z", "Start");
    repo.branch("change", first);
    repo.switch("change");
    repo.write_all(&files());
    repo.commit(WHO, "2026-11-02T10:00:00Z", "Add the portfolio");
    let (code, v) = check(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1);
    assert_eq!(finding(&v, "risk-stale")["base"], "new");
    assert_eq!(v["summary"]["base"]["had_portfolio"], false);
}

#[test]
fn every_format_says_what_was_compared_and_keeps_capped_findings_visible() {
    let (dir, _repo) = repository(typo_fix, true);
    let run = |format: &str| {
        let out = milepost()
            .current_dir(dir.path())
            .args([
                "check",
                "portfolio",
                "--as-of",
                "2026-11-23",
                "--base",
                "main",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let human = run("human");
    assert!(human.contains("Against main (merge base "), "{human}");
    assert!(human.contains("unchanged since main"), "{human}");
    let github = run("github");
    assert!(
        github.contains("::warning file=portfolio/programs/beacon/raid.yaml"),
        "{github}"
    );
    assert!(!github.contains("::error"), "{github}");
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["baselineState"], "unchanged");
    assert_eq!(result["properties"]["milepost/cappedFrom"], "error");
    let gitlab: Value = serde_json::from_str(&run("gitlab")).unwrap();
    assert_eq!(gitlab[0]["severity"], "minor");
    let markdown = run("markdown");
    assert!(markdown.contains("unchanged since main"), "{markdown}");
    assert!(markdown.contains("🟡 warning (was error)"), "{markdown}");
    let junit = run("junit");
    assert!(!junit.contains("<failure"), "{junit}");
}

#[test]
fn bad_bases_are_errors_with_hints() {
    let (dir, _repo) = repository(typo_fix, true);
    let out = milepost()
        .current_dir(dir.path())
        .args(["check", "portfolio", "--base", "mian"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("`mian` is not a branch"), "{err}");
    assert!(err.contains("did you mean `main`?"), "{err}");

    let plain = common::portfolio(&[]);
    let out = milepost()
        .args(["check", "--base", "main"])
        .arg(plain.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("not inside a git repository"), "{err}");
}
