//! Identity through renames: a program folder renamed in a commit keeps one history in
//! `log`, `audit`, `diff` and `metrics`, found by git's rename detection on the folder or by
//! an explicit `renamed_from:` in the new program.yaml, and a rename is not a scope change.

mod common;

use common::milepost;
use milepost_history::testing::TestRepo;
use serde_json::Value;

const WHO: &str = "Ada <ada@example.com>";

fn run(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = milepost().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Three programs; `alpha` moves M1 once, is renamed to `to` (by `rename`), then moves M1
/// again. Returns the commit before the rename.
fn history(rename: impl FnOnce(&mut TestRepo)) -> (tempfile::TempDir, TestRepo, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = TestRepo::init(dir.path());
    for (path, text) in common::BASE {
        repo.write(&format!("p/{path}"), text);
    }
    for other in ["beta", "gamma"] {
        for (path, text) in common::BASE {
            if let Some(rest) = path.strip_prefix("programs/alpha/") {
                repo.write(&format!("p/programs/{other}/{rest}"), text);
            }
        }
    }
    repo.commit(WHO, "2026-11-02T10:00:00Z", "Plan");
    let m = |t: &str| {
        common::BASE[3]
            .1
            .replacen("target: 2026-12-18", &format!("target: {t}"), 1)
    };
    repo.write("p/programs/alpha/milestones.yaml", &m("2026-12-25"));
    let before = repo.commit(WHO, "2026-11-04T10:00:00Z", "Move alpha/M1 a week");
    rename(&mut repo);
    repo.commit(WHO, "2026-11-06T10:00:00Z", "Rename the program");
    let moved = m("2027-01-08");
    repo.write("p/programs/delta/milestones.yaml", &moved);
    repo.commit(WHO, "2026-11-10T10:00:00Z", "Move delta/M1 two weeks");
    (dir, repo, before.to_string())
}

/// `git mv programs/alpha programs/delta`, nothing else.
fn plain_move(repo: &mut TestRepo) {
    for (path, text) in common::BASE {
        if let Some(rest) = path.strip_prefix("programs/alpha/") {
            let text = if rest == "milestones.yaml" {
                common::BASE[3]
                    .1
                    .replacen("target: 2026-12-18", "target: 2026-12-25", 1)
            } else {
                (*text).to_owned()
            };
            repo.remove(&format!("p/programs/alpha/{rest}"));
            repo.write(&format!("p/programs/delta/{rest}"), &text);
        }
    }
}

/// The folder renamed while both files are rewritten beyond git's similarity, with an
/// explicit `renamed_from: alpha`.
fn rewritten_move(repo: &mut TestRepo) {
    repo.remove("p/programs/alpha/program.yaml");
    repo.remove("p/programs/alpha/milestones.yaml");
    repo.write(
        "p/programs/delta/program.yaml",
        "name: Delta (was Alpha)\nrenamed_from: alpha\nstatus: active\nowner: bob\nsponsor: ada\nstart: 2026-11-02\nobjectives: [Ship the whole thing, and more]\nsuccess_metrics:\n  - metric: latency\n    target: 100\nscope:\n  in: [API]\n",
    );
    repo.write(
        "p/programs/delta/milestones.yaml",
        "milestones:\n  - id: M1\n    title: Design review with partners\n    owner: ada\n    duration: 5d\n    target: 2026-12-25\n  - id: M2\n    title: Build and harden the API\n    owner: bob\n    duration: 2w\n    depends_on: [M1]\n    target: 2027-01-29\n",
    );
}

fn check_one_history(dir: &std::path::Path, before: &str) {
    // log follows M1 through the rename: its first target move is in its history.
    let log = run(dir, &["log", "delta/M1", "--format", "json", "p"]);
    let text = log.to_string();
    assert!(
        text.contains("2026-12-25") && text.contains("2027-01-08") && text.contains("2026-12-18"),
        "{log:#}"
    );
    // audit: no program removed or added after the first commit; the rename is one row.
    let audit = run(dir, &["audit", "--format", "json", "p"]);
    let entries = audit["entries"].as_array().expect("entries");
    let later: Vec<&Value> = entries
        .iter()
        .filter(|e| e["entity_kind"] == "program" && e["kind"] != "modified")
        .filter(|e| e["date"].as_str().unwrap_or("") > "2026-11-03")
        .collect();
    assert!(later.is_empty(), "{later:#?}\n{audit:#}");
    assert!(
        entries
            .iter()
            .any(|e| e["entity"] == "delta" && e["field"] == "id" && e["before"] == "alpha"),
        "{audit:#}"
    );
    assert!(
        !entries.iter().any(|e| e["entity"]
            .as_str()
            .is_some_and(|s| s == "alpha" || s.starts_with("alpha/"))),
        "every change is under the program's current id: {audit:#}"
    );
    // metrics: three programs, no scope change.
    let metrics = run(
        dir,
        &["metrics", "--format", "json", "--as-of", "2026-11-23", "p"],
    );
    let kpis = metrics["kpis"].as_array().expect("kpis");
    let scope = kpis
        .iter()
        .find(|k| k["id"] == "scope-change-rate")
        .expect("scope-change-rate");
    assert_eq!(scope["value"], 0.0, "{scope:#}");
    assert!(
        scope["detail"]
            .as_str()
            .unwrap_or("")
            .contains("3 committed programs"),
        "{scope:#}"
    );
    // diff across the rename: renamed, not removed and added.
    let diff = run(dir, &["diff", before, "--format", "json", "p"]);
    let changes = diff["changes"].as_array().expect("changes");
    assert!(
        !changes
            .iter()
            .any(|c| c["entity_kind"] == "program" && c["kind"] != "modified"),
        "{diff:#}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["entity"] == "delta" && c["field"] == "id"),
        "{diff:#}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["entity"] == "delta/M1" && c["field"] == "target" && c["work_days"] == 10),
        "{diff:#}"
    );
}

#[test]
fn a_folder_moved_with_git_mv_keeps_one_history() {
    let (dir, _repo, before) = history(plain_move);
    check_one_history(dir.path(), &before);
}

#[test]
fn renamed_from_names_a_rename_git_cannot_see() {
    let (dir, _repo, before) = history(rewritten_move);
    check_one_history(dir.path(), &before);
}
