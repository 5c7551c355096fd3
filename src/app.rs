//! Wiring: turns parsed arguments into config, rules and stages, renders the
//! report and returns an [`Outcome`]. Prints; never exits.

use crate::cli::{
    Cli, ColorChoice, Command, EnvArgs, GlobalArgs, HookCommand, PublishArgs, PublishMode,
    ReleaseCommand, ReportCommand, RulesCommand, ScanSelection, SmokeArgs,
};
use crate::config::{self, Config};
use crate::diag::{SourceError, SourceErrors};
use crate::env::{self, EnvRequest};
use crate::github;
use crate::model::{FailOn, Report, Severity, Verdict};
use crate::render::{self, Format, TextOptions};
use crate::rules::{self, RuleSpec, Ruleset, ScopeGlobs};
use crate::scan::{self, DiffSpec, ScanContext, ScanRequest, Target};
use crate::smoke::{self, SmokeRequest};
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a run ended; `main` maps it to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: passed.
    Pass,
    /// 1: findings at or above `fail_on` (or failing rule examples).
    Fail,
    /// 2: bad flags, config or rule pack.
    Usage,
    /// 3: could not complete.
    Incomplete,
}

impl Outcome {
    /// The documented exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::Usage => 2,
            Outcome::Incomplete => 3,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let g = &cli.global;
    let cwd = match working_dir(g) {
        Ok(d) => d,
        Err(e) => return usage(e),
    };
    match &cli.command {
        Command::Scan(sel) => run_stages(
            g,
            &cwd,
            Stages {
                scan: Some(sel),
                ..Stages::default()
            },
        ),
        Command::Env(args) => run_stages(
            g,
            &cwd,
            Stages {
                env: Some(args),
                ..Stages::default()
            },
        ),
        Command::Smoke(args) => run_stages(
            g,
            &cwd,
            Stages {
                smoke: Some((args, true)),
                ..Stages::default()
            },
        ),
        Command::Gate(args) => run_gate(g, &cwd, args),
        Command::Report {
            command: ReportCommand::Publish { report, publish },
        } => publish_saved(&cwd.join(report), publish),
        Command::Rules { command } => run_rules(g, &cwd, command),
        Command::Hook { command } => run_hook_command(g, &cwd, command),
        Command::Protect { command } => run_protect(g, &cwd, command),
        Command::Config {
            command: crate::cli::ConfigCommand::Schema,
        } => {
            print!("{}", config::schema_json());
            Outcome::Pass
        }
        Command::Init { force } => {
            let root = repo_root(&cwd);
            let stack = crate::init::detect(&root);
            match crate::init::write(&root, &stack, *force) {
                Ok(files) => {
                    if !stack.frameworks.is_empty() {
                        println!("shipgate: detected {}", stack.frameworks.join(", "));
                    }
                    for f in files {
                        println!("shipgate: wrote {f}");
                    }
                    Outcome::Pass
                }
                Err(e) => usage(e),
            }
        }
        Command::Release {
            command:
                ReleaseCommand::Check {
                    release,
                    tag,
                    branch,
                    changelog,
                    smoke,
                },
        } => run_release_check(g, &cwd, release, *tag, branch.clone(), changelog, smoke),
    }
}

fn usage(msg: impl std::fmt::Display) -> Outcome {
    eprintln!("error: {msg}");
    Outcome::Usage
}

fn working_dir(g: &GlobalArgs) -> Result<PathBuf, String> {
    let here =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let dir = match &g.directory {
        Some(d) => here.join(d),
        None => here,
    };
    dir.canonicalize()
        .map_err(|e| format!("cannot use directory {}: {e}", dir.display()))
}

/// The repository root: git's top level, else the working directory.
fn repo_root(cwd: &Path) -> PathBuf {
    scan::git::toplevel(cwd)
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| cwd.to_path_buf())
}

fn display_path(root: &Path, p: &Path) -> String {
    match p.strip_prefix(root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => p.display().to_string(),
    }
}

/// Config, loaded rules and everything that went wrong reading them.
struct Setup {
    root: PathBuf,
    config: Config,
    rules: Vec<RuleSpec>,
}

fn load_config(g: &GlobalArgs, cwd: &Path, root: &Path, errors: &mut Vec<SourceError>) -> Config {
    let path = match &g.config {
        Some(p) => Some(cwd.join(p)),
        None => config::discover(cwd),
    };
    let Some(path) = path else {
        return Config {
            display: "<defaults>".into(),
            ..Config::default()
        };
    };
    let display = display_path(root, &path);
    match std::fs::read_to_string(&path) {
        Ok(text) => match config::parse_config(&display, Some(path.clone()), &text) {
            Ok(c) => c,
            Err(mut e) => {
                errors.append(&mut e);
                Config::default()
            }
        },
        Err(e) => {
            errors.push(SourceError {
                file: display,
                line: 1,
                column: 1,
                message: format!("cannot read config: {e}"),
            });
            Config::default()
        }
    }
}

