//! Every bad state of a repository gets a clear error (or, for a commit that does not
//! parse, a reported problem and a walk that goes on).

#![allow(
    clippy::many_single_char_names,
    clippy::type_complexity,
    reason = "commit handles a, b, c… mirror the scripted history; tuples of expected rows"
)]

use milepost_history::testing::{SCRIPTED_PREFIX, TestRepo, scripted};
use milepost_history::{EventKind, History, HistoryError, WalkOptions};

#[test]
fn not_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("milepost.yaml"), "name: x\n").unwrap();
    let err = History::open(dir.path()).unwrap_err();
    assert!(matches!(err, HistoryError::NotARepository(_)), "{err:?}");
    assert!(err.to_string().contains("is not inside a git repository"));
    assert!(err.hint().unwrap().contains("milepost check"));
    let missing = History::open(&dir.path().join("nope")).unwrap_err();
    assert!(matches!(missing, HistoryError::NotFound(_)), "{missing:?}");
}

#[test]
fn an_empty_repository() {
    let dir = tempfile::tempdir().unwrap();
    let _repo = TestRepo::init(dir.path());
    let h = History::open(dir.path()).unwrap();
    let err = h.head().unwrap_err();
    assert!(matches!(err, HistoryError::EmptyRepository(_)), "{err:?}");
    assert!(err.to_string().contains("has no commits yet"));
    let e = h.resolve("main").unwrap_err();
    assert!(matches!(e, HistoryError::EmptyRepository(_)), "{e:?}");
}

#[test]
fn a_ref_that_does_not_exist_suggests_the_closest_branch_or_tag() {
    let dir = tempfile::tempdir().unwrap();
    let (r, c) = scripted(dir.path());
    r.tag("v1.0", c.slip);
    let h = History::open(&dir.path().join(SCRIPTED_PREFIX)).unwrap();
    match h.resolve("mian").unwrap_err() {
        HistoryError::UnknownRef { name, suggestion } => {
            assert_eq!(name, "mian");
            assert_eq!(suggestion.as_deref(), Some("main"));
        }
        other => panic!("{other:?}"),
    }
    match h.resolve("v1.O").unwrap_err() {
        e @ HistoryError::UnknownRef { .. } => {
            assert!(
                e.hint().unwrap().contains("did you mean `v1.0`"),
                "{:?}",
                e.hint()
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        h.resolve("0000000000000000000000000000000000000001")
            .unwrap_err(),
        HistoryError::UnknownRef { .. }
    ));
    assert_eq!(h.resolve("v1.0").unwrap().id, c.slip);
    assert_eq!(h.resolve("HEAD~1").unwrap().id, c.fix);
}

#[test]
fn a_detached_head_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let (r, c) = scripted(dir.path());
    r.repo.set_head_detached(c.merge).unwrap();
    let h = History::open(&dir.path().join(SCRIPTED_PREFIX)).unwrap();
    let head = h.head().unwrap();
    assert_eq!(head.id, c.merge);
    let log = h.entity_log(head.id, "ledger/M2", true).unwrap();
    assert_eq!(log.events.len(), 2);
    // The default branch is found from the branch, not from HEAD.
    let main = h.default_branch().unwrap();
    assert_eq!((main.name.as_str(), main.id), ("main", c.done));
    assert_eq!(h.merge_base(&head, &main).unwrap().id, c.merge);
}

#[test]
fn no_default_branch_to_compare_with() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = TestRepo::init(dir.path());
    r.write("milepost.yaml", "name: x\n");
    let id = r.commit("A <a@example.com>", "2026-10-01T09:00:00Z", "start");
    r.branch("trunk", id);
    r.switch("trunk");
    r.repo
        .find_reference("refs/heads/main")
        .unwrap()
        .delete()
        .unwrap();
    let h = History::open(dir.path()).unwrap();
    let err = h.default_branch().unwrap_err();
    assert!(matches!(err, HistoryError::NoDefaultBranch));
    assert!(err.hint().unwrap().contains("origin/main"));
}

