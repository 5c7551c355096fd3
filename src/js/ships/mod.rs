//! What ships: files reachable from entrypoints over static, CommonJS, dynamic-literal,
//! glob and re-export imports (type-only imports are not followed), with one chain per
//! shipped file; plus a budgeted mode that decides only a few files (diff scans).
//!
//! - `search`: the reachability search itself (breadth-first, or best-first toward queries).
//! - `subset`: the budgeted diff-scan mode ([`ships_subset`], [`ships_subset_with`]).

mod search;
mod subset;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::time::Duration;

use super::entry::{self, Entrypoint};
use super::files::{self, FxMap, FxSet};
use super::project::{Project, Reader};

use self::search::Search;
pub use self::subset::{ships_subset, ships_subset_with};

/// Why a file ships: the entrypoint and the import chain from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The entrypoint the chain starts from.
    pub entrypoint: Entrypoint,
    /// Files from the entry file (or, for a shipped root directory, the file itself) to the file.
    pub chain: Vec<String>,
    /// `lines[i]`: the line in `chain[i]` whose import reaches `chain[i + 1]`.
    pub lines: Vec<usize>,
}

/// A package (`package.json` directory, or the repository root without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRef {
    /// Its directory (`""` = repository root).
    pub dir: String,
    /// `name` from its manifest.
    pub name: Option<String>,
    /// Path of its `package.json`, if it has one.
    pub manifest: Option<String>,
}

/// Why no decision was made (the caller falls back to its production globs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndecidedReason {
    /// The file's package has no entrypoint this analysis could find.
    NoEntrypoint,
    /// Not a JS/TS-family source file, and no import or shipped root reaches it.
    NotSource,
    /// The budgeted search stopped before reaching it.
    Budget,
    /// Not in the file list handed in.
    UnknownFile,
}

/// Whether a file is production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Shipped: reached from an entrypoint.
    Shipped(Explanation),
    /// Not shipped: its package has entrypoints (or is a workspace root whose members
    /// do), and none reaches it.
    NotShipped {
        /// The package it belongs to.
        package: PackageRef,
        /// That package's own entrypoints (possibly none for a workspace root).
        entrypoints: Vec<Entrypoint>,
    },
    /// No decision: fall back to globs.
    Undecided {
        /// The package it belongs to, if known.
        package: Option<PackageRef>,
        /// Why.
        reason: UndecidedReason,
    },
}

impl Decision {
    /// True for [`Decision::Shipped`].
    pub fn is_shipped(&self) -> bool {
        matches!(self, Decision::Shipped(_))
    }

    /// True for [`Decision::NotShipped`].
    pub fn is_not_shipped(&self) -> bool {
        matches!(self, Decision::NotShipped { .. })
    }

    /// True for [`Decision::Undecided`].
    pub fn is_undecided(&self) -> bool {
        matches!(self, Decision::Undecided { .. })
    }
}

/// Limits (and one trade-off) for [`ships_subset_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Source files read by the search (configuration reads not counted).
    pub max_files: usize,
    /// Wall time for the whole call: a deadline checked while the entrypoints are collected
    /// (between packages) and before each file the search reads; a file whose parse would not
    /// fit before it is skipped. The call returns shortly after it (one step plus cleanup,
    /// about a millisecond on a loaded machine).
    pub max_time: Duration,
    /// Search a query only from the entrypoints of its own package, of packages that
    /// declare a dependency on it, of packages whose tsconfig `paths` point into it, and of
    /// packages containing it — i.e. trust that no package reaches into another (or into the
    /// workspace root's loose files) by a bare relative path. Makes "not shipped" provable in
    /// milliseconds for workspace-root scripts of big monorepos; answers can then differ from
    /// [`ships`] in repositories that do import across package folders relatively.
    /// `false` (default): every entrypoint is searched, answers always agree with [`ships`]
    /// or are `Undecided`.
    pub trust_package_boundaries: bool,
}

/// The default budget keeps a diff scan within about 20 ms on a loaded 2-core machine:
/// a 12 ms deadline, plus the ~1 ms a call takes to return after it, leaves room for
/// scheduling delays. Setup (file index, package discovery, configuration) takes 1–2 ms of
/// it on a 40k-file monorepo.
impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_files: 3000,
            max_time: Duration::from_millis(12),
            trust_package_boundaries: false,
        }
    }
}

struct PkgInfo {
    r: PackageRef,
    decided: bool,
    entries: Vec<usize>,
}

/// The package at `dir` (a `package.json` directory, or the root `""`).
fn package_ref(p: &Project<'_>, dir: &str) -> PackageRef {
    PackageRef {
        dir: dir.to_string(),
        name: p.manifest(dir).and_then(|m| m.name().map(str::to_string)),
        manifest: p.is_package(dir).then(|| files::child(dir, "package.json")),
    }
}

