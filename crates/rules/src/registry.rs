//! Every rule, in the order they are documented and listed.
//!
//! Adding a rule: write `rules/<id_snake>.rs` with its `RULE` const and name the module once
//! in the `register!` list of `rules/mod.rs` (that declares the module and lists the rule in
//! [`ALL`]); then regenerate `docs/rules.md` (see [`crate::docs`]). Rule ids are a contract:
//! never rename or reuse one.

use crate::rule::Rule;

pub use crate::rules::ALL;

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.id == id).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_match_their_module() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                rule.id
            );
        }
    }

    #[test]
    fn loader_rule_ids_are_registered() {
        for id in [
            milepost_load::YAML_RULE,
            milepost_load::schema::SCHEMA_RULE,
            milepost_load::LAYOUT_RULE,
            milepost_load::REF_UNKNOWN_RULE,
            milepost_load::ID_DUPLICATE_RULE,
            milepost_load::OWNER_UNKNOWN_RULE,
            milepost_plan::portfolio::DEPENDENCY_CYCLE_RULE,
        ] {
            assert!(find(id).is_some(), "{id} is not a registered rule");
        }
    }
}
