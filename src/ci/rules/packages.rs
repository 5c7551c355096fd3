//! Package-level rules over every package.json script: missing files, masked checks and
//! references to scripts that do not exist.

use super::super::invocation::{self, Invocation};
use super::super::outputs;
use super::super::scripts::PackageJson;
use super::super::shell::Command;
use super::super::{Issue, RepoIndex, Severity};
use super::missing_files::missing_file;
use super::resolve::{Resolution, resolve_script};
use super::{IF_PRESENT_MISSING, MASKED_FAILURE, MISSING_SCRIPT_FILE, UNKNOWN_COMMAND};

/// Package-level rules: missing files run by scripts, masked checks inside scripts.
pub(super) fn package_issues(idx: &RepoIndex) -> Vec<Issue> {
    let mut out = Vec::new();
    for pkg in idx.packages() {
        if pkg.parse_error.is_some() {
            continue;
        }
        for (k, c) in outputs::package_commands(pkg) {
            let Some(entry) = pkg.scripts.get(k) else {
                continue;
            };
            let mut push = |rule: &'static str, severity: Severity, msg: String| {
                out.push(Issue {
                    rule,
                    severity,
                    path: pkg.path.clone(),
                    line: entry.value_line,
                    column: entry.value_column,
                    message: format!("script `{}`: {msg}", entry.name),
                    job: None,
                    checks: Vec::new(),
                });
            };
            if let Some((sev, msg)) = missing_file(idx, pkg, &c) {
                push(MISSING_SCRIPT_FILE, sev, msg);
            }
            if let (Some(kind), Some(g)) = (invocation::check_kind(&c), &c.guarded_by)
                && g.is_certain()
            {
                push(
                    MASKED_FAILURE,
                    Severity::Warning,
                    format!(
                        "`{}` ({}) cannot fail the script: its failure is masked by {}",
                        c.text(),
                        kind.name(),
                        g.describe()
                    ),
                );
            }
            for (rule, msg) in package_script_refs(idx, pkg, &c) {
                push(rule, Severity::Warning, msg);
            }
        }
    }
    out
}

/// `npm run X` / `run-s X` inside a package script naming a script that does not exist.
fn package_script_refs(
    idx: &RepoIndex,
    pkg: &PackageJson,
    c: &Command,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let cmd = c.text();
    match invocation::classify(c) {
        Invocation::RunScript {
            manager,
            script,
            if_present,
            dir,
            bin_fallback,
            ..
        } => match resolve_script(idx, manager, &script, &dir, bin_fallback, c.cwd.as_deref()) {
            Resolution::Missing(p) if if_present => out.push((
                IF_PRESENT_MISSING,
                format!(
                    "`{cmd}` does nothing: {} has no `{script}` script and `--if-present` skips it",
                    p.path
                ),
            )),
            Resolution::Missing(p) => out.push((
                UNKNOWN_COMMAND,
                format!("`{cmd}` fails: {} has no `{script}` script", p.path),
            )),
            _ => {}
        },
        _ => {
            if c.cwd.as_deref() == Some(pkg.dir.as_str()) {
                for w in invocation::script_list_refs(c) {
                    if pkg.script(&w.text).is_none() {
                        out.push((
                            UNKNOWN_COMMAND,
                            format!(
                                "`{cmd}` names `{}`, which is not a script of {}",
                                w.text, pkg.path
                            ),
                        ));
                    }
                }
            }
        }
    }
    out
}
