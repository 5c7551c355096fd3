//! One gate plan: [`Plan`] describes a run (stages with their requests,
//! `fail_on`, suppressions, publishing); [`run`] is the only code that runs
//! stages, and [`execute`] wraps it in the check-run lifecycle. Every command
//! that produces a report goes through here: `gate`, `scan`, `env`, `smoke`,
//! the pre-push hook, `release check` and `protect check`.

mod progress;
mod report;
mod setup;
mod sources;

pub use progress::{Progress, ProgressMode};
pub use setup::{Setup, display_path, scope_globs};

use crate::env::{Collector, EnvInputs, EnvRequest};
use crate::error::{Error, Exit, Result};
use crate::github::{CheckTarget, Client, GitHubConfig, PublishOutcome, Publisher, RetryPolicy};
use crate::model::{FailOn, Report, StageOutcome};
use crate::protect::ProtectRequest;
use crate::release::ReleaseOptions;
use crate::rules::Ruleset;
use crate::scan::{ScanRequest, Scanner, Target};
use crate::secrets::Redactor;
use crate::smoke::SmokeRequest;
use crate::suppress::{Baseline, Pass};
use crate::walk::PathList;
use crate::walk::{self, Source, Visitor};
use std::sync::Arc;
use std::time::Instant;

/// One stage of a plan, with its request.
#[derive(Debug, Clone)]
pub enum StageRequest {
    /// Release readiness (`release check`).
    Release(ReleaseOptions),
    /// The rule packs over files.
    Scan(ScanRequest),
    /// Env vars vs templates and profiles.
    Env(EnvRequest),
    /// The repository's own machinery (only what these changes touch, when set).
    Integrity(Option<Vec<crate::scan::DiffSpec>>),
    /// Branch protection drift.
    Protect(ProtectRequest),
    /// Post-deploy checks.
    Smoke(SmokeRequest),
    /// Build/test commands, with the package managers on PATH.
    Commands(Vec<String>),
}

impl StageRequest {
    /// The stage name in reports.
    pub fn name(&self) -> &'static str {
        match self {
            StageRequest::Release(_) => "release",
            StageRequest::Scan(_) => "scan",
            StageRequest::Env(_) => "env",
            StageRequest::Integrity(_) => "integrity",
            StageRequest::Protect(_) => "protect",
            StageRequest::Smoke(_) => "smoke",
            StageRequest::Commands(_) => "commands",
        }
    }
}

/// Where the report is published as a check run.
#[derive(Debug, Clone)]
pub struct PublishPlan {
    /// API access.
    pub github: GitHubConfig,
    /// The run to create.
    pub target: CheckTarget,
}

/// Everything a run does, decided before it starts.
pub struct Plan {
    /// Config and rule packs.
    pub setup: Setup,
    /// Gate profile name, for the report.
    pub profile: Option<String>,
    /// The threshold (resolved once: flag, profile, `[gate]`, default).
    pub fail_on: FailOn,
    /// The profile's severity overrides (`rule/id` or `pack/*`).
    pub severity: Vec<(String, crate::model::Severity)>,
    /// Stages in report order.
    pub stages: Vec<StageRequest>,
    /// `--baseline`.
    pub baseline: Option<Baseline>,
    /// Check-run publishing.
    pub publish: Option<PublishPlan>,
    /// Progress on stderr.
    pub progress: ProgressMode,
    /// The process environment (values of secret-looking names are masked).
    pub environment: Vec<(String, String)>,
    /// `https://github.com/owner/name`, when known.
    pub repository_url: Option<String>,
}

/// A finished run.
pub struct Run {
    /// The report every output reads.
    pub report: Report,
    /// The redaction policy of the run (for error lines printed later).
    pub redactor: Arc<Redactor>,
}

/// What [`execute`] did.
pub struct Executed {
    /// The exit the report (and the emitter) decided.
    pub exit: Exit,
    /// The report.
    pub report: Report,
    /// What publishing did: the run's name and the outcome.
    pub published: Option<(String, PublishOutcome)>,
}

