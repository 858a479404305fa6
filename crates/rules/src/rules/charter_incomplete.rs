//! `charter-incomplete`: an active program whose charter lacks objectives, success metrics
//! or scope.

use milepost_load::Diagnostic;
use milepost_model::{ProgramStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::reported;

/// The `charter-incomplete` rule.
pub const RULE: Rule = Rule {
    id: "charter-incomplete",
    summary: "An active program's charter has no objectives, success metrics or scope",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "A program with `status: active` must have at least one entry in `objectives`, at \
least one in `success_metrics`, and a `scope` with at least one `in` item. One finding per \
program naming what is missing, at `status`. Proposed, paused, done and cancelled programs are \
not checked. Silent for a part the loader already reported.",
    why: "A program without objectives cannot say why it exists, one without success metrics \
cannot say whether it worked, and one without scope will absorb every adjacent request. These \
are the three questions a charter review asks before work starts.",
    example: &[Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: active
health: amber
sponsor: cy
owner: ada
start: 2026-11-02
scope:
  in: [Payments API]
",
    }],
    fix: "Add `objectives` (the outcomes, one line each), `success_metrics` (`metric`, \
`baseline`, `target`) and `scope` (`in` and `out`) to program.yaml. If the program is not \
chartered yet, keep it `status: proposed`.",
    fixed: &[Example {
        file: "programs/alpha/program.yaml",
        yaml: "name: Alpha
status: active
health: amber
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
    }],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let p = ctx.portfolio;
    for program in &p.programs {
        let charter = &program.charter;
        if !program.charter_loaded
            || charter.status != ProgramStatus::Active
            || reported(charter, &["status"])
        {
            continue;
        }
        let mut missing = Vec::new();
        if charter.objectives.is_empty() && !reported(charter, &["objectives"]) {
            missing.push("objectives");
        }
        if charter.success_metrics.is_empty() && !reported(charter, &["success_metrics"]) {
            missing.push("success metrics");
        }
        let no_scope = charter.scope.as_ref().is_none_or(|s| s.in_scope.is_empty());
        if no_scope && !reported(charter, &["scope"]) {
            missing.push("scope");
        }
        if missing.is_empty() {
            continue;
        }
        let list = match missing.as_slice() {
            [one] => (*one).to_owned(),
            [a, b] => format!("{a} or {b}"),
            _ => "objectives, success metrics or scope".to_owned(),
        };
        let keys: Vec<&str> = missing
            .iter()
            .map(|m| match *m {
                "objectives" => "`objectives`",
                "success metrics" => "`success_metrics` (metric, baseline, target)",
                _ => "`scope` (`in` and `out`)",
            })
            .collect();
        out.push(
            ctx.finding_at(&program.id, p.value_location(charter, "/status"), format!(
                "program `{}` is active but its charter has no {list}",
                program.id
            ))
            .hint(format!(
                "add {} to programs/{}/program.yaml, or keep the program `status: proposed` until it is chartered",
                match keys.as_slice() {
                    [one] => (*one).to_owned(),
                    [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                    [] => String::new(),
                },
                program.id
            )),
        );
    }
}
