//! Commands given to other commands as arguments: `sh -c "…"`, `concurrently "…"`, and the
//! script names of `npm-run-all` / `run-s` / `run-p`.

use super::super::shell::{Command, Word};
use super::strip_wrappers;

/// Shell snippets passed as arguments: `sh -c "…"`, `bash -c "…"`, `concurrently "a" "b"`.
pub fn nested_scripts(cmd: &Command) -> Vec<&Word> {
    let words = strip_wrappers(&cmd.words);
    let Some(head) = words.first() else {
        return Vec::new();
    };
    let rest = words.get(1..).unwrap_or(&[]);
    match head.text.as_str() {
        "sh" | "bash" | "zsh" | "dash" => {
            let mut it = rest.iter();
            while let Some(w) = it.next() {
                if w.text.starts_with('-') && w.text.contains('c') && !w.text.starts_with("--") {
                    return it.next().into_iter().collect();
                }
                if !w.text.starts_with('-') {
                    break;
                }
            }
            Vec::new()
        }
        "concurrently" => {
            const VALUE: &[&str] = &[
                "-n",
                "--names",
                "-c",
                "--prefix-colors",
                "-p",
                "--prefix",
                "-s",
                "--success",
                "--restart-tries",
                "--restart-after",
                "-m",
                "--max-processes",
                "--name-separator",
                "--default-input-target",
                "--handle-input",
                "-l",
                "--prefix-length",
                "-t",
                "--timestamp-format",
                "--kill-signal",
                "--pad-prefix",
            ];
            let mut out = Vec::new();
            let mut it = rest.iter();
            while let Some(w) = it.next() {
                if w.text.starts_with('-') {
                    if VALUE.contains(&w.text.as_str()) {
                        it.next();
                    }
                    continue;
                }
                out.push(w);
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Script names given to `npm-run-all` / `run-s` / `run-p` (globs and quoted commands skipped).
pub fn script_list_refs(cmd: &Command) -> Vec<&Word> {
    let words = strip_wrappers(&cmd.words);
    let Some(head) = words.first() else {
        return Vec::new();
    };
    if !matches!(
        head.text.as_str(),
        "npm-run-all" | "npm-run-all2" | "run-s" | "run-p"
    ) {
        return Vec::new();
    }
    const VALUE: &[&str] = &["--max-parallel", "--npm-path", "-n"];
    let mut out = Vec::new();
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t == "--" {
            break;
        }
        if t.starts_with('-') {
            if VALUE.contains(&t) {
                it.next();
            }
            continue;
        }
        if w.is_literal() && !t.contains([' ', '*', '{']) {
            out.push(w);
        }
    }
    out
}