#[test]
fn a_shallow_clone_without_the_needed_history() {
    let dir = tempfile::tempdir().unwrap();
    let (r, c) = scripted(dir.path());
    r.make_shallow(c.merge);
    let h = History::open(&dir.path().join(SCRIPTED_PREFIX)).unwrap();
    assert!(h.is_shallow());
    let tip = h.head().unwrap().id;
    let walk = h.walk(tip, &WalkOptions::default()).unwrap();
    assert_eq!(walk.truncated.as_deref(), Some(&c.merge.to_string()[..7]));
    // M2 was created before the boundary: its history is missing.
    let err = h.entity_log(tip, "ledger/M2", true).unwrap_err();
    match &err {
        HistoryError::Shallow { boundary, .. } => assert_eq!(boundary, &c.merge.to_string()[..7]),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("shallow clone"));
    assert!(err.hint().unwrap().contains("fetch-depth: 0"));
    assert!(err.hint().unwrap().contains("--unshallow"));
    // An audit window entirely after the boundary is complete.
    let since = chrono::NaiveDate::from_ymd_opt(2026, 10, 21);
    let audit = h.audit(tip, since, None, true).unwrap();
    assert!(!audit.entries.is_empty());
    // One that reaches before it is not.
    assert!(matches!(
        h.audit(tip, None, None, true).unwrap_err(),
        HistoryError::Shallow { .. }
    ));
    // Metrics need the first committed targets.
    assert!(matches!(
        h.metrics(&milepost_history::MetricsOptions {
            tip,
            baseline: None,
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            tolerance_days: Some(5),
            programs: Vec::new(),
            first_parent: true,
            by_program: false,
            trend: None,
        })
        .unwrap_err(),
        HistoryError::Shallow { .. }
    ));
    // The merge base with a commit behind the boundary cannot be found.
    let old = milepost_history::Rev {
        name: "old".into(),
        id: c.side,
    };
    let err = h.merge_base(&h.head().unwrap(), &old).unwrap_err();
    assert!(matches!(err, HistoryError::Shallow { .. }), "{err:?}");
    assert!(err.to_string().contains("merge base"), "{err}");
}

#[test]
fn a_charter_that_does_not_parse_keeps_its_last_good_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = TestRepo::init(dir.path());
    r.write("milepost.yaml", "name: x\n");
    r.write(
        "programs/p/program.yaml",
        "name: P\nstatus: active\nowner: ada\n",
    );
    let a = r.commit("A <a@example.com>", "2026-10-01T09:00:00Z", "start");
    r.write(
        "programs/p/program.yaml",
        "name: P\nstatus: bogus\nowner: ada\n",
    );
    let b = r.commit("A <a@example.com>", "2026-10-02T09:00:00Z", "bad status");
    r.write(
        "programs/p/program.yaml",
        "name: P\nstatus: paused\nowner: bob\n",
    );
    let c = r.commit("A <a@example.com>", "2026-10-03T09:00:00Z", "pause");
    let h = History::open(dir.path()).unwrap();
    let log = h.entity_log(c, "p", true).unwrap();
    assert_eq!(log.problems.len(), 1);
    assert_eq!(log.problems[0].commit, b.to_string());
    assert_eq!(log.problems[0].path, "programs/p/program.yaml");
    let commits: Vec<String> = log.events.iter().map(|e| e.commit.clone()).collect();
    assert_eq!(commits, [a.to_string(), c.to_string()]);
    assert_eq!(log.events[1].kind, EventKind::Modified);
    let fields: Vec<&str> = log.events[1]
        .changes
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["status", "owner"]);
}

/// Loose object files of `id` in the repository at `dir`.
fn object_file(dir: &std::path::Path, id: git2::Oid) -> std::path::PathBuf {
    let hex = id.to_string();
    dir.join(".git/objects").join(&hex[..2]).join(&hex[2..])
}

/// A commit object missing from a repository that is not a shallow clone is damage, not a
/// shallow boundary: the error says so and points at `git fsck`.
#[test]
fn a_missing_commit_is_diagnosed_as_damage_not_as_a_shallow_clone() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    std::fs::remove_file(object_file(dir.path(), c.slip)).unwrap();
    let h = History::open(&dir.path().join(SCRIPTED_PREFIX)).unwrap();
    assert!(!h.is_shallow());
    let tip = h.head().unwrap().id;
    let err = h.walk(tip, &WalkOptions::default()).unwrap_err();
    assert!(matches!(err, HistoryError::Missing { .. }), "{err:?}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(!err.to_string().contains("shallow"), "{err}");
    assert!(err.hint().unwrap().contains("git fsck"));
}

/// A corrupt object surfaces as a sentence and a `git fsck` hint, not a raw libgit2 string.
#[test]
fn a_corrupt_object_gets_an_honest_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    let (_r, c) = scripted(dir.path());
    let file = object_file(dir.path(), c.fix);
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    #[expect(
        clippy::permissions_set_readonly_false,
        reason = "loose objects are read-only; the test damages one"
    )]
    perms.set_readonly(false);
    std::fs::set_permissions(&file, perms).unwrap();
    std::fs::write(&file, b"this is not a zlib stream").unwrap();
    let h = History::open(&dir.path().join(SCRIPTED_PREFIX)).unwrap();
    let err = h
        .head()
        .and_then(|tip| h.walk(tip.id, &WalkOptions::default()))
        .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("class="), "{text}");
    assert!(
        err.hint().is_some_and(|h| h.contains("git fsck")),
        "{err:?}"
    );
}
