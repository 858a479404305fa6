//! The data every template reads: plain serializable structs, built from an [`Analysis`].
//!
//! Templates only lay out; every number, sort order and judgement is made here, in Rust,
//! where it is tested. The field names are the template context documented in
//! `templates/README.md` (a user's own templates rely on them: add fields freely, rename
//! none). Missing values are `None` and render as `—`.

use std::collections::HashSet;

use chrono::NaiveDate;
use milepost_load::{Located, Severity};
use milepost_model::{
    AssumptionStatus, DecisionOption, DecisionStatus, DependencyStatus, Impact, IssueStatus,
    MetricValue, MilestoneStatus, Named,
};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::status::{self, Evidence, Status};

/// How many entries the short lists of a summary keep (next milestones, top risks).
pub const SHORT_LIST: usize = 5;

/// A person or team: id and display name (from people.yaml; the id when unknown).
#[derive(Debug, Clone, Serialize)]
pub struct Who {
    /// The id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// Their role (people.yaml `role`, or the stakeholder's role in the program).
    pub role: Option<String>,
}

/// A success metric with its values as text.
#[derive(Debug, Clone, Serialize)]
pub struct Metric {
    /// What is measured.
    pub metric: String,
    /// The value before the program.
    pub baseline: Option<String>,
    /// The committed value.
    pub target: Option<String>,
}

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// Title.
    pub title: String,
    /// Address.
    pub url: String,
}

/// One milestone with its plan.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// The id within the program (`M3`).
    pub id: String,
    /// `program/id`.
    pub qid: String,
    /// Title.
    pub title: String,
    /// Owner's display name.
    pub owner: Option<String>,
    /// `milestone` or `launch`.
    pub kind: &'static str,
    /// `planned`, `in_progress`, `done` or `cancelled`.
    pub status: &'static str,
    /// Duration in work days.
    pub duration_days: u32,
    /// A 0-day event.
    pub event: bool,
    /// Planned (earliest) start; none when not planned (cancelled, or no plan).
    pub start: Option<NaiveDate>,
    /// Planned (earliest) finish.
    pub finish: Option<NaiveDate>,
    /// The committed date.
    pub target: Option<NaiveDate>,
    /// The actual completion date.
    pub completed: Option<NaiveDate>,
    /// Total slack in work days.
    pub slack_days: Option<i64>,
    /// Work days past target (positive = late).
    pub slip_days: Option<i64>,
    /// Whether it is overdue: target passed and not done.
    pub overdue: bool,
    /// Slack ≤ 0.
    pub critical: bool,
    /// On the program's driving chain.
    pub on_critical_path: bool,
    /// P80 forecast finish.
    pub p80: Option<NaiveDate>,
    /// Dependencies as written (`M2`, `ledger/M7`).
    pub depends_on: Vec<String>,
    /// Readiness gate template, if any.
    pub gate: Option<String>,
    /// What is handed over.
    pub deliverables: Vec<String>,
    /// How we know it is done.
    pub acceptance: Vec<String>,
}

/// One readiness item of a gate.
#[derive(Debug, Clone, Serialize)]
pub struct GateItemView {
    /// The item id.
    pub id: String,
    /// What must be true.
    pub title: String,
    /// `pending`, `in_progress`, `done`, `waived`, `blocked`.
    pub status: &'static str,
    /// Owner's display name.
    pub owner: Option<String>,
    /// Evidence link.
    pub evidence: Option<String>,
    /// Approver's display name.
    pub approver: Option<String>,
    /// Remark.
    pub note: Option<String>,
}

/// A launch's readiness gate.
#[derive(Debug, Clone, Serialize)]
pub struct GateView {
    /// The milestone id.
    pub milestone: String,
    /// The milestone title.
    pub milestone_title: String,
    /// The milestone's status.
    pub milestone_status: &'static str,
    /// The milestone's target.
    pub target: Option<NaiveDate>,
    /// The gate template's name.
    pub gate: String,
    /// The gate's title (or its name).
    pub title: String,
    /// The items, in template order.
    pub items: Vec<GateItemView>,
    /// Items done or waived.
    pub done: usize,
    /// Items in the template.
    pub total: usize,
    /// Blocked items.
    pub blocked: usize,
    /// All items done or waived.
    pub ready: bool,
    /// Items done or waived, in percent (rounded down).
    pub percent: usize,
}

