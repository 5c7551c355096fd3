//! The one report model every stage produces and every renderer reads.
//! Depends on nothing else in the crate.

mod finding;
mod fingerprint;
mod report;
mod severity;

pub use finding::{Finding, Location, Snippet, Suppression, SuppressionKind};
pub use fingerprint::Fingerprint;
pub use report::{
    CheckResult, Counts, REPORT_SCHEMA_VERSION, Report, StageOutcome, StageStatus, Tool, Verdict,
};
pub use severity::{FailOn, Severity};
