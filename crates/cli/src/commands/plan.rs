//! `milepost plan`: the critical-path schedule of a portfolio or one program.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use milepost_load::{FileSet, Portfolio, Severity};
use milepost_model::FileKind;
use milepost_plan::{MilestoneKey, PortfolioPlan};

use crate::Outcome;
use crate::commands::{effective_as_of, parse_date, portfolio_path};
use crate::error::CliError;
use crate::output;

/// Compute the critical-path schedule: earliest and latest dates, slack and slip of every
/// milestone, and the chain of milestones that determines the finish date. Planning uses
/// work days on the portfolio calendar and finish-to-start dependencies, across programs.
///
/// Exit code 1 when the plan cannot be trusted (a dependency cycle or an error in the files
/// it reads), 2 when the portfolio cannot be read.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio folder.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Show one program (the plan is still computed across the portfolio).
    #[arg(long, value_name = "ID")]
    pub program: Option<String>,
    /// Plan as of this day (YYYY-MM-DD) instead of today: open work starts no earlier.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The output formats of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table to paste into a review, sorted by start, critical path marked.
    Table,
    /// One JSON object: `milestones`, `critical_path`, `finish`.
    Json,
    /// Comma-separated values, one row per milestone.
    Csv,
    /// A Mermaid gantt chart (renders on GitHub and GitLab).
    Mermaid,
    /// A Graphviz dependency graph with the critical path in bold.
    Dot,
}

/// One planned milestone, ready to render.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    /// `program/id`.
    pub id: String,
    /// The program id.
    pub program: String,
    /// The title.
    pub title: String,
    /// The owner id, if any.
    pub owner: Option<String>,
    /// `planned`, `in_progress` or `done`.
    pub status: &'static str,
    /// Whether it is a 0-day event.
    pub event: bool,
    /// Duration in work days.
    pub duration_days: u32,
    /// Earliest start.
    pub earliest_start: NaiveDate,
    /// Earliest finish.
    pub earliest_finish: NaiveDate,
    /// Latest start.
    pub latest_start: NaiveDate,
    /// Latest finish.
    pub latest_finish: NaiveDate,
    /// Total float in work days.
    pub slack_days: i64,
    /// Free float in work days.
    pub free_slack_days: i64,
    /// Slack ≤ 0.
    pub critical: bool,
    /// On the driving chain to the finish.
    pub on_critical_path: bool,
    /// The committed date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<NaiveDate>,
    /// Earliest finish − target in work days (positive = late).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slip_days: Option<i64>,
    /// `program/id` of each dependency (planned ones only).
    pub depends_on: Vec<String>,
    /// The dependency that determined the earliest start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driving_dependency: Option<String>,
}

/// The schedule in scope, ready to render.
#[derive(Debug, Clone, serde::Serialize)]
pub struct View {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The program shown, or `None` for the whole portfolio.
    pub program: Option<String>,
    /// Milestones, sorted by earliest start, then finish, then id.
    pub milestones: Vec<Row>,
    /// The driving chain to the finish, first milestone first.
    pub critical_path: Vec<String>,
    /// The latest earliest finish in scope.
    pub finish: Option<NaiveDate>,
    /// Work days excluded from the calendar, for charts: weekdays (0 = Monday) that are not work days.
    #[serde(skip)]
    pub non_workdays: Vec<usize>,
    /// Holidays, for charts.
    #[serde(skip)]
    pub holidays: Vec<NaiveDate>,
}

/// Loads only what planning needs: settings, people, charters and milestones.
pub fn load_for_planning(path: &Path) -> Result<Portfolio, CliError> {
    let set = FileSet::from_dir(path)?.only(&[
        FileKind::Settings,
        FileKind::People,
        FileKind::Program,
        FileKind::Milestones,
    ]);
    Ok(milepost_load::load(set))
}

/// Checks `--program` against the portfolio.
pub fn program_index(
    portfolio: &Portfolio,
    program: Option<&str>,
) -> Result<Option<usize>, CliError> {
    let Some(id) = program else { return Ok(None) };
    if let Some(i) = portfolio.programs.iter().position(|p| p.id == id) {
        Ok(Some(i))
    } else {
        let ids: Vec<&str> = portfolio.programs.iter().map(|p| p.id.as_str()).collect();
        let hint = match milepost_load::did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("programs: {}", ids.join(", ")),
        };
        Err(CliError::usage(
            format!("no program `{id}` in the portfolio"),
            hint,
        ))
    }
}