/// Runs the plan inside the check-run lifecycle: the run is created
/// `in_progress` first; `emit` writes every output (files before anything
/// goes over the network); then the run is completed with the report. On any
/// error the started run is completed as failed with the reason.
pub fn execute(plan: Plan, emit: impl FnOnce(&Report) -> Result<Exit>) -> Result<Executed> {
    let publisher = match &plan.publish {
        Some(p) => {
            let client = Client::new(&p.github, RetryPolicy::default())?;
            Some(Publisher::start(client, p.target.clone()))
        }
        None => None,
    };
    let run = match run(&plan) {
        Ok(r) => r,
        Err(e) => {
            if let Some(p) = publisher {
                p.abort(&e.to_string());
            }
            return Err(e);
        }
    };
    let exit = match emit(&run.report) {
        Ok(x) => x,
        Err(e) => {
            if let Some(p) = publisher {
                p.abort(&run.redactor.redact(&e.to_string()));
            }
            return Err(e);
        }
    };
    let published = publisher.map(|p| (p.name().to_string(), p.finish(&run.report)));
    Ok(Executed {
        exit,
        report: run.report,
        published,
    })
}

/// Publishes a saved report as a check run (`report publish`).
pub fn publish_saved(publish: &PublishPlan, report: &Report) -> Result<PublishOutcome> {
    let client = Client::new(&publish.github, RetryPolicy::default())?;
    Ok(Publisher::start(client, publish.target.clone()).finish(report))
}

/// What the local stages share: the rules, the redactor, progress.
struct Shared<'a> {
    plan: &'a Plan,
    ruleset: &'a Ruleset,
    redactor: &'a Arc<Redactor>,
    pass: &'a Pass<'a>,
    progress: &'a Progress,
}

impl Shared<'_> {
    /// Suppresses, decides and reports a finished stage.
    fn done(&self, mut stage: StageOutcome) -> StageOutcome {
        for f in &mut stage.findings {
            if let Some((_, level)) = self
                .plan
                .severity
                .iter()
                .find(|(r, _)| crate::model::rule_matches(r, &f.rule))
            {
                f.severity = *level;
            }
        }
        self.pass.stage(&mut stage);
        stage.finalize(self.plan.fail_on);
        self.progress.done(&stage, self.redactor);
        stage
    }

    fn config_file(&self) -> &str {
        &self.plan.setup.config.display
    }
}

/// Runs every stage of the plan into one report. Stages that talk to the
/// network (smoke, protect, commands) run on their own threads while the local
/// stages share one walk of the repository.
pub fn run(plan: &Plan) -> Result<Run> {
    let started = Instant::now();
    let setup = &plan.setup;
    let ruleset = setup.compile()?;
    let redactor = Arc::new(Redactor::new(ruleset.secret_patterns()));
    redactor.add_env(
        plan.environment
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let sources = sources::WorkTree::new(&setup.root);
    let pass = Pass::new(
        &setup.config.ignores,
        plan.baseline.as_ref(),
        crate::date::today(),
        &setup.config.display,
        &sources,
    );
    let progress = Progress::new(plan.progress);
    let shared = Shared {
        plan,
        ruleset: &ruleset,
        redactor: &redactor,
        pass: &pass,
        progress: &progress,
    };
    let mut slots: Vec<Option<StageOutcome>> = plan.stages.iter().map(|_| None).collect();
    std::thread::scope(|s| -> Result<()> {
        let shared = &shared;
        let remote: Vec<_> = plan
            .stages
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                matches!(
                    r,
                    StageRequest::Smoke(_) | StageRequest::Protect(_) | StageRequest::Commands(_)
                )
            })
            .map(|(i, r)| {
                (
                    i,
                    s.spawn(move || remote_stage(shared, r).map(|st| shared.done(st))),
                )
            })
            .collect();
        let local = local_stages(shared, &sources);
        for (i, h) in remote {
            let stage = h.join().map_err(|_| {
                Error::incomplete(format!("the {} stage crashed", plan.stages[i].name()))
            })??;
            slots[i] = Some(stage);
        }
        for (i, stage) in local? {
            slots[i] = Some(stage);
        }
        Ok(())
    })?;
    let mut stages: Vec<StageOutcome> = slots.into_iter().flatten().collect();
    let snapshot = stages_snapshot(&stages);
    pass.finish(&mut stages, &|i| {
        report::judge_unused(plan, &ruleset, &snapshot, i)
    });
    for s in &mut stages {
        s.finalize(plan.fail_on);
    }
    let mut report = Report::new(
        setup.root.display().to_string(),
        crate::git::head(&setup.root),
        plan.profile.clone(),
        plan.fail_on,
        stages,
        started.elapsed().as_millis() as u64,
    );
    report.repository_url = plan.repository_url.clone();
    report::catalog(&mut report, &ruleset);
    report::redact(&mut report, &redactor);
    Ok(Run { report, redactor })
}

