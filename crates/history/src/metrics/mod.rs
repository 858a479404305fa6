//! Delivery KPIs from history: the numbers a TPM organisation reports, computed from the
//! plan of record and its git history instead of a spreadsheet.
//!
//! The *baseline* of a milestone is its first committed target (the first commit on the
//! main line that gave it a `target`), or with `--baseline REF` its target at that commit.
//! Each KPI carries its own definition ([`Kpi::definition`]) so a report can print what
//! was measured next to the number.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use git2::Oid;
use milepost_load::Portfolio;
use milepost_model::{Impact, MilestoneStatus};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::diff::ChangeKind;
use crate::entity::parse_date;
use crate::entity::{EntityKind, entities_of};
use crate::error::HistoryError;
use crate::repo::History;
use crate::walk::{Problem, WalkOptions};

pub mod docs;
mod flow;
mod kpis;
mod targets;

pub use flow::{ControlChart, ControlPoint, control_chart};
pub use targets::{FRAMEWORK, Target, default_target, show};

/// One KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    /// A stable id (`milestone-variance`); for a KPI of scorecard.yaml, its id there.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The value: a share (0–1), a ratio, a number of days, a score or a count; `None` when
    /// nothing qualifies.
    pub value: Option<f64>,
    /// `share`, `ratio`, `days`, `work days`, `score` or `count`.
    pub unit: &'static str,
    /// How many qualified items met the bar (for shares).
    pub numerator: Option<usize>,
    /// How many items qualified.
    pub denominator: usize,
    /// The supporting numbers (worst case, median…), in a sentence.
    pub detail: String,
    /// What exactly is measured.
    pub definition: String,
    /// Where the number comes from: `plan` (the files at the measured commit), `history`
    /// (their git history as well) or `scorecard` (scorecard.yaml).
    pub source: &'static str,
    /// The target, from milepost.yaml `metrics.targets` or the default.
    pub target: Option<Target>,
    /// `met`, `missed`, `no-target` or `no-data`.
    pub status: &'static str,
    /// The items behind the number: each qualified entity with its own value and whether it
    /// met the bar.
    pub entities: Vec<Counted>,
    /// A series over time, oldest first (weekly risk exposure, weekly throughput, quarterly
    /// change failure rate, a scorecard KPI's measurements).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Point>,
    /// The control chart of a flow metric (cycle time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlChart>,
}

/// One entity behind a KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counted {
    /// `program/id`, or a program id.
    pub entity: String,
    /// Its own number (variance in work days, age in days…), when it has one.
    pub value: Option<f64>,
    /// Whether it met the bar (for shares); `None` when it only contributes a value.
    pub met: Option<bool>,
    /// Why, in a few words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The last day the point covers.
    pub date: NaiveDate,
    /// Its label (`2026-W47`, `2026-Q4`, a date).
    pub label: String,
    /// The value.
    pub value: f64,
}

/// A KPI's number in a trend or per-program row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiValue {
    /// The KPI id.
    pub id: String,
    /// The value.
    pub value: Option<f64>,
    /// Items that met the bar.
    pub numerator: Option<usize>,
    /// Items that qualified.
    pub denominator: usize,
    /// `met`, `missed`, `no-target` or `no-data`.
    pub status: &'static str,
}

impl KpiValue {
    fn of(k: &Kpi) -> KpiValue {
        KpiValue {
            id: k.id.clone(),
            value: k.value,
            numerator: k.numerator,
            denominator: k.denominator,
            status: k.status,
        }
    }
}

/// The KPIs of one program (`--by program`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramRow {
    /// The program id.
    pub program: String,
    /// Its KPIs (those of the plan and its history; scorecard.yaml is portfolio-wide).
    pub kpis: Vec<KpiValue>,
}

/// The KPIs at the end of one period (`--by week|month|quarter`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    /// The period (`2026-W47`, `2026-11`, `2026-Q4`).
    pub period: String,
    /// Its last day (the as-of date for the current period).
    pub end: NaiveDate,
    /// The commit measured: the last one on or before `end`; `None` before the history.
    pub commit: Option<String>,
    /// The KPIs then; empty before the history.
    pub kpis: Vec<KpiValue>,
}

