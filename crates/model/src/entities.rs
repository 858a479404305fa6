//! The entities of a program: charter, milestones, RAID, RACI and decisions.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;
use crate::ids::{Id, PersonRef, Ref};

/// The lifecycle state of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgramStatus {
    /// Chartered but not started.
    #[default]
    Proposed,
    /// Under way.
    Active,
    /// Stopped for now; expected to resume.
    Paused,
    /// Delivered and closed.
    Done,
    /// Stopped for good.
    Cancelled,
}

/// A red/amber/green health signal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// On track.
    Green,
    /// At risk; recoverable with action.
    Amber,
    /// Off track; needs escalation.
    Red,
}

/// Program scope: what is in and what is explicitly out.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// What the program will deliver, one line each.
    #[serde(default, rename = "in")]
    pub in_scope: Vec<String>,
    /// What the program will explicitly not deliver, one line each.
    #[serde(default, rename = "out")]
    pub out_of_scope: Vec<String>,
}

/// A number or a short text, for metric baselines and targets (`42`, `"99.9%"`, `"< 2s"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MetricValue {
    /// A plain number.
    Number(f64),
    /// A value with a unit or comparator, written as text.
    Text(String),
}

/// A measurable success criterion of the program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuccessMetric {
    /// What is measured (`checkout conversion`).
    pub metric: String,
    /// The value before the program.
    #[serde(default)]
    pub baseline: Option<MetricValue>,
    /// The value the program commits to reach.
    #[serde(default)]
    pub target: Option<MetricValue>,
    /// The value measured after launch.
    #[serde(default)]
    pub actual: Option<MetricValue>,
    /// The day the post-launch value was validated (benefits realisation).
    #[serde(default)]
    pub validated: Option<NaiveDate>,
}

/// Someone with a stake in the program: a person or team id, optionally with their role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Stakeholder {
    /// Just the person or team id.
    Id(PersonRef),
    /// A person or team with their role.
    WithRole(StakeholderRole),
}

impl Stakeholder {
    /// The person or team id.
    pub fn id(&self) -> &PersonRef {
        match self {
            Self::Id(id) => id,
            Self::WithRole(r) => &r.id,
        }
    }
}

/// A stakeholder with a described role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderRole {
    /// The person or team id from people.yaml.
    pub id: PersonRef,
    /// Their interest in or role toward the program (`approves launch`).
    #[serde(default)]
    pub role: Option<String>,
}

/// Weighted-shortest-job-first inputs (`(value + time_criticality + risk_reduction) / size`),
/// each on the usual relative scale (1, 2, 3, 5, 8, 13, 20).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    /// Business or user value.
    #[schemars(range(min = 0, max = 100))]
    pub value: u32,
    /// How much the value decays with delay.
    #[schemars(range(min = 0, max = 100))]
    pub time_criticality: u32,
    /// Risk reduction or opportunity enablement.
    #[schemars(range(min = 0, max = 100))]
    pub risk_reduction: u32,
    /// Relative job size (effort); must be at least 1.
    #[schemars(range(min = 1, max = 100))]
    pub size: u32,
}

impl Priority {
    /// The WSJF score: cost of delay divided by job size.
    pub fn wsjf(&self) -> f64 {
        let cost_of_delay = f64::from(self.value + self.time_criticality + self.risk_reduction);
        cost_of_delay / f64::from(self.size.max(1))
    }
}

