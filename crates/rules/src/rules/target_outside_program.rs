//! `target-outside-program`: a milestone target outside its program's start–target window.

use milepost_load::Diagnostic;
use milepost_model::{MilestoneStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `target-outside-program` rule.
pub const RULE: Rule = Rule {
    id: "target-outside-program",
    summary: "A milestone's target is before its program starts or after its program's target",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "An open milestone whose `target` is before its program's `start` or after its \
program's `target` (program.yaml). Done and cancelled milestones are history and are not \
checked.",
    why: "A milestone committed after the program's own end date is a commitment the charter \
does not cover: either the charter's date is no longer true or the milestone belongs to \
another program or phase.",
    example: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: proposed
owner: ada
sponsor: bob
start: 2026-11-02
target: 2027-01-29
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 1w
    target: 2027-02-12
",
        },
    ],
    fix: "Move the milestone's `target` inside the program's window, or agree a new program \
`target` with the sponsor.",
    fixed: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: proposed
owner: ada
sponsor: bob
start: 2026-11-02
target: 2027-02-12
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: Build
    owner: ada
    duration: 1w
    target: 2027-02-12
",
        },
    ],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        let charter = &program.charter;
        if !program.charter_loaded || reported(charter, &["start", "target"]) {
            continue;
        }
        for m in &program.milestones {
            if !matches!(
                m.status,
                MilestoneStatus::Planned | MilestoneStatus::InProgress
            ) || reported(m, &["target"])
            {
                continue;
            }
            let Some(target) = m.target else { continue };
            let entity = program.qualify(&m.id);
            let message = match (charter.start, charter.target) {
                (Some(start), _) if target < start => format!(
                    "milestone {entity} is due {target}, before its program starts ({start})"
                ),
                (_, Some(end)) if target > end => format!(
                    "milestone {entity} is due {target}, after its program's target {end}"
                ),
                _ => continue,
            };
            out.push(
                ctx.finding_at(&entity, p.value_location(m, "/target"), message)
                    .related(
                        p.value_location(charter, "/target"),
                        "the program's window (program.yaml)",
                    )
                    .hint("move the target inside the program's window, or agree a new program `target` with the sponsor"),
            );
        }
    }
}
