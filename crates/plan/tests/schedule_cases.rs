//! Hand-worked schedules on the Monday–Friday calendar. 2024-01-01 is a Monday.

mod common;

use common::{chain, d, task};
use milepost_plan::{Calendar, Schedule, ScheduleError, Task, schedule};

fn run(tasks: &[Task], as_of: &str) -> Schedule {
    schedule(tasks, &Calendar::default_week(), d(as_of)).expect("schedulable")
}

/// (earliest start, earliest finish, latest start, latest finish, slack).
fn dates(s: &Schedule, i: usize) -> (String, String, String, String, i64) {
    let t = &s.tasks[i];
    (
        t.earliest_start.to_string(),
        t.earliest_finish.to_string(),
        t.latest_start.to_string(),
        t.latest_finish.to_string(),
        t.slack_days,
    )
}

fn row(
    es: &str,
    ef: &str,
    ls: &str,
    lf: &str,
    slack: i64,
) -> (String, String, String, String, i64) {
    (es.into(), ef.into(), ls.into(), lf.into(), slack)
}

#[test]
fn chain_with_event_after_work() {
    // A 3d → B 2d → C 0d → D 1d
    let tasks = vec![task(3, &[]), task(2, &[0]), task(0, &[1]), task(1, &[2])];
    let s = run(&tasks, "2024-01-01");
    assert_eq!(
        dates(&s, 0),
        row("2024-01-01", "2024-01-03", "2024-01-01", "2024-01-03", 0)
    );
    assert_eq!(
        dates(&s, 1),
        row("2024-01-04", "2024-01-05", "2024-01-04", "2024-01-05", 0)
    );
    // Reached by finishing work at the end of Friday: dated Friday, D starts Monday.
    assert_eq!(
        dates(&s, 2),
        row("2024-01-05", "2024-01-05", "2024-01-05", "2024-01-05", 0)
    );
    assert_eq!(
        dates(&s, 3),
        row("2024-01-08", "2024-01-08", "2024-01-08", "2024-01-08", 0)
    );
    assert_eq!(s.finish, Some(d("2024-01-08")));
    assert_eq!(s.group_finish, vec![Some(d("2024-01-08"))]);
    assert_eq!(s.critical_path, vec![0, 1, 2, 3]);
    assert!(s.tasks.iter().all(|t| t.critical));
    assert_eq!(s.tasks[3].driving_pred, Some(2));
    assert_eq!(s.tasks[0].driving_pred, None);
}

#[test]
fn one_day_task_finishes_the_day_it_starts() {
    let s = run(&[task(1, &[]), task(1, &[0])], "2024-01-05");
    assert_eq!(
        dates(&s, 0),
        row("2024-01-05", "2024-01-05", "2024-01-05", "2024-01-05", 0)
    );
    assert_eq!(
        dates(&s, 1),
        row("2024-01-08", "2024-01-08", "2024-01-08", "2024-01-08", 0)
    );
}

#[test]
fn event_at_program_start() {
    // Kick-off event K (no deps) at the program start, then A 2d, then event E after work.
    let start = Some(d("2024-01-03"));
    let mut tasks = vec![task(0, &[]), task(2, &[0]), task(0, &[1])];
    for t in &mut tasks {
        t.not_before = start;
    }
    let s = run(&tasks, "2024-01-01");
    // K happens at the start of Wednesday: dated Wednesday, and A may start that day.
    assert_eq!(
        dates(&s, 0),
        row("2024-01-03", "2024-01-03", "2024-01-03", "2024-01-03", 0)
    );
    assert_eq!(
        dates(&s, 1),
        row("2024-01-03", "2024-01-04", "2024-01-03", "2024-01-04", 0)
    );
    assert_eq!(
        dates(&s, 2),
        row("2024-01-04", "2024-01-04", "2024-01-04", "2024-01-04", 0)
    );
    assert_eq!(s.tasks[1].driving_pred, Some(0));
    assert_eq!(s.critical_path, vec![0, 1, 2]);
    // A program start on a Saturday rolls forward to Monday.
    let mut k = task(0, &[]);
    k.not_before = Some(d("2024-01-06"));
    let s = run(&[k], "2024-01-01");
    assert_eq!(s.tasks[0].earliest_start, d("2024-01-08"));
}

