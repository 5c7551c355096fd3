//! `[smoke]`: the base URL, waiting, and `[[smoke.checks]]`.

use crate::toml_doc::{Doc, Tbl, to_json};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::time::Duration;

/// Kinds of smoke checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// Any HTTP request with expectations.
    Http,
    /// A health endpoint in one of the known formats.
    Health,
    /// Must answer 401/403 without credentials.
    AuthRequired,
    /// POST credentials, capture a token.
    Login,
    /// Exchange a refresh token.
    Refresh,
    /// Plain WebSocket upgrade.
    Websocket,
    /// Engine.IO v4 handshake and namespace connect.
    Socketio,
    /// Signed webhook replay.
    Webhook,
    /// Deployed version must match.
    Version,
}

impl CheckKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "http" => CheckKind::Http,
            "health" => CheckKind::Health,
            "auth-required" => CheckKind::AuthRequired,
            "login" => CheckKind::Login,
            "refresh" => CheckKind::Refresh,
            "websocket" => CheckKind::Websocket,
            "socketio" => CheckKind::Socketio,
            "webhook" => CheckKind::Webhook,
            "version" => CheckKind::Version,
            _ => return None,
        })
    }

    /// Name as written in config.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Http => "http",
            CheckKind::Health => "health",
            CheckKind::AuthRequired => "auth-required",
            CheckKind::Login => "login",
            CheckKind::Refresh => "refresh",
            CheckKind::Websocket => "websocket",
            CheckKind::Socketio => "socketio",
            CheckKind::Webhook => "webhook",
            CheckKind::Version => "version",
        }
    }
}

/// Accepted statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusSpec {
    /// One of these.
    List(Vec<u16>),
    /// An inclusive range.
    Range(u16, u16),
}

impl StatusSpec {
    /// Whether `s` is accepted.
    pub fn accepts(&self, s: u16) -> bool {
        match self {
            StatusSpec::List(v) => v.contains(&s),
            StatusSpec::Range(a, b) => (*a..=*b).contains(&s),
        }
    }
}

impl std::fmt::Display for StatusSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusSpec::List(v) => {
                let s: Vec<String> = v.iter().map(u16::to_string).collect();
                f.write_str(&s.join(" or "))
            }
            StatusSpec::Range(a, b) => write!(f, "{a}-{b}"),
        }
    }
}

/// One `[[smoke.checks]]` entry.
#[derive(Debug, Clone)]
pub struct CheckSpec {
    /// Unique name (one JUnit testcase).
    pub name: String,
    /// What it does.
    pub kind: CheckKind,
    /// HTTP method.
    pub method: Option<String>,
    /// Path under the base URL.
    pub path: Option<String>,
    /// Absolute URL instead of a path.
    pub url: Option<String>,
    /// Request headers.
    pub headers: BTreeMap<String, String>,
    /// Query parameters.
    pub query: BTreeMap<String, String>,
    /// JSON body.
    pub json: Option<Json>,
    /// Raw body.
    pub body: Option<String>,
    /// Expected status.
    pub status: Option<StatusSpec>,
    /// Expected response headers (value substring).
    pub expect_headers: BTreeMap<String, String>,
    /// Substrings the body must contain.
    pub body_contains: Vec<String>,
    /// Regex the body must match.
    pub body_regex: Option<String>,
    /// JSON Pointer → expected value.
    pub json_equals: BTreeMap<String, Json>,
    /// JSON Pointers that must exist.
    pub json_exists: Vec<String>,
    /// JSON Pointer → regex on the value's text.
    pub json_matches: BTreeMap<String, String>,
    /// Slowest acceptable answer.
    pub max_duration: Option<Duration>,
    /// Expected content type (prefix).
    pub content_type: Option<String>,
    /// Variable → `json:/pointer` or `header:name`.
    pub capture: BTreeMap<String, String>,
    /// Checks that must run (and pass) first.
    pub depends_on: Vec<String>,
    /// Allow retrying a non-idempotent request while waiting.
    pub retry: bool,
    /// Health components that must be up.
    pub components: Vec<String>,
    /// Socket.IO namespace.
    pub namespace: Option<String>,
    /// Socket.IO transport: polling or websocket.
    pub transport: Option<String>,
    /// Socket.IO auth payload.
    pub auth: Option<Json>,
    /// WebSocket message to send.
    pub send: Option<String>,
    /// WebSocket message the server must send (substring).
    pub expect_message: Option<String>,
    /// Webhook signature scheme: stripe, github, standard.
    pub provider: Option<String>,
    /// Webhook signing secret.
    pub secret: Option<String>,
    /// Login/refresh: pointer of the token in the response.
    pub token_pointer: Option<String>,
    /// Version: header holding the release.
    pub header: Option<String>,
    /// Version: JSON pointer holding the release.
    pub pointer: Option<String>,
    /// Version: expected value (default `--expect-version`, then GITHUB_SHA).
    pub expected: Option<String>,
    /// Line of the entry in the config.
    pub line: usize,
}

