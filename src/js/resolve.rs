//! Module resolution over the repository's file set (no file system access): relative
//! specifiers with extension and `index` lookup, TS's `.js`→`.ts` rewrite, package.json
//! entry fields and `exports`/`imports` maps, tsconfig/jsconfig `baseUrl` and `paths`,
//! Vite aliases, workspace packages by name, and build-output→source mapping
//! (`dist/main.js` → `src/main.ts`) when the output is not committed.

use serde_json::Value;

use super::files::{self, FileIndex};
use super::project::{Project, Reader, match_star, split_package};

/// Extensions tried, in order, for a specifier without one.
pub(super) const EXTS: &[&str] = &[
    "ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts", "vue", "svelte", "json",
];

/// Extensions tried for a directory's `index` file: [`EXTS`] without `json`.
const INDEX_EXTS: &[&str] = &[
    "ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts", "vue", "svelte",
];

/// Conditions preferred when picking an `exports` target (source-like first); `types` is never used.
const CONDITIONS: &[&str] = &[
    "source",
    "development",
    "import",
    "module",
    "require",
    "node",
    "default",
    "browser",
];

/// Common build output directories mapped back to sources when absent from the repository.
const OUT_DIRS: &[&str] = &["dist", "build", "lib", "out", "output", ".output"];

const MAX_DEPTH: u8 = 6;

/// Resolves import specifiers to repository files.
pub struct Resolver<'a> {
    project: Project<'a>,
}

impl<'a> Resolver<'a> {
    /// A resolver over the repository's file list; configuration files (`package.json`,
    /// `tsconfig.json`/`jsconfig.json` and their `extends`, `vite.config.*`) are read through
    /// `read` on first use.
    pub fn new(files: &'a [String], read: Reader<'a>) -> Self {
        Resolver {
            project: Project::new(files, read),
        }
    }

    /// The repository file `specifier` refers to when imported from `from_file`;
    /// `None` for npm packages, Node builtins, URLs and anything not in the repository.
    pub fn resolve(&self, from_file: &str, specifier: &str) -> Option<String> {
        let id = self.project.resolve(from_file, specifier)?;
        Some(self.project.files.path(id).to_string())
    }
}

/// Strip webpack loaders (`raw-loader!./x`) and query/hash suffixes (`./x.svg?react`).
fn clean_spec(spec: &str) -> Option<&str> {
    let spec = spec.rsplit('!').next().unwrap_or(spec);
    let spec = match spec.find('?') {
        Some(i) => &spec[..i],
        None => spec,
    };
    let spec = match spec.find('#') {
        Some(i) if i > 0 => &spec[..i],
        _ => spec,
    };
    (!spec.is_empty()).then_some(spec)
}

fn is_relative(spec: &str) -> bool {
    spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../")
}

