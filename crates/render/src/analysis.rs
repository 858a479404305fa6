//! Everything a report reads, computed once per portfolio by the session: the plan, the
//! governance findings and a quick seeded forecast.
//!
//! A site renders every program three times plus the portfolio page; computing the plan,
//! the rules and the Monte Carlo forecast once and sharing them keeps that linear and makes
//! every page agree with every other (and with `milepost plan` / `check` / `forecast`).

use std::collections::HashMap;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Portfolio};
use milepost_plan::{Forecast, PlanView, PortfolioPlan};
use milepost_session::Session;

/// A portfolio analysed as of a date, as the reports read it: a view over a
/// [`Session`] (which planned, checked and forecast it once) plus the lookups the report
/// builders need.
#[derive(Debug)]
pub struct Analysis<'a> {
    /// The session every number comes from (the same one `milepost check` reads).
    pub session: &'a Session,
    /// The portfolio.
    pub portfolio: &'a Portfolio,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The critical-path plan of the whole portfolio.
    pub plan: &'a PortfolioPlan,
    /// Every finding `milepost check` reports (loader and rules, configured levels, facts
    /// from git history when the portfolio is in a repository).
    pub findings: &'a [Diagnostic],
    /// The Monte Carlo forecast, unless impossible (a cycle).
    pub forecast: Option<&'a Forecast>,
    /// The portfolio-wide schedule rows.
    pub(crate) all: PlanView,
    /// `program/id` → index in `all.milestones`.
    pub(crate) rows: HashMap<String, usize>,
    /// Person and team id → display name.
    pub(crate) names: HashMap<String, String>,
    /// Program id → its index.
    programs: HashMap<String, usize>,
    /// Program id → the indices in `findings` of the findings about it (a site reads them
    /// once per page; scanning every finding per page would make it quadratic).
    about: HashMap<String, Vec<usize>>,
}

impl<'a> Analysis<'a> {
    /// The analysis of a session: its plan, findings and forecast, built once there.
    pub fn new(session: &'a Session) -> Self {
        let portfolio = session.portfolio();
        let all = session.plan_view(None);
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
        let findings = session.findings();
        let programs: HashMap<String, usize> = portfolio
            .programs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut about: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in findings.iter().enumerate() {
            // A finding is about the program whose folder holds it and the program its
            // entity belongs to (`is_about`): at most two, found from its own names.
            let folder = d
                .location
                .as_ref()
                .and_then(|l| l.file.strip_prefix("programs/"))
                .and_then(|rest| rest.split_once('/'))
                .map(|(id, _)| id);
            let entity = d
                .entity
                .as_deref()
                .map(|e| e.split_once('/').map_or(e, |(id, _)| id));
            for id in [folder, entity.filter(|e| Some(*e) != folder)]
                .into_iter()
                .flatten()
            {
                if milepost_session::is_about(d, id) {
                    about.entry(id.to_owned()).or_default().push(i);
                }
            }
        }
        Self {
            session,
            portfolio,
            as_of: session.as_of(),
            plan: session.plan(),
            findings,
            forecast: session.forecast(),
            all,
            rows,
            names,
            programs,
            about,
        }
    }

    /// The display name of a person or team id (the id itself when unknown).
    pub fn name_of(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// The index of a program by id.
    pub fn program_index(&self, id: &str) -> Option<usize> {
        self.programs.get(id).copied()
    }

    /// The schedule view of one program (or the whole portfolio).
    pub fn view(&self, program: Option<usize>) -> PlanView {
        match program {
            None => self.all.clone(),
            Some(p) => self.session.plan_view(Some(p)),
        }
    }

    /// The portfolio-wide schedule row of a milestone (`program/id`).
    pub(crate) fn row(&self, qid: &str) -> Option<&milepost_plan::PlanRow> {
        self.rows.get(qid).map(|i| &self.all.milestones[*i])
    }

    /// The findings about one program: in its files, or naming it or its entities.
    pub fn findings_of<'s>(&'s self, program: &'s str) -> impl Iterator<Item = &'s Diagnostic> {
        self.about
            .get(program)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.findings[i])
    }
}
