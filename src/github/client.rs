//! The one GitHub API client: octocrab underneath (its blind retry is compiled
//! out), our own retry policy on top. The token is never logged or printed.

use octocrab::Octocrab;
use serde_json::Value;
use std::time::Duration;

/// Where and as whom to talk to GitHub.
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

impl GitHubConfig {
    /// From the environment; `None` without a token.
    pub fn from_env() -> Option<Self> {
        let token = ["GITHUB_TOKEN", "GH_TOKEN"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|t| !t.trim().is_empty()))?;
        let api_url = std::env::var("GITHUB_API_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "https://api.github.com".into());
        Some(GitHubConfig { api_url, token })
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
#[derive(Debug, Clone)]
pub enum ApiError {
    /// Could not reach the API (after retries where allowed).
    Transport(String),
    /// Rate limited longer than we are willing to wait.
    RateLimited(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Transport(m) => write!(f, "cannot reach the GitHub API: {m}"),
            ApiError::RateLimited(m) => write!(f, "GitHub API rate limit: {m}"),
        }
    }
}

/// A blocking client.
pub struct Client {
    octo: Octocrab,
    rt: tokio::runtime::Runtime,
    policy: RetryPolicy,
    jitter_state: std::cell::Cell<u64>,
}

impl Client {
    /// Builds a client.
    pub fn new(cfg: &GitHubConfig, policy: RetryPolicy) -> Result<Self, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
        let octo = rt.block_on(async {
            Octocrab::builder()
                .base_uri(cfg.api_url.as_str())
                .map_err(|_| format!("GITHUB_API_URL `{}` is not a valid URL", cfg.api_url))?
                .personal_token(cfg.token.clone())
                .set_connect_timeout(Some(Duration::from_secs(10)))
                .set_read_timeout(Some(Duration::from_secs(30)))
                .build()
                .map_err(|_| "cannot build the GitHub client".to_string())
        })?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1;
        Ok(Client {
            octo,
            rt,
            policy,
            jitter_state: std::cell::Cell::new(seed),
        })
    }

    fn jitter(&self, d: Duration) -> Duration {
        // xorshift: no dependency for a few random numbers
        let mut x = self.jitter_state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter_state.set(x);
        d + d.mul_f64((x % 1000) as f64 / 2000.0)
    }

    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, String> {
        let res = match method {
            Method::Get => self.octo._get(path).await,
            Method::Post => self.octo._post(path, body).await,
            Method::Patch => self.octo._patch(path, body).await,
            Method::Put => self.octo._put(path, body).await,
            Method::Delete => self.octo._delete(path, body).await,
        }
        .map_err(|e| transport_message(&e))?;
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
        let text = self
            .octo
            .body_to_string(res)
            .await
            .map_err(|e| transport_message(&e))?;
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
    /// `retry-after` or an exhausted `x-ratelimit-remaining`) are waited out for
    /// any method, since GitHub did not process those requests.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.policy.attempts;
            let backoff = self.jitter(self.policy.base * 2u32.pow(attempt - 1));
            match self.rt.block_on(self.send_once(method, path, body)) {
                Err(e) if method.idempotent() && !last => {
                    eprintln!(
                        "shipgate: {} {path}: {e}; retrying in {:.1}s",
                        method.as_str(),
                        backoff.as_secs_f64()
                    );
                    std::thread::sleep(backoff);
                }
                Err(e) => return Err(ApiError::Transport(e)),
                Ok(r) if r.status >= 500 && method.idempotent() && !last => {
                    eprintln!(
                        "shipgate: {} {path}: HTTP {}; retrying in {:.1}s",
                        method.as_str(),
                        r.status,
                        backoff.as_secs_f64()
                    );
                    std::thread::sleep(backoff);
                }
                Ok(r) if r.rate_limited() && !last => {
                    let wait = match (r.retry_after, r.ratelimit_reset) {
                        (Some(s), _) => Duration::from_secs(s),
                        (None, Some(reset)) => {
                            let now = std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .map_or(0, |d| d.as_secs());
                            Duration::from_secs(reset.saturating_sub(now) + 1)
                        }
                        (None, None) => backoff.max(Duration::from_secs(60)),
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
    }
}

/// A transport error's message without anything that could hold the token.
fn transport_message(e: &octocrab::Error) -> String {
    let s = e.to_string();
    // octocrab errors do not carry headers; keep the first line only.
    s.lines().next().unwrap_or("request failed").to_string()
}
