//! URLs and paths a runbook lists as health/smoke/verification endpoints.

use std::sync::OnceLock;

use super::super::doc::Loaded;
use super::super::{EndpointMention, LineKind};
use super::col_in;
use super::curl::curl_endpoints;
use super::sections::{any_lower_word, in_ranges, is_endpoint_heading, section_ranges};

/// Path segment words that make an endpoint health-like.
const HEALTH_WORDS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "ping",
    "status",
    "heartbeat",
];

/// Endpoints under health/smoke/post-deploy/verification/endpoint headings, and
/// health-like paths anywhere.
pub(in super::super) fn endpoints(d: &Loaded) -> Vec<EndpointMention> {
    let ranges = section_ranges(d, is_endpoint_heading);
    // Lines to look at: every line of an endpoint section, plus lines elsewhere where a
    // `/` is followed by a health-like word (the only endpoints reported outside sections).
    let mut lines: Vec<(usize, bool)> = ranges
        .iter()
        .flat_map(|&(a, b)| (a..=b).map(|l| (l, true)))
        .collect();
    let b = d.text.as_bytes();
    let mut last = 0;
    for p in memchr::memchr_iter(b'/', b) {
        let rest = &b[p + 1..b.len().min(p + 12)];
        let first = rest.first().map(u8::to_ascii_lowercase);
        if !matches!(first, Some(b'h' | b'r' | b'l' | b'p' | b's' | b'u')) {
            continue;
        }
        let hit = HEALTH_WORDS.iter().any(|w| {
            rest.get(..w.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()))
        }) || rest.get(..2).is_some_and(|x| x.eq_ignore_ascii_case(b"up"));
        if hit {
            let ln = d.line_starts.partition_point(|&s| s <= p);
            if ln != last && !in_ranges(&ranges, ln) {
                lines.push((ln, false));
            }
            last = ln;
        }
    }
    lines.sort_unstable();
    let mut out = Vec::new();
    for (ln, active) in lines {
        let Some(info) = d.doc.lines.get(ln.wrapping_sub(1)) else {
            continue;
        };
        let code = matches!(info.kind, LineKind::Code);
        if !code && !matches!(info.kind, LineKind::Text | LineKind::TableRow) {
            continue;
        }
        let line = d.line_text(ln);
        if !line.contains('/') {
            continue;
        }
        let mut found = line_endpoints(line, code);
        found.sort_by_key(|e| (e.0, e.1.is_none()));
        found.dedup_by(|a, b| a.0 == b.0);
        for (byte, method, url) in found {
            if active || health_like(&url) {
                out.push(EndpointMention {
                    path: d.path.to_string(),
                    line: ln,
                    column: col_in(line, byte, 1),
                    method,
                    url_or_path: url,
                });
            }
        }
    }
    out
}

/// An endpoint found on a line: (byte offset, explicit method, URL or path).
pub(super) type Found = (usize, Option<String>, String);

/// Stops a URL/path token (whitespace, quotes, brackets, table pipes).
fn url_stop(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'`' | b'\'' | b'"' | b'<' | b'>' | b')' | b']' | b'|')
}

/// Endpoints on one line: curl targets, `METHOD /path`, bare URLs and, outside code,
/// `/path` tokens.
fn line_endpoints(line: &str, code: bool) -> Vec<Found> {
    let b = line.as_bytes();
    let mut found = Vec::new();
    static CURL: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    if CURL
        .get_or_init(|| memchr::memmem::Finder::new("curl"))
        .find(b)
        .is_some()
    {
        curl_endpoints(line, &mut found);
    }
    method_endpoints(line, &mut found);
    bare_urls(line, &mut found);
    if !code {
        prose_paths(line, &mut found);
    }
    found
}

