//! Endpoints called by the repository's own machinery (workflow `curl`s,
//! `[smoke]` checks, runbook health sections) that no route the code declares
//! can serve. External hosts are left alone: only URLs aimed at this app (a
//! templated host such as `${{ secrets.API_URL }}`, the smoke base URL's host,
//! a loopback host, or a bare path) are checked. Where routes are built at run
//! time the answer is a note, never a guess.

use super::rules;
use crate::ci::invocation::{Invocation, classify};
use crate::ci::shell::{ShellOptions, parse};
use crate::ci::workflow::Workflow;
use crate::model::{Finding, Location};
use crate::routes::{RouteTable, Serves, SourceFile};
use crate::smoke::config::SmokeConfig;
use std::sync::Arc;

/// An endpoint the repository calls, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Upper-case method, when known.
    pub method: Option<String>,
    /// A URL or a path.
    pub target: String,
    /// Where it is written.
    pub path: String,
    /// Line.
    pub line: usize,
    /// Column.
    pub column: usize,
}

/// The host of a URL (`None` for a bare path).
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(authority.split(':').next().unwrap_or(authority))
}

/// Whether a URL (or path) aims at this application.
pub fn ours(target: &str, base_host: Option<&str>) -> bool {
    match host(target) {
        // A bare path, or one behind a variable holding the deploy's URL.
        None => target.starts_with('/') || target.starts_with('$') || target.starts_with("{{"),
        Some(h) => {
            h.contains("${")
                || h.contains('$')
                || h.contains("{{")
                || base_host.is_some_and(|b| b.eq_ignore_ascii_case(h))
                || matches!(h, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]")
        }
    }
}

/// The host of the smoke base URL, when it is literal.
pub fn base_host(smoke: &SmokeConfig) -> Option<String> {
    smoke
        .base_url
        .as_deref()
        .and_then(host)
        .filter(|h| !h.contains('$'))
        .map(str::to_string)
}

/// Every endpoint the workflows and the smoke checks call that aims at this app.
pub fn mentions(workflows: &[Workflow], smoke: &SmokeConfig, config_file: &str) -> Vec<Mention> {
    let base_host = base_host(smoke);
    let mut out = Vec::new();
    for wf in workflows {
        for job in &wf.jobs {
            for step in &job.steps {
                let Some(run) = &step.run else { continue };
                for cmd in parse(&run.text, &run.map, &ShellOptions::github_default(None)) {
                    if let Invocation::Http {
                        method,
                        url,
                        line,
                        column,
                        ..
                    } = classify(&cmd)
                        && ours(&url, base_host.as_deref())
                    {
                        out.push(Mention {
                            method: Some(method),
                            target: url,
                            path: wf.path.clone(),
                            line,
                            column,
                        });
                    }
                }
            }
        }
    }
    for c in &smoke.checks {
        let target = match (&c.path, &c.url) {
            (Some(p), _) => p.clone(),
            (None, Some(u)) if ours(u, base_host.as_deref()) => u.clone(),
            _ => continue,
        };
        out.push(Mention {
            method: c.method.clone(),
            target,
            path: config_file.to_string(),
            line: c.line,
            column: 1,
        });
    }
    out
}

/// Whether a path is a JS/TS source file routes can be declared in.
fn source(path: &str) -> bool {
    const EXTS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"];
    EXTS.iter().any(|e| path.ends_with(e)) && !path.ends_with(".d.ts")
}

/// Whether a walked file may declare routes (its content is kept by the
/// walk for [`route_table`]): JS/TS source under a routing folder, or one that
/// mentions a router call, a decorator or a handler export.
pub fn route_candidate(rel: &str, bytes: &[u8]) -> bool {
    const NEEDLES: &[&[u8]] = &[
        b".get(",
        b".post(",
        b".put(",
        b".patch(",
        b".delete(",
        b".all(",
        b".use(",
        b".route(",
        b".register(",
        b".on(",
        b"Router",
        b"@Controller",
        b"@Get",
        b"@Post",
        b"createTerminus",
        b"setGlobalPrefix",
        b"function GET",
        b"const GET",
        b"serve(",
    ];
    if !source(rel) || rel.split('/').any(|s| s == "node_modules") {
        return false;
    }
    rel.starts_with("app/")
        || rel.contains("/app/")
        || rel.contains("pages/api/")
        || rel.contains("functions/")
        || NEEDLES
            .iter()
            .any(|n| memchr::memmem::find(bytes, n).is_some())
}

/// The routes the code among `files` (sorted) serves: from the contents the
/// walk kept, or read when the walk kept none.
pub fn route_table(
    files: &[String],
    kept: Option<&[crate::walk::Kept]>,
    serving: &(dyn Fn(&str) -> bool + Sync),
    read: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
) -> RouteTable {
    let texts: Vec<(String, Arc<Vec<u8>>)> = match kept {
        // Only files of the stage's list (`[integrity] exclude` applied; sorted).
        Some(k) => k
            .iter()
            .filter(|(p, _)| serving(p) && files.binary_search(p).is_ok())
            .cloned()
            .collect(),
        None => files
            .iter()
            .filter(|f| source(f) && serving(f))
            .filter_map(|f| read(f).map(|t| (f.clone(), Arc::new(t))))
            .collect(),
    };
    let sources: Vec<SourceFile> = texts
        .iter()
        .map(|(p, t)| SourceFile {
            path: p,
            text: t.as_slice(),
        })
        .collect();
    crate::routes::extract(&sources, &[])
}

/// The mentions no declared route serves (warnings), or that a run-time
/// route construct might serve (notes). A codebase with no routes at all is
/// not judged.
pub fn check(mentions: &[Mention], table: &RouteTable) -> Vec<Finding> {
    if table.routes.is_empty() && table.undecided.is_empty() {
        return Vec::new();
    }
    let index = table.index();
    let mut out = Vec::new();
    for m in mentions {
        let loc = Location::span(&m.path, (m.line, m.column), (m.line, m.column));
        let what = match &m.method {
            Some(method) => format!("{method} {}", m.target),
            None => m.target.clone(),
        };
        match index.serves(m.method.as_deref(), &m.target) {
            Serves::Yes(_) => {}
            Serves::No => out.push(Finding::of(
                &rules::UNSERVED_ENDPOINT,
                format!("{what}: no route in the code serves this path"),
                loc,
                &m.target,
            )),
            Serves::Undecided(why) => out.push(Finding::of(
                &rules::ROUTE_UNDECIDED,
                format!("{what}: cannot tell whether a route serves it ({why})"),
                loc,
                &m.target,
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_urls_aimed_at_this_app_are_checked() {
        assert!(ours(
            "https://${{ secrets.API_HOST }}/internal/gate-check",
            None
        ));
        assert!(ours("$API_URL/health", None));
        assert!(ours("/health", None));
        // shipgate:allow localhost/* -- unit-test data for the loopback check
        assert!(ours("http://localhost:3000/health", None));
        assert!(ours(
            "https://api.shop.example/health",
            Some("api.shop.example")
        ));
        assert!(!ours(
            "https://hooks.slack.com/services/x",
            Some("api.shop.example")
        ));
        assert!(!ours("https://api.github.com/repos/x", None));
        assert_eq!(host("https://u:p@h.example:8443/x"), Some("h.example"));
    }
}
