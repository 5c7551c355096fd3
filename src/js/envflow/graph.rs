//! The analysed modules and their scheduling: modules are scanned dependencies first
//! (dependencies guessed from import specifiers by file name, no resolution needed) and
//! each scan sees the latest exports, so a chain `environment.ts → env.ts → consumers`
//! settles in one round; a module is scanned again only when something it may import
//! changed after its scan.

use memchr::memmem;

use super::super::files::{FxMap, FxSet};
use super::super::module::parse_module;
use super::code::Code;
use super::scan::ScanOut;
use super::value::Val;
use super::{KEEP_BYTES, MAX_FILE, Module, is_js, needle_of, spec_key};

/// How much of a file's start [`HEAD_NEEDLES`] are looked for in (its imports).
const HEAD: usize = 4096;
/// Imports that make a file worth analysing without `env` in it: class-validator env
/// classes (`plainToInstance`), NestJS `validationSchema`.
const HEAD_NEEDLES: &[&str] = &["plainTo", "class-transformer", "@nestjs/config"];

/// Analysed modules, by index and path, with scan bookkeeping.
#[derive(Default)]
pub(super) struct State {
    pub(super) modules: Vec<Module>,
    pub(super) by_path: FxMap<String, u32>,
    /// File names of env-exporting modules (kept current).
    pub(super) needles: FxSet<String>,
    dirty: Vec<u32>,
    seq: u64,
    /// When each module was last scanned / last changed its exports (0: never).
    scanned_at: Vec<u64>,
    changed_at: Vec<u64>,
    /// Texts of the caller's files not analysed, by file index, within [`KEEP_BYTES`].
    kept: Vec<Option<Vec<u8>>>,
    /// Which of the caller's files are JS/TS-family files this analysis reads.
    js: Vec<bool>,
}

impl State {
    /// Read every JS/TS file once: those mentioning `env`, or importing class-transformer
    /// or `@nestjs/config` (seen in the first [`HEAD`] bytes), are analysed, the others
    /// kept (within a budget) for [`State::discover`].
    pub(super) fn prefilter(&mut self, files: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) {
        let env = memmem::Finder::new(b"env");
        let heads: Vec<memmem::Finder> = HEAD_NEEDLES.iter().map(memmem::Finder::new).collect();
        self.kept = vec![None; files.len()];
        self.js = files.iter().map(|f| is_js(f)).collect();
        let mut budget = KEEP_BYTES;
        for (i, f) in files.iter().enumerate() {
            if self.js.get(i) != Some(&true) {
                continue;
            }
            let Some(text) = read(f) else { continue };
            let head = text.get(..HEAD).unwrap_or(&text);
            if mentions_word(&text, &env) || heads.iter().any(|h| h.find(head).is_some()) {
                self.load(f, text);
            } else if text.len() <= budget {
                budget -= text.len();
                if let Some(k) = self.kept.get_mut(i) {
                    *k = Some(text);
                }
            }
        }
    }

    /// Analyse `path` (ignored when already loaded or too large).
    pub(super) fn load(&mut self, path: &str, text: Vec<u8>) {
        if self.by_path.contains_key(path) || text.len() > MAX_FILE {
            return;
        }
        let info = parse_module(path, &text);
        let idx = self.modules.len() as u32;
        self.modules.push(Module {
            path: path.to_string(),
            code: Code::new(text),
            info,
            exports: FxMap::default(),
            out: None,
        });
        self.by_path.insert(path.to_string(), idx);
        self.scanned_at.push(0);
        self.changed_at.push(0);
        self.dirty.push(idx);
    }

    /// Store a scan's result; demanded files go to `demands`.
    pub(super) fn apply(&mut self, i: u32, mut out: ScanOut, demands: &mut Vec<String>) {
        self.seq += 1;
        let Some(m) = self.modules.get_mut(i as usize) else {
            return;
        };
        let changed = m.exports != out.exports;
        if changed {
            m.exports = std::mem::take(&mut out.exports);
        }
        demands.append(&mut out.demands);
        m.out = Some(out);
        if let Some(s) = self.scanned_at.get_mut(i as usize) {
            *s = self.seq;
        }
        if changed {
            if let Some(c) = self.changed_at.get_mut(i as usize) {
                *c = self.seq;
            }
            self.needles = self
                .modules
                .iter()
                .filter(|m| m.exports.values().any(Val::env_like))
                .map(|m| needle_of(&m.path).to_string())
                .filter(|n| !n.is_empty())
                .collect();
        }
    }

