//! The schedule against an independent computation, and its properties.
//!
//! The oracle below re-derives the `docs/semantics.md` schedule semantics in *dates*, with a day-by-day calendar
//! and a naive fixed-point iteration (no topological order, no work-day index, no positions):
//! a d-day task starting on work day S finishes at the end of the (d−1)-th work day after S;
//! work after it starts the next work day; an event is dated the day its latest dependency
//! finished (if finishing work reaches it) or the first day it may happen. Instants ("the end of
//! work day X") are compared as work days X; in calendar time the start of a day comes after the
//! end of the previous work day. It is run on thousands of random small DAGs with
//! random calendars, groups, done tasks, targets, program starts and as-of dates.

mod common;

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};
use common::d;
use milepost_plan::{Calendar, Schedule, Task, schedule};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

struct Brute {
    week: [bool; 7],
    holidays: HashSet<NaiveDate>,
}

impl Brute {
    fn wd(&self, x: NaiveDate) -> bool {
        self.week[x.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&x)
    }
    fn roll_f(&self, mut x: NaiveDate) -> NaiveDate {
        while !self.wd(x) {
            x = x + Days::new(1);
        }
        x
    }
    fn roll_b(&self, mut x: NaiveDate) -> NaiveDate {
        while !self.wd(x) {
            x = x - Days::new(1);
        }
        x
    }
    /// First work day strictly after `x`.
    fn next(&self, x: NaiveDate) -> NaiveDate {
        self.roll_f(x + Days::new(1))
    }
    /// Last work day strictly before `x`.
    fn prev(&self, x: NaiveDate) -> NaiveDate {
        self.roll_b(x - Days::new(1))
    }
    /// Steps `n` work days from work day `x`.
    fn step(&self, mut x: NaiveDate, n: i64) -> NaiveDate {
        for _ in 0..n {
            x = self.next(x);
        }
        for _ in n..0 {
            x = self.prev(x);
        }
        x
    }
    /// Signed number of work-day steps from work day `a` to work day `b`.
    fn count(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (mut x, mut n) = (a, 0);
        while x < b {
            x = self.next(x);
            n += 1;
        }
        while x > b {
            x = self.prev(x);
            n -= 1;
        }
        n
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Early {
    es: NaiveDate,
    ef: NaiveDate,
    /// Dated at the end of a day (work and events reached by finishing work).
    end: bool,
}

#[derive(Debug, PartialEq)]
struct Expected {
    es: NaiveDate,
    ef: NaiveDate,
    ls: NaiveDate,
    lf: NaiveDate,
    slack: i64,
    free: i64,
    slip: Option<i64>,
}

fn oracle(
    tasks: &[Task],
    b: &Brute,
    as_of: NaiveDate,
) -> (Vec<Expected>, Option<NaiveDate>, Vec<Option<NaiveDate>>) {
    let n = tasks.len();
    let mut early: Vec<Option<Early>> = vec![None; n];
    // Fixed point: compute a task once all its dependencies are known.
    while early.iter().any(Option::is_none) {
        for i in 0..n {
            if early[i].is_some() {
                continue;
            }
            let t = &tasks[i];
            let dur = i64::from(t.duration);
            if let Some(done) = t.done {
                let ef = b.roll_b(done);
                let es = if dur == 0 { ef } else { b.step(ef, -(dur - 1)) };
                early[i] = Some(Early { es, ef, end: true });
                continue;
            }
            if t.deps.iter().any(|&j| early[j].is_none()) {
                continue;
            }
            // The first day work may happen, from the start-of-day constraints...
            let mut bound = b.roll_f(as_of);
            if let Some(nb) = t.not_before {
                bound = bound.max(b.roll_f(nb));
            }
            let mut start_of_day = bound;
            for &j in &t.deps {
                let e = early[j].unwrap();
                if !e.end {
                    start_of_day = start_of_day.max(e.ef);
                }
            }
            // ... and from work finished at the end of a day (at 17:00, say).
            let finished = t
                .deps
                .iter()
                .map(|&j| early[j].unwrap())
                .filter(|e| e.end)
                .map(|e| e.ef)
                .max();
            let ready = finished.map_or(start_of_day, |f| start_of_day.max(b.next(f)));
            early[i] = Some(if dur > 0 {
                Early {
                    es: ready,
                    ef: b.step(ready, dur - 1),
                    end: true,
                }
            } else {
                match finished {
                    // Reached by finishing work, and no start-of-day constraint on that day or
                    // later (the start of the next work day is later than the end of this one).
                    Some(f) if start_of_day <= f => Early {
                        es: f,
                        ef: f,
                        end: true,
                    },
                    _ => Early {
                        es: ready,
                        ef: ready,
                        end: false,
                    },
                }
            });
        }
    }
    let early: Vec<Early> = early.into_iter().map(Option::unwrap).collect();
    // Instants as "the end of work day X".
    let fin = |e: &Early| if e.end { e.ef } else { b.prev(e.ef) };
    let start_instant = |i: usize| {
        let e = &early[i];
        if tasks[i].duration == 0 {
            fin(e)
        } else {
            b.prev(e.es)
        }
    };
    let groups = tasks.iter().map(|t| t.group + 1).max().unwrap_or(0);
    let mut gfin: Vec<Option<NaiveDate>> = vec![None; groups];
    let mut gdated: Vec<Option<NaiveDate>> = vec![None; groups];
    for (t, e) in tasks.iter().zip(&early) {
        gfin[t.group] = gfin[t.group].max(Some(fin(e)));
        gdated[t.group] = gdated[t.group].max(Some(e.ef));
    }
    let finish = early.iter().map(|e| e.ef).max();
    // Backward: latest finish instants, fixed point over successors.
    let succs: Vec<Vec<usize>> = (0..n)
        .map(|i| (0..n).filter(|&s| tasks[s].deps.contains(&i)).collect())
        .collect();
    let mut lf: Vec<Option<NaiveDate>> = vec![None; n];
    let ls_instant = |i: usize, lf_i: NaiveDate| {
        let dur = i64::from(tasks[i].duration);
        if dur == 0 {
            lf_i
        } else {
            b.prev(b.step(lf_i, -(dur - 1)))
        }
    };
    while lf.iter().any(Option::is_none) {
        for i in 0..n {
            if lf[i].is_some() || succs[i].iter().any(|&s| lf[s].is_none()) {
                continue;
            }
            let mut x = gfin[tasks[i].group].unwrap();
            for &s in &succs[i] {
                x = x.min(ls_instant(s, lf[s].unwrap()));
            }
            if let Some(t) = tasks[i].target {
                let t = b.roll_b(t);
                x = x.min(if early[i].end { t } else { b.prev(t) });
            }
            lf[i] = Some(x);
        }
    }
    let mut out = Vec::new();
    for i in 0..n {
        let e = early[i];
        let x = lf[i].unwrap();
        let dur = i64::from(tasks[i].duration);
        let (ls, lfd) = if dur > 0 {
            (b.step(x, -(dur - 1)), x)
        } else if e.end {
            (x, x)
        } else {
            (b.next(x), b.next(x))
        };
        let slack = b.count(e.es, ls);
        let mut free_to = gfin[tasks[i].group].unwrap();
        for &s in &succs[i] {
            free_to = free_to.min(start_instant(s));
        }
        let free = b.count(fin(&e), free_to).min(slack);
        let slip = tasks[i].target.map(|t| b.count(b.roll_b(t), e.ef));
        out.push(Expected {
            es: e.es,
            ef: e.ef,
            ls,
            lf: lfd,
            slack,
            free,
            slip,
        });
    }
    (out, finish, gdated)
}

fn random_case(
    rng: &mut Pcg64,
    with_targets: bool,
    with_done: bool,
) -> (Vec<Task>, Brute, Calendar, NaiveDate) {
    let mut week = [false; 7];
    while !week.iter().any(|&w| w) {
        for w in &mut week {
            *w = rng.random_bool(0.7);
        }
    }
    let base = d("2023-12-25");
    let hol: Vec<NaiveDate> = (0..rng.random_range(0..8))
        .map(|_| base + Days::new(rng.random_range(0..60)))
        .collect();
    let cal = Calendar::new(week, hol.clone()).unwrap();
    let brute = Brute {
        week,
        holidays: hol.into_iter().collect(),
    };
    let n = rng.random_range(1..=9);
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        perm.swap(i, rng.random_range(0..=i));
    }
    let groups = rng.random_range(1..=3);
    let starts: Vec<Option<NaiveDate>> = (0..groups)
        .map(|_| {
            rng.random_bool(0.7)
                .then(|| base + Days::new(rng.random_range(0..20)))
        })
        .collect();
    let mut tasks = vec![Task::default(); n];
    for k in 0..n {
        let i = perm[k];
        let t = &mut tasks[i];
        t.duration = if rng.random_bool(0.35) {
            0
        } else {
            rng.random_range(1..=5)
        };
        for &j in &perm[..k] {
            if rng.random_bool(0.35) {
                t.deps.push(j);
                if rng.random_bool(0.05) {
                    t.deps.push(j);
                }
            }
        }
        t.group = rng.random_range(0..groups);
        t.not_before = starts[t.group];
        if with_done && rng.random_bool(0.2) {
            t.done = Some(base + Days::new(rng.random_range(0..30)));
        }
        if with_targets && rng.random_bool(0.4) {
            t.target = Some(base + Days::new(rng.random_range(0..50)));
        }
    }
    let as_of = base + Days::new(rng.random_range(0..25));
    (tasks, brute, cal, as_of)
}

/// Properties of any schedule: the critical path is a driving chain ending at the finish.
fn check_critical_path(tasks: &[Task], s: &Schedule) {
    let p = &s.critical_path;
    assert!(!p.is_empty());
    assert_eq!(s.tasks[p[0]].driving_pred, None);
    for w in p.windows(2) {
        assert_eq!(s.tasks[w[1]].driving_pred, Some(w[0]));
        assert!(tasks[w[1]].deps.contains(&w[0]));
    }
    let last = *p.last().unwrap();
    assert_eq!(Some(s.tasks[last].earliest_finish), s.finish);
    assert_eq!(s.finish, s.tasks.iter().map(|t| t.earliest_finish).max());
    for (i, t) in s.tasks.iter().enumerate() {
        if let Some(j) = t.driving_pred {
            assert!(tasks[i].deps.contains(&j));
        }
        assert_eq!(t.critical, t.slack_days <= 0);
        assert!(t.free_slack_days <= t.slack_days);
        assert!(t.earliest_start <= t.earliest_finish);
        assert!(t.latest_start <= t.latest_finish);
    }
}

#[test]
fn matches_the_oracle_on_random_dags() {
    let mut rng = Pcg64::seed_from_u64(2024);
    for case in 0..4000 {
        let (tasks, brute, cal, as_of) = random_case(&mut rng, true, true);
        let s = schedule(&tasks, &cal, as_of).unwrap();
        let (exp, finish, gfin) = oracle(&tasks, &brute, as_of);
        for (i, (t, e)) in s.tasks.iter().zip(&exp).enumerate() {
            let got = Expected {
                es: t.earliest_start,
                ef: t.earliest_finish,
                ls: t.latest_start,
                lf: t.latest_finish,
                slack: t.slack_days,
                free: t.free_slack_days,
                slip: t.slip_days,
            };
            assert_eq!(&got, e, "case {case}, task {i}: {tasks:#?} as of {as_of}");
        }
        assert_eq!(s.finish, finish, "case {case}");
        assert_eq!(s.group_finish, gfin, "case {case}");
        check_critical_path(&tasks, &s);
    }
}

#[test]
fn without_targets_slack_is_never_negative_and_the_path_is_zero_slack() {
    let mut rng = Pcg64::seed_from_u64(7);
    for _ in 0..3000 {
        let (tasks, _, cal, as_of) = random_case(&mut rng, false, false);
        let s = schedule(&tasks, &cal, as_of).unwrap();
        assert!(
            s.tasks
                .iter()
                .all(|t| t.slack_days >= 0 && t.free_slack_days >= 0)
        );
        check_critical_path(&tasks, &s);
        for &i in &s.critical_path {
            assert_eq!(s.tasks[i].slack_days, 0);
            assert!(s.tasks[i].critical);
        }
        // Free float never exceeds total float, and a zero-free-float chain exists to the end.
        for t in &s.tasks {
            assert!(t.free_slack_days <= t.slack_days);
        }
    }
}
