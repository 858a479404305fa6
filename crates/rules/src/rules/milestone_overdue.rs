//! `milestone-overdue`: a milestone past its target date and not done.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_load::{Diagnostic, Located};
use milepost_model::{Milestone, MilestoneStatus, RuleLevel};
use milepost_plan::Calendar;

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{day_count, days, reported};

/// The `milestone-overdue` rule.
pub const RULE: Rule = Rule {
    id: "milestone-overdue",
    summary: "A milestone is past its target and not done",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A `planned` or `in_progress` milestone whose `target` has passed as of the as-of date \
(a target on a non-work day means the end of the work day before it, as the plan reads it): the \
commitment was not met, or it was met and the file does not say so. Silent when the loader \
already reported `target` or `status`. An overdue milestone is not also reported by \
`milestone-slip`, and neither are the milestones its delay pushes past their targets: the \
finding names them, in its message and as related places (their targets).",
    why: "An overdue milestone that stays `in_progress` in the plan of record misleads every \
report built on it: the critical path, the forecast and the executive summary all assume a \
commitment that has already been missed.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
  - id: M2
    title: Partner sandbox available
    owner: bob
    duration: 1w
    depends_on: [M1]
    target: 2026-11-20
    status: in_progress
    started: 2026-11-16
",
    }],
    fix: "If it is finished, set `status: done` and `completed:` to the actual date. If not, \
agree a new target with the sponsor and change `target` in a pull request: the history of \
that line is the re-plan's audit trail.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design approved
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
  - id: M2
    title: Partner sandbox available
    owner: bob
    duration: 1w
    depends_on: [M1]
    target: 2026-11-20
    status: done
    completed: 2026-11-20
",
    }],
    options: &[],
    check,
};

/// Whether the rule fires on this milestone (also used by `milestone-slip` and
/// `health-mismatch`).
pub(crate) fn is_overdue(m: &Located<Milestone>, as_of: NaiveDate, calendar: &Calendar) -> bool {
    matches!(
        m.status,
        MilestoneStatus::Planned | MilestoneStatus::InProgress
    ) && m.target.is_some_and(|t| calendar.deadline_passed(t, as_of))
        && !reported(m, &["target", "status"])
}

/// For each overdue task of the plan, the open milestones its delay pushes past their
/// targets: those whose driving chain (in the plan, or the forecast outside cycles) reaches
/// it before any other overdue milestone. Memoised along the chains, so linear.
fn pushed_by(ctx: &Context<'_>, calendar: &Calendar) -> HashMap<usize, Vec<usize>> {
    const UNKNOWN: usize = usize::MAX;
    const NONE: usize = usize::MAX - 1;
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    let Some(plan) = ctx.plan else { return out };
    let forecast = ctx.forecast();
    let n = plan.keys.len();
    let milestone = |t: usize| {
        let key = plan.keys[t];
        &ctx.portfolio.programs[key.program].milestones[key.milestone]
    };
    let overdue: Vec<bool> = (0..n)
        .map(|t| is_overdue(milestone(t), ctx.as_of, calendar))
        .collect();
    // nearest[t]: the first overdue task on t's driving chain, t excluded (NONE: none).
    let mut nearest = vec![UNKNOWN; n];
    let mut path = Vec::new();
    for start in 0..n {
        let mut t = start;
        // Walk up until a known answer.
        let answer = loop {
            if nearest[t] != UNKNOWN {
                break nearest[t];
            }
            path.push(t);
            match forecast.task(t).and_then(|s| s.driving_pred) {
                Some(pred) if overdue[pred] => break pred,
                Some(pred) if path.len() <= n => t = pred,
                _ => break NONE,
            }
        };
        // Every task on the walked path has the same nearest overdue ancestor, except that a
        // task's answer is the overdue task just above it when there is one.
        let mut above = answer;
        while let Some(t) = path.pop() {
            nearest[t] = above;
            if overdue[t] {
                above = t;
            }
        }
    }
    for t in 0..n {
        let m = milestone(t);
        let open = matches!(
            m.status,
            MilestoneStatus::Planned | MilestoneStatus::InProgress
        );
        let late = forecast
            .task(t)
            .and_then(|s| s.slip_days)
            .is_some_and(|d| d > 0);
        if open && late && !overdue[t] && nearest[t] < NONE && !reported(m, &["target", "status"]) {
            out.entry(nearest[t]).or_default().push(t);
        }
    }
    out
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    let pushed = pushed_by(ctx, calendar);
    for (pi, program) in p.programs.iter().enumerate() {
        for (mi, m) in program.milestones.iter().enumerate() {
            if !is_overdue(m, ctx.as_of, calendar) {
                continue;
            }
            let Some(target) = m.target else { continue };
            let entity = program.qualify(&m.id);
            let status = if m.status == MilestoneStatus::Planned {
                "planned"
            } else {
                "in_progress"
            };
            let key = milepost_plan::MilestoneKey {
                program: pi,
                milestone: mi,
            };
            let pushed = ctx
                .plan
                .and_then(|plan| plan.task_of(key))
                .and_then(|t| pushed.get(&t))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut message = format!(
                "milestone {entity} was due {target} and is still `{status}` ({} overdue)",
                day_count(days(target, ctx.as_of), "days")
            );
            if let Some(plan) = ctx.plan.filter(|_| !pushed.is_empty()) {
                let names: Vec<String> = pushed.iter().map(|&t| plan.name(p, t)).collect();
                let shown = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
                let more = names.len().saturating_sub(5);
                let _ = write!(
                    message,
                    "; its delay pushes {shown}{} past {}",
                    if more > 0 { format!(" and {more} more") } else { String::new() },
                    if names.len() == 1 { "its target" } else { "their targets" }
                );
            }
            let mut d = ctx
                .finding_at(&entity, p.value_location(m, "/target"), message)
                .hint("if it is finished, set `status: done` and `completed: <date>`; otherwise agree a new `target` with the sponsor");
            if let Some(plan) = ctx.plan {
                for &t in pushed {
                    let key = plan.keys[t];
                    let other = &p.programs[key.program].milestones[key.milestone];
                    d = d.related(
                        p.value_location(other, "/target"),
                        format!("{} is pushed past this target", plan.name(p, t)),
                    );
                }
            }
            out.push(d);
        }
    }
}
