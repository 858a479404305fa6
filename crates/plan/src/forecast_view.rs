//! The forecast of a portfolio or one program, as plain rows ready to render.
//!
//! The sibling of [`view`](crate::view): [`forecast`](crate::forecast()) speaks in task
//! indices, every renderer (the `forecast` table and JSON of the CLI, the reports) wants one
//! row per milestone and per program. [`PortfolioPlan::forecast`] runs the simulation from a
//! loaded portfolio's three-point estimates and [`ForecastView::new`] shapes the result, so
//! that the command and the reports read the same numbers.

use chrono::NaiveDate;
use milepost_load::Portfolio;

use crate::error::ScheduleError;
use crate::forecast::{Estimate, Forecast, ForecastInput, Percentiles};
use crate::portfolio::PortfolioPlan;

/// The name of the sampling distribution, as reported.
pub const DISTRIBUTION: &str = "triangular";

/// The runs of the standard forecast: the one `milepost check` (rule `forecast-late`) and the
/// reports read, so that a finding and a summary quote the same P80 and probability.
/// (`milepost forecast` defaults to more runs; `--runs 2000` reproduces these numbers.)
pub const STANDARD_RUNS: u32 = 2_000;

/// The seed of the standard forecast.
pub const STANDARD_SEED: u64 = 1;

/// A probability as people read it: `37%`, with `<1%` and `>99%` rather than a misleading
/// `0%` or `100%` when some runs differ.
pub fn percent(p: f64) -> String {
    let pct = p * 100.0;
    if pct > 0.0 && pct < 1.0 {
        "<1%".to_owned()
    } else if pct < 100.0 && pct > 99.0 {
        ">99%".to_owned()
    } else {
        format!("{pct:.0}%")
    }
}

impl PortfolioPlan {
    /// Whether the forecast can differ from the plan: some open milestone has an estimate.
    pub fn has_estimates(&self, portfolio: &Portfolio) -> bool {
        self.keys.iter().zip(&self.tasks).any(|(k, t)| {
            t.done.is_none()
                && portfolio.programs[k.program].milestones[k.milestone]
                    .estimate
                    .is_some()
        })
    }
}

impl PortfolioPlan {
    /// Each task's three-point estimate in work days (`None`: the duration is fixed).
    pub fn estimates(&self, portfolio: &Portfolio) -> Vec<Option<Estimate>> {
        self.keys
            .iter()
            .map(|k| {
                portfolio.programs[k.program].milestones[k.milestone]
                    .estimate
                    .map(|e| Estimate {
                        optimistic: f64::from(e.optimistic.days()),
                        likely: f64::from(e.likely.days()),
                        pessimistic: f64::from(e.pessimistic.days()),
                    })
            })
            .collect()
    }

    /// Each program's committed finish (its charter `target`), by program index: the group
    /// targets of the forecast.
    pub fn group_targets(portfolio: &Portfolio) -> Vec<Option<NaiveDate>> {
        portfolio
            .programs
            .iter()
            .map(|p| p.charter.target)
            .collect()
    }

    /// Runs the seeded Monte Carlo forecast of this plan over `portfolio`'s estimates.
    ///
    /// # Errors
    /// Those of [`forecast`](crate::forecast()): a cycle, an invalid estimate, no runs.
    pub fn forecast(
        &self,
        portfolio: &Portfolio,
        runs: u32,
        seed: u64,
    ) -> Result<Forecast, ScheduleError> {
        self.forecast_memo(portfolio, runs, seed, None)
    }

    /// [`PortfolioPlan::forecast`] through `memo`: the remembered result when the last
    /// forecast made through it had the same inputs (the rules' standard forecast and the
    /// reports' are then simulated once).
    ///
    /// # Errors
    /// As [`PortfolioPlan::forecast`].
    pub fn forecast_memo(
        &self,
        portfolio: &Portfolio,
        runs: u32,
        seed: u64,
        memo: Option<&crate::ForecastMemo>,
    ) -> Result<Forecast, ScheduleError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let estimates = self.estimates(portfolio);
        let group_targets = Self::group_targets(portfolio);
        let input = ForecastInput {
            tasks: &self.tasks,
            estimates: &estimates,
            group_targets: &group_targets,
            runs,
            seed,
        };
        match memo {
            Some(memo) => memo.forecast(&input, &self.calendar, self.as_of),
            None => crate::forecast::forecast(&input, &self.calendar, self.as_of),
        }
    }
}

