//! The `smoke` stage: post-deploy checks against a base URL. Waits for the
//! deploy with backoff, runs independent checks concurrently, masks secrets.

pub mod health;
mod http;
pub mod signing;
pub mod socketio;
mod ws;

use crate::config::{CheckKind, CheckSpec, Config, StatusSpec};
use crate::model::{CheckResult, FailOn, Finding, Location, Severity, StageOutcome};
use http::{Req, Resp};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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

/// What the command line adds to `[smoke]`.
#[derive(Debug, Clone, Default)]
pub struct SmokeRequest {
    /// `--base-url` (else `SHIPGATE_BASE_URL`, else `[smoke].base_url`).
    pub base_url: Option<String>,
    /// `--wait`: how long to wait for readiness.
    pub wait: Option<Duration>,
    /// `--expect-version` (else `[smoke].expect_version`, else `GITHUB_SHA`).
    pub expect_version: Option<String>,
    /// `--insecure`.
    pub insecure: bool,
    /// `--ca-file`.
    pub ca_file: Option<PathBuf>,
    /// `shipgate smoke` needs a base URL; the gate skips the stage without one.
    pub required: bool,
}

/// Replaces every known secret with `****`.
#[derive(Default, Clone)]
struct Redactor(Arc<Mutex<Vec<String>>>);

impl Redactor {
    fn add(&self, s: &str) {
        if s.len() >= 4
            && let Ok(mut v) = self.0.lock()
            && !v.iter().any(|x| x == s)
        {
            v.push(s.to_string());
            v.sort_by_key(|x| std::cmp::Reverse(x.len()));
        }
    }
    fn clean(&self, s: &str) -> String {
        let mut out = s.to_string();
        if let Ok(v) = self.0.lock() {
            for secret in v.iter() {
                out = out.replace(secret.as_str(), "****");
            }
        }
        out
    }
}

struct Ctx {
    client: reqwest::Client,
    tls: Arc<rustls::ClientConfig>,
    base: String,
    vars: Mutex<HashMap<String, String>>,
    redactor: Redactor,
    deadline: Instant,
    timeout: Duration,
    config_path: String,
    expect_version: Option<String>,
    production: bool,
    allow_mutation: bool,
}

/// A problem found by a check.
struct Problem {
    rule: &'static str,
    severity: Severity,
    message: String,
}

fn problem(rule: &'static str, message: String) -> Problem {
    Problem {
        rule,
        severity: Severity::Error,
        message,
    }
}

/// What one check ended with.
struct Outcome {
    status: &'static str,
    duration: Duration,
    retries: u32,
    problems: Vec<Problem>,
    note: Option<String>,
}