/// One RACI row with display names.
#[derive(Debug, Clone, Serialize)]
pub struct RaciView {
    /// Row id.
    pub id: Option<String>,
    /// The activity.
    pub activity: String,
    /// Linked milestone.
    pub milestone: Option<String>,
    /// Responsible.
    pub responsible: Vec<String>,
    /// Accountable (one, normally).
    pub accountable: Vec<String>,
    /// Consulted.
    pub consulted: Vec<String>,
    /// Informed.
    pub informed: Vec<String>,
}

/// A risk, scored.
#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    /// Id (`R-1`; `program/R-1` in portfolio lists).
    pub id: String,
    /// The program id.
    pub program: String,
    /// Title.
    pub title: String,
    /// Owner's display name.
    pub owner: Option<String>,
    /// `low`, `medium`, `high`.
    pub probability: &'static str,
    /// `low`, `medium`, `high`, `critical`.
    pub impact: &'static str,
    /// Probability × impact, 1–12.
    pub score: u8,
    /// The score's band: `low` (1–2), `medium` (3–4), `high` (6–8), `critical` (9–12).
    pub severity: &'static str,
    /// `open`, `mitigating`, `accepted`, `closed`.
    pub status: &'static str,
    /// Open or mitigating.
    pub live: bool,
    /// Mitigation.
    pub mitigation: Option<String>,
    /// Contingency.
    pub contingency: Option<String>,
    /// Mitigation due.
    pub due: Option<NaiveDate>,
    /// Raised.
    pub raised: Option<NaiveDate>,
    /// Last reviewed.
    pub reviewed: Option<NaiveDate>,
    /// Calendar days since raised.
    pub age_days: Option<i64>,
    /// Who accepted it.
    pub accepted_by: Option<String>,
    /// Threatened milestones.
    pub milestones: Vec<String>,
}

/// An assumption.
#[derive(Debug, Clone, Serialize)]
pub struct AssumptionView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Owner's display name.
    pub owner: Option<String>,
    /// `open`, `validated`, `invalidated`.
    pub status: &'static str,
    /// Raised.
    pub raised: Option<NaiveDate>,
    /// Validate by.
    pub validate_by: Option<NaiveDate>,
    /// Calendar days since raised.
    pub age_days: Option<i64>,
    /// Open and past its validate-by date.
    pub overdue: bool,
}

/// An issue.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Owner's display name.
    pub owner: Option<String>,
    /// `low`, `medium`, `high`, `critical`.
    pub severity: Option<&'static str>,
    /// `open`, `escalated`, `resolved`.
    pub status: &'static str,
    /// Not resolved.
    pub open: bool,
    /// Raised.
    pub raised: Option<NaiveDate>,
    /// Calendar days since raised (to resolution when resolved).
    pub age_days: Option<i64>,
    /// Escalated to (display name).
    pub escalated_to: Option<String>,
    /// Escalated on.
    pub escalated_on: Option<NaiveDate>,
    /// Resolved on.
    pub resolved: Option<NaiveDate>,
    /// Affected milestones.
    pub milestones: Vec<String>,
}

/// An external dependency.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyView {
    /// Id (`D-1`; `program/D-1` in portfolio lists).
    pub id: String,
    /// The program id.
    pub program: String,
    /// Title.
    pub title: String,
    /// Provider's display name.
    pub provider: Option<String>,
    /// Owner's display name.
    pub owner: Option<String>,
    /// Needed by.
    pub needed_by: Option<NaiveDate>,
    /// Raised.
    pub raised: Option<NaiveDate>,
    /// Calendar days since raised.
    pub age_days: Option<i64>,
    /// `requested`, `committed`, `at_risk`, `delivered`, `cancelled`.
    pub status: &'static str,
    /// Not delivered or cancelled.
    pub open: bool,
    /// Delivered on.
    pub delivered: Option<NaiveDate>,
    /// The milestone that needs it.
    pub milestone: Option<String>,
    /// Why it needs attention (late, aging, at risk), if it does.
    pub attention: Option<String>,
}

