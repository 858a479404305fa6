//! `program-late`: a program's plan finishes after its charter's target.

use chrono::NaiveDate;
use milepost_load::Diagnostic;
use milepost_plan::PortfolioPlan;
use milepost_model::{ProgramStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `program-late` rule.
pub const RULE: Rule = Rule {
    id: "program-late",
    summary: "A program's plan finishes after its charter's target",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "An active or proposed program whose critical-path plan finishes after the `target` \
in its program.yaml (both read as the plan reads dates). Every milestone can meet its own \
target while the program as a whole cannot: the charter's date is the commitment leaders \
hold the program to.",
    why: "The charter's target is what the sponsor signed. A plan that cannot meet it is a \
re-plan that has not been agreed, and a status report that shows every milestone on time \
hides it.",
    example: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: proposed
owner: ada
sponsor: bob
start: 2026-11-02
target: 2026-12-04
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 4w
",
        },
    ],
    fix: "Shorten the plan (a `duration`, a `depends_on` that is not real), or agree a new \
charter `target` with the sponsor and change it in a pull request.",
    fixed: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: proposed
owner: ada
sponsor: bob
start: 2026-11-02
target: 2026-12-18
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 4w
",
        },
    ],
    options: &[],
    check,
};

/// The plan's finish of program `pi` (its last milestones' earliest finish) and those last
/// milestones; `None` when a milestone of the program has no schedule (downstream of a cycle,
/// which is reported itself) or the program has none.
pub(crate) fn program_finish(
    ctx: &Context<'_>,
    plan: &PortfolioPlan,
    pi: usize,
) -> Option<(NaiveDate, Vec<usize>)> {
    let forecast = ctx.forecast();
    let mut finish: Option<NaiveDate> = None;
    let mut last: Vec<usize> = Vec::new();
    for (t, key) in plan.keys.iter().enumerate() {
        if key.program != pi {
            continue;
        }
        let s = forecast.task(t)?;
        if finish.is_none_or(|f| s.earliest_finish > f) {
            finish = Some(s.earliest_finish);
            last = vec![key.milestone];
        } else if finish == Some(s.earliest_finish) {
            last.push(key.milestone);
        }
    }
    finish.map(|f| (f, last))
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(plan) = ctx.plan else { return };
    let p = ctx.portfolio;
    for (pi, program) in p.programs.iter().enumerate() {
        let charter = &program.charter;
        if !program.charter_loaded
            || matches!(
                charter.status,
                ProgramStatus::Done | ProgramStatus::Cancelled
            )
            || reported(charter, &["target", "status"])
        {
            continue;
        }
        let Some(target) = charter.target else { continue };
        let Some((finish, last)) = program_finish(ctx, plan, pi) else {
            continue;
        };
        let late = plan.calendar.deadline_days_between(target, finish);
        if late <= 0 {
            continue;
        }
        let mut d = ctx
            .finding_at(
                &program.id,
                p.value_location(charter, "/target"),
                format!(
                    "program `{}` is planned to finish {finish}, {late} work day{} after its charter target {target}",
                    program.id,
                    if late == 1 { "" } else { "s" }
                ),
            )
            .hint("shorten the critical path (`milepost plan --program` shows it), or agree a new charter `target` with the sponsor");
        for mi in last {
            let m = &program.milestones[mi];
            d = d.related(
                p.value_location(m, "/id"),
                format!("{} finishes {finish}", program.qualify(&m.id)),
            );
        }
        out.push(d);
    }
}
