//! Deciding whether an inline code span names a file, and how sure we are.

use std::sync::OnceLock;

use regex::Regex;

use super::super::repo::{RepoIndex, Resolved, resolve};
use super::cached;
use super::names::{KNOWN_EXT, KNOWN_NAMES, NOT_FILES, REPO_FILES};
use super::targets::{is_placeholder, starts_ci};

/// How sure we are that a code span names a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strength {
    /// Known extension or existing top-level folder: report as a warning.
    Strong,
    /// Could be a URL route or a loose mention: report as a note.
    Weak,
}

/// A code span that names a file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Candidate {
    pub(super) path: String,
    pub(super) frag: Option<String>,
    pub(super) strength: Strength,
}

/// Sentences that point the reader at a file (“see”, “must update”, …).
fn reference_context(line: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    cached(
        &RE,
        r"(?i)\b(see|update[sd]?|refer to|defined in|documented in|described in|listed in|edit|maintained in|tracked in|per)\b",
    )
    .is_some_and(|r| r.is_match(line))
}

/// Drops a `:12`, `:12:3` or `:12-20` line suffix (`src/app.ts:12`).
fn strip_line_suffix(p: &str) -> &str {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    match cached(&RE, r":\d+(:\d+)?(-\d+)?$").and_then(|r| r.find(p)) {
        Some(m) => &p[..m.start()],
        None => p,
    }
}

/// Decides whether a code span's text is clearly a file path.
pub(super) fn path_candidate(
    text: &str,
    repo: &RepoIndex,
    dir: &str,
    line: &str,
) -> Option<Candidate> {
    let t = text.trim();
    if !path_syntax_ok(t) {
        return None;
    }
    let (p, frag) = match t.split_once('#') {
        Some((a, f)) => (a, (!f.is_empty()).then(|| f.to_string())),
        None => (t, None),
    };
    let p = if p.contains(':') {
        strip_line_suffix(p)
    } else {
        p
    };
    if p.is_empty() || p.contains(':') || p.contains("//") || p.ends_with('.') || is_placeholder(p)
    {
        return None;
    }
    let trimmed = p.trim_end_matches('/');
    let base = memchr::memrchr(b'/', trimmed.as_bytes()).map_or(trimmed, |k| &trimmed[k + 1..]);
    let has_slash = base.len() != p.len();
    if is_local_only(base) || (!has_slash && NOT_FILES.iter().any(|n| n.eq_ignore_ascii_case(base)))
    {
        return None;
    }
    let strength = strength_of(p, base, has_slash, repo, dir, line)?;
    Some(Candidate {
        path: p.to_string(),
        frag,
        strength,
    })
}

/// Rejects empty or over-long text, whitespace, shell/template syntax and URL-ish markers.
fn path_syntax_ok(t: &str) -> bool {
    if t.is_empty()
        || t.len() > 256
        || !t.is_ascii() && t.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    // Single pass over the bytes: whitespace, shell/template syntax and URL-ish markers reject.
    let bad = t.bytes().any(|c| {
        c.is_ascii_whitespace()
            || c.is_ascii_control()
            || matches!(
                c,
                b'*' | b'?'
                    | b'{'
                    | b'}'
                    | b'$'
                    | b'<'
                    | b'>'
                    | b'|'
                    | b'"'
                    | b'\''
                    | b'('
                    | b')'
                    | b','
                    | b';'
                    | b'='
                    | b'\\'
                    | b'`'
                    | b'!'
                    | b'%'
                    | b'^'
                    | b'&'
            )
    });
    if bad || t.starts_with(['@', '~', '-']) || starts_ci(t.as_bytes(), b"www.") {
        return false;
    }
    true
}