/// (stage name, ran over everything) of each stage, for judging unused ignores.
fn stages_snapshot(stages: &[StageOutcome]) -> Vec<(String, bool)> {
    stages
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                matches!(
                    s.status,
                    crate::model::StageStatus::Passed | crate::model::StageStatus::Failed
                ),
            )
        })
        .collect()
}

/// A stage that talks to the network or runs processes.
fn remote_stage(shared: &Shared, req: &StageRequest) -> Result<StageOutcome> {
    let setup = &shared.plan.setup;
    match req {
        StageRequest::Smoke(r) => crate::smoke::run(
            &setup.config.smoke,
            r,
            shared.config_file(),
            shared.redactor.clone(),
        ),
        StageRequest::Protect(r) => {
            crate::protect::stage(r, &setup.root, &setup.config.protect, shared.config_file())
        }
        StageRequest::Commands(available) => Ok(crate::commands::run(
            &setup.root,
            &setup.config.gate.commands,
            shared.config_file(),
            available,
        )),
        _ => Err(Error::incomplete("not a remote stage")),
    }
}

/// The stages that read the repository, sharing one walk where they can.
fn local_stages(
    shared: &Shared,
    sources: &sources::WorkTree,
) -> Result<Vec<(usize, StageOutcome)>> {
    let plan = shared.plan;
    let setup = &plan.setup;
    let root = setup.root.as_path();
    let mut out = Vec::new();
    let scan = find_stage(&plan.stages, |r| match r {
        StageRequest::Scan(s) => Some(s),
        _ => None,
    });
    let env = find_stage(&plan.stages, |r| match r {
        StageRequest::Env(e) => Some(e),
        _ => None,
    });
    let integrity = find_stage(&plan.stages, |r| match r {
        StageRequest::Integrity(d) => Some(d),
        _ => None,
    });
    // The repository's file list, for the integrity stage and for deciding
    // what ships (production scope), collected by the walk when it covers everything.
    let scan_full =
        scan.is_some_and(|(_, s)| !matches!(s.target, Target::Diff(_)) && s.paths.is_empty());
    // A whole-repository integrity run reads every route candidate and what
    // code reads from the env anyway, so the walk keeps them; a change reads
    // them later, only if the changed docs call for them.
    let integrity_full = integrity.is_some_and(|(_, d)| d.is_none());
    let paths_collector = match integrity {
        Some(_) if integrity_full => Some(PathList::capturing(crate::integrity::route_candidate)),
        Some(_) => Some(PathList::default()),
        None => scan_full.then(PathList::default),
    };
    for (i, r) in plan.stages.iter().enumerate() {
        if let StageRequest::Release(o) = r {
            out.push((i, shared.done(crate::release::check(root, o))));
        }
    }
    let scanner = match scan {
        Some(_) => Some(
            Scanner::new(&setup.config.scan, shared.ruleset, shared.redactor)
                .map_err(Error::Usage)?,
        ),
        None => None,
    };
    // The integrity stage's runbook check needs what code reads: the env
    // stage's walk collects it (a collector of its own without an env stage).
    let env_collector = || Collector::new(&setup.config.env, &setup.config.scan.exclude);
    let collector = env
        .map(|_| env_collector())
        .transpose()
        .map_err(Error::Usage)?;
    let own_env = match (integrity_full, &collector) {
        (true, None) => Some(env_collector().map_err(Error::Usage)?),
        _ => None,
    };
    let env_inputs = EnvInputs {
        root,
        config: &setup.config.env,
        config_file: shared.config_file(),
        redactor: shared.redactor,
    };
    let env_done = env_diff(&env_inputs, env, collector.as_ref())?;
    let env_walker = collector
        .as_ref()
        .filter(|_| env_done.is_none())
        .or(own_env.as_ref());
    let walked = walk_local(
        root,
        scan.map(|(_, r)| r),
        scanner.as_ref(),
        env_walker,
        paths_collector.as_ref(),
    )?;
    let (all_files, kept) = paths_collector
        .filter(|_| walked)
        .map(PathList::into_parts)
        .map_or((None, None), |(f, k)| (Some(f), k));
    let read = crate::integrity::reader(root);
    let env_known = env_walker
        .filter(|_| walked && integrity.is_some())
        .map(|c| crate::integrity::runbook_env::from_collector(&setup.config.env, c, &read));
    // The integrity stage runs beside the scan's suppression pass and the env
    // stage's checks.
    let integrity_files = match integrity {
        Some(_) => Some(match &all_files {
            Some(f) => f.clone(),
            None => crate::git::tracked_files(root, &[])?,
        }),
        None => None,
    };
    let integrity_done = std::thread::scope(|s| -> Result<_> {
        let worker = integrity.zip(integrity_files).map(|((i, diff), files)| {
            s.spawn(move || -> Result<_> {
                let stage =
                    integrity_stage(shared, diff.as_deref(), files, kept.as_deref(), env_known)?;
                Ok((i, shared.done(stage)))
            })
        });
        if let (Some((i, req)), Some(scanner)) = (scan, scanner) {
            let stage = scan_stage(shared, sources, req, scanner, all_files.as_ref());
            out.push((i, shared.done(stage)));
        }
        worker
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .transpose()
    })?;
    out.extend(integrity_done);
    if let Some((i, stage)) = env_done {
        out.push((i, shared.done(stage)));
    } else if let (Some((i, req)), Some(collector)) = (env, collector) {
        out.push((
            i,
            shared.done(crate::env::finish(&env_inputs, collector, req)?),
        ));
    }
    Ok(out)
}

