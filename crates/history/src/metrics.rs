//! Delivery KPIs from history: the numbers a TPM organisation reports, computed from the
//! plan of record and its git history instead of a spreadsheet.
//!
//! The *baseline* of a milestone is its first committed target (the first commit on the
//! main line that gave it a `target`), or with `--baseline REF` its target at that commit.
//! Each KPI carries its own definition ([`Kpi::definition`]) so a report can print what
//! was measured next to the number.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};
use git2::Oid;
use milepost_load::Portfolio;
use milepost_model::{Impact, MilestoneKind, MilestoneStatus, ReadinessStatus};
use milepost_plan::calendar_of;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::diff::ChangeKind;
use crate::entity::parse_date;
use crate::entity::{EntityKind, entities_of};
use crate::error::HistoryError;
use crate::repo::History;
use crate::walk::{Problem, WalkOptions};

/// One KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    /// A stable id (`milestone-variance`).
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The value: a share (0–1), a ratio or a number of days; `None` when nothing qualifies.
    pub value: Option<f64>,
    /// `share`, `ratio` or `days`.
    pub unit: &'static str,
    /// How many qualified items met the bar (for shares).
    pub numerator: Option<usize>,
    /// How many items qualified.
    pub denominator: usize,
    /// The supporting numbers (worst case, median…), in a sentence.
    pub detail: String,
    /// What exactly is measured.
    pub definition: String,
}

/// The KPI report.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// The as-of date for ages.
    pub as_of: NaiveDate,
    /// What the baseline is (`first committed target`, or the baseline ref and commit).
    pub baseline: String,
    /// The tolerance of milestone variance, in work days.
    pub tolerance_days: i64,
    /// The KPIs.
    pub kpis: Vec<Kpi>,
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
    /// Milestone variance tolerance, in work days.
    pub tolerance_days: i64,
    /// Only these programs (`--program`); empty: all.
    pub programs: Vec<String>,
    /// Follow only first parents (the default); `false` walks every commit, dating a change
    /// by the commit that made it on its branch, as `log --all-parents` does.
    pub first_parent: bool,
}

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

fn share(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
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
        // Replay the changes to know each entity's state at any commit.
        let mut mined = Mined::default();
        let mut state: State = HashMap::new();
        let mut committed: HashMap<String, bool> = HashMap::new();
        let mut baseline_taken = false;
        for c in &walk.commits {
            let date = c.commit.date();
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
                if change.entity_kind == EntityKind::Milestone
                    && let Some(t) = entity
                        .and_then(|(_, f)| f.get("target"))
                        .and_then(Value::as_str)
                        .and_then(parse_date)
                {
                    mined.first_target.entry(change.entity.clone()).or_insert(t);
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
        let kpis = compute(&portfolio, &baselines, &mined, options);
        Ok(Metrics {
            baselines,
            as_of: options.as_of,
            baseline: match &options.baseline {
                None => "each milestone's first committed target".to_owned(),
                Some((name, id)) => format!("targets at {name} ({})", crate::repo::short(*id)),
            },
            tolerance_days: options.tolerance_days,
            kpis,
            problems: walk.problems,
            commits_read: walk.walked,
        })
    }
}

type State = HashMap<String, (EntityKind, Map<String, Value>)>;

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

/// Marks one program as committed, recording its scope lines (charter and milestones) now.
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
}

