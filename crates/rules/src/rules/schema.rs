//! `schema`: a file that does not match its JSON Schema (reported by the loader), and bad
//! `rules:` settings in milepost.yaml (reported by the engine).

use milepost_model::RuleLevel;

use crate::rule::{Example, Origin, Rule, reported_by_loader};

/// The `schema` rule.
pub const RULE: Rule = Rule {
    id: "schema",
    summary: "A file does not match the milepost format",
    default_level: RuleLevel::Error,
    origin: Origin::Loader,
    what: "Reported by the loader when a file does not match its JSON Schema (the schemas in \
`schemas/`): an unknown key such as `ownr:`, a missing required key, a value of the wrong type, \
a word that is not one of the allowed values (`status: finished`), an invalid date \
(`2026-02-30`) or duration (`10days`). Also reported for the `rules:` settings of milepost.yaml: \
an unknown rule id, an option the rule does not have, or a threshold that is not a whole number \
of days.",
    why: "A value milepost cannot read is dropped, so the plan and the other rules silently work \
without it: a misspelt `ownr:` leaves the milestone without an owner, an invalid `target:` \
leaves it without a commitment. The rest of the entity is still read, and rules that would \
read the dropped field stay silent, so you get one message per mistake.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design approved
    ownr: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
",
    }],
    fix: "Follow the hint: it names the key you probably meant or the allowed values. \
`docs/format.md` lists every field of every file.",
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
