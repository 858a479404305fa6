//! The change-control evidence pack: every change to a commitment in a time window, with
//! who made it, who merged it, the pull request, its reviewers and whether it was signed.
//!
//! A *commitment* is what a program promises and what a change-control board asks about:
//! dates (program start and target, milestone targets, dependency `needed_by`, risk
//! mitigation `due`), scope (charter scope, objectives and success metrics, milestone
//! deliverables and acceptance criteria, milestones added or removed), owners (owner,
//! sponsor, RACI accountable and responsible), risks (added, removed, status, probability,
//! impact, acceptance), launch gates (the gate and every readiness item) and decisions
//! (every field), the status of programs and milestones, and a program's identity (its folder
//! renamed). [`category`] says which.

use chrono::NaiveDate;
use git2::Oid;
use serde::Serialize;
use serde_json::Value;

use crate::diff::{Change, ChangeKind};
use crate::entity::EntityKind;
use crate::error::HistoryError;
use crate::repo::History;
use crate::walk::{Problem, WalkOptions};

/// The commitment a change touches, or `None` when it is not one (a description, a title).
pub fn category(change: &Change) -> Option<&'static str> {
    use EntityKind as K;
    let field = change.field.as_deref();
    if change.kind != ChangeKind::Modified {
        return match change.entity_kind {
            K::Program | K::Milestone => Some("scope"),
            K::Risk => Some("risk"),
            K::Decision => Some("decision"),
            K::Dependency => Some("dependency"),
            K::Raci => Some("owner"),
            K::Assumption | K::Issue => None,
        };
    }
    let field = field.unwrap_or_default();
    let top = field.split('.').next().unwrap_or_default();
    match (change.entity_kind, top) {
        (K::Decision, _) => Some("decision"),
        (K::Program, "start" | "target")
        | (K::Milestone, "target")
        | (K::Dependency, "needed_by")
        | (K::Risk, "due") => Some("date"),
        (K::Program, "scope" | "objectives" | "success_metrics")
        | (K::Milestone, "deliverables" | "acceptance") => Some("scope"),
        (K::Program, "owner" | "sponsor")
        | (K::Milestone | K::Risk | K::Dependency, "owner")
        | (K::Raci, "accountable" | "responsible") => Some("owner"),
        (K::Risk, "status" | "probability" | "impact" | "accepted_by") => Some("risk"),
        (K::Milestone, "gate" | "readiness") => Some("gate"),
        (K::Program | K::Milestone | K::Dependency, "status") => Some("status"),
        (K::Program, "id" | "renamed_from") => Some("identity"),
        _ => None,
    }
}

/// One change to a commitment (**contract**: `commit`, `author`, `date`, `entity`, `kind`,
/// `field`, `before`, `after`, `pr`).
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    /// The full commit id.
    pub commit: String,
    /// The author's name.
    pub author: String,
    /// The author's e-mail address.
    pub email: String,
    /// Who committed it (merged it, for a merge or squash on the forge).
    pub committer: String,
    /// The committer's e-mail address.
    pub committer_email: String,
    /// When it landed (RFC 3339, the committer's time zone).
    pub date: String,
    /// The commit's subject line.
    pub summary: String,
    /// The pull-request number from the message (`(#42)`, `Merge pull request #42`).
    pub pr: Option<u64>,
    /// `Reviewed-by:` trailers.
    pub reviewed_by: Vec<String>,
    /// `Approved-by:` trailers.
    pub approved_by: Vec<String>,
    /// Whether the commit carries a signature (not verified).
    pub signed: bool,
    /// `program` or `program/id`.
    pub entity: String,
    /// What the entity is.
    pub entity_kind: EntityKind,
    /// The commitment touched: date, scope, owner, risk, gate, decision, dependency, status.
    pub category: &'static str,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The field, for a modification.
    pub field: Option<String>,
    /// The value before.
    pub before: Value,
    /// The value after.
    pub after: Value,
    /// For a date moved: work days (positive = later).
    pub work_days: Option<i64>,
}

/// The evidence pack.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The first day of the window, if bounded.
    pub since: Option<NaiveDate>,
    /// The last day of the window, if bounded.
    pub until: Option<NaiveDate>,
    /// Every change to a commitment, oldest first.
    pub entries: Vec<AuditEntry>,
    /// File versions that did not parse (their changes are skipped).
    pub problems: Vec<Problem>,
    /// Commits read by the walk (changing the portfolio or not).
    pub commits_read: usize,
}

impl History {
    /// Every change to a commitment in commits dated `since..=until` (committer date) on the
    /// history of `tip`.
    ///
    /// # Errors
    /// [`HistoryError::Shallow`] when a shallow clone's history starts inside the window.
    pub fn audit(
        &self,
        tip: Oid,
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
        first_parent: bool,
    ) -> Result<Audit, HistoryError> {
        let walk = self.walk(
            tip,
            &WalkOptions {
                first_parent,
                since,
                until,
                ..WalkOptions::default()
            },
        )?;
        if let Some(boundary) = &walk.truncated {
            // The oldest commit present "adds" everything: in the window, that is not evidence.
            if walk
                .commits
                .first()
                .is_some_and(|c| c.commit.id.starts_with(boundary.as_str()))
            {
                return Err(HistoryError::Shallow {
                    boundary: boundary.clone(),
                    needed: match since {
                        Some(s) => format!("the audit since {s}"),
                        None => "the audit of the whole history".to_owned(),
                    },
                });
            }
        }
        let mut entries = Vec::new();
        for c in &walk.commits {
            let info = &c.commit;
            let signed = info.signed;
            for change in &c.changes {
                let Some(category) = category(change) else {
                    continue;
                };
                entries.push(AuditEntry {
                    commit: info.id.clone(),
                    author: info.author.clone(),
                    email: info.email.clone(),
                    committer: info.committer.clone(),
                    committer_email: info.committer_email.clone(),
                    date: info.time.to_rfc3339(),
                    summary: info.summary.clone(),
                    pr: info.pr,
                    reviewed_by: info
                        .trailer("Reviewed-by")
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    approved_by: info
                        .trailer("Approved-by")
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    signed,
                    entity: change.entity.clone(),
                    entity_kind: change.entity_kind,
                    category,
                    kind: change.kind,
                    field: change.field.clone(),
                    before: change.before.clone(),
                    after: change.after.clone(),
                    work_days: change.work_days,
                });
            }
        }
        Ok(Audit {
            since,
            until,
            entries,
            problems: walk.problems,
            commits_read: walk.walked,
        })
    }
}
