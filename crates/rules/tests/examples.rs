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

/// Every registered rule (the one `register!` list of `rules/mod.rs`): its example fires it
/// alone, the rendered findings match the snapshot named after the rule, and its fixed
/// example is silent. A new rule is covered the moment it is registered.
#[test]
fn every_registered_rule_fires_on_its_example_and_not_on_its_fix() {
    assert!(milepost_rules::ALL.len() >= 21);
    for rule in milepost_rules::ALL {
        let name = rule.id.replace('-', "_");
        insta::assert_snapshot!(name.as_str(), fires_alone(rule));
        fixed_is_silent(rule);
    }
}
