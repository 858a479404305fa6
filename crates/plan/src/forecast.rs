//! Monte Carlo forecasts over three-point estimates.
//!
//! Each run samples a duration for every open task that has an [`Estimate`], propagates them
//! through the same network, calendar and semantics as [`crate::schedule`] (the forward pass
//! only), and records every task's dated earliest finish, each group's and the overall finish,
//! whether each target was met, and which tasks lay on that run's critical path.
//!
//! # Sampling
//!
//! * **Distribution: triangular** over `[optimistic, pessimistic]` with mode `likely`, drawn by
//!   inverting its CDF. It is exact in closed form, needs exactly one uniform number per task
//!   per run (so a task's draw never depends on other tasks' estimates, and runs stay aligned
//!   across small edits of a plan), and it is deliberately more conservative than PERT-Beta:
//!   its mean `(a + m + b) / 3` weighs the tails more than PERT's `(a + 4m + b) / 6`, which
//!   suits dates that people commit to.
//! * Samples are **rounded up** to whole work days (a task that takes 2.1 days occupies 3).
//! * A task **without an estimate** uses its fixed `duration`; a **done** task is fixed
//!   entirely (its estimate is ignored).
//!
//! # Reproducibility and parallelism
//!
//! Runs are cut into fixed chunks of [`CHUNK_RUNS`]. Chunk `c` gets its own PCG-64 generator
//! seeded from `(seed, c)` only (`SplitMix64`-mixed into PCG's state, `c` as its stream), and
//! draws its runs in order, one number per sampled task in input order. Chunks are
//! processed in parallel with rayon, and their results are merged with integer sums, minima and
//! maxima only — operations that do not depend on the order of merging. So the same seed gives
//! the same forecast, bit for bit, whatever the number of threads.
//!
//! # Bounded memory, exact percentiles
//!
//! Storing every run's dates is `runs × tasks` values: fine for 10k × 1k, not for 10k × 100k.
//! Instead, every series (each task's finish, each group's, the overall finish) is summarised by
//! histograms, and percentiles are found by *refinement*:
//!
//! 1. Two deterministic forward passes with all-minimum and all-maximum durations bound every
//!    series (durations only push dates later), so each percentile lies in a known range.
//! 2. A *pilot* replays chunk 0 to see where each series actually falls. The first full pass
//!    counts each series into one-day bins (or wider, power-of-two bins when the budget is
//!    short) over the pilot's range, widened by half its spread, plus one underflow and one
//!    overflow bin for the rest of the static range. All bins share a fixed budget (about 2M
//!    counters per worker thread), so the bins per series shrink as the series grow.
//! 3. For each percentile, the bin that holds its rank becomes its new range. If some ranges
//!    are still wider than one day (a percentile fell in an under/overflow bin, or bins were
//!    wider than a day), the runs are *replayed* — they are reproducible from their seeds, so
//!    nothing needs storing — with finer bins over the narrowed ranges, until every percentile
//!    is a single day. The pilot only decides where bins go, never the answer; typical plans
//!    need the one pass.
//!
//! Values are buffered for 16 runs, series-major, and counted one series at a time, so a
//! series' bins stay in cache instead of every run touching one cache line per series.
//!
//! The percentiles are exact nearest-rank values: P*q* is the smallest date that at least
//! `ceil(q × runs)` runs finish on or before. Memory is O(tasks + budget) per thread, whatever
//! the number of runs: about 8 MB of counters plus under 200 bytes per task and group.
//!
//! # What is reported
//!
//! * Per task: P50/P80/P95 of its dated earliest finish; the share of runs meeting its target
//!   (finish dated on or before the target rolled back to a work day, i.e. `slip_days <= 0`);
//!   the **criticality index**, the share of runs in which the task is on **a** longest path of
//!   that run: it finishes last, or its finish ties for driving a task that is (so parallel
//!   branches of equal length are all critical, whatever the order of `depends_on`).
//! * Per group and overall: P50/P80/P95 of the latest dated finish.

use chrono::NaiveDate;
use rand::Rng;
use rand_pcg::Pcg64;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::cpm::{Engine, Forward, Task};
use crate::error::ScheduleError;

/// Runs per chunk: the unit of seeding and of parallel work. Changing it changes results, so it
/// is fixed.
pub const CHUNK_RUNS: u32 = 64;

/// Runs buffered before their values are counted (memory: series × this × 8 bytes per worker).
const BATCH_RUNS: usize = 16;

/// Histogram counters per worker and refinement pass.
const BIN_BUDGET: usize = 1 << 21;
/// Never more bins than this per range.
const MAX_BINS: usize = 1 << 14;