/// `[smoke]`.
#[derive(Debug, Clone, Default)]
pub struct SmokeConfig {
    /// Base URL (may reference `${ENV}`).
    pub base_url: Option<String>,
    /// The base URL serves real users: mutating checks are refused unless `allow_mutation`.
    pub production: bool,
    /// Allow mutating checks against a production base URL.
    pub allow_mutation: bool,
    /// How long to wait for the deploy to be ready.
    pub wait: Option<Duration>,
    /// Per-request timeout.
    pub timeout: Option<Duration>,
    /// Whole-stage timeout.
    pub stage_timeout: Option<Duration>,
    /// Checks run concurrently at most.
    pub concurrency: Option<usize>,
    /// Skip TLS verification.
    pub insecure: bool,
    /// Extra CA certificate (PEM).
    pub ca_file: Option<String>,
    /// Expected deployed version.
    pub expect_version: Option<String>,
    /// Checks.
    pub checks: Vec<CheckSpec>,
}

fn string_map(doc: &mut Doc, t: &mut Tbl, key: &'static str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(mut m) = t.table(doc, key) {
        for (k, v) in m.drain() {
            match v.as_str() {
                Some(s) => {
                    out.insert(k.value, s.to_string());
                }
                None => match v.as_integer() {
                    Some(i) => {
                        out.insert(k.value, i.to_string());
                    }
                    None => doc.error(v.span, format!("`{key}.{}` must be a string", k.value)),
                },
            }
        }
        m.finish(doc, key);
    }
    out
}

fn json_map(doc: &mut Doc, t: &mut Tbl, key: &'static str) -> BTreeMap<String, Json> {
    let mut out = BTreeMap::new();
    if let Some(mut m) = t.table(doc, key) {
        for (k, v) in m.drain() {
            out.insert(k.value, to_json(&v));
        }
        m.finish(doc, key);
    }
    out
}

fn status(doc: &mut Doc, t: &mut Tbl) -> Option<StatusSpec> {
    let v = t.take("status")?;
    let bad =
        "`status` must be a code (200), a list ([200, 201]) or a range (\"2xx\", \"200-299\")";
    if let Some(i) = v.as_integer() {
        if (100..600).contains(&i) {
            return Some(StatusSpec::List(vec![i as u16]));
        }
    } else if let Some(a) = v.as_array() {
        let codes: Vec<u16> = a
            .iter()
            .filter_map(|x| x.as_integer())
            .filter(|i| (100..600).contains(i))
            .map(|i| i as u16)
            .collect();
        if codes.len() == a.len() && !codes.is_empty() {
            return Some(StatusSpec::List(codes));
        }
    } else if let Some(s) = v.as_str() {
        let s = s.trim();
        if s.len() == 3 && s.ends_with("xx") {
            if let Some(d) = s[..1].parse::<u16>().ok().filter(|d| (1..6).contains(d)) {
                return Some(StatusSpec::Range(d * 100, d * 100 + 99));
            }
        } else if let Some((a, b)) = s.split_once('-')
            && let (Ok(a), Ok(b)) = (a.trim().parse::<u16>(), b.trim().parse::<u16>())
            && a <= b
        {
            return Some(StatusSpec::Range(a, b));
        }
    }
    doc.error(v.span, bad);
    None
}