/// Builds the view of a computed plan for the whole portfolio or one program.
pub fn view(portfolio: &Portfolio, plan: &PortfolioPlan, program: Option<usize>) -> View {
    let Some(schedule) = &plan.schedule else {
        return View {
            as_of: plan.as_of,
            program: program.map(|p| portfolio.programs[p].id.clone()),
            milestones: Vec::new(),
            critical_path: Vec::new(),
            finish: None,
            non_workdays: Vec::new(),
            holidays: Vec::new(),
        };
    };
    let in_scope = |key: MilestoneKey| program.is_none_or(|p| key.program == p);
    // The driving chain: from the latest-finishing task in scope, back through driving
    // predecessors (which may lie in other programs: that is what drives the date).
    let last = (0..plan.keys.len())
        .filter(|t| in_scope(plan.keys[*t]))
        .max_by(|a, b| {
            let (ta, tb) = (&schedule.tasks[*a], &schedule.tasks[*b]);
            ta.earliest_finish
                .cmp(&tb.earliest_finish)
                .then(tb.slack_days.cmp(&ta.slack_days))
                .then(b.cmp(a))
        });
    let chain: Vec<usize> = match (program, last) {
        (None, _) => schedule.critical_path.clone(),
        (Some(_), Some(last)) => {
            let mut chain = vec![last];
            let mut seen = std::collections::HashSet::from([last]);
            while let Some(prev) = schedule.tasks[*chain.last().unwrap_or(&last)].driving_pred {
                if !seen.insert(prev) {
                    break;
                }
                chain.push(prev);
            }
            chain.reverse();
            chain
        }
        (Some(_), None) => Vec::new(),
    };
    let on_path: std::collections::HashSet<usize> = chain.iter().copied().collect();
    let mut rows: Vec<Row> = (0..plan.keys.len())
        .filter(|t| in_scope(plan.keys[*t]))
        .map(|t| {
            let key = plan.keys[t];
            let p = &portfolio.programs[key.program];
            let m = &p.milestones[key.milestone];
            let s = &schedule.tasks[t];
            Row {
                id: p.qualify(&m.id),
                program: p.id.clone(),
                title: m.title.clone(),
                owner: m.owner.as_ref().map(ToString::to_string),
                status: match m.status {
                    milepost_model::MilestoneStatus::Planned => "planned",
                    milepost_model::MilestoneStatus::InProgress => "in_progress",
                    milepost_model::MilestoneStatus::Done => "done",
                    milepost_model::MilestoneStatus::Cancelled => "cancelled",
                },
                event: m.duration.is_event(),
                duration_days: m.duration.days(),
                earliest_start: s.earliest_start,
                earliest_finish: s.earliest_finish,
                latest_start: s.latest_start,
                latest_finish: s.latest_finish,
                slack_days: s.slack_days,
                free_slack_days: s.free_slack_days,
                critical: s.critical,
                on_critical_path: on_path.contains(&t),
                target: m.target,
                slip_days: s.slip_days,
                depends_on: plan.tasks[t]
                    .deps
                    .iter()
                    .map(|d| plan.name(portfolio, *d))
                    .collect(),
                driving_dependency: s.driving_pred.map(|d| plan.name(portfolio, d)),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.earliest_start
            .cmp(&b.earliest_start)
            .then(a.earliest_finish.cmp(&b.earliest_finish))
            .then(a.id.cmp(&b.id))
    });
    let finish = match program {
        None => schedule.finish,
        Some(p) => schedule.group_finish.get(p).copied().flatten(),
    };
    let week = plan.calendar.workdays();
    View {
        as_of: plan.as_of,
        program: program.map(|p| portfolio.programs[p].id.clone()),
        milestones: rows,
        critical_path: chain.iter().map(|t| plan.name(portfolio, *t)).collect(),
        finish,
        non_workdays: (0..7).filter(|d| !week[*d]).collect(),
        holidays: plan.calendar.holidays().to_vec(),
    }
}

/// Prints the loader's error-level findings (and cycles) on stderr; returns whether any.
pub fn report_problems(portfolio: &Portfolio, plan: &PortfolioPlan) -> Result<bool, CliError> {
    let mut problems: Vec<milepost_load::Diagnostic> = portfolio
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    problems.extend(plan.cycle_diagnostics(portfolio));
    if let Some(e) = &plan.error
        && plan.cycles.is_empty()
    {
        problems.push(milepost_load::Diagnostic::error(
            "plan",
            format!("the plan cannot be computed: {e}"),
        ));
    }
    if problems.is_empty() {
        return Ok(false);
    }
    let mut err = anstream::AutoStream::auto(std::io::stderr().lock());
    let summary = "the plan below ignores or may be skewed by these problems; run `milepost check` for all findings".to_owned();
    output::human::render(&mut err, portfolio, &problems, &summary)?;
    Ok(true)
}

/// Runs `milepost plan`.
pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let path = portfolio_path(args.path.as_ref());
    let portfolio = load_for_planning(&path)?;
    let as_of = effective_as_of(args.as_of, &portfolio);
    let program = program_index(&portfolio, args.program.as_deref())?;
    let plan = PortfolioPlan::build(&portfolio, as_of);
    let failed = report_problems(&portfolio, &plan)?;
    let view = view(&portfolio, &plan, program);
    if args.format == Format::Table {
        let mut out = output::stdout_human();
        output::plan::table::render(&mut out, &view)?;
        out.flush()?;
    } else {
        let mut out = output::stdout_plain();
        match args.format {
            Format::Json => output::plan::json::render(&mut out, &view)?,
            Format::Csv => output::plan::csv::render(&mut out, &view)?,
            Format::Mermaid => output::plan::mermaid::render(&mut out, &view)?,
            Format::Dot | Format::Table => output::plan::dot::render(&mut out, &view)?,
        }
        out.flush()?;
    }
    std::mem::forget(portfolio);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
