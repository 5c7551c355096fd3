//! A parsed `package.json`.

use serde_json::Value;

use super::super::jsonc;

/// A parsed `package.json`.
pub struct Manifest {
    /// Path of the manifest, e.g. `apps/api/package.json`.
    pub path: String,
    /// Its directory (`""` at the root).
    pub dir: String,
    /// The parsed document.
    pub(super) doc: jsonc::Doc,
}

const DEP_FIELDS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

impl Manifest {
    /// The parsed JSON.
    pub fn json(&self) -> &Value {
        &self.doc.value
    }

    /// `name`, if a string.
    pub fn name(&self) -> Option<&str> {
        self.json().get("name").and_then(Value::as_str)
    }

    /// `"<path>:<line> (<label>)"` for the key at `key_path`.
    pub fn origin(&self, key_path: &[&str], label: &str) -> String {
        let line = jsonc::key_line(&self.doc.clean, key_path).unwrap_or(1);
        format!("{}:{line} ({label})", self.path)
    }

    /// `scripts` entries whose value is a string, in file order.
    pub fn scripts(&self) -> Vec<(&str, &str)> {
        match self.json().get("scripts").and_then(Value::as_object) {
            Some(m) => m
                .iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                .collect(),
            None => Vec::new(),
        }
    }

    /// One script's command.
    pub fn script(&self, name: &str) -> Option<&str> {
        self.json().get("scripts")?.get(name)?.as_str()
    }

    /// Which dependency field lists `dep`, if any.
    pub fn dep_field(&self, dep: &str) -> Option<&'static str> {
        DEP_FIELDS
            .iter()
            .copied()
            .find(|f| self.json().get(*f).and_then(|d| d.get(dep)).is_some())
    }

    /// Whether some dependency name starts with `prefix`.
    pub fn dep_with_prefix(&self, prefix: &str) -> Option<(&'static str, String)> {
        DEP_FIELDS.iter().copied().find_map(|f| {
            let m = self.json().get(f)?.as_object()?;
            m.keys()
                .find(|k| k.starts_with(prefix))
                .map(|k| (f, k.clone()))
        })
    }
}
