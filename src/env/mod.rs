//! The `env` stage: variables read by code vs. the template and each profile.
//! Values are never printed: messages name variables, not what they hold.

mod checks;
pub mod collect;
pub mod config;
pub mod diff;
pub mod dotenv;
mod flow;
mod frameworks;
pub mod names;
mod profile;
pub mod refs;
pub mod rules;

pub use collect::{Collector, DEFAULT_CODE_EXCLUDE, DEFAULT_CODE_INCLUDE, TEMPLATE_NAMES};
pub use rules::RULES;

use crate::error::{Error, Result};
use crate::model::{Finding, Location, StageOutcome};
use crate::secrets::Redactor;
use config::{EnvConfig, VarDecl, apply_annotations};
use dotenv::{EnvFile, ProblemKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the env stage checks besides code and templates.
#[derive(Debug, Clone, Default)]
pub struct EnvRequest {
    /// `--profile NAME`: check `.env.NAME` files.
    pub profile: Option<String>,
    /// `--env-file PATH`: (absolute path, name to show) of each file to check.
    pub env_files: Vec<(PathBuf, String)>,
    /// `--from-process`: the live environment, as the CLI read it.
    pub process: Option<Vec<(String, String)>>,
    /// A missing `.env.<profile>` is a note instead of a usage error.
    pub profile_optional: bool,
    /// Only what these changes touch (the profile scans a diff).
    pub diff: Option<Vec<crate::scan::DiffSpec>>,
}

/// Everything the stage reads besides the walk.
pub struct EnvInputs<'a> {
    /// Repository root.
    pub root: &'a Path,
    /// `[env]`.
    pub config: &'a EnvConfig,
    /// The config file as findings name it.
    pub config_file: &'a str,
    /// Learns the values of secret variables it reads (masked everywhere).
    pub redactor: &'a Redactor,
}

/// Findings being collected.
#[derive(Default)]
struct Sink {
    findings: Vec<Finding>,
    problems: Vec<String>,
}

impl Sink {
    fn push(
        &mut self,
        meta: &crate::model::RuleMeta,
        message: String,
        location: Location,
        key: &str,
    ) {
        self.findings
            .push(Finding::of(meta, message, location, key));
    }