/// The length of a trend period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
}

impl Granularity {
    /// The last `n` periods up to `as_of` (the current one ends at `as_of`), oldest first:
    /// `(label, last day)`.
    pub fn periods(self, as_of: NaiveDate, n: usize) -> Vec<(String, NaiveDate)> {
        use chrono::Datelike;
        let mut out = Vec::new();
        let mut end = as_of;
        for _ in 0..n {
            let (label, start) = match self {
                Granularity::Week => {
                    let week = end.iso_week();
                    let start = end
                        - chrono::Duration::days(i64::from(end.weekday().num_days_from_monday()));
                    (format!("{}-W{:02}", week.year(), week.week()), start)
                }
                Granularity::Month => {
                    let start = end.with_day(1).unwrap_or(end);
                    (format!("{}-{:02}", end.year(), end.month()), start)
                }
                Granularity::Quarter => {
                    let q = (end.month() - 1) / 3;
                    let start = NaiveDate::from_ymd_opt(end.year(), q * 3 + 1, 1).unwrap_or(end);
                    (format!("{}-Q{}", end.year(), q + 1), start)
                }
            };
            out.push((label, end));
            match start.pred_opt() {
                Some(d) => end = d,
                None => break,
            }
        }
        out.reverse();
        out
    }
}

/// The KPI report.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// The as-of date for ages.
    pub as_of: NaiveDate,
    /// What the baseline is (`first committed target`, or the baseline ref and commit).
    pub baseline: String,
    /// The tolerance of milestone variance and forecast accuracy, in work days.
    pub tolerance_days: i64,
    /// The launch success window, in days.
    pub launch_window_days: i64,
    /// The dependency resolution window, in days.
    pub dependency_window_days: i64,
    /// The KPIs.
    pub kpis: Vec<Kpi>,
    /// Per program (`--by program`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<ProgramRow>,
    /// Per period (`--by week|month|quarter`), oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<TrendRow>,
    /// File versions that did not parse (skipped).
    pub problems: Vec<Problem>,
    /// Commits read by the walk (changing the portfolio or not).
    pub commits_read: usize,
    /// Each milestone's baseline target (`program/id` → date), as the variance KPIs read it;
    /// the reports draw it beside the current target. Not in the JSON output.
    #[serde(skip)]
    pub baselines: HashMap<String, NaiveDate>,
}

/// What to measure.
#[derive(Debug, Clone)]
pub struct MetricsOptions {
    /// The commit whose portfolio is measured (usually `HEAD`).
    pub tip: Oid,
    /// A baseline commit instead of each milestone's first committed target.
    pub baseline: Option<(String, Oid)>,
    /// "Today", for ages.
    pub as_of: NaiveDate,
    /// Milestone variance tolerance, in work days; `None`: milepost.yaml's
    /// `metrics.tolerance_days`, else [`DEFAULT_TOLERANCE_DAYS`].
    pub tolerance_days: Option<i64>,
    /// Only these programs (`--program`); empty: all.
    pub programs: Vec<String>,
    /// Follow only first parents (the default); `false` walks every commit, dating a change
    /// by the commit that made it on its branch, as `log --all-parents` does.
    pub first_parent: bool,
    /// Also compute the KPIs of each program on its own.
    pub by_program: bool,
    /// Also compute the KPIs at the end of each of the last `n` periods.
    pub trend: Option<(Granularity, usize)>,
}

/// The default milestone variance tolerance: ±10 business days.
pub const DEFAULT_TOLERANCE_DAYS: i64 = 10;
/// The default dependency resolution window: four weeks.
pub const DEFAULT_DEPENDENCY_WINDOW_DAYS: i64 = 28;
/// How far ahead forecast accuracy looks: the plan of record this many days before a
/// milestone was completed.
pub const FORECAST_HORIZON_DAYS: i64 = 28;
/// The most past commits whose plan forecast accuracy rebuilds (the latest ones).
const MAX_FORECAST_COMMITS: usize = 200;

