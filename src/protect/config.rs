//! `[protect]`: desired branch protection, in GitHub's PUT shape.

use crate::toml_doc::{Doc, Tbl, to_json};
use serde_json::Value;
use std::collections::BTreeMap;

/// Top-level keys a branch entry may have.
pub const BRANCH_KEYS: &[&str] = &[
    "restrictions",
    "required_status_checks",
    "enforce_admins",
    "required_pull_request_reviews",
    "required_linear_history",
    "allow_force_pushes",
    "allow_deletions",
    "required_conversation_resolution",
    "lock_branch",
    "required_signatures",
];

/// One `[protect.branches."NAME"]`.
#[derive(Debug, Clone)]
pub struct BranchSpec {
    /// Branch name.
    pub name: String,
    /// The PUT-shape body.
    pub body: Value,
    /// Line of the table header.
    pub line: usize,
    /// Line of each top-level key.
    pub key_lines: BTreeMap<String, usize>,
}

/// `[protect]`.
#[derive(Debug, Clone, Default)]
pub struct ProtectConfig {
    /// `owner/name` (default GITHUB_REPOSITORY).
    pub repo: Option<String>,
    /// Check names produced outside workflows (e.g. other apps), never "unknown".
    pub external_checks: Vec<String>,
    /// Branches.
    pub branches: Vec<BranchSpec>,
    /// Rulesets (request bodies), with their lines.
    pub rulesets: Vec<(Value, usize)>,
}

/// Parses `[protect]`.
pub fn parse(doc: &mut Doc, mut t: Tbl) -> ProtectConfig {
    let mut c = ProtectConfig {
        repo: t.string(doc, "repo").map(|s| s.value),
        external_checks: t
            .strings(doc, "external_checks")
            .into_iter()
            .map(|s| s.value)
            .collect(),
        branches: Vec::new(),
        rulesets: Vec::new(),
    };
    if let Some(mut branches) = t.table(doc, "branches") {
        for (name, value) in branches.drain() {
            let line = doc.line_of(name.span);
            let Some(mut b) = doc.table(value, &format!("`protect.branches.{}`", name.value))
            else {
                continue;
            };
            let mut body = serde_json::Map::new();
            let mut key_lines = BTreeMap::new();
            for key in BRANCH_KEYS {
                if let Some(v) = b.take(key) {
                    key_lines.insert(key.to_string(), doc.line_of(v.span));
                    let j = to_json(&v);
                    let ok = match *key {
                        "required_status_checks"
                        | "required_pull_request_reviews"
                        | "restrictions" => j.is_object(),
                        _ => j.is_boolean(),
                    };
                    if !ok {
                        let want = if matches!(
                            *key,
                            "required_status_checks"
                                | "required_pull_request_reviews"
                                | "restrictions"
                        ) {
                            "a table"
                        } else {
                            "true or false"
                        };
                        doc.error(v.span, format!("`{key}` must be {want}"));
                    }
                    body.insert(key.to_string(), j);
                }
            }
            b.finish(doc, &format!("[protect.branches.{}]", name.value));
            c.branches.push(BranchSpec {
                name: name.value,
                body: Value::Object(body),
                line,
                key_lines,
            });
        }
        branches.finish(doc, "[protect.branches]");
    }
    for mut r in t.tables(doc, "rulesets") {
        let line = doc.line_of(r.span);
        let mut body = serde_json::Map::new();
        let name = r.required_string(doc, "name");
        if let Some(n) = &name {
            body.insert("name".into(), Value::String(n.value.clone()));
        }
        for key in [
            "target",
            "enforcement",
            "bypass_actors",
            "conditions",
            "rules",
        ] {
            if let Some(v) = r.take(key) {
                body.insert(key.into(), to_json(&v));
            }
        }
        let enforcement = body
            .get("enforcement")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !matches!(enforcement, "active" | "evaluate" | "disabled") {
            doc.error(
                r.span,
                "a ruleset needs `enforcement = \"active\" | \"evaluate\" | \"disabled\"`",
            );
        }
        r.finish(doc, "[[protect.rulesets]]");
        if name.is_some() {
            c.rulesets.push((Value::Object(body), line));
        }
    }
    t.finish(doc, "[protect]");
    c
}
