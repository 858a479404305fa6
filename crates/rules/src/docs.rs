//! The rules reference, rendered from the rules themselves.
//!
//! [`reference()`] renders `docs/rules.md`; [`explain`] renders one rule's section, which is
//! what `milepost explain RULE` prints. Both come from the [`Rule`] consts, so the docs
//! cannot disagree with the code, and a test fails when the committed `docs/rules.md`
//! drifts (regenerate it with `MILEPOST_BLESS=1 cargo test -p milepost-rules --test docs`).
//!
//! Every example is checked too: it is loaded on top of [`EXAMPLE_BASE`] (a small, clean
//! portfolio) as of [`EXAMPLE_AS_OF`], and must make its rule fire; its fixed version must not.

use milepost_model::Named;
use std::fmt::Write as _;

use chrono::NaiveDate;
use milepost_load::FileSet;
use milepost_plan::PortfolioPlan;

use crate::registry::ALL;
use crate::rule::{Example, Origin, Rule};

/// The as-of date of every documentation example (a Monday).
pub const EXAMPLE_AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 23) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The clean portfolio the examples are loaded into: one active program `alpha` owned by
/// `ada` (sponsor `cy`), people `ada`, `bob`, `cy`, team `platform`, and a gate template
/// `launch-readiness` with the items `security-review` and `runbook`. An example file
/// replaces the file of the same path.
pub const EXAMPLE_BASE: &[Example] = &[
    Example {
        file: "milepost.yaml",
        yaml: "name: Example portfolio
gates:
  launch-readiness:
    - id: security-review
      title: Security review signed off
    - id: runbook
      title: On-call runbook published
",
    },
    Example {
        file: "people.yaml",
        yaml: "people:
  - id: ada
    name: Ada Lovelace
  - id: bob
    name: Bob Stone
  - id: cy
    name: Cy Young
teams:
  - id: platform
    name: Platform
    lead: bob
",
    },
    Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: active
sponsor: cy
owner: ada
start: 2026-11-02
objectives: [Launch the payments API to partners]
success_metrics:
  - metric: Partners live on the API
    baseline: 0
    target: 12
scope:
  in: [Payments API]
",
    },
    Example {
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
    },
];

/// The files of the example portfolio with `files` laid over [`EXAMPLE_BASE`], as
/// `(path, bytes)` pairs for `milepost_load::FileSet::from_memory`.
pub fn example_portfolio(files: &[Example]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = EXAMPLE_BASE
        .iter()
        .filter(|b| !files.iter().any(|f| f.file == b.file))
        .map(|b| (b.file.to_owned(), b.yaml.as_bytes().to_vec()))
        .collect();
    out.extend(
        files
            .iter()
            .map(|f| (f.file.to_owned(), f.yaml.as_bytes().to_vec())),
    );
    out
}

/// What `milepost check` reports for the rule's example: its findings of this rule,
/// rendered as plain text.
pub fn example_findings(rule: &Rule) -> String {
    let portfolio = milepost_load::load(FileSet::from_memory(example_portfolio(rule.example)));
    let plan = PortfolioPlan::build(&portfolio, EXAMPLE_AS_OF);
    let mut out = String::new();
    for d in crate::check(&portfolio, EXAMPLE_AS_OF, Some(&plan))
        .iter()
        .filter(|d| d.rule == rule.id)
    {
        let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.rule, d.message);
        if let Some(l) = &d.location {
            let _ = writeln!(out, "  --> {}:{}:{}", l.file, l.span.line, l.span.column);
        }
        for r in &d.related {
            let _ = writeln!(
                out,
                "  = note: {} ({}:{})",
                r.message, r.location.file, r.location.span.line
            );
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = help: {hint}");
        }
    }
    out
}

fn examples(out: &mut String, files: &[Example]) {
    for f in files {
        let _ = writeln!(out, "`{}`:\n\n```yaml\n{}```\n", f.file, f.yaml);
    }
}

