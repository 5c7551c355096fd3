//! Stage outcomes, the report and its verdict.

use super::{FailOn, Finding, RuleInfo, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON report layout (docs/json-report.md). Bumped on breaking change.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// How a stage ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StageStatus {
    /// Ran completely; nothing at or above `fail_on`.
    Passed,
    /// Ran; found something at or above `fail_on`.
    Failed,
    /// Did not run; never counts as a pass.
    Skipped {
        /// Why.
        reason: String,
    },
    /// Could not complete (I/O, network, ...).
    Errored {
        /// Why.
        reason: String,
    },
}

impl StageStatus {
    /// Short lowercase label.
    pub fn label(&self) -> &'static str {
        match self {
            StageStatus::Passed => "passed",
            StageStatus::Failed => "failed",
            StageStatus::Skipped { .. } => "skipped",
            StageStatus::Errored { .. } => "errored",
        }
    }
}

/// Unsuppressed findings per severity, plus the suppressed ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Notes.
    pub note: usize,
    /// Suppressed findings of any severity.
    pub suppressed: usize,
}

impl Counts {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Counts::default();
        for f in findings {
            if f.suppressed.is_some() {
                c.suppressed += 1;
                continue;
            }
            match f.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Note => c.note += 1,
            }
        }
        c
    }

    fn add(&mut self, o: Counts) {
        self.error += o.error;
        self.warning += o.warning;
        self.note += o.note;
        self.suppressed += o.suppressed;
    }
}

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// It ran and passed.
    Passed,
    /// It ran and failed.
    Failed,
    /// It did not run (never a pass).
    Skipped,
}

impl CheckStatus {
    /// Lowercase label.
    pub fn label(self) -> &'static str {
        match self {
            CheckStatus::Passed => "passed",
            CheckStatus::Failed => "failed",
            CheckStatus::Skipped => "skipped",
        }
    }
}

impl std::fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One named check inside a stage (smoke checks, protected branches); one JUnit testcase each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Check name.
    pub name: String,
    /// How it ended.
    pub status: CheckStatus,
    /// Wall time.
    pub duration_ms: u64,
    /// Failure or skip message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl CheckResult {
    /// A check with no duration.
    pub fn new(name: impl Into<String>, status: CheckStatus, message: Option<String>) -> Self {
        CheckResult {
            name: name.into(),
            status,
            duration_ms: 0,
            message,
        }
    }
}

/// What one stage produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageOutcome {
    /// Stage name (`scan`, `env`, ...).
    pub name: String,
    /// How it ended.
    #[serde(flatten)]
    pub status: StageStatus,
    /// Wall time.
    pub duration_ms: u64,
    /// Finding counts.
    pub counts: Counts,
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// Per-check results, where the stage has checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckResult>,
    /// Stage statistics (files scanned, bytes, skipped files...).
    #[serde(default)]
    pub stats: BTreeMap<String, u64>,
    /// Rule ids that ran: [`StageOutcome::finalize`] makes one check of each.
    #[serde(skip)]
    pub rule_checks: Option<Vec<String>>,
}

impl StageOutcome {
    /// A stage that ran; `problem` is set when it could not complete (then the
    /// stage is `errored` whatever it found: its findings are partial). The
    /// verdict of a stage that completed is set by [`StageOutcome::finalize`].
    pub fn new(
        name: &str,
        findings: Vec<Finding>,
        problem: Option<String>,
        duration_ms: u64,
    ) -> Self {
        let status = match problem {
            Some(reason) => StageStatus::Errored { reason },
            None => StageStatus::Passed,
        };
        StageOutcome {
            name: name.to_string(),
            status,
            duration_ms,
            counts: Counts::of(&findings),
            findings,
            checks: Vec::new(),
            stats: BTreeMap::new(),
            rule_checks: None,
        }
    }

    /// A stage that did not run; never counts as a pass.
    pub fn skipped(name: &str, reason: impl Into<String>) -> Self {
        StageOutcome {
            status: StageStatus::Skipped {
                reason: reason.into(),
            },
            ..StageOutcome::new(name, Vec::new(), None, 0)
        }
    }

    /// Attaches per-check results (smoke checks, protected branches, commands).
    pub fn with_checks(mut self, checks: Vec<CheckResult>) -> Self {
        self.checks = checks;
        self
    }

    /// Records that these rules ran: one check per rule (plus any rule that
    /// produced a finding), failed when it has an unsuppressed blocking finding.
    pub fn with_rule_checks(mut self, rules: Vec<String>) -> Self {
        self.rule_checks = Some(rules);
        self
    }

    /// Marks the stage errored (keeps an earlier reason).
    pub fn fail_incomplete(&mut self, reason: impl Into<String>) {
        if !matches!(self.status, StageStatus::Errored { .. }) {
            self.status = StageStatus::Errored {
                reason: reason.into(),
            };
        }
    }

