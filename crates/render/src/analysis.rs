//! Everything a report reads, computed once per portfolio: the plan, the governance
//! findings and a quick seeded forecast.
//!
//! A site renders every program three times plus the portfolio page; computing the plan,
//! the rules and the Monte Carlo forecast once and sharing them keeps that linear and makes
//! every page agree with every other (and with `milepost plan` / `check` / `forecast`).

use std::collections::HashMap;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Portfolio};
use milepost_plan::{Estimate, Forecast, ForecastInput, PlanView, PortfolioPlan};

/// How much forecasting a report does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisOptions {
    /// Monte Carlo runs for the P80 finish dates (0: no forecast).
    pub forecast_runs: u32,
    /// The forecast's seed: the same seed gives the same dates on any machine.
    pub seed: u64,
}

impl Default for AnalysisOptions {
    /// 2,000 runs with seed 1: P80 to within a work day or two, in milliseconds.
    fn default() -> Self {
        Self {
            forecast_runs: 2_000,
            seed: 1,
        }
    }
}

/// A portfolio analysed as of a date.
#[derive(Debug)]
pub struct Analysis<'a> {
    /// The portfolio.
    pub portfolio: &'a Portfolio,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The critical-path plan of the whole portfolio.
    pub plan: PortfolioPlan,
    /// Every finding `milepost check` reports (loader and rules, configured levels).
    pub findings: Vec<Diagnostic>,
    /// The Monte Carlo forecast, unless disabled or impossible (a cycle).
    pub forecast: Option<Forecast>,
    /// The portfolio-wide schedule rows.
    pub(crate) all: PlanView,
    /// `program/id` → index in `all.milestones`.
    pub(crate) rows: HashMap<String, usize>,
    /// Person and team id → display name.
    pub(crate) names: HashMap<String, String>,
}

impl<'a> Analysis<'a> {
    /// Plans, checks and forecasts `portfolio` as of `as_of`.
    pub fn new(portfolio: &'a Portfolio, as_of: NaiveDate, options: AnalysisOptions) -> Self {
        let plan = PortfolioPlan::build(portfolio, as_of);
        let findings = milepost_rules::check(portfolio, as_of, Some(&plan));
        let forecast = (options.forecast_runs > 0 && plan.schedule.is_some())
            .then(|| {
                let estimates: Vec<Option<Estimate>> = plan
                    .keys
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
                    .collect();
                milepost_plan::forecast(
                    &ForecastInput {
                        tasks: &plan.tasks,
                        estimates: &estimates,
                        runs: options.forecast_runs,
                        seed: options.seed,
                    },
                    &plan.calendar,
                    as_of,
                )
                .ok()
            })
            .flatten();
        let all = milepost_plan::view::view(portfolio, &plan, None);
        let rows = all
            .milestones
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let mut names: HashMap<String, String> = HashMap::new();
        for t in &portfolio.teams {
            names.insert(t.id.to_string(), t.name.clone());
        }
        for p in &portfolio.people {
            names.insert(p.id.to_string(), p.name.clone());
        }
        Self {
            portfolio,
            as_of,
            plan,
            findings,
            forecast,
            all,
            rows,
            names,
        }
    }

    /// The display name of a person or team id (the id itself when unknown).
    pub fn name_of(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// The index of a program by id.
    pub fn program_index(&self, id: &str) -> Option<usize> {
        self.portfolio.programs.iter().position(|p| p.id == id)
    }

    /// The schedule view of one program (or the whole portfolio).
    pub fn view(&self, program: Option<usize>) -> PlanView {
        match program {
            None => self.all.clone(),
            Some(p) => milepost_plan::view::view(self.portfolio, &self.plan, Some(p)),
        }
    }

    /// The portfolio-wide schedule row of a milestone (`program/id`).
    pub(crate) fn row(&self, qid: &str) -> Option<&milepost_plan::PlanRow> {
        self.rows.get(qid).map(|i| &self.all.milestones[*i])
    }

    /// The findings about one program: in its files, or naming it or its entities.
    pub fn findings_of(&self, program: &str) -> impl Iterator<Item = &Diagnostic> {
        let folder = format!("programs/{program}/");
        let prefix = format!("{program}/");
        self.findings.iter().filter(move |d| {
            d.location
                .as_ref()
                .is_some_and(|l| l.file.starts_with(&folder))
                || d.entity
                    .as_deref()
                    .is_some_and(|e| e == program || e.starts_with(&prefix))
        })
    }
}
