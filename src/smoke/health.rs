//! Health response formats: `application/health+json` (pass/warn/fail, ok/up,
//! error/down), NestJS Terminus (`status`, `info`, `error`, `details`), Spring
//! Actuator (`UP`/`DOWN`, `components`) and plain `{status: ok|ready|live}`.

use serde_json::Value;
use std::collections::BTreeMap;

/// What a health body says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Healthy.
    Up,
    /// Degraded but serving.
    Warn,
    /// Unhealthy.
    Down,
}

fn word(s: &str) -> Option<Health> {
    match s.trim().to_ascii_lowercase().as_str() {
        "pass" | "ok" | "up" | "healthy" | "ready" | "live" | "alive" | "green" | "true" => {
            Some(Health::Up)
        }
        "warn" | "degraded" | "yellow" => Some(Health::Warn),
        "fail" | "error" | "down" | "unhealthy" | "out_of_service" | "not_ready" | "red"
        | "false" | "shutting_down" => Some(Health::Down),
        _ => None,
    }
}

fn status_of(v: &Value) -> Option<Health> {
    match v {
        Value::String(s) => word(s),
        Value::Bool(b) => Some(if *b { Health::Up } else { Health::Down }),
        Value::Object(o) => ["status", "state", "health"]
            .iter()
            .find_map(|k| o.get(*k))
            .and_then(status_of),
        _ => None,
    }
}

/// The overall status and per-component statuses of a health body, or `None`
/// when the body is not a recognised health document.
pub fn parse(body: &Value) -> Option<(Health, BTreeMap<String, Health>)> {
    let overall = status_of(body)?;
    let mut components = BTreeMap::new();
    // health+json: "checks": { "db:responseTime": [ { "status": "pass" } ] }
    if let Some(checks) = body.get("checks").and_then(Value::as_object) {
        for (k, v) in checks {
            let name = k.split(':').next().unwrap_or(k).to_string();
            let st = match v {
                Value::Array(items) => items
                    .iter()
                    .filter_map(status_of)
                    .max_by_key(|h| severity(*h)),
                other => status_of(other),
            };
            if let Some(st) = st {
                merge(&mut components, name, st);
            }
        }
    }
    // Terminus: "info" (up), "error" (down), "details" (all)
    for key in ["details", "info", "error", "components"] {
        if let Some(map) = body.get(key).and_then(Value::as_object) {
            for (k, v) in map {
                if let Some(st) = status_of(v) {
                    merge(&mut components, k.clone(), st);
                }
            }
        }
    }
    // A down component makes the whole thing down even if the top says ok.
    let worst = components.values().copied().max_by_key(|h| severity(*h));
    let overall = match worst {
        Some(w) if severity(w) > severity(overall) => w,
        _ => overall,
    };
    Some((overall, components))
}

fn severity(h: Health) -> u8 {
    match h {
        Health::Up => 0,
        Health::Warn => 1,
        Health::Down => 2,
    }
}

fn merge(map: &mut BTreeMap<String, Health>, name: String, st: Health) {
    let e = map.entry(name).or_insert(st);
    if severity(st) > severity(*e) {
        *e = st;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn understands_the_common_formats() {
        let (h, _) = parse(&json!({"status": "pass"})).unwrap();
        assert_eq!(h, Health::Up);
        let (h, c) =
            parse(&json!({"status": "pass", "checks": {"db:responseTime": [{"status": "fail"}]}}))
                .unwrap();
        assert_eq!(h, Health::Down);
        assert_eq!(c["db"], Health::Down);
        let terminus = json!({"status": "error", "info": {"mongo": {"status": "up"}}, "error": {"redis": {"status": "down", "message": "x"}}, "details": {"mongo": {"status": "up"}, "redis": {"status": "down"}}});
        let (h, c) = parse(&terminus).unwrap();
        assert_eq!(h, Health::Down);
        assert_eq!(c["mongo"], Health::Up);
        assert_eq!(c["redis"], Health::Down);
        let spring = json!({"status": "UP", "components": {"db": {"status": "UP"}, "diskSpace": {"status": "UP"}}});
        assert_eq!(parse(&spring).unwrap().0, Health::Up);
        assert_eq!(parse(&json!({"status": "DOWN"})).unwrap().0, Health::Down);
        assert_eq!(parse(&json!({"status": "ok"})).unwrap().0, Health::Up);
        assert_eq!(parse(&json!({"status": "ready"})).unwrap().0, Health::Up);
        assert_eq!(parse(&json!({"status": "warn"})).unwrap().0, Health::Warn);
        assert!(parse(&json!({"hello": "world"})).is_none());
        assert!(parse(&json!([1, 2])).is_none());
    }
}
