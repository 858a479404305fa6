//! What the executive summary adds to a program report: the headline sentence, the root
//! causes of the slips, launch readiness, the lead's own words, and the changes since the
//! last report grouped the way a status meeting discusses them.

use chrono::NaiveDate;
use milepost_model::{MilestoneKind, MilestoneStatus, ReadinessStatus};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::report::{Change, GateView, MilestoneView};
use crate::status::Status;

/// A milestone that starts a chain of slips: late on its own account (its driving
/// predecessor is on time), with the milestones of the program it delays.
#[derive(Debug, Clone, Serialize)]
pub struct SlipCause {
    /// `M3`, or `other/M3` for another program's milestone.
    pub id: String,
    /// Title.
    pub title: String,
    /// Whether it belongs to another program.
    pub external: bool,
    /// Whether it is overdue (target passed, not done) rather than forecast late.
    pub overdue: bool,
    /// Work days past its target (planned finish − target), when it has a target.
    pub slip_days: Option<i64>,
    /// Its target.
    pub target: Option<NaiveDate>,
    /// Its planned finish.
    pub finish: Option<NaiveDate>,
    /// The program's milestones it pushes past their targets (ids), itself excluded.
    pub delays: Vec<String>,
}

/// Another program's milestone on this program's driving chain (a ghost row in the gantt).
#[derive(Debug, Clone, Serialize)]
pub struct DriverView {
    /// `program/id`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: MilestoneStatus,
    /// Planned start.
    pub start: NaiveDate,
    /// Planned finish.
    pub finish: NaiveDate,
    /// A 0-day event.
    pub event: bool,
    /// Its target.
    pub target: Option<NaiveDate>,
}

/// One launch: its dates, forecast and readiness.
#[derive(Debug, Clone, Serialize)]
pub struct LaunchView {
    /// The milestone id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: MilestoneStatus,
    /// Its target.
    pub target: Option<NaiveDate>,
    /// Planned finish.
    pub finish: Option<NaiveDate>,
    /// P80 forecast finish.
    pub p80: Option<NaiveDate>,
    /// Chance of meeting the target (`37%`).
    pub on_time: Option<String>,
    /// Work days past target (positive = late).
    pub slip_days: Option<i64>,
    /// The readiness gate, when it has one.
    pub gate: Option<GateView>,
    /// Gate items done or waived.
    pub ready_items: usize,
    /// Gate items.
    pub total_items: usize,
    /// The open gate items (not done or waived): `(id, title, status, owner)`.
    pub open_items: Vec<OpenItem>,
    /// The launch plan, part by part.
    pub plan: Vec<super::views::PlanPartView>,
    /// The parts of the launch plan not written (`comms`).
    pub plan_missing: Vec<&'static str>,
}

/// A readiness item still open.
#[derive(Debug, Clone, Serialize)]
pub struct OpenItem {
    /// The item id.
    pub id: String,
    /// What must be true.
    pub title: String,
    /// Its state.
    pub status: ReadinessStatus,
    /// Owner's display name.
    pub owner: Option<String>,
}

/// The lead's own words (`status_update:` in program.yaml).
#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    /// The day it was written.
    pub updated: NaiveDate,
    /// Days since.
    pub age_days: i64,
    /// Whether `status-update-stale` flags it.
    pub stale: bool,
    /// The lead's sentence.
    pub summary: Option<String>,
    /// What went well.
    pub highlights: Vec<String>,
    /// What the program needs.
    pub asks: Vec<String>,
}

/// The changes since the last report, grouped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChangesView {
    /// What the window is, in words (`since 2026-11-16`, `since v1.2 (2026-11-12)`).
    pub window: String,
    /// Date moves of commitments (targets, starts, needed-by dates), latest first.
    pub moved: Vec<Change>,
    /// Moves made without an approved pull request.
    pub unapproved: usize,
    /// Risks opened or closed, and other risk changes.
    pub risks: Vec<Change>,
    /// Decisions taken or changed.
    pub decisions: Vec<Change>,
    /// Scope added or removed.
    pub scope: Vec<Change>,
    /// Everything else that is a commitment (owners, gates, status).
    pub other: Vec<Change>,
    /// Whether nothing changed.
    pub empty: bool,
}