impl Project<'_> {
    /// Resolve `spec` imported from `from` to a file id.
    pub(super) fn resolve(&self, from: &str, spec: &str) -> Option<usize> {
        let spec = clean_spec(spec)?;
        if is_relative(spec) {
            return self.locate(&files::join(files::parent(from), spec)?, 0);
        }
        if spec.starts_with('/') {
            // Vite and HTML: root-relative to the package (the app root).
            let pkg = self.package_of(from);
            let rel = spec.trim_start_matches('/');
            return files::join(pkg, rel)
                .and_then(|p| self.resolve_path(&p, 0))
                .or_else(|| files::join("", rel).and_then(|p| self.resolve_path(&p, 0)));
        }
        if spec.starts_with('#') {
            return self.resolve_imports_field(from, spec);
        }
        if spec.starts_with("node:") || spec.contains("://") || spec.starts_with("data:") {
            return None;
        }
        self.resolve_bare(from, spec)
    }

    fn resolve_bare(&self, from: &str, spec: &str) -> Option<usize> {
        let dir = files::parent(from);
        let ts = self.tsconfig_for_dir(dir);
        if let Some(ts) = &ts {
            for cand in ts.mapped(spec) {
                if let Some(id) = self.resolve_path(&cand, 0) {
                    return Some(id);
                }
            }
        }
        let pkg = self.package_of(from).to_string();
        for a in self.aliases(&pkg).iter() {
            let rest = if spec == a.key {
                Some("")
            } else {
                spec.strip_prefix(a.key.as_str())
                    .and_then(|r| r.strip_prefix('/'))
            };
            let Some(rest) = rest else { continue };
            if let Some(id) = files::join(&a.target, rest).and_then(|p| self.resolve_path(&p, 0)) {
                return Some(id);
            }
        }
        if let Some(base) = ts.as_ref().and_then(|t| t.base_url.clone())
            && let Some(id) = files::join(&base, spec).and_then(|p| self.resolve_path(&p, 0))
        {
            return Some(id);
        }
        let (name, sub) = split_package(spec);
        let pdir = self.workspace().get(name)?.clone();
        if sub.is_empty() {
            self.package_entry(&pdir, 0)
        } else {
            self.package_subpath(&pdir, sub, 0)
        }
    }

    /// `#name` through the nearest package.json `imports` map.
    fn resolve_imports_field(&self, from: &str, spec: &str) -> Option<usize> {
        let pkg = self.package_of(from).to_string();
        let m = self.manifest(&pkg)?;
        let map = m.json().get("imports")?.as_object()?;
        let targets = subpath_targets(map.iter().map(|(k, v)| (k.as_str(), v)), spec);
        targets
            .iter()
            .find_map(|t| files::join(&pkg, t).and_then(|p| self.locate(&p, 1)))
    }

    /// An existing file for `path`: as is, TS `.js`→`.ts`, with an extension, or a directory's entry.
    pub(super) fn resolve_path(&self, path: &str, depth: u8) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(id) = self.files.id(path) {
            return Some(id);
        }
        let alts: &[&str] = match files::ext(path) {
            "js" => &["ts", "tsx"],
            "jsx" => &["tsx"],
            "mjs" => &["mts"],
            "cjs" => &["cts"],
            _ => &[],
        };
        if !alts.is_empty() {
            let base = path.strip_suffix(files::ext(path)).unwrap_or(path);
            let stem = base.strip_suffix('.').unwrap_or(base);
            if let Some(id) = self.files.id_with_ext(stem, alts) {
                return Some(id);
            }
        }
        if let Some(id) = self.files.id_with_ext(path, EXTS) {
            return Some(id);
        }
        if self.files.is_dir(path) {
            return self.dir_entry(path, depth + 1);
        }
        None
    }

    /// `resolve_path`, else the source a missing build output comes from.
    pub(super) fn locate(&self, path: &str, depth: u8) -> Option<usize> {
        self.resolve_path(path, depth)
            .or_else(|| self.map_output(path, depth))
    }

    fn dir_entry(&self, dir: &str, depth: u8) -> Option<usize> {
        if self.is_package(dir) {
            return self.package_entry(dir, depth);
        }
        index_file(&self.files, dir)
    }

    /// The file a package's bare name refers to: `exports["."]`, `source`, `module`, `main`,
    /// `browser` (string), then `index.*`.
    pub(super) fn package_entry(&self, dir: &str, depth: u8) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(m) = self.manifest(dir) {
            for t in entry_field_targets(m.json()) {
                if let Some(id) = files::join(dir, &t).and_then(|p| self.locate(&p, depth + 1)) {
                    return Some(id);
                }
            }
        }
        index_file(&self.files, dir)
    }

    fn package_subpath(&self, dir: &str, sub: &str, depth: u8) -> Option<usize> {
        if let Some(m) = self.manifest(dir)
            && let Some(map) = m.json().get("exports").and_then(Value::as_object)
        {
            let want = format!("./{sub}");
            let targets = subpath_targets(map.iter().map(|(k, v)| (k.as_str(), v)), &want);
            if let Some(id) = targets
                .iter()
                .find_map(|t| files::join(dir, t).and_then(|p| self.locate(&p, depth + 1)))
            {
                return Some(id);
            }
        }
        self.locate(&files::join(dir, sub)?, depth + 1)
    }

    /// Map a missing build output (`dist/main.js`) to its source (`src/main.ts`), using the
    /// package's tsconfig `outDir`/`rootDir` or the usual `dist|build|lib|out` → `src` layout.
    pub(super) fn map_output(&self, path: &str, depth: u8) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        let pkg = self.package_of(path).to_string();
        let mut cands: Vec<String> = Vec::new();
        if let Some(ts) = self.build_tsconfig(&pkg)
            && let Some(rest) = ts.out_dir.as_deref().and_then(|o| strip_dir(path, o))
        {
            let root = ts
                .root_dir
                .clone()
                .unwrap_or_else(|| default_src(&self.files, &pkg));
            cands.extend(files::join(&root, rest));
        }
        let rel = if pkg.is_empty() {
            path
        } else {
            path.strip_prefix(pkg.as_str())
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(path)
        };
        for od in OUT_DIRS {
            if let Some(rest) = strip_dir(rel, od) {
                cands.extend(files::join(&pkg, &format!("src/{rest}")));
                cands.extend(files::join(&pkg, rest));
            }
        }
        for c in cands {
            let base = strip_js_ext(&c);
            if base.is_empty() || base == pkg {
                continue;
            }
            if let Some(id) = self.resolve_path(base, depth + 1) {
                return Some(id);
            }
        }
        None
    }
}

