//! The plain, serializable data of every report: what the templates read. Every sort and
//! judgement is made before the data gets here (in the section builders of the parent
//! module and in `status`); a template only lays it out.

use chrono::NaiveDate;
use milepost_model::{
    AssumptionStatus, DecisionStatus, DependencyStatus, IssueStatus, MilestoneKind,
    MilestoneStatus, ReadinessStatus, RiskStatus,
};
use serde::Serialize;

use crate::report::{DriverView, LaunchView, SlipCause, UpdateView};
use crate::status::Status;

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
    pub kind: MilestoneKind,
    /// `planned`, `in_progress`, `done` or `cancelled`.
    pub status: MilestoneStatus,
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
    /// The forecast's chance of meeting the program's charter target (`37%`), when there is one.
    pub on_time: Option<String>,
    /// Dependencies as written (`M2`, `ledger/M7`).
    pub depends_on: Vec<String>,
    /// Readiness gate template, if any.
    pub gate: Option<String>,
    /// What is handed over.
    pub deliverables: Vec<String>,
    /// How we know it is done.
    pub acceptance: Vec<String>,
    /// A launch's plan, part by part (all four parts, written or not); empty for a
    /// milestone that is not a launch.
    pub launch_plan: Vec<PlanPartView>,
}

/// One part of a launch plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanPartView {
    /// `rollout`, `rollback`, `comms` or `enablement`.
    pub part: &'static str,
    /// Its heading (`Rollout`, `Comms`).
    pub label: &'static str,
    /// What is written; none when the part is missing.
    pub text: Option<String>,
}

/// The four parts of a launch's plan, written or not.
pub(crate) fn plan_parts(m: &milepost_model::Milestone) -> Vec<PlanPartView> {
    if m.kind != MilestoneKind::Launch {
        return Vec::new();
    }
    milepost_model::LaunchPlan::PARTS
        .into_iter()
        .map(|part| PlanPartView {
            part,
            label: match part {
                "rollout" => "Rollout",
                "rollback" => "Rollback",
                "comms" => "Comms",
                _ => "Enablement",
            },
            text: m
                .launch_plan
                .as_ref()
                .and_then(|p| p.part(part))
                .map(str::to_owned),
        })
        .collect()
}

/// One readiness item of a gate.
#[derive(Debug, Clone, Serialize)]
pub struct GateItemView {
    /// The item id.
    pub id: String,
    /// What must be true.
    pub title: String,
    /// `pending`, `in_progress`, `done`, `waived`, `blocked`.
    pub status: ReadinessStatus,
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
    pub milestone_status: MilestoneStatus,
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
    pub status: RiskStatus,
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
    pub status: AssumptionStatus,
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
    pub status: IssueStatus,
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
    pub status: DependencyStatus,
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
    pub status: DecisionStatus,
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
    /// The audit category (`date`, `scope`, `owner`, `risk`, `gate`, `decision`,
    /// `dependency`, `status`, `identity`), when the change is a commitment.
    pub category: Option<String>,
    /// For a date move: work days (positive = later).
    pub work_days: Option<i64>,
    /// The pull request number, when the commit names one.
    pub pr: Option<u64>,
    /// Who approved it (`Approved-by:` trailers).
    pub approved_by: Vec<String>,
    /// Whether it went through change control (an approved pull request); `None` when not
    /// known.
    pub approved: Option<bool>,
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
    /// The forecast's chance of meeting the program's charter target (`37%`), when there is one.
    pub on_time: Option<String>,
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
    /// The sentence a reader sees first (status, committed date, plan, forecast, next
    /// launch).
    pub headline: String,
    /// The milestones that start the program's slips (root causes), worst first.
    pub slip_causes: Vec<SlipCause>,
    /// Launches with their readiness, by target.
    pub launches: Vec<LaunchView>,
    /// The lead's own words, when program.yaml has a `status_update`.
    pub update: Option<UpdateView>,
    /// Other programs' milestones on this program's driving chain, in chain order.
    pub external_drivers: Vec<DriverView>,
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
    /// The forecast's chance of meeting its target (`37%`), when there is one.
    pub on_time: Option<String>,
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

/// One program in the priority ranking (WSJF), with its inputs.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityView {
    /// 1 = do first.
    pub rank: usize,
    /// The program id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Lifecycle (`proposed` programs are the intake queue).
    pub lifecycle: &'static str,
    /// Computed status.
    pub status: Status,
    /// Business or user value.
    pub value: u32,
    /// Time criticality.
    pub time_criticality: u32,
    /// Risk reduction or opportunity enablement.
    pub risk_reduction: u32,
    /// Cost of delay: value + time criticality + risk reduction.
    pub cost_of_delay: u32,
    /// Relative job size.
    pub size: u32,
    /// Cost of delay ÷ size, one decimal.
    pub wsjf: String,
}

/// The portfolio page's own data, beside the program lines.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// Programs under way (not proposed, done or cancelled) with priority inputs, highest
    /// WSJF first.
    pub ranked: Vec<PriorityView>,
    /// Proposed programs with priority inputs, highest WSJF first: the intake queue.
    pub intake: Vec<PriorityView>,
    /// Open programs without priority inputs (ids): they cannot be ranked.
    pub unranked: Vec<String>,
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
