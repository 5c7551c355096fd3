//! Static metadata of a rule: what every finding of that rule shares.

use super::Severity;
use serde::{Deserialize, Serialize};

/// A rule any stage emits: id, title, default severity, help, security tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable id with a stage or pack prefix, e.g. `env/undeclared`.
    pub id: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// How to fix it (Markdown).
    pub help: &'static str,
    /// A security finding (SARIF `security-severity`, `security` tag).
    pub security: bool,
}

/// What the report says about a rule (owned: rule packs are loaded at run time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// One-line title.
    pub title: String,
    /// How to fix.
    pub help: String,
    /// Default severity.
    pub severity: Severity,
    /// A security finding.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub security: bool,
}

impl From<&RuleMeta> for RuleInfo {
    fn from(m: &RuleMeta) -> Self {
        RuleInfo {
            title: m.title.into(),
            help: m.help.into(),
            severity: m.severity,
            security: m.security,
        }
    }
}

/// Whether `pattern` (`pack/name` or `pack/*`) names rule `id`.
pub fn rule_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(pack) => id.split('/').next() == Some(pack),
        None => pattern == id,
    }
}
