//! The env stage's checks of code and templates: undeclared and unused
//! variables, missing templates, dynamic access, secrets exposed to the client
//! or committed.

use super::names::{
    self, client_prefix, has_loopback, is_bypass, is_placeholder, production_like, truthiness,
};
use super::profile::ProfileSource;
use super::refs::Ref;
use super::{Declared, EnvInputs, Sink, Template, at, dir_of, read_env_file, rules};
use crate::glob::name_matches;
use crate::model::Location;
use crate::secrets::{looks_secret, mask};
use globset::GlobSet;
use std::collections::{BTreeMap, BTreeSet};

/// Default front-end source globs.
pub const DEFAULT_CLIENT_INCLUDE: &[&str] =
    &["frontend/", "client/", "web/", "*.{jsx,tsx,vue,svelte}"];
/// Server-side files that look like front-end files.
pub const DEFAULT_CLIENT_EXCLUDE: &[&str] = &[
    "*.server.*",
    "server/",
    "backend/",
    "api/",
    "app/",
    "functions/",
    "pages/api/",
    "middleware.*",
];

/// What every check needs.
pub struct Ctx<'a> {
    inputs: &'a EnvInputs<'a>,
    frameworks: super::frameworks::Frameworks,
    templates: &'a [Template],
    declared: &'a BTreeMap<String, Declared>,
    client_inc: Option<GlobSet>,
    client_exc: Option<GlobSet>,
}

impl<'a> Ctx<'a> {
    /// The checks over these templates and declarations.
    pub fn new(
        inputs: &'a EnvInputs<'a>,
        templates: &'a [Template],
        declared: &'a BTreeMap<String, Declared>,
    ) -> Self {
        let inc: Vec<String> = if inputs.config.client_paths.is_empty() {
            DEFAULT_CLIENT_INCLUDE
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            inputs.config.client_paths.clone()
        };
        Ctx {
            inputs,
            frameworks: super::frameworks::Frameworks::new(inputs.root),
            templates,
            declared,
            client_inc: crate::glob::glob_set(&inc).ok(),
            client_exc: crate::glob::glob_set_of(DEFAULT_CLIENT_EXCLUDE).ok(),
        }
    }

    /// Whether a variable holds a secret: its declaration, else its name.
    pub fn is_secret(&self, name: &str) -> bool {
        if self
            .inputs
            .config
            .public
            .iter()
            .any(|p| name_matches(p, name))
        {
            return false;
        }
        match self.declared.get(name).and_then(|d| d.decl.secret) {
            Some(s) => s,
            None => looks_secret(name),
        }
    }

    /// Whether the platform provides `name` to code at `path`.
    fn platform(&self, name: &str, path: &str) -> bool {
        names::PLATFORM_VARS
            .iter()
            .any(|(n, scope)| name_matches(n, name) && scope.is_none_or(|s| path.starts_with(s)))
            || self
                .inputs
                .config
                .allow
                .iter()
                .any(|p| name_matches(p, name))
            || (path.ends_with(".rs") && (name.starts_with("CARGO_") || name == "NO_COLOR"))
    }