/// A three-point estimate of a duration, in work days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The best case.
    pub optimistic: f64,
    /// The most likely case (the mode).
    pub likely: f64,
    /// The worst case.
    pub pessimistic: f64,
}

/// What to forecast.
#[derive(Debug, Clone, Copy)]
pub struct ForecastInput<'a> {
    /// The tasks, as for [`crate::schedule`].
    pub tasks: &'a [Task],
    /// One optional estimate per task (same length as `tasks`).
    pub estimates: &'a [Option<Estimate>],
    /// The committed finish of each group (a program's charter `target`), by group index;
    /// shorter than the number of groups is fine (the rest have none). Gives
    /// [`GroupForecast::on_time_probability`].
    pub group_targets: &'a [Option<NaiveDate>],
    /// Number of Monte Carlo runs (at least 1).
    pub runs: u32,
    /// The seed: the same seed gives the same forecast.
    pub seed: u64,
}

/// Percentile dates of a finish distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    /// Half of the runs finish on or before this date.
    pub p50: NaiveDate,
    /// 80% of the runs finish on or before this date.
    pub p80: NaiveDate,
    /// 95% of the runs finish on or before this date.
    pub p95: NaiveDate,
}

/// The forecast of one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskForecast {
    /// Median earliest finish.
    pub p50: NaiveDate,
    /// 80th percentile earliest finish.
    pub p80: NaiveDate,
    /// 95th percentile earliest finish.
    pub p95: NaiveDate,
    /// Share of runs in which the target was met, when the task has one.
    pub on_time_probability: Option<f64>,
    /// Share of runs in which the task was on the run's critical path.
    pub criticality: f64,
}

/// The forecast of one group (program).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupForecast {
    /// Percentiles of the group's finish; `None` for a group index without tasks.
    pub finish: Option<Percentiles>,
    /// Share of runs in which the whole group finished by its target (the end of that work
    /// day, as the plan reads a target), when it has one and has tasks.
    pub on_time_probability: Option<f64>,
}

/// The result of [`forecast`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// One entry per task, same order as the input.
    pub tasks: Vec<TaskForecast>,
    /// One entry per group index up to the largest used.
    pub groups: Vec<GroupForecast>,
    /// Percentiles of the overall finish; `None` when there are no tasks.
    pub finish: Option<Percentiles>,
    /// Number of runs.
    pub runs: u32,
    /// The seed used.
    pub seed: u64,
}

/// A triangular distribution, ready for inverse-CDF draws.
#[derive(Debug, Clone, Copy)]
struct Triangular {
    a: f64,
    b: f64,
    /// The CDF at the mode.
    fc: f64,
    /// `(b − a)(m − a)` and `(b − a)(b − m)`: the inverse-CDF factors.
    lower: f64,
    upper: f64,
}

impl Triangular {
    fn new(task: usize, est: Estimate) -> Result<Triangular, ScheduleError> {
        let Estimate {
            optimistic: a,
            likely: m,
            pessimistic: b,
        } = est;
        let ok = a.is_finite()
            && m.is_finite()
            && b.is_finite()
            && 0.0 <= a
            && a <= m
            && m <= b
            && b <= f64::from(u32::MAX);
        if !ok {
            return Err(ScheduleError::InvalidEstimate { task });
        }
        let span = b - a;
        Ok(Triangular {
            a,
            b,
            fc: if span > 0.0 { (m - a) / span } else { 0.0 },
            lower: span * (m - a),
            upper: span * (b - m),
        })
    }

    /// Inverse CDF at `u` in `[0, 1)`, rounded up to whole days.
    #[inline]
    fn draw(&self, u: f64) -> u32 {
        let x = if u < self.fc {
            self.a + (u * self.lower).sqrt()
        } else {
            self.b - ((1.0 - u) * self.upper).sqrt()
        };
        ceil_days(x.clamp(self.a, self.b))
    }

    fn min(&self) -> u32 {
        ceil_days(self.a)
    }

    fn max(&self) -> u32 {
        ceil_days(self.b)
    }
}

/// Rounds a duration in `[0, 2^32 - 1]` up to whole days, without a libm call (the cast
/// truncates).
#[inline]
fn ceil_days(x: f64) -> u32 {
    let t = x as u32;
    t + u32::from(f64::from(t) < x)
}

/// The percentile ranks (1-based, nearest rank) for P50, P80, P95.
fn ranks(runs: u32) -> [u32; 3] {
    let r = u64::from(runs);
    [50u64, 80, 95].map(|q| (r * q).div_ceil(100).max(1) as u32)
}

/// The search state of one percentile of one series: the answer lies in `lo..=hi`, and `below`
/// runs are known to be `< lo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Search {
    lo: i64,
    hi: i64,
    below: u32,
    rank: u32,
}

