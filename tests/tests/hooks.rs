//! The pre-commit hook runs whenever a file the loader reads (or refuses with a finding)
//! changes: every portfolio file name in both spellings (`.yaml`, `.yml`), and any YAML file
//! under `programs/`, where an unknown file is a finding.

use milepost_model::FileKind;

fn hook_pattern() -> regex::Regex {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.pre-commit-hooks.yaml"),
    )
    .unwrap();
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("files:"))
        .expect("the hook has a `files:` pattern");
    // pre-commit uses Python's `re.search`.
    regex::Regex::new(line.trim()).unwrap()
}

#[test]
fn the_hook_runs_on_every_file_the_loader_reads_or_refuses() {
    let files = hook_pattern();
    for kind in FileKind::ALL {
        for name in [kind.file_name(), kind.alt_file_name()] {
            let path = if matches!(kind, FileKind::Settings | FileKind::People) {
                format!("portfolio/{name}")
            } else {
                format!("portfolio/programs/alpha/{name}")
            };
            assert!(files.is_match(&path), "{path}");
            assert!(
                files.is_match(path.trim_start_matches("portfolio/")),
                "{path}"
            );
        }
    }
    // An unknown YAML file in a program folder is a finding, so it must trigger the hook.
    assert!(files.is_match("programs/alpha/risks.yml"));
    assert!(files.is_match("portfolio/programs/alpha/notes.yaml"));
    assert!(!files.is_match("README.md"));
    assert!(!files.is_match(".github/workflows/ci.yml"));
}
