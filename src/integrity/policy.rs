//! Change policies (`[[integrity.require_change]]`): a change that touches
//! the watched paths must also change one of the required files.

use super::config::IntegrityConfig;
use super::rules;
use crate::error::Result;
use crate::model::{Finding, Location};
use crate::scan::DiffSpec;
use crate::scan::diff::touched;
use std::path::Path;

/// Every path the change touches (old and new names of renames).
pub fn changed_paths(root: &Path, specs: &[DiffSpec]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for spec in specs {
        for t in touched(root, spec)? {
            out.extend(t.new);
            out.extend(t.old);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The policies the change breaks, each located at the first watched file it touches.
pub fn check(config: &IntegrityConfig, changed: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in &config.require_change {
        let Ok(when) = crate::glob::glob_set(&p.when) else {
            continue;
        };
        let Ok(require) = crate::glob::glob_set(&p.require) else {
            continue;
        };
        let Some(first) = changed.iter().find(|c| when.is_match(c.as_str())) else {
            continue;
        };
        if changed.iter().any(|c| require.is_match(c.as_str())) {
            continue;
        }
        out.push(Finding::of(
            &rules::CHANGE_POLICY,
            format!(
                "this change touches {first} (policy `{}`) but not {}: {}",
                p.when.join("`, `"),
                p.require.join(" or "),
                p.reason
            ),
            Location::file(first.clone()),
            &format!("{}:{}", p.line, p.require.join(",")),
        ));
    }
    out
}
