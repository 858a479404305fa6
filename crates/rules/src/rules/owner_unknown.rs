//! `owner-unknown`: a person or team id that is not in people.yaml (reported by the loader).

use milepost_model::RuleLevel;

use crate::rule::{Example, Origin, Rule, reported_by_loader};

/// The `owner-unknown` rule.
pub const RULE: Rule = Rule {
    id: "owner-unknown",
    summary: "A person or team id is not in people.yaml",
    default_level: RuleLevel::Error,
    origin: Origin::Loader,
    what: "Reported by the loader for every person or team reference that people.yaml does not \
define: owners, sponsors, stakeholders, risk `accepted_by`, issue `escalated_to`, dependency \
`provider`, RACI members, decision `decided_by`, readiness owners and approvers, a person's \
`team` and a team's `lead`.",
    why: "An owner nobody can find is no owner: `jdoe` may have left, or be a typo for someone \
who does not know they own the milestone. Keeping every id in people.yaml is also what lets \
milepost turn owners into forge handles (CODEOWNERS, review requests).",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design approved
    owner: adaa
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
",
    }],
    fix: "Use the id from people.yaml (the hint suggests the closest one), or add the person or \
team to people.yaml.",
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
",
    }],
    options: &[],
    check: reported_by_loader,
};
