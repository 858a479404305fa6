//! The persistent parse cache: a warm walk reads nothing it has seen, a new commit is the
//! only miss, a damaged store is ignored and rewritten, concurrent walks share a store
//! safely, the folder stays within its bound — and every answer is the answer of a walk
//! without the cache (differential: each test compares against an uncached walk).

use std::path::Path;

use milepost_history::testing::{SCRIPTED_PREFIX, TestRepo, scripted};
use milepost_history::{Cache, History, Walk, WalkOptions};
use serde_json::{Value, json};

/// Everything a walk answers, as JSON (what the commands print is built from this).
fn answer(walk: &Walk) -> Value {
    json!({
        "commits": walk.commits,
        "problems": walk.problems,
        "renames": walk.renames,
        "truncated": walk.truncated,
        "walked": walk.walked,
    })
}

fn open(repo: &Path, cache: Option<&Cache>) -> History {
    let mut h = History::open(&repo.join(SCRIPTED_PREFIX)).expect("open");
    h.set_cache(cache.cloned());
    h
}

fn walk(repo: &Path, cache: Option<&Cache>, options: &WalkOptions) -> Walk {
    let h = open(repo, cache);
    let tip = h.head().expect("head").id;
    h.walk(tip, options).expect("walk")
}

/// The scripted history (a merge, a file that does not parse and its fix, a signed commit)
/// and `extra` more commits, each moving one milestone's target.
fn history(dir: &Path, extra: usize) -> TestRepo {
    let (mut repo, _) = scripted(dir);
    for i in 0..extra {
        let text = format!(
            "milestones:\n  - id: M1\n    title: Ledger schema\n    owner: bob\n    duration: 5d\n    target: 2026-10-30\n    status: done\n    completed: 2026-10-29\n  - id: M2\n    title: Ledger cut-over\n    owner: bob\n    duration: 5d\n    depends_on: [M1]\n    target: 2026-12-{:02}\n",
            1 + i % 28
        );
        repo.write(
            &format!("{SCRIPTED_PREFIX}/programs/ledger/milestones.yaml"),
            &text,
        );
        repo.commit(
            "Bob",
            &format!("2026-11-{:02}T10:00:00Z", 3 + i % 20),
            "Move M2",
        );
    }
    repo
}

fn stores(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn folder_size(dir: &Path) -> u64 {
    stores(dir)
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn a_warm_walk_parses_nothing_and_answers_the_same() {
    let repo = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    history(repo.path(), 5);
    let cache = Cache::new(cache_dir.path());
    let options = WalkOptions::default();
    let uncached = walk(repo.path(), None, &options);
    let cold = walk(repo.path(), Some(&cache), &options);
    assert_eq!(answer(&cold), answer(&uncached));
    assert_eq!(cold.cached, 0);
    assert_eq!(cold.parsed, uncached.parsed);
    assert_eq!(
        stores(cache_dir.path()).len(),
        1,
        "one store per repository"
    );
    let warm = walk(repo.path(), Some(&cache), &options);
    assert_eq!(answer(&warm), answer(&uncached));
    // The cold walk settled every commit's changes: nothing is read, parsed or compared.
    assert!(warm.settled > 0, "{}", warm.settled);
    assert_eq!((warm.parsed, warm.cached), (0, 0));
    // A walk that cannot take settled changes (one that starts later, where the versions
    // before the window are unknown) takes every version from the parse cache: only
    // milepost.yaml's are parsed again (their calendar is not stored; the history has one).
    let all_days = WalkOptions {
        since: Some(chrono::NaiveDate::MIN),
        ..WalkOptions::default()
    };
    let windowed = walk(repo.path(), Some(&cache), &all_days);
    assert_eq!(answer(&windowed), answer(&uncached));
    assert_eq!(windowed.settled, 0);
    assert!(windowed.cached > 0, "{}", windowed.cached);
    assert_eq!(windowed.parsed, 1, "{}", windowed.parsed);
    assert_eq!(windowed.cached + windowed.parsed, cold.parsed);

    // Every command built on the walk answers the same warm, and every walk option too.
    let h = open(repo.path(), Some(&cache));
    let plain = open(repo.path(), None);
    let tip = h.head().unwrap().id;
    let json = |v: &dyn erased::Json| v.json();
    assert_eq!(
        json(&h.audit(tip, None, None, true).unwrap()),
        json(&plain.audit(tip, None, None, true).unwrap())
    );
    assert_eq!(
        json(&h.entity_log(tip, "ledger/M2", true).unwrap()),
        json(&plain.entity_log(tip, "ledger/M2", true).unwrap())
    );
    for options in [
        WalkOptions {
            first_parent: false,
            ..WalkOptions::default()
        },
        WalkOptions {
            program: Some("ledger".to_owned()),
            ..WalkOptions::default()
        },
        WalkOptions {
            since: Some(chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap()),
            until: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()),
            ..WalkOptions::default()
        },
    ] {
        let first = walk(repo.path(), Some(&cache), &options);
        let again = walk(repo.path(), Some(&cache), &options);
        let plain = walk(repo.path(), None, &options);
        assert_eq!(answer(&first), answer(&plain), "{options:?}");
        assert_eq!(answer(&again), answer(&plain), "{options:?}");
    }
}

/// Serializing any of the commands' results.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).expect("serialize")
        }
    }
}

