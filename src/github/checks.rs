//! Publishing a report as a GitHub check run with line annotations.

use super::client::{ApiError, Client, Method, Response};
use crate::model::{Finding, Location, Report, Severity, StageStatus, Verdict};
use crate::render::github::ordered;
use crate::render::markdown::{Annotated, render_limited};
use serde_json::{Value, json};

/// GitHub accepts at most this many annotations per request.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;
/// Annotations published at most (the rest are counted in the summary).
pub const MAX_ANNOTATIONS: usize = 1000;
/// `output.summary` limit in characters.
pub const SUMMARY_MAX: usize = 65_535;

/// Where the check run goes.
#[derive(Debug, Clone)]
pub struct CheckTarget {
    /// A token unique to this shipgate run (`external_id`): after a lost answer
    /// to the create request, the run is found by it, never created twice.
    pub external_id: String,
    /// `owner/name`.
    pub repo: String,
    /// Commit the run attaches to.
    pub sha: String,
    /// Check run name (what branch protection requires).
    pub name: String,
    /// Link to the workflow run.
    pub details_url: Option<String>,
    /// `neutral` instead of `success` when the gate passed with warnings or skipped stages.
    pub neutral_on_warnings: bool,
}

/// What happened when publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishOutcome {
    /// The check run exists and carries the report.
    Published {
        /// Check run id.
        id: u64,
        /// Annotations sent.
        annotations: usize,
    },
    /// The token may not create check runs (fork PR, Dependabot, personal token);
    /// annotations go to workflow commands and the job summary instead.
    Fallback {
        /// Why, in one line.
        reason: String,
    },
    /// Publishing failed.
    Failed {
        /// Why, in one line.
        reason: String,
    },
}

enum Step {
    Fallback(String),
    Failed(String),
}

fn classify(what: &str, r: &Response) -> Step {
    let msg = r.message();
    let lower = msg.to_ascii_lowercase();
    if r.status == 403 && lower.contains("resource not accessible by integration") {
        return Step::Fallback(format!(
            "{what}: GitHub answered 403 \"{msg}\": this token is read-only (a pull request from a fork, or Dependabot); publish later with `shipgate report publish` from a workflow_run job"
        ));
    }
    if r.status == 403 && lower.contains("github app") {
        return Step::Fallback(format!(
            "{what}: GitHub answered 403 \"{msg}\": check runs need a GitHub App token such as the workflow's GITHUB_TOKEN, not a personal token"
        ));
    }
    let hint = match r.status {
        401 => " (the token was rejected)",
        403 => " (the token lacks `checks: write`)",
        404 => " (the repository is not visible to this token)",
        _ => "",
    };
    Step::Failed(format!("{what}: HTTP {} {msg}{hint}", r.status))
}

fn api(e: ApiError) -> Step {
    Step::Failed(e.to_string())
}

fn conclusion(report: &Report, neutral_on_warnings: bool) -> &'static str {
    match report.verdict {
        Verdict::Fail | Verdict::Incomplete => "failure",
        Verdict::Pass => {
            let soft = report.counts.warning > 0
                || report
                    .stages
                    .iter()
                    .any(|s| matches!(s.status, StageStatus::Skipped { .. }));
            if soft && neutral_on_warnings {
                "neutral"
            } else {
                "success"
            }
        }
    }
}

fn title(report: &Report) -> String {
    let v = match report.verdict {
        Verdict::Pass => "passed",
        Verdict::Fail => "failed",
        Verdict::Incomplete => "incomplete",
    };
    let c = report.counts;
    format!(
        "shipgate {v}: {} error(s), {} warning(s), {} note(s)",
        c.error, c.warning, c.note
    )
}

fn summary(report: &Report, annotated: usize) -> String {
    let mut s = render_limited(report, SUMMARY_MAX - 16, Annotated::CheckRun(annotated));
    // Characters, not bytes, are limited; bytes bound characters from above.
    while s.chars().count() > SUMMARY_MAX {
        s.pop();
    }
    s
}

