//! `shipgate protect`: branch protection as code for one repository —
//! plan (diff), apply (then read back), check (drift as findings).

pub mod model;
pub mod rulesets;
pub mod workflows;

use crate::config::{BranchSpec, Config};
use crate::github::client::{Client, Method};
use crate::model::{CheckResult, FailOn, Finding, Location, Severity, StageOutcome};
use model::{Change, Protection, diff};
use std::path::Path;
use std::time::Instant;

/// What a branch needs.
#[derive(Debug, Clone)]
pub struct BranchPlan {
    /// Branch.
    pub branch: String,
    /// Current protection (`None` when the branch is unprotected).
    pub current: Option<Protection>,
    /// Desired protection.
    pub desired: Protection,
    /// Differences.
    pub changes: Vec<Change>,
    /// Required checks no workflow produces.
    pub unknown_checks: Vec<(String, Option<String>)>,
}

fn branch_path(repo: &str, branch: &str) -> String {
    format!(
        "/repos/{repo}/branches/{}/protection",
        crate::encode::percent(branch, false)
    )
}

fn api_error(what: &str, r: &crate::github::client::Response) -> String {
    let hint = match r.status {
        401 => " (the token was rejected)",
        403 => {
            " (the token needs admin rights on the repository: `Administration: write` for fine-grained tokens)"
        }
        404 => {
            " (the repository or branch is not visible to this token; branch protection needs admin rights)"
        }
        _ => "",
    };
    format!("{what}: HTTP {} {}{hint}", r.status, r.message())
}

/// Reads the current protection (404 "Branch not protected" = unprotected).
pub fn read(client: &Client, repo: &str, branch: &str) -> Result<Option<Protection>, String> {
    let r = client
        .request(Method::Get, &branch_path(repo, branch), None)
        .map_err(|e| e.to_string())?;
    match r.status {
        200 => Ok(Some(Protection::from_get(&r.body))),
        404 if r.message().to_ascii_lowercase().contains("not protected") => Ok(None),
        _ => Err(api_error(&format!("reading protection of `{branch}`"), &r)),
    }
}

fn unknown_checks(
    desired: &Protection,
    known: &[String],
    external: &[String],
) -> Vec<(String, Option<String>)> {
    let Some(c) = &desired.checks else {
        return Vec::new();
    };
    c.checks
        .iter()
        .filter(|k| !known.contains(&k.context) && !external.contains(&k.context))
        .map(|k| {
            // "CI / validate" is how the UI shows workflow `CI`, job `validate`; the check is "validate".
            let hint = k
                .context
                .rsplit_once(" / ")
                .map(|(_, job)| job.to_string())
                .filter(|job| known.contains(job))
                .or_else(|| {
                    known
                        .iter()
                        .find(|n| n.eq_ignore_ascii_case(&k.context))
                        .cloned()
                });
            (k.context.clone(), hint)
        })
        .collect()
}

/// Plans every configured branch.
/// Everything a repository needs.
#[derive(Debug, Clone)]
pub struct RepoPlan {
    /// `owner/name`.
    pub repo: String,
    /// Branches.
    pub branches: Vec<BranchPlan>,
    /// Rulesets.
    pub rulesets: Vec<rulesets::RulesetPlan>,
}

impl RepoPlan {
    /// Number of changes.
    pub fn changes(&self) -> usize {
        self.branches.iter().map(|b| b.changes.len()).sum::<usize>()
            + self.rulesets.iter().map(|r| r.changes.len()).sum::<usize>()
    }

    /// Every weakening, described.
    pub fn weakenings(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .branches
            .iter()
            .flat_map(|p| {
                p.changes.iter().filter(|c| c.weakens).map(move |c| {
                    format!(
                        "{}@{}: {} {} -> {}",
                        self.repo, p.branch, c.field, c.from, c.to
                    )
                })
            })
            .collect();
        for r in &self.rulesets {
            for (what, weakens) in &r.changes {
                if *weakens {
                    out.push(format!("{} ruleset `{}`: {what}", self.repo, r.name));
                }
            }
        }
        out
    }
}

