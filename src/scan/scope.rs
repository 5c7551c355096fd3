//! Production is what ships. Production-scoped rules first apply to the
//! `[scan.production]` globs; then each file they found something in is
//! looked up in the project's deploy graph (package.json entry fields and
//! start/build scripts, framework roots, Dockerfiles, platform configs, then
//! imports). A finding in a file no entrypoint reaches is dropped and counted;
//! where no entrypoint can be found, or the search runs out of budget, the
//! globs decide as before.

use crate::js::{self, Budget, Decision};
use crate::model::StageOutcome;
use crate::rules::Ruleset;
use crate::rules::pack::Scope;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::Duration;

/// Source files larger than this are not parsed for imports.
const MAX_MODULE: u64 = 2 << 20;

/// The budget of a whole-tree scan: generous, but bounded so a huge
/// monorepo cannot hold the gate (answers past it fall back to the globs).
pub fn full_budget() -> Budget {
    let ms = if cfg!(debug_assertions) { 1500 } else { 150 };
    Budget {
        max_files: 20_000,
        max_time: Duration::from_millis(ms),
        trust_package_boundaries: false,
    }
}

/// The budget of a diff scan (the pre-push hook's path): the analysis adds at
/// most ~20 ms; answers past it fall back to the globs. Unoptimised builds
/// run the same search about ten times slower, so they get ten times the time.
pub fn diff_budget() -> Budget {
    let mut b = Budget::default();
    if cfg!(debug_assertions) {
        b.max_time *= 10;
    }
    b
}

/// Reads a repo-relative file (regular files only, bounded).
pub fn reader(root: &Path) -> impl Fn(&str) -> Option<Vec<u8>> + '_ {
    move |p: &str| {
        let abs = root.join(p);
        let meta = std::fs::symlink_metadata(&abs).ok()?;
        if !meta.is_file() || meta.len() > MAX_MODULE {
            return None;
        }
        std::fs::read(abs).ok()
    }
}

/// Ids of the production-scoped rules.
fn production_rules(rules: &Ruleset) -> BTreeSet<&str> {
    rules
        .rules
        .iter()
        .filter(|r| r.spec.scope == Scope::Production)
        .map(|r| r.spec.id.as_str())
        .collect()
}

/// What [`refine`] needs besides the stage.
pub struct ScopeInputs<'a> {
    /// Repository root.
    pub root: &'a Path,
    /// `[scan.production] entrypoints`.
    pub entrypoints: &'a [String],
    /// The search's limits.
    pub budget: Budget,
}

/// Drops the production-scoped findings in files nothing ships. `files`
/// lists the repository (sorted, `/`-separated); it is asked for only when
/// there is something to decide.
pub fn refine(
    stage: &mut StageOutcome,
    rules: &Ruleset,
    inputs: &ScopeInputs,
    files: &mut dyn FnMut() -> Option<Vec<String>>,
) {
    let prod = production_rules(rules);
    let queries: BTreeSet<String> = stage
        .findings
        .iter()
        .filter(|f| prod.contains(f.rule.as_str()))
        .filter_map(|f| f.location.path().map(str::to_string))
        .collect();
    if queries.is_empty() {
        return;
    }
    let Some(mut files) = files() else { return };
    files.sort();
    files.dedup();
    let queries: Vec<String> = queries.into_iter().collect();
    let read = reader(inputs.root);
    let decisions =
        js::ships_subset_with(&queries, &files, &read, inputs.entrypoints, inputs.budget);
    let not_shipped: HashSet<&str> = decisions
        .iter()
        .filter(|(_, d)| d.is_not_shipped())
        .map(|(p, _)| p.as_str())
        .collect();
    let undecided = decisions.iter().filter(|(_, d)| d.is_undecided()).count();
    let before = stage.findings.len();
    stage.findings.retain(|f| {
        !(prod.contains(f.rule.as_str())
            && f.location.path().is_some_and(|p| not_shipped.contains(p)))
    });
    let dropped = (before - stage.findings.len()) as u64;
    let stats = &mut stage.stats;
    stats.insert("production_findings_not_shipped".into(), dropped);
    stats.insert(
        "production_files_not_shipped".into(),
        not_shipped.len() as u64,
    );
    stats.insert("production_files_by_globs".into(), undecided as u64);
}

/// `scan --explain-scope PATH`: whether `path` is production, and why.
pub fn explain(
    path: &str,
    files: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    entrypoints: &[String],
    by_globs: bool,
) -> String {
    let budget = Budget {
        max_files: usize::MAX,
        max_time: Duration::from_secs(10),
        trust_package_boundaries: false,
    };
    let decision = js::ships_subset_with(&[path.to_string()], files, read, entrypoints, budget)
        .into_iter()
        .next()
        .map(|(_, d)| d);
    let globs = if by_globs {
        "production by the `[scan.production]` globs"
    } else {
        "not production by the `[scan.production]` globs"
    };
    match decision {
        Some(d @ Decision::Undecided { .. }) | Some(d @ Decision::Shipped(_)) if !by_globs => {
            format!(
                "{}\n  globs: {globs}; production-scoped rules do not look at it",
                js::explain_text(path, &d)
            )
        }
        Some(d @ Decision::NotShipped { .. }) => format!(
            "{}\n  globs: {globs}; production-scoped findings here are dropped",
            js::explain_text(path, &d)
        ),
        Some(d) => format!("{}\n  globs: {globs}", js::explain_text(path, &d)),
        None => format!("{path}: no decision\n  globs: {globs}"),
    }
}
