//! `yaml`: a file that cannot be read as YAML (reported by the loader).

use milepost_model::RuleLevel;

use crate::rule::{Example, Origin, Rule, reported_by_loader};

/// The `yaml` rule.
pub const RULE: Rule = Rule {
    id: "yaml",
    summary: "A file cannot be read as YAML",
    default_level: RuleLevel::Error,
    origin: Origin::Loader,
    what: "Reported by the loader when a file is not readable YAML: a syntax error (an unclosed \
bracket, a tab used for indentation), a duplicate key, more than one document, a custom tag, an \
encoding other than UTF-8, or input beyond the safety limits (nesting depth, alias expansion, \
16 MiB). An empty `program.yaml` is an error; another empty file is a warning.",
    why: "Nothing in an unreadable file is checked: its milestones, risks and owners are \
invisible to every other rule, to the plan and to the reports, so one typo can hide a whole \
program.",
    example: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: API design: approved by the architects
    owner: ada
    duration: 5d
    target: 2026-11-13
    status: done
    completed: 2026-11-13
",
    }],
    fix: "Fix the syntax at the reported line (the hint says what the parser expected). Quote \
text that contains `: ` or starts with `[`, `{`, `&`, `*` or `!`, indent with spaces, and keep \
one document per file.",
    fixed: &[Example {
        file: "programs/alpha/milestones.yaml",
        yaml: "milestones:
  - id: M1
    title: \"API design: approved by the architects\"
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
