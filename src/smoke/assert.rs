//! Assertions on a response (status, headers, body, JSON) and captures.

use super::http::Resp;
use super::request::snippet;
use super::{Ctx, Problem, problem};
use crate::smoke::config::{CheckSpec, StatusSpec};
use serde_json::Value;

/// Checks a response against the spec's expectations.
pub fn expectations(
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
    headers(spec, r, &mut p);
    let text = r.text();
    body(spec, &text, ctx, &mut p);
    json(spec, r, &text, ctx, &mut p);
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

fn headers(spec: &CheckSpec, r: &Resp, p: &mut Vec<Problem>) {
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
}

fn body(spec: &CheckSpec, text: &str, ctx: &Ctx, p: &mut Vec<Problem>) {
    for c in &spec.body_contains {
        if !text.contains(c.as_str()) {
            p.push(problem(
                "smoke/body",
                format!(
                    "body does not contain `{c}` (body: {})",
                    ctx.redactor.redact(&snippet(text))
                ),
            ));
        }
    }
    if let Some(re) = &spec.body_regex
        && let Ok(re) = regex::Regex::new(re)
        && !re.is_match(text)
    {
        p.push(problem("smoke/body", format!("body does not match `{re}`")));
    }
}

fn json(spec: &CheckSpec, r: &Resp, text: &str, ctx: &Ctx, p: &mut Vec<Problem>) {
    if spec.json_equals.is_empty() && spec.json_exists.is_empty() && spec.json_matches.is_empty() {
        return;
    }
    let json = match serde_json::from_slice::<Value>(&r.body) {
        Ok(j) => j,
        Err(e) => {
            p.push(problem(
                "smoke/json",
                format!(
                    "body is not valid JSON ({e}): {}",
                    ctx.redactor.redact(&snippet(text))
                ),
            ));
            return;
        }
    };
    for (ptr, want) in &spec.json_equals {
        match json.pointer(ptr) {
            Some(v) if v == want => {}
            Some(v) => p.push(problem(
                "smoke/json",
                format!(
                    "`{ptr}` is {}, expected {want}",
                    ctx.redactor.redact(&v.to_string())
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

/// Captures values for later checks (`${name}`); secrets are masked.
pub fn capture(spec: &CheckSpec, r: &Resp, ctx: &Ctx, secret: bool) -> Vec<Problem> {
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
                    || crate::secrets::looks_secret(&var.to_ascii_uppercase())
                    || var.contains("token")
                {
                    ctx.redactor.add(&v);
                }
                if let Ok(mut vars) = ctx.captured.lock() {
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