    /// A file that exists but cannot be read: a finding, and the stage is incomplete.
    fn unreadable(&mut self, path: &str, why: &str) {
        self.push(
            &rules::UNREADABLE,
            format!("Could not read this file, so it was not checked: {why}"),
            Location::file(path),
            "",
        );
        self.problems.push(format!("{path}: {why}"));
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

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Reads and parses an env file; `Ok(None)` when it does not exist.
fn read_env_file(path: &Path) -> std::result::Result<Option<EnvFile>, String> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(dotenv::parse(&b))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

fn structural(sink: &mut Sink, path: &str, file: &EnvFile) {
    for p in &file.problems {
        match p.kind {
            ProblemKind::Duplicate => sink.push(
                &rules::DUPLICATE_KEY,
                p.message.clone(),
                at(path, p.line, p.column),
                &format!("dup:{}", p.line),
            ),
            ProblemKind::Malformed => sink.push(
                &rules::MALFORMED_LINE,
                format!("{} (the line is ignored by dotenv loaders)", p.message),
                at(path, p.line, p.column),
                &format!("bad:{}", p.line),
            ),
        }
    }
}

/// Reads the templates and what they (and `[env.vars]`) declare.
fn declarations(
    inputs: &EnvInputs,
    template_paths: &[String],
    sink: &mut Sink,
) -> (Vec<Template>, BTreeMap<String, Declared>) {
    let mut templates: Vec<Template> = Vec::new();
    for p in template_paths {
        let file = match read_env_file(&inputs.root.join(p)) {
            Ok(Some(f)) => f,
            Ok(None) if !inputs.config.templates.is_empty() => {
                sink.unreadable(p, "the template named in `[env] templates` does not exist");
                continue;
            }
            Ok(None) => continue,
            Err(e) => {
                sink.unreadable(p, &e);
                continue;
            }
        };
        structural(sink, p, &file);
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
                    &rules::UNKNOWN_ANNOTATION,
                    format!(
                        "`@{unknown}` is not an annotation shipgate understands; it is ignored"
                    ),
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
    for v in &inputs.config.vars {
        declared.insert(
            v.name.clone(),
            Declared {
                decl: v.clone(),
                file: inputs.config_file.to_string(),
            },
        );
    }
    (templates, declared)
}

/// Finishes the stage from what the walk collected.
pub fn finish(inputs: &EnvInputs, collector: Collector, req: &EnvRequest) -> Result<StageOutcome> {
    let started = Instant::now();
    let mut sink = Sink::default();
    let mut all_refs = collector.refs.into_inner().unwrap_or_default();
    let js_files = collector.js_files.into_inner().unwrap_or_default();
    let read = crate::scan::scope::reader(inputs.root);
    let extra = flow::extra_refs(&js_files, &read, &all_refs);
    all_refs.extend(extra);
    all_refs.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    for (path, why) in collector.problems.into_inner().unwrap_or_default() {
        sink.unreadable(&path, &why);
    }
    let mut template_paths = if inputs.config.templates.is_empty() {
        collector.templates.into_inner().unwrap_or_default()
    } else {
        inputs.config.templates.clone()
    };
    if inputs.config.templates.is_empty() {
        for hidden in ignored_templates(inputs.root, &all_refs, &template_paths) {
            let why = crate::git::text(
                inputs.root,
                &["check-ignore", "-v", "--no-index", "--", &hidden],
            )
            .and_then(|l| l.split('\t').next().map(str::to_string))
            .map_or_else(
                || "an ignore rule".to_string(),
                |src| {
                    let mut parts = src.splitn(3, ':');
                    match (parts.next(), parts.next(), parts.next()) {
                        (Some(f), Some(l), Some(pat)) => format!("{f}:{l} (`{pat}`)"),
                        _ => src,
                    }
                },
            );
            sink.push(
                &rules::TEMPLATE_IGNORED,
                format!(
                    "{hidden} is read as the template here, but {why} keeps it from being committed"
                ),
                Location::file(hidden.clone()),
                &hidden,
            );
            template_paths.push(hidden);
        }
    }
    template_paths.sort();
    let (templates, declared) = declarations(inputs, &template_paths, &mut sink);
    let ctx = checks::Ctx::new(inputs, &templates, &declared);
    ctx.code(&all_refs, &mut sink);
    ctx.committed(&mut sink);
    let sources = profile::sources(inputs, &templates, req, &mut sink)?;
    let referenced = ctx.read_names(&all_refs);
    for src in &sources {
        if !src.is_process {
            structural(&mut sink, &src.name, &src.file);
        }
        ctx.profile(&mut sink, src, &referenced);
    }
    let problem = (!sink.problems.is_empty()).then(|| {
        format!(
            "{} file(s) could not be read: {}",
            sink.problems.len(),
            sink.problems.join("; ")
        )
    });
    let checks: Vec<String> = RULES.iter().map(|r| r.id.to_string()).collect();
    let mut stage = StageOutcome::new(
        "env",
        sink.findings,
        problem,
        started.elapsed().as_millis() as u64,
    )
    .with_rule_checks(checks);
    let stats = &mut stage.stats;
    stats.insert("references".into(), all_refs.len() as u64);
    stats.insert("variables_read".into(), referenced.len() as u64);
    stats.insert("templates".into(), templates.len() as u64);
    stats.insert("variables_declared".into(), declared.len() as u64);
    stats.insert("profiles_checked".into(), sources.len() as u64);
    Ok(stage)
}

/// Templates next to the code (in a directory holding code that reads
/// variables, or one of its parents) that the walk did not see: `.gitignore`
/// hides them, but they are the declarations the code is checked against.
fn ignored_templates(root: &Path, refs: &[refs::Ref], seen: &[String]) -> Vec<String> {
    let mut dirs: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    dirs.insert("");
    for r in refs {
        let mut d = r.path.as_str();
        while let Some(i) = d.rfind('/') {
            d = &d[..i];
            if !dirs.insert(d) {
                break;
            }
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        for n in TEMPLATE_NAMES {
            let rel = if d.is_empty() {
                n.to_string()
            } else {
                format!("{d}/{n}")
            };
            if !seen.contains(&rel) && root.join(&rel).is_file() {
                out.push(rel);
            }
        }
    }
    out
}

/// A usage error about a profile (exit 2).
fn usage(msg: String) -> Error {
    Error::Usage(msg)
}
