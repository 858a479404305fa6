//! Facts several rules share, computed at most once per check: the calendar and the
//! forecast (each milestone's earliest finish and slip).
//!
//! **The forecast when the plan has a cycle.** A dependency cycle leaves the portfolio
//! without a schedule ([`PortfolioPlan::schedule`] is `None`). The milestones that are not
//! downstream of a cycle still have a well-defined earliest finish: it depends only on their
//! own predecessors, all acyclic. So the forecast schedules exactly that subset (the tasks no
//! cycle can reach) with the plan's own calendar, as-of date and tasks, and leaves the rest
//! without a forecast. Nothing is guessed: a milestone downstream of a cycle gets no slip
//! finding (the cycle is reported), every other one gets the answer the full schedule would
//! give once the cycle is removed. Linear in tasks + dependencies.

use std::cell::OnceCell;

use chrono::NaiveDate;
use milepost_load::Portfolio;
use milepost_plan::{
    Calendar, ForecastInput, GroupForecast, MilestoneKey, PortfolioPlan, Schedule, Task,
    TaskForecast, TaskSchedule, calendar_of,
};

/// Lazily computed shared facts.
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    portfolio: &'a Portfolio,
    plan: Option<&'a PortfolioPlan>,
    memo: Option<&'a milepost_plan::ForecastMemo>,
    calendar: OnceCell<Calendar>,
    forecast: OnceCell<Forecast<'a>>,
    simulation: OnceCell<Option<Simulation>>,
}

impl<'a> Facts<'a> {
    pub(crate) fn new(
        portfolio: &'a Portfolio,
        plan: Option<&'a PortfolioPlan>,
        memo: Option<&'a milepost_plan::ForecastMemo>,
    ) -> Self {
        Self {
            portfolio,
            plan,
            memo,
            calendar: OnceCell::new(),
            forecast: OnceCell::new(),
            simulation: OnceCell::new(),
        }
    }

    pub(crate) fn calendar(&self) -> &Calendar {
        self.calendar.get_or_init(|| match self.plan {
            Some(plan) => plan.calendar.clone(),
            None => calendar_of(self.portfolio),
        })
    }

    pub(crate) fn forecast(&self) -> &Forecast<'a> {
        self.forecast.get_or_init(|| Forecast::of(self.plan))
    }

    /// The standard Monte Carlo forecast ([`milepost_plan::STANDARD_RUNS`] runs, seed
    /// [`milepost_plan::STANDARD_SEED`], as the reports show it), when some open milestone
    /// has an estimate (otherwise every run is the plan itself). With a cycle, of the tasks
    /// no cycle reaches.
    pub(crate) fn simulation(&self) -> Option<&Simulation> {
        self.simulation
            .get_or_init(|| Simulation::of(self.portfolio, self.plan?, self.memo))
            .as_ref()
    }
}

/// The schedule of each planned milestone, where one exists.
#[derive(Debug, Default)]
pub(crate) enum Forecast<'a> {
    /// No plan, or no schedule for a reason other than a cycle (dates out of range).
    #[default]
    Nothing,
    /// The plan's own schedule.
    Full(&'a Schedule),
    /// By plan task index; `None` downstream of a cycle.
    OutsideCycles(Vec<Option<TaskSchedule>>),
}

