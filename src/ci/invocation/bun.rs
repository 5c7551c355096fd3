//! `bun run X` / `bun X`: scripts, or files when the word looks like one.

use super::super::shell::Word;
use super::files::file_inv;
use super::flags::split_flag;
use super::{Invocation, Manager, ScriptDir, script_run};

/// bun commands that are not scripts.
const BUN_BUILTINS: &[&str] = &[
    "test",
    "x",
    "repl",
    "exec",
    "install",
    "i",
    "add",
    "a",
    "remove",
    "rm",
    "update",
    "outdated",
    "link",
    "unlink",
    "pm",
    "build",
    "init",
    "create",
    "c",
    "upgrade",
    "publish",
    "patch",
    "patch-commit",
    "audit",
    "info",
    "why",
    "completions",
    "discord",
    "help",
];

/// A path or a script-file name rather than a script name.
fn looks_like_file(t: &str) -> bool {
    t.contains('/')
        || [
            ".js", ".ts", ".mjs", ".cjs", ".mts", ".cts", ".tsx", ".jsx", ".sh",
        ]
        .iter()
        .any(|e| t.ends_with(e))
}

/// Read a `bun …` command line.
pub(super) fn bun(head: &Word, rest: &[Word]) -> Invocation {
    let mut dir = ScriptDir::Cwd;
    let mut if_present = false;
    let mut it = rest.iter().enumerate();
    while let Some((k, w)) = it.next() {
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 {
            let (n, inline) = split_flag(t);
            match n {
                "--cwd" => {
                    let v = inline
                        .map(str::to_string)
                        .or_else(|| it.next().map(|(_, v)| v.text.clone()));
                    dir = v.map_or(ScriptDir::Undecided("--cwd".into()), ScriptDir::Dir);
                }
                "--filter" | "-F" => {
                    dir = ScriptDir::Undecided("--filter".into());
                    if inline.is_none() {
                        it.next();
                    }
                }
                "--if-present" => if_present = true,
                "--env-file" | "--config" | "-c" | "--preload" | "-r" if inline.is_none() => {
                    it.next();
                }
                _ => {}
            }
            continue;
        }
        let after = rest.get(k + 1..).unwrap_or(&[]);
        if t == "run" {
            let s = skip_flags_collect(after, &mut dir, &mut if_present);
            return match s.first() {
                Some(s) if looks_like_file(&s.text) => file_inv("bun", s),
                Some(s) => script_run(Manager::Bun, s, dir, true, if_present),
                None => Invocation::Other,
            };
        }
        if BUN_BUILTINS.contains(&t) {
            return Invocation::Other;
        }
        if looks_like_file(t) {
            return file_inv("bun", w);
        }
        return script_run(Manager::Bun, w, dir, true, if_present);
    }
    let _ = head;
    Invocation::Other
}

/// Skip the flags after `bun run`, noting `--if-present`, `--filter` and `--cwd`.
fn skip_flags_collect<'a>(
    mut w: &'a [Word],
    dir: &mut ScriptDir,
    if_present: &mut bool,
) -> &'a [Word] {
    while let Some(f) = w.first() {
        if !f.text.starts_with('-') {
            break;
        }
        let (n, inline) = split_flag(&f.text);
        let mut used = 1;
        match n {
            "--if-present" => *if_present = true,
            "--filter" | "-F" => {
                *dir = ScriptDir::Undecided("--filter".into());
                if inline.is_none() {
                    used = 2;
                }
            }
            "--cwd" => {
                let v = inline
                    .map(str::to_string)
                    .or_else(|| w.get(1).map(|v| v.text.clone()));
                if inline.is_none() {
                    used = 2;
                }
                *dir = v.map_or(ScriptDir::Undecided("--cwd".into()), ScriptDir::Dir);
            }
            _ => {}
        }
        w = w.get(used..).unwrap_or(&[]);
    }
    w
}
