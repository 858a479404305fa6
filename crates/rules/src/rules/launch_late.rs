//! `launch-late`: the plan puts a launch after its target.

use milepost_load::Diagnostic;
use milepost_model::{MilestoneKind, RuleLevel};

use crate::rule::{Context, Example, Origin, Rule, Threshold, Unit};
use crate::rules::milestone_slip::milestone;
use crate::rules::{milestone_overdue, milestone_slip};

/// Work days a launch may be planned past its target before it is reported.
pub const TOLERANCE_DAYS: Threshold = Threshold {
    name: "tolerance_days",
    default: 0,
    unit: Unit::WorkDays,
    doc: "Work days a launch's plan may run past its target before it is reported; 0 reports \
any slip.",
};

/// The `launch-late` rule.
pub const RULE: Rule = Rule {
    id: "launch-late",
    summary: "The plan puts a launch after its target",
    default_level: RuleLevel::Error,
    origin: Origin::Engine,
    what: "A `planned` or `in_progress` milestone of `kind: launch` whose earliest finish in the \
critical-path schedule is more than `tolerance_days` work days after its `target` (read as \
`milestone-slip` reads it). `milestone-slip` reports the same slip as a warning at the start of \
its chain; a launch date is the commitment customers, marketing and support plan around, so \
missing it is an error of its own, with the milestone that starts the delay as a note. An \
overdue launch is `milestone-overdue`'s. Silent when the loader already reported `target` or \
`status`, and downstream of a dependency cycle.",
    why: "Every milestone before a launch can slip a little within its own warning, while the \
launch, which is what the business announced, is quietly weeks late. The launch date is the one \
a VP is asked about; the gate must fail when the plan cannot meet it.",
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
    title: Partner launch
    kind: launch
    launch_plan: {rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}
    owner: ada
    duration: 4w
    depends_on: [M1]
    target: 2026-12-04
",
    }],
    fix: "Shorten the path to the launch (`milepost plan --program` shows what drives it), or \
agree a new launch date with the stakeholders and change `target` in a pull request.",
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
    title: Partner launch
    kind: launch
    launch_plan: {rollout: 10% then all, rollback: flag off, comms: partner e-mail, enablement: support FAQ}
    owner: ada
    duration: 4w
    depends_on: [M1]
    target: 2026-12-18
",
    }],
    options: &[TOLERANCE_DAYS],
    check,
};


fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(plan) = ctx.plan else { return };
    let p = ctx.portfolio;
    let forecast = ctx.forecast();
    let calendar = &plan.calendar;
    let tolerance = ctx.threshold(&TOLERANCE_DAYS);
    for t in 0..plan.keys.len() {
        let m = milestone(ctx, plan, t);
        if m.kind != MilestoneKind::Launch
            || milestone_overdue::is_overdue(m, ctx.as_of, calendar)
        {
            continue;
        }
        let Some(s) = milestone_slip::slips(m, forecast.task(t), tolerance) else {
            continue;
        };
        let (Some(target), Some(late)) = (m.target, s.slip_days) else {
            continue;
        };
        let key = plan.keys[t];
        let program = &p.programs[key.program];
        let entity = program.qualify(&m.id);
        let mut d = ctx
            .finding_at(
                &entity,
                p.value_location(m, "/target"),
                format!(
                    "launch {entity} is planned for {}, {late} work day{} after its target {target}",
                    s.earliest_finish,
                    if late == 1 { "" } else { "s" }
                ),
            )
            .hint("shorten the path to the launch (`milepost plan` shows what drives it), or agree a new launch date and change `target` in a pull request");
        // The root cause: the first late milestone of the launch's driving chain.
        let mut root = t;
        while let Some(pred) = forecast.task(root).and_then(|s| s.driving_pred) {
            let pm = milestone(ctx, plan, pred);
            let late_pred = milestone_overdue::is_overdue(pm, ctx.as_of, calendar)
                || milestone_slip::slips(pm, forecast.task(pred), 0).is_some();
            if !late_pred {
                break;
            }
            root = pred;
        }
        if root != t {
            let rm = milestone(ctx, plan, root);
            let rk = plan.keys[root];
            let name = p.programs[rk.program].qualify(&rm.id);
            let why = if milestone_overdue::is_overdue(rm, ctx.as_of, calendar) {
                format!(
                    "{name} starts the delay: it is overdue (target {})",
                    rm.target.map_or_else(String::new, |d| d.to_string())
                )
            } else {
                format!(
                    "{name} starts the delay: planned {}, target {}",
                    forecast
                        .task(root)
                        .map_or_else(String::new, |s| s.earliest_finish.to_string()),
                    rm.target.map_or_else(String::new, |d| d.to_string())
                )
            };
            d = d.related(p.value_location(rm, "/target"), why);
        }
        out.push(d);
    }
}
