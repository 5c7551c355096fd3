//! Severities and the gate threshold.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Note,
    /// Should be looked at.
    Warning,
    /// Blocks the gate by default.
    Error,
}

impl Severity {
    /// The lowercase name used in config, rule packs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "note" => Ok(Severity::Note),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}`; expected one of: error, warning, note"
            )),
        }
    }
}

/// The lowest severity that fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FailOn(pub Severity);

impl Default for FailOn {
    fn default() -> Self {
        FailOn(Severity::Error)
    }
}

impl FailOn {
    /// Whether an unsuppressed finding of `severity` fails the gate.
    pub fn blocks(self, severity: Severity) -> bool {
        severity >= self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_and_threshold() {
        assert!(Severity::Error > Severity::Warning);
        assert!(FailOn(Severity::Warning).blocks(Severity::Error));
        assert!(!FailOn::default().blocks(Severity::Warning));
        assert_eq!("warning".parse::<Severity>(), Ok(Severity::Warning));
        assert!("fatal".parse::<Severity>().is_err());
    }
}
