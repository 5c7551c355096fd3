//! The check kinds: http, health, auth-required, login/refresh, webhook,
//! version (websocket and socket.io live in `ws`).

use super::assert::{capture, expectations};
use super::http::{self, Req, Resp};
use super::request::{build_req, expand, expand_json, shown_url};
use super::{CheckRun, Checked, Ctx, Done, Problem, health, problem, signing, ws};
use crate::model::CheckStatus;
use crate::smoke::config::{CheckKind, CheckSpec, StatusSpec};
use serde_json::Value;
use std::time::{Duration, Instant};

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

/// Runs one check (refusing mutations against production).
pub async fn run_check(spec: &CheckSpec, ctx: &Ctx) -> CheckRun {
    let started = Instant::now();
    let mut out = CheckRun {
        status: CheckStatus::Passed,
        duration: Duration::ZERO,
        retries: 0,
        problems: Vec::new(),
        note: None,
    };
    if ctx.production && !ctx.allow_mutation && mutating(spec) {
        out.status = CheckStatus::Skipped;
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
        Ok(d) => {
            out.problems = d.problems;
            out.retries = d.retries;
            out.note = d.note;
        }
        Err(p) => out.problems.push(p),
    }
    if !out.problems.is_empty() {
        out.status = CheckStatus::Failed;
    }
    out.duration = started.elapsed();
    out
}

/// Sends the check's request (retried while waiting when it is safe to).
pub async fn fetch(
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

async fn http_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
    let (r, req) = fetch(spec, ctx, "GET", "/", "smoke/http").await?;
    let mut p = expectations(spec, &r, &StatusSpec::Range(200, 299), ctx);
    if p.is_empty() {
        p.extend(capture(spec, &r, ctx, false));
    }
    for x in &mut p {
        x.message = format!("{} {}: {}", req.method, shown_url(&req.url), x.message);
    }
    Ok(Done::new(p, r.retries, None))
}

async fn health_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
    let (r, req) = fetch(spec, ctx, "GET", "/health", "smoke/health").await?;
    let what = format!("GET {}", shown_url(&req.url));
    let mut p = expectations(spec, &r, &StatusSpec::Range(200, 299), ctx);
    let reading = health::read(r.header("content-type"), &r.body);
    let mut note = None;
    if p.is_empty()
        && let Some(why) = health::unhealthy(&reading)
    {
        p.push(problem(
            "smoke/health",
            format!("answered {} but {why}", r.status),
        ));
    }
    match &reading {
        health::Reading::Document(overall, components) => {
            if *overall == health::Health::Warn {
                note = Some("degraded (warn)".into());
            }
            for c in &spec.components {
                match components.get(c) {
                    Some(health::Health::Up) => {}
                    Some(h) => p.push(problem(
                        "smoke/health",
                        format!("component `{c}` is {}", h.word()),
                    )),
                    None => {
                        let known: Vec<&str> = components.keys().map(String::as_str).collect();
                        p.push(problem(
                            "smoke/health",
                            format!(
                                "component `{c}` is not reported (the body reports: {})",
                                if known.is_empty() {
                                    "no components".to_string()
                                } else {
                                    known.join(", ")
                                }
                            ),
                        ))
                    }
                }
            }
        }
        _ if !spec.components.is_empty() => {
            p.push(problem("smoke/health", format!("the body is not a recognised health document, so components {:?} cannot be checked", spec.components)));
        }
        _ => {}
    }
    for x in &mut p {
        x.message = format!("{what}: {}", x.message);
    }
    Ok(Done::new(p, r.retries, note))
}

async fn auth_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
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
    Ok(Done::new(p, r.retries, None))
}

async fn login_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
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
                if let Ok(mut v) = ctx.captured.lock() {
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
            if let Ok(mut v) = ctx.captured.lock() {
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
    Ok(Done::new(p, r.retries, None))
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn webhook_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
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
    Ok(Done::new(p, 0, None))
}

async fn version_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
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
            return Ok(Done::new(Vec::new(), polls - 1, None));
        }
        if Instant::now() + Duration::from_secs(2) >= ctx.deadline {
            return Ok(Done::new(
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
