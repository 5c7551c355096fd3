//! `shipgate release check VERSION`: is the repository ready to tag? Seven
//! independent checks, each a function of the repository and the options.

use crate::error::{Error, Result};
use crate::git;
use crate::model::{CheckResult, CheckStatus, Finding, Location, RuleMeta, Severity, StageOutcome};
use semver::Version;
use std::path::Path;
use std::time::Instant;

const HELP: &str = "Fix this before tagging; `shipgate release check --tag` creates the tag only when everything passes.";

macro_rules! rules {
    ($($name:ident = $id:literal, $title:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: RuleMeta = RuleMeta { id: $id, title: $title, severity: Severity::Error, help: HELP, security: false };
        )*
        /// The rules of the release stage.
        pub const RULES: &[RuleMeta] = &[$($name),*];
    };
}

rules! {
    SEMVER = "release/semver", "Version is not a semantic version";
    NEWER = "release/newer", "Version is not newer than the last release";
    TAG_FREE = "release/tag-free", "Tag already exists";
    CLEAN = "release/clean", "Working tree has uncommitted changes";
    BRANCH = "release/branch", "HEAD is not on the release branch";
    UPSTREAM = "release/upstream", "Release branch differs from its upstream";
    CHANGELOG = "release/changelog", "Changelog has no section for this version";
}

/// What to check.
#[derive(Debug, Clone)]
pub struct ReleaseOptions {
    /// Tag to create, e.g. `v1.4.0`.
    pub tag: String,
    /// Release branch (default: origin's default branch, else main/master).
    pub branch: Option<String>,
    /// Changelog file, repo-relative (default CHANGELOG.md).
    pub changelog: String,
}

/// Parses `v1.2.3` / `1.2.3-rc.1+build` (semver, an optional leading `v`).
pub fn parse_version(tag: &str) -> Option<Version> {
    Version::parse(tag.strip_prefix('v').unwrap_or(tag)).ok()
}

/// Checks the version up front: an invalid one is a usage error, before anything runs.
pub fn validate(tag: &str) -> Result<()> {
    git::check_revision(tag)?;
    parse_version(tag).map(|_| ()).ok_or_else(|| {
        Error::usage(format!(
            "`{tag}` is not a semantic version (MAJOR.MINOR.PATCH, optional -pre and +build, optional leading v)"
        ))
    })
}

/// One check's verdict: `Ok(what passed)` or `Err((what failed, where))`.
type Verdict = std::result::Result<String, (String, Location)>;

struct Ctx<'a> {
    repo: &'a Path,
    o: &'a ReleaseOptions,
    version: Option<Version>,
    tags: Vec<String>,
}

fn here() -> Location {
    Location::file(".")
}

fn semver_ok(c: &Ctx) -> Verdict {
    match &c.version {
        Some(_) => Ok(format!("`{}` is a valid semantic version", c.o.tag)),
        None => Err((format!("`{}` is not a semantic version", c.o.tag), here())),
    }
}

fn newer(c: &Ctx) -> Verdict {
    let latest = c
        .tags
        .iter()
        .filter_map(|t| parse_version(t).map(|v| (v, t)))
        .max_by(|a, b| a.0.cmp_precedence(&b.0));
    match (&c.version, latest) {
        (None, _) => Err(("no valid version to compare".into(), here())),
        (Some(_), None) => Ok("no earlier release tag".into()),
        (Some(v), Some((l, t))) if v.cmp_precedence(&l).is_gt() => {
            Ok(format!("greater than the latest release `{t}`"))
        }
        (Some(_), Some((_, t))) => Err((
            format!("`{}` is not greater than the latest release `{t}`", c.o.tag),
            here(),
        )),
    }
}

fn tag_free(c: &Ctx) -> Verdict {
    if c.tags.contains(&c.o.tag) {
        Err((format!("tag `{}` already exists", c.o.tag), here()))
    } else {
        Ok(format!("tag `{}` does not exist yet", c.o.tag))
    }
}

