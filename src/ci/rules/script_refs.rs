//! `npm run X` / `pnpm X` / `yarn X` in workflow steps: `integrity/if-present-missing` for
//! `--if-present` on scripts that are not there, `integrity/unknown-command` for the rest.

use super::super::invocation::{Invocation, Manager};
use super::super::workflow::Step;
use super::super::{Issue, Severity};
use super::analysis::{Fact, JobAnalysis, issue, where_};
use super::resolve::Resolution;
use super::{IF_PRESENT_MISSING, UNKNOWN_COMMAND, show_dir};

/// Issues of a step command that runs a package script.
pub(super) fn script_ref_issues(ja: &JobAnalysis, step: &Step, f: &Fact, out: &mut Vec<Issue>) {
    let (Invocation::RunScript { if_present, .. }, Some(res)) = (&f.inv, &f.res) else {
        return;
    };
    let found = if *if_present {
        if_present_issue(ja, step, f, res)
    } else {
        unknown_script_issue(ja, step, f, res)
    };
    out.extend(found);
}

/// `--if-present` on a script the package does not have (or may not have).
fn if_present_issue(ja: &JobAnalysis, step: &Step, f: &Fact, res: &Resolution) -> Option<Issue> {
    let Invocation::RunScript { script, .. } = &f.inv else {
        return None;
    };
    let at = (f.cmd.line, f.cmd.column);
    let cmd = f.cmd.text();
    let place = where_(ja, step);
    let sev = if ja.gating {
        Severity::Error
    } else {
        Severity::Warning
    };
    let trig = if ja.gating {
        ""
    } else {
        " (the workflow does not run on pull requests or pushes)"
    };
    let msg = match res {
        Resolution::Missing(p) => format!(
            "`{cmd}` in {place} checks nothing: {} has no `{script}` script and `--if-present` turns that into success{trig}",
            p.path
        ),
        Resolution::MissingEverywhere(why) => format!(
            "`{cmd}` in {place} checks nothing: no package.json in the repository has a `{script}` script ({why}) and `--if-present` turns that into success{trig}"
        ),
        Resolution::NoPackage(d) => {
            return Some(issue(
                ja,
                IF_PRESENT_MISSING,
                Severity::Note,
                at,
                format!(
                    "`{cmd}` in {place}: no package.json at or above `{}`",
                    show_dir(d)
                ),
            ));
        }
        Resolution::Undecided(why) => {
            return Some(issue(
                ja,
                IF_PRESENT_MISSING,
                Severity::Note,
                at,
                format!("`{cmd}` in {place}: cannot tell whether the script exists: {why}"),
            ));
        }
        Resolution::Found(_) | Resolution::Fallback(_) => return None,
    };
    Some(issue(ja, IF_PRESENT_MISSING, sev, at, msg))
}

/// A script run without `--if-present` whose script is missing.
fn unknown_script_issue(
    ja: &JobAnalysis,
    step: &Step,
    f: &Fact,
    res: &Resolution,
) -> Option<Issue> {
    let Invocation::RunScript {
        script,
        manager,
        bin_fallback,
        ..
    } = &f.inv
    else {
        return None;
    };
    let at = (f.cmd.line, f.cmd.column);
    let cmd = f.cmd.text();
    let place = where_(ja, step);
    let (sev, msg) = match res {
        Resolution::Missing(p)
            if script == "start" && matches!(manager, Manager::Npm | Manager::Pnpm) =>
        {
            (
                Severity::Error,
                format!(
                    "`{cmd}` in {place} fails: {} has no `start` script and there is no server.js next to it",
                    p.path
                ),
            )
        }
        Resolution::Missing(p) if *bin_fallback => (
            Severity::Warning,
            format!(
                "`{cmd}` in {place}: {} has no `{script}` script and no dependency provides a `{script}` binary ({} would fail)",
                p.path,
                manager.name()
            ),
        ),
        Resolution::Missing(p) => (
            Severity::Error,
            format!(
                "`{cmd}` in {place} fails: {} has no `{script}` script",
                p.path
            ),
        ),
        Resolution::MissingEverywhere(why) => (
            Severity::Note,
            format!(
                "`{cmd}` in {place}: no package.json in the repository has a `{script}` script ({why})"
            ),
        ),
        Resolution::NoPackage(d) => (
            Severity::Note,
            format!(
                "`{cmd}` in {place}: no package.json at or above `{}`",
                show_dir(d)
            ),
        ),
        _ => return None,
    };
    Some(issue(ja, UNKNOWN_COMMAND, sev, at, msg))
}
