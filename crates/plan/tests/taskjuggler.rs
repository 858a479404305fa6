//! Cross-check against `TaskJuggler` (`tj3`), when it is installed.
//!
//! `docs/semantics.md` promises the answers `TaskJuggler` gives for finish-to-start links without
//! resources. This test generates random small plans (random work weeks, holidays, several
//! programs with their own start, events and chains), schedules each with `tj3` (`length Nd`,
//! `milestone`, `depends`, `leaves holiday`, `workinghours`; a program's start is a milestone
//! every task of the program depends on) and compares the earliest dates. Without `tj3` on the
//! PATH it prints a note and passes.

mod common;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::process::Command;

use chrono::{Datelike, Days, NaiveDate};
use common::d;
use milepost_plan::{Calendar, Task, schedule};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn tj3_available() -> bool {
    Command::new("tj3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Plan {
    tasks: Vec<Task>,
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "tells a developer without tj3 that the cross-check was skipped"
)]
fn earliest_dates_match_taskjuggler() {
    if !tj3_available() {
        eprintln!("note: tj3 (TaskJuggler) not found on PATH; skipping the cross-check");
        return;
    }
    let dir = std::env::temp_dir().join(format!("milepost-plan-tj3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Pcg64::seed_from_u64(3);
    let project_start = d("2024-01-01");
    let mut compared = 0;
    for file in 0..12 {
        let mut week = [false; 7];
        while !week.iter().any(|&w| w) {
            for w in &mut week {
                *w = rng.random_bool(0.7);
            }
        }
        let holidays: HashSet<NaiveDate> = (0..rng.random_range(0..6))
            .map(|_| project_start + Days::new(rng.random_range(0..60)))
            .collect();
        let is_wd = |x: NaiveDate| {
            week[x.weekday().num_days_from_monday() as usize] && !holidays.contains(&x)
        };
        let roll = |mut x: NaiveDate| {
            while !is_wd(x) {
                x = x + Days::new(1);
            }
            x
        };
        let cal = Calendar::new(week, holidays.iter().copied()).unwrap();

        let mut tjp = String::new();
        writeln!(
            tjp,
            "project p \"p\" {project_start} +1y {{\n  timezone \"UTC\""
        )
        .unwrap();
        let on: Vec<&str> = (0..7).filter(|&i| week[i]).map(|i| DAYS[i]).collect();
        let off: Vec<&str> = (0..7).filter(|&i| !week[i]).map(|i| DAYS[i]).collect();
        writeln!(tjp, "  workinghours {} 9:00-17:00", on.join(", ")).unwrap();
        if !off.is_empty() {
            writeln!(tjp, "  workinghours {} off", off.join(", ")).unwrap();
        }
        tjp.push_str("}\n");
        for h in &holidays {
            writeln!(tjp, "leaves holiday \"h\" {h}").unwrap();
        }
        let mut plans = Vec::new();
        for p in 0..6 {
            let groups = rng.random_range(1..=3);
            let starts: Vec<NaiveDate> = (0..groups)
                .map(|_| roll(project_start + Days::new(rng.random_range(0..15))))
                .collect();
            for (g, s) in starts.iter().enumerate() {
                writeln!(tjp, "task p{p}_g{g} \"s\" {{ start {s} milestone }}").unwrap();
            }
            let n = rng.random_range(1..=10);
            let mut tasks = Vec::new();
            for i in 0..n {
                let deps: Vec<usize> = (0..i).filter(|_| rng.random_bool(0.3)).collect();
                let duration = if rng.random_bool(0.35) {
                    0
                } else {
                    rng.random_range(1..=6)
                };
                let group = rng.random_range(0..groups);
                let mut tj_deps = vec![format!("p{p}_g{group}")];
                tj_deps.extend(deps.iter().map(|j| format!("p{p}_t{j}")));
                let what = if duration == 0 {
                    "milestone".to_string()
                } else {
                    format!("length {duration}d")
                };
                writeln!(
                    tjp,
                    "task p{p}_t{i} \"t\" {{ depends {} {what} }}",
                    tj_deps.join(", ")
                )
                .unwrap();
                tasks.push(Task {
                    duration,
                    deps,
                    group,
                    not_before: Some(starts[group]),
                    ..Task::default()
                });
            }
            plans.push(Plan { tasks });
        }
        tjp.push_str(
            "taskreport out \"out\" {\n  formats csv\n  columns id, start, end\n  \
             timeformat \"%Y-%m-%d %H:%M\"\n}\n",
        );
        let path = dir.join(format!("plan{file}.tjp"));
        std::fs::write(&path, &tjp).unwrap();
        let out = Command::new("tj3")
            .args(["--silent", "--no-color", "-o"])
            .arg(&dir)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tj3 failed on\n{tjp}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let csv = std::fs::read_to_string(dir.join("out.csv")).unwrap();
        let mut tj: HashMap<String, (String, String)> = HashMap::new();
        for line in csv.lines().skip(1) {
            let f: Vec<String> = line
                .split(';')
                .map(|x| x.trim_matches('"').to_string())
                .collect();
            tj.insert(f[0].clone(), (f[1].clone(), f[2].clone()));
        }
        for (p, plan) in plans.iter().enumerate() {
            let s = schedule(&plan.tasks, &cal, project_start).unwrap();
            for (i, t) in s.tasks.iter().enumerate() {
                let (start, end) = &tj[&format!("p{p}_t{i}")];
                let date = |x: &str| NaiveDate::parse_from_str(&x[..10], "%Y-%m-%d").unwrap();
                assert_eq!(
                    t.earliest_finish,
                    date(end),
                    "file {file} plan {p} task {i}:\n{tjp}"
                );
                if plan.tasks[i].duration > 0 {
                    // A start at the end of the working day means the next work day.
                    let tj_start = if start.ends_with("17:00") {
                        roll(date(start) + Days::new(1))
                    } else {
                        roll(date(start))
                    };
                    assert_eq!(
                        t.earliest_start, tj_start,
                        "file {file} plan {p} task {i}:\n{tjp}"
                    );
                }
                compared += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(compared > 200);
}