/// A decision, for the "decisions needed" list.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// Id.
    pub id: String,
    /// The program id.
    pub program: String,
    /// The question.
    pub title: String,
    /// `proposed`, `decided`, `superseded`.
    pub status: &'static str,
    /// Owner's display name.
    pub owner: Option<String>,
    /// Context.
    pub context: Option<String>,
    /// Raised.
    pub raised: Option<NaiveDate>,
    /// Needed by.
    pub needed_by: Option<NaiveDate>,
    /// Calendar days since raised.
    pub age_days: Option<i64>,
    /// Past its needed-by date.
    pub overdue: bool,
    /// The options' titles.
    pub options: Vec<String>,
}

/// A governance finding about the program.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// Rule id.
    pub rule: &'static str,
    /// `error`, `warning`, `info`.
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// `file:line` relative to the portfolio.
    pub location: Option<String>,
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FindingCounts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

/// A change since a baseline, for the summary's "what changed" section.
///
/// This is a hook: `milepost-render` does not read git. A caller that does (the history
/// layer, through the CLI) passes the changes in [`crate::RenderOptions::changes`]; without
/// it the section is left out.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// When (commit date).
    pub date: Option<NaiveDate>,
    /// The entity (`program/id`) or file changed.
    pub entity: String,
    /// What changed, in one line (`target 2027-03-12 → 2027-03-26`).
    pub summary: String,
    /// The commit (short hash) or pull request.
    pub reference: Option<String>,
    /// Who made the change.
    pub author: Option<String>,
}

/// Everything about one program: the context of `charter`, `summary` and `raid`.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramReport {
    /// The program id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Summary.
    pub summary: Option<String>,
    /// Lifecycle: `proposed`, `active`, `paused`, `done`, `cancelled`.
    pub lifecycle: &'static str,
    /// The computed status, with the declared health beside it.
    pub status: Status,
    /// Sponsor.
    pub sponsor: Option<Who>,
    /// Owner.
    pub owner: Option<Who>,
    /// Start.
    pub start: Option<NaiveDate>,
    /// The committed end date.
    pub target: Option<NaiveDate>,
    /// The plan's finish.
    pub finish: Option<NaiveDate>,
    /// Plan finish − target in work days (positive = late).
    pub slip_days: Option<i64>,
    /// P50 forecast finish.
    pub p50: Option<NaiveDate>,
    /// P80 forecast finish.
    pub p80: Option<NaiveDate>,
    /// Objectives.
    pub objectives: Vec<String>,
    /// In scope.
    pub scope_in: Vec<String>,
    /// Out of scope.
    pub scope_out: Vec<String>,
    /// Success metrics.
    pub success_metrics: Vec<Metric>,
    /// Stakeholders, with names and roles.
    pub stakeholders: Vec<Who>,
    /// WSJF score, when priority inputs are given.
    pub wsjf: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Links.
    pub links: Vec<LinkView>,
    /// Every milestone: planned ones by start, then cancelled ones.
    pub milestones: Vec<MilestoneView>,
    /// The next open milestones by planned finish (at most [`SHORT_LIST`]).
    pub next_milestones: Vec<MilestoneView>,
    /// Milestones forecast past their target, worst first.
    pub slips: Vec<MilestoneView>,
    /// The driving chain to the program's finish (ids; other programs' as `program/id`).
    pub critical_path: Vec<String>,
    /// Work days of the driving chain (sum of durations).
    pub critical_path_days: i64,
    /// Work days of the driving chain not yet done.
    pub critical_path_remaining_days: i64,
    /// Readiness gates of launches.
    pub gates: Vec<GateView>,
    /// RACI rows.
    pub raci: Vec<RaciView>,
    /// Risks: live first, by score, oldest first.
    pub risks: Vec<RiskView>,
    /// The live risks with the highest scores (at most [`SHORT_LIST`]).
    pub top_risks: Vec<RiskView>,
    /// Live risks (open or mitigating).
    pub open_risks: usize,
    /// Live risks scoring at least [`status::AT_RISK_SCORE`].
    pub high_risks: usize,
    /// Assumptions: open first, oldest first.
    pub assumptions: Vec<AssumptionView>,
    /// Open assumptions.
    pub open_assumptions: usize,
    /// Open (unresolved) issues.
    pub open_issues: usize,
    /// Open (not delivered or cancelled) dependencies.
    pub open_dependencies: usize,
    /// Issues: open first, by severity, oldest first.
    pub issues: Vec<IssueView>,
    /// Dependencies: open first, those needing attention first, oldest first.
    pub dependencies: Vec<DependencyView>,
    /// Open dependencies that are late, aging without commitment, or at risk.
    pub aging_dependencies: Vec<DependencyView>,
    /// Proposed decisions (the asks), by needed-by date.
    pub decisions_needed: Vec<DecisionView>,
    /// Governance findings about the program.
    pub findings: Vec<FindingView>,
    /// Counts of those findings.
    pub finding_counts: FindingCounts,
}

