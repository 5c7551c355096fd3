//! The env stage's part of the shared walk: variable references in code and
//! the template files it finds.

use super::config::EnvConfig;
use super::refs::{self, Ref, RefDef};
use crate::walk::{Visitor, WalkFile};
use globset::GlobSet;
use std::sync::Mutex;

/// Template file names, in order of preference within a directory.
pub const TEMPLATE_NAMES: &[&str] = &[".env.example", ".env.sample", ".env.template", ".env.dist"];

/// Default globs of code whose env references count.
pub const DEFAULT_CODE_INCLUDE: &[&str] = &[
    "*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,svelte,astro,py,go,rs,rb}",
    "docker-compose*.{yml,yaml}",
    "compose*.{yml,yaml}",
];

/// Default globs of code that does not count (tests, vendored, generated).
pub const DEFAULT_CODE_EXCLUDE: &[&str] = &[
    "test/",
    "tests/",
    "__tests__/",
    "spec/",
    "e2e/",
    "cypress/",
    "__mocks__/",
    "fixtures/",
    "*.{test,spec,e2e,cy,stories}.*",
    "*_test.go",
    "tests.rs",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "node_modules/",
    "vendor/",
    "dist/",
    "build/",
    "coverage/",
    ".next/",
    ".nuxt/",
    ".svelte-kit/",
    "target/",
    "*.min.js",
    "*.d.ts",
];

/// Collects references and templates during the walk.
pub struct Collector {
    defs: Vec<RefDef>,
    include: GlobSet,
    exclude: GlobSet,
    discover_templates: bool,
    /// References found so far.
    pub refs: Mutex<Vec<Ref>>,
    /// Template paths found so far.
    pub templates: Mutex<Vec<String>>,
    /// JS/TS code files seen (for the config-module dataflow).
    pub js_files: Mutex<Vec<String>>,
    /// Files that could not be read.
    pub problems: Mutex<Vec<(String, String)>>,
}

fn own(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Collector {
    /// A collector for `config`; `scan_exclude` (`[scan] exclude`) is honoured too.
    pub fn new(config: &EnvConfig, scan_exclude: &[String]) -> Result<Self, String> {
        let defs =
            refs::parse_defs("<builtin>/rules/env-refs.toml", refs::BUILTIN_REFS).map_err(|e| {
                format!(
                    "built-in env reference definitions: {}",
                    e.first().map(ToString::to_string).unwrap_or_default()
                )
            })?;
        let include = if config.include.is_empty() {
            own(DEFAULT_CODE_INCLUDE)
        } else {
            config.include.clone()
        };
        let mut exclude = own(DEFAULT_CODE_EXCLUDE);
        exclude.extend(config.exclude.iter().cloned());
        exclude.extend(scan_exclude.iter().cloned());
        let gs = |v: &[String]| crate::glob::glob_set(v).map_err(|e| e.to_string());
        Ok(Collector {
            defs,
            include: gs(&include)?,
            exclude: gs(&exclude)?,
            discover_templates: config.templates.is_empty(),
            refs: Mutex::new(Vec::new()),
            templates: Mutex::new(Vec::new()),
            js_files: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
        })
    }

    fn is_template(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.discover_templates
            && TEMPLATE_NAMES.contains(&name)
            && !rel.split('/').any(|s| s == "node_modules")
    }

    /// Whether `rel` is code whose references count.
    pub fn is_code(&self, rel: &str) -> bool {
        !rel.split('/').any(|s| s == "node_modules")
            && self.include.is_match(rel)
            && !self.exclude.is_match(rel)
            && refs::wanted(&self.defs, rel)
    }

    /// The references in one file's text (diff mode reads files itself).
    pub fn refs_in(&self, rel: &str, bytes: &[u8]) -> Vec<Ref> {
        if self.is_code(rel) {
            refs::find_refs(&self.defs, rel, bytes)
        } else {
            Vec::new()
        }
    }
}

impl Visitor for Collector {
    fn wants(&self, rel: &str) -> bool {
        self.is_template(rel) || self.is_code(rel)
    }

    fn visit(&self, file: &WalkFile) {
        if self.is_template(&file.rel) {
            if let Ok(mut t) = self.templates.lock() {
                t.push(file.rel.clone());
            }
            return;
        }
        if super::flow::is_js(&file.rel)
            && let Ok(mut j) = self.js_files.lock()
        {
            j.push(file.rel.clone());
        }
        match file.bytes() {
            Ok(bytes) => {
                let found = refs::find_refs(&self.defs, &file.rel, &bytes);
                if !found.is_empty()
                    && let Ok(mut r) = self.refs.lock()
                {
                    r.extend(found);
                }
            }
            Err(e) => {
                if let Ok(mut p) = self.problems.lock() {
                    p.push((file.rel.clone(), e));
                }
            }
        }
    }

    fn problem(&self, rel: &str, why: &str) {
        if self.wants(rel)
            && let Ok(mut p) = self.problems.lock()
        {
            p.push((rel.to_string(), why.to_string()));
        }
    }
}
