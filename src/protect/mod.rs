//! `shipgate protect`: branch protection as code for one repository or an
//! organisation — plan (diff), apply (then read back), check (drift as findings).

pub mod config;
pub mod model;
pub mod rulesets;
pub mod workflows;

use crate::error::{Error, Result};
use crate::github::GitHubConfig;
use crate::github::client::{Client, Method};
use crate::model::{CheckResult, CheckStatus, Finding, Location, RuleMeta, Severity, StageOutcome};
use config::{BranchSpec, ProtectConfig};
use model::{Change, Protection, diff};
use std::path::Path;
use std::time::Instant;

/// Branch protection differs from the config.
pub const DRIFT: RuleMeta = RuleMeta {
    id: "protect/drift",
    title: "Branch protection differs from the config",
    severity: Severity::Error,
    help: "Run `shipgate protect apply` (or fix the config if GitHub is right).",
    security: true,
};
/// A ruleset differs from the config.
pub const RULESET_DRIFT: RuleMeta = RuleMeta {
    id: "protect/ruleset-drift",
    title: "Ruleset differs from the config",
    severity: Severity::Error,
    help: "Run `shipgate protect apply` (or fix the config if GitHub is right).",
    security: true,
};
/// A required check that no workflow job produces.
pub const UNKNOWN_CHECK: RuleMeta = RuleMeta {
    id: "protect/unknown-check",
    title: "Required check no workflow produces",
    severity: Severity::Warning,
    help: "Use the job's `name:` (or id) as GitHub reports it, not \"Workflow / job\"; checks from other apps go in `[protect] external_checks`.",
    security: false,
};
/// The rules of the protect stage.
pub const RULES: &[RuleMeta] = &[DRIFT, RULESET_DRIFT, UNKNOWN_CHECK];

/// What the protect stage checks.
#[derive(Debug, Clone)]
pub struct ProtectRequest {
    /// API access (`None`: no token).
    pub github: Option<GitHubConfig>,
    /// One repository or an organisation.
    pub target: Target,
    /// The check-run name shipgate publishes (counts as a known check).
    pub check_name: String,
    /// `shipgate protect check` needs everything; the gate skips without it.
    pub required: bool,
}

/// Which repositories.
#[derive(Debug, Clone)]
pub enum Target {
    /// `--repo`, else `[protect].repo`, else `GITHUB_REPOSITORY` (`None`: unknown).
    Repo(Option<String>),
    /// `--org`.
    Org {
        /// Organisation.
        org: String,
        /// Which of its repositories.
        filter: OrgFilter,
        /// Repositories read at once.
        concurrency: usize,
    },
}

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

fn api_error(what: &str, r: &crate::github::client::Response) -> Error {
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
    Error::Incomplete(format!("{what}: HTTP {} {}{hint}", r.status, r.message()))
}

/// Reads the current protection (404 "Branch not protected" = unprotected).
pub fn read(client: &Client, repo: &str, branch: &str) -> Result<Option<Protection>> {
    let r = client.request(Method::Get, &branch_path(repo, branch), None)?;
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
    config: &ProtectConfig,
    check_run_name: &str,
) -> Result<RepoPlan> {
    let branches = plan_branches(client, repo, root, config, check_run_name)?;
    let desired: Vec<serde_json::Value> = config.rulesets.iter().map(|(b, _)| b.clone()).collect();
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
    config: &ProtectConfig,
    check_run_name: &str,
) -> Result<Vec<BranchPlan>> {
    let mut known = workflows::check_names(root);
    known.push(check_run_name.to_string());
    let mut plans = Vec::new();
    let mut branches: Option<Vec<String>> = None;
    for b in &config.branches {
        let desired = Protection::from_put(&b.body);
        // A pattern ("release/*") covers every existing branch it matches.
        let names = if b.name.contains('*') {
            if branches.is_none() {
                branches = Some(list_branches(client, repo)?);
            }
            let all = branches.as_deref().unwrap_or_default();
            all.iter()
                .filter(|n| crate::glob::branch_matches(&b.name, n))
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
                unknown_checks: unknown_checks(&desired, &known, &config.external_checks),
                current,
                desired,
                changes,
            });
        }
    }
    Ok(plans)
}

