//! Sections of a runbook selected by their heading words (env/config, health/smoke, …).

use super::super::doc::Loaded;

/// 1-based inclusive line ranges of the bodies of sections whose heading satisfies `wanted`
/// (a section runs until the next heading of the same or higher level).
pub(super) fn section_ranges(d: &Loaded, wanted: fn(&str) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut active: Option<(u8, usize)> = None;
    for h in &d.doc.headings {
        if let Some((lv, start)) = active
            && h.level <= lv
        {
            out.push((start, h.line.saturating_sub(1)));
            active = None;
        }
        if active.is_none() && wanted(&h.text) {
            active = Some((h.level, h.line + 1));
        }
    }
    if let Some((_, start)) = active {
        out.push((start, d.doc.lines.len()));
    }
    out
}

/// Words of a heading (split on anything not alphanumeric, so `SESSION_SECRET` → `SESSION`, `SECRET`).
/// Calls `f` with each ASCII-lowercased word of `text` (split on ASCII non-alphanumerics;
/// non-ASCII bytes count as word bytes); stops early when `f` returns true.
pub(super) fn any_lower_word(text: &str, mut f: impl FnMut(&[u8]) -> bool) -> bool {
    let mut word = [0u8; 32];
    let mut len = 0usize;
    let mut long = false;
    for &c in text.as_bytes().iter().chain(std::iter::once(&b' ')) {
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            if len > 0 && !long && f(&word[..len]) {
                return true;
            }
            len = 0;
            long = false;
        } else if len < word.len() {
            word[len] = c.to_ascii_lowercase();
            len += 1;
        } else {
            long = true;
        }
    }
    false
}

/// Heading of an environment/config/variables/secrets section.
pub(super) fn is_env_heading(text: &str) -> bool {
    any_lower_word(text, |w| {
        matches!(
            w,
            b"env"
                | b"envs"
                | b"environment"
                | b"environments"
                | b"config"
                | b"configuration"
                | b"configuring"
                | b"variables"
                | b"variable"
                | b"vars"
                | b"secrets"
                | b"secret"
                | b"dotenv"
        )
    })
}

/// Heading of a health/smoke/verification/endpoints/post-deploy section.
pub(super) fn is_endpoint_heading(text: &str) -> bool {
    let mut prev_post = false;
    any_lower_word(text, |w| {
        let hit = matches!(
            w,
            b"health"
                | b"healthcheck"
                | b"healthchecks"
                | b"healthz"
                | b"smoke"
                | b"verification"
                | b"verify"
                | b"verifying"
                | b"endpoint"
                | b"endpoints"
                | b"readiness"
                | b"liveness"
                | b"probe"
                | b"probes"
                | b"postdeploy"
        ) || (prev_post && w.starts_with(b"deploy"));
        prev_post = w == b"post";
        hit
    })
}

/// Whether 1-based `line` lies in one of the inclusive `ranges`.
pub(super) fn in_ranges(ranges: &[(usize, usize)], line: usize) -> bool {
    ranges.iter().any(|&(a, b)| a <= line && line <= b)
}
