//! Loading what a run needs before any stage starts: the config and the rule
//! packs (built-in, `.shipgate/rules/`, `[scan] rule_dirs`), every error of
//! every file collected and reported together.

use crate::config::Config;
use crate::diag::{SourceError, SourceErrors};
use crate::error::{Error, Result};
use crate::model::rule_matches;
use crate::rules::{self, RuleSpec, Ruleset, ScopeGlobs};
use std::path::{Path, PathBuf};

/// The config and the rule packs of a repository.
pub struct Setup {
    /// Repository root (finding paths are relative to it).
    pub root: PathBuf,
    /// The configuration.
    pub config: Config,
    /// Every loaded rule, enabled or not.
    pub rules: Vec<RuleSpec>,
}

/// `p` relative to `root` with `/` separators, or as given.
pub fn display_path(root: &Path, p: &Path) -> String {
    match p.strip_prefix(root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => p.display().to_string(),
    }
}

impl Setup {
    /// Loads the config at `config_path` (or the defaults) and every rule pack.
    pub fn load(root: &Path, config_path: Option<&Path>) -> Result<Setup> {
        let mut errors: Vec<SourceError> = Vec::new();
        let config = match config_path {
            Some(p) => match Config::load(p, &display_path(root, p)) {
                Ok(c) => c,
                Err(Error::Config(mut e)) => {
                    errors.append(&mut e.0);
                    Config::defaults()
                }
                Err(e) => return Err(e),
            },
            None => Config::defaults(),
        };
        let mut lists = Vec::new();
        match rules::builtin_rules() {
            Ok(r) => lists.push(r),
            Err(mut e) => errors.append(&mut e.0),
        }
        let mut dirs: Vec<(PathBuf, Option<&crate::toml_doc::Located<String>>)> =
            vec![(root.join(rules::USER_RULES_DIR), None)];
        dirs.extend(
            config
                .scan
                .rule_dirs
                .iter()
                .map(|d| (root.join(&d.value), Some(d))),
        );
        for (dir, origin) in dirs {
            if let Some(o) = origin
                && !dir.is_dir()
            {
                errors.push(SourceError {
                    file: config.display.clone(),
                    line: o.line,
                    column: o.column,
                    message: format!("rule directory `{}` does not exist", o.value),
                });
                continue;
            }
            let files = match rules::pack_files(&dir) {
                Ok(f) => f,
                Err(e) => {
                    errors.push(SourceError {
                        file: display_path(root, &dir),
                        line: 1,
                        column: 1,
                        message: format!("cannot list rule packs: {e}"),
                    });
                    continue;
                }
            };
            match rules::load_pack_files(&files, &|p| display_path(root, p)) {
                Ok(r) => lists.push(r),
                Err(mut e) => errors.append(&mut e.0),
            }
        }
        let rules = match rules::merge(lists) {
            Ok(r) => r,
            Err(mut e) => {
                errors.append(&mut e.0);
                Vec::new()
            }
        };
        if errors.is_empty() {
            check_rule_refs(&config, &rules, &mut errors);
        }
        if errors.is_empty() {
            Ok(Setup {
                root: root.to_path_buf(),
                config,
                rules,
            })
        } else {
            Err(Error::Config(SourceErrors(errors)))
        }
    }

    /// Compiles the enabled rules with the config's scopes and overrides.
    pub fn compile(&self) -> Result<Ruleset> {
        Ruleset::compile(
            self.rules.clone(),
            &scope_globs(&self.config),
            &self.config.scan,
        )
        .map_err(Error::Usage)
    }
}

/// The production and test globs of `[scan]`.
pub fn scope_globs(config: &Config) -> ScopeGlobs {
    ScopeGlobs {
        production_include: config.scan.production_include.clone(),
        production_exclude: config.scan.production_exclude.clone(),
        tests: config.scan.tests.clone(),
    }
}

/// Config entries that name rules must name rules that exist (in a pack or
/// in the registry of every stage).
fn check_rule_refs(config: &Config, rules: &[RuleSpec], errors: &mut Vec<SourceError>) {
    let known = |pattern: &str| {
        rules.iter().any(|r| rule_matches(pattern, &r.id))
            || crate::registry::all().any(|r| rule_matches(pattern, r.id))
    };
    let mut check = |value: &str, line: usize, column: usize| {
        if !known(value) {
            errors.push(SourceError {
                file: config.display.clone(),
                line,
                column,
                message: format!("unknown rule `{value}` (see `shipgate rules list`)"),
            });
        }
    };
    for d in &config.scan.disable {
        check(&d.value, d.line, d.column);
    }
    for (r, _) in &config.scan.severity {
        check(&r.value, r.line, r.column);
    }
    for i in &config.ignores {
        if let Some(r) = &i.rule {
            check(r, i.line, 1);
        }
    }
}
