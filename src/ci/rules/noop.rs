//! No-op jobs: jobs whose every check command cannot fail (masked, skipped by `--if-present`,
//! a stub script, `if: false`, `continue-on-error: true`).

use super::super::invocation::{self, Invocation, ScriptDir};
use super::super::scripts::PackageJson;
use super::super::shell::{self, Command, ShellOptions};
use super::super::workflow::is_false_literal;
use super::analysis::{Fact, JobAnalysis};
use super::resolve::Resolution;
use super::{NoopCheck, NoopJob};

/// Actions that only prepare the job (they check nothing themselves).
const SETUP_ACTIONS: &[&str] = &[
    "actions/checkout",
    "actions/setup-node",
    "actions/setup-python",
    "actions/setup-go",
    "actions/setup-java",
    "actions/setup-dotnet",
    "actions/cache",
    "actions/upload-artifact",
    "actions/download-artifact",
    "pnpm/action-setup",
    "oven-sh/setup-bun",
    "denoland/setup-deno",
    "dtolnay/rust-toolchain",
    "swatinem/rust-cache",
    "actions-rs/toolchain",
    "supabase/setup-cli",
    "docker/setup-buildx-action",
    "docker/setup-qemu-action",
    "docker/login-action",
    "hashicorp/setup-terraform",
    "ruby/setup-ruby",
    "shivammathur/setup-php",
    "astral-sh/setup-uv",
    "gradle/actions/setup-gradle",
    "bahmutov/npm-install",
    "actions/configure-pages",
    "google-github-actions/auth",
    "aws-actions/configure-aws-credentials",
];

/// Why a check command is a no-op, if it is.
fn fact_noop(f: &Fact) -> Option<String> {
    if let Some(g) = f.cmd.guarded_by.as_ref().filter(|g| g.is_certain()) {
        return Some(format!("masked by {}", g.describe()));
    }
    match (&f.inv, &f.res) {
        (
            Invocation::RunScript {
                if_present: true,
                script,
                ..
            },
            Some(Resolution::Missing(p)),
        ) => Some(format!(
            "{} has no `{script}` script and `--if-present` skips it",
            p.path
        )),
        (
            Invocation::RunScript {
                if_present: true,
                script,
                ..
            },
            Some(Resolution::MissingEverywhere(_)),
        ) => Some(format!(
            "no package.json has a `{script}` script and `--if-present` skips it"
        )),
        (Invocation::RunScript { script, .. }, Some(Resolution::Found(p))) => {
            script_noop(p, script, 0)
        }
        _ => None,
    }
}

/// Commands that always succeed and check nothing.
fn trivial(c: &Command) -> bool {
    let w: Vec<&str> = c.words.iter().map(|w| w.text.as_str()).collect();
    match w.first().copied() {
        Some("echo" | "printf" | "true" | ":") => true,
        Some("exit") => w.get(1).is_none_or(|a| *a == "0"),
        _ => false,
    }
}

/// Why running package script `name` checks nothing (a stub, masked checks), if so.
pub fn script_noop(pkg: &PackageJson, name: &str, depth: usize) -> Option<String> {
    if depth > 3 {
        return None;
    }
    let entry = pkg.script(name)?;
    let opts = ShellOptions::package_script(Some(pkg.dir.clone()));
    let cmds = shell::parse(&entry.command, &entry.map, &opts);
    let mut reasons = Vec::new();
    for c in &cmds {
        if trivial(c) {
            continue;
        }
        let checky = invocation::check_kind(c).is_some();
        if let Some(g) = c.guarded_by.as_ref().filter(|g| g.is_certain())
            && checky
        {
            reasons.push(format!(
                "`{}` inside `{name}` is masked by {}",
                c.text(),
                g.describe()
            ));
            continue;
        }
        match invocation::classify(c) {
            Invocation::RunScript {
                script,
                dir: ScriptDir::Cwd,
                if_present,
                ..
            } if c.cwd.as_deref() == Some(pkg.dir.as_str()) => {
                if pkg.script(&script).is_none() && if_present {
                    reasons.push(format!(
                        "`{name}` runs missing `{script}` with --if-present"
                    ));
                    continue;
                }
                match script_noop(pkg, &script, depth + 1) {
                    Some(r) => reasons.push(r),
                    None => return None,
                }
            }
            _ => return None,
        }
    }
    if reasons.is_empty() {
        Some(format!(
            "the `{name}` script only echoes: `{}`",
            entry.command
        ))
    } else {
        Some(reasons.join("; "))
    }
}

/// An action that only prepares the job.
fn is_setup_action(uses: &str) -> bool {
    let u = uses.to_ascii_lowercase();
    let name = u.split('@').next().unwrap_or("");
    SETUP_ACTIONS.contains(&name) || (name.starts_with("./") && name.contains("setup"))
}

/// The job as a no-op job, if every check command in it is a no-op.
pub(super) fn noop_job(ja: &JobAnalysis) -> Option<NoopJob> {
    if ja.job.uses.is_some() {
        return None;
    }
    let job_off = ja.job.if_cond.as_deref().is_some_and(is_false_literal);
    let mut cmds = Vec::new();
    for sa in &ja.steps {
        if sa.step.run.is_none() {
            match sa.step.uses.as_deref() {
                Some(u) if is_setup_action(u) => continue,
                _ => return None, // An action could be the real check.
            }
        }
        let step_off = sa.step.if_cond.as_deref().is_some_and(is_false_literal);
        let step_coe = sa.step.continue_on_error.as_deref() == Some("true");
        for f in sa.facts.iter().filter(|f| f.kind.is_some()) {
            let reason = if job_off {
                Some("the job's `if:` is false".to_string())
            } else if step_off {
                Some("the step's `if:` is false".to_string())
            } else if step_coe {
                Some("the step has `continue-on-error: true`".to_string())
            } else {
                fact_noop(f)
            };
            let reason = reason?;
            cmds.push(NoopCheck {
                line: f.cmd.line,
                column: f.cmd.column,
                text: f.cmd.text(),
                reason,
            });
        }
    }
    if cmds.is_empty() {
        return None;
    }
    let why = cmds
        .iter()
        .map(|c| format!("`{}`: {}", c.text, c.reason))
        .collect::<Vec<_>>()
        .join("; ");
    Some(NoopJob {
        workflow: ja.wf.path.clone(),
        job_id: ja.job.id.clone(),
        check_names: ja.checks.clone(),
        why: format!("every check command of the job is a no-op: {why}"),
        line: ja.job.line,
        column: ja.job.column,
        commands: cmds,
    })
}
