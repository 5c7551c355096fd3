//! Env var names listed by a runbook under env/config/variables/secrets headings:
//! the per-line driver, code lines and inline code spans.

use std::sync::OnceLock;

use regex::Regex;

use super::super::doc::Loaded;
use super::super::rules::cached;
use super::super::{EnvMention, LineKind};
use super::col_in;
use super::env_text::text_env;
use super::sections::{is_env_heading, section_ranges};

/// Words in capitals that are not env var names.
pub(super) const STOP: &[&str] = &[
    "HTTP",
    "HTTPS",
    "API",
    "APIS",
    "JSON",
    "YAML",
    "TOML",
    "HTML",
    "XML",
    "CSS",
    "URL",
    "URLS",
    "URI",
    "UUID",
    "JWT",
    "SQL",
    "CI",
    "CD",
    "CLI",
    "SDK",
    "SSH",
    "SSL",
    "TLS",
    "DNS",
    "CDN",
    "AWS",
    "GCP",
    "UTC",
    "GMT",
    "README",
    "LICENSE",
    "CHANGELOG",
    "TODO",
    "FIXME",
    "NOTE",
    "NOTES",
    "WARNING",
    "TIP",
    "IMPORTANT",
    "CAUTION",
    "DANGER",
    "INFO",
    "DEBUG",
    "ERROR",
    "WARN",
    "TRACE",
    "FATAL",
    "PROD",
    "PRODUCTION",
    "STAGING",
    "STAGE",
    "LOCAL",
    "DEV",
    "DEVELOPMENT",
    "TEST",
    "TESTS",
    "TESTING",
    "PREVIEW",
    "QA",
    "UAT",
    "LIVE",
    "SANDBOX",
    "NONE",
    "TRUE",
    "FALSE",
    "NULL",
    "YES",
    "NO",
    "OPTIONAL",
    "REQUIRED",
    "MANDATORY",
    "DEFAULT",
    "ONLY",
    "MUST",
    "NEVER",
    "ALWAYS",
    "NOT",
    "AND",
    "WITH",
    "FROM",
    "THE",
    "FOR",
    "ESM",
    "CJS",
    "CRUD",
    "REST",
    "GRAPHQL",
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "CORS",
    "CSRF",
    "XSS",
    "OAUTH",
    "SAML",
    "SMTP",
    "IMAP",
    "RBAC",
    "RLS",
    "ORM",
    "LTS",
    "NODE",
    "NPM",
    "PNPM",
    "YARN",
    "DOCKER",
    "REDIS",
    "POSTGRES",
    "POSTGRESQL",
    "MYSQL",
    "MONGODB",
    "SQLITE",
    "CPU",
    "GPU",
    "RAM",
    "DISK",
    "PDF",
    "CSV",
    "PNG",
    "SVG",
    "FREEZE",
    "FINAL",
    "LOCKED",
    "DONE",
    "PASS",
    "FAIL",
    "FAILED",
    "OK",
    "STRICT",
    "FIXED",
    "CANONICAL",
    "UNIQUE",
    "PK",
    "FK",
    "END",
    "RUNBOOK",
    "ENV",
    "ENVIRONMENT",
    "CONFIG",
    "SECRETS",
    "SECRET",
    "VARIABLES",
    "KEY",
    "KEYS",
    "TOKEN",
    "PASSWORD",
    "USER",
    "ADMIN",
    "ROOT",
    "WARNING",
    "RESET",
    "APPLIED",
    "MIGRATION",
    "BACKEND",
    "FRONTEND",
    "SERVER",
    "CLIENT",
    "STATUS",
    "HEALTH",
    "SEV",
    "ASAP",
    "FAQ",
    "SLA",
    "SLO",
    "RTO",
    "RPO",
    "ETA",
    "PR",
    "MR",
    "LGTM",
    "WIP",
];

/// `UPPER_SNAKE` with an underscore (≥ 2 chars) or ≥ 4 letters.
pub(super) fn name_shape_ok(n: &str) -> bool {
    let letters = n.chars().filter(char::is_ascii_uppercase).count();
    n.len() >= 2 && !n.ends_with('_') && (n.contains('_') || letters >= 4)
}

