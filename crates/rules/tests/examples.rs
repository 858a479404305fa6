//! Every rule's documented example is its firing fixture, and its fixed example is its
//! silent near miss: the example fires the rule (and nothing else: one mistake, one message),
//! the rendered findings are snapshot-tested, and the fixed version does not fire it.

mod common;

use common::{of, render, run};
use milepost_rules::Rule;

/// `health-mismatch` is about a declaration that other findings contradict, so its example
/// necessarily carries one of them (here an overdue milestone).
fn evidence_allowed(rule: &Rule) -> bool {
    rule.id == "health-mismatch"
}

fn fires_alone(rule: &Rule) -> String {
    let (portfolio, diagnostics) = run(rule.example);
    assert!(
        !of(&diagnostics, rule.id).is_empty(),
        "the example of `{}` does not fire it:\n{}",
        rule.id,
        render(&portfolio, &diagnostics)
    );
    if !evidence_allowed(rule) {
        assert!(
            diagnostics.iter().all(|d| d.rule == rule.id),
            "the example of `{}` fires other rules too:\n{}",
            rule.id,
            render(&portfolio, &diagnostics)
        );
    }
    render(&portfolio, &diagnostics)
}

fn fixed_is_silent(rule: &Rule) {
    let (portfolio, diagnostics) = run(rule.fixed);
    let mine = of(&diagnostics, rule.id);
    assert!(
        mine.is_empty(),
        "the fixed example of `{}` still fires it:\n{}",
        rule.id,
        render(&portfolio, &diagnostics)
    );
    if !evidence_allowed(rule) {
        assert!(
            diagnostics.is_empty(),
            "the fixed example of `{}` is not clean:\n{}",
            rule.id,
            render(&portfolio, &diagnostics)
        );
    }
}

macro_rules! rule_tests {
    ($($module:ident),* $(,)?) => {
        $(
            #[test]
            fn $module() {
                let rule = &milepost_rules::rules::$module::RULE;
                assert_eq!(rule.id.replace('-', "_"), stringify!($module));
                insta::assert_snapshot!(stringify!($module), fires_alone(rule));
                fixed_is_silent(rule);
            }
        )*

        #[test]
        fn every_registered_rule_has_an_example_test() {
            let tested = [$(stringify!($module)),*];
            for rule in milepost_rules::ALL {
                assert!(
                    tested.contains(&rule.id.replace('-', "_").as_str()),
                    "add `{}` to rule_tests! in tests/examples.rs",
                    rule.id
                );
            }
        }
    };
}

rule_tests!(
    yaml,
    schema,
    portfolio_layout,
    ref_unknown,
    id_duplicate,
    owner_unknown,
    owner_missing,
    raci_accountable,
    raci_responsible,
    risk_stale,
    risk_unmitigated,
    risk_accepted_unapproved,
    dependency_cycle,
    dependency_aging,
    dependency_late,
    milestone_overdue,
    milestone_slip,
    gate_incomplete,
    decision_stale,
    health_mismatch,
    charter_incomplete,
);
