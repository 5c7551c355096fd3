//! The one report model every stage produces and every renderer reads.
//! Depends on nothing else in the crate.

mod finding;
mod fingerprint;
mod report;
mod rule;
mod severity;

pub use finding::{Finding, Location, Snippet, Suppression, SuppressionKind};
pub use fingerprint::Fingerprint;
pub use report::{
    CheckResult, CheckStatus, Counts, REPORT_SCHEMA_VERSION, Report, StageOutcome, StageStatus,
    Tool, Verdict,
};
pub use rule::{RuleInfo, RuleMeta, rule_matches};
pub use severity::{FailOn, Severity};
