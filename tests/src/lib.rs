//! milepost's workspace-level tests. The library is empty on purpose: everything lives in
//! `tests/` (the test targets) and `cmd/` (the scenarios):
//!
//! - `tests/scenarios.rs` runs every `cmd/*.md` file with trycmd: each is a page of
//!   console sessions (`$ milepost check acme`, its output, its exit code) that reads as
//!   documentation and fails when the binary's behaviour changes. Regenerate expected
//!   output with `TRYCMD=overwrite cargo test -p milepost-tests --test scenarios`, then
//!   read the diff.
//! - `tests/architecture.rs` enforces the layering of `docs/architecture.md`: the allowed
//!   dependency edges between the crates, and no cycle between the modules of a crate.

use std::path::{Path, PathBuf};

/// The `milepost` binary of this build, beside the running test's own `deps/` folder (debug
/// or release, as the test). `cargo test --workspace` builds it (the CLI's own tests need
/// it); when it is missing, it is built here.
///
/// # Panics
/// When the binary cannot be built.
pub fn milepost_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows where it is");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let bin = dir.join(format!("milepost{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut build = std::process::Command::new(cargo);
        build.args(["build", "-p", "milepost", "--bin", "milepost"]);
        if dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building the milepost binary failed");
    }
    bin
}
