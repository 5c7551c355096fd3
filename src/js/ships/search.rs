//! The reachability search: from seeded entrypoints over non-type-only imports, recording
//! for every reached file the link it was first reached by.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::collections::hash_map::Entry;
use std::time::{Duration, Instant};

use globset::Glob;

use super::super::entry::Entrypoint;
use super::super::files::{self, FxMap};
use super::super::module::{ImportKind, parse_module};
use super::super::project::Project;
use super::Explanation;

/// How a file was first reached.
#[derive(Clone, Copy)]
pub(super) struct Link {
    /// The importing file (`None` for a seed).
    pub(super) parent: Option<u32>,
    /// Index of the entrypoint the chain starts from.
    pub(super) entry: u32,
    /// Line of the import in the parent.
    pub(super) line: u32,
    /// Imports from the seed.
    pub(super) depth: u32,
}

/// Parse cost assumed per byte when deciding whether a file still fits before the deadline:
/// `parse_module` runs at roughly 70–220 MB/s on one core (loaded or not), so 20 ns/byte is
/// pessimistic; a multi-megabyte generated file near the deadline is skipped, not parsed.
const NANOS_PER_BYTE: u64 = 20;

/// The reachability search (BFS, or best-first toward query files).
pub(super) struct Search<'p, 'a> {
    p: &'p Project<'a>,
    /// How each reached file (by id) was first reached. Sparse: a diff scan reaches a few
    /// hundred of 40k files, and a full scan pays nothing noticeable for the hashing.
    pub(super) links: FxMap<u32, Link>,
    heap: BinaryHeap<(u32, Reverse<u32>, Reverse<u64>, u32)>,
    seq: u64,
    /// Query files the search is steered toward (best-first); empty = breadth-first.
    pub(super) targets: Vec<&'p str>,
    /// Files whose parse would not fit before this instant are skipped (budgeted mode).
    pub(super) deadline: Option<Instant>,
    /// Whether a file was skipped: the search is then incomplete, even when its queue runs dry.
    pub(super) skipped: bool,
}

impl<'p, 'a> Search<'p, 'a> {
    pub(super) fn new(p: &'p Project<'a>) -> Self {
        Search {
            p,
            links: FxMap::default(),
            heap: BinaryHeap::new(),
            seq: 0,
            targets: Vec::new(),
            deadline: None,
            skipped: false,
        }
    }

    /// How file `id` was first reached, if it was.
    pub(super) fn link(&self, id: usize) -> Option<Link> {
        u32::try_from(id)
            .ok()
            .and_then(|k| self.links.get(&k).copied())
    }

    /// Whether parsing `bytes` more still fits before the deadline (always, without one).
    fn affordable(&self, bytes: usize) -> bool {
        let Some(deadline) = self.deadline else {
            return true;
        };
        let cost = Duration::from_nanos(
            u64::try_from(bytes)
                .unwrap_or(u64::MAX)
                .saturating_mul(NANOS_PER_BYTE),
        );
        Instant::now()
            .checked_add(cost)
            .is_some_and(|end| end <= deadline)
    }

    fn score(&self, path: &str) -> u32 {
        self.targets
            .iter()
            .map(|t| common_segments(path, t))
            .max()
            .unwrap_or(0)
    }

    /// Mark `id` reached (first time only) and queue it. Returns true if newly marked.
    pub(super) fn mark(&mut self, id: usize, link: Link) -> bool {
        let Ok(key) = u32::try_from(id) else {
            return false;
        };
        if id >= self.p.files.len() {
            return false;
        }
        match self.links.entry(key) {
            Entry::Occupied(_) => return false,
            Entry::Vacant(slot) => slot.insert(link),
        };
        let path = self.p.files.path(id);
        let parse = files::is_parsed(path) || (link.depth == 0 && files::ext(path).is_empty());
        if parse {
            self.seq += 1;
            let score = self.score(path);
            self.heap.push((
                score,
                Reverse(link.depth),
                Reverse(self.seq),
                u32::try_from(id).unwrap_or(u32::MAX),
            ));
        }
        true
    }

