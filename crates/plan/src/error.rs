//! The typed errors of the planning core.
//!
//! Every way a plain input can be unplannable is a variant here, so callers (the CLI, the
//! rules) can sort them into located diagnostics. Nothing in this crate panics on input.

use thiserror::Error;

/// A work-day calendar could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The week has no work day, so no date could ever be scheduled.
    #[error("the calendar has no work day: at least one weekday must be a work day")]
    NoWorkdays,
}

/// A schedule or forecast could not be computed.
///
/// Task indices in the variants are positions in the input slice.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScheduleError {
    /// The dependencies contain cycles. Each inner list is one full cycle, one per strongly
    /// connected component, in the form returned by [`crate::find_cycles`]: every element
    /// depends on the next one and the last depends on the first.
    #[error("dependency cycle(s): {}", format_cycles(.0))]
    Cycle(Vec<Vec<usize>>),
    /// A task lists a dependency index that is not a task.
    #[error("task {task} depends on task {dep}, which does not exist ({len} tasks)")]
    UnknownDependency {
        /// The task whose `deps` holds the bad index.
        task: usize,
        /// The bad index.
        dep: usize,
        /// The number of tasks.
        len: usize,
    },
    /// A task's group index is not below [`crate::MAX_GROUPS`].
    #[error(
        "task {task} is in group {group}, above the limit of {} groups",
        crate::MAX_GROUPS
    )]
    GroupOutOfRange {
        /// The task.
        task: usize,
        /// Its group index.
        group: usize,
    },
    /// More tasks than the scheduler can index (`u32::MAX - 1`).
    #[error("{0} tasks is more than the scheduler can index")]
    TooManyTasks(usize),
    /// A computed date falls outside the dates the calendar can represent (chrono's range),
    /// e.g. a chain of very long milestones or an input date near the limits.
    #[error("the schedule of task {task} falls outside the representable dates")]
    OutOfRange {
        /// The first task whose dates cannot be represented.
        task: usize,
    },
    /// A three-point estimate is not `0 <= optimistic <= likely <= pessimistic < 2^32`, or is
    /// not finite.
    #[error(
        "task {task} has an invalid estimate: need 0 <= optimistic <= likely <= pessimistic, all finite"
    )]
    InvalidEstimate {
        /// The task.
        task: usize,
    },
    /// The estimates slice does not have one entry per task.
    #[error("{estimates} estimates given for {tasks} tasks")]
    EstimateCount {
        /// Number of tasks.
        tasks: usize,
        /// Number of estimates.
        estimates: usize,
    },
    /// A forecast was asked with zero runs.
    #[error("a forecast needs at least one run")]
    NoRuns,
}

fn format_cycles(cycles: &[Vec<usize>]) -> String {
    cycles
        .iter()
        .map(|c| {
            let mut s: Vec<String> = c.iter().map(ToString::to_string).collect();
            if let Some(first) = c.first() {
                s.push(first.to_string());
            }
            s.join(" -> ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}
