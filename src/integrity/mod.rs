//! The `integrity` stage: the repository's own machinery is real. CI steps
//! that cannot fail or run nothing, scripts that run missing files, commands
//! and links in docs that point at nothing, endpoints no route serves,
//! runbook variables nobody declares, change policies, and required checks
//! whose job checks nothing.

pub mod config;
mod endpoints;
mod policy;
pub mod rules;
pub mod runbook_env;
mod runbooks;

pub use endpoints::route_candidate;
pub use rules::RULES;

use crate::ci::{self, Issue, Repo, RepoIndex};
use crate::env::config::EnvConfig;
use crate::error::Result;
use crate::model::{Finding, Location, Severity, StageOutcome};
use crate::protect::config::ProtectConfig;
use crate::scan::DiffSpec;
use crate::smoke::config::SmokeConfig;
use config::IntegrityConfig;
use globset::GlobSet;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

/// What the stage reads besides the repository's files.
pub struct IntegrityInputs<'a> {
    /// Repository root.
    pub root: &'a Path,
    /// `[integrity]`.
    pub config: &'a IntegrityConfig,
    /// The config file as findings name it.
    pub config_file: &'a str,
    /// `[protect]`: the checks branch protection requires.
    pub protect: &'a ProtectConfig,
    /// `[smoke]`: the endpoints smoke checks call.
    pub smoke: &'a SmokeConfig,
    /// `[env]`: templates and declarations named in the config.
    pub env: &'a EnvConfig,
    /// `[scan] exclude`: code the env references are not read from.
    pub scan_exclude: &'a [String],
    /// `[scan.production]` include and exclude: the code whose routes serve
    /// (test fixtures and examples declare routes too).
    pub production: (&'a [String], &'a [String]),
    /// Contents of the route candidates the walk kept ([`route_candidate`]).
    pub route_sources: Option<&'a [crate::walk::Kept]>,
    /// Templates and references the env stage's walk collected.
    pub env_known: Option<runbook_env::EnvKnowledge>,
    /// The change under test (diff and PR modes).
    pub diff: Option<&'a [DiffSpec]>,
}

/// Files larger than this are not read by the rules.
const MAX_READ: u64 = 4 << 20;

/// Reads a repo-relative file (regular files only, bounded).
pub fn reader(root: &Path) -> impl Fn(&str) -> Option<Vec<u8>> + Sync + '_ {
    move |p: &str| {
        let abs = root.join(p);
        let meta = std::fs::symlink_metadata(&abs).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ {
            return None;
        }
        std::fs::read(abs).ok()
    }
}

fn finding(issue: &Issue) -> Finding {
    let meta = rules::get(issue.rule);
    let sev = match issue.severity {
        ci::Severity::Error => Severity::Error,
        ci::Severity::Warning => Severity::Warning,
        ci::Severity::Note => Severity::Note,
    };
    Finding::of(
        meta,
        issue.message.clone(),
        Location::span(
            &issue.path,
            (issue.line, issue.column),
            (issue.line, issue.column),
        ),
        &format!("{}:{}", issue.job.as_deref().unwrap_or(""), issue.message),
    )
    .at(sev)
}

/// The check names branch protection requires, with the branch that requires each.
fn required_checks(p: &ProtectConfig) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in &p.branches {
        let rsc = &b.body["required_status_checks"];
        let contexts = rsc["contexts"].as_array().into_iter().flatten();
        let checks = rsc["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| &c["context"]);
        for c in contexts.chain(checks).filter_map(|v| v.as_str()) {
            out.push((c.to_string(), b.name.clone()));
        }
    }
    out
}

/// The CI findings (workflows, package scripts), with masked checks in
/// required jobs raised to errors and required checks of no-op jobs reported.
fn ci_findings(report: &ci::Report, required: &[(String, String)]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for issue in &report.issues {
        let mut f = finding(issue);
        // A masked check in a job branch protection requires: the protection is hollow.
        if issue.rule == rules::MASKED_FAILURE.id
            && issue
                .checks
                .iter()
                .any(|c| required.iter().any(|(r, _)| r == c))
        {
            f = f.at(Severity::Error);
            f.message
                .push_str(" (branch protection requires this job's check)");
        }
        findings.push(f);
    }
    for job in &report.noop_jobs {
        for (check, branch) in required.iter().filter(|(r, _)| job.check_names.contains(r)) {
            findings.push(Finding::of(
                &rules::NOOP_REQUIRED_CHECK,
                format!(
                    "branch protection of `{branch}` requires `{check}`, but job `{}` checks nothing: {}",
                    job.job_id, job.why
                ),
                Location::span(&job.workflow, (job.line, job.column), (job.line, job.column)),
                &format!("{branch}:{check}"),
            ));
        }
    }
    findings
}