fn setup(g: &GlobalArgs, cwd: &Path) -> Result<Setup, SourceErrors> {
    let root = repo_root(cwd);
    let mut errors = Vec::new();
    let config = load_config(g, cwd, &root, &mut errors);
    let mut lists = Vec::new();
    match rules::builtin_rules() {
        Ok(r) => lists.push(r),
        Err(mut e) => errors.append(&mut e.0),
    }
    let mut dirs: Vec<(PathBuf, Option<&config::Located<String>>)> =
        vec![(root.join(rules::USER_RULES_DIR), None)];
    dirs.extend(
        config
            .scan
            .rule_dirs
            .iter()
            .map(|d| (root.join(&d.value), Some(d))),
    );
    for (dir, origin) in dirs {
        if let Some(o) = origin
            && !dir.is_dir()
        {
            errors.push(SourceError {
                file: config.display.clone(),
                line: o.line,
                column: o.column,
                message: format!("rule directory `{}` does not exist", o.value),
            });
            continue;
        }
        let files = match rules::pack_files(&dir) {
            Ok(f) => f,
            Err(e) => {
                errors.push(SourceError {
                    file: display_path(&root, &dir),
                    line: 1,
                    column: 1,
                    message: format!("cannot list rule packs: {e}"),
                });
                continue;
            }
        };
        match rules::load_pack_files(&files, &|p| display_path(&root, p)) {
            Ok(r) => lists.push(r),
            Err(mut e) => errors.append(&mut e.0),
        }
    }
    let rules = match rules::merge(lists) {
        Ok(r) => r,
        Err(mut e) => {
            errors.append(&mut e.0);
            Vec::new()
        }
    };
    if errors.is_empty() {
        check_rule_refs(&config, &rules, &mut errors);
    }
    if errors.is_empty() {
        Ok(Setup {
            root,
            config,
            rules,
        })
    } else {
        Err(SourceErrors(errors))
    }
}

/// Config entries that name rules must name existing ones.
fn check_rule_refs(config: &Config, rules: &[RuleSpec], errors: &mut Vec<SourceError>) {
    let known = |pattern: &str| {
        rules
            .iter()
            .any(|r| config::rule_pattern_matches(pattern, &r.id))
    };
    let mut check = |value: &str, line: usize, column: usize| {
        if !known(value) {
            errors.push(SourceError {
                file: config.display.clone(),
                line,
                column,
                message: format!("unknown rule `{value}` (see `shipgate rules list`)"),
            });
        }
    };
    for d in &config.scan.disable {
        check(&d.value, d.line, d.column);
    }
    for (r, _) in &config.scan.severity {
        check(&r.value, r.line, r.column);
    }
    for i in &config.scan.ignore {
        if let Some(r) = &i.rule {
            check(r, i.line, 1);
        }
    }
}

fn scope_globs(config: &Config) -> ScopeGlobs {
    ScopeGlobs {
        production_include: config.scan.production_include.clone(),
        production_exclude: config.scan.production_exclude.clone(),
        tests: config.scan.tests.clone(),
    }
}

fn compile(setup: &Setup) -> Result<Ruleset, String> {
    Ruleset::compile(
        setup.rules.clone(),
        &scope_globs(&setup.config),
        &setup.config,
    )
}

fn text_options(g: &GlobalArgs) -> TextOptions {
    let color = match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    let verbosity = if g.quiet { -1 } else { g.verbose.min(3) as i8 };
    TextOptions { color, verbosity }
}

fn scan_request(sel: &ScanSelection, cwd: &Path, root: &Path) -> Result<ScanRequest, String> {
    let target = if let Some(d) = &sel.diff {
        Target::Diff(DiffSpec::parse(d)?)
    } else if sel.staged {
        Target::Diff(DiffSpec::Staged)
    } else if sel.tracked {
        Target::Tracked
    } else {
        Target::Tree
    };
    if matches!(target, Target::Tracked | Target::Diff(_)) && scan::git::toplevel(root).is_none() {
        return Err(format!(
            "{} is not inside a git work tree; --tracked, --diff and --staged need git",
            root.display()
        ));
    }
    let mut paths = Vec::new();
    for p in &sel.paths {
        let abs = cwd.join(p);
        let abs = abs
            .canonicalize()
            .map_err(|e| format!("cannot scan {}: {e}", p.display()))?;
        let rel = abs.strip_prefix(root).map_err(|_| {
            format!(
                "{} is outside the repository {}",
                p.display(),
                root.display()
            )
        })?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !rel.is_empty() {
            paths.push(rel);
        }
    }
    let baseline = match &sel.baseline {
        Some(b) => {
            let set: HashSet<String> = scan::suppress::load_baseline(&cwd.join(b))?;
            Some((b.display().to_string(), set))
        }
        None => None,
    };
    Ok(ScanRequest {
        target,
        paths,
        baseline,
    })
}

fn env_request(args: &EnvArgs) -> EnvRequest {
    EnvRequest {
        profile: args.profile.clone(),
        env_files: args.env_files.clone(),
        from_process: args.from_process,
        profile_optional: args.profile_optional,
    }
}

/// Stage progress on stderr: a line per finished stage on a terminal, a
/// collapsible group per stage in GitHub Actions logs, nothing otherwise.
struct Progress {
    mode: Option<bool>,
    lock: std::sync::Mutex<()>,
}

impl Progress {
    fn new(g: &GlobalArgs) -> Self {
        let mode = if g.quiet {
            None
        } else if github::in_actions() {
            Some(true)
        } else if std::io::stderr().is_terminal() {
            Some(false)
        } else {
            None
        };
        Progress {
            mode,
            lock: std::sync::Mutex::new(()),
        }
    }

    fn done(&self, stage: &crate::model::StageOutcome) {
        let Some(actions) = self.mode else { return };
        let _guard = self.lock.lock();
        let c = stage.counts;
        let line = format!(
            "{} {} in {:.2}s: {} error(s), {} warning(s), {} note(s)",
            stage.name,
            stage.status.label(),
            stage.duration_ms as f64 / 1000.0,
            c.error,
            c.warning,
            c.note
        );
        if actions {
            eprintln!("::group::shipgate {line}");
            for (k, v) in &stage.stats {
                eprintln!("{k}: {v}");
            }
            for ch in &stage.checks {
                eprintln!(
                    "{} {}{}",
                    ch.status,
                    ch.name,
                    ch.message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                );
            }
            eprintln!("::endgroup::");
        } else {
            eprintln!("shipgate: {line}");
        }
    }
}

