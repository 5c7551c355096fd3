//! The one GitHub API client: a thin blocking reqwest client (bearer token,
//! `Accept: application/vnd.github+json`, API version header, timeouts) with
//! our retry policy. The token is never logged or printed. It is `Sync`: the
//! org planner shares one client between its workers.

use crate::error::{Error, Result};
use crate::retry::Backoff;
use serde_json::Value;
use std::time::Duration;

/// Where and as whom to talk to GitHub (read from the environment by the CLI).
#[derive(Clone)]
pub struct GitHubConfig {
    /// API base URL (`GITHUB_API_URL`, default `https://api.github.com`).
    pub api_url: String,
    /// Token (`GITHUB_TOKEN` or `GH_TOKEN`).
    pub token: String,
}

impl std::fmt::Debug for GitHubConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHubConfig")
            .field("api_url", &self.api_url)
            .field("token", &"***")
            .finish()
    }
}

/// How requests are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in total (first try included).
    pub attempts: u32,
    /// First backoff; doubles each time, with up to 50% jitter.
    pub base: Duration,
    /// Longest wait honoured for `retry-after` / `x-ratelimit-reset`.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// HTTP methods we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET (idempotent).
    Get,
    /// POST (creates: never retried blindly).
    Post,
    /// PATCH (idempotent for our updates).
    Patch,
    /// PUT (idempotent).
    Put,
    /// DELETE (idempotent).
    Delete,
}

impl Method {
    fn idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
    fn reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A response: status, the headers we care about, JSON body (or `Null`).
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Parsed body.
    pub body: Value,
    /// `retry-after` seconds.
    pub retry_after: Option<u64>,
    /// `x-ratelimit-remaining`.
    pub ratelimit_remaining: Option<u64>,
    /// `x-ratelimit-reset` (epoch seconds).
    pub ratelimit_reset: Option<u64>,
    /// The `Link` header has `rel="next"` (more pages).
    pub has_next: bool,
}

impl Response {
    /// The API's error message, if any.
    pub fn message(&self) -> String {
        self.body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }

    /// A 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn rate_limited(&self) -> bool {
        self.status == 429
            || (self.status == 403
                && (self.retry_after.is_some()
                    || self.ratelimit_remaining == Some(0)
                    || self.message().to_ascii_lowercase().contains("rate limit")))
    }
}

/// Why a request failed for good.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// Could not reach the API, or the answer was lost (after retries where allowed).
    #[error("cannot reach the GitHub API: {0}")]
    Transport(String),
    /// Rate limited longer than we are willing to wait.
    #[error("GitHub API rate limit: {0}")]
    RateLimited(String),
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Incomplete(e.to_string())
    }
}

/// A blocking client, shareable between threads.
pub struct Client {
    http: reqwest::blocking::Client,
    api: String,
    token: String,
    policy: RetryPolicy,
}

impl Client {
    /// Builds a client.
    pub fn new(cfg: &GitHubConfig, policy: RetryPolicy) -> Result<Self> {
        let api = cfg.api_url.trim_end_matches('/').to_string();
        let ok = reqwest::Url::parse(&api).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(Error::usage(format!(
                "GITHUB_API_URL `{}` is not an http(s) URL",
                cfg.api_url
            )));
        }
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::incomplete(format!("cannot build the GitHub client: {e}")))?;
        Ok(Client {
            http,
            api,
            token: cfg.token.clone(),
            policy,
        })
    }

    fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Response, String> {
        let mut rb = self
            .http
            .request(method.reqwest(), format!("{}{path}", self.api))
            .bearer_auth(&self.token)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28");
        if let Some(b) = body {
            rb = rb
                .header("content-type", "application/json")
                .body(serde_json::to_vec(b).unwrap_or_default());
        }
        let res = rb.send().map_err(|e| describe(&e))?;
        let status = res.status().as_u16();
        let header = |name: &str| -> Option<u64> {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
        };
        let retry_after = header("retry-after");
        let ratelimit_remaining = header("x-ratelimit-remaining");
        let ratelimit_reset = header("x-ratelimit-reset");
        let has_next = res
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.contains("rel=\"next\""));
        let text = res.text().map_err(|e| describe(&e))?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Response {
            status,
            body,
            retry_after,
            ratelimit_remaining,
            ratelimit_reset,
            has_next,
        })
    }

    /// Sends a request with the retry policy: transport errors and 5xx are
    /// retried for idempotent methods only; rate limits (403/429 with
    /// `retry-after` or an exhausted `x-ratelimit-remaining`) are waited out
    /// for any method, since GitHub did not process those requests.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Response, ApiError> {
        self.send(method, path, body, method.idempotent())
    }

    /// Like [`Client::request`], but a lost answer (transport error, 5xx) is
    /// never retried: for writes GitHub may have applied (appended annotations).
    /// Rate limits are still waited out: GitHub did not process those.
    pub fn request_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Response, ApiError> {
        self.send(method, path, body, false)
    }

    fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        retry_lost: bool,
    ) -> std::result::Result<Response, ApiError> {
        let backoff = Backoff {
            base: self.policy.base,
            max: self.policy.max_wait,
        };
        for attempt in 1..=self.policy.attempts.max(1) {
            let last = attempt >= self.policy.attempts;
            let wait = backoff.delay(attempt);
            match self.send_once(method, path, body) {
                Err(e) if retry_lost && !last => {
                    eprintln!(
                        "shipgate: {} {path}: {e}; retrying in {:.1}s",
                        method.as_str(),
                        wait.as_secs_f64()
                    );
                    std::thread::sleep(wait);
                }
                Err(e) => return Err(ApiError::Transport(e)),
                Ok(r) if r.status >= 500 && retry_lost && !last => {
                    eprintln!(
                        "shipgate: {} {path}: HTTP {}; retrying in {:.1}s",
                        method.as_str(),
                        r.status,
                        wait.as_secs_f64()
                    );
                    std::thread::sleep(wait);
                }
                Ok(r) if r.rate_limited() && !last => {
                    let wait = match (r.retry_after, r.ratelimit_reset) {
                        (Some(s), _) => Duration::from_secs(s),
                        (None, Some(reset)) => {
                            let now = std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .map_or(0, |d| d.as_secs());
                            Duration::from_secs(reset.saturating_sub(now).saturating_add(1))
                        }
                        (None, None) => wait.max(Duration::from_secs(60)),
                    };
                    if wait > self.policy.max_wait {
                        return Err(ApiError::RateLimited(format!(
                            "{} {path} must wait {}s, longer than the {}s shipgate waits",
                            method.as_str(),
                            wait.as_secs(),
                            self.policy.max_wait.as_secs()
                        )));
                    }
                    eprintln!(
                        "shipgate: {} {path}: rate limited; waiting {}s as GitHub asks",
                        method.as_str(),
                        wait.as_secs()
                    );
                    std::thread::sleep(wait);
                }
                Ok(r) => return Ok(r),
            }
        }
        Err(ApiError::Transport(format!(
            "{} {path}: no attempt made",
            method.as_str()
        )))
    }
}

/// A transport error in words, without anything that could hold the token.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "the request timed out (GitHub may still have processed it)"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the connection closed while reading the answer"
    } else {
        "the request failed"
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = src {
        detail = s.to_string();
        src = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}
