//! `shipgate protect plan|apply|check [--org ORG]`. `check` is a gate plan
//! with one protect stage; plan and apply print a plan and write to GitHub.

use super::gate::{fail_on, plan, setup};
use super::output::{Printed, run_and_print};
use super::{Ctx, ProtectArgs, ProtectCommand};
use crate::error::{Error, Exit, Result};
use crate::gate::StageRequest;
use crate::github::{Client, RetryPolicy};
use crate::protect::{OrgFilter, ProtectRequest, RepoPlan, Target};

fn target(ctx: &Ctx, args: &ProtectArgs, repo_default: Option<String>) -> Target {
    match &args.org {
        Some(org) => Target::Org {
            org: org.clone(),
            filter: OrgFilter {
                name: args.filter.clone(),
                topic: args.topic.clone(),
                archived: args.include_archived,
                forks: args.include_forks,
            },
            concurrency: args.concurrency,
        },
        None => Target::Repo(
            args.repo
                .clone()
                .or(repo_default)
                .or_else(|| ctx.env.repository()),
        ),
    }
}

/// Dispatches `shipgate protect …`.
pub fn run(ctx: &Ctx, cmd: &ProtectCommand) -> Result<Exit> {
    let root = ctx.root();
    let setup = setup(ctx, &root)?;
    let args = match cmd {
        ProtectCommand::Plan(a) | ProtectCommand::Check { args: a, .. } => a,
        ProtectCommand::Apply { args, .. } => args,
    };
    let req = ProtectRequest {
        github: ctx.env.github(),
        target: target(ctx, args, setup.config.protect.repo.clone()),
        check_name: args.check_name.clone(),
        required: true,
    };
    if let ProtectCommand::Check { report, .. } = cmd {
        let fo = fail_on(report.fail_on, None, &setup);
        let plan = plan(
            ctx,
            setup,
            None,
            fo,
            vec![StageRequest::Protect(req)],
            report,
            None,
        )?;
        return run_and_print(ctx, plan, report, Printed::Stdout, None);
    }
    let config = &setup.config.protect;
    if config.branches.is_empty() && config.rulesets.is_empty() {
        return Err(Error::usage(
            "no [protect.branches] or [[protect.rulesets]] in the config",
        ));
    }
    let gh = req.github.as_ref().ok_or_else(|| {
        Error::usage("protect needs GITHUB_TOKEN or GH_TOKEN with admin rights on the repository")
    })?;
    let client = Client::new(gh, RetryPolicy::default())?;
    let plans = plan_targets(&client, &req, &root, config, &args.check_name)?;
    let errored = plans.iter().filter(|(_, r)| r.is_err()).count();
    let ok: Vec<&RepoPlan> = plans.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    let has_changes = ok.iter().any(|p| p.changes() > 0);
    let ProtectCommand::Apply {
        allow_weaken,
        allow_unknown_checks,
        dry_run,
        ..
    } = cmd
    else {
        return Ok(if errored > 0 {
            Exit::Incomplete
        } else if has_changes {
            Exit::Fail
        } else {
            Exit::Pass
        });
    };
    if let Some(refused) = refuse_apply(&ok, *allow_weaken, *allow_unknown_checks) {
        return Ok(refused);
    }
    if *dry_run {
        return Ok(if errored > 0 {
            Exit::Incomplete
        } else {
            Exit::Pass
        });
    }
    let failed = errored + apply_all(&client, &ok, matches!(req.target, Target::Org { .. }));
    Ok(if failed > 0 {
        Exit::Incomplete
    } else {
        Exit::Pass
    })
}

/// Plans every targeted repository and prints the plans.
fn plan_targets(
    client: &Client,
    req: &ProtectRequest,
    root: &std::path::Path,
    config: &crate::protect::config::ProtectConfig,
    check_name: &str,
) -> Result<Vec<(String, std::result::Result<RepoPlan, String>)>> {
    Ok(match &req.target {
        Target::Repo(None) => {
            return Err(Error::usage(
                "no repository: pass --repo, set [protect].repo or GITHUB_REPOSITORY",
            ));
        }
        Target::Repo(Some(repo)) => {
            let p = crate::protect::plan(client, repo, root, config, check_name)?;
            print!("{}", render_plan(&p));
            vec![(repo.clone(), Ok(p))]
        }
        Target::Org {
            org,
            filter,
            concurrency,
        } => {
            let repos = crate::protect::org_repos(client, org, filter)?;
            let rows =
                crate::protect::plan_many(client, &repos, root, config, check_name, *concurrency);
            for (_, r) in &rows {
                if let Ok(p) = r
                    && p.changes() > 0
                {
                    print!("{}", render_plan(p));
                }
            }
            print!("{}", summary_table(&rows));
            rows
        }
    })
}