/// One program's line in the portfolio report.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramLine {
    /// The program id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Lifecycle.
    pub lifecycle: &'static str,
    /// Computed status.
    pub status: Status,
    /// Owner's display name.
    pub owner: Option<String>,
    /// Start.
    pub start: Option<NaiveDate>,
    /// Target.
    pub target: Option<NaiveDate>,
    /// Plan finish.
    pub finish: Option<NaiveDate>,
    /// Plan finish − target in work days.
    pub slip_days: Option<i64>,
    /// P80 forecast finish.
    pub p80: Option<NaiveDate>,
    /// Milestones on the driving chain.
    pub critical_path_length: usize,
    /// Work days of the driving chain.
    pub critical_path_days: i64,
    /// Work days of the driving chain not yet done.
    pub critical_path_remaining_days: i64,
    /// The live risk with the highest score.
    pub top_risk: Option<RiskView>,
    /// Open risks (open or mitigating).
    pub open_risks: usize,
    /// Dependencies needing attention.
    pub aging_dependencies: Vec<DependencyView>,
    /// Proposed decisions.
    pub decisions_needed: usize,
    /// Governance findings.
    pub finding_counts: FindingCounts,
}

/// How many programs have one computed status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    /// The status code (`on_track`…).
    pub code: &'static str,
    /// Its label (`On track`…).
    pub label: &'static str,
    /// How many programs.
    pub count: usize,
}

