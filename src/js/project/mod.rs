//! The project model: file index, packages (`package.json` directories) and lazily read,
//! cached configuration (manifests, tsconfig/jsconfig, bundler aliases).
//!
//! - `manifest`: a parsed `package.json`.
//! - `tsconfig`: tsconfig/jsconfig loading (`extends`, solution-style `references`).
//! - `aliases`: bundler aliases (Vite `resolve.alias`, SvelteKit, Nuxt).

mod aliases;
mod manifest;
mod tsconfig;

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use super::deploy;
use super::files::{self, FileIndex, FxMap, FxSet};
use super::jsonc;

pub(super) use self::aliases::Alias;
pub(super) use self::manifest::Manifest;
pub(super) use self::tsconfig::{TsConfig, match_star};

/// Reads one repository file (repository-relative path); `None` if unreadable.
pub(super) type Reader<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

/// The repository as the analysis sees it.
pub(super) struct Project<'a> {
    /// All files.
    pub files: FileIndex<'a>,
    read: Reader<'a>,
    /// Directories holding a `package.json` (outside `node_modules`), sorted.
    pub package_dirs: Vec<String>,
    package_set: FxSet<String>,
    /// Deploy configuration files (Dockerfiles, Procfile, platform configs) outside
    /// `node_modules`, sorted.
    pub deploy_files: Vec<&'a str>,
    manifests: RefCell<FxMap<String, Option<Rc<Manifest>>>>,
    tsconfigs: RefCell<FxMap<String, Option<Rc<TsConfig>>>>,
    nearest_ts: RefCell<FxMap<String, Option<Rc<TsConfig>>>>,
    build_ts: RefCell<FxMap<String, Option<Rc<TsConfig>>>>,
    aliases: RefCell<FxMap<String, Rc<Vec<Alias>>>>,
    workspace: OnceCell<FxMap<String, String>>,
    reads: Cell<usize>,
}

impl<'a> Project<'a> {
    /// Index the file list; reads nothing yet. One pass over the paths finds the manifests
    /// and the deploy configuration files.
    pub(super) fn new(file_list: &'a [String], read: Reader<'a>) -> Self {
        let mut package_dirs: Vec<String> = Vec::new();
        let mut deploy_files: Vec<&'a str> = Vec::new();
        let files = FileIndex::new_visiting(file_list, |p| {
            let name = files::file_name(p);
            let manifest = name == "package.json";
            if (manifest || deploy::is_config_name(name)) && !files::in_node_modules(p) {
                if manifest {
                    package_dirs.push(files::parent(p).to_string());
                } else {
                    deploy_files.push(p);
                }
            }
        });
        package_dirs.sort();
        package_dirs.dedup();
        deploy_files.sort_unstable();
        deploy_files.dedup();
        let package_set = package_dirs.iter().cloned().collect();
        Project {
            files,
            read,
            package_dirs,
            package_set,
            deploy_files,
            manifests: RefCell::default(),
            tsconfigs: RefCell::default(),
            nearest_ts: RefCell::default(),
            build_ts: RefCell::default(),
            aliases: RefCell::default(),
            workspace: OnceCell::new(),
            reads: Cell::new(0),
        }
    }