/// The program charter (`programs/<id>/program.yaml`): why the program exists, who owns
/// it, what it will and will not do, and how success is measured.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// The program's display name.
    pub name: String,
    /// One or two sentences: the problem and the outcome.
    #[serde(default)]
    pub summary: Option<String>,
    /// Lifecycle state: proposed, active, paused, done or cancelled.
    #[serde(default)]
    pub status: ProgramStatus,
    /// Health as declared by the owner (green/amber/red). milepost also computes health
    /// and flags a declared green that the plan contradicts.
    #[serde(default)]
    pub health: Option<Health>,
    /// The executive sponsor (person id).
    #[serde(default)]
    pub sponsor: Option<PersonRef>,
    /// The accountable program owner (person id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// When work starts; no milestone is scheduled earlier.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// The committed end date of the program.
    #[serde(default)]
    pub target: Option<NaiveDate>,
    /// The outcomes the program exists to achieve.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// What is in and out of scope.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// How success is measured.
    #[serde(default)]
    pub success_metrics: Vec<SuccessMetric>,
    /// People and teams with a stake in the program.
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    /// WSJF priority inputs for portfolio ranking.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Whether the program is one of the organisation's strategic initiatives (the
    /// cost-of-delay visibility KPI counts these).
    #[serde(default)]
    pub strategic: bool,
    /// What a week of delay costs, when estimated.
    #[serde(default)]
    pub cost_of_delay: Option<CostOfDelay>,
    /// Retrospectives held for the program or one of its launches, with their actions.
    #[serde(default)]
    pub retrospectives: Vec<Retrospective>,
    /// Free-form labels (`platform`, `h2-okr`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Links to related documents (design docs, dashboards).
    #[serde(default)]
    pub links: Vec<Link>,
    /// The program's previous id (its old folder name) when the folder was renamed:
    /// `diff`, `log`, `audit` and `metrics` follow the program through the rename. Git's
    /// rename detection finds most renames on its own; this names the ones it cannot (a
    /// rename in the same commit as large edits).
    #[serde(default)]
    pub renamed_from: Option<Id>,
    /// The program lead's own words for the next status report: shown at the top of the
    /// executive summary. Rule `status-update-stale` flags it when it is older than the last
    /// change to the plan or than its threshold.
    #[serde(default)]
    pub status_update: Option<StatusUpdate>,
}

/// The program lead's status narrative (`status_update:` in program.yaml).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    /// The day it was written.
    pub updated: NaiveDate,
    /// One or two sentences: where the program stands, in the lead's words.
    #[serde(default)]
    pub summary: Option<String>,
    /// What went well since the last report.
    #[serde(default)]
    pub highlights: Vec<String>,
    /// What the program needs from its readers (decisions, people, escalations).
    #[serde(default)]
    pub asks: Vec<String>,
}

/// A titled link to a related document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// What the link points to.
    pub title: String,
    /// The address.
    pub url: String,
}

/// What a milestone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    /// A delivery checkpoint.
    #[default]
    Milestone,
    /// A launch to users; it may carry a readiness gate.
    Launch,
}

/// Where a milestone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Not started.
    #[default]
    Planned,
    /// Work has started.
    InProgress,
    /// Finished; set `completed` to the actual date.
    Done,
    /// Will not be delivered; kept for the record.
    Cancelled,
}

/// A three-point estimate in work days, used by `milepost forecast`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// Best case, if everything goes well.
    pub optimistic: Duration,
    /// Most likely case.
    pub likely: Duration,
    /// Worst realistic case.
    pub pessimistic: Duration,
}

/// The state of one readiness item of a launch gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessStatus {
    /// Not started.
    #[default]
    Pending,
    /// Being worked on.
    InProgress,
    /// Satisfied; link the evidence.
    Done,
    /// Deliberately skipped; needs an approver.
    Waived,
    /// Cannot complete; needs attention.
    Blocked,
}

/// One item of a milestone's launch-readiness gate.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    /// `pending`, `in_progress`, `done`, `waived` or `blocked`.
    #[serde(default)]
    pub status: ReadinessStatus,
    /// Who makes the item happen (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// A link to the evidence (review doc, test report, sign-off).
    #[serde(default)]
    pub evidence: Option<String>,
    /// Who signed the item off or approved the waiver (person id).
    #[serde(default)]
    pub approver: Option<PersonRef>,
    /// Any remark.
    #[serde(default)]
    pub note: Option<String>,
}

