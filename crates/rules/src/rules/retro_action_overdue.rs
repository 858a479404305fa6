//! `retro-action-overdue`: an action agreed in a retrospective is past its due date.

use milepost_load::Diagnostic;
use milepost_model::{ActionStatus, ProgramStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{day_count, days, reported};

/// The `retro-action-overdue` rule.
pub const RULE: Rule = Rule {
    id: "retro-action-overdue",
    summary: "A retrospective action is past its due date",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "An `open` action of a retrospective (`retrospectives:` in program.yaml) whose `due` \
date has passed (as the plan reads a deadline: the end of that work day). Silent for cancelled \
programs and when the loader already reported the retrospectives.",
    why: "A retrospective is worth the actions it changes. Actions that quietly pass their date \
are the same lesson learned again at the next launch.",
    example: &[Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: proposed
sponsor: cy
owner: ada
retrospectives:
  - title: Design review retrospective
    held: 2026-11-02
    actions:
      - title: Add a security reviewer to every design review
        owner: bob
        due: 2026-11-13
",
    }],
    fix: "Do it and set `status: done`, agree a new `due` date, or set `status: dropped` if it \
is no longer worth doing.",
    fixed: &[Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: proposed
sponsor: cy
owner: ada
retrospectives:
  - title: Design review retrospective
    held: 2026-11-02
    actions:
      - title: Add a security reviewer to every design review
        owner: bob
        due: 2026-11-13
        status: done
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    let calendar = ctx.calendar();
    for program in &p.programs {
        let charter = &program.charter;
        if !program.charter_loaded
            || charter.status == ProgramStatus::Cancelled
            || reported(charter, &["retrospectives"])
        {
            continue;
        }
        for (r, retro) in charter.retrospectives.iter().enumerate() {
            for (a, action) in retro.actions.iter().enumerate() {
                let Some(due) = action.due else { continue };
                if action.status != ActionStatus::Open || !calendar.deadline_passed(due, ctx.as_of)
                {
                    continue;
                }
                let late = days(due, ctx.as_of);
                out.push(
                    ctx.finding_at(
                        &program.id,
                        p.value_location(charter, &format!("/retrospectives/{r}/actions/{a}/due")),
                        format!(
                            "action \"{}\" from the retrospective \"{}\" of program `{}` was due {due}, {} ago",
                            action.title,
                            retro.title,
                            program.id,
                            day_count(late, "days")
                        ),
                    )
                    .hint("do it and set `status: done`, agree a new `due`, or set `status: dropped`"),
                );
            }
        }
    }
}
