//! No checks configured: probe the usual health endpoints; and waiting for a
//! deploy to become ready.

use super::health;
use super::http::{self, Req, Resp};
use super::request::{build_req, shown_url};
use super::{Ctx, DEFAULT_PROBES, finding};
use crate::model::{CheckResult, CheckStatus, Finding, Location};
use crate::smoke::config::{CheckKind, CheckSpec};
use std::time::{Duration, Instant};

/// Why a health answer is not healthy (status or body), `None` when it is.
pub fn judge(r: &Resp) -> Option<String> {
    let reading = health::read(r.header("content-type"), &r.body);
    if !(200..300).contains(&r.status) {
        return Some(match health::unhealthy(&reading) {
            Some(why) => format!("answered {}: {why}", r.status),
            None => format!("answered {}", r.status),
        });
    }
    health::unhealthy(&reading).map(|why| format!("answered {} but {why}", r.status))
}

fn get(ctx: &Ctx, path: &str) -> Req {
    Req {
        method: reqwest::Method::GET,
        url: format!("{}{path}", ctx.base),
        headers: vec![],
        body: None,
    }
}

/// The default: probe the usual health endpoints. A base URL where nothing
/// answers at all is a problem (the run is incomplete), not a failed check.
pub async fn probe_defaults(ctx: &Ctx) -> (Vec<CheckResult>, Vec<Finding>, Option<String>) {
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    let mut live_ok = false;
    let mut answered = 0;
    let mut existing = 0;
    let mut transport: Vec<String> = Vec::new();
    let futures = DEFAULT_PROBES.iter().map(|(path, ready)| async move {
        let started = Instant::now();
        let (r, _) = http::send(&ctx.client, &get(ctx, path), true, ctx.deadline).await;
        (*path, *ready, r, started.elapsed())
    });
    for (path, ready, r, took) in futures_util::future::join_all(futures).await {
        let url = format!("{}{path}", ctx.base);
        let (status, message) = match &r {
            Ok(resp) if resp.status == 404 || resp.status == 405 => {
                answered += 1;
                (
                    CheckStatus::Skipped,
                    Some(format!("{path} does not exist ({})", resp.status)),
                )
            }
            Ok(resp) => {
                answered += 1;
                existing += 1;
                match judge(resp) {
                    None => {
                        live_ok |= !ready;
                        (CheckStatus::Passed, None)
                    }
                    Some(why) => {
                        let down_body = (200..300).contains(&resp.status);
                        if ready || down_body {
                            findings.push(finding(
                                "smoke/health",
                                format!("GET {url} {why}"),
                                Location::Url { url: url.clone() },
                                &url,
                            ));
                        }
                        (CheckStatus::Failed, Some(why))
                    }
                }
            }
            Err(e) => {
                let e = ctx.redactor.redact(e).into_owned();
                if !transport.contains(&e) {
                    transport.push(e.clone());
                }
                (CheckStatus::Failed, Some(e))
            }
        };
        checks.push(CheckResult {
            name: format!("GET {path}"),
            status,
            duration_ms: took.as_millis() as u64,
            message,
        });
    }
    let probed = DEFAULT_PROBES
        .iter()
        .map(|p| p.0)
        .collect::<Vec<_>>()
        .join(", ");
    if answered == 0 {
        let why = format!(
            "no answer from {} on any of the usual health endpoints ({}): {}",
            ctx.base,
            probed,
            transport.join("; ")
        );
        return (checks, findings, Some(why));
    }
    if !live_ok {
        let why = if existing > 0 {
            "no liveness endpoint answered healthy".to_string()
        } else {
            "none of the usual health endpoints exists (every one answered 404 or 405)".to_string()
        };
        let more = if transport.is_empty() {
            String::new()
        } else {
            format!("; others failed: {}", transport.join("; "))
        };
        findings.push(finding(
            "smoke/health",
            format!("{why} at {} (probed {probed}){more}", ctx.base),
            Location::Url {
                url: ctx.base.clone(),
            },
            &ctx.base,
        ));
    }
    (checks, findings, None)
}

/// One readiness probe: whether it is ready, what it said, and the answer
/// (for `Retry-After`).
async fn probe_once(
    ctx: &Ctx,
    target: Option<&CheckSpec>,
) -> Result<(bool, String, Option<Resp>), String> {
    if let Some(spec) = target {
        let req = build_req(spec, ctx, "GET", "/health")?;
        return Ok(match http::send_once(&ctx.client, &req).await {
            Ok(x) => {
                let why = judge(&x);
                let what = format!(
                    "{} {}",
                    shown_url(&req.url),
                    why.as_deref().unwrap_or("answered healthy")
                );
                (why.is_none(), what, Some(x))
            }
            Err(e) => (false, format!("{}: {e}", shown_url(&req.url)), None),
        });
    }
    // Ready when a liveness endpoint passes and no readiness endpoint that exists fails.
    let mut live = false;
    let mut failing: Option<String> = None;
    let mut last = None;
    for (p, ready) in DEFAULT_PROBES {
        let req = get(ctx, p);
        match http::send_once(&ctx.client, &req).await {
            Ok(x) if x.status == 404 || x.status == 405 => {}
            Ok(x) => {
                match judge(&x) {
                    None => live |= !ready,
                    Some(why) => failing = Some(format!("{} {why}", req.url)),
                }
                last = Some(x);
            }
            Err(e) => {
                failing.get_or_insert_with(|| format!("{}: {e}", req.url));
            }
        }
    }
    let ok = live && failing.is_none();
    let what = failing.unwrap_or_else(|| format!("no liveness endpoint passed at {}", ctx.base));
    Ok((ok, what, last))
}

/// Waits until the readiness target answers healthy or the deadline passes;
/// honours `Retry-After`. Returns how it went, as a check.
pub async fn wait_ready(ctx: &Ctx, checks: &[CheckSpec]) -> Result<CheckResult, String> {
    let target = checks.iter().find(|c| c.kind == CheckKind::Health);
    let started = Instant::now();
    for tries in 1..=100_000u32 {
        let (ok, last, resp) = probe_once(ctx, target).await?;
        if ok {
            let took = started.elapsed();
            return Ok(CheckResult {
                name: "wait for the deploy".into(),
                status: CheckStatus::Passed,
                duration_ms: took.as_millis() as u64,
                message: Some(format!(
                    "ready after {tries} {} in {:.1}s",
                    if tries == 1 { "try" } else { "tries" },
                    took.as_secs_f64()
                )),
            });
        }
        let answer = resp.ok_or_else(String::new);
        let wait = http::backoff(tries, &answer).min(Duration::from_secs(10));
        let left = ctx.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!(
                "not ready after {tries} tries in {:.0}s (last: {})",
                started.elapsed().as_secs_f64(),
                ctx.redactor.redact(&last)
            ));
        }
        // The last try happens at the deadline.
        tokio::time::sleep(wait.min(left)).await;
    }
    Err("gave up waiting after 100000 tries".into())
}
