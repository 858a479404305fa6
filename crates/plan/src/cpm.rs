//! The critical path method: earliest and latest dates, total and free float, the critical
//! path.
//!
//! This module implements the schedule semantics of `docs/semantics.md` (a contract). It takes plain
//! [`Task`]s (durations, dependency indices, dates) and returns plain data; the model crate maps
//! milestones to tasks and back.
//!
//! # The model: a continuous work-day axis
//!
//! Time is a single axis of *positions* counted in work days (see [`Calendar::index_of`]):
//! position `p` is the **start** of work day `p`, and the **end** of work day `p` is position
//! `p + 1` (the start of the next work day — nothing happens in between, since non-work days
//! do not exist on this axis). Every task has an earliest start position `ES` and an earliest
//! finish position `EF = ES + duration`; dependents may start at `max EF` of their
//! dependencies. All arithmetic is integer arithmetic on positions; dates only appear at the
//! edges:
//!
//! * A task of duration `d >= 1` starting at `S` occupies work days `S … S+d−1`, and finishes
//!   at position `S+d`, i.e. at the end of work day `S+d−1`. Its start is dated `S`, its finish
//!   `S+d−1`; dependents start at position `S+d`, the next work day.
//! * A 0d task is an **event**, an instant `ES = EF = p`. Events differ only in how they are
//!   *dated*, which is fixed in the forward pass and kept for all four of its dates:
//!   - **reached by finishing work** (its driving dependency finishes at the end of a day,
//!     position `p` = end of day `p−1`): dated `p−1` ("end-of-day" event);
//!   - **at the start of a day** (no dependency, or the program start / as-of date, or an
//!     event dated at the start of a day, holds it to `p`): dated `p` ("start-of-day" event).
//!
//!   Dependents of either start at position `p`, so the contract's "work that depends on it
//!   starts the next work day" (first case) and "may start on D" (second case) both fall out.
//!
//! # Forward pass
//!
//! In topological order, an open task starts at the latest of: the work-day index of its
//! `not_before` date (the program start) rolled forward, that of `as_of` rolled forward, and
//! the finish positions of its dependencies. Conventions chosen:
//!
//! * **Ties, in calendar time.** On the axis, the end of work day `F` and the start of the next
//!   work day `D` are the same position; in calendar time the start of `D` is *later* (there is
//!   at least a night in between — `TaskJuggler`, for one, puts them at 17:00 and 00:00). So when
//!   a start-of-day constraint (the `not_before`/`as_of` bound, or a dependency that is a
//!   start-of-day event) and work that finished at the end of `F` meet at the same position,
//!   the start-of-day constraint is "the later one that holds it back": an event there is
//!   dated `D`, not `F`. This is how the contract reads "when it is reached by finishing work
//!   (... and nothing later holds it back)", and it keeps an open event from being dated
//!   before the as-of date or its program's start. A task's `driving_pred` is the dependency
//!   that is latest in that order; on an exact tie between a start-of-day dependency and the
//!   bound, the dependency; between dependencies, the first in `deps`. A task held by its
//!   bound has no driving predecessor.
//! * **Done tasks are facts.** A done task finished at the end of its `done` day: `EF` = the
//!   end of that calendar day on the axis (a completion recorded on a non-work day therefore
//!   counts as the end of the preceding work day, and is dated that work day). Its start is
//!   `EF − duration`, i.e. dated `done − duration + 1` work days. Its dependencies, `as_of` and
//!   `not_before` are ignored in the forward pass, and a done event is an end-of-day event.
//!
//! # Backward pass
//!
//! In reverse topological order, a task's latest finish `LF` is the minimum of
//!
//! * its group's (program's) finish: the latest `EF` among the tasks of the same `group`;
//! * each successor's latest start `LS` (all successors, done or not, as the contract says);
//! * its target `T`: "finished by the end of work day T, rolled back to a work day", i.e.
//!   position `index(roll_back(T)) + 1`; for a start-of-day event, which meets `T` only if dated
//!   `<= T`, position `index(roll_back(T))`.
//!
//! and `LS = LF − duration`. Latest dates are dated like the earliest ones (an end-of-day event's
//! latest dates are `LS − 1`/`LF − 1`, a start-of-day event's `LS`/`LF`).
//!
//! # Floats, slip, critical path
//!
//! * `slack_days` (total float) `= LS − ES`, negative when a target cannot be met.
//!   `critical` = `slack_days <= 0`.
//! * `free_slack_days` (free float) `= min(min over successors of their ES, group finish) − EF`:
//!   how far the task can slip without moving any successor's earliest start or its program's
//!   finish. Like MS Project's free slack, it is capped by the total float, so it never exceeds
//!   `slack_days` (and is negative with it when a target is already missed).
//! * `slip_days = dated earliest finish − index(roll_back(T))`: positive = late; equivalent to
//!   "`EF` minus the target bound".
//! * `finish` is the latest *dated* earliest finish over all tasks (per group for
//!   `group_finish`). The `critical_path` ends at the task that finishes last in calendar
//!   time (the latest `EF`, then the latest dated finish; the smallest index among equals, then
//!   — while a task that depends on it finishes at the same moment, such as a closing launch
//!   event — that task instead), and follows `driving_pred` back to a task without one; it is
//!   listed start first.
//!
//! All passes are iterative over a topological order computed once, over flat arrays: linear in
//! tasks + dependencies.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Calendar, DateTable};
use crate::error::ScheduleError;
use crate::graph::{NONE, Network};