#[test]
fn event_chain_keeps_its_dating() {
    // K at start of Monday → K2 (0d, depends on K) is also at the start of Monday.
    // A 1d → E1 (0d) → E2 (0d): both dated at the end of A's day.
    let tasks = vec![
        task(0, &[]),
        task(0, &[0]),
        task(1, &[1]),
        task(0, &[2]),
        task(0, &[3]),
    ];
    let s = run(&tasks, "2024-01-01");
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-01"));
    assert_eq!(
        dates(&s, 2),
        row("2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", 0)
    );
    assert_eq!(s.tasks[3].earliest_finish, d("2024-01-01"));
    assert_eq!(s.tasks[4].earliest_finish, d("2024-01-01"));
    assert_eq!(s.critical_path, vec![0, 1, 2, 3, 4]);
}

#[test]
fn as_of_later_than_start() {
    let mut tasks = vec![task(2, &[]), task(0, &[]), task(1, &[0])];
    for t in &mut tasks {
        t.not_before = Some(d("2024-01-01"));
    }
    let s = run(&tasks, "2024-01-03");
    assert_eq!(
        dates(&s, 0),
        row("2024-01-03", "2024-01-04", "2024-01-03", "2024-01-04", 0)
    );
    // An event held by the as-of date happens at its start.
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-03"));
    assert_eq!(s.tasks[1].earliest_finish, d("2024-01-03"));
    assert_eq!(s.tasks[2].earliest_start, d("2024-01-05"));
    // As of a Saturday: work starts Monday.
    let s = run(&tasks, "2024-01-06");
    assert_eq!(s.tasks[0].earliest_start, d("2024-01-08"));
    assert_eq!(s.tasks[2].earliest_finish, d("2024-01-10"));
}

#[test]
fn done_tasks() {
    // A 3d done on Tuesday 2 Jan: started Friday 29 Dec (3 work days ending Tuesday).
    let mut a = task(3, &[]);
    a.done = Some(d("2024-01-02"));
    a.not_before = Some(d("2024-01-01")); // ignored for a done task
    let tasks = vec![a, task(1, &[0]), task(2, &[])];
    let s = run(&tasks, "2024-01-01");
    assert_eq!(s.tasks[0].earliest_start, d("2023-12-29"));
    assert_eq!(s.tasks[0].earliest_finish, d("2024-01-02"));
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-03"));
    assert_eq!(s.tasks[1].driving_pred, Some(0));
    assert_eq!(s.critical_path, vec![0, 1]);
    // A done task is not moved by as_of, and its successor starts at the as-of date.
    let s = run(&tasks, "2024-01-10");
    assert_eq!(s.tasks[0].earliest_finish, d("2024-01-02"));
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-10"));
    assert_eq!(s.tasks[1].driving_pred, None);
    // Done the day before as_of: the as-of date holds B (the start of Wednesday comes after
    // the end of Tuesday), so B has no driving predecessor.
    let s = run(&tasks, "2024-01-03");
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-03"));
    assert_eq!(s.tasks[1].driving_pred, None);
    // Completed on a Saturday: the end of Saturday is the end of Friday on the work-day axis.
    let mut tasks = tasks;
    tasks[0].done = Some(d("2024-01-06"));
    let s = run(&tasks, "2024-01-01");
    assert_eq!(s.tasks[0].earliest_finish, d("2024-01-05"));
    assert_eq!(s.tasks[0].earliest_start, d("2024-01-03"));
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-08"));
    // A done event is an end-of-day event.
    let mut e = task(0, &[]);
    e.done = Some(d("2024-01-02"));
    let s = run(&[e, task(1, &[0])], "2024-01-01");
    assert_eq!(s.tasks[0].earliest_finish, d("2024-01-02"));
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-03"));
}

#[test]
fn targets_met_and_missed() {
    let mut a = task(5, &[]); // Mon 1 – Fri 5
    for (target, slack, slip) in [
        ("2024-01-05", 0, 0),
        ("2024-01-04", -1, 1),
        ("2024-01-07", 0, 0),  // Sunday → rolled back to Friday
        ("2024-01-08", 0, -1), // bounded by the program finish, not by the target
        ("2024-01-01", -4, 4),
    ] {
        a.target = Some(d(target));
        let s = run(std::slice::from_ref(&a), "2024-01-01");
        let t = &s.tasks[0];
        assert_eq!(
            (t.slack_days, t.slip_days),
            (slack, Some(slip)),
            "target {target}"
        );
        assert_eq!(t.critical, slack <= 0);
    }
}