/// Package states from the entrypoints.
fn packages(p: &Project<'_>, entries: &[Entrypoint]) -> FxMap<String, PkgInfo> {
    let mut map: FxMap<String, PkgInfo> = FxMap::default();
    let mut dirs: Vec<String> = p.package_dirs.clone();
    if !p.is_package("") {
        dirs.push(String::new());
    }
    for d in dirs {
        let r = package_ref(p, &d);
        map.insert(
            d,
            PkgInfo {
                r,
                decided: false,
                entries: Vec::new(),
            },
        );
    }
    let mut any_strong = false;
    for (i, e) in entries.iter().enumerate() {
        let owner = if e.is_root() {
            p.package_of_dir(e.file.trim_end_matches('/'))
        } else {
            p.package_of(&e.file)
        };
        if let Some(info) = map.get_mut(owner) {
            info.entries.push(i);
            if !e.weak {
                info.decided = true;
                any_strong = true;
            }
        }
    }
    if any_strong {
        for (dir, info) in map.iter_mut() {
            if !info.decided && p.has_nested_packages(dir) {
                info.decided = true;
            }
        }
    }
    map
}

/// The shipped set of a repository.
pub struct Ships {
    entries: Vec<Entrypoint>,
    /// file → (parent file, entry index, line in parent)
    reached: HashMap<String, (Option<String>, usize, usize)>,
    packages: HashMap<String, (PackageRef, bool, Vec<usize>)>,
    files: FxSet<String>,
}

/// Compute what ships. `None` when no (non-weak) entrypoint exists at all: the caller
/// then uses its production globs for everything.
pub fn ships(files: &[String], read: Reader<'_>, extra_entrypoints: &[String]) -> Option<Ships> {
    let p = Project::new(files, read);
    let entries = entry::collect(&p, extra_entrypoints);
    if entries.iter().all(|e| e.weak) {
        return None;
    }
    let pk = packages(&p, &entries);
    let mut s = Search::new(&p);
    s.seed(&entries, &|_| true);
    while s.step().is_some() {}
    let mut reached = HashMap::new();
    for (&id, l) in &s.links {
        let parent = l.parent.map(|pid| p.files.path(pid as usize).to_string());
        reached.insert(
            p.files.path(id as usize).to_string(),
            (parent, l.entry as usize, l.line as usize),
        );
    }
    let packages = pk
        .into_iter()
        .map(|(d, i)| (d, (i.r, i.decided, i.entries)))
        .collect();
    let files = p.files.iter().map(str::to_string).collect();
    Some(Ships {
        entries,
        reached,
        packages,
        files,
    })
}

impl Ships {
    /// All entrypoints found.
    pub fn entrypoints(&self) -> &[Entrypoint] {
        &self.entries
    }

    /// Whether `path` ships.
    pub fn is_shipped(&self, path: &str) -> bool {
        self.reached.contains_key(path)
    }

    /// Number of shipped files.
    pub fn shipped_count(&self) -> usize {
        self.reached.len()
    }

    /// Why `path` ships (a shortest chain), or `None` if it does not.
    pub fn explain(&self, path: &str) -> Option<Explanation> {
        let (mut parent, entry, mut line) = self.reached.get(path).cloned()?;
        let entrypoint = self.entries.get(entry)?.clone();
        let mut chain = vec![path.to_string()];
        let mut lines = Vec::new();
        while let Some(cur) = parent {
            if chain.len() > self.reached.len() {
                break;
            }
            lines.push(line);
            chain.push(cur.clone());
            let Some((pp, _, pl)) = self.reached.get(&cur) else {
                break;
            };
            parent = pp.clone();
            line = *pl;
        }
        chain.reverse();
        lines.reverse();
        Some(Explanation {
            entrypoint,
            chain,
            lines,
        })
    }

    /// The package `path` belongs to.
    pub fn package_of(&self, path: &str) -> Option<&PackageRef> {
        files::ancestors(path)
            .find_map(|d| self.packages.get(d))
            .map(|p| &p.0)
    }

    /// The decision for one file.
    pub fn decision(&self, path: &str) -> Decision {
        if let Some(x) = self.explain(path) {
            return Decision::Shipped(x);
        }
        let pkg = files::ancestors(path).find_map(|d| self.packages.get(d));
        let package = pkg.map(|p| p.0.clone());
        if !self.files.contains(path) {
            return Decision::Undecided {
                package,
                reason: UndecidedReason::UnknownFile,
            };
        }
        if !files::is_source(path) || path.ends_with(".d.ts") {
            return Decision::Undecided {
                package,
                reason: UndecidedReason::NotSource,
            };
        }
        match pkg {
            Some((r, true, own)) => Decision::NotShipped {
                package: r.clone(),
                entrypoints: own
                    .iter()
                    .filter_map(|&i| self.entries.get(i).cloned())
                    .collect(),
            },
            _ => Decision::Undecided {
                package,
                reason: UndecidedReason::NoEntrypoint,
            },
        }
    }
}
