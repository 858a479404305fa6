//! CPM and forecast speed on generated portfolios.
//!
//! * `cpm/{shallow,deep}/{1000,10000,100000}`: [`schedule`] (validation, CSR build, topological
//!   order, both passes, date conversion) on random DAGs with about 3 dependencies per task.
//!   *shallow* = 8 wide layers, each task depending on tasks of the previous layer; *deep* =
//!   each task depends on tasks among the 16 before it, giving long chains.
//! * `forecast/1000x10000`: [`forecast`] with 10,000 runs over 1,000 tasks with estimates.
//!
//! Run: `cargo bench -p milepost-plan -- --quick` (or without `--quick` for full sampling).

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use milepost_plan::{Calendar, Estimate, ForecastInput, Task, forecast, schedule};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn calendar() -> Calendar {
    let holidays = (0..40).map(|i| start() + Days::new(i * 37));
    Calendar::new([true, true, true, true, true, false, false], holidays).unwrap_or_default()
}

/// A random DAG of `n` tasks in 10 programs; `deep` picks dependencies among the 16 previous
/// tasks, otherwise among the previous of 8 layers.
fn portfolio(n: usize, deep: bool, seed: u64) -> Vec<Task> {
    let mut rng = Pcg64::seed_from_u64(seed);
    let layer = n.div_ceil(8).max(1);
    (0..n)
        .map(|i| {
            let deps = if deep {
                (0..3)
                    .filter(|_| i > 0)
                    .map(|_| rng.random_range(i.saturating_sub(16)..i))
                    .collect()
            } else {
                let l = i / layer;
                if l == 0 {
                    Vec::new()
                } else {
                    (0..3)
                        .map(|_| rng.random_range((l - 1) * layer..l * layer))
                        .collect()
                }
            };
            Task {
                duration: rng.random_range(0..15),
                deps,
                target: rng
                    .random_bool(0.1)
                    .then(|| start() + Days::new(rng.random_range(30..3000))),
                done: None,
                not_before: Some(start() + Days::new((i % 10) as u64 * 7)),
                group: i % 10,
            }
        })
        .collect()
}

fn bench_cpm(c: &mut Criterion) {
    let cal = calendar();
    let mut group = c.benchmark_group("cpm");
    for &n in &[1_000usize, 10_000, 100_000] {
        if n >= 100_000 {
            group.sample_size(20);
        }
        for (name, deep) in [("shallow", false), ("deep", true)] {
            let tasks = portfolio(n, deep, n as u64);
            group.bench_with_input(BenchmarkId::new(name, n), &tasks, |b, tasks| {
                b.iter(|| schedule(black_box(tasks), &cal, start()).map(|s| s.finish));
            });
        }
    }
    group.finish();
}

fn bench_forecast(c: &mut Criterion) {
    let cal = calendar();
    let tasks = portfolio(1_000, true, 7);
    let estimates: Vec<Option<Estimate>> = tasks
        .iter()
        .map(|t| {
            let l = f64::from(t.duration);
            Some(Estimate {
                optimistic: l * 0.8,
                likely: l,
                pessimistic: l * 2.0 + 1.0,
            })
        })
        .collect();
    let mut group = c.benchmark_group("forecast");
    group.sample_size(10);
    group.bench_function("1000x10000", |b| {
        b.iter(|| {
            let input = ForecastInput {
                tasks: &tasks,
                estimates: &estimates,
                group_targets: &[],
                runs: 10_000,
                seed: 1,
            };
            forecast(black_box(&input), &cal, start()).map(|f| f.finish)
        });
    });
    group.finish();
}

criterion_group!(benches, bench_cpm, bench_forecast);
criterion_main!(benches);
