//! The written business review (`milepost render review --period month|quarter`): what a
//! TPM director brings to a monthly or quarterly review and to a steering committee.
//!
//! The history half (date moves and their change control, the scorecard at the end of the
//! period and of the one before) is read from git by the caller and passed in as
//! [`ReviewHistory`]; this module adds what the files say about the period and the next one.

use chrono::{Datelike, Months, NaiveDate};
use milepost_model::{DecisionStatus, IssueStatus, MilestoneKind, MilestoneStatus};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::report::{Change, DecisionView, ProgramLine, ProgramReport, RiskView};

/// A calendar month or quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
}

/// One review period: its first and last day and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Month or quarter.
    pub kind: PeriodKind,
    /// `November 2026`, `Q4 2026`.
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Period {
    /// The period of `kind` that contains `day`.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        let (first_month, months) = match kind {
            PeriodKind::Month => (day.month(), 1),
            PeriodKind::Quarter => ((day.month0() / 3) * 3 + 1, 3),
        };
        let start = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
        let end = start
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        let label = match kind {
            PeriodKind::Month => {
                format!("{} {}", MONTH_NAMES[start.month0() as usize], start.year())
            }
            PeriodKind::Quarter => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
        };
        Period {
            kind,
            label,
            start,
            end,
        }
    }

    /// The last complete period before `as_of`: a review on 1 December covers November.
    pub fn last_complete(kind: PeriodKind, as_of: NaiveDate) -> Period {
        let current = Period::containing(kind, as_of);
        Period::containing(kind, current.start.pred_opt().unwrap_or(current.start))
    }

    /// The period after this one.
    #[must_use]
    pub fn next(&self) -> Period {
        Period::containing(self.kind, self.end.succ_opt().unwrap_or(self.end))
    }

    /// The period before this one.
    #[must_use]
    pub fn previous(&self) -> Period {
        Period::containing(self.kind, self.start.pred_opt().unwrap_or(self.start))
    }

    /// Whether `day` is in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// One KPI of the scorecard at the end of the period, with the value at the end of the
/// period before.
#[derive(Debug, Clone, Serialize)]
pub struct KpiRow {
    /// The KPI id (`milestone-variance`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The value, formatted (`83%`, `12 days`, `n/a`).
    pub value: String,
    /// The value at the end of the previous period, formatted.
    pub previous: Option<String>,
    /// `up`, `down`, `flat`, or empty when either value is missing.
    pub trend: &'static str,
    /// What the number is made of (`10 of 12 milestones …`).
    pub detail: String,
    /// The definition.
    pub definition: String,
    /// The target in words (`≥ 80%`), when there is one.
    pub target: Option<String>,
    /// `met`, `missed`, `no-target` or `no-data`.
    pub status: String,
}

/// What the caller read from git for the review.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewHistory {
    /// The scorecard at the end of the period (with the previous period's values).
    pub kpis: Vec<KpiRow>,
    /// What the scorecard was computed at: `as of 2026-11-30, commit 1a2b3c4`.
    pub basis: Option<String>,
    /// Target moves in the period (audit entries of category `date`), oldest first.
    pub moves: Vec<Change>,
    /// Why history could not be read, when it could not.
    pub unavailable: Option<String>,
    /// Why there is no scorecard although history was read (`the history starts after …`).
    pub scorecard_note: Option<String>,
    /// The trend by month, the throughput run chart and the cycle-time control chart, at
    /// the end of the period.
    pub scorecard: Option<super::ScorecardView>,
}

/// A milestone delivered (or due) in a period.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    /// `program/id`.
    pub id: String,
    /// Title.
    pub title: String,
    /// `milestone` or `launch`.
    pub kind: MilestoneKind,
    /// Its target.
    pub target: Option<NaiveDate>,
    /// Completed on (delivered rows), or planned finish (commitments).
    pub date: Option<NaiveDate>,
    /// Work days late against the target (positive = late), when both are known.
    pub late_days: Option<i64>,
    /// Chance of meeting the target (commitments).
    pub on_time: Option<String>,
    /// Owner's display name.
    pub owner: Option<String>,
    /// For a launch: what happened after it went live (`1 sev2 incident; rolled back
    /// 2026-11-30`, `no incident`, `no outcome recorded`).
    pub outcome: Option<String>,
}