/// The paths the stage analyses: all but `[integrity] exclude`.
fn analysed(config: &IntegrityConfig, files: Vec<String>) -> Result<Vec<String>> {
    if config.exclude.is_empty() {
        return Ok(files);
    }
    let exclude: GlobSet = crate::glob::glob_set(&config.exclude)
        .map_err(|e| crate::error::Error::Usage(format!("[integrity] exclude: {e}")))?;
    Ok(files.into_iter().filter(|f| !exclude.is_match(f)).collect())
}

/// A helper thread's result; its panic goes on in this thread.
fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Runs the stage over `files` (every path of the repository). In diff mode
/// only the Markdown the change touches is read, and only findings located in
/// touched files are reported.
pub fn run(inputs: &IntegrityInputs, files: Vec<String>) -> Result<StageOutcome> {
    let started = Instant::now();
    let files = analysed(inputs.config, files)?;
    let changed = match inputs.diff {
        Some(specs) => Some(policy::changed_paths(inputs.root, specs)?),
        None => None,
    };
    let touched: Option<BTreeSet<&str>> = changed
        .as_ref()
        .map(|c| c.iter().map(String::as_str).collect());
    let read = reader(inputs.root);
    let repo = Repo {
        files: &files,
        read: &read,
    };
    let idx = RepoIndex::new(&repo);
    let report = ci::check_index(&idx);
    let mut findings = ci_findings(&report, &required_checks(inputs.protect));
    if let Some(changed) = &changed {
        findings.extend(policy::check(inputs.config, changed));
    }
    let docs: Vec<String> = match &touched {
        Some(t) => files
            .iter()
            .filter(|f| t.contains(f.as_str()))
            .cloned()
            .collect(),
        None => files.clone(),
    };
    let include = crate::glob::glob_set(inputs.production.0)
        .map_err(|e| crate::error::Error::Usage(format!("[scan.production] include: {e}")))?;
    let exclude = crate::glob::glob_set(inputs.production.1)
        .map_err(|e| crate::error::Error::Usage(format!("[scan.production] exclude: {e}")))?;
    let serving = |p: &str| include.is_match(p) && !exclude.is_match(p);
    let route_table = || endpoints::route_table(&files, inputs.route_sources, &serving, &read);
    let (runbooks, endpoints, routes, computed) = std::thread::scope(|s| {
        // On a whole-repository run the routes are read beside the docs
        // (endpoint mentions are all but certain); a change reads them only
        // when it mentions an endpoint.
        let early = touched.is_none().then(|| s.spawn(route_table));
        let runbooks = runbooks::check(&idx, &docs, touched.is_none(), &read);
        // What code reads, when the walk did not collect it: only the names
        // the runbooks list are looked for.
        let names: BTreeSet<String> = runbooks.env_vars.iter().map(|e| e.name.clone()).collect();
        let (files, read) = (&files, &read);
        let known = (inputs.env_known.is_none() && !names.is_empty()).then(|| {
            s.spawn(move || {
                runbook_env::knowledge(inputs.env, inputs.scan_exclude, files, read, &names)
            })
        });
        let mut endpoints =
            endpoints::mentions(&report.workflows, inputs.smoke, inputs.config_file);
        let base_host = endpoints::base_host(inputs.smoke);
        endpoints.extend(
            runbooks
                .endpoints
                .iter()
                .filter(|m| endpoints::ours(&m.target, base_host.as_deref()))
                .cloned(),
        );
        if let Some(t) = &touched {
            endpoints.retain(|m| t.contains(m.path.as_str()));
        }
        let routes = match early {
            Some(h) => Some(joined(h)),
            None => (!endpoints.is_empty()).then(route_table),
        };
        let computed = known.map(joined);
        (runbooks, endpoints, routes, computed)
    });
    findings.extend(runbooks.findings);
    let known = match computed {
        Some(k) => Some(k.map_err(crate::error::Error::Usage)?),
        None => None,
    };
    if let Some(known) = known.as_ref().or(inputs.env_known.as_ref()) {
        findings.extend(runbook_env::check(
            &runbooks.env_vars,
            known,
            &inputs.env.allow,
        ));
    }
    if let Some(table) = &routes {
        findings.extend(endpoints::check(&endpoints, table));
    }
    if let Some(t) = &touched {
        findings.retain(|f| {
            f.rule == rules::CHANGE_POLICY.id || f.location.path().is_some_and(|p| t.contains(p))
        });
    }
    let checks: Vec<String> = RULES.iter().map(|r| r.id.to_string()).collect();
    let mut stage = StageOutcome::new(
        "integrity",
        findings,
        None,
        started.elapsed().as_millis() as u64,
    )
    .with_rule_checks(checks);
    stage.stats.insert("files".into(), files.len() as u64);
    stage
        .stats
        .insert("workflows".into(), report.workflows.len() as u64);
    stage.stats.insert("markdown".into(), runbooks.files as u64);
    stage
        .stats
        .insert("endpoints".into(), endpoints.len() as u64);
    Ok(stage)
}
