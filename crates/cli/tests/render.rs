//! `milepost render` and `milepost site` end to end: arguments, exit codes, files written,
//! template overrides, and the site opened in headless Chromium.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{milepost, portfolio, write};

fn acme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme")
}

fn run(args: &[&str], path: &Path) -> (i32, String, String) {
    let out = milepost().args(args).arg(path).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn summary_markdown_of_the_example() {
    let (code, out, err) = run(
        &[
            "render",
            "summary",
            "--program",
            "checkout-v2",
            "--as-of",
            "2026-11-23",
        ],
        &acme(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("# Checkout v2 — executive summary\n"),
        "{out}"
    );
    for part in [
        "**🟠 At risk**",
        "## Next milestones",
        "## Top risks",
        "## Decisions needed",
        "```mermaid\ngantt\n",
        ":crit, ",
    ] {
        assert!(out.contains(part), "missing {part:?}");
    }
}

#[test]
fn every_kind_and_format_renders() {
    for kind in ["charter", "summary", "raid", "portfolio"] {
        for format in ["md", "html"] {
            let mut args = vec!["render", kind, "--format", format];
            if kind != "portfolio" {
                args.extend(["--program", "ledger"]);
            }
            let (code, out, err) = run(&args, &acme());
            assert_eq!(code, 0, "{kind} {format}: {err}");
            if format == "html" {
                assert!(out.starts_with("<!DOCTYPE html>"), "{kind}");
                assert!(out.contains("<svg"), "{kind}: charts");
            } else {
                assert!(out.starts_with("# "), "{kind}");
            }
        }
    }
}

#[test]
fn program_argument_errors_exit_2_with_a_hint() {
    let (code, _, err) = run(&["render", "summary", "--program", "chekout-v2"], &acme());
    assert_eq!(code, 2);
    assert!(err.contains("no program `chekout-v2`"), "{err}");
    assert!(err.contains("did you mean `checkout-v2`?"), "{err}");

    let (code, _, err) = run(&["render", "raid"], &acme());
    assert_eq!(code, 2);
    assert!(err.contains("--program"), "{err}");
    assert!(err.contains("checkout-v2, data-platform"), "{err}");

    let (code, _, err) = run(&["render", "portfolio", "--program", "ledger"], &acme());
    assert_eq!(code, 2, "{err}");

    let (code, _, err) = run(&["render", "roadmap"], &acme());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("charter"), "clap lists the kinds: {err}");
}

#[test]
fn out_writes_the_file_atomically() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("reports");
    let (code, stdout, err) = run(
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--format",
            "html",
            "--as-of",
            "2026-11-23",
            "--out",
            target.to_str().unwrap(),
        ],
        portfolio(&[]).path(),
    );
    assert_eq!(code, 0, "{err}");
    let file = target.join("alpha-summary.html");
    assert!(stdout.contains("alpha-summary.html"), "{stdout}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let names: Vec<_> = std::fs::read_dir(&target)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");

    let (code, _, err) = run(
        &["render", "portfolio", "--out", target.to_str().unwrap()],
        portfolio(&[]).path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(target.join("portfolio.md").is_file());
}

