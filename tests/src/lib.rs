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
