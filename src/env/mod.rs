//! The `env` stage: variables read by code vs. the template and each profile.
//! Values are never printed: messages name variables, not what they hold.

pub mod dotenv;
pub mod names;
pub mod refs;

use crate::config::{Config, VarDecl, apply_annotations};
use crate::model::{FailOn, Finding, Location, Severity, StageOutcome};
use crate::rules::compile::glob_set;
use crate::scan::{git, mask};
use dotenv::EnvFile;
use names::{
    client_prefix, has_loopback, is_bypass, is_placeholder, looks_secret, name_matches,
    production_like, truthiness,
};
use refs::Ref;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

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

/// Default front-end source globs and exclusions (server code inside them).
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

/// Every check of the env stage (one JUnit testcase each).
pub const ENV_RULES: &[&str] = &[
    "env/undeclared",
    "env/no-template",
    "env/unused",
    "env/dynamic-access",
    "env/missing-required",
    "env/invalid-value",
    "env/placeholder",
    "env/loopback-in-production",
    "env/forbidden-flag",
    "env/exposed-secret",
    "env/secret-in-client-code",
    "env/committed-secret",
    "env/malformed-line",
    "env/duplicate-key",
    "env/unknown-annotation",
];

/// What the env stage checks besides code and templates.
#[derive(Debug, Clone, Default)]
pub struct EnvRequest {
    /// `--profile NAME`: check `.env.NAME` files.
    pub profile: Option<String>,
    /// `--env-file PATH`: check these files.
    pub env_files: Vec<PathBuf>,
    /// `--from-process`: check the live environment.
    pub from_process: bool,
    /// A missing `.env.<profile>` is a note instead of a usage error.
    pub profile_optional: bool,
}

/// A usage problem (exit 2), e.g. a profile file that does not exist.
#[derive(Debug, Clone)]
pub struct EnvUsageError(pub String);

struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &str,
        title: &str,
        severity: Severity,
        message: String,
        help: &str,
        location: Location,
        key: &str,
    ) {
        self.findings.push(Finding::new(
            rule, title, severity, message, help, location, key,
        ));
    }
}

fn at(path: &str, line: usize, column: usize) -> Location {
    Location::span(path, (line, column), (line, column))
}

/// A declaration and where it was made.
struct Declared {
    decl: VarDecl,
    file: String,
}

/// A template and the directory it covers.
struct Template {
    path: String,
    dir: String,
    file: EnvFile,
}