/// Which stages a command runs, with their arguments.
#[derive(Default)]
struct Stages<'a> {
    scan: Option<&'a ScanSelection>,
    env: Option<&'a EnvArgs>,
    /// Arguments, and whether a base URL is required (`shipgate smoke`).
    smoke: Option<(&'a SmokeArgs, bool)>,
    /// Report `protect` as skipped (the stage is not built yet).
    protect: bool,
    /// Run the command stage.
    commands: bool,
    profile: Option<&'a str>,
    publish: Option<&'a PublishArgs>,
    fail_on: Option<Severity>,
    /// Stages computed before (the release readiness checks).
    extra: Vec<crate::model::StageOutcome>,
}

/// The repository root and its config; config errors are printed (`None`: exit 2).
fn config_only(g: &GlobalArgs, cwd: &Path) -> Option<(PathBuf, Config)> {
    let root = repo_root(cwd);
    let mut errors = Vec::new();
    let config = load_config(g, cwd, &root, &mut errors);
    if errors.is_empty() {
        Some((root, config))
    } else {
        eprintln!("{}", SourceErrors(errors));
        None
    }
}

/// The base a `pr` diff scan compares with: the PR's base branch on origin,
/// else origin's default branch.
fn pr_base(repo: &Path) -> String {
    if let Ok(b) = std::env::var("GITHUB_BASE_REF")
        && !b.is_empty()
    {
        return format!("origin/{b}");
    }
    if let Ok(h) = scan::git::git(
        repo,
        &["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"],
    ) {
        let h = String::from_utf8_lossy(&h).trim().to_string();
        if !h.is_empty() {
            return h;
        }
    }
    "origin/main".into()
}

/// `shipgate release check VERSION`: readiness checks, then the `release` profile.
fn run_release_check(
    g: &GlobalArgs,
    cwd: &Path,
    version: &str,
    create_tag: bool,
    branch: Option<String>,
    changelog: &str,
    smoke_args: &SmokeArgs,
) -> Outcome {
    let Some(repo) = scan::git::toplevel(cwd) else {
        return usage(format!("{} is not inside a git work tree", cwd.display()));
    };
    let Some((_, config)) = config_only(g, cwd) else {
        return Outcome::Usage;
    };
    let Some(profile) = config.gate.profile("release") else {
        return usage("no release profile");
    };
    let fail_on = FailOn(
        g.fail_on
            .or(profile.fail_on)
            .or(config.gate.fail_on)
            .unwrap_or(Severity::Error),
    );
    let readiness = crate::release::check(
        &repo,
        &crate::release::ReleaseOptions {
            tag: version.to_string(),
            branch,
            changelog: changelog.to_string(),
        },
        fail_on,
    );
    let sel = ScanSelection {
        tracked: profile.scan == crate::config::ScanMode::Tracked,
        ..ScanSelection::default()
    };
    let env_args = EnvArgs {
        profile: profile.env_profile.clone(),
        profile_optional: true,
        ..EnvArgs::default()
    };
    let none = PublishArgs {
        publish: PublishMode::None,
        check_name: "shipgate".into(),
        sha: None,
        require_publish: false,
        neutral_on_warnings: false,
    };
    let outcome = run_stages(
        g,
        cwd,
        Stages {
            scan: profile.runs("scan").then_some(&sel),
            env: profile.runs("env").then_some(&env_args),
            smoke: profile.runs("smoke").then_some((smoke_args, false)),
            protect: profile.runs("protect"),
            commands: profile.runs("commands"),
            profile: Some("release"),
            publish: Some(&none),
            fail_on: profile.fail_on,
            extra: vec![readiness],
        },
    );
    if outcome == Outcome::Pass && create_tag {
        match crate::release::tag(&repo, version) {
            Ok(()) => eprintln!(
                "shipgate: created annotated tag {version}; push it with `git push origin {version}`"
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return Outcome::Incomplete;
            }
        }
    } else if create_tag {
        eprintln!("shipgate: not tagging {version}: the release is not ready");
    }
    outcome
}

/// `shipgate gate`: resolves the profile into stages; flags overlay it.
fn run_gate(g: &GlobalArgs, cwd: &Path, args: &crate::cli::GateArgs) -> Outcome {
    let Some((root, config)) = config_only(g, cwd) else {
        return Outcome::Usage;
    };
    let name = args.profile.clone().unwrap_or_else(|| "default".into());
    let Some(profile) = config.gate.profile(&name) else {
        return usage(format!(
            "unknown gate profile `{name}`; known: {}",
            config.gate.profile_names().join(", ")
        ));
    };
    let mut sel = args.scan.clone();
    if !sel.tracked && sel.diff.is_none() && !sel.staged {
        match profile.scan {
            crate::config::ScanMode::Tree => {}
            crate::config::ScanMode::Tracked => sel.tracked = true,
            crate::config::ScanMode::Diff => {
                sel.diff = Some(profile.diff_base.clone().unwrap_or_else(|| pr_base(&root)))
            }
        }
    }
    let env_args = EnvArgs {
        profile: args.env.env_profile.clone().or(profile.env_profile.clone()),
        env_files: args.env.env_files.clone(),
        from_process: args.env.from_process,
        profile_optional: args.env.env_profile.is_none(),
    };
    run_stages(
        g,
        cwd,
        Stages {
            scan: profile.runs("scan").then_some(&sel),
            env: profile.runs("env").then_some(&env_args),
            smoke: profile.runs("smoke").then_some((&args.smoke, false)),
            protect: profile.runs("protect"),
            commands: profile.runs("commands"),
            profile: Some(&profile.name),
            publish: Some(&args.publish),
            fail_on: profile.fail_on,
            extra: Vec::new(),
        },
    )
}