/// `UPPER_SNAKE`-ish tokens (word-bounded capitals, digits, underscores).
pub(super) fn upper_token_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    cached(&RE, r"\b[A-Z][A-Z0-9_]*[A-Z0-9]\b")
}

/// Env var names listed under env/config/variables/secrets headings.
pub(in super::super) fn env_vars(d: &Loaded) -> Vec<EnvMention> {
    let mut out = Vec::new();
    let spans = &d.doc.code_spans;
    for (start, end) in section_ranges(d, is_env_heading) {
        let mut k = spans.partition_point(|s| s.line < start);
        for ln in start..=end {
            let Some(info) = d.doc.lines.get(ln - 1) else {
                break;
            };
            let line = d.line_text(ln);
            let mut found: Vec<(usize, String)> = Vec::new();
            match info.kind {
                LineKind::Code => code_env(line, info.content_start, &mut found),
                LineKind::Text | LineKind::TableRow => {
                    while let Some(sp) = spans.get(k).filter(|s| s.line <= ln) {
                        if sp.line == ln {
                            span_env(&sp.text, sp.column, &mut found);
                        }
                        k += 1;
                    }
                    text_env(line, info, &mut found);
                }
                _ => {}
            }
            found.sort();
            found.dedup_by(|a, b| a.0 == b.0);
            for (column, name) in found {
                out.push(EnvMention {
                    path: d.path.to_string(),
                    line: ln,
                    column,
                    name,
                });
            }
        }
    }
    out
}

/// `$KEY`, `${KEY}`, `process.env.KEY`, … and `KEY=` assignments.
fn ref_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    cached(
        &RE,
        r#"(?:\$\{?|process\.env\.|import\.meta\.env\.|Deno\.env\.get\(["']|env\.)([A-Z][A-Z0-9_]*[A-Z0-9])|(?:^|[\s;&|(])(?:export\s+)?([A-Z][A-Z0-9_]*[A-Z0-9])="#,
    )
}

/// `KEY=value` / `KEY: value` lines and `$KEY` references in code.
fn code_env(line: &str, start: usize, found: &mut Vec<(usize, String)>) {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let code = line.get(start..).unwrap_or("");
    if code.trim_start().starts_with('#') || code.trim_start().starts_with("//") {
        return;
    }
    if let Some(re) = cached(
        &RE,
        r"^\s*(?:export\s+|set\s+|-\s+)?([A-Z][A-Z0-9_]*[A-Z0-9])\s*(?:=|:(?:\s|$))",
    ) && let Some(c) = re.captures(code).and_then(|c| c.get(1))
        && name_shape_ok(c.as_str())
    {
        found.push((col_in(line, start + c.start(), 1), c.as_str().to_string()));
    }
    refs(code, |b, n| found.push((col_in(line, start + b, 1), n)));
}

/// `$KEY`, `process.env.KEY`, `KEY=` occurrences (stop list bypassed: the syntax says it is a variable).
fn refs(s: &str, mut push: impl FnMut(usize, String)) {
    let Some(re) = ref_re() else { return };
    for c in re.captures_iter(s) {
        if let Some(m) = c.get(1).or_else(|| c.get(2))
            && name_shape_ok(m.as_str())
        {
            push(m.start(), m.as_str().to_string());
        }
    }
}

/// Names in an inline code span: a whole `UPPER_SNAKE` span, references, or `A_B` tokens.
fn span_env(text: &str, col: usize, found: &mut Vec<(usize, String)>) {
    let t = text.trim();
    let lead = text.len() - text.trim_start().len();
    let whole = t
        .bytes()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
        && t.bytes().next().is_some_and(|c| c.is_ascii_uppercase());
    if whole {
        if name_shape_ok(t) && !STOP.contains(&t) {
            found.push((col_in(text, lead, col), t.to_string()));
        }
        return;
    }
    refs(text, |b, n| found.push((col_in(text, b, col), n)));
    let Some(re) = upper_token_re() else { return };
    for m in re.find_iter(text) {
        let n = m.as_str();
        if n.contains('_') && name_shape_ok(n) && !STOP.contains(&n) {
            found.push((col_in(text, m.start(), col), n.to_string()));
        }
    }
}
