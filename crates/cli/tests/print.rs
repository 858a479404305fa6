//! The executive summary prints on one page: every program summary of `examples/acme` is
//! printed to PDF by a real Chromium (headless, print-to-PDF) on Letter and on A4 paper, and
//! the pages are counted.
//!
//! Chromium is installed by `.ci/run`; without it the test says so and passes, except under
//! CI (`CI` set), where a missing browser is a failure rather than a silent skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("MILEPOST_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// The number of pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). Chromium
/// writes page dictionaries uncompressed.
fn pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

fn print(browser: &Path, html: &Path, pdf: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(html)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chromium");
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "chromium failed on {}", html.display());
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "chromium hung on {}",
            html.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "tells a developer without Chromium that the print check was skipped"
)]
fn every_acme_summary_prints_on_one_page_on_letter_and_a4() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is not installed: .ci/run installs it"
        );
        eprintln!("skipped: Chromium is not installed (set MILEPOST_CHROMIUM or install chromium)");
        return;
    };
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let out = tempfile::tempdir().unwrap();
    let programs: Vec<String> = std::fs::read_dir(acme.join("programs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(programs.len() >= 6);
    for program in &programs {
        let html = Command::cargo_bin("milepost")
            .unwrap()
            .current_dir(&acme)
            .args([
                "render",
                "summary",
                "--format",
                "html",
                "--program",
                program,
            ])
            .output()
            .unwrap();
        assert_eq!(html.status.code(), Some(0), "{program}");
        let text = String::from_utf8(html.stdout).unwrap();
        for (paper, css) in [("letter", ""), ("a4", "@page { size: A4; }")] {
            let page = out.path().join(format!("{program}-{paper}.html"));
            std::fs::write(&page, text.replacen("<style>", &format!("<style>{css}"), 1)).unwrap();
            let pdf = out.path().join(format!("{program}-{paper}.pdf"));
            print(&browser, &page, &pdf);
            let bytes = std::fs::read(&pdf).unwrap();
            assert_eq!(pages(&bytes), 1, "{program} on {paper} paper");
        }
    }
}

#[test]
fn the_page_counter_counts_pages_not_the_page_tree() {
    let two = b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type /Page\n>>";
    assert_eq!(pages(two), 2);
}