/// One rule's documentation in Markdown, headed at `level` (`##` in the reference, `#` for
/// `milepost explain`).
pub fn rule_markdown(rule: &Rule, heading: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{heading} `{}`\n", rule.id);
    let _ = writeln!(out, "{}.\n", rule.summary);
    let origin = match rule.origin {
        Origin::Loader => " · reported by the loader (`level` re-grades its findings)",
        Origin::Engine => "",
    };
    let _ = writeln!(
        out,
        "Default level: **{}**{origin}\n",
        rule.default_level.as_str()
    );
    let _ = writeln!(out, "{heading}# What it checks\n\n{}\n", rule.what);
    let _ = writeln!(out, "{heading}# Why it matters\n\n{}\n", rule.why);
    let _ = writeln!(
        out,
        "{heading}# Example\n\nAs of {EXAMPLE_AS_OF}, this fires:\n"
    );
    examples(&mut out, rule.example);
    let _ = writeln!(out, "```text\n{}```\n", example_findings(rule));
    let _ = writeln!(out, "{heading}# How to fix\n\n{}\n", rule.fix);
    examples(&mut out, rule.fixed);
    let _ = writeln!(out, "{heading}# Options\n");
    if rule.options.is_empty() {
        let _ = writeln!(out, "Only `level`.\n");
    } else {
        let _ = writeln!(out, "| option | default | meaning |\n|---|---|---|");
        for t in rule.options {
            let _ = writeln!(
                out,
                "| `{}` | {} {} | {} |",
                t.name,
                t.default,
                t.unit.as_str(),
                t.doc
            );
        }
        let _ = writeln!(out);
    }
    out
}

/// What `milepost explain RULE` prints.
pub fn explain(rule: &Rule) -> String {
    rule_markdown(rule, "#")
}

/// The whole rules reference: `docs/rules.md`.
pub fn reference() -> String {
    let mut out = String::new();
    out.push_str(
        "<!-- Generated from crates/rules/src/rules/*.rs by `milepost_rules::docs::reference`; do not edit.
     Regenerate with: MILEPOST_BLESS=1 cargo test -p milepost-rules --test docs -->

# Rules reference

`milepost check` loads a portfolio, validates it and runs these rules. Each finding has a rule
id, a level, a message, a location (`file:line:col`) and a fix hint. `milepost explain RULE`
prints a rule's section of this page; `milepost explain` lists every rule with its level.

Rule ids are stable: a rule is never renamed, and a retired id is never reused.

## Levels and thresholds

| level | meaning |
|---|---|
| `error` | reported; `milepost check` exits 1 (fails CI) |
| `warning` | reported; does not fail CI |
| `info` | reported; does not fail CI |
| `off` | the rule does not run (for loader rules: its findings are dropped) |

Set a rule's level and thresholds under `rules:` in `milepost.yaml`:

```yaml
rules:
  risk-stale:
    level: warning             # off, info, warning or error
    max_age_days: 21           # a threshold of this rule
    max_age_days_high_impact: 14
  decision-stale:
    level: off
```

An unknown rule id, an option the rule does not have, or a threshold that is not a whole
number of days is a `schema` error located in `milepost.yaml`, with a \"did you mean\".
The defaults suit a weekly review cadence.

Date-based rules compare with the as-of date: today (local), or `--as-of YYYY-MM-DD`. Pin it
in CI when you need reproducible results. The examples below are checked by the test suite
against a small portfolio (program `alpha`, people `ada`, `bob`, `cy`, team `platform`, gate
`launch-readiness` with items `security-review` and `runbook`) as of ",
    );
    let _ = writeln!(out, "{EXAMPLE_AS_OF}.\n");
    out.push_str(
        "## All rules\n\n| rule | default level | thresholds | finds |\n|---|---|---|---|\n",
    );
    for rule in ALL {
        let options: Vec<String> = rule
            .options
            .iter()
            .map(|t| format!("`{}` = {} {}", t.name, t.default, t.unit.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} | {} |",
            rule.default_level.as_str(),
            if options.is_empty() {
                "—".to_owned()
            } else {
                options.join(", ")
            },
            rule.summary,
            id = rule.id
        );
    }
    out.push('\n');
    for rule in ALL {
        out.push_str(&rule_markdown(rule, "##"));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
