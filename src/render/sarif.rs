//! SARIF 2.1.0 for GitHub code scanning: repo-relative URIs under `%SRCROOT%`,
//! one `tool.driver.rules` entry per rule, `partialFingerprints`, numeric
//! `security-severity` for secret rules, suppressed findings with `suppressions`.

use crate::model::{Finding, Location, Report, Severity, SuppressionKind};
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// GitHub's security severity scale (0.1–10) for security rules: the
/// report's rule catalog says which they are (older reports without one:
/// secrets and env secret rules).
fn security_severity(report: &Report, f: &Finding) -> Option<&'static str> {
    let security = match report.rules.get(&f.rule) {
        Some(info) => info.security,
        None => {
            f.rule.starts_with("secrets/")
                || f.rule.starts_with("env/committed-secret")
                || f.rule.starts_with("env/exposed-secret")
        }
    };
    if !security {
        return None;
    }
    Some(match f.severity {
        Severity::Error => "9.0",
        Severity::Warning => "6.0",
        Severity::Note => "3.0",
    })
}

fn uri(path: &str) -> String {
    crate::encode::percent(path, true)
}

fn file_uri_of_root(root: &str) -> String {
    let mut r = uri(root);
    if !r.starts_with('/') {
        r.insert(0, '/');
    }
    if !r.ends_with('/') {
        r.push('/');
    }
    format!("file://{r}")
}

fn location(f: &Finding) -> Value {
    match &f.location {
        Location::File {
            path,
            line,
            column,
            end_line,
            end_column,
        } => {
            let mut phys = json!({
                "artifactLocation": { "uri": uri(path), "uriBaseId": "%SRCROOT%" }
            });
            if let Some(l) = line {
                let mut region = json!({ "startLine": l });
                if let Some(c) = column {
                    region["startColumn"] = json!(c);
                }
                if let Some(el) = end_line {
                    region["endLine"] = json!(el);
                }
                if let Some(ec) = end_column
                    && column.is_some_and(|c| *ec > c || end_line != line)
                {
                    region["endColumn"] = json!(ec);
                }
                if let Some(s) = &f.snippet {
                    region["snippet"] = json!({ "text": s.text });
                }
                phys["region"] = region;
            }
            json!({ "physicalLocation": phys })
        }
        Location::Url { url } => json!({
            "logicalLocations": [{ "fullyQualifiedName": url, "kind": "resource" }]
        }),
        Location::Repo { repo, branch } => {
            let name = match branch {
                Some(b) => format!("{repo}:{b}"),
                None => repo.clone(),
            };
            json!({ "logicalLocations": [{ "fullyQualifiedName": name, "kind": "resource" }] })
        }
    }
}

/// Renders the report as SARIF 2.1.0.
pub fn render(report: &Report) -> String {
    // Rules in order of first appearance; metadata from the first finding of each.
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    for f in report.findings() {
        let idx = *rule_index.entry(&f.rule).or_insert_with(|| {
            let mut props = json!({ "tags": [f.rule.split('/').next().unwrap_or("shipgate")] });
            if let Some(s) = security_severity(report, f) {
                props["security-severity"] = json!(s);
                props["tags"] = json!(["security", f.rule.split('/').next().unwrap_or("shipgate")]);
            }
            let (title, help) = report
                .rules
                .get(&f.rule)
                .map_or((f.title.as_str(), f.help.as_str()), |i| {
                    (i.title.as_str(), i.help.as_str())
                });
            rules.push(json!({
                "id": f.rule,
                "name": title,
                "shortDescription": { "text": title },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(f.severity) },
                "properties": props,
            }));
            rules.len() - 1
        });
        let mut r = json!({
            "ruleId": f.rule,
            "ruleIndex": idx,
            "level": level(f.severity),
            "message": { "text": f.message },
            "locations": [location(f)],
            "partialFingerprints": { "shipgate/v1": f.fingerprint.0 },
        });
        if let Some(s) = &f.suppressed {
            let kind = match s.kind {
                SuppressionKind::Inline => "inSource",
                SuppressionKind::Config | SuppressionKind::Baseline => "external",
            };
            r["suppressions"] =
                json!([{ "kind": kind, "status": "accepted", "justification": s.reason }]);
        }
        results.push(r);
    }
    let invocations: Vec<Value> = report
        .stages
        .iter()
        .filter_map(|s| match &s.status {
            crate::model::StageStatus::Errored { reason } | crate::model::StageStatus::Skipped { reason } => Some(json!({
                "level": if matches!(s.status, crate::model::StageStatus::Errored { .. }) { "error" } else { "note" },
                "message": { "text": format!("stage {} {}: {reason}", s.name, s.status.label()) }
            })),
            _ => None,
        })
        .collect();
    let complete = !report
        .stages
        .iter()
        .any(|s| matches!(s.status, crate::model::StageStatus::Errored { .. }));
    let mut run = json!({
        "tool": { "driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "semanticVersion": report.tool.version,
            "rules": rules,
        }},
        "originalUriBaseIds": { "%SRCROOT%": { "uri": file_uri_of_root(&report.root) } },
        "invocations": [{
            "executionSuccessful": complete,
            "toolExecutionNotifications": invocations,
        }],
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if let Some(c) = &report.commit {
        run["versionControlProvenance"] =
            json!([{ "repositoryUri": "https://github.com/", "revisionId": c }]);
        if let Some(u) = &report.repository_url {
            run["versionControlProvenance"][0]["repositoryUri"] = json!(u);
        } else if let Some(obj) = run.as_object_mut() {
            obj.remove("versionControlProvenance");
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