/// The median of a list of numbers.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    })
}

fn lines(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Lines in `a` not matched in `b` (multiset difference), counted.
fn missing(a: &[String], b: &[String]) -> usize {
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for l in b {
        *pool.entry(l).or_default() += 1;
    }
    a.iter()
        .filter(|l| match pool.get_mut(l.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .count()
}

/// The scope lines of an entity: a charter's `scope.in` and `scope.out`, a milestone's
/// `deliverables`.
fn scope_lines(kind: EntityKind, fields: &Map<String, Value>) -> Vec<String> {
    match kind {
        EntityKind::Program => {
            let mut l = lines(fields.get("scope.in"));
            l.extend(
                lines(fields.get("scope.out"))
                    .into_iter()
                    .map(|s| format!("out: {s}")),
            );
            l
        }
        EntityKind::Milestone => lines(fields.get("deliverables")),
        _ => Vec::new(),
    }
}

/// A change of a program's charter target after commitment.
#[derive(Debug, Clone)]
struct Revision {
    /// The new target.
    target: NaiveDate,
    /// Whether it came through an approved pull request.
    approved: bool,
    /// The commit (short id).
    commit: String,
}

/// What the walk tells about each entity.
#[derive(Default)]
struct Mined {
    /// Milestone → its first committed target.
    first_target: HashMap<String, NaiveDate>,
    /// Entity → the day it first appeared.
    created: HashMap<String, NaiveDate>,
    /// Program → scope lines at commitment.
    committed_lines: BTreeMap<String, usize>,
    /// Program → scope lines added or removed after commitment.
    changed_lines: BTreeMap<String, usize>,
    /// Program → its charter target when it was committed.
    committed_target: HashMap<String, NaiveDate>,
    /// Program → changes of its charter target after commitment, oldest first.
    revisions: HashMap<String, Vec<Revision>>,
    /// Dependency → the first day history shows it `delivered`.
    delivered: HashMap<String, NaiveDate>,
    /// Changes of live risk exposure: `(day, risk, change of score)`, oldest first.
    exposure: Vec<(NaiveDate, String, i64)>,
    /// The commits that changed the portfolio, oldest first: `(day, id)`.
    commits: Vec<(NaiveDate, Oid)>,
}

/// Every KPI milepost computes, in report order, with its definition as `settings` (milepost.yaml
/// `metrics:`) make it and its target; the values are empty. What `milepost explain` and
/// docs/metrics.md show.
pub fn catalogue(settings: &milepost_model::MetricsSettings) -> Vec<Kpi> {
    let mut portfolio = milepost_load::load(milepost_load::FileSet::default());
    portfolio.settings.metrics = settings.clone();
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let plan = milepost_plan::PortfolioPlan::build(&portfolio, as_of);
    let mined = Mined::default();
    let (baselines, predictions) = (HashMap::new(), HashMap::new());
    let inputs = kpis::Inputs {
        portfolio: &portfolio,
        plan: &plan,
        baselines: &baselines,
        mined: &mined,
        predictions: &predictions,
        as_of,
        tolerance: settings
            .tolerance_days
            .map_or(DEFAULT_TOLERANCE_DAYS, i64::from),
        launch_window: settings
            .launch_window_days
            .map_or(LAUNCH_WINDOW_DAYS, i64::from),
        dependency_window: settings
            .dependency_window_days
            .map_or(DEFAULT_DEPENDENCY_WINDOW_DAYS, i64::from),
    };
    inputs.compute(&|_: &str| true, false)
}

/// A milestone's planned finish as the plan of record said it some days before completion.
#[derive(Debug, Clone)]
struct Prediction {
    /// The planned finish then.
    finish: NaiveDate,
    /// The day of the commit.
    said_on: NaiveDate,
    /// The commit (short id).
    commit: String,
}

impl History {
    /// Computes the delivery KPIs of the portfolio at `options.tip`.
    ///
    /// # Errors
    /// [`HistoryError::Shallow`] in a shallow clone (baselines need the whole history);
    /// a git error when an object cannot be read.
    pub fn metrics(&self, options: &MetricsOptions) -> Result<Metrics, HistoryError> {
        let walk = self.walk(
            options.tip,
            &WalkOptions {
                first_parent: options.first_parent,
                ..WalkOptions::default()
            },
        )?;
        if let Some(boundary) = walk.truncated {
            return Err(HistoryError::Shallow {
                boundary,
                needed: "metrics (baselines are the first committed targets)".to_owned(),
            });
        }
        let portfolio = self
            .portfolio_at(options.tip)?
            .unwrap_or_else(|| milepost_load::load(milepost_load::FileSet::default()));
        let baseline_time: Option<DateTime<FixedOffset>> = match &options.baseline {
            Some((_, id)) => Some(self.commit_info(*id)?.time),
            None => None,
        };
        let cache = PlanCache::default();
        let mined = mine(walk.commits.iter(), baseline_time);
        let now = self.measure(&portfolio, &mined, options.as_of, options, &cache)?;
        let mut trend = Vec::new();
        if let Some((granularity, n)) = options.trend {
            for (period, end) in granularity.periods(options.as_of, n) {
                let Some(rev) = self.at_end_of(options.tip, end)? else {
                    trend.push(TrendRow {
                        period,
                        end,
                        commit: None,
                        kpis: Vec::new(),
                    });
                    continue;
                };
                let kpis = if options.first_parent {
                    // The history up to `rev` is the walk without the commits after it on
                    // the first-parent line: no second walk.
                    let after = self.first_parent_after(options.tip, rev.id)?;
                    let mined = mine(
                        walk.commits
                            .iter()
                            .filter(|c| !after.contains(&c.commit.id)),
                        baseline_time,
                    );
                    let then = self
                        .portfolio_at(rev.id)?
                        .unwrap_or_else(|| milepost_load::load(milepost_load::FileSet::default()));
                    let options = MetricsOptions {
                        by_program: false,
                        ..options.clone()
                    };
                    self.measure(&then, &mined, end, &options, &cache)?.kpis
                } else {
                    self.metrics(&MetricsOptions {
                        tip: rev.id,
                        as_of: end,
                        by_program: false,
                        trend: None,
                        ..options.clone()
                    })?
                    .kpis
                };
                trend.push(TrendRow {
                    period,
                    end,
                    commit: Some(crate::repo::short(rev.id)),
                    kpis: kpis.iter().map(KpiValue::of).collect(),
                });
            }
        }
        Ok(Metrics {
            baselines: now.baselines,
            as_of: options.as_of,
            baseline: match &options.baseline {
                None => "each milestone's first committed target".to_owned(),
                Some((name, id)) => format!("targets at {name} ({})", crate::repo::short(*id)),
            },
            tolerance_days: now.tolerance,
            launch_window_days: now.launch_window,
            dependency_window_days: now.dependency_window,
            kpis: now.kpis,
            programs: now.programs,
            trend,
            problems: walk.problems,
            commits_read: walk.walked,
        })
    }

    /// The commits after `rev` on the first-parent line from `tip` (full ids).
    fn first_parent_after(&self, tip: Oid, rev: Oid) -> Result<HashSet<String>, HistoryError> {
        let mut out = HashSet::new();
        let mut id = tip;
        while id != rev {
            out.insert(id.to_string());
            match self.repository().find_commit(id)?.parent_id(0) {
                Ok(parent) => id = parent,
                Err(_) => break,
            }
        }
        Ok(out)
    }

    /// The KPIs of `portfolio` as of `as_of`, from what was mined of its history.
    fn measure(
        &self,
        portfolio: &Portfolio,
        mined: &Mined,
        as_of: NaiveDate,
        options: &MetricsOptions,
        cache: &PlanCache,
    ) -> Result<Measured, HistoryError> {
        let baselines: HashMap<String, NaiveDate> = match &options.baseline {
            None => mined.first_target.clone(),
            Some((_, id)) => match self.portfolio_at(*id)? {
                Some(p) => entities_of(&p)
                    .into_iter()
                    .filter(|(_, e)| e.kind == EntityKind::Milestone)
                    .filter_map(|(k, e)| e.date("target").map(|d| (k, d)))
                    .collect(),
                None => HashMap::new(),
            },
        };
        let settings = &portfolio.settings.metrics;
        let tolerance = options
            .tolerance_days
            .or(settings.tolerance_days.map(i64::from))
            .unwrap_or(DEFAULT_TOLERANCE_DAYS);
        let launch_window = settings
            .launch_window_days
            .map_or(LAUNCH_WINDOW_DAYS, i64::from);
        let dependency_window = settings
            .dependency_window_days
            .map_or(DEFAULT_DEPENDENCY_WINDOW_DAYS, i64::from);
        let predictions = self.predictions(portfolio, mined, as_of, cache)?;
        let plan = milepost_plan::PortfolioPlan::build(portfolio, as_of);
        let inputs = kpis::Inputs {
            portfolio,
            plan: &plan,
            baselines: &baselines,
            mined,
            predictions: &predictions,
            as_of,
            tolerance,
            launch_window,
            dependency_window,
        };
        let in_scope =
            |id: &str| options.programs.is_empty() || options.programs.iter().any(|p| p == id);
        let kpis = inputs.compute(&in_scope, true);
        let programs = if options.by_program {
            portfolio
                .programs
                .iter()
                .filter(|p| in_scope(&p.id))
                .map(|p| ProgramRow {
                    program: p.id.clone(),
                    kpis: inputs
                        .compute(&|id: &str| id == p.id.as_str(), false)
                        .iter()
                        .map(KpiValue::of)
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Measured {
            kpis,
            programs,
            baselines,
            tolerance,
            launch_window,
            dependency_window,
        })
    }

    /// What the plan of record said, [`FORECAST_HORIZON_DAYS`] before each done milestone
    /// was completed: its planned finish at the last commit on or before that day, when the
    /// milestone was in that plan and not yet done. Rebuilds the plan of at most
    /// [`MAX_FORECAST_COMMITS`] past commits (the latest).
    fn predictions(
        &self,
        portfolio: &Portfolio,
        mined: &Mined,
        as_of: NaiveDate,
        cache: &PlanCache,
    ) -> Result<HashMap<String, Prediction>, HistoryError> {
        // Which commit speaks for which milestones.
        let mut wanted: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for program in &portfolio.programs {
            for m in &program.milestones {
                let (MilestoneStatus::Done, Some(completed)) = (m.status, m.completed) else {
                    continue;
                };
                if completed > as_of {
                    continue;
                }
                let horizon = completed - chrono::Duration::days(FORECAST_HORIZON_DAYS);
                let at = mined.commits.partition_point(|(day, _)| *day <= horizon);
                if at > 0 {
                    wanted
                        .entry(at - 1)
                        .or_default()
                        .push(program.qualify(&m.id));
                }
            }
        }
        let mut out = HashMap::new();
        let skip = wanted.len().saturating_sub(MAX_FORECAST_COMMITS);
        for (index, names) in wanted.into_iter().skip(skip) {
            let (day, id) = mined.commits[index];
            let planned = self.planned_at(id, day, cache)?;
            for name in names {
                if let Some(finish) = planned.get(&name) {
                    out.insert(
                        name,
                        Prediction {
                            finish: *finish,
                            said_on: day,
                            commit: crate::repo::short(id),
                        },
                    );
                }
            }
        }
        Ok(out)
    }
}

impl History {
    /// The planned finish of every open milestone in the portfolio at `commit`, planned as
    /// of `day` (the commit's day); cached, as the trend asks for the same commits again.
    fn planned_at(
        &self,
        commit: Oid,
        day: NaiveDate,
        cache: &PlanCache,
    ) -> Result<Rc<HashMap<String, NaiveDate>>, HistoryError> {
        if let Some(hit) = cache.borrow().get(&commit) {
            return Ok(Rc::clone(hit));
        }
        let mut planned = HashMap::new();
        if let Some(then) = self.portfolio_at(commit)? {
            let plan = milepost_plan::PortfolioPlan::build(&then, day);
            for (pi, program) in then.programs.iter().enumerate() {
                for (mi, m) in program.milestones.iter().enumerate() {
                    if m.status == MilestoneStatus::Done {
                        continue;
                    }
                    let key = milepost_plan::MilestoneKey {
                        program: pi,
                        milestone: mi,
                    };
                    if let Some(row) = plan.milestone(key) {
                        planned.insert(program.qualify(&m.id), row.earliest_finish);
                    }
                }
            }
        }
        let planned = Rc::new(planned);
        cache.borrow_mut().insert(commit, Rc::clone(&planned));
        Ok(planned)
    }
}

/// Plans of past commits: open milestone → planned finish, by commit.
type PlanCache = RefCell<HashMap<Oid, Rc<HashMap<String, NaiveDate>>>>;

/// The KPIs of one measurement, with what they were measured with.
struct Measured {
    kpis: Vec<Kpi>,
    programs: Vec<ProgramRow>,
    baselines: HashMap<String, NaiveDate>,
    tolerance: i64,
    launch_window: i64,
    dependency_window: i64,
}

type State = HashMap<String, (EntityKind, Map<String, Value>)>;

/// Replays the walk: each entity's state at every commit, and what the KPIs need from it.
fn mine<'a>(
    commits: impl Iterator<Item = &'a crate::walk::CommitChanges>,
    baseline_time: Option<DateTime<FixedOffset>>,
) -> Mined {
    let mut mined = Mined::default();
    let mut state: State = HashMap::new();
    let mut committed: HashMap<String, bool> = HashMap::new();
    let mut baseline_taken = false;
    let mut risk_scores: HashMap<String, i64> = HashMap::new();
    for c in commits {
        let date = c.commit.date();
        if let Ok(id) = Oid::from_str(&c.commit.id) {
            mined.commits.push((date, id));
        }
        let after_baseline = baseline_time.is_none_or(|t| c.commit.time > t);
        if baseline_time.is_some() && after_baseline && !baseline_taken {
            // With a baseline commit, what existed then is what was committed.
            baseline_taken = true;
            commit_programs(&state, &mut committed, &mut mined);
        }
        for change in &c.changes {
            let program = change
                .entity
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let before_lines = state
                .get(&change.entity)
                .map(|(k, f)| scope_lines(*k, f))
                .unwrap_or_default();
            match change.kind {
                ChangeKind::Added => {
                    let fields = change.after.as_object().cloned().unwrap_or_default();
                    mined.created.entry(change.entity.clone()).or_insert(date);
                    state.insert(change.entity.clone(), (change.entity_kind, fields));
                }
                ChangeKind::Removed => {
                    state.remove(&change.entity);
                }
                ChangeKind::Modified => {
                    if let Some((_, fields)) = state.get_mut(&change.entity) {
                        let field = change.field.clone().unwrap_or_default();
                        if change.after.is_null() {
                            fields.remove(&field);
                        } else {
                            fields.insert(field, change.after.clone());
                        }
                    }
                }
            }
            let entity = state.get(&change.entity);
            let text = |field: &str| {
                entity
                    .and_then(|(_, f)| f.get(field))
                    .and_then(Value::as_str)
            };
            match change.entity_kind {
                EntityKind::Milestone => {
                    if let Some(t) = text("target").and_then(parse_date) {
                        mined.first_target.entry(change.entity.clone()).or_insert(t);
                    }
                }
                EntityKind::Dependency if text("status") == Some("delivered") => {
                    mined.delivered.entry(change.entity.clone()).or_insert(date);
                }
                EntityKind::Risk => {
                    let score = risk_score(entity.map(|(_, f)| f));
                    let old = risk_scores.get(&change.entity).copied().unwrap_or(0);
                    if score != old {
                        mined
                            .exposure
                            .push((date, change.entity.clone(), score - old));
                        risk_scores.insert(change.entity.clone(), score);
                    }
                }
                EntityKind::Program => {
                    if change.field.as_deref() == Some("target")
                        && committed.get(&program).copied().unwrap_or(false)
                        && after_baseline
                        && let Some(t) = text("target").and_then(parse_date)
                    {
                        mined
                            .revisions
                            .entry(program.clone())
                            .or_default()
                            .push(Revision {
                                target: t,
                                approved: c.commit.approved(),
                                commit: c.commit.id.chars().take(7).collect(),
                            });
                    }
                }
                _ => {}
            }
            // Scope churn after the program's commitment.
            if committed.get(&program).copied().unwrap_or(false) && after_baseline {
                let after_lines = entity.map(|(k, f)| scope_lines(*k, f)).unwrap_or_default();
                let churn =
                    missing(&after_lines, &before_lines) + missing(&before_lines, &after_lines);
                *mined.changed_lines.entry(program.clone()).or_default() += churn;
            }
        }
        // Without a baseline commit, a program is committed when it first becomes active.
        if baseline_time.is_none() {
            for change in c
                .changes
                .iter()
                .filter(|c| c.entity_kind == EntityKind::Program)
            {
                let active = state.get(&change.entity).is_some_and(|(_, f)| {
                    f.get("status").and_then(Value::as_str) == Some("active")
                });
                if active && !committed.contains_key(&change.entity) {
                    commit_program(&state, &change.entity, &mut committed, &mut mined);
                }
            }
        }
    }
    if baseline_time.is_some() && !baseline_taken {
        commit_programs(&state, &mut committed, &mut mined);
    }
    mined
}

/// The score of a live risk (probability × impact, 1–12), 0 when it is closed or accepted,
/// or its fields do not read.
fn risk_score(fields: Option<&Map<String, Value>>) -> i64 {
    let Some(fields) = fields else { return 0 };
    let read = |field: &str| fields.get(field).cloned().unwrap_or(Value::Null);
    let status: milepost_model::RiskStatus =
        serde_json::from_value(read("status")).unwrap_or_default();
    let (Ok(probability), Ok(impact)) = (
        serde_json::from_value::<milepost_model::Probability>(read("probability")),
        serde_json::from_value::<Impact>(read("impact")),
    ) else {
        return 0;
    };
    if !matches!(
        status,
        milepost_model::RiskStatus::Open | milepost_model::RiskStatus::Mitigating
    ) {
        return 0;
    }
    i64::from(milepost_model::Risk::score_of(probability, impact))
}

/// Marks every program of `state` that is not yet committed as committed (the baseline).
fn commit_programs(state: &State, committed: &mut HashMap<String, bool>, mined: &mut Mined) {
    let names: Vec<&String> = state
        .iter()
        .filter(|(name, (kind, _))| *kind == EntityKind::Program && !committed.contains_key(*name))
        .map(|(name, _)| name)
        .collect();
    for name in names {
        commit_program(state, name, committed, mined);
    }
}

/// Marks one program as committed, recording its scope lines (charter and milestones) and
/// its charter target now.
fn commit_program(
    state: &State,
    name: &str,
    committed: &mut HashMap<String, bool>,
    mined: &mut Mined,
) {
    committed.insert(name.to_owned(), true);
    let lines: usize = state
        .iter()
        .filter(|(k, _)| *k == name || k.strip_prefix(name).is_some_and(|r| r.starts_with('/')))
        .map(|(_, (k, f))| scope_lines(*k, f).len())
        .sum();
    mined.committed_lines.insert(name.to_owned(), lines);
    if let Some(t) = state
        .get(name)
        .and_then(|(_, f)| f.get("target"))
        .and_then(Value::as_str)
        .and_then(parse_date)
    {
        mined.committed_target.insert(name.to_owned(), t);
    }
}

/// Days after going live within which a sev1/sev2 incident or a rollback makes a launch
/// unsuccessful (milepost.yaml `metrics.launch_window_days` overrides it).
pub const LAUNCH_WINDOW_DAYS: i64 = 14;

/// `1 line`, `2 lines`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else if ["ch", "sh", "s", "x"].iter().any(|e| word.ends_with(e)) {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}

fn fmt_days(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(|| "none".to_owned(), |v| format!("{v} {unit}"))
}
