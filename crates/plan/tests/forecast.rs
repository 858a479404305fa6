//! Monte Carlo forecasts: reproducibility, thread independence, distribution and ordering.
// Shares of runs such as 0/n and n/n are exact in floating point.
#![expect(
    clippy::float_cmp,
    reason = "probabilities from equal seeds are compared exactly on purpose"
)]

mod common;

use common::{d, task};
use milepost_plan::{
    Calendar, Estimate, Forecast, ForecastInput, ScheduleError, Task, forecast, schedule,
};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// `Some` three-point estimate (the shape the input slice wants).
#[expect(
    clippy::unnecessary_wraps,
    reason = "the same signature as the forecast it stands in for"
)]
fn est(o: f64, l: f64, p: f64) -> Option<Estimate> {
    Some(Estimate {
        optimistic: o,
        likely: l,
        pessimistic: p,
    })
}

/// A random layered DAG with right-skewed estimates (likely = duration).
fn skewed_plan(n: usize, seed: u64) -> (Vec<Task>, Vec<Option<Estimate>>) {
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut tasks = Vec::new();
    let mut ests = Vec::new();
    for i in 0..n {
        let deps = (0..3)
            .filter(|_| i > 0)
            .map(|_| rng.random_range(i.saturating_sub(20)..i))
            .collect();
        let likely = rng.random_range(1..10);
        tasks.push(Task {
            duration: likely,
            deps,
            group: i % 4,
            target: rng.random_bool(0.2).then(|| d("2024-03-01")),
            ..Task::default()
        });
        ests.push(est(
            f64::from(likely) * 0.8,
            f64::from(likely),
            f64::from(likely) * 2.5,
        ));
    }
    (tasks, ests)
}

fn run(tasks: &[Task], ests: &[Option<Estimate>], runs: u32, seed: u64) -> Forecast {
    let input = ForecastInput {
        tasks,
        estimates: ests,
        group_targets: &[],
        runs,
        seed,
    };
    forecast(&input, &Calendar::default_week(), d("2024-01-01")).unwrap()
}

#[test]
fn same_seed_same_answer_other_seed_other_answer() {
    let (tasks, ests) = skewed_plan(200, 1);
    let a = run(&tasks, &ests, 1000, 42);
    let b = run(&tasks, &ests, 1000, 42);
    assert_eq!(a, b);
    let c = run(&tasks, &ests, 1000, 43);
    assert_ne!(a, c);
}

#[test]
fn thread_count_does_not_change_the_result() {
    let (tasks, ests) = skewed_plan(150, 2);
    let with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| run(&tasks, &ests, 2_000, 9))
    };
    let one = with(1);
    assert_eq!(one, with(2));
    assert_eq!(one, with(3));
}

#[test]
fn right_skewed_estimates_never_forecast_earlier_than_the_plan() {
    for seed in 0..5 {
        let (tasks, ests) = skewed_plan(300, seed);
        let plan = schedule(&tasks, &Calendar::default_week(), d("2024-01-01")).unwrap();
        let f = run(&tasks, &ests, 1_000, seed);
        let fin = f.finish.unwrap();
        assert!(fin.p50 >= plan.finish.unwrap(), "seed {seed}");
        assert!(fin.p50 <= fin.p80 && fin.p80 <= fin.p95);
        for (t, p) in f.tasks.iter().zip(&plan.tasks) {
            assert!(t.p50 >= p.earliest_finish);
            assert!(t.p50 <= t.p80 && t.p80 <= t.p95);
            assert!((0.0..=1.0).contains(&t.criticality));
            if let Some(q) = t.on_time_probability {
                assert!((0.0..=1.0).contains(&q));
            }
        }
        for (g, gf) in f.groups.iter().enumerate() {
            let p = gf.finish.unwrap();
            assert!(p.p50 >= plan.group_finish[g].unwrap());
            assert!(p.p50 <= p.p80 && p.p80 <= p.p95);
        }
    }
}

#[test]
fn without_estimates_the_forecast_is_the_plan() {
    let mut tasks = vec![task(3, &[]), task(2, &[0]), task(4, &[]), task(0, &[1, 2])];
    tasks[1].target = Some(d("2024-01-04"));
    tasks[3].target = Some(d("2024-01-05"));
    let plan = schedule(&tasks, &Calendar::default_week(), d("2024-01-01")).unwrap();
    let f = run(&tasks, &[None; 4], 100, 1);
    for (i, (t, p)) in f.tasks.iter().zip(&plan.tasks).enumerate() {
        assert_eq!(
            (t.p50, t.p80, t.p95),
            (p.earliest_finish, p.earliest_finish, p.earliest_finish)
        );
        let on_path = plan.critical_path.contains(&i);
        assert_eq!(t.criticality, if on_path { 1.0 } else { 0.0 });
        assert_eq!(
            t.on_time_probability,
            p.slip_days.map(|s| if s <= 0 { 1.0 } else { 0.0 })
        );
    }
    assert_eq!(f.finish.unwrap().p95, plan.finish.unwrap());
}

