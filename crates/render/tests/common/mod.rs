//! Shared helpers: the example portfolio and an in-memory portfolio builder.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the shared helpers"
)]

use std::path::PathBuf;

use chrono::NaiveDate;
use milepost_load::{FileSet, Portfolio};
use milepost_session::Session;

/// The as-of date the examples are pinned to.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// `examples/acme`, loaded from disk.
pub fn acme() -> Portfolio {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let p = milepost_load::load_dir(&root).expect("examples/acme loads");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    p
}

/// A portfolio from `(path, yaml)` pairs.
pub fn memory(files: &[(&str, &str)]) -> Portfolio {
    milepost_load::load(FileSet::from_memory(
        files.iter().map(|(p, t)| (*p, t.as_bytes().to_vec())),
    ))
}

/// The session every test uses: pinned date, the reports' default forecast.
pub fn session(p: Portfolio) -> Session {
    Session::from_portfolio(p, Some(as_of()), &[]).expect("no program filter")
}
