//! `raci-responsible`: a RACI row with nobody responsible.

use milepost_load::Diagnostic;
use milepost_model::RuleLevel;

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{raci_entity, raci_field_location, reported};

/// The `raci-responsible` rule.
pub const RULE: Rule = Rule {
    id: "raci-responsible",
    summary: "A RACI activity has nobody responsible",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "Every row of raci.yaml must list at least one `responsible` person or team. Fires \
when `responsible` is missing or an empty list. Silent when the loader already reported the \
`responsible` key.",
    why: "An activity with an accountable but nobody responsible has someone to blame and nobody \
doing the work. It usually means the row was copied from a template and never staffed.",
    example: &[Example {
        file: "programs/alpha/raci.yaml",
        yaml: "raci:
  - id: RACI-1
    activity: Load test at 3x peak
    accountable: ada
    informed: [cy]
",
    }],
    fix: "Add `responsible: [<id>, ...]` with the people or teams who do the work.",
    fixed: &[Example {
        file: "programs/alpha/raci.yaml",
        yaml: "raci:
  - id: RACI-1
    activity: Load test at 3x peak
    responsible: [platform]
    accountable: ada
    informed: [cy]
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for (i, row) in program.raci.iter().enumerate() {
            if !row.responsible.is_empty() || reported(row, &["responsible"]) {
                continue;
            }
            let entity = raci_entity(program, i, row);
            out.push(
                ctx.finding_at(&entity, raci_field_location(p, row, "responsible"), format!(
                    "RACI activity `{}` ({entity}) has nobody responsible",
                    row.activity
                ))
                .hint("add `responsible: [<person or team id>]`: who does the work"),
            );
        }
    }
}
