//! Health response formats: `application/health+json` (pass/warn/fail, ok/up,
//! error/down), NestJS Terminus (`status`, `info`, `error`, `details`), Spring
//! Actuator (`UP`/`DOWN`, nested `components`), plain `{status: ok|ready|live}`,
//! `checks` maps and lists, and any of these under a `data` envelope. A body
//! that claims to be JSON and is not is never healthy.

use serde_json::Value;
use std::collections::BTreeMap;

/// What a health body (or one of its components) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    /// Healthy.
    Up,
    /// Degraded but serving.
    Warn,
    /// Starting, draining or otherwise not ready yet.
    NotReady,
    /// Unhealthy.
    Down,
}

impl Health {
    /// Lowercase word for messages.
    pub fn word(self) -> &'static str {
        match self {
            Health::Up => "up",
            Health::Warn => "degraded",
            Health::NotReady => "not ready",
            Health::Down => "down",
        }
    }
}

fn word(s: &str) -> Option<Health> {
    let w = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    Some(match w.as_str() {
        "pass" | "passed" | "ok" | "up" | "healthy" | "ready" | "live" | "alive" | "green"
        | "true" | "success" | "available" | "online" | "serving" => Health::Up,
        "warn" | "warning" | "degraded" | "yellow" | "partial" => Health::Warn,
        "starting" | "initializing" | "initialising" | "booting" | "pending" | "not_ready"
        | "unready" | "warming_up" | "warmup" | "draining" | "stopping" | "shutting_down"
        | "maintenance" | "unknown" => Health::NotReady,
        "fail" | "failed" | "failure" | "error" | "down" | "unhealthy" | "out_of_service"
        | "red" | "false" | "critical" | "dead" | "offline" | "unavailable" => Health::Down,
        _ => return None,
    })
}

fn status_of(v: &Value) -> Option<Health> {
    match v {
        Value::String(s) => word(s),
        Value::Bool(b) => Some(if *b { Health::Up } else { Health::Down }),
        Value::Object(o) => ["status", "state", "health", "healthy", "ok"]
            .iter()
            .find_map(|k| o.get(*k))
            .and_then(|x| match x {
                Value::Object(_) => None,
                other => status_of(other),
            }),
        _ => None,
    }
}

/// The document itself, or the one under a `data`/`health`/`result` envelope.
fn envelope(body: &Value) -> &Value {
    if status_of(body).is_none() {
        for k in ["data", "health", "result"] {
            if let Some(inner) = body.get(k)
                && inner.is_object()
            {
                return inner;
            }
        }
    }
    body
}