/// One histogram over a search range `lo..=hi` of one series in one pass: an underflow bin for
/// `lo..core_lo`, bins of `2^shift` days over `core_lo..=core_hi`, an overflow bin for
/// `core_hi+1..=hi`. The core is where the runs are expected (from the pilot); elsewhere it is
/// the whole range and the two extra bins stay empty.
#[derive(Debug, Clone, Copy)]
struct Slot {
    lo: i64,
    hi: i64,
    core_lo: i64,
    core_hi: i64,
    /// Bins are `2^shift` days wide: a shift, not a division, in the hot loop.
    shift: u32,
    offset: usize,
    /// Number of bins including underflow and overflow.
    bins: usize,
}

impl Slot {
    /// The bin of `v`, which must lie in `lo..=hi`.
    #[inline]
    fn bin(&self, v: i64) -> usize {
        if v < self.core_lo {
            0
        } else if v > self.core_hi {
            self.bins - 1
        } else {
            1 + ((v - self.core_lo) >> self.shift) as usize
        }
    }

    /// The values that fall in bin `b`, as an inclusive range.
    fn range(&self, b: usize) -> (i64, i64) {
        if b == 0 {
            (self.lo, self.core_lo - 1)
        } else if b == self.bins - 1 {
            (self.core_hi + 1, self.hi)
        } else {
            let lo = self.core_lo + ((b as i64 - 1) << self.shift);
            (lo, (lo + (1 << self.shift) - 1).min(self.core_hi))
        }
    }
}

/// What one worker accumulates in one pass.
#[derive(Debug, Clone)]
struct Acc {
    hist: Vec<u32>,
    /// First pass only.
    on_time: Vec<u32>,
    crit: Vec<u32>,
    min: Vec<i64>,
    max: Vec<i64>,
}

impl Acc {
    fn new(bins: usize, n: usize, series: usize, first: bool) -> Acc {
        let (n, s) = if first { (n, series) } else { (0, 0) };
        Acc {
            hist: vec![0; bins],
            on_time: vec![0; s],
            crit: vec![0; n],
            min: vec![i64::MAX; s],
            max: vec![i64::MIN; s],
        }
    }

    fn merge(mut self, other: &Acc) -> Acc {
        for (a, b) in self.hist.iter_mut().zip(&other.hist) {
            *a += b;
        }
        for (a, b) in self.on_time.iter_mut().zip(&other.on_time) {
            *a += b;
        }
        for (a, b) in self.crit.iter_mut().zip(&other.crit) {
            *a += b;
        }
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = (*a).min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = (*a).max(*b);
        }
        self
    }
}

/// Per-worker scratch buffers.
#[derive(Debug)]
struct Scratch {
    dur: Vec<u32>,
    fwd: Forward,
    vals: Vec<i64>,
    /// The values of up to [`BATCH_RUNS`] runs, series-major: `batch[k * BATCH_RUNS + r]`.
    /// Histograms are then updated one series at a time, so each series' bins stay in cache
    /// for the batch instead of every run touching one cache line per series.
    batch: Vec<i64>,
    /// One flag per task for the critical-path marking of a run.
    mark: Vec<bool>,
}

/// Everything a pass needs, shared read-only by the workers.
struct Sim<'a> {
    eng: &'a Engine,
    /// The sampled tasks in input order, with their position: one draw each per run.
    draws: Vec<(usize, Triangular)>,
    runs: u32,
    seed: u64,
    groups: usize,
    /// The target work-day index of each group series (as [`Engine::target_index`] reads a
    /// task's), `None` without one.
    group_targets: Vec<Option<i64>>,
    /// `n + groups + 1` series: tasks, groups, overall.
    series: usize,
}

/// `SplitMix64`: a strong 64-bit mixer for deriving chunk seeds.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of chunk `c`: a function of `(seed, c)` only.
fn chunk_rng(seed: u64, c: u64) -> Pcg64 {
    let hi = splitmix64(seed);
    let lo = splitmix64(hi ^ splitmix64(c));
    Pcg64::new((u128::from(hi) << 64) | u128::from(lo), u128::from(c))
}

