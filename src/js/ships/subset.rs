//! The budgeted diff-scan mode: decide a few files, reading as little as possible.

use std::time::Instant;

use super::super::entry::{self, Entrypoint};
use super::super::files::{self, FxMap, FxSet};
use super::super::project::{Project, Reader};
use super::search::Search;
use super::{Budget, Decision, Explanation, PkgInfo, UndecidedReason, package_ref, packages};

/// `Shipped` if `q` is an entry file or lies under a shipped root.
fn direct_entry(q: &str, entries: &[Entrypoint]) -> Option<Decision> {
    let e = entries.iter().find(|e| {
        if e.is_root() {
            q.starts_with(e.file.as_str())
        } else {
            e.file == q
        }
    })?;
    Some(Decision::Shipped(Explanation {
        entrypoint: e.clone(),
        chain: vec![q.to_string()],
        lines: Vec::new(),
    }))
}

/// Packages whose entrypoints can reach files of `dirs` without crossing a package folder by
/// a relative path: the packages themselves, packages containing them, packages depending on
/// them by name, and packages whose tsconfig `paths` point into them.
fn relevant_packages(p: &Project<'_>, dirs: &[&str]) -> FxSet<String> {
    let mut out: FxSet<String> = FxSet::default();
    let mut all: Vec<String> = p.package_dirs.clone();
    if !p.is_package("") {
        all.push(String::new());
    }
    for d in dirs {
        out.insert((*d).to_string());
        let name = p.manifest(d).and_then(|m| m.name().map(str::to_string));
        for other in &all {
            if other == d {
                continue;
            }
            let contains = files::is_under(d, other);
            let depends = name
                .as_deref()
                .is_some_and(|n| p.manifest(other).is_some_and(|m| m.dep_field(n).is_some()));
            let paths_into = p.tsconfig_for_dir(other).is_some_and(|ts| {
                let base = ts.base_url.as_deref().unwrap_or(&ts.paths_dir).to_string();
                ts.paths.iter().flat_map(|(_, t)| t.iter()).any(|t| {
                    let lit = t.split('*').next().unwrap_or("");
                    files::join(&base, lit).is_some_and(|j| !d.is_empty() && files::is_under(&j, d))
                })
            });
            if contains || depends || paths_into {
                out.insert(other.clone());
            }
        }
    }
    out
}

/// Decide only `queries`, reading as little as possible (diff scans), with the default [`Budget`].
pub fn ships_subset(
    queries: &[String],
    files: &[String],
    read: Reader<'_>,
    extra_entrypoints: &[String],
) -> Vec<(String, Decision)> {
    ships_subset_with(queries, files, read, extra_entrypoints, Budget::default())
}

/// [`ships_subset`] with an explicit budget. Every answer is either what [`ships`] would
/// say, or `Undecided` (budget exhausted); chains found are valid but not necessarily shortest.
///
/// [`ships`]: super::ships
pub fn ships_subset_with(
    queries: &[String],
    files: &[String],
    read: Reader<'_>,
    extra_entrypoints: &[String],
    budget: Budget,
) -> Vec<(String, Decision)> {
    let deadline = Instant::now().checked_add(budget.max_time);
    let p = Project::new(files, read);
    let Some(entries) = entry::collect_until(&p, extra_entrypoints, deadline) else {
        return out_of_time(queries, &p);
    };
    let pk = packages(&p, &entries);
    if entries.iter().all(|e| e.weak) {
        // Same as `ships` returning None: the caller's globs decide everything.
        return queries
            .iter()
            .map(|q| {
                let package = pk.get(p.package_of(q)).map(|i| i.r.clone());
                let reason = UndecidedReason::NoEntrypoint;
                (q.clone(), Decision::Undecided { package, reason })
            })
            .collect();
    }
    let (mut out, pending) = classify(queries, &p, &entries, &pk);
    if pending.is_empty() {
        return finish(queries, out);
    }
    let trust = budget.trust_package_boundaries;
    let groups = groups(&p, &pk, queries, pending, trust && !past(deadline));
    let reads0 = p.reads();
    let over = || p.reads().saturating_sub(reads0) >= budget.max_files || past(deadline);
    let scan = Scan {
        p: &p,
        entries: &entries,
        pk: &pk,
        queries,
        over: &over,
        deadline,
    };
    for (group, keep) in groups {
        for (qi, d) in scan.search_group(group, keep.as_ref()) {
            if let Some(slot) = out.get_mut(qi) {
                *slot = Some(d);
            }
        }
    }
    finish(queries, out)
}

