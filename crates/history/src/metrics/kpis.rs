//! The KPIs themselves, each with its definition: computed from the portfolio at the
//! measured commit, its plan, and what the walk mined from history.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};
use milepost_load::Portfolio;
use milepost_model::Named;
use milepost_model::{
    DependencyStatus, Impact, IncidentSeverity, MilestoneKind, MilestoneStatus, ProgramStatus,
    ReadinessStatus,
};
use milepost_plan::{Calendar, MilestoneKey, PortfolioPlan, calendar_of};

use super::{
    Counted, FORECAST_HORIZON_DAYS, Kpi, Mined, Point, Prediction, control_chart, count, fmt_days,
    median, targets,
};

/// Everything the KPIs read.
pub(super) struct Inputs<'a> {
    pub portfolio: &'a Portfolio,
    pub plan: &'a PortfolioPlan,
    pub baselines: &'a HashMap<String, NaiveDate>,
    pub mined: &'a Mined,
    pub predictions: &'a HashMap<String, Prediction>,
    pub as_of: NaiveDate,
    pub tolerance: i64,
    pub launch_window: i64,
    pub dependency_window: i64,
}

/// Weeks in a quarter, for throughput.
const QUARTER_WEEKS: i64 = 13;

fn kpi(id: &str, name: &str, unit: &'static str, source: &'static str, definition: String) -> Kpi {
    Kpi {
        id: id.to_owned(),
        name: name.to_owned(),
        value: None,
        unit,
        numerator: None,
        denominator: 0,
        detail: String::new(),
        definition,
        source,
        target: None,
        status: "no-data",
        entities: Vec::new(),
        series: Vec::new(),
        control: None,
    }
}

/// Sets a share KPI's numbers from its entities (those with `met` set).
fn shared(mut k: Kpi, entities: Vec<Counted>) -> Kpi {
    let counted = entities.iter().filter(|e| e.met.is_some()).count();
    let met = entities.iter().filter(|e| e.met == Some(true)).count();
    k.numerator = Some(met);
    k.denominator = counted;
    k.value = (counted > 0).then(|| met as f64 / counted as f64);
    k.entities = entities;
    k
}

/// Sets a median KPI's numbers from its entities' values.
fn medianed(mut k: Kpi, entities: Vec<Counted>) -> Kpi {
    let mut values: Vec<i64> = entities
        .iter()
        .filter_map(|e| e.value)
        .map(|v| v as i64)
        .collect();
    k.value = median(&mut values);
    k.denominator = entities.len();
    k.entities = entities;
    k
}

fn counted(entity: String, value: Option<f64>, met: Option<bool>, note: String) -> Counted {
    Counted {
        entity,
        value,
        met,
        note: (!note.is_empty()).then_some(note),
    }
}

fn median_f(values: &[f64]) -> Option<f64> {
    let mut v: Vec<i64> = values.iter().map(|x| x.round() as i64).collect();
    median(&mut v)
}

/// A series point for the week ending `end`.
fn week_point(end: NaiveDate, value: f64) -> Point {
    let week = end.iso_week();
    Point {
        date: end,
        label: format!("{}-W{:02}", week.year(), week.week()),
        value,
    }
}

