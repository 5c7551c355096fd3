//! The three `integrity/*` rules.
//!
//! - `links`: `integrity/broken-link` (and the anchors of Markdown link targets),
//! - `anchors`: `integrity/broken-anchor` fragment checks and "did you mean" suggestions,
//! - `paths`: `integrity/missing-path` for inline-code file mentions, with `candidate`
//!   (is this span a path, how sure) and `names` (extension and file-name tables),
//! - `targets`: link destination classification and placeholder detection.

mod anchors;
mod candidate;
mod links;
mod names;
mod paths;
mod targets;

use std::sync::OnceLock;

use regex::Regex;

use super::doc::{DocSet, Loaded};
use super::repo::RepoIndex;
use super::{Issue, RULE_BROKEN_LINK, Severity};

use self::links::check_links;
use self::paths::check_code_paths;

/// Runs every rule over every loaded document; issues sorted by path, line, column.
pub(super) fn check_all(set: &DocSet, repo: &RepoIndex) -> Vec<Issue> {
    let mut issues: Vec<Issue> =
        super::par::map(set.docs(), set.threads(), |d| check_doc(d, set, repo))
            .into_iter()
            .flatten()
            .collect();
    sort_issues(&mut issues);
    issues
}

/// Documents come in input order with issues sorted inside each; order by path across them (stable).
pub(super) fn sort_issues(issues: &mut [Issue]) {
    issues.sort_by(|a, b| a.path.cmp(&b.path));
}

/// All rules for one document, sorted by line and column.
pub(super) fn check_doc(d: &Loaded, set: &DocSet, repo: &RepoIndex) -> Vec<Issue> {
    let mut issues = Vec::new();
    if d.too_big {
        issues.push(Issue {
            rule: RULE_BROKEN_LINK,
            severity: Severity::Note,
            path: d.path.to_string(),
            line: 1,
            column: 1,
            message: format!("not scanned: larger than {} bytes", super::MAX_FILE_BYTES),
        });
        return issues;
    }
    check_links(d, set, repo, &mut issues);
    if !is_history_file(d.path) {
        check_code_paths(d, set, repo, &mut issues);
    }
    issues.sort_by_key(|i| (i.line, i.column, i.rule));
    issues
}

/// Changelogs describe past states: file mentions there are history, not claims.
fn is_history_file(path: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path).to_ascii_uppercase();
    [
        "CHANGELOG",
        "CHANGES",
        "HISTORY",
        "RELEASES",
        "RELEASE_NOTES",
        "RELEASE-NOTES",
        "NEWS",
    ]
    .iter()
    .any(|p| base.starts_with(p))
}

/// An issue of `rule` at (`line`, `column`) in document `d`.
fn issue(
    d: &Loaded,
    rule: &'static str,
    severity: Severity,
    line: usize,
    column: usize,
    message: String,
) -> Issue {
    Issue {
        rule,
        severity,
        path: d.path.to_string(),
        line,
        column,
        message,
    }
}

/// Compiles `pat` once per cell; `None` only if the (literal) pattern were invalid,
/// in which case callers treat it as "no match".
pub(super) fn cached(cell: &'static OnceLock<Option<Regex>>, pat: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pat).ok()).as_ref()
}
