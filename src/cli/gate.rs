//! `scan`, `env`, `smoke` and `gate`: flags and profile into one [`Plan`].

use super::output::{self, Printed};
use super::{
    Ctx, EnvArgs, GateArgs, PublishArgs, PublishMode, ReportArgs, ScanArgs, ScanSelection,
    SmokeArgs, SmokeSelection,
};
use crate::config::{Profile, ScanMode};
use crate::env::EnvRequest;
use crate::error::{Error, Exit, Result};
use crate::gate::{Plan, PublishPlan, Setup, StageRequest, display_path};
use crate::github::CheckTarget;
use crate::model::{FailOn, Severity};
use crate::protect::{ProtectRequest, Target as ProtectTarget};
use crate::scan::{DiffSpec, ScanRequest, Target};
use crate::smoke::SmokeRequest;
use crate::suppress::Baseline;
use std::path::{Path, PathBuf};

/// Where a command runs: its repository root and what the scan paths name.
pub struct Place {
    /// Repository root.
    pub root: PathBuf,
    /// Scan paths, repo-relative.
    pub paths: Vec<String>,
}

/// The root and repo-relative scan paths. A path in another repository (or
/// in none) makes that repository (or the path itself) the root, as ripgrep
/// and gitleaks scan any path.
pub fn place(ctx: &Ctx, paths: &[PathBuf]) -> Result<Place> {
    let mut abs = Vec::new();
    for p in paths {
        let a = ctx
            .path(p)
            .canonicalize()
            .map_err(|e| Error::usage(format!("cannot scan {}: {e}", p.display())))?;
        abs.push(a);
    }
    let mut root = ctx.root();
    if let Some(first) = abs.first()
        && !first.starts_with(&root)
    {
        let dir = if first.is_dir() {
            first.clone()
        } else {
            first
                .parent()
                .map_or_else(|| first.clone(), Path::to_path_buf)
        };
        root = super::root_of(&dir);
    }
    let mut rel = Vec::new();
    for (a, p) in abs.iter().zip(paths) {
        let r = a.strip_prefix(&root).map_err(|_| {
            Error::usage(format!(
                "{} and the other paths are in different repositories; scan them one at a time",
                p.display()
            ))
        })?;
        let r = r.to_string_lossy().replace('\\', "/");
        if !r.is_empty() {
            rel.push(r);
        }
    }
    Ok(Place { root, paths: rel })
}

/// Loads the config and rule packs of `root`.
pub fn setup(ctx: &Ctx, root: &Path) -> Result<Setup> {
    let config = ctx.config_path(root);
    Setup::load(root, config.as_deref())
}

/// `fail_on`, resolved once: flag, profile, `[gate]`, default.
pub fn fail_on(flag: Option<Severity>, profile: Option<&Profile>, setup: &Setup) -> FailOn {
    FailOn(
        flag.or(profile.and_then(|p| p.fail_on))
            .or(setup.config.gate.fail_on)
            .unwrap_or(Severity::Error),
    )
}

/// The scan request: explicit flags first, else the profile's mode.
pub fn scan_request(
    ctx: &Ctx,
    sel: &ScanSelection,
    mode: ScanMode,
    diff_base: Option<&str>,
    place: &Place,
) -> Result<ScanRequest> {
    let needs_git = sel.diff.is_some() || sel.staged || sel.tracked || mode != ScanMode::Tree;
    if needs_git && crate::git::toplevel(&place.root).is_none() {
        return Err(Error::usage(format!(
            "{} is not inside a git work tree; --tracked, --diff and --staged need git",
            place.root.display()
        )));
    }
    // A revision that does not exist makes the scan incomplete (git's error
    // is reported); one that could be read as an option is refused here.
    let target = if let Some(d) = &sel.diff {
        Target::Diff(vec![DiffSpec::parse(d)?])
    } else if sel.staged {
        Target::Diff(vec![DiffSpec::Staged])
    } else if sel.tracked {
        Target::Tracked
    } else {
        match mode {
            ScanMode::Tree => Target::Tree,
            ScanMode::Tracked => Target::Tracked,
            ScanMode::Diff => {
                let base = diff_base
                    .map(str::to_string)
                    .or_else(|| ctx.env.pr_base())
                    .or_else(|| crate::git::remote_default(&place.root, "origin"))
                    .unwrap_or_else(|| "origin/main".into());
                Target::Diff(vec![DiffSpec::parse(&base)?])
            }
        }
    };
    Ok(ScanRequest {
        target,
        paths: place.paths.clone(),
    })
}

