//! `portfolio-layout`: files in the wrong place (reported by the loader).

use milepost_model::RuleLevel;

use crate::rule::{Example, Origin, Rule, reported_by_loader};

/// The `portfolio-layout` rule.
pub const RULE: Rule = Rule {
    id: "portfolio-layout",
    summary: "A file or folder is not where milepost looks for it",
    default_level: RuleLevel::Error,
    origin: Origin::Loader,
    what: "Reported by the loader about the folder layout: a program folder without \
`program.yaml`, a folder name that is not a valid program id, `programs` or a milepost file that \
is not what it should be (an error); and a YAML file that milepost does not read (a misspelt \
`milestone.yaml`, a file directly under `programs/`), a symlink that leaves the portfolio or \
cannot be followed, a FIFO or device (a warning: the file is skipped).",
    why: "A file milepost does not read is a plan nobody checks: milestones in a misspelt \
`milestone.yaml` never reach the schedule, the reports or CI.",
    example: &[Example {
        file: "programs/alpha/milestone.yaml",
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
    fix: "Rename or move the file as the hint says. A program folder holds `program.yaml`, \
`milestones.yaml`, `raid.yaml`, `raci.yaml` and `decisions.yaml`, nothing else that ends in \
`.yaml`.",
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
