//! `log`, `diff`, `audit`, `metrics` and `last_changed` on the scripted history of
//! `milepost_history::testing::scripted`: exact commits, authors, fields, work days, pull
//! requests and hand-computed KPIs.

#![expect(
    clippy::many_single_char_names,
    clippy::type_complexity,
    reason = "commit handles a, b, c… mirror the scripted history; tuples of expected rows"
)]

use chrono::NaiveDate;
use milepost_history::testing::{SCRIPTED_PREFIX, feature_branch, scripted};
use milepost_history::{
    ChangeKind, EntityKind, EventKind, History, HistoryError, MetricsOptions, WalkOptions,
    diff_portfolios,
};
use serde_json::json;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn open(dir: &std::path::Path) -> History {
    History::open(&dir.join(SCRIPTED_PREFIX)).expect("open")
}

#[test]
fn maps_the_portfolio_folder_inside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    scripted(dir.path());
    let h = open(dir.path());
    assert_eq!(h.prefix(), "portfolio");
    let root = History::open(dir.path()).unwrap();
    assert_eq!(root.prefix(), "");
}

#[test]
fn log_of_a_milestone_lists_each_commit_that_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let log = h.entity_log(tip, "ledger/M2", true).unwrap();
    assert_eq!(log.entity_kind, EntityKind::Milestone);
    let commits: Vec<&str> = log.events.iter().map(|e| e.commit.as_str()).collect();
    assert_eq!(commits, [c.start.to_string(), c.slip.to_string()]);
    let created = &log.events[0];
    assert_eq!(created.kind, EventKind::Created);
    assert_eq!(created.author, "Ada Lovelace");
    assert_eq!(created.email, "ada@example.com");
    assert_eq!(created.date, "2026-10-01T09:00:00+02:00");
    assert_eq!(created.pr, Some(1));
    let fields: Vec<&str> = created.changes.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "title",
            "owner",
            "kind",
            "duration",
            "depends_on",
            "target",
            "status"
        ]
    );
    assert!(created.changes.iter().all(|f| f.before.is_null()));
    let slip = &log.events[1];
    assert_eq!(slip.kind, EventKind::Modified);
    assert_eq!(slip.author, "Bob Stone");
    assert_eq!(slip.summary, "Slip the ledger cut-over two weeks (#42)");
    assert_eq!(slip.pr, Some(42));
    assert_eq!(slip.changes.len(), 1);
    let change = &slip.changes[0];
    assert_eq!(change.field, "target");
    assert_eq!(change.before, json!("2026-11-06"));
    assert_eq!(change.after, json!("2026-11-20"));
    // 2026-11-11 is a holiday on the portfolio calendar: two weeks are nine work days.
    assert_eq!(change.work_days, Some(9));
}

#[test]
fn merges_are_attributed_to_the_merge_commit_on_the_first_parent_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let log = h.entity_log(tip, "ledger/M1", true).unwrap();
    let last = log
        .events
        .iter()
        .find(|e| e.commit == c.merge.to_string())
        .unwrap();
    assert_eq!(last.author, "Carol Diaz");
    assert_eq!(last.pr, Some(7));
    assert_eq!(last.changes[0].field, "owner");
    assert_eq!(last.changes[0].before, json!("ada"));
    assert_eq!(last.changes[0].after, json!("bob"));
    // Walking every parent attributes the change to the pull request's own commit.
    let all = h.entity_log(tip, "ledger/M1", false).unwrap();
    let owner = all
        .events
        .iter()
        .find(|e| e.kind == EventKind::Modified && e.changes.iter().any(|f| f.field == "owner"))
        .unwrap();
    assert_eq!(owner.commit, c.side.to_string());
    assert_eq!(owner.author, "Dan Ops");
}