/// The env request; `--env-file` paths are relative to `-C`.
pub fn env_request(
    ctx: &Ctx,
    root: &Path,
    profile: Option<String>,
    files: &[PathBuf],
    from_process: bool,
    optional: bool,
) -> EnvRequest {
    EnvRequest {
        profile,
        env_files: files
            .iter()
            .map(|f| {
                let abs = ctx.path(f);
                let shown = display_path(root, &abs);
                (abs, shown)
            })
            .collect(),
        process: from_process.then(|| ctx.env.to_vec()),
        profile_optional: optional,
        diff: None,
    }
}

/// When the scan covers a change, the env stage looks at that change too.
pub fn align_env_with_scan(stages: &mut [StageRequest]) {
    let specs = stages.iter().find_map(|s| match s {
        StageRequest::Scan(ScanRequest {
            target: Target::Diff(specs),
            ..
        }) => Some(specs.clone()),
        _ => None,
    });
    for s in stages {
        match s {
            StageRequest::Env(e) => e.diff = specs.clone(),
            StageRequest::Integrity(d) => *d = specs.clone(),
            _ => {}
        }
    }
}

/// `shipgate integrity`.
pub fn integrity(ctx: &Ctx, a: &super::IntegrityArgs) -> Result<Exit> {
    let root = ctx.root();
    let setup = setup(ctx, &root)?;
    check_change_policies(&setup)?;
    let diff = match &a.diff {
        Some(d) => {
            if crate::git::toplevel(&root).is_none() {
                return Err(Error::usage(format!(
                    "{} is not inside a git work tree; --diff needs git",
                    root.display()
                )));
            }
            Some(vec![DiffSpec::parse(d)?])
        }
        None => None,
    };
    let fo = fail_on(a.report.fail_on, None, &setup);
    let plan = plan(
        ctx,
        setup,
        None,
        fo,
        vec![StageRequest::Integrity(diff)],
        &a.report,
        None,
    )?;
    run(ctx, plan, &a.report)
}

/// A change policy that requires a file that does not exist is a config error.
pub fn check_change_policies(setup: &Setup) -> Result<()> {
    let mut errors = Vec::new();
    for p in &setup.config.integrity.require_change {
        for (path, line, column) in &p.require_at {
            let glob = path.contains(['*', '?', '[']);
            if !glob && !setup.root.join(path).exists() {
                errors.push(crate::diag::SourceError {
                    file: setup.config.display.clone(),
                    line: *line,
                    column: *column,
                    message: format!("`{path}` does not exist: the policy could never be followed"),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Config(crate::diag::SourceErrors(errors)))
    }
}

/// Expands `${VAR}` from the environment (a missing variable leaves the text as is).
fn expand_env(ctx: &Ctx, s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start + 2..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 2..start + 2 + end];
        match ctx.env.get(name) {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[start..start + 3 + end]),
        }
        rest = &rest[start + 3 + end..];
    }
    out.push_str(rest);
    out
}

/// The smoke request: flags, then `SHIPGATE_BASE_URL`, then `[smoke]`.
pub fn smoke_request(
    ctx: &Ctx,
    setup: &Setup,
    sel: &SmokeSelection,
    required: bool,
) -> Result<SmokeRequest> {
    let sc = &setup.config.smoke;
    let ca_file = match (&sel.ca_file, &sc.ca_file) {
        (Some(f), _) => Some((ctx.path(f), f.display().to_string())),
        (None, Some(f)) => Some((setup.root.join(f), f.clone())),
        _ => None,
    };
    let req = SmokeRequest {
        base_url: sel
            .base_url
            .clone()
            .or_else(|| ctx.env.get("SHIPGATE_BASE_URL").map(str::to_string))
            .or_else(|| sc.base_url.clone()),
        wait: sel.wait,
        expect_version: sel
            .expect_version
            .clone()
            .or_else(|| sc.expect_version.as_deref().map(|e| expand_env(ctx, e)))
            .or_else(|| ctx.env.get("GITHUB_SHA").map(str::to_string)),
        insecure: sel.insecure,
        ca_file,
        required,
        vars: ctx.env.map(),
    };
    // A bad base URL is a usage error before anything runs (and before a check run starts).
    crate::smoke::base_url(&req)?;
    Ok(req)
}

/// The protect request of the gate (skipped without config or token).
pub fn protect_request(
    ctx: &Ctx,
    setup: &Setup,
    repo: Option<String>,
    check_name: &str,
    required: bool,
) -> ProtectRequest {
    ProtectRequest {
        github: ctx.env.github(),
        target: ProtectTarget::Repo(
            repo.or_else(|| setup.config.protect.repo.clone())
                .or_else(|| ctx.env.repository()),
        ),
        check_name: check_name.to_string(),
        required,
    }
}

