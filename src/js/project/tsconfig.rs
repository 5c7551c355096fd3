//! tsconfig/jsconfig: the nearest config of a directory, the config a package builds with,
//! and loading with `extends` (relative or a workspace package) and solution-style
//! `references`, each file read and merged once.

use std::rc::Rc;

use serde_json::Value;

use super::super::files;
use super::super::jsonc;
use super::{Project, split_package};

/// A tsconfig/jsconfig with `extends` merged (paths kept raw until lookup).
#[derive(Default, Clone)]
pub struct TsConfig {
    /// `compilerOptions.baseUrl`, repository-relative.
    pub base_url: Option<String>,
    /// `compilerOptions.paths` as written (shared: every config that `extends` a base with a
    /// long `paths` table refers to the base's table instead of copying it).
    pub paths: Rc<Vec<(String, Vec<String>)>>,
    /// Directory of the config that defined `paths` (their base when there is no baseUrl).
    pub paths_dir: String,
    /// `compilerOptions.outDir`, repository-relative.
    pub out_dir: Option<String>,
    /// `compilerOptions.rootDir`, repository-relative.
    pub root_dir: Option<String>,
    /// `files`, repository-relative.
    pub files: Vec<String>,
    /// The config file this came from.
    pub path: String,
}

impl TsConfig {
    /// Repository paths a bare specifier maps to through `paths`, most specific pattern first.
    pub fn mapped(&self, spec: &str) -> Vec<String> {
        let base = self.base_url.as_deref().unwrap_or(&self.paths_dir);
        let mut hits: Vec<(usize, &Vec<String>, &str)> = Vec::new();
        for (pat, targets) in self.paths.iter() {
            if let Some((prefix_len, star)) = match_star(pat, spec) {
                hits.push((prefix_len, targets, star));
            }
        }
        hits.sort_by_key(|h| std::cmp::Reverse(h.0));
        let mut out = Vec::new();
        for (_, targets, star) in hits {
            for t in targets {
                if let Some(p) = files::join(base, &t.replacen('*', star, 1)) {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// Match `spec` against a pattern with at most one `*`; returns (prefix length, captured part).
pub fn match_star<'s>(pattern: &str, spec: &'s str) -> Option<(usize, &'s str)> {
    match pattern.split_once('*') {
        None => (pattern == spec).then_some((pattern.len() + 1, "")),
        Some((pre, post)) => {
            let rest = spec.strip_prefix(pre)?;
            let star = rest.strip_suffix(post)?;
            (spec.len() >= pre.len() + post.len()).then_some((pre.len(), star))
        }
    }
}

impl Project<'_> {
    /// The tsconfig/jsconfig governing files in `dir`: the nearest one up the tree.
    pub fn tsconfig_for_dir(&self, dir: &str) -> Option<Rc<TsConfig>> {
        let cached = |d: &str| {
            self.nearest_ts
                .try_borrow()
                .ok()
                .and_then(|c| c.get(d).cloned())
        };
        if let Some(t) = cached(dir) {
            return t;
        }
        // Walk up until a config file or a cached answer; then cache every dir walked.
        let mut walked: Vec<&str> = Vec::new();
        let mut cur = dir;
        let found = loop {
            if let Some(t) = cached(cur) {
                break t;
            }
            walked.push(cur);
            let file = ["tsconfig.json", "jsconfig.json"]
                .iter()
                .map(|n| files::child(cur, n))
                .find(|p| self.is_file(p));
            if let Some(f) = file {
                break self.tsconfig(&f, 0);
            }
            if cur.is_empty() {
                break None;
            }
            cur = files::parent(cur);
        };
        if let Ok(mut c) = self.nearest_ts.try_borrow_mut() {
            for d in walked {
                c.insert(d.to_string(), found.clone());
            }
        }
        found
    }

    /// The tsconfig a package builds with (`tsconfig.build.json`, else `tsconfig.json`),
    /// looked up once per package.
    pub fn build_tsconfig(&self, pkg_dir: &str) -> Option<Rc<TsConfig>> {
        if let Some(t) = self
            .build_ts
            .try_borrow()
            .ok()
            .and_then(|c| c.get(pkg_dir).cloned())
        {
            return t;
        }
        let t = ["tsconfig.build.json", "tsconfig.json"]
            .iter()
            .map(|n| files::child(pkg_dir, n))
            .find(|p| self.is_file(p))
            .and_then(|p| self.tsconfig(&p, 0));
        if let Ok(mut c) = self.build_ts.try_borrow_mut() {
            c.insert(pkg_dir.to_string(), t.clone());
        }
        t
    }

    /// Load a tsconfig file with its `extends` chain (depth-limited, cached).
    pub fn tsconfig(&self, path: &str, depth: u8) -> Option<Rc<TsConfig>> {
        if let Some(t) = self
            .tsconfigs
            .try_borrow()
            .ok()
            .and_then(|c| c.get(path).cloned())
        {
            return t;
        }
        if depth > 8 {
            return None;
        }
        // Mark as in progress so an `extends` cycle stops here.
        if let Ok(mut c) = self.tsconfigs.try_borrow_mut() {
            c.insert(path.to_string(), None);
        }
        let cfg = self
            .read(path)
            .and_then(|b| jsonc::parse(&b))
            .map(|doc| Rc::new(self.build_ts(path, &doc.value, depth)));
        if let Ok(mut c) = self.tsconfigs.try_borrow_mut() {
            c.insert(path.to_string(), cfg.clone());
        }
        cfg
    }

    fn build_ts(&self, path: &str, v: &Value, depth: u8) -> TsConfig {
        let dir = files::parent(path);
        let mut cfg = TsConfig::default();
        let extends: Vec<&str> = match v.get("extends") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for ext in extends {
            if let Some(parent) = self
                .extends_path(dir, ext)
                .and_then(|p| self.tsconfig(&p, depth + 1))
            {
                merge_ts(&mut cfg, &parent);
            }
        }
        let co = v.get("compilerOptions");
        let dir_opt = |key: &str| {
            co.and_then(|c| c.get(key))
                .and_then(Value::as_str)
                .and_then(|s| files::join(dir, s))
        };
        if let Some(b) = dir_opt("baseUrl") {
            cfg.base_url = Some(b);
        }
        if let Some(o) = dir_opt("outDir") {
            cfg.out_dir = Some(o);
        }
        if let Some(r) = dir_opt("rootDir") {
            cfg.root_dir = Some(r);
        }
        if let Some(paths) = co.and_then(|c| c.get("paths")).and_then(Value::as_object) {
            cfg.paths = Rc::new(
                paths
                    .iter()
                    .map(|(k, t)| {
                        let ts = match t {
                            Value::Array(a) => a
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect(),
                            Value::String(s) => vec![s.clone()],
                            _ => Vec::new(),
                        };
                        (k.clone(), ts)
                    })
                    .collect(),
            );
            cfg.paths_dir = dir.to_string();
        }
        if let Some(fs) = v.get("files").and_then(Value::as_array) {
            cfg.files = fs
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|f| files::join(dir, f))
                .collect();
        }
        if cfg.paths.is_empty() {
            self.paths_from_references(dir, v, depth, &mut cfg);
        }
        cfg.path = path.to_string();
        cfg
    }

    /// Solution-style configs (`"files": [], "references": [...]`, as in Vite's template):
    /// borrow `paths`/`baseUrl` from the referenced configs.
    fn paths_from_references(&self, dir: &str, v: &Value, depth: u8, cfg: &mut TsConfig) {
        let Some(refs) = v.get("references").and_then(Value::as_array) else {
            return;
        };
        for r in refs.iter().filter_map(|r| r.get("path")?.as_str()) {
            let Some(p) = files::join(dir, r) else {
                continue;
            };
            let p = if self.is_file(&p) {
                p
            } else {
                files::child(&p, "tsconfig.json")
            };
            if let Some(sub) = self.tsconfig(&p, depth + 1) {
                if !sub.paths.is_empty() {
                    Rc::make_mut(&mut cfg.paths).extend(sub.paths.iter().cloned());
                    cfg.paths_dir = sub
                        .base_url
                        .clone()
                        .unwrap_or_else(|| sub.paths_dir.clone());
                }
                if cfg.base_url.is_none() {
                    cfg.base_url = sub.base_url.clone();
                }
            }
        }
    }

    fn extends_path(&self, dir: &str, ext: &str) -> Option<String> {
        if ext.starts_with('.') || ext.starts_with('/') {
            let p = files::join(dir, ext)?;
            if self.is_file(&p) {
                return Some(p);
            }
            let with = format!("{p}.json");
            return self.is_file(&with).then_some(with);
        }
        // A package: only workspace packages are in the repository.
        let (name, sub) = split_package(ext);
        let pdir = self.workspace().get(name)?.clone();
        let p = if sub.is_empty() {
            files::child(&pdir, "tsconfig.json")
        } else {
            files::join(&pdir, sub)?
        };
        if self.is_file(&p) {
            return Some(p);
        }
        let with = format!("{p}.json");
        self.is_file(&with).then_some(with)
    }
}

fn merge_ts(into: &mut TsConfig, parent: &TsConfig) {
    if parent.base_url.is_some() {
        into.base_url.clone_from(&parent.base_url);
    }
    if !parent.paths.is_empty() {
        into.paths.clone_from(&parent.paths);
        into.paths_dir.clone_from(&parent.paths_dir);
    }
    if parent.out_dir.is_some() {
        into.out_dir.clone_from(&parent.out_dir);
    }
    if parent.root_dir.is_some() {
        into.root_dir.clone_from(&parent.root_dir);
    }
    if !parent.files.is_empty() {
        into.files.clone_from(&parent.files);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn star_patterns() {
        assert_eq!(match_star("@/*", "@/lib/api"), Some((2, "lib/api")));
        assert_eq!(match_star("@shared", "@shared"), Some((8, "")));
        assert_eq!(match_star("@/*", "@crm/x"), None);
        assert_eq!(match_star("*.svg", "a.svg"), Some((0, "a")));
    }

    #[test]
    fn build_tsconfig_is_looked_up_once_per_package() {
        let list: Vec<String> = ["api/package.json", "api/tsconfig.json", "web/package.json"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let read = |p: &str| {
            (p == "api/tsconfig.json")
                .then(|| br#"{ "compilerOptions": { "outDir": "dist" } }"#.to_vec())
        };
        let p = Project::new(&list, &read);
        for _ in 0..3 {
            let ts = p.build_tsconfig("api").unwrap();
            assert_eq!(ts.out_dir.as_deref(), Some("api/dist"));
            assert!(p.build_tsconfig("web").is_none());
        }
        assert_eq!(p.reads(), 1);
    }
}
