//! The history commands end to end (`diff`, `log`, `audit`, `metrics`, `codeowners`, and
//! `check` reading risk dates from git) on the scripted repository of
//! `milepost_history::testing`, and every bad state with its exit code and message.

mod common;

use common::milepost;
use milepost_history::testing::{
    SCRIPTED_PREFIX, ScriptedCommits, TestRepo, feature_branch, scripted,
};
use serde_json::{Value, json};

struct Fixture {
    dir: tempfile::TempDir,
    repo: TestRepo,
    c: ScriptedCommits,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (repo, c) = scripted(dir.path());
    Fixture { dir, repo, c }
}

impl Fixture {
    fn portfolio(&self) -> std::path::PathBuf {
        self.dir.path().join(SCRIPTED_PREFIX)
    }

    /// Runs milepost with `--path <portfolio>` appended; returns (code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = milepost()
            .args(args)
            .arg("--path")
            .arg(self.portfolio())
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn json(&self, args: &[&str]) -> Value {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }
}

fn sha(id: impl std::fmt::Display) -> String {
    id.to_string()
}

#[test]
fn diff_json_defaults_to_merge_base_with_main_against_the_working_tree() {
    let mut f = fixture();
    feature_branch(&mut f.repo);
    let v = f.json(&["diff", "--format", "json", "--as-of", "2026-11-23"]);
    assert_eq!(v["base"], json!(sha(f.c.done)));
    assert_eq!(v["head"], json!("working tree"));
    let rows: Vec<(String, String, Value, Value)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["entity"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
                c["field"].clone(),
                c["work_days"].clone(),
            )
        })
        .collect();
    let row = |e: &str, k: &str, f: Value, w: Value| (e.to_owned(), k.to_owned(), f, w);
    assert_eq!(
        rows,
        [
            row("ledger", "modified", json!("scope.out"), Value::Null),
            row("ledger/DEC-2", "added", Value::Null, Value::Null),
            row("ledger/M2", "modified", json!("target"), json!(10)),
            row("ledger/M3", "modified", json!("owner"), Value::Null),
            row("ledger/M5", "added", Value::Null, Value::Null),
            row("ledger/R-1", "modified", json!("impact"), Value::Null),
        ]
    );
    let m2 = &v["changes"][2];
    assert_eq!(m2["before"], json!("2026-11-20"));
    assert_eq!(m2["after"], json!("2026-12-04"));
    assert_eq!(
        v["changes"][1]["after"]["title"],
        json!("Archive to cold storage?")
    );
    assert_eq!(v["critical_path"]["after"], json!(["ledger/M5"]));
}