/// Plans branches and rulesets of one repository.
pub fn plan(
    client: &Client,
    repo: &str,
    root: &Path,
    config: &Config,
    check_run_name: &str,
) -> Result<RepoPlan, String> {
    let branches = plan_branches(client, repo, root, config, check_run_name)?;
    let desired: Vec<serde_json::Value> = config
        .protect
        .rulesets
        .iter()
        .map(|(b, _)| b.clone())
        .collect();
    let rulesets = rulesets::plan(client, repo, &desired)?;
    Ok(RepoPlan {
        repo: repo.to_string(),
        branches,
        rulesets,
    })
}

/// Plans every configured branch.
pub fn plan_branches(
    client: &Client,
    repo: &str,
    root: &Path,
    config: &Config,
    check_run_name: &str,
) -> Result<Vec<BranchPlan>, String> {
    let mut known = workflows::check_names(root);
    known.push(check_run_name.to_string());
    let mut plans = Vec::new();
    let mut branches: Option<Vec<String>> = None;
    for b in &config.protect.branches {
        let desired = Protection::from_put(&b.body);
        // A pattern ("release/*") covers every existing branch it matches.
        let names = if b.name.contains('*') {
            if branches.is_none() {
                branches = Some(list_branches(client, repo)?);
            }
            let all = branches.as_deref().unwrap_or_default();
            all.iter()
                .filter(|n| crate::env::names::name_matches(&b.name, n))
                .cloned()
                .collect()
        } else {
            vec![b.name.clone()]
        };
        for name in names {
            let current = read(client, repo, &name)?;
            let desired = desired.merged_with(current.as_ref());
            let changes = diff(&current.clone().unwrap_or_default(), &desired);
            plans.push(BranchPlan {
                branch: name,
                unknown_checks: unknown_checks(&desired, &known, &config.protect.external_checks),
                current,
                desired,
                changes,
            });
        }
    }
    Ok(plans)
}

/// Every branch name of the repository (all pages).
pub fn list_branches(client: &Client, repo: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for page in 1..=100 {
        let r = client
            .request(
                Method::Get,
                &format!("/repos/{repo}/branches?per_page=100&page={page}"),
                None,
            )
            .map_err(|e| e.to_string())?;
        if !r.ok() {
            return Err(api_error(&format!("listing branches of {repo}"), &r));
        }
        let items = r.body.as_array().cloned().unwrap_or_default();
        out.extend(
            items
                .iter()
                .filter_map(|b| b["name"].as_str().map(str::to_string)),
        );
        if items.len() < 100 || !r.has_next {
            break;
        }
    }
    Ok(out)
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

/// Applies a repository's plan (rulesets, then branches), verifying each write.
pub fn apply(client: &Client, plan: &RepoPlan) -> Result<Vec<String>, String> {
    rulesets::apply(client, &plan.repo, &plan.rulesets)?;
    let mut done: Vec<String> = plan
        .rulesets
        .iter()
        .filter(|r| !r.changes.is_empty())
        .map(|r| format!("ruleset {}", r.name))
        .collect();
    let repo = plan.repo.as_str();
    for p in plan.branches.iter().filter(|p| !p.changes.is_empty()) {
        let path = branch_path(repo, &p.branch);
        let r = client
            .request(Method::Put, &path, Some(&p.desired.put_body()))
            .map_err(|e| e.to_string())?;
        if !r.ok() {
            return Err(api_error(
                &format!("updating protection of `{}`", p.branch),
                &r,
            ));
        }
        let have_sig = p.current.as_ref().is_some_and(|c| c.signatures);
        if have_sig != p.desired.signatures {
            let method = if p.desired.signatures {
                Method::Post
            } else {
                Method::Delete
            };
            let r = client
                .request(method, &format!("{path}/required_signatures"), None)
                .map_err(|e| e.to_string())?;
            if !r.ok() {
                return Err(api_error(
                    &format!("setting required signatures on `{}`", p.branch),
                    &r,
                ));
            }
        }
        // GitHub answered 200: make sure it stored what was sent.
        let stored = read(client, repo, &p.branch)?.unwrap_or_default();
        let left = diff(&stored, &p.desired);
        if !left.is_empty() {
            let what: Vec<String> = left
                .iter()
                .map(|c| format!("{} is {} (sent {})", c.field, c.from, c.to))
                .collect();
            return Err(format!(
                "GitHub accepted the protection of `{}` but did not store it: {}",
                p.branch,
                what.join("; ")
            ));
        }
        done.push(p.branch.clone());
    }
    Ok(done)
}

fn config_path(root: &Path, config: &Config) -> String {
    config.path.as_ref().map_or_else(
        || config.display.clone(),
        |p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        },
    )
}

