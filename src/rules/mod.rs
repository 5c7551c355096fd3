//! Rule packs: the format, the built-in packs, loading user packs, compiling and
//! running the packs' own examples.

pub mod compile;
mod examples;
mod explain;
pub mod pack;

pub use compile::{CompiledRule, NoOverrides, RuleOverrides, Ruleset, ScopeGlobs};
pub use examples::{ExampleFailure, test_examples};
pub use explain::{builtin_reference, explain, explain_meta};
pub use pack::{Example, RuleSpec, Scope, parse_pack};

use crate::diag::{SourceError, SourceErrors};
use std::path::{Path, PathBuf};

/// The built-in packs, embedded in the binary: (file name, text).
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("localhost.toml", include_str!("../../rules/localhost.toml")),
    ("secrets.toml", include_str!("../../rules/secrets.toml")),
    (
        "migrations.toml",
        include_str!("../../rules/migrations.toml"),
    ),
    ("hygiene.toml", include_str!("../../rules/hygiene.toml")),
];

/// Where the user's packs live inside a repository.
pub const USER_RULES_DIR: &str = ".shipgate/rules";

/// Parses the built-in packs (a failure is a bug; the test suite guards it).
pub fn builtin_rules() -> Result<Vec<RuleSpec>, SourceErrors> {
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in BUILTIN_PACKS {
        match parse_pack(&format!("<builtin>/rules/{name}"), text) {
            Ok(mut r) => all.append(&mut r),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(SourceErrors(errors))
    }
}

/// The `*.toml` files of a pack directory, sorted; a missing directory has none.
pub fn pack_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for e in entries {
        let p = e?.path();
        // A `.toml` entry that is not a readable file (a dangling link, a
        // directory) is listed too: loading it reports the problem.
        if p.extension().is_some_and(|x| x == "toml") {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

/// Loads pack files; `display` maps a path to the name used in errors.
pub fn load_pack_files(
    files: &[PathBuf],
    display: &dyn Fn(&Path) -> String,
) -> Result<Vec<RuleSpec>, SourceErrors> {
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        let name = display(f);
        if f.is_dir() {
            errors.push(SourceError {
                file: name,
                line: 1,
                column: 1,
                message: "is a directory, not a rule pack".into(),
            });
            continue;
        }
        match std::fs::read_to_string(f) {
            Ok(text) => match parse_pack(&name, &text) {
                Ok(mut r) => all.append(&mut r),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => {
                let dangling = std::fs::symlink_metadata(f)
                    .is_ok_and(|m| m.file_type().is_symlink())
                    && !f.exists();
                let why = if dangling {
                    format!("is a symbolic link to a file that does not exist ({e})")
                } else {
                    format!("cannot read rule pack: {e}")
                };
                errors.push(SourceError {
                    file: name,
                    line: 1,
                    column: 1,
                    message: why,
                })
            }
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(SourceErrors(errors))
    }
}

/// Joins rule lists; a rule id defined twice is an error at the later definition.
pub fn merge(lists: Vec<Vec<RuleSpec>>) -> Result<Vec<RuleSpec>, SourceErrors> {
    let mut out: Vec<RuleSpec> = Vec::new();
    let mut errors = Vec::new();
    for r in lists.into_iter().flatten() {
        if let Some(first) = out.iter().find(|x| x.id == r.id) {
            errors.push(SourceError {
                file: r.origin.clone(),
                line: r.line,
                column: 1,
                message: format!(
                    "rule `{}` is already defined in {}:{}",
                    r.id, first.origin, first.line
                ),
            });
            continue;
        }
        out.push(r);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(SourceErrors(errors))
    }
}