#[test]
fn templates_override_file_by_file_portfolio_then_flag() {
    let dir = portfolio(&[
        (
            "templates/summary.md",
            b"own summary of {{ program.name }}\n",
        ),
        (
            "templates/charter.md",
            b"own charter of {{ program.name }}\n",
        ),
        ("templates/sumary.md", b"typo\n"),
    ]);
    let (code, out, err) = run(&["render", "summary", "--program", "alpha"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "own summary of Alpha\n");
    assert!(
        err.contains("did you mean `summary.md`?"),
        "a near-miss name is pointed out: {err}"
    );
    // Untouched templates stay the built-in ones.
    let (_, raid, _) = run(&["render", "raid", "--program", "alpha"], dir.path());
    assert!(raid.starts_with("# Alpha — RAID log"), "{raid}");

    // `--templates DIR` wins over the portfolio's folder, file by file.
    let flag = tempfile::tempdir().unwrap();
    write(flag.path(), "summary.md", b"flag summary\n");
    let flag_arg = flag.path().to_str().unwrap();
    let (_, out, _) = run(
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--templates",
            flag_arg,
        ],
        dir.path(),
    );
    assert_eq!(out, "flag summary\n");
    let (_, out, _) = run(
        &[
            "render",
            "charter",
            "--program",
            "alpha",
            "--templates",
            flag_arg,
        ],
        dir.path(),
    );
    assert_eq!(out, "own charter of Alpha\n");

    let (code, _, err) = run(
        &[
            "render",
            "summary",
            "--program",
            "alpha",
            "--templates",
            "/nonexistent/x",
        ],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_template_typo_exits_2_naming_the_template() {
    let dir = portfolio(&[("templates/summary.md", b"{{ program.nmae }}\n")]);
    let (code, out, err) = run(&["render", "summary", "--program", "alpha"], dir.path());
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("summary.md") && err.contains("undefined"),
        "{err}"
    );
}

#[test]
fn a_portfolio_with_errors_still_renders_and_exits_1() {
    let dir = portfolio(&[(
        "programs/alpha/milestones.yaml",
        b"milestones:\n  - id: M1\n    title: A\n    duration: 5d\n    depends_on: [M2]\n  - id: M2\n    title: B\n    duration: 5d\n    depends_on: [M1]\n",
    )]);
    let (code, out, err) = run(&["render", "summary", "--program", "alpha"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("dependency cycle"), "{err}");
    assert!(out.contains("Off track"), "{out}");
}

#[test]
fn site_writes_linked_pages() {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, err) = run(
        &[
            "site",
            "--as-of",
            "2026-11-23",
            "--out",
            out.path().to_str().unwrap(),
        ],
        portfolio(&[]).path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("wrote 4 pages"), "{stdout}");
    for page in [
        "index.html",
        "programs/alpha/summary.html",
        "programs/alpha/charter.html",
        "programs/alpha/raid.html",
    ] {
        let html = std::fs::read_to_string(out.path().join(page)).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
        // Self-contained: nothing is fetched, nothing runs.
        for banned in ["<script", "<link", "<img", "<iframe", "@import", " src="] {
            assert!(!html.contains(banned), "{page} contains {banned}");
        }
        // `url(#arrow)` points inside the page (SVG markers); nothing else is referenced.
        assert!(
            html.matches("url(").count() == html.matches("url(#").count(),
            "{page}: url("
        );
    }
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(index.contains("href=\"programs/alpha/summary.html\""));
    let missing_out = milepost()
        .arg("site")
        .arg(portfolio(&[]).path())
        .output()
        .unwrap();
    assert_eq!(missing_out.status.code(), Some(2), "--out is required");
}

/// Chromium, when installed. Under CI (`CI` set) a missing Chromium fails the test.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("chromium"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(
            !ci,
            "chromium is required under CI: apt-get install -y chromium"
        );
        #[expect(
            clippy::print_stdout,
            reason = "the note a developer without Chromium sees"
        )]
        {
            println!("note: skipped, chromium is not installed (apt-get install -y chromium)");
        }
    }
    found
}

fn headless(chromium: &Path, profile: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(chromium);
    cmd.timeout(Duration::from_secs(90)).args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        // Any network fetch fails and is logged, so "no fetches" is checked too.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains("ERROR:CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Failed to load resource")
                || (l.contains(":CONSOLE") && l.to_lowercase().contains("error"))
        })
        .collect()
}

