//! `pnpm X` / `pnpm run X` with `-C`/`--filter`/`-r`, falling back to dependency binaries.

use super::super::shell::Word;
use super::files::{is_interpreter, run_file};
use super::flags::split_flag;
use super::{Invocation, Manager, ScriptDir};

/// pnpm commands that are not scripts.
const PNPM_BUILTINS: &[&str] = &[
    "add",
    "install",
    "i",
    "update",
    "up",
    "upgrade",
    "remove",
    "rm",
    "uninstall",
    "un",
    "link",
    "ln",
    "unlink",
    "import",
    "rebuild",
    "rb",
    "prune",
    "fetch",
    "install-test",
    "it",
    "patch",
    "patch-commit",
    "patch-remove",
    "audit",
    "list",
    "ls",
    "ll",
    "la",
    "outdated",
    "why",
    "licenses",
    "exec",
    "dlx",
    "create",
    "publish",
    "pack",
    "recursive",
    "server",
    "store",
    "root",
    "bin",
    "setup",
    "init",
    "deploy",
    "doc",
    "config",
    "c",
    "get",
    "set",
    "env",
    "cat-file",
    "cat-index",
    "find-hash",
    "approve-builds",
    "ignored-builds",
    "self-update",
    "dedupe",
    "catalog",
    "help",
    "version",
    "login",
    "logout",
    "whoami",
    "sbom",
    "cache",
    "owner",
    "search",
    "view",
    "info",
    "show",
    "dist-tag",
    "docs",
    "home",
    "repo",
    "ping",
    "team",
    "access",
    "npm",
    "node",
];

/// pnpm value-taking flags.
const PNPM_VALUE_FLAGS: &[&str] = &[
    "-C",
    "--dir",
    "--filter",
    "-F",
    "--reporter",
    "--workspace-concurrency",
    "--loglevel",
    "--filter-prod",
    "--test-pattern",
    "--changed-files-ignore-pattern",
    "--resume-from",
    "--report-summary",
    "--config",
];

/// Read a `pnpm …` command line.
pub(super) fn pnpm(head: &Word, rest: &[Word]) -> Invocation {
    let mut dir = ScriptDir::Cwd;
    let mut if_present = false;
    let mut cmd: Option<&Word> = None;
    let mut script: Option<&Word> = None;
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t == "--" {
            break;
        }
        if t.starts_with('-') && t.len() > 1 {
            let (n, inline) = split_flag(t);
            let value = if PNPM_VALUE_FLAGS.contains(&n) && inline.is_none() {
                it.next().map(|v| v.text.clone())
            } else {
                inline.map(str::to_string)
            };
            match n {
                "-C" | "--dir" => {
                    dir = value.map_or(ScriptDir::Undecided("--dir".into()), ScriptDir::Dir)
                }
                "--filter" | "-F" | "--filter-prod" => {
                    dir = ScriptDir::Undecided("--filter".into())
                }
                "-r" | "--recursive" => dir = ScriptDir::Undecided("--recursive".into()),
                "-w" | "--workspace-root" => dir = ScriptDir::Undecided("--workspace-root".into()),
                "--if-present" => if_present = true,
                _ => {}
            }
            continue;
        }
        if cmd.is_none() {
            cmd = Some(w);
        } else if script.is_none() {
            script = Some(w);
            if !matches!(cmd.map(|c| c.text.as_str()), Some("run" | "run-script")) {
                break;
            }
        }
    }
    let Some(cmd) = cmd else {
        return Invocation::Other;
    };
    let (script, pos, fallback) = match cmd.text.as_str() {
        "run" | "run-script" => match script {
            Some(s) => (s.text.clone(), s, false),
            None => return Invocation::Other,
        },
        "test" | "t" | "tst" => ("test".to_string(), cmd, false),
        "start" => ("start".to_string(), cmd, true),
        c if PNPM_BUILTINS.contains(&c) => return Invocation::Other,
        c => {
            if is_interpreter(c)
                && let Some(f) = run_file(cmd, script.map(std::slice::from_ref).unwrap_or(&[]))
            {
                return f;
            }
            (c.to_string(), cmd, true)
        }
    };
    let _ = head;
    Invocation::RunScript {
        manager: Manager::Pnpm,
        script,
        if_present,
        dir,
        bin_fallback: fallback,
        line: pos.line,
        column: pos.column,
    }
}