/// The largest number of groups (programs): group indices must be below this. The per-group
/// arrays are sized by the largest index, so it is bounded.
pub const MAX_GROUPS: usize = 1 << 20;

/// One schedulable unit (a milestone), in plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Task {
    /// Duration in work days; 0 makes the task an event.
    pub duration: u32,
    /// Indices of the tasks this one depends on (finish-to-start). Duplicates are harmless.
    pub deps: Vec<usize>,
    /// The committed date: the task should be finished by the end of this (work) day.
    pub target: Option<NaiveDate>,
    /// `Some(date)` when the task's finish is a fact: done (it finished at the end of that
    /// day), or in-progress work anchored by its start or ETA (it is expected to finish at
    /// the end of that day; see `anchored_finish`). Such a task is not moved by its
    /// dependencies, the as-of date or the forecast's sampling.
    pub done: Option<NaiveDate>,
    /// The task may not start before this date (its program's start).
    pub not_before: Option<NaiveDate>,
    /// The program the task belongs to, a dense index `< MAX_GROUPS`; bounds the backward pass.
    pub group: usize,
}

/// The computed schedule of a set of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// One entry per input task, same order.
    pub tasks: Vec<TaskSchedule>,
    /// The driving chain that ends at the latest earliest finish, first task first. Empty when
    /// there are no tasks.
    pub critical_path: Vec<usize>,
    /// The latest earliest finish over all tasks; `None` when there are no tasks.
    pub finish: Option<NaiveDate>,
    /// The latest earliest finish per group index (`None` for a group without tasks); its
    /// length is the largest group index + 1.
    pub group_finish: Vec<Option<NaiveDate>>,
}

/// The schedule of one task. Dates are work days; see the module docs for how events are dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskSchedule {
    /// The first work day of the task (an event: its date).
    pub earliest_start: NaiveDate,
    /// The last work day of the task, finished at its end (an event: its date).
    pub earliest_finish: NaiveDate,
    /// The latest start that keeps every bound (group finish, successors, target).
    pub latest_start: NaiveDate,
    /// The latest finish that keeps every bound.
    pub latest_finish: NaiveDate,
    /// Total float in work days: latest start − earliest start. Negative when a target cannot
    /// be met.
    pub slack_days: i64,
    /// Free float in work days, capped by `slack_days` (see the module docs).
    pub free_slack_days: i64,
    /// `slack_days <= 0`.
    pub critical: bool,
    /// Earliest finish − target in work days (positive = late), when there is a target.
    pub slip_days: Option<i64>,
    /// The dependency that determined the earliest start, if any.
    pub driving_pred: Option<usize>,
}

/// Sentinel for "no target".
const NO_TARGET: i64 = i64::MIN;

/// Positions are clamped to `±MAX_POS`, far outside any representable date (about ±10^8 work
/// days) yet small enough that `2 * position + 1` never overflows, whatever the durations.
const MAX_POS: i64 = 1 << 60;

