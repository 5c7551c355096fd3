//! `shipgate hook install|uninstall|run`: the pre-push hook. `run` is a gate
//! plan of the `pre-push` profile (`[gate.profiles.pre-push]` changes it)
//! whose scan covers exactly the pushed commits.

use super::gate::{Place, StageFlags, fail_on, plan, profile_stages, setup};
use super::output::{Printed, run_and_print};
use super::{Ctx, HookCommand, ReportArgs, ScanSelection, SmokeSelection};
use crate::error::{Error, Exit, Result};
use crate::gate::StageRequest;
use crate::hook::Installed;
use crate::render::Format;
use crate::scan::{DiffSpec, Target};
use std::path::PathBuf;

/// Dispatches `shipgate hook …`.
pub fn run(ctx: &Ctx, cmd: &HookCommand) -> Result<Exit> {
    let repo = crate::git::toplevel(&ctx.cwd).ok_or_else(|| {
        Error::usage(format!(
            "{} is not inside a git work tree",
            ctx.cwd.display()
        ))
    })?;
    match cmd {
        HookCommand::Install { force, chain } => {
            let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("shipgate"));
            let (what, p) = match crate::hook::install(&repo, &exe, *force, *chain)? {
                Installed::New(p) => ("installed", p),
                Installed::Updated(p) => ("updated", p),
                Installed::Replaced(p) => ("replaced the existing hook with", p),
                Installed::Chained(p) => ("chained the existing hook into", p),
            };
            println!("shipgate: {what} {}", p.display());
            Ok(Exit::Pass)
        }
        HookCommand::Uninstall => {
            if crate::hook::uninstall(&repo)? {
                println!("shipgate: removed the pre-push hook");
            } else {
                println!("shipgate: no pre-push hook installed");
            }
            Ok(Exit::Pass)
        }
        HookCommand::Run {
            hook,
            remote,
            fail_on: flag,
            ..
        } => {
            if hook != "pre-push" {
                return Err(Error::usage(format!(
                    "unknown hook `{hook}`; shipgate runs pre-push"
                )));
            }
            if ctx.env.get("SHIPGATE_SKIP") == Some("1") {
                return Ok(Exit::Pass);
            }
            let stdin = push_input(ctx)?;
            pre_push(
                ctx,
                &repo,
                remote.as_deref().unwrap_or("origin"),
                &stdin,
                *flag,
            )
        }
    }
}

/// What git passes on stdin, or the pre-commit framework's variables.
fn push_input(ctx: &Ctx) -> Result<String> {
    let mut stdin = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut stdin)
        .map_err(|e| Error::incomplete(format!("cannot read the refs git passes on stdin: {e}")))?;
    if stdin.trim().is_empty()
        && let (Some(from), Some(to)) = (
            ctx.env.get("PRE_COMMIT_FROM_REF"),
            ctx.env.get("PRE_COMMIT_TO_REF"),
        )
    {
        let remote_ref = ctx
            .env
            .get("PRE_COMMIT_REMOTE_BRANCH")
            .unwrap_or("refs/heads/unknown");
        stdin = format!("HEAD {to} {remote_ref} {from}\n");
    }
    Ok(stdin)
}

/// The pre-push gate.
fn pre_push(
    ctx: &Ctx,
    repo: &std::path::Path,
    remote: &str,
    stdin: &str,
    flag: Option<crate::model::Severity>,
) -> Result<Exit> {
    let ranges = crate::hook::ranges(repo, remote, stdin)?;
    if ranges.is_empty() {
        return Ok(Exit::Pass);
    }
    let root = super::root_of(repo);
    let setup = setup(ctx, &root)?;
    let profile = setup
        .config
        .gate
        .profile("pre-push")
        .ok_or_else(|| Error::usage("no pre-push profile"))?;
    let place = Place {
        root: root.clone(),
        paths: Vec::new(),
    };
    let none = ScanSelection::default();
    let smoke = SmokeSelection::default();
    let flags = StageFlags {
        scan: &none,
        env_profile: None,
        env_files: &[],
        from_process: false,
        smoke: &smoke,
        check_name: "shipgate",
    };
    let mut stages = profile_stages(ctx, &setup, &profile, &place, &flags)?;
    // The scan covers exactly the pushed commits, whatever the profile's mode.
    for s in &mut stages {
        if let StageRequest::Scan(req) = s {
            req.target = Target::Diff(
                ranges
                    .iter()
                    .map(|r| DiffSpec::Range {
                        from: r.base.clone(),
                        to: r.tip.clone(),
                    })
                    .collect(),
            );
        }
    }
    super::gate::align_env_with_scan(&mut stages);
    let fo = fail_on(flag, Some(&profile), &setup);
    let report = ReportArgs {
        format: Format::Text,
        outputs: Vec::new(),
        fail_on: None,
        exit_zero: false,
        baseline: None,
    };
    let plan = plan(ctx, setup, Some(&profile), fo, stages, &report, None)?;
    let exit = run_and_print(ctx, plan, &report, Printed::HookStderr, None)?;
    if exit != Exit::Pass {
        eprintln!(
            "shipgate: push blocked. Fix the findings above, or bypass once with SHIPGATE_SKIP=1 git push (or git push --no-verify)."
        );
    }
    Ok(exit)
}
