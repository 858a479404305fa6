//! `docs/rules.md` is generated from the rules; this test fails when the committed copy
//! drifts. Regenerate it with:
//!
//! ```sh
//! MILEPOST_BLESS=1 cargo test -p milepost-rules --test docs
//! ```

use std::path::PathBuf;

use milepost_rules::docs::{explain, reference};

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md")
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let expected = reference();
    let path = committed();
    if std::env::var_os("MILEPOST_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/rules.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date with the rule docs in crates/rules/src/rules/; regenerate it with\n\n    MILEPOST_BLESS=1 cargo test -p milepost-rules --test docs\n"
    );
}

#[test]
fn every_rule_documents_every_section() {
    for rule in milepost_rules::ALL {
        for (name, text) in [
            ("summary", rule.summary),
            ("what", rule.what),
            ("why", rule.why),
            ("fix", rule.fix),
        ] {
            assert!(
                text.trim().len() > 10,
                "`{}` has no `{name}` documentation",
                rule.id
            );
        }
        assert!(
            !rule.example.is_empty() && !rule.fixed.is_empty(),
            "`{}` needs examples",
            rule.id
        );
        let doc = explain(rule);
        for heading in [
            "# What it checks",
            "# Why it matters",
            "# Example",
            "# How to fix",
            "# Options",
        ] {
            assert!(doc.contains(heading), "`{}` lacks {heading}", rule.id);
        }
        for t in rule.options {
            assert!(
                doc.contains(t.name),
                "`{}` does not document `{}`",
                rule.id,
                t.name
            );
        }
        assert!(
            !rule.summary.ends_with('.'),
            "summaries have no final period: `{}`",
            rule.id
        );
    }
}
