//! The check names the repository's workflows produce (what a required status
//! check must be called for it ever to pass), from the workflow reader in `ci`.

use std::path::Path;

/// Check names of every job in `.github/workflows/*.{yml,yaml}` under `root`
/// (a job's `name:` with matrix values substituted, else its id with the
/// matrix values appended). Unreadable or invalid workflows contribute none.
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
        let shown = p.to_string_lossy();
        let Ok(wf) = crate::ci::workflow::parse_workflow(&shown, &text) else {
            continue;
        };
        for job in &wf.jobs {
            names.extend(crate::ci::workflow::check_names(job));
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
