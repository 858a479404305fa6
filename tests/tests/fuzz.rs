//! Seeded mutation fuzzing of the whole binary over `examples/acme`.
//!
//! Each case copies the example portfolio, corrupts it — a byte flipped, a line deleted,
//! duplicated or swapped, a hostile token inserted (control characters, a line that would be
//! a GitHub workflow command, HTML and Markdown payloads, anchors and aliases, tabs, deep
//! brackets, huge numbers, impossible dates, non-UTF-8 bytes), a file truncated — runs one
//! command in one output format on it, and asserts the properties every run must have:
//!
//! - it exits 0, 1 or 2 (never a panic, never a signal) within the time limit;
//! - machine formats are valid: JSON parses (and `check --format json` has its contract
//!   fields), SARIF is JSON with `version: 2.1.0`, JUnit is XML, GitHub output is only
//!   workflow commands;
//! - in any other output no line starts with `::` (an injected workflow command) and no
//!   escape character gets through;
//! - findings from the files are located (`line`, `column` ≥ 1);
//! - HTML never carries an injected `<script>` or `onerror=` payload unescaped.
//!
//! The suite runs 2,000 cases (deterministic seed, about a minute and a half in a debug
//! build). The long mode, for a manual run or a soak:
//! `MILEPOST_FUZZ_CASES=10000000 MILEPOST_FUZZ_SECONDS=3600 MILEPOST_FUZZ_SEED=7 cargo test
//! --release -p milepost-tests --test fuzz -- --nocapture` (the release test uses the
//! release binary; it stops at whichever limit comes first and prints the case count).
//! A failure prints the seed, the case number, the mutation and the command, so it can be
//! replayed with `MILEPOST_FUZZ_ONLY=<case>`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A small, fast, seedable generator (PCG-XSH-RR), so the cases are the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        let old = self.0;
        self.0 = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
}