/// One milestone's forecast.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ForecastRow {
    /// `program/id`.
    pub id: String,
    /// Title.
    pub title: String,
    /// `milestone` or `launch`.
    pub kind: milepost_model::MilestoneKind,
    /// Committed date.
    pub target: Option<NaiveDate>,
    /// The deterministic plan's earliest finish.
    pub planned_finish: NaiveDate,
    /// Median finish.
    pub p50: NaiveDate,
    /// 80th percentile finish.
    pub p80: NaiveDate,
    /// 95th percentile finish.
    pub p95: NaiveDate,
    /// Share of runs meeting the target.
    pub on_time_probability: Option<f64>,
    /// Share of runs on the critical path.
    pub criticality: f64,
}

/// One program's forecast.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgramForecastRow {
    /// Program id.
    pub id: String,
    /// The charter's target.
    pub target: Option<NaiveDate>,
    /// The deterministic plan's finish.
    pub planned_finish: Option<NaiveDate>,
    /// Percentiles of the program's finish.
    pub p50: Option<NaiveDate>,
    /// 80th percentile.
    pub p80: Option<NaiveDate>,
    /// 95th percentile.
    pub p95: Option<NaiveDate>,
    /// Share of runs in which the whole program finished by its charter target.
    pub on_time_probability: Option<f64>,
}

/// The forecast in scope (the portfolio, or one program).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ForecastView {
    /// As-of date.
    pub as_of: NaiveDate,
    /// Runs simulated.
    pub runs: u32,
    /// Seed used.
    pub seed: u64,
    /// The sampling distribution.
    pub distribution: &'static str,
    /// Per milestone, sorted by P50 then id.
    pub milestones: Vec<ForecastRow>,
    /// Per program in scope.
    pub programs: Vec<ProgramForecastRow>,
    /// Percentiles of the finish in scope.
    pub finish: Option<Percentiles>,
}

impl ForecastView {
    /// A forecast with no rows: what is shown when nothing can be simulated (a cycle).
    pub fn empty(as_of: NaiveDate, runs: u32, seed: u64) -> Self {
        ForecastView {
            as_of,
            runs,
            seed,
            distribution: DISTRIBUTION,
            milestones: Vec::new(),
            programs: Vec::new(),
            finish: None,
        }
    }

    /// Shapes `result` (the forecast of `plan`) for one program (`Some(index)`) or the
    /// whole portfolio. Without a schedule (a cycle) there are no milestone rows.
    pub fn new(
        portfolio: &Portfolio,
        plan: &PortfolioPlan,
        result: &Forecast,
        program: Option<usize>,
    ) -> Self {
        let in_scope = |p: usize| program.is_none_or(|s| s == p);
        let mut milestones: Vec<ForecastRow> = match &plan.schedule {
            None => Vec::new(),
            Some(schedule) => (0..plan.keys.len().min(result.tasks.len()))
                .filter(|t| in_scope(plan.keys[*t].program))
                .map(|t| {
                    let key = plan.keys[t];
                    let p = &portfolio.programs[key.program];
                    let m = &p.milestones[key.milestone];
                    let f = &result.tasks[t];
                    ForecastRow {
                        id: p.qualify(&m.id),
                        title: m.title.clone(),
                        kind: m.kind,
                        target: m.target,
                        planned_finish: schedule.tasks[t].earliest_finish,
                        p50: f.p50,
                        p80: f.p80,
                        p95: f.p95,
                        on_time_probability: f.on_time_probability,
                        criticality: f.criticality,
                    }
                })
                .collect(),
        };
        milestones.sort_by(|a, b| a.p50.cmp(&b.p50).then_with(|| a.id.cmp(&b.id)));
        let programs = portfolio
            .programs
            .iter()
            .enumerate()
            .filter(|(i, _)| in_scope(*i))
            .map(|(i, p)| {
                let group = result.groups.get(i);
                let f = group.and_then(|g| g.finish);
                ProgramForecastRow {
                    id: p.id.clone(),
                    target: p.charter.target,
                    planned_finish: plan
                        .schedule
                        .as_ref()
                        .and_then(|s| s.group_finish.get(i).copied().flatten()),
                    p50: f.map(|f| f.p50),
                    p80: f.map(|f| f.p80),
                    p95: f.map(|f| f.p95),
                    on_time_probability: group.and_then(|g| g.on_time_probability),
                }
            })
            .collect();
        let finish = match program {
            None => result.finish,
            Some(p) => result.groups.get(p).and_then(|g| g.finish),
        };
        ForecastView {
            as_of: plan.as_of,
            runs: result.runs,
            seed: result.seed,
            distribution: DISTRIBUTION,
            milestones,
            programs,
            finish,
        }
    }
}
