//! Every output of a run: `--output` files and the job summary first (before
//! anything goes over the network), then stdout (or stderr for the hook),
//! then the check run; and the exit code from the verdict.

use super::{Ctx, PublishArgs, ReportArgs};
use crate::error::{Error, Exit, Result};
use crate::gate::Plan;
use crate::github::PublishOutcome;
use crate::model::{Report, Verdict};
use crate::render::{self, Format, TextOptions};
use std::io::Write;
use std::path::Path;

/// Where the report's main rendering goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// stdout, in `--format`.
    Stdout,
    /// stderr as short text (git shows a hook's output).
    HookStderr,
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    // Write to a temporary sibling and rename so a reader never sees half a report.
    let tmp = path.with_extension("shipgate-tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set.
fn step_summary(ctx: &Ctx, report: &Report) -> std::io::Result<()> {
    let Some(path) = ctx.env.get("GITHUB_STEP_SUMMARY") else {
        return Ok(());
    };
    let body = render::render(report, Format::Markdown, &TextOptions::default());
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(body.as_bytes())
}

/// Appends the step outputs (`verdict`, `errors`, `warnings`, `notes`, and
/// the paths of the JSON and SARIF files written) to `$GITHUB_OUTPUT`.
fn step_outputs(ctx: &Ctx, report: &Report, args: &ReportArgs) -> std::io::Result<()> {
    let Some(path) = ctx.env.get("GITHUB_OUTPUT") else {
        return Ok(());
    };
    let verdict = match report.verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Incomplete => "incomplete",
    };
    let c = report.counts;
    let mut lines = format!(
        "verdict={verdict}\nerrors={}\nwarnings={}\nnotes={}\n",
        c.error, c.warning, c.note
    );
    for (name, format) in [("report", Format::Json), ("sarif", Format::Sarif)] {
        if let Some(o) = args.outputs.iter().find(|o| o.format == format) {
            let p = ctx.path(&o.path).display().to_string();
            // A name=value line cannot hold a newline; such a path is left out.
            if !p.contains(['\n', '\r']) {
                lines.push_str(&format!("{name}={p}\n"));
            }
        }
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(lines.as_bytes())
}

/// The exit a verdict maps to.
pub fn exit_of(report: &Report, exit_zero: bool) -> Exit {
    match report.verdict {
        Verdict::Pass => Exit::Pass,
        Verdict::Fail if exit_zero => Exit::Pass,
        Verdict::Fail => Exit::Fail,
        Verdict::Incomplete => Exit::Incomplete,
    }
}

/// Writes the files, the summary and the main rendering; maps the verdict.
fn emit(ctx: &Ctx, report: &Report, args: &ReportArgs, printed: Printed) -> Result<Exit> {
    let mut failed = Vec::new();
    if let Err(e) = step_summary(ctx, report) {
        failed.push(format!("cannot write $GITHUB_STEP_SUMMARY: {e}"));
    }
    if let Err(e) = step_outputs(ctx, report, args) {
        failed.push(format!("cannot write $GITHUB_OUTPUT: {e}"));
    }
    let opts = TextOptions {
        color: false,
        verbosity: ctx.verbosity(),
    };
    for o in &args.outputs {
        let body = render::render(report, o.format, &opts);
        if let Err(e) = write_file(&ctx.path(&o.path), body.as_bytes()) {
            failed.push(format!("cannot write {}: {e}", o.path.display()));
        }
    }
    let written = match printed {
        Printed::Stdout => {
            let opts = TextOptions {
                color: ctx.color(false),
                ..opts
            };
            let body = render::render(report, args.format, &opts);
            let mut out = std::io::stdout().lock();
            out.write_all(body.as_bytes()).and_then(|()| out.flush())
        }
        Printed::HookStderr => {
            let opts = TextOptions {
                color: ctx.color(true),
                verbosity: -1,
            };
            let body = render::render(report, Format::Text, &opts);
            let mut err = std::io::stderr().lock();
            err.write_all(body.as_bytes()).and_then(|()| err.flush())
        }
    };
    if let Err(e) = written {
        failed.push(format!("cannot write the report to standard output: {e}"));
    }
    if !failed.is_empty() {
        return Err(Error::incomplete(failed.join("; ")));
    }
    Ok(exit_of(report, args.exit_zero))
}

/// Runs the plan, prints it and publishes it; `publish` carries
/// `--require-publish` when the command publishes.
pub fn run_and_print(
    ctx: &Ctx,
    plan: Plan,
    args: &ReportArgs,
    printed: Printed,
    publish: Option<&PublishArgs>,
) -> Result<Exit> {
    let done = crate::gate::execute(plan, |report| emit(ctx, report, args, printed))?;
    let Some((name, outcome)) = done.published else {
        return Ok(done.exit);
    };
    let reason = match outcome {
        PublishOutcome::Published { id, annotations } => {
            eprintln!(
                "shipgate: published check run `{name}` ({id}) with {annotations} annotation(s)"
            );
            return Ok(done.exit);
        }
        PublishOutcome::Fallback { reason } | PublishOutcome::Failed { reason } => reason,
    };
    eprintln!(
        "shipgate: check run not published: {reason}; annotations were written as workflow commands and the job summary instead"
    );
    if args.format != Format::Github {
        print!(
            "{}",
            render::render(&done.report, Format::Github, &TextOptions::default())
        );
    }
    if publish.is_some_and(|p| p.require_publish) {
        Ok(Exit::Incomplete)
    } else {
        Ok(done.exit)
    }
}

/// `shipgate report publish REPORT.json`.
pub fn publish_saved(ctx: &Ctx, path: &Path, args: &PublishArgs) -> Result<Exit> {
    let abs = ctx.path(path);
    let shown = path.display();
    let text = std::fs::read_to_string(&abs).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::usage(format!("cannot read {shown}: {e}"))
        } else {
            Error::incomplete(format!("cannot read {shown}: {e}"))
        }
    })?;
    let report: Report = serde_json::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "{shown}:{}:{}: not a shipgate JSON report: {e}",
            e.line(),
            e.column()
        ))
    })?;
    if report.schema_version != crate::model::REPORT_SCHEMA_VERSION {
        return Err(Error::usage(format!(
            "{shown}: report has schema_version {}; this shipgate publishes version {}",
            report.schema_version,
            crate::model::REPORT_SCHEMA_VERSION
        )));
    }
    let forced = PublishArgs {
        publish: super::PublishMode::CheckRun,
        ..args.clone()
    };
    let plan = super::gate::publish_plan(ctx, &forced)?
        .ok_or_else(|| Error::usage("publishing is off"))?;
    match crate::gate::publish_saved(&plan, &report)? {
        PublishOutcome::Published { id, annotations } => {
            eprintln!(
                "shipgate: published check run `{}` ({id}) with {annotations} annotation(s)",
                plan.target.name
            );
            Ok(Exit::Pass)
        }
        PublishOutcome::Fallback { reason } | PublishOutcome::Failed { reason } => Err(
            Error::incomplete(format!("check run not published: {reason}")),
        ),
    }
}
