//! The `integrity/*` rules and the no-op-job facts.

use super::workflow::{Workflow, WorkflowError, is_false_literal};
use super::{Issue, Repo, RepoIndex, Severity};

mod analysis;
mod docs;
mod masked;
mod missing_files;
mod noop;
mod packages;
mod resolve;
mod script_refs;
mod targets;
mod workflows;

pub use self::analysis::nested_commands;
pub use self::docs::{DocLine, check_command_refs, check_command_refs_with, check_doc_block};
pub use self::noop::script_noop;
pub use self::resolve::{Resolution, resolve_script};
pub use self::workflows::{effective_triggers, load_workflows};

use self::analysis::{JobAnalysis, analyze_job};
use self::masked::{coe_job_issue, coe_step_issue, masked_issue};
use self::missing_files::workflow_file_issue;
use self::noop::noop_job;
use self::packages::package_issues;
use self::script_refs::script_ref_issues;
use self::targets::make_just_issue;

/// `--if-present` on a script the package does not have.
pub const IF_PRESENT_MISSING: &str = "integrity/if-present-missing";
/// A check command whose failure cannot fail the step/job.
pub const MASKED_FAILURE: &str = "integrity/masked-failure";
/// A package.json script running a file that does not exist.
pub const MISSING_SCRIPT_FILE: &str = "integrity/missing-script-file";
/// `npm run X` / `make X` / `just X` where X does not exist.
pub const UNKNOWN_COMMAND: &str = "integrity/unknown-command";
/// A workflow file that could not be parsed (so it was not analysed).
pub const WORKFLOW_PARSE: &str = "integrity/workflow-parse";

/// Events whose runs gate merges and releases.
const GATING: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "push",
    "merge_group",
    "release",
];

/// Everything `check` found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// All issues, in workflow then package order.
    pub issues: Vec<Issue>,
    /// Jobs whose check commands are all no-ops.
    pub noop_jobs: Vec<NoopJob>,
    /// Parsed workflows.
    pub workflows: Vec<Workflow>,
    /// Workflows that failed to parse.
    pub workflow_errors: Vec<WorkflowError>,
}

/// A job whose check commands cannot fail it (facts for `integrity/noop-step`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoopJob {
    /// Workflow path.
    pub workflow: String,
    /// Job id.
    pub job_id: String,
    /// Check-run names of the job.
    pub check_names: Vec<String>,
    /// Summary of why.
    pub why: String,
    /// Line of the job key.
    pub line: usize,
    /// Column of the job key.
    pub column: usize,
    /// Each check command and why it is a no-op.
    pub commands: Vec<NoopCheck>,
}

/// One no-op check command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoopCheck {
    /// Line of the command.
    pub line: usize,
    /// Column of the command.
    pub column: usize,
    /// The command text.
    pub text: String,
    /// Why it cannot fail.
    pub reason: String,
}

/// Run every rule over the repository.
pub fn check(repo: &Repo) -> Report {
    let idx = RepoIndex::new(repo);
    check_index(&idx)
}

/// Run every rule over an already indexed repository.
pub fn check_index(idx: &RepoIndex) -> Report {
    let (workflows, errors) = load_workflows(idx);
    let mut issues: Vec<Issue> = errors
        .iter()
        .map(|e| Issue {
            rule: WORKFLOW_PARSE,
            severity: Severity::Note,
            path: e.path.clone(),
            line: e.line,
            column: e.column,
            message: format!("workflow not analysed: {}", e.message),
            job: None,
            checks: Vec::new(),
        })
        .collect();
    let triggers = effective_triggers(&workflows);
    let mut noop = Vec::new();
    for (wf, trig) in workflows.iter().zip(&triggers) {
        let gating = trig.iter().any(|t| GATING.contains(&t.as_str()));
        for job in &wf.jobs {
            let ja = analyze_job(idx, wf, job, gating);
            issues.extend(job_issues(idx, &ja));
            noop.extend(noop_job(&ja));
        }
    }
    issues.extend(package_issues(idx));
    Report {
        issues,
        noop_jobs: noop,
        workflows,
        workflow_errors: errors,
    }
}

/// Jobs whose check commands are all no-ops.
pub fn noop_jobs(repo: &Repo) -> Vec<NoopJob> {
    check(repo).noop_jobs
}

/// Issues of one job's steps, then the job-level `continue-on-error`.
fn job_issues(idx: &RepoIndex, ja: &JobAnalysis) -> Vec<Issue> {
    let mut out = Vec::new();
    let job_off = ja.job.if_cond.as_deref().is_some_and(is_false_literal);
    for sa in &ja.steps {
        let mut step_out = Vec::new();
        for f in &sa.facts {
            script_ref_issues(ja, sa.step, f, &mut step_out);
            masked_issue(ja, sa.step, f, &mut step_out);
            step_out.extend(make_just_issue(idx, ja, sa.step, f));
            step_out.extend(workflow_file_issue(idx, ja, sa.step, f));
        }
        coe_step_issue(ja, sa, &mut step_out);
        // Code that never runs is reported, but only as a note.
        let off = job_off || sa.step.if_cond.as_deref().is_some_and(is_false_literal);
        for i in &mut step_out {
            if off && i.severity != Severity::Note {
                i.severity = Severity::Note;
                i.message
                    .push_str(" (the step never runs: its `if:` is false)");
            }
        }
        out.extend(step_out);
    }
    coe_job_issue(ja, &mut out);
    out
}

/// A directory for messages ("." for the root).
fn show_dir(d: &str) -> &str {
    if d.is_empty() { "." } else { d }
}