/// A milestone: a dated commitment in the program's plan (`milestones.yaml`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Unique within the program (`M1`); referenced from elsewhere as `program/M1`.
    pub id: Id,
    /// What is delivered.
    pub title: String,
    /// The accountable person or team.
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// `milestone` (default) or `launch`.
    #[serde(default)]
    pub kind: MilestoneKind,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Work days of effort on the critical path (`10d`, `2w`); `0d` (the default) is an event.
    #[serde(default)]
    pub duration: Duration,
    /// Optimistic / likely / pessimistic durations for forecasting.
    #[serde(default)]
    pub estimate: Option<Estimate>,
    /// Milestones that must finish before this one starts (`M1`, or `other-program/M4`).
    #[serde(default)]
    pub depends_on: Vec<Ref>,
    /// The committed date: finished by the end of this day.
    #[serde(default)]
    pub target: Option<NaiveDate>,
    /// `planned`, `in_progress`, `done` or `cancelled`.
    #[serde(default)]
    pub status: MilestoneStatus,
    /// The actual start date of work in progress. Anchors the plan: an `in_progress`
    /// milestone finishes `duration` work days after it started (the start day is the first),
    /// so an unchanged file gives the same finish every day.
    #[serde(default)]
    pub started: Option<NaiveDate>,
    /// The owner's current expected finish of work in progress (finished by the end of this
    /// day). Wins over `started` + `duration`; update it when the owner's word changes.
    #[serde(default)]
    pub eta: Option<NaiveDate>,
    /// The actual completion date, for a done milestone.
    #[serde(default)]
    pub completed: Option<NaiveDate>,
    /// What is handed over.
    #[serde(default)]
    pub deliverables: Vec<String>,
    /// How we know it is done.
    #[serde(default)]
    pub acceptance: Vec<String>,
    /// The readiness gate template (from milepost.yaml `gates`) this milestone must pass.
    #[serde(default)]
    pub gate: Option<String>,
    /// Per gate item id: its status, owner, evidence and approver.
    #[serde(default)]
    pub readiness: BTreeMap<String, Readiness>,
    /// What happened after a launch went live: the day, incidents, a rollback.
    #[serde(default)]
    pub outcome: Option<LaunchOutcome>,
    /// How a launch goes out and comes back: rollout, rollback, comms and enablement plans.
    #[serde(default)]
    pub launch_plan: Option<LaunchPlan>,
}

/// How a launch goes out (`launch_plan:` on a launch milestone). Each part is a sentence or
/// a link to the document that holds it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchPlan {
    /// How it is rolled out (`10% of EU merchants for a week, then all`).
    #[serde(default)]
    pub rollout: Option<String>,
    /// How it is rolled back, and who decides (`feature flag off; on-call decides`).
    #[serde(default)]
    pub rollback: Option<String>,
    /// Who is told what, when (customers, support, sales).
    #[serde(default)]
    pub comms: Option<String>,
    /// How support, sales and operations are made ready (training, runbooks, FAQs).
    #[serde(default)]
    pub enablement: Option<String>,
}

impl LaunchPlan {
    /// The parts of a launch plan, by field name.
    pub const PARTS: [&'static str; 4] = ["rollout", "rollback", "comms", "enablement"];

    /// The text of a part (`rollout`), when written and not blank.
    pub fn part(&self, name: &str) -> Option<&str> {
        let value = match name {
            "rollout" => self.rollout.as_deref(),
            "rollback" => self.rollback.as_deref(),
            "comms" => self.comms.as_deref(),
            "enablement" => self.enablement.as_deref(),
            _ => None,
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// The parts not written (or blank), in [`PARTS`](Self::PARTS) order.
    pub fn missing(&self) -> Vec<&'static str> {
        Self::PARTS
            .into_iter()
            .filter(|p| self.part(p).is_none())
            .collect()
    }
}

/// A retrospective (`retrospectives:` in program.yaml): what the team learned, and the
/// actions it committed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retrospective {
    /// What it looked back on (`Partner launch retrospective`).
    pub title: String,
    /// The day it was held.
    pub held: NaiveDate,
    /// The launch or milestone it looked back on (`M5`), when not the whole program.
    #[serde(default)]
    pub milestone: Option<Ref>,
    /// The actions agreed.
    #[serde(default)]
    pub actions: Vec<RetroAction>,
}

/// An action agreed in a retrospective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetroAction {
    /// What will be done.
    pub title: String,
    /// Who does it (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// When it is due.
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// `open`, `done` or `dropped`.
    #[serde(default)]
    pub status: ActionStatus,
}

/// Where a retrospective action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Not done yet.
    #[default]
    Open,
    /// Done.
    Done,
    /// No longer worth doing.
    Dropped,
}

/// The estimated cost of a week of delay (`cost_of_delay:` in program.yaml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostOfDelay {
    /// The cost of one week of delay.
    #[schemars(range(min = 0))]
    pub per_week: f64,
    /// The currency (`USD`, `EUR`).
    #[serde(default)]
    pub currency: Option<String>,
}

/// What happened after a launch (`outcome:` on a launch milestone).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchOutcome {
    /// The day it went live (`completed` when omitted).
    #[serde(default)]
    pub launched: Option<NaiveDate>,
    /// Production incidents the launch caused.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// The day of an emergency rollback, if there was one.
    #[serde(default)]
    pub rolled_back: Option<NaiveDate>,
}

/// A production incident a launch caused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// The day it started.
    pub date: NaiveDate,
    /// `sev1` (most severe) to `sev4`.
    pub severity: IncidentSeverity,
    /// What happened.
    pub title: String,
    /// An issue id in the RAID log, or a link, where it is tracked.
    #[serde(default)]
    pub reference: Option<String>,
}