impl Sim<'_> {
    fn n(&self) -> usize {
        self.eng.len()
    }

    /// The target of series `k`: a task's own, a group's charter target, none overall.
    #[inline]
    fn series_target(&self, k: usize) -> Option<i64> {
        let n = self.n();
        if k < n {
            self.eng.target_index(k)
        } else {
            self.group_targets.get(k - n).copied().flatten()
        }
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            dur: self.eng.dur.clone(),
            fwd: Forward::new(self.n()),
            vals: vec![0; self.series],
            batch: vec![0; self.series * BATCH_RUNS],
            mark: vec![false; self.n()],
        }
    }

    /// One forward pass with the given durations, then the series values.
    fn eval(&self, s: &mut Scratch) {
        let n = self.n();
        self.eng.forward(&s.dur, &mut s.fwd);
        let (tasks, rest) = s.vals.split_at_mut(n);
        let (groups, overall) = rest.split_at_mut(self.groups);
        groups.fill(i64::MIN);
        let mut all = i64::MIN;
        for (i, v) in tasks.iter_mut().enumerate() {
            let f = s.fwd.dated_finish(i);
            *v = f;
            let g = &mut groups[self.eng.group[i] as usize];
            *g = (*g).max(f);
            all = all.max(f);
        }
        overall[0] = all;
    }

    /// Replays chunk `c` into `acc`.
    fn run_chunk(&self, c: u64, layout: &Layout, first: bool, acc: &mut Acc, s: &mut Scratch) {
        let mut rng = chunk_rng(self.seed, c);
        let start = c * u64::from(CHUNK_RUNS);
        let runs = (u64::from(self.runs) - start).min(u64::from(CHUNK_RUNS)) as usize;
        let mut done = 0;
        while done < runs {
            let batch = (runs - done).min(BATCH_RUNS);
            for r in 0..batch {
                for (p, t) in &self.draws {
                    s.dur[*p] = t.draw(rng.random::<f64>());
                }
                self.eval(s);
                for (k, &v) in s.vals.iter().enumerate() {
                    s.batch[k * BATCH_RUNS + r] = v;
                }
                if first {
                    self.eng
                        .walk_critical_all(&s.fwd, &mut s.mark, |i| acc.crit[i] += 1);
                }
            }
            self.count(layout, first, acc, s, batch);
            done += batch;
        }
    }

    /// Counts the first `runs` buffered runs of `s.batch` into `acc`, one series at a time.
    fn count(&self, layout: &Layout, first: bool, acc: &mut Acc, s: &Scratch, runs: usize) {
        for k in 0..self.series {
            let col = &s.batch[k * BATCH_RUNS..k * BATCH_RUNS + runs];
            if !layout.slots.is_empty() {
                for slot in layout.of(k) {
                    let hist = &mut acc.hist[slot.offset..slot.offset + slot.bins];
                    for &v in col {
                        if v >= slot.lo && v <= slot.hi {
                            hist[slot.bin(v)] += 1;
                        }
                    }
                }
            }
            if first {
                for &v in col {
                    acc.min[k] = acc.min[k].min(v);
                    acc.max[k] = acc.max[k].max(v);
                }
                if let Some(t) = self.series_target(k) {
                    acc.on_time[k] += col.iter().filter(|&&v| v <= t).count() as u32;
                }
            }
        }
    }

    /// The observed `[min, max]` of every series over the runs of chunk 0.
    fn pilot(&self) -> Vec<(i64, i64)> {
        let mut acc = Acc::new(0, self.n(), self.series, true);
        let mut s = self.scratch();
        self.run_chunk(0, &Layout::default(), true, &mut acc, &mut s);
        acc.min.into_iter().zip(acc.max).collect()
    }

    /// Replays all runs with the given histogram layout.
    fn pass(&self, layout: &Layout, first: bool) -> Acc {
        let bins = layout.bins;
        let chunks = self.runs.div_ceil(CHUNK_RUNS) as usize;
        let threads = rayon::current_num_threads().max(1);
        let min_len = pieces_of(chunks, threads);
        (0..chunks)
            .into_par_iter()
            .with_min_len(min_len)
            .fold(
                || (Acc::new(bins, self.n(), self.series, first), self.scratch()),
                |(mut acc, mut s), c| {
                    self.run_chunk(c as u64, layout, first, &mut acc, &mut s);
                    milepost_model::progress::advance(1);
                    (acc, s)
                },
            )
            .map(|(acc, _)| acc)
            .reduce(
                || Acc::new(bins, self.n(), self.series, first),
                |a, b| a.merge(&b),
            )
    }
}

/// The least number of chunks a thread takes in a pass: at most about one accumulator per
/// thread (bounded memory), and still a split for every thread. Rounded down: rayon splits a
/// range only when both halves keep the minimum length, so rounding up (157 chunks on 2
/// threads: 79) left the whole pass on the calling thread.
fn pieces_of(chunks: usize, threads: usize) -> usize {
    (chunks / threads.max(1)).max(1)
}

/// The histograms of one pass: per series, one slot per distinct unresolved range.
#[derive(Debug, Clone, Default)]
struct Layout {
    slots: Vec<Slot>,
    /// The slots of series `k` are `slots[off[k]..off[k + 1]]`.
    off: Vec<usize>,
    /// Total number of bins.
    bins: usize,
}