/// Answers when the deadline passed before the entrypoints were all known: only "not in the
/// file list" is certain; everything else could still be an entry file or under a shipped
/// root, so it is left to the budget.
fn out_of_time(queries: &[String], p: &Project<'_>) -> Vec<(String, Decision)> {
    queries
        .iter()
        .map(|q| {
            let package = Some(package_ref(p, p.package_of(q)));
            let reason = if p.is_file(q) {
                UndecidedReason::Budget
            } else {
                UndecidedReason::UnknownFile
            };
            (q.clone(), Decision::Undecided { package, reason })
        })
        .collect()
}

/// Decide what needs no search (unknown files, entry files and files under shipped roots,
/// non-source files, files of packages without entrypoints); the rest come back as
/// (query index, file id) pairs.
fn classify(
    queries: &[String],
    p: &Project<'_>,
    entries: &[Entrypoint],
    pk: &FxMap<String, PkgInfo>,
) -> (Vec<Option<Decision>>, Vec<(usize, usize)>) {
    let mut out: Vec<Option<Decision>> = vec![None; queries.len()];
    let mut pending: Vec<(usize, usize)> = Vec::new();
    for (qi, q) in queries.iter().enumerate() {
        let pkg = pk.get(p.package_of(q));
        let undecided = |reason| {
            let package = pkg.map(|i| i.r.clone());
            Some(Decision::Undecided { package, reason })
        };
        let decided = match p.files.id(q) {
            None => undecided(UndecidedReason::UnknownFile),
            Some(id) => match direct_entry(q, entries) {
                Some(d) => Some(d),
                None if !files::is_source(q) || q.ends_with(".d.ts") => {
                    undecided(UndecidedReason::NotSource)
                }
                None if !pkg.is_some_and(|i| i.decided) => undecided(UndecidedReason::NoEntrypoint),
                None => {
                    pending.push((qi, id));
                    None
                }
            },
        };
        if let Some(slot) = out.get_mut(qi) {
            *slot = decided;
        }
    }
    (out, pending)
}

/// Queries (index, file id) searched together, and the entrypoints seeded (`None` = all).
type Group = (Vec<(usize, usize)>, Option<FxSet<usize>>);

/// Whether the deadline (if any) has passed.
fn past(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|d| Instant::now() >= d)
}

/// Groups searched separately: one global search, or (trusting package boundaries) one per
/// package, seeded only from the packages that can reach it; cheapest groups (fewest seeds)
/// first, so one big group cannot starve the others.
fn groups(
    p: &Project<'_>,
    pk: &FxMap<String, PkgInfo>,
    queries: &[String],
    pending: Vec<(usize, usize)>,
    trust: bool,
) -> Vec<Group> {
    if !trust {
        return vec![(pending, None)];
    }
    let mut by_pkg: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for (qi, id) in pending {
        let d = queries.get(qi).map_or("", |q| p.package_of(q)).to_string();
        match by_pkg.iter_mut().find(|(k, _)| *k == d) {
            Some((_, v)) => v.push((qi, id)),
            None => by_pkg.push((d, vec![(qi, id)])),
        }
    }
    let mut groups: Vec<Group> = by_pkg
        .into_iter()
        .map(|(d, qs)| {
            let relevant = relevant_packages(p, &[d.as_str()]);
            let keep: FxSet<usize> = relevant
                .iter()
                .filter_map(|r| pk.get(r.as_str()))
                .flat_map(|i| i.entries.iter().copied())
                .collect();
            (qs, Some(keep))
        })
        .collect();
    groups.sort_by_key(|(_, keep)| keep.as_ref().map_or(usize::MAX, FxSet::len));
    groups
}