#[test]
fn negative_slack_propagates_back() {
    // A 5d (Mon 1 – Fri 5) → B 5d (Mon 8 – Fri 12), B committed for Wed 10; C 1d is free.
    let mut tasks = vec![task(5, &[]), task(5, &[0]), task(1, &[])];
    tasks[1].target = Some(d("2024-01-10"));
    let s = run(&tasks, "2024-01-01");
    assert_eq!(s.tasks[1].slip_days, Some(2));
    assert_eq!(
        dates(&s, 1),
        row("2024-01-08", "2024-01-12", "2024-01-04", "2024-01-10", -2)
    );
    assert_eq!(
        dates(&s, 0),
        row("2024-01-01", "2024-01-05", "2023-12-28", "2024-01-03", -2)
    );
    assert_eq!(
        s.tasks[0].free_slack_days, -2,
        "free float is capped by total float"
    );
    assert_eq!(s.tasks[2].slack_days, 9);
    assert_eq!(s.tasks[2].slip_days, None);
    assert_eq!(s.critical_path, vec![0, 1]);
}

#[test]
fn event_targets() {
    // Event after work (A 5d → E): dated Fri 5; meets a Friday target, misses Thursday.
    let mut tasks = vec![task(5, &[]), task(0, &[0])];
    tasks[1].target = Some(d("2024-01-05"));
    let s = run(&tasks, "2024-01-01");
    assert_eq!((s.tasks[1].slack_days, s.tasks[1].slip_days), (0, Some(0)));
    tasks[1].target = Some(d("2024-01-04"));
    let s = run(&tasks, "2024-01-01");
    assert_eq!((s.tasks[1].slack_days, s.tasks[1].slip_days), (-1, Some(1)));
    assert_eq!(s.tasks[1].latest_finish, d("2024-01-04"));
    assert_eq!(s.tasks[0].latest_finish, d("2024-01-04"));
    // Event at the start of Monday 8 (program start): meets Monday 8, misses Friday 5,
    // even though the start of Monday is the end of Friday on the work-day axis.
    let mut k = task(0, &[]);
    k.not_before = Some(d("2024-01-08"));
    k.target = Some(d("2024-01-08"));
    let s = run(std::slice::from_ref(&k), "2024-01-01");
    assert_eq!((s.tasks[0].slack_days, s.tasks[0].slip_days), (0, Some(0)));
    k.target = Some(d("2024-01-05"));
    let s = run(std::slice::from_ref(&k), "2024-01-01");
    assert_eq!((s.tasks[0].slack_days, s.tasks[0].slip_days), (-1, Some(1)));
    assert_eq!(s.tasks[0].latest_start, d("2024-01-05"));
}

#[test]
fn per_group_backward_bound() {
    // Group 0: A 10d. Group 1: B 2d. B's slack is bounded by its own program, not by A.
    let mut b = task(2, &[]);
    b.group = 1;
    let s = run(&[task(10, &[]), b.clone()], "2024-01-01");
    assert_eq!(s.tasks[1].slack_days, 0);
    assert_eq!(
        s.group_finish,
        vec![Some(d("2024-01-12")), Some(d("2024-01-02"))]
    );
    assert_eq!(s.finish, Some(d("2024-01-12")));
    // Group 2 unused: None.
    let mut c = task(1, &[]);
    c.group = 3;
    let s = run(&[task(10, &[]), b.clone(), c], "2024-01-01");
    assert_eq!(s.group_finish.len(), 4);
    assert_eq!(s.group_finish[2], None);
    // A cross-program dependency: C (group 1, 1d) depends on A (group 0, 10d).
    let mut c = task(1, &[0]);
    c.group = 1;
    let s = run(&[task(10, &[]), b, c], "2024-01-01");
    assert_eq!(s.tasks[2].earliest_start, d("2024-01-15"));
    assert_eq!(s.tasks[1].slack_days, 9);
    assert_eq!(s.tasks[0].slack_days, 0);
    assert_eq!(s.critical_path, vec![0, 2]);
}

#[test]
fn free_float() {
    // A 2d → X 1d → C; B 5d → C 1d.
    let tasks = vec![task(2, &[]), task(1, &[0]), task(5, &[]), task(1, &[1, 2])];
    let s = run(&tasks, "2024-01-01");
    assert_eq!((s.tasks[0].slack_days, s.tasks[0].free_slack_days), (2, 0));
    assert_eq!((s.tasks[1].slack_days, s.tasks[1].free_slack_days), (2, 2));
    assert_eq!((s.tasks[2].slack_days, s.tasks[2].free_slack_days), (0, 0));
    assert_eq!(s.tasks[3].driving_pred, Some(2));
    // A sink that finishes before its program: free float up to the program finish.
    let s = run(&[task(2, &[]), task(5, &[])], "2024-01-01");
    assert_eq!((s.tasks[0].slack_days, s.tasks[0].free_slack_days), (3, 3));
}