/// The portfolio page's own data, beside the program lines.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// The plan's finish across the portfolio.
    pub finish: Option<NaiveDate>,
    /// P80 forecast finish across the portfolio.
    pub p80: Option<NaiveDate>,
    /// The portfolio's critical path (`program/id`).
    pub critical_path: Vec<String>,
    /// How many programs have each computed status, in the order on track, at risk, off
    /// track, done, cancelled (statuses no program has are left out).
    pub by_status: Vec<StatusCount>,
    /// The highest-scoring live risks across programs.
    pub top_risks: Vec<RiskView>,
    /// Every dependency needing attention.
    pub aging_dependencies: Vec<DependencyView>,
    /// Every proposed decision, by needed-by date.
    pub decisions_needed: Vec<DecisionView>,
    /// Milestones, planned, counted.
    pub milestones: usize,
}

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
            status: r.status.as_str(),
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
            status: match d.status {
                DependencyStatus::Requested => "requested",
                DependencyStatus::Committed => "committed",
                DependencyStatus::AtRisk => "at_risk",
                DependencyStatus::Delivered => "delivered",
                DependencyStatus::Cancelled => "cancelled",
            },
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
            status: d.status.as_str(),
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

    /// The full report of one program (an index into `portfolio.programs`).
    pub fn program_report(&self, index: usize) -> ProgramReport {
        let program = &self.portfolio.programs[index];
        let pid = program.id.as_str();
        let charter = &program.charter;
        let view = self.view(Some(index));
        let on_path: HashSet<&str> = view.critical_path.iter().map(String::as_str).collect();
        let forecast = self.forecast;

        // Milestones: planned ones in plan order, then the rest in file order.
        let mut order: Vec<usize> = Vec::new();
        for r in &view.milestones {
            if let Some(i) = program
                .milestones
                .iter()
                .position(|m| program.qualify(&m.id) == r.id)
            {
                order.push(i);
            }
        }
        for i in 0..program.milestones.len() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let milestones: Vec<MilestoneView> = order
            .iter()
            .map(|&mi| {
                let m: &Located<milepost_model::Milestone> = &program.milestones[mi];
                let qid = program.qualify(&m.id);
                let row = view.milestones.iter().find(|r| r.id == qid);
                let p80 = self
                    .plan
                    .task_of(milepost_plan::MilestoneKey {
                        program: index,
                        milestone: mi,
                    })
                    .and_then(|t| forecast.and_then(|f| f.tasks.get(t)))
                    .map(|f| f.p80);
                MilestoneView {
                    id: m.id.to_string(),
                    qid: qid.clone(),
                    title: m.title.clone(),
                    owner: self.opt_name(m.owner.as_ref()),
                    kind: m.kind.as_str(),
                    status: m.status.as_str(),
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
                    ) && m.target.is_some_and(|t| t < self.as_of),
                    critical: row.is_some_and(|r| r.critical),
                    on_critical_path: on_path.contains(qid.as_str()),
                    p80,
                    depends_on: m.depends_on.iter().map(ToString::to_string).collect(),
                    gate: m.gate.clone(),
                    deliverables: m.deliverables.clone(),
                    acceptance: m.acceptance.clone(),
                }
            })
            .collect();
        let open = |m: &&MilestoneView| m.status == "planned" || m.status == "in_progress";
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
            .filter(|r| r.status != "done")
            .map(|r| i64::from(r.duration_days))
            .sum();

        // Gates.
        let gates: Vec<GateView> = program
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
                            status: r.map_or("pending", |r| r.status.as_str()),
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
                            status: r.status.as_str(),
                            owner: self.opt_name(r.owner.as_ref()),
                            evidence: r.evidence.clone(),
                            approver: self.opt_name(r.approver.as_ref()),
                            note: r.note.clone(),
                        });
                    }
                }
                let done = items
                    .iter()
                    .filter(|i| i.status == "done" || i.status == "waived")
                    .count();
                let blocked = items.iter().filter(|i| i.status == "blocked").count();
                Some(GateView {
                    milestone: m.id.to_string(),
                    milestone_title: m.title.clone(),
                    milestone_status: m.status.as_str(),
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
            .collect();

        let raci = program
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
            .collect();

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

        let mut assumptions: Vec<AssumptionView> = program
            .assumptions
            .iter()
            .map(|a| AssumptionView {
                id: a.id.to_string(),
                title: a.title.clone(),
                owner: self.opt_name(a.owner.as_ref()),
                status: a.status.as_str(),
                raised: a.raised,
                validate_by: a.validate_by,
                age_days: age(a.raised, self.as_of),
                overdue: a.status == AssumptionStatus::Open
                    && a.validate_by.is_some_and(|v| v < self.as_of),
            })
            .collect();
        assumptions.sort_by(|a, b| {
            (a.status != "open")
                .cmp(&(b.status != "open"))
                .then(b.overdue.cmp(&a.overdue))
                .then(b.age_days.cmp(&a.age_days))
                .then(a.id.cmp(&b.id))
        });

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
                        status: i.status.as_str(),
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

        let finish = view.finish;
        let slip_days = match (finish, charter.target) {
            (Some(f), Some(t)) => Some(self.plan.calendar.workdays_between(t, f)),
            _ => None,
        };
        let (p50, p80) = self.p_finish(index);
        let evidence = Evidence {
            lifecycle: charter.status,
            no_plan: self.plan.schedule.is_none(),
            overdue: milestones
                .iter()
                .filter(|m| m.overdue)
                .filter_map(|m| Some((m.id.clone(), m.target?)))
                .collect(),
            slips: slips
                .iter()
                .filter(|m| !m.overdue)
                .filter_map(|m| Some((m.id.clone(), m.slip_days?)))
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
                .filter(|i| i.status == "escalated")
                .map(|i| i.id.clone())
                .collect(),
            blocked: gates
                .iter()
                .filter(|g| g.milestone_status != "done")
                .flat_map(|g| {
                    g.items
                        .iter()
                        .filter(|i| i.status == "blocked")
                        .map(|i| (g.milestone.clone(), i.id.clone()))
                })
                .collect(),
            dependencies: aging_dependencies
                .iter()
                .filter_map(|d| Some((d.id.clone(), d.attention.clone()?)))
                .collect(),
            errors: finding_counts.errors,
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
            open_assumptions: assumptions.iter().filter(|a| a.status == "open").count(),
            open_issues: issues.iter().filter(|i| i.open).count(),
            open_dependencies: dependencies.iter().filter(|d| d.open).count(),
            assumptions,
            issues,
            dependencies,
            aging_dependencies,
            decisions_needed,
            findings,
            finding_counts,
        }
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
        Overview {
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