    /// The deepest template whose directory holds `path`.
    fn covering(&self, path: &str) -> Option<&'a Template> {
        let d = dir_of(path);
        self.templates
            .iter()
            .filter(|t| t.dir.is_empty() || d == t.dir || d.starts_with(&format!("{}/", t.dir)))
            .max_by_key(|t| t.dir.len())
    }

    /// Names read by code (literal references only).
    pub fn read_names<'r>(&self, refs: &'r [Ref]) -> BTreeSet<&'r str> {
        refs.iter()
            .filter(|r| !r.dynamic)
            .map(|r| r.name.as_str())
            .collect()
    }

    /// Checks of the references on a change's added lines (diff mode): no
    /// `unused` (the rest of the code was not read).
    pub fn changed_code(&self, refs: &[Ref], sink: &mut Sink) {
        self.undeclared(refs, sink);
        self.exposed_in_code(refs, sink);
    }

    /// Checks of code references against the templates.
    pub fn code(&self, refs: &[Ref], sink: &mut Sink) {
        self.undeclared(refs, sink);
        let read = self.read_names(refs);
        if !refs.is_empty() {
            self.unused(&read, sink);
        }
        self.exposed(refs, sink);
    }

    fn undeclared(&self, refs: &[Ref], sink: &mut Sink) {
        let mut undeclared: BTreeMap<(String, String), Vec<&Ref>> = BTreeMap::new();
        let mut uncovered: BTreeMap<String, Vec<&Ref>> = BTreeMap::new();
        for r in refs {
            if r.dynamic {
                sink.push(
                    &rules::DYNAMIC_ACCESS,
                    "The variable name is computed here, so shipgate cannot verify which variables this code needs".into(),
                    at(&r.path, r.line, r.column),
                    "dynamic",
                );
                continue;
            }
            if self.platform(&r.name, &r.path)
                || self.inputs.config.vars.iter().any(|v| v.name == r.name)
            {
                continue;
            }
            match self.covering(&r.path) {
                Some(t) if t.file.get(&r.name).is_some() => {}
                Some(t) => undeclared
                    .entry((t.path.clone(), r.name.clone()))
                    .or_default()
                    .push(r),
                None => uncovered.entry(r.name.clone()).or_default().push(r),
            }
        }
        for ((template, name), refs) in &undeclared {
            let first = refs[0];
            let more = if refs.len() > 1 {
                format!(" (and {} more places)", refs.len() - 1)
            } else {
                String::new()
            };
            sink.push(
                &rules::UNDECLARED,
                format!("`{name}` is read here{more} but not declared in {template}; a deploy cannot know it must be set"),
                at(&first.path, first.line, first.column),
                name,
            );
        }
        self.no_template(&uncovered, sink);
    }

    /// One `env/no-template` per package whose code reads variables no
    /// template covers, located at the package directory (where the template
    /// goes), not at a reader.
    fn no_template(&self, uncovered: &BTreeMap<String, Vec<&Ref>>, sink: &mut Sink) {
        let mut by_package: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for (name, refs) in uncovered {
            for r in refs {
                let dir = self.frameworks.package_dir(&r.path).unwrap_or_default();
                by_package.entry(dir).or_default().insert(name);
            }
        }
        for (dir, names) in by_package {
            let shown: Vec<&str> = names.iter().take(8).copied().collect();
            let more = if names.len() > 8 {
                format!(" and {} more", names.len() - 8)
            } else {
                String::new()
            };
            let (location, template) = if dir.is_empty() {
                (".".to_string(), ".env.example".to_string())
            } else {
                (format!("{dir}/"), format!("{dir}/.env.example"))
            };
            sink.push(
                &rules::NO_TEMPLATE,
                format!(
                    "Code here reads {} variable(s) ({}{more}) but no .env.example covers it, so undeclared variables cannot be checked: add {template}",
                    names.len(),
                    shown.join(", ")
                ),
                Location::file(location),
                &names.iter().copied().collect::<Vec<_>>().join(","),
            );
        }
    }

    fn unused(&self, read: &BTreeSet<&str>, sink: &mut Sink) {
        for t in self.templates {
            for e in t.file.effective() {
                if read.contains(e.key.as_str()) || self.platform(&e.key, &t.path) {
                    continue;
                }
                sink.push(
                    &rules::UNUSED,
                    format!("`{}` is declared in {} but no code reads it", e.key, t.path),
                    at(&t.path, e.line, e.column),
                    &e.key,
                );
            }
        }
    }

    /// A secret-looking variable with a prefix the bundler of the package
    /// covering `path` inlines into client code, once per name.
    fn expose(
        &self,
        sink: &mut Sink,
        seen: &mut BTreeSet<String>,
        name: &str,
        path: &str,
        loc: Location,
    ) {
        let bundler = self.frameworks.covering(path);
        if let Some(prefix) = bundler.prefixes.iter().find(|p| name.starts_with(*p))
            && self.is_secret(name)
            && seen.insert(name.to_string())
        {
            sink.push(
                &rules::EXPOSED_SECRET,
                format!(
                    "`{name}` looks like a secret but its `{prefix}` prefix makes {} inline it into client code that anyone can read",
                    bundler.names.first().copied().unwrap_or("the bundler")
                ),
                loc,
                name,
            );
        }
    }

    fn exposed(&self, refs: &[Ref], sink: &mut Sink) {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for t in self.templates {
            for e in t.file.effective() {
                self.expose(
                    sink,
                    &mut seen,
                    &e.key,
                    &t.path,
                    at(&t.path, e.line, e.column),
                );
            }
        }
        self.exposed_refs(refs, sink, &mut seen);
    }

    fn exposed_in_code(&self, refs: &[Ref], sink: &mut Sink) {
        let mut seen = BTreeSet::new();
        self.exposed_refs(refs, sink, &mut seen);
    }

    /// Exposed secrets and server secrets read from front-end code.
    fn exposed_refs(&self, refs: &[Ref], sink: &mut Sink, seen: &mut BTreeSet<String>) {
        let client = |p: &str| {
            self.client_inc.as_ref().is_some_and(|g| g.is_match(p))
                && !self.client_exc.as_ref().is_some_and(|g| g.is_match(p))
        };
        for r in refs.iter().filter(|r| !r.dynamic) {
            self.expose(sink, seen, &r.name, &r.path, at(&r.path, r.line, r.column));
            if self.frameworks.exposing_prefix(&r.path, &r.name).is_none()
                && client_prefix(&r.name).is_none()
                && self.is_secret(&r.name)
                && client(&r.path)
            {
                sink.push(
                    &rules::SECRET_IN_CLIENT,
                    format!(
                        "`{}` is a server-side secret but is read from front-end source",
                        r.name
                    ),
                    at(&r.path, r.line, r.column),
                    &r.name,
                );
            }
        }
    }

    /// Client variables pointing at localhost in the committed `.env` /
    /// `.env.production` a bundler loads into production builds.
    fn client_bundle(&self, sink: &mut Sink, p: &str, file: &super::dotenv::EnvFile) {
        let name = p.rsplit('/').next().unwrap_or(p);
        if !matches!(name, ".env" | ".env.production" | ".env.production.local") {
            return;
        }
        let bundler = self.frameworks.covering(p);
        if !bundler.loads_env_files {
            return;
        }
        for e in file.effective() {
            if bundler.prefixes.iter().any(|pre| e.key.starts_with(pre)) && has_loopback(&e.value) {
                sink.push(
                    &rules::LOOPBACK_IN_BUNDLE,
                    format!(
                        "`{}` points at a loopback host in {p}, which {} loads into production builds: every user's browser would call its own machine",
                        e.key,
                        bundler.names.first().copied().unwrap_or("the bundler")
                    ),
                    at(p, e.line, e.column),
                    &format!("{p}:{}", e.key),
                );
            }
        }
    }

    /// Secret values in env files git tracks.
    pub fn committed(&self, sink: &mut Sink) {
        let root = self.inputs.root;
        let pathspecs = [
            ":(glob)**/.env".to_string(),
            ":(glob)**/.env.*".to_string(),
            ":(glob)**/*.env".to_string(),
        ];
        let Ok(tracked) = crate::git::tracked_files(root, &pathspecs) else {
            return;
        };
        for p in &tracked {
            let file = match read_env_file(&root.join(p)) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(e) => {
                    sink.unreadable(p, &e);
                    continue;
                }
            };
            self.client_bundle(sink, p, &file);
            let name = p.rsplit('/').next().unwrap_or(p);
            // Templates and test/CI profiles hold dummies by design: only a
            // value in a real credential format (a secret rule's) is a secret there.
            let dummies = super::TEMPLATE_NAMES.contains(&name)
                || name
                    .strip_prefix(".env.")
                    .is_some_and(|p| matches!(p, "test" | "testing" | "ci" | "e2e" | "test.local"));
            for e in file.effective() {
                let v = e.value.trim();
                if v.is_empty() || v.starts_with("${") {
                    continue;
                }
                let real = if dummies {
                    self.inputs.redactor.matches_rule(v)
                } else {
                    self.is_secret(&e.key) && !is_placeholder(v)
                };
                if !real {
                    continue;
                }
                self.inputs.redactor.add(v);
                sink.push(
                    &rules::COMMITTED_SECRET,
                    format!(
                        "`{}` has a real value (`{}`) in {p}, which git tracks",
                        e.key,
                        mask(v)
                    ),
                    at(p, e.line, e.column),
                    &e.key,
                );
            }
        }
    }

    /// Checks of one profile's values.
    pub fn profile(&self, sink: &mut Sink, src: &ProfileSource, referenced: &BTreeSet<&str>) {
        let prod = production_like(&src.profile);
        let env = self.inputs.config;
        let file_loc = |line: usize, column: usize| -> Location {
            if src.is_process || line == 0 {
                Location::file(src.name.clone())
            } else {
                at(&src.name, line, column)
            }
        };
        for (name, d) in self.declared {
            if !d.decl.required.applies(&src.profile) {
                continue;
            }
            let value = src.file.get(name).map(|e| e.value.trim().to_string());
            if value.as_deref().is_none_or(str::is_empty) {
                let state = if value.is_some() { "empty" } else { "not set" };
                sink.push(
                    &rules::MISSING_REQUIRED,
                    format!(
                        "`{name}` is required but {state} in {} (profile `{}`)",
                        src.name, src.profile
                    ),
                    match src.file.get(name) {
                        Some(e) if !src.is_process => at(&src.name, e.line, e.column),
                        _ => at(&d.file, d.decl.line.max(1), 1),
                    },
                    &format!("{}:{name}", src.name),
                );
            }
        }
        for e in src.file.effective() {
            let name = e.key.as_str();
            let decl = self.declared.get(name).map(|d| &d.decl);
            if src.is_process
                && decl.is_none()
                && !referenced.contains(name)
                && !is_bypass(name)
                && !env.forbid.iter().any(|(p, _)| name_matches(&p.value, name))
            {
                continue; // unrelated process variables
            }
            let v = e.value.trim();
            let loc = file_loc(e.line, e.column);
            let key = format!("{}:{name}", src.name);
            let secret = self.is_secret(name);
            if secret {
                self.inputs.redactor.add(v);
            }
            if !v.is_empty() && is_placeholder(v) {
                sink.push(
                    &rules::PLACEHOLDER,
                    format!(
                        "`{name}` still holds a placeholder in {} (profile `{}`)",
                        src.name, src.profile
                    ),
                    loc.clone(),
                    &key,
                );
            } else if let Some(d) = decl
                && !v.is_empty()
                && let Some(why) = super::profile::invalid(d, v)
            {
                let shown = if secret {
                    String::new()
                } else {
                    format!(" (`{}`)", super::profile::shorten(v))
                };
                sink.push(
                    &rules::INVALID_VALUE,
                    format!("`{name}`{shown} in {} {why}", src.name),
                    loc.clone(),
                    &key,
                );
            }
            if !prod {
                continue;
            }
            if has_loopback(v) && !decl.is_some_and(|d| d.allow_loopback) {
                sink.push(
                    &rules::LOOPBACK,
                    format!("`{name}` points at a loopback host in {} (profile `{}`): in production that is the server or the user's own machine", src.name, src.profile),
                    loc.clone(),
                    &format!("{key}:loopback"),
                );
            }
            if let Some(why) = flag(name, v, env) {
                sink.push(
                    &rules::FORBIDDEN_FLAG,
                    format!(
                        "`{name}` {why} (in {}, profile `{}`)",
                        src.name, src.profile
                    ),
                    loc,
                    &format!("{key}:flag"),
                );
            }
        }
    }
}

/// Why `name=v` is a switch that must be off in production, if it is one.
fn flag(name: &str, v: &str, env: &super::config::EnvConfig) -> Option<String> {
    let on = truthiness(v);
    if name == "NODE_TLS_REJECT_UNAUTHORIZED" {
        (v == "0")
            .then(|| "disables TLS certificate verification for every outgoing request".to_string())
    } else if name == "DEBUG" {
        (on == Some(true)).then(|| "enables debug behaviour".to_string())
    } else if is_bypass(name) && on != Some(false) {
        Some(match on {
            Some(_) => "is a bypass/test switch and is on".to_string(),
            None => "is a bypass/test switch with a value that is not a boolean, so code may treat it as on".to_string(),
        })
    } else {
        env.forbid
            .iter()
            .find(|(p, _)| name_matches(&p.value, name))
            .filter(|_| on != Some(false))
            .map(|(_, reason)| format!("is forbidden here: {reason}"))
    }
}
