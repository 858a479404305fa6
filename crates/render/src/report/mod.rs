//! The data every template reads: plain serializable structs, built from an [`Analysis`].
//!
//! Templates only lay out; every number, sort order and judgement is made here, in Rust,
//! where it is tested. The field names are the template context documented in
//! `templates/README.md` (a user's own templates rely on them: add fields freely, rename
//! none). Missing values are `None` and render as `—`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use milepost_load::{Located, Severity};
use milepost_model::{
    AssumptionStatus, DecisionOption, DecisionStatus, DependencyStatus, Impact, IssueStatus,
    MetricValue, MilestoneStatus, Named, ReadinessStatus,
};

use crate::analysis::Analysis;
use crate::status::{self, Evidence};

/// How many entries the short lists of a summary keep (next milestones, top risks).
pub const SHORT_LIST: usize = 5;

mod review;
mod scorecard;
mod summary;
mod views;

pub use review::{ActionRow, DeliveryRow, KpiRow, Period, PeriodKind, Review, ReviewHistory};
pub(crate) use scorecard::ScorecardCharts;
pub use scorecard::{ControlPointView, ControlView, PointView, ScorecardView, TrendView};
pub use summary::{ChangesView, DriverView, LaunchView, OpenItem, SlipCause, UpdateView};
pub use views::*;

fn age(from: Option<NaiveDate>, to: NaiveDate) -> Option<i64> {
    from.map(|f| (to - f).num_days())
}

/// The band of a risk score (1–12).
pub fn severity_band(score: u8) -> &'static str {
    match score {
        0..=2 => "low",
        3..=4 => "medium",
        5..=8 => "high",
        _ => "critical",
    }
}

fn metric_text(v: &MetricValue) -> String {
    match v {
        MetricValue::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            }
        }
        MetricValue::Text(t) => t.clone(),
    }
}

/// Strips the program's own prefix from a `program/id` (other programs' ids stay qualified).
fn local(program: &str, qid: &str) -> String {
    qid.strip_prefix(program)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(qid)
        .to_owned()
}

