//! The progress bar of long work: on a terminal only (here a pseudo-terminal from
//! `script(1)`), never with `--quiet`, never in a machine format, never when stderr is piped.

mod common;

use std::path::Path;
use std::process::Command;

fn acme() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/acme")
        .display()
        .to_string()
}

/// Runs a milepost command line on a pseudo-terminal; returns everything the terminal got.
fn on_terminal(args: &str) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("milepost");
    let out = Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .env("MILEPOST_PROGRESS_DELAY_MS", "0")
        .env(
            "XDG_CACHE_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
        )
        .env("COLUMNS", "120")
        .output()
        .ok()?;
    assert!(out.status.success(), "{args}: {out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "tells a developer without script(1) that the test was skipped"
)]
fn a_bar_on_a_terminal_only() {
    let long = format!("forecast {} --runs 50000", acme());
    let Some(shown) = on_terminal(&long) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "script(1) is required under CI"
        );
        eprintln!("skipped: script(1) is not available");
        return;
    };
    assert!(shown.contains("simulating runs"), "{shown}");
    assert!(shown.contains("P80"), "the result follows: {shown}");
    // --quiet and machine formats: no bar, even on a terminal.
    let quiet = on_terminal(&format!("{long} --quiet")).unwrap();
    assert!(!quiet.contains("simulating runs"), "{quiet}");
    let json = on_terminal(&format!("{long} --format json")).unwrap();
    assert!(!json.contains("simulating runs"), "{json}");
    // Piped (as in CI logs): nothing on stderr but the result's own notes.
    let out = common::milepost()
        .args(["forecast", &acme(), "--runs", "50000"])
        .env("MILEPOST_PROGRESS_DELAY_MS", "0")
        .env(
            "XDG_CACHE_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("simulating"), "{stderr}");
}