fn smoke_request((args, required): (&SmokeArgs, bool)) -> SmokeRequest {
    SmokeRequest {
        base_url: args.base_url.clone(),
        wait: args.wait,
        expect_version: args.expect_version.clone(),
        insecure: args.insecure,
        ca_file: args.ca_file.clone(),
        required,
    }
}

/// Runs the requested stages (concurrently) into one report.
fn run_stages(g: &GlobalArgs, cwd: &Path, st: Stages) -> Outcome {
    let (scan_sel, env_args, profile, publish_args) = (st.scan, st.env, st.profile, st.publish);
    let started = Instant::now();
    let setup = match setup(g, cwd) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Outcome::Usage;
        }
    };
    let fail_on = FailOn(
        g.fail_on
            .or(st.fail_on)
            .or(setup.config.gate.fail_on)
            .unwrap_or(FailOn::default().0),
    );
    let scan_input = match scan_sel {
        Some(sel) => {
            let ruleset = match compile(&setup) {
                Ok(r) => r,
                Err(e) => return usage(e),
            };
            match scan_request(sel, cwd, &setup.root) {
                Ok(req) => Some((ruleset, req)),
                Err(e) => return usage(e),
            }
        }
        None => None,
    };
    let env_req = env_args.map(env_request);
    // The check run goes in_progress before the stages run; the report itself is
    // sent only after every report file has been written.
    let mut publisher = match publish_args {
        Some(p) => match Publisher::new(p) {
            Ok(p) => p,
            Err(e) => return usage(e),
        },
        None => None,
    };
    if let Some(p) = publisher.as_mut() {
        p.start();
    }
    let smoke_req = st.smoke.map(smoke_request);
    let progress = Progress::new(g);
    let (scan_stage, env_stage, smoke_stage, commands_stage) = std::thread::scope(|s| {
        let progress = &progress;
        let commands_job = st.commands.then(|| {
            s.spawn(|| {
                let stage = crate::commands::run_commands(&setup.root, &setup.config, fail_on);
                progress.done(&stage);
                stage
            })
        });
        let env_job = env_req.as_ref().map(|req| {
            s.spawn(|| {
                let r = env::run_env(&setup.root, &setup.config, req, fail_on);
                if let Ok(stage) = &r {
                    progress.done(stage);
                }
                r
            })
        });
        let smoke_job = smoke_req.as_ref().map(|req| {
            s.spawn(|| {
                let r = smoke::run_smoke(&setup.root, &setup.config, req, fail_on);
                if let Ok(stage) = &r {
                    progress.done(stage);
                }
                r
            })
        });
        let scan_stage = scan_input.as_ref().map(|(rules, req)| {
            let ctx = ScanContext {
                root: &setup.root,
                config: &setup.config,
                rules,
                fail_on,
            };
            let stage = scan::run_scan(&ctx, req);
            progress.done(&stage);
            stage
        });
        let env_stage = env_job.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(env::EnvUsageError("the env stage panicked".into())))
        });
        let smoke_stage = smoke_job.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(smoke::SmokeUsageError("the smoke stage panicked".into())))
        });
        let commands_stage = commands_job.map(|h| {
            h.join().unwrap_or_else(|_| {
                crate::model::StageOutcome::completed(
                    "commands",
                    Vec::new(),
                    Some("the commands stage panicked".into()),
                    fail_on,
                    0,
                )
            })
        });
        (scan_stage, env_stage, smoke_stage, commands_stage)
    });
    let mut stages = st.extra;
    stages.extend(scan_stage);
    match env_stage {
        Some(Ok(stage)) => stages.push(stage),
        Some(Err(e)) => return usage(e.0),
        None => {}
    }
    if st.protect {
        let check_name = st.publish.map_or("shipgate", |p| p.check_name.as_str());
        stages.push(protect_stage(
            &setup.root,
            &setup.config,
            check_name,
            fail_on,
        ));
    }
    match smoke_stage {
        Some(Ok(stage)) => stages.push(stage),
        Some(Err(e)) => return usage(e.0),
        None => {}
    }
    stages.extend(commands_stage);
    let mut report = Report::new(
        setup.root.display().to_string(),
        scan::git::head(&setup.root),
        profile.map(str::to_string),
        fail_on,
        stages,
        started.elapsed().as_millis() as u64,
    );
    report.repository_url = repository_url();
    let outcome = emit(g, &report);
    match publisher {
        Some(p) => p.finish(g, &report, outcome),
        None => outcome,
    }
}

/// A check run being published for this gate run.
struct Publisher {
    client: github::Client,
    target: github::CheckTarget,
    require: bool,
    started: Result<u64, github::PublishOutcome>,
}

