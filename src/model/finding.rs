//! A finding and where it is.

use super::{Fingerprint, RuleMeta, Severity};
use serde::{Deserialize, Serialize};

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// A file relative to the repository root, with an optional 1-based region.
    File {
        /// Repo-relative path with `/` separators.
        path: String,
        /// First line (1-based); absent for whole-file findings.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        /// First column (1-based, in characters).
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<usize>,
        /// Last line (inclusive).
        #[serde(skip_serializing_if = "Option::is_none")]
        end_line: Option<usize>,
        /// Column just past the match on `end_line`.
        #[serde(skip_serializing_if = "Option::is_none")]
        end_column: Option<usize>,
    },
    /// A URL (smoke checks).
    Url {
        /// The URL, with credentials removed.
        url: String,
    },
    /// A repository, optionally a branch (protection checks).
    Repo {
        /// `owner/name`.
        repo: String,
        /// Branch or ruleset name.
        #[serde(skip_serializing_if = "Option::is_none")]
        branch: Option<String>,
    },
}

impl Location {
    /// A whole-file location.
    pub fn file(path: impl Into<String>) -> Self {
        Location::File {
            path: path.into(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
        }
    }

    /// A location at a line and column range.
    pub fn span(
        path: impl Into<String>,
        (line, column): (usize, usize),
        (end_line, end_column): (usize, usize),
    ) -> Self {
        Location::File {
            path: path.into(),
            line: Some(line),
            column: Some(column),
            end_line: Some(end_line),
            end_column: Some(end_column),
        }
    }

    /// The file path, if this is a file location.
    pub fn path(&self) -> Option<&str> {
        match self {
            Location::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The first line, if known.
    pub fn line(&self) -> Option<usize> {
        match self {
            Location::File { line, .. } => *line,
            _ => None,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File {
                path, line, column, ..
            } => {
                write!(f, "{path}")?;
                if let Some(l) = line {
                    write!(f, ":{l}")?;
                    if let Some(c) = column {
                        write!(f, ":{c}")?;
                    }
                }
                Ok(())
            }
            Location::Url { url } => f.write_str(url),
            Location::Repo { repo, branch } => match branch {
                Some(b) => write!(f, "{repo}@{b}"),
                None => f.write_str(repo),
            },
        }
    }
}

/// The source line of a finding, already masked, with the matched part marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The line's text (secrets masked, long lines shortened).
    pub text: String,
    /// 1-based character column in `text` where the highlight starts.
    pub highlight_start: usize,
    /// Character column just past the highlight.
    pub highlight_end: usize,
}

/// How a finding was suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionKind {
    /// A `shipgate:allow` comment in the source.
    Inline,
    /// An `[[ignore]]` (or `[[scan.ignore]]`) entry in the config.
    Config,
    /// Present in the `--baseline` report.
    Baseline,
}

/// Why a finding does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Mechanism.
    pub kind: SuppressionKind,
    /// The reason the user gave.
    pub reason: String,
}

/// One problem found by a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id with a pack prefix, e.g. `localhost/hardcoded-url`.
    pub rule: String,
    /// The rule's one-line title.
    pub title: String,
    /// Effective severity (after config overrides).
    pub severity: Severity,
    /// What is wrong here.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Where.
    pub location: Location,
    /// The offending line, masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
    /// Content fingerprint for baselines and code scanning.
    pub fingerprint: Fingerprint,
    /// Set when the finding is suppressed; it then does not count toward the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// A finding of rule `meta` without a snippet, fingerprinted by the rule,
    /// its path and `key` (what identifies it besides the location, e.g. a
    /// variable name; never a line number).
    pub fn of(meta: &RuleMeta, message: String, location: Location, key: &str) -> Self {
        Finding {
            fingerprint: Fingerprint::compute(meta.id, location.path().unwrap_or(""), key, 0),
            rule: meta.id.into(),
            title: meta.title.into(),
            severity: meta.severity,
            message,
            help: meta.help.into(),
            location,
            snippet: None,
            suppressed: None,
        }
    }

    /// The same finding at another severity.
    pub fn at(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sort key: path, line, column, rule, fingerprint.
    pub fn sort_key(&self) -> (&Location, &str, &Fingerprint) {
        (&self.location, &self.rule, &self.fingerprint)
    }
}
