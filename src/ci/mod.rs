//! `integrity`: the repository's own machinery is real.
//!
//! Parses GitHub Actions workflows (with positions), the shell in their `run:` steps and in
//! package.json scripts, and checks that what they invoke exists and can fail:
//! `--if-present` on missing scripts, masked check commands (`|| true`, `set +e`,
//! `continue-on-error`), package.json scripts running files that do not exist, and
//! `npm run X` / `make X` / `just X` references to scripts that do not exist.
//!
//! Pure: the caller hands in the file list and a reader; nothing here touches the disk.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

pub mod invocation;
pub mod outputs;
pub mod pos;
pub mod rules;
pub mod scripts;
pub mod shell;
pub mod workflow;

#[cfg(test)]
mod tests;

use self::outputs::Outputs;
pub use self::rules::{
    DocLine, NoopCheck, NoopJob, Report, check, check_command_refs, check_command_refs_with,
    check_doc_block, check_index, noop_jobs,
};
use self::scripts::{GitIgnore, PackageJson};

/// Largest file the analysis reads (bytes); larger files are treated as unreadable.
const MAX_FILE: usize = 4 << 20;

/// The repository as the caller sees it.
pub struct Repo<'a> {
    /// Repo-relative paths with `/` separators (everything tracked or walked).
    pub files: &'a [String],
    /// Reads a repo-relative path.
    pub read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
}

/// Severity of an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Definitely wrong and it matters.
    Error,
    /// Wrong, or wrong where it matters less.
    Warning,
    /// The rule could not decide; here is what it saw.
    Note,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Rule id (`integrity/if-present-missing`, …).
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Repo-relative file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (chars).
    pub column: usize,
    /// Human message.
    pub message: String,
    /// Workflow job id, for findings inside a job.
    pub job: Option<String>,
    /// The job's check-run names (for branch-protection matching).
    pub checks: Vec<String>,
}

/// Nearest package.json at or above `dir` (repo-relative, "" = root), from a file list.
pub fn package_at(files: &[String], dir: &str) -> Option<String> {
    let set: HashSet<&str> = files.iter().map(String::as_str).collect();
    nearest(&set, dir, &["package.json"])
}

fn nearest(set: &HashSet<&str>, dir: &str, names: &[&str]) -> Option<String> {
    let mut d = dir.trim_matches('/').to_string();
    loop {
        for n in names {
            let p = if d.is_empty() {
                (*n).to_string()
            } else {
                format!("{d}/{n}")
            };
            if set.contains(p.as_str()) {
                return Some(p);
            }
        }
        if d.is_empty() {
            return None;
        }
        d = scripts::parent_dir(&d);
    }
}

/// Join a directory and a file name ("" = root).
fn in_dir(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Indexed, caching view of a [`Repo`].
pub struct RepoIndex<'a> {
    read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    all: &'a [String],
    files: HashSet<&'a str>,
    dirs: HashSet<&'a str>,
    texts: RefCell<HashMap<String, Option<Rc<str>>>>,
    pkgs: RefCell<HashMap<String, Option<Rc<PackageJson>>>>,
    gitignores: OnceCell<Vec<GitIgnore>>,
    names: OnceCell<HashMap<String, String>>,
    all_pkgs: OnceCell<Vec<Rc<PackageJson>>>,
    outputs: RefCell<HashMap<String, Rc<Outputs>>>,
}

impl<'a> RepoIndex<'a> {
    /// Index the file list (linear in the total path length).
    pub fn new(repo: &Repo<'a>) -> Self {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        dirs.insert("");
        for f in repo.files {
            files.insert(f.as_str());
            let mut s = f.as_str();
            while let Some((d, _)) = s.rsplit_once('/') {
                if !dirs.insert(d) {
                    break;
                }
                s = d;
            }
        }
        Self {
            read: repo.read,
            all: repo.files,
            files,
            dirs,
            texts: RefCell::new(HashMap::new()),
            pkgs: RefCell::new(HashMap::new()),
            gitignores: OnceCell::new(),
            names: OnceCell::new(),
            all_pkgs: OnceCell::new(),
            outputs: RefCell::new(HashMap::new()),
        }
    }

    /// All paths.
    pub fn files(&self) -> &'a [String] {
        self.all
    }

    /// Is `path` a file in the list?
    pub fn is_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// Is `path` a directory (a prefix of some file)?
    pub fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path.trim_end_matches('/'))
    }

    /// Text of a file (lossy UTF-8), cached; `None` if unreadable or too large.
    pub fn text(&self, path: &str) -> Option<Rc<str>> {
        if let Some(t) = self.texts.borrow().get(path) {
            return t.clone();
        }
        let t: Option<Rc<str>> = if self.is_file(path) {
            (self.read)(path)
                .filter(|b| b.len() <= MAX_FILE)
                .map(|b| Rc::from(String::from_utf8_lossy(&b).as_ref()))
        } else {
            None
        };
        self.texts.borrow_mut().insert(path.to_string(), t.clone());
        t
    }

    /// Parsed package.json at `path`, cached.
    pub fn package(&self, path: &str) -> Option<Rc<PackageJson>> {
        if let Some(p) = self.pkgs.borrow().get(path) {
            return p.clone();
        }
        let p = self
            .text(path)
            .map(|t| Rc::new(scripts::parse_package_json(path, &t)));
        self.pkgs.borrow_mut().insert(path.to_string(), p.clone());
        p
    }

    /// Nearest package.json at or above `dir`.
    pub fn package_at(&self, dir: &str) -> Option<Rc<PackageJson>> {
        let p = nearest(&self.files, dir, &["package.json"])?;
        self.package(&p)
    }

    /// Path of the nearest file named one of `names` at or above `dir`.
    pub fn nearest(&self, dir: &str, names: &[&str]) -> Option<String> {
        nearest(&self.files, dir, names)
    }

    /// Every package.json outside `node_modules`.
    pub fn packages(&self) -> &[Rc<PackageJson>] {
        self.all_pkgs.get_or_init(|| {
            self.all
                .iter()
                .filter(|f| {
                    (f.as_str() == "package.json" || f.ends_with("/package.json"))
                        && !f.split('/').any(|c| c == "node_modules")
                })
                .filter_map(|f| self.package(f))
                .collect()
        })
    }

    /// Build outputs of a package (cached per package.json path).
    pub fn build_outputs(&self, pkg: &PackageJson) -> Rc<Outputs> {
        if let Some(o) = self.outputs.borrow().get(&pkg.path) {
            return o.clone();
        }
        let o = Rc::new(outputs::build_outputs(self, pkg));
        self.outputs
            .borrow_mut()
            .insert(pkg.path.clone(), o.clone());
        o
    }

    /// Directory of the workspace package called `name` (by its `name` field).
    pub fn package_dir_by_name(&self, name: &str) -> Option<String> {
        self.names
            .get_or_init(|| {
                self.packages()
                    .iter()
                    .filter_map(|p| Some((p.name.clone()?, p.dir.clone())))
                    .collect()
            })
            .get(name)
            .cloned()
    }

    /// Whether some `.gitignore` at or above the path ignores it.
    pub fn ignored(&self, path: &str) -> bool {
        let gis = self.gitignores.get_or_init(|| {
            self.all
                .iter()
                .filter(|f| f.as_str() == ".gitignore" || f.ends_with("/.gitignore"))
                .filter_map(|f| Some(scripts::parse_gitignore(f, &self.text(f)?)))
                .collect()
        });
        gis.iter().any(|g| g.ignores(path))
    }
}