impl Publisher {
    /// `None` when publishing is off (or `auto` outside GitHub Actions / without a token).
    fn new(args: &PublishArgs) -> Result<Option<Self>, String> {
        let cfg = github::GitHubConfig::from_env();
        let wanted = match args.publish {
            PublishMode::None => false,
            PublishMode::Auto => github::in_actions() && cfg.is_some(),
            PublishMode::CheckRun => true,
        };
        if !wanted {
            return Ok(None);
        }
        let cfg = cfg.ok_or("--publish check-run needs GITHUB_TOKEN or GH_TOKEN")?;
        let repo = std::env::var("GITHUB_REPOSITORY")
            .ok()
            .filter(|r| r.contains('/'))
            .ok_or("--publish check-run needs GITHUB_REPOSITORY (owner/name)")?;
        let sha = github::head_sha(args.sha.as_deref())
            .ok_or("--publish check-run needs --sha, a pull_request event or GITHUB_SHA")?;
        let client = github::Client::new(&cfg, github::RetryPolicy::default())?;
        Ok(Some(Publisher {
            client,
            target: github::CheckTarget {
                repo,
                sha,
                name: args.check_name.clone(),
                details_url: github::details_url(),
                neutral_on_warnings: args.neutral_on_warnings,
            },
            require: args.require_publish,
            started: Err(github::PublishOutcome::Failed {
                reason: "not started".into(),
            }),
        }))
    }

    fn start(&mut self) {
        self.started = github::checks::start(&self.client, &self.target);
    }

    /// Completes the run; on failure falls back to annotations on stdout.
    fn finish(self, g: &GlobalArgs, report: &Report, outcome: Outcome) -> Outcome {
        let result = match self.started {
            Ok(id) => github::checks::finish(&self.client, &self.target, id, report),
            Err(o) => o,
        };
        let reason = match result {
            github::PublishOutcome::Published { id, annotations } => {
                eprintln!(
                    "shipgate: published check run `{}` ({id}) with {annotations} annotation(s)",
                    self.target.name
                );
                return outcome;
            }
            github::PublishOutcome::Fallback { reason } => reason,
            github::PublishOutcome::Failed { reason } => reason,
        };
        eprintln!(
            "shipgate: check run not published: {reason}; annotations were written as workflow commands and the job summary instead"
        );
        if g.format != Format::Github {
            print!(
                "{}",
                render::render(report, Format::Github, &TextOptions::default())
            );
        }
        if self.require && outcome != Outcome::Usage {
            Outcome::Incomplete
        } else {
            outcome
        }
    }
}

/// `shipgate report publish REPORT.json`.
fn publish_saved(path: &Path, args: &PublishArgs) -> Outcome {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return usage(format!("cannot read {}: {e}", path.display())),
    };
    let report: Report = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            return usage(format!(
                "{}:{}:{}: not a shipgate JSON report: {e}",
                path.display(),
                e.line(),
                e.column()
            ));
        }
    };
    let forced = PublishArgs {
        publish: PublishMode::CheckRun,
        ..args.clone()
    };
    let publisher = match Publisher::new(&forced) {
        Ok(Some(p)) => p,
        Ok(None) => return usage("publishing is off"),
        Err(e) => return usage(e),
    };
    match github::checks::publish(&publisher.client, &publisher.target, &report) {
        github::PublishOutcome::Published { id, annotations } => {
            eprintln!(
                "shipgate: published check run `{}` ({id}) with {annotations} annotation(s)",
                publisher.target.name
            );
            Outcome::Pass
        }
        github::PublishOutcome::Fallback { reason } | github::PublishOutcome::Failed { reason } => {
            eprintln!("error: check run not published: {reason}");
            Outcome::Incomplete
        }
    }
}

/// `https://github.com/owner/name` inside GitHub Actions.
fn repository_url() -> Option<String> {
    let repo = std::env::var("GITHUB_REPOSITORY")
        .ok()
        .filter(|r| r.contains('/'))?;
    let server = std::env::var("GITHUB_SERVER_URL").unwrap_or_else(|_| "https://github.com".into());
    Some(format!("{}/{repo}", server.trim_end_matches('/')))
}

/// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set.
fn write_step_summary(report: &Report) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let body = render::render(report, Format::Markdown, &TextOptions::default());
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(body.as_bytes())
}