#[test]
fn triangular_percentiles_rounded_up() {
    // One task, triangular(2, 4, 10): P(x <= 5) = 0.479, P(x <= 6) = 0.667, P(x <= 7) = 0.8125,
    // P(x <= 8) = 0.917, P(x <= 9) = 0.979. Rounded up to whole days: P50 = 6, P80 = 7, P95 = 9.
    let f = run(&[task(4, &[])], &[est(2.0, 4.0, 10.0)], 20_000, 3);
    let t = &f.tasks[0];
    assert_eq!(t.p50, d("2024-01-08")); // 6th work day from Monday 1 January
    assert_eq!(t.p80, d("2024-01-09"));
    assert_eq!(t.p95, d("2024-01-11"));
    assert_eq!(t.criticality, 1.0);
}

#[test]
fn criticality_and_on_time_probability() {
    // A: fixed 5 days. B: triangular(1, 4, 9), ceil > 5 with P(x > 5) = 16/40 = 0.4.
    // Both finish last on a tie, so both are critical then: B when it takes 5 days or more,
    // P(x > 4) = 1 - 9/24 = 0.625; A when B takes 5 days or fewer, P(x <= 5) = 0.6.
    let mut b = task(4, &[]);
    b.target = Some(d("2024-01-05")); // met when B takes <= 5 days: 0.6
    let f = run(&[task(5, &[]), b], &[None, est(1.0, 4.0, 9.0)], 20_000, 11);
    assert!(
        (f.tasks[1].criticality - 0.625).abs() < 0.02,
        "{}",
        f.tasks[1].criticality
    );
    assert!((f.tasks[0].criticality - 0.6).abs() < 0.02);
    let p = f.tasks[1].on_time_probability.unwrap();
    assert!((p - 0.6).abs() < 0.02, "{p}");
    assert_eq!(f.tasks[0].on_time_probability, None);
}

#[test]
fn done_tasks_are_fixed() {
    let mut a = task(5, &[]);
    a.done = Some(d("2024-01-03"));
    let f = run(&[a, task(1, &[0])], &[est(1.0, 50.0, 100.0), None], 200, 5);
    assert_eq!(f.tasks[0].p95, d("2024-01-03"));
    assert_eq!(f.tasks[1].p50, d("2024-01-04"));
}

#[test]
fn input_errors() {
    let cal = Calendar::default_week();
    let as_of = d("2024-01-01");
    let tasks = [task(1, &[])];
    let e = |estimates: &[Option<Estimate>], runs| {
        forecast(
            &ForecastInput {
                tasks: &tasks,
                estimates,
                group_targets: &[],
                runs,
                seed: 0,
            },
            &cal,
            as_of,
        )
        .unwrap_err()
    };
    assert_eq!(
        e(&[], 10),
        ScheduleError::EstimateCount {
            tasks: 1,
            estimates: 0
        }
    );
    assert_eq!(e(&[None], 0), ScheduleError::NoRuns);
    for bad in [
        est(f64::NAN, 1.0, 2.0),
        est(2.0, 1.0, 3.0),
        est(1.0, 3.0, 2.0),
        est(-1.0, 1.0, 2.0),
        est(1.0, 2.0, f64::INFINITY),
        est(1.0, 2.0, 1e300),
    ] {
        assert_eq!(e(&[bad], 10), ScheduleError::InvalidEstimate { task: 0 });
    }
    // Cycles are reported as for the schedule.
    let cyc = [task(1, &[0])];
    let r = forecast(
        &ForecastInput {
            tasks: &cyc,
            estimates: &[None],
            group_targets: &[],
            runs: 1,
            seed: 0,
        },
        &cal,
        as_of,
    );
    assert_eq!(r.unwrap_err(), ScheduleError::Cycle(vec![vec![0]]));
    // Huge estimates: out of range, not a panic.
    let chain = common::chain(100, 1);
    let ests = vec![est(1.0, 2.0, 4.0e9); 100];
    let r = forecast(
        &ForecastInput {
            tasks: &chain,
            estimates: &ests,
            group_targets: &[],
            runs: 10,
            seed: 0,
        },
        &cal,
        as_of,
    );
    assert!(matches!(r, Err(ScheduleError::OutOfRange { .. })));
    // Empty input.
    let f = forecast(
        &ForecastInput {
            tasks: &[],
            estimates: &[],
            group_targets: &[],
            runs: 5,
            seed: 0,
        },
        &cal,
        as_of,
    )
    .unwrap();
    assert!(f.tasks.is_empty() && f.finish.is_none());
}

