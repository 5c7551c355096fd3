//! Small helpers over saphyr's marked nodes: tags, mapping lookups, scalars, JSON values.

use saphyr::{MarkedYaml, Scalar, YamlData};
use serde_json::Value;

/// The node under any tags (`!tag value`), up to a few levels.
pub(super) fn untag<'a, 'b>(n: &'a MarkedYaml<'b>) -> &'a MarkedYaml<'b> {
    let mut cur = n;
    for _ in 0..8 {
        match &cur.data {
            YamlData::Tagged(_, inner) => cur = inner,
            _ => break,
        }
    }
    cur
}

/// The value of `key` in mapping `n`, untagged.
pub(super) fn get<'a, 'b>(n: &'a MarkedYaml<'b>, key: &str) -> Option<&'a MarkedYaml<'b>> {
    untag(n).data.as_mapping_get(key).map(untag)
}

/// The key node and value node of `key` in mapping `n`.
pub(super) fn get_kv<'a, 'b>(
    n: &'a MarkedYaml<'b>,
    key: &str,
) -> Option<(&'a MarkedYaml<'b>, &'a MarkedYaml<'b>)> {
    if let YamlData::Mapping(m) = &untag(n).data {
        for (k, v) in m {
            if scalar_string(k).as_deref() == Some(key) {
                return Some((k, untag(v)));
            }
        }
    }
    None
}

/// A scalar rendered as GitHub renders it in strings (null → None).
pub(super) fn scalar_string(n: &MarkedYaml) -> Option<String> {
    match &untag(n).data {
        YamlData::Value(s) => scalar_to_string(s),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

/// A scalar value as a string (null → None).
fn scalar_to_string(s: &Scalar) -> Option<String> {
    match s {
        Scalar::Null => None,
        Scalar::Boolean(b) => Some(b.to_string()),
        Scalar::Integer(i) => Some(i.to_string()),
        Scalar::FloatingPoint(f) => Some(f.into_inner().to_string()),
        Scalar::String(s) => Some(s.to_string()),
    }
}
/// Convert a node to JSON (depth-bounded; aliases already resolved by the loader).
pub(super) fn to_json(n: &MarkedYaml, depth: usize) -> Value {
    if depth > 32 {
        return Value::Null;
    }
    match &untag(n).data {
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => Value::from(*i),
        YamlData::Value(Scalar::FloatingPoint(f)) => {
            serde_json::Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number)
        }
        YamlData::Value(Scalar::String(s)) => Value::String(s.to_string()),
        YamlData::Representation(s, _, _) => Value::String(s.to_string()),
        YamlData::Sequence(items) => items.iter().map(|i| to_json(i, depth + 1)).collect(),
        YamlData::Mapping(m) => Value::Object(
            m.iter()
                .filter_map(|(k, v)| Some((scalar_string(k)?, to_json(v, depth + 1))))
                .collect(),
        ),
        _ => Value::Null,
    }
}