impl Analysis<'_> {
    fn who(&self, id: &str, role: Option<String>) -> Who {
        let person_role = self
            .portfolio
            .people
            .iter()
            .find(|p| p.id.as_str() == id)
            .and_then(|p| p.role.clone());
        Who {
            id: id.to_owned(),
            name: self.name_of(id),
            role: role.or(person_role),
        }
    }

    fn opt_name(&self, id: Option<&milepost_model::PersonRef>) -> Option<String> {
        id.map(|i| self.name_of(i))
    }

    fn names(&self, ids: &[milepost_model::PersonRef]) -> Vec<String> {
        ids.iter().map(|i| self.name_of(i)).collect()
    }

    fn risk_view(&self, program: &str, r: &milepost_model::Risk, qualify: bool) -> RiskView {
        let score = r.score();
        RiskView {
            id: if qualify {
                format!("{program}/{}", r.id)
            } else {
                r.id.to_string()
            },
            program: program.to_owned(),
            title: r.title.clone(),
            owner: self.opt_name(r.owner.as_ref()),
            probability: r.probability.as_str(),
            impact: r.impact.as_str(),
            score,
            severity: severity_band(score),
            status: r.status,
            live: r.is_live(),
            mitigation: r.mitigation.clone(),
            contingency: r.contingency.clone(),
            due: r.due,
            raised: r.raised,
            reviewed: r.reviewed,
            age_days: age(r.raised, self.as_of),
            accepted_by: self.opt_name(r.accepted_by.as_ref()),
            milestones: r.milestones.iter().map(ToString::to_string).collect(),
        }
    }

    fn dependency_view(
        &self,
        program: &str,
        d: &milepost_model::Dependency,
        qualify: bool,
    ) -> DependencyView {
        let qid = format!("{program}/{}", d.id);
        let flagged = |rule: &str| {
            self.findings
                .iter()
                .any(|f| f.rule == rule && f.entity.as_deref() == Some(qid.as_str()))
        };
        let attention = if !d.is_open() {
            None
        } else if flagged("dependency-late") {
            Some(format!(
                "late: needed by {}",
                d.needed_by.map_or_else(String::new, |n| n.to_string())
            ))
        } else if flagged("dependency-aging") {
            Some(format!(
                "no commitment after {} days",
                age(d.raised, self.as_of).unwrap_or(0)
            ))
        } else if d.status == DependencyStatus::AtRisk {
            Some("provider reports it at risk".to_owned())
        } else {
            None
        };
        DependencyView {
            id: if qualify {
                qid.clone()
            } else {
                d.id.to_string()
            },
            program: program.to_owned(),
            title: d.title.clone(),
            provider: self.opt_name(d.provider.as_ref()),
            owner: self.opt_name(d.owner.as_ref()),
            needed_by: d.needed_by,
            raised: d.raised,
            age_days: age(d.raised, self.as_of),
            status: d.status,
            open: d.is_open(),
            delivered: d.delivered,
            milestone: d.milestone.as_ref().map(ToString::to_string),
            attention,
        }
    }

    fn decision_view(&self, program: &str, d: &milepost_model::Decision) -> DecisionView {
        DecisionView {
            id: d.id.to_string(),
            program: program.to_owned(),
            title: d.title.clone(),
            status: d.status,
            owner: self.opt_name(d.owner.as_ref()),
            context: d.context.clone(),
            raised: d.raised,
            needed_by: d.needed_by,
            age_days: age(d.raised, self.as_of),
            overdue: d.status == DecisionStatus::Proposed
                && d.needed_by.is_some_and(|n| n < self.as_of),
            options: d
                .options
                .iter()
                .map(|o| match o {
                    DecisionOption::Title(t) => t.clone(),
                    DecisionOption::Detailed(d) => d.title.clone(),
                })
                .collect(),
        }
    }

    fn p_finish(&self, program: usize) -> (Option<NaiveDate>, Option<NaiveDate>) {
        self.forecast
            .and_then(|f| f.groups.get(program))
            .and_then(|g| g.finish)
            .map_or((None, None), |p| (Some(p.p50), Some(p.p80)))
    }

    /// The forecast's chance of meeting the program's charter target, as a percentage.
    fn p_on_time(&self, program: usize) -> Option<String> {
        self.forecast
            .and_then(|f| f.groups.get(program))
            .and_then(|g| g.on_time_probability)
            .map(milepost_plan::percent)
    }

    /// The full report of one program (an index into `portfolio.programs`).
    pub fn program_report(&self, index: usize) -> ProgramReport {
        let program = &self.portfolio.programs[index];
        let pid = program.id.as_str();
        let charter = &program.charter;
        let view = self.view(Some(index));
        let milestones = self.milestone_views(index, &view);
        let open = |m: &&MilestoneView| {
            matches!(
                m.status,
                MilestoneStatus::Planned | MilestoneStatus::InProgress
            )
        };
        let mut next: Vec<MilestoneView> = milestones.iter().filter(open).cloned().collect();
        next.sort_by(|a, b| {
            a.finish
                .cmp(&b.finish)
                .then(a.target.cmp(&b.target))
                .then(a.id.cmp(&b.id))
        });
        next.truncate(SHORT_LIST);
        let mut slips: Vec<MilestoneView> = milestones
            .iter()
            .filter(open)
            .filter(|m| m.slip_days.is_some_and(|s| s > 0))
            .cloned()
            .collect();
        slips.sort_by(|a, b| b.slip_days.cmp(&a.slip_days).then(a.finish.cmp(&b.finish)));

        // The driving chain and its length.
        let chain_rows: Vec<&milepost_plan::PlanRow> = view
            .critical_path
            .iter()
            .filter_map(|q| self.row(q))
            .collect();
        let critical_path_days: i64 = chain_rows.iter().map(|r| i64::from(r.duration_days)).sum();
        let critical_path_remaining_days: i64 = chain_rows
            .iter()
            .filter(|r| r.status != MilestoneStatus::Done)
            .map(|r| i64::from(r.duration_days))
            .sum();

        let gates = self.gate_views(index);

        let raci = self.raci_views(index);

        let (risks, top_risks) = self.risk_views(index);

        let assumptions = self.assumption_views(index);

        let issues = self.issue_views(index);

        let (dependencies, aging_dependencies) = self.dependency_views(index);

        let decisions_needed = self.decisions_needed(index);

        let (findings, finding_counts) = self.finding_views(index);

        let finish = view.finish;
        let slip_days = match (finish, charter.target) {
            (Some(f), Some(t)) => Some(self.plan.calendar.deadline_days_between(t, f)),
            _ => None,
        };
        let (p50, p80) = self.p_finish(index);
        let slip_causes = self.slip_causes(pid, &milestones);
        let evidence = Evidence {
            lifecycle: charter.status,
            no_plan: self.plan.schedule.is_none(),
            overdue: milestones
                .iter()
                .filter(|m| m.overdue)
                .filter_map(|m| Some((m.id.clone(), m.target?)))
                .collect(),
            slips: slip_causes
                .iter()
                .filter(|c| !c.overdue || c.external)
                .filter_map(|c| {
                    let label = match c.delays.len() {
                        0 => c.id.clone(),
                        n => format!(
                            "{} (and the {n} milestone{} it delays)",
                            c.id,
                            if n == 1 { "" } else { "s" }
                        ),
                    };
                    Some((label, c.slip_days?))
                })
                .collect(),
            target: charter.target,
            finish,
            p80,
            risks: risks
                .iter()
                .filter(|r| r.live)
                .map(|r| (r.id.clone(), r.score))
                .collect(),
            escalated: issues
                .iter()
                .filter(|i| i.status == IssueStatus::Escalated)
                .map(|i| i.id.clone())
                .collect(),
            blocked: gates
                .iter()
                .filter(|g| g.milestone_status != MilestoneStatus::Done)
                .flat_map(|g| {
                    g.items
                        .iter()
                        .filter(|i| i.status == ReadinessStatus::Blocked)
                        .map(|i| (g.milestone.clone(), i.id.clone()))
                })
                .collect(),
            dependencies: aging_dependencies
                .iter()
                .filter_map(|d| Some((d.id.clone(), d.attention.clone()?)))
                .collect(),
            errors: finding_counts.errors,
            off_track_days: self
                .session
                .threshold("health-mismatch", "off_track_days")
                .map(i64::from),
        };
        let status = status::compute(&evidence, charter.health);

        let stakeholders = charter
            .stakeholders
            .iter()
            .map(|s| {
                let role = match s {
                    milepost_model::Stakeholder::WithRole(r) => r.role.clone(),
                    milepost_model::Stakeholder::Id(_) => None,
                };
                self.who(s.id(), role)
            })
            .collect();
        let scope = charter.scope.clone().unwrap_or_default();
        let on_time = self.p_on_time(index);
        let launches = summary::launch_views(&milestones, &gates);
        let external_drivers = self.external_drivers(pid, &view.critical_path);
        let headline = summary::headline(
            &charter.name,
            &status,
            charter.target,
            finish,
            slip_days,
            p80,
            on_time.as_deref(),
            &launches,
        );
        let update = charter.status_update.as_ref().map(|u| UpdateView {
            updated: u.updated,
            age_days: (self.as_of - u.updated).num_days(),
            stale: self
                .findings_of(pid)
                .any(|f| f.rule == "status-update-stale"),
            summary: u.summary.clone(),
            highlights: u.highlights.clone(),
            asks: u.asks.clone(),
        });
        ProgramReport {
            id: program.id.clone(),
            name: charter.name.clone(),
            summary: charter.summary.clone(),
            lifecycle: charter.status.as_str(),
            status,
            sponsor: charter.sponsor.as_ref().map(|s| self.who(s, None)),
            owner: charter.owner.as_ref().map(|s| self.who(s, None)),
            start: charter.start,
            target: charter.target,
            finish,
            slip_days,
            p50,
            p80,
            on_time,
            objectives: charter.objectives.clone(),
            scope_in: scope.in_scope,
            scope_out: scope.out_of_scope,
            success_metrics: charter
                .success_metrics
                .iter()
                .map(|m| Metric {
                    metric: m.metric.clone(),
                    baseline: m.baseline.as_ref().map(metric_text),
                    target: m.target.as_ref().map(metric_text),
                })
                .collect(),
            stakeholders,
            wsjf: charter
                .priority
                .as_ref()
                .map(|p| format!("{:.1}", p.wsjf())),
            tags: charter.tags.clone(),
            links: charter
                .links
                .iter()
                .map(|l| LinkView {
                    title: l.title.clone(),
                    url: l.url.clone(),
                })
                .collect(),
            milestones,
            next_milestones: next,
            slips,
            critical_path: view.critical_path.iter().map(|q| local(pid, q)).collect(),
            critical_path_days,
            critical_path_remaining_days,
            gates,
            raci,
            open_risks: risks.iter().filter(|r| r.live).count(),
            high_risks: risks
                .iter()
                .filter(|r| r.live && r.score >= status::AT_RISK_SCORE)
                .count(),
            risks,
            top_risks,
            open_assumptions: assumptions
                .iter()
                .filter(|a| a.status == AssumptionStatus::Open)
                .count(),
            open_issues: issues.iter().filter(|i| i.open).count(),
            open_dependencies: dependencies.iter().filter(|d| d.open).count(),
            assumptions,
            issues,
            dependencies,
            aging_dependencies,
            decisions_needed,
            findings,
            finding_counts,
            headline,
            slip_causes,
            launches,
            update,
            external_drivers,
        }
    }

    /// The program's milestones as rows: planned ones in plan order, then the rest in file
    /// order.
    fn milestone_views(&self, index: usize, view: &milepost_plan::PlanView) -> Vec<MilestoneView> {
        let program = &self.portfolio.programs[index];
        let on_path: HashSet<&str> = view.critical_path.iter().map(String::as_str).collect();
        let forecast = self.forecast;
        // Milestones: planned ones in plan order, then the rest in file order. Linear: one
        // map from `program/id` to the plan row, one from id to file position.
        let rows: HashMap<&str, &milepost_plan::PlanRow> =
            view.milestones.iter().map(|r| (r.id.as_str(), r)).collect();
        let by_qid: HashMap<String, usize> = program
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| (program.qualify(&m.id), i))
            .collect();
        let mut placed = vec![false; program.milestones.len()];
        let mut order: Vec<usize> = Vec::with_capacity(program.milestones.len());
        for r in &view.milestones {
            if let Some(&i) = by_qid.get(&r.id)
                && !placed[i]
            {
                placed[i] = true;
                order.push(i);
            }
        }
        order.extend((0..program.milestones.len()).filter(|&i| !placed[i]));
        order
            .iter()
            .map(|&mi| {
                let m: &Located<milepost_model::Milestone> = &program.milestones[mi];
                let qid = program.qualify(&m.id);
                let row = rows.get(qid.as_str()).copied();
                let simulated = self
                    .plan
                    .task_of(milepost_plan::MilestoneKey {
                        program: index,
                        milestone: mi,
                    })
                    .and_then(|t| forecast.and_then(|f| f.tasks.get(t)));
                let p80 = simulated.map(|f| f.p80);
                let on_time = simulated
                    .and_then(|f| f.on_time_probability)
                    .map(milepost_plan::percent);
                MilestoneView {
                    id: m.id.to_string(),
                    qid: qid.clone(),
                    title: m.title.clone(),
                    owner: self.opt_name(m.owner.as_ref()),
                    kind: m.kind,
                    status: m.status,
                    duration_days: m.duration.days(),
                    event: m.duration.is_event(),
                    start: row.map(|r| r.earliest_start),
                    finish: row.map(|r| r.earliest_finish),
                    target: m.target,
                    completed: m.completed,
                    slack_days: row.map(|r| r.slack_days),
                    slip_days: row.and_then(|r| r.slip_days),
                    overdue: matches!(
                        m.status,
                        MilestoneStatus::Planned | MilestoneStatus::InProgress
                    ) && m
                        .target
                        .is_some_and(|t| self.plan.calendar.deadline_passed(t, self.as_of)),
                    critical: row.is_some_and(|r| r.critical),
                    on_critical_path: on_path.contains(qid.as_str()),
                    p80,
                    on_time,
                    depends_on: m.depends_on.iter().map(ToString::to_string).collect(),
                    gate: m.gate.clone(),
                    deliverables: m.deliverables.clone(),
                    acceptance: m.acceptance.clone(),
                    launch_plan: plan_parts(m),
                }
            })
            .collect()
    }

    /// The launch gates of the program's milestones, item by item: the template's items, then
    /// readiness entries the template does not list (which `check` reports).
    fn gate_views(&self, index: usize) -> Vec<GateView> {
        let program = &self.portfolio.programs[index];
        program
            .milestones
            .iter()
            .filter_map(|m| {
                let name = m.gate.as_ref()?;
                let template = self.portfolio.settings.gates.get(name);
                let title = match template {
                    Some(milepost_model::GateTemplate::Detailed(d)) => {
                        d.title.clone().unwrap_or_else(|| name.clone())
                    }
                    _ => name.clone(),
                };
                let mut items: Vec<GateItemView> = template
                    .map(|t| t.items().to_vec())
                    .unwrap_or_default()
                    .iter()
                    .map(|item| {
                        let r = m.readiness.get(item.id.as_str());
                        GateItemView {
                            id: item.id.to_string(),
                            title: item.title.clone(),
                            status: r.map_or(ReadinessStatus::Pending, |r| r.status),
                            owner: r.and_then(|r| self.opt_name(r.owner.as_ref())),
                            evidence: r.and_then(|r| r.evidence.clone()),
                            approver: r.and_then(|r| self.opt_name(r.approver.as_ref())),
                            note: r.and_then(|r| r.note.clone()),
                        }
                    })
                    .collect();
                // Readiness entries the template does not list (reported by `check`).
                for (id, r) in &m.readiness {
                    if !items.iter().any(|i| &i.id == id) {
                        items.push(GateItemView {
                            id: id.clone(),
                            title: id.clone(),
                            status: r.status,
                            owner: self.opt_name(r.owner.as_ref()),
                            evidence: r.evidence.clone(),
                            approver: self.opt_name(r.approver.as_ref()),
                            note: r.note.clone(),
                        });
                    }
                }
                let done = items
                    .iter()
                    .filter(|i| matches!(i.status, ReadinessStatus::Done | ReadinessStatus::Waived))
                    .count();
                let blocked = items
                    .iter()
                    .filter(|i| i.status == ReadinessStatus::Blocked)
                    .count();
                Some(GateView {
                    milestone: m.id.to_string(),
                    milestone_title: m.title.clone(),
                    milestone_status: m.status,
                    target: m.target,
                    gate: name.clone(),
                    title,
                    total: items.len(),
                    ready: done == items.len(),
                    percent: (done * 100).checked_div(items.len()).unwrap_or(100),
                    done,
                    blocked,
                    items,
                })
            })
            .collect()
    }

    /// The RACI rows with display names.
    fn raci_views(&self, index: usize) -> Vec<RaciView> {
        let program = &self.portfolio.programs[index];
        program
            .raci
            .iter()
            .map(|r| RaciView {
                id: r.id.as_ref().map(ToString::to_string),
                activity: r.activity.clone(),
                milestone: r.milestone.as_ref().map(ToString::to_string),
                responsible: self.names(&r.responsible),
                accountable: r
                    .accountable
                    .as_ref()
                    .map(|a| self.names(a.as_slice()))
                    .unwrap_or_default(),
                consulted: self.names(&r.consulted),
                informed: self.names(&r.informed),
            })
            .collect()
    }

    /// The program's risks, live and highest-scoring first, and the top live ones.
    fn risk_views(&self, index: usize) -> (Vec<RiskView>, Vec<RiskView>) {
        let program = &self.portfolio.programs[index];
        let pid = program.id.as_str();
        let mut risks: Vec<RiskView> = program
            .risks
            .iter()
            .map(|r| self.risk_view(pid, r, false))
            .collect();
        risks.sort_by(|a, b| {
            b.live
                .cmp(&a.live)
                .then(b.score.cmp(&a.score))
                .then(b.age_days.cmp(&a.age_days))
                .then(a.id.cmp(&b.id))
        });
        let top_risks: Vec<RiskView> = risks
            .iter()
            .filter(|r| r.live)
            .take(SHORT_LIST)
            .cloned()
            .collect();
        (risks, top_risks)
    }

    /// The program's assumptions, open and overdue first.
    fn assumption_views(&self, index: usize) -> Vec<AssumptionView> {
        let program = &self.portfolio.programs[index];
        let mut assumptions: Vec<AssumptionView> = program
            .assumptions
            .iter()
            .map(|a| AssumptionView {
                id: a.id.to_string(),
                title: a.title.clone(),
                owner: self.opt_name(a.owner.as_ref()),
                status: a.status,
                raised: a.raised,
                validate_by: a.validate_by,
                age_days: age(a.raised, self.as_of),
                overdue: a.status == AssumptionStatus::Open
                    && a.validate_by.is_some_and(|v| v < self.as_of),
            })
            .collect();
        assumptions.sort_by(|a, b| {
            (a.status != AssumptionStatus::Open)
                .cmp(&(b.status != AssumptionStatus::Open))
                .then(b.overdue.cmp(&a.overdue))
                .then(b.age_days.cmp(&a.age_days))
                .then(a.id.cmp(&b.id))
        });
        assumptions
    }

    /// The program's issues, open and most severe first.
    fn issue_views(&self, index: usize) -> Vec<IssueView> {
        let program = &self.portfolio.programs[index];
        let mut issues: Vec<(Option<Impact>, IssueView)> = program
            .issues
            .iter()
            .map(|i| {
                let open = i.status != IssueStatus::Resolved;
                (
                    i.severity,
                    IssueView {
                        id: i.id.to_string(),
                        title: i.title.clone(),
                        owner: self.opt_name(i.owner.as_ref()),
                        severity: i.severity.map(|i| i.as_str()),
                        status: i.status,
                        open,
                        raised: i.raised,
                        age_days: age(
                            i.raised,
                            if open {
                                self.as_of
                            } else {
                                i.resolved.unwrap_or(self.as_of)
                            },
                        ),
                        escalated_to: self.opt_name(i.escalated_to.as_ref()),
                        escalated_on: i.escalated_on,
                        resolved: i.resolved,
                        milestones: i.milestones.iter().map(ToString::to_string).collect(),
                    },
                )
            })
            .collect();
        issues.sort_by(|(sa, a), (sb, b)| {
            b.open
                .cmp(&a.open)
                .then(sb.cmp(sa))
                .then(b.age_days.cmp(&a.age_days))
                .then(a.id.cmp(&b.id))
        });
        let issues: Vec<IssueView> = issues.into_iter().map(|(_, i)| i).collect();
        issues
    }

    /// The program's dependencies, open and needing attention first, and those that need it.
    fn dependency_views(&self, index: usize) -> (Vec<DependencyView>, Vec<DependencyView>) {
        let program = &self.portfolio.programs[index];
        let pid = program.id.as_str();
        let mut dependencies: Vec<DependencyView> = program
            .dependencies
            .iter()
            .map(|d| self.dependency_view(pid, d, false))
            .collect();
        dependencies.sort_by(|a, b| {
            b.open
                .cmp(&a.open)
                .then(b.attention.is_some().cmp(&a.attention.is_some()))
                .then(b.age_days.cmp(&a.age_days))
                .then(a.id.cmp(&b.id))
        });
        let aging_dependencies: Vec<DependencyView> = dependencies
            .iter()
            .filter(|d| d.attention.is_some())
            .cloned()
            .collect();
        (dependencies, aging_dependencies)
    }

    /// The decisions still `proposed`, soonest needed first.
    fn decisions_needed(&self, index: usize) -> Vec<DecisionView> {
        let program = &self.portfolio.programs[index];
        let pid = program.id.as_str();
        let mut decisions_needed: Vec<DecisionView> = program
            .decisions
            .iter()
            .filter(|d| d.status == DecisionStatus::Proposed)
            .map(|d| self.decision_view(pid, d))
            .collect();
        decisions_needed.sort_by(|a, b| {
            a.needed_by
                .is_none()
                .cmp(&b.needed_by.is_none())
                .then(a.needed_by.cmp(&b.needed_by))
                .then(a.id.cmp(&b.id))
        });
        decisions_needed
    }

    /// The `check` findings about the program, and their counts by severity.
    fn finding_views(&self, index: usize) -> (Vec<FindingView>, FindingCounts) {
        let program = &self.portfolio.programs[index];
        let pid = program.id.as_str();
        let mut finding_counts = FindingCounts::default();
        let findings: Vec<FindingView> = self
            .findings_of(pid)
            .map(|d| {
                match d.severity {
                    Severity::Error => finding_counts.errors += 1,
                    Severity::Warning => finding_counts.warnings += 1,
                    Severity::Info => finding_counts.infos += 1,
                }
                FindingView {
                    rule: d.rule,
                    severity: d.severity.as_str(),
                    message: d.message.clone(),
                    location: d
                        .location
                        .as_ref()
                        .map(|l| format!("{}:{}", l.file, l.span.line)),
                }
            })
            .collect();
        (findings, finding_counts)
    }

    /// One program's line of the portfolio report, from its full report.
    pub fn program_line(report: &ProgramReport) -> ProgramLine {
        ProgramLine {
            id: report.id.clone(),
            name: report.name.clone(),
            lifecycle: report.lifecycle,
            status: report.status.clone(),
            owner: report.owner.as_ref().map(|o| o.name.clone()),
            start: report.start,
            target: report.target,
            finish: report.finish,
            slip_days: report.slip_days,
            p80: report.p80,
            on_time: report.on_time.clone(),
            critical_path_length: report.critical_path.len(),
            critical_path_days: report.critical_path_days,
            critical_path_remaining_days: report.critical_path_remaining_days,
            top_risk: report.top_risks.first().cloned(),
            open_risks: report.open_risks,
            aging_dependencies: report.aging_dependencies.clone(),
            decisions_needed: report.decisions_needed.len(),
            finding_counts: report.finding_counts,
        }
    }

    /// The WSJF ranking of the open programs (under way, and the proposed intake queue),
    /// and the open programs that have no priority inputs.
    fn priorities(
        &self,
        reports: &[ProgramReport],
    ) -> (Vec<PriorityView>, Vec<PriorityView>, Vec<String>) {
        let mut ranked = Vec::new();
        let mut intake = Vec::new();
        let mut unranked = Vec::new();
        for (program, report) in self.portfolio.programs.iter().zip(reports) {
            let lifecycle = program.charter.status;
            if matches!(
                lifecycle,
                milepost_model::ProgramStatus::Done | milepost_model::ProgramStatus::Cancelled
            ) {
                continue;
            }
            let Some(p) = &program.charter.priority else {
                unranked.push(program.id.clone());
                continue;
            };
            let view = PriorityView {
                rank: 0,
                id: program.id.clone(),
                name: report.name.clone(),
                lifecycle: report.lifecycle,
                status: report.status.clone(),
                value: p.value,
                time_criticality: p.time_criticality,
                risk_reduction: p.risk_reduction,
                cost_of_delay: p.value + p.time_criticality + p.risk_reduction,
                size: p.size,
                wsjf: format!("{:.1}", p.wsjf()),
            };
            if lifecycle == milepost_model::ProgramStatus::Proposed {
                intake.push((p.wsjf(), view));
            } else {
                ranked.push((p.wsjf(), view));
            }
        }
        let finish = |mut v: Vec<(f64, PriorityView)>| -> Vec<PriorityView> {
            v.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
            v.into_iter()
                .enumerate()
                .map(|(i, (_, mut p))| {
                    p.rank = i + 1;
                    p
                })
                .collect()
        };
        (finish(ranked), finish(intake), unranked)
    }

    /// The portfolio overview, from every program's report (same order as the portfolio).
    pub fn overview(&self, reports: &[ProgramReport]) -> Overview {
        let by_status: Vec<StatusCount> = ["on_track", "at_risk", "off_track", "done", "cancelled"]
            .into_iter()
            .filter_map(|code| {
                let with: Vec<&ProgramReport> =
                    reports.iter().filter(|r| r.status.code == code).collect();
                Some(StatusCount {
                    code,
                    label: with.first()?.status.label,
                    count: with.len(),
                })
            })
            .collect();
        let mut top_risks: Vec<RiskView> = reports
            .iter()
            .flat_map(|r| {
                r.risks.iter().filter(|x| x.live).map(|x| RiskView {
                    id: format!("{}/{}", r.id, x.id),
                    ..x.clone()
                })
            })
            .collect();
        top_risks.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(b.age_days.cmp(&a.age_days))
                .then(a.id.cmp(&b.id))
        });
        top_risks.truncate(SHORT_LIST);
        let aging_dependencies = reports
            .iter()
            .flat_map(|r| {
                r.aging_dependencies.iter().map(|d| DependencyView {
                    id: format!("{}/{}", r.id, d.id),
                    ..d.clone()
                })
            })
            .collect();
        let mut decisions_needed: Vec<DecisionView> = reports
            .iter()
            .flat_map(|r| {
                r.decisions_needed.iter().map(|d| DecisionView {
                    id: format!("{}/{}", r.id, d.id),
                    ..d.clone()
                })
            })
            .collect();
        decisions_needed.sort_by(|a, b| {
            a.needed_by
                .is_none()
                .cmp(&b.needed_by.is_none())
                .then(a.needed_by.cmp(&b.needed_by))
                .then(a.id.cmp(&b.id))
        });
        let (ranked, intake, unranked) = self.priorities(reports);
        Overview {
            ranked,
            intake,
            unranked,
            finish: self.all.finish,
            p80: self.forecast.and_then(|f| f.finish).map(|p| p.p80),
            critical_path: self.all.critical_path.clone(),
            by_status,
            top_risks,
            aging_dependencies,
            decisions_needed,
            milestones: self.all.milestones.len(),
        }
    }
}