impl ChangesView {
    /// Groups `changes` (the audit entries of the window, already about this program).
    pub fn of(window: String, changes: &[Change]) -> ChangesView {
        let mut view = ChangesView {
            window,
            ..ChangesView::default()
        };
        for c in changes {
            let bucket = match c.category.as_deref() {
                Some("date") => &mut view.moved,
                Some("risk") => &mut view.risks,
                Some("decision") => &mut view.decisions,
                Some("scope") => &mut view.scope,
                _ => &mut view.other,
            };
            bucket.push(c.clone());
        }
        view.unapproved = view
            .moved
            .iter()
            .filter(|c| c.approved == Some(false))
            .count();
        view.empty = changes.is_empty();
        view
    }
}

impl Analysis<'_> {
    /// The milestones that start this program's slips, worst first: each slipping (or
    /// overdue) open milestone is traced along its driving dependencies to the first late
    /// one, which may be in another program.
    pub(crate) fn slip_causes(&self, pid: &str, milestones: &[MilestoneView]) -> Vec<SlipCause> {
        let late = |qid: &str| -> bool {
            self.row(qid).is_some_and(|r| {
                matches!(
                    r.status,
                    MilestoneStatus::Planned | MilestoneStatus::InProgress
                ) && (r.slip_days.is_some_and(|s| s > 0)
                    || r.target
                        .is_some_and(|t| self.plan.calendar.deadline_passed(t, self.as_of)))
            })
        };
        let mut causes: Vec<SlipCause> = Vec::new();
        for m in milestones {
            let open = matches!(
                m.status,
                MilestoneStatus::Planned | MilestoneStatus::InProgress
            );
            if !open || !(m.overdue || m.slip_days.is_some_and(|s| s > 0)) {
                continue;
            }
            // Walk to the first late milestone of the driving chain (bounded by the chain).
            let mut root = m.qid.clone();
            let mut steps = 0;
            while let Some(driver) = self.row(&root).and_then(|r| r.driving_dependency.clone()) {
                if !late(&driver) || steps > self.plan.tasks.len() {
                    break;
                }
                root = driver;
                steps += 1;
            }
            let delayed = (root != m.qid).then(|| m.id.clone());
            if let Some(c) = causes
                .iter_mut()
                .find(|c| c.id == root || (!c.external && format!("{pid}/{}", c.id) == root))
            {
                c.delays.extend(delayed);
                continue;
            }
            let Some(row) = self.row(&root) else { continue };
            let external = row.program != pid;
            causes.push(SlipCause {
                id: if external {
                    root.clone()
                } else {
                    super::local(pid, &root)
                },
                title: row.title.clone(),
                external,
                overdue: row
                    .target
                    .is_some_and(|t| self.plan.calendar.deadline_passed(t, self.as_of)),
                slip_days: row.slip_days,
                target: row.target,
                finish: Some(row.earliest_finish),
                delays: delayed.into_iter().collect(),
            });
        }
        for c in &mut causes {
            c.delays.sort();
            c.delays.dedup();
        }
        causes.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(b.slip_days.cmp(&a.slip_days))
                .then(a.id.cmp(&b.id))
        });
        causes
    }

    /// The other programs' milestones on this program's driving chain.
    pub(crate) fn external_drivers(&self, pid: &str, chain: &[String]) -> Vec<DriverView> {
        chain
            .iter()
            .filter_map(|q| self.row(q))
            .filter(|r| r.program != pid)
            .map(|r| DriverView {
                id: r.id.clone(),
                title: r.title.clone(),
                status: r.status,
                start: r.earliest_start,
                finish: r.earliest_finish,
                event: r.event,
                target: r.target,
            })
            .collect()
    }
}

