//! The JSON report: the serde form of [`Report`], pretty-printed.

use crate::model::Report;

/// Renders the report as JSON (ends with a newline).
pub fn render(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Serializing plain data cannot fail; keep the output valid JSON anyway.
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}