/// The probability mass of a triangular(o, l, p) duration rounded up to whole days, by day.
fn rounded_triangular(o: f64, l: f64, p: f64) -> Vec<(u32, f64)> {
    let cdf = |x: f64| {
        if x <= o {
            0.0
        } else if x <= l {
            (x - o).powi(2) / ((p - o) * (l - o))
        } else if x < p {
            1.0 - (p - x).powi(2) / ((p - o) * (p - l))
        } else {
            1.0
        }
    };
    (o.floor() as u32..=p.ceil() as u32)
        .map(|k| (k, cdf(f64::from(k)) - cdf(f64::from(k) - 1.0)))
        .filter(|(_, m)| *m > 0.0)
        .collect()
}

#[test]
fn parallel_branches_of_equal_length_share_criticality_whatever_the_order() {
    // Three identical branches (triangular 2, 5, 9) joined by a closing event. By brute force
    // over the rounded distribution, a branch is critical in a run when it is among the
    // longest: P(X1 >= max(X2, X3)).
    let pmf = rounded_triangular(2.0, 5.0, 9.0);
    let mut exact = 0.0;
    for &(a, pa) in &pmf {
        for &(b, pb) in &pmf {
            for &(c, pc) in &pmf {
                if a >= b && a >= c {
                    exact += pa * pb * pc;
                }
            }
        }
    }
    assert!(
        exact > 1.0 / 3.0,
        "ties make each branch critical more often than a third"
    );
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let branches = [task(5, &[]), task(5, &[]), task(5, &[])];
        let join = task(0, &order);
        let est3 = est(2.0, 5.0, 9.0);
        let f = run(
            &[
                branches[0].clone(),
                branches[1].clone(),
                branches[2].clone(),
                join,
            ],
            &[est3, est3, est3, None],
            40_000,
            7,
        );
        for (i, t) in f.tasks.iter().take(3).enumerate() {
            // Sampling error of a share over 40,000 runs: about 0.0025; allow 4 sigma.
            assert!(
                (t.criticality - exact).abs() < 0.01,
                "order {order:?}: branch {i} has criticality {} against {exact}",
                t.criticality
            );
        }
        assert_eq!(f.tasks[3].criticality, 1.0);
    }
}

/// The probability of meeting a program's charter target, against a hand computation.
///
/// Two parallel tasks of one program, each estimated 1–1–3 days (triangular with its mode at
/// the optimistic end: `F(x) = 1 − (3 − x)² / 4`), start on Monday. A run meets a Tuesday
/// target when both draws round up to at most 2 days: `F(2)² = 0.75² = 0.5625`. A second
/// program with a Monday target needs its single task's draw to be 1 day, `F(1) = 0`; a
/// third one has no target; a fourth, no tasks.
#[test]
fn charter_target_probability_matches_hand_computation() {
    let tasks = vec![
        Task {
            duration: 1,
            group: 0,
            ..Task::default()
        },
        Task {
            duration: 1,
            group: 0,
            ..Task::default()
        },
        Task {
            duration: 1,
            group: 1,
            ..Task::default()
        },
        Task {
            duration: 1,
            group: 2,
            ..Task::default()
        },
    ];
    let ests = vec![est(1.0, 1.0, 3.0); 4];
    let targets = [
        Some(d("2024-01-02")),
        Some(d("2024-01-01")),
        None,
        Some(d("2024-01-05")),
    ];
    let f = forecast(
        &ForecastInput {
            tasks: &tasks,
            estimates: &ests,
            group_targets: &targets,
            runs: 100_000,
            seed: 7,
        },
        &Calendar::default_week(),
        d("2024-01-01"),
    )
    .unwrap();
    let p0 = f.groups[0].on_time_probability.unwrap();
    // Sampling error: sd = sqrt(0.5625 · 0.4375 / 100 000) ≈ 0.0016.
    assert!((p0 - 0.5625).abs() < 0.008, "{p0}");
    assert_eq!(f.groups[1].on_time_probability, Some(0.0));
    assert_eq!(f.groups[2].on_time_probability, None);
    // Group 3 has no tasks: there is no group entry past the last used group index.
    assert_eq!(f.groups.len(), 3);
}