/// Applies the plans with changes, one repository at a time (GitHub's
/// secondary rate limits); returns how many failed.
fn apply_all(client: &Client, plans: &[&RepoPlan], org: bool) -> usize {
    let mut failed = 0;
    for p in plans.iter().filter(|p| p.changes() > 0) {
        match crate::protect::apply(client, p) {
            Ok(done) if org => println!("{}: applied and verified: {}", p.repo, done.join(", ")),
            Ok(done) => println!("Applied and verified: {}", done.join(", ")),
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", p.repo);
            }
        }
    }
    failed
}

/// `apply` refuses to weaken protection or to require checks no workflow
/// produces unless told to; `Some` is the refusal's exit.
fn refuse_apply(
    plans: &[&RepoPlan],
    allow_weaken: bool,
    allow_unknown_checks: bool,
) -> Option<Exit> {
    let weakenings: Vec<String> = plans.iter().flat_map(|p| p.weakenings()).collect();
    if !weakenings.is_empty() && !allow_weaken {
        eprintln!(
            "error: refusing to weaken branch protection (pass --allow-weaken to do it anyway):"
        );
        for w in &weakenings {
            eprintln!("  - {w}");
        }
        return Some(Exit::Fail);
    }
    let unknown: usize = plans
        .iter()
        .flat_map(|p| p.branches.iter())
        .map(|b| b.unknown_checks.len())
        .sum();
    if unknown > 0 && !allow_unknown_checks {
        eprintln!(
            "error: {unknown} required check(s) are produced by no workflow job (see above); pass --allow-unknown-checks if another app produces them"
        );
        return Some(Exit::Fail);
    }
    None
}

/// Human-readable plan.
pub fn render_plan(plan: &RepoPlan) -> String {
    let repo = plan.repo.as_str();
    let plans = &plan.branches;
    let mut out = String::new();
    for r in &plan.rulesets {
        if r.changes.is_empty() {
            out.push_str(&format!("  {repo} ruleset `{}`: no changes\n", r.name));
        } else {
            out.push_str(&format!(
                "{} {repo} ruleset `{}`\n",
                if r.id.is_none() { "+" } else { "~" },
                r.name
            ));
            for (what, weak) in &r.changes {
                out.push_str(&format!(
                    "    ~ {what}{}\n",
                    if *weak { "   (weakens protection)" } else { "" }
                ));
            }
        }
    }
    for p in plans {
        if p.changes.is_empty() {
            out.push_str(&format!("  {repo}@{}: no changes\n", p.branch));
        } else {
            let verb = if p.current.is_none() {
                "+ protect"
            } else {
                "~ update"
            };
            out.push_str(&format!("{verb} {repo}@{}\n", p.branch));
            for c in &p.changes {
                let weak = if c.weakens {
                    "   (weakens protection)"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "    ~ {}: {} -> {}{weak}\n",
                    c.field, c.from, c.to
                ));
            }
        }
        for (name, hint) in &p.unknown_checks {
            let hint = hint
                .as_ref()
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_default();
            out.push_str(&format!("    ! required check `{name}` is produced by no workflow job, so every PR would wait for it forever{hint}\n"));
        }
    }
    out.push_str(&format!(
        "Plan: {} change(s) on {} branch(es) and {} ruleset(s).\n",
        plan.changes(),
        plans.iter().filter(|p| !p.changes.is_empty()).count(),
        plan.rulesets
            .iter()
            .filter(|r| !r.changes.is_empty())
            .count()
    ));
    out
}

/// The summary table of an org run.
pub fn summary_table(rows: &[(String, Result<RepoPlan, String>)]) -> String {
    let w = rows.iter().map(|(r, _)| r.len()).max().unwrap_or(4).max(4);
    let mut out = format!("{:w$}  {:9}  changes\n", "repo", "status");
    for (repo, r) in rows {
        let (status, changes) = match r {
            Ok(p) if p.changes() == 0 => ("ok", "0".to_string()),
            Ok(p) => ("changes", p.changes().to_string()),
            Err(e) => ("error", e.clone()),
        };
        out.push_str(&format!("{repo:w$}  {status:9}  {changes}\n"));
    }
    out
}