#[test]
fn a_commit_that_does_not_parse_is_reported_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let log = h.entity_log(tip, "ledger/R-1", true).unwrap();
    assert_eq!(log.problems.len(), 1);
    assert_eq!(log.problems[0].commit, c.broken.to_string());
    assert_eq!(log.problems[0].path, "programs/ledger/raid.yaml");
    assert!(!log.problems[0].messages.is_empty());
    // The broken version is skipped: the fix shows the real change since the last good one.
    let commits: Vec<String> = log.events.iter().map(|e| e.commit.clone()).collect();
    assert_eq!(commits, [c.start.to_string(), c.fix.to_string()]);
    let fields: Vec<(&str, i64)> = log.events[1]
        .changes
        .iter()
        .map(|f| (f.field.as_str(), f.work_days.unwrap_or(i64::MIN)))
        .collect();
    assert_eq!(fields, [("status", i64::MIN), ("due", i64::MIN)]);
}

#[test]
fn log_of_a_charter_and_unknown_entities() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let log = h.entity_log(tip, "ledger", true).unwrap();
    assert_eq!(log.entity_kind, EntityKind::Program);
    assert_eq!(log.events.len(), 2);
    assert_eq!(log.events[1].commit, c.done.to_string());
    assert_eq!(log.events[1].changes[0].field, "scope.in");
    match h.entity_log(tip, "ledger/M22", true) {
        Err(HistoryError::UnknownEntity { suggestion, .. }) => {
            assert_eq!(suggestion.as_deref(), Some("ledger/M2"));
        }
        other => panic!("{other:?}"),
    }
    match h.entity_log(tip, "ledgr/M2", true) {
        Err(HistoryError::UnknownEntity { suggestion, .. }) => {
            assert_eq!(suggestion.as_deref(), Some("ledger"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn audit_reports_commitment_changes_in_the_window_with_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let audit = h
        .audit(
            tip,
            Some(date("2026-10-10")),
            Some(date("2026-10-31")),
            true,
        )
        .unwrap();
    let rows: Vec<(String, &str, &str, Option<&str>, Option<u64>)> = audit
        .entries
        .iter()
        .map(|e| {
            (
                e.commit[..7].to_owned(),
                e.entity.as_str(),
                e.kind.as_str(),
                e.field.as_deref(),
                e.pr,
            )
        })
        .collect();
    let s = |id: git2::Oid| id.to_string()[..7].to_owned();
    assert_eq!(
        rows,
        [
            (s(c.slip), "ledger/M2", "modified", Some("target"), Some(42)),
            (s(c.merge), "ledger/M1", "modified", Some("owner"), Some(7)),
            (s(c.merge), "ledger/R-2", "added", None, Some(7)),
            (
                s(c.fix),
                "ledger/DEC-1",
                "modified",
                Some("status"),
                Some(44)
            ),
            (
                s(c.fix),
                "ledger/DEC-1",
                "modified",
                Some("decided"),
                Some(44)
            ),
            (
                s(c.fix),
                "ledger/DEC-1",
                "modified",
                Some("decided_by"),
                Some(44)
            ),
            (
                s(c.fix),
                "ledger/DEC-1",
                "modified",
                Some("outcome"),
                Some(44)
            ),
            (s(c.fix), "ledger/D-1", "modified", Some("status"), Some(44)),
            (s(c.fix), "ledger/R-1", "modified", Some("status"), Some(44)),
            (s(c.fix), "ledger/R-1", "modified", Some("due"), Some(44)),
        ]
    );
    let slip = &audit.entries[0];
    assert_eq!(slip.author, "Bob Stone");
    assert_eq!(slip.committer, "GitHub");
    assert_eq!(slip.work_days, Some(9));
    assert_eq!(slip.category, "date");
    assert_eq!(slip.reviewed_by, ["Ada Lovelace <ada@example.com>"]);
    assert_eq!(slip.approved_by, ["Carol Diaz <carol@example.com>"]);
    assert!(!slip.signed);
    let merge = &audit.entries[1];
    assert_eq!(merge.author, "Carol Diaz");
    assert_eq!(merge.approved_by, ["Bob Stone <bob@example.com>"]);
    assert!(
        audit
            .entries
            .iter()
            .filter(|e| e.commit == c.fix.to_string())
            .all(|e| e.signed)
    );
    assert_eq!(audit.problems.len(), 1);
    assert_eq!(audit.problems[0].commit, c.broken.to_string());
}

#[test]
fn semantic_diff_between_two_commits_and_the_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, c) = scripted(dir.path());
    let h = open(dir.path());
    let before = h.portfolio_at(c.start).unwrap().unwrap();
    let after = h.portfolio_at(c.slip).unwrap().unwrap();
    let d = diff_portfolios(&before, &after, date("2026-10-15"));
    assert_eq!(d.changes.len(), 1);
    let change = &d.changes[0];
    assert_eq!(change.entity, "ledger/M2");
    assert_eq!(change.kind, ChangeKind::Modified);
    assert_eq!(change.field.as_deref(), Some("target"));
    assert_eq!(change.work_days, Some(9));
    assert_eq!(change.title.as_deref(), Some("Ledger cut-over"));

    let feature = feature_branch(&mut r);
    let base = h
        .merge_base(&h.head().unwrap(), &h.default_branch().unwrap())
        .unwrap();
    assert_eq!(base.id, c.done);
    let base_p = h.portfolio_at(base.id).unwrap().unwrap();
    let head_p = h.portfolio_at(feature).unwrap().unwrap();
    let d = diff_portfolios(&base_p, &head_p, date("2026-11-23"));
    let rows: Vec<(&str, &str, Option<&str>, Option<i64>)> = d
        .changes
        .iter()
        .map(|c| {
            (
                c.entity.as_str(),
                c.kind.as_str(),
                c.field.as_deref(),
                c.work_days,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ledger", "modified", Some("scope.out"), None),
            ("ledger/M2", "modified", Some("target"), Some(10)),
            ("ledger/M3", "modified", Some("owner"), None),
            ("ledger/M5", "added", None, None),
            ("ledger/R-1", "modified", Some("impact"), None),
        ]
    );
    assert_eq!(d.plan_after.critical_path, ["ledger/M5"]);
    assert_ne!(d.plan_before.critical_path, d.plan_after.critical_path);
    let worktree = h.working_tree_portfolio().unwrap();
    let d = diff_portfolios(&head_p, &worktree, date("2026-11-23"));
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].entity, "ledger/DEC-2");
    assert_eq!(d.changes[0].kind, ChangeKind::Added);
    assert_eq!(d.changes[0].after["status"], json!("proposed"));
}

