//! Module resolution: import specifiers to given files, import bindings, and the
//! path helpers they need.

use super::super::{ImportBinding, Imported};
use super::World;

impl<'a> World<'a> {
    /// Resolves an import specifier from file `i` to a given file.
    pub(super) fn resolve_spec(&self, i: usize, spec: &str) -> Option<usize> {
        let from = self.path(i);
        if let Some(s) = self.given_spec.get(&(from, spec)) {
            return self.by_path.get(s).copied();
        }
        let bases: Vec<String> = if spec.starts_with("./") || spec.starts_with("../") || spec == "."
        {
            vec![join_rel(parent_dir(from), spec)]
        } else if let Some(rest) = spec
            .strip_prefix("@/")
            .or_else(|| spec.strip_prefix("~/"))
            .or_else(|| spec.strip_prefix("#/"))
        {
            let mut v: Vec<String> = src_roots(from).iter().map(|r| join_rel(r, rest)).collect();
            v.push(rest.to_string());
            v
        } else if spec.starts_with("src/") {
            package_roots(from)
                .iter()
                .map(|r| join_rel(r, spec))
                .collect()
        } else {
            return None;
        };
        bases.iter().find_map(|b| self.probe(b))
    }

    /// Finds a given file for a module path without or with a (JS) extension.
    fn probe(&self, base: &str) -> Option<usize> {
        const EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];
        if let Some(&i) = self.by_path.get(base) {
            return Some(i);
        }
        let stem = [".js", ".jsx", ".mjs", ".cjs"]
            .iter()
            .find_map(|e| base.strip_suffix(e));
        let mut cands = Vec::new();
        if let Some(stem) = stem {
            cands.extend(EXTS.iter().map(|e| format!("{stem}.{e}")));
        }
        cands.extend(EXTS.iter().map(|e| format!("{base}.{e}")));
        cands.extend(EXTS.iter().map(|e| format!("{base}/index.{e}")));
        cands
            .iter()
            .find_map(|c| self.by_path.get(c.as_str()).copied())
    }

    /// The import binding of `local` in file `i`: (target file, imported, specifier).
    pub(super) fn binding(
        &self,
        i: usize,
        local: &str,
    ) -> Option<(Option<usize>, Imported, String)> {
        let path = self.path(i);
        if let Some(b) = self.given.get(&(path, local)) {
            let target = b
                .source
                .as_deref()
                .and_then(|s| self.by_path.get(s).copied());
            return Some((target, b.imported.clone(), b.specifier.clone()));
        }
        let f = self.facts.get(i)?.as_ref()?;
        let im = f.imports.iter().find(|im| im.local == local)?;
        Some((
            self.resolve_spec(i, &im.spec),
            im.imported.clone(),
            im.spec.clone(),
        ))
    }

    /// The caller's bindings of one file.
    pub(super) fn given_of(&self, path: &str) -> &[&'a ImportBinding] {
        self.given_by_file.get(path).map_or(&[], Vec::as_slice)
    }
}

/// Directory part of a path ("" at the root).
pub fn parent_dir(p: &str) -> &str {
    p.rfind('/').map_or("", |i| p.get(..i).unwrap_or(""))
}

/// Joins a relative specifier onto a directory, resolving `.` and `..`.
pub(super) fn join_rel(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|c| !c.is_empty()).collect();
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    parts.join("/")
}

/// `a/src/…` ancestors of `from` that end in `src` (roots for `@/` aliases).
fn src_roots(from: &str) -> Vec<String> {
    let comps: Vec<&str> = from.split('/').collect();
    let mut out = Vec::new();
    for (k, c) in comps.iter().enumerate().rev() {
        if *c == "src" {
            out.push(comps.get(..=k).unwrap_or_default().join("/"));
        }
    }
    out.extend(package_roots(from));
    out
}

/// Ancestor directories of `from` (nearest first), including the repository root.
fn package_roots(from: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = parent_dir(from);
    for _ in 0..16 {
        out.push(d.to_string());
        if d.is_empty() {
            break;
        }
        d = parent_dir(d);
    }
    out
}
