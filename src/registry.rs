//! Static metadata of every rule id any stage emits besides the rule packs:
//! env, smoke, protect, commands, release, scan's own, and the suppression
//! pass's. `rules list`, `rules explain`, docs/rules.md and SARIF read it.

use crate::model::RuleMeta;

/// The stages' rule tables, in report order.
const TABLES: &[(&str, &[RuleMeta])] = &[
    ("scan", crate::scan::RULES),
    ("env", crate::env::RULES),
    ("integrity", crate::integrity::RULES),
    ("protect", crate::protect::RULES),
    ("smoke", crate::smoke::RULES),
    ("commands", crate::commands::RULES),
    ("release", crate::release::RULES),
    ("shipgate", crate::suppress::RULES),
];

/// Every registered rule.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    TABLES.iter().flat_map(|(_, rules)| rules.iter())
}

/// Every registered rule with the stage that emits it.
pub fn by_stage() -> impl Iterator<Item = (&'static str, &'static RuleMeta)> {
    TABLES
        .iter()
        .flat_map(|(stage, rules)| rules.iter().map(move |r| (*stage, r)))
}

/// The metadata of `id`.
pub fn get(id: &str) -> Option<&'static RuleMeta> {
    all().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(r.id.split('/').count() == 2, "{}", r.id);
            assert!(!r.title.is_empty() && !r.help.is_empty(), "{}", r.id);
        }
        assert!(get("smoke/auth-open").is_some_and(|r| r.security));
        assert!(get("smoke/webhook-unverified").is_some_and(|r| r.security));
        assert!(get("env/undeclared").is_some());
    }
}