/// A set of values to check (a profile file, or the process environment).
struct ProfileSource {
    profile: String,
    /// Repo-relative path, or `<process>`.
    name: String,
    file: EnvFile,
    is_process: bool,
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn is_env_file_name(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

fn read_env_file(path: &Path) -> Result<EnvFile, String> {
    std::fs::read(path)
        .map(|b| dotenv::parse(&b))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn structural(sink: &mut Sink, path: &str, file: &EnvFile) {
    for p in &file.problems {
        if p.duplicate {
            sink.push(
                "env/duplicate-key",
                "Variable set twice",
                Severity::Warning,
                p.message.clone(),
                "Remove one of the assignments so the file says what it means.",
                at(path, p.line, p.column),
                &format!("dup:{}", p.line),
            );
        } else {
            sink.push(
                "env/malformed-line",
                "Malformed env file line",
                Severity::Error,
                format!("{} (the line is ignored by dotenv loaders)", p.message),
                "Write `KEY=value`; quote values with spaces or `#`.",
                at(path, p.line, p.column),
                &format!("bad:{}", p.line),
            );
        }
    }
}

/// Runs the env stage.
pub fn run_env(
    root: &Path,
    config: &Config,
    req: &EnvRequest,
    fail_on: FailOn,
) -> Result<StageOutcome, EnvUsageError> {
    let started = Instant::now();
    let env = &config.env;
    let usage = |m: String| EnvUsageError(m);
    let defs = refs::parse_defs("<builtin>/rules/env-refs.toml", refs::BUILTIN_REFS)
        .map_err(|e| usage(format!("built-in env reference definitions: {}", e[0])))?;
    let own = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
    let include = if env.include.is_empty() {
        own(DEFAULT_CODE_INCLUDE)
    } else {
        env.include.clone()
    };
    let mut exclude = own(DEFAULT_CODE_EXCLUDE);
    exclude.extend(env.exclude.iter().cloned());
    exclude.extend(config.scan.exclude.iter().cloned());
    let gs = |v: &[String]| glob_set(v).map_err(|e| usage(e.to_string()));
    let (include, exclude) = (gs(&include)?, gs(&exclude)?);
    let client_inc = if env.client_paths.is_empty() {
        own(DEFAULT_CLIENT_INCLUDE)
    } else {
        env.client_paths.clone()
    };
    let (client_inc, client_exc) = (gs(&client_inc)?, gs(&own(DEFAULT_CLIENT_EXCLUDE))?);

    // One walk: code references and template files.
    let mut all_refs: Vec<Ref> = Vec::new();
    let mut template_paths: Vec<String> = Vec::new();
    let mut problem: Option<String> = None;
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| e.file_name() != ".git" && e.file_name() != "node_modules")
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problem.get_or_insert_with(|| format!("could not walk the tree: {e}"));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = rel(root, entry.path());
        let name = entry.file_name().to_string_lossy();
        if TEMPLATE_NAMES.contains(&name.as_ref()) && env.templates.is_empty() {
            template_paths.push(path.clone());
            continue;
        }
        if !include.is_match(&path) || exclude.is_match(&path) || !refs::wanted(&defs, &path) {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => all_refs.extend(refs::find_refs(&defs, &path, &bytes)),
            Err(e) => {
                problem.get_or_insert_with(|| format!("could not read {path}: {e}"));
            }
        }
    }
    if !env.templates.is_empty() {
        template_paths = env.templates.clone();
    }
    template_paths.sort();

    let mut sink = Sink {
        findings: Vec::new(),
    };
    let config_file = match &config.path {
        Some(p) => rel(root, p),
        None => config.display.clone(),
    };

    // Templates and declarations.
    let mut templates: Vec<Template> = Vec::new();
    for p in &template_paths {
        let file = read_env_file(&root.join(p)).map_err(usage)?;
        structural(&mut sink, p, &file);
        // One template per directory: the first name in TEMPLATE_NAMES order wins.
        let dir = dir_of(p).to_string();
        if templates.iter().any(|t| t.dir == dir) {
            continue;
        }
        templates.push(Template {
            path: p.clone(),
            dir,
            file,
        });
    }
    let mut declared: BTreeMap<String, Declared> = BTreeMap::new();
    for t in &templates {
        for e in t.file.effective() {
            let mut decl = VarDecl {
                name: e.key.clone(),
                line: e.line,
                ..VarDecl::default()
            };
            for unknown in apply_annotations(&mut decl, &e.annotations) {
                sink.push(
                    "env/unknown-annotation",
                    "Unknown template annotation",
                    Severity::Warning,
                    format!("`@{unknown}` is not an annotation shipgate understands; it is ignored"),
                    "Known: @required, @required=prod,staging, @optional, @secret, @public, @type=<string|int|port|bool|url|email|enum|hex|base64>, @min_length=N, @pattern=REGEX, @values=a|b, @allow_loopback.",
                    at(&t.path, e.line.saturating_sub(1).max(1), 1),
                    &format!("{}@{unknown}", e.key),
                );
            }
            declared.entry(e.key.clone()).or_insert(Declared {
                decl,
                file: t.path.clone(),
            });
        }
    }
    for v in &env.vars {
        declared.insert(
            v.name.clone(),
            Declared {
                decl: v.clone(),
                file: config_file.clone(),
            },
        );
    }
    let is_secret = |name: &str| -> bool {
        if env.public.iter().any(|p| name_matches(p, name)) {
            return false;
        }
        match declared.get(name).and_then(|d| d.decl.secret) {
            Some(s) => s,
            None => looks_secret(name),
        }
    };
    let platform = |name: &str, path: &str| -> bool {
        names::PLATFORM_VARS
            .iter()
            .any(|(n, scope)| name_matches(n, name) && scope.is_none_or(|s| path.starts_with(s)))
            || env.allow.iter().any(|p| name_matches(p, name))
            || (path.ends_with(".rs") && (name.starts_with("CARGO_") || name == "NO_COLOR"))
    };

    // Undeclared, no template, dynamic access.
    let covering = |path: &str| -> Option<&Template> {
        let d = dir_of(path);
        templates
            .iter()
            .filter(|t| t.dir.is_empty() || d == t.dir || d.starts_with(&format!("{}/", t.dir)))
            .max_by_key(|t| t.dir.len())
    };
    let mut undeclared: BTreeMap<(String, String), Vec<&Ref>> = BTreeMap::new();
    let mut uncovered: BTreeMap<String, Vec<&Ref>> = BTreeMap::new();
    for r in &all_refs {
        if r.dynamic {
            sink.push(
                "env/dynamic-access",
                "Computed environment variable name",
                Severity::Note,
                "The variable name is computed here, so shipgate cannot verify which variables this code needs".into(),
                "Prefer literal names (`process.env.API_URL`) or a validated config schema so every variable can be checked.",
                at(&r.path, r.line, r.column),
                "dynamic",
            );
            continue;
        }
        if platform(&r.name, &r.path) || env.vars.iter().any(|v| v.name == r.name) {
            continue;
        }
        match covering(&r.path) {
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
            "env/undeclared",
            "Variable read by code but not declared",
            Severity::Error,
            format!("`{name}` is read here{more} but not declared in {template}; a deploy cannot know it must be set"),
            "Add it to the template (with an empty or example value and a comment), or declare it in `[env.vars]`. Platform-provided names can be allowed with `[env] allow`.",
            at(&first.path, first.line, first.column),
            name,
        );
    }
    if !uncovered.is_empty() {
        let names: Vec<&str> = uncovered.keys().map(String::as_str).collect();
        let first = uncovered
            .values()
            .flatten()
            .min_by_key(|r| (&r.path, r.line))
            .copied();
        if let Some(first) = first {
            let shown: Vec<&str> = names.iter().take(8).copied().collect();
            let more = if names.len() > 8 {
                format!(" and {} more", names.len() - 8)
            } else {
                String::new()
            };
            sink.push(
                "env/no-template",
                "No env template for this code",
                Severity::Warning,
                format!(
                    "Code reads {} variable(s) ({}{more}) but no .env.example covers it, so undeclared variables cannot be checked",
                    names.len(),
                    shown.join(", ")
                ),
                "Add a `.env.example` listing every variable the code reads (next to the package that reads them), or list templates in `[env] templates`.",
                at(&first.path, first.line, first.column),
                &names.join(","),
            );
        }
    }

    // Unused template entries.
    let read: BTreeSet<&str> = all_refs
        .iter()
        .filter(|r| !r.dynamic)
        .map(|r| r.name.as_str())
        .collect();
    if !all_refs.is_empty() {
        for t in &templates {
            for e in t.file.effective() {
                if read.contains(e.key.as_str()) || platform(&e.key, &t.path) {
                    continue;
                }
                sink.push(
                    "env/unused",
                    "Declared variable that no code reads",
                    Severity::Warning,
                    format!("`{}` is declared in {} but no code reads it", e.key, t.path),
                    "Remove it from the template, or read it where it is needed. Dynamic access (`process.env[name]`) cannot be followed.",
                    at(&t.path, e.line, e.column),
                    &e.key,
                );
            }
        }
    }

    // Exposed secrets: client prefix on a secret, and secrets read from front-end code.
    let mut seen_exposed: BTreeSet<String> = BTreeSet::new();
    let mut exposed = |sink: &mut Sink, name: &str, loc: Location| {
        if let Some(prefix) = client_prefix(name)
            && is_secret(name)
            && seen_exposed.insert(name.to_string())
        {
            sink.push(
                "env/exposed-secret",
                "Secret with a client-bundle prefix",
                Severity::Error,
                format!("`{name}` looks like a secret but its `{prefix}` prefix makes the bundler inline it into client code that anyone can read"),
                "Drop the prefix and use the secret only on the server (an API route, Edge Function or backend). If the value is public by design, declare it with `secret = false` or list it in `[env] public`.",
                loc,
                name,
            );
        }
    };
    for t in &templates {
        for e in t.file.effective() {
            exposed(&mut sink, &e.key, at(&t.path, e.line, e.column));
        }
    }
    for r in all_refs.iter().filter(|r| !r.dynamic) {
        exposed(&mut sink, &r.name, at(&r.path, r.line, r.column));
        if client_prefix(&r.name).is_none()
            && is_secret(&r.name)
            && client_inc.is_match(&r.path)
            && !client_exc.is_match(&r.path)
        {
            sink.push(
                "env/secret-in-client-code",
                "Server secret read from front-end code",
                Severity::Error,
                format!("`{}` is a server-side secret but is read from front-end source", r.name),
                "Call a server endpoint that uses the secret instead; front-end code ends up in the browser. Adjust `[env] client_paths` if this file runs only on the server.",
                at(&r.path, r.line, r.column),
                &r.name,
            );
        }
    }

    // Committed secret values in tracked env files.
    if let Ok(tracked) = git::tracked_files(root, &[]) {
        for p in tracked
            .iter()
            .filter(|p| is_env_file_name(p.rsplit('/').next().unwrap_or(p)))
        {
            let Ok(file) = read_env_file(&root.join(p)) else {
                continue;
            };
            for e in file.effective() {
                let v = e.value.trim();
                if is_secret(&e.key) && !v.is_empty() && !is_placeholder(v) && !v.starts_with("${")
                {
                    sink.push(
                        "env/committed-secret",
                        "Secret value committed in an env file",
                        Severity::Error,
                        format!("`{}` has a real value (`{}`) in {p}, which git tracks", e.key, mask(v)),
                        "Rotate the secret (it is in the git history), leave the value empty in committed files and set it in the deploy platform or a secret store.",
                        at(p, e.line, e.column),
                        &e.key,
                    );
                }
            }
        }
    }

    // Profiles.
    let mut sources: Vec<ProfileSource> = Vec::new();
    let mut dirs: Vec<String> = vec![String::new()];
    dirs.extend(
        templates
            .iter()
            .map(|t| t.dir.clone())
            .filter(|d| !d.is_empty()),
    );
    dirs.dedup();
    if let Some(p) = &req.profile
        && req.env_files.is_empty()
    {
        for d in &dirs {
            let path = if d.is_empty() {
                format!(".env.{p}")
            } else {
                format!("{d}/.env.{p}")
            };
            let abs = root.join(&path);
            if abs.is_file() {
                sources.push(ProfileSource {
                    profile: p.clone(),
                    name: path,
                    file: read_env_file(&abs).map_err(usage)?,
                    is_process: false,
                });
            }
        }
        if sources.is_empty() && !req.from_process {
            if !req.profile_optional {
                return Err(usage(format!(
                    "--profile {p}: no .env.{p} found in the repository root or next to a template"
                )));
            }
            sink.push(
                "env/profile-not-checked",
                "Profile file not found",
                Severity::Note,
                format!("No .env.{p} in the repository, so the `{p}` profile was not checked here; check the live environment at deploy time with `shipgate env --from-process`"),
                "Commit a .env.<profile> without secret values, or run `shipgate env --from-process` in the deploy job.",
                Location::file(format!(".env.{p}")),
                p,
            );
        }
    }
    for f in &req.env_files {
        let abs = if f.is_absolute() {
            f.clone()
        } else {
            std::env::current_dir().unwrap_or_default().join(f)
        };
        let file = read_env_file(&abs).map_err(usage)?;
        let derived = abs
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(".env."))
            .map(str::to_string);
        let profile = req
            .profile
            .clone()
            .or(derived)
            .unwrap_or_else(|| "production".into());
        sources.push(ProfileSource {
            profile,
            name: rel(root, &abs),
            file,
            is_process: false,
        });
    }
    if req.from_process {
        let mut file = EnvFile::default();
        for (k, v) in std::env::vars_os() {
            let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
                continue;
            };
            file.entries.push(dotenv::Entry {
                key: k.to_string(),
                value: v.to_string(),
                line: 0,
                column: 0,
                annotations: Vec::new(),
            });
        }
        let profile = req.profile.clone().unwrap_or_else(|| "process".into());
        sources.push(ProfileSource {
            profile,
            name: "<process environment>".into(),
            file,
            is_process: true,
        });
    }
    if req.profile.is_none() && req.env_files.is_empty() && !req.from_process {
        // Default: every production-like profile file present in the repository.
        for d in &dirs {
            let Ok(entries) = std::fs::read_dir(root.join(d)) else {
                continue;
            };
            let mut found: Vec<String> = entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| n.strip_prefix(".env.").is_some_and(production_like))
                .collect();
            found.sort();
            for n in found {
                let path = if d.is_empty() {
                    n.clone()
                } else {
                    format!("{d}/{n}")
                };
                let profile = n.trim_start_matches(".env.").to_string();
                if let Ok(file) = read_env_file(&root.join(&path)) {
                    sources.push(ProfileSource {
                        profile,
                        name: path,
                        file,
                        is_process: false,
                    });
                }
            }
        }
    }
    let referenced: BTreeSet<&str> = read.clone();
    for src in &sources {
        if !src.is_process {
            structural(&mut sink, &src.name, &src.file);
        }
        check_profile(&mut sink, src, &declared, env, &referenced, &is_secret);
    }

    let checks: Vec<String> = ENV_RULES.iter().map(|s| s.to_string()).collect();
    let mut stage = StageOutcome::completed(
        "env",
        sink.findings,
        problem,
        fail_on,
        started.elapsed().as_millis() as u64,
    )
    .with_rule_checks(&checks, fail_on);
    stage
        .stats
        .insert("references".into(), all_refs.len() as u64);
    stage
        .stats
        .insert("variables_read".into(), read.len() as u64);
    stage
        .stats
        .insert("templates".into(), templates.len() as u64);
    stage
        .stats
        .insert("variables_declared".into(), declared.len() as u64);
    stage
        .stats
        .insert("profiles_checked".into(), sources.len() as u64);
    Ok(stage)
}

