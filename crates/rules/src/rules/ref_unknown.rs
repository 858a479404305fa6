//! `ref-unknown`: a reference to a milestone, program, decision, gate or gate item that does
//! not exist (reported by the loader).

use milepost_model::RuleLevel;

use crate::rule::{Example, Origin, Rule, reported_by_loader};

/// The `ref-unknown` rule.
pub const RULE: Rule = Rule {
    id: "ref-unknown",
    summary: "A reference names something that does not exist",
    default_level: RuleLevel::Error,
    origin: Origin::Loader,
    what: "Reported by the loader for every reference that does not resolve: a `depends_on` \
entry, a risk's or issue's linked `milestones`, a dependency's or RACI row's `milestone`, a \
decision's `supersedes`, a milestone's `gate` template or one of its `readiness` keys. A \
reference is `M3` within the program or `program-id/M3` across programs; naming an entity of the \
wrong kind (a risk where a milestone is expected) is reported too.",
    why: "A dangling `depends_on` silently drops a link from the critical path, so the plan looks \
earlier than it is; a misspelt readiness key leaves the real gate item unaddressed.",
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
    owner: bob
    duration: 3w
    depends_on: [M3]
    target: 2027-01-29
",
    }],
    fix: "Use an id that exists (the hint suggests the closest one). To refer to another \
program's milestone, write `program-id/M3`.",
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
    check: reported_by_loader,
};