/// The validated problem in flat arrays indexed by topological *position* (see
/// [`Network`]): what the passes need, dates already converted to work-day positions.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    pub(crate) net: Network,
    pub(crate) dur: Vec<u32>,
    pub(crate) done: Vec<bool>,
    /// For done tasks: the finish key (end of the `done` day). For open tasks: the key of the
    /// earliest start bound (a start of day). See [`Forward`] for keys.
    pub(crate) anchor: Vec<i64>,
    /// Index of the rolled-back target work day, or `NO_TARGET`.
    pub(crate) target: Vec<i64>,
    pub(crate) group: Vec<u32>,
    pub(crate) groups: usize,
}

/// The result of one forward pass, reusable across Monte Carlo runs.
///
/// A task's finish is stored as one *key*: `2 * EF + 1` when it happens at the start of a day
/// (a start-of-day event), `2 * EF` when at the end of the previous work day (work, done tasks,
/// events reached by finishing work). Comparing keys compares finishes in calendar time: a
/// later position, or at the same position the start of a day after the end of the previous
/// one. One `i64` per task keeps the hot loop to a single load and compare per dependency.
#[derive(Debug, Clone, Default)]
pub(crate) struct Forward {
    pub(crate) key: Vec<i64>,
    pub(crate) drv: Vec<u32>,
}

impl Forward {
    pub(crate) fn new(n: usize) -> Forward {
        Forward {
            key: vec![0; n],
            drv: vec![NONE; n],
        }
    }

    /// Earliest finish position.
    #[inline]
    pub(crate) fn ef(&self, i: usize) -> i64 {
        self.key[i] >> 1
    }

    /// Whether the finish is at the end of a day (always, for a task with a duration).
    #[inline]
    pub(crate) fn end(&self, i: usize) -> bool {
        self.key[i] & 1 == 0
    }

    /// The work-day index the finish of `i` is dated.
    #[inline]
    pub(crate) fn dated_finish(&self, i: usize) -> i64 {
        let k = self.key[i];
        (k >> 1) - 1 + (k & 1)
    }

    /// The driving predecessor of `i`.
    #[inline]
    pub(crate) fn driver(&self, i: usize) -> Option<usize> {
        let d = self.drv[i];
        (d != NONE).then_some(d as usize)
    }
}