#[test]
fn a_new_commit_is_the_only_miss() {
    let repo = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let mut r = history(repo.path(), 3);
    let cache = Cache::new(cache_dir.path());
    let options = WalkOptions::default();
    walk(repo.path(), Some(&cache), &options);
    r.write(
        &format!("{SCRIPTED_PREFIX}/programs/payouts/raid.yaml"),
        "risks:\n  - id: R-9\n    title: Bank holiday cut-off\n    owner: carol\n    probability: low\n    impact: medium\n",
    );
    r.commit("Carol", "2026-11-24T10:00:00Z", "Add a payouts risk");
    let warm = walk(repo.path(), Some(&cache), &options);
    assert_eq!(answer(&warm), answer(&walk(repo.path(), None, &options)));
    // The new raid.yaml, plus milepost.yaml's first version.
    assert_eq!(warm.parsed, 2, "{}", warm.parsed);
    assert!(warm.cached > 0);
    let last = warm.commits.last().unwrap();
    assert_eq!(last.commit.summary, "Add a payouts risk");
    assert_eq!(last.changes[0].entity, "payouts/R-9");
}

/// A way to damage a store's bytes.
type Damage = fn(&mut Vec<u8>);

#[test]
fn a_damaged_store_is_ignored_and_rewritten() {
    let repo = tempfile::tempdir().unwrap();
    history(repo.path(), 3);
    let options = WalkOptions::default();
    let expected = answer(&walk(repo.path(), None, &options));
    let damages: [(&str, Damage); 6] = [
        ("empty", |b| b.clear()),
        ("truncated", |b| b.truncate(b.len() / 2)),
        ("one byte changed in the payload", |b| {
            let at = b.len() - 10;
            b[at] ^= 0x20;
        }),
        ("garbage", |b| *b = b"\x00\xffnot a cache at all\n".to_vec()),
        ("another build", |b| {
            // The format number after the magic line, changed to one no build writes.
            let text = String::from_utf8_lossy(b).into_owned();
            let at = text.find("parse cache\n").unwrap() + "parse cache\n".len();
            let end = at + text[at..].find(' ').unwrap();
            *b = format!("{}999{}", &text[..at], &text[end..]).into_bytes();
        }),
        ("an extra line", |b| b.extend_from_slice(b"F 1\n")),
    ];
    for (what, damage) in damages {
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(cache_dir.path());
        walk(repo.path(), Some(&cache), &options);
        let store = stores(cache_dir.path()).pop().unwrap();
        let mut bytes = std::fs::read(&store).unwrap();
        damage(&mut bytes);
        std::fs::write(&store, &bytes).unwrap();
        let after = walk(repo.path(), Some(&cache), &options);
        assert_eq!(answer(&after), expected, "{what}");
        assert_eq!(after.cached, 0, "{what}: a damaged store is not read");
        // It was rewritten whole: the next walk is warm.
        let next = walk(repo.path(), Some(&cache), &options);
        assert!(
            next.cached + next.settled > 0,
            "{what}: the store was not rewritten"
        );
        assert_eq!(answer(&next), expected, "{what}");
    }
}