    /// Read a file through the caller's reader (counted).
    pub(super) fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.reads.set(self.reads.get() + 1);
        (self.read)(path)
    }

    /// How many files were read so far.
    pub(super) fn reads(&self) -> usize {
        self.reads.get()
    }

    /// Whether `path` is a file in the repository.
    pub(super) fn is_file(&self, path: &str) -> bool {
        self.files.id(path).is_some()
    }

    /// Whether `dir` has a `package.json`.
    pub(super) fn is_package(&self, dir: &str) -> bool {
        self.package_set.contains(dir)
    }

    /// The package directory owning `path`: the nearest ancestor with a `package.json`,
    /// else the root `""` (a pseudo-package when there is no root manifest).
    pub(super) fn package_of(&self, path: &str) -> &str {
        files::ancestors(path)
            .find_map(|d| self.package_set.get(d))
            .map_or("", String::as_str)
    }

    /// The package owning directory `dir` (the directory itself counts).
    pub(super) fn package_of_dir(&self, dir: &str) -> &str {
        match self.package_set.get(dir) {
            Some(d) => d,
            None => self.package_of(dir),
        }
    }

    /// Packages strictly inside `dir` (a binary search: `package_dirs` is sorted, so the
    /// directories under `dir/` are contiguous and start at the first one `>= "dir/"`).
    pub(super) fn has_nested_packages(&self, dir: &str) -> bool {
        if dir.is_empty() {
            return self.package_dirs.iter().any(|d| !d.is_empty());
        }
        let key = format!("{dir}/");
        let i = self
            .package_dirs
            .partition_point(|d| d.as_str() < key.as_str());
        self.package_dirs
            .get(i)
            .is_some_and(|d| d.starts_with(&key))
    }

    /// The manifest of package directory `dir`, parsed once.
    pub(super) fn manifest(&self, dir: &str) -> Option<Rc<Manifest>> {
        if !self.package_set.contains(dir) {
            return None;
        }
        if let Some(m) = self
            .manifests
            .try_borrow()
            .ok()
            .and_then(|c| c.get(dir).cloned())
        {
            return m;
        }
        let path = files::child(dir, "package.json");
        let m = self.read(&path).and_then(|b| jsonc::parse(&b)).map(|doc| {
            Rc::new(Manifest {
                path,
                dir: dir.to_string(),
                doc,
            })
        });
        if let Ok(mut c) = self.manifests.try_borrow_mut() {
            c.insert(dir.to_string(), m.clone());
        }
        m
    }

    /// Workspace packages by `name` → directory (every manifest in the repository; the
    /// shallowest wins a name clash).
    pub(super) fn workspace(&self) -> &FxMap<String, String> {
        self.workspace.get_or_init(|| {
            let mut map = FxMap::default();
            let mut dirs: Vec<&String> = self.package_dirs.iter().collect();
            dirs.sort_by_key(|d| (d.matches('/').count(), d.len()));
            for dir in dirs {
                if let Some(name) = self
                    .manifest(dir)
                    .and_then(|m| m.name().map(str::to_string))
                {
                    map.entry(name).or_insert_with(|| dir.clone());
                }
            }
            map
        })
    }
}

/// `@scope/name/sub/path` → (`@scope/name`, `sub/path`); `name/sub` → (`name`, `sub`).
pub(super) fn split_package(spec: &str) -> (&str, &str) {
    let n = if spec.starts_with('@') { 2 } else { 1 };
    let mut idx = None;
    let mut seen = 0;
    for (i, c) in spec.char_indices() {
        if c == '/' {
            seen += 1;
            if seen == n {
                idx = Some(i);
                break;
            }
        }
    }
    match idx {
        Some(i) => (&spec[..i], &spec[i + 1..]),
        None => (spec, ""),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_finds_packages_and_deploy_files() {
        let list: Vec<String> = [
            "Dockerfile",
            "a-b/package.json",
            "a/b/package.json",
            "a/package.json",
            "apps/api/Dockerfile.prod",
            "apps/api/src/main.ts",
            "ab/package.json",
            "fly.toml",
            "node_modules/x/package.json",
            "node_modules/x/Procfile",
            "package.json",
            "web/vercel.json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let read = |_: &str| None;
        let p = Project::new(&list, &read);
        assert_eq!(p.package_dirs, vec!["", "a", "a-b", "a/b", "ab"]);
        assert_eq!(
            p.deploy_files,
            vec![
                "Dockerfile",
                "apps/api/Dockerfile.prod",
                "fly.toml",
                "web/vercel.json"
            ]
        );
        assert!(p.has_nested_packages(""));
        assert!(p.has_nested_packages("a"), "a/b is inside a (a-b is not)");
        assert!(!p.has_nested_packages("a-b"));
        assert!(!p.has_nested_packages("a/b"));
        assert!(!p.has_nested_packages("ab"));
        assert_eq!(p.reads(), 0, "indexing reads nothing");
    }

    #[test]
    fn package_names_split() {
        assert_eq!(
            split_package("@crm/shared/utils/x"),
            ("@crm/shared", "utils/x")
        );
        assert_eq!(split_package("lodash/fp"), ("lodash", "fp"));
        assert_eq!(split_package("@crm/shared"), ("@crm/shared", ""));
    }
}