fn clean(c: &Ctx) -> Verdict {
    match git::text(c.repo, &["status", "--porcelain"]) {
        Some(s) if s.is_empty() => Ok("the working tree is clean".into()),
        Some(s) => Err((
            format!(
                "the working tree has {} uncommitted change(s): {}",
                s.lines().count(),
                s.lines()
                    .take(3)
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            here(),
        )),
        None => Err(("git status failed".into(), here())),
    }
}

fn branch(c: &Ctx) -> Verdict {
    let branch =
        c.o.branch
            .clone()
            .unwrap_or_else(|| git::default_branch(c.repo));
    match git::text(c.repo, &["symbolic-ref", "-q", "--short", "HEAD"]) {
        Some(cur) if cur == branch => Ok(format!("HEAD is on `{branch}`")),
        Some(cur) => Err((
            format!("HEAD is on `{cur}`, not the release branch `{branch}`"),
            here(),
        )),
        None => Err((
            format!("HEAD is detached, not on the release branch `{branch}`"),
            here(),
        )),
    }
}

fn upstream(c: &Ctx) -> Verdict {
    let head = git::text(c.repo, &["rev-parse", "HEAD"]);
    let up = git::text(c.repo, &["rev-parse", "-q", "--verify", "@{upstream}"]);
    match (&head, &up) {
        (Some(h), Some(u)) if h == u => Ok("HEAD equals its upstream".into()),
        (Some(_), Some(_)) => Err((
            format!(
                "HEAD differs from its upstream ({}): push or pull first",
                git::text(c.repo, &["rev-parse", "--abbrev-ref", "@{upstream}"])
                    .unwrap_or_default()
            ),
            here(),
        )),
        (_, None) => Err(("the branch has no upstream: push it first".into(), here())),
        (None, _) => Err(("no commit".into(), here())),
    }
}

fn changelog(c: &Ctx) -> Verdict {
    let o = c.o;
    let bare = o.tag.strip_prefix('v').unwrap_or(&o.tag);
    let Ok(text) = std::fs::read_to_string(c.repo.join(&o.changelog)) else {
        return Err((
            format!("{} does not exist", o.changelog),
            Location::file(o.changelog.clone()),
        ));
    };
    let hit = text.lines().position(|l| {
        let l = l.trim_start();
        l.starts_with('#') && {
            let h = l
                .trim_start_matches('#')
                .trim_start()
                .trim_start_matches('[')
                .trim_start_matches('v');
            h.strip_prefix(bare).is_some_and(|rest| {
                !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.')
            })
        }
    });
    match hit {
        Some(i) => Ok(format!(
            "{} has a section for {bare} (line {})",
            o.changelog,
            i + 1
        )),
        None => Err((
            format!("{} has no `## {bare}` section", o.changelog),
            Location::span(o.changelog.clone(), (1, 1), (1, 1)),
        )),
    }
}

/// A readiness check: its rule, its name, what it runs.
type Check = (&'static RuleMeta, &'static str, fn(&Ctx) -> Verdict);

/// The checks, in order.
const CHECKS: &[Check] = &[
    (&SEMVER, "semver", semver_ok),
    (&NEWER, "newer", newer),
    (&TAG_FREE, "tag-free", tag_free),
    (&CLEAN, "clean", clean),
    (&BRANCH, "branch", branch),
    (&UPSTREAM, "upstream", upstream),
    (&CHANGELOG, "changelog", changelog),
];

/// Runs the readiness checks as the `release` stage.
pub fn check(repo: &Path, o: &ReleaseOptions) -> StageOutcome {
    let started = Instant::now();
    let ctx = Ctx {
        repo,
        o,
        version: parse_version(&o.tag),
        tags: git::text(repo, &["tag", "--list"])
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect(),
    };
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for (meta, name, f) in CHECKS {
        match f(&ctx) {
            Ok(msg) => checks.push(CheckResult::new(*name, CheckStatus::Passed, Some(msg))),
            Err((msg, location)) => {
                findings.push(Finding::of(meta, msg.clone(), location, name));
                checks.push(CheckResult::new(*name, CheckStatus::Failed, Some(msg)));
            }
        }
    }
    StageOutcome::new(
        "release",
        findings,
        None,
        started.elapsed().as_millis() as u64,
    )
    .with_checks(checks)
}

/// Creates the annotated tag.
pub fn tag(repo: &Path, tag: &str) -> Result<()> {
    git::check_revision(tag)?;
    let msg = format!("Release {tag}");
    git::git(repo, &["tag", "-a", "-m", &msg, "--", tag]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        let v = |s| parse_version(s).unwrap();
        assert!(v("v1.4.0").cmp_precedence(&v("1.3.9")).is_gt());
        assert!(v("1.4.0").cmp_precedence(&v("1.4.0-rc.2")).is_gt());
        assert!(v("1.4.0-rc.10").cmp_precedence(&v("1.4.0-rc.2")).is_gt());
        assert!(v("1.4.0-rc.1").cmp_precedence(&v("1.4.0-beta")).is_gt());
        assert!(parse_version("1.4").is_none());
        assert!(parse_version("01.4.0").is_none());
        assert!(parse_version("v1.4.0-").is_none());
        assert!(parse_version("1.0.0-rc.01").is_none());
        assert_eq!(v("1.2.3+build.5").major, 1);
        assert!(validate("--tag").is_err());
        assert!(validate("v2.0.0").is_ok());
    }
}
