//! `shipgate init`: read the repository (its packages, their frameworks, the
//! routes their code declares) and write a commented starter `shipgate.toml`
//! and `.github/workflows/shipgate.yml`. Reads files only; what is on PATH
//! comes from the caller.

mod health;

mod manager;
mod packages;
mod render;

pub use health::{Health, Probe, Unresolved};
pub use manager::{Cmd, CommandsPlan, Plan};
pub use packages::Package;

use crate::error::{Error, Result};
use std::path::Path;

/// What the repository looks like.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stack {
    /// Every framework and tool found, in display order.
    pub frameworks: Vec<&'static str>,
    /// Packages (directories with a package.json), the root first.
    pub packages: Vec<Package>,
    /// Health endpoints the code declares.
    pub health: Health,
    /// The commands stage and the package-manager decisions behind it.
    pub commands: Plan,
    /// Env templates found.
    pub templates: Vec<String>,
    /// Existing workflow files.
    pub workflows: Vec<String>,
    /// Bypass-looking variables in local env files.
    pub bypass_flags: Vec<String>,
}

impl Stack {
    /// Whether the repository has more than one package.
    pub fn is_monorepo(&self) -> bool {
        self.packages.iter().any(|p| !p.dir.is_empty())
    }

    /// Lines for the terminal: what was detected, the checks chosen, the notes.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.is_monorepo() {
            let each: Vec<String> = self
                .packages
                .iter()
                .filter(|p| !p.frameworks.is_empty())
                .map(|p| format!("{} {}", p.label(), p.frameworks.join(", ")))
                .collect();
            if !each.is_empty() {
                out.push(format!("detected {}", each.join("; ")));
            }
        } else if !self.frameworks.is_empty() {
            out.push(format!("detected {}", self.frameworks.join(", ")));
        }
        for p in &self.health.checks {
            out.push(format!(
                "smoke check `{}`: {} (declared at {})",
                render::check_name(p),
                p.path,
                p.origin
            ));
        }
        if self.health.checks.is_empty() && self.packages.iter().any(Package::is_server) {
            out.push("no health route found in the code: no smoke check written".into());
        }
        if !self.health.unresolved.is_empty() {
            out.push(format!(
                "{} route construct(s) could not be resolved: listed in shipgate.toml, not checked",
                self.health.unresolved.len()
            ));
        }
        out.extend(self.commands.notes.iter().map(|n| format!("note: {n}")));
        out
    }
}

/// Inspects the repository at `root`; `available` says whether a program
/// (`npm`, `bun`, …) is on PATH.
pub fn detect(root: &Path, available: &dyn Fn(&str) -> bool) -> Stack {
    let tree = packages::walk(root);
    let mut pkgs = tree.packages;
    let health = health::read(&tree.sources, &mut pkgs);
    if root.join("supabase").is_dir()
        && let Some(r) = pkgs.iter_mut().find(|p| p.dir.is_empty())
    {
        r.add("Supabase");
    }
    let mut s = Stack {
        commands: manager::plan(root, &pkgs, available),
        health,
        ..Stack::default()
    };
    for p in &pkgs {
        for f in &p.frameworks {
            if !s.frameworks.contains(f) {
                s.frameworks.push(f);
            }
        }
    }
    if root.join("supabase").is_dir() && !s.frameworks.contains(&"Supabase") {
        s.frameworks.push("Supabase");
    }
    s.packages = pkgs;
    env_files(root, &mut s);
    if let Ok(entries) = std::fs::read_dir(root.join(".github/workflows")) {
        let mut w: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
            .collect();
        w.sort();
        s.workflows = w;
    }
    s
}

/// Env templates and bypass flags in `.env.local`, at the root, in the usual
/// directories and in every package.
fn env_files(root: &Path, s: &mut Stack) {
    let mut dirs: Vec<String> = ["", "backend", "frontend", "server", "client", "web", "api"]
        .iter()
        .map(|d| d.to_string())
        .collect();
    for p in &s.packages {
        if !dirs.contains(&p.dir) {
            dirs.push(p.dir.clone());
        }
    }
    for dir in dirs {
        for name in crate::env::TEMPLATE_NAMES {
            let rel = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            if root.join(&rel).is_file() && !s.templates.contains(&rel) {
                s.templates.push(rel);
            }
        }
        if let Ok(bytes) = std::fs::read(root.join(&dir).join(".env.local")) {
            for e in crate::env::dotenv::parse(&bytes).effective() {
                if crate::env::names::is_bypass(&e.key) && !s.bypass_flags.contains(&e.key) {
                    s.bypass_flags.push(e.key.clone());
                }
            }
        }
    }
}

/// The starter config for a stack.
pub fn config_text(s: &Stack) -> String {
    render::config(s)
}

/// The starter workflow.
pub fn workflow_text() -> String {
    "name: shipgate\non:\n  pull_request:\npermissions:\n  contents: read\n  checks: write\njobs:\n  shipgate:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          fetch-depth: 0\n          persist-credentials: false\n      # Point `uses` at the repository you install shipgate from, pinned to a commit.\n      - uses: shipgate/shipgate@v0\n        with:\n          profile: pr\n          # base-url: ${{ vars.STAGING_BASE_URL }}   # runs the smoke checks against a deploy\n"
        .to_string()
}

/// Writes the files; refuses to overwrite without `force`. Returns what was written.
pub fn write(root: &Path, s: &Stack, force: bool) -> Result<Vec<String>> {
    let files = [
        ("shipgate.toml".to_string(), config_text(s)),
        (
            ".github/workflows/shipgate.yml".to_string(),
            workflow_text(),
        ),
        (
            ".shipgate/schema.json".to_string(),
            crate::config::schema_json(),
        ),
    ];
    let existing: Vec<&str> = files
        .iter()
        .filter(|(p, _)| root.join(p).exists())
        .map(|(p, _)| p.as_str())
        .collect();
    if !force && !existing.is_empty() {
        return Err(Error::usage(format!(
            "{} already exist(s); rerun with --force to overwrite",
            existing.join(", ")
        )));
    }
    let mut written = Vec::new();
    for (p, text) in files {
        let full = root.join(&p);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::incomplete(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        std::fs::write(&full, text)
            .map_err(|e| Error::incomplete(format!("cannot write {p}: {e}")))?;
        written.push(p);
    }
    Ok(written)
}