#[test]
fn holidays_inside_a_task() {
    let cal = Calendar::new(
        [true, true, true, true, true, false, false],
        [d("2024-01-03")],
    )
    .unwrap();
    let s = schedule(&[task(3, &[]), task(0, &[0])], &cal, d("2024-01-01")).unwrap();
    assert_eq!(s.tasks[0].earliest_finish, d("2024-01-04"));
    assert_eq!(s.tasks[1].earliest_finish, d("2024-01-04"));
    // A target on the holiday rolls back to Tuesday.
    let mut t = task(2, &[]);
    t.target = Some(d("2024-01-03"));
    let s = schedule(&[t], &cal, d("2024-01-01")).unwrap();
    assert_eq!(s.tasks[0].slip_days, Some(0));
}

#[test]
fn a_start_of_day_constraint_is_later_than_work_finished_the_day_before() {
    // K (event at the start of Tuesday via not_before) and A (1d on Monday) meet at the same
    // work-day position. E depends on both: K holds it back, so it is dated Tuesday.
    let mut k = task(0, &[]);
    k.not_before = Some(d("2024-01-02"));
    let tasks = vec![k, task(1, &[]), task(0, &[1, 0])];
    let s = run(&tasks, "2024-01-01");
    assert_eq!(s.tasks[0].earliest_finish, d("2024-01-02"));
    assert_eq!(s.tasks[2].earliest_finish, d("2024-01-02"));
    assert_eq!(s.tasks[2].driving_pred, Some(0));
    // The same with the as-of date: an open event is never dated before it.
    let mut done = task(1, &[]);
    done.done = Some(d("2024-01-01"));
    let s = run(&[done, task(0, &[0])], "2024-01-02");
    assert_eq!(s.tasks[1].earliest_finish, d("2024-01-02"));
    assert_eq!(s.tasks[1].driving_pred, None);
    // And with the program start: dated on the program's first day, not before it.
    let mut e = task(0, &[0]);
    e.not_before = Some(d("2024-01-08"));
    e.group = 1;
    let s = run(&[task(5, &[]), e], "2024-01-01");
    assert_eq!(s.tasks[1].earliest_finish, d("2024-01-08"));
}

#[test]
fn empty_input() {
    let s = run(&[], "2024-01-01");
    assert!(s.tasks.is_empty() && s.critical_path.is_empty());
    assert_eq!(s.finish, None);
    assert!(s.group_finish.is_empty());
}

#[test]
fn bad_inputs_are_errors() {
    let cal = Calendar::default_week();
    let e = schedule(&[task(1, &[3])], &cal, d("2024-01-01")).unwrap_err();
    assert_eq!(
        e,
        ScheduleError::UnknownDependency {
            task: 0,
            dep: 3,
            len: 1
        }
    );
    let e = schedule(&[task(1, &[usize::MAX])], &cal, d("2024-01-01")).unwrap_err();
    assert!(matches!(e, ScheduleError::UnknownDependency { .. }));
    let mut t = task(1, &[]);
    t.group = usize::MAX;
    let e = schedule(&[t], &cal, d("2024-01-01")).unwrap_err();
    assert!(matches!(e, ScheduleError::GroupOutOfRange { task: 0, .. }));
    let e = schedule(
        &[task(1, &[1]), task(1, &[0]), task(1, &[2])],
        &cal,
        d("2024-01-01"),
    )
    .unwrap_err();
    assert_eq!(e, ScheduleError::Cycle(vec![vec![0, 1], vec![2]]));
    assert_eq!(e.to_string(), "dependency cycle(s): 0 -> 1 -> 0; 2 -> 2");
    // Duplicated dependencies are harmless.
    let s = schedule(&[task(1, &[]), task(1, &[0, 0])], &cal, d("2024-01-01")).unwrap();
    assert_eq!(s.tasks[1].earliest_start, d("2024-01-02"));
    // Long chain sanity.
    let s = schedule(&chain(10, 1), &cal, d("2024-01-01")).unwrap();
    assert_eq!(s.finish, Some(d("2024-01-12")));
}