/// How sure we are that `p` (last segment `base`) names a repository file;
/// `None` when it does not look like a path at all.
fn strength_of(
    p: &str,
    base: &str,
    has_slash: bool,
    repo: &RepoIndex,
    dir: &str,
    line: &str,
) -> Option<Strength> {
    let ext = memchr::memrchr(b'.', base.as_bytes())
        .filter(|&k| k > 0)
        .map(|k| &base[k + 1..]);
    let ext_is =
        |list: &[&str]| ext.is_some_and(|e| list.iter().any(|k| e.eq_ignore_ascii_case(k)));
    let known_ext = ext_is(KNOWN_EXT);
    let env_tpl = is_env_template(base);
    let known_name = KNOWN_NAMES.contains(&base) || base.starts_with("Dockerfile.") || env_tpl;
    if base.starts_with('.') && !known_name && !has_slash {
        return None;
    }
    let leading_slash = p.starts_with('/');
    let top_dir = has_slash && first_segment_is_top_dir(p, dir, repo);
    if leading_slash && !top_dir {
        // `/etc/nginx.conf`, `/security.txt`: system paths or URL routes, not repo files.
        return None;
    }
    let strength = if known_ext || known_name {
        let route_like = leading_slash && ext_is(&["json", "html", "htm", "xml", "txt"]);
        let doc_ext = ext_is(&["md", "markdown", "mdx"]);
        if route_like || (!has_slash && !doc_ext && !REPO_FILES.contains(&base) && !env_tpl) {
            // A bare `daemon.json` may well be a file on some host, not in this repo.
            Strength::Weak
        } else {
            Strength::Strong
        }
    } else if top_dir {
        if leading_slash {
            Strength::Weak
        } else {
            Strength::Strong
        }
    } else if plausible_loose_path(p) && reference_context(line) {
        Strength::Weak
    } else {
        return None;
    };
    Some(strength)
}

/// `.env`, `.env.local`, databases, logs, keys: local artefacts that are normally untracked.
fn is_local_only(base: &str) -> bool {
    if base == ".env" || (base.starts_with(".env.") && !is_env_template(base)) {
        return true;
    }
    const LOCAL: &[&str] = &[
        "db", "sqlite", "sqlite3", "log", "pid", "sock", "tmp", "bak", "swp", "gz", "tgz", "zip",
        "pem", "key", "crt", "p12", "dump", "tar",
    ];
    base.rsplit_once('.')
        .is_some_and(|(_, e)| LOCAL.iter().any(|k| e.eq_ignore_ascii_case(k)))
}

/// `.env.example`, `.env.sample`, …: committed templates of local env files.
fn is_env_template(base: &str) -> bool {
    let b = base.as_bytes();
    starts_ci(b, b".env")
        && [
            &b"example"[..],
            b"sample",
            b"template",
            b"dist",
            b"defaults",
        ]
        .iter()
        .any(|s| b.len() >= s.len() && b[b.len() - s.len()..].eq_ignore_ascii_case(s))
}

/// The path's first real segment (after `./`, `/`, or resolving `../`) is a top-level folder.
fn first_segment_is_top_dir(p: &str, dir: &str, repo: &RepoIndex) -> bool {
    if !p.starts_with('.') {
        // Plain `a/b` or `/a/b`: no resolution needed.
        let rest = p.trim_start_matches('/');
        return match rest.split_once('/') {
            Some((first, _)) => !first.is_empty() && repo.is_top_dir(first),
            None => false,
        };
    }
    let resolved = match resolve(
        if p.starts_with("../") || p.starts_with("./") {
            dir
        } else {
            ""
        },
        p,
    ) {
        Resolved::Inside(r) => r,
        Resolved::Outside => return false,
    };
    let first = resolved.split('/').next().unwrap_or("");
    let has_more = resolved.contains('/') || p.ends_with('/');
    !first.is_empty() && has_more && repo.is_top_dir(first)
}

/// `runbooks/deploy`, `CHANGELOG`: plausible only in a “see …/update …” sentence.
fn plausible_loose_path(p: &str) -> bool {
    const NAMES: [&str; 6] = [
        "CHANGELOG",
        "CONTRIBUTING",
        "SECURITY",
        "CODE_OF_CONDUCT",
        "AUTHORS",
        "NOTICE",
    ];
    if p.starts_with('/') || (!p.contains('/') && !NAMES.contains(&p)) {
        return false;
    }
    let trimmed = p.trim_start_matches("./").trim_end_matches('/');
    let ok_seg = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    if !trimmed.split('/').all(ok_seg) {
        return false;
    }
    if trimmed.contains('/') {
        return trimmed.split('/').all(|s| {
            s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_uppercase)
                || s.contains('.')
        });
    }
    matches!(
        trimmed,
        "CHANGELOG" | "CONTRIBUTING" | "SECURITY" | "CODE_OF_CONDUCT" | "AUTHORS" | "NOTICE"
    )
}