fn check_profile(
    sink: &mut Sink,
    src: &ProfileSource,
    declared: &BTreeMap<String, Declared>,
    env: &crate::config::EnvConfig,
    referenced: &BTreeSet<&str>,
    is_secret: &dyn Fn(&str) -> bool,
) {
    let prod = production_like(&src.profile);
    let file_loc = |line: usize, column: usize| -> Location {
        if src.is_process || line == 0 {
            Location::file(src.name.clone())
        } else {
            at(&src.name, line, column)
        }
    };
    // Required variables.
    for (name, d) in declared {
        if !d.decl.required.applies(&src.profile) {
            continue;
        }
        let value = src.file.get(name).map(|e| e.value.trim().to_string());
        if value.as_deref().is_none_or(str::is_empty) {
            let state = if value.is_some() { "empty" } else { "not set" };
            sink.push(
                "env/missing-required",
                "Required variable missing",
                Severity::Error,
                format!("`{name}` is required but {state} in {} (profile `{}`)", src.name, src.profile),
                "Set it before deploying; a missing required variable crashes the server at boot or silently disables a feature.",
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
        let decl = declared.get(name).map(|d| &d.decl);
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
        let secret = is_secret(name);
        if !v.is_empty() && is_placeholder(v) {
            sink.push(
                "env/placeholder",
                "Placeholder value",
                Severity::Error,
                format!(
                    "`{name}` still holds a placeholder in {} (profile `{}`)",
                    src.name, src.profile
                ),
                "Set the real value in the deploy environment.",
                loc.clone(),
                &key,
            );
        } else if let Some(d) = decl
            && !v.is_empty()
            && let Some(why) = invalid(d, v)
        {
            let shown = if secret {
                String::new()
            } else {
                format!(" (`{}`)", shorten(v))
            };
            sink.push(
                "env/invalid-value",
                "Invalid value",
                Severity::Error,
                format!("`{name}`{shown} in {} {why}", src.name),
                "Fix the value; the declaration is in the template annotations or `[env.vars]`.",
                loc.clone(),
                &key,
            );
        }
        if !prod {
            continue;
        }
        if has_loopback(v) && !decl.is_some_and(|d| d.allow_loopback) {
            sink.push(
                "env/loopback-in-production",
                "Loopback address in a production profile",
                Severity::Error,
                format!("`{name}` points at a loopback host in {} (profile `{}`): in production that is the server or the user's own machine", src.name, src.profile),
                "Set the real service URL; if loopback is intended (a sidecar), declare the variable with `allow_loopback = true`.",
                loc.clone(),
                &format!("{key}:loopback"),
            );
        }
        let on = truthiness(v);
        let flagged = if name == "NODE_TLS_REJECT_UNAUTHORIZED" {
            (v == "0").then(|| {
                "disables TLS certificate verification for every outgoing request".to_string()
            })
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
        };
        if let Some(why) = flagged {
            sink.push(
                "env/forbidden-flag",
                "Bypass or debug switch on in a production profile",
                Severity::Error,
                format!("`{name}` {why} (in {}, profile `{}`)", src.name, src.profile),
                "Set it to `false` or remove it from production-like profiles; keep it in `.env.local`/`.env.development` only.",
                loc,
                &format!("{key}:flag"),
            );
        }
    }
}

fn shorten(v: &str) -> String {
    if v.chars().count() > 40 {
        format!("{}…", v.chars().take(40).collect::<String>())
    } else {
        v.to_string()
    }
}

/// Why `v` does not satisfy `d`, or `None` when it does.
fn invalid(d: &VarDecl, v: &str) -> Option<String> {
    use crate::config::VarType;
    if let Some(min) = d.min_length
        && v.chars().count() < min
    {
        return Some(format!(
            "is {} characters; at least {min} required",
            v.chars().count()
        ));
    }
    if let Some(ty) = &d.ty {
        let ok = match ty {
            VarType::String => true,
            VarType::Int => v.parse::<i64>().is_ok(),
            VarType::Port => v.parse::<u16>().is_ok_and(|p| p > 0),
            VarType::Bool => truthiness(v).is_some(),
            VarType::Url => v.split_once("://").is_some_and(|(s, rest)| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                    && !rest.is_empty()
            }),
            VarType::Email => v
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !v.contains(' ')),
            VarType::Enum => d.values.iter().any(|x| x == v),
            VarType::Hex => v.bytes().all(|b| b.is_ascii_hexdigit()),
            VarType::Base64 => v
                .trim_end_matches('=')
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/-_".contains(&b)),
        };
        if !ok {
            let extra = if *ty == VarType::Enum {
                format!(" ({})", d.values.join(", "))
            } else {
                String::new()
            };
            return Some(format!("is not a valid {}{extra}", ty.as_str()));
        }
    }
    if let Some(p) = &d.pattern
        && let Ok(re) = regex::Regex::new(&format!("^(?:{p})$"))
        && !re.is_match(v)
    {
        return Some(format!("does not match the pattern `{p}`"));
    }
    None
}

