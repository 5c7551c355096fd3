//! `make X` / `just X` naming a target or recipe the Makefile / justfile does not have.

use super::super::invocation::Invocation;
use super::super::scripts;
use super::super::shell::{join_path, resolve_dir};
use super::super::workflow::Step;
use super::super::{Issue, RepoIndex, Severity, in_dir};
use super::analysis::{Fact, JobAnalysis, issue, where_};
use super::{UNKNOWN_COMMAND, show_dir};

/// Result of looking up a make target / just recipe.
pub(super) enum TargetCheck {
    Missing { file: String, name: String },
    Undecided(String),
    Fine,
}

/// Look up the target / recipe of a `make` / `just` invocation.
pub(super) fn check_make_just(idx: &RepoIndex, inv: &Invocation, cwd: Option<&str>) -> TargetCheck {
    match inv {
        Invocation::Make { targets, dir, file } => {
            if !targets.iter().any(|t| t.is_literal()) {
                return TargetCheck::Fine;
            }
            let Some(d) = (match dir {
                Some(x) => resolve_dir(cwd, x),
                None => cwd.map(str::to_string),
            }) else {
                return TargetCheck::Undecided("the working directory is not known".into());
            };
            let mf = match file {
                Some(f) => join_path(&d, f),
                None => ["GNUmakefile", "makefile", "Makefile"]
                    .iter()
                    .map(|n| in_dir(&d, n))
                    .find(|p| idx.is_file(p)),
            };
            let Some(text) = mf.as_deref().and_then(|p| idx.text(p)) else {
                return TargetCheck::Undecided(format!(
                    "no Makefile in `{}` (it may be generated)",
                    show_dir(&d)
                ));
            };
            let mf = mf.unwrap_or_default();
            let t = scripts::make_targets(&text, &d, &|p| idx.text(p).map(|t| t.to_string()));
            for w in targets.iter().filter(|t| t.is_literal()) {
                if t.has(&w.text) == Some(false) {
                    return TargetCheck::Missing {
                        file: mf,
                        name: w.text.clone(),
                    };
                }
            }
            TargetCheck::Fine
        }
        Invocation::Just {
            recipe: Some(r),
            dir,
            file,
        } => {
            let Some(d) = (match dir {
                Some(x) => resolve_dir(cwd, x),
                None => cwd.map(str::to_string),
            }) else {
                return TargetCheck::Undecided("the working directory is not known".into());
            };
            let jf = match file {
                Some(f) => join_path(&d, f),
                None => idx.nearest(&d, &["justfile", "Justfile", "JUSTFILE", ".justfile"]),
            };
            let Some(text) = jf.as_deref().and_then(|p| idx.text(p)) else {
                return TargetCheck::Undecided(format!(
                    "no justfile at or above `{}`",
                    show_dir(&d)
                ));
            };
            match scripts::just_recipes(&text).has(&r.text) {
                Some(false) => TargetCheck::Missing {
                    file: jf.unwrap_or_default(),
                    name: r.text.clone(),
                },
                _ => TargetCheck::Fine,
            }
        }
        _ => TargetCheck::Fine,
    }
}

/// The issue for a `make` / `just` step command, if any.
pub(super) fn make_just_issue(
    idx: &RepoIndex,
    ja: &JobAnalysis,
    step: &Step,
    f: &Fact,
) -> Option<Issue> {
    let at = (f.cmd.line, f.cmd.column);
    let cmd = f.cmd.text();
    let place = where_(ja, step);
    match check_make_just(idx, &f.inv, f.cmd.cwd.as_deref()) {
        TargetCheck::Missing { file, name } => Some(issue(
            ja,
            UNKNOWN_COMMAND,
            Severity::Error,
            at,
            format!("`{cmd}` in {place} fails: {file} has no `{name}` target"),
        )),
        TargetCheck::Undecided(why) => Some(issue(
            ja,
            UNKNOWN_COMMAND,
            Severity::Note,
            at,
            format!("`{cmd}` in {place}: cannot check the target: {why}"),
        )),
        TargetCheck::Fine => None,
    }
}
