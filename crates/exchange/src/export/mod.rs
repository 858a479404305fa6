//! The plan out of milepost: MSPDI, TaskJuggler, iCalendar and Jira CSV.
//!
//! Every export reads the same thing: the loaded portfolio and its computed plan (the dates
//! of `milepost plan`), limited to some programs or not. Dependencies on milestones of
//! programs outside the scope are kept where the format can say so (TaskJuggler gets them as
//! fixed milestones on their planned dates, so the schedule stays the same) and otherwise
//! named in the notes. The output is deterministic: the same portfolio, as-of date and
//! scope give the same bytes, so an export can be committed or diffed.

pub mod ical;
pub mod jira;
pub mod mspdi;
pub mod tjp;

use std::collections::HashMap;
use std::fmt;

use milepost_load::{Portfolio, Program};
use milepost_model::{Milestone, MilestoneStatus};
use milepost_plan::{PortfolioPlan, TaskSchedule};

/// The export formats (`milepost export --to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// MS Project XML (MSPDI).
    Mspdi,
    /// A TaskJuggler 3 project.
    Tjp,
    /// An iCalendar feed.
    Ical,
    /// Jira's CSV import format.
    JiraCsv,
}

/// Why an export cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// The plan has no schedule (a dependency cycle): there are no dates to export.
    NoSchedule,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NoSchedule => write!(
                f,
                "the plan has no schedule (a dependency cycle), so there are no dates to export"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// What an export reads: the portfolio, its plan and the programs in scope.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The loaded portfolio.
    pub portfolio: &'a Portfolio,
    /// Its plan (as of the session's date).
    pub plan: &'a PortfolioPlan,
    /// Indices of the programs to export; `None` for all.
    pub programs: Option<&'a [usize]>,
    /// People and teams by id, built once (exports look a name up per milestone).
    directory: std::sync::Arc<Directory<'a>>,
}

/// Names and e-mail addresses of people and teams by id: the first of each id wins, and a
/// person before a team (as people.yaml reads).
#[derive(Debug, Default)]
struct Directory<'a> {
    names: HashMap<&'a str, &'a str>,
    /// The first person of each id's address, if that person has one.
    emails: HashMap<&'a str, Option<&'a str>>,
}

impl<'a> Directory<'a> {
    fn of(portfolio: &'a Portfolio) -> Self {
        let mut names = HashMap::with_capacity(portfolio.people.len() + portfolio.teams.len());
        let mut emails = HashMap::with_capacity(portfolio.people.len());
        for p in &portfolio.people {
            names.entry(p.id.as_str()).or_insert(p.name.as_str());
            emails.entry(p.id.as_str()).or_insert(p.email.as_deref());
        }
        for t in &portfolio.teams {
            names.entry(t.id.as_str()).or_insert(t.name.as_str());
        }
        Self { names, emails }
    }
}

/// One milestone in scope, with its schedule when it is planned (not cancelled).
pub struct Item<'a> {
    /// The program index.
    pub program_index: usize,
    /// The program.
    pub program: &'a Program,
    /// The milestone.
    pub milestone: &'a Milestone,
    /// Its task index in the plan, when planned.
    pub task: Option<usize>,
    /// Its scheduled dates, when planned.
    pub schedule: Option<&'a TaskSchedule>,
}

impl Item<'_> {
    /// `program/id`.
    pub fn qualified(&self) -> String {
        self.program.qualify(&self.milestone.id)
    }
}

impl<'a> Source<'a> {
    /// What to export: the programs `programs` names (`None`: all) of `portfolio`, planned
    /// by `plan`.
    pub fn new(
        portfolio: &'a Portfolio,
        plan: &'a PortfolioPlan,
        programs: Option<&'a [usize]>,
    ) -> Self {
        Self {
            portfolio,
            plan,
            programs,
            directory: std::sync::Arc::new(Directory::of(portfolio)),
        }
    }

    /// The same source scoped to other programs (sharing its directory of people).
    #[must_use]
    pub fn scoped<'b>(&self, programs: Option<&'b [usize]>) -> Source<'b>
    where
        'a: 'b,
    {
        Source {
            portfolio: self.portfolio,
            plan: self.plan,
            programs,
            directory: std::sync::Arc::clone(&self.directory),
        }
    }

    /// Whether a program index is in scope.
    pub fn in_scope(&self, program: usize) -> bool {
        self.programs.is_none_or(|p| p.contains(&program))
    }

    /// The programs in scope, in portfolio order.
    pub fn scoped_programs(&self) -> impl Iterator<Item = (usize, &'a Program)> + '_ {
        self.portfolio
            .programs
            .iter()
            .enumerate()
            .filter(|(i, _)| self.in_scope(*i))
    }

    /// Every milestone of the programs in scope, in file order; cancelled and duplicate
    /// milestones have no task. Errors when the plan has no schedule.
    pub fn items(&self) -> Result<Vec<Item<'a>>, ExportError> {
        let schedule = self.plan.schedule.as_ref().ok_or(ExportError::NoSchedule)?;
        let mut items = Vec::new();
        for (pi, program) in self.scoped_programs() {
            for (mi, m) in program.milestones.iter().enumerate() {
                let task = self.plan.task_of(milepost_plan::MilestoneKey {
                    program: pi,
                    milestone: mi,
                });
                items.push(Item {
                    program_index: pi,
                    program,
                    milestone: m,
                    task,
                    schedule: task.map(|t| &schedule.tasks[t]),
                });
            }
        }
        Ok(items)
    }

    /// The full name of a person or team id, when people.yaml has it.
    pub fn person_name(&self, id: &str) -> Option<&'a str> {
        self.directory.names.get(id).copied()
    }

    /// A person's e-mail address, when people.yaml has it.
    pub fn person_email(&self, id: &str) -> Option<&'a str> {
        self.directory.emails.get(id).copied().flatten()
    }

    /// The portfolio's display name (`name:` in milepost.yaml, else "Portfolio").
    pub fn name(&self) -> &'a str {
        let name = self.portfolio.settings.name.trim();
        if name.is_empty() { "Portfolio" } else { name }
    }

    /// The title of what is exported: the one program's name, or the portfolio's.
    pub fn title(&self) -> String {
        match self.programs {
            Some([one]) => self.portfolio.programs[*one].charter.name.clone(),
            _ => self.name().to_owned(),
        }
    }
}

/// Renders an export.
pub fn export(format: Format, source: &Source<'_>) -> Result<String, ExportError> {
    match format {
        Format::Mspdi => mspdi::render(source),
        Format::Tjp => tjp::render(source),
        Format::Ical => ical::render(source),
        Format::JiraCsv => jira::render(source),
    }
}

/// The status words of a milestone, as exports spell them.
pub(crate) fn status_word(status: MilestoneStatus) -> &'static str {
    match status {
        MilestoneStatus::Planned => "planned",
        MilestoneStatus::InProgress => "in progress",
        MilestoneStatus::Done => "done",
        MilestoneStatus::Cancelled => "cancelled",
    }
}