    /// Sorts the findings, recounts them, builds the rule checks and decides
    /// passed/failed against `fail_on` (after suppression).
    pub fn finalize(&mut self, fail_on: FailOn) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.counts = Counts::of(&self.findings);
        let blocks = |f: &&Finding| f.suppressed.is_none() && fail_on.blocks(f.severity);
        if let Some(rules) = &self.rule_checks {
            let mut ids: Vec<&str> = rules.iter().map(String::as_str).collect();
            for f in &self.findings {
                if !ids.contains(&f.rule.as_str()) {
                    ids.push(&f.rule);
                }
            }
            self.checks = ids
                .into_iter()
                .map(|id| {
                    let mine: Vec<&Finding> = self
                        .findings
                        .iter()
                        .filter(|f| f.rule == id && f.suppressed.is_none())
                        .collect();
                    let failed = mine.iter().any(|f| fail_on.blocks(f.severity));
                    CheckResult::new(
                        id,
                        if failed {
                            CheckStatus::Failed
                        } else {
                            CheckStatus::Passed
                        },
                        (!mine.is_empty()).then(|| format!("{} finding(s)", mine.len())),
                    )
                })
                .collect();
        }
        let blocking = self.findings.iter().any(|f| blocks(&f));
        self.status = match std::mem::replace(&mut self.status, StageStatus::Passed) {
            s @ (StageStatus::Errored { .. } | StageStatus::Skipped { .. }) => s,
            _ if blocking => StageStatus::Failed,
            _ => StageStatus::Passed,
        };
    }
}

/// The gate's overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every stage that ran passed.
    Pass,
    /// A stage found something at or above `fail_on`.
    Fail,
    /// A stage could not complete and no other stage failed.
    Incomplete,
}

/// Tool identity in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `shipgate`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// The one report every output reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Layout version, see [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Producer.
    pub tool: Tool,
    /// Absolute repository root the paths are relative to.
    pub root: String,
    /// Commit scanned, when in a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Gate profile, when run by `gate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Web URL of the repository (`https://github.com/owner/name`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_url: Option<String>,
    /// Threshold used for the verdict.
    pub fail_on: Severity,
    /// Metadata of every rule that has a finding in this report.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleInfo>,
    /// Overall answer.
    pub verdict: Verdict,
    /// Totals over all stages.
    pub counts: Counts,
    /// Wall time of the whole run.
    pub duration_ms: u64,
    /// Stages in run order.
    pub stages: Vec<StageOutcome>,
}

impl Report {
    /// Assembles a report and computes its verdict.
    pub fn new(
        root: String,
        commit: Option<String>,
        profile: Option<String>,
        fail_on: FailOn,
        stages: Vec<StageOutcome>,
        duration_ms: u64,
    ) -> Self {
        let mut counts = Counts::default();
        for s in &stages {
            counts.add(s.counts);
        }
        let verdict = if stages.iter().any(|s| s.status == StageStatus::Failed) {
            Verdict::Fail
        } else if stages
            .iter()
            .any(|s| matches!(s.status, StageStatus::Errored { .. }))
        {
            Verdict::Incomplete
        } else {
            Verdict::Pass
        };
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool {
                name: "shipgate".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            root,
            commit,
            profile,
            repository_url: None,
            fail_on: fail_on.0,
            rules: BTreeMap::new(),
            verdict,
            counts,
            duration_ms,
            stages,
        }
    }

    /// All findings of all stages.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.stages.iter().flat_map(|s| s.findings.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fingerprint, Location};

    fn finding(sev: Severity, path: &str, line: usize) -> Finding {
        Finding {
            rule: "x/y".into(),
            title: "t".into(),
            severity: sev,
            message: "m".into(),
            help: "h".into(),
            location: Location::span(path, (line, 1), (line, 2)),
            snippet: None,
            fingerprint: Fingerprint::compute("x/y", path, "m", line),
            suppressed: None,
        }
    }

    fn done(mut s: StageOutcome) -> StageOutcome {
        s.finalize(FailOn::default());
        s
    }

    #[test]
    fn verdicts() {
        let warn = done(StageOutcome::new(
            "scan",
            vec![finding(Severity::Warning, "b", 1)],
            None,
            0,
        ));
        assert_eq!(warn.status, StageStatus::Passed);
        let err = done(
            StageOutcome::new(
                "scan",
                vec![
                    finding(Severity::Error, "b", 2),
                    finding(Severity::Error, "a", 9),
                ],
                None,
                0,
            )
            .with_rule_checks(vec!["x/y".into(), "x/z".into()]),
        );
        assert_eq!(err.status, StageStatus::Failed);
        assert_eq!(err.findings[0].location.path(), Some("a"));
        assert_eq!(err.checks.len(), 2);
        assert_eq!(err.checks[0].status, CheckStatus::Failed);
        assert_eq!(err.checks[1].status, CheckStatus::Passed);
        let broken = done(StageOutcome::new("scan", vec![], Some("io".into()), 0));
        assert!(matches!(broken.status, StageStatus::Errored { .. }));
        let r = Report::new(
            "/r".into(),
            None,
            None,
            FailOn::default(),
            vec![warn.clone(), broken.clone()],
            0,
        );
        assert_eq!(r.verdict, Verdict::Incomplete);
        let r = Report::new(
            "/r".into(),
            None,
            None,
            FailOn::default(),
            vec![err, broken],
            0,
        );
        assert_eq!(r.verdict, Verdict::Fail);
        assert_eq!(r.counts.error, 2);
        let r = Report::new(
            "/r".into(),
            None,
            None,
            FailOn::default(),
            vec![warn, StageOutcome::skipped("env", "n/a")],
            0,
        );
        assert_eq!(r.verdict, Verdict::Pass);
    }
}
