//! Cycle finding against brute-force reachability, and the stack-safety of every pass.

mod common;

use common::{chain, d};
use milepost_plan::{Calendar, ScheduleError, Task, find_cycles, schedule};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// `reach[a][b]`: there is a path of one or more edges from `a` to `b` (edges a → dep).
fn closure(deps: &[Vec<usize>]) -> Vec<Vec<bool>> {
    let n = deps.len();
    let mut r = vec![vec![false; n]; n];
    for (a, ds) in deps.iter().enumerate() {
        for &b in ds {
            r[a][b] = true;
        }
    }
    for k in 0..n {
        for a in 0..n {
            for b in 0..n {
                if r[a][k] && r[k][b] {
                    r[a][b] = true;
                }
            }
        }
    }
    r
}

/// Shortest number of edges from `a` to `b` (0 when equal), by Floyd–Warshall.
fn distances(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = deps.len();
    let inf = usize::MAX / 4;
    let mut dist = vec![vec![inf; n]; n];
    for (a, ds) in deps.iter().enumerate() {
        dist[a][a] = 0;
        for &b in ds {
            if a != b {
                dist[a][b] = 1;
            }
        }
    }
    for k in 0..n {
        for a in 0..n {
            for b in 0..n {
                dist[a][b] = dist[a][b].min(dist[a][k] + dist[k][b]);
            }
        }
    }
    dist
}

#[test]
fn cycles_match_brute_force_reachability() {
    let mut rng = Pcg64::seed_from_u64(5);
    let mut seen_cyclic = 0;
    for _ in 0..3000 {
        let n = rng.random_range(1..=8);
        let p = rng.random_range(0.05..0.35);
        let deps: Vec<Vec<usize>> = (0..n)
            .map(|_| (0..n).filter(|_| rng.random_bool(p)).collect())
            .collect();
        let cycles = find_cycles(n, |i| deps[i].as_slice());
        let reach = closure(&deps);
        let dist = distances(&deps);
        let cyclic: Vec<usize> = (0..n).filter(|&v| reach[v][v]).collect();
        // Components that hold a cycle, by mutual reachability; their smallest members.
        let mut leaders: Vec<usize> = cyclic
            .iter()
            .map(|&v| {
                cyclic
                    .iter()
                    .copied()
                    .find(|&u| reach[u][v] && reach[v][u])
                    .unwrap()
            })
            .collect();
        leaders.dedup();
        leaders.sort_unstable();
        leaders.dedup();
        let firsts: Vec<usize> = cycles.iter().map(|c| c[0]).collect();
        assert_eq!(firsts, leaders, "{deps:?} → {cycles:?}");
        for c in &cycles {
            let mut sorted = c.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), c.len(), "distinct tasks");
            for k in 0..c.len() {
                let (a, b) = (c[k], c[(k + 1) % c.len()]);
                assert!(
                    deps[a].contains(&b),
                    "{a} must depend on {b}: {deps:?} {c:?}"
                );
                assert!(reach[a][c[0]] && reach[c[0]][a], "one component");
            }
            // Shortest through its first task: min over u → first of dist(first, u) + 1.
            let s = c[0];
            let shortest = (0..n)
                .filter(|&u| deps[u].contains(&s))
                .map(|u| dist[s][u] + 1)
                .min();
            assert_eq!(Some(c.len()), shortest);
        }
        // schedule agrees.
        let tasks: Vec<Task> = deps
            .iter()
            .map(|ds| Task {
                duration: 1,
                deps: ds.clone(),
                ..Task::default()
            })
            .collect();
        let r = schedule(&tasks, &Calendar::default_week(), d("2024-01-01"));
        if cycles.is_empty() {
            assert!(r.is_ok());
        } else {
            seen_cyclic += 1;
            assert_eq!(r.unwrap_err(), ScheduleError::Cycle(cycles));
        }
    }
    assert!(seen_cyclic > 500, "the generator must produce cycles");
}