/// The env stage in diff mode: only the change, unless the change could
/// alter its verdict elsewhere (`None`: the full stage runs after the walk).
fn env_diff(
    inputs: &EnvInputs,
    env: Option<(usize, &EnvRequest)>,
    collector: Option<&Collector>,
) -> Result<Option<(usize, StageOutcome)>> {
    if let (Some((i, req)), Some(c)) = (env, collector)
        && let Some(specs) = &req.diff
        && let Some(stage) = crate::env::diff::run(inputs, c, req, specs)?
    {
        return Ok(Some((i, stage)));
    }
    Ok(None)
}

/// The index and request of the stage `pick` selects.
fn find_stage<'p, T>(
    stages: &'p [StageRequest],
    pick: impl Fn(&'p StageRequest) -> Option<T>,
) -> Option<(usize, T)> {
    stages
        .iter()
        .enumerate()
        .find_map(|(i, r)| pick(r).map(|t| (i, t)))
}

/// The scan stage after the walk (or over a diff), production scope refined.
fn scan_stage(
    shared: &Shared,
    sources: &sources::WorkTree,
    req: &ScanRequest,
    scanner: Scanner,
    all_files: Option<&Vec<String>>,
) -> StageOutcome {
    let setup = &shared.plan.setup;
    let root = setup.root.as_path();
    let (mut stage, budget) = match &req.target {
        Target::Diff(specs) => {
            let (stage, blobs) = crate::scan::run_diff(root, scanner, specs, &req.paths);
            sources.prefer(blobs);
            (stage, crate::scan::scope::diff_budget())
        }
        _ => (
            scanner.finish(None, None),
            crate::scan::scope::full_budget(),
        ),
    };
    let scope = crate::scan::scope::ScopeInputs {
        root,
        entrypoints: &setup.config.scan.production_entrypoints,
        budget,
    };
    let mut list = || {
        all_files
            .cloned()
            .or_else(|| crate::git::tracked_files(root, &[]).ok())
    };
    crate::scan::scope::refine(&mut stage, shared.ruleset, &scope, &mut list);
    stage
}