#[test]
fn metrics_match_the_hand_computed_values() {
    let dir = tempfile::tempdir().unwrap();
    scripted(dir.path());
    let h = open(dir.path());
    let m = h
        .metrics(&MetricsOptions {
            tip: h.head().unwrap().id,
            baseline: None,
            as_of: date("2026-11-23"),
            tolerance_days: Some(5),
            programs: Vec::new(),
            first_parent: true,
            by_program: false,
            trend: None,
        })
        .unwrap();
    let get = |id: &str| m.kpis.iter().find(|k| k.id == id).unwrap();
    // Baselines (first committed targets): M1 10-30, M2 11-06, M3 12-18, M4 10-28.
    // Current: M1 done 10-29 (−1), M2 11-20 (+9, holiday 11-11), M3 (0), M4 done 10-28 (0).
    // (The drift of targets; `milestone-variance` compares open milestones' forecasts.)
    let v = get("target-drift");
    assert_eq!((v.numerator, v.denominator), (Some(3), 4));
    assert_eq!(v.value, Some(0.75));
    let worst = v.entities.iter().find(|e| e.met == Some(false)).unwrap();
    assert_eq!(
        (worst.entity.as_str(), worst.value),
        ("ledger/M2", Some(9.0))
    );
    let o = get("milestone-on-time");
    assert_eq!(
        (o.numerator, o.denominator, o.value),
        (Some(2), 2, Some(1.0))
    );
    // Ledger committed (active) at the first commit with 2 in + 1 out + 1 deliverable = 4
    // lines; one line ("Audit trail") added after. Payouts is never active.
    let s = get("scope-change-rate");
    assert_eq!(
        (s.numerator, s.denominator, s.value),
        (Some(1), 4, Some(0.25))
    );
    // D-1 raised 2026-09-21, open: 63 days on 2026-11-23.
    let d = get("dependency-age-open");
    assert_eq!((d.denominator, d.value), (1, Some(63.0)));
    // …and past the 28-day window, so `dependency-aging` counts it as not resolved in time.
    let d = get("dependency-aging");
    assert_eq!(
        (d.numerator, d.denominator, d.value),
        (Some(0), 1, Some(0.0))
    );
    // R-1 (high; owner, mitigation, due) covered; R-2 (critical; no mitigation) not.
    let r = get("risk-burn-down");
    assert_eq!(
        (r.numerator, r.denominator, r.value),
        (Some(1), 2, Some(0.5))
    );
    // I-1 escalated Thursday 10-22, resolved Tuesday 10-27: 3 business days (22, 23, 26);
    // I-2 still escalated.
    let e = get("escalation-cycle-time");
    assert_eq!((e.denominator, e.value), (1, Some(3.0)));
    assert!(e.detail.contains("1 escalation still open"), "{}", e.detail);
    // DEC-1 raised 10-01, decided 10-28: 27 days.
    let l = get("decision-latency");
    assert_eq!((l.denominator, l.value), (1, Some(27.0)));
    // M4 done with security-review done and runbook waived by bob.
    let g = get("readiness-compliance");
    assert_eq!(
        (g.numerator, g.denominator, g.value),
        (Some(1), 1, Some(1.0))
    );
    assert!(m.kpis.iter().all(|k| !k.definition.is_empty()));
}

