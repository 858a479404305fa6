//! The computed status of a program: on track, at risk or off track, and why.
//!
//! An executive summary leads with one word, so milepost computes it from the evidence
//! instead of copying the owner's declared `health`; the declared health is shown beside it
//! when the two differ. The evidence and the thresholds (documented in `templates/README.md`):
//!
//! | status | when any of |
//! |---|---|
//! | **off track** (red) | a milestone is overdue (target passed, not done); the plan's finish is after the charter `target`; a milestone is forecast more than [`OFF_TRACK_SLIP_DAYS`] work days past its target; the plan cannot be computed (a dependency cycle) |
//! | **at risk** (amber) | a milestone is forecast past its target; the P80 forecast finish is after the charter `target`; a live risk scores at least [`AT_RISK_SCORE`] (probability × impact, 1–12: medium × critical, high × high or worse); an escalated issue is open; a launch-readiness item is blocked; an external dependency is late, aging without a commitment or flagged at risk by its provider; an error-level governance finding (`milepost check`) |
//! | **on track** (green) | none of the above |
//!
//! Done and cancelled programs get that word instead, with no colour.

use chrono::NaiveDate;
use milepost_model::{Health, Named, ProgramStatus};
use serde::Serialize;

/// A milestone slip (work days past target) above which a program is off track, unless the
/// portfolio sets `health-mismatch`'s `off_track_days` (the same line `milepost check`
/// draws between amber and red evidence).
pub const OFF_TRACK_SLIP_DAYS: i64 = 10;

/// The risk score (probability × impact, 1–12) from which a live risk puts a program at risk.
pub const AT_RISK_SCORE: u8 = 8;

/// The evidence for one program's status, gathered by the report builder.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The charter's lifecycle status.
    pub lifecycle: ProgramStatus,
    /// Whether the plan could not be computed.
    pub no_plan: bool,
    /// Milestones past their target and not done: (id, target).
    pub overdue: Vec<(String, NaiveDate)>,
    /// The milestones that start the program's slips (root causes, not overdue), as
    /// `(label, slip in work days)`; the label may say what else each one delays.
    pub slips: Vec<(String, i64)>,
    /// The charter's target.
    pub target: Option<NaiveDate>,
    /// The plan's finish.
    pub finish: Option<NaiveDate>,
    /// The P80 forecast finish.
    pub p80: Option<NaiveDate>,
    /// Live risks: (id, score).
    pub risks: Vec<(String, u8)>,
    /// Open escalated issues.
    pub escalated: Vec<String>,
    /// Blocked readiness items: (milestone id, item id).
    pub blocked: Vec<(String, String)>,
    /// Dependencies needing attention: (id, why).
    pub dependencies: Vec<(String, String)>,
    /// Error-level governance findings.
    pub errors: usize,
    /// Work days past target from which a slip is off track; `None`: [`OFF_TRACK_SLIP_DAYS`].
    pub off_track_days: Option<i64>,
}

/// A program's computed status, ready to render.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    /// `on_track`, `at_risk`, `off_track`, `done` or `cancelled`.
    pub code: &'static str,
    /// `On track`, `At risk`, `Off track`, `Done` or `Cancelled`.
    pub label: &'static str,
    /// The equivalent health colour (`green`, `amber`, `red`), none for done and cancelled.
    pub rag: Option<&'static str>,
    /// The health the owner declared, if any.
    pub declared: Option<&'static str>,
    /// Whether the declared health differs from the computed one (false when none declared).
    pub differs: bool,
    /// Why, most serious first.
    pub reasons: Vec<String>,
}

fn list(items: &[String]) -> String {
    const MAX: usize = 4;
    if items.len() <= MAX {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..MAX].join(", "), items.len() - MAX)
    }
}