impl Layout {
    /// Lays out histograms for the unresolved searches within the bin budget. With `hints`
    /// (the pilot's observed `[min, max]` per series), the fine bins cover the hint, widened,
    /// and the rest of the range gets one underflow and one overflow bin.
    fn new(searches: &[[Search; 3]], budget: usize, hints: Option<&[(i64, i64)]>) -> Layout {
        let mut ranges: Vec<Vec<(i64, i64)>> = Vec::with_capacity(searches.len());
        let mut count = 0usize;
        for qs in searches {
            let mut rs: Vec<(i64, i64)> = Vec::new();
            for q in qs {
                if q.lo < q.hi && !rs.contains(&(q.lo, q.hi)) {
                    rs.push((q.lo, q.hi));
                }
            }
            count += rs.len();
            ranges.push(rs);
        }
        let per = (budget / count.max(1)).clamp(2, MAX_BINS) as i64;
        let mut slots = Vec::with_capacity(count);
        let mut off = Vec::with_capacity(searches.len() + 1);
        off.push(0);
        let mut bins = 0usize;
        for (k, rs) in ranges.into_iter().enumerate() {
            for (lo, hi) in rs {
                let (mut core_lo, mut core_hi) = (lo, hi);
                if let Some(&(min, max)) = hints.and_then(|h| h.get(k)) {
                    // Widen the pilot's range: the full run set spreads further than 64 runs.
                    let margin = (max.saturating_sub(min) / 2).saturating_add(2);
                    let (a, b) = (min.saturating_sub(margin), max.saturating_add(margin));
                    if a.max(lo) <= b.min(hi) {
                        (core_lo, core_hi) = (a.max(lo), b.min(hi));
                    }
                }
                // `core_hi - core_lo` cannot overflow: both are real positions.
                let span = core_hi - core_lo + 1;
                // The narrowest power-of-two width that fits the core in `per` bins.
                let mut shift = 0;
                while (span - 1) >> shift >= per {
                    shift += 1;
                }
                let count = ((span - 1) >> shift) as usize + 1 + 2;
                slots.push(Slot {
                    lo,
                    hi,
                    core_lo,
                    core_hi,
                    shift,
                    offset: bins,
                    bins: count,
                });
                bins += count;
            }
            off.push(slots.len());
        }
        Layout { slots, off, bins }
    }

    #[inline]
    fn of(&self, k: usize) -> &[Slot] {
        &self.slots[self.off[k]..self.off[k + 1]]
    }

    /// Narrows each unresolved search to the bin that holds its rank, then (after the first
    /// pass) to the observed `[min, max]` of its series.
    fn refine(&self, searches: &mut [[Search; 3]], hist: &[u32], bounds: Option<(&[i64], &[i64])>) {
        for (k, qs) in searches.iter_mut().enumerate() {
            for q in qs.iter_mut() {
                if q.lo >= q.hi {
                    continue;
                }
                let Some(slot) = self.of(k).iter().find(|s| s.lo == q.lo && s.hi == q.hi) else {
                    continue;
                };
                let mut below = q.below;
                let mut found = false;
                for b in 0..slot.bins {
                    let c = hist[slot.offset + b];
                    if below + c >= q.rank {
                        (q.lo, q.hi) = slot.range(b);
                        q.below = below;
                        found = true;
                        break;
                    }
                    below += c;
                }
                if !found {
                    // Unreachable while the static bounds hold; stop rather than loop.
                    q.lo = q.hi;
                }
                if let Some((min, max)) = bounds {
                    // No run lies outside [min, max], so narrowing to it keeps `below` exact.
                    q.lo = q.lo.max(min[k]);
                    q.hi = q.hi.min(max[k]).max(q.lo);
                }
            }
        }
    }
}

/// Runs a seeded Monte Carlo forecast; see the module docs for the method.
///
/// Errors: those of [`crate::schedule`], plus [`ScheduleError::EstimateCount`],
/// [`ScheduleError::InvalidEstimate`] and [`ScheduleError::NoRuns`].
pub fn forecast(
    input: &ForecastInput,
    cal: &Calendar,
    as_of: NaiveDate,
) -> Result<Forecast, ScheduleError> {
    forecast_with_budget(input, cal, as_of, BIN_BUDGET)
}

/// The last forecast and the inputs it was made from. The forecast is a pure function of
/// its inputs (the seed included), so asking again with equal inputs gives the same result
/// without simulating: for a long-running process such as the language server, where most
/// edits (an owner, a risk) do not touch the plan.
///
/// In *provisional* mode ([`ForecastMemo::set_provisional`]) a changed plan of the same shape
/// gets the last result at once, marked stale ([`ForecastMemo::take_stale`]): the language
/// server publishes with it and then asks again, exactly, when the editor is quiet.
#[derive(Debug, Default)]
pub struct ForecastMemo {
    last: std::sync::Mutex<Option<(MemoKey, Forecast)>>,
    provisional: std::sync::atomic::AtomicBool,
    stale: std::sync::atomic::AtomicBool,
}

