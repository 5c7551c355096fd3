//! `--baseline REPORT.json`: the fingerprints of an earlier JSON report.

use crate::error::{Error, Result};
use crate::model::REPORT_SCHEMA_VERSION;
use std::collections::HashSet;
use std::path::Path;

/// Fingerprints known from an earlier report.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// The path as the user gave it (for the suppression reason).
    pub name: String,
    /// Fingerprints of every finding in it.
    pub fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a shipgate JSON report. A file that is not one, or a report of an
    /// unknown layout version, is a usage error: fingerprints could not be trusted.
    pub fn load(path: &Path, name: &str) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::usage(format!("cannot read baseline {name}: {e}")))?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Error::usage(format!(
                "{name}:{}:{}: baseline is not valid JSON: {e}",
                e.line(),
                e.column()
            ))
        })?;
        match v.get("schema_version").and_then(serde_json::Value::as_u64) {
            Some(n) if n == u64::from(REPORT_SCHEMA_VERSION) => {}
            Some(n) => {
                return Err(Error::usage(format!(
                    "{name}: baseline has schema_version {n}; this shipgate reads version {REPORT_SCHEMA_VERSION}"
                )));
            }
            None => {
                return Err(Error::usage(format!(
                    "{name}: not a shipgate JSON report (no `schema_version`)"
                )));
            }
        }
        let stages = v.get("stages").and_then(|s| s.as_array()).ok_or_else(|| {
            Error::usage(format!("{name}: not a shipgate JSON report (no `stages`)"))
        })?;
        Ok(Baseline {
            name: name.to_string(),
            fingerprints: stages
                .iter()
                .filter_map(|s| s.get("findings").and_then(|f| f.as_array()))
                .flatten()
                .filter_map(|f| f.get("fingerprint").and_then(|x| x.as_str()))
                .map(str::to_string)
                .collect(),
        })
    }
}