fn expand(s: &str, ctx: &Ctx) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed `${{` in `{s}`"))?;
        let name = &after[..end];
        let captured = ctx.vars.lock().ok().and_then(|v| v.get(name).cloned());
        let value = match captured {
            Some(v) => v,
            None => match std::env::var(name) {
                Ok(v) => {
                    if crate::env::names::looks_secret(name)
                        || name.contains("PASSWORD")
                        || name.contains("USER")
                    {
                        ctx.redactor.add(&v);
                    }
                    v
                }
                Err(_) => {
                    return Err(format!(
                        "`${{{name}}}` is not set (no earlier capture or environment variable)"
                    ));
                }
            },
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn expand_json(v: &Value, ctx: &Ctx) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => Value::String(expand(s, ctx)?),
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| expand_json(x, ctx))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| Ok((k.clone(), expand_json(x, ctx)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

fn url_for(spec: &CheckSpec, ctx: &Ctx, default_path: &str) -> Result<String, String> {
    let mut url = match (&spec.url, &spec.path) {
        (Some(u), _) => expand(u, ctx)?,
        (None, Some(p)) => format!("{}{}", ctx.base, expand(p, ctx)?),
        (None, None) => format!("{}{default_path}", ctx.base),
    };
    if !spec.query.is_empty() {
        let q: Vec<String> = spec
            .query
            .iter()
            .map(|(k, v)| {
                Ok(format!(
                    "{}={}",
                    crate::encode::percent(k, false),
                    crate::encode::percent(&expand(v, ctx)?, false)
                ))
            })
            .collect::<Result<_, String>>()?;
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&q.join("&"));
    }
    Ok(url)
}

/// The request a spec describes (method, URL, headers, body), secrets noted.
fn build_req(
    spec: &CheckSpec,
    ctx: &Ctx,
    default_method: &str,
    default_path: &str,
) -> Result<Req, String> {
    let method = spec
        .method
        .clone()
        .unwrap_or_else(|| default_method.to_string());
    let method = reqwest::Method::from_bytes(method.as_bytes())
        .map_err(|_| format!("`{method}` is not an HTTP method"))?;
    let mut headers = Vec::new();
    for (k, v) in &spec.headers {
        let v = expand(v, ctx)?;
        let lk = k.to_ascii_lowercase();
        if lk == "authorization"
            || lk == "cookie"
            || lk.contains("token")
            || lk.contains("key")
            || lk.contains("secret")
        {
            ctx.redactor.add(&v);
            if let Some(t) = v.split_whitespace().nth(1) {
                ctx.redactor.add(t);
            }
        }
        headers.push((k.clone(), v));
    }
    let body = match (&spec.json, &spec.body) {
        (Some(j), _) => {
            headers.push(("content-type".into(), "application/json".into()));
            Some(serde_json::to_vec(&expand_json(j, ctx)?).unwrap_or_default())
        }
        (None, Some(b)) => Some(expand(b, ctx)?.into_bytes()),
        _ => None,
    };
    Ok(Req {
        method,
        url: url_for(spec, ctx, default_path)?,
        headers,
        body,
    })
}

fn shown_url(u: &str) -> String {
    // Never show credentials in a URL.
    match (u.find("://"), u.find('@')) {
        (Some(s), Some(at)) if at > s && !u[s + 3..at].contains('/') => {
            format!("{}{}", &u[..s + 3], &u[at + 1..])
        }
        _ => u.to_string(),
    }
}

fn snippet(body: &str) -> String {
    let t: String = body.chars().take(200).collect();
    let t = t.replace(['\n', '\r'], " ");
    if body.chars().count() > 200 {
        format!("{t}…")
    } else {
        t
    }
}

/// Checks a response against the spec's expectations.
fn expectations(
    spec: &CheckSpec,
    r: &Resp,
    default_status: &StatusSpec,
    ctx: &Ctx,
) -> Vec<Problem> {
    let mut p = Vec::new();
    let status = spec.status.as_ref().unwrap_or(default_status);
    if !status.accepts(r.status) {
        p.push(problem(
            "smoke/status",
            format!("answered HTTP {} (expected {status})", r.status),
        ));
    }
    for (k, want) in &spec.expect_headers {
        match r.header(k) {
            Some(v) if v.contains(want.as_str()) => {}
            Some(v) => p.push(problem(
                "smoke/header",
                format!("header `{k}` is `{v}`, expected it to contain `{want}`"),
            )),
            None => p.push(problem("smoke/header", format!("header `{k}` is missing"))),
        }
    }
    if let Some(ct) = &spec.content_type
        && !r
            .header("content-type")
            .is_some_and(|v| v.starts_with(ct.as_str()))
    {
        p.push(problem(
            "smoke/header",
            format!(
                "content type is `{}`, expected `{ct}`",
                r.header("content-type").unwrap_or("none")
            ),
        ));
    }
    let text = r.text();
    for c in &spec.body_contains {
        if !text.contains(c.as_str()) {
            p.push(problem(
                "smoke/body",
                format!(
                    "body does not contain `{c}` (body: {})",
                    ctx.redactor.clean(&snippet(&text))
                ),
            ));
        }
    }
    if let Some(re) = &spec.body_regex
        && let Ok(re) = regex::Regex::new(re)
        && !re.is_match(&text)
    {
        p.push(problem("smoke/body", format!("body does not match `{re}`")));
    }
    let needs_json = !spec.json_equals.is_empty()
        || !spec.json_exists.is_empty()
        || !spec.json_matches.is_empty();
    if needs_json {
        match serde_json::from_slice::<Value>(&r.body) {
            Err(e) => p.push(problem(
                "smoke/json",
                format!(
                    "body is not valid JSON ({e}): {}",
                    ctx.redactor.clean(&snippet(&text))
                ),
            )),
            Ok(json) => {
                for (ptr, want) in &spec.json_equals {
                    match json.pointer(ptr) {
                        Some(v) if v == want => {}
                        Some(v) => p.push(problem(
                            "smoke/json",
                            format!(
                                "`{ptr}` is {}, expected {want}",
                                ctx.redactor.clean(&v.to_string())
                            ),
                        )),
                        None => p.push(problem("smoke/json", format!("`{ptr}` is missing"))),
                    }
                }
                for ptr in &spec.json_exists {
                    if json.pointer(ptr).is_none() {
                        p.push(problem("smoke/json", format!("`{ptr}` is missing")));
                    }
                }
                for (ptr, re) in &spec.json_matches {
                    let v = json
                        .pointer(ptr)
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
                    match (v, regex::Regex::new(re)) {
                        (Some(v), Ok(re)) if re.is_match(&v) => {}
                        (Some(_), _) => p.push(problem(
                            "smoke/json",
                            format!("`{ptr}` does not match `{re}`"),
                        )),
                        (None, _) => p.push(problem("smoke/json", format!("`{ptr}` is missing"))),
                    }
                }
            }
        }
    }
    if let Some(max) = spec.max_duration
        && r.duration > max
    {
        p.push(problem(
            "smoke/slow",
            format!(
                "took {} ms (max {} ms)",
                r.duration.as_millis(),
                max.as_millis()
            ),
        ));
    }
    p
}

fn capture(spec: &CheckSpec, r: &Resp, ctx: &Ctx, secret: bool) -> Vec<Problem> {
    let mut p = Vec::new();
    let json: Option<Value> = serde_json::from_slice(&r.body).ok();
    for (var, from) in &spec.capture {
        let value = if let Some(ptr) = from.strip_prefix("json:") {
            json.as_ref()
                .and_then(|j| j.pointer(ptr))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        } else if let Some(h) = from.strip_prefix("header:") {
            r.header(h).map(str::to_string)
        } else {
            None
        };
        match value {
            Some(v) => {
                if secret
                    || crate::env::names::looks_secret(&var.to_ascii_uppercase())
                    || var.contains("token")
                {
                    ctx.redactor.add(&v);
                }
                if let Ok(mut vars) = ctx.vars.lock() {
                    vars.insert(var.clone(), v);
                }
            }
            None => p.push(problem(
                "smoke/capture",
                format!("could not capture `{var}` from `{from}`"),
            )),
        }
    }
    p
}

fn mutating(spec: &CheckSpec) -> bool {
    let m = spec.method.as_deref().unwrap_or(match spec.kind {
        CheckKind::Login | CheckKind::Refresh | CheckKind::Webhook => "POST",
        _ => "GET",
    });
    !matches!(m, "GET" | "HEAD" | "OPTIONS")
        && !matches!(
            spec.kind,
            CheckKind::Login | CheckKind::Refresh | CheckKind::Webhook
        )
}

async fn run_check(spec: &CheckSpec, ctx: &Ctx) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome {
        status: "passed",
        duration: Duration::ZERO,
        retries: 0,
        problems: Vec::new(),
        note: None,
    };
    if ctx.production && !ctx.allow_mutation && mutating(spec) {
        out.status = "skipped";
        out.problems.push(problem(
            "smoke/mutation-refused",
            format!("{} is a mutating request and the base URL is marked `production`; set `allow_mutation = true` to run it", spec.method.as_deref().unwrap_or("POST")),
        ));
        return out;
    }
    let result = match spec.kind {
        CheckKind::Http => http_check(spec, ctx).await,
        CheckKind::Health => health_check(spec, ctx).await,
        CheckKind::AuthRequired => auth_check(spec, ctx).await,
        CheckKind::Login | CheckKind::Refresh => login_check(spec, ctx).await,
        CheckKind::Websocket => ws::websocket_check(spec, ctx).await,
        CheckKind::Socketio => ws::socketio_check(spec, ctx).await,
        CheckKind::Webhook => webhook_check(spec, ctx).await,
        CheckKind::Version => version_check(spec, ctx).await,
    };
    match result {
        Ok((problems, retries, note)) => {
            out.problems = problems;
            out.retries = retries;
            out.note = note;
        }
        Err(p) => out.problems.push(p),
    }
    if !out.problems.is_empty() {
        out.status = "failed";
    }
    out.duration = started.elapsed();
    out
}

