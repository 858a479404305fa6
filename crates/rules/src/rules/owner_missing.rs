//! `owner-missing`: a program, milestone, risk, issue, dependency or open decision without
//! an owner.

use milepost_load::{Diagnostic, Located, Portfolio};
use milepost_model::{DecisionStatus, PersonRef, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{entity_location, reported};

/// The `owner-missing` rule.
pub const RULE: Rule = Rule {
    id: "owner-missing",
    summary: "Something that needs an owner has none",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "Every program (`owner` in program.yaml), milestone, risk, issue and dependency, and \
every decision that is still `proposed`, must name an `owner`: a person or team id from \
people.yaml. Silent when the loader already reported the `owner` key (for example a misspelt \
`ownr:` or an invalid value).",
    why: "Work without an owner is work nobody is chasing. In a weekly review the first \
question about any late milestone, live risk or open ask is \"who has it?\"; the plan of record \
should answer it before the meeting, not during it.",
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
    title: Payments API in production
    duration: 3w
    depends_on: [M1]
    target: 2027-01-29
",
    }],
    fix: "Add `owner: <id>` with the person (or team) who answers for it. For a program, the \
owner is the accountable program lead; the sponsor goes in `sponsor`.",
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
    title: Payments API in production
    owner: bob
    duration: 3w
    depends_on: [M1]
    target: 2027-01-29
",
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        let charter = &program.charter;
        if program.charter_loaded && charter.owner.is_none() && !reported(charter, &["owner"]) {
            out.push(
                ctx.finding_at(&program.id, p.value_location(charter, "/name"), format!("program `{}` has no owner", program.id))
                    .hint(format!(
                        "add `owner: <person id>` to programs/{}/program.yaml: the program lead who answers for delivery",
                        program.id
                    )),
            );
        }
        let q = |id: &str| program.qualify(id);
        for m in &program.milestones {
            missing(
                ctx,
                p,
                out,
                m,
                m.owner.as_ref(),
                "milestone",
                &q(&m.id),
                "who delivers it",
            );
        }
        for r in &program.risks {
            missing(
                ctx,
                p,
                out,
                r,
                r.owner.as_ref(),
                "risk",
                &q(&r.id),
                "who watches and mitigates it",
            );
        }
        for i in &program.issues {
            missing(
                ctx,
                p,
                out,
                i,
                i.owner.as_ref(),
                "issue",
                &q(&i.id),
                "who resolves it",
            );
        }
        for d in &program.dependencies {
            missing(
                ctx,
                p,
                out,
                d,
                d.owner.as_ref(),
                "dependency",
                &q(&d.id),
                "who chases it on our side",
            );
        }
        for d in &program.decisions {
            if d.status == DecisionStatus::Proposed {
                missing(
                    ctx,
                    p,
                    out,
                    d,
                    d.owner.as_ref(),
                    "open decision",
                    &q(&d.id),
                    "who drives it to a decision",
                );
            }
        }
    }
}

#[expect(clippy::too_many_arguments, reason = "the entity, its owner field and the message parts are distinct inputs")]
fn missing<T>(
    ctx: &Context<'_>,
    p: &Portfolio,
    out: &mut Vec<Diagnostic>,
    item: &Located<T>,
    owner: Option<&PersonRef>,
    noun: &str,
    entity: &str,
    role: &str,
) {
    if owner.is_some() || reported(item, &["owner"]) {
        return;
    }
    out.push(
        ctx.finding_at(entity, entity_location(p, item), format!("{noun} {entity} has no owner"))
            .hint(format!("add `owner: <person or team id>`: {role}")),
    );
}