/// The `protect` stage: drift and unknown checks as findings at the config lines.
pub fn check_stage(
    client: &Client,
    repo: &str,
    root: &Path,
    config: &Config,
    check_run_name: &str,
    fail_on: FailOn,
) -> StageOutcome {
    let started = Instant::now();
    if config.protect.branches.is_empty() && config.protect.rulesets.is_empty() {
        return StageOutcome::skipped(
            "protect",
            "no [protect.branches] or [[protect.rulesets]] configured",
        );
    }
    let repo_plan = match plan(client, repo, root, config, check_run_name) {
        Ok(p) => p,
        Err(e) => {
            return StageOutcome::completed(
                "protect",
                Vec::new(),
                Some(e),
                fail_on,
                started.elapsed().as_millis() as u64,
            );
        }
    };
    let (findings, checks) = findings_for(&repo_plan, config, &config_path(root, config));
    StageOutcome::completed(
        "protect",
        findings,
        None,
        fail_on,
        started.elapsed().as_millis() as u64,
    )
    .with_checks(checks)
}

/// Which repositories of an organisation `--org` covers.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Name glob (`*` wildcard).
    pub name: Option<String>,
    /// Required topic.
    pub topic: Option<String>,
    /// Include archived repositories.
    pub archived: bool,
    /// Include forks.
    pub forks: bool,
}

/// Lists an organisation's repositories (all pages), filtered.
pub fn org_repos(client: &Client, org: &str, f: &OrgFilter) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for page in 1..=1000 {
        let r = client
            .request(
                Method::Get,
                &format!("/orgs/{org}/repos?type=all&per_page=100&page={page}"),
                None,
            )
            .map_err(|e| e.to_string())?;
        if !r.ok() {
            let hint = if r.status == 404 {
                " (no such organisation, or the token cannot see it)"
            } else {
                ""
            };
            return Err(format!(
                "listing repositories of {org}: HTTP {} {}{hint}",
                r.status,
                r.message()
            ));
        }
        let items = r.body.as_array().cloned().unwrap_or_default();
        for repo in &items {
            let name = repo["name"].as_str().unwrap_or_default();
            if repo["archived"].as_bool() == Some(true) && !f.archived {
                continue;
            }
            if repo["fork"].as_bool() == Some(true) && !f.forks {
                continue;
            }
            if let Some(g) = &f.name
                && !crate::env::names::name_matches(g, name)
            {
                continue;
            }
            if let Some(t) = &f.topic
                && !repo["topics"]
                    .as_array()
                    .is_some_and(|ts| ts.iter().any(|x| x.as_str() == Some(t.as_str())))
            {
                continue;
            }
            out.push(
                repo["full_name"]
                    .as_str()
                    .map_or_else(|| format!("{org}/{name}"), str::to_string),
            );
        }
        if items.len() < 100 || !r.has_next {
            break;
        }
    }
    Ok(out)
}