type CheckResultT = Result<(Vec<Problem>, u32, Option<String>), Problem>;

async fn fetch(
    spec: &CheckSpec,
    ctx: &Ctx,
    method: &str,
    path: &str,
    rule: &'static str,
) -> Result<(Resp, Req), Problem> {
    let req = build_req(spec, ctx, method, path).map_err(|e| problem(rule, e))?;
    let idempotent = matches!(
        req.method.as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
    );
    let (r, retries) = http::send(&ctx.client, &req, idempotent || spec.retry, ctx.deadline).await;
    match r {
        Ok(r) => Ok((r, req)),
        Err(e) => Err(problem(
            "smoke/unreachable",
            format!(
                "{} {} failed: {e}{}",
                req.method,
                shown_url(&req.url),
                if retries > 0 {
                    format!(" (after {retries} retries)")
                } else {
                    String::new()
                }
            ),
        )),
    }
}

async fn http_check(spec: &CheckSpec, ctx: &Ctx) -> CheckResultT {
    let (r, req) = fetch(spec, ctx, "GET", "/", "smoke/http").await?;
    let mut p = expectations(spec, &r, &StatusSpec::Range(200, 299), ctx);
    if p.is_empty() {
        p.extend(capture(spec, &r, ctx, false));
    }
    for x in &mut p {
        x.message = format!("{} {}: {}", req.method, shown_url(&req.url), x.message);
    }
    Ok((p, r.retries, None))
}

