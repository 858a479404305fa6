//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the shared helpers"
)]

use chrono::NaiveDate;
use milepost_plan::Task;

/// Parses an ISO date; panics on a typo in a test.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// An open task of `duration` days depending on `deps`, in group 0.
pub fn task(duration: u32, deps: &[usize]) -> Task {
    Task {
        duration,
        deps: deps.to_vec(),
        ..Task::default()
    }
}

/// A straight chain of `n` tasks of `duration` days, each depending on the previous.
pub fn chain(n: usize, duration: u32) -> Vec<Task> {
    (0..n)
        .map(|i| {
            let deps: Vec<usize> = if i == 0 { vec![] } else { vec![i - 1] };
            task(duration, &deps)
        })
        .collect()
}