/// Component states found in `v` (recursing into nested component maps).
fn components_into(v: &Value, prefix: &str, out: &mut BTreeMap<String, Health>, depth: usize) {
    if depth > 4 {
        return;
    }
    for key in [
        "checks",
        "details",
        "info",
        "error",
        "components",
        "dependencies",
        "services",
    ] {
        match v.get(key) {
            Some(Value::Object(map)) => {
                for (k, item) in map {
                    let name = format!("{prefix}{}", k.split(':').next().unwrap_or(k));
                    let st = match item {
                        Value::Array(items) => items.iter().filter_map(status_of).max(),
                        other => status_of(other),
                    };
                    if let Some(st) = st {
                        merge(out, name.clone(), st);
                    }
                    if item.is_object() {
                        components_into(item, &format!("{name}."), out, depth + 1);
                    }
                }
            }
            Some(Value::Array(items)) => {
                for item in items {
                    let name = ["name", "component", "id", "service", "componentId"]
                        .iter()
                        .find_map(|k| item.get(*k).and_then(Value::as_str));
                    if let (Some(name), Some(st)) = (name, status_of(item)) {
                        merge(out, format!("{prefix}{name}"), st);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The overall status and per-component statuses of a health body, or `None`
/// when the body is not a recognised health document. A component that is
/// down makes the whole document down even when its top level says `ok`.
pub fn parse(body: &Value) -> Option<(Health, BTreeMap<String, Health>)> {
    let doc = envelope(body);
    let mut components = BTreeMap::new();
    components_into(doc, "", &mut components, 0);
    let top = status_of(doc);
    if top.is_none() && components.is_empty() {
        return None;
    }
    let worst = components.values().copied().max();
    let overall = match (top, worst) {
        (Some(t), Some(w)) => t.max(w),
        (Some(t), None) => t,
        (None, Some(w)) => w,
        (None, None) => return None,
    };
    Some((overall, components))
}

/// What an HTTP answer from a health endpoint means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// A recognised health document.
    Document(Health, BTreeMap<String, Health>),
    /// The body claims JSON but does not parse (truncated, HTML error page…).
    BadJson(String),
    /// Not a health document (plain text `OK`, an empty body, other JSON).
    Unrecognised,
}

/// Reads a health answer's body given its content type.
pub fn read(content_type: Option<&str>, body: &[u8]) -> Reading {
    let claims_json = content_type.is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("json")
    });
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => match parse(&v) {
            Some((h, c)) => Reading::Document(h, c),
            None => Reading::Unrecognised,
        },
        Err(e) if claims_json => Reading::BadJson(e.to_string()),
        Err(_) => {
            // Plain-text bodies: a single status word is a document too.
            let text = String::from_utf8_lossy(body);
            match word(text.trim()) {
                Some(h) if text.trim().len() <= 32 => Reading::Document(h, BTreeMap::new()),
                _ => Reading::Unrecognised,
            }
        }
    }
}

/// Why a 2xx health answer is not healthy, or `None` when it is.
pub fn unhealthy(reading: &Reading) -> Option<String> {
    match reading {
        Reading::Document(Health::Down | Health::NotReady, components) => {
            let bad: Vec<String> = components
                .iter()
                .filter(|(_, h)| **h >= Health::NotReady)
                .map(|(k, h)| format!("{k} {}", h.word()))
                .collect();
            let overall = if components.values().any(|h| *h == Health::Down)
                || !components.values().any(|h| *h == Health::NotReady)
                    && matches!(reading, Reading::Document(Health::Down, _))
            {
                "down"
            } else {
                "not ready"
            };
            Some(if bad.is_empty() {
                format!("the body reports the service {overall}")
            } else {
                format!(
                    "the body reports the service {overall} ({})",
                    bad.join(", ")
                )
            })
        }
        Reading::BadJson(e) => Some(format!(
            "the body is declared JSON but is not valid JSON ({e}); a truncated or broken health answer is not healthy"
        )),
        _ => None,
    }
}

fn merge(map: &mut BTreeMap<String, Health>, name: String, st: Health) {
    let e = map.entry(name).or_insert(st);
    if st > *e {
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
        let spring = json!({"status": "UP", "components": {"db": {"status": "UP", "components": {"primary": {"status": "DOWN"}}}, "diskSpace": {"status": "UP"}}});
        let (h, c) = parse(&spring).unwrap();
        assert_eq!(h, Health::Down);
        assert_eq!(c["db.primary"], Health::Down);
        assert_eq!(parse(&json!({"status": "DOWN"})).unwrap().0, Health::Down);
        assert_eq!(parse(&json!({"status": "ok"})).unwrap().0, Health::Up);
        assert_eq!(parse(&json!({"status": "ready"})).unwrap().0, Health::Up);
        assert_eq!(parse(&json!({"status": "warn"})).unwrap().0, Health::Warn);
        assert_eq!(
            parse(&json!({"status": "starting"})).unwrap().0,
            Health::NotReady
        );
        assert!(parse(&json!({"hello": "world"})).is_none());
        assert!(parse(&json!([1, 2])).is_none());
    }

    #[test]
    fn nested_envelopes_and_lists() {
        let (h, c) =
            parse(&json!({"data": {"checks": {"database": {"status": "error"}}}})).unwrap();
        assert_eq!(h, Health::Down);
        assert_eq!(c["database"], Health::Down);
        let (h, c) =
            parse(&json!({"data": {"status": "ok", "checks": {"database": {"status": "ok"}}}}))
                .unwrap();
        assert_eq!(h, Health::Up);
        assert_eq!(c["database"], Health::Up);
        let (h, c) =
            parse(&json!({"status": "ok", "checks": [{"name": "redis", "status": "down"}]}))
                .unwrap();
        assert_eq!(h, Health::Down);
        assert_eq!(c["redis"], Health::Down);
        let (h, _) = parse(&json!({"healthy": false})).unwrap();
        assert_eq!(h, Health::Down);
    }

    #[test]
    fn broken_json_is_never_healthy() {
        let r = read(
            Some("application/json; charset=utf-8"),
            br#"{"status":"ok","che"#,
        );
        assert!(matches!(r, Reading::BadJson(_)));
        assert!(unhealthy(&r).is_some());
        assert_eq!(
            read(Some("text/plain"), b"OK"),
            Reading::Document(Health::Up, BTreeMap::new())
        );
        assert_eq!(read(None, b"<html>hi</html>"), Reading::Unrecognised);
        let starting = read(Some("application/json"), br#"{"status":"starting"}"#);
        assert!(
            unhealthy(&starting).unwrap().contains("not ready"),
            "{:?}",
            unhealthy(&starting)
        );
        let down = read(
            Some("application/json"),
            br#"{"data":{"checks":{"database":{"status":"error"}}}}"#,
        );
        assert!(unhealthy(&down).unwrap().contains("database down"));
    }
}
