//! `forecast-late`: the plan meets a commitment, the forecast's P80 does not.

use milepost_load::Diagnostic;
use milepost_plan::percent;
use milepost_model::{MilestoneKind, MilestoneStatus, ProgramStatus, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule};
use crate::rules::{milestone_overdue, plan_uncertain, program_late, reported};

/// The `forecast-late` rule.
pub const RULE: Rule = Rule {
    id: "forecast-late",
    summary: "The plan meets a charter or launch target, but the forecast's P80 does not",
    default_level: RuleLevel::Warning,
    origin: Origin::Engine,
    what: "The second level of `program-late` and `launch-late`: a program's charter `target` \
or an open launch's `target` that the critical-path plan meets, but that the Monte Carlo \
forecast's 80th percentile (P80) misses. The forecast is the standard one the reports show \
(2,000 runs, seed 1, each open milestone's `estimate` sampled from a triangular \
distribution; `milepost forecast --runs 2000` reproduces it), and the finding gives the share \
of runs that meet the target. Silent when no open milestone has an `estimate` (every run is \
then the plan), when the plan itself misses the target (that is `program-late` or \
`launch-late`), for overdue launches, for done and cancelled programs, when the loader \
already reported `target` or `status`, and for a program in whose milestones the loader \
dropped a value the plan or the forecast reads (one mistake, one message). With a dependency \
cycle, the milestones downstream of it are not simulated and their program is not judged; the \
others are.",
    why: "A plan built from each milestone's likely duration finishes on its date about half \
the time at best: delays add up along a path and early finishes do not. A commitment that only \
the optimistic half of the outcomes meets is a risk leaders should hear about before it \
becomes a slip; P80 is the confidence most delivery organisations commit at.",
    example: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: proposed
sponsor: cy
owner: ada
start: 2026-11-02
target: 2026-12-18
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: Partner integration
    owner: ada
    duration: 4w
    estimate: {optimistic: 18d, likely: 20d, pessimistic: 40d}
",
        },
    ],
    fix: "Commit at a date the forecast supports (`milepost forecast --program <id>` shows \
P50, P80 and P95), or reduce the uncertainty on the critical path (split the riskiest \
milestone, add a buffer milestone, retire the risk behind a wide estimate).",
    fixed: &[
        Example {
            file: "programs/alpha/program.yaml",
            yaml: "name: Alpha
status: proposed
sponsor: cy
owner: ada
start: 2026-11-02
target: 2027-01-15
",
        },
        Example {
            file: "programs/alpha/milestones.yaml",
            yaml: "milestones:
  - id: M1
    title: Partner integration
    owner: ada
    duration: 4w
    estimate: {optimistic: 18d, likely: 20d, pessimistic: 40d}
",
        },
    ],
    options: &[],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(plan) = ctx.plan else { return };
    let Some(sim) = ctx.simulation() else { return };
    let forecast = ctx.forecast();
    let p = ctx.portfolio;
    let calendar = &plan.calendar;
    let hint = "commit at a date the forecast supports (`milepost forecast` shows P50, P80 and P95), or reduce the uncertainty on the critical path";
    let uncertain: Vec<bool> = p
        .programs
        .iter()
        .map(|program| plan_uncertain(program, true))
        .collect();
    for (pi, program) in p.programs.iter().enumerate() {
        let charter = &program.charter;
        if !program.charter_loaded
            || uncertain[pi]
            || matches!(
                charter.status,
                ProgramStatus::Done | ProgramStatus::Cancelled
            )
            || reported(charter, &["target", "status"])
        {
            continue;
        }
        let (Some(target), Some((planned, _)), Some(Some(group))) = (
            charter.target,
            program_late::program_finish(ctx, plan, pi),
            sim.groups.get(pi),
        ) else {
            continue;
        };
        let (Some(f), Some(chance)) = (group.finish, group.on_time_probability) else {
            continue;
        };
        if calendar.deadline_days_between(target, planned) > 0
            || calendar.deadline_days_between(target, f.p80) <= 0
        {
            continue;
        }
        out.push(
            ctx.finding_at(
                &program.id,
                p.value_location(charter, "/target"),
                format!(
                    "program `{}` has a {} chance of meeting its charter target {target}: the plan finishes {planned}, but the forecast's P80 is {} (P50 {})",
                    program.id,
                    percent(chance),
                    f.p80,
                    f.p50
                ),
            )
            .hint(hint),
        );
    }
    for (t, key) in plan.keys.iter().enumerate() {
        let program = &p.programs[key.program];
        let m = &program.milestones[key.milestone];
        let (Some(target), Some(s), Some(Some(f))) = (m.target, forecast.task(t), sim.tasks.get(t))
        else {
            continue;
        };
        if m.kind != MilestoneKind::Launch
            || uncertain[key.program]
            || !matches!(
                m.status,
                MilestoneStatus::Planned | MilestoneStatus::InProgress
            )
            || reported(m, &["target", "status"])
            || milestone_overdue::is_overdue(m, ctx.as_of, calendar)
            || calendar.deadline_days_between(target, s.earliest_finish) > 0
            || calendar.deadline_days_between(target, f.p80) <= 0
        {
            continue;
        }
        let entity = program.qualify(&m.id);
        out.push(
            ctx.finding_at(
                &entity,
                p.value_location(m, "/target"),
                format!(
                    "launch {entity} has a {} chance of meeting its target {target}: the plan finishes {}, but the forecast's P80 is {} (P50 {})",
                    percent(f.on_time_probability.unwrap_or(0.0)),
                    s.earliest_finish,
                    f.p80,
                    f.p50
                ),
            )
            .hint(hint),
        );
    }
}