/// `GET /path`, `POST https://…` (only lines with an ASCII capital can have one).
fn method_endpoints(line: &str, found: &mut Vec<Found>) {
    const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    static FINDERS: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        METHODS
            .iter()
            .map(|m| memchr::memmem::Finder::new(m.as_bytes()))
            .collect()
    });
    let b = line.as_bytes();
    let has_upper = b.iter().any(u8::is_ascii_uppercase);
    for (m, finder) in METHODS.iter().zip(finders.iter()).filter(|_| has_upper) {
        for p in finder.find_iter(b) {
            let word_start = p == 0 || !b[p - 1].is_ascii_alphanumeric();
            let mut q = p + m.len();
            let ws = b[q..]
                .iter()
                .take_while(|c| **c == b' ' || **c == b'\t')
                .count();
            q += ws;
            let rest = &b[q..];
            if word_start
                && ws > 0
                && (rest.starts_with(b"/")
                    || rest.starts_with(b"http://")
                    || rest.starts_with(b"https://"))
            {
                let end = q + rest
                    .iter()
                    .position(|&c| url_stop(c) || c == b',')
                    .unwrap_or(rest.len());
                push_found(
                    found,
                    q,
                    Some(m.to_string()),
                    line.get(q..end).unwrap_or(""),
                );
            }
        }
    }
}

/// Bare `http(s)://` URLs (not Markdown link destinations or `href` values).
fn bare_urls(line: &str, found: &mut Vec<Found>) {
    let b = line.as_bytes();
    for p in memchr::memchr_iter(b':', b) {
        if !b[p..].starts_with(b"://") {
            continue;
        }
        let start = if p >= 5 && b[p - 5..p].eq_ignore_ascii_case(b"https") {
            p - 5
        } else if p >= 4 && b[p - 4..p].eq_ignore_ascii_case(b"http") {
            p - 4
        } else {
            continue;
        };
        let pre = &line[..start];
        if pre.ends_with("](") || pre.ends_with("href=") || pre.ends_with("href=\"") {
            continue;
        }
        let end = p + b[p..]
            .iter()
            .position(|&c| url_stop(c))
            .unwrap_or(b.len() - p);
        push_found(found, start, None, line.get(start..end).unwrap_or(""));
    }
}

/// `/path` tokens in prose, list items and table cells.
fn prose_paths(line: &str, found: &mut Vec<Found>) {
    let b = line.as_bytes();
    for p in memchr::memchr_iter(b'/', b) {
        let prev_ok = p == 0 || matches!(b[p - 1], b' ' | b'\t' | b'(' | b'`' | b'|');
        let next_ok = b
            .get(p + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !prev_ok || !next_ok || line[..p].ends_with("](") {
            continue;
        }
        let len = b[p..]
            .iter()
            .take_while(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'.' | b'_' | b'~' | b':' | b'@' | b'%' | b'/' | b'{' | b'}' | b'-'
                    )
            })
            .count();
        let tok = line.get(p..p + len).unwrap_or("");
        if !is_file_like(tok) {
            push_found(found, p, None, tok);
        }
    }
}

/// Records `raw` with trailing punctuation trimmed (empty, host-less and `/` dropped).
pub(super) fn push_found(found: &mut Vec<Found>, byte: usize, method: Option<String>, raw: &str) {
    let url = raw.trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"', '`']);
    let host_ok = url
        .split_once("://")
        .is_none_or(|(_, rest)| !rest.is_empty());
    if !url.is_empty() && host_ok && url != "/" {
        found.push((byte, method, url.to_string()));
    }
}

/// File paths (`/etc/…`, `…/x.sh`) that are not endpoints.
fn is_file_like(p: &str) -> bool {
    let ext = p
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "md" | "sh"
            | "js"
            | "ts"
            | "mjs"
            | "cjs"
            | "yml"
            | "yaml"
            | "conf"
            | "log"
            | "sql"
            | "env"
            | "toml"
            | "py"
    ) || p.starts_with("/etc/")
        || p.starts_with("/var/")
        || p.starts_with("/usr/")
        || p.starts_with("/tmp/")
        || p.starts_with("/home/")
        || p.starts_with("/opt/")
        || p.starts_with("/dev/")
}

/// The path names a health/readiness/liveness/ping/status endpoint.
fn health_like(url: &str) -> bool {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |p| &rest[p..]));
    any_lower_word(path, |w| HEALTH_WORDS.iter().any(|h| h.as_bytes() == w))
        || path.trim_end_matches('/').ends_with("/up")
}
