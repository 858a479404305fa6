//! `milepost lsp` driven by a real editor's client: Neovim (Debian's package, installed by
//! `.ci/run`), headless, with a small Lua script (`tests/nvim/milepost.lua`) — diagnostics as
//! you type and go to definition. Without Neovim the test says so and passes, except under
//! CI (`CI` set).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn nvim() -> Option<PathBuf> {
    let found = Command::new("nvim").arg("--version").output().ok()?;
    found.status.success().then(|| PathBuf::from("nvim"))
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "tells a developer without Neovim that the test was skipped"
)]
fn neovim_shows_the_diagnostics_and_follows_a_definition() {
    let Some(nvim) = nvim() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "Neovim is required under CI (.ci/run installs it)"
        );
        eprintln!("skipped: Neovim is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("acme");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme"),
        &root,
    );
    let file = root.join("programs/ledger/milestones.yaml");
    let out = dir.path().join("out.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/milepost.lua");
    let status = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("MILEPOST", assert_cmd::cargo::cargo_bin("milepost"))
        .env("ROOT", &root)
        .env("FILE", &file)
        .env("OUT", &out)
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(result["errors"], serde_json::json!([]), "{result:#}");
    let owner_line = result["owner_line"].as_u64().unwrap();
    let unknown = result["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "owner-unknown")
        .unwrap_or_else(|| panic!("no owner-unknown diagnostic: {result:#}"));
    assert_eq!(unknown["lnum"].as_u64(), Some(owner_line), "{result:#}");
    assert_eq!(unknown["col"].as_u64(), Some(11), "{result:#}");
    assert_eq!(unknown["end_col"].as_u64(), Some(16), "{result:#}");
    let definition = &result["definition"];
    assert!(
        definition["uri"]
            .as_str()
            .unwrap()
            .ends_with("/acme/people.yaml"),
        "{result:#}"
    );
    let people = std::fs::read_to_string(root.join("people.yaml")).unwrap();
    let line = people
        .lines()
        .position(|l| l.trim_start() == "- id: kenji-t")
        .unwrap();
    assert_eq!(definition["line"].as_u64(), Some(line as u64), "{result:#}");
}
