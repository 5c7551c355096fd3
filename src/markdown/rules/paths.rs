//! `integrity/missing-path`: inline-code file mentions in prose that do not exist.

use std::sync::OnceLock;

use regex::Regex;

use super::super::doc::{DocSet, Loaded};
use super::super::repo::{Exists, RepoIndex, Resolved, dir_of, resolve};
use super::super::{Issue, RULE_BROKEN_ANCHOR, RULE_MISSING_PATH, Severity, is_markdown_path};
use super::anchors::anchor_problem;
use super::candidate::{Candidate, Strength, path_candidate};
use super::links::similar_file;
use super::names::KNOWN_NAMES;
use super::{cached, issue};

/// Checks every code span of `d` that is not link text.
pub(super) fn check_code_paths(
    d: &Loaded,
    set: &DocSet,
    repo: &RepoIndex,
    issues: &mut Vec<Issue>,
) {
    let dir = dir_of(d.path);
    for span in &d.doc.code_spans {
        // Spans used as link text (`[`x.md`](x.md)`) are covered by the link rule.
        if span.in_link {
            continue;
        }
        let t: &str = &span.text;
        // Cheap pre-filter: paths have a `.` or `/`, or are well-known names like `Makefile`.
        if memchr::memchr2(b'.', b'/', t.as_bytes()).is_none()
            && !KNOWN_NAMES.contains(&t)
            && !t.bytes().all(|c| c.is_ascii_uppercase() || c == b'_')
        {
            continue;
        }
        let line_text = d.line_text(span.line);
        let Some(c) = path_candidate(t, repo, dir, line_text) else {
            continue;
        };
        let mut places = Vec::new();
        if let Resolved::Inside(p) = resolve(dir, &c.path) {
            places.push(p);
        }
        if !c.path.starts_with("../")
            && let Resolved::Inside(p) = resolve("", &c.path)
        {
            places.push(p);
        }
        places.dedup();
        let found = places
            .iter()
            .find(|p| matches!(repo.exists(p), Exists::File | Exists::Dir));
        if let Some(p) = found {
            if let (Some(frag), Some(target)) = (&c.frag, set.get(p.trim_end_matches('/')))
                && is_markdown_path(p)
                && let Some(msg) = anchor_problem(frag, target)
            {
                issues.push(issue(
                    d,
                    RULE_BROKEN_ANCHOR,
                    Severity::Note,
                    span.line,
                    span.column,
                    msg,
                ));
            }
            continue;
        }
        // A file of that name elsewhere (`firstpass.rs` → `src/firstpass.rs`) makes the mention a
        // plausible shorthand: stay silent.
        if places.is_empty()
            || skip_context(line_text)
            || places.iter().any(|p| repo.is_ignored(p))
            || similar_file(repo, &c.path).is_some()
        {
            continue;
        }
        let (severity, msg) = missing_message(repo, &c, &span.text, &places, dir);
        issues.push(issue(
            d,
            RULE_MISSING_PATH,
            severity,
            span.line,
            span.column,
            msg,
        ));
    }
}

/// Severity and message for a candidate found nowhere in `places`.
fn missing_message(
    repo: &RepoIndex,
    c: &Candidate,
    raw: &str,
    places: &[String],
    dir: &str,
) -> (Severity, String) {
    let shown = if raw == c.path {
        format!("`{}`", c.path)
    } else {
        format!("`{}` (from `{raw}`)", c.path)
    };
    if let Some(Exists::CaseMismatch(real)) = places
        .iter()
        .map(|p| repo.exists(p))
        .find(|e| matches!(e, Exists::CaseMismatch(_)))
    {
        return (
            Severity::Note,
            format!("{shown} exists only as `{real}` (case differs)"),
        );
    }
    let whereabouts = if dir.is_empty() {
        "at the repository root".to_string()
    } else {
        format!("in `{dir}/` or the repository root")
    };
    let (severity, tail) = match c.strength {
        Strength::Strong => (Severity::Warning, ""),
        Strength::Weak if c.path.starts_with('/') => {
            (Severity::Note, " (may be a URL route rather than a file)")
        }
        Strength::Weak if !c.path.contains('/') => {
            (Severity::Note, " (may name a file outside this repository)")
        }
        Strength::Weak => (Severity::Note, " (loose mention; not sure it is a path)"),
    };
    (
        severity,
        format!("{shown} is referenced but does not exist {whereabouts}{tail}"),
    )
}

/// Sentences that talk about files to be created, removed or given as examples.
fn skip_context(line: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    cached(
        &RE,
        r"(?i)\b(creat(e|es|ed|ing)|generat(e|es|ed|ing)|will be|copy|copie[sd]|renam(e|es|ed|ing)|mov(e|es|ed|ing)|delet(e|es|ed|ing)|remov(e|es|ed|ing)|legacy|deprecated|formerly|previously|no longer|obsolete|e\.g\.|for example|such as|outputs?|produces?|emits?|writes?|written|touch|mkdir|gitignored|ignored|not committed|untracked|optional(ly)?|if present|if (it )?exists|placeholder|template|scaffold(s|ed)?|download(s|ed)?|build artifacts?)\b",
    )
    .is_some_and(|r| r.is_match(line))
}
