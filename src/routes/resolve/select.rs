//! Which files to read: eligibility, the route-text prefilter, and the files a read
//! file pulls in (mounted modules, constants).

use std::collections::HashSet;

use super::super::facts::{Decl, Facts, Part, PathExpr, PrefixArg, Ref};
use super::super::lex::lex;
use super::World;
use super::modules::{join_rel, parent_dir};

/// Files larger than this are skipped (bundles, generated code).
const MAX_FILE: usize = 4 << 20;

const NEEDLES: &[&[u8]] = &[
    b"get(",
    b"post(",
    b"put(",
    b"patch(",
    b"delete(",
    b"del(",
    b"head(",
    b"options(",
    b"all(",
    b"use(",
    b"route",
    b"register(",
    b"Controller",
    b"Router",
    b"Hono",
    b"GlobalPrefix",
    b"Versioning",
    b"basePath",
    b"prefix",
    b"](",
    b".on(",
    b"mount(",
];

/// Whether a file is worth reading at all.
pub fn eligible(path: &str, len: usize) -> bool {
    const EXTS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"];
    if len > MAX_FILE || !EXTS.iter().any(|e| path.ends_with(e)) || path.ends_with(".d.ts") {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains(".min.") || lower.contains(".test.") || lower.contains(".spec.") {
        return false;
    }
    !lower.split('/').any(|c| {
        matches!(
            c,
            "node_modules"
                | "__tests__"
                | "__mocks__"
                | "test"
                | "tests"
                | "e2e"
                | "cypress"
                | "fixtures"
                | "__fixtures__"
                | "dist"
                | ".next"
                | ".output"
                | ".vercel"
                | ".netlify"
                | ".turbo"
                | ".svelte-kit"
                | "coverage"
        )
    })
}

/// Whether a file mentions anything route-related (one memchr scan per needle).
fn prefilter(finders: &[memchr::memmem::Finder<'static>], text: &[u8]) -> bool {
    finders.iter().any(|f| f.find(text).is_some())
}

impl World<'_> {
    fn analyze(&mut self, i: usize) -> bool {
        let Some(f) = self.files.get(i) else {
            return false;
        };
        if self.facts.get(i).is_some_and(Option::is_some) || !eligible(f.path, f.text.len()) {
            return false;
        }
        let lx = lex(f.text);
        let facts = super::super::facts::gather(&lx);
        if let Some(slot) = self.facts.get_mut(i) {
            *slot = Some(facts);
        }
        true
    }

    /// Reads prefiltered files, then (transitively) the files they mount or import from.
    pub(super) fn analyze_all(&mut self) {
        let finders: Vec<memchr::memmem::Finder<'static>> = NEEDLES
            .iter()
            .map(|n| memchr::memmem::Finder::new(*n))
            .collect();
        let mut queue = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            let wanted = super::super::files::is_file_route(f.path) || prefilter(&finders, f.text);
            if wanted && self.analyze(i) {
                queue.push(i);
            }
        }
        while let Some(i) = queue.pop() {
            for t in self.targets(i) {
                if self.analyze(t) {
                    queue.push(t);
                }
            }
        }
    }

    /// Files referenced by file `i` that matter for routes (mounted modules, constants).
    fn targets(&self, i: usize) -> Vec<usize> {
        let Some(f) = self.facts.get(i).and_then(Option::as_ref) else {
            return Vec::new();
        };
        let wanted = wanted_names(f);
        let mut out = Vec::new();
        let path = self.path(i);
        for b in self.given_of(path) {
            if wanted.contains(b.local.as_str())
                && let Some(t) = b.source.as_deref().and_then(|s| self.by_path.get(s))
            {
                out.push(*t);
            }
        }
        for im in &f.imports {
            if wanted.contains(im.local.as_str()) {
                out.extend(self.resolve_spec(i, &im.spec));
            }
        }
        for s in &f.requires {
            out.extend(self.resolve_spec(i, s));
        }
        for r in &f.reexports {
            out.extend(self.resolve_spec(i, &r.spec));
        }
        for m in &f.mounts {
            if let Some((Some(dir), _)) = &m.autoload {
                out.extend(self.files_under(&join_rel(parent_dir(path), dir)));
            }
        }
        out
    }

    /// Given files below directory `dir`.
    pub(super) fn files_under(&self, dir: &str) -> Vec<usize> {
        let d = format!("{}/", dir.trim_end_matches('/'));
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.path.starts_with(&d))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Names whose imports matter: used in mounts, exports, paths and constants.
fn wanted_names(f: &Facts) -> HashSet<&str> {
    let mut out = HashSet::new();
    fn from_ref<'x>(r: &'x Ref, out: &mut HashSet<&'x str>) {
        match r {
            Ref::Name(_, n) => {
                out.insert(n.split('.').next().unwrap_or(n));
            }
            Ref::Call(a, b) => {
                from_ref(a, out);
                if let Some(b) = b {
                    from_ref(b, out);
                }
            }
            Ref::Routes(a) | Ref::Member(a, _) => from_ref(a, out),
            _ => {}
        }
    }
    fn from_path<'x>(p: &'x PathExpr, out: &mut HashSet<&'x str>) {
        for part in p {
            if let Part::Ref(n) = part {
                out.insert(n.split('.').next().unwrap_or(n));
            }
        }
    }
    for m in &f.mounts {
        for (r, _, _) in &m.children {
            from_ref(r, &mut out);
        }
        match &m.prefix {
            PrefixArg::Path(ps) => ps.iter().for_each(|p| from_path(p, &mut out)),
            PrefixArg::Maybe(p, r, _) => {
                from_path(p, &mut out);
                from_ref(r, &mut out);
            }
            PrefixArg::None => {}
        }
    }
    for (_, r, _) in &f.exports {
        from_ref(r, &mut out);
    }
    for sc in &f.scopes {
        for d in sc.decls.values() {
            if let Decl::Alias(r) = d {
                from_ref(r, &mut out);
            }
        }
        for r in &sc.returns {
            from_ref(r, &mut out);
        }
    }
    for r in &f.routes {
        r.paths.iter().for_each(|p| from_path(p, &mut out));
    }
    for (_, p) in &f.own_prefix {
        from_path(p, &mut out);
    }
    for v in f.consts.values().flatten() {
        from_path(v, &mut out);
    }
    for c in &f.nest.controllers {
        c.paths.iter().for_each(|p| from_path(p, &mut out));
        for m in &c.methods {
            m.paths.iter().for_each(|p| from_path(p, &mut out));
        }
    }
    for (p, _, _) in &f.nest.global_prefix {
        from_path(p, &mut out);
    }
    out
}