/// Everything a forecast depends on.
#[derive(Debug, PartialEq)]
struct MemoKey {
    tasks: Vec<Task>,
    estimates: Vec<Option<Estimate>>,
    group_targets: Vec<Option<NaiveDate>>,
    runs: u32,
    seed: u64,
    calendar: Calendar,
    as_of: NaiveDate,
}

impl ForecastMemo {
    /// [`forecast`], or the remembered result when the inputs equal the last ones.
    ///
    /// # Errors
    /// As [`forecast`].
    pub fn forecast(
        &self,
        input: &ForecastInput,
        cal: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Forecast, ScheduleError> {
        let key = MemoKey {
            tasks: input.tasks.to_vec(),
            estimates: input.estimates.to_vec(),
            group_targets: input.group_targets.to_vec(),
            runs: input.runs,
            seed: input.seed,
            calendar: cal.clone(),
            as_of,
        };
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((k, result)) = last.as_ref() {
            if *k == key {
                return Ok(result.clone());
            }
            let same_shape = k.tasks.len() == key.tasks.len()
                && k.group_targets.len() == key.group_targets.len()
                && (k.runs, k.seed) == (key.runs, key.seed);
            if same_shape && self.provisional.load(std::sync::atomic::Ordering::Relaxed) {
                self.stale.store(true, std::sync::atomic::Ordering::Relaxed);
                return Ok(result.clone());
            }
        }
        let result = forecast(input, cal, as_of)?;
        *last = Some((key, result.clone()));
        Ok(result)
    }

    /// In provisional mode, a changed plan of the same shape is answered with the last
    /// result (marked stale) instead of a new simulation.
    pub fn set_provisional(&self, on: bool) {
        self.provisional
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether a stale result was given since the last call.
    pub fn take_stale(&self) -> bool {
        self.stale.swap(false, std::sync::atomic::Ordering::Relaxed)
    }
}

/// [`forecast`] with a given histogram budget (tests use tiny ones to force refinement).
fn forecast_with_budget(
    input: &ForecastInput,
    cal: &Calendar,
    as_of: NaiveDate,
    budget: usize,
) -> Result<Forecast, ScheduleError> {
    let tasks = input.tasks;
    if input.estimates.len() != tasks.len() {
        return Err(ScheduleError::EstimateCount {
            tasks: tasks.len(),
            estimates: input.estimates.len(),
        });
    }
    if input.runs == 0 {
        return Err(ScheduleError::NoRuns);
    }
    let eng = Engine::new(tasks, cal, as_of)?;
    let n = eng.len();
    let mut draws = Vec::new();
    for (i, (t, e)) in tasks.iter().zip(input.estimates).enumerate() {
        if let (Some(e), None) = (e, t.done) {
            draws.push((eng.net.pos[i] as usize, Triangular::new(i, *e)?));
        }
    }
    let groups = eng.groups;
    let group_targets: Vec<Option<i64>> = (0..groups)
        .map(|g| {
            input
                .group_targets
                .get(g)
                .copied()
                .flatten()
                .map(|d| cal.end_index_of(d) - 1)
        })
        .collect();
    let sim = Sim {
        eng: &eng,
        draws,
        runs: input.runs,
        seed: input.seed,
        groups,
        group_targets,
        series: n + groups + 1,
    };
    if n == 0 {
        return Ok(Forecast {
            tasks: Vec::new(),
            groups: Vec::new(),
            finish: None,
            runs: input.runs,
            seed: input.seed,
        });
    }

    // Static bounds of every series from all-min and all-max durations.
    let mut s = sim.scratch();
    for (p, t) in &sim.draws {
        s.dur[*p] = t.min();
    }
    sim.eval(&mut s);
    let lows: Vec<i64> = s.vals.iter().map(|&v| v.saturating_sub(1)).collect();
    for (p, t) in &sim.draws {
        s.dur[*p] = t.max();
    }
    sim.eval(&mut s);
    let highs = s.vals.clone();
    drop(s);

    let rk = ranks(input.runs);
    let mut searches: Vec<[Search; 3]> = lows
        .iter()
        .zip(&highs)
        .map(|(&lo, &hi)| {
            // An empty group has no values (lo = hi = MIN): resolved from the start.
            let lo = lo.min(hi);
            rk.map(|rank| Search {
                lo,
                hi,
                below: 0,
                rank,
            })
        })
        .collect();

    // Pilot: the runs of chunk 0 show where each series lies, so the first pass can put its
    // fine bins there. Pure speed: the result does not depend on it.
    let hints = sim.pilot();
    let mut first_acc: Option<Acc> = None;
    loop {
        let first = first_acc.is_none();
        let layout = Layout::new(&searches, budget, first.then_some(hints.as_slice()));
        if !first && layout.slots.is_empty() {
            break;
        }
        milepost_model::progress::start(
            if first {
                "simulating runs"
            } else {
                "refining percentiles"
            },
            u64::from(input.runs.div_ceil(CHUNK_RUNS)),
        );
        let acc = sim.pass(&layout, first);
        if first {
            // Any run outside the calendar's dates is an error, reported on its task.
            let (lo, hi) = cal.index_range();
            if let Some(p) = (0..n).find(|&p| acc.min[p] < lo || acc.max[p] > hi) {
                return Err(ScheduleError::OutOfRange { task: eng.task(p) });
            }
            layout.refine(&mut searches, &acc.hist, Some((&acc.min, &acc.max)));
            first_acc = Some(acc);
        } else {
            layout.refine(&mut searches, &acc.hist, None);
        }
    }
    let Some(acc) = first_acc else {
        unreachable!("the first pass always runs");
    };

    let runs = f64::from(input.runs);
    let pct = |k: usize, task: usize| -> Result<Percentiles, ScheduleError> {
        let [p50, p80, p95] = searches[k].map(|q| cal.date_of_index(q.lo));
        match (p50, p80, p95) {
            (Some(p50), Some(p80), Some(p95)) => Ok(Percentiles { p50, p80, p95 }),
            _ => Err(ScheduleError::OutOfRange { task }),
        }
    };
    // Task series are indexed by topological position; report in input order.
    let mut out_tasks = Vec::with_capacity(n);
    for i in 0..n {
        let p = eng.net.pos[i] as usize;
        let pc = pct(p, i)?;
        out_tasks.push(TaskForecast {
            p50: pc.p50,
            p80: pc.p80,
            p95: pc.p95,
            on_time_probability: eng
                .target_index(p)
                .map(|_| f64::from(acc.on_time[p]) / runs),
            criticality: f64::from(acc.crit[p]) / runs,
        });
    }
    let mut first_member = vec![usize::MAX; groups];
    for p in 0..n {
        let g = &mut first_member[eng.group[p] as usize];
        *g = (*g).min(eng.task(p));
    }
    let mut out_groups = Vec::with_capacity(groups);
    for (g, &m) in first_member.iter().enumerate() {
        let has_tasks = m != usize::MAX;
        out_groups.push(GroupForecast {
            finish: if has_tasks {
                Some(pct(n + g, m)?)
            } else {
                None
            },
            on_time_probability: sim
                .series_target(n + g)
                .filter(|_| has_tasks)
                .map(|_| f64::from(acc.on_time[n + g]) / runs),
        });
    }
    Ok(Forecast {
        tasks: out_tasks,
        groups: out_groups,
        finish: Some(pct(n + groups, 0)?),
        runs: input.runs,
        seed: input.seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A random DAG with wide estimates, some done tasks and targets, in three groups.
    fn plan(n: usize, seed: u64) -> (Vec<Task>, Vec<Option<Estimate>>) {
        let mut rng = Pcg64::new(u128::from(seed), 1);
        let mut tasks = Vec::new();
        let mut est = Vec::new();
        for i in 0..n {
            let deps = (0..i).filter(|_| rng.random_bool(0.2)).collect();
            let likely = rng.random_range(0..8) as u32;
            tasks.push(Task {
                duration: likely,
                deps,
                group: rng.random_range(0..3),
                target: rng
                    .random_bool(0.3)
                    .then(|| date("2024-01-01") + chrono::Days::new(rng.random_range(0..60))),
                done: (i < 3 && rng.random_bool(0.5)).then(|| date("2023-12-20")),
                ..Task::default()
            });
            est.push(rng.random_bool(0.8).then(|| Estimate {
                optimistic: f64::from(likely) * 0.5,
                likely: f64::from(likely),
                pessimistic: f64::from(likely) * 3.0 + 2.5,
            }));
        }
        (tasks, est)
    }

    #[test]
    fn a_pass_is_split_across_every_thread() {
        for threads in [2, 3, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for chunks in [threads, 7, 157, 158, 1000] {
                // How many pieces (accumulators) the pass's iterator is cut into.
                let pieces: usize = pool.install(|| {
                    (0..chunks)
                        .into_par_iter()
                        .with_min_len(pieces_of(chunks, threads))
                        .fold(|| 1usize, |n, _| n)
                        .sum()
                });
                assert!(
                    pieces >= 2,
                    "{chunks} chunks on {threads} threads: {pieces} piece"
                );
                assert!(
                    pieces <= 2 * threads,
                    "{chunks} chunks on {threads} threads: {pieces} pieces"
                );
            }
        }
    }

    /// Every run's series values, stored: the reference for the refinement.
    fn brute_percentiles(sim: &Sim, runs: u32) -> Vec<[i64; 3]> {
        let mut all: Vec<Vec<i64>> = vec![Vec::new(); sim.series];
        let mut s = sim.scratch();
        for c in 0..u64::from(runs.div_ceil(CHUNK_RUNS)) {
            let mut rng = chunk_rng(sim.seed, c);
            let start = c * u64::from(CHUNK_RUNS);
            for _ in start..(start + u64::from(CHUNK_RUNS)).min(u64::from(runs)) {
                for (p, t) in &sim.draws {
                    s.dur[*p] = t.draw(rng.random::<f64>());
                }
                sim.eval(&mut s);
                for (k, v) in s.vals.iter().enumerate() {
                    all[k].push(*v);
                }
            }
        }
        let rk = ranks(runs);
        all.into_iter()
            .map(|mut v| {
                v.sort_unstable();
                rk.map(|r| v[r as usize - 1])
            })
            .collect()
    }

    #[test]
    fn refinement_gives_exact_nearest_rank_percentiles() {
        let cal = Calendar::default_week();
        let as_of = date("2024-01-01");
        for (n, runs, seed) in [
            (30, 500, 1),
            (60, 1000, 2),
            (12, 64, 3),
            (5, 1, 4),
            (40, 333, 5),
        ] {
            let (tasks, est) = plan(n, seed);
            let input = ForecastInput {
                tasks: &tasks,
                estimates: &est,
                group_targets: &[],
                runs,
                seed,
            };
            let eng = Engine::new(&tasks, &cal, as_of).unwrap();
            let draws = tasks
                .iter()
                .zip(&est)
                .enumerate()
                .filter_map(|(i, (t, e))| match e {
                    Some(e) if t.done.is_none() => {
                        Some((eng.net.pos[i] as usize, Triangular::new(i, *e).unwrap()))
                    }
                    _ => None,
                })
                .collect();
            let sim = Sim {
                eng: &eng,
                draws,
                runs,
                seed,
                groups: eng.groups,
                group_targets: Vec::new(),
                series: n + eng.groups + 1,
            };
            let want = brute_percentiles(&sim, runs);
            let big = forecast_with_budget(&input, &cal, as_of, BIN_BUDGET).unwrap();
            // Budgets so small that each range gets 2 bins: many refinement passes.
            for budget in [BIN_BUDGET, 1, 50, 1000] {
                let f = forecast_with_budget(&input, &cal, as_of, budget).unwrap();
                assert_eq!(f, big, "budget {budget}");
                for (i, t) in f.tasks.iter().enumerate() {
                    let got = [t.p50, t.p80, t.p95].map(|x| cal.index_of(x));
                    assert_eq!(
                        got, want[eng.net.pos[i] as usize],
                        "task {i}, budget {budget}"
                    );
                }
                let fin = f.finish.unwrap();
                assert_eq!(
                    [fin.p50, fin.p80, fin.p95].map(|x| cal.index_of(x)),
                    want[n + eng.groups]
                );
            }
        }
    }

    #[test]
    fn triangular_draws_stay_in_range() {
        let t = Triangular::new(
            0,
            Estimate {
                optimistic: 1.5,
                likely: 2.0,
                pessimistic: 7.25,
            },
        )
        .unwrap();
        for k in 0..=1000 {
            let u = f64::from(k) / 1000.0 * 0.999_999_9;
            assert!((2..=8).contains(&t.draw(u)));
        }
        assert_eq!((t.min(), t.max()), (2, 8));
        let deg = Triangular::new(
            0,
            Estimate {
                optimistic: 3.0,
                likely: 3.0,
                pessimistic: 3.0,
            },
        )
        .unwrap();
        assert_eq!(deg.draw(0.0), 3);
        assert_eq!(deg.draw(0.99), 3);
        assert_eq!(ceil_days(0.0), 0);
        assert_eq!(ceil_days(2.0), 2);
        assert_eq!(ceil_days(2.000_001), 3);
        assert_eq!(ceil_days(f64::from(u32::MAX)), u32::MAX);
    }

    #[test]
    fn ranks_are_nearest_rank() {
        assert_eq!(ranks(1), [1, 1, 1]);
        assert_eq!(ranks(100), [50, 80, 95]);
        assert_eq!(ranks(101), [51, 81, 96]);
        assert_eq!(ranks(u32::MAX)[2], 4_080_218_931);
    }
}