#[test]
fn diff_between_two_refs_and_the_pull_request_comment() {
    let mut f = fixture();
    feature_branch(&mut f.repo);
    let v = f.json(&[
        "diff",
        "main",
        "feature",
        "--format",
        "json",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(v["changes"].as_array().unwrap().len(), 5, "{v}");
    let start = sha(f.c.start);
    let slip = sha(f.c.slip);
    let v = f.json(&[
        "diff",
        &start,
        &slip,
        "--format",
        "json",
        "--as-of",
        "2026-10-15",
    ]);
    assert_eq!(v["head"], json!(slip));
    assert_eq!(
        v["changes"],
        json!([{"entity": "ledger/M2", "entity_kind": "milestone", "kind": "modified",
            "field": "target", "before": "2026-11-06", "after": "2026-11-20", "work_days": 9,
            "title": "Ledger cut-over"}])
    );
    let (code, md, _) = f.run(&["diff", "--as-of", "2026-11-23"]);
    assert_eq!(code, 0);
    for line in [
        "- **ledger/M2** target 2026-11-20 → 2026-12-04 (+10 work days) · Ledger cut-over",
        "**Critical path**",
        "- after: ledger/M5 (finish 2027-01-15, +35 work days)",
        "- **ledger/R-1** impact high → medium (downgraded) · Reconciliation job overruns its window",
        "- **ledger/M3** owner ada → bob · Ledger launch",
        "- **ledger** scope.out + Crypto settlement · Ledger",
        "- milestone **ledger/M5** (kind milestone, owner ada, duration 40d, target 2027-02-26) · Ledger archive",
        "- decision **ledger/DEC-2** (status proposed, owner ada) · Archive to cold storage?",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
    // No change at all.
    let (code, md, _) = f.run(&["diff", "main", "main"]);
    assert_eq!(code, 0);
    assert!(md.contains("No change to the plan."), "{md}");
}

#[test]
fn log_json_is_the_entity_life_oldest_first() {
    let f = fixture();
    let v = f.json(&["log", "ledger/M2", "--format", "json"]);
    assert_eq!(v["entity"], json!("ledger/M2"));
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["commit"], json!(sha(f.c.start)));
    assert_eq!(events[0]["kind"], json!("created"));
    assert_eq!(events[0]["author"], json!("Ada Lovelace"));
    assert_eq!(events[0]["email"], json!("ada@example.com"));
    assert_eq!(events[0]["date"], json!("2026-10-01T09:00:00+02:00"));
    assert_eq!(events[1]["commit"], json!(sha(f.c.slip)));
    assert_eq!(
        events[1]["summary"],
        json!("Slip the ledger cut-over two weeks (#42)")
    );
    assert_eq!(events[1]["pr"], json!(42));
    assert_eq!(
        events[1]["changes"],
        json!([{"field": "target", "before": "2026-11-06", "after": "2026-11-20", "work_days": 9}])
    );
    let (code, table, _) = f.run(&["log", "ledger/M2"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("target: 2026-11-06 → 2026-11-20 (+9 work days)"),
        "{table}"
    );
}

#[test]
fn log_reports_a_commit_that_does_not_parse_and_goes_on() {
    let f = fixture();
    let (code, out, err) = f.run(&["log", "ledger/R-1", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let short = &sha(f.c.broken)[..7];
    assert!(
        err.contains(&format!(
            "warning: commit {short}: programs/ledger/raid.yaml does not parse"
        )),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let commits: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["commit"].as_str().unwrap())
        .collect();
    assert_eq!(commits, [sha(f.c.start), sha(f.c.fix)]);
    assert_eq!(v["problems"][0]["commit"], json!(sha(f.c.broken)));
}

#[test]
fn audit_formats_carry_the_evidence() {
    let f = fixture();
    let args = ["audit", "--since", "2026-10-10", "--until", "2026-10-31"];
    let v = f.json(&[&args[..], &["--format", "json"]].concat());
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 10);
    let e = &entries[0];
    assert_eq!(e["commit"], json!(sha(f.c.slip)));
    assert_eq!(e["author"], json!("Bob Stone"));
    assert_eq!(e["committer"], json!("GitHub"));
    assert_eq!(e["date"], json!("2026-10-15T14:00:00+02:00"));
    assert_eq!(e["entity"], json!("ledger/M2"));
    assert_eq!(e["kind"], json!("modified"));
    assert_eq!(e["field"], json!("target"));
    assert_eq!(e["before"], json!("2026-11-06"));
    assert_eq!(e["after"], json!("2026-11-20"));
    assert_eq!(e["pr"], json!(42));
    assert_eq!(e["reviewed_by"], json!(["Ada Lovelace <ada@example.com>"]));
    assert_eq!(e["approved_by"], json!(["Carol Diaz <carol@example.com>"]));
    assert_eq!(e["signed"], json!(false));
    assert_eq!(entries[1]["pr"], json!(7));
    assert_eq!(entries[3]["signed"], json!(true));
    let (code, csv, _) = f.run(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 11);
    assert!(lines[0].starts_with("date,commit,pr,author,email,committer"));
    assert!(
        lines[1].starts_with(&format!(
            "2026-10-15T14:00:00+02:00,{},42,Bob Stone,",
            sha(f.c.slip)
        )),
        "{}",
        lines[1]
    );
    let (code, md, _) = f.run(&args);
    assert_eq!(code, 0);
    assert!(
        md.contains("# Change-control audit: 2026-10-10 to 2026-10-31"),
        "{md}"
    );
    assert!(
        md.contains("10 changes to commitments in 3 commits."),
        "{md}"
    );
    let (code, _, err) = f.run(&["audit", "--since", "2026-11-01", "--until", "2026-10-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("is after --until"), "{err}");
}

#[test]
fn metrics_json_gives_the_hand_computed_kpis() {
    let f = fixture();
    let v = f.json(&[
        "metrics",
        "--format",
        "json",
        "--as-of",
        "2026-11-23",
        "--tolerance",
        "5",
    ]);
    let kpi = |id: &str| {
        v["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == json!(id))
            .unwrap()
            .clone()
    };
    assert_eq!(kpi("target-drift")["value"], json!(0.75));
    assert_eq!(kpi("milestone-on-time")["value"], json!(1.0));
    assert_eq!(kpi("scope-change-rate")["value"], json!(0.25));
    assert_eq!(kpi("dependency-age-open")["value"], json!(63.0));
    assert_eq!(kpi("risk-burn-down")["value"], json!(0.5));
    assert_eq!(kpi("escalation-cycle-time")["value"], json!(3.0));
    assert_eq!(kpi("decision-latency")["value"], json!(27.0));
    assert_eq!(kpi("readiness-compliance")["value"], json!(1.0));
    assert!(
        kpi("milestone-variance")["definition"]
            .as_str()
            .unwrap()
            .contains("baseline")
    );
    let (code, table, _) = f.run(&["metrics", "--as-of", "2026-11-23", "--tolerance", "10"]);
    assert_eq!(code, 0);
    assert!(table.contains("Milestone variance"), "{table}");
    let drift = table
        .lines()
        .find(|l| l.starts_with("Target drift"))
        .unwrap_or_default();
    assert!(drift.contains("100%"), "{table}");
    assert!(drift.contains("4 of 4 within ±10 work days"), "{table}");
    assert!(table.contains("Definitions:"), "{table}");
}

#[test]
fn codeowners_maps_program_folders_to_handles() {
    let f = fixture();
    let out = milepost()
        .arg("codeowners")
        .arg(f.portfolio())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("/portfolio/programs/ledger/ @ada-l @bobstone\n"),
        "{text}"
    );
    assert!(
        text.contains("/portfolio/programs/payouts/ @acme/payments\n"),
        "{text}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("program payouts: sponsor `carol` has no `handle` in people.yaml"),
        "{err}"
    );
    let target = f.dir.path().join(".github/CODEOWNERS");
    let out = milepost()
        .arg("codeowners")
        .arg(f.portfolio())
        .arg("--out")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
}

fn stale(path: &std::path::Path, as_of: &str) -> Vec<(String, String)> {
    let out = milepost()
        .args(["check", "--format", "json", "--as-of", as_of])
        .arg(path)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == json!("risk-stale"))
        .map(|d| {
            (
                d["entity"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn check_measures_unreviewed_risks_from_their_last_commit() {
    let f = fixture();
    // In git: R-1 (raised 10-01) last changed 10-28, 5 days before: fresh. R-2 (no dates)
    // landed 10-20, 13 days before: stale, from history.
    let found = stale(&f.portfolio(), "2026-11-02");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "ledger/R-2");
    assert!(found[0].1.contains("last changed 2026-10-20, 13 days ago (date of the last commit that changed it, from git history)"), "{found:?}");
    // The same files outside git: R-1 is measured from `raised`; nothing dates R-2, so it
    // has never been reviewed.
    let copy = tempfile::tempdir().unwrap();
    for entry in walk(&f.portfolio()) {
        let rel = entry.strip_prefix(f.portfolio()).unwrap();
        let to = copy.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, to).unwrap();
    }
    let found = stale(copy.path(), "2026-11-02");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "ledger/R-1");
    assert!(found[0].1.contains("was raised 2026-10-01"), "{found:?}");
    assert_eq!(found[1].0, "ledger/R-2");
    assert!(found[1].1.contains("has never been reviewed"), "{found:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = milepost()
        .args(args)
        .arg("--path")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bad_states_exit_2_with_a_clear_message() {
    // Not a git repository.
    let plain = common::portfolio(&[]);
    let (code, err) = run_in(plain.path(), &["log", "alpha/M1"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git repository"), "{err}");
    assert!(err.contains("milepost check"), "{err}");
    // An empty repository.
    let empty = tempfile::tempdir().unwrap();
    let _repo = TestRepo::init(empty.path());
    let (code, err) = run_in(empty.path(), &["audit"]);
    assert_eq!(code, 2);
    assert!(err.contains("has no commits yet"), "{err}");
    // A ref that does not exist.
    let f = fixture();
    let (code, _, err) = f.run(&["diff", "mian"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`mian` is not a branch, tag or commit"),
        "{err}"
    );
    assert!(err.contains("did you mean `main`?"), "{err}");
    // An entity that never existed.
    let (code, _, err) = f.run(&["log", "ledger/M22"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `ledger/M2`?"), "{err}");
}

#[test]
fn a_shallow_clone_asks_for_the_full_history() {
    let f = fixture();
    f.repo.make_shallow(f.c.merge);
    let (code, _, err) = f.run(&["log", "ledger/M2"]);
    assert_eq!(code, 2);
    assert!(err.contains("this is a shallow clone"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    let (code, _, err) = f.run(&["metrics"]);
    assert_eq!(code, 2, "{err}");
    // What the shallow history does hold still works.
    let (code, _, err) = f.run(&["audit", "--since", "2026-10-21"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_detached_head_still_works() {
    let f = fixture();
    f.repo.repo.set_head_detached(f.c.merge).unwrap();
    let v = f.json(&["log", "ledger/M2", "--format", "json"]);
    assert_eq!(v["events"].as_array().unwrap().len(), 2);
    let v = f.json(&["diff", "--format", "json", "--as-of", "2026-11-23"]);
    // Merge base of the detached HEAD and main is HEAD itself.
    assert_eq!(v["base"], json!(sha(f.c.merge)));
}

/// `check` and the reports read one session: the error-level findings the executive
/// summary counts are exactly `check`'s, history facts included. (Before the session
/// layer, `render` ran the rules without the git facts: a risk last changed in git a few
/// days ago but `raised` long ago was fresh for `check` and an error in the summary.)
#[test]
fn check_and_render_agree_on_governance_findings_in_git() {
    let f = fixture();
    // The precondition that made the two disagree: outside git the same files give a
    // different count of errors (history facts matter here).
    let copy = tempfile::tempdir().unwrap();
    for entry in walk(&f.portfolio()) {
        let to = copy.path().join(entry.strip_prefix(f.portfolio()).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, to).unwrap();
    }
    let errors_in = |dir: &std::path::Path, d: &str| -> usize {
        let out = milepost()
            .args([
                "check",
                "--format",
                "json",
                "--as-of",
                d,
                "--program",
                "ledger",
            ])
            .arg(dir)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["summary"]["errors"].as_u64().unwrap() as usize
    };
    assert_ne!(
        errors_in(&f.portfolio(), "2026-11-02"),
        errors_in(copy.path(), "2026-11-02")
    );
    for as_of in ["2026-11-02", "2026-11-05", "2026-11-20"] {
        let out = milepost()
            .args([
                "check",
                "--format",
                "json",
                "--as-of",
                as_of,
                "--program",
                "ledger",
            ])
            .arg(f.portfolio())
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<&Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == json!("error"))
            .collect();
        let stale: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == json!("risk-stale"))
            .map(|d| d["entity"].as_str().unwrap())
            .collect();
        // From git, R-1 was changed on 2026-10-28: fresh on 11-02 although raised 10-01.
        if as_of == "2026-11-02" {
            assert!(!stale.contains(&"ledger/R-1"), "{stale:?}");
        }
        let out = milepost()
            .args(["render", "summary", "--program", "ledger", "--as-of", as_of])
            .arg(f.portfolio())
            .output()
            .unwrap();
        let summary = String::from_utf8(out.stdout).unwrap();
        let n = errors.len();
        let counted = format!(
            "{n} error-level governance finding{}",
            if n == 1 { "" } else { "s" }
        );
        if n == 0 {
            assert!(
                !summary.contains("error-level governance finding"),
                "{as_of}: {summary}"
            );
        } else {
            assert!(
                summary.contains(&counted),
                "{as_of}: want `{counted}` in {summary}"
            );
        }
    }
}

/// Never a false-clean answer: run on a folder that holds no portfolio (the repository root,
/// with the portfolio in `portfolio/`), every history command exits 2 and names where the
/// portfolio is, instead of "0 changes" or "no change to the plan".
#[test]
fn history_commands_refuse_a_folder_without_a_portfolio() {
    let f = fixture();
    for args in [
        vec!["audit"],
        vec!["diff", "HEAD~1", "HEAD"],
        vec!["log", "ledger/M2"],
        vec!["metrics"],
    ] {
        let out = milepost()
            .args(&args)
            .arg("--path")
            .arg(f.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        assert!(
            stderr.contains("is not a milepost portfolio"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("`portfolio`"),
            "{args:?}: the hint names it: {stderr}"
        );
    }
    // From inside the portfolio (a sub-folder of it), the portfolio is found upwards.
    let out = milepost()
        .args(["log", "ledger/M2", "--path"])
        .arg(f.portfolio().join("programs/ledger"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A diff whose base predates the portfolio says so (exit 2), instead of reporting every
/// entity as added or nothing as changed.
#[test]
fn a_diff_from_before_the_portfolio_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    repo.write("README.md", "# plans\n");
    repo.commit("Ada", "2026-09-01T09:00:00+00:00", "Start the repository");
    repo.write("portfolio/milepost.yaml", "name: t\n");
    repo.write(
        "portfolio/people.yaml",
        "people:\n  - id: ada\n    name: Ada\n",
    );
    repo.write(
        "portfolio/programs/alpha/program.yaml",
        "name: Alpha\nowner: ada\n",
    );
    repo.commit("Ada", "2026-09-02T09:00:00+00:00", "Add the portfolio");
    let out = milepost()
        .args(["diff", "HEAD~1", "HEAD", "--path"])
        .arg(dir.path().join("portfolio"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("has no portfolio at `portfolio/`"),
        "{stderr}"
    );
    assert!(stderr.contains("predates the portfolio"), "{stderr}");
    assert!(stderr.contains("git log --diff-filter=A"), "{stderr}");
}

/// CSV is safe to open in a spreadsheet: formula payloads in a title, an owner and a commit
/// author come out as text (prefixed with `'`), read back by a real CSV reader.
#[test]
fn csv_injection_payloads_come_out_inert() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    repo.write("p/milepost.yaml", "name: t\n");
    repo.write("p/people.yaml", "people:\n  - id: ada\n    name: Ada\n");
    repo.write("p/programs/alpha/program.yaml", "name: Alpha\nowner: ada\n");
    repo.write(
        "p/programs/alpha/milestones.yaml",
        "milestones:\n  - id: M1\n    title: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"\n    owner: ada\n    duration: 5d\n    target: 2026-12-18\n",
    );
    repo.commit(
        "=cmd|' /C calc'!A0 <evil@example.com>",
        "2026-11-02T09:00:00+00:00",
        "@SUM(1+1)",
    );
    let out = milepost()
        .args(["audit", "--format", "csv", "--path"])
        .arg(dir.path().join("p"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let mut cells = 0;
    for record in reader.records() {
        let record = record.unwrap();
        for (name, cell) in headers.iter().zip(record.iter()) {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "{name}: `{cell}` would be evaluated by a spreadsheet"
            );
        }
        assert_eq!(&record[3], "'=cmd|' /C calc'!A0");
        assert_eq!(&record[18], "'@SUM(1+1)");
    }
    assert!(cells > 0);
    let out = milepost()
        .args(["plan", "--format", "csv", "--as-of", "2026-11-23"])
        .arg(dir.path().join("p"))
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil.example\",\"x\")");
}

/// Runs milepost from the repository root with `args` as given (no `--path`).
fn run_from(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = milepost().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_history_report_states_what_it_covers_and_how_many_versions_it_skipped() {
    let f = fixture();
    let head = sha(f.c.done);
    for args in [
        &["audit", "--format", "json"][..],
        &["metrics", "--format", "json", "--as-of", "2026-11-23"],
        &["log", "ledger/R-1", "--format", "json"],
    ] {
        let v = f.json(args);
        let c = &v["coverage"];
        assert_eq!(c["portfolio"], "portfolio", "{args:?}");
        assert_eq!(c["rev"], "HEAD", "{args:?}");
        assert_eq!(c["commit"], json!(head), "{args:?}");
        assert_eq!(c["first_parent"], true, "{args:?}");
        assert_eq!(
            c["commits_read"], 6,
            "{args:?}: the first-parent line has 6 commits"
        );
        assert_eq!(c["skipped_versions"], 1, "{args:?}: raid.yaml at `broken`");
    }
    let (_, md, _) = f.run(&["audit"]);
    assert!(
        md.contains("Portfolio `portfolio`, history of HEAD (")
            && md.contains("6 commits read; 1 file version skipped (did not parse)."),
        "{md}"
    );
    let (_, table, _) = f.run(&["metrics", "--as-of", "2026-11-23"]);
    assert!(
        table.contains("as of 2026-11-23; 1 file version skipped"),
        "{table}"
    );
    let (_, _, stderr) = f.run(&["audit", "--format", "csv"]);
    assert!(stderr.contains("note: audit: "), "{stderr}");
    assert!(stderr.contains("1 file version skipped"), "{stderr}");
}

#[test]
fn diff_takes_the_portfolio_as_its_last_positional_and_flags_unparsable_sides() {
    let f = fixture();
    let broken = sha(f.c.broken);
    let merge = sha(f.c.merge);
    // `milepost diff BASE HEAD PATH`, `milepost diff BASE PATH`.
    let (code, md, stderr) = run_from(
        f.dir.path(),
        &[
            "diff",
            &merge,
            &broken,
            "portfolio",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(md.contains("in `portfolio`"), "{md}");
    assert!(md.contains("did not parse"), "{md}");
    assert!(md.contains("head: programs/ledger/raid.yaml:"), "{md}");
    let (code, json_text, stderr) = run_from(
        f.dir.path(),
        &[
            "diff",
            &merge,
            "portfolio",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(v["portfolio"], "portfolio");
    assert_eq!(v["head"], "working tree");
    assert_eq!(v["unreadable"], json!([]));
}

#[test]
fn program_filters_limit_audit_metrics_and_diff() {
    let f = fixture();
    let v = f.json(&["audit", "--format", "json", "--program", "payouts"]);
    let entries = v["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(
        entries
            .iter()
            .all(|e| e["entity"].as_str().unwrap().starts_with("payouts")),
        "{v:#}"
    );
    assert_eq!(v["coverage"]["programs"], json!(["payouts"]));
    let all = f.json(&["audit", "--format", "json"]);
    assert!(all["entries"].as_array().unwrap().len() > entries.len());

    let v = f.json(&[
        "metrics",
        "--format",
        "json",
        "--as-of",
        "2026-11-23",
        "--program",
        "payouts",
    ]);
    let variance = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "milestone-variance")
        .unwrap();
    assert_eq!(
        variance["value"],
        Value::Null,
        "payouts has no milestones: {variance:#}"
    );

    let v = f.json(&[
        "diff",
        &sha(f.c.start),
        &sha(f.c.done),
        "--format",
        "json",
        "--program",
        "payouts",
    ]);
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["entity"].as_str().unwrap().starts_with("payouts"))
    );

    for cmd in [
        &["audit", "--program", "ledgr"][..],
        &["metrics", "--program", "ledgr"],
    ] {
        let (code, _, stderr) = f.run(cmd);
        assert_eq!(code, 2, "{cmd:?}");
        assert!(stderr.contains("did you mean `ledger`?"), "{stderr}");
    }
}

#[test]
fn the_parse_cache_changes_speed_not_answers() {
    let f = fixture();
    let cache = tempfile::tempdir().unwrap();
    let run = |cache_home: &std::path::Path, args: &[&str]| {
        let out = milepost()
            .env("XDG_CACHE_HOME", cache_home)
            .args(args)
            .arg(f.portfolio())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        out.stdout
    };
    for args in [
        &["audit", "--format", "json"][..],
        &["audit", "--format", "csv"],
        &["metrics", "--format", "json", "--as-of", "2026-11-23"],
        &["log", "ledger/M2", "--format", "json"],
        &["audit", "--all-parents", "--format", "json"],
    ] {
        let cold = run(cache.path(), args);
        let warm = run(cache.path(), args);
        let mut bypass = args.to_vec();
        bypass.push("--no-cache");
        let uncached = run(cache.path(), &bypass);
        assert_eq!(cold, uncached, "{args:?}: cold");
        assert_eq!(warm, uncached, "{args:?}: warm");
    }
    // The store is in the user's cache folder…
    let stores: Vec<_> = std::fs::read_dir(cache.path().join("milepost"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(stores.len(), 1, "{stores:?}");
    assert_eq!(stores[0].extension().unwrap(), "parsed");
    // …never written with --no-cache…
    let untouched = tempfile::tempdir().unwrap();
    run(
        untouched.path(),
        &["audit", "--format", "json", "--no-cache"],
    );
    assert_eq!(std::fs::read_dir(untouched.path()).unwrap().count(), 0);
    // …and never inside the repository, even when the cache folder points there.
    let inside = f.dir.path().join("cache-home");
    run(&inside, &["audit", "--format", "json"]);
    assert!(
        !inside.exists(),
        "a cache was written inside the repository"
    );
    let git = f.dir.path().join(".git");
    run(&git, &["audit", "--format", "json"]);
    assert!(
        !git.join("milepost").exists(),
        "a cache was written inside .git"
    );
}