async fn health_check(spec: &CheckSpec, ctx: &Ctx) -> CheckResultT {
    let (r, req) = fetch(spec, ctx, "GET", "/health", "smoke/health").await?;
    let what = format!("GET {}", shown_url(&req.url));
    let mut p = expectations(spec, &r, &StatusSpec::Range(200, 299), ctx);
    let mut note = None;
    match serde_json::from_slice::<Value>(&r.body)
        .ok()
        .and_then(|j| health::parse(&j))
    {
        Some((overall, components)) => {
            let down: Vec<String> = components
                .iter()
                .filter(|(_, h)| **h == health::Health::Down)
                .map(|(k, _)| k.clone())
                .collect();
            if overall == health::Health::Down && (200..300).contains(&r.status) {
                let which = if down.is_empty() {
                    String::new()
                } else {
                    format!(" ({} down)", down.join(", "))
                };
                p.push(problem(
                    "smoke/health",
                    format!(
                        "answered {} but the body reports the service down{which}",
                        r.status
                    ),
                ));
            }
            if overall == health::Health::Warn {
                note = Some("degraded (warn)".into());
            }
            for c in &spec.components {
                match components.get(c) {
                    Some(health::Health::Up) => {}
                    Some(h) => p.push(problem(
                        "smoke/health",
                        format!("component `{c}` is {h:?}").to_lowercase(),
                    )),
                    None => p.push(problem(
                        "smoke/health",
                        format!("component `{c}` is not reported"),
                    )),
                }
            }
        }
        None if !spec.components.is_empty() => {
            p.push(problem("smoke/health", format!("the body is not a recognised health document, so components {:?} cannot be checked", spec.components)));
        }
        None => {}
    }
    for x in &mut p {
        x.message = format!("{what}: {}", x.message);
    }
    Ok((p, r.retries, note))
}

async fn auth_check(spec: &CheckSpec, ctx: &Ctx) -> CheckResultT {
    let (r, req) = fetch(spec, ctx, "GET", "/", "smoke/auth-required").await?;
    let what = format!("{} {} without credentials", req.method, shown_url(&req.url));
    let p = match r.status {
        401 | 403 => Vec::new(),
        200..=299 => vec![problem(
            "smoke/auth-open",
            format!(
                "{what} answered {}: the protected route is open to anyone",
                r.status
            ),
        )],
        s => vec![problem(
            "smoke/auth-required",
            format!("{what} answered {s}, expected 401 or 403"),
        )],
    };
    Ok((p, r.retries, None))
}