/// Parses `[smoke]`.
pub fn parse(doc: &mut Doc, mut t: Tbl) -> SmokeConfig {
    let mut c = SmokeConfig {
        base_url: t.string(doc, "base_url").map(|s| s.value),
        production: t.boolean(doc, "production").unwrap_or(false),
        allow_mutation: t.boolean(doc, "allow_mutation").unwrap_or(false),
        wait: doc.duration(&mut t, "wait"),
        timeout: doc.duration(&mut t, "timeout"),
        stage_timeout: doc.duration(&mut t, "stage_timeout"),
        insecure: t.boolean(doc, "insecure").unwrap_or(false),
        ca_file: t.string(doc, "ca_file").map(|s| s.value),
        expect_version: t.string(doc, "expect_version").map(|s| s.value),
        ..SmokeConfig::default()
    };
    if let Some(v) = t.take("concurrency") {
        match v.as_integer() {
            Some(i) if (1..=256).contains(&i) => c.concurrency = Some(i as usize),
            _ => doc.error(v.span, "`concurrency` must be between 1 and 256"),
        }
    }
    for mut ct in t.tables(doc, "checks") {
        let line = doc.line_of(ct.span);
        let name = ct.required_string(doc, "name");
        let kind = match ct.string(doc, "kind") {
            None => Some(CheckKind::Http),
            Some(k) => match CheckKind::parse(&k.value) {
                Some(kind) => Some(kind),
                None => {
                    doc.error(
                        k.span,
                        format!(
                            "unknown check kind `{}`; expected one of: http, health, auth-required, login, refresh, websocket, socketio, webhook, version",
                            k.value
                        ),
                    );
                    None
                }
            },
        };
        let s = |doc: &mut Doc, ct: &mut Tbl, k: &'static str| ct.string(doc, k).map(|x| x.value);
        let spec = CheckSpec {
            name: name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
            kind: kind.unwrap_or(CheckKind::Http),
            method: s(doc, &mut ct, "method").map(|m| m.to_ascii_uppercase()),
            path: s(doc, &mut ct, "path"),
            url: s(doc, &mut ct, "url"),
            headers: string_map(doc, &mut ct, "headers"),
            query: string_map(doc, &mut ct, "query"),
            json: ct.take("json").map(|v| to_json(&v)),
            body: s(doc, &mut ct, "body"),
            status: status(doc, &mut ct),
            expect_headers: string_map(doc, &mut ct, "expect_headers"),
            body_contains: ct
                .strings(doc, "body_contains")
                .into_iter()
                .map(|x| x.value)
                .collect(),
            body_regex: s(doc, &mut ct, "body_regex"),
            json_equals: json_map(doc, &mut ct, "json_equals"),
            json_exists: ct
                .strings(doc, "json_exists")
                .into_iter()
                .map(|x| x.value)
                .collect(),
            json_matches: string_map(doc, &mut ct, "json_matches"),
            max_duration: doc.duration(&mut ct, "max_duration"),
            content_type: s(doc, &mut ct, "content_type"),
            capture: string_map(doc, &mut ct, "capture"),
            depends_on: ct
                .strings(doc, "depends_on")
                .into_iter()
                .map(|x| x.value)
                .collect(),
            retry: ct.boolean(doc, "retry").unwrap_or(false),
            components: ct
                .strings(doc, "components")
                .into_iter()
                .map(|x| x.value)
                .collect(),
            namespace: s(doc, &mut ct, "namespace"),
            transport: s(doc, &mut ct, "transport"),
            auth: ct.take("auth").map(|v| to_json(&v)),
            send: s(doc, &mut ct, "send"),
            expect_message: s(doc, &mut ct, "expect_message"),
            provider: s(doc, &mut ct, "provider"),
            secret: s(doc, &mut ct, "secret"),
            token_pointer: s(doc, &mut ct, "token_pointer"),
            header: s(doc, &mut ct, "header"),
            pointer: s(doc, &mut ct, "pointer"),
            expected: s(doc, &mut ct, "expected"),
            line,
        };
        let at = ct.span;
        ct.finish(doc, "[[smoke.checks]]");
        validate(doc, &spec, at, &c.checks);
        if name.is_some() && kind.is_some() {
            c.checks.push(spec);
        }
    }
    t.finish(doc, "[smoke]");
    c
}

