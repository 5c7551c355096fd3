//! Building requests from check specs: `${VAR}` expansion (every value
//! substituted into a header, query or body is masked in all output), URLs,
//! and how URLs and bodies are shown.

use super::Ctx;
use super::http::Req;
use crate::smoke::config::CheckSpec;
use serde_json::Value;

/// Expands `${NAME}` from earlier captures, then the environment. Every
/// substituted value is learnt by the redactor when `always_secret` (headers,
/// queries, bodies, messages), else only when the name looks secret (paths).
fn substitute(s: &str, ctx: &Ctx, always_secret: bool) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed `${{` in `{s}`"))?;
        let name = &after[..end];
        let captured = ctx.captured.lock().ok().and_then(|v| v.get(name).cloned());
        let value = match captured.or_else(|| ctx.env.get(name).cloned()) {
            Some(v) => v,
            None => {
                return Err(format!(
                    "`${{{name}}}` is not set (no earlier capture or environment variable)"
                ));
            }
        };
        if always_secret || crate::secrets::looks_secret(name) {
            ctx.redactor.add(&value);
        }
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Expands a header, query, body or message value (substitutions are masked).
pub fn expand(s: &str, ctx: &Ctx) -> Result<String, String> {
    substitute(s, ctx, true)
}

/// Expands a path or URL (substitutions are masked when their name looks secret;
/// URL userinfo is always masked by the redaction policy).
pub fn expand_path(s: &str, ctx: &Ctx) -> Result<String, String> {
    substitute(s, ctx, false)
}

/// Expands every string in a JSON value.
pub fn expand_json(v: &Value, ctx: &Ctx) -> Result<Value, String> {
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

/// The full URL of a check (base + path, or `url`), with its query.
fn url_for(spec: &CheckSpec, ctx: &Ctx, default_path: &str) -> Result<String, String> {
    let mut url = match (&spec.url, &spec.path) {
        (Some(u), _) => expand_path(u, ctx)?,
        (None, Some(p)) => format!("{}{}", ctx.base, expand_path(p, ctx)?),
        (None, None) => format!("{}{default_path}", ctx.base),
    };
    if !spec.query.is_empty() {
        let q: Vec<String> = spec
            .query
            .iter()
            .map(|(k, v)| {
                let encoded = crate::encode::percent(&expand(v, ctx)?, false);
                // The value appears encoded in the request line: mask that form too.
                if v.contains("${") {
                    ctx.redactor.add(&encoded);
                }
                Ok(format!("{}={encoded}", crate::encode::percent(k, false)))
            })
            .collect::<Result<_, String>>()?;
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&q.join("&"));
    }
    Ok(url)
}

/// The request a spec describes (method, URL, headers, body), secrets noted.
pub fn build_req(
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
            for part in v.split_whitespace().skip(1) {
                ctx.redactor.add(part);
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

pub fn shown_url(u: &str) -> String {
    // Never show credentials in a URL.
    match (u.find("://"), u.find('@')) {
        (Some(s), Some(at)) if at > s && !u[s + 3..at].contains('/') => {
            format!("{}{}", &u[..s + 3], &u[at + 1..])
        }
        _ => u.to_string(),
    }
}

pub fn snippet(body: &str) -> String {
    let t: String = body.chars().take(200).collect();
    let t = t.replace(['\n', '\r'], " ");
    if body.chars().count() > 200 {
        format!("{t}…")
    } else {
        t
    }
}