#[test]
fn metrics_against_a_baseline_tag() {
    let dir = tempfile::tempdir().unwrap();
    let (r, c) = scripted(dir.path());
    r.tag("plan-of-record", c.slip);
    let h = open(dir.path());
    let base = h.resolve("plan-of-record").unwrap();
    let m = h
        .metrics(&MetricsOptions {
            tip: h.head().unwrap().id,
            baseline: Some((base.name.clone(), base.id)),
            as_of: date("2026-11-23"),
            tolerance_days: Some(5),
            programs: Vec::new(),
            first_parent: true,
            by_program: false,
            trend: None,
        })
        .unwrap();
    let v = m.kpis.iter().find(|k| k.id == "target-drift").unwrap();
    // Against the tag, M2's baseline is already 2026-11-20: every milestone is within.
    assert_eq!((v.numerator, v.denominator), (Some(4), 4));
    assert!(m.baseline.starts_with("targets at plan-of-record"));
}

#[test]
fn last_changed_dates_of_risks() {
    let dir = tempfile::tempdir().unwrap();
    scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let last = h.last_changed(tip, &[EntityKind::Risk]).unwrap();
    assert_eq!(last.get("ledger/R-1"), Some(&date("2026-10-28")));
    // Added on the pull-request branch; landed with the merge on 2026-10-20.
    assert_eq!(last.get("ledger/R-2"), Some(&date("2026-10-20")));
    assert_eq!(last.len(), 2);
}

#[test]
fn each_distinct_blob_is_parsed_once() {
    let dir = tempfile::tempdir().unwrap();
    scripted(dir.path());
    let h = open(dir.path());
    let tip = h.head().unwrap().id;
    let walk = h.walk(tip, &WalkOptions::default()).unwrap();
    assert_eq!(walk.walked, 6);
    // Versions: milepost.yaml 1, program.yaml 2+1, milestones 4, raid 4, decisions 2.
    assert_eq!(walk.parsed, 14);
}