/// The program's launches (not cancelled), by target, with their readiness.
pub(crate) fn launch_views(milestones: &[MilestoneView], gates: &[GateView]) -> Vec<LaunchView> {
    {
        let mut out: Vec<LaunchView> = milestones
            .iter()
            .filter(|m| m.kind == MilestoneKind::Launch && m.status != MilestoneStatus::Cancelled)
            .map(|m| {
                let gate = gates.iter().find(|g| g.milestone == m.id).cloned();
                let (ready_items, total_items, open_items) =
                    gate.as_ref().map_or((0, 0, Vec::new()), |g| {
                        let open = g
                            .items
                            .iter()
                            .filter(|i| {
                                !matches!(i.status, ReadinessStatus::Done | ReadinessStatus::Waived)
                            })
                            .map(|i| OpenItem {
                                id: i.id.clone(),
                                title: i.title.clone(),
                                status: i.status,
                                owner: i.owner.clone(),
                            })
                            .collect();
                        (g.done, g.total, open)
                    });
                LaunchView {
                    id: m.id.clone(),
                    title: m.title.clone(),
                    status: m.status,
                    target: m.target,
                    finish: m.finish,
                    p80: m.p80,
                    on_time: m.on_time.clone(),
                    slip_days: m.slip_days,
                    gate,
                    ready_items,
                    total_items,
                    open_items,
                    plan: m.launch_plan.clone(),
                    plan_missing: m
                        .launch_plan
                        .iter()
                        .filter(|p| p.text.is_none())
                        .map(|p| p.part)
                        .collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.target.cmp(&b.target).then(a.id.cmp(&b.id)));
        out
    }
}

/// The one sentence a VP reads first: the status word, the committed date against the plan
/// and the forecast, and the next launch.
#[allow(clippy::too_many_arguments)]
pub(crate) fn headline(
    name: &str,
    status: &Status,
    target: Option<NaiveDate>,
    finish: Option<NaiveDate>,
    slip_days: Option<i64>,
    p80: Option<NaiveDate>,
    on_time: Option<&str>,
    launches: &[LaunchView],
) -> String {
    use std::fmt::Write as _;

    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match status.code {
        "done" => return format!("{name} is done."),
        "cancelled" => return format!("{name} is cancelled."),
        _ => {}
    }
    let mut text = format!("{name} is {}", status.label.to_lowercase());
    match (target, finish) {
        (Some(committed), Some(planned)) => {
            let late = slip_days.unwrap_or(0);
            let _ = write!(
                text,
                ": committed for {committed}, the plan finishes {planned}"
            );
            if late > 0 {
                let _ = write!(text, ", {late} work day{} late", plural(late));
            }
            match (p80, on_time) {
                (Some(p80), Some(odds)) if p80 != planned => {
                    let _ = write!(text, " (P80 {p80}, {odds} chance of meeting it)");
                }
                (_, Some(odds)) => {
                    let _ = write!(text, " ({odds} chance of meeting it)");
                }
                _ => {}
            }
        }
        (None, Some(planned)) => {
            let _ = write!(text, ": no committed date; the plan finishes {planned}");
        }
        (_, None) => text.push_str(": the plan cannot be computed"),
    }
    text.push('.');
    let next = launches.iter().find(|l| {
        matches!(
            l.status,
            MilestoneStatus::Planned | MilestoneStatus::InProgress
        )
    });
    if let Some(launch) = next {
        let _ = write!(text, " Next launch: {} ", launch.title);
        match (launch.target, launch.finish, launch.slip_days) {
            (Some(committed), Some(planned), Some(late)) if late > 0 => {
                let _ = write!(
                    text,
                    "planned {planned}, {late} work day{} after its {committed} target",
                    plural(late)
                );
            }
            (Some(committed), Some(planned), _) => {
                let _ = write!(text, "planned {planned} for its {committed} target");
            }
            (None, Some(planned), _) => {
                let _ = write!(text, "planned {planned}");
            }
            (Some(committed), None, _) => {
                let _ = write!(text, "targeted {committed}");
            }
            (None, None, _) => text.push_str("not planned"),
        }
        if let Some(odds) = &launch.on_time {
            let _ = write!(text, ", {odds} chance on time");
        }
        if launch.total_items > 0 {
            let _ = write!(
                text,
                "; readiness {} of {} items",
                launch.ready_items, launch.total_items
            );
        }
        text.push('.');
    }
    text
}