/// A finding as a check-run annotation (file findings only).
pub fn annotation(f: &Finding) -> Option<Value> {
    let Location::File {
        path,
        line,
        column,
        end_line,
        end_column,
    } = &f.location
    else {
        return None;
    };
    let start = line.unwrap_or(1);
    let end = end_line.unwrap_or(start).max(start);
    let level = match f.severity {
        Severity::Error => "failure",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut message: String = f.message.chars().take(60_000).collect();
    if message.is_empty() {
        message = f.title.clone();
    }
    let mut a = json!({
        "path": path,
        "start_line": start,
        "end_line": end,
        "annotation_level": level,
        "message": message,
        "title": format!("{} ({})", f.title, f.rule).chars().take(255).collect::<String>(),
        "raw_details": f.help.chars().take(60_000).collect::<String>(),
    });
    // Columns only on single-line annotations (GitHub rejects them otherwise).
    if start == end
        && let (Some(c), Some(ec)) = (column, end_column)
    {
        a["start_column"] = json!(c);
        a["end_column"] = json!((*ec).max(*c));
    }
    Some(a)
}

fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let day = crate::date::Date(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", t / 3600, t % 3600 / 60, t % 60)
}

/// This commit's runs of this name: (id, external_id, status).
fn list_runs(client: &Client, t: &CheckTarget) -> Result<Vec<(u64, String, String)>, Step> {
    let path = format!(
        "/repos/{}/commits/{}/check-runs?check_name={}&filter=all&per_page=100",
        t.repo,
        t.sha,
        crate::encode::percent(&t.name, false)
    );
    let r = client.request(Method::Get, &path, None).map_err(api)?;
    if !r.ok() {
        return Err(classify("listing check runs", &r));
    }
    Ok(r.body["check_runs"]
        .as_array()
        .map(|runs| {
            runs.iter()
                .filter(|c| c["name"].as_str() == Some(t.name.as_str()))
                .filter_map(|c| {
                    Some((
                        c["id"].as_u64()?,
                        c["external_id"].as_str().unwrap_or("").to_string(),
                        c["status"].as_str().unwrap_or("").to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Creates this run `in_progress`. A rerun on the same commit gets a fresh
/// run (GitHub appends annotations to a run, so reusing one would duplicate
/// them); earlier runs of the same name left in progress are completed as
/// superseded.
pub fn start(client: &Client, t: &CheckTarget) -> Result<u64, PublishOutcome> {
    start_inner(client, t).map_err(into_outcome)
}

fn into_outcome(s: Step) -> PublishOutcome {
    match s {
        Step::Fallback(reason) => PublishOutcome::Fallback { reason },
        Step::Failed(reason) => PublishOutcome::Failed { reason },
    }
}

fn created_id(r: &Response) -> Result<u64, Step> {
    r.body["id"]
        .as_u64()
        .ok_or_else(|| Step::Failed("GitHub created a check run without an id".into()))
}

fn start_inner(client: &Client, t: &CheckTarget) -> Result<u64, Step> {
    let mut body = json!({
        "name": t.name,
        "head_sha": t.sha,
        "external_id": t.external_id,
        "status": "in_progress",
        "started_at": now_iso(),
    });
    if let Some(u) = &t.details_url {
        body["details_url"] = json!(u);
    }
    let path = format!("/repos/{}/check-runs", t.repo);
    let id = match client.request(Method::Post, &path, Some(&body)) {
        Ok(r) if r.ok() => created_id(&r)?,
        Ok(r) if r.status >= 500 => {
            recover_create(client, t, &path, &body, &format!("HTTP {}", r.status))?
        }
        Ok(r) => return Err(classify("creating the check run", &r)),
        Err(e) => recover_create(client, t, &path, &body, &e.to_string())?,
    };
    supersede(client, t, id);
    Ok(id)
}

/// The create request's answer was lost (5xx, timeout, closed connection):
/// GitHub may have stored the run. Look it up by `external_id` before
/// creating it again.
fn recover_create(
    client: &Client,
    t: &CheckTarget,
    path: &str,
    body: &Value,
    what: &str,
) -> Result<u64, Step> {
    eprintln!(
        "shipgate: creating the check run got no usable answer ({what}); looking it up before trying again"
    );
    if let Some((id, _, _)) = list_runs(client, t)?
        .into_iter()
        .find(|(_, ext, _)| *ext == t.external_id)
    {
        return Ok(id);
    }
    match client.request(Method::Post, path, Some(body)) {
        Ok(r) if r.ok() => created_id(&r),
        Ok(r) => Err(classify("creating the check run", &r)),
        Err(e) => Err(Step::Failed(format!(
            "creating the check run failed twice ({what}, then {e})"
        ))),
    }
}

/// Completes earlier in-progress runs of this name on this commit.
fn supersede(client: &Client, t: &CheckTarget, current: u64) {
    let Ok(runs) = list_runs(client, t) else {
        return;
    };
    for (id, _, status) in runs {
        if id == current || status == "completed" {
            continue;
        }
        let body = json!({
            "status": "completed",
            "conclusion": "neutral",
            "completed_at": now_iso(),
            "output": { "title": "Superseded", "summary": format!("A newer shipgate run ({current}) replaced this one.") },
        });
        let _ = client.request(
            Method::Patch,
            &format!("/repos/{}/check-runs/{id}", t.repo),
            Some(&body),
        );
    }
}

/// How many annotations GitHub holds for run `id`.
fn stored_annotations(client: &Client, t: &CheckTarget, id: u64) -> Result<usize, Step> {
    let mut count = 0;
    for page in 1..=30 {
        let r = client
            .request(
                Method::Get,
                &format!(
                    "/repos/{}/check-runs/{id}/annotations?per_page=100&page={page}",
                    t.repo
                ),
                None,
            )
            .map_err(api)?;
        if !r.ok() {
            return Err(classify("listing annotations", &r));
        }
        let n = r.body.as_array().map_or(0, Vec::len);
        count += n;
        if n < 100 {
            break;
        }
    }
    Ok(count)
}

/// Sends one PATCH with annotations exactly once: it is not retried blindly
/// (GitHub appends annotations, so a retry after a lost answer would
/// duplicate them); after a lost answer the stored count decides.
fn patch_once(
    client: &Client,
    t: &CheckTarget,
    id: u64,
    body: &Value,
    sent_before: usize,
    batch: usize,
) -> Result<usize, Step> {
    let path = format!("/repos/{}/check-runs/{id}", t.repo);
    match client.request_once(Method::Patch, &path, Some(body)) {
        Ok(r) if r.ok() => Ok(sent_before + batch),
        Ok(r) if r.status < 500 => Err(classify("adding annotations", &r)),
        Ok(_) | Err(_) => {
            let stored = stored_annotations(client, t, id)?;
            Ok(stored.max(sent_before))
        }
    }
}

/// Completes the run with the report: annotations in batches of 50, then the
/// conclusion, title and summary.
pub fn finish(client: &Client, t: &CheckTarget, id: u64, report: &Report) -> PublishOutcome {
    finish_inner(client, t, id, report).unwrap_or_else(into_outcome)
}

fn finish_inner(
    client: &Client,
    t: &CheckTarget,
    id: u64,
    report: &Report,
) -> Result<PublishOutcome, Step> {
    let all: Vec<Value> = ordered(report).into_iter().filter_map(annotation).collect();
    let annotations = &all[..all.len().min(MAX_ANNOTATIONS)];
    let title = title(report);
    let summary = summary(report, annotations.len());
    // Annotations go in batches; a batch whose answer was lost is resumed from
    // what GitHub stored, so each annotation is sent once.
    let mut sent = 0;
    for _ in 0..(annotations.len() / ANNOTATIONS_PER_REQUEST + 3) {
        if sent >= annotations.len() {
            break;
        }
        let end = (sent + ANNOTATIONS_PER_REQUEST).min(annotations.len());
        let batch = &annotations[sent..end];
        let body =
            json!({ "output": { "title": title, "summary": summary, "annotations": batch } });
        sent = patch_once(client, t, id, &body, sent, batch.len())?;
    }
    complete(
        client,
        t,
        id,
        conclusion(report, t.neutral_on_warnings),
        &title,
        &summary,
    )?;
    Ok(PublishOutcome::Published {
        id,
        annotations: sent.min(annotations.len()),
    })
}

/// The final PATCH: status, conclusion, title and summary (no annotations,
/// so retrying it is harmless).
fn complete(
    client: &Client,
    t: &CheckTarget,
    id: u64,
    conclusion: &str,
    title: &str,
    summary: &str,
) -> Result<(), Step> {
    let mut body = json!({
        "status": "completed",
        "conclusion": conclusion,
        "completed_at": now_iso(),
        "output": { "title": title, "summary": summary },
    });
    if let Some(u) = &t.details_url {
        body["details_url"] = json!(u);
    }
    let r = client
        .request(
            Method::Patch,
            &format!("/repos/{}/check-runs/{id}", t.repo),
            Some(&body),
        )
        .map_err(api)?;
    if r.ok() {
        Ok(())
    } else {
        Err(classify("completing the check run", &r))
    }
}

/// Completes a started run as failed because shipgate could not finish
/// (a usage error after the run started, an error, a panic).
pub fn abort(client: &Client, t: &CheckTarget, id: u64, reason: &str) -> PublishOutcome {
    let summary = format!(
        "shipgate stopped before it could report: {reason}\n\nThe gate did not run to the end, so it did not pass."
    );
    match complete(
        client,
        t,
        id,
        "failure",
        "shipgate could not complete",
        &summary,
    ) {
        Ok(()) => PublishOutcome::Published { id, annotations: 0 },
        Err(s) => into_outcome(s),
    }
}

/// Creates and completes a run in one go (`shipgate report publish`).
pub fn publish(client: &Client, t: &CheckTarget, report: &Report) -> PublishOutcome {
    match start(client, t) {
        Ok(id) => finish(client, t, id, report),
        Err(o) => o,
    }
}
