//! `shipgate release check VERSION`: is the repository ready to tag?

use crate::model::{CheckResult, FailOn, Finding, Location, Severity, StageOutcome};
use crate::scan::git;
use std::cmp::Ordering;
use std::path::Path;
use std::time::Instant;

/// A semantic version (`1.4.0`, `2.0.0-rc.1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Semver {
    /// major, minor, patch.
    pub core: (u64, u64, u64),
    /// Pre-release identifiers.
    pub pre: Vec<String>,
}

impl Semver {
    /// Parses `1.2.3`, `v1.2.3`, `1.2.3-rc.1+build`.
    pub fn parse(s: &str) -> Option<Semver> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s.split('+').next()?;
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, p.split('.').map(str::to_string).collect::<Vec<_>>()),
            None => (s, Vec::new()),
        };
        if pre
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return None;
        }
        let nums: Vec<&str> = core.split('.').collect();
        if nums.len() != 3 {
            return None;
        }
        let n = |x: &str| -> Option<u64> {
            if x.is_empty()
                || (x.len() > 1 && x.starts_with('0'))
                || !x.bytes().all(|b| b.is_ascii_digit())
            {
                None
            } else {
                x.parse().ok()
            }
        };
        Some(Semver {
            core: (n(nums[0])?, n(nums[1])?, n(nums[2])?),
            pre,
        })
    }
}

impl PartialOrd for Semver {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Semver {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core
            .cmp(&other.core)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(&other.pre) {
                        let o = match (a.parse::<u64>(), b.parse::<u64>()) {
                            (Ok(x), Ok(y)) => x.cmp(&y),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            _ => a.cmp(b),
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                    self.pre.len().cmp(&other.pre.len())
                }
            })
    }
}

/// What to check.
#[derive(Debug, Clone)]
pub struct ReleaseOptions {
    /// Tag to create, e.g. `v1.4.0`.
    pub tag: String,
    /// Release branch (default: origin's default branch, else main/master).
    pub branch: Option<String>,
    /// Changelog file (default CHANGELOG.md).
    pub changelog: String,
}

fn out(repo: &Path, args: &[&str]) -> Option<String> {
    git::git(repo, args)
        .ok()
        .map(|o| String::from_utf8_lossy(&o).trim().to_string())
}

fn release_branch(repo: &Path) -> String {
    if let Some(h) = out(
        repo,
        &["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"],
    ) && let Some(b) = h.strip_prefix("origin/")
    {
        return b.to_string();
    }
    for b in ["main", "master"] {
        if out(
            repo,
            &["rev-parse", "-q", "--verify", &format!("refs/heads/{b}")],
        )
        .is_some()
        {
            return b.to_string();
        }
    }
    "main".into()
}