/// The severity of an incident.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum IncidentSeverity {
    /// Critical: an outage or data loss.
    Sev1,
    /// Major: a significant part of users affected.
    Sev2,
    /// Minor.
    Sev3,
    /// Cosmetic or internal.
    Sev4,
}

/// Likelihood of a risk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Probability {
    /// Unlikely.
    Low,
    /// Plausible.
    Medium,
    /// Likely.
    High,
}

/// Consequence of a risk or severity of an issue.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Minor inconvenience.
    Low,
    /// Noticeable slip or cost.
    Medium,
    /// Threatens a milestone or objective.
    High,
    /// Threatens the program.
    Critical,
}

/// Where a risk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    /// Identified, not yet being worked.
    #[default]
    Open,
    /// Mitigation under way.
    Mitigating,
    /// Consciously accepted; needs `accepted_by`.
    Accepted,
    /// No longer a risk.
    Closed,
}

/// A risk: something that may happen and would hurt the program (`raid.yaml` → `risks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// Unique within the program (`R-1`).
    pub id: Id,
    /// The risk, phrased as cause → effect.
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Who watches and mitigates it (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// low, medium or high.
    pub probability: Probability,
    /// low, medium, high or critical.
    pub impact: Impact,
    /// open, mitigating, accepted or closed.
    #[serde(default)]
    pub status: RiskStatus,
    /// What is being done to reduce it.
    #[serde(default)]
    pub mitigation: Option<String>,
    /// What we do if it happens anyway.
    #[serde(default)]
    pub contingency: Option<String>,
    /// When the mitigation must be in place.
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// When the risk was raised.
    #[serde(default)]
    pub raised: Option<NaiveDate>,
    /// When the risk was last reviewed.
    #[serde(default)]
    pub reviewed: Option<NaiveDate>,
    /// Who accepted the risk (person id), required when status is `accepted`.
    #[serde(default)]
    pub accepted_by: Option<PersonRef>,
    /// Milestones the risk threatens (`M2`, `other-program/M4`).
    #[serde(default)]
    pub milestones: Vec<Ref>,
}

impl Risk {
    /// Probability × impact on a 1–12 scale, for sorting by severity.
    pub fn score(&self) -> u8 {
        Self::score_of(self.probability, self.impact)
    }

    /// The score of a probability and an impact (1–12).
    pub fn score_of(probability: Probability, impact: Impact) -> u8 {
        (probability as u8 + 1) * (impact as u8 + 1)
    }

    /// Whether the risk still needs attention (open or mitigating).
    pub fn is_live(&self) -> bool {
        matches!(self.status, RiskStatus::Open | RiskStatus::Mitigating)
    }
}

/// Where an assumption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssumptionStatus {
    /// Believed but not yet checked.
    #[default]
    Open,
    /// Checked and true.
    Validated,
    /// Checked and false; probably now a risk or issue.
    Invalidated,
}

/// An assumption the plan rests on (`raid.yaml` → `assumptions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// Unique within the program (`A-1`).
    pub id: Id,
    /// The assumption.
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Who validates it (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// open, validated or invalidated.
    #[serde(default)]
    pub status: AssumptionStatus,
    /// When it was recorded.
    #[serde(default)]
    pub raised: Option<NaiveDate>,
    /// By when it must be validated.
    #[serde(default)]
    pub validate_by: Option<NaiveDate>,
}

/// Where an issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    /// Being handled by the owner.
    #[default]
    Open,
    /// Handed up to `escalated_to`.
    Escalated,
    /// Resolved; set `resolved`.
    Resolved,
}

/// An issue: something that has happened and hurts the program (`raid.yaml` → `issues`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Unique within the program (`I-1`).
    pub id: Id,
    /// What happened.
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Who resolves it (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// low, medium, high or critical.
    #[serde(default)]
    pub severity: Option<Impact>,
    /// open, escalated or resolved.
    #[serde(default)]
    pub status: IssueStatus,
    /// When it was raised.
    #[serde(default)]
    pub raised: Option<NaiveDate>,
    /// Who it was escalated to (person or team id).
    #[serde(default)]
    pub escalated_to: Option<PersonRef>,
    /// When it was escalated.
    #[serde(default)]
    pub escalated_on: Option<NaiveDate>,
    /// When it was resolved.
    #[serde(default)]
    pub resolved: Option<NaiveDate>,
    /// Milestones it affects.
    #[serde(default)]
    pub milestones: Vec<Ref>,
}

