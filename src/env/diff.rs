//! The env stage in diff mode (`pre-push`, `pr`): it reads only what the
//! change touches, the templates that cover those files and the config. The
//! full reference index is built (by the caller's walk) only when the change
//! could alter the verdict beyond the changed lines: a template, an env file
//! or the config changed, or a changed file stopped reading a variable (which
//! may leave a declaration unused).

use super::checks::Ctx;
use super::collect::{Collector, TEMPLATE_NAMES};
use super::refs::Ref;
use super::{EnvInputs, EnvRequest, Sink, declarations, rules};
use crate::error::Result;
use crate::model::StageOutcome;
use crate::scan::diff::{self, DiffSpec};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

/// Whether a path's change can change env findings outside the changed lines.
fn global(path: &str, config_file: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env"
        || name.starts_with(".env.")
        || name.ends_with(".env")
        || TEMPLATE_NAMES.contains(&name)
        || path == config_file
        || name == "shipgate.toml"
}

/// The templates that cover `paths`: each directory up to the root, first
/// name in `TEMPLATE_NAMES` order that exists.
fn covering_templates(root: &Path, paths: &[String]) -> Vec<String> {
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for p in paths {
        let mut d = p.as_str();
        while let Some(i) = d.rfind('/') {
            d = &d[..i];
            dirs.insert(d.to_string());
        }
        dirs.insert(String::new());
    }
    let mut out = Vec::new();
    for d in dirs {
        for n in TEMPLATE_NAMES {
            let rel = if d.is_empty() {
                n.to_string()
            } else {
                format!("{d}/{n}")
            };
            if root.join(&rel).is_file() {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Runs the stage over the change; `Ok(None)` when the change needs the full
/// index (the caller then walks the repository and runs the full stage).
pub fn run(
    inputs: &EnvInputs,
    collector: &Collector,
    req: &EnvRequest,
    specs: &[DiffSpec],
) -> Result<Option<StageOutcome>> {
    let started = Instant::now();
    // Profiles need every read variable (to tell them from unrelated ones).
    if req.profile.is_some() || !req.env_files.is_empty() || req.process.is_some() {
        return Ok(None);
    }
    let root = inputs.root;
    let mut refs: Vec<Ref> = Vec::new();
    let mut changed_paths: Vec<String> = Vec::new();
    let mut added_lines: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    for spec in specs {
        let touched = diff::touched(root, spec)?;
        let changed = diff::changed_files(root, spec, &[])?;
        if needs_full(inputs, collector, spec, &touched, &changed)? {
            return Ok(None);
        }
        for c in &changed {
            let Some(content) = &c.content else {
                continue;
            };
            changed_paths.push(c.path.clone());
            refs.extend(
                collector
                    .refs_in(&c.path, content)
                    .into_iter()
                    .filter(|r| c.added.binary_search(&r.line).is_ok()),
            );
            if collector.is_code(&c.path) {
                added_lines.push((c.path.clone(), c.added.clone(), content.clone()));
            }
        }
    }
    // Schema keys and local env objects of the changed files (config modules
    // the change does not touch are not read: the full gate follows those).
    let code: Vec<String> = added_lines.iter().map(|(p, _, _)| p.clone()).collect();
    let read = |p: &str| {
        added_lines
            .iter()
            .find(|(q, _, _)| q == p)
            .map(|(_, _, c)| c.clone())
    };
    for r in super::flow::extra_refs(&code, &read, &refs) {
        let on_added = added_lines
            .iter()
            .any(|(p, added, _)| *p == r.path && added.binary_search(&r.line).is_ok());
        if on_added {
            refs.push(r);
        }
    }
    let mut sink = Sink::default();
    let mut template_paths = if inputs.config.templates.is_empty() {
        covering_templates(root, &changed_paths)
    } else {
        inputs.config.templates.clone()
    };
    template_paths.dedup();
    let (templates, declared) = declarations(inputs, &template_paths, &mut sink);
    // Template problems are not part of the change: only what the added lines do.
    sink.findings.clear();
    let ctx = Ctx::new(inputs, &templates, &declared);
    ctx.changed_code(&refs, &mut sink);
    let checks: Vec<String> = rules::RULES.iter().map(|r| r.id.to_string()).collect();
    let problem = (!sink.problems.is_empty()).then(|| sink.problems.join("; "));
    let mut stage = StageOutcome::new(
        "env",
        sink.findings,
        problem,
        started.elapsed().as_millis() as u64,
    )
    .with_rule_checks(checks);
    stage.stats.insert("references".into(), refs.len() as u64);
    stage
        .stats
        .insert("files_changed".into(), changed_paths.len() as u64);
    stage
        .stats
        .insert("templates".into(), templates.len() as u64);
    Ok(Some(stage))
}

fn collector_wants(c: &Collector, p: &str) -> bool {
    crate::walk::Visitor::wants(c, p)
}

/// Whether the change could alter env findings outside its added lines: it
/// touches a template, an env file or the config, or a changed file stopped
/// reading a variable (which may leave a declaration unused).
fn needs_full(
    inputs: &EnvInputs,
    collector: &Collector,
    spec: &DiffSpec,
    touched: &[diff::Touched],
    changed: &[diff::ChangedFile],
) -> Result<bool> {
    if touched
        .iter()
        .flat_map(|t| t.old.iter().chain(t.new.iter()))
        .any(|p| global(p, inputs.config_file))
    {
        return Ok(true);
    }
    let old_rev = spec.old_rev(inputs.root)?;
    let olds: Vec<&diff::Touched> = touched
        .iter()
        .filter(|t| {
            t.status != 'A'
                && t.old
                    .as_ref()
                    .is_some_and(|p| collector_wants(collector, p))
        })
        .collect();
    let specs: Vec<String> = olds
        .iter()
        .filter_map(|t| t.old.as_ref().map(|p| format!("{old_rev}:{p}")))
        .collect();
    let blobs = crate::git::read_blobs(inputs.root, &specs)?;
    for (t, old) in olds.iter().zip(blobs) {
        let Some(path) = &t.old else { continue };
        let names = |bytes: &[u8]| -> BTreeSet<String> {
            collector
                .refs_in(path, bytes)
                .into_iter()
                .map(|r| r.name)
                .collect()
        };
        let before = names(old.as_deref().unwrap_or_default());
        let after = t
            .new
            .as_ref()
            .and_then(|p| changed.iter().find(|c| &c.path == p))
            .and_then(|c| c.content.as_deref())
            .map(names)
            .unwrap_or_default();
        if before.difference(&after).next().is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}