impl Engine {
    pub(crate) fn new(
        tasks: &[Task],
        cal: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Engine, ScheduleError> {
        let n = tasks.len();
        let net = Network::build(n, |i| tasks[i].deps.as_slice())?;
        let as_of_pos = cal.index_of(as_of);
        let mut groups = 0;
        // Read the tasks in input order (sequential) and scatter into position order.
        let mut dur = vec![0u32; n];
        let mut done = vec![false; n];
        let mut anchor = vec![0i64; n];
        let mut target = vec![NO_TARGET; n];
        let mut group = vec![0u32; n];
        // Program starts repeat across a program's tasks: remember the last conversion.
        let mut last_start: Option<(NaiveDate, i64)> = None;
        for (i, t) in tasks.iter().enumerate() {
            if t.group >= MAX_GROUPS {
                return Err(ScheduleError::GroupOutOfRange {
                    task: i,
                    group: t.group,
                });
            }
            let p = net.pos[i] as usize;
            groups = groups.max(t.group + 1);
            dur[p] = t.duration;
            done[p] = t.done.is_some();
            anchor[p] = match (t.done, t.not_before) {
                (Some(d), _) => 2 * cal.end_index_of(d),
                (None, None) => 2 * as_of_pos + 1,
                (None, Some(nb)) => {
                    let start = match last_start {
                        Some((date, index)) if date == nb => index,
                        _ => {
                            let index = cal.index_of(nb);
                            last_start = Some((nb, index));
                            index
                        }
                    };
                    2 * start.max(as_of_pos) + 1
                }
            };
            if let Some(d) = t.target {
                target[p] = cal.end_index_of(d) - 1;
            }
            group[p] = t.group as u32;
        }
        Ok(Engine {
            net,
            dur,
            done,
            anchor,
            target,
            group,
            groups,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.dur.len()
    }

    /// The input index of position `p`.
    #[inline]
    pub(crate) fn task(&self, p: usize) -> usize {
        self.net.order[p] as usize
    }

    /// The forward pass with the given durations by position (done tasks use their recorded
    /// finish). One sequential sweep: predecessors always have smaller positions.
    pub(crate) fn forward(&self, dur: &[u32], out: &mut Forward) {
        let Forward { key, drv } = out;
        let mut rows = self.net.preds.targets.as_slice();
        for (p, w) in self.net.preds.offsets.windows(2).enumerate() {
            let (row, rest) = rows.split_at((w[1] - w[0]) as usize);
            rows = rest;
            if self.done[p] {
                key[p] = self.anchor[p];
                drv[p] = NONE;
                continue;
            }
            // The latest contributor in calendar time: the bound, or a dependency's finish.
            // On an exact tie the dependency drives; between dependencies, the first listed.
            let mut best = self.anchor[p];
            let mut driver = NONE;
            for &q in row {
                let k = key[q as usize];
                if k > best || (k == best && driver == NONE) {
                    best = k;
                    driver = q;
                }
            }
            let d = dur[p];
            key[p] = if d == 0 {
                best
            } else {
                // Work starts at the position of `best` and ends at the end of a day.
                2 * ((best >> 1) + i64::from(d)).min(MAX_POS)
            };
            drv[p] = driver;
        }
    }

    /// Earliest start position of position `p` in `fwd`.
    #[inline]
    pub(crate) fn es(&self, fwd: &Forward, p: usize) -> i64 {
        fwd.ef(p) - i64::from(self.dur[p])
    }

    /// The position the critical path ends at: the task that finishes last in calendar time
    /// (the greatest key), the smallest input index among equals; then, while tasks that depend
    /// on it finish at the same moment (a closing event), the one with the smallest input index.
    pub(crate) fn last_task(&self, fwd: &Forward) -> Option<usize> {
        let order = &self.net.order;
        let mut best = 0;
        let mut k = *fwd.key.first()?;
        for (p, &kp) in fwd.key.iter().enumerate().skip(1) {
            if kp > k || (kp == k && order[p] < order[best]) {
                (best, k) = (p, kp);
            }
        }
        while let Some(s) = self
            .net
            .succs
            .of(best)
            .iter()
            .filter(|&&s| fwd.key[s as usize] == k)
            .min_by_key(|&&s| order[s as usize])
        {
            best = *s as usize;
        }
        Some(best)
    }

    /// Calls `f` once with each position on **any** longest path of `fwd`: every task that
    /// finishes last (in calendar time), then, backwards, every dependency whose finish ties
    /// for driving a marked task. Unlike [`Engine::walk_critical`] no tie is broken by the
    /// order of `depends_on`, so parallel branches of equal length are all critical in the
    /// run. Linear in tasks + dependencies; `mark` is scratch space of one flag per task.
    pub(crate) fn walk_critical_all(
        &self,
        fwd: &Forward,
        mark: &mut [bool],
        mut f: impl FnMut(usize),
    ) {
        let Some(&last) = fwd.key.iter().max() else {
            return;
        };
        for (m, &k) in mark.iter_mut().zip(&fwd.key) {
            *m = k == last;
        }
        for p in (0..mark.len()).rev() {
            if !mark[p] {
                continue;
            }
            f(p);
            if self.done[p] {
                continue;
            }
            let preds = self.net.preds.of(p);
            let Some(best) = preds.iter().map(|&q| fwd.key[q as usize]).max() else {
                continue;
            };
            // On a tie with the start bound the dependency drives (as in `forward`).
            if best >= self.anchor[p] {
                for &q in preds {
                    if fwd.key[q as usize] == best {
                        mark[q as usize] = true;
                    }
                }
            }
        }
    }

    /// Calls `f` with each position of the critical path, last first.
    pub(crate) fn walk_critical(&self, fwd: &Forward, mut f: impl FnMut(usize)) {
        let mut cur = self.last_task(fwd);
        while let Some(p) = cur {
            f(p);
            cur = fwd.driver(p);
        }
    }

    /// The target bound on the finish position of position `p`, for its dating.
    #[inline]
    pub(crate) fn target_bound(&self, p: usize, end: bool) -> Option<i64> {
        let t = self.target[p];
        (t != NO_TARGET).then(|| t + i64::from(end))
    }

    /// The target work-day index of position `p`, if any.
    #[inline]
    pub(crate) fn target_index(&self, p: usize) -> Option<i64> {
        let t = self.target[p];
        (t != NO_TARGET).then_some(t)
    }
}

/// Computes the critical-path schedule of `tasks` on `cal`, as of `as_of` (no open task starts
/// earlier). See the module docs for the exact semantics.
///
/// Errors: [`ScheduleError::UnknownDependency`], [`ScheduleError::Cycle`] (with every cycle),
/// [`ScheduleError::GroupOutOfRange`], [`ScheduleError::TooManyTasks`], and
/// [`ScheduleError::OutOfRange`] when a date cannot be represented.
pub fn schedule(
    tasks: &[Task],
    cal: &Calendar,
    as_of: NaiveDate,
) -> Result<Schedule, ScheduleError> {
    let eng = Engine::new(tasks, cal, as_of)?;
    let n = eng.len();
    let mut fwd = Forward::new(n);
    eng.forward(&eng.dur, &mut fwd);

    // Group finishes: positions for the backward bound, and the task dated last (smallest input
    // index among equals) for the report.
    let mut gf = vec![i64::MIN; eng.groups];
    let mut gf_last: Vec<Option<(i64, usize)>> = vec![None; eng.groups];
    for p in 0..n {
        let g = eng.group[p] as usize;
        gf[g] = gf[g].max(fwd.ef(p));
        let (f, i) = (fwd.dated_finish(p), eng.task(p));
        if gf_last[g].is_none_or(|(bf, bi)| f > bf || (f == bf && i < bi)) {
            gf_last[g] = Some((f, i));
        }
    }

    // Backward pass, positions in reverse.
    let mut ls = vec![0i64; n];
    let mut lf = vec![0i64; n];
    for p in (0..n).rev() {
        let mut f = gf[eng.group[p] as usize];
        for &s in eng.net.succs.of(p) {
            f = f.min(ls[s as usize]);
        }
        if let Some(t) = eng.target_bound(p, fwd.end(p)) {
            f = f.min(t);
        }
        lf[p] = f;
        ls[p] = f - i64::from(eng.dur[p]);
    }

    // Dates: through a dense table over the span of all dates when it is compact.
    let (lo, hi) = (0..n).fold((i64::MAX, i64::MIN), |(lo, hi), p| {
        (
            lo.min(eng.es(&fwd, p).min(ls[p]) - 1),
            hi.max(fwd.ef(p).max(lf[p])),
        )
    });
    let table = DateTable::new(cal, lo, hi, 16 * n + 4096);
    let date = |task: usize, idx: i64| {
        table
            .get(cal, idx)
            .ok_or(ScheduleError::OutOfRange { task })
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let p = eng.net.pos[i] as usize;
        let end = fwd.end(p);
        let event_end = i64::from(eng.dur[p] == 0 && end);
        let es = eng.es(&fwd, p);
        let ef = fwd.ef(p);
        let slack = ls[p] - es;
        let mut free = gf[eng.group[p] as usize];
        for &s in eng.net.succs.of(p) {
            free = free.min(eng.es(&fwd, s as usize));
        }
        let free = (free - ef).min(slack);
        let dated_finish = fwd.dated_finish(p);
        out.push(TaskSchedule {
            earliest_start: date(i, es - event_end)?,
            earliest_finish: date(i, dated_finish)?,
            latest_start: date(i, ls[p] - event_end)?,
            latest_finish: date(i, lf[p] - i64::from(end))?,
            slack_days: slack,
            free_slack_days: free,
            critical: slack <= 0,
            slip_days: eng.target_index(p).map(|t| dated_finish - t),
            driving_pred: fwd.driver(p).map(|q| eng.task(q)),
        });
    }

    let mut critical_path = Vec::new();
    eng.walk_critical(&fwd, |p| critical_path.push(eng.task(p)));
    critical_path.reverse();

    let finish = critical_path.last().map(|&i| out[i].earliest_finish);
    let group_finish = gf_last
        .iter()
        .map(|g| g.map(|(_, i)| out[i].earliest_finish))
        .collect();
    Ok(Schedule {
        tasks: out,
        critical_path,
        finish,
        group_finish,
    })
}
