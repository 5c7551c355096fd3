//! Entrypoints: where shipped code starts. Collected from package manifests (entry fields,
//! start/serve/build scripts), framework conventions, deploy configuration (Dockerfile,
//! Procfile, Railway, Render, Fly, CapRover, Netlify, Vercel, nixpacks, App Engine),
//! serverless folder conventions (Supabase, Netlify, Vercel `api/`), and user globs.
//!
//! - `package_json`: entry fields, `exports`, entry scripts and framework dependencies.
//! - `commands`: what a start/build command runs (files, scripts, shell scripts, pm2).
//! - `frameworks`: the entrypoints a framework implies by convention.
//! - `platforms`: deploy configuration (Procfile, Railway, Render, Fly, Netlify, Vercel, …).
//! - `docker`: Dockerfiles (`COPY` mapping, `WORKDIR`, `CMD`/`ENTRYPOINT`).
//! - `conventions`: serverless folder conventions and user globs.

mod commands;
mod conventions;
mod docker;
mod frameworks;
mod package_json;
mod platforms;

use std::time::Instant;

use super::command::Framework;
use super::files::{self, FxSet};
use super::project::{Project, Reader};

/// A place where shipped code starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entrypoint {
    /// The entry file, repository-relative. A path ending in `/` is a shipped root
    /// directory: every file under it ships (e.g. a Dockerfile `COPY src ./src`, `public/`).
    pub file: String,
    /// Why it is an entrypoint, in words.
    pub why: String,
    /// Where that was read, e.g. `package.json:7 (main)`, `Dockerfile:12 (CMD)`.
    pub origin: String,
    /// A weak signal (tsconfig `files`, a bare `api/` folder without Vercel config): it marks
    /// files shipped but does not by itself make its package "decided".
    pub weak: bool,
}

impl Entrypoint {
    /// Whether this is a shipped root directory rather than a file.
    pub fn is_root(&self) -> bool {
        self.file.ends_with('/')
    }
}

/// All entrypoints of the repository (see the crate docs for the sources read).
/// `extra` holds user globs (`[scan.production] entrypoints`), matched against `files`.
pub fn entrypoints(files: &[String], read: Reader<'_>, extra: &[String]) -> Vec<Entrypoint> {
    let p = Project::new(files, read);
    collect(&p, extra)
}

/// Collect every entrypoint of the project.
pub(super) fn collect(p: &Project<'_>, extra: &[String]) -> Vec<Entrypoint> {
    collect_until(p, extra, None).unwrap_or_default()
}

/// [`collect`], or `None` once `deadline` has passed. It is checked before each package and
/// before each other source, so a repository with hundreds of packages cannot hold a
/// budgeted caller past its deadline by more than one package's worth of work.
pub(super) fn collect_until(
    p: &Project<'_>,
    extra: &[String],
    deadline: Option<Instant>,
) -> Option<Vec<Entrypoint>> {
    let late = || deadline.is_some_and(|d| Instant::now() >= d);
    let mut c = Collector {
        p,
        out: Vec::new(),
        seen: FxSet::default(),
        frameworks: FxSet::default(),
        scripts: FxSet::default(),
        trigger: String::new(),
    };
    for d in &p.package_dirs {
        if late() {
            return None;
        }
        c.package(d);
    }
    if late() {
        return None;
    }
    c.deploy_configs();
    if late() {
        return None;
    }
    c.conventions();
    if late() {
        return None;
    }
    c.extra(extra);
    // Strong entries first: explanations should start from them.
    c.out.sort_by_key(|e| e.weak);
    Some(c.out)
}

const JS_EXTS: &[&str] = &["js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "mdx"];

struct Collector<'p, 'a> {
    p: &'p Project<'a>,
    out: Vec<Entrypoint>,
    seen: FxSet<(String, String)>,
    frameworks: FxSet<(String, Framework)>,
    scripts: FxSet<(String, String)>,
    /// Prefix for `why` while a framework's conventions are being added.
    trigger: String,
}

impl Collector<'_, '_> {
    fn push(&mut self, file: String, why: String, origin: &str, weak: bool) {
        if self.seen.insert((file.clone(), origin.to_string())) {
            self.out.push(Entrypoint {
                file,
                why: format!("{}{why}", self.trigger),
                origin: origin.to_string(),
                weak,
            });
        }
    }

    /// A root directory, if it has files.
    fn push_root(&mut self, dir: &str, why: &str, origin: &str) {
        if !dir.is_empty() && self.p.files.is_dir(dir) {
            self.push(format!("{dir}/"), why.to_string(), origin, false);
        }
    }

    /// Add the file `rel` (relative to `base`) if it (or the source it is built from) exists.
    /// Returns the repository file added.
    fn push_path(&mut self, base: &str, rel: &str, why: &str, origin: &str) -> Option<String> {
        let path = files::join(base, rel)?;
        let id = self.p.locate(&path, 0)?;
        let file = self.p.files.path(id).to_string();
        let same = files::is_under(&file, &path)
            || file
                .strip_prefix(path.as_str())
                .is_some_and(|r| r.starts_with('.') && !r.contains('/'));
        let why = if same {
            why.to_string()
        } else {
            format!("{why}; {path} is built from {file}")
        };
        self.push(file.clone(), why, origin, false);
        Some(file)
    }

    fn read_text(&self, f: &str) -> Option<String> {
        let b = self.p.read(f)?;
        (b.len() <= 1 << 20).then(|| String::from_utf8_lossy(&b).into_owned())
    }
}

fn shell_quote(w: &str) -> String {
    if w.is_empty()
        || w.chars()
            .any(|c| c.is_whitespace() || "'\"\\$&|;<>()#".contains(c))
    {
        format!("'{}'", w.replace('\'', "'\\''"))
    } else {
        w.to_string()
    }
}