#[test]
fn concurrent_walks_share_one_store_safely() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    history(a.path(), 8);
    history(b.path(), 2);
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(cache_dir.path());
    let options = WalkOptions::default();
    let expected_a = answer(&walk(a.path(), None, &options));
    let expected_b = answer(&walk(b.path(), None, &options));
    std::thread::scope(|s| {
        for i in 0..6 {
            let (repo, expected) = if i % 3 == 2 {
                (b.path(), &expected_b)
            } else {
                (a.path(), &expected_a)
            };
            let cache = &cache;
            let options = &options;
            s.spawn(move || {
                for _ in 0..4 {
                    assert_eq!(&answer(&walk(repo, Some(cache), options)), expected);
                }
            });
        }
    });
    // Both stores are whole, no temporary file is left, and the next walks are warm.
    let files = stores(cache_dir.path());
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.extension().is_some_and(|x| x == "parsed"))
    );
    for (repo, expected) in [(a.path(), &expected_a), (b.path(), &expected_b)] {
        let warm = walk(repo, Some(&cache), &options);
        assert_eq!(&answer(&warm), expected);
        assert!(warm.cached + warm.settled > 0);
    }
}

#[test]
fn the_cache_folder_stays_within_its_bound() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    history(a.path(), 6);
    history(b.path(), 6);
    let options = WalkOptions::default();
    // How big one store is.
    let probe = tempfile::tempdir().unwrap();
    walk(a.path(), Some(&Cache::new(probe.path())), &options);
    let one = folder_size(probe.path());
    assert!(one > 0);

    // Room for one store: the second repository's store evicts the first.
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache {
        dir: dir.path().to_path_buf(),
        max_bytes: one + one / 2,
    };
    walk(a.path(), Some(&cache), &options);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let expected_b = answer(&walk(b.path(), None, &options));
    assert_eq!(answer(&walk(b.path(), Some(&cache), &options)), expected_b);
    assert!(folder_size(dir.path()) <= cache.max_bytes);
    assert_eq!(stores(dir.path()).len(), 1);
    let kept = walk(b.path(), Some(&cache), &options);
    assert!(kept.cached + kept.settled > 0, "the newest store is kept");

    // No room at all: nothing is written, and the answer is still right.
    let tiny = tempfile::tempdir().unwrap();
    let cache = Cache {
        dir: tiny.path().to_path_buf(),
        max_bytes: 100,
    };
    let expected_a = answer(&walk(a.path(), None, &options));
    assert_eq!(answer(&walk(a.path(), Some(&cache), &options)), expected_a);
    assert_eq!(folder_size(tiny.path()), 0);
}

#[test]
fn a_shallow_clone_reads_its_own_parents_not_the_stored_ones() {
    let repo = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let (r, c) = scripted(repo.path());
    let cache = Cache::new(cache_dir.path());
    let options = WalkOptions::default();
    // The whole history is stored, then the clone is made shallow at `fix`.
    walk(repo.path(), Some(&cache), &options);
    r.make_shallow(c.fix);
    let shallow = walk(repo.path(), Some(&cache), &options);
    let plain = walk(repo.path(), None, &options);
    assert_eq!(answer(&shallow), answer(&plain));
    assert_eq!(shallow.truncated, plain.truncated);
    assert!(shallow.truncated.is_some());
}