/// Every branch name of the repository (all pages).
pub fn list_branches(client: &Client, repo: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for page in 1..=100 {
        let r = client.request(
            Method::Get,
            &format!("/repos/{repo}/branches?per_page=100&page={page}"),
            None,
        )?;
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

/// Applies a repository's plan (rulesets, then branches), verifying each write.
pub fn apply(client: &Client, plan: &RepoPlan) -> Result<Vec<String>> {
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
        let r = client.request(Method::Put, &path, Some(&p.desired.put_body()))?;
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
            let r = client.request(method, &format!("{path}/required_signatures"), None)?;
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
            return Err(Error::incomplete(format!(
                "GitHub accepted the protection of `{}` but did not store it: {}",
                p.branch,
                what.join("; ")
            )));
        }
        done.push(p.branch.clone());
    }
    Ok(done)
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
pub fn org_repos(client: &Client, org: &str, f: &OrgFilter) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for page in 1..=1000 {
        let r = client.request(
            Method::Get,
            &format!("/orgs/{org}/repos?type=all&per_page=100&page={page}"),
            None,
        )?;
        if !r.ok() {
            let hint = if r.status == 404 {
                " (no such organisation, or the token cannot see it)"
            } else {
                ""
            };
            return Err(Error::incomplete(format!(
                "listing repositories of {org}: HTTP {} {}{hint}",
                r.status,
                r.message()
            )));
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
                && !crate::glob::name_matches(g, name)
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
/// (one shared client); a repository's error does not stop the others.
pub fn plan_many(
    client: &Client,
    repos: &[String],
    root: &Path,
    config: &ProtectConfig,
    check_run_name: &str,
    concurrency: usize,
) -> Vec<(String, std::result::Result<RepoPlan, String>)> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<std::result::Result<RepoPlan, String>>>> =
        Mutex::new(repos.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..concurrency.clamp(1, 64).min(repos.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(repo) = repos.get(i) else { break };
                    let r =
                        plan(client, repo, root, config, check_run_name).map_err(|e| e.to_string());
                    if let Ok(mut all) = results.lock()
                        && let Some(slot) = all.get_mut(i)
                    {
                        *slot = Some(r);
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

/// Findings for one repository's plan (shared by `check` and the gate stage).
pub fn findings_for(
    plan: &RepoPlan,
    config: &ProtectConfig,
    file: &str,
) -> (Vec<Finding>, Vec<CheckResult>) {
    let repo = plan.repo.as_str();
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for r in &plan.rulesets {
        let line = config
            .rulesets
            .iter()
            .find(|(b, _)| b["name"].as_str() == Some(r.name.as_str()))
            .map_or(1, |(_, l)| *l);
        for (what, _) in &r.changes {
            findings.push(Finding::of(
                &RULESET_DRIFT,
                format!("{repo} ruleset `{}`: {what}", r.name),
                Location::span(file.to_string(), (line, 1), (line, 1)),
                &format!("{repo}:ruleset:{}:{what}", r.name),
            ));
        }
        checks.push(CheckResult::new(
            format!("{repo} ruleset {}", r.name),
            if r.changes.is_empty() {
                CheckStatus::Passed
            } else {
                CheckStatus::Failed
            },
            None,
        ));
    }
    for p in &plan.branches {
        let spec: Option<&BranchSpec> = config.branches.iter().find(|b| {
            b.name == p.branch
                || (b.name.contains('*') && crate::glob::branch_matches(&b.name, &p.branch))
        });
        let line_of = |field: &str| -> usize {
            let top = field.split('.').next().unwrap_or(field);
            spec.and_then(|s| s.key_lines.get(top).copied())
                .or(spec.map(|s| s.line))
                .unwrap_or(1)
        };
        for c in &p.changes {
            let l = line_of(&c.field);
            findings.push(Finding::of(
                &DRIFT,
                format!(
                    "{repo}@{}: `{}` is {} on GitHub, the config says {}",
                    p.branch, c.field, c.from, c.to
                ),
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
            findings.push(Finding::of(
                &UNKNOWN_CHECK,
                format!("{repo}@{}: required check `{name}` matches no workflow job{hint}; every PR would wait for it forever", p.branch),
                Location::span(file.to_string(), (l, 1), (l, 1)),
                &format!("{repo}:{}:{name}", p.branch),
            ));
        }
        checks.push(CheckResult::new(
            format!("{repo}@{}", p.branch),
            if p.changes.is_empty() {
                CheckStatus::Passed
            } else {
                CheckStatus::Failed
            },
            (!p.changes.is_empty()).then(|| format!("{} difference(s)", p.changes.len())),
        ));
    }
    (findings, checks)
}

/// Why the protect stage cannot run, if it cannot: (message, whether it is a
/// usage error when the stage is required).
fn cannot_run(req: &ProtectRequest, config: &ProtectConfig) -> Option<String> {
    if config.branches.is_empty() && config.rulesets.is_empty() {
        return Some("no [protect.branches] or [[protect.rulesets]] configured".into());
    }
    if req.github.is_none() {
        return Some("no GITHUB_TOKEN or GH_TOKEN to read branch protection".into());
    }
    if matches!(req.target, Target::Repo(None)) {
        return Some("no repository: pass --repo, set [protect].repo or GITHUB_REPOSITORY".into());
    }
    None
}

/// The `protect` stage: drift and unknown checks as findings at the config
/// lines, for one repository or every repository of an organisation.
pub fn stage(
    req: &ProtectRequest,
    root: &Path,
    config: &ProtectConfig,
    config_file: &str,
) -> Result<StageOutcome> {
    let started = Instant::now();
    if let Some(why) = cannot_run(req, config) {
        return if req.required {
            Err(Error::Usage(why))
        } else {
            Ok(StageOutcome::skipped("protect", why))
        };
    }
    let Some(gh) = &req.github else {
        return Ok(StageOutcome::skipped("protect", "no token"));
    };
    let client = Client::new(gh, crate::github::RetryPolicy::default())?;
    let elapsed = || started.elapsed().as_millis() as u64;
    match &req.target {
        Target::Repo(repo) => {
            let repo = repo.as_deref().unwrap_or_default();
            match plan(&client, repo, root, config, &req.check_name) {
                Ok(p) => {
                    let (findings, checks) = findings_for(&p, config, config_file);
                    Ok(StageOutcome::new("protect", findings, None, elapsed()).with_checks(checks))
                }
                Err(e) => Ok(StageOutcome::new(
                    "protect",
                    Vec::new(),
                    Some(e.to_string()),
                    elapsed(),
                )),
            }
        }
        Target::Org {
            org,
            filter,
            concurrency,
        } => {
            let repos = match org_repos(&client, org, filter) {
                Ok(r) => r,
                Err(e) => {
                    return Ok(StageOutcome::new(
                        "protect",
                        Vec::new(),
                        Some(e.to_string()),
                        elapsed(),
                    ));
                }
            };
            let rows = plan_many(&client, &repos, root, config, &req.check_name, *concurrency);
            let mut findings = Vec::new();
            let mut checks = Vec::new();
            let mut problems = Vec::new();
            for (repo, r) in &rows {
                match r {
                    Ok(p) => {
                        let (f, c) = findings_for(p, config, config_file);
                        findings.extend(f);
                        checks.extend(c);
                    }
                    Err(e) => {
                        problems.push(format!("{repo}: {e}"));
                        checks.push(CheckResult::new(
                            repo.clone(),
                            CheckStatus::Failed,
                            Some(e.clone()),
                        ));
                    }
                }
            }
            let problem = (!problems.is_empty()).then(|| {
                format!(
                    "{} repositor(ies) could not be read: {}",
                    problems.len(),
                    problems.join("; ")
                )
            });
            let mut stage =
                StageOutcome::new("protect", findings, problem, elapsed()).with_checks(checks);
            stage
                .stats
                .insert("repositories".into(), repos.len() as u64);
            Ok(stage)
        }
    }
}
