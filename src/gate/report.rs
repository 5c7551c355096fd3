//! Finishing the report: the rule catalog, the one redaction pass over every
//! text in it, and when an ignore that matched nothing may be reported.

use super::{Plan, StageRequest};
use crate::model::{Report, RuleInfo, StageStatus, rule_matches};
use crate::rules::Ruleset;
use crate::scan::Target;
use crate::secrets::Redactor;
use crate::suppress::Ignore;

/// Adds the metadata of every rule with a finding (registry or rule pack).
pub fn catalog(report: &mut Report, ruleset: &Ruleset) {
    let ids: Vec<String> = report.findings().map(|f| f.rule.clone()).collect();
    for id in ids {
        if report.rules.contains_key(&id) {
            continue;
        }
        let info = crate::registry::get(&id).map(RuleInfo::from).or_else(|| {
            ruleset
                .rules
                .iter()
                .find(|r| r.spec.id == id)
                .map(|r| RuleInfo {
                    title: r.spec.title.clone(),
                    help: r.spec.help.clone(),
                    severity: r.spec.severity,
                    security: r.spec.secret,
                })
        });
        if let Some(info) = info {
            report.rules.insert(id, info);
        }
    }
}

/// Masks secrets in every text of the report that came from outside.
pub fn redact(report: &mut Report, r: &Redactor) {
    for stage in &mut report.stages {
        if let StageStatus::Skipped { reason } | StageStatus::Errored { reason } = &mut stage.status
        {
            r.redact_in_place(reason);
        }
        for c in &mut stage.checks {
            r.redact_in_place(&mut c.name);
            if let Some(m) = &mut c.message {
                r.redact_in_place(m);
            }
        }
        for f in &mut stage.findings {
            r.redact_in_place(&mut f.message);
            if let Some(s) = &mut f.snippet {
                r.redact_in_place(&mut s.text);
            }
            if let Some(s) = &mut f.suppressed {
                r.redact_in_place(&mut s.reason);
            }
        }
    }
}

/// The stage that emits `rule` (a pack rule is the scan's).
fn owner(ruleset: &Ruleset, rule: &str) -> Option<&'static str> {
    if ruleset.rules.iter().any(|r| rule_matches(rule, &r.spec.id)) {
        return Some("scan");
    }
    crate::registry::by_stage()
        .find(|(_, m)| rule_matches(rule, m.id))
        .map(|(stage, _)| stage)
}

/// Whether stage `name` ran over everything (a full scan, not a diff or a
/// path-limited one) and completed.
fn ran_fully(plan: &Plan, snapshot: &[(String, bool)], name: &str) -> bool {
    let completed = snapshot.iter().any(|(n, ok)| n == name && *ok);
    let full = plan.stages.iter().all(|s| match s {
        StageRequest::Scan(r) if name == "scan" => {
            matches!(r.target, Target::Tree | Target::Tracked) && r.paths.is_empty()
        }
        _ => true,
    });
    completed && full
}

/// An unused ignore is reported only when every stage it could apply to ran
/// over everything: otherwise the finding it covers may just not have been looked for.
pub fn judge_unused(
    plan: &Plan,
    ruleset: &Ruleset,
    snapshot: &[(String, bool)],
    i: &Ignore,
) -> bool {
    match i.rule.as_deref().and_then(|r| owner(ruleset, r)) {
        Some("shipgate") => true,
        Some(stage) => ran_fully(plan, snapshot, stage),
        None => {
            ran_fully(plan, snapshot, "scan")
                && snapshot.iter().all(|(n, _)| ran_fully(plan, snapshot, n))
        }
    }
}