#[test]
fn find_cycles_is_deterministic_and_ignores_bad_indices() {
    let deps = [vec![1, 99], vec![2], vec![0, 1], vec![3]];
    let a = find_cycles(4, |i| deps[i].as_slice());
    assert_eq!(a, vec![vec![0, 1, 2], vec![3]]);
    assert_eq!(a, find_cycles(4, |i| deps[i].as_slice()));
    assert!(find_cycles(0, |_| &[]).is_empty());
}

/// Runs `f` on a thread with a 256 KiB stack: any recursion over 100k tasks would overflow.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no stack overflow")
}

#[test]
fn hundred_thousand_chain_on_a_small_stack() {
    const N: usize = 100_000;
    on_small_stack(|| {
        let tasks = chain(N, 1);
        let s = schedule(&tasks, &Calendar::default_week(), d("2024-01-01")).unwrap();
        assert_eq!(s.critical_path.len(), N);
        assert_eq!(s.critical_path[N - 1], N - 1);
        // 100,000 work days after Monday 2024-01-01 (20,000 weeks), minus one day.
        assert_eq!(
            s.finish,
            Some(d("2024-01-01") + chrono::Days::new(20_000 * 7 - 3))
        );
        assert!(s.tasks.iter().all(|t| t.slack_days == 0));
        // The reversed chain (each task depends on the next) is the same problem.
        let rev: Vec<Task> = (0..N)
            .map(|i| Task {
                duration: 1,
                deps: if i + 1 < N { vec![i + 1] } else { vec![] },
                ..Task::default()
            })
            .collect();
        let s = schedule(&rev, &Calendar::default_week(), d("2024-01-01")).unwrap();
        assert_eq!(s.critical_path[0], N - 1);
        // One ring of 100k: one cycle with every task.
        let mut ring = tasks;
        ring[0].deps.push(N - 1);
        let cycles = find_cycles(N, |i| ring[i].deps.as_slice());
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), N);
        assert_eq!(cycles[0][..3], [0, N - 1, N - 2]);
        assert!(matches!(
            schedule(&ring, &Calendar::default_week(), d("2024-01-01")),
            Err(ScheduleError::Cycle(c)) if c.len() == 1
        ));
    });
}

#[test]
fn out_of_range_dates_are_errors_not_panics() {
    on_small_stack(|| {
        let cal = Calendar::default_week();
        // 100k milestones of 2,500 days: 250M work days, past chrono's ±262k years.
        let tasks = chain(100_000, 2_500);
        assert!(matches!(
            schedule(&tasks, &cal, d("2024-01-01")),
            Err(ScheduleError::OutOfRange { .. })
        ));
        // u32::MAX durations on a chain: positions far beyond any date, no overflow.
        let tasks = chain(1_000, u32::MAX);
        assert!(matches!(
            schedule(&tasks, &cal, d("2024-01-01")),
            Err(ScheduleError::OutOfRange { .. })
        ));
    });
    let cal = Calendar::default_week();
    let base = Task {
        duration: 3,
        ..Task::default()
    };
    let extremes = [chrono::NaiveDate::MIN, chrono::NaiveDate::MAX];
    for &x in &extremes {
        for &y in &extremes {
            let variants = [
                Task {
                    not_before: Some(x),
                    ..base.clone()
                },
                Task {
                    target: Some(x),
                    ..base.clone()
                },
                Task {
                    done: Some(x),
                    ..base.clone()
                },
                Task {
                    done: Some(x),
                    duration: u32::MAX,
                    ..base.clone()
                },
                Task {
                    target: Some(x),
                    not_before: Some(y),
                    duration: 0,
                    ..base.clone()
                },
            ];
            for t in variants {
                for as_of in extremes {
                    // Ok or OutOfRange, never a panic.
                    match schedule(
                        &[
                            t.clone(),
                            Task {
                                deps: vec![0],
                                ..base.clone()
                            },
                        ],
                        &cal,
                        as_of,
                    ) {
                        Ok(_) | Err(ScheduleError::OutOfRange { .. }) => {}
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
            }
        }
    }
    // Far but representable: fine.
    let s = schedule(&chain(10, 2_500), &cal, d("2024-01-01")).unwrap();
    assert_eq!(s.tasks[9].slack_days, 0);
}