#[test]
fn the_site_renders_in_headless_chromium_without_console_errors() {
    let Some(chromium) = chromium() else { return };
    let site = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        &[
            "site",
            "--as-of",
            "2026-11-23",
            "--out",
            site.path().to_str().unwrap(),
        ],
        &acme(),
    );
    assert_eq!(code, 0, "{err}");
    let profile = tempfile::tempdir().unwrap();
    let pages = [
        ("index.html", "Portfolio report"),
        ("programs/checkout-v2/summary.html", "Executive summary"),
        ("programs/checkout-v2/charter.html", "Program charter"),
        ("programs/checkout-v2/raid.html", "RAID log"),
    ];
    for (page, expected) in pages {
        let url = format!("file://{}", site.path().join(page).display());
        let out = headless(&chromium, profile.path())
            .arg("--dump-dom")
            .arg(&url)
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{page}: chromium failed: {stderr}");
        assert!(
            dom.contains(expected),
            "{page}: rendered DOM lacks {expected:?}"
        );
        assert!(dom.contains("<svg"), "{page}: no chart in the DOM");
        assert!(
            console_errors(&stderr).is_empty(),
            "{page}: console errors: {:?}",
            console_errors(&stderr)
        );
    }
    // A screenshot: the page paints.
    let png = site.path().join("index.png");
    let out = headless(&chromium, profile.path())
        .arg("--window-size=1280,2400")
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!(
            "file://{}",
            site.path().join("index.html").display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        console_errors(&stderr).is_empty(),
        "{:?}",
        console_errors(&stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        bytes.len() > 20_000,
        "a blank page is tiny ({} bytes)",
        bytes.len()
    );
}

/// A template folder cannot publish files from outside it: a symbolic link that leaves the
/// folder (to a system file, to the process environment) is refused with exit 2 and nothing
/// is written; a link to a file inside the folder still works; a FIFO is never opened.
#[test]
fn template_links_that_leave_the_folder_are_refused() {
    let dir = portfolio(&[]);
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret.txt"), "TOP-SECRET-VALUE").unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    for target in [
        secret.path().join("secret.txt"),
        PathBuf::from("/proc/self/environ"),
        PathBuf::from("/etc/passwd"),
    ] {
        let link = templates.join("style.css");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let out_dir = tempfile::tempdir().unwrap();
        let out = milepost()
            .args(["site", "--as-of", "2026-11-23", "--out"])
            .arg(out_dir.path().join("site"))
            .arg(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", target.display());
        assert!(stderr.contains("outside the templates folder"), "{stderr}");
        assert!(!out_dir.path().join("site").exists(), "nothing is written");
        let out = milepost()
            .args([
                "render",
                "summary",
                "--program",
                "alpha",
                "--format",
                "html",
                "--as-of",
                "2026-11-23",
            ])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("TOP-SECRET-VALUE"));
    }
    // A link inside the folder is an ordinary override.
    std::fs::write(templates.join("mine.css"), "body { color: rebeccapurple; }").unwrap();
    std::fs::remove_file(templates.join("style.css")).unwrap();
    std::os::unix::fs::symlink("mine.css", templates.join("style.css")).unwrap();
    // A FIFO would block a reader forever: it is not a template and is never opened.
    let fifo = templates.join("summary.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = milepost()
        .args([
            "render",
            "summary",
            "--program",
            "alpha",
            "--format",
            "html",
            "--as-of",
            "2026-11-23",
        ])
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("rebeccapurple"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Under a file-size limit a write fails with a clear error (exit 2) and leaves neither a
/// half-written file nor a temporary file behind; the file it was to replace is intact.
#[test]
fn a_write_under_a_file_size_limit_fails_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("portfolio.html");
    std::fs::write(&target, "previous report").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("milepost");
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 4; exec '{}' render portfolio --format html --as-of 2026-11-23 --out '{}' '{}'",
            bin.display(),
            out.path().display(),
            acme().display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["portfolio.html"], "no temporary file is left");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous report");
}

/// The report's line between at risk and off track is `health-mismatch`'s, by default and as
/// configured, so a report and `milepost check` agree.
#[test]
fn the_reports_off_track_line_is_the_rules() {
    assert_eq!(
        milepost_render::status::OFF_TRACK_SLIP_DAYS,
        i64::from(milepost_rules::rules::health_mismatch::OFF_TRACK_DAYS.default)
    );
}