/// Runs the readiness checks as the `release` stage.
pub fn check(repo: &Path, o: &ReleaseOptions, fail_on: FailOn) -> StageOutcome {
    let started = Instant::now();
    let mut results: Vec<(&str, Result<String, String>)> = Vec::new();
    let version = Semver::parse(&o.tag);
    results.push((
        "semver",
        match &version {
            Some(_) => Ok(format!("`{}` is a valid semantic version", o.tag)),
            None => Err(format!(
                "`{}` is not a semantic version (MAJOR.MINOR.PATCH, optional -pre)",
                o.tag
            )),
        },
    ));
    let tags: Vec<String> = out(repo, &["tag", "--list"])
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let latest = tags
        .iter()
        .filter_map(|t| Semver::parse(t).map(|v| (v, t.clone())))
        .max_by(|a, b| a.0.cmp(&b.0));
    results.push((
        "newer",
        match (&version, &latest) {
            (None, _) => Err("no valid version to compare".into()),
            (Some(_), None) => Ok("no earlier release tag".into()),
            (Some(v), Some((l, t))) if v > l => {
                Ok(format!("greater than the latest release `{t}`"))
            }
            (Some(_), Some((_, t))) => Err(format!(
                "`{}` is not greater than the latest release `{t}`",
                o.tag
            )),
        },
    ));
    results.push((
        "tag-free",
        if tags.contains(&o.tag) {
            Err(format!("tag `{}` already exists", o.tag))
        } else {
            Ok(format!("tag `{}` does not exist yet", o.tag))
        },
    ));
    results.push((
        "clean",
        match out(repo, &["status", "--porcelain"]) {
            Some(s) if s.is_empty() => Ok("the working tree is clean".into()),
            Some(s) => Err(format!(
                "the working tree has {} uncommitted change(s): {}",
                s.lines().count(),
                s.lines()
                    .take(3)
                    .map(|l| l.trim())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => Err("git status failed".into()),
        },
    ));
    let branch = o.branch.clone().unwrap_or_else(|| release_branch(repo));
    let current = out(repo, &["symbolic-ref", "-q", "--short", "HEAD"]);
    results.push((
        "branch",
        match &current {
            Some(c) if *c == branch => Ok(format!("HEAD is on `{branch}`")),
            Some(c) => Err(format!(
                "HEAD is on `{c}`, not the release branch `{branch}`"
            )),
            None => Err(format!(
                "HEAD is detached, not on the release branch `{branch}`"
            )),
        },
    ));
    let head = out(repo, &["rev-parse", "HEAD"]);
    let upstream = out(repo, &["rev-parse", "-q", "--verify", "@{upstream}"]);
    results.push((
        "upstream",
        match (&head, &upstream) {
            (Some(h), Some(u)) if h == u => Ok("HEAD equals its upstream".into()),
            (Some(_), Some(_)) => Err(format!(
                "HEAD differs from its upstream ({}): push or pull first",
                out(repo, &["rev-parse", "--abbrev-ref", "@{upstream}"]).unwrap_or_default()
            )),
            (_, None) => Err("the branch has no upstream: push it first".into()),
            (None, _) => Err("no commit".into()),
        },
    ));
    let bare = o.tag.strip_prefix('v').unwrap_or(&o.tag).to_string();
    let changelog = std::fs::read_to_string(repo.join(&o.changelog));
    let mut changelog_line = 1;
    results.push((
        "changelog",
        match &changelog {
            Err(_) => Err(format!("{} does not exist", o.changelog)),
            Ok(text) => {
                let hit = text.lines().position(|l| {
                    let l = l.trim_start();
                    l.starts_with('#') && {
                        let h = l
                            .trim_start_matches('#')
                            .trim_start()
                            .trim_start_matches('[')
                            .trim_start_matches('v');
                        h.starts_with(&bare)
                            && !h[bare.len()..]
                                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.')
                    }
                });
                match hit {
                    Some(i) => {
                        changelog_line = i + 1;
                        Ok(format!(
                            "{} has a section for {bare} (line {})",
                            o.changelog,
                            i + 1
                        ))
                    }
                    None => Err(format!("{} has no `## {bare}` section", o.changelog)),
                }
            }
        },
    ));
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for (name, r) in results {
        match r {
            Ok(msg) => checks.push(CheckResult {
                name: name.into(),
                status: "passed".into(),
                duration_ms: 0,
                message: Some(msg),
            }),
            Err(msg) => {
                let location = if name == "changelog" {
                    Location::span(
                        o.changelog.clone(),
                        (changelog_line, 1),
                        (changelog_line, 1),
                    )
                } else {
                    Location::file(".")
                };
                findings.push(Finding::new(
                    &format!("release/{name}"),
                    "Not ready to release",
                    Severity::Error,
                    msg.clone(),
                    "Fix this before tagging; `shipgate release check --tag` creates the tag only when everything passes.",
                    location,
                    &msg,
                ));
                checks.push(CheckResult {
                    name: name.into(),
                    status: "failed".into(),
                    duration_ms: 0,
                    message: Some(msg),
                });
            }
        }
    }
    StageOutcome::completed(
        "release",
        findings,
        None,
        fail_on,
        started.elapsed().as_millis() as u64,
    )
    .with_checks(checks)
}

/// Creates the annotated tag.
pub fn tag(repo: &Path, tag: &str) -> Result<(), String> {
    git::git(repo, &["tag", "-a", tag, "-m", &format!("Release {tag}")]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_parses_and_orders() {
        let v = |s| Semver::parse(s).unwrap();
        assert!(v("v1.4.0") > v("1.3.9"));
        assert!(v("1.4.0") > v("1.4.0-rc.2"));
        assert!(v("1.4.0-rc.10") > v("1.4.0-rc.2"));
        assert!(v("1.4.0-rc.1") > v("1.4.0-beta"));
        assert!(Semver::parse("1.4").is_none());
        assert!(Semver::parse("01.4.0").is_none());
        assert!(Semver::parse("v1.4.0-").is_none());
        assert_eq!(v("1.2.3+build.5").core, (1, 2, 3));
    }
}
