//! Config ignores (`[[scan.ignore]]`) and `--baseline` suppression.

use crate::config::{Date, IgnoreEntry, rule_pattern_matches};
use crate::model::{Finding, Location, Severity, Suppression, SuppressionKind};
use std::collections::HashSet;
use std::path::Path;

/// Rule id of the note for an ignore that matched nothing.
pub const UNUSED_IGNORE: &str = "shipgate/unused-ignore";
/// Rule id of the warning for an expired ignore.
pub const EXPIRED_IGNORE: &str = "shipgate/expired-ignore";

fn entry_matches(e: &IgnoreEntry, glob: Option<&globset::GlobMatcher>, f: &Finding) -> bool {
    e.rule
        .as_ref()
        .is_none_or(|r| rule_pattern_matches(r, &f.rule))
        && e.fingerprint
            .as_ref()
            .is_none_or(|fp| *fp == f.fingerprint.0)
        && glob.is_none_or(|g| f.location.path().is_some_and(|p| g.is_match(p)))
}

/// Suppresses findings matched by live entries. Returns notes about entries that
/// matched nothing (only when `report_unused`) and warnings for expired ones.
pub fn apply_ignores(
    findings: &mut [Finding],
    entries: &[IgnoreEntry],
    today: Date,
    config_path: &str,
    report_unused: bool,
) -> Vec<Finding> {
    let globs: Vec<Option<globset::GlobMatcher>> = entries
        .iter()
        .map(|e| {
            e.path
                .as_ref()
                .and_then(|p| crate::rules::compile::glob(p).ok())
                .map(|g| g.compile_matcher())
        })
        .collect();
    let mut used = vec![false; entries.len()];
    for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        for (i, e) in entries.iter().enumerate() {
            if !entry_matches(e, globs[i].as_ref(), f) {
                continue;
            }
            used[i] = true;
            if e.expires.is_some_and(|d| d < today) {
                continue;
            }
            f.suppressed = Some(Suppression {
                kind: SuppressionKind::Config,
                reason: e.reason.clone(),
            });
            break;
        }
    }
    let mut notes = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let loc = Location::span(config_path, (e.line, 1), (e.line, 1));
        let what = describe(e);
        if let Some(d) = e.expires.filter(|d| *d < today) {
            notes.push(meta(
                EXPIRED_IGNORE,
                "Expired ignore",
                Severity::Warning,
                format!("The ignore for {what} expired on {d} and no longer suppresses anything"),
                "Fix the findings it covered, or extend `expires` with a new reason.",
                loc,
            ));
        } else if !used[i] && report_unused {
            notes.push(meta(
                UNUSED_IGNORE,
                "Ignore that matched nothing",
                Severity::Note,
                format!("The ignore for {what} matched no finding"),
                "Remove it: the finding it covered is gone, or the entry no longer matches (path or fingerprint changed).",
                loc,
            ));
        }
    }
    notes
}

fn describe(e: &IgnoreEntry) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &e.rule {
        parts.push(format!("rule `{r}`"));
    }
    if let Some(p) = &e.path {
        parts.push(format!("path `{p}`"));
    }
    if let Some(f) = &e.fingerprint {
        parts.push(format!("fingerprint `{f}`"));
    }
    parts.join(", ")
}

fn meta(
    rule: &str,
    title: &str,
    severity: Severity,
    message: String,
    help: &str,
    location: Location,
) -> Finding {
    let key = message.clone();
    Finding::new(rule, title, severity, message, help, location, &key)
}

/// Fingerprints of every finding in a saved JSON report.
pub fn load_baseline(path: &Path) -> Result<HashSet<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: baseline is not valid JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let stages = v.get("stages").and_then(|s| s.as_array()).ok_or_else(|| {
        format!(
            "{}: not a shipgate JSON report (no `stages`)",
            path.display()
        )
    })?;
    Ok(stages
        .iter()
        .filter_map(|s| s.get("findings").and_then(|f| f.as_array()))
        .flatten()
        .filter_map(|f| f.get("fingerprint").and_then(|x| x.as_str()))
        .map(str::to_string)
        .collect())
}

/// Suppresses findings whose fingerprint is in the baseline.
pub fn apply_baseline(findings: &mut [Finding], baseline: &HashSet<String>, name: &str) {
    for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        if baseline.contains(&f.fingerprint.0) {
            f.suppressed = Some(Suppression {
                kind: SuppressionKind::Baseline,
                reason: format!("present in baseline {name}"),
            });
        }
    }
}
