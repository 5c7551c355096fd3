//! The check names the repository's workflows produce (what a required status
//! check must be called for it ever to pass).

use serde_json::Value;
use std::path::Path;

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every combination of a simple matrix (`key: [values]`, plus `include` entries).
fn combinations(matrix: &Value) -> Vec<Vec<(String, String)>> {
    let Some(m) = matrix.as_object() else {
        return Vec::new();
    };
    let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (k, v) in m {
        if k == "include" || k == "exclude" {
            continue;
        }
        let Some(values) = v.as_array() else { continue };
        let mut next = Vec::new();
        for c in &combos {
            for val in values {
                let mut c2 = c.clone();
                c2.push((k.clone(), scalar(val)));
                next.push(c2);
            }
        }
        combos = next;
    }
    if let Some(inc) = m.get("include").and_then(Value::as_array) {
        for i in inc {
            if let Some(o) = i.as_object() {
                combos.push(o.iter().map(|(k, v)| (k.clone(), scalar(v))).collect());
            }
        }
    }
    combos.retain(|c| !c.is_empty());
    combos
}

/// Check names of every job in `.github/workflows/*.yml` under `root`.
pub fn check_names(root: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(".github/workflows")) else {
        return names;
    };
    for e in entries.flatten() {
        let p = e.path();
        if !p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let Ok(doc) = serde_yaml::from_str::<Value>(&text) else {
            continue;
        };
        let Some(jobs) = doc["jobs"].as_object() else {
            continue;
        };
        for (id, job) in jobs {
            let base = job["name"].as_str().unwrap_or(id).to_string();
            let combos = combinations(&job["strategy"]["matrix"]);
            if combos.is_empty() {
                names.push(base);
                continue;
            }
            for c in combos {
                if base.contains("${{") {
                    let mut n = base.clone();
                    for (k, v) in &c {
                        for form in [
                            format!("${{{{ matrix.{k} }}}}"),
                            format!("${{{{matrix.{k}}}}}"),
                        ] {
                            n = n.replace(&form, v);
                        }
                    }
                    names.push(n);
                } else {
                    let vals: Vec<&str> = c.iter().map(|(_, v)| v.as_str()).collect();
                    names.push(format!("{base} ({})", vals.join(", ")));
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_ids_and_matrix_expansions() {
        let t = tempfile::tempdir().unwrap();
        let wf = t.path().join(".github/workflows");
        std::fs::create_dir_all(&wf).unwrap();
        std::fs::write(
            wf.join("ci.yml"),
            "name: CI\non: [push]\njobs:\n  validate:\n    runs-on: ubuntu-latest\n    steps: []\n  test:\n    name: test ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [linux, mac]\n    runs-on: x\n  build:\n    strategy:\n      matrix:\n        node: [18, 20]\n    runs-on: x\n",
        )
        .unwrap();
        std::fs::write(
            wf.join("audit.yaml"),
            "name: Dependency Audit\njobs:\n  audit:\n    name: audit\n    runs-on: x\n",
        )
        .unwrap();
        assert_eq!(
            check_names(t.path()),
            vec![
                "audit",
                "build (18)",
                "build (20)",
                "test linux",
                "test mac",
                "validate"
            ]
        );
    }
}
