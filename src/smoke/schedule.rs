//! Running configured checks: dependency waves, bounded concurrency.

use super::checks::run_check;
use super::{CheckRun, Ctx, finding};
use crate::model::{CheckResult, CheckStatus, Finding, Location};
use crate::smoke::config::CheckSpec;
use std::collections::HashMap;
use std::time::Duration;

/// Runs the configured checks in dependency waves.
pub async fn run_configured(
    ctx: &Ctx,
    specs: &[CheckSpec],
    concurrency: usize,
) -> (Vec<CheckResult>, Vec<Finding>) {
    let mut done: HashMap<String, CheckStatus> = HashMap::new();
    let mut results: Vec<Option<(CheckResult, Vec<Finding>)>> =
        (0..specs.len()).map(|_| None).collect();
    let sem = tokio::sync::Semaphore::new(concurrency.max(1));
    // Waves: every check whose dependencies are done runs in the next wave.
    for _ in 0..=specs.len() {
        let wave: Vec<usize> = (0..specs.len())
            .filter(|&i| {
                results[i].is_none() && specs[i].depends_on.iter().all(|d| done.contains_key(d))
            })
            .collect();
        if wave.is_empty() {
            break;
        }
        let runs = wave.iter().map(|&i| {
            let spec = &specs[i];
            let failed_dep = spec
                .depends_on
                .iter()
                .find(|d| done.get(*d) != Some(&CheckStatus::Passed))
                .cloned();
            let sem = &sem;
            async move {
                if let Some(dep) = failed_dep {
                    return (
                        i,
                        CheckRun {
                            status: CheckStatus::Skipped,
                            duration: Duration::ZERO,
                            retries: 0,
                            problems: vec![],
                            note: Some(format!("skipped: `{dep}` did not pass")),
                        },
                    );
                }
                let _permit = sem.acquire().await;
                (i, run_check(spec, ctx).await)
            }
        });
        for (i, out) in futures_util::future::join_all(runs).await {
            let spec = &specs[i];
            done.insert(spec.name.clone(), out.status);
            let loc = Location::span(ctx.config_path.clone(), (spec.line, 1), (spec.line, 1));
            let findings: Vec<Finding> = out
                .problems
                .iter()
                .map(|p| {
                    let msg = format!("{} ({}): {}", spec.name, spec.kind.as_str(), p.message);
                    finding(
                        p.rule,
                        msg,
                        loc.clone(),
                        &format!("{}:{}", spec.name, p.rule),
                    )
                })
                .collect();
            let mut message = out.problems.first().map(|p| p.message.clone());
            if out.status == CheckStatus::Passed && out.retries > 0 {
                message = Some(format!("passed after {} retries", out.retries));
            }
            if let Some(n) = &out.note {
                message = Some(match message {
                    Some(m) => format!("{m}; {n}"),
                    None => n.clone(),
                });
            }
            results[i] = Some((
                CheckResult {
                    name: spec.name.clone(),
                    status: out.status,
                    duration_ms: out.duration.as_millis() as u64,
                    message,
                },
                findings,
            ));
        }
    }
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some((c, mut f)) => {
                checks.push(c);
                findings.append(&mut f);
            }
            None => checks.push(CheckResult::new(
                specs[i].name.clone(),
                CheckStatus::Skipped,
                Some("dependency cycle".into()),
            )),
        }
    }
    (checks, findings)
}
