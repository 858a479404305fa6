//! The CLI scenarios: every `cmd/*.md` page (and `cmd/*.trycmd` where the output itself
//! holds Markdown code fences) is a set of console sessions (a command, its
//! standard output, its exit code) run against the real binary by trycmd. They cover every
//! command with each of its formats and exit codes, on the small fixtures of `fixtures/`,
//! the bundled examples and a scripted git repository, and read as documentation of what
//! a user sees.
//!
//! Update the expected output after an intended change with
//! `TRYCMD=overwrite cargo test -p milepost-tests --test scenarios`, then review the diff.

use std::path::Path;

/// The scripted git repository of `milepost_history::testing` (seven commits with pull
/// requests, trailers, a signed commit and a file that does not parse), built afresh in
/// `cmd/history.in/` (ignored by git) for `cmd/history.md`. Its commit ids are stable:
/// every author, date and file is fixed.
fn scripted_repository() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cmd/history.in");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("the old repository can be removed");
    }
    std::fs::create_dir_all(&dir).expect("the folder can be created");
    let _ = milepost_history::testing::scripted(&dir);
}

#[test]
fn scenarios() {
    scripted_repository();
    // `cmd/site.md` writes here; `milepost site` replaces only a folder it created, so start
    // from nothing.
    let _ = std::fs::remove_dir_all("/tmp/milepost-scenario-site");
    trycmd::TestCases::new()
        .register_bin("milepost", milepost_tests::milepost_bin())
        .env("NO_COLOR", "1")
        .env(
            "XDG_CACHE_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("cache")
                .display()
                .to_string(),
        )
        .case("cmd/*.md")
        .case("cmd/*.toml");
}