/// Check-run publishing, when asked for (or `auto` in Actions with a token).
pub fn publish_plan(ctx: &Ctx, args: &PublishArgs) -> Result<Option<PublishPlan>> {
    let github = ctx.env.github();
    let wanted = match args.publish {
        PublishMode::None => false,
        PublishMode::Auto => ctx.env.in_actions() && github.is_some(),
        PublishMode::CheckRun => true,
    };
    if !wanted {
        return Ok(None);
    }
    let github =
        github.ok_or_else(|| Error::usage("--publish check-run needs GITHUB_TOKEN or GH_TOKEN"))?;
    let repo = ctx
        .env
        .repository()
        .ok_or_else(|| Error::usage("--publish check-run needs GITHUB_REPOSITORY (owner/name)"))?;
    let sha = ctx.env.head_sha(args.sha.as_deref()).ok_or_else(|| {
        Error::usage("--publish check-run needs --sha, a pull_request event or GITHUB_SHA")
    })?;
    Ok(Some(PublishPlan {
        github,
        target: CheckTarget {
            external_id: format!(
                "shipgate-{}-{:016x}",
                ctx.env.get("GITHUB_RUN_ID").unwrap_or("local"),
                (crate::retry::jitter_fraction() * (u64::MAX as f64)) as u64
            ),
            repo,
            sha,
            name: args.check_name.clone(),
            details_url: ctx.env.details_url(),
            neutral_on_warnings: args.neutral_on_warnings,
        },
    }))
}

/// The baseline named by `--baseline` (relative to `-C`).
pub fn baseline(ctx: &Ctx, report: &ReportArgs) -> Result<Option<Baseline>> {
    report
        .baseline
        .as_ref()
        .map(|b| Baseline::load(&ctx.path(b), &b.display().to_string()))
        .transpose()
}

/// A plan of the given stages with the common parts filled in.
pub fn plan(
    ctx: &Ctx,
    setup: Setup,
    profile: Option<&Profile>,
    fail_on: FailOn,
    stages: Vec<StageRequest>,
    report: &ReportArgs,
    publish: Option<PublishPlan>,
) -> Result<Plan> {
    Ok(Plan {
        setup,
        profile: profile.map(|p| p.name.clone()),
        fail_on,
        severity: profile.map(|p| p.severity.clone()).unwrap_or_default(),
        stages,
        baseline: baseline(ctx, report)?,
        publish,
        progress: ctx.progress(),
        environment: ctx.env.to_vec(),
        repository_url: ctx.env.repository_url(),
    })
}

fn run(ctx: &Ctx, plan: Plan, report: &ReportArgs) -> Result<Exit> {
    output::run_and_print(ctx, plan, report, Printed::Stdout, None)
}

/// `shipgate scan`.
pub fn scan(ctx: &Ctx, a: &ScanArgs) -> Result<Exit> {
    if let Some(p) = &a.explain_scope {
        return explain_scope(ctx, p);
    }
    let place = place(ctx, &a.selection.paths)?;
    let setup = setup(ctx, &place.root)?;
    let req = scan_request(ctx, &a.selection, ScanMode::Tree, None, &place)?;
    let fo = fail_on(a.report.fail_on, None, &setup);
    let plan = plan(
        ctx,
        setup,
        None,
        fo,
        vec![StageRequest::Scan(req)],
        &a.report,
        None,
    )?;
    run(ctx, plan, &a.report)
}

/// `shipgate scan --explain-scope PATH`.
fn explain_scope(ctx: &Ctx, path: &Path) -> Result<Exit> {
    let place = place(ctx, &[path.to_path_buf()])?;
    let setup = setup(ctx, &place.root)?;
    let rel = place.paths.first().cloned().unwrap_or_default();
    let scan = &setup.config.scan;
    let globs = |g: &[String]| crate::glob::glob_set(g).map_err(|e| Error::usage(e.to_string()));
    let by_globs = globs(&scan.production_include)?.is_match(&rel)
        && !globs(&scan.production_exclude)?.is_match(&rel);
    let list = crate::walk::PathList::default();
    let no_blobs = |_: &[String]| Err("no git objects in a tree walk".to_string());
    crate::walk::walk(
        &place.root,
        &crate::walk::Source::Tree(Vec::new()),
        &[&list],
        &no_blobs,
    );
    let files = list.into_files();
    let read = crate::scan::scope::reader(&place.root);
    println!(
        "{}",
        crate::scan::scope::explain(&rel, &files, &read, &scan.production_entrypoints, by_globs)
    );
    Ok(Exit::Pass)
}