    /// Modules that may be imported by module `i`: those named like its specifiers,
    /// plus the analysed modules its last scan used.
    fn deps<'s>(&'s self, i: usize, by_name: &'s FxMap<&'s str, Vec<u32>>) -> Vec<u32> {
        let Some(m) = self.modules.get(i) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = m
            .info
            .imports
            .iter()
            .filter_map(|imp| spec_key(&imp.specifier))
            .filter_map(|k| by_name.get(k))
            .flatten()
            .copied()
            .collect();
        if let Some(o) = &m.out {
            out.extend(o.targets.iter().copied());
        }
        out
    }

    fn by_name(&self) -> FxMap<&str, Vec<u32>> {
        let mut by_name: FxMap<&str, Vec<u32>> = FxMap::default();
        for (i, m) in self.modules.iter().enumerate() {
            by_name
                .entry(needle_of(&m.path))
                .or_default()
                .push(i as u32);
        }
        by_name
    }

    /// The dirty modules, dependencies first (iterative post-order; cycles cut anywhere).
    pub(super) fn order(&mut self) -> Vec<u32> {
        let dirty = std::mem::take(&mut self.dirty);
        if dirty.is_empty() {
            return dirty;
        }
        let by_name = self.by_name();
        let mut want = vec![false; self.modules.len()];
        for &d in &dirty {
            if let Some(w) = want.get_mut(d as usize) {
                *w = true;
            }
        }
        let mut state = vec![0u8; self.modules.len()]; // 0 new, 1 open, 2 done
        let mut order = Vec::with_capacity(dirty.len());
        for &root in &dirty {
            if state.get(root as usize) != Some(&0) {
                continue;
            }
            let mut stack: Vec<(u32, Vec<u32>)> = vec![(root, self.deps(root as usize, &by_name))];
            if let Some(s) = state.get_mut(root as usize) {
                *s = 1;
            }
            while let Some((node, pending)) = stack.last_mut() {
                let node = *node;
                match pending.pop() {
                    Some(d)
                        if want.get(d as usize) == Some(&true)
                            && state.get(d as usize) == Some(&0) =>
                    {
                        if let Some(s) = state.get_mut(d as usize) {
                            *s = 1;
                        }
                        let next = self.deps(d as usize, &by_name);
                        stack.push((d, next));
                    }
                    Some(_) => {}
                    None => {
                        if let Some(s) = state.get_mut(node as usize) {
                            *s = 2;
                        }
                        order.push(node);
                        stack.pop();
                    }
                }
            }
        }
        order
    }

    /// Mark for another scan the modules a dependency of which changed after their scan.
    pub(super) fn mark_stale(&mut self) {
        let by_name = self.by_name();
        let mut queued = vec![false; self.modules.len()];
        for &d in &self.dirty {
            if let Some(q) = queued.get_mut(d as usize) {
                *q = true;
            }
        }
        let mut stale = Vec::new();
        for i in 0..self.modules.len() {
            let seen = self.scanned_at.get(i).copied().unwrap_or(0);
            if seen == 0 || queued.get(i) == Some(&true) {
                continue;
            }
            let newer = self
                .deps(i, &by_name)
                .into_iter()
                .any(|d| self.changed_at.get(d as usize).is_some_and(|&c| c > seen));
            if newer {
                stale.push(i as u32);
            }
        }
        self.dirty.extend(stale);
    }

    /// Load the files that mention a new needle (a file name without `env` in it of an
    /// env-exporting module) as a path's last segment: they may import it.
    pub(super) fn discover(
        &mut self,
        files: &[String],
        read: &dyn Fn(&str) -> Option<Vec<u8>>,
        searched: &mut FxSet<String>,
    ) {
        let fresh: Vec<String> = self
            .needles
            .iter()
            .filter(|n| n.as_str() != "env" && !searched.contains(*n))
            .cloned()
            .collect();
        if fresh.is_empty() {
            return;
        }
        searched.extend(fresh.iter().cloned());
        let finders: Vec<memmem::Finder> = fresh.iter().map(memmem::Finder::new).collect();
        for (i, f) in files.iter().enumerate() {
            if self.js.get(i) != Some(&true) || self.by_path.contains_key(f.as_str()) {
                continue;
            }
            let kept = self.kept.get_mut(i).and_then(Option::take);
            let Some(text) = kept.or_else(|| read(f)) else {
                continue;
            };
            if finders.iter().any(|fd| mentions_segment(&text, fd)) {
                self.load(f, text);
            } else if let Some(k) = self.kept.get_mut(i) {
                *k = Some(text);
            }
        }
    }
}

/// Whether the needle occurs as a whole identifier (`process.env`, `{ env }`,
/// `'./env'`; not `environment` or `dotenv`).
fn mentions_word(text: &[u8], fd: &memmem::Finder) -> bool {
    let n = fd.needle().len();
    let ident =
        |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$'));
    fd.find_iter(text)
        .any(|at| !ident(at.checked_sub(1).and_then(|p| text.get(p))) && !ident(text.get(at + n)))
}

/// `needle` occurs in `text` as the last segment of a path (`"./config"`, `'@/config.js'`).
fn mentions_segment(text: &[u8], fd: &memmem::Finder) -> bool {
    let n = fd.needle().len();
    fd.find_iter(text).any(|at| {
        let before = at.checked_sub(1).and_then(|p| text.get(p)).copied();
        let after = text.get(at + n).copied();
        matches!(
            before,
            Some(b'/' | b'"' | b'\'' | b'`' | b'@' | b'#' | b'~' | b'$')
        ) && matches!(after, Some(b'"' | b'\'' | b'`' | b'.' | b'/'))
    })
}