fn finish(queries: &[String], out: Vec<Option<Decision>>) -> Vec<(String, Decision)> {
    queries
        .iter()
        .zip(out)
        .map(|(q, d)| {
            (
                q.clone(),
                d.unwrap_or(Decision::Undecided {
                    package: None,
                    reason: UndecidedReason::Budget,
                }),
            )
        })
        .collect()
}

/// What every group's search shares.
struct Scan<'s, 'a> {
    p: &'s Project<'a>,
    entries: &'s [Entrypoint],
    pk: &'s FxMap<String, PkgInfo>,
    queries: &'s [String],
    /// Whether the budget is spent (files read or time).
    over: &'s dyn Fn() -> bool,
    deadline: Option<Instant>,
}

impl Scan<'_, '_> {
    /// Best-first search from the kept entrypoints (all when `keep` is `None`) until every
    /// query of the group is reached, the queue runs dry (the rest are not shipped, unless a
    /// file was skipped), or the budget is spent.
    fn search_group(
        &self,
        mut pending: Vec<(usize, usize)>,
        keep: Option<&FxSet<usize>>,
    ) -> Vec<(usize, Decision)> {
        let mut done = Vec::new();
        if (self.over)() {
            // Seeds never hit a pending query (those were decided as entry files), so
            // searching would only be slower to say the same.
            self.unreached(pending, false, &mut done);
            return done;
        }
        let mut s = Search::new(self.p);
        s.deadline = self.deadline;
        s.targets = self.targets(&pending);
        s.seed(self.entries, &|i| keep.is_none_or(|k| k.contains(&i)));
        self.reached(&s, &mut pending, None, &mut done);
        let mut exhausted = false;
        while !pending.is_empty() {
            if (self.over)() {
                break;
            }
            let Some(new) = s.step() else {
                exhausted = !s.skipped;
                break;
            };
            if !new.is_empty() {
                self.reached(&s, &mut pending, Some(&new), &mut done);
                s.targets = self.targets(&pending);
            }
        }
        self.unreached(pending, exhausted, &mut done);
        done
    }

    fn targets(&self, pending: &[(usize, usize)]) -> Vec<&str> {
        pending
            .iter()
            .filter_map(|(qi, _)| self.queries.get(*qi).map(String::as_str))
            .collect()
    }

    /// Move the pending queries the search reached (among `new`, or at all) to `done`.
    fn reached(
        &self,
        s: &Search<'_, '_>,
        pending: &mut Vec<(usize, usize)>,
        new: Option<&[usize]>,
        done: &mut Vec<(usize, Decision)>,
    ) {
        pending.retain(|(qi, id)| {
            let hit = match new {
                Some(n) => n.contains(id),
                None => s.link(*id).is_some(),
            };
            if hit && let Some(x) = s.explanation(*id, self.entries) {
                done.push((*qi, Decision::Shipped(x)));
            }
            !hit
        });
    }

    /// Decisions for the queries never reached: not shipped after an exhaustive search,
    /// else undecided (budget).
    fn unreached(
        &self,
        pending: Vec<(usize, usize)>,
        exhausted: bool,
        done: &mut Vec<(usize, Decision)>,
    ) {
        for (qi, _) in pending {
            let info = self
                .queries
                .get(qi)
                .and_then(|q| self.pk.get(self.p.package_of(q)));
            let d = match (exhausted, info) {
                (true, Some(i)) => Decision::NotShipped {
                    package: i.r.clone(),
                    entrypoints: i
                        .entries
                        .iter()
                        .filter_map(|&e| self.entries.get(e).cloned())
                        .collect(),
                },
                _ => Decision::Undecided {
                    package: info.map(|i| i.r.clone()),
                    reason: UndecidedReason::Budget,
                },
            };
            done.push((qi, d));
        }
    }
}
