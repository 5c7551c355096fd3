//! Variables a runbook lists under environment headings, against the
//! templates that declare variables and the code that reads them.

use super::rules;
use crate::env::collect::{Collector, TEMPLATE_NAMES};
use crate::env::config::EnvConfig;
use crate::env::names::PLATFORM_VARS;
use crate::glob::name_matches;
use crate::markdown::EnvMention;
use crate::model::{Finding, Location};
use std::collections::BTreeSet;

/// What the repository declares and reads.
#[derive(Debug, Default)]
pub struct EnvKnowledge {
    /// Names in a template (set or commented out) or in `[env.vars]`.
    pub declared: BTreeSet<String>,
    /// Names code reads literally.
    pub read: BTreeSet<String>,
    /// Whether any template or declaration exists at all.
    pub has_declarations: bool,
}

/// `KEY` of a commented-out assignment (`# KEY=value`), which templates use
/// to declare optional variables.
fn commented_key(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("export ").unwrap_or(rest);
    let (key, _) = rest.split_once('=')?;
    let valid = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !key.as_bytes()[0].is_ascii_digit();
    valid.then_some(key)
}

/// Declarations from the templates (set or commented out) and `[env.vars]`.
fn declare(
    k: &mut EnvKnowledge,
    config: &EnvConfig,
    templates: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) {
    for t in templates {
        let Some(bytes) = read(t) else { continue };
        k.has_declarations = true;
        let file = crate::env::dotenv::parse(&bytes);
        k.declared.extend(file.entries.into_iter().map(|e| e.key));
        let text = String::from_utf8_lossy(&bytes);
        k.declared
            .extend(text.lines().filter_map(commented_key).map(str::to_string));
    }
    k.has_declarations |= !config.vars.is_empty();
    k.declared
        .extend(config.vars.iter().map(|v| v.name.clone()));
}

/// What the env stage's walk collected (templates found, references read).
pub fn from_collector(
    config: &EnvConfig,
    collector: &Collector,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> EnvKnowledge {
    let mut k = EnvKnowledge::default();
    let templates = if config.templates.is_empty() {
        collector
            .templates
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default()
    } else {
        config.templates.clone()
    };
    declare(&mut k, config, &templates, read);
    if let Ok(refs) = collector.refs.lock() {
        k.read
            .extend(refs.iter().filter(|r| !r.dynamic).map(|r| r.name.clone()));
    }
    k
}

/// Reads the templates and the code's references to `names` (a file that
/// does not contain one of them is not parsed).
pub fn knowledge(
    config: &EnvConfig,
    scan_exclude: &[String],
    files: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    names: &BTreeSet<String>,
) -> Result<EnvKnowledge, String> {
    let collector = Collector::new(config, scan_exclude)?;
    let mut k = EnvKnowledge::default();
    let templates: Vec<String> = if config.templates.is_empty() {
        files
            .iter()
            .filter(|f| {
                let name = f.rsplit('/').next().unwrap_or(f);
                TEMPLATE_NAMES.contains(&name) && !f.split('/').any(|s| s == "node_modules")
            })
            .cloned()
            .collect()
    } else {
        config.templates.clone()
    };
    declare(&mut k, config, &templates, read);
    let finders: Vec<memchr::memmem::Finder> = names
        .iter()
        .map(|n| memchr::memmem::Finder::new(n.as_bytes()))
        .collect();
    for f in files.iter().filter(|f| collector.is_code(f)) {
        let Some(bytes) = read(f) else { continue };
        if !finders.iter().any(|n| n.find(&bytes).is_some()) {
            continue;
        }
        k.read.extend(
            collector
                .refs_in(f, &bytes)
                .into_iter()
                .filter(|r| !r.dynamic)
                .map(|r| r.name),
        );
    }
    Ok(k)
}

/// Whether a platform or `[env] allow` provides the name.
fn provided(name: &str, allow: &[String]) -> bool {
    PLATFORM_VARS.iter().any(|(p, _)| name_matches(p, name))
        || allow.iter().any(|p| name_matches(p, name))
}

/// Listed but undeclared (warning), listed but never read (note); each name
/// once per runbook.
pub fn check(mentions: &[EnvMention], k: &EnvKnowledge, allow: &[String]) -> Vec<Finding> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for m in mentions {
        // One-word capitals (`EXAMPLE`, `DOWN`, `FORMAT`) are emphasis or
        // prose far more often than variables.
        if !m.name.contains('_')
            || provided(&m.name, allow)
            || !seen.insert((m.path.as_str(), m.name.as_str()))
        {
            continue;
        }
        let loc = Location::span(&m.path, (m.line, m.column), (m.line, m.column));
        if k.has_declarations && !k.declared.contains(&m.name) {
            out.push(Finding::of(
                &rules::RUNBOOK_ENV_UNDECLARED,
                format!(
                    "the runbook lists `{}`, but no env template (or `[env.vars]`) declares it",
                    m.name
                ),
                loc.clone(),
                &m.name,
            ));
        }
        if !k.read.is_empty() && !k.read.contains(&m.name) {
            out.push(Finding::of(
                &rules::RUNBOOK_ENV_UNUSED,
                format!("the runbook lists `{}`, but no code reads it", m.name),
                loc,
                &m.name,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commented_assignments_declare_optional_names() {
        assert_eq!(commented_key("# SENTRY_DSN="), Some("SENTRY_DSN"));
        assert_eq!(
            commented_key("  #export REDIS_URL=redis://x"),
            Some("REDIS_URL")
        );
        assert_eq!(commented_key("# Database settings"), None);
        assert_eq!(commented_key("# 1X=2"), None);
    }
}
