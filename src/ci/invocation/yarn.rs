//! `yarn X` / `yarn run X` / `yarn workspace NAME X` (v1 and berry).

use super::super::shell::Word;
use super::files::{is_interpreter, run_file};
use super::flags::{skip_flags, split_flag};
use super::{Invocation, Manager, ScriptDir, script_run};

/// yarn (v1 and berry) commands that are not scripts.
const YARN_BUILTINS: &[&str] = &[
    "access",
    "add",
    "audit",
    "autoclean",
    "bin",
    "cache",
    "check",
    "config",
    "constraints",
    "create",
    "dedupe",
    "dlx",
    "exec",
    "explain",
    "generate-lock-entry",
    "global",
    "help",
    "import",
    "info",
    "init",
    "install",
    "licenses",
    "link",
    "list",
    "login",
    "logout",
    "node",
    "npm",
    "outdated",
    "owner",
    "pack",
    "patch",
    "patch-commit",
    "plugin",
    "policies",
    "publish",
    "rebuild",
    "remove",
    "search",
    "set",
    "stage",
    "tag",
    "team",
    "unlink",
    "unplug",
    "up",
    "upgrade",
    "upgrade-interactive",
    "version",
    "versions",
    "why",
    "workspaces",
];

/// Read a `yarn …` command line (`depth` 1 inside `yarn workspace NAME`).
pub(super) fn yarn(rest: &[Word], depth: usize) -> Invocation {
    let mut dir = ScriptDir::Cwd;
    let mut it = rest.iter().enumerate();
    while let Some((k, w)) = it.next() {
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 {
            let (n, inline) = split_flag(t);
            if n == "--cwd" {
                let v = inline
                    .map(str::to_string)
                    .or_else(|| it.next().map(|(_, v)| v.text.clone()));
                dir = v.map_or(ScriptDir::Undecided("--cwd".into()), ScriptDir::Dir);
            }
            continue;
        }
        let after = rest.get(k + 1..).unwrap_or(&[]);
        return match t {
            "workspace" if depth == 0 => match after.split_first() {
                Some((ws, more)) => match yarn(more, 1) {
                    Invocation::RunScript {
                        manager,
                        script,
                        if_present,
                        bin_fallback,
                        line,
                        column,
                        ..
                    } => Invocation::RunScript {
                        manager,
                        script,
                        if_present,
                        dir: ScriptDir::Workspace(ws.text.clone()),
                        bin_fallback,
                        line,
                        column,
                    },
                    other => other,
                },
                None => Invocation::Other,
            },
            "run" | "run-script" => {
                let s = skip_flags(after, &[]);
                match s.first() {
                    Some(s) => script_run(Manager::Yarn, s, dir, true, false),
                    None => Invocation::Other,
                }
            }
            "test" => script_run(Manager::Yarn, w, dir, false, false),
            c if YARN_BUILTINS.contains(&c) => Invocation::Other,
            c => {
                if is_interpreter(c)
                    && let Some(f) = run_file(w, after)
                {
                    return f;
                }
                script_run(Manager::Yarn, w, dir, true, false)
            }
        };
    }
    Invocation::Other
}
