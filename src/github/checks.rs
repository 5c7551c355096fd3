//! Publishing a report as a GitHub check run with line annotations.

use super::client::{ApiError, Client, Method, Response};
use crate::model::{Finding, Location, Report, Severity, StageStatus, Verdict};
use crate::render::github::ordered;
use crate::render::markdown::render_limited;
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

fn summary(report: &Report, dropped: usize) -> String {
    let note = if dropped > 0 {
        format!(
            "\n{dropped} more finding(s) were not annotated (at most {MAX_ANNOTATIONS} annotations are published); see the report.\n"
        )
    } else {
        String::new()
    };
    let mut s = render_limited(report, SUMMARY_MAX - note.len() - 16);
    s.push_str(&note);
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
    let day = crate::config::Date(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", t / 3600, t % 3600 / 60, t % 60)
}

/// Finds this commit's run of this name (rerun: update it instead of creating a duplicate).
fn find_existing(client: &Client, t: &CheckTarget) -> Result<Option<u64>, Step> {
    let path = format!(
        "/repos/{}/commits/{}/check-runs?check_name={}&filter=latest",
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
        .and_then(|runs| {
            runs.iter()
                .find(|c| c["name"].as_str() == Some(t.name.as_str()))
        })
        .and_then(|c| c["id"].as_u64()))
}

/// Creates the run `in_progress`, or reuses this commit's run of the same name.
pub fn start(client: &Client, t: &CheckTarget) -> Result<u64, PublishOutcome> {
    start_inner(client, t).map_err(into_outcome)
}

fn into_outcome(s: Step) -> PublishOutcome {
    match s {
        Step::Fallback(reason) => PublishOutcome::Fallback { reason },
        Step::Failed(reason) => PublishOutcome::Failed { reason },
    }
}

fn start_inner(client: &Client, t: &CheckTarget) -> Result<u64, Step> {
    let mut body = json!({ "status": "in_progress", "started_at": now_iso() });
    if let Some(u) = &t.details_url {
        body["details_url"] = json!(u);
    }
    if let Some(id) = find_existing(client, t)? {
        let r = client
            .request(
                Method::Patch,
                &format!("/repos/{}/check-runs/{id}", t.repo),
                Some(&body),
            )
            .map_err(api)?;
        return if r.ok() {
            Ok(id)
        } else {
            Err(classify("updating the check run", &r))
        };
    }
    body["name"] = json!(t.name);
    body["head_sha"] = json!(t.sha);
    let path = format!("/repos/{}/check-runs", t.repo);
    match client.request(Method::Post, &path, Some(&body)) {
        Ok(r) if r.ok() => r.body["id"]
            .as_u64()
            .ok_or_else(|| Step::Failed("GitHub created a check run without an id".into())),
        Ok(r) if r.status >= 500 => {
            // The POST may have been applied: look before creating again.
            if let Some(id) = find_existing(client, t)? {
                return Ok(id);
            }
            let r = client
                .request(Method::Post, &path, Some(&body))
                .map_err(api)?;
            if r.ok() {
                r.body["id"]
                    .as_u64()
                    .ok_or_else(|| Step::Failed("GitHub created a check run without an id".into()))
            } else {
                Err(classify("creating the check run", &r))
            }
        }
        Ok(r) => Err(classify("creating the check run", &r)),
        Err(e) => Err(api(e)),
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
    let dropped = all.len().saturating_sub(MAX_ANNOTATIONS);
    let annotations = &all[..all.len().min(MAX_ANNOTATIONS)];
    let title = title(report);
    let summary = summary(report, dropped);
    let path = format!("/repos/{}/check-runs/{id}", t.repo);
    let batches: Vec<&[Value]> = annotations.chunks(ANNOTATIONS_PER_REQUEST).collect();
    let (last, first) = match batches.split_last() {
        Some((last, first)) => (*last, first),
        None => (&[][..], &[][..]),
    };
    for batch in first {
        let body =
            json!({ "output": { "title": title, "summary": summary, "annotations": batch } });
        let r = client
            .request(Method::Patch, &path, Some(&body))
            .map_err(api)?;
        if !r.ok() {
            return Err(classify("adding annotations", &r));
        }
    }
    let mut body = json!({
        "status": "completed",
        "conclusion": conclusion(report, t.neutral_on_warnings),
        "completed_at": now_iso(),
        "output": { "title": title, "summary": summary, "annotations": last },
    });
    if let Some(u) = &t.details_url {
        body["details_url"] = json!(u);
    }
    let r = client
        .request(Method::Patch, &path, Some(&body))
        .map_err(api)?;
    if !r.ok() {
        return Err(classify("completing the check run", &r));
    }
    Ok(PublishOutcome::Published {
        id,
        annotations: annotations.len(),
    })
}

/// Creates (or reuses) and completes the run in one go (`shipgate report publish`).
pub fn publish(client: &Client, t: &CheckTarget, report: &Report) -> PublishOutcome {
    match start(client, t) {
        Ok(id) => finish(client, t, id, report),
        Err(o) => o,
    }
}
