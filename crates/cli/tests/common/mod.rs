//! Shared helpers for the CLI tests: temporary portfolios and running the binary.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the shared helpers"
)]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// A minimal valid portfolio: settings, two people, one program with two milestones.
pub const BASE: &[(&str, &str)] = &[
    ("milepost.yaml", "name: Test portfolio\n"),
    (
        "people.yaml",
        "people:\n  - id: ada\n    name: Ada Lovelace\n  - id: bob\n    name: Bob Stone\nteams:\n  - id: core\n    name: Core\n    lead: ada\n",
    ),
    (
        "programs/alpha/program.yaml",
        "name: Alpha\nstatus: active\nowner: ada\nsponsor: bob\nstart: 2026-11-02\nobjectives: [Ship it]\nsuccess_metrics:\n  - metric: uptime\n    target: 99.9\nscope:\n  in: [API]\n",
    ),
    (
        "programs/alpha/milestones.yaml",
        "milestones:\n  - id: M1\n    title: Design\n    owner: ada\n    duration: 5d\n    target: 2026-12-18\n  - id: M2\n    title: Build\n    owner: bob\n    duration: 2w\n    depends_on: [M1]\n    target: 2027-01-29\n",
    ),
];

/// Writes `BASE` overridden/extended by `files` into a fresh temp folder.
pub fn portfolio(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in BASE {
        write(dir.path(), path, text.as_bytes());
    }
    for (path, bytes) in files {
        write(dir.path(), path, bytes);
    }
    dir
}

/// Writes one file, creating folders.
pub fn write(root: &Path, path: &str, bytes: &[u8]) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
    std::fs::write(full, bytes).expect("write");
}

/// The cache folder the tests' milepost uses (under the build's temporary folder, never
/// the developer's own cache): history commands run through the parse cache in every test.
pub fn test_cache() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache")
}

/// The milepost binary, with a time limit so a hang fails the test instead of the suite.
pub fn milepost() -> Command {
    let mut cmd = Command::cargo_bin("milepost").expect("binary");
    cmd.timeout(Duration::from_secs(60))
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", test_cache());
    cmd
}

/// Runs `milepost check PATH --format json --as-of 2026-11-23` and returns (exit code, JSON).
pub fn check_json(root: &Path) -> (i32, Value) {
    let output = milepost()
        .args(["check", "--format", "json", "--as-of", "2026-11-23"])
        .arg(root)
        .output()
        .expect("run");
    let code = output
        .status
        .code()
        .expect("exit code (not killed by a signal or timeout)");
    assert!(
        code == 0 || code == 1 || code == 2,
        "unexpected exit code {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = if code == 2 {
        Value::Null
    } else {
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    };
    (code, json)
}

/// The diagnostics of a JSON report.
pub fn diagnostics(json: &Value) -> Vec<Value> {
    json["diagnostics"].as_array().cloned().unwrap_or_default()
}

/// Asserts a diagnostic of `rule` exists at `file` (and `line`, when given) and returns it.
pub fn expect_finding(json: &Value, rule: &str, file: &str, line: Option<u64>) -> Value {
    let all = diagnostics(json);
    all.iter()
        .find(|d| d["rule"] == rule && d["file"] == file && line.is_none_or(|l| d["line"] == l))
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "no `{rule}` finding at {file}:{line:?} in {}",
                serde_json::to_string_pretty(&all).unwrap_or_default()
            )
        })
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// The JSON-RPC messages a language server writes on `stdout` (Content-Length frames), as
/// they arrive.
pub fn read_frames(
    stdout: impl std::io::Read + Send + 'static,
) -> std::sync::mpsc::Receiver<Value> {
    use std::io::{BufRead, BufReader, Read};
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            if let Ok(v) = serde_json::from_slice(&body)
                && tx.send(v).is_err()
            {
                return;
            }
        }
    });
    rx
}