fn validate(doc: &mut Doc, s: &CheckSpec, at: toml_span::Span, earlier: &[CheckSpec]) {
    if earlier.iter().any(|e| e.name == s.name) && !s.name.is_empty() {
        doc.error(at, format!("a check named `{}` already exists", s.name));
    }
    if s.path.is_some() && s.url.is_some() {
        doc.error(
            at,
            format!("check `{}`: give `path` or `url`, not both", s.name),
        );
    }
    if s.json.is_some() && s.body.is_some() {
        doc.error(
            at,
            format!("check `{}`: give `json` or `body`, not both", s.name),
        );
    }
    if let Some(r) = &s.body_regex
        && regex::Regex::new(r).is_err()
    {
        doc.error(
            at,
            format!("check `{}`: `body_regex` is not a valid regex", s.name),
        );
    }
    for r in s.json_matches.values() {
        if regex::Regex::new(r).is_err() {
            doc.error(
                at,
                format!(
                    "check `{}`: `json_matches` has an invalid regex `{r}`",
                    s.name
                ),
            );
        }
    }
    for p in s
        .json_equals
        .keys()
        .chain(&s.json_exists)
        .chain(s.json_matches.keys())
    {
        if !p.is_empty() && !p.starts_with('/') {
            doc.error(
                at,
                format!(
                    "check `{}`: `{p}` is not a JSON Pointer (it must start with `/`)",
                    s.name
                ),
            );
        }
    }
    for (var, from) in &s.capture {
        if !(from.starts_with("json:/") || from.starts_with("header:")) {
            doc.error(
                at,
                format!(
                    "check `{}`: capture `{var}` must be `json:/pointer` or `header:name`",
                    s.name
                ),
            );
        }
    }
    for d in &s.depends_on {
        if !earlier.iter().any(|e| &e.name == d) {
            doc.error(
                at,
                format!(
                    "check `{}` depends on `{d}`, which is not defined before it",
                    s.name
                ),
            );
        }
    }
    validate_kind(doc, s, at);
}

/// What each check kind needs.
fn validate_kind(doc: &mut Doc, s: &CheckSpec, at: toml_span::Span) {
    match s.kind {
        CheckKind::Webhook => {
            if s.secret.is_none() {
                doc.error(
                    at,
                    format!(
                        "webhook check `{}` needs `secret` (e.g. \"${{STRIPE_WEBHOOK_SECRET}}\")",
                        s.name
                    ),
                );
            }
            if !matches!(
                s.provider.as_deref(),
                Some("stripe" | "github" | "standard")
            ) {
                doc.error(at, format!("webhook check `{}` needs `provider = \"stripe\" | \"github\" | \"standard\"`", s.name));
            }
        }
        CheckKind::Socketio => {
            if let Some(t) = &s.transport
                && !matches!(t.as_str(), "polling" | "websocket")
            {
                doc.error(
                    at,
                    format!(
                        "socketio check `{}`: transport must be polling or websocket",
                        s.name
                    ),
                );
            }
        }
        CheckKind::Version if s.header.is_none() && s.pointer.is_none() => {
            doc.error(
                at,
                format!("version check `{}` needs `header` or `pointer`", s.name),
            );
        }
        CheckKind::Login | CheckKind::Refresh if s.json.is_none() && s.body.is_none() => {
            doc.error(
                at,
                format!(
                    "{} check `{}` needs a `json` body with the credentials",
                    s.kind.as_str(),
                    s.name
                ),
            );
        }
        _ => {}
    }
}