impl<'a> Forecast<'a> {
    fn of(plan: Option<&'a PortfolioPlan>) -> Forecast<'a> {
        match plan {
            None => Forecast::Nothing,
            Some(plan) => match &plan.schedule {
                Some(schedule) => Forecast::Full(schedule),
                None if plan.cycles.is_empty() => Forecast::Nothing,
                None => Forecast::OutsideCycles(schedule_outside_cycles(
                    &plan.tasks,
                    &plan.cycles,
                    &plan.calendar,
                    plan.as_of,
                )),
            },
        }
    }

    /// The schedule of the plan's task `task`, if it has one.
    pub(crate) fn task(&self, task: usize) -> Option<&TaskSchedule> {
        match self {
            Forecast::Nothing => None,
            Forecast::Full(schedule) => schedule.tasks.get(task),
            Forecast::OutsideCycles(tasks) => tasks.get(task).and_then(Option::as_ref),
        }
    }

    /// The schedule of a milestone, if it is planned and has one.
    pub(crate) fn milestone(
        &self,
        plan: &PortfolioPlan,
        key: MilestoneKey,
    ) -> Option<&TaskSchedule> {
        plan.task_of(key).and_then(|t| self.task(t))
    }
}

/// The tasks that no cycle reaches, in input order, and those tasks renumbered (their
/// dependencies point into the subset). The subset is closed under predecessors, hence
/// acyclic. Linear in tasks + dependencies.
fn acyclic_subset(tasks: &[Task], cycles: &[Vec<usize>]) -> (Vec<usize>, Vec<Task>) {
    let n = tasks.len();
    // Successors in CSR form, by counting sort: linear.
    let mut offsets = vec![0usize; n + 1];
    for task in tasks {
        for &d in &task.deps {
            if d < n {
                offsets[d + 1] += 1;
            }
        }
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets[..n].to_vec();
    let mut successors = vec![0usize; offsets[n]];
    for (i, task) in tasks.iter().enumerate() {
        for &d in &task.deps {
            if d < n {
                successors[fill[d]] = i;
                fill[d] += 1;
            }
        }
    }
    // Everything a cycle reaches (a cycle's component included) is left out.
    let mut blocked = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    for &t in cycles.iter().flatten() {
        if t < n && !blocked[t] {
            blocked[t] = true;
            stack.push(t);
        }
    }
    while let Some(t) = stack.pop() {
        for &s in &successors[offsets[t]..offsets[t + 1]] {
            if !blocked[s] {
                blocked[s] = true;
                stack.push(s);
            }
        }
    }
    let mut new_index = vec![usize::MAX; n];
    let mut kept: Vec<usize> = Vec::new();
    for i in 0..n {
        if !blocked[i] {
            new_index[i] = kept.len();
            kept.push(i);
        }
    }
    let subset: Vec<Task> = kept
        .iter()
        .map(|&i| Task {
            deps: tasks[i]
                .deps
                .iter()
                .filter(|&&d| d < n)
                .map(|&d| new_index[d])
                .collect(),
            ..tasks[i].clone()
        })
        .collect();
    (kept, subset)
}

/// Schedules the tasks that no cycle reaches; the others get `None`.
fn schedule_outside_cycles(
    tasks: &[Task],
    cycles: &[Vec<usize>],
    calendar: &Calendar,
    as_of: NaiveDate,
) -> Vec<Option<TaskSchedule>> {
    let (kept, subset) = acyclic_subset(tasks, cycles);
    let mut out: Vec<Option<TaskSchedule>> = vec![None; tasks.len()];
    if let Ok(schedule) = milepost_plan::schedule(&subset, calendar, as_of) {
        for (sub, task) in schedule.tasks.into_iter().enumerate() {
            let mut task = task;
            task.driving_pred = task.driving_pred.map(|p| kept[p]);
            out[kept[sub]] = Some(task);
        }
    }
    out
}

/// The standard Monte Carlo forecast, shaped for the rules: like [`Forecast`], it covers the
/// tasks no cycle reaches when the plan has a cycle.
#[derive(Debug)]
pub(crate) struct Simulation {
    /// By plan task index; `None` downstream of a cycle.
    pub(crate) tasks: Vec<Option<TaskForecast>>,
    /// By program index; `None` for a program with a task downstream of a cycle, or none.
    pub(crate) groups: Vec<Option<GroupForecast>>,
}

impl Simulation {
    fn of(
        portfolio: &Portfolio,
        plan: &PortfolioPlan,
        memo: Option<&milepost_plan::ForecastMemo>,
    ) -> Option<Simulation> {
        if !plan.has_estimates(portfolio) {
            return None;
        }
        let estimates = plan.estimates(portfolio);
        let group_targets = PortfolioPlan::group_targets(portfolio);
        let n = plan.tasks.len();
        let (kept, subset) = if plan.schedule.is_some() {
            ((0..n).collect(), plan.tasks.clone())
        } else if !plan.cycles.is_empty() {
            acyclic_subset(&plan.tasks, &plan.cycles)
        } else {
            return None;
        };
        let sub_estimates: Vec<_> = kept.iter().map(|&i| estimates[i]).collect();
        let input = ForecastInput {
            tasks: &subset,
            estimates: &sub_estimates,
            group_targets: &group_targets,
            runs: milepost_plan::STANDARD_RUNS,
            seed: milepost_plan::STANDARD_SEED,
        };
        let result = match memo {
            Some(memo) => memo.forecast(&input, &plan.calendar, plan.as_of),
            None => milepost_plan::forecast(&input, &plan.calendar, plan.as_of),
        }
        .ok()?;
        let mut tasks: Vec<Option<TaskForecast>> = vec![None; n];
        for (sub, f) in result.tasks.into_iter().enumerate() {
            tasks[kept[sub]] = Some(f);
        }
        // A program's finish is known only when every one of its tasks was simulated.
        let mut complete = vec![true; portfolio.programs.len()];
        for (t, key) in plan.keys.iter().enumerate() {
            if tasks[t].is_none()
                && let Some(c) = complete.get_mut(key.program)
            {
                *c = false;
            }
        }
        let groups = (0..portfolio.programs.len())
            .map(|g| result.groups.get(g).filter(|_| complete[g]).cloned())
            .collect();
        Some(Simulation { tasks, groups })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(duration: u32, deps: &[usize]) -> Task {
        Task {
            duration,
            deps: deps.to_vec(),
            ..Task::default()
        }
    }

    #[test]
    fn tasks_downstream_of_a_cycle_have_no_forecast() {
        // 0 → 1 ⇄ 2 → 3, and 4 on its own after 0.
        let tasks = vec![
            task(5, &[]),
            task(5, &[0, 2]),
            task(5, &[1]),
            task(5, &[2]),
            task(5, &[0]),
        ];
        let cal = Calendar::default_week();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let out = schedule_outside_cycles(&tasks, &[vec![1, 2]], &cal, as_of);
        assert!(out[0].is_some() && out[4].is_some());
        assert!(out[1].is_none() && out[2].is_none() && out[3].is_none());
        assert_eq!(out[4].as_ref().unwrap().driving_pred, Some(0));
        let full = milepost_plan::schedule(&[task(5, &[]), task(5, &[0])], &cal, as_of).unwrap();
        assert_eq!(
            out[4].as_ref().unwrap().earliest_finish,
            full.tasks[1].earliest_finish
        );
    }
}