/// A launch's outcome in words.
fn outcome_text(m: &milepost_model::Milestone) -> Option<String> {
    if m.kind != MilestoneKind::Launch {
        return None;
    }
    let Some(o) = &m.outcome else {
        return Some("no outcome recorded".to_owned());
    };
    let mut parts: Vec<String> = Vec::new();
    for sev in [
        milepost_model::IncidentSeverity::Sev1,
        milepost_model::IncidentSeverity::Sev2,
        milepost_model::IncidentSeverity::Sev3,
        milepost_model::IncidentSeverity::Sev4,
    ] {
        let n = o.incidents.iter().filter(|i| i.severity == sev).count();
        if n > 0 {
            let name = format!("{sev:?}").to_lowercase();
            parts.push(format!(
                "{n} {name} incident{}",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    if let Some(d) = o.rolled_back {
        parts.push(format!("rolled back {d}"));
    }
    if parts.is_empty() {
        parts.push("no incident".to_owned());
    }
    Some(parts.join("; "))
}

/// A retrospective action still open.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    /// The program id.
    pub program: String,
    /// The retrospective's title.
    pub retrospective: String,
    /// What will be done.
    pub title: String,
    /// Owner's display name.
    pub owner: Option<String>,
    /// Its due date.
    pub due: Option<NaiveDate>,
    /// Past its due date (as the plan reads a deadline).
    pub overdue: bool,
}

/// The whole review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// The period reviewed.
    pub period: Period,
    /// The next period (its commitments are listed).
    pub next: Period,
    /// Every program's line (status, dates, forecast).
    pub programs: Vec<ProgramLine>,
    /// Programs by computed status: `(label, count)`.
    pub by_status: Vec<(String, usize)>,
    /// Milestones completed in the period, by completion date.
    pub delivered: Vec<DeliveryRow>,
    /// How many of them were on time (by their target, as the plan reads it).
    pub delivered_on_time: usize,
    /// Programs completed in the period (their last milestone completed in it).
    pub programs_delivered: Vec<String>,
    /// Target moves later in the period, with their change control.
    pub slips: Vec<Change>,
    /// Target moves later without an approved pull request.
    pub unapproved_slips: usize,
    /// Target moves earlier in the period.
    pub pulled_in: Vec<Change>,
    /// The scorecard.
    pub kpis: Vec<KpiRow>,
    /// What the scorecard was computed at.
    pub basis: Option<String>,
    /// Why there is no scorecard although history was read.
    pub scorecard_note: Option<String>,
    /// The trend and flow charts' data.
    pub scorecard: Option<super::ScorecardView>,
    /// The live risks with the highest scores across the portfolio.
    pub top_risks: Vec<RiskView>,
    /// Open escalated issues: `(program/id, title, owner)`.
    pub escalations: Vec<(String, String, Option<String>)>,
    /// Decisions taken in the period.
    pub decided: Vec<DecisionView>,
    /// Decisions still proposed, by needed-by date.
    pub pending: Vec<DecisionView>,
    /// Launches completed in the period.
    pub launches: Vec<DeliveryRow>,
    /// Milestones and launches due in the next period (open), by target.
    pub commitments: Vec<DeliveryRow>,
    /// Retrospective actions still open, overdue first, by due date.
    pub open_actions: Vec<ActionRow>,
    /// Why the history parts are missing, when they are.
    pub unavailable: Option<String>,
}

impl Analysis<'_> {
    /// Builds the review of `period` from the files and the caller's `history`.
    pub fn review(&self, period: &Period, history: &ReviewHistory) -> Review {
        let reports: Vec<ProgramReport> = (0..self.portfolio.programs.len())
            .map(|i| self.program_report(i))
            .collect();
        let programs: Vec<ProgramLine> = reports.iter().map(Analysis::program_line).collect();
        let mut by_status: Vec<(String, usize)> = Vec::new();
        for line in &programs {
            match by_status.iter_mut().find(|(l, _)| *l == line.status.label) {
                Some((_, n)) => *n += 1,
                None => by_status.push((line.status.label.to_owned(), 1)),
            }
        }
        let calendar = &self.plan.calendar;
        let next = period.next();
        let mut delivered = Vec::new();
        let mut commitments = Vec::new();
        let mut programs_delivered = Vec::new();
        for (program, report) in self.portfolio.programs.iter().zip(&reports) {
            let mut last_completion: Option<NaiveDate> = None;
            let mut all_done = !program.milestones.is_empty();
            for m in &program.milestones {
                let qid = program.qualify(&m.id);
                let owner = m.owner.as_ref().map(|o| self.name_of(o));
                match (m.status, m.completed) {
                    (MilestoneStatus::Done, Some(done)) => {
                        last_completion = Some(last_completion.map_or(done, |l| l.max(done)));
                        if period.contains(done) {
                            delivered.push(DeliveryRow {
                                id: qid.clone(),
                                title: m.title.clone(),
                                kind: m.kind,
                                target: m.target,
                                date: Some(done),
                                late_days: m
                                    .target
                                    .map(|t| calendar.deadline_days_between(t, done)),
                                on_time: None,
                                owner,
                                outcome: outcome_text(m),
                            });
                        }
                    }
                    (MilestoneStatus::Cancelled, _) | (MilestoneStatus::Done, None) => {}
                    _ => {
                        all_done = false;
                        if m.target.is_some_and(|t| next.contains(t)) {
                            let view = report.milestones.iter().find(|v| v.id == m.id.as_str());
                            commitments.push(DeliveryRow {
                                id: qid.clone(),
                                title: m.title.clone(),
                                kind: m.kind,
                                target: m.target,
                                date: view.and_then(|v| v.finish),
                                late_days: view.and_then(|v| v.slip_days),
                                on_time: view.and_then(|v| v.on_time.clone()),
                                owner,
                                outcome: None,
                            });
                        }
                    }
                }
            }
            if all_done && last_completion.is_some_and(|d| period.contains(d)) {
                programs_delivered.push(report.name.clone());
            }
        }
        delivered.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        commitments.sort_by(|a, b| a.target.cmp(&b.target).then(a.id.cmp(&b.id)));
        let delivered_on_time = delivered
            .iter()
            .filter(|d| d.late_days.is_none_or(|l| l <= 0))
            .count();
        let launches = delivered
            .iter()
            .filter(|d| d.kind == MilestoneKind::Launch)
            .cloned()
            .collect();
        let (slips, pulled_in): (Vec<Change>, Vec<Change>) = history
            .moves
            .iter()
            .filter(|c| c.work_days.is_some_and(|d| d != 0))
            .cloned()
            .partition(|c| c.work_days.is_some_and(|d| d > 0));
        let unapproved_slips = slips.iter().filter(|c| c.approved == Some(false)).count();
        let overview = self.overview(&reports);
        let mut decided = Vec::new();
        let mut pending = Vec::new();
        let mut escalations = Vec::new();
        for program in &self.portfolio.programs {
            for d in &program.decisions {
                let mut view = self.decision_view(&program.id, d);
                view.id = program.qualify(&d.id);
                match d.status {
                    DecisionStatus::Decided if d.decided.is_some_and(|x| period.contains(x)) => {
                        decided.push(view);
                    }
                    DecisionStatus::Proposed => pending.push(view),
                    _ => {}
                }
            }
            for i in &program.issues {
                if i.status == IssueStatus::Escalated {
                    escalations.push((
                        program.qualify(&i.id),
                        i.title.clone(),
                        i.owner.as_ref().map(|o| self.name_of(o)),
                    ));
                }
            }
        }
        let mut open_actions: Vec<ActionRow> = Vec::new();
        for program in &self.portfolio.programs {
            for retro in &program.charter.retrospectives {
                for action in &retro.actions {
                    if action.status != milepost_model::ActionStatus::Open {
                        continue;
                    }
                    open_actions.push(ActionRow {
                        program: program.id.clone(),
                        retrospective: retro.title.clone(),
                        title: action.title.clone(),
                        owner: action.owner.as_ref().map(|o| self.name_of(o)),
                        due: action.due,
                        overdue: action
                            .due
                            .is_some_and(|d| calendar.deadline_passed(d, self.as_of)),
                    });
                }
            }
        }
        open_actions.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(a.due.is_none().cmp(&b.due.is_none()))
                .then(a.due.cmp(&b.due))
                .then(a.program.cmp(&b.program))
        });
        pending.sort_by(|a, b| {
            a.needed_by
                .is_none()
                .cmp(&b.needed_by.is_none())
                .then(a.needed_by.cmp(&b.needed_by))
                .then(a.id.cmp(&b.id))
        });
        Review {
            period: period.clone(),
            next,
            programs,
            by_status,
            delivered,
            delivered_on_time,
            programs_delivered,
            slips,
            unapproved_slips,
            pulled_in,
            kpis: history.kpis.clone(),
            basis: history.basis.clone(),
            scorecard_note: history.scorecard_note.clone(),
            scorecard: history.scorecard.clone(),
            top_risks: overview.top_risks,
            escalations,
            decided,
            pending,
            launches,
            commitments,
            open_actions,
            unavailable: history.unavailable.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_are_calendar_months_and_quarters() {
        let m = Period::last_complete(PeriodKind::Month, d("2026-12-01"));
        assert_eq!(
            (m.start, m.end, m.label.as_str()),
            (d("2026-11-01"), d("2026-11-30"), "November 2026")
        );
        assert_eq!(m.next().label, "December 2026");
        assert_eq!(m.previous().label, "October 2026");
        let q = Period::last_complete(PeriodKind::Quarter, d("2027-01-05"));
        assert_eq!(
            (q.start, q.end, q.label.as_str()),
            (d("2026-10-01"), d("2026-12-31"), "Q4 2026")
        );
        assert_eq!(q.next().label, "Q1 2027");
        assert_eq!(q.next().end, d("2027-03-31"));
        let feb = Period::containing(PeriodKind::Month, d("2028-02-10"));
        assert_eq!(feb.end, d("2028-02-29"));
    }
}