async fn login_check(spec: &CheckSpec, ctx: &Ctx) -> CheckResultT {
    let path = if spec.kind == CheckKind::Login {
        "/api/auth/login"
    } else {
        "/api/auth/refresh"
    };
    let (r, req) = fetch(spec, ctx, "POST", path, "smoke/login").await?;
    let what = format!("{} {}", req.method, shown_url(&req.url));
    let mut p = expectations(spec, &r, &StatusSpec::List(vec![200, 201]), ctx);
    if p.is_empty() {
        let json: Option<Value> = serde_json::from_slice(&r.body).ok();
        let ptrs: Vec<String> = match &spec.token_pointer {
            Some(t) => vec![t.clone()],
            None => [
                "/accessToken",
                "/access_token",
                "/token",
                "/data/accessToken",
                "/data/token",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        };
        let token = json.as_ref().and_then(|j| {
            ptrs.iter()
                .find_map(|ptr| j.pointer(ptr)?.as_str().map(str::to_string))
        });
        match token {
            Some(t) => {
                ctx.redactor.add(&t);
                if let Ok(mut v) = ctx.vars.lock() {
                    v.insert("token".into(), t);
                }
            }
            None if spec.capture.is_empty() => p.push(problem(
                "smoke/login",
                format!("no token in the response (looked at {})", ptrs.join(", ")),
            )),
            None => {}
        }
        if let Some(rt) = json.as_ref().and_then(|j| {
            ["/refreshToken", "/refresh_token", "/data/refreshToken"]
                .iter()
                .find_map(|ptr| j.pointer(ptr)?.as_str().map(str::to_string))
        }) {
            ctx.redactor.add(&rt);
            if let Ok(mut v) = ctx.vars.lock() {
                v.insert("refresh_token".into(), rt);
            }
        }
        p.extend(capture(spec, &r, ctx, true));
    }
    for x in &mut p {
        x.rule = if x.rule == "smoke/status" {
            "smoke/login"
        } else {
            x.rule
        };
        x.message = format!("{what}: {}", x.message);
    }
    Ok((p, r.retries, None))
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn webhook_check(spec: &CheckSpec, ctx: &Ctx) -> CheckResultT {
    let provider = spec.provider.clone().unwrap_or_else(|| "stripe".into());
    let secret = expand(spec.secret.as_deref().unwrap_or(""), ctx)
        .map_err(|e| problem("smoke/webhook", e))?;
    ctx.redactor.add(&secret);
    let ts = now_secs();
    let id = format!("evt_shipgate_{ts}");
    let payload = match &spec.json {
        Some(j) => expand_json(j, ctx).map_err(|e| problem("smoke/webhook", e))?,
        None => serde_json::json!({
            "id": id, "object": "event", "type": "shipgate.smoke_test", "created": ts,
            "livemode": false, "data": { "object": { "id": format!("obj_shipgate_{ts}") } }
        }),
    };
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    let base = build_req(
        &CheckSpec {
            json: None,
            body: None,
            ..spec.clone()
        },
        ctx,
        "POST",
        "/webhooks/stripe",
    )
    .map_err(|e| problem("smoke/webhook", e))?;
    let what = format!("POST {}", shown_url(&base.url));
    let send = |headers: Vec<(String, String)>| {
        let mut req = base.clone();
        req.headers
            .push(("content-type".into(), "application/json".into()));
        req.headers.extend(headers);
        req.body = Some(body.clone());
        async move { http::send_once(&ctx.client, &req).await }
    };
    let mut p = Vec::new();
    let good = signing::headers(&provider, &secret, &id, ts, &body);
    for attempt in ["first delivery", "duplicate delivery"] {
        match send(good.clone()).await {
            Ok(r) if (200..300).contains(&r.status) => {}
            Ok(r) => p.push(problem("smoke/webhook", format!("{what}: the {attempt} of a correctly signed event answered {} (expected 2xx{})", r.status, if attempt == "duplicate delivery" { ": replays must be idempotent" } else { "" }))),
            Err(e) => return Err(problem("smoke/unreachable", format!("{what}: {e}"))),
        }
    }
    let mut bad = signing::headers(&provider, &format!("{secret}-wrong"), &id, ts, &body);
    if provider == "standard" {
        bad.retain(|(k, _)| k != "webhook-id");
        bad.push(("webhook-id".into(), id.clone()));
    }
    let mut cases = vec![("a wrong signature", bad)];
    if signing::has_timestamp(&provider) {
        cases.push((
            "a stale timestamp (1 hour old)",
            signing::headers(&provider, &secret, &id, ts - 3600, &body),
        ));
    }
    for (case, headers) in cases {
        match send(headers).await {
            Ok(r) if (400..500).contains(&r.status) => {}
            Ok(r) if (200..300).contains(&r.status) => p.push(problem(
                "smoke/webhook-unverified",
                format!(
                    "{what}: an event with {case} was accepted ({}): anyone can forge webhooks",
                    r.status
                ),
            )),
            Ok(r) => p.push(problem(
                "smoke/webhook",
                format!(
                    "{what}: an event with {case} answered {} (expected 4xx)",
                    r.status
                ),
            )),
            Err(e) => return Err(problem("smoke/unreachable", format!("{what}: {e}"))),
        }
    }
    Ok((p, 0, None))
}

async fn version_check(spec: &CheckSpec, ctx: &Ctx) -> CheckResultT {
    let expected = match spec.expected.as_deref().map(|e| expand(e, ctx)).transpose().map_err(|e| problem("smoke/version", e))? {
        Some(e) => e,
        None => ctx.expect_version.clone().ok_or_else(|| problem("smoke/version", "no expected version: set `expected`, --expect-version, [smoke].expect_version or GITHUB_SHA".into()))?,
    };
    let matches = |got: &str| {
        let (a, b) = (got.trim(), expected.trim());
        a == b || (a.len() >= 7 && b.starts_with(a)) || (b.len() >= 7 && a.starts_with(b))
    };
    let mut polls = 0;
    loop {
        polls += 1;
        let mut last = String::new();
        let mut agree = 0;
        for _ in 0..3 {
            let (r, req) = fetch(spec, ctx, "GET", "/", "smoke/version").await?;
            let got = match (&spec.header, &spec.pointer) {
                (Some(h), _) => r.header(h).map(str::to_string),
                (None, Some(ptr)) => serde_json::from_slice::<Value>(&r.body).ok().and_then(|j| {
                    j.pointer(ptr)
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                }),
                _ => None,
            };
            match got {
                Some(g) if matches(&g) => agree += 1,
                Some(g) => {
                    last = format!(
                        "GET {} reports `{g}`, expected `{expected}`",
                        shown_url(&req.url)
                    )
                }
                None => {
                    last = format!(
                        "GET {} does not report a version ({})",
                        shown_url(&req.url),
                        spec.header.as_deref().map_or_else(
                            || format!("pointer {}", spec.pointer.as_deref().unwrap_or("")),
                            |h| format!("header {h}")
                        )
                    )
                }
            }
        }
        if agree == 3 {
            return Ok((Vec::new(), polls - 1, None));
        }
        if Instant::now() + Duration::from_secs(2) >= ctx.deadline {
            return Ok((
                vec![problem(
                    "smoke/version",
                    format!(
                        "{last} ({agree}/3 samples agreed; the old build may still be serving)"
                    ),
                )],
                polls - 1,
                None,
            ));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The default: probe the usual health endpoints.
async fn probe_defaults(ctx: &Ctx) -> (Vec<CheckResult>, Vec<Finding>) {
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    let mut live_ok = false;
    let mut any = false;
    let futures = DEFAULT_PROBES.iter().map(|(path, ready)| async move {
        let req = Req {
            method: reqwest::Method::GET,
            url: format!("{}{path}", ctx.base),
            headers: vec![],
            body: None,
        };
        let started = Instant::now();
        let (r, _) = http::send(&ctx.client, &req, true, ctx.deadline).await;
        (*path, *ready, r, started.elapsed())
    });
    for (path, ready, r, took) in futures_util::future::join_all(futures).await {
        let url = format!("{}{path}", ctx.base);
        let (status, message) = match &r {
            Ok(resp) if resp.status == 404 || resp.status == 405 => (
                "skipped",
                Some(format!("{path} does not exist ({})", resp.status)),
            ),
            Ok(resp) => {
                any = true;
                let body_down = serde_json::from_slice::<Value>(&resp.body)
                    .ok()
                    .and_then(|j| health::parse(&j))
                    .is_some_and(|(h, _)| h == health::Health::Down);
                if (200..300).contains(&resp.status) && !body_down {
                    if !ready {
                        live_ok = true;
                    }
                    ("passed", None)
                } else {
                    let why = if body_down {
                        format!("answered {} but reports down", resp.status)
                    } else {
                        format!("answered {}", resp.status)
                    };
                    if ready || body_down {
                        findings.push(finding(
                            "smoke/health",
                            Severity::Error,
                            format!("GET {url} {why}"),
                            Location::Url { url: url.clone() },
                            "",
                            &url,
                        ));
                    }
                    ("failed", Some(why))
                }
            }
            Err(e) => ("failed", Some(ctx.redactor.clean(e))),
        };
        checks.push(CheckResult {
            name: format!("GET {path}"),
            status: status.into(),
            duration_ms: took.as_millis() as u64,
            message,
        });
    }
    if !live_ok {
        let why = if any {
            "no liveness endpoint answered healthy"
        } else {
            "none of the usual health endpoints exists or answers"
        };
        findings.push(finding(
            "smoke/health",
            Severity::Error,
            format!(
                "{why} at {} (probed {})",
                ctx.base,
                DEFAULT_PROBES
                    .iter()
                    .map(|p| p.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Location::Url {
                url: ctx.base.clone(),
            },
            "",
            &ctx.base,
        ));
    }
    (checks, findings)
}

fn finding(
    rule: &str,
    severity: Severity,
    message: String,
    location: Location,
    help: &str,
    key: &str,
) -> Finding {
    let title = match rule {
        "smoke/auth-open" => "Protected route open without credentials".to_string(),
        "smoke/webhook-unverified" => "Webhook signature not verified".to_string(),
        "smoke/unreachable" => "Deploy unreachable".to_string(),
        "smoke/mutation-refused" => "Mutating check refused against production".to_string(),
        _ => format!("Smoke check failed ({})", rule.trim_start_matches("smoke/")),
    };
    let help = if help.is_empty() {
        "Fix the deploy (or the check's expectation in shipgate.toml) and run the smoke stage again."
    } else {
        help
    };
    Finding::new(rule, &title, severity, message, help, location, key)
}

/// Waits until the readiness target answers healthy or the deadline passes.
async fn wait_ready(ctx: &Ctx, checks: &[CheckSpec]) -> Result<u32, String> {
    let target = checks.iter().find(|c| c.kind == CheckKind::Health);
    let mut tries = 0u32;
    let mut seed = now_secs() as u64 | 1;
    let started = Instant::now();
    loop {
        tries += 1;
        let (ok, last) = match target {
            Some(spec) => match build_req(spec, ctx, "GET", "/health") {
                Ok(req) => {
                    let r = http::send_once(&ctx.client, &req).await;
                    let ok = matches!(&r, Ok(x) if (200..300).contains(&x.status) && !serde_json::from_slice::<Value>(&x.body).ok().and_then(|j| health::parse(&j)).is_some_and(|(h, _)| h == health::Health::Down));
                    (
                        ok,
                        r.map(|x| format!("{} answered {}", shown_url(&req.url), x.status)),
                    )
                }
                Err(e) => return Err(e),
            },
            None => {
                // Ready when a liveness endpoint passes and no readiness endpoint that exists fails.
                let mut live = false;
                let mut failing = None;
                for (p, ready) in DEFAULT_PROBES {
                    let req = Req {
                        method: reqwest::Method::GET,
                        url: format!("{}{p}", ctx.base),
                        headers: vec![],
                        body: None,
                    };
                    match http::send_once(&ctx.client, &req).await {
                        Ok(x) if x.status == 404 || x.status == 405 => {}
                        Ok(x) if (200..300).contains(&x.status) => live |= !ready,
                        Ok(x) => failing = Some(Ok(format!("{} answered {}", req.url, x.status))),
                        Err(e) => failing = failing.or(Some(Err(e))),
                    }
                }
                let ok = live && failing.is_none();
                (
                    ok,
                    failing.unwrap_or_else(|| {
                        Ok(format!("no liveness endpoint passed at {}", ctx.base))
                    }),
                )
            }
        };
        if ok {
            return Ok(tries);
        }
        let wait =
            http::backoff(tries, &Err(String::new()), &mut seed).min(Duration::from_secs(10));
        let left = ctx.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let last = match last {
                Ok(s) => s,
                Err(e) => ctx.redactor.clean(&e),
            };
            return Err(format!(
                "not ready after {tries} tries in {:.0}s (last: {last})",
                started.elapsed().as_secs_f64()
            ));
        }
        // The last try happens at the deadline.
        tokio::time::sleep(wait.min(left)).await;
    }
}

/// Usage problems (exit 2).
#[derive(Debug, Clone)]
pub struct SmokeUsageError(pub String);

fn tls_config(insecure: bool, ca: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(ca) = ca {
        let pem =
            std::fs::read(ca).map_err(|e| format!("cannot read CA file {}: {e}", ca.display()))?;
        for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(&pem) {
            let cert: rustls::pki_types::CertificateDer =
                cert.map_err(|e| format!("{}: {e}", ca.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("{}: {e}", ca.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ws::NoVerify(provider)))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// Runs the smoke stage. `None` base URL in the gate means the stage is skipped.
pub fn run_smoke(
    root: &Path,
    config: &Config,
    req: &SmokeRequest,
    fail_on: FailOn,
) -> Result<StageOutcome, SmokeUsageError> {
    let started = Instant::now();
    let sc = &config.smoke;
    let usage = SmokeUsageError;
    let raw = req
        .base_url
        .clone()
        .or_else(|| {
            std::env::var("SHIPGATE_BASE_URL")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or_else(|| sc.base_url.clone());
    let Some(raw) = raw else {
        if req.required {
            return Err(usage(
                "no base URL: pass --base-url, set SHIPGATE_BASE_URL or [smoke].base_url".into(),
            ));
        }
        return Ok(StageOutcome::skipped(
            "smoke",
            "no base URL (--base-url, SHIPGATE_BASE_URL or [smoke].base_url)",
        ));
    };
    let redactor = Redactor::default();
    let placeholder = Ctx {
        client: reqwest::Client::new(),
        tls: Arc::new(
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|e| usage(e.to_string()))?
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        ),
        base: String::new(),
        vars: Mutex::new(HashMap::new()),
        redactor: redactor.clone(),
        deadline: Instant::now(),
        timeout: Duration::from_secs(10),
        config_path: String::new(),
        expect_version: None,
        production: false,
        allow_mutation: false,
    };
    let base = match expand(&raw, &placeholder) {
        Ok(b) => b,
        Err(e) if req.required => return Err(usage(format!("base URL: {e}"))),
        Err(e) => return Ok(StageOutcome::skipped("smoke", format!("base URL: {e}"))),
    };
    let base = base.trim_end_matches('/').to_string();
    if reqwest::Url::parse(&base)
        .map(|u| !matches!(u.scheme(), "http" | "https"))
        .unwrap_or(true)
    {
        return Err(usage(format!(
            "base URL `{}` is not an http(s) URL",
            shown_url(&base)
        )));
    }
    let timeout = sc.timeout.unwrap_or(Duration::from_secs(10));
    let insecure = req.insecure || sc.insecure;
    let ca = req
        .ca_file
        .clone()
        .or_else(|| sc.ca_file.as_ref().map(|c| root.join(c)));
    let client = http::client(&http::ClientOptions {
        timeout,
        insecure,
        ca_file: ca.clone(),
    })
    .map_err(usage)?;
    let tls = tls_config(insecure, ca.as_deref()).map_err(usage)?;
    let wait = req.wait.or(sc.wait).unwrap_or(Duration::ZERO);
    let config_path = match &config.path {
        Some(p) => p
            .strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/"),
        None => config.display.clone(),
    };
    let ctx = Ctx {
        client,
        tls,
        base,
        vars: Mutex::new(HashMap::new()),
        redactor,
        deadline: Instant::now() + wait,
        timeout,
        config_path,
        expect_version: req
            .expect_version
            .clone()
            .or_else(|| {
                sc.expect_version
                    .as_ref()
                    .and_then(|e| expand(e, &placeholder).ok())
            })
            .or_else(|| std::env::var("GITHUB_SHA").ok().filter(|s| !s.is_empty())),
        production: sc.production,
        allow_mutation: sc.allow_mutation,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| usage(e.to_string()))?;
    let stage_timeout = sc
        .stage_timeout
        .unwrap_or(Duration::from_secs(600))
        .max(wait + Duration::from_secs(30));
    let concurrency = sc.concurrency.unwrap_or(64);
    let result = rt.block_on(async {
        tokio::time::timeout(stage_timeout, async {
            let mut problem = None;
            let mut note = Vec::new();
            if !wait.is_zero() {
                match wait_ready(&ctx, &sc.checks).await {
                    Ok(tries) if tries > 1 => note.push(format!("ready after {tries} tries")),
                    Ok(_) => {}
                    Err(e) => problem = Some(ctx.redactor.clean(&e)),
                }
            }
            if problem.is_some() {
                return (Vec::new(), Vec::new(), problem);
            }
            if sc.checks.is_empty() {
                let (c, f) = probe_defaults(&ctx).await;
                return (c, f, None);
            }
            let (c, f) = run_configured(&ctx, &sc.checks, concurrency).await;
            (c, f, None)
        })
        .await
    });
    let (checks, findings, problem) = match result {
        Ok(r) => r,
        Err(_) => (
            Vec::new(),
            Vec::new(),
            Some(format!(
                "the smoke stage did not finish within {}s",
                stage_timeout.as_secs()
            )),
        ),
    };
    let mut stage = StageOutcome::completed(
        "smoke",
        findings,
        problem,
        fail_on,
        started.elapsed().as_millis() as u64,
    );
    stage.stats.insert("checks".into(), checks.len() as u64);
    stage.stats.insert(
        "checks_passed".into(),
        checks.iter().filter(|c| c.status == "passed").count() as u64,
    );
    stage.stats.insert(
        "checks_failed".into(),
        checks.iter().filter(|c| c.status == "failed").count() as u64,
    );
    stage.checks = checks;
    Ok(stage)
}

async fn run_configured(
    ctx: &Ctx,
    specs: &[CheckSpec],
    concurrency: usize,
) -> (Vec<CheckResult>, Vec<Finding>) {
    let mut done: HashMap<String, &'static str> = HashMap::new();
    let mut results: Vec<Option<(CheckResult, Vec<Finding>)>> =
        (0..specs.len()).map(|_| None).collect();
    let sem = tokio::sync::Semaphore::new(concurrency.max(1));
    // Waves: every check whose dependencies are done runs in the next wave.
    for _ in 0..=specs.len() {
        let wave: Vec<usize> = (0..specs.len())
            .filter(|&i| {
                results[i].is_none() && specs[i].depends_on.iter().all(|d| done.contains_key(d))
            })
            .collect();
        if wave.is_empty() {
            break;
        }
        let runs = wave.iter().map(|&i| {
            let spec = &specs[i];
            let failed_dep = spec
                .depends_on
                .iter()
                .find(|d| done.get(*d) != Some(&"passed"))
                .cloned();
            let sem = &sem;
            async move {
                if let Some(dep) = failed_dep {
                    return (
                        i,
                        Outcome {
                            status: "skipped",
                            duration: Duration::ZERO,
                            retries: 0,
                            problems: vec![],
                            note: Some(format!("skipped: `{dep}` did not pass")),
                        },
                    );
                }
                let _permit = sem.acquire().await;
                (i, run_check(spec, ctx).await)
            }
        });
        for (i, out) in futures_util::future::join_all(runs).await {
            let spec = &specs[i];
            done.insert(spec.name.clone(), out.status);
            let loc = Location::span(ctx.config_path.clone(), (spec.line, 1), (spec.line, 1));
            let findings: Vec<Finding> = out
                .problems
                .iter()
                .map(|p| {
                    let msg = ctx.redactor.clean(&format!(
                        "{} ({}): {}",
                        spec.name,
                        spec.kind.as_str(),
                        p.message
                    ));
                    finding(
                        p.rule,
                        p.severity,
                        msg,
                        loc.clone(),
                        help_for(p.rule),
                        &format!("{}:{}", spec.name, p.rule),
                    )
                })
                .collect();
            let mut message = out.problems.first().map(|p| ctx.redactor.clean(&p.message));
            if out.status == "passed" && out.retries > 0 {
                message = Some(format!("passed after {} retries", out.retries));
            }
            if let Some(n) = &out.note {
                message = Some(match message {
                    Some(m) => format!("{m}; {n}"),
                    None => n.clone(),
                });
            }
            results[i] = Some((
                CheckResult {
                    name: spec.name.clone(),
                    status: out.status.into(),
                    duration_ms: out.duration.as_millis() as u64,
                    message,
                },
                findings,
            ));
        }
    }
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some((c, mut f)) => {
                checks.push(c);
                findings.append(&mut f);
            }
            None => checks.push(CheckResult {
                name: specs[i].name.clone(),
                status: "skipped".into(),
                duration_ms: 0,
                message: Some("dependency cycle".into()),
            }),
        }
    }
    (checks, findings)
}

fn help_for(rule: &str) -> &'static str {
    match rule {
        "smoke/auth-open" => {
            "Require authentication on this route (guard, middleware or policy) before the deploy goes live; this is a security failure."
        }
        "smoke/webhook-unverified" => {
            "Verify the signature (and timestamp tolerance) of every webhook before acting on it, e.g. stripe.webhooks.constructEvent with the raw body."
        }
        "smoke/unreachable" => {
            "Check that the deploy finished and the base URL is right; --wait waits for it with backoff."
        }
        "smoke/mutation-refused" => {
            "Mutating checks do not run against a base URL marked production unless `allow_mutation = true`."
        }
        "smoke/socketio" => {
            "Check the namespace name, auth middleware and sticky sessions (or use the websocket transport only) on the socket.io server."
        }
        _ => "",
    }
}