/// `shipgate env`.
pub fn env(ctx: &Ctx, a: &EnvArgs) -> Result<Exit> {
    let root = ctx.root();
    let setup = setup(ctx, &root)?;
    let s = &a.selection;
    let req = env_request(
        ctx,
        &root,
        s.profile.clone(),
        &s.env_files,
        s.from_process,
        false,
    );
    let fo = fail_on(a.report.fail_on, None, &setup);
    let plan = plan(
        ctx,
        setup,
        None,
        fo,
        vec![StageRequest::Env(req)],
        &a.report,
        None,
    )?;
    run(ctx, plan, &a.report)
}

/// `shipgate smoke`.
pub fn smoke(ctx: &Ctx, a: &SmokeArgs) -> Result<Exit> {
    let root = ctx.root();
    let setup = setup(ctx, &root)?;
    let req = smoke_request(ctx, &setup, &a.selection, true)?;
    let fo = fail_on(a.report.fail_on, None, &setup);
    let plan = plan(
        ctx,
        setup,
        None,
        fo,
        vec![StageRequest::Smoke(req)],
        &a.report,
        None,
    )?;
    run(ctx, plan, &a.report)
}

/// The stages a profile names, built from the flags.
pub struct StageFlags<'a> {
    /// Scan selection.
    pub scan: &'a ScanSelection,
    /// `--env-profile` (else the profile's).
    pub env_profile: Option<String>,
    /// `--env-file`.
    pub env_files: &'a [PathBuf],
    /// `--from-process`.
    pub from_process: bool,
    /// Smoke options.
    pub smoke: &'a SmokeSelection,
    /// The check-run name (a known check for protect).
    pub check_name: &'a str,
}

/// The stage requests of `profile`, in its order.
pub fn profile_stages(
    ctx: &Ctx,
    setup: &Setup,
    profile: &Profile,
    place: &Place,
    f: &StageFlags,
) -> Result<Vec<StageRequest>> {
    let mut stages = Vec::new();
    for name in &profile.stages {
        stages.push(match name.as_str() {
            "scan" => StageRequest::Scan(scan_request(
                ctx,
                f.scan,
                profile.scan,
                profile.diff_base.as_deref(),
                place,
            )?),
            "env" => {
                let explicit = f.env_profile.is_some();
                StageRequest::Env(env_request(
                    ctx,
                    &place.root,
                    f.env_profile.clone().or(profile.env_profile.clone()),
                    f.env_files,
                    f.from_process,
                    !explicit,
                ))
            }
            "smoke" => StageRequest::Smoke(smoke_request(ctx, setup, f.smoke, false)?),
            "protect" => {
                StageRequest::Protect(protect_request(ctx, setup, None, f.check_name, false))
            }
            "commands" => StageRequest::Commands(
                crate::commands::MANAGERS
                    .iter()
                    .filter(|m| ctx.env.has_program(m))
                    .map(|m| m.to_string())
                    .collect(),
            ),
            "integrity" => {
                check_change_policies(setup)?;
                StageRequest::Integrity(None)
            }
            other => return Err(Error::usage(format!("unknown stage `{other}`"))),
        });
    }
    align_env_with_scan(&mut stages);
    Ok(stages)
}

/// `shipgate gate`.
pub fn gate(ctx: &Ctx, a: &GateArgs) -> Result<Exit> {
    let place = place(ctx, &a.scan.paths)?;
    let setup = setup(ctx, &place.root)?;
    let name = a.profile.clone().unwrap_or_else(|| "default".into());
    let profile = setup.config.gate.profile(&name).ok_or_else(|| {
        Error::usage(format!(
            "unknown gate profile `{name}`; known: {}",
            setup.config.gate.profile_names().join(", ")
        ))
    })?;
    let flags = StageFlags {
        scan: &a.scan,
        env_profile: a.env.env_profile.clone(),
        env_files: &a.env.env_files,
        from_process: a.env.from_process,
        smoke: &a.smoke,
        check_name: &a.publish.check_name,
    };
    let stages = profile_stages(ctx, &setup, &profile, &place, &flags)?;
    let fo = fail_on(a.report.fail_on, Some(&profile), &setup);
    let publish = publish_plan(ctx, &a.publish)?;
    let plan = plan(ctx, setup, Some(&profile), fo, stages, &a.report, publish)?;
    output::run_and_print(ctx, plan, &a.report, Printed::Stdout, Some(&a.publish))
}
