//! Per-job analysis shared by the rules: the checkout, each `run:` step's working directory
//! and shell, and every command with what it is and what it resolves to.

use super::super::invocation::{self, CheckKind, Invocation};
use super::super::pos::PosMap;
use super::super::shell::{self, Command, ShellOptions, resolve_dir};
use super::super::workflow::{self, Job, Step, Workflow};
use super::super::{Issue, RepoIndex, Severity};
use super::MASKED_FAILURE;
use super::resolve::{Resolution, resolve_script};

/// Where a job's checkout put the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Checkout {
    Root,
    Prefixed(String),
    Foreign,
    None,
}

/// Where the job's first checkout of this repository (if any) put it.
fn checkout_of(job: &Job) -> Checkout {
    let mut result = Checkout::None;
    for s in &job.steps {
        let Some(u) = s.uses.as_deref() else { continue };
        if !u.to_ascii_lowercase().starts_with("actions/checkout") {
            continue;
        }
        let with = |k: &str| s.with.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
        let own = with("repository").is_none_or(|r| r.contains("github.repository"));
        if !own {
            if result == Checkout::None {
                result = Checkout::Foreign;
            }
            continue;
        }
        return match with("path").and_then(|p| resolve_dir(Some(""), p)) {
            Some(p) if !p.is_empty() => Checkout::Prefixed(p),
            _ => Checkout::Root,
        };
    }
    result
}

/// Repo-relative working directory of a `run:` step.
fn step_cwd(wf: &Workflow, job: &Job, step: &Step, co: &Checkout) -> Option<String> {
    let raw = step
        .working_directory
        .as_deref()
        .or(job.defaults_run_wd.as_deref())
        .or(wf.defaults_run_wd.as_deref());
    let ws = match raw {
        Some(d) => resolve_dir(Some(""), d)?,
        None => String::new(),
    };
    match co {
        Checkout::Root | Checkout::None => Some(ws),
        Checkout::Prefixed(p) => {
            if ws == *p {
                Some(String::new())
            } else {
                ws.strip_prefix(p.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                    .map(str::to_string)
            }
        }
        Checkout::Foreign => None,
    }
}

/// One command of a step with what it is.
#[derive(Debug, Clone)]
pub(super) struct Fact {
    pub(super) cmd: Command,
    pub(super) inv: Invocation,
    pub(super) kind: Option<CheckKind>,
    pub(super) res: Option<Resolution>,
}

/// One step with the facts of its `run:` commands.
pub(super) struct StepAnalysis<'w> {
    pub(super) step: &'w Step,
    pub(super) facts: Vec<Fact>,
}

/// One job of a workflow, analysed.
pub(super) struct JobAnalysis<'w> {
    pub(super) wf: &'w Workflow,
    pub(super) job: &'w Job,
    pub(super) checks: Vec<String>,
    pub(super) gating: bool,
    pub(super) checkout: Checkout,
    pub(super) steps: Vec<StepAnalysis<'w>>,
}

/// Commands nested in a command's arguments (`sh -c "…"`, `concurrently "…"`), one level deep.
pub fn nested_commands(c: &Command) -> Vec<Command> {
    let mut out = Vec::new();
    for w in invocation::nested_scripts(c) {
        let q = usize::from(w.raw.starts_with(['"', '\'']));
        let map = PosMap::at(w.line, w.column + q);
        let text = match w.text.split_once(':') {
            Some((m @ ("npm" | "pnpm" | "yarn" | "bun"), s)) if !w.text.contains(' ') => {
                format!("{m} run {s}")
            }
            _ => w.text.clone(),
        };
        let opts = ShellOptions::package_script(c.cwd.clone());
        out.extend(shell::parse(&text, &map, &opts));
    }
    out
}

/// Every command (nested ones included, in source order) with what it is.
pub(super) fn facts_of(idx: &RepoIndex, cmds: Vec<Command>) -> Vec<Fact> {
    let mut all = Vec::new();
    for c in cmds {
        all.extend(nested_commands(&c));
        all.push(c);
    }
    all.sort_by_key(|c| (c.line, c.column));
    all.into_iter()
        .map(|cmd| {
            let inv = invocation::classify(&cmd);
            let kind = invocation::check_kind(&cmd);
            let res = match &inv {
                Invocation::RunScript {
                    manager,
                    script,
                    dir,
                    bin_fallback,
                    ..
                } => Some(resolve_script(
                    idx,
                    *manager,
                    script,
                    dir,
                    *bin_fallback,
                    cmd.cwd.as_deref(),
                )),
                _ => None,
            };
            Fact {
                cmd,
                inv,
                kind,
                res,
            }
        })
        .collect()
}

/// Analyse one job of a workflow.
pub(super) fn analyze_job<'w>(
    idx: &RepoIndex,
    wf: &'w Workflow,
    job: &'w Job,
    gating: bool,
) -> JobAnalysis<'w> {
    let checkout = checkout_of(job);
    let windows = job
        .runs_on
        .as_deref()
        .is_some_and(|r| r.to_ascii_lowercase().contains("windows"));
    let steps = job
        .steps
        .iter()
        .map(|step| {
            let facts = match &step.run {
                Some(run) => {
                    let cwd = step_cwd(wf, job, step, &checkout);
                    let sh = step
                        .shell
                        .as_deref()
                        .or(job.defaults_shell.as_deref())
                        .or(wf.defaults_shell.as_deref());
                    let opts = ShellOptions::github_shell(sh, windows, cwd);
                    facts_of(idx, shell::parse(&run.text, &run.map, &opts))
                }
                None => Vec::new(),
            };
            StepAnalysis { step, facts }
        })
        .collect();
    JobAnalysis {
        wf,
        job,
        checks: workflow::check_names(job),
        gating,
        checkout,
        steps,
    }
}

/// An issue inside a job (downgraded to a note when the job does not check this repository
/// out).
pub(super) fn issue(
    ja: &JobAnalysis,
    rule: &'static str,
    severity: Severity,
    at: (usize, usize),
    message: String,
) -> Issue {
    // Without a checkout of this repository the job cannot be judged against its files.
    let severity = match ja.checkout {
        Checkout::None | Checkout::Foreign
            if severity != Severity::Note && rule != MASKED_FAILURE =>
        {
            Severity::Note
        }
        _ => severity,
    };
    let message = match ja.checkout {
        Checkout::None if rule != MASKED_FAILURE => {
            format!("{message} (the job has no actions/checkout step of this repository)")
        }
        _ => message,
    };
    Issue {
        rule,
        severity,
        path: ja.wf.path.clone(),
        line: at.0,
        column: at.1,
        message,
        job: Some(ja.job.id.clone()),
        checks: ja.checks.clone(),
    }
}

/// "step \"…\" of job `…`" for messages.
pub(super) fn where_(ja: &JobAnalysis, step: &Step) -> String {
    format!("step \"{}\" of job `{}`", step.label(), ja.job.id)
}