impl Inputs<'_> {
    /// The KPIs of the programs `in_scope`; with `portfolio_wide`, the scorecard.yaml KPIs
    /// as well.
    pub fn compute(&self, in_scope: &dyn Fn(&str) -> bool, portfolio_wide: bool) -> Vec<Kpi> {
        let calendar = calendar_of(self.portfolio);
        let c = &calendar;
        let live: Vec<usize> = self
            .portfolio
            .programs
            .iter()
            .enumerate()
            .filter(|(_, p)| in_scope(&p.id))
            .map(|(i, _)| i)
            .collect();
        // The table's "across strategic programs": the strategic ones when any is marked.
        let any_strategic = live.iter().any(|&i| {
            let p = &self.portfolio.programs[i];
            p.charter.strategic && p.charter.status != ProgramStatus::Cancelled
        });
        let key_programs: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&i| !any_strategic || self.portfolio.programs[i].charter.strategic)
            .collect();
        let strategic_note = if any_strategic {
            "strategic programs"
        } else {
            "every program (none is marked strategic)"
        };
        let mut out = vec![
            self.milestone_variance(c, &key_programs, strategic_note),
            self.on_time_delivery(c, &live),
            self.scope_change_rate(in_scope),
            self.dependency_aging(&live),
            self.risk_burn_down(&live),
            self.risk_exposure(&live, in_scope),
            self.escalation_cycle_time(c, &live),
            self.throughput(&live),
            self.cycle_time(c, &live),
            self.benefits_realisation(&live),
            self.launch_success_rate(&live),
            self.change_failure_rate(&live),
            self.readiness_compliance(&key_programs, strategic_note),
            self.cost_of_delay_visibility(&live),
            self.forecast_accuracy(c, &live),
            self.decision_latency(&live),
            self.target_drift(c, &live),
            self.milestone_on_time(c, &live),
            self.dependency_age_open(&live),
        ];
        if portfolio_wide {
            out.extend(self.scorecard());
        }
        let settings = &self.portfolio.settings.metrics;
        for k in &mut out {
            if k.target.is_none() {
                k.target = targets::resolve(&k.id, k.unit, settings, None);
            }
            k.status = targets::status(k.target.as_ref(), k.value, &k.series);
        }
        out
    }

    fn programs<'b>(
        &'b self,
        which: &'b [usize],
    ) -> impl Iterator<Item = (usize, &'b milepost_load::Program)> {
        which.iter().map(|&i| (i, &self.portfolio.programs[i]))
    }

    fn milestone_variance(&self, c: &Calendar, which: &[usize], over: &str) -> Kpi {
        let tol = self.tolerance;
        let mut entities = Vec::new();
        for (pi, program) in self.programs(which) {
            for (mi, m) in program.milestones.iter().enumerate() {
                let name = program.qualify(&m.id);
                if m.status == MilestoneStatus::Cancelled {
                    continue;
                }
                let Some(baseline) = self.baselines.get(&name).copied() else {
                    continue;
                };
                let (day, how) = if m.status == MilestoneStatus::Done {
                    match m.completed {
                        Some(d) => (d, "completed"),
                        None => continue,
                    }
                } else {
                    let key = MilestoneKey {
                        program: pi,
                        milestone: mi,
                    };
                    match self.plan.milestone(key) {
                        Some(row) => (row.earliest_finish, "forecast"),
                        None => continue,
                    }
                };
                let v = c.deadline_days_between(baseline, day);
                entities.push(counted(
                    name,
                    Some(v as f64),
                    Some(v.abs() <= tol),
                    format!("{how} {day}, baseline {baseline}"),
                ));
            }
        }
        let k = kpi(
            "milestone-variance",
            "Milestone variance (delivery predictability)",
            "share",
            "history",
            format!(
                "Share of milestones (not cancelled, with a baseline) of {over} whose actual date — `completed` when done, else the plan's forecast finish — is within ±{tol} business days of the baseline (each milestone's first committed target, or its target at `--baseline`). The portfolio delivery predictability of the TPM KPI framework: planned against actual milestone dates."
            ),
        );
        let mut k = shared(k, entities);
        let mut days: Vec<i64> = k
            .entities
            .iter()
            .filter_map(|e| e.value)
            .map(|v| v as i64)
            .collect();
        let worst = k
            .entities
            .iter()
            .max_by(|a, b| {
                let (x, y) = (a.value.unwrap_or(0.0).abs(), b.value.unwrap_or(0.0).abs());
                x.total_cmp(&y).then_with(|| b.entity.cmp(&a.entity))
            })
            .map_or_else(
                || "none".to_owned(),
                |e| format!("{} ({:+} work days)", e.entity, e.value.unwrap_or(0.0)),
            );
        k.detail = format!(
            "{} of {} within ±{tol} business days of the baseline (done by `completed`, open by forecast); median {}; worst {worst}",
            k.numerator.unwrap_or(0),
            k.denominator,
            fmt_days(median(&mut days), "work days"),
        );
        k
    }

    fn on_time_delivery(&self, c: &Calendar, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            if program.charter.status != ProgramStatus::Done {
                continue;
            }
            let id = program.id.clone();
            let Some(delivered) = program
                .milestones
                .iter()
                .filter(|m| m.status != MilestoneStatus::Cancelled)
                .filter_map(|m| m.completed)
                .max()
            else {
                entities.push(counted(
                    id,
                    None,
                    None,
                    "done, but no milestone has `completed`".to_owned(),
                ));
                continue;
            };
            let (committed, from_history) = match self.mined.committed_target.get(&id) {
                Some(t) => (Some(*t), true),
                None => (program.charter.target, false),
            };
            let Some(committed) = committed else {
                entities.push(counted(id, None, None, "no committed target".to_owned()));
                continue;
            };
            let revisions = self
                .mined
                .revisions
                .get(&id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let approved = revisions.iter().rev().find(|r| r.approved);
            let late = c.deadline_days_between(committed, delivered);
            let on_time = late <= 0
                || approved.is_some_and(|r| c.deadline_days_between(r.target, delivered) <= 0);
            let mut note = format!(
                "delivered {delivered}; committed {committed}{}",
                if from_history {
                    ""
                } else {
                    " (no commitment in history: the current target)"
                }
            );
            if let Some(r) = approved {
                let _ = write!(note, "; revised to {} in {} (approved)", r.target, r.commit);
            }
            let unapproved: Vec<String> = revisions
                .iter()
                .filter(|r| !r.approved)
                .map(|r| format!("{} in {}", r.target, r.commit))
                .collect();
            if !unapproved.is_empty() {
                let _ = write!(
                    note,
                    "; not counted, moved without an approved pull request: {}",
                    unapproved.join(", ")
                );
            }
            entities.push(counted(id, Some(late as f64), Some(on_time), note));
        }
        let k = kpi(
            "on-time-delivery",
            "On-time delivery (programs)",
            "share",
            "history",
            "Share of done programs delivered (their last milestone `completed`) by the committed date — the charter target when the program was committed (first `active`, or at `--baseline`) — or by a revised target whose change came through change control: a commit with a pull request number and an `Approved-by` trailer. A target moved without approval does not count.".to_owned(),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} delivered by the committed or an approved revised date",
            k.numerator.unwrap_or(0),
            count(k.denominator, "done program"),
        );
        k
    }

    fn scope_change_rate(&self, in_scope: &dyn Fn(&str) -> bool) -> Kpi {
        let mined = self.mined;
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
        let programs = mined.committed_lines.keys().filter(|p| in_scope(p)).count();
        let mut k = kpi(
            "scope-change-rate",
            "Scope change rate after commitment",
            "ratio",
            "history",
            "Scope lines (a charter's `scope.in` and `scope.out`, its milestones' `deliverables`) added or removed after the program was committed, divided by the scope lines at commitment. A program is committed from the first commit in which its status is `active` (with `--baseline`: from the baseline commit).".to_owned(),
        );
        k.value = (committed > 0).then(|| churn as f64 / committed as f64);
        k.numerator = Some(churn);
        k.denominator = committed;
        k.entities = mined
            .committed_lines
            .iter()
            .filter(|(p, _)| in_scope(p))
            .map(|(p, n)| {
                let changed = mined.changed_lines.get(p).copied().unwrap_or(0);
                counted(
                    p.clone(),
                    (*n > 0).then(|| changed as f64 / *n as f64),
                    None,
                    format!("{changed} of {n} scope lines changed"),
                )
            })
            .collect();
        k.detail = format!(
            "{} added or removed after commitment, against {committed} at commitment, over {}",
            count(churn, "scope line"),
            count(programs, "committed program")
        );
        k
    }

    /// When a dependency was identified: `raised`, else the day it was first committed.
    fn identified(&self, name: &str, raised: Option<NaiveDate>) -> Option<NaiveDate> {
        raised.or_else(|| self.mined.created.get(name).copied())
    }

    fn dependency_aging(&self, which: &[usize]) -> Kpi {
        let window = self.dependency_window;
        let mut entities = Vec::new();
        let mut open_ages = Vec::new();
        for (_, program) in self.programs(which) {
            for d in &program.dependencies {
                if d.status == DependencyStatus::Cancelled {
                    continue;
                }
                let name = program.qualify(&d.id);
                let Some(raised) = self.identified(&name, d.raised) else {
                    continue;
                };
                if raised > self.as_of {
                    continue;
                }
                let resolved = if d.status == DependencyStatus::Delivered {
                    d.delivered
                        .or_else(|| self.mined.delivered.get(&name).copied())
                } else {
                    None
                };
                match resolved {
                    Some(day) if day <= self.as_of => {
                        let age = (day - raised).num_days();
                        entities.push(counted(
                            name,
                            Some(age as f64),
                            Some(age <= window),
                            format!("raised {raised}, resolved {day}"),
                        ));
                    }
                    _ if d.status == DependencyStatus::Delivered && resolved.is_none() => {
                        entities.push(counted(
                            name,
                            None,
                            None,
                            "delivered, but neither `delivered` nor history says when".to_owned(),
                        ));
                    }
                    _ => {
                        let age = (self.as_of - raised).num_days();
                        open_ages.push(age);
                        let late = age > window;
                        entities.push(counted(
                            name,
                            Some(age as f64),
                            late.then_some(false),
                            if late {
                                format!("raised {raised}, unresolved after {age} days")
                            } else {
                                format!("raised {raised}, unresolved, still within the window")
                            },
                        ));
                    }
                }
            }
        }
        let k = kpi(
            "dependency-aging",
            "Dependency aging (resolved within the window)",
            "share",
            "history",
            format!(
                "Share of dependencies (not cancelled, raised by the as-of date) resolved within {window} days of being identified (`raised`, else the day first committed), resolution being `delivered` (or the day history first shows `status: delivered`). A dependency still open after {window} days counts as missed; one still within its window is not counted yet. The detail gives the median age of the unresolved."
            ),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} resolved within {window} days; median age of the {} unresolved: {}",
            k.numerator.unwrap_or(0),
            count(k.denominator, "dependency"),
            open_ages.len(),
            fmt_days(median(&mut open_ages), "days"),
        );
        k
    }

    fn dependency_age_open(&self, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for d in &program.dependencies {
                if !d.is_open() {
                    continue;
                }
                let name = program.qualify(&d.id);
                if let Some(raised) = self.identified(&name, d.raised)
                    && raised <= self.as_of
                {
                    let age = (self.as_of - raised).num_days();
                    entities.push(counted(
                        name,
                        Some(age as f64),
                        None,
                        format!("raised {raised}"),
                    ));
                }
            }
        }
        let worst = entities
            .iter()
            .max_by(|a, b| {
                a.value
                    .unwrap_or(0.0)
                    .total_cmp(&b.value.unwrap_or(0.0))
                    .then_with(|| b.entity.cmp(&a.entity))
            })
            .map_or_else(
                || "none".to_owned(),
                |e| format!("{} ({} days)", e.entity, e.value.unwrap_or(0.0)),
            );
        let mut k = kpi(
            "dependency-age-open",
            "Age of open dependencies",
            "days",
            "history",
            "Median age in days, as of the as-of date, of dependencies not delivered or cancelled, from `raised` (or the day the dependency was first committed); a dependency raised after the as-of date is not counted. (Before milepost 0.2 this was `dependency-aging`.)".to_owned(),
        );
        k.detail = format!(
            "median over {}; worst {worst}",
            count(entities.len(), "open dependency")
        );
        medianed(k, entities)
    }

    fn risk_burn_down(&self, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for r in &program.risks {
                if r.is_live() && r.impact >= Impact::High {
                    let has = |t: Option<&String>| t.is_some_and(|t| !t.trim().is_empty());
                    let mut lacks = Vec::new();
                    if r.owner.is_none() {
                        lacks.push("owner");
                    }
                    if !has(r.mitigation.as_ref()) {
                        lacks.push("mitigation");
                    }
                    if r.due.is_none() {
                        lacks.push("due date");
                    }
                    entities.push(counted(
                        program.qualify(&r.id),
                        Some(f64::from(r.score())),
                        Some(lacks.is_empty()),
                        if lacks.is_empty() {
                            String::new()
                        } else {
                            format!("no {}", lacks.join(", no "))
                        },
                    ));
                }
            }
        }
        let k = kpi(
            "risk-burn-down",
            "Risk burn-down effectiveness",
            "share",
            "plan",
            "Share of open or mitigating risks of high or critical impact that have an `owner`, a `mitigation` and a `due` date.".to_owned(),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} live high/critical risks have an owner, a mitigation and a due date",
            k.numerator.unwrap_or(0),
            k.denominator
        );
        k
    }

    fn risk_exposure(&self, which: &[usize], in_scope: &dyn Fn(&str) -> bool) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for r in program.risks.iter().filter(|r| r.is_live()) {
                entities.push(counted(
                    program.qualify(&r.id),
                    Some(f64::from(r.score())),
                    None,
                    format!(
                        "{} probability, {} impact",
                        r.probability.as_str(),
                        r.impact.as_str()
                    ),
                ));
            }
        }
        // `+ 0.0`: an empty float sum is -0.
        let total: f64 = entities.iter().filter_map(|e| e.value).sum::<f64>() + 0.0;
        let events: Vec<&(NaiveDate, String, i64)> = self
            .mined
            .exposure
            .iter()
            .filter(|(_, e, _)| in_scope(e.split('/').next().unwrap_or_default()))
            .collect();
        let history_starts = self.mined.commits.first().map(|(d, _)| *d);
        let series: Vec<Point> = if events.is_empty() {
            Vec::new()
        } else {
            (0..QUARTER_WEEKS)
                .rev()
                .filter(|k| history_starts.is_some_and(|s| self.as_of - Duration::days(7 * k) >= s))
                .map(|k| {
                    let end = self.as_of - Duration::days(7 * k);
                    let v: i64 = events
                        .iter()
                        .filter(|(d, _, _)| *d <= end)
                        .map(|(_, _, s)| s)
                        .sum();
                    week_point(end, v as f64)
                })
                .collect()
        };
        let mut k = kpi(
            "risk-exposure",
            "Risk exposure",
            "score",
            "history",
            "The sum of the scores (probability × impact, 1–12) of open and mitigating risks; the series is the same sum at the end of each of the last 13 weeks, replayed from history (the burn-down).".to_owned(),
        );
        k.value = Some(total);
        k.denominator = entities.len();
        k.detail = match (
            series.first(),
            series.iter().map(|p| p.value).reduce(f64::max),
        ) {
            (Some(first), Some(peak)) => format!(
                "{} live risks scoring {total}; {} at {}, peak {peak} over 13 weeks",
                entities.len(),
                first.value,
                first.label
            ),
            _ => format!(
                "{} live risks scoring {total}; no history to draw the burn-down",
                entities.len()
            ),
        };
        k.entities = entities;
        k.series = series;
        k
    }

    fn escalation_cycle_time(&self, c: &Calendar, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        let mut open = 0usize;
        for (_, program) in self.programs(which) {
            for i in &program.issues {
                match (i.escalated_on, i.resolved) {
                    (Some(e), Some(r)) => {
                        let days = c.workdays_between(e, r);
                        entities.push(counted(
                            program.qualify(&i.id),
                            Some(days as f64),
                            None,
                            format!("escalated {e}, resolved {r}"),
                        ));
                    }
                    (Some(_), None) => open += 1,
                    _ => {}
                }
            }
        }
        let mut k = kpi(
            "escalation-cycle-time",
            "Escalation cycle time",
            "work days",
            "plan",
            "Median business days from `escalated_on` to `resolved` of escalated issues that are resolved.".to_owned(),
        );
        k.detail = format!(
            "median over {}; {} still open",
            count(entities.len(), "resolved escalation"),
            count(open, "escalation")
        );
        medianed(k, entities)
    }

    /// Milestones that cross programs: depended on by, or depending on, another program.
    fn cross_program(&self) -> HashSet<String> {
        let mut out = HashSet::new();
        for program in &self.portfolio.programs {
            for m in &program.milestones {
                for r in &m.depends_on {
                    if let Some(parts) = r.parts()
                        && let Some(other) = parts.program
                        && other != program.id.as_str()
                    {
                        out.insert(program.qualify(&m.id));
                        out.insert(format!("{other}/{}", parts.id));
                    }
                }
            }
        }
        out
    }

    fn throughput(&self, which: &[usize]) -> Kpi {
        let start = self.as_of - Duration::days(7 * QUARTER_WEEKS);
        let cross = self.cross_program();
        let mut entities = Vec::new();
        let mut done: Vec<NaiveDate> = Vec::new();
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                if m.status != MilestoneStatus::Done {
                    continue;
                }
                let Some(day) = m.completed else { continue };
                if day > self.as_of {
                    continue;
                }
                done.push(day);
                if day > start {
                    let name = program.qualify(&m.id);
                    let note = format!(
                        "completed {day}, {} work days{}",
                        m.duration.days(),
                        if cross.contains(&name) {
                            ", cross-program"
                        } else {
                            ""
                        }
                    );
                    entities.push(counted(
                        name,
                        Some(f64::from(m.duration.days())),
                        None,
                        note,
                    ));
                }
            }
        }
        let series = (0..QUARTER_WEEKS)
            .rev()
            .map(|k| {
                let end = self.as_of - Duration::days(7 * k);
                let begin = end - Duration::days(7);
                week_point(
                    end,
                    done.iter().filter(|d| **d > begin && **d <= end).count() as f64,
                )
            })
            .collect();
        let size: f64 = entities.iter().filter_map(|e| e.value).sum::<f64>() + 0.0;
        let crossing = entities
            .iter()
            .filter(|e| cross.contains(&e.entity))
            .count();
        let mut k = kpi(
            "throughput",
            "Throughput",
            "count",
            "plan",
            "Milestones completed (`status: done`, `completed`) in the 13 weeks up to the as-of date — a quarter; normalised by size, the sum of their `duration` in work days. Every milestone is a deliverable one team hands to others; the detail counts those that cross programs (`depends_on` another program, or depended on by one). The series counts completions per week (the run chart).".to_owned(),
        );
        k.value = Some(entities.len() as f64);
        k.denominator = entities.len();
        k.detail = format!(
            "{} ({size} work days of planned effort, {crossing} cross-program) in the 13 weeks to {}",
            count(entities.len(), "milestone"),
            self.as_of
        );
        k.entities = entities;
        k.series = series;
        k
    }

    fn cycle_time(&self, c: &Calendar, which: &[usize]) -> Kpi {
        let mut points = Vec::new();
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                let (MilestoneStatus::Done, Some(started), Some(completed)) =
                    (m.status, m.started, m.completed)
                else {
                    continue;
                };
                if completed > self.as_of || completed < started {
                    continue;
                }
                let days = (c.end_index_of(completed) - c.index_of(started)) as f64;
                let name = program.qualify(&m.id);
                points.push((name.clone(), completed, days));
                entities.push(counted(
                    name,
                    Some(days),
                    None,
                    format!("started {started}, completed {completed}"),
                ));
            }
        }
        let values: Vec<f64> = points.iter().map(|p| p.2).collect();
        let chart = control_chart(points);
        let mut k = kpi(
            "cycle-time",
            "Milestone cycle time",
            "work days",
            "plan",
            "Median work days from a done milestone's `started` to its `completed` (both days counted). The control chart plots each one by completion day against the mean and limits three sample standard deviations either side (the lower limit not below 0); points outside are flagged.".to_owned(),
        );
        k.value = median_f(&values);
        k.denominator = values.len();
        k.detail = match &chart {
            Some(ch) => format!(
                "median over {}; mean {:.1}, limits {:.1}–{:.1} work days; {} outside",
                count(values.len(), "done milestone"),
                ch.mean,
                ch.lower,
                ch.upper,
                ch.points.iter().filter(|p| p.outside).count()
            ),
            None => format!(
                "median over {} with `started` and `completed`",
                count(values.len(), "done milestone")
            ),
        };
        k.entities = entities;
        k.control = chart;
        k
    }

    fn benefits_realisation(&self, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            if program.charter.status == ProgramStatus::Cancelled {
                continue;
            }
            let launched = program.charter.status == ProgramStatus::Done
                || program
                    .milestones
                    .iter()
                    .any(|m| m.kind == MilestoneKind::Launch && m.status == MilestoneStatus::Done);
            if !launched {
                continue;
            }
            let metrics = &program.charter.success_metrics;
            let validated = metrics
                .iter()
                .filter(|m| m.validated.is_some_and(|v| v <= self.as_of))
                .count();
            entities.push(counted(
                program.id.clone(),
                None,
                Some(!metrics.is_empty() && validated == metrics.len()),
                if metrics.is_empty() {
                    "no success metrics".to_owned()
                } else {
                    format!("{validated} of {} success metrics validated", metrics.len())
                },
            ));
        }
        let k = kpi(
            "benefits-realisation",
            "Benefits realisation",
            "share",
            "plan",
            "Share of programs that are done or have a done launch (not cancelled) whose charter has success metrics and every one has a `validated` date on or before the as-of date.".to_owned(),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} (done, or with a done launch) have success metrics, all validated after launch",
            k.numerator.unwrap_or(0),
            count(k.denominator, "launched program")
        );
        k
    }

    /// Done launches with their go-live day and outcome: `(name, day, outcome)`.
    fn launches<'b>(
        &'b self,
        which: &'b [usize],
    ) -> (
        Vec<(String, NaiveDate, &'b milepost_model::LaunchOutcome)>,
        usize,
    ) {
        let mut out = Vec::new();
        let mut without = 0;
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                if m.kind != MilestoneKind::Launch || m.status != MilestoneStatus::Done {
                    continue;
                }
                match (
                    &m.outcome,
                    m.outcome.as_ref().and_then(|o| o.launched).or(m.completed),
                ) {
                    (Some(o), Some(day)) => out.push((program.qualify(&m.id), day, o)),
                    _ => without += 1,
                }
            }
        }
        (out, without)
    }

    fn launch_success_rate(&self, which: &[usize]) -> Kpi {
        let window = self.launch_window;
        let (launches, without) = self.launches(which);
        let entities = launches
            .into_iter()
            .map(|(name, day, o)| {
                let end = day + Duration::days(window);
                let within = |d: NaiveDate| d >= day && d <= end;
                let severe: Vec<String> = o
                    .incidents
                    .iter()
                    .filter(|i| i.severity <= IncidentSeverity::Sev2 && within(i.date))
                    .map(|i| format!("{} on {}", i.severity.as_str(), i.date))
                    .collect();
                let rollback = o.rolled_back.filter(|d| within(*d));
                let mut why = severe.clone();
                if let Some(d) = rollback {
                    why.push(format!("rolled back {d}"));
                }
                counted(
                    name,
                    None,
                    Some(why.is_empty()),
                    if why.is_empty() {
                        format!("live {day}")
                    } else {
                        format!("live {day}; {}", why.join(", "))
                    },
                )
            })
            .collect();
        let k = kpi(
            "launch-success-rate",
            "Launch success rate",
            "share",
            "plan",
            format!(
                "Share of done launches with an `outcome` that had no `sev1` or `sev2` incident and no `rolled_back` within {window} days of going live (`outcome.launched`, else `completed`). Launches without an outcome are not counted."
            ),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} done launches with a recorded outcome had no sev1 or sev2 incident and no rollback within {window} days; {} without an outcome",
            k.numerator.unwrap_or(0),
            k.denominator,
            count(without, "launch")
        );
        k
    }

    fn change_failure_rate(&self, which: &[usize]) -> Kpi {
        let (launches, _) = self.launches(which);
        let failed =
            |o: &milepost_model::LaunchOutcome| !o.incidents.is_empty() || o.rolled_back.is_some();
        // Per quarter of going live, the last four up to the as-of date.
        let mut series = Vec::new();
        let mut end = self.as_of;
        for _ in 0..4 {
            let q = (end.month() - 1) / 3;
            let start = NaiveDate::from_ymd_opt(end.year(), q * 3 + 1, 1).unwrap_or(end);
            let inside: Vec<bool> = launches
                .iter()
                .filter(|(_, d, _)| *d >= start && *d <= end)
                .map(|(_, _, o)| failed(o))
                .collect();
            if !inside.is_empty() {
                series.push(Point {
                    date: end,
                    label: format!("{}-Q{}", end.year(), q + 1),
                    value: inside.iter().filter(|f| **f).count() as f64 / inside.len() as f64,
                });
            }
            match start.pred_opt() {
                Some(d) => end = d,
                None => break,
            }
        }
        series.reverse();
        let entities = launches
            .iter()
            .map(|(name, day, o)| {
                let mut why: Vec<String> = o
                    .incidents
                    .iter()
                    .map(|i| format!("{} on {}", i.severity.as_str(), i.date))
                    .collect();
                if let Some(d) = o.rolled_back {
                    why.push(format!("rolled back {d}"));
                }
                // `met` here is "did not fail": the share is of failures.
                counted(
                    name.clone(),
                    None,
                    Some(failed(o)),
                    if why.is_empty() {
                        format!("live {day}, no incident")
                    } else {
                        format!("live {day}; {}", why.join(", "))
                    },
                )
            })
            .collect();
        let k = kpi(
            "change-failure-rate",
            "Change failure rate (launches)",
            "share",
            "plan",
            "Share of done launches with an `outcome` that caused any incident or a rollback (`met` on an entity means it failed). The series gives the rate per quarter of going live.".to_owned(),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} done launches with a recorded outcome caused an incident or a rollback",
            k.numerator.unwrap_or(0),
            k.denominator
        );
        k.series = series;
        k
    }

    fn readiness_compliance(&self, which: &[usize], over: &str) -> Kpi {
        let gates = &self.portfolio.settings.gates;
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                if m.kind != MilestoneKind::Launch || m.status != MilestoneStatus::Done {
                    continue;
                }
                let items = m
                    .gate
                    .as_deref()
                    .and_then(|g| gates.get(g))
                    .map(milepost_model::GateTemplate::items);
                let open: Vec<String> = items
                    .as_ref()
                    .map(|items| {
                        items
                            .iter()
                            .filter(|item| {
                                !m.readiness.get(item.id.as_str()).is_some_and(|r| {
                                    r.status == ReadinessStatus::Done
                                        || (r.status == ReadinessStatus::Waived
                                            && r.approver.is_some())
                                })
                            })
                            .map(|i| i.id.to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                let ok = items.is_some() && open.is_empty();
                entities.push(counted(
                    program.qualify(&m.id),
                    None,
                    Some(ok),
                    match (&m.gate, items.is_some(), open.is_empty()) {
                        (None, _, _) => "no readiness gate".to_owned(),
                        (Some(g), false, _) => format!("unknown gate `{g}`"),
                        (Some(g), true, true) => format!("passed `{g}`"),
                        (Some(g), true, false) => format!("`{g}` open: {}", open.join(", ")),
                    },
                ));
            }
        }
        let k = kpi(
            "readiness-compliance",
            "Production readiness compliance",
            "share",
            "plan",
            format!(
                "Share of done launches of {over} whose gate items are all `done`, or `waived` with an approver. A launch without a gate does not comply."
            ),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} done launches passed their gate",
            k.numerator.unwrap_or(0),
            k.denominator
        );
        k
    }

    fn cost_of_delay_visibility(&self, which: &[usize]) -> Kpi {
        let entities = self
            .programs(which)
            .filter(|(_, p)| p.charter.strategic && p.charter.status != ProgramStatus::Cancelled)
            .map(|(_, p)| {
                let cod = p.charter.cost_of_delay.as_ref();
                counted(
                    p.id.clone(),
                    cod.map(|c| c.per_week),
                    Some(cod.is_some()),
                    cod.map_or_else(
                        || "no cost-of-delay estimate".to_owned(),
                        |c| {
                            format!(
                                "{} {} per week",
                                c.per_week,
                                c.currency.as_deref().unwrap_or("")
                            )
                            .trim_end()
                            .to_owned()
                        },
                    ),
                )
            })
            .collect();
        let k = kpi(
            "cost-of-delay-visibility",
            "Cost-of-delay visibility",
            "share",
            "plan",
            "Share of programs marked `strategic: true` (not cancelled) with a `cost_of_delay` estimate.".to_owned(),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} have a cost-of-delay estimate",
            k.numerator.unwrap_or(0),
            count(k.denominator, "strategic program")
        );
        k
    }

    fn forecast_accuracy(&self, c: &Calendar, which: &[usize]) -> Kpi {
        let tol = self.tolerance;
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                let name = program.qualify(&m.id);
                let (Some(p), Some(completed)) = (self.predictions.get(&name), m.completed) else {
                    continue;
                };
                let error = c.deadline_days_between(p.finish, completed);
                entities.push(counted(
                    name,
                    Some(error as f64),
                    Some(error.abs() <= tol),
                    format!(
                        "planned {} on {} ({}), completed {completed}",
                        p.finish, p.said_on, p.commit
                    ),
                ));
            }
        }
        let k = kpi(
            "forecast-accuracy",
            "Forecast accuracy",
            "share",
            "history",
            format!(
                "Share of done milestones whose completion was within ±{tol} business days of the plan of record {FORECAST_HORIZON_DAYS} days before: the planned finish at the last commit on or before that day, planned as of that commit's day, while the milestone was still open. Milestones completed within {FORECAST_HORIZON_DAYS} days of the first commit are not counted."
            ),
        );
        let mut k = shared(k, entities);
        let mut errors: Vec<i64> = k
            .entities
            .iter()
            .filter_map(|e| e.value)
            .map(|v| (v as i64).abs())
            .collect();
        k.detail = format!(
            "{} of {} completed within ±{tol} business days of the plan {FORECAST_HORIZON_DAYS} days before; median error {}",
            k.numerator.unwrap_or(0),
            count(k.denominator, "done milestone"),
            fmt_days(median(&mut errors), "work days"),
        );
        k
    }

    fn decision_latency(&self, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for d in &program.decisions {
                if let (Some(raised), Some(decided)) = (d.raised, d.decided) {
                    entities.push(counted(
                        program.qualify(&d.id),
                        Some((decided - raised).num_days() as f64),
                        None,
                        format!("raised {raised}, decided {decided}"),
                    ));
                }
            }
        }
        let mut k = kpi(
            "decision-latency",
            "Decision latency",
            "days",
            "plan",
            "Median days from `raised` to `decided` of decisions that were decided.".to_owned(),
        );
        k.detail = format!(
            "median over {} with `raised` and `decided`",
            count(entities.len(), "decision")
        );
        medianed(k, entities)
    }

    fn target_drift(&self, c: &Calendar, which: &[usize]) -> Kpi {
        let tol = self.tolerance;
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                let name = program.qualify(&m.id);
                if m.status == MilestoneStatus::Cancelled {
                    continue;
                }
                let actual = if m.status == MilestoneStatus::Done {
                    m.completed.or(m.target)
                } else {
                    m.target
                };
                if let (Some(b), Some(a)) = (self.baselines.get(&name).copied(), actual) {
                    let v = c.deadline_days_between(b, a);
                    entities.push(counted(
                        name,
                        Some(v as f64),
                        Some(v.abs() <= tol),
                        String::new(),
                    ));
                }
            }
        }
        let k = kpi(
            "target-drift",
            "Target drift",
            "share",
            "history",
            format!(
                "Share of milestones (not cancelled) whose current date — `completed` when done, else `target` — is within ±{tol} work days of the baseline target: how far commitments moved, not whether the plan meets them. (Before milepost 0.2 this was `milestone-variance`.)"
            ),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} within ±{tol} work days",
            k.numerator.unwrap_or(0),
            k.denominator
        );
        k
    }

    fn milestone_on_time(&self, c: &Calendar, which: &[usize]) -> Kpi {
        let mut entities = Vec::new();
        for (_, program) in self.programs(which) {
            for m in &program.milestones {
                let name = program.qualify(&m.id);
                if m.status != MilestoneStatus::Done {
                    continue;
                }
                if let (Some(b), Some(done)) = (self.baselines.get(&name).copied(), m.completed) {
                    let v = c.deadline_days_between(b, done);
                    entities.push(counted(
                        name,
                        Some(v as f64),
                        Some(v <= 0),
                        format!("baseline {b}, completed {done}"),
                    ));
                }
            }
        }
        let k = kpi(
            "milestone-on-time",
            "On-time delivery (milestones)",
            "share",
            "history",
            "Share of done milestones (with `completed` and a baseline) completed on or before their baseline target. (Before milepost 0.2 this was `on-time-delivery`.)".to_owned(),
        );
        let mut k = shared(k, entities);
        k.detail = format!(
            "{} of {} done milestones completed by their baseline target",
            k.numerator.unwrap_or(0),
            k.denominator
        );
        k
    }

    /// The KPIs of scorecard.yaml: each one's latest value on or before the as-of date.
    fn scorecard(&self) -> Vec<Kpi> {
        let settings = &self.portfolio.settings.metrics;
        self.portfolio
            .scorecard
            .iter()
            .map(|e| {
                let mut values: Vec<&milepost_model::DatedValue> =
                    e.values.iter().filter(|v| v.date <= self.as_of).collect();
                values.sort_by_key(|v| v.date);
                let unit = e.unit.as_str();
                let mut k = kpi(
                    &e.id,
                    &e.name,
                    unit,
                    "scorecard",
                    e.source.clone().unwrap_or_else(|| {
                        "Measured outside the plan, recorded in scorecard.yaml.".to_owned()
                    }),
                );
                k.value = values.last().map(|v| v.value);
                k.denominator = values.len();
                k.detail = match values.as_slice() {
                    [] => "no measurement on or before the as-of date".to_owned(),
                    [.., last] => {
                        let mut d = format!("measured {}", last.date);
                        if let Some(n) = &last.note {
                            let _ = write!(d, " ({n})");
                        }
                        if values.len() > 1 {
                            let prev = values[values.len() - 2];
                            let _ = write!(
                                d,
                                "; previously {} on {}",
                                targets::show(prev.value, unit),
                                prev.date
                            );
                        }
                        d
                    }
                };
                k.series = values
                    .iter()
                    .map(|v| Point {
                        date: v.date,
                        label: v.date.to_string(),
                        value: v.value,
                    })
                    .collect();
                k.target = targets::resolve(&e.id, unit, settings, e.target);
                k
            })
            .collect()
    }
}
