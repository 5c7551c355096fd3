//! `integrity/masked-failure` in workflows: checks whose failure is masked (`|| true`,
//! `set +e`, …) and `continue-on-error` on steps and jobs.

use super::super::workflow::Step;
use super::super::{Issue, Severity};
use super::MASKED_FAILURE;
use super::analysis::{Fact, JobAnalysis, StepAnalysis, issue, where_};

/// A check command whose failure is guarded.
pub(super) fn masked_issue(ja: &JobAnalysis, step: &Step, f: &Fact, out: &mut Vec<Issue>) {
    let (Some(kind), Some(g)) = (f.kind, &f.cmd.guarded_by) else {
        return;
    };
    let cmd = f.cmd.text();
    let place = where_(ja, step);
    let (sev, msg) = if g.is_certain() {
        (
            Severity::Warning,
            format!(
                "`{cmd}` ({}) in {place} cannot fail the step: its failure is masked by {}",
                kind.name(),
                g.describe()
            ),
        )
    } else {
        (
            Severity::Note,
            format!(
                "`{cmd}` ({}) in {place} may not fail the step: it runs in {}",
                kind.name(),
                g.describe()
            ),
        )
    };
    out.push(issue(
        ja,
        MASKED_FAILURE,
        sev,
        (f.cmd.line, f.cmd.column),
        msg,
    ));
}

/// `continue-on-error` on a step that runs checks.
pub(super) fn coe_step_issue(ja: &JobAnalysis, sa: &StepAnalysis, out: &mut Vec<Issue>) {
    let Some(coe) = &sa.step.continue_on_error else {
        return;
    };
    let Some(first) = sa.facts.iter().find(|f| f.kind.is_some()) else {
        return;
    };
    let cmds: Vec<String> = sa
        .facts
        .iter()
        .filter(|f| f.kind.is_some())
        .map(|f| format!("`{}`", f.cmd.text()))
        .collect();
    let place = where_(ja, sa.step);
    let (sev, msg) = if coe == "true" {
        (
            Severity::Warning,
            format!(
                "{place} has `continue-on-error: true`: {} cannot fail the job",
                cmds.join(", ")
            ),
        )
    } else {
        (
            Severity::Note,
            format!(
                "{place} has `continue-on-error: {coe}`: {} may not fail the job",
                cmds.join(", ")
            ),
        )
    };
    out.push(issue(
        ja,
        MASKED_FAILURE,
        sev,
        (first.cmd.line, first.cmd.column),
        msg,
    ));
}

/// `continue-on-error` on a job that runs checks.
pub(super) fn coe_job_issue(ja: &JobAnalysis, out: &mut Vec<Issue>) {
    let Some(coe) = &ja.job.continue_on_error else {
        return;
    };
    let cmds: Vec<String> = ja
        .steps
        .iter()
        .flat_map(|s| s.facts.iter())
        .filter(|f| f.kind.is_some())
        .map(|f| format!("`{}`", f.cmd.text()))
        .collect();
    if cmds.is_empty() {
        return;
    }
    let (sev, how) = if coe == "true" {
        (Severity::Warning, "cannot fail".to_string())
    } else {
        (Severity::Note, format!("may not fail (`{coe}`)"))
    };
    let msg = format!(
        "job `{}` has `continue-on-error`: its checks ({}) {how} the workflow run",
        ja.job.id,
        cmds.join(", ")
    );
    out.push(issue(
        ja,
        MASKED_FAILURE,
        sev,
        (ja.job.line, ja.job.column),
        msg,
    ));
}