/// Where an external dependency stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependencyStatus {
    /// Asked for, not yet agreed.
    #[default]
    Requested,
    /// The provider has committed to a date.
    Committed,
    /// The provider signals it may be late.
    AtRisk,
    /// Delivered.
    Delivered,
    /// No longer needed.
    Cancelled,
}

/// Something the program needs from another team (`raid.yaml` → `dependencies`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// Unique within the program (`D-1`).
    pub id: Id,
    /// What is needed.
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// The team (or person) that provides it.
    #[serde(default)]
    pub provider: Option<PersonRef>,
    /// Who chases it on our side (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// When it is needed.
    #[serde(default)]
    pub needed_by: Option<NaiveDate>,
    /// When it was requested.
    #[serde(default)]
    pub raised: Option<NaiveDate>,
    /// `requested`, `committed`, `at_risk`, `delivered` or `cancelled`.
    #[serde(default)]
    pub status: DependencyStatus,
    /// When it was delivered.
    #[serde(default)]
    pub delivered: Option<NaiveDate>,
    /// The milestone of ours that needs it (`M3`).
    #[serde(default)]
    pub milestone: Option<Ref>,
}

impl Dependency {
    /// Whether the dependency is still outstanding.
    pub fn is_open(&self) -> bool {
        !matches!(
            self.status,
            DependencyStatus::Delivered | DependencyStatus::Cancelled
        )
    }
}

/// One id or a list of ids. `accountable` is written as one id, but a list is read so that
/// the `raci-accountable` rule can say exactly what is wrong with two.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single id.
    One(PersonRef),
    /// Several ids.
    Many(Vec<PersonRef>),
}

impl OneOrMany {
    /// The ids, as a slice.
    pub fn as_slice(&self) -> &[PersonRef] {
        match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        }
    }
}

/// One row of the RACI matrix (`raci.yaml` → `raci`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaciActivity {
    /// Optional id for the row, unique within the program.
    #[serde(default)]
    pub id: Option<Id>,
    /// The activity or decision (`approve launch`).
    pub activity: String,
    /// The milestone the activity belongs to, if any.
    #[serde(default)]
    pub milestone: Option<Ref>,
    /// Who does the work (person or team ids); at least one.
    #[serde(default)]
    pub responsible: Vec<PersonRef>,
    /// The one person who answers for it.
    #[serde(default)]
    pub accountable: Option<OneOrMany>,
    /// Who is asked before (two-way).
    #[serde(default)]
    pub consulted: Vec<PersonRef>,
    /// Who is told after (one-way).
    #[serde(default)]
    pub informed: Vec<PersonRef>,
}

/// Where a decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Awaiting a decision: an "ask".
    #[default]
    Proposed,
    /// Decided; set `decided`, `decided_by` and `outcome`.
    Decided,
    /// Replaced by a later decision.
    Superseded,
}

/// An option considered for a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DecisionOption {
    /// Just a title.
    Title(String),
    /// A title with pros and cons.
    Detailed(DetailedOption),
}

/// An option with its trade-offs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailedOption {
    /// The option.
    pub title: String,
    /// Arguments for.
    #[serde(default)]
    pub pros: Vec<String>,
    /// Arguments against.
    #[serde(default)]
    pub cons: Vec<String>,
}

/// A decision record (`decisions.yaml` → `decisions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Unique within the program (`DEC-1`).
    pub id: Id,
    /// The question being decided.
    pub title: String,
    /// proposed, decided or superseded.
    #[serde(default)]
    pub status: DecisionStatus,
    /// Who drives the decision to closure (person or team id).
    #[serde(default)]
    pub owner: Option<PersonRef>,
    /// Context for the decision.
    #[serde(default)]
    pub context: Option<String>,
    /// When the question was raised.
    #[serde(default)]
    pub raised: Option<NaiveDate>,
    /// When a decision is needed by.
    #[serde(default)]
    pub needed_by: Option<NaiveDate>,
    /// When it was decided.
    #[serde(default)]
    pub decided: Option<NaiveDate>,
    /// Who decided (person id).
    #[serde(default)]
    pub decided_by: Option<PersonRef>,
    /// The options considered.
    #[serde(default)]
    pub options: Vec<DecisionOption>,
    /// What was decided.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Why.
    #[serde(default)]
    pub rationale: Option<String>,
    /// The decision this one replaces (`DEC-1`).
    #[serde(default)]
    pub supersedes: Option<Ref>,
}