#[test]
fn temporary_files_left_by_killed_runs_are_removed() {
    let repo = tempfile::tempdir().unwrap();
    history(repo.path(), 2);
    let cache_dir = tempfile::tempdir().unwrap();
    let stale = cache_dir.path().join(".0123456789abcdef.parsed.999.1.tmp");
    let fresh = cache_dir.path().join(".0123456789abcdef.parsed.998.1.tmp");
    for f in [&stale, &fresh] {
        std::fs::write(f, b"half a store").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    walk(
        repo.path(),
        Some(&Cache::new(cache_dir.path())),
        &WalkOptions::default(),
    );
    assert!(
        !stale.exists(),
        "an hour-old temporary file is a killed run's"
    );
    assert!(
        fresh.exists(),
        "a recent one may be another run's, still writing"
    );
}

#[test]
fn settled_changes_answer_as_a_fresh_walk_through_renames_breakage_and_calendars() {
    let repo = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let mut r = history(repo.path(), 2);
    let p = |f: &str| format!("{SCRIPTED_PREFIX}/{f}");
    // A holiday: later date moves count their work days on another calendar.
    let settings = std::fs::read_to_string(repo.path().join(p("milepost.yaml"))).unwrap();
    r.write(
        &p("milepost.yaml"),
        &format!("{settings}\ncalendar:\n  holidays: [2026-12-02]\n"),
    );
    r.commit("Ada", "2026-11-25T10:00:00Z", "Holiday");
    // The payouts folder renamed: its earlier changes follow the new id.
    let charter = p("programs/payouts/program.yaml");
    let text = std::fs::read_to_string(repo.path().join(&charter)).unwrap();
    r.remove(&charter);
    r.write(&p("programs/payments/program.yaml"), &text);
    r.commit("Ada", "2026-11-26T10:00:00Z", "Rename payouts to payments");
    // A file that does not parse, then its fix.
    let raid = std::fs::read_to_string(repo.path().join(p("programs/ledger/raid.yaml"))).unwrap();
    r.write(&p("programs/ledger/raid.yaml"), "risks: [unclosed\n");
    r.commit("Bob", "2026-11-27T10:00:00Z", "Break the RAID log");
    r.write(
        &p("programs/ledger/raid.yaml"),
        &raid.replace("high", "medium"),
    );
    r.commit("Bob", "2026-11-28T10:00:00Z", "Fix it");
    let cache = Cache::new(cache_dir.path());
    let options = WalkOptions::default();
    let fresh = answer(&walk(repo.path(), None, &options));
    assert!(!fresh["renames"].as_array().unwrap().is_empty(), "{fresh}");
    assert!(!fresh["problems"].as_array().unwrap().is_empty(), "{fresh}");
    let cold = walk(repo.path(), Some(&cache), &options);
    assert_eq!(answer(&cold), fresh);
    let settled = walk(repo.path(), Some(&cache), &options);
    assert!(settled.settled > 0);
    assert_eq!(answer(&settled), fresh);
    // Up to a day: the same commits' settled changes, cut at that day.
    let until = WalkOptions {
        until: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()),
        ..WalkOptions::default()
    };
    let cut = walk(repo.path(), Some(&cache), &until);
    assert!(cut.settled > 0);
    assert_eq!(answer(&cut), answer(&walk(repo.path(), None, &until)));
    // A new commit: compared afresh (from the cached parses), then settled in turn.
    r.write(&p("programs/ledger/raid.yaml"), &raid);
    r.commit("Bob", "2026-11-29T10:00:00Z", "Back to high");
    let next = walk(repo.path(), Some(&cache), &options);
    assert_eq!(next.settled, 0);
    assert!(next.cached > 0);
    let fresh = answer(&walk(repo.path(), None, &options));
    assert_eq!(answer(&next), fresh);
    let again = walk(repo.path(), Some(&cache), &options);
    assert!(again.settled > 0);
    assert_eq!((again.parsed, again.cached), (0, 0));
    assert_eq!(answer(&again), fresh);
}
