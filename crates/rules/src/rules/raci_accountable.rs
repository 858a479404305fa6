//! `raci-accountable`: a RACI row without exactly one accountable.

use milepost_load::Diagnostic;
use milepost_model::{OneOrMany, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{raci_entity, raci_field_location, reported};

/// The `raci-accountable` rule.
pub const RULE: Rule = Rule {
    id: "raci-accountable",
    summary: "A RACI activity does not have exactly one accountable",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "Every row of raci.yaml must name exactly one `accountable`: one person or team id. \
Fires when `accountable` is missing or empty, and when it lists two or more ids. Silent when \
the loader already reported the `accountable` key.",
    why: "Accountability that is shared is accountability nobody holds: with two names the go / \
no-go call falls between them, with none it falls to whoever is in the room. RACI's one rule \
is one A per activity.",
    example: &[Example {
        file: "programs/alpha/raci.yaml",
        yaml: "raci:
  - id: RACI-1
    activity: Go / no-go for the API launch
    milestone: M1
    responsible: [ada]
    accountable: [ada, cy]
    consulted: [bob]
",
    }],
    fix: "Keep the one person who answers for the outcome in `accountable` (written as one id, \
`accountable: cy`); move the others to `responsible` or `consulted`.",
    fixed: &[Example {
        file: "programs/alpha/raci.yaml",
        yaml: "raci:
  - id: RACI-1
    activity: Go / no-go for the API launch
    milestone: M1
    responsible: [ada]
    accountable: cy
    consulted: [bob]
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        for (i, row) in program.raci.iter().enumerate() {
            if reported(row, &["accountable"]) {
                continue;
            }
            let entity = raci_entity(program, i, row);
            let ids = row
                .accountable
                .as_ref()
                .map_or(&[][..], OneOrMany::as_slice);
            match ids.len() {
                1 => {}
                0 => out.push(
                    ctx.finding_at(&entity, raci_field_location(p, row, "accountable"), format!("RACI activity `{}` ({entity}) has no accountable", row.activity))
                        .hint("add `accountable: <person id>`: the one person who answers for the outcome"),
                ),
                n => {
                    let names: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
                    out.push(
                        ctx.finding_at(&entity, p.value_location(row, "/accountable"), format!(
                            "RACI activity `{}` ({entity}) has {n} accountables ({}); it needs exactly one",
                            row.activity,
                            names.join(", ")
                        ))
                        .hint("keep the one person who answers for the outcome; move the others to `responsible` or `consulted`"),
                    );
                }
            }
        }
    }
}
