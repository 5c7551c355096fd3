//! The `smoke` stage: post-deploy checks against a base URL. Waits for the
//! deploy with backoff, runs independent checks concurrently, masks secrets.

mod assert;
mod checks;
pub mod config;
pub mod health;
mod http;
mod probe;
mod request;
pub mod rules;
mod schedule;
pub mod signing;
pub mod socketio;
mod tls;
mod ws;

pub use rules::RULES;

use crate::error::{Error, Result};
use crate::model::{CheckStatus, Finding, Location, StageOutcome};
use crate::secrets::Redactor;
use config::SmokeConfig;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Health endpoints probed when no checks are configured: (path, is readiness).
pub const DEFAULT_PROBES: &[(&str, bool)] = &[
    ("/health", false),
    ("/healthz", false),
    ("/health/live", false),
    ("/livez", false),
    ("/api/health", false),
    ("/api/healthz", false),
    ("/health/ready", true),
    ("/readyz", true),
    ("/api/readyz", true),
];

/// Everything the stage takes besides `[smoke]`, resolved by the CLI.
#[derive(Debug, Clone, Default)]
pub struct SmokeRequest {
    /// The base URL (`--base-url`, else `SHIPGATE_BASE_URL`, else `[smoke].base_url`),
    /// not yet `${VAR}`-expanded.
    pub base_url: Option<String>,
    /// `--wait`: how long to wait for readiness.
    pub wait: Option<Duration>,
    /// The release the deploy must report (`--expect-version`, `[smoke].expect_version`, `GITHUB_SHA`).
    pub expect_version: Option<String>,
    /// `--insecure`.
    pub insecure: bool,
    /// `--ca-file` (or `[smoke].ca_file`): absolute path and the name to show.
    pub ca_file: Option<(PathBuf, String)>,
    /// `shipgate smoke` needs a base URL; the gate skips the stage without one.
    pub required: bool,
    /// The environment `${VAR}` reads from.
    pub vars: HashMap<String, String>,
}

/// The state shared by the checks of one run.
pub(crate) struct Ctx {
    client: reqwest::Client,
    tls: Arc<rustls::ClientConfig>,
    base: String,
    env: HashMap<String, String>,
    captured: Mutex<HashMap<String, String>>,
    redactor: Arc<Redactor>,
    deadline: Instant,
    timeout: Duration,
    config_path: String,
    expect_version: Option<String>,
    production: bool,
    allow_mutation: bool,
}

/// A problem found by a check.
pub(crate) struct Problem {
    rule: &'static str,
    message: String,
}

fn problem(rule: &'static str, message: String) -> Problem {
    Problem { rule, message }
}

/// What a check found: its problems, how often it retried, a note.
pub(crate) struct Done {
    problems: Vec<Problem>,
    retries: u32,
    note: Option<String>,
}

impl Done {
    fn new(problems: Vec<Problem>, retries: u32, note: Option<String>) -> Self {
        Done {
            problems,
            retries,
            note,
        }
    }
}

/// A check's result, or the one problem that stopped it.
pub(crate) type Checked = std::result::Result<Done, Problem>;

/// How one check ended.
pub(crate) struct CheckRun {
    status: CheckStatus,
    duration: Duration,
    retries: u32,
    problems: Vec<Problem>,
    note: Option<String>,
}

fn finding(rule: &str, message: String, location: Location, key: &str) -> Finding {
    Finding::of(rules::get(rule), message, location, key)
}

