//! HTTP for smoke checks: one reqwest client (rustls), capped bodies, retries
//! with backoff for idempotent requests, `Retry-After` honoured.

use std::time::{Duration, Instant};

/// Largest body read from a response.
pub const BODY_CAP: usize = 1024 * 1024;

/// Builds the client on the shared TLS configuration.
pub fn client(timeout: Duration, tls: &rustls::ClientConfig) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION")))
        .use_preconfigured_tls(
            super::tls::with_alpn(tls, &[b"h2", b"http/1.1"])
                .as_ref()
                .clone(),
        )
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Req {
    /// Method.
    pub method: reqwest::Method,
    /// Full URL.
    pub url: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Option<Vec<u8>>,
}

/// A response with its body (at most [`BODY_CAP`] bytes).
#[derive(Debug, Clone)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Wall time of the successful attempt.
    pub duration: Duration,
    /// Attempts beyond the first.
    pub retries: u32,
}

impl Resp {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends once.
pub async fn send_once(client: &reqwest::Client, req: &Req) -> Result<Resp, String> {
    let started = Instant::now();
    let mut rb = client.request(req.method.clone(), &req.url);
    for (k, v) in &req.headers {
        rb = rb.header(k, v);
    }
    if let Some(b) = &req.body {
        rb = rb.body(b.clone());
    }
    let mut res = rb.send().await.map_err(describe)?;
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(describe)? {
        let room = BODY_CAP - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= BODY_CAP {
            break;
        }
    }
    Ok(Resp {
        status,
        headers,
        body,
        duration: started.elapsed(),
        retries: 0,
    })
}

/// A transport error in words (no URL credentials, no headers).
fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_redirect() {
        "too many redirects"
    } else if e.is_body() || e.is_decode() {
        "the connection closed while reading the body"
    } else {
        "request failed"
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
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

/// Whether an answer means "try again later".
pub fn transient(r: &Result<Resp, String>) -> bool {
    match r {
        Err(_) => true,
        Ok(r) => r.status >= 500 || r.status == 429,
    }
}

/// Backoff before retry `n` (1-based): 250ms·2ⁿ⁻¹ capped at 5s, with jitter;
/// or what `Retry-After` asks (capped at 60s).
pub fn backoff(n: u32, last: &Result<Resp, String>) -> Duration {
    if let Ok(r) = last
        && let Some(d) = crate::retry::retry_after(r.header("retry-after"), Duration::from_secs(60))
    {
        return d;
    }
    crate::retry::Backoff {
        base: Duration::from_millis(250),
        max: Duration::from_secs(5),
    }
    .delay(n)
}

/// Sends, retrying transient failures until `deadline` when `may_retry`.
pub async fn send(
    client: &reqwest::Client,
    req: &Req,
    may_retry: bool,
    deadline: Instant,
) -> (Result<Resp, String>, u32) {
    let mut retries = 0;
    loop {
        let r = send_once(client, req).await;
        if !(may_retry && transient(&r)) {
            return (
                r.map(|mut x| {
                    x.retries = retries;
                    x
                }),
                retries,
            );
        }
        let wait = backoff(retries + 1, &r);
        if Instant::now() + wait >= deadline || retries >= 1000 {
            return (
                r.map(|mut x| {
                    x.retries = retries;
                    x
                }),
                retries,
            );
        }
        tokio::time::sleep(wait).await;
        retries += 1;
    }
}