/// Computes the status from the evidence.
pub fn compute(e: &Evidence, declared: Option<Health>) -> Status {
    let declared = declared.map(|h| h.as_str());
    match e.lifecycle {
        ProgramStatus::Done | ProgramStatus::Cancelled => {
            let done = e.lifecycle == ProgramStatus::Done;
            return Status {
                code: if done { "done" } else { "cancelled" },
                label: if done { "Done" } else { "Cancelled" },
                rag: None,
                declared,
                differs: false,
                reasons: Vec::new(),
            };
        }
        _ => {}
    }
    let mut red = Vec::new();
    let mut amber = Vec::new();
    if e.no_plan {
        red.push("the plan cannot be computed (see `milepost check`)".to_owned());
    }
    if !e.overdue.is_empty() {
        let items: Vec<String> = e
            .overdue
            .iter()
            .map(|(id, t)| format!("{id} (target {t})"))
            .collect();
        red.push(format!(
            "{} overdue: {}",
            if items.len() == 1 {
                "1 milestone is"
            } else {
                "milestones are"
            },
            list(&items)
        ));
    }
    if let (Some(finish), Some(target)) = (e.finish, e.target)
        && finish > target
    {
        red.push(format!(
            "the plan finishes {finish}, after the committed target {target}"
        ));
    }
    // One bullet for the slips, whatever their size: the root causes (milestones late on
    // their own account), red when one is more than the off-track threshold late.
    if !e.slips.is_empty() {
        let mut worst_first: Vec<&(String, i64)> = e.slips.iter().collect();
        worst_first.sort_by_key(|s| std::cmp::Reverse(s.1));
        let items: Vec<String> = worst_first
            .iter()
            .map(|(id, d)| format!("{id} by {d} work day{}", if *d == 1 { "" } else { "s" }))
            .collect();
        let bullet = format!("forecast past target: {}", list(&items));
        let off_track = e.off_track_days.unwrap_or(OFF_TRACK_SLIP_DAYS);
        if e.slips.iter().any(|(_, d)| *d > off_track) {
            red.push(bullet);
        } else {
            amber.push(bullet);
        }
    }
    if let (Some(p80), Some(target), Some(finish)) = (e.p80, e.target, e.finish)
        && p80 > target
        && finish <= target
    {
        amber.push(format!(
            "P80 forecast finish {p80} is after the target {target}"
        ));
    }
    let high: Vec<String> = e
        .risks
        .iter()
        .filter(|(_, s)| *s >= AT_RISK_SCORE)
        .map(|(id, s)| format!("{id} ({s}/12)"))
        .collect();
    if !high.is_empty() {
        amber.push(format!("high-severity risks: {}", list(&high)));
    }
    if !e.escalated.is_empty() {
        amber.push(format!("escalated issues: {}", list(&e.escalated)));
    }
    if !e.blocked.is_empty() {
        let items: Vec<String> = e.blocked.iter().map(|(m, i)| format!("{m} {i}")).collect();
        amber.push(format!("blocked readiness: {}", list(&items)));
    }
    if !e.dependencies.is_empty() {
        let items: Vec<String> = e
            .dependencies
            .iter()
            .map(|(id, why)| format!("{id} ({why})"))
            .collect();
        amber.push(format!("dependencies: {}", list(&items)));
    }
    if e.errors > 0 {
        amber.push(format!(
            "{} error-level governance finding{} (`milepost check`)",
            e.errors,
            if e.errors == 1 { "" } else { "s" }
        ));
    }
    let (code, label, rag) = if !red.is_empty() {
        ("off_track", "Off track", "red")
    } else if !amber.is_empty() {
        ("at_risk", "At risk", "amber")
    } else {
        ("on_track", "On track", "green")
    };
    red.extend(amber);
    Status {
        code,
        label,
        rag: Some(rag),
        declared,
        differs: declared.is_some_and(|d| d != rag),
        reasons: red,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn no_evidence_is_on_track() {
        let s = compute(
            &Evidence {
                lifecycle: ProgramStatus::Active,
                ..Evidence::default()
            },
            Some(Health::Green),
        );
        assert_eq!(s.code, "on_track");
        assert!(!s.differs);
        assert!(s.reasons.is_empty());
    }

    #[test]
    fn a_small_slip_is_at_risk_and_a_big_one_off_track() {
        let mut e = Evidence {
            lifecycle: ProgramStatus::Active,
            slips: vec![("M1".into(), 3)],
            ..Evidence::default()
        };
        let s = compute(&e, Some(Health::Green));
        assert_eq!((s.code, s.differs), ("at_risk", true));
        e.slips.push(("M2".into(), OFF_TRACK_SLIP_DAYS + 1));
        let s = compute(&e, Some(Health::Red));
        assert_eq!((s.code, s.differs), ("off_track", false));
        // One bullet for the slips, worst first: not one bullet per size.
        assert_eq!(s.reasons.len(), 1, "{:?}", s.reasons);
        assert!(
            s.reasons[0].contains("M2 by 11 work days, M1 by 3 work days"),
            "{:?}",
            s.reasons
        );
    }

    #[test]
    fn the_portfolio_sets_where_off_track_starts() {
        let e = Evidence {
            lifecycle: ProgramStatus::Active,
            slips: vec![("M1".into(), OFF_TRACK_SLIP_DAYS + 1)],
            off_track_days: Some(OFF_TRACK_SLIP_DAYS + 5),
            ..Evidence::default()
        };
        assert_eq!(compute(&e, None).code, "at_risk");
    }

    #[test]
    fn overdue_and_late_finish_are_off_track() {
        let s = compute(
            &Evidence {
                lifecycle: ProgramStatus::Active,
                target: Some(date("2027-01-01")),
                finish: Some(date("2027-02-01")),
                ..Evidence::default()
            },
            None,
        );
        assert_eq!(s.code, "off_track");
        assert!(!s.differs, "nothing declared, nothing to differ from");
    }

    #[test]
    fn severe_risks_and_p80_are_at_risk() {
        let s = compute(
            &Evidence {
                lifecycle: ProgramStatus::Active,
                target: Some(date("2027-01-01")),
                finish: Some(date("2026-12-01")),
                p80: Some(date("2027-01-10")),
                risks: vec![("R-1".into(), 6), ("R-2".into(), AT_RISK_SCORE)],
                ..Evidence::default()
            },
            None,
        );
        assert_eq!(s.code, "at_risk");
        assert_eq!(s.reasons.len(), 2);
        assert!(s.reasons[1].contains("R-2 (8/12)"));
        assert!(!s.reasons[1].contains("R-1"));
    }

    #[test]
    fn done_programs_have_no_colour() {
        let s = compute(
            &Evidence {
                lifecycle: ProgramStatus::Done,
                overdue: vec![("M1".into(), date("2026-01-01"))],
                ..Evidence::default()
            },
            Some(Health::Green),
        );
        assert_eq!((s.code, s.rag), ("done", None));
    }
}