/// Tokens that have broken YAML tools, terminals, CI logs or HTML before.
const HOSTILE: &[&str] = &[
    "\n::error file=README.md,line=1::injected",
    "\n::add-mask::secret\n",
    "\u{1b}[31mred\u{1b}[0m",
    "\r",
    "\t",
    "\u{0}",
    "\u{202e}evil",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![t](https://evil.example/t.png)",
    "[click](https://evil.example)",
    "&a [x, *a]",
    "*undefined_alias",
    "!!python/object:os.system",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{a: {b: {c: {d: {e: {f: {g: {h: {",
    "99999999999999999999999999999999",
    "2026-02-30",
    "-1d",
    "0d",
    "2500w",
    "---\n",
    "...",
    ": :",
    "\"unterminated",
    "'",
    "#",
    "- ",
    "~",
    "null",
    "ünïcødé ✓ 中文 🚀",
    "=HYPERLINK(\"http://evil\")",
    "%0A%25",
    "M1",
    "ledger/M4",
    "ghost",
];

const MUTATIONS: &[&str] = &[
    "flip a byte",
    "delete a line",
    "duplicate a line",
    "swap two lines",
    "insert a hostile token",
    "replace a value with a hostile token",
    "truncate the file",
    "insert invalid UTF-8",
];

fn mutate(rng: &mut Rng, text: &[u8]) -> (Vec<u8>, &'static str) {
    let kind = rng.below(MUTATIONS.len());
    let mut bytes = text.to_vec();
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    match kind {
        0 if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
        }
        1..=3 if lines.len() > 1 => {
            let mut l: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
            let i = rng.below(l.len());
            match kind {
                1 => {
                    l.remove(i);
                }
                2 => {
                    let line = l[i].clone();
                    l.insert(i, line);
                }
                _ => {
                    let j = rng.below(l.len());
                    l.swap(i, j);
                }
            }
            bytes = l.join(&b'\n');
        }
        4 => {
            let at = rng.below(bytes.len() + 1);
            let token = HOSTILE[rng.below(HOSTILE.len())].as_bytes();
            bytes.splice(at..at, token.iter().copied());
        }
        5 => {
            // After a `key: `, replace the rest of the line.
            let positions: Vec<usize> = bytes
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w == b": ")
                .map(|(i, _)| i + 2)
                .collect();
            if !positions.is_empty() {
                let at = positions[rng.below(positions.len())];
                let end = bytes[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |p| at + p);
                let token = HOSTILE[rng.below(HOSTILE.len())];
                let quoted = if rng.below(2) == 0 {
                    token.to_owned()
                } else {
                    format!("{token:?}")
                };
                bytes.splice(at..end, quoted.bytes());
            }
        }
        6 => {
            let keep = rng.below(bytes.len() + 1);
            bytes.truncate(keep);
        }
        _ => {
            let at = rng.below(bytes.len() + 1);
            bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
        }
    }
    (bytes, MUTATIONS[kind])
}

/// The commands each case may run, with the format whose properties are checked.
const COMMANDS: &[(&[&str], Format)] = &[
    (&["check", "--format", "json"], Format::CheckJson),
    (&["check", "--format", "sarif"], Format::Sarif),
    (&["check", "--format", "junit"], Format::Junit),
    (&["check", "--format", "github"], Format::Github),
    (&["check", "--format", "gitlab"], Format::Gitlab),
    (&["check", "--format", "markdown"], Format::Markdown),
    (&["check"], Format::Text),
    (&["plan", "--format", "json"], Format::Json),
    (&["plan", "--format", "csv"], Format::Text),
    (&["plan"], Format::Text),
    (
        &["forecast", "--format", "json", "--runs", "200"],
        Format::Json,
    ),
    (
        &[
            "render",
            "summary",
            "--program",
            "checkout-v2",
            "--format",
            "html",
        ],
        Format::Html,
    ),
    (&["render", "portfolio"], Format::Text),
    (&["render", "raid", "--program", "ledger"], Format::Text),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    CheckJson,
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
    Markdown,
    Html,
    Text,
}

/// Every file of the example, relative path → bytes.
fn example() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/acme");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("readable example") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let rel = p.strip_prefix(&root).expect("inside").to_path_buf();
                out.push((rel, std::fs::read(&p).expect("readable file")));
            }
        }
    }
    out.sort();
    out
}

/// Runs with a time limit; returns (exit code or None for a signal, stdout, stderr).
fn run(bin: &Path, args: &[&str], dir: &Path) -> (Option<i32>, String, String, Duration) {
    let started = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .arg("--as-of")
        .arg("2026-11-23")
        .arg(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let pid = child.id();
    // Read the pipes while waiting (a large output would otherwise block the child).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(out) = rx.recv_timeout(Duration::from_secs(120)) else {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        panic!("`milepost {}` hung for two minutes", args.join(" "));
    };
    let out = out.expect("output");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

/// The properties of one run; `Err` says which one failed.
fn properties(format: Format, code: Option<i32>, stdout: &str, stderr: &str) -> Result<(), String> {
    match code {
        Some(0..=2) => {}
        other => return Err(format!("exit {other:?} (a panic or a signal)")),
    }
    if stderr.contains("panicked") {
        return Err("a panic message on stderr".to_owned());
    }
    for (name, text) in [("stdout", stdout), ("stderr", stderr)] {
        if text.contains('\u{1b}') {
            return Err(format!("an escape character on {name}"));
        }
        let github = format == Format::Github && name == "stdout";
        if !github && let Some(l) = text.lines().find(|l| l.trim_start().starts_with("::")) {
            return Err(format!("an injected workflow command on {name}: {l}"));
        }
    }
    if code == Some(2) {
        return Ok(()); // could not run: nothing on stdout to check
    }
    match format {
        Format::CheckJson => {
            let v: serde_json::Value =
                serde_json::from_str(stdout).map_err(|e| format!("invalid JSON: {e}"))?;
            let diags = v["diagnostics"]
                .as_array()
                .ok_or("no `diagnostics` array")?;
            for d in diags {
                for field in ["rule", "severity", "message"] {
                    if !d[field].is_string() {
                        return Err(format!("a diagnostic without `{field}`: {d}"));
                    }
                }
                if d["file"].is_string() && d["line"].as_u64().is_none_or(|l| l < 1) {
                    return Err(format!("a finding in a file without a line: {d}"));
                }
            }
        }
        Format::Json => {
            serde_json::from_str::<serde_json::Value>(stdout)
                .map_err(|e| format!("invalid JSON: {e}"))?;
        }
        Format::Sarif => {
            let v: serde_json::Value =
                serde_json::from_str(stdout).map_err(|e| format!("invalid SARIF JSON: {e}"))?;
            if v["version"] != "2.1.0" {
                return Err("SARIF without version 2.1.0".to_owned());
            }
        }
        Format::Junit => {
            roxmltree::Document::parse(stdout).map_err(|e| format!("invalid JUnit XML: {e}"))?;
        }
        Format::Github => {
            if let Some(l) = stdout.lines().find(|l| !l.starts_with("::")) {
                return Err(format!("a GitHub output line that is not a command: {l}"));
            }
        }
        Format::Gitlab => {
            let v: serde_json::Value = serde_json::from_str(stdout)
                .map_err(|e| format!("invalid Code Quality JSON: {e}"))?;
            let issues = v.as_array().ok_or("Code Quality output is not an array")?;
            if issues.iter().any(|i| {
                i["fingerprint"].as_str().is_none() || i["location"]["path"].as_str().is_none()
            }) {
                return Err("a Code Quality issue without a fingerprint or a path".to_owned());
            }
        }
        Format::Markdown => {
            if stdout.contains("<script>alert") || stdout.contains("<img src=x") {
                return Err("an HTML payload got through the Markdown unescaped".to_owned());
            }
        }
        Format::Html => {
            // A raw tag, not the same text escaped (`&lt;img …` is harmless).
            if stdout.contains("<script>alert") || stdout.contains("<img src=x") {
                return Err("an HTML payload got through unescaped".to_owned());
            }
        }
        Format::Text => {}
    }
    Ok(())
}

#[test]
fn mutated_portfolios_never_break_the_output_contracts() {
    let cases: usize = std::env::var("MILEPOST_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    // The long mode may also stop on time: MILEPOST_FUZZ_SECONDS=3600.
    let budget = std::env::var("MILEPOST_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs);
    let seed: u64 = std::env::var("MILEPOST_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_201);
    let only: Option<usize> = std::env::var("MILEPOST_FUZZ_ONLY")
        .ok()
        .and_then(|v| v.parse().ok());
    let bin = milepost_tests::milepost_bin();
    let files = example();
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut ran = 0;
    for case in 0..cases {
        if budget.is_some_and(|b| started.elapsed() > b) {
            break;
        }
        ran += 1;
        let mut rng = Rng(seed ^ (case as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let _ = rng.next();
        let target = rng.below(files.len());
        let (mutated, mutation) = mutate(&mut rng, &files[target].1);
        let (args, format) = COMMANDS[rng.below(COMMANDS.len())];
        if only.is_some_and(|o| o != case) {
            continue;
        }
        let dir = scratch.path().join("portfolio");
        let _ = std::fs::remove_dir_all(&dir);
        for (i, (rel, bytes)) in files.iter().enumerate() {
            let to = dir.join(rel);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("writable");
            std::fs::write(&to, if i == target { &mutated } else { bytes }).expect("writable");
        }
        let (code, stdout, stderr, took) = run(&bin, args, &dir);
        slowest = slowest.max(took);
        if let Err(why) = properties(format, code, &stdout, &stderr) {
            panic!(
                "case {case} (seed {seed}): {why}\n  mutation: {mutation} in {}\n  command: milepost {} --as-of 2026-11-23 PATH\n  replay: MILEPOST_FUZZ_SEED={seed} MILEPOST_FUZZ_ONLY={case}\n--- stderr\n{}",
                files[target].0.display(),
                args.join(" "),
                stderr.chars().take(2000).collect::<String>()
            );
        }
    }
    #[expect(
        clippy::print_stderr,
        reason = "the case count is the report of a soak run"
    )]
    let () = eprintln!(
        "fuzz: {ran} cases, seed {seed}, {:.1?} in all, slowest run {slowest:.1?}",
        started.elapsed()
    );
}