/// Writes every `--output` file and the job summary, then prints stdout's
/// format; maps the verdict. Nothing here touches the network.
fn emit(g: &GlobalArgs, report: &Report) -> Outcome {
    let opts = text_options(g);
    let mut write_failed = false;
    if let Err(e) = write_step_summary(report) {
        eprintln!("error: cannot write $GITHUB_STEP_SUMMARY: {e}");
        write_failed = true;
    }
    for o in &g.outputs {
        let file_opts = TextOptions {
            color: false,
            ..opts
        };
        let body = render::render(report, o.format, &file_opts);
        if let Err(e) = write_file(&o.path, body.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", o.path.display());
            write_failed = true;
        }
    }
    let body = render::render(report, g.format, &opts);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(body.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        write_failed = true;
    }
    if write_failed {
        return Outcome::Incomplete;
    }
    match report.verdict {
        Verdict::Pass => Outcome::Pass,
        Verdict::Fail if g.exit_zero => Outcome::Pass,
        Verdict::Fail => Outcome::Fail,
        Verdict::Incomplete => Outcome::Incomplete,
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    // Write to a temporary sibling and rename so a reader never sees half a report.
    let tmp = path.with_extension("shipgate-tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn run_rules(g: &GlobalArgs, cwd: &Path, cmd: &RulesCommand) -> Outcome {
    if let RulesCommand::Test { packs } = cmd
        && !packs.is_empty()
    {
        let files: Vec<PathBuf> = packs.iter().map(|p| cwd.join(p)).collect();
        return match rules::load_pack_files(&files, &|p| display_path(cwd, p)) {
            Ok(specs) => test_rules(specs, &Config::default()),
            Err(e) => {
                eprintln!("{e}");
                Outcome::Usage
            }
        };
    }
    let setup = match setup(g, cwd) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Outcome::Usage;
        }
    };
    match cmd {
        RulesCommand::List => {
            let ruleset = match compile(&setup) {
                Ok(r) => r,
                Err(e) => return usage(e),
            };
            let mut out = String::new();
            if g.format == Format::Json {
                let list: Vec<serde_json::Value> = ruleset
                    .rules
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.spec.id, "title": r.spec.title, "severity": r.severity,
                            "scope": r.spec.scope.as_str(), "secret": r.spec.secret,
                            "pattern": r.spec.pattern, "keywords": r.spec.keywords,
                            "origin": r.spec.origin,
                        })
                    })
                    .collect();
                out = serde_json::to_string_pretty(&list).unwrap_or_default();
                out.push('\n');
            } else {
                let w = ruleset
                    .rules
                    .iter()
                    .map(|r| r.spec.id.len())
                    .max()
                    .unwrap_or(0);
                for r in &ruleset.rules {
                    out.push_str(&format!(
                        "{:w$}  {:7}  {:10}  {}\n",
                        r.spec.id,
                        r.severity.as_str(),
                        r.spec.scope.as_str(),
                        r.spec.title
                    ));
                }
            }
            print!("{out}");
            Outcome::Pass
        }
        RulesCommand::Explain { id, all } => {
            if *all {
                print!("{}", rules::builtin_reference(&setup.rules));
                return Outcome::Pass;
            }
            let id = id.as_deref().unwrap_or_default();
            match setup.rules.iter().find(|r| r.id == id) {
                Some(r) => {
                    print!("{}", rules::explain(r));
                    Outcome::Pass
                }
                None => usage(format!("unknown rule `{id}` (see `shipgate rules list`)")),
            }
        }
        RulesCommand::Test { .. } => test_rules(setup.rules, &setup.config),
    }
}

fn test_rules(specs: Vec<RuleSpec>, config: &Config) -> Outcome {
    let ruleset = match Ruleset::compile(specs, &scope_globs(config), &rules::NoOverrides) {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let (run, failures) = rules::test_examples(&ruleset);
    for f in &failures {
        let expect = if f.kind == "match" {
            "expected a match, found none"
        } else {
            "expected no match, found one"
        };
        let path = f
            .path
            .as_deref()
            .map(|p| format!(" (path {p})"))
            .unwrap_or_default();
        println!(
            "FAIL {} {} examples.{}[{}]{path}: {expect}",
            f.origin, f.rule, f.kind, f.index
        );
    }
    println!(
        "{} rules, {} examples: {} passed, {} failed",
        ruleset.rules.len(),
        run,
        run - failures.len(),
        failures.len()
    );
    if failures.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    }
}

fn run_hook_command(g: &GlobalArgs, cwd: &Path, cmd: &HookCommand) -> Outcome {
    let Some(repo) = scan::git::toplevel(cwd) else {
        return usage(format!("{} is not inside a git work tree", cwd.display()));
    };
    match cmd {
        HookCommand::Install { force, chain } => {
            let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("shipgate"));
            match crate::hook::install(&repo, &exe, *force, *chain) {
                Ok(done) => {
                    let (what, p) = match done {
                        crate::hook::Installed::New(p) => ("installed", p),
                        crate::hook::Installed::Updated(p) => ("updated", p),
                        crate::hook::Installed::Replaced(p) => {
                            ("replaced the existing hook with", p)
                        }
                        crate::hook::Installed::Chained(p) => ("chained the existing hook into", p),
                    };
                    println!("shipgate: {what} {}", p.display());
                    Outcome::Pass
                }
                Err(e) => usage(e),
            }
        }
        HookCommand::Uninstall => match crate::hook::uninstall(&repo) {
            Ok(true) => {
                println!("shipgate: removed the pre-push hook");
                Outcome::Pass
            }
            Ok(false) => {
                println!("shipgate: no pre-push hook installed");
                Outcome::Pass
            }
            Err(e) => usage(e),
        },
        HookCommand::Run { hook, remote, .. } => {
            if hook != "pre-push" {
                return usage(format!("unknown hook `{hook}`; shipgate runs pre-push"));
            }
            if std::env::var("SHIPGATE_SKIP").is_ok_and(|v| v == "1") {
                return Outcome::Pass;
            }
            let mut stdin = String::new();
            if std::io::Read::read_to_string(&mut std::io::stdin(), &mut stdin).is_err() {
                return usage("cannot read the refs git passes on stdin");
            }
            // The pre-commit framework passes the range in the environment instead.
            if stdin.trim().is_empty()
                && let (Ok(from), Ok(to)) = (
                    std::env::var("PRE_COMMIT_FROM_REF"),
                    std::env::var("PRE_COMMIT_TO_REF"),
                )
            {
                let remote_ref = std::env::var("PRE_COMMIT_REMOTE_BRANCH")
                    .ok()
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "refs/heads/unknown".into());
                stdin = format!("HEAD {to} {remote_ref} {from}\n");
            }
            run_pre_push(g, &repo, remote.as_deref().unwrap_or("origin"), &stdin)
        }
    }
}

