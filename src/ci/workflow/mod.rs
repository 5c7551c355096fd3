//! GitHub Actions workflow files parsed with positions (saphyr's marked nodes).

use serde_json::Value;

use super::pos::PosMap;

mod matrix;
mod parse;
mod run_script;
mod yaml;

pub use self::matrix::{check_names, matrix_combinations};
pub use self::parse::parse_workflow;

/// A workflow file that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowError {
    /// Repo-relative path of the file.
    pub path: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column of the error.
    pub column: usize,
    /// What the parser said.
    pub message: String,
}

/// One workflow file.
#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    /// Repo-relative path (`.github/workflows/ci.yml`).
    pub path: String,
    /// `name:` of the workflow.
    pub name: Option<String>,
    /// Event names from `on:` (string, list or map keys).
    pub triggers: Vec<String>,
    /// `defaults.run.working-directory` at workflow level.
    pub defaults_run_wd: Option<String>,
    /// `defaults.run.shell` at workflow level.
    pub defaults_shell: Option<String>,
    /// Jobs in file order.
    pub jobs: Vec<Job>,
}

/// One job of a workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The job's key under `jobs:`.
    pub id: String,
    /// `name:` (may contain `${{ matrix.x }}`).
    pub name: Option<String>,
    /// Line of the job key.
    pub line: usize,
    /// Column of the job key.
    pub column: usize,
    /// `if:` as written (`false` for a boolean false).
    pub if_cond: Option<String>,
    /// `continue-on-error:`: `"true"` or an expression; absent when false.
    pub continue_on_error: Option<String>,
    /// `defaults.run.working-directory` at job level.
    pub defaults_run_wd: Option<String>,
    /// `defaults.run.shell` at job level.
    pub defaults_shell: Option<String>,
    /// `runs-on:` when it is a plain string or the first list entry.
    pub runs_on: Option<String>,
    /// `uses:` of a reusable-workflow call job.
    pub uses: Option<String>,
    /// `strategy.matrix`, if any.
    pub matrix: Option<Matrix>,
    /// Steps in order.
    pub steps: Vec<Step>,
}

/// `strategy.matrix` of a job.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matrix {
    /// Dimensions (`os: [a, b]`) in file order.
    pub dims: Vec<(String, Vec<Value>)>,
    /// `include:` entries.
    pub include: Vec<Vec<(String, Value)>>,
    /// `exclude:` entries.
    pub exclude: Vec<Vec<(String, Value)>>,
    /// The matrix (or part of it) is computed by an expression and cannot be expanded.
    pub dynamic: bool,
}

/// One step of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 0-based index within the job.
    pub index: usize,
    /// `name:`.
    pub name: Option<String>,
    /// `id:`.
    pub id: Option<String>,
    /// Line where the step mapping starts.
    pub line: usize,
    /// Column where the step mapping starts.
    pub column: usize,
    /// `uses:`.
    pub uses: Option<String>,
    /// `run:`.
    pub run: Option<RunScript>,
    /// `shell:`.
    pub shell: Option<String>,
    /// `working-directory:`.
    pub working_directory: Option<String>,
    /// `if:` as written.
    pub if_cond: Option<String>,
    /// `continue-on-error:`: `"true"` or an expression; absent when false.
    pub continue_on_error: Option<String>,
    /// Scalar entries of `with:`.
    pub with: Vec<(String, String)>,
}

/// The text of a `run:` key and where each of its characters sits in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct RunScript {
    /// The script as the runner receives it (block scalars unfolded, quotes decoded).
    pub text: String,
    /// Line where the script text starts.
    pub line: usize,
    /// Column where the script text starts.
    pub column: usize,
    /// Offset → file position map.
    pub map: PosMap,
}

impl Step {
    /// A short human label: the name, else `uses`, else the first line of `run`.
    pub fn label(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        if let Some(u) = &self.uses {
            return u.clone();
        }
        if let Some(r) = &self.run {
            let first = r.text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let short: String = first.trim().chars().take(60).collect();
            return short;
        }
        format!("step {}", self.index + 1)
    }
}

/// True when an `if:` condition is a literal false (`false`, `${{ false }}`, `0`, `''`).
pub fn is_false_literal(cond: &str) -> bool {
    let mut c = cond.trim();
    if let Some(inner) = c.strip_prefix("${{").and_then(|x| x.strip_suffix("}}")) {
        c = inner.trim();
    }
    matches!(c, "false" | "0" | "''" | "\"\"")
}