/// The integrity stage over the repository's files (what the walk kept, or
/// read afresh).
fn integrity_stage(
    shared: &Shared,
    diff: Option<&[crate::scan::DiffSpec]>,
    files: Vec<String>,
    kept: Option<&[crate::walk::Kept]>,
    env_known: Option<crate::integrity::runbook_env::EnvKnowledge>,
) -> Result<StageOutcome> {
    let config = &shared.plan.setup.config;
    let inputs = crate::integrity::IntegrityInputs {
        root: shared.plan.setup.root.as_path(),
        config: &config.integrity,
        config_file: shared.config_file(),
        protect: &config.protect,
        smoke: &config.smoke,
        env: &config.env,
        scan_exclude: &config.scan.exclude,
        production: (
            &config.scan.production_include,
            &config.scan.production_exclude,
        ),
        route_sources: kept,
        env_known,
        diff,
    };
    crate::integrity::run(&inputs, files)
}

/// The shared walk: what the scan covers (tree or tracked files), with the
/// env stage's references and templates riding along when the scan covers
/// everything; the env stage walks on its own otherwise.
/// Returns whether the repository's files were listed by a full walk (the
/// integrity collector then holds every path).
fn walk_local(
    root: &std::path::Path,
    scan: Option<&ScanRequest>,
    scanner: Option<&Scanner>,
    collector: Option<&Collector>,
    paths: Option<&PathList>,
) -> Result<bool> {
    let scan_source = match scan {
        Some(ScanRequest {
            target: Target::Tree,
            paths,
        }) => Some(Source::Tree(paths.clone())),
        Some(ScanRequest {
            target: Target::Tracked,
            paths,
        }) => Some(Source::List(crate::git::tracked_files(root, paths)?)),
        _ => None,
    };
    let rides_along = scan_source.is_some() && scan.is_some_and(|s| s.paths.is_empty());
    let blobs = |specs: &[String]| crate::git::read_blobs(root, specs).map_err(|e| e.to_string());
    let mut visitors: Vec<&dyn Visitor> = Vec::new();
    if let Some(source) = &scan_source {
        if let Some(s) = scanner {
            visitors.push(s);
        }
        if rides_along {
            if let Some(c) = collector {
                visitors.push(c);
            }
            if let Some(p) = paths {
                visitors.push(p);
            }
        }
        walk::walk(root, source, &visitors, &blobs);
        if rides_along {
            return Ok(true);
        }
    }
    // No full walk for the scan (a diff, some paths, or no scan): the env
    // stage (when it needs the whole tree) and the integrity stage walk once together.
    let mut own: Vec<&dyn Visitor> = Vec::new();
    if let Some(c) = collector {
        own.push(c);
    }
    let full_walk =
        collector.is_some() || scan.is_none_or(|s| !matches!(s.target, Target::Diff(_)));
    if let Some(p) = paths
        && full_walk
    {
        own.push(p);
    }
    if !own.is_empty() {
        walk::walk(root, &Source::Tree(Vec::new()), &own, &blobs);
    }
    Ok(paths.is_some() && full_walk)
}