fn compute(
    portfolio: &Portfolio,
    baselines: &HashMap<String, NaiveDate>,
    mined: &Mined,
    options: &MetricsOptions,
) -> Vec<Kpi> {
    let calendar = calendar_of(portfolio);
    let as_of = options.as_of;
    let tol = options.tolerance_days;
    let mut variance: Vec<(String, i64)> = Vec::new();
    let (mut done, mut on_time) = (0usize, 0usize);
    let (mut launches, mut compliant) = (0usize, 0usize);
    let mut aging: Vec<(String, i64)> = Vec::new();
    let (mut severe, mut covered) = (0usize, 0usize);
    let mut escalations: Vec<i64> = Vec::new();
    let mut open_escalations = 0usize;
    let mut latencies: Vec<i64> = Vec::new();
    // Launch outcomes, benefits, cost of delay (the model's records, not history).
    let (mut with_outcome, mut successful, mut failed) = (0usize, 0usize, 0usize);
    let mut no_outcome = 0usize;
    let (mut launched_programs, mut realised) = (0usize, 0usize);
    let (mut strategic, mut costed) = (0usize, 0usize);
    let in_scope =
        |id: &str| options.programs.is_empty() || options.programs.iter().any(|p| p == id);
    for program in portfolio.programs.iter().filter(|p| in_scope(&p.id)) {
        for m in &program.milestones {
            let name = program.qualify(&m.id);
            if m.status == MilestoneStatus::Cancelled {
                continue;
            }
            let baseline = baselines.get(&name).copied();
            let actual = if m.status == MilestoneStatus::Done {
                m.completed.or(m.target)
            } else {
                m.target
            };
            if let (Some(b), Some(a)) = (baseline, actual) {
                variance.push((name.clone(), calendar.deadline_days_between(b, a)));
            }
            if m.status == MilestoneStatus::Done {
                if let (Some(b), Some(c)) = (baseline, m.completed) {
                    done += 1;
                    on_time += usize::from(calendar.deadline_days_between(b, c) <= 0);
                }
                if m.kind == MilestoneKind::Launch {
                    launches += 1;
                    let items = m
                        .gate
                        .as_deref()
                        .and_then(|g| portfolio.settings.gates.get(g))
                        .map(milepost_model::GateTemplate::items);
                    let ok = items.is_some_and(|items| {
                        items.iter().all(|item| {
                            m.readiness.get(item.id.as_str()).is_some_and(|r| {
                                r.status == ReadinessStatus::Done
                                    || (r.status == ReadinessStatus::Waived && r.approver.is_some())
                            })
                        })
                    });
                    compliant += usize::from(ok);
                }
            }
        }
        let mut launched = program.charter.status == milepost_model::ProgramStatus::Done;
        for m in &program.milestones {
            if m.kind != MilestoneKind::Launch || m.status != MilestoneStatus::Done {
                continue;
            }
            launched = true;
            let Some(outcome) = &m.outcome else {
                no_outcome += 1;
                continue;
            };
            let Some(day) = outcome.launched.or(m.completed) else {
                no_outcome += 1;
                continue;
            };
            with_outcome += 1;
            let window_end = day + chrono::Duration::days(LAUNCH_WINDOW_DAYS);
            let in_window = |d: NaiveDate| d >= day && d <= window_end;
            let severe = outcome
                .incidents
                .iter()
                .any(|i| i.severity <= milepost_model::IncidentSeverity::Sev2 && in_window(i.date));
            let rolled_back_early = outcome.rolled_back.is_some_and(in_window);
            successful += usize::from(!severe && !rolled_back_early);
            failed += usize::from(!outcome.incidents.is_empty() || outcome.rolled_back.is_some());
        }
        if launched && program.charter.status != milepost_model::ProgramStatus::Cancelled {
            launched_programs += 1;
            let metrics = &program.charter.success_metrics;
            realised += usize::from(
                !metrics.is_empty()
                    && metrics
                        .iter()
                        .all(|m| m.validated.is_some_and(|v| v <= as_of)),
            );
        }
        if program.charter.strategic
            && program.charter.status != milepost_model::ProgramStatus::Cancelled
        {
            strategic += 1;
            costed += usize::from(program.charter.cost_of_delay.is_some());
        }
        for d in &program.dependencies {
            if !d.is_open() {
                continue;
            }
            let name = program.qualify(&d.id);
            // A dependency raised after the as-of date did not exist yet on that day.
            if let Some(raised) = d.raised.or_else(|| mined.created.get(&name).copied())
                && raised <= as_of
            {
                aging.push((name, (as_of - raised).num_days()));
            }
        }
        for r in &program.risks {
            if r.is_live() && r.impact >= Impact::High {
                severe += 1;
                let has = |t: Option<&String>| t.is_some_and(|t| !t.trim().is_empty());
                covered +=
                    usize::from(r.owner.is_some() && has(r.mitigation.as_ref()) && r.due.is_some());
            }
        }
        for i in &program.issues {
            match (i.escalated_on, i.resolved) {
                (Some(e), Some(r)) => escalations.push((r - e).num_days()),
                (Some(_), None) => open_escalations += 1,
                _ => {}
            }
        }
        for d in &program.decisions {
            if let (Some(raised), Some(decided)) = (d.raised, d.decided) {
                latencies.push((decided - raised).num_days());
            }
        }
    }
    let within = variance.iter().filter(|(_, v)| v.abs() <= tol).count();
    let worst_variance = variance
        .iter()
        .max_by_key(|(n, v)| (v.abs(), std::cmp::Reverse(n.clone())));
    let mut variance_days: Vec<i64> = variance.iter().map(|(_, v)| *v).collect();
    let committed: usize = mined
        .committed_lines
        .iter()
        .filter(|(p, _)| in_scope(p))
        .map(|(_, n)| n)
        .sum();
    let churn: usize = mined
        .changed_lines
        .iter()
        .filter(|(p, _)| in_scope(p))
        .map(|(_, n)| n)
        .sum();
    let committed_programs = mined.committed_lines.keys().filter(|p| in_scope(p)).count();
    let mut ages: Vec<i64> = aging.iter().map(|(_, a)| *a).collect();
    let worst_age = aging
        .iter()
        .max_by_key(|(n, a)| (*a, std::cmp::Reverse(n.clone())));
    vec![
        Kpi {
            id: "milestone-variance",
            name: "Milestone variance",
            value: share(within, variance.len()),
            unit: "share",
            numerator: Some(within),
            denominator: variance.len(),
            detail: format!(
                "{within} of {} within ±{tol} work days; median {}; worst {}",
                variance.len(),
                fmt_days(median(&mut variance_days), "work days"),
                worst_variance.map_or_else(|| "none".to_owned(), |(n, v)| format!("{n} ({v:+} work days)")),
            ),
            definition: format!(
                "Share of milestones (not cancelled) whose current date — `completed` when done, else `target` — is within ±{tol} work days of the baseline target."
            ),
        },
        Kpi {
            id: "on-time-delivery",
            name: "On-time delivery",
            value: share(on_time, done),
            unit: "share",
            numerator: Some(on_time),
            denominator: done,
            detail: format!("{on_time} of {done} done milestones completed by their baseline target"),
            definition: "Share of done milestones (with `completed` and a baseline) completed on or before their baseline target.".to_owned(),
        },
        Kpi {
            id: "scope-change-rate",
            name: "Scope change rate after commitment",
            value: (committed > 0).then(|| churn as f64 / committed as f64),
            unit: "ratio",
            numerator: Some(churn),
            denominator: committed,
            detail: format!(
                "{} added or removed after commitment, against {committed} at commitment, over {}",
                count(churn, "scope line"),
                count(committed_programs, "committed program")
            ),
            definition: "Scope lines (a charter's `scope.in` and `scope.out`, its milestones' `deliverables`) added or removed after the program was committed, divided by the scope lines at commitment. A program is committed from the first commit in which its status is `active` (with `--baseline`: from the baseline commit).".to_owned(),
        },
        Kpi {
            id: "dependency-aging",
            name: "Dependency aging (open)",
            value: median(&mut ages),
            unit: "days",
            numerator: None,
            denominator: aging.len(),
            detail: format!(
                "median over {}; worst {}",
                count(aging.len(), "open dependency"),
                worst_age.map_or_else(|| "none".to_owned(), |(n, a)| format!("{n} ({a} days)"))
            ),
            definition: "Median age in days, as of the as-of date, of dependencies not delivered or cancelled, from `raised` (or the day the dependency was first committed); a dependency raised after the as-of date is not counted.".to_owned(),
        },
        Kpi {
            id: "risk-burn-down",
            name: "Risk burn-down effectiveness",
            value: share(covered, severe),
            unit: "share",
            numerator: Some(covered),
            denominator: severe,
            detail: format!("{covered} of {severe} live high/critical risks have an owner, a mitigation and a due date"),
            definition: "Share of open or mitigating risks of high or critical impact that have an `owner`, a `mitigation` and a `due` date.".to_owned(),
        },
        Kpi {
            id: "escalation-cycle-time",
            name: "Escalation cycle time",
            value: median(&mut escalations),
            unit: "days",
            numerator: None,
            denominator: escalations.len(),
            detail: format!(
                "median over {}; {} still open",
                count(escalations.len(), "resolved escalation"),
                count(open_escalations, "escalation")
            ),
            definition: "Median days from `escalated_on` to `resolved` of escalated issues that are resolved.".to_owned(),
        },
        Kpi {
            id: "decision-latency",
            name: "Decision latency",
            value: median(&mut latencies),
            unit: "days",
            numerator: None,
            denominator: latencies.len(),
            detail: format!(
                "median over {} with `raised` and `decided`",
                count(latencies.len(), "decision")
            ),
            definition: "Median days from `raised` to `decided` of decisions that were decided.".to_owned(),
        },
        Kpi {
            id: "readiness-compliance",
            name: "Readiness compliance of launches",
            value: share(compliant, launches),
            unit: "share",
            numerator: Some(compliant),
            denominator: launches,
            detail: format!("{compliant} of {launches} done launches passed their gate"),
            definition: "Share of done launches whose gate items are all `done`, or `waived` with an approver. A launch without a gate does not comply.".to_owned(),
        },
        Kpi {
            id: "launch-success-rate",
            name: "Launch success rate",
            value: share(successful, with_outcome),
            unit: "share",
            numerator: Some(successful),
            denominator: with_outcome,
            detail: format!(
                "{successful} of {with_outcome} done launches with a recorded outcome had no sev1 or sev2 incident and no rollback within {LAUNCH_WINDOW_DAYS} days; {} without an outcome",
                count(no_outcome, "launch")
            ),
            definition: format!("Share of done launches with an `outcome` that had no `sev1` or `sev2` incident and no `rolled_back` within {LAUNCH_WINDOW_DAYS} days of going live (`outcome.launched`, else `completed`). Launches without an outcome are not counted."),
        },
        Kpi {
            id: "change-failure-rate",
            name: "Change failure rate (launches)",
            value: share(failed, with_outcome),
            unit: "share",
            numerator: Some(failed),
            denominator: with_outcome,
            detail: format!("{failed} of {with_outcome} done launches with a recorded outcome caused an incident or a rollback"),
            definition: "Share of done launches with an `outcome` that caused any incident or a rollback.".to_owned(),
        },
        Kpi {
            id: "benefits-realisation",
            name: "Benefits realisation",
            value: share(realised, launched_programs),
            unit: "share",
            numerator: Some(realised),
            denominator: launched_programs,
            detail: format!("{realised} of {} (done, or with a done launch) have success metrics, all validated after launch", count(launched_programs, "launched program")),
            definition: "Share of programs that are done or have a done launch (not cancelled) whose charter has success metrics and every one has a `validated` date on or before the as-of date.".to_owned(),
        },
        Kpi {
            id: "cost-of-delay-visibility",
            name: "Cost-of-delay visibility",
            value: share(costed, strategic),
            unit: "share",
            numerator: Some(costed),
            denominator: strategic,
            detail: format!("{costed} of {} have a cost-of-delay estimate", count(strategic, "strategic program")),
            definition: "Share of programs marked `strategic: true` (not cancelled) with a `cost_of_delay` estimate.".to_owned(),
        },
    ]
}

/// Days after going live within which a sev1/sev2 incident or a rollback makes a launch
/// unsuccessful.
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