/// `dir/index.<ext>`.
pub(super) fn index_file(files: &FileIndex<'_>, dir: &str) -> Option<usize> {
    files.id_with_ext(&files::child(dir, "index"), INDEX_EXTS)
}

fn default_src(files: &FileIndex<'_>, pkg: &str) -> String {
    let src = files::child(pkg, "src");
    if files.is_dir(&src) {
        src
    } else {
        pkg.to_string()
    }
}

/// `path` relative to `dir` when it lies under it (`dir` itself gives `""`).
fn strip_dir<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
    if dir.is_empty() {
        return Some(path);
    }
    if path == dir {
        return Some("");
    }
    path.strip_prefix(dir)?.strip_prefix('/')
}

fn strip_js_ext(p: &str) -> &str {
    for x in [".d.ts", ".js", ".mjs", ".cjs", ".jsx"] {
        if let Some(b) = p.strip_suffix(x) {
            return b;
        }
    }
    p
}

/// Targets of the package's bare entry, most source-like first.
pub(super) fn entry_field_targets(pkg: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = pkg.get("exports") {
        for (k, v) in exports_entries(e) {
            if k == "." {
                condition_targets(v, &mut out, 0);
            }
        }
    }
    for f in ["source", "module", "main", "browser"] {
        if let Some(s) = pkg.get(f).and_then(Value::as_str) {
            out.push(s.to_string());
        }
    }
    out
}

/// `exports` as (subpath, value) pairs: a string/array/conditions object is `"."`.
pub(super) fn exports_entries(e: &Value) -> Vec<(&str, &Value)> {
    match e {
        Value::Object(m) if m.keys().any(|k| k.starts_with('.')) => m
            .iter()
            .filter(|(k, _)| k.starts_with('.'))
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
        Value::Null => Vec::new(),
        other => vec![(".", other)],
    }
}

/// All file targets of an exports/imports value, preferred conditions first, never `types`.
pub(super) fn condition_targets(v: &Value, out: &mut Vec<String>, depth: u8) {
    if depth > 8 {
        return;
    }
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| condition_targets(x, out, depth + 1)),
        Value::Object(m) => {
            for c in CONDITIONS {
                if let Some(x) = m.get(*c) {
                    condition_targets(x, out, depth + 1);
                }
            }
            for (k, x) in m {
                if !CONDITIONS.contains(&k.as_str()) && k != "types" && k != "typings" {
                    condition_targets(x, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Targets for `want` in a subpath map (exact key first, then the longest `*` pattern).
fn subpath_targets<'v>(map: impl Iterator<Item = (&'v str, &'v Value)>, want: &str) -> Vec<String> {
    let mut best: Option<(usize, &'v Value, String)> = None;
    for (k, v) in map {
        if k == want {
            best = Some((usize::MAX, v, String::new()));
            break;
        }
        if let Some((plen, star)) = match_star(k, want).filter(|_| k.contains('*'))
            && best.as_ref().is_none_or(|b| plen > b.0)
        {
            best = Some((plen, v, star.to_string()));
        }
    }
    let Some((_, v, star)) = best else {
        return Vec::new();
    };
    let mut out = Vec::new();
    condition_targets(v, &mut out, 0);
    out.into_iter().map(|t| t.replace('*', &star)).collect()
}
