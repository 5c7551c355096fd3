//! Repository rulesets by name: create, update, no-op; weakening detection.

use crate::error::{Error, Result};
use crate::github::client::{Client, Method};
use serde_json::{Value, json};

/// The fields shipgate manages, normalised for comparison.
pub fn normalise(v: &Value) -> Value {
    let mut rules: Vec<Value> = v["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let mut o = json!({ "type": r["type"] });
            if let Some(p) = r.get("parameters").filter(|p| !p.is_null()) {
                o["parameters"] = p.clone();
            }
            o
        })
        .collect();
    rules.sort_by_key(|r| r.to_string());
    let mut actors: Vec<Value> = v["bypass_actors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|a| json!({ "actor_id": a["actor_id"], "actor_type": a["actor_type"], "bypass_mode": a.get("bypass_mode").cloned().unwrap_or(json!("always")) }))
        .collect();
    actors.sort_by_key(|a| a.to_string());
    json!({
        "name": v["name"],
        "target": v.get("target").cloned().filter(|t| !t.is_null()).unwrap_or(json!("branch")),
        "enforcement": v["enforcement"],
        "bypass_actors": actors,
        "conditions": v.get("conditions").cloned().unwrap_or(Value::Null),
        "rules": rules,
    })
}

fn rank(enforcement: &Value) -> u8 {
    match enforcement.as_str() {
        Some("active") => 2,
        Some("evaluate") => 1,
        _ => 0,
    }
}

/// What would change, in words, and whether it weakens.
pub fn changes(have: &Value, want: &Value) -> Vec<(String, bool)> {
    let (h, w) = (normalise(have), normalise(want));
    let mut out = Vec::new();
    for key in [
        "target",
        "enforcement",
        "bypass_actors",
        "conditions",
        "rules",
    ] {
        if h[key] != w[key] {
            let weakens = match key {
                "enforcement" => rank(&w[key]) < rank(&h[key]),
                "rules" => h["rules"].as_array().is_some_and(|hr| {
                    hr.iter().any(|r| {
                        !w["rules"]
                            .as_array()
                            .is_some_and(|wr| wr.iter().any(|x| x["type"] == r["type"]))
                    })
                }),
                "bypass_actors" => {
                    w["bypass_actors"].as_array().map_or(0, Vec::len)
                        > h["bypass_actors"].as_array().map_or(0, Vec::len)
                }
                _ => false,
            };
            let describe = |v: &Value| match key {
                "rules" => {
                    let types: Vec<String> = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|r| r["type"].as_str().unwrap_or("?").to_string())
                                .collect()
                        })
                        .unwrap_or_default();
                    format!("[{}]", types.join(", "))
                }
                _ => v.to_string(),
            };
            out.push((
                format!("{key}: {} -> {}", describe(&h[key]), describe(&w[key])),
                weakens,
            ));
        }
    }
    out
}

/// A ruleset's plan.
#[derive(Debug, Clone)]
pub struct RulesetPlan {
    /// Name.
    pub name: String,
    /// GitHub's id when it exists.
    pub id: Option<u64>,
    /// Desired body.
    pub body: Value,
    /// Changes (empty: nothing to do); each with whether it weakens.
    pub changes: Vec<(String, bool)>,
}

/// Reads the repository's rulesets and plans the configured ones.
pub fn plan(client: &Client, repo: &str, desired: &[Value]) -> Result<Vec<RulesetPlan>> {
    if desired.is_empty() {
        return Ok(Vec::new());
    }
    let r = client.request(
        Method::Get,
        &format!("/repos/{repo}/rulesets?per_page=100"),
        None,
    )?;
    if !r.ok() {
        return Err(Error::incomplete(format!(
            "listing rulesets of {repo}: HTTP {} {}",
            r.status,
            r.message()
        )));
    }
    let list = r.body.as_array().cloned().unwrap_or_default();
    let mut plans = Vec::new();
    for want in desired {
        let name = want["name"].as_str().unwrap_or("").to_string();
        let existing = list
            .iter()
            .find(|x| x["name"].as_str() == Some(name.as_str()));
        match existing.and_then(|e| e["id"].as_u64()) {
            None => plans.push(RulesetPlan {
                name: name.clone(),
                id: None,
                body: want.clone(),
                changes: vec![(format!("create ruleset `{name}`"), false)],
            }),
            Some(id) => {
                let r =
                    client.request(Method::Get, &format!("/repos/{repo}/rulesets/{id}"), None)?;
                if !r.ok() {
                    return Err(Error::incomplete(format!(
                        "reading ruleset `{name}` of {repo}: HTTP {} {}",
                        r.status,
                        r.message()
                    )));
                }
                plans.push(RulesetPlan {
                    name,
                    id: Some(id),
                    body: want.clone(),
                    changes: changes(&r.body, want),
                });
            }
        }
    }
    Ok(plans)
}

/// Creates or updates, then reads back.
pub fn apply(client: &Client, repo: &str, plans: &[RulesetPlan]) -> Result<()> {
    for p in plans.iter().filter(|p| !p.changes.is_empty()) {
        let (method, path) = match p.id {
            None => (Method::Post, format!("/repos/{repo}/rulesets")),
            Some(id) => (Method::Put, format!("/repos/{repo}/rulesets/{id}")),
        };
        let r = client.request(method, &path, Some(&p.body))?;
        if !r.ok() {
            return Err(Error::incomplete(format!(
                "writing ruleset `{}` of {repo}: HTTP {} {}",
                p.name,
                r.status,
                r.message()
            )));
        }
        let id = r.body["id"]
            .as_u64()
            .or(p.id)
            .ok_or_else(|| Error::incomplete("GitHub answered without a ruleset id"))?;
        let back = client.request(Method::Get, &format!("/repos/{repo}/rulesets/{id}"), None)?;
        if !changes(&back.body, &p.body).is_empty() {
            return Err(Error::incomplete(format!(
                "GitHub accepted ruleset `{}` but did not store it as sent",
                p.name
            )));
        }
    }
    Ok(())
}