/// The pre-push gate: a diff scan of exactly the pushed commits, plus env.
fn run_pre_push(g: &GlobalArgs, repo: &Path, remote: &str, stdin: &str) -> Outcome {
    let started = Instant::now();
    let ranges = match crate::hook::ranges(repo, remote, stdin) {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    if ranges.is_empty() {
        return Outcome::Pass;
    }
    let setup = match setup(g, repo) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Outcome::Usage;
        }
    };
    let ruleset = match compile(&setup) {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let fail_on = FailOn(
        g.fail_on
            .or(setup.config.gate.fail_on)
            .unwrap_or(FailOn::default().0),
    );
    let ctx = ScanContext {
        root: &setup.root,
        config: &setup.config,
        rules: &ruleset,
        fail_on,
    };
    let mut findings = Vec::new();
    let mut problem = None;
    for r in &ranges {
        let req = ScanRequest {
            target: Target::Diff(DiffSpec::Range {
                from: r.base.clone(),
                to: r.tip.clone(),
            }),
            paths: Vec::new(),
            baseline: None,
        };
        let stage = scan::run_scan(&ctx, &req);
        if let crate::model::StageStatus::Errored { reason } = &stage.status {
            problem.get_or_insert_with(|| reason.clone());
        }
        for f in stage.findings {
            if !findings
                .iter()
                .any(|x: &crate::model::Finding| x.fingerprint == f.fingerprint)
            {
                findings.push(f);
            }
        }
    }
    let rule_ids: Vec<String> = ruleset.rules.iter().map(|r| r.spec.id.clone()).collect();
    let scan_stage = crate::model::StageOutcome::completed(
        "scan",
        findings,
        problem,
        fail_on,
        started.elapsed().as_millis() as u64,
    )
    .with_rule_checks(&rule_ids, fail_on);
    let env_stage = match env::run_env(&setup.root, &setup.config, &EnvRequest::default(), fail_on)
    {
        Ok(s) => s,
        Err(e) => return usage(e.0),
    };
    let report = Report::new(
        setup.root.display().to_string(),
        scan::git::head(&setup.root),
        Some("pre-push".into()),
        fail_on,
        vec![scan_stage, env_stage],
        started.elapsed().as_millis() as u64,
    );
    // Git shows the hook's output; keep it short.
    let opts = TextOptions {
        color: text_options(g).color,
        verbosity: -1,
    };
    eprint!("{}", render::render(&report, Format::Text, &opts));
    match report.verdict {
        Verdict::Pass => Outcome::Pass,
        Verdict::Fail | Verdict::Incomplete => {
            eprintln!(
                "shipgate: push blocked. Fix the findings above, or bypass once with SHIPGATE_SKIP=1 git push (or git push --no-verify)."
            );
            if report.verdict == Verdict::Fail {
                Outcome::Fail
            } else {
                Outcome::Incomplete
            }
        }
    }
}

/// The protect stage for the gate: skipped without branches or a token.
fn protect_stage(
    root: &Path,
    config: &Config,
    check_name: &str,
    fail_on: FailOn,
) -> crate::model::StageOutcome {
    if config.protect.branches.is_empty() && config.protect.rulesets.is_empty() {
        return crate::model::StageOutcome::skipped(
            "protect",
            "no [protect.branches] or [[protect.rulesets]] configured",
        );
    }
    let Some(cfg) = github::GitHubConfig::from_env() else {
        return crate::model::StageOutcome::skipped(
            "protect",
            "no GITHUB_TOKEN or GH_TOKEN to read branch protection",
        );
    };
    let Some(repo) = config
        .protect
        .repo
        .clone()
        .or_else(|| std::env::var("GITHUB_REPOSITORY").ok())
    else {
        return crate::model::StageOutcome::skipped(
            "protect",
            "no repository: set [protect].repo or GITHUB_REPOSITORY",
        );
    };
    match github::Client::new(&cfg, github::RetryPolicy::default()) {
        Ok(client) => {
            crate::protect::check_stage(&client, &repo, root, config, check_name, fail_on)
        }
        Err(e) => crate::model::StageOutcome::completed("protect", Vec::new(), Some(e), fail_on, 0),
    }
}

fn run_protect(g: &GlobalArgs, cwd: &Path, cmd: &crate::cli::ProtectCommand) -> Outcome {
    use crate::cli::ProtectCommand;
    let Some((root, config)) = config_only(g, cwd) else {
        return Outcome::Usage;
    };
    let args = match cmd {
        ProtectCommand::Plan(a) | ProtectCommand::Check(a) => a,
        ProtectCommand::Apply { args, .. } => args,
    };
    if config.protect.branches.is_empty() && config.protect.rulesets.is_empty() {
        return usage("no [protect.branches] or [[protect.rulesets]] in the config");
    }
    let Some(cfg) = github::GitHubConfig::from_env() else {
        return usage("protect needs GITHUB_TOKEN or GH_TOKEN with admin rights on the repository");
    };
    if let Some(org) = &args.org {
        return run_protect_org(g, &root, &config, cmd, args, &cfg, org);
    }
    let Some(repo) = args
        .repo
        .clone()
        .or(config.protect.repo.clone())
        .or_else(|| std::env::var("GITHUB_REPOSITORY").ok())
    else {
        return usage("no repository: pass --repo, set [protect].repo or GITHUB_REPOSITORY");
    };
    let client = match github::Client::new(&cfg, github::RetryPolicy::default()) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    if let ProtectCommand::Check(_) = cmd {
        let fail_on = FailOn(g.fail_on.or(config.gate.fail_on).unwrap_or(Severity::Error));
        let started = Instant::now();
        let stage =
            crate::protect::check_stage(&client, &repo, &root, &config, &args.check_name, fail_on);
        let report = Report::new(
            root.display().to_string(),
            scan::git::head(&root),
            None,
            fail_on,
            vec![stage],
            started.elapsed().as_millis() as u64,
        );
        return emit(g, &report);
    }
    let plan = match crate::protect::plan(&client, &repo, &root, &config, &args.check_name) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::Incomplete;
        }
    };
    print!("{}", crate::protect::render_plan(&plan));
    let has_changes = plan.changes() > 0;
    let ProtectCommand::Apply {
        allow_weaken,
        allow_unknown_checks,
        dry_run,
        ..
    } = cmd
    else {
        return if has_changes {
            Outcome::Fail
        } else {
            Outcome::Pass
        };
    };
    if let Some(refused) = refuse_apply(&[&plan], *allow_weaken, *allow_unknown_checks) {
        return refused;
    }
    if *dry_run || !has_changes {
        return Outcome::Pass;
    }
    match crate::protect::apply(&client, &plan) {
        Ok(done) => {
            println!("Applied and verified: {}", done.join(", "));
            Outcome::Pass
        }
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::Incomplete
        }
    }
}

