//! Renderers: each reads one [`Report`] and nothing else.

pub mod github;
mod json;
pub mod junit;
pub mod markdown;
mod sarif;
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
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML.
    Junit,
    /// Markdown job summary.
    Markdown,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    /// All formats with their names.
    pub const ALL: &[(&str, Format)] = &[
        ("text", Format::Text),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("junit", Format::Junit),
        ("markdown", Format::Markdown),
        ("github", Format::Github),
    ];
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
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report),
    }
}
