//! `integrity/broken-link`: relative links and images whose target is missing, plus the
//! anchors of Markdown link targets.

use std::collections::HashSet;

use super::super::doc::{DocSet, Loaded};
use super::super::repo::{Exists, RepoIndex, Resolved, dir_of, resolve};
use super::super::{Issue, LinkKind, RULE_BROKEN_ANCHOR, RULE_BROKEN_LINK, Severity};
use super::anchors::anchor_problem;
use super::issue;
use super::targets::{Target, classify_dest};

/// Line ranges of generated blocks whose links are placeholders by design
/// (all-contributors tables link every avatar to `#content-user`-style non-anchors).
fn generated_ranges(d: &Loaded) -> Vec<(usize, usize)> {
    const START: &[u8] = b"ALL-CONTRIBUTORS-LIST:START";
    const END: &[u8] = b"ALL-CONTRIBUTORS-LIST:END";
    let b = d.text.as_bytes();
    let line_of = |off: usize| d.line_starts.partition_point(|&s| s <= off);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(b.get(from..).unwrap_or(&[]), START) {
        let s = from + p;
        let e = memchr::memmem::find(b.get(s..).unwrap_or(&[]), END).map_or(b.len(), |q| s + q);
        out.push((line_of(s), line_of(e)));
        from = e.max(s + START.len());
    }
    out
}

fn in_ranges(ranges: &[(usize, usize)], line: usize) -> bool {
    ranges.iter().any(|&(a, b)| a <= line && line <= b)
}

/// Checks every link and image of `d` (inline, reference, HTML; autolinks are external).
pub(super) fn check_links(d: &Loaded, set: &DocSet, repo: &RepoIndex, issues: &mut Vec<Issue>) {
    let dir = dir_of(d.path);
    let mut seen = HashSet::new();
    let generated = generated_ranges(d);
    for l in &d.doc.links {
        if l.kind == LinkKind::Autolink
            || (l.kind == LinkKind::Reference && !seen.insert((l.line, l.column)))
            || (!generated.is_empty() && in_ranges(&generated, l.line))
        {
            continue;
        }
        match classify_dest(&l.dest) {
            Target::Skip => {}
            Target::Fragment(frag) => {
                if let Some(msg) = anchor_problem(&frag, d) {
                    issues.push(issue(
                        d,
                        RULE_BROKEN_ANCHOR,
                        Severity::Note,
                        l.line,
                        l.column,
                        msg,
                    ));
                }
            }
            Target::Path { path, frag } => {
                let what = if l.image { "image" } else { "link" };
                match resolve(dir, &path) {
                    Resolved::Outside => {
                        if !is_github_idiom(&path) {
                            let msg = format!(
                                "{what} `{}` leaves the repository root; not checked",
                                l.dest
                            );
                            issues.push(issue(
                                d,
                                RULE_BROKEN_LINK,
                                Severity::Note,
                                l.line,
                                l.column,
                                msg,
                            ));
                        }
                    }
                    Resolved::Inside(p) => {
                        link_target(
                            d,
                            set,
                            repo,
                            (l.line, l.column),
                            &l.dest,
                            &p,
                            frag.as_deref(),
                            what,
                            issues,
                        );
                    }
                }
            }
        }
    }
}

/// `../../issues`, `../../wiki` and friends resolve to GitHub pages, not files.
fn is_github_idiom(path: &str) -> bool {
    const PAGES: [&str; 14] = [
        "issues",
        "pulls",
        "pull",
        "wiki",
        "actions",
        "releases",
        "blob",
        "tree",
        "discussions",
        "compare",
        "security",
        "commits",
        "tags",
        "raw",
    ];
    path.split('/')
        .filter(|s| !s.is_empty() && *s != "..")
        .take(1)
        .any(|s| PAGES.contains(&s))
}

#[allow(clippy::too_many_arguments)]
fn link_target(
    d: &Loaded,
    set: &DocSet,
    repo: &RepoIndex,
    (line, column): (usize, usize),
    dest: &str,
    p: &str,
    frag: Option<&str>,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    match repo.exists(p) {
        Exists::File => {
            if let (Some(frag), Some(target)) = (frag, set.get(p.trim_end_matches('/')))
                && let Some(msg) = anchor_problem(frag, target)
            {
                issues.push(issue(
                    d,
                    RULE_BROKEN_ANCHOR,
                    Severity::Note,
                    line,
                    column,
                    msg,
                ));
            }
        }
        Exists::Dir => {}
        Exists::CaseMismatch(real) => {
            let msg = format!(
                "{what} `{dest}` → `{p}` exists only as `{real}` (case differs; GitHub and Linux are case-sensitive)"
            );
            issues.push(issue(
                d,
                RULE_BROKEN_LINK,
                Severity::Warning,
                line,
                column,
                msg,
            ));
        }
        Exists::No => {
            if repo.is_ignored(p) {
                return;
            }
            let mut msg = format!(
                "broken {what}: `{dest}` → `{}` does not exist",
                p.trim_end_matches('/')
            );
            if let Some(alt) = similar_file(repo, p) {
                msg.push_str(&format!("; a file with that name exists at `{alt}`"));
            }
            issues.push(issue(
                d,
                RULE_BROKEN_LINK,
                Severity::Warning,
                line,
                column,
                msg,
            ));
        }
    }
}

/// Another file whose path ends with the same name (`docs/x.md` for `x.md`).
pub(super) fn similar_file(repo: &RepoIndex, p: &str) -> Option<String> {
    let p = p.trim_end_matches('/');
    let base = p.rsplit('/').next().unwrap_or(p);
    let tail = if p.contains('/') {
        p.to_string()
    } else {
        base.to_string()
    };
    repo.by_basename(base)
        .iter()
        .find(|f| f.as_str() == tail || f.ends_with(&format!("/{tail}")))
        .or_else(|| repo.by_basename(base).first())
        .cloned()
}
