//! `id-duplicate`: an id defined twice (reported by the loader).

use milepost_model::RuleLevel;

use crate::rule::{Example, Origin, Rule, reported_by_loader};

/// The `id-duplicate` rule.
pub const RULE: Rule = Rule {
    id: "id-duplicate",
    summary: "An id is defined twice",
    default_level: RuleLevel::Error,
    origin: Origin::Loader,
    what: "Reported by the loader when two entities of one program share an id (milestones, \
risks, assumptions, issues, dependencies, decisions and RACI rows share one namespace per \
program), or when two people or teams in people.yaml share an id. The finding points at the \
second definition and notes the first.",
    why: "`program/id` must name one thing: a reference, a RACI row or an audit trail that says \
`ledger/M5` would otherwise mean whichever came first, and the second entity is left out of \
the plan.",
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
  - id: M1
    title: Payments API in production
    owner: bob
    duration: 3w
    target: 2027-01-29
",
    }],
    fix: "Rename one of the two. Ids are never reused, even for deleted entities, so that old \
references and history stay unambiguous.",
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
    target: 2027-01-29
",
    }],
    options: &[],
    check: reported_by_loader,
};