/// Plans many repositories with at most `concurrency` requests in flight
/// (one client per worker); a repository's error does not stop the others.
pub fn plan_many(
    gh: &crate::github::GitHubConfig,
    repos: &[String],
    root: &Path,
    config: &Config,
    check_run_name: &str,
    concurrency: usize,
) -> Vec<(String, Result<RepoPlan, String>)> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<RepoPlan, String>>>> =
        Mutex::new(repos.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..concurrency.clamp(1, 64).min(repos.len().max(1)) {
            s.spawn(|| {
                let client = Client::new(gh, crate::github::RetryPolicy::default());
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(repo) = repos.get(i) else { break };
                    let r = match &client {
                        Ok(c) => plan(c, repo, root, config, check_run_name),
                        Err(e) => Err(e.clone()),
                    };
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    let all = results.into_inner().unwrap_or_default();
    repos
        .iter()
        .cloned()
        .zip(all)
        .map(|(r, p)| (r, p.unwrap_or_else(|| Err("not planned".into()))))
        .collect()
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

/// Findings for one repository's plan (shared by `check` and the gate stage).
pub fn findings_for(
    plan: &RepoPlan,
    config: &Config,
    file: &str,
) -> (Vec<Finding>, Vec<CheckResult>) {
    let repo = plan.repo.as_str();
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for r in &plan.rulesets {
        let line = config
            .protect
            .rulesets
            .iter()
            .find(|(b, _)| b["name"].as_str() == Some(r.name.as_str()))
            .map_or(1, |(_, l)| *l);
        for (what, _) in &r.changes {
            findings.push(Finding::new(
                "protect/ruleset-drift",
                "Ruleset differs from the config",
                Severity::Error,
                format!("{repo} ruleset `{}`: {what}", r.name),
                "Run `shipgate protect apply` (or fix the config if GitHub is right).",
                Location::span(file.to_string(), (line, 1), (line, 1)),
                &format!("{repo}:ruleset:{}:{what}", r.name),
            ));
        }
        checks.push(CheckResult {
            name: format!("{repo} ruleset {}", r.name),
            status: if r.changes.is_empty() {
                "passed"
            } else {
                "failed"
            }
            .into(),
            duration_ms: 0,
            message: None,
        });
    }
    for p in &plan.branches {
        let spec: Option<&BranchSpec> = config.protect.branches.iter().find(|b| {
            b.name == p.branch
                || (b.name.contains('*') && crate::env::names::name_matches(&b.name, &p.branch))
        });
        let line_of = |field: &str| -> usize {
            let top = field.split('.').next().unwrap_or(field);
            spec.and_then(|s| s.key_lines.get(top).copied())
                .or(spec.map(|s| s.line))
                .unwrap_or(1)
        };
        for c in &p.changes {
            let l = line_of(&c.field);
            findings.push(Finding::new(
                "protect/drift",
                "Branch protection differs from the config",
                Severity::Error,
                format!(
                    "{repo}@{}: `{}` is {} on GitHub, the config says {}",
                    p.branch, c.field, c.from, c.to
                ),
                "Run `shipgate protect apply` (or fix the config if GitHub is right).",
                Location::span(file.to_string(), (l, 1), (l, 1)),
                &format!("{repo}:{}:{}", p.branch, c.field),
            ));
        }
        for (name, hint) in &p.unknown_checks {
            let l = line_of("required_status_checks");
            let hint = hint
                .as_ref()
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_default();
            findings.push(Finding::new(
                "protect/unknown-check",
                "Required check no workflow produces",
                Severity::Warning,
                format!("{repo}@{}: required check `{name}` matches no workflow job{hint}; every PR would wait for it forever", p.branch),
                "Use the job's `name:` (or id) as GitHub reports it, not \"Workflow / job\"; checks from other apps go in `[protect] external_checks`.",
                Location::span(file.to_string(), (l, 1), (l, 1)),
                &format!("{repo}:{}:{name}", p.branch),
            ));
        }
        checks.push(CheckResult {
            name: format!("{repo}@{}", p.branch),
            status: if p.changes.is_empty() {
                "passed"
            } else {
                "failed"
            }
            .into(),
            duration_ms: 0,
            message: (!p.changes.is_empty()).then(|| format!("{} difference(s)", p.changes.len())),
        });
    }
    (findings, checks)
}

/// Config file path as findings name it.
pub fn config_file(root: &Path, config: &Config) -> String {
    config_path(root, config)
}
