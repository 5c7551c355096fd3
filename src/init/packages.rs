//! The packages of a repository (every `package.json` outside `node_modules`)
//! and what each one is built with, plus the source files routes are read from.

use std::path::Path;

/// Directories never walked: dependencies, build output, tests.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "build",
    "out",
    "coverage",
    "vendor",
    "tmp",
    "test",
    "tests",
    "__tests__",
    "__mocks__",
    "e2e",
    "fixtures",
    "cypress",
    "playwright",
];
/// Source files larger than this are bundles, not code anyone declares routes in.
const MAX_SOURCE: u64 = 1 << 20;
/// The most source files read.
const MAX_FILES: usize = 20_000;
const SOURCE_EXTS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"];

/// Dependency → label, in the order labels are shown.
const LABELS: &[(&str, &str)] = &[
    ("vite", "Vite"),
    ("next", "Next.js"),
    ("@nestjs/core", "NestJS"),
    ("express", "Express"),
    ("koa", "Koa"),
    ("fastify", "Fastify"),
    ("hono", "Hono"),
    ("@godaddy/terminus", "Terminus"),
    ("@nestjs/terminus", "Terminus"),
    ("react", "React"),
    ("vue", "Vue"),
    ("svelte", "Svelte"),
    ("@supabase/supabase-js", "Supabase"),
    ("prisma", "Prisma"),
    ("@prisma/client", "Prisma"),
    ("socket.io", "socket.io"),
    ("@nestjs/websockets", "socket.io"),
];
/// Labels of frameworks that serve HTTP routes themselves.
pub const SERVERS: &[&str] = &["NestJS", "Express", "Koa", "Fastify", "Hono", "Terminus"];

/// One package (a directory with a `package.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    /// Repository-relative directory (`""` = the root).
    pub dir: String,
    /// Frameworks and tools, from its dependencies and the routes in its code.
    pub frameworks: Vec<&'static str>,
    /// Its package.json scripts among build/typecheck/lint/test.
    pub scripts: Vec<String>,
    /// Workspace globs it declares (a monorepo root).
    pub workspaces: Vec<String>,
}

impl Package {
    /// How comments name it: `backend/`, or `./` for the root.
    pub fn label(&self) -> String {
        if self.dir.is_empty() {
            "./".to_string()
        } else {
            format!("{}/", self.dir)
        }
    }

    /// Whether it runs an HTTP server of its own.
    pub fn is_server(&self) -> bool {
        self.frameworks.iter().any(|f| SERVERS.contains(f))
    }

    /// Adds a label once.
    pub fn add(&mut self, label: &'static str) {
        if !self.frameworks.contains(&label) {
            self.frameworks.push(label);
            self.frameworks.sort_by_key(|l| rank(l));
        }
    }
}

fn rank(label: &str) -> usize {
    LABELS
        .iter()
        .position(|(_, l)| *l == label)
        .unwrap_or(LABELS.len())
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Tree {
    /// Packages, the root first, then by directory.
    pub packages: Vec<Package>,
    /// Source files (path, contents).
    pub sources: Vec<(String, Vec<u8>)>,
}

/// Whether a path is a JS/TS source file routes can be declared in.
fn is_source(rel: &str) -> bool {
    SOURCE_EXTS.iter().any(|e| rel.ends_with(e))
        && !rel.ends_with(".d.ts")
        && !rel.contains(".min.")
        && ![".test.", ".spec.", ".stories."]
            .iter()
            .any(|m| rel.contains(m))
}

/// Walks `root` (`.gitignore` honoured, hidden and [`SKIP_DIRS`] directories skipped).
pub fn walk(root: &Path) -> Tree {
    let mut tree = Tree::default();
    let mut manifests = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .max_depth(Some(12))
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_name() == "package.json" {
            manifests.push(rel);
        } else if is_source(&rel)
            && tree.sources.len() < MAX_FILES
            && entry.metadata().is_ok_and(|m| m.len() <= MAX_SOURCE)
            && let Ok(text) = std::fs::read(entry.path())
        {
            tree.sources.push((rel, text));
        }
    }
    manifests.sort();
    tree.sources.sort();
    for m in manifests {
        let dir = m
            .strip_suffix("package.json")
            .unwrap_or("")
            .trim_end_matches('/')
            .to_string();
        tree.packages.push(read_package(root, dir));
    }
    tree.packages
        .sort_by(|a, b| (!a.dir.is_empty(), &a.dir).cmp(&(!b.dir.is_empty(), &b.dir)));
    tree
}

/// Reads one package.json.
fn read_package(root: &Path, dir: String) -> Package {
    let pkg: serde_json::Value = std::fs::read_to_string(root.join(&dir).join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut p = Package {
        dir,
        ..Package::default()
    };
    for (dep, label) in LABELS {
        let has = ["dependencies", "devDependencies", "peerDependencies"]
            .iter()
            .any(|k| pkg[*k].get(dep).is_some());
        if has {
            p.add(label);
        }
    }
    if let Some(scripts) = pkg["scripts"].as_object() {
        p.scripts = crate::commands::AUTO_SCRIPTS
            .iter()
            .filter(|k| scripts.contains_key(**k))
            .map(|k| k.to_string())
            .collect();
    }
    let ws = match &pkg["workspaces"] {
        serde_json::Value::Array(a) => a.clone(),
        v => v["packages"].as_array().cloned().unwrap_or_default(),
    };
    p.workspaces = ws
        .iter()
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect();
    p
}

/// The package a repository-relative file belongs to: the deepest package
/// directory containing it (`None` when no package does).
pub fn owner<'a>(packages: &'a [Package], file: &str) -> Option<&'a Package> {
    packages
        .iter()
        .filter(|p| {
            p.dir.is_empty()
                || file
                    .strip_prefix(p.dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|p| p.dir.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_owners() {
        assert!(is_source("backend/src/app.ts"));
        assert!(!is_source("backend/src/app.spec.ts"));
        assert!(!is_source("types/env.d.ts"));
        assert!(!is_source("public/vendor.min.js"));
        let pk = |d: &str| Package {
            dir: d.into(),
            ..Package::default()
        };
        let ps = vec![pk(""), pk("apps/api"), pk("apps/api-docs")];
        let dir = |f: &str| owner(&ps, f).map(|p| p.dir.clone());
        assert_eq!(dir("apps/api/src/main.ts").as_deref(), Some("apps/api"));
        assert_eq!(dir("apps/api-docs/x.ts").as_deref(), Some("apps/api-docs"));
        assert_eq!(dir("scripts/x.ts").as_deref(), Some(""));
        assert_eq!(owner(&ps[1..], "scripts/x.ts"), None);
    }
}