    pub(super) fn seed(&mut self, entries: &[Entrypoint], keep: &dyn Fn(usize) -> bool) {
        for (i, e) in entries.iter().enumerate().filter(|(i, _)| keep(*i)) {
            let entry = u32::try_from(i).unwrap_or(u32::MAX);
            let link = Link {
                parent: None,
                entry,
                line: 0,
                depth: 0,
            };
            if e.is_root() {
                for id in self.p.files.range_under(e.file.trim_end_matches('/')) {
                    self.mark(id, link);
                }
            } else if let Some(id) = self.p.files.id(&e.file) {
                self.mark(id, link);
            }
        }
    }

    /// Expand one queued file; returns the ids it newly reached, or `None` when the queue is empty.
    pub(super) fn step(&mut self) -> Option<Vec<usize>> {
        let (_, _, _, id) = self.heap.pop()?;
        let id = id as usize;
        let Some(link) = self.link(id) else {
            return Some(Vec::new());
        };
        let path = self.p.files.path(id);
        let Some(text) = self.p.read(path) else {
            return Some(Vec::new());
        };
        if !self.affordable(text.len()) {
            self.skipped = true;
            return Some(Vec::new());
        }
        let info = parse_module(path, &text);
        let mut new = Vec::new();
        for imp in info.imports.iter().filter(|i| !i.type_only) {
            let hits = if imp.kind == ImportKind::Glob {
                resolve_glob(self.p, path, &imp.specifier)
            } else {
                self.p.resolve(path, &imp.specifier).into_iter().collect()
            };
            for to in hits {
                let l = Link {
                    parent: u32::try_from(id).ok(),
                    entry: link.entry,
                    line: u32::try_from(imp.line).unwrap_or(u32::MAX),
                    depth: link.depth.saturating_add(1),
                };
                if self.mark(to, l) {
                    new.push(to);
                }
            }
        }
        Some(new)
    }

    pub(super) fn explanation(&self, id: usize, entries: &[Entrypoint]) -> Option<Explanation> {
        let link = self.link(id)?;
        let entrypoint = entries.get(link.entry as usize)?.clone();
        let mut chain = vec![self.p.files.path(id).to_string()];
        let mut lines = Vec::new();
        let mut cur = link;
        let mut guard = 0;
        while let Some(parent) = cur.parent {
            guard += 1;
            if guard > self.links.len() {
                break;
            }
            chain.push(self.p.files.path(parent as usize).to_string());
            lines.push(cur.line as usize);
            let Some(next) = self.link(parent as usize) else {
                break;
            };
            cur = next;
        }
        chain.reverse();
        lines.reverse();
        Some(Explanation {
            entrypoint,
            chain,
            lines,
        })
    }
}

fn common_segments(a: &str, b: &str) -> u32 {
    let n = a
        .split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Files matching a glob import (`./pages/*.tsx`, `./routes/*`) relative to `from`.
fn resolve_glob(p: &Project<'_>, from: &str, pattern: &str) -> Vec<usize> {
    let base = if pattern.starts_with('/') {
        p.package_of(from).to_string()
    } else {
        files::parent(from).to_string()
    };
    let Some(full) = files::join(&base, pattern.trim_start_matches('/')) else {
        return Vec::new();
    };
    let meta = full.find(['*', '?', '[', '{']).unwrap_or(full.len());
    let dir = files::parent(&full[..meta]).to_string();
    let loose = ["js", "jsx", "mjs", "cjs"]
        .iter()
        .find_map(|x| full.strip_suffix(&format!(".{x}")))
        .map_or_else(
            || full.clone(),
            |stem| format!("{stem}.{{js,jsx,ts,tsx,mjs,cjs,mts,cts}}"),
        );
    let Ok(glob) = Glob::new(&loose) else {
        return Vec::new();
    };
    let m = glob.compile_matcher();
    p.files
        .range_under(&dir)
        .filter(|&i| m.is_match(p.files.path(i)))
        .collect()
}
