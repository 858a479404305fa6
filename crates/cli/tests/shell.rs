//! Shell conventions: completions that bash really completes with, manual pages, `--help`,
//! `--version`, `--color`, `--quiet`.

mod common;

use common::milepost;

fn stdout(args: &[&str]) -> String {
    let out = milepost().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Sources the bash completion script and asks it to complete `words` (the last one being
/// completed).
fn complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; _milepost milepost '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words.last().unwrap_or(&""),
        words.get(words.len().saturating_sub(2)).unwrap_or(&""),
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_subcommands_and_format_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("milepost.bash");
    std::fs::write(&script, stdout(&["completions", "bash"])).unwrap();
    let subcommands = complete(&script, &["milepost", "ch"]);
    assert!(subcommands.contains(&"check".to_owned()), "{subcommands:?}");
    let formats = complete(&script, &["milepost", "check", "--format", ""]);
    for f in [
        "human", "json", "github", "sarif", "junit", "gitlab", "markdown",
    ] {
        assert!(formats.contains(&f.to_owned()), "{f}: {formats:?}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(!stdout(&["completions", shell]).is_empty(), "{shell}");
    }
}

#[test]
fn manual_pages_and_help_are_stable() {
    let man = stdout(&["man"]);
    assert!(man.contains(".TH milepost 1"), "{man}");
    // The version line names the commit the binary was built from: not part of the snapshot.
    let stamp = format!("v{} (", env!("CARGO_PKG_VERSION"));
    let man: String = man
        .lines()
        .map(|l| {
            if l.starts_with(&stamp) {
                format!("{stamp}COMMIT DATE)\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    insta::assert_snapshot!("man_page", man);
    let dir = tempfile::tempdir().unwrap();
    stdout(&["man", "--out", dir.path().to_str().unwrap()]);
    let check = std::fs::read_to_string(dir.path().join("milepost-check.1")).unwrap();
    assert!(check.contains("milepost\\-check"), "{check}");
    insta::assert_snapshot!("help", stdout(&["--help"]));
    insta::assert_snapshot!("check_help", stdout(&["check", "--help"]));
}

#[test]
fn version_names_the_commit_and_color_and_quiet_are_global() {
    let short = stdout(&["-V"]);
    assert!(short.starts_with("milepost "), "{short}");
    let long = stdout(&["--version"]);
    // `milepost 0.1.0 (1a2b3c4d5e6f 2026-12-01)` in a checkout.
    assert!(
        long.contains('(') && long.trim_end().ends_with(')'),
        "{long}"
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/broken");
    let coloured = milepost()
        .args(["check", "--color", "always"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
    let plain = milepost()
        .args(["check", "--color", "never"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let quiet = milepost()
        .args(["-q", "check"])
        .arg(&acme)
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    assert!(
        quiet.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stdout)
    );
}