/// `apply` refuses to weaken protection or to require checks no workflow
/// produces unless told to; `Some` is the refusal's outcome.
fn refuse_apply(
    plans: &[&crate::protect::RepoPlan],
    allow_weaken: bool,
    allow_unknown_checks: bool,
) -> Option<Outcome> {
    let weakenings: Vec<String> = plans.iter().flat_map(|p| p.weakenings()).collect();
    if !weakenings.is_empty() && !allow_weaken {
        eprintln!(
            "error: refusing to weaken branch protection (pass --allow-weaken to do it anyway):"
        );
        for w in &weakenings {
            eprintln!("  - {w}");
        }
        return Some(Outcome::Fail);
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
        return Some(Outcome::Fail);
    }
    None
}

/// `shipgate protect … --org ORG`: reads with bounded concurrency, writes one
/// repository at a time, per-repository errors reported without stopping.
fn run_protect_org(
    g: &GlobalArgs,
    root: &Path,
    config: &Config,
    cmd: &crate::cli::ProtectCommand,
    args: &crate::cli::ProtectArgs,
    cfg: &github::GitHubConfig,
    org: &str,
) -> Outcome {
    use crate::cli::ProtectCommand;
    let started = Instant::now();
    let client = match github::Client::new(cfg, github::RetryPolicy::default()) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let filter = crate::protect::OrgFilter {
        name: args.filter.clone(),
        topic: args.topic.clone(),
        archived: args.include_archived,
        forks: args.include_forks,
    };
    let repos = match crate::protect::org_repos(&client, org, &filter) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::Incomplete;
        }
    };
    let rows = crate::protect::plan_many(
        cfg,
        &repos,
        root,
        config,
        &args.check_name,
        args.concurrency,
    );
    let errored = rows.iter().filter(|(_, r)| r.is_err()).count();
    if let ProtectCommand::Check(_) = cmd {
        let fail_on = FailOn(g.fail_on.or(config.gate.fail_on).unwrap_or(Severity::Error));
        let file = crate::protect::config_file(root, config);
        let mut findings = Vec::new();
        let mut checks = Vec::new();
        let mut problems = Vec::new();
        for (repo, r) in &rows {
            match r {
                Ok(p) => {
                    let (f, c) = crate::protect::findings_for(p, config, &file);
                    findings.extend(f);
                    checks.extend(c);
                }
                Err(e) => problems.push(format!("{repo}: {e}")),
            }
        }
        let problem = (!problems.is_empty()).then(|| {
            format!(
                "{} repositor(ies) could not be read: {}",
                problems.len(),
                problems.join("; ")
            )
        });
        let mut stage = crate::model::StageOutcome::completed(
            "protect",
            findings,
            problem,
            fail_on,
            started.elapsed().as_millis() as u64,
        );
        stage.checks = checks;
        stage
            .stats
            .insert("repositories".into(), repos.len() as u64);
        let report = Report::new(
            root.display().to_string(),
            None,
            None,
            fail_on,
            vec![stage],
            started.elapsed().as_millis() as u64,
        );
        eprint!("{}", crate::protect::summary_table(&rows));
        return emit(g, &report);
    }
    for (_, r) in &rows {
        if let Ok(p) = r
            && p.changes() > 0
        {
            print!("{}", crate::protect::render_plan(p));
        }
    }
    print!("{}", crate::protect::summary_table(&rows));
    let plans: Vec<&crate::protect::RepoPlan> =
        rows.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    let has_changes = plans.iter().any(|p| p.changes() > 0);
    let ProtectCommand::Apply {
        allow_weaken,
        allow_unknown_checks,
        dry_run,
        ..
    } = cmd
    else {
        return if errored > 0 {
            Outcome::Incomplete
        } else if has_changes {
            Outcome::Fail
        } else {
            Outcome::Pass
        };
    };
    if let Some(refused) = refuse_apply(&plans, *allow_weaken, *allow_unknown_checks) {
        return refused;
    }
    if *dry_run {
        return if errored > 0 {
            Outcome::Incomplete
        } else {
            Outcome::Pass
        };
    }
    let mut failed = errored;
    // Writes one repository at a time (GitHub's secondary rate limits).
    for p in plans.iter().filter(|p| p.changes() > 0) {
        match crate::protect::apply(&client, p) {
            Ok(done) => println!("{}: applied and verified: {}", p.repo, done.join(", ")),
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", p.repo);
            }
        }
    }
    if failed > 0 {
        Outcome::Incomplete
    } else {
        Outcome::Pass
    }
}