/// Whether a value passes a declaration.
#[cfg(test)]
fn validate(d: &VarDecl, v: &str) -> Result<(), String> {
    invalid(d, v).map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::VarType;

    #[test]
    fn validates_declarations() {
        let d = VarDecl {
            name: "SESSION_SECRET".into(),
            ty: Some(VarType::Hex),
            min_length: Some(64),
            ..VarDecl::default()
        };
        assert!(validate(&d, &"ab".repeat(32)).is_ok());
        assert!(
            validate(&d, &"ab".repeat(16))
                .unwrap_err()
                .contains("at least 64")
        );
        assert!(
            validate(&d, &"zz".repeat(32))
                .unwrap_err()
                .contains("not a valid hex")
        );
        let port = VarDecl {
            ty: Some(VarType::Port),
            ..VarDecl::default()
        };
        assert!(validate(&port, "3000").is_ok());
        assert!(validate(&port, "0").is_err());
        assert!(validate(&port, "70000").is_err());
        let url = VarDecl {
            ty: Some(VarType::Url),
            ..VarDecl::default()
        };
        assert!(validate(&url, "https://api.example.com").is_ok());
        assert!(validate(&url, "api.example.com").is_err());
        let e = VarDecl {
            ty: Some(VarType::Enum),
            values: vec!["a".into(), "b".into()],
            ..VarDecl::default()
        };
        assert!(validate(&e, "c").unwrap_err().contains("(a, b)"));
        let b = VarDecl {
            ty: Some(VarType::Bool),
            ..VarDecl::default()
        };
        assert!(validate(&b, "maybe").is_err());
        let p = VarDecl {
            pattern: Some("sk_(live|test)_[0-9a-zA-Z]+".into()),
            ..VarDecl::default()
        };
        assert!(validate(&p, "sk_live_abc").is_ok());
        assert!(validate(&p, "pk_live_abc").is_err());
    }
}
