//! Extraction for the lead (no verdicts): shell snippets, runbook env vars, runbook endpoints.
//!
//! One module per extraction: `snippets` (commands from shell fences and inline code),
//! `env_vars` + `env_text` (`UPPER_SNAKE` names under env/config/secrets headings),
//! `endpoints` + `curl` (health/smoke/verification URLs and paths); `sections` selects
//! runbook sections by heading words.

mod curl;
mod endpoints;
mod env_text;
mod env_vars;
mod sections;
mod snippets;

pub(super) use self::endpoints::endpoints;
pub(super) use self::env_vars::env_vars;
pub(super) use self::snippets::snippets;

/// Character column (1-based) of byte offset `byte` within `line`, plus a base column.
fn col_in(line: &str, byte: usize, base: usize) -> usize {
    base + line.get(..byte).map_or(0, |s| s.chars().count())
}
