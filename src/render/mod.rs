//! Renderers: each reads one [`Report`] and nothing else.

mod json;
mod text;

use crate::model::Report;
use std::str::FromStr;

pub use text::TextOptions;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable, optionally colored.
    Text,
    /// The versioned JSON report (docs/json-report.md).
    Json,
}

impl Format {
    /// All formats with their names.
    pub const ALL: &[(&str, Format)] = &[("text", Format::Text), ("json", Format::Json)];
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown format `{s}`; expected one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, opts: &TextOptions) -> String {
    match format {
        Format::Text => text::render(report, opts),
        Format::Json => json::render(report),
    }
}
