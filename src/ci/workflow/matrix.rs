//! `strategy.matrix`: its dimensions, include/exclude, the combinations GitHub runs and the
//! check-run names they produce.

use saphyr::{MarkedYaml, YamlData};
use serde_json::Value;

use super::yaml::{scalar_string, to_json, untag};
use super::{Job, Matrix};

/// Most matrix combinations GitHub runs for one job.
const MAX_COMBOS: usize = 256;

/// `strategy.matrix` of a job (`dynamic` when computed by an expression).
pub(super) fn parse_matrix(n: &MarkedYaml) -> Matrix {
    let mut m = Matrix::default();
    let YamlData::Mapping(map) = &untag(n).data else {
        m.dynamic = true;
        return m;
    };
    for (k, v) in map {
        let Some(key) = scalar_string(k) else {
            continue;
        };
        let v = untag(v);
        match (key.as_str(), &v.data) {
            ("include" | "exclude", YamlData::Sequence(items)) => {
                let entries = items.iter().filter_map(|e| match &untag(e).data {
                    YamlData::Mapping(m) => Some(
                        m.iter()
                            .filter_map(|(k, v)| Some((scalar_string(k)?, to_json(v, 1))))
                            .collect::<Vec<_>>(),
                    ),
                    _ => None,
                });
                if key == "include" {
                    m.include.extend(entries);
                } else {
                    m.exclude.extend(entries);
                }
            }
            (_, YamlData::Sequence(items)) => {
                m.dims
                    .push((key, items.iter().map(|i| to_json(i, 0)).collect()));
            }
            _ => m.dynamic = true,
        }
    }
    m
}

/// Every matrix combination GitHub would run (dims product, minus exclude, plus include).
pub fn matrix_combinations(m: &Matrix) -> Vec<Vec<(String, Value)>> {
    let mut combos: Vec<Vec<(String, Value)>> = if m.dims.is_empty() {
        Vec::new()
    } else {
        vec![Vec::new()]
    };
    for (k, vals) in &m.dims {
        let mut next = Vec::new();
        for c in &combos {
            for v in vals {
                if next.len() >= MAX_COMBOS {
                    break;
                }
                let mut c2 = c.clone();
                c2.push((k.clone(), v.clone()));
                next.push(c2);
            }
        }
        combos = next;
    }
    combos.retain(|c| {
        !m.exclude.iter().any(|ex| {
            ex.iter()
                .all(|(k, v)| c.iter().any(|(ck, cv)| ck == k && cv == v))
        })
    });
    let original: Vec<&str> = m.dims.iter().map(|(k, _)| k.as_str()).collect();
    for inc in &m.include {
        let mut matched = false;
        for c in combos.iter_mut() {
            let fits = inc.iter().all(|(k, v)| {
                !original.contains(&k.as_str()) || c.iter().any(|(ck, cv)| ck == k && cv == v)
            });
            if !fits {
                continue;
            }
            matched = true;
            for (k, v) in inc {
                if original.contains(&k.as_str()) {
                    continue;
                }
                match c.iter_mut().find(|(ck, _)| ck == k) {
                    Some(slot) => slot.1 = v.clone(),
                    None => c.push((k.clone(), v.clone())),
                }
            }
        }
        if !matched && combos.len() < MAX_COMBOS {
            combos.push(inc.clone());
        }
    }
    combos
}

/// Render a matrix value as GitHub shows it in check names.
fn render(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(o) => o.values().map(render).collect::<Vec<_>>().join(", "),
        Value::Array(a) => a.iter().map(render).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Substitute `${{ matrix.a.b }}` / `${{ matrix['a'] }}` in `name`; other expressions stay.
fn substitute(name: &str, combo: &[(String, Value)]) -> String {
    let mut out = String::new();
    let mut rest = name;
    while let Some(i) = rest.find("${{") {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 3..).unwrap_or("");
        let Some(j) = after.find("}}") else {
            out.push_str(rest.get(i..).unwrap_or(""));
            return out;
        };
        let expr = after.get(..j).unwrap_or("").trim();
        match matrix_lookup(expr, combo) {
            Some(v) => out.push_str(&render(&v)),
            None => out.push_str(rest.get(i..i + 3 + j + 2).unwrap_or("")),
        }
        rest = after.get(j + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The value of a `matrix.a.b` / `matrix['a']` expression in `combo`.
fn matrix_lookup(expr: &str, combo: &[(String, Value)]) -> Option<Value> {
    let path = expr.strip_prefix("matrix")?;
    let mut keys = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(r.len());
            keys.push(r.get(..end)?.to_string());
            rest = r.get(end..)?;
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let k = r.get(..end)?.trim().trim_matches(|c| c == '\'' || c == '"');
            keys.push(k.to_string());
            rest = r.get(end + 1..)?;
        } else {
            return None;
        }
    }
    let (first, more) = keys.split_first()?;
    let mut v = combo.iter().find(|(k, _)| k == first)?.1.clone();
    for k in more {
        v = v.get(k)?.clone();
    }
    Some(v)
}

/// The names GitHub reports for the job's check runs (one per matrix combination).
pub fn check_names(job: &Job) -> Vec<String> {
    let base = job.name.clone().unwrap_or_else(|| job.id.clone());
    let Some(m) = &job.matrix else {
        return vec![base];
    };
    let combos = matrix_combinations(m);
    if m.dynamic || combos.is_empty() {
        return vec![base];
    }
    let uses_matrix = job.name.as_deref().is_some_and(|n| {
        n.split("${{")
            .skip(1)
            .any(|e| e.trim_start().starts_with("matrix"))
    });
    combos
        .iter()
        .map(|c| {
            if uses_matrix {
                substitute(&base, c)
            } else {
                let vals: Vec<String> = c.iter().map(|(_, v)| render(v)).collect();
                format!("{base} ({})", vals.join(", "))
            }
        })
        .collect()
}
