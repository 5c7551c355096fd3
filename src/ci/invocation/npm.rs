//! `npm run X`, `npm test`, `npm start` with `--prefix`/`--workspace`/`--if-present`.

use super::super::shell::Word;
use super::flags::split_flag;
use super::{Invocation, Manager, ScriptDir};

/// npm value-taking flags.
const NPM_VALUE_FLAGS: &[&str] = &[
    "--prefix",
    "-C",
    "-w",
    "--workspace",
    "--loglevel",
    "--registry",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "--tag",
    "--otp",
    "--script-shell",
    "--node-options",
];

/// Read an `npm …` command line.
pub(super) fn npm(head: &Word, rest: &[Word]) -> Invocation {
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
            let val = || -> Option<String> { inline.map(str::to_string) };
            let value = if NPM_VALUE_FLAGS.contains(&n) && inline.is_none() {
                it.next().map(|v| v.text.clone())
            } else {
                val()
            };
            match n {
                "--prefix" | "-C" => {
                    dir = value.map_or(ScriptDir::Undecided("--prefix".into()), ScriptDir::Dir)
                }
                "-w" | "--workspace" => {
                    dir = value.map_or(
                        ScriptDir::Undecided("--workspace".into()),
                        ScriptDir::Workspace,
                    )
                }
                "--workspaces" | "-ws" => dir = ScriptDir::Undecided("--workspaces".into()),
                "--if-present" => if_present = inline.is_none_or(|v| v != "false"),
                _ => {}
            }
            continue;
        }
        if cmd.is_none() {
            cmd = Some(w);
        } else if script.is_none() {
            script = Some(w);
            if !matches!(
                cmd.map(|c| c.text.as_str()),
                Some("run" | "run-script" | "rum" | "urn")
            ) {
                break;
            }
        }
    }
    let Some(cmd) = cmd else {
        return Invocation::Other;
    };
    let (script, pos, fallback) = match cmd.text.as_str() {
        "run" | "run-script" | "rum" | "urn" => match script {
            Some(s) => (s.text.clone(), s, false),
            None => return Invocation::Other,
        },
        "test" | "t" | "tst" => ("test".to_string(), cmd, false),
        "start" => ("start".to_string(), cmd, true),
        "stop" => ("stop".to_string(), cmd, false),
        _ => return Invocation::Other,
    };
    let _ = head;
    Invocation::RunScript {
        manager: Manager::Npm,
        script,
        if_present,
        dir,
        bin_fallback: fallback,
        line: pos.line,
        column: pos.column,
    }
}