/// Expands `${VAR}` in the base URL from the environment only.
fn expand_base(raw: &str, env: &HashMap<String, String>) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed `${{` in `{raw}`"))?;
        let name = &after[..end];
        let value = env
            .get(name)
            .ok_or_else(|| format!("`${{{name}}}` is not set"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// No answer at all is not a failed check but an incomplete run: every check
/// that ran failed to reach the deploy.
fn unreachable(
    base: &str,
    checks: &[crate::model::CheckResult],
    findings: &[Finding],
) -> Option<String> {
    let ran = checks.iter().filter(|c| c.status != CheckStatus::Skipped);
    let all_failed =
        ran.clone().count() > 0 && ran.clone().all(|c| c.status == CheckStatus::Failed);
    let only_unreachable =
        !findings.is_empty() && findings.iter().all(|f| f.rule == rules::UNREACHABLE.id);
    (all_failed && only_unreachable).then(|| {
        format!(
            "no answer from {base}: every check failed to connect ({})",
            findings.first().map_or("", |f| f.message.as_str())
        )
    })
}

/// Checks the base URL and returns it expanded and without a trailing `/`;
/// `Ok(None)` when there is none and the stage is optional.
pub fn base_url(req: &SmokeRequest) -> Result<Option<String>> {
    let Some(raw) = &req.base_url else {
        if req.required {
            return Err(Error::usage(
                "no base URL: pass --base-url, set SHIPGATE_BASE_URL or [smoke].base_url",
            ));
        }
        return Ok(None);
    };
    let base = expand_base(raw, &req.vars).map_err(|e| Error::usage(format!("base URL: {e}")))?;
    let base = base.trim_end_matches('/').to_string();
    let ok = reqwest::Url::parse(&base)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !ok {
        return Err(Error::usage(format!(
            "base URL `{}` is not an http(s) URL",
            request::shown_url(&base)
        )));
    }
    Ok(Some(base))
}

/// Runs the stage. Usage problems (bad base URL, unreadable CA file) come
/// back as errors before any request is sent.
pub fn run(
    config: &SmokeConfig,
    req: &SmokeRequest,
    config_file: &str,
    redactor: Arc<Redactor>,
) -> Result<StageOutcome> {
    let started = Instant::now();
    let Some(base) = base_url(req)? else {
        return Ok(StageOutcome::skipped(
            "smoke",
            "no base URL (--base-url, SHIPGATE_BASE_URL or [smoke].base_url)",
        ));
    };
    let timeout = config.timeout.unwrap_or(Duration::from_secs(10));
    let insecure = req.insecure || config.insecure;
    let ca = req.ca_file.as_ref().map(|(p, s)| (p.as_path(), s.as_str()));
    let tls = tls::config(insecure, ca)?;
    let client = http::client(timeout, &tls).map_err(Error::incomplete)?;
    let wait = req.wait.or(config.wait).unwrap_or(Duration::ZERO);
    let ctx = Ctx {
        client,
        tls: tls::with_alpn(&tls, &[b"http/1.1"]),
        base,
        env: req.vars.clone(),
        captured: Mutex::new(HashMap::new()),
        redactor,
        deadline: Instant::now() + wait,
        timeout,
        config_path: config_file.to_string(),
        expect_version: req.expect_version.clone(),
        production: config.production,
        allow_mutation: config.allow_mutation,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::incomplete(format!("cannot start the HTTP runtime: {e}")))?;
    let stage_timeout = config
        .stage_timeout
        .unwrap_or(Duration::from_secs(600))
        .max(wait + Duration::from_secs(30));
    let concurrency = config.concurrency.unwrap_or(64);
    let result = rt.block_on(async {
        tokio::time::timeout(stage_timeout, async {
            let mut ready = None;
            if !wait.is_zero() {
                match probe::wait_ready(&ctx, &config.checks).await {
                    Ok(check) => ready = Some(check),
                    Err(e) => return (Vec::new(), Vec::new(), Some(e), None),
                }
            }
            if config.checks.is_empty() {
                let (c, f, problem) = probe::probe_defaults(&ctx).await;
                return (c, f, problem, ready);
            }
            let (c, f) = schedule::run_configured(&ctx, &config.checks, concurrency).await;
            let problem = unreachable(&ctx.base, &c, &f);
            (c, f, problem, ready)
        })
        .await
    });
    let (mut checks, findings, problem, ready) = match result {
        Ok(r) => r,
        Err(_) => (
            Vec::new(),
            Vec::new(),
            Some(format!(
                "the smoke stage did not finish within {}s",
                stage_timeout.as_secs()
            )),
            None,
        ),
    };
    let mut stage = StageOutcome::new(
        "smoke",
        findings,
        problem,
        started.elapsed().as_millis() as u64,
    );
    stage.stats.insert("checks".into(), checks.len() as u64);
    stage.stats.insert(
        "checks_passed".into(),
        checks
            .iter()
            .filter(|c| c.status == CheckStatus::Passed)
            .count() as u64,
    );
    stage.stats.insert(
        "checks_failed".into(),
        checks
            .iter()
            .filter(|c| c.status == CheckStatus::Failed)
            .count() as u64,
    );
    if let Some(r) = ready {
        checks.insert(0, r);
    }
    Ok(stage.with_checks(checks))
}
